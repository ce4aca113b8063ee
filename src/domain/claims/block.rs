//! Finding a turn's claims block: the documented ```` ```claims ```` fence, or what a model wrote
//! instead (another fence, lines under a `Claims:` heading, bare claim lines, YAML-like fields, a
//! table, JSON), and the blocks right next to it.

use serde_json::Value;

use super::BlockSpan;
use super::fields;
use super::json;
use super::line;
use super::text::IdRule;
use super::vocab::{self, Field, Section};
use super::warn;

/// JSON is only tried at this many lines per turn: each try may read to the end of the text.
const MAX_JSON_TRIES: usize = 16;

/// A turn's text as lines, with their byte offsets.
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// For each line, the first closing fence line at or after it, and the first line with a
    /// fence glued to its end: found once, so that many unclosed fences cost no more than one.
    next_close: Vec<Option<usize>>,
    next_glued: Vec<Option<usize>>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            starts.push(offset);
            offset += line.len();
        }
        let mut lines = Lines {
            text,
            starts,
            next_close: Vec::new(),
            next_glued: Vec::new(),
        };
        let (mut close, mut glued) = (None, None);
        let n = lines.len();
        lines.next_close = vec![None; n];
        lines.next_glued = vec![None; n];
        for i in (0..n).rev() {
            let line = lines.get(i);
            if is_closing_fence(line) {
                close = Some(i);
            }
            if glued_close(line) {
                glued = Some(i);
            }
            if let (Some(c), Some(g)) = (lines.next_close.get_mut(i), lines.next_glued.get_mut(i)) {
                *c = close;
                *g = glued;
            }
        }
        lines
    }

    /// The first line in `from..hi` that closes a fence.
    fn closing(&self, from: usize, hi: usize) -> Option<usize> {
        self.next_close
            .get(from)
            .copied()
            .flatten()
            .filter(|&j| j < hi)
    }

    /// The first line in `from..hi` with a fence glued to its end.
    fn glued(&self, from: usize, hi: usize) -> Option<usize> {
        self.next_glued
            .get(from)
            .copied()
            .flatten()
            .filter(|&j| j < hi)
    }

    fn len(&self) -> usize {
        self.starts.len()
    }

    fn start(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(self.text.len())
    }

    /// The byte after line `i`, its line break included.
    fn end(&self, i: usize) -> usize {
        self.start(i + 1)
    }

    /// Line `i` without its line break (`\n` or `\r\n`).
    pub(super) fn get(&self, i: usize) -> &'a str {
        let line = self
            .text
            .get(self.start(i)..self.end(i))
            .unwrap_or_default();
        let line = line.strip_suffix('\n').unwrap_or(line);
        line.strip_suffix('\r').unwrap_or(line)
    }

    fn blank(&self, i: usize) -> bool {
        self.get(i).trim().is_empty()
    }
}

/// How a part of the block ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Close {
    Closed,
    /// A fence with no closing line: read to the end of the text, or to the prose after it.
    Unclosed {
        to_end: bool,
    },
    /// Not a fence: a heading's lines, bare lines, JSON.
    NotFenced,
}

impl Close {
    pub(super) fn warning(self) -> Option<&'static str> {
        match self {
            Close::Unclosed { to_end: true } => Some(warn::UNCLOSED_TO_END),
            Close::Unclosed { to_end: false } => Some(warn::UNCLOSED_TO_PROSE),
            Close::Closed | Close::NotFenced => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// The documented ```` ```claims ```` fence.
    Exact,
    /// Anything else that holds claims.
    Other,
}

#[derive(Debug)]
pub(super) enum Body {
    /// Lines `from..to`, read with ids checked by `ids`, starting in `section` (a heading above
    /// them may have opened the concessions).
    Lines {
        from: usize,
        to: usize,
        ids: IdRule,
        section: Section,
    },
    Json(Value),
}

/// One block of claims in the text.
#[derive(Debug)]
pub(super) struct Part {
    /// First and one-past-last line, fences and heading included.
    first: usize,
    end: usize,
    /// The first line of the body, from which lines are numbered.
    body_first: usize,
    pub kind: Kind,
    pub body: Body,
    pub close: Close,
    /// A line the closing fence was glued to (`A2 attacks B1: text```).
    pub glued: Option<usize>,
    /// What the part was read as, when it was not a ```claims fence.
    note: Option<String>,
}

/// The block of a turn: its parts, in order, and what was guessed about them.
pub(super) struct Found<'a> {
    pub lines: Lines<'a>,
    pub parts: Vec<Part>,
    pub notes: Vec<String>,
    pub span: BlockSpan,
    /// The line numbered 1 in warnings.
    pub base: usize,
}

