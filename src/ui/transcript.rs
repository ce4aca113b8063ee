//! Painting the transcript pane. Each turn's body is laid out and styled once per width and
//! kept in a render cache until the turn changes; a frame paints only the rows in view, so it
//! costs the same at ten turns as at ten thousand. Where the view starts and which turn is
//! selected come from the app's state.

use super::style;
use crate::app::App;
use crate::app::transcript::layout::{self as tlayout, Context};
use crate::app::transcript::{Anchor, Transcript};
use crate::domain::{Turn, TurnStatus};
use crate::engine::Activity;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::collections::HashMap;
use time::OffsetDateTime;

/// A turn's body as painted, and what it was painted from.
#[derive(Debug)]
struct Painted {
    key: u64,
    lines: Vec<Line<'static>>,
}

/// The transcript's render cache: the bodies of the turns painted so far, at one width.
#[derive(Debug, Default)]
pub struct TranscriptCache {
    width: usize,
    theme: String,
    bodies: HashMap<usize, Painted>,
}

impl TranscriptCache {
    /// The body of `turn`, laid out and styled now if it changed since it was last painted.
    fn body(&mut self, app: &App, turn: usize, width: usize) -> Option<&[Line<'static>]> {
        let theme = app.theme();
        if width != self.width || theme.name != self.theme {
            self.bodies.clear();
            self.width = width;
            self.theme.clone_from(&theme.name);
        }
        let session = app.session();
        let t = session.turn(turn)?;
        let hidden = app.engine.is_hidden(turn);
        let key = body_key(app, t, hidden);
        let stale = self.bodies.get(&turn).is_none_or(|p| p.key != key);
        if stale {
            let cx = Context {
                session,
                redactor: app.redactor(),
                width,
                hidden,
            };
            let lines = tlayout::body(t, &cx)
                .iter()
                .map(|l| style::line(theme, l))
                .collect();
            self.bodies.insert(turn, Painted { key, lines });
        }
        self.bodies.get(&turn).map(|p| p.lines.as_slice())
    }

    /// Rows of a turn's block: header, body, one blank line.
    fn height(&mut self, app: &App, turn: usize, width: usize) -> usize {
        self.body(app, turn, width).map_or(0, |b| b.len() + 2)
    }
}

/// What a turn's painted body depends on.
fn body_key(app: &App, t: &Turn, hidden: bool) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.text.len().hash(&mut h);
    t.status.hash(&mut h);
    (t.claims.len(), t.concessions.len(), t.warnings.len()).hash(&mut h);
    (t.attempts.len(), t.quotes.len(), t.cut.is_some()).hash(&mut h);
    t.error.as_ref().map(String::len).hash(&mut h);
    hidden.hash(&mut h);
    app.redactor().is_blind().hash(&mut h);
    // Close quotes show the source's words once the verdict is in.
    app.session().verdict.is_some().hash(&mut h);
    app.session()
        .messages()
        .filter(|(after, ..)| *after == Some(t.index))
        .count()
        .hash(&mut h);
    h.finish()
}

/// Paints the transcript's rows into `area` (the text area, right of the gutter).
pub fn draw(
    area: Rect,
    buf: &mut Buffer,
    app: &App,
    cache: &mut TranscriptCache,
    now: OffsetDateTime,
) {
    let theme = app.theme();
    let width = usize::from(area.width).max(1);
    let t: &Transcript = &app.transcript;
    let turns = t.turns();
    let gutter_x = area.x.saturating_sub(crate::app::layout::GUTTER);
    if turns.is_empty() {
        let line = Line::styled("Waiting for the first turn…", theme.muted);
        buf.set_line(area.x, area.y, &line, area.width);
        return;
    }
    let top = {
        let cell = std::cell::RefCell::new(&mut *cache);
        let height = |turn: usize| -> usize { cell.borrow_mut().height(app, turn, width) };
        t.view_top(&height)
    };
    let related = app.related_turns();
    let selected = app.selected_turn();
    let Anchor { pos, line } = top;
    let mut line_in_turn = line;
    let mut y = area.y;
    for &turn in turns.iter().skip(pos) {
        if y >= area.bottom() {
            break;
        }
        let Some(tr) = app.session().turn(turn) else {
            continue;
        };
        let marked = related.binary_search(&turn).is_ok();
        let header = header_line(app, tr, marked, selected == Some(turn), now);
        let Some(body) = cache.body(app, turn, width) else {
            continue;
        };
        let height = body.len() + 2;
        while line_in_turn < height && y < area.bottom() {
            if marked {
                buf.set_string(gutter_x, y, "┃", theme.highlight);
            }
            if line_in_turn == 0 {
                buf.set_line(area.x, y, &header, area.width);
            } else if let Some(l) = body.get(line_in_turn - 1) {
                buf.set_line(area.x, y, l, area.width);
            }
            line_in_turn += 1;
            y += 1;
        }
        line_in_turn = 0;
    }
}

