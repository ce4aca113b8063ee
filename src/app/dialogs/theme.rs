//! `T`: choose a theme. Moving previews it on the whole screen; Enter keeps it, Esc goes back
//! to the one there was. The themes were loaded before the screen opened, so moving reads no
//! file.

use super::{DrawContext, Outcome, centered, frame_dialog, row};
use crate::text::{inert, truncate};
use crate::theme::{Theme, ThemeChoice};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// Rows of the list shown at once; more scroll.
const LIST_ROWS: usize = 10;
const WIDTH: u16 = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct ThemeDialog {
    choices: Vec<ThemeChoice>,
    selected: usize,
    /// The theme when the dialog opened, which Esc restores (boxed: a theme is large, and
    /// every open dialog is the size of the largest).
    original: Box<Theme>,
}

impl ThemeDialog {
    /// Lists `choices` with `current` selected; a current theme not among them (a file given
    /// with `--theme`) is listed first.
    pub fn new(choices: &[ThemeChoice], current: &Theme) -> Self {
        let mut choices = choices.to_vec();
        let selected = match choices.iter().position(|c| c.name == current.name) {
            Some(i) => i,
            None => {
                choices.insert(
                    0,
                    ThemeChoice {
                        name: current.name.clone(),
                        theme: Ok(current.clone()),
                    },
                );
                0
            }
        };
        ThemeDialog {
            choices,
            selected,
            original: Box::new(current.clone()),
        }
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<Theme> {
        let last = self.choices.len().saturating_sub(1);
        match key.code {
            KeyCode::Esc => return Outcome::Cancelled,
            KeyCode::Enter => {
                // A theme that does not load cannot be kept; its reason is on screen.
                if let Some(Ok(theme)) = self.choices.get(self.selected).map(|c| &c.theme) {
                    return Outcome::Submitted(theme.clone());
                }
            }
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Home | KeyCode::Char('g') => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = last,
            _ => {}
        }
        Outcome::Open
    }

    /// The theme to show now: the selected one, or the original while the selected one does
    /// not load.
    pub fn preview(&self) -> &Theme {
        match self.choices.get(self.selected).map(|c| &c.theme) {
            Some(Ok(theme)) => theme,
            _ => &self.original,
        }
    }

    pub fn original(&self) -> &Theme {
        &self.original
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        // The app's theme is the previewed one: the dialog shows itself in it.
        let theme = cx.theme;
        let shown = self.choices.len().min(LIST_ROWS);
        let error = self
            .choices
            .get(self.selected)
            .and_then(|c| c.theme.as_ref().err())
            .map(|e| inert(e));
        // The reason wraps: its rows at the inside's width, and a blank row after, at most 6.
        let inside = usize::from(area.width.min(WIDTH).saturating_sub(2)).max(1);
        let error_rows = error
            .as_ref()
            .map_or(0, |e| (e.width().div_ceil(inside) + 1).min(6));
        let height = u16::try_from(shown + error_rows + 7).unwrap_or(u16::MAX);
        let inner = frame_dialog(frame, centered(area, WIDTH, height), " Theme ", theme);
        let width = usize::from(inner.width);

        // Scrolled so that the selected row is in view.
        let first = self.selected.saturating_sub(shown.saturating_sub(1));
        for (i, choice) in self.choices.iter().enumerate().skip(first).take(shown) {
            let selected = i == self.selected;
            let mark = if selected { "▸ " } else { "  " };
            let mut spans = vec![Span::raw(format!(
                "{mark}{}",
                truncate(&inert(&choice.name), width.saturating_sub(20))
            ))];
            if choice.theme.is_err() {
                spans.push(Span::styled("  (does not load)", theme.error));
            }
            // The selection spans the whole row, as in the tree.
            let style = if selected {
                theme.dialog.patch(theme.selection)
            } else {
                theme.dialog
            };
            let y = u16::try_from(i.saturating_sub(first)).unwrap_or(u16::MAX);
            frame.render_widget(Line::from(spans).style(style), row(inner, y));
        }

        let mut lines = vec![Line::default()];
        if let Some(e) = error {
            lines.push(Line::styled(e, theme.error));
            lines.push(Line::default());
        }
        lines.extend(samples(theme));
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("↑/↓", theme.key),
            Span::styled(" preview   ", theme.muted),
            Span::styled("Enter", theme.key),
            Span::styled(" keep   ", theme.muted),
            Span::styled("Esc", theme.key),
            Span::styled(" go back", theme.muted),
        ]));
        let list_height = u16::try_from(shown).unwrap_or(u16::MAX);
        let rest = Rect {
            y: inner.y.saturating_add(list_height),
            height: inner.height.saturating_sub(list_height),
            ..inner
        };
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rest);
    }
}

