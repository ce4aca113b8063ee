//! The real `agon` binary, headless, against llmock (a real OpenAI/Anthropic mock server from
//! PyPI) on 127.0.0.1: whole debates over both wires, then every fault llmock can script (rate
//! limits, overload, persistent errors, bad credentials, streams cut, dropped or corrupted).
//!
//! llmock answers in its `echo` style, and journals every request it served with its body, so
//! each test knows exactly what was streamed and checks the session against it.

mod support;

use serde_json::{Value, json};
use support::servers::{Headless, HeadlessRun, Llmock};
use support::stream::ONE_REQUEST_PER_TURN;

const QUESTION: &str =
    "Should the city adopt congestion pricing for its downtown core at peak hours?";
const OPENAI_MODEL: &str = "gpt-4o-mini";
const ANTHROPIC_MODEL: &str = "claude-3-5-haiku-latest";

#[derive(Clone, Copy, PartialEq, Debug)]
enum Wire {
    Openai,
    Anthropic,
}

impl Wire {
    fn name(self) -> &'static str {
        match self {
            Wire::Openai => "openai",
            Wire::Anthropic => "anthropic",
        }
    }

    fn model(self) -> &'static str {
        match self {
            Wire::Openai => OPENAI_MODEL,
            Wire::Anthropic => ANTHROPIC_MODEL,
        }
    }

    fn base(self, llmock: &Llmock) -> String {
        match self {
            Wire::Openai => llmock.openai_base(),
            Wire::Anthropic => llmock.anthropic_base(),
        }
    }

    fn path(self) -> &'static str {
        match self {
            Wire::Openai => "/v1/chat/completions",
            Wire::Anthropic => "/anthropic/v1/messages",
        }
    }

    /// The stream's end marker, as agon names it in errors.
    fn end_marker(self) -> &'static str {
        match self {
            Wire::Openai => "[DONE]",
            Wire::Anthropic => "message_stop",
        }
    }

    /// SSE events llmock sends before the first text: OpenAI's role-only chunk; Anthropic's
    /// message_start, content_block_start and ping.
    fn events_before_text(self) -> usize {
        match self {
            Wire::Openai => 1,
            Wire::Anthropic => 3,
        }
    }
}

/// `--provider W --base-url B --model M --question Q --rounds 1`
fn debate_args(wire: Wire, llmock: &Llmock) -> Vec<String> {
    [
        "--provider",
        wire.name(),
        "--base-url",
        &wire.base(llmock),
        "--model",
        wire.model(),
        "--question",
        QUESTION,
        "--rounds",
        "1",
    ]
    .map(String::from)
    .to_vec()
}

/// The user and (OpenAI) system texts llmock turns into its prompt, in its order.
fn prompt_parts(body: &Value) -> Vec<String> {
    body["messages"]
        .as_array()
        .expect("a request with messages")
        .iter()
        .map(|m| m["content"].as_str().expect("text content").to_string())
        .collect()
}

/// What llmock's echo style streams for a request: "Hello! You said: " and the first 120
/// characters of the prompt (OpenAI: every message; Anthropic: the messages, not `system`), with
/// runs of whitespace collapsed.
fn llmock_echo(body: &Value) -> String {
    let prompt = prompt_parts(body).join(" ");
    let collapsed = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    let head: String = collapsed.chars().take(120).collect();
    format!("Hello! You said: {head}")
}

/// llmock's token estimate: a quarter of the characters, rounded down, per text.
fn quarter(text: &str) -> u64 {
    (text.chars().count() / 4) as u64
}

/// The `input_tokens` llmock reports for a request.
fn llmock_input_tokens(body: &Value) -> u64 {
    let messages: u64 = prompt_parts(body).iter().map(|p| quarter(p)).sum();
    messages + body["system"].as_str().map_or(0, quarter)
}

/// The `output_tokens` llmock reports for a reply text.
fn llmock_output_tokens(text: &str) -> u64 {
    quarter(text).max(1)
}

