//! The claims block a debater ends each turn with, and its tolerant parser.
//!
//! The format is specified in `docs/claims-format.md`. In short:
//!
//! ````text
//! ```claims
//! A1 supports root: Peak pricing cuts downtown traffic by roughly 15-30%.
//! A2 attacks B1: Stockholm's retail sales did not fall after its charge.
//! concede B3: Collection costs were high in London's first years.
//! ```
//! ````
//!
//! The parser never fails: a missing or broken block keeps the turn's text, yields the claims it
//! could read, and reports what it could not as warnings.

use serde::{Deserialize, Serialize};

/// Id of the debate's root node (the question itself).
pub const ROOT_ID: &str = "root";
/// More claims than this in one turn are ignored: a turn is a few claims, not a dump.
pub const MAX_CLAIMS_PER_TURN: usize = 12;
/// Longest claim text kept, in characters.
pub const MAX_CLAIM_CHARS: usize = 300;
const MAX_ID_CHARS: usize = 16;

/// How a claim relates to the node it targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Supports,
    Attacks,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Supports => "supports",
            Relation::Attacks => "attacks",
        }
    }
}

/// One claim as the debater wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: String,
    pub relation: Relation,
    /// `root` or the id of an earlier claim.
    pub target: String,
    pub text: String,
}

/// A debater giving up a point: the id of the node it concedes, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concession {
    pub target: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// What the parser made of one turn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedClaims {
    pub claims: Vec<Claim>,
    pub concessions: Vec<Concession>,
    pub warnings: Vec<String>,
}

/// Where the claims block starts and ends in a turn's text (byte offsets), if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockSpan {
    pub start: usize,
    pub end: usize,
}

/// The turn's prose: its text with the claims block cut out (text after the block is kept).
pub fn prose(text: &str) -> std::borrow::Cow<'_, str> {
    match find_block(text) {
        Some(span) => {
            let before = text[..span.start].trim_end();
            let after = text[span.end..].trim();
            if after.is_empty() {
                before.into()
            } else {
                format!("{before}\n\n{after}").into()
            }
        }
        None => text.trim_end().into(),
    }
}

/// Finds the last ```` ```claims ```` fence and its closing fence (or the end of the text).
pub fn find_block(text: &str) -> Option<BlockSpan> {
    let mut open: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if is_claims_fence(line) {
            open = Some(offset);
        }
        offset += line.len();
    }
    let start = open?;
    let after_open = start
        + text[start..]
            .find('\n')
            .map_or(text.len() - start, |i| i + 1);
    let mut end = text.len();
    let mut offset = after_open;
    for line in text[after_open..].split_inclusive('\n') {
        offset += line.len();
        if is_closing_fence(line) {
            end = offset;
            break;
        }
    }
    Some(BlockSpan { start, end })
}

fn is_claims_fence(line: &str) -> bool {
    let t = line.trim();
    let rest = t.strip_prefix("```").or_else(|| t.strip_prefix("~~~"));
    rest.is_some_and(|r| r.trim().eq_ignore_ascii_case("claims"))
}

fn is_closing_fence(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with("```") || t.starts_with("~~~")) && t.trim_matches(['`', '~']).is_empty()
}

