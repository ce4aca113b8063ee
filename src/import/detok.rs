//! Turning a tokenised story back into readable text, remembering where each token landed so
//! that quotes given as token ranges become byte ranges of the text.
//!
//! The NYU platform stores its stories as Penn-Treebank-style tokens (`` `` ``, `''`, `-LRB-`,
//! `n't`, `"\n"`...). The rules follow the platform's own renderer (`renderSpan` in its browser),
//! with newlines kept as line breaks and no spaces around them; see `docs/import-nyu.md`.

use crate::domain::Span;

/// Tokens that take no space before them (the platform's list).
const NO_SPACE_BEFORE: &[&str] = &[
    ".", ",", "!", "?", ";", ":", "''", "n't", "na", "%", "-", "+", "-RRB-", "-RCB-", "-RSB-", ")",
    "]", "}", "/.", "/?", "°",
];

/// Tokens that take no space after them: the platform's list, plus the PTB opening single
/// quote `` ` `` (the platform leaves a space after it, which reads as a stray apostrophe).
const NO_SPACE_AFTER: &[&str] = &[
    "``", "`", "$", "£", "€", "#", "-", "-LRB-", "-LCB-", "-LSB-", "(", "[", "{",
];

/// A story as text, and the byte range of every token in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detokenised {
    pub text: String,
    /// `tokens[i]`: where token `i` is in `text`; empty for a token that prints nothing.
    tokens: Vec<Span>,
}

/// The printed form of one token (PTB brackets and quotes as the characters they stand for).
pub fn normalise(token: &str) -> &str {
    match token {
        "``" | "''" => "\"",
        "`" => "'",
        "-LRB-" => "(",
        "-RRB-" => ")",
        "-LSB-" => "[",
        "-RSB-" => "]",
        "-LCB-" => "{",
        "-RCB-" => "}",
        "/." => ".",
        "/?" => "?",
        "/-" => "-",
        t => t,
    }
}

/// The story's tokens as readable text: tokens joined by single spaces, except before
/// punctuation, clitics (`n't`, `'s`, any token starting with `'`) and closing brackets or
/// quotes, after opening ones, and at the start of a line. A token of white space with newlines
/// in it is that many line breaks; a token with spaces around its words (some stories are
/// split into sentences rather than words) loses them. Text is made inert for the terminal.
pub fn detokenise<S: AsRef<str>>(tokens: &[S]) -> Detokenised {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(tokens.len());
    // The last token that printed words: whether a space may follow it.
    let mut glue_after = true;
    for raw in tokens {
        let raw = raw.as_ref();
        let word = raw.trim();
        if word.is_empty() {
            let start = text.len();
            for _ in raw.matches('\n') {
                text.push('\n');
            }
            spans.push(Span {
                start,
                end: text.len(),
            });
            continue;
        }
        let at_line_start = text.is_empty() || text.ends_with('\n');
        let no_space = at_line_start
            || glue_after
            || NO_SPACE_BEFORE.contains(&word)
            || word.starts_with('\'');
        if !no_space {
            text.push(' ');
        }
        let start = text.len();
        let printed = normalise(word).replace("\\/", "/");
        // Printable ASCII is already inert; anything else goes through the sanitiser.
        if printed.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            text.push_str(&printed);
        } else {
            text.push_str(&crate::text::sanitize::inert(&printed));
        }
        spans.push(Span {
            start,
            end: text.len(),
        });
        glue_after = NO_SPACE_AFTER.contains(&word);
    }
    Detokenised {
        text,
        tokens: spans,
    }
}

impl Detokenised {
    /// How many tokens the story has.
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// Where token `i` is in the text.
    pub fn token(&self, i: usize) -> Option<Span> {
        self.tokens.get(i).copied()
    }

