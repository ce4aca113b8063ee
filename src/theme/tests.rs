use super::*;
use ratatui::style::Color;
use std::fs;

fn rgb(hex: u32) -> Color {
    let [_, r, g, b] = hex.to_be_bytes();
    Color::Rgb(r, g, b)
}

fn message(e: &ThemeError) -> String {
    e.to_string()
}

#[test]
fn every_builtin_loads_and_keeps_the_side_rule() {
    for (name, _) in BUILTINS {
        let theme = Theme::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(theme.name, *name);
        assert!(
            theme.sides_differ_without_colour(),
            "{name}: side_a and side_b need different modifiers"
        );
        assert_ne!(
            theme.side_a.fg, theme.side_b.fg,
            "{name}: the sides need different hues"
        );
        for depth in [ColorDepth::Ansi256, ColorDepth::Ansi16, ColorDepth::NoColor] {
            let t = theme.clone().for_terminal(depth);
            assert!(t.sides_differ_without_colour(), "{name} at {depth:?}");
            // The selected row must stand out at every depth: a background other than the
            // text's, or reversed.
            let sel = t.selection;
            assert!(
                sel.add_modifier.contains(Modifier::REVERSED)
                    || (sel.bg.is_some() && sel.bg != t.text.bg),
                "{name} at {depth:?}: the selection is invisible ({sel:?})"
            );
            if depth == ColorDepth::Ansi16 {
                assert_ne!(
                    t.side_a.fg, t.side_b.fg,
                    "{name}: sides share a colour in 16 colours"
                );
            }
        }
    }
    assert_eq!(Theme::bundled().name, DEFAULT);
}

#[test]
fn dark_keeps_the_look_it_had() {
    let t = Theme::bundled();
    assert_eq!(t.text, Style::default().fg(rgb(0xd7dae0)));
    assert_eq!(
        t.side_a,
        Style::default()
            .fg(rgb(0x61afef))
            .add_modifier(Modifier::BOLD)
    );
    assert_eq!(
        t.side_b,
        Style::default()
            .fg(rgb(0xe5a04b))
            .add_modifier(Modifier::BOLD | Modifier::ITALIC)
    );
    assert_eq!(t.selection, Style::default().bg(rgb(0x3e4452)));
    assert_eq!(
        t.error,
        Style::default()
            .fg(rgb(0xe06c75))
            .add_modifier(Modifier::BOLD)
    );
    // The keys it leaves out fall back as the transcript used to style them by hand.
    assert_eq!(
        t.quote_exact,
        Style::default()
            .fg(rgb(0x98c379))
            .add_modifier(Modifier::UNDERLINED)
    );
    assert_eq!(
        t.quote_close,
        Style::default()
            .fg(rgb(0xe5c07b))
            .add_modifier(Modifier::ITALIC)
    );
    assert_eq!(
        t.quote_not_found,
        t.error.add_modifier(Modifier::CROSSED_OUT)
    );
    assert_eq!(
        t.quote_over_budget,
        t.error.add_modifier(Modifier::CROSSED_OUT)
    );
    assert_eq!(t.cut, t.warning);
    assert_eq!(t.cursor, t.accent);
    assert_eq!(t.code, Style::default().add_modifier(Modifier::DIM));
    assert_eq!(t.chart_a, t.side_a);
}

#[test]
fn plain_has_no_colour() {
    let t = Theme::plain();
    for key in KEYS {
        let s = t.style(key.name).unwrap();
        assert_eq!((s.fg, s.bg), (None, None), "{}", key.name);
    }
    assert_eq!(t.warning, Style::default());
    assert_eq!(
        t.selection,
        Style::default().add_modifier(Modifier::REVERSED)
    );
    assert_eq!(
        t.quote_close,
        Style::default().add_modifier(Modifier::ITALIC)
    );
}

