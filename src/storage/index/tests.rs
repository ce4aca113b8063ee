//! The sessions index: summaries of good and broken files, and the on-disk cache.
use super::*;

const EXAMPLE: &str = include_str!("../../../sessions/example-congestion-pricing.json");

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
        (String::new(), "the file is empty"),
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
    let v1 = include_str!("../../../tests/fixtures/sessions/schema-v1.json");
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

/// A test-only way to make the parse of chosen files panic, as a bug in it would.
pub(super) mod panic_hook {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static PANIC_ON: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    pub fn panic_on(path: PathBuf) {
        PANIC_ON.lock().unwrap().push(path);
    }

    /// Called by `read_summary` before it reads `path`.
    pub fn maybe_panic(path: &Path) {
        let chosen = PANIC_ON
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|p| p == path);
        if chosen {
            panic!("forced by a test");
        }
    }
}

/// Builds the index of `count` sessions where the parse of `panicking` panics: every file is
/// still listed, that one as broken with the reason.
fn a_panicking_parse_is_a_broken_entry(count: usize, panicking: &[usize]) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..count {
        let path = put_json(d, &format!("s{i:02}.json"), &example());
        if panicking.contains(&i) {
            panic_hook::panic_on(path);
        }
    }
    let index = Index::scan(d).unwrap();
    assert_eq!(index.entries.len(), count, "no session vanishes");
    for s in &index.entries {
        let i: usize = s.file_name[1..3].parse().unwrap();
        if panicking.contains(&i) {
            assert_eq!(s.state, State::Broken);
            let e = s.error.as_deref().unwrap();
            assert!(
                e.contains("internal error: forced by a test") && e.contains("please report"),
                "{e}"
            );
        } else {
            assert_eq!(s.error, None, "{}", s.file_name);
        }
    }
}

#[test]
fn a_panicking_parse_is_a_broken_entry_with_few_files() {
    a_panicking_parse_is_a_broken_entry(3, &[1]);
}

#[test]
fn a_panicking_parse_is_a_broken_entry_on_threads() {
    const { assert!(40 >= PARALLEL_FROM, "enough files for the threaded path") };
    a_panicking_parse_is_a_broken_entry(40, &[0, 17, 39]);
}

#[test]
fn an_empty_file_says_it_was_never_saved() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    crate::storage::create_unique(d, "new.json").unwrap();
    let index = Index::scan(d).unwrap();
    let e = index.entries[0].error.as_deref().unwrap();
    assert!(e.contains("empty") && e.contains("safe to delete"), "{e}");
}
