//! The engine driven input by input, as the driver would drive it: no runtime, no clock.

use super::*;
use crate::domain::{TurnStats, TurnStatus};
use crate::providers::scripted::script::DemoScript;

fn t(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000 + seconds)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn demo_session() -> Session {
    Session::new(DemoScript::bundled().unwrap().setup(), t(0))
}

fn engine(cfg: EngineConfig) -> Engine {
    let target = SaveTarget::File("/nonexistent/s.json".into());
    Engine::new(demo_session(), Mode::Live, cfg, Some(target))
}

fn starts(outputs: &[Output]) -> Vec<TurnSpec> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Start(spec) => Some(spec.clone()),
            _ => None,
        })
        .collect()
}

fn saves(outputs: &[Output]) -> usize {
    outputs
        .iter()
        .filter(|o| matches!(o, Output::Save(_)))
        .count()
}

fn events(outputs: &[Output]) -> Vec<Event> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Event(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn delta(e: &mut Engine, spec: &TurnSpec, text: &str, at: i64) -> Vec<Output> {
    e.handle(
        Input::Stream {
            turn: spec.turn,
            attempt: spec.attempt,
            event: StreamEvent::Delta(text.into()),
        },
        t(at),
    )
}

fn done(e: &mut Engine, spec: &TurnSpec, at: i64) -> Vec<Output> {
    e.handle(
        Input::Stream {
            turn: spec.turn,
            attempt: spec.attempt,
            event: StreamEvent::Done(TurnStats::default()),
        },
        t(at),
    )
}

fn fail(e: &mut Engine, spec: &TurnSpec, error: ProviderError, at: i64) -> Vec<Output> {
    e.handle(
        Input::Failed {
            turn: spec.turn,
            attempt: spec.attempt,
            error,
        },
        t(at),
    )
}

/// Plays the scripted turn a spec asks for and returns what came next.
fn play_scripted(e: &mut Engine, spec: &TurnSpec, at: i64) -> Vec<Output> {
    let script = DemoScript::bundled().unwrap();
    let text = script
        .turn_text(&spec.scope, spec.round, spec.side)
        .unwrap_or("text")
        .to_string();
    delta(e, spec, &text, at);
    done(e, spec, at)
}

#[test]
fn a_debate_plays_turn_by_turn_saving_after_each() {
    let mut e = engine(EngineConfig::default());
    let out = e.start(t(0));
    assert_eq!(saves(&out), 1, "saved before the first turn");
    let mut next = starts(&out);
    let mut played = 0;
    while let Some(spec) = next.pop() {
        assert_eq!(spec.side, if played % 2 == 0 { Side::A } else { Side::B });
        let out = play_scripted(&mut e, &spec, played);
        assert_eq!(saves(&out), 1);
        next = starts(&out);
        played += 1;
    }
    assert_eq!(played, 8);
    assert!(e.is_finished());
    assert_eq!(e.session().status, SessionStatus::Finished);
    assert!(e.session().tree.len() > 20, "the claims built the tree");
}

#[test]
fn a_late_item_of_a_replaced_request_is_dropped() {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    let stale = TurnSpec {
        attempt: spec.attempt + 100,
        ..spec.clone()
    };
    delta(&mut e, &stale, "ghost", 1);
    delta(&mut e, &spec, "real", 1);
    assert_eq!(e.session().turns()[0].text, "real");
}

#[test]
fn a_request_that_fails_before_its_first_token_is_retried_with_backoff() {
    let cfg = EngineConfig {
        retry: RetryPolicy {
            max_retries: 2,
            base_delay: std::time::Duration::from_millis(100),
            max_delay: std::time::Duration::from_secs(1),
        },
        ..EngineConfig::default()
    };
    let mut e = engine(cfg);
    let spec = starts(&e.start(t(0))).remove(0);
    let out = fail(
        &mut e,
        &spec,
        ProviderError::retryable(
            "HTTP 429: slow down",
            Some(std::time::Duration::from_millis(300)),
        ),
        1,
    );
    let wake = out.iter().find_map(|o| match o {
        Output::Wake {
            turn,
            attempt,
            after,
        } => Some((*turn, *attempt, *after)),
        _ => None,
    });
    let (turn, attempt, after) = wake.unwrap();
    assert_eq!(
        after,
        std::time::Duration::from_millis(300),
        "the server's wait"
    );
    assert!(
        events(&out)
            .iter()
            .any(|ev| matches!(ev, Event::Retrying { retry: 1, .. }))
    );
    assert!(matches!(
        e.activity()[0],
        Activity::RetryDue { retry: 1, .. }
    ));
    let out = e.handle(Input::RetryDue { turn, attempt }, t(2));
    let retry = starts(&out).remove(0);
    assert_eq!(retry.attempt, attempt);
    play_scripted(&mut e, &retry, 3);
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Complete);
    assert_eq!(turn.stats.retries, 1);
    assert!(
        turn.attempts.is_empty(),
        "a retry before any text is not an attempt"
    );
}

