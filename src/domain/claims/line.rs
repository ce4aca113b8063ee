//! One line of a claims block: the documented grammar first, then the forms models drift into
//! (`1. **A1** (supports the root) - text`, `I concede B3`, `A1 → root (supports): text`).

use super::text::{IdRule, clean_text, is_root, is_strict_id, strip_stray_emphasis};
use super::vocab::{self, Section};
use super::warn;
use super::{Claim, ClaimSource, Concession, ROOT_ID, Relation};

/// What one line (or one record) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Entry {
    Claim(Claim),
    /// One or more nodes conceded, for the same reason.
    Concessions(Vec<Concession>),
}

/// A line read, and what had to be guessed to read it.
#[derive(Debug)]
pub(super) struct Read {
    pub entry: Entry,
    pub guesses: Vec<String>,
    /// Read by the documented grammar as written: no guess.
    pub documented: bool,
}

/// A head longer than this is not a claim's head: it bounds the work on hostile lines.
const MAX_HEAD_BYTES: usize = 200;
const MAX_SEPARATORS: usize = 12;
const MAX_HEAD_WORDS: usize = 12;
const QUOTE_CHARS: &[char] = &['"', '\'', '“', '”', '‘', '’', '«', '»'];

/// Reads one line of a block. The documented grammar comes first, so a line it accepts means
/// what it always meant; the tolerant reading only sees lines it rejects, and when neither
/// understands a line, the documented grammar's reason is the one reported.
pub(super) fn read(line: &str, ids: IdRule, section: Section) -> Result<Read, &'static str> {
    let line = line.trim();
    match documented(strip_bullet(line), ids) {
        Ok(entry) => Ok(Read {
            entry,
            guesses: Vec::new(),
            documented: true,
        }),
        Err(why) => tolerant(line, ids, section).ok_or(why),
    }
}

/// Whether a line outside any claims fence is a claim or a concession: read with strict ids.
pub(super) fn claims_shaped(line: &str) -> bool {
    read(line, IdRule::Strict, Section::Claims).is_ok()
}

/// Whether a line starts like an entry (`A1 ...`, `**A1**: ...`, `concede ...`, `I concede ...`),
/// even if it is broken: used to tell a block's lines from the prose after it.
pub(super) fn entry_like(line: &str) -> bool {
    let mut ignored = Vec::new();
    let body = strip_markers(line, &mut ignored);
    let trim = |w: &str| {
        w.trim_matches(|c: char| {
            matches!(c, '*' | '`' | '[' | ']' | '(' | ')' | ':' | '.' | ',')
                || QUOTE_CHARS.contains(&c)
        })
        .to_string()
    };
    let mut words = body.split_whitespace().map(trim).filter(|w| !w.is_empty());
    let mut first = words.next();
    if first
        .as_deref()
        .is_some_and(|w| w.eq_ignore_ascii_case("claim"))
    {
        first = words.next();
    }
    let Some(first) = first else { return false };
    let second = words.next();
    if is_strict_id(&first) {
        return second.is_some();
    }
    vocab::is_concede_word(&first)
        || (matches!(first.to_ascii_lowercase().as_str(), "i" | "we")
            && second.is_some_and(|w| vocab::is_concede_word(&w)))
}

/// The one bullet the documented grammar allows.
pub(super) fn strip_bullet(line: &str) -> &str {
    line.strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .unwrap_or(line)
        .trim()
}

