//! Structured claims on the three wires, their fallback to the claims block when a server
//! refuses them, and the repair request, against wiremock on 127.0.0.1. Each test plays a turn
//! through the real engine and driver, as a debate would.

mod support;

use agon::domain::{ClaimSource, FollowupPurpose, SamplingParams, TurnStatus};
use agon::engine::EngineConfig;
use agon::providers::llm::{LlmConfig, LlmProvider, Price, Wire};
use agon::providers::structured::ClaimsMode;
use agon::providers::{Provider, StreamEvent, TurnRequest, TurnSpec};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use support::engine::{TurnOutcome, one_turn_session, one_turn_with};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLAIMS: &str = r#"{"claims":[{"id":"A1","relation":"supports","target":"root","text":"Peak pricing cut London traffic by about a fifth."}],"concessions":[]}"#;
const BLOCK: &str = "Pricing works.\n\n```claims\nA1 supports root: Peak pricing cut London traffic by about a fifth.\n```\n";

fn config(wire: Wire, base_url: String, claims: ClaimsMode) -> LlmConfig {
    LlmConfig {
        wire,
        base_url,
        model: "test-model".into(),
        api_key_env: None,
        api_key: None,
        system_prompt: "You are debater {side}.".into(),
        params: SamplingParams {
            temperature: None,
            max_tokens: Some(256),
        },
        connect_timeout: Duration::from_secs(2),
        first_token_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        price: Some(Price {
            input_per_mtok: 1.0,
            output_per_mtok: 2.0,
        }),
        claims,
    }
}

async fn play(cfg: LlmConfig, repair: bool) -> (TurnOutcome, Arc<LlmProvider>) {
    let provider = Arc::new(LlmProvider::new(cfg).unwrap());
    let engine = EngineConfig {
        repair_claims: [repair; 2],
        ..EngineConfig::default()
    };
    let out = one_turn_with(provider.clone(), engine).await;
    assert_eq!(
        out.turn.status,
        TurnStatus::Complete,
        "the turn did not complete: {}",
        out.error()
    );
    (out, provider)
}

fn sse(events: &[String]) -> ResponseTemplate {
    let body: String = events.iter().map(|e| format!("{e}\n\n")).collect();
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/event-stream")
        .set_body_string(body)
}

fn data(v: Value) -> String {
    format!("data: {v}")
}

fn has(field: &'static str) -> impl Fn(&Request) -> bool {
    move |req: &Request| body(req).get(field).is_some()
}

fn lacks(field: &'static str) -> impl Fn(&Request) -> bool {
    move |req: &Request| body(req).get(field).is_none()
}

fn body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or(Value::Null)
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(body)
        .collect()
}

/// The user message of a request on any wire.
fn user(body: &Value) -> String {
    let messages = body["messages"].as_array().unwrap();
    messages.last().unwrap()["content"]
        .as_str()
        .unwrap()
        .to_string()
}

fn assert_structured(out: &TurnOutcome, source: ClaimSource) {
    let claims = &out.turn.claims;
    assert_eq!(claims.len(), 1, "{claims:?} {:?}", out.turn.warnings);
    assert_eq!(claims[0].id, "A1");
    assert_eq!(claims[0].target, "root");
    assert_eq!(claims[0].source, source);
}

