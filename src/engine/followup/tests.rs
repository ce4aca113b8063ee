//! Follow-ups driven input by input: when one is asked, what the turn is finished with, and
//! that the tree takes the claims once.

use super::super::*;
use crate::domain::{ClaimSource, FollowupPurpose, Format, TurnStats, TurnStatus};
use crate::providers::FollowupReply;
use crate::providers::scripted::script::DemoScript;

fn t(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000 + seconds)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A two-turn debate (one round, both sides) with repair as given.
fn engine(repair: bool) -> Engine {
    let mut setup = DemoScript::bundled().unwrap().setup();
    setup.protocol.rounds = 1;
    setup.protocol.format = Format::Debate;
    let cfg = EngineConfig {
        repair_claims: [repair; 2],
        ..EngineConfig::default()
    };
    Engine::new(Session::new(setup, t(0)), Mode::Live, cfg, None)
}

fn start(e: &mut Engine) -> TurnSpec {
    match e.start(t(0)).as_slice() {
        [.., Output::Start(spec)] => spec.clone(),
        other => panic!("no start in {other:?}"),
    }
}

fn send(e: &mut Engine, spec: &TurnSpec, event: StreamEvent, at: i64) -> Vec<Output> {
    e.handle(
        Input::Stream {
            turn: spec.turn,
            attempt: spec.attempt,
            event,
        },
        t(at),
    )
}

fn stats(output_tokens: u64) -> TurnStats {
    TurnStats {
        output_tokens: Some(output_tokens),
        ..TurnStats::default()
    }
}

fn followup_of(out: &[Output]) -> Option<FollowupSpec> {
    out.iter().find_map(|o| match o {
        Output::Followup(f) => Some(f.clone()),
        _ => None,
    })
}

fn starts(out: &[Output]) -> usize {
    out.iter().filter(|o| matches!(o, Output::Start(_))).count()
}

fn answer(
    e: &mut Engine,
    f: &FollowupSpec,
    result: Result<FollowupReply, ProviderError>,
) -> Vec<Output> {
    e.handle(
        Input::Followup {
            turn: f.spec.turn,
            attempt: f.spec.attempt,
            result,
        },
        t(9),
    )
}

const JSON: &str = r#"{"claims":[{"id":"A1","relation":"supports","target":"root","text":"Traffic fell."}],"concessions":[]}"#;

#[test]
fn claims_from_the_stream_are_used_without_a_second_request() {
    let mut e = engine(true);
    let spec = start(&mut e);
    send(
        &mut e,
        &spec,
        StreamEvent::Delta("A speech with no block.".into()),
        1,
    );
    send(&mut e, &spec, StreamEvent::Claims(JSON.into()), 2);
    let out = send(&mut e, &spec, StreamEvent::Done(stats(10)), 3);
    assert_eq!(followup_of(&out), None);
    assert_eq!(starts(&out), 1, "the next turn starts at once");
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Complete);
    assert_eq!(turn.claims.len(), 1);
    assert_eq!(turn.claims[0].source, ClaimSource::Structured);
    assert!(e.session().tree.get("A1").is_some());
}

#[test]
fn an_unreadable_turn_is_repaired_once_and_the_tree_grows_once() {
    let mut e = engine(true);
    let spec = start(&mut e);
    send(
        &mut e,
        &spec,
        StreamEvent::Delta("I forgot the block.".into()),
        1,
    );
    let out = send(&mut e, &spec, StreamEvent::Done(stats(10)), 3);
    let f = followup_of(&out).expect("a repair is asked");
    assert_eq!(f.purpose, FollowupPurpose::Repair);
    assert_eq!(f.spec.turn, 0);
    assert_ne!(f.spec.attempt, spec.attempt);
    assert_eq!(starts(&out), 0, "nothing else starts meanwhile");
    assert_eq!(e.session().turns()[0].status, TurnStatus::Streaming);
    assert!(matches!(
        e.activity().as_slice(),
        [Activity::ReadingClaims { turn: 0, .. }]
    ));
    assert!(!e.is_finished());
    let reply = FollowupReply {
        text: JSON.into(),
        json: true,
        stats: stats(4),
        note: None,
    };
    let out = answer(&mut e, &f, Ok(reply.clone()));
    assert_eq!(starts(&out), 1);
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Complete);
    assert_eq!(turn.claims[0].source, ClaimSource::Repair);
    assert_eq!(turn.stats.output_tokens, Some(10));
    assert_eq!(turn.followups.len(), 1);
    assert_eq!(turn.followups[0].stats.output_tokens, Some(4));
    assert_eq!(turn.total_output_tokens(), Some(14));
    assert_eq!(e.session().tree.len(), 2, "root and A1, once");
    // A late second answer changes nothing.
    answer(&mut e, &f, Ok(reply));
    assert_eq!(e.session().tree.len(), 2);
}

