//! The update function, driven message by message as the runtime would.

use super::*;
use crate::domain::{SessionStatus, TurnStats};
use crate::providers::scripted::script::DemoScript;
use ratatui::crossterm::event::KeyModifiers;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

fn demo_app() -> App {
    let script = DemoScript::bundled().unwrap();
    let mut app = App::new(
        Session::new(script.setup(), t0()),
        Mode::Live,
        Theme::plain(),
    );
    app.sessions_dir = Some("/nonexistent".into());
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), t0())
}

fn chars(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn started_turn(effects: &[Effect]) -> Option<usize> {
    effects.iter().find_map(|e| match e {
        Effect::StartTurn { request, .. } => Some(request.turn),
        _ => None,
    })
}

fn saves(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Save { .. }))
        .count()
}

/// Streams `text` into `turn` and ends it; returns the effects of the end.
fn play(app: &mut App, turn: usize, text: &str) -> Vec<Effect> {
    app.update(
        Msg::Stream {
            turn,
            event: StreamEvent::Delta(text.into()),
        },
        t0(),
    );
    app.update(
        Msg::Stream {
            turn,
            event: StreamEvent::Done(TurnStats::default()),
        },
        t0(),
    )
}

const TURN_A: &str = "Pricing works.\n```claims\nA1 supports root: It cuts traffic.\n```";

#[test]
fn start_saves_and_begins_the_first_turn() {
    let mut app = demo_app();
    let effects = app.start(t0());
    assert_eq!(saves(&effects), 1);
    assert_eq!(started_turn(&effects), Some(0));
    assert_eq!(app.session.turns()[0].side, Side::A);
    assert_eq!(app.session.turns()[0].stats.provider, "scripted");
}

#[test]
fn a_finished_turn_is_saved_and_the_next_begins() {
    let mut app = demo_app();
    app.start(t0());
    let effects = play(&mut app, 0, TURN_A);
    assert_eq!(saves(&effects), 1);
    assert_eq!(started_turn(&effects), Some(1));
    assert_eq!(app.session.turns()[1].side, Side::B);
    assert!(app.session.tree.get("A1").is_some());
    assert!(app.take_dirty());
}

#[test]
fn the_whole_demo_plays_to_the_end() {
    let script = DemoScript::bundled().unwrap();
    let mut app = demo_app();
    let mut next = started_turn(&app.start(t0()));
    while let Some(turn) = next {
        let t = &app.session.turns()[turn];
        let text = script
            .turn_text(ROOT_ID, t.round, t.side)
            .unwrap()
            .to_string();
        next = started_turn(&play(&mut app, turn, &text));
    }
    assert_eq!(app.session.status, SessionStatus::Finished);
    assert!(app.is_finished());
    assert_eq!(app.session.turns().len() as u32, script.rounds() * 2);
    assert!(app.notice.as_ref().unwrap().text.contains("verdict"));
}

#[test]
fn pause_waits_between_turns_and_n_steps_one() {
    let mut app = demo_app();
    app.start(t0());
    key(&mut app, KeyCode::Char(' '));
    assert!(app.paused);
    let effects = play(&mut app, 0, TURN_A);
    assert_eq!(started_turn(&effects), None, "paused: no new turn");
    assert_eq!(saves(&effects), 1);
    let effects = key(&mut app, KeyCode::Char('n'));
    assert_eq!(started_turn(&effects), Some(1));
    let effects = play(&mut app, 1, "B answers.");
    assert_eq!(started_turn(&effects), None, "one step is one turn");
    let effects = key(&mut app, KeyCode::Char(' '));
    assert_eq!(
        started_turn(&effects),
        Some(2),
        "resuming starts the next turn"
    );
}

