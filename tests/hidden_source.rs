//! A hidden-source debate from the sample set judged as a study, every frame drawn into a
//! `TestBackend`: the prior asked first, the evidence pane, the credence and verdict dialogs.
//! No frame shows a distinctive sentence of the source before the verdict; the source dialog
//! shows it after, with the quotes marked.

mod support;

use agon::app::study::StudyInfo;
use agon::app::{App, Settings};
use agon::domain::JudgeEventKind;
use agon::engine::driver::Debaters;
use agon::engine::{Engine, EngineConfig, Mode};
use agon::providers::scripted::ScriptedProvider;
use agon::providers::scripted::questions::script_for;
use agon::questions::build::{Study, scripted_session};
use ratatui::crossterm::event::KeyCode;
use std::sync::Arc;
use support::drive::Drive;

/// In the source only: neither side quotes it, and the question does not name it.
const DISTINCTIVE: &str = "heron";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_source_stays_hidden_until_the_verdict() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questions/sample.jsonl");
    let set = agon::questions::load(&path).unwrap();
    let q = set.questions.iter().find(|q| q.id == "lighthouse").unwrap();
    assert!(q.source.as_deref().unwrap().contains("heron's cry"));
    let script = script_for("sample", "lighthouse").unwrap().unwrap();
    let study = Study {
        set: "sample".into(),
        protocol: agon::domain::Protocol::rounds(1),
        seed: 1,
    };
    let session = scripted_session(q, 1, &study, &script, time::OffsetDateTime::now_utc()).unwrap();
    let debaters = Debaters::both(Arc::new(ScriptedProvider::new(Arc::new(script), 0.0)));
    let dir = tempfile::tempdir().unwrap();
    let target = agon::engine::SaveTarget::New {
        dir: dir.path().to_path_buf(),
        name: None,
    };
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), Some(target));
    let settings = Settings {
        study: Some(StudyInfo {
            set: "sample".into(),
            position: 1,
            total: 8,
        }),
        ask_prior: true,
        ..Settings::default()
    };
    let mut d = Drive::new(App::new(engine, settings), debaters, 140, 44);
    d.start();
    // The prior comes first, before any speech.
    let first = d.frames.last().unwrap().clone();
    assert!(first.contains("Your prior"), "{first}");
    assert!(first.contains("question 1 of 8"), "{first}");
    assert!(d.app.session().turns().is_empty());
    d.key(KeyCode::Char('3'));
    d.key(KeyCode::Char('0'));
    d.key(KeyCode::Enter);
    let prior = d
        .app
        .session()
        .judge_events
        .first()
        .map(|e| (e.after_turn, e.kind.clone()));
    assert!(
        matches!(prior, Some((None, JudgeEventKind::Credence { p_a, .. })) if (p_a - 0.3).abs() < 1e-9),
        "{prior:?}"
    );
    d.until(|app| app.engine.is_finished()).await;
    let status = d.frames.last().unwrap().clone();
    assert!(
        status.contains("next turn −0.05"),
        "the cost of going on: {status}"
    );
    // Every pane and dialog the judge uses before the verdict.
    d.key(KeyCode::Char('Q'));
    let evidence = d.frames.last().unwrap().clone();
    assert!(evidence.contains("Evidence"), "{evidence}");
    assert!(evidence.contains("exact"), "{evidence}");
    assert!(evidence.contains("▕"), "position bars: {evidence}");
    d.key(KeyCode::Char('j'));
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('S'));
    assert!(
        d.frames
            .last()
            .unwrap()
            .contains("stays hidden until your verdict"),
        "S refuses before the verdict"
    );
    d.key(KeyCode::Char('c'));
    d.key(KeyCode::Char('2'));
    d.key(KeyCode::Char('0'));
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('?'));
    d.key(KeyCode::Esc);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('v'));
    assert!(d.frames.last().unwrap().contains("Verdict"));
    let before: Vec<String> = d.frames.clone();
    for (i, frame) in before.iter().enumerate() {
        assert!(
            !frame.contains(DISTINCTIVE),
            "frame {i} shows the source:\n{frame}"
        );
    }
    d.key(KeyCode::Enter);
    assert!(d.app.session().verdict.is_some());
    // The result, then the source.
    d.key(KeyCode::Esc);
    assert!(d.frames.last().unwrap().contains("S shows the source"));
    d.key(KeyCode::Char('S'));
    let source = d.frames.last().unwrap().clone();
    assert!(source.contains(DISTINCTIVE), "{source}");
    assert!(source.contains("Quoted:"), "{source}");
    // The quoted words are styled as quotes: underlined (verified) in the buffer.
    let buffer = d.terminal.backend().buffer().clone();
    let underlined = buffer
        .content()
        .iter()
        .filter(|c| c.modifier.contains(ratatui::style::Modifier::UNDERLINED))
        .count();
    assert!(underlined > 20, "{underlined} underlined cells");
    d.key(KeyCode::Esc);
    let app = d.quit().await;
    assert!(app.engine.saving().saved_once());
}

