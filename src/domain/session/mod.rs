//! A session: one debate and everything the judge did with it, as saved to a JSON file.
//!
//! The turns are private: they change only through the methods here, which keep the running
//! index of what the protocol calls for next ([`slots`]) and the turns' word counts current.

mod extraction;
mod judging;
mod migrate;
mod slots;
mod supplied;

use super::annotation::Annotation;
use super::claims::ROOT_ID;
use super::debate::{DebateSetup, Debater, Format, PenaltyUnit, Positions, Protocol, RoundKind};
use super::judge::{JudgeEvent, JudgeEventKind, JudgeInfo, Judgement, Verdict};
use super::side::Side;
use super::tree::ClaimTree;
use super::turn::{Attempt, Turn, TurnStats, TurnStatus};
pub use extraction::{ExtractTurns, Extraction, TurnClaims};
use serde::{Deserialize, Serialize};
use slots::Slots;
pub use slots::Totals;
use std::collections::BTreeMap;
pub use supplied::{Finish, Supplied};
use time::OffsetDateTime;

/// The version of the session format this build writes. See `docs/session-format.md`.
/// 1: the first slice. 2: node rulings, crux marks, drills (scoped turns), judge tree edits,
/// `verdict.decided_by`. 3: a retried turn keeps its failed attempts inside it (`attempts`)
/// instead of leaving them as turns of their own; quotes, limits, protocols, judge kinds.
pub const SCHEMA_VERSION: u32 = 3;

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_title: Option<String>,
    /// How answers and roles were drawn at random, so a study can be reproduced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment: Option<Assignment>,
    /// The question set and question this debate came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_ref: Option<QuestionRef>,
    /// Free labels for filtering and grouping (`agon stats --where`, `--by label:NAME`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    pub status: SessionStatus,
    turns: Vec<Turn>,
    pub tree: ClaimTree,
    /// Who the session's own judge (judge 0) is.
    #[serde(default, skip_serializing_if = "JudgeInfo::is_default")]
    pub judge: JudgeInfo,
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
    /// Other judgements of the same debate (re-judges, LLM judges, offline judges), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judgements: Vec<Judgement>,
    /// What a debate recorded elsewhere said that agon's model has no field for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
    /// Claims extracted from the turns by another model (`agon extract`), oldest first; each
    /// holds what is needed to undo it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extractions: Vec<Extraction>,
    #[serde(skip)]
    slots: Slots,
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

/// The random draws behind a debate's setup: which answer each side argues, and (consultancy)
/// which side the consultant took. Recorded with the seed so that a study can be rerun.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub seed: u64,
    /// Side A argues the question's second answer (and B the first).
    #[serde(default)]
    pub swapped: bool,
    /// The side the consultant argues, in consultancy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultant: Option<Side>,
    /// Open roles: the side whose debater (or consultant) chose its answer; the other side,
    /// in a debate, argues the other answer. Drawn from the seed like the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chooser: Option<Side>,
    /// Open roles: what the chooser answered when asked to choose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<Choice>,
}

/// A debater's answer to "which answer will you argue?" (open roles).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// The answer it chose, by its place in the question (0 or 1); `None` when the reply named
    /// neither, and the seeded draw stood.
    pub answer: Option<u8>,
    /// The reply as it came (made inert, at most [`Choice::MAX_REPLY`] characters).
    pub reply: String,
    /// What asking cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<super::turn::Usage>,
}

impl Choice {
    /// The most of a reply that is kept.
    pub const MAX_REPLY: usize = 2000;
}

