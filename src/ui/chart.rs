//! The judge's credence over the debate: P(A is right) after each turn, as a step line in
//! braille (four dots a row, so values a few points apart sit at different heights), with the
//! 0/50/100% rows labelled, the value written by each change where there is room, and the
//! turns along the bottom. It shrinks with the terminal rather than disappearing.

use crate::domain::{JudgeEventKind, ROOT_ID, Session};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders, Widget};

/// The credence trajectory as (turns finished, P(A)) points: one per change, the latest value
/// of the judge's root credence at each moment.
pub fn trajectory(session: &Session) -> Vec<(f64, f64)> {
    session
        .judge_events
        .iter()
        .filter_map(|e| match &e.kind {
            JudgeEventKind::Credence { node, p_a, .. } if node == ROOT_ID => {
                Some((e.after_turn.map_or(0.0, |t| t as f64 + 1.0), *p_a))
            }
            _ => None,
        })
        .collect()
}

/// Columns left of the plot: a label (`100%`, ` 50%`, `  0%`, `turn`) and the axis.
const GUTTER: u16 = 5;

/// The dot row (0 at the top) of probability `p` on a plot `rows` cells high.
pub fn dot_row(p: f64, rows: u16) -> usize {
    let dots = usize::from(rows).saturating_mul(4).saturating_sub(1);
    let p = if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.5
    };
    ((1.0 - p) * dots as f64).round() as usize
}

/// The dot column of turn `t` (of `turns`) on a plot `cols` cells wide.
pub fn dot_col(t: f64, turns: f64, cols: u16) -> usize {
    let dots = usize::from(cols).saturating_mul(2).saturating_sub(1);
    if turns <= 0.0 || !t.is_finite() {
        return 0;
    }
    ((t / turns).clamp(0.0, 1.0) * dots as f64).round() as usize
}

/// What a cell of the plot holds, in drawing order: a later layer's style wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Empty,
    Guide,
    Line,
    Point,
}

/// The plot as braille cells: per cell, the guide's dots, the line's and points' dots, and
/// the top layer.
struct Plot {
    cols: u16,
    rows: u16,
    cells: Vec<(u8, u8, Layer)>,
    /// Text written over cells (value labels), by cell index.
    text: Vec<Option<(char, Style)>>,
}

impl Plot {
    fn new(cols: u16, rows: u16) -> Plot {
        let n = usize::from(cols) * usize::from(rows);
        Plot {
            cols,
            rows,
            cells: vec![(0, 0, Layer::Empty); n],
            text: vec![None; n],
        }
    }

    fn index(&self, cell_x: usize, cell_y: usize) -> Option<usize> {
        (cell_x < usize::from(self.cols) && cell_y < usize::from(self.rows))
            .then(|| cell_y * usize::from(self.cols) + cell_x)
    }

    /// Sets the dot at (`x`, `y`) in dots.
    fn dot(&mut self, x: usize, y: usize, layer: Layer) {
        const BITS: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];
        let Some(i) = self.index(x / 2, y / 4) else {
            return;
        };
        let bit = BITS[x % 2][y % 4];
        let cell = &mut self.cells[i];
        if layer == Layer::Guide {
            cell.0 |= bit;
        } else {
            cell.1 |= bit;
        }
        cell.2 = cell.2.max(layer);
    }

    /// Writes `label` from cell (`x`, `y`) if every cell it needs holds nothing but the guide
    /// and no other label: a label never hides the line.
    fn label(&mut self, x: usize, y: usize, label: &str, style: Style) -> bool {
        let free = label.chars().enumerate().all(|(k, _)| {
            self.index(x + k, y)
                .is_some_and(|i| self.cells[i].2 <= Layer::Guide && self.text[i].is_none())
        });
        // A space after it, so two labels never run together.
        let gap = self
            .index(x + label.chars().count(), y)
            .is_none_or(|i| self.text[i].is_none());
        if !free || !gap {
            return false;
        }
        for (k, c) in label.chars().enumerate() {
            if let Some(i) = self.index(x + k, y) {
                self.text[i] = Some((c, style));
            }
        }
        true
    }
}

