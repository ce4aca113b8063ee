//! Session files on disk: crash-safe saves and loads that explain what is wrong, names that
//! never replace another session, and a lock so two agons never write one file.

mod atomic;
mod check;
pub mod contain;
pub mod index;
mod lock;
mod unique;

pub use crate::text::capped::{CappedReadError, MIB, read_capped, read_to_string_capped};
pub use atomic::{resolve_target, write_atomic, write_new};
pub use lock::{Holder, Locked, SessionLock};
pub use unique::create_unique;

use crate::domain::{SCHEMA_VERSION, Session};
use std::path::{Path, PathBuf};

/// The largest session file agon reads: far above any real debate (the largest of the 631 NYU
/// debates is 71 KB), low enough that a wrong file cannot exhaust memory.
pub const MAX_SESSION_BYTES: u64 = 256 * MIB;

/// Why a session file could not be opened. Each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}{}", crate::text::capped::hint(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a valid session file: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// A loaded session, and whether it must stay read-only (it was written by a newer agon).
#[derive(Debug)]
pub struct Loaded {
    pub session: Session,
    pub read_only_reason: Option<String>,
    /// The schema version the file had, when it was older and migrated on load.
    pub migrated_from: Option<u32>,
}

/// Brings an older session document up to the current schema, one version at a time.
/// Every earlier version has a committed example under `tests/fixtures/sessions/`.
fn migrate(doc: &mut serde_json::Value, from: u32) -> Result<(), String> {
    let mut version = from;
    while version < SCHEMA_VERSION {
        match version {
            // 1 -> 2 only added fields, all optional with defaults, and new judge event kinds.
            1 => {}
            // 2 -> 3 folds retried turns together, on the typed session (see `load`).
            2 => {}
            v => return Err(format!("no migration from schema version {v}")),
        }
        version += 1;
        doc["schema_version"] = version.into();
    }
    Ok(())
}

/// Why a file over [`MAX_SESSION_BYTES`] is not read, for the loader and the index alike.
pub(crate) fn too_large_reason() -> String {
    format!(
        "it is larger than {}, more than any session agon writes; is it the right file?",
        crate::text::capped::size_label(MAX_SESSION_BYTES)
    )
}

/// Reads a session file's bytes, at most [`MAX_SESSION_BYTES`]; the error is the reason alone.
pub(crate) fn read_session_bytes(path: &Path) -> Result<Vec<u8>, SessionReadError> {
    match read_capped(path, MAX_SESSION_BYTES, "session file") {
        Ok(bytes) => Ok(bytes),
        Err(CappedReadError::Io { error, .. }) => Err(SessionReadError::Io(error)),
        // Bytes, unlike text, fail only by I/O or by size.
        Err(_) => Err(SessionReadError::TooLarge),
    }
}

/// Why [`read_session_bytes`] failed; the loader and the index word it each their own way.
pub(crate) enum SessionReadError {
    Io(std::io::Error),
    TooLarge,
}

pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let bytes = read_session_bytes(path).map_err(|e| match e {
        SessionReadError::Io(source) => LoadError::Io {
            path: path.to_path_buf(),
            source,
        },
        SessionReadError::TooLarge => LoadError::Invalid {
            path: path.to_path_buf(),
            reason: too_large_reason(),
        },
    })?;
    parse(path, &bytes)
}

/// Just the version, read without building the rest of the document.
#[derive(serde::Deserialize)]
struct Version {
    #[serde(default)]
    schema_version: Option<serde_json::Value>,
}

/// A session from the bytes of `path`'s file: checked, migrated when older, indexed.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Loaded, LoadError> {
    let invalid = |reason: String| LoadError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    // The version decides how to read the rest: a first pass that builds nothing else also
    // finds broken JSON, with its line and column.
    let probe: Version =
        serde_json::from_slice(bytes).map_err(|e| invalid(describe_json_error(&e)))?;
    let version = probe
        .schema_version
        .as_ref()
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| invalid("it has no schema_version field".into()))?;
    let version = u32::try_from(version)
        .ok()
        .filter(|&v| v >= 1)
        .ok_or_else(|| {
            invalid(format!(
                "schema_version {version} is not a version agon wrote"
            ))
        })?;
    let migrated_from = (version < SCHEMA_VERSION).then_some(version);
    // Straight from the bytes when nothing needs migrating, so errors keep their line and
    // column; an older file goes through a document that is brought up to date first.
    let mut session: Session = match migrated_from {
        None => serde_json::from_slice(bytes).map_err(|e| invalid(describe_json_error(&e)))?,
        Some(_) => {
            let mut doc: serde_json::Value =
                serde_json::from_slice(bytes).map_err(|e| invalid(describe_json_error(&e)))?;
            migrate(&mut doc, version).map_err(invalid)?;
            serde_json::from_value(doc).map_err(|e| invalid(describe_json_error(&e)))?
        }
    };
    // Before migrating: folding retried turns renumbers by these very references.
    let lies = check::turn_references(&session).map_err(invalid)?;
    if migrated_from.is_some_and(|v| v < 3) {
        session.fold_failed_attempts();
    }
    session.reindex();
    let newer = (version > SCHEMA_VERSION).then(|| {
        format!(
            "written by a newer agon (schema {version}; this build knows {SCHEMA_VERSION}): opened read-only"
        )
    });
    let read_only_reason = match (newer, lies) {
        (Some(newer), Some(lies)) => Some(format!("{newer}; {lies}")),
        (newer, lies) => newer.or(lies),
    };
    Ok(Loaded {
        session,
        read_only_reason,
        migrated_from,
    })
}

