//! The one owner of state. `App::update` takes a message (a key, a streamed word, a finished
//! save...) and returns the effects for the runtime to carry out; it never blocks and never does
//! I/O itself, so it is tested as plain Rust.

pub mod browser;
pub mod dialogs;
mod judging;
pub mod keymap;
pub mod keys;
mod overlays;
mod replay;
mod tree_actions;

use crate::domain::{Analysis, JudgeEventKind, ROOT_ID, Session, Side, TurnOutcome, TurnStatus};
use crate::providers::{StreamEvent, TurnRequest};
use crate::theme::Theme;
use crate::ui::transcript::TranscriptView;
use crate::ui::tree_view::TreeView;
use dialogs::{
    AnnotationTarget, CredenceDialog, DialogResult, EndDialog, MessageDialog, StartDialog,
    TagDialog, TagField, TextDialog, TextPurpose, VerdictDialog, VerdictField, VerdictPurpose,
};
use keys::Action;
use ratatui::crossterm::event::KeyModifiers;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use std::collections::HashSet;
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
    /// The judge closed `$EDITOR`; `None` if it could not run.
    EditorDone(Result<String, String>),
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
    /// Suspend the screen and let the judge write `initial` further in `$EDITOR`.
    Editor {
        initial: String,
    },
    Quit,
}

/// Where the turns come from.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Debaters produce new turns, and the session is saved as it grows.
    Live,
    /// The turns of a saved session are played back. Nothing is saved, unless this is a
    /// re-judgement: then the judge's work is saved as judgement `rejudge` of the recording.
    Replay {
        recording: Arc<Session>,
        rejudge: Option<usize>,
    },
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
    /// The key list, scrolled down by this many lines.
    Help(u16),
    Credence(CredenceDialog),
    Verdict(VerdictDialog),
    Text(TextDialog),
    Tags(TagDialog),
    Message(MessageDialog),
    EndDebate(EndDialog),
    /// The verdict against the ground truth, shown once the verdict is in.
    Result,
    ConfirmQuit,
}

/// The first half of a two-key tree edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingEdit {
    /// `m` pressed on this duplicate; `m` on the node to keep merges it.
    Merge(String),
    /// `M` pressed on this node; `M` on its new parent moves it.
    Move(String),
}

/// A span of a turn being chosen, sentence by sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visual {
    pub turn: usize,
    pub sentences: Vec<crate::domain::Span>,
    pub anchor: usize,
    pub cursor: usize,
}

impl Visual {
    /// The selection as a byte range of the turn's text.
    pub fn span(&self) -> crate::domain::Span {
        let (a, b) = (self.anchor.min(self.cursor), self.anchor.max(self.cursor));
        crate::domain::Span {
            start: self.sentences[a].start,
            end: self.sentences[b].end,
        }
    }
}

