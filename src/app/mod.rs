//! The judging screen's state and its pure update.
//!
//! [`App`] owns everything the screen shows: the [`Engine`] (which owns the session and runs
//! the protocol), the panes' selection and scroll positions, the open dialog, the notice.
//! `App::update(msg) -> effects` takes a message (a key, an engine input, a resize...) and
//! returns the work for the runtime: engine outputs for the driver, a file to save, `$EDITOR`,
//! quitting. It never blocks and never does I/O, so it is tested as plain Rust; `ui::draw`
//! paints it without changing it.

pub mod bindings;
pub mod browser;
pub mod dialogs;
pub mod keymap;
pub mod layout;
pub mod source_view;
pub mod stats_screen;
pub mod study;
pub mod transcript;
pub mod tree;
pub mod visible;
pub mod widgets;

mod dialog_results;
pub mod evidence;
mod judging;
mod keys;
mod mouse;
mod notices;
mod tree_actions;

use crate::domain::{Analysis, Scores, Session, Side};
use crate::engine::{Command, Engine, Input, Output, QuitReason, SaveJob};
use crate::theme::Theme;
use dialogs::Dialog;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseEvent};
use ratatui::layout::Rect;
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;
use transcript::Transcript;
use tree::TreeState;
use visible::Redactor;

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    /// A click or a turn of the wheel (moves are not sent).
    Mouse(MouseEvent),
    Paste(String),
    /// The terminal's new size.
    Resize {
        width: u16,
        height: u16,
    },
    /// Something for the engine: a streamed item, a timer, a finished save.
    Engine(Input),
    /// SIGTERM, SIGHUP or SIGINT: save and leave.
    Terminate(&'static str),
    /// The judge closed `$EDITOR`.
    EditorDone(Result<String, String>),
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Engine outputs for the driver (its events have been read already).
    Engine(Vec<Output>),
    /// Write a session file that is not the one being judged (a fork).
    SaveFile(SaveJob),
    /// Suspend the screen and let the judge write `initial` further in `$EDITOR`.
    Editor {
        initial: String,
    },
    /// Put this text on the clipboard (the terminal's, by OSC 52).
    Copy(String),
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Transcript,
    Tree,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A message in the hint line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
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
        match (self.sentences.get(a), self.sentences.get(b)) {
            (Some(first), Some(last)) => crate::domain::Span {
                start: first.start,
                end: last.end,
            },
            _ => crate::domain::Span { start: 0, end: 0 },
        }
    }
}

/// How the judge works, from the config and the flags.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: keymap::Keymap,
    /// The tags annotation keys offer.
    pub tags: Vec<String>,
    /// Bits taken off the score per turn seen.
    pub turn_penalty: f64,
    /// Hide the debaters' identities until the verdict.
    pub blind: bool,
    /// Nodes a drill can start on (the demo has scripts for a few); `None` means any node.
    pub drillable: Option<HashSet<String>>,
    /// Where the debaters come from ("scripted demo", "replay", model names).
    pub source_label: String,
    /// For the start dialog: who argues, or why the demo plays and how to configure debaters.
    pub debaters_note: Vec<String>,
    /// Why nothing may be recorded, if nothing may (a replay, a newer file, a locked file).
    pub read_only: Option<String>,
    /// Where a fork is written.
    pub sessions_dir: Option<std::path::PathBuf>,
    pub theme: Theme,
    /// The themes the picker (`T`) offers, loaded before the screen opens.
    pub themes: Vec<crate::theme::ThemeChoice>,
    /// Judging a question set: where the judge is in it.
    pub study: Option<study::StudyInfo>,
    /// Ask for the judge's prior before the first speech.
    pub ask_prior: bool,
    /// The LLM judge's and the judge's P(A) further apart than this are flagged.
    pub disagreement: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            keymap: keymap::Keymap::default(),
            tags: crate::domain::DEFAULT_TAGS
                .iter()
                .map(|t| t.to_string())
                .collect(),
            turn_penalty: crate::domain::scoring::DEFAULT_TURN_PENALTY,
            blind: false,
            drillable: None,
            source_label: String::new(),
            debaters_note: Vec::new(),
            read_only: None,
            sessions_dir: None,
            theme: Theme::plain(),
            // The built-ins: listing them reads no file.
            themes: Theme::catalogue(None, crate::theme::ColorDepth::TrueColor),
            study: None,
            ask_prior: false,
            disagreement: crate::config::judge::DEFAULT_DISAGREEMENT,
        }
    }
}

