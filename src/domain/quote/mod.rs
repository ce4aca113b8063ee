//! Quotes of the hidden source: where a debater quoted it, and how well the quote matches.
//!
//! This module is the record a session keeps; [`check::quotes_of`] finds a turn's quotes and
//! classifies each. The rules are in docs/quotes.md: the markers ([`markers`]), what a word is
//! ([`words`]), the classes ([`index`], [`close`]), the judge's word diff ([`diff`]) and the
//! quote budget ([`budget`]).

use super::annotation::Span;
use serde::{Deserialize, Serialize};

/// How a quote matches the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteClass {
    /// Word for word, character for character.
    Exact,
    /// The same words once case, white space, punctuation, quote marks, dashes and ellipses are
    /// set aside.
    Normalised,
    /// Very similar but not the same: words were inserted, dropped or changed (word similarity
    /// at least [`CLOSE_THRESHOLD`]).
    Close,
    /// Nothing in the source is close to it.
    NotFound,
    /// There was no source to check it against.
    Unchecked,
}

impl QuoteClass {
    pub fn label(self) -> &'static str {
        match self {
            QuoteClass::Exact => "exact",
            QuoteClass::Normalised => "normalised",
            QuoteClass::Close => "close",
            QuoteClass::NotFound => "not found",
            QuoteClass::Unchecked => "unchecked",
        }
    }

    /// Whether the source backs the quote (exactly or up to normalisation).
    pub fn is_verified(self) -> bool {
        matches!(self, QuoteClass::Exact | QuoteClass::Normalised)
    }
}

/// One quote in a turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted words in the turn's text (byte range, without the quote markers).
    pub at: Span,
    /// The quoted words as the debater wrote them.
    pub text: String,
    pub class: QuoteClass,
    /// Where in the source the quote was found (byte range of `source_text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Span>,
    /// How similar the quote is to that place in the source, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// The quote takes the turn past the protocol's quote budget (from this quote on).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub over_budget: bool,
}

impl Quote {
    /// The words of `source` the quote was matched to, if it was.
    pub fn source_text<'s>(&self, source: &'s str) -> Option<&'s str> {
        let at = self.source?;
        source.get(at.start..at.end)
    }

    /// The word diff of the quote against the place it was matched to, if it was.
    pub fn diff(&self, source: &str) -> Option<Vec<DiffPart>> {
        self.source_text(source)
            .map(|place| diff(&self.text, place))
    }
}

pub mod budget;
pub mod check;
pub mod close;
pub mod diff;
pub mod index;
pub mod markers;
pub mod words;

pub use budget::{Overrun, overrun};
pub use close::THRESHOLD as CLOSE_THRESHOLD;
pub use diff::{DiffKind, DiffPart, diff};
pub use index::{Check, SourceIndex, classify};
pub use markers::{CLOSE, OPEN, marked};

#[cfg(test)]
mod tests;
