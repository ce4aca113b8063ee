//! Pure decoders for the three streaming wire formats. Each takes one event (an SSE `data:`
//! payload, or one NDJSON line) and says what it meant: text, usage, the end, or an error.
//! No I/O here, so they are tested and benchmarked on bytes in memory.

use serde::Deserialize;

/// What one event of a stream meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    Text(String),
    /// A piece of tool call `index`: its name when the call starts, then its JSON arguments in
    /// parts (OpenAI `tool_calls`, Anthropic `tool_use` with `input_json_delta`).
    Tool {
        index: u64,
        name: Option<String>,
        args: String,
    },
    /// Token counts seen so far (the last report wins).
    Usage {
        input: Option<u64>,
        output: Option<u64>,
    },
    /// The stream's end marker: the turn is complete.
    End,
}

/// A stream said it failed, or sent something that is not its format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the server reported an error mid-stream: {0}")]
    Remote(String),
    #[error("malformed stream chunk ({reason}): {excerpt}")]
    Malformed { reason: String, excerpt: String },
}

fn malformed(data: &str, e: &serde_json::Error) -> DecodeError {
    let excerpt: String = data.chars().filter(|c| !c.is_control()).take(80).collect();
    DecodeError::Malformed {
        reason: e.to_string(),
        excerpt,
    }
}

// ----- OpenAI Chat Completions -----

#[derive(Deserialize)]
struct OaChunk<'a> {
    #[serde(default, borrow)]
    choices: Vec<OaChoice<'a>>,
    #[serde(default)]
    usage: Option<OaUsage>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct OaChoice<'a> {
    #[serde(default, borrow)]
    delta: Option<OaDelta<'a>>,
}

#[derive(Deserialize)]
struct OaDelta<'a> {
    #[serde(default, borrow)]
    content: Option<std::borrow::Cow<'a, str>>,
    #[serde(default)]
    tool_calls: Option<Vec<OaToolCall>>,
}

#[derive(Deserialize)]
struct OaToolCall {
    #[serde(default)]
    index: u64,
    #[serde(default)]
    function: Option<OaFunction>,
}

#[derive(Deserialize)]
struct OaFunction {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<String>,
}

#[derive(Deserialize)]
struct OaUsage {
    #[serde(default)]
    prompt_tokens: Option<u64>,
    #[serde(default)]
    completion_tokens: Option<u64>,
}

/// Decodes `data:` payloads of an OpenAI-compatible chat completion stream.
pub fn openai(data: &str, out: &mut Vec<Decoded>) -> Result<(), DecodeError> {
    let data = data.trim();
    if data == "[DONE]" {
        out.push(Decoded::End);
        return Ok(());
    }
    let chunk: OaChunk = serde_json::from_str(data).map_err(|e| malformed(data, &e))?;
    if let Some(err) = chunk.error {
        return Err(DecodeError::Remote(error_message(&err)));
    }
    for choice in chunk.choices.into_iter().take(1) {
        let Some(delta) = choice.delta else {
            continue;
        };
        if let Some(text) = delta.content.as_deref()
            && !text.is_empty()
        {
            out.push(Decoded::Text(text.to_string()));
        }
        for call in delta.tool_calls.into_iter().flatten() {
            let (name, args) = call
                .function
                .map(|f| (f.name, f.arguments.unwrap_or_default()))
                .unwrap_or_default();
            out.push(Decoded::Tool {
                index: call.index,
                name,
                args,
            });
        }
    }
    if let Some(u) = chunk.usage {
        out.push(Decoded::Usage {
            input: u.prompt_tokens,
            output: u.completion_tokens,
        });
    }
    Ok(())
}

// ----- Anthropic Messages -----

#[derive(Deserialize)]
struct AnEvent<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(default)]
    index: u64,
    #[serde(default)]
    content_block: Option<AnBlock>,
    #[serde(default, borrow)]
    delta: Option<AnDelta<'a>>,
    #[serde(default)]
    usage: Option<AnUsage>,
    #[serde(default)]
    message: Option<AnMessage>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct AnDelta<'a> {
    #[serde(rename = "type", default, borrow)]
    kind: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    text: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    partial_json: Option<std::borrow::Cow<'a, str>>,
}

