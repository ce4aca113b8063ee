//! `agon stats`: accuracy, scores, calibration, agreement, tags and debater ratings over every
//! session file of a directory (see `docs/stats.md`).

use crate::app::stats_screen::{StatsAction, StatsScreen};
use crate::stats::{self, Dataset, Field, Filter, Query, render};
use crate::storage;
use crate::theme::Theme;
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    /// Keep only judgements where KEY=VALUE (or KEY!=VALUE) holds; repeatable, all must hold.
    /// KEY: protocol, debaters, model, judge, judge_name, judge_mode, label:NAME, judged,
    /// ground_truth. Values compare ignoring case.
    #[arg(long = "where", value_name = "KEY=VALUE", value_parser = Filter::parse)]
    pub filters: Vec<Filter>,
    /// Group by these fields, comma-separated: protocol, debaters, model, judge, judge_name,
    /// judge_mode, label:NAME.
    #[arg(long, value_name = "FIELD,...", value_delimiter = ',', value_parser = Field::parse)]
    pub by: Vec<Field>,
    /// table (for people), csv (one row per group) or json (everything). Without it, a
    /// terminal gets the stats screen and a pipe the table.
    #[arg(long, value_enum)]
    pub format: Option<StatsFormat>,
    /// Read every session file, without reading or writing the cache (.agon-stats.json).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Table,
    Csv,
    Json,
}

impl From<StatsFormat> for render::Format {
    fn from(f: StatsFormat) -> Self {
        match f {
            StatsFormat::Table => render::Format::Table,
            StatsFormat::Csv => render::Format::Csv,
            StatsFormat::Json => render::Format::Json,
        }
    }
}

/// Reads the directory (broken files one line each on stderr, never fatal), computes the
/// report and prints it.
pub fn run(dir: Option<&Path>, args: &StatsArgs, theme: Theme) -> Result<ExitCode> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => storage::default_sessions_dir().context(
            "cannot find a data directory; pass --sessions-dir or set AGON_SESSIONS_DIR",
        )?,
    };
    if !dir.is_dir() {
        bail!("the sessions directory {} does not exist", dir.display());
    }
    let data = if args.no_cache {
        Dataset::scan(&dir)
    } else {
        Dataset::open(&dir)
    }
    .with_context(|| format!("cannot read the sessions directory {}", dir.display()))?;
    {
        let mut err = std::io::stderr().lock();
        for b in &data.broken {
            let _ = writeln!(
                err,
                "agon stats: skipped {}: {}",
                dir.join(&b.file).display(),
                crate::text::sanitize::inert(&b.error).replace('\n', " ")
            );
        }
        if let Some(e) = &data.load.cache_error {
            let _ = writeln!(err, "agon stats: the cache could not be written: {e}");
        }
    }
    let interactive = args.format.is_none() && std::io::stdout().is_terminal();
    // The screen compares groups: with no --by it groups by protocol and debaters.
    let by = if interactive && args.by.is_empty() {
        vec![Field::Protocol, Field::Debaters]
    } else {
        args.by.clone()
    };
    let query = Query {
        filters: args.filters.clone(),
        by,
    };
    let report = stats::analyse(&data, &query);
    if interactive {
        show(report, theme)?;
        return Ok(ExitCode::SUCCESS);
    }
    let format = args.format.unwrap_or(StatsFormat::Table);
    let text = render::render(&report, format.into());
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}

/// The stats screen until the judge leaves it.
pub fn show(report: stats::StatsReport, theme: Theme) -> Result<()> {
    let mut guard = super::terminal::TerminalGuard::enter()?;
    show_on(&mut guard.terminal, report, &theme)
}

/// The stats screen on a terminal that is already the TUI's (the sessions browser opens it).
pub fn show_on(
    terminal: &mut ratatui::DefaultTerminal,
    report: stats::StatsReport,
    theme: &Theme,
) -> Result<()> {
    use ratatui::crossterm::event::{self, Event, KeyEventKind};
    let mut screen = StatsScreen::new(report);
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|f| crate::ui::stats::draw(f, &screen, theme))?;
            dirty = false;
        }
        if !event::poll(std::time::Duration::from_millis(200))? {
            continue;
        }
        match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                dirty = true;
                if screen.handle(&key) == Some(StatsAction::Close) {
                    return Ok(());
                }
            }
            Event::Mouse(m) => dirty |= screen.mouse(&m),
            Event::Resize(..) => dirty = true,
            _ => {}
        }
    }
}
