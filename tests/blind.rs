//! Blind judging hides who the debaters are until the verdict, on every screen, at every
//! moment: a debate against a local server that rate-limits (a retry), then breaks off mid-turn,
//! drawn frame by frame into a `TestBackend`, never shows the provider, the model or the base
//! URL.

mod support;

use agon::app::{App, Settings};
use agon::domain::{Debater, DebaterKind, SamplingParams, Session, Side};
use agon::engine::driver::Debaters;
use agon::engine::{EngineConfig, Mode, SaveTarget};
use agon::providers::llm::{LlmConfig, LlmProvider, Wire};
use agon::providers::retry::RetryPolicy;
use agon::providers::scripted::script::DemoScript;
use agon::providers::structured::ClaimsMode;
use ratatui::crossterm::event::KeyCode;
use std::sync::Arc;
use std::time::Duration;
use support::drive::Drive;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const MODEL: &str = "hush-model-7";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_frame_names_the_debaters_while_judging_blind() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after-ms", "50")
                .set_body_string(format!(
                    r#"{{"error":{{"message":"Rate limit for {MODEL} on openai","type":"rate_limit_error"}}}}"#
                )),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // Then a turn that breaks off: text, but no end marker.
    let body = [
        r#"data: {"choices":[{"index":0,"delta":{"content":"The evidence "}}]}"#,
        r#"data: {"choices":[{"index":0,"delta":{"content":"is strong"}}]}"#,
    ]
    .map(|e| format!("{e}\n\n"))
    .concat();
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let port = server.address().port().to_string();

    let cfg = LlmConfig {
        wire: Wire::Openai,
        base_url: base.clone(),
        model: MODEL.into(),
        api_key_env: None,
        api_key: None,
        system_prompt: "You are debater {side}.".into(),
        params: SamplingParams::default(),
        connect_timeout: Duration::from_secs(2),
        first_token_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        price: None,
        claims: ClaimsMode::Block,
    };
    let provider = Arc::new(LlmProvider::new(cfg).unwrap());
    let mut setup = DemoScript::bundled().unwrap().setup();
    setup.debaters = Side::BOTH
        .iter()
        .map(|&side| Debater {
            side,
            name: format!("{MODEL} ({side})"),
            provider: "openai".into(),
            model: MODEL.into(),
            kind: DebaterKind::Ai,
            base_url: Some(base.clone()),
            system_prompt: None,
            params: SamplingParams::default(),
            chose_side: false,
        })
        .collect();
    let session = Session::new(setup, time::OffsetDateTime::now_utc());
    let dir = tempfile::tempdir().unwrap();
    let engine = agon::engine::Engine::new(
        session,
        Mode::Live,
        EngineConfig {
            retry: RetryPolicy {
                max_retries: 2,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(100),
            },
            ..EngineConfig::default()
        },
        Some(SaveTarget::New {
            dir: dir.path().to_path_buf(),
            name: None,
        }),
    );
    let settings = Settings {
        blind: true,
        source_label: format!("openai {MODEL} vs openai {MODEL}"),
        theme: agon::theme::Theme::bundled(),
        ..Settings::default()
    };
    let mut drive = Drive::new(
        App::new(engine, settings),
        Debaters::both(provider),
        100,
        30,
    );
    drive.start();
    // The retry, then the break.
    drive
        .until(|app| app.session().unresolved_turn().is_some())
        .await;
    let retried = drive
        .frames
        .iter()
        .any(|f| f.contains("Retry 1") || f.contains("retry 1"));
    assert!(retried, "the retry was shown");
    // Every screen the judge can open before the verdict.
    for key in ['?', 'c', 'v', 'i', 't', 'A'] {
        drive.key(KeyCode::Char(key));
        drive.key(KeyCode::Esc);
    }
    drive.key(KeyCode::Tab);
    drive.key(KeyCode::Char('j'));
    let frames = drive.frames.clone();
    assert!(frames.len() > 10, "{} frames", frames.len());
    for (i, frame) in frames.iter().enumerate() {
        let lower = frame.to_lowercase();
        for secret in ["openai", MODEL, "127.0.0.1", port.as_str()] {
            assert!(
                !lower.contains(&secret.to_lowercase()),
                "frame {i} shows {secret}:\n{frame}"
            );
        }
    }
    // What was hidden was shown as hidden, not dropped: the server's message and the failure.
    assert!(
        frames
            .iter()
            .any(|f| f.contains("Rate limit for [hidden] on [hidden]"))
    );
    assert!(frames.iter().any(|f| f.contains("end marker")));
    let last = frames.last().unwrap();
    assert!(last.contains("Debater A"), "{last}");
    let turn = &drive.app.session().turns()[0];
    assert!(
        turn.error
            .as_deref()
            .unwrap_or_default()
            .contains("end marker")
    );
    assert_eq!(turn.stats.retries, 1);
}

