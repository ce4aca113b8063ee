//! What the judge is told when the debate moves: the engine's events in words, and the views
//! that follow them (a drill's transcript, a replay's jump).

use super::{App, Focus, Level};
use crate::domain::{JudgeEventKind, ROOT_ID};
use crate::engine::{Event, Refusal};

impl App {
    pub(super) fn on_event(&mut self, event: &Event) {
        match event {
            Event::TurnStarted { .. } | Event::TurnComplete { .. } => {
                // A finished retry leaves no stale failure notice behind.
                if self.notice.as_ref().is_some_and(|n| n.level != Level::Info) {
                    self.notice = None;
                }
            }
            Event::Retrying {
                turn,
                retry,
                wait,
                reason,
            } => self.notify(
                Level::Warning,
                format!(
                    "Turn {}: {}. Retry {retry} in {}.",
                    turn + 1,
                    reason.trim_end_matches('.'),
                    crate::providers::describe_wait(*wait)
                ),
            ),
            Event::TurnFailed { turn, error, .. } => self.notify(
                Level::Error,
                format!(
                    "Turn {} failed: {}. r retries it, s skips it.",
                    turn + 1,
                    error.trim_end_matches('.')
                ),
            ),
            Event::TurnStopped { turn } => {
                if self.engine.is_live() && !self.engine.is_quitting() {
                    self.notify(
                        Level::Warning,
                        format!(
                            "Turn {} stopped; its text is kept. r retries it, s skips it.",
                            turn + 1
                        ),
                    );
                }
            }
            Event::TurnSkipped { .. } => self.notify(
                Level::Info,
                "Skipped. n plays the next turn, Space resumes.".into(),
            ),
            Event::DebateOver => self.notify(
                Level::Info,
                "The debate is over. Press v to record your verdict.".into(),
            ),
            Event::DrillOver { node } => self.notify(
                Level::Info,
                format!("The drill on {node} is over: w judges it, Backspace goes back up."),
            ),
            Event::Paused => self.notify(
                Level::Info,
                "Paused: the turn under way finishes, then the debate waits. n plays one turn."
                    .into(),
            ),
            Event::Resumed => self.notify(Level::Info, "Resumed.".into()),
            Event::Drilled { node } => {
                self.transcript.set_scope(node);
                self.focus = Focus::Transcript;
                self.notify(
                    Level::Info,
                    format!("Drilled into {node}. Backspace goes back up; w judges the node."),
                );
            }
            Event::Up { scope } => {
                let left = self.transcript.scope().to_string();
                self.transcript.set_scope(scope);
                if let Some(pos) = self.session().tree.position(&left) {
                    self.tree.select(pos);
                    self.focus = Focus::Tree;
                }
                let back = if scope == ROOT_ID {
                    "the main debate".to_string()
                } else {
                    format!("the drill on {scope}")
                };
                self.notify(Level::Info, format!("Back in {back}. Space resumes it."));
            }
            Event::EndedEarly => self.notify(
                Level::Info,
                "Debate ended. Press v to record your verdict.".into(),
            ),
            Event::RoundAdded { rounds } => {
                self.notify(Level::Info, format!("Round {rounds} added."))
            }
            Event::MessageSent { to } => {
                let who = to.map_or("both debaters".to_string(), |s| format!("debater {s}"));
                self.notify(
                    Level::Info,
                    format!("Sent to {who}; it goes into their next prompt."),
                );
            }
            Event::Timeline {
                after_turn,
                actions,
            } => {
                let when = after_turn.map_or("Before the first turn".to_string(), |t| {
                    format!("After turn {}", t + 1)
                });
                let said: Vec<String> = actions.iter().map(describe_action).collect();
                self.notify(
                    Level::Info,
                    format!("{when}, the judge: {}", said.join(" · ")),
                );
            }
            Event::Seeked { turn, of } => {
                self.transcript.reset();
                self.tree = super::tree::TreeState::default();
                let size = self.size;
                self.resize(size);
                self.notify(
                    Level::Info,
                    format!("At turn {turn} of {of}: n steps on, Space plays."),
                );
            }
            Event::Refused(why) => self.refused(why),
            Event::Chose { side, answer } => {
                let text = match answer {
                    Some(_) => format!("Debater {side} chose its answer; the debate begins."),
                    None => format!(
                        "Debater {side} named no answer; the drawn answers stand. The debate begins."
                    ),
                };
                self.notify(Level::Info, text);
            }
            // Shown beside the judge's own credence once they have recorded theirs (the
            // status bar reads the judgement), never before, so it cannot anchor them.
            Event::LlmCredence { .. } | Event::LlmVerdict { .. } => {}
            Event::AskFailed { what, error } => self.notify(
                Level::Warning,
                format!("No answer for {what}: {}", error.trim_end_matches('.')),
            ),
        }
    }

    /// Says why a command was not carried out (the engine's refusal, or the app's own check
    /// of the same rule before it opens a dialog).
    pub(crate) fn refused(&mut self, why: &Refusal) {
        self.notify(Level::Info, refusal(why));
    }
}

/// Why a command was not carried out, in words.
fn refusal(why: &Refusal) -> String {
    match why {
        Refusal::NotLive => "Not in a replay: the debate is recorded.".into(),
        Refusal::NothingToRetry => "r retries a failed or stopped turn; there is none.".into(),
        Refusal::NothingToSkip => "s skips a failed or stopped turn; there is none.".into(),
        Refusal::NothingToStop => "No turn is streaming.".into(),
        Refusal::NotPaused => "n steps while paused; press Space to pause.".into(),
        Refusal::NoTurnsLeft => "No turns left to play.".into(),
        Refusal::AlreadyOver => "The debate is already over; v records the verdict.".into(),
        Refusal::EndedEarly => "You ended this debate; it takes no more rounds.".into(),
        Refusal::FirstTurnFirst => {
            "The judge speaks between turns: wait for the first turn.".into()
        }
        Refusal::NoOneToHear => {
            "The debate is over, so no debater would read a message. + adds a round; t annotates a turn."
                .into()
        }
        Refusal::WhileStreaming => {
            "Wait for the turn to finish (or Esc to stop it), then try again.".into()
        }
        Refusal::AlreadyInDrill(node) => format!("You are in the drill on {node}."),
        Refusal::RootIsTheDebate => "That is the main debate; Backspace goes back up to it.".into(),
        Refusal::InMainDebate => "You are in the main debate.".into(),
        Refusal::ForwardOnly => {
            "While re-judging you go forward only (n, Space, or # to a later turn).".into()
        }
        Refusal::Edit(e) => format!("Not done: {e}."),
    }
}

/// A judge action in a few words, for the replay's timeline.
pub fn describe_action(kind: &JudgeEventKind) -> String {
    match kind {
        JudgeEventKind::Credence { node, p_a, .. } if node == ROOT_ID => {
            format!("P(A) {:.0}%", p_a * 100.0)
        }
        JudgeEventKind::Credence { node, p_a, .. } => {
            format!("P(A) on {node} {:.0}%", p_a * 100.0)
        }
        JudgeEventKind::Verdict {
            winner, confidence, ..
        } => format!("verdict {winner} {:.0}%", confidence * 100.0),
        JudgeEventKind::NodeJudgement {
            node,
            winner,
            confidence,
            ..
        } => format!("{node}: {winner} wins {:.0}%", confidence * 100.0),
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
