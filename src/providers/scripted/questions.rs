//! Scripted debates over questions of a set, so a question set can be judged offline: with no
//! debaters configured, `agon judge --questions` plays the script of a question when one is
//! bundled (its `set` and `question_id` name the question), and says which have none.

use super::script::DemoScript;
use anyhow::{Context, Result};

/// The bundled scripts of questions: (file name, text).
const BUNDLED: &[(&str, &str)] = &[(
    "sample-lighthouse",
    include_str!("../../../demo/sample-lighthouse.toml"),
)];

/// The bundled script of question `id` of set `set`, if there is one.
pub fn script_for(set: &str, id: &str) -> Result<Option<DemoScript>> {
    for (name, text) in BUNDLED {
        let script = DemoScript::parse(text, name)
            .with_context(|| format!("the bundled script {name} is broken"))?;
        if script.set.as_deref() == Some(set) && script.question_id.as_deref() == Some(id) {
            return Ok(Some(script));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{QuoteClass, ROOT_ID, Session, TurnOutcome};

    /// The script argues the question as the set has it, its quotes check out as written
    /// (B's word for word, A's changed and invented), and its claims are clean.
    #[test]
    fn the_sample_script_plays_its_question_with_checked_quotes() {
        let script = script_for("sample", "lighthouse").unwrap().unwrap();
        assert!(script_for("sample", "nope").unwrap().is_none());
        let set = crate::questions::parse(
            include_str!("../../../questions/sample.jsonl"),
            "sample",
            std::path::Path::new("sample.jsonl"),
            &|_| Err("no files".into()),
        );
        let q = set.questions.iter().find(|q| q.id == "lighthouse").unwrap();
        assert_eq!(script.question, q.question);
        assert_eq!(script.positions.a, q.answers[0]);
        assert_eq!(script.positions.b, q.answers[1]);
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let mut s = Session::new(script.setup(), t);
        s.source_text = q.source.clone();
        let mut classes = Vec::new();
        while let Some((round, side)) = s.next_slot() {
            let i = s.begin_turn(side, round, ROOT_ID, t);
            s.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
            s.finish_turn(i, TurnOutcome::Complete, None, t);
            let turn = &s.turns()[i];
            assert!(turn.warnings.is_empty(), "turn {i}: {:?}", turn.warnings);
            classes.extend(turn.quotes.iter().map(|q| (side, q.class)));
        }
        use crate::domain::Side::{A, B};
        assert!(classes.contains(&(B, QuoteClass::Exact)));
        assert!(
            classes
                .iter()
                .filter(|(s, _)| *s == B)
                .all(|(_, c)| *c == QuoteClass::Exact)
        );
        assert!(classes.iter().any(|(s, c)| *s == A && !c.is_verified()));
    }
}
