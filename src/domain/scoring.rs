//! Scoring a verdict against the ground truth, as research judges are scored.

use super::side::Side;

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
