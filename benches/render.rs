//! Frame cost against debate length, streaming and resizing, drawn into a 200x50 `TestBackend`
//! as the runtime draws (one `Ui` kept from frame to frame), and the cost of building a long
//! session. The targets and the numbers measured are in docs/performance.md.
//!
//! - `draw_frame`: an idle frame of a 10-turn and a 10,000-turn session (the same cost), and
//!   one scrolled half way through the long one.
//! - `streaming`: a frame while a 5,000-word turn streams, a chunk arriving between frames
//!   through `App::update(Msg::Engine(..))` as the driver feeds it, against an idle frame of the
//!   same session; the turn in paragraphs of Markdown, and as one long paragraph.
//! - `resize`: the first frame after the terminal changed size, of a 10,000-turn session.
//! - `build_session`: 1,000 and 10,000 turns through `begin_turn`/`push_text`/`finish_turn`.

use agon::app::{App, Effect, Msg, Settings};
use agon::domain::{ROOT_ID, Session, Side, TurnOutcome};
use agon::engine::{Engine, EngineConfig, Input, Mode, Output, SaveTarget};
use agon::providers::scripted::script::DemoScript;
use agon::providers::{StreamEvent, TurnSpec};
use agon::theme::Theme;
use agon::ui::{self, Ui};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::hint::black_box;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;
const SAVED_TO: &str = "/sessions/bench.json";

/// A session of `turns` complete turns, cycling through the demo script's turns, with room
/// for `more` rounds after them. Claim ids repeat from the second cycle on; the tree renames
/// them, so every claim still joins it.
fn session(turns: usize, more: usize) -> Session {
    let script = DemoScript::bundled().unwrap();
    let texts: Vec<(u32, Side)> = (1..=script.rounds())
        .flat_map(|round| Side::BOTH.map(|side| (round, side)))
        .collect();
    let mut setup = script.setup();
    setup.protocol.rounds = (turns.div_ceil(2) + more) as u32;
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

fn app(session: Session) -> App {
    let target = SaveTarget::File(SAVED_TO.into());
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), Some(target));
    let settings = Settings {
        source_label: "scripted demo".into(),
        theme: Theme::bundled(),
        ..Settings::default()
    };
    let mut app = App::new(engine, settings);
    resize(&mut app, WIDTH, HEIGHT);
    app
}

fn resize(app: &mut App, width: u16, height: u16) {
    app.update(Msg::Resize { width, height }, t0());
}

fn press(app: &mut App, code: KeyCode, times: usize) {
    for _ in 0..times {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        app.update(Msg::Key(key), t0());
    }
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap()
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App, ui: &mut Ui) {
    terminal.draw(|f| ui::draw(f, app, ui, t0())).unwrap();
    black_box(terminal.backend());
}

fn bench_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("draw_frame");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));

    for (name, turns) in [("10_turns", 10), ("10000_turns", 10_000)] {
        let app = app(session(turns, 0));
        let mut ui = Ui::default();
        let mut terminal = terminal();
        // Warm the caches: the first frame wraps the turns in view.
        draw(&mut terminal, &app, &mut ui);
        group.bench_function(name, |b| b.iter(|| draw(&mut terminal, &app, &mut ui)));
    }

    // Half way through the transcript: to the top, then forward one turn at a time.
    let mut app = app(session(10_000, 0));
    let mut ui = Ui::default();
    let mut terminal = terminal();
    press(&mut app, KeyCode::Char('g'), 1);
    press(&mut app, KeyCode::Char(']'), 5_000);
    draw(&mut terminal, &app, &mut ui);
    assert!(!app.transcript.is_following(), "scrolled, not following");
    let screen = terminal.backend().to_string();
    assert!(screen.contains("A Pro · round 2501 "), "turn 5001 in view");
    group.bench_function("10000_turns_scrolled_mid", |b| {
        b.iter(|| draw(&mut terminal, &app, &mut ui))
    });
    group.finish();
}

/// Words of a long speech: `paragraphs` of Markdown (emphasis, inline code, a list, a quote
/// from the source, now and then a code block), or one paragraph of plain words.
fn speech(words: usize, paragraphs: bool) -> String {
    const WORDS: [&str; 12] = [
        "the",
        "*evidence*",
        "suggests",
        "that",
        "**tea**",
        "was",
        "`cheap`",
        "in",
        "1700,",
        "while",
        "prices",
        "rose.",
    ];
    let mut out = String::new();
    for i in 0..words {
        out.push_str(WORDS[i % WORDS.len()]);
        let para_end = paragraphs && i % 80 == 79;
        if !para_end {
            out.push(' ');
            continue;
        }
        out.push_str("\n\n");
        match (i / 80) % 4 {
            1 => out.push_str("- a point\n- another point\n  - nested under it\n\n"),
            2 => out.push_str("> quoted <quote>tea was cheap</quote> at the time\n\n"),
            3 => out.push_str("```\nfn price() -> u32 { 17 }\n```\n\n"),
            _ => {}
        }
    }
    out
}

