//! The update function, driven message by message as the runtime would: keys and engine
//! inputs in, effects out. Nothing here draws before it acts; the panes know their size from
//! `Msg::Resize`, as in the real app.

use super::*;
use crate::domain::{JudgeEventKind, JudgeInfo, ROOT_ID, SessionStatus, TurnStats, TurnStatus};
use crate::engine::{EngineConfig, Mode, SaveTarget};
use crate::providers::scripted::script::DemoScript;
use crate::providers::{ProviderError, StreamEvent, TurnSpec};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

fn demo_session() -> Session {
    Session::new(DemoScript::bundled().unwrap().setup(), t0())
}

/// A live app on `session`, saved to `/nonexistent/demo.json`, forking into `/nonexistent`.
fn live_app(session: Session, settings: Settings) -> App {
    let target = SaveTarget::File("/nonexistent/demo.json".into());
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), Some(target));
    App::new(
        engine,
        Settings {
            sessions_dir: Some("/nonexistent".into()),
            ..settings
        },
    )
}

fn demo_app() -> App {
    live_app(demo_session(), Settings::default())
}

/// A replay of `recording`, read-only as `agon replay` opens it.
fn replay_app(recording: Session) -> App {
    let engine = Engine::replay(recording, EngineConfig::default());
    App::new(
        engine,
        Settings {
            read_only: Some("replay".into()),
            ..Settings::default()
        },
    )
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), t0())
}

fn shift(app: &mut App, c: char) -> Vec<Effect> {
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)),
        t0(),
    )
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
        t0(),
    )
}

fn chars(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The engine outputs among the effects, in order.
fn outputs(effects: &[Effect]) -> Vec<&Output> {
    effects
        .iter()
        .flat_map(|e| match e {
            Effect::Engine(outputs) => outputs.as_slice(),
            _ => &[],
        })
        .collect()
}

/// The request the effects start, if any.
fn started(effects: &[Effect]) -> Option<TurnSpec> {
    outputs(effects).into_iter().find_map(|o| match o {
        Output::Start(spec) => Some(spec.clone()),
        _ => None,
    })
}

fn saves(effects: &[Effect]) -> usize {
    outputs(effects)
        .into_iter()
        .filter(|o| matches!(o, Output::Save(_)))
        .count()
}

/// The last session the effects save.
fn saved(effects: &[Effect]) -> Session {
    outputs(effects)
        .into_iter()
        .rev()
        .find_map(|o| match o {
            Output::Save(job) => Some((*job.session).clone()),
            _ => None,
        })
        .expect("a save")
}

/// Turns whose requests the effects cancel.
fn cancelled(effects: &[Effect]) -> Vec<usize> {
    outputs(effects)
        .into_iter()
        .filter_map(|o| match o {
            Output::Cancel { turn, .. } => Some(*turn),
            _ => None,
        })
        .collect()
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

fn delta(app: &mut App, spec: &TurnSpec, text: &str) -> Vec<Effect> {
    stream(app, spec, StreamEvent::Delta(text.into()))
}

fn fail(app: &mut App, spec: &TurnSpec, error: ProviderError) -> Vec<Effect> {
    app.update(
        Msg::Engine(Input::Failed {
            turn: spec.turn,
            attempt: spec.attempt,
            error,
        }),
        t0(),
    )
}

/// Streams `text` into the turn `spec` asks for and ends it; returns the effects of the end.
fn play(app: &mut App, spec: &TurnSpec, text: &str) -> Vec<Effect> {
    delta(app, spec, text);
    stream(app, spec, StreamEvent::Done(TurnStats::default()))
}

/// Plays every turn that starts, with the demo script's text for it, until none does.
fn play_scripted(app: &mut App, mut next: Option<TurnSpec>) {
    let script = DemoScript::bundled().unwrap();
    while let Some(spec) = next {
        let text = script
            .turn_text(&spec.scope, spec.round, spec.side)
            .unwrap()
            .to_string();
        next = started(&play(app, &spec, &text));
    }
}

/// Plays every turn that starts with the text it has in `recording` (a replay's turns).
fn play_recorded(app: &mut App, recording: &Session, mut next: Option<TurnSpec>) {
    let mut guard = 0;
    while let Some(spec) = next {
        let text = recording.turns()[spec.turn].text.clone();
        next = started(&play(app, &spec, &text));
        guard += 1;
        assert!(guard < 100, "the replay never ends");
    }
}

fn notice(app: &App) -> &str {
    &app.notice.as_ref().expect("a notice").text
}

const TURN_A: &str = "Pricing works.\n```claims\nA1 supports root: It cuts traffic.\n```";

#[test]
fn start_saves_and_begins_the_first_turn() {
    let mut app = demo_app();
    let effects = app.start(t0());
    assert_eq!(saves(&effects), 1);
    let spec = started(&effects).unwrap();
    assert_eq!((spec.turn, spec.side), (0, Side::A));
    assert_eq!(app.session().turns()[0].side, Side::A);
    assert_eq!(app.session().turns()[0].stats.provider, "scripted");
}

#[test]
fn a_finished_turn_is_saved_and_the_next_begins() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    app.take_dirty();
    let effects = play(&mut app, &spec, TURN_A);
    assert_eq!(saves(&effects), 1);
    assert_eq!(started(&effects).map(|s| s.turn), Some(1));
    assert_eq!(app.session().turns()[1].side, Side::B);
    assert!(app.session().tree.get("A1").is_some());
    assert!(app.take_dirty());
}

#[test]
fn the_whole_demo_plays_to_the_end() {
    let script = DemoScript::bundled().unwrap();
    let mut app = demo_app();
    let first = started(&app.start(t0()));
    play_scripted(&mut app, first);
    assert_eq!(app.session().status, SessionStatus::Finished);
    assert!(app.engine.is_finished());
    assert_eq!(app.session().turns().len() as u32, script.rounds() * 2);
    assert!(notice(&app).contains("verdict"));
}

#[test]
fn pause_waits_between_turns_and_n_steps_one() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    key(&mut app, KeyCode::Char(' '));
    assert!(app.engine.is_paused());
    let effects = play(&mut app, &spec, TURN_A);
    assert_eq!(started(&effects), None, "paused: no new turn");
    assert_eq!(saves(&effects), 1);
    let effects = key(&mut app, KeyCode::Char('n'));
    let spec = started(&effects).expect("n plays one turn");
    assert_eq!(spec.turn, 1);
    let effects = play(&mut app, &spec, "B answers.");
    assert_eq!(started(&effects), None, "one step is one turn");
    let effects = key(&mut app, KeyCode::Char(' '));
    assert_eq!(
        started(&effects).map(|s| s.turn),
        Some(2),
        "resuming starts the next turn"
    );
}

