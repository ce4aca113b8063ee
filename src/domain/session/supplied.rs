//! Claims a turn got apart from its text (structured output, a follow-up request, a
//! recording), and how they are read. [`Session::finish_turn_with`](super::Session) is the one
//! place that applies them to the tree, as it is for a claims block.

use crate::domain::claims::{self, Claim, ClaimSource, Concession, ParsedClaims};
use crate::domain::turn::Followup;

/// Where a finished turn's claims come from.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Supplied {
    /// The claims block of the turn's text (the default).
    #[default]
    FromText,
    /// JSON under `claims::json_schema()`, as a provider returned it (a tool call's arguments,
    /// a `format` answer); `source` is how it was obtained.
    Json { raw: String, source: ClaimSource },
    /// A follow-up's answer in the block format (the server refused structured output).
    Block { raw: String, source: ClaimSource },
    /// Claims read before: a replay plays the recording's back exactly, warnings included.
    Recorded {
        claims: Vec<Claim>,
        concessions: Vec<Concession>,
        warnings: Vec<String>,
    },
}

/// What closes a complete turn besides its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Finish {
    pub claims: Supplied,
    /// Notes on how the claims were obtained (a refused feature, a follow-up that failed),
    /// listed before the parser's warnings.
    pub notes: Vec<String>,
    /// Requests made after the speech for its claims.
    pub followups: Vec<Followup>,
}

pub(crate) const ALSO_A_BLOCK: &str = "the turn also wrote a claims block; the structured claims were used and the block was not read";
pub(crate) const EMPTY_STRUCTURED: &str =
    "the structured claims were empty; read the turn's claims block instead";

/// The claims of a turn whose text is `text`. The second value says whether the tree's own
/// warnings should follow the result (a recording's warnings already hold them).
pub(super) fn read(supplied: Supplied, text: &str) -> (ParsedClaims, bool) {
    match supplied {
        Supplied::FromText => (claims::parse(text), true),
        Supplied::Json { raw, source } => (read_json(&raw, source, text), true),
        Supplied::Block { raw, source } => {
            let mut parsed = claims::parse(&raw);
            set_source(&mut parsed, source);
            (parsed, true)
        }
        Supplied::Recorded {
            claims,
            concessions,
            warnings,
        } => (
            ParsedClaims {
                claims,
                concessions,
                warnings,
            },
            false,
        ),
    }
}

/// Structured claims take precedence over a block in the text, which is then prose (cut from
/// what the judge reads, as always) and not parsed, with a warning. Two exceptions fall back
/// to the block: JSON that does not parse even tolerantly, and an empty answer beside a block
/// that has claims (a model that called the tool with nothing and wrote its claims anyway).
fn read_json(raw: &str, source: ClaimSource, text: &str) -> ParsedClaims {
    let has_block = claims::find_block(text).is_some();
    let mut parsed = match serde_json::from_str::<serde_json::Value>(raw.trim()) {
        Ok(value) => claims::parse_json(&value),
        Err(e) => {
            // A model that wrapped its JSON in a fence or prose: the tolerant reader finds it.
            let tolerant = claims::parse(raw);
            if tolerant.claims.is_empty() && tolerant.concessions.is_empty() {
                let mut from_text = claims::parse(text);
                from_text.warnings.insert(
                    0,
                    format!(
                        "the structured claims are not valid JSON ({e}); read the claims block instead"
                    ),
                );
                return from_text;
            }
            tolerant
        }
    };
    let empty = parsed.claims.is_empty() && parsed.concessions.is_empty();
    if empty && has_block {
        let from_text = claims::parse(text);
        if !from_text.claims.is_empty() || !from_text.concessions.is_empty() {
            let mut from_text = from_text;
            from_text.warnings.insert(0, EMPTY_STRUCTURED.to_string());
            return from_text;
        }
    }
    set_source(&mut parsed, source);
    if has_block {
        parsed.warnings.insert(0, ALSO_A_BLOCK.to_string());
    }
    parsed
}