#[test]
fn quitting_mid_turn_asks_then_keeps_the_partial_text() {
    let mut app = demo_app();
    app.start(t0());
    app.update(
        Msg::Stream {
            turn: 0,
            event: StreamEvent::Delta("Half a".into()),
        },
        t0(),
    );
    let effects = key(&mut app, KeyCode::Char('q'));
    assert!(effects.is_empty());
    assert_eq!(app.overlay, Some(Overlay::ConfirmQuit));
    assert!(key(&mut app, KeyCode::Char('n')).is_empty());
    assert_eq!(app.overlay, None);
    key(&mut app, KeyCode::Char('q'));
    let effects = key(&mut app, KeyCode::Char('y'));
    assert!(matches!(effects[0], Effect::CancelTurn { turn: 0 }));
    assert_eq!(saves(&effects), 1);
    assert!(matches!(effects.last(), Some(Effect::Quit)));
    assert!(app.is_quitting());
    let turn = &app.session.turns()[0];
    assert_eq!(turn.status, TurnStatus::Stopped);
    assert_eq!(turn.text, "Half a");
    // A word that was already in flight changes nothing.
    app.update(
        Msg::Stream {
            turn: 0,
            event: StreamEvent::Delta(" more".into()),
        },
        t0(),
    );
    assert_eq!(app.session.turns()[0].text, "Half a");
}

#[test]
fn quitting_between_turns_does_not_ask() {
    let mut app = demo_app();
    app.start(t0());
    key(&mut app, KeyCode::Char(' '));
    play(&mut app, 0, TURN_A);
    let effects = key(&mut app, KeyCode::Char('q'));
    assert_eq!(saves(&effects), 1);
    assert!(matches!(effects.last(), Some(Effect::Quit)));
}

#[test]
fn sigterm_quits_like_ctrl_c() {
    let mut app = demo_app();
    app.start(t0());
    let effects = app.update(Msg::Terminate, t0());
    assert!(matches!(effects.last(), Some(Effect::Quit)));
    assert_eq!(app.session.turns()[0].status, TurnStatus::Stopped);
    let mut app = demo_app();
    app.start(t0());
    let effects = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        t0(),
    );
    assert!(matches!(effects.last(), Some(Effect::Quit)));
}

#[test]
fn credence_is_recorded_and_saved() {
    let mut app = demo_app();
    app.start(t0());
    play(&mut app, 0, TURN_A);
    key(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.overlay, Some(Overlay::Credence(_))));
    chars(&mut app, "70");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    assert_eq!(app.overlay, None);
    assert_eq!(app.session.credence(ROOT_ID), Some(0.7));
    assert_eq!(app.session.judge_events[0].after_turn, Some(0));
    // Keys inside the dialog do not leak to the main screen.
    key(&mut app, KeyCode::Char('c'));
    let effects = key(&mut app, KeyCode::Char('q'));
    assert!(effects.is_empty() && !app.is_quitting());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.session.judge_events.len(), 1, "Esc records nothing");
}

#[test]
fn verdict_is_recorded_from_the_keyboard() {
    let mut app = demo_app();
    app.start(t0());
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "90");
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "Equity concerns stood.");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    let v = app.session.verdict.as_ref().unwrap();
    assert_eq!(v.winner, Side::B);
    assert_eq!(v.confidence, 0.9);
    assert_eq!(v.rationale, "Equity concerns stood.");
}

#[test]
fn a_failed_stream_keeps_the_text_pauses_and_n_retries() {
    let mut app = demo_app();
    app.start(t0());
    app.update(
        Msg::Stream {
            turn: 0,
            event: StreamEvent::Delta("Partial".into()),
        },
        t0(),
    );
    let effects = app.update(
        Msg::StreamFailed {
            turn: 0,
            error: "connection reset".into(),
        },
        t0(),
    );
    assert_eq!(saves(&effects), 1);
    assert_eq!(started_turn(&effects), None);
    assert_eq!(app.session.turns()[0].status, TurnStatus::Failed);
    assert_eq!(app.session.turns()[0].text, "Partial");
    assert!(app.paused);
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Error);
    let effects = key(&mut app, KeyCode::Char('n'));
    assert_eq!(started_turn(&effects), Some(1));
    assert_eq!(app.session.turns()[1].side, Side::A, "the same slot again");
    assert_eq!(app.session.turns()[1].round, 1);
}

