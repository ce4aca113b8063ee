//! `agon run --headless --repeat N` reports its progress on stderr; off a terminal (here, a
//! pipe) as one plain line per debate, and a closing count.

use std::process::{Command, Output};

/// `agon ARGS` with its own sessions directory and home (no config: the scripted demo plays).
fn agon_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agon"))
        .args(args)
        .env("AGON_SESSIONS_DIR", dir.join("sessions"))
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("AGON_LOG")
        .output()
        .expect("agon runs")
}

#[test]
fn a_batch_tells_each_debate_as_it_ends_and_the_count_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = agon_in(
        dir.path(),
        &["run", "--headless", "--repeat", "3", "--concurrency", "2"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 3, "one path per debate: {stdout}");
    for done in 1..=3 {
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("[{done}/3] [debate ")))
            .unwrap_or_else(|| panic!("no line for the debate ended {done}th: {err}"));
        assert!(line.contains("] written"), "{line}");
    }
    assert!(err.contains("agon: 3 of 3 debates written in "), "{err}");
}

#[test]
fn a_single_debate_has_no_progress_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = agon_in(dir.path(), &["run", "--headless"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("[1/1]") && !err.contains("debates written"),
        "{err}"
    );
    assert!(err.contains("[debate 1] "), "its own lines stay: {err}");
}