#[test]
fn quitting_mid_turn_asks_then_keeps_the_partial_text() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    delta(&mut app, &spec, "Half a");
    let effects = key(&mut app, KeyCode::Char('q'));
    assert!(effects.is_empty());
    assert!(matches!(app.dialog, Some(Dialog::ConfirmQuit(_))));
    assert!(key(&mut app, KeyCode::Char('n')).is_empty());
    assert_eq!(app.dialog, None);
    key(&mut app, KeyCode::Char('q'));
    let effects = key(&mut app, KeyCode::Char('y'));
    assert_eq!(cancelled(&effects), vec![0]);
    assert_eq!(saves(&effects), 1);
    assert!(matches!(effects.last(), Some(Effect::Quit)));
    assert!(app.is_quitting());
    let turn = &app.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Stopped);
    assert_eq!(turn.text, "Half a");
    // A word that was already in flight changes nothing.
    delta(&mut app, &spec, " more");
    assert_eq!(app.session().turns()[0].text, "Half a");
}

#[test]
fn quitting_between_turns_does_not_ask() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    key(&mut app, KeyCode::Char(' '));
    play(&mut app, &spec, TURN_A);
    let effects = key(&mut app, KeyCode::Char('q'));
    assert_eq!(app.dialog, None);
    assert_eq!(saves(&effects), 1);
    assert!(matches!(effects.last(), Some(Effect::Quit)));
}

#[test]
fn sigterm_quits_like_ctrl_c() {
    let mut app = demo_app();
    app.start(t0());
    let effects = app.update(Msg::Terminate("SIGTERM"), t0());
    assert!(matches!(effects.last(), Some(Effect::Quit)));
    assert_eq!(saves(&effects), 1);
    let turn = &app.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Stopped);
    assert!(turn.error.as_deref().unwrap().contains("SIGTERM"));
    let mut app = demo_app();
    app.start(t0());
    let effects = ctrl(&mut app, 'c');
    assert!(matches!(effects.last(), Some(Effect::Quit)));
    assert_eq!(cancelled(&effects), vec![0], "Ctrl-C does not ask");
}

#[test]
fn credence_is_recorded_and_saved() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    play(&mut app, &spec, TURN_A);
    key(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.dialog, Some(Dialog::Credence(_))));
    chars(&mut app, "70");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    assert_eq!(app.dialog, None);
    assert_eq!(app.session().credence(ROOT_ID), Some(0.7));
    assert_eq!(app.session().judge_events[0].after_turn, Some(0));
    // Keys inside the dialog do not leak to the main screen.
    key(&mut app, KeyCode::Char('c'));
    let effects = key(&mut app, KeyCode::Char('q'));
    assert!(effects.is_empty() && !app.is_quitting());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.dialog, None);
    assert_eq!(app.session().judge_events.len(), 1, "Esc records nothing");
}

#[test]
fn verdict_is_recorded_from_the_keyboard_and_v_again_starts_from_it() {
    let mut app = demo_app();
    app.start(t0());
    key(&mut app, KeyCode::Char('v'));
    let Some(Dialog::Verdict(d)) = &app.dialog else {
        panic!("the verdict dialog");
    };
    assert_eq!(d.winner, None, "no credence yet: nothing preset");
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "90");
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "Equity concerns stood.");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    let v = app.session().verdict.as_ref().unwrap();
    assert_eq!(v.winner, Side::B);
    assert_eq!(v.confidence, 0.9);
    assert_eq!(v.rationale, "Equity concerns stood.");
    // Changing the verdict starts from the one given, not from the credence.
    key(&mut app, KeyCode::Char('v'));
    let Some(Dialog::Verdict(d)) = &app.dialog else {
        panic!("the verdict dialog");
    };
    assert_eq!((d.winner, d.confidence.value), (Some(Side::B), 90));
}

