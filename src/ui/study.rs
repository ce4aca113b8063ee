//! The status bar's part for question sets and LLM judges: "question 3 of 20", the cost of
//! hearing another turn, and the LLM judge's credence once the judge has recorded theirs.

use crate::app::App;
use ratatui::style::Style;
use ratatui::text::Span;

pub fn status_spans(app: &App, bar: Style) -> Vec<Span<'static>> {
    let theme = app.theme();
    let mut spans = Vec::new();
    if let Some(study) = &app.settings.study {
        spans.push(Span::styled(
            format!("│ question {} of {} ", study.position, study.total),
            bar.patch(theme.accent),
        ));
    }
    if let Some(cost) = app.turn_cost()
        && app.session().verdict.is_none()
    {
        spans.push(Span::styled(
            format!(
                "│ next turn −{:.2} (so far −{:.2}) ",
                cost.per_turn, cost.so_far
            ),
            bar,
        ));
    }
    if let Some(shadow) = app.shadow() {
        let (flag, style) = if shadow.disagrees {
            (" ⚑ differs", bar.patch(theme.disagree))
        } else {
            ("", bar.patch(theme.llm_judge))
        };
        spans.push(Span::styled(
            format!("│ LLM {:.0}%{flag} ", shadow.p_llm * 100.0),
            style,
        ));
    }
    spans
}
