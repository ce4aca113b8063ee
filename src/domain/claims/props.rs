//! Properties of the claims parser on open-ended input: it never panics, never loses prose,
//! keeps claims bounded and inert, and gives the same answer twice.

use proptest::prelude::*;
use serde_json::Value;

use super::text::is_id;
use super::*;

/// Pieces of turns: fences, headings, claim lines in every drift, records, JSON, prose, noise.
fn fragment() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "```claims",
        "```",
        "~~~",
        "````claims",
        "```json",
        "```yaml",
        "Claims:",
        "## Concessions",
        "**Claims**",
        "",
        "   ",
        "A1 supports root: Pricing cuts traffic.",
        "1. B2 attacks A1: It fades.",
        "- **A3** (supports the root): Bold and bracketed.",
        "A4 → B2 (contradicts): Arrow.",
        "B5 attacks A1 — dash text",
        "I concede B2",
        "Concede: A1 - fair",
        "concede A1 and B2: both",
        "  and a wrapped continuation line.",
        "- id: A6",
        "  relation: supports",
        "  target: root",
        "  text: >",
        "| id | relation | target | text |",
        "|---|---|---|---|",
        "| A7 | supports | root | Table row. |",
        "[{\"id\": \"A8\", \"relation\": \"supports\", \"target\": \"root\", \"text\": \"j\"}]",
        "{\"claims\": [{\"claim\": \"A9\", \"type\": \"attacks\", \"parent\": null, \"text\": \"k\"}",
        "[",
        "{",
        "The real point is that pricing works.",
        "1. Cost: a UBI costs more than welfare.",
        "A1 ```",
        "text```",
        "> A10 supports root: quoted",
        "\u{1b}[31mred\u{7}",
        "é😀 ：—–",
    ])
    .prop_map(String::from);
    prop_oneof![4 => fixed, 1 => "\\PC{0,40}", 1 => any::<String>()]
}

fn turn() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(fragment(), 0..24),
        prop::bool::ANY,
        prop::bool::ANY,
    )
        .prop_map(|(lines, crlf, final_newline)| {
            let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
            if final_newline {
                text.push('\n');
            }
            text
        })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![3 => turn(), 1 => any::<String>()]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            "id",
            "A1",
            "root",
            "supports",
            "attacks",
            "concedes",
            "the root",
            "parent",
            "B2",
            "A1 supports root: x",
            "",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        "\\PC{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "id",
                        "claim",
                        "relation",
                        "type",
                        "target",
                        "parent",
                        "text",
                        "reason",
                        "claims",
                        "concessions",
                        "concede",
                        "supports",
                        "other",
                    ]),
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

fn non_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn bounded_and_inert(p: &ParsedClaims) -> Result<(), TestCaseError> {
    prop_assert!(p.claims.len() + p.concessions.len() <= MAX_CLAIMS_PER_TURN);
    for c in &p.claims {
        prop_assert!(!c.text.is_empty());
        prop_assert!(!c.text.chars().any(char::is_control), "{:?}", c.text);
        prop_assert!(c.text.chars().count() <= MAX_CLAIM_CHARS + 1);
        prop_assert!(
            is_id(&c.id) && !c.id.eq_ignore_ascii_case(ROOT_ID),
            "{:?}",
            c.id
        );
        prop_assert!(c.target == ROOT_ID || is_id(&c.target), "{:?}", c.target);
    }
    for c in &p.concessions {
        prop_assert!(!c.reason.chars().any(char::is_control), "{:?}", c.reason);
        prop_assert!(c.reason.chars().count() <= MAX_CLAIM_CHARS + 1);
        prop_assert!(c.target == ROOT_ID || is_id(&c.target), "{:?}", c.target);
    }
    for w in &p.warnings {
        prop_assert!(!w.chars().any(char::is_control), "{w:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_and_is_deterministic(text in any_text()) {
        let first = parse(&text);
        prop_assert_eq!(&first, &parse(&text));
        prop_assert_eq!(prose(&text), prose(&text));
        prop_assert_eq!(find_block(&text), find_block(&text));
    }

    #[test]
    fn the_block_span_is_whole_lines(text in any_text()) {
        if let Some(span) = find_block(&text) {
            prop_assert!(span.start <= span.end && span.end <= text.len());
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            prop_assert!(span.start == 0 || text.as_bytes().get(span.start - 1) == Some(&b'\n'));
            prop_assert!(span.end == text.len() || text.as_bytes().get(span.end - 1) == Some(&b'\n'));
        }
    }

    #[test]
    fn no_prose_is_lost(text in any_text()) {
        let outside = match find_block(&text) {
            Some(span) => format!("{}{}", &text[..span.start], &text[span.end..]),
            None => text.clone(),
        };
        prop_assert_eq!(non_space(&prose(&text)), non_space(&outside));
    }

    #[test]
    fn claims_are_bounded_and_inert(text in any_text()) {
        bounded_and_inert(&parse(&text))?;
    }

    #[test]
    fn structured_claims_are_bounded_and_inert(value in json_value()) {
        let p = parse_json(&value);
        bounded_and_inert(&p)?;
        prop_assert!(p.claims.iter().all(|c| c.source == ClaimSource::Structured));
        prop_assert_eq!(&p, &parse_json(&value));
    }

    /// Plain prose, whatever its words and line breaks, never adds claims to a documented block
    /// after it, nor warnings: it is only prose.
    #[test]
    fn plain_prose_adds_nothing_to_the_block(
        words in prop::collection::vec(
            prop::sample::select(vec![
                "pricing", "cuts", "traffic", "the", "root", "question", "supports", "attacks",
                "A1", "B2", "my", "opponent's", "1.", "-", "*", "Claims", "concede", "I", ".",
                ",", "\n", "\n\n", "(", ")", "→",
            ]),
            0..60,
        ),
    ) {
        let prose_text = words.join(" ");
        let text = format!("{prose_text}\n\n```claims\nA5 supports root: The one claim.\n```\n");
        let p = parse(&text);
        // Prose can end with a claims heading ("Claims") or a claim-shaped line only by the
        // words chosen; those cases are the parser's to read, not this property's.
        prop_assume!(!prose_text.lines().any(|l| vocab::heading(l).is_some() || line::claims_shaped(l)));
        prop_assert_eq!(p.warnings, Vec::<String>::new());
        prop_assert_eq!(p.claims.len(), 1);
        prop_assert_eq!(prose(&text), prose_text.trim_end());
    }
}
