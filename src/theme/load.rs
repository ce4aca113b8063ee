//! Loading a theme: its file, what it inherits and so on up, then the layers merged into one
//! [`Theme`] with every colour looked up and every key left out given its fallback.

use super::error::{self, ThemeError};
use super::file::{self, ColourRef, Layer, Located, Spec};
use super::keys::{KEYS, Theme};
use super::{builtin, builtin_names, colour, names_a_file, suggest};
use ratatui::style::{Color, Style};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A theme file is read up to this size, so a wrong path (`/dev/zero`) fails at once.
const MAX_THEME_BYTES: u64 = crate::text::capped::MIB;

/// How deep `inherits` may go: far more than any real theme needs.
const MAX_INHERITS: usize = 16;

/// Where a theme's text comes from.
pub(super) enum Source {
    Builtin(&'static str, &'static str),
    File(PathBuf),
}

impl Source {
    /// How messages name it.
    fn label(&self) -> String {
        match self {
            Source::Builtin(name, _) => format!("built-in theme {name}"),
            Source::File(path) => path.display().to_string(),
        }
    }

    /// What makes two sources the same, for finding loops in `inherits`.
    fn identity(&self) -> String {
        match self {
            Source::Builtin(name, _) => format!("built-in:{name}"),
            Source::File(path) => std::fs::canonicalize(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string(),
        }
    }

    fn load(&self) -> Result<Layer, ThemeError> {
        match self {
            Source::Builtin(_, text) => file::parse(text, &self.label()),
            Source::File(path) => {
                let text = crate::text::read_to_string_capped(path, MAX_THEME_BYTES, "theme file")
                    .map_err(|e| ThemeError::Read(e.to_string()))?;
                file::parse(&text, &self.label())
            }
        }
    }
}

/// The layers of a theme: `first`, then what it inherits, and so on up.
pub(super) fn load_chain(first: Source) -> Result<Vec<Layer>, ThemeError> {
    let mut seen = vec![(first.identity(), first.label())];
    let mut layers = Vec::new();
    let mut source = first;
    // The `inherits` that led to `source`, to name when its file cannot be read.
    let mut via: Option<Located<String>> = None;
    loop {
        let layer = source.load().map_err(|e| match (e, &via) {
            (ThemeError::Read(why), Some(at)) => {
                invalid(at, "inherits", format!("`inherits`: {why}"))
            }
            (e, _) => e,
        })?;
        let Some(parent) = layer.inherits.clone() else {
            layers.push(layer);
            return Ok(layers);
        };
        let next = locate(&parent, &source)?;
        let id = next.identity();
        if seen.iter().any(|(s, _)| *s == id) {
            let mut chain: Vec<String> = seen.into_iter().map(|(_, label)| label).collect();
            chain.push(next.label());
            return Err(invalid(
                &parent,
                "inherits",
                format!("`inherits` makes a loop: {}", chain.join(" → ")),
            ));
        }
        if seen.len() >= MAX_INHERITS {
            return Err(too_deep(&parent));
        }
        seen.push((id, next.label()));
        layers.push(layer);
        source = next;
        via = Some(parent);
    }
}

/// What `inherits = "NAME"` in `from` means: a file next to it (`NAME.toml`, or a path), else a
/// built-in. A file that inherits its own name gets the built-in: `dark.toml` may tweak `dark`.
fn locate(parent: &Located<String>, from: &Source) -> Result<Source, ThemeError> {
    let name = parent.value.as_str();
    let dir = match from {
        Source::File(path) => path.parent().map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        }),
        Source::Builtin(..) => None,
    };
    if let Some(dir) = dir {
        let candidate = if names_a_file(name) {
            dir.join(name)
        } else {
            dir.join(format!("{name}.toml"))
        };
        let itself = Source::File(candidate.clone()).identity() == from.identity();
        if names_a_file(name) || (candidate.is_file() && !itself) {
            return Ok(Source::File(candidate));
        }
    }
    builtin(name).ok_or_else(|| no_parent(parent, &builtin_names()))
}

/// The theme from its layers (the file first, then what it inherits): palettes and keys merged
/// with the nearer layer winning, colours looked up, and each key left out given its fallback.
pub(super) fn build(name: &str, layers: Vec<Layer>) -> Result<Theme, ThemeError> {
    let mut palette: HashMap<String, Color> = HashMap::new();
    let mut specs: HashMap<&'static str, Located<Spec>> = HashMap::new();
    for layer in layers.into_iter().rev() {
        palette.extend(layer.palette);
        specs.extend(layer.specs);
    }
    let mut resolved: HashMap<&'static str, Style> = HashMap::with_capacity(KEYS.len());
    for key in KEYS {
        let style = match specs.get(key.name) {
            Some(spec) => style_of(key.name, spec, &palette)?,
            None => key
                .fallback
                .and_then(|f| resolved.get(f).copied())
                .unwrap_or_default()
                .add_modifier(key.adds),
        };
        resolved.insert(key.name, style);
    }
    Ok(Theme::from_fn(name.to_string(), |k| {
        resolved.get(k).copied().unwrap_or_default()
    }))
}

fn style_of(
    key: &str,
    spec: &Located<Spec>,
    palette: &HashMap<String, Color>,
) -> Result<Style, ThemeError> {
    let colour = |c: &ColourRef, part: &str| -> Result<Color, ThemeError> {
        match c {
            ColourRef::Index(i) => Ok(Color::Indexed(*i)),
            ColourRef::Text(text) => match palette.get(text) {
                Some(&c) => Ok(c),
                None => colour::parse(text).map_err(|why| {
                    let mut names: Vec<&str> = palette.keys().map(String::as_str).collect();
                    names.sort_unstable();
                    let what = format!("`{key}`{part}");
                    invalid(spec, key, file::not_a_colour(&what, text, &why, &names))
                }),
            },
        }
    };
    let mut style = Style::default().add_modifier(spec.value.modifiers);
    if let Some(fg) = &spec.value.fg {
        style = style.fg(colour(fg, "")?);
    }
    if let Some(bg) = &spec.value.bg {
        style = style.bg(colour(bg, " bg")?);
    }
    Ok(style)
}

fn invalid<T>(at: &Located<T>, key: &str, message: String) -> ThemeError {
    ThemeError::Invalid {
        file: at.file.to_string(),
        line: Some(at.line),
        key: Some(key.to_string()),
        message,
    }
}

pub(super) fn no_parent(parent: &Located<String>, builtins: &[&str]) -> ThemeError {
    let hint = suggest::hint(&parent.value, builtins.iter().copied());
    invalid(
        parent,
        "inherits",
        format!(
            "`inherits`: there is no theme `{}` next to this file or built in{hint}",
            error::shown(&parent.value)
        ),
    )
}

fn too_deep(parent: &Located<String>) -> ThemeError {
    invalid(
        parent,
        "inherits",
        format!("`inherits` goes more than {MAX_INHERITS} themes deep"),
    )
}
