//! The fuzz targets: each takes any bytes and must neither panic nor break the promise it
//! states. Plain Rust over agon's public API, so the same file serves AFL (fuzz/src/bin) and
//! the replay of the seeds that `cargo test` runs (tests/fuzz_seeds.rs `#[path]`s this file).

use std::path::Path;

use agon::domain::{Analysis, ClaimTree, Side};
use unicode_width::UnicodeWidthStr;

/// A fuzz target: any bytes in, a panic on a broken promise.
pub type Target = fn(&[u8]);

/// Every target, by the name `fuzz/run.sh` and `fuzz/seeds/NAME` use.
pub const TARGETS: &[(&str, Target)] = &[
    ("session", session),
    ("claims", claims),
    ("decode", decode),
    ("config", config),
    ("theme", theme),
    ("sanitize", sanitize),
];

/// Session files: any bytes through the loader; whatever loads, through the exports, the
/// analysis, a view as of each turn and both debaters' prompts.
pub fn session(data: &[u8]) {
    let Ok(loaded) = agon::storage::parse(Path::new("fuzz.json"), data) else {
        return;
    };
    let s = &loaded.session;
    for format in [
        agon::export::Format::Markdown,
        agon::export::Format::Html,
        agon::export::Format::Jsonl,
    ] {
        let _ = agon::export::export(s, format);
    }
    let _ = Analysis::of(&s.tree);
    for k in 0..=s.turns().len() {
        let _ = s.as_of(k);
    }
    for side in Side::BOTH {
        let _ = agon::providers::prompt::turn_message(s, side, 1, "root");
    }
}

/// A debater's turn: the claims block parser, then the claims into a tree from both sides,
/// then the analysis of that tree.
pub fn claims(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = agon::domain::claims::parse(&text);
    let mut tree = ClaimTree::new("q");
    let _ = tree.apply_turn(0, Side::A, &parsed.claims, &parsed.concessions);
    let _ = tree.apply_turn(1, Side::B, &parsed.claims, &parsed.concessions);
    let _ = Analysis::of(&tree);
}

/// What a server streams: one SSE data payload or NDJSON line through each wire's decoder.
pub fn decode(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    let _ = agon::providers::decode::openai(&text, &mut out);
    let _ = agon::providers::decode::anthropic(&text, &mut out);
    let _ = agon::providers::decode::ollama(&text, &mut out);
}

/// The user's config file: parsed, then every value the app derives from it.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cfg) = agon::config::ConfigFile::parse(text) {
        let _ = cfg.judging.tags();
        let _ = cfg.judging.turn_penalty();
        let _ = cfg.key_overrides();
        let _ = cfg.resolve(&agon::config::Overrides::default(), None, &|_| {
            Some("sk-fuzz".to_string())
        });
    }
}

/// A theme file.
pub fn theme(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = agon::theme::Theme::from_toml("fuzz", text);
    }
}

/// What `inert` must keep (see `src/text/sanitize.rs`): everything but controls and the
/// invisible formatting characters it documents.
fn printable(c: char) -> bool {
    !c.is_control()
        && !matches!(c,
            '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
            | '\u{e0000}'..='\u{e007f}')
}

/// Hostile text (the first byte picks a width): `inert` keeps every printable character,
/// leaves nothing a terminal acts on and is a fixed point; wrapping what it gives fits the
/// width and loses no word; truncating fits. A broken promise panics, which AFL records as a
/// crash.
pub fn sanitize(data: &[u8]) {
    let Some((&w, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let out = agon::text::inert(&text);
    let mut hay = out.chars();
    assert!(
        text.chars()
            .filter(|&c| printable(c))
            .all(|c| hay.any(|h| h == c)),
        "a printable character was dropped"
    );
    assert!(
        out.chars().all(|c| c == '\n' || printable(c)),
        "a control got through"
    );
    assert_eq!(agon::text::inert(&out), out, "not a fixed point");
    let width = usize::from(w % 80).max(2);
    let lines = agon::text::wrap(&out, width);
    assert!(lines.iter().all(|l| l.width() <= width), "a line overflows");
    let words: String = out.split_whitespace().collect();
    let wrapped: String = lines.iter().flat_map(|l| l.split_whitespace()).collect();
    assert_eq!(words, wrapped, "a word was lost");
    assert!(
        agon::text::truncate(&out, width).width() <= width,
        "truncate overflows"
    );
}
