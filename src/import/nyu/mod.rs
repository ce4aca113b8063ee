//! Importing the NYU debate platform's rooms (Michael et al. 2023, "Debate Helps Supervise
//! Unreliable Experts") as agon sessions: `agon import nyu PATH...`. See `docs/import-nyu.md`.

pub mod convert;
pub mod format;
pub mod rules;

use crate::domain::{JudgeKind, Session};
use crate::storage;
use anyhow::{Context, Result};
use format::{Debate, MetadataRow};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use convert::{Imported, to_session};

/// The rows of `debates-metadata.jsonl`, by room name.
#[derive(Debug, Default)]
pub struct Metadata {
    rows: HashMap<String, MetadataRow>,
}

impl Metadata {
    /// Reads a metadata file: one JSON object per line (blank lines are skipped).
    pub fn load(path: &Path) -> Result<Metadata> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        Metadata::parse(&text).with_context(|| path.display().to_string())
    }

    /// Parses the lines of a metadata file; errors name the line and the field.
    pub fn parse(text: &str) -> Result<Metadata> {
        let mut rows = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let row: MetadataRow = parse_json(line.as_bytes())
                .with_context(|| format!("line {}", i.saturating_add(1)))?;
            // Keyed as the room files' names are, so a row finds its room whatever its name.
            rows.insert(room_key(row.name.as_bytes()), row);
        }
        Ok(Metadata { rows })
    }

    /// The row of room `room`.
    pub fn get(&self, room: &str) -> Option<&MetadataRow> {
        self.rows.get(room)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Deserialises JSON, naming the field at fault (`rounds[3].JudgeFeedback.distribution: ...`).
fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = storage::describe_json_error(e.inner());
        if path == "." {
            anyhow::anyhow!("{inner}")
        } else {
            anyhow::anyhow!("{path}: {inner}")
        }
    })
}

/// Reads one room file.
pub fn read_debate(path: &Path) -> Result<Debate> {
    let bytes = std::fs::read(path).context("cannot read")?;
    parse_json(&bytes)
}

/// The room's name: the file's name without `.json`, kept to characters safe in a file name.
pub fn room_name(path: &Path) -> Result<String> {
    let stem = path.file_stem().context("the path has no file name")?;
    Ok(room_key(stem.as_encoded_bytes()))
}

/// A room's name as agon keeps it: ASCII letters, digits, `-`, `_` and `.` as they are, every
/// other byte as `%XX`. One name for one room, and two rooms never share one (each byte of
/// the original can be read back), so two room files never import into one session file.
fn room_key(name: &[u8]) -> String {
    let mut key = String::with_capacity(name.len());
    for &b in name {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            key.push(char::from(b));
        } else {
            key.push_str(&format!("%{b:02X}"));
        }
    }
    key
}

/// The session file of a room: importing the room again replaces it.
pub fn session_file_name(room: &str) -> String {
    format!("nyu-{room}.json")
}

/// Reads and converts one room file.
pub fn import_file(path: &Path, metadata: Option<&Metadata>) -> Result<Imported> {
    let room = room_name(path)?;
    let debate = read_debate(path)?;
    let row = metadata.and_then(|m| m.get(&room));
    let mut imported = to_session(&room, &debate, row)?;
    if metadata.is_some() && row.is_none() {
        imported
            .notes
            .push("no row for this room in the metadata file".into());
    }
    Ok(imported)
}

/// Writes an imported session to `dir`, replacing an earlier import of the same room. Judgements
/// made in agon since (`agon rejudge`) are kept, after the imported ones.
pub fn save(session: &Session, room: &str, dir: &Path) -> Result<PathBuf> {
    let path = dir.join(session_file_name(room));
    let mut session = session.clone();
    if let Ok(earlier) = storage::load(&path) {
        let own = earlier
            .session
            .judgements
            .into_iter()
            .filter(|j| j.kind != JudgeKind::Offline);
        for mut j in own {
            j.id = u32::try_from(session.judgements.len() + 1).unwrap_or(u32::MAX);
            session.judgements.push(j);
        }
    }
    storage::save_atomic(&path, &session)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The room files named by `paths`: files as given, folders as every `.json` file in them (not
/// recursively), in name order. Paths that cannot be listed are returned with the reason.
pub fn debate_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
                    .collect();
                found.sort();
                files.extend(found);
            }
            Err(e) => unreadable.push((path.clone(), format!("cannot list the folder: {e}"))),
        }
    }
    (files, unreadable)
}

