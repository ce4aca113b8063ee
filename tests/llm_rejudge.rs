//! `agon rejudge --judge PROVIDER:MODEL`: an LLM judges recorded debates (the bundled example,
//! and real NYU rooms imported from tests/fixtures/nyu) against a local OpenAI-compatible
//! server on 127.0.0.1 (wiremock). Each judgement reads the debate as its judge saw it, point
//! by point, and is saved beside the others; `agon stats --by judge` then reports it.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sessions/example-congestion-pricing.json"
);
const NYU: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/nyu");

/// The judge: P(A) falls by a point for each speech it has read, so every answer tells which
/// point of the debate it was asked at.
struct Judge;

impl Respond for Judge {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let system = body["messages"][0]["content"].as_str().unwrap_or_default();
        let user = body["messages"][1]["content"].as_str().unwrap_or_default();
        assert!(system.contains("You are the judge"), "{system}");
        assert!(
            !system.contains("<source>"),
            "the judge never reads the source"
        );
        let speeches = speeches(user);
        let p = 0.9 - 0.01 * speeches as f64;
        let text = format!(r#"{{"p_a": {p:.2}, "reason": "After {speeches} speeches."}}"#);
        let chunk =
            json!({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]});
        let stop = json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]});
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/event-stream")
            .set_body_string(format!("data: {chunk}\n\ndata: {stop}\n\ndata: [DONE]\n\n"))
    }
}

/// Speeches in a judge's transcript: each begins with a `[Turn N · who · round R]` line.
fn speeches(user: &str) -> usize {
    user.lines().filter(|l| l.starts_with("[Turn ")).count()
}

fn config(dir: &Path, base: &str) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    let text = format!(
        "[judge]\nbase_url = \"{base}\"\napi_key_env = \"AGON_TEST_NO_KEY\"\ntemperature = 0.0\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn agon(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agon"))
        .args(args)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("xdg"))
        .env_remove("AGON_LOG")
        .env_remove("AGON_THEME")
        .env_remove("AGON_SESSIONS_DIR")
        .output()
        .expect("agon runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Judge)
        .mount(&server)
        .await;
    server
}

/// The LLM's credences in a session's judgement, as (after_turn, p_a).
fn credences(judgement: &Value) -> Vec<(u64, f64)> {
    judgement["judge_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "credence")
        .map(|e| {
            (
                e["after_turn"].as_u64().unwrap(),
                e["p_a"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_llm_judges_a_recorded_debate_after_each_turn_beside_its_human_judge() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("debate.json");
    std::fs::copy(EXAMPLE, &file).unwrap();
    let before = read(&file);
    let cfg = config(dir.path(), &format!("{}/v1", server.uri()));
    let run = |dir: &Path, file: &Path, cfg: &Path| {
        agon(
            dir,
            &[
                "rejudge",
                file.to_str().unwrap(),
                "--judge",
                "openai:judge-model",
                "--config",
                cfg.to_str().unwrap(),
            ],
        )
    };
    let (d, f, c) = (dir.path().to_path_buf(), file.clone(), cfg.clone());
    let out = tokio::task::spawn_blocking(move || run(&d, &f, &c))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 of 1 judgements written"),
        "{}",
        stderr(&out)
    );

    let after = read(&file);
    // The main debate's speeches (the drills' are not the debate's).
    let main: Vec<u64> = after["turns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["scope"] == "root" && t["status"] == "complete")
        .map(|t| t["index"].as_u64().unwrap())
        .collect();
    let turns = main.len();
    assert_eq!(
        after["verdict"], before["verdict"],
        "the human's verdict is untouched"
    );
    assert_eq!(after["judge_events"], before["judge_events"]);
    let judgements = after["judgements"].as_array().unwrap();
    let before_n = before["judgements"].as_array().map_or(0, Vec::len);
    assert_eq!(judgements.len(), before_n + 1);
    let j = judgements.last().unwrap();
    assert_eq!(j["kind"], "llm");
    assert_eq!(j["judge"], "openai:judge-model");
    assert_eq!(j["mode"], "each_turn");
    // After every speech, in order, having read exactly the speeches before that point.
    let c = credences(j);
    assert_eq!(c.len(), turns, "{c:?}");
    for (i, (after_turn, p)) in c.iter().enumerate() {
        assert_eq!(*after_turn, main[i]);
        let expected = 0.9 - 0.01 * (i + 1) as f64;
        assert!((p - expected).abs() < 1e-9, "after turn {i}: {p}");
    }
    let last = c.last().unwrap().1;
    assert_eq!(j["verdict"]["winner"], if last >= 0.5 { "A" } else { "B" });
    assert_eq!(server.received_requests().await.unwrap().len(), turns);

    // Judged already: left out, nothing to do.
    let (d, f, c) = (dir.path().to_path_buf(), file.clone(), cfg.clone());
    let out = tokio::task::spawn_blocking(move || run(&d, &f, &c))
        .await
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("openai:judge-model has already judged it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&file), after, "the file is unchanged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_llm_judges_imported_nyu_debates_round_by_round_and_stats_compare_the_judges() {
    let server = server().await;
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    let out = agon(
        dir.path(),
        &[
            "import",
            "nyu",
            &format!("{NYU}/debates"),
            "--sessions-dir",
            sessions.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cfg = config(dir.path(), &format!("{}/v1", server.uri()));
    let (d, s, c) = (dir.path().to_path_buf(), sessions.clone(), cfg.clone());
    let out = tokio::task::spawn_blocking(move || {
        agon(
            &d,
            &[
                "rejudge",
                s.to_str().unwrap(),
                "--judge",
                "openai:judge-model",
                "--config",
                c.to_str().unwrap(),
                "--concurrency",
                "3",
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let mut judged = 0;
    for entry in std::fs::read_dir(&sessions).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let s = read(&path);
        let over =
            s["ended_early"].is_object() || s["status"] == "finished" || s["verdict"].is_object();
        let Some(j) = s["judgements"]
            .as_array()
            .and_then(|js| js.iter().find(|j| j["kind"] == "llm"))
        else {
            assert!(
                stderr(&out).contains(&format!("{} left out", path.display())),
                "{} was neither judged nor reported: {}",
                path.display(),
                stderr(&out)
            );
            continue;
        };
        assert!(over || j["verdict"].is_object(), "{}", path.display());
        judged += 1;
        // NYU judges hear whole rounds: one reading per round, after its last speech.
        let turns = s["turns"].as_array().unwrap();
        let mut round_ends: Vec<u64> = Vec::new();
        for (i, t) in turns.iter().enumerate() {
            let next_round = turns.get(i + 1).map(|n| &n["round"]);
            if t["status"] == "complete" && next_round != Some(&t["round"]) {
                round_ends.push(i as u64);
            }
        }
        let at: Vec<u64> = credences(j).iter().map(|(t, _)| *t).collect();
        assert_eq!(at, round_ends, "{}", path.display());
        assert!(j["verdict"].is_object(), "{}", path.display());
    }
    assert!(
        judged >= 3,
        "most fixture rooms are finished debates: {judged}"
    );

    let out = agon(
        dir.path(),
        &[
            "stats",
            "--sessions-dir",
            sessions.to_str().unwrap(),
            "--by",
            "judge,judge_name",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = stats["groups"].as_array().unwrap();
    let llm = groups
        .iter()
        .find(|g| g["judge"] == "llm" && g["judge_name"] == "openai:judge-model")
        .unwrap_or_else(|| panic!("no group for the LLM judge: {stats}"));
    assert_eq!(llm["judged"].as_u64().unwrap(), judged);
}
