//! The evidence pane (`Q`): each quote on two lines, a bar showing where in the source it sits
//! with the side and the check's verdict, then the words; the cursor's entry highlighted.

use super::style::{quote as quote_style, side as side_style};
use crate::app::App;
use crate::app::evidence::Evidence;
use crate::text::wrap::truncate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Cells of the position bar.
const BAR: usize = 12;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let items = app.evidence();
    if items.is_empty() {
        let lines = vec![
            Line::styled("No quotes yet.", theme.muted),
            Line::default(),
            Line::styled("Debaters quote the hidden source as", theme.muted),
            Line::styled("<quote>…</quote>; each appears here", theme.muted),
            Line::styled("in source order, checked.", theme.muted),
        ];
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let source_len = app.session().source_text.as_deref().map_or(0, str::len);
    let width = usize::from(area.width);
    let per_item = 2usize;
    let fit = (usize::from(area.height) / per_item).max(1);
    let cursor = app.evidence_cursor.min(items.len().saturating_sub(1));
    let first = cursor.saturating_sub(fit.saturating_sub(1));
    let mut lines: Vec<Line> = Vec::new();
    for (i, e) in items.iter().enumerate().skip(first).take(fit) {
        let selected = i == cursor;
        let mut head = vec![
            Span::styled(bar(e, source_len), theme.muted),
            Span::styled(format!(" {} ", e.side), side_style(theme, e.side)),
            Span::styled(e.class.label().to_string(), quote_style(theme, e.class)),
        ];
        if e.over_budget {
            head.push(Span::styled(" over budget", theme.error));
        }
        head.push(Span::styled(format!(" · turn {}", e.turn + 1), theme.muted));
        let mut head = Line::from(head);
        let mut words = Line::styled(
            truncate(&format!("  “{}”", e.text.replace('\n', " ")), width),
            theme.text,
        );
        if selected {
            head = head.patch_style(theme.selection);
            words = words.patch_style(theme.selection);
        }
        lines.push(head);
        lines.push(words);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Where the quote sits in the source, as a bar of [`BAR`] cells (`·` empty, `█` quoted); a
/// quote the source does not hold has none.
fn bar(e: &Evidence, source_len: usize) -> String {
    let Some(place) = e.place.filter(|_| source_len > 0) else {
        return format!("{:^width$}", "not in source", width = BAR + 2);
    };
    let cell = |at: usize| (at.saturating_mul(BAR) / source_len).min(BAR - 1);
    let (from, to) = (
        cell(place.start),
        cell(place.end.saturating_sub(1).max(place.start)),
    );
    let cells: String = (0..BAR)
        .map(|i| {
            if (from..=to).contains(&i) {
                '█'
            } else {
                '·'
            }
        })
        .collect();
    format!("▕{cells}▏")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{QuoteClass, Side, Span};

    fn item(place: Option<Span>) -> Evidence {
        Evidence {
            turn: 0,
            side: Side::A,
            text: "x".into(),
            class: QuoteClass::Exact,
            over_budget: false,
            place,
        }
    }

    #[test]
    fn the_bar_shows_where_the_quote_sits() {
        // A quote of bytes 50..75 of a 100-byte source: cells 6 to 8 of 12.
        let b = bar(&item(Some(Span { start: 50, end: 75 })), 100);
        assert_eq!(b, "▕······███···▏");
        assert_eq!(
            bar(&item(Some(Span { start: 0, end: 1 })), 100),
            "▕█···········▏"
        );
        assert!(bar(&item(None), 100).contains("not in source"));
    }
}
