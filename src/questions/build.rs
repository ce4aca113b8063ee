//! A question of a set as a session ready to play: the answers drawn to sides from the seed,
//! the ground truth on the side that holds the correct answer, the hidden source, and where
//! the debate came from (`question_ref`, and labels from the tags).

use super::Question;
use crate::domain::assign::side_of_answer;
use crate::domain::assign::{draw, seed_for};
use crate::domain::{DebateSetup, Debater, Format, Protocol, QuestionRef, Session};
use crate::providers::scripted::script::DemoScript;
use anyhow::{Result, bail};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// How every debate of a run is set up.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    /// The set's name, recorded in each session's `question_ref`.
    pub set: String,
    pub protocol: Protocol,
    /// The run's seed: with the question's id and the repeat it gives each debate's seed.
    pub seed: u64,
}

/// The session for repeat `repeat` (1, 2, ...) of question `q`, argued by `debaters` (A's and
/// B's records; in consultancy A's alone, seated on the side the draw gave the consultant).
pub fn session_for(
    q: &Question,
    repeat: u32,
    study: &Study,
    debaters: &[Debater],
    now: OffsetDateTime,
) -> Session {
    let seed = seed_for(study.seed, &q.id, repeat);
    let d = draw(
        seed,
        [&q.answers[0], &q.answers[1]],
        q.correct,
        study.protocol.format,
        study.protocol.roles,
    );
    let debaters = match (study.protocol.format, d.assignment.consultant) {
        (Format::Consultancy, Some(seat)) => debaters
            .first()
            .map(|first| Debater {
                side: seat,
                ..first.clone()
            })
            .into_iter()
            .collect(),
        _ => debaters.to_vec(),
    };
    let setup = DebateSetup {
        question: q.question.clone(),
        positions: d.positions,
        protocol: study.protocol.clone(),
        debaters,
    };
    let mut session = Session::new(setup, now);
    session.ground_truth = d.ground_truth;
    session.source_text = q.source.clone();
    session.assignment = Some(d.assignment);
    session.question_ref = Some(QuestionRef {
        set: study.set.clone(),
        id: q.id.clone(),
        repeat: Some(repeat),
        tags: q.tags.clone(),
    });
    session.labels = labels(&q.tags);
    // The index of who speaks depends on the consultant's seat, set just now.
    session.reindex();
    session
}

/// A session for a question played by its bundled script: the script's sides stand (a script
/// argues each answer from the side it was written for), recorded as the assignment.
pub fn scripted_session(
    q: &Question,
    repeat: u32,
    study: &Study,
    script: &DemoScript,
    now: OffsetDateTime,
) -> Result<Session> {
    let swapped = if script.positions.a == q.answers[0] && script.positions.b == q.answers[1] {
        false
    } else if script.positions.a == q.answers[1] && script.positions.b == q.answers[0] {
        true
    } else {
        bail!(
            "the scripted debate of question {} argues other answers than the set's",
            q.id
        );
    };
    let setup = script.setup();
    let study = Study {
        protocol: Protocol {
            rounds: script.rounds(),
            ..study.protocol.clone()
        },
        ..study.clone()
    };
    let mut s = session_for(q, repeat, &study, &setup.debaters, now);
    s.positions = script.positions.clone();
    s.ground_truth = q.correct.and_then(|c| side_of_answer(c, swapped));
    if let Some(a) = s.assignment.as_mut() {
        a.swapped = swapped;
    }
    Ok(s)
}

