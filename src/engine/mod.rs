//! The debate engine: the protocol, without a screen.
//!
//! [`Engine`] owns the session and decides everything about the debate's course: which debater
//! speaks next, drills, retries with backoff and their bound, skip, stop, resume, the judge's
//! actions that change the debate (end early, add a round, messages into prompts), and when
//! the session is saved. It is plain, synchronous Rust: inputs in ([`Input`], [`Command`],
//! judge events), [`Output`]s out. The async edge that runs the outputs (provider streams,
//! timers, the saver) is [`driver`]; the TUI's `App` and `agon run --headless` both drive the
//! same engine, so every protocol exists once.

mod asks;
mod choice;
pub mod driver;
mod followup;
pub mod headless;
pub mod judge;
mod replay;
mod saving;

use crate::domain::random::SplitMix64;
use crate::domain::{
    ClaimTree, EditError, JudgeEventKind, ROOT_ID, RoundKind, Session, SessionStatus, Side,
    TurnOutcome, TurnStatus,
};
use crate::providers::retry::RetryPolicy;
use crate::providers::{FollowupReply, ProviderError, Retry, StreamEvent, TurnSpec};
pub use asks::Asked;
pub use followup::FollowupSpec;
pub use judge::{JudgeWhen, LlmJudge};
pub use saving::{SaveJob, SaveState, SaveTarget};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// Rounds of a drill when the config says nothing.
pub const DEFAULT_DRILL_ROUNDS: u32 = 2;

/// How the engine runs a debate.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Retries of a request that failed before its first token.
    pub retry: RetryPolicy,
    /// Rounds of a drill into a node.
    pub drill_rounds: u32,
    /// A streaming turn's text reaches the file at most this long after it arrived.
    pub checkpoint_every: Duration,
    /// The longest a turn may take from its first request, retries and waits included; past
    /// it, no further retry is made.
    pub turn_deadline: Duration,
    /// Start paused (a replay waits for `n`).
    pub start_paused: bool,
    /// Seeds the jitter of retry waits, so a run can be reproduced.
    pub seed: u64,
    /// An LLM judge that reads the debate beside the human (or alone, in a batch run).
    pub llm_judge: Option<LlmJudge>,
    /// Per side (A, B): when a live turn's claims cannot be read, ask once more for them
    /// alone. Off unless the config turns it on: the demo and replays never ask.
    pub repair_claims: [bool; 2],
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            retry: RetryPolicy::default(),
            drill_rounds: DEFAULT_DRILL_ROUNDS,
            checkpoint_every: Duration::from_millis(1500),
            turn_deadline: Duration::from_secs(600),
            start_paused: false,
            seed: 0x5eed_a907,
            llm_judge: None,
            repair_claims: [false; 2],
        }
    }
}

/// Where the turns come from.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Debaters produce new turns.
    Live,
    /// The turns of a recording are played back, with its judge's actions as they happened.
    Replay { recording: Arc<Session> },
    /// The turns of a recording are played back for another judge, whose work is saved as
    /// judgement `index` of the recording; the earlier judges' work stays hidden.
    Rejudge {
        recording: Arc<Session>,
        index: usize,
        started: OffsetDateTime,
    },
}

/// Something that happened outside the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// An item of request `attempt` for turn `turn`.
    Stream {
        turn: usize,
        attempt: u32,
        event: StreamEvent,
    },
    /// Request `attempt` for turn `turn` failed, or its stream ended without `Done`.
    Failed {
        turn: usize,
        attempt: u32,
        error: ProviderError,
    },
    /// The wait before retrying turn `turn` with request `attempt` is over.
    RetryDue { turn: usize, attempt: u32 },
    /// Follow-up `attempt` for the claims of turn `turn` answered, or failed.
    Followup {
        turn: usize,
        attempt: u32,
        result: Result<FollowupReply, ProviderError>,
    },
    /// Time passes: checkpoints of a streaming turn.
    Tick,
    /// A save of session `key` finished (to `path`, once the file exists).
    Saved {
        key: String,
        path: Option<PathBuf>,
        result: Result<(), String>,
    },
    /// The reply to question `id` ([`Output::Ask`]), whole, or why there is none.
    Answer {
        id: u32,
        result: Result<Reply, ProviderError>,
    },
}

/// A whole answer to a question, and what its request cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub text: String,
    pub stats: crate::domain::TurnStats,
}

impl From<&str> for Reply {
    fn from(text: &str) -> Reply {
        Reply {
            text: text.to_string(),
            stats: crate::domain::TurnStats::default(),
        }
    }
}

