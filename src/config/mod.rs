//! The configuration file (TOML) and the command-line flags that override it: which provider,
//! model and settings each debater uses. Keys are never in the file: it names the environment
//! variable that holds each key.

pub mod extractor;

use crate::domain::{Debater, SamplingParams, Side};
use crate::providers::llm::{ApiKey, LlmConfig, Price, Wire};
use crate::providers::prompt::DEFAULT_SYSTEM_PROMPT;
use crate::providers::retry::RetryPolicy;
use crate::providers::structured::ClaimsMode;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub mod judge;
pub use judge::{JudgeSettings, ResolvedJudge};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub debaters: HashMap<String, DebaterSettings>,
    #[serde(default)]
    pub protocol: ProtocolSettings,
    #[serde(default)]
    pub network: NetworkSettings,
    /// Prices per model name, in dollars per million tokens.
    #[serde(default)]
    pub prices: HashMap<String, Price>,
    #[serde(default)]
    pub judging: JudgingSettings,
    /// An LLM judge (see docs/llm-judge.md).
    #[serde(default)]
    pub judge: JudgeSettings,
    /// Key bindings: action name -> one key or a list of keys (see `Keymap::with_overrides`).
    #[serde(default)]
    pub keys: std::collections::BTreeMap<String, KeyList>,
    #[serde(default)]
    pub ui: UiSettings,
    /// The model `agon extract` asks for the claims of recorded debates.
    #[serde(default)]
    pub extractor: Option<extractor::ExtractorSettings>,
}

/// How the screens look.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiSettings {
    /// A built-in theme's name, a theme in the config folder's `themes/`, or a theme file (a
    /// relative path is taken from the config file's folder). See docs/themes.md.
    pub theme: Option<String>,
    /// `false` leaves the mouse to the terminal (its own text selection); default `true`: the
    /// wheel scrolls the pane under the pointer, a click focuses and selects.
    pub mouse: Option<bool>,
}

/// One key or several, as the `[keys]` table may give them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl ConfigFile {
    /// The `[keys]` table: action name -> the keys the judge wants for it.
    pub fn key_overrides(&self) -> std::collections::BTreeMap<String, Vec<String>> {
        self.keys
            .iter()
            .map(|(action, keys)| {
                let keys = match keys {
                    KeyList::One(k) => vec![k.clone()],
                    KeyList::Many(ks) => ks.clone(),
                };
                (action.clone(), keys)
            })
            .collect()
    }
}

/// How the judge works: the tag set, blind judging, and the scoring penalty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgingSettings {
    /// The tags annotation keys offer (at most nine: they are chosen with the keys 1-9).
    pub tags: Option<Vec<String>>,
    /// Hide the debaters' providers and models until the verdict.
    pub blind: Option<bool>,
    /// Bits taken off the score per turn used (the NYU platform's 0.05 by default).
    pub turn_penalty: Option<f64>,
}

impl JudgingSettings {
    /// The tag set, checked: 1 to 9 distinct, non-empty tags without spaces.
    pub fn tags(&self) -> Result<Vec<String>> {
        let Some(tags) = &self.tags else {
            return Ok(crate::domain::DEFAULT_TAGS
                .iter()
                .map(|t| t.to_string())
                .collect());
        };
        if tags.is_empty() || tags.len() > 9 {
            bail!("[judging] tags must list 1 to 9 tags (they are chosen with the keys 1-9)");
        }
        for (i, t) in tags.iter().enumerate() {
            if t.trim().is_empty() || t.chars().any(char::is_whitespace) {
                bail!("[judging] tag {t:?} must be one word (use - between words)");
            }
            if tags[..i].contains(t) {
                bail!("[judging] tag {t:?} is listed twice");
            }
        }
        Ok(tags.clone())
    }

    pub fn turn_penalty(&self) -> Result<f64> {
        let p = self
            .turn_penalty
            .unwrap_or(crate::domain::scoring::DEFAULT_TURN_PENALTY);
        if !(p.is_finite() && p >= 0.0) {
            bail!("[judging] turn_penalty must be 0 or more");
        }
        Ok(p)
    }
}

