//! Command-line interface: parses arguments and starts the right screen.

use crate::app::App;
use crate::demo::DemoScript;
use crate::domain::Session;
use crate::provider::recorded::RecordedProvider;
use crate::provider::scripted::ScriptedProvider;
use crate::runtime::{self, Debaters};
use crate::storage;
use crate::terminal::TerminalGuard;
use crate::ui::theme::Theme;
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use time::OffsetDateTime;

/// Words per second of the scripted demo: quick enough to watch, slow enough to read along.
pub const DEFAULT_PACE: f64 = 12.0;

#[derive(Debug, Parser)]
#[command(
    name = "agon",
    version,
    about = "Judge AI debates in the terminal: watch two debaters argue, map their claims, record a verdict.",
    long_about = None
)]
pub struct Cli {
    /// Where session files are written and found.
    #[arg(long, global = true, env = "AGON_SESSIONS_DIR", value_name = "DIR")]
    pub sessions_dir: Option<PathBuf>,

    /// A theme file (TOML; see themes/default.toml).
    #[arg(long, global = true, env = "AGON_THEME", value_name = "FILE")]
    pub theme: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Watch the bundled scripted demo debate (no key, no network).
    Demo {
        /// Words per second; 0 shows each turn at once.
        #[arg(long, default_value_t = DEFAULT_PACE, value_name = "WORDS_PER_SEC", value_parser = parse_pace)]
        pace: f64,
    },
    /// Step through a saved session, read-only.
    Replay {
        /// The session file.
        file: PathBuf,
        /// Words per second while a turn plays; 0 shows each turn at once.
        #[arg(long, default_value_t = 0.0, value_name = "WORDS_PER_SEC", value_parser = parse_pace)]
        pace: f64,
    },
}

fn parse_pace(s: &str) -> Result<f64, String> {
    let pace: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if pace.is_finite() && pace >= 0.0 {
        Ok(pace)
    } else {
        Err("the pace must be 0 or more words per second".into())
    }
}

/// Runs the command line; errors are printed by `main`.
pub fn main() -> Result<ExitCode> {
    let cli = Cli::parse();
    let log = crate::logging::init()?;
    if let Some(path) = &log {
        tracing::info!(path = %path.display(), "agon {} starting", env!("CARGO_PKG_VERSION"));
    }
    let theme = match &cli.theme {
        Some(path) => Theme::load(path)?,
        None => Theme::bundled(),
    };
    match cli.command {
        None => run_demo(cli.sessions_dir.as_deref(), DEFAULT_PACE, theme),
        Some(Command::Demo { pace }) => run_demo(cli.sessions_dir.as_deref(), pace, theme),
        Some(Command::Replay { file, pace }) => run_replay(&file, pace, theme),
    }
}

fn sessions_dir(flag: Option<&Path>) -> Result<PathBuf> {
    let dir = match flag {
        Some(d) => d.to_path_buf(),
        None => storage::default_sessions_dir().context(
            "cannot find a data directory; pass --sessions-dir or set AGON_SESSIONS_DIR",
        )?,
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the sessions directory {}", dir.display()))?;
    Ok(dir)
}

fn tokio_runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn run_demo(dir: Option<&Path>, pace: f64, theme: Theme) -> Result<ExitCode> {
    let script = Arc::new(DemoScript::bundled()?);
    let session = Session::new(script.setup(), OffsetDateTime::now_utc());
    let path = sessions_dir(dir)?.join(session.file_name());
    let mut app = App::new(session, crate::app::Mode::Live, theme);
    app.session_path = Some(path.clone());
    app.source_label = "scripted demo".into();
    let provider = Arc::new(ScriptedProvider::new(script, pace));
    let app = run_tui(app, Debaters::both(provider))?;
    report_exit(&app, &path);
    Ok(ExitCode::SUCCESS)
}

fn run_replay(file: &Path, pace: f64, theme: Theme) -> Result<ExitCode> {
    let loaded = match storage::load(file) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("agon: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let recording = Arc::new(loaded.session.clone());
    let mut app = App::replay(loaded.session, theme);
    if let Some(reason) = loaded.read_only_reason {
        app.read_only = Some(reason);
    }
    app.session_path = Some(file.to_path_buf());
    let provider = Arc::new(RecordedProvider::new(recording, pace));
    run_tui(app, Debaters::both(provider))?;
    Ok(ExitCode::SUCCESS)
}

fn run_tui(app: App, debaters: Debaters) -> Result<App> {
    let rt = tokio_runtime()?;
    let mut guard = TerminalGuard::enter()?;
    let result = rt.block_on(runtime::run(app, debaters, &mut guard.terminal));
    drop(guard);
    // Streams still waiting on timers are dropped with the runtime.
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    result
}

fn report_exit(app: &App, path: &Path) {
    if let Some(e) = &app.save.error {
        eprintln!("agon: the last save failed: {e}");
    }
    if app.save.saved_once {
        println!("Session saved to {}", path.display());
    } else {
        eprintln!("agon: the session was not saved to {}", path.display());
    }
}
