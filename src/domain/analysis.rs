//! What the tree says: each node's status, the cruxes agon proposes, and the verdict the judge's
//! node rulings suggest. The rules are documented in `docs/cruxes.md`.

use super::claims::Relation;
use super::side::Side;
use super::tree::{ClaimTree, Node};

/// A node's state in the debate, shown as a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeStatus {
    /// Nobody has attacked it.
    Open,
    /// The other side attacked it and its side has not replied.
    Unanswered,
    /// Attacked and defended.
    Contested,
    /// A side gave it up.
    Conceded,
    /// The judge ruled on it.
    Judged,
}

impl NodeStatus {
    pub fn label(self) -> &'static str {
        match self {
            NodeStatus::Open => "open",
            NodeStatus::Unanswered => "unanswered",
            NodeStatus::Contested => "contested",
            NodeStatus::Conceded => "conceded",
            NodeStatus::Judged => "judged",
        }
    }
}

/// Everything derived from one revision of the tree, indexed by node position.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub revision: u64,
    pub status: Vec<NodeStatus>,
    /// Probability that the node's claim stands (for the root: that A is right).
    pub p_stands: Vec<f64>,
    /// Proposed by the crux rule (before the judge's marks).
    pub proposed_crux: Vec<bool>,
    /// Proposed and not unmarked, or marked by the judge.
    pub crux: Vec<bool>,
    /// The verdict the node rulings suggest: P(A is right).
    pub suggested_p_a: f64,
}

fn live(node: &Node) -> bool {
    node.merged_into.is_none()
}

fn attackers<'a>(tree: &'a ClaimTree, pos: usize) -> impl Iterator<Item = usize> + 'a {
    let side = tree.nodes()[pos].side;
    tree.children_of(pos).iter().copied().filter(move |&c| {
        let n = &tree.nodes()[c];
        live(n) && n.relation == Some(Relation::Attacks) && (side.is_none() || n.side != side)
    })
}

/// The node's status, by the rules in `docs/cruxes.md`.
pub fn status(tree: &ClaimTree, pos: usize) -> NodeStatus {
    if tree.nodes()[pos].judgement.is_some() {
        NodeStatus::Judged
    } else {
        debate_status(tree, pos)
    }
}

/// The status the debaters gave the node, whatever the judge ruled.
fn debate_status(tree: &ClaimTree, pos: usize) -> NodeStatus {
    let node = &tree.nodes()[pos];
    if !node.conceded_by.is_empty() {
        return NodeStatus::Conceded;
    }
    if pos == 0 {
        let sides: Vec<Option<Side>> = tree
            .children_of(0)
            .iter()
            .filter(|&&c| live(&tree.nodes()[c]))
            .map(|&c| tree.nodes()[c].side)
            .collect();
        return if sides.contains(&Some(Side::A)) && sides.contains(&Some(Side::B)) {
            NodeStatus::Contested
        } else {
            NodeStatus::Open
        };
    }
    let mut attacked = false;
    for a in attackers(tree, pos) {
        attacked = true;
        let attack_turn = tree.nodes()[a].turn;
        // A reply: the node's side answers the attacker, or backs the node up after it.
        let answered_attacker = tree
            .children_of(a)
            .iter()
            .any(|&c| live(&tree.nodes()[c]) && tree.nodes()[c].side == node.side);
        let backed_up = tree.children_of(pos).iter().any(|&c| {
            let n = &tree.nodes()[c];
            live(n)
                && n.side == node.side
                && n.relation == Some(Relation::Supports)
                && n.turn > attack_turn
        });
        if answered_attacker || backed_up {
            return NodeStatus::Contested;
        }
    }
    if attacked {
        NodeStatus::Unanswered
    } else {
        NodeStatus::Open
    }
}

/// How likely a claim stands before anyone has backed it up or attacked it: even odds, so
/// neither side's claims start ahead.
pub const PRIOR_STANDS: f64 = 0.5;

/// The live children that back a node up: they support it, whoever made them.
fn supporters<'a>(tree: &'a ClaimTree, pos: usize) -> impl Iterator<Item = usize> + 'a {
    tree.children_of(pos).iter().copied().filter(move |&c| {
        let n = &tree.nodes()[c];
        live(n) && n.relation == Some(Relation::Supports)
    })
}