#[test]
fn a_failed_turn_keeps_its_text_pauses_and_r_retries_it_in_place() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    delta(&mut app, &spec, "Partial");
    let effects = fail(&mut app, &spec, ProviderError::new("connection reset"));
    assert_eq!(saves(&effects), 1);
    assert_eq!(started(&effects), None);
    assert_eq!(app.session().turns()[0].status, TurnStatus::Failed);
    assert_eq!(app.session().turns()[0].text, "Partial");
    assert!(app.engine.is_paused());
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Error);
    assert!(notice(&app).contains("r retries it"));
    // n plays the next turn, but a failed one waits for r or s first.
    let effects = key(&mut app, KeyCode::Char('n'));
    assert_eq!(started(&effects), None, "n does not retry");
    assert_eq!(app.session().turns().len(), 1);

    let effects = key(&mut app, KeyCode::Char('r'));
    let retry = started(&effects).expect("r retries");
    assert_eq!(retry.turn, 0, "the same turn, in place");
    assert_ne!(retry.attempt, spec.attempt, "by a new request");
    assert_eq!(saves(&effects), 1);
    assert_eq!(app.session().turns().len(), 1);
    let effects = play(&mut app, &retry, TURN_A);
    let turn = &app.session().turns()[0];
    assert_eq!(
        (turn.status, turn.text.as_str()),
        (TurnStatus::Complete, TURN_A)
    );
    assert_eq!(
        turn.attempts.len(),
        1,
        "the failed attempt is kept in the turn"
    );
    assert_eq!(turn.attempts[0].status, TurnStatus::Failed);
    assert_eq!(turn.attempts[0].text, "Partial");
    assert_eq!(turn.attempts[0].error.as_deref(), Some("connection reset"));
    assert_eq!(
        started(&effects).map(|s| (s.turn, s.side)),
        Some((1, Side::B)),
        "the failure's pause ends with the retry"
    );
}

#[test]
fn a_provider_error_shows_its_escape_sequences_as_text() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    fail(
        &mut app,
        &spec,
        ProviderError::new("\x1b[31mboom\x1b]0;title\x07"),
    );
    let text = notice(&app);
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("␛[31mboom␛]0;title␇"), "{text:?}");
}

#[test]
fn replay_steps_through_the_recording_and_saves_nothing() {
    let mut live = demo_app();
    let spec = started(&live.start(t0())).unwrap();
    let spec = started(&play(&mut live, &spec, TURN_A)).unwrap();
    key(&mut live, KeyCode::Char(' '));
    play(
        &mut live,
        &spec,
        "B: no.\n```claims\nB1 attacks A1: It moves traffic.\n```",
    );
    let mut recording = live.session().clone();
    recording.record_verdict(Side::A, 0.8, "ok".into(), None, t0());

    let mut app = replay_app(recording.clone());
    let effects = app.start(t0());
    assert!(effects.is_empty(), "a replay starts paused and never saves");
    assert!(app.session().turns().is_empty() && app.session().verdict.is_none());
    let effects = key(&mut app, KeyCode::Char('n'));
    let spec = started(&effects).unwrap();
    assert_eq!(spec.turn, 0);
    let effects = play(&mut app, &spec, &recording.turns()[0].text);
    assert_eq!(saves(&effects), 0);
    key(&mut app, KeyCode::Char('c'));
    assert_eq!(app.dialog, None, "read-only: no credence dialog");
    assert!(notice(&app).contains("Read-only"));
    let effects = key(&mut app, KeyCode::Char(' '));
    assert!(!app.engine.is_paused());
    assert_eq!(app.session().turns().len(), 2);
    play_recorded(&mut app, &recording, started(&effects));
    assert!(app.engine.is_finished());
    assert!(app.session().tree.get("B1").is_some());
    assert_eq!(
        app.session().verdict.as_ref().map(|v| v.winner),
        Some(Side::A),
        "the recorded verdict comes back after its turn"
    );
}

#[test]
fn navigation_keys_follow_focus() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    play(&mut app, &spec, TURN_A);
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
    assert_eq!(
        app.dialog,
        Some(Dialog::Help(dialogs::HelpDialog { scroll: 0 }))
    );
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(
        app.dialog,
        Some(Dialog::Help(dialogs::HelpDialog { scroll: 1 }))
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.dialog, None);
}