/// llmock's stream pieces: each word with the whitespace after it (the first also with the
/// whitespace before it); they join back to the text.
fn pieces(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut seen_word = false;
    let mut in_space_after_word = false;
    for c in text.chars() {
        if c.is_whitespace() {
            in_space_after_word = seen_word;
        } else {
            if in_space_after_word {
                out.push(std::mem::take(&mut current));
                in_space_after_word = false;
            }
            seen_word = true;
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    assert_eq!(out.concat(), text);
    out
}

fn successful(requests: &[Value]) -> Vec<&Value> {
    requests.iter().filter(|r| r["status"] == 200).collect()
}

fn u64_at(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// llmock's own grading of agon's retry behaviour has no errors (retry-after honoured, no retry
/// of a non-retryable status, no retry storm).
fn assert_llmock_verdict_clean(llmock: &Llmock) {
    let verdict = llmock.verdict();
    assert_eq!(
        verdict["errors"], 0,
        "llmock's verdict on agon: {verdict:#}"
    );
}

/// A whole one-round debate went through: exit 0, the session path on stdout, and two complete
/// turns whose texts, tokens and timings match what llmock served, each retried as often as
/// `retries` says.
fn assert_complete_debate(run: &HeadlessRun, wire: Wire, llmock: &Llmock, retries: [u64; 2]) {
    assert!(run.status().success(), "{}", run.describe());
    let session = run.only_session();
    assert_eq!(
        run.stdout().trim(),
        run.session_paths[0].display().to_string(),
        "stdout names the session file"
    );
    assert_eq!(session["question"], QUESTION);
    assert_eq!(session["status"], "finished", "{session:#}");
    for (debater, side) in session["debaters"]
        .as_array()
        .unwrap()
        .iter()
        .zip(["A", "B"])
    {
        assert_eq!(debater["side"], side);
        assert_eq!(debater["provider"], wire.name());
        assert_eq!(debater["model"], wire.model());
        assert_eq!(debater["base_url"], wire.base(llmock).as_str());
    }

    let requests = llmock.requests();
    let served = successful(&requests);
    assert_eq!(served.len(), 2, "one request per turn: {requests:#?}");
    let turns = session["turns"].as_array().expect("turns");
    assert_eq!(turns.len(), 2, "{session:#}");
    for (i, (turn, request)) in turns.iter().zip(&served).enumerate() {
        let side = ["A", "B"][i];
        assert_eq!(turn["index"], i);
        assert_eq!(turn["side"], side);
        assert_eq!(turn["round"], 1);
        assert_eq!(turn["status"], "complete", "turn {i}: {turn:#}");
        assert!(turn.get("error").is_none(), "turn {i}: {turn:#}");

        // What agon sent.
        assert_eq!(request["path"], wire.path());
        let body = &request["body"];
        assert_eq!(body["model"], wire.model());
        assert_eq!(body["stream"], true);
        match wire {
            Wire::Openai => {
                assert_eq!(body["stream_options"]["include_usage"], true);
                assert_eq!(body["messages"][0]["role"], "system");
                let system = body["messages"][0]["content"].as_str().unwrap();
                assert!(system.contains(QUESTION), "{system}");
            }
            Wire::Anthropic => {
                assert_eq!(body["max_tokens"], 1024);
                assert!(body["system"].as_str().unwrap().contains(QUESTION));
                assert_eq!(body["messages"][0]["role"], "user");
            }
        }

        // What came back is exactly what llmock streamed.
        let text = turn["text"].as_str().expect("text");
        let expected = llmock_echo(body);
        assert!(expected.len() > "Hello! You said: ".len());
        assert_eq!(text, expected, "turn {i} text");

        let stats = &turn["stats"];
        assert_eq!(stats["provider"], wire.name());
        assert_eq!(stats["model"], wire.model());
        assert_eq!(stats["retries"], retries[i], "turn {i}: {stats}");
        assert_eq!(
            u64_at(stats, "input_tokens"),
            Some(llmock_input_tokens(body)),
            "turn {i}: {stats}"
        );
        assert_eq!(
            u64_at(stats, "output_tokens"),
            Some(llmock_output_tokens(text)),
            "turn {i}: {stats}"
        );
        let ttft = u64_at(stats, "time_to_first_token_ms").expect("time to first token");
        let total = u64_at(stats, "total_ms").expect("total time");
        assert!(ttft <= total, "{stats}");
        assert!(total < 30_000, "{stats}");
    }
    assert_ne!(
        turns[0]["text"], turns[1]["text"],
        "each side got its own prompt"
    );
}

/// Runs one debate against `llmock` with `wire`, with a distinctive Anthropic key set.
fn run_debate(wire: Wire, llmock: &Llmock) -> HeadlessRun {
    Headless::new(&debate_args(wire, llmock))
        .env("ANTHROPIC_API_KEY", "sk-ant-test-key-8d1f")
        .config(ONE_REQUEST_PER_TURN)
        .run()
}

/// The single stderr line agon prints when a debate cannot finish.
fn failure_line(run: &HeadlessRun) -> String {
    let stderr = run.stderr();
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("agon: ")).collect();
    assert_eq!(lines.len(), 1, "one failure line:\n{}", run.describe());
    lines[0].to_string()
}

/// The debate stopped at its first turn, which failed: the run exits 1, names the failure and
/// the partial session on stderr, and the session holds the failed turn. Returns the turn.
fn assert_failed_first_turn(run: &HeadlessRun) -> Value {
    assert_eq!(run.status().code(), Some(1), "{}", run.describe());
    assert_eq!(run.stdout(), "", "no finished session is announced");
    let session = run.only_session();
    assert_eq!(session["status"], "running");
    let turns = session["turns"].as_array().expect("turns");
    assert_eq!(
        turns.len(),
        1,
        "the debate stops at the failed turn: {session:#}"
    );
    let turn = &turns[0];
    assert_eq!(turn["side"], "A");
    assert_eq!(turn["status"], "failed", "{turn:#}");
    assert_eq!(turn["claims"], json!([]));
    let error = turn["error"].as_str().expect("a failed turn has an error");
    let line = failure_line(run);
    assert!(
        line.contains("turn 1 (A, ") && line.contains("round 1) failed") && line.contains(error),
        "{line}"
    );
    assert!(
        line.contains(&run.session_paths[0].display().to_string()),
        "the failure line names the partial session: {line}"
    );
    turn.clone()
}

#[test]
fn openai_wire_streams_a_whole_debate_into_the_session() {
    let llmock = Llmock::start();
    let run = run_debate(Wire::Openai, &llmock);
    assert_complete_debate(&run, Wire::Openai, &llmock, [0, 0]);
}

#[test]
fn anthropic_wire_streams_a_whole_debate_into_the_session() {
    let llmock = Llmock::start();
    let run = run_debate(Wire::Anthropic, &llmock);
    assert_complete_debate(&run, Wire::Anthropic, &llmock, [0, 0]);
    let all = format!("{}{}{:?}", run.stdout(), run.stderr(), run.sessions);
    assert!(!all.contains("sk-ant-test-key-8d1f"), "the key leaked");
}

#[test]
fn a_rate_limit_is_retried_after_the_servers_wait() {
    let llmock = Llmock::start();
    // llmock sends both `retry-after: 1` and `retry-after-ms: 500`; agon reads the latter.
    llmock.scenario(json!([{
        "type": "fail", "status": 429, "retry_after": 0.5, "times": 1,
        "match": {"provider": "openai"}
    }]));
    let run = run_debate(Wire::Openai, &llmock);
    assert_complete_debate(&run, Wire::Openai, &llmock, [1, 0]);
    let session = run.only_session();
    let ttft = u64_at(&session["turns"][0]["stats"], "time_to_first_token_ms").unwrap();
    assert!(
        ttft >= 450,
        "the first token came after the wait: {ttft} ms"
    );

    let stderr = run.stderr();
    assert!(
        stderr.contains("turn 1 (A, openai gpt-4o-mini): HTTP 429")
            && stderr.contains("retry 1 in 0.5 s"),
        "{stderr}"
    );
    let requests = llmock.requests();
    let statuses: Vec<&Value> = requests.iter().map(|r| &r["status"]).collect();
    assert_eq!(statuses, [429, 200, 200], "{requests:#?}");
    let gap =
        requests[1]["started_at"].as_f64().unwrap() - requests[0]["ended_at"].as_f64().unwrap();
    assert!(
        gap >= 0.45,
        "retried after {gap:.3}s, before the 0.5s asked"
    );
    assert_llmock_verdict_clean(&llmock);
}

#[test]
fn anthropic_overload_529_is_retried_once() {
    let llmock = Llmock::start();
    llmock.scenario(json!([{
        "type": "fail", "status": 529, "retry_after": 0.2, "times": 1,
        "match": {"provider": "anthropic"}
    }]));
    let run = run_debate(Wire::Anthropic, &llmock);
    assert_complete_debate(&run, Wire::Anthropic, &llmock, [1, 0]);
    let stderr = run.stderr();
    assert!(
        stderr.contains("(A, anthropic claude-3-5-haiku-latest): HTTP 529")
            && stderr.contains("overloaded_error")
            && stderr.contains("retry 1 in 0.2 s"),
        "{stderr}"
    );
    let requests = llmock.requests();
    let statuses: Vec<&Value> = requests.iter().map(|r| &r["status"]).collect();
    assert_eq!(statuses, [529, 200, 200], "{requests:#?}");
    assert_llmock_verdict_clean(&llmock);
}

#[test]
fn persistent_server_errors_give_up_after_the_configured_attempts() {
    let llmock = Llmock::start();
    llmock.scenario(json!([{
        "type": "fail", "status": 500, "times": 1000, "match": {"provider": "openai"}
    }]));
    let run = Headless::new(&debate_args(Wire::Openai, &llmock))
        .config(&format!(
            "{ONE_REQUEST_PER_TURN}[network]\nmax_retries = 2\nretry_base_ms = 50\n"
        ))
        .run();
    let turn = assert_failed_first_turn(&run);
    assert_eq!(turn["text"], "");
    let error = turn["error"].as_str().unwrap();
    assert!(
        error.starts_with("HTTP 500") && error.ends_with("(gave up after 3 attempts)"),
        "{error}"
    );
    let stderr = run.stderr();
    assert!(
        stderr.contains("retry 1 in") && stderr.contains("retry 2 in"),
        "{stderr}"
    );
    assert!(!stderr.contains("retry 3 in"), "{stderr}");
    let requests = llmock.requests();
    assert_eq!(
        requests.len(),
        3,
        "max_retries = 2 means 3 attempts: {requests:#?}"
    );
    assert!(requests.iter().all(|r| r["status"] == 500));
    // A backoff (from retry_base_ms = 50: 25-50 ms, then 50-100 ms) before each retry.
    let gaps: Vec<f64> = requests
        .windows(2)
        .map(|w| w[1]["started_at"].as_f64().unwrap() - w[0]["ended_at"].as_f64().unwrap())
        .collect();
    assert!(gaps[0] >= 0.01 && gaps[1] >= 0.02, "{gaps:?}");
    assert!(gaps.iter().all(|g| *g < 5.0), "{gaps:?}");
    assert_llmock_verdict_clean(&llmock);
}

#[test]
fn bad_credentials_fail_at_once_and_name_the_key_variable() {
    let llmock = Llmock::start();

    // No OPENAI_API_KEY in the environment.
    llmock.scenario(json!([{
        "type": "fail", "status": 401, "times": 1, "match": {"provider": "openai"}
    }]));
    let run = run_debate(Wire::Openai, &llmock);
    let turn = assert_failed_first_turn(&run);
    let error = turn["error"].as_str().unwrap();
    assert!(
        error.contains("refused the credentials (HTTP 401)")
            && error.contains("$OPENAI_API_KEY is not set"),
        "{error}"
    );
    assert_eq!(turn["stats"]["retries"], 0);
    assert_eq!(llmock.requests().len(), 1, "a 401 is never retried");
    assert_llmock_verdict_clean(&llmock);

    // A key that the server refuses; it must not show anywhere.
    llmock.reset();
    llmock.scenario(json!([{
        "type": "fail", "status": 401, "times": 1, "match": {"provider": "anthropic"}
    }]));
    let run = run_debate(Wire::Anthropic, &llmock);
    let turn = assert_failed_first_turn(&run);
    let error = turn["error"].as_str().unwrap();
    assert!(
        error.contains("refused the credentials (HTTP 401)")
            && error.contains("the key comes from $ANTHROPIC_API_KEY"),
        "{error}"
    );
    assert_eq!(turn["stats"]["retries"], 0);
    assert_eq!(llmock.requests().len(), 1, "a 401 is never retried");
    let all = format!("{}{}{:?}", run.stdout(), run.stderr(), run.sessions);
    assert!(!all.contains("sk-ant-test-key-8d1f"), "the key leaked");
    assert_llmock_verdict_clean(&llmock);
}

/// llmock breaks the stream after `AFTER_CHUNKS` SSE events (text has begun by then on both
/// wires): the turn fails at once, with the text received so far, and is not retried.
const AFTER_CHUNKS: usize = 6;

fn assert_stream_fault(kind: &str, error_says: impl Fn(Wire) -> String) {
    let llmock = Llmock::start();
    for wire in [Wire::Openai, Wire::Anthropic] {
        llmock.reset();
        llmock.scenario(json!([{
            "type": "stream_fault", "kind": kind, "after_chunks": AFTER_CHUNKS, "times": 1,
            "match": {"provider": wire.name()}
        }]));
        let run = run_debate(wire, &llmock);
        let turn = assert_failed_first_turn(&run);
        let requests = llmock.requests();
        assert_eq!(
            requests.len(),
            1,
            "{wire:?}: no retry once text has come: {requests:#?}"
        );
        assert_eq!(
            requests[0]["fault"],
            format!("stream:{kind}@{AFTER_CHUNKS}"),
            "{wire:?}: {requests:#?}"
        );

        // Exactly the pieces that arrived before the fault.
        let full = llmock_echo(&requests[0]["body"]);
        let arrived = pieces(&full)[..AFTER_CHUNKS - wire.events_before_text()].concat();
        assert!(!arrived.is_empty());
        assert_eq!(turn["text"], arrived.as_str(), "{wire:?}: the partial text");

        let error = turn["error"].as_str().unwrap();
        // The error says what happened; who it was is the turn's record (and the log's).
        assert!(!error.contains(wire.model()), "{wire:?}: {error}");
        let who = format!("(A, {} {}", wire.name(), wire.model());
        assert!(run.stderr().contains(&who), "{wire:?}: {}", run.stderr());
        let says = error_says(wire);
        assert!(
            error.contains(&says),
            "{wire:?}: {error:?} should say {says:?}"
        );
        assert_eq!(turn["stats"]["retries"], 0, "{wire:?}");
        assert_eq!(turn["stats"]["provider"], wire.name());
    }
}

#[test]
fn a_truncated_stream_fails_the_turn_and_keeps_the_partial_text() {
    assert_stream_fault("truncate", |wire| {
        format!(
            "the stream ended before its end marker ({}); the turn was cut off",
            wire.end_marker()
        )
    });
}

#[test]
fn a_dropped_connection_fails_the_turn_and_keeps_the_partial_text() {
    assert_stream_fault("disconnect", |_| "the stream broke".to_string());
}

#[test]
fn a_malformed_chunk_fails_the_turn_and_keeps_the_partial_text() {
    assert_stream_fault("malformed", |_| "malformed stream chunk".to_string());
}

#[test]
fn pieces_split_like_llmock() {
    assert_eq!(
        pieces("Hello! You  said:\nx "),
        ["Hello! ", "You  ", "said:\n", "x "]
    );
    assert_eq!(pieces(" lead"), [" lead"]);
}
