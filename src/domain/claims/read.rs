//! Reading a found block: its lines (claims, concessions, YAML-like fields, table rows, headings)
//! or its JSON, into claims and warnings, under the per-turn limit.

use serde_json::{Map, Value};

use super::block::{Body, Found, Kind, Part};
use super::fields;
use super::json;
use super::line::{self, Entry};
use super::record;
use super::text::{IdRule, clean_text, excerpt};
use super::vocab::{self, Section};
use super::warn;
use super::{Claim, ClaimSource, Concession, MAX_CLAIM_CHARS, MAX_CLAIMS_PER_TURN, ParsedClaims};

/// What a warning about a guess counts: lines of a block, or items of a JSON list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Line,
    ClaimsItem,
    ConcessionsItem,
}

impl Unit {
    pub(super) fn one(self) -> &'static str {
        match self {
            Unit::Line => "claims line",
            Unit::ClaimsItem => "claims item",
            Unit::ConcessionsItem => "concessions item",
        }
    }

    fn many(self) -> &'static str {
        match self {
            Unit::Line => "claims lines",
            Unit::ClaimsItem => "claims items",
            Unit::ConcessionsItem => "concessions items",
        }
    }
}

#[derive(Debug)]
enum Note {
    Plain(String),
    /// One guess, and every line (or item) that needed it.
    Guess {
        unit: Unit,
        text: String,
        at: Vec<usize>,
    },
}

/// Claims, concessions and warnings as they are read, under the per-turn limit.
#[derive(Debug, Default)]
pub(super) struct Collector {
    claims: Vec<Claim>,
    concessions: Vec<Concession>,
    notes: Vec<Note>,
    /// Warnings about the block as a whole, given after the lines' (the closing fence).
    tail: Vec<String>,
    ignored: usize,
}

impl Collector {
    pub(super) fn full(&self) -> bool {
        self.claims.len() + self.concessions.len() >= MAX_CLAIMS_PER_TURN
    }

    /// Counts one line or item skipped because the turn already has its limit of entries.
    pub(super) fn skip(&mut self) {
        self.ignored += 1;
    }

    pub(super) fn note(&mut self, text: String) {
        self.notes.push(Note::Plain(text));
    }

    fn tail(&mut self, text: String) {
        self.tail.push(text);
    }

    /// Records a guess for line or item `n`; the same guess on several lines is one warning.
    pub(super) fn guess(&mut self, unit: Unit, n: usize, text: String) {
        let same = self.notes.iter_mut().find_map(|note| match note {
            Note::Guess {
                unit: u,
                text: t,
                at,
            } if *u == unit && *t == text => Some(at),
            _ => None,
        });
        match same {
            Some(at) => {
                if at.last() != Some(&n) {
                    at.push(n);
                }
            }
            None => self.notes.push(Note::Guess {
                unit,
                text,
                at: vec![n],
            }),
        }
    }

    /// Adds what a line or item said; returns the index of the claim it added, if any.
    pub(super) fn add(
        &mut self,
        entry: Entry,
        source: ClaimSource,
        unit: Unit,
        n: usize,
    ) -> Option<usize> {
        match entry {
            Entry::Claim(mut claim) => {
                if self.full() {
                    self.skip();
                    return None;
                }
                if self
                    .claims
                    .iter()
                    .any(|c| c.id.eq_ignore_ascii_case(&claim.id))
                {
                    self.note(format!(
                        "{} {n}: id {} used twice in this turn; kept the first",
                        unit.one(),
                        claim.id
                    ));
                    return None;
                }
                claim.source = source;
                self.claims.push(claim);
                Some(self.claims.len() - 1)
            }
            Entry::Concessions(list) => {
                for c in list {
                    if self.full() {
                        self.skip();
                    } else {
                        self.concessions.push(c);
                    }
                }
                None
            }
        }
    }

