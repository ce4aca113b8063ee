//! Themes: helix-style TOML files of semantic keys over a named palette, with inheritance,
//! fallbacks from each key to a related one, and colours mapped to what the terminal shows
//! (see docs/themes.md). The built-ins in `themes/` are compiled in.

mod colour;
mod depth;
mod error;
mod file;
mod keys;
mod load;
mod suggest;

pub use depth::ColorDepth;
pub use error::ThemeError;
pub use keys::{KEYS, Key, Theme};

use file::{Layer, Located, Spec};
use load::{Source, build, load_chain, no_parent};
use ratatui::style::{Modifier, Style};
use std::path::{Path, PathBuf};

/// The themes compiled into the binary, in the order a picker lists them; the first is the
/// default.
const BUILTINS: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("okabe-ito", include_str!("../../themes/okabe-ito.toml")),
];

/// The theme used when none is chosen.
pub const DEFAULT: &str = "dark";

/// At most this many user themes are listed, so a folder of thousands cannot slow the start.
const MAX_USER_THEMES: usize = 200;

/// A theme a picker offers: loaded, or the reason it does not load.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeChoice {
    pub name: String,
    pub theme: Result<Theme, String>,
}

fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|(n, _)| *n).collect()
}

fn builtin(name: &str) -> Option<Source> {
    BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(n, text)| Source::Builtin(n, text))
}

/// Whether a theme argument names a file rather than a theme: it has a slash or a backslash,
/// or ends in `.toml`.
pub fn names_a_file(arg: &str) -> bool {
    arg.contains('/') || arg.contains('\\') || arg.ends_with(".toml")
}

/// `<config dir>/themes/NAME.toml`, when it is a file.
fn user_theme(config_dir: Option<&Path>, name: &str) -> Option<PathBuf> {
    let path = config_dir?.join("themes").join(format!("{name}.toml"));
    path.is_file().then_some(path)
}

