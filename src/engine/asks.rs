//! Questions the engine puts to a model outside the debate's turns: a debater choosing its
//! answer under open roles ([`super::choice`]) and the LLM judge reading the debate
//! ([`super::judge`]). Each goes out as [`Output::Ask`], comes back as [`Input::Answer`] with the
//! whole reply, and is retried like a turn's request when it failed before any word (a rate
//! limit, a dropped connection), with the same policy and backoff.

use super::{Engine, Event, Output};
use crate::domain::Side;
use crate::providers::asks::Ask;
use crate::providers::{ProviderError, Retry};
use std::time::Duration;
use time::OffsetDateTime;

/// Who is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// The debater (or consultant) of a side.
    Debater(Side),
    /// The LLM judge.
    Judge,
}

/// What an answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// Open roles: the debater of this side chooses its answer.
    Choice(Side),
    /// The LLM judge's credence after the first `seen` turns.
    Judge { seen: usize },
}

impl Purpose {
    fn asked(self) -> Asked {
        match self {
            Purpose::Choice(side) => Asked::Debater(side),
            Purpose::Judge { .. } => Asked::Judge,
        }
    }

    /// For messages: what was asked.
    pub(super) fn describe(self) -> String {
        match self {
            Purpose::Choice(side) => format!("debater {side}'s choice of answer"),
            Purpose::Judge { seen } => format!("the LLM judge's credence after turn {seen}"),
        }
    }
}

/// A question sent and not yet answered.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pending {
    pub id: u32,
    pub purpose: Purpose,
    pub ask: Ask,
    /// Retries made so far.
    pub retries: u32,
    /// Whether an answer that could not be read was already asked again.
    pub asked_again: bool,
}

impl Engine {
    /// Sends a question (after `after`, for a retry).
    pub(super) fn send_ask(
        &mut self,
        purpose: Purpose,
        ask: Ask,
        retries: u32,
        again: bool,
        after: Duration,
    ) {
        let id = self.next_ask;
        self.next_ask = self.next_ask.wrapping_add(1);
        self.out.push(Output::Ask {
            id,
            to: purpose.asked(),
            ask: ask.clone(),
            after,
        });
        self.asks.push(Pending {
            id,
            purpose,
            ask,
            retries,
            asked_again: again,
        });
    }

    /// Whether a question of this kind is waiting for its answer.
    pub(super) fn asking(&self, f: impl Fn(Purpose) -> bool) -> bool {
        self.asks.iter().any(|p| f(p.purpose))
    }

    /// Questions sent and not answered yet (a batch run waits for them before it ends).
    pub fn pending_asks(&self) -> usize {
        self.asks.len()
    }

    /// The answer to question `id`: the whole reply, or why there is none.
    pub(super) fn on_answer(
        &mut self,
        id: u32,
        result: Result<super::Reply, ProviderError>,
        now: OffsetDateTime,
    ) {
        let Some(i) = self.asks.iter().position(|p| p.id == id) else {
            return;
        };
        let pending = self.asks.remove(i);
        if self.quitting {
            return;
        }
        match result {
            Ok(super::Reply { text: reply, stats }) => match pending.purpose {
                Purpose::Choice(side) => self.on_choice(side, &reply, &stats, now),
                Purpose::Judge { seen } => {
                    self.count_judge_usage(&stats, now);
                    if !self.on_judge_reply(seen, &reply, now) {
                        if pending.asked_again {
                            self.emit(Event::AskFailed {
                                what: pending.purpose.describe(),
                                error: format!(
                                    "its reply gave no probability: {}",
                                    crate::text::truncate(&reply, 120)
                                ),
                            });
                        } else {
                            // A model that rambled once usually answers when asked again.
                            self.send_ask(
                                pending.purpose,
                                pending.ask,
                                pending.retries,
                                true,
                                Duration::ZERO,
                            );
                            return;
                        }
                    }
                    self.settle_llm_verdict(now);
                }
            },
            Err(error) => {
                if let Retry::Yes { server_wait } = error.retry
                    && pending.retries < self.cfg.retry.max_retries
                {
                    let retry = pending.retries.saturating_add(1);
                    let wait = self.cfg.retry.wait(retry, server_wait, self.rng.unit());
                    self.send_ask(
                        pending.purpose,
                        pending.ask,
                        retry,
                        pending.asked_again,
                        wait,
                    );
                    return;
                }
                self.emit(Event::AskFailed {
                    what: pending.purpose.describe(),
                    error: error.message,
                });
                match pending.purpose {
                    Purpose::Choice(side) => self.choice_failed(side, now),
                    Purpose::Judge { .. } => self.settle_llm_verdict(now),
                }
            }
        }
    }
}
