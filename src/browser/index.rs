//! A summary of every session file in the sessions directory, read once and cached on disk.
//!
//! Each `*.json` file (hidden files excluded) is parsed with a light serde struct that skips the
//! big fields (turn texts, the tree, judge events) without building them. Broken files are listed
//! with their error; no session file is ever written here.
//!
//! The summaries are kept in `.agon-index.json` in the same directory, keyed by file name, size
//! and modification time, so opening the browser again re-reads only the files that changed. The
//! cache is written atomically (a temporary file renamed over it); a cache that cannot be read or
//! parsed, or that an other agon version wrote, is ignored and rebuilt.

use crate::domain::scoring::{DEFAULT_TURN_PENALTY, score};
use crate::domain::{SCHEMA_VERSION, SessionStatus, Side, TurnStatus};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use time::OffsetDateTime;

/// The cache file's name, in the sessions directory.
pub const CACHE_FILE: &str = ".agon-index.json";
/// Bumped whenever [`SessionSummary`] or the way it is computed changes.
const CACHE_FORMAT: u32 = 1;
/// A file modified this recently is not cached: a second write within the same mtime tick, of
/// the same size, would otherwise go unnoticed. It is simply parsed again next time.
const RACY_WINDOW: Duration = Duration::from_secs(2);
/// Below this many files to parse, threads cost more than they save.
const PARALLEL_FROM: usize = 16;

/// Where a session stands, for the browser's state column and filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Rounds remain (the session's status is `running`) and there is no verdict.
    Unfinished,
    /// Every round played, no verdict yet.
    Finished,
    /// The judge recorded a verdict.
    Judged,
    /// The file could not be read as a session; see [`SessionSummary::error`].
    Broken,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Unfinished => "unfinished",
            State::Finished => "finished",
            State::Judged => "judged",
            State::Broken => "broken",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VerdictSummary {
    pub winner: Side,
    /// Confidence in the winner, 0.5 to 1.0.
    pub confidence: f64,
}

/// The verdict scored against `ground_truth` (see `domain::scoring`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreSummary {
    pub correct: bool,
    /// log2 of the probability given to the true side: 0 is perfect.
    pub log_score: f64,
    /// `log_score` minus [`DEFAULT_TURN_PENALTY`] per complete turn.
    pub penalised: f64,
    /// Complete turns, drills included: the turns the penalty counts.
    pub turns: usize,
}

/// What the browser shows about one session file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// The file's full path (not cached: it is the directory plus `file_name`).
    #[serde(skip)]
    pub path: PathBuf,
    pub file_name: String,
    pub modified: SystemTime,
    pub size: u64,
    pub schema_version: Option<u32>,
    pub question: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub created_at: Option<OffsetDateTime>,
    /// `provider/model` of side A and side B.
    pub models: [String; 2],
    /// Complete rounds of the main debate (both sides played), and the protocol's rounds.
    pub rounds_played: u32,
    pub rounds_total: u32,
    pub state: State,
    pub verdict: Option<VerdictSummary>,
    pub score: Option<ScoreSummary>,
    pub annotations: usize,
    /// Why the file is broken: the reason alone, without the path.
    pub error: Option<String>,
}

impl SessionSummary {
    /// When the session was created. For a broken file: the time in its name if it has agon's
    /// dated name, else when it was last modified.
    pub fn date(&self) -> OffsetDateTime {
        self.created_at
            .unwrap_or_else(|| OffsetDateTime::from(self.modified))
    }

    /// A file from a newer agon: it opens read-only.
    pub fn is_newer(&self) -> bool {
        self.schema_version.is_some_and(|v| v > SCHEMA_VERSION)
    }

    fn broken(path: &Path, modified: SystemTime, size: u64, error: String) -> Self {
        let file_name = file_name_of(path);
        SessionSummary {
            path: path.to_path_buf(),
            created_at: stamp_in_name(&file_name),
            file_name,
            modified,
            size,
            schema_version: None,
            question: String::new(),
            models: Default::default(),
            rounds_played: 0,
            rounds_total: 0,
            state: State::Broken,
            verdict: None,
            score: None,
            annotations: 0,
            error: Some(error),
        }
    }
}

