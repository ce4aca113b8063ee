//! `agon import nyu`: real rooms of the NYU debate platform (tests/fixtures/nyu, CC-BY 4.0) as
//! sessions, checked field by field; re-imports; the loader and every export on the result; and,
//! where the whole published set is on the machine, all 631 rooms.

use agon::domain::{
    DebaterKind, Format, JudgeEventKind, JudgeKind, QuoteClass, RoundKind, Session, SessionStatus,
    Side, TurnStatus,
};
use agon::import::nyu::{self, Metadata};
use agon::storage;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use time::OffsetDateTime;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/nyu");
const ROOMS: usize = 7;

fn agon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agon"))
        .args(args)
        .env_remove("AGON_LOG")
        .env_remove("AGON_SESSIONS_DIR")
        .output()
        .expect("agon runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn debates() -> String {
    format!("{FIXTURES}/debates")
}

fn metadata() -> String {
    format!("{FIXTURES}/debates-metadata.jsonl")
}

/// Imports the fixtures into `dir` with the binary; returns what it printed.
fn import_fixtures(dir: &Path) -> Output {
    let out = agon(&[
        "import",
        "nyu",
        &debates(),
        "--metadata",
        &metadata(),
        "--sessions-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    out
}

fn load(dir: &Path, room: &str) -> Session {
    let loaded = storage::load(&dir.join(format!("nyu-{room}.json"))).unwrap();
    assert!(loaded.read_only_reason.is_none() && loaded.migrated_from.is_none());
    loaded.session
}

fn ms(t: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(t) * 1_000_000).unwrap()
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// Every quote sits where it says, in the turn and in the story, word for word.
fn assert_quotes_consistent(s: &Session) {
    let source = s.source_text.as_deref().unwrap();
    for t in s.turns() {
        for q in &t.quotes {
            assert_eq!(&t.text[q.at.start..q.at.end], q.text, "turn {}", t.index);
            let place = q.source.unwrap();
            assert_eq!(&source[place.start..place.end], q.text, "turn {}", t.index);
            assert_eq!(q.class, QuoteClass::Exact);
            assert_eq!(&t.text[q.at.start - 7..q.at.start], "<quote>");
            assert_eq!(&t.text[q.at.end..q.at.end + 8], "</quote>");
        }
    }
}

/// (after_turn, kind, p_a) of each event: what a judgement's log says, compactly.
fn log(events: &[agon::domain::JudgeEvent]) -> Vec<(Option<usize>, &'static str, Option<f64>)> {
    events
        .iter()
        .map(|e| match &e.kind {
            JudgeEventKind::Credence { node, p_a, .. } => {
                assert_eq!(node, "root");
                (e.after_turn, "credence", Some(*p_a))
            }
            JudgeEventKind::Message { to, .. } => {
                assert_eq!(*to, None);
                (e.after_turn, "message", None)
            }
            JudgeEventKind::Verdict { .. } => (e.after_turn, "verdict", None),
            other => panic!("unexpected event {other:?}"),
        })
        .collect()
}

#[test]
fn every_fixture_imports_with_progress_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let out = import_fixtures(dir.path());
    let err = stderr(&out);
    assert!(
        err.contains("[1/7] imported pied-piper-of-mars-0\n"),
        "{err}"
    );
    assert!(err.contains("[7/7] imported the-absurdity-of-family-love-7\n"));
    assert!(err.contains("7 imported, 0 failed"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let paths: Vec<&str> = stdout.lines().collect();
    assert_eq!(paths.len(), ROOMS);
    for p in paths {
        assert!(Path::new(p).is_file(), "{p}");
        assert!(p.ends_with(".json") && p.contains("/nyu-"));
    }
}

#[test]
fn a_human_debate_maps_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    import_fixtures(dir.path());
    let s = load(dir.path(), "the-absurdity-of-family-love-1");

    assert_eq!(s.schema_version, agon::domain::SCHEMA_VERSION);
    assert_eq!(
        s.question,
        "What is NOT a scientific concept that is directly addressed in the article?"
    );
    assert!(
        s.positions
            .a
            .starts_with("The cultural and scientific debate")
    );
    assert!(
        s.positions
            .b
            .starts_with("How geographic and cultural differences")
    );
    assert_eq!(s.ground_truth, Some(Side::B));
    assert_eq!(
        s.source_title.as_deref(),
        Some("The Absurdity of Family Love")
    );
    let source = s.source_text.as_deref().unwrap();
    assert!(source.starts_with("The Absurdity of Family Love\n\nDon't get me wrong"));
    assert!(!source.contains("-LRB-") && !source.contains("``") && !source.contains(" n't"));

    // Protocol: one simultaneous round, then one sequential: a tie goes to sequential.
    assert_eq!(s.protocol.format, Format::Debate);
    assert_eq!(s.protocol.kind, RoundKind::Sequential);
    assert_eq!(s.protocol.rounds, 2);
    assert_eq!(s.protocol.char_limit, Some(750));
    assert_eq!(s.protocol.quote_limit, Some(250));
    assert_eq!(s.protocol.turn_penalty, Some(0.05));

    let names: Vec<(&str, Side, DebaterKind, &str, &str)> = s
        .debaters
        .iter()
        .map(|d| {
            (
                d.name.as_str(),
                d.side,
                d.kind,
                d.provider.as_str(),
                d.model.as_str(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "Tazzy Tumbleweed",
                Side::A,
                DebaterKind::Human,
                "nyu",
                "human"
            ),
            (
                "Osmanth Oatcake",
                Side::B,
                DebaterKind::Human,
                "nyu",
                "human"
            ),
        ]
    );

    let turns: Vec<(u32, Side, &str, OffsetDateTime)> = s
        .turns()
        .iter()
        .map(|t| (t.round, t.side, t.speaker.as_deref().unwrap(), t.started_at))
        .collect();
    assert_eq!(
        turns,
        [
            (1, Side::A, "Tazzy Tumbleweed", ms(1_689_883_923_879)),
            (1, Side::B, "Osmanth Oatcake", ms(1_690_492_430_823)),
            (2, Side::A, "Tazzy Tumbleweed", ms(1_690_497_492_970)),
            (2, Side::B, "Osmanth Oatcake", ms(1_690_500_014_878)),
        ]
    );
    for t in s.turns() {
        assert_eq!(t.status, TurnStatus::Complete);
        assert_eq!(t.finished_at, Some(t.started_at));
        assert_eq!(t.stats.provider, "nyu");
        let kind = t.extra.as_ref().unwrap()["nyu"]["round_kind"]
            .as_str()
            .unwrap();
        assert_eq!(
            kind,
            if t.round == 1 {
                "simultaneous"
            } else {
                "sequential"
            }
        );
    }
    assert!(s.turns().iter().any(|t| !t.quotes.is_empty()));
    assert_quotes_consistent(&s);

    // The judge: a prior, a credence with a message after round 1, the verdict after round 2.
    assert_eq!(s.judge.kind, JudgeKind::Human);
    assert_eq!(s.judge.name.as_deref(), Some("Fizzlewick Fandango"));
    let l = log(&s.judge_events);
    assert_eq!(
        l,
        [
            (None, "credence", Some(0.5)),
            (Some(1), "credence", Some(0.89)),
            (Some(1), "message", None),
            (Some(3), "credence", Some(0.99)),
            (Some(3), "verdict", None),
        ]
    );
    assert_eq!(s.judge_events[0].at, ms(1_689_880_480_369));
    let v = s.verdict.as_ref().unwrap();
    assert_eq!(v.winner, Side::A);
    close(v.confidence, 0.99);
    assert_eq!(v.turn_penalty, Some(0.05));
    assert_eq!(v.at, ms(1_690_501_249_193));
    assert_eq!(s.status, SessionStatus::Finished);
    let scores = s.scores().unwrap();
    assert!(
        !scores.correct,
        "the judge chose answer 0; answer 1 was right"
    );
    assert_eq!(
        scores.turns, 2,
        "two rounds heard: the platform's numContinues"
    );

    // The claim tree is just the question: NYU speeches have no claims blocks.
    assert_eq!(s.tree.nodes().len(), 1);

    let labels: BTreeMap<&str, &str> = s
        .labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(labels["setting"], "human-debate");
    assert_eq!(labels["is_human"], "true");
    assert_eq!(labels["is_debate"], "true");
    assert_eq!(labels["included_in_paper"], "true");
    assert_eq!(labels["room"], "the-absurdity-of-family-love-1");
    assert_eq!(labels["story_title"], "The Absurdity of Family Love");
    assert!(!labels["story_id"].is_empty());

    let nyu = &s.extra.as_ref().unwrap()["nyu"];
    assert_eq!(nyu["room"], "the-absurdity-of-family-love-1");
    assert!(nyu["rules"]["repeatingStructure"].is_array());
    assert_eq!(nyu["metadata"]["status"], "Complete");
    assert_eq!(nyu["metadata"]["ended_by"], "JudgeDecided");
    assert_eq!(s.created_at, ms(1_689_876_267_576));
    assert_eq!(
        s.updated_at,
        ms(1_690_501_249_193),
        "the last thing that happened"
    );
}

#[test]
fn ai_debaters_and_simultaneous_speeches_in_side_order() {
    let dir = tempfile::tempdir().unwrap();
    import_fixtures(dir.path());
    let s = load(dir.path(), "the-absurdity-of-family-love-5");
    for d in &s.debaters {
        assert_eq!(
            (d.name.as_str(), d.kind, d.model.as_str()),
            ("GPT-4", DebaterKind::Ai, "gpt-4")
        );
    }
    assert_eq!(s.protocol.rounds, 4);
    assert_eq!(s.protocol.kind, RoundKind::Sequential);
    // B's simultaneous speech was saved first; the round still reads A, then B.
    let first: Vec<(Side, OffsetDateTime)> = s.turns()[..2]
        .iter()
        .map(|t| (t.side, t.started_at))
        .collect();
    assert_eq!(
        first,
        [
            (Side::A, ms(1_689_883_400_776)),
            (Side::B, ms(1_689_883_396_103))
        ]
    );
    assert!(s.turns().iter().all(|t| t.stats.model == "gpt-4"));
    assert_eq!(s.labels["setting"], "ai-debate");
    let v = s.verdict.as_ref().unwrap();
    assert_eq!(v.winner, Side::B);
    close(v.confidence, 0.9);
    assert!(s.scores().unwrap().correct);
    assert_quotes_consistent(&s);
}

#[test]
fn a_consultancy_has_one_debater_on_its_side() {
    let dir = tempfile::tempdir().unwrap();
    import_fixtures(dir.path());
    let s = load(dir.path(), "the-absurdity-of-family-love-2");
    assert_eq!(s.protocol.format, Format::Consultancy);
    assert_eq!(s.debaters.len(), 1);
    assert_eq!(s.debaters[0].side, Side::B);
    assert_eq!(s.debaters[0].name, "Tazzy Tumbleweed");
    assert_eq!(s.speakers(), [Side::B]);
    assert_eq!(s.turns().len(), 1);
    assert_eq!(s.turns()[0].side, Side::B);
    assert_eq!(s.protocol.rounds, 1);
    assert_eq!(s.protocol.char_limit, Some(1500));
    assert_eq!(s.protocol.quote_limit, Some(500));
    assert_eq!(s.labels["setting"], "human-consultancy");
    assert_eq!(s.status, SessionStatus::Finished);
    assert_eq!(s.next_slot(), None);
    assert!(s.scores().unwrap().correct);
}

#[test]
fn a_stepped_offline_judge_credits_each_step_to_its_round() {
    let dir = tempfile::tempdir().unwrap();
    import_fixtures(dir.path());
    let s = load(dir.path(), "the-absurdity-of-family-love-7");
    assert_eq!(s.labels["setting"], "ai-consultancy");
    assert_eq!(s.debaters[0].side, Side::A);
    assert_eq!(s.judgements.len(), 1);
    let j = &s.judgements[0];
    assert_eq!((j.id, j.kind), (1, JudgeKind::Offline));
    assert_eq!(j.judge.as_deref(), Some("Kiki Kiwifruit"));
    assert_eq!(j.mode.as_deref(), Some("stepped"));
    assert_eq!(j.started_at, ms(1_690_831_379_645));
    // The prior before any speech; then the verdict after the first round (turn 0).
    assert_eq!(
        log(&j.judge_events)
            .iter()
            .map(|(after, kind, _)| (*after, *kind))
            .collect::<Vec<_>>(),
        [
            (None, "credence"),
            (Some(0), "credence"),
            (Some(0), "verdict")
        ]
    );
    let v = j.verdict.as_ref().unwrap();
    assert_eq!(v.winner, Side::B);
    close(v.confidence, 0.95);
    // Scored with the turns that judge had seen.
    let all = s.all_judgements();
    let scores = all[1].scores(&s).unwrap();
    assert_eq!(scores.turns, 1);
    assert!(scores.correct);
}

#[test]
fn a_debate_without_a_live_judge_keeps_votes_and_offline_judges() {
    let dir = tempfile::tempdir().unwrap();
    import_fixtures(dir.path());
    let s = load(dir.path(), "pied-piper-of-mars-0");
    assert!(s.judge.name.is_none() && s.judge_events.is_empty() && s.verdict.is_none());
    assert_eq!(s.status, SessionStatus::Finished);
    assert_eq!(s.protocol.rounds, 2);
    assert_eq!(s.turns().len(), 4);

    let nyu = &s.extra.as_ref().unwrap()["nyu"];
    assert_eq!(
        nyu["negotiate_end"],
        serde_json::json!([
            { "after_turn": 1, "votes": { "A": false, "B": false } },
            { "after_turn": 3, "votes": { "A": true, "B": true } },
        ])
    );
    assert_eq!(nyu["metadata"]["ended_by"], "MutualAgreement");
    assert_eq!(nyu["offline_judges_assigned"]["Elmo Eggplant"], "stepped");

    // In the order they judged: the timed judge (no start time recorded) first.
    let timed = &s.judgements[0];
    assert_eq!((timed.id, timed.mode.as_deref()), (1, Some("timed")));
    assert_eq!(timed.judge.as_deref(), Some("Bubbles Brandywine"));
    assert_eq!(timed.started_at, ms(1_672_864_525_435));
    assert_eq!(
        timed.extra.as_ref().unwrap()["nyu"]["start_time_millis"],
        -1
    );
    assert_eq!(
        log(&timed.judge_events),
        [
            (Some(3), "credence", Some(0.3000000000000001)),
            (Some(3), "verdict", None)
        ]
    );
    let stepped = &s.judgements[1];
    assert_eq!((stepped.id, stepped.mode.as_deref()), (2, Some("stepped")));
    let after: Vec<Option<usize>> = stepped
        .judge_events
        .iter()
        .filter(|e| matches!(e.kind, JudgeEventKind::Credence { .. }))
        .map(|e| e.after_turn)
        .collect();
    assert_eq!(after, [None, Some(1), Some(3)]);
    assert_eq!(stepped.verdict.as_ref().unwrap().winner, Side::B);

    // This story came split into sentences with padded spaces: none survive.
    let source = s.source_text.as_deref().unwrap();
    assert!(
        !source.contains("  ") && !source.contains("\n "),
        "{}",
        &source[..300]
    );
    assert_quotes_consistent(&s);
}

#[test]
fn unfinished_debates_import_as_running_without_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    import_fixtures(dir.path());
    let s = load(dir.path(), "the-absurdity-of-family-love-0");
    assert_eq!(s.status, SessionStatus::Running);
    assert!(s.verdict.is_none());
    assert_eq!(s.turns().len(), 2);
    assert_eq!(
        log(&s.judge_events),
        [
            (None, "credence", Some(0.5)),
            (Some(1), "credence", Some(0.28)),
            (Some(1), "message", None),
        ]
    );
    // The platform was waiting for the next round.
    assert_eq!(s.next_slot(), Some((2, Side::A)));

    let waiting = load(dir.path(), "the-absurdity-of-family-love-6");
    assert_eq!(waiting.status, SessionStatus::Running);
    assert!(waiting.turns().is_empty() && waiting.judge_events.is_empty());
    assert_eq!(waiting.next_slot(), Some((1, Side::A)));
    assert_eq!(waiting.judge.name.as_deref(), Some("Crispy Crumbleton"));
}

#[test]
fn importing_again_replaces_the_session_and_keeps_later_judgements() {
    let dir = tempfile::tempdir().unwrap();
    import_fixtures(dir.path());
    let files = |d: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                (p, bytes)
            })
            .collect()
    };
    let first = files(dir.path());
    assert_eq!(first.len(), ROOMS);
    import_fixtures(dir.path());
    assert_eq!(files(dir.path()), first, "the same files, byte for byte");

    // A judgement made in agon after the import survives the next import.
    let path = dir.path().join("nyu-the-absurdity-of-family-love-7.json");
    let mut s = storage::load(&path).unwrap().session;
    let mut mine = s.judgements[0].clone();
    mine.kind = JudgeKind::Human;
    mine.judge = Some("me".into());
    mine.mode = None;
    s.judgements.push(agon::domain::Judgement { id: 2, ..mine });
    storage::save_atomic(&path, &s).unwrap();
    import_fixtures(dir.path());
    let again = storage::load(&path).unwrap().session;
    let kept: Vec<(u32, JudgeKind, Option<&str>)> = again
        .judgements
        .iter()
        .map(|j| (j.id, j.kind, j.judge.as_deref()))
        .collect();
    assert_eq!(
        kept,
        [
            (1, JudgeKind::Offline, Some("Kiki Kiwifruit")),
            (2, JudgeKind::Human, Some("me"))
        ]
    );
    assert_eq!(files(dir.path()).len(), ROOMS);
}

