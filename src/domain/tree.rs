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
    /// Who made the node: a debater's claim, or a sub-question the judge added.
    #[serde(default, skip_serializing_if = "Origin::is_debate")]
    pub origin: Origin,
    /// The judge's ruling on this node, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judgement: Option<NodeJudgement>,
    /// The judge marked (`true`) or unmarked (`false`) this node as a crux; `None` leaves it to
    /// agon's proposal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crux_mark: Option<bool>,
    /// Set when the judge merged this node into another as a duplicate; it is then hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Debate,
    Judge,
}

impl Origin {
    pub fn is_debate(&self) -> bool {
        *self == Origin::Debate
    }
}

/// The judge's ruling on one node: which side wins it, how sure, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeJudgement {
    pub winner: Side,
    /// Confidence that `winner` is right, 0.5 to 1.0.
    pub confidence: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rationale: String,
}

impl Node {
    pub fn is_root(&self) -> bool {
        self.parent.is_none()
    }

    fn new_claim(id: String, parent: String, text: String) -> Self {
        Node {
            id,
            parent: Some(parent),
            text,
            side: None,
            relation: None,
            turn: None,
            unresolved_target: None,
            conceded_by: Vec::new(),
            origin: Origin::Debate,
            judgement: None,
            crux_mark: None,
            merged_into: None,
        }
    }
}

/// Why a judge's edit of the tree was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("there is no node {0}")]
    NoSuchNode(String),
    #[error("the question itself cannot be {0}")]
    Root(&'static str),
    #[error("{0} cannot go under its own branch")]
    Cycle(String),
    #[error("a node cannot be merged into itself")]
    SameNode,
    #[error("the text is empty")]
    EmptyText,
    #[error("there is no turn {}", .0 + 1)]
    NoSuchTurn(usize),
    #[error("the selected span is not part of the turn's text")]
    BadSpan,
    #[error("there is no annotation {0}")]
    NoSuchAnnotation(u32),
    #[error("{0} was merged into another node")]
    Merged(String),
}

/// A node reached by [`ClaimTree::walk`]: its position, and how far below the root it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub pos: usize,
    pub depth: usize,
}

/// How many levels a nested list of the tree (an export, a prompt) indents before it stops:
/// past this, a node's depth is written out instead (`[depth 4203]`), so a chain thousands of
/// claims deep does not make each line thousands of spaces long.
pub const MAX_INDENT: usize = 12;

/// The levels to indent a node at `depth` by, and the depth to write out when it is deeper
/// than [`MAX_INDENT`].
pub fn indent(depth: usize) -> (usize, Option<usize>) {
    if depth > MAX_INDENT {
        (MAX_INDENT, Some(depth))
    } else {
        (depth, None)
    }
}

/// The tree, stored as a flat list of nodes in creation order (the root first).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "TreeRepr", into = "TreeRepr")]
pub struct ClaimTree {
    nodes: Vec<Node>,
    /// Derived: node id -> position in `nodes`.
    index: HashMap<String, usize>,
    /// Derived: position -> positions of its children, in creation order.
    children: Vec<Vec<usize>>,
    /// Bumped on every change, so views can cache what they derive from the tree.
    revision: u64,
}

fn next_revision() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Two trees are equal when their nodes are: the indexes and revision are derived.
impl PartialEq for ClaimTree {
    fn eq(&self, other: &Self) -> bool {
        self.nodes == other.nodes
    }
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

    /// Checks the tree as it comes from a file: one root first, unique ids, every parent known,
    /// no cycles. Parents may come after their children (the judge can move nodes).
    fn try_from(repr: TreeRepr) -> Result<Self, String> {
        let nodes = repr.nodes;
        let root = nodes
            .first()
            .ok_or("tree has no nodes (the root is missing)")?;
        if root.parent.is_some() || root.id != ROOT_ID {
            return Err("the first tree node must be the root (id \"root\", parent null)".into());
        }
        let mut index = HashMap::with_capacity(nodes.len());
        for (pos, node) in nodes.iter().enumerate() {
            if index.insert(node.id.clone(), pos).is_some() {
                return Err(format!("tree node id {} appears twice", node.id));
            }
        }
        let mut children = vec![Vec::new(); nodes.len()];
        for (pos, node) in nodes.iter().enumerate().skip(1) {
            let parent = node
                .parent
                .as_deref()
                .ok_or_else(|| format!("tree node {} has no parent", node.id))?;
            let &p = index.get(parent).ok_or_else(|| {
                format!(
                    "tree node {} names parent {parent}, which does not exist",
                    node.id
                )
            })?;
            children[p].push(pos);
        }
        let tree = ClaimTree {
            nodes,
            index,
            children,
            revision: next_revision(),
        };
        // Every node must reach the root: otherwise the parents form a cycle.
        let mut seen = vec![false; tree.nodes.len()];
        let mut stack = vec![0];
        while let Some(pos) = stack.pop() {
            seen[pos] = true;
            stack.extend(tree.children[pos].iter().copied());
        }
        if let Some(pos) = seen.iter().position(|s| !s) {
            return Err(format!(
                "tree node {} is in a cycle of parents",
                tree.nodes[pos].id
            ));
        }
        Ok(tree)
    }
}

