//! How a turn reads in the transcript, as lines of text with roles (prose, claim, error,
//! quote...), wrapped to a width. Plain data: the app measures heights with it, the ui paints
//! it in the theme's styles and caches what it painted.

use crate::app::visible::Redactor;
use crate::domain::quote::DiffKind;
use crate::domain::{QuoteClass, Relation, Session, Side, Turn, TurnStatus};
use crate::text::wrap::wrap;
use unicode_width::UnicodeWidthStr;

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
}

/// Emphasis within a role (Markdown's bold, italic and code).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Mods {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    pub text: String,
    pub role: Role,
    pub mods: Mods,
}

impl Seg {
    pub fn new(text: impl Into<String>, role: Role) -> Self {
        Seg {
            text: text.into(),
            role,
            mods: Mods::default(),
        }
    }
}

/// One row of the transcript.
pub type VLine = Vec<Seg>;

/// What a layout needs beyond the turn.
pub struct Context<'a> {
    pub session: &'a Session,
    pub redactor: &'a Redactor,
    /// Text columns.
    pub width: usize,
    /// The turn's speech is kept from the judge for now (a simultaneous round under way).
    pub hidden: bool,
}

/// The lines of a turn below its header (the header and the blank line after the body are
/// the painter's).
pub fn body(turn: &Turn, cx: &Context<'_>) -> Vec<VLine> {
    let width = cx.width.max(1);
    let mut lines: Vec<VLine> = Vec::new();
    if cx.hidden {
        lines.push(vec![Seg::new(
            format!(
                "(hidden until both speeches of round {} are in: {} words so far)",
                turn.round,
                turn.word_count()
            ),
            Role::Muted,
        )]);
        return lines;
    }
    prose(turn, width, &mut lines);
    if turn.status == TurnStatus::Streaming {
        match lines.last_mut() {
            Some(last) => last.push(Seg::new("▌", Role::Cursor)),
            None => lines.push(vec![Seg::new("▌", Role::Cursor)]),
        }
        return lines;
    }
    if let Some(cut) = &turn.cut {
        let removed = cut.removed.split_whitespace().count();
        hanging(
            &mut lines,
            "✂ ",
            Role::Cut,
            &format!(
                "cut at the limit of {}: {removed} more words not shown to the judge or the opponent",
                cut.limit
            ),
            Role::Cut,
            width,
        );
    }
    quote_notes(turn, cx, width, &mut lines);
    if !turn.claims.is_empty() || !turn.concessions.is_empty() {
        lines.push(Vec::new());
    }
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
        hanging(&mut lines, &head, role, &claim.text, Role::Muted, width);
    }
    for c in &turn.concessions {
        let head = format!("⚑ concedes {}: ", c.target);
        hanging(
            &mut lines,
            &head,
            Role::Concession,
            &c.reason,
            Role::Muted,
            width,
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
            &mut lines,
            &format!("↻ attempt {}: ", i + 1),
            Role::Muted,
            &text,
            Role::Muted,
            width,
        );
    }
    if let Some(error) = &turn.error {
        let head = format!("✗ {}: ", turn.status.label());
        hanging(
            &mut lines,
            &head,
            Role::Error,
            &cx.redactor.chrome(error),
            Role::Error,
            width,
        );
    }
    for w in &turn.warnings {
        // A server's note (a refused feature) may name the model: blind judging hides it.
        let w = cx.redactor.chrome(w);
        hanging(&mut lines, "⚠ ", Role::Warning, &w, Role::Warning, width);
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
        lines.push(Vec::new());
        hanging(&mut lines, &head, Role::Judge, text, Role::Text, width);
    }
    lines
}

/// The speech (its claims block cut out), wrapped, with its quotes in their class's role.
fn prose(turn: &Turn, width: usize, lines: &mut Vec<VLine>) {
    let text = turn.prose();
    let role = Role::Prose(turn.side);
    let quote_roles: Vec<Role> = turn
        .quotes
        .iter()
        .map(|q| {
            if q.over_budget {
                Role::OverBudget
            } else {
                Role::Quote(q.class)
            }
        })
        .collect();
    let mut quote_index = 0usize;
    let mut in_quote: Option<Role> = None;
    for row in wrap(text.trim(), width) {
        let mut line: VLine = Vec::new();
        let mut rest = row.as_str();
        // Quote markers become quotation marks, and what they enclose takes the quote's role
        // (a quote can span rows).
        loop {
            let next_open = rest.find(QUOTE_OPEN);
            let next_close = rest.find(QUOTE_CLOSE);
            match (in_quote, next_open, next_close) {
                (Some(q), _, Some(c)) => {
                    push(&mut line, &rest[..c], q);
                    push(&mut line, "”", q);
                    rest = &rest[c + QUOTE_CLOSE.len()..];
                    in_quote = None;
                }
                (Some(q), _, None) => {
                    push(&mut line, rest, q);
                    break;
                }
                (None, Some(o), _) => {
                    push(&mut line, &rest[..o], role);
                    let q = quote_roles
                        .get(quote_index)
                        .copied()
                        .unwrap_or(Role::Quote(QuoteClass::Unchecked));
                    quote_index += 1;
                    push(&mut line, "“", q);
                    rest = &rest[o + QUOTE_OPEN.len()..];
                    in_quote = Some(q);
                }
                (None, None, _) => {
                    push(&mut line, rest, role);
                    break;
                }
            }
        }
        lines.push(line);
    }
}

