//! What the NYU rules say about each round: which kind of round comes when, and its limits.

use super::format::{Limits, RoundType, Rules};

/// The round types the rules call for, in order: the fixed opening, then the repeating
/// structure (for ever, or `maxRepeatCycles` times followed by the fixed closing), as the
/// platform's `DebateRules.roundTypes` lays them out.
pub fn sequence(rules: &Rules) -> Box<dyn Iterator<Item = &RoundType> + '_> {
    let opening = rules.fixed_opening.iter();
    match &rules.fixed_closing {
        None => Box::new(opening.chain(rules.repeating_structure.iter().cycle())),
        Some(closing) => Box::new(
            opening
                .chain(
                    std::iter::repeat_n(&rules.repeating_structure, closing.max_repeat_cycles)
                        .flatten(),
                )
                .chain(closing.rounds.iter()),
        ),
    }
}

impl RoundType {
    /// The limits of a speech round; `None` for other kinds of round.
    pub fn speech_limits(&self) -> Option<Limits> {
        match self {
            RoundType::Simultaneous(l) | RoundType::Sequential(l) => Some(*l),
            RoundType::JudgeFeedback(_) | RoundType::NegotiateEnd(_) => None,
        }
    }
}

/// The character and quote limits most of the rules' speech rounds have (ties go to the larger
/// limit, as in the platform's own summary of the rules): one figure for the whole protocol.
pub fn usual_limits(rules: &Rules) -> Limits {
    let closing = rules.fixed_closing.iter().flat_map(|c| c.rounds.iter());
    let speech: Vec<Limits> = rules
        .fixed_opening
        .iter()
        .chain(&rules.repeating_structure)
        .chain(closing)
        .filter_map(RoundType::speech_limits)
        .collect();
    Limits {
        char_limit: most_common(speech.iter().filter_map(|l| l.char_limit)),
        quote_limit: most_common(speech.iter().filter_map(|l| l.quote_limit)),
    }
}

/// The value seen most often; the largest among equals.
fn most_common(values: impl Iterator<Item = u32>) -> Option<u32> {
    let mut counts = std::collections::BTreeMap::<u32, usize>::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    // `max_by_key` keeps the last of equal maxima, and the map iterates in ascending order.
    counts.into_iter().max_by_key(|&(_, n)| n).map(|(v, _)| v)
}

/// The per-turn penalty of the rules' scoring function, when it is the log score with a linear
/// penalty (every debate of the 2023 set).
pub fn turn_penalty(rules: &Rules) -> Option<f64> {
    rules
        .scoring_function
        .as_ref()?
        .get("LogScoreWithLinearPenalty")?
        .get("perTurnPenalty")?
        .as_f64()
        .filter(|p| p.is_finite() && *p >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(json: serde_json::Value) -> Rules {
        serde_json::from_value(json).unwrap()
    }

    fn speech(kind: &str, chars: u32, quotes: Option<u32>) -> serde_json::Value {
        serde_json::json!({ kind: { "charLimit": chars, "quoteLimit": quotes, "assignedDebatersOnly": false } })
    }

    fn judge() -> serde_json::Value {
        serde_json::json!({ "JudgeFeedbackRound": { "reportBeliefs": true, "charLimit": 750 } })
    }

    fn negotiate() -> serde_json::Value {
        serde_json::json!({ "NegotiateEndRound": { "assignedDebatersOnly": false } })
    }

    fn kinds(r: &Rules, n: usize) -> String {
        sequence(r)
            .take(n)
            .map(|t| match t {
                RoundType::JudgeFeedback(_) => 'J',
                RoundType::Simultaneous(_) => 'S',
                RoundType::Sequential(_) => 'Q',
                RoundType::NegotiateEnd(_) => 'N',
            })
            .collect()
    }

    #[test]
    fn the_repeating_structure_repeats_for_ever_without_a_closing() {
        let r = rules(serde_json::json!({
            "fixedOpening": [judge(), speech("SimultaneousSpeechesRound", 750, Some(250)), judge()],
            "repeatingStructure": [speech("SequentialSpeechesRound", 750, Some(250)), judge()],
            "fixedClosing": null,
        }));
        assert_eq!(kinds(&r, 9), "JSJQJQJQJ");
    }

    #[test]
    fn a_closing_follows_the_allowed_repeats() {
        let r = rules(serde_json::json!({
            "fixedOpening": [speech("SimultaneousSpeechesRound", 750, Some(250))],
            "repeatingStructure": [speech("SequentialSpeechesRound", 750, Some(250))],
            "fixedClosing": { "maxRepeatCycles": 2, "rounds": [negotiate(), speech("SequentialSpeechesRound", 750, Some(250))] },
        }));
        assert_eq!(kinds(&r, 10), "SQQNQ");
    }

    #[test]
    fn the_usual_limits_are_the_most_common_the_larger_on_a_tie() {
        let r = rules(serde_json::json!({
            "fixedOpening": [judge(), speech("SimultaneousSpeechesRound", 750, Some(250))],
            "repeatingStructure": [speech("SequentialSpeechesRound", 750, Some(236)), judge()],
        }));
        assert_eq!(
            usual_limits(&r),
            Limits {
                char_limit: Some(750),
                quote_limit: Some(250)
            }
        );
        let r = rules(serde_json::json!({
            "fixedOpening": [speech("SimultaneousSpeechesRound", 500, None)],
            "repeatingStructure": [speech("SequentialSpeechesRound", 500, None)],
            "fixedClosing": { "maxRepeatCycles": 2, "rounds": [speech("SequentialSpeechesRound", 900, None)] },
        }));
        assert_eq!(
            usual_limits(&r),
            Limits {
                char_limit: Some(500),
                quote_limit: None
            }
        );
    }

    #[test]
    fn the_penalty_comes_from_the_scoring_function() {
        let r = rules(serde_json::json!({
            "scoringFunction": { "LogScoreWithLinearPenalty": { "baseCoefficient": 1.0, "constant": 0.0, "logBase": 2.0, "perTurnPenalty": 0.05 } }
        }));
        assert_eq!(turn_penalty(&r), Some(0.05));
        let r = rules(serde_json::json!({ "scoringFunction": { "SphericalScore": {} } }));
        assert_eq!(turn_penalty(&r), None);
    }
}
