//! The evidence pane (`Q`): every quote of both sides in the order of the source, with where in
//! the source each sits, so the judge sees what each side relies on; quotes the source does not
//! hold come last. Enter jumps to the quote's turn.

use super::bindings::Action;
use super::{App, Focus, Level};
use crate::domain::{QuoteClass, Side, Span};

/// One quote, for the pane.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub turn: usize,
    pub side: Side,
    pub text: String,
    pub class: QuoteClass,
    pub over_budget: bool,
    /// Where in the source it was found.
    pub place: Option<Span>,
}

impl App {
    /// Every quote the judge may see, in source order (those not found after, by turn).
    pub fn evidence(&self) -> Vec<Evidence> {
        let s = self.session();
        let mut items: Vec<Evidence> = s
            .turns()
            .iter()
            .filter(|t| t.status.is_finished() && !self.engine.is_hidden(t.index))
            .flat_map(|t| {
                t.quotes.iter().map(move |q| Evidence {
                    turn: t.index,
                    side: t.side,
                    text: q.text.clone(),
                    class: q.class,
                    over_budget: q.over_budget,
                    place: q.source,
                })
            })
            .collect();
        items.sort_by_key(|e| (e.place.is_none(), e.place.map(|p| p.start), e.turn));
        items
    }

    /// Keys of the evidence pane; returns whether the key was used.
    pub(super) fn on_evidence_pane(&mut self, action: Action) -> bool {
        let items = self.evidence();
        let last = items.len().saturating_sub(1);
        match action {
            Action::ScrollDown => self.evidence_cursor = (self.evidence_cursor + 1).min(last),
            Action::ScrollUp => self.evidence_cursor = self.evidence_cursor.saturating_sub(1),
            Action::Top => self.evidence_cursor = 0,
            Action::Bottom => self.evidence_cursor = last,
            Action::Drill => {
                let Some(e) = items.get(self.evidence_cursor) else {
                    return true;
                };
                let scope = self.session().turn(e.turn).map(|t| t.scope.clone());
                if scope.as_deref() != Some(self.current_scope()) {
                    self.notify(
                        Level::Info,
                        "That quote is in a drill; drill in to see its turn.".into(),
                    );
                    return true;
                }
                let turn = e.turn;
                self.with_transcript(|t, h| t.show_turn(turn, h));
                self.focus = Focus::Transcript;
            }
            _ => return false,
        }
        true
    }

    /// `Q`: the evidence pane, or back to the tree.
    pub(super) fn toggle_evidence(&mut self) {
        self.show_evidence = !self.show_evidence;
        self.show_annotations = false;
        self.focus = Focus::Tree;
        if self.show_evidence && self.session().source_text.is_none() {
            self.notify(
                Level::Info,
                "This debate has no source: its quotes are unchecked.".into(),
            );
        }
    }

    /// Whether the judge may read the source now: after their verdict, or when the protocol
    /// shows it to the judge.
    pub fn may_read_source(&self) -> bool {
        self.session().source_for_judge().is_some()
    }

    /// `S`: the source, with the quotes marked, once the judge may read it.
    pub(super) fn open_source(&mut self) {
        if self.session().source_text.is_none() {
            return self.notify(Level::Info, "This debate has no hidden source.".into());
        }
        if !self.may_read_source() {
            return self.notify(
                Level::Info,
                "The source stays hidden until your verdict (v); then S shows it.".into(),
            );
        }
        self.dialog = Some(super::dialogs::Dialog::Source(
            super::dialogs::SourceDialog::default(),
        ));
    }
}