/// The creation time agon puts at the start of a session's file name
/// (`2026-03-14_150926_...`), read back for a file whose contents cannot say.
fn stamp_in_name(name: &str) -> Option<OffsetDateTime> {
    let stamp = name.get(..17)?;
    time::PrimitiveDateTime::parse(
        stamp,
        time::macros::format_description!("[year]-[month]-[day]_[hour][minute][second]"),
    )
    .ok()
    .map(time::PrimitiveDateTime::assume_utc)
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

// ----- the light parse -----

/// The fields of a session the summary needs. Fields the full loader requires but the summary
/// does not use are `IgnoredAny`: still required, so a file missing them is reported broken, but
/// skipped without being built.
#[derive(Deserialize)]
struct Lite {
    schema_version: Option<serde_json::Number>,
    #[allow(dead_code)]
    app_version: IgnoredAny,
    #[allow(dead_code)]
    id: IgnoredAny,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[allow(dead_code)]
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    question: String,
    #[allow(dead_code)]
    positions: IgnoredAny,
    protocol: LiteProtocol,
    debaters: Vec<LiteDebater>,
    #[serde(default)]
    ground_truth: Option<Side>,
    status: SessionStatus,
    turns: Vec<LiteTurn>,
    #[allow(dead_code)]
    tree: IgnoredAny,
    #[serde(default)]
    verdict: Option<LiteVerdict>,
    #[serde(default)]
    annotations: Vec<IgnoredAny>,
}

#[derive(Deserialize)]
struct LiteProtocol {
    rounds: u32,
}

#[derive(Deserialize)]
struct LiteDebater {
    side: Side,
    provider: String,
    model: String,
}

#[derive(Deserialize)]
struct LiteTurn {
    #[serde(default)]
    scope: Option<String>,
    status: TurnStatus,
    #[serde(default)]
    skipped: bool,
    #[allow(dead_code)]
    text: IgnoredAny,
}

#[derive(Deserialize)]
struct LiteVerdict {
    winner: Side,
    confidence: f64,
}

/// Only the version, for a better message when the light parse fails.
#[derive(Deserialize)]
struct VersionOnly {
    schema_version: Option<serde_json::Value>,
}

use crate::storage::describe_json_error;

/// Checks the version as `storage::load` does; returns it.
fn check_version(v: Option<u64>) -> Result<u32, String> {
    let v = v.ok_or_else(|| "it has no schema_version field".to_string())?;
    u32::try_from(v)
        .ok()
        .filter(|&v| v >= 1)
        .ok_or_else(|| format!("schema_version {v} is not a version agon wrote"))
}

/// Summarises the bytes of one session file.
pub fn summarise(path: &Path, modified: SystemTime, bytes: &[u8]) -> SessionSummary {
    let size = bytes.len() as u64;
    let lite: Lite = match serde_json::from_slice(bytes) {
        Ok(lite) => lite,
        Err(e) => {
            // A missing or odd schema_version explains more than the first missing field.
            let mut reason = describe_json_error(&e);
            if e.classify() == serde_json::error::Category::Data
                && let Ok(v) = serde_json::from_slice::<VersionOnly>(bytes)
                && let Err(why) = check_version(v.schema_version.as_ref().and_then(|v| v.as_u64()))
            {
                reason = why;
            }
            return SessionSummary::broken(path, modified, size, reason);
        }
    };
    let version = match check_version(lite.schema_version.as_ref().and_then(|n| n.as_u64())) {
        Ok(v) => v,
        Err(why) => return SessionSummary::broken(path, modified, size, why),
    };
    let model = |side: Side| {
        lite.debaters
            .iter()
            .find(|d| d.side == side)
            .map(|d| format!("{}/{}", d.provider, d.model))
            .unwrap_or_default()
    };
    let played = lite
        .turns
        .iter()
        .filter(|t| t.scope.as_deref().is_none_or(|s| s == "root"))
        .filter(|t| t.status == TurnStatus::Complete || t.skipped)
        .count() as u32;
    let verdict = lite.verdict.as_ref().map(|v| VerdictSummary {
        winner: v.winner,
        confidence: v.confidence,
    });
    let state = if verdict.is_some() {
        State::Judged
    } else if lite.status == SessionStatus::Running {
        State::Unfinished
    } else {
        State::Finished
    };
    let score = match (&lite.verdict, lite.ground_truth) {
        (Some(v), Some(truth)) => {
            let p_a = match v.winner {
                Side::A => v.confidence,
                Side::B => 1.0 - v.confidence,
            };
            let turns = lite
                .turns
                .iter()
                .filter(|t| t.status == TurnStatus::Complete)
                .count();
            let s = score(p_a, truth, turns, DEFAULT_TURN_PENALTY);
            Some(ScoreSummary {
                correct: s.correct,
                log_score: s.log_score,
                penalised: s.turn_penalised,
                turns,
            })
        }
        _ => None,
    };
    SessionSummary {
        path: path.to_path_buf(),
        file_name: file_name_of(path),
        modified,
        size,
        schema_version: Some(version),
        question: lite.question,
        created_at: Some(lite.created_at),
        models: [model(Side::A), model(Side::B)],
        rounds_played: played / 2,
        rounds_total: lite.protocol.rounds,
        state,
        verdict,
        score,
        annotations: lite.annotations.len(),
        error: None,
    }
}

/// Reads and summarises one file; an unreadable file is a broken entry.
fn read_summary(file: &Listed) -> SessionSummary {
    match fs::read(&file.path) {
        Ok(bytes) => summarise(&file.path, file.modified, &bytes),
        Err(e) => SessionSummary::broken(
            &file.path,
            file.modified,
            file.size,
            format!("cannot read: {e}"),
        ),
    }
}

// ----- the directory and the cache -----

/// A session file found in the directory.
#[derive(Debug, Clone)]
struct Listed {
    path: PathBuf,
    name: String,
    modified: SystemTime,
    size: u64,
}

/// Every `*.json` file in `dir` that is not hidden (hidden ones are agon's temporary files and
/// this cache). A missing directory has no sessions.
fn list(dir: &Path) -> std::io::Result<Vec<Listed>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !name.ends_with(".json") {
            continue;
        }
        let path = entry.path();
        // Follows symbolic links, so a linked session is listed like any other.
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        out.push(Listed {
            path,
            name,
            modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            size: meta.len(),
        });
    }
    Ok(out)
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    /// The agon version that wrote it: a summary from another version is not trusted.
    agon: String,
    entries: Vec<SessionSummary>,
}

