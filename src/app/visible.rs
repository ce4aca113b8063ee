//! What the judge may see: the one choke point for blind judging.
//!
//! Blind judging hides who the debaters are (provider, model, base URL, their names) until the
//! verdict. Everything the screen shows that did not come from the debaters' own speeches, such
//! as notices, turn errors, headers, the status bar and dialogs, goes through [`Redactor::chrome`],
//! which also makes it inert. Speeches are the debate itself and are shown as spoken.

use crate::domain::{Session, Side};
use std::borrow::Cow;

/// What stands in for a hidden identity.
pub const HIDDEN: &str = "[hidden]";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redactor {
    /// Lower-cased strings that identify a debater, longest first; empty when not blind.
    secrets: Vec<String>,
}

impl Redactor {
    /// Nothing hidden.
    pub fn open() -> Self {
        Redactor::default()
    }

    /// For `session`: when `blind`, every provider, model, base URL (whole, host and
    /// host:port) and debater name of it is hidden.
    pub fn for_session(session: &Session, blind: bool) -> Self {
        if !blind {
            return Redactor::open();
        }
        let mut secrets: Vec<String> = Vec::new();
        for d in &session.debaters {
            secrets.push(d.provider.clone());
            secrets.push(d.model.clone());
            // "Debater A" is what blind judging calls them anyway.
            if !d.name.starts_with("Debater") {
                secrets.push(d.name.clone());
            }
            if let Some(url) = &d.base_url {
                secrets.push(url.clone());
                secrets.extend(host_forms(url));
            }
        }
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .map(|s| s.trim().to_lowercase())
            // Very short strings would hide ordinary words.
            .filter(|s| s.chars().count() >= 3)
            .collect();
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        secrets.dedup();
        Redactor { secrets }
    }

    pub fn is_blind(&self) -> bool {
        !self.secrets.is_empty()
    }

    /// Text for the screen's chrome: inert, one line, with every identity hidden.
    pub fn chrome(&self, text: &str) -> String {
        let inert = crate::text::sanitize::inert(text);
        self.hide(&inert).into_owned()
    }

    /// `text` with every identity replaced by [`HIDDEN`] (ASCII case ignored).
    pub fn hide<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.secrets.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = text.to_string();
        for secret in &self.secrets {
            // A short name ("Pro", "Con") is hidden as a word, not inside "congestion".
            let whole_word = secret.chars().count() < WHOLE_WORD_BELOW;
            out = replace_ignoring_case(&out, secret, HIDDEN, whole_word);
        }
        Cow::Owned(out)
    }

    /// What the judge calls a side's debater: its name, or "Debater A" when blind.
    pub fn debater_name(&self, session: &Session, side: Side) -> String {
        match session.debater(side) {
            Some(d) if !self.is_blind() => crate::text::sanitize::inert(&d.name),
            _ => format!("Debater {side}"),
        }
    }
}

/// `host:port` and `host` of a URL.
fn host_forms(url: &str) -> Vec<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let mut out = vec![authority.to_string()];
    if let Some((host, _port)) = authority.rsplit_once(':')
        && !host.is_empty()
    {
        out.push(host.to_string());
    }
    out
}

/// Identities shorter than this (in characters) are hidden only where they stand as a word.
const WHOLE_WORD_BELOW: usize = 5;

/// Replaces every occurrence of `needle` (lower case) in `haystack`, comparing ASCII letters
/// without case; other characters must match exactly. With `whole_word`, an occurrence with a
/// letter or digit right before or after it is part of a longer word and is left alone.
fn replace_ignoring_case(haystack: &str, needle: &str, with: &str, whole_word: bool) -> String {
    if needle.is_empty() {
        return haystack.to_string();
    }
    let lower = haystack.to_ascii_lowercase();
    let mut out = String::with_capacity(haystack.len());
    // `haystack[..copied]` is in `out`; the search goes on from `search`.
    let mut copied = 0;
    let mut search = 0;
    while let Some(i) = lower.get(search..).and_then(|rest| rest.find(needle)) {
        let at = search + i;
        let end = at + needle.len();
        let before = haystack.get(..at).and_then(|s| s.chars().next_back());
        let after = haystack.get(end..).and_then(|s| s.chars().next());
        let in_a_word = [before, after]
            .into_iter()
            .flatten()
            .any(char::is_alphanumeric);
        if whole_word && in_a_word {
            let first = haystack.get(at..).and_then(|s| s.chars().next());
            search = at + first.map_or(1, char::len_utf8);
            continue;
        }
        out.push_str(haystack.get(copied..at).unwrap_or_default());
        out.push_str(with);
        copied = end;
        search = end;
    }
    out.push_str(haystack.get(copied..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DebateSetup, Debater, DebaterKind, Positions, Protocol, SamplingParams};

    fn session() -> Session {
        let d = |side, model: &str| Debater {
            side,
            name: format!("{model} bot"),
            provider: "openai".into(),
            model: model.into(),
            kind: DebaterKind::Ai,
            base_url: Some("http://127.0.0.1:9931/v1".into()),
            system_prompt: None,
            params: SamplingParams::default(),
            chose_side: false,
        };
        Session::new(
            DebateSetup {
                question: "Q?".into(),
                positions: Positions {
                    a: "Yes".into(),
                    b: "No".into(),
                },
                protocol: Protocol::rounds(1),
                debaters: vec![d(Side::A, "gpt-test"), d(Side::B, "llama-x")],
            },
            time::OffsetDateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn blind_hides_every_identity_in_any_case() {
        let r = Redactor::for_session(&session(), true);
        let shown = r.chrome(
            "OpenAI model GPT-TEST: cannot reach http://127.0.0.1:9931/v1/chat: refused (127.0.0.1)",
        );
        for secret in ["openai", "gpt-test", "127.0.0.1", "9931"] {
            assert!(
                !shown.to_lowercase().contains(secret),
                "{secret} in {shown}"
            );
        }
        assert_eq!(r.debater_name(&session(), Side::B), "Debater B");
    }

    #[test]
    fn not_blind_shows_everything_but_makes_it_inert() {
        let r = Redactor::for_session(&session(), false);
        assert_eq!(r.chrome("openai \x1b[31mred"), "openai ␛[31mred");
        assert_eq!(r.debater_name(&session(), Side::A), "gpt-test bot");
    }

    #[test]
    fn case_insensitive_replacement_keeps_the_rest() {
        assert_eq!(
            replace_ignoring_case("A Gpt b GPT c", "gpt", "X", false),
            "A X b X c"
        );
        assert_eq!(replace_ignoring_case("é gpt é", "gpt", "X", false), "é X é");
        assert_eq!(
            replace_ignoring_case("Con: congestion, CON. icon con", "con", "X", true),
            "X: congestion, X. icon X"
        );
        assert_eq!(replace_ignoring_case("éconé", "con", "X", true), "éconé");
    }

    #[test]
    fn a_short_debater_name_is_hidden_as_a_word_only() {
        let mut s = session();
        s.debaters[1].name = "Con".into();
        let r = Redactor::for_session(&s, true);
        assert_eq!(
            r.chrome("Con says congestion pricing fails (llama-x)"),
            "[hidden] says congestion pricing fails ([hidden])"
        );
    }
}
