//! The JSON Lines export: one record per judgement, for training and evaluating reward models.
//!
//! For every judgement of the session (judge 0, then each re-judgement): one record per judged
//! node (tree nodes with a ruling, in tree order) and then one for the verdict. A session that
//! no one has judged yet gives one record for the debate, so a data set built from many
//! sessions never silently loses one. Each record carries the transcript as it stood when the
//! judgement was made: the turns that had finished and the judge's messages so far. Fields are
//! documented in `docs/export-format.md`; their order is fixed.

use super::{Judged, clean, judged, rfc3339, round6};
use crate::domain::{JudgeEvent, JudgeEventKind, ROOT_ID, Scores, Session, Side};
use serde::Serialize;

/// The `schema` field of every record.
pub const SCHEMA: &str = "agon-judgements/2";

#[derive(Debug, Serialize)]
struct Record<'a> {
    schema: &'static str,
    session_id: &'a str,
    question: String,
    positions: Positions,
    judgement: u32,
    judge: &'static str,
    judge_name: Option<String>,
    blind: bool,
    kind: &'static str,
    node: Option<String>,
    node_text: Option<String>,
    node_side: Option<Side>,
    transcript: Vec<Entry>,
    label: Option<Side>,
    confidence: Option<f64>,
    p_a: Option<f64>,
    credence_trajectory: Vec<Credence>,
    rationale: String,
    decided_by: Option<String>,
    ground_truth: Option<Side>,
    scores: Option<RecordScores>,
    debaters: Vec<Debater>,
    at: Option<String>,
}

#[derive(Debug, Serialize)]
struct Positions {
    #[serde(rename = "A")]
    a: String,
    #[serde(rename = "B")]
    b: String,
}

/// One transcript entry: a debater's turn or a judge's message.
#[derive(Debug, Serialize)]
#[serde(tag = "role", rename_all = "lowercase")]
enum Entry {
    Debater {
        index: usize,
        side: Side,
        round: u32,
        scope: String,
        status: &'static str,
        text: String,
    },
    Judge {
        after_turn: Option<usize>,
        to: Option<Side>,
        text: String,
    },
}

#[derive(Debug, Serialize)]
struct Credence {
    after_turn: Option<usize>,
    p_a: f64,
}

/// A verdict's scores against the ground truth, as `domain::scoring` computes them.
#[derive(Debug, Serialize)]
struct RecordScores {
    correct: bool,
    p_correct: f64,
    log_score: f64,
    brier: f64,
    turn_penalised: f64,
    turns: usize,
    penalty: f64,
}

impl From<Scores> for RecordScores {
    fn from(s: Scores) -> Self {
        RecordScores {
            correct: s.correct,
            p_correct: round6(s.p_correct),
            log_score: round6(s.log_score),
            brier: round6(s.brier),
            turn_penalised: round6(s.turn_penalised),
            turns: s.turns,
            penalty: s.penalty,
        }
    }
}

#[derive(Debug, Serialize)]
struct Debater {
    side: Side,
    name: String,
    provider: String,
    model: String,
}

