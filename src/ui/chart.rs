//! The judge's credence over the debate: P(A is right) after each turn, as a small chart with
//! the turn boundaries marked.

use crate::domain::{JudgeEventKind, ROOT_ID, Session};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Axis, Block, BorderType, Borders, Chart, Dataset, GraphType};

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

pub fn draw_credence(frame: &mut Frame, area: Rect, app: &crate::app::App) {
    let (session, theme) = (app.session(), app.theme());
    let points = trajectory(session);
    let turns = session.turns().len().max(1) as f64;
    // A step line: each value holds until the next change, and to the latest turn.
    let mut steps: Vec<(f64, f64)> = Vec::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        if let Some(&(_, prev)) = steps.last()
            && i > 0
        {
            steps.push((x, prev));
        }
        steps.push((x, y));
    }
    if let Some(&(_, last)) = points.last() {
        steps.push((turns, last));
    }
    // One dot per turn boundary, thinned to the chart's width so a long debate costs no more.
    let stride = (session.turns().len() / usize::from(area.width.max(1))).max(1);
    let boundaries: Vec<(f64, f64)> = (0..=session.turns().len())
        .step_by(stride)
        .map(|t| (t as f64, 0.5))
        .collect();
    let mut datasets = vec![
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(theme.border)
            .data(&boundaries),
    ];
    if !steps.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.side_a)
                .data(&steps),
        );
        datasets.push(
            Dataset::default()
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(theme.highlight)
                .data(&points),
        );
    }
    let title = match points.last() {
        Some(&(_, p)) => format!(" Credence P(A) · now {:.0}% (c sets) ", p * 100.0),
        None => " Credence P(A) · none yet (c sets) ".to_string(),
    };
    let chart = Chart::new(datasets)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_type(BorderType::Rounded)
                .border_style(theme.border)
                .title(Span::styled(title, theme.title)),
        )
        .x_axis(
            Axis::default()
                .bounds([0.0, turns])
                .style(theme.muted)
                .labels(vec![
                    Span::raw("turn 0"),
                    Span::raw(format!("{}", session.turns().len())),
                ]),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, 1.0])
                .style(theme.muted)
                .labels(vec![Span::raw("B"), Span::raw("A")]),
        );
    frame.render_widget(chart, area);
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
}