    /// The bytes of the text that tokens `begin..end` (end exclusive) cover, without white space
    /// at either end. A range running past the story is cut at its end. `None` when nothing
    /// but white space is left.
    pub fn span(&self, begin: usize, end: usize) -> Option<Span> {
        let end = end.min(self.tokens.len());
        if begin >= end {
            return None;
        }
        let first = self.tokens.get(begin)?;
        let last = self.tokens.get(end - 1)?;
        let covered = self.text.get(first.start..last.end)?;
        let lead = covered.len() - covered.trim_start().len();
        let trimmed = covered.trim();
        if trimmed.is_empty() {
            return None;
        }
        let start = first.start + lead;
        Some(Span {
            start,
            end: start + trimmed.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(tokens: &[&str]) -> String {
        detokenise(tokens).text
    }

    #[test]
    fn words_are_joined_by_spaces_and_punctuation_sticks() {
        assert_eq!(
            text(&["Pa", "had", "sent", "me", ",", "he", "said", "."]),
            "Pa had sent me, he said."
        );
        assert_eq!(
            text(&["Why", "?", "No", "!", "So", ";", "a", ":", "b"]),
            "Why? No! So; a: b"
        );
    }

    #[test]
    fn brackets_and_quotes_become_characters_and_hug_their_contents() {
        assert_eq!(
            text(&["-LSB-", "Transcriber", "'s", "Note", "-RSB-"]),
            "[Transcriber's Note]"
        );
        assert_eq!(text(&["a", "-LRB-", "b", "c", "-RRB-", "d"]), "a (b c) d");
        assert_eq!(text(&["a", "(", "b", ")"]), "a (b)");
        assert_eq!(
            text(&["He", "said", ",", "``", "Go", "home", ".", "''", "Then"]),
            "He said, \"Go home.\" Then"
        );
        assert_eq!(text(&["`", "Tis", "so", "'"]), "'Tis so'");
    }

    #[test]
    fn clitics_join_the_word_before() {
        assert_eq!(
            text(&[
                "Who", "would", "n't", "?", "I", "'d", "go", ",", "gon", "na", "win"
            ]),
            "Who wouldn't? I'd go, gonna win"
        );
        assert_eq!(
            text(&["the", "lady", "'s", "face", "they", "'re"]),
            "the lady's face they're"
        );
    }

    #[test]
    fn newline_tokens_break_lines_without_spaces_around() {
        assert_eq!(
            text(&["the", "end", ".", "\n", "\n", "You", "know"]),
            "the end.\n\nYou know"
        );
        assert_eq!(text(&["\n", "start"]), "\nstart");
    }

    #[test]
    fn sentence_tokens_lose_their_padding() {
        assert_eq!(
            text(&["He guessed.", "\n", " eyes.", "The room", " was dark"]),
            "He guessed.\neyes. The room was dark"
        );
    }

    #[test]
    fn empty_tokens_print_nothing_and_leave_the_spacing_alone() {
        assert_eq!(text(&["a", "", "b"]), "a b");
        assert_eq!(text(&["(", "", "b"]), "(b");
    }

    #[test]
    fn other_escapes_and_dashes() {
        assert_eq!(text(&["and\\/or", "/.", "x", "--", "y"]), "and/or. x -- y");
        assert_eq!(text(&["$", "5", "and", "10", "%"]), "$5 and 10%");
    }

    #[test]
    fn control_characters_are_made_inert() {
        assert_eq!(text(&["a\u{1b}[2Jb", "c"]), "a␛[2Jb c");
    }

    #[test]
    fn each_token_has_its_byte_range() {
        let d = detokenise(&["I", "'d", "``", "go", "''", "\n", "now"]);
        assert_eq!(d.text, "I'd \"go\"\nnow");
        let slices: Vec<&str> = (0..d.token_count())
            .map(|i| {
                let s = d.token(i).unwrap();
                &d.text[s.start..s.end]
            })
            .collect();
        assert_eq!(slices, ["I", "'d", "\"", "go", "\"", "\n", "now"]);
    }

    #[test]
    fn token_ranges_become_trimmed_byte_ranges() {
        let d = detokenise(&["a", "b", "\n", "\n", "c", "."]);
        assert_eq!(d.text, "a b\n\nc.");
        // Tokens 1..5 are "b", two newlines and "c": bytes 2..6.
        assert_eq!(d.span(1, 5), Some(Span { start: 2, end: 6 }));
        // The newlines at either end are trimmed away.
        assert_eq!(d.span(2, 5), Some(Span { start: 5, end: 6 }));
        // Only newlines: nothing to quote.
        assert_eq!(d.span(2, 4), None);
        // Past the end: cut at the story's end (tokens 4..6 are "c.").
        assert_eq!(d.span(4, 9), Some(Span { start: 5, end: 7 }));
        assert_eq!(d.span(6, 9), None);
        assert_eq!(d.span(3, 3), None);
        assert_eq!(d.span(4, 2), None);
    }

    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "``", "''", "`", "'", "'s", "n't", "-LRB-", "-RRB-", "-LSB-", ".", ",", "\n", "",
                " ", "(", "$", "--", "na", "é", "/.",
            ])
            .prop_map(str::to_string),
            "[a-zA-Z]{1,8}",
            "\\PC{0,6}",
            " ?[a-z ]{0,12} ?",
        ]
    }

    proptest! {
        #[test]
        fn token_ranges_are_ordered_slices_of_the_text(
            tokens in prop::collection::vec(token(), 0..40),
            a in 0usize..45,
            b in 0usize..45,
        ) {
            let d = detokenise(&tokens);
            prop_assert_eq!(d.token_count(), tokens.len());
            let mut previous_end = 0;
            for i in 0..d.token_count() {
                let s = d.token(i).unwrap();
                prop_assert!(s.start >= previous_end && s.start <= s.end);
                prop_assert!(d.text.get(s.start..s.end).is_some(), "on char boundaries");
                previous_end = s.end;
            }
            prop_assert!(previous_end <= d.text.len());
            if let Some(s) = d.span(a, b) {
                let slice = d.text.get(s.start..s.end);
                prop_assert!(slice.is_some_and(|q| !q.is_empty() && q.trim() == q));
            }
        }
    }
}
