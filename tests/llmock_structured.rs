//! Structured claims against llmock (a real OpenAI/Anthropic mock server from PyPI, pinned in
//! `support::servers`) on 127.0.0.1: scripted replies that write the speech and call the claims
//! tool on both wires, and llmock's broken tool call (arguments that are not JSON), which falls
//! back to the speech's block. Each plays a turn through the real engine and driver.

mod support;

use agon::domain::{ClaimSource, SamplingParams, TurnStatus};
use agon::engine::EngineConfig;
use agon::providers::llm::{ApiKey, LlmConfig, LlmProvider, Wire};
use agon::providers::structured::ClaimsMode;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use support::engine::{TurnOutcome, one_turn_with};
use support::servers::Llmock;

const SPEECH: &str = "Pricing works: London's peak traffic fell by a fifth.";

fn config(wire: Wire, base_url: String) -> LlmConfig {
    LlmConfig {
        wire,
        base_url,
        model: "gpt-4o-mini".into(),
        api_key_env: None,
        api_key: Some(ApiKey::new("test-key".into())),
        system_prompt: "You are debater {side}.".into(),
        params: SamplingParams {
            temperature: None,
            max_tokens: Some(400),
        },
        connect_timeout: Duration::from_secs(2),
        first_token_timeout: Duration::from_secs(10),
        read_timeout: Duration::from_secs(10),
        price: None,
        claims: ClaimsMode::Auto,
    }
}

async fn play(cfg: LlmConfig) -> TurnOutcome {
    let provider = Arc::new(LlmProvider::new(cfg).unwrap());
    let out = one_turn_with(provider, EngineConfig::default()).await;
    assert_eq!(out.turn.status, TurnStatus::Complete, "{}", out.error());
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn llmock_streams_the_claims_tool_and_a_broken_call_falls_back() {
    let llmock = Llmock::start();
    let claims = json!({
        "claims": [{"id": "A1", "relation": "supports", "target": "root", "text": "Peak pricing cut London traffic by a fifth."}],
        "concessions": []
    });
    for (wire, base, provider) in [
        (Wire::Openai, llmock.openai_base(), "openai"),
        (Wire::Anthropic, llmock.anthropic_base(), "anthropic"),
    ] {
        llmock.scenario(json!([{
            "type": "reply",
            "text": SPEECH,
            "tool_calls": [{"name": "record_claims", "arguments": claims}],
            "match": {"provider": provider}
        }]));
        let out = play(config(wire, base)).await;
        assert_eq!(out.turn.text, SPEECH, "{wire:?}");
        let c = &out.turn.claims;
        assert_eq!(c.len(), 1, "{wire:?}: {c:?} {:?}", out.turn.warnings);
        assert_eq!(
            (c[0].id.as_str(), c[0].source),
            ("A1", ClaimSource::Structured)
        );
        assert!(
            out.turn.warnings.is_empty(),
            "{wire:?}: {:?}",
            out.turn.warnings
        );
        // The request offered the tool.
        let sent = llmock.requests();
        let body = &sent.last().unwrap()["body"];
        assert!(
            body["tools"].to_string().contains("record_claims"),
            "{wire:?}: {body}"
        );
    }

    // A call whose arguments are not JSON: the speech's own block is read instead.
    let block = format!("{SPEECH}\n\n```claims\nA1 supports root: Peak pricing cut traffic.\n```");
    llmock.scenario(json!([
        {"type": "reply", "text": block, "match": {"provider": "openai"}},
        {"type": "tool_fault", "kind": "malformed_arguments", "match": {"provider": "openai", "tools": true}}
    ]));
    let out = play(config(Wire::Openai, llmock.openai_base())).await;
    let c = &out.turn.claims;
    assert_eq!(
        c.len(),
        1,
        "{c:?} {:?} {:?}",
        out.turn.warnings,
        out.turn.text
    );
    assert_eq!(c[0].source, ClaimSource::Block);
    assert!(
        out.turn.warnings[0].starts_with("the structured claims are not valid JSON ("),
        "{:?}",
        out.turn.warnings
    );
}
