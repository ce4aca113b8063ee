//! `S`: the hidden source with the quotes marked by class, once the verdict is in (or when the
//! protocol lets the judge read it). Its drawing is `ui::source`: it paints the quotes in the
//! transcript's styles.

use super::Outcome;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::cell::Cell;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceDialog {
    /// The first line shown.
    pub scroll: usize,
    /// Lines shown at once and the last useful scroll, as the last frame measured them.
    pub page: Cell<usize>,
    pub max_scroll: Cell<usize>,
}

impl SourceDialog {
    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<()> {
        let page = self.page.get().max(1);
        let max = self.max_scroll.get();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        self.scroll = match key.code {
            KeyCode::Esc | KeyCode::Char('q' | 'S') => return Outcome::Cancelled,
            KeyCode::Char('j') | KeyCode::Down => self.scroll.saturating_add(1),
            KeyCode::Char('k') | KeyCode::Up => self.scroll.saturating_sub(1),
            KeyCode::Char('f') if ctrl => self.scroll.saturating_add(page),
            KeyCode::Char('b') if ctrl => self.scroll.saturating_sub(page),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll.saturating_add(page),
            KeyCode::PageUp => self.scroll.saturating_sub(page),
            KeyCode::Char('g') | KeyCode::Home => 0,
            KeyCode::Char('G') | KeyCode::End => max,
            _ => self.scroll,
        }
        .min(max);
        Outcome::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolls_within_the_text_and_closes() {
        let mut d = SourceDialog::default();
        d.page.set(10);
        d.max_scroll.set(25);
        let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
        d.handle(&key(KeyCode::PageDown));
        d.handle(&key(KeyCode::PageDown));
        d.handle(&key(KeyCode::PageDown));
        assert_eq!(d.scroll, 25);
        d.handle(&key(KeyCode::Char('k')));
        assert_eq!(d.scroll, 24);
        d.handle(&key(KeyCode::Char('g')));
        assert_eq!(d.scroll, 0);
        assert_eq!(d.handle(&key(KeyCode::Esc)), Outcome::Cancelled);
    }
}
