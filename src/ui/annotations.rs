//! Annotations on screen: the pane that lists them, the tag dialog, and the preview of a span
//! being chosen.

use super::transcript::side_style;
use crate::app::Visual;
use crate::app::dialogs::{TAG_KEYS, TagDialog, TagField};
use crate::domain::Session;
use crate::text::sanitize::inert;
use crate::text::wrap::{truncate, wrap};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

/// The annotations pane: one entry per annotation, newest last, the cursor's entry highlighted.
pub fn draw_list(frame: &mut Frame, area: Rect, session: &Session, cursor: usize, theme: &Theme) {
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
            let target = match (a.turn, &a.node) {
                (Some(t), _) => {
                    let turn = &session.turns()[t];
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
    let cursor = cursor.min(entries.len() - 1);
    let upto_cursor: usize = entries[..=cursor].iter().map(Vec::len).sum();
    if upto_cursor > height {
        let mut used = upto_cursor;
        while used > height && start < cursor {
            used -= entries[start].len();
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
pub fn draw_span_preview(
    frame: &mut Frame,
    area: Rect,
    v: &Visual,
    session: &Session,
    theme: &Theme,
) {
    if area.height == 0 {
        return;
    }
    let Some(turn) = session.turns().get(v.turn) else {
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

pub fn draw_tag_dialog(frame: &mut Frame, area: Rect, d: &TagDialog, theme: &Theme) {
    let height = (d.tags.len() as u16 + 8).min(area.height);
    let width = 64.min(area.width);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, rect);
    let title = format!(" Annotate {} ", d.target.label);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Span::styled(title, theme.title))
        .style(theme.dialog);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut lines = Vec::new();
    for (i, (tag, chosen)) in d.tags.iter().zip(&d.chosen).enumerate() {
        let key = TAG_KEYS.chars().nth(i).map_or(' ', |c| c);
        let mark = if *chosen { "[x]" } else { "[ ]" };
        let style = if *chosen { theme.warning } else { theme.text };
        lines.push(Line::from(vec![
            Span::styled(format!(" {key} "), theme.key),
            Span::styled(format!("{mark} {tag}"), style),
        ]));
    }
    lines.push(Line::default());
    let note_marker = if d.field == TagField::Note {
        "▶ "
    } else {
        "  "
    };
    lines.push(Line::from(vec![
        Span::styled(note_marker, theme.accent),
        Span::styled("Note (Tab; Ctrl-E opens $EDITOR)", theme.text),
    ]));
    let field_width = usize::from(inner.width.saturating_sub(4));
    let note = d.note.text().replace('\n', " ⏎ ");
    let chars: Vec<char> = note.chars().collect();
    let start = chars.len().saturating_sub(field_width.saturating_sub(1));
    let shown: String = chars[start..].iter().collect();
    lines.push(Line::styled(
        format!("  {shown}"),
        theme.text.patch(theme.selection),
    ));
    lines.push(Line::styled(
        "digits toggle tags · Enter saves · Esc cancels",
        theme.muted,
    ));
    let note_y = inner.y + lines.len() as u16 - 2;
    frame.render_widget(Paragraph::new(lines), inner);
    if d.field == TagField::Note && note_y < inner.bottom() {
        let x = inner.x + 2 + shown.width() as u16;
        frame.set_cursor_position(Position::new(
            x.min(inner.right().saturating_sub(1)),
            note_y,
        ));
    }
}
