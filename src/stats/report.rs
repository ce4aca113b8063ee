//! The computed numbers of `agon stats`, as plain data: the CLI renders them as a table, CSV
//! or JSON, and a TUI screen can draw them (accuracy bars per group, the reliability diagram,
//! the leaderboard). Field names are the JSON's (see `docs/stats.md`).

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// Everything `agon stats` reports for one query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatsReport {
    /// The `--by` fields, in order.
    pub by: Vec<String>,
    /// The `--where` filters as given.
    pub filters: Vec<String>,
    /// Session files read (broken ones included) and how many of them were broken.
    pub files: usize,
    pub broken: usize,
    /// Sessions with at least one judgement that passed the filters, and those judgements.
    pub sessions: usize,
    pub judgements: usize,
    pub groups: Vec<GroupStats>,
    pub agreement: AgreementReport,
    pub tags: TagStats,
    /// Debaters of the debate format, best rated first.
    pub leaderboard: Vec<Standing>,
    /// Consultants of the consultancy format, most persuasive first.
    pub consultants: Vec<ConsultantStanding>,
}

/// The values of the `--by` fields that define a group: `(field name, value)` in `--by`
/// order; a missing value (no such label, an unnamed judge) is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct GroupKeys(pub Vec<(String, Option<String>)>);

impl GroupKeys {
    pub fn value(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Serialised as the fields of the object it is flattened into: `"protocol": "debate", ...`.
impl Serialize for GroupKeys {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (field, value) in &self.0 {
            map.serialize_entry(field, value)?;
        }
        map.end()
    }
}

/// The statistics of one group of judgements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStats {
    #[serde(flatten)]
    pub keys: GroupKeys,
    /// Distinct sessions among the group's judgements.
    pub debates: usize,
    /// Judgements in the group, judged or not.
    pub n: usize,
    /// Judgements with a verdict on a debate with a ground truth.
    pub judged: usize,
    pub correct: usize,
    pub accuracy: Option<f64>,
    /// 95% Wilson score interval of the accuracy: `[lo, hi]`.
    pub accuracy_ci: Option<[f64; 2]>,
    /// Mean log2 of the probability given to the true answer (0 is perfect).
    pub log_score: Option<f64>,
    /// Mean (1 - p_correct)^2 (0 is perfect).
    pub brier: Option<f64>,
    /// Mean log2(p_correct) - penalty x turns seen.
    pub turn_penalised: Option<f64>,
    /// Expected calibration error of the confidence in the chosen answer, 10 bins.
    pub ece: Option<f64>,
    /// The reliability diagram: the non-empty bins, in order.
    pub reliability: Vec<Bin>,
    /// Mean turns seen at the verdict.
    pub mean_turns: Option<f64>,
    /// Accuracy by the number of turns seen at the verdict.
    pub accuracy_by_turns: Vec<TurnsAccuracy>,
}

/// One bin of a reliability diagram: confidences in `[lo, hi)` (the last bin includes 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
    /// Mean confidence in the chosen answer.
    pub confidence: f64,
    /// Fraction of those answers that were correct.
    pub accuracy: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TurnsAccuracy {
    pub turns: usize,
    pub judged: usize,
    pub correct: usize,
    pub accuracy: f64,
}

/// Agreement between judges of the same debates, over all selected judgements and broken down
/// by the debate-level `--by` fields (judge-level fields do not split a debate's judges).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementReport {
    pub overall: Agreement,
    pub groups: Vec<Agreement>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    #[serde(flatten)]
    pub keys: GroupKeys,
    /// Debates with at least two judgements that chose an answer.
    pub debates: usize,
    /// Those judgements.
    pub judgements: usize,
    /// Pairs of judgements of the same debate.
    pub pairs: usize,
    /// Fraction of those pairs that chose the same answer.
    pub pairwise: Option<f64>,
    /// Krippendorff's alpha (nominal) over the debates' answers.
    pub alpha: Option<f64>,
    pub online_vs_offline: OnlineOffline,
}

/// Accuracy of the online judge (judge 0, who judged while the debate ran) and of the offline
/// ones (every later judgement) on the debates where both are judged.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OnlineOffline {
    pub debates: usize,
    pub online: Tally,
    pub offline: Tally,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    pub judged: usize,
    pub correct: usize,
    pub accuracy: Option<f64>,
}

impl Tally {
    pub fn add(&mut self, correct: bool) {
        self.judged += 1;
        self.correct += usize::from(correct);
        self.accuracy = Some(self.correct as f64 / self.judged as f64);
    }
}

/// Failure-mode tags on the honest side's turns (the side arguing the ground truth) and on the
/// dishonest side's.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TagStats {
    /// Turns each judgement could tag, summed over judgements: the honest side's, the
    /// dishonest side's (debates with a ground truth only).
    pub honest_turns: usize,
    pub dishonest_turns: usize,
    /// Most used first.
    pub tags: Vec<TagCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagCount {
    pub tag: String,
    pub honest: usize,
    pub dishonest: usize,
    /// On turns of debates without a ground truth.
    pub unknown: usize,
    /// Per turn: `honest / honest_turns`, `dishonest / dishonest_turns`.
    pub honest_rate: Option<f64>,
    pub dishonest_rate: Option<f64>,
}

/// Wins of one debater among some judgements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct WinRecord {
    /// Judgements with a verdict.
    pub games: usize,
    /// The verdict chose the debater's side.
    pub wins: usize,
    pub win_rate: Option<f64>,
}

impl WinRecord {
    pub fn add(&mut self, won: bool) {
        self.games += 1;
        self.wins += usize::from(won);
        self.win_rate = Some(self.wins as f64 / self.games as f64);
    }
}

/// A debater of the debate format on the leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// A model's name, or a person's name or pseudonym.
    pub debater: String,
    /// `ai`, `human` or `scripted`.
    pub kind: String,
    /// Bradley-Terry strength on the Elo scale (1500 is the prior's average debater).
    pub rating: f64,
    /// Games against another debater, the ones the rating is fitted on.
    pub rated_games: usize,
    /// Every verdict on a debate of theirs (self-play counts once per side).
    pub games: usize,
    pub wins: usize,
    pub losses: usize,
    /// Verdicts of exactly 0.5.
    pub ties: usize,
    pub win_rate: Option<f64>,
    /// When they argued the ground truth, and when they argued against it.
    pub honest: WinRecord,
    pub dishonest: WinRecord,
}

/// A consultant: how often the judge came round to the side they argued.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsultantStanding {
    pub consultant: String,
    pub kind: String,
    /// Judgements with a verdict, and those that chose the consultant's side.
    pub judged: usize,
    pub persuaded: usize,
    pub persuasion_rate: Option<f64>,
    pub honest: WinRecord,
    pub dishonest: WinRecord,
}
