//! `agon extract` end to end: a real NYU debate (tests/fixtures/nyu) imported with the binary,
//! its claim tree extracted from a local server's canned answers (wiremock on 127.0.0.1, the
//! OpenAI wire), replayed through the engine with that tree, rebuilt with the judge's edits
//! kept, and undone.

use agon::domain::{ClaimSource, JudgeEventKind, Session, Side, TurnStatus};
use agon::engine::{Command, Engine, EngineConfig, Input, Output};
use agon::providers::StreamEvent;
use agon::storage;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output as Exit};
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ROOM: &str = "pied-piper-of-mars-0";

fn agon(args: &[&str]) -> Exit {
    Process::new(env!("CARGO_BIN_EXE_agon"))
        .args(args)
        .env_remove("AGON_LOG")
        .env_remove("AGON_SESSIONS_DIR")
        .env_remove("OPENAI_API_KEY")
        .output()
        .expect("agon runs")
}

fn stderr(out: &Exit) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Imports the room with the binary into `dir`; returns the session file.
fn import(dir: &Path) -> PathBuf {
    let room = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/nyu/debates/");
    let file = format!("{room}{ROOM}.json");
    let out = agon(&[
        "import",
        "nyu",
        &file,
        "--sessions-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    dir.join(format!("nyu-{ROOM}.json"))
}

fn load(path: &Path) -> Session {
    storage::load(path).unwrap().session
}

/// The extractor's canned answers: for the speech of turn N by side X, a claim `XN` that
/// supports the root the first time X speaks, and afterwards one that attacks the other
/// side's latest claim, named in words (its text) rather than by id; every second turn also
/// concedes it by id. Each request is logged.
struct Extractor {
    requests: Arc<Mutex<Vec<Value>>>,
}

fn text_of(side: &str, turn: u64) -> String {
    format!("Debater {side} makes point {turn} about the family story")
}

impl Respond for Extractor {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        let user = body["messages"][1]["content"].as_str().unwrap().to_string();
        self.requests.lock().unwrap().push(body);
        let speech = user.split("The speech (turn ").nth(1).unwrap();
        let turn: u64 = speech.split(',').next().unwrap().parse().unwrap();
        let side = speech.split("debater ").nth(1).unwrap().get(..1).unwrap();
        let other = if side == "A" { "B" } else { "A" };
        let other_claims: Vec<&str> = user
            .lines()
            .filter(|l| l.trim_start().starts_with(&format!("- {other}")))
            .collect();
        let (claims, concessions) = match other_claims.last() {
            None => (
                json!([{"id": format!("{side}{turn}"), "relation": "supports", "target": "root", "text": text_of(side, turn)}]),
                json!([]),
            ),
            Some(line) => {
                let id = line
                    .trim_start()
                    .trim_start_matches("- ")
                    .split(' ')
                    .next()
                    .unwrap();
                let target_turn = id.get(1..).unwrap();
                let claims = json!([{
                    "id": format!("{side}{turn}"),
                    "relation": "attacks",
                    "target": format!("the point {target_turn} of debater {other} about the family story"),
                    "text": text_of(side, turn)
                }]);
                let concessions = if turn % 2 == 0 {
                    json!([{"target": id, "reason": "fair"}])
                } else {
                    json!([])
                };
                (claims, concessions)
            }
        };
        let answer = json!({"claims": claims, "concessions": concessions}).to_string();
        ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}}],
            "usage": {"prompt_tokens": 300, "completion_tokens": 40}
        }))
    }
}

async fn extractor() -> (MockServer, Arc<Mutex<Vec<Value>>>) {
    let server = MockServer::start().await;
    let requests = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(Extractor {
            requests: requests.clone(),
        })
        .mount(&server)
        .await;
    (server, requests)
}

