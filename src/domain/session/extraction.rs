//! Claims extracted from a recorded debate by another model (`agon extract`): which turns an
//! extraction may fill, applying one, and taking it back.
//!
//! The tree is derived from the turns' claims and the judge's events ([`Session::rebuild`]),
//! so an extraction sets the claims of its turns and rebuilds: the judge's edits (merges,
//! renames, rulings, sub-questions) replay on the new tree. An edit whose node is gone is set
//! aside in the extraction's record, and undoing the extraction puts it back.

use super::Session;
use crate::domain::claims::{Claim, Concession};
use crate::domain::judge::JudgeEvent;
use crate::domain::turn::{TurnStats, TurnStatus};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The claims one turn holds: what an extraction sets, and what it keeps to undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnClaims {
    pub turn: usize,
    #[serde(default)]
    pub claims: Vec<Claim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concessions: Vec<Concession>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One run of `agon extract` on this session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The extractor (provider and model) and what its requests cost, summed.
    pub stats: TurnStats,
    /// The turns it set, in order.
    pub turns: Vec<usize>,
    /// What those turns held before, so that it can be undone.
    pub before: Vec<TurnClaims>,
    /// The judge's events that no longer applied on the new tree; undo puts them back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<JudgeEvent>,
}

/// Which turns an extraction fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtractTurns {
    /// Every complete turn: the tree is rebuilt.
    All,
    /// Complete turns with no claims and no concessions.
    Missing,
}

impl Session {
    /// The turns an extraction of `which` would fill, in order: complete, with text.
    pub fn extraction_turns(&self, which: ExtractTurns) -> Vec<usize> {
        self.turns
            .iter()
            .filter(|t| t.status == TurnStatus::Complete && !t.text.trim().is_empty())
            .filter(|t| match which {
                ExtractTurns::All => true,
                ExtractTurns::Missing => t.claims.is_empty() && t.concessions.is_empty(),
            })
            .map(|t| t.index)
            .collect()
    }

    /// The tree as it stood before turn `turn`, had the turns in `claims` held those claims:
    /// what an extractor is shown while it works through the turns in order.
    pub fn tree_before(&self, turn: usize, claims: &[TurnClaims]) -> crate::domain::ClaimTree {
        let mut then = self.clone();
        then.turns.truncate(turn);
        for c in claims {
            if let Some(t) = then.turns.get_mut(c.turn) {
                t.claims = c.claims.clone();
                t.concessions = c.concessions.clone();
            }
        }
        then.as_of(turn).tree
    }

    /// Sets the claims of the turns in `found` and rebuilds the tree, recording the extraction
    /// (`stats`: the extractor and its cost). Returns the judge's events set aside because
    /// they no longer apply.
    pub fn apply_extraction(
        &mut self,
        found: Vec<TurnClaims>,
        stats: TurnStats,
        now: OffsetDateTime,
    ) -> &[JudgeEvent] {
        let mut before = Vec::with_capacity(found.len());
        let mut turns = Vec::with_capacity(found.len());
        for f in found {
            let Some(t) = self.turns.get_mut(f.turn) else {
                continue;
            };
            before.push(TurnClaims {
                turn: f.turn,
                claims: std::mem::replace(&mut t.claims, f.claims),
                concessions: std::mem::replace(&mut t.concessions, f.concessions),
                warnings: std::mem::replace(&mut t.warnings, f.warnings),
            });
            turns.push(f.turn);
        }
        let events = self.judge_events.clone();
        self.rebuild();
        let set_aside = missing(&events, &self.judge_events);
        self.extractions.push(Extraction {
            at: now,
            stats,
            turns,
            before,
            set_aside,
        });
        self.updated_at = now;
        self.extractions
            .last()
            .map_or(&[], |e| e.set_aside.as_slice())
    }

    /// Takes back the last extraction: its turns get their claims back, the events it set
    /// aside return in time order, and the tree is rebuilt. The judge's work since is kept,
    /// except edits of nodes that only the extraction made: those are returned with it.
    pub fn undo_extraction(
        &mut self,
        now: OffsetDateTime,
    ) -> Option<(Extraction, Vec<JudgeEvent>)> {
        let last = self.extractions.pop()?;
        for b in &last.before {
            if let Some(t) = self.turns.get_mut(b.turn) {
                t.claims = b.claims.clone();
                t.concessions = b.concessions.clone();
                t.warnings = b.warnings.clone();
            }
        }
        for event in &last.set_aside {
            let at = self
                .judge_events
                .iter()
                .position(|e| e.at > event.at)
                .unwrap_or(self.judge_events.len());
            self.judge_events.insert(at, event.clone());
        }
        let events = self.judge_events.clone();
        self.rebuild();
        self.updated_at = now;
        let dropped = missing(&events, &self.judge_events);
        Some((last, dropped))
    }
}

