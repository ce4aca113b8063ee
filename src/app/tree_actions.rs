//! Acting on the claim tree: drilling in and out, node rulings, crux marks and the judge's
//! edits.

use super::*;

impl App {
    pub(super) fn selected_node(&self) -> (usize, String) {
        let pos = self.tree.selected();
        let id = self
            .session
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

    /// P(A) on a node, for starting a ruling dialog: the suggestion there, as P(A is right).
    pub(super) fn node_p_a(&mut self, pos: usize) -> f64 {
        let side = self.session.tree.nodes()[pos].side;
        let p = self.analysis().p_stands[pos];
        match side {
            Some(Side::B) => 1.0 - p,
            _ => p,
        }
    }

    /// Starts (or returns to) a focused sub-debate on a node.
    pub(super) fn drill(
        &mut self,
        pos: usize,
        id: String,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) {
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

    pub(super) fn go_up(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
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
}
