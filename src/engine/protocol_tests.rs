//! Open roles and the LLM judge, input by input: the questions the engine puts to models, what
//! it does with their answers, and what it records.

use super::*;
use crate::domain::{Assignment, Format, JudgeKind, Roles, TurnStats};
use crate::providers::scripted::script::DemoScript;

fn t(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000 + seconds)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn session(format: Format, roles: Roles, rounds: u32) -> Session {
    let mut setup = DemoScript::bundled().unwrap().setup();
    setup.positions = crate::domain::Positions {
        a: "first answer".into(),
        b: "second answer".into(),
    };
    setup.protocol.format = format;
    setup.protocol.roles = roles;
    setup.protocol.rounds = rounds;
    if format == Format::Consultancy {
        setup.debaters.truncate(1);
    }
    let mut s = Session::new(setup, t(0));
    s.ground_truth = Some(Side::A);
    s.assignment = Some(Assignment {
        seed: 1,
        swapped: false,
        consultant: (format == Format::Consultancy).then_some(Side::B),
        chooser: (roles == Roles::Open).then_some(Side::B),
        choice: None,
    });
    if format == Format::Consultancy {
        s.debaters[0].side = Side::B;
    }
    s.reindex();
    s
}

fn judge(when: JudgeWhen) -> LlmJudge {
    LlmJudge {
        name: "openai:judge-1".into(),
        when,
        sees_source: false,
        prompt: crate::providers::asks::DEFAULT_JUDGE_PROMPT.into(),
    }
}

fn engine(s: Session, llm: Option<LlmJudge>) -> Engine {
    let cfg = EngineConfig {
        llm_judge: llm,
        ..EngineConfig::default()
    };
    Engine::new(s, Mode::Live, cfg, None)
}

fn asks(out: &[Output]) -> Vec<(u32, Asked, crate::providers::asks::Ask)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Ask { id, to, ask, .. } => Some((*id, *to, ask.clone())),
            _ => None,
        })
        .collect()
}

