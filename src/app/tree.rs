//! The claim-tree pane's state: the tree flattened into rows (rebuilt only when the tree or
//! the folded set changes), the selected node, which nodes are folded, and the first row in
//! view. Owned by `update`; the painter reads it.

use crate::domain::ClaimTree;
use std::collections::HashSet;

/// A row of the flattened tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Position of the node in the tree.
    pub pos: usize,
    /// Indentation guides drawn before the node.
    pub guide: String,
    pub has_children: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeState {
    /// Position of the selected node in the tree (0 is the root).
    selected: usize,
    folded: HashSet<usize>,
    rows: Vec<Row>,
    /// (tree revision, fold generation) the rows were built for.
    built_for: Option<(u64, u64)>,
    generation: u64,
    /// First row in view.
    top: usize,
    /// Rows of the list (from the terminal's size).
    viewport: usize,
}

impl TreeState {
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn top(&self) -> usize {
        self.top
    }

    pub fn is_folded(&self, pos: usize) -> bool {
        self.folded.contains(&pos)
    }

    pub fn set_viewport(&mut self, rows: usize) {
        self.viewport = rows.max(1);
        self.keep_in_view();
    }

    /// Rebuilds the rows if the tree changed or a node was folded since the last call. Walks
    /// the tree without recursion, so a chain of any depth is fine.
    pub fn sync(&mut self, tree: &ClaimTree) {
        let key = (tree.revision(), self.generation);
        if self.built_for == Some(key) {
            return;
        }
        self.built_for = Some(key);
        self.rows.clear();
        let nodes = tree.nodes();
        let mut stack: Vec<(usize, String, bool, bool)> = vec![(0, String::new(), true, true)];
        // Depth-first, children in creation order; `last` decides the guide glyph.
        while let Some((pos, prefix, last, is_root)) = stack.pop() {
            // Merged duplicates are hidden; their children moved to the node kept.
            let children: Vec<usize> = tree
                .children_of(pos)
                .iter()
                .copied()
                .filter(|&c| nodes.get(c).is_some_and(|n| n.merged_into.is_none()))
                .collect();
            let guide = if is_root {
                String::new()
            } else {
                format!("{prefix}{}", if last { "└─" } else { "├─" })
            };
            self.rows.push(Row {
                pos,
                guide,
                has_children: !children.is_empty(),
            });
            if self.folded.contains(&pos) {
                continue;
            }
            // Deep chains would grow the guide without end: past 40 levels it stops growing.
            let child_prefix = if is_root || prefix.chars().count() >= 80 {
                prefix.clone()
            } else {
                format!("{prefix}{}", if last { "  " } else { "│ " })
            };
            for (i, &c) in children.iter().enumerate().rev() {
                stack.push((c, child_prefix.clone(), i + 1 == children.len(), false));
            }
        }
        if !self.rows.iter().any(|r| r.pos == self.selected) {
            self.selected = 0;
        }
        self.keep_in_view();
    }

    fn selected_row(&self) -> usize {
        self.rows
            .iter()
            .position(|r| r.pos == self.selected)
            .unwrap_or(0)
    }

    fn keep_in_view(&mut self) {
        let row = self.selected_row();
        if row < self.top {
            self.top = row;
        } else if row >= self.top + self.viewport {
            self.top = row + 1 - self.viewport;
        }
        self.top = self.top.min(self.rows.len().saturating_sub(self.viewport));
    }

    pub fn move_by(&mut self, tree: &ClaimTree, delta: isize) {
        self.sync(tree);
        let row = self
            .selected_row()
            .saturating_add_signed(delta)
            .min(self.rows.len().saturating_sub(1));
        if let Some(r) = self.rows.get(row) {
            self.selected = r.pos;
        }
        self.keep_in_view();
    }

    pub fn select(&mut self, pos: usize) {
        self.selected = pos;
        self.keep_in_view();
    }

    /// Scrolls the list by `delta` rows without moving the selection (the wheel).
    pub fn scroll_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(self.viewport);
        self.top = self.top.saturating_add_signed(delta).min(last);
    }

    /// Selects the node shown at `row` of the list (a click).
    pub fn select_row(&mut self, row: usize) {
        if let Some(r) = self.rows.get(self.top.saturating_add(row)) {
            self.selected = r.pos;
        }
    }

    pub fn select_last(&mut self, tree: &ClaimTree) {
        self.sync(tree);
        if let Some(r) = self.rows.last() {
            self.selected = r.pos;
        }
        self.keep_in_view();
    }

    pub fn expand(&mut self, tree: &ClaimTree) {
        if self.folded.remove(&self.selected) {
            self.generation += 1;
        } else if let Some(&first) = tree.children_of(self.selected).first() {
            self.selected = first;
        }
        self.sync(tree);
    }

    /// Folds the selected node, or moves to its parent if it is already folded or a leaf.
    pub fn collapse(&mut self, tree: &ClaimTree) {
        let has_children = !tree.children_of(self.selected).is_empty();
        if has_children && self.folded.insert(self.selected) {
            self.generation += 1;
        } else if let Some(parent) = tree
            .nodes()
            .get(self.selected)
            .and_then(|n| n.parent.as_deref())
            .and_then(|p| tree.position(p))
        {
            self.selected = parent;
        }
        self.sync(tree);
    }

    pub fn toggle(&mut self, tree: &ClaimTree) {
        if tree.children_of(self.selected).is_empty() {
            return;
        }
        if !self.folded.remove(&self.selected) {
            self.folded.insert(self.selected);
        }
        self.generation += 1;
        self.sync(tree);
    }

    /// Nodes below `pos`, for a folded node's badge (without recursion).
    pub fn descendants(tree: &ClaimTree, pos: usize) -> usize {
        let mut count = 0;
        let mut stack: Vec<usize> = tree.children_of(pos).to_vec();
        while let Some(p) = stack.pop() {
            count += 1;
            stack.extend_from_slice(tree.children_of(p));
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tree::tests::sample;

    #[test]
    fn rows_follow_the_tree_and_folding() {
        let tree = sample();
        let mut t = TreeState::default();
        t.set_viewport(10);
        t.sync(&tree);
        let guides: Vec<&str> = t.rows().iter().map(|r| r.guide.as_str()).collect();
        assert_eq!(guides, vec!["", "├─", "│ └─", "│   └─", "└─"]);
        t.move_by(&tree, 1);
        assert_eq!(t.selected(), 1);
        t.collapse(&tree);
        assert_eq!(t.rows().len(), 3, "A1's branch is folded");
        assert_eq!(TreeState::descendants(&tree, 1), 2);
        t.expand(&tree);
        assert_eq!(t.rows().len(), 5);
    }

    #[test]
    fn a_chain_fifty_thousand_deep_flattens_without_recursion() {
        use crate::domain::{Claim, Relation, Side};
        let mut tree = ClaimTree::new("Q?");
        let mut parent = "root".to_string();
        for i in 0..50_000 {
            let id = format!("A{i}");
            let claim = Claim {
                id: id.clone(),
                relation: Relation::Supports,
                target: parent.clone(),
                text: "x".into(),
                source: Default::default(),
            };
            tree.apply_turn(i, Side::A, &[claim], &[]);
            parent = id;
        }
        let mut t = TreeState::default();
        t.set_viewport(20);
        t.sync(&tree);
        assert_eq!(t.rows().len(), 50_001);
        assert!(t.rows().iter().all(|r| r.guide.chars().count() <= 84));
        t.select_last(&tree);
        assert_eq!(t.top(), 50_001 - 20);
    }
}
