//! The TUI's event loop: terminal input, signals and the engine's driver all become `Msg`s on
//! one channel; the loop takes one, drains what else queued up, updates the app, and draws at
//! most once per frame, only when something changed.

use crate::app::{App, Effect, Msg};
use crate::engine::driver::{Debaters, Driver};
use crate::ui::Ui;
use anyhow::Result;
use ratatui::crossterm::event::{self, Event, MouseEventKind};
use ratatui::{Terminal, backend::Backend};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

const FRAME: Duration = Duration::from_millis(16);
/// How long to wait for the last save when quitting.
const FINAL_SAVE_TIMEOUT: Duration = Duration::from_secs(10);

/// Leaves the screen, lets the judge edit text in `$EDITOR`, comes back; returns the text.
pub type EditorFn = Box<dyn FnMut(&str) -> Result<String, String>>;

/// Runs the app until the judge quits. Returns the app, for the caller to report on.
pub async fn run<B: Backend + std::io::Write>(
    mut app: App,
    debaters: Debaters,
    terminal: &mut Terminal<B>,
    mut editor: Option<EditorFn>,
) -> Result<App>
where
    B::Error: Send + Sync + 'static,
{
    let (tx, mut rx) = unbounded_channel::<Msg>();
    let stop_input = Arc::new(AtomicBool::new(false));
    let pause_input = Arc::new(AtomicBool::new(false));
    let input = spawn_input_thread(tx.clone(), stop_input.clone(), pause_input.clone());
    spawn_signal_listener(tx.clone());
    let engine_tx = tx.clone();
    let mut driver = Driver::new(
        debaters,
        Arc::new(move |input| {
            let _ = engine_tx.send(Msg::Engine(input));
        }),
    );
    let mut ui = Ui::default();
    if let Ok(size) = terminal.size() {
        app.update(
            Msg::Resize {
                width: size.width,
                height: size.height,
            },
            OffsetDateTime::now_utc(),
        );
    }
    let effects = app.start(OffsetDateTime::now_utc());
    let mut pending = Pending::default();
    let mut quit = carry_out(effects, &mut driver, &app, &mut pending);
    let mut last_draw: Option<Instant> = None;
    while !quit {
        if app.take_dirty() {
            let now = OffsetDateTime::now_utc();
            terminal.draw(|f| crate::ui::draw(f, &app, &mut ui, now))?;
            last_draw = Some(Instant::now());
        }
        // Cap the frame rate: let messages pile up until the frame is due, then take them all.
        if let Some(t) = last_draw {
            tokio::time::sleep_until((t + FRAME).into()).await;
        }
        let Some(first) = rx.recv().await else { break };
        let mut msg = Some(first);
        while let Some(m) = msg.take().or_else(|| rx.try_recv().ok()) {
            let effects = app.update(m, OffsetDateTime::now_utc());
            quit |= carry_out(effects, &mut driver, &app, &mut pending);
            if quit {
                break;
            }
        }
        for text in pending.copies.drain(..) {
            // Between frames, so the sequence never lands inside a frame's output.
            if let Err(e) = super::terminal::copy_to_clipboard(terminal.backend_mut(), &text) {
                tracing::warn!("the copy did not reach the terminal: {e}");
            }
        }
        if let Some(initial) = pending.editor.take() {
            let result = match editor.as_mut() {
                Some(edit) => {
                    // The editor owns the terminal until it exits: stop reading keys meanwhile.
                    pause_input.store(true, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(80)).await;
                    let result = edit(&initial);
                    pause_input.store(false, Ordering::SeqCst);
                    terminal.clear()?;
                    result
                }
                None => Err("no editor is available here".into()),
            };
            let effects = app.update(Msg::EditorDone(result), OffsetDateTime::now_utc());
            quit |= carry_out(effects, &mut driver, &app, &mut pending);
        }
    }
    if app.is_quitting() {
        let now = OffsetDateTime::now_utc();
        terminal.draw(|f| crate::ui::draw(f, &app, &mut ui, now))?;
    }
    stop_input.store(true, Ordering::Relaxed);
    // Let the saver write the last snapshot, then take in its reports.
    if !driver.shutdown(FINAL_SAVE_TIMEOUT).await {
        tracing::error!("the final save did not finish in time");
    }
    while let Ok(m) = rx.try_recv() {
        if matches!(m, Msg::Engine(crate::engine::Input::Saved { .. })) {
            app.update(m, OffsetDateTime::now_utc());
        }
    }
    let _ = input.join();
    Ok(app)
}

/// Work the loop itself does between messages (it needs the terminal).
#[derive(Default)]
struct Pending {
    editor: Option<String>,
    /// Texts for the clipboard.
    copies: Vec<String>,
}

/// Carries out effects; returns true when the app asked to quit.
fn carry_out(effects: Vec<Effect>, driver: &mut Driver, app: &App, pending: &mut Pending) -> bool {
    let mut quit = false;
    for effect in effects {
        match effect {
            Effect::Engine(outputs) => driver.run(&outputs, app.engine.session()),
            Effect::SaveFile(job) => driver.save(job),
            Effect::Editor { initial } => pending.editor = Some(initial),
            Effect::Copy(text) => pending.copies.push(text),
            Effect::Quit => quit = true,
        }
    }
    quit
}

/// Terminal events are read on a plain thread: crossterm's reads block.
fn spawn_input_thread(
    tx: UnboundedSender<Msg>,
    stop: Arc<AtomicBool>,
    pause: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            if pause.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            match event::poll(Duration::from_millis(50)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    tracing::error!("terminal input failed: {e}");
                    let _ = tx.send(Msg::Terminate("a terminal error"));
                    return;
                }
            }
            let msg = match event::read() {
                Ok(Event::Key(key)) => Msg::Key(key),
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(Event::Resize(width, height)) => Msg::Resize { width, height },
                // Clicks and the wheel; moves and drags would only wake the loop.
                Ok(Event::Mouse(m))
                    if matches!(
                        m.kind,
                        MouseEventKind::Down(_)
                            | MouseEventKind::ScrollUp
                            | MouseEventKind::ScrollDown
                    ) =>
                {
                    Msg::Mouse(m)
                }
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("terminal input failed: {e}");
                    Msg::Terminate("a terminal error")
                }
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    })
}

fn spawn_signal_listener(tx: UnboundedSender<Msg>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
        ) else {
            tracing::warn!("could not install signal handlers");
            return;
        };
        let name = tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = hup.recv() => "SIGHUP",
            _ = int.recv() => "SIGINT",
        };
        let _ = tx.send(Msg::Terminate(name));
    });
}
