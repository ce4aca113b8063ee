//! The sessions browser on 1,000 realistic session files (copies of the ~40 KB example with
//! other ids, questions, dates and states), written once to a temporary directory:
//!
//! - `index/cold`: building the index with no cache (parse every file, write the cache);
//! - `index/scan_no_cache`: parsing every file, no cache read or written;
//! - `index/warm`: opening again with the cache current (one stat per file, no file parsed);
//! - `keystroke/*`: one key in the browser: a search character (filter + sort of 1,000 rows),
//!   a sort change, and drawing a 200x50 frame.
//!
//! The files are in the OS page cache after the first run, so "cold" means no index cache, not
//! a cold disk.

use agon::app::browser::{Browser, Index};
use agon::theme::Theme;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

const SESSIONS: usize = 1_000;
const EXAMPLE: &str = include_str!("../sessions/example-congestion-pricing.json");

const TOPICS: [&str; 10] = [
    "Should the city adopt congestion pricing for its downtown core at peak hours?",
    "Is nuclear power worth its cost compared with renewables plus storage?",
    "Should remote work be the default for knowledge workers?",
    "Does a four-day work week raise productivity?",
    "Should social media platforms verify the age of their users?",
    "Is a universal basic income affordable for a mid-sized country?",
    "Should universities drop standardised admission tests?",
    "Are carbon taxes better than cap-and-trade?",
    "Should cities ban private cars from their historic centres?",
    "Is open-sourcing frontier AI models net positive for safety?",
];

fn write_sessions(dir: &Path) {
    let example: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let base = time::macros::datetime!(2026-01-01 00:00 UTC);
    let old = SystemTime::now() - Duration::from_secs(3600);
    for i in 0..SESSIONS {
        let mut v = example.clone();
        let created = base + time::Duration::minutes(37 * i as i64);
        v["id"] = format!(
            "{}-{:08x}",
            created.unix_timestamp(),
            i * 2_654_435_761 % (1 << 32)
        )
        .into();
        v["question"] = format!("{} (case {i})", TOPICS[i % TOPICS.len()]).into();
        v["created_at"] = created
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
            .into();
        match i % 4 {
            // Unfinished: three turns, no verdict.
            0 => {
                v["status"] = "running".into();
                v["turns"].as_array_mut().unwrap().truncate(3);
                v["verdict"] = serde_json::Value::Null;
            }
            // Finished, not judged.
            1 => v["verdict"] = serde_json::Value::Null,
            // Judged with a ground truth: scored.
            2 => v["ground_truth"] = if i % 8 == 2 { "A" } else { "B" }.into(),
            _ => {}
        }
        let path = dir.join(format!("s{i:04}.json"));
        fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
        // Outside the index's racy window, so a warm open parses nothing.
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn bench_sessions(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_sessions(dir);
    let bytes: u64 = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    eprintln!(
        "{SESSIONS} sessions, {:.1} MB, {} KB each on average",
        bytes as f64 / 1e6,
        bytes / SESSIONS as u64 / 1024
    );
    let cache = dir.join(agon::storage::index::CACHE_FILE);

    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("cold", |b| {
        b.iter_batched(
            || {
                let _ = fs::remove_file(&cache);
            },
            |()| {
                let index = Index::open(dir).unwrap();
                assert_eq!(index.stats.parsed, SESSIONS);
                index
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("scan_no_cache", |b| {
        b.iter(|| black_box(Index::scan(dir).unwrap()))
    });
    Index::open(dir).unwrap();
    group.sample_size(50);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("warm", |b| {
        b.iter(|| {
            let index = Index::open(dir).unwrap();
            assert_eq!(index.stats.cached, SESSIONS);
            index
        })
    });
    group.finish();

    let index = Index::open(dir).unwrap();
    let mut browser = Browser::new(index);
    browser.update(&key(KeyCode::Char('/')));
    for ch in "nuclear pow".chars() {
        browser.update(&key(KeyCode::Char(ch)));
    }
    assert_eq!(browser.visible_len(), SESSIONS / TOPICS.len());
    let mut group = c.benchmark_group("keystroke");
    group.sample_size(100);
    group.bench_function("search_char_1000_rows", |b| {
        b.iter_batched(
            || browser.clone(),
            |mut br| {
                br.update(&key(KeyCode::Char('e')));
                br
            },
            BatchSize::SmallInput,
        )
    });
    // The worst case for search: the field empties, so all 1,000 rows are filtered and sorted.
    let mut one_char = browser.clone();
    for _ in 0.."nuclear pow".len() - 1 {
        one_char.update(&key(KeyCode::Backspace));
    }
    group.bench_function("search_backspace_to_all_rows", |b| {
        b.iter_batched(
            || one_char.clone(),
            |mut br| {
                br.update(&key(KeyCode::Backspace));
                assert_eq!(br.visible_len(), SESSIONS);
                br
            },
            BatchSize::SmallInput,
        )
    });
    let mut listing = browser.clone();
    listing.update(&key(KeyCode::Esc));
    group.bench_function("sort_change_1000_rows", |b| {
        b.iter_batched(
            || listing.clone(),
            |mut br| {
                br.update(&key(KeyCode::Char('s')));
                br
            },
            BatchSize::SmallInput,
        )
    });
    let theme = Theme::bundled();
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    group.bench_function("draw_200x50", |b| {
        b.iter(|| {
            terminal
                .draw(|f| agon::ui::browser::draw(f, &mut listing, &theme))
                .unwrap();
            black_box(terminal.backend());
        })
    });
    group.finish();
}

criterion_group!(benches, bench_sessions);
criterion_main!(benches);