/// Finds the block. The last ```` ```claims ```` fence wins, as documented; failing one, the last
/// block of another kind. Blocks right next to it (only blank lines between) join it, so a
/// ```` ```claims ```` fence followed by a `Concessions:` list is read whole.
pub(super) fn locate(text: &str) -> Option<Found<'_>> {
    let lines = Lines::new(text);
    let n = lines.len();
    let (group, others) = match (0..n).rev().find(|&i| is_claims_fence(lines.get(i))) {
        Some(open) => {
            let fe = fence_end(&lines, open, n);
            // A heading just above the fence belongs to the block, not to the prose.
            let first = heading_above(&lines, open).unwrap_or(open);
            let (body, note) = match json_body(&lines, open + 1, fe.body_to) {
                Some(json) => (json, Some(warn::JSON_IN_FENCE.to_string())),
                None => (
                    Body::Lines {
                        from: open + 1,
                        to: fe.body_to,
                        ids: IdRule::Loose,
                        section: Section::Claims,
                    },
                    None,
                ),
            };
            let exact = Part {
                first,
                end: fe.next,
                body_first: open + 1,
                kind: Kind::Exact,
                body,
                close: fe.close,
                glued: fe.glued,
                note,
            };
            let mut before = scan(&lines, 0, first);
            let after = scan(&lines, exact.end, n);
            let joined = adjacent_tail(&lines, &before, first);
            let mut group = before.split_off(joined);
            let mut end = exact.end;
            group.push(exact);
            let mut others = before.len();
            for p in after {
                if others == before.len() && adjacent(&lines, end, p.first) {
                    end = p.end;
                    group.push(p);
                } else {
                    others += 1;
                }
            }
            (group, others)
        }
        None => {
            let mut parts = scan(&lines, 0, n);
            let last = parts.last()?.first;
            let joined = adjacent_tail(&lines, parts.get(..parts.len() - 1)?, last);
            let group = parts.split_off(joined);
            (group, parts.len())
        }
    };
    let (first, last) = (group.first()?, group.last()?);
    let span = BlockSpan {
        start: lines.start(first.first),
        end: lines.end(last.end.saturating_sub(1).max(last.first)),
    };
    let base = first.body_first;
    let mut notes = Vec::new();
    if others > 0 {
        notes.push(warn::others(others));
    }
    if group.len() > 1 {
        notes.push(warn::merged(group.len()));
    }
    notes.extend(group.iter().filter_map(|p| p.note.clone()));
    Some(Found {
        lines,
        parts: group,
        notes,
        span,
        base,
    })
}

/// The index in `parts` from which every part is followed, with only blank lines between, by
/// the next one and finally by line `until`.
fn adjacent_tail(lines: &Lines, parts: &[Part], until: usize) -> usize {
    let mut k = parts.len();
    let mut next = until;
    while let Some(p) = k.checked_sub(1).and_then(|i| parts.get(i)) {
        if !adjacent(lines, p.end, next) {
            break;
        }
        next = p.first;
        k -= 1;
    }
    k
}

fn adjacent(lines: &Lines, end: usize, next: usize) -> bool {
    end <= next && (end..next).all(|i| lines.blank(i))
}

/// Every block other than the documented fence in lines `lo..hi`, in order.
fn scan(lines: &Lines, lo: usize, hi: usize) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut json_tries = 0;
    let mut i = lo;
    while i < hi {
        let l = lines.get(i);
        let found = if let Some(label) = fence_label(l) {
            let fe = fence_end(lines, i, hi);
            match fence_part(lines, i, &fe, label) {
                Some(p) => Some(p),
                // A closed fence of something else (code, a quotation) is skipped whole. An
                // unclosed one may be the stray end of a quotation: the scan goes on after it.
                None if fe.close == Close::Closed => {
                    i = fe.next;
                    continue;
                }
                None => None,
            }
        } else if vocab::heading(l).is_some() {
            heading_part(lines, i, hi, &mut json_tries)
        } else if starts_json(l) && json_tries < MAX_JSON_TRIES {
            json_tries += 1;
            json_part(lines, i, hi, i, None)
        } else if fields_start(lines, i, hi) {
            Some(fields_run(lines, i, hi))
        } else if line::claims_shaped(l) {
            Some(bare_run(lines, i, hi))
        } else {
            None
        };
        match found {
            Some(p) => {
                i = p.end.max(i + 1);
                parts.push(p);
            }
            None => i += 1,
        }
    }
    parts
}