/// Under a speech: each close quote and how it differs from the source, and the point where
/// the quote budget was passed. Before the judge may read the source, only the quote's own
/// words that the source lacks are shown (they are the debater's, so they reveal nothing);
/// after, the whole word diff with the source's words it dropped.
fn quote_notes(turn: &Turn, cx: &Context<'_>, width: usize, lines: &mut Vec<VLine>) {
    let source = cx.session.source_text.as_deref();
    let readable = cx.session.source_for_judge();
    for q in turn.quotes.iter().filter(|q| q.class == QuoteClass::Close) {
        let pct = q
            .similarity
            .map_or(String::new(), |s| format!(" ({:.0}% alike)", s * 100.0));
        let parts = source.and_then(|src| q.diff(src)).unwrap_or_default();
        let mut line: VLine = vec![Seg::new("≈ ", Role::Quote(QuoteClass::Close))];
        if readable.is_some() && !parts.is_empty() {
            line.push(Seg::new(format!("close quote{pct}: "), Role::Muted));
            for p in &parts {
                let role = match p.kind {
                    DiffKind::Same => Role::Muted,
                    DiffKind::Inserted => Role::DiffInserted,
                    DiffKind::Dropped => Role::DiffDropped,
                };
                line.push(Seg::new(format!("{} ", p.text.trim()), role));
            }
        } else {
            let inserted: Vec<String> = parts
                .iter()
                .filter(|p| p.kind == DiffKind::Inserted)
                .map(|p| format!("“{}”", p.text.trim()))
                .collect();
            let words = crate::text::wrap::truncate(&q.text, 40);
            line.push(Seg::new(format!("“{words}” is close{pct}"), Role::Muted));
            if !inserted.is_empty() {
                line.push(Seg::new("; not in the source: ", Role::Muted));
                line.push(Seg::new(inserted.join(", "), Role::DiffInserted));
            }
        }
        wrap_styled(lines, &line, width);
    }
    if let Some(limit) = cx.session.protocol.quote_limit
        && turn.quotes.iter().any(|q| q.over_budget)
    {
        hanging(
            lines,
            "✂ ",
            Role::OverBudget,
            &format!("quotes past the budget of {limit} characters per speech are struck through"),
            Role::Muted,
            width,
        );
    }
}

/// Wraps a line of styled segments to `width`, continuation rows indented by two columns.
/// Segments split at spaces, so a style holds across the break.
fn wrap_styled(lines: &mut Vec<VLine>, line: &VLine, width: usize) {
    let width = width.max(3);
    let mut row: VLine = Vec::new();
    let mut row_w = 0usize;
    for seg in line {
        for (i, word) in seg.text.split(' ').enumerate() {
            let piece = if i == 0 {
                word.to_string()
            } else {
                format!(" {word}")
            };
            let w = piece.width();
            if row_w + w > width && row_w > 2 {
                lines.push(std::mem::take(&mut row));
                row.push(Seg::new("  ", Role::Muted));
                row_w = 2;
                let trimmed = piece.trim_start().to_string();
                row_w += trimmed.width();
                push(&mut row, &trimmed, seg.role);
                continue;
            }
            row_w += w;
            push(&mut row, &piece, seg.role);
        }
    }
    if !row.is_empty() {
        lines.push(row);
    }
}

const QUOTE_OPEN: &str = "<quote>";
const QUOTE_CLOSE: &str = "</quote>";

fn push(line: &mut VLine, text: &str, role: Role) {
    if !text.is_empty() {
        line.push(Seg::new(text, role));
    }
}

/// A labelled entry whose text wraps under itself, indented by two columns.
fn hanging(
    lines: &mut Vec<VLine>,
    head: &str,
    head_role: Role,
    text: &str,
    text_role: Role,
    width: usize,
) {
    let full = format!("{head}{text}");
    let head = head.trim_end();
    for (i, l) in wrap(&full, width.saturating_sub(2).max(1))
        .into_iter()
        .enumerate()
    {
        match l.strip_prefix(head) {
            Some(rest) if i == 0 => {
                lines.push(vec![Seg::new(head, head_role), Seg::new(rest, text_role)]);
            }
            _ => lines.push(vec![Seg::new(format!("  {l}"), text_role)]),
        }
    }
}

/// The text of a line, for searching and tests.
pub fn plain(line: &VLine) -> String {
    line.iter().map(|s| s.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Quote, Span};

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
        let s = session();
        let cx = Context {
            session: &s,
            redactor: &Redactor::open(),
            width: 80,
            hidden: false,
        };
        let lines = body(&t, &cx);
        assert_eq!(plain(&lines[0]), "He said “the tide turned” and left.");
        assert!(
            lines[0]
                .iter()
                .any(|seg| seg.role == Role::Quote(QuoteClass::Exact)
                    && seg.text == "the tide turned")
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
}
