//! A one-line text field: tui-input's editing (grapheme-aware, with the usual readline keys),
//! scrolled horizontally by display width so the cursor is always in view.

use crate::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default)]
pub struct LineInput {
    input: Input,
}

impl PartialEq for LineInput {
    fn eq(&self, other: &Self) -> bool {
        self.input.value() == other.input.value() && self.input.cursor() == other.input.cursor()
    }
}

impl Eq for LineInput {}

impl LineInput {
    pub fn with_text(text: &str) -> Self {
        LineInput {
            input: Input::new(one_line(text)),
        }
    }

    pub fn text(&self) -> &str {
        self.input.value()
    }

    /// Replaces the whole text, the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
        self.input = Input::new(one_line(text));
    }

    /// Handles an editing key; returns false for keys it does not use (Enter, Esc, Tab...).
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        self.input.handle_event(&Event::Key(*key)).is_some()
    }

    /// Pasted text arrives as one string; line breaks become spaces in a one-line field.
    pub fn paste(&mut self, text: &str) {
        let value = self.input.value();
        let at = byte_of_char(value, self.input.cursor());
        let (before, after) = value.split_at(at);
        let pasted = one_line(text);
        let cursor = before.chars().count() + pasted.chars().count();
        self.input = Input::new(format!("{before}{pasted}{after}")).with_cursor(cursor);
    }

    /// Draws the field on one row, scrolled so the cursor shows, and places the terminal cursor
    /// when `focused`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let width = usize::from(area.width.saturating_sub(1)).max(1);
        let scroll = self.input.visual_scroll(width);
        let shown = skip_columns(self.input.value(), scroll);
        let style = theme.text.patch(theme.selection);
        frame.buffer_mut().set_style(area, style);
        frame.buffer_mut().set_line(
            area.x,
            area.y,
            &Line::from(Span::styled(shown, style)),
            area.width,
        );
        if focused {
            let col = self.input.visual_cursor().saturating_sub(scroll);
            let x = area
                .x
                .saturating_add(u16::try_from(col).unwrap_or(u16::MAX));
            frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        }
    }
}

/// Control characters would move the terminal's cursor: a field holds none.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn byte_of_char(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// `text` without its first `columns` display columns (whole graphemes only).
pub(crate) fn skip_columns(text: &str, columns: usize) -> &str {
    let mut skipped = 0;
    for (i, g) in text.grapheme_indices(true) {
        if skipped >= columns {
            return &text[i..];
        }
        skipped += g.width();
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn edits_in_the_middle_by_grapheme() {
        let mut t = LineInput::default();
        for c in "héllo".chars() {
            t.handle(&key(KeyCode::Char(c)));
        }
        t.handle(&key(KeyCode::Left));
        t.handle(&key(KeyCode::Left));
        t.handle(&key(KeyCode::Backspace));
        assert_eq!(t.text(), "hélo");
        t.paste("X\nY");
        assert_eq!(t.text(), "héX Ylo");
        t.handle(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(t.text(), "", "Ctrl-U clears the field");
        assert!(!t.handle(&key(KeyCode::Enter)), "Enter is the dialog's");
    }

    #[test]
    fn skips_whole_wide_characters() {
        assert_eq!(skip_columns("日本語", 2), "本語");
        assert_eq!(skip_columns("日本語", 1), "本語");
        assert_eq!(skip_columns("ab", 5), "");
        assert_eq!(skip_columns("👩‍👩‍👧x", 2), "x");
    }

    #[test]
    fn the_cursor_stays_in_view_of_a_long_wide_text() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let mut t = LineInput::with_text(&"語".repeat(40));
        let mut term = Terminal::new(TestBackend::new(12, 1)).unwrap();
        term.draw(|f| t.draw(f, f.area(), &Theme::plain(), true))
            .unwrap();
        let pos = term.get_cursor_position().unwrap();
        assert!(pos.x < 12, "cursor at {pos:?}");
        t.handle(&key(KeyCode::Home));
        term.draw(|f| t.draw(f, f.area(), &Theme::plain(), true))
            .unwrap();
        assert_eq!(term.get_cursor_position().unwrap().x, 0);
    }
}
