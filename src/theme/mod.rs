//! Themes: flat TOML files of semantic style keys over a named palette (see `themes/`).

use anyhow::{Context, Result, anyhow, bail};
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

const DEFAULT_THEME: &str = include_str!("../../themes/default.toml");
/// A theme file is read up to this size, so a wrong path (`/dev/zero`) fails at once.
const MAX_THEME_BYTES: u64 = crate::text::capped::MIB;

/// The styles the UI draws with. Every field is resolved at load time, so drawing never looks
/// anything up by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub text: Style,
    pub muted: Style,
    pub title: Style,
    pub side_a: Style,
    pub side_b: Style,
    pub side_a_text: Style,
    pub side_b_text: Style,
    pub accent: Style,
    pub border: Style,
    pub border_focused: Style,
    pub selection: Style,
    pub highlight: Style,
    pub supports: Style,
    pub attacks: Style,
    pub warning: Style,
    pub error: Style,
    pub success: Style,
    pub status_bar: Style,
    pub dialog: Style,
    pub key: Style,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    palette: HashMap<String, String>,
    #[serde(default)]
    styles: HashMap<String, StyleSpec>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StyleSpec {
    Fg(String),
    Full {
        #[serde(default)]
        fg: Option<String>,
        #[serde(default)]
        bg: Option<String>,
        #[serde(default)]
        modifiers: Vec<String>,
    },
}

/// Each key and the key it falls back to when a theme leaves it out.
const FALLBACKS: &[(&str, Option<&str>)] = &[
    ("text", None),
    ("muted", Some("text")),
    ("title", Some("text")),
    ("accent", Some("title")),
    ("side_a", Some("accent")),
    ("side_b", Some("accent")),
    ("side_a_text", Some("text")),
    ("side_b_text", Some("text")),
    ("border", Some("muted")),
    ("border_focused", Some("accent")),
    ("selection", None),
    ("highlight", Some("accent")),
    ("supports", Some("text")),
    ("attacks", Some("text")),
    ("warning", Some("highlight")),
    ("error", Some("warning")),
    ("success", Some("text")),
    ("status_bar", Some("text")),
    ("dialog", Some("text")),
    ("key", Some("accent")),
];

impl Theme {
    /// The theme compiled into the binary (`themes/default.toml`).
    pub fn bundled() -> Self {
        // The bundled file is checked by a unit test, so this cannot fail in a release.
        Self::parse(DEFAULT_THEME).unwrap_or_else(|_| Self::plain())
    }

    /// A theme with no colours at all, for terminals or tests that want none.
    pub fn plain() -> Self {
        let s = Style::default();
        Theme {
            name: "plain".into(),
            text: s,
            muted: s,
            title: s.add_modifier(Modifier::BOLD),
            side_a: s.add_modifier(Modifier::BOLD),
            side_b: s.add_modifier(Modifier::BOLD),
            side_a_text: s,
            side_b_text: s,
            accent: s,
            border: s,
            border_focused: s.add_modifier(Modifier::BOLD),
            selection: s.add_modifier(Modifier::REVERSED),
            highlight: s.add_modifier(Modifier::BOLD),
            supports: s,
            attacks: s,
            warning: s,
            error: s.add_modifier(Modifier::BOLD),
            success: s,
            status_bar: s.add_modifier(Modifier::REVERSED),
            dialog: s,
            key: s.add_modifier(Modifier::BOLD),
        }
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = crate::text::read_to_string_capped(path, MAX_THEME_BYTES, "theme file")?;
        Self::parse(&text).with_context(|| format!("theme file {} is not valid", path.display()))
    }

