//! What the browser lists and in which order: the sort keys, the filters, and the markers
//! that tell apart sessions of the same question.

use crate::storage::index::{SessionSummary, State};

/// What the table is sorted by; `s` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Newest first.
    Date,
    /// Unfinished, finished, judged, broken.
    State,
    /// A to Z, ignoring case.
    Question,
    /// Best (highest) turn-penalised log score first; sessions without a score after.
    Score,
}

impl SortKey {
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Date => SortKey::State,
            SortKey::State => SortKey::Question,
            SortKey::Question => SortKey::Score,
            SortKey::Score => SortKey::Date,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::State => "state",
            SortKey::Question => "question",
            SortKey::Score => "score",
        }
    }
}

/// Which sessions are shown; `f` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Every file, broken ones included.
    All,
    /// Rounds remain to be played.
    Unfinished,
    /// The debate is over, judged or not.
    Finished,
    /// No verdict yet, finished or not.
    Unjudged,
    /// The judge recorded a verdict.
    Judged,
    /// Files that could not be read as sessions.
    Broken,
}

const FILTERS: [Filter; 6] = [
    Filter::All,
    Filter::Unfinished,
    Filter::Finished,
    Filter::Unjudged,
    Filter::Judged,
    Filter::Broken,
];

impl Filter {
    pub fn next(self) -> Filter {
        let i = FILTERS.iter().position(|&f| f == self).unwrap_or(0);
        FILTERS[(i + 1) % FILTERS.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Unfinished => "unfinished",
            Filter::Finished => "finished",
            Filter::Unjudged => "unjudged",
            Filter::Judged => "judged",
            Filter::Broken => "broken",
        }
    }

    /// Every filter, in the order `f` goes through them (for the help).
    pub fn all() -> &'static [Filter] {
        &FILTERS
    }

    pub fn admits(self, state: State) -> bool {
        match self {
            Filter::All => true,
            Filter::Unfinished => state == State::Unfinished,
            Filter::Finished => matches!(state, State::Finished | State::Judged),
            Filter::Unjudged => matches!(state, State::Unfinished | State::Finished),
            Filter::Judged => state == State::Judged,
            Filter::Broken => state == State::Broken,
        }
    }
}

/// A marker of how a session came to be or was judged, shown in the table's `marks` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A branch of another session.
    Forked,
    /// Some judge judged it blind.
    Blind,
    /// Judged again this many times (re-judges, LLM and offline judges).
    Rejudged(usize),
    /// Recorded elsewhere and imported.
    Imported,
}

impl Mark {
    /// The marker as shown: one glyph, a count after a re-judge's.
    pub fn glyph(self) -> String {
        match self {
            Mark::Forked => "⑂".into(),
            Mark::Blind => "◐".into(),
            Mark::Rejudged(n) => format!("↻{n}"),
            Mark::Imported => "⇣".into(),
        }
    }

    /// What the marker means, for the legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Mark::Forked => "forked",
            Mark::Blind => "judged blind",
            Mark::Rejudged(_) => "re-judged N times",
            Mark::Imported => "imported",
        }
    }

    /// Every kind of marker, in the order a row shows them.
    pub const LEGEND: [Mark; 4] = [Mark::Forked, Mark::Blind, Mark::Rejudged(0), Mark::Imported];
}

/// The markers of a session, in the legend's order.
pub fn marks(s: &SessionSummary) -> Vec<Mark> {
    let mut out = Vec::new();
    if s.forked {
        out.push(Mark::Forked);
    }
    if s.blind {
        out.push(Mark::Blind);
    }
    if s.judgements > 0 {
        out.push(Mark::Rejudged(s.judgements));
    }
    if s.imported.is_some() {
        out.push(Mark::Imported);
    }
    out
}

/// The markers as one string, e.g. `⑂◐↻2`.
pub fn marks_label(s: &SessionSummary) -> String {
    marks(s).into_iter().map(Mark::glyph).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: [State; 4] = [
        State::Unfinished,
        State::Finished,
        State::Judged,
        State::Broken,
    ];

    fn admitted(f: Filter) -> Vec<State> {
        STATES.into_iter().filter(|&s| f.admits(s)).collect()
    }

    #[test]
    fn every_filter_means_what_it_says() {
        use State::*;
        assert_eq!(admitted(Filter::All), STATES);
        assert_eq!(admitted(Filter::Unfinished), [Unfinished]);
        assert_eq!(
            admitted(Filter::Finished),
            [Finished, Judged],
            "a judged debate is over too"
        );
        assert_eq!(admitted(Filter::Unjudged), [Unfinished, Finished]);
        assert_eq!(admitted(Filter::Judged), [Judged]);
        assert_eq!(admitted(Filter::Broken), [Broken]);
    }

    #[test]
    fn the_filters_cycle_through_each_once() {
        let mut f = Filter::All;
        let mut seen = Vec::new();
        for _ in 0..FILTERS.len() {
            seen.push(f);
            f = f.next();
        }
        assert_eq!(f, Filter::All);
        assert_eq!(seen, FILTERS);
    }

    #[test]
    fn marks_show_forks_blind_judges_rejudges_and_imports() {
        let mut s = crate::ui::browser::tests::sample_index().entries[2].clone();
        assert_eq!(marks_label(&s), "");
        s.forked = true;
        s.judgements = 2;
        assert_eq!(marks(&s), [Mark::Forked, Mark::Rejudged(2)]);
        s.blind = true;
        s.imported = Some("nyu".into());
        assert_eq!(marks_label(&s), "⑂◐↻2⇣");
    }
}
