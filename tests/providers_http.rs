//! The three wire formats and every network fault, against in-process HTTP servers on 127.0.0.1
//! (wiremock, plus a raw TCP server for streams that stall or break mid-body). Each test plays
//! one turn through the real engine and driver, so retries and their waits are the engine's.

mod support;

use agon::domain::{SamplingParams, TurnStatus};
use agon::providers::llm::{ApiKey, LlmConfig, LlmProvider, Price, Wire};
use agon::providers::retry::RetryPolicy;
use agon::providers::structured::ClaimsMode;
use agon::providers::{Provider, ProviderError, Retry, StreamEvent, TurnRequest, TurnSpec};
use futures_util::StreamExt;
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;
use support::engine::{TurnOutcome, one_turn, one_turn_session};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-test-secret-123";

fn config(wire: Wire, base_url: String) -> LlmConfig {
    LlmConfig {
        wire,
        base_url,
        model: "test-model".into(),
        api_key_env: Some("AGON_TEST_KEY".into()),
        api_key: Some(ApiKey::new(KEY.into())),
        system_prompt: "You are debater {side}.".into(),
        params: SamplingParams {
            temperature: Some(0.3),
            max_tokens: Some(256),
        },
        connect_timeout: Duration::from_secs(2),
        first_token_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(2),
        price: Some(Price {
            input_per_mtok: 1.0,
            output_per_mtok: 2.0,
        }),
        // The structured paths have their own tests (tests/structured_claims.rs).
        claims: ClaimsMode::Block,
    }
}

fn retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(200),
    }
}

/// One turn against `cfg`'s server, with up to two retries.
async fn run(cfg: LlmConfig) -> TurnOutcome {
    run_with(cfg, retry(2)).await
}

async fn run_with(cfg: LlmConfig, policy: RetryPolicy) -> TurnOutcome {
    let provider: Arc<dyn Provider> = Arc::new(LlmProvider::new(cfg).unwrap());
    let out = one_turn(provider, policy).await;
    assert!(
        !out.error().contains(KEY),
        "the key leaked into an error: {}",
        out.error()
    );
    out
}

fn complete(out: &TurnOutcome) -> &agon::domain::TurnStats {
    assert_eq!(
        out.turn.status,
        TurnStatus::Complete,
        "expected a complete turn, got {:?} ({})",
        out.turn.status,
        out.error()
    );
    &out.turn.stats
}

fn failed(out: &TurnOutcome) -> String {
    assert_eq!(
        out.turn.status,
        TurnStatus::Failed,
        "the turn should have failed"
    );
    out.error()
}

fn sse(events: &[&str]) -> String {
    events.iter().map(|e| format!("{e}\n\n")).collect()
}

fn openai_body(with_done: bool) -> String {
    let mut ev = vec![
        r#"data: {"choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}"#,
        r#"data: {"choices":[{"index":0,"delta":{"content":"Pricing "},"finish_reason":null}]}"#,
        r#"data: {"choices":[{"index":0,"delta":{"content":"works."},"finish_reason":null}]}"#,
        r#"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        r#"data: {"choices":[],"usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120}}"#,
    ];
    if with_done {
        ev.push("data: [DONE]");
    }
    sse(&ev)
}

fn sse_response(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/event-stream")
        .set_body_string(body)
}

#[tokio::test]
async fn openai_streams_text_usage_and_cost() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(serde_json::json!({
            "model": "test-model",
            "stream": true,
            "stream_options": {"include_usage": true},
            "max_tokens": 256
        })))
        .respond_with(sse_response(openai_body(true)))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
    let s = complete(&out);
    assert_eq!(out.turn.text, "Pricing works.");
    assert_eq!((s.input_tokens, s.output_tokens), (Some(100), Some(20)));
    assert!((s.cost_usd.unwrap() - 0.00014).abs() < 1e-12);
    assert_eq!(s.provider, "openai");
    assert_eq!(s.retries, 0);
    assert!(s.time_to_first_token_ms.is_some() && s.total_ms.is_some());
    // The prompt carried the system template and the turn message.
    let req = &server.received_requests().await.unwrap()[0];
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(body["messages"][0]["content"], "You are debater A.");
    assert!(
        body["messages"][1]["content"]
            .as_str()
            .unwrap()
            .contains("Your next claim id is A1.")
    );
}