/// The documented grammar (see `docs/claims-format.md`), with ids checked by `ids`.
fn documented(line: &str, ids: IdRule) -> Result<Entry, &'static str> {
    let (head, text) = line.split_once(':').ok_or(warn::NO_COLON)?;
    let text = clean_text(text);
    let words: Vec<&str> = head.split_whitespace().collect();
    match words.as_slice() {
        [verb, target] if vocab::is_documented_concede(verb) => {
            Ok(Entry::Concessions(vec![Concession {
                target: node_ref(target, ids)?,
                reason: text,
            }]))
        }
        [id, relation, target] => {
            if text.is_empty() {
                return Err(warn::EMPTY_TEXT);
            }
            let relation = vocab::relation_of(relation)
                .filter(|r| r.documented)
                .ok_or(warn::BAD_RELATION)?
                .relation;
            let id = claim_id(id, ids)?;
            Ok(Entry::Claim(Claim {
                id,
                relation,
                target: node_ref(target, ids)?,
                text,
                source: ClaimSource::Block,
            }))
        }
        _ => Err(warn::HEAD_WORDS),
    }
}

pub(super) fn claim_id(s: &str, ids: IdRule) -> Result<String, &'static str> {
    let s = s.trim_matches(['[', ']']);
    if is_root(s) {
        Err(warn::ROOT_NAMED)
    } else if ids.accepts(s) {
        Ok(s.to_string())
    } else {
        Err(warn::BAD_ID)
    }
}

/// A reference to an existing node: `root` (any case) or a claim id.
fn node_ref(s: &str, ids: IdRule) -> Result<String, &'static str> {
    let s = s.trim_matches(['[', ']']);
    if is_root(s) {
        Ok(ROOT_ID.to_string())
    } else if ids.accepts(s) {
        Ok(s.to_string())
    } else {
        Err(warn::BAD_TARGET)
    }
}

/// The target named by `words`, and the guess it took: `root`, an id, `the root`, `the main
/// question`, `claim B2`.
pub(super) fn target_of(words: &[String], ids: IdRule) -> Option<(String, Option<String>)> {
    match words {
        [w] if is_root(w) => return Some((ROOT_ID.to_string(), None)),
        [w] if ids.accepts(w) => return Some((w.clone(), None)),
        _ => {}
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    if vocab::is_root_phrase(&lower) {
        return Some((ROOT_ID.to_string(), Some(warn::root(&lower.join(" ")))));
    }
    match (lower.as_slice(), words) {
        ([noun, _], [_, id])
            if matches!(noun.as_str(), "claim" | "node" | "point")
                && ids.accepts(id)
                && !is_root(id) =>
        {
            Some((id.clone(), Some(warn::noun_before_id(noun))))
        }
        _ => None,
    }
}

/// Where a line's head may end and its text begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SepKind {
    Colon,
    WideColon,
    Dash(&'static str),
    /// Just after a closing bracket: `A1 (supports root) text`.
    Bracket,
    /// An opening bracket, only after a concession: `concede B3 (costs were high)`.
    Paren,
    /// The end of the line, only after a concession: `I concede B3`.
    End,
}

#[derive(Debug, Clone, Copy)]
struct Sep {
    head_end: usize,
    text_start: usize,
    kind: SepKind,
}

/// Every place the head could end, left to right: the first that gives a readable head wins, so
/// `A1 supports root - text: more` splits at the dash and `A1 supports root: a - b` at the colon.
fn separators(body: &str) -> Vec<Sep> {
    let mut out = Vec::new();
    let mut prev_ws = true;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if i > MAX_HEAD_BYTES || out.len() >= MAX_SEPARATORS {
            break;
        }
        let end = i + c.len_utf8();
        let next = chars.peek().map(|&(_, n)| n);
        let sep = |head_end, text_start, kind| Sep {
            head_end,
            text_start,
            kind,
        };
        match c {
            ':' => out.push(sep(i, end, SepKind::Colon)),
            '：' => out.push(sep(i, end, SepKind::WideColon)),
            '—' => out.push(sep(i, end, SepKind::Dash("—"))),
            '–' => out.push(sep(i, end, SepKind::Dash("–"))),
            '-' if prev_ws && next == Some('-') => {
                out.push(sep(i, end + 1, SepKind::Dash("--")));
                chars.next();
            }
            '-' if prev_ws && next.is_none_or(char::is_whitespace) => {
                out.push(sep(i, end, SepKind::Dash("-")));
            }
            ')' | ']' => out.push(sep(end, end, SepKind::Bracket)),
            '(' => out.push(sep(i, end, SepKind::Paren)),
            _ => {}
        }
        prev_ws = c.is_whitespace();
    }
    if body.len() <= MAX_HEAD_BYTES {
        out.push(Sep {
            head_end: body.len(),
            text_start: body.len(),
            kind: SepKind::End,
        });
    }
    out
}

