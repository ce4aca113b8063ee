//! A titled one-line question: a sub-question of the judge's, a node's new text, the turn a
//! replay goes to.

use super::{DrawContext, Outcome, centered, frame_dialog, row};
use crate::app::widgets::LineInput;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// What the answer is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptPurpose {
    /// A sub-question of the judge's, under this node.
    AddQuestion { parent: String },
    /// New text for this node.
    EditNode { node: String },
    /// In a replay: the number of the turn to go to.
    GoToTurn,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptDialog {
    pub purpose: PromptPurpose,
    pub input: LineInput,
}

impl PromptDialog {
    pub fn new(purpose: PromptPurpose, initial: &str) -> Self {
        PromptDialog {
            purpose,
            input: LineInput::with_text(initial),
        }
    }

    pub fn title(&self) -> String {
        match &self.purpose {
            PromptPurpose::AddQuestion { parent } => format!(" New sub-question under {parent} "),
            PromptPurpose::EditNode { node } => format!(" Edit {node} "),
            PromptPurpose::GoToTurn => " Go to turn (0 is the start) ".to_string(),
        }
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<String> {
        match key.code {
            KeyCode::Esc => Outcome::Cancelled,
            KeyCode::Enter if !self.input.text().trim().is_empty() => {
                Outcome::Submitted(self.input.text().trim().to_string())
            }
            _ => {
                self.input.handle(key);
                Outcome::Open
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let inner = frame_dialog(frame, centered(area, 72, 6), &self.title(), theme);
        let field = row(inner, 0);
        self.input.draw(
            frame,
            Rect::new(field.x + 2, field.y, field.width.saturating_sub(2), 1),
            theme,
            true,
        );
        if inner.height > 2 {
            frame.render_widget(
                Paragraph::new(Line::styled("Enter saves · Esc cancels", theme.muted)),
                row(inner, 2),
            );
        }
    }
}