pub struct App {
    pub engine: Engine,
    pub settings: Settings,
    pub focus: Focus,
    pub transcript: Transcript,
    /// The search of the transcript or the tree, while there is one.
    pub search: Option<transcript::search::Search>,
    pub tree: TreeState,
    pub dialog: Option<Dialog>,
    pub notice: Option<Notice>,
    pub visual: Option<Visual>,
    /// The side pane shows the annotations instead of the tree.
    pub show_annotations: bool,
    pub annotation_cursor: usize,
    /// The side pane shows the evidence (every quote in source order) instead of the tree.
    pub show_evidence: bool,
    pub evidence_cursor: usize,
    /// The judge asked for the next question of the set (`N`): the app quits for it.
    pub next_question: bool,
    /// The prior was asked for (it is asked once).
    prior_asked: bool,
    /// The engine was started.
    started: bool,
    pub pending_edit: Option<PendingEdit>,
    /// The side pane is widened to read whole claims.
    pub wide_side: bool,
    /// The terminal's size.
    pub size: Rect,
    /// Turns of the spinner while something streams.
    pub spinner: usize,
    redactor: Redactor,
    /// Blindness and debater count the redactor was built for.
    redactor_for: (bool, usize),
    analysis: Option<Analysis>,
    /// Each turn's doc and rows at the transcript's width.
    layouts: transcript::cache::Layouts,
    /// Turns debated in each drill, counted as turns are begun.
    drill_turns: HashMap<String, usize>,
    drill_counted: usize,
    /// Forks being written: the fork's session id, and the turns it keeps.
    forks: HashMap<String, usize>,
    quitting: bool,
    /// The judge chose to quit although the last save failed.
    quit_unsaved: bool,
    dirty: bool,
}

impl App {
    pub fn new(engine: Engine, settings: Settings) -> Self {
        let mut app = App {
            engine,
            settings,
            focus: Focus::Transcript,
            transcript: Transcript::new(),
            search: None,
            tree: TreeState::default(),
            dialog: None,
            notice: None,
            visual: None,
            show_annotations: false,
            annotation_cursor: 0,
            show_evidence: false,
            evidence_cursor: 0,
            next_question: false,
            prior_asked: false,
            started: false,
            pending_edit: None,
            wide_side: false,
            size: Rect::new(0, 0, 120, 40),
            spinner: 0,
            redactor: Redactor::open(),
            redactor_for: (false, usize::MAX),
            analysis: None,
            layouts: transcript::cache::Layouts::default(),
            forks: HashMap::new(),
            drill_turns: HashMap::new(),
            drill_counted: 0,
            quitting: false,
            quit_unsaved: false,
            dirty: true,
        };
        app.resize(app.size);
        app.refresh();
        app
    }

    pub fn session(&self) -> &Session {
        self.engine.session()
    }

