//! The verdict against the ground truth, with its scores: shown once the verdict is in.

use super::{DrawContext, Outcome, centered, frame_dialog};
use crate::domain::Side;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

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
        let mut lines = vec![
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
        ];
        let scored = [
            ("Log score  log2(p)".to_string(), scores.log_score),
            ("Brier      (1-p)^2".to_string(), scores.brier),
            (
                format!("Turn-penalised ({} turns × {penalty})", scores.turns),
                scores.turn_penalised,
            ),
        ];
        // The values line up in one column, however long the penalty's label.
        let label_width = scored.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
        for (label, value) in scored {
            let pad = " ".repeat(label_width.saturating_sub(label.width()));
            lines.push(Line::styled(
                format!("{label}{pad} {value:>8.3}"),
                theme.text,
            ));
        }
        lines.push(Line::default());
        lines.push(Line::styled("Any key closes", theme.muted));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}