#[test]
fn replay_steps_through_the_recording_and_saves_nothing() {
    let mut live = demo_app();
    live.start(t0());
    play(&mut live, 0, TURN_A);
    key(&mut live, KeyCode::Char(' '));
    play(
        &mut live,
        1,
        "B: no.\n```claims\nB1 attacks A1: It moves traffic.\n```",
    );
    live.session
        .record_verdict(Side::A, 0.8, "ok".into(), None, t0());
    let recording = live.session.clone();

    let mut app = App::replay(recording, Theme::plain());
    let effects = app.start(t0());
    assert!(effects.is_empty(), "a replay starts paused and never saves");
    assert!(app.session.turns().is_empty() && app.session.verdict.is_none());
    let effects = key(&mut app, KeyCode::Char('n'));
    assert_eq!(started_turn(&effects), Some(0));
    let effects = play(&mut app, 0, TURN_A);
    assert_eq!(saves(&effects), 0);
    key(&mut app, KeyCode::Char('c'));
    assert_eq!(app.overlay, None, "read-only: no credence dialog");
    assert!(app.notice.as_ref().unwrap().text.contains("Read-only"));
    key(&mut app, KeyCode::Char(' '));
    assert!(!app.paused);
    assert_eq!(app.session.turns().len(), 2);
    play(
        &mut app,
        1,
        "B: no.\n```claims\nB1 attacks A1: It moves traffic.\n```",
    );
    assert!(app.is_finished());
    assert!(app.session.tree.get("B1").is_some());
}

#[test]
fn navigation_keys_follow_focus() {
    let mut app = demo_app();
    app.start(t0());
    play(&mut app, 0, TURN_A);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Tree);
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.tree.selected(), 1);
    assert_eq!(app.related_turns(), vec![0]);
    key(&mut app, KeyCode::Char('h'));
    assert_eq!(app.tree.selected(), 0, "a leaf's h goes to its parent");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Transcript);
    assert!(app.related_turns().is_empty());
    key(&mut app, KeyCode::Char('?'));
    assert_eq!(app.overlay, Some(Overlay::Help(0)));
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.overlay, Some(Overlay::Help(1)));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, None);
}

#[test]
fn a_live_debate_without_a_question_asks_for_one() {
    let mut setup = DemoScript::bundled().unwrap().setup();
    setup.question = String::new();
    let mut app = App::new(Session::new(setup, t0()), Mode::Live, Theme::plain());
    app.sessions_dir = Some("/sessions".into());
    assert!(app.start(t0()).is_empty());
    assert!(matches!(app.overlay, Some(Overlay::Start(_))));
    assert!(
        key(&mut app, KeyCode::Enter).is_empty(),
        "an empty question is not accepted"
    );
    chars(&mut app, "Is tea better than coffee?");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    assert_eq!(started_turn(&effects), Some(0));
    assert_eq!(app.session.question, "Is tea better than coffee?");
    assert_eq!(app.session.tree.root().text, "Is tea better than coffee?");
    let path = app.session_path.as_ref().unwrap();
    assert!(path.starts_with("/sessions"));
    assert!(path.to_string_lossy().contains("is-tea-better-than-coffee"));
}

#[test]
fn esc_stops_a_streaming_turn_then_r_retries_and_s_skips() {
    let mut app = demo_app();
    app.start(t0());
    app.update(
        Msg::Stream {
            turn: 0,
            event: StreamEvent::Delta("Half".into()),
        },
        t0(),
    );
    let effects = key(&mut app, KeyCode::Esc);
    assert!(matches!(effects[0], Effect::CancelTurn { turn: 0 }));
    assert_eq!(saves(&effects), 1);
    assert_eq!(app.session.turns()[0].status, TurnStatus::Stopped);
    assert_eq!(app.session.turns()[0].text, "Half");
    assert!(app.paused);
    let effects = key(&mut app, KeyCode::Char('r'));
    assert_eq!(started_turn(&effects), Some(1));
    assert_eq!(
        app.session.turns()[1].side,
        Side::A,
        "the same slot is retried"
    );
    key(&mut app, KeyCode::Esc);
    let effects = key(&mut app, KeyCode::Char('s'));
    assert_eq!(saves(&effects), 1);
    assert!(app.session.turns()[1].skipped);
    assert_eq!(app.session.next_slot(), Some((1, Side::B)));
    let effects = key(&mut app, KeyCode::Char('r'));
    assert_eq!(
        started_turn(&effects),
        None,
        "nothing to retry after a skip"
    );
}

