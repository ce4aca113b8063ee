//! `v`, `w`, `D`: a winner, a confidence of 50-100% and a rationale: the debate's verdict, a
//! ruling on one node, or the debate decided by one crux.

use super::{DrawContext, Outcome, centered, frame_dialog, row};
use crate::app::widgets::{PercentField, TextArea};
use crate::domain::Side;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Winner,
    Confidence,
    Rationale,
}

impl Field {
    fn next(self) -> Self {
        match self {
            Field::Winner => Field::Confidence,
            Field::Confidence => Field::Rationale,
            Field::Rationale => Field::Winner,
        }
    }

    fn prev(self) -> Self {
        self.next().next()
    }
}

/// What a submitted dialog holds.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictInput {
    pub winner: Side,
    pub confidence: f64,
    pub rationale: String,
}

/// What the dialog decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerdictPurpose {
    /// The debate's verdict.
    Debate,
    /// A ruling on one node.
    Node(String),
    /// The debate, settled by one crux: its winner wins the debate.
    DecideBy(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictDialog {
    pub purpose: VerdictPurpose,
    /// `None` until the judge picks a side: nothing is preset, so nothing anchors them.
    pub winner: Option<Side>,
    pub confidence: PercentField,
    rationale: TextArea,
    field: Field,
}

const WIDTH: u16 = 72;

impl VerdictDialog {
    /// A dialog for `purpose`. With `p_a` (the judge's credence, or the crux's ruling), it
    /// starts from the side that favours, at that strength; without, it starts undecided.
    pub fn new(purpose: VerdictPurpose, p_a: Option<f64>) -> Self {
        let (winner, conf) = match p_a {
            Some(p) if p > 0.5 => (Some(Side::A), p),
            Some(p) if p < 0.5 => (Some(Side::B), 1.0 - p),
            _ => (None, 0.5),
        };
        VerdictDialog {
            purpose,
            winner,
            confidence: PercentField::new((conf * 100.0).round() as u8, 50, 100),
            rationale: TextArea::default(),
            field: Field::Winner,
        }
    }

    pub fn rationale_in_focus(&self) -> Option<&str> {
        (self.field == Field::Rationale).then(|| self.rationale.text())
    }

    pub fn set_rationale(&mut self, text: &str) {
        self.rationale.set_text(text.trim_end());
    }

    pub fn paste(&mut self, text: &str) {
        self.field = Field::Rationale;
        self.rationale.paste(text);
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<VerdictInput> {
        match key.code {
            KeyCode::Esc => return Outcome::Cancelled,
            KeyCode::Enter if !key.modifiers.contains(KeyModifiers::ALT) => {
                let Some(winner) = self.winner else {
                    self.field = Field::Winner;
                    return Outcome::Open;
                };
                return Outcome::Submitted(VerdictInput {
                    winner,
                    confidence: self.confidence.fraction(),
                    rationale: self.rationale.text().trim().to_string(),
                });
            }
            KeyCode::Tab => {
                self.field = self.field.next();
                return Outcome::Open;
            }
            KeyCode::BackTab => {
                self.field = self.field.prev();
                return Outcome::Open;
            }
            _ => {}
        }
        match self.field {
            Field::Winner => match key.code {
                KeyCode::Char('a' | 'A') => self.winner = Some(Side::A),
                KeyCode::Char('b' | 'B') => self.winner = Some(Side::B),
                KeyCode::Left | KeyCode::Up | KeyCode::Char('h' | 'k') => {
                    self.winner = Some(Side::A)
                }
                KeyCode::Right | KeyCode::Down | KeyCode::Char('l' | 'j') => {
                    self.winner = Some(Side::B)
                }
                KeyCode::Char(' ') => {
                    self.winner = Some(self.winner.map_or(Side::A, Side::other));
                }
                _ => {}
            },
            Field::Confidence => {
                self.confidence.handle(key);
            }
            Field::Rationale => {
                self.rationale.handle(key, WIDTH - 6);
            }
        }
        Outcome::Open
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let title = match &self.purpose {
            VerdictPurpose::Debate => " Verdict ".to_string(),
            VerdictPurpose::Node(id) => format!(" Who wins {id}? "),
            VerdictPurpose::DecideBy(id) => format!(" Verdict decided by crux {id} "),
        };
        let inner = frame_dialog(frame, centered(area, WIDTH, 17), &title, theme);
        let marker = |f: Field| {
            if self.field == f {
                Span::styled("▶ ", theme.accent)
            } else {
                Span::raw("  ")
            }
        };
        let choice = |side: Side| {
            let name = cx.redactor.debater_name(cx.session, side);
            let label = format!(" {side} {name} ");
            let style = match side {
                Side::A => theme.side_a,
                Side::B => theme.side_b,
            };
            if self.winner == Some(side) {
                Span::styled(format!("[{label}]"), style.patch(theme.selection))
            } else {
                Span::styled(format!(" {label} "), theme.muted)
            }
        };
        let width = usize::from(inner.width.saturating_sub(14));
        let position = match self.winner {
            Some(side) => crate::text::wrap::truncate_words(
                &cx.redactor.chrome(cx.session.positions.of(side)),
                width,
            ),
            None => "choose a side: a or b".to_string(),
        };
        let mut confidence = vec![
            marker(Field::Confidence),
            Span::styled("Confidence  ", theme.text),
        ];
        confidence.extend(self.confidence.bar(24, theme.accent, theme.muted));
        let lines = vec![
            Line::from(vec![
                marker(Field::Winner),
                Span::styled("Winner      ", theme.text),
                choice(Side::A),
                Span::raw(" "),
                choice(Side::B),
            ]),
            Line::styled(format!("              {position}"), theme.muted),
            Line::default(),
            Line::from(confidence),
            Line::default(),
            Line::from(vec![
                marker(Field::Rationale),
                Span::styled("Rationale (Ctrl-J new line, Ctrl-E $EDITOR)", theme.text),
            ]),
        ];
        frame.render_widget(Paragraph::new(lines), inner);
        let field = row(inner, 6);
        let rationale = Rect::new(
            field.x + 2,
            field.y,
            field.width.saturating_sub(4),
            4.min(inner.height.saturating_sub(6)),
        );
        self.rationale
            .draw(frame, rationale, theme, self.field == Field::Rationale);
        let hints = vec![
            Line::styled(
                "Tab next field · a/b winner · digits or ←/→ confidence",
                theme.muted,
            ),
            Line::styled(
                match &self.purpose {
                    VerdictPurpose::Debate => "Enter records the verdict · Esc cancels",
                    VerdictPurpose::Node(_) => {
                        "Enter records the ruling on this node · Esc cancels"
                    }
                    VerdictPurpose::DecideBy(_) => {
                        "The crux's winner wins the debate · Enter records · Esc cancels"
                    }
                },
                theme.muted,
            ),
        ];
        if inner.height > 11 {
            let rest = Rect::new(inner.x, inner.y + 11, inner.width, inner.height - 11);
            frame.render_widget(Paragraph::new(hints).wrap(Wrap { trim: true }), rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(d: &mut VerdictDialog, s: &str) {
        for c in s.chars() {
            d.handle(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn walks_its_fields() {
        let mut d = VerdictDialog::new(VerdictPurpose::Debate, Some(0.3));
        assert_eq!(d.winner, Some(Side::B));
        assert_eq!(d.confidence.value, 70);
        d.handle(&key(KeyCode::Char('a')));
        d.handle(&key(KeyCode::Tab));
        typed(&mut d, "85");
        d.handle(&key(KeyCode::Tab));
        typed(&mut d, "Traffic data held up; a b");
        d.handle(&key(KeyCode::Backspace));
        assert_eq!(
            d.handle(&key(KeyCode::Enter)),
            Outcome::Submitted(VerdictInput {
                winner: Side::A,
                confidence: 0.85,
                rationale: "Traffic data held up; a".into()
            })
        );
    }

    #[test]
    fn opens_neutral_without_a_credence_and_needs_a_side() {
        let mut d = VerdictDialog::new(VerdictPurpose::Node("B2".into()), None);
        assert_eq!(d.winner, None);
        assert_eq!(d.confidence.value, 50);
        assert_eq!(d.handle(&key(KeyCode::Enter)), Outcome::Open);
        d.handle(&key(KeyCode::Char('b')));
        assert!(
            matches!(d.handle(&key(KeyCode::Enter)), Outcome::Submitted(v) if v.winner == Side::B)
        );
    }

    #[test]
    fn confidence_never_drops_below_half() {
        let mut d = VerdictDialog::new(VerdictPurpose::Debate, None);
        d.handle(&key(KeyCode::Tab));
        typed(&mut d, "3");
        assert_eq!(d.confidence.value, 50);
    }
}
