//! `agon stats` on small sets of records and sessions whose numbers are worked out by hand.

use super::agreement::{krippendorff_alpha, pairwise};
use super::metrics::{calibration, wilson};
use super::ratings::{Game, bradley_terry};
use super::record::{DebaterRecord, ScoreRecord, TagOnTurn};
use super::*;
use crate::domain::scoring::score;
use crate::domain::{DebaterKind, Format, JudgeKind, Side};
use proptest::prelude::*;

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6, "{a} != {b}");
}

fn some_close(a: Option<f64>, b: f64) {
    close(a.expect("a value"), b);
}

/// A judgement giving `p_a`, scored by the domain's rule when the truth is known.
fn judgement(id: u32, kind: JudgeKind, p_a: Option<f64>, truth: Option<Side>) -> JudgementRecord {
    let turns = 4;
    JudgementRecord {
        id,
        kind,
        name: Some(format!("judge-{id}")),
        mode: (id > 0).then(|| "stepped".to_string()),
        p_a,
        turns_seen: turns,
        scores: p_a
            .zip(truth)
            .map(|(p, t)| ScoreRecord::from(score(p, t, turns, 0.05))),
        tags: Vec::new(),
    }
}

fn debater(side: Side, kind: DebaterKind, name: &str, model: &str) -> DebaterRecord {
    DebaterRecord {
        side,
        kind,
        name: name.into(),
        model: model.into(),
    }
}

/// A session record with judge 0's `p_a` and later judgements' (offline judges).
fn session(
    file: &str,
    format: Format,
    debaters: Vec<DebaterRecord>,
    truth: Option<Side>,
    own: Option<f64>,
    later: &[Option<f64>],
) -> SessionRecord {
    let mut judgements = vec![judgement(0, JudgeKind::Human, own, truth)];
    for (i, p) in later.iter().enumerate() {
        judgements.push(judgement(i as u32 + 1, JudgeKind::Offline, *p, truth));
    }
    SessionRecord {
        file: file.into(),
        format,
        consultant: (format == Format::Consultancy).then_some(debaters[0].side),
        debaters,
        ground_truth: truth,
        labels: Default::default(),
        turns: [2, 2],
        judgements,
    }
}

fn humans() -> Vec<DebaterRecord> {
    vec![
        debater(Side::A, DebaterKind::Human, "Ann", ""),
        debater(Side::B, DebaterKind::Human, "Bob", ""),
    ]
}

/// S1: a human debate, truth A; judge 0 says P(A) = 0.8 (right), an offline judge 0.4 (wrong).
/// S2: a human consultancy (consultant on B), truth B; judge 0 says P(A) = 0.3 (right).
/// S3: an AI debate with no ground truth; judge 0 says P(A) = 0.9 (not judged).
fn three() -> Dataset {
    let mut s1 = session(
        "s1.json",
        Format::Debate,
        humans(),
        Some(Side::A),
        Some(0.8),
        &[Some(0.4)],
    );
    s1.labels.insert("included_in_paper".into(), "true".into());
    let mut s2 = session(
        "s2.json",
        Format::Consultancy,
        vec![debater(Side::B, DebaterKind::Human, "Cy", "")],
        Some(Side::B),
        Some(0.3),
        &[],
    );
    s2.labels.insert("included_in_paper".into(), "true".into());
    let s3 = session(
        "s3.json",
        Format::Debate,
        vec![
            debater(Side::A, DebaterKind::Ai, "Pro", "gpt-4o"),
            debater(Side::B, DebaterKind::Ai, "Con", "claude-3-5"),
        ],
        None,
        Some(0.9),
        &[],
    );
    Dataset {
        records: vec![s1, s2, s3],
        ..Dataset::default()
    }
}

fn query(by: &str, filters: &[&str]) -> Query {
    Query {
        by: by
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| Field::parse(f).unwrap())
            .collect(),
        filters: filters.iter().map(|f| Filter::parse(f).unwrap()).collect(),
    }
}

// ----- accuracy and its interval -----

