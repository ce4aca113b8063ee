//! Word wrapping by display width (wide characters count double).

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wraps `text` to lines of at most `width` columns. Paragraph breaks (`\n`) are kept, blank
/// lines included; words longer than the width are split.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0;
        for word in para.split_whitespace() {
            let word_w = word.width();
            let sep = usize::from(line_w > 0);
            if line_w + sep + word_w <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += sep + word_w;
                continue;
            }
            if line_w > 0 {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
            }
            if word_w <= width {
                line.push_str(word);
                line_w = word_w;
                continue;
            }
            // A word wider than the line: break it wherever it must.
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if line_w + cw > width && line_w > 0 {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0;
                }
                line.push(c);
                line_w += cw;
            }
        }
        lines.push(line);
    }
    lines
}

/// Cuts `text` to at most `width` columns, ending with `…` when it had to cut. Cuts between
/// graphemes, measured as the whole text is (so an emoji sequence or a line break counts what
/// the screen gives it, and is never split).
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for g in text.graphemes(true) {
        let gw = g.width();
        if w + gw + 1 > width {
            break;
        }
        out.push_str(g);
        w += gw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_keeps_paragraphs() {
        assert_eq!(
            wrap("the quick brown fox\n\njumps", 10),
            vec!["the quick", "brown fox", "", "jumps"]
        );
    }

    #[test]
    fn splits_long_words_and_counts_wide_chars() {
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("日本語の文", 4), vec!["日本", "語の", "文"]);
        assert!(wrap("x", 0).iter().all(|l| l.width() <= 1));
    }

    #[test]
    fn truncates_with_an_ellipsis() {
        assert_eq!(truncate("hello world", 20), "hello world");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語", 4), "日…");
        // A line break counts a column, as the width of the whole text counts it.
        assert_eq!(truncate("\n\n\n", 2), "\n…");
        assert_eq!(truncate("👩‍👩‍👧 family", 3), "👩‍👩‍👧…");
    }
}