/// One debater's settings; every field is optional so `default`, `A` and `B` tables and flags can
/// be layered.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebaterSettings {
    pub provider: Option<Wire>,
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub name: Option<String>,
    pub api_key_env: Option<String>,
    pub system_prompt_file: Option<PathBuf>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
    /// How the claims are obtained: `auto` (structured where the wire offers it), `structured`
    /// or `block`.
    pub claims: Option<ClaimsMode>,
    /// When a turn's claims cannot be read, ask once more for them alone (default on).
    pub repair_claims: Option<bool>,
}

impl DebaterSettings {
    /// `other`'s fields win where set.
    pub fn layered(&self, other: &DebaterSettings) -> DebaterSettings {
        DebaterSettings {
            provider: other.provider.or(self.provider),
            base_url: other.base_url.clone().or_else(|| self.base_url.clone()),
            model: other.model.clone().or_else(|| self.model.clone()),
            name: other.name.clone().or_else(|| self.name.clone()),
            api_key_env: other
                .api_key_env
                .clone()
                .or_else(|| self.api_key_env.clone()),
            system_prompt_file: other
                .system_prompt_file
                .clone()
                .or_else(|| self.system_prompt_file.clone()),
            temperature: other.temperature.or(self.temperature),
            max_tokens: other.max_tokens.or(self.max_tokens),
            claims: other.claims.or(self.claims),
            repair_claims: other.repair_claims.or(self.repair_claims),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolSettings {
    pub rounds: Option<u32>,
    /// Rounds of a drill (a focused sub-debate on one node).
    pub drill_rounds: Option<u32>,
    pub word_limit: Option<u32>,
    pub position_a: Option<String>,
    pub position_b: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSettings {
    pub connect_timeout_secs: Option<f64>,
    /// From sending a request to the answer's first word.
    pub first_token_timeout_secs: Option<f64>,
    /// Longest silence between chunks once the answer streams.
    pub read_timeout_secs: Option<f64>,
    /// The longest one turn may take, retries and waits included.
    pub turn_deadline_secs: Option<f64>,
    pub max_retries: Option<u32>,
    pub retry_base_ms: Option<u64>,
    pub retry_max_ms: Option<u64>,
}

impl NetworkSettings {
    /// The connect, first-token and read timeouts, each checked; `answer_secs` is the default
    /// of the last two (a model that writes long answers waits longer).
    pub(crate) fn timeouts(&self, answer_secs: f64) -> Result<(Duration, Duration, Duration)> {
        Ok((
            seconds(self.connect_timeout_secs, 10.0, "connect_timeout_secs")?,
            seconds(
                self.first_token_timeout_secs,
                answer_secs,
                "first_token_timeout_secs",
            )?,
            seconds(self.read_timeout_secs, answer_secs, "read_timeout_secs")?,
        ))
    }
}

/// Where a model's key comes from and the key: the configured variable, else the wire's own
/// (none for Ollama). A variable set to blanks is no key.
pub(crate) fn api_key(
    wire: Wire,
    configured: Option<String>,
    env: &dyn Fn(&str) -> Option<String>,
) -> (Option<String>, Option<ApiKey>) {
    let var = configured.or_else(|| wire.default_key_env().map(str::to_string));
    let key = var
        .as_deref()
        .and_then(env)
        .filter(|k| !k.trim().is_empty())
        .map(|k| ApiKey::new(k.trim().to_string()));
    (var, key)
}

/// The longest any timeout or wait may be set to: a day.
const MAX_SECS: f64 = 86_400.0;

/// A number of seconds from the config, checked: positive and at most a day.
fn seconds(v: Option<f64>, default: f64, what: &str) -> Result<Duration> {
    let v = v.unwrap_or(default);
    if !(v.is_finite() && v > 0.0 && v <= MAX_SECS) {
        bail!(
            "[network] {what} must be a number of seconds above 0 and at most {MAX_SECS} (a day); it is {v}"
        );
    }
    Duration::try_from_secs_f64(v)
        .with_context(|| format!("[network] {what} = {v} is not a duration"))
}

/// The config file and each system prompt file are read up to this size: far above any real
/// one, and a wrong path (`/dev/zero`) fails at once instead of filling memory.
pub const MAX_FILE_BYTES: u64 = crate::text::capped::MIB;

pub const DEFAULT_ROUNDS: u32 = 3;
pub const DEFAULT_WORD_LIMIT: u32 = 180;

/// Flags that override the file, for quick use without one.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub both: DebaterSettings,
    pub a: DebaterSettings,
    pub b: DebaterSettings,
    pub rounds: Option<u32>,
}

/// The debaters as configured, ready to build providers from.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub a: LlmConfig,
    pub b: LlmConfig,
    pub names: [String; 2],
    pub rounds: u32,
    pub drill_rounds: u32,
    pub word_limit: u32,
    pub position_a: String,
    pub position_b: String,
    /// Retries of a request that failed before its first token.
    pub retry: RetryPolicy,
    /// The longest one turn may take, retries included.
    pub turn_deadline: Duration,
    /// Per side (A, B): ask again for a turn's claims when they cannot be read.
    pub repair_claims: [bool; 2],
}

impl Resolved {
    pub fn of(&self, side: Side) -> &LlmConfig {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    /// The debater records for a session (no keys).
    pub fn debaters(&self) -> Vec<Debater> {
        Side::BOTH
            .iter()
            .map(|&side| {
                let c = self.of(side);
                Debater {
                    side,
                    name: self.names[side as usize].clone(),
                    provider: c.wire.name().to_string(),
                    model: c.model.clone(),
                    kind: crate::domain::DebaterKind::Ai,
                    base_url: Some(crate::text::redact::url(&c.base_url)),
                    system_prompt: Some(c.system_prompt.clone()),
                    params: c.params.clone(),
                    chose_side: false,
                }
            })
            .collect()
    }
}

/// Where the config file is looked for when `--config` is not given.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "agon").map(|d| d.config_dir().join("config.toml"))
}

/// The folder of the config file `--config` names, or of the default one: where user themes
/// (`themes/NAME.toml`) are found.
pub fn config_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    let file = match explicit {
        Some(p) => p.to_path_buf(),
        None => default_path()?,
    };
    let dir = file.parent()?;
    Some(if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.to_path_buf()
    })
}

