//! Which turns the protocol calls for next, kept as a running index so that asking costs the
//! same at the first turn and the ten-thousandth.

use crate::domain::side::Side;
use crate::domain::turn::Turn;
use std::collections::{BTreeMap, HashMap};

/// Per scope (the main debate, each drill): which sides have played which rounds.
#[derive(Debug, Clone, Default)]
pub(super) struct Slots {
    /// How many turns have been indexed; the index is current when this equals the turn count.
    indexed: usize,
    scopes: HashMap<String, Progress>,
    /// Turns whose words are still arriving.
    streaming: Vec<usize>,
    /// Totals over the leading turns that are finished, and how many those are.
    tally: Totals,
    tallied: usize,
}

/// Words, output tokens and dollars of a stretch of turns, every attempt included.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    pub words: usize,
    pub output_tokens: u64,
    pub cost_usd: f64,
}

impl Totals {
    pub(super) fn add(&mut self, t: &Turn) {
        self.words = self.words.saturating_add(t.word_count());
        self.output_tokens = self
            .output_tokens
            .saturating_add(t.total_output_tokens().unwrap_or(0));
        self.cost_usd += t.total_cost().unwrap_or(0.0);
    }
}

/// The index is derived data: two sessions with the same turns are equal whatever it holds.
impl PartialEq for Slots {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[derive(Debug, Clone, Default)]
struct Progress {
    /// `played[r]`: the sides that have played round `r` (bit 0 for A, bit 1 for B). A map, not
    /// a vector: a round number read from a file may be anything up to 2^32 - 1.
    played: BTreeMap<u32, u8>,
    /// Rounds played by every speaker, counted from the first.
    complete: u32,
}

fn bit(side: Side) -> u8 {
    match side {
        Side::A => 1,
        Side::B => 2,
    }
}

impl Slots {
    /// An index of `turns` built from scratch.
    pub(super) fn build(turns: &[Turn], speakers: &[Side]) -> Slots {
        let mut slots = Slots::default();
        for t in turns {
            slots.push(t);
            if t.counts_as_played() {
                slots.played(t, speakers);
            }
        }
        slots.advance_tally(turns);
        slots
    }

    pub(super) fn is_current(&self, turns: &[Turn]) -> bool {
        self.indexed == turns.len()
    }

    /// Takes the turns that finished at the front of the tally into it.
    pub(super) fn advance_tally(&mut self, turns: &[Turn]) {
        while let Some(t) = turns.get(self.tallied) {
            if !t.status.is_finished() {
                break;
            }
            self.tally.add(t);
            self.tallied += 1;
        }
    }

    /// A finished turn changed (it was reopened): the tally starts again.
    pub(super) fn reset_tally(&mut self, turns: &[Turn]) {
        self.tally = Totals::default();
        self.tallied = 0;
        self.advance_tally(turns);
    }

    /// Totals over all of `turns`: the tally, and the few turns after it.
    pub(super) fn totals(&self, turns: &[Turn]) -> Totals {
        let mut t = self.tally;
        for turn in turns.iter().skip(self.tallied) {
            t.add(turn);
        }
        t
    }

    /// A turn was added to the end.
    pub(super) fn push(&mut self, turn: &Turn) {
        self.indexed += 1;
        if !turn.status.is_finished() {
            self.streaming.push(turn.index);
        }
    }

    /// A turn stopped streaming.
    pub(super) fn finished(&mut self, turn: usize) {
        self.streaming.retain(|&t| t != turn);
    }

    /// A failed turn streams again.
    pub(super) fn reopened(&mut self, turn: usize) {
        if !self.streaming.contains(&turn) {
            self.streaming.push(turn);
        }
    }

    /// A turn now counts as played (complete, or skipped).
    pub(super) fn played(&mut self, turn: &Turn, speakers: &[Side]) {
        let p = self.scopes.entry(turn.scope.clone()).or_default();
        if turn.round == 0 {
            return;
        }
        *p.played.entry(turn.round).or_default() |= bit(turn.side);
        let all: u8 = speakers.iter().map(|&s| bit(s)).fold(0, |a, b| a | b);
        while let Some(next) = p.complete.checked_add(1)
            && p.played.get(&next).is_some_and(|&m| m & all == all)
        {
            p.complete = next;
        }
    }

    pub(super) fn streaming(&self) -> &[usize] {
        &self.streaming
    }

    /// The slots of `scope` the protocol calls for now, in speaking order: the sides of the
    /// first round not fully played that have not played it, given `rounds` rounds.
    pub(super) fn pending(&self, scope: &str, rounds: u32, speakers: &[Side]) -> (u32, Vec<Side>) {
        let (complete, mask) = match self.scopes.get(scope) {
            Some(p) => (
                p.complete,
                p.complete
                    .checked_add(1)
                    .and_then(|next| p.played.get(&next).copied())
                    .unwrap_or(0),
            ),
            None => (0, 0),
        };
        let round = complete.saturating_add(1);
        if round > rounds {
            return (round, Vec::new());
        }
        let missing = speakers
            .iter()
            .copied()
            .filter(|&s| mask & bit(s) == 0)
            .collect();
        (round, missing)
    }
}
