//! A resume keeps what a checkpoint saved of a turn cut off by SIGKILL: `agon run --headless`
//! is killed while a slow server streams the first turn (once a checkpoint of it is on disk),
//! then `agon resume FILE` runs in tmux against the same server, which now answers at once.
//! The cut-off turn is played again, and what the checkpoint held stays inside that turn as
//! its first attempt, word for word.

mod support;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::stream::{self, ONE_REQUEST_PER_TURN};
use support::tmux::{Pane, read_json};

const WAIT: Duration = Duration::from_secs(20);
/// Words of a slow reply: far more than arrive before the kill.
const SLOW_WORDS: usize = 400;
const SLOW_DELAY: Duration = Duration::from_millis(20);
/// Words on disk before the kill: enough that the checkpoint, not a first chunk, holds them.
const CHECKPOINTED_WORDS: usize = 10;

/// An OpenAI-wire server on 127.0.0.1: slow (a word every [`SLOW_DELAY`]) until told to be
/// fast, then each reply at once. Reply `n` says `rNwI` for its I-th word.
struct Server {
    url: String,
    fast: Arc<AtomicBool>,
    replies: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v1", listener.local_addr().unwrap());
        let fast = Arc::new(AtomicBool::new(false));
        let replies = Arc::new(AtomicUsize::new(0));
        let (f, r) = (fast.clone(), replies.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let n = r.fetch_add(1, Ordering::SeqCst);
                let fast = f.load(Ordering::SeqCst);
                std::thread::spawn(move || serve(conn, n, fast));
            }
        });
        Server { url, fast, replies }
    }
}

/// Answers one request with reply `n`; stops at the first write that fails.
fn serve(conn: TcpStream, n: usize, fast: bool) {
    let Some(mut reply) = stream::Reply::accept(conn) else {
        return;
    };
    let words = if fast { 5 } else { SLOW_WORDS };
    for i in 0..words {
        if !fast {
            std::thread::sleep(SLOW_DELAY);
        }
        if !reply.word(&format!("r{n}w{i} ")) {
            return;
        }
    }
    reply.finish();
}

/// The session file of `dir` once its last turn is streaming with at least `words` words on
/// disk: its path and that turn's text.
fn wait_for_checkpoint(dir: &Path, words: usize) -> (PathBuf, String) {
    let started = Instant::now();
    loop {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().path())
                    .filter(|p| {
                        let name = p.file_name().unwrap().to_string_lossy();
                        name.ends_with(".json") && !name.starts_with('.')
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let [file] = files.as_slice() {
            let json = read_json(file);
            let turns = json["turns"].as_array().cloned().unwrap_or_default();
            if let [turn] = turns.as_slice()
                && turn["status"] == "streaming"
                && let Some(text) = turn["text"].as_str()
                && text.split_whitespace().count() >= words
            {
                return (file.clone(), text.to_string());
            }
        }
        assert!(
            started.elapsed() < WAIT,
            "no checkpoint of {words} words of the first turn after {WAIT:?} in {files:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_resume_keeps_the_checkpointed_text_of_a_turn_cut_off_by_sigkill() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, ONE_REQUEST_PER_TURN).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_agon"))
        .arg("--sessions-dir")
        .arg(&sessions)
        .arg("--config")
        .arg(&config)
        .args(["run", "--headless", "--provider", "openai", "--base-url"])
        .arg(&server.url)
        .args(["--model", "slow", "--question", "Does a resume keep it?"])
        .args(["--rounds", "1"])
        .env_remove("OPENAI_API_KEY")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (file, seen) = wait_for_checkpoint(&sessions, CHECKPOINTED_WORDS);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // Another checkpoint may have landed between the look and the kill: the file has the last.
    let before = read_json(&file);
    assert_eq!(before["turns"][0]["status"], "streaming");
    let checkpointed = before["turns"][0]["text"].as_str().unwrap().to_string();
    assert!(
        checkpointed.starts_with(&seen) && seen.starts_with("r0w0 r0w1 "),
        "{seen:?} then {checkpointed:?}"
    );

    server.fast.store(true, Ordering::SeqCst);
    let path = file.display().to_string();
    let config = config.display().to_string();
    let pane = Pane::start(
        "resume-checkpoint",
        &["--config", &config, "resume", &path],
        100,
        30,
    );
    pane.wait_for("■ finished", WAIT);
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);

    let after = read_json(&file);
    let turns = after["turns"].as_array().unwrap();
    assert_eq!(
        turns.len(),
        2,
        "the cut-off turn is played once more, not doubled"
    );
    let first = &turns[0];
    assert_eq!(first["status"], "complete");
    assert_eq!(first["side"], "A");
    assert!(
        first["text"].as_str().unwrap().starts_with("r1w0 "),
        "the turn was played again by the next request: {first}"
    );
    let attempts = first["attempts"].as_array().expect("the turn has attempts");
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert_eq!(
        attempts[0]["text"].as_str(),
        Some(checkpointed.as_str()),
        "the checkpointed text is kept as the turn's first attempt"
    );
    assert_eq!(attempts[0]["status"], "stopped");
    assert_eq!(turns[1]["status"], "complete");
    assert_eq!(after["status"], "finished");
    assert_eq!(
        server.replies.load(Ordering::SeqCst),
        3,
        "one request per turn played"
    );
}