impl ConfigFile {
    pub fn parse(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| anyhow::anyhow!(without_excerpt(text, &e)))
    }

    /// Reads `--config FILE` (which must exist) or the default file (which may not).
    pub fn load(explicit: Option<&Path>) -> Result<(Self, Option<PathBuf>)> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match default_path() {
                Some(p) => (p, false),
                None => return Ok((ConfigFile::default(), None)),
            },
        };
        match crate::text::read_to_string_capped(&path, MAX_FILE_BYTES, "config file") {
            Ok(text) => {
                let cfg = Self::parse(&text)
                    .with_context(|| format!("config file {} is not valid", path.display()))?;
                Ok((cfg, Some(path)))
            }
            Err(e) if !required && e.is_not_found() => Ok((ConfigFile::default(), None)),
            Err(e) => Err(e.into()),
        }
    }

    fn side_settings(&self, side: Side, o: &Overrides) -> DebaterSettings {
        let empty = DebaterSettings::default();
        let get = |k: &str| {
            self.debaters
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(k))
                .map_or(&empty, |(_, v)| v)
        };
        let (side_key, side_flags) = match side {
            Side::A => ("a", &o.a),
            Side::B => ("b", &o.b),
        };
        get("default")
            .layered(get(side_key))
            .layered(&o.both)
            .layered(side_flags)
    }

    /// The configured debaters, or `None` when no provider is configured (the demo then runs).
    /// `env` looks up environment variables (injected for tests).
    pub fn resolve(
        &self,
        o: &Overrides,
        base_dir: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Resolved>> {
        for key in self.debaters.keys() {
            if !["default", "a", "b"].contains(&key.to_ascii_lowercase().as_str()) {
                bail!("unknown debater table [debaters.{key}]: use default, A or B");
            }
        }
        let a = self.side_settings(Side::A, o);
        let b = self.side_settings(Side::B, o);
        match (a.provider, b.provider) {
            (None, None) => return Ok(None),
            (Some(_), None) => bail!("debater A has a provider but debater B has none"),
            (None, Some(_)) => bail!("debater B has a provider but debater A has none"),
            _ => {}
        }
        let net = &self.network;
        let (connect, first_token, read) = net.timeouts(60.0)?;
        let turn_deadline = seconds(net.turn_deadline_secs, 300.0, "turn_deadline_secs")?;
        let max_retries = net.max_retries.unwrap_or(4);
        if max_retries > 20 {
            bail!("[network] max_retries must be at most 20; it is {max_retries}");
        }
        let millis = |v: Option<u64>, default: u64, what: &str| -> Result<Duration> {
            let v = v.unwrap_or(default);
            if v as f64 > MAX_SECS * 1000.0 {
                bail!("[network] {what} must be at most a day in milliseconds; it is {v}");
            }
            Ok(Duration::from_millis(v))
        };
        let retry = RetryPolicy {
            max_retries,
            base_delay: millis(net.retry_base_ms, 500, "retry_base_ms")?,
            max_delay: millis(net.retry_max_ms, 30_000, "retry_max_ms")?,
        };
        let build = |side: Side, s: &DebaterSettings| -> Result<LlmConfig> {
            let wire = s.provider.context("no provider")?;
            let model = s
                .model
                .clone()
                .with_context(|| format!("debater {side} ({}) needs a model", wire.name()))?;
            let (api_key_env, api_key) = api_key(wire, s.api_key_env.clone(), env);
            let system_prompt = match &s.system_prompt_file {
                None => DEFAULT_SYSTEM_PROMPT.to_string(),
                Some(p) => {
                    let p = match base_dir {
                        Some(dir) if p.is_relative() => dir.join(p),
                        _ => p.clone(),
                    };
                    let what = format!("system prompt file of debater {side}");
                    crate::text::read_to_string_capped(&p, MAX_FILE_BYTES, &what)?
                }
            };
            Ok(LlmConfig {
                wire,
                base_url: s
                    .base_url
                    .clone()
                    .unwrap_or_else(|| wire.default_base_url().to_string()),
                price: self.prices.get(&model).copied(),
                model,
                api_key_env,
                api_key,
                system_prompt,
                params: SamplingParams {
                    temperature: s.temperature,
                    max_tokens: s.max_tokens,
                },
                connect_timeout: connect,
                first_token_timeout: first_token,
                read_timeout: read,
                claims: s.claims.unwrap_or_default(),
            })
        };
        let ca = build(Side::A, &a)?;
        let cb = build(Side::B, &b)?;
        let name =
            |s: &DebaterSettings, c: &LlmConfig| s.name.clone().unwrap_or_else(|| c.model.clone());
        let rounds = o.rounds.or(self.protocol.rounds).unwrap_or(DEFAULT_ROUNDS);
        if rounds == 0 {
            bail!("a debate needs at least one round");
        }
        Ok(Some(Resolved {
            names: [name(&a, &ca), name(&b, &cb)],
            a: ca,
            b: cb,
            rounds,
            drill_rounds: self
                .protocol
                .drill_rounds
                .unwrap_or(crate::engine::DEFAULT_DRILL_ROUNDS)
                .max(1),
            word_limit: self.protocol.word_limit.unwrap_or(DEFAULT_WORD_LIMIT),
            position_a: self
                .protocol
                .position_a
                .clone()
                .unwrap_or_else(|| "Yes".into()),
            position_b: self
                .protocol
                .position_b
                .clone()
                .unwrap_or_else(|| "No".into()),
            retry,
            turn_deadline,
            repair_claims: [a.repair_claims, b.repair_claims].map(|r| r.unwrap_or(true)),
        }))
    }
}

