//! Drawing. `draw` reads the app's state and paints a frame; the only state it touches is the
//! panes' render caches and scroll positions.

pub mod annotations;
pub mod browser;
pub mod chart;
pub mod dialogs;
pub mod status;

pub mod transcript;
pub mod tree_view;

use crate::app::{App, Focus, Overlay};
use crate::domain::Side;
use crate::text::sanitize::inert;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};
use transcript::side_style;

pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    buf.set_style(area, app.theme.text);
    let [header, main, status_area, hints] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, header, app);

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(main);
    let mut transcript_title = String::from(" Transcript ");
    if app.current_scope() != crate::domain::ROOT_ID {
        let path = app.session.tree.path_to(app.current_scope());
        transcript_title = format!(" Drill: {} ", path.join(" › "));
    }
    if !app.transcript.is_following() {
        transcript_title.push_str("(scrolled: G follows) ");
    }
    // Below the transcript: the credence chart when there is room, and the span being chosen.
    let chart_height = if left.height >= 26 { 7 } else { 0 };
    let preview_height = if app.visual.is_some() { 4 } else { 0 };
    let [left, preview_area, chart_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(preview_height),
        Constraint::Length(chart_height),
    ])
    .areas(left);
    let tblock = pane_block(app, &transcript_title, app.focus == Focus::Transcript);
    let inner = tblock.inner(left);
    frame.render_widget(tblock, left);
    let related = app.related_turns();
    app.transcript.render(
        inner,
        frame.buffer_mut(),
        &app.session,
        &related,
        app.is_blind(),
        &app.theme,
    );
    if let Some(visual) = &app.visual {
        annotations::draw_span_preview(frame, preview_area, visual, &app.session, &app.theme);
    }
    if chart_height > 0 {
        chart::draw_credence(frame, chart_area, &app.session, &app.theme);
    }

    app.analysis();
    let tree_title = match &app.pending_edit {
        Some(crate::app::PendingEdit::Merge(id)) => format!(" Merge {id} into… (m) "),
        Some(crate::app::PendingEdit::Move(id)) => format!(" Move {id} under… (M) "),
        None => format!(" Claims · {} ", app.session.tree.len() - 1),
    };
    if app.show_annotations {
        let title = format!(
            " Annotations · {} (A: tree) ",
            app.session.annotations.len()
        );
        let block = pane_block(app, &title, app.focus == Focus::Tree);
        let inner = block.inner(right);
        frame.render_widget(block, right);
        annotations::draw_list(
            frame,
            inner,
            &app.session,
            app.annotation_cursor,
            &app.theme,
        );
    } else if let Some(analysis) = &app.analysis {
        let rblock = pane_block(app, &tree_title, app.focus == Focus::Tree);
        let inner = rblock.inner(right);
        frame.render_widget(rblock, right);
        app.tree.render(
            inner,
            frame.buffer_mut(),
            &app.session,
            analysis,
            &app.scope,
            &app.theme,
        );
    }

    status::draw_status(frame, status_area, app);
    status::draw_hints(frame, hints, app);

    match &app.overlay {
        Some(Overlay::Start(d)) => {
            dialogs::draw_start(frame, area, d, &app.session, app.is_blind(), &app.theme)
        }
        Some(Overlay::Help(scroll)) => {
            dialogs::draw_help(frame, area, *scroll, &app.keymap, &app.theme)
        }
        Some(Overlay::Credence(d)) => dialogs::draw_credence(frame, area, d, &app.theme),
        Some(Overlay::Verdict(d)) => {
            dialogs::draw_verdict(frame, area, d, &app.session, app.is_blind(), &app.theme)
        }
        Some(Overlay::Text(d)) => dialogs::draw_text(frame, area, d, &app.theme),
        Some(Overlay::Tags(d)) => annotations::draw_tag_dialog(frame, area, d, &app.theme),
        Some(Overlay::Message(d)) => dialogs::draw_message(frame, area, d, &app.theme),
        Some(Overlay::EndDebate(d)) => dialogs::draw_end(frame, area, d, &app.theme),
        Some(Overlay::Result) => dialogs::draw_result(frame, area, app),
        Some(Overlay::ConfirmQuit) => dialogs::draw_confirm_quit(frame, area, &app.theme),
        None => {}
    }
}

fn pane_block<'a>(app: &App, title: &'a str, focused: bool) -> Block<'a> {
    let style = if focused {
        app.theme.border_focused
    } else {
        app.theme.border
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
            title,
            if focused {
                app.theme.border_focused
            } else {
                app.theme.title
            },
        ))
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let s = &app.session;
    let mut first = vec![
        Span::styled(" agon ", theme.accent),
        Span::styled("│ ", theme.border),
        Span::styled(inert(&s.question), theme.title),
    ];
    // The question gives way to the label when both do not fit.
    let label_width = if app.is_blind() {
        44
    } else if app.source_label.is_empty() {
        0
    } else {
        unicode_width::UnicodeWidthStr::width(app.source_label.as_str()) + 4
    };
    let question_room = usize::from(area.width).saturating_sub(9 + label_width);
    first[2] = Span::styled(
        crate::text::truncate(&inert(&s.question), question_room),
        theme.title,
    );
    let blind = app.is_blind();
    if blind {
        first.push(Span::styled(
            "  [blind: debaters hidden until the verdict]",
            theme.muted,
        ));
    } else if !app.source_label.is_empty() {
        first.push(Span::styled(
            format!("  [{}]", app.source_label),
            theme.muted,
        ));
    }
    // Each side gets half the line: its name, then as much of its position as fits.
    let mut second = vec![Span::raw(" ")];
    let half = usize::from(area.width.saturating_sub(1)) / 2;
    for side in Side::BOTH {
        let name = match s.debater(side) {
            Some(d) if !blind => d.name.as_str(),
            _ => "Debater",
        };
        let label = format!("{side} {name}: ");
        let room = half.saturating_sub(label.chars().count() + 2);
        second.push(Span::styled(label, side_style(theme, side)));
        let position = crate::text::truncate(&inert(s.positions.of(side)), room);
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
