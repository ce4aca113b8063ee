//! A session: one debate and everything the judge did with it, as saved to a JSON file.

use super::annotation::Annotation;
use super::claims::{self, ROOT_ID};
use super::debate::{DebateSetup, Debater, Positions, Protocol};
use super::judge::{
    JudgeEvent, JudgeEventKind, Judgement, Verdict, clamp_confidence, clamp_probability,
};
use super::side::Side;
use super::tree::ClaimTree;
use super::tree::{EditError, NodeJudgement};
use super::turn::{Turn, TurnStats, TurnStatus};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The version of the session format this build writes. See `docs/session-format.md`.
/// 1: the first slice. 2: node rulings, crux marks, drills (scoped turns), judge tree edits,
/// `verdict.decided_by`.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionStatus {
    /// Turns remain to be played (or the app was closed before they were).
    Running,
    /// Every turn of the protocol has been played.
    Finished,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub schema_version: u32,
    pub app_version: String,
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub question: String,
    pub positions: Positions,
    pub protocol: Protocol,
    pub debaters: Vec<Debater>,
    /// The side that is right, when known. Never shown to the judge before the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground_truth: Option<Side>,
    /// Hidden source material the debaters may quote (as on the NYU platform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_text: Option<String>,
    pub status: SessionStatus,
    pub turns: Vec<Turn>,
    pub tree: ClaimTree,
    #[serde(default)]
    pub judge_events: Vec<JudgeEvent>,
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// The judge's annotations as they stand (each change is also a judge event).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
    /// Set when the judge ended the debate before its last round: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_early: Option<String>,
    /// Where this session was forked from, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forked_from: Option<ForkOrigin>,
    /// Later judgements of the same debate by other judges (re-judging), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judgements: Vec<Judgement>,
}

/// The session and turn a fork continues from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForkOrigin {
    pub session_id: String,
    /// The file it was read from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// How many turns of the original the fork keeps (it continues after them).
    pub turns_kept: usize,
}

impl Session {
    pub fn new(setup: DebateSetup, now: OffsetDateTime) -> Self {
        Session {
            schema_version: SCHEMA_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            id: new_id(now),
            created_at: now,
            updated_at: now,
            tree: ClaimTree::new(&setup.question),
            question: setup.question,
            positions: setup.positions,
            protocol: setup.protocol,
            debaters: setup.debaters,
            ground_truth: None,
            source_text: None,
            status: SessionStatus::Running,
            turns: Vec::new(),
            judge_events: Vec::new(),
            verdict: None,
            annotations: Vec::new(),
            ended_early: None,
            forked_from: None,
            judgements: Vec::new(),
        }
    }

    /// This debate with another judge's work recorded as judgement `index` (added or replaced),
    /// everything else as it was.
    pub fn with_judgement(&self, index: usize, judgement: Judgement) -> Session {
        let mut s = self.clone();
        if index < s.judgements.len() {
            s.judgements[index] = judgement;
        } else {
            s.judgements.push(judgement);
        }
        s
    }

    /// The same debate as judge `id` saw and judged it: their events, verdict and annotations
    /// in place of the original judge's. `None` if there is no such judgement.
    pub fn as_judged_by(&self, id: u32) -> Option<Session> {
        if id == 0 {
            return Some(self.clone());
        }
        let j = self.judgements.iter().find(|j| j.id == id)?;
        let mut s = self.clone();
        s.judge_events = j.judge_events.clone();
        s.rebuild();
        Some(s)
    }

    /// The session as it stood when its first `turns` turns had finished: those turns, and the
    /// judge's work up to then (tree, rulings, credences, annotations). Replay steps with it.
    pub fn as_of(&self, turns: usize) -> Session {
        let turns = turns.min(self.turns.len());
        let mut then = self.clone();
        then.turns.truncate(turns);
        then.judge_events
            .retain(|e| e.after_turn.is_none_or(|t| t < turns));
        let added_later = self
            .judge_events
            .iter()
            .filter(|e| e.after_turn.is_some_and(|t| t >= turns))
            .filter(|e| matches!(e.kind, JudgeEventKind::AddRound))
            .count() as u32;
        then.protocol.rounds = then.protocol.rounds.saturating_sub(added_later);
        then.rebuild();
        then
    }