/// The forms the documented grammar rejects, each read with a guess.
fn tolerant(line: &str, ids: IdRule, section: Section) -> Option<Read> {
    let mut guesses = Vec::new();
    let body = strip_markers(line, &mut guesses);
    for sep in separators(body) {
        let (Some(head), Some(rest)) = (body.get(..sep.head_end), body.get(sep.text_start..))
        else {
            continue;
        };
        let Some(head) = read_head(head, ids, section) else {
            continue;
        };
        let (text, kind) = text_after(rest, sep.kind);
        let sep_guess = match kind {
            SepKind::Colon => None,
            SepKind::WideColon => Some(warn::WIDE_COLON.to_string()),
            SepKind::Dash(d) => Some(warn::dash(d)),
            SepKind::Bracket => Some(warn::AFTER_BRACKET.to_string()),
            SepKind::Paren => Some(warn::CONCESSION_PAREN.to_string()),
            SepKind::End => Some(warn::CONCESSION_NO_REASON.to_string()),
        };
        let entry = match head.kind {
            HeadKind::Claim {
                id,
                relation,
                target,
            } => {
                if text.is_empty() || matches!(kind, SepKind::Paren | SepKind::End) {
                    continue;
                }
                Entry::Claim(Claim {
                    id,
                    relation,
                    target,
                    text,
                    source: ClaimSource::Tolerant,
                })
            }
            HeadKind::Concede(targets) => Entry::Concessions(
                targets
                    .into_iter()
                    .map(|target| Concession {
                        target,
                        reason: text.clone(),
                    })
                    .collect(),
            ),
        };
        guesses.extend(head.guesses);
        guesses.extend(sep_guess);
        return Some(Read {
            entry,
            guesses,
            documented: false,
        });
    }
    None
}

/// The claim's text after a separator, and the separator it really was (a closing bracket is
/// often followed by the ':' or dash).
fn text_after(rest: &str, kind: SepKind) -> (String, SepKind) {
    let mut t = rest.trim_start();
    let mut kind = kind;
    if kind == SepKind::Bracket {
        let after = t.trim_start_matches(['*', '_']).trim_start();
        for (prefix, k) in [
            (":", SepKind::Colon),
            ("：", SepKind::WideColon),
            ("—", SepKind::Dash("—")),
            ("–", SepKind::Dash("–")),
            ("- ", SepKind::Dash("-")),
        ] {
            if let Some(r) = after.strip_prefix(prefix) {
                t = r;
                kind = k;
                break;
            }
        }
    }
    if kind == SepKind::Paren {
        t = t.trim_end().strip_suffix(')').unwrap_or(t);
    }
    (clean_text(strip_stray_emphasis(t)), kind)
}

/// List markers before the entry: `- ` and `* ` are documented; others are guesses.
fn strip_markers<'a>(line: &'a str, guesses: &mut Vec<String>) -> &'a str {
    let mut s = line.trim();
    for _ in 0..3 {
        if let Some(r) = s.strip_prefix("- ").or_else(|| s.strip_prefix("* ")) {
            s = r.trim_start();
        } else if let Some(r) = ["+ ", "• ", "· ", "‣ ", "◦ ", "– ", "— "]
            .iter()
            .find_map(|m| s.strip_prefix(m))
        {
            guesses.push(warn::OTHER_BULLETS.to_string());
            s = r.trim_start();
        } else if let Some(r) = s.strip_prefix('>') {
            guesses.push(warn::QUOTE_MARKS.to_string());
            s = r.trim_start();
        } else if let Some(r) = list_number(s) {
            guesses.push(warn::LIST_NUMBERS.to_string());
            s = r.trim_start();
        } else {
            break;
        }
    }
    s
}

