//! When the session is saved, and what is written: the save policy.
//!
//! A live session is saved when it starts, after every finished turn, skip, retry and judge
//! action, on quitting, and while a turn streams as a checkpoint at most
//! [`super::EngineConfig::checkpoint_every`] after its text arrived. A re-judgement writes the
//! recording with this judge's work as one more judgement; a replay writes nothing. The writes
//! themselves happen off the engine's thread ([`super::driver`]); their results come back as
//! [`super::Input::Saved`] and are kept here, so a failure stays visible until a save succeeds.

use super::{Engine, Mode};
use crate::domain::{JudgeInfo, Judgement, Session};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// A snapshot to write.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveJob {
    pub path: PathBuf,
    pub session: Box<Session>,
}

/// Where the session is saved, and how the saves went.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SaveState {
    path: Option<PathBuf>,
    in_flight: usize,
    saved_once: bool,
    error: Option<String>,
    unsaved_text_since: Option<OffsetDateTime>,
}

impl SaveState {
    pub(super) fn new(path: Option<PathBuf>) -> Self {
        SaveState {
            path,
            ..SaveState::default()
        }
    }

    /// The file the session is saved to; `None` when it is never saved.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    pub fn saved_once(&self) -> bool {
        self.saved_once
    }

    /// Why the last save failed, until one succeeds.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether work may be lost if agon stopped now: the last save failed.
    pub fn is_failing(&self) -> bool {
        self.error.is_some()
    }

    pub(super) fn text_arrived(&mut self, now: OffsetDateTime) {
        self.unsaved_text_since.get_or_insert(now);
    }

    pub(super) fn finished(&mut self, path: &Path, result: Result<(), String>) {
        if self.path.as_deref() != Some(path) {
            return;
        }
        self.in_flight = self.in_flight.saturating_sub(1);
        match result {
            Ok(()) => {
                self.saved_once = true;
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }
}

impl Engine {
    /// Saves the session as the mode wants it written. `force` saves a re-judgement even with
    /// nothing judged (an undo back to nothing, quitting after a save).
    pub(super) fn save(&mut self, force: bool) {
        let Some(path) = self.saving.path.clone() else {
            return;
        };
        let session = match &self.mode {
            Mode::Live => self.session.clone(),
            Mode::Replay { .. } => return,
            Mode::Rejudge {
                recording,
                index,
                started,
            } => {
                // A re-judgement with nothing judged yet leaves the file alone.
                if self.session.judge_events.is_empty() && !(force && self.saving.saved_once) {
                    return;
                }
                let JudgeInfo { kind, name, blind } = self.session.judge.clone();
                recording.with_judgement(
                    *index,
                    Judgement {
                        id: u32::try_from(*index).unwrap_or(u32::MAX).saturating_add(1),
                        kind,
                        judge: name,
                        mode: Some("stepped".into()),
                        blind,
                        started_at: *started,
                        judge_events: self.session.judge_events.clone(),
                        verdict: self.session.verdict.clone(),
                        annotations: self.session.annotations.clone(),
                        extra: None,
                    },
                )
            }
        };
        self.saving.in_flight = self.saving.in_flight.saturating_add(1);
        self.saving.unsaved_text_since = None;
        self.out.push(super::Output::Save(SaveJob {
            path,
            session: Box::new(session),
        }));
    }

    /// Saves a streaming turn's text once it has waited long enough.
    pub(super) fn checkpoint(&mut self, now: OffsetDateTime) {
        let Some(since) = self.saving.unsaved_text_since else {
            return;
        };
        let every = time::Duration::try_from(self.cfg.checkpoint_every)
            .unwrap_or(time::Duration::seconds(2));
        if now - since >= every {
            self.save(false);
        }
    }
}