    /// Appends a wrapped line to claim `k`'s text, unless that text was already cut at the limit.
    fn extend_claim(&mut self, k: usize, more: &str) -> bool {
        let Some(claim) = self.claims.get_mut(k) else {
            return false;
        };
        if claim.text.chars().count() > MAX_CLAIM_CHARS {
            return false;
        }
        claim.text = clean_text(&format!("{} {more}", claim.text));
        if claim.source == ClaimSource::Block {
            claim.source = ClaimSource::Tolerant;
        }
        true
    }

    pub(super) fn finish(self) -> ParsedClaims {
        let mut warnings: Vec<String> = self
            .notes
            .into_iter()
            .map(|note| match note {
                Note::Plain(text) => text,
                Note::Guess { unit, text, at } => match at.as_slice() {
                    [n] => format!("{} {n}: {text}", unit.one()),
                    _ => format!("{} {}: {text}", unit.many(), ranges(&at)),
                },
            })
            .collect();
        warnings.extend(self.tail);
        if self.ignored > 0 {
            warnings.push(format!(
                "claims block has more than {MAX_CLAIMS_PER_TURN} entries; ignored {}",
                self.ignored
            ));
        }
        ParsedClaims {
            claims: self.claims,
            concessions: self.concessions,
            warnings,
        }
    }
}

