//! The judge's side of a session: applying, logging, undoing and replaying judge events.

use super::Session;
use crate::domain::judge::{
    JudgeEvent, JudgeEventKind, Verdict, clamp_confidence, clamp_probability,
};
use crate::domain::side::Side;
use crate::domain::tree::{ClaimTree, EditError, NodeJudgement};
use crate::domain::turn::TurnStatus;
use time::OffsetDateTime;

impl Session {
    /// Records a judge action: applies it to the session, then logs it as an event. A refused
    /// edit changes nothing and logs nothing.
    pub fn judge(&mut self, kind: JudgeEventKind, now: OffsetDateTime) -> Result<(), EditError> {
        let kind = self.apply(kind, now)?;
        self.push_event(kind, now);
        Ok(())
    }

    /// Applies a judge action to the tree and verdict without logging it (replay uses this to
    /// rebuild the session as it stood). Returns the action as it should be logged.
    pub fn apply(
        &mut self,
        kind: JudgeEventKind,
        now: OffsetDateTime,
    ) -> Result<JudgeEventKind, EditError> {
        let kind = match kind {
            JudgeEventKind::Credence { node, p_a, reason } => {
                if self.tree.get(&node).is_none() {
                    return Err(EditError::NoSuchNode(node));
                }
                JudgeEventKind::Credence {
                    node,
                    p_a: clamp_probability(p_a),
                    reason,
                }
            }
            JudgeEventKind::Verdict {
                winner,
                confidence,
                rationale,
                decided_by,
                ended,
                turn_penalty,
            } => {
                let confidence = clamp_confidence(confidence);
                let turn_penalty = turn_penalty.filter(|p| p.is_finite() && *p >= 0.0);
                self.verdict = Some(Verdict {
                    winner,
                    confidence,
                    rationale: rationale.clone(),
                    decided_by: decided_by.clone(),
                    ended: ended.clone(),
                    turn_penalty,
                    at: now,
                });
                JudgeEventKind::Verdict {
                    winner,
                    confidence,
                    rationale,
                    decided_by,
                    ended,
                    turn_penalty,
                }
            }
            JudgeEventKind::Message { to, text } => {
                if text.trim().is_empty() {
                    return Err(EditError::EmptyText);
                }
                JudgeEventKind::Message {
                    to,
                    text: text.trim().to_string(),
                }
            }
            JudgeEventKind::EndDebate { reason } => {
                self.ended_early = Some(reason.clone());
                self.refresh_status();
                JudgeEventKind::EndDebate { reason }
            }
            JudgeEventKind::AddRound => {
                self.protocol.rounds = self.protocol.rounds.saturating_add(1);
                self.refresh_status();
                JudgeEventKind::AddRound
            }
            JudgeEventKind::Annotate { mut annotation } => {
                if let Some(t) = annotation.turn {
                    let turn = self.turn(t).ok_or(EditError::NoSuchTurn(t))?;
                    if let Some(span) = annotation.span {
                        let quote = turn
                            .text
                            .get(span.start..span.end)
                            .ok_or(EditError::BadSpan)?;
                        annotation.quote = Some(quote.to_string());
                    }
                }
                if let Some(node) = &annotation.node
                    && self.tree.get(node).is_none()
                {
                    return Err(EditError::NoSuchNode(node.clone()));
                }
                if annotation.tags.is_empty() && annotation.note.trim().is_empty() {
                    return Err(EditError::EmptyText);
                }
                if annotation.id == 0 {
                    // Never reuse an id, not even one whose annotation was deleted.
                    let logged = self.judge_events.iter().filter_map(|e| match &e.kind {
                        JudgeEventKind::Annotate { annotation } => Some(annotation.id),
                        _ => None,
                    });
                    let current = self.annotations.iter().map(|a| a.id);
                    annotation.id = logged.chain(current).max().unwrap_or(0).saturating_add(1);
                }
                self.annotations.push(annotation.clone());
                JudgeEventKind::Annotate { annotation }
            }
            JudgeEventKind::EditAnnotation { id, tags, note } => {
                let a = self
                    .annotations
                    .iter_mut()
                    .find(|a| a.id == id)
                    .ok_or(EditError::NoSuchAnnotation(id))?;
                a.tags = tags.clone();
                a.note = note.clone();
                JudgeEventKind::EditAnnotation { id, tags, note }
            }
            JudgeEventKind::Unknown => JudgeEventKind::Unknown,
            JudgeEventKind::DeleteAnnotation { id } => {
                let before = self.annotations.len();
                self.annotations.retain(|a| a.id != id);
                if self.annotations.len() == before {
                    return Err(EditError::NoSuchAnnotation(id));
                }
                JudgeEventKind::DeleteAnnotation { id }
            }
            JudgeEventKind::NodeJudgement {
                node,
                winner,
                confidence,
                rationale,
            } => {
                let confidence = clamp_confidence(confidence);
                self.tree.set_judgement(
                    &node,
                    Some(NodeJudgement {
                        winner,
                        confidence,
                        rationale: rationale.clone(),
                    }),
                )?;
                JudgeEventKind::NodeJudgement {
                    node,
                    winner,
                    confidence,
                    rationale,
                }
            }
            JudgeEventKind::CruxMark { node, mark } => {
                self.tree.set_crux_mark(&node, mark)?;
                JudgeEventKind::CruxMark { node, mark }
            }
            JudgeEventKind::Drill { node, rounds } => {
                if self.tree.get(&node).is_none() {
                    return Err(EditError::NoSuchNode(node));
                }
                JudgeEventKind::Drill {
                    node,
                    rounds: rounds.max(1),
                }
            }
            JudgeEventKind::AddNode { parent, text, .. } => {
                let id = self.tree.add_question(&parent, &text)?;
                JudgeEventKind::AddNode { id, parent, text }
            }
            JudgeEventKind::EditNode { node, text, .. } => {
                let previous = self.tree.edit_text(&node, &text)?;
                JudgeEventKind::EditNode {
                    node,
                    text,
                    previous,
                }
            }
            JudgeEventKind::MergeNodes { from, into } => {
                self.tree.merge(&from, &into)?;
                JudgeEventKind::MergeNodes { from, into }
            }
            JudgeEventKind::MoveNode {
                node, to_parent, ..
            } => {
                let from_parent = self.tree.move_node(&node, &to_parent)?;
                JudgeEventKind::MoveNode {
                    node,
                    from_parent,
                    to_parent,
                }
            }
        };
        self.updated_at = now;
        Ok(kind)
    }

