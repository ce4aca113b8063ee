//! How a turn reads in the transcript. A turn's body is first a [`Doc`]: blocks of styled text
//! with the roles the theme styles (prose, claim, error, quote...), the same at any width; it is
//! what search looks in. Wrapped to a width it becomes rows ([`VLine`]s), each piece of which
//! remembers where in the doc's text it came from, so a match is painted on the rows it fell
//! on. Plain data: the app measures heights with it, the ui paints it.
//!
//! A speech is read as Markdown (`text::markdown`); its `<quote>` marks become quotation marks,
//! and what they enclose takes the quote's class, across emphasis and rows.

use crate::app::visible::Redactor;
use crate::domain::quote::DiffKind;
use crate::domain::quote::{CLOSE as QUOTE_CLOSE, OPEN as QUOTE_OPEN, marked};
use crate::domain::{QuoteClass, Relation, Session, Side, Turn, TurnStatus};
use crate::text::markdown::{self, Kind, Mark, Marks, Resume};
use crate::text::wrap::{Piece, Row, Wrapper};
use std::ops::Range;

/// What a piece of text is, for the theme to style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A side's speech.
    Prose(Side),
    Text,
    Muted,
    Accent,
    Supports,
    Attacks,
    Concession,
    Error,
    Warning,
    Judge,
    /// Quoted source, by how well it matched.
    Quote(QuoteClass),
    /// Quoted text past the protocol's quote budget.
    OverBudget,
    /// Words a close quote has that the source lacks.
    DiffInserted,
    /// Source words a close quote left out.
    DiffDropped,
    /// The marker where a speech was cut to its length limit.
    Cut,
    /// The cursor of a turn still streaming.
    Cursor,
    /// A heading in a speech.
    Heading,
    /// A link's text in a speech.
    Link,
}

/// Emphasis within a role (Markdown's bold, italic and code).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Mods {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
}

/// A role and its emphasis: how a piece of text looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Look {
    pub role: Role,
    pub mods: Mods,
}

impl Look {
    pub fn of(role: Role) -> Self {
        Look {
            role,
            mods: Mods::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    pub text: String,
    pub role: Role,
    pub mods: Mods,
    /// Where the text starts in the turn's doc, when it is the doc's text as it is (a gutter,
    /// a bullet or the cursor is not).
    pub at: Option<usize>,
}

impl Seg {
    pub fn new(text: impl Into<String>, role: Role) -> Self {
        Seg {
            text: text.into(),
            role,
            mods: Mods::default(),
            at: None,
        }
    }
}

/// One row of the transcript.
pub type VLine = Vec<Seg>;

/// How a paragraph is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaKind {
    Words,
    /// Code: lines kept, broken where too wide.
    Code,
    /// A horizontal rule across the row.
    Rule,
}

/// A block of a doc: its text (a range of the doc's), styled in runs, and what comes before
/// its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub kind: ParaKind,
    pub first: Vec<Seg>,
    pub rest: Vec<Seg>,
    /// A blank row before it, with these gutters.
    pub gap: Option<Vec<Seg>>,
    /// It carries on the row the previous paragraph ended on.
    pub continues: bool,
    pub runs: Vec<(Range<usize>, Look)>,
}

/// A body before wrapping: its text (what search reads: the paragraphs, one line break
/// between them) and its paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    pub text: String,
    pub paras: Vec<Para>,
}

impl Doc {
    /// Starts a paragraph.
    pub fn begin(
        &mut self,
        kind: ParaKind,
        first: Vec<Seg>,
        rest: Vec<Seg>,
        gap: Option<Vec<Seg>>,
    ) {
        self.begin_para(Para {
            kind,
            first,
            rest,
            gap,
            continues: false,
            runs: Vec::new(),
        });
    }

    fn begin_para(&mut self, para: Para) {
        // Paragraphs are apart in the text, so a match never spans two; a paragraph that
        // carries on another is part of it.
        if !self.paras.is_empty() && !para.continues {
            self.text.push('\n');
        }
        self.paras.push(para);
    }

