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

/// Where a session file goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveTarget {
    /// A file that exists (a resumed or re-judged session): written over, atomically.
    File(PathBuf),
    /// A new file in `dir`, named `name` (by default the session's own file name, from its
    /// question at the first write) or, if that is taken, a numbered variant: the saver
    /// reserves it at the first write, so two sessions never share a file.
    New { dir: PathBuf, name: Option<String> },
}

/// A snapshot to write. `key` (the session's id) ties the writes of one session together, so
/// they all go to the file its first write created.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveJob {
    pub target: SaveTarget,
    pub key: String,
    pub session: Box<Session>,
}

/// Where the session is saved, and how the saves went.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SaveState {
    target: Option<SaveTarget>,
    /// The file, once known (at once for an existing file; after the first write for a new one).
    path: Option<PathBuf>,
    in_flight: usize,
    saved_once: bool,
    error: Option<String>,
    unsaved_text_since: Option<OffsetDateTime>,
}

impl SaveState {
    pub(super) fn new(target: Option<SaveTarget>) -> Self {
        let path = match &target {
            Some(SaveTarget::File(p)) => Some(p.clone()),
            _ => None,
        };
        SaveState {
            target,
            path,
            ..SaveState::default()
        }
    }

    /// The file the session is saved to; `None` when it is never saved, or not written yet.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The folder a new file goes to, or the existing file's folder.
    pub fn dir(&self) -> Option<&Path> {
        match &self.target {
            Some(SaveTarget::New { dir, .. }) => Some(dir),
            Some(SaveTarget::File(p)) => p.parent(),
            None => None,
        }
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

    pub(super) fn finished(
        &mut self,
        key: &str,
        own_key: &str,
        path: Option<&Path>,
        result: Result<(), String>,
    ) {
        if key != own_key {
            return;
        }
        if let Some(p) = path {
            self.path = Some(p.to_path_buf());
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
        let Some(target) = self.saving.target.clone() else {
            return;
        };
        let key = self.save_key();
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
                        usage: None,
                        extra: None,
                    },
                )
            }
        };
        self.saving.in_flight = self.saving.in_flight.saturating_add(1);
        self.saving.unsaved_text_since = None;
        self.out.push(super::Output::Save(SaveJob {
            target,
            key,
            session: Box::new(session),
        }));
    }

    /// What ties this engine's saves together: the id of the session it writes.
    pub(super) fn save_key(&self) -> String {
        match &self.mode {
            Mode::Rejudge { recording, .. } => recording.id.clone(),
            _ => self.session.id.clone(),
        }
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
