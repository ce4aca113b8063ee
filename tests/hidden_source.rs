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
