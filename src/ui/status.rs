//! The status bar (state, round, progress, credence, save state) and the hint line (the
//! latest notice, or the keys). A failed save takes the front of both, at any width, until a
//! save succeeds.

use super::transcript::seconds;
use crate::app::bindings::Action;
use crate::app::{App, Level};
use crate::domain::{ROOT_ID, TurnStatus};
use crate::engine::Activity;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use time::OffsetDateTime;
use unicode_width::UnicodeWidthStr;

const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];

/// How much a part of the status bar matters: on a narrow terminal the least important go
/// first, so what is left is whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Weight {
    /// A failed save: never dropped.
    Alarm,
    State,
    Credence,
    Verdict,
    Score,
    ReadOnly,
    Round,
    Progress,
}

pub fn draw_status(frame: &mut Frame, area: Rect, app: &App, now: OffsetDateTime) {
    let theme = app.theme();
    let s = app.session();
    let bar = theme.status_bar;
    let mut parts: Vec<(Weight, Span)> = Vec::new();
    let saving = app.engine.saving();
    if saving.is_failing() {
        parts.push((
            Weight::Alarm,
            Span::styled(" ✗ NOT SAVED ", bar.patch(theme.error)),
        ));
    }
    parts.push((
        Weight::State,
        Span::styled(state_label(app, now), bar.patch(theme.accent)),
    ));

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
    parts.push((Weight::Round, Span::styled(label, bar)));
    let totals = s.totals();
    let (words, tokens, cost) = (totals.words, totals.output_tokens, totals.cost_usd);
    let mut progress = format!("│ {} turns · {words} words", s.turns().len());
    if tokens > 0 {
        progress.push_str(&format!(" · {tokens} tok"));
    }
    if cost > 0.0 {
        progress.push_str(&format!(" · ${cost:.4}"));
    }
    if let Some(rate) = words_per_second(app, now) {
        progress.push_str(&format!(" · {rate:.0} words/s"));
    }
    parts.push((Weight::Progress, Span::styled(progress + " ", bar)));
    if let Some(p) = s.credence(ROOT_ID) {
        parts.push((
            Weight::Credence,
            Span::styled(format!("│ P(A) {:.0}% ", p * 100.0), bar),
        ));
    }
    // Which question of a set, the cost of going on, the shadow judge: kept beside the credence.
    parts.extend(
        super::study::status_spans(app, bar)
            .into_iter()
            .map(|span| (Weight::Credence, span)),
    );
    if let Some(v) = &s.verdict {
        parts.push((
            Weight::Verdict,
            Span::styled(
                format!("│ verdict {} {:.0}% ", v.winner, v.confidence * 100.0),
                bar.patch(theme.success),
            ),
        ));
    }
    if let Some(sc) = app.scores() {
        let (mark, style) = if sc.correct {
            ("✓ right", theme.success)
        } else {
            ("✗ wrong", theme.error)
        };
        parts.push((
            Weight::Score,
            Span::styled(
                format!(
                    "│ {mark} · log {:.2} · Brier {:.2} ",
                    sc.log_score, sc.brier
                ),
                bar.patch(style),
            ),
        ));
    }
    if let Some(reason) = &app.settings.read_only {
        parts.push((
            Weight::ReadOnly,
            Span::styled(
                format!("│ read-only: {} ", app.redactor().chrome(reason)),
                bar.patch(theme.warning),
            ),
        ));
    }
    let left = Line::from(fit(parts, usize::from(area.width)));

    let right = save_label(app);
    let right_style = if saving.is_failing() {
        bar.patch(theme.error)
    } else {
        bar.patch(theme.muted)
    };
    let left_width = left.width();
    let buf = frame.buffer_mut();
    buf.set_style(area, bar);
    buf.set_line(area.x, area.y, &left, area.width);
    let w = right.width();
    if left_width + w < usize::from(area.width)
        && let Ok(w) = u16::try_from(w)
    {
        buf.set_string(area.right() - w, area.y, &right, right_style);
    }
}

