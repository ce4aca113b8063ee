//! The transcript's layouts, kept from frame to frame: each turn's doc, read once, and its rows
//! at the pane's width, wrapped once per width and only for the turns asked for (those in view,
//! or the one a search match is in). Heights, search and painting all read these, so a turn is
//! never laid out twice for one frame.
//!
//! A streaming turn is read in parts (see `text::markdown::stream`): what is settled, up to the
//! last cut, is read and wrapped once and kept; each chunk re-reads only the tail after it. A
//! long paragraph is cut at spaces inside it, so the tail stays short however long the
//! paragraph grows.

use super::layout::{self, Carry, Context, Doc, VLine};
use crate::app::visible::Redactor;
use crate::domain::quote::{CLOSE as QUOTE_CLOSE, OPEN as QUOTE_OPEN};
use crate::domain::{Session, Turn, TurnStatus};
use crate::text::markdown::Resume;
use crate::text::markdown::stream::{Boundaries, Cut, paragraph_cut, space_to_cut};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// A streaming tail longer than this is cut inside its paragraph, if the cut is clean.
const CUT_ABOVE: usize = 2048;
/// What a cut inside a paragraph leaves in the tail: the last words may still change.
const KEEP: usize = 256;
/// A tail longer than this is cut even where markup is left open (it then shows as written
/// until the turn ends and is read whole).
const FORCE_ABOVE: usize = 16 * 1024;
/// After a cut was refused, how much more text to wait for before trying again.
const RETRY_AFTER: usize = 1024;

/// What a layout reads besides the turn.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub session: &'a Session,
    pub redactor: &'a Redactor,
    /// Whether a turn's speech is kept from the judge for now.
    pub hidden: &'a dyn Fn(usize) -> bool,
}

/// A turn's body as rows: one or two runs of rows, read as one.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    head: &'a [VLine],
    tail: &'a [VLine],
}

impl<'a> Body<'a> {
    pub fn len(&self) -> usize {
        self.head.len() + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<&'a VLine> {
        match i.checked_sub(self.head.len()) {
            None => self.head.get(i),
            Some(j) => self.tail.get(j),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a VLine> + 'a {
        self.head.iter().chain(self.tail.iter())
    }

    /// The row that shows the doc's text at `at`.
    pub fn row_of(&self, at: usize) -> Option<usize> {
        self.iter().position(|line| {
            line.iter().any(|s| {
                s.at.is_some_and(|a| a <= at && at < a.saturating_add(s.text.len().max(1)))
            })
        })
    }
}

/// The layouts of the turns shown, at one width.
#[derive(Debug, Default)]
pub struct Layouts {
    inner: RefCell<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    width: usize,
    turns: HashMap<usize, Entry>,
}

#[derive(Debug)]
enum Entry {
    /// Laid out whole: the speech, and what follows it, each with its key.
    Whole {
        prose: Part,
        extras: Part,
    },
    Streaming(Box<Stream>),
}

/// A doc, what it was read from, and its rows at one width.
#[derive(Debug)]
struct Part {
    key: u64,
    doc: Doc,
    /// Where the doc's text starts in the turn's.
    base: usize,
    lines: Option<(usize, Vec<VLine>)>,
}

impl Part {
    fn new(key: u64, doc: Doc, base: usize) -> Self {
        Part {
            key,
            doc,
            base,
            lines: None,
        }
    }

    fn lines(&mut self, width: usize) -> &[VLine] {
        if self.lines.as_ref().is_none_or(|(w, _)| *w != width) {
            let mut lines = Vec::new();
            layout::wrap(&self.doc, width, self.base, None, &mut lines).finish(&mut lines);
            self.lines = Some((width, lines));
        }
        self.lines.as_ref().map_or(&[], |(_, l)| l.as_slice())
    }
}

impl Layouts {
    /// The pane's text width; rows of another width are wrapped again when next asked for,
    /// docs are kept.
    pub fn set_width(&mut self, width: usize) {
        self.inner.get_mut().width = width.max(1);
    }

    pub fn width(&self) -> usize {
        self.inner.borrow().width
    }

