//! One debater's statement in one round, with every attempt it took to get it.

use super::claims::{self, Claim, Concession};
use super::quote::Quote;
use super::side::Side;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// Measurements of one attempt, as the provider reported them.
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
    /// Requests that failed before the first token and were sent again (by the engine, with
    /// backoff) within this attempt.
    #[serde(default)]
    pub retries: u32,
}

/// What the answers of a model outside the turns (an LLM judge's, a chooser's) cost, added
/// up over its answered requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub requests: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_ms: Option<u64>,
}

impl Usage {
    /// Adds one answered request; what it did not report stays as it was.
    pub fn add(&mut self, stats: &TurnStats) {
        self.requests = self.requests.saturating_add(1);
        self.input_tokens = add_known(self.input_tokens, stats.input_tokens);
        self.output_tokens = add_known(self.output_tokens, stats.output_tokens);
        self.total_ms = add_known(self.total_ms, stats.total_ms);
        self.cost_usd = add_known_cost(self.cost_usd, stats.cost_usd);
    }
}

impl TurnStats {
    /// Adds another request's tokens, time and cost to these (a turn asked twice, a batch of
    /// requests): what neither reported stays unknown.
    pub fn add_usage(&mut self, other: &TurnStats) {
        self.input_tokens = add_known(self.input_tokens, other.input_tokens);
        self.output_tokens = add_known(self.output_tokens, other.output_tokens);
        self.total_ms = add_known(self.total_ms, other.total_ms);
        self.cost_usd = add_known_cost(self.cost_usd, other.cost_usd);
    }
}

/// Two counts of which either may be unknown: their sum when both are known, else the known
/// one. A server that did not report usage adds nothing rather than making the total unknown.
pub fn add_known(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.saturating_add(b)),
        (a, b) => a.or(b),
    }
}

/// [`add_known`] for dollars.
pub fn add_known_cost(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

/// An earlier try at a turn that failed or was stopped before the judge retried it. The turn
/// keeps every one, so nothing a debater said (or cost) is lost, and counts once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub status: TurnStatus,
    /// What arrived before it broke off.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub stats: TurnStats,
}

/// Why a short request followed a turn's speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FollowupPurpose {
    /// The debater's wire gives structured claims only by a second request (Ollama's `format`).
    Structured,
    /// The speech's claims could not be read; the debater was asked for them alone.
    Repair,
}

/// A short request after a turn's speech asking for its claims alone. Its tokens, time and
/// cost belong to the turn: what a study counts as the turn's price includes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Followup {
    pub purpose: FollowupPurpose,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub stats: TurnStats,
    /// Why it gave no claims, when it failed or was stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A speech cut to the protocol's length limit: what the debater wrote beyond it is kept here,
/// out of the transcript the judge and the opponent see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cut {
    /// The limit that applied, e.g. "150 words" or "1500 characters".
    pub limit: String,
    /// Where the speech was cut: a byte offset of the text as the debater wrote it.
    pub at: usize,
    /// The text that went over the limit.
    pub removed: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub index: usize,
    pub round: u32,
    pub side: Side,
    /// The node this turn debates: `root` for the main debate, a claim id inside a drill.
    #[serde(default = "root_scope")]
    pub scope: String,
    /// The full text as the debater wrote it (claims block included), made inert as it arrived:
    /// exactly what the judge reads and what the opponent is sent.
    pub text: String,
    #[serde(default)]
    pub claims: Vec<Claim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concessions: Vec<Concession>,
    /// Quotes of the hidden source, each checked against it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
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
    /// Earlier attempts at this turn that failed or were stopped, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<Attempt>,
    /// Set when the speech was cut to the protocol's length limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut: Option<Cut>,
    /// Requests made after the speech for its claims alone (at most one per turn today).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub followups: Vec<Followup>,
    /// Who spoke, when that is not the side's debater record (e.g. a named person in an
    /// imported debate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// What a debate recorded elsewhere said about this turn that agon's model has no field
    /// for (see `docs/import-nyu.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
    #[serde(skip)]
    words: WordTally,
}

/// A turn's number as the screens and exports count (from 1) for its index. A reference read
/// from a file may hold any index, so this never overflows.
pub fn number(index: usize) -> usize {
    index.saturating_add(1)
}

fn root_scope() -> String {
    claims::ROOT_ID.to_string()
}

impl Turn {
    /// A turn that has just begun streaming.
    pub fn begin(index: usize, round: u32, side: Side, scope: &str, now: OffsetDateTime) -> Turn {
        Turn {
            index,
            round,
            side,
            scope: scope.to_string(),
            text: String::new(),
            claims: Vec::new(),
            concessions: Vec::new(),
            quotes: Vec::new(),
            warnings: Vec::new(),
            status: TurnStatus::Streaming,
            error: None,
            skipped: false,
            started_at: now,
            finished_at: None,
            stats: TurnStats::default(),
            attempts: Vec::new(),
            cut: None,
            followups: Vec::new(),
            speaker: None,
            extra: None,
            words: WordTally::default(),
        }
    }

