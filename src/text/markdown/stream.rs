//! Where a Markdown text that is still growing can be cut: what comes before a cut reads the
//! same whatever follows it, so a streaming turn is read once up to its last cut and only the
//! rest again as words arrive.
//!
//! Two kinds of cut. Between blocks: after a blank line that is outside a code fence and
//! outside a marked span, when the next line starts at the margin (an indented one may still
//! belong to a list item above). Inside a long paragraph: at a space, when the paragraph is a
//! plain top-level one; its rest is then read with [`Resume::Paragraph`], and since greedy
//! wrapping is prefix-stable the rows come out as if it had been read whole.

use super::Resume;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The cuts between blocks of a growing text, found a line at a time: each line is looked at
/// once, however often the text grows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Boundaries {
    /// Where the next line to look at starts.
    scanned: usize,
    /// The open code fence: its character and length.
    fence: Option<(u8, usize)>,
    in_mark: bool,
    /// A blank line that could end a block ended here.
    blank_end: Option<usize>,
    /// Cuts found and not yet taken, in order.
    found: Vec<usize>,
}

impl Boundaries {
    /// Looking from `from`, the start of a line outside any fence or mark.
    pub fn new(from: usize) -> Self {
        Boundaries {
            scanned: from,
            ..Boundaries::default()
        }
    }

    /// Looks at the lines of `text` past those already seen (`text` must have grown from
    /// what was seen, not changed). `open` and `close` are the marks' markers.
    pub fn scan(&mut self, text: &str, open: &str, close: &str) {
        while let Some(rest) = text.get(self.scanned..) {
            if rest.is_empty() {
                return;
            }
            self.line_starts(self.scanned, rest);
            let Some(nl) = rest.find('\n') else {
                // An unfinished line is looked at when it is finished.
                return;
            };
            let line = rest.get(..nl).unwrap_or_default();
            let end = self.scanned + nl + 1;
            self.marks_in(line, open, close);
            self.fence_in(line);
            if line.trim().is_empty() && self.fence.is_none() && !self.in_mark {
                self.blank_end = Some(end);
            }
            self.scanned = end;
        }
    }

    /// A line starts at `at`: after a blank line, one at the margin makes a cut.
    fn line_starts(&mut self, at: usize, rest: &str) {
        if self.blank_end != Some(at) {
            return;
        }
        match rest.as_bytes().first() {
            // Another blank line: the cut waits for what follows it.
            Some(b'\n') | None => {}
            Some(b' ') => self.blank_end = None,
            Some(_) => {
                self.found.push(at);
                self.blank_end = None;
            }
        }
    }

    /// Follows the marks through a line, as the quote checker reads them: an opening marker,
    /// then the next closing one.
    fn marks_in(&mut self, line: &str, open: &str, close: &str) {
        if open.is_empty() || close.is_empty() {
            return;
        }
        let mut rest = line;
        loop {
            let marker = if self.in_mark { close } else { open };
            let Some(i) = rest.find(marker) else { return };
            self.in_mark = !self.in_mark;
            rest = rest.get(i + marker.len()..).unwrap_or_default();
        }
    }

    /// Opens or closes a code fence (``` or ~~~, at any indentation, in quotes too).
    fn fence_in(&mut self, line: &str) {
        let t = line.trim_start_matches([' ', '>']);
        let Some(&c) = t.as_bytes().first() else {
            return;
        };
        if c != b'`' && c != b'~' {
            return;
        }
        let run = t.bytes().take_while(|&b| b == c).count();
        if run < 3 {
            return;
        }
        let after = t.get(run..).unwrap_or_default();
        match self.fence {
            // A backtick fence's info string has no backtick (else it is inline code).
            None if c == b'`' && after.contains('`') => {}
            None => self.fence = Some((c, run)),
            Some((fc, flen)) => {
                if fc == c && run >= flen && after.trim().is_empty() {
                    self.fence = None;
                }
            }
        }
    }

    /// Whether the text seen so far ends inside a code fence.
    pub fn in_fence(&self) -> bool {
        self.fence.is_some()
    }

    /// Whether the text seen so far ends inside a mark.
    pub fn in_mark(&self) -> bool {
        self.in_mark
    }

    /// The last cut at or before `limit`; it and those before it are forgotten.
    pub fn take_last(&mut self, limit: usize) -> Option<usize> {
        let n = self.found.partition_point(|&c| c <= limit);
        let last = n.checked_sub(1).and_then(|i| self.found.get(i).copied());
        self.found.drain(..n);
        last
    }
}

/// Whether a piece of text may be cut at its end, inside its last paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// It does not end inside a plain top-level paragraph (a list, a quote, a heading, code).
    No,
    /// It ends inside one, but leaves a `*`, `_`, backtick, bracket, `<` or `|` that later
    /// text could close: cut there, such markup may show as written until the turn ends.
    Risky,
    /// It ends inside one whose markup is all closed: nothing after can change it.
    Plain,
}

/// Characters that text after a cut could turn into markup.
const OPENERS: &[char] = &['*', '_', '`', '[', '<', '|'];