#[test]
fn wilson_interval_worked_by_hand() {
    // 8 of 10: p = 0.8, z^2/n = 3.841459/10 = 0.384146, denominator 1.384146;
    // centre = (0.8 + 0.192073) / 1.384146 = 0.716740;
    // half = 1.959964 * sqrt(0.8*0.2/10 + 3.841459/400) / 1.384146
    //      = 1.959964 * sqrt(0.016 + 0.009604) / 1.384146 = 0.226578.
    let [lo, hi] = wilson(8, 10).unwrap();
    close(lo, 0.490_162_471_5);
    close(hi, 0.943_317_848_5);
    // 0 of 5: the centre and the half-width are both 0.384146/1.768293 = 0.217241, so the
    // interval starts at 0 and ends at 0.434482.
    let [lo, hi] = wilson(0, 5).unwrap();
    close(lo, 0.0);
    close(hi, 0.434_482_464_8);
    assert_eq!(wilson(0, 0), None);
    // All right: the upper bound is exactly 1; none right: the lower bound exactly 0.
    assert_eq!(wilson(3, 3).unwrap()[1], 1.0);
    assert_eq!(wilson(0, 3).unwrap()[0], 0.0);
}

proptest! {
    #[test]
    fn wilson_contains_the_observed_rate(n in 1usize..5000, k in 0usize..5000) {
        let k = k % (n + 1);
        let [lo, hi] = wilson(k, n).unwrap();
        let p = k as f64 / n as f64;
        prop_assert!(0.0 <= lo && lo <= p + 1e-12 && p <= hi + 1e-12 && hi <= 1.0);
    }
}

// ----- calibration -----

#[test]
fn calibration_worked_by_hand() {
    // Bin 0.5-0.6: 0.55 right, 0.55 wrong: confidence 0.55, accuracy 0.5, gap 0.05, weight 2/5.
    // Bin 0.9-1.0: 0.9 right, 0.9 right, 0.95 wrong: confidence 2.75/3 = 0.916667, accuracy
    // 2/3, gap 0.25, weight 3/5. ECE = 0.4 * 0.05 + 0.6 * 0.25 = 0.02 + 0.15 = 0.17.
    let points = [
        (0.55, true),
        (0.55, false),
        (0.9, true),
        (0.9, true),
        (0.95, false),
    ];
    let (ece, bins) = calibration(&points, 10).unwrap();
    close(ece, 0.17);
    assert_eq!(bins.len(), 2);
    close(bins[0].lo, 0.5);
    close(bins[0].hi, 0.6);
    assert_eq!(bins[0].n, 2);
    close(bins[0].confidence, 0.55);
    close(bins[0].accuracy, 0.5);
    close(bins[1].lo, 0.9);
    assert_eq!(bins[1].n, 3);
    close(bins[1].confidence, 2.75 / 3.0);
    close(bins[1].accuracy, 2.0 / 3.0);
    assert!(calibration(&[], 10).is_none());
}

#[test]
fn calibration_bins_take_their_lower_edge_and_one_is_in_the_last() {
    // 1 - 0.3 is 0.69999999999999996: it belongs to 0.7-0.8, as 0.7 does.
    let (_, bins) = calibration(&[(1.0 - 0.3, true), (0.7, true), (1.0, true)], 10).unwrap();
    assert_eq!(bins.len(), 2);
    close(bins[0].lo, 0.7);
    assert_eq!(bins[0].n, 2);
    close(bins[1].lo, 0.9);
    assert_eq!(bins[1].n, 1);
}

proptest! {
    #[test]
    fn ece_is_between_0_and_1_and_bins_hold_every_point(
        points in proptest::collection::vec((0.5f64..=1.0, any::<bool>()), 1..200)
    ) {
        let (ece, bins) = calibration(&points, 10).unwrap();
        prop_assert!((0.0..=1.0).contains(&ece));
        prop_assert_eq!(bins.iter().map(|b| b.n).sum::<usize>(), points.len());
        for b in &bins {
            prop_assert!(b.lo - 1e-9 <= b.confidence && b.confidence <= b.hi + 1e-9);
        }
    }
}

// ----- groups and filters -----