/// What the judge (or a batch run) asks of the debate.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Pause between turns, or resume.
    TogglePause,
    /// Play one more turn while paused (one round, when rounds are simultaneous).
    Step,
    /// Stop the streaming turn(s), keeping what was said.
    Stop,
    /// Stream a failed or stopped turn again.
    Retry,
    /// Move on from a failed or stopped turn.
    Skip,
    /// End the main debate before its last round.
    EndEarly { reason: String },
    /// Add a round to the main debate.
    AddRound,
    /// A question or instruction for one debater or both, into their next prompts.
    Message { to: Option<Side>, text: String },
    /// A focused sub-debate on a node (started, or returned to).
    Drill { node: String },
    /// Back out of the innermost drill.
    Up,
    /// In a replay: show the debate as it stood after `n` turns.
    Seek(usize),
    /// Stop everything and save: the debate ends here for now.
    Quit(QuitReason),
}

/// Why a turn found streaming when a live session starts ended: agon was killed meanwhile.
pub const CUT_OFF: &str = "agon stopped while this turn streamed";

/// Why a debate stopped with a turn still streaming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuitReason {
    /// The judge quit.
    Judge,
    /// The process was told to stop (SIGTERM, SIGHUP, SIGINT).
    Signal(&'static str),
}

impl QuitReason {
    fn stop_reason(self) -> String {
        match self {
            QuitReason::Judge => "the judge quit while the turn was streaming".into(),
            QuitReason::Signal(name) => {
                format!("agon was stopped ({name}) while the turn was streaming")
            }
        }
    }
}

/// Work for the async edge, or news for whoever shows the debate.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Send request `spec.attempt` for a turn; its items come back as [`Input::Stream`].
    Start(TurnSpec),
    /// Abandon a request.
    Cancel {
        turn: usize,
        attempt: u32,
    },
    /// Send [`Input::RetryDue`] after `after`.
    Wake {
        turn: usize,
        attempt: u32,
        after: Duration,
    },
    /// Write a session file.
    Save(SaveJob),
    /// Put a question to a model outside the turns (after `after`, when it is a retry); the
    /// whole reply comes back as [`Input::Answer`].
    Ask {
        id: u32,
        to: Asked,
        ask: crate::providers::asks::Ask,
        after: Duration,
    },
    /// Ask a debater for the claims of its finished speech; the answer comes back as
    /// [`Input::Followup`]. [`Output::Cancel`] with its attempt abandons it.
    Followup(FollowupSpec),
    Event(Event),
}

/// What happened, for the screen's notices and a batch run's log.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    TurnStarted {
        turn: usize,
    },
    /// A request failed before its first token; retry `retry` follows after `wait`.
    Retrying {
        turn: usize,
        retry: u32,
        wait: Duration,
        reason: String,
    },
    TurnComplete {
        turn: usize,
    },
    /// A turn failed for good (after the retries it was allowed).
    TurnFailed {
        turn: usize,
        error: String,
        attempts: u32,
    },
    TurnStopped {
        turn: usize,
    },
    TurnSkipped {
        turn: usize,
    },
    /// The main debate has nothing left to play.
    DebateOver,
    /// The drill on `node` has nothing left to play.
    DrillOver {
        node: String,
    },
    Paused,
    Resumed,
    Drilled {
        node: String,
    },
    /// Back in `scope` from a drill.
    Up {
        scope: String,
    },
    EndedEarly,
    RoundAdded {
        rounds: u32,
    },
    MessageSent {
        to: Option<Side>,
    },
    /// In a replay, the recorded judge's actions after a turn (`None`: before the first).
    Timeline {
        after_turn: Option<usize>,
        actions: Vec<JudgeEventKind>,
    },
    /// A replay went to turn `turn` of `of`.
    Seeked {
        turn: usize,
        of: usize,
    },
    /// A command that could not be done now.
    Refused(Refusal),
    /// Open roles: the debater of `side` chose answer `answer` (0 or 1, in the question's
    /// order); `None`: it named none, and the seeded draw stands.
    Chose {
        side: Side,
        answer: Option<u8>,
    },
    /// The LLM judge's credence after a turn (`None`: before the first).
    LlmCredence {
        after_turn: Option<usize>,
        p_a: f64,
    },
    /// The LLM judge's verdict, from its last credence.
    LlmVerdict {
        winner: Side,
        confidence: f64,
    },
    /// A question to a model got no usable answer.
    AskFailed {
        what: String,
        error: String,
    },
}

