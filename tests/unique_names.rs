//! Every command that creates a session file (or an export) makes a new one and never replaces
//! a file already there: a fork, a headless debate, a question-set run, an NYU import of
//! rooms whose names differ only in characters a file name cannot keep, and `export --out`.
//!
//! Where a name comes from the clock, decoys are put first at the names the next seconds would
//! give, so the collision is certain rather than left to two starts landing in one second.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;
use support::tmux::Pane;
use time::OffsetDateTime;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sessions/example-congestion-pricing.json"
);
const QUESTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/questions/sample.jsonl");
const NYU_ROOMS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/nyu/debates");
const WAIT: Duration = Duration::from_secs(30);
/// Seconds ahead covered by decoys: more than any of these commands takes to start.
const DECOY_SECONDS: i64 = 15;

/// `agon ARGS` with an empty config, a fresh $HOME and nothing from the caller's environment
/// that could choose debaters or a sessions directory.
fn agon(home: &Path, args: &[&str]) -> Command {
    let config = home.join("config.toml");
    if !config.exists() {
        std::fs::create_dir_all(home).unwrap();
        std::fs::write(&config, "").unwrap();
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agon"));
    cmd.arg("--config").arg(&config).args(args);
    for var in [
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "AGON_SESSIONS_DIR",
        "AGON_THEME",
        "AGON_LOG",
        "AGON_LOG_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn finish(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The files of `dir` (folders and hidden files, such as lock sidecars, left out) and their
/// bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// What `after` has that `before` did not, after checking that every file of `before` is
/// still there, byte for byte.
fn added(before: &BTreeMap<String, Vec<u8>>, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut after = files(dir);
    for (name, bytes) in before {
        let now = after
            .remove(name)
            .unwrap_or_else(|| panic!("{name} is gone from {}", dir.display()));
        assert!(&now == bytes, "{name} was replaced");
    }
    after
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

/// Writes a decoy at the name `name_at(t)` for every second from one ago to
/// [`DECOY_SECONDS`] ahead.
fn put_decoys(dir: &Path, name_at: impl Fn(OffsetDateTime) -> String) {
    std::fs::create_dir_all(dir).unwrap();
    let now = OffsetDateTime::now_utc();
    for s in -1..=DECOY_SECONDS {
        let name = name_at(now + time::Duration::seconds(s));
        std::fs::write(dir.join(&name), format!("decoy {name}")).unwrap();
    }
}

#[test]
fn two_forks_of_one_debate_in_the_same_second_get_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    let original = dir.path().join("original.json");
    std::fs::copy(EXAMPLE, &original).unwrap();
    let loaded = agon::storage::load(&original).unwrap().session;
    // The name a fork after turn 3 takes: the session's name at that second, `_fork3`.
    put_decoys(&sessions, |t| {
        let mut s = loaded.clone();
        s.created_at = t;
        s.file_name().replace(".json", "_fork3.json")
    });
    let before = files(&sessions);
    let original_bytes = std::fs::read(&original).unwrap();

    let (path, dir_arg) = (
        original.display().to_string(),
        sessions.display().to_string(),
    );
    let args = [
        "fork",
        &path,
        "--after-turn",
        "3",
        "--pace",
        "0",
        "--sessions-dir",
        &dir_arg,
    ];
    let panes = [
        Pane::start("unique-fork-1", &args, 100, 30),
        Pane::start("unique-fork-2", &args, 100, 30),
    ];
    for pane in &panes {
        pane.wait_for("■ finished", WAIT);
        pane.keys(&["q"]);
        pane.wait_for("EXIT=0", WAIT);
    }

    assert_eq!(std::fs::read(&original).unwrap(), original_bytes);
    let new = added(&before, &sessions);
    assert_eq!(new.len(), 2, "one new file per fork: {:?}", new.keys());
    let forks: Vec<serde_json::Value> = new.values().map(|b| json(b)).collect();
    for f in &forks {
        assert_eq!(f["forked_from"]["turns_kept"], 3);
        assert_eq!(f["forked_from"]["session_id"], loaded.id.as_str());
    }
    assert_ne!(forks[0]["id"], forks[1]["id"]);
}

#[test]
fn two_headless_debates_of_one_question_at_once_get_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    // With no debaters configured, `run --headless` plays the bundled demo: one question.
    let demo = agon::providers::scripted::script::DemoScript::bundled()
        .unwrap()
        .setup();
    put_decoys(&sessions, |t| {
        agon::domain::Session::new(demo.clone(), t).file_name()
    });
    let before = files(&sessions);
    let dir_arg = sessions.display().to_string();
    let args = ["--sessions-dir", &dir_arg, "run", "--headless"];
    let home = dir.path().join("home");
    let runs = [
        agon(&home, &args).spawn().unwrap(),
        agon(&home, &args).spawn().unwrap(),
    ];
    let outs: Vec<Output> = runs.into_iter().map(finish).collect();
    let mut printed: Vec<PathBuf> = Vec::new();
    for out in &outs {
        assert!(out.status.success(), "{}", stderr(out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        printed.extend(stdout.lines().map(PathBuf::from));
    }

    let new = added(&before, &sessions);
    assert_eq!(new.len(), 2, "one new file per run: {:?}", new.keys());
    printed.sort();
    let expected: Vec<PathBuf> = new.keys().map(|n| sessions.join(n)).collect();
    assert_eq!(printed, expected, "each run names the file it wrote");
    let ids: Vec<serde_json::Value> = new.values().map(|b| json(b)["id"].clone()).collect();
    assert_ne!(ids[0], ids[1]);
    for bytes in new.values() {
        assert_eq!(json(bytes)["question"], demo.question.as_str());
    }
}

#[test]
fn a_question_set_run_twice_keeps_the_first_runs_files() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    let dir_arg = sessions.display().to_string();
    let args = [
        "--sessions-dir",
        &dir_arg,
        "run",
        "--headless",
        "--questions",
        QUESTIONS,
    ];
    let home = dir.path().join("home");
    let first = finish(agon(&home, &args).spawn().unwrap());
    let after_first = files(&sessions);
    // The set has a scripted debate: without configured debaters only it is played.
    let debates = after_first
        .keys()
        .filter(|n| n.ends_with(".json") && !n.ends_with(".run.json"))
        .count();
    assert!(debates >= 1, "{}", stderr(&first));

    let second = finish(agon(&home, &args).spawn().unwrap());
    assert_eq!(
        first.status.code(),
        second.status.code(),
        "{}",
        stderr(&second)
    );
    let new = added(&after_first, &sessions);
    assert_eq!(
        new.keys().filter(|n| n.ends_with(".json")).count(),
        debates,
        "the second run wrote as many new files: {:?}",
        new.keys()
    );
    for name in after_first.keys() {
        let stem = name.trim_end_matches(".json");
        assert!(
            new.contains_key(&format!("{stem}_2.json")),
            "{name} of the first run has its numbered twin: {:?}",
            new.keys()
        );
    }
}

#[test]
fn nyu_rooms_whose_names_a_file_name_cannot_keep_never_share_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let rooms = dir.path().join("rooms");
    std::fs::create_dir_all(&rooms).unwrap();
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(NYU_ROOMS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    fixtures.sort();
    // Four rooms whose names once all became `room-a` or `r-`, each a different debate.
    let names = ["room a.json", "room-a.json", "ré.json", "rü.json"];
    assert!(fixtures.len() >= names.len());
    let mut questions = BTreeMap::new();
    for (name, fixture) in names.iter().zip(&fixtures) {
        std::fs::copy(fixture, rooms.join(name)).unwrap();
        let q = json(&std::fs::read(fixture).unwrap())["setup"]["question"].clone();
        questions.insert(name.to_string(), q);
    }
    let sessions = dir.path().join("sessions");
    let dir_arg = sessions.display().to_string();
    let rooms_arg = rooms.display().to_string();
    let args = ["import", "nyu", &rooms_arg, "--sessions-dir", &dir_arg];
    let home = dir.path().join("home");
    let out = finish(agon(&home, &args).spawn().unwrap());
    assert!(out.status.success(), "{}", stderr(&out));
    let imported = files(&sessions);
    assert_eq!(
        imported.len(),
        names.len(),
        "one file per room: {:?}",
        imported.keys()
    );
    let mut seen: Vec<serde_json::Value> = imported
        .values()
        .map(|b| json(b)["question"].clone())
        .collect();
    let mut wanted: Vec<serde_json::Value> = questions.into_values().collect();
    let key = |v: &serde_json::Value| v.to_string();
    seen.sort_by_key(key);
    wanted.sort_by_key(key);
    assert_eq!(seen, wanted, "each room's own debate, none lost");
    assert!(
        imported.contains_key("nyu-room%20a.json"),
        "{:?}",
        imported.keys()
    );

    // Importing the rooms again replaces their files, by design, and adds none.
    let again = finish(agon(&home, &args).spawn().unwrap());
    assert!(again.status.success(), "{}", stderr(&again));
    let reimported = files(&sessions);
    assert_eq!(
        reimported.keys().collect::<Vec<_>>(),
        imported.keys().collect::<Vec<_>>()
    );
}

#[test]
fn export_out_refuses_a_file_that_is_there_and_writes_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let taken = dir.path().join("taken.md");
    std::fs::write(&taken, "precious notes").unwrap();
    let target = dir.path().join("target.md");
    std::fs::write(&target, "behind a link").unwrap();
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let home = dir.path().join("home");
    for path in [&taken, &link] {
        let out_arg = path.display().to_string();
        let out = finish(
            agon(
                &home,
                &["export", EXAMPLE, "--format", "md", "--out", &out_arg],
            )
            .spawn()
            .unwrap(),
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("agon: ") && err.contains(&format!("{out_arg} already exists")),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "precious notes");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "behind a link");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());

    let fresh = dir.path().join("fresh.md");
    let fresh_arg = fresh.display().to_string();
    let out = finish(
        agon(
            &home,
            &["export", EXAMPLE, "--format", "md", "--out", &fresh_arg],
        )
        .spawn()
        .unwrap(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&fresh).unwrap().starts_with('#'));
    let mut names: Vec<String> = files(dir.path()).into_keys().collect();
    names.sort();
    assert_eq!(
        names,
        ["fresh.md", "link.md", "taken.md", "target.md"],
        "no temporary file is left"
    );
}