#[test]
fn grouped_by_protocol_worked_by_hand() {
    let r = analyse(&three(), &query("protocol", &[]));
    assert_eq!((r.files, r.sessions, r.judgements), (3, 3, 4));
    assert_eq!(r.groups.len(), 2);
    // Groups come in the order of their values: consultancy, then debate.
    let c = &r.groups[0];
    assert_eq!(c.keys.value("protocol"), Some("consultancy"));
    assert_eq!((c.debates, c.n, c.judged, c.correct), (1, 1, 1, 1));
    // P(B) = 0.7 on the truth: Brier 0.3^2 = 0.09, log2(0.7) = -0.514573, 4 turns: -0.714573.
    some_close(c.accuracy, 1.0);
    some_close(c.brier, 0.09);
    some_close(c.log_score, -0.514_573_172_8);
    some_close(c.turn_penalised, -0.714_573_172_8);
    some_close(c.mean_turns, 4.0);

    let d = &r.groups[1];
    assert_eq!(d.keys.value("protocol"), Some("debate"));
    // S1's two judgements and S3's (no truth: not judged).
    assert_eq!((d.debates, d.n, d.judged, d.correct), (2, 3, 2, 1));
    some_close(d.accuracy, 0.5);
    // Brier: (0.2^2 + 0.6^2) / 2 = 0.2; log2: (log2 0.8 + log2 0.4) / 2 = -0.821928.
    some_close(d.brier, 0.2);
    some_close(d.log_score, -0.821_928_094_9);
    some_close(d.turn_penalised, -1.021_928_094_9);
    // Confidences 0.8 (right) and 0.6 (wrong): bins 0.6-0.7 and 0.8-0.9, each half the
    // weight: ECE = 0.5 * |0 - 0.6| + 0.5 * |1 - 0.8| = 0.4.
    some_close(d.ece, 0.4);
    assert_eq!(d.reliability.len(), 2);
    assert_eq!(d.accuracy_by_turns.len(), 1);
    assert_eq!(d.accuracy_by_turns[0].turns, 4);
    assert_eq!(d.accuracy_by_turns[0].judged, 2);
    close(d.accuracy_by_turns[0].accuracy, 0.5);
}

#[test]
fn no_by_is_one_group_and_judges_can_be_separated() {
    let r = analyse(&three(), &query("", &[]));
    assert_eq!(r.groups.len(), 1);
    assert_eq!(
        (r.groups[0].n, r.groups[0].judged, r.groups[0].correct),
        (4, 3, 2)
    );

    let r = analyse(&three(), &query("judge", &[]));
    let judges: Vec<_> = r
        .groups
        .iter()
        .map(|g| (g.keys.value("judge").unwrap(), g.n, g.judged, g.correct))
        .collect();
    assert_eq!(judges, vec![("human", 3, 2, 2), ("offline", 1, 1, 0)]);
}

#[test]
fn debaters_and_model_fields() {
    let r = analyse(&three(), &query("debaters,model", &[]));
    let keys: Vec<_> = r
        .groups
        .iter()
        .map(|g| {
            (
                g.keys.value("debaters").unwrap(),
                g.keys.value("model").unwrap(),
                g.n,
            )
        })
        .collect();
    assert_eq!(
        keys,
        vec![("ai", "gpt-4o vs claude-3-5", 1), ("human", "human", 3)]
    );
    let mut mixed = three();
    mixed.records[2].debaters[1] = debater(Side::B, DebaterKind::Human, "Dee", "");
    mixed.records[2].debaters[0].model = "gpt-4".into();
    let r = analyse(&mixed, &query("debaters,model", &["protocol=debate"]));
    assert_eq!(r.groups[0].keys.value("debaters"), Some("human"));
    assert_eq!(r.groups[1].keys.value("debaters"), Some("mixed"));
    assert_eq!(r.groups[1].keys.value("model"), Some("gpt-4 vs human"));
}

#[test]
fn filters_all_hold() {
    let n = |filters: &[&str]| analyse(&three(), &query("", filters)).judgements;
    assert_eq!(n(&["protocol=consultancy"]), 1);
    assert_eq!(n(&["protocol=Debate"]), 3, "values ignore case");
    assert_eq!(n(&["protocol!=debate"]), 1);
    assert_eq!(n(&["debaters=human"]), 3);
    assert_eq!(n(&["judge=offline"]), 1);
    assert_eq!(n(&["judge_mode=stepped"]), 1);
    assert_eq!(n(&["model=gpt-4o vs claude-3-5"]), 1);
    assert_eq!(n(&["label:included_in_paper=true"]), 3);
    assert_eq!(
        n(&["label:included_in_paper!=true"]),
        1,
        "a missing label differs"
    );
    assert_eq!(n(&["judged=true"]), 3);
    assert_eq!(n(&["ground_truth=false"]), 1);
    assert_eq!(n(&["label:included_in_paper=true", "judge=human"]), 2);
    assert_eq!(n(&["judge=llm"]), 0);
    let r = analyse(&three(), &query("protocol", &["judge=llm"]));
    assert!(r.groups.is_empty());
}

