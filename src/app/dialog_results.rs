//! What the app does with what a dialog returns.

use super::dialogs::{Dialog, Outcome, PromptPurpose, StartInput, VerdictPurpose};
use super::{App, Effect, Level};
use crate::domain::{JudgeEventKind, Positions, ROOT_ID};
use crate::engine::{Command, QuitReason};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::OffsetDateTime;

impl App {
    /// A key while `dialog` is open; the dialog stays open unless it finished.
    pub(super) fn on_dialog_key(
        &mut self,
        mut dialog: Dialog,
        key: &KeyEvent,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) {
        // Ctrl-E in a note or rationale: write it at length in $EDITOR.
        if key.code == KeyCode::Char('e')
            && key.modifiers.contains(KeyModifiers::CONTROL)
            && let Some(initial) = dialog.long_text()
        {
            effects.push(Effect::Editor {
                initial: initial.to_string(),
            });
            self.dialog = Some(dialog);
            return;
        }
        let keep = match &mut dialog {
            Dialog::Result(d) => d.handle(key) == Outcome::Open,
            Dialog::Source(d) => d.handle(key) == Outcome::Open,
            Dialog::Help(d) => d.handle(key) == Outcome::Open,
            Dialog::ConfirmQuit(d) => match d.handle(key) {
                Outcome::Open => true,
                Outcome::Cancelled => false,
                Outcome::Submitted(()) => {
                    self.quit_unsaved = self.engine.saving().is_failing();
                    self.quit(QuitReason::Judge, now, effects);
                    false
                }
            },
            Dialog::Start(d) => match d.handle(key) {
                Outcome::Open => true,
                Outcome::Cancelled => {
                    self.quit(QuitReason::Judge, now, effects);
                    false
                }
                Outcome::Submitted(input) => {
                    self.begin_with(input, now, effects);
                    false
                }
            },
            Dialog::Credence(d) => match d.handle(key) {
                Outcome::Open => true,
                Outcome::Cancelled => {
                    self.after_prior(now, effects);
                    false
                }
                Outcome::Submitted(p) => {
                    let kind = JudgeEventKind::Credence {
                        node: ROOT_ID.to_string(),
                        p_a: p,
                        reason: None,
                    };
                    if self.judge(kind, now, effects) {
                        let what = if d.prior { "Prior" } else { "Credence" };
                        self.notify(
                            Level::Info,
                            format!("{what} recorded: P(A is right) = {:.0}%", p * 100.0),
                        );
                    }
                    self.after_prior(now, effects);
                    false
                }
            },
            Dialog::Verdict(d) => match d.handle(key) {
                Outcome::Open => true,
                Outcome::Cancelled => false,
                Outcome::Submitted(v) => {
                    let purpose = d.purpose.clone();
                    self.record_verdict(purpose, v, now, effects);
                    false
                }
            },
            Dialog::Tags(d) => match d.handle(key) {
                Outcome::Open => true,
                Outcome::Cancelled => false,
                Outcome::Submitted(input) => {
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
                    let label = d.target.label.clone();
                    if self.judge(kind, now, effects) {
                        self.notify(Level::Info, format!("Annotated {label}."));
                    }
                    false
                }
            },
            Dialog::Message(d) => match d.handle(key) {
                Outcome::Open => true,
                Outcome::Cancelled => false,
                Outcome::Submitted((to, text)) => {
                    self.command(Command::Message { to, text }, now, effects);
                    false
                }
            },
            Dialog::End(d) => match d.handle(key) {
                Outcome::Open => true,
                Outcome::Cancelled => false,
                Outcome::Submitted(reason) => {
                    self.command(Command::EndEarly { reason }, now, effects);
                    false
                }
            },
            Dialog::Theme(d) => match d.handle(key) {
                Outcome::Open => {
                    self.settings.theme = d.preview().clone();
                    true
                }
                Outcome::Cancelled => {
                    self.settings.theme = d.original().clone();
                    false
                }
                Outcome::Submitted(theme) => {
                    self.notify(Level::Info, super::dialogs::theme::kept(&theme.name));
                    self.settings.theme = theme;
                    false
                }
            },
            Dialog::Prompt(d) => match d.handle(key) {
                Outcome::Open => true,
                Outcome::Cancelled => false,
                Outcome::Submitted(text) => {
                    let purpose = d.purpose.clone();
                    self.on_prompt(purpose, text, now, effects);
                    false
                }
            },
        };
        if keep && self.dialog.is_none() {
            self.dialog = Some(dialog);
        }
    }

