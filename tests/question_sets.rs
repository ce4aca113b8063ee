//! The sample question set run headless end to end against a local OpenAI-compatible server on
//! 127.0.0.1 (wiremock): debaters that quote the hidden source they are given, and an LLM judge
//! that reads each turn. Every session is checked: where it came from, the seeded assignment,
//! the ground truth on the side holding the correct answer, quotes classified against the
//! source, and the LLM judge's judgement.

mod support;

use serde_json::{Value, json};
use std::collections::HashSet;
use support::servers::Headless;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const SAMPLE: &str = include_str!("../questions/sample.jsonl");

/// A made-up quote no source holds.
const INVENTED: &str = "the moon was made of brass that night";

/// Answers as a debater (a turn quoting the first sentence of its source word for word, and
/// one invented quote) or as the judge (a probability), by the request's model.
struct Models;

impl Respond for Models {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let system = body["messages"][0]["content"].as_str().unwrap_or_default();
        let user = body["messages"][1]["content"].as_str().unwrap_or_default();
        let text = if system.starts_with("You are about to argue one answer") {
            // Open roles: every chooser takes the set's second answer.
            assert!(system.contains("Answer 2: "), "{system}");
            r#"{"answer": 2}"#.to_string()
        } else if body["model"] == "judge-model" {
            assert!(system.contains("You are the judge"), "{system}");
            assert!(
                !system.contains("<source>") && !user.contains("<source>"),
                "the judge never reads the source"
            );
            assert!(!user.contains("debater-model"), "the judge is blind");
            r#"{"p_a": 0.35, "reason": "B's quotes check out."}"#.to_string()
        } else {
            // A question of a set has a source (the sessions' checked quotes show it was
            // given); a lone question has none.
            let source = system
                .split_once("<source>\n")
                .and_then(|(_, rest)| rest.split_once("\n</source>"))
                .map_or("There is no source.", |(s, _)| s);
            let first = source.split_inclusive(". ").next().unwrap_or(source).trim();
            let side = if system.contains("You are debater A") || user.contains("You are debater A")
            {
                "A"
            } else {
                "B"
            };
            let next = user
                .rsplit_once("Your next claim id is ")
                .map(|(_, id)| id.trim_end_matches('.'))
                .unwrap_or("X1");
            format!(
                "The source says <quote>{first}</quote>, and also <quote>{INVENTED}</quote>.\n\n\
                 ```claims\n{next} supports root: Side {side} has the evidence.\n```"
            )
        };
        let chunk =
            json!({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]});
        let stop = json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]});
        let body = format!("data: {chunk}\n\ndata: {stop}\n\ndata: [DONE]\n\n");
        ResponseTemplate::new(200)
            .insert_header("content-type", "text/event-stream")
            .set_body_string(body)
    }
}

fn config(base: &str) -> String {
    format!(
        r#"
[debaters.default]
provider = "openai"
model = "debater-model"
base_url = "{base}"
api_key_env = "AGON_TEST_NO_KEY"

[protocol]
rounds = 1

[judge]
provider = "openai"
model = "judge-model"
base_url = "{base}"
api_key_env = "AGON_TEST_NO_KEY"
"#
    )
}

