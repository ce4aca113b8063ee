//! Crash durability: live debates against a slow local server, killed with SIGKILL at random
//! moments. After each kill every session file must load, every turn the server finished
//! sending more than [`LAG`] before the kill must be on disk complete and exactly as sent, the
//! turn that was streaming must be on disk up to what the server sent [`LAG`] before the kill
//! (the checkpoints), and every credence the screen confirmed must be in the file.
//!
//! `AGON_CRASH_RUNS=N` runs N debates (default 30); `AGON_CRASH_SEED=S` replays one sequence.
//! A failure prints the seed and the run. Two in every three runs are headless
//! (`agon run --headless`); the third runs the TUI in tmux and records credences while the
//! debaters speak.

mod support;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::stream::{self, ONE_REQUEST_PER_TURN};
use support::tmux::Pane;

/// How far behind the server the file may be: the bound for checkpoints of a
/// streaming turn (every 1.5 s, on a 250 ms tick), and more than a finished turn's save takes.
const LAG: Duration = Duration::from_secs(2);
const DEFAULT_RUNS: u64 = 30;

/// splitmix64: a seeded sequence, so a failing run can be replayed exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi` (`lo` when the range is empty).
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi.saturating_sub(lo) + 1)
    }
}

/// One streamed reply as the server sent it.
#[derive(Debug, Clone, Default)]
struct Reply {
    /// Each word (with its trailing space) and when it was written to the socket.
    words: Vec<(String, Instant)>,
    /// When the last chunk and `[DONE]` went out.
    done: Option<Instant>,
}

impl Reply {
    fn text(&self) -> String {
        self.words.iter().map(|(w, _)| w.as_str()).collect()
    }

    /// What had been sent by `t`.
    fn sent_by(&self, t: Instant) -> String {
        self.words
            .iter()
            .filter(|(_, at)| *at <= t)
            .map(|(w, _)| w.as_str())
            .collect()
    }
}

/// How the server streams: `words` words per reply, one every `delay`.
#[derive(Debug, Clone, Copy)]
struct Pace {
    words: usize,
    delay: Duration,
}

/// An OpenAI-wire server on 127.0.0.1 that streams each reply a word at a time and logs what
/// it sent when. Reply `n` says `rNwI` for its I-th word, so a turn on disk names its reply.
struct SlowServer {
    url: String,
    log: Arc<Mutex<Vec<Reply>>>,
}

impl SlowServer {
    fn start(pace: Pace) -> SlowServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v1", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::<Reply>::new()));
        let shared = log.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let log = shared.clone();
                std::thread::spawn(move || serve(conn, pace, &log));
            }
        });
        SlowServer { url, log }
    }

    fn replies(&self) -> Vec<Reply> {
        self.log.lock().unwrap().clone()
    }
}

/// Answers one request, streaming a reply and logging when each word went out; stops at the
/// first write that fails (the client was killed).
fn serve(conn: TcpStream, pace: Pace, log: &Mutex<Vec<Reply>>) {
    let Some(mut reply) = stream::Reply::accept(conn) else {
        return;
    };
    let n = {
        let mut log = log.lock().unwrap();
        log.push(Reply::default());
        log.len() - 1
    };
    for i in 0..pace.words {
        std::thread::sleep(pace.delay);
        let word = format!("r{n}w{i} ");
        if !reply.word(&word) {
            return;
        }
        log.lock().unwrap()[n].words.push((word, Instant::now()));
    }
    if reply.finish() {
        log.lock().unwrap()[n].done = Some(Instant::now());
    }
}

/// The arguments that point both debaters at the server.
fn debate_args(url: &str, rounds: u64) -> Vec<String> {
    [
        "--provider",
        "openai",
        "--base-url",
        url,
        "--model",
        "slow",
        "--question",
        "Does a crash lose work?",
        "--rounds",
        &rounds.to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The session files of a sessions folder (temporary files excluded), each loaded with agon's
/// own loader; panics naming the file that does not load.
fn load_all(dir: &Path) -> Vec<(PathBuf, agon::domain::Session)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') || !name.ends_with(".json") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let loaded = agon::storage::parse(&path, &bytes).unwrap_or_else(|e| {
            panic!(
                "{} does not load after the kill: {e:#}\n{}",
                path.display(),
                String::from_utf8_lossy(&bytes)
            )
        });
        out.push((path, loaded.session));
    }
    out
}

/// Which reply a turn's text came from (`rN` of its first word).
fn reply_of(text: &str) -> Option<usize> {
    let first = text.split_whitespace().next()?;
    first.strip_prefix('r')?.split('w').next()?.parse().ok()
}