/// Parses the claims block of a finished turn.
pub fn parse(text: &str) -> ParsedClaims {
    let mut out = ParsedClaims::default();
    let Some(span) = find_block(text) else {
        out.warnings
            .push("no claims block: the turn adds nothing to the tree".to_string());
        return out;
    };
    let block = &text[span.start..span.end];
    let mut lines = block.lines();
    lines.next(); // the opening fence
    let mut closed = false;
    let mut ignored_extra = 0usize;
    for (n, raw) in lines.enumerate() {
        if is_closing_fence(raw) {
            closed = true;
            break;
        }
        let line = strip_bullet(raw.trim());
        if line.is_empty() {
            continue;
        }
        if out.claims.len() + out.concessions.len() >= MAX_CLAIMS_PER_TURN {
            ignored_extra += 1;
            continue;
        }
        match parse_line(line) {
            Ok(Line::Claim(claim)) => {
                if out
                    .claims
                    .iter()
                    .any(|c| c.id.eq_ignore_ascii_case(&claim.id))
                {
                    out.warnings.push(format!(
                        "claims line {}: id {} used twice in this turn; kept the first",
                        n + 1,
                        claim.id
                    ));
                } else {
                    out.claims.push(claim);
                }
            }
            Ok(Line::Concession(c)) => out.concessions.push(c),
            Err(why) => out.warnings.push(format!(
                "claims line {} not understood ({why}): {}",
                n + 1,
                excerpt(line)
            )),
        }
    }
    if !closed {
        out.warnings
            .push("claims block has no closing ``` fence; read it to the end of the turn".into());
    }
    if ignored_extra > 0 {
        out.warnings.push(format!(
            "claims block has more than {MAX_CLAIMS_PER_TURN} entries; ignored {ignored_extra}"
        ));
    }
    out
}

enum Line {
    Claim(Claim),
    Concession(Concession),
}

fn strip_bullet(line: &str) -> &str {
    line.strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .unwrap_or(line)
        .trim()
}

fn parse_line(line: &str) -> Result<Line, &'static str> {
    let (head, text) = line.split_once(':').ok_or("no ':' before the claim text")?;
    let text = clean_text(text);
    let words: Vec<&str> = head.split_whitespace().collect();
    match words.as_slice() {
        [verb, target] if is_concede(verb) => Ok(Line::Concession(Concession {
            target: node_ref(target)?,
            reason: text,
        })),
        [id, relation, target] => {
            if text.is_empty() {
                return Err("empty claim text");
            }
            let relation =
                parse_relation(relation).ok_or("relation must be supports or attacks")?;
            let id = claim_id(id)?;
            Ok(Line::Claim(Claim {
                id,
                relation,
                target: node_ref(target)?,
                text,
            }))
        }
        _ => Err("expected '<id> supports|attacks <target>: <text>'"),
    }
}

fn is_concede(word: &str) -> bool {
    word.eq_ignore_ascii_case("concede") || word.eq_ignore_ascii_case("concedes")
}

fn parse_relation(word: &str) -> Option<Relation> {
    match word.to_ascii_lowercase().as_str() {
        "supports" | "support" => Some(Relation::Supports),
        "attacks" | "attack" | "rebuts" | "refutes" => Some(Relation::Attacks),
        _ => None,
    }
}

fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.len() <= MAX_ID_CHARS
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn claim_id(s: &str) -> Result<String, &'static str> {
    let s = s.trim_matches(['[', ']']);
    if s.eq_ignore_ascii_case(ROOT_ID) {
        return Err("a claim cannot be called root");
    }
    if is_id(s) {
        Ok(s.to_string())
    } else {
        Err("ids are 1-16 letters, digits, '_', '.' or '-'")
    }
}

/// A reference to an existing node: `root` (any case) or a claim id.
fn node_ref(s: &str) -> Result<String, &'static str> {
    let s = s.trim_matches(['[', ']']);
    if s.eq_ignore_ascii_case(ROOT_ID) {
        Ok(ROOT_ID.to_string())
    } else if is_id(s) {
        Ok(s.to_string())
    } else {
        Err("the target must be root or a claim id")
    }
}

/// Claim text is shown in the tree on one line: no control characters, bounded length.
fn clean_text(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = cleaned.trim();
    match trimmed.char_indices().nth(MAX_CLAIM_CHARS) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None => trimmed.to_string(),
    }
}

fn excerpt(line: &str) -> String {
    let clean: String = line.chars().filter(|c| !c.is_control()).take(60).collect();
    if line.chars().count() > 60 {
        format!("{clean}…")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
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
                    text: "Pricing cuts peak traffic by roughly 20%.".into()
                },
                Claim {
                    id: "A2".into(),
                    relation: Relation::Attacks,
                    target: "B1".into(),
                    text: "Retail sales did not fall in Stockholm.".into()
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
}