    /// Adds text to the paragraph begun last.
    pub fn push(&mut self, text: &str, look: Look) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        let end = self.text.len();
        let Some(para) = self.paras.last_mut() else {
            return;
        };
        match para.runs.last_mut() {
            Some((r, l)) if *l == look && r.end == start => r.end = end,
            _ => para.runs.push((start..end, look)),
        }
    }

    /// Appends `other` (its runs move past this doc's text).
    pub fn append(&mut self, other: &Doc) {
        for para in &other.paras {
            self.begin_para(Para {
                runs: Vec::new(),
                ..para.clone()
            });
            for (range, look) in &para.runs {
                self.push(other.text.get(range.clone()).unwrap_or_default(), *look);
            }
        }
    }

    /// Where `next`'s text would start if it were appended to this doc.
    pub fn base_for(&self, next: &Doc) -> usize {
        let apart = !self.paras.is_empty() && next.paras.first().is_some_and(|p| !p.continues);
        self.text.len() + usize::from(apart)
    }
}

/// What a layout needs beyond the turn.
pub struct Context<'a> {
    pub session: &'a Session,
    pub redactor: &'a Redactor,
    /// Text columns.
    pub width: usize,
    /// The turn's speech is kept from the judge for now (a simultaneous round under way).
    pub hidden: bool,
}

/// The lines of a turn below its header, all at once (the header and the blank line after
/// the body are the painter's). The transcript's cache builds the same from its parts, a
/// streaming turn's without reading it all again.
pub fn body(turn: &Turn, cx: &Context<'_>) -> Vec<VLine> {
    let mut lines = Vec::new();
    if cx.hidden {
        wrap(&hidden_doc(turn), cx.width, 0, None, &mut lines).finish(&mut lines);
        return lines;
    }
    let prose = prose_doc(&turn.prose(), turn, &Resume::Start);
    let carry = wrap(&prose, cx.width, 0, None, &mut lines);
    carry.finish(&mut lines);
    if turn.status == TurnStatus::Streaming {
        add_cursor(&mut lines);
        return lines;
    }
    let extras = extras_doc(turn, cx);
    let base = prose.base_for(&extras);
    wrap(&extras, cx.width, base, None, &mut lines).finish(&mut lines);
    lines
}

/// The cursor of a streaming turn, after its last word.
pub fn add_cursor(lines: &mut Vec<VLine>) {
    let cursor = Seg::new("▌", Role::Cursor);
    match lines.last_mut() {
        Some(last) => last.push(cursor),
        None => lines.push(vec![cursor]),
    }
}

/// What a hidden turn shows: that it is hidden, and how far it has got.
pub fn hidden_doc(turn: &Turn) -> Doc {
    let mut doc = Doc::default();
    doc.begin(ParaKind::Words, Vec::new(), Vec::new(), None);
    doc.push(
        &format!(
            "(hidden until both speeches of round {} are in: {} words so far)",
            turn.round,
            turn.word_count()
        ),
        Look::of(Role::Muted),
    );
    doc
}

/// The role of each quote of a turn, in order.
fn quote_roles(turn: &Turn) -> Vec<Role> {
    turn.quotes
        .iter()
        .map(|q| {
            if q.over_budget {
                Role::OverBudget
            } else {
                Role::Quote(q.class)
            }
        })
        .collect()
}

/// The quote marks of `src`, as the quote checker reads them. The checker trims a quote's
/// words, so a mark runs from its marker to the words (white space between goes with it).
pub fn marks(src: &str) -> Vec<Mark> {
    marked(src)
        .into_iter()
        .filter_map(|span| {
            let before = src.get(..span.start)?;
            let start = before.trim_end().len().checked_sub(QUOTE_OPEN.len())?;
            let marker = before.get(start..start + QUOTE_OPEN.len())?;
            if !marker.eq_ignore_ascii_case(QUOTE_OPEN) {
                return None;
            }
            let after = src.get(span.end..)?;
            let gap = after.len() - after.trim_start().len();
            let close = after
                .get(gap..gap + QUOTE_CLOSE.len())
                .is_some_and(|m| m.eq_ignore_ascii_case(QUOTE_CLOSE))
                .then(|| span.end..span.end + gap + QUOTE_CLOSE.len());
            Some(Mark {
                open: start..span.start,
                close,
            })
        })
        .collect()
}

