//! The seeded draws behind a question's debate: which answer each side argues (so that A is not
//! always right), which side a consultant takes, and under open roles which side chooses.
//!
//! Every draw comes from one seed per (run seed, question id, repeat), so a study can be rerun
//! exactly, and a question draws the same whichever shard or position it has in the set.

use super::debate::{Format, Positions, Roles};
use super::random::SplitMix64;
use super::session::Assignment;
use super::side::Side;

/// The seed of one debate: the run's seed, the question's id and the repeat, mixed so that
/// nearby seeds and ids give unrelated draws.
pub fn seed_for(run_seed: u64, question_id: &str, repeat: u32) -> u64 {
    // FNV-1a over the id: stable across builds and platforms (std's hashers are not).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in question_id.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut mix = SplitMix64::new(run_seed ^ h.rotate_left(17) ^ u64::from(repeat).rotate_left(41));
    mix.next_u64()
}

/// What the draws decided for one debate.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    pub assignment: Assignment,
    /// The answers as the sides hold them.
    pub positions: Positions,
    /// The side holding the correct answer, when the question says which it is.
    pub ground_truth: Option<Side>,
}

/// Draws a debate's setup from `seed`: `answers` in the question's order, `correct` the index of
/// the right one when known.
///
/// The draws, in order: whether the answers are swapped (A holds the second answer); then, in
/// consultancy with assigned roles, whether the consultant argues the correct answer (when one
/// is known; otherwise which side it takes); under open roles, which side chooses.
pub fn draw(
    seed: u64,
    answers: [&str; 2],
    correct: Option<u8>,
    format: Format,
    roles: Roles,
) -> Draw {
    let mut rng = SplitMix64::new(seed);
    let swapped = rng.coin();
    let positions = if swapped {
        Positions {
            a: answers[1].to_string(),
            b: answers[0].to_string(),
        }
    } else {
        Positions {
            a: answers[0].to_string(),
            b: answers[1].to_string(),
        }
    };
    let ground_truth = correct.and_then(|c| side_of_answer(c, swapped));
    let coin_side = |rng: &mut SplitMix64| if rng.coin() { Side::A } else { Side::B };
    let (consultant, chooser) = match (format, roles) {
        (Format::Consultancy, Roles::Assigned) => {
            let side = match ground_truth {
                // Honest or not, half the time each: the baseline's defining draw.
                Some(truth) if rng.coin() => truth,
                Some(truth) => truth.other(),
                None => coin_side(&mut rng),
            };
            (Some(side), None)
        }
        (Format::Consultancy, Roles::Open) => {
            let side = coin_side(&mut rng);
            (Some(side), Some(side))
        }
        (Format::Debate, Roles::Open) => (None, Some(coin_side(&mut rng))),
        (Format::Debate, Roles::Assigned) => (None, None),
    };
    Draw {
        assignment: Assignment {
            seed,
            swapped,
            consultant,
            chooser,
            choice: None,
        },
        positions,
        ground_truth,
    }
}

/// The side that holds answer `index` (0 or 1) of the question.
pub fn side_of_answer(index: u8, swapped: bool) -> Option<Side> {
    match (index, swapped) {
        (0, false) | (1, true) => Some(Side::A),
        (1, false) | (0, true) => Some(Side::B),
        _ => None,
    }
}

/// The answers in the question's order, from positions drawn with `swapped`.
pub fn answers_in_order(positions: &Positions, swapped: bool) -> [&str; 2] {
    if swapped {
        [&positions.b, &positions.a]
    } else {
        [&positions.a, &positions.b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWERS: [&str; 2] = ["first", "second"];

    #[test]
    fn the_same_seed_draws_the_same() {
        for seed in [0, 1, 42, u64::MAX] {
            for format in [Format::Debate, Format::Consultancy] {
                for roles in [Roles::Assigned, Roles::Open] {
                    let a = draw(seed, ANSWERS, Some(1), format, roles);
                    assert_eq!(a, draw(seed, ANSWERS, Some(1), format, roles));
                    assert_eq!(a.assignment.seed, seed);
                }
            }
        }
        assert_eq!(seed_for(7, "q1", 0), seed_for(7, "q1", 0));
        assert_ne!(seed_for(7, "q1", 0), seed_for(7, "q1", 1));
        assert_ne!(seed_for(7, "q1", 0), seed_for(7, "q2", 0));
        assert_ne!(seed_for(7, "q1", 0), seed_for(8, "q1", 0));
    }

    #[test]
    fn positions_and_truth_follow_the_swap() {
        for seed in 0..64 {
            let d = draw(seed, ANSWERS, Some(0), Format::Debate, Roles::Assigned);
            let truth = d.ground_truth.unwrap();
            assert_eq!(d.positions.of(truth), "first", "seed {seed}");
            assert_eq!(
                answers_in_order(&d.positions, d.assignment.swapped),
                ANSWERS
            );
            assert_eq!(d.assignment.consultant, None);
            assert_eq!(d.assignment.chooser, None);
        }
        let unknown = draw(3, ANSWERS, None, Format::Debate, Roles::Assigned);
        assert_eq!(unknown.ground_truth, None);
        assert_eq!(
            draw(3, ANSWERS, Some(7), Format::Debate, Roles::Assigned).ground_truth,
            None,
            "an index past the two answers is no truth"
        );
    }

    /// Over many questions' seeds, A holds the right answer about half the time, and the
    /// consultant argues it about half the time: neither side nor honesty is a tell.
    #[test]
    fn draws_are_balanced_over_many_seeds() {
        let n = 10_000;
        let (mut a_right, mut honest, mut consultant_a, mut chooser_a) = (0, 0, 0, 0);
        for i in 0..n {
            let seed = seed_for(2024, &format!("q{i}"), 0);
            let d = draw(seed, ANSWERS, Some(1), Format::Consultancy, Roles::Assigned);
            let truth = d.ground_truth.unwrap();
            a_right += usize::from(truth == Side::A);
            let consultant = d.assignment.consultant.unwrap();
            honest += usize::from(consultant == truth);
            consultant_a += usize::from(consultant == Side::A);
            let open = draw(seed, ANSWERS, None, Format::Debate, Roles::Open);
            chooser_a += usize::from(open.assignment.chooser == Some(Side::A));
        }
        // Binomial(10000, 0.5) has a standard deviation of 50: 4 of them is 200.
        for (what, count) in [
            ("A right", a_right),
            ("honest consultant", honest),
            ("consultant on A", consultant_a),
            ("chooser on A", chooser_a),
        ] {
            assert!(count.abs_diff(n / 2) < 200, "{what}: {count} of {n}");
        }
    }

    #[test]
    fn consultancy_without_a_truth_still_draws_a_side() {
        let d = draw(9, ANSWERS, None, Format::Consultancy, Roles::Assigned);
        assert!(d.assignment.consultant.is_some());
        let open = draw(9, ANSWERS, None, Format::Consultancy, Roles::Open);
        assert_eq!(open.assignment.consultant, open.assignment.chooser);
    }

    #[test]
    fn answers_have_sides() {
        assert_eq!(side_of_answer(0, false), Some(Side::A));
        assert_eq!(side_of_answer(0, true), Some(Side::B));
        assert_eq!(side_of_answer(1, true), Some(Side::A));
        assert_eq!(side_of_answer(2, false), None);
    }
}