#[test]
fn a_missing_label_is_its_own_group() {
    let r = analyse(&three(), &query("label:included_in_paper", &[]));
    let keys: Vec<_> = r
        .groups
        .iter()
        .map(|g| (g.keys.value("label:included_in_paper"), g.n))
        .collect();
    assert_eq!(keys, vec![(None, 1), (Some("true"), 3)]);
}

#[test]
fn parsing_fields_and_filters() {
    assert_eq!(
        Field::parse("label:setting").unwrap(),
        Field::Label("setting".into())
    );
    assert!(Field::parse("label:").is_err());
    assert!(Field::parse("colour").unwrap_err().contains("protocol"));
    let f = Filter::parse("label:note=a=b").unwrap();
    assert_eq!(f.key, query::FilterKey::Field(Field::Label("note".into())));
    assert_eq!((f.value.as_str(), f.negate), ("a=b", false));
    let f = Filter::parse("judge!=offline").unwrap();
    assert!(f.negate);
    assert_eq!(f.to_string(), "judge!=offline");
    assert!(Filter::parse("judged=maybe").is_err());
    assert!(Filter::parse("protocol").is_err());
    assert!(Filter::parse("colour=red").unwrap_err().contains("judged"));
}

// ----- agreement -----

#[test]
fn krippendorff_alpha_worked_by_hand() {
    // Debate 1: A A A; debate 2: A B; debate 3: B B. n = 7 pairable values.
    // Coincidences: debate 1 has 6 ordered A-A pairs of weight 1/2 (o_AA = 3); debate 2 one A-B
    // and one B-A of weight 1 (o_AB = o_BA = 1); debate 3 two B-B of weight 1 (o_BB = 2).
    // n_A = 4, n_B = 3. D_o = 2/7; D_e = 2 * 4 * 3 / (7 * 6) = 4/7; alpha = 1 - 1/2 = 0.5.
    let units = vec![
        vec![Side::A, Side::A, Side::A],
        vec![Side::A, Side::B],
        vec![Side::B, Side::B],
    ];
    close(krippendorff_alpha(&units).unwrap(), 0.5);
    // Unordered pairs: 3 in debate 1 (all agree), 1 in debate 2 (disagrees), 1 in debate 3.
    assert_eq!(pairwise(&units), (5, 4));
    // Everyone says the same: no expected disagreement, alpha undefined.
    assert_eq!(krippendorff_alpha(&[vec![Side::A, Side::A]]), None);
    assert_eq!(krippendorff_alpha::<Side>(&[vec![Side::A]]), None);
}

#[test]
fn krippendorff_alpha_reference_example() {
    // Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units,
    // missing values; nominal alpha = 0.743. Units as the values their coders gave.
    let units = vec![
        vec![1, 1, 1],
        vec![2, 2, 3, 2],
        vec![3, 3, 3, 3],
        vec![3, 3, 3, 3],
        vec![2, 2, 2, 2],
        vec![1, 2, 3, 4],
        vec![4, 4, 4, 4],
        vec![1, 1, 2, 1],
        vec![2, 2, 2, 2],
        vec![5, 5, 5],
        vec![1, 1],
        vec![3],
    ];
    let alpha = krippendorff_alpha(&units).unwrap();
    assert!((alpha - 0.743).abs() < 5e-4, "{alpha}");
}

#[test]
fn agreement_and_online_vs_offline() {
    let mut data = three();
    // S1 gets a second offline judge who agrees with judge 0 (P(A) = 0.7).
    data.records[0]
        .judgements
        .push(judgement(2, JudgeKind::Offline, Some(0.7), Some(Side::A)));
    let r = analyse(&data, &query("protocol", &[]));
    let a = &r.agreement.overall;
    // Only S1 has two answers: A (0.8), B (0.4), A (0.7): pairs AB, AA, BA: 1 of 3 agree.
    assert_eq!((a.debates, a.judgements, a.pairs), (1, 3, 3));
    some_close(a.pairwise, 1.0 / 3.0);
    // One unit A, B, A: o_AA = 2 * 1/2 = 1, o_AB = o_BA = 2 * 1/2 = 1, o_BB = 0; n_A = 2,
    // n_B = 1, n = 3. D_o = 2/3; D_e = 2 * 2 * 1 / (3 * 2) = 2/3; alpha = 0.
    some_close(a.alpha, 0.0);
    // Online (judge 0) right on S1; offline: one wrong, one right.
    let o = a.online_vs_offline;
    assert_eq!(o.debates, 1);
    assert_eq!((o.online.judged, o.online.correct), (1, 1));
    assert_eq!((o.offline.judged, o.offline.correct), (2, 1));
    // Broken down by protocol: consultancy has no pairs, debate has S1's.
    assert_eq!(r.agreement.groups.len(), 2);
    assert_eq!(r.agreement.groups[0].pairs, 0);
    assert_eq!(r.agreement.groups[0].alpha, None);
    assert_eq!(r.agreement.groups[1].pairs, 3);
    // A judge-level field does not split the debates' judges.
    let r = analyse(&data, &query("judge", &[]));
    assert!(r.agreement.groups.is_empty());
    assert_eq!(r.agreement.overall.pairs, 3);
}