/// The parts that fit in `width`, in their order: the least important are dropped first, and
/// the last one left is cut with `…` if even it does not fit.
fn fit(mut parts: Vec<(Weight, Span<'static>)>, width: usize) -> Vec<Span<'static>> {
    let total = |parts: &[(Weight, Span)]| parts.iter().map(|(_, s)| s.width()).sum::<usize>();
    while total(&parts) > width && parts.len() > 1 {
        let Some(lightest) = parts
            .iter()
            .enumerate()
            .filter(|(_, (w, _))| *w != Weight::Alarm)
            .max_by_key(|(_, (w, _))| *w)
            .map(|(i, _)| i)
        else {
            break;
        };
        parts.remove(lightest);
    }
    let mut room = width;
    parts
        .into_iter()
        .map(|(_, mut span)| {
            if span.width() > room {
                span.content = crate::text::truncate_words(&span.content, room).into();
            }
            room = room.saturating_sub(span.width());
            span
        })
        .collect()
}

/// What the debate is doing now.
fn state_label(app: &App, now: OffsetDateTime) -> String {
    let s = app.session();
    let sp = SPINNER[app.spinner % SPINNER.len()];
    let pause = if app.engine.is_paused() {
        " (pausing)"
    } else {
        ""
    };
    for a in app.engine.activity() {
        match a {
            Activity::RetryDue { retry, at, .. } => {
                return format!(" {sp} retry {retry} in {} ", seconds(at - now));
            }
            Activity::WaitingForFirstToken { turn, since } => {
                let side = s.turn(turn).map_or('?', |t| t.side.letter());
                return format!(
                    " {sp} {side}: waiting for the first token · {}{pause} ",
                    seconds(now - since)
                );
            }
            Activity::ReadingClaims { turn, .. } => {
                let side = s.turn(turn).map_or('?', |t| t.side.letter());
                return format!(" {sp} {side}: reading claims…{pause} ");
            }
            Activity::Streaming { .. } => {}
        }
    }
    let streaming = s.streaming_turns();
    if !streaming.is_empty() {
        let sides: Vec<String> = streaming
            .iter()
            .filter_map(|&t| s.turn(t))
            .map(|t| t.side.to_string())
            .collect();
        let who = sides.join(" and ");
        return format!(" {sp} {who} speaking{pause} ");
    }
    if app.engine.is_finished() {
        return if !app.engine.is_live() {
            " ■ replay ended ".to_string()
        } else if app.current_scope() != ROOT_ID {
            " ■ drill over ".to_string()
        } else {
            " ■ finished ".to_string()
        };
    }
    if s.unresolved_turn()
        .is_some_and(|t| s.turn(t).is_some_and(|t| t.status == TurnStatus::Failed))
    {
        return " ✗ turn failed ".to_string();
    }
    if app.engine.is_paused() {
        " ‖ paused ".to_string()
    } else {
        " … ".to_string()
    }
}

/// Words per second of the turn streaming now, from its first word.
fn words_per_second(app: &App, now: OffsetDateTime) -> Option<f64> {
    app.engine.activity().into_iter().find_map(|a| match a {
        Activity::Streaming {
            turn,
            first_token_at,
        } => {
            let secs = (now - first_token_at).as_seconds_f64();
            let words = app.session().turn(turn)?.word_count();
            (secs > 1.0).then(|| words as f64 / secs)
        }
        _ => None,
    })
}

fn save_label(app: &App) -> String {
    let saving = app.engine.saving();
    if saving.is_failing() {
        return " not saved ".to_string();
    }
    match saving.path() {
        Some(path) if app.settings.read_only.is_none() => {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let state = if saving.in_flight() > 0 {
                "saving"
            } else if saving.saved_once() {
                "saved"
            } else {
                "not saved yet"
            };
            format!(" {state}: {} ", app.redactor().chrome(&name))
        }
        Some(path) => format!(
            " {} ",
            path.file_name()
                .map_or_else(String::new, |n| app.redactor().chrome(&n.to_string_lossy()))
        ),
        None => String::new(),
    }
}

pub fn draw_hints(frame: &mut Frame, area: Rect, app: &App) {
    let theme = app.theme();
    let line = if let Some(e) = app.engine.saving().error() {
        Line::from(vec![
            Span::styled(" ✗ Not saved: ", theme.error),
            Span::styled(
                format!(
                    "{}. Your work is only in memory until a save succeeds.",
                    app.redactor().chrome(e).trim_end_matches('.')
                ),
                theme.error,
            ),
        ])
    } else if let Some(n) = &app.notice {
        let style: Style = match n.level {
            Level::Info => theme.text,
            Level::Warning => theme.warning,
            Level::Error => theme.error,
        };
        let room = usize::from(area.width).saturating_sub(1);
        Line::from(Span::styled(
            format!(" {}", crate::text::truncate_words(&n.text, room)),
            style,
        ))
    } else if let Some(line) = super::search::hint_line(app) {
        line
    } else {
        let pause = if app.engine.is_paused() {
            "resume"
        } else {
            "pause"
        };
        let hints = [
            (Action::TogglePause, pause),
            (Action::Step, "step"),
            (Action::Credence, "credence"),
            (Action::Verdict, "verdict"),
            (Action::FocusNext, "focus"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ];
        // The keys in force, so a remapped key is what the hint shows; as many as fit, and
        // always help and quit, the way to find the rest.
        let hints: Vec<(String, &str)> = hints
            .iter()
            .map(|&(action, what)| (app.settings.keymap.hint(action), what))
            .collect();
        let width = |(key, what): &(String, &str)| key.width() + what.width() + 3;
        let (optional, always) = hints.split_at(hints.len().saturating_sub(2));
        let mut room =
            usize::from(area.width).saturating_sub(1 + always.iter().map(width).sum::<usize>());
        let mut spans = vec![Span::raw(" ")];
        let mut push = |(key, what): &(String, &str)| {
            spans.push(Span::styled(key.clone(), theme.key));
            spans.push(Span::styled(format!(" {what}  "), theme.muted));
        };
        for hint in optional {
            if width(hint) > room {
                break;
            }
            room -= width(hint);
            push(hint);
        }
        always.iter().for_each(push);
        Line::from(spans)
    };
    frame
        .buffer_mut()
        .set_line(area.x, area.y, &line, area.width);
}
