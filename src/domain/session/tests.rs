//! Sessions: the protocol, turns, the judge's events, undo, forks and judgements.
use super::*;
use crate::domain::debate::{RoundKind, SamplingParams};

pub(crate) fn setup(rounds: u32) -> DebateSetup {
    let debater = |side: Side| Debater {
        side,
        name: format!("Debater {side}"),
        provider: "scripted".into(),
        model: "demo".into(),
        base_url: None,
        system_prompt: None,
        params: SamplingParams::default(),
        kind: crate::domain::DebaterKind::Ai,
        chose_side: false,
    };
    DebateSetup {
        question: "Should the city adopt congestion pricing?".into(),
        positions: Positions {
            a: "Yes".into(),
            b: "No".into(),
        },
        protocol: Protocol {
            kind: RoundKind::Sequential,
            word_limit: Some(150),
            ..Protocol::rounds(rounds)
        },
        debaters: vec![debater(Side::A), debater(Side::B)],
    }
}

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

fn play(s: &mut Session, text: &str) -> usize {
    let (round, side) = s.next_slot().unwrap();
    let i = s.begin_turn(side, round, "root", t0());
    s.push_text(i, text);
    s.finish_turn(i, TurnOutcome::Complete, None, t0());
    i
}

#[test]
fn protocol_alternates_sides_over_rounds() {
    let mut s = Session::new(setup(2), t0());
    assert_eq!(s.next_slot(), Some((1, Side::A)));
    play(&mut s, "a");
    assert_eq!(s.next_slot(), Some((1, Side::B)));
    play(&mut s, "b");
    assert_eq!(s.next_slot(), Some((2, Side::A)));
    play(&mut s, "c");
    play(&mut s, "d");
    assert_eq!(s.next_slot(), None);
    assert_eq!(s.status, SessionStatus::Finished);
}

#[test]
fn complete_turn_feeds_the_tree_and_failed_turn_is_replayed() {
    let mut s = Session::new(setup(2), t0());
    play(
        &mut s,
        "Cut traffic.\n```claims\nA1 supports root: Less traffic.\n```",
    );
    assert!(s.tree.get("A1").is_some());
    assert_eq!(s.turns[0].claims.len(), 1);
    assert_eq!(s.turns[0].stats.provider, "scripted");

    let i = s.begin_turn(Side::B, 1, "root", t0());
    s.push_text(i, "Partial ```claims\nB1 attacks A1: x");
    s.finish_turn(
        i,
        TurnOutcome::Failed("connection reset".into()),
        None,
        t0(),
    );
    assert_eq!(s.turns[i].status, TurnStatus::Failed);
    assert!(s.turns[i].text.starts_with("Partial"));
    assert!(s.tree.get("B1").is_none(), "a failed turn adds no claims");
    assert_eq!(s.next_slot(), Some((1, Side::B)));
    assert!(s.skip_last_turn(t0()));
    assert!(!s.skip_last_turn(t0()), "only once");
    assert_eq!(
        s.next_slot(),
        Some((2, Side::A)),
        "a skipped turn counts as played"
    );
    // Text arriving after the turn ended is ignored.
    s.push_text(i, "late");
    assert!(!s.turns[i].text.ends_with("late"));
}

#[test]
fn missing_claims_block_keeps_the_turn_with_a_warning() {
    let mut s = Session::new(setup(1), t0());
    play(&mut s, "No block at all.");
    assert_eq!(s.turns[0].text, "No block at all.");
    assert_eq!(s.turns[0].warnings.len(), 1);
    assert_eq!(s.tree.len(), 1);
}

#[test]
fn credences_and_verdict_are_events() {
    let mut s = Session::new(setup(1), t0());
    s.record_credence(ROOT_ID, 0.4, t0());
    play(&mut s, "x");
    s.record_credence(ROOT_ID, 1.3, t0());
    assert_eq!(s.credence(ROOT_ID), Some(1.0));
    assert_eq!(s.judge_events[0].after_turn, None);
    assert_eq!(s.judge_events[1].after_turn, Some(0));
    s.record_verdict(Side::B, 0.3, "Equity wins.".into(), None, t0());
    let v = s.verdict.as_ref().unwrap();
    assert_eq!((v.winner, v.confidence), (Side::B, 0.5));
    assert_eq!(s.judge_events.len(), 3);
}

