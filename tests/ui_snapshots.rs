//! Whole-screen snapshots through ratatui's `TestBackend`, at 80x24, 120x40 and 60x20.
//!
//! Snapshots hold the text only; `side_colours_reach_the_screen` checks styles from the buffer.
//! Everything is fixed (time, session path, theme), so the screens do not depend on the machine.

use agon::app::{App, Effect, Msg, Settings};
use agon::domain::{ROOT_ID, Session, TurnOutcome, TurnStats};
use agon::engine::{Engine, EngineConfig, Input, Mode, Output, SaveTarget};
use agon::providers::scripted::script::DemoScript;
use agon::providers::{ProviderError, StreamEvent, TurnSpec};
use agon::theme::Theme;
use agon::ui::{self, Ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Modifier, Style};
use time::OffsetDateTime;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (60, 20)];
const SAVED_TO: &str = "/sessions/demo.json";

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

/// The demo debate with its first `complete` turns played through to the end.
fn demo_session(complete: usize) -> (Session, DemoScript) {
    let script = DemoScript::bundled().unwrap();
    let mut session = Session::new(script.setup(), t0());
    for _ in 0..complete {
        let Some((round, side)) = session.next_slot() else {
            break;
        };
        let i = session.begin_turn(side, round, "root", t0());
        session.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
        session.finish_turn(i, TurnOutcome::Complete, None, t0());
    }
    (session, script)
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

/// A live app on `session`, saved to `/sessions/demo.json`, as `agon demo` shows it.
fn app_for(session: Session) -> App {
    let target = SaveTarget::File(SAVED_TO.into());
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), Some(target));
    let settings = Settings {
        source_label: "scripted demo".into(),
        theme: Theme::bundled(),
        ..Settings::default()
    };
    let mut app = App::new(engine, settings);
    saved(&mut app);
    app
}

/// The whole demo debate played, with a credence of 62% on the question.
fn finished_app() -> App {
    let (mut session, _) = demo_session(usize::MAX);
    session.record_credence(ROOT_ID, 0.62, t0());
    app_for(session)
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

fn stream(app: &mut App, spec: &TurnSpec, event: StreamEvent) -> Vec<Effect> {
    app.update(
        Msg::Engine(Input::Stream {
            turn: spec.turn,
            attempt: spec.attempt,
            event,
        }),
        t0(),
    )
}

/// Half of the words of the demo's text for the turn `spec` asks for.
fn first_half(script: &DemoScript, spec: &TurnSpec) -> String {
    let text = script.turn_text(ROOT_ID, spec.round, spec.side).unwrap();
    let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    words[..words.len() / 2].concat()
}

/// Two turns played, the third streaming with half of its words in.
fn streaming_app() -> App {
    let (session, script) = demo_session(2);
    let mut app = app_for(session);
    let spec = started(&app.start(t0()));
    saved(&mut app);
    stream(
        &mut app,
        &spec,
        StreamEvent::Delta(first_half(&script, &spec)),
    );
    app
}

/// Two turns played; the third failed half way, was retried in place and is complete.
fn retried_app() -> App {
    let (session, script) = demo_session(2);
    let mut app = app_for(session);
    let spec = started(&app.start(t0()));
    stream(
        &mut app,
        &spec,
        StreamEvent::Delta(first_half(&script, &spec)),
    );
    app.update(
        Msg::Engine(Input::Failed {
            turn: spec.turn,
            attempt: spec.attempt,
            error: ProviderError::new("the connection was reset"),
        }),
        t0(),
    );
    let retry = started(&app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)),
        t0(),
    ));
    let text = script.turn_text(ROOT_ID, retry.round, retry.side).unwrap();
    stream(&mut app, &retry, StreamEvent::Delta(text.into()));
    // The judge paused before it ended, so the next turn waits.
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE)),
        t0(),
    );
    stream(&mut app, &retry, StreamEvent::Done(TurnStats::default()));
    saved(&mut app);
    app
}

fn press(app: &mut App, keys: &[KeyCode]) {
    for &code in keys {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), t0());
    }
}

fn type_text(app: &mut App, text: &str) {
    let keys: Vec<KeyCode> = text.chars().map(KeyCode::Char).collect();
    press(app, &keys);
}

fn resize(app: &mut App, width: u16, height: u16) {
    app.update(Msg::Resize { width, height }, t0());
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|frame| ui::draw(frame, app, &mut Ui::default(), t0()))
        .unwrap();
}