    /// Rows of a turn's block in the transcript: header, body, one blank row.
    pub fn height(&self, src: Source<'_>, turn: usize) -> usize {
        self.with_body(src, turn, |b| b.len() + 2).unwrap_or(0)
    }

    /// Runs `f` on the turn's body, laying out what changed since it was last asked for.
    /// `f` must not ask the layouts for anything (they are borrowed meanwhile).
    pub fn with_body<R>(
        &self,
        src: Source<'_>,
        turn: usize,
        f: impl FnOnce(Body<'_>) -> R,
    ) -> Option<R> {
        let t = src.session.turn(turn)?;
        let mut inner = self.inner.borrow_mut();
        let width = inner.width.max(1);
        let entry = update(&mut inner.turns, src, t);
        Some(match entry {
            Entry::Whole { prose, extras } => {
                let head = prose.lines(width);
                let tail = extras.lines(width);
                f(Body { head, tail })
            }
            Entry::Streaming(s) => {
                s.layout(t, width);
                f(s.body())
            }
        })
    }

    /// Runs `f` on the turn's text as search reads it: its parts, each with where it starts.
    pub fn with_text<R>(
        &self,
        src: Source<'_>,
        turn: usize,
        f: impl FnOnce(&[(usize, &str)]) -> R,
    ) -> Option<R> {
        let t = src.session.turn(turn)?;
        let mut inner = self.inner.borrow_mut();
        let width = inner.width.max(1);
        let entry = update(&mut inner.turns, src, t);
        Some(match entry {
            Entry::Whole { prose, extras } => f(&[
                (prose.base, &prose.doc.text),
                (extras.base, &extras.doc.text),
            ]),
            Entry::Streaming(s) => {
                // The tail is read with the rows (the settled rows are needed for it anyway).
                s.layout(t, width);
                let base = s.settled.base_for(&s.tail);
                f(&[(0, &s.settled.text), (base, &s.tail.text)])
            }
        })
    }

    /// Forgets every turn (the session was replaced).
    pub fn clear(&mut self) {
        self.inner.get_mut().turns.clear();
    }

    /// How many turns have rows at the current width (to check that a resize wraps only
    /// the turns asked for).
    #[cfg(test)]
    pub(crate) fn wrapped(&self) -> usize {
        let inner = self.inner.borrow();
        let at = |lines: &Option<(usize, Vec<VLine>)>| lines.as_ref().map(|(w, _)| *w);
        inner
            .turns
            .values()
            .filter(|e| match e {
                Entry::Whole { prose, .. } => at(&prose.lines) == Some(inner.width),
                Entry::Streaming(s) => s.width == inner.width,
            })
            .count()
    }
}

/// The turn's entry, brought up to date with the turn.
fn update<'m>(turns: &'m mut HashMap<usize, Entry>, src: Source<'_>, t: &Turn) -> &'m mut Entry {
    let hidden = (src.hidden)(t.index);
    let streaming = t.status == TurnStatus::Streaming && !hidden;
    let entry = turns.entry(t.index).or_insert_with(|| Entry::Whole {
        prose: Part::new(u64::MAX, Doc::default(), 0),
        extras: Part::new(u64::MAX, Doc::default(), 0),
    });
    if streaming {
        let fresh = match entry {
            Entry::Streaming(s) => !s.follows(t),
            Entry::Whole { .. } => true,
        };
        if fresh {
            *entry = Entry::Streaming(Box::new(Stream::new(t)));
        }
        return entry;
    }
    if matches!(entry, Entry::Streaming(_)) {
        *entry = Entry::Whole {
            prose: Part::new(u64::MAX, Doc::default(), 0),
            extras: Part::new(u64::MAX, Doc::default(), 0),
        };
    }
    if let Entry::Whole { prose, extras } = entry {
        let pk = prose_key(t, hidden);
        if prose.key != pk {
            let doc = if hidden {
                layout::hidden_doc(t)
            } else {
                layout::prose_doc(&t.prose(), t, &Resume::Start)
            };
            *prose = Part::new(pk, doc, 0);
            extras.key = u64::MAX;
        }
        let ek = extras_key(src, t, hidden);
        if extras.key != ek {
            let doc = if hidden {
                Doc::default()
            } else {
                let cx = Context {
                    session: src.session,
                    redactor: src.redactor,
                    width: 0,
                    hidden,
                };
                layout::extras_doc(t, &cx)
            };
            let base = prose.doc.base_for(&doc);
            *extras = Part::new(ek, doc, base);
        }
    }
    entry
}

fn hash_of(h: impl Hash) -> u64 {
    let mut s = std::collections::hash_map::DefaultHasher::new();
    h.hash(&mut s);
    s.finish()
}

/// The last bytes of a text: with its length, enough to tell a text that changed.
fn tail_bytes(text: &str) -> &[u8] {
    let b = text.as_bytes();
    b.get(b.len().saturating_sub(32)..).unwrap_or_default()
}

/// What a turn's speech reads as depends on.
fn prose_key(t: &Turn, hidden: bool) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (t.text.len(), tail_bytes(&t.text), t.status, t.cut.is_some()).hash(&mut h);
    for q in &t.quotes {
        (q.class, q.over_budget).hash(&mut h);
    }
    // A hidden turn shows how many words it has so far.
    (hidden, hidden.then(|| t.word_count())).hash(&mut h);
    h.finish()
}

/// What follows a turn's speech depends on (any judge event may be a message after it).
fn extras_key(src: Source<'_>, t: &Turn, hidden: bool) -> u64 {
    hash_of((
        t.status,
        (t.claims.len(), t.concessions.len(), t.warnings.len()),
        (
            t.attempts.len(),
            t.error.as_ref().map(String::len),
            t.cut.is_some(),
        ),
        src.session.judge_events.len(),
        // Close quotes' notes show the source's words once the verdict is in.
        (t.quotes.len(), src.session.verdict.is_some()),
        src.redactor.is_blind(),
        hidden,
    ))
}

/// A streaming turn's layout: the settled part, read and wrapped once, and the tail.
#[derive(Debug)]
struct Stream {
    /// The attempt streaming: a retry starts the text again.
    attempts: usize,
    /// Bytes of the text settled.
    done: usize,
    /// The text's last bytes before `done`, to tell that it is still the text settled.
    check: Vec<u8>,
    /// How the text after `done` is read.
    resume: Resume,
    bounds: Boundaries,
    /// No cut inside the paragraph is tried before the text is this long.
    next_try: usize,
    settled: Doc,
    /// The settled rows at `width`, and the paragraph still open at their end.
    width: usize,
    lines: Vec<VLine>,
    carry: Carry,
    /// The tail as read for text of `tail_for` bytes at `width`, and its rows (the open
    /// paragraph's last row and the cursor included).
    tail_for: Option<(usize, usize)>,
    tail: Doc,
    tail_lines: Vec<VLine>,
    /// The tail had no rows: the cursor is on the last settled row, shown from `tail_lines`.
    cursor_on_settled: bool,
}

impl Stream {
    fn new(t: &Turn) -> Self {
        Stream {
            attempts: t.attempts.len(),
            done: 0,
            check: Vec::new(),
            resume: Resume::Start,
            bounds: Boundaries::new(0),
            next_try: 0,
            settled: Doc::default(),
            width: 0,
            lines: Vec::new(),
            carry: Carry::default(),
            tail_for: None,
            tail: Doc::default(),
            tail_lines: Vec::new(),
            cursor_on_settled: false,
        }
    }

