//! A claim written as a record of fields: a JSON object, YAML-like `key: value` lines, or a
//! table row. Whatever the syntax, the same keys and values are accepted.

use serde_json::{Map, Value};

use super::line::{Entry, claim_id, target_of};
use super::text::{IdRule, clean_text};
use super::vocab::{self, Field, Section};
use super::warn;
use super::{Claim, ClaimSource, Concession, ROOT_ID, Relation};

/// A record read, and what had to be guessed to read it.
#[derive(Debug)]
pub(super) struct RecordRead {
    pub entry: Entry,
    pub guesses: Vec<String>,
}

/// One field found in a record: its meaning, the key as written, and the value.
struct Found<'a> {
    field: Field,
    key: &'a str,
    value: &'a Value,
}

/// Reads a record as a claim, or as a concession when it says so (`relation: concedes`, a
/// `concede` field, or a record in a list or section of concessions).
pub(super) fn entry_of(map: &Map<String, Value>, section: Section) -> Result<RecordRead, String> {
    let text_elsewhere = map.keys().any(|k| vocab::field(k) == Some(Field::Text));
    let fields: Vec<Found> = map
        .iter()
        .filter_map(|(key, value)| {
            let field = match vocab::field(key)? {
                // `claim` names the id when another field holds the text.
                Field::Claim if text_elsewhere && value.as_str().is_some_and(is_id_value) => {
                    Field::Id
                }
                Field::Claim => Field::Text,
                f => f,
            };
            Some(Found { field, key, value })
        })
        .collect();
    let mut guesses = Vec::new();
    let find = |want: Field| fields.iter().find(|f| f.field == want);
    // The relation: the first relation-like field whose value names one (`type: claim` does not).
    let relation = fields
        .iter()
        .filter(|f| f.field == Field::Relation)
        .find_map(|f| Some((f, relation_value(f.value.as_str()?)?)));
    let concedes = section == Section::Concessions
        || find(Field::Concede).is_some()
        || relation.as_ref().is_some_and(|(_, r)| *r == Rel::Concedes);
    if concedes {
        if let Some((f, Rel::Concedes)) = relation {
            guesses.push(warn::relation_concedes(f.key));
        }
        let target = find(Field::Concede)
            .or_else(|| find(Field::Target))
            .or_else(|| find(Field::Id))
            .ok_or("no 'target' field")?;
        used(target, &mut guesses);
        let target = node_value(target, &mut guesses)?;
        let reason = match find(Field::Reason).or_else(|| find(Field::Text)) {
            Some(f) => {
                used(f, &mut guesses);
                clean_text(f.value.as_str().ok_or("the reason is not a string")?)
            }
            None => String::new(),
        };
        return Ok(RecordRead {
            entry: Entry::Concessions(vec![Concession { target, reason }]),
            guesses,
        });
    }
    let id = find(Field::Id).ok_or("no 'id' field")?;
    used(id, &mut guesses);
    let id = claim_id(
        id.value.as_str().ok_or("the id is not a string")?.trim(),
        IdRule::Loose,
    )?;
    let (relation, target) = match relation {
        Some((f, Rel::Is(r))) => {
            used(f, &mut guesses);
            if !f.value.as_str().is_some_and(is_documented_relation) {
                let phrase = f
                    .value
                    .as_str()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase();
                guesses.push(warn::relation(&phrase, r.as_str()));
            }
            let target = find(Field::Target).ok_or("no 'target' field")?;
            used(target, &mut guesses);
            (r, node_value(target, &mut guesses)?)
        }
        _ => {
            // `supports: A1`: the relation is the key, the target its value.
            let directed = fields
                .iter()
                .find_map(|f| match f.field {
                    Field::Directed(r) => Some((f, r)),
                    _ => None,
                })
                .ok_or("no 'relation' field, or it is not supports or attacks")?;
            used(directed.0, &mut guesses);
            (directed.1, node_value(directed.0, &mut guesses)?)
        }
    };
    let text = find(Field::Text).ok_or("no 'text' field")?;
    used(text, &mut guesses);
    let text = clean_text(text.value.as_str().ok_or("the text is not a string")?);
    if text.is_empty() {
        return Err(warn::EMPTY_TEXT.to_string());
    }
    Ok(RecordRead {
        entry: Entry::Claim(Claim {
            id,
            relation,
            target,
            text,
            source: ClaimSource::Tolerant,
        }),
        guesses,
    })
}

