//! Keys while a dialog or overlay is open.

use super::*;

impl App {
    pub(super) fn on_overlay_key(
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
                                turn_penalty: Some(self.turn_penalty),
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
                                turn_penalty: Some(self.turn_penalty),
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
}
