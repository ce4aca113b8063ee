//! The bundled scripted demo debate (`demo/congestion-pricing.toml`), used when no provider is
//! configured so agon runs with no key and no network.

use crate::domain::{DebateSetup, Debater, Positions, Protocol, ROOT_ID, SamplingParams, Side};
use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

const BUNDLED: &str = include_str!("../../../demo/congestion-pricing.toml");
const BUNDLED_NAME: &str = "congestion-pricing";

#[derive(Debug, Clone, Deserialize)]
pub struct DemoScript {
    #[serde(default)]
    pub title: String,
    pub question: String,
    pub positions: Positions,
    #[serde(default)]
    pub debaters: BTreeMap<String, ScriptDebater>,
    pub turns: Vec<ScriptTurn>,
    #[serde(default)]
    pub subdebates: Vec<SubDebate>,
    /// The question set and question this script plays, when it plays one (see
    /// [`super::questions`]).
    #[serde(default)]
    pub set: Option<String>,
    #[serde(default)]
    pub question_id: Option<String>,
    #[serde(skip)]
    name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ScriptDebater {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ScriptTurn {
    pub round: u32,
    pub side: Side,
    pub text: String,
}

/// A scripted focused debate on one node, played when the judge drills into it.
#[derive(Debug, Clone, Deserialize)]
pub struct SubDebate {
    pub node: String,
    pub turns: Vec<ScriptTurn>,
}

impl DemoScript {
    /// The script compiled into the binary.
    pub fn bundled() -> Result<Self> {
        Self::parse(BUNDLED, BUNDLED_NAME).context("the bundled demo script is broken")
    }

    pub fn parse(text: &str, name: &str) -> Result<Self> {
        let mut script: DemoScript = toml::from_str(text)?;
        script.name = name.to_string();
        anyhow::ensure!(!script.turns.is_empty(), "the script has no turns");
        Ok(script)
    }

    pub fn model_name(&self) -> String {
        format!("demo:{}", self.name)
    }

    pub fn rounds(&self) -> u32 {
        self.turns.iter().map(|t| t.round).max().unwrap_or(0)
    }

    /// Rounds of the scripted drills (the longest of them).
    pub fn drill_rounds(&self) -> u32 {
        self.subdebates
            .iter()
            .flat_map(|s| s.turns.iter().map(|t| t.round))
            .max()
            .unwrap_or(1)
    }

    /// The scripted text for one turn of the main debate (`scope` = root) or of a sub-debate.
    pub fn turn_text(&self, scope: &str, round: u32, side: Side) -> Option<&str> {
        let turns = if scope == ROOT_ID {
            &self.turns
        } else {
            &self.subdebates.iter().find(|s| s.node == scope)?.turns
        };
        turns
            .iter()
            .find(|t| t.round == round && t.side == side)
            .map(|t| t.text.as_str())
    }

    /// A debate set up to be played by the scripted provider.
    pub fn setup(&self) -> DebateSetup {
        let debater = |side: Side| Debater {
            side,
            name: self
                .debaters
                .get(side.letter().to_string().as_str())
                .map_or_else(|| format!("Debater {side}"), |d| d.name.clone()),
            provider: super::PROVIDER_NAME.to_string(),
            model: self.model_name(),
            kind: crate::domain::DebaterKind::Scripted,
            base_url: None,
            system_prompt: None,
            params: SamplingParams::default(),
            chose_side: false,
        };
        DebateSetup {
            question: self.question.clone(),
            positions: self.positions.clone(),
            protocol: Protocol::rounds(self.rounds()),
            debaters: vec![debater(Side::A), debater(Side::B)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Session, TurnOutcome, claims};

    #[test]
    fn bundled_script_is_a_real_debate() {
        let script = DemoScript::bundled().unwrap();
        assert!(script.question.contains("congestion pricing"));
        assert!(script.rounds() >= 3);
        for round in 1..=script.rounds() {
            for side in Side::BOTH {
                let text = script.turn_text(ROOT_ID, round, side).unwrap();
                assert!(
                    claims::prose(text).split_whitespace().count() >= 80,
                    "turn {round}{side} is too short"
                );
            }
        }
    }

    #[test]
    fn every_scripted_turn_has_a_clean_claims_block_and_the_tree_grows() {
        let script = DemoScript::bundled().unwrap();
        let mut session = Session::new(script.setup(), time::OffsetDateTime::UNIX_EPOCH);
        while let Some((round, side)) = session.next_slot() {
            let i = session.begin_turn(side, round, "root", time::OffsetDateTime::UNIX_EPOCH);
            session.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
            session.finish_turn(
                i,
                TurnOutcome::Complete,
                None,
                time::OffsetDateTime::UNIX_EPOCH,
            );
            assert!(
                session.turns()[i].warnings.is_empty(),
                "turn {i}: {:?}",
                session.turns()[i].warnings
            );
        }
        assert!(session.tree.len() >= 9, "at least 8 claims plus the root");
        assert!(session.tree.depth() >= 2);
        for sub in &script.subdebates {
            assert!(
                session.tree.get(&sub.node).is_some(),
                "{} is a node",
                sub.node
            );
            for t in &sub.turns {
                assert!(claims::parse(&t.text).warnings.is_empty());
            }
        }
    }
}