#[test]
fn json_has_the_documented_field_names() {
    let mut s = Session::new(setup(1), t0());
    play(&mut s, "t\n```claims\nA1 supports root: c\n```");
    s.record_verdict(Side::A, 0.8, "r".into(), None, t0());
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["schema_version"], SCHEMA_VERSION);
    assert_eq!(v["turns"][0]["side"], "A");
    assert_eq!(v["turns"][0]["round"], 1);
    assert!(v["turns"][0]["text"].is_string());
    assert_eq!(v["tree"]["nodes"][0]["parent"], serde_json::Value::Null);
    assert_eq!(v["tree"]["nodes"][1]["relation"], "supports");
    assert_eq!(v["tree"]["nodes"][1]["side"], "A");
    assert_eq!(v["verdict"]["winner"], "A");
    assert_eq!(v["verdict"]["confidence"], 0.8);
    assert_eq!(v["judge_events"][0]["kind"], "verdict");
    let back: Session = serde_json::from_value(v).unwrap();
    assert_eq!(back, s);
}

#[test]
fn file_name_is_dated_and_slugged() {
    let s = Session::new(setup(1), t0());
    assert_eq!(
        s.file_name(),
        "2027-01-15_080000_should-the-city-adopt-congestion-pricing.json"
    );
    assert_eq!(slug("¿¡!"), "debate");
}

fn judge_ok(s: &mut Session, kind: JudgeEventKind) {
    s.judge(kind, t0()).unwrap();
}

#[test]
fn annotations_on_turns_spans_and_nodes() {
    use crate::domain::annotation::{Annotation, Span};
    let mut s = Session::new(setup(2), t0());
    play(
        &mut s,
        "Traffic fell. It stayed down.\n```claims\nA1 supports root: x\n```",
    );
    let on = |turn: Option<usize>, span: Option<Span>, node: Option<&str>, tag: &str| {
        JudgeEventKind::Annotate {
            annotation: Annotation {
                id: 0,
                turn,
                span,
                quote: None,
                node: node.map(str::to_string),
                tags: vec![tag.to_string()],
                note: String::new(),
            },
        }
    };
    judge_ok(&mut s, on(Some(0), None, None, "unsupported"));
    judge_ok(
        &mut s,
        on(
            Some(0),
            Some(Span { start: 14, end: 29 }),
            None,
            "deceptive",
        ),
    );
    judge_ok(&mut s, on(None, None, Some("A1"), "strong-evidence"));
    assert_eq!(
        s.annotations.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(s.annotations[1].quote.as_deref(), Some("It stayed down."));
    assert!(s.judge(on(Some(9), None, None, "x"), t0()).is_err());
    assert!(
        s.judge(
            on(Some(0), Some(Span { start: 5, end: 999 }), None, "x"),
            t0()
        )
        .is_err()
    );
    assert!(s.judge(on(None, None, Some("Z9"), "x"), t0()).is_err());
    judge_ok(
        &mut s,
        JudgeEventKind::EditAnnotation {
            id: 2,
            tags: vec!["obfuscated".into()],
            note: "vague".into(),
        },
    );
    assert_eq!(s.annotations[1].tags, vec!["obfuscated"]);
    judge_ok(&mut s, JudgeEventKind::DeleteAnnotation { id: 3 });
    judge_ok(&mut s, on(Some(0), None, None, "irrelevant"));
    assert_eq!(
        s.annotations.last().unwrap().id,
        4,
        "a deleted id is not reused"
    );
    judge_ok(&mut s, JudgeEventKind::DeleteAnnotation { id: 1 });
    assert_eq!(s.annotations.len(), 2);
    assert!(
        s.judge(JudgeEventKind::DeleteAnnotation { id: 1 }, t0())
            .is_err()
    );
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["annotations"][0]["span"]["start"], 14);
    assert_eq!(json["judge_events"][0]["kind"], "annotate");
}

#[test]
fn the_judge_ends_early_or_adds_a_round() {
    let mut s = Session::new(setup(1), t0());
    play(&mut s, "a");
    judge_ok(&mut s, JudgeEventKind::AddRound);
    assert_eq!(s.protocol.rounds, 2);
    play(&mut s, "b");
    play(&mut s, "c");
    assert_eq!(s.next_slot(), Some((2, Side::B)));
    judge_ok(
        &mut s,
        JudgeEventKind::EndDebate {
            reason: "clear enough".into(),
        },
    );
    assert_eq!(s.next_slot(), None);
    assert_eq!(s.status, SessionStatus::Finished);
    assert_eq!(s.ended_early.as_deref(), Some("clear enough"));
}