fn starts(out: &[Output]) -> Vec<TurnSpec> {
    out.iter()
        .filter_map(|o| match o {
            Output::Start(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

fn answer(e: &mut Engine, id: u32, text: &str, at: i64) -> Vec<Output> {
    e.handle(
        Input::Answer {
            id,
            result: Ok(text.into()),
        },
        t(at),
    )
}

/// Plays a turn with `text`; returns what followed.
fn play(e: &mut Engine, spec: &TurnSpec, text: &str, at: i64) -> Vec<Output> {
    e.handle(
        Input::Stream {
            turn: spec.turn,
            attempt: spec.attempt,
            event: StreamEvent::Delta(text.into()),
        },
        t(at),
    );
    e.handle(
        Input::Stream {
            turn: spec.turn,
            attempt: spec.attempt,
            event: StreamEvent::Done(TurnStats::default()),
        },
        t(at),
    )
}

#[test]
fn open_roles_ask_the_chooser_first_and_its_side_takes_the_answer() {
    let mut e = engine(session(Format::Debate, Roles::Open, 1), None);
    let out = e.start(t(0));
    assert!(starts(&out).is_empty(), "nobody speaks before the choice");
    let asked = asks(&out);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].1, Asked::Debater(Side::B));
    assert!(asked[0].2.system.contains("Answer 1: first answer"));
    // B, the chooser, picks answer 1, which the draw had given A: the answers swap, and the
    // ground truth moves with its answer.
    let out = answer(&mut e, asked[0].0, "I will argue answer 1.", 1);
    let s = e.session();
    assert_eq!(s.positions.b, "first answer");
    assert_eq!(s.positions.a, "second answer");
    assert_eq!(s.ground_truth, Some(Side::B));
    let a = s.assignment.as_ref().unwrap();
    assert!(a.swapped);
    assert_eq!(a.choice.as_ref().unwrap().answer, Some(0));
    assert_eq!(a.choice.as_ref().unwrap().reply, "I will argue answer 1.");
    assert!(s.debater(Side::B).unwrap().chose_side);
    assert!(!s.debater(Side::A).unwrap().chose_side);
    assert!(out.iter().any(|o| matches!(
        o,
        Output::Event(Event::Chose {
            side: Side::B,
            answer: Some(0)
        })
    )));
    assert_eq!(starts(&out).len(), 1, "then the debate begins");
}

#[test]
fn an_unreadable_choice_leaves_the_draw_and_says_so() {
    let mut e = engine(session(Format::Consultancy, Roles::Open, 1), None);
    let asked = asks(&e.start(t(0)));
    let out = answer(&mut e, asked[0].0, "Hmm, hard to say.", 1);
    let s = e.session();
    assert_eq!(s.positions.a, "first answer");
    assert_eq!(s.ground_truth, Some(Side::A));
    assert_eq!(
        s.assignment
            .as_ref()
            .unwrap()
            .choice
            .as_ref()
            .unwrap()
            .answer,
        None
    );
    assert!(!s.debaters[0].chose_side);
    assert_eq!(starts(&out)[0].side, Side::B, "the consultant speaks");
}

#[test]
fn a_choice_that_fails_to_arrive_is_retried_then_given_up() {
    let mut e = engine(session(Format::Debate, Roles::Open, 1), None);
    let mut id = asks(&e.start(t(0)))[0].0;
    let max = e.config().retry.max_retries;
    for i in 0..max {
        let out = e.handle(
            Input::Answer {
                id,
                result: Err(ProviderError::retryable("overloaded", None)),
            },
            t(i64::from(i)),
        );
        let again = asks(&out);
        assert_eq!(again.len(), 1, "retry {i}");
        id = again[0].0;
    }
    let out = e.handle(
        Input::Answer {
            id,
            result: Err(ProviderError::retryable("overloaded", None)),
        },
        t(100),
    );
    assert!(
        out.iter()
            .any(|o| matches!(o, Output::Event(Event::AskFailed { .. })))
    );
    assert_eq!(starts(&out).len(), 1, "the debate goes on with the draw");
}

#[test]
fn the_llm_judge_reads_each_turn_and_gives_a_verdict_at_the_end() {
    let mut s = session(Format::Debate, Roles::Assigned, 1);
    s.source_text = Some("The unmistakable heron stood still.".into());
    let mut e = engine(s, Some(judge(JudgeWhen::EachTurn)));
    let spec = starts(&e.start(t(0))).remove(0);
    let out = play(
        &mut e,
        &spec,
        "A's case <quote>The unmistakable heron</quote>.",
        1,
    );
    let asked = asks(&out);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].1, Asked::Judge);
    assert!(
        !asked[0].2.system.contains("unmistakable"),
        "the source is hidden"
    );
    assert!(asked[0].2.user.contains("check=\"verified\""));
    let first = asked[0].0;
    let spec = starts(&out).remove(0);
    let out = play(&mut e, &spec, "B's case.", 2);
    let second = asks(&out)[0].0;
    assert!(!e.is_settled(), "two answers are due");
    // The second answer comes first: the record keeps the turns' order.
    answer(
        &mut e,
        second,
        r#"{"p_a": 0.3, "reason": "B was clearer."}"#,
        3,
    );
    assert!(!e.is_settled());
    let out = answer(&mut e, first, "P(A) = 0.8", 4);
    assert!(e.is_settled());
    assert!(out.iter().any(|o| matches!(
        o,
        Output::Event(Event::LlmVerdict {
            winner: Side::B,
            ..
        })
    )));
    let s = e.session();
    assert_eq!(s.judgements.len(), 1);
    let j = &s.judgements[0];
    assert_eq!(j.kind, JudgeKind::Llm);
    assert_eq!(j.judge.as_deref(), Some("openai:judge-1"));
    assert_eq!(j.mode.as_deref(), Some("each_turn"));
    assert!(j.blind);
    let credences: Vec<(Option<usize>, f64)> = j
        .judge_events
        .iter()
        .filter_map(|e| match &e.kind {
            JudgeEventKind::Credence { p_a, .. } => Some((e.after_turn, *p_a)),
            _ => None,
        })
        .collect();
    assert_eq!(credences, [(Some(0), 0.8), (Some(1), 0.3)]);
    let v = j.verdict.as_ref().unwrap();
    assert_eq!(v.winner, Side::B);
    assert!((v.confidence - 0.7).abs() < 1e-9);
    assert_eq!(v.rationale, "B was clearer.");
    // Scored like any judgement: B is wrong here (the truth is A).
    let scores = s.all_judgements()[1].scores(s).unwrap();
    assert!(!scores.correct);
    assert_eq!(s.verdict, None, "the human's verdict is the human's");
}

