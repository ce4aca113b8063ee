//! Replays the turns of a saved session through the same stream interface as live debaters.

use super::{Provider, ProviderError, TurnRequest, TurnStream, paced_stream};
use crate::domain::Session;
use futures_util::StreamExt;
use std::sync::Arc;

pub struct RecordedProvider {
    recording: Arc<Session>,
    words_per_sec: f64,
}

impl RecordedProvider {
    pub fn new(recording: Arc<Session>, words_per_sec: f64) -> Self {
        RecordedProvider {
            recording,
            words_per_sec,
        }
    }
}

impl Provider for RecordedProvider {
    fn stream_turn(&self, request: TurnRequest<'_>) -> TurnStream {
        match self.recording.turn(request.spec.turn) {
            Some(turn) => paced_stream(turn.text.clone(), self.words_per_sec, turn.stats.clone()),
            None => {
                let err = ProviderError::new(format!(
                    "the recording has no turn {}",
                    request.spec.turn + 1
                ));
                futures_util::stream::once(async move { Err(err) }).boxed()
            }
        }
    }
}
