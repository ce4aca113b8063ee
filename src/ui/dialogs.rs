//! Overlays: help, credence, verdict, and the quit confirmation.

use super::transcript::side_style;
use crate::app::dialogs::{
    CredenceDialog, PercentField, StartDialog, TextDialog, VerdictDialog, VerdictField,
    VerdictPurpose,
};
use crate::app::keymap::Keymap;
use crate::app::keys::Group;
use crate::domain::{Session, Side};
use crate::text::sanitize::inert;
use crate::text::wrap::wrap;
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

/// A centred rectangle of at most `width` x `height`, inside `area`.
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub(crate) fn dialog_block<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Span::styled(title, theme.title))
        .style(theme.dialog)
}

pub fn draw_help(frame: &mut Frame, area: Rect, scroll: u16, keymap: &Keymap, theme: &Theme) {
    let groups = [
        Group::Debate,
        Group::Judge,
        Group::Navigate,
        Group::Tree,
        Group::App,
    ];
    let width = 86.min(area.width);
    let text_width = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    for g in groups {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(g.title(), theme.accent));
        for b in keymap.entries().iter().filter(|b| b.group == g) {
            // Long help wraps under itself, not under the key.
            let indent = 11;
            let help = wrap(b.help, text_width.saturating_sub(indent).max(10));
            for (i, part) in help.into_iter().enumerate() {
                let key = if i == 0 {
                    format!("  {:<9}", b.label)
                } else {
                    " ".repeat(indent)
                };
                lines.push(Line::from(vec![
                    Span::styled(key, theme.key),
                    Span::styled(part, theme.text),
                ]));
            }
        }
    }
    lines.push(Line::default());
    for part in wrap(
        "In dialogs: ←/→ ±1%, ↑/↓ ±5%, digits type a value, Tab next field, Enter saves, Esc cancels; Ctrl-E writes a note or rationale in $EDITOR, Ctrl-J starts a new line of the rationale. Every key here can be changed in the config's [keys] table.",
        text_width,
    ) {
        lines.push(Line::styled(part, theme.muted));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let visible = height.saturating_sub(2);
    let max_scroll = (lines.len() as u16).saturating_sub(visible);
    let scroll = scroll.min(max_scroll);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let title = if max_scroll > 0 {
        format!(
            " Keys {}/{} · j/k scroll · Esc closes ",
            scroll + visible,
            lines.len()
        )
    } else {
        " Keys · ? or Esc closes ".to_string()
    };
    let para = Paragraph::new(lines)
        .block(dialog_block(&title, theme))
        .scroll((scroll, 0));
    frame.render_widget(para, rect);
}

/// A bar like `[██████░░░░] 62%` for a percentage field.
fn percent_bar(
    field: &PercentField,
    width: usize,
    fill: Style,
    empty: Style,
) -> Vec<Span<'static>> {
    let span = f64::from(field.max - field.min).max(1.0);
    let filled = ((f64::from(field.value - field.min) / span) * width as f64).round() as usize;
    vec![
        Span::styled("█".repeat(filled), fill),
        Span::styled("░".repeat(width.saturating_sub(filled)), empty),
        Span::raw(format!(" {:>3}%", field.value)),
    ]
}

pub fn draw_credence(frame: &mut Frame, area: Rect, d: &CredenceDialog, theme: &Theme) {
    let rect = centered(area, 56, 9);
    frame.render_widget(Clear, rect);
    let lines = vec![
        Line::styled("How likely is it that side A is right?", theme.text),
        Line::default(),
        Line::from({
            let mut spans = vec![Span::styled("B ", theme.side_b)];
            spans.extend(percent_bar(&d.percent, 30, theme.side_a, theme.side_b));
            spans.push(Span::styled("  A", theme.side_a));
            spans
        }),
        Line::default(),
        Line::styled("←/→ ±1  ↑/↓ ±5  digits type  a=100 b=0", theme.muted),
        Line::styled("Enter records · Esc cancels", theme.muted),
    ];
    let para = Paragraph::new(lines).block(dialog_block(" Credence: P(A is right) ", theme));
    frame.render_widget(para, rect);
}

