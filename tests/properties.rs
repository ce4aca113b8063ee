//! Properties over open-ended input: what a server streams, what a file holds, what a model
//! writes. None of it may panic, and the text utilities keep their promises on any text.
//! Case counts are modest so the file runs in seconds; `PROPTEST_CASES=N` asks for more.

use agon::providers::decode;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};
use std::path::Path;
use unicode_width::UnicodeWidthStr;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sessions/example-congestion-pricing.json"
);

fn cases(n: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n);
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that reaches the edges: controls, escapes, bidi overrides, wide and combining
/// characters, emoji with joiners, and plain words.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z]{1,8}",
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just("\x1b[31m".to_string()),
        Just("\x1b]0;title\x07".to_string()),
        Just("\x1b]52;c;aGVsbG8=\x1b\\".to_string()),
        Just("\u{9b}2J".to_string()),
        Just("\u{8}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2067}".to_string()),
        Just("\u{200d}".to_string()),
        Just("\u{e0041}".to_string()),
        Just("\u{feff}".to_string()),
        Just("日本語".to_string()),
        Just("e\u{301}".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just("\u{0}".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// JSON shaped like the streams' chunks, with the keys the decoders look for and values of
/// every type in their place.
fn chunkish() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        hostile_text().prop_map(Value::from),
    ];
    let keys = prop_oneof![
        Just("choices"),
        Just("delta"),
        Just("content"),
        Just("usage"),
        Just("prompt_tokens"),
        Just("completion_tokens"),
        Just("input_tokens"),
        Just("output_tokens"),
        Just("error"),
        Just("message"),
        Just("type"),
        Just("text"),
        Just("content_block_delta"),
        Just("message_delta"),
        Just("message_stop"),
        Just("done"),
        Just("finish_reason"),
        Just("prompt_eval_count"),
        Just("eval_count"),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

fn decode_all(data: &str) {
    let mut out = Vec::new();
    let _ = decode::openai(data, &mut out);
    let _ = decode::anthropic(data, &mut out);
    let _ = decode::ollama(data, &mut out);
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn decoders_never_panic_on_any_text(data in hostile_text()) {
        decode_all(&data);
    }

    #[test]
    fn decoders_never_panic_on_chunk_shaped_json(v in chunkish()) {
        decode_all(&v.to_string());
        decode_all(&json!({"choices": [{"delta": v.clone()}]}).to_string());
        decode_all(&json!({"type": "content_block_delta", "delta": v.clone()}).to_string());
        decode_all(&json!({"message": v, "done": false}).to_string());
    }
}

/// Every path into a JSON document, as JSON pointers.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

/// A value to put in a session file where another was: the edges of every JSON type.
fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(u32::MAX)),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(1e308)),
        Just(json!(0.5)),
        Just(json!("")),
        Just(json!("root")),
        Just(json!("A1")),
        Just(json!("streaming")),
        Just(json!([])),
        Just(json!({})),
        any::<bool>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        hostile_text().prop_map(Value::from),
    ]
}

fn example() -> Value {
    serde_json::from_str(&std::fs::read_to_string(EXAMPLE).unwrap()).unwrap()
}

/// What a loaded session goes through without a screen.
fn use_session(s: &agon::domain::Session) {
    for format in [
        agon::export::Format::Markdown,
        agon::export::Format::Html,
        agon::export::Format::Jsonl,
    ] {
        let _ = agon::export::export(s, format);
    }
    let _ = agon::domain::Analysis::of(&s.tree);
    let _ = s.as_of(s.turns().len() / 2);
    for side in agon::domain::Side::BOTH {
        let _ = agon::providers::prompt::turn_message(s, side, 1, "root");
    }
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn the_loader_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = agon::storage::parse(Path::new("any.json"), &bytes);
    }

    #[test]
    fn the_loader_never_panics_on_a_mutated_session(
        edits in prop::collection::vec((any::<Index>(), replacement(), any::<bool>()), 1..4),
    ) {
        let mut v = example();
        for (at, value, remove) in edits {
            let mut paths = Vec::new();
            pointers(&v, String::new(), &mut paths);
            let path = at.get(&paths).clone();
            let (parent, key) = path.rsplit_once('/').unwrap();
            match v.pointer_mut(parent) {
                Some(Value::Object(map)) if remove => {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(xs)) if remove => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < xs.len() {
                            xs.remove(i);
                        }
                    }
                }
                _ => {
                    if let Some(slot) = v.pointer_mut(&path) {
                        *slot = value;
                    }
                }
            }
        }
        let bytes = serde_json::to_vec(&v).unwrap();
        if let Ok(loaded) = agon::storage::parse(Path::new("mutated.json"), &bytes) {
            use_session(&loaded.session);
        }
    }
}

