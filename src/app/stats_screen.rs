//! The stats screen's state: a computed report and which of its views is open. Reached from
//! `agon stats` on a terminal and from the sessions browser.

use crate::stats::StatsReport;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

/// The views of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Judge accuracy per group, with its interval, and the scores.
    Accuracy,
    /// The reliability diagram of each group.
    Calibration,
    /// Debaters by rating, and consultants by persuasion.
    Leaderboard,
    /// Failure-mode tags on honest and dishonest turns, and agreement between judges.
    Tags,
}

const VIEWS: [View; 4] = [
    View::Accuracy,
    View::Calibration,
    View::Leaderboard,
    View::Tags,
];

impl View {
    pub fn title(self) -> &'static str {
        match self {
            View::Accuracy => "Accuracy",
            View::Calibration => "Calibration",
            View::Leaderboard => "Leaderboard",
            View::Tags => "Tags & agreement",
        }
    }

    pub fn all() -> &'static [View] {
        &VIEWS
    }
}

/// What the screen asks of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsAction {
    Close,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatsScreen {
    pub report: StatsReport,
    pub view: View,
    /// The group (or row) under the cursor.
    pub cursor: usize,
    /// The help line is replaced by the keys.
    pub help: bool,
}

impl StatsScreen {
    pub fn new(report: StatsReport) -> Self {
        StatsScreen {
            report,
            view: View::Accuracy,
            cursor: 0,
            help: false,
        }
    }

    /// Rows of the open view, for moving the cursor.
    fn rows(&self) -> usize {
        match self.view {
            View::Accuracy | View::Calibration => self.report.groups.len(),
            View::Leaderboard => self.report.leaderboard.len() + self.report.consultants.len(),
            View::Tags => self.report.tags.tags.len(),
        }
    }

    fn switch(&mut self, forward: bool) {
        let i = VIEWS.iter().position(|v| *v == self.view).unwrap_or(0);
        let n = VIEWS.len();
        let next = if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        self.view = VIEWS[next];
        self.cursor = 0;
    }

    fn down(&mut self) {
        self.cursor = self
            .cursor
            .saturating_add(1)
            .min(self.rows().saturating_sub(1));
    }

    fn up(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    /// The wheel moves the cursor a row per notch, as `j` and `k` do (the screen is one list,
    /// so where the pointer is does not matter). Returns whether the screen changed.
    pub fn mouse(&mut self, event: &MouseEvent) -> bool {
        let before = self.cursor;
        match event.kind {
            MouseEventKind::ScrollDown => self.down(),
            MouseEventKind::ScrollUp => self.up(),
            _ => return false,
        }
        self.cursor != before
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Option<StatsAction> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return Some(StatsAction::Close),
            KeyCode::Char('c') if ctrl => return Some(StatsAction::Close),
            KeyCode::Tab | KeyCode::Right | KeyCode::Char('l') => self.switch(true),
            KeyCode::BackTab | KeyCode::Left | KeyCode::Char('h') => self.switch(false),
            KeyCode::Char(c @ '1'..='4') => {
                let i = usize::from(c as u8 - b'1');
                if let Some(v) = VIEWS.get(i) {
                    self.view = *v;
                    self.cursor = 0;
                }
            }
            KeyCode::Down | KeyCode::Char('j') => self.down(),
            KeyCode::Up | KeyCode::Char('k') => self.up(),
            KeyCode::Home | KeyCode::Char('g') => self.cursor = 0,
            KeyCode::End | KeyCode::Char('G') => self.cursor = self.rows().saturating_sub(1),
            KeyCode::Char('?') => self.help = !self.help,
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::report::TagCount;
    use crate::stats::{Dataset, Query};

    /// The tags view with `rows` tags: a list to move through.
    fn screen_of(rows: usize) -> StatsScreen {
        let mut report = crate::stats::analyse(&Dataset::default(), &Query::default());
        report.tags.tags = (0..rows)
            .map(|i| TagCount {
                tag: format!("tag{i}"),
                honest: 0,
                dishonest: 0,
                unknown: 0,
                honest_rate: None,
                dishonest_rate: None,
            })
            .collect();
        let mut screen = StatsScreen::new(report);
        screen.view = View::Tags;
        screen
    }

    fn wheel(kind: MouseEventKind) -> MouseEvent {
        MouseEvent {
            kind,
            column: 10,
            row: 5,
            modifiers: KeyModifiers::NONE,
        }
    }

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn the_wheel_moves_the_cursor_as_j_and_k_do() {
        let mut by_wheel = screen_of(3);
        let mut by_keys = screen_of(3);
        let moves = [
            (MouseEventKind::ScrollDown, 'j'),
            (MouseEventKind::ScrollDown, 'j'),
            (MouseEventKind::ScrollDown, 'j'),
            (MouseEventKind::ScrollUp, 'k'),
        ];
        let mut cursors = Vec::new();
        for (kind, c) in moves {
            by_wheel.mouse(&wheel(kind));
            by_keys.handle(&key(c));
            assert_eq!(by_wheel.cursor, by_keys.cursor, "after {c}");
            cursors.push(by_wheel.cursor);
        }
        assert_eq!(cursors, [1, 2, 2, 1], "stops at the last row");
    }

    #[test]
    fn the_wheel_says_whether_anything_moved() {
        let mut s = screen_of(2);
        assert!(
            !s.mouse(&wheel(MouseEventKind::ScrollUp)),
            "already at the top"
        );
        assert!(s.mouse(&wheel(MouseEventKind::ScrollDown)));
        assert!(
            !s.mouse(&wheel(MouseEventKind::ScrollDown)),
            "already at the end"
        );
        assert!(!s.mouse(&wheel(MouseEventKind::Moved)));
        assert!(
            !screen_of(0).mouse(&wheel(MouseEventKind::ScrollDown)),
            "no rows"
        );
    }
}