/// The session's judgements, one JSON object per line (each line ends with `\n`).
pub fn render(session: &Session) -> String {
    let mut out = String::new();
    for record in records(session) {
        // Serialising these plain structs cannot fail.
        if let Ok(line) = serde_json::to_string(&record) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn records(s: &Session) -> Vec<Record<'_>> {
    let mut out = Vec::new();
    let all = judged(s);
    for j in &all {
        out.extend(records_of(s, j));
    }
    // No one has judged it yet: the debate itself, so that it is not lost from a data set.
    if out.is_empty()
        && let Some(own) = all.first()
    {
        out.push(Record {
            kind: "debate",
            ..context(s, own, None)
        });
    }
    out
}

/// One judgement's records: its node rulings in tree order, then its verdict.
fn records_of<'a>(s: &'a Session, j: &Judged<'_>) -> Vec<Record<'a>> {
    let view = &j.view;
    let mut out = Vec::new();
    for node in view.tree.nodes() {
        let Some(ruling) = &node.judgement else {
            continue;
        };
        let event = last_event(
            view,
            |k| matches!(k, JudgeEventKind::NodeJudgement { node: n, .. } if *n == node.id),
        );
        out.push(Record {
            kind: "node",
            node: Some(clean(&node.id)),
            node_text: Some(clean(&node.text)),
            node_side: node.side,
            label: Some(ruling.winner),
            confidence: Some(round6(ruling.confidence)),
            p_a: Some(p_a(ruling.winner, ruling.confidence)),
            rationale: clean(&ruling.rationale),
            at: event.map(|(_, e)| rfc3339(e.at)),
            ..context(s, j, event.map(|(i, _)| i))
        });
    }
    if let Some(v) = &view.verdict {
        let event = last_event(view, |k| matches!(k, JudgeEventKind::Verdict { .. }));
        out.push(Record {
            kind: "verdict",
            label: Some(v.winner),
            confidence: Some(round6(v.confidence)),
            p_a: Some(p_a(v.winner, v.confidence)),
            rationale: clean(&v.rationale),
            decided_by: v.decided_by.as_deref().map(clean),
            scores: j.scores.map(RecordScores::from),
            at: Some(rfc3339(v.at)),
            ..context(s, j, event.map(|(i, _)| i))
        });
    }
    out
}

/// P(A is right) from a winner and the confidence in it.
fn p_a(winner: Side, confidence: f64) -> f64 {
    round6(match winner {
        Side::A => confidence,
        Side::B => 1.0 - confidence,
    })
}

/// The last judge event matching `pred`, with its position in the log.
fn last_event(s: &Session, pred: impl Fn(&JudgeEventKind) -> bool) -> Option<(usize, &JudgeEvent)> {
    s.judge_events
        .iter()
        .enumerate()
        .rev()
        .find(|(_, e)| pred(&e.kind))
}

/// The fields shared by every record of judgement `j`, with the transcript and credences as
/// they stood at its judge event `upto` (the event's position in its log). Without an event (a
/// hand-edited file, or the debate's own record), everything the session holds is taken. The
/// judgement fields are left empty for the caller.
fn context<'a>(s: &'a Session, j: &Judged<'_>, upto: Option<usize>) -> Record<'a> {
    let log = &j.view.judge_events;
    let events = upto.and_then(|i| log.get(..i)).unwrap_or(log);
    let after_turn = match upto.and_then(|i| log.get(i)) {
        Some(e) => e.after_turn,
        None => s.last_finished_turn(),
    };
    let mut transcript = Vec::new();
    let judge_entry = |e: &JudgeEvent| match &e.kind {
        JudgeEventKind::Message { to, text } => Some(Entry::Judge {
            after_turn: e.after_turn,
            to: *to,
            text: clean(text),
        }),
        _ => None,
    };
    // Messages sent before any turn finished come first.
    transcript.extend(
        events
            .iter()
            .filter(|e| e.after_turn.is_none())
            .filter_map(judge_entry),
    );
    if let Some(last) = after_turn {
        for turn in s.turns().iter().take(last.saturating_add(1)) {
            if !turn.status.is_finished() {
                continue;
            }
            transcript.push(Entry::Debater {
                index: turn.index,
                side: turn.side,
                round: turn.round,
                scope: turn.scope.clone(),
                status: turn.status.label(),
                text: clean(&turn.prose()),
            });
            transcript.extend(
                events
                    .iter()
                    .filter(|e| e.after_turn == Some(turn.index))
                    .filter_map(judge_entry),
            );
        }
    }
    let credence_trajectory = events
        .iter()
        .filter_map(|e| match &e.kind {
            JudgeEventKind::Credence { node, p_a, .. } if node == ROOT_ID => Some(Credence {
                after_turn: e.after_turn,
                p_a: round6(*p_a),
            }),
            _ => None,
        })
        .collect();
    Record {
        schema: SCHEMA,
        session_id: &s.id,
        question: clean(&s.question),
        positions: Positions {
            a: clean(&s.positions.a),
            b: clean(&s.positions.b),
        },
        judgement: j.judgement.id,
        judge: j.judgement.kind.label(),
        judge_name: j.judgement.judge.map(clean),
        blind: j.judgement.blind,
        kind: "",
        node: None,
        node_text: None,
        node_side: None,
        transcript,
        label: None,
        confidence: None,
        p_a: None,
        credence_trajectory,
        rationale: String::new(),
        decided_by: None,
        ground_truth: s.ground_truth,
        scores: None,
        debaters: s
            .debaters
            .iter()
            .map(|d| Debater {
                side: d.side,
                name: clean(&d.name),
                provider: clean(&d.provider),
                model: clean(&d.model),
            })
            .collect(),
        at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_sessions;
    use super::*;
    use serde_json::Value;

    fn lines(s: &Session) -> Vec<Value> {
        let out = render(s);
        assert!(out.ends_with('\n'));
        out.lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    fn indices(record: &Value) -> Vec<i64> {
        record["transcript"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["role"] == "debater")
            .map(|e| e["index"].as_i64().unwrap())
            .collect()
    }

    #[test]
    fn one_record_per_judged_node_and_one_for_the_verdict() {
        let s = test_sessions::judged();
        let judged = s
            .tree
            .nodes()
            .iter()
            .filter(|n| n.judgement.is_some())
            .count();
        let records = lines(&s);
        assert_eq!(judged, 2);
        assert_eq!(records.len(), judged + 1);
        let kinds: Vec<&str> = records
            .iter()
            .map(|r| r["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["node", "node", "verdict"]);
        let nodes: Vec<&Value> = records.iter().map(|r| &r["node"]).collect();
        assert_eq!(
            nodes,
            [&Value::from("A1"), &Value::from("B1"), &Value::Null]
        );
        for r in &records {
            assert_eq!(r["schema"], SCHEMA);
            assert_eq!(r["session_id"], s.id.as_str());
            assert_eq!(r["positions"]["A"], "Yes");
            assert_eq!(r["judge"], "human");
            assert_eq!(r["judgement"], 0);
            assert_eq!(r["judge_name"], Value::Null);
            assert_eq!(r["blind"], false);
            assert_eq!(r["ground_truth"], "A");
            assert_eq!(r["debaters"][1]["name"], "Con");
            assert!(r["debaters"][0].get("base_url").is_none());
        }
        // Fields come in the documented order.
        let first = render(&s).lines().next().unwrap().to_string();
        assert!(
            first.starts_with(r#"{"schema":"agon-judgements/2","session_id":"#),
            "{first}"
        );
    }

    #[test]
    fn the_transcript_stops_where_the_judgement_was_made() {
        let records = lines(&test_sessions::judged());
        // A1 was ruled after turn index 1; its transcript: the two first turns and the message.
        let a1 = &records[0];
        assert_eq!(indices(a1), [0, 1]);
        let t = a1["transcript"].as_array().unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t[1]["role"], "judge");
        assert_eq!(t[1]["to"], "B");
        assert_eq!(t[1]["after_turn"], 0);
        assert_eq!(t[0]["text"], "Traffic falls when road space is priced.");
        assert_eq!(t[0]["scope"], "root");
        assert!(!t[0]["text"].as_str().unwrap().contains("claims"));
        // B1's last ruling followed the drill's two turns; the verdict too.
        assert_eq!(indices(&records[1]), [0, 1, 2, 3, 4, 5]);
        assert_eq!(records[1]["transcript"][6]["scope"], "B1");
        assert_eq!(indices(&records[2]), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn the_last_ruling_on_a_node_counts() {
        let records = lines(&test_sessions::judged());
        let b1 = &records[1];
        assert_eq!(b1["rationale"], "Sequencing was never answered.");
        assert_eq!(b1["at"], "2027-01-15T08:00:34Z");
        assert_eq!(b1["node_side"], "B");
        assert_eq!(b1["node_text"], "A flat charge is regressive.");
        // Credences up to that ruling: 0.5, 0.6 and 0.4.
        let traj: Vec<f64> = b1["credence_trajectory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["p_a"].as_f64().unwrap())
            .collect();
        assert_eq!(traj, [0.5, 0.6, 0.4]);
        assert_eq!(b1["credence_trajectory"][0]["after_turn"], Value::Null);
        // A1's ruling came before the third credence.
        assert_eq!(
            records[0]["credence_trajectory"].as_array().unwrap().len(),
            2
        );
    }

    #[test]
    fn p_a_is_the_probability_that_a_is_right() {
        let records = lines(&test_sessions::judged());
        // A1: A wins at 0.8.
        assert_eq!(records[0]["label"], "A");
        assert_eq!(records[0]["p_a"], 0.8);
        // B1 and the verdict: B wins at 0.7, so P(A) is 0.3 exactly (rounded to 6 places).
        for r in &records[1..] {
            assert_eq!(r["label"], "B");
            assert_eq!(r["confidence"], 0.7);
            assert_eq!(r["p_a"], 0.3);
        }
        let v = &records[2];
        assert_eq!(v["decided_by"], "B1");
        assert_eq!(v["node_text"], Value::Null);
        assert_eq!(v["rationale"], "B1 decides it.");
        assert!((p_a(Side::B, 0.65) - 0.35).abs() < 1e-12);
        assert_eq!(p_a(Side::A, 0.65), 0.65);
    }

    #[test]
    fn a_session_no_one_has_judged_is_one_record_for_the_debate() {
        let mut s = test_sessions::judged();
        s.verdict = None;
        s.ground_truth = None;
        let ids: Vec<String> = s.tree.nodes().iter().map(|n| n.id.clone()).collect();
        for id in ids {
            s.tree.set_judgement(&id, None).unwrap();
        }
        let records = lines(&s);
        assert_eq!(records.len(), 1);
        let r = &records[0];
        assert_eq!(r["kind"], "debate");
        assert_eq!(r["judgement"], 0);
        for empty in [
            "node",
            "label",
            "confidence",
            "p_a",
            "scores",
            "at",
            "decided_by",
        ] {
            assert_eq!(r[empty], Value::Null, "{empty}");
        }
        assert_eq!(indices(r), [0, 1, 2, 3, 4, 5], "the whole debate");
        assert_eq!(r["credence_trajectory"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn every_judgement_gives_its_records() {
        let s = test_sessions::rejudged();
        let records = lines(&s);
        let who: Vec<(i64, &str)> = records
            .iter()
            .map(|r| {
                (
                    r["judgement"].as_i64().unwrap(),
                    r["kind"].as_str().unwrap(),
                )
            })
            .collect();
        // Judge 0's three, judge 1's ruling and verdict; judge 2 has not judged yet.
        assert_eq!(
            who,
            [
                (0, "node"),
                (0, "node"),
                (0, "verdict"),
                (1, "node"),
                (1, "verdict")
            ]
        );
        let verdict = &records[4];
        assert_eq!(verdict["judge"], "llm");
        assert_eq!(verdict["judge_name"], "openai:judge-model");
        assert_eq!(verdict["blind"], true);
        assert_eq!(verdict["p_a"], 0.8);
        assert_eq!(verdict["scores"]["correct"], true);
        assert_eq!(verdict["scores"]["p_correct"], 0.8);
        assert_eq!(verdict["scores"]["turns"], 6);
        assert_eq!(verdict["scores"]["penalty"], 0.1);
        assert_eq!(records[3]["node"], "A1");
        assert_eq!(records[3]["scores"], Value::Null, "nodes are not scored");
        // Judge 0's verdict, scored against the ground truth A.
        assert_eq!(records[2]["scores"]["correct"], false);
    }

    #[test]
    fn hostile_text_stays_inside_its_json_string() {
        let s = test_sessions::hostile();
        let out = render(&s);
        assert!(!out.contains('\x1b'));
        let records = lines(&s);
        assert_eq!(records.len(), 2);
        let text = records[0]["transcript"][0]["text"].as_str().unwrap();
        assert!(text.contains("<script>alert(1)</script> ␛[31mred␛[0m &"));
        assert!(!out.contains("sk-secret"));
    }
}
