//! What the readers of a claims block and of claims JSON gather into: claims, concessions and
//! the warnings about what was guessed, under the per-turn limits.

use super::line::Entry;
use super::text::clean_text;
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

    pub(super) fn tail(&mut self, text: String) {
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
    pub(super) fn extend_claim(&mut self, k: usize, more: &str) -> bool {
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