#[derive(Deserialize)]
struct AnBlock {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    name: Option<String>,
    /// A tool call's input when the server sends it whole (streams send `{}` and deltas).
    #[serde(default)]
    input: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct AnUsage {
    #[serde(default)]
    input_tokens: Option<u64>,
    #[serde(default)]
    output_tokens: Option<u64>,
}

#[derive(Deserialize)]
struct AnMessage {
    #[serde(default)]
    usage: Option<AnUsage>,
}

/// Decodes one server-sent event of an Anthropic Messages stream. The event's type is read from
/// its JSON, which always carries it; unknown types are ignored, as the API asks.
pub fn anthropic(data: &str, out: &mut Vec<Decoded>) -> Result<(), DecodeError> {
    let ev: AnEvent = serde_json::from_str(data.trim()).map_err(|e| malformed(data, &e))?;
    match ev.kind.as_ref() {
        "message_start" => {
            if let Some(u) = ev.message.and_then(|m| m.usage) {
                out.push(Decoded::Usage {
                    input: u.input_tokens,
                    output: u.output_tokens,
                });
            }
        }
        "content_block_start" => {
            if let Some(block) = ev.content_block
                && block.kind == "tool_use"
            {
                let args = block
                    .input
                    .filter(|i| i.as_object().is_some_and(|m| !m.is_empty()))
                    .map(|i| i.to_string())
                    .unwrap_or_default();
                out.push(Decoded::Tool {
                    index: ev.index,
                    name: block.name,
                    args,
                });
            }
        }
        "content_block_delta" => match ev.delta {
            Some(d) if d.kind.as_deref() == Some("input_json_delta") => {
                if let Some(part) = d.partial_json.filter(|p| !p.is_empty()) {
                    out.push(Decoded::Tool {
                        index: ev.index,
                        name: None,
                        args: part.into_owned(),
                    });
                }
            }
            Some(d) if d.kind.as_deref().is_none_or(|k| k == "text_delta") => {
                if let Some(text) = d.text.filter(|t| !t.is_empty()) {
                    out.push(Decoded::Text(text.into_owned()));
                }
            }
            _ => {}
        },
        "message_delta" => {
            if let Some(u) = ev.usage {
                out.push(Decoded::Usage {
                    input: u.input_tokens,
                    output: u.output_tokens,
                });
            }
        }
        "message_stop" => out.push(Decoded::End),
        "error" => {
            let err = ev.error.unwrap_or(serde_json::Value::Null);
            return Err(DecodeError::Remote(error_message(&err)));
        }
        _ => {} // ping, content_block_stop, and anything newer
    }
    Ok(())
}

// ----- Ollama native /api/chat -----

#[derive(Deserialize)]
struct OlLine<'a> {
    #[serde(default, borrow)]
    message: Option<OlMessage<'a>>,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    prompt_eval_count: Option<u64>,
    #[serde(default)]
    eval_count: Option<u64>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct OlMessage<'a> {
    #[serde(default, borrow)]
    content: Option<std::borrow::Cow<'a, str>>,
}

/// Decodes one NDJSON line of an Ollama chat stream. Blank lines are ignored.
pub fn ollama(line: &str, out: &mut Vec<Decoded>) -> Result<(), DecodeError> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(());
    }
    let l: OlLine = serde_json::from_str(line).map_err(|e| malformed(line, &e))?;
    if let Some(err) = l.error {
        return Err(DecodeError::Remote(error_message(&err)));
    }
    if let Some(text) = l.message.and_then(|m| m.content)
        && !text.is_empty()
    {
        out.push(Decoded::Text(text.into_owned()));
    }
    if l.done {
        out.push(Decoded::Usage {
            input: l.prompt_eval_count,
            output: l.eval_count,
        });
        out.push(Decoded::End);
    }
    Ok(())
}