/// The shadow judge: an LLM judge (a local server) reads each turn; its credence reaches the
/// status bar only once the judge has recorded theirs after that turn, and is flagged when far
/// from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_llm_judges_credence_shows_only_after_the_judges_own() {
    use agon::providers::llm::{LlmConfig, LlmProvider, Wire};
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let reply = serde_json::json!({"choices": [{"index": 0, "delta": {"content": "{\"p_a\": 0.85, \"reason\": \"A sounds sure.\"}"}, "finish_reason": null}]});
    let stop = serde_json::json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]});
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string(format!("data: {reply}\n\ndata: {stop}\n\ndata: [DONE]\n\n")),
        )
        .mount(&server)
        .await;
    let judge = LlmProvider::new(LlmConfig {
        wire: Wire::Openai,
        base_url: format!("{}/v1", server.uri()),
        model: "judge-model".into(),
        api_key_env: None,
        api_key: None,
        system_prompt: String::new(),
        params: Default::default(),
        connect_timeout: std::time::Duration::from_secs(2),
        first_token_timeout: std::time::Duration::from_secs(5),
        read_timeout: std::time::Duration::from_secs(5),
        price: None,
        claims: agon::providers::structured::ClaimsMode::Block,
    })
    .unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questions/sample.jsonl");
    let set = agon::questions::load(&path).unwrap();
    let q = set.questions.iter().find(|q| q.id == "lighthouse").unwrap();
    let script = script_for("sample", "lighthouse").unwrap().unwrap();
    let study = Study {
        set: "sample".into(),
        protocol: agon::domain::Protocol::rounds(1),
        seed: 1,
    };
    let session = scripted_session(q, 1, &study, &script, time::OffsetDateTime::now_utc()).unwrap();
    let debaters = Debaters::both(Arc::new(ScriptedProvider::new(Arc::new(script), 0.0)))
        .judged_by(Some(Arc::new(judge)));
    let cfg = EngineConfig {
        llm_judge: Some(agon::engine::LlmJudge {
            name: "openai:judge-model".into(),
            when: agon::engine::JudgeWhen::EachTurn,
            sees_source: false,
            prompt: agon::providers::asks::DEFAULT_JUDGE_PROMPT.into(),
        }),
        ..EngineConfig::default()
    };
    let engine = Engine::new(session, Mode::Live, cfg, None);
    let mut d = Drive::new(App::new(engine, Settings::default()), debaters, 140, 44);
    d.start();
    d.until(|app| app.engine.is_settled()).await;
    let llm = &d.app.session().judgements[0];
    assert_eq!(
        llm.judge_events
            .iter()
            .filter(|e| e.after_turn.is_some())
            .count(),
        5
    );
    assert!(llm.verdict.is_some());
    for (i, frame) in d.frames.iter().enumerate() {
        assert!(
            !frame.contains("LLM 85%"),
            "frame {i} shows the LLM's credence first"
        );
    }
    // The judge's credence after the last turn unlocks the LLM's, far from it: flagged.
    d.key(KeyCode::Char('c'));
    d.key(KeyCode::Char('2'));
    d.key(KeyCode::Char('0'));
    d.key(KeyCode::Enter);
    let frame = d.frames.last().unwrap();
    assert!(frame.contains("LLM 85% ⚑ differs"), "{frame}");
}
