//! Loading a large session file: agon's loader (checked, typed, indexed) against parsing the same
//! bytes into a plain `serde_json::Value`, the floor any JSON reader pays.
//!
//! `cargo bench --bench load`

use agon::domain::{Session, TurnOutcome};
use agon::providers::scripted::script::DemoScript;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// A session file of about 10 MB: a long debate with the demo's turns, claims and all.
fn ten_megabytes() -> Vec<u8> {
    let script = DemoScript::bundled().expect("demo");
    let t = time::OffsetDateTime::UNIX_EPOCH;
    let mut setup = script.setup();
    setup.protocol.rounds = 10_000;
    let mut session = Session::new(setup, t);
    let mut bytes = Vec::new();
    let mut round = 0;
    while bytes.len() < 10_000_000 {
        for _ in 0..200 {
            let Some((r, side)) = session.next_slot() else {
                break;
            };
            let text = script
                .turn_text("root", (r - 1) % script.rounds() + 1, side)
                .unwrap_or("text");
            let i = session.begin_turn(side, r, "root", t);
            session.push_text(i, text);
            session.finish_turn(i, TurnOutcome::Complete, None, t);
            round = r;
        }
        bytes = serde_json::to_vec_pretty(&session).expect("serialise");
    }
    eprintln!(
        "session: {} turns, {} rounds, {:.1} MB",
        session.turns().len(),
        round,
        bytes.len() as f64 / 1e6
    );
    bytes
}

fn load(c: &mut Criterion) {
    let bytes = ten_megabytes();
    let mut group = c.benchmark_group("load_10mb");
    group.sample_size(20);
    group.bench_function("serde_json_value", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_slice(black_box(&bytes)).expect("json");
            black_box(v)
        })
    });
    group.bench_function("agon_session", |b| {
        b.iter(|| {
            let loaded = agon::storage::parse(Path::new("bench.json"), black_box(&bytes))
                .expect("a session");
            black_box(loaded)
        })
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
