//! Painting the transcript pane. Each turn's body comes laid out from the app's layouts (a
//! turn is wrapped once per width, a streaming turn only in its tail), so a frame styles and
//! paints only the rows in view: it costs the same at ten turns as at ten thousand. Where the
//! view starts, which turn is selected and where the search's matches are come from the app's
//! state.

use super::style;
use crate::app::App;
use crate::app::transcript::Anchor;
use crate::app::transcript::layout::VLine;
use crate::app::transcript::search::Pane;
use crate::domain::{Turn, TurnStatus};
use crate::engine::Activity;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::ops::Range;
use time::OffsetDateTime;
use unicode_width::UnicodeWidthStr;

/// Paints the transcript's rows into `area` (the text area, right of the gutter).
pub fn draw(area: Rect, buf: &mut Buffer, app: &App, now: OffsetDateTime) {
    let theme = app.theme();
    let t = &app.transcript;
    let turns = t.turns();
    let gutter_x = area.x.saturating_sub(crate::app::layout::GUTTER);
    if turns.is_empty() {
        let line = Line::styled("Waiting for the first turn…", theme.muted);
        buf.set_line(area.x, area.y, &line, area.width);
        return;
    }
    let Anchor { pos, line } = app.transcript_top();
    let related = app.related_turns();
    let selected = app.selected_turn();
    let search = app.search.as_ref().filter(|s| s.pane == Pane::Transcript);
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
        let hits: Vec<(Range<usize>, bool)> = search
            .map(|s| s.hits_in(turn).map(|(r, c)| (r.clone(), c)).collect())
            .unwrap_or_default();
        app.turn_body(turn, |body| {
            let height = body.len() + 2;
            while line_in_turn < height && y < area.bottom() {
                if marked {
                    buf.set_string(gutter_x, y, "┃", theme.highlight);
                }
                if line_in_turn == 0 {
                    buf.set_line(area.x, y, &header, area.width);
                } else if let Some(l) = body.get(line_in_turn - 1) {
                    buf.set_line(area.x, y, &style::line_of(theme, l), area.width);
                    mark_hits(buf, area, y, l, &hits, theme);
                }
                line_in_turn += 1;
                y += 1;
            }
        });
        line_in_turn = 0;
    }
}

/// Paints the search's matches on a row: each part of a match that the row shows.
fn mark_hits(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    line: &VLine,
    hits: &[(Range<usize>, bool)],
    theme: &Theme,
) {
    if hits.is_empty() {
        return;
    }
    let mut col = 0usize;
    for seg in line {
        let width = seg.text.width();
        if let Some(at) = seg.at {
            let end = at + seg.text.len();
            for (hit, current) in hits {
                let (from, to) = (hit.start.max(at), hit.end.min(end));
                if from >= to {
                    continue;
                }
                let before = seg.text.get(..from - at).map_or(0, UnicodeWidthStr::width);
                let inside = seg
                    .text
                    .get(from - at..to - at)
                    .map_or(0, UnicodeWidthStr::width);
                let x = usize::from(area.x) + col + before;
                let room = usize::from(area.right()).saturating_sub(x);
                if let (Ok(x), Ok(w)) = (u16::try_from(x), u16::try_from(inside.min(room))) {
                    buf.set_style(Rect::new(x, y, w, 1), style::search_match(theme, *current));
                }
            }
        }
        col += width;
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
