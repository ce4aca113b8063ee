//! Debaters behind one streaming interface: a turn request in, a stream of text deltas and a
//! final usage record out. The scripted demo, replay and the LLM wires all fit it.

pub mod asks;
pub mod decode;
pub mod llm;
pub mod prompt;
pub mod recorded;
pub mod retry;
pub mod scripted;
pub mod structured;
pub mod wire;

use crate::domain::{FollowupPurpose, Session, Side, TurnStats};
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use std::time::Duration;

/// Which turn a provider is asked for, and which request for it this is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnSpec {
    /// The index the turn has in the session.
    pub turn: usize,
    /// Numbers every request the engine makes, so a late item from a cancelled one is ignored.
    pub attempt: u32,
    pub side: Side,
    pub round: u32,
    /// The node the turn debates (`root`, or a claim when drilling).
    pub scope: String,
}

/// What a provider is asked for: one turn of one side, with the session as it stands (the
/// transcript so far, the tree, the setup) to build its prompt from.
#[derive(Debug, Clone, Copy)]
pub struct TurnRequest<'a> {
    pub spec: &'a TurnSpec,
    pub session: &'a Session,
}

/// One item of a turn's stream.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// More text.
    Delta(String),
    /// The turn's claims as JSON under `claims::json_schema()`, returned in the same request
    /// (a tool call's arguments); they take precedence over a block in the text.
    Claims(String),
    /// The prompt asked for no claims block: the claims come from a second request once the
    /// speech is done (Ollama's `format` would make the whole reply JSON).
    ClaimsLater,
    /// A note for the turn's warnings about how its claims are obtained (a refused feature).
    Note(String),
    /// The turn ended normally; the stream ends after this.
    Done(TurnStats),
}

/// A short request after a speech for its claims alone.
#[derive(Debug, Clone, Copy)]
pub struct FollowupRequest<'a> {
    /// The turn (still streaming in the session: its speech is complete).
    pub spec: &'a TurnSpec,
    pub session: &'a Session,
    pub purpose: FollowupPurpose,
}

/// What a follow-up answered.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowupReply {
    /// The answer: JSON under `claims::json_schema()` when `json`, else a claims block.
    pub text: String,
    pub json: bool,
    pub stats: TurnStats,
    /// A note for the turn's warnings (the server refused structured output).
    pub note: Option<String>,
}

pub type FollowupFuture = BoxFuture<'static, Result<FollowupReply, ProviderError>>;

/// Whether a failed request is worth sending again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// A fault that will not go away by itself (bad key, bad request, malformed stream).
    No,
    /// A rate limit, an overload, a timeout, a dropped connection: try again, after the
    /// server's wait when it gave one.
    Yes { server_wait: Option<Duration> },
}

/// Why a request failed. The message says what happened, not who failed (the engine and the
/// screen know who, and blind judging must not be told); any URL in it has no credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProviderError {
    pub message: String,
    pub retry: Retry,
}

impl ProviderError {
    /// A failure not worth retrying.
    pub fn new(message: impl Into<String>) -> Self {
        ProviderError {
            message: message.into(),
            retry: Retry::No,
        }
    }

    /// A failure worth retrying, after `server_wait` when the server named one.
    pub fn retryable(message: impl Into<String>, server_wait: Option<Duration>) -> Self {
        ProviderError {
            message: message.into(),
            retry: Retry::Yes { server_wait },
        }
    }
}

pub type TurnStream = BoxStream<'static, Result<StreamEvent, ProviderError>>;

/// A debater's source of words. Each call is one request: retries, backoff and timeouts
/// across requests are the engine's.
pub trait Provider: Send + Sync {
    /// Starts streaming one turn. Dropping the stream cancels the request.
    fn stream_turn(&self, request: TurnRequest<'_>) -> TurnStream;

    /// Answers a question outside the debate's turns (a debater choosing its answer, an LLM
    /// judge's credence), streamed like a turn. A provider that cannot answer says so.
    fn ask(&self, ask: &asks::Ask) -> TurnStream {
        let _ = ask;
        let err = ProviderError::new("this debater answers only its turns, not other questions");
        futures_util::stream::once(async move { Err(err) }).boxed()
    }

    /// Asks the debater for the claims of its finished speech alone (one request, never
    /// retried). Dropping the future cancels it. Debaters that always write their block (the
    /// scripted demo, a recording) cannot be asked.
    fn claims_followup(&self, _request: FollowupRequest<'_>) -> FollowupFuture {
        Box::pin(async {
            Err(ProviderError::new(
                "this debater cannot be asked for its claims",
            ))
        })
    }
}

/// A wait as people read it: "45 ms", "1.5 s".
pub fn describe_wait(wait: Duration) -> String {
    if wait < Duration::from_millis(100) {
        format!("{} ms", wait.as_millis())
    } else {
        format!("{:.1} s", wait.as_secs_f64())
    }
}

/// A duration in whole milliseconds, saturating.
pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
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

/// The longest a paced stream waits between words.
const MAX_WORD_INTERVAL: Duration = Duration::from_secs(60);

/// The wait between words at a pace. A pace too fast to wait for is no wait at all; one too
/// slow to wait for (1e-300 words/s) waits [`MAX_WORD_INTERVAL`], still visibly slow, without
/// overflowing a timer.
fn word_interval(words_per_sec: f64) -> Option<Duration> {
    (words_per_sec.is_finite() && words_per_sec > 0.0)
        .then(|| Duration::try_from_secs_f64(1.0 / words_per_sec).unwrap_or(MAX_WORD_INTERVAL))
        .map(|d| d.min(MAX_WORD_INTERVAL))
        .filter(|d| !d.is_zero())
}

/// A stream that hands out `text` word by word at `words_per_sec` (0 means all at once), then
/// a `Done` with the given stats and measured timings.
pub(crate) fn paced_stream(text: String, words_per_sec: f64, stats: TurnStats) -> TurnStream {
    use futures_util::StreamExt;
    use std::time::Instant;

    let chunks = word_chunks(&text);
    let interval = word_interval(words_per_sec);
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
        stats.time_to_first_token_ms = st.first.map(millis);
        stats.total_ms = Some(millis(started.elapsed()));
        Some((Ok(StreamEvent::Done(stats)), st))
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_pace_gives_a_wait_a_timer_can_hold() {
        assert_eq!(word_interval(0.0), None, "0 is all at once");
        assert_eq!(word_interval(f64::NAN), None);
        assert_eq!(word_interval(1e300), None, "too fast to wait for");
        assert_eq!(word_interval(4.0), Some(Duration::from_millis(250)));
        assert_eq!(word_interval(1e-300), Some(MAX_WORD_INTERVAL));
        assert_eq!(word_interval(f64::MIN_POSITIVE), Some(MAX_WORD_INTERVAL));
    }

    #[test]
    fn word_chunks_rejoin_exactly() {
        for text in ["", "one", "  lead", "a b  c\n\nd ", "é ü\t∑"] {
            let chunks = word_chunks(text);
            assert_eq!(chunks.concat(), text);
        }
        assert_eq!(word_chunks("a b  c"), vec!["a ", "b  ", "c"]);
    }
}
