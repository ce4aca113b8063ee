//! The hidden source, indexed once so each quote is checked in time that depends on the quote,
//! not on the length of the source: the source's words with their byte ranges, each word's key
//! interned to a number, and where each number occurs.

use super::close;
use super::words;
use crate::domain::QuoteClass;
use crate::domain::annotation::Span;
use std::collections::HashMap;

/// The id of a quote's word that the source never uses: it matches nothing.
pub(super) const UNKNOWN: usize = usize::MAX;

/// How one quote matches the source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    pub class: QuoteClass,
    /// Where in the source (byte range, on char boundaries); none when not found.
    pub source: Option<Span>,
    /// Word similarity to that place, 0 to 1 (1 for exact and normalised); none when not found.
    pub similarity: Option<f64>,
}

impl Check {
    pub const NOT_FOUND: Check = Check {
        class: QuoteClass::NotFound,
        source: None,
        similarity: None,
    };
    pub const UNCHECKED: Check = Check {
        class: QuoteClass::Unchecked,
        source: None,
        similarity: None,
    };
}

/// A source text ready for checking quotes against it.
#[derive(Debug, Clone)]
pub struct SourceIndex<'a> {
    source: &'a str,
    /// Byte range of each word of the source, in order.
    spans: Vec<(usize, usize)>,
    /// Each word's key as a number.
    pub(super) ids: Vec<usize>,
    /// For each number, the word positions where it occurs, ascending.
    pub(super) occurrences: Vec<Vec<usize>>,
    vocabulary: HashMap<String, usize>,
}

impl<'a> SourceIndex<'a> {
    pub fn new(source: &'a str) -> Self {
        let mut index = SourceIndex {
            source,
            spans: Vec::new(),
            ids: Vec::new(),
            occurrences: Vec::new(),
            vocabulary: HashMap::new(),
        };
        words::scan(source, |start, end, key| {
            let id = match index.vocabulary.get(key) {
                Some(&id) => id,
                None => {
                    let id = index.occurrences.len();
                    index.vocabulary.insert(key.to_string(), id);
                    index.occurrences.push(Vec::new());
                    id
                }
            };
            if let Some(at) = index.occurrences.get_mut(id) {
                at.push(index.ids.len());
            }
            index.ids.push(id);
            index.spans.push((start, end));
        });
        index
    }

    pub fn source(&self) -> &'a str {
        self.source
    }

    /// Classifies `quote` (trimmed of white space first): exact, else normalised, else close,
    /// else not found. See docs/quotes.md for the rules.
    pub fn check(&self, quote: &str) -> Check {
        let quote = quote.trim();
        if quote.is_empty() {
            return Check::NOT_FOUND;
        }
        if let Some(span) = self.exact(quote) {
            return Check {
                class: QuoteClass::Exact,
                source: Some(span),
                similarity: Some(1.0),
            };
        }
        let ids = self.ids_of(quote);
        if let Some(span) = self.normalised(&ids) {
            return Check {
                class: QuoteClass::Normalised,
                source: Some(span),
                similarity: Some(1.0),
            };
        }
        if let Some(window) = close::best_window(&self.ids, &self.occurrences, &ids)
            && let Some(span) = self.span_of(window.first, window.end)
        {
            return Check {
                class: QuoteClass::Close,
                source: Some(span),
                similarity: Some(window.similarity()),
            };
        }
        Check::NOT_FOUND
    }

    /// The first place `quote` occurs verbatim with both ends on word boundaries, so that
    /// "happy" is not found inside "unhappy".
    fn exact(&self, quote: &str) -> Option<Span> {
        let mut from = 0;
        while let Some(found) = self.source.get(from..)?.find(quote) {
            let start = from + found;
            let end = start + quote.len();
            if self.is_boundary(start) && self.is_boundary(end) {
                return Some(Span { start, end });
            }
            // The next candidate starts at the next boundary after `start`: past the word it
            // fell inside, or one character on.
            let step = self.source.get(start..)?.chars().next()?.len_utf8();
            from = self.next_boundary(start + step);
        }
        None
    }

    /// Whether byte offset `at` of the source is outside every word or at a word's edge.
    fn is_boundary(&self, at: usize) -> bool {
        let before = self.spans.partition_point(|&(start, _)| start < at);
        match before.checked_sub(1).and_then(|i| self.spans.get(i)) {
            Some(&(_, end)) => end <= at,
            None => true,
        }
    }

    /// The first word boundary at or after `at`.
    fn next_boundary(&self, at: usize) -> usize {
        let before = self.spans.partition_point(|&(start, _)| start < at);
        match before.checked_sub(1).and_then(|i| self.spans.get(i)) {
            Some(&(_, end)) if end > at => end,
            _ => at,
        }
    }

    /// The quote's words as source ids (`UNKNOWN` for a word the source never uses).
    pub(super) fn ids_of(&self, quote: &str) -> Vec<usize> {
        let mut ids = Vec::new();
        words::scan(quote, |_, _, key| {
            ids.push(self.vocabulary.get(key).copied().unwrap_or(UNKNOWN));
        });
        ids
    }

    /// The first place the source has exactly the quote's words, in order.
    fn normalised(&self, quote: &[usize]) -> Option<Span> {
        if quote.contains(&UNKNOWN) {
            return None;
        }
        // Anchor on the quote's rarest word: fewest places to try.
        let (k, rarest) = quote
            .iter()
            .enumerate()
            .min_by_key(|&(_, &id)| self.occurrences.get(id).map_or(0, Vec::len))?;
        for &at in self.occurrences.get(*rarest)? {
            let Some(first) = at.checked_sub(k) else {
                continue;
            };
            let end = first + quote.len();
            if self.ids.get(first..end) == Some(quote) {
                return self.span_of(first, end);
            }
        }
        None
    }

    /// The source bytes from the start of word `first` to the end of word `end - 1`.
    fn span_of(&self, first: usize, end: usize) -> Option<Span> {
        let &(start, _) = self.spans.get(first)?;
        let &(_, stop) = self.spans.get(end.checked_sub(1)?)?;
        (start < stop).then_some(Span { start, end: stop })
    }
}

/// Classifies one quote against `source` (indexing the source for it; to check several quotes,
/// build one [`SourceIndex`]).
pub fn classify(quote: &str, source: &str) -> Check {
    SourceIndex::new(source).check(quote)
}
