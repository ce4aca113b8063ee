//! The judge's dialogs and their key handling. Pure state: drawing lives in `ui::dialogs`.

use crate::domain::Side;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a dialog did with a key.
#[derive(Debug, Clone, PartialEq)]
pub enum DialogResult<T> {
    /// Still open.
    Open,
    Cancelled,
    Submitted(T),
}

/// A one-line text field with a cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
}

impl TextInput {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// Handles editing keys; returns false for keys it does not use.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.text.drain(..at);
                self.cursor = 0;
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.text.chars().count(),
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Delete if self.cursor < self.text.chars().count() => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.text.chars().count()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.chars().count(),
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    /// Replaces the whole text (e.g. with what the judge wrote in `$EDITOR`).
    pub fn set_text(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.text.chars().count();
    }

    /// Inserts a line break (for multi-line fields such as the verdict's rationale).
    pub fn insert_newline(&mut self) {
        let at = self.byte_at(self.cursor);
        self.text.insert(at, '\n');
        self.cursor += 1;
    }

    /// Pasted text arrives as one string; newlines become spaces in a one-line field.
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            let c = if c.is_control() { ' ' } else { c };
            let at = self.byte_at(self.cursor);
            self.text.insert(at, c);
            self.cursor += 1;
        }
    }
}

/// A percentage picked with arrows (1 and 5 point steps) or typed as digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PercentField {
    pub value: u8,
    pub min: u8,
    pub max: u8,
    /// Digits typed since the field took focus; typing replaces the value.
    typed: String,
}

impl PercentField {
    pub fn new(value: u8, min: u8, max: u8) -> Self {
        PercentField {
            value: value.clamp(min, max),
            min,
            max,
            typed: String::new(),
        }
    }

    fn nudge(&mut self, delta: i16) {
        self.typed.clear();
        let v = (self.value as i16 + delta).clamp(self.min as i16, self.max as i16);
        self.value = v as u8;
    }

    /// Handles a key; returns false for keys it does not use.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Left | KeyCode::Char('h') | KeyCode::Char('-') => self.nudge(-1),
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Char('+') | KeyCode::Char('=') => {
                self.nudge(1)
            }
            KeyCode::Down | KeyCode::Char('j') | KeyCode::PageDown => self.nudge(-5),
            KeyCode::Up | KeyCode::Char('k') | KeyCode::PageUp => self.nudge(5),
            KeyCode::Char(d) if d.is_ascii_digit() => {
                if self.typed.len() >= 3 {
                    self.typed.clear();
                }
                self.typed.push(d);
                let typed: u16 = self.typed.parse().unwrap_or(0);
                // While typing, a value below the minimum may be the start of a valid one.
                self.value = typed.clamp(self.min as u16, self.max as u16) as u8;
            }
            KeyCode::Backspace => {
                self.typed.pop();
                if let Ok(v) = self.typed.parse::<u16>() {
                    self.value = v.clamp(self.min as u16, self.max as u16) as u8;
                }
            }
            _ => return false,
        }
        true
    }

    pub fn fraction(&self) -> f64 {
        f64::from(self.value) / 100.0
    }
}

/// What a one-line text dialog is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPurpose {
    /// A sub-question of the judge's, under this node.
    AddQuestion { parent: String },
    /// New text for this node.
    EditNode { node: String },
    /// In a replay: the number of the turn to go to.
    GoToTurn,
}

/// A titled one-line text field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDialog {
    pub purpose: TextPurpose,
    pub input: TextInput,
}

impl TextDialog {
    pub fn new(purpose: TextPurpose, initial: &str) -> Self {
        let mut input = TextInput::default();
        input.insert_str(initial);
        TextDialog { purpose, input }
    }

    pub fn title(&self) -> String {
        match &self.purpose {
            TextPurpose::AddQuestion { parent } => format!(" New sub-question under {parent} "),
            TextPurpose::EditNode { node } => format!(" Edit {node} "),
            TextPurpose::GoToTurn => " Go to turn (0 is the start) ".to_string(),
        }
    }

