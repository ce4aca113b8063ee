//! A hand-written OpenAI-wire stream for tests that need exact control of time (a word every
//! few milliseconds, a client killed mid-reply): read one request, then send SSE events in
//! HTTP chunks, stopping at the first write that fails. The one-request-per-turn config goes
//! with it, so that every reply a test server sends is one turn.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// The claims block in the text and no repair request, so each request a test server answers
/// is one turn (these servers and llmock's echo write no block; llmock answers a request that
/// offers the claims tool with the tool alone). The structured paths have their own tests.
pub const ONE_REQUEST_PER_TURN: &str = "[debaters.A]\nclaims = \"block\"\nrepair_claims = false\n\
                                        [debaters.B]\nclaims = \"block\"\nrepair_claims = false\n";

/// An accepted connection whose request has been read: now stream the reply.
pub struct Reply {
    conn: TcpStream,
}

impl Reply {
    /// Reads one request (its headers and body) and sends the head of a streamed answer.
    /// `None` when the client went away first.
    pub fn accept(conn: TcpStream) -> Option<Reply> {
        let mut reader = BufReader::new(conn.try_clone().ok()?);
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return None;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).ok()?;
        let mut conn = conn;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                    transfer-encoding: chunked\r\nconnection: close\r\n\r\n";
        conn.write_all(head.as_bytes()).ok()?;
        Some(Reply { conn })
    }

    /// Sends `text` as one delta; `false` when the client is gone.
    pub fn word(&mut self, text: &str) -> bool {
        let event = serde_json::json!({"choices": [{"delta": {"content": text}}]});
        self.chunk(&format!("data: {event}\n\n"))
    }

    /// Ends the reply as complete; `false` when the client is gone.
    pub fn finish(mut self) -> bool {
        let end = serde_json::json!({"choices": [{"delta": {}, "finish_reason": "stop"}]});
        self.chunk(&format!("data: {end}\n\ndata: [DONE]\n\n"))
            && self.conn.write_all(b"0\r\n\r\n").is_ok()
    }

    fn chunk(&mut self, data: &str) -> bool {
        self.conn
            .write_all(format!("{:x}\r\n{data}\r\n", data.len()).as_bytes())
            .and_then(|()| self.conn.flush())
            .is_ok()
    }
}