#[tokio::test]
async fn anthropic_streams_named_events() {
    let server = MockServer::start().await;
    let body = sse(&[
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "event: ping\ndata: {\"type\":\"ping\"}",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Tea \"}}",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"wins.\"}}",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}",
    ]);
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("x-api-key", KEY))
        .and(header("anthropic-version", "2023-06-01"))
        .and(body_partial_json(
            serde_json::json!({"system": "You are debater A.", "max_tokens": 256, "stream": true}),
        ))
        .respond_with(sse_response(body))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(config(Wire::Anthropic, server.uri())).await;
    let s = complete(&out);
    assert_eq!(out.turn.text, "Tea wins.");
    assert_eq!((s.input_tokens, s.output_tokens), (Some(50), Some(9)));
}

#[tokio::test]
async fn ollama_streams_ndjson() {
    let server = MockServer::start().await;
    let body = [
        r#"{"model":"m","message":{"role":"assistant","content":"Local "},"done":false}"#,
        r#"{"model":"m","message":{"role":"assistant","content":"models."},"done":false}"#,
        r#"{"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":26,"eval_count":5}"#,
    ]
    .join("\n")
        + "\n";
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .and(body_partial_json(
            serde_json::json!({"stream": true, "options": {"num_predict": 256}}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/x-ndjson")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    let out = run(config(Wire::Ollama, server.uri())).await;
    assert_eq!(complete(&out).output_tokens, Some(5));
    assert_eq!(out.turn.text, "Local models.");
}

#[tokio::test]
async fn rate_limits_are_retried_honouring_retry_after_ms() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after-ms", "30")
                .set_body_string(r#"{"error":{"message":"slow down","type":"rate_limit_error"}}"#),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(sse_response(openai_body(true)))
        .mount(&server)
        .await;
    let out = run(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
    assert_eq!(out.waits, vec![Duration::from_millis(30)]);
    assert_eq!(complete(&out).retries, 1);
    assert_eq!(out.turn.text, "Pricing works.");
    assert!(
        out.reasons[0].contains("429") && out.reasons[0].contains("slow down"),
        "{}",
        out.reasons[0]
    );
}

#[tokio::test]
async fn overloaded_529_is_retried_with_backoff_then_gives_up() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(529).set_body_string(
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        ))
        .expect(3)
        .mount(&server)
        .await;
    let out = run(config(Wire::Anthropic, server.uri())).await;
    assert_eq!(out.waits.len(), 2);
    assert!(out.waits.iter().all(|w| *w <= Duration::from_millis(200)));
    let e = failed(&out);
    assert!(
        e.contains("529")
            && e.contains("overloaded_error")
            && e.contains("gave up after 3 attempts"),
        "{e}"
    );
    assert_eq!(
        out.turn.stats.retries, 2,
        "two retries after the first attempt"
    );
    assert!(out.turn.text.is_empty());
}

#[tokio::test]
async fn every_retryable_status_is_retried() {
    for status in [408u16, 409, 500, 502, 503] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(sse_response(openai_body(true)))
            .mount(&server)
            .await;
        let out = run(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
        assert_eq!(complete(&out).retries, 1, "status {status}");
    }
}

#[tokio::test]
async fn x_should_retry_false_is_obeyed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-should-retry", "false"))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
    assert!(out.waits.is_empty());
    assert!(failed(&out).contains("503"));
}

#[tokio::test]
async fn auth_and_request_errors_are_not_retried_and_say_what_to_check() {
    let cases = [
        (401, "refused the credentials", "$AGON_TEST_KEY"),
        (403, "refused the credentials", "$AGON_TEST_KEY"),
        (404, "not found", "base URL"),
        (400, "rejected the request", "$AGON_TEST_KEY"),
    ];
    for (status, what, hint) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status).set_body_string(
                    r#"{"error":{"message":"nope","type":"invalid_request_error"}}"#,
                ),
            )
            .expect(1)
            .mount(&server)
            .await;
        let out = run(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
        let e = failed(&out);
        assert!(out.waits.is_empty(), "{status} must not be retried");
        // Who failed is the turn's record; the message says what (blind judges read it).
        assert!(!e.contains("test-model"), "{e}");
        assert!(
            e.contains(what) && e.contains(hint) && e.contains("nope"),
            "{status}: {e}"
        );
    }
}

