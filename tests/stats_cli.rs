//! `agon stats`: the real binary on a sessions directory written by the test, in every output
//! format, with filters and groups, a broken file and the cache.

use agon::domain::{
    DebateSetup, Debater, DebaterKind, Format, JudgeEvent, JudgeEventKind, JudgeKind, Judgement,
    Positions, Protocol, SamplingParams, Session, Side, TurnOutcome, Verdict,
};
use agon::storage::save_atomic;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};
use time::OffsetDateTime;

fn agon(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agon"))
        .arg("stats")
        .arg("--sessions-dir")
        .arg(dir)
        .args(args)
        .env_remove("AGON_LOG")
        .env_remove("AGON_SESSIONS_DIR")
        .output()
        .expect("agon runs")
}

fn ok(dir: &Path, args: &[&str]) -> (String, String) {
    let out = agon(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    (String::from_utf8(out.stdout).expect("UTF-8"), stderr)
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(dir, &all).0).expect("one JSON object")
}

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

fn debater(side: Side, kind: DebaterKind, name: &str) -> Debater {
    Debater {
        side,
        name: name.into(),
        provider: if kind == DebaterKind::Human {
            "nyu"
        } else {
            "openai"
        }
        .into(),
        model: if kind == DebaterKind::Human {
            ""
        } else {
            "gpt-4"
        }
        .into(),
        kind,
        base_url: None,
        system_prompt: None,
        params: SamplingParams::default(),
        chose_side: false,
    }
}

/// A played debate (two turns per debater) or consultancy (two turns), with the ground truth,
/// judge 0's verdict as P(A), offline judgements' verdicts, and the paper label.
fn session(format: Format, kind: DebaterKind, truth: Side, p_a: f64, offline: &[f64]) -> Session {
    let debaters = match format {
        Format::Debate => vec![debater(Side::A, kind, "Ann"), debater(Side::B, kind, "Bob")],
        Format::Consultancy => vec![debater(Side::B, kind, "Cy")],
    };
    let mut s = Session::new(
        DebateSetup {
            question: "What does the story say?".into(),
            positions: Positions {
                a: "One".into(),
                b: "Two".into(),
            },
            protocol: Protocol {
                format,
                ..Protocol::rounds(2)
            },
            debaters,
        },
        t0(),
    );
    while let Some((round, side)) = s.next_slot() {
        let t = s.begin_turn(side, round, "root", t0());
        s.push_text(t, "An argument.");
        s.finish_turn(t, TurnOutcome::Complete, None, t0());
    }
    s.ground_truth = Some(truth);
    s.labels.insert("included_in_paper".into(), "true".into());
    let (winner, confidence) = if p_a >= 0.5 {
        (Side::A, p_a)
    } else {
        (Side::B, 1.0 - p_a)
    };
    s.record_verdict(winner, confidence, "Because.".into(), Some(0.05), t0());
    for (i, &p) in offline.iter().enumerate() {
        let (winner, confidence) = if p >= 0.5 {
            (Side::A, p)
        } else {
            (Side::B, 1.0 - p)
        };
        let verdict = Verdict {
            winner,
            confidence,
            rationale: String::new(),
            decided_by: None,
            ended: String::new(),
            turn_penalty: Some(0.05),
            at: t0(),
        };
        s.judgements.push(Judgement {
            id: i as u32 + 1,
            kind: JudgeKind::Offline,
            judge: Some(format!("Offline {i}")),
            mode: Some("stepped".into()),
            blind: true,
            usage: None,
            started_at: t0(),
            judge_events: vec![JudgeEvent {
                at: t0(),
                after_turn: s.turns().len().checked_sub(1),
                kind: JudgeEventKind::Verdict {
                    winner,
                    confidence,
                    rationale: String::new(),
                    decided_by: None,
                    ended: String::new(),
                    turn_penalty: Some(0.05),
                },
            }],
            verdict: Some(verdict),
            annotations: Vec::new(),
            extra: None,
        });
    }
    s
}