/// A few of the theme's styles side by side, to judge it by.
fn samples(theme: &Theme) -> Vec<Line<'static>> {
    let gap = || Span::styled("  ", theme.dialog);
    vec![
        Line::from(vec![
            Span::styled("A Side A", theme.side_a),
            gap(),
            Span::styled("B Side B", theme.side_b),
            gap(),
            Span::styled("+ supports", theme.supports),
            gap(),
            Span::styled("× attacks", theme.attacks),
        ]),
        Line::from(vec![
            Span::styled("“exact”", theme.quote_exact),
            gap(),
            Span::styled("“close”", theme.quote_close),
            gap(),
            Span::styled("“not found”", theme.quote_not_found),
            gap(),
            Span::styled("warning", theme.warning),
            gap(),
            Span::styled("error", theme.error),
        ]),
    ]
}

/// What the app says when a theme is kept: it lasts this session; how to keep it for good.
pub fn kept(name: &str) -> String {
    let name = inert(name);
    format!(
        "Theme {name} for this session. To keep it: theme = \"{name}\" under [ui] in the config file, or --theme {name}."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn choices() -> Vec<ThemeChoice> {
        let mut c = Theme::catalogue(None, crate::theme::ColorDepth::TrueColor);
        c.push(ThemeChoice {
            name: "broken".into(),
            theme: Err("broken.toml line 1: `txet` is not a theme key".into()),
        });
        c
    }

    #[test]
    fn moving_previews_and_esc_goes_back() {
        let dark = Theme::bundled();
        let mut d = ThemeDialog::new(&choices(), &dark);
        assert_eq!(d.preview().name, "dark");
        assert_eq!(d.handle(&key(KeyCode::Down)), Outcome::Open);
        assert_eq!(d.preview().name, "light");
        d.handle(&key(KeyCode::Char('j')));
        assert_eq!(d.preview().name, "high-contrast");
        assert_eq!(d.handle(&key(KeyCode::Esc)), Outcome::Cancelled);
        assert_eq!(d.original(), &dark);
    }

    #[test]
    fn enter_keeps_a_theme_that_loads() {
        let mut d = ThemeDialog::new(&choices(), &Theme::bundled());
        d.handle(&key(KeyCode::Up));
        assert_eq!(d.preview().name, "dark", "the top stays the top");
        d.handle(&key(KeyCode::End));
        // The broken theme shows the original and cannot be kept.
        assert_eq!(d.preview().name, "dark");
        assert_eq!(d.handle(&key(KeyCode::Enter)), Outcome::Open);
        d.handle(&key(KeyCode::Up));
        match d.handle(&key(KeyCode::Enter)) {
            Outcome::Submitted(t) => assert_eq!(t.name, "okabe-ito"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_current_theme_from_a_file_is_listed_first() {
        let mut mine = Theme::plain();
        mine.name = "/tmp/mine.toml".into();
        let mut d = ThemeDialog::new(&choices(), &mine);
        assert_eq!(d.preview(), &mine);
        d.handle(&key(KeyCode::Down));
        assert_eq!(d.preview().name, "dark");
    }
}

#[cfg(test)]
mod app_tests {
    use crate::app::dialogs::Dialog;
    use crate::app::{App, Msg, Settings};
    use crate::engine::{Engine, EngineConfig, Mode};
    use crate::theme::Theme;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use time::OffsetDateTime;

    fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
        app.update(
            Msg::Key(KeyEvent::new(code, mods)),
            OffsetDateTime::UNIX_EPOCH,
        );
    }

    fn app() -> App {
        let script = crate::providers::scripted::script::DemoScript::bundled().unwrap();
        let session = crate::domain::Session::new(script.setup(), OffsetDateTime::UNIX_EPOCH);
        let engine = Engine::new(session, Mode::Live, EngineConfig::default(), None);
        let settings = Settings {
            theme: Theme::bundled(),
            ..Settings::default()
        };
        App::new(engine, settings)
    }

    #[test]
    fn t_previews_as_you_move_and_esc_restores() {
        let mut app = app();
        press(&mut app, KeyCode::Char('T'), KeyModifiers::SHIFT);
        assert!(matches!(app.dialog, Some(Dialog::Theme(_))));
        press(&mut app, KeyCode::Down, KeyModifiers::NONE);
        assert_eq!(app.theme().name, "light", "the screen previews it");
        press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        assert!(app.dialog.is_none());
        assert_eq!(app.theme(), &Theme::bundled());
    }

    #[test]
    fn enter_keeps_the_theme_and_says_how_to_keep_it_for_good() {
        let mut app = app();
        press(&mut app, KeyCode::Char('T'), KeyModifiers::SHIFT);
        press(&mut app, KeyCode::End, KeyModifiers::NONE);
        press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert!(app.dialog.is_none());
        assert_eq!(app.theme().name, "okabe-ito");
        let notice = app
            .notice
            .as_ref()
            .map(|n| n.text.as_str())
            .unwrap_or_default();
        assert!(
            notice.contains("theme = \"okabe-ito\" under [ui]"),
            "{notice}"
        );
    }
}
