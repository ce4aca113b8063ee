//! What the judge records: credences over time and the verdict.

use super::annotation::Annotation;
use super::side::Side;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A probability that side A is right, kept within [0, 1].
pub fn clamp_probability(p: f64) -> f64 {
    if p.is_nan() { 0.5 } else { p.clamp(0.0, 1.0) }
}

/// The verdict's confidence is in the winner, so at least 50%.
pub fn clamp_confidence(c: f64) -> f64 {
    if c.is_nan() { 0.5 } else { c.clamp(0.5, 1.0) }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub winner: Side,
    /// Confidence that the winner is right, 0.5 to 1.0.
    pub confidence: f64,
    #[serde(default)]
    pub rationale: String,
    /// The crux the judge decided the whole debate by, if they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// Why the debate ended: every round played, the judge ended it early, or the verdict came
    /// before the last round.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ended: String,
    /// Bits the scoring rule takes off per turn seen, as it stood when the verdict was given;
    /// `None` in files from before it was recorded (the default penalty then applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_penalty: Option<f64>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl Verdict {
    /// The verdict as P(A is right).
    pub fn p_a(&self) -> f64 {
        match self.winner {
            Side::A => self.confidence,
            Side::B => 1.0 - self.confidence,
        }
    }
}

/// Who a judge is: a person at agon's keyboard, an LLM, or a judge of a debate recorded
/// elsewhere who judged it after it ended (the NYU platform's offline judges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JudgeKind {
    #[default]
    Human,
    Llm,
    Offline,
}

impl JudgeKind {
    pub fn label(self) -> &'static str {
        match self {
            JudgeKind::Human => "human",
            JudgeKind::Llm => "llm",
            JudgeKind::Offline => "offline",
        }
    }

    fn is_human(&self) -> bool {
        *self == JudgeKind::Human
    }
}

/// The session's own judge (judge 0): who they were and how they judged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeInfo {
    #[serde(default, skip_serializing_if = "JudgeKind::is_human")]
    pub kind: JudgeKind,
    /// A name, a pseudonym, or `provider:model` for an LLM judge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the debaters' identities were hidden from this judge until the verdict.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub blind: bool,
}

impl JudgeInfo {
    pub fn is_default(&self) -> bool {
        *self == JudgeInfo::default()
    }
}

/// Another judgement of the same debate (a re-judge, an LLM judge, an offline judge): their own
/// events, verdict and annotations, kept beside the original judge's and never mixed with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    /// 1, 2, ... in the order they were made (the original judgement is the session's own).
    pub id: u32,
    #[serde(default, skip_serializing_if = "JudgeKind::is_human")]
    pub kind: JudgeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judge: Option<String>,
    /// How the debate was shown: `stepped` (turn by turn), `timed`, `end` (all at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Whether the debaters' identities were hidden from this judge.
    #[serde(default)]
    pub blind: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(default)]
    pub judge_events: Vec<JudgeEvent>,
    #[serde(default)]
    pub verdict: Option<Verdict>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
    /// What an LLM judge's answers cost (its requests, tokens, dollars).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<super::turn::Usage>,
    /// What a debate recorded elsewhere said of this judgement that has no field here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
}

/// Something the judge did, in the order it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeEvent {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Index of the last finished turn when the event happened; `None` before the first.
    pub after_turn: Option<usize>,
    #[serde(flatten)]
    pub kind: JudgeEventKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JudgeEventKind {
    /// The judge's probability that side A is right, on the root or on one node.
    Credence {
        node: String,
        p_a: f64,
        /// Why, when the judge gave a reason (LLM judges always do).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The final verdict (also kept in the session's `verdict`).
    Verdict {
        winner: Side,
        confidence: f64,
        #[serde(default)]
        rationale: String,
        /// Set when one crux decided the debate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        decided_by: Option<String>,
        /// Why the debate ended.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        ended: String,
        /// The scoring rule's cost per turn when the verdict was given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        turn_penalty: Option<f64>,
    },
    /// The judge speaks to one debater (`to`) or both (`to` null): a question or an instruction
    /// that goes into the next prompts and stands in the transcript.
    Message {
        to: Option<Side>,
        text: String,
    },
    /// The judge ended the debate before its last round.
    EndDebate {
        #[serde(default)]
        reason: String,
    },
    /// The judge added a round to the main debate.
    AddRound,
    /// A tag and/or note on a turn, a span of a turn, or a node.
    Annotate {
        annotation: Annotation,
    },
    /// New tags and note for an annotation.
    EditAnnotation {
        id: u32,
        tags: Vec<String>,
        #[serde(default)]
        note: String,
    },
    DeleteAnnotation {
        id: u32,
    },
    /// A ruling on one node: which side wins it (also kept on the node).
    NodeJudgement {
        node: String,
        winner: Side,
        confidence: f64,
        #[serde(default)]
        rationale: String,
    },
    /// The judge marked (`Some(true)`), unmarked (`Some(false)`) or reset (`None`) a crux.
    CruxMark {
        node: String,
        mark: Option<bool>,
    },
    /// The judge drilled into a node: a focused sub-debate of `rounds` rounds on it.
    Drill {
        node: String,
        rounds: u32,
    },
    /// The judge added a sub-question of their own.
    AddNode {
        id: String,
        parent: String,
        text: String,
    },
    /// The judge rewrote a node's text.
    EditNode {
        node: String,
        text: String,
        previous: String,
    },
    /// The judge merged a duplicate node into another.
    MergeNodes {
        from: String,
        into: String,
    },
    /// The judge moved a node (and its branch) under another parent.
    MoveNode {
        node: String,
        from_parent: String,
        to_parent: String,
    },
    /// A kind this build does not know (from a newer agon): kept out of the way, not applied.
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps() {
        assert_eq!(clamp_probability(1.7), 1.0);
        assert_eq!(clamp_probability(f64::NAN), 0.5);
        assert_eq!(clamp_confidence(0.2), 0.5);
    }

    #[test]
    fn verdict_as_probability_of_a() {
        let v = Verdict {
            winner: Side::B,
            confidence: 0.8,
            rationale: String::new(),
            decided_by: None,
            ended: String::new(),
            turn_penalty: None,
            at: OffsetDateTime::UNIX_EPOCH,
        };
        assert!((v.p_a() - 0.2).abs() < 1e-9);
    }

    #[test]
    fn events_serialise_with_a_kind_tag() {
        let e = JudgeEvent {
            at: OffsetDateTime::UNIX_EPOCH,
            after_turn: Some(2),
            kind: JudgeEventKind::Credence {
                node: "root".into(),
                p_a: 0.7,
                reason: None,
            },
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "credence");
        assert_eq!(v["p_a"], 0.7);
        assert_eq!(v["after_turn"], 2);
        let back: JudgeEvent = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
    }
}
