//! Keys on the main screen: what each action of the keymap does.

use super::bindings::Action;
use super::dialogs::{
    ConfirmQuit, CredenceDialog, Dialog, EndDialog, HelpDialog, MessageDialog, PromptDialog,
    PromptPurpose, QuitWhy, ThemeDialog, VerdictDialog, VerdictPurpose,
};
use super::{App, Effect, Focus, Level};
use crate::engine::{Command, QuitReason, Refusal};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use time::OffsetDateTime;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if let Some(dialog) = self.dialog.take() {
            return self.on_dialog_key(dialog, &key, now, effects);
        }
        if self.search.as_ref().is_some_and(|s| s.editing) {
            return self.on_search_key(&key);
        }
        if self.visual.is_some() {
            return self.on_visual_key(&key);
        }
        let Some(action) = self.settings.keymap.action_for(&key) else {
            return;
        };
        if self.show_annotations
            && self.focus == Focus::Tree
            && self.on_annotation_pane(action, now, effects)
        {
            return;
        }
        if self.show_evidence && self.focus == Focus::Tree && self.on_evidence_pane(action) {
            return;
        }
        match action {
            Action::Search => self.open_search(),
            Action::Step if self.search_active() => self.next_hit(true),
            // `n` and `N` walk a kept search's matches; without one they play a turn and go
            // to the next question.
            Action::NextQuestion if self.search_active() => self.next_hit(false),
            // A kept search is cleared first: Esc must not stop a turn the judge did not mean.
            Action::Cancel if self.clear_search() => {}
            Action::Copy => self.copy(false, effects),
            Action::CopyWhole => self.copy(true, effects),
            Action::Tag => self.open_tag_dialog(),
            Action::Visual => self.start_visual(),
            Action::ToggleAnnotations => {
                self.show_annotations = !self.show_annotations;
                self.show_evidence = false;
                self.focus = Focus::Tree;
            }
            Action::ToggleEvidence => self.toggle_evidence(),
            Action::ShowSource => self.open_source(),
            Action::NextQuestion => self.next_question(now, effects),
            Action::NextAnnotated => self.jump_annotated(true),
            Action::PrevAnnotated => self.jump_annotated(false),
            Action::Delete => self.notify(
                Level::Info,
                "Del deletes an annotation in the annotations pane (A).".into(),
            ),
            Action::Undo => self.undo(now, effects),
            Action::Fork => self.fork(now, effects),
            Action::GoTo => {
                if self.engine.is_live() {
                    self.notify(
                        Level::Info,
                        "# goes to a turn in a replay (agon replay FILE).".into(),
                    );
                } else {
                    self.dialog = Some(Dialog::Prompt(PromptDialog::new(
                        PromptPurpose::GoToTurn,
                        "",
                    )));
                }
            }
            Action::Message | Action::EndDebate | Action::AddRound if !self.can_judge() => {}
            Action::Message | Action::EndDebate | Action::AddRound if !self.engine.is_live() => {
                self.notify(
                    Level::Info,
                    "Not while re-judging: the debate is recorded; judge what was said.".into(),
                )
            }
            Action::Message => {
                let s = self.session();
                if s.last_finished_turn().is_none() {
                    self.refused(&Refusal::FirstTurnFirst);
                } else if s.ended_early.is_some() || s.next_slot().is_none() {
                    self.refused(&Refusal::NoOneToHear);
                } else {
                    self.dialog = Some(Dialog::Message(MessageDialog::default()));
                }
            }
            Action::EndDebate => {
                let s = self.session();
                if s.ended_early.is_some() || s.next_slot().is_none() {
                    self.notify(
                        Level::Info,
                        "The debate is already over; v records the verdict.".into(),
                    );
                } else {
                    self.dialog = Some(Dialog::End(EndDialog::default()));
                }
            }
            Action::AddRound => self.command(Command::AddRound, now, effects),
            Action::Quit => {
                if !self.session().streaming_turns().is_empty() && self.engine.is_live() {
                    self.dialog = Some(Dialog::ConfirmQuit(ConfirmQuit {
                        why: QuitWhy::Streaming,
                    }));
                } else if let Some(e) = self.engine.saving().error() {
                    self.dialog = Some(Dialog::ConfirmQuit(ConfirmQuit {
                        why: QuitWhy::Unsaved(e.to_string()),
                    }));
                } else {
                    self.quit(QuitReason::Judge, now, effects);
                }
            }
            Action::ForceQuit => {
                self.quit_unsaved = self.engine.saving().is_failing();
                self.quit(QuitReason::Judge, now, effects);
            }
            Action::Help => self.dialog = Some(Dialog::Help(HelpDialog::default())),
            Action::ThemePicker => {
                let d = ThemeDialog::new(&self.settings.themes, &self.settings.theme);
                self.dialog = Some(Dialog::Theme(d));
            }
            Action::Cancel => {
                if !self.session().streaming_turns().is_empty() && self.engine.is_live() {
                    self.command(Command::Stop, now, effects);
                } else {
                    self.pending_edit = None;
                    self.notice = None;
                }
            }
            Action::Retry => self.command(Command::Retry, now, effects),
            Action::Skip => self.command(Command::Skip, now, effects),
            Action::TogglePause => self.command(Command::TogglePause, now, effects),
            Action::Step => self.command(Command::Step, now, effects),
            Action::Credence => {
                if self.can_judge() {
                    let mut d = CredenceDialog::new(self.credence_now());
                    d.prior = self.session().last_finished_turn().is_none();
                    self.dialog = Some(Dialog::Credence(d));
                }
            }
            Action::Verdict => {
                if self.can_judge() {
                    // Start from the verdict already given (a crux may have decided it), else
                    // from the judge's credence.
                    let p_a = self
                        .session()
                        .verdict
                        .as_ref()
                        .map(|v| v.p_a())
                        .or_else(|| self.credence_now());
                    self.dialog = Some(Dialog::Verdict(VerdictDialog::new(
                        VerdictPurpose::Debate,
                        p_a,
                    )));
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
            Action::WideTree => {
                self.wide_side = !self.wide_side;
                let size = self.size;
                self.resize(size);
            }
            _ => self.on_navigation(action),
        }
    }

    fn on_navigation(&mut self, action: Action) {
        let before = self.tree.selected();
        self.navigate(action);
        let selected = self.tree.selected();
        if selected != before
            && let Some(turn) = self
                .session()
                .tree
                .nodes()
                .get(selected)
                .and_then(|n| n.turn)
        {
            self.with_transcript(|t, h| t.reveal_turn(turn, h));
        }
    }

    fn navigate(&mut self, action: Action) {
        match (self.focus, action) {
            (Focus::Transcript, Action::ScrollDown) => {
                self.with_transcript(|t, h| t.scroll_by(1, h))
            }
            (Focus::Transcript, Action::ScrollUp) => {
                self.with_transcript(|t, h| t.scroll_by(-1, h))
            }
            (Focus::Transcript, Action::PageDown) => self.with_transcript(|t, h| t.page(1, h)),
            (Focus::Transcript, Action::PageUp) => self.with_transcript(|t, h| t.page(-1, h)),
            (Focus::Transcript, Action::Top) => self.with_transcript(|t, h| t.to_top(h)),
            (Focus::Transcript, Action::Bottom) => self.transcript.to_bottom(),
            (_, Action::NextTurn) => self.with_transcript(|t, h| t.jump_turn(true, h)),
            (_, Action::PrevTurn) => self.with_transcript(|t, h| t.jump_turn(false, h)),
            (Focus::Tree, a) => {
                let tree = &self.engine.session().tree;
                match a {
                    Action::ScrollDown => self.tree.move_by(tree, 1),
                    Action::ScrollUp => self.tree.move_by(tree, -1),
                    Action::PageDown => self.tree.move_by(tree, 10),
                    Action::PageUp => self.tree.move_by(tree, -10),
                    Action::Top => self.tree.select(0),
                    Action::Bottom => self.tree.select_last(tree),
                    Action::Expand => self.tree.expand(tree),
                    Action::Collapse => self.tree.collapse(tree),
                    Action::Toggle => self.tree.toggle(tree),
                    _ => {}
                }
            }
            (Focus::Transcript, Action::Expand | Action::Collapse | Action::Toggle) => {
                self.focus = Focus::Tree;
            }
            _ => {}
        }
    }

    /// Choosing sentences of a turn to annotate.
    pub(super) fn on_visual_key(&mut self, key: &KeyEvent) {
        let Some(v) = &mut self.visual else { return };
        let last = v.sentences.len().saturating_sub(1);
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
                let target = super::dialogs::AnnotationTarget {
                    turn: Some(turn),
                    span: Some(span),
                    node: None,
                    label: format!("a span of turn {}", turn + 1),
                };
                self.dialog = Some(Dialog::Tags(super::dialogs::TagDialog::new(
                    target,
                    &self.settings.tags,
                )));
            }
            _ => {}
        }
    }
}
