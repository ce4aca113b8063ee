//! Drawing. [`draw`] paints a frame from the app's state without changing it; the only state
//! here is [`Ui`], the render caches, so a frame costs what is visible.

pub mod annotations;
pub mod browser;
pub mod chart;
pub mod evidence;
pub mod search;
pub mod source;
pub mod stats;
pub mod status;
pub mod study;
pub mod style;
pub mod transcript;
pub mod tree;

use crate::app::dialogs::DrawContext;
use crate::app::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use crate::app::{App, Focus, PendingEdit};
use crate::domain::{ROOT_ID, Side};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};
use time::OffsetDateTime;

/// What the ui keeps between frames of the main screen: nothing yet. The transcript's layouts
/// are the app's (its scrolling, search and this painter read the same rows); a frame styles
/// only the rows in view.
#[derive(Debug, Default)]
pub struct Ui {}

pub fn draw(frame: &mut Frame, app: &App, _ui: &mut Ui, now: OffsetDateTime) {
    let area = frame.area();
    let theme = app.theme();
    frame.buffer_mut().set_style(area, theme.text);
    if layout::too_small(area) {
        return draw_too_small(frame, area, app);
    }
    // The frame's own size: drawing into the size of the last resize event would write past
    // the buffer when the terminal has shrunk since.
    let areas = app.areas_in(area);
    draw_header(frame, areas.header, app);

    let mut title = String::from(" Transcript ");
    if app.current_scope() != ROOT_ID {
        let path = app.session().tree.path_to(app.current_scope());
        title = format!(" Drill: {} ", path.join(" › "));
    }
    if !app.transcript.is_following() {
        title.push_str("(scrolled: G follows) ");
    }
    let block = pane_block(app, &title, app.focus == Focus::Transcript);
    frame.render_widget(block, areas.transcript);
    let text = layout::transcript_text(areas.transcript);
    transcript::draw(text, frame.buffer_mut(), app, now);
    if let Some(visual) = &app.visual {
        annotations::draw_span_preview(frame, areas.preview, visual, app);
    }
    if areas.chart.height > 0 {
        chart::draw_credence(frame, areas.chart, app);
    }

    if app.show_evidence {
        let title = format!(" Evidence · {} quotes (Q: tree) ", app.evidence().len());
        let block = pane_block(app, &title, app.focus == Focus::Tree);
        let inner = block.inner(areas.side);
        frame.render_widget(block, areas.side);
        evidence::draw(frame, inner, app);
    } else if app.show_annotations {
        let title = format!(
            " Annotations · {} (A: tree) ",
            app.session().annotations.len()
        );
        let block = pane_block(app, &title, app.focus == Focus::Tree);
        let inner = block.inner(areas.side);
        frame.render_widget(block, areas.side);
        annotations::draw_list(frame, inner, app);
    } else {
        let title = match &app.pending_edit {
            Some(PendingEdit::Merge(id)) => format!(" Merge {id} into… (m) "),
            Some(PendingEdit::Move(id)) => format!(" Move {id} under… (M) "),
            None => format!(" Claims · {} ", app.session().tree.len().saturating_sub(1)),
        };
        let block = pane_block(app, &title, app.focus == Focus::Tree);
        let inner = block.inner(areas.side);
        frame.render_widget(block, areas.side);
        tree::draw(frame.buffer_mut(), inner, areas.side, app);
    }

    search::draw_bar(frame, &areas, app);
    status::draw_status(frame, areas.status, app, now);
    status::draw_hints(frame, areas.hints, app);

    if let Some(dialog) = &app.dialog {
        let debaters_note = &app.settings.debaters_note;
        let cx = DrawContext {
            theme,
            session: app.session(),
            redactor: app.redactor(),
            keymap: &app.settings.keymap,
            scores: app.scores(),
            debaters_note,
        };
        match dialog {
            crate::app::dialogs::Dialog::Source(d) => source::draw(frame, area, app, d),
            _ => dialog.draw(frame, area, &cx),
        }
    }
}

/// Below the minimum size: say so, and what size is needed; the full screen comes back when
/// the terminal grows.
fn draw_too_small(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let mut lines = vec![
        Line::styled("Terminal too small", theme.warning),
        Line::styled(
            format!(
                "need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}",
                area.width, area.height
            ),
            theme.text,
        ),
        Line::styled(
            "the debate goes on: enlarge the window · q quits",
            theme.muted,
        ),
    ];
    if app.dialog.is_some() {
        // Its keys still work: say so, since it cannot be seen.
        lines.push(Line::styled("a dialog is open: Esc closes it", theme.muted));
    }
    // In the middle, where the eye goes when the screen changes.
    let top = area.height.saturating_sub(3) / 2;
    let rest = Rect::new(area.x, area.y + top, area.width, area.height - top);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .alignment(ratatui::layout::Alignment::Center),
        rest,
    );
}

fn pane_block<'a>(app: &App, title: &str, focused: bool) -> Block<'a> {
    let theme = app.theme();
    let style = if focused {
        theme.border_focused
    } else {
        theme.border
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(style)
        .title(Span::styled(
            title.to_string(),
            if focused {
                theme.border_focused
            } else {
                theme.title
            },
        ))
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let s = app.session();
    let redactor = app.redactor();
    let label = if app.is_blind() {
        "blind: debaters hidden until the verdict".to_string()
    } else {
        redactor.chrome(&app.settings.source_label)
    };
    let label_width = if label.is_empty() {
        0
    } else {
        unicode_width::UnicodeWidthStr::width(label.as_str()) + 4
    };
    let question_room = usize::from(area.width).saturating_sub(9 + label_width);
    let mut first = vec![
        Span::styled(" agon ", theme.accent),
        Span::styled("│ ", theme.border),
        Span::styled(
            crate::text::truncate_words(&redactor.chrome(&s.question), question_room),
            theme.title,
        ),
    ];
    if !label.is_empty() {
        first.push(Span::styled(format!("  [{label}]"), theme.muted));
    }
    // Each side gets half the line: its name, then as much of its position as fits.
    let mut second = vec![Span::raw(" ")];
    let half = usize::from(area.width.saturating_sub(1)) / 2;
    for side in Side::BOTH {
        let name = app.debater_name(side);
        let label = format!("{side} {name}: ");
        let room = half.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()) + 2);
        second.push(Span::styled(
            crate::text::truncate(&label, half),
            style::side(theme, side),
        ));
        let position = crate::text::truncate_words(&redactor.chrome(s.positions.of(side)), room);
        let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(position.as_str()));
        second.push(Span::styled(
            format!("{position}{}  ", " ".repeat(pad)),
            theme.muted,
        ));
    }
    let buf = frame.buffer_mut();
    buf.set_line(area.x, area.y, &Line::from(first), area.width);
    if area.height > 1 {
        buf.set_line(area.x, area.y + 1, &Line::from(second), area.width);
    }
}
