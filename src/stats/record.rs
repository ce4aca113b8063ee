//! What `agon stats` needs of one session: a compact record, extracted once per file and
//! cached, so that a second run reads no session file that has not changed.
//!
//! Every number here comes from the domain (`Session::all_judgements`, `JudgementRef::scores`,
//! `JudgementRef::turns_seen`): the record only keeps them.

use crate::domain::{
    DebaterKind, Format, JudgeKind, JudgementRef, Scores, Session, Side, TurnStatus, Verdict,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One session file, as stats sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The file it was read from (its name in the sessions directory).
    pub file: String,
    pub format: Format,
    pub debaters: Vec<DebaterRecord>,
    /// The side the consultant argues, in consultancy.
    #[serde(default)]
    pub consultant: Option<Side>,
    pub ground_truth: Option<Side>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Complete turns of side A and of side B (every scope), for tag rates.
    pub turns: [usize; 2],
    /// Judge 0 first, then the session's other judgements in order.
    pub judgements: Vec<JudgementRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DebaterRecord {
    pub side: Side,
    pub kind: DebaterKind,
    pub name: String,
    pub model: String,
}

/// One judgement of the session: who judged, what they finally said, how it scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgementRecord {
    /// 0 for the session's own judge, then 1, 2, ...
    pub id: u32,
    pub kind: JudgeKind,
    pub name: Option<String>,
    /// How the debate was shown to a later judge: `stepped`, `timed`, `end`.
    pub mode: Option<String>,
    /// The verdict as P(A). A judgement with credences but no verdict has no final answer:
    /// the judge never committed (an unfinished debate), so it is not counted as judged.
    pub p_a: Option<f64>,
    /// Complete turns the judge had seen at the verdict.
    pub turns_seen: usize,
    /// The verdict scored against the ground truth; `None` without both.
    pub scores: Option<ScoreRecord>,
    /// Failure-mode tags this judge put on turns, with the side of the tagged turn.
    #[serde(default)]
    pub tags: Vec<TagOnTurn>,
}

/// [`Scores`] as cached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreRecord {
    pub correct: bool,
    pub p_correct: f64,
    pub log_score: f64,
    pub brier: f64,
    pub turn_penalised: f64,
    pub turns: usize,
}

impl From<Scores> for ScoreRecord {
    fn from(s: Scores) -> Self {
        ScoreRecord {
            correct: s.correct,
            p_correct: s.p_correct,
            log_score: s.log_score,
            brier: s.brier,
            turn_penalised: s.turn_penalised,
            turns: s.turns,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagOnTurn {
    pub tag: String,
    pub side: Side,
}

impl SessionRecord {
    /// The record of a loaded session read from `file`.
    pub fn extract(file: &str, session: &Session) -> SessionRecord {
        let complete = |side: Side| {
            session
                .turns()
                .iter()
                .filter(|t| t.status == TurnStatus::Complete && t.side == side)
                .count()
        };
        let consultant = match session.protocol.format {
            Format::Consultancy => session.speakers().first().copied(),
            Format::Debate => None,
        };
        SessionRecord {
            file: file.to_string(),
            format: session.protocol.format,
            debaters: session
                .debaters
                .iter()
                .map(|d| DebaterRecord {
                    side: d.side,
                    kind: d.kind,
                    name: d.name.clone(),
                    model: d.model.clone(),
                })
                .collect(),
            consultant,
            ground_truth: session.ground_truth,
            labels: session.labels.clone(),
            turns: [complete(Side::A), complete(Side::B)],
            judgements: session
                .all_judgements()
                .iter()
                .map(|j| JudgementRecord::extract(j, session))
                .collect(),
        }
    }

    pub fn debater(&self, side: Side) -> Option<&DebaterRecord> {
        self.debaters.iter().find(|d| d.side == side)
    }

    /// Complete turns of one side.
    pub fn turns_of(&self, side: Side) -> usize {
        match side {
            Side::A => self.turns[0],
            Side::B => self.turns[1],
        }
    }
}

impl JudgementRecord {
    fn extract(j: &JudgementRef<'_>, session: &Session) -> JudgementRecord {
        let tags = j
            .annotations
            .iter()
            .filter_map(|a| {
                let side = session.turn(a.turn?)?.side;
                Some(a.tags.iter().map(move |tag| TagOnTurn {
                    tag: tag.clone(),
                    side,
                }))
            })
            .flatten()
            .collect();
        JudgementRecord {
            id: j.id,
            kind: j.kind,
            name: j.judge.map(str::to_string),
            mode: j.mode.map(str::to_string),
            p_a: j.verdict.map(Verdict::p_a),
            turns_seen: j.turns_seen(session),
            scores: j.scores(session).map(ScoreRecord::from),
            tags,
        }
    }

    /// The side the judge finally chose: the one they gave more than 0.5. `None` without a
    /// verdict, or at exactly 0.5 (a tie chooses neither).
    pub fn answer(&self) -> Option<Side> {
        let p = self.p_a?;
        if p > 0.5 {
            Some(Side::A)
        } else if p < 0.5 {
            Some(Side::B)
        } else {
            None
        }
    }

    /// Judged: a final answer and a known ground truth, so the domain could score it.
    pub fn is_judged(&self) -> bool {
        self.scores.is_some()
    }
}

impl DebaterRecord {
    /// Who the debater is for ratings and the `model` field: a model's name for an AI (its
    /// display name if the model is blank), a person's name or pseudonym for a human.
    pub fn identity(&self) -> &str {
        match self.kind {
            DebaterKind::Human => &self.name,
            DebaterKind::Ai | DebaterKind::Scripted if self.model.trim().is_empty() => &self.name,
            DebaterKind::Ai | DebaterKind::Scripted => &self.model,
        }
    }

    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            DebaterKind::Ai => "ai",
            DebaterKind::Human => "human",
            DebaterKind::Scripted => "scripted",
        }
    }
}
