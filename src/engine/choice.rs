//! Open roles (Kenton et al. 2024): before the first turn, the debater on the side the seed
//! drew (`assignment.chooser`) is asked which answer it will argue; its side then holds that
//! answer, and in a debate the other side argues the other one. The reply is read tolerantly
//! and kept (`assignment.choice`); one that names no answer, or a request that fails for good,
//! leaves the seeded draw standing, recorded as no choice (`answer: null`).

use super::asks::Purpose;
use super::{Engine, Event};
use crate::domain::assign::{answers_in_order, side_of_answer};
use crate::domain::choice::parse_choice;
use crate::domain::{Choice, Roles, Side};
use std::time::Duration;
use time::OffsetDateTime;

impl Engine {
    /// The side that still has to choose its answer before the debate can begin, if any.
    fn chooser_to_ask(&self) -> Option<Side> {
        let s = &self.session;
        if !self.is_live() || s.protocol.roles != Roles::Open || !s.turns().is_empty() {
            return None;
        }
        let a = s.assignment.as_ref()?;
        if a.choice.is_some() {
            return None;
        }
        a.chooser
    }

    /// Asks the chooser, when there is one; returns whether the debate must wait for it.
    pub(super) fn ask_choice_first(&mut self) -> bool {
        if self.asking(|p| matches!(p, Purpose::Choice(_))) {
            return true;
        }
        let Some(side) = self.chooser_to_ask() else {
            return false;
        };
        let ask = crate::providers::asks::choice_ask(&self.session);
        self.send_ask(Purpose::Choice(side), ask, 0, false, Duration::ZERO);
        true
    }

    /// The chooser answered: its side takes the answer it named.
    pub(super) fn on_choice(
        &mut self,
        side: Side,
        reply: &str,
        stats: &crate::domain::TurnStats,
        now: OffsetDateTime,
    ) {
        let swapped = self.session.assignment.as_ref().is_some_and(|a| a.swapped);
        let answers = answers_in_order(&self.session.positions, swapped);
        let answer = parse_choice(reply, answers);
        let reply: String = crate::text::sanitize::inert(reply)
            .chars()
            .take(Choice::MAX_REPLY)
            .collect();
        if let Some(index) = answer {
            // The chooser's side holds the chosen answer: swap the sides' answers if the draw
            // had put it on the other side (the ground truth moves with its answer).
            if side_of_answer(index, swapped) != Some(side) {
                let s = &mut self.session;
                std::mem::swap(&mut s.positions.a, &mut s.positions.b);
                s.ground_truth = s.ground_truth.map(Side::other);
                if let Some(a) = s.assignment.as_mut() {
                    a.swapped = !a.swapped;
                }
            }
            if let Some(d) = self.session.debaters.iter_mut().find(|d| d.side == side) {
                d.chose_side = true;
            }
        }
        if let Some(a) = self.session.assignment.as_mut() {
            let mut usage = crate::domain::Usage::default();
            usage.add(stats);
            a.choice = Some(Choice {
                answer,
                reply,
                usage: Some(usage),
            });
        }
        self.session.updated_at = now;
        self.emit(Event::Chose { side, answer });
        self.save(false);
        self.advance(now);
    }

    /// The chooser could not be asked: the draw stands, recorded as no choice.
    pub(super) fn choice_failed(&mut self, side: Side, now: OffsetDateTime) {
        if let Some(a) = self.session.assignment.as_mut() {
            a.choice = Some(Choice {
                answer: None,
                reply: String::new(),
                usage: None,
            });
        }
        self.emit(Event::Chose { side, answer: None });
        self.save(false);
        self.advance(now);
    }
}
