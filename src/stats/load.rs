//! Reading a sessions directory into stats records: the only part of `stats` that touches
//! files.
//!
//! The directory's session files are the sessions browser's (`storage::index::list`: every
//! `*.json` that is not hidden). Each is loaded with `storage::load` (so older schemas are
//! migrated as everywhere else) and reduced to a [`SessionRecord`]. The records are cached in
//! `.agon-stats.json` beside the sessions, keyed by file name, size and modification time like
//! the browser's `.agon-index.json`: a second run re-reads only the files that changed. A
//! broken file is cached as broken with its reason, so it is reported again without being
//! re-read; a cache that another agon version wrote, or that does not parse, is rebuilt.

use super::record::SessionRecord;
use crate::storage::{self, LoadError, index};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

/// The cache file's name, in the sessions directory (hidden, so never listed as a session).
pub const CACHE_FILE: &str = ".agon-stats.json";
/// Bumped whenever [`SessionRecord`] or the way it is extracted changes.
const CACHE_FORMAT: u32 = 1;
/// Below this many files to read, threads cost more than they save.
const PARALLEL_FROM: usize = 16;

/// The records of one directory's session files, and the files that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// In file name order.
    pub records: Vec<SessionRecord>,
    pub broken: Vec<BrokenFile>,
    pub load: LoadStats,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenFile {
    pub file: String,
    /// Why, without the path.
    pub error: String,
}

/// How a [`Dataset`] was read, for tests and the timing report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Files read because the cache had no current entry for them.
    pub parsed: usize,
    /// Files taken from the cache.
    pub cached: usize,
    pub cache_written: bool,
    /// Why the cache could not be written, if it could not (stats work without it).
    pub cache_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum Outcome {
    Record(SessionRecord),
    Broken(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    file: String,
    size: u64,
    modified: SystemTime,
    outcome: Outcome,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    /// The agon version that wrote it: records from another version are not trusted.
    agon: String,
    entries: Vec<CacheEntry>,
}

impl Dataset {
    /// Reads `dir`, reusing the cache for unchanged files and updating it.
    pub fn open(dir: &Path) -> std::io::Result<Dataset> {
        Self::build(dir, true)
    }

    /// Reads every file of `dir`, without reading or writing the cache.
    pub fn scan(dir: &Path) -> std::io::Result<Dataset> {
        Self::build(dir, false)
    }

    fn build(dir: &Path, use_cache: bool) -> std::io::Result<Dataset> {
        let mut files = index::list(dir)?;
        files.sort_by(|a, b| a.name.cmp(&b.name));
        let cached = if use_cache { read_cache(dir) } else { None };
        let cache_loaded = cached.is_some();
        let mut by_name: HashMap<String, CacheEntry> = cached
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.file.clone(), e))
            .collect();
        let cached_count = by_name.len();

        let mut entries: Vec<Option<CacheEntry>> = Vec::with_capacity(files.len());
        let mut misses = Vec::new();
        for f in &files {
            match by_name.remove(&f.name) {
                Some(e) if e.size == f.size && e.modified == f.modified => entries.push(Some(e)),
                _ => {
                    misses.push(f);
                    entries.push(None);
                }
            }
        }
        let hits = files.len() - misses.len();
        let mut read = read_all(&misses).into_iter();
        let entries: Vec<CacheEntry> = entries
            .into_iter()
            .filter_map(|e| e.or_else(|| read.next()))
            .collect();

        let mut data = Dataset {
            records: Vec::new(),
            broken: Vec::new(),
            load: LoadStats {
                parsed: misses.len(),
                cached: hits,
                ..LoadStats::default()
            },
        };
        // Rewrite the cache only when it no longer matches: a file changed, appeared or went.
        let stale = !cache_loaded || !misses.is_empty() || hits != cached_count;
        if use_cache && stale {
            match write_cache(dir, &entries) {
                Ok(()) => data.load.cache_written = true,
                Err(e) => data.load.cache_error = Some(e.to_string()),
            }
        }
        for e in entries {
            match e.outcome {
                Outcome::Record(r) => data.records.push(r),
                Outcome::Broken(error) => data.broken.push(BrokenFile {
                    file: e.file,
                    error,
                }),
            }
        }
        Ok(data)
    }
}

/// Loads and reduces one file; a file that does not load is a broken entry.
fn read_one(f: &index::Listed) -> CacheEntry {
    let outcome = match storage::load(&f.path) {
        Ok(loaded) => Outcome::Record(SessionRecord::extract(&f.name, &loaded.session)),
        Err(LoadError::Io { source, .. }) => Outcome::Broken(format!("cannot read: {source}")),
        Err(LoadError::Invalid { reason, .. }) => Outcome::Broken(reason),
    };
    CacheEntry {
        file: f.name.clone(),
        size: f.size,
        modified: f.modified,
        outcome,
    }
}

/// Reads `files` in order, on a few threads when there are many.
fn read_all(files: &[&index::Listed]) -> Vec<CacheEntry> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    if files.len() < PARALLEL_FROM || threads < 2 {
        return files.iter().map(|f| read_one(f)).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|f| read_one(f)).collect::<Vec<_>>()))
            .collect();
        // A thread that panicked returns its panic, not its entries: its files are reported
        // broken rather than lost (or read again into the same panic).
        handles
            .into_iter()
            .zip(files.chunks(chunk))
            .flat_map(|(h, part)| {
                h.join().unwrap_or_else(|_| {
                    part.iter()
                        .map(|f| CacheEntry {
                            file: f.name.clone(),
                            size: f.size,
                            modified: f.modified,
                            outcome: Outcome::Broken("agon failed while reading it".into()),
                        })
                        .collect()
                })
            })
            .collect()
    })
}

fn read_cache(dir: &Path) -> Option<Vec<CacheEntry>> {
    let bytes = std::fs::read(dir.join(CACHE_FILE)).ok()?;
    match serde_json::from_slice::<CacheFile>(&bytes) {
        Ok(c) if c.format == CACHE_FORMAT && c.agon == env!("CARGO_PKG_VERSION") => Some(c.entries),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!("ignoring the corrupt stats cache: {e}");
            None
        }
    }
}

/// Writes the cache atomically. Files modified within the last moments are left out: a second
/// write within the same modification-time tick, of the same size, would go unnoticed.
fn write_cache(dir: &Path, entries: &[CacheEntry]) -> std::io::Result<()> {
    let now = SystemTime::now();
    let file = CacheFile {
        format: CACHE_FORMAT,
        agon: env!("CARGO_PKG_VERSION").to_string(),
        entries: entries
            .iter()
            .filter(|e| {
                now.duration_since(e.modified)
                    .is_ok_and(|age| age >= index::RACY_WINDOW)
            })
            .cloned()
            .collect(),
    };
    let json = serde_json::to_vec(&file).map_err(std::io::Error::other)?;
    storage::write_atomic(&dir.join(CACHE_FILE), &json)
}