#[test]
fn repair_off_or_a_readable_block_asks_nothing() {
    let mut e = engine(false);
    let spec = start(&mut e);
    send(&mut e, &spec, StreamEvent::Delta("No block.".into()), 1);
    let out = send(&mut e, &spec, StreamEvent::Done(stats(1)), 2);
    assert_eq!(followup_of(&out), None);
    assert!(
        e.session().turns()[0]
            .warnings
            .iter()
            .any(|w| w.starts_with("no claims block"))
    );

    let mut e = engine(true);
    let spec = start(&mut e);
    let text = "Closing.\n\n```claims\n```\n";
    send(&mut e, &spec, StreamEvent::Delta(text.into()), 1);
    let out = send(&mut e, &spec, StreamEvent::Done(stats(1)), 2);
    assert_eq!(followup_of(&out), None, "an empty block is a choice");
}

#[test]
fn claims_promised_for_later_are_asked_for_even_with_repair_off() {
    let mut e = engine(false);
    let spec = start(&mut e);
    send(
        &mut e,
        &spec,
        StreamEvent::Note("the server said so".into()),
        0,
    );
    send(&mut e, &spec, StreamEvent::Delta("Speech.".into()), 1);
    send(&mut e, &spec, StreamEvent::ClaimsLater, 2);
    let out = send(&mut e, &spec, StreamEvent::Done(stats(1)), 3);
    let f = followup_of(&out).expect("the claims come later");
    assert_eq!(f.purpose, FollowupPurpose::Structured);
    let reply = FollowupReply {
        text: "```claims\nA1 supports root: Traffic fell.\n```".into(),
        json: false,
        stats: stats(2),
        note: Some("the server refused structured claims: read the claims block instead".into()),
    };
    answer(&mut e, &f, Ok(reply));
    let turn = &e.session().turns()[0];
    assert_eq!(turn.claims[0].source, ClaimSource::Structured);
    assert_eq!(
        turn.warnings,
        [
            "the server said so",
            "the server refused structured claims: read the claims block instead"
        ]
    );
}

#[test]
fn a_failed_followup_leaves_the_text_and_a_warning() {
    let mut e = engine(true);
    let spec = start(&mut e);
    let text = "Prose.\n\n```claims\nnonsense here\n```\n";
    send(&mut e, &spec, StreamEvent::Delta(text.into()), 1);
    let out = send(&mut e, &spec, StreamEvent::Done(stats(1)), 2);
    let f = followup_of(&out).expect("a block with nothing readable is repaired");
    let out = answer(&mut e, &f, Err(ProviderError::new("HTTP 500")));
    assert_eq!(starts(&out), 1, "the debate goes on");
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Complete);
    assert_eq!(turn.stats.retries, 0, "never a retry of the turn");
    assert_eq!(turn.followups[0].error.as_deref(), Some("HTTP 500"));
    assert_eq!(
        turn.warnings[0],
        "asking for the claims again failed (HTTP 500); the turn's text gave its claims"
    );
}

#[test]
fn stopping_while_claims_are_read_completes_the_turn() {
    let mut e = engine(true);
    let spec = start(&mut e);
    send(&mut e, &spec, StreamEvent::Delta("No block.".into()), 1);
    let out = send(&mut e, &spec, StreamEvent::Done(stats(1)), 2);
    let f = followup_of(&out).unwrap();
    let out = e.command(Command::Stop, t(3));
    assert!(out.iter().any(|o| matches!(
        o,
        Output::Cancel { turn: 0, attempt } if *attempt == f.spec.attempt
    )));
    assert!(out.contains(&Output::Event(Event::TurnComplete { turn: 0 })));
    assert!(e.is_paused());
    let turn = &e.session().turns()[0];
    assert_eq!(turn.status, TurnStatus::Complete);
    assert_eq!(turn.followups[0].error.as_deref(), Some("stopped"));
    // The cancelled answer, arriving late, is dropped.
    answer(
        &mut e,
        &f,
        Ok(FollowupReply {
            text: JSON.into(),
            json: true,
            stats: stats(1),
            note: None,
        }),
    );
    assert!(e.session().turns()[0].claims.is_empty());
}

