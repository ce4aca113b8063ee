//! The syntax of records written as lines: YAML-like `key: value` fields and table rows. What the
//! fields mean is read by `record`.

use serde_json::{Map, Value};

use super::vocab;

/// One `key: value` line whose key is one of the claim fields (`id`, `relation`, `parent`, ...).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct KeyLine<'a> {
    /// The line starts a list item (`- id: A1`): a new record.
    pub dash: bool,
    pub key: &'a str,
    pub value: &'a str,
}

pub(super) fn key_line(raw: &str) -> Option<KeyLine<'_>> {
    let t = raw.trim();
    let (dash, t) = match t.strip_prefix("- ") {
        Some(r) => (true, r.trim_start()),
        None => (false, t),
    };
    let (key, value) = t.split_once(':')?;
    let key = key.trim().trim_matches('"');
    let plain = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '));
    if key.is_empty() || key.len() > 24 || !plain {
        return None;
    }
    vocab::field(key)?;
    Some(KeyLine {
        dash,
        key,
        value: value.trim(),
    })
}

/// Whether a line is a field of a claim record rather than prose that happens to start with a
/// word like `Summary:`: a list item (`- text: ...`), an indented field, or a field only claims
/// have (`id`, `relation`, `target`, ...).
pub(super) fn is_record_line(raw: &str) -> bool {
    key_line(raw).is_some_and(|k| {
        k.dash
            || raw.starts_with(char::is_whitespace)
            || !matches!(
                vocab::field(k.key),
                Some(vocab::Field::Text | vocab::Field::Reason | vocab::Field::Claim)
            )
    })
}

/// A field's value as written: quotes removed, `null` and `~` read as null, and a block scalar
/// marker (`text: >`) read as an empty value that the indented lines below fill.
pub(super) fn value_of(v: &str) -> Value {
    let v = v.trim();
    let v = v.strip_suffix(',').unwrap_or(v).trim_end();
    match v {
        "null" | "~" => Value::Null,
        "|" | ">" | "|-" | ">-" | "|+" | ">+" => Value::String(String::new()),
        _ => Value::String(unquote(v).to_string()),
    }
}

fn unquote(v: &str) -> &str {
    for (open, close) in [('"', '"'), ('\'', '\''), ('“', '”')] {
        if let Some(inner) = v.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return inner;
        }
    }
    v
}

/// The cells of a table row (`| A1 | supports | root | text |`, or a line with three `|` or
/// more), with Markdown emphasis trimmed from each cell.
pub(super) fn table_cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    let pipes = t.matches('|').count();
    if !((t.starts_with('|') && pipes >= 2) || pipes >= 3) {
        return None;
    }
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(
        inner
            .split('|')
            .map(|c| c.trim().trim_matches(['*', '`']).trim().to_string())
            .collect(),
    )
}

/// `|---|:---:|`: the line under a table's header.
pub(super) fn is_rule(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// A header row names at least two claim fields (`| id | relation | target | text |`).
pub(super) fn is_header(cells: &[String]) -> bool {
    cells.iter().filter(|c| vocab::field(c).is_some()).count() >= 2
}

/// A row as a record: by the header's names, or, with no header, four cells in the documented
/// order (id, relation, target, text).
pub(super) fn row(
    header: Option<&[String]>,
    cells: &[String],
) -> Result<Map<String, Value>, String> {
    let names: Vec<String> = match header {
        Some(h) => h.to_vec(),
        None if cells.len() == 4 => ["id", "relation", "target", "text"]
            .map(String::from)
            .to_vec(),
        None => {
            return Err(
                "a table row needs a header row, or four cells: id, relation, target, text"
                    .to_string(),
            );
        }
    };
    Ok(names
        .into_iter()
        .zip(cells)
        .filter(|(name, _)| vocab::field(name).is_some())
        .map(|(name, cell)| (name, Value::String(cell.clone())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lines() {
        assert_eq!(
            key_line("- id: A1"),
            Some(KeyLine {
                dash: true,
                key: "id",
                value: "A1"
            })
        );
        assert_eq!(
            key_line("  parent: \"root\""),
            Some(KeyLine {
                dash: false,
                key: "parent",
                value: "\"root\""
            })
        );
        assert_eq!(key_line("A1: supports root: x"), None);
        assert_eq!(key_line("Note: this is prose"), None);
        assert!(key_line("Summary: pricing wins.").is_some());
        assert!(!is_record_line("Summary: pricing wins."));
        assert!(is_record_line("  text: Pricing works."));
        assert!(is_record_line("- claim: Pricing works."));
        assert!(is_record_line("parent: A1"));
        assert_eq!(value_of("\"root\","), Value::String("root".into()));
        assert_eq!(value_of("null"), Value::Null);
    }

    #[test]
    fn tables() {
        let header = table_cells("| **ID** | Relation | Target | Claim |").unwrap();
        assert!(is_header(&header));
        assert!(is_rule(&table_cells("|---|:---:|---|---|").unwrap()));
        let cells = table_cells("| A1 | supports | root | Pricing works. |").unwrap();
        assert!(!is_header(&cells));
        let r = row(Some(&header), &cells).unwrap();
        assert_eq!(r["ID"], "A1");
        assert_eq!(r["Claim"], "Pricing works.");
        assert_eq!(row(None, &cells).unwrap()["text"], "Pricing works.");
        assert!(row(None, &cells[..3]).is_err());
        assert_eq!(table_cells("a | b"), None);
    }
}
