//! The parser on whole turns: the documented block, its limits, and the forms models drift into.

use super::*;

const GOOD: &str = "Traffic falls when road space is priced.\n\n```claims\nA1 supports root: Pricing cuts peak traffic by roughly 20%.\nA2 attacks B1: Retail sales did not fall in Stockholm.\nconcede B3: Collection costs were high at first.\n```\n";

#[test]
fn parses_a_good_block() {
    let p = parse(GOOD);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(
        p.claims,
        vec![
            Claim {
                id: "A1".into(),
                relation: Relation::Supports,
                target: "root".into(),
                text: "Pricing cuts peak traffic by roughly 20%.".into(),
                source: ClaimSource::Block,
            },
            Claim {
                id: "A2".into(),
                relation: Relation::Attacks,
                target: "B1".into(),
                text: "Retail sales did not fall in Stockholm.".into(),
                source: ClaimSource::Block,
            },
        ]
    );
    assert_eq!(
        p.concessions,
        vec![Concession {
            target: "B3".into(),
            reason: "Collection costs were high at first.".into()
        }]
    );
    assert_eq!(prose(GOOD), "Traffic falls when road space is priced.");
}

#[test]
fn missing_block_keeps_text_and_warns() {
    let text = "Just an argument, no block.";
    let p = parse(text);
    assert!(p.claims.is_empty());
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].contains("no claims block"));
    assert_eq!(prose(text), text);
}

#[test]
fn text_after_the_block_stays_in_the_prose() {
    let text = "Before.\n```claims\nA1 supports root: x\n```\nA closing line.";
    assert_eq!(prose(text), "Before.\n\nA closing line.");
    assert_eq!(parse(text).claims.len(), 1);
}

#[test]
fn unclosed_block_is_read_to_the_end() {
    let p = parse("Argument.\n```claims\nB1 attacks root: It is regressive.");
    assert_eq!(p.claims.len(), 1);
    assert_eq!(p.claims[0].target, "root");
    assert!(p.warnings.iter().any(|w| w.contains("closing")));
}

#[test]
fn malformed_lines_are_skipped_with_warnings() {
    let text = "x\n```claims\nA1 supports root: fine\nA2 loves B1: what\nno colon here\nA3 supports root:\n!!! attacks A1: bad id\n```";
    let p = parse(text);
    assert_eq!(p.claims.len(), 1);
    assert_eq!(p.warnings.len(), 4, "{:?}", p.warnings);
}

#[test]
fn tolerates_bullets_case_and_brackets() {
    let p = parse("```CLAIMS\n- [A1] Supports ROOT: ok\n* B2 attack [A1]: no\n```");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(p.claims[0].target, "root");
    assert_eq!(p.claims[1].relation, Relation::Attacks);
    assert_eq!(p.claims[1].target, "A1");
}

#[test]
fn uses_the_last_block() {
    let text = "Quoting: ```claims\nA9 supports root: old\n```\nNow mine:\n```claims\nA1 supports root: new\n```";
    let p = parse(text);
    assert_eq!(p.claims.len(), 1);
    assert_eq!(p.claims[0].text, "new");
}

#[test]
fn duplicate_ids_in_one_turn_keep_the_first() {
    let p = parse("```claims\nA1 supports root: one\na1 supports root: two\n```");
    assert_eq!(p.claims.len(), 1);
    assert_eq!(p.claims[0].text, "one");
    assert_eq!(p.warnings.len(), 1);
}

#[test]
fn hostile_block_is_bounded_and_inert() {
    let mut text = String::from("```claims\n");
    text.push_str("A1 supports root: \x1b[31mred\x1b[0m \x07bell\r\n");
    text.push_str(&format!("A2 supports root: {}\n", "x".repeat(10_000)));
    for i in 3..10_000 {
        text.push_str(&format!("A{i} supports root: spam\n"));
    }
    text.push_str("```");
    let p = parse(&text);
    assert_eq!(p.claims.len(), MAX_CLAIMS_PER_TURN);
    assert!(
        p.claims
            .iter()
            .all(|c| !c.text.chars().any(char::is_control))
    );
    assert!(p.claims[1].text.chars().count() <= MAX_CLAIM_CHARS + 1);
    assert!(p.warnings.iter().any(|w| w.contains("ignored")));
}

#[test]
fn a_claim_cannot_be_named_root() {
    let p = parse("```claims\nroot supports A1: sneaky\n```");
    assert!(p.claims.is_empty());
    assert_eq!(p.warnings.len(), 1);
}

#[test]
fn empty_and_garbage_inputs_do_not_panic() {
    for text in [
        "",
        "```claims",
        "```claims\n",
        "```claims\n```",
        "\u{0}\u{1b}[2J",
        "é```claims\nA1 supports root: é",
    ] {
        let _ = parse(text);
        let _ = prose(text);
    }
}

