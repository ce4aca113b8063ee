//! Claims as JSON: the structured form a provider returns under `json_schema()`, and JSON a model
//! wrote in its turn instead of the block (`[{"id": "A1", "relation": "supports", ...}]`).

use serde_json::{Map, Value, json};

use super::collect::{Collector, Unit};
use super::line::{self, Entry};
use super::record;
use super::text::{IdRule, excerpt, is_id, is_root};
use super::vocab::{self, Section};
use super::warn;
use super::{ClaimSource, Concession, ParsedClaims, ROOT_ID};

/// Reads claims a provider returned as JSON under [`json_schema`]:
/// `{"claims": [{"id", "relation", "target", "text"}], "concessions": [{"target", "reason"}]}`.
///
/// Like [`super::parse`], it never fails: it also takes a bare list of claims, other key names
/// (`parent`, `type`, `claim`, ...), concessions written as claims with the relation `concedes`,
/// and claims written as strings in the block's line format, each with a warning; what it cannot
/// read becomes a warning too. Every claim it returns has the source `structured`.
pub fn parse_json(value: &Value) -> ParsedClaims {
    let mut c = Collector::default();
    read_value(value, &mut c, ClaimSource::Structured);
    c.finish()
}

/// The JSON Schema of the structured claims (the subset of draft 2020-12 that OpenAI's strict
/// structured outputs accept: an object root, every property required, no additional
/// properties). Limits that strict mode cannot express (at most `MAX_CLAIMS_PER_TURN` entries, the
/// id format) are in the descriptions; [`parse_json`] enforces them.
pub fn json_schema() -> Value {
    json!({
        "type": "object",
        "description": "The claims this turn makes and the points it concedes, for the debate's claim tree.",
        "properties": {
            "claims": {
                "type": "array",
                "description": "New claims, at most 12, each supporting or attacking the question (root) or an earlier claim.",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {
                            "type": "string",
                            "description": "A fresh id continuing your side's numbering, such as A5 or B3."
                        },
                        "relation": {
                            "type": "string",
                            "enum": ["supports", "attacks"]
                        },
                        "target": {
                            "type": "string",
                            "description": "root (the debate's question) or the id of an existing claim."
                        },
                        "text": {
                            "type": "string",
                            "description": "The claim in one sentence."
                        }
                    },
                    "required": ["id", "relation", "target", "text"],
                    "additionalProperties": false
                }
            },
            "concessions": {
                "type": "array",
                "description": "Points of the other side you concede; often empty.",
                "items": {
                    "type": "object",
                    "properties": {
                        "target": {
                            "type": "string",
                            "description": "The id of the claim conceded."
                        },
                        "reason": {
                            "type": "string",
                            "description": "Why, in one sentence; may be empty."
                        }
                    },
                    "required": ["target", "reason"],
                    "additionalProperties": false
                }
            }
        },
        "required": ["claims", "concessions"],
        "additionalProperties": false
    })
}

/// Reads a JSON value into `c`: an object with `claims` and `concessions` lists, a bare list of
/// claims, or a single claim object.
pub(super) fn read_value(value: &Value, c: &mut Collector, source: ClaimSource) {
    match value {
        Value::Array(items) => read_list(items, Unit::ClaimsItem, c, source),
        Value::Object(map) => {
            let mut listed = false;
            for (key, v) in map {
                let Some((unit, canonical)) = list_key(key) else {
                    continue;
                };
                listed = true;
                if key != canonical {
                    c.note(warn::field(key, canonical));
                }
                match v {
                    Value::Array(items) => read_list(items, unit, c, source),
                    Value::Null => {}
                    _ => c.note(format!("the field '{key}' is not a list; ignored")),
                }
            }
            if !listed {
                if field_count(map) >= 2 {
                    read_item(value, 1, Unit::ClaimsItem, c, source);
                } else {
                    c.note(format!(
                        "the JSON has no 'claims' list; ignored: {}",
                        excerpt(&value.to_string())
                    ));
                }
            }
        }
        other => c.note(format!(
            "the JSON is not a list of claims; ignored: {}",
            excerpt(&other.to_string())
        )),
    }
}

/// The lists of the structured form, under their names or a few others.
fn list_key(key: &str) -> Option<(Unit, &'static str)> {
    match key.to_ascii_lowercase().as_str() {
        "claims" | "new_claims" | "claim_list" => Some((Unit::ClaimsItem, "claims")),
        "concessions" | "concession" | "concede" | "concedes" | "conceded" => {
            Some((Unit::ConcessionsItem, "concessions"))
        }
        _ => None,
    }
}

fn field_count(map: &Map<String, Value>) -> usize {
    map.keys().filter(|k| vocab::field(k).is_some()).count()
}

fn read_list(items: &[Value], unit: Unit, c: &mut Collector, source: ClaimSource) {
    for (i, item) in items.iter().enumerate() {
        read_item(item, i + 1, unit, c, source);
    }
}

fn read_item(item: &Value, n: usize, unit: Unit, c: &mut Collector, source: ClaimSource) {
    if c.full() {
        c.skip();
        return;
    }
    let section = match unit {
        Unit::ConcessionsItem => Section::Concessions,
        Unit::ClaimsItem | Unit::Line => Section::Claims,
    };
    let read = match item {
        Value::Object(map) => record::entry_of(map, section).map(|r| (r.entry, r.guesses)),
        Value::String(s) if section == Section::Concessions && is_node(s) => {
            let target = if is_root(s.trim()) { ROOT_ID } else { s.trim() };
            let entry = Entry::Concessions(vec![Concession {
                target: target.to_string(),
                reason: String::new(),
            }]);
            Ok((entry, vec![warn::ID_ITEM.to_string()]))
        }
        Value::String(s) => line::read(s, IdRule::Loose, section)
            .map(|r| {
                let mut guesses = vec![warn::STRING_ITEM.to_string()];
                guesses.extend(r.guesses);
                (r.entry, guesses)
            })
            .map_err(String::from),
        _ => Err("not an object".to_string()),
    };
    match read {
        Ok((entry, guesses)) => {
            for g in guesses {
                c.guess(unit, n, g);
            }
            c.add(entry, source, unit, n);
        }
        Err(why) => c.note(format!(
            "{} {n} not understood ({why}): {}",
            unit.one(),
            excerpt(&item.to_string())
        )),
    }
}