#[tokio::test]
async fn a_missing_key_is_named_in_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let mut cfg = config(Wire::Anthropic, server.uri());
    cfg.api_key = None;
    let out = run(cfg).await;
    assert!(
        failed(&out).contains("$AGON_TEST_KEY is not set"),
        "{}",
        out.error()
    );
}

#[tokio::test]
async fn a_stream_without_its_end_marker_fails_and_keeps_the_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sse_response(openai_body(false)))
        .mount(&server)
        .await;
    let out = run(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
    assert!(failed(&out).contains("[DONE]"), "{}", out.error());
    assert_eq!(out.turn.text, "Pricing works.");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("{\"message\":{\"content\":\"cut\"},\"done\":false}\n"),
        )
        .mount(&server)
        .await;
    let out = run(config(Wire::Ollama, server.uri())).await;
    assert!(failed(&out).contains("done: true"));
    assert_eq!(out.turn.text, "cut");
}

#[tokio::test]
async fn malformed_chunks_and_error_events_fail_the_turn() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sse_response(sse(&[
            r#"data: {"choices":[{"delta":{"content":"Half"}}]}"#,
            r#"data: {"choices":[{"delta":{"content": BROKEN"#,
        ])))
        .mount(&server)
        .await;
    let out = run(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
    assert!(
        failed(&out).contains("malformed stream chunk"),
        "{}",
        out.error()
    );
    assert_eq!(out.turn.text, "Half");
    assert!(out.waits.is_empty(), "no retry after the first token");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sse_response(sse(&[
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Some\"}}",
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
        ])))
        .mount(&server)
        .await;
    let out = run(config(Wire::Anthropic, server.uri())).await;
    assert!(failed(&out).contains("overloaded_error: Overloaded"));
    assert_eq!(out.turn.text, "Some");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"error\":\"out of memory\"}\n",
        ))
        .mount(&server)
        .await;
    let out = run(config(Wire::Ollama, server.uri())).await;
    assert!(failed(&out).contains("out of memory"));

    // An `error` event whose data is not the usual shape is still an error.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sse_response(sse(&[
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Some\"}}",
            "event: error\ndata: {\"message\": \"overloaded\"}",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}",
        ])))
        .mount(&server)
        .await;
    let out = run(config(Wire::Anthropic, server.uri())).await;
    assert!(failed(&out).contains("overloaded"), "{}", out.error());
}

#[tokio::test]
async fn unreachable_servers_are_retried_then_reported() {
    // Bind and drop to find a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(config(Wire::Openai, format!("http://127.0.0.1:{port}/v1"))).await;
    assert_eq!(out.waits.len(), 2);
    let e = failed(&out);
    assert!(
        e.contains("cannot reach") && e.contains("gave up after 3 attempts"),
        "{e}"
    );
}

#[tokio::test]
async fn a_slow_first_byte_times_out_and_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sse_response(openai_body(true)).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let mut cfg = config(Wire::Openai, format!("{}/v1", server.uri()));
    cfg.first_token_timeout = Duration::from_millis(300);
    let out = run_with(cfg, retry(1)).await;
    assert_eq!(out.waits.len(), 1);
    let e = failed(&out);
    assert!(
        e.contains("within 0.3 s") && e.contains("gave up after 2 attempts"),
        "{e}"
    );
}