#[test]
fn the_stream_rate_is_measured_while_a_turn_streams() {
    let mut app = demo_app();
    app.start(t0());
    for i in 0..20 {
        app.update(
            Msg::Stream {
                turn: 0,
                event: StreamEvent::Delta("w ".into()),
            },
            t0() + time::Duration::milliseconds(100 * i),
        );
    }
    let rate = app.stream_rate.unwrap();
    assert!((rate - 20.0 / 1.9).abs() < 0.01, "{rate}");
}

/// The demo played to its end, with drills allowed where the script has them.
fn finished_demo() -> App {
    let script = DemoScript::bundled().unwrap();
    let mut app = demo_app();
    app.drillable = Some(script.subdebates.iter().map(|s| s.node.clone()).collect());
    app.drill_rounds = script.drill_rounds();
    let mut next = started_turn(&app.start(t0()));
    while let Some(turn) = next {
        let t = &app.session.turns()[turn];
        let text = script
            .turn_text(&t.scope, t.round, t.side)
            .unwrap()
            .to_string();
        next = started_turn(&play(&mut app, turn, &text));
    }
    app
}

fn select(app: &mut App, id: &str) {
    app.focus = Focus::Tree;
    let pos = app.session.tree.position(id).unwrap();
    app.tree.select(pos);
}

fn shift(app: &mut App, c: char) -> Vec<Effect> {
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)),
        t0(),
    )
}

#[test]
fn drilling_into_a_crux_plays_its_sub_debate_then_goes_back_up() {
    let script = DemoScript::bundled().unwrap();
    let mut app = finished_demo();
    select(&mut app, "B2");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1, "the drill is a judge event, saved");
    let turn = started_turn(&effects).expect("the sub-debate starts");
    assert_eq!(app.session.turns()[turn].scope, "B2");
    assert_eq!(app.current_scope(), "B2");
    assert!(matches!(
        app.session.judge_events.last().unwrap().kind,
        JudgeEventKind::Drill { ref node, rounds: 2 } if node == "B2"
    ));
    let mut next = Some(turn);
    while let Some(turn) = next {
        let t = &app.session.turns()[turn];
        let text = script.turn_text("B2", t.round, t.side).unwrap().to_string();
        next = started_turn(&play(&mut app, turn, &text));
    }
    assert_eq!(app.session.turns_in("B2").count(), 4);
    assert!(app.session.turns_in("B2").all(|t| t.warnings.is_empty()));
    assert!(app.is_finished(), "the drill is over");
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("drill on B2 is over")
    );
    // The drill's claims hang under the crux.
    assert!(app.session.tree.is_within(
        app.session.tree.position("B14").unwrap(),
        app.session.tree.position("B2").unwrap()
    ));
    key(&mut app, KeyCode::Backspace);
    assert_eq!(app.current_scope(), ROOT_ID);
    assert_eq!(
        app.tree.selected(),
        app.session.tree.position("B2").unwrap()
    );
    // Going back in does not start the drill again.
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(started_turn(&effects), None);
    assert_eq!(app.current_scope(), "B2");
}

#[test]
fn the_demo_explains_which_nodes_it_can_drill() {
    let mut app = finished_demo();
    select(&mut app, "A2");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.is_empty());
    assert_eq!(app.current_scope(), ROOT_ID);
    assert!(app.notice.as_ref().unwrap().text.contains("B2 and B3"));
}