    /// The start dialog's answers set up the debate, which then begins.
    fn begin_with(&mut self, input: StartInput, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        let StartInput {
            question,
            answer_a,
            answer_b,
            rounds,
            kind,
            format,
        } = input;
        self.engine.set_question(question, now);
        self.engine.set_setup(
            Positions {
                a: answer_a,
                b: answer_b,
            },
            rounds,
            kind,
            format,
        );
        effects.extend(self.start(now));
    }

    fn record_verdict(
        &mut self,
        purpose: VerdictPurpose,
        v: super::dialogs::VerdictInput,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) {
        let pct = v.confidence * 100.0;
        let penalty = Some(self.settings.turn_penalty);
        match purpose {
            VerdictPurpose::Debate => {
                let kind = JudgeEventKind::Verdict {
                    winner: v.winner,
                    confidence: v.confidence,
                    rationale: v.rationale,
                    decided_by: None,
                    ended: self.why_ended(),
                    turn_penalty: penalty,
                };
                if self.judge(kind, now, effects) {
                    self.notify(
                        Level::Info,
                        format!(
                            "Verdict recorded: {} wins at {pct:.0}% confidence.",
                            v.winner
                        ),
                    );
                    self.after_verdict();
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
                    turn_penalty: penalty,
                };
                if self.judge(ruling, now, effects) && self.judge(verdict, now, effects) {
                    self.notify(
                        Level::Info,
                        format!("Decided by {node}: {} wins at {pct:.0}%.", v.winner),
                    );
                    self.after_verdict();
                }
            }
        }
    }

    /// Once the verdict is in: the result against the ground truth, when there is one.
    fn after_verdict(&mut self) {
        if let Some(study) = &self.settings.study {
            let next = if study.position < study.total {
                format!(
                    "N starts question {} of {}",
                    study.position + 1,
                    study.total
                )
            } else {
                "that was the last question; q quits".to_string()
            };
            let source = if self.session().source_text.is_some() {
                "S shows the source · "
            } else {
                ""
            };
            self.notify(Level::Info, format!("Verdict recorded. {source}{next}."));
        }
        if self.session().ground_truth.is_some() {
            self.dialog = Some(Dialog::Result(super::dialogs::ResultDialog));
        }
    }

    fn on_prompt(
        &mut self,
        purpose: PromptPurpose,
        text: String,
        now: OffsetDateTime,
        effects: &mut Vec<Effect>,
    ) {
        match purpose {
            PromptPurpose::AddQuestion { parent } => {
                let kind = JudgeEventKind::AddNode {
                    id: String::new(),
                    parent: parent.clone(),
                    text,
                };
                if self.judge(kind, now, effects) {
                    if let Some(pos) = self.session().tree.len().checked_sub(1) {
                        self.tree.sync(&self.engine.session().tree);
                        self.tree.select(pos);
                    }
                    self.notify(
                        Level::Info,
                        format!("Sub-question added under {parent}; Enter drills into it."),
                    );
                }
            }
            PromptPurpose::GoToTurn => match text.parse::<usize>() {
                Ok(n) => self.command(Command::Seek(n), now, effects),
                Err(_) => self.notify(Level::Warning, format!("{text:?} is not a turn number.")),
            },
            PromptPurpose::EditNode { node } => {
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
    }
}