    /// A new session that keeps the first `turns` turns of this one (and the judge's work up to
    /// then) and continues from there: the same debate branching at that point.
    pub fn fork(&self, turns: usize, file: Option<String>, now: OffsetDateTime) -> Session {
        let turns = turns.min(self.turns.len());
        let mut fork = self.as_of(turns);
        fork.id = new_id(now);
        fork.created_at = now;
        fork.updated_at = now;
        // A turn still streaming in the original is not part of the record to continue from.
        fork.turns.retain(|t| t.status.is_finished());
        // Other judges judged the original, not this branch.
        fork.judgements.clear();
        fork.forked_from = Some(ForkOrigin {
            session_id: self.id.clone(),
            file,
            turns_kept: turns,
        });
        fork.rebuild();
        fork
    }

    pub fn debater(&self, side: Side) -> Option<&Debater> {
        self.debaters.iter().find(|d| d.side == side)
    }

    /// A file name for the session: its creation time and the start of the question.
    pub fn file_name(&self) -> String {
        let stamp = self
            .created_at
            .format(time::macros::format_description!(
                "[year]-[month]-[day]_[hour][minute][second]"
            ))
            .unwrap_or_else(|_| self.id.clone());
        format!("{stamp}_{}.json", slug(&self.question))
    }

    /// Opens a new turn and returns its index.
    pub fn begin_turn(&mut self, side: Side, round: u32, now: OffsetDateTime) -> usize {
        let index = self.turns.len();
        let debater = self.debater(side);
        let stats = TurnStats {
            provider: debater.map(|d| d.provider.clone()).unwrap_or_default(),
            model: debater.map(|d| d.model.clone()).unwrap_or_default(),
            ..TurnStats::default()
        };
        self.turns.push(Turn {
            index,
            round,
            side,
            scope: ROOT_ID.to_string(),
            text: String::new(),
            claims: Vec::new(),
            concessions: Vec::new(),
            warnings: Vec::new(),
            status: TurnStatus::Streaming,
            error: None,
            skipped: false,
            started_at: now,
            finished_at: None,
            stats,
        });
        self.updated_at = now;
        index
    }

    /// Appends streamed text to a turn that is still streaming; ignored otherwise.
    pub fn push_text(&mut self, turn: usize, delta: &str) {
        if let Some(t) = self.turns.get_mut(turn)
            && t.status == TurnStatus::Streaming
        {
            t.text.push_str(delta);
        }
    }

    /// Closes a streaming turn. A complete turn's claims block is parsed and its claims join the
    /// tree; a failed or stopped turn keeps its partial text and adds nothing to the tree.
    pub fn finish_turn(
        &mut self,
        turn: usize,
        outcome: TurnOutcome,
        stats: Option<TurnStats>,
        now: OffsetDateTime,
    ) {
        let Some(t) = self.turns.get_mut(turn) else {
            return;
        };
        if t.status != TurnStatus::Streaming {
            return;
        }
        if let Some(mut stats) = stats {
            // The provider knows its timings; who it is was set when the turn began.
            if stats.provider.is_empty() {
                stats.provider = std::mem::take(&mut t.stats.provider);
            }
            if stats.model.is_empty() {
                stats.model = std::mem::take(&mut t.stats.model);
            }
            t.stats = stats;
        }
        t.finished_at = Some(now);
        match outcome {
            TurnOutcome::Complete => {
                t.status = TurnStatus::Complete;
                let parsed = claims::parse(&t.text);
                let (index, side) = (t.index, t.side);
                let tree_warnings =
                    self.tree
                        .apply_turn(index, side, &parsed.claims, &parsed.concessions);
                let t = &mut self.turns[turn];
                t.claims = parsed.claims;
                t.concessions = parsed.concessions;
                t.warnings = parsed.warnings;
                t.warnings.extend(tree_warnings);
            }
            TurnOutcome::Failed(error) => {
                t.status = TurnStatus::Failed;
                t.error = Some(error);
            }
            TurnOutcome::Stopped(reason) => {
                t.status = TurnStatus::Stopped;
                t.error = Some(reason);
            }
        }
        if self.next_slot().is_none() {
            self.status = SessionStatus::Finished;
        }
        self.updated_at = now;
    }

