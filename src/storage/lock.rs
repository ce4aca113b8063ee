//! One agon at a time writes a session file: an advisory lock, held for as long as the session
//! is open for writing, so a second agon opens it read-only instead of silently dropping the
//! first one's work at its next save.
//!
//! The lock is on a hidden sidecar file, `.NAME.lock` beside the session file, not on the
//! session file itself. A lock belongs to a file's inode, and every save renames a new inode
//! over the session's name (see [`super::write_atomic`]): a lock on the session file would
//! guard the old inode only, and after the first save the next agon would lock the new one
//! while the first still believed it held the session. The sidecar is never renamed over.
//!
//! The lock is `flock(2)` (`LockFileEx` on Windows) through `fs4`: the kernel drops it when the
//! holder exits or crashes, so a lock is never stale. The holder writes its pid and the time it
//! took the lock into the sidecar, so a refusal can say who has the session. On Unix the holder
//! deletes the sidecar when it lets go; a crash can leave it behind, and it is harmless (and
//! hidden, so the sessions browser does not list it).

use super::atomic::{parent_dir, resolve_target};
use crate::text::read_capped;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Times the sidecar is opened again because its holder removed it while this agon locked it.
const MAX_TRIES: usize = 8;
/// The sidecar holds one small JSON object; anything bigger is not agon's.
const MAX_HOLDER_BYTES: u64 = 4096;

/// Who holds a session's lock, as it wrote into the sidecar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    /// When it took the lock.
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
}

impl Holder {
    /// "pid 4242, since 10:32 UTC" (with the date when it is not today's).
    fn describe(&self, now: OffsetDateTime) -> String {
        let when = if self.since.date() == now.date() {
            self.since
                .format(time::macros::format_description!("[hour]:[minute]"))
        } else {
            self.since.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]"
            ))
        };
        match when {
            Ok(when) => format!("pid {}, since {when} UTC", self.pid),
            Err(_) => format!("pid {}", self.pid),
        }
    }
}

/// Why a session's lock was not had.
#[derive(Debug, thiserror::Error)]
pub enum Locked {
    /// Another agon (or this one, elsewhere) holds it.
    #[error("{}", held_message(session, holder.as_ref()))]
    Held {
        session: PathBuf,
        /// Who, if the sidecar says (it can be empty for the moment between the holder taking
        /// the lock and writing its name).
        holder: Option<Holder>,
    },
    /// The sidecar could not be made or locked (a read-only folder, say): nobody can vouch that
    /// no one else writes the session.
    #[error("cannot lock {} through {}: {error}", session.display(), lock_file.display())]
    Io {
        session: PathBuf,
        lock_file: PathBuf,
        error: io::Error,
    },
}

impl Locked {
    /// The reason to show when the session is opened read-only because of this.
    pub fn read_only_reason(&self) -> String {
        format!("{self}; opened read-only")
    }
}

fn held_message(session: &Path, holder: Option<&Holder>) -> String {
    match holder {
        Some(h) if h.pid == std::process::id() => {
            format!("this agon already has {} open", session.display())
        }
        Some(h) => format!(
            "another agon ({}) has {} open",
            h.describe(OffsetDateTime::now_utc()),
            session.display()
        ),
        None => format!("another agon has {} open", session.display()),
    }
}

/// The sidecar lock file of the session file `target` (symbolic links already followed).
fn lock_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    parent_dir(target).join(format!(".{name}.lock"))
}

/// An exclusive lock on one session file, held until this value is dropped.
#[derive(Debug)]
pub struct SessionLock {
    file: File,
    lock_file: PathBuf,
    session: PathBuf,
}

