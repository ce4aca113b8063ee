//! Painting the claim-tree pane: the rows in view, with their badges, and a detail box for the
//! selected node. The rows, the selection and the scroll position are the app's.

use super::style::side as side_style;
use crate::app::App;
use crate::app::layout;
use crate::app::tree::{Row, TreeState};
use crate::domain::{Analysis, ClaimTree, Node, NodeStatus, Origin, ROOT_ID, Relation, Session};
use crate::text::sanitize::inert;
use crate::text::wrap::{truncate, wrap};
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Paints the tree into `area` (inside the pane's border; `pane` is the whole pane).
pub fn draw(buf: &mut Buffer, area: Rect, pane: Rect, app: &App) {
    let session = app.session();
    let Some(analysis) = app.analysis() else {
        return;
    };
    if area.height == 0 || area.width == 0 {
        return;
    }
    let tree = &session.tree;
    let state = &app.tree;
    let detail_height = layout::detail_rows(pane).min(area.height);
    let list = Rect {
        height: area.height - detail_height,
        ..area
    };
    let theme = app.theme();
    let drill_turns = |id: &str| app.drill_turns(id);
    let scope = app.engine.scope_path();
    for (i, row) in state
        .rows()
        .iter()
        .skip(state.top())
        .take(usize::from(list.height))
        .enumerate()
    {
        let y = list.y + u16::try_from(i).unwrap_or(u16::MAX);
        let Some(node) = tree.nodes().get(row.pos) else {
            continue;
        };
        let badges = Badges {
            folded: state.is_folded(row.pos),
            turns: if row.pos == 0 {
                0
            } else {
                tree.related_turns(&node.id).len()
            },
            status: analysis
                .status
                .get(row.pos)
                .copied()
                .unwrap_or(NodeStatus::Open),
            crux: analysis.crux.get(row.pos).copied().unwrap_or(false),
            drill_turns: if row.pos == 0 {
                0
            } else {
                drill_turns(&node.id)
            },
            in_scope: scope.iter().skip(1).any(|s| s == &node.id),
        };
        let line = row_line(row, node, &badges, tree, theme, usize::from(list.width));
        buf.set_line(list.x, y, &line, list.width);
        if row.pos == state.selected() {
            buf.set_style(Rect::new(list.x, y, list.width, 1), theme.selection);
        }
        super::search::mark_row(buf, list, y, &line, app, row.pos);
    }
    if detail_height > 0 {
        let detail = Rect {
            y: list.bottom(),
            height: detail_height,
            ..area
        };
        let pos = state.selected();
        let drill = tree
            .nodes()
            .get(pos)
            .filter(|n| session.drill_rounds(&n.id).is_some())
            .map(|n| drill_turns(&n.id));
        // When the text does not fit, say how to see more (unless the pane is wide already).
        let more = if app.wide_side {
            " …"
        } else {
            " … (z widens)"
        };
        render_detail(detail, buf, session, analysis, (pos, drill), more, theme);
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
        let hidden = TreeState::descendants(tree, row.pos);
        spans.push(Span::styled(format!("[+{hidden}] "), theme.muted));
    }
    if node.unresolved_target.is_some() {
        spans.push(Span::styled("? ", theme.warning));
    }
    spans.push(Span::styled(inert(&node.text), theme.text));
    truncate_line(spans, width)
}

/// Keeps a row on one line: the last span is cut to fit.
fn truncate_line(mut spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let used: usize = spans
        .iter()
        .take(spans.len().saturating_sub(1))
        .map(Span::width)
        .sum();
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
    (pos, drill_turns): (usize, Option<usize>),
    more: &str,
    theme: &Theme,
) {
    let tree = &session.tree;
    let Some(node) = tree.nodes().get(pos) else {
        return;
    };
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
        let turn = node.turn.map_or(String::new(), |t| {
            format!(" · turn {}", crate::domain::turn::number(t))
        });
        let crux = match (
            analysis.crux.get(pos).copied().unwrap_or(false),
            node.crux_mark,
        ) {
            (true, Some(true)) => " · ★ crux (marked)",
            (true, _) => " · ★ crux (proposed)",
            (false, Some(false)) => " · not a crux (unmarked)",
            _ => "",
        };
        let head = format!(
            "{} · {who}{turn} · {}{crux}",
            node.id,
            analysis.status.get(pos).map_or("open", |s| s.label())
        );
        let style = node.side.map_or(theme.accent, |s| side_style(theme, s));
        let mut facts = format!(
            "stands {}",
            pct(analysis.p_stands.get(pos).copied().unwrap_or(0.5))
        );
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
    let top = area.y + 2;
    let room = usize::from(area.bottom().saturating_sub(top));
    let lines = detail_lines(&inert(&node.text), &facts, (width, room), more, theme);
    for (y, (l, style)) in (top..).zip(lines) {
        buf.set_string(area.x, y, l, style);
    }
}

/// The detail box's lines under its head, `room` at most: the node's whole text first (what
/// the judge opened the box to read), then its facts, each wrapped rather than cut. A text
/// too long for the box ends with `…` and says how to see it all.
fn detail_lines(
    text: &str,
    facts: &str,
    (width, room): (usize, usize),
    more: &str,
    theme: &Theme,
) -> Vec<(String, ratatui::style::Style)> {
    let mut text_lines = wrap(text, width);
    if text_lines.len() > room {
        text_lines.truncate(room);
        if let Some(last) = text_lines.last_mut() {
            let keep = width.saturating_sub(unicode_width::UnicodeWidthStr::width(more));
            let cut = crate::text::truncate_words(last, keep);
            *last = format!("{}{more}", cut.trim_end_matches('…').trim_end());
        }
    }
    let mut lines: Vec<_> = text_lines.into_iter().map(|l| (l, theme.text)).collect();
    let facts = wrap(facts, width).into_iter().map(|l| (l, theme.muted));
    let left = room.saturating_sub(lines.len());
    lines.extend(facts.take(left));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_detail_box_shows_the_whole_text_first_then_the_facts() {
        let theme = Theme::plain();
        let text = "Net revenue can fund transit that serves the majority of peak travellers.";
        let lines = |room| -> Vec<String> {
            detail_lines(
                text,
                "stands 50% · Enter drills in",
                (30, room),
                " … (z widens)",
                &theme,
            )
            .into_iter()
            .map(|(l, _)| l)
            .collect()
        };
        assert_eq!(
            lines(6),
            [
                "Net revenue can fund transit",
                "that serves the majority of",
                "peak travellers.",
                "stands 50% · Enter drills in"
            ]
        );
        assert_eq!(
            lines(2),
            [
                "Net revenue can fund transit",
                "that serves the … (z widens)"
            ],
            "a text too long for the box says how to read it all"
        );
        assert!(lines(2).iter().all(|l| l.chars().count() <= 30));
        assert!(lines(0).is_empty());
    }
}