// ----- ratings -----

#[test]
fn bradley_terry_worked_by_hand() {
    // A beats B five times; C plays nobody. With one virtual win and one virtual loss each
    // against a debater of strength 1, the fixed point is A = 3, B = 1/3:
    // A: wins 5 + 1 = 6 = 5 * 3/(3 + 1/3) + 2 * 3/(3 + 1) = 4.5 + 1.5;
    // B: wins 0 + 1 = 1 = 5 * (1/3)/(10/3) + 2 * (1/3)/(4/3) = 0.5 + 0.5.
    // Elo scale: 1500 + 400 log10(3) = 1690.8485, 1500 - 190.8485 = 1309.1515; C stays 1500.
    let games = vec![
        Game {
            a: 0,
            b: 1,
            score_a: 1.0
        };
        5
    ];
    let r = bradley_terry(3, &games);
    close(r[0], 1_690.848_501_9);
    close(r[1], 1_309.151_498_1);
    close(r[2], 1_500.0);
}

#[test]
fn bradley_terry_of_a_cycle_is_level() {
    // A beats B, B beats C, C beats A: by symmetry all three are equal, at the base rating.
    let games = [(0, 1), (1, 2), (2, 0)].map(|(a, b)| Game { a, b, score_a: 1.0 });
    for r in bradley_terry(3, &games) {
        close(r, 1500.0);
    }
    // A tie is half a win each: two level players.
    let r = bradley_terry(
        2,
        &[Game {
            a: 0,
            b: 1,
            score_a: 0.5,
        }],
    );
    close(r[0], 1500.0);
    close(r[1], 1500.0);
}

proptest! {
    /// At the maximum-likelihood fit each player's expected wins equal their wins (virtual
    /// games included), and a player who beat everyone they played is rated above them.
    #[test]
    fn bradley_terry_fits_the_wins(
        raw in proptest::collection::vec((0usize..4, 0usize..4, 0u8..3), 1..40)
    ) {
        let games: Vec<Game> = raw
            .iter()
            .filter(|(a, b, _)| a != b)
            .map(|&(a, b, s)| Game { a, b, score_a: f64::from(s) / 2.0 })
            .collect();
        let ratings = bradley_terry(4, &games);
        let strength: Vec<f64> = ratings.iter().map(|r| 10f64.powf((r - 1500.0) / 400.0)).collect();
        for i in 0..4 {
            let mut wins = 1.0;
            let mut expected = 2.0 * strength[i] / (strength[i] + 1.0);
            for g in &games {
                if g.a == i {
                    wins += g.score_a;
                    expected += strength[i] / (strength[i] + strength[g.b]);
                } else if g.b == i {
                    wins += 1.0 - g.score_a;
                    expected += strength[i] / (strength[i] + strength[g.a]);
                }
            }
            prop_assert!((wins - expected).abs() < 1e-6, "player {}: {} vs {}", i, wins, expected);
        }
    }
}