#[test]
fn a_judge_at_the_end_is_asked_once_and_a_rambling_one_is_asked_again() {
    let mut e = engine(
        session(Format::Debate, Roles::Assigned, 1),
        Some(judge(JudgeWhen::End)),
    );
    let spec = starts(&e.start(t(0))).remove(0);
    let out = play(&mut e, &spec, "A.", 1);
    assert!(asks(&out).is_empty(), "not after each turn");
    let spec = starts(&out).remove(0);
    let out = play(&mut e, &spec, "B.", 2);
    let asked = asks(&out);
    assert_eq!(asked.len(), 1);
    assert!(asked[0].2.user.contains("2 of the 2 planned speeches"));
    let out = answer(&mut e, asked[0].0, "I would need to think more.", 3);
    let again = asks(&out);
    assert_eq!(again.len(), 1, "asked again once");
    let stats = crate::domain::TurnStats {
        input_tokens: Some(900),
        output_tokens: Some(12),
        cost_usd: Some(0.002),
        ..Default::default()
    };
    e.handle(
        Input::Answer {
            id: again[0].0,
            result: Ok(super::Reply {
                text: "75%".into(),
                stats,
            }),
        },
        t(4),
    );
    let j = &e.session().judgements[0];
    // Both requests cost: the rambling one (which reported no tokens) and the answer.
    let usage = j.usage.as_ref().unwrap();
    assert_eq!(usage.requests, 2);
    assert_eq!(usage.input_tokens, Some(900));
    assert_eq!(usage.cost_usd, Some(0.002));
    assert_eq!(j.mode.as_deref(), Some("end"));
    assert_eq!(j.verdict.as_ref().unwrap().winner, Side::A);
    assert!(e.is_settled());
}

#[test]
fn ending_early_brings_the_llm_verdict() {
    let mut e = engine(
        session(Format::Debate, Roles::Assigned, 3),
        Some(judge(JudgeWhen::EachTurn)),
    );
    let spec = starts(&e.start(t(0))).remove(0);
    let out = play(&mut e, &spec, "A.", 1);
    let id = asks(&out)[0].0;
    e.command(
        Command::EndEarly {
            reason: "clear enough".into(),
        },
        t(2),
    );
    answer(&mut e, id, "0.9", 3);
    let v = e.session().judgements[0].verdict.clone().unwrap();
    assert_eq!(v.winner, Side::A);
    assert!(v.ended.contains("ended the debate early"));
}

#[test]
fn a_session_judged_to_the_end_is_not_judged_again_when_resumed() {
    let mut e = engine(
        session(Format::Debate, Roles::Assigned, 1),
        Some(judge(JudgeWhen::End)),
    );
    let spec = starts(&e.start(t(0))).remove(0);
    let spec = starts(&play(&mut e, &spec, "A.", 1)).remove(0);
    let id = asks(&play(&mut e, &spec, "B.", 2))[0].0;
    answer(&mut e, id, "0.6", 3);
    let judged = e.session().clone();
    assert_eq!(judged.judgements.len(), 1);
    let mut again = engine(judged, Some(judge(JudgeWhen::End)));
    let out = again.start(t(10));
    assert!(asks(&out).is_empty(), "no second judgement");
    assert_eq!(again.session().judgements.len(), 1);
    assert!(again.is_settled());
}