#[test]
fn a_live_debate_without_a_question_asks_for_one() {
    let mut setup = DemoScript::bundled().unwrap().setup();
    setup.question = String::new();
    let target = SaveTarget::New {
        dir: "/sessions".into(),
        name: None,
    };
    let engine = Engine::new(
        Session::new(setup, t0()),
        Mode::Live,
        EngineConfig::default(),
        Some(target.clone()),
    );
    let mut app = App::new(engine, Settings::default());
    assert!(app.start(t0()).is_empty());
    assert!(matches!(app.dialog, Some(Dialog::Start(_))));
    assert!(
        key(&mut app, KeyCode::Enter).is_empty(),
        "an empty question is not accepted"
    );
    assert!(matches!(app.dialog, Some(Dialog::Start(_))));
    chars(&mut app, "Is tea better than coffee?");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(app.dialog, None);
    assert_eq!(saves(&effects), 1);
    assert_eq!(started(&effects).map(|s| s.turn), Some(0));
    assert_eq!(app.session().question, "Is tea better than coffee?");
    assert_eq!(app.session().tree.root().text, "Is tea better than coffee?");
    let job = outputs(&effects)
        .into_iter()
        .find_map(|o| match o {
            Output::Save(job) => Some(job.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(job.target, target, "a new file in the sessions folder");
    assert!(
        job.session
            .file_name()
            .contains("is-tea-better-than-coffee"),
        "named after the question: {}",
        job.session.file_name()
    );
}

#[test]
fn esc_stops_a_streaming_turn_then_r_retries_it_and_s_skips_it() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    delta(&mut app, &spec, "Half");
    let effects = key(&mut app, KeyCode::Esc);
    assert_eq!(cancelled(&effects), vec![0]);
    assert_eq!(saves(&effects), 1);
    assert_eq!(app.session().turns()[0].status, TurnStatus::Stopped);
    assert_eq!(app.session().turns()[0].text, "Half");
    assert!(app.engine.is_paused());
    let effects = key(&mut app, KeyCode::Char('r'));
    let retry = started(&effects).expect("r retries");
    assert_eq!(retry.turn, 0, "the stopped turn is retried in place");
    assert_eq!(app.session().turns().len(), 1);
    assert_eq!(app.session().turns()[0].attempts[0].text, "Half");
    // Esc stops the retry too, before its first word.
    let effects = key(&mut app, KeyCode::Esc);
    assert_eq!(cancelled(&effects), vec![0]);
    let effects = key(&mut app, KeyCode::Char('s'));
    assert_eq!(saves(&effects), 1);
    assert!(app.session().turns()[0].skipped);
    assert_eq!(app.session().next_slot(), Some((1, Side::B)));
    let effects = key(&mut app, KeyCode::Char('r'));
    assert_eq!(started(&effects), None, "nothing to retry after a skip");
    assert!(notice(&app).contains("there is none"));
}

#[test]
fn the_stream_rate_is_measured_while_a_turn_streams() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    for i in 0..20 {
        app.update(
            Msg::Engine(Input::Stream {
                turn: spec.turn,
                attempt: spec.attempt,
                event: StreamEvent::Delta("w ".into()),
            }),
            t0() + time::Duration::milliseconds(100 * i),
        );
    }
    assert_eq!(
        app.engine.activity(),
        vec![crate::engine::Activity::Streaming {
            turn: 0,
            first_token_at: t0()
        }]
    );
    // 20 words in the 1.9 s since the first: 10.5 words a second.
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let now = t0() + time::Duration::milliseconds(1900);
    terminal
        .draw(|f| crate::ui::draw(f, &app, &mut crate::ui::Ui::default(), now))
        .unwrap();
    let screen = format!("{}", terminal.backend());
    assert!(screen.contains("20 words · 11 words/s"), "{screen}");
}

/// The demo played to its end, with drills allowed where the script has them.
fn finished_demo_with(session: Session, save_to: SaveTarget) -> App {
    let script = DemoScript::bundled().unwrap();
    let cfg = EngineConfig {
        drill_rounds: script.drill_rounds(),
        ..EngineConfig::default()
    };
    let engine = Engine::new(session, Mode::Live, cfg, Some(save_to));
    let settings = Settings {
        drillable: Some(script.subdebates.iter().map(|s| s.node.clone()).collect()),
        sessions_dir: Some("/nonexistent".into()),
        ..Settings::default()
    };
    let mut app = App::new(engine, settings);
    app.update(
        Msg::Resize {
            width: 120,
            height: 40,
        },
        t0(),
    );
    let first = started(&app.start(t0()));
    play_scripted(&mut app, first);
    app
}

fn finished_demo() -> App {
    finished_demo_with(
        demo_session(),
        SaveTarget::File("/nonexistent/demo.json".into()),
    )
}

fn select(app: &mut App, id: &str) {
    app.focus = Focus::Tree;
    let pos = app.session().tree.position(id).unwrap();
    app.tree.select(pos);
}

#[test]
fn i_on_a_finished_debate_says_no_one_would_read_it() {
    let mut app = finished_demo();
    key(&mut app, KeyCode::Char('i'));
    assert!(app.dialog.is_none(), "no dialog promising a next prompt");
    assert!(
        notice(&app).contains("no debater would read"),
        "{}",
        notice(&app)
    );
}

#[test]
fn drilling_into_a_crux_plays_its_sub_debate_then_goes_back_up() {
    let mut app = finished_demo();
    select(&mut app, "B2");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1, "the drill is a judge event, saved");
    let spec = started(&effects).expect("the sub-debate starts");
    assert_eq!(spec.scope, "B2");
    assert_eq!(app.session().turns()[spec.turn].scope, "B2");
    assert_eq!(app.current_scope(), "B2");
    assert_eq!(
        app.transcript.scope(),
        "B2",
        "the transcript shows the drill"
    );
    assert!(matches!(
        app.session().judge_events.last().unwrap().kind,
        JudgeEventKind::Drill { ref node, rounds: 2 } if node == "B2"
    ));
    play_scripted(&mut app, Some(spec));
    assert_eq!(app.session().turns_in("B2").count(), 4);
    assert!(app.session().turns_in("B2").all(|t| t.warnings.is_empty()));
    assert!(app.engine.is_finished(), "the drill is over");
    assert!(notice(&app).contains("drill on B2 is over"));
    // The drill's claims hang under the crux.
    let tree = &app.session().tree;
    assert!(tree.is_within(tree.position("B14").unwrap(), tree.position("B2").unwrap()));
    key(&mut app, KeyCode::Backspace);
    assert_eq!(app.current_scope(), ROOT_ID);
    assert_eq!(app.transcript.scope(), ROOT_ID);
    assert_eq!(
        app.tree.selected(),
        app.session().tree.position("B2").unwrap()
    );
    // Going back in does not start the drill again.
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(started(&effects), None);
    assert_eq!(app.current_scope(), "B2");
}

