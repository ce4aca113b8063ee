//! Word wrapping by display width (wide characters count double): [`wrap`] for plain text, and
//! [`Wrapper`] for styled text, where a word made of several styled pieces wraps as one word
//! and every piece remembers where it came from (so a search match can be painted on the rows
//! it ended up on).

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

/// A piece of a wrapped row: text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<T> {
    pub text: String,
    pub style: T,
    /// Where `text` starts in the input, when it is a verbatim copy of it; `None` for what the
    /// wrapper put there (prefixes, a space standing for other white space).
    pub at: Option<usize>,
}

impl<T> Piece<T> {
    pub fn new(text: impl Into<String>, style: T) -> Self {
        Piece {
            text: text.into(),
            style,
            at: None,
        }
    }
}

/// One row of wrapped, styled text.
pub type Row<T> = Vec<Piece<T>>;

fn row_width<T>(row: &[Piece<T>]) -> usize {
    row.iter().map(|p| p.text.width()).sum()
}

/// Appends to a row, joining the piece to the last one when it continues it (same style, the
/// next bytes of the input), so a row holds few pieces.
fn push_piece<T: PartialEq>(row: &mut Row<T>, text: &str, style: T, at: Option<usize>) {
    if let Some(last) = row.last_mut()
        && last.style == style
        && let (Some(a), Some(b)) = (last.at, at)
        && a.saturating_add(last.text.len()) == b
    {
        last.text.push_str(text);
        return;
    }
    row.push(Piece {
        text: text.to_string(),
        style,
        at,
    });
}

/// Greedy word wrapping of styled text, fed piece by piece. White space separates words and is
/// shown as one space (a line break in the input ends the row); a word wider than a whole row
/// is broken between graphemes. Greedy wrapping is prefix-stable: feeding more text changes
/// only the row being filled, so a `Wrapper` can be cloned mid-paragraph and carried on later
/// with the rest (the transcript does that while a long paragraph streams in).
#[derive(Debug, Clone)]
pub struct Wrapper<T> {
    width: usize,
    /// Lines of code: white space kept, nothing moved between rows.
    verbatim: bool,
    /// The prefix of every row after the first.
    rest: Row<T>,
    row: Row<T>,
    row_w: usize,
    /// Whether the row holds a word yet (a prefix alone does not count).
    has_word: bool,
    /// Whether any row was given out.
    emitted: bool,
    word: Row<T>,
    word_w: usize,
    /// White space seen since the last word: its style and where it was.
    space: Option<(T, Option<usize>)>,
}

impl<T: Clone + PartialEq> Wrapper<T> {
    /// Rows of at most `width` columns, the first starting with `first`, the others with
    /// `rest`. A prefix that would leave no room for a wide character is left out.
    pub fn new(width: usize, first: Row<T>, rest: Row<T>) -> Self {
        let width = width.max(1);
        // Room for at least one character of any width after the prefix.
        let fits = |p: &Row<T>| row_width(p) + 2 <= width;
        let first = if fits(&first) { first } else { Vec::new() };
        let rest = if fits(&rest) { rest } else { Vec::new() };
        Wrapper {
            width,
            verbatim: false,
            row_w: row_width(&first),
            row: first,
            rest,
            has_word: false,
            emitted: false,
            word: Vec::new(),
            word_w: 0,
            space: None,
        }
    }

    /// Rows of code: each line of the text as it is (indentation kept, white space shown),
    /// broken between graphemes where it is wider than a row, never re-flowed.
    pub fn code(width: usize, first: Row<T>, rest: Row<T>) -> Self {
        Wrapper {
            verbatim: true,
            ..Wrapper::new(width, first, rest)
        }
    }

