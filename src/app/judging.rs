//! Judging instruments: annotations and spans, the annotations pane, undo, forks,
//! scores and what the verdict records.

use super::*;

impl App {
    /// Whether judge actions are allowed; says why not when they are not.
    pub(super) fn can_judge(&mut self) -> bool {
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
    pub(super) fn start_visual(&mut self) {
        if !self.can_judge() {
            return;
        }
        let Some(turn) = self.transcript.selected_turn() else {
            return self.notify(Level::Info, "No turn to annotate yet.".into());
        };
        let t = &self.session.turns()[turn];
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

    pub(super) fn on_visual_key(&mut self, key: &KeyEvent) {
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
    pub(super) fn on_annotation_pane(
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
                    let scope = self.session.turns()[turn].scope.clone();
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

    pub(super) fn jump_annotated(&mut self, forward: bool) {
        let scope = self.current_scope().to_string();
        let mut turns: Vec<usize> = self
            .session
            .annotations
            .iter()
            .filter_map(|a| a.turn)
            .filter(|&t| {
                self.session
                    .turns()
                    .get(t)
                    .is_some_and(|t| t.scope == scope)
            })
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

    pub(super) fn undo(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
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

    /// Writes a new session that branches off after the selected turn; `agon resume` continues it.
    pub(super) fn fork(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
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

    /// Once the verdict is in: the ground truth and scores, if the session has a ground truth.
    pub(super) fn after_verdict(&mut self) -> Option<Overlay> {
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
            .turns()
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
    pub(super) fn why_ended(&self) -> String {
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

    /// Records a judge action, reporting a refused edit instead of failing.
    pub(super) fn judge(
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
}