#[test]
fn keys_left_out_fall_back_to_related_keys() {
    let t = Theme::from_toml("t", "text = \"white\"\naccent = \"red\"").unwrap();
    assert_eq!(t.muted.fg, Some(Color::White));
    assert_eq!(t.border_focused.fg, Some(Color::Red));
    assert_eq!(
        t.error.fg,
        Some(Color::Red),
        "error -> warning -> highlight -> accent"
    );
    assert_eq!(t.side_a, t.side_b, "both fall back to accent");
    assert_eq!(
        t.selection,
        Style::default().add_modifier(Modifier::REVERSED)
    );
    // The fallback's modifiers are added to, not replaced.
    assert_eq!(
        t.search_current,
        Style::default()
            .fg(Color::Red)
            .add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED)
    );
    assert_eq!(
        t.heading,
        Style::default()
            .fg(Color::White)
            .add_modifier(Modifier::BOLD)
    );
    // A key that is set is used as written, not merged with its fallback.
    let t = Theme::from_toml("t", "accent = \"red\"\nside_a = { modifiers = [\"bold\"] }").unwrap();
    assert_eq!(t.side_a, Style::default().add_modifier(Modifier::BOLD));
}

#[test]
fn styles_take_every_colour_form() {
    let t = Theme::from_toml(
        "t",
        r##"
text = "light-blue"
muted = "244"
title = 208
accent = { fg = "#102030", bg = "ink", modifiers = ["bold", "italic", "dim", "underlined", "reversed", "crossed_out"] }
border = "Bright Red"

[palette]
ink = "#000010"
"##,
    )
    .unwrap();
    assert_eq!(t.text.fg, Some(Color::LightBlue));
    assert_eq!(t.muted.fg, Some(Color::Indexed(244)));
    assert_eq!(t.title.fg, Some(Color::Indexed(208)));
    assert_eq!(t.accent.fg, Some(rgb(0x102030)));
    assert_eq!(t.accent.bg, Some(rgb(0x000010)));
    assert_eq!(
        t.accent.add_modifier,
        Modifier::all() - Modifier::SLOW_BLINK - Modifier::RAPID_BLINK - Modifier::HIDDEN
    );
    assert_eq!(t.border.fg, Some(Color::LightRed));
}

#[test]
fn a_palette_name_hides_the_colour_name() {
    let t = Theme::from_toml("t", "text = \"red\"\n[palette]\nred = \"#e06c75\"").unwrap();
    assert_eq!(t.text.fg, Some(rgb(0xe06c75)));
}

#[test]
fn the_old_styles_table_still_reads() {
    let old = "name = \"mine\"\n[palette]\nblue = \"#61afef\"\n[styles]\nside_a = \"blue\"\n";
    let t = Theme::from_toml("mine", old).unwrap();
    assert_eq!(t.side_a.fg, Some(rgb(0x61afef)));
    let e =
        Theme::from_toml("m.toml", "side_a = \"red\"\n[styles]\nside_a = \"blue\"").unwrap_err();
    assert_eq!(
        message(&e),
        "m.toml line 3: `side_a` is set twice (also on line 1)"
    );
}

#[test]
fn a_theme_inherits_and_overrides() {
    let t = Theme::from_toml("mine", "inherits = \"dark\"\nside_a = \"#ff0000\"").unwrap();
    let dark = Theme::bundled();
    assert_eq!(t.side_a, Style::default().fg(rgb(0xff0000)));
    assert_eq!(t.side_b, dark.side_b);
    assert_eq!(t.name, "mine");
    // The parent's keys use the child's palette: one colour changed everywhere it is used.
    let t = Theme::from_toml("mine", "inherits = \"dark\"\n[palette]\nblue = \"#0000ff\"").unwrap();
    assert_eq!(t.side_a, dark.side_a.fg(rgb(0x0000ff)));
    assert_eq!(t.side_b, dark.side_b);
    // Keys neither file sets fall back over the merged keys: the child's `success` reaches
    // `quote_exact`.
    let t = Theme::from_toml("mine", "inherits = \"light\"\nsuccess = \"light-cyan\"").unwrap();
    assert_eq!(
        t.quote_exact,
        Style::default()
            .fg(Color::LightCyan)
            .add_modifier(Modifier::UNDERLINED)
    );
}

