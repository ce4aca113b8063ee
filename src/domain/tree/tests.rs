//! The claim tree: building, ids, concessions, judge edits, and loading from files.
use super::*;
use crate::domain::ClaimSource;

/// A claim whose text is "claim ID" (shared with the analysis tests).
pub(crate) fn claim(id: &str, relation: Relation, target: &str) -> Claim {
    Claim {
        id: id.into(),
        relation,
        target: target.into(),
        text: format!("claim {id}"),
        source: ClaimSource::Block,
    }
}

/// root <- A1 (supports) <- B1 (attacks A1) <- A2 (attacks B1); root <- B2 (attacks root).
pub(crate) fn sample() -> ClaimTree {
    let mut t = ClaimTree::new("Q?");
    t.apply_turn(0, Side::A, &[claim("A1", Relation::Supports, "root")], &[]);
    t.apply_turn(
        1,
        Side::B,
        &[
            claim("B1", Relation::Attacks, "A1"),
            claim("B2", Relation::Attacks, "root"),
        ],
        &[],
    );
    t.apply_turn(2, Side::A, &[claim("A2", Relation::Attacks, "B1")], &[]);
    t
}

#[test]
fn builds_parent_links_and_depth() {
    let t = sample();
    assert_eq!(t.len(), 5);
    assert_eq!(t.get("B1").and_then(|n| n.parent.as_deref()), Some("A1"));
    assert_eq!(t.depth(), 3);
    assert_eq!(t.children_of(0), &[1, 3]);
}

#[test]
fn unknown_target_attaches_to_root_and_is_marked() {
    let mut t = sample();
    let w = t.apply_turn(3, Side::B, &[claim("B3", Relation::Attacks, "Z9")], &[]);
    assert_eq!(w.len(), 1);
    let n = t.get("B3").unwrap();
    assert_eq!(n.parent.as_deref(), Some("root"));
    assert_eq!(n.unresolved_target.as_deref(), Some("Z9"));
}

#[test]
fn targets_match_ids_whatever_their_case() {
    let mut t = sample();
    let w = t.apply_turn(3, Side::B, &[claim("B3", Relation::Attacks, "a2")], &[]);
    assert!(w.is_empty());
    assert_eq!(t.get("B3").unwrap().parent.as_deref(), Some("A2"));
}

#[test]
fn reused_id_gets_a_fresh_one() {
    let mut t = sample();
    let w = t.apply_turn(4, Side::A, &[claim("A1", Relation::Supports, "root")], &[]);
    assert_eq!(w.len(), 1);
    assert!(t.get("A1-t5").is_some());
}

#[test]
fn concessions_mark_the_node() {
    let mut t = sample();
    let c = Concession {
        target: "B2".into(),
        reason: String::new(),
    };
    assert!(t.apply_turn(3, Side::A, &[], &[c.clone(), c]).is_empty());
    assert_eq!(t.get("B2").unwrap().conceded_by, vec![Side::A]);
    let bad = Concession {
        target: "root".into(),
        reason: String::new(),
    };
    assert_eq!(t.apply_turn(3, Side::A, &[], &[bad]).len(), 1);
    let lower = Concession {
        target: "a1".into(),
        reason: String::new(),
    };
    assert!(t.apply_turn(3, Side::B, &[], &[lower]).is_empty());
    assert_eq!(t.get("A1").unwrap().conceded_by, vec![Side::B]);
}

#[test]
fn related_turns_cover_maker_and_answers() {
    let t = sample();
    assert_eq!(t.related_turns("A1"), vec![0, 1]);
    assert_eq!(t.related_turns("B1"), vec![1, 2]);
    assert!(t.related_turns("nope").is_empty());
}

#[test]
fn judge_edits_reshape_the_tree() {
    let mut t = sample();
    let q = t.add_question("A1", "Does traffic come back?").unwrap();
    assert_eq!(q, "Q1");
    assert_eq!(t.get("Q1").unwrap().origin, Origin::Judge);
    assert_eq!(
        t.add_question("A1", "  ").unwrap_err(),
        EditError::EmptyText
    );
    assert_eq!(t.edit_text("B2", "New text").unwrap(), "claim B2");
    // Move B2 under A2 (created later than B2's old parent): still a valid tree.
    assert_eq!(t.move_node("B2", "A2").unwrap(), "root");
    assert!(
        t.children_of(t.position("A2").unwrap())
            .contains(&t.position("B2").unwrap())
    );
    assert!(!t.children_of(0).contains(&t.position("B2").unwrap()));
    assert_eq!(
        t.move_node("A1", "A2").unwrap_err(),
        EditError::Cycle("A1".into())
    );
    assert_eq!(
        t.move_node("root", "A1").unwrap_err(),
        EditError::Root("moved")
    );
    let json = serde_json::to_string(&t).unwrap();
    let back: ClaimTree = serde_json::from_str(&json).unwrap();
    assert_eq!(back.nodes(), t.nodes());
    assert_eq!(
        back.children_of(back.position("A2").unwrap()),
        t.children_of(t.position("A2").unwrap())
    );
    assert_eq!(t.path_to("B2"), vec!["root", "A1", "B1", "A2", "B2"]);
}

#[test]
fn merging_moves_children_and_hides_the_duplicate() {
    let mut t = sample();
    let r0 = t.revision();
    t.merge("B1", "B2").unwrap();
    assert!(t.revision() > r0);
    assert_eq!(t.get("A2").unwrap().parent.as_deref(), Some("B2"));
    assert_eq!(t.get("B1").unwrap().merged_into.as_deref(), Some("B2"));
    assert!(t.children_of(t.position("B1").unwrap()).is_empty());
    assert_eq!(t.merge("B2", "B2").unwrap_err(), EditError::SameNode);
    assert_eq!(
        t.merge("B2", "A2").unwrap_err(),
        EditError::Cycle("A2".into())
    );
    assert_eq!(
        t.merge("A2", "B1").unwrap_err(),
        EditError::Merged("B1".into())
    );
    // A claim aimed at the duplicate lands on the node kept.
    t.apply_turn(5, Side::A, &[claim("A9", Relation::Attacks, "b1")], &[]);
    assert_eq!(t.get("A9").unwrap().parent.as_deref(), Some("B2"));
}

#[test]
fn cycles_in_a_file_are_rejected() {
    let cyclic = r#"{"nodes":[{"id":"root","parent":null,"text":"Q","side":null,"relation":null},
        {"id":"X","parent":"Y","text":"x","side":"A","relation":"supports"},
        {"id":"Y","parent":"X","text":"y","side":"B","relation":"attacks"}]}"#;
    let err = serde_json::from_str::<ClaimTree>(cyclic).unwrap_err();
    assert!(err.to_string().contains("cycle"), "{err}");
}

#[test]
fn round_trips_through_json_and_rejects_broken_trees() {
    let t = sample();
    let json = serde_json::to_string(&t).unwrap();
    let back: ClaimTree = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    let orphan = r#"{"nodes":[{"id":"root","parent":null,"text":"Q","side":null,"relation":null},
        {"id":"X","parent":"nowhere","text":"x","side":"A","relation":"supports"}]}"#;
    let err = serde_json::from_str::<ClaimTree>(orphan).unwrap_err();
    assert!(err.to_string().contains("nowhere"));
    assert!(serde_json::from_str::<ClaimTree>(r#"{"nodes":[]}"#).is_err());
}
