//! Structured claims on the three wires: the tool a speech may call (OpenAI, Anthropic), the
//! short follow-up request that asks for the claims alone (Ollama's `format`, and repair on
//! every wire), and how a server's refusal of either is recognised. Pure: bodies in, bodies
//! out; the requests themselves are `llm.rs`'s.

use super::wire::Wire;
use crate::domain::claims::json_schema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// How a debater's claims are obtained (the `claims` key of a debater's config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimsMode {
    /// Structured where the wire offers it, the claims block otherwise (and after a refusal).
    #[default]
    Auto,
    /// Structured; a server that refuses it still falls back to the block, with a warning.
    Structured,
    /// The claims block in the text only.
    Block,
}

impl ClaimsMode {
    /// Whether structured claims are asked for. Every wire agon speaks offers them (see
    /// [`Ask::structured_on`]), so `auto` and `structured` ask alike today; `structured` says
    /// the researcher counts on them.
    pub fn structured(self) -> bool {
        self != ClaimsMode::Block
    }
}

/// How a speech's claims are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// In a claims block at the end of the text.
    Block,
    /// By one call of the [`TOOL_NAME`] tool after the text (same request).
    Tool,
    /// By a second request once the speech is done: the speech has no block.
    Later,
}

impl Ask {
    /// How `wire` asks for claims when structured claims are wanted.
    pub fn structured_on(wire: Wire) -> Ask {
        match wire {
            Wire::Openai | Wire::Anthropic => Ask::Tool,
            // `format` constrains the whole reply, so the speech itself cannot carry it.
            Wire::Ollama => Ask::Later,
        }
    }
}

/// The tool a speech calls with its claims.
pub const TOOL_NAME: &str = "record_claims";
const TOOL_DESCRIPTION: &str = "Record the claims your speech makes and the points it concedes, for the debate's claim tree. Call it once, after the speech.";

/// Adds the claims tool to a streaming speech request, leaving the model free to write text
/// first (`auto`: a forced call would skip the speech).
pub fn add_tool(body: &mut Value, wire: Wire) {
    match wire {
        Wire::Openai => {
            body["tools"] = json!([{
                "type": "function",
                "function": {
                    "name": TOOL_NAME,
                    "description": TOOL_DESCRIPTION,
                    "parameters": json_schema(),
                }
            }]);
            body["tool_choice"] = json!("auto");
        }
        Wire::Anthropic => {
            body["tools"] = json!([{
                "name": TOOL_NAME,
                "description": TOOL_DESCRIPTION,
                "input_schema": json_schema(),
            }]);
            body["tool_choice"] = json!({"type": "auto"});
        }
        Wire::Ollama => {}
    }
}

/// The body of a follow-up: one non-streaming request for the claims alone. Structured, it
/// constrains the answer to the schema (OpenAI `response_format`, Anthropic a forced tool
/// call, Ollama `format`); otherwise it asks for a claims block in plain text.
/// `body` is the wire's streaming request for the same prompt.
pub fn followup_body(mut body: Value, wire: Wire, structured: bool) -> Value {
    body["stream"] = json!(false);
    if let Some(map) = body.as_object_mut() {
        map.remove("stream_options");
    }
    if !structured {
        return body;
    }
    match wire {
        Wire::Openai => {
            body["response_format"] = json!({
                "type": "json_schema",
                "json_schema": {"name": "claims", "strict": true, "schema": json_schema()},
            });
        }
        Wire::Anthropic => {
            add_tool(&mut body, Wire::Anthropic);
            body["tool_choice"] = json!({"type": "tool", "name": TOOL_NAME});
        }
        Wire::Ollama => body["format"] = json_schema(),
    }
    body
}

/// Whether a failed request's answer says the server does not do what structured claims
/// need: a 400 or 422 whose body names tools, functions, `format`, `response_format` or a
/// schema. Anything else is an ordinary failure.
pub fn is_refusal(status: u16, body: &str) -> bool {
    if !matches!(status, 400 | 422) {
        return false;
    }
    let body = body.to_ascii_lowercase();
    ["tool", "function", "format", "schema"]
        .iter()
        .any(|word| body.contains(word))
}

/// The note of a speech that was only a call of the claims tool, asked for again.
pub const TOOL_ALONE_NOTE: &str = "the model answered with the claims tool alone and no speech: \
     asked again for the speech with its claims block";

/// The note a refused turn gets. `detail` is the server's message (": ..." or empty).
pub fn refusal_note(detail: &str) -> String {
    let detail = detail.trim_start_matches(':').trim();
    let why = if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    };
    format!("the server refused structured claims{why}: read the claims block instead")
}

/// What a follow-up's response body holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub text: String,
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
}