#[test]
fn inheriting_from_files_next_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    fs::create_dir(&themes).unwrap();
    fs::write(
        themes.join("base.toml"),
        "text = \"blue\"\nmuted = \"c\"\n[palette]\nc = \"#010203\"\n",
    )
    .unwrap();
    fs::write(
        themes.join("mine.toml"),
        "inherits = \"base\"\ntext = \"red\"\n",
    )
    .unwrap();
    // A user `dark.toml` inheriting `dark` tweaks the built-in, and replaces it by name.
    fs::write(
        themes.join("dark.toml"),
        "inherits = \"dark\"\nborder = \"light-green\"\n",
    )
    .unwrap();
    let config = Some(dir.path());
    let t = Theme::resolve(Some("mine"), config).unwrap();
    assert_eq!(
        (t.text.fg, t.muted.fg),
        (Some(Color::Red), Some(rgb(0x010203)))
    );
    let t = Theme::resolve(None, config).unwrap();
    assert_eq!(t.border.fg, Some(Color::LightGreen));
    assert_eq!(t.side_a, Theme::bundled().side_a);
    // A path: relative to the file that inherits.
    fs::write(themes.join("by-path.toml"), "inherits = \"./base.toml\"\n").unwrap();
    let path = themes.join("by-path.toml");
    let t = Theme::resolve(path.to_str(), None).unwrap();
    assert_eq!(t.text.fg, Some(Color::Blue));
    assert_eq!(t.name, path.to_str().unwrap());
}

#[test]
fn inheritance_loops_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
    fs::write(&a, "# a\ninherits = \"b\"\n").unwrap();
    fs::write(&b, "inherits = \"a\"\n").unwrap();
    let e = Theme::resolve(a.to_str(), None).unwrap_err();
    assert_eq!(e.key(), Some("inherits"));
    assert_eq!(e.line(), Some(1));
    let text = message(&e);
    assert!(
        text.starts_with(&format!(
            "{} line 1: `inherits` makes a loop: ",
            b.display()
        )),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "{} → {} → {}",
            a.display(),
            b.display(),
            a.display()
        )),
        "{text}"
    );
    // A file naming itself by path is a loop too.
    fs::write(&a, "inherits = \"./a.toml\"\n").unwrap();
    let e = Theme::resolve(a.to_str(), None).unwrap_err();
    assert!(message(&e).contains("makes a loop"), "{e}");
}

#[test]
fn a_parent_file_that_cannot_be_read_is_named_where_it_is_inherited() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine.toml");
    fs::write(&mine, "\ninherits = \"./gone.toml\"\n").unwrap();
    let e = Theme::resolve(mine.to_str(), None).unwrap_err();
    assert_eq!((e.line(), e.key()), (Some(2), Some("inherits")));
    let text = message(&e);
    assert!(
        text.starts_with(&format!(
            "{} line 2: `inherits`: cannot read the theme file ",
            mine.display()
        )),
        "{text}"
    );
}

#[test]
fn a_missing_parent_is_named() {
    let e = Theme::from_toml("mine.toml", "text = \"red\"\ninherits = \"drak\"").unwrap_err();
    assert_eq!(
        message(&e),
        "mine.toml line 2: `inherits`: there is no theme `drak` next to this file or built in (did you mean `dark`?)"
    );
    let e = Theme::from_toml("mine.toml", "inherits = 3").unwrap_err();
    assert_eq!(
        message(&e),
        "mine.toml line 1: `inherits` must be a theme's name or file, in quotes"
    );
}