    pub fn theme(&self) -> &Theme {
        &self.settings.theme
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Blind judging hides who the debaters are until the verdict.
    pub fn is_blind(&self) -> bool {
        self.settings.blind && self.session().verdict.is_none()
    }

    pub fn is_quitting(&self) -> bool {
        self.quitting
    }

    /// Whether agon should exit with an error: the session's last save failed.
    pub fn ended_unsaved(&self) -> bool {
        self.quit_unsaved || self.engine.saving().is_failing()
    }

    /// What the tree says now (statuses, cruxes, suggested verdict).
    pub fn analysis(&self) -> Option<&Analysis> {
        self.analysis.as_ref()
    }

    /// The session's own verdict scored against the ground truth.
    pub fn scores(&self) -> Option<Scores> {
        self.session().scores()
    }

    /// The debate the judge is in: `root` or the node of the innermost drill.
    pub fn current_scope(&self) -> &str {
        self.engine.scope()
    }

    /// Whether something changed since the last draw; clears the flag.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// The layout of the screen at its size.
    pub fn areas(&self) -> layout::Areas {
        self.areas_in(self.size)
    }

    /// The panes for a screen of `size`: the frame being drawn, which is briefly not the size
    /// the app last heard of when the terminal is resized between that event and a draw.
    pub fn areas_in(&self, size: Rect) -> layout::Areas {
        layout::areas(
            size,
            layout::Options {
                preview: self.visual.is_some(),
                wide_side: self.wide_side,
            },
        )
    }

    /// Effects to start with: a dialog for the question when there is none, else the first
    /// save and the first turn.
    pub fn start(&mut self, now: OffsetDateTime) -> Vec<Effect> {
        if self.engine.is_live() && self.session().question.trim().is_empty() {
            self.dialog = Some(Dialog::Start(dialogs::StartDialog::for_session(
                self.session(),
            )));
            return Vec::new();
        }
        if self.ask_prior_first() {
            return Vec::new();
        }
        self.started = true;
        let outputs = self.engine.start(now);
        let mut effects = Vec::new();
        self.absorb(outputs, &mut effects);
        self.refresh();
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
            Msg::Mouse(event) => {
                if self.on_mouse(event) {
                    self.dirty = true;
                }
            }
            Msg::Paste(text) => {
                if self.dialog.is_none() && self.paste_into_search(&text) {
                    self.dirty = true;
                } else if let Some(d) = &mut self.dialog {
                    d.paste(&text);
                    self.dirty = true;
                }
            }
            Msg::Resize { width, height } => {
                self.resize(Rect::new(0, 0, width, height));
                self.dirty = true;
            }
            Msg::Engine(Input::Saved { key, path, result }) if self.forks.contains_key(&key) => {
                let kept = self.forks.remove(&key).unwrap_or(0);
                match (result, path) {
                    (Ok(()), Some(path)) => self.notify(
                        Level::Info,
                        format!(
                            "Forked after turn {kept} into {}: agon resume continues it.",
                            path.display()
                        ),
                    ),
                    (Err(e), _) => {
                        self.notify(Level::Error, format!("The fork was not written: {e}"))
                    }
                    (Ok(()), None) => {}
                }
            }
            Msg::Engine(input) => {
                let tick = input == Input::Tick;
                let outputs = self.engine.handle(input, now);
                if tick {
                    // Clocks and the spinner move while something is under way.
                    if !self.engine.activity().is_empty() {
                        self.spinner = self.spinner.wrapping_add(1);
                        self.dirty = true;
                    }
                } else {
                    self.dirty = true;
                }
                self.absorb(outputs, &mut effects);
            }
            Msg::Terminate(signal) => self.quit(QuitReason::Signal(signal), now, &mut effects),
            Msg::EditorDone(result) => {
                self.dirty = true;
                match result {
                    Ok(text) => {
                        if let Some(d) = &mut self.dialog {
                            d.set_long_text(&text);
                        }
                    }
                    Err(e) => self.notify(Level::Error, format!("The editor did not run: {e}")),
                }
            }
        }
        self.refresh();
        effects
    }

    fn resize(&mut self, size: Rect) {
        self.size = size;
        let areas = self.areas();
        let text = layout::transcript_text(areas.transcript);
        self.transcript.set_rows(usize::from(text.height));
        self.layouts.set_width(usize::from(text.width));
        self.tree
            .set_viewport(usize::from(layout::tree_list_rows(areas.side)));
    }

    /// Brings what is derived from the session up to date: the transcript's turn list, the
    /// tree's rows, the analysis, the redactor.
    fn refresh(&mut self) {
        let session = self.engine.session();
        if self.transcript.scope() != self.engine.scope() {
            let scope = self.engine.scope().to_string();
            self.transcript.set_scope(&scope);
        }
        self.transcript.sync(session);
        self.tree.sync(&session.tree);
        if self.drill_counted > session.turns().len() {
            self.drill_turns.clear();
            self.drill_counted = 0;
        }
        for t in session.turns().iter().skip(self.drill_counted) {
            if t.scope != crate::domain::ROOT_ID {
                *self.drill_turns.entry(t.scope.clone()).or_default() += 1;
            }
        }
        self.drill_counted = session.turns().len();
        let revision = session.tree.revision();
        if self
            .analysis
            .as_ref()
            .is_none_or(|a| a.revision != revision)
        {
            self.analysis = Some(Analysis::of(&session.tree));
        }
        let key = (self.is_blind(), session.debaters.len());
        if self.redactor_for != key {
            self.redactor = Redactor::for_session(session, key.0);
            self.redactor_for = key;
        }
        self.sync_search();
    }