    /// Marks the last turn, if it failed or was stopped, as skipped: the debate moves on.
    /// Returns whether there was such a turn.
    pub fn skip_last_turn(&mut self, now: OffsetDateTime) -> bool {
        let Some(t) = self.turns.last_mut() else {
            return false;
        };
        if !matches!(t.status, TurnStatus::Failed | TurnStatus::Stopped) || t.skipped {
            return false;
        }
        t.skipped = true;
        if self.next_slot().is_none() {
            self.status = SessionStatus::Finished;
        }
        self.updated_at = now;
        true
    }

    /// The turn currently streaming, if any. Turns are only ever begun after the previous one
    /// finished, so only the last can be streaming.
    pub fn streaming_turn(&self) -> Option<usize> {
        self.turns
            .last()
            .filter(|t| t.status == TurnStatus::Streaming)
            .map(|t| t.index)
    }

    /// Index of the last turn that is no longer streaming.
    pub fn last_finished_turn(&self) -> Option<usize> {
        self.turns.iter().rposition(|t| t.status.is_finished())
    }

    /// The next (round, side) the protocol calls for in the main debate, or `None` when every
    /// round is played.
    pub fn next_slot(&self) -> Option<(u32, Side)> {
        self.next_slot_in(ROOT_ID)
    }

    /// The next (round, side) of the debate on `scope`: the main debate (`root`) or a drill.
    /// Only complete (or skipped) turns count, so a failed or stopped turn is played again.
    pub fn next_slot_in(&self, scope: &str) -> Option<(u32, Side)> {
        let rounds = if scope == ROOT_ID {
            if self.ended_early.is_some() {
                return None;
            }
            self.protocol.rounds
        } else {
            self.drill_rounds(scope)?
        };
        let done = self
            .turns
            .iter()
            .filter(|t| t.scope == scope && t.counts_as_played())
            .count() as u32;
        let round = done / 2 + 1;
        if round > rounds {
            return None;
        }
        let side = if done % 2 == 0 { Side::A } else { Side::B };
        Some((round, side))
    }

    /// Rounds of the drill on `node`, if the judge drilled into it.
    pub fn drill_rounds(&self, node: &str) -> Option<u32> {
        self.judge_events.iter().rev().find_map(|e| match &e.kind {
            JudgeEventKind::Drill { node: n, rounds } if n == node => Some(*rounds),
            _ => None,
        })
    }

