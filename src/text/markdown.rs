//! Reading a model's Markdown (CommonMark with tables, by pulldown-cmark) into blocks of styled
//! text for a terminal: paragraphs, headings, lists with hanging indents, block quotes with a
//! `│ ` gutter, code kept line for line, rules, tables as rows, links as their text then the
//! address. Nothing is dropped and nothing is made live: an address is shown, never followed,
//! and raw HTML is shown as written.
//!
//! Marked spans (the debaters' `<quote>…</quote>`) are given by the caller as byte ranges of the
//! source, so they are found once, by the code that checks them; their markers are shown as
//! the caller's glyphs and everything inside carries the span's number, across emphasis,
//! code and line ends.
//!
//! [`stream`] says where a text that is still growing can be cut, so that a streaming turn is
//! read once up to the cut and only its tail again as words arrive.

pub mod stream;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Lists and quotes nested deeper than this are shown at this depth, so hostile input cannot
/// push the text off the screen.
pub const MAX_DEPTH: usize = 8;

/// How a piece of text reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    pub heading: bool,
    /// A link's text (its address follows, muted).
    pub link: bool,
    /// Secondary text: a link's address, a table's column rules.
    pub muted: bool,
    /// Inside the marked span of this number (its markers included).
    pub mark: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Wrapped by words; a line break in the text ends a row.
    Text,
    /// Lines kept as they are (broken where too wide, never re-flowed).
    Code,
    /// A horizontal rule: its rows are drawn, it has no text.
    Rule,
}

/// One block of rows: what to write, how, and what stands before its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    /// Before the first row: quote gutters and a list item's bullet.
    pub first: String,
    /// Before every other row: the gutters, and spaces under the bullet.
    pub rest: String,
    /// A blank row comes before it, starting with this (the gutters of the quotes it is in).
    pub gap: Option<String>,
    /// It carries on the row the previous block ended on (a paragraph cut while streaming).
    pub continues: bool,
    pub text: String,
    /// The styles of `text`, in order: each run ends where the next begins.
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub end: usize,
    pub style: Style,
}

impl Block {
    fn new(kind: Kind, first: String, rest: String, gap: Option<String>) -> Self {
        Block {
            kind,
            first,
            rest,
            gap,
            continues: false,
            text: String::new(),
            runs: Vec::new(),
        }
    }

    /// The text's runs as byte ranges with their styles.
    pub fn styled(&self) -> impl Iterator<Item = (Range<usize>, Style)> + '_ {
        let mut start = 0;
        self.runs.iter().map(move |r| {
            let range = start..r.end;
            start = r.end;
            (range, r.style)
        })
    }

    fn push(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        self.text.push_str(text);
        let end = self.text.len();
        match self.runs.last_mut() {
            Some(last) if last.style == style => last.end = end,
            _ => self.runs.push(Run { end, style }),
        }
    }
}

/// A marked span of the source: where its opening marker is, and its closing one (none when
/// the span runs to the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub open: Range<usize>,
    pub close: Option<Range<usize>>,
}

/// The marked spans of a source, in order and not overlapping, and what to show for markers.
#[derive(Debug, Clone, Copy)]
pub struct Marks<'a> {
    pub spans: &'a [Mark],
    pub open: &'a str,
    pub close: &'a str,
}

impl Marks<'_> {
    pub const NONE: Marks<'static> = Marks {
        spans: &[],
        open: "",
        close: "",
    };
}

/// Where the source starts: at the top of a text, or inside a block begun in an earlier part
/// of it (a streaming turn is read in parts; see [`stream`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Resume {
    #[default]
    Start,
    /// In the middle of a paragraph, at a space: the first block carries on its last row.
    Paragraph,
}

/// Reads `src` into blocks.
pub fn read(src: &str, marks: Marks<'_>, resume: &Resume) -> Vec<Block> {
    // A paragraph is resumed by reading its rest behind a no-break space: a letter would change
    // how `_` and `*` at its start are read, and a line start could be taken for a list or a
    // heading; white space is neither.
    let prefix = match resume {
        Resume::Start => "",
        Resume::Paragraph => "\u{a0}",
    };
    let full;
    let text = if prefix.is_empty() {
        src
    } else {
        full = format!("{prefix}{src}");
        full.as_str()
    };
    let mut reader = Reader {
        src,
        shift: prefix.len(),
        marks,
        blocks: Vec::new(),
        containers: Vec::new(),
        leaf: None,
        emphasis: 0,
        strong: 0,
        heading: false,
        code_block: false,
        links: Vec::new(),
        table_head: false,
        cell: 0,
        continues: *resume == Resume::Paragraph,
    };
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        reader.event(event, range);
    }
    reader.close_leaf();
    reader.blocks
}