/// Reads a non-streaming response of `wire`: the message's text, or the claims tool's input
/// (Anthropic), and the token counts.
pub fn read_answer(wire: Wire, body: &str) -> Result<Answer, String> {
    let v: Value = serde_json::from_str(body.trim()).map_err(|e| {
        let excerpt: String = body.chars().filter(|c| !c.is_control()).take(80).collect();
        format!("the answer is not JSON ({e}): {excerpt}")
    })?;
    if let Some(err) = v.get("error").filter(|e| !e.is_null()) {
        return Err(format!(
            "the server reported an error: {}",
            super::decode::error_message(err)
        ));
    }
    let u64_at = |path: &[&str]| {
        path.iter()
            .try_fold(&v, |v, key| v.get(key))
            .and_then(Value::as_u64)
    };
    let (text, input, output) = match wire {
        Wire::Openai => {
            let message = v.pointer("/choices/0/message");
            let content = message
                .and_then(|m| m.get("content"))
                .and_then(Value::as_str)
                .filter(|c| !c.trim().is_empty());
            // A server that answered with a tool call instead of content.
            let call = message
                .and_then(|m| m.pointer("/tool_calls/0/function/arguments"))
                .and_then(Value::as_str);
            let text = content.or(call).unwrap_or_default().to_string();
            (
                text,
                u64_at(&["usage", "prompt_tokens"]),
                u64_at(&["usage", "completion_tokens"]),
            )
        }
        Wire::Anthropic => {
            let blocks = v.get("content").and_then(Value::as_array);
            let tool = blocks.and_then(|bs| {
                bs.iter()
                    .find(|b| b.get("type").and_then(Value::as_str) == Some("tool_use"))
                    .and_then(|b| b.get("input"))
                    .map(Value::to_string)
            });
            let text = tool.unwrap_or_else(|| {
                blocks
                    .into_iter()
                    .flatten()
                    .filter_map(|b| b.get("text").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join("")
            });
            (
                text,
                u64_at(&["usage", "input_tokens"]),
                u64_at(&["usage", "output_tokens"]),
            )
        }
        Wire::Ollama => (
            v.pointer("/message/content")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            u64_at(&["prompt_eval_count"]),
            u64_at(&["eval_count"]),
        ),
    };
    Ok(Answer {
        text,
        input_tokens: input,
        output_tokens: output,
    })
}

/// The claims tool's arguments as they stream in, per tool call.
#[derive(Debug, Clone, Default)]
pub struct ToolCalls {
    calls: Vec<ToolCall>,
}

#[derive(Debug, Clone)]
struct ToolCall {
    index: u64,
    name: String,
    args: String,
    /// The arguments went over [`MAX_ARGS_BYTES`] and were cut: they cannot be read.
    cut: bool,
}

/// Longest tool arguments kept: twelve claims of 300 characters fit many times over.
pub const MAX_ARGS_BYTES: usize = 256 * 1024;

impl ToolCalls {
    /// A piece of call `index`: its name when the call starts, then its arguments in parts.
    pub fn push(&mut self, index: u64, name: Option<&str>, args: &str) {
        let pos = match self.calls.iter().position(|c| c.index == index) {
            Some(p) => p,
            None => {
                self.calls.push(ToolCall {
                    index,
                    name: String::new(),
                    args: String::new(),
                    cut: false,
                });
                self.calls.len() - 1
            }
        };
        let Some(call) = self.calls.get_mut(pos) else {
            return;
        };
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            call.name = name.to_string();
        }
        if call.args.len().saturating_add(args.len()) > MAX_ARGS_BYTES {
            call.cut = true;
        } else {
            call.args.push_str(args);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The claims tool's arguments: the call named [`TOOL_NAME`], or the only call there was
    /// (a server that drops names). `None` when there is none; a cut call gives text that is
    /// not JSON, which the session reads as a fallback to the block.
    pub fn claims(&self) -> Option<String> {
        let only = match self.calls.as_slice() {
            [only] => Some(only),
            _ => None,
        };
        let call = self.calls.iter().find(|c| c.name == TOOL_NAME).or(only)?;
        Some(if call.cut {
            format!("{}…", call.args.get(..80).unwrap_or(""))
        } else {
            call.args.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A streaming request's body as the wires build it, for a follow-up to start from.
    fn streaming() -> Value {
        json!({"stream": true, "stream_options": {"include_usage": true}, "messages": []})
    }

    #[test]
    fn tools_follow_each_wire() {
        let mut b = json!({});
        add_tool(&mut b, Wire::Openai);
        assert_eq!(b["tools"][0]["function"]["name"], TOOL_NAME);
        assert_eq!(b["tools"][0]["function"]["parameters"], json_schema());
        assert_eq!(b["tool_choice"], "auto");
        let mut b = json!({});
        add_tool(&mut b, Wire::Anthropic);
        assert_eq!(b["tools"][0]["input_schema"], json_schema());
        assert_eq!(b["tool_choice"]["type"], "auto");
        let mut b = json!({});
        add_tool(&mut b, Wire::Ollama);
        assert_eq!(b, json!({}));
    }

    #[test]
    fn followups_do_not_stream_and_constrain_the_answer() {
        let b = followup_body(streaming(), Wire::Openai, true);
        assert_eq!(b["stream"], false);
        assert!(b.get("stream_options").is_none());
        assert_eq!(b["response_format"]["json_schema"]["schema"], json_schema());
        let b = followup_body(streaming(), Wire::Anthropic, true);
        assert_eq!(b["tool_choice"], json!({"type": "tool", "name": TOOL_NAME}));
        let b = followup_body(streaming(), Wire::Ollama, true);
        assert_eq!(b["format"], json_schema());
        assert_eq!(b["stream"], false);
        let plain = followup_body(streaming(), Wire::Ollama, false);
        assert!(plain.get("format").is_none());
        let plain = followup_body(streaming(), Wire::Openai, false);
        assert!(plain.get("response_format").is_none() && plain.get("tools").is_none());
    }

    #[test]
    fn refusals_are_400s_or_422s_that_name_the_feature() {
        assert!(is_refusal(
            400,
            r#"{"error":{"message":"tools is not supported for this model"}}"#
        ));
        assert!(is_refusal(
            422,
            "Unknown field: response_format.json_schema"
        ));
        assert!(is_refusal(
            400,
            r#"{"error":"invalid format: expected \"json\""}"#
        ));
        assert!(!is_refusal(400, "max_tokens is too large"));
        assert!(!is_refusal(500, "tool server crashed"));
        assert_eq!(
            refusal_note(": tools are not supported"),
            "the server refused structured claims (tools are not supported): read the claims block instead"
        );
        assert_eq!(
            refusal_note(""),
            "the server refused structured claims: read the claims block instead"
        );
    }

    #[test]
    fn answers_are_read_on_each_wire() {
        let a = read_answer(
            Wire::Openai,
            r#"{"choices":[{"message":{"role":"assistant","content":"{\"claims\":[]}"}}],"usage":{"prompt_tokens":5,"completion_tokens":3}}"#,
        )
        .unwrap();
        assert_eq!(
            a,
            Answer {
                text: r#"{"claims":[]}"#.into(),
                input_tokens: Some(5),
                output_tokens: Some(3)
            }
        );
        let a = read_answer(
            Wire::Openai,
            r#"{"choices":[{"message":{"content":null,"tool_calls":[{"function":{"name":"record_claims","arguments":"{\"claims\":[]}"}}]}}]}"#,
        )
        .unwrap();
        assert_eq!(a.text, r#"{"claims":[]}"#);
        let a = read_answer(
            Wire::Anthropic,
            r#"{"content":[{"type":"text","text":"ok"},{"type":"tool_use","name":"record_claims","input":{"claims":[]}}],"usage":{"input_tokens":9,"output_tokens":4}}"#,
        )
        .unwrap();
        assert_eq!(
            (a.text.as_str(), a.output_tokens),
            (r#"{"claims":[]}"#, Some(4))
        );
        let a = read_answer(
            Wire::Anthropic,
            r#"{"content":[{"type":"text","text":"```claims\nA1 supports root: x\n```"}]}"#,
        )
        .unwrap();
        assert!(a.text.starts_with("```claims"));
        let a = read_answer(
            Wire::Ollama,
            r#"{"message":{"role":"assistant","content":"{}"},"done":true,"prompt_eval_count":7,"eval_count":2}"#,
        )
        .unwrap();
        assert_eq!((a.input_tokens, a.output_tokens), (Some(7), Some(2)));
        assert!(read_answer(Wire::Ollama, "not json").is_err());
        assert_eq!(
            read_answer(Wire::Ollama, r#"{"error":"model not found"}"#).unwrap_err(),
            "the server reported an error: model not found"
        );
    }

    #[test]
    fn tool_arguments_gather_per_call() {
        let mut t = ToolCalls::default();
        assert_eq!(t.claims(), None);
        t.push(0, Some(TOOL_NAME), "");
        t.push(1, Some("other"), "{}");
        t.push(0, None, r#"{"claims""#);
        t.push(0, None, r#":[]}"#);
        assert_eq!(t.claims().as_deref(), Some(r#"{"claims":[]}"#));
        let mut only = ToolCalls::default();
        only.push(3, None, "{}");
        assert_eq!(only.claims().as_deref(), Some("{}"));
        let mut two = ToolCalls::default();
        two.push(0, Some("a"), "{}");
        two.push(1, Some("b"), "{}");
        assert_eq!(two.claims(), None, "neither is the claims tool");
        let mut big = ToolCalls::default();
        big.push(0, Some(TOOL_NAME), "{");
        big.push(0, None, &"x".repeat(MAX_ARGS_BYTES));
        let cut = big.claims().unwrap();
        assert!(serde_json::from_str::<Value>(&cut).is_err());
    }
}