#[test]
fn the_judge_rules_on_a_node_and_decides_the_debate_by_a_crux() {
    let mut app = finished_demo();
    select(&mut app, "B3");
    key(&mut app, KeyCode::Char('w'));
    assert!(matches!(app.overlay, Some(Overlay::Verdict(_))));
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "70");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    let j = app
        .session
        .tree
        .get("B3")
        .unwrap()
        .judgement
        .clone()
        .unwrap();
    assert_eq!((j.winner, j.confidence), (Side::A, 0.7));

    select(&mut app, "B2");
    shift(&mut app, 'D');
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "85");
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "Equity decides it.");
    key(&mut app, KeyCode::Enter);
    let v = app.session.verdict.clone().unwrap();
    assert_eq!(v.winner, Side::B);
    assert_eq!(v.confidence, 0.85);
    assert_eq!(v.decided_by.as_deref(), Some("B2"));
    assert_eq!(
        app.session
            .tree
            .get("B2")
            .unwrap()
            .judgement
            .as_ref()
            .unwrap()
            .winner,
        Side::B
    );
    let b2 = app.session.tree.position("B2").unwrap();
    assert_eq!(app.analysis().status[b2], crate::domain::NodeStatus::Judged);
}

#[test]
fn crux_marks_toggle_against_the_proposal() {
    let mut app = finished_demo();
    select(&mut app, "B2");
    let pos = app.session.tree.position("B2").unwrap();
    assert!(app.analysis().proposed_crux[pos]);
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.session.tree.nodes()[pos].crux_mark, Some(false));
    assert!(!app.analysis().crux[pos]);
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(
        app.session.tree.nodes()[pos].crux_mark,
        None,
        "agreeing with agon clears the mark"
    );
    select(&mut app, "A2");
    key(&mut app, KeyCode::Char('x'));
    let a2 = app.session.tree.position("A2").unwrap();
    assert_eq!(app.session.tree.nodes()[a2].crux_mark, Some(true));
    assert!(app.analysis().crux[a2]);
}

