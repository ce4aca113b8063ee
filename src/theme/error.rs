//! Why a theme did not load: one message naming the file, the line and the key.

/// A theme that could not be read, parsed or resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    /// The file could not be read (the message names it and says why).
    #[error("{0}")]
    Read(String),
    /// The file was read but something in it is wrong.
    #[error("{}{}: {message}", file, line.map_or_else(String::new, |l| format!(" line {l}")))]
    Invalid {
        /// The file as the judge named it, or `built-in theme NAME`.
        file: String,
        /// 1-based; `None` when the problem is the whole file.
        line: Option<usize>,
        /// The theme key (or `palette`, `inherits`) the problem is in.
        key: Option<String>,
        message: String,
    },
    /// No built-in, user theme or file has this name.
    #[error("there is no theme `{name}`{hint}; the themes are {}, or give a theme file's path", available.join(", "))]
    Unknown {
        name: String,
        /// " (did you mean `x`?)" or nothing.
        hint: String,
        available: Vec<String>,
    },
}

impl ThemeError {
    /// The key the problem is in, when it is in one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ThemeError::Invalid { key, .. } => key.as_deref(),
            _ => None,
        }
    }

    /// The line the problem is on, when it is on one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ThemeError::Invalid { line, .. } => *line,
            _ => None,
        }
    }
}

/// Text from a theme file as a message quotes it: control characters escaped (a message is
/// printed to the terminal) and at most 40 characters.
pub fn shown(text: &str) -> String {
    let escaped: String = text.escape_debug().collect();
    crate::text::truncate(&escaped, 40)
}