/// A turn's header: who, which round, its state (with what a streaming turn is waiting for),
/// its words, its annotations.
fn header_line(
    app: &App,
    turn: &Turn,
    marked: bool,
    selected: bool,
    now: OffsetDateTime,
) -> Line<'static> {
    let theme = app.theme();
    let side = style::side(theme, turn.side);
    let name = app.debater_name(turn.side);
    let (status, status_style) = status_label(app, turn, now, theme);
    let mut spans = vec![
        Span::styled(if selected { "▶ " } else { "" }, theme.accent),
        Span::styled(format!("{} {name}", turn.side), side),
        Span::styled(format!(" · round {}", turn.round), theme.muted),
    ];
    if turn.scope != crate::domain::ROOT_ID {
        spans.push(Span::styled(format!(" · on {}", turn.scope), theme.accent));
    }
    spans.push(Span::styled(" · ", theme.muted));
    spans.push(Span::styled(status, status_style));
    if !app.engine.is_hidden(turn.index) {
        spans.push(Span::styled(
            format!(" · {} words", turn.word_count()),
            theme.muted,
        ));
    }
    if !turn.attempts.is_empty() {
        spans.push(Span::styled(
            format!(" · attempt {}", turn.attempts.len() + 1),
            theme.muted,
        ));
    }
    for a in app
        .session()
        .annotations
        .iter()
        .filter(|a| a.turn == Some(turn.index))
    {
        let mark = if a.span.is_some() { "❝" } else { "" };
        let label = if a.tags.is_empty() {
            "note".to_string()
        } else {
            a.tags.join(",")
        };
        let note = if a.note.is_empty() { "" } else { "✎" };
        spans.push(Span::styled(
            format!(" [{mark}{label}{note}]"),
            theme.warning,
        ));
    }
    if marked {
        spans.push(Span::styled(" ◂ selected node", theme.highlight));
    }
    Line::from(spans)
}

/// The turn's state in words: what a streaming turn waits for, with its clock.
fn status_label(
    app: &App,
    turn: &Turn,
    now: OffsetDateTime,
    theme: &Theme,
) -> (String, ratatui::style::Style) {
    match turn.status {
        TurnStatus::Streaming => {
            let activity = app.engine.activity().into_iter().find(|a| match a {
                Activity::WaitingForFirstToken { turn: t, .. }
                | Activity::Streaming { turn: t, .. }
                | Activity::RetryDue { turn: t, .. }
                | Activity::ReadingClaims { turn: t, .. } => *t == turn.index,
            });
            let label = match activity {
                Some(Activity::WaitingForFirstToken { since, .. }) => {
                    format!("waiting for the first token · {}", seconds(now - since))
                }
                Some(Activity::RetryDue { retry, at, .. }) => {
                    format!("retry {retry} in {}", seconds(at - now))
                }
                Some(Activity::Streaming { .. }) => "streaming…".to_string(),
                Some(Activity::ReadingClaims { .. }) => "reading claims…".to_string(),
                None => "streaming…".to_string(),
            };
            (label, theme.accent)
        }
        TurnStatus::Complete => ("complete".into(), theme.muted),
        TurnStatus::Failed => ("failed".into(), theme.error),
        TurnStatus::Stopped => ("stopped".into(), theme.warning),
    }
}

/// "12 s", never negative.
pub fn seconds(d: time::Duration) -> String {
    format!("{} s", d.whole_seconds().max(0))
}