#[test]
fn retries_stop_at_the_limit_and_the_record_says_how_many() {
    let cfg = EngineConfig {
        retry: RetryPolicy {
            max_retries: 2,
            base_delay: std::time::Duration::from_millis(1),
            max_delay: std::time::Duration::from_millis(1),
        },
        ..EngineConfig::default()
    };
    let mut e = engine(cfg);
    let mut spec = starts(&e.start(t(0))).remove(0);
    for i in 0..2 {
        let out = fail(&mut e, &spec, ProviderError::retryable("HTTP 503", None), i);
        let (turn, attempt) = out
            .iter()
            .find_map(|o| match o {
                Output::Wake { turn, attempt, .. } => Some((*turn, *attempt)),
                _ => None,
            })
            .unwrap();
        spec = starts(&e.handle(Input::RetryDue { turn, attempt }, t(i))).remove(0);
    }
    let out = fail(&mut e, &spec, ProviderError::retryable("HTTP 503", None), 9);
    let failed = events(&out).into_iter().find_map(|ev| match ev {
        Event::TurnFailed {
            error, attempts, ..
        } => Some((error, attempts)),
        _ => None,
    });
    let (error, attempts) = failed.unwrap();
    assert_eq!(attempts, 3);
    assert!(error.contains("gave up after 3 attempts"), "{error}");
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Failed);
    assert_eq!(turn.stats.retries, 2, "the retries made, not the attempts");
    assert!(e.is_paused());
    assert_eq!(saves(&out), 1);
}

#[test]
fn a_failure_after_words_arrived_is_not_retried_and_keeps_them() {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    delta(&mut e, &spec, "Half a thought", 1);
    let out = fail(
        &mut e,
        &spec,
        ProviderError::retryable("connection reset", None),
        2,
    );
    assert!(starts(&out).is_empty());
    assert!(!out.iter().any(|o| matches!(o, Output::Wake { .. })));
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Failed);
    assert_eq!(turn.text, "Half a thought");
}

#[test]
fn retrying_a_failed_turn_keeps_the_attempt_inside_it_and_counts_the_turn_once() {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    delta(&mut e, &spec, "First try", 1);
    fail(&mut e, &spec, ProviderError::new("the stream broke"), 2);
    let out = e.command(Command::Retry, t(3));
    let again = starts(&out).remove(0);
    assert_eq!(again.turn, 0, "the same turn");
    assert!(again.attempt > spec.attempt);
    let out = play_scripted(&mut e, &again, 4);
    // The failure paused the debate; retrying it took the pause back.
    let next = starts(&out).remove(0);
    assert_eq!((next.turn, next.side), (1, Side::B));
    let turn = &e.session().turns()[0];
    assert_eq!(turn.attempts.len(), 1);
    assert_eq!(turn.attempts[0].text, "First try");
    assert_eq!(turn.attempts[0].status, TurnStatus::Failed);
    assert_eq!(e.session().turns().len(), 2);
}

#[test]
fn skip_moves_on_and_nothing_is_retried_or_skipped_when_nothing_failed() {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    let out = e.command(Command::Skip, t(1));
    assert_eq!(events(&out), vec![Event::Refused(Refusal::NothingToSkip)]);
    fail(&mut e, &spec, ProviderError::new("bad key"), 1);
    let out = e.command(Command::Skip, t(2));
    assert!(events(&out).contains(&Event::TurnSkipped { turn: 0 }));
    assert_eq!(e.session().next_slot(), Some((1, Side::B)));
    let out = e.command(Command::Retry, t(3));
    assert_eq!(events(&out), vec![Event::Refused(Refusal::NothingToRetry)]);
}