    /// Turns debated on `scope`, in order.
    pub fn turns_in<'a>(&'a self, scope: &'a str) -> impl Iterator<Item = &'a Turn> + 'a {
        self.turns.iter().filter(move |t| t.scope == scope)
    }

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
            JudgeEventKind::Credence { node, p_a } => {
                if self.tree.get(&node).is_none() {
                    return Err(EditError::NoSuchNode(node));
                }
                JudgeEventKind::Credence {
                    node,
                    p_a: clamp_probability(p_a),
                }
            }
            JudgeEventKind::Verdict {
                winner,
                confidence,
                rationale,
                decided_by,
                ended,
            } => {
                let confidence = clamp_confidence(confidence);
                self.verdict = Some(Verdict {
                    winner,
                    confidence,
                    rationale: rationale.clone(),
                    decided_by: decided_by.clone(),
                    ended: ended.clone(),
                    at: now,
                });
                JudgeEventKind::Verdict {
                    winner,
                    confidence,
                    rationale,
                    decided_by,
                    ended,
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
                self.status = SessionStatus::Finished;
                JudgeEventKind::EndDebate { reason }
            }
            JudgeEventKind::AddRound => {
                self.protocol.rounds += 1;
                if self.ended_early.is_none() && self.next_slot().is_some() {
                    self.status = SessionStatus::Running;
                }
                JudgeEventKind::AddRound
            }
            JudgeEventKind::Annotate { mut annotation } => {
                if let Some(t) = annotation.turn {
                    let turn = self.turns.get(t).ok_or(EditError::NoSuchTurn(t))?;
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
                    annotation.id = logged.chain(current).max().unwrap_or(0) + 1;
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
        let added = self
            .judge_events
            .iter()
            .filter(|e| matches!(e.kind, JudgeEventKind::AddRound))
            .count() as u32;
        let events = std::mem::take(&mut self.judge_events);
        self.protocol.rounds = self.protocol.rounds.saturating_sub(added);
        self.tree = super::tree::ClaimTree::new(&self.question);
        self.verdict = None;
        self.annotations.clear();
        self.ended_early = None;
        let mut next_turn = 0;
        let apply_turns_upto = |s: &mut Session, upto: Option<usize>, next: &mut usize| {
            while upto.is_some_and(|u| *next <= u) && *next < s.turns.len() {
                let t = &s.turns[*next];
                if t.status == TurnStatus::Complete {
                    let (index, side) = (t.index, t.side);
                    let (claims, concessions) = (t.claims.clone(), t.concessions.clone());
                    s.tree.apply_turn(index, side, &claims, &concessions);
                }
                *next += 1;
            }
        };
        for event in events {
            apply_turns_upto(self, event.after_turn, &mut next_turn);
            let at = event.at;
            match self.apply(event.kind.clone(), at) {
                Ok(kind) => self.judge_events.push(JudgeEvent { kind, ..event }),
                Err(e) => tracing::warn!("rebuild: a judge event no longer applies: {e}"),
            }
        }
        apply_turns_upto(self, Some(usize::MAX), &mut next_turn);
        self.status = if self.ended_early.is_some() || self.next_slot().is_none() {
            SessionStatus::Finished
        } else {
            SessionStatus::Running
        };
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
        };
        // Only an unknown node is refused, and the UI offers only known ones.
        if let Err(e) = self.judge(kind, now) {
            tracing::warn!("credence not recorded: {e}");
        }
    }

    /// The judge's latest credence on a node, if they gave one.
    pub fn credence(&self, node: &str) -> Option<f64> {
        self.judge_events.iter().rev().find_map(|e| match &e.kind {
            JudgeEventKind::Credence { node: n, p_a } if n == node => Some(*p_a),
            _ => None,
        })
    }

    pub fn record_verdict(
        &mut self,
        winner: Side,
        confidence: f64,
        rationale: String,
        now: OffsetDateTime,
    ) {
        let kind = JudgeEventKind::Verdict {
            winner,
            confidence,
            rationale,
            decided_by: None,
            ended: String::new(),
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

/// How a streaming turn ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TurnOutcome {
    Complete,
    Failed(String),
    Stopped(String),
}

/// A short, file-name-safe form of the question.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() > 40 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        "debate".to_string()
    } else {
        out
    }
}

/// A session id: the creation time plus random bits, unique enough for one researcher's files.
fn new_id(now: OffsetDateTime) -> String {
    use std::hash::{BuildHasher, RandomState};
    let random = RandomState::new().hash_one(now.unix_timestamp_nanos()) & 0xffff_ffff;
    format!("{}-{random:08x}", now.unix_timestamp())
}

#[cfg(test)]
mod tests;