/// The documented opening fence: ```` ```claims ```` or `~~~claims`, any case, alone on its line.
fn is_claims_fence(line: &str) -> bool {
    let t = line.trim();
    let rest = t.strip_prefix("```").or_else(|| t.strip_prefix("~~~"));
    rest.is_some_and(|r| r.trim().eq_ignore_ascii_case("claims"))
}

/// Any line of only backticks and tildes, at least three, closes any fence.
fn is_closing_fence(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with("```") || t.starts_with("~~~")) && t.trim_matches(['`', '~']).is_empty()
}

/// The label of an opening fence of three or more backticks or tildes (empty if none).
fn fence_label(line: &str) -> Option<&str> {
    let t = line.trim();
    let mark = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let count = t.chars().take_while(|&c| c == mark).count();
    let label = t.get(count..)?;
    (count >= 3 && !(mark == '`' && label.contains('`'))).then_some(label.trim())
}

struct FenceEnd {
    body_to: usize,
    next: usize,
    close: Close,
    glued: Option<usize>,
}

/// Where a fence opened at line `open` ends.
fn fence_end(lines: &Lines, open: usize, hi: usize) -> FenceEnd {
    if let Some(j) = lines.closing(open + 1, hi) {
        return FenceEnd {
            body_to: j,
            next: j + 1,
            close: Close::Closed,
            glued: None,
        };
    }
    if let Some(j) = lines.glued(open + 1, hi) {
        return FenceEnd {
            body_to: j + 1,
            next: j + 1,
            close: Close::Closed,
            glued: Some(j),
        };
    }
    let to = prose_after(lines, open + 1, hi);
    FenceEnd {
        body_to: to,
        next: to,
        close: Close::Unclosed { to_end: to == hi },
        glued: None,
    }
}

/// `A2 attacks B1: text```: a closing fence at the end of a line with text before it.
fn glued_close(line: &str) -> bool {
    let t = line.trim();
    !t.starts_with("```")
        && t.strip_suffix("```")
            .is_some_and(|before| !before.trim_end_matches('`').trim().is_empty())
}

/// Where an unclosed fence ends: before the first paragraph (after a blank line) that does not
/// start like claims, since the model forgot the fence and went on writing, or at the next
/// opening fence, where something else starts; else at `hi`.
fn prose_after(lines: &Lines, from: usize, hi: usize) -> usize {
    let mut i = from;
    while i < hi {
        if fence_label(lines.get(i)).is_some() {
            return i;
        }
        if lines.blank(i) {
            match (i + 1..hi).find(|&j| !lines.blank(j)) {
                Some(j) if !claims_ish(lines.get(j), IdRule::Loose) => return i,
                Some(j) => i = j,
                None => return hi,
            }
        }
        i += 1;
    }
    hi
}

/// A line a block of claims may hold: an entry (even a broken one), a field, a table row, a
/// heading.
fn claims_ish(line: &str, ids: IdRule) -> bool {
    line::entry_like(line)
        || line::read(line, ids, Section::Claims).is_ok()
        || fields::is_record_line(line)
        || fields::table_cells(line).is_some()
        || vocab::heading(line).is_some()
}

/// A line that shows the lines around it are claims, with strict ids.
fn claims_proof(line: &str) -> bool {
    line::claims_shaped(line)
        || fields::key_line(line)
            .is_some_and(|k| matches!(vocab::field(k.key), Some(Field::Id | Field::Claim)))
        || fields::table_cells(line).is_some_and(|c| fields::is_header(&c))
}

