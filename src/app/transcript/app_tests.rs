//! Search and copy through `App::update`, key by key, without drawing.

use crate::app::{App, Effect, Focus, Msg, Settings};
use crate::domain::{RoundKind, Session, Side, TurnOutcome, TurnStats};
use crate::engine::{Engine, EngineConfig, Input, Mode, Output, SaveTarget};
use crate::providers::scripted::script::DemoScript;
use crate::providers::{StreamEvent, TurnSpec};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::OffsetDateTime;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

fn setup_session() -> Session {
    Session::new(DemoScript::bundled().unwrap().setup(), t0())
}

/// Three finished turns with known words: "tea" is in the first (twice, once capitalised)
/// and the third (in bold and in italics); the second has none.
fn tea_session() -> Session {
    let mut s = setup_session();
    for (side, round, text) in [
        (Side::A, 1, "Tea is better than coffee. I drink tea daily."),
        (Side::B, 1, "Coffee wins, whatever the other side says."),
        (Side::A, 2, "**Tea** again: a steeped *tea*."),
    ] {
        let i = s.begin_turn(side, round, "root", t0());
        s.push_text(i, text);
        s.finish_turn(i, TurnOutcome::Complete, None, t0());
    }
    s
}

fn app_with(session: Session, settings: Settings) -> App {
    let target = SaveTarget::File("/nonexistent/t.json".into());
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), Some(target));
    let mut app = App::new(engine, settings);
    app.update(
        Msg::Resize {
            width: 120,
            height: 40,
        },
        t0(),
    );
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let mods = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    app.update(Msg::Key(KeyEvent::new(code, mods)), t0())
}

fn type_in(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn status(app: &App) -> String {
    app.search.as_ref().map(|s| s.status()).unwrap_or_default()
}

fn notice(app: &App) -> String {
    app.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn copied(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Copy(text) => Some(text.clone()),
        _ => None,
    })
}

#[test]
fn typing_searches_as_it_goes_and_n_and_shift_n_walk_the_matches() {
    let mut app = app_with(tea_session(), Settings::default());
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "te");
    assert_eq!(
        status(&app),
        "match 1/7",
        "Tea, better, tea, whatever, Tea, steeped, tea"
    );
    type_in(&mut app, "a");
    assert_eq!(status(&app), "match 1/4");
    assert_eq!(app.selected_turn(), Some(0));
    press(&mut app, KeyCode::Enter);
    assert!(
        !app.search.as_ref().unwrap().editing,
        "Enter closes the field"
    );
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(status(&app), "match 2/4");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(status(&app), "match 3/4");
    assert_eq!(app.selected_turn(), Some(2), "the match's turn is selected");
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(status(&app), "match 1/4");
    assert_eq!(notice(&app), "Search wrapped to the top.");
    press(&mut app, KeyCode::Char('N'));
    assert_eq!(status(&app), "match 4/4");
    assert_eq!(notice(&app), "Search wrapped to the bottom.");
    press(&mut app, KeyCode::Esc);
    assert!(app.search.is_none(), "Esc clears a kept search");
}

#[test]
fn a_capital_letter_makes_the_search_mind_case() {
    let mut app = app_with(tea_session(), Settings::default());
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "Tea");
    assert_eq!(status(&app), "match 1/2");
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    type_in(&mut app, "ea");
    assert_eq!(status(&app), "match 1/2", "\"Tea\" again after editing");
}

#[test]
fn markdown_markers_are_not_searched_but_the_words_are() {
    let mut app = app_with(tea_session(), Settings::default());
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "**");
    assert_eq!(
        status(&app),
        "no match",
        "the judge sees bold, not asterisks"
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(notice(&app), "No match for “**”.");
}

#[test]
fn esc_while_typing_goes_back_to_where_the_search_began() {
    let mut s = setup_session();
    for i in 0..40u32 {
        let side = if i % 2 == 0 { Side::A } else { Side::B };
        let t = s.begin_turn(side, i / 2 + 1, "root", t0());
        let word = if i == 3 { "needle" } else { "hay" };
        s.push_text(t, &format!("{word} {}", "filler words ".repeat(30)));
        s.finish_turn(t, TurnOutcome::Complete, None, t0());
    }
    let mut app = app_with(s, Settings::default());
    assert!(app.transcript.is_following());
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "needle");
    assert_eq!(status(&app), "match 1/1");
    assert_eq!(app.selected_turn(), Some(3), "scrolled up to the match");
    assert!(!app.transcript.is_following());
    press(&mut app, KeyCode::Esc);
    assert!(app.search.is_none());
    assert!(app.transcript.is_following(), "back at the end, following");
}

#[test]
fn new_text_is_searched_as_it_streams() {
    let mut app = app_with(tea_session(), Settings::default());
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "tea");
    press(&mut app, KeyCode::Enter);
    assert_eq!(status(&app), "match 1/4");
    let spec = started(&app.start(t0()));
    stream(&mut app, &spec, StreamEvent::Delta("More tea, and ".into()));
    assert!(status(&app).ends_with("/5"), "{}", status(&app));
    stream(&mut app, &spec, StreamEvent::Delta("yet more tea.".into()));
    assert!(status(&app).ends_with("/6"), "{}", status(&app));
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

