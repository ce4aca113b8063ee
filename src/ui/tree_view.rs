//! The claim-tree pane: the tree flattened into rows (recomputed only when the tree or the
//! collapsed set changes), a selection, and a detail box for the selected node.

use super::transcript::side_style;
use crate::domain::{Analysis, ClaimTree, Node, NodeStatus, Origin, ROOT_ID, Relation, Session};
use crate::text::sanitize::inert;
use crate::text::wrap::{truncate, wrap};
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::collections::HashMap;
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
    /// (tree revision, collapse generation) the rows were built for.
    rows_key: Option<(u64, u64)>,
    generation: u64,
    top: usize,
    viewport: usize,
    /// Turns debated in each drill, recounted when the number of turns changes.
    drill_turns: HashMap<String, usize>,
    drill_turns_counted: usize,
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
        let key = (tree.revision(), self.generation);
        if self.rows_key == Some(key) {
            return;
        }
        self.rows_key = Some(key);
        self.rows.clear();
        let mut stack: Vec<(usize, String, bool, bool)> = vec![(0, String::new(), true, true)];
        // Depth-first, children in creation order; `last` decides the guide glyph.
        while let Some((pos, prefix, last, is_root)) = stack.pop() {
            // Merged duplicates are hidden; their children moved to the node kept.
            let children: Vec<usize> = tree
                .children_of(pos)
                .iter()
                .copied()
                .filter(|&c| tree.nodes()[c].merged_into.is_none())
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

    pub fn select(&mut self, pos: usize) {
        self.selected = pos;
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

    fn count_drill_turns(&mut self, session: &Session) {
        if self.drill_turns_counted == session.turns().len() {
            return;
        }
        self.drill_turns.clear();
        for t in session.turns().iter().filter(|t| t.scope != ROOT_ID) {
            *self.drill_turns.entry(t.scope.clone()).or_default() += 1;
        }
        self.drill_turns_counted = session.turns().len();
    }

    pub fn render(
        &mut self,
        area: Rect,
        buf: &mut Buffer,
        session: &Session,
        analysis: &Analysis,
        scope: &[String],
        theme: &Theme,
    ) {
        let tree = &session.tree;
        self.sync(tree);
        self.count_drill_turns(session);
        if area.height == 0 || area.width == 0 {
            return;
        }
        // A detail box for the selected node when there is room for it.
        let detail_height = if area.height >= 16 { 6 } else { 0 };
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
            let badges = Badges {
                folded: self.collapsed.contains(&row.pos),
                turns: if row.pos == 0 {
                    0
                } else {
                    tree.related_turns(&node.id).len()
                },
                status: analysis.status[row.pos],
                crux: analysis.crux[row.pos],
                drill_turns: self.drill_turns.get(&node.id).copied().unwrap_or(0),
                in_scope: scope.iter().skip(1).any(|s| s == &node.id),
            };
            let line = row_line(row, node, &badges, tree, theme, usize::from(list.width));
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
            let drill = self
                .drill_turns
                .get(&tree.nodes()[self.selected].id)
                .copied();
            render_detail(detail, buf, session, analysis, self.selected, drill, theme);
        }
    }
}

struct Badges {
    folded: bool,
    /// Turns that made or answered the node.
    turns: usize,
    status: NodeStatus,
    crux: bool,
    drill_turns: usize,
    in_scope: bool,
}

