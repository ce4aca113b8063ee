//! `t`: tags (toggled with single keys) and a note, for a new annotation or one being edited.

use super::{DrawContext, Outcome, centered, frame_dialog, row};
use crate::app::widgets::TextArea;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// What an annotation is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationTarget {
    pub turn: Option<usize>,
    pub span: Option<crate::domain::Span>,
    pub node: Option<String>,
    /// A short description for the dialog's title ("turn 3", "a span of turn 3", "node B2").
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Tags,
    Note,
}

/// What a submitted tag dialog holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagInput {
    pub tags: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagDialog {
    pub target: AnnotationTarget,
    /// The annotation being edited, if any.
    pub editing: Option<u32>,
    pub tags: Vec<String>,
    pub chosen: Vec<bool>,
    note: TextArea,
    field: Field,
    /// Columns of the note field when last drawn area was computed (for moving up and down).
    note_width: u16,
}

/// The keys that toggle tags, in order.
pub const TAG_KEYS: &str = "123456789";
const WIDTH: u16 = 64;

impl TagDialog {
    pub fn new(target: AnnotationTarget, tags: &[String]) -> Self {
        TagDialog {
            target,
            editing: None,
            tags: tags.to_vec(),
            chosen: vec![false; tags.len()],
            note: TextArea::default(),
            field: Field::Tags,
            note_width: WIDTH - 6,
        }
    }

    /// A dialog for an existing annotation: its tags chosen (tags not in the set are kept).
    pub fn edit(
        target: AnnotationTarget,
        tags: &[String],
        id: u32,
        current: &[String],
        note: &str,
    ) -> Self {
        let mut all = tags.to_vec();
        for t in current {
            if !all.contains(t) {
                all.push(t.clone());
            }
        }
        let chosen = all.iter().map(|t| current.contains(t)).collect();
        TagDialog {
            editing: Some(id),
            tags: all,
            chosen,
            note: TextArea::with_text(note),
            ..TagDialog::new(target, &[])
        }
    }

    pub fn note_in_focus(&self) -> Option<&str> {
        (self.field == Field::Note).then(|| self.note.text())
    }

    pub fn set_note(&mut self, text: &str) {
        self.note.set_text(text.trim_end());
    }

    pub fn paste(&mut self, text: &str) {
        self.field = Field::Note;
        self.note.paste(text);
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Outcome<TagInput> {
        match key.code {
            KeyCode::Esc => return Outcome::Cancelled,
            KeyCode::Enter if key.modifiers.is_empty() => {
                let tags: Vec<String> = self
                    .tags
                    .iter()
                    .zip(&self.chosen)
                    .filter(|(_, c)| **c)
                    .map(|(t, _)| t.clone())
                    .collect();
                let note = self.note.text().trim().to_string();
                if tags.is_empty() && note.is_empty() {
                    return Outcome::Open;
                }
                return Outcome::Submitted(TagInput { tags, note });
            }
            KeyCode::Tab | KeyCode::BackTab => {
                self.field = match self.field {
                    Field::Tags => Field::Note,
                    Field::Note => Field::Tags,
                };
                return Outcome::Open;
            }
            _ => {}
        }
        match self.field {
            Field::Tags => {
                if let KeyCode::Char(c) = key.code
                    && let Some(i) = TAG_KEYS.find(c)
                    && let Some(chosen) = self.chosen.get_mut(i)
                {
                    *chosen = !*chosen;
                }
            }
            Field::Note => {
                self.note.handle(key, self.note_width);
            }
        }
        Outcome::Open
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        let theme = cx.theme;
        let tags = u16::try_from(self.tags.len()).unwrap_or(9);
        let rect = centered(area, WIDTH, tags + 11);
        let title = format!(" Annotate {} ", self.target.label);
        let inner = frame_dialog(frame, rect, &title, theme);
        let mut lines = Vec::new();
        for (i, (tag, chosen)) in self.tags.iter().zip(&self.chosen).enumerate() {
            let key = TAG_KEYS.chars().nth(i).unwrap_or(' ');
            let mark = if *chosen { "[x]" } else { "[ ]" };
            let style = if *chosen { theme.warning } else { theme.text };
            lines.push(Line::from(vec![
                Span::styled(format!(" {key} "), theme.key),
                Span::styled(format!("{mark} {tag}"), style),
            ]));
        }
        lines.push(Line::default());
        let marker = if self.field == Field::Note {
            "▶ "
        } else {
            "  "
        };
        lines.push(Line::from(vec![
            Span::styled(marker, theme.accent),
            Span::styled(
                "Note (Tab; Ctrl-E opens $EDITOR, Ctrl-J new line)",
                theme.text,
            ),
        ]));
        let used = u16::try_from(lines.len()).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(lines), inner);
        let note_area = Rect::new(
            inner.x + 2,
            inner.y.saturating_add(used),
            inner.width.saturating_sub(4),
            3.min(inner.height.saturating_sub(used)),
        );
        self.note
            .draw(frame, note_area, theme, self.field == Field::Note);
        let hint_y = used.saturating_add(4);
        if hint_y < inner.height {
            let hint = Line::styled("1-9 toggle tags · Enter saves · Esc cancels", theme.muted);
            let r = row(inner, hint_y);
            let rest = Rect::new(r.x, r.y, r.width, inner.height - hint_y);
            frame.render_widget(Paragraph::new(hint).wrap(Wrap { trim: true }), rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn tags_toggle_with_digits_and_need_a_tag_or_a_note() {
        let tags: Vec<String> = ["deceptive", "unsupported", "concession"]
            .map(String::from)
            .to_vec();
        let target = AnnotationTarget {
            turn: Some(1),
            span: None,
            node: None,
            label: "turn 2".into(),
        };
        let mut d = TagDialog::new(target.clone(), &tags);
        assert_eq!(
            d.handle(&key(KeyCode::Enter)),
            Outcome::Open,
            "nothing chosen yet"
        );
        d.handle(&key(KeyCode::Char('1')));
        d.handle(&key(KeyCode::Char('3')));
        d.handle(&key(KeyCode::Char('3')));
        d.handle(&key(KeyCode::Char('2')));
        d.handle(&key(KeyCode::Tab));
        for c in "misquotes TfL".chars() {
            d.handle(&key(KeyCode::Char(c)));
        }
        assert_eq!(
            d.handle(&key(KeyCode::Enter)),
            Outcome::Submitted(TagInput {
                tags: vec!["deceptive".into(), "unsupported".into()],
                note: "misquotes TfL".into()
            })
        );
        let d = TagDialog::edit(
            target,
            &tags,
            4,
            &["custom".into(), "concession".into()],
            "n",
        );
        assert_eq!(d.tags.len(), 4, "a tag outside the set is kept");
        assert_eq!(d.chosen, vec![false, false, true, true]);
    }
}
