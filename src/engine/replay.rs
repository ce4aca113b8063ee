//! Replays and re-judgements: playing a recording back turn by turn, with its judge's actions
//! as they happened (a replay) or hidden (a re-judgement), and going to any turn.

use super::{Engine, EngineConfig, Event, Mode, Refusal};
use crate::domain::{ClaimTree, JudgeEvent, JudgeInfo, Session, SessionStatus};
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;

/// The recording's setup with nothing played yet: the session a replay fills turn by turn.
fn blank(recording: &Session) -> Session {
    let mut session = recording.clone();
    session.set_turns(Vec::new());
    session.tree = ClaimTree::new(&recording.question);
    session.judge_events.clear();
    session.verdict = None;
    session.annotations.clear();
    session.ended_early = None;
    // Rounds the judge added come back as the recorded events replay.
    session.protocol.rounds = session
        .protocol
        .rounds
        .saturating_sub(recording.rounds_added());
    session.status = SessionStatus::Running;
    session
}

impl Engine {
    /// Plays `recording` back read-only, with its judge's actions as they happened.
    pub fn replay(recording: Session, cfg: EngineConfig) -> Engine {
        let session = blank(&recording);
        let cfg = EngineConfig {
            start_paused: true,
            ..cfg
        };
        Engine::new(
            session,
            Mode::Replay {
                recording: Arc::new(recording),
            },
            cfg,
            None,
        )
    }

    /// A new, separate judgement of `recording` by `judge`, stepped turn by turn, saved as one
    /// more entry of its `judgements` in `file`; the earlier judgements stay hidden and are
    /// never changed.
    pub fn rejudge(
        recording: Session,
        judge: JudgeInfo,
        cfg: EngineConfig,
        file: Option<PathBuf>,
        now: OffsetDateTime,
    ) -> Engine {
        let index = recording.judgements.len();
        let mut session = blank(&recording);
        session.judge = judge;
        let cfg = EngineConfig {
            start_paused: true,
            ..cfg
        };
        Engine::new(
            session,
            Mode::Rejudge {
                recording: Arc::new(recording),
                index,
                started: now,
            },
            cfg,
            file.map(super::SaveTarget::File),
        )
    }

    /// In a replay, the recorded judge's actions after `after_turn` are applied as they
    /// happened and read out.
    pub(super) fn replay_timeline(&mut self, after_turn: Option<usize>) {
        let Mode::Replay { recording } = &self.mode else {
            return;
        };
        let events: Vec<JudgeEvent> = recording
            .judge_events
            .iter()
            .filter(|e| e.after_turn == after_turn)
            .cloned()
            .collect();
        let mut actions = Vec::new();
        for event in events {
            match self.session.apply(event.kind.clone(), event.at) {
                Ok(kind) => {
                    actions.push(kind.clone());
                    self.session.judge_events.push(JudgeEvent { kind, ..event });
                }
                Err(e) => tracing::warn!("replay: a recorded judge event does not apply: {e}"),
            }
        }
        if !actions.is_empty() {
            self.emit(Event::Timeline {
                after_turn,
                actions,
            });
        }
    }

    /// Shows the recording as it stood after `n` turns. A re-judgement goes forward only, so
    /// that this judge's work on later turns is never dropped.
    pub(super) fn seek(&mut self, n: usize) {
        let Some(recording) = self.recording().cloned() else {
            return self.refuse(Refusal::NotLive);
        };
        let n = n.min(recording.turns().len());
        let rejudging = matches!(self.mode, Mode::Rejudge { .. });
        if rejudging && n < self.session.turns().len() {
            return self.refuse(Refusal::ForwardOnly);
        }
        for l in std::mem::take(&mut self.live) {
            self.out.push(super::Output::Cancel {
                turn: l.turn,
                attempt: l.attempt,
            });
        }
        self.waits.clear();
        let mut then = recording.as_of(n);
        if rejudging {
            // Keep this judge's own work; the earlier judges' stays hidden.
            then.judge_events = std::mem::take(&mut self.session.judge_events);
            then.judge = self.session.judge.clone();
            then.rebuild();
        }
        self.session = then;
        self.scope = vec![crate::domain::ROOT_ID.to_string()];
        self.paused = true;
        self.steps = 0;
        self.emit(Event::Seeked {
            turn: n,
            of: recording.turns().len(),
        });
    }
}
