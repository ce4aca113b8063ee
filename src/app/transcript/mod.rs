//! The transcript pane's state: which debate it shows, where it is scrolled to (a turn and a
//! line within it, or following the newest text), and which turn is selected (the one marked
//! `▶`, that annotation keys act on). All of it is owned by `update`; the painter only reads
//! it. Scrolling by lines needs the turns' heights at the pane's width: they come from the
//! layouts ([`cache`]) through a height function, for the few turns around the view only (the
//! anchor is a turn and a line, so nothing above the view is measured).

pub mod cache;
pub mod copy;
pub mod layout;
pub mod search;
mod view;

#[cfg(test)]
mod app_tests;

use crate::domain::Session;

/// The first visible row: line `line` of the block of the `pos`-th turn of the scope (a block
/// is the header, the body and one blank line).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anchor {
    pub pos: usize,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The debate shown: `root`, or the node of a drill.
    scope: String,
    /// Indices of the session's turns in this scope, in order.
    turns: Vec<usize>,
    /// How many of the session's turns have been looked at for `turns`.
    scanned: usize,
    /// Where the view starts when not following.
    top: Anchor,
    /// Keep the newest text in view as it arrives.
    follow: bool,
    /// The turn `[`/`]`, the tree or the annotations pane moved to.
    cursor: Option<usize>,
    /// Rows of the pane.
    rows: usize,
}

impl Default for Transcript {
    fn default() -> Self {
        Transcript::new()
    }
}

impl Transcript {
    pub fn new() -> Self {
        Transcript {
            scope: crate::domain::ROOT_ID.to_string(),
            turns: Vec::new(),
            scanned: 0,
            top: Anchor::default(),
            follow: true,
            cursor: None,
            rows: 20,
        }
    }

    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// Shows the debate on another scope (the main debate or a drill), from its end.
    pub fn set_scope(&mut self, scope: &str) {
        if self.scope != scope {
            *self = Transcript {
                scope: scope.to_string(),
                rows: self.rows,
                ..Transcript::new()
            };
        }
    }

    /// Forgets everything about the session shown (it was replaced, e.g. by a replay's seek).
    pub fn reset(&mut self) {
        let scope = std::mem::take(&mut self.scope);
        *self = Transcript {
            scope,
            rows: self.rows,
            ..Transcript::new()
        };
    }

    /// Takes in the turns begun since the last call.
    pub fn sync(&mut self, session: &Session) {
        if self.scanned > session.turns().len() {
            self.reset();
        }
        for t in session.turns().iter().skip(self.scanned) {
            if t.scope == self.scope {
                self.turns.push(t.index);
            }
        }
        self.scanned = session.turns().len();
    }

    /// The session's turns shown, in order.
    pub fn turns(&self) -> &[usize] {
        &self.turns
    }

    pub fn is_following(&self) -> bool {
        self.follow
    }

    pub fn anchor(&self) -> Anchor {
        self.top
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The pane's height in rows (from the terminal's size).
    pub fn set_rows(&mut self, rows: usize) {
        self.rows = rows.max(1);
    }

    fn pos_of(&self, turn: usize) -> Option<usize> {
        self.turns.binary_search(&turn).ok()
    }

    /// The first visible row, following or not.
    pub fn view_top(&self, height: &dyn Fn(usize) -> usize) -> Anchor {
        let bottom = bottom_anchor(&self.turns, self.rows, height);
        if self.follow {
            return bottom;
        }
        let top = normalise(&self.turns, self.top, height);
        if (top.pos, top.line) > (bottom.pos, bottom.line) {
            bottom
        } else {
            top
        }
    }

    /// The turn annotation keys act on: the one moved to while it is in view; else, when
    /// following, the newest; else the first whose header is in view, else the one at the top.
    pub fn selected(&self, height: &dyn Fn(usize) -> usize) -> Option<usize> {
        let top = self.view_top(height);
        if let Some(c) = self.cursor
            && self.in_view(c, top, height)
        {
            return Some(c);
        }
        if self.follow {
            return self.turns.last().copied();
        }
        let at_top = self.turns.get(top.pos).copied();
        if top.line == 0 {
            return at_top;
        }
        // The next header, if it is in view.
        let first = self.turns.get(top.pos).map_or(0, |&t| height(t));
        if first.saturating_sub(top.line) < self.rows
            && let Some(&next) = self.turns.get(top.pos + 1)
        {
            return Some(next);
        }
        at_top
    }

