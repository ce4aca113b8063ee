//! The `[extractor]` table: the model `agon extract` asks for the claims of recorded debates.

use super::NetworkSettings;
use crate::domain::SamplingParams;
use crate::providers::llm::{LlmConfig, Price, Wire};
use crate::providers::structured::ClaimsMode;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::HashMap;

/// The extractor's settings; flags (`--extractor PROVIDER:MODEL`, `--extractor-url`) override
/// them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractorSettings {
    pub provider: Option<Wire>,
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key_env: Option<String>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
    /// `auto` and `structured` ask for JSON under the schema; `block` for a claims block.
    pub claims: Option<ClaimsMode>,
}

/// Answers the extractor may write: a dozen claims and concessions with their texts.
const DEFAULT_MAX_TOKENS: u32 = 1500;

impl ExtractorSettings {
    /// `PROVIDER:MODEL`, as `--extractor` gives it (`ollama:llama3.2`, `openai:gpt-4o-mini`).
    pub fn from_flag(flag: &str) -> Result<ExtractorSettings> {
        use clap::ValueEnum;
        let (provider, model) = flag.split_once(':').with_context(|| {
            format!("--extractor {flag:?} must be PROVIDER:MODEL, like ollama:llama3.2")
        })?;
        let wire = Wire::from_str(provider.trim(), true).map_err(|_| {
            anyhow::anyhow!(
                "--extractor {flag:?}: {provider:?} is not a provider (openai, anthropic or ollama)"
            )
        })?;
        if model.trim().is_empty() {
            bail!("--extractor {flag:?} names no model after the ':'");
        }
        Ok(ExtractorSettings {
            provider: Some(wire),
            model: Some(model.trim().to_string()),
            ..ExtractorSettings::default()
        })
    }

    /// `other`'s fields win where set. A different provider drops the base URL and key
    /// variable of this one: they belong to the other server.
    pub fn layered(&self, other: &ExtractorSettings) -> ExtractorSettings {
        let same_server = other.provider.is_none() || other.provider == self.provider;
        let inherited = |mine: &Option<String>| if same_server { mine.clone() } else { None };
        ExtractorSettings {
            provider: other.provider.or(self.provider),
            base_url: other.base_url.clone().or_else(|| inherited(&self.base_url)),
            model: other.model.clone().or_else(|| self.model.clone()),
            api_key_env: other
                .api_key_env
                .clone()
                .or_else(|| inherited(&self.api_key_env)),
            temperature: other.temperature.or(self.temperature),
            max_tokens: other.max_tokens.or(self.max_tokens),
            claims: other.claims.or(self.claims),
        }
    }

    /// The extractor ready to build a provider from. `env` looks up environment variables.
    pub fn resolve(
        &self,
        network: &NetworkSettings,
        prices: &HashMap<String, Price>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<LlmConfig> {
        let wire = self.provider.context(
            "no extractor is configured: add an [extractor] table with provider and model \
             (see config.example.toml) or pass --extractor PROVIDER:MODEL",
        )?;
        let model = self
            .model
            .clone()
            .with_context(|| format!("[extractor] ({}) needs a model", wire.name()))?;
        let (api_key_env, api_key) = super::api_key(wire, self.api_key_env.clone(), env);
        let (connect, first, read) = network.timeouts(120.0)?;
        Ok(LlmConfig {
            wire,
            base_url: self
                .base_url
                .clone()
                .unwrap_or_else(|| wire.default_base_url().to_string()),
            price: prices.get(&model).copied(),
            model,
            api_key_env,
            api_key,
            // Unused: the extractor's prompts are its own (`extract::prompt`).
            system_prompt: String::new(),
            params: SamplingParams {
                temperature: self.temperature.or(Some(0.0)),
                max_tokens: Some(self.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS)),
            },
            connect_timeout: connect,
            first_token_timeout: first,
            read_timeout: read,
            claims: self.claims.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_table_and_the_flag_layer() {
        let cfg = super::super::ConfigFile::parse(
            "[extractor]\nprovider = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"gpt-4o-mini\"\nclaims = \"block\"",
        )
        .unwrap();
        let table = cfg.extractor.clone().unwrap();
        let r = table.resolve(&cfg.network, &cfg.prices, &no_env).unwrap();
        assert_eq!((r.wire, r.model.as_str()), (Wire::Openai, "gpt-4o-mini"));
        assert_eq!(r.base_url, "http://127.0.0.1:9/v1");
        assert_eq!(r.claims, ClaimsMode::Block);
        assert_eq!(
            r.params.temperature,
            Some(0.0),
            "extraction is not creative"
        );
        // Another provider by flag: its own default server, not the table's.
        let flag = ExtractorSettings::from_flag("ollama:llama3.2").unwrap();
        let r = table
            .layered(&flag)
            .resolve(&cfg.network, &cfg.prices, &no_env)
            .unwrap();
        assert_eq!((r.wire, r.model.as_str()), (Wire::Ollama, "llama3.2"));
        assert_eq!(r.base_url, "http://localhost:11434");
        // The same provider by flag keeps the table's server.
        let flag = ExtractorSettings::from_flag("openai:gpt-4o").unwrap();
        let r = table
            .layered(&flag)
            .resolve(&cfg.network, &cfg.prices, &no_env)
            .unwrap();
        assert_eq!(r.base_url, "http://127.0.0.1:9/v1");
    }

    #[test]
    fn mistakes_are_explained() {
        for (flag, says) in [
            ("llama3.2", "must be PROVIDER:MODEL"),
            ("gemini:pro", "is not a provider"),
            ("ollama:", "names no model"),
        ] {
            let e = ExtractorSettings::from_flag(flag).unwrap_err().to_string();
            assert!(e.contains(says), "{flag}: {e}");
        }
        let e = ExtractorSettings::default()
            .resolve(&NetworkSettings::default(), &HashMap::new(), &no_env)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no extractor is configured"), "{e}");
        assert!(super::super::ConfigFile::parse("[extractor]\nmodle = \"x\"").is_err());
    }
}