#[test]
fn a_bad_theme_names_the_file_the_line_and_the_key() {
    let text = "# mine\n\n\n\n\n\n\n\n\n\ntext = \"white\"\nsied_a = \"red\"\n";
    let e = Theme::from_toml("themes/mine.toml", text).unwrap_err();
    assert_eq!(
        message(&e),
        "themes/mine.toml line 12: `sied_a` is not a theme key (did you mean `side_a`?)"
    );
    assert_eq!(e.key(), Some("sied_a"));
    let cases: &[(&str, &str)] = &[
        (
            "side_a = \"bleu\"",
            "t line 1: `side_a`: `bleu` is not a colour name (did you mean `blue`?); use #rrggbb, an ANSI name (red, light-blue...) or 0-255",
        ),
        (
            "[palette]\nsky = \"#61afef\"\n[styles]\nside_a = { fg = \"skye\" }",
            "t line 4: `side_a`: `skye` is neither a palette name nor a colour name (did you mean `sky`?); use #rrggbb, an ANSI name (red, light-blue...) or 0-255",
        ),
        (
            "text = \"#12345\"",
            "t line 1: `text`: `#12345` is not a colour: write #rrggbb, six hex digits",
        ),
        (
            "text = { bg = \"300\" }",
            "t line 1: `text` bg: `300` is not a colour index: use 0 to 255",
        ),
        (
            "text = 300",
            "t line 1: `text`: `300` is not a colour index: use 0 to 255",
        ),
        (
            "\ntext = { fg = \"red\", modifiers = [\"bold\",\n \"blink\"] }",
            "t line 3: `text`: `blink` is not a modifier; use bold, italic, dim, underlined, reversed, crossed_out",
        ),
        (
            "text = { fg = \"red\", modifiers = [\"itallic\"] }",
            "t line 1: `text`: `itallic` is not a modifier (did you mean `italic`?); use bold, italic, dim, underlined, reversed, crossed_out",
        ),
        (
            "text = { modifiers = \"bold\" }",
            "t line 1: `text` modifiers must be a list, like [\"bold\", \"italic\"]",
        ),
        (
            "text = { fg = \"red\", modifier = [\"bold\"] }",
            "t line 1: `text`: `modifier` is not part of a style; a style has fg, bg and modifiers (did you mean `modifiers`?)",
        ),
        (
            "text = true",
            "t line 1: `text` must be a colour in quotes or a table { fg, bg, modifiers }",
        ),
        (
            "[palette]\n\nblue = \"#zzzzzz\"",
            "t line 3: palette `blue`: `#zzzzzz` is not a colour: write #rrggbb, six hex digits",
        ),
        (
            "palette = 3",
            "t line 1: `palette` must be a table of colour names",
        ),
        ("text = \"red\"\ntext = \"blue\"", "t line 2: duplicate key"),
        ("text = [\"red\"", "t line 1: unclosed array, expected `]`"),
        (
            "side_a = \"\\u001b[31m\"",
            "t line 1: `side_a`: `\\u{1b}[31m` is not a colour name; use #rrggbb, an ANSI name (red, light-blue...) or 0-255",
        ),
    ];
    for (text, expected) in cases {
        let e = Theme::from_toml("t", text).unwrap_err();
        assert_eq!(&message(&e), expected, "for {text:?}");
    }
}

#[test]
fn resolve_finds_builtins_user_themes_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    fs::create_dir(&themes).unwrap();
    fs::write(themes.join("mine.toml"), "text = \"red\"").unwrap();
    fs::write(themes.join("broken.toml"), "text = \"nocolour\"").unwrap();
    let config = Some(dir.path());
    assert_eq!(Theme::resolve(None, config).unwrap(), Theme::bundled());
    assert_eq!(Theme::resolve(Some("light"), config).unwrap().name, "light");
    assert_eq!(
        Theme::resolve(Some("mine"), config).unwrap().text.fg,
        Some(Color::Red)
    );
    let file = themes.join("mine.toml");
    assert_eq!(
        Theme::resolve(file.to_str(), None).unwrap().text.fg,
        Some(Color::Red)
    );

    let e = Theme::resolve(Some("drak"), config).unwrap_err();
    assert_eq!(
        message(&e),
        "there is no theme `drak` (did you mean `dark`?); the themes are dark, light, high-contrast, okabe-ito, broken, mine, or give a theme file's path"
    );
    let e = Theme::resolve(Some("broken"), config).unwrap_err();
    assert!(
        message(&e).starts_with(&format!(
            "{} line 1: `text`: `nocolour`",
            themes.join("broken.toml").display()
        )),
        "{e}"
    );
    let e = Theme::resolve(Some("no/such.toml"), None).unwrap_err();
    assert!(
        message(&e).starts_with("cannot read the theme file no/such.toml: "),
        "{e}"
    );
    assert!(message(&e).ends_with("; check the path"), "{e}");
}

#[cfg(unix)]
#[test]
fn an_endless_theme_file_is_refused_at_the_cap() {
    let e = Theme::resolve(Some("/dev/zero"), None).unwrap_err();
    assert_eq!(
        message(&e),
        "the theme file /dev/zero is larger than 1 MiB; is it the right file?"
    );
}