    /// Feeds `text` in `style`; `at` is where it starts in the input. Finished rows go to `out`.
    pub fn push(&mut self, text: &str, style: T, at: usize, out: &mut Vec<Row<T>>) {
        for (i, g) in text.grapheme_indices(true) {
            let pos = at.saturating_add(i);
            if g == "\n" || g == "\r\n" {
                self.end_word(out);
                self.break_row(out);
                continue;
            }
            if self.verbatim {
                let w = g.width();
                if self.row_w + w > self.width && self.has_word {
                    self.break_row(out);
                }
                push_piece(&mut self.row, g, style.clone(), Some(pos));
                self.row_w += w;
                self.has_word = true;
                continue;
            }
            if g.chars().all(char::is_whitespace) {
                self.end_word(out);
                if self.has_word && self.space.is_none() {
                    self.space = Some((style.clone(), (g == " ").then_some(pos)));
                }
                continue;
            }
            push_piece(&mut self.word, g, style.clone(), Some(pos));
            self.word_w += g.width();
        }
    }

    /// The rows so far, the last one included; the wrapper is used up.
    pub fn finish(mut self, out: &mut Vec<Row<T>>) {
        self.end_word(out);
        if self.has_word || !self.emitted || row_width(&self.row) > 0 {
            out.push(self.row);
        }
    }

    /// Ends the row (a hard line break): the next text starts a row of its own.
    fn break_row(&mut self, out: &mut Vec<Row<T>>) {
        out.push(std::mem::replace(&mut self.row, self.rest.clone()));
        self.row_w = row_width(&self.rest);
        self.has_word = false;
        self.emitted = true;
        self.space = None;
    }

    /// Places the word just ended: on this row after a space if it fits, else on the next.
    fn end_word(&mut self, out: &mut Vec<Row<T>>) {
        if self.word.is_empty() {
            return;
        }
        let word = std::mem::take(&mut self.word);
        let word_w = std::mem::take(&mut self.word_w);
        let space = self.space.take();
        if self.has_word {
            if self.row_w + 1 + word_w <= self.width {
                // White space always ends a word, so `space` is set; were it not, the words
                // are still kept apart.
                if let Some((style, at)) =
                    space.or_else(|| word.first().map(|p| (p.style.clone(), None)))
                {
                    push_piece(&mut self.row, " ", style, at);
                }
                self.row_w += 1;
                self.append(word, word_w);
                return;
            }
            self.break_row(out);
        }
        if self.row_w + word_w <= self.width {
            self.append(word, word_w);
            return;
        }
        // Wider than a whole row: break it between graphemes.
        for piece in word {
            let base = piece.at;
            for (i, g) in piece.text.grapheme_indices(true) {
                let w = g.width();
                if self.row_w + w > self.width && self.has_word {
                    self.break_row(out);
                }
                push_piece(
                    &mut self.row,
                    g,
                    piece.style.clone(),
                    base.map(|b| b.saturating_add(i)),
                );
                self.row_w += w;
                self.has_word = true;
            }
        }
    }

    fn append(&mut self, word: Row<T>, word_w: usize) {
        for p in word {
            push_piece(&mut self.row, &p.text, p.style, p.at);
        }
        self.row_w += word_w;
        self.has_word = true;
    }
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

    fn texts(rows: &[Row<u8>]) -> Vec<String> {
        rows.iter()
            .map(|r| r.iter().map(|p| p.text.as_str()).collect())
            .collect()
    }

    fn styled(runs: &[(&str, u8)], width: usize, first: &str, rest: &str) -> Vec<Row<u8>> {
        let prefix = |p: &str| {
            if p.is_empty() {
                vec![]
            } else {
                vec![Piece::new(p, 9)]
            }
        };
        let mut w = Wrapper::new(width, prefix(first), prefix(rest));
        let mut out = Vec::new();
        let mut at = 0;
        for (t, s) in runs {
            w.push(t, *s, at, &mut out);
            at += t.len();
        }
        w.finish(&mut out);
        out
    }

