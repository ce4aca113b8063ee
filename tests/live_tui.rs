//! The live screen against a real LLM test server (llmock on 127.0.0.1): the start dialog, a
//! rate limit retried in view, streamed turns, and the saved session.

mod support;

use std::time::Duration;
use support::servers::Llmock;
use support::tmux::{Pane, read_json};

const WAIT: Duration = Duration::from_secs(40);

#[test]
fn a_live_debate_asks_for_its_question_streams_retries_and_saves() {
    let llmock = Llmock::start();
    llmock.scenario(serde_json::json!([{
        "type": "fail", "status": 429, "retry_after": 1, "times": 1,
        "match": {"provider": "openai"}
    }]));
    let base = llmock.openai_base();
    let pane = Pane::start(
        "live",
        &[
            // An empty config: nothing from the machine's own config file.
            "--config",
            "/dev/null",
            "--provider",
            "openai",
            "--base-url",
            &base,
            "--model-a",
            "model-alpha",
            "--model-b",
            "model-beta",
            "--rounds",
            "1",
        ],
        120,
        40,
    );
    let screen = pane.wait_for("New debate", WAIT);
    assert!(
        screen.contains("model-alpha (openai · model-alpha)"),
        "{screen}"
    );
    assert!(
        screen.contains("model-beta (openai · model-beta)"),
        "{screen}"
    );
    pane.type_text("Is tea better than coffee?");
    pane.keys(&["Enter"]);
    pane.wait_for("retry 1 in", WAIT);
    let screen = pane.wait_for("■ finished", WAIT);
    assert!(screen.contains("model-alpha vs model-beta"), "{screen}");
    assert!(
        screen.contains(" tok"),
        "token counts in the status bar: {screen}"
    );
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);

    let s = read_json(&pane.session_file());
    assert_eq!(s["question"], "Is tea better than coffee?");
    let turns = s["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0]["stats"]["provider"], "openai");
    assert_eq!(turns[0]["stats"]["model"], "model-alpha");
    assert_eq!(turns[1]["stats"]["model"], "model-beta");
    assert_eq!(turns[0]["stats"]["retries"], 1);
    assert!(turns.iter().all(|t| t["status"] == "complete"));
    assert!(
        turns
            .iter()
            .all(|t| t["stats"]["output_tokens"].as_u64().unwrap() > 0)
    );
    assert!(!turns[0]["text"].as_str().unwrap().is_empty());
    assert_eq!(s["debaters"][0]["model"], "model-alpha");
}