/// The sample set's questions by id: (answers, correct index, source).
fn questions() -> Vec<Value> {
    SAMPLE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sample_set_runs_headless_with_an_llm_judge() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Models)
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let set = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questions/sample.jsonl");
    let run = tokio::task::spawn_blocking(move || {
        Headless::new(&[
            "--questions",
            set.to_str().unwrap(),
            "--seed",
            "42",
            "--concurrency",
            "4",
        ])
        .config(&config(&base))
        .run()
    })
    .await
    .unwrap();
    assert!(run.status().success(), "{}", run.describe());
    let questions = questions();
    assert_eq!(run.sessions.len(), questions.len(), "{}", run.describe());
    let mut seen = HashSet::new();
    let mut swapped = 0;
    for s in &run.sessions {
        let r = &s["question_ref"];
        assert_eq!(r["set"], "sample");
        assert_eq!(r["repeat"], 1);
        let id = r["id"].as_str().unwrap();
        assert!(seen.insert(id.to_string()), "{id} twice");
        let q = questions.iter().find(|q| q["id"] == id).unwrap();
        assert_eq!(r["tags"], q["tags"]);
        // Labels from the tags.
        assert_eq!(
            s["labels"]["kind"],
            q["tags"][0].as_str().unwrap().trim_start_matches("kind:")
        );
        // The seeded assignment, and the truth on the side holding the correct answer.
        let a = &s["assignment"];
        assert!(a["seed"].as_u64().is_some());
        let is_swapped = a["swapped"].as_bool().unwrap_or(false);
        swapped += usize::from(is_swapped);
        let (first, second) = if is_swapped { ("B", "A") } else { ("A", "B") };
        assert_eq!(s["positions"][first], q["answers"][0], "{id}");
        assert_eq!(s["positions"][second], q["answers"][1], "{id}");
        let correct = q["correct"].as_u64().unwrap();
        let truth = if correct == 0 { first } else { second };
        assert_eq!(s["ground_truth"], truth, "{id}");
        assert_eq!(s["source_text"], q["source"]);
        // Quotes classified against the source: the first sentence verified, the invention not.
        let turns = s["turns"].as_array().unwrap();
        assert_eq!(turns.len(), 2, "{id}: one round");
        for t in turns {
            let quotes = t["quotes"].as_array().unwrap();
            assert_eq!(quotes.len(), 2, "{id}: {t}");
            assert_eq!(quotes[0]["class"], "exact", "{id}: {}", quotes[0]);
            assert!(quotes[0]["source"]["start"].as_u64().is_some());
            assert_eq!(quotes[1]["text"], INVENTED);
            assert_eq!(quotes[1]["class"], "not_found");
        }
        // The LLM judge's judgement: a credence after each turn, and its verdict.
        let judgements = s["judgements"].as_array().unwrap();
        assert_eq!(judgements.len(), 1, "{id}");
        let j = &judgements[0];
        assert_eq!(j["kind"], "llm");
        assert_eq!(j["judge"], "openai:judge-model");
        assert_eq!(j["mode"], "each_turn");
        assert_eq!(j["blind"], true);
        let credences: Vec<&Value> = j["judge_events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "credence")
            .collect();
        assert_eq!(credences.len(), 2, "{id}: one per turn");
        assert_eq!(credences[0]["after_turn"], 0);
        assert_eq!(credences[1]["p_a"], 0.35);
        assert_eq!(credences[1]["reason"], "B's quotes check out.");
        assert_eq!(j["verdict"]["winner"], "B");
        assert_eq!(s["verdict"], Value::Null, "no human verdict");
    }
    assert!(
        swapped > 0 && swapped < questions.len(),
        "sides are drawn, not fixed: {swapped} of {} swapped",
        questions.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shards_split_the_set_and_consultancy_has_one_speaker() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Models)
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let set = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questions/sample.jsonl");
    let mut ids: Vec<String> = Vec::new();
    for shard in ["0/3", "1/3", "2/3"] {
        let (base, set) = (base.clone(), set.clone());
        let run = tokio::task::spawn_blocking(move || {
            Headless::new(&[
                "--questions",
                set.to_str().unwrap(),
                "--shard",
                shard,
                "--protocol",
                "consultancy",
                "--seed",
                "9",
            ])
            .config(&config(&base))
            .run()
        })
        .await
        .unwrap();
        assert!(run.status().success(), "{}", run.describe());
        for s in &run.sessions {
            assert_eq!(s["protocol"]["format"], "consultancy");
            let consultant = s["assignment"]["consultant"].as_str().unwrap();
            let turns = s["turns"].as_array().unwrap();
            assert_eq!(turns.len(), 1);
            assert_eq!(turns[0]["side"], consultant);
            assert_eq!(s["debaters"].as_array().unwrap().len(), 1);
            ids.push(s["question_ref"]["id"].as_str().unwrap().to_string());
        }
    }
    ids.sort();
    let mut all: Vec<String> = questions()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    all.sort();
    assert_eq!(ids, all, "the shards are disjoint and cover the set");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_roles_let_the_chooser_take_its_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Models)
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let set = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questions/sample.jsonl");
    let run = tokio::task::spawn_blocking(move || {
        Headless::new(&[
            "--questions",
            set.to_str().unwrap(),
            "--roles",
            "open",
            "--simultaneous",
            "--seed",
            "5",
        ])
        .config(&config(&base))
        .run()
    })
    .await
    .unwrap();
    assert!(run.status().success(), "{}", run.describe());
    let questions = questions();
    assert_eq!(run.sessions.len(), questions.len());
    for s in &run.sessions {
        let id = s["question_ref"]["id"].as_str().unwrap();
        let q = questions.iter().find(|q| q["id"] == id).unwrap();
        assert_eq!(s["protocol"]["roles"], "open");
        assert_eq!(s["protocol"]["kind"], "simultaneous");
        let a = &s["assignment"];
        let chooser = a["chooser"].as_str().unwrap();
        assert_eq!(a["choice"]["answer"], 1, "{id}: {a}");
        assert_eq!(
            s["positions"][chooser], q["answers"][1],
            "{id}: the chooser holds its choice"
        );
        let debaters = s["debaters"].as_array().unwrap();
        for d in debaters {
            assert_eq!(
                d["chose_side"].as_bool().unwrap_or(false),
                d["side"] == chooser
            );
        }
        // The truth followed its answer.
        let correct = q["correct"].as_u64().unwrap();
        let truth_answer = &q["answers"][correct as usize];
        let truth = s["ground_truth"].as_str().unwrap();
        assert_eq!(&s["positions"][truth], truth_answer, "{id}");
        // Simultaneous: the LLM judge read both speeches of the round at once.
        let j = &s["judgements"][0];
        let credences: Vec<&Value> = j["judge_events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "credence")
            .collect();
        assert_eq!(credences.len(), 1, "{id}: one answer for the round");
        assert_eq!(credences[0]["after_turn"], 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_headless_debate_takes_the_llm_judge_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Models)
        .mount(&server)
        .await;
    let base = format!("{}/v1", server.uri());
    let run = tokio::task::spawn_blocking(move || {
        Headless::new(&[
            "--question",
            "Is a judge without a question set still a judge?",
            "--judge",
            "openai:judge-model",
            "--judge-when",
            "end",
        ])
        .config(&config(&base))
        .run()
    })
    .await
    .unwrap();
    assert!(run.status().success(), "{}", run.describe());
    let s = run.only_session();
    let j = &s["judgements"][0];
    assert_eq!(j["kind"], "llm", "{s:#}");
    assert_eq!(j["judge"], "openai:judge-model");
    assert_eq!(j["mode"], "end");
    assert_eq!(j["verdict"]["winner"], "B", "P(A) = 0.35");
    assert_eq!(j["usage"]["requests"], 1);
}