    /// Takes back the judge's last action: removes its event and rebuilds the tree, verdict and
    /// annotations from the turns and the remaining events. Returns the event undone.
    pub fn undo(&mut self, now: OffsetDateTime) -> Option<JudgeEvent> {
        let undone = self.judge_events.pop()?;
        if matches!(undone.kind, JudgeEventKind::AddRound) {
            self.protocol.rounds = self.protocol.rounds.saturating_sub(1);
        }
        self.rebuild();
        self.updated_at = now;
        Some(undone)
    }

    /// Rebuilds everything derived from the turns and the judge's events, in the order they
    /// happened: the tree, rulings, marks, edits, annotations, verdict, added rounds.
    pub fn rebuild(&mut self) {
        // Rounds added by events in the log are added back as the log replays.
        let added = self.rounds_added();
        let events = std::mem::take(&mut self.judge_events);
        self.protocol.rounds = self.protocol.rounds.saturating_sub(added);
        self.tree = ClaimTree::new(&self.question);
        self.verdict = None;
        self.annotations.clear();
        self.ended_early = None;
        let mut next_turn = 0;
        for event in events {
            self.apply_turns_upto(event.after_turn, &mut next_turn);
            let at = event.at;
            match self.apply(event.kind.clone(), at) {
                Ok(kind) => self.judge_events.push(JudgeEvent { kind, ..event }),
                Err(e) => tracing::warn!("rebuild: a judge event no longer applies: {e}"),
            }
        }
        self.apply_turns_upto(Some(usize::MAX), &mut next_turn);
        self.reindex();
        self.refresh_status();
    }

    /// Feeds the claims of the complete turns up to `upto` (inclusive) into the tree.
    fn apply_turns_upto(&mut self, upto: Option<usize>, next: &mut usize) {
        let Some(upto) = upto else { return };
        while *next <= upto && *next < self.turns.len() {
            let t = &self.turns[*next];
            if t.status == TurnStatus::Complete {
                let (index, side) = (t.index, t.side);
                self.tree.apply_turn(index, side, &t.claims, &t.concessions);
            }
            *next += 1;
        }
    }

    /// How many rounds the judge added (each `add_round` event).
    pub fn rounds_added(&self) -> u32 {
        let added = self
            .judge_events
            .iter()
            .filter(|e| matches!(e.kind, JudgeEventKind::AddRound))
            .count();
        u32::try_from(added).unwrap_or(u32::MAX)
    }

    /// The judge's messages to the debaters, with the turn each followed.
    pub fn messages(&self) -> impl Iterator<Item = (Option<usize>, Option<Side>, &str)> {
        self.judge_events.iter().filter_map(|e| match &e.kind {
            JudgeEventKind::Message { to, text } => Some((e.after_turn, *to, text.as_str())),
            _ => None,
        })
    }

    /// Records the judge's credence that side A is right, on the root or a node.
    pub fn record_credence(&mut self, node: &str, p_a: f64, now: OffsetDateTime) {
        let kind = JudgeEventKind::Credence {
            node: node.to_string(),
            p_a,
            reason: None,
        };
        // Only an unknown node is refused, and the UI offers only known ones.
        if let Err(e) = self.judge(kind, now) {
            tracing::warn!("credence not recorded: {e}");
        }
    }

    /// The judge's latest credence on a node, if they gave one.
    pub fn credence(&self, node: &str) -> Option<f64> {
        self.judge_events.iter().rev().find_map(|e| match &e.kind {
            JudgeEventKind::Credence { node: n, p_a, .. } if n == node => Some(*p_a),
            _ => None,
        })
    }

    /// Records the verdict, scored later with `turn_penalty` bits per turn seen.
    pub fn record_verdict(
        &mut self,
        winner: Side,
        confidence: f64,
        rationale: String,
        turn_penalty: Option<f64>,
        now: OffsetDateTime,
    ) {
        let kind = JudgeEventKind::Verdict {
            winner,
            confidence,
            rationale,
            decided_by: None,
            ended: String::new(),
            turn_penalty,
        };
        // A verdict is always accepted.
        let _ = self.judge(kind, now);
    }

    fn push_event(&mut self, kind: JudgeEventKind, now: OffsetDateTime) {
        self.judge_events.push(JudgeEvent {
            at: now,
            after_turn: self.last_finished_turn(),
            kind,
        });
        self.updated_at = now;
    }
}