/// A speech (or a part of one, read from `resume`), read as Markdown. Quotes take their
/// class's role (a part's quotes are numbered from its start: only a finished turn's quotes
/// are checked, and a finished turn is read whole).
pub fn prose_doc(src: &str, turn: &Turn, resume: &Resume) -> Doc {
    let roles = quote_roles(turn);
    let spans = marks(src);
    let blocks = markdown::read(
        src,
        Marks {
            spans: &spans,
            open: "“",
            close: "”",
        },
        resume,
    );
    let prose = Role::Prose(turn.side);
    let mut doc = Doc::default();
    let gutter = |s: &str| {
        if s.is_empty() {
            Vec::new()
        } else {
            vec![Seg::new(s, Role::Muted)]
        }
    };
    for block in &blocks {
        let kind = match block.kind {
            Kind::Text => ParaKind::Words,
            Kind::Code => ParaKind::Code,
            Kind::Rule => ParaKind::Rule,
        };
        doc.begin_para(Para {
            kind,
            first: gutter(&block.first),
            rest: gutter(&block.rest),
            gap: block.gap.as_deref().map(gutter),
            continues: block.continues,
            runs: Vec::new(),
        });
        if kind == ParaKind::Rule {
            continue;
        }
        for (range, style) in block.styled() {
            let role = match style.mark {
                Some(k) => roles
                    .get(k)
                    .copied()
                    .unwrap_or(Role::Quote(QuoteClass::Unchecked)),
                None if style.muted => Role::Muted,
                None if style.heading => Role::Heading,
                None if style.link => Role::Link,
                None => prose,
            };
            let mods = Mods {
                bold: style.bold,
                italic: style.italic,
                code: style.code,
            };
            doc.push(
                block.text.get(range).unwrap_or_default(),
                Look { role, mods },
            );
        }
    }
    doc
}

/// What follows a finished speech: the cut, its claims and concessions, earlier attempts, the
/// error, warnings, the judge's messages after it.
pub fn extras_doc(turn: &Turn, cx: &Context<'_>) -> Doc {
    let mut doc = Doc::default();
    if let Some(cut) = &turn.cut {
        let removed = cut.removed.split_whitespace().count();
        hanging(
            &mut doc,
            None,
            "✂ ",
            Role::Cut,
            &format!(
                "cut at the limit of {}: {removed} more words not shown to the judge or the opponent",
                cut.limit
            ),
            Role::Cut,
        );
    }
    quote_notes(turn, cx, &mut doc);
    let mut gap = (!turn.claims.is_empty() || !turn.concessions.is_empty()).then(Vec::new);
    for claim in &turn.claims {
        let (glyph, role) = match claim.relation {
            Relation::Supports => ("+", Role::Supports),
            Relation::Attacks => ("×", Role::Attacks),
        };
        let head = format!(
            "{glyph} {} {} {}: ",
            claim.id,
            claim.relation.as_str(),
            claim.target
        );
        hanging(&mut doc, gap.take(), &head, role, &claim.text, Role::Muted);
    }
    for c in &turn.concessions {
        let head = format!("⚑ concedes {}: ", c.target);
        hanging(
            &mut doc,
            gap.take(),
            &head,
            Role::Concession,
            &c.reason,
            Role::Muted,
        );
    }
    for (i, a) in turn.attempts.iter().enumerate() {
        let why = a.error.as_deref().unwrap_or(a.status.label());
        let text = format!(
            "{} after {} words: {}",
            a.status.label(),
            a.text.split_whitespace().count(),
            cx.redactor.chrome(why)
        );
        hanging(
            &mut doc,
            None,
            &format!("↻ attempt {}: ", i + 1),
            Role::Muted,
            &text,
            Role::Muted,
        );
    }
    if let Some(error) = &turn.error {
        let head = format!("✗ {}: ", turn.status.label());
        hanging(
            &mut doc,
            None,
            &head,
            Role::Error,
            &cx.redactor.chrome(error),
            Role::Error,
        );
    }
    for w in &turn.warnings {
        // A server's note (a refused feature) may name the model: blind judging hides it.
        let w = cx.redactor.chrome(w);
        hanging(&mut doc, None, "⚠ ", Role::Warning, &w, Role::Warning);
    }
    for (_, to, text) in cx
        .session
        .messages()
        .filter(|(after, ..)| *after == Some(turn.index))
    {
        let head = match to {
            Some(side) => format!("◆ Judge → {side}: "),
            None => "◆ Judge → both: ".to_string(),
        };
        hanging(
            &mut doc,
            Some(Vec::new()),
            &head,
            Role::Judge,
            text,
            Role::Text,
        );
    }
    doc
}

