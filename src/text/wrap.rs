//! Word wrapping by display width (wide characters count double).

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

/// Cuts `text` to at most `width` columns, ending with `…` when it had to cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Like [`truncate`], but cuts after the last whole word that fits when that keeps at least
/// two thirds of the room: "the result box is…" rather than "the result box is cu…".
pub fn truncate_words(text: &str, width: usize) -> String {
    let cut = truncate(text, width);
    if cut == text || width < 6 {
        return cut;
    }
    let kept = cut.strip_suffix('…').unwrap_or(&cut);
    // `kept` is a prefix of `text`: when a space follows it, the cut already fell between words.
    if text
        .get(kept.len()..)
        .is_some_and(|rest| rest.starts_with(char::is_whitespace))
    {
        return format!("{}…", kept.trim_end());
    }
    match kept.rfind(' ') {
        Some(space) if kept[..space].width() * 3 >= width.saturating_sub(1) * 2 => {
            format!("{}…", kept[..space].trim_end())
        }
        _ => cut,
    }
}

/// Cuts `text` to at most `width` columns from the start, keeping its end: `…pricing_fork4`.
/// For names whose end tells them apart.
pub fn truncate_start(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut tail: Vec<char> = Vec::new();
    let mut w = 0;
    for c in text.chars().rev() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        tail.push(c);
        w += cw;
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_cut_fits_its_width(text in "\\PC{0,40}", width in 0usize..30) {
            for cut in [truncate(&text, width), truncate_words(&text, width), truncate_start(&text, width)] {
                prop_assert!(cut.width() <= width, "{cut:?} is wider than {width}");
                if text.width() <= width {
                    prop_assert_eq!(&cut, &text);
                }
            }
        }
    }

    #[test]
    fn cuts_at_words_when_little_is_lost() {
        assert_eq!(
            truncate_words("the result box is cut mid-word", 22),
            "the result box is cut…"
        );
        assert_eq!(
            truncate_words("the result box is cut", 17),
            "the result box…"
        );
        assert_eq!(
            truncate_words("a verylongwordthatgoeson", 12),
            "a verylongw…",
            "too much would be lost at the space"
        );
        assert_eq!(truncate_words("short", 10), "short");
    }

    #[test]
    fn cuts_from_the_start_keeping_the_end() {
        // The ellipsis and the last nine characters: ten columns.
        assert_eq!(truncate_start("2026_congestion_fork4", 10), "…ion_fork4");
        assert_eq!(truncate_start("日本語", 4), "…語");
        assert_eq!(truncate_start("abc", 3), "abc");
    }

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
    }
}
