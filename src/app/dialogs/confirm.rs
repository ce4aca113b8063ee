//! Asking before quitting when quitting would lose something: a turn still streaming, or a
//! session the last save could not write.

use super::{DrawContext, Outcome, centered, frame_dialog};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuitWhy {
    Streaming,
    /// The last save failed: quitting now loses the judge's latest work.
    Unsaved(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmQuit {
    pub why: QuitWhy,
}

impl ConfirmQuit {
    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<()> {
        match key.code {
            KeyCode::Char('y' | 'Y') => Outcome::Submitted(()),
            KeyCode::Char('q') | KeyCode::Enter if self.why == QuitWhy::Streaming => {
                Outcome::Submitted(())
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Outcome::Cancelled,
            _ => Outcome::Open,
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let (title, mut lines) = match &self.why {
            QuitWhy::Streaming => (
                " Quit? ",
                vec![
                    Line::styled("A turn is still streaming.", theme.text),
                    Line::styled(
                        "Quit and keep its partial text, marked stopped?",
                        theme.text,
                    ),
                ],
            ),
            QuitWhy::Unsaved(e) => (
                " Quit without saving? ",
                vec![
                    Line::styled("The session could not be saved:", theme.error),
                    Line::styled(cx.redactor.chrome(e), theme.error),
                    Line::styled(
                        "Quit anyway and lose what is not saved (agon exits with an error)?",
                        theme.text,
                    ),
                ],
            ),
        };
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("y", theme.key),
            Span::styled(" quit   ", theme.muted),
            Span::styled("n", theme.key),
            Span::styled(" stay", theme.muted),
        ]));
        let height = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
        let inner = frame_dialog(frame, centered(area, 60, height), title, theme);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}
