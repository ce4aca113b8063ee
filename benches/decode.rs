//! Decoding throughput: 100,000 streamed chunks from memory through each wire format's decoder,
//! alone and behind the SSE parser the live path uses.
//!
//! `cargo bench --bench decode`; chunks/s = 100,000 / the reported time.

use agon::providers::decode::{self, Decoded};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt;
use std::hint::black_box;
use std::time::Duration;

const CHUNKS: usize = 100_000;

fn openai_events() -> Vec<String> {
    (0..CHUNKS)
        .map(|i| {
            format!(
                r#"{{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{{"index":0,"delta":{{"content":"word{i} "}},"finish_reason":null}}],"usage":null}}"#
            )
        })
        .collect()
}

fn anthropic_events() -> Vec<String> {
    (0..CHUNKS)
        .map(|i| {
            format!(
                r#"{{"type":"content_block_delta","index":0,"delta":{{"type":"text_delta","text":"word{i} "}}}}"#
            )
        })
        .collect()
}

fn ollama_lines() -> Vec<String> {
    (0..CHUNKS)
        .map(|i| {
            format!(
                r#"{{"model":"llama3.2","created_at":"2026-11-27T08:00:00Z","message":{{"role":"assistant","content":"word{i} "}},"done":false}}"#
            )
        })
        .collect()
}

type DecodeFn = fn(&str, &mut Vec<Decoded>) -> Result<(), decode::DecodeError>;

fn decode_all(f: DecodeFn, items: &[String]) -> usize {
    let mut out = Vec::with_capacity(4);
    let mut n = 0;
    for item in items {
        f(item, &mut out).expect("valid chunk");
        n += out.len();
        out.clear();
    }
    n
}

/// The whole SSE body as it would arrive, cut into network-sized pieces.
fn sse_body(events: &[String], named: Option<&str>) -> Vec<Vec<u8>> {
    let mut body = String::new();
    for e in events {
        if let Some(name) = named {
            body.push_str("event: ");
            body.push_str(name);
            body.push('\n');
        }
        body.push_str("data: ");
        body.push_str(e);
        body.push_str("\n\n");
    }
    body.into_bytes().chunks(1400).map(<[u8]>::to_vec).collect()
}

fn through_sse(rt: &tokio::runtime::Runtime, pieces: &[Vec<u8>], f: DecodeFn) -> usize {
    use eventsource_stream::Eventsource;
    rt.block_on(async {
        let stream =
            futures_util::stream::iter(pieces.iter().cloned().map(Ok::<_, std::io::Error>));
        let mut events = stream.eventsource();
        let mut out = Vec::with_capacity(4);
        let mut n = 0;
        while let Some(ev) = events.next().await {
            let ev = ev.expect("valid SSE");
            f(&ev.data, &mut out).expect("valid chunk");
            n += out.len();
            out.clear();
        }
        n
    })
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let openai = openai_events();
    let anthropic = anthropic_events();
    let ollama = ollama_lines();
    let openai_sse = sse_body(&openai, None);
    let anthropic_sse = sse_body(&anthropic, Some("content_block_delta"));

    let mut g = c.benchmark_group("decode_100k_chunks");
    g.throughput(Throughput::Elements(CHUNKS as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("openai_json", |b| {
        b.iter(|| black_box(decode_all(decode::openai, &openai)))
    });
    g.bench_function("anthropic_json", |b| {
        b.iter(|| black_box(decode_all(decode::anthropic, &anthropic)))
    });
    g.bench_function("ollama_ndjson", |b| {
        b.iter(|| black_box(decode_all(decode::ollama, &ollama)))
    });
    g.bench_function("openai_sse_and_json", |b| {
        b.iter(|| black_box(through_sse(&rt, &openai_sse, decode::openai)))
    });
    g.bench_function("anthropic_sse_and_json", |b| {
        b.iter(|| black_box(through_sse(&rt, &anthropic_sse, decode::anthropic)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