/// Why a command was not carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotLive,
    NothingToRetry,
    NothingToSkip,
    NothingToStop,
    NotPaused,
    NoTurnsLeft,
    AlreadyOver,
    EndedEarly,
    FirstTurnFirst,
    /// The debate is over: a message would reach no debater's prompt.
    NoOneToHear,
    WhileStreaming,
    AlreadyInDrill(String),
    RootIsTheDebate,
    InMainDebate,
    ForwardOnly,
    Edit(EditError),
}

/// A request under way for a turn.
#[derive(Debug, Clone, PartialEq)]
struct Live {
    turn: usize,
    attempt: u32,
    requested_at: OffsetDateTime,
    first_token_at: Option<OffsetDateTime>,
}

/// A retry waiting for its time.
#[derive(Debug, Clone, PartialEq)]
struct Wait {
    turn: usize,
    attempt: u32,
    retry: u32,
    until: OffsetDateTime,
    reason: String,
}

/// What a turn is doing right now, for the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Activity {
    /// The request is out; no word yet.
    WaitingForFirstToken { turn: usize, since: OffsetDateTime },
    /// Words are arriving.
    Streaming {
        turn: usize,
        first_token_at: OffsetDateTime,
    },
    /// Retry `retry` is due at `at`.
    RetryDue {
        turn: usize,
        retry: u32,
        at: OffsetDateTime,
        reason: String,
    },
    /// The speech is done; a follow-up asks for its claims.
    ReadingClaims { turn: usize, since: OffsetDateTime },
}

pub struct Engine {
    session: Session,
    mode: Mode,
    cfg: EngineConfig,
    saving: SaveState,
    /// The debates the judge is in: `root`, then each drill, innermost last.
    scope: Vec<String>,
    paused: bool,
    /// The pause came from a failed turn, not the judge: retrying or skipping it resumes.
    paused_by_failure: bool,
    /// Turns still to play while paused.
    steps: u32,
    live: Vec<Live>,
    waits: Vec<Wait>,
    /// Numbers requests.
    next_attempt: u32,
    /// Claims that came apart from the text, and follow-ups for them.
    claims: followup::Claims,
    quitting: bool,
    /// Whether "nothing left to play" was said for the current scope.
    over_said: bool,
    rng: SplitMix64,
    out: Vec<Output>,
    /// Questions to models sent and not answered yet.
    asks: Vec<asks::Pending>,
    next_ask: u32,
    /// The main debate is over for the LLM judge: its verdict is due.
    llm_end: bool,
}

