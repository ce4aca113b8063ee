//! Targets named in words: an extractor reading a recorded debate often knows what a claim
//! answers ("against the point about London traffic") but not its id. Such a target is matched
//! to the most similar node by the words they share; one that matches none joins the root.

use super::claims::ROOT_ID;
use super::tree::ClaimTree;
use serde_json::Value;
use std::collections::BTreeSet;

/// Share of a target's words a node must hold to be taken for it.
pub const MIN_SIMILARITY: f64 = 0.5;

/// Words that say nothing about which node is meant.
const STOP: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "about", "against", "with",
    "that", "this", "is", "are", "was", "be", "by", "it", "its", "their", "his", "her", "point",
    "claim", "argument", "node", "opponent", "debater", "side", "which", "from", "at", "as", "not",
];

/// Words that name the question itself.
const ROOT_WORDS: &[&str] = &[
    "root",
    "question",
    "motion",
    "resolution",
    "topic",
    "thesis",
    "proposition",
    "main",
    "debate",
    "top",
    "level",
    "top-level",
    "overall",
    "central",
    "original",
];

/// The words of a text that can tell nodes apart: lowercase, a possessive `'s` or a plural `s`
/// dropped.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .map(|w| {
            let w = w.to_lowercase();
            let w = w.strip_suffix("'s").unwrap_or(&w);
            w.trim_matches(|c| c == '\'' || c == '-').to_string()
        })
        .filter(|w| !w.is_empty() && !STOP.contains(&w.as_str()))
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.chars().count() >= 3 => stem.to_string(),
            _ => w,
        })
        // Again after the plural: "opponents", "points".
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