/// A fence other than the one documented: one labelled as claims (```` ```claims: ````,
/// ```` ````claims ````, ```` ``` claims block ````), or any fence whose content is claims.
fn fence_part(lines: &Lines, open: usize, fe: &FenceEnd, label: &str) -> Option<Part> {
    let open_line = lines.get(open).trim();
    let (from, to) = (open + 1, fe.body_to);
    let part = |kind, body, note| Part {
        first: open,
        end: fe.next,
        body_first: from,
        kind,
        body,
        close: fe.close,
        glued: fe.glued,
        note,
    };
    let lines_body = |ids| Body::Lines {
        from,
        to,
        ids,
        section: Section::Claims,
    };
    if is_claims_fence(open_line) {
        return Some(match json_body(lines, from, to) {
            Some(json) => part(Kind::Exact, json, Some(warn::JSON_IN_FENCE.to_string())),
            None => part(Kind::Exact, lines_body(IdRule::Loose), None),
        });
    }
    let label = label.to_ascii_lowercase();
    if label.contains("claim") || label.contains("concession") {
        let body = json_body(lines, from, to).unwrap_or(lines_body(IdRule::Loose));
        return Some(part(Kind::Other, body, Some(warn::fence(open_line))));
    }
    let note = Some(warn::unlabelled_fence(open_line));
    if let Some(body) = json_body(lines, from, to) {
        return Some(part(Kind::Other, body, note));
    }
    lines_are_claims(lines, from, to).then(|| part(Kind::Other, lines_body(IdRule::Strict), note))
}

/// Whether lines `from..to` of a fence are claims: at least one claim (or claim record), and at
/// least half the lines shaped like a block's lines. Only the first lines are looked at: a block
/// of 12 claims, even as YAML records, fits in them, and longer fences are not read for nothing.
fn lines_are_claims(lines: &Lines, from: usize, to: usize) -> bool {
    const SAMPLE: usize = 80;
    let (mut filled, mut ish, mut proof) = (0usize, 0usize, false);
    for i in from..to {
        let l = lines.get(i);
        if l.trim().is_empty() {
            continue;
        }
        if filled == SAMPLE {
            break;
        }
        filled += 1;
        ish += usize::from(claims_ish(l, IdRule::Strict));
        proof |= claims_proof(l);
    }
    proof && ish * 2 >= filled
}

/// The JSON a fence holds, if it holds only JSON that looks like claims.
fn json_body(lines: &Lines, from: usize, to: usize) -> Option<Body> {
    let first = (from..to).find(|&i| !lines.blank(i))?;
    if !starts_json(lines.get(first)) {
        return None;
    }
    let content = lines.text.get(lines.start(first)..lines.start(to))?;
    let value: Value = serde_json::from_str(content.trim()).ok()?;
    json::looks_like_claims(&value).then_some(Body::Json(value))
}

fn starts_json(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('[') || t.starts_with('{')
}

/// JSON starting at line `at` (after a heading at `first`, or bare), ending at the end of a line.
fn json_part(
    lines: &Lines,
    first: usize,
    hi: usize,
    at: usize,
    heading: Option<&str>,
) -> Option<Part> {
    let (value, end) = json::value_at(lines.text, lines.start(at))?;
    if !json::looks_like_claims(&value) {
        return None;
    }
    let last = (at..hi).find(|&k| lines.end(k) >= end)?;
    if !lines.text.get(end..lines.end(last))?.trim().is_empty() {
        return None;
    }
    Some(Part {
        first,
        end: last + 1,
        body_first: at,
        kind: Kind::Other,
        body: Body::Json(value),
        close: Close::NotFenced,
        glued: None,
        note: Some(heading.map_or(warn::BARE_JSON.to_string(), warn::heading)),
    })
}

/// The line of a heading just above line `at` (blank lines between), if there is one.
fn heading_above(lines: &Lines, at: usize) -> Option<usize> {
    let prev = (0..at).rev().find(|&i| !lines.blank(i))?;
    vocab::heading(lines.get(prev)).map(|_| prev)
}