#[test]
fn messages_to_debaters_are_kept_in_order() {
    let mut s = Session::new(setup(2), t0());
    judge_ok(
        &mut s,
        JudgeEventKind::Message {
            to: None,
            text: "Define the zone.".into(),
        },
    );
    play(&mut s, "a");
    judge_ok(
        &mut s,
        JudgeEventKind::Message {
            to: Some(Side::B),
            text: " Cite a source. ".into(),
        },
    );
    let m: Vec<_> = s.messages().collect();
    assert_eq!(
        m,
        vec![
            (None, None, "Define the zone."),
            (Some(0), Some(Side::B), "Cite a source.")
        ]
    );
    assert!(
        s.judge(
            JudgeEventKind::Message {
                to: None,
                text: "  ".into()
            },
            t0()
        )
        .is_err()
    );
}

#[test]
fn undo_takes_back_the_last_action_and_rebuilds_the_rest() {
    let mut s = Session::new(setup(2), t0());
    play(&mut s, "t\n```claims\nA1 supports root: one\n```");
    judge_ok(
        &mut s,
        JudgeEventKind::AddNode {
            id: String::new(),
            parent: "A1".into(),
            text: "Q?".into(),
        },
    );
    play(&mut s, "t\n```claims\nB1 attacks A1: two\n```");
    judge_ok(
        &mut s,
        JudgeEventKind::MoveNode {
            node: "Q1".into(),
            from_parent: String::new(),
            to_parent: "B1".into(),
        },
    );
    judge_ok(&mut s, JudgeEventKind::AddRound);
    s.record_verdict(Side::A, 0.7, "r".into(), None, t0());
    let with_all = s.clone();

    let undone = s.undo(t0()).unwrap();
    assert!(matches!(undone.kind, JudgeEventKind::Verdict { .. }));
    assert!(s.verdict.is_none());
    assert_eq!(s.tree, with_all.tree);
    s.undo(t0());
    assert_eq!(s.protocol.rounds, 2, "the added round is taken back");
    s.undo(t0());
    assert_eq!(
        s.tree.get("Q1").unwrap().parent.as_deref(),
        Some("A1"),
        "the move is taken back"
    );
    assert!(s.tree.get("B1").is_some(), "turns are never undone");
    s.undo(t0());
    assert!(s.tree.get("Q1").is_none());
    assert!(s.undo(t0()).is_none());
    assert_eq!(s.tree.len(), 3);
}

#[test]
fn a_fork_keeps_the_turns_before_it_and_records_its_origin() {
    let mut s = Session::new(setup(2), t0());
    play(&mut s, "t\n```claims\nA1 supports root: one\n```");
    s.record_credence(ROOT_ID, 0.6, t0());
    play(&mut s, "t\n```claims\nB1 attacks A1: two\n```");
    s.record_credence(ROOT_ID, 0.4, t0());
    play(&mut s, "t");
    s.record_verdict(Side::B, 0.7, "r".into(), None, t0());
    let later = t0() + time::Duration::hours(1);
    let f = s.fork(1, Some("/s/x.json".into()), later);
    assert_ne!(f.id, s.id);
    assert_eq!(f.turns.len(), 1);
    assert!(f.tree.get("A1").is_some() && f.tree.get("B1").is_none());
    assert_eq!(
        f.judge_events.len(),
        1,
        "only the judge's work before the fork point"
    );
    assert_eq!(f.credence(ROOT_ID), Some(0.6));
    assert!(f.verdict.is_none());
    assert_eq!(f.status, SessionStatus::Running);
    assert_eq!(f.next_slot(), Some((1, Side::B)));
    assert_eq!(
        f.forked_from,
        Some(ForkOrigin {
            session_id: s.id.clone(),
            file: Some("/s/x.json".into()),
            turns_kept: 1
        })
    );
    assert_ne!(f.file_name(), s.file_name());
}