/// A TOML error as its line, column and message, without the excerpt of the file that the
/// parser's own message quotes: a line like `api_key = "sk-..."` must not be echoed to the
/// terminal or a log.
fn without_excerpt(text: &str, e: &toml::de::Error) -> String {
    let Some(start) = e.span().map(|s| s.start) else {
        return e.message().to_string();
    };
    let before = text.get(..start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}: {}", e.message())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_in_the_file_is_refused_without_echoing_it() {
        let text = "[debaters.A]\nprovider = \"openai\"\napi_key = \"sk-do-not-echo\"\n";
        let e = format!("{:#}", ConfigFile::parse(text).unwrap_err());
        assert!(!e.contains("sk-do-not-echo"), "{e}");
        assert!(
            e.starts_with("line 3, column 1: unknown field `api_key`"),
            "{e}"
        );
        assert!(e.contains("api_key_env"), "the error says what to use: {e}");
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_example_config_parses_and_resolves() {
        let text = include_str!("../../config.example.toml");
        let cfg = ConfigFile::parse(text).unwrap();
        let env = |k: &str| (k == "OPENAI_API_KEY").then(|| "sk-test".to_string());
        let r = cfg
            .resolve(&Overrides::default(), None, &env)
            .unwrap()
            .unwrap();
        assert_eq!(r.a.wire, Wire::Openai);
        assert!(r.a.api_key.is_some());
        assert!(r.b.api_key.is_none(), "ANTHROPIC_API_KEY is unset here");
    }

    #[test]
    fn claims_settings_layer_per_side() {
        let cfg = ConfigFile::parse(
            "[debaters.default]\nprovider = \"openai\"\nmodel = \"m\"\nclaims = \"block\"\n\
             [debaters.B]\nclaims = \"structured\"\nrepair_claims = false",
        )
        .unwrap();
        let r = cfg
            .resolve(&Overrides::default(), None, &no_env)
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.a.claims, r.b.claims),
            (ClaimsMode::Block, ClaimsMode::Structured)
        );
        assert_eq!(r.repair_claims, [true, false]);
        let e = ConfigFile::parse("[debaters.A]\nclaims = \"json\"").unwrap_err();
        assert!(e.to_string().contains("json"), "{e}");
    }

    #[test]
    fn nothing_configured_means_the_demo() {
        let r = ConfigFile::default()
            .resolve(&Overrides::default(), None, &no_env)
            .unwrap();
        assert!(r.is_none());
    }

    #[test]
    fn flags_override_the_file_per_side() {
        let cfg = ConfigFile::parse(
            r#"
            [debaters.default]
            provider = "openai"
            model = "base-model"
            base_url = "http://127.0.0.1:9/v1"
            [debaters.B]
            model = "b-model"
            temperature = 0.2
            [prices.b-model]
            input_per_mtok = 1.0
            output_per_mtok = 2.0
            "#,
        )
        .unwrap();
        let r = cfg
            .resolve(&Overrides::default(), None, &no_env)
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.a.model.as_str(), r.b.model.as_str()),
            ("base-model", "b-model")
        );
        assert_eq!(r.b.params.temperature, Some(0.2));
        assert!(r.b.price.is_some() && r.a.price.is_none());

        let o = Overrides {
            both: DebaterSettings {
                model: Some("both".into()),
                ..Default::default()
            },
            a: DebaterSettings {
                provider: Some(Wire::Ollama),
                model: Some("llama3.2".into()),
                ..Default::default()
            },
            rounds: Some(5),
            ..Default::default()
        };
        let r = cfg.resolve(&o, None, &no_env).unwrap().unwrap();
        assert_eq!(r.a.wire, Wire::Ollama);
        assert_eq!(r.a.model, "llama3.2");
        assert_eq!(r.b.model, "both");
        assert_eq!(r.rounds, 5);
        assert_eq!(r.names, ["llama3.2".to_string(), "both".to_string()]);
    }

    #[test]
    fn mistakes_are_explained() {
        let e = ConfigFile::parse("[debaters.A]\nprovider = \"gemini\"").unwrap_err();
        assert!(e.to_string().contains("gemini"));
        let e = ConfigFile::parse("[debaters.A]\nmodle = \"x\"").unwrap_err();
        assert!(e.to_string().contains("modle"));
        let cfg = ConfigFile::parse("[debaters.A]\nprovider = \"openai\"\nmodel = \"m\"").unwrap();
        let e = cfg
            .resolve(&Overrides::default(), None, &no_env)
            .unwrap_err();
        assert!(e.to_string().contains("debater B has none"));
        let cfg = ConfigFile::parse("[debaters.default]\nprovider = \"anthropic\"").unwrap();
        let e = cfg
            .resolve(&Overrides::default(), None, &no_env)
            .unwrap_err();
        assert!(e.to_string().contains("needs a model"));
        let cfg = ConfigFile::parse("[debaters.C]\nprovider = \"openai\"").unwrap();
        assert!(cfg.resolve(&Overrides::default(), None, &no_env).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn endless_config_and_prompt_files_are_refused_at_the_cap() {
        let e = ConfigFile::load(Some(Path::new("/dev/zero"))).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "the config file /dev/zero is larger than 1 MiB; is it the right file?"
        );
        let cfg = ConfigFile::parse(
            "[debaters.default]\nprovider = \"openai\"\nmodel = \"m\"\nsystem_prompt_file = \"/dev/zero\"",
        )
        .unwrap();
        let e = cfg
            .resolve(&Overrides::default(), None, &no_env)
            .unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "the system prompt file of debater A /dev/zero is larger than 1 MiB; is it the right file?"
        );
        let missing = ConfigFile::load(Some(Path::new("/nonexistent/agon.toml"))).unwrap_err();
        assert!(
            format!("{missing:#}").contains("check the path"),
            "{missing:#}"
        );
    }

    #[test]
    fn judging_settings_are_checked() {
        let cfg = ConfigFile::parse(
            "[judging]\ntags = [\"misleading\", \"evasive\"]\nblind = true\nturn_penalty = 0.1",
        )
        .unwrap();
        assert_eq!(cfg.judging.tags().unwrap(), vec!["misleading", "evasive"]);
        assert_eq!(cfg.judging.turn_penalty().unwrap(), 0.1);
        assert_eq!(ConfigFile::default().judging.tags().unwrap().len(), 8);
        for bad in [
            "tags = []",
            "tags = [\"two words\"]",
            "tags = [\"a\", \"a\"]",
            "turn_penalty = -1",
        ] {
            let cfg = ConfigFile::parse(&format!("[judging]\n{bad}")).unwrap();
            assert!(
                cfg.judging.tags().is_err() || cfg.judging.turn_penalty().is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_ui_table_names_a_theme() {
        let cfg = ConfigFile::parse("[ui]\ntheme = \"okabe-ito\"").unwrap();
        assert_eq!(cfg.ui.theme.as_deref(), Some("okabe-ito"));
        assert!(ConfigFile::parse("[ui]\ntheme = 3").is_err());
        assert!(ConfigFile::parse("[ui]\ntheem = \"dark\"").is_err());
        assert_eq!(
            config_dir(Some(Path::new("/etc/agon/config.toml"))),
            Some(PathBuf::from("/etc/agon"))
        );
        assert_eq!(
            config_dir(Some(Path::new("config.toml"))),
            Some(PathBuf::from("."))
        );
    }

    #[test]
    fn the_keys_table_takes_one_key_or_a_list() {
        let cfg =
            ConfigFile::parse("[keys]\nverdict = \"ctrl-v\"\nhelp = [\"?\", \"f1\"]").unwrap();
        let keys = cfg.key_overrides();
        assert_eq!(keys["verdict"], vec!["ctrl-v".to_string()]);
        assert_eq!(keys["help"], vec!["?".to_string(), "f1".to_string()]);
    }

    #[test]
    fn the_ui_table_can_leave_the_mouse_to_the_terminal() {
        assert_eq!(ConfigFile::parse("").unwrap().ui.mouse, None);
        let cfg = ConfigFile::parse("[ui]\nmouse = false").unwrap();
        assert_eq!(cfg.ui.mouse, Some(false));
        assert!(ConfigFile::parse("[ui]\nmouse = \"no\"").is_err());
    }

    #[test]
    fn huge_timeouts_are_refused_with_the_key_named() {
        let cfg = ConfigFile::parse(
            "[debaters.default]\nprovider = \"openai\"\nmodel = \"m\"\n[network]\nread_timeout_secs = 1e20",
        )
        .unwrap();
        let e = cfg
            .resolve(&Overrides::default(), None, &no_env)
            .unwrap_err()
            .to_string();
        assert!(e.contains("read_timeout_secs"), "{e}");
    }

    #[test]
    fn resolved_debaters_hold_no_key() {
        let cfg =
            ConfigFile::parse("[debaters.default]\nprovider = \"openai\"\nmodel = \"m\"").unwrap();
        let env = |_: &str| Some("sk-very-secret".to_string());
        let r = cfg
            .resolve(&Overrides::default(), None, &env)
            .unwrap()
            .unwrap();
        let json = serde_json::to_string(&r.debaters()).unwrap();
        assert!(!json.contains("sk-very-secret"));
    }
}