    /// The text with the claims block cut out: what the transcript shows.
    pub fn prose(&self) -> std::borrow::Cow<'_, str> {
        claims::prose(&self.text)
    }

    /// Whether the protocol counts this turn as played.
    pub fn counts_as_played(&self) -> bool {
        self.status == TurnStatus::Complete || self.skipped
    }

    /// Appends text that has already been made inert, keeping the word count current.
    pub(crate) fn append(&mut self, delta: &str) {
        self.words.sync(&self.text);
        self.text.push_str(delta);
        self.words.sync(&self.text);
    }

    /// Replaces the text (a cut to the length limit, a reopened attempt).
    pub(crate) fn set_text(&mut self, text: String) {
        self.text = text;
        self.words = WordTally::default();
        self.words.sync(&self.text);
    }

    /// Words in the text. Kept as a running tally while text streams in, so reading it costs
    /// nothing however long the turn is.
    pub fn word_count(&self) -> usize {
        if self.words.counted == self.text.len() {
            self.words.words
        } else {
            let mut tally = WordTally::default();
            tally.sync(&self.text);
            tally.words
        }
    }

    /// Brings the cached word count up to date (after loading).
    pub(crate) fn recount(&mut self) {
        self.words = WordTally::default();
        self.words.sync(&self.text);
    }

    /// The stats of every request this turn made: this attempt, the earlier ones, and the
    /// follow-ups for its claims.
    fn all_stats(&self) -> impl Iterator<Item = &TurnStats> {
        std::iter::once(&self.stats)
            .chain(self.attempts.iter().map(|a| &a.stats))
            .chain(self.followups.iter().map(|f| &f.stats))
    }

    /// Output tokens of every request of this turn (attempts and follow-ups included).
    pub fn total_output_tokens(&self) -> Option<u64> {
        self.all_stats()
            .map(|s| s.output_tokens)
            .reduce(add_known)
            .flatten()
    }

    /// Dollars spent on every request of this turn (attempts and follow-ups included).
    pub fn total_cost(&self) -> Option<f64> {
        self.all_stats()
            .filter_map(|s| s.cost_usd)
            .reduce(|a, b| a + b)
    }
}

/// A running count of the words in a growing text: how many bytes it has seen, and whether it
/// stopped inside a word. Equal whatever its state, so sessions compare by their data.
#[derive(Debug, Clone, Copy, Default)]
struct WordTally {
    counted: usize,
    words: usize,
    in_word: bool,
}

impl PartialEq for WordTally {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl WordTally {
    /// Counts the words of `text` past what was counted, which must be a prefix of it.
    fn sync(&mut self, text: &str) {
        let Some(rest) = text.get(self.counted..) else {
            *self = WordTally::default();
            return self.sync(text);
        };
        for c in rest.chars() {
            let space = c.is_whitespace();
            if !space && !self.in_word {
                self.words += 1;
            }
            self.in_word = !space;
        }
        self.counted = text.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_count_runs_across_chunks() {
        let mut t = Turn::begin(0, 1, Side::A, "root", OffsetDateTime::UNIX_EPOCH);
        for chunk in ["Hel", "lo wor", "ld, ", " and", "\nmore"] {
            t.append(chunk);
        }
        assert_eq!(t.word_count(), 4);
        assert_eq!(t.word_count(), t.text.split_whitespace().count());
        t.set_text("one two".into());
        assert_eq!(t.word_count(), 2);
    }

    #[test]
    fn a_loaded_turn_counts_its_words_without_a_tally() {
        let mut t = Turn::begin(0, 1, Side::A, "root", OffsetDateTime::UNIX_EPOCH);
        t.text = "three little words".into();
        assert_eq!(t.word_count(), 3);
        t.recount();
        assert_eq!(t.word_count(), 3);
    }

    #[test]
    fn totals_add_every_attempt() {
        let mut t = Turn::begin(0, 1, Side::A, "root", OffsetDateTime::UNIX_EPOCH);
        t.stats.output_tokens = Some(10);
        t.stats.cost_usd = Some(0.5);
        t.attempts.push(Attempt {
            status: TurnStatus::Failed,
            text: "part".into(),
            error: Some("cut".into()),
            started_at: OffsetDateTime::UNIX_EPOCH,
            finished_at: None,
            stats: TurnStats {
                output_tokens: Some(3),
                cost_usd: Some(0.25),
                ..TurnStats::default()
            },
        });
        assert_eq!(t.total_output_tokens(), Some(13));
        assert_eq!(t.total_cost(), Some(0.75));
        t.followups.push(Followup {
            purpose: FollowupPurpose::Repair,
            started_at: OffsetDateTime::UNIX_EPOCH,
            finished_at: None,
            stats: TurnStats {
                output_tokens: Some(4),
                cost_usd: Some(0.125),
                ..TurnStats::default()
            },
            error: None,
        });
        assert_eq!(t.total_output_tokens(), Some(17));
        assert_eq!(t.total_cost(), Some(0.875));
    }
}

#[cfg(test)]
mod usage_tests {
    use super::*;

    #[test]
    fn usage_adds_what_each_request_reports() {
        let mut u = Usage::default();
        u.add(&TurnStats {
            input_tokens: Some(100),
            output_tokens: Some(20),
            cost_usd: Some(0.5),
            ..TurnStats::default()
        });
        u.add(&TurnStats {
            input_tokens: Some(150),
            total_ms: Some(800),
            ..TurnStats::default()
        });
        assert_eq!(u.requests, 2);
        assert_eq!(u.input_tokens, Some(250));
        assert_eq!(u.output_tokens, Some(20));
        assert_eq!(u.cost_usd, Some(0.5));
        assert_eq!(u.total_ms, Some(800));
    }
}
