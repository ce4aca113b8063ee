//! Agreement between the judges of the same debate, and the online judge against the offline
//! ones on the same debates.

use super::record::{JudgementRecord, SessionRecord};
use super::report::{Agreement, GroupKeys, OnlineOffline, Tally};
use std::collections::BTreeMap;

/// Krippendorff's alpha for nominal values. Each unit (debate) holds the values its coders
/// (judges) gave; units with fewer than two values cannot be paired and are left out.
/// `None` when fewer than two values can be paired, or when every value is the same (the
/// expected disagreement is then 0 and alpha undefined).
///
/// From the coincidence matrix: o_ck = sum over units u of (ordered pairs (c, k) of values in u)
/// / (m_u - 1); n_c = sum_k o_ck; n = sum_c n_c; D_o = sum_{c != k} o_ck / n;
/// D_e = sum_{c != k} n_c n_k / (n (n - 1)); alpha = 1 - D_o / D_e.
pub fn krippendorff_alpha<V: Ord + Clone>(units: &[Vec<V>]) -> Option<f64> {
    let mut o: BTreeMap<(V, V), f64> = BTreeMap::new();
    for unit in units.iter().filter(|u| u.len() >= 2) {
        let weight = 1.0 / (unit.len() - 1) as f64;
        for (i, c) in unit.iter().enumerate() {
            for (j, k) in unit.iter().enumerate() {
                if i != j {
                    *o.entry((c.clone(), k.clone())).or_default() += weight;
                }
            }
        }
    }
    let mut n_c: BTreeMap<&V, f64> = BTreeMap::new();
    for ((c, _), w) in &o {
        *n_c.entry(c).or_default() += w;
    }
    let n: f64 = n_c.values().sum();
    if n < 2.0 {
        return None;
    }
    let observed: f64 = o.iter().filter(|((c, k), _)| c != k).map(|(_, w)| w).sum();
    let squares: f64 = n_c.values().map(|m| m * m).sum();
    // sum_{c != k} n_c n_k = (sum_c n_c)^2 - sum_c n_c^2.
    let expected = (n * n - squares) / (n * (n - 1.0));
    if expected <= 0.0 {
        return None;
    }
    Some(1.0 - (observed / n) / expected)
}

/// Pairs of values within the same unit, and how many of them are equal.
pub fn pairwise<V: PartialEq>(units: &[Vec<V>]) -> (usize, usize) {
    let mut pairs = 0;
    let mut same = 0;
    for unit in units {
        for (i, a) in unit.iter().enumerate() {
            for b in unit.iter().skip(i + 1) {
                pairs += 1;
                same += usize::from(a == b);
            }
        }
    }
    (pairs, same)
}

/// Agreement among `members`, all of one group: the answers of each debate's judgements, and
/// the online judge's accuracy against the offline judges' on the debates both judged.
pub fn agreement(keys: GroupKeys, members: &[(&SessionRecord, &JudgementRecord)]) -> Agreement {
    let mut by_debate: BTreeMap<&str, Vec<&JudgementRecord>> = BTreeMap::new();
    for (s, j) in members {
        by_debate.entry(s.file.as_str()).or_default().push(j);
    }
    let units: Vec<Vec<_>> = by_debate
        .values()
        .map(|js| js.iter().filter_map(|j| j.answer()).collect::<Vec<_>>())
        .filter(|answers| answers.len() >= 2)
        .collect();
    let (pairs, same) = pairwise(&units);

    let mut online_vs_offline = OnlineOffline {
        debates: 0,
        online: Tally::default(),
        offline: Tally::default(),
    };
    for js in by_debate.values() {
        let online = js.iter().find(|j| j.id == 0).and_then(|j| j.scores);
        let offline: Vec<_> = js
            .iter()
            .filter(|j| j.id != 0)
            .filter_map(|j| j.scores)
            .collect();
        if let Some(online) = online
            && !offline.is_empty()
        {
            online_vs_offline.debates += 1;
            online_vs_offline.online.add(online.correct);
            for s in offline {
                online_vs_offline.offline.add(s.correct);
            }
        }
    }
    Agreement {
        keys,
        debates: units.len(),
        judgements: units.iter().map(Vec::len).sum(),
        pairs,
        pairwise: (pairs > 0).then(|| same as f64 / pairs as f64),
        alpha: krippendorff_alpha(&units),
        online_vs_offline,
    }
}