    #[test]
    fn a_word_of_several_styles_wraps_as_one_word() {
        // "bold" and "er" are one word: it moves to the next row whole.
        let rows = styled(
            &[("a very ", 0), ("bold", 1), ("er", 2), (" word", 0)],
            10,
            "",
            "",
        );
        assert_eq!(texts(&rows), vec!["a very", "bolder", "word"]);
        let second = &rows[1];
        assert_eq!(second.len(), 2);
        assert_eq!((second[0].style, second[0].at), (1, Some(7)));
        assert_eq!((second[1].style, second[1].at), (2, Some(11)));
    }

    #[test]
    fn prefixes_hang_and_offsets_point_into_the_input() {
        let rows = styled(&[("one two three four", 0)], 10, "• ", "  ");
        assert_eq!(texts(&rows), vec!["• one two", "  three", "  four"]);
        assert_eq!(rows[1][1].at, Some(8), "\"three\" starts at byte 8");
        assert_eq!(rows[0][0].at, None, "the bullet is not input");
    }

    #[test]
    fn white_space_shows_as_one_space_and_line_breaks_end_rows() {
        let rows = styled(&[("a   b\nc", 0)], 20, "", "> ");
        assert_eq!(texts(&rows), vec!["a b", "> c"]);
        let pieces: Vec<Option<usize>> = rows[0].iter().map(|p| p.at).collect();
        assert_eq!(
            pieces,
            vec![Some(0), Some(4)],
            "\"a \" joined, \"b\" after a gap"
        );
    }

    #[test]
    fn long_words_break_between_graphemes() {
        let rows = styled(&[("ab 日本語の文", 0)], 4, "", "");
        assert_eq!(texts(&rows), vec!["ab", "日本", "語の", "文"]);
        let rows = styled(&[("e\u{301}e\u{301}e\u{301}", 0)], 2, "", "");
        assert_eq!(texts(&rows), vec!["e\u{301}e\u{301}", "e\u{301}"]);
    }

    #[test]
    fn a_clone_carries_on_as_if_fed_in_one_go() {
        let text = "the quick brown fox jumps over the lazy dog again and again";
        let whole = styled(&[(text, 0)], 12, "", "");
        let cut = 26; // after "jumps "
        let mut w: Wrapper<u8> = Wrapper::new(12, vec![], vec![]);
        let mut out = Vec::new();
        w.push(&text[..cut], 0, 0, &mut out);
        let settled = out.len();
        let mut carried = w.clone();
        carried.push(&text[cut..], 0, cut, &mut out);
        carried.finish(&mut out);
        assert_eq!(texts(&out), texts(&whole));
        assert!(settled >= 2, "rows before the cut were final already");
    }

    #[test]
    fn code_is_broken_not_reflowed() {
        let mut w: Wrapper<u8> = Wrapper::code(6, vec![], vec![]);
        let mut out = Vec::new();
        w.push("  let x = 1;\n\nabcdefgh", 0, 0, &mut out);
        w.finish(&mut out);
        assert_eq!(texts(&out), vec!["  let ", "x = 1;", "", "abcdef", "gh"]);
        assert_eq!(out[4][0].at, Some(20));
    }

    proptest! {
        #[test]
        fn rows_fit_and_keep_every_word(
            text in "[a-z日本 \n\u{301}]{0,80}",
            width in 2usize..30,
        ) {
            let rows = styled(&[(&text, 0)], width, "", "");
            for r in &rows {
                prop_assert!(row_width(r) <= width, "{:?} wider than {width}", r);
            }
            let joined: String = texts(&rows).join(" ");
            let got: String = joined.split_whitespace().collect();
            let want: String = text.split_whitespace().collect();
            prop_assert_eq!(got, want);
            for r in &rows {
                for p in r {
                    if let Some(at) = p.at {
                        prop_assert_eq!(&text[at..at + p.text.len()], p.text.as_str());
                    }
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
        // A line break counts a column, as the width of the whole text counts it.
        assert_eq!(truncate("\n\n\n", 2), "\n…");
        assert_eq!(truncate("👩‍👩‍👧 family", 3), "👩‍👩‍👧…");
    }
}