#[test]
fn stop_keeps_the_text_and_pauses() {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    delta(&mut e, &spec, "So far", 1);
    let out = e.command(Command::Stop, t(2));
    assert!(
        out.iter()
            .any(|o| matches!(o, Output::Cancel { turn: 0, .. }))
    );
    assert_eq!(e.session().turns()[0].status, TurnStatus::Stopped);
    assert!(e.is_paused());
    // Words already in flight change nothing.
    delta(&mut e, &spec, " more", 3);
    assert_eq!(e.session().turns()[0].text, "So far");
}

#[test]
fn a_signal_is_recorded_as_the_reason_a_turn_stopped() {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    delta(&mut e, &spec, "words", 1);
    let out = e.command(Command::Quit(QuitReason::Signal("SIGTERM")), t(2));
    assert_eq!(saves(&out), 1);
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Stopped);
    assert!(
        turn.error
            .as_deref()
            .unwrap_or_default()
            .contains("SIGTERM")
    );
}

#[test]
fn a_streaming_turn_is_checkpointed_within_the_interval() {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    let out = delta(&mut e, &spec, "one ", 10);
    assert_eq!(saves(&out), 0, "just arrived");
    let out = e.handle(Input::Tick, t(11));
    assert_eq!(saves(&out), 0, "a second later: not yet");
    let out = e.handle(Input::Tick, t(12));
    assert_eq!(saves(&out), 1, "1.5 s after the first unsaved word");
    let Output::Save(job) = &out[0] else {
        panic!("a save");
    };
    assert_eq!(job.session.turns()[0].text, "one ");
    assert_eq!(
        saves(&e.handle(Input::Tick, t(13))),
        0,
        "nothing new to save"
    );
}

/// The session a checkpoint wrote while turn 0 streamed `text`: what a SIGKILL leaves on disk.
fn checkpointed_mid_turn(text: &str) -> Session {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    delta(&mut e, &spec, text, 10);
    let out = e.handle(Input::Tick, t(12));
    let Some(Output::Save(job)) = out.into_iter().find(|o| matches!(o, Output::Save(_))) else {
        panic!("a checkpoint");
    };
    *job.session
}

#[test]
fn a_turn_cut_off_mid_stream_is_played_again_keeping_its_text_as_an_attempt() {
    let saved = checkpointed_mid_turn("Cut off here");
    assert_eq!(saved.turns()[0].status, TurnStatus::Streaming);
    let target = SaveTarget::File("/nonexistent/s.json".into());
    let mut e = Engine::new(saved, Mode::Live, EngineConfig::default(), Some(target));
    let out = e.start(t(20));
    let again = starts(&out);
    assert_eq!(again.len(), 1, "one request, for the cut-off turn");
    assert_eq!((again[0].turn, again[0].side), (0, Side::A));
    assert!(events(&out).contains(&Event::TurnStarted { turn: 0 }));
    assert_eq!(saves(&out), 1, "saved with the attempt before any new word");
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Streaming);
    assert_eq!(turn.text, "");
    assert_eq!(turn.attempts.len(), 1);
    assert_eq!(turn.attempts[0].text, "Cut off here");
    assert_eq!(turn.attempts[0].status, TurnStatus::Stopped);
    assert_eq!(turn.attempts[0].error.as_deref(), Some(CUT_OFF));
    let next = starts(&play_scripted(&mut e, &again[0], 21)).remove(0);
    assert_eq!((next.turn, next.side), (1, Side::B), "the debate goes on");
    assert_eq!(e.session().turns().len(), 2, "the turn counts once");
}

#[test]
fn a_cut_off_turn_started_paused_waits_stopped_for_the_judge() {
    let saved = checkpointed_mid_turn("Cut off here");
    let cfg = EngineConfig {
        start_paused: true,
        ..EngineConfig::default()
    };
    let target = SaveTarget::File("/nonexistent/s.json".into());
    let mut e = Engine::new(saved, Mode::Live, cfg, Some(target));
    let out = e.start(t(20));
    assert!(starts(&out).is_empty());
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Stopped);
    assert_eq!(turn.text, "Cut off here");
    let again = starts(&e.command(Command::Retry, t(21))).remove(0);
    assert_eq!(again.turn, 0);
    assert_eq!(e.session().turns()[0].attempts[0].text, "Cut off here");
}

