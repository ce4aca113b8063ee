//! Words as the checker compares them: every comparison beyond "verbatim" goes through here, so
//! the classifier and the diff agree on what a word is.
//!
//! A word is a run of letters and digits (with combining marks), keyed in lower case. Everything
//! else separates words and is ignored: white space, punctuation, quote marks of any shape,
//! dashes, ellipses, emoji. Two exceptions join instead of separating, and are left out of the
//! key: an apostrophe between letters (`don't`, `don’t` and `dont` are one word, `dont`), and a
//! `,` or `.` between digits (`1,000` is `1000`). Each Han, Hiragana or Katakana character is a
//! word of its own, since those scripts are written without spaces.

/// One word of a text: its byte range (on char boundaries) and its comparison key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub key: String,
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    scan(text, |start, end, key| {
        out.push(Word {
            start,
            end,
            key: key.to_string(),
        })
    });
    out
}

/// Calls `emit(start, end, key)` for each word of `text`, reusing one key buffer (the source
/// index interns keys and needs no allocation per word).
pub fn scan(text: &str, mut emit: impl FnMut(usize, usize, &str)) {
    let mut key = String::new();
    let mut start: Option<usize> = None;
    let mut last: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if is_own_word(c) {
            if let Some(s) = start.take() {
                emit(s, i, &key);
            }
            key.clear();
            push_lower(&mut key, c);
            emit(i, i + c.len_utf8(), &key);
            key.clear();
            last = None;
            continue;
        }
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
            push_lower(&mut key, c);
            last = Some(c);
            continue;
        }
        if let (Some(_), Some(before), Some(after)) = (start, last, next)
            && joins(before, c, after)
        {
            continue;
        }
        if let Some(s) = start.take() {
            emit(s, i, &key);
        }
        key.clear();
        last = None;
    }
    if let Some(s) = start {
        emit(s, text.len(), &key);
    }
}

fn push_lower(key: &mut String, c: char) {
    // Most text is ASCII: skip the general case's iterator.
    if c.is_ascii() {
        key.push(c.to_ascii_lowercase());
    } else {
        key.extend(c.to_lowercase());
    }
}

/// Whether `c` belongs to a word (and so to its key).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining(c)
}

/// Marks that sit on the previous letter (decomposed accents): part of its word, so `cafe` +
/// U+0301 stays one word.
fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// Han, Hiragana and Katakana: each character is a word (but the katakana middle dot is
/// punctuation).
fn is_own_word(c: char) -> bool {
    c >= '\u{3040}'
        && c != '\u{30fb}'
        && matches!(c,
        '\u{3040}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff66}'..='\u{ff9f}'
        | '\u{20000}'..='\u{3134f}')
}

/// Whether `c`, between `before` and `after`, joins them into one word.
fn joins(before: char, c: char, after: char) -> bool {
    match c {
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}' => {
            before.is_alphabetic() && after.is_alphabetic() && !is_own_word(after)
        }
        ',' | '.' => before.is_numeric() && after.is_numeric(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.key).collect()
    }

    #[test]
    fn case_punctuation_and_quote_marks_are_set_aside() {
        assert_eq!(
            keys("“Hello,” she said—twice…"),
            ["hello", "she", "said", "twice"]
        );
        assert_eq!(
            keys("\"hello\" SHE said - twice..."),
            keys("“Hello,” she said—twice…")
        );
    }

    #[test]
    fn apostrophes_join_letters_and_separators_join_digits() {
        assert_eq!(keys("don't don’t dont"), ["dont", "dont", "dont"]);
        assert_eq!(
            keys("'tis the boys' 1,000.5 end."),
            ["tis", "the", "boys", "10005", "end"]
        );
        // A comma after a number is punctuation, not part of it.
        assert_eq!(keys("1, 2"), ["1", "2"]);
    }

    #[test]
    fn byte_ranges_are_the_original_text() {
        let text = "  Ça va? “Don’t.”";
        let w = words(text);
        let got: Vec<&str> = w.iter().map(|w| &text[w.start..w.end]).collect();
        assert_eq!(got, ["Ça", "va", "Don’t"]);
        assert_eq!(w[0].key, "ça");
    }

    #[test]
    fn accents_count_and_decomposed_marks_stay_in_their_word() {
        assert_eq!(keys("café cafe"), ["café", "cafe"]);
        assert_eq!(keys("cafe\u{301} au lait"), ["cafe\u{301}", "au", "lait"]);
    }

    #[test]
    fn han_and_kana_are_one_word_per_character_and_emoji_separate() {
        assert_eq!(keys("東京へ行く"), ["東", "京", "へ", "行", "く"]);
        assert_eq!(keys("good🙂news 한국어"), ["good", "news", "한국어"]);
        assert!(keys("🙂 … — !").is_empty());
    }
}
