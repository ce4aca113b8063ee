//! `agon export`: the real binary on the bundled example session, on a hostile session, and on
//! broken files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sessions/example-congestion-pricing.json"
);
const SECRET: &str = "sk-secret";
const FORMATS: [&str; 3] = ["md", "jsonl", "html"];

fn agon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agon"))
        .args(args)
        // Keys in the environment never reach an export (a session holds none).
        .env("OPENAI_API_KEY", SECRET)
        .env("ANTHROPIC_API_KEY", SECRET)
        .env_remove("AGON_LOG")
        .env_remove("AGON_THEME")
        .env(
            "AGON_SESSIONS_DIR",
            std::env::temp_dir().join("agon-export-tests-unused"),
        )
        .output()
        .expect("agon runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn export(file: &Path, format: &str) -> String {
    let out = agon(&["export", file.to_str().unwrap(), "--format", format]);
    assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
    assert_eq!(stderr(&out), "", "{format}: nothing on stderr");
    stdout(&out)
}

#[test]
fn the_example_session_exports_in_every_format() {
    let example = Path::new(EXAMPLE);

    let md = export(example, "md");
    assert!(md.starts_with(
        "# Should the city adopt congestion pricing for its downtown core at peak hours?\n"
    ));
    assert!(md.contains("\n### Main debate\n"));
    assert!(md.contains("\n### Drill on B2: A flat peak charge is regressive"));
    assert!(md.contains("\n#### Turn 12 · B (Con) · round 2\n"));
    assert!(md.contains("\n## Claim tree\n"));
    assert!(md.contains(
        "\n## Judgements\n\n### Judge 0 · human · not blind\n\nCredence, the judge's probability"
    ));
    assert!(md.contains("\n**B (Con) wins**, confidence 70%"));
    assert!(md.contains("- decided by the crux **B2**"));
    assert!(
        !md.contains("Ground truth"),
        "the example has no ground truth"
    );

    let jsonl = export(example, "jsonl");
    let records: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    // One judged node (B2) and the verdict.
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["kind"], "node");
    assert_eq!(records[0]["node"], "B2");
    assert_eq!(records[1]["kind"], "verdict");
    for r in &records {
        assert_eq!(r["schema"], "agon-judgements/2");
        assert_eq!(r["label"], "B");
        assert_eq!(r["p_a"], 0.3);
        assert_eq!(r["transcript"].as_array().unwrap().len(), 12);
        assert_eq!(r["credence_trajectory"].as_array().unwrap().len(), 2);
        assert_eq!(r["ground_truth"], serde_json::Value::Null);
    }
    assert_eq!(records[1]["decided_by"], "B2");

    let html = export(example, "html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.ends_with("</html>\n"));
    assert!(html.contains("<h3>Drill on B2: A flat peak charge is regressive"));
    assert!(html.contains("id=\"turn-12\""));
    assert!(!html.contains("<script"));
}

#[test]
fn out_writes_the_file_and_says_so_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let path = dir.path().join(format!("example.{format}"));
        let out = agon(&[
            "export",
            EXAMPLE,
            "--format",
            format,
            "--out",
            path.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), "", "nothing on stdout with --out");
        assert_eq!(stderr(&out), format!("Exported to {}\n", path.display()));
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written, export(Path::new(EXAMPLE), format), "{format}");
    }
    // The temporary files were renamed away.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["example.html", "example.jsonl", "example.md"]);
}

/// The example session with hostile text in a turn, a node, a judge message and the verdict,
/// and a base URL carrying credentials.
fn hostile_session(dir: &Path) -> PathBuf {
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(EXAMPLE).unwrap()).unwrap();
    let hostile = "# Owned\n<script>alert(1)</script> \x1b[31mred\x1b]0;title\x07 & \"q\" 'q'\n```\nunclosed fence\n<!-- hide";
    doc["turns"][0]["text"] = format!("{hostile}\n\n```claims\nA1 supports root: x\n```\n").into();
    doc["tree"]["nodes"][1]["text"] = "<script>alert(2)</script>".into();
    doc["debaters"][0]["base_url"] = format!("https://user:{SECRET}@host/v1?key={SECRET}").into();
    doc["debaters"][1]["base_url"] = format!("http://{SECRET}@host/v1#{SECRET}").into();
    doc["verdict"]["rationale"] = "</div><script>alert(3)</script>\n```".into();
    doc["judge_events"].as_array_mut().unwrap().insert(
        0,
        serde_json::json!({
            "at": "2026-11-27T08:37:39Z",
            "after_turn": 0,
            "kind": "message",
            "to": null,
            "text": "<img src=x onerror=alert(4)>"
        }),
    );
    let path = dir.join("hostile.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path
}

