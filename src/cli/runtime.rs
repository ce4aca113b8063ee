//! The edge where effects happen: terminal input, provider streams, saves, signals and timers
//! all become `Msg`s on one channel; the loop drains it, updates the app, and draws at most once
//! per frame, only when something changed.

use crate::app::{App, Effect, Msg};
use crate::domain::{Session, Side};
use crate::providers::{Provider, StreamEvent};
use crate::storage;
use anyhow::Result;
use futures_util::StreamExt;
use ratatui::crossterm::event::{self, Event};
use ratatui::{Terminal, backend::Backend};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::{AbortHandle, JoinHandle};

const FRAME: Duration = Duration::from_millis(16);
const TICK: Duration = Duration::from_millis(150);
/// How long to wait for the last save when quitting.
const FINAL_SAVE_TIMEOUT: Duration = Duration::from_secs(10);

/// The debaters of the two sides.
#[derive(Clone)]
pub struct Debaters {
    pub a: Arc<dyn Provider>,
    pub b: Arc<dyn Provider>,
}

impl Debaters {
    pub fn both(provider: Arc<dyn Provider>) -> Self {
        Debaters {
            a: provider.clone(),
            b: provider,
        }
    }

    fn of(&self, side: Side) -> &Arc<dyn Provider> {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }
}

/// Leaves the screen, lets the judge edit text in `$EDITOR`, comes back; returns the text.
pub type EditorFn = Box<dyn FnMut(&str) -> Result<String, String>>;

/// Runs the app until the judge quits. Returns the app, for the caller to report on.
pub async fn run<B: Backend>(
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
    let ticker = spawn_ticker(tx.clone());
    let (save_tx, saver) = spawn_saver(tx.clone());
    let mut runner = EffectRunner {
        tx: tx.clone(),
        debaters,
        turns: HashMap::new(),
        save_tx: Some(save_tx),
        editor_request: None,
    };

    let effects = app.start(OffsetDateTime::now_utc());
    let mut quit = runner.run_all(effects);
    let mut last_draw: Option<Instant> = None;
    while !quit {
        if app.take_dirty() {
            terminal.draw(|f| crate::ui::draw(f, &mut app))?;
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
            quit |= runner.run_all(effects);
            if quit {
                break;
            }
        }
        if let Some(initial) = runner.editor_request.take() {
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
            quit |= runner.run_all(effects);
        }
    }
    if app.is_quitting() {
        terminal.draw(|f| crate::ui::draw(f, &mut app))?;
    }

    stop_input.store(true, Ordering::Relaxed);
    ticker.abort();
    runner.abort_all();
    // Let the saver write the last snapshot, then collect its reports.
    drop(runner.save_tx.take());
    if tokio::time::timeout(FINAL_SAVE_TIMEOUT, saver)
        .await
        .is_err()
    {
        tracing::error!("the final save did not finish in time");
    }
    while let Ok(m) = rx.try_recv() {
        if let Msg::Saved(_) = m {
            app.update(m, OffsetDateTime::now_utc());
        }
    }
    let _ = input.join();
    Ok(app)
}

struct EffectRunner {
    tx: UnboundedSender<Msg>,
    debaters: Debaters,
    turns: HashMap<usize, AbortHandle>,
    save_tx: Option<UnboundedSender<SaveJob>>,
    /// Text the judge wants to edit in `$EDITOR`, run by the loop (it needs the terminal).
    editor_request: Option<String>,
}

impl EffectRunner {
    /// Carries out effects; returns true when the app asked to quit.
    fn run_all(&mut self, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        for effect in effects {
            match effect {
                Effect::StartTurn { side, request } => {
                    let turn = request.turn;
                    let stream = self.debaters.of(side).stream_turn(request);
                    let handle = tokio::spawn(pump_stream(turn, stream, self.tx.clone()));
                    self.turns.retain(|_, h| !h.is_finished());
                    self.turns.insert(turn, handle.abort_handle());
                }
                Effect::CancelTurn { turn } => {
                    if let Some(h) = self.turns.remove(&turn) {
                        h.abort();
                    }
                }
                Effect::Save { path, session } => {
                    if let Some(tx) = &self.save_tx {
                        let _ = tx.send(SaveJob { path, session });
                    }
                }
                Effect::Editor { initial } => self.editor_request = Some(initial),
                Effect::Quit => quit = true,
            }
        }
        quit
    }

    fn abort_all(&mut self) {
        for (_, h) in self.turns.drain() {
            h.abort();
        }
    }
}

/// Forwards a turn's stream to the app. A stream that ends without `Done` was cut short.
async fn pump_stream(
    turn: usize,
    mut stream: crate::providers::TurnStream,
    tx: UnboundedSender<Msg>,
) {
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => {
                let done = matches!(event, StreamEvent::Done(_));
                if tx.send(Msg::Stream { turn, event }).is_err() || done {
                    return;
                }
            }
            Err(e) => {
                let _ = tx.send(Msg::StreamFailed {
                    turn,
                    error: e.message,
                });
                return;
            }
        }
    }
    let _ = tx.send(Msg::StreamFailed {
        turn,
        error: "the stream ended before the turn was complete".into(),
    });
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
                    let _ = tx.send(Msg::Terminate);
                    return;
                }
            }
            let msg = match event::read() {
                Ok(Event::Key(key)) => Msg::Key(key),
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(Event::Resize(..)) => Msg::Resize,
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("terminal input failed: {e}");
                    Msg::Terminate
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
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
            _ = int.recv() => {}
        }
        let _ = tx.send(Msg::Terminate);
    });
}

fn spawn_ticker(tx: UnboundedSender<Msg>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TICK);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            if tx.send(Msg::Tick).is_err() {
                return;
            }
        }
    })
}

/// A snapshot to write.
struct SaveJob {
    path: PathBuf,
    session: Box<Session>,
}

/// One writer for session files: snapshots queue up, only the newest for each file is written,
/// and writes happen off the async threads. Each snapshot gets one `Saved` report.
fn spawn_saver(tx: UnboundedSender<Msg>) -> (UnboundedSender<SaveJob>, JoinHandle<()>) {
    let (save_tx, mut save_rx): (UnboundedSender<SaveJob>, UnboundedReceiver<SaveJob>) =
        unbounded_channel();
    let task = tokio::spawn(async move {
        while let Some(first) = save_rx.recv().await {
            // Coalesce what queued up: the newest snapshot per path wins.
            let mut batch: Vec<(SaveJob, usize)> = vec![(first, 1)];
            while let Ok(job) = save_rx.try_recv() {
                match batch.iter_mut().find(|(j, _)| j.path == job.path) {
                    Some(slot) => {
                        slot.0 = job;
                        slot.1 += 1;
                    }
                    None => batch.push((job, 1)),
                }
            }
            for (job, count) in batch {
                let result = match tokio::task::spawn_blocking(move || {
                    storage::save_atomic(&job.path, &job.session)
                        .map_err(|e| format!("{}: {e}", job.path.display()))
                })
                .await
                {
                    Ok(r) => r,
                    Err(e) => Err(format!("save task failed: {e}")),
                };
                if let Err(e) = &result {
                    tracing::error!("saving the session failed: {e}");
                }
                for _ in 0..count {
                    let _ = tx.send(Msg::Saved(result.clone()));
                }
            }
        }
    });
    (save_tx, task)
}
