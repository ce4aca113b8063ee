//! A multi-line text field (a verdict's rationale, a note): wrapped to its width by display
//! columns, scrolled so the cursor's row shows, edited by grapheme.

use crate::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextArea {
    text: String,
    /// Byte offset of the cursor, on a grapheme boundary.
    cursor: usize,
    /// The column the cursor keeps while moving up and down.
    goal: Option<usize>,
}

/// A visual row of the wrapped text: its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    start: usize,
    end: usize,
}

impl TextArea {
    pub fn with_text(text: &str) -> Self {
        let mut t = TextArea::default();
        t.set_text(text);
        t
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Replaces the whole text, the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
        self.text = clean(text);
        self.cursor = self.text.len();
        self.goal = None;
    }

    pub fn paste(&mut self, text: &str) {
        let text = clean(text);
        self.text.insert_str(self.cursor, &text);
        self.cursor += text.len();
        self.goal = None;
    }

    pub fn insert_newline(&mut self) {
        self.paste("\n");
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.text.len(), |g| self.cursor + g.len())
    }

    /// Handles an editing key; returns false for keys it does not use. Ctrl-J (and Alt-Enter)
    /// start a new line; plain Enter is left to the dialog.
    pub fn handle(&mut self, key: &KeyEvent, width: u16) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let keep_goal = matches!(key.code, KeyCode::Up | KeyCode::Down);
        match key.code {
            KeyCode::Char('j') if ctrl => self.insert_newline(),
            KeyCode::Enter if alt => self.insert_newline(),
            KeyCode::Char('u') if ctrl => {
                let start = self.line_start();
                self.text.drain(start..self.cursor);
                self.cursor = start;
            }
            KeyCode::Char('a') if ctrl => self.cursor = self.line_start(),
            KeyCode::Char('e') if ctrl => return false,
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                let mut buf = [0u8; 4];
                self.paste(c.encode_utf8(&mut buf));
            }
            KeyCode::Backspace => {
                let prev = self.prev_boundary();
                self.text.drain(prev..self.cursor);
                self.cursor = prev;
            }
            KeyCode::Delete => {
                let next = self.next_boundary();
                self.text.drain(self.cursor..next);
            }
            KeyCode::Left => self.cursor = self.prev_boundary(),
            KeyCode::Right => self.cursor = self.next_boundary(),
            KeyCode::Home => self.cursor = self.line_start(),
            KeyCode::End => self.cursor = self.line_end(),
            KeyCode::Up => self.move_vertically(-1, width),
            KeyCode::Down => self.move_vertically(1, width),
            _ => return false,
        }
        if !keep_goal {
            self.goal = None;
        }
        true
    }

    fn line_start(&self) -> usize {
        self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1)
    }

    fn line_end(&self) -> usize {
        self.text[self.cursor..]
            .find('\n')
            .map_or(self.text.len(), |i| self.cursor + i)
    }

    /// The text wrapped into rows of at most `width` columns (breaking at graphemes).
    fn rows(&self, width: u16) -> Vec<Row> {
        let width = usize::from(width).max(1);
        let mut rows = Vec::new();
        let mut start = 0;
        for line in self.text.split_inclusive('\n') {
            let content = line.strip_suffix('\n').unwrap_or(line);
            let mut row_start = start;
            let mut used = 0;
            for (i, g) in content.grapheme_indices(true) {
                let w = g.width();
                if used + w > width && used > 0 {
                    rows.push(Row {
                        start: row_start,
                        end: start + i,
                    });
                    row_start = start + i;
                    used = 0;
                }
                used += w;
            }
            rows.push(Row {
                start: row_start,
                end: start + content.len(),
            });
            start += line.len();
        }
        if self.text.is_empty() || self.text.ends_with('\n') {
            rows.push(Row {
                start: self.text.len(),
                end: self.text.len(),
            });
        }
        rows
    }

    /// The row and display column of the cursor.
    fn cursor_at(&self, rows: &[Row]) -> (usize, usize) {
        // The last row that starts at or before the cursor (a cursor at a wrap point belongs
        // to the row that starts there).
        let row = rows
            .iter()
            .rposition(|r| r.start <= self.cursor)
            .unwrap_or(0);
        let start = rows.get(row).map_or(0, |r| r.start);
        let col = self
            .text
            .get(start..self.cursor)
            .map_or(0, UnicodeWidthStr::width);
        (row, col)
    }

    fn move_vertically(&mut self, delta: isize, width: u16) {
        let rows = self.rows(width);
        let (row, col) = self.cursor_at(&rows);
        let goal = *self.goal.get_or_insert(col);
        let Some(target) = row.checked_add_signed(delta).and_then(|r| rows.get(r)) else {
            return;
        };
        let mut at = target.start;
        let mut used = 0;
        for (i, g) in self.text[target.start..target.end].grapheme_indices(true) {
            if used + g.width() > goal {
                break;
            }
            used += g.width();
            at = target.start + i + g.len();
        }
        self.cursor = at;
    }

    /// Draws the wrapped text in `area`, scrolled so the cursor's row shows.
    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let rows = self.rows(area.width);
        let (row, col) = self.cursor_at(&rows);
        let height = usize::from(area.height);
        let top = row.saturating_sub(height.saturating_sub(1));
        let style = theme.text.patch(theme.selection);
        frame.buffer_mut().set_style(area, style);
        for (i, r) in rows.iter().skip(top).take(height).enumerate() {
            let text = self.text.get(r.start..r.end).unwrap_or_default();
            let y = area.y.saturating_add(u16::try_from(i).unwrap_or(u16::MAX));
            frame.buffer_mut().set_line(
                area.x,
                y,
                &Line::from(Span::styled(text, style)),
                area.width,
            );
        }
        if focused {
            let x = area
                .x
                .saturating_add(u16::try_from(col).unwrap_or(u16::MAX));
            let y = area
                .y
                .saturating_add(u16::try_from(row - top).unwrap_or(u16::MAX));
            frame.set_cursor_position(Position::new(
                x.min(area.right().saturating_sub(1)),
                y.min(area.bottom().saturating_sub(1)),
            ));
        }
    }
}