    pub fn parse(text: &str) -> Result<Self> {
        let file: ThemeFile = toml::from_str(text)?;
        let mut resolved: HashMap<&str, Style> = HashMap::new();
        for key in file.styles.keys() {
            if !FALLBACKS.iter().any(|(k, _)| k == key) {
                bail!("unknown style key {key:?}");
            }
        }
        for &(key, fallback) in FALLBACKS {
            let style = match file.styles.get(key) {
                Some(spec) => {
                    resolve(spec, &file.palette).with_context(|| format!("style {key:?}"))?
                }
                None => fallback
                    .and_then(|f| resolved.get(f).copied())
                    .unwrap_or_default(),
            };
            resolved.insert(key, style);
        }
        // Without a selection style the tree's cursor would be invisible.
        if !file.styles.contains_key("selection") {
            resolved.insert(
                "selection",
                Style::default().add_modifier(Modifier::REVERSED),
            );
        }
        let get = |k: &str| resolved.get(k).copied().unwrap_or_default();
        Ok(Theme {
            name: file.name.unwrap_or_else(|| "custom".into()),
            text: get("text"),
            muted: get("muted"),
            title: get("title"),
            side_a: get("side_a"),
            side_b: get("side_b"),
            side_a_text: get("side_a_text"),
            side_b_text: get("side_b_text"),
            accent: get("accent"),
            border: get("border"),
            border_focused: get("border_focused"),
            selection: get("selection"),
            highlight: get("highlight"),
            supports: get("supports"),
            attacks: get("attacks"),
            warning: get("warning"),
            error: get("error"),
            success: get("success"),
            status_bar: get("status_bar"),
            dialog: get("dialog"),
            key: get("key"),
        })
    }
}

fn resolve(spec: &StyleSpec, palette: &HashMap<String, String>) -> Result<Style> {
    let mut style = Style::default();
    match spec {
        StyleSpec::Fg(fg) => style = style.fg(color(fg, palette)?),
        StyleSpec::Full { fg, bg, modifiers } => {
            if let Some(fg) = fg {
                style = style.fg(color(fg, palette)?);
            }
            if let Some(bg) = bg {
                style = style.bg(color(bg, palette)?);
            }
            for m in modifiers {
                style = style.add_modifier(modifier(m)?);
            }
        }
    }
    Ok(style)
}

fn color(name: &str, palette: &HashMap<String, String>) -> Result<Color> {
    let value = palette.get(name).map_or(name, String::as_str);
    value
        .parse::<Color>()
        .map_err(|_| anyhow!("{name:?} is neither a palette name nor a colour"))
}

fn modifier(name: &str) -> Result<Modifier> {
    Ok(match name {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        "reversed" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        other => bail!("unknown modifier {other:?}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_theme_parses() {
        let t = Theme::parse(DEFAULT_THEME).unwrap();
        assert_eq!(t.name, "default");
        assert_ne!(t.side_a, t.side_b, "the sides must look different");
        assert_eq!(t.side_a.fg, Some(Color::Rgb(0x61, 0xaf, 0xef)));
    }

    #[test]
    fn missing_keys_fall_back() {
        let t = Theme::parse("[styles]\ntext = \"white\"\naccent = \"red\"").unwrap();
        assert_eq!(t.muted.fg, Some(Color::White));
        assert_eq!(t.border_focused.fg, Some(Color::Red));
        assert_eq!(
            t.error.fg,
            Some(Color::Red),
            "error -> warning -> highlight -> accent"
        );
    }

    #[test]
    fn bad_themes_say_what_is_wrong() {
        let e = Theme::parse("[styles]\ntext = \"nocolour\"").unwrap_err();
        assert!(format!("{e:#}").contains("nocolour"));
        let e = Theme::parse("[styles]\ntxet = \"red\"").unwrap_err();
        assert!(format!("{e:#}").contains("txet"));
        let e =
            Theme::parse("[styles]\ntext = { fg = \"red\", modifiers = [\"blink\"] }").unwrap_err();
        assert!(format!("{e:#}").contains("blink"));
        assert!(Theme::parse("not = [toml").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_theme_file_is_refused_at_the_cap() {
        let e = Theme::load(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "the theme file /dev/zero is larger than 1 MiB; is it the right file?"
        );
    }
}