fn read_cache(dir: &Path) -> Option<Vec<SessionSummary>> {
    let bytes = fs::read(dir.join(CACHE_FILE)).ok()?;
    match serde_json::from_slice::<CacheFile>(&bytes) {
        Ok(c) if c.format == CACHE_FORMAT && c.agon == env!("CARGO_PKG_VERSION") => Some(c.entries),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!("ignoring the corrupt session index cache: {e}");
            None
        }
    }
}

/// How an [`Index`] was built, for tests and the bench.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Files parsed because the cache had no current entry for them.
    pub parsed: usize,
    /// Files taken from the cache.
    pub cached: usize,
    /// Whether the cache file was (re)written.
    pub cache_written: bool,
}

/// Every session file of one directory, summarised.
#[derive(Debug, Clone)]
pub struct Index {
    pub dir: PathBuf,
    pub entries: Vec<SessionSummary>,
    pub stats: BuildStats,
    /// Why the cache could not be written, if it could not (the index still works).
    pub cache_error: Option<String>,
}

impl Index {
    /// Summarises `dir`, reusing the cache for unchanged files and updating it.
    pub fn open(dir: &Path) -> std::io::Result<Index> {
        Self::build(dir, true)
    }

    /// Summarises `dir` without reading or writing the cache.
    pub fn scan(dir: &Path) -> std::io::Result<Index> {
        Self::build(dir, false)
    }

