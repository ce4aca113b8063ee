//! The hidden source laid out for reading after the verdict: wrapped to a width, with each
//! place a debater quoted in its quote's class (the best class when quotes overlap).

use super::transcript::layout::{Role, Seg, VLine};
use crate::domain::{QuoteClass, Session, Span};

/// The quoted places of the source: where, and how well each quote matched.
pub fn quoted_places(session: &Session) -> Vec<(Span, QuoteClass)> {
    let mut places: Vec<(Span, QuoteClass)> = session
        .turns()
        .iter()
        .flat_map(|t| t.quotes.iter())
        .filter_map(|q| q.source.map(|s| (s, q.class)))
        .collect();
    places.sort_by_key(|(s, c)| (s.start, *c));
    places
}

/// The source's lines at `width`: words wrapped greedily (runs of white space read as one, a
/// blank line between paragraphs kept), quoted bytes in their class's role.
pub fn layout(source: &str, places: &[(Span, QuoteClass)], width: usize) -> Vec<VLine> {
    let width = width.max(1);
    let class_at = |at: usize| {
        places
            .iter()
            .filter(|(s, _)| s.start <= at && at < s.end)
            .map(|(_, c)| *c)
            .min()
    };
    let role_at = |at: usize| class_at(at).map_or(Role::Text, Role::Quote);
    let mut lines: Vec<VLine> = Vec::new();
    let mut offset = 0;
    for para in source.split('\n') {
        let mut line: VLine = Vec::new();
        let mut used = 0usize;
        for (start, word) in words(para) {
            let at = offset + start;
            let w = unicode_width::UnicodeWidthStr::width(word);
            if used > 0 && used + 1 + w > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            if used > 0 {
                // The space is quoted when the white space before the word was.
                push(&mut line, " ", role_at(at.saturating_sub(1)));
                used += 1;
            }
            for (i, c) in word.char_indices() {
                push(&mut line, c.encode_utf8(&mut [0; 4]), role_at(at + i));
            }
            used += w;
        }
        lines.push(line);
        offset += para.len() + 1;
    }
    lines
}

/// The words of a paragraph with their byte offsets.
fn words(para: &str) -> impl Iterator<Item = (usize, &str)> {
    para.split_whitespace().map(move |w| {
        let start = w.as_ptr() as usize - para.as_ptr() as usize;
        (start, w)
    })
}

/// Appends text, joining it to the last segment when the role is the same.
fn push(line: &mut VLine, text: &str, role: Role) {
    match line.last_mut() {
        Some(last) if last.role == role => last.text.push_str(text),
        _ => line.push(Seg::new(text, role)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::transcript::layout::plain;

    #[test]
    fn quoted_words_take_their_class_and_lines_wrap() {
        let source = "The bell rang twice.\nThe keeper slept soundly all night.";
        let quoted = source.find("rang twice").unwrap();
        let places = vec![(
            Span {
                start: quoted,
                end: quoted + "rang twice".len(),
            },
            QuoteClass::Exact,
        )];
        let lines = layout(source, &places, 16);
        let text: Vec<String> = lines.iter().map(plain).collect();
        assert_eq!(
            text,
            [
                "The bell rang",
                "twice.",
                "The keeper slept",
                "soundly all",
                "night."
            ]
        );
        assert!(
            lines[0]
                .iter()
                .any(|s| s.text == "rang" && s.role == Role::Quote(QuoteClass::Exact))
        );
        assert!(
            lines[0]
                .iter()
                .any(|s| s.text == "The bell " && s.role == Role::Text)
        );
        assert!(
            lines[1]
                .iter()
                .any(|s| s.text == "twice" && s.role == Role::Quote(QuoteClass::Exact))
        );
        assert!(
            lines[1]
                .iter()
                .any(|s| s.text == "." && s.role == Role::Text)
        );
    }

    #[test]
    fn overlapping_quotes_show_the_better_class() {
        let places = vec![
            (Span { start: 0, end: 8 }, QuoteClass::Close),
            (Span { start: 4, end: 8 }, QuoteClass::Exact),
        ];
        let lines = layout("The bell", &places, 80);
        assert_eq!(
            lines[0][0],
            Seg::new("The ", Role::Quote(QuoteClass::Close))
        );
        assert_eq!(
            lines[0][1],
            Seg::new("bell", Role::Quote(QuoteClass::Exact))
        );
    }
}
