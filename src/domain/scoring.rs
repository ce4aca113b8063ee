//! Scoring a verdict against the ground truth, as research judges are scored.

use super::annotation::Annotation;
use super::debate::PenaltyUnit;
use super::judge::{JudgeEvent, JudgeEventKind, JudgeKind, Verdict};
use super::session::Session;
use super::side::Side;
use super::turn::TurnStatus;

/// The NYU debate platform's penalty per turn used, in bits.
pub const DEFAULT_TURN_PENALTY: f64 = 0.05;

/// Scores of one verdict. `p_correct` is the probability the judge gave the true side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub correct: bool,
    pub p_correct: f64,
    /// log2(p_correct): 0 is perfect, more negative is worse.
    pub log_score: f64,
    /// (1 - p_correct)^2: 0 is perfect, 1 is the worst.
    pub brier: f64,
    /// log2(p_correct) - penalty x turns (Michael et al. 2023).
    pub turn_penalised: f64,
    pub turns: usize,
    /// Bits taken off per turn in `turn_penalised`.
    pub penalty: f64,
}

/// Probabilities are kept off 0 and 1 so a confident wrong answer scores badly but finitely.
const FLOOR: f64 = 1e-6;

pub fn score(p_a: f64, truth: Side, turns: usize, penalty: f64) -> Scores {
    let p_a = p_a.clamp(0.0, 1.0);
    let p_correct = match truth {
        Side::A => p_a,
        Side::B => 1.0 - p_a,
    };
    let log_score = p_correct.max(FLOOR).log2();
    Scores {
        correct: p_correct > 0.5,
        p_correct,
        log_score,
        brier: (1.0 - p_correct).powi(2),
        turn_penalised: log_score - penalty * turns as f64,
        turns,
        penalty,
    }
}

/// A turn as the turn penalty sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnSeen {
    pub index: usize,
    pub complete: bool,
    /// In the main debate (not a drill).
    pub main: bool,
    pub round: u32,
}

/// What a judge had seen at their verdict, counted as the penalty counts it: the complete
/// speeches up to the one the verdict followed (`verdict_after`: the verdict event's
/// `after_turn`; `None` when there is no verdict event, which counts everything), or the rounds
/// of the main debate those speeches belong to. One rule, for the app, the exports, the
/// browser's index and `agon stats` alike.
pub fn count_seen(
    turns: impl IntoIterator<Item = TurnSeen>,
    verdict_after: Option<Option<usize>>,
    unit: PenaltyUnit,
) -> usize {
    let seen = turns
        .into_iter()
        .filter(|t| t.complete)
        .filter(|t| match verdict_after {
            Some(Some(s)) => t.index <= s,
            Some(None) => false,
            None => true,
        });
    match unit {
        PenaltyUnit::Speech => seen.count(),
        PenaltyUnit::Round => {
            let mut rounds: Vec<u32> = seen.filter(|t| t.main).map(|t| t.round).collect();
            rounds.sort_unstable();
            rounds.dedup();
            rounds.len()
        }
    }
}

/// The penalty a verdict is scored with: the one recorded with it, else the protocol's, else
/// the default.
pub fn penalty_of(recorded: Option<f64>, protocol: Option<f64>) -> f64 {
    recorded.or(protocol).unwrap_or(DEFAULT_TURN_PENALTY)
}

/// One judgement of a session, whoever made it: judge 0 (the session's own judge) or one of
/// its later `judgements`. Scores, exports, the browser and `agon stats` all read judgements
/// through this, so each is scored the same way everywhere.
#[derive(Debug, Clone, Copy)]
pub struct JudgementRef<'a> {
    /// 0 for the session's own judge; then 1, 2, ...
    pub id: u32,
    pub kind: JudgeKind,
    pub judge: Option<&'a str>,
    pub blind: bool,
    pub mode: Option<&'a str>,
    pub events: &'a [JudgeEvent],
    pub verdict: Option<&'a Verdict>,
    pub annotations: &'a [Annotation],
}