    /// Whether any row of the turn is on screen.
    fn in_view(&self, turn: usize, top: Anchor, height: &dyn Fn(usize) -> usize) -> bool {
        let Some(pos) = self.pos_of(turn) else {
            return false;
        };
        if pos < top.pos {
            return false;
        }
        // Rows from the view's top to the turn's first row.
        let mut rows = 0usize;
        for p in top.pos..pos {
            rows = rows.saturating_add(self.turns.get(p).map_or(0, |&t| height(t)));
        }
        rows.saturating_sub(top.line) < self.rows
    }

    /// Scrolls by `delta` rows; reaching the end follows again.
    pub fn scroll_by(&mut self, delta: isize, height: &dyn Fn(usize) -> usize) {
        let top = self.view_top(height);
        let moved = shift(&self.turns, top, delta, height);
        self.place(moved, height);
    }

    /// A page down (or up): the pane's height less two rows of context.
    pub fn page(&mut self, pages: isize, height: &dyn Fn(usize) -> usize) {
        let step = isize::try_from(self.rows.saturating_sub(2).max(1)).unwrap_or(1);
        self.scroll_by(pages.saturating_mul(step), height);
    }

    pub fn to_top(&mut self, height: &dyn Fn(usize) -> usize) {
        self.place(Anchor::default(), height);
        // When every turn fits, the top is also the end and the view follows, which would
        // select the newest turn; the judge asked for the top, so the first is selected.
        if self.follow {
            self.cursor = self.turns.first().copied();
        }
    }

    pub fn to_bottom(&mut self) {
        self.follow = true;
        self.cursor = None;
    }

    /// Puts the view's top at `anchor`, following when that is the end.
    fn place(&mut self, anchor: Anchor, height: &dyn Fn(usize) -> usize) {
        let bottom = bottom_anchor(&self.turns, self.rows, height);
        let anchor = normalise(&self.turns, anchor, height);
        if (anchor.pos, anchor.line) >= (bottom.pos, bottom.line) {
            self.follow = true;
            self.top = bottom;
        } else {
            self.follow = false;
            self.top = anchor;
        }
    }

    /// Selects a turn and scrolls so that its header is the first row (as far as the end
    /// allows).
    pub fn show_turn(&mut self, turn: usize, height: &dyn Fn(usize) -> usize) {
        let Some(pos) = self.pos_of(turn) else {
            return;
        };
        self.cursor = Some(turn);
        self.place(Anchor { pos, line: 0 }, height);
    }

    /// Selects a turn that is in view (a click on it), without scrolling.
    pub fn pick(&mut self, turn: usize) {
        if self.pos_of(turn).is_some() {
            self.cursor = Some(turn);
        }
    }

    /// Selects a turn and scrolls so that row `row` of its block is in view: its header at
    /// the top when that shows the row too, else the row a third of the way down.
    pub fn show_row(&mut self, turn: usize, row: usize, height: &dyn Fn(usize) -> usize) {
        let Some(pos) = self.pos_of(turn) else {
            return;
        };
        self.cursor = Some(turn);
        let line = if row < self.rows {
            0
        } else {
            row.saturating_sub(self.rows / 3)
        };
        self.place(Anchor { pos, line }, height);
    }

    /// Brings a turn's header into view, leaving the view alone if it already shows it.
    pub fn reveal_turn(&mut self, turn: usize, height: &dyn Fn(usize) -> usize) {
        let top = self.view_top(height);
        if !self.in_view(turn, top, height) {
            self.show_turn(turn, height);
        }
    }

    /// Selects the next (or previous) turn and scrolls to its header.
    pub fn jump_turn(&mut self, forward: bool, height: &dyn Fn(usize) -> usize) {
        if self.turns.is_empty() {
            return;
        }
        let current = self
            .selected(height)
            .and_then(|t| self.pos_of(t))
            .unwrap_or(0);
        let target = if forward {
            (current + 1).min(self.turns.len() - 1)
        } else {
            current.saturating_sub(1)
        };
        if let Some(&turn) = self.turns.get(target) {
            self.show_turn(turn, height);
        }
    }
}

/// `anchor` with its line inside its turn's block (moving on to later turns as needed).
pub fn normalise(turns: &[usize], mut anchor: Anchor, height: &dyn Fn(usize) -> usize) -> Anchor {
    while let Some(&t) = turns.get(anchor.pos) {
        let h = height(t);
        if anchor.line < h || anchor.pos + 1 >= turns.len() {
            break;
        }
        anchor.line -= h;
        anchor.pos += 1;
    }
    if anchor.pos >= turns.len() {
        return Anchor::default();
    }
    anchor
}