/// `1. `, `12) `, `(3) `: the rest of the line after a list number.
fn list_number(s: &str) -> Option<&str> {
    let (open, s) = match s.strip_prefix('(') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let rest = s.get(digits..)?;
    let rest = if open {
        rest.strip_prefix(')')?
    } else {
        rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))?
    };
    rest.starts_with(char::is_whitespace).then_some(rest)
}

/// The words of a head, with what was removed to get them.
#[derive(Debug, Default)]
struct Tokens {
    words: Vec<String>,
    emphasis: bool,
    brackets: bool,
    quotes: bool,
    /// A ':' or a lone dash inside the head (`A1: supports root`, `Concede: B3`).
    inner_sep: bool,
    arrow: bool,
}

fn tokens(head: &str) -> Option<Tokens> {
    let mut t = Tokens::default();
    let mut spaced = String::with_capacity(head.len());
    let mut chars = head.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' => t.emphasis = true,
            '_' if chars.peek() == Some(&'_') => {
                chars.next();
                t.emphasis = true;
            }
            '(' | ')' | '{' | '}' => {
                t.brackets = true;
                spaced.push(' ');
            }
            ':' | '：' => {
                t.inner_sep = true;
                spaced.push(' ');
            }
            ',' | ';' => spaced.push(' '),
            c => spaced.push(c),
        }
    }
    for raw in spaced.split_whitespace() {
        if matches!(raw, "-" | "–" | "—" | "|") {
            t.inner_sep = true;
            continue;
        }
        if vocab::is_arrow(raw) {
            t.arrow = true;
            continue;
        }
        let unquoted = raw.trim_matches(QUOTE_CHARS);
        t.quotes |= unquoted.len() != raw.len();
        let word = unquoted.trim_matches(['[', ']']);
        // Brackets around an id or a target are documented; around a relation they are not.
        t.brackets |= word.len() != unquoted.len() && vocab::relation_of(word).is_some();
        if !word.is_empty() {
            if t.words.len() == MAX_HEAD_WORDS {
                return None;
            }
            t.words.push(word.to_string());
        }
    }
    if let Some(last) = t.words.last_mut() {
        let kept = last.trim_end_matches(['.', '!', '?']).len();
        last.truncate(kept);
        if last.is_empty() {
            t.words.pop();
        }
    }
    Some(t)
}

enum HeadKind {
    Claim {
        id: String,
        relation: Relation,
        target: String,
    },
    Concede(Vec<String>),
}

struct Head {
    kind: HeadKind,
    guesses: Vec<String>,
}

fn read_head(head: &str, ids: IdRule, section: Section) -> Option<Head> {
    let t = tokens(head)?;
    let mut guesses = Vec::new();
    let kind = match claim_head(&t, ids, &mut guesses) {
        Some(kind) => kind,
        None => concede_head(&t, section, &mut guesses)?,
    };
    let flags = [
        (t.emphasis, warn::EMPHASIS),
        (t.brackets, warn::BRACKETS),
        (t.quotes, warn::QUOTES),
    ];
    let mut all: Vec<String> = flags
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, g)| g.to_string())
        .collect();
    all.append(&mut guesses);
    Some(Head { kind, guesses: all })
}

