//! The offline demo debater: plays a bundled script word by word at a readable pace.

pub mod questions;
pub mod script;

use super::{Provider, ProviderError, TurnRequest, TurnStream, paced_stream};
use crate::domain::TurnStats;
use futures_util::StreamExt;
use script::DemoScript;
use std::sync::Arc;

pub const PROVIDER_NAME: &str = "scripted";

pub struct ScriptedProvider {
    script: Arc<DemoScript>,
    words_per_sec: f64,
}

impl ScriptedProvider {
    /// The provider name recorded for scripted debaters.
    pub const NAME: &'static str = PROVIDER_NAME;

    pub fn new(script: Arc<DemoScript>, words_per_sec: f64) -> Self {
        ScriptedProvider {
            script,
            words_per_sec,
        }
    }
}

impl Provider for ScriptedProvider {
    fn stream_turn(&self, request: TurnRequest<'_>) -> TurnStream {
        let spec = request.spec;
        let Some(text) = self.script.turn_text(&spec.scope, spec.round, spec.side) else {
            let err = ProviderError::new(format!(
                "the demo script has no turn for side {} in round {} on {}",
                spec.side, spec.round, spec.scope
            ));
            return futures_util::stream::once(async move { Err(err) }).boxed();
        };
        let stats = TurnStats {
            provider: PROVIDER_NAME.to_string(),
            model: self.script.model_name(),
            output_tokens: None,
            ..TurnStats::default()
        };
        paced_stream(text.to_string(), self.words_per_sec, stats)
    }
}