/// Under a speech: each close quote and how it differs from the source, and the point where
/// the quote budget was passed. Before the judge may read the source, only the quote's own
/// words that the source lacks are shown (they are the debater's, so they reveal nothing);
/// after, the whole word diff with the source's words it dropped.
fn quote_notes(turn: &Turn, cx: &Context<'_>, doc: &mut Doc) {
    let source = cx.session.source_text.as_deref();
    let readable = cx.session.source_for_judge();
    for q in turn.quotes.iter().filter(|q| q.class == QuoteClass::Close) {
        let pct = q
            .similarity
            .map_or(String::new(), |s| format!(" ({:.0}% alike)", s * 100.0));
        let parts = source.and_then(|src| q.diff(src)).unwrap_or_default();
        doc.begin(
            ParaKind::Words,
            Vec::new(),
            vec![Seg::new("  ", Role::Muted)],
            None,
        );
        doc.push("≈ ", Look::of(Role::Quote(QuoteClass::Close)));
        if readable.is_some() && !parts.is_empty() {
            doc.push(&format!("close quote{pct}: "), Look::of(Role::Muted));
            for p in &parts {
                let role = match p.kind {
                    DiffKind::Same => Role::Muted,
                    DiffKind::Inserted => Role::DiffInserted,
                    DiffKind::Dropped => Role::DiffDropped,
                };
                doc.push(&format!("{} ", p.text.trim()), Look::of(role));
            }
        } else {
            let inserted: Vec<String> = parts
                .iter()
                .filter(|p| p.kind == DiffKind::Inserted)
                .map(|p| format!("“{}”", p.text.trim()))
                .collect();
            let words = crate::text::wrap::truncate(&q.text, 40);
            doc.push(&format!("“{words}” is close{pct}"), Look::of(Role::Muted));
            if !inserted.is_empty() {
                doc.push("; not in the source: ", Look::of(Role::Muted));
                doc.push(&inserted.join(", "), Look::of(Role::DiffInserted));
            }
        }
    }
    if let Some(limit) = cx.session.protocol.quote_limit
        && turn.quotes.iter().any(|q| q.over_budget)
    {
        hanging(
            doc,
            None,
            "✂ ",
            Role::OverBudget,
            &format!("quotes past the budget of {limit} characters per speech are struck through"),
            Role::Muted,
        );
    }
}

/// A labelled entry whose text wraps under itself, indented by two columns.
fn hanging(
    doc: &mut Doc,
    gap: Option<Vec<Seg>>,
    head: &str,
    head_role: Role,
    text: &str,
    text_role: Role,
) {
    doc.begin(
        ParaKind::Words,
        Vec::new(),
        vec![Seg::new("  ", text_role)],
        gap,
    );
    doc.push(head, Look::of(head_role));
    doc.push(text, Look::of(text_role));
}

/// The wrapper's rows as the transcript's.
fn rows_to_lines(rows: Vec<Row<Look>>, out: &mut Vec<VLine>) {
    out.extend(rows.into_iter().map(|row| {
        row.into_iter()
            .map(|p| Seg {
                text: p.text,
                role: p.style.role,
                mods: p.style.mods,
                at: p.at,
            })
            .collect()
    }));
}