/// `1, 2, 3, 5` as `1-3, 5`.
fn ranges(at: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&start) = at.get(i) {
        let mut end = start;
        while at.get(i + 1) == Some(&(end + 1)) {
            end += 1;
            i += 1;
        }
        out.push(if end == start {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    out.join(", ")
}

/// Reads every part of a found block, in order.
pub(super) fn read(found: &Found) -> ParsedClaims {
    let mut c = Collector::default();
    for note in &found.notes {
        c.note(note.clone());
    }
    for part in &found.parts {
        match &part.body {
            Body::Lines {
                from,
                to,
                ids,
                section,
            } => Lines::new(found, part, *ids, *section).read(*from, *to, &mut c),
            Body::Json(value) => json::read_value(value, &mut c, ClaimSource::Tolerant),
        }
        if let Some(w) = part.close.warning() {
            c.tail(w.to_string());
        }
    }
    c.finish()
}

/// A YAML-like record being gathered, line by line.
struct Record {
    n: usize,
    first: String,
    map: Map<String, Value>,
    last_key: Option<String>,
}

/// The state of reading a block's lines.
struct Lines<'a> {
    found: &'a Found<'a>,
    part: &'a Part,
    ids: IdRule,
    section: Section,
    header: Option<Vec<String>>,
    record: Option<Record>,
    /// The claim the previous line made, which an indented line may continue.
    last_claim: Option<usize>,
    /// Past the limit, inside a record being skipped.
    skipping_record: bool,
}

impl<'a> Lines<'a> {
    fn new(found: &'a Found<'a>, part: &'a Part, ids: IdRule, section: Section) -> Self {
        Lines {
            found,
            part,
            ids,
            section,
            header: None,
            record: None,
            last_claim: None,
            skipping_record: false,
        }
    }

    fn read(mut self, from: usize, to: usize, c: &mut Collector) {
        for i in from..to {
            self.line(i, c);
        }
        self.flush(c);
    }

    fn line(&mut self, i: usize, c: &mut Collector) {
        let n = (i + 1).saturating_sub(self.found.base);
        let mut raw = self.found.lines.get(i);
        if self.part.glued == Some(i) {
            raw = raw.trim_end().trim_end_matches(['`', '~']);
            c.guess(Unit::Line, n, warn::GLUED_FENCE.to_string());
        }
        let t = raw.trim();
        if t.is_empty() {
            self.flush(c);
            self.last_claim = None;
            self.skipping_record = false;
            return;
        }
        if let Some(section) = vocab::heading(t) {
            self.flush(c);
            self.section = section;
            self.header = None;
            self.last_claim = None;
            return;
        }
        let key_line = fields::key_line(raw);
        if c.full() {
            // Count the entries skipped, not each field line of a skipped record.
            let more_fields = self.skipping_record
                && (key_line.as_ref().is_some_and(|k| !k.dash)
                    || raw.starts_with(char::is_whitespace));
            self.flush(c);
            self.skipping_record = key_line.is_some() || more_fields;
            if !more_fields {
                c.skip();
            }
            return;
        }
        let (ids, section) = (self.ids, self.section);
        let as_line = move || line::read(t, ids, section);
        if let Some(cells) = fields::table_cells(t)
            && (t.starts_with('|') || as_line().is_err())
        {
            self.flush(c);
            self.table_row(n, t, &cells, c);
            return;
        }
        if let Some(k) = key_line
            && (self.record.is_some() || as_line().is_err())
        {
            self.field(n, t, k.dash, k.key, k.value, c);
            return;
        }
        if let Some(r) = &mut self.record
            && raw.starts_with(char::is_whitespace)
        {
            // An indented line continues the record's last field.
            if let Some(Value::String(v)) = r.last_key.as_ref().and_then(|k| r.map.get_mut(k)) {
                if !v.is_empty() {
                    v.push(' ');
                }
                v.push_str(t);
            }
            return;
        }
        self.flush(c);
        match as_line() {
            Ok(read) => {
                let exact =
                    self.part.kind == Kind::Exact && read.documented && self.part.glued != Some(i);
                let source = if exact {
                    ClaimSource::Block
                } else {
                    ClaimSource::Tolerant
                };
                for g in read.guesses {
                    c.guess(Unit::Line, n, g);
                }
                self.last_claim = c.add(read.entry, source, Unit::Line, n);
            }
            Err(why) => {
                if raw.starts_with(char::is_whitespace)
                    && let Some(k) = self.last_claim
                    && c.extend_claim(k, t)
                {
                    c.guess(Unit::Line, n, warn::CONTINUATION.to_string());
                    return;
                }
                self.last_claim = None;
                c.note(format!(
                    "claims line {n} not understood ({why}): {}",
                    excerpt(line::strip_bullet(t))
                ));
            }
        }
    }

    fn table_row(&mut self, n: usize, t: &str, cells: &[String], c: &mut Collector) {
        if fields::is_rule(cells) {
            return;
        }
        if self.header.is_none() && fields::is_header(cells) {
            self.header = Some(cells.to_vec());
            return;
        }
        c.guess(Unit::Line, n, warn::TABLE.to_string());
        let map = fields::row(self.header.as_deref(), cells);
        self.record_entry(n, t, map, c);
    }

    fn field(&mut self, n: usize, t: &str, dash: bool, key: &str, value: &str, c: &mut Collector) {
        let repeated = self
            .record
            .as_ref()
            .is_some_and(|r| r.map.contains_key(key));
        if dash || repeated {
            self.flush(c);
        }
        let r = self.record.get_or_insert_with(|| Record {
            n,
            first: t.to_string(),
            map: Map::new(),
            last_key: None,
        });
        r.map.insert(key.to_string(), fields::value_of(value));
        r.last_key = Some(key.to_string());
    }

    fn flush(&mut self, c: &mut Collector) {
        if let Some(r) = self.record.take() {
            c.guess(Unit::Line, r.n, warn::YAML.to_string());
            self.record_entry(r.n, &r.first, Ok(r.map), c);
        }
    }

    fn record_entry(
        &mut self,
        n: usize,
        first: &str,
        map: Result<Map<String, Value>, String>,
        c: &mut Collector,
    ) {
        self.last_claim = None;
        if c.full() {
            c.skip();
            return;
        }
        match map.and_then(|m| record::entry_of(&m, self.section)) {
            Ok(r) => {
                for g in r.guesses {
                    c.guess(Unit::Line, n, g);
                }
                c.add(r.entry, ClaimSource::Tolerant, Unit::Line, n);
            }
            Err(why) => c.note(format!(
                "claims line {n} not understood ({why}): {}",
                excerpt(first)
            )),
        }
    }
}
