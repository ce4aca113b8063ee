//! One theme file read into a [`Layer`]: its palette, its keys, what it inherits. Each value
//! keeps the line it came from, so a problem found later (a colour that names nothing once the
//! palettes are merged) is still reported at its line.

use super::colour::{self, ColourError};
use super::error::{ThemeError, shown};
use super::keys::KEYS;
use super::suggest;
use ratatui::style::{Color, Modifier};
use std::collections::HashMap;
use std::sync::Arc;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

/// A value and where it was written.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub file: Arc<str>,
    pub line: usize,
}

/// A colour as a style wrote it: a name is looked up once the palettes are merged.
#[derive(Debug, Clone)]
pub enum ColourRef {
    /// A palette name, or else a colour value (`#rrggbb`, an ANSI name, `"208"`).
    Text(String),
    /// A bare TOML integer, 0-255.
    Index(u8),
}

/// One key's style as written.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    pub fg: Option<ColourRef>,
    pub bg: Option<ColourRef>,
    pub modifiers: Modifier,
}

/// What one file says.
#[derive(Debug, Default)]
pub struct Layer {
    pub inherits: Option<Located<String>>,
    pub palette: HashMap<String, Color>,
    pub specs: HashMap<&'static str, Located<Spec>>,
}

/// The modifiers a style may list.
pub const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("italic", Modifier::ITALIC),
    ("dim", Modifier::DIM),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
];

/// The entries of a file that are not theme keys.
const OTHER_ENTRIES: &[&str] = &["inherits", "palette", "styles", "name"];

/// Reads `text`, a theme file that messages call `file`.
pub fn parse(text: &str, file: &str) -> Result<Layer, ThemeError> {
    let doc = Doc {
        text,
        file: Arc::from(file),
    };
    let root = DeTable::parse(text)
        .map_err(|e| doc.error(e.span().map(|s| s.start), None, e.message().to_string()))?;
    let mut layer = Layer::default();
    for (key, value) in in_file_order(root.get_ref()) {
        let name = key.get_ref().as_ref();
        let at = key.span().start;
        match name {
            "inherits" => match value.get_ref() {
                DeValue::String(parent) => {
                    layer.inherits = Some(doc.located(parent.to_string(), at));
                }
                _ => {
                    return Err(doc.error(
                        Some(at),
                        Some("inherits"),
                        "`inherits` must be a theme's name or file, in quotes".into(),
                    ));
                }
            },
            "palette" => doc.palette(value, &mut layer.palette)?,
            // The format before helix-style files: the keys inside a [styles] table. `name` is
            // ignored: a theme is named by its file.
            "styles" => match value.get_ref() {
                DeValue::Table(styles) => {
                    for (key, value) in in_file_order(styles) {
                        doc.key(key, value, &mut layer.specs)?;
                    }
                }
                _ => {
                    return Err(doc.error(
                        Some(at),
                        Some("styles"),
                        "`styles` must be a table".into(),
                    ));
                }
            },
            "name" => {}
            _ => doc.key(key, value, &mut layer.specs)?,
        }
    }
    Ok(layer)
}

/// TOML tables iterate sorted by key; a file's problems are reported from its top.
fn in_file_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

struct Doc<'a> {
    text: &'a str,
    file: Arc<str>,
}