#[test]
fn a_hidden_speech_is_never_matched_nor_copied() {
    let mut session = setup_session();
    session.protocol.kind = RoundKind::Simultaneous;
    let mut app = app_with(session, Settings::default());
    let effects = app.start(t0());
    let specs: Vec<TurnSpec> = effects
        .iter()
        .flat_map(|e| match e {
            Effect::Engine(outputs) => outputs
                .iter()
                .filter_map(|o| match o {
                    Output::Start(spec) => Some(spec.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(specs.len(), 2, "both sides of the round at once");
    stream(
        &mut app,
        &specs[0],
        StreamEvent::Delta("The secret plan.".into()),
    );
    stream(&mut app, &specs[0], StreamEvent::Done(TurnStats::default()));
    stream(
        &mut app,
        &specs[1],
        StreamEvent::Delta("Still going".into()),
    );
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "secret");
    assert_eq!(
        status(&app),
        "no match",
        "A's speech is hidden while B speaks"
    );
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    app.transcript.to_bottom();
    press(&mut app, KeyCode::Char('K'));
    assert_eq!(app.selected_turn(), Some(specs[0].turn));
    let effects = press(&mut app, KeyCode::Char('y'));
    assert_eq!(copied(&effects), None);
    assert!(
        notice(&app).contains("hidden until both speeches"),
        "{}",
        notice(&app)
    );
    // Once B is done, both are shown, and found.
    stream(&mut app, &specs[1], StreamEvent::Done(TurnStats::default()));
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "secret");
    assert_eq!(status(&app), "match 1/1");
}

#[test]
fn the_tree_is_searched_node_by_node() {
    let (mut s, script) = (setup_session(), DemoScript::bundled().unwrap());
    for (round, side) in [(1, Side::A), (1, Side::B)] {
        let i = s.begin_turn(side, round, "root", t0());
        s.push_text(i, script.turn_text("root", round, side).unwrap());
        s.finish_turn(i, TurnOutcome::Complete, None, t0());
    }
    let mut app = app_with(s, Settings::default());
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Tree);
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "revenue");
    // A3 "Net revenue can fund transit…", B4 (under A3) "…gross revenue", B3 "…business
    // revenue", in the tree's order.
    assert_eq!(status(&app), "match 1/3");
    assert_eq!(tree_id(&app), "A3");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(tree_id(&app), "B4");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(tree_id(&app), "B3");
}

fn tree_id(app: &App) -> String {
    app.session().tree.nodes()[app.tree.selected()].id.clone()
}

#[test]
fn y_copies_the_speech_as_written_and_shift_y_the_whole_turn() {
    let (mut s, script) = (setup_session(), DemoScript::bundled().unwrap());
    let i = s.begin_turn(Side::A, 1, "root", t0());
    s.push_text(i, script.turn_text("root", 1, Side::A).unwrap());
    s.finish_turn(i, TurnOutcome::Complete, None, t0());
    let mut app = app_with(s, Settings::default());
    let text = copied(&press(&mut app, KeyCode::Char('y'))).expect("copied");
    let turn = &app.session().turns()[0];
    assert_eq!(text, turn.prose().trim());
    assert!(!text.contains("```claims"));
    let words = text.split_whitespace().count();
    assert_eq!(notice(&app), format!("Copied turn 1 ({words} words)."));
    let whole = copied(&press(&mut app, KeyCode::Char('Y'))).expect("copied");
    assert!(whole.starts_with("A Pro · round 1\n\n"), "{whole}");
    assert!(whole.contains("```claims\nA1 supports root:"));
    // The tree: the node as a claims line.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('j'));
    let claim = copied(&press(&mut app, KeyCode::Char('y'))).expect("copied");
    assert!(
        claim.starts_with("A1 supports root: Peak pricing"),
        "{claim}"
    );
}

#[test]
fn a_blind_copy_names_no_debater() {
    let (mut s, script) = (setup_session(), DemoScript::bundled().unwrap());
    s.debaters[0].model = "secret-model-7b".into();
    let i = s.begin_turn(Side::A, 1, "root", t0());
    s.push_text(i, script.turn_text("root", 1, Side::A).unwrap());
    s.finish_turn(i, TurnOutcome::Complete, None, t0());
    let mut app = app_with(
        s,
        Settings {
            blind: true,
            ..Settings::default()
        },
    );
    let whole = copied(&press(&mut app, KeyCode::Char('Y'))).expect("copied");
    assert!(whole.starts_with("A Debater A · round 1"), "{whole}");
    assert!(!whole.contains("Pro ·") && !whole.contains("secret-model"));
}

#[test]
fn after_a_resize_only_the_turns_in_view_are_wrapped_again() {
    let mut s = setup_session();
    s.protocol.rounds = 1_000;
    for i in 0..2_000 {
        let side = if i % 2 == 0 { Side::A } else { Side::B };
        let t = s.begin_turn(side, i / 2 + 1, "root", t0());
        s.push_text(
            t,
            "Tea is better than coffee, and it always was, whatever is said.",
        );
        s.finish_turn(t, TurnOutcome::Complete, None, t0());
    }
    let mut app = app_with(s, Settings::default());
    // What a frame asks for: where the view starts and which turn is selected.
    let frame = |app: &App| (app.transcript_top(), app.selected_turn());
    let (top, selected) = frame(&app);
    assert_eq!(selected, Some(1_999), "following the end");
    let rows = app.transcript.rows();
    assert!(
        app.layouts.wrapped() <= rows,
        "{} turns wrapped",
        app.layouts.wrapped()
    );
    for width in [90, 60, 120] {
        app.update(Msg::Resize { width, height: 40 }, t0());
        let (after, selected) = frame(&app);
        assert_eq!(selected, Some(1_999));
        assert!(after.pos >= top.pos.saturating_sub(rows), "{after:?}");
        // The turns that fill the view from the bottom, no more.
        let wrapped = app.layouts.wrapped();
        assert!(wrapped <= rows, "{wrapped} turns wrapped at width {width}");
        assert!(wrapped >= 2, "the view is filled");
    }
}
