//! The app's view of its transcript's layouts: each turn's rows and text, laid out by the
//! layouts it owns (`cache`), read by the scrolling, the search and the painter alike.

use super::cache::{Body, Source};
use crate::app::App;

impl App {
    /// Runs `f` with what the layouts read besides a turn.
    fn with_source<R>(&self, f: impl FnOnce(Source<'_>) -> R) -> R {
        let hidden = |turn: usize| self.engine.is_hidden(turn);
        f(Source {
            session: self.engine.session(),
            redactor: &self.redactor,
            hidden: &hidden,
        })
    }

    /// The height of a turn's block in the transcript at its width: header, body, blank row.
    pub(crate) fn turn_height(&self, turn: usize) -> usize {
        self.with_source(|src| self.layouts.height(src, turn))
    }

    /// Runs `f` on a turn's rows at the transcript's width (`f` must not ask the app for
    /// other turns' rows meanwhile).
    pub fn turn_body<R>(&self, turn: usize, f: impl FnOnce(Body<'_>) -> R) -> Option<R> {
        self.with_source(|src| self.layouts.with_body(src, turn, f))
    }

    /// Runs `f` on a turn's text as the judge reads it, in parts with where each starts.
    pub(crate) fn turn_text<R>(
        &self,
        turn: usize,
        f: impl FnOnce(&[(usize, &str)]) -> R,
    ) -> Option<R> {
        self.with_source(|src| self.layouts.with_text(src, turn, f))
    }
}