impl ClaimTree {
    pub fn new(question: &str) -> Self {
        let mut root = Node::new_claim(ROOT_ID.to_string(), String::new(), question.to_string());
        root.parent = None;
        let mut tree = ClaimTree {
            nodes: Vec::new(),
            index: HashMap::new(),
            children: Vec::new(),
            revision: next_revision(),
        };
        tree.push(root);
        tree
    }

    /// A number that changes whenever the tree does, unique across all trees of the process,
    /// so a cache keyed by it never confuses a rebuilt tree with an older one.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    fn touch(&mut self) {
        self.revision = next_revision();
    }

    fn push(&mut self, node: Node) {
        self.touch();
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

    /// The nodes the judge ruled on, with the ruling, in tree order.
    pub fn rulings(&self) -> Vec<(&Node, &NodeJudgement)> {
        self.nodes
            .iter()
            .filter_map(|n| Some((n, n.judgement.as_ref()?)))
            .collect()
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
        self.walk(|_| true)
            .iter()
            .map(|v| v.depth)
            .max()
            .unwrap_or(0)
    }

    /// The nodes in the order a nested list shows them, from the root: each right after its
    /// parent's earlier children and their branches, children in creation order. Below a node
    /// only if `descend` says so (the exports leave out what hangs under a merged duplicate).
    /// Without recursion, so a chain 50,000 deep costs what a flat tree of as many nodes does;
    /// each node is visited once.
    pub fn walk(&self, descend: impl Fn(&Node) -> bool) -> Vec<Visit> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![Visit { pos: 0, depth: 0 }];
        while let Some(visit) = stack.pop() {
            match seen.get_mut(visit.pos) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            out.push(visit);
            if self.nodes.get(visit.pos).is_some_and(&descend) {
                let depth = visit.depth.saturating_add(1);
                stack.extend(
                    self.children_of(visit.pos)
                        .iter()
                        .rev()
                        .map(|&pos| Visit { pos, depth }),
                );
            }
        }
        out
    }

    /// Every node's position, each after all of its branch: the order in which a value that
    /// depends on a node's children can be computed without recursion.
    pub fn bottom_up(&self) -> Vec<usize> {
        let mut order: Vec<usize> = self.walk(|_| true).iter().map(|v| v.pos).collect();
        order.reverse();
        order
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
                side: Some(side),
                relation: Some(claim.relation),
                turn: Some(turn),
                unresolved_target,
                ..Node::new_claim(id, parent, claim.text.clone())
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
                        self.touch();
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
        let mut id = if self.index.contains_key(target) {
            target.to_string()
        } else {
            self.nodes
                .iter()
                .find(|n| n.id.eq_ignore_ascii_case(target))
                .map(|n| n.id.clone())?
        };
        // A merged duplicate stands for the node it was merged into.
        let mut hops = 0;
        while let Some(into) = self.get(&id).and_then(|n| n.merged_into.clone()) {
            id = into;
            hops += 1;
            if hops > self.nodes.len() {
                break;
            }
        }
        Some(id)
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

    fn pos_of(&self, id: &str) -> Result<usize, EditError> {
        self.position(id)
            .ok_or_else(|| EditError::NoSuchNode(id.to_string()))
    }

    /// Whether `pos` is `ancestor` or lies under it.
    pub fn is_within(&self, pos: usize, ancestor: usize) -> bool {
        let mut cur = Some(pos);
        while let Some(p) = cur {
            if p == ancestor {
                return true;
            }
            cur = self.nodes[p]
                .parent
                .as_deref()
                .and_then(|id| self.position(id));
        }
        false
    }

    /// The ids from the root down to `id` (both included).
    pub fn path_to(&self, id: &str) -> Vec<String> {
        let mut path = Vec::new();
        let mut cur = self.get(id);
        while let Some(node) = cur {
            path.push(node.id.clone());
            cur = node.parent.as_deref().and_then(|p| self.get(p));
        }
        path.reverse();
        path
    }

    /// Adds a sub-question of the judge's under `parent`; returns its id (`Q1`, `Q2`, ...).
    pub fn add_question(&mut self, parent: &str, text: &str) -> Result<String, EditError> {
        self.pos_of(parent)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(EditError::EmptyText);
        }
        let mut n = 1;
        while self.index.contains_key(&format!("Q{n}")) {
            n += 1;
        }
        let id = format!("Q{n}");
        self.push(Node {
            origin: Origin::Judge,
            ..Node::new_claim(id.clone(), parent.to_string(), text.to_string())
        });
        Ok(id)
    }

    /// Replaces a node's text; returns the old text. The question itself is not edited here:
    /// it is the debate's premise.
    pub fn edit_text(&mut self, id: &str, text: &str) -> Result<String, EditError> {
        let pos = self.pos_of(id)?;
        if pos == 0 {
            return Err(EditError::Root("edited"));
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(EditError::EmptyText);
        }
        self.touch();
        Ok(std::mem::replace(
            &mut self.nodes[pos].text,
            text.to_string(),
        ))
    }

    /// Moves a node (with its branch) under a new parent; returns the old parent's id.
    pub fn move_node(&mut self, id: &str, new_parent: &str) -> Result<String, EditError> {
        let pos = self.pos_of(id)?;
        let target = self.pos_of(new_parent)?;
        if pos == 0 {
            return Err(EditError::Root("moved"));
        }
        if self.nodes[target].merged_into.is_some() {
            return Err(EditError::Merged(new_parent.to_string()));
        }
        if self.is_within(target, pos) {
            return Err(EditError::Cycle(id.to_string()));
        }
        let old = self.nodes[pos].parent.clone().unwrap_or_default();
        if let Some(old_pos) = self.position(&old) {
            self.children[old_pos].retain(|&c| c != pos);
        }
        self.children[target].push(pos);
        self.children[target].sort_unstable();
        self.nodes[pos].parent = Some(new_parent.to_string());
        // The judge placed it: any unknown target it once had no longer matters.
        self.nodes[pos].unresolved_target = None;
        self.touch();
        Ok(old)
    }

    /// Merges a duplicate into another node: its children move there and it is hidden.
    pub fn merge(&mut self, from: &str, into: &str) -> Result<(), EditError> {
        let f = self.pos_of(from)?;
        let t = self.pos_of(into)?;
        if f == 0 {
            return Err(EditError::Root("merged away"));
        }
        if f == t {
            return Err(EditError::SameNode);
        }
        if self.nodes[t].merged_into.is_some() {
            return Err(EditError::Merged(into.to_string()));
        }
        if self.is_within(t, f) {
            return Err(EditError::Cycle(into.to_string()));
        }
        let kids = std::mem::take(&mut self.children[f]);
        for &k in &kids {
            self.nodes[k].parent = Some(into.to_string());
        }
        self.children[t].extend(kids);
        self.children[t].sort_unstable();
        self.nodes[f].merged_into = Some(into.to_string());
        self.touch();
        Ok(())
    }

    pub fn set_judgement(
        &mut self,
        id: &str,
        judgement: Option<NodeJudgement>,
    ) -> Result<(), EditError> {
        let pos = self.pos_of(id)?;
        self.nodes[pos].judgement = judgement;
        self.touch();
        Ok(())
    }

    pub fn set_crux_mark(&mut self, id: &str, mark: Option<bool>) -> Result<(), EditError> {
        let pos = self.pos_of(id)?;
        if pos == 0 {
            return Err(EditError::Root("a crux"));
        }
        self.nodes[pos].crux_mark = mark;
        self.touch();
        Ok(())
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

    /// Renumbers the turns nodes came from (a schema migration that folds turns together).
    pub fn renumber_turns(&mut self, new_index: &dyn Fn(usize) -> usize) {
        for node in &mut self.nodes {
            node.turn = node.turn.map(new_index);
        }
        self.touch();
    }
}

#[cfg(test)]
pub(crate) mod tests;
