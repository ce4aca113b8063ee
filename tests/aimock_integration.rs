//! The real `agon` binary, headless, against aimock (a real multi-provider mock server from npm)
//! on 127.0.0.1: whole debates over the OpenAI, Anthropic and Ollama (NDJSON) wires, with turns
//! from fixtures that end in claims blocks; a stream cut mid-turn; an Ollama error and an Ollama
//! rate limit.
//!
//! Fixtures match on the debater's user message ("Your next claim id is A1." / "B1.") or, for the
//! faults, on a marker in the question, which agon puts in the system prompt.

mod support;

use serde_json::{Value, json};
use support::servers::{Aimock, Headless, HeadlessRun};
use support::stream::ONE_REQUEST_PER_TURN;

const QUESTION: &str =
    "Should the city adopt congestion pricing for its downtown core at peak hours?";

const TURN_A: &str = "Congestion falls when road space is priced: London and Stockholm both saw \
peak traffic drop by a fifth once entry was charged.\n\n```claims\nA1 supports root: Pricing cuts \
peak traffic.\nA2 supports root: Faster buses follow from emptier roads.\n```";

const TURN_B: &str = "Those gains fade as drivers adapt, and a flat charge lands hardest on \
low-income commuters with no transit option.\n\n```claims\nB1 attacks A1: London's congestion \
returned within a decade.\nB2 attacks root: A flat charge is regressive.\n```";

/// Served when no other fixture matches: a test that sees it has sent an unexpected request.
const CATCH_ALL: &str = "UNEXPECTED REQUEST: no fixture matched.";

/// Markers in the question that select a fault fixture.
const CUT: &str = "[cut-the-stream]";
const MISSING_MODEL: &str = "[missing-model]";
const RATE_LIMITED: &str = "[rate-limited-once]";

fn fixtures() -> Value {
    json!({"fixtures": [
        // The stream is destroyed after 4 chunks. Each chunk waits 20 ms, so the earlier ones
        // reach the client first (aimock drops what it wrote in the same tick as the cut).
        {"match": {"systemMessage": CUT},
         "response": {"content": TURN_A},
         "truncateAfterChunks": 4, "latency": 20},
        {"match": {"systemMessage": MISSING_MODEL},
         "response": {"error": {"message": "model 'llama-nope' not found", "type": "not_found_error"},
                      "status": 404}},
        // Only the first matching request gets the 429; the retry falls through to the turns.
        {"match": {"systemMessage": RATE_LIMITED, "sequenceIndex": 0},
         "response": {"error": {"message": "slow down", "type": "rate_limit_error"},
                      "status": 429, "retryAfter": 0.3}},
        {"match": {"userMessage": "Your next claim id is A1."}, "response": {"content": TURN_A}},
        {"match": {"userMessage": "Your next claim id is B1."}, "response": {"content": TURN_B}},
        {"match": {}, "response": {"content": CATCH_ALL}}
    ]})
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Wire {
    Openai,
    Anthropic,
    Ollama,
}

const WIRES: [Wire; 3] = [Wire::Openai, Wire::Anthropic, Wire::Ollama];

impl Wire {
    fn name(self) -> &'static str {
        match self {
            Wire::Openai => "openai",
            Wire::Anthropic => "anthropic",
            Wire::Ollama => "ollama",
        }
    }

    fn model(self) -> &'static str {
        match self {
            Wire::Openai => "gpt-4o-mini",
            Wire::Anthropic => "claude-3-5-haiku-latest",
            Wire::Ollama => "llama3.2",
        }
    }

    fn base(self, aimock: &Aimock) -> String {
        match self {
            Wire::Openai => aimock.openai_base(),
            Wire::Anthropic | Wire::Ollama => aimock.base(),
        }
    }
}

fn debate(wire: Wire, aimock: &Aimock, question: &str) -> HeadlessRun {
    Headless::new(&[
        "--provider",
        wire.name(),
        "--base-url",
        &wire.base(aimock),
        "--model",
        wire.model(),
        "--question",
        question,
        "--rounds",
        "1",
    ])
    .config(ONE_REQUEST_PER_TURN)
    .run()
}

