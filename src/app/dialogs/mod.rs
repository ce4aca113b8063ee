//! The judge's dialogs. Each file is one dialog: its state, its keys and its drawing. The app
//! holds at most one open [`Dialog`] and acts on what it returns.

pub mod confirm;
pub mod credence;
pub mod end;
pub mod help;
pub mod message;
pub mod prompt;
pub mod result;
pub mod source;
pub mod start;
pub mod tags;
pub mod theme;
pub mod verdict;

use crate::app::keymap::Keymap;
use crate::app::visible::Redactor;
use crate::domain::{Scores, Session};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders, Clear};

pub use confirm::{ConfirmQuit, QuitWhy};
pub use credence::CredenceDialog;
pub use end::EndDialog;
pub use help::HelpDialog;
pub use message::MessageDialog;
pub use prompt::{PromptDialog, PromptPurpose};
pub use result::ResultDialog;
pub use source::SourceDialog;
pub use start::{StartDialog, StartInput};
pub use tags::{AnnotationTarget, TagDialog, TagInput};
pub use theme::ThemeDialog;
pub use verdict::{VerdictDialog, VerdictInput, VerdictPurpose};

/// What a dialog did with a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    /// Still open.
    Open,
    Cancelled,
    Submitted(T),
}

/// The open dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    Start(StartDialog),
    Help(HelpDialog),
    Credence(CredenceDialog),
    Verdict(VerdictDialog),
    Prompt(PromptDialog),
    Tags(TagDialog),
    Message(MessageDialog),
    End(EndDialog),
    Result(ResultDialog),
    ConfirmQuit(ConfirmQuit),
    Theme(ThemeDialog),
    /// Drawn by `ui::source` (it paints quotes in the transcript's styles).
    Source(SourceDialog),
}

/// What drawing a dialog may read.
pub struct DrawContext<'a> {
    pub theme: &'a Theme,
    pub session: &'a Session,
    pub redactor: &'a Redactor,
    pub keymap: &'a Keymap,
    /// The session's own verdict scored, once there is a verdict and a ground truth.
    pub scores: Option<Scores>,
    /// Which debaters are configured, and why the demo plays when none are (the start dialog).
    pub debaters_note: &'a [String],
}

impl Dialog {
    pub fn draw(&self, frame: &mut Frame, area: Rect, cx: &DrawContext<'_>) {
        match self {
            Dialog::Start(d) => d.draw(frame, area, cx),
            Dialog::Help(d) => d.draw(frame, area, cx),
            Dialog::Credence(d) => d.draw(frame, area, cx),
            Dialog::Verdict(d) => d.draw(frame, area, cx),
            Dialog::Prompt(d) => d.draw(frame, area, cx),
            Dialog::Tags(d) => d.draw(frame, area, cx),
            Dialog::Message(d) => d.draw(frame, area, cx),
            Dialog::End(d) => d.draw(frame, area, cx),
            Dialog::Result(d) => d.draw(frame, area, cx),
            Dialog::ConfirmQuit(d) => d.draw(frame, area, cx),
            Dialog::Theme(d) => d.draw(frame, area, cx),
            Dialog::Source(_) => {}
        }
    }

    /// The text field `Ctrl-E` hands to `$EDITOR`, when one has the focus.
    pub fn long_text(&self) -> Option<&str> {
        match self {
            Dialog::Verdict(d) => d.rationale_in_focus(),
            Dialog::Tags(d) => d.note_in_focus(),
            _ => None,
        }
    }

    /// Puts what the judge wrote in `$EDITOR` into the field it came from.
    pub fn set_long_text(&mut self, text: &str) {
        match self {
            Dialog::Verdict(d) => d.set_rationale(text),
            Dialog::Tags(d) => d.set_note(text),
            _ => {}
        }
    }

    /// Pasted text goes into the field in focus.
    pub fn paste(&mut self, text: &str) {
        match self {
            Dialog::Start(d) => d.paste(text),
            Dialog::Verdict(d) => d.paste(text),
            Dialog::Prompt(d) => d.input.paste(text),
            Dialog::Tags(d) => d.paste(text),
            Dialog::Message(d) => d.input.paste(text),
            Dialog::End(d) => d.reason.paste(text),
            _ => {}
        }
    }
}

/// A centred rectangle of at most `width` x `height`, inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears `rect` and draws a dialog's frame with `title` in it; returns the inside.
pub fn frame_dialog(frame: &mut Frame, rect: Rect, title: &str, theme: &Theme) -> Rect {
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Span::styled(
            crate::text::wrap::truncate(title, usize::from(rect.width.saturating_sub(2))),
            theme.title,
        ))
        .style(theme.dialog);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// Row `i` of `area` (clamped to its last row), one row high.
pub fn row(area: Rect, i: u16) -> Rect {
    let y = area
        .y
        .saturating_add(i)
        .min(area.bottom().saturating_sub(1));
    Rect::new(area.x, y, area.width, 1)
}