/// A heading (`Claims:`, `## Claims`, `**Concessions**`) and what follows it: a fence, JSON, or
/// lines shaped like a block's (until the prose resumes).
fn heading_part(lines: &Lines, i: usize, hi: usize, json_tries: &mut usize) -> Option<Part> {
    let heading = lines.get(i).trim();
    let section = vocab::heading(heading)?;
    let j = (i + 1..hi).find(|&j| !lines.blank(j))?;
    let next = lines.get(j);
    if let Some(label) = fence_label(next) {
        let fe = fence_end(lines, j, hi);
        let open_line = next.trim();
        let labelled = is_claims_fence(open_line) || label.to_ascii_lowercase().contains("claim");
        let (from, to) = (j + 1, fe.body_to);
        let body = match json_body(lines, from, to) {
            Some(body) => body,
            None if labelled || (from..to).any(|k| claims_proof(lines.get(k))) => Body::Lines {
                from,
                to,
                ids: if labelled {
                    IdRule::Loose
                } else {
                    IdRule::Strict
                },
                section,
            },
            None => return None,
        };
        let exact = is_claims_fence(open_line);
        return Some(Part {
            first: i,
            end: fe.next,
            body_first: from,
            kind: if exact { Kind::Exact } else { Kind::Other },
            body,
            close: fe.close,
            glued: fe.glued,
            note: (!exact).then(|| warn::heading_fence(heading, open_line)),
        });
    }
    if starts_json(next) && *json_tries < MAX_JSON_TRIES {
        *json_tries += 1;
        return json_part(lines, i, hi, j, Some(heading));
    }
    let mut last = None;
    let mut proof = false;
    for k in j..hi {
        let l = lines.get(k);
        if l.trim().is_empty() {
            continue;
        }
        let continues =
            last.is_some_and(|p: usize| p + 1 == k) && l.starts_with(char::is_whitespace);
        // A heading before any entry ends the body: it opens its own (and a run of headings
        // stays linear).
        let early_heading = !proof && vocab::heading(l).is_some();
        if early_heading || !(continues || claims_ish(l, IdRule::Strict)) {
            break;
        }
        proof |= line::entry_like(l) || claims_proof(l) || fields::table_cells(l).is_some();
        last = Some(k);
    }
    let last = last.filter(|_| proof)?;
    Some(Part {
        first: i,
        end: last + 1,
        body_first: j,
        kind: Kind::Other,
        body: Body::Lines {
            from: j,
            to: last + 1,
            ids: IdRule::Strict,
            section,
        },
        close: Close::NotFenced,
        glued: None,
        note: Some(warn::heading(heading)),
    })
}

/// YAML-like claim records (`- id: A1` then `relation:`, `target:` lines) or a table with a
/// header of claim fields, with no heading above.
fn fields_start(lines: &Lines, i: usize, hi: usize) -> bool {
    let l = lines.get(i);
    if let Some(k) = fields::key_line(l) {
        let opens = matches!(vocab::field(k.key), Some(Field::Id | Field::Claim));
        let related = (i + 1..hi.min(i + 5)).any(|j| {
            fields::key_line(lines.get(j)).is_some_and(|k| {
                matches!(
                    vocab::field(k.key),
                    Some(Field::Relation | Field::Target | Field::Directed(_))
                )
            })
        });
        return opens && related;
    }
    fields::table_cells(l).is_some_and(|c| fields::is_header(&c))
        && fields::table_cells(lines.get(i + 1)).is_some_and(|c| fields::is_rule(&c))
}

fn fields_run(lines: &Lines, i: usize, hi: usize) -> Part {
    let mut last = i;
    for k in i + 1..hi {
        let l = lines.get(k);
        if l.trim().is_empty() {
            continue;
        }
        let continues = last + 1 == k && l.starts_with(char::is_whitespace);
        if !(continues || fields::is_record_line(l) || fields::table_cells(l).is_some()) {
            break;
        }
        last = k;
    }
    bare(i, last, warn::BARE_FIELDS)
}

/// Claim lines with no fence and no heading: only lines that read as claims, with strict ids.
fn bare_run(lines: &Lines, i: usize, hi: usize) -> Part {
    let mut last = i;
    for k in i + 1..hi {
        let l = lines.get(k);
        if l.trim().is_empty() {
            continue;
        }
        if !line::claims_shaped(l) {
            break;
        }
        last = k;
    }
    bare(i, last, warn::BARE_LINES)
}

fn bare(first: usize, last: usize, note: &str) -> Part {
    Part {
        first,
        end: last + 1,
        body_first: first,
        kind: Kind::Other,
        body: Body::Lines {
            from: first,
            to: last + 1,
            ids: IdRule::Strict,
            section: Section::Claims,
        },
        close: Close::NotFenced,
        glued: None,
        note: Some(note.to_string()),
    }
}
