//! Reading an LLM judge's answer: its probability that side A is right and its reason, from a
//! reply that may be JSON (`{"p_a": 0.7, "reason": "..."}`), a line like `P(A) = 0.7`, a
//! percentage (`70%`), or a number on its own.

/// What an LLM judge said.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgeReply {
    /// P(side A is right), within [0, 1].
    pub p_a: f64,
    /// Its reason, at most [`MAX_REASON`] characters.
    pub reason: String,
}

/// The most of a reason that is kept.
pub const MAX_REASON: usize = 1000;

/// The judge's probability and reason, or `None` when the reply gives no probability.
pub fn parse_judge_reply(reply: &str) -> Option<JudgeReply> {
    let text = reply.trim();
    if let Some(r) = from_json(text) {
        return Some(r);
    }
    let (p_a, line) = from_text(text)?;
    Some(JudgeReply {
        p_a,
        reason: cap(&reason_of(text, line)),
    })
}

fn from_json(text: &str) -> Option<JudgeReply> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    let value: serde_json::Value = serde_json::from_str(text.get(start..=end)?).ok()?;
    let obj = value.as_object()?;
    let get = |keys: &[&str]| {
        obj.iter()
            .find(|(k, _)| keys.iter().any(|w| k.eq_ignore_ascii_case(w)))
            .map(|(_, v)| v)
    };
    let of_a = get(&[
        "p_a",
        "p(a)",
        "pa",
        "probability_a",
        "probability",
        "credence",
        "p",
    ]);
    let p_a = match of_a {
        Some(v) => probability_value(v)?,
        None => 1.0 - probability_value(get(&["p_b", "p(b)", "probability_b"])?)?,
    };
    let reason = get(&["reason", "explanation", "rationale", "why"])
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    Some(JudgeReply {
        p_a,
        reason: cap(reason.trim()),
    })
}

fn probability_value(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => as_probability(n.as_f64()?, false),
        serde_json::Value::String(s) => {
            let s = s.trim();
            match s.strip_suffix('%') {
                Some(n) => as_probability(n.trim().parse().ok()?, true),
                None => as_probability(s.parse().ok()?, false),
            }
        }
        _ => None,
    }
}

/// A number as a probability: 0 to 1 as it is; marked `%`, or a whole number up to 100, as a
/// percentage. Anything else (`1.7`, `150%`) is no probability.
fn as_probability(n: f64, percent: bool) -> Option<f64> {
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let p = if percent || (n > 1.0 && n.fract() == 0.0) {
        n / 100.0
    } else {
        n
    };
    (p <= 1.0).then_some(p)
}

/// The probability in a reply of plain text, and the byte range of the line it was on.
fn from_text(text: &str) -> Option<(f64, (usize, usize))> {
    let lower = text.to_lowercase();
    // `P(A) = 0.7`, `p_a: 70%`, and the same of B (turned into A's).
    for (cue, of_b) in [
        ("p(a)", false),
        ("p_a", false),
        ("p(b)", true),
        ("p_b", true),
    ] {
        if let Some(i) = lower.find(cue) {
            let after = i + cue.len();
            if let Some((p, _)) = number_after(&lower, after) {
                return Some((if of_b { 1.0 - p } else { p }, line_at(text, i)));
            }
        }
    }
    // The first percentage, or a number on its own.
    let mut i = 0;
    while i < lower.len() {
        if let Some((p, end)) = number_at(&lower, i) {
            let percent = lower
                .get(end..)
                .is_some_and(|r| r.trim_start().starts_with('%'));
            if percent || is_alone(&lower, i, end) {
                return as_probability(p, percent).map(|p| (p, line_at(text, i)));
            }
            i = end;
        } else {
            i += lower
                .get(i..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8);
        }
    }
    None
}

/// A number after `from`, past `=`, `:`, spaces and "is": as a probability, and where it ended.
fn number_after(text: &str, from: usize) -> Option<(f64, usize)> {
    let rest = text.get(from..)?;
    let skip = rest
        .char_indices()
        .find(|(_, c)| !matches!(c, ' ' | '=' | ':' | '≈' | '~' | '"' | '*' | 'i' | 's'))
        .map_or(rest.len(), |(j, _)| j);
    let at = from + skip;
    let (n, end) = number_at(text, at)?;
    let percent = text
        .get(end..)
        .is_some_and(|r| r.trim_start().starts_with('%'));
    Some((as_probability(n, percent)?, end))
}

