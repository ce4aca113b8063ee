//! Reading a found block: its lines (claims, concessions, YAML-like fields, table rows, headings)
//! or its JSON, into claims and warnings, under the per-turn limit.

use serde_json::{Map, Value};

use super::block::{Body, Found, Kind, Part};
use super::collect::{Collector, Unit};
use super::fields;
use super::json;
use super::line;
use super::record;
use super::text::{IdRule, excerpt};
use super::vocab::{self, Section};
use super::warn;
use super::{ClaimSource, ParsedClaims};

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