/// What the file held: complete turns, and the words of an unfinished one.
fn summary(session: &agon::domain::Session) -> String {
    use agon::domain::TurnStatus;
    let complete = session
        .turns()
        .iter()
        .filter(|t| t.status == TurnStatus::Complete)
        .count();
    let partial: Vec<usize> = session
        .turns()
        .iter()
        .filter(|t| t.status != TurnStatus::Complete)
        .map(|t| t.text.split_whitespace().count())
        .collect();
    format!(
        "{complete} complete turns, unfinished {partial:?} words, {} judge events",
        session.judge_events.len()
    )
}

/// Checks the files against what the server sent before `killed_at`; returns what failed.
fn check(session: &agon::domain::Session, replies: &[Reply], killed_at: Instant) -> Vec<String> {
    use agon::domain::TurnStatus;
    let mut failures = Vec::new();
    let cutoff = killed_at.checked_sub(LAG).unwrap();
    let on_disk: Vec<_> = session
        .turns()
        .iter()
        .filter_map(|t| Some((reply_of(&t.text)?, t)))
        .collect();
    for (n, reply) in replies.iter().enumerate() {
        let turn = on_disk.iter().find(|(m, _)| *m == n).map(|(_, t)| *t);
        let owed = reply.sent_by(cutoff);
        match (reply.done, turn) {
            (Some(done), turn) if done <= cutoff => match turn {
                Some(t)
                    if t.status == TurnStatus::Complete
                        && t.text.trim_end() == reply.text().trim_end() => {}
                Some(t) => failures.push(format!(
                    "reply {n} ended {:?} before the kill but its turn is {:?}: {:?} (sent {:?})",
                    killed_at - done,
                    t.status,
                    t.text,
                    reply.text()
                )),
                None => failures.push(format!(
                    "reply {n} ended {:?} before the kill and no turn holds it",
                    killed_at - done
                )),
            },
            (_, Some(t)) => {
                if !reply.text().starts_with(t.text.trim_end()) {
                    failures.push(format!(
                        "turn of reply {n} is not what the server sent: {:?} vs {:?}",
                        t.text,
                        reply.text()
                    ));
                }
                if t.text.trim_end().len() < owed.trim_end().len() {
                    failures.push(format!(
                        "the streaming turn of reply {n} is more than {LAG:?} behind: the file \
                         has {} words, the server had sent {} by then ({} by the kill)",
                        t.text.split_whitespace().count(),
                        owed.split_whitespace().count(),
                        reply.words.len()
                    ));
                }
            }
            (_, None) if !owed.is_empty() => failures.push(format!(
                "reply {n} had sent {} words {LAG:?} before the kill and no turn holds them",
                owed.split_whitespace().count()
            )),
            (_, None) => {}
        }
    }
    failures
}

