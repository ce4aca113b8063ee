//! End-to-end: `agon sessions`, the browser of the sessions directory, driven in tmux; and
//! `agon sessions --list`.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use support::tmux::Pane;

const WAIT: Duration = Duration::from_secs(30);
const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sessions/example-congestion-pricing.json"
);

/// (file name, question, created_at), oldest first.
const SESSIONS: [(&str, &str, &str); 3] = [
    (
        "2026-01-01_090000_nuclear.json",
        "Is nuclear power worth its cost?",
        "2026-01-01T09:00:00Z",
    ),
    (
        "2026-02-01_090000_remote.json",
        "Is remote work better for productivity?",
        "2026-02-01T09:00:00Z",
    ),
    (
        "2026-03-01_090000_pricing.json",
        "Should the city adopt congestion pricing?",
        "2026-03-01T09:00:00Z",
    ),
];
const BROKEN: &str = "2026-02-15_090000_broken.json";

/// Three copies of the example session with other questions and dates, and one truncated file.
fn fill(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    let example: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(EXAMPLE).unwrap()).unwrap();
    for (name, question, created) in SESSIONS {
        let mut v = example.clone();
        v["question"] = question.into();
        v["created_at"] = created.into();
        fs::write(dir.join(name), serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    }
    let text = fs::read_to_string(EXAMPLE).unwrap();
    fs::write(dir.join(BROKEN), &text[..text.len() / 3]).unwrap();
}

#[test]
fn browse_search_open_quit_back_and_delete() {
    let pane = Pane::start_with("sessions", &["sessions"], 120, 32, fill);
    let dir = pane.sessions_dir();
    let broken_before = fs::read(dir.join(BROKEN)).unwrap();
    let screen = pane.wait_for("4 sessions", WAIT);
    for (_, question, _) in SESSIONS {
        assert!(screen.contains(question), "{question}\n{screen}");
    }
    assert!(screen.contains("broken"), "{screen}");
    assert!(screen.contains("truncated"), "{screen}");
    // Newest first.
    let pos = |q: &str| screen.find(q).unwrap();
    assert!(pos("congestion pricing?") < pos("remote work") && pos("remote work") < pos("nuclear"));

    // Search as you type, then open the one match in the replay.
    pane.keys(&["/"]);
    pane.type_text("NUCLEAR");
    let screen = pane.wait_for("1 of 4 sessions", WAIT);
    assert!(!screen.contains("remote work"), "{screen}");
    pane.keys(&["Enter"]);
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("Replay: n steps one turn", WAIT);
    assert!(
        screen.contains("Is nuclear power worth its cost?"),
        "{screen}"
    );
    pane.keys(&["n"]);
    pane.wait_for("1 turns", WAIT);

    // q leaves the replay and comes back to the browser as it was.
    pane.keys(&["q"]);
    let screen = pane.wait_for("1 of 4 sessions", WAIT);
    assert!(screen.contains("agon sessions"), "{screen}");
    assert!(!screen.contains("EXIT="), "{screen}");
    pane.keys(&["Escape"]);
    pane.wait_for("4 sessions ·", WAIT);

    // Delete the remote-work session, answering the confirmation.
    pane.keys(&["/"]);
    pane.type_text("remote");
    pane.wait_for("1 of 4 sessions", WAIT);
    pane.keys(&["Enter", "d"]);
    pane.wait_for("Delete 2026-02-01_090000_remote.json? y/n", WAIT);
    pane.keys(&["y"]);
    pane.wait_for("Deleted 2026-02-01_090000_remote.json", WAIT);
    assert!(!dir.join("2026-02-01_090000_remote.json").exists());
    pane.keys(&["Escape"]);
    pane.wait_for("3 sessions ·", WAIT);

    pane.keys(&["q"]);
    let screen = pane.wait_for("EXIT=0", WAIT);
    assert!(
        !screen.contains("agon sessions"),
        "the screen is restored: {screen}"
    );

    // Nothing else was touched: the other sessions and the broken file are as they were, and
    // the index cache sits beside them.
    assert_eq!(fs::read(dir.join(BROKEN)).unwrap(), broken_before);
    assert!(dir.join(SESSIONS[0].0).exists() && dir.join(SESSIONS[2].0).exists());
    assert!(dir.join(".agon-index.json").exists());
}

fn agon_sessions(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_agon"))
        .arg("sessions")
        .args(args)
        .env("AGON_SESSIONS_DIR", dir)
        .env_remove("AGON_LOG")
        .output()
        .expect("run agon")
}