/// Writes a session with a modification time an hour ago (outside the cache's racy window).
fn put(dir: &Path, name: &str, s: &Session) {
    let path = dir.join(name);
    save_atomic(&path, s).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

/// Human debates: truths A, B, A, B; judge 0 right, right, right, wrong (P(A) 0.9, 0.2, 0.7,
/// 0.6); an offline judge on the first is wrong (0.3). Human consultancies: one right (truth B,
/// P(A) 0.25), one wrong (truth A, P(A) 0.4). An AI debate outside the paper (right, 0.8). And
/// one broken file.
fn write_set(dir: &Path) {
    let h = DebaterKind::Human;
    put(
        dir,
        "d1.json",
        &session(Format::Debate, h, Side::A, 0.9, &[0.3]),
    );
    put(
        dir,
        "d2.json",
        &session(Format::Debate, h, Side::B, 0.2, &[]),
    );
    put(
        dir,
        "d3.json",
        &session(Format::Debate, h, Side::A, 0.7, &[]),
    );
    put(
        dir,
        "d4.json",
        &session(Format::Debate, h, Side::B, 0.6, &[]),
    );
    put(
        dir,
        "c1.json",
        &session(Format::Consultancy, h, Side::B, 0.25, &[]),
    );
    put(
        dir,
        "c2.json",
        &session(Format::Consultancy, h, Side::A, 0.4, &[]),
    );
    let mut ai = session(Format::Debate, DebaterKind::Ai, Side::A, 0.8, &[]);
    ai.labels.insert("included_in_paper".into(), "false".into());
    put(dir, "ai.json", &ai);
    std::fs::write(dir.join("broken.json"), "{ not json").unwrap();
}

fn group<'a>(v: &'a Value, protocol: &str) -> &'a Value {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["protocol"] == protocol)
        .unwrap_or_else(|| panic!("no {protocol} group in {v}"))
}

fn close(v: &Value, expected: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - expected).abs() < 1e-6, "{got} != {expected}");
}

#[test]
fn the_paper_grouping_in_json() {
    let dir = tempfile::tempdir().unwrap();
    write_set(dir.path());
    let v = json(
        dir.path(),
        &[
            "--where",
            "label:included_in_paper=true",
            "--where",
            "judge=human",
            "--by",
            "protocol,debaters",
        ],
    );
    assert_eq!(v["files"], 8);
    assert_eq!(v["broken"], 1);
    assert_eq!(v["by"], serde_json::json!(["protocol", "debaters"]));
    assert_eq!(v["groups"].as_array().unwrap().len(), 2);

    let d = group(&v, "debate");
    assert_eq!(d["debaters"], "human");
    assert_eq!((d["debates"].as_u64(), d["n"].as_u64()), (Some(4), Some(4)));
    assert_eq!(
        (d["judged"].as_u64(), d["correct"].as_u64()),
        (Some(4), Some(3))
    );
    close(&d["accuracy"], 0.75);
    // Wilson, 3 of 4: p = 0.75, z^2/n = 0.960365, denominator 1.960365;
    // centre = (0.75 + 0.480182) / 1.960365 = 0.627527;
    // half = 1.959964 * sqrt(0.046875 + 0.060023) / 1.960365 = 0.326885.
    close(&d["accuracy_ci"][0], 0.300_641_843);
    close(&d["accuracy_ci"][1], 0.954_412_739);
    // P(correct): 0.9, 0.8, 0.7, 0.4. Brier (0.01 + 0.04 + 0.09 + 0.36) / 4 = 0.125.
    close(&d["brier"], 0.125);
    let log = (0.9f64.log2() + 0.8f64.log2() + 0.7f64.log2() + 0.4f64.log2()) / 4.0;
    close(&d["log_score"], log);
    // Four turns seen each, 0.05 bits a turn.
    close(&d["turn_penalised"], log - 0.2);
    close(&d["mean_turns"], 4.0);
    // Confidences 0.9 (right), 0.8 (right), 0.7 (right), 0.6 (wrong), one per bin:
    // ECE = (0.1 + 0.2 + 0.3 + 0.6) / 4 = 0.3.
    close(&d["ece"], 0.3);
    assert_eq!(d["reliability"].as_array().unwrap().len(), 4);
    assert_eq!(d["accuracy_by_turns"][0]["turns"], 4);

    let c = group(&v, "consultancy");
    assert_eq!(
        (c["judged"].as_u64(), c["correct"].as_u64()),
        (Some(2), Some(1))
    );
    close(&c["accuracy"], 0.5);
    assert_eq!(v["consultants"][0]["consultant"], "Cy");
    // Cy argued B in both, and both verdicts went to B (P(A) 0.25 and 0.4).
    assert_eq!(v["consultants"][0]["persuaded"], 2);

    // Without the judge filter the offline judge of d1 counts too: 5 judged, 3 correct.
    let v = json(
        dir.path(),
        &[
            "--where",
            "label:included_in_paper=true",
            "--by",
            "protocol",
        ],
    );
    let d = group(&v, "debate");
    assert_eq!((d["n"].as_u64(), d["judged"].as_u64()), (Some(5), Some(5)));
    assert_eq!(d["correct"], 3);
    let a = &v["agreement"]["overall"];
    assert_eq!(
        (a["debates"].as_u64(), a["pairs"].as_u64()),
        (Some(1), Some(1))
    );
    close(&a["pairwise"], 0.0);
    assert_eq!(a["online_vs_offline"]["debates"], 1);
    close(&a["online_vs_offline"]["online"]["accuracy"], 1.0);
    close(&a["online_vs_offline"]["offline"]["accuracy"], 0.0);
}

