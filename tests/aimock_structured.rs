//! Structured claims against aimock (a real multi-provider mock server from npm, pinned in
//! `support::servers`) on 127.0.0.1: a speech that writes its text and then calls the claims
//! tool, as aimock streams it on the OpenAI and Anthropic wires; Ollama's second request for the
//! claims; and a repair answered under `response_format`. Each plays a turn through the real
//! engine and driver.

mod support;

use agon::domain::{ClaimSource, FollowupPurpose, SamplingParams, TurnStatus};
use agon::engine::EngineConfig;
use agon::providers::llm::{LlmConfig, LlmProvider, Wire};
use agon::providers::structured::ClaimsMode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use support::engine::{TurnOutcome, one_turn_with};
use support::servers::Aimock;

const SPEECH: &str = "Pricing works: London's peak traffic fell by a fifth.";
const FORGETFUL: &str = "[forgets-claims]";

fn claims() -> Value {
    json!({
        "claims": [{"id": "A1", "relation": "supports", "target": "root", "text": "Peak pricing cut London traffic by a fifth."}],
        "concessions": []
    })
}

fn fixtures() -> Value {
    json!({"fixtures": [
        // A repair (OpenAI, under a JSON schema): the speech of the forgetful turn again.
        {"match": {"responseFormat": "json_schema"}, "response": {"content": claims().to_string()}},
        // Ollama's second request, and a forgetful speech's.
        {"match": {"userMessage": "Your speech (turn 1"}, "response": {"content": claims().to_string()}},
        {"match": {"systemMessage": FORGETFUL}, "response": {"content": "I forgot my claims."}},
        // A speech offered the claims tool: its text, then one call.
        {"match": {"toolName": "record_claims"},
         "response": {"content": SPEECH, "toolCalls": [{"name": "record_claims", "arguments": claims()}]}},
        // Ollama's speech, asked for no block.
        {"match": {"userMessage": "you will be asked for its claims"}, "response": {"content": SPEECH}},
        {"match": {}, "response": {"content": "UNEXPECTED REQUEST: no fixture matched."}}
    ]})
}

fn config(wire: Wire, base_url: String, system_prompt: &str) -> LlmConfig {
    LlmConfig {
        wire,
        base_url,
        model: "test-model".into(),
        api_key_env: None,
        api_key: Some(agon::providers::llm::ApiKey::new("test-key".into())),
        system_prompt: system_prompt.into(),
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
    let engine = EngineConfig {
        repair_claims: [true; 2],
        ..EngineConfig::default()
    };
    let out = one_turn_with(provider, engine).await;
    assert_eq!(out.turn.status, TurnStatus::Complete, "{}", out.error());
    out
}

fn assert_claims(out: &TurnOutcome, source: ClaimSource) {
    let c = &out.turn.claims;
    assert_eq!(
        c.len(),
        1,
        "{c:?} {:?} text {:?}",
        out.turn.warnings,
        out.turn.text
    );
    assert_eq!(
        (c[0].id.as_str(), c[0].target.as_str(), c[0].source),
        ("A1", "root", source)
    );
    assert!(!out.turn.text.contains("UNEXPECTED"), "{}", out.turn.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aimock_serves_each_structured_path() {
    let aimock = Aimock::start(&fixtures());

    // OpenAI and Anthropic: the text streams, then the tool call in the same request.
    for (wire, base) in [
        (Wire::Openai, aimock.openai_base()),
        (Wire::Anthropic, aimock.base()),
    ] {
        let out = play(config(wire, base, "You are debater {side}.")).await;
        assert_eq!(out.turn.text, SPEECH, "{wire:?}");
        assert_claims(&out, ClaimSource::Structured);
        assert!(out.turn.followups.is_empty(), "{wire:?}: one request");
        assert!(
            out.turn.warnings.is_empty(),
            "{wire:?}: {:?}",
            out.turn.warnings
        );
    }

    // Ollama: the speech, then a second request with `format`.
    let out = play(config(
        Wire::Ollama,
        aimock.base(),
        "You are debater {side}.",
    ))
    .await;
    assert_eq!(out.turn.text, SPEECH);
    assert_claims(&out, ClaimSource::Structured);
    assert_eq!(out.turn.followups.len(), 1);
    assert_eq!(out.turn.followups[0].purpose, FollowupPurpose::Structured);

    // A speech that neither calls the tool nor writes a block is repaired once.
    let system = format!("You are debater {{side}}. {FORGETFUL}");
    let out = play(config(Wire::Openai, aimock.openai_base(), &system)).await;
    assert_eq!(out.turn.text, "I forgot my claims.");
    assert_claims(&out, ClaimSource::Repair);
    assert_eq!(out.turn.followups[0].purpose, FollowupPurpose::Repair);
}