/// `[Claim] ID RELATION TARGET`, or `ID → TARGET RELATION`.
fn claim_head(t: &Tokens, ids: IdRule, guesses: &mut Vec<String>) -> Option<HeadKind> {
    let w = &t.words;
    let claim_word = w.len() > 3 && w.first()?.eq_ignore_ascii_case("claim");
    let w = if claim_word {
        w.get(1..)?
    } else {
        w.as_slice()
    };
    let (id, rest) = w.split_first()?;
    if is_root(id) || !ids.accepts(id) {
        return None;
    }
    // The relation and the target, from the relation's words and the target's words.
    let read = |relation_words: &[String], target_words: &[String]| {
        let r = vocab::relation_at(relation_words).filter(|r| r.words == relation_words.len())?;
        let (target, target_guess) = target_of(target_words, ids)?;
        let phrase = relation_words.join(" ").to_ascii_lowercase();
        let relation_guess = (!r.documented).then(|| warn::relation(&phrase, r.relation.as_str()));
        Some((r.relation, target, [relation_guess, target_guess]))
    };
    let (relation, target, found) = match vocab::relation_at(rest) {
        Some(r) => read(rest.get(..r.words)?, rest.get(r.words..)?)?,
        // An arrow puts the relation after the target: `A1 → root (supports)`.
        None if t.arrow => (1..=3).find_map(|k| {
            let split = rest.len().checked_sub(k)?;
            read(rest.get(split..)?, rest.get(..split)?)
        })?,
        None => return None,
    };
    let flags = [
        (claim_word, warn::CLAIM_WORD),
        (t.inner_sep, warn::HEAD_SEPARATOR),
        (t.arrow, warn::ARROW),
    ];
    guesses.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, g)| g.to_string()),
    );
    guesses.extend(found.into_iter().flatten());
    Some(HeadKind::Claim {
        id: id.clone(),
        relation,
        target,
    })
}

/// Words that may sit between `concede` and the id: `I concede the point on B3`.
const CONCEDE_FILLER: &[&str] = &[
    "the", "point", "points", "claim", "claims", "on", "to", "node",
];