/// One headless debate killed at `kill_after`.
fn headless_run(pace: Pace, rounds: u64, kill_after: Duration) -> (Vec<String>, String) {
    let server = SlowServer::start(pace);
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
        .args(["run", "--headless"])
        .args(debate_args(&server.url, rounds))
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
    let started = Instant::now();
    while started.elapsed() < kill_after {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill(); // SIGKILL
    let killed_at = Instant::now();
    let _ = child.wait();
    let files = load_all(&sessions);
    let replies = server.replies();
    let mut failures = Vec::new();
    match files.as_slice() {
        [] if replies
            .iter()
            .all(|r| r.sent_by(killed_at - LAG).is_empty()) => {}
        [] => failures.push("no session file, yet the server had streamed".to_string()),
        [(_, s)] => failures.extend(check(s, &replies, killed_at)),
        more => failures.push(format!("one debate, {} files", more.len())),
    }
    let seen = files.first().map_or("no file".into(), |(_, s)| summary(s));
    (failures, seen)
}

/// One debate in the TUI, with a credence recorded at each of `credences` moments, killed at
/// `kill_after`.
fn tui_run(
    pace: Pace,
    rounds: u64,
    credences: &[Duration],
    kill_after: Duration,
) -> (Vec<String>, String) {
    let server = SlowServer::start(pace);
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), ONE_REQUEST_PER_TURN).unwrap();
    let mut args = vec![
        "--config".to_string(),
        config.path().display().to_string(),
        "run".into(),
    ];
    args.extend(debate_args(&server.url, rounds));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let pane = Pane::start("crash", &args, 120, 40);
    let started = Instant::now();
    let mut confirmed = 0usize;
    for (k, at) in credences.iter().enumerate() {
        if let Some(wait) = at.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
        if started.elapsed() >= kill_after {
            break;
        }
        // Credences of 11%, 12%, ...: each one is told apart in the file.
        pane.keys(&["c"]);
        pane.type_text(&format!("{}", 11 + k));
        pane.keys(&["Enter"]);
        // "Prior recorded" before the first turn ends, "Credence recorded" after.
        let notice = format!("recorded: P(A is right) = {}%", 11 + k);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && !pane.screen().contains(&notice) {
            std::thread::sleep(Duration::from_millis(20));
        }
        if pane.screen().contains(&notice) {
            confirmed = k + 1;
        }
    }
    if let Some(wait) = kill_after.checked_sub(started.elapsed()) {
        std::thread::sleep(wait);
    }
    let shell = pane.pane_pid();
    let killed = Command::new("pkill")
        .args(["-KILL", "-P", &shell.to_string(), "agon"])
        .status()
        .unwrap();
    let killed_at = Instant::now();
    let mut failures = Vec::new();
    if !killed.success() {
        failures.push("agon was not running at the kill".to_string());
    }
    pane.wait_for("EXIT=", Duration::from_secs(10));
    let files = load_all(&pane.sessions_dir());
    let replies = server.replies();
    match files.as_slice() {
        [] => failures.push("no session file".to_string()),
        [(_, s)] => {
            failures.extend(check(s, &replies, killed_at));
            let kept: Vec<f64> = s
                .judge_events
                .iter()
                .filter_map(|e| match &e.kind {
                    agon::domain::JudgeEventKind::Credence { p_a, .. } => Some(*p_a),
                    _ => None,
                })
                .collect();
            for k in 0..confirmed {
                let p = (11 + k) as f64 / 100.0;
                if !kept.iter().any(|q| (q - p).abs() < 1e-9) {
                    failures.push(format!(
                        "the credence {p} was confirmed on screen but is not in the file \
                         (it has {kept:?})"
                    ));
                }
            }
        }
        more => failures.push(format!("one debate, {} files", more.len())),
    }
    let seen = files.first().map_or("no file".into(), |(_, s)| summary(s));
    (failures, format!("{seen}, {confirmed} confirmed"))
}

#[test]
fn sigkill_at_random_moments_loses_nothing_older_than_two_seconds() {
    let runs = std::env::var("AGON_CRASH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_RUNS);
    let seed = std::env::var("AGON_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("crash test: {runs} runs, AGON_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut all_failures = Vec::new();
    for run in 0..runs {
        // Short debates on a fast server, and now and then a turn slow enough (up to 3.5 s)
        // that the checkpoints, not the end of the turn, must keep its text.
        let tui = run % 3 == 2;
        // The TUI takes a moment to start and each credence takes keystrokes: slower turns,
        // so the kill still lands mid-debate.
        let pace = if tui {
            Pace {
                words: rng.range(30, 60) as usize,
                delay: Duration::from_millis(rng.range(20, 40)),
            }
        } else if rng.range(0, 3) == 0 {
            Pace {
                words: rng.range(50, 70) as usize,
                delay: Duration::from_millis(rng.range(40, 50)),
            }
        } else {
            Pace {
                words: rng.range(10, 40) as usize,
                delay: Duration::from_millis(rng.range(5, 25)),
            }
        };
        let rounds = rng.range(1, 2);
        let turn = pace.delay * pace.words as u32;
        let whole = turn * (2 * rounds as u32);
        // Anywhere from the start to just after the end, but within 5 s: CI time is short.
        let end = (whole.as_millis() as u64 + 300).min(5000);
        let earliest = if tui { 800 } else { 100 };
        let kill_after = Duration::from_millis(rng.range(earliest, end));
        let (failures, seen) = if tui {
            let credences: Vec<Duration> = (0..rng.range(1, 3))
                .map(|_| Duration::from_millis(rng.range(300, kill_after.as_millis() as u64)))
                .collect();
            let mut credences = credences;
            credences.sort();
            tui_run(pace, rounds, &credences, kill_after)
        } else {
            headless_run(pace, rounds, kill_after)
        };
        let what = format!(
            "run {run} ({}, {rounds} rounds, {} words every {:?}, killed after {kill_after:?})",
            if tui { "tui" } else { "headless" },
            pace.words,
            pace.delay
        );
        let verdict = if failures.is_empty() { "ok" } else { "FAILED" };
        eprintln!("{what}: {seen}: {verdict}");
        all_failures.extend(failures.into_iter().map(|f| format!("{what}: {f}")));
    }
    eprintln!("{runs} runs in {:.1} s", started.elapsed().as_secs_f64());
    assert!(
        all_failures.is_empty(),
        "AGON_CRASH_SEED={seed} AGON_CRASH_RUNS={runs}:\n{}",
        all_failures.join("\n")
    );
}