/// Plays a recording back through the engine, every turn, as `agon replay` does; returns the
/// session the replay built.
fn replay(recording: Session) -> Session {
    let mut engine = Engine::replay(recording.clone(), EngineConfig::default());
    engine.start(time::OffsetDateTime::now_utc());
    let mut outputs = engine.command(Command::TogglePause, time::OffsetDateTime::now_utc());
    let mut played = 0;
    while let Some(spec) = outputs.iter().find_map(|o| match o {
        Output::Start(spec) => Some(spec.clone()),
        _ => None,
    }) {
        let text = recording.turns()[spec.turn].text.clone();
        let now = time::OffsetDateTime::now_utc();
        for event in [
            StreamEvent::Delta(text),
            StreamEvent::Done(Default::default()),
        ] {
            let input = Input::Stream {
                turn: spec.turn,
                attempt: spec.attempt,
                event,
            };
            outputs = engine.handle(input, now);
        }
        played += 1;
        assert!(played <= recording.turns().len(), "the replay runs away");
    }
    assert!(engine.is_finished());
    engine.session().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_debate_gets_a_tree_that_replays_rebuilds_and_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let file = import(dir.path());
    let imported = load(&file);
    assert_eq!(imported.tree.len(), 1, "an imported debate has no tree");
    let speeches: Vec<(usize, Side)> = imported
        .turns()
        .iter()
        .filter(|t| t.status == TurnStatus::Complete && !t.text.trim().is_empty())
        .map(|t| (t.index, t.side))
        .collect();
    assert!(speeches.len() >= 4, "{speeches:?}");
    let config = dir.path().join("agon.toml");
    std::fs::write(&config, "").unwrap();

    let (server, requests) = extractor().await;
    let url = format!("{}/v1", server.uri());
    let file_arg = file.to_str().unwrap();
    let cfg_arg = config.to_str().unwrap();
    let base = [
        "extract",
        file_arg,
        "--config",
        cfg_arg,
        "--extractor",
        "openai:extractor-model",
        "--extractor-url",
        &url,
    ];
    let out = agon(&base);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("Extracting the claims of"), "{err}");
    assert!(
        err.contains(&format!("turn 1 (1 of {})", speeches.len())),
        "{err}"
    );

    // Each request showed the tree found so far and asked for JSON under the schema.
    let sent = requests.lock().unwrap().clone();
    assert_eq!(sent.len(), speeches.len());
    assert_eq!(
        sent[0]["response_format"]["json_schema"]["schema"],
        agon::domain::claims::json_schema()
    );
    let first_user = sent[0]["messages"][1]["content"].as_str().unwrap();
    assert!(first_user.starts_with(&format!("Question: {}", imported.question)));

    let extracted = load(&file);
    assert_eq!(extracted.extractions.len(), 1);
    let record = &extracted.extractions[0];
    assert_eq!(record.stats.model, "extractor-model");
    assert_eq!(record.stats.output_tokens, Some(40 * speeches.len() as u64));
    assert_eq!(extracted.tree.len(), 1 + speeches.len());
    let mut last: [Option<String>; 2] = [None, None];
    for &(turn, side) in &speeches {
        let t = extracted.turn(turn).unwrap();
        assert_eq!(t.claims.len(), 1, "turn {turn}: {:?}", t.warnings);
        assert_eq!(t.claims[0].source, ClaimSource::Extracted);
        let id = format!("{side}{}", turn + 1);
        let node = extracted.tree.get(&id).unwrap();
        let other = last[side.other() as usize].clone();
        // A target named in words found the other side's latest claim.
        assert_eq!(
            node.parent.clone().unwrap(),
            other.clone().unwrap_or("root".into())
        );
        if let Some(other) = other {
            assert!(
                t.warnings
                    .iter()
                    .any(|w| w.contains(&format!("as {other}, the most similar claim"))),
                "turn {turn}: {:?}",
                t.warnings
            );
        }
        last[side as usize] = Some(id);
    }
    assert!(
        extracted
            .tree
            .nodes()
            .iter()
            .any(|n| !n.conceded_by.is_empty())
    );

    // A replay grows the same tree, turn by turn.
    assert_eq!(replay(extracted.clone()).tree, extracted.tree);

    // The judge edits the tree; extracting every turn again keeps the edit.
    let mut judged = extracted.clone();
    let (turn, side) = speeches[0];
    let first = format!("{side}{}", turn + 1);
    judged
        .judge(
            JudgeEventKind::EditNode {
                node: first.clone(),
                text: "The judge's wording.".into(),
                previous: String::new(),
            },
            time::OffsetDateTime::now_utc(),
        )
        .unwrap();
    storage::save_atomic(&file, &judged).unwrap();
    let mut all = base.to_vec();
    all.extend(["--turns", "all"]);
    let out = agon(&all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rebuilt = load(&file);
    assert_eq!(rebuilt.extractions.len(), 2);
    assert_eq!(
        rebuilt.tree.get(&first).unwrap().text,
        "The judge's wording."
    );
    // Nothing was missing any more: a third run asks nothing.
    let before = requests.lock().unwrap().len();
    let out = agon(&base);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("No turn needed claims"),
        "{}",
        stderr(&out)
    );
    assert_eq!(requests.lock().unwrap().len(), before);

    // Undo, three times: the last two extractions go (the edit of their node with the first),
    // then there is nothing left to undo.
    for remaining in [1, 0] {
        let out = agon(&["extract", file_arg, "--undo"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("Undid the extraction"),
            "{}",
            stderr(&out)
        );
        assert_eq!(load(&file).extractions.len(), remaining);
    }
    let undone = load(&file);
    assert_eq!(undone.tree, imported.tree);
    assert_eq!(undone.turns(), imported.turns());
    let out = agon(&["extract", file_arg, "--undo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has no extraction to undo"));
}

#[test]
fn without_an_extractor_the_error_says_how_to_configure_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = import(dir.path());
    let config = dir.path().join("agon.toml");
    std::fs::write(&config, "").unwrap();
    let out = agon(&[
        "extract",
        file.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no extractor is configured"),
        "{}",
        stderr(&out)
    );
    let out = agon(&["extract", file.to_str().unwrap(), "--extractor", "llama3.2"]);
    assert!(
        stderr(&out).contains("must be PROVIDER:MODEL"),
        "{}",
        stderr(&out)
    );
}
