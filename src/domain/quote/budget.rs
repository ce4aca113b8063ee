//! The protocol's quote budget: how many characters of quoted text one speech may use.
//!
//! Every marked quote counts, whatever its class, by the characters of its words (trimmed, as
//! stored in [`Quote::text`]); two quotes of the same passage count twice. The quote during
//! which the running total passes the budget, and every later one, are over budget.

use super::Quote;

/// Where a speech's quotes ran past the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overrun {
    /// The index (in the speech's quotes) of the quote that passes the budget. It and every
    /// later quote are over budget.
    pub quote: usize,
    /// How many of that quote's first characters are still within the budget.
    pub within: usize,
    /// The byte offset in the turn's text where the budget runs out (inside that quote).
    pub at: usize,
    /// Characters over the budget: the rest of that quote and all of every later one.
    pub over: usize,
}

/// Where `quotes` pass `limit` characters, if they do.
pub fn overrun(quotes: &[Quote], limit: Option<u32>) -> Option<Overrun> {
    let limit = usize::try_from(limit?).ok()?;
    let mut used = 0usize;
    for (i, quote) in quotes.iter().enumerate() {
        let chars = quote.text.chars().count();
        if used.saturating_add(chars) > limit {
            let within = limit.saturating_sub(used);
            let offset = quote
                .text
                .char_indices()
                .nth(within)
                .map_or(quote.text.len(), |(b, _)| b);
            let later: usize = quotes
                .iter()
                .skip(i + 1)
                .map(|q| q.text.chars().count())
                .sum();
            return Some(Overrun {
                quote: i,
                within,
                at: quote.at.start.saturating_add(offset),
                over: (chars - within).saturating_add(later),
            });
        }
        used += chars;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::QuoteClass;
    use crate::domain::annotation::Span;

    fn quote(start: usize, text: &str) -> Quote {
        Quote {
            at: Span {
                start,
                end: start + text.len(),
            },
            text: text.to_string(),
            class: QuoteClass::Unchecked,
            source: None,
            similarity: None,
            over_budget: false,
        }
    }

    #[test]
    fn the_quote_that_passes_the_budget_and_where() {
        // 5 + 6 characters against a budget of 8: the second passes it after 3 characters.
        let quotes = [quote(10, "abcde"), quote(30, "fghijk")];
        let o = overrun(&quotes, Some(8)).expect("over");
        assert_eq!(
            o,
            Overrun {
                quote: 1,
                within: 3,
                at: 33,
                over: 3
            }
        );
    }

    #[test]
    fn exactly_at_the_budget_is_within_it() {
        let quotes = [quote(0, "abcde"), quote(9, "fgh")];
        assert_eq!(overrun(&quotes, Some(8)), None);
        assert_eq!(overrun(&quotes, None), None);
    }

    #[test]
    fn later_quotes_add_to_what_is_over_and_characters_not_bytes_count() {
        let quotes = [quote(0, "é東🙂"), quote(20, "xy"), quote(40, "z")];
        let o = overrun(&quotes, Some(2)).expect("over");
        // "é東" fit; the budget runs out before "🙂", at byte 2 + 3 of the turn.
        assert_eq!((o.quote, o.within, o.at, o.over), (0, 2, 5, 4));
    }

    #[test]
    fn a_zero_budget_is_over_from_the_first_character() {
        let quotes = [quote(7, "abc")];
        let o = overrun(&quotes, Some(0)).expect("over");
        assert_eq!((o.quote, o.within, o.at, o.over), (0, 0, 7, 3));
    }
}