/// An OpenAI speech that writes its text, then calls the claims tool in three pieces.
fn openai_tool_stream() -> ResponseTemplate {
    let (first, rest) = CLAIMS.split_at(20);
    let (second, third) = rest.split_at(30);
    sse(&[
        data(json!({"choices":[{"index":0,"delta":{"role":"assistant"}}]})),
        data(json!({"choices":[{"index":0,"delta":{"content":"Pricing works."}}]})),
        data(
            json!({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"record_claims","arguments":first}}]}}]}),
        ),
        data(
            json!({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":second}}]}}]}),
        ),
        data(
            json!({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":third}}]}}]}),
        ),
        data(json!({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})),
        data(json!({"choices":[],"usage":{"prompt_tokens":50,"completion_tokens":30}})),
        "data: [DONE]".into(),
    ])
}

fn openai_text_stream(text: &str) -> ResponseTemplate {
    sse(&[
        data(json!({"choices":[{"index":0,"delta":{"content":text}}]})),
        data(
            json!({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":50,"completion_tokens":20}}),
        ),
        "data: [DONE]".into(),
    ])
}

#[tokio::test]
async fn openai_claims_come_from_the_tool_call_in_the_same_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(openai_tool_stream())
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(
        Wire::Openai,
        format!("{}/v1", server.uri()),
        ClaimsMode::Auto,
    );
    let (out, _) = play(cfg, true).await;
    assert_eq!(out.turn.text, "Pricing works.");
    assert_structured(&out, ClaimSource::Structured);
    assert!(out.turn.warnings.is_empty(), "{:?}", out.turn.warnings);
    assert!(out.turn.followups.is_empty(), "no second request");
    assert_eq!(out.turn.stats.output_tokens, Some(30));
    let sent = &bodies(&server).await[0];
    assert_eq!(sent["tools"][0]["function"]["name"], "record_claims");
    assert_eq!(
        sent["tools"][0]["function"]["parameters"],
        agon::domain::claims::json_schema()
    );
    assert_eq!(sent["tool_choice"], "auto");
    assert!(user(sent).contains("call the tool record_claims once"));
    assert!(!user(sent).contains("end with the claims block"));
}

#[tokio::test]
async fn openai_refusing_tools_falls_back_to_the_block_once_and_remembers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(has("tools"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {"message": "tools are not supported by this server", "type": "invalid_request_error"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(lacks("tools"))
        .respond_with(openai_text_stream(BLOCK))
        .expect(2)
        .mount(&server)
        .await;
    let cfg = config(
        Wire::Openai,
        format!("{}/v1", server.uri()),
        ClaimsMode::Auto,
    );
    let (out, provider) = play(cfg, true).await;
    assert_eq!(out.turn.stats.retries, 0, "a fallback is not a retry");
    assert!(out.waits.is_empty());
    assert_eq!(out.turn.claims.len(), 1);
    assert_eq!(out.turn.claims[0].source, ClaimSource::Block);
    assert_eq!(
        out.turn.warnings,
        [
            "the server refused structured claims (invalid_request_error: tools are not supported by this server): read the claims block instead"
        ]
    );
    let sent = bodies(&server).await;
    assert!(user(&sent[1]).contains("end with the claims block"));
    // The next turn of this debater asks for the block straight away.
    let (text, error) = single_turn(provider.as_ref()).await;
    assert_eq!(error, None);
    assert!(text.contains("```claims"));
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 3);
    assert!(sent[2].get("tools").is_none());
}

#[tokio::test]
async fn a_model_that_skips_the_tool_still_gives_its_block() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(openai_text_stream(BLOCK))
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(
        Wire::Openai,
        format!("{}/v1", server.uri()),
        ClaimsMode::Structured,
    );
    let (out, _) = play(cfg, true).await;
    assert_eq!(out.turn.claims.len(), 1);
    assert_eq!(out.turn.claims[0].source, ClaimSource::Block);
    assert!(out.turn.followups.is_empty(), "the block was readable");
}

/// An OpenAI answer that is the claims tool alone, with no speech.
fn openai_tool_alone() -> ResponseTemplate {
    sse(&[
        data(
            json!({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"record_claims","arguments":CLAIMS}}]}}]}),
        ),
        data(json!({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})),
        data(json!({"choices":[],"usage":{"prompt_tokens":50,"completion_tokens":30}})),
        "data: [DONE]".into(),
    ])
}

