//! Real third-party LLM test servers on 127.0.0.1, and the real `agon` binary run headless
//! against them.
//!
//! - llmock (PyPI, pinned [`LLMOCK_VERSION`]): OpenAI and Anthropic wires, faults scripted over
//!   `POST /_llmock/scenario`, every request journaled at `GET /_llmock/requests`.
//! - aimock (npm `@copilotkit/aimock`, pinned [`AIMOCK_VERSION`]): OpenAI, Anthropic and Ollama
//!   NDJSON wires, answers from a fixtures file.
//!
//! Both are installed on first use into `target/test-tools/` (git-ignored with the rest of
//! `target/`), so `cargo test` works on a fresh machine that has `python3` (with `venv`) and
//! `npm`. The install is guarded by a lock file, so test binaries running at once install once.
//! A failed install panics: these tests are never skipped silently.

#![allow(dead_code)]

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

pub const LLMOCK_VERSION: &str = "0.2.2";
pub const AIMOCK_VERSION: &str = "1.43.0";

/// How long a server may take to accept connections after it was started.
const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one headless run may take before it is killed and the test fails.
const RUN_TIMEOUT: Duration = Duration::from_secs(90);
/// How long to wait for another process's install before declaring its lock stale.
const INSTALL_WAIT: Duration = Duration::from_secs(15 * 60);

// ----- installing the tools -----

/// `target/test-tools/` of this repository.
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("test-tools")
}

/// The `llmock` executable, installed in a venv under `target/test-tools/llmock` if needed.
pub fn llmock_bin() -> PathBuf {
    let dir = ensure_tool("llmock", &format!("llmock=={LLMOCK_VERSION}"), |dir| {
        run_install(
            Command::new("python3").arg("-m").arg("venv").arg(dir),
            "python3 -m venv (on Debian: apt-get install python3-venv)",
        );
        run_install(
            Command::new(dir.join("bin").join("pip"))
                .args([
                    "install",
                    "--disable-pip-version-check",
                    "--no-input",
                    "--quiet",
                ])
                .arg(format!("llmock=={LLMOCK_VERSION}")),
            "pip install llmock",
        );
    });
    let bin = dir.join("bin").join("llmock");
    assert!(bin.exists(), "llmock was installed but {bin:?} is missing");
    bin
}

/// aimock's `dist/cli.js`, installed with npm under `target/test-tools/aimock` if needed.
pub fn aimock_cli() -> PathBuf {
    let package = format!("@copilotkit/aimock@{AIMOCK_VERSION}");
    let dir = ensure_tool("aimock", &package, |dir| {
        fs::create_dir_all(dir).expect("create the aimock tool directory");
        run_install(
            Command::new("npm")
                .args(["install", "--save-exact", "--no-audit", "--no-fund"])
                .arg("--prefix")
                .arg(dir)
                .arg(&package),
            "npm install @copilotkit/aimock",
        );
    });
    let cli = dir.join("node_modules/@copilotkit/aimock/dist/cli.js");
    assert!(cli.exists(), "aimock was installed but {cli:?} is missing");
    cli
}

fn run_install(cmd: &mut Command, what: &str) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what} to install a test server: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}), so the integration tests cannot run.\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Serialises installs between the threads of one test binary; the lock file does it between
/// processes.
static INSTALL: Mutex<()> = Mutex::new(());

/// Installs `name` into `tools_dir()/name` with `install` unless a stamp file says `version` is
/// already there; returns the directory. A half-done install (no stamp) is removed and redone.
fn ensure_tool(name: &str, version: &str, install: impl FnOnce(&Path)) -> PathBuf {
    let dir = tools_dir().join(name);
    let stamp = dir.join(".agon-test-tool");
    let installed = || fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == version);
    if installed() {
        return dir;
    }
    let _threads = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    fs::create_dir_all(tools_dir()).expect("create target/test-tools");
    let _lock = LockFile::acquire(&tools_dir().join(format!("{name}.lock")));
    if installed() {
        return dir; // another process finished it while we waited
    }
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("cannot remove {dir:?}: {e}"));
    }
    let started = Instant::now();
    install(&dir);
    fs::write(&stamp, format!("{version}\n")).expect("write the install stamp");
    eprintln!(
        "installed {version} into {} in {:.1}s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    dir
}