/// Snapshots `name` at every size: the app learns the terminal's size (as the real app does
/// before any key, so the panes know their size), then `act` runs, then the screen is drawn.
fn check(name: &str, make: fn() -> App, act: impl Fn(&mut App)) {
    for (w, h) in SIZES {
        let mut app = make();
        resize(&mut app, w, h);
        act(&mut app);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        draw(&mut terminal, &app);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn finished_debate() {
    check("finished", finished_app, |_| {});
}

#[test]
fn streaming_turn() {
    check("streaming", streaming_app, |_| {});
}

#[test]
fn a_failed_turn_retried_in_place_keeps_its_attempt() {
    // The end of the transcript: the retried turn's last lines, its first attempt among them.
    check("retried", retried_app, |_| {});
}

#[test]
fn help_overlay() {
    check("help", finished_app, |app| {
        press(app, &[KeyCode::Char('?')])
    });
}

#[test]
fn help_overlay_scrolled_to_its_end() {
    // The app's keys, the mouse and the dialogs' keys; scrolling stops at the last line.
    check("help_end", finished_app, |app| {
        press(app, &[KeyCode::Char('?')]);
        press(app, &[KeyCode::PageDown; 12]);
    });
}

#[test]
fn verdict_dialog_partly_filled() {
    check("verdict", finished_app, |app| {
        press(app, &[KeyCode::Char('v'), KeyCode::Char('b'), KeyCode::Tab]);
        type_text(app, "85");
        press(app, &[KeyCode::Tab]);
        type_text(app, "Equity costs were never answered.");
    });
}

#[test]
fn tree_focused_with_selection_and_fold() {
    check("tree", finished_app, |app| {
        // Transcript to the top, so the selected node's turns are in view; then into the tree:
        // fold A1 (first claim), and select A3 (made in turn 1, answered in turns 2 and 3).
        press(app, &[KeyCode::Char('g'), KeyCode::Tab, KeyCode::Char('j')]);
        press(
            app,
            &[KeyCode::Char('h'), KeyCode::Char('j'), KeyCode::Char('j')],
        );
    });
}

#[test]
fn credence_dialog() {
    check("credence", finished_app, |app| {
        press(app, &[KeyCode::Char('c'), KeyCode::Right, KeyCode::Up]);
    });
}

/// Where `text` starts on row `y`, in columns.
fn find(buf: &Buffer, y: u16, text: &str) -> Option<u16> {
    let row: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
    let first = text.chars().next()?.to_string();
    (0..row.len()).map(|x| x as u16).find(|&x| {
        row[usize::from(x)] == first
            && text
                .chars()
                .enumerate()
                .all(|(i, c)| row.get(usize::from(x) + i) == Some(&c.to_string().as_str()))
    })
}

/// The cell at (x, y) has `style`'s foreground colour and modifiers.
fn assert_fg(buf: &Buffer, x: u16, y: u16, style: Style, what: &str) {
    let cell = &buf[(x, y)];
    let fg = style
        .fg
        .unwrap_or_else(|| panic!("{what}: the theme gives it no colour"));
    assert_eq!(cell.fg, fg, "{what} at ({x}, {y})");
    assert!(
        cell.modifier.contains(style.add_modifier),
        "{what} at ({x}, {y}): {:?}",
        cell.modifier
    );
}

#[test]
fn side_colours_reach_the_screen() {
    let mut app = finished_app();
    let theme = app.theme().clone();
    assert_ne!(theme.side_a.fg, theme.side_b.fg);
    resize(&mut app, 120, 40);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    draw(&mut terminal, &app);

    // The header's second row names both debaters in their side's colour.
    let buf = terminal.backend().buffer();
    let a = find(buf, 1, "A Pro").expect("side A in the header");
    let b = find(buf, 1, "B Con").expect("side B in the header");
    assert_fg(buf, a, 1, theme.side_a, "header A");
    assert_fg(buf, b, 1, theme.side_b, "header B");

    // Turn headers in the transcript: the first turn (A) at the top, then the second (B).
    for (key, label, style) in [
        (KeyCode::Char('g'), "A Pro · round 1", theme.side_a),
        (KeyCode::Char(']'), "B Con · round 1", theme.side_b),
    ] {
        press(&mut app, &[key]);
        draw(&mut terminal, &app);
        let buf = terminal.backend().buffer();
        let x = find(buf, 3, label).unwrap_or_else(|| panic!("{label} on the first row"));
        assert_fg(buf, x, 3, style, label);
        assert_fg(buf, x + 6, 3, theme.muted, "the rest of the header");
    }
}

fn shift(app: &mut App, c: char) {
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)),
        t0(),
    );
}

