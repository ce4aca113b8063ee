//! Logs go to a file, and only when `AGON_LOG` sets a level (e.g. `AGON_LOG=debug`); never to
//! the screen, which belongs to the TUI.

use anyhow::{Context, Result};
use std::path::PathBuf;

/// Starts file logging if `AGON_LOG` is set; returns the log file's path.
pub fn init() -> Result<Option<PathBuf>> {
    let Ok(filter) = std::env::var("AGON_LOG") else {
        return Ok(None);
    };
    let path = match std::env::var_os("AGON_LOG_FILE") {
        Some(p) => PathBuf::from(p),
        None => directories::ProjectDirs::from("", "", "agon")
            .map(|d| d.data_dir().join("agon.log"))
            .context("no home directory for the log file; set AGON_LOG_FILE")?,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the log directory {}", dir.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open the log file {}", path.display()))?;
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .with_context(|| format!("AGON_LOG={filter:?} is not a log filter (try info or debug)"))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))?;
    Ok(Some(path))
}
