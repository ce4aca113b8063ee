//! The engine's async edge: runs its outputs on tokio and feeds what happens back as inputs.
//!
//! Requests stream on their own tasks; retry waits are timers; saves go to one writer task
//! that coalesces queued snapshots (only the newest per file is written) and writes off the
//! async threads. Everything comes back through one `sink`, so the TUI and a headless run each
//! decide how inputs reach their engine.

use super::{Asked, FollowupSpec, Input, Output, SaveJob, SaveTarget};
use crate::domain::{Session, Side};
use crate::providers::{
    FollowupRequest, Provider, ProviderError, StreamEvent, TurnRequest, TurnSpec, TurnStream,
};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::{AbortHandle, JoinHandle};

/// How often [`Input::Tick`] is sent (checkpoints of a streaming turn, the screen's clocks).
pub const TICK: Duration = Duration::from_millis(250);

/// The debaters of the two sides, and the LLM judge when there is one.
#[derive(Clone)]
pub struct Debaters {
    pub a: Arc<dyn Provider>,
    pub b: Arc<dyn Provider>,
    /// Answers [`Asked::Judge`] questions.
    pub judge: Option<Arc<dyn Provider>>,
}

impl Debaters {
    pub fn both(provider: Arc<dyn Provider>) -> Self {
        Debaters {
            a: provider.clone(),
            b: provider,
            judge: None,
        }
    }

    /// The same debaters, judged by `judge` as well.
    pub fn judged_by(self, judge: Option<Arc<dyn Provider>>) -> Self {
        Debaters { judge, ..self }
    }

    pub fn of(&self, side: Side) -> &Arc<dyn Provider> {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }
}

/// Where the driver sends what happens.
pub type Sink = Arc<dyn Fn(Input) + Send + Sync>;

pub struct Driver {
    debaters: Debaters,
    sink: Sink,
    requests: HashMap<(usize, u32), AbortHandle>,
    timers: Vec<AbortHandle>,
    saver: Option<UnboundedSender<SaveJob>>,
    saver_task: Option<JoinHandle<()>>,
    ticker: Option<JoinHandle<()>>,
}

