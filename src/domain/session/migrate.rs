//! Bringing sessions of earlier schema versions up to this one, where serde defaults are not
//! enough.

use super::Session;
use crate::domain::judge::{JudgeEvent, JudgeEventKind};
use crate::domain::turn::{Attempt, Turn, TurnStatus};

impl Session {
    /// Schema 2 kept every failed or stopped attempt at a turn as a turn of its own, followed
    /// by the attempt that replaced it. Schema 3 keeps them inside the turn they tried to be
    /// (`attempts`), so a turn counts once. Every reference to a turn index (judge events,
    /// annotations, tree nodes, the fork origin) is renumbered to match.
    pub fn fold_failed_attempts(&mut self) {
        let old = std::mem::take(&mut self.turns);
        let count = old.len();
        // Which later turn (old index) each failed or stopped turn was retried as.
        let mut retried_as: Vec<Option<usize>> = vec![None; count];
        for (i, t) in old.iter().enumerate() {
            if matches!(t.status, TurnStatus::Failed | TurnStatus::Stopped) && !t.skipped {
                retried_as[i] = old
                    .iter()
                    .skip(i + 1)
                    .find(|later| {
                        later.scope == t.scope && later.round == t.round && later.side == t.side
                    })
                    .map(|later| later.index);
            }
        }
        if retried_as.iter().all(Option::is_none) {
            self.turns = old;
            self.reindex();
            return;
        }
        // New index of every surviving turn; a folded turn maps to the turn it became.
        let mut new_index: Vec<usize> = vec![0; count];
        let mut survivors: Vec<Turn> = Vec::new();
        let mut pending: Vec<Vec<Attempt>> = vec![Vec::new(); count];
        for (i, t) in old.into_iter().enumerate() {
            match retried_as.get(i).copied().flatten() {
                Some(j) => {
                    let attempt = Attempt {
                        status: t.status,
                        text: t.text,
                        error: t.error,
                        started_at: t.started_at,
                        finished_at: t.finished_at,
                        stats: t.stats,
                    };
                    // Earlier attempts of this one come first.
                    let mut earlier = std::mem::take(&mut pending[i]);
                    earlier.extend(t.attempts);
                    earlier.push(attempt);
                    if let Some(slot) = pending.get_mut(j) {
                        slot.extend(earlier);
                    }
                }
                None => {
                    let mut t = t;
                    let mut attempts = std::mem::take(&mut pending[i]);
                    attempts.append(&mut t.attempts);
                    t.attempts = attempts;
                    new_index[i] = survivors.len();
                    survivors.push(t);
                }
            }
        }
        // A folded turn's references go to the turn it became.
        for i in (0..count).rev() {
            if let Some(j) = retried_as[i] {
                new_index[i] = new_index.get(j).copied().unwrap_or(0);
            }
        }
        // "After turn i" for a folded i means after the last surviving turn before it.
        let mut before: Vec<Option<usize>> = vec![None; count];
        let mut last = None;
        for i in 0..count {
            if retried_as[i].is_none() {
                last = Some(new_index[i]);
            }
            before[i] = last;
        }
        let after = |t: Option<usize>| -> Option<usize> {
            t.and_then(|t| before.get(t).copied().flatten())
        };
        let turn_ref = |t: usize| new_index.get(t).copied().unwrap_or(t);
        let remap_events = |events: &mut Vec<JudgeEvent>| {
            for e in events.iter_mut() {
                e.after_turn = after(e.after_turn);
                if let JudgeEventKind::Annotate { annotation } = &mut e.kind {
                    annotation.turn = annotation.turn.map(turn_ref);
                }
            }
        };
        remap_events(&mut self.judge_events);
        for a in &mut self.annotations {
            a.turn = a.turn.map(turn_ref);
        }
        for j in &mut self.judgements {
            remap_events(&mut j.judge_events);
            for a in &mut j.annotations {
                a.turn = a.turn.map(turn_ref);
            }
        }
        self.tree.renumber_turns(&turn_ref);
        if let Some(f) = &mut self.forked_from {
            f.turns_kept = f
                .turns_kept
                .checked_sub(1)
                .and_then(|t| before.get(t).copied().flatten())
                .map_or(0, |t| t + 1);
        }
        self.set_turns(survivors);
    }
}