/// Probability that each node's claim stands (the rule and a worked example: `docs/cruxes.md`).
/// A ruling sets it (the confidence for the node's side); a concession by its own side makes
/// it 0, by the other side 1. Otherwise a claim holds with the prior unless a standing
/// supporter establishes it, and then survives each standing attacker, all independent:
///
/// `p = [1 − (1 − PRIOR_STANDS) · Π_supporters (1 − p_s)] · Π_attackers (1 − p_a)`
///
/// Computed bottom up (children before parents) without recursion, so any depth is fine.
fn p_stands(tree: &ClaimTree) -> Vec<f64> {
    let mut p = vec![PRIOR_STANDS; tree.len()];
    let of = |p: &[f64], c: usize| p.get(c).copied().unwrap_or(PRIOR_STANDS);
    for pos in tree.bottom_up() {
        let node = &tree.nodes()[pos];
        let value = if let Some(j) = &node.judgement {
            match node.side {
                Some(side) if side == j.winner => j.confidence,
                Some(_) => 1.0 - j.confidence,
                // A judge's question or the root: the ruling is about A.
                None if j.winner == Side::A => j.confidence,
                None => 1.0 - j.confidence,
            }
        } else if node.side.is_some_and(|s| node.conceded_by.contains(&s)) {
            0.0
        } else if node
            .side
            .is_some_and(|s| node.conceded_by.contains(&s.other()))
        {
            1.0
        } else {
            let unsupported: f64 = supporters(tree, pos).map(|s| 1.0 - of(&p, s)).product();
            let survives: f64 = attackers(tree, pos).map(|a| 1.0 - of(&p, a)).product();
            (1.0 - (1.0 - PRIOR_STANDS) * unsupported) * survives
        };
        if let Some(slot) = p.get_mut(pos) {
            // A ruling's confidence comes from a file: keep whatever it says a probability.
            *slot = if value.is_finite() {
                value.clamp(0.0, 1.0)
            } else {
                PRIOR_STANDS
            };
        }
    }
    p
}

/// P(A is right) suggested by the top-level claims: each side's standing claims, weighed by
/// their probability of standing, with one imaginary claim each (Laplace smoothing).
fn suggested(tree: &ClaimTree, p: &[f64]) -> f64 {
    let (mut a, mut b) = (1.0, 1.0);
    for &c in tree.children_of(0) {
        let n = &tree.nodes()[c];
        if !live(n) {
            continue;
        }
        match (n.side, n.relation) {
            (Some(Side::A), _) | (None, Some(Relation::Supports)) => a += p[c],
            (Some(Side::B), _) | (None, Some(Relation::Attacks)) => b += p[c],
            _ => {}
        }
    }
    a / (a + b)
}

impl Analysis {
    pub fn of(tree: &ClaimTree) -> Self {
        let n = tree.len();
        let status: Vec<NodeStatus> = (0..n).map(|pos| status(tree, pos)).collect();
        let mut p = p_stands(tree);
        let suggested_p_a = match &tree.root().judgement {
            Some(_) => p[0],
            None => suggested(tree, &p),
        };
        p[0] = suggested_p_a;
        let proposed_crux = proposed_cruxes(tree, &p);
        let crux = (0..n)
            .map(|pos| match tree.nodes()[pos].crux_mark {
                Some(mark) => mark,
                None => proposed_crux[pos],
            })
            .collect();
        Analysis {
            revision: tree.revision(),
            status,
            p_stands: p,
            proposed_crux,
            crux,
            suggested_p_a,
        }
    }
}

/// Top-level claims proposed as cruxes at most: the most debated ones.
const ROOT_CRUXES: usize = 3;

