//! A debate against a local server that writes its claims the ways models drift from the
//! format (every readable case of tests/data/claims/) grows the same tree as one whose server
//! writes the same claims in the exact format.
//!
//! Each case is a one-round debate on the OpenAI wire (wiremock on 127.0.0.1), played through
//! the real engine and driver: side A's turn seeds the nodes the case's claims target, side B's
//! turn is the case's text. The same debate with B's claims rendered as an exact block must give
//! the same nodes.

use agon::domain::{ClaimTree, Format, SamplingParams, Session, TurnStatus};
use agon::engine::driver::{Debaters, Driver};
use agon::engine::{Engine, EngineConfig, Event, Input, Mode, Output};
use agon::providers::llm::{LlmConfig, LlmProvider, Wire};
use agon::providers::scripted::script::DemoScript;
use agon::providers::structured::ClaimsMode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn stream(text: &str) -> ResponseTemplate {
    let events = [
        json!({"choices":[{"index":0,"delta":{"content":text}}]}).to_string(),
        json!({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}).to_string(),
        "[DONE]".to_string(),
    ];
    let body: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    ResponseTemplate::new(200)
        .insert_header("content-type", "text/event-stream")
        .set_body_string(body)
}

/// Plays a one-round debate whose side A says `seed` and side B says `speech`.
async fn debate(seed: &str, speech: &str) -> Session {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("The debate begins."))
        .respond_with(stream(seed))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("Transcript so far"))
        .respond_with(stream(speech))
        .mount(&server)
        .await;
    let cfg = LlmConfig {
        wire: Wire::Openai,
        base_url: format!("{}/v1", server.uri()),
        model: "drifting-model".into(),
        api_key_env: None,
        api_key: None,
        system_prompt: "You are debater {side}.".into(),
        params: SamplingParams::default(),
        connect_timeout: Duration::from_secs(2),
        first_token_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        price: None,
        claims: ClaimsMode::Block,
    };
    let provider = Arc::new(LlmProvider::new(cfg).unwrap());
    let mut setup = DemoScript::bundled().unwrap().setup();
    setup.protocol.rounds = 1;
    setup.protocol.format = Format::Debate;
    setup.protocol.word_limit = None;
    let session = Session::new(setup, time::OffsetDateTime::now_utc());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Input>();
    let mut engine = Engine::new(session, Mode::Live, EngineConfig::default(), None);
    let mut driver = Driver::new(
        Debaters::both(provider),
        Arc::new(move |input| {
            let _ = tx.send(input);
        }),
    );
    let mut outputs = engine.start(time::OffsetDateTime::now_utc());
    loop {
        driver.run(&outputs, engine.session());
        for o in &outputs {
            if let Output::Event(Event::TurnFailed { error, .. }) = o {
                panic!("a turn failed: {error}");
            }
        }
        if engine.is_finished() {
            break;
        }
        let input = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("the debate goes on")
            .expect("inputs keep coming");
        outputs = engine.handle(input, time::OffsetDateTime::now_utc());
    }
    driver.shutdown(Duration::from_secs(1)).await;
    let s = engine.session().clone();
    assert!(s.turns().iter().all(|t| t.status == TurnStatus::Complete));
    s
}

/// The nodes as the judge sees them: everything but the turn that made each (equal anyway).
fn nodes(tree: &ClaimTree) -> Vec<Value> {
    tree.nodes()
        .iter()
        .map(|n| serde_json::to_value(n).unwrap())
        .collect()
}

/// The claims and concessions of a case, as an exact block.
fn exact(expected: &Value) -> String {
    let mut lines = String::new();
    for c in expected["claims"].as_array().unwrap() {
        lines.push_str(&format!(
            "{} {} {}: {}\n",
            c["id"].as_str().unwrap(),
            c["relation"].as_str().unwrap(),
            c["target"].as_str().unwrap(),
            c["text"].as_str().unwrap()
        ));
    }
    for c in expected["concessions"].as_array().unwrap() {
        lines.push_str(&format!(
            "concede {}: {}\n",
            c["target"].as_str().unwrap(),
            c["reason"].as_str().unwrap_or("")
        ));
    }
    format!("The same speech.\n\n```claims\n{lines}```\n")
}

/// Side A's turn: a claim for every node the case targets that the case does not make.
fn seed(expected: &Value) -> String {
    let made: BTreeSet<String> = expected["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_ascii_lowercase())
        .collect();
    let targets: BTreeSet<&str> = expected["claims"]
        .as_array()
        .unwrap()
        .iter()
        .chain(expected["concessions"].as_array().unwrap())
        .map(|c| c["target"].as_str().unwrap())
        .filter(|t| *t != "root" && !made.contains(&t.to_ascii_lowercase()))
        .collect();
    let lines: String = targets
        .iter()
        .map(|t| format!("{t} supports root: The node {t} the case answers.\n"))
        .collect();
    format!("Opening.\n\n```claims\n{lines}```\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_drift_family_grows_the_same_tree_as_the_exact_format() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/claims");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut compared = 0;
    for path in paths {
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        let has_claims = !expected["claims"].as_array().unwrap().is_empty()
            || !expected["concessions"].as_array().unwrap().is_empty();
        if expected["readable"] != true || !has_claims {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let drifted = std::fs::read_to_string(&path).unwrap();
        let seed = seed(&expected);
        let from_drift = debate(&seed, &drifted).await;
        let from_exact = debate(&seed, &exact(&expected)).await;
        assert_eq!(
            nodes(&from_drift.tree),
            nodes(&from_exact.tree),
            "{name}: the drifted turn grew another tree (warnings: {:?})",
            from_drift.turns()[1].warnings
        );
        assert!(
            from_drift.tree.len() > seed.matches(" supports root").count() + 1
                || !expected["concessions"].as_array().unwrap().is_empty(),
            "{name}: the case added nothing"
        );
        compared += 1;
    }
    assert!(compared >= 40, "only {compared} cases compared");
    eprintln!("{compared} drifted cases grew the exact format's tree");
}