#[tokio::test]
async fn a_model_that_only_calls_the_tool_is_asked_again_for_its_speech_and_then_for_blocks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(has("tools"))
        .respond_with(openai_tool_alone())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(lacks("tools"))
        .respond_with(openai_text_stream(BLOCK))
        .expect(2)
        .mount(&server)
        .await;
    let cfg = config(
        Wire::Openai,
        format!("{}/v1", server.uri()),
        ClaimsMode::Auto,
    );
    let (out, provider) = play(cfg, true).await;
    assert!(
        out.turn.text.starts_with("Pricing works."),
        "{}",
        out.turn.text
    );
    assert_eq!(out.turn.stats.retries, 0, "asking again is not a retry");
    assert_eq!(out.turn.claims.len(), 1);
    assert_eq!(out.turn.claims[0].source, ClaimSource::Block);
    assert_eq!(
        out.turn.warnings,
        [agon::providers::structured::TOOL_ALONE_NOTE]
    );
    // Both requests' tokens are the turn's: 50 + 50 in, 30 + 20 out.
    assert_eq!(out.turn.stats.input_tokens, Some(100));
    assert_eq!(out.turn.stats.output_tokens, Some(50));
    let (_, error) = single_turn(provider.as_ref()).await;
    assert_eq!(error, None);
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 3);
    assert!(
        sent[2].get("tools").is_none(),
        "the next turn asks for the block"
    );
}

fn anthropic_tool_stream() -> ResponseTemplate {
    let (first, second) = CLAIMS.split_at(40);
    let ev = |name: &str, v: Value| format!("event: {name}\ndata: {v}");
    sse(&[
        ev(
            "message_start",
            json!({"type":"message_start","message":{"id":"m","usage":{"input_tokens":40,"output_tokens":1}}}),
        ),
        ev(
            "content_block_start",
            json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
        ),
        ev(
            "content_block_delta",
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Pricing works."}}),
        ),
        ev(
            "content_block_stop",
            json!({"type":"content_block_stop","index":0}),
        ),
        ev(
            "content_block_start",
            json!({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"record_claims","input":{}}}),
        ),
        ev("ping", json!({"type":"ping"})),
        ev(
            "content_block_delta",
            json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":first}}),
        ),
        ev(
            "content_block_delta",
            json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":second}}),
        ),
        ev(
            "content_block_stop",
            json!({"type":"content_block_stop","index":1}),
        ),
        ev(
            "message_delta",
            json!({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":33}}),
        ),
        ev("message_stop", json!({"type":"message_stop"})),
    ])
}

#[tokio::test]
async fn anthropic_claims_come_from_tool_use_in_the_same_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(anthropic_tool_stream())
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(Wire::Anthropic, server.uri(), ClaimsMode::Auto);
    let (out, _) = play(cfg, true).await;
    assert_eq!(out.turn.text, "Pricing works.");
    assert_structured(&out, ClaimSource::Structured);
    assert_eq!(out.turn.stats.output_tokens, Some(33));
    let sent = &bodies(&server).await[0];
    assert_eq!(sent["tools"][0]["name"], "record_claims");
    assert_eq!(
        sent["tools"][0]["input_schema"],
        agon::domain::claims::json_schema()
    );
    assert_eq!(sent["tool_choice"], json!({"type": "auto"}));
}