/// `concede B3`, `I concede B3`, `Concession: B3`, `concede B3 and B4`, or, under a
/// `Concessions` heading, `B3` alone. Outside the documented form the ids must look like ids
/// (`B3`, not `that`), so `I concede that pricing works` is not a concession of `that`.
fn concede_head(t: &Tokens, section: Section, guesses: &mut Vec<String>) -> Option<HeadKind> {
    let w = &t.words;
    let mut i = 0;
    let mut form = t.inner_sep;
    if w.first()
        .is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "i" | "we"))
    {
        i = 1;
        form = true;
    }
    let verb = w.get(i)?;
    let by_section = if vocab::is_concede_word(verb) {
        form |= !vocab::is_documented_concede(verb);
        i += 1;
        false
    } else if section == Section::Concessions && i == 0 {
        true
    } else {
        return None;
    };
    while w
        .get(i)
        .is_some_and(|x| CONCEDE_FILLER.contains(&x.to_ascii_lowercase().as_str()))
    {
        i += 1;
        form = true;
    }
    let mut targets = Vec::new();
    for word in w.get(i..)? {
        if word.eq_ignore_ascii_case("and") || word == "&" {
            continue;
        }
        if is_root(word) {
            targets.push(ROOT_ID.to_string());
        } else if is_strict_id(word) {
            targets.push(word.clone());
        } else {
            return None;
        }
    }
    if targets.is_empty() {
        return None;
    }
    if by_section {
        guesses.push(warn::CONCESSION_SECTION.to_string());
    } else if form {
        guesses.push(warn::CONCESSION_FORM.to_string());
    }
    if targets.len() > 1 {
        guesses.push(warn::CONCESSION_LIST.to_string());
    }
    Some(HeadKind::Concede(targets))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(line: &str) -> (String, Relation, String, String, Vec<String>) {
        let r =
            read(line, IdRule::Strict, Section::Claims).unwrap_or_else(|e| panic!("{line}: {e}"));
        match r.entry {
            Entry::Claim(c) => (c.id, c.relation, c.target, c.text, r.guesses),
            Entry::Concessions(c) => panic!("{line}: concession {c:?}"),
        }
    }

    fn concessions(line: &str, section: Section) -> (Vec<String>, String, Vec<String>) {
        let r = read(line, IdRule::Strict, section).unwrap_or_else(|e| panic!("{line}: {e}"));
        match r.entry {
            Entry::Concessions(c) => (
                c.iter().map(|c| c.target.clone()).collect(),
                c.first().map(|c| c.reason.clone()).unwrap_or_default(),
                r.guesses,
            ),
            Entry::Claim(c) => panic!("{line}: claim {c:?}"),
        }
    }

    #[test]
    fn the_documented_grammar_needs_no_guess() {
        let r = read(
            "- [A1] Supports ROOT: Pricing works.",
            IdRule::Loose,
            Section::Claims,
        )
        .unwrap();
        assert!(r.documented && r.guesses.is_empty());
        let (id, rel, target, text, g) = claim("A2 refutes B1: No.");
        assert_eq!(
            (id.as_str(), rel, target.as_str(), text.as_str()),
            ("A2", Relation::Attacks, "B1", "No.")
        );
        assert!(g.is_empty());
    }

    #[test]
    fn drifted_claim_lines_are_read_with_their_guesses() {
        // line, then the id, relation, target, text and guesses it must give
        type Case<'a> = (&'a str, &'a str, Relation, &'a str, &'a str, &'a [&'a str]);
        let cases: &[Case] = &[
            (
                "1. A1 supports root: Pricing works.",
                "A1",
                Relation::Supports,
                "root",
                "Pricing works.",
                &[warn::LIST_NUMBERS],
            ),
            (
                "**A1** supports root: Bold id.",
                "A1",
                Relation::Supports,
                "root",
                "Bold id.",
                &[warn::EMPHASIS],
            ),
            (
                "**A1 supports root:** Bold head.",
                "A1",
                Relation::Supports,
                "root",
                "Bold head.",
                &[warn::EMPHASIS],
            ),
            (
                "A1 supports the root: The root.",
                "A1",
                Relation::Supports,
                "root",
                "The root.",
                &["read 'the root' as root"],
            ),
            (
                "A1 supports the question: Q.",
                "A1",
                Relation::Supports,
                "root",
                "Q.",
                &["read 'the question' as root"],
            ),
            (
                "A1 supports root - Dash text.",
                "A1",
                Relation::Supports,
                "root",
                "Dash text.",
                &["read '-' after the target as the ':' before the claim text"],
            ),
            (
                "A1 supports root — Em dash: with a colon.",
                "A1",
                Relation::Supports,
                "root",
                "Em dash: with a colon.",
                &["read '—' after the target as the ':' before the claim text"],
            ),
            (
                "A1 [supports] [root]: Brackets.",
                "A1",
                Relation::Supports,
                "root",
                "Brackets.",
                &[warn::BRACKETS],
            ),
            (
                "A1 (attacks B2): Parens.",
                "A1",
                Relation::Attacks,
                "B2",
                "Parens.",
                &[warn::BRACKETS],
            ),
            (
                "Claim A1 (supports root): Claim word.",
                "A1",
                Relation::Supports,
                "root",
                "Claim word.",
                &[warn::BRACKETS, warn::CLAIM_WORD],
            ),
            (
                "A1: supports root: Colon after id.",
                "A1",
                Relation::Supports,
                "root",
                "Colon after id.",
                &[warn::HEAD_SEPARATOR],
            ),
            (
                "A1 → root (supports): Arrow.",
                "A1",
                Relation::Supports,
                "root",
                "Arrow.",
                &[warn::BRACKETS, warn::ARROW],
            ),
            (
                "B2 contradicts A1: Synonym.",
                "B2",
                Relation::Attacks,
                "A1",
                "Synonym.",
                &["read 'contradicts' as attacks"],
            ),
            (
                "B2 argues against A1: Phrase.",
                "B2",
                Relation::Attacks,
                "A1",
                "Phrase.",
                &["read 'argues against' as attacks"],
            ),
            (
                "A3 attacks claim B2: Noun.",
                "A3",
                Relation::Attacks,
                "B2",
                "Noun.",
                &["read 'claim <id>' as the id"],
            ),
            (
                "+ A1 supports root: Plus.",
                "A1",
                Relation::Supports,
                "root",
                "Plus.",
                &[warn::OTHER_BULLETS],
            ),
            (
                "A1 (supports root) No separator.",
                "A1",
                Relation::Supports,
                "root",
                "No separator.",
                &[warn::BRACKETS, warn::AFTER_BRACKET],
            ),
            (
                "“A1” supports root: Quotes.",
                "A1",
                Relation::Supports,
                "root",
                "Quotes.",
                &[warn::QUOTES],
            ),
        ];
        for (line, id, rel, target, text, guesses) in cases {
            let got = claim(line);
            assert_eq!(
                (got.0.as_str(), got.1, got.2.as_str(), got.3.as_str()),
                (*id, *rel, *target, *text),
                "{line}"
            );
            assert_eq!(
                got.4,
                guesses.iter().map(|g| g.to_string()).collect::<Vec<_>>(),
                "{line}"
            );
        }
    }

    #[test]
    fn drifted_concessions() {
        let (t, reason, g) = concessions("I concede B3", Section::Claims);
        assert_eq!((t, reason.as_str()), (vec!["B3".to_string()], ""));
        assert_eq!(g, [warn::CONCESSION_FORM, warn::CONCESSION_NO_REASON]);
        let (t, reason, g) = concessions("Concede: B3 - costs were high", Section::Claims);
        assert_eq!(
            (t, reason.as_str()),
            (vec!["B3".to_string()], "costs were high")
        );
        assert_eq!(g, [warn::CONCESSION_FORM.to_string(), warn::dash("-")]);
        let (t, _, g) = concessions("concede B3 and B4: both fair", Section::Claims);
        assert_eq!(t, ["B3", "B4"]);
        assert_eq!(g, [warn::CONCESSION_LIST]);
        let (t, reason, g) = concessions("- B3: fair point", Section::Concessions);
        assert_eq!((t, reason.as_str()), (vec!["B3".to_string()], "fair point"));
        assert_eq!(g, [warn::CONCESSION_SECTION]);
        let (_, reason, g) = concessions("concede B3 (the cost point)", Section::Claims);
        assert_eq!(reason, "the cost point");
        assert_eq!(g, [warn::CONCESSION_PAREN]);
    }

    #[test]
    fn prose_is_not_claims() {
        for line in [
            "1. Pricing supports growth: it funds transit.",
            "I concede that pricing works.",
            "The data supports the root: traffic fell.",
            "A1 supports root",
            "A1 supports root and more: text",
            "My opponent's B2 attacks root: but it fails.",
            "B2 attacks the question's framing: it is loaded.",
            "Note: A1 supports root",
        ] {
            assert!(!claims_shaped(line), "{line}");
        }
    }

    #[test]
    fn errors_are_the_documented_grammar_s() {
        let err = |l: &str| read(l, IdRule::Loose, Section::Claims).err();
        assert_eq!(err("no colon here"), Some(warn::NO_COLON));
        assert_eq!(err("A3 supports root:"), Some(warn::EMPTY_TEXT));
        assert_eq!(err("A2 loves B1: what"), Some(warn::BAD_RELATION));
        assert_eq!(err("root supports A1: sneaky"), Some(warn::ROOT_NAMED));
        assert_eq!(err("!!! attacks A1: bad id"), Some(warn::BAD_ID));
        assert_eq!(err("A4 supports A1 extra: x"), Some(warn::HEAD_WORDS));
    }

    #[test]
    fn entry_like_lines() {
        for l in [
            "A1 loves B1: x",
            "**A1**: text",
            "concede",
            "I concede that",
            "Claim A1 x",
        ] {
            assert!(entry_like(l), "{l}");
        }
        for l in ["Pricing works.", "A1", "In short: A1 supports root", ""] {
            assert!(!entry_like(l), "{l}");
        }
    }
}
