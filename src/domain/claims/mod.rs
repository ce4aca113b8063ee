//! The claims block a debater ends each turn with, and its tolerant readers.
//!
//! The format is specified in `docs/claims-format.md`. In short:
//!
//! ````text
//! ```claims
//! A1 supports root: Peak pricing cuts downtown traffic by roughly 15-30%.
//! A2 attacks B1: Stockholm's retail sales did not fall after its charge.
//! concede B3: Collection costs were high in London's first years.
//! ```
//! ````
//!
//! The parser never fails: a missing or broken block keeps the turn's text, yields the claims it
//! could read, and reports what it could not as warnings. It also reads what models write instead
//! of that block (numbered or bold lines, a `Claims:` heading, another fence, JSON, YAML-like
//! fields, a table, relation synonyms, `the root`, ...), and says in a warning what it guessed
//! for each.
//!
//! Modules: `block` finds the block, `read` reads its lines into claims under the limits, `line`
//! is the grammar of one line, `record` and `fields` read claims written as records, `json` the
//! JSON forms (and the structured form providers return), `vocab` the words recognised, `warn`
//! every warning's text.

mod block;
mod collect;
mod fields;
mod json;
mod line;
mod read;
mod record;
mod text;
mod vocab;
mod warn;

use serde::{Deserialize, Serialize};

pub use json::{json_schema, parse_json};

/// Id of the debate's root node (the question itself).
pub const ROOT_ID: &str = "root";
/// More claims than this in one turn are ignored: a turn is a few claims, not a dump.
pub const MAX_CLAIMS_PER_TURN: usize = 12;
/// Longest claim text kept, in characters.
pub const MAX_CLAIM_CHARS: usize = 300;

/// How a claim relates to the node it targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Supports,
    Attacks,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Supports => "supports",
            Relation::Attacks => "attacks",
        }
    }
}

/// How a claim was obtained from the debater's turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimSource {
    /// A line of a ```` ```claims ```` block in the documented format.
    #[default]
    Block,
    /// Read from another format the parser recognised, with a warning saying what it guessed.
    Tolerant,
    /// Returned by the provider as JSON under [`json_schema`].
    Structured,
    /// From a follow-up request asking the debater to rewrite its block.
    Repair,
    /// Extracted from the prose by another model.
    Extracted,
}

impl ClaimSource {
    pub fn is_block(&self) -> bool {
        *self == ClaimSource::Block
    }
}

/// One claim as the debater wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: String,
    pub relation: Relation,
    /// `root` or the id of an earlier claim.
    pub target: String,
    pub text: String,
    /// Absent from session files for `block`, so files written before it existed load unchanged.
    #[serde(default, skip_serializing_if = "ClaimSource::is_block")]
    pub source: ClaimSource,
}

/// A debater giving up a point: the id of the node it concedes, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concession {
    pub target: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// What the parser made of one turn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedClaims {
    pub claims: Vec<Claim>,
    pub concessions: Vec<Concession>,
    pub warnings: Vec<String>,
}

/// Where the claims block starts and ends in a turn's text (byte offsets, on line starts), if it
/// has one. The span covers the whole block in any form it was found in (a heading above it
/// included), so the prose is the text around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockSpan {
    pub start: usize,
    pub end: usize,
}

/// The turn's prose: its text with the claims block cut out (text after the block is kept).
pub fn prose(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(span) = find_block(text) else {
        return text.trim_end().into();
    };
    let before = text.get(..span.start).unwrap_or_default().trim_end();
    let after = text.get(span.end..).unwrap_or_default().trim();
    match (before.is_empty(), after.is_empty()) {
        (_, true) => before.into(),
        (true, false) => after.into(),
        (false, false) => format!("{before}\n\n{after}").into(),
    }
}

/// Finds the claims block: the last ```` ```claims ```` fence and its closing fence, or, failing
/// one, the last block in another form the parser reads.
pub fn find_block(text: &str) -> Option<BlockSpan> {
    block::locate(text).map(|found| found.span)
}

/// Parses the claims block of a finished turn.
pub fn parse(text: &str) -> ParsedClaims {
    match block::locate(text) {
        Some(found) => read::read(&found),
        None => ParsedClaims {
            warnings: vec![warn::NO_BLOCK.to_string()],
            ..ParsedClaims::default()
        },
    }
}

/// Whether a complete turn's claims could not be read, so that asking the debater for them
/// again is worth a request: nothing was read, and the text has no block in any form or its
/// block had entries that were not understood. A block that is empty on purpose (a closing
/// statement that makes no new claim) reads as nothing without a warning, and asks for nothing.
pub fn unreadable(parsed: &ParsedClaims, text: &str) -> bool {
    parsed.claims.is_empty()
        && parsed.concessions.is_empty()
        && (find_block(text).is_none() || !parsed.warnings.is_empty())
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