#[test]
fn the_demo_explains_which_nodes_it_can_drill() {
    let mut app = finished_demo();
    select(&mut app, "A2");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.is_empty());
    assert_eq!(app.current_scope(), ROOT_ID);
    assert!(notice(&app).contains("B2 and B3"));
}

#[test]
fn the_judge_rules_on_a_node_and_decides_the_debate_by_a_crux() {
    let mut app = finished_demo();
    select(&mut app, "B3");
    key(&mut app, KeyCode::Char('w'));
    let Some(Dialog::Verdict(d)) = &app.dialog else {
        panic!("the ruling dialog");
    };
    assert_eq!(d.winner, None, "a ruling opens undecided");
    assert_eq!(d.purpose, dialogs::VerdictPurpose::Node("B3".into()));
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "70");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    let j = app
        .session()
        .tree
        .get("B3")
        .unwrap()
        .judgement
        .clone()
        .unwrap();
    assert_eq!((j.winner, j.confidence), (Side::A, 0.7));
    // A second look starts from the ruling given.
    key(&mut app, KeyCode::Char('w'));
    let Some(Dialog::Verdict(d)) = &app.dialog else {
        panic!("the ruling dialog");
    };
    assert_eq!((d.winner, d.confidence.value), (Some(Side::A), 70));
    key(&mut app, KeyCode::Esc);

    select(&mut app, "B2");
    shift(&mut app, 'D');
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "85");
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "Equity decides it.");
    key(&mut app, KeyCode::Enter);
    let v = app.session().verdict.clone().unwrap();
    assert_eq!(v.winner, Side::B);
    assert_eq!(v.confidence, 0.85);
    assert_eq!(v.decided_by.as_deref(), Some("B2"));
    let b2 = app.session().tree.get("B2").unwrap();
    assert_eq!(b2.judgement.as_ref().unwrap().winner, Side::B);
    let b2 = app.session().tree.position("B2").unwrap();
    assert_eq!(
        app.analysis().unwrap().status[b2],
        crate::domain::NodeStatus::Judged
    );
}

#[test]
fn crux_marks_toggle_against_the_proposal() {
    let mut app = finished_demo();
    select(&mut app, "B2");
    let pos = app.session().tree.position("B2").unwrap();
    assert!(app.analysis().unwrap().proposed_crux[pos]);
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.session().tree.nodes()[pos].crux_mark, Some(false));
    assert!(!app.analysis().unwrap().crux[pos]);
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(
        app.session().tree.nodes()[pos].crux_mark,
        None,
        "agreeing with agon clears the mark"
    );
    select(&mut app, "A2");
    key(&mut app, KeyCode::Char('x'));
    let a2 = app.session().tree.position("A2").unwrap();
    assert_eq!(app.session().tree.nodes()[a2].crux_mark, Some(true));
    assert!(app.analysis().unwrap().crux[a2]);
}