fn row_line(
    row: &Row,
    node: &Node,
    badges: &Badges,
    tree: &ClaimTree,
    theme: &Theme,
    width: usize,
) -> Line<'static> {
    let mut spans = vec![Span::styled(row.guide.clone(), theme.border)];
    let fold = match (row.has_children, badges.folded) {
        (true, true) => "▸",
        (true, false) => "▾",
        // A leaf continues its guide; the root has none.
        _ if row.guide.is_empty() => " ",
        _ => "─",
    };
    spans.push(Span::styled(fold, theme.muted));
    spans.push(Span::raw(" "));
    if node.is_root() {
        spans.push(Span::styled(inert(&node.text), theme.title));
        return truncate_line(spans, width);
    }
    let (glyph, glyph_style) = match (node.origin, node.relation) {
        (Origin::Judge, _) => ("?", theme.accent),
        (_, Some(Relation::Attacks)) => ("×", theme.attacks),
        _ => ("+", theme.supports),
    };
    spans.push(Span::styled(format!("{glyph} "), glyph_style));
    let mut id_style = node
        .side
        .map_or(theme.accent, |side| side_style(theme, side));
    if badges.in_scope {
        id_style = id_style.add_modifier(ratatui::style::Modifier::UNDERLINED);
    }
    spans.push(Span::styled(node.id.clone(), id_style));
    if badges.crux {
        spans.push(Span::styled("★", theme.highlight));
    }
    match badges.status {
        NodeStatus::Open => {}
        NodeStatus::Unanswered => spans.push(Span::styled("!", theme.warning)),
        NodeStatus::Contested => spans.push(Span::styled("⇄", theme.accent)),
        NodeStatus::Conceded => spans.push(Span::styled("⚑", theme.muted)),
        NodeStatus::Judged => {
            if let Some(j) = &node.judgement {
                spans.push(Span::styled(
                    format!("⚖{}", j.winner),
                    side_style(theme, j.winner),
                ));
            }
        }
    }
    if badges.turns > 0 {
        spans.push(Span::styled(format!("·{}", badges.turns), theme.muted));
    }
    if badges.drill_turns > 0 {
        spans.push(Span::styled(
            format!("↳{}", badges.drill_turns),
            theme.accent,
        ));
    }
    spans.push(Span::raw(" "));
    if badges.folded {
        let hidden = count_descendants(tree, row.pos);
        spans.push(Span::styled(format!("[+{hidden}] "), theme.muted));
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

fn render_detail(
    area: Rect,
    buf: &mut Buffer,
    session: &Session,
    analysis: &Analysis,
    pos: usize,
    drill_turns: Option<usize>,
    theme: &Theme,
) {
    let tree = &session.tree;
    let node = &tree.nodes()[pos];
    let width = usize::from(area.width);
    buf.set_string(area.x, area.y, "─".repeat(width), theme.border);
    let pct = |p: f64| format!("{:.0}%", p * 100.0);
    let (head, facts) = if node.is_root() {
        let mut facts = format!("suggested P(A) {}", pct(analysis.suggested_p_a));
        if let Some(p) = session.credence(ROOT_ID) {
            facts.push_str(&format!(" · your P(A) {}", pct(p)));
        }
        if let Some(v) = &session.verdict {
            facts.push_str(&format!(" · verdict {} {}", v.winner, pct(v.confidence)));
            if let Some(by) = &v.decided_by {
                facts.push_str(&format!(" by {by}"));
            }
        }
        (Line::styled("The question", theme.title), facts)
    } else {
        let parent = node.parent.as_deref().unwrap_or(ROOT_ID);
        let who = match (node.origin, node.side) {
            (Origin::Judge, _) => format!("judge's question under {parent}"),
            (_, Some(s)) => format!(
                "{s} {} {parent}",
                node.relation.map_or("", Relation::as_str)
            ),
            _ => parent.to_string(),
        };
        let turn = node
            .turn
            .map_or(String::new(), |t| format!(" · turn {}", t + 1));
        let crux = match (analysis.crux[pos], node.crux_mark) {
            (true, Some(true)) => " · ★ crux (marked)",
            (true, _) => " · ★ crux (proposed)",
            (false, Some(false)) => " · not a crux (unmarked)",
            _ => "",
        };
        let head = format!(
            "{} · {who}{turn} · {}{crux}",
            node.id,
            analysis.status[pos].label()
        );
        let style = node.side.map_or(theme.accent, |s| side_style(theme, s));
        let mut facts = format!("stands {}", pct(analysis.p_stands[pos]));
        if let Some(j) = &node.judgement {
            facts.push_str(&format!(
                " · judged: {} wins {}",
                j.winner,
                pct(j.confidence)
            ));
        }
        if !node.conceded_by.is_empty() {
            let by: Vec<String> = node.conceded_by.iter().map(|s| s.to_string()).collect();
            facts.push_str(&format!(" · conceded by {}", by.join(", ")));
        }
        if let Some(t) = &node.unresolved_target {
            facts.push_str(&format!(" · unknown target {t}"));
        }
        match drill_turns {
            Some(n) => facts.push_str(&format!(" · drill: {n} turns")),
            None => facts.push_str(" · Enter drills in"),
        }
        (Line::styled(truncate(&head, width), style), facts)
    };
    buf.set_line(area.x, area.y + 1, &head, area.width);
    buf.set_string(area.x, area.y + 2, truncate(&facts, width), theme.muted);
    for (i, l) in wrap(&inert(&node.text), width)
        .into_iter()
        .take(usize::from(area.height.saturating_sub(3)))
        .enumerate()
    {
        buf.set_string(area.x, area.y + 3 + i as u16, l, theme.text);
    }
}
