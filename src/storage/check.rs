//! What a session file says about its own turns, checked once on load, so nothing after it
//! trusts a number that points nowhere.
//!
//! Two kinds of lie, two answers (see "Loading and versions" in `docs/session-format.md`):
//!
//! - **The turns themselves are misnumbered** (`turns[i].index` is not `i`: shuffled,
//!   duplicated, absurd). Every reference in the file is a turn index, so none of them can be
//!   trusted to mean the turn it meant: the file is rejected, naming the field.
//! - **A reference points past the turns** (an annotation, a judge event's `after_turn`, a tree
//!   node's `turn`) or the judgements are misnumbered. The rest of the file is sound and the
//!   judge's work is worth reading, so it opens read-only: replays and exports show it, and
//!   agon never rewrites a file holding references it cannot place.
//!
//! A tree node whose parent does not exist is rejected earlier, when the tree is built
//! (`ClaimTree`'s `TryFrom`).

use crate::domain::{Annotation, JudgeEvent, JudgeEventKind, Session};

/// The first problems of the read-only kind, worded; more than this are counted.
const LISTED: usize = 3;

/// `Err(reason)` when the file must be rejected; `Ok(Some(reason))` when it must open
/// read-only; `Ok(None)` when every turn reference holds.
pub(super) fn turn_references(session: &Session) -> Result<Option<String>, String> {
    for (i, turn) in session.turns().iter().enumerate() {
        if turn.index != i {
            return Err(format!(
                "turns[{i}].index is {}; turns must be numbered 0, 1, 2... in order",
                turn.index
            ));
        }
    }
    let count = session.turns().len();
    let mut problems = Vec::new();
    let mut dangling = |field: String, turn: usize| {
        if turn >= count {
            problems.push(format!("{field} is {turn}, {}", turns_phrase(count)));
        }
    };
    events(&session.judge_events, "judge_events", &mut dangling);
    annotations(&session.annotations, "annotations", &mut dangling);
    for (j, judgement) in session.judgements.iter().enumerate() {
        events(
            &judgement.judge_events,
            &format!("judgements[{j}].judge_events"),
            &mut dangling,
        );
        annotations(
            &judgement.annotations,
            &format!("judgements[{j}].annotations"),
            &mut dangling,
        );
    }
    for (n, node) in session.tree.nodes().iter().enumerate() {
        if let Some(turn) = node.turn {
            dangling(format!("tree.nodes[{n}].turn (node {})", node.id), turn);
        }
    }
    for (j, judgement) in session.judgements.iter().enumerate() {
        // Judgement N is judgements[N-1]: a re-judge adds the next number.
        let expected = u32::try_from(j).ok().and_then(|j| j.checked_add(1));
        if Some(judgement.id) != expected {
            problems.push(format!(
                "judgements[{j}].id is {}; judgements must be numbered 1, 2, 3... in order",
                judgement.id
            ));
        }
    }
    Ok(read_only_reason(&problems))
}

fn events(events: &[JudgeEvent], field: &str, dangling: &mut impl FnMut(String, usize)) {
    for (e, event) in events.iter().enumerate() {
        if let Some(turn) = event.after_turn {
            dangling(format!("{field}[{e}].after_turn"), turn);
        }
        if let JudgeEventKind::Annotate { annotation } = &event.kind
            && let Some(turn) = annotation.turn
        {
            dangling(format!("{field}[{e}].annotation.turn"), turn);
        }
    }
}

fn annotations(list: &[Annotation], field: &str, dangling: &mut impl FnMut(String, usize)) {
    for (a, annotation) in list.iter().enumerate() {
        if let Some(turn) = annotation.turn {
            dangling(format!("{field}[{a}].turn"), turn);
        }
    }
}

/// "but the session has 12 turns (0 to 11)", "but the session has no turns".
fn turns_phrase(count: usize) -> String {
    match count.checked_sub(1) {
        None => "but the session has no turns".into(),
        Some(0) => "but the session has 1 turn (0)".into(),
        Some(last) => format!("but the session has {count} turns (0 to {last})"),
    }
}

