//! The mouse on the main screen: the wheel scrolls the pane under the pointer; a click focuses
//! a pane and selects the turn or the node under it. Which pane is where comes from
//! [`layout`](super::layout) at the terminal's size (the same rectangles the screen is drawn
//! in), and which turn is at a row from the transcript's anchor and the turns' heights: no
//! frame is consulted.

use super::layout::{self, Areas};
use super::{App, Focus};
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

/// Rows one notch of the wheel scrolls the transcript.
const WHEEL_ROWS: isize = 3;

/// Where a pointer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Transcript,
    Side,
    Chart,
    Elsewhere,
}

/// The pane at (`x`, `y`).
pub fn pane_at(areas: &Areas, x: u16, y: u16) -> Pane {
    let at = Position::new(x, y);
    let inside = |r: Rect| r.contains(at);
    if inside(areas.transcript) {
        Pane::Transcript
    } else if inside(areas.side) {
        Pane::Side
    } else if inside(areas.chart) {
        Pane::Chart
    } else {
        Pane::Elsewhere
    }
}

/// The turn shown at row `row` of the transcript's text, given the first row shown (`top`:
/// the turn's position in `turns` and the line within it) and the turns' heights.
pub fn turn_at_row(
    turns: &[usize],
    top: super::transcript::Anchor,
    row: usize,
    height: &dyn Fn(usize) -> usize,
) -> Option<usize> {
    let mut pos = top.pos;
    // Rows of the first turn still in view.
    let mut below = row.saturating_add(top.line);
    loop {
        let &turn = turns.get(pos)?;
        let h = height(turn);
        if below < h {
            return Some(turn);
        }
        below -= h;
        pos = pos.saturating_add(1);
    }
}

impl App {
    /// Handles a click or the wheel; returns whether anything changed. Dialogs, choosing a
    /// span and the too-small screen take no mouse.
    pub(super) fn on_mouse(&mut self, event: MouseEvent) -> bool {
        if self.dialog.is_some() || self.visual.is_some() || layout::too_small(self.size) {
            return false;
        }
        let areas = self.areas();
        let pane = pane_at(&areas, event.column, event.row);
        match event.kind {
            MouseEventKind::ScrollDown => self.wheel(pane, 1),
            MouseEventKind::ScrollUp => self.wheel(pane, -1),
            MouseEventKind::Down(MouseButton::Left) => self.click(pane, &areas, event.row),
            _ => false,
        }
    }

    fn wheel(&mut self, pane: Pane, notches: isize) -> bool {
        match pane {
            Pane::Transcript | Pane::Chart => {
                self.with_transcript(|t, h| t.scroll_by(notches * WHEEL_ROWS, h));
            }
            Pane::Side if self.show_annotations => {
                let last = self.session().annotations.len().saturating_sub(1);
                self.annotation_cursor = self
                    .annotation_cursor
                    .saturating_add_signed(notches)
                    .min(last);
            }
            Pane::Side => self.tree.scroll_by(notches * WHEEL_ROWS),
            Pane::Elsewhere => return false,
        }
        true
    }

    fn click(&mut self, pane: Pane, areas: &Areas, y: u16) -> bool {
        match pane {
            Pane::Transcript => {
                self.focus = Focus::Transcript;
                let text = layout::transcript_text(areas.transcript);
                if (text.y..text.bottom()).contains(&y) {
                    let row = usize::from(y - text.y);
                    let top = self.transcript_top();
                    let height = |t: usize| self.turn_height(t);
                    if let Some(turn) = turn_at_row(self.transcript.turns(), top, row, &height) {
                        self.transcript.pick(turn);
                    }
                }
            }
            Pane::Side => {
                self.focus = Focus::Tree;
                // The list starts inside the border; the detail box under it is not a row.
                let list_top = areas.side.y.saturating_add(1);
                let rows = layout::tree_list_rows(areas.side);
                if !self.show_annotations && (list_top..list_top.saturating_add(rows)).contains(&y)
                {
                    let before = self.tree.selected();
                    self.tree.select_row(usize::from(y - list_top));
                    let selected = self.tree.selected();
                    if selected != before
                        && let Some(turn) = self
                            .session()
                            .tree
                            .nodes()
                            .get(selected)
                            .and_then(|n| n.turn)
                    {
                        self.with_transcript(|t, h| t.reveal_turn(turn, h));
                    }
                }
            }
            Pane::Chart | Pane::Elsewhere => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::transcript::Anchor;
    use super::*;

    #[test]
    fn the_turn_at_a_row_counts_heights_from_the_anchor() {
        // Turns 3, 4 and 7 in view, 5 rows each; the view starts on line 2 of turn 3.
        let turns = [3, 4, 7];
        let five = |_: usize| 5;
        let top = Anchor { pos: 0, line: 2 };
        assert_eq!(turn_at_row(&turns, top, 0, &five), Some(3));
        assert_eq!(turn_at_row(&turns, top, 2, &five), Some(3), "its last row");
        assert_eq!(turn_at_row(&turns, top, 3, &five), Some(4));
        assert_eq!(turn_at_row(&turns, top, 8, &five), Some(7));
        assert_eq!(turn_at_row(&turns, top, 13, &five), None, "below the last");
        assert_eq!(turn_at_row(&[], Anchor::default(), 0, &five), None);
    }

    use crate::domain::{ROOT_ID, Session, TurnOutcome};
    use crate::engine::{Engine, EngineConfig, Mode};
    use crate::providers::scripted::script::DemoScript;
    use ratatui::crossterm::event::KeyModifiers;
    use time::OffsetDateTime;

    /// The whole demo debate played, at 100x30.
    fn finished_app() -> App {
        let t = OffsetDateTime::UNIX_EPOCH;
        let script = DemoScript::bundled().unwrap();
        let mut s = Session::new(script.setup(), t);
        while let Some((round, side)) = s.next_slot() {
            let i = s.begin_turn(side, round, ROOT_ID, t);
            s.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
            s.finish_turn(i, TurnOutcome::Complete, None, t);
        }
        let engine = Engine::new(s, Mode::Live, EngineConfig::default(), None);
        let mut app = App::new(engine, super::super::Settings::default());
        app.update(
            super::super::Msg::Resize {
                width: 100,
                height: 30,
            },
            t,
        );
        app
    }

    fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
        let event = MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        };
        app.update(super::super::Msg::Mouse(event), OffsetDateTime::UNIX_EPOCH);
    }

