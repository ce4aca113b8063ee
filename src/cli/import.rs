//! `agon import`: debates recorded elsewhere, written as session files.

use super::progress::{Outcome, Reporter};
use crate::import::nyu::{self, Metadata, Progress};
use anyhow::Result;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum Source {
    /// Rooms of the NYU debate platform (Michael et al. 2023): one session per room file,
    /// `nyu-<room>.json` in the sessions directory; importing a room again replaces it.
    Nyu(NyuArgs),
}

#[derive(Debug, Args)]
pub struct NyuArgs {
    /// Room files, or folders whose `.json` files are all imported.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// `debates-metadata.jsonl`: each room's setting and whether the paper used it, as labels.
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
}

/// Runs an import: progress on stderr, each session written on stdout, a failure exits 1.
pub fn run(dir: Option<&Path>, source: &Source) -> Result<ExitCode> {
    let Source::Nyu(args) = source;
    let metadata = args.metadata.as_deref().map(Metadata::load).transpose()?;
    let dir = super::sessions_dir(dir)?;
    // Started at the first file: only the import knows how many files the paths hold.
    let mut progress: Option<Reporter> = None;
    let report = nyu::import_paths(&args.paths, metadata.as_ref(), &dir, |p| match p {
        Progress::Imported {
            done,
            total,
            room,
            path,
            notes,
        } => {
            let progress = progress.get_or_insert_with(|| Reporter::start(*total, "rooms"));
            progress.step(*done, Outcome::Ok, &format!("imported {room}"));
            let lines = progress.lines();
            for note in *notes {
                lines.line(&format!("  note: {note}"));
            }
            lines.out(&path.display().to_string());
        }
        Progress::Failed {
            done,
            total,
            file,
            reason,
        } => progress
            .get_or_insert_with(|| Reporter::start(*total, "rooms"))
            .step(
                *done,
                Outcome::Failed,
                &format!("failed {}: {reason}", file.display()),
            ),
    });
    if let Some(progress) = progress {
        progress.finish();
    }
    eprintln!(
        "{} imported, {} failed, into {}",
        report.written.len(),
        report.failed.len(),
        dir.display()
    );
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