#[derive(Debug)]
enum Container {
    Quote {
        /// No row of the quote is written yet: a blank row before its first one is outside it.
        fresh: bool,
    },
    List {
        next: Option<u64>,
        /// Inside a list item (a nested list).
        nested: bool,
        items: usize,
    },
    Item {
        marker: String,
        /// No row of the item is written yet: the next one shows the marker.
        fresh: bool,
        /// The first item of a list that is not inside another item.
        opens_list: bool,
    },
}

struct Reader<'a> {
    src: &'a str,
    /// Bytes put before the source for parsing.
    shift: usize,
    marks: Marks<'a>,
    blocks: Vec<Block>,
    containers: Vec<Container>,
    leaf: Option<Block>,
    emphasis: usize,
    strong: usize,
    heading: bool,
    code_block: bool,
    /// Links open, with where their text began in the block and their address.
    links: Vec<(usize, String)>,
    table_head: bool,
    cell: usize,
    /// The first block carries on a paragraph.
    continues: bool,
}

impl Reader<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                let style = self.style();
                self.text(&t, range, style);
            }
            Event::Code(t) => {
                let style = Style {
                    code: true,
                    ..self.style()
                };
                // The range holds the backticks too; the content is in it as written.
                let inner = self
                    .src_range(range.clone())
                    .and_then(|r| {
                        let raw = self.src.get(r.clone())?;
                        raw.find(t.as_ref())
                            .map(|i| r.start + i..r.start + i + t.len())
                    })
                    .map(|r| r.start + self.shift..r.end + self.shift);
                self.text(&t, inner.unwrap_or(range), style);
            }
            Event::InlineHtml(t) | Event::Html(t) => {
                let style = self.style();
                self.text(&t, range, style);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                let style = Style {
                    code: true,
                    ..self.style()
                };
                self.text(&t, range, style);
            }
            Event::FootnoteReference(t) => {
                let style = self.style();
                self.leaf_mut().push(&format!("[^{t}]"), style);
            }
            Event::SoftBreak => {
                let style = self.style();
                self.text(" ", range, style);
            }
            Event::HardBreak => {
                let style = self.style();
                self.leaf_mut().push("\n", style);
            }
            Event::Rule => {
                self.close_leaf();
                let mut block = self.new_block(Kind::Rule);
                block.push("─", Style::default());
                self.blocks.push(block);
            }
            Event::TaskListMarker(done) => {
                let style = self.style();
                self.leaf_mut()
                    .push(if done { "[x] " } else { "[ ] " }, style);
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.open_leaf(Kind::Text),
            Tag::Heading { .. } => {
                self.open_leaf(Kind::Text);
                self.heading = true;
            }
            Tag::CodeBlock(_) => {
                self.open_leaf(Kind::Code);
                self.code_block = true;
            }
            Tag::BlockQuote(_) => {
                self.close_leaf();
                self.containers.push(Container::Quote { fresh: true });
            }
            Tag::List(start) => {
                self.close_leaf();
                let nested = self
                    .containers
                    .iter()
                    .any(|c| matches!(c, Container::Item { .. }));
                self.containers.push(Container::List {
                    next: start,
                    nested,
                    items: 0,
                });
            }
            Tag::Item => {
                self.close_leaf();
                let depth = self
                    .containers
                    .iter()
                    .filter(|c| matches!(c, Container::List { .. }))
                    .count();
                let (marker, opens_list) = match self.containers.last_mut() {
                    Some(Container::List {
                        next,
                        nested,
                        items,
                    }) => {
                        *items += 1;
                        let marker = match next {
                            Some(n) => {
                                let m = format!("{n}. ");
                                *n = n.saturating_add(1);
                                m
                            }
                            None => format!("{} ", bullet(depth)),
                        };
                        (marker, *items == 1 && !*nested)
                    }
                    _ => (format!("{} ", bullet(depth)), false),
                };
                self.containers.push(Container::Item {
                    marker,
                    fresh: true,
                    opens_list,
                });
            }
            Tag::Table(_) => self.close_leaf(),
            Tag::TableHead => {
                self.open_leaf(Kind::Text);
                self.table_head = true;
                self.cell = 0;
            }
            Tag::TableRow => {
                self.open_leaf(Kind::Text);
                // The rows of a table follow one another.
                if let Some(row) = &mut self.leaf {
                    row.gap = None;
                }
                self.cell = 0;
            }
            Tag::TableCell => {
                if self.cell > 0 {
                    let style = Style {
                        muted: true,
                        ..Style::default()
                    };
                    self.leaf_mut().push(" │ ", style);
                }
                self.cell += 1;
            }
            Tag::Emphasis => self.emphasis += 1,
            Tag::Strong => self.strong += 1,
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                let at = self.leaf_mut().text.len();
                self.links.push((at, dest_url.to_string()));
            }
            // Not enabled: their text is read as it comes.
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::TableHead | TagEnd::TableRow => {
                self.close_leaf();
                self.table_head = false;
            }
            TagEnd::Heading(_) => {
                self.close_leaf();
                self.heading = false;
            }
            TagEnd::CodeBlock => {
                self.close_leaf();
                self.code_block = false;
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item => {
                self.close_leaf();
                self.containers.pop();
            }
            TagEnd::Emphasis => self.emphasis = self.emphasis.saturating_sub(1),
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Link | TagEnd::Image => {
                if let Some((at, url)) = self.links.pop() {
                    let shown = self
                        .leaf
                        .as_ref()
                        .and_then(|l| l.text.get(at..))
                        .unwrap_or_default();
                    // An address written as the link's text (an autolink) is shown once.
                    let same = shown == url || url.strip_prefix("mailto:") == Some(shown);
                    if !url.is_empty() && !same {
                        let style = Style {
                            muted: true,
                            ..Style::default()
                        };
                        self.leaf_mut().push(&format!(" ({url})"), style);
                    }
                }
            }
            _ => {}
        }
    }

    fn style(&self) -> Style {
        Style {
            bold: self.strong > 0 || self.heading || self.table_head,
            italic: self.emphasis > 0,
            code: self.code_block,
            heading: self.heading,
            link: !self.links.is_empty(),
            muted: false,
            mark: None,
        }
    }

    /// A range of the parsed text as a range of the source.
    fn src_range(&self, range: Range<usize>) -> Option<Range<usize>> {
        let start = range.start.checked_sub(self.shift)?;
        let end = range.end.checked_sub(self.shift)?;
        Some(start..end)
    }

    /// Adds text that came from `range` of the parsed text. Where it is the source as written,
    /// markers are replaced by their glyphs and marked text carries its span's number.
    fn text(&mut self, text: &str, range: Range<usize>, style: Style) {
        let mut text = text;
        let mut range = range;
        // The no-break space a resumed paragraph was read behind is not the debater's.
        if range.start < self.shift {
            let cut = self.shift - range.start;
            if text.len() == range.len() {
                text = text.get(cut.min(text.len())..).unwrap_or_default();
            }
            range = self.shift.min(range.end)..range.end;
        }
        let Some(src) = self.src_range(range) else {
            return;
        };
        if self.src.get(src.clone()) != Some(text) {
            // Decoded (an entity, an escape): one piece, marked as where it starts.
            let style = Style {
                mark: self.mark_at(src.start),
                ..style
            };
            self.leaf_mut().push(text, style);
            return;
        }
        let mut pos = src.start;
        while pos < src.end {
            let (next, piece) = self.piece_at(pos, src.end);
            let style = Style {
                mark: piece.mark(),
                ..style
            };
            match piece {
                Piece::Glyph(_, glyph) => {
                    let glyph = glyph.to_string();
                    self.leaf_mut().push(&glyph, style);
                }
                Piece::Hidden => {}
                Piece::Text(_) => {
                    let t = self.src.get(pos..next).unwrap_or_default().to_string();
                    self.leaf_mut().push(&t, style);
                }
            }
            // Always forward, whatever the marks say.
            pos = next.max(pos + 1);
        }
    }

    /// The mark whose span (markers included) holds `pos`.
    fn mark_at(&self, pos: usize) -> Option<usize> {
        let spans = self.marks.spans;
        let k = spans
            .partition_point(|m| m.open.start <= pos)
            .checked_sub(1)?;
        let m = spans.get(k)?;
        let end = m.close.as_ref().map_or(usize::MAX, |c| c.end);
        (pos < end).then_some(k)
    }

    /// What the source is at `pos`, and where that stops (at most `end`).
    fn piece_at(&self, pos: usize, end: usize) -> (usize, Piece<'_>) {
        let spans = self.marks.spans;
        if let Some(k) = self.mark_at(pos)
            && let Some(m) = spans.get(k)
        {
            if m.open.contains(&pos) {
                let piece = if pos == m.open.start {
                    Piece::Glyph(k, self.marks.open)
                } else {
                    Piece::Hidden
                };
                return (m.open.end.min(end), piece);
            }
            if let Some(c) = &m.close {
                if c.contains(&pos) {
                    let piece = if pos == c.start {
                        Piece::Glyph(k, self.marks.close)
                    } else {
                        Piece::Hidden
                    };
                    return (c.end.min(end), piece);
                }
                return (c.start.min(end), Piece::Text(Some(k)));
            }
            return (end, Piece::Text(Some(k)));
        }
        let next = spans
            .get(spans.partition_point(|m| m.open.start <= pos))
            .map_or(end, |m| m.open.start.min(end));
        (next, Piece::Text(None))
    }

    fn leaf_mut(&mut self) -> &mut Block {
        if self.leaf.is_none() {
            // Text straight inside a list item (a tight list) is a block of its own.
            self.open_leaf(Kind::Text);
        }
        self.leaf
            .get_or_insert_with(|| Block::new(Kind::Text, String::new(), String::new(), None))
    }

    fn open_leaf(&mut self, kind: Kind) {
        self.close_leaf();
        self.leaf = Some(self.new_block(kind));
    }

    fn close_leaf(&mut self) {
        if let Some(mut block) = self.leaf.take() {
            // A code block's and an HTML block's last line break ends the block, not a row.
            let kept = block.text.trim_end_matches('\n').len();
            block.text.truncate(kept);
            let mut last_end = 0;
            block.runs.retain_mut(|r| {
                r.end = r.end.min(kept);
                let keep = r.end > last_end;
                last_end = last_end.max(r.end);
                keep
            });
            self.blocks.push(block);
        }
    }

    /// A new block under the containers open now: its gutters and bullet, and whether a blank
    /// row comes before it.
    fn new_block(&mut self, kind: Kind) -> Block {
        let (mut first, mut rest, mut blank) = (String::new(), String::new(), String::new());
        let mut gap = !self.blocks.is_empty();
        let mut depth = 0;
        let innermost_item = self
            .containers
            .iter()
            .rposition(|c| matches!(c, Container::Item { .. }));
        for (i, c) in self.containers.iter_mut().enumerate() {
            match c {
                Container::List { .. } => {}
                Container::Quote { fresh } => {
                    depth += 1;
                    if depth <= MAX_DEPTH {
                        first.push_str("│ ");
                        rest.push_str("│ ");
                        if !*fresh {
                            blank.push_str("│ ");
                        }
                    }
                    *fresh = false;
                }
                Container::Item {
                    marker,
                    fresh,
                    opens_list,
                } => {
                    depth += 1;
                    let width = unicode_width::UnicodeWidthStr::width(marker.as_str());
                    if depth <= MAX_DEPTH {
                        if *fresh {
                            first.push_str(marker);
                        } else {
                            first.push_str(&" ".repeat(width));
                        }
                        rest.push_str(&" ".repeat(width));
                    }
                    // Items follow one another without a blank row; a list is set off from
                    // what came before it, unless it is nested in an item.
                    if Some(i) == innermost_item && *fresh && !*opens_list {
                        gap = false;
                    }
                    *fresh = false;
                }
            }
        }
        let gap = gap.then(|| blank.trim_end().to_string());
        let mut block = Block::new(kind, first, rest, gap);
        if std::mem::take(&mut self.continues) && self.blocks.is_empty() {
            block.continues = true;
            block.gap = None;
        }
        block
    }
}

/// What the source holds at a position.
enum Piece<'a> {
    /// A marker, shown as its glyph.
    Glyph(usize, &'a str),
    /// The rest of a marker: shown already.
    Hidden,
    /// Text, inside the mark of this number or none.
    Text(Option<usize>),
}

impl Piece<'_> {
    fn mark(&self) -> Option<usize> {
        match self {
            Piece::Glyph(k, _) => Some(*k),
            Piece::Hidden => None,
            Piece::Text(k) => *k,
        }
    }
}

fn bullet(depth: usize) -> &'static str {
    match depth.saturating_sub(1) % 3 {
        0 => "•",
        1 => "◦",
        _ => "▪",
    }
}

#[cfg(test)]
mod tests;
