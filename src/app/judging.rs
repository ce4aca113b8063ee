//! Judging instruments: annotations and spans, the annotations pane, undo, forks, and what
//! the verdict records of how the debate ended.

use super::bindings::Action;
use super::dialogs::{AnnotationTarget, Dialog, TagDialog};
use super::{App, Effect, Focus, Level, Visual};
use crate::domain::{JudgeEventKind, ROOT_ID};
use crate::engine::{Mode, SaveJob, SaveTarget};
use std::path::PathBuf;
use time::OffsetDateTime;

impl App {
    /// `t`: annotate the selected turn, or the selected node when the tree has the focus.
    pub(super) fn open_tag_dialog(&mut self) {
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
            let Some(turn) = self.selected_turn() else {
                return self.notify(Level::Info, "No turn to annotate yet.".into());
            };
            AnnotationTarget {
                turn: Some(turn),
                span: None,
                node: None,
                label: format!("turn {} (▶)", turn + 1),
            }
        };
        self.dialog = Some(Dialog::Tags(TagDialog::new(target, &self.settings.tags)));
    }

    /// `V`: start choosing sentences of the selected turn.
    pub(super) fn start_visual(&mut self) {
        if !self.can_judge() {
            return;
        }
        let Some(turn) = self.selected_turn() else {
            return self.notify(Level::Info, "No turn to annotate yet.".into());
        };
        let Some(t) = self.session().turn(turn) else {
            return;
        };
        if !t.status.is_finished() {
            return self.notify(
                Level::Info,
                "Wait for the turn to finish before choosing a span.".into(),
            );
        }
        // Sentences of the prose only: the claims block is annotated through the tree.
        let end = crate::domain::claims::find_block(&t.text).map_or(t.text.len(), |b| b.start);
        let sentences = crate::domain::annotation::sentences(t.text.get(..end).unwrap_or_default());
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

    /// Keys of the annotations pane; returns whether the key was used.
    pub(super) fn on_annotation_pane(
        &mut self,
        action: Action,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) -> bool {
        let count = self.session().annotations.len();
        let current = self
            .session()
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
                    let scope = self
                        .session()
                        .turn(turn)
                        .map_or_else(|| ROOT_ID.to_string(), |t| t.scope.clone());
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
                    self.with_transcript(|t, h| t.show_turn(turn, h));
                    self.focus = Focus::Transcript;
                } else if let Some(pos) = a
                    .node
                    .as_deref()
                    .and_then(|n| self.session().tree.position(n))
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
                self.dialog = Some(Dialog::Tags(TagDialog::edit(
                    target,
                    &self.settings.tags,
                    a.id,
                    &a.tags,
                    &a.note,
                )));
            }
            Action::MarkCrux | Action::Delete => {
                let Some(a) = current else { return true };
                if self.can_judge()
                    && self.judge(JudgeEventKind::DeleteAnnotation { id: a.id }, now, effects)
                {
                    self.annotation_cursor = self
                        .annotation_cursor
                        .min(self.session().annotations.len().saturating_sub(1));
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

    pub(super) fn jump_annotated(&mut self, forward: bool) {
        let scope = self.current_scope().to_string();
        let session = self.session();
        let mut turns: Vec<usize> = session
            .annotations
            .iter()
            .filter_map(|a| a.turn)
            .filter(|&t| session.turn(t).is_some_and(|t| t.scope == scope))
            .collect();
        turns.sort_unstable();
        turns.dedup();
        let here = self.selected_turn();
        let target = if forward {
            turns.into_iter().find(|&t| here.is_none_or(|h| t > h))
        } else {
            turns
                .into_iter()
                .rev()
                .find(|&t| here.is_none_or(|h| t < h))
        };
        match target {
            Some(t) => self.with_transcript(|tr, h| tr.show_turn(t, h)),
            None => self.notify(Level::Info, "No more annotated turns that way.".into()),
        }
    }

    pub(super) fn undo(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if !self.can_judge() {
            return;
        }
        let Some((undone, outputs)) = self.engine.undo(now) else {
            return self.notify(Level::Info, "Nothing to undo.".into());
        };
        self.absorb(outputs, effects);
        let scope = self.current_scope().to_string();
        self.transcript.set_scope(&scope);
        self.annotation_cursor = self
            .annotation_cursor
            .min(self.session().annotations.len().saturating_sub(1));
        let what = serde_json::to_value(&undone)
            .ok()
            .and_then(|v| {
                v.get("kind")
                    .and_then(|k| k.as_str())
                    .map(|k| k.replace('_', " "))
            })
            .unwrap_or_else(|| "action".into());
        self.notify(Level::Info, format!("Undone: {what}."));
    }

    /// Writes a new session that branches off after the selected turn; `agon resume` continues it.
    pub(super) fn fork(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        let Some(turn) = self.selected_turn() else {
            return self.notify(Level::Info, "No turn to fork after yet.".into());
        };
        let path = self.engine.saving().path().map(PathBuf::from);
        let dir = self
            .settings
            .sessions_dir
            .clone()
            .or_else(|| self.engine.saving().dir().map(PathBuf::from));
        let Some(dir) = dir else {
            return self.notify(
                Level::Warning,
                "No sessions directory to write the fork to.".into(),
            );
        };
        let origin = path.as_ref().map(|p| p.display().to_string());
        let source = match self.engine.mode() {
            Mode::Replay { recording } | Mode::Rejudge { recording, .. } => recording.as_ref(),
            Mode::Live => self.session(),
        };
        let fork = source.fork(turn + 1, origin, now);
        let name = fork
            .file_name()
            .replace(".json", &format!("_fork{}.json", turn + 1));
        self.forks.insert(fork.id.clone(), turn + 1);
        effects.push(Effect::SaveFile(SaveJob {
            target: SaveTarget::New {
                dir,
                name: Some(name),
            },
            key: fork.id.clone(),
            session: Box::new(fork),
        }));
    }

    /// Why the debate ended, for the verdict.
    pub(super) fn why_ended(&self) -> String {
        let s = self.session();
        match &s.ended_early {
            Some(reason) if reason.is_empty() => "the judge ended the debate early".into(),
            Some(reason) => format!("the judge ended the debate early: {reason}"),
            None if s.next_slot().is_none() => "every round was played".into(),
            None => {
                let played = s.turns_in(ROOT_ID).filter(|t| t.counts_as_played()).count();
                let planned = s.protocol.rounds as usize * s.speakers().len();
                format!("verdict after {played} of {planned} turns")
            }
        }
    }
}
