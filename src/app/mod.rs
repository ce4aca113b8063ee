//! The one owner of state. `App::update` takes a message (a key, a streamed word, a finished
//! save...) and returns the effects for the runtime to carry out; it never blocks and never does
//! I/O itself, so it is tested as plain Rust.

pub mod dialogs;
pub mod keys;

use crate::domain::{Analysis, JudgeEventKind, ROOT_ID, Session, Side, TurnOutcome, TurnStatus};
use crate::provider::{StreamEvent, TurnRequest};
use crate::ui::theme::Theme;
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
        session.turns.clear();
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

    /// In a replay, the judge's recorded actions up to `after_turn` are applied as they happened,
    /// and the status line reads them out: the timeline of the judge's work.
    fn replay_judge_events(&mut self, after_turn: Option<usize>) {
        // A re-judgement starts blank: the earlier judges' work stays hidden.
        let Mode::Replay {
            recording,
            rejudge: None,
        } = &self.mode
        else {
            return;
        };
        let events: Vec<_> = recording
            .judge_events
            .iter()
            .filter(|e| e.after_turn == after_turn)
            .cloned()
            .collect();
        let mut said = Vec::new();
        for event in events {
            match self.session.apply(event.kind.clone(), event.at) {
                Ok(kind) => {
                    said.push(describe_event(&kind));
                    self.session
                        .judge_events
                        .push(crate::domain::JudgeEvent { kind, ..event });
                }
                Err(e) => tracing::warn!("replay: a recorded judge event does not apply: {e}"),
            }
        }
        if !said.is_empty() {
            let when = after_turn.map_or("Before the first turn".to_string(), |t| {
                format!("After turn {}", t + 1)
            });
            self.notify(
                Level::Info,
                format!("{when}, the judge: {}", said.join(" · ")),
            );
        }
    }

    /// Writes a new session that branches off after the selected turn; `agon resume` continues it.
    fn fork(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        let Some(turn) = self.transcript.selected_turn() else {
            return self.notify(Level::Info, "No turn to fork after yet.".into());
        };
        let dir = self.sessions_dir.clone().or_else(|| {
            self.session_path
                .as_ref()
                .and_then(|p| p.parent().map(PathBuf::from))
        });
        let Some(dir) = dir else {
            return self.notify(
                Level::Warning,
                "No sessions directory to write the fork to.".into(),
            );
        };
        let origin = self.session_path.as_ref().map(|p| p.display().to_string());
        let source = match &self.mode {
            Mode::Replay { recording, .. } => recording.as_ref(),
            Mode::Live => &self.session,
        };
        let fork = source.fork(turn + 1, origin, now);
        let name = fork
            .file_name()
            .replace(".json", &format!("_fork{}.json", turn + 1));
        let path = dir.join(name);
        self.save.in_flight += 1;
        effects.push(Effect::Save {
            path: path.clone(),
            session: Box::new(fork),
        });
        self.notify(
            Level::Info,
            format!(
                "Forked after turn {} into {}: agon resume continues it.",
                turn + 1,
                path.display()
            ),
        );
    }

    /// Replay: show the session as it stood after `n` turns.
    fn go_to_turn(&mut self, n: usize, effects: &mut Vec<Effect>) {
        let Mode::Replay { recording, .. } = &self.mode else {
            return;
        };
        let n = n.min(recording.turns.len());
        if self.is_rejudge() && n < self.session.turns.len() {
            // Going back would drop this judge's work on the later turns.
            return self.notify(
                Level::Info,
                "While re-judging you go forward only (n, Space, or # to a later turn).".into(),
            );
        }
        if let Some(turn) = self.session.streaming_turn() {
            effects.push(Effect::CancelTurn { turn });
        }
        let mut then = recording.as_of(n);
        if self.is_rejudge() {
            // Keep this judge's own work; the earlier judges' stays hidden.
            then.judge_events = std::mem::take(&mut self.session.judge_events);
            then.rebuild();
        }
        self.session = then;
        self.scope = vec![ROOT_ID.to_string()];
        self.transcript = TranscriptView::new();
        self.tree = TreeView::new();
        self.paused = true;
        self.steps = 0;
        self.notify(
            Level::Info,
            format!(
                "At turn {n} of {}: n steps on, Space plays.",
                recording.turns.len()
            ),
        );
    }

    /// A new, separate judgement of a recorded debate, stepped turn by turn; the earlier
    /// verdicts, credences and annotations stay hidden and are never changed.
    pub fn rejudge(recording: Session, blind: bool, theme: Theme, now: OffsetDateTime) -> Self {
        let index = recording.judgements.len();
        let mut app = App::replay(recording, theme);
        if let Mode::Replay { rejudge, .. } = &mut app.mode {
            *rejudge = Some(index);
        }
        app.read_only = None;
        app.blind = blind;
        app.rejudge_started = Some(now);
        app.source_label = format!("re-judging: judgement {}", index + 1);
        app.notice = Some(Notice {
            level: Level::Info,
            text: "Re-judging: earlier judgements are hidden. n steps one turn, Space plays; judge as you go.".into(),
        });
        app
    }

    pub fn is_rejudge(&self) -> bool {
        matches!(
            self.mode,
            Mode::Replay {
                rejudge: Some(_),
                ..
            }
        )
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
                    Mode::Replay { recording, .. } => match recording.turns.get(turn) {
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
            Mode::Live => {
                let scope = self.current_scope();
                self.session
                    .next_slot_in(scope)
                    .map(|(round, side)| (round, side, scope.to_string()))
            }
            Mode::Replay { recording, .. } => recording
                .turns
                .get(self.session.turns.len())
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
                Mode::Replay { recording, .. } => self.session.turns.len() >= recording.turns.len(),
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
                    id: *index as u32 + 1,
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
        let Some(action) = keys::action_for(&key) else {
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

    /// Whether judge actions are allowed; says why not when they are not.
    fn can_judge(&mut self) -> bool {
        match (&self.read_only, self.is_live()) {
            (Some(reason), _) => {
                let reason = reason.clone();
                self.notify(
                    Level::Warning,
                    format!("Read-only ({reason}): nothing is recorded."),
                );
                false
            }
            (None, false) => self.is_rejudge(),
            (None, true) => true,
        }
    }

    /// `t`: annotate the selected turn, or the selected node when the tree has the focus.
    fn open_tag_dialog(&mut self) {
        if !self.can_judge() {
            return;
        }
        let target = if self.focus == Focus::Tree && !self.show_annotations {
            let (_, id) = self.selected_node();
            AnnotationTarget {
                turn: None,
                span: None,
                label: format!("node {id}"),
                node: Some(id),
            }
        } else {
            let Some(turn) = self.transcript.selected_turn() else {
                return self.notify(Level::Info, "No turn to annotate yet.".into());
            };
            AnnotationTarget {
                turn: Some(turn),
                span: None,
                node: None,
                label: format!("turn {} (▶)", turn + 1),
            }
        };
        self.overlay = Some(Overlay::Tags(TagDialog::new(target, &self.tags)));
    }

    /// `V`: start choosing sentences of the selected turn.
    fn start_visual(&mut self) {
        if !self.can_judge() {
            return;
        }
        let Some(turn) = self.transcript.selected_turn() else {
            return self.notify(Level::Info, "No turn to annotate yet.".into());
        };
        let t = &self.session.turns[turn];
        if !t.status.is_finished() {
            return self.notify(
                Level::Info,
                "Wait for the turn to finish before choosing a span.".into(),
            );
        }
        // Sentences of the prose only: the claims block is annotated through the tree.
        let end = crate::domain::claims::find_block(&t.text).map_or(t.text.len(), |b| b.start);
        let sentences = crate::domain::annotation::sentences(&t.text[..end]);
        if sentences.is_empty() {
            return self.notify(Level::Info, "That turn has no text to choose from.".into());
        }
        self.visual = Some(Visual {
            turn,
            sentences,
            anchor: 0,
            cursor: 0,
        });
    }

    fn on_visual_key(&mut self, key: &KeyEvent) {
        let Some(v) = &mut self.visual else { return };
        let last = v.sentences.len() - 1;
        match key.code {
            KeyCode::Esc => self.visual = None,
            KeyCode::Char('j' | 'l') | KeyCode::Down | KeyCode::Right => {
                v.cursor = (v.cursor + 1).min(last)
            }
            KeyCode::Char('k' | 'h') | KeyCode::Up | KeyCode::Left => {
                v.cursor = v.cursor.saturating_sub(1)
            }
            // Space starts the selection afresh at the cursor.
            KeyCode::Char(' ') => v.anchor = v.cursor,
            KeyCode::Char('t') | KeyCode::Enter => {
                let span = v.span();
                let turn = v.turn;
                self.visual = None;
                let target = AnnotationTarget {
                    turn: Some(turn),
                    span: Some(span),
                    node: None,
                    label: format!("a span of turn {}", turn + 1),
                };
                self.overlay = Some(Overlay::Tags(TagDialog::new(target, &self.tags)));
            }
            _ => {}
        }
    }

    /// Keys of the annotations pane; returns whether the key was used.
    fn on_annotation_pane(
        &mut self,
        action: Action,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) -> bool {
        let count = self.session.annotations.len();
        let current = self
            .session
            .annotations
            .get(self.annotation_cursor)
            .cloned();
        match action {
            Action::ScrollDown => {
                self.annotation_cursor = (self.annotation_cursor + 1).min(count.saturating_sub(1))
            }
            Action::ScrollUp => self.annotation_cursor = self.annotation_cursor.saturating_sub(1),
            Action::Top => self.annotation_cursor = 0,
            Action::Bottom => self.annotation_cursor = count.saturating_sub(1),
            Action::Drill => {
                let Some(a) = current else { return true };
                if let Some(turn) = a.turn {
                    let scope = self.session.turns[turn].scope.clone();
                    if scope != self.current_scope() {
                        return {
                            self.notify(
                                Level::Info,
                                format!(
                                    "That turn is in the drill on {scope}; drill in to see it."
                                ),
                            );
                            true
                        };
                    }
                    self.transcript.show_turn(turn);
                    self.focus = Focus::Transcript;
                } else if let Some(pos) = a
                    .node
                    .as_deref()
                    .and_then(|n| self.session.tree.position(n))
                {
                    self.show_annotations = false;
                    self.tree.select(pos);
                }
            }
            Action::EditNode => {
                let Some(a) = current else { return true };
                if !self.can_judge() {
                    return true;
                }
                let target = AnnotationTarget {
                    turn: a.turn,
                    span: a.span,
                    node: a.node.clone(),
                    label: format!("annotation {}", a.id),
                };
                self.overlay = Some(Overlay::Tags(TagDialog::edit(
                    target, &self.tags, a.id, &a.tags, &a.note,
                )));
            }
            Action::MarkCrux | Action::Delete => {
                let Some(a) = current else { return true };
                if self.can_judge()
                    && self.judge(JudgeEventKind::DeleteAnnotation { id: a.id }, now, effects)
                {
                    self.annotation_cursor = self
                        .annotation_cursor
                        .min(self.session.annotations.len().saturating_sub(1));
                    self.notify(
                        Level::Info,
                        format!("Annotation {} deleted (u undoes).", a.id),
                    );
                }
            }
            _ => return false,
        }
        true
    }

    fn jump_annotated(&mut self, forward: bool) {
        let scope = self.current_scope().to_string();
        let mut turns: Vec<usize> = self
            .session
            .annotations
            .iter()
            .filter_map(|a| a.turn)
            .filter(|&t| self.session.turns.get(t).is_some_and(|t| t.scope == scope))
            .collect();
        turns.sort_unstable();
        turns.dedup();
        let here = self.transcript.selected_turn();
        let target = if forward {
            turns.into_iter().find(|&t| here.is_none_or(|h| t > h))
        } else {
            turns
                .into_iter()
                .rev()
                .find(|&t| here.is_none_or(|h| t < h))
        };
        match target {
            Some(t) => self.transcript.show_turn(t),
            None => self.notify(Level::Info, "No more annotated turns that way.".into()),
        }
    }

    fn undo(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if !self.can_judge() {
            return;
        }
        let Some(undone) = self.session.undo(now) else {
            return self.notify(Level::Info, "Nothing to undo.".into());
        };
        // A drill that was undone cannot stay open.
        while self.current_scope() != ROOT_ID
            && self.session.drill_rounds(self.current_scope()).is_none()
        {
            self.scope.pop();
        }
        let scope = self.current_scope().to_string();
        self.transcript.set_scope(&scope);
        self.annotation_cursor = self
            .annotation_cursor
            .min(self.session.annotations.len().saturating_sub(1));
        let what = serde_json::to_value(&undone.kind)
            .ok()
            .and_then(|v| {
                v.get("kind")
                    .and_then(|k| k.as_str())
                    .map(|k| k.replace('_', " "))
            })
            .unwrap_or_else(|| "action".into());
        self.notify(Level::Info, format!("Undone: {what}."));
        self.save_effect(effects);
    }

    fn selected_node(&self) -> (usize, String) {
        let pos = self.tree.selected();
        let id = self
            .session
            .tree
            .nodes()
            .get(pos)
            .map_or_else(|| ROOT_ID.to_string(), |n| n.id.clone());
        (pos, id)
    }

    /// Records a judge action, reporting a refused edit instead of failing.
    fn judge(
        &mut self,
        kind: JudgeEventKind,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) -> bool {
        match self.session.judge(kind, now) {
            Ok(()) => {
                self.save_effect(effects);
                true
            }
            Err(e) => {
                self.notify(Level::Warning, format!("Not done: {e}."));
                false
            }
        }
    }

    fn on_node_action(&mut self, action: Action, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if action == Action::Up {
            return self.go_up(now, effects);
        }
        if let Some(reason) = &self.read_only {
            return self.notify(
                Level::Warning,
                format!("Read-only ({reason}): the tree cannot change."),
            );
        }
        if self.focus != Focus::Tree {
            self.focus = Focus::Tree;
            return self.notify(
                Level::Info,
                "Select a node in the claim tree (j/k), then press the key again.".into(),
            );
        }
        let (pos, id) = self.selected_node();
        match action {
            Action::Drill => self.drill(pos, id, now, effects),
            Action::MarkCrux => {
                if pos == 0 {
                    return self.notify(Level::Info, "The question itself is not a crux.".into());
                }
                let analysis = self.analysis();
                let (now_crux, proposed) = (analysis.crux[pos], analysis.proposed_crux[pos]);
                let want = !now_crux;
                // Agreeing with agon's proposal clears the mark, so later proposals still apply.
                let mark = (want != proposed).then_some(want);
                if self.judge(
                    JudgeEventKind::CruxMark {
                        node: id.clone(),
                        mark,
                    },
                    now,
                    effects,
                ) {
                    let what = if want {
                        "marked as a crux"
                    } else {
                        "no longer a crux"
                    };
                    self.notify(Level::Info, format!("{id} {what}."));
                }
            }
            Action::JudgeNode => {
                let p_a = self.node_p_a(pos);
                self.overlay = Some(Overlay::Verdict(VerdictDialog::with_purpose(
                    VerdictPurpose::Node(id),
                    Some(p_a),
                )));
            }
            Action::DecideByCrux => {
                if pos == 0 {
                    return self.notify(
                        Level::Info,
                        "Select the crux that decides the debate (v records a plain verdict)."
                            .into(),
                    );
                }
                let p_a = self.node_p_a(pos);
                self.overlay = Some(Overlay::Verdict(VerdictDialog::with_purpose(
                    VerdictPurpose::DecideBy(id),
                    Some(p_a),
                )));
            }
            Action::AddQuestion => {
                self.overlay = Some(Overlay::Text(TextDialog::new(
                    TextPurpose::AddQuestion { parent: id },
                    "",
                )));
            }
            Action::EditNode => {
                let text = self.session.tree.nodes()[pos].text.clone();
                self.overlay = Some(Overlay::Text(TextDialog::new(
                    TextPurpose::EditNode { node: id },
                    &text,
                )));
            }
            Action::Merge => match self.pending_edit.take() {
                Some(PendingEdit::Merge(from)) => {
                    if self.judge(
                        JudgeEventKind::MergeNodes {
                            from: from.clone(),
                            into: id.clone(),
                        },
                        now,
                        effects,
                    ) {
                        self.notify(Level::Info, format!("{from} merged into {id}."));
                    }
                }
                _ => {
                    self.pending_edit = Some(PendingEdit::Merge(id.clone()));
                    self.notify(
                        Level::Info,
                        format!("Merging {id}: select the node to keep and press m (Esc cancels)."),
                    );
                }
            },
            Action::Move => match self.pending_edit.take() {
                Some(PendingEdit::Move(node)) => {
                    let kind = JudgeEventKind::MoveNode {
                        node: node.clone(),
                        from_parent: String::new(),
                        to_parent: id.clone(),
                    };
                    if self.judge(kind, now, effects) {
                        self.notify(Level::Info, format!("{node} moved under {id}."));
                    }
                }
                _ => {
                    self.pending_edit = Some(PendingEdit::Move(id.clone()));
                    self.notify(
                        Level::Info,
                        format!("Moving {id}: select its new parent and press M (Esc cancels)."),
                    );
                }
            },
            _ => {}
        }
    }

    /// Once the verdict is in: the ground truth and scores, if the session has a ground truth.
    fn after_verdict(&mut self) -> Option<Overlay> {
        self.session.ground_truth.map(|_| Overlay::Result)
    }

    /// The verdict scored against the ground truth; `None` until both exist.
    pub fn scores(&self) -> Option<crate::domain::Scores> {
        let (v, truth) = (self.session.verdict.as_ref()?, self.session.ground_truth?);
        // The turns the judge had seen when they gave the verdict (the last verdict event).
        let seen = self
            .session
            .judge_events
            .iter()
            .rev()
            .find(|e| matches!(e.kind, JudgeEventKind::Verdict { .. }))
            .and_then(|e| e.after_turn);
        let turns = self
            .session
            .turns
            .iter()
            .filter(|t| t.status == TurnStatus::Complete && seen.is_some_and(|s| t.index <= s))
            .count();
        Some(crate::domain::score(
            v.p_a(),
            truth,
            turns,
            self.turn_penalty,
        ))
    }

    /// Why the debate ended, for the verdict.
    fn why_ended(&self) -> String {
        match &self.session.ended_early {
            Some(reason) if reason.is_empty() => "the judge ended the debate early".into(),
            Some(reason) => format!("the judge ended the debate early: {reason}"),
            None if self.session.next_slot().is_none() => "every round was played".into(),
            None => {
                let played = self
                    .session
                    .turns_in(ROOT_ID)
                    .filter(|t| t.counts_as_played())
                    .count();
                format!(
                    "verdict after {played} of {} turns",
                    self.session.protocol.rounds * 2
                )
            }
        }
    }

    /// P(A) on a node, for starting a ruling dialog: the suggestion there, as P(A is right).
    fn node_p_a(&mut self, pos: usize) -> f64 {
        let side = self.session.tree.nodes()[pos].side;
        let p = self.analysis().p_stands[pos];
        match side {
            Some(Side::B) => 1.0 - p,
            _ => p,
        }
    }

    /// Starts (or returns to) a focused sub-debate on a node.
    fn drill(&mut self, pos: usize, id: String, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if !self.is_live() {
            return self.notify(
                Level::Info,
                "The recording's drills play as the replay reaches them.".into(),
            );
        }
        if pos == 0 {
            return self.notify(
                Level::Info,
                "That is the main debate; Backspace goes back up to it.".into(),
            );
        }
        if self.session.streaming_turn().is_some() {
            return self.notify(
                Level::Info,
                "Wait for the turn to finish (or Esc to stop it), then drill in.".into(),
            );
        }
        if self.current_scope() == id {
            return self.notify(Level::Info, format!("You are in the drill on {id}."));
        }
        if let Some(allowed) = &self.drillable
            && !allowed.contains(&id)
        {
            let mut list: Vec<&String> = allowed.iter().collect();
            list.sort();
            let list: Vec<&str> = list.into_iter().map(String::as_str).collect();
            return self.notify(
                Level::Info,
                format!(
                    "The demo has scripted drills on {} only.",
                    list.join(" and ")
                ),
            );
        }
        if self.session.drill_rounds(&id).is_none() {
            let kind = JudgeEventKind::Drill {
                node: id.clone(),
                rounds: self.drill_rounds,
            };
            if !self.judge(kind, now, effects) {
                return;
            }
        }
        self.scope.push(id.clone());
        self.transcript.set_scope(&id);
        self.focus = Focus::Transcript;
        self.paused = false;
        self.steps = 0;
        self.notify(
            Level::Info,
            format!("Drilled into {id}. Backspace goes back up; w judges the node."),
        );
        effects.extend(self.maybe_start_next(now));
    }

    fn go_up(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if self.scope.len() <= 1 {
            return self.notify(Level::Info, "You are in the main debate.".into());
        }
        if self.session.streaming_turn().is_some() {
            return self.notify(
                Level::Info,
                "Wait for the turn to finish (or Esc to stop it), then go up.".into(),
            );
        }
        let left = self.scope.pop().unwrap_or_default();
        let scope = self.current_scope().to_string();
        self.transcript.set_scope(&scope);
        if let Some(pos) = self.session.tree.position(&left) {
            self.tree.select(pos);
            self.focus = Focus::Tree;
        }
        self.paused = true;
        self.steps = 0;
        self.notify(
            Level::Info,
            format!(
                "Back in {}. Space resumes it.",
                if scope == ROOT_ID {
                    "the main debate".to_string()
                } else {
                    format!("the drill on {scope}")
                }
            ),
        );
        let _ = (now, effects);
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
        // Ctrl-E in a note or rationale: write it at length in $EDITOR.
        if key.code == KeyCode::Char('e') && key.modifiers.contains(KeyModifiers::CONTROL) {
            let initial = match &overlay {
                Overlay::Tags(d) if d.field == TagField::Note => Some(d.note.text().to_string()),
                Overlay::Verdict(d) if d.field == VerdictField::Rationale => {
                    Some(d.rationale.text().to_string())
                }
                _ => None,
            };
            if let Some(initial) = initial {
                effects.push(Effect::Editor { initial });
                return Some(overlay);
            }
        }
        match overlay {
            Overlay::Result => None,
            Overlay::Tags(mut d) => match d.handle(key) {
                DialogResult::Open => Some(Overlay::Tags(d)),
                DialogResult::Cancelled => None,
                DialogResult::Submitted(input) => {
                    let kind = match d.editing {
                        Some(id) => JudgeEventKind::EditAnnotation {
                            id,
                            tags: input.tags,
                            note: input.note,
                        },
                        None => JudgeEventKind::Annotate {
                            annotation: crate::domain::Annotation {
                                id: 0,
                                turn: d.target.turn,
                                span: d.target.span,
                                quote: None,
                                node: d.target.node.clone(),
                                tags: input.tags,
                                note: input.note,
                            },
                        },
                    };
                    if self.judge(kind, now, effects) {
                        self.notify(Level::Info, format!("Annotated {}.", d.target.label));
                    }
                    None
                }
            },
            Overlay::Message(mut d) => match d.handle(key) {
                DialogResult::Open => Some(Overlay::Message(d)),
                DialogResult::Cancelled => None,
                DialogResult::Submitted((to, text)) => {
                    if self.judge(JudgeEventKind::Message { to, text }, now, effects) {
                        let who =
                            to.map_or("both debaters".to_string(), |s| format!("debater {s}"));
                        self.notify(
                            Level::Info,
                            format!("Sent to {who}; it goes into their next prompt."),
                        );
                    }
                    None
                }
            },
            Overlay::EndDebate(mut d) => match d.handle(key) {
                DialogResult::Open => Some(Overlay::EndDebate(d)),
                DialogResult::Cancelled => None,
                DialogResult::Submitted(reason) => {
                    if self.judge(JudgeEventKind::EndDebate { reason }, now, effects) {
                        if let Some(turn) = self.session.streaming_turn() {
                            self.stop_turn(turn, now, effects);
                        }
                        self.notify(
                            Level::Info,
                            "Debate ended. Press v to record your verdict.".into(),
                        );
                    }
                    None
                }
            },
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
            Overlay::Help(scroll) => match key.code {
                KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter => None,
                KeyCode::Char('j') | KeyCode::Down => Some(Overlay::Help(scroll.saturating_add(1))),
                KeyCode::Char('k') | KeyCode::Up => Some(Overlay::Help(scroll.saturating_sub(1))),
                KeyCode::PageDown | KeyCode::Char(' ') => {
                    Some(Overlay::Help(scroll.saturating_add(10)))
                }
                KeyCode::PageUp => Some(Overlay::Help(scroll.saturating_sub(10))),
                KeyCode::Char('g') | KeyCode::Home => Some(Overlay::Help(0)),
                _ => Some(Overlay::Help(scroll)),
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
                    let pct = v.confidence * 100.0;
                    match d.purpose {
                        VerdictPurpose::Debate => {
                            let kind = JudgeEventKind::Verdict {
                                winner: v.winner,
                                confidence: v.confidence,
                                rationale: v.rationale,
                                decided_by: None,
                                ended: self.why_ended(),
                            };
                            if self.judge(kind, now, effects) {
                                self.notify(
                                    Level::Info,
                                    format!(
                                        "Verdict recorded: {} wins at {pct:.0}% confidence.",
                                        v.winner
                                    ),
                                );
                                return self.after_verdict();
                            }
                        }
                        VerdictPurpose::Node(node) => {
                            let kind = JudgeEventKind::NodeJudgement {
                                node: node.clone(),
                                winner: v.winner,
                                confidence: v.confidence,
                                rationale: v.rationale,
                            };
                            if self.judge(kind, now, effects) {
                                self.notify(
                                    Level::Info,
                                    format!("{node}: {} wins it at {pct:.0}%.", v.winner),
                                );
                            }
                        }
                        VerdictPurpose::DecideBy(node) => {
                            let ruling = JudgeEventKind::NodeJudgement {
                                node: node.clone(),
                                winner: v.winner,
                                confidence: v.confidence,
                                rationale: v.rationale.clone(),
                            };
                            let verdict = JudgeEventKind::Verdict {
                                winner: v.winner,
                                confidence: v.confidence,
                                rationale: v.rationale,
                                decided_by: Some(node.clone()),
                                ended: self.why_ended(),
                            };
                            if self.judge(ruling, now, effects) && self.judge(verdict, now, effects)
                            {
                                self.notify(
                                    Level::Info,
                                    format!("Decided by {node}: {} wins at {pct:.0}%.", v.winner),
                                );
                                return self.after_verdict();
                            }
                        }
                    }
                    None
                }
            },
            Overlay::Text(mut d) => {
                match d.handle(key) {
                    DialogResult::Open => Some(Overlay::Text(d)),
                    DialogResult::Cancelled => None,
                    DialogResult::Submitted(text) => {
                        match d.purpose {
                            TextPurpose::AddQuestion { parent } => {
                                let kind = JudgeEventKind::AddNode {
                                    id: String::new(),
                                    parent: parent.clone(),
                                    text,
                                };
                                if self.judge(kind, now, effects) {
                                    if let Some(pos) = self.session.tree.len().checked_sub(1) {
                                        self.tree.select(pos);
                                    }
                                    self.notify(Level::Info, format!("Sub-question added under {parent}; Enter drills into it."));
                                }
                            }
                            TextPurpose::GoToTurn => match text.parse::<usize>() {
                                Ok(n) => self.go_to_turn(n, effects),
                                Err(_) => self.notify(
                                    Level::Warning,
                                    format!("{text:?} is not a turn number."),
                                ),
                            },
                            TextPurpose::EditNode { node } => {
                                let kind = JudgeEventKind::EditNode {
                                    node: node.clone(),
                                    text,
                                    previous: String::new(),
                                };
                                if self.judge(kind, now, effects) {
                                    self.notify(Level::Info, format!("{node} edited."));
                                }
                            }
                        }
                        None
                    }
                }
            }
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
        JudgeEventKind::Credence { node, p_a } if node == ROOT_ID => {
            format!("P(A) {:.0}%", p_a * 100.0)
        }
        JudgeEventKind::Credence { node, p_a } => format!("P(A) on {node} {:.0}%", p_a * 100.0),
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
