//! The `[judge]` table and `--judge PROVIDER:MODEL`: an LLM judge that reads each debate beside
//! the human (a shadow judge in the TUI) or alone (batch studies). See docs/llm-judge.md.

use super::{ConfigFile, MAX_FILE_BYTES};
use crate::engine::{JudgeWhen, LlmJudge};
use crate::providers::asks::DEFAULT_JUDGE_PROMPT;
use crate::providers::llm::{LlmConfig, Wire};
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Disagreements between the human's credence and the LLM judge's above this are flagged.
pub const DEFAULT_DISAGREEMENT: f64 = 0.3;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgeSettings {
    pub provider: Option<Wire>,
    pub model: Option<String>,
    pub base_url: Option<String>,
    pub api_key_env: Option<String>,
    /// `each_turn` (the default) or `end`.
    pub when: Option<String>,
    /// Whether the judge reads the hidden source (normally not: it judges as the human does).
    pub sees_source: Option<bool>,
    /// A system prompt template of your own (see prompts/judge.md).
    pub prompt_file: Option<PathBuf>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
    /// How far apart the human's and the LLM's P(A) may be before the TUI flags it.
    pub disagreement: Option<f64>,
}

/// The LLM judge as configured: how to reach it, and how the engine uses it.
#[derive(Debug, Clone)]
pub struct ResolvedJudge {
    pub llm: LlmConfig,
    pub judge: LlmJudge,
    pub disagreement: f64,
}

/// `--judge PROVIDER:MODEL` (the model may itself contain colons, as Ollama's do).
pub fn parse_judge_flag(s: &str) -> Result<(Wire, String), String> {
    use clap::ValueEnum;
    let usage =
        || format!("{s:?} is not PROVIDER:MODEL (e.g. openai:gpt-4o-mini, ollama:llama3.2:3b)");
    let (provider, model) = s.split_once(':').ok_or_else(usage)?;
    let wire = Wire::from_str(provider.trim(), true)
        .map_err(|_| format!("{provider:?} is not a provider: use openai, anthropic or ollama"))?;
    let model = model.trim();
    if model.is_empty() {
        return Err(usage());
    }
    Ok((wire, model.to_string()))
}

/// Parses `when`.
fn when(v: Option<&str>) -> Result<JudgeWhen> {
    match v.map(str::trim) {
        None | Some("each_turn") => Ok(JudgeWhen::EachTurn),
        Some("end") => Ok(JudgeWhen::End),
        Some(other) => bail!("[judge] when must be \"each_turn\" or \"end\"; it is {other:?}"),
    }
}

