//! A percentage picked with arrows (1 and 5 point steps) or typed as digits, drawn as a bar.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::Style;
use ratatui::text::Span;

/// A percentage picked with arrows (1 and 5 point steps) or typed as digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PercentField {
    pub value: u8,
    pub min: u8,
    pub max: u8,
    /// Digits typed since the field took focus; typing replaces the value.
    typed: String,
}

impl PercentField {
    pub fn new(value: u8, min: u8, max: u8) -> Self {
        PercentField {
            value: value.clamp(min, max),
            min,
            max,
            typed: String::new(),
        }
    }

    fn nudge(&mut self, delta: i16) {
        self.typed.clear();
        let v = (i16::from(self.value) + delta).clamp(i16::from(self.min), i16::from(self.max));
        self.value = u8::try_from(v).unwrap_or(self.min);
    }

    /// Handles a key; returns false for keys it does not use.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Left | KeyCode::Char('h') | KeyCode::Char('-') => self.nudge(-1),
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Char('+') | KeyCode::Char('=') => {
                self.nudge(1)
            }
            KeyCode::Down | KeyCode::Char('j') | KeyCode::PageDown => self.nudge(-5),
            KeyCode::Up | KeyCode::Char('k') | KeyCode::PageUp => self.nudge(5),
            KeyCode::Char(d) if d.is_ascii_digit() => {
                if self.typed.len() >= 3 {
                    self.typed.clear();
                }
                self.typed.push(d);
                let typed: u16 = self.typed.parse().unwrap_or(0);
                // While typing, a value below the minimum may be the start of a valid one.
                self.value = clamp_to(typed, self.min, self.max);
            }
            KeyCode::Backspace => {
                self.typed.pop();
                if let Ok(v) = self.typed.parse::<u16>() {
                    self.value = clamp_to(v, self.min, self.max);
                }
            }
            _ => return false,
        }
        true
    }

    pub fn fraction(&self) -> f64 {
        f64::from(self.value) / 100.0
    }

    /// A bar like `██████░░░░  62%` of `width` cells.
    pub fn bar(&self, width: usize, fill: Style, empty: Style) -> Vec<Span<'static>> {
        let span = f64::from(self.max.saturating_sub(self.min)).max(1.0);
        let share = f64::from(self.value.saturating_sub(self.min)) / span;
        let filled = ((share * width as f64).round() as usize).min(width);
        vec![
            Span::styled("█".repeat(filled), fill),
            Span::styled("░".repeat(width.saturating_sub(filled)), empty),
            Span::raw(format!(" {:>3}%", self.value)),
        ]
    }
}

fn clamp_to(v: u16, min: u8, max: u8) -> u8 {
    u8::try_from(v.clamp(u16::from(min), u16::from(max))).unwrap_or(max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn percent_steps_and_digits() {
        let mut p = PercentField::new(50, 0, 100);
        p.handle(&key(KeyCode::Right));
        p.handle(&key(KeyCode::Up));
        assert_eq!(p.value, 56);
        p.handle(&key(KeyCode::Char('7')));
        assert_eq!(p.value, 7);
        p.handle(&key(KeyCode::Char('3')));
        assert_eq!(p.value, 73);
        p.handle(&key(KeyCode::Char('9')));
        assert_eq!(p.value, 100, "739 clamps to the maximum");
        for _ in 0..30 {
            p.handle(&key(KeyCode::Down));
        }
        assert_eq!(p.value, 0);
    }

    #[test]
    fn the_bar_fills_in_proportion() {
        let p = PercentField::new(75, 50, 100);
        let spans = p.bar(10, Style::default(), Style::default());
        assert_eq!(spans[0].content, "█████");
        assert_eq!(spans[2].content, "  75%");
    }
}
