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
            out = replace_ignoring_case(&out, secret, HIDDEN);
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

/// Replaces every occurrence of `needle` (lower case) in `haystack`, comparing ASCII letters
/// without case; other characters must match exactly.
fn replace_ignoring_case(haystack: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return haystack.to_string();
    }
    let lower = haystack.to_ascii_lowercase();
    let mut out = String::with_capacity(haystack.len());
    let mut from = 0;
    while let Some(i) = lower.get(from..).and_then(|rest| rest.find(needle)) {
        let at = from + i;
        out.push_str(haystack.get(from..at).unwrap_or_default());
        out.push_str(with);
        from = at + needle.len();
    }
    out.push_str(haystack.get(from..).unwrap_or_default());
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
            replace_ignoring_case("A Gpt b GPT c", "gpt", "X"),
            "A X b X c"
        );
        assert_eq!(replace_ignoring_case("é gpt é", "gpt", "X"), "é X é");
    }
}
