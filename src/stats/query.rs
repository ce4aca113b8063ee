//! What to analyse: the fields judgements are grouped by, and the `--where` filters.
//!
//! The unit is one judgement of one debate, so every field has a value for a (session,
//! judgement) pair: the debate-level fields (protocol, debaters, model, labels) are the
//! session's, the judge-level ones (judge, judge_name, judge_mode) the judgement's.

use super::record::{JudgementRecord, SessionRecord};
use crate::domain::DebaterKind;
use std::fmt;

/// A field to group or filter by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `debate` or `consultancy`.
    Protocol,
    /// `human`, `ai`, `scripted` when every debater is of that kind; else `mixed`.
    Debaters,
    /// The debaters' models (a person counts as `human`), side A's first, joined with ` vs `;
    /// one name when they are the same.
    Model,
    /// The judge's kind: `human`, `llm`, `offline`.
    Judge,
    /// The judge's name (a pseudonym, or `provider:model` for an LLM judge).
    JudgeName,
    /// How a later judge was shown the debate: `stepped`, `timed`, `end`.
    JudgeMode,
    /// The session's label `NAME` (`label:NAME`).
    Label(String),
}

/// The names `--by` and `--where` accept, for error messages and the docs.
pub const FIELD_NAMES: &str =
    "protocol, debaters, model, judge, judge_name, judge_mode, label:NAME";

impl Field {
    pub fn parse(s: &str) -> Result<Field, String> {
        let s = s.trim();
        Ok(match s {
            "protocol" => Field::Protocol,
            "debaters" => Field::Debaters,
            "model" => Field::Model,
            "judge" => Field::Judge,
            "judge_name" => Field::JudgeName,
            "judge_mode" => Field::JudgeMode,
            _ => match s.strip_prefix("label:") {
                Some(name) if !name.trim().is_empty() => Field::Label(name.trim().to_string()),
                Some(_) => return Err("label: needs a label name, e.g. label:setting".into()),
                None => return Err(format!("unknown field {s:?}: use one of {FIELD_NAMES}")),
            },
        })
    }

    /// The field's name as the user writes it (and as JSON and CSV keys).
    pub fn name(&self) -> String {
        match self {
            Field::Protocol => "protocol".into(),
            Field::Debaters => "debaters".into(),
            Field::Model => "model".into(),
            Field::Judge => "judge".into(),
            Field::JudgeName => "judge_name".into(),
            Field::JudgeMode => "judge_mode".into(),
            Field::Label(name) => format!("label:{name}"),
        }
    }

    /// Whether the field is the same for every judgement of a debate (agreement between judges
    /// can be broken down by these, not by the judge's own fields).
    pub fn is_debate_level(&self) -> bool {
        !matches!(self, Field::Judge | Field::JudgeName | Field::JudgeMode)
    }

    /// The field's value for one judgement of one session; `None` when it has none (no such
    /// label, an unnamed judge, no debaters).
    pub fn value(&self, s: &SessionRecord, j: &JudgementRecord) -> Option<String> {
        match self {
            Field::Protocol => Some(s.format.label().to_string()),
            Field::Debaters => debaters(s),
            Field::Model => model(s),
            Field::Judge => Some(j.kind.label().to_string()),
            Field::JudgeName => j.name.clone(),
            Field::JudgeMode => j.mode.clone(),
            Field::Label(name) => s.labels.get(name).cloned(),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

fn debaters(s: &SessionRecord) -> Option<String> {
    let first = s.debaters.first()?;
    if s.debaters.iter().all(|d| d.kind == first.kind) {
        Some(first.kind_label().to_string())
    } else {
        Some("mixed".to_string())
    }
}

fn model(s: &SessionRecord) -> Option<String> {
    let mut debaters: Vec<_> = s.debaters.iter().collect();
    debaters.sort_by_key(|d| d.side);
    let mut names: Vec<&str> = debaters
        .iter()
        .map(|d| match d.kind {
            DebaterKind::Human => "human",
            _ => d.identity(),
        })
        .collect();
    names.dedup();
    (!names.is_empty()).then(|| names.join(" vs "))
}

/// What a `--where` filter tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterKey {
    Field(Field),
    /// `judged=true`: the judgement has a final answer and the session a ground truth.
    Judged,
    /// `ground_truth=true`: the session has a ground truth.
    GroundTruth,
}

/// One `--where KEY=VALUE` (or `KEY!=VALUE`). Values compare without regard to ASCII case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub key: FilterKey,
    pub value: String,
    /// `!=`: the value must differ (a missing value differs from every value).
    pub negate: bool,
}

impl Filter {
    pub fn parse(s: &str) -> Result<Filter, String> {
        // The first `=` splits, so a value may itself hold `=` or `!=`.
        let Some((key, value)) = s.split_once('=') else {
            return Err(format!("{s:?} is not KEY=VALUE (or KEY!=VALUE)"));
        };
        let (key, negate) = match key.strip_suffix('!') {
            Some(k) => (k, true),
            None => (key, false),
        };
        let key = key.trim();
        let value = value.trim().to_string();
        let key = match key {
            "judged" | "ground_truth" => {
                if !matches!(value.to_ascii_lowercase().as_str(), "true" | "false") {
                    return Err(format!("{key} is true or false, not {value:?}"));
                }
                if key == "judged" {
                    FilterKey::Judged
                } else {
                    FilterKey::GroundTruth
                }
            }
            _ => FilterKey::Field(
                Field::parse(key)
                    .map_err(|e| format!("{e} (or judged=true|false, ground_truth=true|false)"))?,
            ),
        };
        Ok(Filter { key, value, negate })
    }

    pub fn matches(&self, s: &SessionRecord, j: &JudgementRecord) -> bool {
        let actual = match &self.key {
            FilterKey::Field(f) => f.value(s, j),
            FilterKey::Judged => Some(j.is_judged().to_string()),
            FilterKey::GroundTruth => Some(s.ground_truth.is_some().to_string()),
        };
        let equal = actual.is_some_and(|a| a.eq_ignore_ascii_case(&self.value));
        equal != self.negate
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match &self.key {
            FilterKey::Field(field) => field.name(),
            FilterKey::Judged => "judged".into(),
            FilterKey::GroundTruth => "ground_truth".into(),
        };
        let op = if self.negate { "!=" } else { "=" };
        write!(f, "{key}{op}{}", self.value)
    }
}

/// The filters (all must hold) and the fields to group by, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub filters: Vec<Filter>,
    pub by: Vec<Field>,
}

impl Query {
    pub fn keeps(&self, s: &SessionRecord, j: &JudgementRecord) -> bool {
        self.filters.iter().all(|f| f.matches(s, j))
    }
}