    #[test]
    fn the_wheel_scrolls_the_pane_under_the_pointer() {
        let mut app = finished_app();
        let a = app.areas();
        assert!(app.transcript.is_following());
        mouse(
            &mut app,
            MouseEventKind::ScrollUp,
            a.transcript.x + 5,
            a.transcript.y + 3,
        );
        assert!(!app.transcript.is_following(), "the transcript scrolled up");
        let top = app.transcript_top();
        mouse(
            &mut app,
            MouseEventKind::ScrollUp,
            a.chart.x + 5,
            a.chart.y + 1,
        );
        assert_ne!(
            app.transcript_top(),
            top,
            "over the chart, the transcript scrolls"
        );
        assert_eq!(
            app.focus,
            Focus::Transcript,
            "the wheel does not move the focus"
        );

        let selected = app.tree.selected();
        mouse(
            &mut app,
            MouseEventKind::ScrollDown,
            a.side.x + 3,
            a.side.y + 2,
        );
        assert_eq!(app.tree.top(), 3, "the tree scrolled three rows");
        assert_eq!(app.tree.selected(), selected, "its selection stays");
        for _ in 0..50 {
            mouse(
                &mut app,
                MouseEventKind::ScrollDown,
                a.side.x + 3,
                a.side.y + 2,
            );
        }
        let last = app.tree.rows().len() - usize::from(layout::tree_list_rows(a.side));
        assert_eq!(app.tree.top(), last, "not past the end");
    }

    #[test]
    fn a_click_focuses_and_selects_the_node_or_turn_under_it() {
        let mut app = finished_app();
        // Tall enough that two turns share the transcript.
        app.update(
            super::super::Msg::Resize {
                width: 120,
                height: 70,
            },
            OffsetDateTime::UNIX_EPOCH,
        );
        let a = app.areas();
        mouse(
            &mut app,
            MouseEventKind::Down(MouseButton::Left),
            a.side.x + 4,
            a.side.y + 3,
        );
        assert_eq!(app.focus, Focus::Tree);
        let row = &app.tree.rows()[2];
        assert_eq!(app.tree.selected(), row.pos, "the third row's node");
        let node_turn = app.session().tree.nodes()[row.pos].turn;
        assert_eq!(app.selected_turn(), node_turn, "its turn is shown");

        // The transcript's first text row is the header of the turn at the view's top.
        let text = layout::transcript_text(a.transcript);
        mouse(
            &mut app,
            MouseEventKind::Down(MouseButton::Left),
            text.x + 2,
            text.y,
        );
        assert_eq!(app.focus, Focus::Transcript);
        let top = app.transcript_top();
        let first = app.transcript.turns()[top.pos];
        assert_eq!(app.selected_turn(), Some(first));
        let h = app.turn_height(first) - top.line;
        assert!(h < usize::from(text.height), "the next turn starts in view");
        mouse(
            &mut app,
            MouseEventKind::Down(MouseButton::Left),
            text.x + 2,
            text.y + u16::try_from(h).unwrap(),
        );
        assert_eq!(
            app.selected_turn(),
            app.transcript.turns().get(top.pos + 1).copied(),
            "the row after it belongs to the next turn"
        );
        assert_eq!(app.transcript_top(), top, "a click does not scroll");
    }

    #[test]
    fn dialogs_and_the_too_small_screen_take_no_mouse() {
        let mut app = finished_app();
        let a = app.areas();
        app.update(
            super::super::Msg::Key(ratatui::crossterm::event::KeyEvent::new(
                ratatui::crossterm::event::KeyCode::Char('?'),
                KeyModifiers::NONE,
            )),
            OffsetDateTime::UNIX_EPOCH,
        );
        assert!(app.dialog.is_some());
        mouse(
            &mut app,
            MouseEventKind::Down(MouseButton::Left),
            a.side.x + 4,
            a.side.y + 3,
        );
        assert_eq!(app.focus, Focus::Transcript);
        app.dialog = None;
        app.update(
            super::super::Msg::Resize {
                width: 30,
                height: 10,
            },
            OffsetDateTime::UNIX_EPOCH,
        );
        mouse(&mut app, MouseEventKind::ScrollUp, 3, 3);
        assert!(app.transcript.is_following());
    }

    #[test]
    fn panes_are_found_where_the_layout_puts_them() {
        let a = layout::areas(Rect::new(0, 0, 100, 30), layout::Options::default());
        assert_eq!(
            pane_at(&a, a.transcript.x + 1, a.transcript.y + 1),
            Pane::Transcript
        );
        assert_eq!(pane_at(&a, a.side.x, a.side.bottom() - 1), Pane::Side);
        assert_eq!(pane_at(&a, a.chart.x + 2, a.chart.y + 1), Pane::Chart);
        assert_eq!(pane_at(&a, 0, 0), Pane::Elsewhere, "the header");
        assert_eq!(pane_at(&a, 0, 29), Pane::Elsewhere, "the hints");
    }
}
