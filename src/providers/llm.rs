//! Real debaters: OpenAI-compatible Chat Completions, Anthropic Messages and Ollama's native chat,
//! all streamed. Retries happen only before the first word; after it, a fault fails the turn and
//! the partial text is kept.

use super::decode::{self, DecodeError, Decoded};
use super::prompt;
use super::retry::{self, RetryPolicy};
use super::{Provider, ProviderError, StreamEvent, TurnRequest, TurnStream};
use crate::domain::{SamplingParams, TurnStats};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Which wire format a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Wire {
    /// OpenAI Chat Completions, and every compatible server (vLLM, llama.cpp, LM Studio,
    /// OpenRouter, Ollama's /v1).
    Openai,
    /// Anthropic Messages.
    Anthropic,
    /// Ollama's native /api/chat.
    Ollama,
}

impl Wire {
    pub fn name(self) -> &'static str {
        match self {
            Wire::Openai => "openai",
            Wire::Anthropic => "anthropic",
            Wire::Ollama => "ollama",
        }
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            Wire::Openai => "https://api.openai.com/v1",
            Wire::Anthropic => "https://api.anthropic.com",
            Wire::Ollama => "http://localhost:11434",
        }
    }

    /// The environment variable a key is read from when the config names none.
    pub fn default_key_env(self) -> Option<&'static str> {
        match self {
            Wire::Openai => Some("OPENAI_API_KEY"),
            Wire::Anthropic => Some("ANTHROPIC_API_KEY"),
            Wire::Ollama => None,
        }
    }

    fn endpoint(self, base: &str) -> String {
        let base = base.trim_end_matches('/');
        match self {
            Wire::Openai => format!("{base}/chat/completions"),
            Wire::Anthropic => format!("{base}/v1/messages"),
            Wire::Ollama => format!("{base}/api/chat"),
        }
    }
}

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
    /// Longest silence allowed while waiting for the response or its next chunk.
    pub read_timeout: Duration,
    pub retry: RetryPolicy,
    pub price: Option<Price>,
}