fn pieces(segs: &[Seg]) -> Row<Look> {
    segs.iter()
        .map(|s| Piece {
            text: s.text.clone(),
            style: Look {
                role: s.role,
                mods: s.mods,
            },
            at: None,
        })
        .collect()
}

/// A paragraph being wrapped that the next one may carry on.
#[derive(Debug, Clone)]
pub struct Open {
    wrapper: Wrapper<Look>,
}

impl Open {
    /// The paragraph's last row.
    pub fn finish(self, out: &mut Vec<VLine>) {
        let mut rows = Vec::new();
        self.wrapper.finish(&mut rows);
        rows_to_lines(rows, out);
    }
}

/// What [`wrap`] leaves: the last paragraph, unfinished when it is words (a paragraph that
/// carries on it continues its row).
#[derive(Debug, Clone, Default)]
pub struct Carry(Option<Open>);

impl Carry {
    pub fn finish(self, out: &mut Vec<VLine>) {
        if let Some(open) = self.0 {
            open.finish(out);
        }
    }
}

/// Wraps `doc` to `width`, its offsets moved by `base`, carrying on from `carry` if the first
/// paragraph continues it. Finished rows go to `out`.
pub fn wrap(
    doc: &Doc,
    width: usize,
    base: usize,
    carry: Option<Carry>,
    out: &mut Vec<VLine>,
) -> Carry {
    let width = width.max(1);
    let mut open = carry.and_then(|c| c.0);
    for para in &doc.paras {
        if !para.continues
            && let Some(o) = open.take()
        {
            o.finish(out);
        }
        if let Some(gap) = &para.gap {
            out.push(gap.clone());
        }
        match para.kind {
            ParaKind::Rule => {
                let used: usize = para
                    .first
                    .iter()
                    .map(|s| unicode_width::UnicodeWidthStr::width(s.text.as_str()))
                    .sum();
                let mut line = para.first.clone();
                line.push(Seg::new(
                    "─".repeat(width.saturating_sub(used).max(1)),
                    Role::Muted,
                ));
                out.push(line);
            }
            ParaKind::Words | ParaKind::Code => {
                let mut o = match open.take() {
                    Some(o) if para.continues && para.kind == ParaKind::Words => o,
                    other => {
                        if let Some(o) = other {
                            o.finish(out);
                        }
                        let (first, rest) = (pieces(&para.first), pieces(&para.rest));
                        Open {
                            wrapper: if para.kind == ParaKind::Code {
                                Wrapper::code(width, first, rest)
                            } else {
                                Wrapper::new(width, first, rest)
                            },
                        }
                    }
                };
                let mut rows = Vec::new();
                for (range, look) in &para.runs {
                    let text = doc.text.get(range.clone()).unwrap_or_default();
                    let look = if para.kind == ParaKind::Code {
                        Look {
                            mods: Mods {
                                code: true,
                                ..look.mods
                            },
                            ..*look
                        }
                    } else {
                        *look
                    };
                    o.wrapper
                        .push(text, look, base.saturating_add(range.start), &mut rows);
                }
                rows_to_lines(rows, out);
                open = Some(o);
            }
        }
    }
    Carry(open)
}

