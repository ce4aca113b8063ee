//! The theme picker drawn in every built-in theme, and without colour, with each cell's style in
//! the snapshot: a change to a theme (or to how depths map colours) shows in review.

use agon::app::dialogs::{DrawContext, ThemeDialog};
use agon::app::keymap::Keymap;
use agon::app::visible::Redactor;
use agon::domain::Session;
use agon::providers::scripted::script::DemoScript;
use agon::theme::{ColorDepth, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write;
use time::OffsetDateTime;

/// The picker with `theme` current, drawn for a terminal of `depth` (just its size: 64x11).
fn picker(theme: &str, depth: ColorDepth) -> String {
    let theme = Theme::builtin(theme).unwrap().for_terminal(depth);
    let choices = Theme::catalogue(None, depth);
    draw(&ThemeDialog::new(&choices, &theme), &theme, (64, 11))
}

fn draw(dialog: &ThemeDialog, theme: &Theme, (width, height): (u16, u16)) -> String {
    let script = DemoScript::bundled().unwrap();
    let session = Session::new(script.setup(), OffsetDateTime::UNIX_EPOCH);
    let (redactor, keymap) = (Redactor::open(), Keymap::default());
    let cx = DrawContext {
        theme,
        session: &session,
        redactor: &redactor,
        keymap: &keymap,
        scores: None,
        debaters_note: &[],
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            let area = frame.area();
            frame.buffer_mut().set_style(area, theme.text);
            dialog.draw(frame, area, &cx);
        })
        .unwrap();
    dump(terminal.backend().buffer())
}

/// Each row's text, then its runs of one style: `from-to fg bg +modifiers`.
fn dump(buffer: &Buffer) -> String {
    let mut out = String::new();
    let area = buffer.area;
    for y in 0..area.height {
        let cells: Vec<_> = (0..area.width).map(|x| &buffer[(x, y)]).collect();
        let text: String = cells.iter().map(|c| c.symbol()).collect();
        writeln!(out, "{y:>2} {}", text.trim_end()).unwrap();
        let mut start = 0;
        for x in 1..=cells.len() {
            let same = x < cells.len() && style_of(cells[x]) == style_of(cells[start]);
            if !same {
                let style = style_of(cells[start]);
                if !style.is_empty() {
                    writeln!(out, "     {start}-{} {style}", x - 1).unwrap();
                }
                start = x;
            }
        }
    }
    out
}

fn style_of(cell: &ratatui::buffer::Cell) -> String {
    let colour = |c: Color| match c {
        Color::Reset => String::new(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
        named => format!("{named:?}"),
    };
    let mut parts = Vec::new();
    let (fg, bg) = (colour(cell.fg), colour(cell.bg));
    if !fg.is_empty() {
        parts.push(format!("fg {fg}"));
    }
    if !bg.is_empty() {
        parts.push(format!("bg {bg}"));
    }
    for (name, m) in [
        ("bold", Modifier::BOLD),
        ("dim", Modifier::DIM),
        ("italic", Modifier::ITALIC),
        ("underlined", Modifier::UNDERLINED),
        ("reversed", Modifier::REVERSED),
        ("crossed_out", Modifier::CROSSED_OUT),
    ] {
        if cell.modifier.contains(m) {
            parts.push(format!("+{name}"));
        }
    }
    parts.join(" ")
}

#[test]
fn the_picker_in_every_builtin() {
    for name in Theme::available(None) {
        insta::assert_snapshot!(
            format!("picker_{name}"),
            picker(&name, ColorDepth::TrueColor)
        );
    }
}

#[test]
fn the_picker_without_colour_and_in_16_colours() {
    let none = picker("dark", ColorDepth::NoColor);
    assert!(
        !none.contains("fg ") && !none.contains("bg "),
        "NO_COLOR leaves no colour:\n{none}"
    );
    insta::assert_snapshot!("picker_no_color", none);
    insta::assert_snapshot!("picker_dark_16", picker("dark", ColorDepth::Ansi16));
}

#[test]
fn a_theme_that_does_not_load_says_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("themes")).unwrap();
    std::fs::write(dir.path().join("themes/zz.toml"), "sied_a = \"red\"\n").unwrap();
    let choices = Theme::catalogue(Some(dir.path()), ColorDepth::TrueColor);
    let theme = Theme::bundled();
    let mut dialog = ThemeDialog::new(&choices, &theme);
    let end = ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::End);
    dialog.handle(&end);
    assert_eq!(
        dialog.preview(),
        &theme,
        "the screen keeps the theme it had"
    );
    let screen = draw(&dialog, &theme, (80, 20));
    assert!(screen.contains("▸ zz  (does not load)"), "{screen}");
    assert!(
        screen.contains("line 1: `sied_a` is not a theme"),
        "{screen}"
    );
    assert!(screen.contains("(did you mean `side_a`?)"), "{screen}");
}