/// A lock file made with `create_new`, holding the owner's pid; removed on drop (also when the
/// install panics). A lock whose owner is gone, or that is very old, is taken over.
struct LockFile(PathBuf);

impl LockFile {
    fn acquire(path: &Path) -> LockFile {
        let started = Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return LockFile(path.to_path_buf());
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    if lock_is_stale(path) {
                        let _ = fs::remove_file(path);
                        continue;
                    }
                    assert!(
                        started.elapsed() < INSTALL_WAIT,
                        "waited {INSTALL_WAIT:?} for another test process to install into \
                         target/test-tools ({path:?}); delete the lock file if no install runs"
                    );
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("cannot create the install lock {path:?}: {e}"),
            }
        }
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn lock_is_stale(path: &Path) -> bool {
    let old = fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > INSTALL_WAIT);
    // The owner wrote its pid; on Linux a missing /proc/PID means it died mid-install.
    let dead_owner = fs::read_to_string(path)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .is_some_and(|pid| {
            Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
        });
    old || dead_owner
}

// ----- running a server -----

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// A server process on 127.0.0.1; killed when dropped. Its output goes to `server.log` in its
/// own temporary directory, shown when it fails to start.
pub struct Server {
    name: &'static str,
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Server {
    /// Starts `make(port, dir)` on a free port and waits until it accepts connections. If the
    /// process exits first (say another process took the port), tries again on another port.
    fn start(name: &'static str, make: impl Fn(u16, &Path) -> Command) -> Server {
        let mut last_failure = String::new();
        for _ in 0..3 {
            let dir = tempfile::tempdir().expect("temp dir");
            let port = free_port();
            let log = File::create(dir.path().join("server.log")).expect("server log");
            let child = make(port, dir.path())
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("clone log handle"))
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
            let mut server = Server {
                name,
                child,
                port,
                dir,
            };
            match server.wait_ready() {
                Ok(()) => return server,
                Err(why) => last_failure = format!("{why}\n{}", server.log()),
            }
        }
        panic!("{name} did not start on 127.0.0.1: {last_failure}");
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let started = Instant::now();
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the server process") {
                return Err(format!("it exited early ({status})"));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(250)).is_ok() {
                return Ok(());
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(format!(
                    "it accepted no connection on port {} within {READY_TIMEOUT:?}",
                    self.port
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What the server printed so far.
    pub fn log(&self) -> String {
        let text = fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        format!("--- {} log ---\n{text}", self.name)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// llmock, answering in the `echo` style ("Hello! You said: " and the first 120 characters of
/// the prompt, whitespace collapsed).
pub struct Llmock {
    pub server: Server,
}

impl Llmock {
    pub fn start() -> Llmock {
        let bin = llmock_bin();
        let server = Server::start("llmock", |port, dir| {
            let mut cmd = Command::new(&bin);
            cmd.args(["serve", "--host", "127.0.0.1", "--port"])
                .arg(port.to_string())
                .args(["--response-style", "echo"])
                // It keeps state in $HOME: give it a fresh one.
                .env("HOME", dir)
                .env("NO_COLOR", "1")
                .current_dir(dir);
            cmd
        });
        Llmock { server }
    }

    /// `http://127.0.0.1:PORT/v1`
    pub fn openai_base(&self) -> String {
        format!("{}/v1", self.server.url())
    }

    /// `http://127.0.0.1:PORT/anthropic`
    pub fn anthropic_base(&self) -> String {
        format!("{}/anthropic", self.server.url())
    }

    /// Queues behaviours: `behaviors` is the JSON list, e.g.
    /// `[{"type":"fail","status":429,"retry_after":0.5,"times":1,"match":{"provider":"openai"}}]`.
    pub fn scenario(&self, behaviors: serde_json::Value) {
        let body = serde_json::json!({ "behaviors": behaviors }).to_string();
        let (status, reply) = http(self.server.port, "POST", "/_llmock/scenario", Some(&body));
        assert_eq!(status, 201, "llmock refused the scenario {body}: {reply}");
    }

    /// Forgets queued behaviours and journaled requests.
    pub fn reset(&self) {
        let (status, reply) = http(self.server.port, "POST", "/_llmock/reset", Some("{}"));
        assert_eq!(status, 200, "llmock reset failed: {reply}");
    }

    /// Every request llmock served, oldest first: `seq`, `provider`, `path`, `status`, `fault`,
    /// `retry_after`, `chunks_sent`, `started_at`, `ended_at` (seconds), `body` (the request's
    /// JSON).
    pub fn requests(&self) -> Vec<serde_json::Value> {
        let json = self.get_json("/_llmock/requests");
        json["requests"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("unexpected /_llmock/requests answer: {json}"))
    }

    /// llmock's grading of how the client coped with the faults: `errors`, `warnings`,
    /// `findings` [{severity, code, title, ...}].
    pub fn verdict(&self) -> serde_json::Value {
        self.get_json("/_llmock/verdict")
    }

    fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, body) = http(self.server.port, "GET", path, None);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }
}

/// aimock serving the fixtures given (the `{"fixtures": [...]}` document), with 12-character
/// stream chunks.
pub struct Aimock {
    pub server: Server,
}

impl Aimock {
    pub fn start(fixtures: &serde_json::Value) -> Aimock {
        let cli = aimock_cli();
        let text = serde_json::to_string_pretty(fixtures).expect("fixtures to JSON");
        let server = Server::start("aimock", |port, dir| {
            let file = dir.join("fixtures.json");
            fs::write(&file, &text).expect("write the fixtures file");
            let mut cmd = Command::new("node");
            cmd.arg(&cli)
                .args(["--host", "127.0.0.1", "--port"])
                .arg(port.to_string())
                .arg("--fixtures")
                .arg(&file)
                .args(["--chunk-size", "12"])
                .current_dir(dir);
            cmd
        });
        Aimock { server }
    }

    /// `http://127.0.0.1:PORT/v1`, for the OpenAI wire.
    pub fn openai_base(&self) -> String {
        format!("{}/v1", self.server.url())
    }

    /// `http://127.0.0.1:PORT`, for the Anthropic (`/v1/messages`) and Ollama (`/api/chat`)
    /// wires.
    pub fn base(&self) -> String {
        self.server.url()
    }
}

/// One HTTP/1.1 request to 127.0.0.1:`port` with a JSON body; returns the status and body.
pub fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let mut stream =
        TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect to the test server");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("set read timeout");
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Accept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .expect("send the request");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .expect("read the response (Connection: close)");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP response: {}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let rest = &raw[split + 4..];
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head}"));
    let chunked = head
        .lines()
        .any(|l| l.to_ascii_lowercase().replace(' ', "") == "transfer-encoding:chunked");
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let line = String::from_utf8_lossy(&rest[..eol]).into_owned();
        let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or_else(|_| panic!("bad chunk size line {line:?}"));
        if size == 0 {
            break;
        }
        let data = &rest[eol + 2..];
        out.extend_from_slice(&data[..size]);
        rest = data[size..].strip_prefix(b"\r\n").unwrap_or(&data[size..]);
    }
    out
}