#[test]
fn available_lists_builtins_then_user_themes() {
    assert_eq!(
        Theme::available(None),
        ["dark", "light", "high-contrast", "okabe-ito"]
    );
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        Theme::available(Some(dir.path())).len(),
        4,
        "no themes folder"
    );
    let themes = dir.path().join("themes");
    fs::create_dir(&themes).unwrap();
    for name in [
        "zeta.toml",
        "alpha.toml",
        "light.toml",
        "notes.txt",
        "with space.toml",
        "x.y.toml",
    ] {
        fs::write(themes.join(name), "").unwrap();
    }
    fs::create_dir(themes.join("folder.toml")).unwrap();
    assert_eq!(
        Theme::available(Some(dir.path())),
        [
            "dark",
            "light",
            "high-contrast",
            "okabe-ito",
            "alpha",
            "zeta"
        ]
    );
}

#[test]
fn the_catalogue_loads_each_for_the_terminal_and_keeps_failures() {
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    fs::create_dir(&themes).unwrap();
    fs::write(themes.join("bad.toml"), "txet = \"red\"").unwrap();
    let choices = Theme::catalogue(Some(dir.path()), ColorDepth::Ansi16);
    let names: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["dark", "light", "high-contrast", "okabe-ito", "bad"]
    );
    let dark = choices[0].theme.as_ref().unwrap();
    assert_eq!(
        dark.side_a.fg,
        Some(Color::LightCyan),
        "mapped to 16 colours"
    );
    let bad = choices[4].theme.as_ref().unwrap_err();
    assert!(
        bad.ends_with("line 1: `txet` is not a theme key (did you mean `text`?)"),
        "{bad}"
    );
}

#[test]
fn colour_depths_map_every_key() {
    let dark = Theme::bundled();
    let none = dark.clone().for_terminal(ColorDepth::NoColor);
    for key in KEYS {
        let (before, after) = (dark.style(key.name).unwrap(), none.style(key.name).unwrap());
        assert_eq!((after.fg, after.bg), (None, None), "{}", key.name);
        assert!(
            after.add_modifier.contains(before.add_modifier),
            "{} keeps its modifiers",
            key.name
        );
    }
    // What stood out by its background is reversed instead; the dialog's background is not a mark.
    assert_eq!(
        none.selection,
        Style::default().add_modifier(Modifier::REVERSED)
    );
    assert_eq!(
        none.status_bar,
        Style::default().add_modifier(Modifier::REVERSED)
    );
    assert_eq!(none.dialog, Style::default());
    assert_eq!(none.side_b.add_modifier, Modifier::BOLD | Modifier::ITALIC);

    let c256 = dark.clone().for_terminal(ColorDepth::Ansi256);
    assert_eq!(c256.side_a.fg, Some(Color::Indexed(75)));
    assert_eq!(c256.side_b.fg, Some(Color::Indexed(179)));
    assert_eq!(c256.side_a.add_modifier, dark.side_a.add_modifier);
    assert_eq!(dark.clone().for_terminal(ColorDepth::TrueColor), dark);

    // A theme whose sides differ only in colour gets side B italic without colour.
    let same = Theme::from_toml("t", "side_a = \"red\"\nside_b = \"blue\"").unwrap();
    let none = same.for_terminal(ColorDepth::NoColor);
    assert_eq!(none.side_a, Style::default());
    assert_eq!(none.side_b, Style::default().add_modifier(Modifier::ITALIC));
}

#[test]
fn the_docs_list_every_key_with_its_fallback() {
    let docs = include_str!("../../docs/themes.md");
    for key in KEYS {
        let row = docs
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", key.name)))
            .unwrap_or_else(|| panic!("docs/themes.md has no row for `{}`", key.name));
        let fallback = row.split('|').nth(2).unwrap_or_default();
        match key.fallback {
            Some(f) => assert!(fallback.contains(&format!("`{f}`")), "{}: {row}", key.name),
            None => assert!(
                fallback.contains('—'),
                "{} has no fallback: {row}",
                key.name
            ),
        }
        for (name, m) in file::MODIFIERS {
            if key.adds.contains(*m) {
                assert!(fallback.contains(name), "{} adds {name}: {row}", key.name);
            }
        }
    }
}