pub fn draw_credence(frame: &mut Frame, area: Rect, app: &crate::app::App) {
    let (session, theme) = (app.session(), app.theme());
    let points = trajectory(session);
    let title = match points.last() {
        Some(&(_, p)) => format!(" Credence P(A) · now {:.0}% (c sets) ", p * 100.0),
        None => " Credence P(A) · none yet (c sets) ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(
            crate::text::truncate(&title, usize::from(area.width.saturating_sub(2))),
            theme.title,
        ));
    let inner = block.inner(area);
    block.render(area, frame.buffer_mut());
    if inner.width <= GUTTER || inner.height == 0 {
        return;
    }
    // The turns along the bottom take a row once the plot keeps two.
    let axis = inner.height >= 3;
    let rows = inner.height - u16::from(axis);
    let cols = inner.width - GUTTER;
    let turns = session.turns().len();
    let (a, b) = side_styles(theme);
    let colours = Colours {
        guide: theme.border,
        line: theme.accent,
        point: theme.highlight,
        a,
        b,
        muted: theme.muted,
    };
    let plot = plot(&points, turns, cols, rows, &colours);
    let buf = frame.buffer_mut();
    paint_gutter(buf, inner, rows, &colours);
    paint_plot(buf, &plot, inner.x + GUTTER, inner.y, &colours);
    if axis {
        paint_turns(buf, inner, rows, cols, turns, theme.muted);
    }
}

/// Each side's style in the chart: the theme's `chart_a` and `chart_b` keys, which fall back to
/// `side_a` and `side_b`. The theme on this branch has only the latter; the merge with the
/// themes branch makes these `theme.chart_a` and `theme.chart_b` (the one place to change).
fn side_styles(theme: &crate::theme::Theme) -> (Style, Style) {
    (theme.chart_a, theme.chart_b)
}

/// The styles the chart uses.
struct Colours {
    guide: Style,
    line: Style,
    point: Style,
    a: Style,
    b: Style,
    muted: Style,
}

/// The plot of `points` over `turns` turns, `cols` x `rows` cells.
fn plot(points: &[(f64, f64)], turns: usize, cols: u16, rows: u16, c: &Colours) -> Plot {
    let mut plot = Plot::new(cols, rows);
    let end = turns.max(1) as f64;
    let width_dots = usize::from(cols) * 2;
    // The 50% guide, dotted, once it has a row between 100% and 0%.
    if rows >= 3 {
        let mid = dot_row(0.5, rows);
        for x in (0..width_dots).step_by(2) {
            plot.dot(x, mid, Layer::Guide);
        }
    }
    // The step line: each value holds until the next change, and to the latest turn.
    let mut last: Option<(usize, usize)> = None;
    for &(t, p) in points {
        let (x, y) = (dot_col(t, end, cols), dot_row(p, rows));
        if let Some((lx, ly)) = last {
            for xx in lx..=x {
                plot.dot(xx, ly, Layer::Line);
            }
            for yy in ly.min(y)..=ly.max(y) {
                plot.dot(x, yy, Layer::Line);
            }
        }
        last = Some((x, y));
    }
    if let Some((lx, ly)) = last {
        for xx in lx..=dot_col(end, end, cols) {
            plot.dot(xx, ly, Layer::Line);
        }
    }
    // The values where they changed: a point, and its number beside it where there is room.
    // Several changes after the same turn show the last.
    let mut shown: Vec<(f64, f64)> = Vec::new();
    for &(t, p) in points {
        match shown.last_mut() {
            Some(last) if last.0 == t => last.1 = p,
            _ => shown.push((t, p)),
        }
    }
    for &(t, p) in &shown {
        // Two dots wide, so a point stands out from the line through it.
        let (x, y) = (dot_col(t, end, cols), dot_row(p, rows));
        let pair = if x + 1 < width_dots {
            x + 1
        } else {
            x.saturating_sub(1)
        };
        plot.dot(x, y, Layer::Point);
        plot.dot(pair, y, Layer::Point);
    }
    for &(t, p) in shown.iter().rev() {
        let (x, y) = (dot_col(t, end, cols) / 2, dot_row(p, rows) / 4);
        let label = format!("{:.0}", p * 100.0);
        let style = if p >= 0.5 { c.a } else { c.b };
        // Above a value for A, below one for B, else the other way; starting at the point,
        // else ending at it (by the right edge); else beside it on its own row.
        let (first, second) = if p >= 0.5 {
            (y.checked_sub(1), Some(y + 1))
        } else {
            (Some(y + 1), y.checked_sub(1))
        };
        let back = (x + 1).saturating_sub(label.len());
        let spots = [first, second]
            .into_iter()
            .flatten()
            .flat_map(|row| [(x, row), (back, row)])
            .chain([(x + 1, y), (back.saturating_sub(1), y)]);
        for (sx, sy) in spots {
            if plot.label(sx, sy, &label, style) {
                break;
            }
        }
    }
    plot
}

