//! A server that accepts a request and says nothing: the screen says what agon is waiting for
//! and for how long, instead of `streaming… · 0 words`.

mod support;

use agon::app::{App, Settings};
use agon::domain::{Debater, DebaterKind, SamplingParams, Session, Side};
use agon::engine::driver::Debaters;
use agon::engine::{Engine, EngineConfig, Mode};
use agon::providers::llm::{LlmConfig, LlmProvider, Wire};
use agon::providers::scripted::script::DemoScript;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::drive::Drive;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wait_for_a_silent_server_is_shown_and_counts_up() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let provider = Arc::new(
        LlmProvider::new(LlmConfig {
            wire: Wire::Openai,
            base_url: base.clone(),
            model: "silent".into(),
            api_key_env: None,
            api_key: None,
            system_prompt: "You are debater {side}.".into(),
            params: SamplingParams::default(),
            connect_timeout: Duration::from_secs(2),
            first_token_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(30),
            price: None,
        })
        .unwrap(),
    );
    let mut setup = DemoScript::bundled().unwrap().setup();
    setup.debaters = Side::BOTH
        .iter()
        .map(|&side| Debater {
            side,
            name: format!("silent ({side})"),
            provider: "openai".into(),
            model: "silent".into(),
            kind: DebaterKind::Ai,
            base_url: Some(base.clone()),
            system_prompt: None,
            params: SamplingParams::default(),
            chose_side: false,
        })
        .collect();
    let session = Session::new(setup, time::OffsetDateTime::now_utc());
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), None);
    let mut drive = Drive::new(
        App::new(engine, Settings::default()),
        Debaters::both(provider),
        120,
        30,
    );
    drive.start();
    let started = Instant::now();
    drive
        .until(|_| started.elapsed() > Duration::from_millis(2300))
        .await;
    let screen = drive.frames.last().unwrap().clone();
    assert!(
        screen.contains("A: waiting for the first token · 2 s"),
        "the status says what agon waits for, and since when:\n{screen}"
    );
    assert!(
        !screen.contains("streaming"),
        "nothing streams yet:\n{screen}"
    );
}
