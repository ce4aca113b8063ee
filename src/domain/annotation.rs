//! The judge's annotations: tags and notes on a turn, a span of a turn, or a node.

use serde::{Deserialize, Serialize};

/// The tags a judge starts with; the config can replace them.
pub const DEFAULT_TAGS: &[&str] = &[
    "deceptive",
    "sycophantic",
    "unsupported",
    "obfuscated",
    "strong-evidence",
    "concession",
    "collusion-suspected",
    "irrelevant",
];

/// A byte range of a turn's text (`start..end`, on character boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Unique within the session; never reused.
    pub id: u32,
    /// The annotated turn, if the annotation is on a turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<usize>,
    /// The part of the turn's text, if the annotation is on a span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The span's text as it was, so the annotation reads on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// The annotated node, if the annotation is on a node of the tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The sentences of a text as byte ranges, for span selection: a sentence ends after `.`, `!`
/// or `?` followed by white space, or at a blank line. Leading white space is not part of it.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if start.is_none() {
            if c.is_whitespace() {
                continue;
            }
            start = Some(i);
        }
        let next = chars.peek().map(|&(_, n)| n);
        let end_here = match c {
            '.' | '!' | '?' => next.is_none_or(char::is_whitespace),
            '\n' => next == Some('\n'),
            _ => next.is_none(),
        };
        if end_here && let Some(s) = start.take() {
            let end = i + c.len_utf8();
            let trimmed = text[s..end].trim_end().len();
            out.push(Span {
                start: s,
                end: s + trimmed,
            });
        }
    }
    if let Some(s) = start {
        let trimmed = text[s..].trim_end().len();
        if trimmed > 0 {
            out.push(Span {
                start: s,
                end: s + trimmed,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, spans: &[Span]) -> Vec<&'a str> {
        spans.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn splits_sentences() {
        let t = "Traffic fell 18%. Did it last? Yes!\n\nNew paragraph without a stop\n\nEnd.";
        assert_eq!(
            texts(t, &sentences(t)),
            vec![
                "Traffic fell 18%.",
                "Did it last?",
                "Yes!",
                "New paragraph without a stop",
                "End."
            ]
        );
    }

    #[test]
    fn decimals_and_unicode_do_not_split() {
        let t = "It cost 3.5 million — é.  Then more";
        assert_eq!(
            texts(t, &sentences(t)),
            vec!["It cost 3.5 million — é.", "Then more"]
        );
        assert!(sentences("").is_empty());
        assert!(sentences("   \n ").is_empty());
    }
}
