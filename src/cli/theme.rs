//! The theme at startup: chosen by `--theme`, else the config's `[ui] theme`, else the default;
//! adapted to the terminal's colours; and the themes the picker (`T`) offers.

use crate::config::{self, ConfigFile};
use crate::theme::{ColorDepth, Theme, ThemeChoice};
use std::path::Path;

/// The colours this terminal shows, from `NO_COLOR`, `COLORTERM` and `TERM`.
pub fn depth() -> ColorDepth {
    ColorDepth::detect(&|name| std::env::var(name).ok())
}

/// The theme the screens draw with. One that does not load is reported on stderr (it stays
/// there after the screen closes) and the default is used: a typo in a colour must not stop a
/// judge from working.
pub fn startup(arg: Option<&str>, config: Option<&Path>) -> Theme {
    let dir = config::config_dir(config);
    let chosen = arg
        .map(str::to_string)
        .or_else(|| from_config(config, dir.as_deref()));
    let theme = Theme::resolve(chosen.as_deref(), dir.as_deref()).unwrap_or_else(|e| {
        tracing::warn!("{e}");
        eprintln!("agon: {e}; using the default theme");
        Theme::bundled()
    });
    theme.for_terminal(depth())
}

/// Every theme the picker offers, loaded now so that previewing one reads no file.
pub fn choices(config: Option<&Path>) -> Vec<ThemeChoice> {
    Theme::catalogue(config::config_dir(config).as_deref(), depth())
}

/// `[ui] theme`, with a relative file path taken from the config file's folder. A config file
/// that does not load gives no theme here: the error is reported where the config is used.
fn from_config(config: Option<&Path>, dir: Option<&Path>) -> Option<String> {
    let (file, _) = ConfigFile::load(config).ok()?;
    let theme = file.ui.theme?;
    let path = Path::new(&theme);
    match dir {
        Some(dir) if crate::theme::names_a_file(&theme) && path.is_relative() => {
            Some(dir.join(path).display().to_string())
        }
        _ => Some(theme),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_names_the_theme_and_a_bad_one_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "[ui]\ntheme = \"mine.toml\"\n").unwrap();
        std::fs::write(dir.path().join("mine.toml"), "text = \"red\"\n").unwrap();
        let named = from_config(Some(&config), Some(dir.path()));
        assert_eq!(
            named,
            Some(dir.path().join("mine.toml").display().to_string())
        );
        let theme = Theme::resolve(named.as_deref(), Some(dir.path())).unwrap();
        assert_eq!(theme.text.fg, Some(ratatui::style::Color::Red));

        std::fs::write(&config, "[ui]\ntheme = \"light\"\n").unwrap();
        assert_eq!(
            from_config(Some(&config), Some(dir.path())).as_deref(),
            Some("light")
        );
        // A flag wins over the config; a theme that does not load gives the default.
        let t = startup(Some("no-such-theme"), Some(&config));
        assert_eq!(t.name, "dark");
    }
}
