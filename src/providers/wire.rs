//! The wire formats agon speaks, and what each names by default.

use serde::{Deserialize, Serialize};

/// Which wire format a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Wire {
    /// OpenAI Chat Completions, and every compatible server (vLLM, llama.cpp, LM Studio,
    /// OpenRouter, Ollama's /v1).
    Openai,
    /// Anthropic Messages.
    Anthropic,
    /// Ollama's native /api/chat.
    Ollama,
}

impl Wire {
    pub fn name(self) -> &'static str {
        match self {
            Wire::Openai => "openai",
            Wire::Anthropic => "anthropic",
            Wire::Ollama => "ollama",
        }
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            Wire::Openai => "https://api.openai.com/v1",
            Wire::Anthropic => "https://api.anthropic.com",
            Wire::Ollama => "http://localhost:11434",
        }
    }

    /// The environment variable a key is read from when the config names none.
    pub fn default_key_env(self) -> Option<&'static str> {
        match self {
            Wire::Openai => Some("OPENAI_API_KEY"),
            Wire::Anthropic => Some("ANTHROPIC_API_KEY"),
            Wire::Ollama => None,
        }
    }

    pub(super) fn endpoint(self, base: &str) -> String {
        let base = base.trim_end_matches('/');
        match self {
            Wire::Openai => format!("{base}/chat/completions"),
            Wire::Anthropic => format!("{base}/v1/messages"),
            Wire::Ollama => format!("{base}/api/chat"),
        }
    }
}
