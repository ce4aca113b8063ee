//! Real debaters: OpenAI-compatible Chat Completions, Anthropic Messages and Ollama's native chat,
//! all streamed. One call is one request: it says whether a failure is worth retrying (and after
//! how long the server asked), and the engine decides whether to retry: only before the first
//! word; after it, a fault fails the turn and the partial text is kept.

use super::decode::{self, DecodeError, Decoded};
use super::prompt;
use super::retry;
use super::structured::{self, Ask, ClaimsMode, ToolCalls};
use super::{
    FollowupFuture, FollowupReply, FollowupRequest, Provider, ProviderError, StreamEvent,
    TurnRequest, TurnStream, millis,
};
use crate::domain::turn::add_known;
use crate::domain::{SamplingParams, TurnStats};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

pub use super::wire::Wire;

/// Dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Price {
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
}

impl Price {
    pub fn cost(&self, input: Option<u64>, output: Option<u64>) -> f64 {
        (input.unwrap_or(0) as f64 * self.input_per_mtok
            + output.unwrap_or(0) as f64 * self.output_per_mtok)
            / 1e6
    }
}

/// An API key. Its `Debug` never shows it, so it cannot leak into logs.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: String) -> Self {
        ApiKey(key)
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Everything one LLM debater needs.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    pub wire: Wire,
    pub base_url: String,
    pub model: String,
    /// The variable the key came from, named in error messages.
    pub api_key_env: Option<String>,
    pub api_key: Option<ApiKey>,
    /// The system prompt template (see `prompts/debater.md`).
    pub system_prompt: String,
    pub params: SamplingParams,
    pub connect_timeout: Duration,
    /// Longest wait from sending the request to the first word of the answer.
    pub first_token_timeout: Duration,
    /// Longest silence allowed between chunks once the answer streams.
    pub read_timeout: Duration,
    pub price: Option<Price>,
    /// How the debater's claims are obtained: structured where the wire offers it, or the
    /// claims block.
    pub claims: ClaimsMode,
}

pub struct LlmProvider {
    cfg: LlmConfig,
    client: reqwest::Client,
    /// The server refused structured claims once: this debater asks for the block from then
    /// on, so the failed request is not paid every turn.
    refused: Arc<AtomicBool>,
}

/// Anthropic requires `max_tokens`; this is used when the config gives none.
const ANTHROPIC_DEFAULT_MAX_TOKENS: u32 = 1024;