/// Notes the key of a field used, when it is not the documented one.
fn used(f: &Found, guesses: &mut Vec<String>) {
    let canonical = f.field.canonical();
    if f.key.eq_ignore_ascii_case("claim") && f.field == Field::Id {
        guesses.push(warn::CLAIM_AS_ID.to_string());
    } else if !f.key.eq_ignore_ascii_case(canonical) {
        guesses.push(warn::field(f.key, canonical));
    }
}

fn is_id_value(s: &str) -> bool {
    super::text::is_id(s.trim())
}

fn is_documented_relation(s: &str) -> bool {
    vocab::relation_of(s.trim()).is_some_and(|r| r.documented)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    Is(Relation),
    Concedes,
}

fn relation_value(s: &str) -> Option<Rel> {
    let s = s.trim();
    if vocab::is_concede_word(s) {
        return Some(Rel::Concedes);
    }
    vocab::relation_of(s).map(|r| Rel::Is(r.relation))
}

/// A target field's value: `root`, an id, a name for the root, or null (the root).
fn node_value(f: &Found, guesses: &mut Vec<String>) -> Result<String, String> {
    let s = match f.value {
        Value::Null => {
            guesses.push(warn::NULL_TARGET.to_string());
            return Ok(ROOT_ID.to_string());
        }
        Value::String(s) => s,
        _ => return Err(format!("the field '{}' is not a string", f.key)),
    };
    let words: Vec<String> = s.split_whitespace().map(str::to_string).collect();
    let (target, guess) = target_of(&words, IdRule::Loose).ok_or(warn::BAD_TARGET.to_string())?;
    guesses.extend(guess);
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(v: Value, section: Section) -> Result<RecordRead, String> {
        entry_of(v.as_object().unwrap(), section)
    }

    #[test]
    fn the_schema_form_needs_no_guess() {
        let r = read(
            json!({"id": "A1", "relation": "supports", "target": "root", "text": "Works."}),
            Section::Claims,
        )
        .unwrap();
        assert!(r.guesses.is_empty(), "{:?}", r.guesses);
        assert!(matches!(r.entry, Entry::Claim(c) if c.id == "A1" && c.target == "root"));
    }

    #[test]
    fn other_keys_are_read_and_named() {
        let r = read(
            json!({"claim": "A2", "type": "Contradicts", "parent": "B1", "statement": "No."}),
            Section::Claims,
        )
        .unwrap();
        let Entry::Claim(c) = r.entry else { panic!() };
        assert_eq!(
            (
                c.id.as_str(),
                c.relation,
                c.target.as_str(),
                c.text.as_str()
            ),
            ("A2", Relation::Attacks, "B1", "No.")
        );
        assert_eq!(
            r.guesses,
            [
                warn::CLAIM_AS_ID.to_string(),
                warn::field("type", "relation"),
                "read 'contradicts' as attacks".to_string(),
                warn::field("parent", "target"),
                warn::field("statement", "text"),
            ]
        );
        let r = read(
            json!({"id": "A3", "claim": "Text here.", "supports": "the root"}),
            Section::Claims,
        )
        .unwrap();
        let Entry::Claim(c) = r.entry else { panic!() };
        assert_eq!(
            (c.relation, c.target.as_str(), c.text.as_str()),
            (Relation::Supports, "root", "Text here.")
        );
    }

    #[test]
    fn concessions_and_errors() {
        let r = read(
            json!({"relation": "concedes", "target": "B3", "text": "Fair."}),
            Section::Claims,
        )
        .unwrap();
        assert!(
            matches!(r.entry, Entry::Concessions(c) if c[0].target == "B3" && c[0].reason == "Fair.")
        );
        let r = read(json!({"target": "B3"}), Section::Concessions).unwrap();
        assert!(matches!(r.entry, Entry::Concessions(c) if c[0].reason.is_empty()));
        let err = |v| read(v, Section::Claims).err().unwrap();
        assert_eq!(
            err(json!({"relation": "supports", "target": "root", "text": "x"})),
            "no 'id' field"
        );
        assert_eq!(
            err(json!({"id": "A1", "relation": "loves", "target": "root", "text": "x"})),
            "no 'relation' field, or it is not supports or attacks"
        );
        assert_eq!(
            err(json!({"id": "A1", "relation": "supports", "text": "x"})),
            "no 'target' field"
        );
        assert_eq!(
            err(json!({"id": "root", "relation": "supports", "target": "A1", "text": "x"})),
            warn::ROOT_NAMED
        );
        assert_eq!(
            err(json!({"id": 1, "relation": "supports", "target": "root", "text": "x"})),
            "the id is not a string"
        );
        assert_eq!(
            err(json!({"id": "A1", "relation": "supports", "target": "root", "text": " "})),
            warn::EMPTY_TEXT
        );
    }
}