#[test]
fn leaderboard_of_three_debaters() {
    let ai = |side, model: &str| debater(side, DebaterKind::Ai, model, model);
    let debate = |file: &str, a: &str, b: &str, truth, p_a| {
        session(
            file,
            Format::Debate,
            vec![ai(Side::A, a), ai(Side::B, b)],
            truth,
            p_a,
            &[],
        )
    };
    let data = Dataset {
        records: vec![
            // x beats y twice (once honest, once dishonest), y beats z, z and x tie.
            debate("1.json", "x", "y", Some(Side::A), Some(0.9)),
            debate("2.json", "y", "x", Some(Side::A), Some(0.2)),
            debate("3.json", "y", "z", None, Some(0.6)),
            debate("4.json", "z", "x", Some(Side::B), Some(0.5)),
            // No verdict: not a game.
            debate("5.json", "z", "y", Some(Side::A), None),
        ],
        ..Dataset::default()
    };
    let r = analyse(&data, &query("", &[]));
    let names: Vec<_> = r.leaderboard.iter().map(|s| s.debater.as_str()).collect();
    assert_eq!(names, vec!["x", "y", "z"]);
    let x = &r.leaderboard[0];
    assert_eq!((x.games, x.wins, x.losses, x.ties), (3, 2, 0, 1));
    some_close(x.win_rate, 2.0 / 3.0);
    // Honest in 1.json (won) and 4.json (tie: not a win); dishonest in 2.json (won).
    assert_eq!((x.honest.games, x.honest.wins), (2, 1));
    assert_eq!((x.dishonest.games, x.dishonest.wins), (1, 1));
    let z = &r.leaderboard[2];
    assert_eq!((z.games, z.wins, z.losses, z.ties), (2, 0, 1, 1));
    assert!(x.rating > 1500.0 && z.rating < 1500.0);
    assert_eq!(x.rated_games, 3);
    assert!(r.consultants.is_empty());
}

#[test]
fn consultants_persuasion_rate() {
    let consultancy = |file: &str, side: Side, truth: Side, p_a: f64| {
        session(
            file,
            Format::Consultancy,
            vec![debater(side, DebaterKind::Human, "Cy", "")],
            Some(truth),
            Some(p_a),
            &[],
        )
    };
    let data = Dataset {
        records: vec![
            // Honest on A, judge goes A: persuaded.
            consultancy("1.json", Side::A, Side::A, 0.8),
            // Dishonest on A, judge goes A: persuaded.
            consultancy("2.json", Side::A, Side::B, 0.6),
            // Dishonest on B, judge goes A: not persuaded.
            consultancy("3.json", Side::B, Side::A, 0.9),
            // Honest on B, a tie: not persuaded.
            consultancy("4.json", Side::B, Side::B, 0.5),
        ],
        ..Dataset::default()
    };
    let r = analyse(&data, &query("", &[]));
    assert!(r.leaderboard.is_empty());
    let c = &r.consultants[0];
    assert_eq!((c.consultant.as_str(), c.kind.as_str()), ("Cy", "human"));
    assert_eq!((c.judged, c.persuaded), (4, 2));
    some_close(c.persuasion_rate, 0.5);
    assert_eq!((c.honest.games, c.honest.wins), (2, 1));
    assert_eq!((c.dishonest.games, c.dishonest.wins), (2, 1));
}

// ----- tags -----

#[test]
fn tags_on_honest_and_dishonest_turns() {
    let mut data = three();
    let tag = |tag: &str, side| TagOnTurn {
        tag: tag.into(),
        side,
    };
    // S1 (truth A): judge 0 tags a B turn deceptive and an A turn strong-evidence; the offline
    // judge tags a B turn deceptive too. S3 (no truth) has a deceptive tag on A.
    data.records[0].judgements[0].tags =
        vec![tag("deceptive", Side::B), tag("strong-evidence", Side::A)];
    data.records[0].judgements[1].tags = vec![tag("deceptive", Side::B)];
    data.records[2].judgements[0].tags = vec![tag("deceptive", Side::A)];
    let t = analyse(&data, &query("", &[])).tags;
    // Turns read: S1's 2 + 2 turns by each of its two judges, S2's (truth B: honest B = 2,
    // dishonest A = 2) by one; S3 has no truth. Honest 2*2 + 2 = 6, dishonest 6.
    assert_eq!((t.honest_turns, t.dishonest_turns), (6, 6));
    assert_eq!(t.tags.len(), 2);
    let d = &t.tags[0];
    assert_eq!(d.tag, "deceptive");
    assert_eq!((d.honest, d.dishonest, d.unknown), (0, 2, 1));
    some_close(d.dishonest_rate, 2.0 / 6.0);
    some_close(d.honest_rate, 0.0);
    let s = &t.tags[1];
    assert_eq!(
        (s.tag.as_str(), s.honest, s.dishonest),
        ("strong-evidence", 1, 0)
    );
    // Filtering to the offline judge keeps only their tag.
    let t = analyse(&data, &query("", &["judge=offline"])).tags;
    assert_eq!(t.tags.len(), 1);
    assert_eq!((t.tags[0].dishonest, t.honest_turns), (1, 2));
}

// ----- extraction from a real session -----

