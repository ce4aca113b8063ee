//! `E`: ending the debate before its last round, with a reason.

use super::{DrawContext, Outcome, centered, frame_dialog, row};
use crate::app::widgets::LineInput;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndDialog {
    pub reason: LineInput,
}

impl EndDialog {
    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<String> {
        match key.code {
            KeyCode::Esc => Outcome::Cancelled,
            KeyCode::Enter => Outcome::Submitted(self.reason.text().trim().to_string()),
            _ => {
                self.reason.handle(key);
                Outcome::Open
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let inner = frame_dialog(frame, centered(area, 64, 7), " End the debate now? ", theme);
        frame.render_widget(
            Paragraph::new(Line::styled("Why (optional):", theme.text)),
            row(inner, 0),
        );
        let field = row(inner, 1);
        self.reason.draw(
            frame,
            Rect::new(field.x + 2, field.y, field.width.saturating_sub(2), 1),
            theme,
            true,
        );
        let hint = Line::styled(
            "Enter ends it (no more turns) · Esc keeps debating",
            theme.muted,
        );
        let rest = Rect::new(
            inner.x,
            inner.y + 3,
            inner.width,
            inner.height.saturating_sub(3),
        );
        frame.render_widget(Paragraph::new(hint).wrap(Wrap { trim: true }), rest);
    }
}
