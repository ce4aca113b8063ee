//! The words the readers recognise: relations, names for the root, concessions, headings, and
//! the field names of claims written as records (JSON, YAML-like fields, tables).

use super::Relation;

/// A relation phrase and whether the documented grammar has it (`supports`, `attacks`, ...) or it
/// is a synonym that gets a warning.
pub(super) struct RelationWord {
    pub relation: Relation,
    pub words: usize,
    pub documented: bool,
}

const DOCUMENTED: &[(&str, Relation)] = &[
    ("supports", Relation::Supports),
    ("support", Relation::Supports),
    ("attacks", Relation::Attacks),
    ("attack", Relation::Attacks),
    ("rebuts", Relation::Attacks),
    ("refutes", Relation::Attacks),
];

const SYNONYMS: &[(&str, Relation)] = &[
    ("supported", Relation::Supports),
    ("supporting", Relation::Supports),
    ("backs", Relation::Supports),
    ("back", Relation::Supports),
    ("reinforces", Relation::Supports),
    ("reinforce", Relation::Supports),
    ("strengthens", Relation::Supports),
    ("bolsters", Relation::Supports),
    ("defends", Relation::Supports),
    ("corroborates", Relation::Supports),
    ("upholds", Relation::Supports),
    ("attacked", Relation::Attacks),
    ("attacking", Relation::Attacks),
    ("rebut", Relation::Attacks),
    ("refute", Relation::Attacks),
    ("contradicts", Relation::Attacks),
    ("contradict", Relation::Attacks),
    ("undermines", Relation::Attacks),
    ("undermine", Relation::Attacks),
    ("challenges", Relation::Attacks),
    ("disputes", Relation::Attacks),
    ("opposes", Relation::Attacks),
    ("counters", Relation::Attacks),
    ("weakens", Relation::Attacks),
    ("undercuts", Relation::Attacks),
    ("against", Relation::Attacks),
];

const PHRASES: &[(&[&str], Relation)] = &[
    (&["argues", "for"], Relation::Supports),
    (&["in", "support", "of"], Relation::Supports),
    (&["argues", "against"], Relation::Attacks),
    (&["objects", "to"], Relation::Attacks),
    (&["pushes", "back", "on"], Relation::Attacks),
];

/// The relation that `words` start with, if any: a documented word, a synonym or a phrase.
pub(super) fn relation_at(words: &[String]) -> Option<RelationWord> {
    let first = words.first()?.to_ascii_lowercase();
    let one = |relation, documented| RelationWord {
        relation,
        words: 1,
        documented,
    };
    if let Some((_, r)) = DOCUMENTED.iter().find(|(w, _)| *w == first) {
        return Some(one(*r, true));
    }
    if let Some((_, r)) = SYNONYMS.iter().find(|(w, _)| *w == first) {
        return Some(one(*r, false));
    }
    PHRASES.iter().find_map(|(phrase, r)| {
        let matches = phrase.len() <= words.len()
            && phrase
                .iter()
                .zip(words)
                .all(|(p, w)| w.eq_ignore_ascii_case(p));
        matches.then_some(RelationWord {
            relation: *r,
            words: phrase.len(),
            documented: false,
        })
    })
}

/// The relation named by a whole value (`"supports"`, `"Contradicts"`, `"argues against"`).
pub(super) fn relation_of(value: &str) -> Option<RelationWord> {
    let words: Vec<String> = value.split_whitespace().map(str::to_string).collect();
    relation_at(&words).filter(|r| r.words == words.len())
}

const ROOT_NOUNS: &[&str] = &[
    "root",
    "question",
    "motion",
    "resolution",
    "proposition",
    "thesis",
    "topic",
];
/// Nouns that name the root only with an adjective before them (`the main claim`).
const ROOT_NOUNS_QUALIFIED: &[&str] = &["claim", "node", "statement"];
const ROOT_ADJECTIVES: &[&str] = &[
    "main",
    "root",
    "top-level",
    "top",
    "central",
    "debate",
    "debate's",
    "original",
    "overall",
    "core",
];

/// Whether lowercased `words` name the debate's question: `root` (the documented spelling), `the
/// root`, `the question`, `the main question`, `the motion`, ...
pub(super) fn is_root_phrase(words: &[String]) -> bool {
    let words = match words.split_first() {
        Some((first, rest)) if first == "the" => rest,
        _ => words,
    };
    let Some((noun, adjectives)) = words.split_last() else {
        return false;
    };
    let adjectives_ok = adjectives
        .iter()
        .all(|a| ROOT_ADJECTIVES.contains(&a.as_str()));
    words.len() <= 3
        && adjectives_ok
        && (ROOT_NOUNS.contains(&noun.as_str())
            || (!adjectives.is_empty() && ROOT_NOUNS_QUALIFIED.contains(&noun.as_str())))
}

/// Words that introduce a concession; `concede` and `concedes` are the documented ones.
pub(super) const CONCEDE_WORDS: &[&str] = &[
    "concede",
    "concedes",
    "conceded",
    "conceding",
    "concession",
    "concessions",
];

pub(super) fn is_concede_word(word: &str) -> bool {
    CONCEDE_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
}

