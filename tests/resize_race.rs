//! The terminal can shrink between the resize event agon last handled and its next draw: the
//! frame is then smaller than the size the app knows. Every screen draws into the frame it is
//! given, whatever the app last heard, without writing past it.

use agon::app::{App, Msg, Settings};
use agon::domain::{ROOT_ID, Session, TurnOutcome};
use agon::engine::{Engine, EngineConfig, Mode};
use agon::providers::scripted::script::DemoScript;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::OffsetDateTime;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

fn finished_demo() -> App {
    let script = DemoScript::bundled().unwrap();
    let mut session = Session::new(script.setup(), t0());
    while let Some((round, side)) = session.next_slot() {
        let i = session.begin_turn(side, round, ROOT_ID, t0());
        session.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
        session.finish_turn(i, TurnOutcome::Complete, None, t0());
    }
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), None);
    App::new(engine, Settings::default())
}

#[test]
fn a_frame_smaller_than_the_last_resize_draws_without_panicking() {
    let screens: [&[KeyCode]; 4] = [
        &[],
        &[KeyCode::Char('?')],
        &[KeyCode::Char('v')],
        &[KeyCode::Tab],
    ];
    for keys in screens {
        let mut app = finished_demo();
        app.update(
            Msg::Resize {
                width: 160,
                height: 50,
            },
            t0(),
        );
        for &code in keys {
            app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), t0());
        }
        for (w, h) in [(160, 50), (100, 30), (60, 20), (40, 8), (20, 4), (1, 1)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            let mut ui = agon::ui::Ui::default();
            terminal
                .draw(|f| agon::ui::draw(f, &app, &mut ui, t0()))
                .unwrap_or_else(|e| panic!("{w}x{h} after {keys:?}: {e}"));
        }
    }
}
