//! When a turn's claims need a second request, and what the turn is finished with.
//!
//! A speech's stream may bring its claims as JSON (a tool call), say that they come later (the
//! wire gives them only by a second request), or bring neither. When the speech is done the
//! engine decides: structured claims are used as they are; claims promised for later, or
//! (with repair on) claims that cannot be read from the text, are asked for by one follow-up
//! request. The turn stays streaming while it runs ("reading claims…"), so that
//! `Session::finish_turn_with` applies its claims to the tree exactly once, when the answer is
//! in. A follow-up is never retried and never counts as a retry of the turn; a failed one
//! leaves the turn with what its text gives, and a warning.

use super::{Activity, Engine, Output};
use crate::domain::claims::{self, ClaimSource};
use crate::domain::{
    Finish, Followup, FollowupPurpose, Side, Supplied, TurnOutcome, TurnStats, TurnStatus,
};
use crate::providers::{FollowupReply, ProviderError, StreamEvent, TurnSpec};
use time::OffsetDateTime;

/// Send a follow-up request for a turn's claims; its answer comes back as
/// [`super::Input::Followup`].
#[derive(Debug, Clone, PartialEq)]
pub struct FollowupSpec {
    pub spec: TurnSpec,
    pub purpose: FollowupPurpose,
}

/// What the claims of the requests under way have brought so far, and the follow-ups out.
#[derive(Debug, Clone, Default)]
pub(super) struct Claims {
    gathered: Vec<Gathered>,
    pending: Vec<Pending>,
    /// Notes of requests that failed, kept for the turn's next request: a refusal happened
    /// once, and the retried speech (which no longer asks) would not say so again.
    carried: Vec<(usize, Vec<String>)>,
}

/// Claims-related items of one request's stream.
#[derive(Debug, Clone)]
struct Gathered {
    turn: usize,
    attempt: u32,
    json: Option<String>,
    later: bool,
    notes: Vec<String>,
}

/// A follow-up under way: the speech it follows is done and waits to be finished.
#[derive(Debug, Clone)]
struct Pending {
    turn: usize,
    attempt: u32,
    purpose: FollowupPurpose,
    since: OffsetDateTime,
    stats: TurnStats,
    notes: Vec<String>,
}

impl Claims {
    /// Whether a follow-up is under way (the engine starts no new turn meanwhile).
    pub(super) fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Keeps a claims item of request `attempt` of `turn`; `false` for other items.
    pub(super) fn gather(&mut self, turn: usize, attempt: u32, event: &StreamEvent) -> bool {
        let slot = |gathered: &mut Vec<Gathered>| -> usize {
            match gathered
                .iter()
                .position(|g| g.turn == turn && g.attempt == attempt)
            {
                Some(i) => i,
                None => {
                    gathered.push(Gathered {
                        turn,
                        attempt,
                        json: None,
                        later: false,
                        notes: Vec::new(),
                    });
                    gathered.len() - 1
                }
            }
        };
        match event {
            StreamEvent::Claims(raw) => {
                let i = slot(&mut self.gathered);
                if let Some(g) = self.gathered.get_mut(i) {
                    g.json = Some(raw.clone());
                }
            }
            StreamEvent::ClaimsLater => {
                let i = slot(&mut self.gathered);
                if let Some(g) = self.gathered.get_mut(i) {
                    g.later = true;
                }
            }
            StreamEvent::Note(note) => {
                let i = slot(&mut self.gathered);
                if let Some(g) = self.gathered.get_mut(i) {
                    g.notes.push(note.clone());
                }
            }
            StreamEvent::Delta(_) | StreamEvent::Done(_) => return false,
        }
        true
    }

    /// Forgets what a request brought (it failed, or was stopped or replaced), but its notes.
    pub(super) fn forget(&mut self, turn: usize, attempt: u32) {
        let Some(g) = self.take(turn, attempt) else {
            return;
        };
        if !g.notes.is_empty() {
            self.carried.push((turn, g.notes));
        }
    }

    /// The notes carried from the turn's earlier requests, then `notes`.
    fn notes_of(&mut self, turn: usize, notes: Vec<String>) -> Vec<String> {
        let mut all = Vec::new();
        self.carried.retain_mut(|(t, carried)| {
            if *t == turn {
                all.append(carried);
                false
            } else {
                true
            }
        });
        all.extend(notes);
        all
    }

    fn take(&mut self, turn: usize, attempt: u32) -> Option<Gathered> {
        let i = self
            .gathered
            .iter()
            .position(|g| g.turn == turn && g.attempt == attempt)?;
        Some(self.gathered.remove(i))
    }

    pub(super) fn activity(&self) -> impl Iterator<Item = Activity> + '_ {
        self.pending.iter().map(|p| Activity::ReadingClaims {
            turn: p.turn,
            since: p.since,
        })
    }
}

/// Why a follow-up that never answered is recorded as it is.
const STOPPED: &str = "stopped before the claims were read; the turn's text gave its claims";