impl Doc<'_> {
    fn line(&self, at: usize) -> usize {
        let before = self.text.get(..at).unwrap_or(self.text);
        before.matches('\n').count() + 1
    }

    fn located<T>(&self, value: T, at: usize) -> Located<T> {
        Located {
            value,
            file: self.file.clone(),
            line: self.line(at),
        }
    }

    fn error(&self, at: Option<usize>, key: Option<&str>, message: String) -> ThemeError {
        ThemeError::Invalid {
            file: self.file.to_string(),
            line: at.map(|a| self.line(a)),
            key: key.map(str::to_string),
            message,
        }
    }

    fn palette(
        &self,
        value: &Spanned<DeValue<'_>>,
        into: &mut HashMap<String, Color>,
    ) -> Result<(), ThemeError> {
        let DeValue::Table(entries) = value.get_ref() else {
            return Err(self.error(
                Some(value.span().start),
                Some("palette"),
                "`palette` must be a table of colour names".into(),
            ));
        };
        for (name, value) in in_file_order(entries) {
            let at = name.span().start;
            let name = name.get_ref().to_string();
            let colour =
                match self.colour(value, "palette", &format!("palette `{}`", shown(&name)))? {
                    ColourRef::Index(i) => Color::Indexed(i),
                    // A palette value is a colour itself, never another palette name: one lookup
                    // resolves any name, and no palette can loop.
                    ColourRef::Text(text) => colour::parse(&text).map_err(|e| {
                        self.error(
                            Some(at),
                            Some("palette"),
                            not_a_colour(&format!("palette `{}`", shown(&name)), &text, &e, &[]),
                        )
                    })?,
                };
            into.insert(name, colour);
        }
        Ok(())
    }

    fn key(
        &self,
        key: &Spanned<DeString<'_>>,
        value: &Spanned<DeValue<'_>>,
        specs: &mut HashMap<&'static str, Located<Spec>>,
    ) -> Result<(), ThemeError> {
        let name = key.get_ref().as_ref();
        let at = key.span().start;
        let Some(known) = KEYS.iter().find(|k| k.name == name) else {
            let candidates = KEYS
                .iter()
                .map(|k| k.name)
                .chain(OTHER_ENTRIES.iter().copied());
            return Err(self.error(
                Some(at),
                Some(name),
                format!(
                    "`{}` is not a theme key{}",
                    shown(name),
                    suggest::hint(name, candidates)
                ),
            ));
        };
        let spec = self.spec(known.name, value)?;
        if let Some(earlier) = specs.get(known.name) {
            return Err(self.error(
                Some(at),
                Some(known.name),
                format!(
                    "`{}` is set twice (also on line {})",
                    known.name, earlier.line
                ),
            ));
        }
        specs.insert(known.name, self.located(spec, at));
        Ok(())
    }

    fn spec(&self, key: &str, value: &Spanned<DeValue<'_>>) -> Result<Spec, ThemeError> {
        let what = format!("`{key}`");
        let table = match value.get_ref() {
            DeValue::String(_) | DeValue::Integer(_) => {
                return Ok(Spec {
                    fg: Some(self.colour(value, key, &what)?),
                    ..Spec::default()
                });
            }
            DeValue::Table(table) => table,
            _ => {
                return Err(self.error(
                    Some(value.span().start),
                    Some(key),
                    format!("{what} must be a colour in quotes or a table {{ fg, bg, modifiers }}"),
                ));
            }
        };
        let mut spec = Spec::default();
        for (field, value) in in_file_order(table) {
            match field.get_ref().as_ref() {
                "fg" => spec.fg = Some(self.colour(value, key, &format!("{what} fg"))?),
                "bg" => spec.bg = Some(self.colour(value, key, &format!("{what} bg"))?),
                "modifiers" => spec.modifiers = self.modifiers(key, value)?,
                other => {
                    return Err(self.error(
                        Some(field.span().start),
                        Some(key),
                        format!(
                            "{what}: `{}` is not part of a style; a style has fg, bg and modifiers{}",
                            shown(other),
                            suggest::hint(other, ["fg", "bg", "modifiers"])
                        ),
                    ));
                }
            }
        }
        Ok(spec)
    }

    /// A colour value as written: checked for its type here, for its meaning once the palettes
    /// are merged.
    fn colour(
        &self,
        value: &Spanned<DeValue<'_>>,
        key: &str,
        what: &str,
    ) -> Result<ColourRef, ThemeError> {
        let at = Some(value.span().start);
        let key = Some(key);
        match value.get_ref() {
            DeValue::String(s) => Ok(ColourRef::Text(s.to_string())),
            DeValue::Integer(i) => u8::from_str_radix(i.as_str(), i.radix())
                .map(ColourRef::Index)
                .map_err(|_| {
                    self.error(
                        at,
                        key,
                        format!(
                            "{what}: `{}` is not a colour index: use 0 to 255",
                            i.as_str()
                        ),
                    )
                }),
            _ => Err(self.error(
                at,
                key,
                format!("{what} must be a colour in quotes: \"#rrggbb\", a name, or 0-255"),
            )),
        }
    }

    fn modifiers(&self, key: &str, value: &Spanned<DeValue<'_>>) -> Result<Modifier, ThemeError> {
        let list_error = || {
            self.error(
                Some(value.span().start),
                Some(key),
                format!("`{key}` modifiers must be a list, like [\"bold\", \"italic\"]"),
            )
        };
        let DeValue::Array(items) = value.get_ref() else {
            return Err(list_error());
        };
        let mut all = Modifier::empty();
        for item in items {
            let DeValue::String(name) = item.get_ref() else {
                return Err(list_error());
            };
            let Some(&(_, m)) = MODIFIERS.iter().find(|(n, _)| *n == name.as_ref()) else {
                let names: Vec<&str> = MODIFIERS.iter().map(|(n, _)| *n).collect();
                return Err(self.error(
                    Some(item.span().start),
                    Some(key),
                    format!(
                        "`{key}`: `{}` is not a modifier{}; use {}",
                        shown(name),
                        suggest::hint(name, names.iter().copied()),
                        names.join(", ")
                    ),
                ));
            };
            all |= m;
        }
        Ok(all)
    }
}

const USE: &str = "use #rrggbb, an ANSI name (red, light-blue...) or 0-255";

/// The message for `text`, which `what` uses as a colour and which is not one. `palette` lists
/// the palette names in scope, for "did you mean".
pub fn not_a_colour(what: &str, text: &str, why: &ColourError, palette: &[&str]) -> String {
    let t = shown(text);
    match why {
        ColourError::BadHex => {
            format!("{what}: `{t}` is not a colour: write #rrggbb, six hex digits")
        }
        ColourError::OutOfRange => format!("{what}: `{t}` is not a colour index: use 0 to 255"),
        ColourError::UnknownName => {
            let mut candidates = palette.to_vec();
            for name in colour::names() {
                candidates.push(name);
            }
            let hint = suggest::hint(text, candidates);
            if palette.is_empty() {
                format!("{what}: `{t}` is not a colour name{hint}; {USE}")
            } else {
                format!("{what}: `{t}` is neither a palette name nor a colour name{hint}; {USE}")
            }
        }
    }
}
