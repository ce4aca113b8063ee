//! The start of a live debate: the question, both answers, the rounds and the protocol, with
//! the debaters that will argue (or why the demo plays, and the line that configures one).

use super::{DrawContext, Outcome, centered, frame_dialog, row};
use crate::app::widgets::LineInput;
use crate::domain::{Format, RoundKind, Session, Side};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Question,
    AnswerA,
    AnswerB,
    Rounds,
    Protocol,
}

const FIELDS: [Field; 5] = [
    Field::Question,
    Field::AnswerA,
    Field::AnswerB,
    Field::Rounds,
    Field::Protocol,
];

/// The protocols the dialog offers.
const PROTOCOLS: [(RoundKind, Format, &str); 3] = [
    (
        RoundKind::Sequential,
        Format::Debate,
        "debate, sequential rounds",
    ),
    (
        RoundKind::Simultaneous,
        Format::Debate,
        "debate, simultaneous rounds",
    ),
    (
        RoundKind::Sequential,
        Format::Consultancy,
        "consultancy (one debater)",
    ),
];

/// What the judge chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartInput {
    pub question: String,
    pub answer_a: String,
    pub answer_b: String,
    pub rounds: u32,
    pub kind: RoundKind,
    pub format: Format,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartDialog {
    question: LineInput,
    answer_a: LineInput,
    answer_b: LineInput,
    rounds: LineInput,
    protocol: usize,
    field: usize,
    error: Option<String>,
}

impl StartDialog {
    /// Prefilled from the session's setup.
    pub fn for_session(session: &Session) -> Self {
        let protocol = PROTOCOLS
            .iter()
            .position(|(k, f, _)| *k == session.protocol.kind && *f == session.protocol.format)
            .unwrap_or(0);
        StartDialog {
            question: LineInput::with_text(&session.question),
            answer_a: LineInput::with_text(&session.positions.a),
            answer_b: LineInput::with_text(&session.positions.b),
            rounds: LineInput::with_text(&session.protocol.rounds.to_string()),
            protocol,
            field: 0,
            error: None,
        }
    }

    fn input(&mut self) -> Option<&mut LineInput> {
        match FIELDS.get(self.field)? {
            Field::Question => Some(&mut self.question),
            Field::AnswerA => Some(&mut self.answer_a),
            Field::AnswerB => Some(&mut self.answer_b),
            Field::Rounds => Some(&mut self.rounds),
            Field::Protocol => None,
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(input) = self.input() {
            input.paste(text);
        }
    }

    fn submit(&mut self) -> Outcome<StartInput> {
        let question = self.question.text().trim().to_string();
        if question.is_empty() {
            self.field = 0;
            self.error = Some("The debate needs a question.".into());
            return Outcome::Open;
        }
        let (a, b) = (self.answer_a.text().trim(), self.answer_b.text().trim());
        if a.is_empty() || b.is_empty() || a == b {
            self.field = if a.is_empty() { 1 } else { 2 };
            self.error = Some("Give two different answers, one for each side.".into());
            return Outcome::Open;
        }
        let rounds = match self.rounds.text().trim().parse::<u32>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                self.field = 3;
                self.error = Some("Rounds: a number from 1 to 100.".into());
                return Outcome::Open;
            }
        };
        let (kind, format, _) = PROTOCOLS
            .get(self.protocol)
            .copied()
            .unwrap_or(PROTOCOLS[0]);
        Outcome::Submitted(StartInput {
            question,
            answer_a: a.to_string(),
            answer_b: b.to_string(),
            rounds,
            kind,
            format,
        })
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<StartInput> {
        match key.code {
            KeyCode::Esc => return Outcome::Cancelled,
            KeyCode::Enter => return self.submit(),
            KeyCode::Tab | KeyCode::Down => {
                self.field = (self.field + 1) % FIELDS.len();
                return Outcome::Open;
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.field = (self.field + FIELDS.len() - 1) % FIELDS.len();
                return Outcome::Open;
            }
            _ => {}
        }
        self.error = None;
        match FIELDS.get(self.field) {
            Some(Field::Protocol) => match key.code {
                KeyCode::Left | KeyCode::Char('h') => {
                    self.protocol = (self.protocol + PROTOCOLS.len() - 1) % PROTOCOLS.len();
                }
                KeyCode::Right | KeyCode::Char('l' | ' ') => {
                    self.protocol = (self.protocol + 1) % PROTOCOLS.len();
                }
                _ => {}
            },
            Some(Field::Rounds) => {
                let plain = !key
                    .modifiers
                    .contains(ratatui::crossterm::event::KeyModifiers::CONTROL);
                if plain && matches!(key.code, KeyCode::Char(c) if !c.is_ascii_digit()) {
                    return Outcome::Open;
                }
                self.rounds.handle(key);
            }
            _ => {
                if let Some(input) = self.input() {
                    input.handle(key);
                }
            }
        }
        Outcome::Open
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let notes = cx.debaters_note.len();
        let height = u16::try_from(notes + 16).unwrap_or(u16::MAX);
        let inner = frame_dialog(frame, centered(area, 80, height), " New debate ", theme);
        let mut y = 0u16;
        let text_row = |frame: &mut Frame, line: Line, y: &mut u16| {
            if *y < inner.height {
                frame.render_widget(Paragraph::new(line), row(inner, *y));
            }
            *y += 1;
        };
        text_row(frame, Line::styled("Debaters:", theme.text), &mut y);
        for note in cx.debaters_note {
            let note = crate::text::truncate_words(&format!("  {note}"), usize::from(inner.width));
            text_row(frame, Line::styled(note, theme.muted), &mut y);
        }
        y += 1;
        let labels = [
            ("Question", Field::Question),
            ("Answer A", Field::AnswerA),
            ("Answer B", Field::AnswerB),
            ("Rounds", Field::Rounds),
            ("Protocol", Field::Protocol),
        ];
        for (i, (label, field)) in labels.iter().enumerate() {
            if y >= inner.height {
                break;
            }
            let focused = self.field == i;
            let marker = if focused { "▶ " } else { "  " };
            let style = match field {
                Field::AnswerA => theme.side_a,
                Field::AnswerB => theme.side_b,
                _ => theme.text,
            };
            let line = Line::from(vec![
                Span::styled(marker, theme.accent),
                Span::styled(format!("{label:<10}"), style),
            ]);
            let r = row(inner, y);
            frame.render_widget(Paragraph::new(line), r);
            let field_area = Rect::new(r.x + 12, r.y, r.width.saturating_sub(12), 1);
            match field {
                Field::Question => self.question.draw(frame, field_area, theme, focused),
                Field::AnswerA => self.answer_a.draw(frame, field_area, theme, focused),
                Field::AnswerB => self.answer_b.draw(frame, field_area, theme, focused),
                Field::Rounds => self.rounds.draw(frame, field_area, theme, focused),
                Field::Protocol => {
                    let name = PROTOCOLS.get(self.protocol).map_or("", |p| p.2);
                    let shown = format!("◂ {name} ▸");
                    let style = if focused {
                        theme.text.patch(theme.selection)
                    } else {
                        theme.text
                    };
                    frame.render_widget(Paragraph::new(Span::styled(shown, style)), field_area);
                }
            }
            y += 2;
        }
        let mut hints = Vec::new();
        if let Some(e) = &self.error {
            hints.push(Line::styled(e.clone(), theme.error));
        }
        hints.push(Line::styled(
            "Tab next field · ←/→ protocol · Enter starts the debate · Esc quits",
            theme.muted,
        ));
        if y < inner.height {
            let rest = Rect::new(inner.x, inner.y + y, inner.width, inner.height - y);
            frame.render_widget(Paragraph::new(hints).wrap(Wrap { trim: true }), rest);
        }
    }
}

