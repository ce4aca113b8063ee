//! `c`: the judge's credence that side A is right.

use super::{DrawContext, Outcome, centered, frame_dialog};
use crate::app::widgets::PercentField;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredenceDialog {
    pub percent: PercentField,
    /// Asked before the first speech: the judge's prior.
    pub prior: bool,
}

impl CredenceDialog {
    /// Starts from the judge's last credence, or even odds.
    pub fn new(current: Option<f64>) -> Self {
        let value = current.map_or(50, |p| (p.clamp(0.0, 1.0) * 100.0).round() as u8);
        CredenceDialog {
            percent: PercentField::new(value, 0, 100),
            prior: false,
        }
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<f64> {
        match key.code {
            KeyCode::Esc => Outcome::Cancelled,
            KeyCode::Enter => Outcome::Submitted(self.percent.fraction()),
            KeyCode::Char('a') => {
                self.percent = PercentField::new(100, 0, 100);
                Outcome::Open
            }
            KeyCode::Char('b') => {
                self.percent = PercentField::new(0, 0, 100);
                Outcome::Open
            }
            _ => {
                self.percent.handle(key);
                Outcome::Open
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let rect = centered(area, 56, 9);
        let title = if self.prior {
            " Your prior: P(A is right) before any speech "
        } else {
            " Credence: P(A is right) "
        };
        let inner = frame_dialog(frame, rect, title, theme);
        let bar_width = usize::from(inner.width.saturating_sub(12)).min(30);
        let mut bar = vec![Span::styled("B ", theme.side_b)];
        bar.extend(self.percent.bar(bar_width, theme.side_a, theme.side_b));
        bar.push(Span::styled("  A", theme.side_a));
        let lines = vec![
            Line::styled("How likely is it that side A is right?", theme.text),
            Line::default(),
            Line::from(bar),
            Line::default(),
            // Two lines, so the hint never wraps in the middle of a key's description.
            Line::styled("←/→ ±1  ↑/↓ ±5  digits type  a=100 b=0", theme.muted),
            Line::styled("Enter records · Esc cancels", theme.muted),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
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
    fn submits_a_fraction() {
        let mut d = CredenceDialog::new(Some(0.62));
        assert_eq!(d.percent.value, 62);
        d.handle(&key(KeyCode::Char('7')));
        d.handle(&key(KeyCode::Char('0')));
        assert_eq!(d.handle(&key(KeyCode::Enter)), Outcome::Submitted(0.7));
        assert_eq!(
            CredenceDialog::new(None).handle(&key(KeyCode::Esc)),
            Outcome::Cancelled
        );
    }
}
