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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protocol {
    #[serde(default)]
    pub kind: RoundKind,
    pub rounds: u32,
    /// The length a debater is asked to keep to, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub word_limit: Option<u32>,
}

/// Sampling parameters sent with each request; `None` leaves the provider's default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SamplingParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_prompt: Option<String>,
    #[serde(default)]
    pub params: SamplingParams,
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
