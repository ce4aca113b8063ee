//! Command-line failures: one clear line, the right exit code, no panic.

use std::process::Command;

fn agon(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_agon"))
        .args(args)
        .env(
            "AGON_SESSIONS_DIR",
            std::env::temp_dir().join("agon-cli-tests-unused"),
        )
        .output()
        .expect("agon runs")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn replay_of_a_missing_file_says_so_and_exits_2() {
    let out = agon(&["replay", "/nonexistent/session.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("/nonexistent/session.json") && err.contains("cannot read"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn replay_of_broken_files_names_the_file_and_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "truncated.json",
            "{\"schema_version\": 1, \"question\": \"Q",
            "truncated",
        ),
        ("garbage.json", "not json at all", "broken JSON"),
        ("empty.json", "", "truncated"),
        ("noversion.json", "{\"question\": \"Q\"}", "schema_version"),
        (
            "wrongtype.json",
            "{\"schema_version\": 1, \"turns\": 5}",
            "not a valid session file",
        ),
    ];
    for (name, content, reason) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let out = agon(&["replay", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(err.contains(name) && err.contains(reason), "{name}: {err}");
        // The broken file is left as it was.
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
    }
}

#[test]
fn a_bad_pace_is_a_clear_error() {
    for bad in [
        "--pace=-3",
        "--pace=fast",
        "--pace=inf",
        "--pace=1e-300",
        "--pace=NaN",
    ] {
        let out = agon(&["demo", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains("--pace"), "{bad}: {}", stderr(&out));
    }
}

#[test]
fn a_bad_theme_is_reported_in_one_line_and_the_default_used() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("bad.toml");
    std::fs::write(&theme, "# mine\ntext = \"chartreuse-ish\"\n").unwrap();
    let out = agon(&["--theme", theme.to_str().unwrap(), "demo"]);
    let err = stderr(&out);
    let first = err.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!(
            "agon: {} line 2: `text`: `chartreuse-ish` is not a colour name; use #rrggbb, an ANSI name (red, light-blue...) or 0-255; using the default theme",
            theme.display()
        )
    );
    // agon went on with the default theme: here it stops only for want of a terminal.
    assert!(err.contains("needs a terminal"), "{err}");
    let out = agon(&["--theme", "drak", "demo"]);
    assert!(
        stderr(&out).starts_with("agon: there is no theme `drak` (did you mean `dark`?)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_a_terminal_the_app_explains_instead_of_garbling() {
    let out = agon(&["demo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("needs a terminal"),
        "{}",
        stderr(&out)
    );
}

/// `agon ARGS` with its own empty sessions directory and home (so no config file is found).
fn agon_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
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
fn resume_last_without_an_unfinished_session_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sessions")).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sessions/example-congestion-pricing.json"
        ),
        dir.path().join("sessions/finished.json"),
    )
    .unwrap();
    let out = agon_in(dir.path(), &["resume", "--last"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no unfinished session in") && err.contains("sessions"),
        "{err}"
    );
    let out = agon_in(dir.path(), &["resume"]);
    assert_eq!(out.status.code(), Some(2), "a file or --last is needed");
    assert!(stderr(&out).contains("--last"), "{}", stderr(&out));
}

#[test]
fn answers_must_be_two_and_need_debaters() {
    let dir = tempfile::tempdir().unwrap();
    let debaters = ["--provider", "ollama", "--model", "m"];
    let same = [
        &debaters[..],
        &["run", "--headless", "--question", "Q?"],
        &["--answer-a", "Tea", "--answer-b", "Tea"],
    ]
    .concat();
    let out = agon_in(dir.path(), &same);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--answer-a and --answer-b are both \"Tea\""),
        "{}",
        stderr(&out)
    );
    let out = agon_in(dir.path(), &["run", "--headless", "--answer-a", "Tea"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("need"), "{}", stderr(&out));
}