/// Where a debate's question came from: a question set file and the question's id in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionRef {
    pub set: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// How a streaming turn ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TurnOutcome {
    Complete,
    Failed(String),
    Stopped(String),
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
            source_title: None,
            assignment: None,
            question_ref: None,
            labels: BTreeMap::new(),
            status: SessionStatus::Running,
            turns: Vec::new(),
            judge: JudgeInfo::default(),
            judge_events: Vec::new(),
            verdict: None,
            annotations: Vec::new(),
            ended_early: None,
            forked_from: None,
            judgements: Vec::new(),
            extra: None,
            extractions: Vec::new(),
            slots: Slots::default(),
        }
    }

    /// Every turn, in the order it was begun (main debate and drills interleaved).
    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    pub fn turn(&self, index: usize) -> Option<&Turn> {
        self.turns.get(index)
    }

    /// Rebuilds the derived indices after the turns were loaded or replaced wholesale.
    pub fn reindex(&mut self) {
        for t in &mut self.turns {
            t.recount();
        }
        self.slots = Slots::build(&self.turns, &self.speakers());
    }

    /// Replaces the turns wholesale (imports, migrations, test fixtures): indices are set to
    /// positions and the derived indices rebuilt. The tree is not: call [`Session::rebuild`].
    pub fn set_turns(&mut self, mut turns: Vec<Turn>) {
        for (i, t) in turns.iter_mut().enumerate() {
            t.index = i;
        }
        self.turns = turns;
        self.reindex();
    }

    /// This debate with another judge's work recorded as judgement `index` (added or replaced),
    /// everything else as it was.
    pub fn with_judgement(&self, index: usize, judgement: Judgement) -> Session {
        let mut s = self.clone();
        match s.judgements.get_mut(index) {
            Some(slot) => *slot = judgement,
            None => s.judgements.push(judgement),
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
        Some(self.as_judged_in(j))
    }

    /// The same debate with `judgement`'s events in place of the original judge's, and the
    /// tree, verdict and annotations rebuilt from them.
    pub fn as_judged_in(&self, judgement: &Judgement) -> Session {
        let mut s = self.clone();
        s.judge_events = judgement.judge_events.clone();
        s.judge = JudgeInfo {
            kind: judgement.kind,
            name: judgement.judge.clone(),
            blind: judgement.blind,
        };
        s.rebuild();
        s
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
            .count();
        let added_later = u32::try_from(added_later).unwrap_or(u32::MAX);
        then.protocol.rounds = then.protocol.rounds.saturating_sub(added_later);
        then.rebuild();
        then
    }

    /// A new session that keeps the first `turns` turns of this one (and the judge's work up to
    /// then) and continues from there: the same debate branching at that point.
    pub fn fork(&self, turns: usize, file: Option<String>, now: OffsetDateTime) -> Session {
        // A turn still streaming in the original is not part of the record to continue from.
        let finished = self
            .turns
            .iter()
            .position(|t| !t.status.is_finished())
            .unwrap_or(self.turns.len());
        let turns = turns.min(finished);
        let mut fork = self.as_of(turns);
        fork.id = new_id(now);
        fork.created_at = now;
        fork.updated_at = now;
        // Other judges judged the original, not this branch.
        fork.judgements.clear();
        fork.forked_from = Some(ForkOrigin {
            session_id: self.id.clone(),
            file,
            turns_kept: turns,
        });
        fork
    }

    /// The hidden source, if the judge may read it now: after the verdict, or when the
    /// protocol shows it to the judge. Every screen that could reveal it asks this.
    pub fn source_for_judge(&self) -> Option<&str> {
        self.source_text
            .as_deref()
            .filter(|_| self.verdict.is_some() || self.protocol.judge_sees_source)
    }

    pub fn debater(&self, side: Side) -> Option<&Debater> {
        self.debaters.iter().find(|d| d.side == side)
    }

    /// The sides that speak in each round, in order: both in a debate; in consultancy, the
    /// consultant's side alone.
    pub fn speakers(&self) -> Vec<Side> {
        match self.protocol.format {
            Format::Debate => Side::BOTH.to_vec(),
            Format::Consultancy => {
                let side = self
                    .assignment
                    .as_ref()
                    .and_then(|a| a.consultant)
                    .or_else(|| self.debaters.first().map(|d| d.side))
                    .unwrap_or(Side::A);
                vec![side]
            }
        }
    }

    /// Where a judge reading the debate as it unfolds weighs in, if `turn` completed what the
    /// judge waits for: the turn itself, a complete speech of the main debate; except where the
    /// judge hears whole rounds (simultaneous rounds, whose speeches are revealed together, or
    /// a protocol that counts rounds, as on the NYU platform): then, once every speaker's
    /// speech of the round is in, the round's last speech.
    pub fn reading_point(&self, turn: usize) -> Option<usize> {
        let t = self.turn(turn)?;
        if t.scope != ROOT_ID || t.status != TurnStatus::Complete {
            return None;
        }
        let whole_rounds = self.protocol.kind == RoundKind::Simultaneous
            || self.protocol.penalty_unit == PenaltyUnit::Round;
        if !whole_rounds {
            return Some(turn);
        }
        let round: Vec<&Turn> = self
            .turns
            .iter()
            .filter(|o| {
                o.scope == ROOT_ID && o.round == t.round && o.status == TurnStatus::Complete
            })
            .collect();
        let all_in = self
            .speakers()
            .iter()
            .all(|side| round.iter().any(|o| o.side == *side));
        all_in
            .then(|| round.iter().map(|o| o.index).max())
            .flatten()
    }

    /// Whether a judge reading the debate as it unfolds weighs in right after `turn` (see
    /// [`Session::reading_point`]).
    pub fn judge_reads_after(&self, turn: usize) -> bool {
        self.reading_point(turn) == Some(turn)
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

    /// Opens a new turn of `side` in `round` of the debate on `scope`; returns its index.
    pub fn begin_turn(
        &mut self,
        side: Side,
        round: u32,
        scope: &str,
        now: OffsetDateTime,
    ) -> usize {
        let index = self.turns.len();
        let mut turn = Turn::begin(index, round, side, scope, now);
        if let Some(d) = self.debater(side) {
            turn.stats.provider = d.provider.clone();
            turn.stats.model = d.model.clone();
        }
        self.ensure_index();
        self.slots.push(&turn);
        self.turns.push(turn);
        self.updated_at = now;
        index
    }

    /// Appends streamed text to a turn that is still streaming (ignored otherwise). The text is
    /// made inert here, once: what is stored is what the judge reads and the opponent is sent.
    pub fn push_text(&mut self, turn: usize, delta: &str) {
        if let Some(t) = self.turns.get_mut(turn)
            && t.status == TurnStatus::Streaming
        {
            t.append(&crate::text::sanitize::inert(delta));
        }
    }

    /// Closes a streaming turn. A complete turn is held to the length limits, its claims block
    /// parsed into the tree and its quotes checked against the source; a failed or stopped
    /// turn keeps its partial text and adds nothing to the tree.
    pub fn finish_turn(
        &mut self,
        turn: usize,
        outcome: TurnOutcome,
        stats: Option<TurnStats>,
        now: OffsetDateTime,
    ) {
        self.finish_turn_with(turn, outcome, stats, Finish::default(), now);
    }

    /// [`Session::finish_turn`], with claims that came apart from the text (structured output,
    /// a follow-up request, a recording) and the follow-ups made for them. A failed or stopped
    /// turn keeps the follow-ups' record but adds no claims.
    pub fn finish_turn_with(
        &mut self,
        turn: usize,
        outcome: TurnOutcome,
        stats: Option<TurnStats>,
        finish: Finish,
        now: OffsetDateTime,
    ) {
        self.ensure_index();
        let speakers = self.speakers();
        let protocol = self.protocol.clone();
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
            stats.retries = stats.retries.max(t.stats.retries);
            t.stats = stats;
        }
        t.finished_at = Some(now);
        let Finish {
            claims: supplied,
            notes,
            followups,
        } = finish;
        t.followups.extend(followups);
        self.slots.finished(turn);
        match outcome {
            TurnOutcome::Complete => {
                t.status = TurnStatus::Complete;
                if let Some((kept, cut)) = crate::domain::limits::enforce(&t.text, &protocol) {
                    t.set_text(kept);
                    t.cut = Some(cut);
                }
                let (parsed, with_tree_warnings) = supplied::read(supplied, &t.text);
                let (index, side) = (t.index, t.side);
                let tree_warnings =
                    self.tree
                        .apply_turn(index, side, &parsed.claims, &parsed.concessions);
                let source = self.source_text.as_deref();
                let t = &mut self.turns[turn];
                t.quotes = crate::domain::quote::check::quotes_of(&t.text, source, &protocol);
                t.claims = parsed.claims;
                t.concessions = parsed.concessions;
                t.warnings = notes;
                t.warnings.extend(parsed.warnings);
                if with_tree_warnings {
                    t.warnings.extend(tree_warnings);
                }
                let t = &self.turns[turn];
                self.slots.played(t, &speakers);
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
        self.slots.advance_tally(&self.turns);
        self.refresh_status();
        self.updated_at = now;
    }

    /// Counts a retry of the request behind a streaming turn (made before its first token).
    pub fn note_retry(&mut self, turn: usize) {
        if let Some(t) = self.turns.get_mut(turn)
            && t.status == TurnStatus::Streaming
        {
            t.stats.retries = t.stats.retries.saturating_add(1);
        }
    }

    /// Streams a failed or stopped turn again: what it said and why it ended is kept as one
    /// of its attempts, and the turn starts over. Returns whether there was such a turn.
    pub fn retry_turn(&mut self, turn: usize, now: OffsetDateTime) -> bool {
        self.ensure_index();
        let Some(t) = self.turns.get_mut(turn) else {
            return false;
        };
        if !matches!(t.status, TurnStatus::Failed | TurnStatus::Stopped) || t.skipped {
            return false;
        }
        let previous = Attempt {
            status: t.status,
            text: std::mem::take(&mut t.text),
            error: t.error.take(),
            started_at: t.started_at,
            finished_at: t.finished_at.take(),
            stats: std::mem::take(&mut t.stats),
        };
        t.stats.provider = previous.stats.provider.clone();
        t.stats.model = previous.stats.model.clone();
        t.attempts.push(previous);
        t.set_text(String::new());
        t.status = TurnStatus::Streaming;
        t.started_at = now;
        self.slots.reopened(turn);
        self.slots.reset_tally(&self.turns);
        self.updated_at = now;
        true
    }

    /// Marks a failed or stopped turn as skipped: the debate moves on without it. Returns
    /// whether there was such a turn.
    pub fn skip_turn(&mut self, turn: usize, now: OffsetDateTime) -> bool {
        self.ensure_index();
        let speakers = self.speakers();
        let Some(t) = self.turns.get_mut(turn) else {
            return false;
        };
        if !matches!(t.status, TurnStatus::Failed | TurnStatus::Stopped) || t.skipped {
            return false;
        }
        t.skipped = true;
        let t = &self.turns[turn];
        self.slots.played(t, &speakers);
        self.refresh_status();
        self.updated_at = now;
        true
    }

    /// [`Session::skip_turn`] on the last turn.
    pub fn skip_last_turn(&mut self, now: OffsetDateTime) -> bool {
        match self.turns.len().checked_sub(1) {
            Some(last) => self.skip_turn(last, now),
            None => false,
        }
    }

    /// Turns whose words are still arriving: one at most in sequential rounds, both sides'
    /// during a simultaneous round.
    pub fn streaming_turns(&self) -> Vec<usize> {
        if self.slots.is_current(&self.turns) {
            self.slots.streaming().to_vec()
        } else {
            self.turns
                .iter()
                .filter(|t| t.status == TurnStatus::Streaming)
                .map(|t| t.index)
                .collect()
        }
    }

    /// The first turn still streaming, if any.
    pub fn streaming_turn(&self) -> Option<usize> {
        self.streaming_turns().into_iter().min()
    }

    /// Index of the last turn that is no longer streaming.
    pub fn last_finished_turn(&self) -> Option<usize> {
        self.turns.iter().rposition(|t| t.status.is_finished())
    }

    /// The failed or stopped turn waiting for the judge to retry or skip it, if any.
    pub fn unresolved_turn(&self) -> Option<usize> {
        self.turns
            .iter()
            .rev()
            .take(4)
            .find(|t| matches!(t.status, TurnStatus::Failed | TurnStatus::Stopped) && !t.skipped)
            .map(|t| t.index)
    }

    /// Rounds of the debate on `scope`: the protocol's for the main debate, the drill's for a
    /// node the judge drilled into. `None` for a node with no drill, or a main debate ended
    /// early.
    pub fn rounds_of(&self, scope: &str) -> Option<u32> {
        if scope == ROOT_ID {
            self.ended_early.is_none().then_some(self.protocol.rounds)
        } else {
            self.drill_rounds(scope)
        }
    }

    /// The slots of `scope` the protocol calls for now (round, side), in speaking order: the
    /// next one in sequential rounds; every side yet to speak in a simultaneous one. Slots
    /// whose turn is streaming or waits to be retried are included: the engine leaves those
    /// to the turn already there.
    pub fn pending_slots(&self, scope: &str) -> Vec<(u32, Side)> {
        let Some(rounds) = self.rounds_of(scope) else {
            return Vec::new();
        };
        let speakers = self.speakers();
        let (round, sides) = if self.slots.is_current(&self.turns) {
            self.slots.pending(scope, rounds, &speakers)
        } else {
            Slots::build(&self.turns, &speakers).pending(scope, rounds, &speakers)
        };
        let sides = match self.protocol.kind {
            RoundKind::Simultaneous if scope == ROOT_ID => sides,
            _ => sides.into_iter().take(1).collect(),
        };
        sides.into_iter().map(|s| (round, s)).collect()
    }

    /// The next (round, side) the protocol calls for in the main debate, or `None` when every
    /// round is played.
    pub fn next_slot(&self) -> Option<(u32, Side)> {
        self.next_slot_in(ROOT_ID)
    }

    /// The next (round, side) of the debate on `scope`: the main debate (`root`) or a drill.
    /// Only complete (or skipped) turns count, so a failed or stopped turn is played again.
    pub fn next_slot_in(&self, scope: &str) -> Option<(u32, Side)> {
        self.pending_slots(scope).into_iter().next()
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

    /// Words said in the whole debate, every scope.
    pub fn word_count(&self) -> usize {
        self.totals().words
    }

    /// Words, output tokens and dollars of the whole debate, every attempt included; kept as a
    /// running tally, so asking costs the same however long the debate.
    pub fn totals(&self) -> Totals {
        if self.slots.is_current(&self.turns) {
            self.slots.totals(&self.turns)
        } else {
            let mut t = Totals::default();
            for turn in &self.turns {
                t.add(turn);
            }
            t
        }
    }

    /// `finished` once the main debate has nothing left to play or the judge ended it.
    fn refresh_status(&mut self) {
        self.status = if self.ended_early.is_some() || self.next_slot().is_none() {
            SessionStatus::Finished
        } else {
            SessionStatus::Running
        };
    }

    /// The running indices are built lazily after a load, before the first change.
    fn ensure_index(&mut self) {
        if !self.slots.is_current(&self.turns) {
            self.reindex();
        }
    }

    /// Sets a turn's scope (a drill's turn, or a turn of a recording being replayed into it).
    pub fn set_turn_scope(&mut self, turn: usize, scope: &str) {
        if let Some(t) = self.turns.get_mut(turn) {
            t.scope = scope.to_string();
        }
        self.reindex();
    }
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