/// Labels from tags: `name:value` is label `name` = `value`; a plain tag is `tag` = `true`.
pub fn labels(tags: &[String]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| match t.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                (name.trim().to_string(), value.trim().to_string())
            }
            _ => (t.clone(), "true".to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DebaterKind, Roles, SamplingParams, Side};

    fn question() -> Question {
        Question {
            id: "lighthouse".into(),
            question: "Who rang the bell?".into(),
            answers: ["The keeper".into(), "The captain".into()],
            correct: Some(1),
            source: Some("The captain rang the bell at dawn.".into()),
            tags: vec!["kind:reading".into(), "hidden".into()],
            line: 1,
        }
    }

    fn debater(side: Side) -> Debater {
        Debater {
            side,
            name: format!("m-{side}"),
            provider: "openai".into(),
            model: format!("m-{side}"),
            kind: DebaterKind::Ai,
            base_url: None,
            system_prompt: None,
            params: SamplingParams::default(),
            chose_side: false,
        }
    }

    fn study(format: Format, roles: Roles) -> Study {
        Study {
            set: "sample".into(),
            protocol: Protocol {
                format,
                roles,
                ..Protocol::rounds(2)
            },
            seed: 11,
        }
    }

    #[test]
    fn a_debate_records_where_it_came_from_and_the_truth() {
        let t = OffsetDateTime::UNIX_EPOCH;
        let s = session_for(
            &question(),
            1,
            &study(Format::Debate, Roles::Assigned),
            &[debater(Side::A), debater(Side::B)],
            t,
        );
        let truth = s.ground_truth.unwrap();
        assert_eq!(s.positions.of(truth), "The captain");
        let a = s.assignment.as_ref().unwrap();
        assert_eq!(a.seed, seed_for(11, "lighthouse", 1));
        assert_eq!(a.swapped, s.positions.a == "The captain");
        let r = s.question_ref.as_ref().unwrap();
        assert_eq!(
            (r.set.as_str(), r.id.as_str(), r.repeat),
            ("sample", "lighthouse", Some(1))
        );
        assert_eq!(s.labels.get("kind").map(String::as_str), Some("reading"));
        assert_eq!(s.labels.get("hidden").map(String::as_str), Some("true"));
        assert_eq!(
            s.source_text.as_deref(),
            Some("The captain rang the bell at dawn.")
        );
        assert_eq!(s.debaters.len(), 2);
        // The same question, repeat and seed: the same session setup.
        let again = session_for(
            &question(),
            1,
            &study(Format::Debate, Roles::Assigned),
            &[debater(Side::A), debater(Side::B)],
            t,
        );
        assert_eq!(again.assignment, s.assignment);
        assert_eq!(again.positions, s.positions);
    }

    #[test]
    fn a_consultant_sits_where_the_draw_put_it() {
        for repeat in 1..20 {
            let s = session_for(
                &question(),
                repeat,
                &study(Format::Consultancy, Roles::Assigned),
                &[debater(Side::A), debater(Side::B)],
                OffsetDateTime::UNIX_EPOCH,
            );
            let seat = s.assignment.as_ref().unwrap().consultant.unwrap();
            assert_eq!(s.debaters.len(), 1);
            assert_eq!(s.debaters[0].side, seat);
            assert_eq!(
                s.debaters[0].model, "m-A",
                "the configured first debater consults"
            );
            assert_eq!(s.speakers(), vec![seat]);
            assert_eq!(s.next_slot(), Some((1, seat)));
        }
    }

    #[test]
    fn the_scripted_session_keeps_the_scripts_sides_and_finds_the_truth() {
        let set = super::super::parse(
            include_str!("../../questions/sample.jsonl"),
            "sample",
            std::path::Path::new("sample.jsonl"),
            &|_| Err("no files".into()),
        );
        let q = set.questions.iter().find(|q| q.id == "lighthouse").unwrap();
        let script = crate::providers::scripted::questions::script_for("sample", "lighthouse")
            .unwrap()
            .unwrap();
        let study = Study {
            set: "sample".into(),
            protocol: Protocol::rounds(1),
            seed: 3,
        };
        let s = scripted_session(q, 1, &study, &script, OffsetDateTime::UNIX_EPOCH).unwrap();
        assert_eq!(s.positions, script.positions);
        assert_eq!(
            s.ground_truth,
            Some(Side::B),
            "the captain, B in the script"
        );
        assert_eq!(s.protocol.rounds, script.rounds());
        assert!(!s.assignment.as_ref().unwrap().swapped);
        assert!(s.source_text.as_deref().unwrap().contains("Gull Point"));
    }
}