/// The crux rule: both sides contest the node and its outcome decides its parent. Below the root, an attack decides its parent when every other attack on
/// that parent falls (the parent then stands or falls with it). At the root every contested
/// top-level claim bears on the answer directly; the most debated ones (most turns in their
/// branch) are proposed, at most three.
fn proposed_cruxes(tree: &ClaimTree, p: &[f64]) -> Vec<bool> {
    let n = tree.len();
    // A ruling does not stop a crux being one: judge the status the debaters gave it.
    let contested = |pos: usize| {
        let node = &tree.nodes()[pos];
        live(node) && node.side.is_some() && debate_status(tree, pos) == NodeStatus::Contested
    };
    let mut out: Vec<bool> = (0..n)
        .map(|pos| {
            let node = &tree.nodes()[pos];
            let parent = node.parent.as_deref().and_then(|id| tree.position(id));
            match parent {
                Some(parent) if parent != 0 => {
                    contested(pos)
                        && node.relation == Some(Relation::Attacks)
                        && attackers(tree, parent)
                            .filter(|&a| a != pos)
                            .all(|a| p[a] < 0.5)
                }
                _ => false,
            }
        })
        .collect();
    let mut top: Vec<(usize, usize)> = tree
        .children_of(0)
        .iter()
        .copied()
        .filter(|&c| contested(c))
        .map(|c| (branch_turns(tree, c), c))
        .collect();
    top.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    for (_, c) in top.into_iter().take(ROOT_CRUXES) {
        out[c] = true;
    }
    out
}