impl Session {
    /// Every judgement of the debate: judge 0 first, then the others in order.
    pub fn all_judgements(&self) -> Vec<JudgementRef<'_>> {
        let own = JudgementRef {
            id: 0,
            kind: self.judge.kind,
            judge: self.judge.name.as_deref(),
            blind: self.judge.blind,
            mode: None,
            events: &self.judge_events,
            verdict: self.verdict.as_ref(),
            annotations: &self.annotations,
        };
        std::iter::once(own)
            .chain(self.judgements.iter().map(|j| JudgementRef {
                id: j.id,
                kind: j.kind,
                judge: j.judge.as_deref(),
                blind: j.blind,
                mode: j.mode.as_deref(),
                events: &j.judge_events,
                verdict: j.verdict.as_ref(),
                annotations: &j.annotations,
            }))
            .collect()
    }

    /// The session's own verdict scored against the ground truth; `None` until both exist.
    pub fn scores(&self) -> Option<Scores> {
        self.all_judgements().first()?.scores(self)
    }

    /// The penalty per turn a verdict given now would be scored with: the protocol's, else the
    /// default.
    pub fn turn_penalty(&self) -> f64 {
        penalty_of(None, self.protocol.turn_penalty)
    }
}

impl JudgementRef<'_> {
    /// The verdict scored against the ground truth: with the penalty recorded in the verdict
    /// and the turns the judge had seen when giving it. `None` without both.
    pub fn scores(&self, session: &Session) -> Option<Scores> {
        let verdict = self.verdict?;
        let truth = session.ground_truth?;
        let penalty = penalty_of(verdict.turn_penalty, session.protocol.turn_penalty);
        Some(score(
            verdict.p_a(),
            truth,
            self.turns_seen(session),
            penalty,
        ))
    }

    /// What the judge had seen at their (last) verdict, as the protocol's penalty counts it
    /// (see [`count_seen`]).
    pub fn turns_seen(&self, session: &Session) -> usize {
        let verdict_after = self
            .events
            .iter()
            .rev()
            .find(|e| matches!(e.kind, JudgeEventKind::Verdict { .. }))
            .map(|e| e.after_turn);
        let turns = session.turns().iter().map(|t| TurnSeen {
            index: t.index,
            complete: t.status == TurnStatus::Complete,
            main: t.scope == super::claims::ROOT_ID,
            round: t.round,
        });
        count_seen(turns, verdict_after, session.protocol.penalty_unit)
    }

    /// The judge's last credence on the question, P(A), if they gave one.
    pub fn last_credence(&self) -> Option<f64> {
        self.events.iter().rev().find_map(|e| match &e.kind {
            JudgeEventKind::Credence { node, p_a, .. } if node == super::claims::ROOT_ID => {
                Some(*p_a)
            }
            _ => None,
        })
    }

    /// What the judge finally believed: the verdict as P(A), else their last credence.
    pub fn final_p_a(&self) -> Option<f64> {
        self.verdict
            .map(Verdict::p_a)
            .or_else(|| self.last_credence())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn worked_by_hand() {
        // 80% on A, A is right, 6 turns: log2(0.8) = -0.321928; Brier 0.04; -0.321928 - 0.3.
        let s = score(0.8, Side::A, 6, 0.05);
        assert!(s.correct);
        close(s.log_score, -0.321_928_094_887_362_3);
        close(s.brier, 0.04);
        close(s.turn_penalised, -0.621_928_094_887_362_3);

        // 80% on A, B is right: log2(0.2) = -2.321928; Brier 0.64.
        let s = score(0.8, Side::B, 6, 0.05);
        assert!(!s.correct);
        close(s.p_correct, 0.2);
        close(s.log_score, -2.321_928_094_887_362);
        close(s.brier, 0.64);

        // Certain and right: perfect scores; penalty only for turns.
        let s = score(1.0, Side::A, 2, 0.1);
        close(s.log_score, 0.0);
        close(s.brier, 0.0);
        close(s.turn_penalised, -0.2);
    }

    #[test]
    fn certain_and_wrong_is_bad_but_finite() {
        let s = score(0.0, Side::A, 0, 0.05);
        assert!(s.log_score.is_finite() && s.log_score < -19.0);
        close(s.brier, 1.0);
        let s = score(0.5, Side::B, 0, 0.05);
        assert!(!s.correct, "a coin flip is not a correct answer");
        close(s.log_score, -1.0);
    }
}
