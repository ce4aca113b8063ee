//! The numbers of one group of judgements: accuracy and its interval, the scoring rules,
//! calibration, turns.
//!
//! Definitions (also in `docs/stats.md`):
//! - judged: the judgement has a verdict and the session a ground truth (the domain scores it).
//! - correct: the verdict gives the true side more than 0.5 (`Scores::correct`); 0.5 is not.
//! - accuracy: correct / judged, with a 95% Wilson score interval.
//! - log score, Brier, turn-penalised: means of the domain's `Scores` over judged judgements.
//! - ECE: the judge's confidence in the answer they chose, max(p, 1 - p), in 10 equal-width
//!   bins over [0, 1]; ECE = sum over bins of (n_bin / n) * |accuracy_bin - mean confidence_bin|
//!   (Guo et al. 2017; the definition behind the calibration errors of Michael et al. 2023 and
//!   Khan et al. 2024). A tie (0.5) falls in the 0.5-0.6 bin and counts as wrong.

use super::record::{JudgementRecord, SessionRecord};
use super::report::{Bin, GroupKeys, GroupStats, TurnsAccuracy};
use std::collections::{BTreeMap, HashSet};

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;
/// Bins of the reliability diagram and the ECE.
pub const CALIBRATION_BINS: usize = 10;
/// A confidence within this of a bin's lower edge belongs to that bin: 1 - 0.3 is
/// 0.69999999999999996 in floating point, and is meant as 0.7.
const EDGE_TOLERANCE: f64 = 1e-9;

/// The 95% Wilson score interval of `correct` successes in `n` trials; `None` for no trials.
pub fn wilson(correct: usize, n: usize) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let p = (correct as f64 / n).min(1.0);
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // At 0 or n successes the bound is exactly 0 or 1; computed, it would be off by rounding.
    let lo = if correct == 0 { 0.0 } else { centre - half };
    let hi = if p >= 1.0 { 1.0 } else { centre + half };
    Some([lo.max(0.0), hi.min(1.0)])
}

/// The reliability diagram (non-empty bins, in order) and the expected calibration error of
/// (confidence, correct) points, over `bins` equal-width bins of [0, 1]. `None` without points.
pub fn calibration(points: &[(f64, bool)], bins: usize) -> Option<(f64, Vec<Bin>)> {
    if points.is_empty() || bins == 0 {
        return None;
    }
    // Per bin: count, sum of confidences, correct answers.
    let mut acc = vec![(0usize, 0.0f64, 0usize); bins];
    for &(confidence, correct) in points {
        let c = confidence.clamp(0.0, 1.0);
        let i = ((c * bins as f64 + EDGE_TOLERANCE).floor() as usize).min(bins - 1);
        if let Some(slot) = acc.get_mut(i) {
            slot.0 += 1;
            slot.1 += c;
            slot.2 += usize::from(correct);
        }
    }
    let total = points.len() as f64;
    let mut ece = 0.0;
    let mut out = Vec::new();
    for (i, &(n, sum, correct)) in acc.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let confidence = sum / n as f64;
        let accuracy = correct as f64 / n as f64;
        ece += n as f64 / total * (accuracy - confidence).abs();
        out.push(Bin {
            lo: i as f64 / bins as f64,
            hi: (i + 1) as f64 / bins as f64,
            n,
            confidence,
            accuracy,
        });
    }
    Some((ece, out))
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// The statistics of one group of (session, judgement) pairs.
pub fn group_stats(keys: GroupKeys, members: &[(&SessionRecord, &JudgementRecord)]) -> GroupStats {
    let debates: HashSet<&str> = members.iter().map(|(s, _)| s.file.as_str()).collect();
    let scored: Vec<_> = members.iter().filter_map(|(_, j)| j.scores).collect();
    let judged = scored.len();
    let correct = scored.iter().filter(|s| s.correct).count();
    // Confidence in the chosen answer; at a tie both answers have 0.5.
    let points: Vec<(f64, bool)> = scored
        .iter()
        .map(|s| (s.p_correct.max(1.0 - s.p_correct), s.correct))
        .collect();
    let calibration = calibration(&points, CALIBRATION_BINS);
    let mut by_turns: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for s in &scored {
        let slot = by_turns.entry(s.turns).or_default();
        slot.0 += 1;
        slot.1 += usize::from(s.correct);
    }
    GroupStats {
        keys,
        debates: debates.len(),
        n: members.len(),
        judged,
        correct,
        accuracy: (judged > 0).then(|| correct as f64 / judged as f64),
        accuracy_ci: wilson(correct, judged),
        log_score: mean(scored.iter().map(|s| s.log_score)),
        brier: mean(scored.iter().map(|s| s.brier)),
        turn_penalised: mean(scored.iter().map(|s| s.turn_penalised)),
        ece: calibration.as_ref().map(|(ece, _)| *ece),
        reliability: calibration.map(|(_, bins)| bins).unwrap_or_default(),
        mean_turns: mean(scored.iter().map(|s| s.turns as f64)),
        accuracy_by_turns: by_turns
            .into_iter()
            .map(|(turns, (judged, correct))| TurnsAccuracy {
                turns,
                judged,
                correct,
                accuracy: correct as f64 / judged.max(1) as f64,
            })
            .collect(),
    }
}