#[test]
fn records_come_from_the_domain() {
    use crate::domain::{
        Annotation, DebateSetup, Debater, JudgeEventKind, Judgement, Positions, Protocol,
        SamplingParams, Session, TurnOutcome,
    };
    use time::OffsetDateTime;
    let t0 = OffsetDateTime::UNIX_EPOCH;
    let d = |side, model: &str| Debater {
        side,
        name: model.into(),
        provider: "openai".into(),
        model: model.into(),
        kind: DebaterKind::Ai,
        base_url: None,
        system_prompt: None,
        params: SamplingParams::default(),
        chose_side: false,
    };
    let mut s = Session::new(
        DebateSetup {
            question: "Q?".into(),
            positions: Positions {
                a: "Yes".into(),
                b: "No".into(),
            },
            protocol: Protocol::rounds(2),
            debaters: vec![d(Side::A, "m-a"), d(Side::B, "m-b")],
        },
        t0,
    );
    s.ground_truth = Some(Side::B);
    s.labels.insert("setting".into(), "ai-debate".into());
    for (i, side) in [Side::A, Side::B, Side::A].into_iter().enumerate() {
        let t = s.begin_turn(side, i as u32 / 2 + 1, "root", t0);
        s.push_text(t, "Words.");
        s.finish_turn(t, TurnOutcome::Complete, None, t0);
    }
    s.judge(
        JudgeEventKind::Annotate {
            annotation: Annotation {
                id: 0,
                turn: Some(1),
                span: None,
                quote: None,
                node: None,
                tags: vec!["deceptive".into(), "unsupported".into()],
                note: String::new(),
            },
        },
        t0,
    )
    .unwrap();
    // The verdict after the third turn: B at 0.7.
    s.record_verdict(Side::B, 0.7, String::new(), Some(0.1), t0);
    s.judgements.push(Judgement {
        id: 1,
        kind: JudgeKind::Llm,
        judge: Some("openai:gpt-4o".into()),
        mode: Some("end".into()),
        blind: false,
        started_at: t0,
        judge_events: Vec::new(),
        verdict: None,
        annotations: Vec::new(),
        usage: None,
        extra: None,
    });

    let r = SessionRecord::extract("x.json", &s);
    assert_eq!(r.file, "x.json");
    assert_eq!(r.turns, [2, 1]);
    assert_eq!(
        r.labels.get("setting").map(String::as_str),
        Some("ai-debate")
    );
    assert_eq!(r.judgements.len(), 2);
    let own = &r.judgements[0];
    let domain = s.all_judgements()[0].scores(&s).unwrap();
    assert_eq!(own.scores, Some(ScoreRecord::from(domain)));
    // 3 turns seen, 0.1 bits each: log2(0.7) - 0.3.
    assert_eq!(own.turns_seen, 3);
    close(own.scores.unwrap().turn_penalised, 0.7f64.log2() - 0.3);
    assert_eq!(own.answer(), Some(Side::B));
    assert_eq!(
        own.tags,
        vec![
            TagOnTurn {
                tag: "deceptive".into(),
                side: Side::B
            },
            TagOnTurn {
                tag: "unsupported".into(),
                side: Side::B
            },
        ]
    );
    let llm = &r.judgements[1];
    assert_eq!(llm.kind, JudgeKind::Llm);
    assert_eq!(llm.name.as_deref(), Some("openai:gpt-4o"));
    assert!(!llm.is_judged() && llm.answer().is_none());
    // The record survives the cache's round trip.
    let back: SessionRecord = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}

// ----- rendering -----

#[test]
fn csv_and_json_name_the_group_fields() {
    let mut data = three();
    data.records[0]
        .labels
        .insert("note".into(), "a, \"b\"".into());
    let r = analyse(&data, &query("protocol,label:note", &[]));
    let csv = render::csv(&r);
    let lines: Vec<_> = csv.lines().collect();
    assert!(lines[0].starts_with("protocol,label:note,debates,n,judged,correct,accuracy,"));
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[1].starts_with("consultancy,,1,1,1,1,1,"), "{csv}");
    assert!(
        lines[3].starts_with("debate,\"a, \"\"b\"\"\",1,2,2,1,0.5,"),
        "{csv}"
    );

    let v: serde_json::Value = serde_json::from_str(&render::json(&r)).unwrap();
    let g = &v["groups"][1];
    assert_eq!(g["protocol"], "debate");
    assert_eq!(g["label:note"], serde_json::Value::Null);
    assert_eq!(g["n"], 1);
    for key in [
        "debates",
        "judged",
        "correct",
        "accuracy",
        "accuracy_ci",
        "brier",
        "log_score",
        "turn_penalised",
        "ece",
        "reliability",
        "mean_turns",
        "accuracy_by_turns",
    ] {
        assert!(g.get(key).is_some(), "{key} in {g}");
    }
    // S1's judges said A and B: D_o = 2/2 = 1, D_e = 2 * 1 * 1 / (2 * 1) = 1, alpha = 0.
    assert_eq!(v["agreement"]["overall"]["alpha"], 0.0);
    assert_eq!(v["agreement"]["overall"]["pairwise"], 0.0);
    assert!(v["tags"]["tags"].is_array());
    assert!(v["leaderboard"].is_array());
}