    fn build(dir: &Path, use_cache: bool) -> std::io::Result<Index> {
        let files = list(dir)?;
        let cached = if use_cache { read_cache(dir) } else { None };
        let cache_loaded = cached.is_some();
        let mut by_name: HashMap<String, SessionSummary> = cached
            .unwrap_or_default()
            .into_iter()
            .map(|s| (s.file_name.clone(), s))
            .collect();
        let cached_count = by_name.len();

        let mut entries: Vec<Option<SessionSummary>> = Vec::with_capacity(files.len());
        let mut misses = Vec::new();
        for (i, f) in files.iter().enumerate() {
            match by_name.remove(&f.name) {
                Some(mut s) if s.size == f.size && s.modified == f.modified => {
                    s.path = f.path.clone();
                    entries.push(Some(s));
                }
                _ => {
                    entries.push(None);
                    misses.push(i);
                }
            }
        }
        let hits = files.len() - misses.len();
        for (i, summary) in parse_all(&files, &misses) {
            entries[i] = Some(summary);
        }
        let mut index = Index {
            dir: dir.to_path_buf(),
            entries: entries.into_iter().flatten().collect(),
            stats: BuildStats {
                parsed: misses.len(),
                cached: hits,
                cache_written: false,
            },
            cache_error: None,
        };
        // Rewrite the cache only when it no longer matches: a file changed, appeared or went.
        let stale = !cache_loaded || !misses.is_empty() || hits != cached_count;
        if use_cache && stale {
            index.save_cache();
        }
        Ok(index)
    }

    /// Writes the cache: a temporary file, then a rename over the old one. Failure is recorded
    /// in `cache_error`, not fatal: the browser works without a cache.
    pub fn save_cache(&mut self) {
        let now = SystemTime::now();
        let entries: Vec<SessionSummary> = self
            .entries
            .iter()
            .filter(|s| {
                now.duration_since(s.modified)
                    .is_ok_and(|age| age >= RACY_WINDOW)
            })
            .cloned()
            .collect();
        let file = CacheFile {
            format: CACHE_FORMAT,
            agon: env!("CARGO_PKG_VERSION").to_string(),
            entries,
        };
        let result = serde_json::to_vec(&file)
            .map_err(std::io::Error::other)
            .and_then(|json| {
                let tmp = self
                    .dir
                    .join(format!("{CACHE_FILE}.{}.tmp", std::process::id()));
                fs::write(&tmp, json)?;
                fs::rename(&tmp, self.dir.join(CACHE_FILE)).inspect_err(|_| {
                    let _ = fs::remove_file(&tmp);
                })
            });
        match result {
            Ok(()) => {
                self.stats.cache_written = true;
                self.cache_error = None;
            }
            Err(e) => {
                tracing::warn!("cannot write the session index cache: {e}");
                self.cache_error = Some(e.to_string());
            }
        }
    }

    pub fn position(&self, file_name: &str) -> Option<usize> {
        self.entries.iter().position(|s| s.file_name == file_name)
    }

    /// Renames a session file to `new_name` in the same directory, never over an existing
    /// file, and updates the index and its cache. Returns the new path.
    pub fn rename(&mut self, file_name: &str, new_name: &str) -> Result<PathBuf, String> {
        let i = self
            .position(file_name)
            .ok_or_else(|| format!("{file_name} is not in the index"))?;
        let from = self.dir.join(file_name);
        let to = self.dir.join(new_name);
        rename_no_clobber(&from, &to).map_err(|e| {
            if e.kind() == ErrorKind::AlreadyExists {
                format!("{new_name} already exists")
            } else {
                format!("cannot rename {file_name}: {e}")
            }
        })?;
        let entry = &mut self.entries[i];
        entry.file_name = new_name.to_string();
        entry.path = to.clone();
        self.save_cache();
        Ok(to)
    }

    /// Deletes a session file and drops it from the index and its cache.
    pub fn delete(&mut self, file_name: &str) -> Result<(), String> {
        let i = self
            .position(file_name)
            .ok_or_else(|| format!("{file_name} is not in the index"))?;
        match fs::remove_file(self.dir.join(file_name)) {
            Ok(()) => {}
            // Someone else deleted it: it is gone either way.
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot delete {file_name}: {e}")),
        }
        self.entries.remove(i);
        self.save_cache();
        Ok(())
    }
}

