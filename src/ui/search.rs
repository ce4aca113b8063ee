//! The search's field and count, on the bottom border of the pane it searches; its keys on the
//! hint line; its matches on the tree's rows (the transcript paints its own, from the match
//! ranges the app found).

use super::style;
use crate::app::App;
use crate::app::layout::Areas;
use crate::app::transcript::search::{Pane, Search};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// The search of `pane`, if there is one.
pub fn of(app: &App, pane: Pane) -> Option<&Search> {
    app.search.as_ref().filter(|s| s.pane == pane)
}

/// Draws the field (or the kept query) and the count on the searched pane's bottom border.
pub fn draw_bar(frame: &mut Frame, areas: &Areas, app: &App) {
    let Some(s) = &app.search else { return };
    let pane = match s.pane {
        Pane::Transcript => areas.transcript,
        Pane::Tree if app.show_annotations => return,
        Pane::Tree => areas.side,
    };
    if pane.width < 12 || pane.height < 2 {
        return;
    }
    let theme = app.theme();
    let y = pane.bottom() - 1;
    let x = pane.x + 2;
    let room = usize::from(pane.width.saturating_sub(4));
    let count = s.status();
    let count = if count.is_empty() {
        String::new()
    } else {
        format!(" {count} ")
    };
    let count_w = count.width().min(room / 2);
    let buf = frame.buffer_mut();
    buf.set_string(x, y, "/", theme.accent);
    let field_w = room.saturating_sub(count_w + 1).max(1);
    let field = Rect::new(x + 1, y, u16::try_from(field_w).unwrap_or(1), 1);
    if s.editing {
        s.field.draw(frame, field, theme, true);
    } else {
        let shown = crate::text::truncate(s.query().text(), field_w);
        frame
            .buffer_mut()
            .set_string(field.x, y, format!("{shown} "), theme.accent);
    }
    let count_x = field.right().min(pane.right().saturating_sub(2));
    let style = if s.hits().is_empty() && !s.query().is_empty() {
        theme.warning
    } else {
        theme.muted
    };
    frame
        .buffer_mut()
        .set_stringn(count_x, y, &count, count_w, style);
}

/// The hint line while searching: the count and the keys that work now.
pub fn hint_line(app: &App) -> Option<Line<'static>> {
    let s = app.search.as_ref()?;
    let theme = app.theme();
    let key = |k: &str| Span::styled(k.to_string(), theme.key);
    let what = |w: &str| Span::styled(format!(" {w}  "), theme.muted);
    let mut spans = vec![Span::raw(" ")];
    let count = s.status();
    if !count.is_empty() {
        spans.push(Span::styled(format!("{count}  "), theme.text));
    }
    if s.editing {
        spans.extend([key("Enter"), what("keep"), key("Esc"), what("clear")]);
    } else {
        let next = app.settings.keymap.hint(crate::app::bindings::Action::Step);
        spans.extend([
            key(&next),
            what("next"),
            key("N"),
            what("previous"),
            key("/"),
            what("edit"),
            key("Esc"),
            what("clear"),
        ]);
    }
    Some(Line::from(spans))
}

/// Marks the query's occurrences on a tree row drawn at (`x`, `y`).
pub fn mark_row(buf: &mut Buffer, area: Rect, y: u16, line: &Line<'_>, app: &App, pos: usize) {
    let Some(s) = of(app, Pane::Tree) else { return };
    if s.query().is_empty() {
        return;
    }
    let text: String = line.spans.iter().map(|sp| sp.content.as_ref()).collect();
    let current = s
        .current()
        .and_then(|i| s.hits().get(i))
        .is_some_and(|h| h.item == pos);
    for r in s.query().find_in(&text) {
        let before = text.get(..r.start).map_or(0, UnicodeWidthStr::width);
        let inside = text.get(r.clone()).map_or(0, UnicodeWidthStr::width);
        let x = usize::from(area.x) + before;
        let room = usize::from(area.right()).saturating_sub(x);
        if let (Ok(x), Ok(w)) = (u16::try_from(x), u16::try_from(inside.min(room))) {
            buf.set_style(
                Rect::new(x, y, w, 1),
                style::search_match(app.theme(), current),
            );
        }
    }
}