fn paint_plot(buf: &mut Buffer, plot: &Plot, x0: u16, y0: u16, c: &Colours) {
    for cy in 0..plot.rows {
        for cx in 0..plot.cols {
            let Some(i) = plot.index(usize::from(cx), usize::from(cy)) else {
                continue;
            };
            let (x, y) = (x0 + cx, y0 + cy);
            if let Some((ch, style)) = plot.text[i] {
                buf.set_string(x, y, ch.to_string(), style);
                continue;
            }
            // Where the line passes, the guide gives way, so the line reads clean.
            let (mask, style) = match plot.cells[i] {
                (_, line, Layer::Line) => (line, line_style(cy, plot.rows, c)),
                (_, line, Layer::Point) => (line, c.point),
                (guide, _, _) => (guide, c.guide),
            };
            if mask == 0 {
                continue;
            }
            let ch = char::from_u32(0x2800 + u32::from(mask)).unwrap_or(' ');
            buf.set_string(x, y, ch.to_string(), style);
        }
    }
}

/// The line's style in cell row `cell_y` of a plot `rows` high: A's above the 50% dot row,
/// B's below it, the plain line's in the cell that holds it (a cell has one style).
fn line_style(cell_y: u16, rows: u16, c: &Colours) -> Style {
    let mid = dot_row(0.5, rows);
    let (top, bottom) = (usize::from(cell_y) * 4, usize::from(cell_y) * 4 + 3);
    if bottom < mid {
        c.a
    } else if top > mid {
        c.b
    } else {
        c.line
    }
}

/// `100%` at the top (A is right), `0%` at the bottom (B is right), `50%` on the guide's row
/// when it has one of its own; the axis beside them.
fn paint_gutter(buf: &mut Buffer, inner: Rect, rows: u16, c: &Colours) {
    let top = 0u16;
    let bottom = rows.saturating_sub(1);
    let mid = if rows >= 3 {
        u16::try_from(dot_row(0.5, rows) / 4).unwrap_or(0)
    } else {
        u16::MAX
    };
    for row in 0..rows {
        let (label, style) = if row == top {
            ("100%", c.a)
        } else if row == bottom {
            ("  0%", c.b)
        } else if row == mid {
            (" 50%", c.muted)
        } else {
            ("    ", c.muted)
        };
        let axis = if label.trim().is_empty() {
            "│"
        } else {
            "┤"
        };
        buf.set_string(inner.x, inner.y + row, label, style);
        buf.set_string(inner.x + 4, inner.y + row, axis, c.muted);
    }
}