#[test]
fn pausing_waits_between_turns_and_a_step_plays_one() {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    e.command(Command::TogglePause, t(1));
    let out = play_scripted(&mut e, &spec, 2);
    assert!(starts(&out).is_empty());
    let out = e.command(Command::Step, t(3));
    let spec = starts(&out).remove(0);
    let out = play_scripted(&mut e, &spec, 4);
    assert!(starts(&out).is_empty(), "one step is one turn");
    let out = e.command(Command::TogglePause, t(5));
    assert_eq!(starts(&out).len(), 1);
}

#[test]
fn the_judge_ends_early_adds_a_round_and_speaks_into_prompts() {
    let mut e = engine(EngineConfig::default());
    let spec = starts(&e.start(t(0))).remove(0);
    let out = e.command(
        Command::Message {
            to: Some(Side::A),
            text: "Why?".into(),
        },
        t(1),
    );
    assert_eq!(events(&out), vec![Event::Refused(Refusal::FirstTurnFirst)]);
    let out = play_scripted(&mut e, &spec, 2);
    let spec = starts(&out).remove(0);
    let out = e.command(
        Command::Message {
            to: Some(Side::A),
            text: "Cite it.".into(),
        },
        t(3),
    );
    assert!(events(&out).contains(&Event::MessageSent { to: Some(Side::A) }));
    let rounds = e.session().protocol.rounds;
    e.command(Command::AddRound, t(4));
    assert_eq!(e.session().protocol.rounds, rounds + 1);
    let out = e.command(
        Command::EndEarly {
            reason: "clear".into(),
        },
        t(5),
    );
    assert!(
        out.iter()
            .any(|o| matches!(o, Output::Cancel { turn, .. } if *turn == spec.turn))
    );
    assert!(events(&out).contains(&Event::EndedEarly));
    assert!(e.is_finished());
    // Nobody speaks again, so nothing would read a message.
    let out = e.command(
        Command::Message {
            to: None,
            text: "Anyone?".into(),
        },
        t(6),
    );
    assert_eq!(events(&out), vec![Event::Refused(Refusal::NoOneToHear)]);
    assert_eq!(e.session().messages().count(), 1, "only the first message");
}

#[test]
fn a_drill_plays_its_rounds_then_goes_back_up() {
    let cfg = EngineConfig {
        drill_rounds: 1,
        ..EngineConfig::default()
    };
    let mut e = engine(cfg);
    let mut next = starts(&e.start(t(0)));
    for i in 0..2 {
        let spec = next.remove(0);
        next = starts(&play_scripted(&mut e, &spec, i));
    }
    let spec = next.remove(0);
    e.command(Command::TogglePause, t(3));
    play_scripted(&mut e, &spec, 3);
    let node = "B2".to_string();
    let out = e.command(Command::Drill { node: node.clone() }, t(4));
    assert!(events(&out).contains(&Event::Drilled { node: node.clone() }));
    let mut drill = starts(&out);
    let mut played = 0;
    while let Some(spec) = drill.pop() {
        assert_eq!(spec.scope, node);
        drill = starts(&play_scripted(&mut e, &spec, 5 + played));
        played += 1;
    }
    assert_eq!(played, 2, "one round: both sides");
    assert!(e.is_finished(), "the drill is over");
    let out = e.command(Command::Up, t(9));
    assert!(events(&out).contains(&Event::Up {
        scope: ROOT_ID.into()
    }));
    assert!(e.is_paused());
    assert_eq!(e.session().drill_rounds(&node), Some(1));
}

#[test]
fn simultaneous_rounds_start_both_sides_and_hide_them_until_both_are_done() {
    let mut session = demo_session();
    session.protocol.kind = RoundKind::Simultaneous;
    let target = SaveTarget::File("/nonexistent/s.json".into());
    let mut e = Engine::new(session, Mode::Live, EngineConfig::default(), Some(target));
    let specs = starts(&e.start(t(0)));
    assert_eq!(specs.len(), 2);
    assert_eq!((specs[0].side, specs[1].side), (Side::A, Side::B));
    assert!(e.is_hidden(specs[0].turn) && e.is_hidden(specs[1].turn));
    let out = play_scripted(&mut e, &specs[1], 1);
    assert!(starts(&out).is_empty(), "the round is not over");
    assert!(e.is_hidden(specs[1].turn), "B waits for A");
    let out = play_scripted(&mut e, &specs[0], 2);
    assert!(!e.is_hidden(specs[0].turn) && !e.is_hidden(specs[1].turn));
    let next = starts(&out);
    assert_eq!(next.len(), 2);
    assert!(next.iter().all(|s| s.round == 2));
}