    pub fn handle(&mut self, key: &KeyEvent) -> DialogResult<String> {
        match key.code {
            KeyCode::Esc => DialogResult::Cancelled,
            KeyCode::Enter if !self.input.text().trim().is_empty() => {
                DialogResult::Submitted(self.input.text().trim().to_string())
            }
            _ => {
                self.input.handle(key);
                DialogResult::Open
            }
        }
    }
}

/// Asks for the question when a live debate starts without `--question`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartDialog {
    pub question: TextInput,
}

impl StartDialog {
    pub fn handle(&mut self, key: &KeyEvent) -> DialogResult<String> {
        match key.code {
            KeyCode::Esc => DialogResult::Cancelled,
            KeyCode::Enter => {
                let q = self.question.text().trim();
                if q.is_empty() {
                    DialogResult::Open
                } else {
                    DialogResult::Submitted(q.to_string())
                }
            }
            _ => {
                self.question.handle(key);
                DialogResult::Open
            }
        }
    }
}

/// Sets P(side A is right) on the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredenceDialog {
    pub percent: PercentField,
}

impl CredenceDialog {
    pub fn new(current: Option<f64>) -> Self {
        let value = current.map_or(50, |p| (p * 100.0).round() as u8);
        CredenceDialog {
            percent: PercentField::new(value, 0, 100),
        }
    }

    pub fn handle(&mut self, key: &KeyEvent) -> DialogResult<f64> {
        match key.code {
            KeyCode::Esc => DialogResult::Cancelled,
            KeyCode::Enter => DialogResult::Submitted(self.percent.fraction()),
            KeyCode::Char('a') => {
                self.percent = PercentField::new(100, 0, 100);
                DialogResult::Open
            }
            KeyCode::Char('b') => {
                self.percent = PercentField::new(0, 0, 100);
                DialogResult::Open
            }
            _ => {
                self.percent.handle(key);
                DialogResult::Open
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictField {
    Winner,
    Confidence,
    Rationale,
}

impl VerdictField {
    fn next(self) -> Self {
        match self {
            VerdictField::Winner => VerdictField::Confidence,
            VerdictField::Confidence => VerdictField::Rationale,
            VerdictField::Rationale => VerdictField::Winner,
        }
    }

    fn prev(self) -> Self {
        self.next().next()
    }
}

/// What a submitted verdict dialog holds.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictInput {
    pub winner: Side,
    pub confidence: f64,
    pub rationale: String,
}

/// What a winner/confidence/rationale dialog decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerdictPurpose {
    /// The debate's verdict.
    Debate,
    /// A ruling on one node.
    Node(String),
    /// The debate, settled by one crux: its winner wins the debate.
    DecideBy(String),
}

/// The verdict (or a node ruling): winner, confidence 50-100%, and a rationale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictDialog {
    pub purpose: VerdictPurpose,
    pub winner: Side,
    pub confidence: PercentField,
    pub rationale: TextInput,
    pub field: VerdictField,
}

impl VerdictDialog {
    /// Starts from the judge's credence when there is one: the side it favours, at that strength.
    pub fn new(credence_a: Option<f64>) -> Self {
        let p = credence_a.unwrap_or(0.5);
        let (winner, conf) = if p >= 0.5 {
            (Side::A, p)
        } else {
            (Side::B, 1.0 - p)
        };
        VerdictDialog {
            purpose: VerdictPurpose::Debate,
            winner,
            confidence: PercentField::new((conf * 100.0).round() as u8, 50, 100),
            rationale: TextInput::default(),
            field: VerdictField::Winner,
        }
    }

    /// A dialog for another purpose, starting from P(A) = `p_a`.
    pub fn with_purpose(purpose: VerdictPurpose, p_a: Option<f64>) -> Self {
        VerdictDialog {
            purpose,
            ..Self::new(p_a)
        }
    }