/// A JSON error in words a person can act on, with where it is.
pub fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!("the file ends too early (truncated?) at line {}", e.line()),
        Category::Syntax => format!("broken JSON at line {}, column {}", e.line(), e.column()),
        Category::Data => format!("{e}"),
        Category::Io => format!("read error: {e}"),
    }
}

/// Writes the session so that a crash at any moment leaves either the old file or the new one,
/// never a mix, keeping the file's permissions and any symbolic link (see [`write_atomic`]).
pub fn save_atomic(path: &Path, session: &Session) -> std::io::Result<()> {
    let mut json = serde_json::to_vec_pretty(session).map_err(std::io::Error::other)?;
    json.push(b'\n');
    write_atomic(path, &json)
}

/// Where sessions go when neither `--sessions-dir` nor `AGON_SESSIONS_DIR` says.
pub fn default_sessions_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "agon").map(|d| d.data_dir().join("sessions"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::scripted::script::DemoScript;
    use std::fs;

    fn session() -> Session {
        Session::new(
            DemoScript::bundled().unwrap().setup(),
            time::OffsetDateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let s = session();
        save_atomic(&path, &s).unwrap();
        save_atomic(&path, &s).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.session, s);
        assert!(loaded.read_only_reason.is_none());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn errors_name_the_file_and_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.json");
        let e = load(&missing).unwrap_err().to_string();
        assert!(e.contains("nope.json") && e.contains("cannot read"), "{e}");

        let truncated = dir.path().join("t.json");
        let full = serde_json::to_string(&session()).unwrap();
        fs::write(&truncated, &full[..full.len() / 2]).unwrap();
        let e = load(&truncated).unwrap_err().to_string();
        assert!(e.contains("t.json") && e.contains("truncated"), "{e}");

        let garbage = dir.path().join("g.json");
        fs::write(&garbage, "{ this is not json").unwrap();
        assert!(
            load(&garbage)
                .unwrap_err()
                .to_string()
                .contains("broken JSON")
        );

        let zero = dir.path().join("z.json");
        fs::write(&zero, r#"{"schema_version":0}"#).unwrap();
        assert!(
            load(&zero)
                .unwrap_err()
                .to_string()
                .contains("not a version")
        );

        let unversioned = dir.path().join("u.json");
        fs::write(&unversioned, "{}").unwrap();
        assert!(
            load(&unversioned)
                .unwrap_err()
                .to_string()
                .contains("schema_version")
        );

        let wrong_shape = dir.path().join("w.json");
        fs::write(&wrong_shape, r#"{"schema_version":1,"question":3}"#).unwrap();
        assert!(
            load(&wrong_shape)
                .unwrap_err()
                .to_string()
                .contains("w.json")
        );
    }

    #[test]
    fn every_earlier_schema_version_migrates() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sessions");
        for version in 1..SCHEMA_VERSION {
            let path = Path::new(dir).join(format!("schema-v{version}.json"));
            let loaded = load(&path).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(loaded.migrated_from, Some(version));
            assert_eq!(loaded.session.schema_version, SCHEMA_VERSION);
            assert!(loaded.read_only_reason.is_none());
            assert!(!loaded.session.turns().is_empty());
            assert!(loaded.session.verdict.is_some());
        }
    }

    #[test]
    fn schema_2_retries_fold_into_the_turn_they_tried_to_be() {
        let root = env!("CARGO_MANIFEST_DIR");
        let v2 = load(&Path::new(root).join("tests/fixtures/sessions/schema-v2.json"))
            .unwrap()
            .session;
        let example = load(&Path::new(root).join("sessions/example-congestion-pricing.json"))
            .unwrap()
            .session;
        assert_eq!(
            v2.turns().len(),
            example.turns().len(),
            "the failed try is not a turn"
        );
        let retried = &v2.turns()[1];
        assert_eq!(retried.attempts.len(), 1);
        assert_eq!(
            retried.attempts[0].status,
            crate::domain::TurnStatus::Failed
        );
        assert!(
            example.turns()[1]
                .text
                .starts_with(&retried.attempts[0].text)
        );
        assert_eq!(retried.text, example.turns()[1].text);
        for (a, b) in v2.tree.nodes().iter().zip(example.tree.nodes()) {
            assert_eq!(a.turn, b.turn, "node {}", a.id);
        }
        // The credence given after the failure counts as given after the turn before it.
        assert_eq!(v2.judge_events[0].after_turn, Some(0));
        let after: Vec<_> = v2.judge_events[1..].iter().map(|e| e.after_turn).collect();
        let expected: Vec<_> = example.judge_events.iter().map(|e| e.after_turn).collect();
        assert_eq!(after, expected);
        assert_eq!(v2.next_slot(), example.next_slot());
    }

    #[test]
    fn a_migrated_file_is_never_rewritten_by_loading() {
        let src = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sessions/schema-v1.json"
        );
        let before = fs::read(src).unwrap();
        load(Path::new(src)).unwrap();
        assert_eq!(fs::read(src).unwrap(), before);
    }

    #[test]
    fn newer_schema_opens_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.json");
        let mut v = serde_json::to_value(session()).unwrap();
        v["schema_version"] = (SCHEMA_VERSION + 1).into();
        v["some_future_field"] = "ignored".into();
        v["judge_events"] = serde_json::json!([
            {"at": "2027-01-01T00:00:00Z", "after_turn": null, "kind": "some_future_kind", "x": 1}
        ]);
        fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
        let loaded = load(&path).unwrap();
        assert!(loaded.read_only_reason.unwrap().contains("read-only"));
    }
}
