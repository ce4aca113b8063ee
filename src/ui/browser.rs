//! Drawing the sessions browser. Only the visible rows are built, so a frame costs the same
//! for ten sessions or ten thousand.

use crate::app::browser::{
    BINDINGS, Browser, Mark, Mode, SessionSummary, SortKey, State, marks_label,
};
use crate::domain::Side;
use crate::text::sanitize::inert;
use crate::text::wrap::{truncate, truncate_start, truncate_words};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Borders, Cell, HighlightSpacing, Paragraph, Row, Table, TableState,
};
use time::OffsetDateTime;
use unicode_width::UnicodeWidthStr;

const DATE_W: u16 = 16;
const STATE_W: u16 = 14;
const VERDICT_W: u16 = 8;
const SCORE_W: u16 = 6;
const MARKS_W: u16 = 5;
const NOTES_W: u16 = 5;
const MARK: &str = "▸ ";
/// The screen row of the table's first session: under the title, the border and the header.
pub const FIRST_ROW: u16 = 3;

pub fn draw(frame: &mut Frame, b: &mut Browser, theme: &Theme) {
    let area = frame.area();
    frame.buffer_mut().set_style(area, theme.text);
    let [title, table, detail, line, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_title(frame, title, b, theme);
    draw_table(frame, table, b, theme);
    draw_detail(frame, detail, b, theme);
    draw_line(frame, line, b, theme);
    draw_hints(frame, hints, theme);
    match &b.mode {
        Mode::Help => draw_help(frame, area, theme),
        Mode::Rename(_) => draw_rename(frame, area, b, theme),
        Mode::ConfirmDelete { file_name } => draw_confirm_delete(frame, area, file_name, theme),
        Mode::Rejudge { file_name, .. } => draw_rejudge(frame, area, file_name, theme),
        Mode::Fork(_) => draw_fork(frame, area, b, theme),
        Mode::Export(_) => draw_export(frame, area, b, theme),
        Mode::Normal | Mode::Search => {}
    }
}

/// One line of display text from a file: escape sequences inert, line breaks as spaces.
fn clean(text: &str) -> String {
    inert(text).replace(['\n', '\t'], " ")
}

fn short_date(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]"
        ))
        .unwrap_or_default()
}

fn size_label(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

fn state_style(theme: &Theme, state: State) -> Style {
    match state {
        State::Unfinished => theme.warning,
        State::Finished => theme.text,
        State::Judged => theme.success,
        State::Broken => theme.error,
    }
}

fn side_style(theme: &Theme, side: Side) -> Style {
    match side {
        Side::A => theme.side_a,
        Side::B => theme.side_b,
    }
}

fn state_label(s: &SessionSummary) -> String {
    match s.state {
        State::Broken => "broken".into(),
        st => format!("{} {}/{}", st.label(), s.rounds_played, s.rounds_total),
    }
}

/// `B 70%`, and `✓` or `✗` when there is a ground truth to score it against.
fn verdict_spans(s: &SessionSummary, theme: &Theme) -> Vec<Span<'static>> {
    let Some(v) = s.verdict else {
        return Vec::new();
    };
    let mut spans = vec![Span::styled(
        format!("{} {:.0}%", v.winner, v.confidence * 100.0),
        side_style(theme, v.winner),
    )];
    if let Some(sc) = s.score {
        spans.push(if sc.correct {
            Span::styled(" ✓", theme.success)
        } else {
            Span::styled(" ✗", theme.error)
        });
    }
    spans
}

/// The turn-penalised log score (what `s` sorts by), right-aligned.
fn score_cell(s: &SessionSummary, theme: &Theme) -> Cell<'static> {
    match s.score {
        Some(sc) => Cell::from(
            Line::styled(
                format!("{:.2}", sc.penalised),
                if sc.correct {
                    theme.success
                } else {
                    theme.error
                },
            )
            .right_aligned(),
        ),
        None => Cell::from(""),
    }
}

fn models_label(s: &SessionSummary) -> String {
    if s.models[0] == s.models[1] {
        clean(&s.models[0])
    } else {
        clean(&format!("{} vs {}", s.models[0], s.models[1]))
    }
}