impl ConfigFile {
    /// The LLM judge: the `[judge]` table, with `flag` (`--judge PROVIDER:MODEL`) choosing the
    /// provider and model. `None` when neither names one.
    pub fn resolve_judge(
        &self,
        flag: Option<(Wire, String)>,
        when_flag: Option<JudgeWhen>,
        base_dir: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<ResolvedJudge>> {
        let j = &self.judge;
        let (wire, model) = match (flag, j.provider, &j.model) {
            (Some((wire, model)), ..) => (wire, model),
            (None, Some(wire), Some(model)) => (wire, model.clone()),
            (None, None, None) => return Ok(None),
            (None, Some(_), None) => bail!("[judge] has a provider but no model"),
            (None, None, Some(_)) => bail!("[judge] has a model but no provider"),
        };
        let net = &self.network;
        let (api_key_env, api_key) = super::api_key(wire, j.api_key_env.clone(), env);
        let (connect_timeout, first_token_timeout, read_timeout) = net.timeouts(60.0)?;
        let prompt = match &j.prompt_file {
            None => DEFAULT_JUDGE_PROMPT.to_string(),
            Some(p) => {
                let p = match base_dir {
                    Some(dir) if p.is_relative() => dir.join(p),
                    _ => p.clone(),
                };
                crate::text::read_to_string_capped(&p, MAX_FILE_BYTES, "judge prompt file")?
            }
        };
        let disagreement = j.disagreement.unwrap_or(DEFAULT_DISAGREEMENT);
        if !(disagreement.is_finite() && (0.0..=1.0).contains(&disagreement)) {
            bail!("[judge] disagreement must be between 0 and 1; it is {disagreement}");
        }
        let llm = LlmConfig {
            wire,
            base_url: j
                .base_url
                .clone()
                .unwrap_or_else(|| wire.default_base_url().to_string()),
            price: self.prices.get(&model).copied(),
            model: model.clone(),
            api_key_env,
            api_key,
            // The engine builds the judge's prompts itself; this is never filled.
            system_prompt: String::new(),
            // A judge answers in prose; it is never asked for claims.
            claims: crate::providers::structured::ClaimsMode::Block,
            params: crate::domain::SamplingParams {
                temperature: j.temperature,
                max_tokens: j.max_tokens,
            },
            connect_timeout,
            first_token_timeout,
            read_timeout,
        };
        let judge = LlmJudge {
            name: format!("{}:{model}", wire.name()),
            when: match when_flag {
                Some(w) => w,
                None => when(j.when.as_deref()).context("in the [judge] table")?,
            },
            sees_source: j.sees_source.unwrap_or(false),
            prompt,
        };
        Ok(Some(ResolvedJudge {
            llm,
            judge,
            disagreement,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_flag_and_the_table() {
        assert_eq!(
            parse_judge_flag("ollama:llama3.2:3b"),
            Ok((Wire::Ollama, "llama3.2:3b".into()))
        );
        assert!(parse_judge_flag("gpt-4o").is_err());
        assert!(
            parse_judge_flag("nope:x")
                .unwrap_err()
                .contains("not a provider")
        );
        assert!(parse_judge_flag("openai:").is_err());

        assert!(
            ConfigFile::default()
                .resolve_judge(None, None, None, &no_env)
                .unwrap()
                .is_none()
        );
        let cfg = ConfigFile::parse(
            r#"
            [judge]
            provider = "openai"
            model = "judge-model"
            base_url = "http://127.0.0.1:9/v1"
            when = "end"
            sees_source = true
            disagreement = 0.25
            "#,
        )
        .unwrap();
        let env = |k: &str| (k == "OPENAI_API_KEY").then(|| "sk-judge".to_string());
        let r = cfg.resolve_judge(None, None, None, &env).unwrap().unwrap();
        assert_eq!(r.judge.name, "openai:judge-model");
        assert_eq!(r.judge.when, JudgeWhen::End);
        assert!(r.judge.sees_source);
        assert!(r.llm.api_key.is_some());
        assert_eq!(r.disagreement, 0.25);
        assert!(r.judge.prompt.contains("{question}"));
        // The flag picks the model; the table's other settings stay.
        let r = cfg
            .resolve_judge(
                Some((Wire::Anthropic, "other".into())),
                Some(JudgeWhen::EachTurn),
                None,
                &env,
            )
            .unwrap()
            .unwrap();
        assert_eq!(r.judge.name, "anthropic:other");
        assert_eq!(r.judge.when, JudgeWhen::EachTurn);
    }

    #[test]
    fn bad_tables_are_refused_with_reasons() {
        for (toml, says) in [
            ("[judge]\nprovider = \"openai\"", "no model"),
            (
                "[judge]\nprovider = \"openai\"\nmodel = \"m\"\nwhen = \"sometimes\"",
                "each_turn",
            ),
            (
                "[judge]\nprovider = \"openai\"\nmodel = \"m\"\ndisagreement = 2.0",
                "between 0 and 1",
            ),
        ] {
            let cfg = ConfigFile::parse(toml).unwrap();
            let e = format!(
                "{:#}",
                cfg.resolve_judge(None, None, None, &no_env).unwrap_err()
            );
            assert!(e.contains(says), "{toml}: {e}");
        }
    }
}
