//! The protocol's length limits, held: a speech longer than its word or character limit is cut
//! there, and what was cut is kept in the turn's record, never silently dropped.

use super::claims;
use super::debate::Protocol;
use super::turn::Cut;

/// The text a complete speech keeps under the protocol's limits, and the cut, if it was over.
/// Only the prose counts: the claims block at its end stays, so the tree still grows.
pub fn enforce(text: &str, protocol: &Protocol) -> Option<(String, Cut)> {
    let block = claims::find_block(text);
    let prose_end = block.map_or(text.len(), |b| b.start);
    let prose = text.get(..prose_end)?;
    let words_at = protocol
        .word_limit
        .and_then(|limit| word_cut(prose, limit).map(|at| (at, format!("{limit} words"))));
    let chars_at = protocol
        .char_limit
        .and_then(|limit| char_cut(prose, limit).map(|at| (at, format!("{limit} characters"))));
    let (at, limit) = match (words_at, chars_at) {
        (Some(w), Some(c)) => {
            if w.0 <= c.0 {
                w
            } else {
                c
            }
        }
        (w, c) => w.or(c)?,
    };
    let removed = prose.get(at..)?.trim().to_string();
    let mut kept = prose.get(..at)?.trim_end().to_string();
    if let Some(b) = block {
        kept.push_str("\n\n");
        kept.push_str(text.get(b.start..)?);
    }
    Some((kept, Cut { limit, at, removed }))
}

/// Where the prose passes `limit` words (the byte offset after the last word kept), if it does.
fn word_cut(prose: &str, limit: u32) -> Option<usize> {
    let limit = usize::try_from(limit).ok()?;
    let mut words = 0;
    let mut in_word = false;
    let mut last_end = 0;
    for (i, c) in prose.char_indices() {
        if c.is_whitespace() {
            if in_word {
                last_end = i;
            }
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words > limit {
                return Some(last_end);
            }
        }
    }
    None
}

/// Where the prose passes `limit` characters, if it does: at the last word boundary within the
/// limit (or at the limit itself when one word is longer than it).
fn char_cut(prose: &str, limit: u32) -> Option<usize> {
    let limit = usize::try_from(limit).ok()?;
    let (at, _) = prose.char_indices().nth(limit)?;
    let head = prose.get(..at)?;
    let boundary = head.rfind(char::is_whitespace).filter(|&b| b > 0);
    Some(boundary.unwrap_or(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protocol(words: Option<u32>, chars: Option<u32>) -> Protocol {
        Protocol {
            word_limit: words,
            char_limit: chars,
            ..Protocol::rounds(1)
        }
    }

    #[test]
    fn within_the_limits_nothing_is_cut() {
        assert_eq!(enforce("one two three", &protocol(Some(3), Some(13))), None);
        assert_eq!(enforce("anything", &protocol(None, None)), None);
    }

    #[test]
    fn words_over_the_limit_are_cut_and_kept_aside() {
        let (kept, cut) = enforce("one two three four five", &protocol(Some(3), None)).unwrap();
        assert_eq!(kept, "one two three");
        assert_eq!(cut.removed, "four five");
        assert_eq!(cut.limit, "3 words");
    }

    #[test]
    fn the_claims_block_survives_the_cut() {
        let text = "a b c d\n\n```claims\nA1 supports root: x\n```";
        let (kept, cut) = enforce(text, &protocol(Some(2), None)).unwrap();
        assert_eq!(kept, "a b\n\n```claims\nA1 supports root: x\n```");
        assert_eq!(cut.removed, "c d");
    }

    #[test]
    fn characters_cut_at_a_word_boundary() {
        let (kept, cut) = enforce("hello wonderful world", &protocol(None, Some(12))).unwrap();
        assert_eq!(kept, "hello");
        assert_eq!(cut.removed, "wonderful world");
        let (kept, _) = enforce("abcdefghij", &protocol(None, Some(4))).unwrap();
        assert_eq!(kept, "abcd");
    }

    #[test]
    fn the_tighter_limit_wins() {
        let (kept, cut) = enforce("aa bb cc dd", &protocol(Some(3), Some(4))).unwrap();
        assert_eq!(kept, "aa");
        assert_eq!(cut.limit, "4 characters");
    }
}