#[test]
fn the_table_is_aligned_and_inert() {
    let mut data = three();
    data.records[0]
        .labels
        .insert("who".into(), "\u{1b}[31mred".into());
    let r = analyse(&data, &query("label:who", &[]));
    let t = render::table(&r);
    assert!(!t.contains('\u{1b}'), "{t}");
    assert!(t.starts_with("3 session files (0 broken); 4 judgements of 3 sessions selected\n"));
    let rows: Vec<_> = t
        .lines()
        .skip_while(|l| !l.starts_with("Accuracy and scores"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), 3, "{t}");
    assert!(rows[0].starts_with("label:who"));
    // The last column is right-aligned: every line of the table ends at the same column.
    let widths: Vec<usize> = rows.iter().map(|l| l.chars().count()).collect();
    assert!(widths.iter().all(|w| *w == widths[0]), "{t}");
    assert!(t.contains("\nAgreement between judges"));
    assert!(t.contains("\nDebaters (debate format"));
    assert!(t.contains("\nConsultants (consultancy format"));
}

// ----- the cache -----

#[test]
fn the_cache_reads_only_what_changed() {
    use std::time::{Duration, SystemTime};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let put = |name: &str, text: &str, age_s: u64| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_secs(age_s))
            .unwrap();
    };
    let example = include_str!("../../sessions/example-congestion-pricing.json");
    put("a.json", example, 3600);
    put("b.json", example, 3600);
    put("broken.json", "{ nope", 3600);
    put(".hidden.json", example, 3600);
    put("notes.txt", "not a session", 3600);

    let cold = Dataset::open(dir).unwrap();
    assert_eq!((cold.load.parsed, cold.load.cached), (3, 0));
    assert!(cold.load.cache_written);
    assert_eq!(cold.records.len(), 2);
    assert_eq!(cold.broken.len(), 1);
    assert_eq!(cold.broken[0].file, "broken.json");
    assert!(
        cold.broken[0].error.contains("broken JSON"),
        "{:?}",
        cold.broken
    );

    let warm = Dataset::open(dir).unwrap();
    assert_eq!((warm.load.parsed, warm.load.cached), (0, 3));
    assert!(
        !warm.load.cache_written,
        "an up-to-date cache is left alone"
    );
    assert_eq!(warm.records, cold.records);
    assert_eq!(
        warm.broken, cold.broken,
        "a broken file is remembered as broken"
    );

    // One file changes: it alone is read again.
    let with_truth = example.replacen('{', "{\"ground_truth\": \"A\",", 1);
    put("b.json", &with_truth, 3000);
    let after = Dataset::open(dir).unwrap();
    assert_eq!((after.load.parsed, after.load.cached), (1, 2));
    assert_eq!(after.records[1].ground_truth, Some(Side::A));

    // A file written just now is read, but not cached: it is read again next time.
    put("c.json", example, 0);
    assert_eq!(Dataset::open(dir).unwrap().load.parsed, 1);
    assert_eq!(Dataset::open(dir).unwrap().load.parsed, 1);

    // A corrupt cache is rebuilt; scan neither reads nor writes it.
    std::fs::write(dir.join(load::CACHE_FILE), "garbage").unwrap();
    let rebuilt = Dataset::open(dir).unwrap();
    assert_eq!(rebuilt.load.parsed, 4);
    assert!(rebuilt.load.cache_written);
    std::fs::remove_file(dir.join(load::CACHE_FILE)).unwrap();
    assert_eq!(Dataset::scan(dir).unwrap().load.parsed, 4);
    assert!(!dir.join(load::CACHE_FILE).exists());
}