pub(super) fn is_documented_concede(word: &str) -> bool {
    word.eq_ignore_ascii_case("concede") || word.eq_ignore_ascii_case("concedes")
}

/// Arrows some models draw from a claim to its target: `A1 → root (supports)`.
pub(super) fn is_arrow(word: &str) -> bool {
    matches!(
        word,
        "→" | "->" | "-->" | "=>" | "⇒" | "⟶" | "➔" | "➜" | "—>" | "–>"
    )
}

/// Words of a heading above claims: `Claims:`, `## Claims`, `**My claims this turn:**`,
/// `Concessions`. At least one of them must name claims or concessions.
const HEADING_WORDS: &[&str] = &[
    "claims",
    "claim",
    "concessions",
    "concession",
    "block",
    "and",
    "&",
    "my",
    "new",
    "this",
    "turn",
    "turn's",
    "the",
    "for",
    "tree",
    "list",
    "of",
    "summary",
    "structured",
    "final",
    "key",
    "main",
    "made",
    "/",
];

/// What a heading line introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Claims,
    Concessions,
}

/// The section a heading line opens, if the line is a heading.
pub(super) fn heading(line: &str) -> Option<Section> {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > 48 {
        return None;
    }
    let inner = t
        .trim_start_matches('#')
        .trim_matches(['*', '_', ' ', ':', '(', ')']);
    let words: Vec<String> = inner
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ','))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() || !words.iter().all(|w| HEADING_WORDS.contains(&w.as_str())) {
        return None;
    }
    let names = |stem: &str| words.iter().any(|w| w.starts_with(stem));
    match (names("claim"), names("concession")) {
        (true, _) => Some(Section::Claims),
        (false, true) => Some(Section::Concessions),
        (false, false) => None,
    }
}

/// A field of a claim written as a record, whatever its key was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Id,
    Relation,
    Target,
    Text,
    Reason,
    /// `concede: B3`: the node conceded.
    Concede,
    /// `supports: A1` or `attacks: A1`: the relation and the target in one field.
    Directed(Relation),
    /// `claim:` is the text, or the id when another field holds the text.
    Claim,
}

impl Field {
    pub(super) fn canonical(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Relation => "relation",
            Field::Target => "target",
            Field::Text | Field::Claim => "text",
            Field::Reason => "reason",
            Field::Concede => "target",
            Field::Directed(Relation::Supports) => "supports",
            Field::Directed(Relation::Attacks) => "attacks",
        }
    }
}

/// The field a record key names (any case, `-` and spaces read as `_`), if it is one of ours.
pub(super) fn field(key: &str) -> Option<Field> {
    let key: String = key
        .trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    Some(match key.as_str() {
        "id" | "claim_id" | "claimid" | "name" | "label" => Field::Id,
        "relation" | "rel" | "relationship" | "type" | "kind" | "stance" | "edge" => {
            Field::Relation
        }
        "target" | "parent" | "parent_id" | "parentid" | "target_id" | "targetid" | "to" | "on"
        | "responds_to" | "reply_to" | "in_reply_to" => Field::Target,
        "text" | "statement" | "content" | "summary" | "description" | "body" | "argument"
        | "point" => Field::Text,
        "reason" | "why" | "explanation" => Field::Reason,
        "concede" | "concedes" | "conceded" | "concession" => Field::Concede,
        "supports" => Field::Directed(Relation::Supports),
        "attacks" => Field::Directed(Relation::Attacks),
        "claim" => Field::Claim,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn relations_documented_synonyms_and_phrases() {
        let r = relation_at(&words("Supports root")).unwrap();
        assert_eq!(
            (r.relation, r.words, r.documented),
            (Relation::Supports, 1, true)
        );
        let r = relation_at(&words("contradicts B2")).unwrap();
        assert_eq!((r.relation, r.documented), (Relation::Attacks, false));
        let r = relation_at(&words("argues against A1")).unwrap();
        assert_eq!((r.relation, r.words), (Relation::Attacks, 2));
        assert!(relation_at(&words("loves B1")).is_none());
        assert!(relation_of("argues against A1").is_none());
    }

    #[test]
    fn names_for_the_root() {
        for p in [
            "root",
            "the root",
            "the question",
            "the main question",
            "motion",
            "the main claim",
        ] {
            assert!(is_root_phrase(&words(p)), "{p}");
        }
        for p in [
            "the claim",
            "the question's framing",
            "my point",
            "the the root",
            "B2",
        ] {
            assert!(!is_root_phrase(&words(p)), "{p}");
        }
    }

    #[test]
    fn headings() {
        assert_eq!(heading("Claims:"), Some(Section::Claims));
        assert_eq!(heading("## Claims"), Some(Section::Claims));
        assert_eq!(heading("**My claims this turn:**"), Some(Section::Claims));
        assert_eq!(heading("Concessions:"), Some(Section::Concessions));
        assert_eq!(heading("Claims and concessions"), Some(Section::Claims));
        assert_eq!(heading("The claim is wrong."), None);
        assert_eq!(heading("My main point:"), None);
        assert_eq!(heading("The tree:"), None);
    }
}