impl LlmProvider {
    pub fn new(cfg: LlmConfig) -> Result<Self, ProviderError> {
        // reqwest is built without a bundled crypto provider; use ring's.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(cfg.connect_timeout)
            .read_timeout(cfg.read_timeout)
            .user_agent(concat!("agon/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::new(format!("cannot set up the HTTP client: {e}")))?;
        Ok(LlmProvider {
            cfg,
            client,
            refused: Arc::new(AtomicBool::new(false)),
        })
    }

    /// How this debater's claims are asked for now.
    fn ask(&self) -> Ask {
        if self.cfg.claims.structured() && !self.refused.load(Ordering::Relaxed) {
            Ask::structured_on(self.cfg.wire)
        } else {
            Ask::Block
        }
    }

    fn conn(&self) -> Conn {
        Conn {
            cfg: self.cfg.clone(),
            client: self.client.clone(),
        }
    }

    pub fn config(&self) -> &LlmConfig {
        &self.cfg
    }

    /// The JSON body of a streaming request.
    pub fn request_body(&self, system: &str, user: &str) -> serde_json::Value {
        build_body(&self.cfg, system, user)
    }
}

pub fn build_body(cfg: &LlmConfig, system: &str, user: &str) -> serde_json::Value {
    use serde_json::json;
    let p = &cfg.params;
    match cfg.wire {
        Wire::Openai => {
            let mut body = json!({
                "model": cfg.model,
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                "stream": true,
                "stream_options": {"include_usage": true},
            });
            if let Some(t) = p.temperature {
                body["temperature"] = json!(t);
            }
            if let Some(m) = p.max_tokens {
                body["max_tokens"] = json!(m);
            }
            body
        }
        Wire::Anthropic => {
            let mut body = json!({
                "model": cfg.model,
                "system": system,
                "messages": [{"role": "user", "content": user}],
                "max_tokens": p.max_tokens.unwrap_or(ANTHROPIC_DEFAULT_MAX_TOKENS),
                "stream": true,
            });
            if let Some(t) = p.temperature {
                body["temperature"] = json!(t);
            }
            body
        }
        Wire::Ollama => {
            let mut options = serde_json::Map::new();
            if let Some(t) = p.temperature {
                options.insert("temperature".into(), json!(t));
            }
            if let Some(m) = p.max_tokens {
                options.insert("num_predict".into(), json!(m));
            }
            json!({
                "model": cfg.model,
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                "stream": true,
                "options": options,
            })
        }
    }
}

impl Provider for LlmProvider {
    fn stream_turn(&self, request: TurnRequest<'_>) -> TurnStream {
        let (session, spec) = (request.session, request.spec);
        let system = prompt::system_prompt(&self.cfg.system_prompt, session, spec.side);
        let message =
            |ask| prompt::turn_message_for(session, spec.side, spec.round, &spec.scope, ask);
        let ask = self.ask();
        let mut body = self.request_body(&system, &message(ask));
        let fallback = match ask {
            Ask::Tool => {
                structured::add_tool(&mut body, self.cfg.wire);
                Some(self.request_body(&system, &message(Ask::Block)))
            }
            Ask::Block | Ask::Later => None,
        };
        self.spawn(Job {
            conn: self.conn(),
            body,
            fallback,
            claims_later: ask == Ask::Later,
            refused: self.refused.clone(),
            tx: None,
        })
    }

    fn claims_followup(&self, request: FollowupRequest<'_>) -> FollowupFuture {
        let (session, spec) = (request.session, request.spec);
        let system = prompt::system_prompt(&self.cfg.system_prompt, session, spec.side);
        let structured = self.ask() != Ask::Block;
        let json = structured.then(|| {
            let user = prompt::claims_message(session, spec.turn, true);
            structured::followup_body(build_body(&self.cfg, &system, &user), self.cfg.wire, true)
        });
        let user = prompt::claims_message(session, spec.turn, false);
        let block =
            structured::followup_body(build_body(&self.cfg, &system, &user), self.cfg.wire, false);
        let (conn, refused) = (self.conn(), self.refused.clone());
        Box::pin(async move { conn.followup(json, block, &refused).await })
    }

    fn ask(&self, ask: &super::asks::Ask) -> TurnStream {
        self.stream_prompt(&ask.system, &ask.user)
    }
}

impl LlmProvider {
    /// Streams the answer to one system prompt and one user message (a turn, or a judge's
    /// question about the debate).
    pub fn stream_prompt(&self, system: &str, user: &str) -> TurnStream {
        let body = self.request_body(system, user);
        self.spawn(Job {
            conn: self.conn(),
            body,
            fallback: None,
            claims_later: false,
            refused: self.refused.clone(),
            tx: None,
        })
    }

    fn spawn(&self, mut job: Job) -> TurnStream {
        let (tx, rx) = mpsc::channel(256);
        job.tx = Some(tx);
        let task = tokio::spawn(job.run());
        ChannelStream { rx, task }.boxed()
    }

    /// One non-streaming request for claims, for `agon extract`: the answer's text (JSON when
    /// `structured` and the server accepted the schema) and its stats.
    pub async fn claims_request(
        &self,
        system: &str,
        user_json: &str,
        user_block: &str,
    ) -> Result<FollowupReply, ProviderError> {
        let structured = self.ask() != Ask::Block;
        let json = structured.then(|| {
            structured::followup_body(
                build_body(&self.cfg, system, user_json),
                self.cfg.wire,
                true,
            )
        });
        let block = structured::followup_body(
            build_body(&self.cfg, system, user_block),
            self.cfg.wire,
            false,
        );
        self.conn().followup(json, block, &self.refused).await
    }
}

/// A stream fed by a task; dropping the stream stops the task (and so the HTTP request).
struct ChannelStream {
    rx: mpsc::Receiver<Result<StreamEvent, ProviderError>>,
    task: tokio::task::JoinHandle<()>,
}

impl Stream for ChannelStream {
    type Item = Result<StreamEvent, ProviderError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

impl Drop for ChannelStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a request needs to reach the server, and to say what went wrong without secrets.
struct Conn {
    cfg: LlmConfig,
    client: reqwest::Client,
}

/// Why a request failed before its answer streamed.
enum SendError {
    /// The server does not do structured claims (see `structured::is_refusal`); `error` is
    /// what to report if there is nothing to fall back to.
    Refused {
        detail: String,
        error: ProviderError,
    },
    Failed(ProviderError),
}

impl SendError {
    fn into_error(self) -> ProviderError {
        match self {
            SendError::Refused { error, .. } | SendError::Failed(error) => error,
        }
    }
}

impl From<ProviderError> for SendError {
    fn from(e: ProviderError) -> Self {
        SendError::Failed(e)
    }
}

/// Longest follow-up answer read.
const ANSWER_LIMIT: usize = 1024 * 1024;

struct Job {
    conn: Conn,
    body: serde_json::Value,
    /// The same speech asking for the claims block, for a server that refuses the tool.
    fallback: Option<serde_json::Value>,
    /// The claims come from a second request: say so once the speech is done.
    claims_later: bool,
    refused: Arc<AtomicBool>,
    /// Set by `LlmProvider::spawn` before the job runs.
    tx: Option<mpsc::Sender<Result<StreamEvent, ProviderError>>>,
}

/// What the job does with decoded items: forward text, keep usage, note the end.
struct Progress {
    started: Instant,
    stats: TurnStats,
    usage: (Option<u64>, Option<u64>),
    /// Whether any text has been sent on (after that, nothing is retried).
    spoke: bool,
    ended: bool,
    /// The tool calls the speech made (its structured claims).
    tools: ToolCalls,
}

impl Progress {
    fn new(started: Instant, cfg: &LlmConfig) -> Progress {
        Progress {
            started,
            stats: TurnStats {
                provider: cfg.wire.name().to_string(),
                model: cfg.model.clone(),
                ..TurnStats::default()
            },
            usage: (None, None),
            spoke: false,
            ended: false,
            tools: ToolCalls::default(),
        }
    }
}

impl Job {
    async fn run(self) {
        if let Err(e) = self.request().await {
            self.send_event(Err(e)).await;
        }
    }

    /// Sends an item on; `false` when the receiver is gone (the turn was cancelled).
    async fn send_event(&self, item: Result<StreamEvent, ProviderError>) -> bool {
        match &self.tx {
            Some(tx) => tx.send(item).await.is_ok(),
            None => false,
        }
    }
}

impl Conn {
    fn key_hint(&self) -> String {
        match &self.cfg.api_key_env {
            Some(var) if self.cfg.api_key.is_some() => format!("the key comes from ${var}"),
            Some(var) => format!("${var} is not set"),
            None => "no API key is configured (set api_key_env in the config)".into(),
        }
    }

    /// The endpoint as it may be shown: no credentials in user info or query.
    fn shown_url(&self) -> String {
        crate::text::redact::url(&self.cfg.wire.endpoint(&self.cfg.base_url))
    }

    /// Removes every credential of the base URL from a message that might quote it.
    fn scrub(&self, message: String) -> String {
        let secrets = crate::text::redact::url_secrets(&self.cfg.base_url);
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        crate::text::redact::secrets(&message, &refs)
    }

    /// Sends `body`. When `structured` (it asks for structured claims), a refusal of the
    /// feature is told apart from other failures so that the caller can fall back.
    async fn send(
        &self,
        body: &serde_json::Value,
        structured: bool,
    ) -> Result<reqwest::Response, SendError> {
        let url = self.cfg.wire.endpoint(&self.cfg.base_url);
        let mut req = self
            .client
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        match (self.cfg.wire, &self.cfg.api_key) {
            (Wire::Openai, Some(k)) => req = req.bearer_auth(&k.0),
            (Wire::Anthropic, Some(k)) => req = req.header("x-api-key", &k.0),
            (Wire::Ollama, Some(k)) => req = req.bearer_auth(&k.0),
            _ => {}
        }
        if self.cfg.wire == Wire::Anthropic {
            req = req.header("anthropic-version", "2023-06-01");
        }
        let shown = self.shown_url();
        let resp = match tokio::time::timeout(self.cfg.first_token_timeout, req.send()).await {
            Ok(Ok(resp)) => resp,
            Ok(Err(e)) => {
                let why = self.scrub(describe_reqwest(&e));
                return Err(
                    ProviderError::retryable(format!("cannot reach {shown}: {why}"), None).into(),
                );
            }
            Err(_) => {
                return Err(ProviderError::retryable(
                    format!(
                        "no answer from {shown} within {}",
                        super::describe_wait(self.cfg.first_token_timeout)
                    ),
                    None,
                )
                .into());
            }
        };
        let status = resp.status().as_u16();
        if resp.status().is_success() {
            return Ok(resp);
        }
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let server_wait = retry::server_wait(
            header("retry-after-ms").as_deref(),
            header("retry-after").as_deref(),
            time::OffsetDateTime::now_utc(),
        );
        let should_retry = match header("x-should-retry").as_deref() {
            Some("true") => true,
            Some("false") => false,
            _ => retry::is_retryable(status),
        };
        let body = read_capped(resp, ERROR_BODY_LIMIT).await;
        let detail = self.scrub(server_message(&body));
        if should_retry {
            return Err(
                ProviderError::retryable(format!("HTTP {status}{detail}"), server_wait).into(),
            );
        }
        let hint = self.key_hint();
        let error = ProviderError::new(match status {
            401 | 403 => format!(
                "the server refused the credentials (HTTP {status}){detail}. Check the API key: {hint}."
            ),
            404 => format!(
                "not found at {shown} (HTTP 404){detail}. Check the model name and base URL; {hint}."
            ),
            400 => format!("the server rejected the request (HTTP 400){detail}; {hint}."),
            _ => format!("HTTP {status}{detail}; {hint}."),
        });
        if structured && structured::is_refusal(status, &body) {
            return Err(SendError::Refused { detail, error });
        }
        Err(SendError::Failed(error))
    }

    /// A follow-up for claims: the structured request when there is one, else (or when the
    /// server refuses it, remembered in `refused`) the plain one asking for a block.
    async fn followup(
        &self,
        json: Option<serde_json::Value>,
        block: serde_json::Value,
        refused: &AtomicBool,
    ) -> Result<FollowupReply, ProviderError> {
        let started = Instant::now();
        let mut note = None;
        let (resp, is_json) = match &json {
            Some(body) => match self.send(body, true).await {
                Ok(resp) => (resp, true),
                Err(SendError::Refused { detail, .. }) => {
                    refused.store(true, Ordering::Relaxed);
                    note = Some(structured::refusal_note(&detail));
                    (
                        self.send(&block, false)
                            .await
                            .map_err(SendError::into_error)?,
                        false,
                    )
                }
                Err(e) => return Err(e.into_error()),
            },
            None => (
                self.send(&block, false)
                    .await
                    .map_err(SendError::into_error)?,
                false,
            ),
        };
        let text = tokio::time::timeout(self.cfg.read_timeout, read_capped(resp, ANSWER_LIMIT))
            .await
            .map_err(|_| {
                ProviderError::new(format!(
                    "the answer stalled: nothing for {}",
                    super::describe_wait(self.cfg.read_timeout)
                ))
            })?;
        let answer = structured::read_answer(self.cfg.wire, &text)
            .map_err(|e| ProviderError::new(self.scrub(e)))?;
        let stats = TurnStats {
            provider: self.cfg.wire.name().to_string(),
            model: self.cfg.model.clone(),
            time_to_first_token_ms: None,
            total_ms: Some(millis(started.elapsed())),
            input_tokens: answer.input_tokens,
            output_tokens: answer.output_tokens,
            cost_usd: self
                .cfg
                .price
                .map(|p| p.cost(answer.input_tokens, answer.output_tokens)),
            retries: 0,
        };
        Ok(FollowupReply {
            text: answer.text,
            json: is_json,
            stats,
            note,
        })
    }
}

impl Job {
    /// One request: send, then stream until the end marker.
    async fn request(&self) -> Result<(), ProviderError> {
        let started = Instant::now();
        let resp = match self.conn.send(&self.body, self.fallback.is_some()).await {
            Ok(resp) => resp,
            Err(SendError::Refused { detail, error }) => {
                let Some(fallback) = &self.fallback else {
                    return Err(error);
                };
                // Not a retry of the turn: the same speech, asking for the block instead.
                self.refused.store(true, Ordering::Relaxed);
                if !self
                    .send_event(Ok(StreamEvent::Note(structured::refusal_note(&detail))))
                    .await
                {
                    return Ok(());
                }
                self.conn
                    .send(fallback, false)
                    .await
                    .map_err(SendError::into_error)?
            }
            Err(e) => return Err(e.into_error()),
        };
        let mut p = Progress::new(started, &self.conn.cfg);
        if !self.read(resp, &mut p).await? {
            return Ok(());
        }
        // A model given the tool may call it and write no speech at all (llmock does; so do
        // real models at times): ask once more for the speech with its block, and from then on
        // ask this debater for the block. Both requests' tokens count.
        if let Some(fallback) = &self.fallback
            && !p.spoke
            && p.tools.claims().is_some()
        {
            self.refused.store(true, Ordering::Relaxed);
            if !self
                .send_event(Ok(StreamEvent::Note(structured::TOOL_ALONE_NOTE.into())))
                .await
            {
                return Ok(());
            }
            let resp = self
                .conn
                .send(fallback, false)
                .await
                .map_err(SendError::into_error)?;
            let spent = p.usage;
            p = Progress::new(started, &self.conn.cfg);
            if !self.read(resp, &mut p).await? {
                return Ok(());
            }
            p.usage = (add_known(spent.0, p.usage.0), add_known(spent.1, p.usage.1));
        }
        p.stats.total_ms = Some(millis(p.started.elapsed()));
        p.stats.input_tokens = p.usage.0;
        p.stats.output_tokens = p.usage.1;
        p.stats.cost_usd = self
            .conn
            .cfg
            .price
            .map(|price| price.cost(p.usage.0, p.usage.1));
        if let Some(args) = p.tools.claims()
            && !self.send_event(Ok(StreamEvent::Claims(args))).await
        {
            return Ok(());
        }
        if self.claims_later && !self.send_event(Ok(StreamEvent::ClaimsLater)).await {
            return Ok(());
        }
        self.send_event(Ok(StreamEvent::Done(p.stats))).await;
        Ok(())
    }

    /// Reads one response to its end marker: `false` when the turn was cancelled meanwhile.
    async fn read(&self, resp: reqwest::Response, p: &mut Progress) -> Result<bool, ProviderError> {
        let going = match self.conn.cfg.wire {
            Wire::Openai | Wire::Anthropic => self.read_sse(resp, p).await?,
            Wire::Ollama => self.read_ndjson(resp, p).await?,
        };
        if going && !p.ended {
            let marker = match self.conn.cfg.wire {
                Wire::Openai => "[DONE]",
                Wire::Anthropic => "message_stop",
                Wire::Ollama => "done: true",
            };
            let message =
                format!("the stream ended before its end marker ({marker}); the turn was cut off");
            return Err(if p.spoke {
                ProviderError::new(message)
            } else {
                ProviderError::retryable(message, None)
            });
        }
        Ok(going)
    }

    /// Waits for the next chunk: the first-token timeout until text has come, the read timeout
    /// after. A timeout before any text is worth retrying.
    async fn next_chunk<T>(
        &self,
        next: impl std::future::Future<Output = Option<T>>,
        p: &Progress,
    ) -> Result<Option<T>, ProviderError> {
        // A speech that went straight to its tool call is under way too.
        let limit = if p.spoke || !p.tools.is_empty() {
            self.conn.cfg.read_timeout
        } else {
            self.conn
                .cfg
                .first_token_timeout
                .saturating_sub(p.started.elapsed())
        };
        match tokio::time::timeout(limit, next).await {
            Ok(item) => Ok(item),
            Err(_) if p.spoke => Err(ProviderError::new(format!(
                "the stream stalled: nothing for {}; the turn was cut off",
                super::describe_wait(limit)
            ))),
            Err(_) => Err(ProviderError::retryable(
                format!(
                    "no first token within {}",
                    super::describe_wait(self.conn.cfg.first_token_timeout)
                ),
                None,
            )),
        }
    }

    /// Sends decoded items on; `Ok(false)` when the receiver is gone.
    async fn emit(&self, decoded: &mut Vec<Decoded>, p: &mut Progress) -> bool {
        for d in decoded.drain(..) {
            match d {
                Decoded::Text(t) => {
                    if t.is_empty() {
                        continue;
                    }
                    p.stats
                        .time_to_first_token_ms
                        .get_or_insert(millis(p.started.elapsed()));
                    p.spoke = true;
                    if !self.send_event(Ok(StreamEvent::Delta(t))).await {
                        return false;
                    }
                }
                Decoded::Tool { index, name, args } => {
                    p.tools.push(index, name.as_deref(), &args);
                }
                Decoded::Usage { input, output } => {
                    p.usage.0 = input.or(p.usage.0);
                    p.usage.1 = output.or(p.usage.1);
                }
                Decoded::End => p.ended = true,
            }
        }
        true
    }

    fn failure(&self, what: String, p: &Progress) -> ProviderError {
        let what = self.conn.scrub(what);
        if p.spoke {
            ProviderError::new(what)
        } else {
            ProviderError::retryable(what, None)
        }
    }

    /// Server-sent events (OpenAI, Anthropic). `Ok(false)`: cancelled.
    async fn read_sse(
        &self,
        resp: reqwest::Response,
        p: &mut Progress,
    ) -> Result<bool, ProviderError> {
        use eventsource_stream::Eventsource;
        let decode_fn = if self.conn.cfg.wire == Wire::Openai {
            decode::openai
        } else {
            decode::anthropic
        };
        let mut events = resp.bytes_stream().eventsource();
        let mut decoded = Vec::new();
        while !p.ended {
            let Some(ev) = self.next_chunk(events.next(), p).await? else {
                break;
            };
            let ev = ev.map_err(|e| {
                let what = match e {
                    eventsource_stream::EventStreamError::Transport(e) => describe_reqwest(&e),
                    other => other.to_string(),
                };
                self.failure(format!("the stream broke: {what}"), p)
            })?;
            // An `error` event is an error whatever its data looks like.
            if ev.event == "error" {
                let value = serde_json::from_str::<serde_json::Value>(&ev.data)
                    .unwrap_or_else(|_| serde_json::Value::String(ev.data.clone()));
                let message = decode::error_message(&value);
                return Err(self.decode_error(DecodeError::Remote(message), p));
            }
            if ev.data.is_empty() {
                continue;
            }
            decode_fn(&ev.data, &mut decoded).map_err(|e| self.decode_error(e, p))?;
            if !self.emit(&mut decoded, p).await {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Newline-delimited JSON (Ollama). `Ok(false)`: cancelled.
    async fn read_ndjson(
        &self,
        resp: reqwest::Response,
        p: &mut Progress,
    ) -> Result<bool, ProviderError> {
        let mut bytes = resp.bytes_stream();
        let mut pending: Vec<u8> = Vec::new();
        let mut decoded = Vec::new();
        while !p.ended {
            let chunk = match self.next_chunk(bytes.next(), p).await? {
                Some(Ok(c)) => c,
                Some(Err(e)) => {
                    return Err(
                        self.failure(format!("the stream broke: {}", describe_reqwest(&e)), p)
                    );
                }
                None => break,
            };
            pending.extend_from_slice(&chunk);
            if pending.len() > NDJSON_LINE_LIMIT {
                return Err(self.failure(
                    format!("a stream line is longer than {NDJSON_LINE_LIMIT} bytes"),
                    p,
                ));
            }
            while let Some(nl) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=nl).collect();
                let line = String::from_utf8_lossy(&line);
                decode::ollama(&line, &mut decoded).map_err(|e| self.decode_error(e, p))?;
                if !self.emit(&mut decoded, p).await {
                    return Ok(false);
                }
                if p.ended {
                    return Ok(true);
                }
            }
        }
        if !p.ended && !pending.is_empty() {
            let line = String::from_utf8_lossy(&pending).into_owned();
            decode::ollama(&line, &mut decoded).map_err(|e| self.decode_error(e, p))?;
            if !self.emit(&mut decoded, p).await {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn decode_error(&self, e: DecodeError, p: &Progress) -> ProviderError {
        // A server that says it is overloaded mid-stream may be fine a moment later.
        match &e {
            DecodeError::Remote(_) if !p.spoke => {
                ProviderError::retryable(self.conn.scrub(e.to_string()), None)
            }
            _ => ProviderError::new(self.conn.scrub(e.to_string())),
        }
    }
}

/// Longest error body read from a failed response.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// Longest NDJSON line accepted.
const NDJSON_LINE_LIMIT: usize = 8 * 1024 * 1024;

/// The start of a response body, at most `limit` bytes, as text.
async fn read_capped(resp: reqwest::Response, limit: usize) -> String {
    let mut body = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(Ok(chunk)) = stream.next().await {
        let room = limit.saturating_sub(body.len());
        body.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or_default());
        if body.len() >= limit {
            break;
        }
    }
    String::from_utf8_lossy(&body).into_owned()
}

/// A short reason from a reqwest error, with its cause (reqwest's own text is often generic).
fn describe_reqwest(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut s = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "connection failed".to_string()
    } else {
        e.to_string()
    };
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

/// ": <message>" from an error body in any provider's shape, or "" if there is none.
fn server_message(body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        return String::new();
    }
    let msg = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) => decode::error_message(&v),
        Err(_) => body.chars().take(200).collect(),
    };
    let msg: String = msg.chars().filter(|c| !c.is_control()).take(300).collect();
    format!(": {}", msg.trim().trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(wire: Wire) -> LlmConfig {
        LlmConfig {
            wire,
            base_url: "http://127.0.0.1:1/".into(),
            model: "m".into(),
            api_key_env: None,
            api_key: Some(ApiKey::new("sk-secret".into())),
            system_prompt: "sys".into(),
            params: SamplingParams {
                temperature: Some(0.5),
                max_tokens: Some(300),
            },
            connect_timeout: Duration::from_secs(1),
            first_token_timeout: Duration::from_secs(1),
            read_timeout: Duration::from_secs(1),
            price: None,
            claims: ClaimsMode::Block,
        }
    }

    #[test]
    fn endpoints_join_base_urls() {
        assert_eq!(
            Wire::Openai.endpoint("http://h/v1/"),
            "http://h/v1/chat/completions"
        );
        assert_eq!(
            Wire::Anthropic.endpoint("http://h/anthropic"),
            "http://h/anthropic/v1/messages"
        );
        assert_eq!(
            Wire::Ollama.endpoint("http://h:11434"),
            "http://h:11434/api/chat"
        );
    }

    #[test]
    fn bodies_follow_each_wire_format() {
        let b = build_body(&cfg(Wire::Openai), "S", "U");
        assert_eq!(b["messages"][0]["role"], "system");
        assert_eq!(b["stream_options"]["include_usage"], true);
        assert_eq!(b["max_tokens"], 300);
        let b = build_body(&cfg(Wire::Anthropic), "S", "U");
        assert_eq!(b["system"], "S");
        assert_eq!(b["messages"][0]["role"], "user");
        assert_eq!(b["max_tokens"], 300);
        let b = build_body(&cfg(Wire::Ollama), "S", "U");
        assert_eq!(b["options"]["num_predict"], 300);
        assert_eq!(b["stream"], true);
    }

    #[test]
    fn keys_never_show_in_debug_output() {
        let c = cfg(Wire::Openai);
        assert!(!format!("{c:?}").contains("sk-secret"));
    }

    #[test]
    fn price_computes_cost() {
        let p = Price {
            input_per_mtok: 3.0,
            output_per_mtok: 15.0,
        };
        assert!((p.cost(Some(1000), Some(2000)) - 0.033).abs() < 1e-12);
    }

    #[test]
    fn server_messages_are_short_and_clean() {
        assert_eq!(server_message(""), "");
        assert_eq!(
            server_message(r#"{"error":{"message":"bad key","type":"auth"}}"#),
            ": auth: bad key"
        );
        assert_eq!(server_message("plain \x1b[31mtext"), ": plain [31mtext");
    }
}