#[test]
fn the_judge_edits_the_tree_and_every_edit_is_an_event() {
    let mut app = finished_demo();
    let before = app.session.judge_events.len();
    select(&mut app, "B3");
    key(&mut app, KeyCode::Char('a'));
    chars(&mut app, "Do footfall counts fall?");
    key(&mut app, KeyCode::Enter);
    let q = app.session.tree.get("Q1").expect("the judge's question");
    assert_eq!(q.parent.as_deref(), Some("B3"));
    assert_eq!(
        app.tree.selected(),
        app.session.tree.position("Q1").unwrap()
    );

    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::End);
    chars(&mut app, " At peak?");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.session.tree.get("Q1").unwrap().text,
        "Do footfall counts fall? At peak?"
    );

    select(&mut app, "B6");
    key(&mut app, KeyCode::Char('m'));
    assert!(matches!(app.pending_edit, Some(PendingEdit::Merge(_))));
    select(&mut app, "B9");
    key(&mut app, KeyCode::Char('m'));
    assert_eq!(
        app.session.tree.get("B6").unwrap().merged_into.as_deref(),
        Some("B9")
    );

    select(&mut app, "Q1");
    shift(&mut app, 'M');
    select(&mut app, "root");
    shift(&mut app, 'M');
    assert_eq!(
        app.session.tree.get("Q1").unwrap().parent.as_deref(),
        Some(ROOT_ID)
    );

    // A refused edit changes nothing and says why.
    select(&mut app, "B2");
    shift(&mut app, 'M');
    select(&mut app, "B5");
    shift(&mut app, 'M');
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Warning);
    let kinds: Vec<&str> = app.session.judge_events[before..]
        .iter()
        .map(|e| match e.kind {
            JudgeEventKind::AddNode { .. } => "add",
            JudgeEventKind::EditNode { .. } => "edit",
            JudgeEventKind::MergeNodes { .. } => "merge",
            JudgeEventKind::MoveNode { .. } => "move",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, vec!["add", "edit", "merge", "move"]);
    match &app.session.judge_events.last().unwrap().kind {
        JudgeEventKind::MoveNode { from_parent, .. } => assert_eq!(from_parent, "B3"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_replay_brings_back_the_judge_s_work_as_it_happened() {
    let mut live = finished_demo();
    select(&mut live, "B2");
    key(&mut live, KeyCode::Char('w'));
    key(&mut live, KeyCode::Enter);
    select(&mut live, "B3");
    shift(&mut live, 'D');
    key(&mut live, KeyCode::Enter);
    let recording = live.session.clone();

    let mut app = App::replay(recording.clone(), Theme::plain());
    app.start(t0());
    key(&mut app, KeyCode::Char(' '));
    let mut guard = 0;
    while let Some(turn) = app.session.streaming_turn() {
        let text = recording.turns()[turn].text.clone();
        play(&mut app, turn, &text);
        guard += 1;
        assert!(guard < 100);
    }
    assert_eq!(app.session.turns().len(), recording.turns().len());
    assert_eq!(app.session.tree, recording.tree);
    assert_eq!(
        app.session.verdict.as_ref().unwrap().decided_by.as_deref(),
        Some("B3")
    );
    assert_eq!(app.session.judge_events.len(), recording.judge_events.len());
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
        t0(),
    )
}

/// Draws once so the transcript knows its layout (the selected turn comes from it).
fn draw(app: &mut App) {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| crate::ui::draw(f, app)).unwrap();
}

#[test]
fn the_judge_tags_a_turn_and_a_span_then_edits_deletes_and_undoes() {
    let mut app = finished_demo();
    draw(&mut app);
    key(&mut app, KeyCode::Char('['));
    let turn = app.transcript.selected_turn().unwrap();
    key(&mut app, KeyCode::Char('t'));
    assert!(matches!(app.overlay, Some(Overlay::Tags(_))));
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "no source");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    let a = &app.session.annotations[0];
    assert_eq!(
        (a.turn, a.tags.as_slice(), a.note.as_str()),
        (Some(turn), &["unsupported".to_string()][..], "no source")
    );

    shift(&mut app, 'V');
    assert!(app.visual.is_some());
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('t'));
    assert!(app.visual.is_none());
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Enter);
    let span = app.session.annotations[1].clone();
    let text = &app.session.turns()[turn].text;
    let quote = span.quote.clone().unwrap();
    assert_eq!(
        &text[span.span.unwrap().start..span.span.unwrap().end],
        quote
    );
    assert!(
        quote.matches(['.', '?', '!']).count() >= 2,
        "two sentences: {quote}"
    );
    assert_eq!(span.tags, vec!["deceptive"]);

    // The annotations pane: edit the first, delete the second, undo the delete.
    shift(&mut app, 'A');
    assert!(app.show_annotations);
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::Char('5'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.session.annotations[0].tags,
        vec!["unsupported", "strong-evidence"]
    );
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.session.annotations.len(), 1);
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(app.session.annotations.len(), 2);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("delete annotation")
    );
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(
        app.session.annotations[0].tags,
        vec!["unsupported"],
        "the edit is undone too"
    );
}

#[test]
fn the_judge_speaks_to_a_debater_and_it_reaches_the_next_prompt() {
    let mut app = demo_app();
    app.start(t0());
    key(&mut app, KeyCode::Char('i'));
    assert!(
        app.overlay.is_none(),
        "nothing to answer before the first turn"
    );
    key(&mut app, KeyCode::Char(' '));
    play(&mut app, 0, TURN_A);
    key(&mut app, KeyCode::Char('i'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "Give a number.");
    key(&mut app, KeyCode::Enter);
    let effects = key(&mut app, KeyCode::Char('n'));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::StartTurn { request, .. } => Some(request.clone()),
            _ => None,
        })
        .unwrap();
    let prompt = crate::providers::prompt::turn_message(
        &request.session,
        request.side,
        request.round,
        ROOT_ID,
    );
    assert!(prompt.contains("The judge asks you to address, in this turn: Give a number."));
}

#[test]
fn the_judge_adds_a_round_and_ends_early_and_the_verdict_says_why() {
    let mut app = demo_app();
    app.start(t0());
    key(&mut app, KeyCode::Char(' '));
    play(&mut app, 0, TURN_A);
    let rounds = app.session.protocol.rounds;
    key(&mut app, KeyCode::Char('+'));
    assert_eq!(app.session.protocol.rounds, rounds + 1);
    shift(&mut app, 'E');
    chars(&mut app, "clear already");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.session.ended_early.as_deref(), Some("clear already"));
    assert!(app.is_finished());
    let effects = key(&mut app, KeyCode::Char('n'));
    assert_eq!(started_turn(&effects), None);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.session.verdict.as_ref().unwrap().ended,
        "the judge ended the debate early: clear already"
    );
}

