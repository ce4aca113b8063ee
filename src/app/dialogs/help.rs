//! `?`: every key of the main screen, grouped, as the keymap in force has them.

use super::{DrawContext, Outcome, centered, frame_dialog};
use crate::app::bindings::Group;
use crate::text::wrap::wrap;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpDialog {
    /// Lines scrolled down.
    pub scroll: u16,
}

const DIALOG_KEYS: &str = "In dialogs: ←/→ ±1%, ↑/↓ ±5%, digits type a value, Tab next field, Enter saves, Esc cancels; Ctrl-E writes a note or rationale in $EDITOR, Ctrl-J starts a new line of the rationale. Every key here can be changed in the config's [keys] table.";

/// The mouse, in one row under the app's keys (what `app::mouse` does with it).
const MOUSE: &str = "wheel scrolls the pane under it; click focuses, selects; --no-mouse";

impl HelpDialog {
    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<()> {
        match key.code {
            KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter => return Outcome::Cancelled,
            KeyCode::Char('j') | KeyCode::Down => self.scroll = self.scroll.saturating_add(1),
            KeyCode::Char('k') | KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll = self.scroll.saturating_add(10),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::Char('g') | KeyCode::Home => self.scroll = 0,
            _ => {}
        }
        Outcome::Open
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let groups = [
            Group::Debate,
            Group::Judge,
            Group::Navigate,
            Group::Tree,
            Group::App,
        ];
        let width = 86.min(area.width);
        let text_width = usize::from(width.saturating_sub(2));
        let mut lines: Vec<Line> = Vec::new();
        for g in groups {
            if !lines.is_empty() {
                lines.push(Line::default());
            }
            lines.push(Line::styled(g.title(), theme.accent));
            let mut row = |label: &str, help: &str| {
                // Long help wraps under itself, not under the key.
                let indent = 11;
                let help = wrap(help, text_width.saturating_sub(indent).max(10));
                for (i, part) in help.into_iter().enumerate() {
                    let key = if i == 0 {
                        format!("  {label:<9}")
                    } else {
                        " ".repeat(indent)
                    };
                    lines.push(Line::from(vec![
                        Span::styled(key, theme.key),
                        Span::styled(part, theme.text),
                    ]));
                }
            };
            for b in cx.keymap.entries().iter().filter(|b| b.group == g) {
                row(&b.label, b.help);
            }
            if g == Group::App {
                row("mouse", MOUSE);
            }
        }
        lines.push(Line::default());
        for part in wrap(DIALOG_KEYS, text_width.max(10)) {
            lines.push(Line::styled(part, theme.muted));
        }
        let count = u16::try_from(lines.len()).unwrap_or(u16::MAX);
        let height = count.saturating_add(2).min(area.height);
        let visible = height.saturating_sub(2);
        let max_scroll = count.saturating_sub(visible);
        let scroll = self.scroll.min(max_scroll);
        let title = if max_scroll > 0 {
            format!(
                " Keys {}/{} · j/k scroll · Esc closes ",
                scroll.saturating_add(visible),
                lines.len()
            )
        } else {
            " Keys · ? or Esc closes ".to_string()
        };
        let inner = frame_dialog(frame, centered(area, width, height), &title, theme);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    }
}