#[test]
fn the_judge_edits_the_tree_and_every_edit_is_an_event() {
    let mut app = finished_demo();
    let before = app.session().judge_events.len();
    select(&mut app, "B3");
    key(&mut app, KeyCode::Char('a'));
    chars(&mut app, "Do footfall counts fall?");
    key(&mut app, KeyCode::Enter);
    let q = app.session().tree.get("Q1").expect("the judge's question");
    assert_eq!(q.parent.as_deref(), Some("B3"));
    assert_eq!(
        app.tree.selected(),
        app.session().tree.position("Q1").unwrap()
    );

    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::End);
    chars(&mut app, " At peak?");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.session().tree.get("Q1").unwrap().text,
        "Do footfall counts fall? At peak?"
    );

    select(&mut app, "B6");
    key(&mut app, KeyCode::Char('m'));
    assert!(matches!(app.pending_edit, Some(PendingEdit::Merge(_))));
    select(&mut app, "B9");
    key(&mut app, KeyCode::Char('m'));
    assert_eq!(
        app.session().tree.get("B6").unwrap().merged_into.as_deref(),
        Some("B9")
    );

    select(&mut app, "Q1");
    shift(&mut app, 'M');
    select(&mut app, "root");
    shift(&mut app, 'M');
    assert_eq!(
        app.session().tree.get("Q1").unwrap().parent.as_deref(),
        Some(ROOT_ID)
    );

    // A refused edit changes nothing and says why.
    select(&mut app, "B2");
    shift(&mut app, 'M');
    select(&mut app, "B5");
    let effects = shift(&mut app, 'M');
    assert_eq!(saves(&effects), 0);
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Warning);
    let kinds: Vec<&str> = app.session().judge_events[before..]
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
    match &app.session().judge_events.last().unwrap().kind {
        JudgeEventKind::MoveNode { from_parent, .. } => assert_eq!(from_parent, "B3"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_replay_brings_back_the_judge_s_work_as_it_happened() {
    let mut live = finished_demo();
    select(&mut live, "B2");
    key(&mut live, KeyCode::Char('w'));
    key(&mut live, KeyCode::Char('b'));
    key(&mut live, KeyCode::Enter);
    select(&mut live, "B3");
    shift(&mut live, 'D');
    key(&mut live, KeyCode::Char('a'));
    key(&mut live, KeyCode::Enter);
    let recording = live.session().clone();
    assert!(recording.verdict.is_some());

    let mut app = replay_app(recording.clone());
    app.start(t0());
    let effects = key(&mut app, KeyCode::Char(' '));
    play_recorded(&mut app, &recording, started(&effects));
    assert_eq!(app.session().turns().len(), recording.turns().len());
    assert_eq!(app.session().tree, recording.tree);
    assert_eq!(
        app.session()
            .verdict
            .as_ref()
            .unwrap()
            .decided_by
            .as_deref(),
        Some("B3")
    );
    assert_eq!(
        app.session().judge_events.len(),
        recording.judge_events.len()
    );
}

#[test]
fn the_judge_tags_a_turn_and_a_span_then_edits_deletes_and_undoes() {
    let mut app = finished_demo();
    key(&mut app, KeyCode::Char('['));
    let turn = app.selected_turn().unwrap();
    assert_eq!(turn, 6, "[ from the newest turn selects the one before");
    key(&mut app, KeyCode::Char('t'));
    assert!(matches!(app.dialog, Some(Dialog::Tags(_))));
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "no source");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    let a = &app.session().annotations[0];
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
    let span = app.session().annotations[1].clone();
    let text = &app.session().turns()[turn].text;
    let quote = span.quote.clone().unwrap();
    let range = span.span.unwrap();
    assert_eq!(&text[range.start..range.end], quote);
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
        app.session().annotations[0].tags,
        vec!["unsupported", "strong-evidence"]
    );
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.session().annotations.len(), 1);
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(app.session().annotations.len(), 2);
    assert!(notice(&app).contains("delete annotation"));
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(
        app.session().annotations[0].tags,
        vec!["unsupported"],
        "the edit is undone too"
    );
}

#[test]
fn the_judge_speaks_to_a_debater_and_it_reaches_the_next_prompt() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    key(&mut app, KeyCode::Char('i'));
    assert!(
        app.dialog.is_none(),
        "nothing to answer before the first turn"
    );
    key(&mut app, KeyCode::Char(' '));
    play(&mut app, &spec, TURN_A);
    key(&mut app, KeyCode::Char('i'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "Give a number.");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(saves(&effects), 1);
    assert!(notice(&app).contains("debater B"));
    let spec = started(&key(&mut app, KeyCode::Char('n'))).unwrap();
    assert_eq!(spec.side, Side::B);
    let prompt =
        crate::providers::prompt::turn_message(app.session(), spec.side, spec.round, &spec.scope);
    assert!(prompt.contains("The judge asks you to address, in this turn: Give a number."));
}

#[test]
fn the_judge_adds_a_round_and_ends_early_and_the_verdict_says_why() {
    let mut app = demo_app();
    let spec = started(&app.start(t0())).unwrap();
    key(&mut app, KeyCode::Char(' '));
    play(&mut app, &spec, TURN_A);
    let rounds = app.session().protocol.rounds;
    key(&mut app, KeyCode::Char('+'));
    assert_eq!(app.session().protocol.rounds, rounds + 1);
    shift(&mut app, 'E');
    chars(&mut app, "clear already");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.session().ended_early.as_deref(), Some("clear already"));
    assert!(app.engine.is_finished());
    let effects = key(&mut app, KeyCode::Char('n'));
    assert_eq!(started(&effects), None);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.session().verdict.as_ref().unwrap().ended,
        "the judge ended the debate early: clear already"
    );
}

#[test]
fn a_multi_line_rationale_and_the_editor() {
    let mut app = demo_app();
    app.start(t0());
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('a'));
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
        app.session().verdict.as_ref().unwrap().rationale,
        "Longer reasons.\nWith lines."
    );
}

