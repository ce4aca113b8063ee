//! What the screen says while a server is slow or has failed: what agon is waiting for and for
//! how long, and no failure notice left once a retry has succeeded.

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

/// A live debate of the demo's question whose debaters are both `server` (OpenAI wire).
fn live_drive(server: &MockServer, first_token_timeout: Duration) -> Drive {
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
            first_token_timeout,
            read_timeout: Duration::from_secs(30),
            price: None,
            claims: agon::providers::structured::ClaimsMode::Block,
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
    Drive::new(
        App::new(engine, Settings::default()),
        Debaters::both(provider),
        120,
        30,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wait_for_a_silent_server_is_shown_and_counts_up() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let mut drive = live_drive(&server, Duration::from_secs(30));
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_notice_goes_once_the_retry_succeeds() {
    use ratatui::crossterm::event::KeyCode;
    let server = MockServer::start().await;
    // A request error is not retried by itself: the turn fails and waits for the judge.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string(
            r#"{"error":{"message":"context too long","type":"invalid_request_error"}}"#,
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let body = [
        r#"data: {"choices":[{"index":0,"delta":{"content":"It works now."}}]}"#,
        r#"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        "data: [DONE]",
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
    let mut drive = live_drive(&server, Duration::from_secs(5));
    drive.start();
    drive
        .until(|app| app.session().unresolved_turn().is_some())
        .await;
    let notice = drive.app.notice.clone().expect("the failure is told");
    assert!(notice.text.contains("r retries it"), "{}", notice.text);
    assert!(!notice.text.contains(".."), "{}", notice.text);
    drive.key(KeyCode::Char('r'));
    drive
        .until(|app| {
            app.session()
                .turn(0)
                .is_some_and(|t| t.status == agon::domain::TurnStatus::Complete)
        })
        .await;
    // The attempt's error stays in the transcript, inside its turn; the notice goes.
    let screen = drive.frames.last().unwrap().clone();
    let hints = screen.lines().last().unwrap_or_default();
    assert!(
        drive.app.notice.is_none() && !hints.contains("context too long"),
        "the stale failure is gone:\n{screen}"
    );
}

#[test]
fn the_stream_rate_counts_words_not_chunks() {
    use agon::app::{Effect, Msg};
    use agon::engine::{Input, Output};
    use agon::providers::StreamEvent;
    let t0 = time::OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
    let session = Session::new(DemoScript::bundled().unwrap().setup(), t0);
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), None);
    let mut app = App::new(engine, Settings::default());
    app.update(
        Msg::Resize {
            width: 120,
            height: 30,
        },
        t0,
    );
    let spec = app
        .start(t0)
        .into_iter()
        .find_map(|e| match e {
            Effect::Engine(outputs) => outputs.into_iter().find_map(|o| match o {
                Output::Start(spec) => Some(spec),
                _ => None,
            }),
            _ => None,
        })
        .expect("the first turn starts");
    // Four chunks of five words each, half a second apart: 20 words, not 4 chunks.
    for i in 0..4 {
        app.update(
            Msg::Engine(Input::Stream {
                turn: spec.turn,
                attempt: spec.attempt,
                event: StreamEvent::Delta("one two three four five ".into()),
            }),
            t0 + time::Duration::milliseconds(500 * i),
        );
    }
    let now = t0 + time::Duration::seconds(2);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 30)).unwrap();
    let mut ui = agon::ui::Ui::default();
    terminal
        .draw(|f| agon::ui::draw(f, &app, &mut ui, now))
        .unwrap();
    let screen = format!("{}", terminal.backend());
    // 20 words in the 2 s since the first chunk.
    assert!(screen.contains("20 words · 10 words/s"), "{screen}");
}