/// Rounds of a drill when the config says nothing.
pub const DEFAULT_DRILL_ROUNDS: u32 = 2;

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
    /// The debates the judge is in: `root`, then each drill, innermost last.
    pub scope: Vec<String>,
    /// Nodes a drill can start on (the demo has scripts for a few); `None` means any node.
    pub drillable: Option<HashSet<String>>,
    pub drill_rounds: u32,
    pub pending_edit: Option<PendingEdit>,
    /// Hide the debaters' providers and models until the verdict.
    pub blind: bool,
    /// When a re-judgement began.
    rejudge_started: Option<OffsetDateTime>,
    /// The key bindings in force (the defaults, changed by the config's `[keys]`).
    pub keymap: keymap::Keymap,
    /// The tags annotation keys offer (from the config).
    pub tags: Vec<String>,
    /// Bits taken off the score per turn used.
    pub turn_penalty: f64,
    /// Choosing sentences of a turn to annotate.
    pub visual: Option<Visual>,
    /// The right pane shows annotations instead of the tree.
    pub show_annotations: bool,
    /// Selected row of the annotations pane.
    pub annotation_cursor: usize,
    /// Derived from the tree; recomputed when the tree changes (see `analysis()`).
    pub(crate) analysis: Option<Analysis>,
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
            scope: vec![ROOT_ID.to_string()],
            drillable: None,
            drill_rounds: DEFAULT_DRILL_ROUNDS,
            pending_edit: None,
            blind: false,
            rejudge_started: None,
            keymap: keymap::Keymap::default(),
            tags: crate::domain::DEFAULT_TAGS
                .iter()
                .map(|t| t.to_string())
                .collect(),
            turn_penalty: crate::domain::scoring::DEFAULT_TURN_PENALTY,
            visual: None,
            show_annotations: false,
            annotation_cursor: 0,
            analysis: None,
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
        session.set_turns(Vec::new());
        session.tree = crate::domain::ClaimTree::new(&recording.question);
        session.judge_events.clear();
        session.verdict = None;
        session.annotations.clear();
        session.ended_early = None;
        // Rounds the judge added come back as the recorded events replay.
        let added = recording
            .judge_events
            .iter()
            .filter(|e| matches!(e.kind, JudgeEventKind::AddRound))
            .count() as u32;
        session.protocol.rounds = session.protocol.rounds.saturating_sub(added);
        session.status = crate::domain::SessionStatus::Running;
        let mut app = App::new(
            session,
            Mode::Replay {
                recording: Arc::new(recording),
                rejudge: None,
            },
            theme,
        );
        app.read_only = Some("replay".into());
        app.source_label = "replay".into();
        let mut text = "Replay: n steps one turn, Space plays the rest.".to_string();
        if let Mode::Replay { recording, .. } = &app.mode
            && !recording.judgements.is_empty()
        {
            // How the judges agree or differ, at a glance.
            let verdict = |v: Option<&crate::domain::Verdict>| {
                v.map_or("no verdict".to_string(), |v| {
                    format!("{} {:.0}%", v.winner, v.confidence * 100.0)
                })
            };
            let mut parts = vec![format!("judge 0: {}", verdict(recording.verdict.as_ref()))];
            for j in &recording.judgements {
                let blind = if j.blind { ", blind" } else { "" };
                parts.push(format!(
                    "judge {}{blind}: {}",
                    j.id,
                    verdict(j.verdict.as_ref())
                ));
            }
            text.push_str(&format!(
                " Verdicts: {}. (--judgement N replays judge N's work.)",
                parts.join(" · ")
            ));
        }
        app.notice = Some(Notice {
            level: Level::Info,
            text,
        });
        app
    }

    /// The debate the judge is in: `root` or the node of the innermost drill.
    pub fn current_scope(&self) -> &str {
        self.scope.last().map_or(ROOT_ID, String::as_str)
    }

    /// What the tree says now (statuses, cruxes, suggested verdict), cached per tree revision.
    pub fn analysis(&mut self) -> &Analysis {
        let revision = self.session.tree.revision();
        if self
            .analysis
            .as_ref()
            .is_none_or(|a| a.revision != revision)
        {
            self.analysis = Some(Analysis::of(&self.session.tree));
        }
        // Just filled above.
        self.analysis
            .get_or_insert_with(|| Analysis::of(&self.session.tree))
    }

    pub fn is_quitting(&self) -> bool {
        self.quitting
    }

    /// Whether something changed since the last draw; clears the flag.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Blind judging hides who the debaters are until the verdict.
    pub fn is_blind(&self) -> bool {
        self.blind && self.session.verdict.is_none()
    }

    pub fn is_live(&self) -> bool {
        matches!(self.mode, Mode::Live)
    }

    fn can_save(&self) -> bool {
        (self.is_live() || self.is_rejudge())
            && self.read_only.is_none()
            && self.session_path.is_some()
    }

    /// Effects to start with: a first save, and the first turn unless paused. A live debate
    /// without a question asks for one first.
    pub fn start(&mut self, now: OffsetDateTime) -> Vec<Effect> {
        let mut effects = Vec::new();
        self.replay_judge_events(None);
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
                if self.session.turns().get(turn).map(|t| t.status) == Some(TurnStatus::Streaming) {
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
            Msg::EditorDone(result) => {
                self.dirty = true;
                match result {
                    Ok(text) => match &mut self.overlay {
                        Some(Overlay::Tags(d)) => d.note.set_text(text.trim_end()),
                        Some(Overlay::Verdict(d)) => d.rationale.set_text(text.trim_end()),
                        _ => {}
                    },
                    Err(e) => self.notify(Level::Error, format!("The editor did not run: {e}")),
                }
            }
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
        if self.session.turns().get(turn).map(|t| t.status) != Some(TurnStatus::Streaming) {
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
                    Mode::Replay { recording, .. } => match recording.turns().get(turn) {
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
                self.replay_judge_events(Some(turn));
                self.save_effect(effects);
                effects.extend(self.maybe_start_next(now));
            }
        }
    }

    /// Counts chunks per second since the turn began (cheap: chunks are counted as they come).
    fn meter(&mut self, turn: usize, now: OffsetDateTime) {
        let Some(t) = self.session.turns().get(turn) else {
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
            Mode::Live => {
                let scope = self.current_scope();
                self.session
                    .next_slot_in(scope)
                    .map(|(round, side)| (round, side, scope.to_string()))
            }
            Mode::Replay { recording, .. } => recording
                .turns()
                .get(self.session.turns().len())
                .map(|t| (t.round, t.side, t.scope.clone())),
        }
    }

    /// True when no turn is left to play.
    pub fn is_finished(&self) -> bool {
        self.session.streaming_turn().is_none()
            && match &self.mode {
                Mode::Live if self.current_scope() != ROOT_ID => {
                    self.session.next_slot_in(self.current_scope()).is_none()
                }
                Mode::Live => self.session.status == crate::domain::SessionStatus::Finished,
                Mode::Replay { recording, .. } => {
                    self.session.turns().len() >= recording.turns().len()
                }
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
            if self.is_live() && self.current_scope() == ROOT_ID {
                self.notify(
                    Level::Info,
                    "The debate is over. Press v to record your verdict.".into(),
                );
            } else if self.is_live() {
                self.notify(
                    Level::Info,
                    format!(
                        "The drill on {} is over: w judges it, Backspace goes back up.",
                        self.current_scope()
                    ),
                );
            }
            return None;
        };
        if let Mode::Replay { .. } = self.mode {
            // Follow the recording into and out of drills.
            let path = if scope == ROOT_ID {
                vec![ROOT_ID.to_string()]
            } else {
                vec![ROOT_ID.to_string(), scope.clone()]
            };
            if self.scope != path {
                self.scope = path;
                self.transcript.set_scope(&scope);
            }
        }
        if self.paused {
            self.steps -= 1;
        }
        self.chunks = 0;
        self.stream_rate = None;
        let snapshot = Arc::new(self.session.clone());
        let turn = self.session.begin_turn(side, round, &scope, now);
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
        if !self.can_save() {
            return;
        }
        // A re-judgement with nothing judged yet leaves the file alone (but an undo back to
        // nothing, after a save, is saved).
        if self.is_rejudge() && self.session.judge_events.is_empty() && !self.save.saved_once {
            return;
        }
        let Some(path) = self.session_path.clone() else {
            return;
        };
        let session = match &self.mode {
            // The recording as it was, with this judge's work as one more judgement.
            Mode::Replay {
                recording,
                rejudge: Some(index),
            } => recording.with_judgement(
                *index,
                crate::domain::Judgement {
                    id: u32::try_from(*index).unwrap_or(u32::MAX).saturating_add(1),
                    kind: crate::domain::JudgeKind::Human,
                    judge: None,
                    mode: Some("stepped".into()),
                    extra: None,
                    blind: self.blind,
                    started_at: self.rejudge_started.unwrap_or(recording.updated_at),
                    judge_events: self.session.judge_events.clone(),
                    verdict: self.session.verdict.clone(),
                    annotations: self.session.annotations.clone(),
                },
            ),
            _ => self.session.clone(),
        };
        self.save.in_flight += 1;
        effects.push(Effect::Save {
            path,
            session: Box::new(session),
        });
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
        if self.visual.is_some() {
            return self.on_visual_key(&key);
        }
        let Some(action) = self.keymap.action_for(&key) else {
            return;
        };
        if self.show_annotations
            && self.focus == Focus::Tree
            && self.on_annotation_pane(action, now, effects)
        {
            return;
        }
        match action {
            Action::Tag => self.open_tag_dialog(),
            Action::Visual => self.start_visual(),
            Action::ToggleAnnotations => {
                self.show_annotations = !self.show_annotations;
                self.focus = Focus::Tree;
            }
            Action::NextAnnotated => self.jump_annotated(true),
            Action::PrevAnnotated => self.jump_annotated(false),
            Action::Delete => self.notify(
                Level::Info,
                "Del deletes an annotation in the annotations pane (A).".into(),
            ),
            Action::Undo => self.undo(now, effects),
            Action::Fork => self.fork(now, effects),
            Action::GoTo => {
                if self.is_live() {
                    self.notify(
                        Level::Info,
                        "# goes to a turn in a replay (agon replay FILE).".into(),
                    );
                } else {
                    self.overlay = Some(Overlay::Text(TextDialog::new(TextPurpose::GoToTurn, "")));
                }
            }
            Action::Message | Action::EndDebate | Action::AddRound if !self.can_judge() => {}
            Action::Message | Action::EndDebate | Action::AddRound if !self.is_live() => self
                .notify(
                    Level::Info,
                    "Not while re-judging: the debate is recorded; judge what was said.".into(),
                ),
            Action::Message => {
                if self.session.last_finished_turn().is_none() {
                    self.notify(
                        Level::Info,
                        "The judge speaks between turns: wait for the first turn.".into(),
                    );
                } else {
                    self.overlay = Some(Overlay::Message(MessageDialog::default()));
                }
            }
            Action::EndDebate => {
                if self.session.ended_early.is_some() || self.session.next_slot().is_none() {
                    self.notify(
                        Level::Info,
                        "The debate is already over; v records the verdict.".into(),
                    );
                } else {
                    self.overlay = Some(Overlay::EndDebate(EndDialog::default()));
                }
            }
            Action::AddRound => {
                if self.session.ended_early.is_some() {
                    self.notify(
                        Level::Info,
                        "You ended this debate; it takes no more rounds.".into(),
                    );
                } else if self.judge(JudgeEventKind::AddRound, now, effects) {
                    self.notify(
                        Level::Info,
                        format!("Round {} added.", self.session.protocol.rounds),
                    );
                    effects.extend(self.maybe_start_next(now));
                }
            }
            Action::Quit => {
                if self.session.streaming_turn().is_some() && self.is_live() {
                    self.overlay = Some(Overlay::ConfirmQuit);
                } else {
                    self.quit(now, effects);
                }
            }
            Action::ForceQuit => self.quit(now, effects),
            Action::Help => self.overlay = Some(Overlay::Help(0)),
            Action::Cancel => match self.session.streaming_turn() {
                Some(turn) if self.is_live() => self.stop_turn(turn, now, effects),
                _ => {
                    self.pending_edit = None;
                    self.notice = None;
                }
            },
            Action::Retry => match self.session.turns().last().map(|t| (t.status, t.skipped)) {
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
            Action::Drill
            | Action::Up
            | Action::MarkCrux
            | Action::JudgeNode
            | Action::DecideByCrux
            | Action::AddQuestion
            | Action::EditNode
            | Action::Merge
            | Action::Move => self.on_node_action(action, now, effects),
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

/// A judge event in a few words, for the replay's timeline.
fn describe_event(kind: &JudgeEventKind) -> String {
    match kind {
        JudgeEventKind::Credence { node, p_a, .. } if node == ROOT_ID => {
            format!("P(A) {:.0}%", p_a * 100.0)
        }
        JudgeEventKind::Credence { node, p_a, .. } => format!("P(A) on {node} {:.0}%", p_a * 100.0),
        JudgeEventKind::Verdict {
            winner, confidence, ..
        } => {
            format!("verdict {winner} {:.0}%", confidence * 100.0)
        }
        JudgeEventKind::NodeJudgement {
            node,
            winner,
            confidence,
            ..
        } => {
            format!("{node}: {winner} wins {:.0}%", confidence * 100.0)
        }
        JudgeEventKind::CruxMark { node, mark } => match mark {
            Some(true) => format!("{node} marked a crux"),
            Some(false) => format!("{node} unmarked as a crux"),
            None => format!("{node} crux mark cleared"),
        },
        JudgeEventKind::Drill { node, .. } => format!("drilled into {node}"),
        JudgeEventKind::AddNode { id, parent, .. } => format!("asked {id} under {parent}"),
        JudgeEventKind::EditNode { node, .. } => format!("edited {node}"),
        JudgeEventKind::MergeNodes { from, into } => format!("merged {from} into {into}"),
        JudgeEventKind::MoveNode {
            node, to_parent, ..
        } => format!("moved {node} under {to_parent}"),
        JudgeEventKind::Message { to, .. } => match to {
            Some(side) => format!("spoke to {side}"),
            None => "spoke to both".to_string(),
        },
        JudgeEventKind::EndDebate { .. } => "ended the debate".to_string(),
        JudgeEventKind::AddRound => "added a round".to_string(),
        JudgeEventKind::Annotate { annotation } => {
            format!("annotated [{}]", annotation.tags.join(", "))
        }
        JudgeEventKind::EditAnnotation { id, .. } => format!("edited annotation {id}"),
        JudgeEventKind::DeleteAnnotation { id } => format!("deleted annotation {id}"),
        JudgeEventKind::Unknown => "an action this agon does not know".to_string(),
    }
}

#[cfg(test)]
mod tests;