pub fn draw_verdict(
    frame: &mut Frame,
    area: Rect,
    d: &VerdictDialog,
    session: &Session,
    blind: bool,
    theme: &Theme,
) {
    let rect = centered(area, 70, 14);
    frame.render_widget(Clear, rect);
    let title = match &d.purpose {
        VerdictPurpose::Debate => " Verdict ".to_string(),
        VerdictPurpose::Node(id) => format!(" Who wins {id}? "),
        VerdictPurpose::DecideBy(id) => format!(" Verdict decided by crux {id} "),
    };
    let block = dialog_block(&title, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);

    let marker = |f: VerdictField| {
        if d.field == f {
            Span::styled("▶ ", theme.accent)
        } else {
            Span::raw("  ")
        }
    };
    let choice = |side: Side| {
        let name = match session.debater(side) {
            Some(x) if !blind => x.name.as_str(),
            _ => "Debater",
        };
        let label = format!(" {side} {name} ");
        if d.winner == side {
            Span::styled(
                format!("[{label}]"),
                side_style(theme, side).patch(theme.selection),
            )
        } else {
            Span::styled(format!(" {label} "), theme.muted)
        }
    };
    let position = inert(session.positions.of(d.winner));
    let field_width = usize::from(inner.width.saturating_sub(4));
    // Line breaks show as ⏎ in the one-line field.
    let rationale_display = d.rationale.text().replace('\n', "⏎");
    let rationale = rationale_display.as_str();
    // Show the end of a long rationale, where the cursor usually is.
    let shown: String = {
        let chars: Vec<char> = rationale.chars().collect();
        let start = chars.len().saturating_sub(field_width.saturating_sub(1));
        chars[start..].iter().collect()
    };
    let mut lines = vec![
        Line::from(vec![
            marker(VerdictField::Winner),
            Span::styled("Winner      ", theme.text),
            choice(Side::A),
            Span::raw(" "),
            choice(Side::B),
        ]),
        Line::styled(
            format!(
                "              {}",
                crate::text::wrap::truncate(&position, field_width.saturating_sub(12))
            ),
            theme.muted,
        ),
        Line::default(),
        Line::from({
            let mut spans = vec![
                marker(VerdictField::Confidence),
                Span::styled("Confidence  ", theme.text),
            ];
            spans.extend(percent_bar(&d.confidence, 24, theme.accent, theme.muted));
            spans
        }),
        Line::default(),
        Line::from(vec![
            marker(VerdictField::Rationale),
            Span::styled("Rationale", theme.text),
        ]),
        Line::styled(format!("  {shown}"), theme.text.patch(theme.selection)),
        Line::default(),
        Line::styled(
            "Tab next field · a/b or ←/→ winner · digits or ←/→ confidence",
            theme.muted,
        ),
        Line::styled(
            match &d.purpose {
                VerdictPurpose::Debate => "Enter records the verdict · Esc cancels",
                VerdictPurpose::Node(_) => "Enter records the ruling on this node · Esc cancels",
                VerdictPurpose::DecideBy(_) => {
                    "The crux's winner wins the debate · Enter records · Esc cancels"
                }
            },
            theme.muted,
        ),
    ];
    lines.truncate(usize::from(inner.height));
    frame.render_widget(Paragraph::new(lines), inner);
    if d.field == VerdictField::Rationale && inner.height > 6 {
        let before: String = shown.chars().take(shown.chars().count()).collect();
        let cursor_back = rationale.chars().count() - d.rationale.cursor();
        let x = inner.x + 2 + (before.width() as u16).saturating_sub(cursor_back as u16);
        frame.set_cursor_position(Position::new(x.min(inner.right() - 1), inner.y + 6));
    }
}

pub fn draw_confirm_quit(frame: &mut Frame, area: Rect, theme: &Theme) {
    let rect = centered(area, 52, 6);
    frame.render_widget(Clear, rect);
    let lines = vec![
        Line::styled("A turn is still streaming.", theme.text),
        Line::styled(
            "Quit and keep its partial text, marked stopped?",
            theme.text,
        ),
        Line::default(),
        Line::from(vec![
            Span::styled("y", theme.key),
            Span::styled(" quit   ", theme.muted),
            Span::styled("n", theme.key),
            Span::styled(" keep watching", theme.muted),
        ]),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(dialog_block(" Quit? ", theme)),
        rect,
    );
}

pub fn draw_start(
    frame: &mut Frame,
    area: Rect,
    d: &StartDialog,
    session: &Session,
    blind: bool,
    theme: &Theme,
) {
    let rect = centered(area, 76, 12);
    frame.render_widget(Clear, rect);
    let block = dialog_block(" New debate ", theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut lines = vec![Line::styled("Debaters:", theme.text)];
    for side in Side::BOTH {
        let (who, position) = match session.debater(side) {
            Some(_) if blind => (
                "hidden (blind judging)".to_string(),
                inert(session.positions.of(side)),
            ),
            Some(x) => (
                format!("{} ({} · {})", x.name, x.provider, x.model),
                inert(session.positions.of(side)),
            ),
            None => ("not configured".to_string(), String::new()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {side} "), side_style(theme, side)),
            Span::styled(who, theme.text),
            Span::styled(format!("  argues: {position}"), theme.muted),
        ]));
    }
    let field_width = usize::from(inner.width.saturating_sub(4));
    let text = d.question.text();
    let chars: Vec<char> = text.chars().collect();
    let start = chars.len().saturating_sub(field_width.saturating_sub(1));
    let shown: String = chars[start..].iter().collect();
    lines.extend([
        Line::default(),
        Line::styled("The question to debate:", theme.text),
        Line::styled(format!("  {shown}"), theme.text.patch(theme.selection)),
        Line::default(),
        Line::styled("Enter starts the debate · Esc quits", theme.muted),
    ]);
    frame.render_widget(Paragraph::new(lines), inner);
    let before: String = chars[start..start.max(d.question.cursor())]
        .iter()
        .collect();
    let x = inner.x + 2 + before.width() as u16;
    if inner.height > 5 {
        frame.set_cursor_position(Position::new(
            x.min(inner.right().saturating_sub(1)),
            inner.y + 5,
        ));
    }
}