/// Tabs become spaces, carriage returns go, other controls become spaces: a field holds text
/// and line breaks only.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| c != '\r')
        .map(|c| if c == '\n' || !c.is_control() { c } else { ' ' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(t: &mut TextArea, s: &str) {
        for c in s.chars() {
            t.handle(&key(KeyCode::Char(c)), 10);
        }
    }

    #[test]
    fn wraps_by_width_and_keeps_line_breaks() {
        let t = TextArea::with_text("abcdefghij12\nxy");
        let rows = t.rows(5);
        let texts: Vec<&str> = rows.iter().map(|r| &t.text[r.start..r.end]).collect();
        assert_eq!(texts, vec!["abcde", "fghij", "12", "xy"]);
        let t = TextArea::with_text("日本語です");
        let texts: Vec<String> = t
            .rows(4)
            .iter()
            .map(|r| t.text[r.start..r.end].to_string())
            .collect();
        assert_eq!(texts, vec!["日本", "語で", "す"]);
    }

    #[test]
    fn edits_across_lines() {
        let mut t = TextArea::default();
        typed(&mut t, "first");
        t.handle(
            &KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL),
            10,
        );
        typed(&mut t, "second");
        assert_eq!(t.text(), "first\nsecond");
        t.handle(&key(KeyCode::Up), 10);
        typed(&mut t, "!");
        assert_eq!(t.text(), "first!\nsecond");
        t.handle(&key(KeyCode::Down), 10);
        t.handle(&key(KeyCode::End), 10);
        t.handle(&key(KeyCode::Backspace), 10);
        assert_eq!(t.text(), "first!\nsecon");
        t.handle(
            &KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
            10,
        );
        assert_eq!(t.text(), "first!\n");
    }

    #[test]
    fn backspace_takes_a_whole_grapheme() {
        let mut t = TextArea::with_text("ok 👩‍👩‍👧");
        t.handle(&key(KeyCode::Backspace), 10);
        assert_eq!(t.text(), "ok ");
        t.paste("a\r\nb\tc");
        assert_eq!(t.text(), "ok a\nb c");
    }

    #[test]
    fn the_cursor_row_is_always_drawn() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let t = TextArea::with_text(&"word ".repeat(60));
        let mut term = Terminal::new(TestBackend::new(20, 3)).unwrap();
        term.draw(|f| t.draw(f, f.area(), &Theme::plain(), true))
            .unwrap();
        let pos = term.get_cursor_position().unwrap();
        assert!(pos.y < 3 && pos.x < 20, "{pos:?}");
    }
}