/// Parses the files at `which`, on a few threads when there are many.
fn parse_all(files: &[Listed], which: &[usize]) -> Vec<(usize, SessionSummary)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    if which.len() < PARALLEL_FROM || threads < 2 {
        return which
            .iter()
            .map(|&i| (i, read_summary(&files[i])))
            .collect();
    }
    let chunk = which.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = which
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&i| (i, read_summary(&files[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Renames without ever replacing `to`: a hard link fails if `to` exists, then the old name is
/// removed. Where hard links are not supported, checks first and renames (a small race).
fn rename_no_clobber(from: &Path, to: &Path) -> std::io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => fs::remove_file(from),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(e),
        Err(_) => {
            if fs::symlink_metadata(to).is_ok() {
                return Err(std::io::Error::from(ErrorKind::AlreadyExists));
            }
            fs::rename(from, to)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../sessions/example-congestion-pricing.json");

    fn example() -> serde_json::Value {
        serde_json::from_str(EXAMPLE).unwrap()
    }

    /// Writes `text` to `dir/name` with a modification time in the past (outside the racy
    /// window), `age_s` seconds ago.
    fn put(dir: &Path, name: &str, text: &str, age_s: u64) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, text).unwrap();
        let f = fs::File::options().write(true).open(&path).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(age_s))
            .unwrap();
        path
    }

    fn put_json(dir: &Path, name: &str, v: &serde_json::Value) -> PathBuf {
        put(dir, name, &serde_json::to_string_pretty(v).unwrap(), 3600)
    }

    fn summary_of(v: &serde_json::Value) -> SessionSummary {
        summarise(
            Path::new("/s/x.json"),
            SystemTime::UNIX_EPOCH,
            &serde_json::to_vec(v).unwrap(),
        )
    }

    #[test]
    fn summarises_the_example_session() {
        let s = summary_of(&example());
        assert_eq!(s.error, None);
        assert_eq!(s.state, State::Judged);
        assert_eq!(s.file_name, "x.json");
        assert_eq!(s.schema_version, Some(SCHEMA_VERSION));
        assert!(
            s.question
                .starts_with("Should the city adopt congestion pricing")
        );
        assert_eq!(s.models[0], "scripted/demo:congestion-pricing");
        assert_eq!(s.models[1], "scripted/demo:congestion-pricing");
        assert_eq!(
            (s.rounds_played, s.rounds_total),
            (4, 4),
            "drill turns do not count"
        );
        let v = s.verdict.unwrap();
        assert_eq!((v.winner, v.confidence), (Side::B, 0.7));
        assert_eq!(s.score, None, "no ground truth, no score");
        assert_eq!(s.annotations, 0);
        assert_eq!(
            s.created_at.unwrap().unix_timestamp(),
            time::macros::datetime!(2026-11-27 08:37:37 UTC).unix_timestamp()
        );
    }

    #[test]
    fn states_rounds_annotations_and_score() {
        let mut v = example();
        v["verdict"] = serde_json::Value::Null;
        assert_eq!(summary_of(&v).state, State::Finished);

        v["status"] = "running".into();
        v["turns"].as_array_mut().unwrap().truncate(3);
        let s = summary_of(&v);
        assert_eq!(s.state, State::Unfinished);
        assert_eq!((s.rounds_played, s.rounds_total), (1, 4));

        let mut v = example();
        v["ground_truth"] = "B".into();
        v["annotations"] = serde_json::json!([{"id": 1}, {"id": 2}]);
        let s = summary_of(&v);
        assert_eq!(s.annotations, 2);
        let sc = s.score.unwrap();
        // B at 70%, B right, 12 complete turns: log2(0.7) - 0.05 x 12.
        assert!(sc.correct);
        assert_eq!(sc.turns, 12);
        assert!((sc.log_score - 0.7f64.log2()).abs() < 1e-12);
        assert!((sc.penalised - (0.7f64.log2() - 0.6)).abs() < 1e-12);

        v["ground_truth"] = "A".into();
        let sc = summary_of(&v).score.unwrap();
        assert!(!sc.correct);
        assert!((sc.log_score - 0.3f64.log2()).abs() < 1e-12);
    }

    #[test]
    fn broken_files_are_listed_with_the_loaders_reason() {
        let full = serde_json::to_string_pretty(&example()).unwrap();
        let cases: Vec<(String, &str)> = vec![
            (full[..full.len() / 2].to_string(), "truncated"),
            ("{ not json".into(), "broken JSON at line 1"),
            ("{}".into(), "no schema_version"),
            (r#"{"schema_version":0}"#.into(), "not a version agon wrote"),
            (
                r#"{"schema_version":2,"question":3}"#.into(),
                "invalid type",
            ),
            (String::new(), "truncated"),
        ];
        for (text, want) in cases {
            let s = summarise(Path::new("b.json"), SystemTime::UNIX_EPOCH, text.as_bytes());
            assert_eq!(s.state, State::Broken, "{text:.40}");
            let e = s.error.unwrap();
            assert!(e.contains(want), "{want:?} not in {e:?}");
            assert_eq!(s.size, text.len() as u64);
        }
        let mut v = example();
        v.as_object_mut().unwrap().remove("tree");
        let e = summary_of(&v).error.unwrap();
        assert!(e.contains("missing field `tree`"), "{e}");
    }

    #[test]
    fn a_broken_file_is_dated_by_its_name_or_else_its_mtime() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let named = Path::new("2026-03-14_150926_should-the-city.json");
        let s = summarise(named, at, b"{");
        assert_eq!(s.date(), time::macros::datetime!(2026-03-14 15:09:26 UTC));
        let s = summarise(Path::new("notes.json"), at, b"{");
        assert_eq!(s.created_at, None);
        assert_eq!(s.date().unix_timestamp(), 1_000_000_000);
    }

    #[test]
    fn a_newer_version_is_summarised_and_marked() {
        let mut v = example();
        v["schema_version"] = (SCHEMA_VERSION + 1).into();
        v["a_future_field"] = serde_json::json!({"x": [1, 2]});
        let s = summary_of(&v);
        assert_eq!(s.error, None);
        assert!(s.is_newer());
        assert_eq!(s.state, State::Judged);
        assert!(!summary_of(&example()).is_newer());
    }

    #[test]
    fn an_older_version_is_summarised() {
        let v1 = include_str!("../../tests/fixtures/sessions/schema-v1.json");
        let s = summarise(Path::new("v1.json"), SystemTime::UNIX_EPOCH, v1.as_bytes());
        assert_eq!(s.error, None, "{:?}", s.error);
        assert_eq!(s.schema_version, Some(1));
        assert!(s.rounds_played > 0);
    }

    fn names(index: &Index) -> Vec<String> {
        let mut n: Vec<String> = index.entries.iter().map(|s| s.file_name.clone()).collect();
        n.sort();
        n
    }

    #[test]
    fn the_cache_is_used_for_unchanged_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        put_json(d, "a.json", &example());
        put_json(d, "b.json", &example());
        put(d, "broken.json", "{", 3600);
        put(d, ".a.json.tmp", "{", 3600);
        put(d, "notes.txt", "x", 3600);

        let first = Index::open(d).unwrap();
        assert_eq!(names(&first), ["a.json", "b.json", "broken.json"]);
        assert_eq!((first.stats.parsed, first.stats.cached), (3, 0));
        assert!(first.stats.cache_written && d.join(CACHE_FILE).exists());

        let again = Index::open(d).unwrap();
        assert_eq!((again.stats.parsed, again.stats.cached), (0, 3));
        assert!(
            !again.stats.cache_written,
            "nothing changed, nothing written"
        );
        assert_eq!(again.entries.len(), 3);
        let a = again
            .entries
            .iter()
            .find(|s| s.file_name == "a.json")
            .unwrap();
        assert_eq!(a.path, d.join("a.json"), "paths are rebuilt, not cached");
        let fresh = Index::scan(d).unwrap();
        for s in &fresh.entries {
            let c = again
                .entries
                .iter()
                .find(|c| c.file_name == s.file_name)
                .unwrap();
            assert_eq!(c, s, "a cached summary equals a fresh one");
        }

        // One file changes (new size and time), one goes, one appears.
        let mut v = example();
        v["question"] = "A changed question?".into();
        put_json(d, "a.json", &v);
        fs::remove_file(d.join("b.json")).unwrap();
        put_json(d, "c.json", &example());
        let third = Index::open(d).unwrap();
        assert_eq!(names(&third), ["a.json", "broken.json", "c.json"]);
        assert_eq!((third.stats.parsed, third.stats.cached), (2, 1));
        assert!(third.stats.cache_written);
        let a = third
            .entries
            .iter()
            .find(|s| s.file_name == "a.json")
            .unwrap();
        assert_eq!(a.question, "A changed question?");

        // A deletion alone also rewrites the cache.
        fs::remove_file(d.join("c.json")).unwrap();
        let fourth = Index::open(d).unwrap();
        assert_eq!((fourth.stats.parsed, fourth.stats.cached), (0, 2));
        assert!(fourth.stats.cache_written);
        assert!(!Index::open(d).unwrap().stats.cache_written);
        let leftovers: Vec<_> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(CACHE_FILE) && n != CACHE_FILE)
            .collect();
        assert!(
            leftovers.is_empty(),
            "no temporary cache file left: {leftovers:?}"
        );
    }

    #[test]
    fn same_size_new_time_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let path = put_json(d, "a.json", &example());
        Index::open(d).unwrap();
        let f = fs::File::options().write(true).open(&path).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(60))
            .unwrap();
        let again = Index::open(d).unwrap();
        assert_eq!((again.stats.parsed, again.stats.cached), (1, 0));
    }

    #[test]
    fn a_corrupt_or_foreign_cache_is_ignored_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        put_json(d, "a.json", &example());
        for junk in [
            "{ corrupt".to_string(),
            String::new(),
            r#"{"format":999,"agon":"0.1.0","entries":[]}"#.to_string(),
            r#"{"format":1,"agon":"0.0.0-other","entries":[]}"#.to_string(),
            r#"{"format":1,"agon":"x","entries":[{"file_name":3}]}"#.to_string(),
        ] {
            fs::write(d.join(CACHE_FILE), &junk).unwrap();
            let index = Index::open(d).unwrap();
            assert_eq!(index.entries.len(), 1, "{junk}");
            assert_eq!(index.stats.parsed, 1, "{junk}");
            assert!(index.stats.cache_written, "{junk}");
            assert_eq!(
                Index::open(d).unwrap().stats.cached,
                1,
                "rebuilt after {junk}"
            );
        }
    }

    #[test]
    fn a_recently_modified_file_is_not_cached() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("new.json"), EXAMPLE).unwrap();
        put_json(d, "old.json", &example());
        let first = Index::open(d).unwrap();
        assert_eq!(first.entries.len(), 2);
        let again = Index::open(d).unwrap();
        assert_eq!((again.stats.parsed, again.stats.cached), (1, 1));
    }

    #[test]
    fn a_missing_directory_has_no_sessions_and_gets_no_cache() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let index = Index::open(&missing).unwrap();
        assert!(index.entries.is_empty());
        assert!(!missing.exists(), "the browser creates nothing");
    }

    #[test]
    fn broken_files_are_never_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let path = put(d, "t.json", &EXAMPLE[..1000], 3600);
        Index::open(d).unwrap();
        Index::open(d).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), &EXAMPLE[..1000]);
    }

    #[test]
    fn rename_refuses_to_overwrite_and_delete_removes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        put_json(d, "a.json", &example());
        put_json(d, "b.json", &example());
        let mut index = Index::open(d).unwrap();
        let e = index.rename("a.json", "b.json").unwrap_err();
        assert!(e.contains("already exists"), "{e}");
        assert!(d.join("a.json").exists());
        let to = index.rename("a.json", "renamed.json").unwrap();
        assert_eq!(to, d.join("renamed.json"));
        assert!(to.exists() && !d.join("a.json").exists());
        let again = Index::open(d).unwrap();
        assert_eq!(names(&again), ["b.json", "renamed.json"]);
        assert_eq!(again.stats.parsed, 0, "the cache followed the rename");

        index.delete("b.json").unwrap();
        assert!(!d.join("b.json").exists());
        assert_eq!(names(&index), ["renamed.json"]);
        assert_eq!(Index::open(d).unwrap().stats.cached, 1);
    }

    #[test]
    fn many_files_parse_on_threads_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for i in 0..40 {
            let mut v = example();
            v["question"] = format!("Question {i}?").into();
            put_json(d, &format!("s{i:02}.json"), &v);
        }
        let index = Index::scan(d).unwrap();
        assert_eq!(index.entries.len(), 40);
        for s in &index.entries {
            let n: usize = s.file_name[1..3].parse().unwrap();
            assert_eq!(s.question, format!("Question {n}?"));
        }
    }
}
