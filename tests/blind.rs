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