/// A decimal number starting exactly at `at` (not inside a word or another number).
fn number_at(text: &str, at: usize) -> Option<(f64, usize)> {
    let rest = text.get(at..)?;
    let before = text.get(..at).and_then(|b| b.chars().next_back());
    if before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '_') {
        return None;
    }
    let len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(rest.len(), |(j, _)| j);
    let token = rest.get(..len)?.trim_end_matches('.');
    if token.is_empty() || !token.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((token.parse().ok()?, at + token.len()))
}

/// The number is the whole reply, or the whole of its line.
fn is_alone(text: &str, start: usize, end: usize) -> bool {
    let (ls, le) = line_at(text, start);
    text.get(ls..start).is_some_and(|b| b.trim().is_empty())
        && text
            .get(end..le)
            .is_some_and(|a| a.trim().trim_end_matches('.').is_empty())
}

fn line_at(text: &str, at: usize) -> (usize, usize) {
    let start = text
        .get(..at)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|a| a.find('\n'))
        .map_or(text.len(), |i| at + i);
    (start, end)
}

/// The reason in a plain-text reply: what follows "Reason:", else everything but the line the
/// probability was on.
fn reason_of(text: &str, (ls, le): (usize, usize)) -> String {
    let lower = text.to_lowercase();
    if let Some(i) = lower.find("reason") {
        let after = text.get(i + "reason".len()..).unwrap_or_default();
        // The rest of the word ("reasoning"), then what joins it to the reason.
        let after = after
            .trim_start_matches(char::is_alphabetic)
            .trim_start_matches([':', ' ', '*', '-']);
        if !after.trim().is_empty() {
            return after.trim().to_string();
        }
    }
    let rest = format!(
        "{} {}",
        text.get(..ls).unwrap_or_default().trim(),
        text.get(le..).unwrap_or_default().trim()
    );
    let rest = rest.trim();
    if rest.is_empty() {
        text.get(ls..le).unwrap_or_default().trim().to_string()
    } else {
        rest.to_string()
    }
}

fn cap(text: &str) -> String {
    let inert = crate::text::sanitize::inert(text);
    match inert.char_indices().nth(MAX_REASON) {
        Some((i, _)) => format!("{}…", &inert[..i]),
        None => inert,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(reply: &str) -> Option<f64> {
        parse_judge_reply(reply).map(|r| r.p_a)
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn reads_json() {
        let r = parse_judge_reply(r#"{"p_a": 0.7, "reason": "A quoted the log."}"#).unwrap();
        assert!((r.p_a - 0.7).abs() < 1e-9);
        assert_eq!(r.reason, "A quoted the log.");
        assert!(close(
            p("```json\n{\"probability\": \"65%\", \"explanation\": \"x\"}\n```"),
            0.65
        ));
        assert!(close(p(r#"{"P(A)": 80}"#), 0.8));
        assert!(close(p(r#"{"p_b": 0.25}"#), 0.75));
    }

    #[test]
    fn reads_text() {
        for (reply, want) in [
            ("P(A) = 0.7\nReason: B never quoted the source.", 0.7),
            ("I think p(a) is 0.35 because B's quotes check out.", 0.35),
            ("P(A): 70%", 0.7),
            ("70%", 0.7),
            (
                "My credence that A is right: 62 %. A's evidence is verified.",
                0.62,
            ),
            ("0.4", 0.4),
            ("After weighing both sides\n0.55\nA's case is thin.", 0.55),
            ("P(B) = 0.9", 0.1),
        ] {
            assert!(close(p(reply), want), "{reply:?} gave {:?}", p(reply));
        }
        let r = parse_judge_reply("P(A) = 0.7\nReason: B never quoted the source.").unwrap();
        assert_eq!(r.reason, "B never quoted the source.");
        let r = parse_judge_reply("A's quotes are verified.\n80%").unwrap();
        assert_eq!(r.reason, "A's quotes are verified.");
    }

    #[test]
    fn no_probability_no_reply() {
        for reply in [
            "",
            "I cannot tell.",
            "Turn 3 was strong",
            "P(A) = 1.7e",
            "150%",
            r#"{"p_a": "high"}"#,
        ] {
            assert_eq!(p(reply), None, "{reply:?}");
        }
    }

    #[test]
    fn reasons_are_capped_and_inert() {
        let long = format!(
            r#"{{"p_a": 0.5, "reason": "{}\u001b[31m"}}"#,
            "x".repeat(5000)
        );
        let r = parse_judge_reply(&long).unwrap();
        assert!(r.reason.chars().count() <= MAX_REASON + 1);
        assert!(!r.reason.contains('\u{1b}'));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_stays_a_probability(reply in ".{0,200}") {
            if let Some(r) = parse_judge_reply(&reply) {
                proptest::prop_assert!((0.0..=1.0).contains(&r.p_a));
            }
        }
    }
}