#[test]
fn hostile_text_is_neutralised_and_no_secret_leaks() {
    let dir = tempfile::tempdir().unwrap();
    let path = hostile_session(dir.path());
    for format in FORMATS {
        let text = export(&path, format);
        assert!(!text.contains(SECRET), "{format} leaks the secret");
        assert!(!text.contains("user:"), "{format} leaks user info");
        assert!(!text.contains('\x1b'), "{format} keeps an escape sequence");
        assert!(!text.contains('\x07'), "{format} keeps a control character");
    }

    let html = export(&path, "html");
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("<img"));
    assert!(!html.contains("<!--"));
    // The escape sequences show as inert text: nothing the debater wrote is hidden.
    assert!(
        html.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; ␛[31mred␛]0;title␇ &amp; &quot;q&quot;"
        )
    );
    assert!(html.contains("&lt;/div&gt;&lt;script&gt;alert(3)"));
    assert!(html.contains("https://host/v1"));

    let md = export(&path, "md");
    assert!(!md.contains("<script") && !md.contains("<!--") && !md.contains("<img"));
    for line in md.lines() {
        assert!(
            !line.starts_with("```") && !line.starts_with("# Owned"),
            "a structural line from model text: {line:?}"
        );
    }
    assert!(md.contains("> \\# Owned\n"));
    assert!(md.contains("> \\```\n"));
    // The document goes on after the hostile turn.
    assert!(md.contains("\n#### Turn 2 · B (Con) · round 1\n"));
    assert!(md.contains("\n## Judgements\n"));

    let jsonl = export(&path, "jsonl");
    for line in jsonl.lines() {
        let r: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
        assert!(
            r["transcript"][0]["text"]
                .as_str()
                .unwrap()
                .contains("<script>alert(1)</script>")
        );
    }
}

#[test]
fn a_broken_file_exits_2_with_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"schema_version\": 2, \"question\": \"Q").unwrap();
    let missing = dir.path().join("missing.json");
    let target = dir.path().join("out.md");
    for (file, reason) in [(&broken, "truncated"), (&missing, "cannot read")] {
        for format in FORMATS {
            let out = agon(&[
                "export",
                file.to_str().unwrap(),
                "--format",
                format,
                "--out",
                target.to_str().unwrap(),
            ]);
            assert_eq!(out.status.code(), Some(2), "{format}");
            assert_eq!(stdout(&out), "");
            let err = stderr(&out);
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(err.starts_with("agon: "), "{err}");
            assert!(
                err.contains(file.to_str().unwrap()) && err.contains(reason),
                "{err}"
            );
            assert!(!err.contains("panicked"));
            assert!(!target.exists(), "nothing is written");
        }
    }
}

#[test]
fn an_unknown_format_is_refused() {
    let out = agon(&["export", EXAMPLE, "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("pdf"));
    assert_eq!(stdout(&out), "");
}

#[test]
fn force_replaces_an_existing_export_and_only_then() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("example.md");
    std::fs::write(&path, "an older export").unwrap();
    let args = [
        "export",
        EXAMPLE,
        "--format",
        "md",
        "--out",
        path.to_str().unwrap(),
    ];
    let out = agon(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "an older export");
    let mut forced = args.to_vec();
    forced.push("--force");
    let out = agon(&forced);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        export(Path::new(EXAMPLE), "md")
    );
    // --force means nothing without --out.
    let out = agon(&["export", EXAMPLE, "--format", "md", "--force"]);
    assert_eq!(out.status.code(), Some(2));
}
