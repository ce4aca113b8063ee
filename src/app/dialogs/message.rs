//! `i`: the judge's question or instruction to one debater or both.

use super::{DrawContext, Outcome, centered, frame_dialog, row};
use crate::app::widgets::LineInput;
use crate::domain::Side;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageDialog {
    /// `None` is both debaters.
    pub to: Option<Side>,
    pub input: LineInput,
}

impl MessageDialog {
    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<(Option<Side>, String)> {
        match key.code {
            KeyCode::Esc => Outcome::Cancelled,
            KeyCode::Tab => {
                self.to = match self.to {
                    None => Some(Side::A),
                    Some(Side::A) => Some(Side::B),
                    Some(Side::B) => None,
                };
                Outcome::Open
            }
            KeyCode::Enter if !self.input.text().trim().is_empty() => {
                Outcome::Submitted((self.to, self.input.text().trim().to_string()))
            }
            _ => {
                self.input.handle(key);
                Outcome::Open
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let inner = frame_dialog(frame, centered(area, 72, 8), " The judge speaks ", theme);
        let to = match self.to {
            Some(Side::A) => Span::styled("debater A", theme.side_a),
            Some(Side::B) => Span::styled("debater B", theme.side_b),
            None => Span::styled("both debaters", theme.accent),
        };
        let head = Line::from(vec![
            Span::styled("To: ", theme.text),
            to,
            Span::styled("  (Tab changes)", theme.muted),
        ]);
        frame.render_widget(Paragraph::new(head), row(inner, 0));
        let field = row(inner, 2);
        self.input.draw(
            frame,
            Rect::new(field.x + 2, field.y, field.width.saturating_sub(2), 1),
            theme,
            true,
        );
        let hints = vec![
            Line::styled(
                "It goes into their next prompt and stands in the transcript.",
                theme.muted,
            ),
            Line::styled("Enter sends · Esc cancels", theme.muted),
        ];
        let rest = Rect::new(
            inner.x,
            inner.y + 4,
            inner.width,
            inner.height.saturating_sub(4),
        );
        frame.render_widget(Paragraph::new(hints).wrap(Wrap { trim: true }), rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn messages_cycle_their_addressee() {
        let mut d = MessageDialog::default();
        d.handle(&key(KeyCode::Tab));
        d.handle(&key(KeyCode::Tab));
        for c in "Why?".chars() {
            d.handle(&key(KeyCode::Char(c)));
        }
        assert_eq!(
            d.handle(&key(KeyCode::Enter)),
            Outcome::Submitted((Some(Side::B), "Why?".into()))
        );
    }
}