/// Whether a target is an id (or `root`) rather than words: one token of id characters.
pub fn is_id_like(target: &str) -> bool {
    let t = target.trim();
    !t.is_empty()
        && t.chars().count() <= 16
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// The node a target in words means: the one holding the largest share of its words (ties go
/// to the newest), if that share is at least [`MIN_SIMILARITY`]. `candidates` are (id, text).
pub fn nearest<'a>(
    target: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<(&'a str, f64)> {
    let wanted = words(target);
    if wanted.is_empty() {
        return None;
    }
    let mut best: Option<(&str, f64)> = None;
    for (id, text) in candidates {
        let mut have = words(text);
        have.insert(id.to_lowercase());
        let shared = wanted.intersection(&have).count();
        let score = shared as f64 / wanted.len() as f64;
        if shared > 0 && best.is_none_or(|(_, b)| score >= b) {
            best = Some((id, score));
        }
    }
    best.filter(|(_, score)| *score >= MIN_SIMILARITY)
}

/// Whether words name the question itself ("the main question", "the motion").
fn names_root(target: &str) -> bool {
    let w = words(target);
    !w.is_empty() && w.iter().all(|w| ROOT_WORDS.contains(&w.as_str()))
}

/// Rewrites the targets written in words of an answer in the structured form (`claims` and
/// `concessions` lists, each item with a `target`) to node ids: the most similar node of
/// `tree`, or of the claims before it in the same answer, or `root` when none is similar
/// enough. Returns a warning for each target rewritten.
pub fn resolve_words(answer: &mut Value, tree: &ClaimTree) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut earlier: Vec<(String, String)> = Vec::new();
    for (list, unit) in [
        ("claims", "claims item"),
        ("concessions", "concessions item"),
    ] {
        let Some(items) = answer.get_mut(list).and_then(Value::as_array_mut) else {
            continue;
        };
        for (n, item) in items.iter_mut().enumerate() {
            let Some(obj) = item.as_object_mut() else {
                continue;
            };
            let target = obj
                .get("target")
                .and_then(Value::as_str)
                .map(str::to_string);
            if let Some(target) = target.filter(|t| !is_id_like(t)) {
                let candidates = tree
                    .nodes()
                    .iter()
                    .filter(|node| node.merged_into.is_none() && !node.is_root())
                    .map(|node| (node.id.as_str(), node.text.as_str()))
                    .chain(
                        earlier
                            .iter()
                            .map(|(id, text)| (id.as_str(), text.as_str())),
                    );
                let n = n + 1;
                let id = if names_root(&target) {
                    warnings.push(format!("{unit} {n}: read the target '{target}' as root"));
                    ROOT_ID.to_string()
                } else {
                    match nearest(&target, candidates) {
                        Some((id, _)) => {
                            warnings.push(format!(
                                "{unit} {n}: read the target '{target}' as {id}, the most similar claim"
                            ));
                            id.to_string()
                        }
                        None => {
                            warnings.push(format!(
                                "{unit} {n}: no claim matches the target '{target}'; attached to the root"
                            ));
                            ROOT_ID.to_string()
                        }
                    }
                };
                obj.insert("target".into(), Value::String(id));
            }
            if list == "claims"
                && let (Some(id), Some(text)) = (
                    obj.get("id").and_then(Value::as_str),
                    obj.get("text").and_then(Value::as_str),
                )
            {
                earlier.push((id.to_string(), text.to_string()));
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claims::{Claim, ClaimSource, Relation};
    use crate::domain::side::Side;
    use serde_json::json;

    fn tree() -> ClaimTree {
        let mut t = ClaimTree::new("Should the city adopt congestion pricing?");
        let claim = |id: &str, target: &str, text: &str| Claim {
            id: id.into(),
            relation: Relation::Supports,
            target: target.into(),
            text: text.into(),
            source: ClaimSource::Block,
        };
        t.apply_turn(
            0,
            Side::A,
            &[
                claim(
                    "A1",
                    "root",
                    "London's charge cut central traffic by about 30%.",
                ),
                claim("A2", "root", "Stockholm's retail sales did not fall."),
            ],
            &[],
        );
        t
    }

    #[test]
    fn words_name_the_most_similar_node() {
        let t = tree();
        let nodes = || t.nodes().iter().map(|n| (n.id.as_str(), n.text.as_str()));
        // {london, traffic}: both in A1, one in neither of the others.
        assert_eq!(
            nearest("the point about London traffic", nodes()),
            Some(("A1", 1.0))
        );
        assert_eq!(
            nearest("retail sales in Stockholm", nodes()).map(|n| n.0),
            Some("A2")
        );
        // {parking, fee, downtown}: nothing shared.
        assert_eq!(nearest("parking fees downtown", nodes()), None);
        // {london, bus, fare, rose}: one word of four is below the threshold.
        assert_eq!(nearest("London bus fares rose", nodes()), None);
        assert_eq!(nearest("the", nodes()), None);
    }

    #[test]
    fn ids_are_left_to_the_tree() {
        assert!(is_id_like("A1") && is_id_like("root") && is_id_like("b2-t3"));
        assert!(!is_id_like("the London point") && !is_id_like(""));
        assert!(!is_id_like("averyveryverylongword"));
    }

    #[test]
    fn an_answer_gets_ids_for_its_worded_targets() {
        let mut answer = json!({
            "claims": [
                {"id": "B1", "relation": "attacks", "target": "the point about London traffic", "text": "Traffic came back."},
                {"id": "B2", "relation": "supports", "target": "the claim that traffic came back", "text": "Delays rose."},
                {"id": "B3", "relation": "supports", "target": "the main question", "text": "x"},
                {"id": "B4", "relation": "attacks", "target": "A2", "text": "y"},
                {"id": "B5", "relation": "attacks", "target": "parking fees downtown", "text": "z"}
            ],
            "concessions": [{"target": "Stockholm retail", "reason": "fair"}]
        });
        let warnings = resolve_words(&mut answer, &tree());
        let targets: Vec<&str> = answer["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["target"].as_str().unwrap())
            .collect();
        assert_eq!(targets, ["A1", "B1", "root", "A2", "root"]);
        assert_eq!(answer["concessions"][0]["target"], "A2");
        assert_eq!(
            warnings,
            [
                "claims item 1: read the target 'the point about London traffic' as A1, the most similar claim",
                "claims item 2: read the target 'the claim that traffic came back' as B1, the most similar claim",
                "claims item 3: read the target 'the main question' as root",
                "claims item 5: no claim matches the target 'parking fees downtown'; attached to the root",
                "concessions item 1: read the target 'Stockholm retail' as A2, the most similar claim",
            ]
        );
    }
}