#[tokio::test]
async fn anthropic_refusing_tools_falls_back_to_the_block() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(has("tools"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "type": "error",
            "error": {"type": "invalid_request_error", "message": "tools: Extra inputs are not permitted"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let ev = |name: &str, v: Value| format!("event: {name}\ndata: {v}");
    Mock::given(method("POST"))
        .and(lacks("tools"))
        .respond_with(sse(&[
            ev("message_start", json!({"type":"message_start","message":{"usage":{"input_tokens":5}}})),
            ev("content_block_delta", json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":BLOCK}})),
            ev("message_stop", json!({"type":"message_stop"})),
        ]))
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(Wire::Anthropic, server.uri(), ClaimsMode::Auto);
    let (out, _) = play(cfg, false).await;
    assert_eq!(out.turn.claims.len(), 1);
    assert!(
        out.turn.warnings[0].starts_with("the server refused structured claims ("),
        "{:?}",
        out.turn.warnings
    );
}

fn ndjson(lines: &[Value]) -> ResponseTemplate {
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    ResponseTemplate::new(200)
        .insert_header("content-type", "application/x-ndjson")
        .set_body_string(body)
}

fn ollama_speech() -> ResponseTemplate {
    ndjson(&[
        json!({"model":"test-model","message":{"role":"assistant","content":"Pricing "},"done":false}),
        json!({"model":"test-model","message":{"role":"assistant","content":"works."},"done":false}),
        json!({"model":"test-model","message":{"role":"assistant","content":""},"done":true,"prompt_eval_count":26,"eval_count":12}),
    ])
}

fn is_stream(want: bool) -> impl Fn(&Request) -> bool {
    move |req: &Request| body(req)["stream"] == want
}

#[tokio::test]
async fn ollama_claims_come_from_a_second_request_with_format() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(is_stream(true))
        .respond_with(ollama_speech())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(is_stream(false))
        .and(has("format"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "model": "test-model",
            "message": {"role": "assistant", "content": CLAIMS},
            "done": true,
            "prompt_eval_count": 80,
            "eval_count": 40
        })))
        .expect(1)
        .mount(&server)
        .await;
    // Repair off: the second request is the structured path itself, not a repair.
    let cfg = config(Wire::Ollama, server.uri(), ClaimsMode::Auto);
    let (out, _) = play(cfg, false).await;
    assert_eq!(out.turn.text, "Pricing works.");
    assert_structured(&out, ClaimSource::Structured);
    assert!(out.turn.warnings.is_empty(), "{:?}", out.turn.warnings);
    let f = &out.turn.followups;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].purpose, FollowupPurpose::Structured);
    assert_eq!(
        (f[0].stats.input_tokens, f[0].stats.output_tokens),
        (Some(80), Some(40))
    );
    assert!((f[0].stats.cost_usd.unwrap() - 0.00016).abs() < 1e-12);
    assert_eq!(out.turn.total_output_tokens(), Some(52));
    let sent = bodies(&server).await;
    assert!(sent[0].get("format").is_none(), "the speech is free text");
    assert!(user(&sent[0]).contains("you will be asked for its claims right after"));
    assert_eq!(sent[1]["format"], agon::domain::claims::json_schema());
    assert!(
        user(&sent[1]).starts_with("Your speech (turn 1, debater A, round 1):\n\nPricing works.")
    );
}

#[tokio::test]
async fn ollama_refusing_format_answers_with_a_block() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(is_stream(true))
        .respond_with(ollama_speech())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(is_stream(false))
        .and(has("format"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": "invalid format: schema not supported"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(is_stream(false))
        .and(lacks("format"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "message": {"role": "assistant", "content": "```claims\nA1 supports root: Peak pricing cut London traffic by about a fifth.\n```"},
            "done": true, "eval_count": 9
        })))
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(Wire::Ollama, server.uri(), ClaimsMode::Structured);
    let (out, provider) = play(cfg, false).await;
    assert_structured(&out, ClaimSource::Structured);
    assert_eq!(
        out.turn.warnings,
        [
            "the server refused structured claims (invalid format: schema not supported): read the claims block instead"
        ]
    );
    assert_eq!(out.turn.followups[0].stats.output_tokens, Some(9));
    // Remembered: the next speech asks for its block in the text, and promises nothing later.
    let (_, error) = single_turn(provider.as_ref()).await;
    assert_eq!(error, None);
    let sent = bodies(&server).await;
    assert!(user(sent.last().unwrap()).contains("end with the claims block"));
}

