//! Frame cost against debate length: a 10-turn and a 10,000-turn session drawn into a 200x50
//! `TestBackend`. Finished turns are wrapped once per width and cached (in `ui::Ui`, kept from
//! frame to frame as the runtime keeps it), so once the caches are warm a frame should cost
//! what is visible, whatever the length of the debate.

use agon::app::{App, Msg, Settings};
use agon::domain::{ROOT_ID, Session, Side, TurnOutcome};
use agon::engine::{Engine, EngineConfig, Mode, SaveTarget};
use agon::providers::scripted::script::DemoScript;
use agon::theme::Theme;
use agon::ui::{self, Ui};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::hint::black_box;
use std::time::Duration;
use time::OffsetDateTime;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

/// A session of `turns` complete turns, cycling through the demo script's turns. Claim ids
/// repeat from the second cycle on; the tree renames them, so every claim still joins it.
fn session(turns: usize) -> Session {
    let script = DemoScript::bundled().unwrap();
    let texts: Vec<(u32, Side)> = (1..=script.rounds())
        .flat_map(|round| Side::BOTH.map(|side| (round, side)))
        .collect();
    let mut setup = script.setup();
    setup.protocol.rounds = turns.div_ceil(2) as u32;
    let mut session = Session::new(setup, t0());
    for i in 0..turns {
        let (round, side) = texts[i % texts.len()];
        let text = script.turn_text(ROOT_ID, round, side).unwrap();
        let t = session.begin_turn(side, (i / 2 + 1) as u32, "root", t0());
        session.push_text(t, text);
        session.finish_turn(t, TurnOutcome::Complete, None, t0());
    }
    session
}

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;

fn app(turns: usize) -> App {
    let target = SaveTarget::File("/sessions/bench.json".into());
    let engine = Engine::new(
        session(turns),
        Mode::Live,
        EngineConfig::default(),
        Some(target),
    );
    let settings = Settings {
        source_label: "scripted demo".into(),
        theme: Theme::bundled(),
        ..Settings::default()
    };
    let mut app = App::new(engine, settings);
    app.update(
        Msg::Resize {
            width: WIDTH,
            height: HEIGHT,
        },
        t0(),
    );
    app
}

fn press(app: &mut App, code: KeyCode, times: usize) {
    for _ in 0..times {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        app.update(Msg::Key(key), t0());
    }
}

fn bench_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("draw_frame");
    group.sample_size(50);
    group.measurement_time(Duration::from_secs(5));

    for (name, turns) in [("10_turns", 10), ("10000_turns", 10_000)] {
        let app = app(turns);
        let mut ui = Ui::default();
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        // Warm the caches: the first frame wraps the turns in view.
        terminal.draw(|f| ui::draw(f, &app, &mut ui, t0())).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                terminal.draw(|f| ui::draw(f, &app, &mut ui, t0())).unwrap();
                black_box(terminal.backend());
            })
        });
    }

    // Half way through the transcript: to the top, then forward one turn at a time.
    let mut app = app(10_000);
    let mut ui = Ui::default();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    press(&mut app, KeyCode::Char('g'), 1);
    press(&mut app, KeyCode::Char(']'), 5_000);
    terminal.draw(|f| ui::draw(f, &app, &mut ui, t0())).unwrap();
    assert!(!app.transcript.is_following(), "scrolled, not following");
    let screen = terminal.backend().to_string();
    assert!(screen.contains("A Pro · round 2501 "), "turn 5001 in view");
    group.bench_function("10000_turns_scrolled_mid", |b| {
        b.iter(|| {
            terminal.draw(|f| ui::draw(f, &app, &mut ui, t0())).unwrap();
            black_box(terminal.backend());
        })
    });
    group.finish();
}

criterion_group!(benches, bench_frames);
criterion_main!(benches);