#[test]
fn a_turn_past_its_deadline_is_not_retried_again() {
    let cfg = EngineConfig {
        turn_deadline: std::time::Duration::from_secs(10),
        ..EngineConfig::default()
    };
    let mut e = engine(cfg);
    let spec = starts(&e.start(t(0))).remove(0);
    let out = fail(
        &mut e,
        &spec,
        ProviderError::retryable("no first token within 60 s", None),
        30,
    );
    assert!(!out.iter().any(|o| matches!(o, Output::Wake { .. })));
    assert_eq!(e.session().turns()[0].status, TurnStatus::Failed);
}

#[test]
fn a_replay_follows_the_recording_and_saves_nothing() {
    let mut live = engine(EngineConfig::default());
    let mut next = starts(&live.start(t(0)));
    for i in 0..2 {
        let spec = next.remove(0);
        next = starts(&play_scripted(&mut live, &spec, i));
    }
    live.judge(
        JudgeEventKind::Credence {
            node: ROOT_ID.into(),
            p_a: 0.6,
            reason: None,
        },
        t(3),
    )
    .unwrap();
    let recording = live.session().clone();
    let recorded = recording.turns().len();
    let mut e = Engine::replay(recording, EngineConfig::default());
    let out = e.start(t(10));
    assert_eq!(saves(&out), 0);
    assert!(starts(&out).is_empty(), "a replay starts paused");
    let spec = starts(&e.command(Command::Step, t(11))).remove(0);
    play_scripted(&mut e, &spec, 12);
    let spec = starts(&e.command(Command::Step, t(13))).remove(0);
    let out = play_scripted(&mut e, &spec, 14);
    assert!(events(&out).iter().any(|ev| matches!(
        ev,
        Event::Timeline {
            after_turn: Some(1),
            ..
        }
    )));
    assert_eq!(e.session().credence(ROOT_ID), Some(0.6));
    assert_eq!(saves(&out), 0);
    let out = e.command(Command::Seek(0), t(15));
    assert!(events(&out).contains(&Event::Seeked {
        turn: 0,
        of: recorded
    }));
    assert!(e.session().turns().is_empty());
}

#[test]
fn a_rejudgement_saves_the_recording_with_one_more_judgement() {
    let mut live = engine(EngineConfig::default());
    let spec = starts(&live.start(t(0))).remove(0);
    play_scripted(&mut live, &spec, 1);
    live.judge(
        JudgeEventKind::Credence {
            node: ROOT_ID.into(),
            p_a: 0.9,
            reason: None,
        },
        t(2),
    )
    .unwrap();
    let recording = live.session().clone();
    let judge = crate::domain::JudgeInfo {
        blind: true,
        ..Default::default()
    };
    let mut e = Engine::rejudge(
        recording.clone(),
        judge,
        EngineConfig::default(),
        Some("/nonexistent/r.json".into()),
        t(5),
    );
    let out = e.start(t(5));
    assert_eq!(saves(&out), 0, "nothing judged yet: the file is left alone");
    assert_eq!(
        e.session().credence(ROOT_ID),
        None,
        "the first judge's work is hidden"
    );
    let out = e
        .judge(
            JudgeEventKind::Credence {
                node: ROOT_ID.into(),
                p_a: 0.3,
                reason: None,
            },
            t(6),
        )
        .unwrap();
    let Some(Output::Save(job)) = out.iter().find(|o| matches!(o, Output::Save(_))) else {
        panic!("saved");
    };
    assert_eq!(
        job.session.judge_events, recording.judge_events,
        "untouched"
    );
    assert_eq!(job.session.judgements.len(), 1);
    assert!(job.session.judgements[0].blind);
    assert_eq!(job.key, recording.id);
}

#[test]
fn ten_thousand_turns_play_through_the_engine() {
    // The slot index keeps each turn's bookkeeping constant (the bench measures the time).
    let mut session = demo_session();
    session.protocol.rounds = 5_000;
    let mut e = Engine::new(session, Mode::Live, EngineConfig::default(), None);
    let mut next = starts(&e.start(t(0)));
    let mut count = 0;
    while let Some(spec) = next.pop() {
        delta(&mut e, &spec, "A short turn.", 1);
        next = starts(&done(&mut e, &spec, 1));
        count += 1;
    }
    assert_eq!(count, 10_000);
    assert_eq!(e.session().status, SessionStatus::Finished);
}
