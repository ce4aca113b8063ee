//! The key bindings in force: the defaults of [`BINDINGS`], with the config's `[keys]` table
//! replacing the keys of any action. The help overlay and the hint line read this, so they
//! always show the keys that work.

use super::bindings::{Action, BINDINGS, Group};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

type Key = (KeyCode, KeyModifiers);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub action: Action,
    pub keys: Vec<Key>,
    /// How the keys are written in the help ("j ↓", "ctrl-s").
    pub label: String,
    pub help: &'static str,
    pub group: Group,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    entries: Vec<Entry>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            entries: BINDINGS
                .iter()
                .map(|b| Entry {
                    action: b.action,
                    keys: b.keys.to_vec(),
                    label: b.label.to_string(),
                    help: b.help,
                    group: b.group,
                })
                .collect(),
        }
    }
}

/// The config's name for an action: `TogglePause` is `toggle_pause`.
pub fn action_name(action: Action) -> String {
    let mut name = String::new();
    for (i, c) in format!("{action:?}").chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
        } else {
            name.push(c);
        }
    }
    name
}

/// Characters are matched without Shift: terminals disagree on whether they report it with an
/// upper-case letter.
fn normalise((code, mods): Key) -> Key {
    match code {
        KeyCode::Char(_) => (code, mods - KeyModifiers::SHIFT),
        _ => (code, mods),
    }
}

/// Parses a key as written in the config: `q`, `Q`, `?`, `space`, `enter`, `esc`, `tab`,
/// `backtab`, `backspace`, `delete`, `up`, `down`, `left`, `right`, `pageup`, `pagedown`,
/// `home`, `end`, `f1`..`f12`, with optional `ctrl-` and `alt-` prefixes.
pub fn parse_key(text: &str) -> Result<Key, String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        if let Some(r) = lower.strip_prefix("ctrl-").map(|_| &rest[5..]) {
            mods |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = lower.strip_prefix("alt-").map(|_| &rest[4..]) {
            mods |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest.to_ascii_lowercase().as_str() {
        "space" => KeyCode::Char(' '),
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        f if f.len() > 1
            && f.starts_with('f')
            && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
        {
            KeyCode::F(f[1..].parse().unwrap_or(1))
        }
        _ => {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => KeyCode::Char(c),
                _ => {
                    return Err(format!(
                        "{text:?} is not a key (try \"x\", \"ctrl-s\", \"f2\", \"space\")"
                    ));
                }
            }
        }
    };
    Ok((code, mods))
}

/// The config's way of writing a key back, for the help.
fn key_label((code, mods): Key) -> String {
    let mut s = String::new();
    if mods.contains(KeyModifiers::CONTROL) {
        s.push_str("ctrl-");
    }
    if mods.contains(KeyModifiers::ALT) {
        s.push_str("alt-");
    }
    match code {
        KeyCode::Char(' ') => s.push_str("space"),
        KeyCode::Char(c) => s.push(c),
        KeyCode::F(n) => s.push_str(&format!("f{n}")),
        other => s.push_str(&format!("{other:?}").to_ascii_lowercase()),
    }
    s
}

