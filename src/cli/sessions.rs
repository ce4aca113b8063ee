//! `agon sessions`: the browser's edge: the terminal, the replay of a chosen session, and the
//! plain list for pipes.

use crate::app::browser::{Action, Browser, Index, SessionSummary};
use crate::cli::terminal::TerminalGuard;
use crate::storage;
use crate::theme::Theme;
use anyhow::{Context, Result};
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::time::Duration;

/// `agon sessions [--list]`: the browser, or with `--list` (or when stdout is not a terminal)
/// one line per session.
pub fn run(dir: Option<&Path>, list: bool, theme: Theme) -> Result<ExitCode> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => storage::default_sessions_dir().context(
            "cannot find a data directory; pass --sessions-dir or set AGON_SESSIONS_DIR",
        )?,
    };
    let index = Index::open(&dir)
        .with_context(|| format!("cannot read the sessions directory {}", dir.display()))?;
    if list || !std::io::stdout().is_terminal() {
        print_list(&index)?;
        return Ok(ExitCode::SUCCESS);
    }
    run_tui(Browser::new(index), theme)
}

/// One line per session, newest first: `path<TAB>date<TAB>state<TAB>question`.
pub fn list_lines(index: &Index) -> Vec<String> {
    let mut entries: Vec<&SessionSummary> = index.entries.iter().collect();
    entries.sort_by(|a, b| {
        b.date()
            .cmp(&a.date())
            .then_with(|| a.file_name.cmp(&b.file_name))
    });
    // A field is inert (escapes shown as ␛..., overrides as �, nothing printable dropped) and
    // one line with no tab, so it can neither act on the terminal nor leave its column.
    let one_line = |s: &str| -> String { crate::text::sanitize::inert(s).replace('\n', " ") };
    entries
        .into_iter()
        .map(|s| {
            let state = match &s.error {
                Some(e) => format!("broken: {}", one_line(e)),
                None => s.state.label().to_string(),
            };
            format!(
                "{}\t{}\t{}\t{}",
                one_line(&s.path.display().to_string()),
                list_date(s.date()),
                state,
                one_line(&s.question)
            )
        })
        .collect()
}

/// `2026-11-27T08:37:37Z`
fn list_date(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap_or_default()
}

fn print_list(index: &Index) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut write = || -> std::io::Result<()> {
        for line in list_lines(index) {
            writeln!(out, "{line}")?;
        }
        out.flush()
    };
    match write() {
        // `agon sessions | head` closes the pipe early; that is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write the list"),
    }
}

/// Sets `flag` on SIGTERM, SIGHUP or SIGINT, so the browser can leave the terminal as it found
/// it. The listener lives as long as `rt`.
fn listen_for_signals(rt: &tokio::runtime::Runtime, flag: Arc<AtomicBool>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let _guard = rt.enter();
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
        ) else {
            return;
        };
        rt.spawn(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
                _ = int.recv() => {}
            }
            flag.store(true, AtomicOrdering::Relaxed);
        });
    }
    #[cfg(not(unix))]
    let _ = (rt, flag);
}

fn run_tui(mut browser: Browser, theme: Theme) -> Result<ExitCode> {
    let terminate = Arc::new(AtomicBool::new(false));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    listen_for_signals(&rt, terminate.clone());
    let mut guard = TerminalGuard::enter()?;
    let mut dirty = true;
    while !terminate.load(AtomicOrdering::Relaxed) {
        if dirty {
            guard
                .terminal
                .draw(|f| crate::ui::browser::draw(f, &mut browser, &theme))?;
            dirty = false;
        }
        if !event::poll(Duration::from_millis(100))? {
            continue;
        }
        let action = match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => browser.update(&key),
            Event::Paste(text) => {
                browser.paste(&text);
                None
            }
            Event::Resize(..) => None,
            _ => continue,
        };
        dirty = true;
        match action {
            None => {}
            Some(Action::Quit) => break,
            Some(Action::Open(path)) => {
                let result = super::replay_on(&mut guard.terminal, &path, 0.0, theme.clone());
                // The replay drew over the whole screen.
                guard.terminal.clear()?;
                if let Err(e) = result {
                    browser.error(format!("{e:#}"));
                }
            }
            Some(action) => browser.apply(&action),
        }
    }
    drop(guard);
    Ok(ExitCode::SUCCESS)
}