/// A file of TOML lines with some replaced, dropped or doubled.
fn mutated_lines(original: &'static str) -> impl Strategy<Value = String> {
    let lines: Vec<String> = original.lines().map(str::to_string).collect();
    let value = prop_oneof![
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("1e400".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("18446744073709551615".to_string()),
        Just("\"\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("\"#zz\"".to_string()),
        Just("\"bold underline blink\"".to_string()),
        "\"[ -~]{0,12}\"".prop_map(|s| s),
    ];
    prop::collection::vec((any::<Index>(), value, 0..3u8), 1..6).prop_map(move |edits| {
        let mut lines = lines.clone();
        for (at, value, how) in edits {
            if lines.is_empty() {
                break;
            }
            let i = at.index(lines.len());
            match how {
                0 => {
                    let key = lines[i].split('=').next().unwrap_or("").trim().to_string();
                    lines[i] = if key.is_empty() || key.starts_with('[') || key.starts_with('#') {
                        value
                    } else {
                        format!("{key} = {value}")
                    };
                }
                1 => {
                    lines.remove(i);
                }
                _ => {
                    let copy = lines[i].clone();
                    lines.insert(i, copy);
                }
            }
        }
        lines.join("\n")
    })
}

const CONFIG: &str = include_str!("../config.example.toml");
const THEME: &str = include_str!("../themes/dark.toml");

fn use_config(text: &str) {
    if let Ok(cfg) = agon::config::ConfigFile::parse(text) {
        let _ = cfg.judging.tags();
        let _ = cfg.judging.turn_penalty();
        let _ = cfg.key_overrides();
        let _ = cfg.resolve(&agon::config::Overrides::default(), None, &|_| {
            Some("sk-test".to_string())
        });
    }
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn the_config_parser_never_panics(text in hostile_text()) {
        use_config(&text);
    }

    #[test]
    fn the_config_parser_never_panics_on_a_mutated_example(text in mutated_lines(CONFIG)) {
        use_config(&text);
    }

    #[test]
    fn the_theme_parser_never_panics(text in hostile_text()) {
        let _ = agon::theme::Theme::from_toml("property", &text);
    }

    #[test]
    fn the_theme_parser_never_panics_on_a_mutated_theme(text in mutated_lines(THEME)) {
        let _ = agon::theme::Theme::from_toml("property", &text);
    }
}

/// The characters `inert` must keep: everything but controls and the invisible formatting it
/// documents (bidi controls, the Arabic letter mark, line and paragraph separators, the byte
/// order mark, tag characters).
fn printable(c: char) -> bool {
    !c.is_control()
        && !matches!(c,
            '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
            | '\u{e0000}'..='\u{e007f}')
}

/// Whether `needle`'s characters all appear in `hay`, in order.
fn is_subsequence(needle: impl Iterator<Item = char>, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.into_iter().all(|c| hay.any(|h| h == c))
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn inert_keeps_every_printable_character_and_nothing_that_acts(text in hostile_text()) {
        let out = agon::text::inert(&text);
        prop_assert!(is_subsequence(text.chars().filter(|&c| printable(c)), &out), "{text:?} -> {out:?}");
        for c in out.chars() {
            prop_assert!(c == '\n' || printable(c), "{c:?} in {out:?}");
        }
        prop_assert_eq!(agon::text::inert(&out), out.clone(), "a fixed point");
    }

    #[test]
    fn wrapped_lines_fit_and_lose_no_word(text in hostile_text(), width in 2usize..50) {
        // Wrapping is for inert text: that is all the screens give it.
        let text = agon::text::inert(&text);
        let lines = agon::text::wrap(&text, width);
        for line in &lines {
            prop_assert!(line.width() <= width, "{line:?} is wider than {width}");
        }
        let words: String = text.split_whitespace().collect();
        let wrapped: String = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        prop_assert_eq!(wrapped, words);
    }

    #[test]
    fn truncated_text_fits_and_is_a_prefix(text in hostile_text(), width in 1usize..50) {
        let text = agon::text::inert(&text);
        let out = agon::text::truncate(&text, width);
        prop_assert!(out.width() <= width, "{out:?} is wider than {width}");
        if text.width() <= width {
            prop_assert_eq!(out, text);
        } else {
            let kept = out.strip_suffix('…').unwrap_or(&out);
            prop_assert!(text.starts_with(kept), "{out:?} from {text:?}");
        }
    }
}