#[test]
fn imported_sessions_export_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    import_fixtures(dir.path());
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let session = storage::load(&path).unwrap().session;
        for format in ["md", "jsonl", "html"] {
            let out = agon(&["export", path.to_str().unwrap(), "--format", format]);
            assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
            let text = String::from_utf8(out.stdout).unwrap();
            if format == "md" {
                assert!(
                    text.starts_with(&format!("# {}", session.question)),
                    "{text}"
                );
            }
            if format == "jsonl" && session.verdict.is_some() {
                assert!(text.lines().count() >= 1, "{}", path.display());
            }
            if format == "html" {
                assert!(text.contains("<html"), "{}", path.display());
            }
        }
    }
}

#[test]
fn a_broken_file_is_named_and_the_rest_still_imported() {
    let dir = tempfile::tempdir().unwrap();
    let rooms = tempfile::tempdir().unwrap();
    let good = format!("{}/the-absurdity-of-family-love-2.json", debates());
    std::fs::copy(&good, rooms.path().join("good.json")).unwrap();
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&good).unwrap()).unwrap();
    doc["rounds"][2]["JudgeFeedback"]
        .as_object_mut()
        .unwrap()
        .remove("distribution");
    std::fs::write(rooms.path().join("broken.json"), doc.to_string()).unwrap();
    std::fs::write(rooms.path().join("truncated.json"), "{\"setup\":").unwrap();
    std::fs::write(rooms.path().join("notes.txt"), "not a room").unwrap();

    let out = agon(&[
        "import",
        "nyu",
        rooms.path().to_str().unwrap(),
        &rooms.path().join("missing.json").display().to_string(),
        "--sessions-dir",
        dir.path().to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("broken.json: rounds[2].JudgeFeedback: missing field `distribution`"),
        "{err}"
    );
    assert!(
        err.contains("truncated.json: ") && err.contains("truncated"),
        "{err}"
    );
    assert!(err.contains("missing.json: cannot read"), "{err}");
    assert!(err.contains("imported good\n"), "{err}");
    assert!(err.contains("1 imported, 3 failed"), "{err}");
    assert!(dir.path().join("nyu-good.json").is_file());
    assert!(
        !err.contains("notes.txt"),
        "only .json files of a folder are rooms"
    );
}

