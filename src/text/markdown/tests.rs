use super::stream::{Boundaries, Cut, paragraph_cut};
use super::*;
use crate::text::wrap::{Piece, Row, Wrapper};
use proptest::prelude::*;
use unicode_width::UnicodeWidthStr;

/// The blocks as rows, wrapped as the transcript wraps them.
fn pieces(blocks: &[Block], width: usize) -> Vec<Row<Style>> {
    let mut out: Vec<Row<Style>> = Vec::new();
    let mut carry: Option<Wrapper<Style>> = None;
    for b in blocks {
        let first = vec![Piece::new(b.first.clone(), Style::default())];
        let rest = vec![Piece::new(b.rest.clone(), Style::default())];
        if !b.continues
            && let Some(w) = carry.take()
        {
            w.finish(&mut out);
        }
        if let Some(gap) = &b.gap {
            out.push(vec![Piece::new(gap.clone(), Style::default())]);
        }
        match b.kind {
            Kind::Text => {
                let mut w = match carry.take() {
                    Some(w) => w,
                    None => Wrapper::new(width, first, rest),
                };
                for (r, style) in b.styled() {
                    w.push(&b.text[r.clone()], style, r.start, &mut out);
                }
                carry = Some(w);
            }
            Kind::Code => {
                let mut w = Wrapper::code(width, first, rest);
                w.push(&b.text, Style::default(), 0, &mut out);
                w.finish(&mut out);
            }
            Kind::Rule => {
                let w = width.saturating_sub(b.first.width()).max(1);
                out.push(vec![Piece::new(
                    format!("{}{}", b.first, "─".repeat(w)),
                    Style::default(),
                )]);
            }
        }
    }
    if let Some(w) = carry {
        w.finish(&mut out);
    }
    out
}

/// The rows as plain text.
fn rows(blocks: &[Block], width: usize) -> Vec<String> {
    pieces(blocks, width)
        .iter()
        .map(|r| r.iter().map(|p| p.text.as_str()).collect())
        .collect()
}

/// What the rows show of the blocks' text, gutters and bullets left out.
fn content(blocks: &[Block], width: usize) -> String {
    pieces(blocks, width)
        .iter()
        .flatten()
        .filter(|p| p.at.is_some())
        .map(|p| p.text.as_str())
        .collect()
}

fn md(src: &str) -> Vec<Block> {
    read(src, Marks::NONE, &Resume::Start)
}

fn show(src: &str, width: usize) -> Vec<String> {
    rows(&md(src), width)
}

/// The styles of the text `needle` in the blocks.
fn style_of(blocks: &[Block], needle: &str) -> Vec<Style> {
    let mut out = Vec::new();
    for b in blocks {
        for (r, s) in b.styled() {
            if b.text[r].contains(needle) {
                out.push(s);
            }
        }
    }
    out
}

#[test]
fn paragraphs_reflow_and_are_set_apart() {
    assert_eq!(
        show("One line\nand its soft break.\n\nA second paragraph.", 40),
        vec!["One line and its soft break.", "", "A second paragraph."]
    );
    assert_eq!(show("hard  \nbreak", 40), vec!["hard", "break"]);
}

#[test]
fn emphasis_strong_and_code_are_styles_not_asterisks() {
    let blocks = md("Plain *it* **bold** `x < y` ***both***");
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].text, "Plain it bold x < y both");
    assert!(style_of(&blocks, "it")[0].italic);
    assert!(style_of(&blocks, "bold")[0].bold);
    assert!(style_of(&blocks, "x < y")[0].code);
    let both = style_of(&blocks, "both")[0];
    assert!(both.bold && both.italic);
}

#[test]
fn lists_hang_nest_and_number() {
    let src = "Intro:\n\n- one\n- two wraps onto a second row\n  - nested\n\n1. first\n2. second\n";
    assert_eq!(
        show(src, 20),
        vec![
            "Intro:",
            "",
            "• one",
            "• two wraps onto a",
            "  second row",
            "  ◦ nested",
            "",
            "1. first",
            "2. second",
        ]
    );
}

