//! Sessions built in code for the exporters' tests.

use crate::domain::{
    Annotation, DebateSetup, Debater, JudgeEventKind, Positions, Protocol, ROOT_ID, RoundKind,
    SamplingParams, Session, Side, Span, TurnOutcome, TurnStats,
};
use time::{Duration, OffsetDateTime};

pub(crate) fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap() + Duration::seconds(seconds)
}

pub(crate) fn setup(text_a: &str) -> DebateSetup {
    let debater = |side: Side, name: &str| Debater {
        side,
        name: name.into(),
        provider: "openai".into(),
        model: format!("model-{side}"),
        base_url: Some("https://user:sk-secret@host.example/v1?key=sk-secret".into()),
        system_prompt: Some("You argue.".into()),
        params: SamplingParams::default(),
        kind: crate::domain::DebaterKind::Ai,
        chose_side: false,
    };
    DebateSetup {
        question: "Should the city adopt congestion pricing?".into(),
        positions: Positions {
            a: text_a.into(),
            b: "No".into(),
        },
        protocol: Protocol {
            kind: RoundKind::Sequential,
            word_limit: Some(150),
            ..Protocol::rounds(2)
        },
        debaters: vec![debater(Side::A, "Pro"), debater(Side::B, "Con")],
    }
}

/// Plays one turn in `scope`; `seconds` is when it starts.
pub(crate) fn play(
    s: &mut Session,
    scope: &str,
    side: Side,
    round: u32,
    text: &str,
    seconds: i64,
) -> usize {
    let i = s.begin_turn(side, round, scope, at(seconds));
    s.push_text(i, text);
    let stats = TurnStats {
        input_tokens: Some(120),
        output_tokens: Some(45),
        total_ms: Some(2500),
        ..TurnStats::default()
    };
    s.finish_turn(i, TurnOutcome::Complete, Some(stats), at(seconds + 3));
    i
}

pub(crate) fn judge(s: &mut Session, kind: JudgeEventKind, seconds: i64) {
    s.judge(kind, at(seconds)).unwrap();
}

fn ruling(node: &str, winner: Side, confidence: f64, rationale: &str) -> JudgeEventKind {
    JudgeEventKind::NodeJudgement {
        node: node.into(),
        winner,
        confidence,
        rationale: rationale.into(),
    }
}

/// A judged session: 4 main turns and a 2-turn drill on B1, credences, a message, three node
/// rulings (B1 twice), annotations, a verdict decided by B1, and a ground truth.
///
/// Judge events, with the turn each followed:
/// credence 0.5 (start), message to B (0), credence 0.6 (1), ruling A1 (1), drill B1 (3),
/// ruling B1 (5), credence 0.4 (5), annotations (5), ruling B1 again (5), verdict (5).
pub(crate) fn judged() -> Session {
    let mut s = Session::new(setup("Yes"), at(0));
    s.ground_truth = Some(Side::A);
    s.record_credence(ROOT_ID, 0.5, at(1));
    play(
        &mut s,
        ROOT_ID,
        Side::A,
        1,
        "Traffic falls when road space is priced.\n\n```claims\nA1 supports root: Pricing cuts traffic.\nA2 supports root: Buses get faster.\n```\n",
        2,
    );
    judge(
        &mut s,
        JudgeEventKind::Message {
            to: Some(Side::B),
            text: "Cite a source for equity.".into(),
        },
        6,
    );
    play(
        &mut s,
        ROOT_ID,
        Side::B,
        1,
        "It hits the poor.\n\n```claims\nB1 attacks root: A flat charge is regressive.\nB2 attacks A1: Gains fade within a decade.\nconcede A2: Buses do move faster.\n```\n",
        7,
    );
    s.record_credence(ROOT_ID, 0.6, at(11));
    judge(&mut s, ruling("A1", Side::A, 0.8, "The data hold."), 12);
    play(
        &mut s,
        ROOT_ID,
        Side::A,
        2,
        "Discounts answer equity.\n\n```claims\nA3 attacks B1: Low-income discounts answer it.\n```\n",
        13,
    );
    play(
        &mut s,
        ROOT_ID,
        Side::B,
        2,
        "Take-up is low.\n\n```claims\nB3 attacks A3: Discount take-up is low.\n```\n",
        17,
    );
    judge(
        &mut s,
        JudgeEventKind::Drill {
            node: "B1".into(),
            rounds: 1,
        },
        21,
    );
    play(
        &mut s,
        "B1",
        Side::A,
        1,
        "Enrolment can be automatic.\n\n```claims\nA4 attacks B3: Automatic enrolment fixes take-up.\n```\n",
        22,
    );
    play(
        &mut s,
        "B1",
        Side::B,
        1,
        "Buses come later than the charge.\n\n```claims\nB4 attacks root: The charge lands before the buses.\n```\n",
        26,
    );
    judge(&mut s, ruling("B1", Side::B, 0.6, "First look."), 30);
    s.record_credence(ROOT_ID, 0.4, at(31));
    judge(
        &mut s,
        JudgeEventKind::Annotate {
            annotation: Annotation {
                id: 0,
                turn: Some(1),
                span: Some(Span { start: 0, end: 17 }),
                quote: None,
                node: None,
                tags: vec!["unsupported".into()],
                note: "No figures.".into(),
            },
        },
        32,
    );
    judge(
        &mut s,
        JudgeEventKind::Annotate {
            annotation: Annotation {
                id: 0,
                turn: None,
                span: None,
                quote: None,
                node: Some("B1".into()),
                tags: vec!["strong-evidence".into()],
                note: String::new(),
            },
        },
        33,
    );
    judge(
        &mut s,
        ruling("B1", Side::B, 0.7, "Sequencing was never answered."),
        34,
    );
    judge(
        &mut s,
        JudgeEventKind::Verdict {
            winner: Side::B,
            confidence: 0.7,
            rationale: "B1 decides it.".into(),
            decided_by: Some("B1".into()),
            ended: "every round played".into(),
            turn_penalty: Some(0.05),
        },
        35,
    );
    s
}

