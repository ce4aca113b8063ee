//! The NYU platform's room files and metadata rows, as serde reads them: only what the import
//! uses, unknown fields ignored, optional where the published data has gaps. Field names are the
//! platform's (`camelCase`); see the dataset's README and the platform's `pub/README.md`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// One debate room: its setup and every round played.
#[derive(Debug, Clone, Deserialize)]
pub struct Debate {
    pub setup: Setup,
    #[serde(default)]
    pub rounds: Vec<Round>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setup {
    /// Kept as written (it goes to the session's `extra`); [`Rules`] reads what the import uses.
    pub rules: serde_json::Value,
    pub source_material: SourceMaterial,
    pub question: String,
    pub answers: Vec<String>,
    pub correct_answer_index: usize,
    /// `Debater A`, `Debater B`, `Judge` to the person (or `GPT-4`) in that role.
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    /// The offline judges assigned, and the mode each was asked to judge in (may be null).
    #[serde(default)]
    pub offline_judges: BTreeMap<String, Option<String>>,
    /// Milliseconds since the Unix epoch.
    pub creation_time: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SourceMaterial {
    #[serde(rename = "QuALITYSourceMaterial")]
    pub quality: QualitySource,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QualitySource {
    pub article_id: String,
    #[serde(default)]
    pub title: Option<String>,
    /// The story as PTB-style tokens.
    pub contents: Vec<String>,
}

/// The rules: which kind of round comes when, with its limits, and the scoring rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    #[serde(default)]
    pub fixed_opening: Vec<RoundType>,
    #[serde(default)]
    pub repeating_structure: Vec<RoundType>,
    #[serde(default)]
    pub fixed_closing: Option<Closing>,
    #[serde(default)]
    pub scoring_function: Option<serde_json::Value>,
}

/// The closing rounds, after the repeating structure has run at most `maxRepeatCycles` times.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Closing {
    pub max_repeat_cycles: usize,
    #[serde(default)]
    pub rounds: Vec<RoundType>,
}

/// A kind of round in the rules.
#[derive(Debug, Clone, Deserialize)]
pub enum RoundType {
    #[serde(rename = "JudgeFeedbackRound")]
    JudgeFeedback(Limits),
    #[serde(rename = "SimultaneousSpeechesRound")]
    Simultaneous(Limits),
    #[serde(rename = "SequentialSpeechesRound")]
    Sequential(Limits),
    #[serde(rename = "NegotiateEndRound")]
    NegotiateEnd(serde::de::IgnoredAny),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    #[serde(default)]
    pub char_limit: Option<u32>,
    #[serde(default)]
    pub quote_limit: Option<u32>,
}

/// One round as it was played.
#[derive(Debug, Clone, Deserialize)]
pub enum Round {
    JudgeFeedback(JudgeFeedback),
    SimultaneousSpeeches(Speeches),
    SequentialSpeeches(Speeches),
    NegotiateEnd(NegotiateEnd),
    OfflineJudgments(OfflineJudgments),
}

/// The debaters' speeches of one round, keyed by answer index ("0" argues `answers[0]`).
#[derive(Debug, Clone, Deserialize)]
pub struct Speeches {
    #[serde(default)]
    pub speeches: BTreeMap<String, Speech>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Speech {
    #[serde(default)]
    pub speaker: String,
    /// Milliseconds since the Unix epoch, when the speech was submitted.
    pub timestamp: i64,
    #[serde(default)]
    pub content: Vec<Segment>,
}

/// A piece of a speech: words, or a quote of the story as a token range `[begin, end)`.
#[derive(Debug, Clone, Deserialize)]
pub enum Segment {
    Text { text: String },
    Quote { span: (usize, usize) },
}

/// The judge's probabilities and message at one point of the debate.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JudgeFeedback {
    /// `[P(answers[0]), P(answers[1])]`.
    pub distribution: Vec<f64>,
    pub feedback: Speech,
    #[serde(default)]
    pub end_debate: bool,
}

/// The debaters' votes to end the debate, keyed by answer index.
#[derive(Debug, Clone, Deserialize)]
pub struct NegotiateEnd {
    #[serde(default)]
    pub votes: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OfflineJudgments {
    #[serde(default)]
    pub judgments: BTreeMap<String, OfflineJudgment>,
}

/// One offline judge's work on the finished debate.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfflineJudgment {
    /// `stepped` (a judgement before the first speech round and after each) or `timed` (one).
    pub mode: String,
    /// Milliseconds since the Unix epoch; -1 where the platform did not record it.
    #[serde(default)]
    pub start_time_millis: Option<i64>,
    #[serde(default)]
    pub judgments: Vec<JudgeFeedback>,
}

/// One line of `debates-metadata.jsonl`: what the import takes from it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetadataRow {
    pub name: String,
    pub setting: Setting,
    #[serde(default)]
    pub included_in_paper: bool,
    #[serde(default)]
    pub status: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setting {
    pub is_human: bool,
    pub is_debate: bool,
}

impl Setting {
    /// `human-debate`, `human-consultancy`, `ai-debate` or `ai-consultancy`.
    pub fn label(self) -> &'static str {
        match (self.is_human, self.is_debate) {
            (true, true) => "human-debate",
            (true, false) => "human-consultancy",
            (false, true) => "ai-debate",
            (false, false) => "ai-consultancy",
        }
    }
}