fn u64_at(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// The tokens aimock reports for a turn of `text`. OpenAI's usage chunk estimates a quarter of
/// the characters, rounded up; its Anthropic stream (message_start and message_delta) and its
/// Ollama final line (prompt_eval_count, eval_count) say 0.
fn aimock_tokens(wire: Wire, text: &str) -> (Option<u64>, Option<u64>) {
    match wire {
        Wire::Openai => (None, Some(text.chars().count().div_ceil(4) as u64)),
        Wire::Anthropic | Wire::Ollama => (Some(0), Some(0)),
    }
}

fn assert_full_debate(wire: Wire) {
    let aimock = Aimock::start(&fixtures());
    let run = debate(wire, &aimock, QUESTION);
    assert!(run.status().success(), "{wire:?}: {}", run.describe());
    let session = run.only_session();
    assert_eq!(
        run.stdout().trim(),
        run.session_paths[0].display().to_string()
    );
    assert_eq!(session["status"], "finished", "{session:#}");
    assert_eq!(session["debaters"][0]["provider"], wire.name());
    assert_eq!(session["debaters"][1]["model"], wire.model());

    let turns = session["turns"].as_array().expect("turns");
    assert_eq!(turns.len(), 2, "{session:#}");
    for (i, (turn, text)) in turns.iter().zip([TURN_A, TURN_B]).enumerate() {
        assert_eq!(turn["side"], ["A", "B"][i]);
        assert_eq!(turn["status"], "complete", "{wire:?} turn {i}: {turn:#}");
        // Streamed in 12-character chunks, put back together exactly.
        assert_eq!(turn["text"], text, "{wire:?} turn {i}");
        assert_eq!(turn.get("warnings"), None, "{wire:?} turn {i}: {turn:#}");

        let stats = &turn["stats"];
        assert_eq!(stats["provider"], wire.name());
        assert_eq!(stats["model"], wire.model());
        assert_eq!(stats["retries"], 0);
        let (input, output) = aimock_tokens(wire, text);
        if let Some(input) = input {
            assert_eq!(
                u64_at(stats, "input_tokens"),
                Some(input),
                "{wire:?}: {stats}"
            );
        } else {
            assert!(
                u64_at(stats, "input_tokens").is_some_and(|n| n > 0),
                "{wire:?}: {stats}"
            );
        }
        assert_eq!(u64_at(stats, "output_tokens"), output, "{wire:?}: {stats}");
        let ttft = u64_at(stats, "time_to_first_token_ms").expect("time to first token");
        assert!(ttft <= u64_at(stats, "total_ms").expect("total time"));
    }

    // The claims blocks were parsed, and the tree holds them.
    let claims = |i: usize| -> Vec<(String, String, String)> {
        turns[i]["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().into(),
                    c["relation"].as_str().unwrap().into(),
                    c["target"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let claim = |id: &str, rel: &str, target: &str| (id.into(), rel.into(), target.into());
    assert_eq!(
        claims(0),
        [
            claim("A1", "supports", "root"),
            claim("A2", "supports", "root")
        ]
    );
    assert_eq!(
        claims(1),
        [claim("B1", "attacks", "A1"), claim("B2", "attacks", "root")]
    );
    let node = |id: &str| -> Value {
        session["tree"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{wire:?}: no tree node {id}: {:#}", session["tree"]))
    };
    assert_eq!(node("root")["text"], QUESTION);
    let a1 = node("A1");
    assert_eq!(
        (&a1["parent"], &a1["side"], &a1["relation"], &a1["turn"]),
        (&json!("root"), &json!("A"), &json!("supports"), &json!(0))
    );
    assert_eq!(a1["text"], "Pricing cuts peak traffic.");
    let b1 = node("B1");
    assert_eq!(
        (&b1["parent"], &b1["side"], &b1["relation"], &b1["turn"]),
        (&json!("A1"), &json!("B"), &json!("attacks"), &json!(1))
    );
    assert_eq!(node("B2")["parent"], "root");
    assert_eq!(session["tree"]["nodes"].as_array().unwrap().len(), 5);
}

#[test]
fn openai_wire_debate_from_aimock_fixtures() {
    assert_full_debate(Wire::Openai);
}

#[test]
fn anthropic_wire_debate_from_aimock_fixtures() {
    assert_full_debate(Wire::Anthropic);
}

#[test]
fn ollama_ndjson_debate_from_aimock_fixtures() {
    assert_full_debate(Wire::Ollama);
}

#[test]
fn a_stream_cut_mid_turn_fails_the_turn_and_keeps_the_partial_text() {
    let aimock = Aimock::start(&fixtures());
    let question = format!("{QUESTION} {CUT}");
    for wire in WIRES {
        let run = debate(wire, &aimock, &question);
        assert_eq!(run.status().code(), Some(1), "{wire:?}: {}", run.describe());
        assert_eq!(run.stdout(), "");
        let session = run.only_session();
        let turns = session["turns"].as_array().unwrap();
        assert_eq!(turns.len(), 1, "{wire:?}: {session:#}");
        let turn = &turns[0];
        assert_eq!(turn["status"], "failed", "{wire:?}: {turn:#}");
        let text = turn["text"].as_str().unwrap();
        assert!(
            !text.is_empty() && text.len() < TURN_A.len() && TURN_A.starts_with(text),
            "{wire:?}: the partial text is a start of the turn: {text:?}"
        );
        assert_eq!(turn["claims"], json!([]), "a cut turn adds no claims");
        assert_eq!(
            session["tree"]["nodes"].as_array().unwrap().len(),
            1,
            "only the root"
        );
        let error = turn["error"].as_str().unwrap();
        assert!(error.contains("the stream broke"), "{wire:?}: {error}");
        assert_eq!(
            turn["stats"]["retries"], 0,
            "no retry after the first token"
        );
        let stderr = run.stderr();
        assert!(
            stderr.contains(&format!(
                "agon: [debate 1] could not finish: turn 1 (A, {} {}, round 1) failed:",
                wire.name(),
                wire.model()
            )) && stderr.contains(error),
            "{wire:?}: {stderr}"
        );
    }
}

#[test]
fn an_ollama_error_names_the_model_the_url_and_the_servers_message() {
    let aimock = Aimock::start(&fixtures());
    let run = debate(
        Wire::Ollama,
        &aimock,
        &format!("{QUESTION} {MISSING_MODEL}"),
    );
    assert_eq!(run.status().code(), Some(1), "{}", run.describe());
    let session = run.only_session();
    let turn = &session["turns"][0];
    assert_eq!(turn["status"], "failed");
    assert_eq!(turn["text"], "");
    assert_eq!(turn["stats"]["retries"], 0, "a 404 is not retried");
    let error = turn["error"].as_str().unwrap();
    let url = format!("{}/api/chat", aimock.base());
    assert!(
        error.contains("not found at")
            && error.contains(&url)
            && error.contains("(HTTP 404)")
            && error.contains("model 'llama-nope' not found"),
        "{error}"
    );
}

#[test]
fn an_ollama_rate_limit_is_retried_then_the_debate_goes_on() {
    let aimock = Aimock::start(&fixtures());
    let run = debate(Wire::Ollama, &aimock, &format!("{QUESTION} {RATE_LIMITED}"));
    assert!(run.status().success(), "{}", run.describe());
    let session = run.only_session();
    let turns = session["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0]["stats"]["retries"], 1);
    assert_eq!(turns[0]["text"], TURN_A);
    assert_eq!(turns[1]["stats"]["retries"], 0);
    assert_eq!(turns[1]["text"], TURN_B);
    let stderr = run.stderr();
    assert!(
        stderr.contains("turn 1 (A, ollama llama3.2): HTTP 429")
            && stderr.contains("slow down")
            && stderr.contains("retry 1 in 0.3 s"),
        "{stderr}"
    );
}