/// The structured-claims path while judging blind: a server that refuses the claims tool in
/// words naming the model, then a repair that fails the same way. The warnings say so, with
/// the model hidden.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn structured_claims_notes_hide_the_debaters_too() {
    let server = MockServer::start().await;
    let has = |field: &'static str| {
        move |req: &wiremock::Request| {
            serde_json::from_slice::<serde_json::Value>(&req.body)
                .is_ok_and(|b| b.get(field).is_some())
        }
    };
    Mock::given(method("POST"))
        .and(has("tools"))
        .respond_with(ResponseTemplate::new(400).set_body_string(format!(
            r#"{{"error":{{"message":"tools are not supported by {MODEL} on openai"}}}}"#
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(has("response_format"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_string(format!(r#"{{"error":{{"message":"{MODEL} crashed"}}}}"#)),
        )
        .mount(&server)
        .await;
    let speech = [
        r#"data: {"choices":[{"index":0,"delta":{"content":"A speech with no claims."}}]}"#,
        r#"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        "data: [DONE]",
    ]
    .map(|e| format!("{e}\n\n"))
    .concat();
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(speech),
        )
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let port = server.address().port().to_string();
    let cfg = LlmConfig {
        wire: Wire::Openai,
        base_url: base.clone(),
        model: MODEL.into(),
        api_key_env: None,
        api_key: None,
        system_prompt: "You are debater {side}.".into(),
        params: SamplingParams::default(),
        connect_timeout: Duration::from_secs(2),
        first_token_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        price: None,
        claims: ClaimsMode::Auto,
    };
    let provider = Arc::new(LlmProvider::new(cfg).unwrap());
    let mut setup = DemoScript::bundled().unwrap().setup();
    setup.protocol.rounds = 1;
    setup.debaters = Side::BOTH
        .iter()
        .map(|&side| Debater {
            side,
            name: format!("{MODEL} ({side})"),
            provider: "openai".into(),
            model: MODEL.into(),
            kind: DebaterKind::Ai,
            base_url: Some(base.clone()),
            system_prompt: None,
            params: SamplingParams::default(),
            chose_side: false,
        })
        .collect();
    let engine = agon::engine::Engine::new(
        Session::new(setup, time::OffsetDateTime::now_utc()),
        Mode::Live,
        EngineConfig {
            repair_claims: [true; 2],
            ..EngineConfig::default()
        },
        None,
    );
    let settings = Settings {
        blind: true,
        theme: agon::theme::Theme::bundled(),
        ..Settings::default()
    };
    let mut drive = Drive::new(
        App::new(engine, settings),
        Debaters::both(provider),
        100,
        40,
    );
    drive.start();
    drive.until(|app| app.engine.is_finished()).await;
    drive.key(KeyCode::Char('g'));
    let frames = drive.frames.clone();
    for (i, frame) in frames.iter().enumerate() {
        let lower = frame.to_lowercase();
        for secret in ["openai", MODEL, "127.0.0.1", port.as_str()] {
            assert!(
                !lower.contains(&secret.to_lowercase()),
                "frame {i} shows {secret}:\n{frame}"
            );
        }
    }
    let turn = &drive.app.session().turns()[0];
    assert!(
        turn.warnings[0].contains(MODEL),
        "the file keeps the server's words: {:?}",
        turn.warnings
    );
    assert!(
        frames
            .iter()
            .any(|f| f.contains("refused structured claims") && f.contains("[hidden]")),
        "the refusal was shown, hidden"
    );
    assert!(
        frames
            .iter()
            .any(|f| f.contains("asking for the claims again failed"))
    );
}