fn set_source(parsed: &mut ParsedClaims, source: ClaimSource) {
    for c in &mut parsed.claims {
        c.source = source;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claims::Relation;

    const JSON: &str = r#"{"claims":[{"id":"A1","relation":"supports","target":"root","text":"Traffic fell."}],"concessions":[]}"#;

    fn ids(p: &ParsedClaims) -> Vec<(&str, ClaimSource)> {
        p.claims.iter().map(|c| (c.id.as_str(), c.source)).collect()
    }

    #[test]
    fn structured_claims_win_over_a_block_with_a_warning() {
        let text = "Prose.\n\n```claims\nA9 supports root: Other.\n```\n";
        let supplied = Supplied::Json {
            raw: JSON.into(),
            source: ClaimSource::Structured,
        };
        let (p, tree_warnings) = read(supplied, text);
        assert!(tree_warnings);
        assert_eq!(ids(&p), [("A1", ClaimSource::Structured)]);
        assert_eq!(p.claims[0].relation, Relation::Supports);
        assert_eq!(p.warnings, [ALSO_A_BLOCK]);
    }

    #[test]
    fn without_a_block_structured_claims_read_silently() {
        let supplied = Supplied::Json {
            raw: JSON.into(),
            source: ClaimSource::Repair,
        };
        let (p, _) = read(supplied, "Just prose.");
        assert_eq!(ids(&p), [("A1", ClaimSource::Repair)]);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn broken_json_falls_back_to_the_block() {
        let text = "Prose.\n\n```claims\nA9 supports root: Other.\n```\n";
        let supplied = Supplied::Json {
            raw: r#"{"claims": [{"id": "A1", "rel"#.into(),
            source: ClaimSource::Structured,
        };
        let (p, _) = read(supplied, text);
        assert_eq!(ids(&p), [("A9", ClaimSource::Block)]);
        assert!(
            p.warnings[0].starts_with("the structured claims are not valid JSON ("),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn fenced_json_is_read_tolerantly() {
        let raw = format!("Here you go:\n```json\n{JSON}\n```");
        let supplied = Supplied::Json {
            raw,
            source: ClaimSource::Structured,
        };
        let (p, _) = read(supplied, "Prose.");
        assert_eq!(ids(&p), [("A1", ClaimSource::Structured)]);
    }

    #[test]
    fn an_empty_answer_beside_a_block_with_claims_reads_the_block() {
        let text = "Prose.\n\n```claims\nA9 supports root: Other.\n```\n";
        let supplied = Supplied::Json {
            raw: r#"{"claims":[],"concessions":[]}"#.into(),
            source: ClaimSource::Structured,
        };
        let (p, _) = read(supplied, text);
        assert_eq!(ids(&p), [("A9", ClaimSource::Block)]);
        assert_eq!(p.warnings, [EMPTY_STRUCTURED]);
    }

    #[test]
    fn a_block_answer_takes_the_source_given() {
        let supplied = Supplied::Block {
            raw: "```claims\nB2 attacks A1: No.\n```".into(),
            source: ClaimSource::Repair,
        };
        let (p, _) = read(supplied, "Prose with no block.");
        assert_eq!(ids(&p), [("B2", ClaimSource::Repair)]);
    }

    #[test]
    fn recorded_claims_come_back_exactly() {
        let claims = vec![Claim {
            id: "A1".into(),
            relation: Relation::Attacks,
            target: "root".into(),
            text: "t".into(),
            source: ClaimSource::Extracted,
        }];
        let supplied = Supplied::Recorded {
            claims: claims.clone(),
            concessions: Vec::new(),
            warnings: vec!["w".into()],
        };
        let (p, tree_warnings) = read(supplied, "```claims\nA7 supports root: x\n```");
        assert!(!tree_warnings);
        assert_eq!(p.claims, claims);
        assert_eq!(p.warnings, ["w"]);
    }
}