/// A user theme's name as the picker lists it: plain characters only, so a file name cannot
/// put control characters on the screen or read as a path.
fn listable(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Theme {
    /// The default theme (`themes/dark.toml`) as compiled in.
    pub fn bundled() -> Self {
        Self::builtin(DEFAULT).unwrap_or_else(|_| Self::plain())
    }

    /// A built-in theme by name. The built-ins are checked by a unit test, so this fails only
    /// for a name that is not one.
    pub fn builtin(name: &str) -> Result<Self, ThemeError> {
        let source = builtin(name).ok_or_else(|| unknown(name, None))?;
        build(name, load_chain(source)?)
    }

    /// A theme with no colours at all, for tests that want none.
    pub fn plain() -> Self {
        const SET: &[(&str, Modifier)] = &[
            ("text", Modifier::empty()),
            ("muted", Modifier::empty()),
            ("title", Modifier::BOLD),
            ("accent", Modifier::empty()),
            ("side_a", Modifier::BOLD),
            ("side_b", Modifier::BOLD),
            ("border_focused", Modifier::BOLD),
            ("selection", Modifier::REVERSED),
            ("highlight", Modifier::BOLD),
            ("warning", Modifier::empty()),
            ("error", Modifier::BOLD),
            ("status_bar", Modifier::REVERSED),
            ("key", Modifier::BOLD),
        ];
        let specs = SET
            .iter()
            .map(|&(key, modifiers)| {
                let spec = Spec {
                    modifiers,
                    ..Spec::default()
                };
                let located = Located {
                    value: spec,
                    file: "plain".into(),
                    line: 0,
                };
                (key, located)
            })
            .collect();
        let layer = Layer {
            specs,
            ..Layer::default()
        };
        // Modifiers alone cannot fail to resolve.
        build("plain", vec![layer])
            .unwrap_or_else(|_| Theme::from_fn("plain".into(), |_| Style::default()))
    }

    /// The theme `arg` names: a file path (anything with a `/` or ending in `.toml`), else a
    /// user theme `<config_dir>/themes/NAME.toml`, else a built-in. `None` is the default
    /// (which a user theme `dark.toml` may override). Never panics: a theme that does not
    /// load is an error naming the file, the line and the key.
    pub fn resolve(arg: Option<&str>, config_dir: Option<&Path>) -> Result<Self, ThemeError> {
        let name = arg.unwrap_or(DEFAULT);
        let source = if names_a_file(name) {
            Source::File(PathBuf::from(name))
        } else if let Some(path) = user_theme(config_dir, name) {
            Source::File(path)
        } else if let Some(source) = builtin(name) {
            source
        } else {
            return Err(unknown(name, config_dir));
        };
        build(name, load_chain(source)?)
    }

    /// A theme from TOML text, named `name` in messages; it may inherit built-ins only.
    pub fn from_toml(name: &str, text: &str) -> Result<Self, ThemeError> {
        let layer = file::parse(text, name)?;
        let parent = layer.inherits.clone();
        let mut layers = vec![layer];
        if let Some(parent) = parent {
            let source =
                builtin(&parent.value).ok_or_else(|| no_parent(&parent, &builtin_names()))?;
            layers.extend(load_chain(source)?);
        }
        build(name, layers)
    }

    /// The built-ins, then the user themes in `<config_dir>/themes/` (by name, sorted); a user
    /// theme with a built-in's name replaces it and is listed once.
    pub fn available(config_dir: Option<&Path>) -> Vec<String> {
        let mut names: Vec<String> = BUILTINS.iter().map(|(n, _)| n.to_string()).collect();
        let mut user: Vec<String> = config_dir
            .and_then(|d| std::fs::read_dir(d.join("themes")).ok())
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                if path.extension()? != "toml" || !path.is_file() {
                    return None;
                }
                let stem = path.file_stem()?.to_str()?;
                listable(stem).then(|| stem.to_string())
            })
            .filter(|n| !names.contains(n))
            .collect();
        user.sort();
        user.truncate(MAX_USER_THEMES);
        names.append(&mut user);
        names
    }

    /// Every available theme loaded for `depth`, for a picker that must not read files while
    /// it runs. A theme that does not load is listed with its reason.
    pub fn catalogue(config_dir: Option<&Path>, depth: ColorDepth) -> Vec<ThemeChoice> {
        Self::available(config_dir)
            .into_iter()
            .map(|name| {
                let theme = Self::resolve(Some(&name), config_dir)
                    .map(|t| t.for_terminal(depth))
                    .map_err(|e| e.to_string());
                ThemeChoice { name, theme }
            })
            .collect()
    }

    /// The theme as a terminal of `depth` can show it: each colour mapped to the nearest it
    /// has. Without colour, only the modifiers are left; what stood out by its background is
    /// reversed, and side B is made italic if the sides would otherwise look the same.
    pub fn for_terminal(self, depth: ColorDepth) -> Theme {
        let mut theme =
            self.map_styles(|key, style| depth.style(style, keys::STAND_OUT.contains(&key)));
        if depth == ColorDepth::NoColor && theme.side_a.add_modifier == theme.side_b.add_modifier {
            theme.side_b = theme.side_b.add_modifier(Modifier::ITALIC);
        }
        theme
    }

    /// Whether side A and side B differ in more than colour: the rule every built-in keeps,
    /// for readers who cannot tell the colours apart and for terminals without colour.
    pub fn sides_differ_without_colour(&self) -> bool {
        self.side_a.add_modifier != self.side_b.add_modifier
    }
}

fn unknown(name: &str, config_dir: Option<&Path>) -> ThemeError {
    let available = Theme::available(config_dir);
    ThemeError::Unknown {
        name: error::shown(name),
        hint: suggest::hint(name, available.iter().map(String::as_str)),
        available,
    }
}

#[cfg(test)]
mod tests;
