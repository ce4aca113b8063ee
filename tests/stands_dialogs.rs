//! What the judge's dialogs start from, now that "stands" is graded: `w` on a node opens
//! undecided whatever agon computes for it, and `v` after `D` starts from the verdict the crux
//! just decided, not from the judge's older credence.

use agon::app::dialogs::Dialog;
use agon::app::{App, Focus, Msg, Settings};
use agon::domain::{ROOT_ID, Session, Side, TurnOutcome};
use agon::engine::{Engine, EngineConfig, Mode};
use agon::providers::scripted::script::DemoScript;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::OffsetDateTime;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

/// The demo debate played to its end, a credence of 30% on the question recorded.
fn finished_demo() -> App {
    let script = DemoScript::bundled().unwrap();
    let mut session = Session::new(script.setup(), t0());
    while let Some((round, side)) = session.next_slot() {
        let i = session.begin_turn(side, round, ROOT_ID, t0());
        session.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
        session.finish_turn(i, TurnOutcome::Complete, None, t0());
    }
    session.record_credence(ROOT_ID, 0.3, t0());
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), None);
    App::new(engine, Settings::default())
}

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    app.update(Msg::Key(KeyEvent::new(code, modifiers)), t0());
}

fn key(app: &mut App, code: KeyCode) {
    press(app, code, KeyModifiers::NONE);
}

fn select(app: &mut App, id: &str) {
    app.focus = Focus::Tree;
    let pos = app.session().tree.position(id).unwrap();
    app.tree.select(pos);
}

fn verdict_dialog(app: &App) -> (Option<Side>, u8) {
    match &app.dialog {
        Some(Dialog::Verdict(d)) => (d.winner, d.confidence.value),
        _ => panic!("a verdict dialog is open"),
    }
}

#[test]
fn w_opens_undecided_on_every_node() {
    let mut app = finished_demo();
    let ids: Vec<String> = app.session().tree.nodes()[1..]
        .iter()
        .map(|n| n.id.clone())
        .collect();
    for id in ids {
        select(&mut app, &id);
        key(&mut app, KeyCode::Char('w'));
        assert_eq!(
            verdict_dialog(&app),
            (None, 50),
            "{id}: the ruling dialog is preset to nothing"
        );
        key(&mut app, KeyCode::Esc);
    }
}

#[test]
fn v_after_d_starts_from_the_verdict_the_crux_decided() {
    let mut app = finished_demo();
    select(&mut app, "B2");
    press(&mut app, KeyCode::Char('D'), KeyModifiers::SHIFT);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Tab);
    for c in "80".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let v = app.session().verdict.clone().expect("D recorded a verdict");
    assert_eq!((v.winner, v.confidence), (Side::A, 0.8));
    app.focus = Focus::Transcript;
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(
        verdict_dialog(&app),
        (Some(Side::A), 80),
        "from the verdict just decided, not the credence of 30% (B at 70%)"
    );
}
