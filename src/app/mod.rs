//! The one owner of state. `App::update` takes a message (a key, a streamed word, a finished
//! save...) and returns the effects for the runtime to carry out; it never blocks and never does
//! I/O itself, so it is tested as plain Rust.

pub mod dialogs;
pub mod keys;

use crate::domain::{ROOT_ID, Session, Side, TurnOutcome, TurnStatus};
use crate::provider::{StreamEvent, TurnRequest};
use crate::ui::theme::Theme;
use crate::ui::transcript::TranscriptView;
use crate::ui::tree_view::TreeView;
use dialogs::{CredenceDialog, DialogResult, StartDialog, VerdictDialog};
use keys::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize,
    /// An item of the stream of turn `turn`.
    Stream {
        turn: usize,
        event: StreamEvent,
    },
    /// Turn `turn`'s stream failed.
    StreamFailed {
        turn: usize,
        error: String,
    },
    /// A save finished (Err holds the reason it failed).
    Saved(Result<(), String>),
    /// Time passes (drives the streaming indicator).
    Tick,
    /// SIGTERM, SIGHUP or SIGINT: save and leave.
    Terminate,
}

/// Work for the runtime.
#[derive(Debug)]
pub enum Effect {
    StartTurn {
        side: Side,
        request: TurnRequest,
    },
    CancelTurn {
        turn: usize,
    },
    Save {
        path: PathBuf,
        session: Box<Session>,
    },
    Quit,
}

