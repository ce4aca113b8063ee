//! One debater's statement in one round.

use super::claims::{self, Claim, Concession};
use super::side::Side;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TurnStatus {
    /// Words are still arriving.
    Streaming,
    /// The debater finished normally.
    Complete,
    /// The provider failed; `error` says why. The partial text is kept.
    Failed,
    /// The judge stopped it, or the app was closed while it streamed. The partial text is kept.
    Stopped,
}

impl TurnStatus {
    pub fn label(self) -> &'static str {
        match self {
            TurnStatus::Streaming => "streaming",
            TurnStatus::Complete => "complete",
            TurnStatus::Failed => "failed",
            TurnStatus::Stopped => "stopped",
        }
    }

    pub fn is_finished(self) -> bool {
        self != TurnStatus::Streaming
    }
}

/// Measurements of one turn, as the provider reported them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TurnStats {
    pub provider: String,
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_to_first_token_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    #[serde(default)]
    pub retries: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub index: usize,
    pub round: u32,
    pub side: Side,
    /// The node this turn debates: `root` for the main debate, a claim id inside a drill.
    #[serde(default = "root_scope")]
    pub scope: String,
    /// The full text as the debater wrote it, claims block included.
    pub text: String,
    #[serde(default)]
    pub claims: Vec<Claim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concessions: Vec<Concession>,
    /// What the claims parser or the tree could not use as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub status: TurnStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The judge chose to move on from this failed or stopped turn instead of retrying it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skipped: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub stats: TurnStats,
}

fn root_scope() -> String {
    claims::ROOT_ID.to_string()
}

impl Turn {
    /// The text with the claims block cut out: what the transcript shows.
    pub fn prose(&self) -> std::borrow::Cow<'_, str> {
        claims::prose(&self.text)
    }

    /// Whether the protocol counts this turn as played.
    pub fn counts_as_played(&self) -> bool {
        self.status == TurnStatus::Complete || self.skipped
    }

    pub fn word_count(&self) -> usize {
        self.text.split_whitespace().count()
    }
}