impl Engine {
    /// An engine for `session`, saving to `save_to` (none: never saved).
    pub fn new(
        session: Session,
        mode: Mode,
        cfg: EngineConfig,
        save_to: Option<SaveTarget>,
    ) -> Self {
        let paused = cfg.start_paused;
        let seed = cfg.seed;
        Engine {
            saving: SaveState::new(save_to),
            session,
            mode,
            cfg,
            scope: vec![ROOT_ID.to_string()],
            paused,
            paused_by_failure: false,
            steps: 0,
            live: Vec::new(),
            waits: Vec::new(),
            next_attempt: 1,
            claims: followup::Claims::default(),
            quitting: false,
            over_said: false,
            rng: SplitMix64::new(seed),
            out: Vec::new(),
            asks: Vec::new(),
            next_ask: 1,
            llm_end: false,
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    pub fn config(&self) -> &EngineConfig {
        &self.cfg
    }

    pub fn saving(&self) -> &SaveState {
        &self.saving
    }

    pub fn is_live(&self) -> bool {
        matches!(self.mode, Mode::Live)
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    pub fn is_quitting(&self) -> bool {
        self.quitting
    }

    /// The debate the judge is in: `root` or the node of the innermost drill.
    pub fn scope(&self) -> &str {
        self.scope.last().map_or(ROOT_ID, String::as_str)
    }

    /// `root`, then each drill the judge is in.
    pub fn scope_path(&self) -> &[String] {
        &self.scope
    }

    /// The recording a replay or re-judgement plays back.
    pub fn recording(&self) -> Option<&Arc<Session>> {
        match &self.mode {
            Mode::Live => None,
            Mode::Replay { recording } | Mode::Rejudge { recording, .. } => Some(recording),
        }
    }

    /// What each turn under way is doing.
    pub fn activity(&self) -> Vec<Activity> {
        let mut out: Vec<Activity> = self
            .live
            .iter()
            .map(|l| match l.first_token_at {
                Some(first) => Activity::Streaming {
                    turn: l.turn,
                    first_token_at: first,
                },
                None => Activity::WaitingForFirstToken {
                    turn: l.turn,
                    since: l.requested_at,
                },
            })
            .collect();
        out.extend(self.waits.iter().map(|w| Activity::RetryDue {
            turn: w.turn,
            retry: w.retry,
            at: w.until,
            reason: w.reason.clone(),
        }));
        out.extend(self.claims.activity());
        out
    }

    /// Whether a turn's text is kept from the judge for now: in a simultaneous round, neither
    /// speech shows until both are done.
    pub fn is_hidden(&self, turn: usize) -> bool {
        let Some(t) = self.session.turn(turn) else {
            return false;
        };
        if self.session.protocol.kind != RoundKind::Simultaneous || t.scope != ROOT_ID {
            return false;
        }
        self.session.streaming_turns().into_iter().any(|s| {
            self.session
                .turn(s)
                .is_some_and(|o| o.round == t.round && o.scope == t.scope)
        })
    }

    /// True when nothing is under way and nothing is left to play in the current scope.
    pub fn is_finished(&self) -> bool {
        self.live.is_empty()
            && self.waits.is_empty()
            && !self.claims.busy()
            && self.next_slots().is_empty()
    }

    /// Finished, and every question to a model (the LLM judge's) answered: a batch run may end.
    pub fn is_settled(&self) -> bool {
        self.is_finished() && self.asks.is_empty()
    }

    /// The outputs produced since the last call.
    pub fn take_outputs(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.out)
    }

    fn emit(&mut self, event: Event) {
        self.out.push(Output::Event(event));
    }

    fn refuse(&mut self, why: Refusal) {
        self.emit(Event::Refused(why));
    }

    /// Begins the debate: the first save, the recorded judge's actions before any turn (in a
    /// replay), and the first turn unless paused. A live session that a crash left with a
    /// turn streaming (a checkpoint of it) plays that turn again first.
    pub fn start(&mut self, now: OffsetDateTime) -> Vec<Output> {
        self.replay_timeline(None);
        let cut_off = self.close_cut_off_turns(now);
        if cut_off.is_empty() || self.paused {
            // Paused, a cut-off turn waits for the judge like any stopped turn (`r`, `s`).
            self.save(false);
            if !self.ask_choice_first() {
                self.advance(now);
            }
        } else {
            for turn in cut_off {
                self.session.retry_turn(turn, now);
                self.emit(Event::TurnStarted { turn });
                self.request(turn, now);
            }
            self.save(false);
        }
        self.take_outputs()
    }

    /// Closes as stopped the turns a live session holds still streaming: no request is behind
    /// them any more (agon was killed while they streamed). Their text stays, and becomes an
    /// attempt of the turn when it is played again. Returns them.
    fn close_cut_off_turns(&mut self, now: OffsetDateTime) -> Vec<usize> {
        if !self.is_live() {
            return Vec::new();
        }
        let turns = self.session.streaming_turns();
        for &turn in &turns {
            self.session
                .finish_turn(turn, TurnOutcome::Stopped(CUT_OFF.into()), None, now);
        }
        turns
    }

    /// Something happened outside: a streamed item, a failure, a timer, a finished save.
    pub fn handle(&mut self, input: Input, now: OffsetDateTime) -> Vec<Output> {
        match input {
            Input::Stream {
                turn,
                attempt,
                event,
            } => self.on_stream(turn, attempt, event, now),
            Input::Failed {
                turn,
                attempt,
                error,
            } => self.on_failed(turn, attempt, error, now),
            Input::RetryDue { turn, attempt } => self.on_retry_due(turn, attempt, now),
            Input::Followup {
                turn,
                attempt,
                result,
            } => self.on_followup(turn, attempt, result, now),
            Input::Tick => self.checkpoint(now),
            Input::Saved { key, path, result } => {
                let own = self.save_key();
                self.saving.finished(&key, &own, path.as_deref(), result);
            }
            Input::Answer { id, result } => self.on_answer(id, result, now),
        }
        self.take_outputs()
    }

    /// The judge (or a batch run) asks for something.
    pub fn command(&mut self, command: Command, now: OffsetDateTime) -> Vec<Output> {
        match command {
            Command::TogglePause => {
                self.paused_by_failure = false;
                self.paused = !self.paused;
                self.steps = 0;
                self.emit(if self.paused {
                    Event::Paused
                } else {
                    Event::Resumed
                });
                self.advance(now);
            }
            Command::Step => self.step(now),
            Command::Stop => self.stop(now),
            Command::Retry => self.retry(now),
            Command::Skip => self.skip(now),
            Command::EndEarly { reason } => self.end_early(reason, now),
            Command::AddRound => self.add_round(now),
            Command::Message { to, text } => self.message(to, text, now),
            Command::Drill { node } => self.drill(node, now),
            Command::Up => self.up(),
            Command::Seek(n) => self.seek(n),
            Command::Quit(reason) => self.quit(reason, now),
        }
        self.take_outputs()
    }

    /// Records a judge's action (credence, verdict, annotation, ruling, tree edit) and saves.
    pub fn judge(
        &mut self,
        kind: JudgeEventKind,
        now: OffsetDateTime,
    ) -> Result<Vec<Output>, EditError> {
        self.session.judge(kind, now)?;
        self.save(false);
        Ok(self.take_outputs())
    }

    /// Takes back the judge's last action. `None` if there was none.
    pub fn undo(&mut self, now: OffsetDateTime) -> Option<(JudgeEventKind, Vec<Output>)> {
        let undone = self.session.undo(now)?;
        // A drill that was undone cannot stay open.
        while self.scope.len() > 1 && self.session.drill_rounds(self.scope()).is_none() {
            self.scope.pop();
        }
        self.save(true);
        Some((undone.kind, self.take_outputs()))
    }

    /// Sets the question before the debate starts (the judge typed it in the start dialog).
    pub fn set_question(&mut self, question: String, now: OffsetDateTime) {
        self.session.tree = ClaimTree::new(&question);
        self.session.question = question;
        self.session.updated_at = now;
    }

    /// Sets the answers and the protocol before the debate starts.
    pub fn set_setup(
        &mut self,
        positions: crate::domain::Positions,
        rounds: u32,
        kind: RoundKind,
        format: crate::domain::Format,
    ) {
        if !self.session.turns().is_empty() {
            return;
        }
        self.session.positions = positions;
        self.session.protocol.rounds = rounds.max(1);
        self.session.protocol.kind = kind;
        self.session.protocol.format = format;
        if format == crate::domain::Format::Consultancy {
            self.session.debaters.truncate(1);
        }
        self.session.reindex();
    }

    fn step(&mut self, now: OffsetDateTime) {
        if !self.paused {
            return self.refuse(Refusal::NotPaused);
        }
        if self.next_slots().is_empty() && self.live.is_empty() {
            return self.refuse(Refusal::NoTurnsLeft);
        }
        self.steps = self.steps.saturating_add(1);
        self.advance(now);
    }

    /// The slots to play next: from the protocol when live, from the recording in a replay.
    fn next_slots(&self) -> Vec<(u32, Side, String)> {
        match &self.mode {
            Mode::Live => {
                let scope = self.scope().to_string();
                self.session
                    .pending_slots(&scope)
                    .into_iter()
                    .map(|(round, side)| (round, side, scope.clone()))
                    .collect()
            }
            Mode::Replay { recording } | Mode::Rejudge { recording, .. } => recording
                .turn(self.session.turns().len())
                .map(|t| vec![(t.round, t.side, t.scope.clone())])
                .unwrap_or_default(),
        }
    }

    /// Starts the next turn(s) if the debate may go on.
    fn advance(&mut self, now: OffsetDateTime) {
        if self.quitting || !self.live.is_empty() || !self.waits.is_empty() || self.claims.busy() {
            return;
        }
        if self.session.unresolved_turn().is_some() && self.is_live() {
            // A failed or stopped turn waits for the judge: retry it or skip it.
            return;
        }
        if self.asking(|p| matches!(p, asks::Purpose::Choice(_))) {
            // Open roles: nobody speaks before the chooser has chosen.
            return;
        }
        if self.paused && self.steps == 0 {
            return;
        }
        let slots = self.next_slots();
        if slots.is_empty() {
            if !self.over_said && self.is_live() {
                self.over_said = true;
                let event = if self.scope() == ROOT_ID {
                    self.judge_at_end(now);
                    Event::DebateOver
                } else {
                    Event::DrillOver {
                        node: self.scope().to_string(),
                    }
                };
                self.emit(event);
            }
            return;
        }
        self.over_said = false;
        if self.paused {
            self.steps = self.steps.saturating_sub(1);
        }
        for (round, side, scope) in slots {
            self.follow_scope(&scope);
            let turn = self.session.begin_turn(side, round, &scope, now);
            self.emit(Event::TurnStarted { turn });
            self.request(turn, now);
        }
    }

    /// A fresh attempt at a request for `turn` (its speech, or a follow-up for its claims):
    /// each request has its own attempt number, so a late answer to an abandoned one is known.
    fn new_attempt(&mut self, turn: usize) -> Option<TurnSpec> {
        let t = self.session.turn(turn)?;
        let spec = TurnSpec {
            turn,
            attempt: self.next_attempt,
            side: t.side,
            round: t.round,
            scope: t.scope.clone(),
        };
        self.next_attempt = self.next_attempt.wrapping_add(1);
        Some(spec)
    }

    /// Sends a new request for `turn`.
    fn request(&mut self, turn: usize, now: OffsetDateTime) {
        let Some(spec) = self.new_attempt(turn) else {
            return;
        };
        self.live.push(Live {
            turn,
            attempt: spec.attempt,
            requested_at: now,
            first_token_at: None,
        });
        self.out.push(Output::Start(spec));
    }

    fn live_index(&self, turn: usize, attempt: u32) -> Option<usize> {
        self.live
            .iter()
            .position(|l| l.turn == turn && l.attempt == attempt)
    }

    fn on_stream(&mut self, turn: usize, attempt: u32, event: StreamEvent, now: OffsetDateTime) {
        // A late item of a request that was stopped or replaced is dropped.
        let Some(i) = self.live_index(turn, attempt) else {
            return;
        };
        if self.claims.gather(turn, attempt, &event) {
            return;
        }
        match event {
            StreamEvent::Delta(text) => {
                if let Some(l) = self.live.get_mut(i) {
                    l.first_token_at.get_or_insert(now);
                }
                self.session.push_text(turn, &text);
                self.saving.text_arrived(now);
                self.checkpoint(now);
            }
            StreamEvent::Done(mut stats) => {
                let live = self.live.remove(i);
                // Timed from the turn's start, so the wait for retries counts: what the judge
                // waited, and what a study reports.
                if let Some(started) = self.session.turn(turn).map(|t| t.started_at) {
                    let ms = |d: time::Duration| u64::try_from(d.whole_milliseconds()).ok();
                    if self.is_live() {
                        stats.time_to_first_token_ms =
                            live.first_token_at.and_then(|f| ms(f - started));
                        stats.total_ms = ms(now - started);
                    }
                }
                let outcome = self.recorded_outcome(turn);
                self.speech_done(turn, attempt, stats, outcome, now);
            }
            StreamEvent::Claims(_) | StreamEvent::ClaimsLater | StreamEvent::Note(_) => {}
        }
    }

    /// Closes a turn whose speech (and follow-up, if one was asked) is done, and moves on.
    fn finish_speech(
        &mut self,
        turn: usize,
        outcome: TurnOutcome,
        stats: crate::domain::TurnStats,
        finish: crate::domain::Finish,
        now: OffsetDateTime,
    ) {
        let complete = outcome == TurnOutcome::Complete;
        self.session
            .finish_turn_with(turn, outcome, Some(stats), finish, now);
        self.emit(if complete {
            Event::TurnComplete { turn }
        } else {
            Event::TurnStopped { turn }
        });
        self.replay_timeline(Some(turn));
        if complete {
            self.judge_after_turn(turn);
        }
        self.save(false);
        self.advance(now);
    }

    /// How a turn ends: complete when live; as it ended in the recording in a replay.
    fn recorded_outcome(&self, turn: usize) -> TurnOutcome {
        let Some(recording) = self.recording() else {
            return TurnOutcome::Complete;
        };
        match recording.turn(turn) {
            Some(t) if t.status == TurnStatus::Failed => {
                TurnOutcome::Failed(t.error.clone().unwrap_or_default())
            }
            Some(t) if t.status == TurnStatus::Stopped => {
                TurnOutcome::Stopped(t.error.clone().unwrap_or_default())
            }
            Some(t) if t.status == TurnStatus::Streaming => {
                TurnOutcome::Stopped("the recording ends in the middle of this turn".into())
            }
            _ => TurnOutcome::Complete,
        }
    }

    fn on_failed(&mut self, turn: usize, attempt: u32, error: ProviderError, now: OffsetDateTime) {
        let Some(i) = self.live_index(turn, attempt) else {
            return;
        };
        let live = self.live.remove(i);
        self.claims.forget(turn, attempt);
        let spoke = live.first_token_at.is_some()
            || self.session.turn(turn).is_some_and(|t| !t.text.is_empty());
        let retries = self.session.turn(turn).map_or(0, |t| t.stats.retries);
        let started = self.session.turn(turn).map_or(now, |t| t.started_at);
        let within_deadline = now - started
            < time::Duration::try_from(self.cfg.turn_deadline).unwrap_or(time::Duration::MAX);
        if let Retry::Yes { server_wait } = error.retry
            && !spoke
            && retries < self.cfg.retry.max_retries
            && within_deadline
        {
            let retry = retries.saturating_add(1);
            let wait = self.cfg.retry.wait(retry, server_wait, self.rng.unit());
            self.session.note_retry(turn);
            let attempt = self.next_attempt;
            self.next_attempt = self.next_attempt.wrapping_add(1);
            let until = now + time::Duration::try_from(wait).unwrap_or(time::Duration::ZERO);
            self.waits.push(Wait {
                turn,
                attempt,
                retry,
                until,
                reason: error.message.clone(),
            });
            self.emit(Event::Retrying {
                turn,
                retry,
                wait,
                reason: error.message,
            });
            self.out.push(Output::Wake {
                turn,
                attempt,
                after: wait,
            });
            return;
        }
        let attempts = retries.saturating_add(1);
        let message = match error.retry {
            Retry::Yes { .. } if !spoke && attempts > 1 => {
                format!("{} (gave up after {attempts} attempts)", error.message)
            }
            _ => error.message,
        };
        self.session
            .finish_turn(turn, TurnOutcome::Failed(message.clone()), None, now);
        self.paused_by_failure = !self.paused;
        self.paused = true;
        self.steps = 0;
        self.emit(Event::TurnFailed {
            turn,
            error: message,
            attempts,
        });
        self.save(false);
    }

    fn on_retry_due(&mut self, turn: usize, attempt: u32, now: OffsetDateTime) {
        let Some(i) = self
            .waits
            .iter()
            .position(|w| w.turn == turn && w.attempt == attempt)
        else {
            return;
        };
        self.waits.remove(i);
        if self.quitting {
            return;
        }
        let spec = match self.session.turn(turn) {
            Some(t) if t.status == TurnStatus::Streaming => TurnSpec {
                turn,
                attempt,
                side: t.side,
                round: t.round,
                scope: t.scope.clone(),
            },
            _ => return,
        };
        self.live.push(Live {
            turn,
            attempt,
            requested_at: now,
            first_token_at: None,
        });
        self.out.push(Output::Start(spec));
    }

    /// Ends every request and wait for the streaming turns, closing them as stopped.
    fn stop_all(&mut self, reason: &str, now: OffsetDateTime) -> Vec<usize> {
        let mut stopped: Vec<usize> = Vec::new();
        for l in std::mem::take(&mut self.live) {
            self.out.push(Output::Cancel {
                turn: l.turn,
                attempt: l.attempt,
            });
            self.claims.forget(l.turn, l.attempt);
            stopped.push(l.turn);
        }
        for w in std::mem::take(&mut self.waits) {
            stopped.push(w.turn);
        }
        stopped.sort_unstable();
        stopped.dedup();
        for &turn in &stopped {
            if self.is_live() {
                self.session
                    .finish_turn(turn, TurnOutcome::Stopped(reason.to_string()), None, now);
            }
        }
        stopped
    }

    fn stop(&mut self, now: OffsetDateTime) {
        if !self.is_live() {
            return self.refuse(Refusal::NotLive);
        }
        let settled = self.settle_followups(now);
        let stopped = self.stop_all("stopped by the judge", now);
        if stopped.is_empty() {
            if settled > 0 {
                self.paused = true;
                self.steps = 0;
                self.save(false);
                return;
            }
            return self.refuse(Refusal::NothingToStop);
        }
        self.paused = true;
        self.steps = 0;
        for turn in stopped {
            self.emit(Event::TurnStopped { turn });
        }
        self.save(false);
    }

    fn retry(&mut self, now: OffsetDateTime) {
        let target = self.session.unresolved_turn();
        match target {
            Some(turn) if self.is_live() && self.live.is_empty() && self.waits.is_empty() => {
                self.resume_after_failure();
                self.session.retry_turn(turn, now);
                self.emit(Event::TurnStarted { turn });
                self.request(turn, now);
                self.save(false);
            }
            _ => self.refuse(Refusal::NothingToRetry),
        }
    }

    fn skip(&mut self, now: OffsetDateTime) {
        match self.session.unresolved_turn() {
            Some(turn) if self.is_live() && self.session.skip_turn(turn, now) => {
                self.resume_after_failure();
                self.emit(Event::TurnSkipped { turn });
                self.save(false);
                self.advance(now);
            }
            _ => self.refuse(Refusal::NothingToSkip),
        }
    }

    /// A failure paused the debate; once the judge dealt with it, it goes on as before.
    fn resume_after_failure(&mut self) {
        if std::mem::take(&mut self.paused_by_failure) {
            self.paused = false;
            self.steps = 0;
        }
    }

    fn end_early(&mut self, reason: String, now: OffsetDateTime) {
        if !self.is_live() {
            return self.refuse(Refusal::NotLive);
        }
        if self.session.ended_early.is_some() || self.session.status == SessionStatus::Finished {
            return self.refuse(Refusal::AlreadyOver);
        }
        if let Err(e) = self
            .session
            .judge(JudgeEventKind::EndDebate { reason }, now)
        {
            return self.refuse(Refusal::Edit(e));
        }
        self.settle_followups(now);
        let stopped = self.stop_all("the judge ended the debate", now);
        for turn in stopped {
            self.emit(Event::TurnStopped { turn });
        }
        self.over_said = true;
        self.emit(Event::EndedEarly);
        self.judge_at_end(now);
        self.save(false);
    }

    fn add_round(&mut self, now: OffsetDateTime) {
        if !self.is_live() {
            return self.refuse(Refusal::NotLive);
        }
        if self.session.ended_early.is_some() {
            return self.refuse(Refusal::EndedEarly);
        }
        if let Err(e) = self.session.judge(JudgeEventKind::AddRound, now) {
            return self.refuse(Refusal::Edit(e));
        }
        self.over_said = false;
        self.emit(Event::RoundAdded {
            rounds: self.session.protocol.rounds,
        });
        self.save(false);
        self.advance(now);
    }

    fn message(&mut self, to: Option<Side>, text: String, now: OffsetDateTime) {
        if !self.is_live() {
            return self.refuse(Refusal::NotLive);
        }
        if self.session.last_finished_turn().is_none() {
            return self.refuse(Refusal::FirstTurnFirst);
        }
        if self.session.ended_early.is_some() || self.session.next_slot().is_none() {
            return self.refuse(Refusal::NoOneToHear);
        }
        match self
            .session
            .judge(JudgeEventKind::Message { to, text }, now)
        {
            Ok(()) => {
                self.emit(Event::MessageSent { to });
                self.save(false);
            }
            Err(e) => self.refuse(Refusal::Edit(e)),
        }
    }

    fn drill(&mut self, node: String, now: OffsetDateTime) {
        if !self.is_live() {
            return self.refuse(Refusal::NotLive);
        }
        if node == ROOT_ID {
            return self.refuse(Refusal::RootIsTheDebate);
        }
        if !self.live.is_empty() || !self.waits.is_empty() {
            return self.refuse(Refusal::WhileStreaming);
        }
        if self.scope() == node {
            return self.refuse(Refusal::AlreadyInDrill(node));
        }
        if self.session.drill_rounds(&node).is_none() {
            let kind = JudgeEventKind::Drill {
                node: node.clone(),
                rounds: self.cfg.drill_rounds.max(1),
            };
            if let Err(e) = self.session.judge(kind, now) {
                return self.refuse(Refusal::Edit(e));
            }
            self.save(false);
        }
        self.scope.push(node.clone());
        self.over_said = false;
        self.paused = false;
        self.steps = 0;
        self.emit(Event::Drilled { node });
        self.advance(now);
    }

    fn up(&mut self) {
        if self.scope.len() <= 1 {
            return self.refuse(Refusal::InMainDebate);
        }
        if !self.live.is_empty() || !self.waits.is_empty() {
            return self.refuse(Refusal::WhileStreaming);
        }
        self.scope.pop();
        self.over_said = false;
        self.paused = true;
        self.steps = 0;
        self.emit(Event::Up {
            scope: self.scope().to_string(),
        });
    }

    /// In a replay, the scope follows the recording into and out of drills.
    fn follow_scope(&mut self, scope: &str) {
        if self.is_live() || self.scope() == scope {
            return;
        }
        self.scope = if scope == ROOT_ID {
            vec![ROOT_ID.to_string()]
        } else {
            vec![ROOT_ID.to_string(), scope.to_string()]
        };
    }

    fn quit(&mut self, reason: QuitReason, now: OffsetDateTime) {
        if self.quitting {
            return;
        }
        self.quitting = true;
        self.settle_followups(now);
        let stopped = self.stop_all(&reason.stop_reason(), now);
        for turn in stopped {
            self.emit(Event::TurnStopped { turn });
        }
        self.save(true);
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod protocol_tests;