pub fn draw_text(frame: &mut Frame, area: Rect, d: &TextDialog, theme: &Theme) {
    let rect = centered(area, 72, 6);
    frame.render_widget(Clear, rect);
    let title = d.title();
    let block = dialog_block(&title, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let field_width = usize::from(inner.width.saturating_sub(4));
    let chars: Vec<char> = d.input.text().chars().collect();
    let start = d
        .input
        .cursor()
        .saturating_sub(field_width.saturating_sub(1));
    let shown: String = chars[start.min(chars.len())..]
        .iter()
        .take(field_width)
        .collect();
    let lines = vec![
        Line::styled(format!("  {shown}"), theme.text.patch(theme.selection)),
        Line::default(),
        Line::styled("Enter saves · Esc cancels", theme.muted),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    let before: String = chars[start.min(chars.len())..d.input.cursor().min(chars.len())]
        .iter()
        .collect();
    let x = inner.x + 2 + before.width() as u16;
    frame.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y,
    ));
}

pub fn draw_message(
    frame: &mut Frame,
    area: Rect,
    d: &crate::app::dialogs::MessageDialog,
    theme: &Theme,
) {
    let rect = centered(area, 72, 8);
    frame.render_widget(Clear, rect);
    let block = dialog_block(" The judge speaks ", theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let to = match d.to {
        Some(side) => Span::styled(format!("debater {side}"), side_style(theme, side)),
        None => Span::styled("both debaters", theme.accent),
    };
    let field_width = usize::from(inner.width.saturating_sub(4));
    let chars: Vec<char> = d.input.text().chars().collect();
    let start = chars.len().saturating_sub(field_width.saturating_sub(1));
    let shown: String = chars[start..].iter().collect();
    let lines = vec![
        Line::from(vec![
            Span::styled("To: ", theme.text),
            to,
            Span::styled("  (Tab changes)", theme.muted),
        ]),
        Line::default(),
        Line::styled(format!("  {shown}"), theme.text.patch(theme.selection)),
        Line::default(),
        Line::styled(
            "It goes into their next prompt and stands in the transcript.",
            theme.muted,
        ),
        Line::styled("Enter sends · Esc cancels", theme.muted),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + 2 + shown.width() as u16;
    frame.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y + 2,
    ));
}

pub fn draw_end(frame: &mut Frame, area: Rect, d: &crate::app::dialogs::EndDialog, theme: &Theme) {
    let rect = centered(area, 64, 7);
    frame.render_widget(Clear, rect);
    let block = dialog_block(" End the debate now? ", theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines = vec![
        Line::styled("Why (optional):", theme.text),
        Line::styled(
            format!("  {}", d.reason.text()),
            theme.text.patch(theme.selection),
        ),
        Line::default(),
        Line::styled(
            "Enter ends it (no more turns) · Esc keeps debating",
            theme.muted,
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The verdict against the ground truth, with its scores.
pub fn draw_result(frame: &mut Frame, area: Rect, app: &crate::app::App) {
    let theme = &app.theme;
    let (Some(scores), Some(truth), Some(v)) =
        (app.scores(), app.session.ground_truth, &app.session.verdict)
    else {
        return;
    };
    let rect = centered(area, 64, 12);
    frame.render_widget(Clear, rect);
    let block = dialog_block(" Result ", theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let (verdict_line, style) = if scores.correct {
        ("You were right.", theme.success)
    } else {
        ("You were wrong.", theme.error)
    };
    let lines = vec![
        Line::styled(verdict_line, style),
        Line::from(vec![
            Span::styled("The right answer: ", theme.text),
            Span::styled(
                format!("{truth} ({})", inert(app.session.positions.of(truth))),
                side_style(theme, truth),
            ),
        ]),
        Line::styled(
            format!("Your verdict: {} at {:.0}%", v.winner, v.confidence * 100.0),
            theme.text,
        ),
        Line::default(),
        Line::styled(
            format!("Log score  log2(p)        {:>8.3}", scores.log_score),
            theme.text,
        ),
        Line::styled(
            format!("Brier      (1-p)^2        {:>8.3}", scores.brier),
            theme.text,
        ),
        Line::styled(
            format!(
                "Turn-penalised ({} turns) {:>8.3}",
                scores.turns, scores.turn_penalised
            ),
            theme.text,
        ),
        Line::default(),
        Line::styled("Any key closes", theme.muted),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