fn is_node(s: &str) -> bool {
    let s = s.trim();
    is_root(s) || is_id(s)
}

/// Whether a JSON value a model wrote is meant as claims: a list of claim-like objects, or an
/// object with a `claims` or `concessions` list, or one claim-like object.
pub(super) fn looks_like_claims(value: &Value) -> bool {
    match value {
        Value::Array(items) => items
            .iter()
            .any(|i| i.as_object().is_some_and(|m| field_count(m) >= 2)),
        Value::Object(map) => map.keys().any(|k| list_key(k).is_some()) || field_count(map) >= 3,
        _ => false,
    }
}

/// The JSON value that starts at byte `from` of `text`, and the byte where it ends.
pub(super) fn value_at(text: &str, from: usize) -> Option<(Value, usize)> {
    let rest = text.get(from..)?;
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
    let value = values.next()?.ok()?;
    Some((value, from + values.byte_offset()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claims::{Claim, Relation};

    fn claim(id: &str, relation: Relation, target: &str, text: &str) -> Claim {
        Claim {
            id: id.into(),
            relation,
            target: target.into(),
            text: text.into(),
            source: ClaimSource::Structured,
        }
    }

    #[test]
    fn the_schema_form_reads_without_warnings() {
        let p = parse_json(&json!({
            "claims": [
                {"id": "A1", "relation": "supports", "target": "root", "text": "Pricing cuts traffic."},
                {"id": "A2", "relation": "attacks", "target": "B1", "text": "Sales did not fall."}
            ],
            "concessions": [{"target": "B3", "reason": "Costs were high."}]
        }));
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(
            p.claims,
            [
                claim("A1", Relation::Supports, "root", "Pricing cuts traffic."),
                claim("A2", Relation::Attacks, "B1", "Sales did not fall.")
            ]
        );
        assert_eq!(
            p.concessions,
            [Concession {
                target: "B3".into(),
                reason: "Costs were high.".into()
            }]
        );
    }

    #[test]
    fn tolerant_variants_are_read_with_warnings() {
        let p = parse_json(&json!([
            {"claim": "A1", "type": "supports", "parent": null, "text": "x"},
            "A2 attacks B1: y",
            {"relation": "concedes", "target": "B3"},
            {"id": "A3", "relation": "loves", "target": "root", "text": "z"},
            7
        ]));
        assert_eq!(
            p.claims,
            [
                claim("A1", Relation::Supports, "root", "x"),
                claim("A2", Relation::Attacks, "B1", "y")
            ]
        );
        assert_eq!(
            p.concessions,
            [Concession {
                target: "B3".into(),
                reason: String::new()
            }]
        );
        assert_eq!(
            p.warnings,
            [
                "claims item 1: read the field 'claim' as 'id' (the text is in another field)",
                "claims item 1: read the field 'type' as 'relation'",
                "claims item 1: read the field 'parent' as 'target'",
                "claims item 1: read a null target as root",
                "claims item 2: read a JSON string as a claims line",
                "claims item 3: read a record whose 'relation' is a concession as a concession",
                "claims item 4 not understood (no 'relation' field, or it is not supports or attacks): {\"id\":\"A3\",\"relation\":\"loves\",\"target\":\"root\",\"text\":\"z\"}",
                "claims item 5 not understood (not an object): 7",
            ]
        );
    }

    #[test]
    fn limits_and_odd_values() {
        let many: Vec<Value> = (1..=15)
            .map(|i| json!({"id": format!("A{i}"), "relation": "supports", "target": "root", "text": "t"}))
            .collect();
        let p = parse_json(&json!({"claims": many, "concessions": ["B1"]}));
        assert_eq!(p.claims.len(), 12);
        assert!(
            p.warnings
                .iter()
                .any(|w| w == "claims block has more than 12 entries; ignored 4"),
            "{:?}",
            p.warnings
        );
        assert_eq!(parse_json(&json!("text")).warnings.len(), 1);
        assert_eq!(parse_json(&json!({"speech": "hi"})).warnings.len(), 1);
        assert!(
            parse_json(&json!({"claims": [], "concessions": []}))
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn the_schema_is_strict_mode_shaped() {
        fn check(v: &Value) {
            if v["type"] == "object" {
                assert_eq!(v["additionalProperties"], false, "{v}");
                let props: Vec<&String> = v["properties"].as_object().unwrap().keys().collect();
                let mut required: Vec<&str> = v["required"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap())
                    .collect();
                required.sort_unstable();
                let mut props: Vec<&str> = props.iter().map(|p| p.as_str()).collect();
                props.sort_unstable();
                assert_eq!(props, required, "{v}");
                for p in v["properties"].as_object().unwrap().values() {
                    check(p);
                }
            }
            if let Some(items) = v.get("items") {
                check(items);
            }
        }
        let schema = json_schema();
        check(&schema);
        // The example the docs give is read as written.
        let example = json!({"claims": [{"id": "A1", "relation": "supports", "target": "root", "text": "t"}], "concessions": []});
        assert_eq!(parse_json(&example).claims.len(), 1);
    }
}