/// The finished demo with two annotations (one on a span), a judge message and a ruling.
fn judged_session() -> Session {
    use agon::domain::{Annotation, JudgeEventKind, Span};
    let (mut session, _) = demo_session(usize::MAX);
    session.record_credence(ROOT_ID, 0.62, t0());
    let turn = 6;
    let text = session.turns()[turn].text.clone();
    let end = text.find(". ").map_or(20, |i| i + 1);
    let annotate = |turn, span, tags: &[&str], note: &str| JudgeEventKind::Annotate {
        annotation: Annotation {
            id: 0,
            turn: Some(turn),
            span,
            quote: None,
            node: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            note: note.to_string(),
        },
    };
    let events = [
        annotate(5, None, &["sycophantic"], "flatters the judge"),
        annotate(
            turn,
            Some(Span { start: 0, end }),
            &["unsupported", "obfuscated"],
            "",
        ),
        JudgeEventKind::Message {
            to: Some(agon::domain::Side::A),
            text: "What does collection cost?".into(),
        },
        JudgeEventKind::NodeJudgement {
            node: "B2".into(),
            winner: agon::domain::Side::B,
            confidence: 0.7,
            rationale: String::new(),
        },
    ];
    for e in events {
        session.judge(e, t0()).unwrap();
    }
    session
}

fn judged_app() -> App {
    app_for(judged_session())
}

#[test]
fn annotations_pane_and_badges() {
    check("annotations", judged_app, |app| {
        press(app, &[KeyCode::Char('g')]);
        for _ in 0..5 {
            press(app, &[KeyCode::Char(']')]);
        }
        shift(app, 'A');
    });
}

#[test]
fn tag_dialog_on_a_span() {
    check("tag_dialog", judged_app, |app| {
        press(
            app,
            &[KeyCode::Char('g'), KeyCode::Char(']'), KeyCode::Char(']')],
        );
        shift(app, 'V');
        press(
            app,
            &[
                KeyCode::Char('j'),
                KeyCode::Char('t'),
                KeyCode::Char('2'),
                KeyCode::Char('7'),
            ],
        );
        press(app, &[KeyCode::Tab]);
        type_text(app, "numbers without a source");
    });
}

#[test]
fn span_being_chosen() {
    check("visual", judged_app, |app| {
        press(app, &[KeyCode::Char('g'), KeyCode::Char(']')]);
        shift(app, 'V');
        press(app, &[KeyCode::Char('j')]);
    });
}

#[test]
fn judge_message_dialog() {
    // Mid-debate: a message after the last turn would reach no one.
    check(
        "message",
        || app_for(demo_session(4).0),
        |app| {
            press(app, &[KeyCode::Char('i'), KeyCode::Tab]);
            type_text(app, "Cite the source of the 18% figure.");
        },
    );
}

#[test]
fn result_after_a_verdict_with_ground_truth() {
    check(
        "result",
        || {
            let mut session = judged_session();
            session.ground_truth = Some(agon::domain::Side::B);
            app_for(session)
        },
        |app| {
            press(app, &[KeyCode::Char('v'), KeyCode::Char('b'), KeyCode::Tab]);
            type_text(app, "70");
            press(app, &[KeyCode::Enter]);
        },
    );
}

/// The demo played to its end with the judge's credence moving: 50% before the first turn,
/// then 65%, 54%, 30% and 62% after turns 2, 4, 6 and 8.
fn trajectory_app() -> App {
    let script = DemoScript::bundled().unwrap();
    let mut session = Session::new(script.setup(), t0());
    session.record_credence(ROOT_ID, 0.5, t0());
    let mut played = 0;
    while let Some((round, side)) = session.next_slot() {
        let i = session.begin_turn(side, round, "root", t0());
        session.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
        session.finish_turn(i, TurnOutcome::Complete, None, t0());
        played += 1;
        let p = match played {
            2 => 0.65,
            4 => 0.54,
            6 => 0.30,
            8 => 0.62,
            _ => continue,
        };
        session.record_credence(ROOT_ID, p, t0());
    }
    app_for(session)
}

/// Snapshots `name` at `w` x `h`.
fn check_at(name: &str, app: &mut App, w: u16, h: u16) -> String {
    resize(app, w, h);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    draw(&mut terminal, app);
    let screen = terminal.backend().to_string();
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    screen
}

#[test]
fn the_credence_chart_reads_at_every_size() {
    for (w, h) in [(80, 24), (60, 20), (120, 40), (60, 16)] {
        let mut app = trajectory_app();
        let screen = check_at("trajectory", &mut app, w, h);
        assert!(screen.contains("100%") && screen.contains("0%"), "{w}x{h}");
        assert!(screen.contains("now 62%"), "{w}x{h}");
        if h >= 20 {
            for v in ["65", "54", "30"] {
                assert!(screen.contains(v), "{w}x{h}: {v} is written\n{screen}");
            }
        }
    }
}