impl SessionLock {
    /// Takes the lock on the session file at `path` without waiting. The same file reached
    /// through a symbolic link has the same lock. Two locks on one file fail even within one
    /// process.
    pub fn try_acquire(path: &Path) -> Result<SessionLock, Locked> {
        let session = path.to_path_buf();
        let target = resolve_target(path).map_err(|error| Locked::Io {
            session: session.clone(),
            lock_file: path.to_path_buf(),
            error,
        })?;
        let lock_file = lock_path(&target);
        let io_error = |session: &Path, lock_file: &Path, error| Locked::Io {
            session: session.to_path_buf(),
            lock_file: lock_file.to_path_buf(),
            error,
        };
        for _ in 0..MAX_TRIES {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&lock_file)
                .map_err(|e| io_error(&session, &lock_file, e))?;
            // Fully qualified: std's own `File::try_lock` is newer than this crate's MSRV.
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => {}
                Err(fs4::TryLockError::WouldBlock) => {
                    return Err(Locked::Held {
                        session,
                        holder: read_holder(&lock_file),
                    });
                }
                Err(fs4::TryLockError::Error(e)) => return Err(io_error(&session, &lock_file, e)),
            }
            // The holder before us deletes the sidecar while it still holds the lock; if it did
            // between our open and our lock, we locked a deleted file nobody else will see.
            if !still_named(&file, &lock_file) {
                continue;
            }
            let lock = SessionLock {
                file,
                lock_file,
                session,
            };
            lock.write_holder()
                .map_err(|e| io_error(&lock.session, &lock.lock_file, e))?;
            return Ok(lock);
        }
        Err(io_error(
            &session,
            &lock_file,
            io::Error::other("the lock file kept being replaced while agon took it; try again"),
        ))
    }

    /// The session file this lock is for, as it was given.
    pub fn session(&self) -> &Path {
        &self.session
    }

    fn write_holder(&self) -> io::Result<()> {
        let holder = Holder {
            pid: std::process::id(),
            // Whole seconds: the message shows minutes, and the file stays short.
            since: OffsetDateTime::now_utc()
                .replace_nanosecond(0)
                .unwrap_or_else(|_| OffsetDateTime::now_utc()),
        };
        let json = serde_json::to_vec(&holder).map_err(io::Error::other)?;
        self.file.set_len(0)?;
        (&self.file).write_all(&json)
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        // Deleted while still locked (the lock goes when `file` closes, just after), and only
        // if the name is still this file: see `still_named` for why a waiting agon is safe.
        #[cfg(unix)]
        if still_named(&self.file, &self.lock_file) {
            let _ = fs::remove_file(&self.lock_file);
        }
    }
}