impl Engine {
    /// Request `attempt` of `turn` finished its speech with `stats`: finishes the turn, or
    /// first asks for its claims.
    pub(super) fn speech_done(
        &mut self,
        turn: usize,
        attempt: u32,
        stats: TurnStats,
        outcome: TurnOutcome,
        now: OffsetDateTime,
    ) {
        let gathered = self.claims.take(turn, attempt);
        let (json, later, notes) =
            gathered.map_or((None, false, Vec::new()), |g| (g.json, g.later, g.notes));
        let notes = self.claims.notes_of(turn, notes);
        if !self.is_live() {
            let finish = self.recorded_finish(turn);
            return self.finish_speech(turn, outcome, stats, finish, now);
        }
        if outcome != TurnOutcome::Complete {
            return self.finish_speech(turn, outcome, stats, Finish::default(), now);
        }
        if let Some(raw) = json {
            let finish = Finish {
                claims: Supplied::Json {
                    raw,
                    source: ClaimSource::Structured,
                },
                notes,
                followups: Vec::new(),
            };
            return self.finish_speech(turn, outcome, stats, finish, now);
        }
        let purpose = if later {
            Some(FollowupPurpose::Structured)
        } else if self.repairs(turn) {
            Some(FollowupPurpose::Repair)
        } else {
            None
        };
        let Some(purpose) = purpose else {
            let finish = Finish {
                notes,
                ..Finish::default()
            };
            return self.finish_speech(turn, outcome, stats, finish, now);
        };
        let Some(spec) = self.new_attempt(turn) else {
            return;
        };
        self.claims.pending.push(Pending {
            turn,
            attempt: spec.attempt,
            purpose,
            since: now,
            stats,
            notes,
        });
        self.out
            .push(Output::Followup(FollowupSpec { spec, purpose }));
    }

    /// Whether a complete speech's claims should be asked for again: repair is on for its
    /// side and its text gives none (see `claims::unreadable`).
    fn repairs(&self, turn: usize) -> bool {
        let Some(t) = self.session.turn(turn) else {
            return false;
        };
        let side = match t.side {
            Side::A => 0,
            Side::B => 1,
        };
        let on = self.cfg.repair_claims.get(side).copied().unwrap_or(false);
        on && claims::unreadable(&claims::parse(&t.text), &t.text)
    }

    /// A replay finishes each turn with the recording's claims, not by reading its text again:
    /// structured, repaired or extracted claims are not in the text.
    fn recorded_finish(&self, turn: usize) -> Finish {
        match self.recording().and_then(|r| r.turn(turn)) {
            Some(t) if t.status == TurnStatus::Complete => Finish {
                claims: Supplied::Recorded {
                    claims: t.claims.clone(),
                    concessions: t.concessions.clone(),
                    warnings: t.warnings.clone(),
                },
                notes: Vec::new(),
                followups: t.followups.clone(),
            },
            _ => Finish::default(),
        }
    }

    /// The answer of follow-up `attempt` for `turn` came: the turn is finished with it.
    pub(super) fn on_followup(
        &mut self,
        turn: usize,
        attempt: u32,
        result: Result<FollowupReply, ProviderError>,
        now: OffsetDateTime,
    ) {
        let Some(i) = self
            .claims
            .pending
            .iter()
            .position(|p| p.turn == turn && p.attempt == attempt)
        else {
            return;
        };
        let p = self.claims.pending.remove(i);
        let mut notes = p.notes;
        let source = match p.purpose {
            FollowupPurpose::Structured => ClaimSource::Structured,
            FollowupPurpose::Repair => ClaimSource::Repair,
        };
        let mut record = Followup {
            purpose: p.purpose,
            started_at: p.since,
            finished_at: Some(now),
            stats: TurnStats::default(),
            error: None,
        };
        let claims = match result {
            Ok(reply) => {
                notes.extend(reply.note);
                record.stats = reply.stats;
                if reply.json {
                    Supplied::Json {
                        raw: reply.text,
                        source,
                    }
                } else {
                    Supplied::Block {
                        raw: reply.text,
                        source,
                    }
                }
            }
            Err(e) => {
                notes.push(format!(
                    "asking for the claims again failed ({}); the turn's text gave its claims",
                    e.message.trim_end_matches('.')
                ));
                record.error = Some(e.message);
                Supplied::FromText
            }
        };
        let finish = Finish {
            claims,
            notes,
            followups: vec![record],
        };
        self.finish_speech(turn, TurnOutcome::Complete, p.stats, finish, now);
    }

    /// Stops the follow-ups under way: their turns are finished with what their text gives.
    /// Returns how many there were.
    pub(super) fn settle_followups(&mut self, now: OffsetDateTime) -> usize {
        let pending = std::mem::take(&mut self.claims.pending);
        let count = pending.len();
        for p in pending {
            self.out.push(Output::Cancel {
                turn: p.turn,
                attempt: p.attempt,
            });
            let mut notes = p.notes;
            notes.push(STOPPED.to_string());
            let finish = Finish {
                claims: Supplied::FromText,
                notes,
                followups: vec![Followup {
                    purpose: p.purpose,
                    started_at: p.since,
                    finished_at: Some(now),
                    stats: TurnStats::default(),
                    error: Some("stopped".into()),
                }],
            };
            self.session.finish_turn_with(
                p.turn,
                TurnOutcome::Complete,
                Some(p.stats),
                finish,
                now,
            );
            self.emit(super::Event::TurnComplete { turn: p.turn });
        }
        count
    }
}

#[cfg(test)]
mod tests;