#[test]
fn too_small_says_what_it_needs_and_comes_back() {
    let mut app = trajectory_app();
    let screen = check_at("too_small", &mut app, 50, 12);
    assert!(
        screen.contains("need 60x16, have 50x12"),
        "it says what size is needed: {screen}"
    );
    // The app went on underneath: keys still work, and growing brings the screen back.
    press(&mut app, &[KeyCode::Tab]);
    let screen = check_at("too_small_grown", &mut app, 80, 24);
    assert!(screen.contains("Claims · 27"), "{screen}");
    assert!(!screen.contains("too small"), "{screen}");
}

/// A speech in Markdown, as models write them: a heading, emphasis, inline code, nested
/// lists, a block quote, a code block wider than the pane, a link, a rule, a quote from the
/// source, and a claims block (not shown as written).
const MARKDOWN: &str = "## Why pricing works\n\nRoad space is *scarce* and we give it away **for free**; the `toll` is the price.\n\n1. Traffic falls:\n   - London, by about 18%\n   - Stockholm, by about 20%, and the fall lasted for years after the trial\n2. Buses get faster.\n\n> Every city that priced its roads saw queues shrink.\n\n```\nfn charge(hour: u32) -> u32 { if (7..10).contains(&hour) { 15 } else { 0 } } // peak only, every weekday\n```\n\nSee [the evaluation](https://example.org/stockholm) and <quote>cordon crossings fell</quote> for more.\n\n---\n\nThat is the case.\n\n```claims\nA1 supports root: Pricing cuts traffic, as London and Stockholm showed.\n```\n";

/// The demo's setup with one speech of Markdown by A, complete.
fn markdown_app() -> App {
    let (mut session, _) = demo_session(0);
    let i = session.begin_turn(agon::domain::Side::A, 1, "root", t0());
    session.push_text(i, MARKDOWN);
    session.finish_turn(i, TurnOutcome::Complete, None, t0());
    app_for(session)
}

#[test]
fn a_speech_in_markdown() {
    // From the top: at 80x24 the speech is longer than the pane.
    check("markdown", markdown_app, |app| {
        press(app, &[KeyCode::Char('g')])
    });
}

#[test]
fn markdown_takes_the_themes_heading_and_link_styles() {
    let mut app = markdown_app();
    resize(&mut app, 120, 40);
    press(&mut app, &[KeyCode::Char('g')]);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    draw(&mut terminal, &app);
    let buf = terminal.backend().buffer();
    let row = |text: &str| {
        (0..buf.area.height)
            .find_map(|y| find(buf, y, text).map(|x| (x, y)))
            .unwrap_or_else(|| panic!("{text:?} on screen"))
    };
    let (x, y) = row("Why pricing works");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::BOLD),
        "the heading is bold"
    );
    let (x, y) = row("the evaluation");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::UNDERLINED),
        "the link is underlined"
    );
    let (x, y) = row("scarce");
    assert!(buf[(x, y)].modifier.contains(Modifier::ITALIC));
    assert!(
        !buf[(x.saturating_sub(1), y)].symbol().contains('*'),
        "no asterisks"
    );
}

/// `/stockholm` typed on the finished demo from its top, and the field closed with Enter.
fn searched(app: &mut App) {
    press(app, &[KeyCode::Char('g'), KeyCode::Char('/')]);
    type_text(app, "stockholm");
    press(app, &[KeyCode::Enter]);
}

#[test]
fn search_matches_highlighted() {
    check("search", finished_app, searched);
}

#[test]
fn the_current_match_stands_out_from_the_others() {
    let mut app = finished_app();
    resize(&mut app, 120, 40);
    searched(&mut app);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    draw(&mut terminal, &app);
    let buf = terminal.backend().buffer();
    // The first "Stockholm" of each row; those in the transcript are matches, reversed.
    let starts: Vec<(u16, u16)> = (0..buf.area.height)
        .filter_map(|y| find(buf, y, "Stockholm").map(|x| (x, y)))
        .collect();
    let matched: Vec<Modifier> = starts
        .iter()
        .map(|&(x, y)| buf[(x, y)].modifier)
        .filter(|m| m.contains(Modifier::REVERSED))
        .collect();
    assert!(
        matched.len() >= 2,
        "more than one match in view: {starts:?}"
    );
    let current = matched
        .iter()
        .filter(|m| m.contains(Modifier::BOLD | Modifier::UNDERLINED));
    assert_eq!(current.count(), 1, "one current match: {matched:?}");
}