// ----- running agon -----

/// One finished headless run of the real binary.
pub struct HeadlessRun {
    pub output: Output,
    /// The session files in the sessions directory (hidden temporary files excluded), by name.
    pub session_paths: Vec<PathBuf>,
    /// Their JSON, in the same order.
    pub sessions: Vec<serde_json::Value>,
    /// Holds the sessions directory, the config file and $HOME of the run.
    pub dir: tempfile::TempDir,
}

impl HeadlessRun {
    pub fn status(&self) -> ExitStatus {
        self.output.status
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The one session file of a single debate, checked against the path printed on stdout
    /// (which agon prints only when the debate finished).
    pub fn only_session(&self) -> &serde_json::Value {
        assert_eq!(
            self.sessions.len(),
            1,
            "expected one session file, got {:?}\n{}",
            self.session_paths,
            self.describe()
        );
        &self.sessions[0]
    }

    /// Exit status, stdout and stderr, for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "exit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.output.status,
            self.stdout(),
            self.stderr()
        )
    }
}

/// `agon --sessions-dir DIR --config FILE run --headless ARGS...`, with a fresh $HOME and no API
/// keys from the caller's environment.
pub struct Headless {
    args: Vec<String>,
    env: Vec<(String, String)>,
    config: String,
}

impl Headless {
    pub fn new<S: AsRef<str>>(args: &[S]) -> Headless {
        Headless {
            args: args.iter().map(|a| a.as_ref().to_string()).collect(),
            env: Vec::new(),
            config: String::new(),
        }
    }