#[test]
fn a_multi_line_rationale_and_the_editor() {
    let mut app = demo_app();
    app.start(t0());
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "First.");
    ctrl(&mut app, 'j');
    chars(&mut app, "Second.");
    let effects = ctrl(&mut app, 'e');
    assert!(matches!(&effects[..], [Effect::Editor { initial }] if initial == "First.\nSecond."));
    app.update(
        Msg::EditorDone(Ok("Longer reasons.\nWith lines.\n".into())),
        t0(),
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.session.verdict.as_ref().unwrap().rationale,
        "Longer reasons.\nWith lines."
    );
}

#[test]
fn ground_truth_stays_hidden_until_the_verdict_then_scores_it() {
    let mut app = demo_app();
    app.session.ground_truth = Some(Side::B);
    app.start(t0());
    assert!(app.scores().is_none());
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "80");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.overlay, Some(Overlay::Result));
    let s = app.scores().unwrap();
    assert!(s.correct);
    assert!((s.log_score - 0.8f64.log2()).abs() < 1e-9);
    assert!((s.brier - 0.04).abs() < 1e-9);
    assert_eq!(s.turns, 0, "the verdict came before any turn finished");
}

#[test]
fn blind_judging_hides_the_debaters_until_the_verdict() {
    let mut app = demo_app();
    app.blind = true;
    app.start(t0());
    play(&mut app, 0, TURN_A);
    let screen = |app: &mut App| {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| crate::ui::draw(f, app)).unwrap();
        format!("{}", terminal.backend())
    };
    let before = screen(&mut app);
    assert!(before.contains("blind"), "{before}");
    assert!(
        !before.contains("Pro") && !before.contains("scripted demo"),
        "{before}"
    );
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Enter);
    let after = screen(&mut app);
    assert!(
        after.contains("A Pro"),
        "revealed after the verdict: {after}"
    );
}

#[test]
fn a_replay_goes_to_any_turn_as_it_stood_and_reads_out_the_judge_s_timeline() {
    let mut live = finished_demo();
    let recording = {
        let mut s = live.session.clone();
        s.judge_events.clear();
        s.rebuild();
        // Credences after turns 2 and 6.
        let mut at = |turns: usize, p: f64| {
            let mut e = crate::domain::JudgeEvent {
                at: t0(),
                after_turn: Some(turns - 1),
                kind: JudgeEventKind::Credence {
                    node: ROOT_ID.into(),
                    p_a: p,
                    reason: None,
                },
            };
            e.at = t0();
            s.judge_events.push(e);
        };
        at(2, 0.3);
        at(6, 0.8);
        s.rebuild();
        s
    };
    live.session = recording.clone();
    let mut app = App::replay(recording, Theme::plain());
    app.start(t0());
    key(&mut app, KeyCode::Char('#'));
    chars(&mut app, "4");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.session.turns().len(), 4);
    assert_eq!(
        app.session.credence(ROOT_ID),
        Some(0.3),
        "as it stood after turn 4"
    );
    assert!(app.session.tree.get("A1").is_some());
    // Stepping on plays turn 5, and after turn 6 the timeline reads out the judge's credence.
    let effects = key(&mut app, KeyCode::Char('n'));
    let turn = started_turn(&effects).unwrap();
    assert_eq!(turn, 4);
    let text = live.session.turns()[4].text.clone();
    play(&mut app, 4, &text);
    let effects = key(&mut app, KeyCode::Char('n'));
    let text = live.session.turns()[5].text.clone();
    play(&mut app, started_turn(&effects).unwrap(), &text);
    assert_eq!(app.session.credence(ROOT_ID), Some(0.8));
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("After turn 6, the judge: P(A) 80%")
    );
}

