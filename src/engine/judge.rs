//! The LLM judge: after each turn (or once, at the end) a model reads what the human judge
//! would see (the transcript, quotes marked with their check, never the source unless allowed,
//! no debater's identity) and gives P(A is right) with a reason. Its answers are recorded as a
//! judgement of their own (`kind: llm`), credence by credence, and a verdict from its last
//! credence once the debate is over. The prompt is `prompts/judge.md` (or the config's file).

use super::asks::Purpose;
use super::{Engine, Event};
use crate::domain::judge_reply::parse_judge_reply;
use crate::domain::{
    JudgeEvent, JudgeEventKind, JudgeKind, Judgement, ROOT_ID, Side, TurnStatus, Verdict,
};
use std::time::Duration;
use time::OffsetDateTime;

/// When the LLM judge is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JudgeWhen {
    /// After every turn of the main debate, and its verdict at the end from the last answer.
    #[default]
    EachTurn,
    /// Once, when the debate is over.
    End,
}

impl JudgeWhen {
    /// As the config writes it, and as the judgement's `mode` records it.
    pub fn label(self) -> &'static str {
        match self {
            JudgeWhen::EachTurn => "each_turn",
            JudgeWhen::End => "end",
        }
    }
}

/// An LLM judge of the debates an engine runs.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmJudge {
    /// `provider:model`, recorded as the judgement's judge.
    pub name: String,
    pub when: JudgeWhen,
    /// Whether it reads the source even when the protocol keeps it from the judge.
    pub sees_source: bool,
    /// The system prompt template (see `prompts/judge.md`).
    pub prompt: String,
}

impl Engine {
    fn llm(&self) -> Option<&LlmJudge> {
        self.cfg.llm_judge.as_ref().filter(|_| self.is_live())
    }

    /// A turn finished: the LLM judge reads the debate so far, if it judges after each turn
    /// and the turn completes what a judge waits for (see `Session::reading_point`).
    pub(super) fn judge_after_turn(&mut self, turn: usize) {
        let Some(judge) = self.llm() else { return };
        if judge.when != JudgeWhen::EachTurn {
            return;
        }
        // In a simultaneous round the speech that completes it may not be the round's last.
        if let Some(point) = self.session.reading_point(turn) {
            let seen = point + 1;
            if !self.asking(|p| p == Purpose::Judge { seen }) {
                self.ask_judge(seen);
            }
        }
    }

    /// The main debate is over (every round played, the human ended it, or it was recorded
    /// before this judge came): the LLM judge gives its answer now if it judges at the end;
    /// if it judges after each turn, it first catches up on every point it has no answer for
    /// (all of them, for a recorded debate). Its verdict follows its last answer.
    pub(super) fn judge_at_end(&mut self, now: OffsetDateTime) {
        let Some(when) = self.llm().map(|j| j.when) else {
            return;
        };
        if self.llm_end {
            return;
        }
        self.llm_end = true;
        if self.llm_judged() {
            // A resumed session this judge has already judged to the end.
            return;
        }
        match when {
            JudgeWhen::End => {
                let seen = self.session.turns().len();
                self.ask_judge(seen);
            }
            JudgeWhen::EachTurn => {
                for seen in self.unanswered_points() {
                    self.ask_judge(seen);
                }
                self.settle_llm_verdict(now);
            }
        }
    }

    /// The points (turns seen) this judge reads the debate at and has neither answered nor
    /// been asked about: each turn a judge weighs in after, and the debate's last speech.
    fn unanswered_points(&self) -> Vec<usize> {
        let s = &self.session;
        let last = s
            .turns()
            .iter()
            .rev()
            .find(|t| t.scope == ROOT_ID && t.status == TurnStatus::Complete)
            .map(|t| t.index);
        let answered: Vec<Option<usize>> = self
            .open_llm_judgement()
            .and_then(|i| s.judgements.get(i))
            .map(|j| j.judge_events.iter().map(|e| e.after_turn).collect())
            .unwrap_or_default();
        (0..s.turns().len())
            .filter(|&t| s.judge_reads_after(t) || Some(t) == last)
            .filter(|&t| !answered.contains(&Some(t)))
            .map(|t| t + 1)
            .filter(|&seen| !self.asking(|p| p == Purpose::Judge { seen }))
            .collect()
    }

    fn ask_judge(&mut self, seen: usize) {
        let Some(judge) = self.llm() else { return };
        let sees_source = judge.sees_source || self.session.protocol.judge_sees_source;
        let ask =
            crate::providers::asks::judge_ask(&judge.prompt, &self.session, seen, sees_source);
        self.send_ask(Purpose::Judge { seen }, ask, 0, false, Duration::ZERO);
    }

