//! `i`: the judge's question or instruction to one debater or both.

use super::{DrawContext, Outcome, centered, frame_dialog, row};
use crate::app::widgets::LineInput;
use crate::domain::Side;
use crate::text::wrap::wrap;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

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
        let width = WIDTH.min(area.width);
        let text_width = width.saturating_sub(2);
        // Tall enough for the whole explanation at this width, when the terminal allows.
        let explained = footer(text_width, u16::MAX).len();
        let height = u16::try_from(explained)
            .unwrap_or(u16::MAX)
            .saturating_add(ABOVE_FOOTER + 2);
        let inner = frame_dialog(
            frame,
            centered(area, width, height),
            " The judge speaks ",
            theme,
        );
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
        let rows = inner.height.saturating_sub(ABOVE_FOOTER);
        let lines: Vec<Line> = footer(inner.width, rows)
            .into_iter()
            .map(|l| Line::styled(l, theme.muted))
            .collect();
        let rest = Rect::new(
            inner.x,
            inner.y.saturating_add(ABOVE_FOOTER),
            inner.width,
            rows,
        );
        frame.render_widget(Paragraph::new(lines), rest);
    }
}

/// The dialog's width on a wide terminal.
const WIDTH: u16 = 72;
/// Rows inside the frame above the footer: the addressee, a gap, the field, a gap.
const ABOVE_FOOTER: u16 = 4;
const EXPLANATION: &str = "It goes into their next prompt and stands in the transcript.";
const KEYS: &str = "Enter sends · Esc cancels";

/// The lines under the field, in `rows` rows of `width` columns: the keys last, and always
/// while there is a row; the explanation above them only when it fits whole, so it is the
/// first to go when rows are short.
fn footer(width: u16, rows: u16) -> Vec<String> {
    let width = usize::from(width).max(1);
    let explanation = wrap(EXPLANATION, width);
    let keys = wrap(KEYS, width);
    let rows = usize::from(rows);
    let mut out = Vec::new();
    if explanation.len() + keys.len() <= rows {
        out.extend(explanation);
    }
    out.extend(keys.into_iter().take(rows));
    out
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

    #[test]
    fn short_rows_keep_the_keys_and_drop_the_explanation_first() {
        let explained = [
            "It goes into their next prompt and stands in the transcript.",
            KEYS,
        ];
        assert_eq!(footer(70, 2), explained, "wide: both on one line each");
        assert_eq!(footer(70, 9), explained);
        assert_eq!(
            footer(58, 3),
            [
                "It goes into their next prompt and stands in the",
                "transcript.",
                KEYS
            ],
            "narrow: the explanation wraps, the keys stay"
        );
        assert_eq!(footer(58, 2), [KEYS], "too short for both: the keys");
        assert_eq!(footer(70, 1), [KEYS]);
        assert!(footer(70, 0).is_empty());
    }
}