/// The events of `before` that `after` (a subsequence of it) lacks.
fn missing(before: &[JudgeEvent], after: &[JudgeEvent]) -> Vec<JudgeEvent> {
    let mut kept = after.iter().peekable();
    let mut gone = Vec::new();
    for e in before {
        if kept.peek().is_some_and(|k| *k == e) {
            kept.next();
        } else {
            gone.push(e.clone());
        }
    }
    gone
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claims::{ClaimSource, Relation};
    use crate::domain::judge::JudgeEventKind;
    use crate::domain::side::Side;
    use crate::domain::{Format, TurnOutcome};
    use crate::providers::scripted::script::DemoScript;

    fn t(s: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000 + s).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// Two turns with no claims block, as an imported debate has them.
    fn recorded() -> Session {
        let mut setup = DemoScript::bundled().unwrap().setup();
        setup.protocol.rounds = 1;
        setup.protocol.format = Format::Debate;
        let mut s = Session::new(setup, t(0));
        for (side, text) in [
            (Side::A, "London traffic fell."),
            (Side::B, "It came back."),
        ] {
            let i = s.begin_turn(side, 1, "root", t(1));
            s.push_text(i, text);
            s.finish_turn(i, TurnOutcome::Complete, None, t(2));
        }
        s
    }

    fn claim(id: &str, target: &str) -> Claim {
        Claim {
            id: id.into(),
            relation: Relation::Attacks,
            target: target.into(),
            text: format!("claim {id}"),
            source: ClaimSource::Extracted,
        }
    }

    fn found(turn: usize, claims: Vec<Claim>) -> TurnClaims {
        TurnClaims {
            turn,
            claims,
            concessions: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_tree_before_a_turn_holds_what_was_found_up_to_it() {
        let s = recorded();
        let found = [
            found(0, vec![claim("A1", "root")]),
            found(1, vec![claim("B1", "A1")]),
        ];
        assert_eq!(s.tree_before(0, &found).len(), 1);
        let before_b = s.tree_before(1, &found);
        assert!(before_b.get("A1").is_some() && before_b.get("B1").is_none());
        assert_eq!(s.tree_before(2, &found).len(), 3);
    }

    #[test]
    fn turns_to_fill() {
        let mut s = recorded();
        assert_eq!(s.extraction_turns(ExtractTurns::Missing), [0, 1]);
        s.apply_extraction(
            vec![found(0, vec![claim("A1", "root")])],
            TurnStats::default(),
            t(3),
        );
        assert_eq!(s.extraction_turns(ExtractTurns::Missing), [1]);
        assert_eq!(s.extraction_turns(ExtractTurns::All), [0, 1]);
    }

    #[test]
    fn an_extraction_keeps_the_judges_edits_and_undoes_cleanly() {
        let mut s = recorded();
        let original = s.clone();
        s.apply_extraction(
            vec![
                found(0, vec![claim("A1", "root"), claim("A2", "root")]),
                found(1, vec![claim("B1", "A1")]),
            ],
            TurnStats {
                model: "extractor".into(),
                ..TurnStats::default()
            },
            t(3),
        );
        assert_eq!(s.tree.len(), 4);
        assert_eq!(s.tree.get("B1").unwrap().parent.as_deref(), Some("A1"));
        // The judge edits the extracted tree.
        s.judge(
            JudgeEventKind::MergeNodes {
                from: "A2".into(),
                into: "A1".into(),
            },
            t(4),
        )
        .unwrap();
        s.judge(
            JudgeEventKind::EditNode {
                node: "B1".into(),
                text: "Traffic returned.".into(),
                previous: String::new(),
            },
            t(5),
        )
        .unwrap();

        // A second extraction of every turn, without A2: the merge no longer applies.
        let aside = s
            .apply_extraction(
                vec![
                    found(0, vec![claim("A1", "root")]),
                    found(1, vec![claim("B1", "A1")]),
                ],
                TurnStats::default(),
                t(6),
            )
            .to_vec();
        assert_eq!(aside.len(), 1);
        assert!(matches!(aside[0].kind, JudgeEventKind::MergeNodes { .. }));
        assert_eq!(
            s.tree.get("B1").unwrap().text,
            "Traffic returned.",
            "the rename stays"
        );
        assert_eq!(s.extractions.len(), 2);

        // Undo the second: the merge is back.
        let (undone, dropped) = s.undo_extraction(t(7)).unwrap();
        assert_eq!(undone.turns, [0, 1]);
        assert!(dropped.is_empty());
        assert_eq!(s.tree.get("A2").unwrap().merged_into.as_deref(), Some("A1"));
        assert_eq!(s.judge_events.len(), 2);
        // Undo the first: the judge's edits of its nodes go with it, and are returned.
        let (undone, dropped) = s.undo_extraction(t(8)).unwrap();
        assert_eq!(undone.stats.model, "extractor");
        assert_eq!(dropped.len(), 2);
        assert!(s.judge_events.is_empty());
        assert_eq!(s.turns, original.turns);
        assert_eq!(s.tree, original.tree);
        assert!(s.undo_extraction(t(9)).is_none());
    }
}