impl Driver {
    /// A driver for `debaters`, reporting to `sink`. Must be called inside a tokio runtime.
    pub fn new(debaters: Debaters, sink: Sink) -> Driver {
        let (saver, saver_task) = spawn_saver(sink.clone());
        let tick_sink = sink.clone();
        let ticker = tokio::spawn(async move {
            let mut interval = tokio::time::interval(TICK);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                interval.tick().await;
                tick_sink(Input::Tick);
            }
        });
        Driver {
            debaters,
            sink,
            requests: HashMap::new(),
            timers: Vec::new(),
            saver: Some(saver),
            saver_task: Some(saver_task),
            ticker: Some(ticker),
        }
    }

    /// Carries out the work among `outputs` (events are left to the caller); `session` is the
    /// engine's, for building prompts.
    pub fn run(&mut self, outputs: &[Output], session: &Session) {
        for output in outputs {
            match output {
                Output::Start(spec) => self.start(spec, session),
                Output::Cancel { turn, attempt } => {
                    if let Some(h) = self.requests.remove(&(*turn, *attempt)) {
                        h.abort();
                    }
                }
                Output::Wake {
                    turn,
                    attempt,
                    after,
                } => {
                    let (sink, turn, attempt, after) = (self.sink.clone(), *turn, *attempt, *after);
                    let timer = tokio::spawn(async move {
                        tokio::time::sleep(after).await;
                        sink(Input::RetryDue { turn, attempt });
                    });
                    self.timers.retain(|t| !t.is_finished());
                    self.timers.push(timer.abort_handle());
                }
                Output::Save(job) => self.save(job.clone()),
                Output::Ask { id, to, ask, after } => self.ask(*id, *to, ask, *after),
                Output::Followup(followup) => self.followup(followup, session),
                Output::Event(_) => {}
            }
        }
    }

    /// Writes a session file that is not the engine's own (a fork): its result comes back as
    /// [`Input::Saved`] with its path.
    pub fn save(&mut self, job: SaveJob) {
        if let Some(saver) = &self.saver {
            let key = job.key.clone();
            if saver.send(job).is_err() {
                (self.sink)(Input::Saved {
                    key,
                    path: None,
                    result: Err("the saver has stopped".into()),
                });
            }
        }
    }

    fn start(&mut self, spec: &TurnSpec, session: &Session) {
        let stream = self
            .debaters
            .of(spec.side)
            .stream_turn(TurnRequest { spec, session });
        let (turn, attempt) = (spec.turn, spec.attempt);
        let handle = tokio::spawn(pump(turn, attempt, stream, self.sink.clone()));
        self.requests.retain(|_, h| !h.is_finished());
        self.requests.insert((turn, attempt), handle.abort_handle());
    }

    /// Sends a question outside the turns; the whole reply comes back as [`Input::Answer`].
    fn ask(&mut self, id: u32, to: Asked, ask: &crate::providers::asks::Ask, after: Duration) {
        let provider = match to {
            Asked::Debater(side) => Some(self.debaters.of(side).clone()),
            Asked::Judge => self.debaters.judge.clone(),
        };
        let (sink, ask) = (self.sink.clone(), ask.clone());
        let task = tokio::spawn(async move {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            let result = match provider {
                Some(p) => whole_reply(p.ask(&ask)).await,
                None => Err(ProviderError::new("no LLM judge is configured")),
            };
            sink(Input::Answer { id, result });
        });
        self.timers.retain(|t| !t.is_finished());
        self.timers.push(task.abort_handle());
    }

    /// Asks a debater for its claims; the answer comes back as [`Input::Followup`].
    fn followup(&mut self, followup: &FollowupSpec, session: &Session) {
        let spec = &followup.spec;
        let answer = self
            .debaters
            .of(spec.side)
            .claims_followup(FollowupRequest {
                spec,
                session,
                purpose: followup.purpose,
            });
        let (turn, attempt, sink) = (spec.turn, spec.attempt, self.sink.clone());
        let handle = tokio::spawn(async move {
            let result = answer.await;
            sink(Input::Followup {
                turn,
                attempt,
                result,
            });
        });
        self.requests.retain(|_, h| !h.is_finished());
        self.requests.insert((turn, attempt), handle.abort_handle());
    }

    /// Stops every request and timer, lets the saver write what is queued (for at most
    /// `timeout`), and says whether it finished in time.
    pub async fn shutdown(&mut self, timeout: Duration) -> bool {
        for (_, h) in self.requests.drain() {
            h.abort();
        }
        for t in self.timers.drain(..) {
            t.abort();
        }
        if let Some(t) = self.ticker.take() {
            t.abort();
        }
        drop(self.saver.take());
        match self.saver_task.take() {
            Some(task) => tokio::time::timeout(timeout, task).await.is_ok(),
            None => true,
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        for (_, h) in self.requests.drain() {
            h.abort();
        }
        for t in self.timers.drain(..) {
            t.abort();
        }
        if let Some(t) = self.ticker.take() {
            t.abort();
        }
    }
}

/// Forwards a request's stream. A stream that ends without `Done` was cut short.
async fn pump(turn: usize, attempt: u32, mut stream: TurnStream, sink: Sink) {
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => {
                let done = matches!(event, StreamEvent::Done(_));
                sink(Input::Stream {
                    turn,
                    attempt,
                    event,
                });
                if done {
                    return;
                }
            }
            Err(error) => {
                sink(Input::Failed {
                    turn,
                    attempt,
                    error,
                });
                return;
            }
        }
    }
    sink(Input::Failed {
        turn,
        attempt,
        error: ProviderError::new("the stream ended before the turn was complete"),
    });
}

