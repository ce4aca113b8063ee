//! The verdict against the ground truth, with its scores: shown once the verdict is in.

use super::{DrawContext, Outcome, centered, frame_dialog};
use crate::domain::Side;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultDialog;

impl ResultDialog {
    /// Any key closes it.
    pub fn handle(&mut self, _key: &KeyEvent) -> Outcome<()> {
        Outcome::Cancelled
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let s = cx.session;
        let (Some(scores), Some(truth), Some(v)) = (cx.scores, s.ground_truth, &s.verdict) else {
            return;
        };
        let inner = frame_dialog(frame, centered(area, 64, 13), " Result ", theme);
        let (verdict_line, style) = if scores.correct {
            ("You were right.", theme.success)
        } else {
            ("You were wrong.", theme.error)
        };
        let side_style = |side| match side {
            Side::A => theme.side_a,
            Side::B => theme.side_b,
        };
        let penalty = v.turn_penalty.unwrap_or_else(|| s.turn_penalty());
        let lines = vec![
            Line::styled(verdict_line, style),
            Line::from(vec![
                Span::styled("The right answer: ", theme.text),
                Span::styled(
                    format!("{truth} ({})", cx.redactor.chrome(s.positions.of(truth))),
                    side_style(truth),
                ),
            ]),
            Line::styled(
                format!("Your verdict: {} at {:.0}%", v.winner, v.confidence * 100.0),
                theme.text,
            ),
            Line::default(),
            Line::styled(
                format!("Log score  log2(p)           {:>8.3}", scores.log_score),
                theme.text,
            ),
            Line::styled(
                format!("Brier      (1-p)^2           {:>8.3}", scores.brier),
                theme.text,
            ),
            Line::styled(
                format!(
                    "Turn-penalised ({} turns × {penalty}) {:>8.3}",
                    scores.turns, scores.turn_penalised
                ),
                theme.text,
            ),
            Line::default(),
            Line::styled("Any key closes", theme.muted),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}