    /// Whether the turn's text still begins with what was settled.
    fn follows(&self, t: &Turn) -> bool {
        let before = t
            .text
            .as_bytes()
            .get(self.done.saturating_sub(self.check.len())..self.done);
        self.attempts == t.attempts.len() && before == Some(self.check.as_slice())
    }

    fn body(&self) -> Body<'_> {
        let head = if self.cursor_on_settled {
            self.lines.split_last().map_or(&[][..], |(_, rest)| rest)
        } else {
            &self.lines
        };
        Body {
            head,
            tail: &self.tail_lines,
        }
    }

    /// Brings the layout up to the turn's text and `width`: settles what can be, reads the
    /// tail.
    fn layout(&mut self, t: &Turn, width: usize) {
        if self.width != width {
            self.width = width;
            self.lines.clear();
            let carry = layout::wrap(&self.settled, width, 0, None, &mut self.lines);
            self.carry = self.open_or_finish(carry);
            self.tail_for = None;
        }
        if self.tail_for == Some((t.text.len(), width)) {
            return;
        }
        self.settle(t);
        self.read_tail(t);
        self.tail_for = Some((t.text.len(), width));
    }

    /// A paragraph cut at a space stays open for the tail to carry on; otherwise its last
    /// row is settled too.
    fn open_or_finish(&mut self, carry: Carry) -> Carry {
        if self.resume == Resume::Paragraph {
            carry
        } else {
            carry.finish(&mut self.lines);
            Carry::default()
        }
    }