/// How one file of a batch went.
#[derive(Debug)]
pub enum Progress<'a> {
    Imported {
        done: usize,
        total: usize,
        room: &'a str,
        path: &'a Path,
        notes: &'a [String],
    },
    Failed {
        done: usize,
        total: usize,
        file: &'a Path,
        reason: &'a str,
    },
}

/// What a batch did.
#[derive(Debug, Default)]
pub struct Report {
    /// The session files written.
    pub written: Vec<PathBuf>,
    /// The files that could not be imported, and why.
    pub failed: Vec<(PathBuf, String)>,
}

/// Imports every room file of `paths` into `dir`, telling `progress` after each. A file that
/// fails is reported and the rest still imported.
pub fn import_paths(
    paths: &[PathBuf],
    metadata: Option<&Metadata>,
    dir: &Path,
    mut progress: impl FnMut(&Progress),
) -> Report {
    let (files, unreadable) = debate_files(paths);
    let total = files.len() + unreadable.len();
    let mut report = Report::default();
    let mut done = 0;
    for (file, reason) in unreadable {
        done += 1;
        progress(&Progress::Failed {
            done,
            total,
            file: &file,
            reason: &reason,
        });
        report.failed.push((file, reason));
    }
    for file in files {
        done += 1;
        let result = import_file(&file, metadata).and_then(|imported| {
            save(&imported.session, &imported.room, dir).map(|path| (imported, path))
        });
        match result {
            Ok((imported, path)) => {
                progress(&Progress::Imported {
                    done,
                    total,
                    room: &imported.room,
                    path: &path,
                    notes: &imported.notes,
                });
                report.written.push(path);
            }
            Err(e) => {
                let reason = format!("{e:#}");
                progress(&Progress::Failed {
                    done,
                    total,
                    file: &file,
                    reason: &reason,
                });
                report.failed.push((file, reason));
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_rows_are_found_by_room_and_errors_name_the_line_and_field() {
        let text = concat!(
            r#"{"name":"ambition-8","setting":{"isHuman":true,"isDebate":false},"includedInPaper":true,"extra":1}"#,
            "\n\n",
            r#"{"name":"b","setting":{"isHuman":false,"isDebate":true}}"#,
            "\n"
        );
        let m = Metadata::parse(text).unwrap();
        assert_eq!(m.len(), 2);
        let row = m.get("ambition-8").unwrap();
        assert_eq!(row.setting.label(), "human-consultancy");
        assert!(row.included_in_paper);
        assert!(!m.get("b").unwrap().included_in_paper);

        let broken = "{\"name\":\"a\",\"setting\":{\"isHuman\":true,\"isDebate\":true}}\n{\"name\":\"b\",\"setting\":{\"isHuman\":1}}";
        let e = format!("{:#}", Metadata::parse(broken).unwrap_err());
        assert!(
            e.starts_with("line 2: setting.isHuman: invalid type"),
            "{e}"
        );
    }

    #[test]
    fn room_names_come_from_file_names() {
        assert_eq!(
            room_name(Path::new("/x/ambition-3.json")).unwrap(),
            "ambition-3"
        );
        assert_eq!(room_name(Path::new("a b/é.json")).unwrap(), "%C3%A9");
        assert_eq!(room_name(Path::new("r 1%.json")).unwrap(), "r%201%25");
        assert_eq!(session_file_name("ambition-3"), "nyu-ambition-3.json");
    }

    /// Reads a room key back into the name it was made from.
    fn unkey(key: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut bytes = key.bytes();
        while let Some(b) = bytes.next() {
            if b == b'%' {
                let hex: String = bytes.by_ref().take(2).map(char::from).collect();
                out.push(u8::from_str_radix(&hex, 16).unwrap());
            } else {
                out.push(b);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn room_keys_are_safe_and_tell_every_name_apart(name in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
            let key = room_key(&name);
            proptest::prop_assert!(key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.%".contains(&b)));
            // One name back from each key: two names never share a key.
            proptest::prop_assert_eq!(unkey(&key), name);
        }
    }
}
