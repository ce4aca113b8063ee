//! Finding a debater's quotes in a turn and checking each against the hidden source.

use super::Quote;
use super::budget::overrun;
use super::index::{Check, SourceIndex};
use super::markers::marked;
use crate::domain::debate::Protocol;

/// The quotes of a turn's text, each checked against `source` (unchecked without one, or with
/// one that is blank), and marked over budget from the quote that passes the protocol's quote
/// limit on.
pub fn quotes_of(text: &str, source: Option<&str>, protocol: &Protocol) -> Vec<Quote> {
    let spans = marked(text);
    if spans.is_empty() {
        return Vec::new();
    }
    let index = source
        .filter(|s| !s.trim().is_empty())
        .map(SourceIndex::new);
    let mut quotes: Vec<Quote> = spans
        .into_iter()
        .filter_map(|at| {
            let words = text.get(at.start..at.end)?;
            let check = index.as_ref().map_or(Check::UNCHECKED, |i| i.check(words));
            Some(Quote {
                at,
                text: words.to_string(),
                class: check.class,
                source: check.source,
                similarity: check.similarity,
                over_budget: false,
            })
        })
        .collect();
    if let Some(over) = overrun(&quotes, protocol.quote_limit) {
        for quote in quotes.iter_mut().skip(over.quote) {
            quote.over_budget = true;
        }
    }
    quotes
}