/// The text a hostile model might write.
pub(crate) const HOSTILE: &str = "# Heading?\n<script>alert(1)</script> \x1b[31mred\x1b[0m & \"quoted\" 'single'\n```\nunclosed fence\n<!-- hide the rest\n\n```claims\nA1 supports root: <script>alert(2)</script> & more\n```\n";

/// A session whose texts are hostile everywhere: the turn, its claim, a judge message, a
/// ruling's rationale, an annotation's note, the verdict's rationale.
pub(crate) fn hostile() -> Session {
    let mut s = Session::new(setup("<b>Yes</b> & \"more\""), at(0));
    s.question = "<script>alert(0)</script> Is it `safe`?".into();
    play(&mut s, ROOT_ID, Side::A, 1, HOSTILE, 1);
    judge(
        &mut s,
        JudgeEventKind::Message {
            to: None,
            text: "<script>alert(3)</script>".into(),
        },
        5,
    );
    judge(
        &mut s,
        ruling("A1", Side::A, 0.9, "<script>alert(4)</script>\n```"),
        6,
    );
    judge(
        &mut s,
        JudgeEventKind::Annotate {
            annotation: Annotation {
                id: 0,
                turn: Some(0),
                span: None,
                quote: None,
                node: None,
                tags: vec!["<script>".into()],
                note: "<script>alert(5)</script>".into(),
            },
        },
        7,
    );
    judge(
        &mut s,
        JudgeEventKind::Verdict {
            winner: Side::A,
            confidence: 0.9,
            rationale: "</div><script>alert(6)</script>".into(),
            decided_by: None,
            ended: String::new(),
            turn_penalty: None,
        },
        8,
    );
    s
}

/// [`judged`] judged again: judgement 1 by a blind LLM judge that rules on A1 and finds for A;
/// judgement 2 by a person who has only given a credence so far.
pub(crate) fn rejudged() -> Session {
    use crate::domain::{JudgeEvent, JudgeKind, Judgement};
    let mut s = judged();
    let event = |seconds, after_turn, kind| JudgeEvent {
        at: at(seconds),
        after_turn: Some(after_turn),
        kind,
    };
    let llm = Judgement {
        id: 1,
        kind: JudgeKind::Llm,
        judge: Some("openai:judge-model".into()),
        mode: Some("end".into()),
        blind: true,
        started_at: at(100),
        judge_events: vec![
            event(101, 5, ruling("A1", Side::A, 0.9, "Unrebutted.")),
            event(
                102,
                5,
                JudgeEventKind::Verdict {
                    winner: Side::A,
                    confidence: 0.8,
                    rationale: "A1 stands.".into(),
                    decided_by: None,
                    ended: String::new(),
                    turn_penalty: Some(0.1),
                },
            ),
        ],
        verdict: None,
        annotations: Vec::new(),
        usage: None,
        extra: None,
    };
    // What agon stores beside the events: the verdict they leave.
    let llm = Judgement {
        verdict: s.as_judged_in(&llm).verdict,
        ..llm
    };
    let person = Judgement {
        id: 2,
        kind: JudgeKind::Human,
        judge: None,
        mode: None,
        blind: false,
        started_at: at(200),
        judge_events: vec![event(
            201,
            1,
            JudgeEventKind::Credence {
                node: ROOT_ID.into(),
                p_a: 0.55,
                reason: None,
            },
        )],
        verdict: None,
        annotations: Vec::new(),
        usage: None,
        extra: None,
    };
    s.judgements = vec![llm, person];
    s
}
