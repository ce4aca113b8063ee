//! The claims parser against a corpus of realistic turn endings (`tests/data/claims/`): the
//! documented block, the ways models drift from it, and prose that must stay prose.
//!
//! Each `NN-name.txt` is a turn's text; `NN-name.expected.json` holds what it must give: the
//! claims (with their `source` when not `block`), the concessions, the prose, and every warning.
//! `readable: false` marks turns with nothing (or not everything) to read: they must give exactly
//! the claims listed (so no wrong ones) and the warnings listed.
//!
//! The test prints two rates: "claims" (the claims and concessions are right, ignoring `source`)
//! and "full" (claims with their source, concessions, prose and warnings all right), and asserts
//! that every case passes in full.

use std::path::{Path, PathBuf};

use agon::domain::claims;
use serde_json::Value;

struct Case {
    name: String,
    text: String,
    expected: Value,
}

fn corpus() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/claims");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let expected_path = path.with_extension("expected.json");
            let expected = std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", expected_path.display()));
            let expected = serde_json::from_str(&expected)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            Case {
                name,
                text,
                expected,
            }
        })
        .collect()
}

fn without_source(claims: &Value) -> Value {
    let mut claims = claims.clone();
    for c in claims.as_array_mut().into_iter().flatten() {
        if let Some(map) = c.as_object_mut() {
            map.remove("source");
        }
    }
    claims
}

#[test]
fn the_corpus_reads_as_expected() {
    let cases = corpus();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    let (mut claims_ok, mut full_ok, mut readable, mut readable_claims_ok) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for case in &cases {
        let parsed = claims::parse(&case.text);
        let got_claims = serde_json::to_value(&parsed.claims).unwrap();
        let got_concessions = serde_json::to_value(&parsed.concessions).unwrap();
        let got_prose = claims::prose(&case.text).into_owned();
        let e = &case.expected;
        let claims_right = without_source(&got_claims) == without_source(&e["claims"])
            && got_concessions == e["concessions"];
        let mut wrong = Vec::new();
        if got_claims != e["claims"] {
            wrong.push(format!("claims: {got_claims}"));
        }
        if got_concessions != e["concessions"] {
            wrong.push(format!("concessions: {got_concessions}"));
        }
        if Value::String(got_prose.clone()) != e["prose"] {
            wrong.push(format!("prose: {got_prose:?}"));
        }
        if serde_json::to_value(&parsed.warnings).unwrap() != e["warnings"] {
            wrong.push(format!("warnings: {:#?}", parsed.warnings));
        }
        let is_readable = e["readable"].as_bool().unwrap_or(true);
        claims_ok += usize::from(claims_right);
        full_ok += usize::from(wrong.is_empty());
        readable += usize::from(is_readable);
        readable_claims_ok += usize::from(is_readable && claims_right);
        println!(
            "{:<45} claims {}  full {}",
            case.name,
            if claims_right { "ok" } else { "--" },
            if wrong.is_empty() { "ok" } else { "--" }
        );
        if !wrong.is_empty() {
            failures.push(format!("{}:\n  {}", case.name, wrong.join("\n  ")));
        }
    }
    let n = cases.len();
    println!(
        "claims right: {claims_ok}/{n}; readable cases with the right claims: \
         {readable_claims_ok}/{readable}; full: {full_ok}/{n}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
