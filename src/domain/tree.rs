//! The claim tree: the root question and every claim the debaters made, each hanging under the
//! node it supports or attacks.

use super::claims::{Claim, Concession, ROOT_ID, Relation};
use super::side::Side;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A node of the tree. The root is the question; every other node is a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    /// `None` only for the root.
    pub parent: Option<String>,
    pub text: String,
    /// The side that made the claim; `None` for the root.
    pub side: Option<Side>,
    /// How the claim relates to its parent; `None` for the root.
    pub relation: Option<Relation>,
    /// Index of the turn that made the claim.
    #[serde(default)]
    pub turn: Option<usize>,
    /// The id the claim targeted when no such node existed (it was attached to the root instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unresolved_target: Option<String>,
    /// Sides that conceded this node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conceded_by: Vec<Side>,
}

impl Node {
    pub fn is_root(&self) -> bool {
        self.parent.is_none()
    }
}

/// The tree, stored as a flat list of nodes in creation order (the root first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TreeRepr", into = "TreeRepr")]
pub struct ClaimTree {
    nodes: Vec<Node>,
    /// Derived: node id -> position in `nodes`.
    index: HashMap<String, usize>,
    /// Derived: position -> positions of its children, in creation order.
    children: Vec<Vec<usize>>,
}

#[derive(Serialize, Deserialize)]
struct TreeRepr {
    nodes: Vec<Node>,
}

impl From<ClaimTree> for TreeRepr {
    fn from(t: ClaimTree) -> Self {
        TreeRepr { nodes: t.nodes }
    }
}

impl TryFrom<TreeRepr> for ClaimTree {
    type Error = String;

    fn try_from(repr: TreeRepr) -> Result<Self, String> {
        let mut nodes = repr.nodes.into_iter();
        let root = nodes
            .next()
            .ok_or("tree has no nodes (the root is missing)")?;
        if root.parent.is_some() || root.id != ROOT_ID {
            return Err("the first tree node must be the root (id \"root\", parent null)".into());
        }
        let mut tree = ClaimTree::with_root(root);
        for node in nodes {
            let Some(parent) = node.parent.as_deref() else {
                return Err(format!("tree node {} has no parent", node.id));
            };
            if !tree.index.contains_key(parent) {
                return Err(format!(
                    "tree node {} names parent {parent}, which does not come before it",
                    node.id
                ));
            }
            if tree.index.contains_key(&node.id) {
                return Err(format!("tree node id {} appears twice", node.id));
            }
            tree.push(node);
        }
        Ok(tree)
    }
}

impl ClaimTree {
    pub fn new(question: &str) -> Self {
        Self::with_root(Node {
            id: ROOT_ID.to_string(),
            parent: None,
            text: question.to_string(),
            side: None,
            relation: None,
            turn: None,
            unresolved_target: None,
            conceded_by: Vec::new(),
        })
    }

    fn with_root(root: Node) -> Self {
        let mut tree = ClaimTree {
            nodes: Vec::new(),
            index: HashMap::new(),
            children: Vec::new(),
        };
        tree.push(root);
        tree
    }

    fn push(&mut self, node: Node) {
        let pos = self.nodes.len();
        if let Some(parent) = node
            .parent
            .as_deref()
            .and_then(|p| self.index.get(p).copied())
        {
            self.children[parent].push(pos);
        }
        self.index.insert(node.id.clone(), pos);
        self.nodes.push(node);
        self.children.push(Vec::new());
    }

    pub fn root(&self) -> &Node {
        &self.nodes[0]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: a tree has at least its root.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn get(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.nodes[i])
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Positions of the children of the node at `pos`, in creation order.
    pub fn children_of(&self, pos: usize) -> &[usize] {
        self.children.get(pos).map_or(&[], Vec::as_slice)
    }

    /// Depth of the deepest node (the root alone has depth 0).
    pub fn depth(&self) -> usize {
        fn walk(tree: &ClaimTree, pos: usize) -> usize {
            tree.children_of(pos)
                .iter()
                .map(|&c| 1 + walk(tree, c))
                .max()
                .unwrap_or(0)
        }
        walk(self, 0)
    }

    /// Adds the claims and concessions of one turn; returns warnings about what could not be
    /// attached as written.
    pub fn apply_turn(
        &mut self,
        turn: usize,
        side: Side,
        claims: &[Claim],
        concessions: &[Concession],
    ) -> Vec<String> {
        let mut warnings = Vec::new();
        for claim in claims {
            let mut id = claim.id.clone();
            if self.index.contains_key(&id) {
                id = self.fresh_id(&claim.id, turn);
                warnings.push(format!(
                    "claim id {} already exists; recorded this claim as {id}",
                    claim.id
                ));
            }
            let (parent, unresolved_target) = if let Some(target) = self.resolve(&claim.target) {
                (target, None)
            } else {
                warnings.push(format!(
                    "claim {id} targets unknown node {}; attached to the root",
                    claim.target
                ));
                (ROOT_ID.to_string(), Some(claim.target.clone()))
            };
            self.push(Node {
                id,
                parent: Some(parent),
                text: claim.text.clone(),
                side: Some(side),
                relation: Some(claim.relation),
                turn: Some(turn),
                unresolved_target,
                conceded_by: Vec::new(),
            });
        }
        for concession in concessions {
            let pos = self
                .resolve(&concession.target)
                .and_then(|id| self.index.get(&id).copied());
            match pos {
                Some(0) => warnings.push("the question itself cannot be conceded; ignored".into()),
                Some(pos) => {
                    let node = &mut self.nodes[pos];
                    if !node.conceded_by.contains(&side) {
                        node.conceded_by.push(side);
                    }
                }
                _ => warnings.push(format!(
                    "concession names unknown node {}; ignored",
                    concession.target
                )),
            }
        }
        warnings
    }

    /// The id of the node a debater meant: exact, or else the one that differs only in case
    /// (models write `a1` for `A1`).
    fn resolve(&self, target: &str) -> Option<String> {
        if self.index.contains_key(target) {
            return Some(target.to_string());
        }
        self.nodes
            .iter()
            .find(|n| n.id.eq_ignore_ascii_case(target))
            .map(|n| n.id.clone())
    }

    fn fresh_id(&self, base: &str, turn: usize) -> String {
        let mut candidate = format!("{base}-t{}", turn + 1);
        let mut n = 2;
        while self.index.contains_key(&candidate) {
            candidate = format!("{base}-t{}-{n}", turn + 1);
            n += 1;
        }
        candidate
    }

    /// Turns that made, answered or conceded the node: the turns a judge reads to weigh it.
    pub fn related_turns(&self, id: &str) -> Vec<usize> {
        let Some(&pos) = self.index.get(id) else {
            return Vec::new();
        };
        let node = &self.nodes[pos];
        let mut turns: Vec<usize> = node.turn.into_iter().collect();
        turns.extend(
            self.children_of(pos)
                .iter()
                .filter_map(|&c| self.nodes[c].turn),
        );
        turns.sort_unstable();
        turns.dedup();
        turns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(id: &str, relation: Relation, target: &str) -> Claim {
        Claim {
            id: id.into(),
            relation,
            target: target.into(),
            text: format!("claim {id}"),
        }
    }

    fn sample() -> ClaimTree {
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
}