/// The most of a reply to a question that is kept: a judge's or a chooser's answer is short.
const MAX_REPLY_BYTES: usize = 64 * 1024;

/// A question's reply, whole (up to [`MAX_REPLY_BYTES`]).
async fn whole_reply(mut stream: TurnStream) -> Result<super::Reply, ProviderError> {
    let mut text = String::new();
    while let Some(item) = stream.next().await {
        match item? {
            StreamEvent::Delta(d) => {
                if text.len() < MAX_REPLY_BYTES {
                    text.push_str(&d);
                }
            }
            StreamEvent::Done(stats) => return Ok(super::Reply { text, stats }),
            // An answer is prose: claims and notes meant for turns are not part of it.
            StreamEvent::Claims(_) | StreamEvent::ClaimsLater | StreamEvent::Note(_) => {}
        }
    }
    Err(ProviderError::retryable(
        "the reply ended before it was complete",
        None,
    ))
}

/// A file the saver created for a session: where it is, and the lock that keeps a second
/// agon from writing it while this one runs.
struct Created {
    path: PathBuf,
    _lock: Option<crate::storage::SessionLock>,
}

/// Where a job's session goes: its existing file, or the new file created for it (reserved
/// under a unique name at the first write, and locked).
fn resolve(job: &SaveJob, created: &mut HashMap<String, Created>) -> Result<PathBuf, String> {
    match &job.target {
        SaveTarget::File(path) => Ok(path.clone()),
        SaveTarget::New { dir, name } => {
            if let Some(c) = created.get(&job.key) {
                return Ok(c.path.clone());
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create the sessions folder {}: {e}", dir.display()))?;
            let name = name.clone().unwrap_or_else(|| job.session.file_name());
            let path = crate::storage::create_unique(dir, &name)
                .map_err(|e| format!("cannot create a session file in {}: {e}", dir.display()))?;
            let lock = crate::storage::SessionLock::try_acquire(&path).ok();
            created.insert(
                job.key.clone(),
                Created {
                    path: path.clone(),
                    _lock: lock,
                },
            );
            Ok(path)
        }
    }
}

/// One writer for session files: snapshots queue up, only the newest for each session is
/// written, and writes happen off the async threads. Each snapshot gets one `Saved` report.
fn spawn_saver(sink: Sink) -> (UnboundedSender<SaveJob>, JoinHandle<()>) {
    let (tx, mut rx) = unbounded_channel::<SaveJob>();
    let task = tokio::spawn(async move {
        let mut created: HashMap<String, Created> = HashMap::new();
        while let Some(first) = rx.recv().await {
            // Coalesce what queued up: the newest snapshot per session wins.
            let mut batch: Vec<(SaveJob, usize)> = vec![(first, 1)];
            while let Ok(job) = rx.try_recv() {
                match batch
                    .iter_mut()
                    .find(|(j, _)| j.key == job.key && j.target == job.target)
                {
                    Some(slot) => {
                        slot.0 = job;
                        slot.1 += 1;
                    }
                    None => batch.push((job, 1)),
                }
            }
            for (job, count) in batch {
                let key = job.key.clone();
                let (path, result) = match resolve(&job, &mut created) {
                    Err(e) => (None, Err(e)),
                    Ok(path) => {
                        let target = path.clone();
                        let session = job.session;
                        let written = tokio::task::spawn_blocking(move || {
                            crate::storage::save_atomic(&target, &session)
                                .map_err(|e| format!("{}: {e}", target.display()))
                        })
                        .await;
                        let result = match written {
                            Ok(r) => r,
                            Err(e) => Err(format!("the save task failed: {e}")),
                        };
                        (Some(path), result)
                    }
                };
                if let Err(e) = &result {
                    tracing::error!("saving the session failed: {e}");
                }
                for _ in 0..count {
                    sink(Input::Saved {
                        key: key.clone(),
                        path: path.clone(),
                        result: result.clone(),
                    });
                }
            }
        }
    });
    (tx, task)
}