#[test]
fn quotes_have_a_gutter_and_code_keeps_its_lines() {
    let src =
        "> quoted text\n>\n> more\n\n```rust\nfn main() {\n    let very_long_name = 1;\n}\n```\n";
    assert_eq!(
        show(src, 16),
        vec![
            "│ quoted text",
            "│",
            "│ more",
            "",
            "fn main() {",
            "    let very_lon",
            "g_name = 1;",
            "}",
        ]
    );
    let blocks = md(src);
    assert!(style_of(&blocks, "fn main")[0].code);
    assert_eq!(blocks.last().map(|b| b.kind), Some(Kind::Code));
}

#[test]
fn headings_rules_links_and_tables() {
    let blocks = md(
        "# Title\n\nSee [the report](https://x.org/r) or <https://y.org>.\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    );
    assert!(style_of(&blocks, "Title")[0].heading);
    assert_eq!(
        blocks[1].text,
        "See the report (https://x.org/r) or https://y.org."
    );
    assert!(style_of(&blocks, "(https://x.org/r)")[0].muted);
    assert_eq!(blocks[2].kind, Kind::Rule);
    assert_eq!(blocks[3].text, "a │ b");
    assert!(style_of(&blocks[3..4], "a")[0].bold, "the header row");
    assert_eq!(blocks[4].text, "1 │ 2");
    assert_eq!(blocks[4].gap, None, "rows follow one another");
    assert_eq!(
        rows(&blocks, 60)[3..],
        ["", &"─".repeat(60), "", "a │ b", "1 │ 2"]
    );
}

#[test]
fn an_unclosed_fence_is_code_to_the_end() {
    let blocks = md("Before\n\n```\nlet x = 1;\nstill code");
    assert_eq!(
        blocks.last().map(|b| (b.kind, b.text.as_str())),
        Some((Kind::Code, "let x = 1;\nstill code"))
    );
}

#[test]
fn deep_nesting_stops_indenting() {
    let src = format!("{}deep", "> ".repeat(50));
    let r = show(&src, 40);
    assert_eq!(r, vec![format!("{}deep", "│ ".repeat(MAX_DEPTH))]);
    let src: String = (0..30)
        .map(|i| format!("{}- l{i}\n", "  ".repeat(i)))
        .collect();
    let widest = show(&src, 80).iter().map(|r| r.width()).max().unwrap();
    assert!(widest <= MAX_DEPTH * 2 + 4, "{widest}");
}

/// The marks of `src`: each `<quote>` to its `</quote>` (or to the end), as the transcript
/// gives them (the quote checker's own rules are the domain's, tested there).
fn marks_of(src: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(o) = src[at..].find("<quote>") {
        let open = at + o..at + o + 7;
        let close = src[open.end..]
            .find("</quote>")
            .map(|c| open.end + c..open.end + c + 8);
        at = close.as_ref().map_or(src.len(), |c| c.end);
        out.push(Mark { open, close });
    }
    out
}

fn quoted(src: &str) -> Vec<Block> {
    let m = marks_of(src);
    read(
        src,
        Marks {
            spans: &m,
            open: "“",
            close: "”",
        },
        &Resume::Start,
    )
}

#[test]
fn quotes_keep_their_number_across_emphasis_code_and_line_ends() {
    let src = "He said <quote>the *tide* `turned`\nat dawn</quote> and <quote>left</quote>.";
    let blocks = quoted(src);
    assert_eq!(
        blocks[0].text,
        "He said “the tide turned at dawn” and “left”."
    );
    let marks: Vec<(String, Option<usize>)> = blocks[0]
        .styled()
        .map(|(r, s)| (blocks[0].text[r].to_string(), s.mark))
        .collect();
    assert_eq!(
        marks,
        vec![
            ("He said ".into(), None),
            ("“the ".into(), Some(0)),
            ("tide".into(), Some(0)),
            (" ".into(), Some(0)),
            ("turned".into(), Some(0)),
            (" at dawn”".into(), Some(0)),
            (" and ".into(), None),
            ("“left”".into(), Some(1)),
            (".".into(), None),
        ]
    );
    assert!(style_of(&blocks, "tide")[0].italic);
    assert!(style_of(&blocks, "turned")[0].code);
}

#[test]
fn a_quote_on_lines_of_its_own_and_an_unclosed_one() {
    // On its own line `<quote>` starts an HTML block in CommonMark: still a quote.
    let blocks = quoted("<quote>\nThe tide turned.\n</quote>\n\nAfter.");
    assert!(
        blocks[0].text.starts_with('“') && blocks[0].text.ends_with('”'),
        "{:?}",
        blocks[0].text
    );
    assert!(blocks[0].runs.iter().all(|r| r.style.mark == Some(0)));
    assert_eq!(style_of(&blocks, "After")[0].mark, None);
    let blocks = quoted("Then <quote>it runs on\n\nto the end");
    assert_eq!(style_of(&blocks, "to the end")[0].mark, Some(0));
}

#[test]
fn a_resumed_paragraph_carries_on_its_row() {
    let text = "The start of a long paragraph goes on _and on_ while it streams, - with words";
    let cut = text.find(" while").unwrap();
    let mut blocks = read(&text[..cut], Marks::NONE, &Resume::Start);
    let rest = read(&text[cut..], Marks::NONE, &Resume::Paragraph);
    assert!(rest[0].continues && rest[0].gap.is_none());
    assert_eq!(rest[0].text, " while it streams, - with words");
    blocks.extend(rest);
    assert_eq!(rows(&blocks, 24), show(text, 24));
}

#[test]
fn cuts_between_blocks_read_as_the_whole() {
    let text = "First para.\n\n- a\n- b\n\n> q\n\n```\ncode\n\nmore\n```\n\nLast *one*.";
    let mut scan = Boundaries::new(0);
    scan.scan(text, "<quote>", "</quote>");
    // Each cut, once: asked for in order, each is the last one at or before its own place.
    let points: Vec<usize> = (0..=text.len())
        .filter_map(|end| scan.take_last(end))
        .collect();
    assert_eq!(points.len(), 4, "{points:?}");
    let mut blocks = Vec::new();
    let mut from = 0;
    for end in points.iter().copied().chain([text.len()]) {
        let mut part = read(&text[from..end], Marks::NONE, &Resume::Start);
        // A blank line came before each part but the first.
        if from > 0
            && let Some(b) = part.first_mut()
        {
            b.gap = Some(String::new());
        }
        blocks.extend(part);
        from = end;
    }
    assert_eq!(rows(&blocks, 30), show(text, 30));
}

#[test]
fn a_paragraph_cut_needs_closed_markup() {
    assert_eq!(paragraph_cut("a *b* c", &Resume::Start), Cut::Plain);
    assert_eq!(paragraph_cut("a *b c", &Resume::Start), Cut::Risky);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Anything at all: no panic, and no row wider than the screen (or than the widest
    /// grapheme, which is never split: a base letter with many spacing marks is kept whole).
    #[test]
    fn any_input_fits(src in "\\PC{0,200}", width in 2usize..50) {
        use unicode_segmentation::UnicodeSegmentation;
        let m = marks_of(&src);
        let blocks = read(&src, Marks { spans: &m, open: "“", close: "”" }, &Resume::Start);
        let widest = src.graphemes(true).map(UnicodeWidthStr::width).max().unwrap_or(0);
        for r in rows(&blocks, width) {
            prop_assert!(r.width() <= width.max(widest), "{r:?} is wider than {width}");
        }
        let _ = read(&src, Marks::NONE, &Resume::Paragraph);
        let _ = paragraph_cut(&src, &Resume::Start);
    }

    /// Markdown-like input: every word of it is shown.
    #[test]
    fn every_word_is_shown(
        src in "([a-z]{1,8}|[ \\n*_#>\\-+.|!\\[\\]()<>]|<quote>|</quote>){0,60}",
        width in 8usize..40,
    ) {
        let m = marks_of(&src);
        let blocks = read(&src, Marks { spans: &m, open: "“", close: "”" }, &Resume::Start);
        let shown: String = content(&blocks, width).split_whitespace().collect();
        let wanted = src.replace("<quote>", " ").replace("</quote>", " ");
        for word in wanted.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
            prop_assert!(shown.contains(word), "{word:?} missing from {shown:?} (source {src:?})");
        }
    }
}