#[tokio::test]
async fn an_unreadable_turn_is_repaired_with_one_structured_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(is_stream(true))
        .respond_with(openai_text_stream("Pricing works, and I forgot my claims."))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(is_stream(false))
        .and(has("response_format"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": CLAIMS}}],
            "usage": {"prompt_tokens": 120, "completion_tokens": 25}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(
        Wire::Openai,
        format!("{}/v1", server.uri()),
        ClaimsMode::Auto,
    );
    let (out, _) = play(cfg, true).await;
    assert_structured(&out, ClaimSource::Repair);
    assert_eq!(out.turn.followups[0].purpose, FollowupPurpose::Repair);
    assert_eq!(out.turn.followups[0].stats.output_tokens, Some(25));
    assert_eq!(out.turn.total_output_tokens(), Some(45));
    let sent = bodies(&server).await;
    assert_eq!(
        sent[1]["response_format"]["json_schema"]["schema"],
        agon::domain::claims::json_schema()
    );
    assert!(user(&sent[1]).contains("Pricing works, and I forgot my claims."));
}

#[tokio::test]
async fn anthropic_repair_forces_the_tool_and_a_closing_block_asks_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(is_stream(true))
        .respond_with(anthropic_text_stream("No block here."))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(is_stream(false))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "content": [{"type": "tool_use", "id": "t", "name": "record_claims", "input": serde_json::from_str::<Value>(CLAIMS).unwrap()}],
            "usage": {"input_tokens": 60, "output_tokens": 20}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(Wire::Anthropic, server.uri(), ClaimsMode::Auto);
    let (out, _) = play(cfg, true).await;
    assert_structured(&out, ClaimSource::Repair);
    let sent = bodies(&server).await;
    assert_eq!(
        sent[1]["tool_choice"],
        json!({"type": "tool", "name": "record_claims"})
    );

    // A speech that ends with an empty block made no claim on purpose: nothing is asked.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(anthropic_text_stream("In closing.\n\n```claims\n```\n"))
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(Wire::Anthropic, server.uri(), ClaimsMode::Block);
    let (out, _) = play(cfg, true).await;
    assert!(out.turn.followups.is_empty());
}

#[tokio::test]
async fn in_block_mode_the_repair_asks_for_a_block() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(is_stream(true))
        .respond_with(ollama_speech())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(is_stream(false))
        .and(lacks("format"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "message": {"content": "```claims\nA1 supports root: Peak pricing cut London traffic by about a fifth.\n```"},
            "done": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(Wire::Ollama, server.uri(), ClaimsMode::Block);
    let (out, _) = play(cfg, true).await;
    assert_structured(&out, ClaimSource::Repair);
    let sent = bodies(&server).await;
    assert!(user(&sent[0]).contains("end with the claims block"));
    assert!(user(&sent[1]).contains("```claims fence"));
}

#[tokio::test]
async fn a_failed_repair_keeps_the_turn_with_a_warning_and_no_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(is_stream(true))
        .respond_with(openai_text_stream("Nothing to read."))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(is_stream(false))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let cfg = config(
        Wire::Openai,
        format!("{}/v1", server.uri()),
        ClaimsMode::Auto,
    );
    let (out, _) = play(cfg, true).await;
    assert!(out.turn.claims.is_empty());
    assert_eq!(out.turn.stats.retries, 0);
    assert!(
        out.turn.warnings[0].starts_with("asking for the claims again failed (HTTP 503"),
        "{:?}",
        out.turn.warnings
    );
    assert!(out.turn.followups[0].error.is_some());
}

fn anthropic_text_stream(text: &str) -> ResponseTemplate {
    let ev = |name: &str, v: Value| format!("event: {name}\ndata: {v}");
    sse(&[
        ev(
            "message_start",
            json!({"type":"message_start","message":{"usage":{"input_tokens":5}}}),
        ),
        ev(
            "content_block_delta",
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":text}}),
        ),
        ev(
            "message_delta",
            json!({"type":"message_delta","delta":{},"usage":{"output_tokens":7}}),
        ),
        ev("message_stop", json!({"type":"message_stop"})),
    ])
}

/// One speech straight from the provider (no engine): its text and error.
async fn single_turn(provider: &dyn Provider) -> (String, Option<String>) {
    let session = one_turn_session();
    let spec = TurnSpec {
        turn: 0,
        attempt: 1,
        side: agon::domain::Side::A,
        round: 1,
        scope: "root".into(),
    };
    let mut stream = provider.stream_turn(TurnRequest {
        spec: &spec,
        session: &session,
    });
    let mut text = String::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(StreamEvent::Delta(t)) => text.push_str(&t),
            Ok(StreamEvent::Done(_)) => return (text, None),
            Ok(_) => {}
            Err(e) => return (text, Some(e.message)),
        }
    }
    (text, Some("no Done".into()))
}
