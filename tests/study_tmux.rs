//! End to end in a terminal (tmux): `agon judge --questions questions/sample.jsonl` with no
//! debaters configured plays the sample set's scripted debate; the judge records a prior, a
//! verdict, then reads the source. The source's distinctive sentence is on no screen before the
//! verdict, and on the source dialog after; the run file records the question as judged.

mod support;

use std::time::{Duration, Instant};
use support::tmux::{Pane, read_json};

const WAIT: Duration = Duration::from_secs(30);
/// A word of the source's distinctive last sentence ("...mistook a heron's cry for the
/// foghorn"), which no debater quotes.
const DISTINCTIVE: &str = "heron";

/// Waits for `needle`, keeping every screen seen on the way.
fn watch_for(pane: &Pane, needle: &str, seen: &mut Vec<String>) -> String {
    let start = Instant::now();
    loop {
        let screen = pane.screen();
        seen.push(screen.clone());
        if screen.contains(needle) {
            return screen;
        }
        assert!(
            start.elapsed() < WAIT,
            "timed out waiting for {needle:?}; the screen shows:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_question_set_is_judged_and_the_source_shown_only_after_the_verdict() {
    let set = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questions/sample.jsonl");
    let set = set.to_str().unwrap();
    let pane = Pane::start(
        "study",
        &[
            "--config",
            "/dev/null",
            "judge",
            "--questions",
            set,
            "--pace",
            "0",
        ],
        130,
        40,
    );
    let mut before = Vec::new();
    let screen = watch_for(&pane, "Your prior", &mut before);
    assert!(screen.contains("question 1 of 1"), "{screen}");
    pane.keys(&["4", "0", "Enter"]);
    watch_for(&pane, "■ finished", &mut before);
    pane.keys(&["Q"]);
    watch_for(&pane, "Evidence", &mut before);
    pane.keys(&["S"]);
    watch_for(&pane, "hidden until your verdict", &mut before);
    pane.keys(&["v"]);
    watch_for(&pane, "Rationale", &mut before);
    for (i, screen) in before.iter().enumerate() {
        assert!(
            !screen.contains(DISTINCTIVE),
            "screen {i} showed the source before the verdict:\n{screen}"
        );
    }
    pane.keys(&["b", "Tab", "8", "0", "Enter"]);
    pane.wait_for("You were right", WAIT);
    pane.keys(&["Escape"]);
    pane.wait_for("S shows the source", WAIT);
    pane.keys(&["S"]);
    let source = pane.wait_for(DISTINCTIVE, WAIT);
    assert!(source.contains("Quoted:"), "{source}");
    // Apart: ESC then q at once reads as Alt-q.
    pane.keys(&["Escape"]);
    pane.keys(&["q"]);
    let end = pane.wait_for("EXIT=0", WAIT);
    assert!(end.contains("All 1 debates of set sample judged"), "{end}");

    let run = read_json(&pane.sessions_dir().join("sample.run.json"));
    let entries = run["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"], "lighthouse");
    assert_eq!(entries[0]["judged"], true);
    let session = read_json(
        &pane
            .sessions_dir()
            .join(entries[0]["session"].as_str().unwrap()),
    );
    assert_eq!(session["verdict"]["winner"], "B");
    assert_eq!(session["ground_truth"], "B");
    assert_eq!(
        session["judge_events"][0]["after_turn"],
        serde_json::Value::Null
    );
    assert_eq!(session["judge_events"][0]["p_a"], 0.4, "the prior");
}

#[test]
fn quitting_midway_keeps_the_place_and_the_same_command_continues() {
    let set = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questions/sample.jsonl");
    let set = set.to_str().unwrap().to_string();
    let args = [
        "--config",
        "/dev/null",
        "judge",
        "--questions",
        &set,
        "--pace",
        "0",
    ];
    let pane = Pane::start("study-quit", &args, 120, 40);
    pane.wait_for("Your prior", WAIT);
    pane.keys(&["Escape"]);
    pane.wait_for("■ finished", WAIT);
    pane.keys(&["q"]);
    let end = pane.wait_for("EXIT=0", WAIT);
    assert!(end.contains("Judged 0 of 1"), "{end}");
    let run = read_json(&pane.sessions_dir().join("sample.run.json"));
    assert_eq!(run["entries"][0]["judged"], false);
    let name = run["entries"][0]["session"].as_str().unwrap().to_string();
    // The same command, in the same sessions folder, opens that debate again to be judged.
    let sessions = pane.sessions_dir();
    let again = Pane::start_with("study-again", &args, 120, 40, |dir| {
        std::fs::create_dir_all(dir).unwrap();
        for e in std::fs::read_dir(&sessions).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    });
    let screen = again.wait_for("■ finished", WAIT);
    assert!(
        !screen.contains("Your prior"),
        "no prior is asked of a debate already played"
    );
    again.keys(&["v"]);
    again.wait_for("Rationale", WAIT);
    again.keys(&["b", "Tab", "7", "0", "Enter"]);
    again.wait_for("You were right", WAIT);
    again.keys(&["Escape"]);
    again.keys(&["q"]);
    again.wait_for("EXIT=0", WAIT);
    let run = read_json(&again.sessions_dir().join("sample.run.json"));
    assert_eq!(run["entries"][0]["judged"], true);
    assert_eq!(
        run["entries"][0]["session"],
        name.as_str(),
        "the same session file"
    );
}
