//! A failed save is never invisible: it shows at once on the status and hint rows at every
//! width, stays there until a save succeeds, and quitting with work unsaved asks first and
//! makes agon exit with an error.

use agon::app::dialogs::Dialog;
use agon::app::{App, Effect, Msg, Settings};
use agon::domain::{ROOT_ID, Session, TurnOutcome};
use agon::engine::{Engine, EngineConfig, Input, Mode, SaveTarget};
use agon::providers::scripted::script::DemoScript;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::OffsetDateTime;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

/// The demo debate played to its end, saved to a file.
fn finished_demo() -> App {
    let script = DemoScript::bundled().unwrap();
    let mut session = Session::new(script.setup(), t0());
    while let Some((round, side)) = session.next_slot() {
        let i = session.begin_turn(side, round, ROOT_ID, t0());
        session.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
        session.finish_turn(i, TurnOutcome::Complete, None, t0());
    }
    let target = SaveTarget::File("/sessions/demo.json".into());
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), Some(target));
    App::new(engine, Settings::default())
}

fn saved(app: &mut App, result: Result<(), String>) {
    let key = app.session().id.clone();
    app.update(
        Msg::Engine(Input::Saved {
            key,
            path: None,
            result,
        }),
        t0(),
    );
}

/// The status row (second to last) and the hint row (last), drawn at `width` columns.
fn bottom_rows(app: &mut App, width: u16) -> (String, String) {
    app.update(Msg::Resize { width, height: 30 }, t0());
    let mut terminal = Terminal::new(TestBackend::new(width, 30)).unwrap();
    let mut ui = agon::ui::Ui::default();
    terminal
        .draw(|f| agon::ui::draw(f, app, &mut ui, t0()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let row = |y: u16| -> String { (0..width).map(|x| buffer[(x, y)].symbol()).collect() };
    (row(28), row(29))
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), t0())
}

#[test]
fn a_failed_save_shows_at_every_width_until_a_save_succeeds() {
    let mut app = finished_demo();
    saved(&mut app, Ok(()));
    for width in [80, 120, 160] {
        let (status, hints) = bottom_rows(&mut app, width);
        assert!(!status.contains("NOT SAVED") && !hints.contains("Not saved"));
    }
    saved(
        &mut app,
        Err("cannot write /sessions/demo.json: No space left on device".into()),
    );
    for width in [80, 120, 160] {
        let (status, hints) = bottom_rows(&mut app, width);
        assert!(status.contains("NOT SAVED"), "{width} columns: {status}");
        assert!(hints.contains("Not saved"), "{width} columns: {hints}");
    }
    // A judge action meanwhile does not cover it up.
    key(&mut app, KeyCode::Char('c'));
    for c in "70".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let (status, hints) = bottom_rows(&mut app, 80);
    assert!(
        status.contains("NOT SAVED") && hints.contains("Not saved"),
        "{hints}"
    );
    saved(&mut app, Ok(()));
    let (status, hints) = bottom_rows(&mut app, 80);
    assert!(!status.contains("NOT SAVED") && !hints.contains("Not saved"));
    assert!(!app.ended_unsaved());
}

#[test]
fn quitting_with_work_unsaved_asks_first_and_ends_in_an_error() {
    let mut app = finished_demo();
    saved(&mut app, Err("read-only file system".into()));
    let effects = key(&mut app, KeyCode::Char('q'));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Quit)),
        "q does not quit at once"
    );
    assert!(matches!(app.dialog, Some(Dialog::ConfirmQuit(_))));
    key(&mut app, KeyCode::Esc);
    assert!(app.dialog.is_none(), "the judge can stay and retry");
    key(&mut app, KeyCode::Char('q'));
    let effects = key(&mut app, KeyCode::Char('y'));
    assert!(effects.iter().any(|e| matches!(e, Effect::Quit)));
    assert!(app.ended_unsaved(), "agon exits with an error");
}