/// One line per side: who argues it (hidden when blind).
pub fn debater_lines(session: &Session, blind: bool) -> Vec<String> {
    Side::BOTH
        .iter()
        .filter_map(|&side| {
            let d = session.debater(side)?;
            let who = if blind {
                "hidden (blind judging)".to_string()
            } else {
                format!("{} ({} · {})", d.name, d.provider, d.model)
            };
            Some(crate::text::sanitize::inert(&format!("{side}: {who}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn session() -> Session {
        let script = crate::providers::scripted::script::DemoScript::bundled().unwrap();
        let mut s = Session::new(script.setup(), time::OffsetDateTime::UNIX_EPOCH);
        s.question = String::new();
        s
    }

    #[test]
    fn asks_for_a_question_and_two_answers() {
        let mut d = StartDialog::for_session(&session());
        assert_eq!(
            d.handle(&key(KeyCode::Enter)),
            Outcome::Open,
            "no question yet"
        );
        assert!(d.error.is_some());
        for c in "Is tea better than coffee?".chars() {
            d.handle(&key(KeyCode::Char(c)));
        }
        d.handle(&key(KeyCode::Tab));
        d.handle(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        for c in "Tea".chars() {
            d.handle(&key(KeyCode::Char(c)));
        }
        d.handle(&key(KeyCode::Tab));
        d.handle(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        for c in "Coffee".chars() {
            d.handle(&key(KeyCode::Char(c)));
        }
        d.handle(&key(KeyCode::Tab));
        d.handle(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        d.handle(&key(KeyCode::Char('x')));
        d.handle(&key(KeyCode::Char('2')));
        d.handle(&key(KeyCode::Tab));
        d.handle(&key(KeyCode::Right));
        let Outcome::Submitted(input) = d.handle(&key(KeyCode::Enter)) else {
            panic!("submitted");
        };
        assert_eq!(input.question, "Is tea better than coffee?");
        assert_eq!(
            (input.answer_a.as_str(), input.answer_b.as_str()),
            ("Tea", "Coffee")
        );
        assert_eq!(input.rounds, 2, "letters are not typed into the rounds");
        assert_eq!(input.kind, RoundKind::Simultaneous);
    }
}
