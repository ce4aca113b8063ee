//! The status bar (state, round, progress, credence, save state) and the key-hint line.

use crate::app::{App, Level};
use crate::domain::{ROOT_ID, Session};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];

/// Running totals over finished turns, so a frame does not recount the whole debate.
#[derive(Debug, Default)]
pub struct Tally {
    counted: usize,
    words: usize,
    tokens: u64,
    cost: f64,
}

/// Totals over the whole session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Totals {
    pub words: usize,
    pub tokens: u64,
    pub cost: f64,
}

impl Tally {
    /// Words, output tokens and cost so far, streaming turn included.
    pub fn totals(&mut self, session: &Session) -> Totals {
        if self.counted > session.turns().len() {
            *self = Tally::default();
        }
        while let Some(t) = session.turns().get(self.counted) {
            if !t.status.is_finished() {
                break;
            }
            self.words += t.word_count();
            self.tokens += t.stats.output_tokens.unwrap_or(0);
            self.cost += t.stats.cost_usd.unwrap_or(0.0);
            self.counted += 1;
        }
        let live = &session.turns()[self.counted..];
        Totals {
            words: self.words + live.iter().map(|t| t.word_count()).sum::<usize>(),
            tokens: self.tokens
                + live
                    .iter()
                    .filter_map(|t| t.stats.output_tokens)
                    .sum::<u64>(),
            cost: self.cost,
        }
    }
}

pub fn draw_status(frame: &mut Frame, area: Rect, app: &mut App) {
    let Totals {
        words,
        tokens,
        cost,
    } = app.tally.totals(&app.session);
    let theme = &app.theme;
    let s = &app.session;
    let bar = theme.status_bar;
    let mut left: Vec<Span> = Vec::new();

    let state = if let Some(turn) = s.streaming_turn() {
        let t = &s.turns()[turn];
        let sp = SPINNER[app.spinner % SPINNER.len()];
        let pause = if app.paused { " (pausing)" } else { "" };
        format!(" {sp} {} speaking{pause} ", t.side)
    } else if app.is_finished() {
        if !app.is_live() {
            " ■ replay ended ".to_string()
        } else if app.current_scope() != ROOT_ID {
            " ■ drill over ".to_string()
        } else {
            " ■ finished ".to_string()
        }
    } else if app.paused {
        " ‖ paused ".to_string()
    } else {
        " … ".to_string()
    };
    left.push(Span::styled(state, bar.patch(theme.accent)));

    let scope = app.current_scope();
    let round = s
        .turns()
        .iter()
        .rev()
        .find(|t| t.scope == scope)
        .map_or(0, |t| t.round);
    let label = if scope == ROOT_ID {
        format!("│ round {round}/{} ", s.protocol.rounds)
    } else {
        let rounds = s.drill_rounds(scope).unwrap_or(0);
        format!("│ drill {scope} round {round}/{rounds} ")
    };
    left.push(Span::styled(label, bar));
    let mut progress = format!("│ {} turns · {words} words", s.turns().len());
    if tokens > 0 {
        progress.push_str(&format!(" · {tokens} tok"));
    }
    if cost > 0.0 {
        progress.push_str(&format!(" · ${cost:.4}"));
    }
    if let (Some(rate), Some(_)) = (app.stream_rate, s.streaming_turn()) {
        progress.push_str(&format!(" · {rate:.0} tok/s"));
    }
    left.push(Span::styled(progress + " ", bar));
    if let Some(p) = s.credence(ROOT_ID) {
        left.push(Span::styled(format!("│ P(A) {:.0}% ", p * 100.0), bar));
    }
    if let Some(v) = &s.verdict {
        left.push(Span::styled(
            format!("│ verdict {} {:.0}% ", v.winner, v.confidence * 100.0),
            bar.patch(theme.success),
        ));
    }
    if let Some(sc) = app.scores() {
        let (mark, style) = if sc.correct {
            ("✓ right", theme.success)
        } else {
            ("✗ wrong", theme.error)
        };
        left.push(Span::styled(
            format!(
                "│ {mark} · log {:.2} · Brier {:.2} ",
                sc.log_score, sc.brier
            ),
            bar.patch(style),
        ));
    }
    if let Some(reason) = &app.read_only {
        left.push(Span::styled(
            format!("│ read-only: {reason} "),
            bar.patch(theme.warning),
        ));
    }

    let right = save_label(app);
    let right_style = if app.save.error.is_some() {
        bar.patch(theme.error)
    } else {
        bar.patch(theme.muted)
    };
    let left = Line::from(left);
    let left_width = left.width() as u16;
    let buf = frame.buffer_mut();
    buf.set_style(area, bar);
    buf.set_line(area.x, area.y, &left, area.width);
    let w = right.width() as u16;
    if left_width + w < area.width {
        buf.set_string(area.right() - w, area.y, &right, right_style);
    }
}

fn save_label(app: &App) -> String {
    if let Some(e) = &app.save.error {
        return format!(" save failed: {e} ");
    }
    match &app.session_path {
        Some(path) if app.read_only.is_none() => {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let state = if app.save.in_flight > 0 {
                "saving"
            } else if app.save.saved_once {
                "saved"
            } else {
                "not saved yet"
            };
            format!(" {state}: {name} ")
        }
        Some(path) => format!(
            " {} ",
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ),
        None => String::new(),
    }
}

pub fn draw_hints(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let line = if let Some(n) = &app.notice {
        let style = match n.level {
            Level::Info => theme.text,
            Level::Warning => theme.warning,
            Level::Error => theme.error,
        };
        Line::from(Span::styled(format!(" {}", n.text), style))
    } else {
        let pause = if app.paused { "resume" } else { "pause" };
        use crate::app::keys::Action;
        let hints = [
            (Action::TogglePause, pause),
            (Action::Step, "step"),
            (Action::Credence, "credence"),
            (Action::Verdict, "verdict"),
            (Action::FocusNext, "focus"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ];
        let mut spans = vec![Span::raw(" ")];
        for (action, what) in hints {
            // The keys in force, so a remapped key is what the hint shows.
            spans.push(Span::styled(app.keymap.hint(action), theme.key));
            spans.push(Span::styled(format!(" {what}  "), theme.muted));
        }
        Line::from(spans)
    };
    frame
        .buffer_mut()
        .set_line(area.x, area.y, &line, area.width);
}