#[test]
fn a_second_judge_rejudges_blind_and_the_first_judgement_is_untouched() {
    let mut live = finished_demo();
    select(&mut live, "B2");
    key(&mut live, KeyCode::Char('w'));
    key(&mut live, KeyCode::Enter);
    live.session
        .record_verdict(Side::B, 0.7, "first".into(), None, t0());
    let recording = live.session.clone();

    let mut app = App::rejudge(recording.clone(), true, Theme::plain(), t0());
    app.session_path = Some("/s/x.json".into());
    assert!(
        app.start(t0()).is_empty(),
        "nothing to save before the judge judges"
    );
    assert!(app.session.verdict.is_none() && app.session.judge_events.is_empty());
    assert!(app.is_blind());
    // Step through, judging as the turns come: the earlier judge's work never shows.
    key(&mut app, KeyCode::Char(' '));
    while let Some(turn) = app.session.streaming_turn() {
        let text = recording.turns()[turn].text.clone();
        play(&mut app, turn, &text);
        assert!(
            app.session
                .tree
                .get("B2")
                .is_none_or(|n| n.judgement.is_none())
        );
    }
    key(&mut app, KeyCode::Char('c'));
    chars(&mut app, "55");
    let effects = key(&mut app, KeyCode::Enter);
    let saved = effects
        .iter()
        .find_map(|e| match e {
            Effect::Save { session, .. } => Some(session.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        saved.judge_events, recording.judge_events,
        "the first judge's events"
    );
    assert_eq!(saved.verdict, recording.verdict);
    assert_eq!(saved.judgements.len(), 1);
    assert_eq!(saved.judgements[0].judge_events.len(), 1);
    assert!(saved.judgements[0].blind);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('a'));
    let effects = key(&mut app, KeyCode::Enter);
    let saved = effects
        .iter()
        .find_map(|e| match e {
            Effect::Save { session, .. } => Some(session.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        saved.judgements[0].verdict.as_ref().unwrap().winner,
        Side::A
    );
    assert_eq!(saved.verdict.as_ref().unwrap().rationale, "first");
    // Drills, messages and new rounds belong to live debates.
    key(&mut app, KeyCode::Char('i'));
    assert!(app.overlay.is_none());

    // Replaying it shows how the judges differ, and each judge's work on request.
    let replay = App::replay((*saved).clone(), Theme::plain());
    let notice = replay.notice.clone().unwrap().text;
    assert!(
        notice.contains("judge 0: B 70%") && notice.contains("judge 1, blind: A 55%"),
        "{notice}"
    );
    let second = saved.as_judged_by(1).unwrap();
    assert_eq!(second.verdict.as_ref().unwrap().winner, Side::A);
}

#[test]
fn in_a_short_debate_every_turn_can_be_chosen_for_tagging() {
    let mut app = demo_app();
    app.start(t0());
    play(&mut app, 0, "Short.");
    key(&mut app, KeyCode::Char(' '));
    play(&mut app, 1, "Also short.");
    draw(&mut app); // Everything fits: the view cannot scroll.
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(app.transcript.selected_turn(), Some(0));
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.transcript.selected_turn(), Some(1));
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.session.annotations[0].turn, Some(1));
    key(&mut app, KeyCode::Char('['));
    assert_eq!(app.transcript.selected_turn(), Some(0));
}

#[test]
fn f_forks_the_debate_after_the_selected_turn() {
    let mut app = finished_demo();
    app.session_path = Some("/sessions/original.json".into());
    draw(&mut app);
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    let effects = shift(&mut app, 'F');
    let (path, fork) = effects
        .iter()
        .find_map(|e| match e {
            Effect::Save { path, session } => Some((path.clone(), session.clone())),
            _ => None,
        })
        .expect("the fork is written");
    assert!(
        path.to_string_lossy().ends_with("_fork3.json"),
        "{}",
        path.display()
    );
    assert!(
        path.starts_with("/nonexistent"),
        "into the sessions directory"
    );
    assert_eq!(fork.turns().len(), 3);
    let origin = fork.forked_from.clone().unwrap();
    assert_eq!(origin.turns_kept, 3);
    assert_eq!(origin.file.as_deref(), Some("/sessions/original.json"));
    assert_eq!(
        app.session.turns().len(),
        8,
        "the debate itself is unchanged"
    );
}