/// Who the sidecar says holds the lock, if it says.
fn read_holder(lock_file: &Path) -> Option<Holder> {
    let bytes = read_capped(lock_file, MAX_HOLDER_BYTES, "lock file").ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Whether `path` still names the open `file` (same device and inode).
#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere the sidecar is never deleted, so the name always is the file that was opened.
#[cfg(not(unix))]
fn still_named(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    const CHILD_ENV: &str = "AGON_TEST_LOCK_CHILD";
    /// What the child prints once it holds the lock (the harness may print on the same line).
    const HELD_MARKER: &str = "agon-test-lock-held";

    fn session_file(dir: &Path) -> PathBuf {
        let path = dir.join("s.json");
        fs::write(&path, "{}").unwrap();
        path
    }

    #[test]
    fn a_second_lock_fails_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = session_file(dir.path());
        let first = SessionLock::try_acquire(&path).unwrap();
        assert_eq!(first.session(), path);
        let e = SessionLock::try_acquire(&path).unwrap_err();
        match &e {
            Locked::Held {
                holder: Some(h), ..
            } => assert_eq!(h.pid, std::process::id()),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            e.read_only_reason(),
            format!(
                "this agon already has {} open; opened read-only",
                path.display()
            )
        );
        drop(first);
        let again = SessionLock::try_acquire(&path).unwrap();
        drop(again);
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_survives_saves_and_is_the_same_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let path = session_file(dir.path());
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("s.json", &link).unwrap();
        let held = SessionLock::try_acquire(&path).unwrap();
        // A save renames a new inode over the session: the lock must not care.
        super::super::write_atomic(&path, b"{\"saved\":1}").unwrap();
        assert!(matches!(
            SessionLock::try_acquire(&path),
            Err(Locked::Held { .. })
        ));
        assert!(matches!(
            SessionLock::try_acquire(&link),
            Err(Locked::Held { .. })
        ));
        drop(held);
        assert!(
            !dir.path().join(".s.json.lock").exists(),
            "the sidecar goes with the lock"
        );
        assert!(SessionLock::try_acquire(&link).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_on_a_sidecar_deleted_meanwhile_is_not_kept() {
        // What an agon that opened the sidecar just before its holder deleted it sees.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".s.json.lock");
        let opened = File::create(&path).unwrap();
        assert!(still_named(&opened, &path));
        fs::remove_file(&path).unwrap();
        assert!(!still_named(&opened, &path));
        File::create(&path).unwrap();
        assert!(
            !still_named(&opened, &path),
            "a new sidecar is another file"
        );
    }

    #[test]
    fn a_holder_elsewhere_is_named_by_pid_and_time() {
        let since = time::macros::datetime!(2026-03-14 10:32:05 UTC);
        let h = Holder { pid: 4242, since };
        assert_eq!(h.describe(since), "pid 4242, since 10:32 UTC");
        assert_eq!(
            h.describe(time::macros::datetime!(2026-03-15 09:00 UTC)),
            "pid 4242, since 2026-03-14 10:32 UTC"
        );
        let path = Path::new("/s/x.json");
        let msg = held_message(path, Some(&Holder { pid: 4242, since }));
        assert!(
            msg.starts_with("another agon (pid 4242, since ")
                && msg.ends_with(") has /s/x.json open"),
            "{msg}"
        );
        assert_eq!(held_message(path, None), "another agon has /s/x.json open");
    }

    #[test]
    fn an_unwritable_folder_is_an_error_naming_the_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone/s.json");
        let e = SessionLock::try_acquire(&path).unwrap_err();
        assert!(matches!(e, Locked::Io { .. }));
        let msg = e.to_string();
        assert!(msg.contains("gone/.s.json.lock"), "{msg}");
        assert!(e.read_only_reason().ends_with("; opened read-only"));
    }

    /// Not a test by itself: the child process of
    /// `another_process_holding_the_lock_is_refused_and_named`. It takes the lock on the file
    /// named by `AGON_TEST_LOCK_CHILD`, says [`HELD_MARKER`], and holds it until its stdin closes.
    #[test]
    #[ignore = "run as a child process by another_process_holding_the_lock_is_refused_and_named"]
    fn lock_holder_child() {
        let Ok(path) = std::env::var(CHILD_ENV) else {
            return;
        };
        let _lock = SessionLock::try_acquire(Path::new(&path)).unwrap();
        // Straight to the stdout handle: the test harness captures `println!`.
        let mut out = io::stdout();
        writeln!(out, "{HELD_MARKER}").unwrap();
        out.flush().unwrap();
        let mut rest = Vec::new();
        io::Read::read_to_end(&mut io::stdin(), &mut rest).unwrap();
    }

    fn spawn_holder(path: &Path) -> std::process::Child {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "storage::lock::tests::lock_holder_child",
                "--include-ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains(HELD_MARKER) {
            line.clear();
            let read = out.read_line(&mut line).unwrap();
            assert!(read > 0, "the child ended without taking the lock");
        }
        // Keep reading, so the harness's last lines do not meet a closed pipe.
        std::thread::spawn(move || io::copy(&mut out, &mut io::sink()));
        child
    }

    #[test]
    fn another_process_holding_the_lock_is_refused_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = session_file(dir.path());

        let mut child = spawn_holder(&path);
        match SessionLock::try_acquire(&path) {
            Err(Locked::Held {
                holder: Some(h), ..
            }) => assert_eq!(h.pid, child.id()),
            other => panic!("expected the child to hold it: {other:?}"),
        }
        drop(child.stdin.take());
        assert!(child.wait().unwrap().success());
        drop(SessionLock::try_acquire(&path).unwrap());

        // A holder that dies without letting go (a crash) still lets go.
        let mut child = spawn_holder(&path);
        assert!(SessionLock::try_acquire(&path).is_err());
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(SessionLock::try_acquire(&path).is_ok());
    }
}