/// The text of a line, for searching and tests.
pub fn plain(line: &VLine) -> String {
    line.iter().map(|s| s.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Quote, Span};
    use unicode_width::UnicodeWidthStr;

    fn turn(text: &str) -> Turn {
        let mut t = Turn::begin(0, 1, Side::A, "root", time::OffsetDateTime::UNIX_EPOCH);
        t.text = text.into();
        t.status = TurnStatus::Complete;
        t
    }

    fn session() -> Session {
        let script = crate::providers::scripted::script::DemoScript::bundled().unwrap();
        Session::new(script.setup(), time::OffsetDateTime::UNIX_EPOCH)
    }

    fn lines_of(t: &Turn, width: usize) -> Vec<VLine> {
        let s = session();
        let cx = Context {
            session: &s,
            redactor: &Redactor::open(),
            width,
            hidden: false,
        };
        body(t, &cx)
    }

    #[test]
    fn quotes_take_their_class_and_lose_their_markers() {
        let mut t = turn("He said <quote>the tide turned</quote> and left.");
        t.quotes.push(Quote {
            at: Span { start: 15, end: 30 },
            text: "the tide turned".into(),
            class: QuoteClass::Exact,
            source: None,
            similarity: Some(1.0),
            over_budget: false,
        });
        let lines = lines_of(&t, 80);
        assert_eq!(plain(&lines[0]), "He said “the tide turned” and left.");
        assert!(lines[0].iter().any(
            |seg| seg.role == Role::Quote(QuoteClass::Exact) && seg.text == "“the tide turned”"
        ));
    }

    #[test]
    fn a_quote_keeps_its_class_across_rows_and_emphasis() {
        let mut t = turn("Said <quote>the *tide* turned at dawn</quote> then.");
        t.quotes.push(Quote {
            at: Span { start: 12, end: 39 },
            text: "the *tide* turned at dawn".into(),
            class: QuoteClass::Close,
            source: None,
            similarity: Some(0.9),
            over_budget: false,
        });
        let lines = lines_of(&t, 12);
        let quoted: Vec<&Seg> = lines
            .iter()
            .flatten()
            .filter(|s| s.role == Role::Quote(QuoteClass::Close))
            .collect();
        let text: Vec<String> = lines
            .iter()
            .map(|l| {
                l.iter()
                    // The close quote's note under the speech is not the quote.
                    .filter(|s| {
                        s.role == Role::Quote(QuoteClass::Close) && !s.text.starts_with('≈')
                    })
                    .map(|s| s.text.as_str())
                    .collect()
            })
            .collect();
        assert_eq!(
            text.join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            "“the tide turned at dawn”"
        );
        assert!(quoted.iter().any(|s| s.text == "tide" && s.mods.italic));
        let rows_with_quote = lines
            .iter()
            .filter(|l| l.iter().any(|s| s.role == Role::Quote(QuoteClass::Close)))
            .count();
        assert!(rows_with_quote >= 2, "the quote spans rows");
    }

    #[test]
    fn markdown_is_styled_and_offsets_point_into_the_doc() {
        let t = turn("# Plan\n\n- **first**: cut traffic\n- then `fund` buses\n");
        let lines = lines_of(&t, 40);
        let rows: Vec<String> = lines.iter().map(plain).collect();
        assert_eq!(
            rows,
            vec!["Plan", "", "• first: cut traffic", "• then fund buses"]
        );
        assert!(lines[0][0].mods.bold && lines[0][0].role == Role::Heading);
        let first = lines[2].iter().find(|s| s.text == "first").unwrap();
        assert!(first.mods.bold);
        assert_eq!(first.role, Role::Prose(Side::A));
        let doc = prose_doc(&t.prose(), &t, &Resume::Start);
        for seg in lines.iter().flatten() {
            if let Some(at) = seg.at {
                assert_eq!(&doc.text[at..at + seg.text.len()], seg.text);
            }
        }
    }

    #[test]
    fn claims_and_messages_follow_the_speech() {
        let mut t = turn("Speech.");
        t.claims.push(crate::domain::Claim {
            id: "A1".into(),
            relation: Relation::Supports,
            target: "root".into(),
            text: "A claim that is long enough to wrap onto a second row".into(),
            source: Default::default(),
        });
        let rows: Vec<String> = lines_of(&t, 30).iter().map(plain).collect();
        assert_eq!(
            rows,
            vec![
                "Speech.",
                "",
                "+ A1 supports root: A claim",
                "  that is long enough to wrap",
                "  onto a second row",
            ]
        );
    }

    #[test]
    fn a_close_quote_shows_its_extra_words_and_after_the_verdict_the_sources() {
        let mut s = session();
        s.source_text = Some("The keeper lit the lamp at dusk every night for forty years.".into());
        let t = s.begin_turn(Side::A, 1, "root", time::OffsetDateTime::UNIX_EPOCH);
        s.push_text(
            t,
            "As written: <quote>the keeper lit the great lamp at dusk every night for years</quote>.",
        );
        let now = time::OffsetDateTime::UNIX_EPOCH;
        s.finish_turn(t, crate::domain::TurnOutcome::Complete, None, now);
        let turn = s.turn(t).unwrap().clone();
        assert_eq!(turn.quotes[0].class, QuoteClass::Close, "{:?}", turn.quotes);
        let text = |s: &Session| -> String {
            let cx = Context {
                session: s,
                redactor: &Redactor::open(),
                width: 60,
                hidden: false,
            };
            body(&turn, &cx)
                .iter()
                .map(plain)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let before = text(&s);
        assert!(before.contains("not in the source: “great”"), "{before}");
        assert!(
            !before.contains("forty"),
            "the source's words stay hidden: {before}"
        );
        s.record_verdict(Side::A, 0.7, String::new(), None, now);
        let after = text(&s);
        assert!(after.contains("forty"), "the dropped words, now: {after}");
        assert!(after.contains("great"), "{after}");
        let cx = Context {
            session: &s,
            redactor: &Redactor::open(),
            width: 60,
            hidden: false,
        };
        assert!(
            body(&turn, &cx)
                .iter()
                .flatten()
                .any(|seg| seg.role == Role::DiffDropped && seg.text.contains("forty"))
        );
        assert!(body(&turn, &cx).iter().all(|l| plain(l).width() <= 60));
    }

    #[test]
    fn a_hidden_turn_shows_only_that_it_is_hidden() {
        let t = turn("secret words");
        let s = session();
        let cx = Context {
            session: &s,
            redactor: &Redactor::open(),
            width: 80,
            hidden: true,
        };
        let text: String = body(&t, &cx).iter().map(plain).collect();
        assert!(!text.contains("secret"));
        assert!(text.contains("hidden until both speeches"));
    }

    #[test]
    fn docs_append_with_their_offsets_moved() {
        let t = turn("");
        let a = prose_doc("one *two*", &t, &Resume::Start);
        let b = prose_doc(" three four", &t, &Resume::Paragraph);
        let c = prose_doc("five", &t, &Resume::Start);
        let mut doc = a.clone();
        doc.append(&b);
        doc.append(&c);
        assert_eq!(doc.text, "one two three four\nfive");
        let texts: Vec<&str> = doc
            .paras
            .iter()
            .flat_map(|p| p.runs.iter().map(|(r, _)| &doc.text[r.clone()]))
            .collect();
        assert_eq!(texts, vec!["one ", "two", " three four", "five"]);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;
        use unicode_segmentation::UnicodeSegmentation;
        use unicode_width::UnicodeWidthStr;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]

            /// Any speech at all: no panic, and no row wider than the pane (or than the widest
            /// grapheme, which is never split).
            #[test]
            fn any_speech_fits_the_pane(src in "\\PC{0,300}", width in 2usize..60) {
                let widest = src.graphemes(true).map(UnicodeWidthStr::width).max().unwrap_or(0);
                for line in lines_of(&turn(&src), width) {
                    let row = plain(&line);
                    prop_assert!(row.width() <= width.max(widest), "{row:?} wider than {width}");
                }
            }

            /// A speech of Markdown: every word of its text is on some row, whole or broken
            /// across rows when wider than the pane (a list's number is markup, not a word;
            /// gutters and bullets, which are not the speech's text, are left out).
            #[test]
            fn every_word_of_a_speech_is_shown(
                src in "([a-z]{1,8}|[ \\n*_#>\\-+.|!`\\[\\]]|\\n```\\n|1\\. |---|<quote>|</quote>){0,80}",
                width in 8usize..60,
            ) {
                let lines = lines_of(&turn(&src), width);
                let shown: String = lines
                    .iter()
                    .flatten()
                    .filter(|s| s.at.is_some())
                    .map(|s| s.text.as_str())
                    .collect::<String>()
                    .split_whitespace()
                    .collect();
                let words = src.replace("<quote>", " ").replace("</quote>", " ");
                let words = words.split(|c: char| !c.is_ascii_lowercase()).filter(|w| !w.is_empty());
                for word in words {
                    prop_assert!(shown.contains(word), "{word:?} missing from {shown:?} (source {src:?})");
                }
            }
        }
    }
}
