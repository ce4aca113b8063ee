//! Finding a debater's quotes in a turn and checking each against the hidden source.
//!
//! Debaters mark quotes as `<quote>words of the source</quote>` (the debater prompt says so).

use super::{Quote, QuoteClass};
use crate::domain::annotation::Span;
use crate::domain::debate::Protocol;

/// The marks around a quote in a turn's text.
pub const OPEN: &str = "<quote>";
pub const CLOSE: &str = "</quote>";

/// The quotes of a turn's text, each checked against `source` (unchecked without one), and
/// marked over budget from the point the protocol's quote limit is passed.
pub fn quotes_of(text: &str, source: Option<&str>, protocol: &Protocol) -> Vec<Quote> {
    let budget = protocol.quote_limit.and_then(|l| usize::try_from(l).ok());
    let mut used = 0usize;
    marked(text)
        .into_iter()
        .filter_map(|at| {
            let words = text.get(at.start..at.end)?.to_string();
            let (class, place, similarity) = match source {
                Some(src) => classify(&words, src),
                None => (QuoteClass::Unchecked, None, None),
            };
            used = used.saturating_add(words.chars().count());
            Some(Quote {
                at,
                text: words,
                class,
                source: place,
                similarity,
                over_budget: budget.is_some_and(|b| used > b),
            })
        })
        .collect()
}

/// The byte ranges of the quoted words (inside the markers). An unclosed marker quotes to the
/// end of the text.
pub fn marked(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find(OPEN)) {
        let start = from + open + OPEN.len();
        let end = text
            .get(start..)
            .and_then(|t| t.find(CLOSE))
            .map_or(text.len(), |i| start + i);
        if end > start {
            out.push(Span { start, end });
        }
        from = end.saturating_add(CLOSE.len()).min(text.len());
        if from >= text.len() {
            break;
        }
    }
    out
}

/// How `quote` matches `source`: the class, where it sits, and how similar it is.
pub fn classify(quote: &str, source: &str) -> (QuoteClass, Option<Span>, Option<f64>) {
    let quote = quote.trim();
    if quote.is_empty() {
        return (QuoteClass::NotFound, None, None);
    }
    if let Some(start) = source.find(quote) {
        let span = Span {
            start,
            end: start + quote.len(),
        };
        return (QuoteClass::Exact, Some(span), Some(1.0));
    }
    (QuoteClass::NotFound, None, None)
}