/// A file name as the table shows it: without `.json`, and without agon's date stamp
/// (`2026-03-14_150926_`), which the date column shows.
fn file_stem(name: &str) -> &str {
    let name = name.strip_suffix(".json").unwrap_or(name);
    let stamped = name.len() > 18
        && name.bytes().take(18).enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 | 17 => b == b'_',
            _ => b.is_ascii_digit(),
        });
    match name.get(18..) {
        Some(rest) if stamped => rest,
        _ => name,
    }
}

/// The file name cut from the start: its end tells forks and numbered runs apart.
fn file_label(s: &SessionSummary, width: usize) -> String {
    truncate_start(&clean(file_stem(&s.file_name)), width)
}

/// Widths of the columns that share what the fixed ones leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Widths {
    pub file: u16,
    /// 0 when there is no room: the models are in the detail lines below the table.
    pub models: u16,
    pub question: u16,
}

/// Splits `rest` columns between the file name (which needs `file_need`), the models and the
/// question: the question keeps the most, the models show only when it still has 40 columns.
pub fn share(rest: u16, file_need: u16) -> Widths {
    let file = file_need.clamp(4, (rest / 4).clamp(8, 28)).min(rest);
    let left = rest.saturating_sub(file + 1);
    let models = if left >= 40 + 9 {
        (left / 3).clamp(8, 32)
    } else {
        0
    };
    let question = if models > 0 {
        left.saturating_sub(models + 1)
    } else {
        left
    };
    Widths {
        file,
        models,
        question,
    }
}

fn draw_title(frame: &mut Frame, area: Rect, b: &Browser, theme: &Theme) {
    let total = b.index.entries.len();
    let shown = b.visible_len();
    let count = if shown == total {
        format!("{total} sessions")
    } else {
        format!("{shown} of {total} sessions")
    };
    let arrow = if b.reverse { "↑" } else { "↓" };
    let right = format!(
        "{count} · sort {} {arrow} · filter {} ",
        b.sort.label(),
        b.filter.label()
    );
    let left_w = usize::from(area.width).saturating_sub(right.width() + 1);
    let dir = clean(&b.index.dir.display().to_string());
    let left = truncate(&format!(" agon sessions  {dir}"), left_w);
    let pad = usize::from(area.width).saturating_sub(left.width() + right.width());
    let line = Line::from(vec![
        Span::styled(left, theme.status_bar.patch(theme.title)),
        Span::styled(" ".repeat(pad), theme.status_bar),
        Span::styled(right, theme.status_bar),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status_bar), area);
}