    pub fn handle(&mut self, key: &KeyEvent) -> DialogResult<VerdictInput> {
        match key.code {
            KeyCode::Esc => return DialogResult::Cancelled,
            KeyCode::Enter if !key.modifiers.contains(KeyModifiers::ALT) => {
                return DialogResult::Submitted(VerdictInput {
                    winner: self.winner,
                    confidence: self.confidence.fraction(),
                    rationale: self.rationale.text().trim().to_string(),
                });
            }
            KeyCode::Tab => {
                self.field = self.field.next();
                return DialogResult::Open;
            }
            KeyCode::BackTab => {
                self.field = self.field.prev();
                return DialogResult::Open;
            }
            _ => {}
        }
        match self.field {
            VerdictField::Winner => match key.code {
                KeyCode::Char('a' | 'A') => self.winner = Side::A,
                KeyCode::Char('b' | 'B') => self.winner = Side::B,
                KeyCode::Left
                | KeyCode::Right
                | KeyCode::Up
                | KeyCode::Down
                | KeyCode::Char('h' | 'l' | 'j' | 'k' | ' ') => self.winner = self.winner.other(),
                _ => {}
            },
            VerdictField::Confidence => {
                self.confidence.handle(key);
            }
            VerdictField::Rationale => {
                // Ctrl-J (or Alt-Enter) starts a new line of the rationale.
                let newline = (key.code == KeyCode::Char('j')
                    && key.modifiers.contains(KeyModifiers::CONTROL))
                    || (key.code == KeyCode::Enter && key.modifiers.contains(KeyModifiers::ALT));
                if newline {
                    self.rationale.insert_newline();
                } else {
                    self.rationale.handle(key);
                }
            }
        }
        DialogResult::Open
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
    fn percent_steps_and_digits() {
        let mut p = PercentField::new(50, 0, 100);
        p.handle(&key(KeyCode::Right));
        p.handle(&key(KeyCode::Up));
        assert_eq!(p.value, 56);
        p.handle(&key(KeyCode::Char('7')));
        assert_eq!(p.value, 7);
        p.handle(&key(KeyCode::Char('3')));
        assert_eq!(p.value, 73);
        p.handle(&key(KeyCode::Char('9')));
        assert_eq!(p.value, 100, "739 clamps to the maximum");
        for _ in 0..30 {
            p.handle(&key(KeyCode::Down));
        }
        assert_eq!(p.value, 0);
    }

    #[test]
    fn credence_dialog_submits_a_fraction() {
        let mut d = CredenceDialog::new(Some(0.62));
        assert_eq!(d.percent.value, 62);
        d.handle(&key(KeyCode::Char('7')));
        d.handle(&key(KeyCode::Char('0')));
        assert_eq!(d.handle(&key(KeyCode::Enter)), DialogResult::Submitted(0.7));
        assert_eq!(
            CredenceDialog::new(None).handle(&key(KeyCode::Esc)),
            DialogResult::Cancelled
        );
    }

    #[test]
    fn verdict_dialog_walks_its_fields() {
        let mut d = VerdictDialog::new(Some(0.3));
        assert_eq!(d.winner, Side::B);
        assert_eq!(d.confidence.value, 70);
        d.handle(&key(KeyCode::Char('a')));
        d.handle(&key(KeyCode::Tab));
        typed(&mut d, "85");
        d.handle(&key(KeyCode::Tab));
        typed(&mut d, "Traffic data held up; a b");
        d.handle(&key(KeyCode::Backspace));
        let r = d.handle(&key(KeyCode::Enter));
        assert_eq!(
            r,
            DialogResult::Submitted(VerdictInput {
                winner: Side::A,
                confidence: 0.85,
                rationale: "Traffic data held up; a".into()
            })
        );
    }

    #[test]
    fn verdict_confidence_never_drops_below_half() {
        let mut d = VerdictDialog::new(None);
        d.handle(&key(KeyCode::Tab));
        typed(&mut d, "3");
        assert_eq!(d.confidence.value, 50);
    }

    #[test]
    fn text_input_edits_in_the_middle() {
        let mut t = TextInput::default();
        for c in "héllo".chars() {
            t.handle(&key(KeyCode::Char(c)));
        }
        t.handle(&key(KeyCode::Left));
        t.handle(&key(KeyCode::Left));
        t.handle(&key(KeyCode::Backspace));
        assert_eq!(t.text(), "hélo");
        t.insert_str("X\nY");
        assert_eq!(t.text(), "héX Ylo");
        t.handle(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(t.text(), "lo");
    }
}

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
pub enum TagField {
    Tags,
    Note,
}

/// What a submitted tag dialog holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagInput {
    pub tags: Vec<String>,
    pub note: String,
}

/// Tags (toggled with single keys) and a note, for a new annotation or one being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagDialog {
    pub target: AnnotationTarget,
    /// The annotation being edited, if any.
    pub editing: Option<u32>,
    pub tags: Vec<String>,
    pub chosen: Vec<bool>,
    pub note: TextInput,
    pub field: TagField,
}

/// The keys that toggle tags, in order.
pub const TAG_KEYS: &str = "123456789";

impl TagDialog {
    pub fn new(target: AnnotationTarget, tags: &[String]) -> Self {
        TagDialog {
            target,
            editing: None,
            tags: tags.to_vec(),
            chosen: vec![false; tags.len()],
            note: TextInput::default(),
            field: TagField::Tags,
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
        let mut input = TextInput::default();
        input.insert_str(note);
        TagDialog {
            target,
            editing: Some(id),
            tags: all,
            chosen,
            note: input,
            field: TagField::Tags,
        }
    }

    pub fn handle(&mut self, key: &KeyEvent) -> DialogResult<TagInput> {
        match key.code {
            KeyCode::Esc => return DialogResult::Cancelled,
            KeyCode::Enter => {
                let tags: Vec<String> = self
                    .tags
                    .iter()
                    .zip(&self.chosen)
                    .filter(|(_, c)| **c)
                    .map(|(t, _)| t.clone())
                    .collect();
                let note = self.note.text().trim().to_string();
                if tags.is_empty() && note.is_empty() {
                    return DialogResult::Open;
                }
                return DialogResult::Submitted(TagInput { tags, note });
            }
            KeyCode::Tab | KeyCode::BackTab => {
                self.field = match self.field {
                    TagField::Tags => TagField::Note,
                    TagField::Note => TagField::Tags,
                };
                return DialogResult::Open;
            }
            _ => {}
        }
        match self.field {
            TagField::Tags => {
                if let KeyCode::Char(c) = key.code
                    && let Some(i) = TAG_KEYS.find(c)
                    && let Some(chosen) = self.chosen.get_mut(i)
                {
                    *chosen = !*chosen;
                }
            }
            TagField::Note => {
                self.note.handle(key);
            }
        }
        DialogResult::Open
    }
}

/// The judge's question or instruction to one debater or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageDialog {
    /// `None` is both debaters.
    pub to: Option<Side>,
    pub input: TextInput,
}

impl MessageDialog {
    pub fn handle(&mut self, key: &KeyEvent) -> DialogResult<(Option<Side>, String)> {
        match key.code {
            KeyCode::Esc => DialogResult::Cancelled,
            KeyCode::Tab => {
                self.to = match self.to {
                    None => Some(Side::A),
                    Some(Side::A) => Some(Side::B),
                    Some(Side::B) => None,
                };
                DialogResult::Open
            }
            KeyCode::Enter if !self.input.text().trim().is_empty() => {
                DialogResult::Submitted((self.to, self.input.text().trim().to_string()))
            }
            _ => {
                self.input.handle(key);
                DialogResult::Open
            }
        }
    }
}

/// Ending the debate before its last round, with a reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndDialog {
    pub reason: TextInput,
}

impl EndDialog {
    pub fn handle(&mut self, key: &KeyEvent) -> DialogResult<String> {
        match key.code {
            KeyCode::Esc => DialogResult::Cancelled,
            KeyCode::Enter => DialogResult::Submitted(self.reason.text().trim().to_string()),
            _ => {
                self.reason.handle(key);
                DialogResult::Open
            }
        }
    }
}

#[cfg(test)]
mod judge_dialog_tests {
    use super::*;

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
            DialogResult::Open,
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
            DialogResult::Submitted(TagInput {
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

    #[test]
    fn messages_cycle_their_addressee() {
        let mut d = MessageDialog::default();
        d.handle(&key(KeyCode::Tab));
        d.handle(&key(KeyCode::Tab));
        for c in "Why?".chars() {
            d.handle(&key(KeyCode::Char(c)));
        }
        assert_eq!(
            d.handle(&key(KeyCode::Enter)),
            DialogResult::Submitted((Some(Side::B), "Why?".into()))
        );
    }
}
