//! Acting on the claim tree: drilling in and out, node rulings, crux marks and the judge's
//! edits.

use super::bindings::Action;
use super::dialogs::{Dialog, PromptDialog, PromptPurpose, VerdictDialog, VerdictPurpose};
use super::{App, Effect, Focus, Level, PendingEdit};
use crate::domain::{JudgeEventKind, ROOT_ID};
use crate::engine::Command;
use time::OffsetDateTime;

impl App {
    pub(super) fn selected_node(&self) -> (usize, String) {
        let pos = self.tree.selected();
        let id = self
            .session()
            .tree
            .nodes()
            .get(pos)
            .map_or_else(|| ROOT_ID.to_string(), |n| n.id.clone());
        (pos, id)
    }

    pub(super) fn on_node_action(
        &mut self,
        action: Action,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) {
        if action == Action::Up {
            return self.command(Command::Up, now, effects);
        }
        if let Some(reason) = self.settings.read_only.clone() {
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
                let Some(analysis) = self.analysis() else {
                    return;
                };
                let (Some(&now_crux), Some(&proposed)) =
                    (analysis.crux.get(pos), analysis.proposed_crux.get(pos))
                else {
                    return;
                };
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
                // Open neutral: agon's own reading of the node must not anchor the judge. An
                // earlier ruling is where the judge left it.
                let p_a = self.node_ruling_p_a(pos);
                self.dialog = Some(Dialog::Verdict(VerdictDialog::new(
                    VerdictPurpose::Node(id),
                    p_a,
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
                let p_a = self.node_ruling_p_a(pos);
                self.dialog = Some(Dialog::Verdict(VerdictDialog::new(
                    VerdictPurpose::DecideBy(id),
                    p_a,
                )));
            }
            Action::AddQuestion => {
                self.dialog = Some(Dialog::Prompt(PromptDialog::new(
                    PromptPurpose::AddQuestion { parent: id },
                    "",
                )));
            }
            Action::EditNode => {
                let text = self
                    .session()
                    .tree
                    .nodes()
                    .get(pos)
                    .map(|n| n.text.clone())
                    .unwrap_or_default();
                self.dialog = Some(Dialog::Prompt(PromptDialog::new(
                    PromptPurpose::EditNode { node: id },
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

    /// The judge's earlier ruling on a node as P(A), if there is one.
    fn node_ruling_p_a(&self, pos: usize) -> Option<f64> {
        let node = self.session().tree.nodes().get(pos)?;
        let j = node.judgement.as_ref()?;
        Some(match j.winner {
            crate::domain::Side::A => j.confidence,
            crate::domain::Side::B => 1.0 - j.confidence,
        })
    }

    /// Starts (or returns to) a focused sub-debate on a node.
    fn drill(&mut self, pos: usize, id: String, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if !self.engine.is_live() {
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
        if let Some(allowed) = &self.settings.drillable
            && !allowed.contains(&id)
        {
            let mut list: Vec<&str> = allowed.iter().map(String::as_str).collect();
            list.sort_unstable();
            return self.notify(
                Level::Info,
                format!(
                    "The demo has scripted drills on {} only.",
                    list.join(" and ")
                ),
            );
        }
        self.command(Command::Drill { node: id }, now, effects);
    }
}
