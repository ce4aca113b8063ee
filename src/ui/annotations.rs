//! Annotations on screen: the pane that lists them, and the preview of a span being chosen.

use super::style::side as side_style;
use crate::app::{App, Visual};
use crate::text::sanitize::inert;
use crate::text::wrap::{truncate, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

/// The annotations pane: one entry per annotation, newest last, the cursor's entry highlighted.
pub fn draw_list(frame: &mut Frame, area: Rect, app: &App) {
    let (session, theme, cursor) = (app.session(), app.theme(), app.annotation_cursor);
    let width = usize::from(area.width);
    if session.annotations.is_empty() {
        let lines = vec![
            Line::styled("No annotations yet.", theme.muted),
            Line::default(),
            Line::styled(
                "t tags the turn marked ▶ (or the tree's node),",
                theme.muted,
            ),
            Line::styled("V chooses sentences of it to tag.", theme.muted),
        ];
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    // Each entry: a head line, the quote or target, the note; keep the cursor's entry in view.
    let entries: Vec<Vec<Line>> = session
        .annotations
        .iter()
        .map(|a| {
            let target = match (a.turn.and_then(|t| session.turn(t)), &a.node) {
                (Some(turn), _) => {
                    let t = turn.index;
                    let scope = if turn.scope == crate::domain::ROOT_ID {
                        String::new()
                    } else {
                        format!(" on {}", turn.scope)
                    };
                    Span::styled(
                        format!("turn {} {}{scope}", t + 1, turn.side),
                        side_style(theme, turn.side),
                    )
                }
                (None, Some(node)) => Span::styled(format!("node {node}"), theme.accent),
                (None, None) => Span::raw(""),
            };
            let mut lines = vec![Line::from(vec![
                Span::styled(format!("#{} ", a.id), theme.muted),
                target,
                Span::styled(format!(" [{}]", a.tags.join(", ")), theme.warning),
            ])];
            if let Some(q) = &a.quote {
                let q = inert(q).replace('\n', " ");
                lines.push(Line::styled(
                    truncate(&format!("  ❝{q}❞"), width),
                    theme.text,
                ));
            }
            if !a.note.is_empty() {
                let note = inert(&a.note).replace('\n', " ");
                lines.push(Line::styled(
                    truncate(&format!("  ✎ {note}"), width),
                    theme.muted,
                ));
            }
            lines
        })
        .collect();
    let height = usize::from(area.height);
    let mut start = 0;
    let cursor = cursor.min(entries.len().saturating_sub(1));
    let upto_cursor: usize = entries.iter().take(cursor + 1).map(Vec::len).sum();
    if upto_cursor > height {
        let mut used = upto_cursor;
        while used > height && start < cursor {
            used -= entries.get(start).map_or(0, Vec::len);
            start += 1;
        }
    }
    let mut y = area.y;
    for (i, entry) in entries.iter().enumerate().skip(start) {
        for line in entry {
            if y >= area.bottom() {
                return;
            }
            frame.buffer_mut().set_line(area.x, y, line, area.width);
            if i == cursor {
                frame
                    .buffer_mut()
                    .set_style(Rect::new(area.x, y, area.width, 1), theme.selection);
            }
            y += 1;
        }
    }
}

/// While choosing a span: what is selected so far.
pub fn draw_span_preview(frame: &mut Frame, area: Rect, v: &Visual, app: &App) {
    let (session, theme) = (app.session(), app.theme());
    if area.height == 0 {
        return;
    }
    let Some(turn) = session.turn(v.turn) else {
        return;
    };
    let span = v.span();
    let text = inert(turn.text.get(span.start..span.end).unwrap_or_default()).replace('\n', " ");
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.accent)
        .title(Span::styled(
            format!(
                " Span of turn {} · j/k move · Space restarts · t tags · Esc cancels ",
                v.turn + 1
            ),
            theme.accent,
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = wrap(&format!("❝{text}❞"), usize::from(inner.width))
        .into_iter()
        .rev()
        .take(usize::from(inner.height))
        .rev()
        .map(|l| Line::styled(l, theme.highlight))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
