//! The source dialog (`S`): the hidden source, wrapped, with each quoted place in its quote's
//! style (the transcript's), a line of counts, and the keys.

use super::style;
use crate::app::App;
use crate::app::dialogs::{SourceDialog, centered, frame_dialog};
use crate::app::source_view::{layout, quoted_places};
use crate::domain::QuoteClass;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, dialog: &SourceDialog) {
    let theme = app.theme();
    let s = app.session();
    let Some(source) = s.source_text.as_deref() else {
        return;
    };
    let width = area.width.saturating_sub(4).max(20);
    let height = area.height.saturating_sub(2).max(8);
    let rect = centered(area, width, height);
    let title = match &s.source_title {
        Some(t) => format!(" Source: {} ", app.redactor().chrome(t)),
        None => " Source ".to_string(),
    };
    let inner = frame_dialog(frame, rect, &title, theme);
    let places = quoted_places(s);
    let body = layout(source, &places, usize::from(inner.width));
    let rows = usize::from(inner.height.saturating_sub(2));
    dialog.page.set(rows);
    dialog.max_scroll.set(body.len().saturating_sub(rows));
    let mut lines: Vec<Line> = vec![legend(app, &places)];
    lines.extend(
        body.iter()
            .skip(dialog.scroll.min(dialog.max_scroll.get()))
            .take(rows)
            .map(|l| style::line(theme, l)),
    );
    frame.render_widget(Paragraph::new(lines), inner);
    let keys = Line::styled(
        "j/k scroll · Space/PgUp page · g/G ends · Esc closes",
        theme.muted,
    );
    let last = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
    frame.render_widget(Paragraph::new(keys), last);
}

/// How many places were quoted, by class, each in its style.
fn legend(app: &App, places: &[(crate::domain::Span, QuoteClass)]) -> Line<'static> {
    let theme = app.theme();
    let mut spans = vec![Span::styled("Quoted: ", theme.muted)];
    for class in [QuoteClass::Exact, QuoteClass::Normalised, QuoteClass::Close] {
        let n = places.iter().filter(|(_, c)| *c == class).count();
        spans.push(Span::styled(
            format!("{n} {}", class.label()),
            style::quote(theme, class),
        ));
        spans.push(Span::styled("  ", theme.muted));
    }
    Line::from(spans)
}