    /// Settles the text up to the last cut there is: between blocks, or inside a long
    /// paragraph.
    fn settle(&mut self, t: &Turn) {
        let text = t.text.as_str();
        let Some(rest) = text.get(self.done..) else {
            return;
        };
        // The claims block is cut out of the tail as it is out of the whole; only text
        // before it is settled.
        let prose = crate::domain::claims::prose(rest);
        if !rest.starts_with(prose.as_ref()) {
            return;
        }
        let limit = self.done + prose.len();
        self.bounds.scan(text, QUOTE_OPEN, QUOTE_CLOSE);
        if let Some(cut) = self.bounds.take_last(limit).filter(|&c| c > self.done) {
            self.commit(t, cut, Resume::Start);
            return;
        }
        let long = prose.len() > CUT_ABOVE;
        if !long || text.len() < self.next_try || self.bounds.in_fence() {
            return;
        }
        let Some(space) = space_to_cut(
            text.get(..limit).unwrap_or_default(),
            self.done,
            KEEP,
            QUOTE_OPEN,
            QUOTE_CLOSE,
        ) else {
            return;
        };
        let piece = text.get(self.done..space).unwrap_or_default();
        match paragraph_cut(piece, &self.resume) {
            Cut::Plain => self.commit(t, space, Resume::Paragraph),
            Cut::Risky if prose.len() > FORCE_ABOVE => self.commit(t, space, Resume::Paragraph),
            Cut::Risky | Cut::No => self.next_try = text.len() + RETRY_AFTER,
        }
    }

    /// Reads `text[done..cut]` into the settled doc and rows; after it the text is read from
    /// `then`.
    fn commit(&mut self, t: &Turn, cut: usize, then: Resume) {
        let piece = t.text.get(self.done..cut).unwrap_or_default();
        let mut doc = layout::prose_doc(piece, t, &self.resume);
        self.set_apart(&mut doc);
        let base = self.settled.base_for(&doc);
        let carry = std::mem::take(&mut self.carry);
        let carry = layout::wrap(&doc, self.width, base, Some(carry), &mut self.lines);
        self.settled.append(&doc);
        self.resume = then;
        self.carry = self.open_or_finish(carry);
        self.done = cut;
        self.check = t
            .text
            .as_bytes()
            .get(cut.saturating_sub(16)..cut)
            .unwrap_or_default()
            .to_vec();
        self.next_try = 0;
    }

    /// A part read after a cut between blocks follows a blank line: it is set apart.
    fn set_apart(&self, doc: &mut Doc) {
        if self.resume == Resume::Start
            && !self.settled.paras.is_empty()
            && let Some(first) = doc.paras.first_mut()
            && first.gap.is_none()
        {
            first.gap = Some(Vec::new());
        }
    }

    fn read_tail(&mut self, t: &Turn) {
        let rest = t.text.get(self.done..).unwrap_or_default();
        let prose = crate::domain::claims::prose(rest);
        let mut doc = layout::prose_doc(&prose, t, &self.resume);
        self.set_apart(&mut doc);
        let base = self.settled.base_for(&doc);
        let mut lines = Vec::new();
        layout::wrap(&doc, self.width, base, Some(self.carry.clone()), &mut lines)
            .finish(&mut lines);
        self.cursor_on_settled = lines.is_empty() && !self.lines.is_empty();
        if self.cursor_on_settled
            && let Some(last) = self.lines.last()
        {
            lines.push(last.clone());
        }
        layout::add_cursor(&mut lines);
        self.tail = doc;
        self.tail_lines = lines;
    }
}

#[cfg(test)]
mod tests;