#[test]
fn list_prints_one_line_per_session_newest_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sessions");
    fill(&dir);
    let out = agon_sessions(&dir, &["--list"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Vec<&str>> = stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    let path = |name: &str| dir.join(name).display().to_string();
    assert_eq!(
        lines[0],
        [
            path(SESSIONS[2].0).as_str(),
            "2026-03-01T09:00:00Z",
            "judged",
            "Should the city adopt congestion pricing?"
        ]
    );
    assert_eq!(lines[1][0], path(BROKEN));
    assert_eq!(
        lines[1][1], "2026-02-15T09:00:00Z",
        "a broken file is dated by the time in its name"
    );
    assert!(
        lines[1][2].starts_with("broken: the file ends too early (truncated?)"),
        "{stdout}"
    );
    assert_eq!(lines[1][3], "");
    assert_eq!(lines[2][0], path(SESSIONS[1].0));
    assert_eq!(lines[3][1], "2026-01-01T09:00:00Z");
    assert!(lines.iter().all(|l| l.len() == 4));

    // Without --list, a pipe gets the same lines.
    let again = agon_sessions(&dir, &[]);
    assert!(again.status.success());
    assert_eq!(String::from_utf8(again.stdout).unwrap(), stdout);
}

#[test]
fn list_of_a_missing_directory_is_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("none");
    let out = agon_sessions(&dir, &["--list"]);
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty());
    assert!(!dir.exists(), "listing creates nothing");
}

/// The example session as it stood after its first two turns, still running: a debate cut off.
fn unfinished(dir: &Path) -> String {
    fs::create_dir_all(dir).unwrap();
    let mut s = agon::storage::load(Path::new(EXAMPLE))
        .unwrap()
        .session
        .as_of(2);
    s.status = agon::domain::SessionStatus::Running;
    s.verdict = None;
    s.question = "Is this debate cut off?".into();
    let name = "2026-04-01_090000_cut-off.json";
    fs::write(dir.join(name), serde_json::to_vec_pretty(&s).unwrap()).unwrap();
    name.to_string()
}

#[test]
fn resume_and_rejudge_from_the_browser_and_come_back() {
    let pane = Pane::start_with(
        "sessions-work",
        &["sessions", "--pace", "0"],
        120,
        32,
        |dir| {
            fill(dir);
            unfinished(dir);
        },
    );
    let dir = pane.sessions_dir();
    let cut_off = dir.join("2026-04-01_090000_cut-off.json");
    let screen = pane.wait_for("5 sessions", WAIT);
    assert!(screen.contains("unfinished 1/4"), "{screen}");

    // c continues the cut-off debate live; q there comes back with where it was saved.
    pane.keys(&["c"]);
    pane.wait_for("■ finished", WAIT);
    pane.keys(&["q"]);
    let screen = pane.wait_for("Session saved to", WAIT);
    assert!(screen.contains("agon sessions"), "{screen}");
    assert!(screen.contains("finished 4/4"), "{screen}");
    let resumed: serde_json::Value = serde_json::from_slice(&fs::read(&cut_off).unwrap()).unwrap();
    assert_eq!(resumed["status"], "finished");
    assert_eq!(resumed["turns"].as_array().unwrap().len(), 8);

    // J re-judges the judged pricing debate, blind; the row then says so.
    pane.keys(&["j"]);
    pane.keys(&["J"]);
    pane.wait_for("b  blind", WAIT);
    pane.keys(&["b"]);
    let screen = pane.wait_for("Re-judging", WAIT);
    assert!(screen.contains("blind"), "{screen}");
    pane.keys(&["Space"]);
    pane.wait_for("replay ended", WAIT);
    pane.keys(&["c", "5", "0", "Enter"]);
    pane.wait_for("P(A) 50%", WAIT);
    pane.keys(&["v", "a", "Enter"]);
    pane.wait_for("verdict A 50%", WAIT);
    pane.keys(&["q"]);
    let screen = pane.wait_for("Judgement saved to", WAIT);
    assert!(screen.contains("◐↻1"), "blind, judged again once: {screen}");
    let judged: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join(SESSIONS[2].0)).unwrap()).unwrap();
    assert_eq!(judged["judgements"][0]["blind"], true);

    // A file written meanwhile by someone else is listed without a key press.
    fs::copy(
        dir.join(SESSIONS[0].0),
        dir.join("2026-05-01_090000_copy.json"),
    )
    .unwrap();
    pane.wait_for("6 sessions", WAIT);

    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);
}

#[test]
fn list_fields_are_inert_and_stay_in_their_columns() {
    let tmp = tempfile::tempdir().unwrap();
    // A folder name with a tab and an override: the path is a field too.
    let dir = tmp.path().join("odd\tfolder\u{202e}");
    fs::create_dir_all(&dir).unwrap();
    let mut v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(EXAMPLE).unwrap()).unwrap();
    v["question"] =
        "Is \u{202e}gnicirp\u{202c} fair?\tYes\nor\rno \x1b]0;owned\x07 \u{9b}31m end".into();
    fs::write(
        dir.join("2026-01-01_090000_odd.json"),
        serde_json::to_vec(&v).unwrap(),
    )
    .unwrap();
    let out = agon_sessions(&dir, &["--list"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
    let fields: Vec<&str> = stdout.trim_end_matches('\n').split('\t').collect();
    assert_eq!(fields.len(), 4, "{stdout:?}");
    for c in stdout.trim_end_matches('\n').chars() {
        assert!(
            c == '\t' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{c:?} reached stdout: {stdout:?}"
        );
    }
    // Nothing printable is lost: the escape shows as ␛, the words are all there.
    assert_eq!(
        fields[3], "Is �gnicirp� fair?    Yes or no ␛]0;owned␇ �31m end",
        "{stdout:?}"
    );
    assert!(fields[0].contains("odd    folder�"), "{stdout:?}");
}