#[test]
fn a_failed_speech_forgets_its_claims() {
    let mut e = engine(true);
    let spec = start(&mut e);
    send(&mut e, &spec, StreamEvent::Delta("Half".into()), 1);
    send(&mut e, &spec, StreamEvent::Claims(JSON.into()), 1);
    e.handle(
        Input::Failed {
            turn: 0,
            attempt: spec.attempt,
            error: ProviderError::new("cut"),
        },
        t(2),
    );
    assert_eq!(e.session().turns()[0].status, TurnStatus::Failed);
    assert_eq!(e.session().tree.len(), 1);
    assert!(e.claims.gathered.is_empty());
}

#[test]
fn a_refusal_before_a_retry_is_still_told() {
    let mut e = engine(false);
    let spec = start(&mut e);
    send(&mut e, &spec, StreamEvent::Note("refused".into()), 0);
    let out = e.handle(
        Input::Failed {
            turn: 0,
            attempt: spec.attempt,
            error: ProviderError::retryable("HTTP 503", None),
        },
        t(1),
    );
    let (turn, attempt) = out
        .iter()
        .find_map(|o| match o {
            Output::Wake { turn, attempt, .. } => Some((*turn, *attempt)),
            _ => None,
        })
        .expect("a retry is due");
    let out = e.handle(Input::RetryDue { turn, attempt }, t(2));
    let retry = match out.as_slice() {
        [Output::Start(s)] => s.clone(),
        other => panic!("{other:?}"),
    };
    send(
        &mut e,
        &retry,
        StreamEvent::Delta("Closing.\n\n```claims\n```\n".into()),
        3,
    );
    send(&mut e, &retry, StreamEvent::Done(stats(1)), 4);
    assert_eq!(e.session().turns()[0].warnings, ["refused"]);
}

#[test]
fn a_replay_plays_back_the_recorded_claims_not_the_text() {
    let mut e = engine(true);
    let spec = start(&mut e);
    send(
        &mut e,
        &spec,
        StreamEvent::Delta("Prose with no block.".into()),
        1,
    );
    send(&mut e, &spec, StreamEvent::Claims(JSON.into()), 1);
    let out = send(&mut e, &spec, StreamEvent::Done(stats(1)), 2);
    let next = match out.iter().find(|o| matches!(o, Output::Start(_))) {
        Some(Output::Start(s)) => s.clone(),
        _ => panic!("no second turn"),
    };
    send(&mut e, &next, StreamEvent::Delta("B's speech.".into()), 3);
    send(&mut e, &next, StreamEvent::Done(stats(1)), 4);
    let recording = e.session().clone();

    let mut r = Engine::replay(recording.clone(), EngineConfig::default());
    r.start(t(10));
    let mut outputs = r.command(Command::Step, t(11));
    for step in 0..2 {
        let Some(Output::Start(spec)) = outputs.iter().find(|o| matches!(o, Output::Start(_)))
        else {
            panic!("step {step} started nothing: {outputs:?}");
        };
        let spec = spec.clone();
        let text = recording.turns()[spec.turn].text.clone();
        send(&mut r, &spec, StreamEvent::Delta(text), 12);
        outputs = send(&mut r, &spec, StreamEvent::Done(stats(1)), 13);
        assert_eq!(followup_of(&outputs), None, "a replay never asks");
        if step == 0 {
            outputs = r.command(Command::Step, t(14));
        }
    }
    assert_eq!(r.session().tree, recording.tree);
    assert_eq!(r.session().turns()[0].claims, recording.turns()[0].claims);
    assert_eq!(
        r.session().turns()[1].warnings,
        recording.turns()[1].warnings
    );
}