#[test]
fn ground_truth_stays_hidden_until_the_verdict_then_scores_it() {
    let mut session = demo_session();
    session.ground_truth = Some(Side::B);
    let mut app = live_app(session, Settings::default());
    app.start(t0());
    assert!(app.scores().is_none());
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Tab);
    chars(&mut app, "80");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.dialog, Some(Dialog::Result(dialogs::ResultDialog)));
    let s = app.scores().unwrap();
    assert!(s.correct);
    assert!((s.log_score - 0.8f64.log2()).abs() < 1e-9);
    assert!((s.brier - 0.04).abs() < 1e-9);
    assert_eq!(s.turns, 0, "the verdict came before any turn finished");
}

/// The whole screen as text, drawn after the app acted.
fn screen(app: &App) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| crate::ui::draw(f, app, &mut crate::ui::Ui::default(), t0()))
        .unwrap();
    format!("{}", terminal.backend())
}

#[test]
fn blind_judging_hides_the_debaters_until_the_verdict() {
    let settings = Settings {
        blind: true,
        source_label: "scripted demo".into(),
        ..Settings::default()
    };
    let mut app = live_app(demo_session(), settings);
    let spec = started(&app.start(t0())).unwrap();
    let spec = started(&play(&mut app, &spec, TURN_A)).unwrap();
    let before = screen(&app);
    assert!(before.contains("blind"), "{before}");
    assert!(before.contains("Debater A"), "{before}");
    assert!(
        !before.contains("Pro") && !before.contains("scripted demo"),
        "{before}"
    );
    // A provider's error naming the model is redacted in the notice.
    assert!(
        !before.contains("[hidden]"),
        "no word is cut into: {before}"
    );
    let model = app.session().debaters[1].model.clone();
    fail(
        &mut app,
        &spec,
        ProviderError::new(format!("scripted model {model} is overloaded")),
    );
    let text = notice(&app);
    assert!(
        !text.contains("scripted") && !text.contains(&model),
        "{text}"
    );
    assert!(
        text.contains("[hidden] model [hidden] is overloaded"),
        "{text}"
    );
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Enter);
    assert!(!app.is_blind());
    let after = screen(&app);
    assert!(
        after.contains("A Pro"),
        "revealed after the verdict: {after}"
    );
}

#[test]
fn a_replay_goes_to_any_turn_as_it_stood_and_reads_out_the_judge_s_timeline() {
    let live = finished_demo();
    let recording = {
        let mut s = live.session().clone();
        s.judge_events.clear();
        // Credences after turns 2 and 6.
        for (turns, p) in [(2usize, 0.3), (6, 0.8)] {
            s.judge_events.push(crate::domain::JudgeEvent {
                at: t0(),
                after_turn: Some(turns - 1),
                kind: JudgeEventKind::Credence {
                    node: ROOT_ID.into(),
                    p_a: p,
                    reason: None,
                },
            });
        }
        s.rebuild();
        s
    };
    let mut app = replay_app(recording.clone());
    app.start(t0());
    key(&mut app, KeyCode::Char('#'));
    assert!(matches!(app.dialog, Some(Dialog::Prompt(_))));
    chars(&mut app, "4");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.session().turns().len(), 4);
    assert_eq!(
        app.session().credence(ROOT_ID),
        Some(0.3),
        "as it stood after turn 4"
    );
    assert!(app.session().tree.get("A1").is_some());
    assert!(notice(&app).contains("At turn 4 of 8"));
    // Stepping on plays turn 5, and after turn 6 the timeline reads out the judge's credence.
    let spec = started(&key(&mut app, KeyCode::Char('n'))).unwrap();
    assert_eq!(spec.turn, 4);
    play(&mut app, &spec, &recording.turns()[4].text);
    let spec = started(&key(&mut app, KeyCode::Char('n'))).unwrap();
    play(&mut app, &spec, &recording.turns()[5].text);
    assert_eq!(app.session().credence(ROOT_ID), Some(0.8));
    assert!(notice(&app).contains("After turn 6, the judge: P(A) 80%"));
}

