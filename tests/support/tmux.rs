//! Drives the real `agon` binary in a tmux pane, as a person at a keyboard would: send keys,
//! read the screen.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Pane {
    socket: String,
    pub dir: tempfile::TempDir,
}

fn tmux(socket: &str, args: &[&str]) -> Output {
    Command::new("tmux")
        .arg("-L")
        .arg(socket)
        .args(args)
        .output()
        .expect("tmux must be installed to run the end-to-end tests (apt-get install tmux)")
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Pane {
    /// Starts `agon ARGS` in a new tmux server with its own socket, a fresh sessions directory,
    /// and a shell that reports the exit code and stays open so the screen can be read after.
    pub fn start(name: &str, args: &[&str], width: u16, height: u16) -> Pane {
        Self::start_with(name, args, width, height, |_| {})
    }

    /// Like [`Pane::start`], but first calls `prepare` with the sessions directory (not yet
    /// created), so a test can put files there before agon starts.
    pub fn start_with(
        name: &str,
        args: &[&str],
        width: u16,
        height: u16,
        prepare: impl FnOnce(&Path),
    ) -> Pane {
        let dir = tempfile::tempdir().expect("temp dir");
        prepare(&dir.path().join("sessions"));
        let socket = format!("agon-e2e-{name}-{}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_agon");
        let mut cmd = format!(
            "cd {} && AGON_SESSIONS_DIR={} {}",
            shell_quote(&dir.path().display().to_string()),
            shell_quote(&dir.path().join("sessions").display().to_string()),
            shell_quote(bin)
        );
        for a in args {
            cmd.push(' ');
            cmd.push_str(&shell_quote(a));
        }
        cmd.push_str("; echo EXIT=$?; sleep 600");
        let out = tmux(
            &socket,
            &[
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                "sh",
                "-c",
                &cmd,
            ],
        );
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Pane { socket, dir }
    }

    pub fn sessions_dir(&self) -> PathBuf {
        self.dir.path().join("sessions")
    }

    /// The visible screen as text.
    pub fn screen(&self) -> String {
        let out = tmux(&self.socket, &["capture-pane", "-p", "-t", "e2e"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends tmux key names (`Enter`, `Tab`, `C-c`, `q`...).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        let out = tmux(&self.socket, &args);
        assert!(out.status.success(), "send-keys {keys:?} failed");
        // Give the app a moment to take each batch, as a person's typing would.
        std::thread::sleep(Duration::from_millis(120));
    }

    /// Types text literally.
    pub fn type_text(&self, text: &str) {
        let out = tmux(&self.socket, &["send-keys", "-t", "e2e", "-l", text]);
        assert!(out.status.success(), "send-keys -l failed");
        std::thread::sleep(Duration::from_millis(120));
    }

    /// Waits until the screen contains `needle`; panics with the screen if it never does.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            if start.elapsed() > timeout {
                panic!(
                    "timed out after {timeout:?} waiting for {needle:?}; the screen shows:\n{screen}"
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A tmux format about the pane, e.g. `#{mouse_sgr_flag}` (whether the program asked for
    /// mouse reports).
    pub fn format(&self, format: &str) -> String {
        let out = tmux(
            &self.socket,
            &["display-message", "-p", "-t", "e2e", format],
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The screen as text once `ready` holds for it; panics with the screen if it never does.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        ready: impl Fn(&str) -> bool,
    ) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > timeout {
                panic!(
                    "timed out after {timeout:?} waiting for {what}; the screen shows:\n{screen}"
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sets a global tmux option (`set-clipboard`, …) on this pane's server.
    pub fn set_global(&self, option: &str, value: &str) {
        let out = tmux(&self.socket, &["set-option", "-g", option, value]);
        assert!(
            out.status.success(),
            "set-option -g {option} {value} failed"
        );
    }

    /// The newest tmux paste buffer (where an OSC 52 copy lands with `set-clipboard on`),
    /// if there is one.
    pub fn paste_buffer(&self) -> Option<String> {
        let out = tmux(&self.socket, &["show-buffer"]);
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Process id of the program running in the pane (the shell that runs agon).
    pub fn pane_pid(&self) -> u32 {
        let out = tmux(
            &self.socket,
            &["display-message", "-p", "-t", "e2e", "#{pane_pid}"],
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("pane pid")
    }

    /// The single session file agon wrote.
    pub fn session_file(&self) -> PathBuf {
        let entries: Vec<PathBuf> = std::fs::read_dir(self.sessions_dir())
            .expect("the sessions directory exists")
            .map(|e| e.expect("dir entry").path())
            .collect();
        assert_eq!(
            entries.len(),
            1,
            "exactly one session file (no temp files left): {entries:?}"
        );
        entries[0].clone()
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = tmux(&self.socket, &["kill-server"]);
    }
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("session file is readable");
    serde_json::from_str(&text).expect("session file is valid JSON")
}
