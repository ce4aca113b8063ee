//! The browser's small dialogs that ask before an action: where to fork, where to export.
//! Each takes keys and returns an [`Action`](super::Action) once the judge confirms.

use super::Action;
use crate::app::widgets::LineInput;
use crate::export::Format;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;

/// What a dialog did with a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Open,
    Cancelled,
    Done(Action),
}

/// "Fork after turn N": empty keeps every finished turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkDialog {
    pub file_name: String,
    pub path: PathBuf,
    pub input: LineInput,
    pub error: Option<String>,
}

impl ForkDialog {
    pub fn new(file_name: String, path: PathBuf) -> Self {
        ForkDialog {
            file_name,
            path,
            input: LineInput::default(),
            error: None,
        }
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Step {
        match key.code {
            KeyCode::Esc => return Step::Cancelled,
            KeyCode::Enter => {
                let text = self.input.text().trim();
                let after_turn = if text.is_empty() {
                    None
                } else {
                    match text.parse::<usize>() {
                        Ok(n) => Some(n),
                        Err(_) => {
                            self.error = Some("a turn number, or nothing for all turns".into());
                            return Step::Open;
                        }
                    }
                };
                return Step::Done(Action::Fork {
                    path: self.path.clone(),
                    after_turn,
                });
            }
            // Only digits are typed into the field; editing keys still work.
            KeyCode::Char(c)
                if !c.is_ascii_digit() && !key.modifiers.contains(KeyModifiers::CONTROL) => {}
            _ => {
                if self.input.handle(key) {
                    self.error = None;
                }
            }
        }
        Step::Open
    }
}

/// The formats in the order Tab offers them.
pub const FORMATS: [Format; 3] = [Format::Markdown, Format::Html, Format::Jsonl];

/// "Export as FORMAT to FILE": the file is relative to the directory agon was started in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDialog {
    pub file_name: String,
    pub path: PathBuf,
    pub format: Format,
    pub out: LineInput,
    pub error: Option<String>,
}

/// The export's default file name: the session's, with the format's extension.
pub fn default_out(file_name: &str, format: Format) -> String {
    let stem = file_name.strip_suffix(".json").unwrap_or(file_name);
    format!("{stem}.{}", format.extension())
}

impl ExportDialog {
    pub fn new(file_name: String, path: PathBuf) -> Self {
        let format = Format::Markdown;
        let out = LineInput::with_text(&default_out(&file_name, format));
        ExportDialog {
            file_name,
            path,
            format,
            out,
            error: None,
        }
    }

    /// The next format; the file name follows it unless the judge typed another.
    fn cycle(&mut self, forward: bool) {
        let i = FORMATS.iter().position(|&f| f == self.format).unwrap_or(0);
        let n = FORMATS.len();
        let next = FORMATS[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
        if self.out.text() == default_out(&self.file_name, self.format) {
            self.out.set_text(&default_out(&self.file_name, next));
        }
        self.format = next;
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Step {
        match key.code {
            KeyCode::Esc => Step::Cancelled,
            KeyCode::Tab => {
                self.cycle(true);
                Step::Open
            }
            KeyCode::BackTab => {
                self.cycle(false);
                Step::Open
            }
            KeyCode::Enter => {
                let out = self.out.text().trim();
                if out.is_empty() {
                    self.error = Some("type a file name".into());
                    return Step::Open;
                }
                Step::Done(Action::Export {
                    path: self.path.clone(),
                    format: self.format,
                    out: PathBuf::from(out),
                })
            }
            _ => {
                if self.out.handle(key) {
                    self.error = None;
                }
                Step::Open
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.out.paste(text);
        self.error = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn fork_takes_a_turn_number_or_nothing() {
        let mut d = ForkDialog::new("a.json".into(), "/s/a.json".into());
        for c in "x4y".chars() {
            d.handle(&key(KeyCode::Char(c)));
        }
        assert_eq!(d.input.text(), "4", "only digits are typed");
        assert_eq!(
            d.handle(&key(KeyCode::Enter)),
            Step::Done(Action::Fork {
                path: "/s/a.json".into(),
                after_turn: Some(4)
            })
        );
        let mut d = ForkDialog::new("a.json".into(), "/s/a.json".into());
        assert_eq!(
            d.handle(&key(KeyCode::Enter)),
            Step::Done(Action::Fork {
                path: "/s/a.json".into(),
                after_turn: None
            }),
            "nothing typed keeps every finished turn"
        );
        assert_eq!(d.handle(&key(KeyCode::Esc)), Step::Cancelled);
    }

    #[test]
    fn export_names_follow_the_format_until_the_judge_types_one() {
        let mut d = ExportDialog::new("2026_q.json".into(), "/s/2026_q.json".into());
        assert_eq!(d.out.text(), "2026_q.md");
        d.handle(&key(KeyCode::Tab));
        assert_eq!((d.format, d.out.text()), (Format::Html, "2026_q.html"));
        d.handle(&key(KeyCode::BackTab));
        d.handle(&key(KeyCode::BackTab));
        assert_eq!((d.format, d.out.text()), (Format::Jsonl, "2026_q.jsonl"));
        d.handle(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(d.handle(&key(KeyCode::Enter)), Step::Open, "no name");
        assert!(d.error.is_some());
        d.paste("out/judged.jsonl");
        d.handle(&key(KeyCode::Tab));
        assert_eq!(d.out.text(), "out/judged.jsonl", "a typed name stays");
        assert_eq!(
            d.handle(&key(KeyCode::Enter)),
            Step::Done(Action::Export {
                path: "/s/2026_q.json".into(),
                format: Format::Markdown,
                out: "out/judged.jsonl".into()
            })
        );
    }
}
