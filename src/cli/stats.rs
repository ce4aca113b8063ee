//! `agon stats`: accuracy, scores, calibration, agreement, tags and debater ratings over every
//! session file of a directory (see `docs/stats.md`).

use crate::stats::{self, Dataset, Field, Filter, Query, render};
use crate::storage;
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use std::io::Write;
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
    /// table (for people), csv (one row per group) or json (everything).
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
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
pub fn run(dir: Option<&Path>, args: &StatsArgs) -> Result<ExitCode> {
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
    let query = Query {
        filters: args.filters.clone(),
        by: args.by.clone(),
    };
    let report = stats::analyse(&data, &query);
    let text = render::render(&report, args.format.into());
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