pub struct LlmProvider {
    cfg: LlmConfig,
    client: reqwest::Client,
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
        Ok(LlmProvider { cfg, client })
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
    fn stream_turn(&self, request: TurnRequest) -> TurnStream {
        let system = prompt::system_prompt(&self.cfg.system_prompt, &request.session, request.side);
        let user = prompt::turn_message(
            &request.session,
            request.side,
            request.round,
            &request.scope,
        );
        let body = self.request_body(&system, &user);
        let (tx, rx) = mpsc::channel(256);
        let job = Job {
            cfg: self.cfg.clone(),
            client: self.client.clone(),
            body,
            tx,
        };
        let task = tokio::spawn(job.run());
        ChannelStream { rx, task }.boxed()
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

struct Job {
    cfg: LlmConfig,
    client: reqwest::Client,
    body: serde_json::Value,
    tx: mpsc::Sender<Result<StreamEvent, ProviderError>>,
}

/// How the response failed before streaming began.
enum Attempt {
    Retry {
        reason: String,
        server_wait: Option<Duration>,
    },
    Fatal(String),
}

impl Job {
    async fn run(self) {
        let result = self.turn().await;
        if let Err(e) = result {
            let _ = self.tx.send(Err(e)).await;
        }
    }

    fn who(&self) -> String {
        format!("{} model {}", self.cfg.wire.name(), self.cfg.model)
    }

    fn key_hint(&self) -> String {
        match &self.cfg.api_key_env {
            Some(var) if self.cfg.api_key.is_some() => format!("the key comes from ${var}"),
            Some(var) => format!("${var} is not set"),
            None => "no API key is configured (set api_key_env in the config)".into(),
        }
    }

    async fn send(&self) -> Result<reqwest::Response, Attempt> {
        let url = self.cfg.wire.endpoint(&self.cfg.base_url);
        let mut req = self
            .client
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(self.body.to_string());
        match (self.cfg.wire, &self.cfg.api_key) {
            (Wire::Openai, Some(k)) => req = req.bearer_auth(&k.0),
            (Wire::Anthropic, Some(k)) => req = req.header("x-api-key", &k.0),
            (Wire::Ollama, Some(k)) => req = req.bearer_auth(&k.0),
            _ => {}
        }
        if self.cfg.wire == Wire::Anthropic {
            req = req.header("anthropic-version", "2023-06-01");
        }
        let resp = req.send().await.map_err(|e| Attempt::Retry {
            reason: format!("cannot reach {url}: {}", describe_reqwest(&e)),
            server_wait: None,
        })?;
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
        let body = resp.text().await.unwrap_or_default();
        let detail = server_message(&body);
        let who = self.who();
        if should_retry {
            return Err(Attempt::Retry {
                reason: format!("{who}: HTTP {status}{detail}"),
                server_wait,
            });
        }
        let hint = self.key_hint();
        Err(Attempt::Fatal(match status {
            401 | 403 => format!(
                "{who} refused the credentials (HTTP {status}){detail}. Check the API key: {hint}."
            ),
            404 => format!(
                "{who} was not found at {url} (HTTP 404){detail}. Check the model name and base URL; {hint}."
            ),
            400 => format!("{who} rejected the request (HTTP 400){detail}; {hint}."),
            _ => format!("{who} failed with HTTP {status}{detail}; {hint}."),
        }))
    }

    async fn turn(&self) -> Result<(), ProviderError> {
        let started = Instant::now();
        let mut retries = 0u32;
        let resp = loop {
            match self.send().await {
                Ok(resp) => break resp,
                Err(Attempt::Fatal(msg)) => return Err(ProviderError::new(msg)),
                Err(Attempt::Retry {
                    reason,
                    server_wait,
                }) => {
                    if retries >= self.cfg.retry.max_retries {
                        let tries = retries + 1;
                        return Err(ProviderError::new(format!(
                            "{reason} (gave up after {tries} attempts)"
                        )));
                    }
                    retries += 1;
                    let wait = self
                        .cfg
                        .retry
                        .wait(retries, server_wait, retry::jitter_unit());
                    tracing::warn!(%reason, retries, ?wait, "retrying");
                    let event = StreamEvent::Retrying {
                        attempt: retries,
                        wait,
                        reason,
                    };
                    if self.tx.send(Ok(event)).await.is_err() {
                        return Ok(());
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        };

        let mut stats = TurnStats {
            provider: self.cfg.wire.name().to_string(),
            model: self.cfg.model.clone(),
            retries,
            ..TurnStats::default()
        };
        let mut usage = (None, None);
        let mut decoded = Vec::new();
        let mut ended = false;
        let mut emit =
            async |decoded: &mut Vec<Decoded>, stats: &mut TurnStats| -> Result<bool, ()> {
                for d in decoded.drain(..) {
                    match d {
                        Decoded::Text(t) => {
                            stats
                                .time_to_first_token_ms
                                .get_or_insert(started.elapsed().as_millis() as u64);
                            self.tx
                                .send(Ok(StreamEvent::Delta(t)))
                                .await
                                .map_err(|_| ())?;
                        }
                        Decoded::Usage { input, output } => {
                            usage.0 = input.or(usage.0);
                            usage.1 = output.or(usage.1);
                        }
                        Decoded::End => return Ok(true),
                    }
                }
                Ok(false)
            };

        match self.cfg.wire {
            Wire::Openai | Wire::Anthropic => {
                use eventsource_stream::Eventsource;
                let decode_fn = if self.cfg.wire == Wire::Openai {
                    decode::openai
                } else {
                    decode::anthropic
                };
                let mut events = resp.bytes_stream().eventsource();
                while let Some(ev) = events.next().await {
                    let ev = ev.map_err(|e| match e {
                        eventsource_stream::EventStreamError::Transport(e) => {
                            self.stream_error(&describe_reqwest(&e))
                        }
                        other => self.stream_error(&other.to_string()),
                    })?;
                    if ev.data.is_empty() {
                        continue;
                    }
                    // Anthropic names errors in the event line; its JSON says so too.
                    decode_fn(&ev.data, &mut decoded).map_err(|e| self.decode_error(e))?;
                    match emit(&mut decoded, &mut stats).await {
                        Ok(true) => {
                            ended = true;
                            break;
                        }
                        Ok(false) => {}
                        Err(()) => return Ok(()),
                    }
                }
            }
            Wire::Ollama => {
                let mut bytes = resp.bytes_stream();
                let mut pending: Vec<u8> = Vec::new();
                'outer: loop {
                    let chunk = match bytes.next().await {
                        Some(Ok(c)) => c,
                        Some(Err(e)) => return Err(self.stream_error(&describe_reqwest(&e))),
                        None => break,
                    };
                    pending.extend_from_slice(&chunk);
                    while let Some(nl) = pending.iter().position(|&b| b == b'\n') {
                        let line: Vec<u8> = pending.drain(..=nl).collect();
                        let line = String::from_utf8_lossy(&line);
                        decode::ollama(&line, &mut decoded).map_err(|e| self.decode_error(e))?;
                        match emit(&mut decoded, &mut stats).await {
                            Ok(true) => {
                                ended = true;
                                break 'outer;
                            }
                            Ok(false) => {}
                            Err(()) => return Ok(()),
                        }
                    }
                }
                if !ended && !pending.is_empty() {
                    let line = String::from_utf8_lossy(&pending).into_owned();
                    decode::ollama(&line, &mut decoded).map_err(|e| self.decode_error(e))?;
                    match emit(&mut decoded, &mut stats).await {
                        Ok(true) => ended = true,
                        Ok(false) => {}
                        Err(()) => return Ok(()),
                    }
                }
            }
        }
        if !ended {
            let marker = match self.cfg.wire {
                Wire::Openai => "[DONE]",
                Wire::Anthropic => "message_stop",
                Wire::Ollama => "done: true",
            };
            return Err(ProviderError::new(format!(
                "{}: the stream ended before its end marker ({marker}); the turn was cut off",
                self.who()
            )));
        }
        stats.total_ms = Some(started.elapsed().as_millis() as u64);
        stats.input_tokens = usage.0;
        stats.output_tokens = usage.1;
        stats.cost_usd = self.cfg.price.map(|p| p.cost(usage.0, usage.1));
        let _ = self.tx.send(Ok(StreamEvent::Done(stats))).await;
        Ok(())
    }

    fn stream_error(&self, what: &str) -> ProviderError {
        ProviderError::new(format!("{}: the stream broke: {what}", self.who()))
    }

    fn decode_error(&self, e: DecodeError) -> ProviderError {
        ProviderError::new(format!("{}: {e}", self.who()))
    }
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
            read_timeout: Duration::from_secs(1),
            retry: RetryPolicy::default(),
            price: None,
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