    /// The judgement the LLM judge's answers go into: its own from an earlier run of this
    /// session (resumed) when there is one still open, else a new one.
    /// Whether this judge already gave its verdict on the debate.
    fn llm_judged(&self) -> bool {
        let Some(judge) = self.llm() else {
            return false;
        };
        self.session.judgements.iter().any(|j| {
            j.kind == JudgeKind::Llm
                && j.judge.as_deref() == Some(judge.name.as_str())
                && j.mode.as_deref() == Some(judge.when.label())
                && j.verdict.is_some()
        })
    }

    fn open_llm_judgement(&self) -> Option<usize> {
        let judge = self.llm()?;
        let mode = judge.when.label();
        self.session.judgements.iter().position(|j| {
            j.kind == JudgeKind::Llm
                && j.judge.as_deref() == Some(judge.name.as_str())
                && j.mode.as_deref() == Some(mode)
                && j.verdict.is_none()
        })
    }

    fn llm_judgement(&mut self, now: OffsetDateTime) -> Option<&mut Judgement> {
        let judge = self.llm()?.clone();
        let found = self.open_llm_judgement();
        let s = &mut self.session;
        let mode = judge.when.label();
        let index = match found {
            Some(i) => i,
            None => {
                let id = s.judgements.iter().map(|j| j.id).max().unwrap_or(0) + 1;
                s.judgements.push(Judgement {
                    id,
                    kind: JudgeKind::Llm,
                    judge: Some(judge.name.clone()),
                    mode: Some(mode.to_string()),
                    blind: true,
                    started_at: now,
                    judge_events: Vec::new(),
                    verdict: None,
                    annotations: Vec::new(),
                    usage: None,
                    extra: None,
                });
                s.judgements.len() - 1
            }
        };
        s.judgements.get_mut(index)
    }

    /// Records the LLM judge's answer after `seen` turns; false if it gave no probability.
    pub(super) fn on_judge_reply(&mut self, seen: usize, reply: &str, now: OffsetDateTime) -> bool {
        let Some(r) = parse_judge_reply(reply) else {
            return false;
        };
        let after_turn = seen.checked_sub(1);
        let Some(j) = self.llm_judgement(now) else {
            return false;
        };
        // Answers may come back out of order; the record keeps the order of the turns.
        let at = j
            .judge_events
            .iter()
            .rposition(|e| e.after_turn <= after_turn)
            .map_or(0, |i| i + 1);
        j.judge_events.insert(
            at,
            JudgeEvent {
                at: now,
                after_turn,
                kind: JudgeEventKind::Credence {
                    node: ROOT_ID.to_string(),
                    p_a: r.p_a,
                    reason: Some(r.reason),
                },
            },
        );
        self.session.updated_at = now;
        self.emit(Event::LlmCredence {
            after_turn,
            p_a: r.p_a,
        });
        self.save(false);
        true
    }

    /// Adds an answered request of the LLM judge to what its judgement cost.
    pub(super) fn count_judge_usage(
        &mut self,
        stats: &crate::domain::TurnStats,
        now: OffsetDateTime,
    ) {
        if let Some(j) = self.llm_judgement(now) {
            j.usage.get_or_insert_with(Default::default).add(stats);
        }
    }

    /// Once the debate is over and every answer is in, the LLM judge's verdict is its last
    /// credence.
    pub(super) fn settle_llm_verdict(&mut self, now: OffsetDateTime) {
        if !self.llm_end || self.asking(|p| matches!(p, Purpose::Judge { .. })) {
            return;
        }
        let penalty = self.session.turn_penalty();
        let ended = match &self.session.ended_early {
            Some(_) => "the human judge ended the debate early".to_string(),
            None => "every round was played".to_string(),
        };
        let Some(j) = self
            .open_llm_judgement()
            .and_then(|i| self.session.judgements.get_mut(i))
        else {
            return;
        };
        let Some((after_turn, p_a, reason)) =
            j.judge_events.iter().rev().find_map(|e| match &e.kind {
                JudgeEventKind::Credence { node, p_a, reason } if node == ROOT_ID => {
                    Some((e.after_turn, *p_a, reason.clone().unwrap_or_default()))
                }
                _ => None,
            })
        else {
            return;
        };
        let winner = if p_a >= 0.5 { Side::A } else { Side::B };
        let confidence = crate::domain::judge::clamp_confidence(p_a.max(1.0 - p_a));
        j.verdict = Some(Verdict {
            winner,
            confidence,
            rationale: reason.clone(),
            decided_by: None,
            ended: ended.clone(),
            turn_penalty: Some(penalty),
            at: now,
        });
        j.judge_events.push(JudgeEvent {
            at: now,
            after_turn,
            kind: JudgeEventKind::Verdict {
                winner,
                confidence,
                rationale: reason,
                decided_by: None,
                ended,
                turn_penalty: Some(penalty),
            },
        });
        self.emit(Event::LlmVerdict { winner, confidence });
        self.save(false);
    }
}