/// Where the turns come from.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Debaters produce new turns, and the session is saved as it grows.
    Live,
    /// The turns of a saved session are played back; nothing is saved.
    Replay { recording: Arc<Session> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Transcript,
    Tree,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// The question for a live debate, when none was given.
    Start(StartDialog),
    Help,
    Credence(CredenceDialog),
    Verdict(VerdictDialog),
    ConfirmQuit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A one-line message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveStatus {
    pub in_flight: usize,
    pub saved_once: bool,
    pub error: Option<String>,
}

pub struct App {
    pub session: Session,
    pub mode: Mode,
    /// Why the session cannot be changed, if it cannot.
    pub read_only: Option<String>,
    pub session_path: Option<PathBuf>,
    /// Where a new session's file goes once its question is known.
    pub sessions_dir: Option<PathBuf>,
    /// Text chunks per second of the streaming turn (about tokens per second for LLMs).
    pub stream_rate: Option<f64>,
    /// A label for where the debaters come from ("scripted demo", "replay", model names).
    pub source_label: String,
    pub paused: bool,
    /// Turns still to play while paused (`n`).
    pub steps: u32,
    pub focus: Focus,
    pub transcript: TranscriptView,
    pub tree: TreeView,
    pub overlay: Option<Overlay>,
    pub notice: Option<Notice>,
    pub save: SaveStatus,
    pub theme: Theme,
    pub tally: crate::ui::status::Tally,
    pub spinner: usize,
    /// Chunks received in the streaming turn.
    chunks: u64,
    quitting: bool,
    dirty: bool,
}

impl App {
    pub fn new(session: Session, mode: Mode, theme: Theme) -> Self {
        let paused = matches!(mode, Mode::Replay { .. });
        App {
            session,
            mode,
            read_only: None,
            session_path: None,
            sessions_dir: None,
            stream_rate: None,
            source_label: String::new(),
            paused,
            steps: 0,
            focus: Focus::Transcript,
            transcript: TranscriptView::new(),
            tree: TreeView::new(),
            overlay: None,
            notice: None,
            save: SaveStatus::default(),
            theme,
            tally: Default::default(),
            spinner: 0,
            chunks: 0,
            quitting: false,
            dirty: true,
        }
    }

    /// A fresh replay of `recording`: an empty session with the recording's setup.
    pub fn replay(recording: Session, theme: Theme) -> Self {
        let mut session = recording.clone();
        session.turns.clear();
        session.tree = crate::domain::ClaimTree::new(&recording.question);
        session.judge_events.clear();
        session.verdict = None;
        session.status = crate::domain::SessionStatus::Running;
        let mut app = App::new(
            session,
            Mode::Replay {
                recording: Arc::new(recording),
            },
            theme,
        );
        app.read_only = Some("replay".into());
        app.source_label = "replay".into();
        app.notice = Some(Notice {
            level: Level::Info,
            text: "Replay: n steps one turn, Space plays the rest.".into(),
        });
        app
    }

    pub fn is_quitting(&self) -> bool {
        self.quitting
    }

    /// Whether something changed since the last draw; clears the flag.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    pub fn is_live(&self) -> bool {
        matches!(self.mode, Mode::Live)
    }

    fn can_save(&self) -> bool {
        self.is_live() && self.read_only.is_none() && self.session_path.is_some()
    }

    /// Effects to start with: a first save, and the first turn unless paused. A live debate
    /// without a question asks for one first.
    pub fn start(&mut self, now: OffsetDateTime) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.is_live() && self.session.question.trim().is_empty() {
            self.overlay = Some(Overlay::Start(StartDialog::default()));
            return effects;
        }
        if self.session_path.is_none()
            && let Some(dir) = &self.sessions_dir
        {
            self.session_path = Some(dir.join(self.session.file_name()));
        }
        self.save_effect(&mut effects);
        effects.extend(self.maybe_start_next(now));
        effects
    }

    pub fn update(&mut self, msg: Msg, now: OffsetDateTime) -> Vec<Effect> {
        let mut effects = Vec::new();
        match msg {
            Msg::Key(key) => {
                if key.kind != KeyEventKind::Release {
                    self.dirty = true;
                    self.on_key(key, now, &mut effects);
                }
            }
            Msg::Paste(text) => {
                if let Some(Overlay::Verdict(d)) = &mut self.overlay {
                    d.rationale.insert_str(&text);
                    self.dirty = true;
                }
            }
            Msg::Resize => self.dirty = true,
            Msg::Stream { turn, event } => self.on_stream(turn, event, now, &mut effects),
            Msg::StreamFailed { turn, error } => {
                if self.session.turns.get(turn).map(|t| t.status) == Some(TurnStatus::Streaming) {
                    self.session
                        .finish_turn(turn, TurnOutcome::Failed(error.clone()), None, now);
                    self.paused = true;
                    self.steps = 0;
                    self.notify(
                        Level::Error,
                        format!(
                            "Turn {} failed: {error}. Press n to try it again.",
                            turn + 1
                        ),
                    );
                    self.save_effect(&mut effects);
                    self.dirty = true;
                }
            }
            Msg::Saved(result) => {
                self.save.in_flight = self.save.in_flight.saturating_sub(1);
                match result {
                    Ok(()) => {
                        self.save.saved_once = true;
                        self.save.error = None;
                    }
                    Err(e) => self.save.error = Some(e),
                }
                self.dirty = true;
            }
            Msg::Tick => {
                if let Some(turn) = self.session.streaming_turn() {
                    self.spinner = self.spinner.wrapping_add(1);
                    self.meter(turn, now);
                    self.dirty = true;
                }
            }
            Msg::Terminate => self.quit(now, &mut effects),
        }
        effects
    }

    fn on_stream(
        &mut self,
        turn: usize,
        event: StreamEvent,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) {
        if self.session.turns.get(turn).map(|t| t.status) != Some(TurnStatus::Streaming) {
            return; // A late item for a turn already stopped.
        }
        self.dirty = true;
        match event {
            StreamEvent::Delta(text) => {
                self.session.push_text(turn, &text);
                self.meter(turn, now);
            }
            StreamEvent::Retrying {
                attempt,
                wait,
                reason,
            } => self.notify(
                Level::Warning,
                format!("{reason}: retry {attempt} in {:.1}s", wait.as_secs_f64()),
            ),
            StreamEvent::Done(stats) => {
                let outcome = match &self.mode {
                    Mode::Replay { recording } => match recording.turns.get(turn) {
                        Some(t) if t.status == TurnStatus::Failed => {
                            TurnOutcome::Failed(t.error.clone().unwrap_or_default())
                        }
                        Some(t) if t.status == TurnStatus::Stopped => {
                            TurnOutcome::Stopped(t.error.clone().unwrap_or_default())
                        }
                        Some(t) if t.status == TurnStatus::Streaming => TurnOutcome::Stopped(
                            "the recording ends in the middle of this turn".into(),
                        ),
                        _ => TurnOutcome::Complete,
                    },
                    Mode::Live => TurnOutcome::Complete,
                };
                self.session.finish_turn(turn, outcome, Some(stats), now);
                self.save_effect(effects);
                effects.extend(self.maybe_start_next(now));
            }
        }
    }

    /// Counts chunks per second since the turn began (cheap: chunks are counted as they come).
    fn meter(&mut self, turn: usize, now: OffsetDateTime) {
        let Some(t) = self.session.turns.get(turn) else {
            return;
        };
        let first = t.stats.time_to_first_token_ms.unwrap_or(0) as f64 / 1000.0;
        let secs = (now - t.started_at).as_seconds_f64() - first;
        self.chunks += 1;
        if secs > 0.5 {
            self.stream_rate = Some(self.chunks as f64 / secs);
        }
    }

    /// The slot to play next: from the protocol when live, from the recording in a replay.
    fn next_slot(&self) -> Option<(u32, Side, String)> {
        match &self.mode {
            Mode::Live => self
                .session
                .next_slot()
                .map(|(round, side)| (round, side, ROOT_ID.to_string())),
            Mode::Replay { recording } => recording
                .turns
                .get(self.session.turns.len())
                .map(|t| (t.round, t.side, t.scope.clone())),
        }
    }

    /// True when no turn is left to play.
    pub fn is_finished(&self) -> bool {
        self.session.streaming_turn().is_none()
            && match &self.mode {
                Mode::Live => self.session.status == crate::domain::SessionStatus::Finished,
                Mode::Replay { recording } => self.session.turns.len() >= recording.turns.len(),
            }
    }

    fn maybe_start_next(&mut self, now: OffsetDateTime) -> Option<Effect> {
        if self.quitting || self.session.streaming_turn().is_some() {
            return None;
        }
        if self.paused && self.steps == 0 {
            return None;
        }
        let Some((round, side, scope)) = self.next_slot() else {
            if self.is_live() {
                self.notify(
                    Level::Info,
                    "The debate is over. Press v to record your verdict.".into(),
                );
            }
            return None;
        };
        if self.paused {
            self.steps -= 1;
        }
        self.chunks = 0;
        self.stream_rate = None;
        let snapshot = Arc::new(self.session.clone());
        let turn = self.session.begin_turn(side, round, now);
        self.session.turns[turn].scope = scope.clone();
        self.dirty = true;
        Some(Effect::StartTurn {
            side,
            request: TurnRequest {
                turn,
                side,
                round,
                scope,
                session: snapshot,
            },
        })
    }

    fn save_effect(&mut self, effects: &mut Vec<Effect>) {
        if self.can_save()
            && let Some(path) = &self.session_path
        {
            self.save.in_flight += 1;
            effects.push(Effect::Save {
                path: path.clone(),
                session: Box::new(self.session.clone()),
            });
        }
    }

    fn notify(&mut self, level: Level, text: String) {
        self.notice = Some(Notice { level, text });
        self.dirty = true;
    }

    fn quit(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if self.quitting {
            return;
        }
        self.quitting = true;
        if let Some(turn) = self.session.streaming_turn() {
            effects.push(Effect::CancelTurn { turn });
            if self.is_live() {
                self.session.finish_turn(
                    turn,
                    TurnOutcome::Stopped("the judge quit while the turn was streaming".into()),
                    None,
                    now,
                );
            }
        }
        self.save_effect(effects);
        effects.push(Effect::Quit);
    }

    fn on_key(&mut self, key: KeyEvent, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if let Some(overlay) = self.overlay.take() {
            self.overlay = self.on_overlay_key(overlay, &key, now, effects);
            return;
        }
        let Some(action) = keys::action_for(&key) else {
            return;
        };
        match action {
            Action::Quit => {
                if self.session.streaming_turn().is_some() && self.is_live() {
                    self.overlay = Some(Overlay::ConfirmQuit);
                } else {
                    self.quit(now, effects);
                }
            }
            Action::ForceQuit => self.quit(now, effects),
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::Cancel => match self.session.streaming_turn() {
                Some(turn) if self.is_live() => self.stop_turn(turn, now, effects),
                _ => self.notice = None,
            },
            Action::Retry => match self.session.turns.last().map(|t| (t.status, t.skipped)) {
                Some((TurnStatus::Failed | TurnStatus::Stopped, false)) if self.is_live() => {
                    self.steps += 1;
                    effects.extend(self.maybe_start_next(now));
                }
                _ => self.notify(
                    Level::Info,
                    "r retries a failed or stopped turn; there is none.".into(),
                ),
            },
            Action::Skip => {
                if self.is_live() && self.session.skip_last_turn(now) {
                    self.notify(
                        Level::Info,
                        "Skipped. n plays the next turn, Space resumes.".into(),
                    );
                    self.save_effect(effects);
                } else {
                    self.notify(
                        Level::Info,
                        "s skips a failed or stopped turn; there is none.".into(),
                    );
                }
            }
            Action::TogglePause => {
                self.paused = !self.paused;
                self.steps = 0;
                let text = if self.paused {
                    "Paused: the turn under way finishes, then the debate waits. n plays one turn."
                } else {
                    "Resumed."
                };
                self.notify(Level::Info, text.into());
                effects.extend(self.maybe_start_next(now));
            }
            Action::Step => {
                if !self.paused {
                    self.notify(
                        Level::Info,
                        "n steps while paused; press Space to pause.".into(),
                    );
                } else if self.next_slot().is_none() && self.session.streaming_turn().is_none() {
                    self.notify(Level::Info, "No turns left to play.".into());
                } else {
                    self.steps += 1;
                    effects.extend(self.maybe_start_next(now));
                }
            }
            Action::Credence => {
                if let Some(reason) = &self.read_only {
                    self.notify(
                        Level::Warning,
                        format!("Read-only ({reason}): credence not recorded."),
                    );
                } else {
                    let current = self.session.credence(ROOT_ID);
                    self.overlay = Some(Overlay::Credence(CredenceDialog::new(current)));
                }
            }
            Action::Verdict => {
                if let Some(reason) = &self.read_only {
                    self.notify(
                        Level::Warning,
                        format!("Read-only ({reason}): verdict not recorded."),
                    );
                } else {
                    let current = self.session.credence(ROOT_ID);
                    self.overlay = Some(Overlay::Verdict(VerdictDialog::new(current)));
                }
            }
            Action::FocusNext => {
                self.focus = match self.focus {
                    Focus::Transcript => Focus::Tree,
                    Focus::Tree => Focus::Transcript,
                }
            }
            _ => self.on_navigation(action),
        }
    }

    /// The judge stops a streaming turn: its text is kept, marked stopped, and the debate pauses.
    fn stop_turn(&mut self, turn: usize, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        effects.push(Effect::CancelTurn { turn });
        self.session.finish_turn(
            turn,
            TurnOutcome::Stopped("stopped by the judge".into()),
            None,
            now,
        );
        self.paused = true;
        self.steps = 0;
        self.notify(
            Level::Warning,
            "Turn stopped; its text is kept. r retries it, s skips it.".into(),
        );
        self.save_effect(effects);
    }

    fn on_navigation(&mut self, action: Action) {
        let before = self.tree.selected();
        self.navigate(action);
        let selected = self.tree.selected();
        if selected != before
            && let Some(turn) = self.session.tree.nodes().get(selected).and_then(|n| n.turn)
        {
            self.transcript.reveal_turn(turn);
        }
    }

    fn navigate(&mut self, action: Action) {
        let tree = &self.session.tree;
        match (self.focus, action) {
            (Focus::Transcript, Action::ScrollDown) => self.transcript.scroll_by(1),
            (Focus::Transcript, Action::ScrollUp) => self.transcript.scroll_by(-1),
            (Focus::Transcript, Action::PageDown) => self.transcript.page(1),
            (Focus::Transcript, Action::PageUp) => self.transcript.page(-1),
            (Focus::Transcript, Action::Top) => self.transcript.to_top(),
            (Focus::Transcript, Action::Bottom) => self.transcript.to_bottom(),
            (_, Action::NextTurn) => self.transcript.jump_turn(true),
            (_, Action::PrevTurn) => self.transcript.jump_turn(false),
            (Focus::Tree, Action::ScrollDown) => self.tree.move_by(tree, 1),
            (Focus::Tree, Action::ScrollUp) => self.tree.move_by(tree, -1),
            (Focus::Tree, Action::PageDown) => self.tree.move_by(tree, 10),
            (Focus::Tree, Action::PageUp) => self.tree.move_by(tree, -10),
            (Focus::Tree, Action::Top) => self.tree.select_first(),
            (Focus::Tree, Action::Bottom) => self.tree.select_last(tree),
            (Focus::Tree, Action::Expand) => self.tree.expand(tree),
            (Focus::Tree, Action::Collapse) => self.tree.collapse(tree),
            (Focus::Tree, Action::Toggle) => self.tree.toggle(tree),
            (Focus::Transcript, Action::Expand | Action::Collapse | Action::Toggle) => {
                self.focus = Focus::Tree;
            }
            _ => {}
        }
    }

    fn on_overlay_key(
        &mut self,
        overlay: Overlay,
        key: &KeyEvent,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        match overlay {
            Overlay::Start(mut d) => match d.handle(key) {
                DialogResult::Open => Some(Overlay::Start(d)),
                DialogResult::Cancelled => {
                    self.quit(now, effects);
                    None
                }
                DialogResult::Submitted(question) => {
                    self.session.tree = crate::domain::ClaimTree::new(&question);
                    self.session.question = question;
                    effects.extend(self.start(now));
                    None
                }
            },
            Overlay::Help => match key.code {
                KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter => None,
                _ => Some(Overlay::Help),
            },
            Overlay::ConfirmQuit => match key.code {
                KeyCode::Char('y' | 'Y' | 'q') | KeyCode::Enter => {
                    self.quit(now, effects);
                    None
                }
                KeyCode::Char('n' | 'N') | KeyCode::Esc => None,
                _ => Some(Overlay::ConfirmQuit),
            },
            Overlay::Credence(mut d) => match d.handle(key) {
                DialogResult::Open => Some(Overlay::Credence(d)),
                DialogResult::Cancelled => None,
                DialogResult::Submitted(p) => {
                    self.session.record_credence(ROOT_ID, p, now);
                    self.notify(
                        Level::Info,
                        format!("Credence recorded: P(A is right) = {:.0}%", p * 100.0),
                    );
                    self.save_effect(effects);
                    None
                }
            },
            Overlay::Verdict(mut d) => match d.handle(key) {
                DialogResult::Open => Some(Overlay::Verdict(d)),
                DialogResult::Cancelled => None,
                DialogResult::Submitted(v) => {
                    self.session
                        .record_verdict(v.winner, v.confidence, v.rationale, now);
                    self.notify(
                        Level::Info,
                        format!(
                            "Verdict recorded: {} wins at {:.0}% confidence.",
                            v.winner,
                            v.confidence * 100.0
                        ),
                    );
                    self.save_effect(effects);
                    None
                }
            },
        }
    }

    /// The turns related to the tree's selected node, for highlighting (sorted).
    pub fn related_turns(&self) -> Vec<usize> {
        let selected = self.tree.selected();
        if selected == 0 || self.focus != Focus::Tree {
            return Vec::new();
        }
        self.session
            .tree
            .nodes()
            .get(selected)
            .map(|n| self.session.tree.related_turns(&n.id))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
