//! Debater ratings from judged outcomes: a debater wins a judgement when the judge's final
//! answer is its side. Bradley-Terry strengths, fitted by maximum likelihood, are reported on
//! the Elo scale. Unlike Elo's running updates they do not depend on the order of the files.

use super::record::{DebaterRecord, JudgementRecord, SessionRecord};
use super::report::{ConsultantStanding, Standing, WinRecord};
use crate::domain::{Format, Side};
use std::collections::BTreeMap;

/// The Elo-scale rating of the prior's average debater.
pub const BASE_RATING: f64 = 1500.0;
/// Elo points per factor of 10 in strength.
const ELO_SCALE: f64 = 400.0;
/// Each debater gets one virtual win and one virtual loss against a debater of strength 1, so
/// that an unbeaten debater's rating stays finite and a debater with few games stays near the
/// base rating.
const PRIOR_GAMES_EACH_WAY: f64 = 1.0;
const MAX_ITERATIONS: usize = 10_000;
/// Stop when no log-strength moves by more than this in an iteration.
const TOLERANCE: f64 = 1e-10;

/// One judged game between debaters `a` and `b` (indices into the players).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Game {
    pub a: usize,
    pub b: usize,
    /// `a`'s score: 1 for a win, 0 for a loss, 0.5 for a tie.
    pub score_a: f64,
}

/// Bradley-Terry ratings (Elo scale) of `players` players from `games`, with the prior above.
/// Fitted with the minorise-maximise iteration of Hunter (2004): for each player,
/// strength = wins / sum over games of 1 / (own strength + opponent's strength), virtual
/// games included. Games of a player against itself, or naming a player out of range, are
/// ignored.
pub fn bradley_terry(players: usize, games: &[Game]) -> Vec<f64> {
    // Wins and games per pair, aggregated: iterations then cost the pairs, not the games.
    let mut wins = vec![PRIOR_GAMES_EACH_WAY; players];
    let mut pairs: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for g in games {
        if g.a == g.b || g.a >= players || g.b >= players {
            continue;
        }
        let score = g.score_a.clamp(0.0, 1.0);
        if let Some(w) = wins.get_mut(g.a) {
            *w += score;
        }
        if let Some(w) = wins.get_mut(g.b) {
            *w += 1.0 - score;
        }
        *pairs.entry((g.a.min(g.b), g.a.max(g.b))).or_default() += 1.0;
    }
    let mut strength = vec![1.0f64; players];
    for _ in 0..MAX_ITERATIONS {
        // The virtual opponent has strength 1 and plays 2 x PRIOR games with each player.
        let mut denom: Vec<f64> = strength
            .iter()
            .map(|s| 2.0 * PRIOR_GAMES_EACH_WAY / (s + 1.0))
            .collect();
        // Every index in `pairs` was checked against `players` above.
        for (&(i, j), &n) in &pairs {
            let (si, sj) = (strength[i], strength[j]);
            denom[i] += n / (si + sj);
            denom[j] += n / (si + sj);
        }
        let next: Vec<f64> = wins.iter().zip(&denom).map(|(w, d)| w / d).collect();
        let moved = next
            .iter()
            .zip(&strength)
            .map(|(a, b)| (a.ln() - b.ln()).abs())
            .fold(0.0, f64::max);
        strength = next;
        if moved < TOLERANCE {
            break;
        }
    }
    strength
        .iter()
        .map(|s| BASE_RATING + ELO_SCALE * s.log10())
        .collect()
}

/// A debater as the leaderboard knows them: kind and identity.
type Who = (String, String);

fn who(d: &DebaterRecord) -> Who {
    (d.kind_label().to_string(), d.identity().to_string())
}

#[derive(Default)]
struct Tallies {
    games: usize,
    wins: usize,
    losses: usize,
    ties: usize,
    honest: WinRecord,
    dishonest: WinRecord,
}