/// The published set: `AGON_NYU_DATASET`, else `shared/` beside the repository (as CI lays it
/// out), else where the workplace keeps it (for worktrees, which are not beside it).
fn dataset() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/nyu-debate-2023");
    let candidates = std::env::var_os("AGON_NYU_DATASET")
        .map(PathBuf::from)
        .into_iter()
        .chain([beside, PathBuf::from("/work/shared/data/nyu-debate-2023")]);
    candidates.into_iter().find(|d| d.join("debates").is_dir())
}

/// All 631 rooms of the published set, when it is on this machine: every one imports, the
/// sessions agree with the metadata, and the live judges' accuracy per setting (debates the
/// paper used) is the same whether computed from the sessions' scores or from the metadata.
#[test]
fn the_whole_published_set_imports() {
    let Some(dataset) = dataset() else {
        eprintln!(
            "skipped: the NYU dataset is not on this machine (set AGON_NYU_DATASET to its folder)"
        );
        return;
    };
    let rooms = dataset.join("debates");
    let metadata = Metadata::load(&dataset.join("debates-metadata.jsonl")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = nyu::import_paths(&[rooms], Some(&metadata), dir.path(), |_| {});
    assert_eq!(report.failed, Vec::<(PathBuf, String)>::new());
    assert_eq!(report.written.len(), 631);

    let rows: BTreeMap<String, serde_json::Value> =
        std::fs::read_to_string(dataset.join("debates-metadata.jsonl"))
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (v["name"].as_str().unwrap().to_string(), v)
            })
            .collect();
    // (correct, judged) per setting: from the sessions, and from the metadata.
    let mut from_sessions = BTreeMap::<String, (usize, usize)>::new();
    let mut from_metadata = BTreeMap::<String, (usize, usize)>::new();
    for path in &report.written {
        let s = storage::load(path).unwrap().session;
        let room = &s.labels["room"];
        let row = &rows[room];
        let complete = row["status"].get("Complete").is_some();
        assert_eq!(s.status == SessionStatus::Finished, complete, "{room}");
        assert_eq!(
            s.protocol.format == Format::Debate,
            row["setting"]["isDebate"].as_bool().unwrap(),
            "{room}"
        );
        assert_eq!(
            s.debaters.iter().all(|d| d.kind == DebaterKind::Human),
            row["setting"]["isHuman"].as_bool().unwrap(),
            "{room}"
        );
        assert_quotes_consistent(&s);
        if s.labels["included_in_paper"] != "true" {
            continue;
        }
        let setting = s.labels["setting"].clone();
        let info = &row["status"]["Complete"]["result"]["judgingInfo"];
        if let Some(scores) = s.scores() {
            let e = from_sessions.entry(setting.clone()).or_default();
            e.0 += usize::from(scores.correct);
            e.1 += 1;
            // The turn-penalised score is the platform's own reward for the judge.
            if let Some(reward) = info["judgeReward"].as_f64() {
                assert!(
                    (scores.turn_penalised - reward).abs() < 1e-6,
                    "{room}: agon {} vs the platform's {reward}",
                    scores.turn_penalised
                );
            }
        }
        if let Some(final_judgement) = info["finalJudgement"].as_array() {
            let truth = info["correctAnswerIndex"].as_u64().unwrap() as usize;
            let p = final_judgement[truth].as_f64().unwrap();
            let e = from_metadata.entry(setting).or_default();
            e.0 += usize::from(p > 0.5);
            e.1 += 1;
        }
    }
    for (setting, (correct, n)) in &from_sessions {
        eprintln!(
            "{setting}: live judges {correct}/{n} correct = {:.1}%",
            100.0 * *correct as f64 / *n as f64
        );
    }
    assert_eq!(from_sessions, from_metadata);
    assert_eq!(from_sessions.len(), 4, "all four settings are in the paper");
}