#[test]
fn csv_has_one_row_per_group_and_table_reads() {
    let dir = tempfile::tempdir().unwrap();
    write_set(dir.path());
    let (csv, stderr) = ok(
        dir.path(),
        &[
            "--format",
            "csv",
            "--by",
            "protocol,label:included_in_paper",
        ],
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "one line per broken file: {stderr}"
    );
    assert!(stderr.contains("broken.json") && stderr.contains("broken JSON"));
    let lines: Vec<_> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "protocol,label:included_in_paper,debates,n,judged,correct,accuracy,accuracy_ci_lo,\
         accuracy_ci_hi,log_score,brier,turn_penalised,ece,mean_turns"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[1].starts_with("consultancy,true,2,2,2,1,0.5,"),
        "{csv}"
    );
    assert!(lines[2].starts_with("debate,false,1,1,1,1,1,"), "{csv}");
    assert!(lines[3].starts_with("debate,true,4,5,5,3,0.6,"), "{csv}");

    let (table, _) = ok(dir.path(), &["--by", "protocol,judge"]);
    assert!(
        table.starts_with("8 session files (1 broken); 8 judgements of 7 sessions selected\n"),
        "{table}"
    );
    assert!(table.contains("\nAccuracy and scores"));
    let row = table
        .lines()
        .find(|l| l.starts_with("debate") && l.contains("offline"))
        .unwrap_or_else(|| panic!("an offline row in {table}"));
    let cells: Vec<_> = row.split_whitespace().collect();
    // protocol, judge, debates, n, judged, correct, accuracy...
    assert_eq!(
        &cells[..7],
        ["debate", "offline", "1", "1", "1", "0", "0.000"]
    );
    assert!(table.contains("\nReliability"));
    assert!(table.contains("\nDebaters (debate format"));
    assert!(table.contains("\nConsultants (consultancy format"));
}

#[test]
fn the_cache_is_used_and_follows_changes() {
    let dir = tempfile::tempdir().unwrap();
    write_set(dir.path());
    let first = json(dir.path(), &["--by", "protocol"]);
    assert!(dir.path().join(".agon-stats.json").is_file());
    let cache = std::fs::read(dir.path().join(".agon-stats.json")).unwrap();
    // A warm run gives the same report, and the broken file is still reported.
    let (warm, stderr) = ok(dir.path(), &["--format", "json", "--by", "protocol"]);
    assert_eq!(serde_json::from_str::<Value>(&warm).unwrap(), first);
    assert!(stderr.contains("broken.json"));
    assert_eq!(
        std::fs::read(dir.path().join(".agon-stats.json")).unwrap(),
        cache,
        "an up-to-date cache is not rewritten"
    );
    // A changed file is read again: the AI debate's judge now gets it wrong.
    let mut ai = session(Format::Debate, DebaterKind::Ai, Side::A, 0.1, &[]);
    ai.labels.insert("included_in_paper".into(), "false".into());
    put(dir.path(), "ai.json", &ai);
    std::fs::remove_file(dir.path().join("c2.json")).unwrap();
    let v = json(dir.path(), &["--by", "protocol"]);
    assert_eq!(v["files"], 7);
    assert_eq!(group(&v, "debate")["correct"], 3);
    assert_eq!(group(&v, "consultancy")["judged"], 1);
    // --no-cache reads everything and agrees.
    assert_eq!(json(dir.path(), &["--by", "protocol", "--no-cache"]), v);
}

#[test]
fn bad_arguments_and_missing_directories_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = agon(dir.path(), &["--where", "colour=red"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--where") && err.contains("colour"), "{err}");

    let out = agon(dir.path(), &["--by", "protocol,flavour"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flavour"));

    let missing = dir.path().join("nope");
    let out = agon(&missing, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));

    // An empty directory has nothing to analyse, and says so.
    let (table, _) = ok(dir.path(), &[]);
    assert!(table.contains("No judgements to analyse."), "{table}");
    let v = json(dir.path(), &[]);
    assert_eq!(v["groups"], serde_json::json!([]));
}