/// What a request streams: about four words a chunk, as models send them.
const CHUNK: &str = "and prices rose again ";

/// A 10-turn session whose eleventh turn has streamed `words` words, drawn once.
struct Streaming {
    app: App,
    spec: TurnSpec,
    ui: Ui,
    terminal: Terminal<TestBackend>,
    chunks: usize,
}

impl Streaming {
    fn new(words: usize, paragraphs: bool) -> Self {
        let mut app = app(session(10, 2));
        let spec = started(&app.start(t0()));
        saved(&mut app);
        let mut s = Streaming {
            app,
            spec,
            ui: Ui::default(),
            terminal: terminal(),
            chunks: 0,
        };
        s.push(&speech(words, paragraphs));
        draw(&mut s.terminal, &s.app, &mut s.ui);
        s
    }

    fn push(&mut self, text: &str) {
        let effects = self.app.update(
            Msg::Engine(Input::Stream {
                turn: self.spec.turn,
                attempt: self.spec.attempt,
                event: StreamEvent::Delta(text.to_string()),
            }),
            t0(),
        );
        black_box(effects);
    }

    fn frame(&mut self) {
        draw(&mut self.terminal, &self.app, &mut self.ui);
    }
}

/// The request the effects start.
fn started(effects: &[Effect]) -> TurnSpec {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Engine(outputs) => outputs.iter().find_map(|o| match o {
                Output::Start(spec) => Some(spec.clone()),
                _ => None,
            }),
            _ => None,
        })
        .expect("a turn starts")
}

/// The saves under way went through.
fn saved(app: &mut App) {
    let key = app.session().id.clone();
    while app.engine.saving().in_flight() > 0 || !app.engine.saving().saved_once() {
        app.update(
            Msg::Engine(Input::Saved {
                key: key.clone(),
                path: Some(SAVED_TO.into()),
                result: Ok(()),
            }),
            t0(),
        );
    }
}

fn bench_streaming(c: &mut Criterion) {
    let mut group = c.benchmark_group("streaming");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));
    // The speech grows by a chunk each frame; it is started again (untimed) every so many
    // chunks, so that it stays a speech of about 5,000 words.
    const WORDS: usize = 5_000;
    const RESTART_AFTER: usize = 250;
    for (name, paragraphs) in [("paragraphs", true), ("one_paragraph", false)] {
        let mut idle = Streaming::new(WORDS, paragraphs);
        group.bench_function(BenchmarkId::new("idle_5000_words", name), |b| {
            b.iter(|| idle.frame())
        });
        let mut s = Streaming::new(WORDS, paragraphs);
        group.bench_function(BenchmarkId::new("chunk_5000_words", name), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    if s.chunks >= RESTART_AFTER {
                        s = Streaming::new(WORDS, paragraphs);
                    }
                    let start = Instant::now();
                    s.push(CHUNK);
                    s.frame();
                    spent += start.elapsed();
                    s.chunks += 1;
                }
                spent
            })
        });
    }
    group.finish();
}

fn bench_resize(c: &mut Criterion) {
    let mut group = c.benchmark_group("resize");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));
    let mut app = app(session(10_000, 0));
    let mut ui = Ui::default();
    let mut terminal = terminal();
    draw(&mut terminal, &app, &mut ui);
    group.bench_function("idle_10000_turns", |b| {
        b.iter(|| draw(&mut terminal, &app, &mut ui))
    });
    // Each frame follows a change of width, as dragging a window's edge does: every turn in
    // view is wrapped again, and none out of view is.
    let mut narrow = false;
    group.bench_function("first_frame_10000_turns", |b| {
        b.iter(|| {
            narrow = !narrow;
            let width = if narrow { WIDTH - 7 } else { WIDTH };
            resize(&mut app, width, HEIGHT);
            terminal.backend_mut().resize(width, HEIGHT);
            draw(&mut terminal, &app, &mut ui);
        })
    });
    group.finish();
}

fn bench_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build_session");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(4));
    for turns in [1_000, 10_000] {
        group.bench_function(BenchmarkId::from_parameter(turns), |b| {
            b.iter(|| black_box(session(turns, 0)))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_frames,
    bench_streaming,
    bench_resize,
    bench_build
);
criterion_main!(benches);
