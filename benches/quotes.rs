//! Checking quotes against a hidden source the size of an NYU story (~60,000 characters):
//!
//! - `index`: indexing the source (once per checked turn);
//! - `check/*`: one quote of ~25 words against the indexed source, in each class: `exact`,
//!   `normalised` (case, quote marks and dashes changed), `close` (two words changed, one
//!   dropped), `not_found` (source words in another order) and `fabricated` (words the source
//!   never uses);
//! - `check_long/*`: a quote of 10,000 characters, `exact` and `close` (ten words changed);
//! - `turn`: `quotes_of` on a speech with ten quotes, indexing included;
//! - `diff`: the word diff of the close quote against its place.
//!
//! The source is generated: English-like sentences with Zipf-distributed words. Set
//! `AGON_BENCH_SOURCE` to a text file (e.g. a story) to measure on it instead; the quotes are
//! then cut from it the same way.
//!
//! `cargo bench --bench quotes`

use agon::domain::Protocol;
use agon::domain::quote::check::quotes_of;
use agon::domain::quote::{QuoteClass, SourceIndex, diff};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "was", "he", "that", "it", "his", "her", "with", "as",
    "had", "for", "she", "at", "on", "but", "not", "be", "they", "him", "said", "you", "from",
    "by", "all", "were", "there", "one", "so", "what", "if", "would", "no", "an", "out", "this",
    "then", "could", "we", "up", "into", "been", "them", "now", "like", "more", "when", "their",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "tin", "sa", "vor", "el", "dra", "pi", "nu", "shan", "ret", "quo", "bel",
    "gar", "ith", "om", "zu", "fen", "ra",
];

/// A deterministic pseudo-random sequence (64-bit LCG, high bits).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// About `chars` characters of English-like prose: 52 function words and 3,000 made-up words,
/// Zipf-distributed, in sentences with dialogue, curly quotes and dashes.
fn story(chars: usize) -> String {
    let mut vocab: Vec<String> = FUNCTION_WORDS.iter().map(|w| w.to_string()).collect();
    let mut rng = Lcg(42);
    while vocab.len() < FUNCTION_WORDS.len() + 3_000 {
        let n = 1 + rng.below(3);
        let w: String = (0..n)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        vocab.push(w);
    }
    // Zipf with s = 1: weight 1 / rank.
    let weights: Vec<f64> = (1..=vocab.len()).map(|r| 1.0 / r as f64).collect();
    let total: f64 = weights.iter().sum();
    let mut cdf = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cdf.push(acc);
    }
    let mut out = String::with_capacity(chars + 200);
    while out.len() < chars {
        let len = 8 + rng.below(18);
        let dialogue = rng.below(5) == 0;
        if dialogue {
            out.push('“');
        }
        for i in 0..len {
            let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0;
            let at = cdf.partition_point(|&c| c < u).min(vocab.len() - 1);
            let word = &vocab[at];
            if i == 0 {
                let mut c = word.chars();
                if let Some(f) = c.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(c.as_str());
                }
            } else {
                out.push_str(word);
            }
            if i + 1 < len {
                out.push_str(match rng.below(12) {
                    0 => ", ",
                    1 => " — ",
                    _ => " ",
                });
            }
        }
        out.push_str(if dialogue { ",” he said. " } else { ". " });
        if rng.below(6) == 0 {
            out.push_str("\n\n");
        }
    }
    out
}

fn source() -> String {
    match std::env::var("AGON_BENCH_SOURCE") {
        Ok(path) => std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("AGON_BENCH_SOURCE {path}: {e}")),
        Err(_) => story(60_000),
    }
}

/// `n` words of `source`, as they are there, from the first word start after character
/// `from_char`.
fn cut(source: &str, from_char: usize, n: usize) -> &str {
    let from = source.char_indices().nth(from_char).map_or(0, |(i, _)| i);
    let mut start = None;
    let mut words = 0;
    let mut prev_space = false;
    for (i, c) in source[from..].char_indices() {
        let i = from + i;
        if c.is_whitespace() {
            if start.is_some() && !prev_space {
                words += 1;
                if words == n {
                    return &source[start.unwrap_or(i)..i];
                }
            }
            prev_space = true;
        } else {
            if prev_space && start.is_none() {
                start = Some(i);
            }
            prev_space = false;
        }
    }
    &source[start.unwrap_or(from)..]
}

fn normalised(quote: &str) -> String {
    quote
        .to_lowercase()
        .replace(['“', '”'], "\"")
        .replace('—', "-")
}

/// Changes words `at` (to a word the source lacks) and drops word `drop`.
fn changed(quote: &str, at: &[usize], drop: Option<usize>) -> String {
    quote
        .split(' ')
        .enumerate()
        .filter(|&(i, _)| Some(i) != drop)
        .map(|(i, w)| if at.contains(&i) { "lighthouse" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

fn bench(c: &mut Criterion) {
    let source = source();
    let index = SourceIndex::new(&source);
    let len = source.chars().count();
    let exact = cut(&source, len / 3, 25);
    let cases = [
        ("exact", exact.to_string(), QuoteClass::Exact),
        ("normalised", normalised(exact), QuoteClass::Normalised),
        (
            "close",
            changed(exact, &[5, 14], Some(20)),
            QuoteClass::Close,
        ),
        (
            "not_found",
            {
                let mut w: Vec<&str> = exact.split(' ').collect();
                w.reverse();
                w.join(" ")
            },
            QuoteClass::NotFound,
        ),
        (
            "fabricated",
            "the lighthouse keeper sang of storms and whales until the morning came".into(),
            QuoteClass::NotFound,
        ),
    ];
    for (name, quote, class) in &cases {
        assert_eq!(index.check(quote).class, *class, "{name}: {quote}");
    }
    let long = cut(&source, len / 4, 1_800);
    let long_end = long
        .char_indices()
        .nth(10_000)
        .map_or(long.len(), |(i, _)| i);
    let long = long[..long_end]
        .trim_end_matches(|c: char| !c.is_whitespace())
        .trim_end();
    let long_close = changed(
        long,
        &[100, 250, 400, 550, 700, 850, 1000, 1150, 1300, 1450],
        None,
    );
    assert_eq!(index.check(long).class, QuoteClass::Exact);
    assert_eq!(index.check(&long_close).class, QuoteClass::Close);

    c.bench_function("index", |b| b.iter(|| SourceIndex::new(black_box(&source))));
    let mut group = c.benchmark_group("check");
    for (name, quote, _) in &cases {
        group.bench_function(*name, |b| b.iter(|| index.check(black_box(quote))));
    }
    group.finish();
    let mut group = c.benchmark_group("check_long");
    group.bench_function("exact", |b| b.iter(|| index.check(black_box(long))));
    group.bench_function("close", |b| b.iter(|| index.check(black_box(&long_close))));
    group.finish();

    let speech: String = (0..10)
        .map(|i| {
            let q = cut(&source, len * (i + 1) / 12, 20);
            let q = if i % 3 == 1 {
                changed(q, &[7], None)
            } else {
                q.to_string()
            };
            format!("As the story says, <quote>{q}</quote>, which matters. ")
        })
        .collect();
    let protocol = Protocol::rounds(1);
    c.bench_function("turn", |b| {
        b.iter(|| quotes_of(black_box(&speech), Some(&source), &protocol))
    });

    let (_, close, _) = &cases[2];
    let place = index
        .check(close)
        .source
        .and_then(|s| source.get(s.start..s.end))
        .unwrap_or_default()
        .to_string();
    c.bench_function("diff", |b| b.iter(|| diff(black_box(close), &place)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
