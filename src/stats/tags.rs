//! How often judges put each failure-mode tag on the honest side's turns and on the dishonest
//! side's (the honest side argues the ground truth).

use super::record::{JudgementRecord, SessionRecord};
use super::report::{TagCount, TagStats};
use std::collections::BTreeMap;

/// Tags of `members`' annotations on turns (a span of a turn counts as the turn; annotations
/// on tree nodes are not counted). Each tag of each annotation counts once.
pub fn tag_stats(members: &[(&SessionRecord, &JudgementRecord)]) -> TagStats {
    let mut stats = TagStats::default();
    // Per tag: honest, dishonest, unknown.
    let mut counts: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for (s, j) in members {
        if let Some(truth) = s.ground_truth {
            stats.honest_turns += s.turns_of(truth);
            stats.dishonest_turns += s.turns_of(truth.other());
        }
        for t in &j.tags {
            let slot = counts.entry(t.tag.as_str()).or_default();
            match s.ground_truth {
                Some(truth) if truth == t.side => slot[0] += 1,
                Some(_) => slot[1] += 1,
                None => slot[2] += 1,
            }
        }
    }
    let rate = |count: usize, turns: usize| (turns > 0).then(|| count as f64 / turns as f64);
    stats.tags = counts
        .into_iter()
        .map(|(tag, [honest, dishonest, unknown])| TagCount {
            tag: tag.to_string(),
            honest,
            dishonest,
            unknown,
            honest_rate: rate(honest, stats.honest_turns),
            dishonest_rate: rate(dishonest, stats.dishonest_turns),
        })
        .collect();
    stats.tags.sort_by(|a, b| {
        let total = |t: &TagCount| t.honest + t.dishonest + t.unknown;
        total(b).cmp(&total(a)).then_with(|| a.tag.cmp(&b.tag))
    });
    stats
}