/// `turn` and the turn numbers under their columns, as many as fit: the last first, then the
/// first, then every other that leaves a space on each side.
fn paint_turns(buf: &mut Buffer, inner: Rect, rows: u16, cols: u16, turns: usize, style: Style) {
    let y = inner.y + rows;
    buf.set_string(inner.x, y, "turn└", style);
    let mut taken = vec![false; usize::from(cols)];
    let end = turns.max(1) as f64;
    let order = std::iter::once(turns)
        .chain(std::iter::once(0))
        .chain(1..turns);
    for t in order {
        let label = t.to_string();
        let w = label.len();
        let centre = dot_col(t as f64, end, cols) / 2;
        // The last number ends at the right edge; others start under their turn.
        let start = if t == turns {
            usize::from(cols).saturating_sub(w)
        } else {
            centre
        };
        let (lo, hi) = (start.saturating_sub(1), start + w + 1);
        if start + w > usize::from(cols) || taken[lo..hi.min(taken.len())].iter().any(|&b| b) {
            continue;
        }
        for slot in taken.iter_mut().take(start + w).skip(start) {
            *slot = true;
        }
        let x = inner.x + GUTTER + u16::try_from(start).unwrap_or(0);
        buf.set_string(x, y, label, style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TurnOutcome;
    use crate::providers::scripted::script::DemoScript;

    #[test]
    fn the_trajectory_follows_root_credences_by_turn() {
        let script = DemoScript::bundled().unwrap();
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let mut s = Session::new(script.setup(), t);
        s.record_credence(ROOT_ID, 0.5, t);
        for _ in 0..2 {
            let (round, side) = s.next_slot().unwrap();
            let i = s.begin_turn(side, round, "root", t);
            s.finish_turn(i, TurnOutcome::Complete, None, t);
        }
        s.record_credence(ROOT_ID, 0.7, t);
        s.record_credence("root", 0.65, t);
        assert_eq!(trajectory(&s), vec![(0.0, 0.5), (2.0, 0.7), (2.0, 0.65)]);
    }

    #[test]
    fn values_a_few_points_apart_sit_at_different_heights() {
        // Three rows are twelve dots, 0 to 11: 65% is (1 - 0.65) * 11 = 3.85, dot 4; 54% is
        // 0.46 * 11 = 5.06, dot 5.
        assert_eq!((dot_row(0.65, 3), dot_row(0.54, 3)), (4, 5));
        // Two rows (eight dots, 0 to 7): 2.45 and 3.22, dots 2 and 3.
        assert_eq!((dot_row(0.65, 2), dot_row(0.54, 2)), (2, 3));
        assert_eq!((dot_row(1.0, 2), dot_row(0.0, 2)), (0, 7));
        assert_eq!(dot_row(f64::NAN, 2), dot_row(0.5, 2));
    }

    #[test]
    fn fifty_percent_lies_on_the_middle_row_not_on_b() {
        // 3 rows: 0.5 * 11 = 5.5, dot 6, cell row 1 of 0..2: the middle.
        assert_eq!(dot_row(0.5, 3) / 4, 1);
        // 6 rows: 0.5 * 23 = 11.5, dot 12, cell row 3 of 0..5: the upper of the lower half,
        // never the bottom row where 0% (B) is.
        assert_eq!(dot_row(0.5, 6) / 4, 3);
        for rows in 2..20u16 {
            let mid = dot_row(0.5, rows) / 4;
            assert!(mid < usize::from(rows) && (rows < 3 || mid + 1 < usize::from(rows)));
        }
    }

    #[test]
    fn turns_spread_over_the_columns() {
        // 10 cells are 20 dots, 0 to 19: turn 4 of 8 is 9.5, dot 10.
        assert_eq!(dot_col(4.0, 8.0, 10), 10);
        assert_eq!((dot_col(0.0, 8.0, 10), dot_col(8.0, 8.0, 10)), (0, 19));
        assert_eq!(dot_col(3.0, 0.0, 10), 0);
    }

    #[test]
    fn the_line_takes_the_colour_of_the_side_it_leans_to() {
        use ratatui::style::Color;
        let c = Colours {
            a: Style::default().fg(Color::Blue),
            b: Style::default().fg(Color::Red),
            line: Style::default().fg(Color::Magenta),
            ..colours()
        };
        // Five rows are twenty dots, 0 to 19: 50% is dot 9.5, rounded to 10, in cell row 2.
        let styles: Vec<_> = (0..5).map(|y| line_style(y, 5, &c).fg).collect();
        let (a, b, line) = (Some(Color::Blue), Some(Color::Red), Some(Color::Magenta));
        assert_eq!(styles, [a, a, line, b, b]);
        // Two rows (eight dots): 50% is dot 3.5, rounded to 4, the second row's first.
        let styles: Vec<_> = (0..2).map(|y| line_style(y, 2, &c).fg).collect();
        assert_eq!(styles, [a, line]);
    }

    fn colours() -> Colours {
        let s = Style::default();
        Colours {
            guide: s,
            line: s,
            point: s,
            a: s,
            b: s,
            muted: s,
        }
    }

    /// The plot's text labels, row by row.
    fn labels(p: &Plot) -> Vec<String> {
        (0..p.rows)
            .map(|y| {
                (0..p.cols)
                    .map(|x| {
                        p.index(usize::from(x), usize::from(y))
                            .and_then(|i| p.text[i])
                            .map_or(' ', |(c, _)| c)
                    })
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn each_change_is_labelled_where_there_is_room() {
        let points = [(0.0, 0.5), (2.0, 0.65), (4.0, 0.54), (6.0, 0.3)];
        let p = plot(&points, 8, 40, 6, &colours());
        let all = labels(&p).join("\n");
        for v in ["50", "65", "54", "30"] {
            assert!(all.contains(v), "{v} is written:\n{all}");
        }
        // A label never covers the line: its cells hold no line dots.
        for (i, t) in p.text.iter().enumerate() {
            if t.is_some() {
                assert!(p.cells[i].2 <= Layer::Guide, "cell {i}");
            }
        }
    }
}
