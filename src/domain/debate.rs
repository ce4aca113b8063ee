//! What a debate is before anyone speaks: the question, the positions, the protocol and the
//! debaters.

use super::side::Side;
use serde::{Deserialize, Serialize};

/// What each side argues. For a pro/con debate, A is "yes" and B is "no"; for a two-answer
/// question (as on the NYU platform), each side holds one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Positions {
    #[serde(rename = "A")]
    pub a: String,
    #[serde(rename = "B")]
    pub b: String,
}

impl Positions {
    pub fn of(&self, side: Side) -> &str {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }
}

/// How speeches are ordered within a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoundKind {
    /// A speaks, then B sees A's speech and answers.
    #[default]
    Sequential,
    /// Both speak without seeing each other's speech of the same round.
    Simultaneous,
}

impl RoundKind {
    pub fn label(self) -> &'static str {
        match self {
            RoundKind::Sequential => "sequential",
            RoundKind::Simultaneous => "simultaneous",
        }
    }
}

/// Who argues: two debaters against each other, or one consultant alone (the baseline of
/// Michael et al. 2023 and Khan et al. 2024).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Debate,
    Consultancy,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Debate => "debate",
            Format::Consultancy => "consultancy",
        }
    }
}

/// How debaters get their answers: assigned by agon, or chosen by the debater (the open roles
/// of Kenton et al. 2024).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Roles {
    #[default]
    Assigned,
    Open,
}

impl Roles {
    fn is_assigned(&self) -> bool {
        *self == Roles::Assigned
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Protocol {
    #[serde(default)]
    pub kind: RoundKind,
    #[serde(default, skip_serializing_if = "is_debate")]
    pub format: Format,
    #[serde(default, skip_serializing_if = "Roles::is_assigned")]
    pub roles: Roles,
    pub rounds: u32,
    /// The length a debater is asked to keep to, in words; longer speeches are cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub word_limit: Option<u32>,
    /// The same in characters (as on the NYU platform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub char_limit: Option<u32>,
    /// Characters of quoted source allowed per speech; quotes beyond it are marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_limit: Option<u32>,
    /// The scoring rule's cost of each turn, in bits (NYU: 0.05), when the protocol sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_penalty: Option<f64>,
    /// What the penalty counts: each speech the judge saw, or each round they chose to hear.
    #[serde(default, skip_serializing_if = "PenaltyUnit::is_speech")]
    pub penalty_unit: PenaltyUnit,
    /// Whether the judge may read the hidden source before the verdict (normally not).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub judge_sees_source: bool,
}

/// What a turn-penalised score counts as a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PenaltyUnit {
    /// Each complete speech the judge had seen (agon's own debates).
    #[default]
    Speech,
    /// Each round of speeches the judge had heard: the NYU platform's `numContinues`, once
    /// per round whether it had one speech (consultancy) or two (debate).
    Round,
}

impl PenaltyUnit {
    fn is_speech(&self) -> bool {
        *self == PenaltyUnit::Speech
    }
}

fn is_debate(f: &Format) -> bool {
    *f == Format::Debate
}

impl Protocol {
    /// A sequential debate of `rounds` rounds with no limits.
    pub fn rounds(rounds: u32) -> Self {
        Protocol {
            kind: RoundKind::Sequential,
            format: Format::Debate,
            roles: Roles::Assigned,
            rounds,
            word_limit: None,
            char_limit: None,
            quote_limit: None,
            turn_penalty: None,
            penalty_unit: PenaltyUnit::Speech,
            judge_sees_source: false,
        }
    }
}

/// Sampling parameters sent with each request; `None` leaves the provider's default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SamplingParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
}

/// Whether a debater is a model, a person, or the offline script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DebaterKind {
    #[default]
    Ai,
    Human,
    Scripted,
}

impl DebaterKind {
    fn is_ai(&self) -> bool {
        *self == DebaterKind::Ai
    }
}

/// One debater: who argues a side and with which model. Never holds an API key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Debater {
    pub side: Side,
    /// A display name ("Pro", "gpt-4o", ...).
    pub name: String,
    /// `scripted`, `openai`, `anthropic`, `ollama`, `replay`...
    pub provider: String,
    pub model: String,
    #[serde(default, skip_serializing_if = "DebaterKind::is_ai")]
    pub kind: DebaterKind,
    /// Stored without credentials (user info and query are removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_prompt: Option<String>,
    #[serde(default)]
    pub params: SamplingParams,
    /// Under open roles: the debater chose its side itself (recorded when it did).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chose_side: bool,
}

/// Everything needed to start a debate.
#[derive(Debug, Clone, PartialEq)]
pub struct DebateSetup {
    pub question: String,
    pub positions: Positions,
    pub protocol: Protocol,
    pub debaters: Vec<Debater>,
}

impl DebateSetup {
    pub fn debater(&self, side: Side) -> Option<&Debater> {
        self.debaters.iter().find(|d| d.side == side)
    }
}
