//! `agon extract`: a recorded debate's claim tree from a configured extractor model, or the
//! last extraction taken back.

use crate::config::ConfigFile;
use crate::config::extractor::ExtractorSettings;
use crate::domain::ExtractTurns;
use anyhow::{Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The session file (updated in place, under its lock).
    pub file: PathBuf,
    /// The extractor instead of the config's [extractor]: PROVIDER:MODEL, like ollama:llama3.2.
    #[arg(long, value_name = "PROVIDER:MODEL")]
    pub extractor: Option<String>,
    /// The extractor's base URL (e.g. http://localhost:11434).
    #[arg(long, value_name = "URL")]
    pub extractor_url: Option<String>,
    /// Which turns: those with no claims yet (missing), or every turn, rebuilding the tree
    /// (all). The judge's edits are kept either way.
    #[arg(long, default_value = "missing", value_parser = parse_turns, value_name = "all|missing")]
    pub turns: ExtractTurns,
    /// Take back the last extraction instead.
    #[arg(long, conflicts_with_all = ["extractor", "extractor_url", "turns"])]
    pub undo: bool,
}

fn parse_turns(s: &str) -> Result<ExtractTurns, String> {
    match s {
        "all" => Ok(ExtractTurns::All),
        "missing" => Ok(ExtractTurns::Missing),
        _ => Err(format!("{s:?}: use all or missing")),
    }
}

/// Runs `agon extract`: progress on stderr, a summary at the end.
pub fn run(args: &ExtractArgs, config: Option<&Path>) -> Result<ExitCode> {
    if args.undo {
        return undo(&args.file);
    }
    let cfg = extractor(
        config,
        args.extractor.as_deref(),
        args.extractor_url.clone(),
    )?;
    let who = format!("{} {}", cfg.wire.name(), cfg.model);
    eprintln!(
        "Extracting the claims of {} with {who}",
        args.file.display()
    );
    let rt = super::tokio_runtime()?;
    let mut progress = |line: String| eprintln!("  {line}");
    let report = rt.block_on(crate::extract::extract_file(
        &args.file,
        cfg,
        args.turns,
        &mut progress,
    ))?;
    for line in summary(&report, &args.file) {
        eprintln!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The sessions browser's `x`: the config's extractor gives the turns with no claims theirs.
/// Returns what `agon extract` would say at the end.
pub fn for_browser(file: &Path, config: Option<&Path>) -> Result<Vec<String>> {
    let cfg = extractor(config, None, None)?;
    let rt = super::tokio_runtime()?;
    let report = rt.block_on(crate::extract::extract_file(
        file,
        cfg,
        ExtractTurns::Missing,
        &mut |_| {},
    ))?;
    Ok(summary(&report, file))
}

/// The extractor model: the flag's (PROVIDER:MODEL, URL) over the config's `[extractor]`.
fn extractor(
    config: Option<&Path>,
    flag: Option<&str>,
    url: Option<String>,
) -> Result<crate::providers::llm::LlmConfig> {
    let (file, path) = ConfigFile::load(config)?;
    let mut flags = match flag {
        Some(flag) => ExtractorSettings::from_flag(flag)?,
        None => ExtractorSettings::default(),
    };
    flags.base_url = url;
    let env = |name: &str| std::env::var(name).ok();
    let settings = file.extractor.clone().unwrap_or_default().layered(&flags);
    let resolved = settings.resolve(&file.network, &file.prices, &env);
    match &path {
        Some(p) => resolved.with_context(|| format!("in config file {}", p.display())),
        None => resolved,
    }
}

/// What an extraction did, in a line or three.
fn summary(report: &crate::extract::Report, file: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    if report.turns == 0 {
        lines.push("No turn needed claims (--turns all rebuilds every turn's).".to_string());
    }
    let cost = report
        .stats
        .cost_usd
        .map_or_else(String::new, |c| format!(", ${c:.4}"));
    lines.push(format!(
        "{} turns: {} claims, {} concessions, {} warnings{cost}. `agon extract --undo {}` takes it back.",
        report.turns,
        report.claims,
        report.concessions,
        report.warnings,
        file.display()
    ));
    if report.set_aside > 0 {
        lines.push(format!(
            "{} of the judge's edits no longer apply to the new tree; they are kept for --undo.",
            report.set_aside
        ));
    }
    lines
}

fn undo(file: &Path) -> Result<ExitCode> {
    match crate::extract::undo_file(file)? {
        None => {
            eprintln!("agon: {} has no extraction to undo", file.display());
            Ok(ExitCode::from(2))
        }
        Some(undone) => {
            let e = &undone.extraction;
            eprintln!(
                "Undid the extraction of {} by {} {} ({} turns).",
                e.at.date(),
                e.stats.provider,
                e.stats.model,
                e.turns.len()
            );
            if undone.dropped > 0 {
                eprintln!(
                    "{} of the judge's edits were of its nodes and went with it.",
                    undone.dropped
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