/// The legend of the markers, for the table's bottom border and the help.
fn legend() -> String {
    Mark::LEGEND
        .iter()
        .map(|m| {
            let glyph = match m {
                Mark::Rejudged(_) => "↻N".to_string(),
                m => m.glyph(),
            };
            format!("{glyph} {}", m.meaning())
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn draw_table(frame: &mut Frame, area: Rect, b: &mut Browser, theme: &Theme) {
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(" Sessions ", theme.title));
    let room = usize::from(area.width.saturating_sub(4));
    if b.visible().any(|s| !marks_label(s).is_empty()) && legend().width() + 2 <= room {
        block = block.title_bottom(Span::styled(format!(" {} ", legend()), theme.muted));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    // Rows below the header; keep the cursor in view.
    let rows_h = usize::from(inner.height.saturating_sub(1)).max(1);
    b.page = rows_h;
    let len = b.visible_len();
    let selected = b.selected_pos().unwrap_or(0);
    if selected < b.offset {
        b.offset = selected;
    } else if selected >= b.offset + rows_h {
        b.offset = selected + 1 - rows_h;
    }
    b.offset = b.offset.min(len.saturating_sub(rows_h));

    // The mark, seven fixed columns and the spaces between all nine.
    let fixed = MARK.width() as u16 + DATE_W + STATE_W + VERDICT_W + SCORE_W + MARKS_W + NOTES_W;
    let file_need = b
        .visible()
        .skip(b.offset)
        .take(rows_h)
        .map(|s| clean(file_stem(&s.file_name)).width())
        .max()
        .unwrap_or(0);
    let w = share(
        inner.width.saturating_sub(fixed + 7),
        u16::try_from(file_need).unwrap_or(u16::MAX),
    );

    if len == 0 {
        let text = if b.index.entries.is_empty() {
            "No sessions here yet. A debate is saved here as it runs (see --sessions-dir)."
        } else {
            "No session matches the filter and search."
        };
        let body = below_first_row(inner);
        frame.render_widget(
            Paragraph::new(Line::styled(
                truncate_words(&format!("  {text}"), usize::from(body.width)),
                theme.muted,
            )),
            body,
        );
    }

    let rows: Vec<Row> = b
        .visible()
        .skip(b.offset)
        .take(rows_h)
        .map(|s| {
            let question = match &s.error {
                Some(e) => Cell::from(Span::styled(
                    truncate(&clean(e), usize::from(w.question)),
                    theme.error,
                )),
                None => Cell::from(truncate(&clean(&s.question), usize::from(w.question))),
            };
            let notes = if s.annotations > 0 {
                format!("{:>4}", s.annotations)
            } else {
                String::new()
            };
            let mut cells = vec![
                Cell::from(short_date(s.date())),
                Cell::from(Span::styled(state_label(s), state_style(theme, s.state))),
                Cell::from(Line::from(verdict_spans(s, theme))),
                score_cell(s, theme),
                Cell::from(Span::styled(
                    truncate(&marks_label(s), usize::from(MARKS_W)),
                    theme.accent,
                )),
                Cell::from(notes),
                Cell::from(Span::styled(
                    file_label(s, usize::from(w.file)),
                    theme.muted,
                )),
            ];
            if w.models > 0 {
                cells.push(Cell::from(Span::styled(
                    truncate(&models_label(s), usize::from(w.models)),
                    theme.muted,
                )));
            }
            cells.push(question);
            Row::new(cells)
        })
        .collect();
    // The column sorted by says so.
    let arrow = if b.reverse { "↑" } else { "↓" };
    let head = |label: &str, key: Option<SortKey>| -> String {
        match key {
            Some(k) if k == b.sort => format!("{label}{arrow}"),
            _ => label.to_string(),
        }
    };
    let mut header = vec![
        head("date (UTC)", Some(SortKey::Date)),
        head("state", Some(SortKey::State)),
        head("verdict", None),
        head("score", Some(SortKey::Score)),
        head("marks", None),
        head("notes", None),
        head("file", None),
    ];
    let mut widths = vec![
        Constraint::Length(DATE_W),
        Constraint::Length(STATE_W),
        Constraint::Length(VERDICT_W),
        Constraint::Length(SCORE_W),
        Constraint::Length(MARKS_W),
        Constraint::Length(NOTES_W),
        Constraint::Length(w.file),
    ];
    if w.models > 0 {
        header.push(head("models", None));
        widths.push(Constraint::Length(w.models));
    }
    header.push(head("question", Some(SortKey::Question)));
    widths.push(Constraint::Length(w.question));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.accent))
        .column_spacing(1)
        .row_highlight_style(theme.selection)
        .highlight_symbol(MARK)
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = TableState::default().with_selected(b.selected_pos().map(|p| p - b.offset));
    frame.render_stateful_widget(table, inner, &mut state);
}

fn draw_detail(frame: &mut Frame, area: Rect, b: &Browser, theme: &Theme) {
    let w = usize::from(area.width).saturating_sub(1);
    let Some(s) = b.selected() else {
        return;
    };
    let dot = || Span::styled(" · ", theme.muted);
    let mut lines = Vec::new();
    match &s.error {
        Some(e) => {
            lines.push(Line::styled(
                format!(" {}", truncate(&format!("broken: {}", clean(e)), w)),
                theme.error,
            ));
            lines.push(Line::styled(
                format!(
                    " modified {} · listed, never rewritten; d deletes it",
                    short_date(OffsetDateTime::from(s.modified))
                ),
                theme.muted,
            ));
        }
        None => {
            lines.push(Line::styled(
                format!(" {}", truncate(&clean(&s.question), w)),
                theme.title,
            ));
            let mut second = if s.models[0] == s.models[1] {
                vec![
                    Span::raw(" "),
                    Span::styled("A", theme.side_a),
                    Span::raw(" and "),
                    Span::styled("B ", theme.side_b),
                    Span::raw(clean(&s.models[0])),
                ]
            } else {
                vec![
                    Span::raw(" "),
                    Span::styled("A ", theme.side_a),
                    Span::raw(clean(&s.models[0])),
                    dot(),
                    Span::styled("B ", theme.side_b),
                    Span::raw(clean(&s.models[1])),
                ]
            };
            if let Some(v) = s.verdict {
                second.push(dot());
                second.push(Span::raw("verdict "));
                second.push(Span::styled(
                    format!("{} {:.0}%", v.winner, v.confidence * 100.0),
                    side_style(theme, v.winner),
                ));
                match s.score {
                    Some(sc) => second.push(Span::styled(
                        format!(
                            " {}: log2 {:.2}, {:.2} over {} turns",
                            if sc.correct { "correct" } else { "incorrect" },
                            sc.log_score,
                            sc.penalised,
                            sc.turns
                        ),
                        if sc.correct {
                            theme.success
                        } else {
                            theme.error
                        },
                    )),
                    None => second.push(Span::styled(" (no ground truth)", theme.muted)),
                }
            }
            lines.push(Line::from(second));
        }
    }
    let mut third = String::from(" ");
    if s.error.is_none() {
        third.push_str(&format!(
            "{}/{} rounds · {} · ",
            s.rounds_played,
            s.rounds_total,
            match s.annotations {
                1 => "1 annotation".to_string(),
                n => format!("{n} annotations"),
            }
        ));
    }
    for what in provenance(s) {
        third.push_str(&what);
        third.push_str(" · ");
    }
    third.push_str(&size_label(s.size));
    if let Some(v) = s.schema_version {
        third.push_str(&format!(" · schema {v}"));
    }
    if s.is_newer() {
        third.push_str(" (newer agon: opens read-only)");
    }
    third.push_str(" · ");
    third.push_str(&clean(&s.file_name));
    lines.push(Line::styled(truncate(&third, w + 1), theme.muted));
    frame.render_widget(Paragraph::new(lines), area);
}

/// The markers in words, for the detail lines.
fn provenance(s: &SessionSummary) -> Vec<String> {
    crate::app::browser::marks(s)
        .into_iter()
        .map(|m| match m {
            Mark::Forked => "a fork".to_string(),
            Mark::Blind => "judged blind".to_string(),
            Mark::Rejudged(1) => "judged again once".to_string(),
            Mark::Rejudged(n) => format!("judged again {n} times"),
            Mark::Imported => format!(
                "imported ({})",
                clean(s.imported.as_deref().unwrap_or("elsewhere"))
            ),
        })
        .collect()
}

fn draw_line(frame: &mut Frame, area: Rect, b: &Browser, theme: &Theme) {
    if let Some(n) = &b.notice {
        let style = if n.error { theme.error } else { theme.success };
        let text = truncate_words(&clean(&n.text), usize::from(area.width).saturating_sub(1));
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {text}"), style)),
            area,
        );
        return;
    }
    let searching = b.mode == Mode::Search;
    if !searching && b.query().is_empty() {
        return;
    }
    let help = if searching {
        "  Enter keeps · Esc clears"
    } else {
        "  / edits · Esc clears"
    };
    let room = usize::from(area.width).saturating_sub(3 + help.width());
    // The end of a long query stays visible.
    let query: String = {
        let q = clean(b.query());
        let skip = q.width().saturating_sub(room);
        q.chars().skip(skip).collect()
    };
    let line = Line::from(vec![
        Span::styled(" /", theme.key),
        Span::styled(query.clone(), theme.text),
        Span::styled(help, theme.muted),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if searching {
        let x = area.x + 2 + query.width() as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// The keys of the list, as many as fit; `? help` and `q quit` always show.
fn draw_hints(frame: &mut Frame, area: Rect, theme: &Theme) {
    const HINTS: [(&str, &str); 12] = [
        ("Enter", "replay"),
        ("c", "continue"),
        ("J", "re-judge"),
        ("b", "fork"),
        ("e", "export"),
        ("a", "stats"),
        ("/", "search"),
        ("f", "filter"),
        ("s", "sort"),
        ("r", "rename"),
        ("d", "delete"),
        ("S", "reverse"),
    ];
    const ALWAYS: [(&str, &str); 2] = [("?", "help"), ("q", "quit")];
    let hint_w = |(key, what): &(&str, &str)| key.width() + what.width() + 3;
    let mut room =
        usize::from(area.width).saturating_sub(1 + ALWAYS.iter().map(hint_w).sum::<usize>());
    let mut spans = vec![Span::raw(" ")];
    let push = |spans: &mut Vec<Span<'static>>, (key, what): (&'static str, &str)| {
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(format!(" {what}  "), theme.muted));
    };
    for hint in HINTS {
        let w = hint_w(&hint);
        if w > room {
            break;
        }
        room -= w;
        push(&mut spans, hint);
    }
    for hint in ALWAYS {
        push(&mut spans, hint);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

use crate::app::dialogs::{centered, frame_dialog};

fn draw_help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = area.width.min(88);
    // Inside the border: the key's ten columns, then the help.
    let help_w = usize::from(width.saturating_sub(2 + 10));
    let mut lines: Vec<Line> = BINDINGS
        .iter()
        .map(|bind| {
            Line::from(vec![
                Span::styled(format!("  {:<8}", bind.label), theme.key),
                Span::styled(truncate_words(bind.help, help_w), theme.text),
            ])
        })
        .collect();
    let text_w = usize::from(width.saturating_sub(6));
    let notes = [
        format!("Marks: {}.", legend()),
        "Dates are UTC. Score: log2 of the probability the verdict gave the true side, less \
         0.05 per turn seen (when the session has a ground truth)."
            .to_string(),
    ];
    for note in notes {
        lines.push(Line::default());
        for l in crate::text::wrap(&note, text_w) {
            lines.push(Line::styled(format!("  {l}"), theme.muted));
        }
    }
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let inner = frame_dialog(
        frame,
        centered(area, width, height),
        " Sessions: keys (? or Esc closes) ",
        theme,
    );
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_rename(frame: &mut Frame, area: Rect, b: &Browser, theme: &Theme) {
    let Mode::Rename(d) = &b.mode else {
        return;
    };
    let title = format!(" Rename {} ", truncate(&clean(&d.file_name), 50));
    let inner = frame_dialog(frame, centered(area, 72, 7), &title, theme);
    let suffix = ".json";
    // The field is as wide as its text (plus the cursor), and `.json` follows it.
    let room = inner.width.saturating_sub(4 + 5);
    let text_w = u16::try_from(d.input.text().width().saturating_add(1)).unwrap_or(u16::MAX);
    let field_w = text_w.min(room);
    d.input.draw(
        frame,
        Rect::new(inner.x + 2, inner.y, field_w, 1),
        theme,
        true,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(suffix, theme.muted)),
        Rect::new(
            inner.x + 2 + field_w.saturating_sub(1),
            inner.y,
            5.min(inner.width),
            1,
        ),
    );
    let message = match &d.error {
        Some(e) => Line::styled(format!("  {e}"), theme.error),
        None => Line::default(),
    };
    let lines = vec![
        message,
        Line::default(),
        Line::styled(
            "  Enter renames (never over another file) · Esc cancels",
            theme.muted,
        ),
    ];
    let rest = below_first_row(inner);
    frame.render_widget(Paragraph::new(lines), rest);
}

fn draw_confirm_delete(frame: &mut Frame, area: Rect, file_name: &str, theme: &Theme) {
    let name = truncate(
        &clean(file_name),
        usize::from(area.width.saturating_sub(22)),
    );
    let width = u16::try_from(name.width() + 18).unwrap_or(u16::MAX).max(40);
    let inner = frame_dialog(frame, centered(area, width, 5), " Delete? ", theme);
    let lines = vec![
        Line::from(vec![
            Span::styled(" Delete ", theme.text),
            Span::styled(name, theme.highlight),
            Span::styled("? ", theme.text),
            Span::styled("y", theme.key),
            Span::styled("/", theme.muted),
            Span::styled("n", theme.key),
        ]),
        Line::default(),
        Line::styled(" The file is removed from disk.", theme.muted),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_rejudge(frame: &mut Frame, area: Rect, file_name: &str, theme: &Theme) {
    let title = format!(" Re-judge {} ", clean(file_name));
    let inner = frame_dialog(frame, centered(area, 72, 7), &title, theme);
    let w = usize::from(inner.width.saturating_sub(6));
    let choice = |key: &'static str, text: &str| {
        Line::from(vec![
            Span::styled(format!("  {key}  "), theme.key),
            Span::styled(truncate_words(text, w), theme.text),
        ])
    };
    let lines = vec![
        choice("b", "blind: who argues stays hidden until your verdict"),
        choice("o", "open: the debaters' providers and models are shown"),
        Line::default(),
        Line::styled(
            truncate_words(
                "  Earlier judgements stay hidden and unchanged · Esc cancels",
                usize::from(inner.width),
            ),
            theme.muted,
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_fork(frame: &mut Frame, area: Rect, b: &Browser, theme: &Theme) {
    let Mode::Fork(d) = &b.mode else {
        return;
    };
    let title = format!(" Fork {} ", clean(&d.file_name));
    let inner = frame_dialog(frame, centered(area, 72, 7), &title, theme);
    let label = "  after turn ";
    frame.render_widget(
        Paragraph::new(Span::styled(label, theme.text)),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let x = inner.x.saturating_add(label.width() as u16);
    d.input.draw(
        frame,
        Rect::new(x, inner.y, 6.min(inner.right().saturating_sub(x)), 1),
        theme,
        true,
    );
    let w = usize::from(inner.width);
    let lines = vec![
        match &d.error {
            Some(e) => Line::styled(truncate_words(&format!("  {e}"), w), theme.error),
            None => Line::styled(
                truncate_words("  (nothing typed: after every finished turn)", w),
                theme.muted,
            ),
        },
        Line::styled(
            truncate_words(
                "  A new session goes on live from there; the original stays as it is.",
                w,
            ),
            theme.muted,
        ),
        Line::default(),
        Line::styled(
            truncate_words("  Enter forks · Esc cancels", w),
            theme.muted,
        ),
    ];
    let rest = below_first_row(inner);
    frame.render_widget(Paragraph::new(lines), rest);
}

fn draw_export(frame: &mut Frame, area: Rect, b: &Browser, theme: &Theme) {
    let Mode::Export(d) = &b.mode else {
        return;
    };
    let title = format!(" Export {} ", clean(&d.file_name));
    let inner = frame_dialog(frame, centered(area, 76, 8), &title, theme);
    let w = usize::from(inner.width);
    let formats: Vec<Span> = crate::app::browser::dialogs::FORMATS
        .iter()
        .flat_map(|&f| {
            let style = if f == d.format {
                theme.selection
            } else {
                theme.muted
            };
            [
                Span::styled(format!(" {} ", f.extension()), style),
                Span::raw(" "),
            ]
        })
        .collect();
    let mut first = vec![Span::styled("  format  ", theme.text)];
    first.extend(formats);
    first.push(Span::styled("(Tab)", theme.muted));
    frame.render_widget(
        Paragraph::new(Line::from(first)),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let label = "  file    ";
    if inner.height > 2 {
        let y = inner.y + 2;
        frame.render_widget(
            Paragraph::new(Span::styled(label, theme.text)),
            Rect::new(inner.x, y, inner.width, 1),
        );
        let x = inner.x.saturating_add(label.width() as u16);
        d.out.draw(
            frame,
            Rect::new(x, y, inner.right().saturating_sub(x + 1), 1),
            theme,
            true,
        );
    }
    let lines = vec![
        match &d.error {
            Some(e) => Line::styled(truncate_words(&format!("  {e}"), w), theme.error),
            None => Line::styled(
                truncate_words("  relative to the directory agon was started in", w),
                theme.muted,
            ),
        },
        Line::default(),
        Line::styled(
            truncate_words("  Enter writes it (never over a file) · Esc cancels", w),
            theme.muted,
        ),
    ];
    let rest = Rect::new(
        inner.x,
        inner.y + 3,
        inner.width,
        inner.height.saturating_sub(3),
    );
    frame.render_widget(Paragraph::new(lines), rest);
}

/// A box's rows after its first (where a dialog's field or a list's header stands).
fn below_first_row(inner: Rect) -> Rect {
    Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::app::browser::Browser;
    use crate::storage::index::{BuildStats, Index, ScoreSummary, VerdictSummary};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use std::path::PathBuf;
    use std::time::{Duration, SystemTime};

    fn at(unix: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(unix).unwrap()
    }

    fn summary(name: &str, unix: i64, question: &str, state: State) -> SessionSummary {
        SessionSummary {
            path: PathBuf::from(format!("/data/sessions/{name}")),
            file_name: name.into(),
            modified: SystemTime::UNIX_EPOCH + Duration::from_secs(unix as u64 + 60),
            size: 40_447,
            schema_version: Some(2),
            question: question.into(),
            created_at: Some(at(unix)),
            models: [
                "scripted/demo:congestion-pricing".into(),
                "scripted/demo:congestion-pricing".into(),
            ],
            rounds_played: if state == State::Unfinished { 2 } else { 4 },
            rounds_total: 4,
            state,
            verdict: None,
            score: None,
            annotations: 0,
            judgements: 0,
            blind: false,
            forked: false,
            imported: None,
            error: None,
        }
    }

    /// Five sessions: judged with and without a ground truth, finished, unfinished, broken.
    pub(crate) fn sample_index() -> Index {
        let mut judged = summary(
            "2026-11-27_083737_should-the-city-adopt-congestion-pricing.json",
            1_795_768_657,
            "Should the city adopt congestion pricing for its downtown core at peak hours?",
            State::Judged,
        );
        judged.verdict = Some(VerdictSummary {
            winner: Side::B,
            confidence: 0.7,
        });
        let mut scored = summary(
            "2026-11-26_101500_is-nuclear-power-worth-its-cost.json",
            1_795_688_100,
            "Is nuclear power worth its cost?",
            State::Judged,
        );
        scored.models = [
            "openai/gpt-4o-mini".into(),
            "anthropic/claude-3-5-haiku".into(),
        ];
        scored.verdict = Some(VerdictSummary {
            winner: Side::A,
            confidence: 0.8,
        });
        scored.score = Some(ScoreSummary {
            correct: true,
            log_score: 0.8f64.log2(),
            penalised: 0.8f64.log2() - 0.4,
            turns: 8,
        });
        scored.annotations = 3;
        scored.blind = true;
        scored.judgements = 2;
        let mut finished = summary(
            "2026-11-20_090000_should-cities-ban-cars-downtown_fork6.json",
            1_795_165_200,
            "Should cities ban private cars from downtown streets entirely?",
            State::Finished,
        );
        finished.forked = true;
        let mut unfinished = summary(
            "2026-11-25_180000_is-remote-work-better.json",
            1_795_629_600,
            "Is remote work better for productivity than office work?",
            State::Unfinished,
        );
        unfinished.models = ["ollama/llama3.2".into(), "ollama/qwen2.5".into()];
        let mut broken = summary("2026-11-21_120000_truncated.json", 0, "", State::Broken);
        broken.modified = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_262_400);
        broken.created_at = None;
        broken.models = Default::default();
        broken.rounds_total = 0;
        broken.schema_version = None;
        broken.size = 20_000;
        broken.error = Some("the file ends too early (truncated?) at line 311".into());
        Index {
            dir: PathBuf::from("/data/sessions"),
            entries: vec![finished, broken, judged, unfinished, scored],
            stats: BuildStats::default(),
            cache_error: None,
        }
    }

    fn render(b: &mut Browser, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| draw(f, b, &Theme::bundled())).unwrap();
        terminal.backend().to_string()
    }

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn browser_screen_100x30() {
        let mut b = Browser::new(sample_index());
        insta::assert_snapshot!("browser_100x30", render(&mut b, 100, 30));
    }

    #[test]
    fn browser_dialogs_100x30() {
        let mut b = Browser::new(sample_index());
        b.update(&key('/'));
        for c in "city".chars() {
            b.update(&key(c));
        }
        insta::assert_snapshot!("browser_search_100x30", render(&mut b, 100, 30));
        b.update(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        b.update(&key('d'));
        let screen = render(&mut b, 100, 30);
        assert!(
            screen.contains(
                "Delete 2026-11-27_083737_should-the-city-adopt-congestion-pricing.json? y/n"
            ),
            "{screen}"
        );
        b.update(&key('n'));
        b.update(&key('r'));
        let screen = render(&mut b, 100, 30);
        assert!(screen.contains("Rename 2026-11-27_083737"), "{screen}");
        assert!(
            screen.contains("2026-11-27_083737_should-the-city-adopt-congestion-pricing.json"),
            "{screen}"
        );
        b.update(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        b.update(&key('?'));
        let screen = render(&mut b, 100, 30);
        assert!(screen.contains("Sessions: keys"), "{screen}");
        for bind in BINDINGS {
            assert!(screen.contains(bind.help), "help lists {:?}", bind.help);
        }
    }

    #[test]
    fn browser_wide_sorted_by_score_with_markers() {
        let mut b = Browser::new(sample_index());
        for _ in 0..3 {
            b.update(&key('s'));
        }
        assert_eq!(b.sort, crate::app::browser::SortKey::Score);
        let screen = render(&mut b, 150, 14);
        assert!(screen.contains("score↓"), "the sorted column says so");
        assert!(screen.contains("-0.72"), "the score sorted by is shown");
        assert!(screen.contains("◐↻2"), "blind and re-judged twice");
        assert!(
            screen.contains("downtown_fork6"),
            "a fork's name keeps its end"
        );
        assert!(screen.contains("openai/gpt-4o"), "wide: the models show");
        insta::assert_snapshot!("browser_score_150x14", screen);
    }

    #[test]
    fn browser_action_dialogs_100x30() {
        let mut b = Browser::new(sample_index());
        b.update(&key('J'));
        insta::assert_snapshot!("browser_rejudge_100x30", render(&mut b, 100, 30));
        b.update(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        b.update(&key('b'));
        b.update(&key('4'));
        insta::assert_snapshot!("browser_fork_100x30", render(&mut b, 100, 30));
        b.update(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        b.update(&key('e'));
        b.update(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
        insta::assert_snapshot!("browser_export_100x30", render(&mut b, 100, 30));
    }

    #[test]
    fn hints_fit_the_width_and_keep_help_and_quit() {
        let mut b = Browser::new(sample_index());
        for w in [40u16, 60, 80, 100, 140] {
            let screen = render(&mut b, w, 20);
            let hints = screen.lines().last().unwrap();
            assert!(
                hints.contains("? help") && hints.contains("q quit"),
                "{w}: {hints}"
            );
        }
    }

    #[test]
    fn widths_share_the_rest_and_models_come_last() {
        assert_eq!(
            share(30, 40),
            Widths {
                file: 8,
                models: 0,
                question: 21
            },
            "a long name is cut to leave the question room"
        );
        assert_eq!(share(30, 2).file, 4, "as wide as its header");
        let wide = share(120, 40);
        assert_eq!((wide.file, wide.models), (28, 30));
        assert_eq!(wide.file + wide.models + wide.question + 2, 120);
        assert_eq!(share(120, 7).file, 7, "no wider than the names");
        assert!(share(0, 9).question == 0 && share(5, 9).file == 5);
    }

    #[test]
    fn file_names_lose_the_date_stamp_the_date_column_shows() {
        assert_eq!(file_stem("2026-03-01_090000_pricing.json"), "pricing");
        assert_eq!(
            file_stem("2026-03-01_090000_pricing_fork3.json"),
            "pricing_fork3"
        );
        assert_eq!(file_stem("my debate.json"), "my debate");
        assert_eq!(
            file_stem("2026-03-01_0900xx_odd.json"),
            "2026-03-01_0900xx_odd"
        );
    }

    #[test]
    fn small_and_empty_screens_draw() {
        let mut b = Browser::new(sample_index());
        for (w, h) in [(40, 10), (20, 5), (200, 50)] {
            render(&mut b, w, h);
        }
        let mut empty = Browser::new(Index {
            entries: Vec::new(),
            ..sample_index()
        });
        assert!(render(&mut empty, 100, 30).contains("No sessions here yet"));
    }

    #[test]
    fn clicks_find_the_first_session_on_the_row_it_is_drawn() {
        // The CLI turns a click's screen row into a table row with FIRST_ROW.
        let mut b = Browser::new(sample_index());
        let screen = render(&mut b, 100, 30);
        let line = screen.lines().nth(usize::from(FIRST_ROW)).unwrap();
        assert!(line.contains(MARK), "the cursor's row: {line}");
    }

    #[test]
    fn the_cursor_row_stays_in_view() {
        let mut index = sample_index();
        let one = index.entries[0].clone();
        index.entries = (0..200)
            .map(|i| {
                let mut s = one.clone();
                s.file_name = format!("s{i:03}.json");
                s.question = format!("Question number {i}?");
                s.created_at = Some(at(1_795_000_000 + i));
                s
            })
            .collect();
        let mut b = Browser::new(index);
        render(&mut b, 100, 30);
        b.update(&key('G'));
        let screen = render(&mut b, 100, 30);
        assert!(screen.contains("Question number 0?"), "{screen}");
        b.update(&KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE));
        let screen = render(&mut b, 100, 30);
        assert!(!screen.contains("Question number 0?"), "{screen}");
    }
}