#[test]
fn a_second_judge_rejudges_blind_and_the_first_judgement_is_untouched() {
    let mut live = finished_demo();
    select(&mut live, "B2");
    key(&mut live, KeyCode::Char('w'));
    key(&mut live, KeyCode::Char('b'));
    key(&mut live, KeyCode::Enter);
    let mut recording = live.session().clone();
    recording.record_verdict(Side::B, 0.7, "first".into(), None, t0());

    let judge = JudgeInfo {
        blind: true,
        ..JudgeInfo::default()
    };
    let engine = Engine::rejudge(
        recording.clone(),
        judge,
        EngineConfig::default(),
        Some("/s/x.json".into()),
        t0(),
    );
    let settings = Settings {
        blind: true,
        ..Settings::default()
    };
    let mut app = App::new(engine, settings);
    assert!(
        app.start(t0()).is_empty(),
        "nothing to save before the judge judges"
    );
    assert!(app.session().verdict.is_none() && app.session().judge_events.is_empty());
    assert!(app.is_blind());
    // Step through, judging as the turns come: the earlier judge's work never shows.
    let mut next = started(&key(&mut app, KeyCode::Char(' ')));
    while let Some(spec) = next {
        let text = recording.turns()[spec.turn].text.clone();
        next = started(&play(&mut app, &spec, &text));
        assert!(
            app.session()
                .tree
                .get("B2")
                .is_none_or(|n| n.judgement.is_none())
        );
    }
    assert_eq!(app.session().turns().len(), recording.turns().len());
    key(&mut app, KeyCode::Char('c'));
    chars(&mut app, "55");
    let file = saved(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        file.judge_events, recording.judge_events,
        "the first judge's events"
    );
    assert_eq!(file.verdict, recording.verdict);
    assert_eq!(file.judgements.len(), 1);
    assert_eq!(file.judgements[0].judge_events.len(), 1);
    assert!(file.judgements[0].blind);
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Char('a'));
    let file = saved(&key(&mut app, KeyCode::Enter));
    assert_eq!(file.judgements[0].verdict.as_ref().unwrap().winner, Side::A);
    assert_eq!(file.verdict.as_ref().unwrap().rationale, "first");
    // Drills, messages and new rounds belong to live debates.
    key(&mut app, KeyCode::Char('i'));
    assert!(app.dialog.is_none());
    assert!(notice(&app).contains("Not while re-judging"));

    // The file holds both judges' work, each on its own.
    let verdicts: Vec<(u32, bool, Option<Side>)> = file
        .all_judgements()
        .iter()
        .map(|j| (j.id, j.blind, j.verdict.map(|v| v.winner)))
        .collect();
    assert_eq!(
        verdicts,
        vec![(0, false, Some(Side::B)), (1, true, Some(Side::A))]
    );
    let second = file.as_judged_by(1).unwrap();
    assert_eq!(second.verdict.as_ref().unwrap().winner, Side::A);
}

#[test]
fn in_a_short_debate_every_turn_can_be_chosen_for_tagging() {
    let mut app = demo_app();
    app.update(
        Msg::Resize {
            width: 120,
            height: 40,
        },
        t0(),
    );
    let spec = started(&app.start(t0())).unwrap();
    let spec = started(&play(&mut app, &spec, "Short.")).unwrap();
    key(&mut app, KeyCode::Char(' '));
    play(&mut app, &spec, "Also short.");
    // Everything fits: the view cannot scroll.
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(app.selected_turn(), Some(0));
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.selected_turn(), Some(1));
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.session().annotations[0].turn, Some(1));
    key(&mut app, KeyCode::Char('['));
    assert_eq!(app.selected_turn(), Some(0));
}

#[test]
fn scrolling_follows_the_pane_s_size() {
    let mut app = finished_demo();
    app.update(
        Msg::Resize {
            width: 80,
            height: 24,
        },
        t0(),
    );
    let rows = app.transcript.rows();
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::PageDown);
    let moved = app.transcript_top();
    app.update(
        Msg::Resize {
            width: 120,
            height: 40,
        },
        t0(),
    );
    assert!(
        app.transcript.rows() > rows,
        "a taller terminal, a taller pane"
    );
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::PageDown);
    assert_ne!(app.transcript_top(), moved, "a page is the pane's height");
}

/// The session id of the fork the effects write.
fn effects_fork_key(effects: &[Effect]) -> String {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveFile(job) => Some(job.key.clone()),
            _ => None,
        })
        .expect("a fork")
}

#[test]
fn f_forks_the_debate_after_the_selected_turn() {
    let mut app = finished_demo_with(
        demo_session(),
        SaveTarget::File("/sessions/original.json".into()),
    );
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.selected_turn(), Some(2));
    let effects = shift(&mut app, 'F');
    let job = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveFile(job) => Some(job.clone()),
            _ => None,
        })
        .expect("the fork is written");
    let SaveTarget::New { dir, name } = &job.target else {
        panic!("a new file: {:?}", job.target);
    };
    assert_eq!(
        dir.to_str(),
        Some("/nonexistent"),
        "into the sessions directory"
    );
    assert!(
        name.as_deref().unwrap().ends_with("_fork3.json"),
        "{name:?}"
    );
    let fork = &job.session;
    assert_eq!(job.key, fork.id);
    assert_eq!(fork.turns().len(), 3);
    let origin = fork.forked_from.clone().unwrap();
    assert_eq!(origin.turns_kept, 3);
    assert_eq!(origin.file.as_deref(), Some("/sessions/original.json"));
    assert_eq!(
        app.session().turns().len(),
        8,
        "the debate itself is unchanged"
    );
    // The judge hears where it went once it is written, or why it was not.
    let written = std::path::PathBuf::from("/nonexistent/fork_fork3.json");
    app.update(
        Msg::Engine(Input::Saved {
            key: job.key.clone(),
            path: Some(written),
            result: Ok(()),
        }),
        t0(),
    );
    assert!(
        notice(&app).contains("Forked after turn 3 into /nonexistent/fork_fork3.json"),
        "{}",
        notice(&app)
    );
    assert!(
        app.engine.saving().error().is_none(),
        "not the session's own save"
    );
    let again = effects_fork_key(&shift(&mut app, 'F'));
    app.update(
        Msg::Engine(Input::Saved {
            key: again,
            path: None,
            result: Err("disk full".into()),
        }),
        t0(),
    );
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Error);
    assert!(notice(&app).contains("disk full"));
    assert!(app.engine.saving().error().is_none());
}