fn read_only_reason(problems: &[String]) -> Option<String> {
    if problems.is_empty() {
        return None;
    }
    let mut reason = problems
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if problems.len() > LISTED {
        reason.push_str(&format!(
            "; and {} more like it",
            problems.len().saturating_sub(LISTED)
        ));
    }
    reason.push_str(": opened read-only (agon does not rewrite references it cannot place)");
    Some(reason)
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use serde_json::{Value, json};
    use std::path::Path;

    fn example() -> Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sessions/example-congestion-pricing.json"
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn load(v: &Value) -> Result<super::super::Loaded, String> {
        parse(Path::new("lying.json"), &serde_json::to_vec(v).unwrap()).map_err(|e| e.to_string())
    }

    fn read_only(v: &Value) -> String {
        load(v)
            .unwrap_or_else(|e| panic!("loads: {e}"))
            .read_only_reason
            .expect("opens read-only")
    }

    #[test]
    fn the_example_holds_together() {
        let loaded = load(&example()).unwrap();
        assert!(loaded.read_only_reason.is_none());
    }

    #[test]
    fn misnumbered_turns_are_rejected_naming_the_field() {
        let mut v = example();
        v["turns"][3]["index"] = json!(4294967295u64);
        let e = load(&v).unwrap_err();
        assert!(
            e.contains("lying.json")
                && e.contains(
                    "turns[3].index is 4294967295; turns must be numbered 0, 1, 2... in order"
                ),
            "{e}"
        );

        let mut v = example();
        v["turns"][3]["index"] = json!(u64::MAX);
        assert!(
            load(&v)
                .unwrap_err()
                .contains("turns[3].index is 18446744073709551615")
        );

        let mut v = example();
        v["turns"].as_array_mut().unwrap().swap(1, 5);
        assert!(load(&v).unwrap_err().contains("turns[1].index is 5"));

        let mut v = example();
        v["turns"][2]["index"] = json!(1);
        assert!(load(&v).unwrap_err().contains("turns[2].index is 1"));
    }

    #[test]
    fn misnumbered_turns_of_an_older_schema_are_rejected_before_migrating() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/sessions/schema-v2.json"
        );
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        v["turns"][2]["index"] = json!(9);
        assert!(load(&v).unwrap_err().contains("turns[2].index is 9"));
    }

    #[test]
    fn references_past_the_turns_open_read_only_naming_the_field() {
        let mut v = example();
        v["annotations"] = json!([{"id": 1, "turn": 9999, "tags": ["deceptive"]}]);
        let reason = read_only(&v);
        assert!(
            reason.starts_with(
                "annotations[0].turn is 9999, but the session has 12 turns (0 to 11): opened read-only"
            ),
            "{reason}"
        );

        let mut v = example();
        v["judge_events"][0]["after_turn"] = json!(u64::MAX);
        assert!(read_only(&v).starts_with("judge_events[0].after_turn is 18446744073709551615"));

        let mut v = example();
        v["tree"]["nodes"][3]["turn"] = json!(12);
        let id = v["tree"]["nodes"][3]["id"].as_str().unwrap().to_string();
        assert!(read_only(&v).starts_with(&format!("tree.nodes[3].turn (node {id}) is 12")));

        let mut v = example();
        v["judgements"] = json!([{
            "id": 1, "started_at": "2026-03-14T16:00:00Z",
            "judge_events": [{"at": "2026-03-14T16:01:00Z", "after_turn": 40, "kind": "annotate",
                "annotation": {"id": 1, "turn": 41, "tags": ["deceptive"]}}],
            "annotations": [{"id": 1, "turn": 42, "tags": ["deceptive"]}]
        }]);
        let reason = read_only(&v);
        for field in [
            "judgements[0].judge_events[0].after_turn is 40",
            "judgements[0].judge_events[0].annotation.turn is 41",
            "judgements[0].annotations[0].turn is 42",
        ] {
            assert!(reason.contains(field), "{field} in {reason}");
        }
    }

    #[test]
    fn many_problems_are_counted_after_the_first_few() {
        let mut v = example();
        for e in v["judge_events"].as_array_mut().unwrap() {
            e["after_turn"] = json!(100);
        }
        let reason = read_only(&v);
        assert!(
            reason.contains("; and 3 more like it: opened read-only"),
            "{reason}"
        );
    }

    #[test]
    fn misnumbered_judgements_open_read_only() {
        let mut v = example();
        v["judgements"] = json!([{"id": 7, "started_at": "2026-03-14T16:00:00Z"}]);
        assert!(
            read_only(&v).starts_with(
                "judgements[0].id is 7; judgements must be numbered 1, 2, 3... in order"
            )
        );
    }

    #[test]
    fn a_session_without_turns_has_nothing_to_point_at() {
        let mut v = example();
        v["turns"] = json!([]);
        v["tree"]["nodes"] = json!([v["tree"]["nodes"][0].clone()]);
        v["judge_events"] = json!([{"at": "2026-03-14T16:01:00Z", "after_turn": 0,
            "kind": "credence", "node": "root", "p_a": 0.5}]);
        v["verdict"] = Value::Null;
        assert!(
            read_only(&v)
                .starts_with("judge_events[0].after_turn is 0, but the session has no turns")
        );
    }

    #[test]
    fn a_node_whose_parent_does_not_exist_is_rejected() {
        let mut v = example();
        v["tree"]["nodes"][3]["parent"] = json!("nowhere");
        let e = load(&v).unwrap_err();
        assert!(
            e.contains("names parent nowhere, which does not exist"),
            "{e}"
        );
    }
}
