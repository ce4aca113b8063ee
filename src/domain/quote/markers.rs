//! Where a turn marks its quotes: `<quote>words of the source</quote>`.
//!
//! The rules (also in docs/quotes.md):
//! - the markers are `<quote>` and `</quote>` in any ASCII case (`<Quote>`, `</QUOTE>`), with
//!   nothing else inside the angle brackets;
//! - quotes are read in the prose only: markers inside the claims block are not quotes, and the
//!   block ends a quote left open before it;
//! - markers do not nest: an opening marker inside an open quote ends that quote and opens the
//!   next one; a closing marker outside a quote is prose;
//! - a quote left open runs to the end of its prose (the claims block or the end of the text);
//! - a quote's words are the text between its markers with surrounding white space trimmed; a
//!   quote with nothing but white space is no quote.

use crate::domain::annotation::Span;
use crate::domain::claims;

/// The marks around a quote in a turn's text, as debaters are told to write them.
pub const OPEN: &str = "<quote>";
pub const CLOSE: &str = "</quote>";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Open,
    Close,
}

/// The byte ranges of a turn's quoted words, in order (without the markers, trimmed).
pub fn marked(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for prose in prose_parts(text) {
        marked_in(text, prose, &mut out);
    }
    out
}

/// The parts of `text` outside its claims block.
fn prose_parts(text: &str) -> Vec<Span> {
    match claims::find_block(text) {
        Some(block) => vec![
            Span {
                start: 0,
                end: block.start,
            },
            Span {
                start: block.end,
                end: text.len(),
            },
        ],
        None => vec![Span {
            start: 0,
            end: text.len(),
        }],
    }
}

fn marked_in(text: &str, part: Span, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut at = part.start;
    let mut open: Option<usize> = None;
    while let Some((pos, marker)) = next_marker(bytes, at, part.end) {
        if let Some(start) = open.take() {
            push_trimmed(text, start, pos, out);
        }
        match marker {
            Marker::Open => {
                at = pos + OPEN.len();
                open = Some(at);
            }
            Marker::Close => at = pos + CLOSE.len(),
        }
    }
    if let Some(start) = open {
        push_trimmed(text, start, part.end, out);
    }
}

/// The next marker in `bytes[from..to]`: its position and kind. Markers are ASCII, so every
/// position found is a char boundary.
fn next_marker(bytes: &[u8], from: usize, to: usize) -> Option<(usize, Marker)> {
    let window = bytes.get(from..to)?;
    let mut i = 0;
    while let Some(rel) = window.get(i..)?.iter().position(|&b| b == b'<') {
        let pos = i + rel;
        let rest = window.get(pos..)?;
        if starts_with_ignore_case(rest, OPEN.as_bytes()) {
            return Some((from + pos, Marker::Open));
        }
        if starts_with_ignore_case(rest, CLOSE.as_bytes()) {
            return Some((from + pos, Marker::Close));
        }
        i = pos + 1;
    }
    None
}

fn starts_with_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.get(..needle.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(needle))
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let Some(inner) = text.get(start..end) else {
        return;
    };
    let trimmed = inner.trim_start();
    let start = start + (inner.len() - trimmed.len());
    let trimmed = trimmed.trim_end();
    if !trimmed.is_empty() {
        out.push(Span {
            start,
            end: start + trimmed.len(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<&str> {
        marked(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn quotes_are_the_trimmed_words_between_markers() {
        let text = "He says <quote> the door was shut </quote> and <quote>it rained</quote>.";
        assert_eq!(quoted(text), ["the door was shut", "it rained"]);
        let first = marked(text)[0];
        assert_eq!((first.start, first.end), (16, 33));
    }

    #[test]
    fn markers_match_in_any_ascii_case() {
        assert_eq!(quoted("<Quote>a</QUOTE> <qUoTe>b</quote>"), ["a", "b"]);
        // Not a marker: anything else inside the brackets.
        assert_eq!(quoted("<quote >a</quote> <q>b</q>"), Vec::<&str>::new());
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end() {
        assert_eq!(
            quoted("See <quote>it was late\nand dark"),
            ["it was late\nand dark"]
        );
    }

    #[test]
    fn a_close_without_an_open_is_prose() {
        assert_eq!(quoted("So</quote> he <quote>left</quote>"), ["left"]);
        assert_eq!(quoted("</quote></quote>"), Vec::<&str>::new());
    }

    #[test]
    fn markers_do_not_nest_an_open_inside_a_quote_starts_the_next() {
        let text = "<quote>a <quote>b</quote> c</quote>";
        assert_eq!(quoted(text), ["a", "b"]);
    }

    #[test]
    fn empty_and_blank_quotes_are_no_quotes() {
        assert_eq!(
            quoted("<quote></quote><quote>  \n </quote><quote>"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn the_claims_block_holds_no_quotes_and_ends_an_open_one() {
        let text = "Prose <quote>the key\n\n```claims\nA1 supports root: <quote>x</quote>\n```\nAfter <quote>y</quote>";
        assert_eq!(quoted(text), ["the key", "y"]);
    }

    #[test]
    fn multibyte_text_around_markers() {
        assert_eq!(
            quoted("É <quote>東京 🙂</quote>é<quote>ü"),
            ["東京 🙂", "ü"]
        );
    }
}
