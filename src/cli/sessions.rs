//! `agon sessions`: the browser's edge: the terminal, the actions chosen in it (a replay, a
//! resume, a re-judge, a fork, an export, the stats screen) carried out on the same terminal,
//! the directory watched for changes, and the plain list for pipes.

use super::{DebateArgs, Report, Screen};
use crate::app::browser::{Action, Browser, Index, SessionSummary};
use crate::cli::terminal::TerminalGuard;
use crate::storage;
use crate::theme::Theme;
use anyhow::{Context, Result};
use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::time::{Duration, Instant, SystemTime};

/// How often the browser looks whether the directory changed.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// `agon sessions [--list]`: the browser, or with `--list` (or when stdout is not a terminal)
/// one line per session.
pub fn run(
    dir: Option<&Path>,
    list: bool,
    args: &DebateArgs,
    pace: f64,
    theme: Theme,
) -> Result<ExitCode> {
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
    run_tui(Browser::new(index), args, pace, theme)
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

fn run_tui(mut browser: Browser, args: &DebateArgs, pace: f64, theme: Theme) -> Result<ExitCode> {
    let terminate = Arc::new(AtomicBool::new(false));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    listen_for_signals(&rt, terminate.clone());
    let dir = browser.index.dir.clone();
    let mut guard = TerminalGuard::enter()?;
    let mut watch = Watch::new(&dir);
    let mut dirty = true;
    while !terminate.load(AtomicOrdering::Relaxed) {
        if watch.due() && watch.changed() {
            reload(&mut browser, None);
            dirty = true;
        }
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
            Event::Mouse(m) => {
                match m.kind {
                    MouseEventKind::ScrollDown => browser.wheel(1),
                    MouseEventKind::ScrollUp => browser.wheel(-1),
                    MouseEventKind::Down(MouseButton::Left) => {
                        if let Some(row) = m.row.checked_sub(crate::ui::browser::FIRST_ROW) {
                            browser.click(usize::from(row));
                        }
                    }
                    _ => continue,
                }
                None
            }
            _ => continue,
        };
        dirty = true;
        let Some(action) = action else { continue };
        let terminal = &mut guard.terminal;
        let outcome = match action {
            Action::Quit => break,
            Action::Rename { .. } | Action::Delete(_) => {
                browser.apply(&action);
                continue;
            }
            Action::Replay(path) => {
                super::replay_on(terminal, &path, 0.0, theme.clone()).map(|()| Report::default())
            }
            Action::Resume(path) => super::continue_on(
                Screen::Shared(terminal),
                Some(&dir),
                args,
                &path,
                None,
                pace,
                theme.clone(),
            ),
            Action::Fork { path, after_turn } => super::continue_on(
                Screen::Shared(terminal),
                Some(&dir),
                args,
                &path,
                Some(after_turn),
                pace,
                theme.clone(),
            ),
            Action::Rejudge { path, blind } => super::rejudge_on(
                Screen::Shared(terminal),
                &path,
                0.0,
                args,
                Some(blind),
                theme.clone(),
            ),
            Action::Export { path, format, out } => export(&path, format, &out),
            Action::Extract(path) => {
                // A request per turn may take a while: say so before the screen waits.
                browser.info(format!("Extracting the claims of {}…", path.display()));
                terminal.draw(|f| crate::ui::browser::draw(f, &mut browser, &theme))?;
                super::extract::for_browser(&path, args.config.as_deref()).map(|out| Report {
                    out,
                    path: Some(path.clone()),
                    ..Report::default()
                })
            }
            Action::Stats(files) => {
                stats(terminal, &dir, &files, &theme).map(|()| Report::default())
            }
        };
        // The screen that ran may have drawn over everything; whatever it wrote is listed.
        guard.terminal.clear()?;
        match outcome {
            Ok(report) => {
                let path = report.path.clone();
                reload(&mut browser, path.as_deref());
                tell(&mut browser, &report);
            }
            Err(e) => {
                reload(&mut browser, None);
                browser.error(format!("{e:#}"));
            }
        }
        watch.changed();
    }
    drop(guard);
    Ok(ExitCode::SUCCESS)
}

/// Reads the directory again into the browser, with the cursor on `select` if it is listed.
fn reload(browser: &mut Browser, select: Option<&Path>) {
    match Index::open(&browser.index.dir) {
        Ok(index) => {
            browser.reload(index);
            if let Some(name) = select.and_then(Path::file_name) {
                browser.select_file(&name.to_string_lossy());
            }
        }
        Err(e) => browser.error(format!(
            "cannot read the sessions directory {} again: {e}",
            browser.index.dir.display()
        )),
    }
}

/// What a screen reported, as the browser's notice: its errors first.
fn tell(browser: &mut Browser, report: &Report) {
    let lines: Vec<&str> = report
        .err
        .iter()
        .chain(&report.out)
        .map(String::as_str)
        .collect();
    if lines.is_empty() {
        return;
    }
    let text = lines.join(" · ");
    if report.code == 0 {
        browser.info(text);
    } else {
        browser.error(text);
    }
}

/// Notices changes to the directory by its modification time, which changes whenever a file
/// is added, removed or renamed into it (agon saves by renaming a finished file over the old
/// one), for the cost of one `stat` a second.
struct Watch {
    dir: PathBuf,
    stamp: Option<SystemTime>,
    last: Instant,
}

impl Watch {
    fn new(dir: &Path) -> Watch {
        Watch {
            dir: dir.to_path_buf(),
            stamp: stamp(dir),
            last: Instant::now(),
        }
    }

    fn due(&self) -> bool {
        self.last.elapsed() >= WATCH_EVERY
    }

    /// Whether the directory changed since the last look; looks again.
    fn changed(&mut self) -> bool {
        self.last = Instant::now();
        let now = stamp(&self.dir);
        std::mem::replace(&mut self.stamp, now) != now
    }
}

fn stamp(dir: &Path) -> Option<SystemTime> {
    std::fs::metadata(dir).and_then(|m| m.modified()).ok()
}

/// Writes an export of `session` to `out` (relative to the working directory), never over an
/// existing file.
fn export(session: &Path, format: crate::export::Format, out: &Path) -> Result<Report> {
    let out = std::path::absolute(out)
        .with_context(|| format!("cannot tell where {} is", out.display()))?;
    // Checked first so that a taken name is said before the session is read; `write_new`
    // refuses it again at the write, should the name be taken meanwhile.
    if std::fs::symlink_metadata(&out).is_ok() {
        anyhow::bail!("{} already exists: nothing was written", out.display());
    }
    let loaded = storage::load(session)?;
    let text = crate::export::export(&loaded.session, format);
    crate::export::write_new(&out, text.as_bytes())?;
    Ok(Report {
        out: vec![format!("Exported to {}", out.display())],
        ..Report::default()
    })
}

/// The stats screen over the sessions listed in the browser.
fn stats(
    terminal: &mut ratatui::DefaultTerminal,
    dir: &Path,
    files: &[String],
    theme: &Theme,
) -> Result<()> {
    use crate::stats::{Dataset, Field, Query};
    let mut data = Dataset::open(dir)
        .with_context(|| format!("cannot read the sessions directory {}", dir.display()))?;
    let listed: std::collections::HashSet<&str> = files.iter().map(String::as_str).collect();
    data.records.retain(|r| listed.contains(r.file.as_str()));
    data.broken.retain(|b| listed.contains(b.file.as_str()));
    let query = Query {
        filters: Vec::new(),
        by: vec![Field::Protocol, Field::Debaters],
    };
    super::stats::show_on(terminal, crate::stats::analyse(&data, &query), theme)
}
