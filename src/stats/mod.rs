//! `agon stats`: the numbers debate papers report, over a directory of session files.
//!
//! The unit of analysis is one judgement of one debate: judge 0 (the session's own judge) and
//! every entry of its `judgements` (re-judges, LLM judges, offline judges) each count once, so
//! a debate judged by three judges contributes three judgements; `--by judge` separates them.
//!
//! - [`record`]: the compact per-session record (extracted once per file, cached by [`load`]).
//! - [`query`]: the fields to group and filter by.
//! - [`metrics`], [`agreement`], [`ratings`], [`tags`]: the computations, pure.
//! - [`report`]: the result, [`StatsReport`], plain data for the CLI and a future TUI screen.
//! - [`render`]: the table, CSV and JSON forms.
//!
//! Every definition is in `docs/stats.md`.

pub mod agreement;
pub mod load;
pub mod metrics;
pub mod query;
pub mod ratings;
pub mod record;
pub mod render;
pub mod report;
pub mod tags;

pub use load::{BrokenFile, Dataset};
pub use query::{Field, Filter, Query};
pub use record::{JudgementRecord, SessionRecord};
pub use report::StatsReport;

use report::{AgreementReport, GroupKeys};
use std::collections::{BTreeMap, HashSet};

type Member<'a> = (&'a SessionRecord, &'a JudgementRecord);

/// Everything `agon stats` reports: the judgements of `data` that pass the query's filters,
/// grouped by its fields.
pub fn analyse(data: &Dataset, query: &Query) -> StatsReport {
    let members: Vec<Member<'_>> = data
        .records
        .iter()
        .flat_map(|s| s.judgements.iter().map(move |j| (s, j)))
        .filter(|(s, j)| query.keeps(s, j))
        .collect();
    let sessions: HashSet<&str> = members.iter().map(|(s, _)| s.file.as_str()).collect();

    let groups = split(&members, &query.by)
        .into_iter()
        .map(|(keys, group)| metrics::group_stats(keys, &group))
        .collect();

    let debate_level: Vec<Field> = query
        .by
        .iter()
        .filter(|f| f.is_debate_level())
        .cloned()
        .collect();
    let agreement = AgreementReport {
        overall: agreement::agreement(GroupKeys::default(), &members),
        groups: if debate_level.is_empty() {
            Vec::new()
        } else {
            split(&members, &debate_level)
                .into_iter()
                .map(|(keys, group)| agreement::agreement(keys, &group))
                .collect()
        },
    };

    StatsReport {
        by: query.by.iter().map(Field::name).collect(),
        filters: query.filters.iter().map(ToString::to_string).collect(),
        files: data.records.len() + data.broken.len(),
        broken: data.broken.len(),
        sessions: sessions.len(),
        judgements: members.len(),
        groups,
        agreement,
        tags: tags::tag_stats(&members),
        leaderboard: ratings::leaderboard(&members),
        consultants: ratings::consultants(&members),
    }
}

/// The members grouped by the values of `fields`, in the order of those values. With no
/// fields, one group of everything (none at all when there are no members).
fn split<'a>(members: &[Member<'a>], fields: &[Field]) -> Vec<(GroupKeys, Vec<Member<'a>>)> {
    let mut groups: BTreeMap<Vec<Option<String>>, Vec<Member<'a>>> = BTreeMap::new();
    for &(s, j) in members {
        let values = fields.iter().map(|f| f.value(s, j)).collect();
        groups.entry(values).or_default().push((s, j));
    }
    groups
        .into_iter()
        .map(|(values, group)| {
            let keys = fields.iter().map(Field::name).zip(values).collect();
            (GroupKeys(keys), group)
        })
        .collect()
}

#[cfg(test)]
mod tests;
