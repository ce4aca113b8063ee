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

use crate::domain::PenaltyUnit;
use crate::domain::scoring::{TurnSeen, count_seen, penalty_of, score};
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
const CACHE_FORMAT: u32 = 2;
/// A file modified this recently is not cached: a second write within the same mtime tick, of
/// the same size, would otherwise go unnoticed. It is simply parsed again next time.
pub(crate) const RACY_WINDOW: Duration = Duration::from_secs(2);
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

/// The session's own verdict scored against `ground_truth`, by the domain's rule
/// (`domain::scoring`): the same numbers the app, the exports and `agon stats` show.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreSummary {
    pub correct: bool,
    /// log2 of the probability given to the true side: 0 is perfect.
    pub log_score: f64,
    /// `log_score` minus the verdict's penalty per turn seen.
    pub penalised: f64,
    /// The turns the penalty counted.
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
    /// Other judgements of the debate (re-judges, LLM and offline judges).
    #[serde(default)]
    pub judgements: usize,
    /// Some judge judged it blind.
    #[serde(default)]
    pub blind: bool,
    /// A branch of another session.
    #[serde(default)]
    pub forked: bool,
    /// Recorded elsewhere and imported (the debaters' provider, e.g. `nyu`).
    #[serde(default)]
    pub imported: Option<String>,
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
            judgements: 0,
            blind: false,
            forked: false,
            imported: None,
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
    #[serde(default)]
    judge_events: Vec<LiteEvent>,
    #[serde(default)]
    judge: Option<LiteJudge>,
    #[serde(default)]
    judgements: Vec<LiteJudge>,
    #[serde(default)]
    forked_from: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct LiteProtocol {
    rounds: u32,
    #[serde(default)]
    turn_penalty: Option<f64>,
    #[serde(default)]
    penalty_unit: PenaltyUnit,
}

#[derive(Deserialize)]
struct LiteEvent {
    kind: String,
    #[serde(default)]
    after_turn: Option<usize>,
}

#[derive(Deserialize)]
struct LiteJudge {
    #[serde(default)]
    blind: bool,
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
    #[serde(default)]
    round: u32,
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
    #[serde(default)]
    turn_penalty: Option<f64>,
}

/// Only the version, for a better message when the light parse fails.
#[derive(Deserialize)]
struct VersionOnly {
    schema_version: Option<serde_json::Value>,
}

use crate::storage::{
    SessionReadError, contain, describe_json_error, read_session_bytes, too_large_reason,
};

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
    if bytes.is_empty() {
        // `storage::create_unique` reserves a session's name with an empty file just before its
        // first save; one left empty is a session that never got that save.
        return SessionSummary::broken(
            path,
            modified,
            size,
            "the file is empty (a session that was never saved?); it is safe to delete".into(),
        );
    }
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
            let verdict_after = lite
                .judge_events
                .iter()
                .rev()
                .find(|e| e.kind == "verdict")
                .map(|e| e.after_turn);
            let turns = lite.turns.iter().enumerate().map(|(index, t)| TurnSeen {
                index,
                complete: t.status == TurnStatus::Complete,
                main: t.scope.as_deref().is_none_or(|s| s == "root"),
                round: t.round,
            });
            let turns = count_seen(turns, verdict_after, lite.protocol.penalty_unit);
            let penalty = penalty_of(v.turn_penalty, lite.protocol.turn_penalty);
            let s = score(p_a, truth, turns, penalty);
            Some(ScoreSummary {
                correct: s.correct,
                log_score: s.log_score,
                penalised: s.turn_penalised,
                turns,
            })
        }
        _ => None,
    };
    let imported = lite
        .debaters
        .iter()
        .find(|d| d.provider == "nyu")
        .map(|d| d.provider.clone());
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
        judgements: lite.judgements.len(),
        blind: lite.judge.is_some_and(|j| j.blind) || lite.judgements.iter().any(|j| j.blind),
        forked: lite.forked_from.is_some(),
        imported,
        error: None,
    }
}

/// Reads and summarises one file; an unreadable file is a broken entry, and so is one whose
/// parse panicked (a bug, contained to that file: its neighbours are still listed).
fn read_summary(file: &Listed) -> SessionSummary {
    let broken =
        |reason: String| SessionSummary::broken(&file.path, file.modified, file.size, reason);
    let summary = contain::catch(|| {
        #[cfg(test)]
        tests::panic_hook::maybe_panic(&file.path);
        match read_session_bytes(&file.path) {
            Ok(bytes) => summarise(&file.path, file.modified, &bytes),
            Err(SessionReadError::Io(e)) => {
                broken(format!("cannot read: {e}{}", crate::text::capped::hint(&e)))
            }
            Err(SessionReadError::TooLarge) => broken(too_large_reason()),
        }
    });
    summary.unwrap_or_else(|panic| broken(internal_error(&panic)))
}

/// The reason shown for a file whose reading panicked.
fn internal_error(panic: &str) -> String {
    format!(
        "agon failed while reading this file (an internal error: {panic}); the file is unchanged, please report this"
    )
}

// ----- the directory and the cache -----

/// A session file found in the directory.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    pub(crate) path: PathBuf,
    pub(crate) name: String,
    pub(crate) modified: SystemTime,
    pub(crate) size: u64,
}

/// Every `*.json` file in `dir` that is not hidden (hidden ones are agon's temporary files and
/// this cache). A missing directory has no sessions.
pub(crate) fn list(dir: &Path) -> std::io::Result<Vec<Listed>> {
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
    // Capped like a session file: the cache is far smaller than the sessions it summarises.
    let bytes = read_session_bytes(&dir.join(CACHE_FILE)).ok()?;
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
            .and_then(|json| crate::storage::write_atomic(&self.dir.join(CACHE_FILE), &json));
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
        // `read_summary` contains each file's panic, so a thread can only fail outside it;
        // even then its files are listed, as broken, rather than silently dropped.
        handles
            .into_iter()
            .zip(which.chunks(chunk))
            .flat_map(|(h, part)| {
                h.join().unwrap_or_else(|payload| {
                    let why = internal_error(&contain::message(payload.as_ref()));
                    part.iter()
                        .map(|&i| {
                            let f = &files[i];
                            (
                                i,
                                SessionSummary::broken(&f.path, f.modified, f.size, why.clone()),
                            )
                        })
                        .collect()
                })
            })
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
mod tests;
