//! `agon stats` on 1,000 realistic session files (copies of the ~40 KB example, varied:
//! debate or consultancy, human or AI debaters, ground truth, verdicts, offline judgements,
//! labels, tags), written once to a temporary directory:
//!
//! - `stats/cold`: no cache: load and reduce every file, write `.agon-stats.json`, analyse,
//!   render the table;
//! - `stats/warm`: the cache is current: one stat per file, no session file read;
//! - `stats/analyse`: the computations and the table alone, on records already in memory.
//!
//! The files are in the OS page cache after the first run, so "cold" means no stats cache, not
//! a cold disk.

use agon::stats::{self, Dataset, Field, Query, render};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

const SESSIONS: usize = 1_000;
const EXAMPLE: &str = include_str!("../sessions/example-congestion-pricing.json");

fn write_sessions(dir: &Path) {
    let example: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    for i in 0..SESSIONS {
        let mut v = example.clone();
        v["id"] = format!("bench-{i}").into();
        let truth = if i % 3 == 0 { "A" } else { "B" };
        v["ground_truth"] = truth.into();
        let p = 0.5 + (i % 5) as f64 * 0.1;
        v["verdict"]["winner"] = if i % 7 < 5 { truth } else { "A" }.into();
        v["verdict"]["confidence"] = p.into();
        v["labels"] = json!({
            "included_in_paper": if i % 4 == 0 { "false" } else { "true" },
            "setting": if i % 2 == 0 { "human-debate" } else { "ai-debate" },
        });
        let human = i % 2 == 0;
        for d in v["debaters"].as_array_mut().unwrap() {
            if human {
                d["kind"] = "human".into();
                d["name"] = format!("Person {}", i % 13).into();
            } else {
                d["model"] = ["gpt-4", "gpt-4o", "claude-3-5"][i % 3].into();
            }
        }
        if i % 5 == 0 {
            v["protocol"]["format"] = "consultancy".into();
            v["debaters"].as_array_mut().unwrap().truncate(1);
        }
        if i % 3 == 0 {
            v["judgements"] = json!([{
                "id": 1, "kind": "offline", "judge": format!("Offline {}", i % 11),
                "mode": "stepped", "blind": true, "started_at": "2026-01-01T00:00:00Z",
                "judge_events": [],
                "verdict": {"winner": "B", "confidence": 0.8, "at": "2026-01-01T00:00:00Z"}
            }]);
        }
        v["annotations"] = json!([
            {"id": 1, "turn": i % 12, "tags": ["deceptive"]},
            {"id": 2, "turn": (i + 5) % 12, "tags": ["unsupported", "strong-evidence"]},
        ]);
        let path = dir.join(format!("s{i:04}.json"));
        fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
        // Outside the cache's racy window, so a warm run reads nothing.
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
}

fn query() -> Query {
    Query {
        filters: vec![stats::Filter::parse("label:included_in_paper=true").unwrap()],
        by: vec![Field::Protocol, Field::Debaters],
    }
}

fn run(dir: &Path) -> String {
    let data = Dataset::open(dir).unwrap();
    render::table(&stats::analyse(&data, &query()))
}

fn bench_stats(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_sessions(dir);
    let cache = dir.join(stats::load::CACHE_FILE);
    let first = Dataset::open(dir).unwrap();
    assert_eq!(first.records.len(), SESSIONS, "{:?}", first.broken.first());

    let mut group = c.benchmark_group("stats");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("cold", |b| {
        b.iter_batched(
            || {
                let _ = fs::remove_file(&cache);
            },
            |()| black_box(run(dir)),
            BatchSize::PerIteration,
        )
    });
    Dataset::open(dir).unwrap();
    group.sample_size(30);
    group.bench_function("warm", |b| {
        b.iter(|| {
            let data = Dataset::open(dir).unwrap();
            assert_eq!(data.load.cached, SESSIONS);
            black_box(render::table(&stats::analyse(&data, &query())))
        })
    });
    group.bench_function("analyse", |b| {
        b.iter(|| black_box(render::table(&stats::analyse(&first, &query()))))
    });
    group.finish();
}

criterion_group!(benches, bench_stats);
criterion_main!(benches);