/// The human part of an error object in any of the three shapes: a string, `{message}`,
/// `{type, message}`, or `{error: {...}}`.
pub fn error_message(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(map) => {
            if let Some(inner) = map.get("error") {
                return error_message(inner);
            }
            let message = map.get("message").and_then(|m| m.as_str());
            let kind = map.get("type").and_then(|t| t.as_str());
            match (kind, message) {
                (Some(k), Some(m)) => format!("{k}: {m}"),
                (None, Some(m)) => m.to_string(),
                (Some(k), None) => k.to_string(),
                (None, None) => v.to_string(),
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        f: fn(&str, &mut Vec<Decoded>) -> Result<(), DecodeError>,
        items: &[&str],
    ) -> Vec<Decoded> {
        let mut out = Vec::new();
        for i in items {
            f(i, &mut out).unwrap();
        }
        out
    }

    fn text(s: &str) -> Decoded {
        Decoded::Text(s.into())
    }

    #[test]
    fn openai_stream_with_usage_chunk() {
        let out = run(
            openai,
            &[
                r#"{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}"#,
                r#"{"choices":[{"index":0,"delta":{"content":"Tea "},"finish_reason":null}],"usage":null}"#,
                r#"{"choices":[{"index":0,"delta":{"content":"time"}}]}"#,
                r#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#,
                r#"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":7,"total_tokens":10}}"#,
                "[DONE]",
            ],
        );
        assert_eq!(
            out,
            vec![
                text("Tea "),
                text("time"),
                Decoded::Usage {
                    input: Some(3),
                    output: Some(7)
                },
                Decoded::End
            ]
        );
    }

    #[test]
    fn openai_usage_on_the_finish_chunk_and_escapes() {
        let out = run(
            openai,
            &[
                r#"{"choices":[{"delta":{"content":"a\nb \u00e9"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2}}"#,
            ],
        );
        assert_eq!(out[0], text("a\nb é"));
        assert_eq!(
            out[1],
            Decoded::Usage {
                input: Some(1),
                output: Some(2)
            }
        );
    }

    #[test]
    fn openai_errors() {
        let mut out = Vec::new();
        let e = openai(
            r#"{"error":{"message":"overloaded","type":"server_error"}}"#,
            &mut out,
        )
        .unwrap_err();
        assert_eq!(e, DecodeError::Remote("server_error: overloaded".into()));
        let e = openai(r#"{"choices":[{"delta":{"content":"x"#, &mut out).unwrap_err();
        assert!(matches!(e, DecodeError::Malformed { .. }));
    }

    #[test]
    fn anthropic_stream() {
        let out = run(
            anthropic,
            &[
                r#"{"type":"message_start","message":{"id":"m","usage":{"input_tokens":7,"output_tokens":1}}}"#,
                r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
                r#"{"type":"ping"}"#,
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Tea "}}"#,
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{"}}"#,
                r#"{"type":"content_block_stop","index":0}"#,
                r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}"#,
                r#"{"type":"some_future_event","x":1}"#,
                r#"{"type":"message_stop"}"#,
            ],
        );
        assert_eq!(
            out,
            vec![
                Decoded::Usage {
                    input: Some(7),
                    output: Some(1)
                },
                text("Tea "),
                Decoded::Tool {
                    index: 0,
                    name: None,
                    args: "{".into()
                },
                Decoded::Usage {
                    input: None,
                    output: Some(7)
                },
                Decoded::End
            ]
        );
    }

    #[test]
    fn tool_calls_stream_on_both_sse_wires() {
        let out = run(
            openai,
            &[
                r#"{"choices":[{"index":0,"delta":{"content":"Speech."}}]}"#,
                r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"record_claims","arguments":""}}]}}]}"#,
                r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"claims\""}}]}}]}"#,
                r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            ],
        );
        assert_eq!(
            out,
            vec![
                text("Speech."),
                Decoded::Tool {
                    index: 0,
                    name: Some("record_claims".into()),
                    args: String::new()
                },
                Decoded::Tool {
                    index: 0,
                    name: None,
                    args: r#"{"claims""#.into()
                },
            ]
        );
        let out = run(
            anthropic,
            &[
                r#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"record_claims","input":{}}}"#,
                r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"claims\": []}"}}"#,
                r#"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","name":"record_claims","input":{"claims":[]}}}"#,
            ],
        );
        assert_eq!(
            out,
            vec![
                Decoded::Tool {
                    index: 1,
                    name: Some("record_claims".into()),
                    args: String::new()
                },
                Decoded::Tool {
                    index: 1,
                    name: None,
                    args: r#"{"claims": []}"#.into()
                },
                Decoded::Tool {
                    index: 2,
                    name: Some("record_claims".into()),
                    args: r#"{"claims":[]}"#.into()
                },
            ]
        );
    }

    #[test]
    fn anthropic_error_event() {
        let mut out = Vec::new();
        let e = anthropic(
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
            &mut out,
        )
        .unwrap_err();
        assert_eq!(
            e,
            DecodeError::Remote("overloaded_error: Overloaded".into())
        );
    }

    #[test]
    fn ollama_stream_and_errors() {
        let out = run(
            ollama,
            &[
                r#"{"model":"m","message":{"role":"assistant","content":"The"},"done":false}"#,
                "",
                r#"{"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":26,"eval_count":282}"#,
            ],
        );
        assert_eq!(
            out,
            vec![
                text("The"),
                Decoded::Usage {
                    input: Some(26),
                    output: Some(282)
                },
                Decoded::End
            ]
        );
        let mut out = Vec::new();
        assert_eq!(
            ollama(r#"{"error":"model 'x' not found"}"#, &mut out).unwrap_err(),
            DecodeError::Remote("model 'x' not found".into())
        );
        assert!(ollama("{not json", &mut out).is_err());
    }
}
