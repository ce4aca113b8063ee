//! Drawing. `draw` reads the app's state and paints a frame; the only state it touches is the
//! panes' render caches and scroll positions.

pub mod dialogs;
pub mod status;
pub mod theme;
pub mod transcript;
pub mod tree_view;
pub mod wrap;

use crate::app::{App, Focus, Overlay};
use crate::domain::Side;
use crate::sanitize::inert;
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
    let tblock = pane_block(app, &transcript_title, app.focus == Focus::Transcript);
    let inner = tblock.inner(left);
    frame.render_widget(tblock, left);
    let related = app.related_turns();
    app.transcript.render(
        inner,
        frame.buffer_mut(),
        &app.session,
        &related,
        &app.theme,
    );

    app.analysis();
    let tree_title = match &app.pending_edit {
        Some(crate::app::PendingEdit::Merge(id)) => format!(" Merge {id} into… (m) "),
        Some(crate::app::PendingEdit::Move(id)) => format!(" Move {id} under… (M) "),
        None => format!(" Claims · {} ", app.session.tree.len() - 1),
    };
    let rblock = pane_block(app, &tree_title, app.focus == Focus::Tree);
    let inner = rblock.inner(right);
    frame.render_widget(rblock, right);
    if let Some(analysis) = &app.analysis {
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
        Some(Overlay::Start(d)) => dialogs::draw_start(frame, area, d, &app.session, &app.theme),
        Some(Overlay::Help) => dialogs::draw_help(frame, area, &app.theme),
        Some(Overlay::Credence(d)) => dialogs::draw_credence(frame, area, d, &app.theme),
        Some(Overlay::Verdict(d)) => {
            dialogs::draw_verdict(frame, area, d, &app.session, &app.theme)
        }
        Some(Overlay::Text(d)) => dialogs::draw_text(frame, area, d, &app.theme),
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
    if !app.source_label.is_empty() {
        first.push(Span::styled(
            format!("  [{}]", app.source_label),
            theme.muted,
        ));
    }
    let mut second = vec![Span::raw(" ")];
    for side in Side::BOTH {
        let name = s.debater(side).map_or("", |d| d.name.as_str());
        second.push(Span::styled(
            format!("{side} {name}"),
            side_style(theme, side),
        ));
        second.push(Span::styled(
            format!(": {}   ", inert(s.positions.of(side))),
            theme.muted,
        ));
    }
    let buf = frame.buffer_mut();
    buf.set_line(area.x, area.y, &Line::from(first), area.width);
    if area.height > 1 {
        buf.set_line(area.x, area.y + 1, &Line::from(second), area.width);
    }
}