    /// Sets an environment variable for the child.
    pub fn env(mut self, key: &str, value: &str) -> Headless {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The config file's TOML (empty by default, so the user's own config is never read).
    pub fn config(mut self, toml: &str) -> Headless {
        self.config = toml.into();
        self
    }

    pub fn run(self) -> HeadlessRun {
        let dir = tempfile::tempdir().expect("temp dir");
        let sessions = dir.path().join("sessions");
        let config = dir.path().join("config.toml");
        let home = dir.path().join("home");
        fs::create_dir_all(&home).expect("create $HOME");
        fs::write(&config, &self.config).expect("write the config file");
        let out_path = dir.path().join("stdout.txt");
        let err_path = dir.path().join("stderr.txt");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_agon"));
        cmd.arg("--sessions-dir")
            .arg(&sessions)
            .arg("--config")
            .arg(&config)
            .args(["run", "--headless"])
            .args(&self.args)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(File::create(&out_path).expect("stdout file"))
            .stderr(File::create(&err_path).expect("stderr file"));
        for var in [
            "OPENAI_API_KEY",
            "ANTHROPIC_API_KEY",
            "AGON_SESSIONS_DIR",
            "AGON_THEME",
            "AGON_LOG",
            "AGON_LOG_FILE",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("NO_PROXY", "127.0.0.1,localhost");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start agon");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("poll agon") {
                break status;
            }
            if started.elapsed() > RUN_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "agon run --headless {:?} took over {RUN_TIMEOUT:?}; stderr so far:\n{}",
                    self.args,
                    fs::read_to_string(&err_path).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let output = Output {
            status,
            stdout: fs::read(&out_path).expect("read stdout"),
            stderr: fs::read(&err_path).expect("read stderr"),
        };
        let mut session_paths: Vec<PathBuf> = match fs::read_dir(&sessions) {
            Ok(entries) => entries
                .map(|e| e.expect("read the sessions directory").path())
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "json")
                        && !p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        session_paths.sort();
        let sessions = session_paths
            .iter()
            .map(|p| {
                let text = fs::read_to_string(p).expect("read a session file");
                serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{p:?} is not JSON: {e}\n{text}"))
            })
            .collect();
        HeadlessRun {
            output,
            session_paths,
            sessions,
            dir,
        }
    }
}

/// Runs `agon run --headless ARGS` with an empty config and no API keys.
pub fn run_headless<S: AsRef<str>>(args: &[S]) -> HeadlessRun {
    Headless::new(args).run()
}