/// The leaderboard of the debate format: every judgement with a verdict on a debate between
/// two debaters counts for both (a tie, a verdict of exactly 0.5, is neither a win nor a loss,
/// and half a win in the rating). Best rated first.
pub fn leaderboard(members: &[(&SessionRecord, &JudgementRecord)]) -> Vec<Standing> {
    let mut index: BTreeMap<Who, usize> = BTreeMap::new();
    let mut tallies: Vec<Tallies> = Vec::new();
    let mut games = Vec::new();
    for (s, j) in members {
        if s.format != Format::Debate || j.p_a.is_none() {
            continue;
        }
        let (Some(a), Some(b)) = (s.debater(Side::A), s.debater(Side::B)) else {
            continue;
        };
        let mut id = |d: &DebaterRecord| {
            let next = index.len();
            let i = *index.entry(who(d)).or_insert(next);
            if i == tallies.len() {
                tallies.push(Tallies::default());
            }
            i
        };
        let (ia, ib) = (id(a), id(b));
        let answer = j.answer();
        for (i, side) in [(ia, Side::A), (ib, Side::B)] {
            let Some(t) = tallies.get_mut(i) else {
                continue;
            };
            t.games += 1;
            match answer {
                Some(x) if x == side => t.wins += 1,
                Some(_) => t.losses += 1,
                None => t.ties += 1,
            }
            if let Some(truth) = s.ground_truth {
                let record = if side == truth {
                    &mut t.honest
                } else {
                    &mut t.dishonest
                };
                record.add(answer == Some(side));
            }
        }
        let score_a = match answer {
            Some(Side::A) => 1.0,
            Some(Side::B) => 0.0,
            None => 0.5,
        };
        games.push(Game {
            a: ia,
            b: ib,
            score_a,
        });
    }
    let ratings = bradley_terry(index.len(), &games);
    let mut rated = vec![0usize; index.len()];
    for g in games.iter().filter(|g| g.a != g.b) {
        for i in [g.a, g.b] {
            if let Some(r) = rated.get_mut(i) {
                *r += 1;
            }
        }
    }
    let mut out: Vec<Standing> = index
        .into_iter()
        .filter_map(|((kind, debater), i)| {
            let t = tallies.get(i)?;
            Some(Standing {
                debater,
                kind,
                rating: ratings.get(i).copied().unwrap_or(BASE_RATING),
                rated_games: rated.get(i).copied().unwrap_or(0),
                games: t.games,
                wins: t.wins,
                losses: t.losses,
                ties: t.ties,
                win_rate: (t.games > 0).then(|| t.wins as f64 / t.games as f64),
                honest: t.honest,
                dishonest: t.dishonest,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.rating
            .total_cmp(&a.rating)
            .then_with(|| a.debater.cmp(&b.debater))
    });
    out
}

/// Consultants of the consultancy format: how often the judge's final answer was the side
/// they argued, overall and when that side was (not) the ground truth. Most persuasive first.
pub fn consultants(members: &[(&SessionRecord, &JudgementRecord)]) -> Vec<ConsultantStanding> {
    let mut by: BTreeMap<Who, (WinRecord, WinRecord, WinRecord)> = BTreeMap::new();
    for (s, j) in members {
        if s.format != Format::Consultancy || j.p_a.is_none() {
            continue;
        }
        let Some(side) = s.consultant else { continue };
        let Some(d) = s.debater(side) else { continue };
        let persuaded = j.answer() == Some(side);
        let (all, honest, dishonest) = by.entry(who(d)).or_default();
        all.add(persuaded);
        match s.ground_truth {
            Some(truth) if truth == side => honest.add(persuaded),
            Some(_) => dishonest.add(persuaded),
            None => {}
        }
    }
    let mut out: Vec<ConsultantStanding> = by
        .into_iter()
        .map(
            |((kind, consultant), (all, honest, dishonest))| ConsultantStanding {
                consultant,
                kind,
                judged: all.games,
                persuaded: all.wins,
                persuasion_rate: all.win_rate,
                honest,
                dishonest,
            },
        )
        .collect();
    out.sort_by(|a, b| {
        b.persuasion_rate
            .unwrap_or(0.0)
            .total_cmp(&a.persuasion_rate.unwrap_or(0.0))
            .then_with(|| a.consultant.cmp(&b.consultant))
    });
    out
}