#[test]
fn another_judgement_is_kept_apart_from_the_original() {
    let mut s = Session::new(setup(1), t0());
    play(&mut s, "t\n```claims\nA1 supports root: one\n```");
    s.record_verdict(Side::A, 0.9, "orig".into(), None, t0());
    let mut second = s.as_of(0);
    second.set_turns(s.turns().to_vec());
    second.rebuild();
    second.record_verdict(Side::B, 0.6, "second".into(), None, t0());
    let j = Judgement {
        id: 1,
        kind: crate::domain::JudgeKind::Human,
        judge: None,
        mode: None,
        usage: None,
        extra: None,
        blind: true,
        started_at: t0(),
        judge_events: second.judge_events.clone(),
        verdict: second.verdict.clone(),
        annotations: Vec::new(),
    };
    let merged = s.with_judgement(0, j.clone());
    assert_eq!(
        merged.verdict.as_ref().unwrap().winner,
        Side::A,
        "the original is untouched"
    );
    assert_eq!(merged.judge_events, s.judge_events);
    assert_eq!(merged.judgements, vec![j.clone()]);
    let seen = merged.as_judged_by(1).unwrap();
    assert_eq!(seen.verdict.as_ref().unwrap().rationale, "second");
    assert!(merged.as_judged_by(2).is_none());
    let json = serde_json::to_value(&merged).unwrap();
    assert_eq!(json["judgements"][0]["verdict"]["winner"], "B");
    assert_eq!(json["judgements"][0]["blind"], true);
}

#[test]
fn rebuild_reproduces_the_session() {
    let mut s = Session::new(setup(2), t0());
    play(&mut s, "t\n```claims\nA1 supports root: one\n```");
    judge_ok(
        &mut s,
        JudgeEventKind::CruxMark {
            node: "A1".into(),
            mark: Some(true),
        },
    );
    play(
        &mut s,
        "t\n```claims\nB1 attacks A1: two\nB2 attacks root: three\n```",
    );
    judge_ok(
        &mut s,
        JudgeEventKind::MergeNodes {
            from: "B2".into(),
            into: "B1".into(),
        },
    );
    s.record_credence(ROOT_ID, 0.4, t0());
    let before = s.clone();
    s.rebuild();
    assert_eq!(s, before);
}

#[test]
fn a_judge_weighs_in_after_each_speech_or_after_each_whole_round() {
    // Sequential, counted by speech: after every complete speech of the main debate.
    let mut s = Session::new(setup(2), t0());
    for _ in 0..3 {
        play(&mut s, "Words.");
    }
    let points: Vec<bool> = (0..4).map(|t| s.judge_reads_after(t)).collect();
    assert_eq!(points, [true, true, true, false], "no turn 3 yet");

    // Rounds counted whole (NYU): after the round's last speech, once both are in.
    let mut setup_r = setup(2);
    setup_r.protocol.penalty_unit = PenaltyUnit::Round;
    let mut s = Session::new(setup_r, t0());
    for _ in 0..3 {
        play(&mut s, "Words.");
    }
    let points: Vec<bool> = (0..3).map(|t| s.judge_reads_after(t)).collect();
    assert_eq!(
        points,
        [false, true, false],
        "round 2 has one speech of two"
    );

    // Simultaneous: the same, whichever speech finished last.
    let mut setup_s = setup(1);
    setup_s.protocol.kind = RoundKind::Simultaneous;
    let mut s = Session::new(setup_s, t0());
    let b = s.begin_turn(Side::B, 1, "root", t0());
    let a = s.begin_turn(Side::A, 1, "root", t0());
    s.push_text(a, "A speaks.");
    s.finish_turn(a, TurnOutcome::Complete, None, t0());
    assert!(!s.judge_reads_after(a), "B's speech is not in");
    s.push_text(b, "B speaks.");
    s.finish_turn(b, TurnOutcome::Complete, None, t0());
    // B began first, so A's is the round's last speech though B's completed the round.
    assert_eq!(s.reading_point(b), Some(a));
    assert!(s.judge_reads_after(a));
    assert!(!s.judge_reads_after(b));

    // A failed speech, or a drill's, is no point to weigh in at.
    let mut s = Session::new(setup(1), t0());
    let t = s.begin_turn(Side::A, 1, "root", t0());
    s.finish_turn(t, TurnOutcome::Failed("down".into()), None, t0());
    assert!(!s.judge_reads_after(t));
    assert!(!s.judge_reads_after(99));
}

#[test]
fn a_round_number_of_any_size_costs_nothing() {
    // A file may say round 4294967295: the index of rounds played must not grow with it.
    let mut s = Session::new(setup(2), t0());
    play(&mut s, "a");
    play(&mut s, "b");
    let mut turns = s.turns().to_vec();
    turns[1].round = u32::MAX;
    let started = std::time::Instant::now();
    s.set_turns(turns);
    assert_eq!(s.next_slot(), Some((1, Side::B)), "round 1 still lacks B");
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}