/// `anchor` moved by `delta` rows (clamped at the start).
fn shift(turns: &[usize], anchor: Anchor, delta: isize, height: &dyn Fn(usize) -> usize) -> Anchor {
    let mut a = anchor;
    if delta >= 0 {
        a.line = a.line.saturating_add(delta.unsigned_abs());
        return normalise(turns, a, height);
    }
    let mut back = delta.unsigned_abs();
    loop {
        if back <= a.line {
            a.line -= back;
            return a;
        }
        back -= a.line;
        if a.pos == 0 {
            return Anchor::default();
        }
        a.pos -= 1;
        a.line = turns.get(a.pos).map_or(0, |&t| height(t));
    }
}

/// The top row that puts the end of the last turn at the bottom of `rows` rows.
pub fn bottom_anchor(turns: &[usize], rows: usize, height: &dyn Fn(usize) -> usize) -> Anchor {
    let mut remaining = rows;
    for pos in (0..turns.len()).rev() {
        let h = turns.get(pos).map_or(0, |&t| height(t));
        if h >= remaining {
            return Anchor {
                pos,
                line: h - remaining,
            };
        }
        remaining -= h;
    }
    Anchor::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten turns of five rows each.
    fn five(_: usize) -> usize {
        5
    }

    fn transcript(rows: usize) -> Transcript {
        let mut t = Transcript::new();
        t.turns = (0..10).collect();
        t.rows = rows;
        t
    }

    #[test]
    fn following_shows_the_end() {
        let t = transcript(12);
        assert_eq!(t.view_top(&five), Anchor { pos: 7, line: 3 });
        assert_eq!(t.selected(&five), Some(9));
    }

    #[test]
    fn scrolling_up_leaves_follow_and_down_to_the_end_returns() {
        let mut t = transcript(12);
        t.scroll_by(-4, &five);
        assert!(!t.is_following());
        assert_eq!(t.view_top(&five), Anchor { pos: 6, line: 4 });
        t.scroll_by(100, &five);
        assert!(t.is_following(), "scrolling past the end follows");
        t.scroll_by(-1, &five);
        assert_eq!(
            t.view_top(&five),
            Anchor { pos: 7, line: 2 },
            "one row up at once"
        );
    }

    #[test]
    fn pages_and_top() {
        let mut t = transcript(12);
        t.to_top(&five);
        assert_eq!(t.view_top(&five), Anchor::default());
        assert_eq!(t.selected(&five), Some(0));
        t.page(1, &five);
        assert_eq!(t.view_top(&five), Anchor { pos: 2, line: 0 });
        t.page(-3, &five);
        assert_eq!(t.view_top(&five), Anchor::default());
    }

    #[test]
    fn jumping_selects_turns_and_their_headers_come_first() {
        let mut t = transcript(12);
        t.to_top(&five);
        t.jump_turn(true, &five);
        assert_eq!(t.selected(&five), Some(1));
        assert_eq!(t.view_top(&five), Anchor { pos: 1, line: 0 });
        t.jump_turn(false, &five);
        t.jump_turn(false, &five);
        assert_eq!(t.selected(&five), Some(0));
        t.show_turn(9, &five);
        assert_eq!(
            t.selected(&five),
            Some(9),
            "the end cannot scroll further, but 9 is in view"
        );
    }

    #[test]
    fn a_header_in_view_is_selected_over_the_turn_half_scrolled_away() {
        let mut t = transcript(12);
        t.to_top(&five);
        t.scroll_by(3, &five);
        assert_eq!(t.selected(&five), Some(1));
    }

    #[test]
    fn top_selects_the_first_turn_even_when_every_turn_fits() {
        let mut t = transcript(60);
        t.to_top(&five);
        assert!(t.is_following(), "nothing to scroll");
        assert_eq!(t.selected(&five), Some(0));
        t.to_bottom();
        assert_eq!(t.selected(&five), Some(9));
    }

    #[test]
    fn an_empty_transcript_has_no_selection() {
        let mut t = Transcript::new();
        assert_eq!(t.selected(&five), None);
        t.scroll_by(5, &five);
        t.jump_turn(true, &five);
        assert_eq!(t.view_top(&five), Anchor::default());
    }
}