/// Whether `piece` (read from `resume`) may be cut at its end.
pub fn paragraph_cut(piece: &str, resume: &Resume) -> Cut {
    let text;
    let src = match resume {
        Resume::Start => piece,
        Resume::Paragraph => {
            text = format!("\u{a0}{piece}");
            text.as_str()
        }
    };
    let end = src.trim_end().len();
    let mut depth = 0usize;
    // The last top-level paragraph: where it started, and whether its text left an opener.
    let mut last: Option<(usize, bool)> = None;
    let mut in_para = false;
    let mut last_event_ends_para = false;
    for (event, range) in Parser::new_ext(src, Options::ENABLE_TABLES).into_offset_iter() {
        last_event_ends_para = false;
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                last = Some((range.start, false));
                in_para = true;
            }
            Event::End(TagEnd::Paragraph) if depth == 0 => {
                in_para = false;
                last_event_ends_para = range.end >= end;
            }
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Start(tag) if is_block(&tag) => {
                depth += 1;
                last = None;
            }
            Event::End(tag) if is_block_end(tag) => depth = depth.saturating_sub(1),
            Event::Text(t) if in_para => {
                if let Some((_, open)) = &mut last {
                    *open |= t.contains(OPENERS);
                }
            }
            _ => {}
        }
    }
    match last {
        Some((_, open)) if last_event_ends_para => {
            if open {
                Cut::Risky
            } else {
                Cut::Plain
            }
        }
        _ => Cut::No,
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// A space to cut a long paragraph at: the last one in `text[from..]` that leaves at least
/// `keep` bytes after it, outside marks (`open`, `close`; `from` is outside them), with a word
/// right after it.
pub fn space_to_cut(
    text: &str,
    from: usize,
    keep: usize,
    open: &str,
    close: &str,
) -> Option<usize> {
    let limit = text.len().checked_sub(keep)?;
    let region = text.get(from..limit)?;
    let mut inside = false;
    let mut best = None;
    let mut i = 0;
    let bytes = region.as_bytes();
    while i < bytes.len() {
        let rest = region.get(i..).unwrap_or_default();
        if !open.is_empty() && !inside && rest.starts_with(open) {
            inside = true;
            i += open.len();
            continue;
        }
        if !close.is_empty() && inside && rest.starts_with(close) {
            inside = false;
            i += close.len();
            continue;
        }
        let next = bytes.get(i + 1).copied();
        if !inside && bytes.get(i) == Some(&b' ') && next.is_some_and(|b| !b.is_ascii_whitespace())
        {
            best = Some(from + i);
        }
        i += 1;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(text: &str) -> Vec<usize> {
        let mut b = Boundaries::new(0);
        b.scan(text, "<quote>", "</quote>");
        b.found.clone()
    }

    #[test]
    fn a_blank_line_then_a_line_at_the_margin_is_a_cut() {
        let text = "One.\n\nTwo.\n\n  indented\n\nThree";
        assert_eq!(cuts(text), vec![6, 24]);
        assert_eq!(&text[24..], "Three");
        // The line after the blank one has not begun: no cut yet.
        assert!(cuts("One.\n\n").is_empty());
    }

    #[test]
    fn no_cut_inside_a_fence_or_a_quote() {
        let text = "```\ncode\n\nmore\n```\n\nAfter <quote>a\n\nb</quote>\n\nEnd";
        let found = cuts(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&text[found[0]..found[0] + 5], "After");
        assert_eq!(&text[found[1]..], "End");
    }

    #[test]
    fn scanning_in_steps_finds_what_scanning_at_once_does() {
        let text = "a\n\n```\nx\n\ny\n```\n\nb <quote>q\n\n</quote>\n\n- c\n\nd";
        let mut b = Boundaries::new(0);
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                b.scan(&text[..end], "<quote>", "</quote>");
            }
        }
        assert_eq!(b.found, cuts(text));
        assert_eq!(b.take_last(text.len() - 2), Some(text.len() - 6), "\"- c\"");
        assert_eq!(b.take_last(text.len()), Some(text.len() - 1), "\"d\"");
        assert_eq!(b.take_last(text.len()), None);
    }

    #[test]
    fn a_paragraph_cut_is_plain_only_when_its_markup_is_closed() {
        assert_eq!(
            paragraph_cut("Some *plain* words and `code`", &Resume::Start),
            Cut::Plain
        );
        assert_eq!(
            paragraph_cut("An *open emphasis", &Resume::Start),
            Cut::Risky
        );
        assert_eq!(paragraph_cut("- a list item", &Resume::Start), Cut::No);
        assert_eq!(paragraph_cut("> quoted", &Resume::Start), Cut::No);
        assert_eq!(paragraph_cut("para\n\n# Heading", &Resume::Start), Cut::No);
        assert_eq!(
            paragraph_cut("# Heading\n\npara", &Resume::Start),
            Cut::Plain
        );
        // Resumed mid-paragraph, a leading "-" is a word, not a list.
        assert_eq!(
            paragraph_cut("- not a list", &Resume::Paragraph),
            Cut::Plain
        );
    }

    #[test]
    fn spaces_to_cut_at_are_outside_quotes() {
        let text = "aa bb <quote>cc dd</quote> ee ff";
        assert_eq!(space_to_cut(text, 0, 3, "<quote>", "</quote>"), Some(26));
        assert_eq!(space_to_cut(text, 0, 13, "<quote>", "</quote>"), Some(5));
        assert_eq!(space_to_cut(text, 0, 100, "<quote>", "</quote>"), None);
    }
}