    /// Reads the events among engine outputs and passes the outputs on to the driver.
    fn absorb(&mut self, outputs: Vec<Output>, effects: &mut Vec<Effect>) {
        for output in &outputs {
            if let Output::Event(event) = output {
                self.on_event(event);
            }
        }
        if outputs.iter().any(|o| !matches!(o, Output::Event(_))) {
            effects.push(Effect::Engine(outputs));
        }
    }

    /// A command for the engine.
    fn command(&mut self, command: Command, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        let outputs = self.engine.command(command, now);
        self.absorb(outputs, effects);
    }

    /// Records a judge action, reporting a refused edit instead of failing.
    pub(crate) fn judge(
        &mut self,
        kind: crate::domain::JudgeEventKind,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) -> bool {
        match self.engine.judge(kind, now) {
            Ok(outputs) => {
                self.absorb(outputs, effects);
                true
            }
            Err(e) => {
                self.notify(Level::Warning, format!("Not done: {e}."));
                false
            }
        }
    }

    /// Shows a notice, with anything that names a debater hidden while judging blind.
    pub(crate) fn notify(&mut self, level: Level, text: String) {
        let text = self.redactor.chrome(&text);
        self.notice = Some(Notice { level, text });
        self.dirty = true;
    }

    fn quit(&mut self, reason: QuitReason, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if self.quitting {
            return;
        }
        self.quitting = true;
        self.command(Command::Quit(reason), now, effects);
        effects.push(Effect::Quit);
    }

    /// Runs `f` on the transcript with the turns' heights at hand.
    fn with_transcript<R>(
        &mut self,
        f: impl FnOnce(&mut Transcript, &dyn Fn(usize) -> usize) -> R,
    ) -> R {
        let mut transcript = std::mem::take(&mut self.transcript);
        let r = {
            let height = |t: usize| self.turn_height(t);
            f(&mut transcript, &height)
        };
        self.transcript = transcript;
        r
    }

    /// The turn marked `▶`, that annotation keys act on.
    pub fn selected_turn(&self) -> Option<usize> {
        let height = |t: usize| self.turn_height(t);
        self.transcript.selected(&height)
    }

    /// The transcript's first visible row.
    pub fn transcript_top(&self) -> transcript::Anchor {
        let height = |t: usize| self.turn_height(t);
        self.transcript.view_top(&height)
    }

    /// Turns debated in the drill on `node` (0 when there is none).
    pub fn drill_turns(&self, node: &str) -> usize {
        self.drill_turns.get(node).copied().unwrap_or(0)
    }

    /// The turns related to the tree's selected node, for highlighting (sorted).
    pub fn related_turns(&self) -> Vec<usize> {
        let selected = self.tree.selected();
        if selected == 0 || self.focus != Focus::Tree {
            return Vec::new();
        }
        let tree = &self.session().tree;
        tree.nodes()
            .get(selected)
            .map(|n| tree.related_turns(&n.id))
            .unwrap_or_default()
    }

    /// The side the judge's credence favours, and how strongly (for presetting dialogs).
    pub fn credence_now(&self) -> Option<f64> {
        self.session().credence(crate::domain::ROOT_ID)
    }

    /// Whether judge actions may be recorded; says why not when they may not.
    pub(crate) fn can_judge(&mut self) -> bool {
        if let Some(reason) = self.settings.read_only.clone() {
            self.notify(
                Level::Warning,
                format!("Read-only ({reason}): nothing is recorded."),
            );
            return false;
        }
        true
    }

    /// A side's label as the judge may see it.
    pub fn debater_name(&self, side: Side) -> String {
        self.redactor.debater_name(self.session(), side)
    }
}

#[cfg(test)]
mod tests;
