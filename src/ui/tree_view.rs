//! The claim-tree pane: the tree flattened into rows (recomputed only when the tree or the
//! collapsed set changes), a selection, and a detail box for the selected node.

use super::theme::Theme;
use super::transcript::side_style;
use super::wrap::{truncate, wrap};
use crate::domain::{ClaimTree, Node, Relation};
use crate::sanitize::inert;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::collections::HashSet;

#[derive(Debug, Clone)]
struct Row {
    /// Position of the node in the tree.
    pos: usize,
    /// Indentation guides drawn before the node.
    guide: String,
    has_children: bool,
}

#[derive(Debug, Default)]
pub struct TreeView {
    /// Position of the selected node in the tree (0 is the root).
    selected: usize,
    collapsed: HashSet<usize>,
    rows: Vec<Row>,
    /// (tree size, collapse generation) the rows were built for.
    rows_key: Option<(usize, u64)>,
    generation: u64,
    top: usize,
    viewport: usize,
}

impl TreeView {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// Rebuilds the rows if the tree grew or a node was folded since the last call.
    fn sync(&mut self, tree: &ClaimTree) {
        let key = (tree.len(), self.generation);
        if self.rows_key == Some(key) {
            return;
        }
        self.rows_key = Some(key);
        self.rows.clear();
        let mut stack: Vec<(usize, String, bool, bool)> = vec![(0, String::new(), true, true)];
        // Depth-first, children in creation order; `last` decides the guide glyph.
        while let Some((pos, prefix, last, is_root)) = stack.pop() {
            let children = tree.children_of(pos);
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
            if self.collapsed.contains(&pos) {
                continue;
            }
            let child_prefix = if is_root {
                String::new()
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
    }

    fn selected_row(&self) -> usize {
        self.rows
            .iter()
            .position(|r| r.pos == self.selected)
            .unwrap_or(0)
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
    }

    pub fn select_first(&mut self) {
        self.selected = 0;
    }

    pub fn select_last(&mut self, tree: &ClaimTree) {
        self.sync(tree);
        if let Some(r) = self.rows.last() {
            self.selected = r.pos;
        }
    }

    pub fn expand(&mut self, tree: &ClaimTree) {
        if self.collapsed.remove(&self.selected) {
            self.generation += 1;
        } else if let Some(&first) = tree.children_of(self.selected).first() {
            self.selected = first;
        }
    }

    /// Collapses the selected node, or moves to its parent if it is already collapsed or a leaf.
    pub fn collapse(&mut self, tree: &ClaimTree) {
        let has_children = !tree.children_of(self.selected).is_empty();
        if has_children && self.collapsed.insert(self.selected) {
            self.generation += 1;
        } else if let Some(parent) = tree.nodes()[self.selected]
            .parent
            .as_deref()
            .and_then(|p| tree.position(p))
        {
            self.selected = parent;
        }
    }

    pub fn toggle(&mut self, tree: &ClaimTree) {
        if tree.children_of(self.selected).is_empty() {
            return;
        }
        if !self.collapsed.remove(&self.selected) {
            self.collapsed.insert(self.selected);
        }
        self.generation += 1;
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, tree: &ClaimTree, theme: &Theme) {
        self.sync(tree);
        if area.height == 0 || area.width == 0 {
            return;
        }
        // A detail box for the selected node when there is room for it.
        let detail_height = if area.height >= 14 { 5 } else { 0 };
        let list = Rect {
            height: area.height - detail_height,
            ..area
        };
        self.viewport = usize::from(list.height);
        let selected = self.selected_row();
        if selected < self.top {
            self.top = selected;
        } else if selected >= self.top + self.viewport {
            self.top = selected + 1 - self.viewport;
        }
        self.top = self.top.min(self.rows.len().saturating_sub(self.viewport));

        for (i, row) in self
            .rows
            .iter()
            .skip(self.top)
            .take(self.viewport)
            .enumerate()
        {
            let y = list.y + i as u16;
            let node = &tree.nodes()[row.pos];
            let folded = self.collapsed.contains(&row.pos);
            let line = row_line(row, node, folded, tree, theme, usize::from(list.width));
            buf.set_line(list.x, y, &line, list.width);
            if row.pos == self.selected {
                buf.set_style(Rect::new(list.x, y, list.width, 1), theme.selection);
            }
        }

        if detail_height > 0 {
            let detail = Rect {
                y: list.bottom(),
                height: detail_height,
                ..area
            };
            render_detail(detail, buf, &tree.nodes()[self.selected], theme);
        }
    }
}

fn row_line(
    row: &Row,
    node: &Node,
    folded: bool,
    tree: &ClaimTree,
    theme: &Theme,
    width: usize,
) -> Line<'static> {
    let mut spans = vec![Span::styled(row.guide.clone(), theme.border)];
    let fold = match (row.has_children, folded) {
        (true, true) => "▸",
        (true, false) => "▾",
        // A leaf continues its guide; the root has none.
        _ if row.guide.is_empty() => " ",
        _ => "─",
    };
    spans.push(Span::styled(fold, theme.muted));
    spans.push(Span::raw(" "));
    let Some(side) = node.side else {
        spans.push(Span::styled(inert(&node.text), theme.title));
        return truncate_line(spans, width);
    };
    let (glyph, glyph_style) = match node.relation {
        Some(Relation::Attacks) => ("×", theme.attacks),
        _ => ("+", theme.supports),
    };
    spans.push(Span::styled(format!("{glyph} "), glyph_style));
    spans.push(Span::styled(
        format!("{} ", node.id),
        side_style(theme, side),
    ));
    if folded {
        let hidden = count_descendants(tree, row.pos);
        spans.push(Span::styled(format!("[+{hidden}] "), theme.muted));
    }
    if !node.conceded_by.is_empty() {
        spans.push(Span::styled("conceded ", theme.warning));
    }
    if node.unresolved_target.is_some() {
        spans.push(Span::styled("? ", theme.warning));
    }
    spans.push(Span::styled(inert(&node.text), theme.text));
    truncate_line(spans, width)
}

fn count_descendants(tree: &ClaimTree, pos: usize) -> usize {
    tree.children_of(pos)
        .iter()
        .map(|&c| 1 + count_descendants(tree, c))
        .sum()
}

/// Keeps a row on one line: the last span is cut to fit.
fn truncate_line(mut spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let used: usize = spans[..spans.len() - 1].iter().map(|s| s.width()).sum();
    if let Some(last) = spans.last_mut() {
        let room = width.saturating_sub(used);
        last.content = truncate(&last.content, room).into();
    }
    Line::from(spans)
}

fn render_detail(area: Rect, buf: &mut Buffer, node: &Node, theme: &Theme) {
    let width = usize::from(area.width);
    buf.set_string(area.x, area.y, "─".repeat(width), theme.border);
    let head = match (node.side, node.relation) {
        (Some(side), Some(rel)) => {
            let parent = node.parent.as_deref().unwrap_or("root");
            let turn = node
                .turn
                .map_or(String::new(), |t| format!(" · turn {}", t + 1));
            let mut s = format!("{} · {side} {} {parent}{turn}", node.id, rel.as_str());
            if let Some(target) = &node.unresolved_target {
                s.push_str(&format!(" · unknown target {target}"));
            }
            Line::styled(s, side_style(theme, side))
        }
        _ => Line::styled("The question", theme.title),
    };
    buf.set_line(area.x, area.y + 1, &head, area.width);
    for (i, l) in wrap(&inert(&node.text), width)
        .into_iter()
        .take(usize::from(area.height.saturating_sub(2)))
        .enumerate()
    {
        buf.set_string(area.x, area.y + 2 + i as u16, l, theme.text);
    }
}