impl Keymap {
    /// The defaults with `overrides` (action name -> keys) applied. An unknown action, a key
    /// that does not parse, or a key bound to two actions is an error that says which.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Self, String> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let entry = map
                .entries
                .iter_mut()
                .find(|e| action_name(e.action) == *name)
                .ok_or_else(|| {
                    let names: Vec<String> =
                        BINDINGS.iter().map(|b| action_name(b.action)).collect();
                    format!(
                        "[keys] {name:?} is not an action; actions: {}",
                        names.join(", ")
                    )
                })?;
            if keys.is_empty() {
                return Err(format!("[keys] {name} needs at least one key"));
            }
            entry.keys = keys
                .iter()
                .map(|k| parse_key(k).map_err(|e| format!("[keys] {name}: {e}")))
                .collect::<Result<_, _>>()?;
            entry.label = entry
                .keys
                .iter()
                .map(|&k| key_label(k))
                .collect::<Vec<_>>()
                .join(" ");
        }
        let mut seen: Vec<(Key, Action)> = Vec::new();
        for e in &map.entries {
            for &k in &e.keys {
                let k = normalise(k);
                if let Some((_, other)) = seen.iter().find(|(s, a)| *s == k && *a != e.action) {
                    return Err(format!(
                        "[keys] {} is bound to both {} and {}",
                        key_label(k),
                        action_name(*other),
                        action_name(e.action)
                    ));
                }
                seen.push((k, e.action));
            }
        }
        Ok(map)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The action bound to a key on the main screen, if any.
    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        let pressed = normalise((key.code, key.modifiers));
        self.entries
            .iter()
            .find(|e| e.keys.iter().any(|&k| normalise(k) == pressed))
            .map(|e| e.action)
    }

    /// The first key of an action, as the hint line shows it.
    pub fn hint(&self, action: Action) -> String {
        self.entries
            .iter()
            .find(|e| e.action == action)
            .map(|e| e.label.split(' ').next().unwrap_or_default().to_string())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn names_and_keys_parse() {
        assert_eq!(action_name(Action::TogglePause), "toggle_pause");
        assert_eq!(action_name(Action::Quit), "quit");
        assert_eq!(
            parse_key("ctrl-s"),
            Ok((KeyCode::Char('s'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse_key("Alt-Enter"),
            Ok((KeyCode::Enter, KeyModifiers::ALT))
        );
        assert_eq!(
            parse_key("space"),
            Ok((KeyCode::Char(' '), KeyModifiers::NONE))
        );
        assert_eq!(parse_key("f5"), Ok((KeyCode::F(5), KeyModifiers::NONE)));
        assert_eq!(parse_key("Q"), Ok((KeyCode::Char('Q'), KeyModifiers::NONE)));
        assert!(parse_key("ctrl-").is_err());
        assert!(parse_key("nope").is_err());
    }

    #[test]
    fn overrides_replace_an_action_s_keys() {
        let overrides = BTreeMap::from([
            (
                "verdict".to_string(),
                vec!["ctrl-v".to_string(), "V".to_string()],
            ),
            ("visual".to_string(), vec!["s".to_string()]),
            ("skip".to_string(), vec!["ctrl-k".to_string()]),
        ]);
        let map = Keymap::with_overrides(&overrides).unwrap();
        let k = |c, m| map.action_for(&key(c, m));
        assert_eq!(
            k(KeyCode::Char('v'), KeyModifiers::CONTROL),
            Some(Action::Verdict)
        );
        assert_eq!(
            k(KeyCode::Char('V'), KeyModifiers::SHIFT),
            Some(Action::Verdict)
        );
        assert_eq!(
            k(KeyCode::Char('v'), KeyModifiers::NONE),
            None,
            "the default is replaced"
        );
        assert_eq!(
            k(KeyCode::Char('s'), KeyModifiers::NONE),
            Some(Action::Visual)
        );
        assert_eq!(map.hint(Action::Verdict), "ctrl-v");
        assert_eq!(Keymap::default().hint(Action::Verdict), "v");
    }

    #[test]
    fn conflicts_and_unknown_actions_are_explained() {
        let e = Keymap::with_overrides(&BTreeMap::from([(
            "verdict".to_string(),
            vec!["q".to_string()],
        )]))
        .unwrap_err();
        assert!(
            e.contains("q is bound to both") && e.contains("verdict") && e.contains("quit"),
            "{e}"
        );
        let e = Keymap::with_overrides(&BTreeMap::from([(
            "verdikt".to_string(),
            vec!["x".to_string()],
        )]))
        .unwrap_err();
        assert!(e.contains("verdikt") && e.contains("toggle_pause"), "{e}");
        assert!(Keymap::with_overrides(&BTreeMap::from([("quit".to_string(), vec![])])).is_err());
    }

    #[test]
    fn the_defaults_match_the_table() {
        let map = Keymap::default();
        assert_eq!(
            map.action_for(&key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::ForceQuit)
        );
        assert!(
            Keymap::with_overrides(&BTreeMap::new()).is_ok(),
            "the defaults have no conflicts"
        );
    }
}