/// A raw HTTP server that sends the headers and `chunks`, then either stalls or hangs up.
fn raw_server(chunks: Vec<&'static str>, stall: bool) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((mut conn, _)) = listener.accept() else {
            return;
        };
        let mut buf = [0u8; 65536];
        let _ = conn.read(&mut buf);
        let _ = conn.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n",
        );
        for c in chunks {
            let _ = conn.write_all(format!("{:x}\r\n{c}\r\n", c.len()).as_bytes());
            let _ = conn.flush();
        }
        if stall {
            std::thread::sleep(Duration::from_secs(5));
        }
        // Dropping the connection without the final zero-length chunk: a broken transfer.
    });
    format!("http://{addr}/v1")
}

#[tokio::test]
async fn a_stream_that_stalls_mid_turn_times_out_keeping_the_text() {
    let base = raw_server(
        vec!["data: {\"choices\":[{\"delta\":{\"content\":\"Before the stall\"}}]}\n\n"],
        true,
    );
    let mut cfg = config(Wire::Openai, base);
    cfg.read_timeout = Duration::from_millis(400);
    let out = run(cfg).await;
    let e = failed(&out);
    assert_eq!(out.turn.text, "Before the stall");
    assert!(out.waits.is_empty());
    assert!(e.contains("stalled") || e.contains("timed out"), "{e}");
}

#[tokio::test]
async fn a_disconnect_mid_turn_fails_keeping_the_text() {
    let base = raw_server(
        vec!["data: {\"choices\":[{\"delta\":{\"content\":\"Cut off\"}}]}\n\n"],
        false,
    );
    let out = run(config(Wire::Openai, base)).await;
    let e = failed(&out);
    assert_eq!(out.turn.text, "Cut off");
    assert!(
        e.contains("the stream broke") || e.contains("end marker"),
        "{e}"
    );
}

#[tokio::test]
async fn dropping_the_stream_aborts_without_waiting_for_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sse_response(openai_body(true)).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let provider = LlmProvider::new(config(Wire::Openai, format!("{}/v1", server.uri()))).unwrap();
    let session = one_turn_session();
    let spec = spec();
    let stream = provider.stream_turn(TurnRequest {
        spec: &spec,
        session: &session,
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = std::time::Instant::now();
    drop(stream);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "dropping returns at once"
    );
}

fn spec() -> TurnSpec {
    TurnSpec {
        turn: 0,
        attempt: 1,
        side: agon::domain::Side::A,
        round: 1,
        scope: "root".into(),
    }
}

/// One request, straight from the provider: what it says of a failure decides the retry.
async fn single_request(cfg: LlmConfig) -> (String, Option<ProviderError>) {
    let provider = LlmProvider::new(cfg).unwrap();
    let session = one_turn_session();
    let spec = spec();
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
            Err(e) => return (text, Some(e)),
        }
    }
    (text, None)
}

#[tokio::test]
async fn a_failure_says_whether_it_is_worth_retrying() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "2"))
        .mount(&server)
        .await;
    let (_, e) = single_request(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
    assert_eq!(
        e.unwrap().retry,
        Retry::Yes {
            server_wait: Some(Duration::from_secs(2))
        }
    );
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let (_, e) = single_request(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
    assert_eq!(e.unwrap().retry, Retry::No);
}

#[tokio::test]
async fn an_absurd_retry_after_is_capped_not_a_panic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1e20"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(sse_response(openai_body(true)))
        .mount(&server)
        .await;
    let out = run(config(Wire::Openai, format!("{}/v1", server.uri()))).await;
    assert_eq!(
        out.waits,
        vec![Duration::from_millis(200)],
        "capped by the policy"
    );
    complete(&out);
}

#[tokio::test]
async fn credentials_in_the_base_url_never_reach_an_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = config(
        Wire::Openai,
        format!("http://user:sk-url-secret@127.0.0.1:{port}/v1?api_key=sk-query-secret"),
    );
    let out = run_with(cfg, retry(0)).await;
    let e = failed(&out);
    assert!(
        !e.contains("sk-url-secret") && !e.contains("sk-query-secret"),
        "{e}"
    );
    assert!(e.contains("cannot reach http://127.0.0.1"), "{e}");
}