/// How many distinct turns made claims in the node's branch.
pub fn branch_turns(tree: &ClaimTree, pos: usize) -> usize {
    let mut turns = Vec::new();
    let mut stack = vec![pos];
    while let Some(p) = stack.pop() {
        let node = &tree.nodes()[p];
        if live(node) {
            turns.extend(node.turn);
        }
        stack.extend(tree.children_of(p).iter().copied());
    }
    turns.sort_unstable();
    turns.dedup();
    turns.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::claims::Concession;
    use crate::domain::tree::NodeJudgement;

    use crate::domain::tree::tests::{claim, sample as debate};

    fn pos(t: &ClaimTree, id: &str) -> usize {
        t.position(id).unwrap()
    }

    #[test]
    fn statuses_follow_attacks_and_replies() {
        let mut t = debate();
        assert_eq!(
            status(&t, pos(&t, "A1")),
            NodeStatus::Contested,
            "attacked by B1, A answered B1"
        );
        assert_eq!(
            status(&t, pos(&t, "B1")),
            NodeStatus::Unanswered,
            "A2 attacks it, B has not replied"
        );
        assert_eq!(status(&t, pos(&t, "B2")), NodeStatus::Open);
        assert_eq!(status(&t, 0), NodeStatus::Contested);
        t.apply_turn(3, Side::B, &[claim("B3", Relation::Supports, "B1")], &[]);
        assert_eq!(
            status(&t, pos(&t, "B1")),
            NodeStatus::Contested,
            "backed up after the attack"
        );
        t.apply_turn(
            4,
            Side::A,
            &[],
            &[Concession {
                target: "B2".into(),
                reason: String::new(),
            }],
        );
        assert_eq!(status(&t, pos(&t, "B2")), NodeStatus::Conceded);
        t.set_judgement(
            "A2",
            Some(NodeJudgement {
                winner: Side::A,
                confidence: 0.9,
                rationale: String::new(),
            }),
        )
        .unwrap();
        assert_eq!(status(&t, pos(&t, "A2")), NodeStatus::Judged);
    }

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-12
    }

    #[test]
    fn derivation_rule_worked_by_hand() {
        let mut t = debate();
        // Unjudged, with the prior 0.5: A2 has nothing for or against it, 0.5; B1 survives A2
        // with 0.5 × (1 − 0.5) = 0.25; A1 survives B1 with 0.5 × (1 − 0.25) = 0.375; B2 0.5.
        let a = Analysis::of(&t);
        assert!(close(a.p_stands[pos(&t, "A2")], 0.5));
        assert!(close(a.p_stands[pos(&t, "B1")], 0.25));
        assert!(close(a.p_stands[pos(&t, "A1")], 0.375));
        assert!(close(a.p_stands[pos(&t, "B2")], 0.5));
        // Root: (1 + 0.375) / (2 + 0.375 + 0.5) = 1.375 / 2.875
        assert!(close(a.suggested_p_a, 1.375 / 2.875));

        // The judge rules B wins A2 at 80%: A2 stands with 0.2, B1 with 0.5 × 0.8 = 0.4, A1
        // with 0.5 × 0.6 = 0.3.
        t.set_judgement(
            "A2",
            Some(NodeJudgement {
                winner: Side::B,
                confidence: 0.8,
                rationale: String::new(),
            }),
        )
        .unwrap();
        let a = Analysis::of(&t);
        assert!(close(a.p_stands[pos(&t, "A2")], 0.2));
        assert!(close(a.p_stands[pos(&t, "B1")], 0.4));
        assert!(close(a.p_stands[pos(&t, "A1")], 0.3));
        // Root: (1 + 0.3) / (2 + 0.3 + 0.5) = 1.3 / 2.8
        assert!(close(a.suggested_p_a, 1.3 / 2.8));

        // A backs A1 up with A3 (0.5): A1 = [1 − 0.5 × (1 − 0.5)] × (1 − 0.4) = 0.75 × 0.6.
        t.apply_turn(3, Side::A, &[claim("A3", Relation::Supports, "A1")], &[]);
        let a = Analysis::of(&t);
        assert!(close(a.p_stands[pos(&t, "A1")], 0.45));
    }

    #[test]
    fn concessions_settle_a_claim_and_rulings_win_over_them() {
        let mut t = debate();
        let concede = |target: &str| Concession {
            target: target.into(),
            reason: String::new(),
        };
        // B gives up B1: it falls, so A1 only has its prior left.
        t.apply_turn(3, Side::B, &[], &[concede("B1")]);
        let a = Analysis::of(&t);
        assert_eq!(a.p_stands[pos(&t, "B1")], 0.0);
        assert!(close(a.p_stands[pos(&t, "A1")], 0.5));
        // B concedes A2, A's claim: it stands for sure.
        t.apply_turn(4, Side::B, &[], &[concede("A2")]);
        assert_eq!(Analysis::of(&t).p_stands[pos(&t, "A2")], 1.0);
        // A ruling on A2 wins over the concession.
        t.set_judgement(
            "A2",
            Some(NodeJudgement {
                winner: Side::B,
                confidence: 0.6,
                rationale: String::new(),
            }),
        )
        .unwrap();
        assert!(close(Analysis::of(&t).p_stands[pos(&t, "A2")], 0.4));
    }

    #[test]
    fn a_50000_deep_chain_of_attacks_is_analysed_without_recursion() {
        const DEPTH: usize = 50_000;
        let mut t = ClaimTree::new("Q?");
        let mut parent = "root".to_string();
        for i in 0..DEPTH {
            let side = if i % 2 == 0 { Side::A } else { Side::B };
            let id = format!("{}{}", if i % 2 == 0 { "A" } else { "B" }, i + 1);
            t.apply_turn(i, side, &[claim(&id, Relation::Attacks, &parent)], &[]);
            parent = id;
        }
        let a = Analysis::of(&t);
        assert_eq!(a.p_stands.len(), DEPTH + 1);
        assert!(a.p_stands.iter().all(|p| (0.0..=1.0).contains(p)));
        // The leaf has its prior 0.5; above it p = 0.5 × (1 − p_below), which settles at the
        // fixed point x = 0.5 (1 − x) = 1/3 long before the top.
        assert!(close(a.p_stands[pos(&t, &parent)], 0.5));
        assert!((a.p_stands[pos(&t, "B2")] - 1.0 / 3.0).abs() < 1e-9);
    }

    proptest::proptest! {
        #[test]
        fn stands_is_a_probability_for_any_tree(
            moves in proptest::collection::vec(
                (0usize..64, proptest::bool::ANY, proptest::bool::ANY, 0u8..6, 0.0f64..=1.0),
                0..80,
            )
        ) {
            let mut t = ClaimTree::new("Q?");
            let mut ids = vec!["root".to_string()];
            for (k, (target, attacks, by_a, extra, conf)) in moves.into_iter().enumerate() {
                let side = if by_a { Side::A } else { Side::B };
                let target = ids[target % ids.len()].clone();
                let id = format!("{}{}", if by_a { "A" } else { "B" }, k + 1);
                let relation = if attacks { Relation::Attacks } else { Relation::Supports };
                let concessions = if extra == 1 {
                    vec![Concession { target: target.clone(), reason: String::new() }]
                } else {
                    Vec::new()
                };
                t.apply_turn(k, side, &[claim(&id, relation, &target)], &concessions);
                if extra == 2 {
                    let _ = t.set_judgement(&target, Some(NodeJudgement {
                        winner: side,
                        confidence: conf,
                        rationale: String::new(),
                    }));
                }
                ids.push(id);
            }
            let a = Analysis::of(&t);
            for p in a.p_stands.iter().chain([&a.suggested_p_a]) {
                proptest::prop_assert!((0.0..=1.0).contains(p), "{p}");
            }
        }
    }

    #[test]
    fn a_ruling_on_the_root_is_the_suggestion() {
        let mut t = debate();
        t.set_judgement(
            "root",
            Some(NodeJudgement {
                winner: Side::B,
                confidence: 0.7,
                rationale: String::new(),
            }),
        )
        .unwrap();
        assert!((Analysis::of(&t).suggested_p_a - 0.3).abs() < 1e-12);
    }

    #[test]
    fn a_pivotal_attack_below_the_root_is_a_crux() {
        let mut t = debate();
        // B answers A2, so B1 is contested; B1 is A1's only attacker, so it decides A1.
        t.apply_turn(3, Side::B, &[claim("B3", Relation::Attacks, "A2")], &[]);
        let a = Analysis::of(&t);
        assert_eq!(a.status[pos(&t, "B1")], NodeStatus::Contested);
        assert!(a.proposed_crux[pos(&t, "B1")]);
        // A second standing attack on A1 means B1 alone no longer decides it.
        t.apply_turn(4, Side::B, &[claim("B4", Relation::Attacks, "A1")], &[]);
        assert!(!Analysis::of(&t).proposed_crux[pos(&t, "B1")]);
    }

    #[test]
    fn cruxes_are_contested_and_decisive_and_marks_override() {
        let mut t = debate();
        let a = Analysis::of(&t);
        // A1 is a contested top-level claim.
        assert!(a.proposed_crux[pos(&t, "A1")]);
        assert!(!a.proposed_crux[pos(&t, "B1")], "unanswered, not contested");
        assert!(!a.proposed_crux[pos(&t, "B2")], "open");
        t.set_crux_mark("A1", Some(false)).unwrap();
        t.set_crux_mark("B2", Some(true)).unwrap();
        let a = Analysis::of(&t);
        assert!(a.proposed_crux[pos(&t, "A1")] && !a.crux[pos(&t, "A1")]);
        assert!(a.crux[pos(&t, "B2")]);
    }

    #[test]
    fn the_demo_proposes_its_scripted_cruxes() {
        use crate::domain::{ROOT_ID, Session, TurnOutcome};
        use crate::providers::scripted::script::DemoScript;
        let script = DemoScript::bundled().unwrap();
        let t0 = time::OffsetDateTime::UNIX_EPOCH;
        let mut s = Session::new(script.setup(), t0);
        while let Some((round, side)) = s.next_slot() {
            let i = s.begin_turn(side, round, "root", t0);
            s.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
            s.finish_turn(i, TurnOutcome::Complete, None, t0);
        }
        let a = Analysis::of(&s.tree);
        let cruxes: Vec<&str> = (0..s.tree.len())
            .filter(|&p| a.crux[p])
            .map(|p| s.tree.nodes()[p].id.as_str())
            .collect();
        assert!(!cruxes.is_empty(), "the demo has cruxes");
        for sub in &script.subdebates {
            assert!(a.crux[pos(&s.tree, &sub.node)], "{} is proposed", sub.node);
        }
        assert!((0.0..=1.0).contains(&a.suggested_p_a));
        println!(
            "demo cruxes: {cruxes:?}, suggested P(A) {:.3}",
            a.suggested_p_a
        );
    }
}
