//! The stats screen's state: a computed report and which of its views is open. Reached from
//! `agon stats` on a terminal and from the sessions browser.

use crate::stats::StatsReport;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(self.rows().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Home | KeyCode::Char('g') => self.cursor = 0,
            KeyCode::End | KeyCode::Char('G') => self.cursor = self.rows().saturating_sub(1),
            KeyCode::Char('?') => self.help = !self.help,
            _ => {}
        }
        None
    }
}