#[test]
fn old_session_claims_load_as_block_and_new_sources_are_written() {
    let old: Claim = serde_json::from_str(
        r#"{"id": "A1", "relation": "supports", "target": "root", "text": "x"}"#,
    )
    .unwrap();
    assert_eq!(old.source, ClaimSource::Block);
    assert!(!serde_json::to_string(&old).unwrap().contains("source"));
    let tolerant = Claim {
        source: ClaimSource::Tolerant,
        ..old
    };
    let json = serde_json::to_string(&tolerant).unwrap();
    assert!(json.contains(r#""source":"tolerant""#), "{json}");
    assert_eq!(serde_json::from_str::<Claim>(&json).unwrap(), tolerant);
}

#[test]
fn the_span_and_the_prose_cover_the_new_forms() {
    let text = "Pricing works.\n\nClaims:\n1. A1 supports root: It cuts traffic.\n\nThanks.";
    let span = find_block(text).unwrap();
    assert_eq!(
        &text[span.start..span.end],
        "Claims:\n1. A1 supports root: It cuts traffic.\n"
    );
    assert_eq!(prose(text), "Pricing works.\n\nThanks.");
    let json = "Pricing works.\n[{\"id\": \"A1\", \"relation\": \"supports\", \"target\": \"root\", \"text\": \"t\"}]\n";
    assert_eq!(prose(json), "Pricing works.");
    assert_eq!(parse(json).claims.len(), 1);
}

#[test]
fn a_concession_without_a_colon_is_now_read() {
    let p = parse("x\n```claims\nconcede B3\n```");
    assert_eq!(
        p.concessions,
        [Concession {
            target: "B3".into(),
            reason: String::new()
        }]
    );
    assert_eq!(
        p.warnings,
        ["claims line 1: read a concession with no ':' as one with no reason"]
    );
}

#[test]
fn prose_that_looks_a_little_like_claims_stays_prose() {
    for text in [
        "Three reasons:\n1. Pricing supports growth: it funds transit.\n2. Tolls attack congestion: they work.",
        "My claims:\n- Pricing reduces congestion.\n- Revenue funds transit.",
        "Summary: pricing works.\nNote: A1 still stands.",
        "In short, A1 supports root: the data are clear.",
        "I concede that pricing is unpopular.",
        "```python\nA1 = supports(root)\n```",
        "| Year | Traffic |\n|---|---|\n| 2003 | -18% |",
        "[1] Transport for London, 2004.\n[2] Eliasson, 2008.",
    ] {
        let p = parse(text);
        assert!(
            p.claims.is_empty() && p.concessions.is_empty(),
            "{text}: {p:?}"
        );
        assert_eq!(p.warnings, [warn::NO_BLOCK], "{text}");
        assert_eq!(prose(text), text.trim_end(), "{text}");
    }
}

#[test]
fn an_earlier_block_of_another_kind_does_not_beat_the_fence() {
    let text =
        "Claims:\n- A9 supports root: a plan\n\nProse.\n\n```claims\nA1 supports root: final\n```";
    let p = parse(text);
    assert_eq!(p.claims.len(), 1);
    assert_eq!(p.claims[0].id, "A1");
    assert_eq!(p.warnings, [warn::others(1)]);
    assert!(prose(text).starts_with("Claims:\n- A9"));
}

/// Shapes that were quadratic in an early version; with the linear scan they finish at once.
#[test]
fn hostile_shapes_stay_linear() {
    for text in [
        "Claims:\n".repeat(5_000),
        "```x\nprose\n".repeat(5_000),
        "[\n".repeat(5_000),
        "Claims:\nA1 loves B1: x\n".repeat(2_500),
        format!("```claims\n{}", "\nA1 x\n".repeat(5_000)),
    ] {
        let p = parse(&text);
        assert!(p.claims.len() + p.concessions.len() <= MAX_CLAIMS_PER_TURN);
        let _ = prose(&text);
    }
}

#[test]
fn unreadable_turns_are_those_with_nothing_read_and_no_empty_block() {
    let check = |text: &str| unreadable(&parse(text), text);
    assert!(check("A closing statement with no block."));
    assert!(check("Prose.\n\n```claims\nthis is not a claim\n```\n"));
    assert!(
        !check("Prose.\n\n```claims\n```\n"),
        "an empty block is a choice"
    );
    assert!(!check("Prose.\n\n```claims\nA1 supports root: x\n```\n"));
    assert!(!check("Prose.\n\n```claims\nconcede B1: fair\n```\n"));
}
