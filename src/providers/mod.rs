//! Debaters behind one streaming interface: a turn request in, a stream of text deltas and a
//! final usage record out. The scripted demo, replay and (later) real LLM providers all fit it.

pub mod decode;
pub mod llm;
pub mod prompt;
pub mod recorded;
pub mod retry;
pub mod scripted;

use crate::domain::{Session, Side, TurnStats};
use futures_util::stream::BoxStream;
use std::sync::Arc;
use std::time::Duration;

/// What a provider is asked for: one turn of one side.
#[derive(Debug, Clone)]
pub struct TurnRequest {
    /// The index the turn will have in the session.
    pub turn: usize,
    pub side: Side,
    pub round: u32,
    /// The node the turn debates (`root`, or a claim when drilling).
    pub scope: String,
    /// The session as it stood when the turn began: transcript, tree and setup.
    pub session: Arc<Session>,
}

/// One item of a turn's stream.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// More text.
    Delta(String),
    /// The request failed before any text and will be tried again after `wait`.
    Retrying {
        attempt: u32,
        wait: Duration,
        reason: String,
    },
    /// The turn ended normally; the stream ends after this.
    Done(TurnStats),
}

/// Why a turn's stream failed. The message is shown to the judge as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProviderError {
    pub message: String,
}

impl ProviderError {
    pub fn new(message: impl Into<String>) -> Self {
        ProviderError {
            message: message.into(),
        }
    }
}

pub type TurnStream = BoxStream<'static, Result<StreamEvent, ProviderError>>;

/// A debater's source of words.
pub trait Provider: Send + Sync {
    /// Starts streaming one turn. Dropping the stream cancels the turn.
    fn stream_turn(&self, request: TurnRequest) -> TurnStream;
}

/// A wait as people read it: "45 ms", "1.5 s".
pub fn describe_wait(wait: Duration) -> String {
    if wait < Duration::from_millis(100) {
        format!("{} ms", wait.as_millis())
    } else {
        format!("{:.1} s", wait.as_secs_f64())
    }
}

/// Splits text into words, each with the whitespace that follows it, so that joining the pieces
/// gives back the text exactly.
pub fn word_chunks(text: &str) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            chunks.push(std::mem::take(&mut current));
            in_space = false;
        }
        current.push(c);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// A stream that hands out `text` word by word at `words_per_sec` (0 means all at once), then
/// a `Done` with the given stats and measured timings.
pub(crate) fn paced_stream(text: String, words_per_sec: f64, stats: TurnStats) -> TurnStream {
    use futures_util::StreamExt;
    use std::time::Instant;

    let chunks = word_chunks(&text);
    let interval = (words_per_sec > 0.0).then(|| Duration::from_secs_f64(1.0 / words_per_sec));
    let started = Instant::now();
    struct St {
        chunks: std::vec::IntoIter<String>,
        stats: Option<TurnStats>,
        first: Option<Duration>,
    }
    let state = St {
        chunks: chunks.into_iter(),
        stats: Some(stats),
        first: None,
    };
    futures_util::stream::unfold(state, move |mut st| async move {
        if let Some(chunk) = st.chunks.next() {
            if let Some(interval) = interval {
                tokio::time::sleep(interval).await;
            }
            st.first.get_or_insert_with(|| started.elapsed());
            return Some((Ok(StreamEvent::Delta(chunk)), st));
        }
        let mut stats = st.stats.take()?;
        stats.time_to_first_token_ms = st.first.map(|d| d.as_millis() as u64);
        stats.total_ms = Some(started.elapsed().as_millis() as u64);
        Some((Ok(StreamEvent::Done(stats)), st))
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_chunks_rejoin_exactly() {
        for text in ["", "one", "  lead", "a b  c\n\nd ", "é ü\t∑"] {
            let chunks = word_chunks(text);
            assert_eq!(chunks.concat(), text);
        }
        assert_eq!(word_chunks("a b  c"), vec!["a ", "b  ", "c"]);
    }
}
