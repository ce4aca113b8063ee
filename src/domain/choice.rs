//! Reading a debater's choice of answer (open roles) from its reply, tolerantly: models answer
//! `{"answer": 2}`, `Answer 2`, `I will argue answer 1.`, `2`, or restate the answer itself.

/// The answer a reply chose, by its place in the question (0 or 1), or `None` when it names
/// neither (or both equally). `answers` are the two answers in the question's order, as the
/// prompt numbered them 1 and 2.
pub fn parse_choice(reply: &str, answers: [&str; 2]) -> Option<u8> {
    let text = reply.trim();
    if text.is_empty() {
        return None;
    }
    from_json(text, answers)
        .or_else(|| after_cue(text))
        .or_else(|| bare_number(text))
        .or_else(|| by_text(text, answers))
}

/// `{"answer": 2}` (a number, "2", or the answer's text), anywhere in the reply.
fn from_json(text: &str, answers: [&str; 2]) -> Option<u8> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    let value: serde_json::Value = serde_json::from_str(text.get(start..=end)?).ok()?;
    let field = ["answer", "choice", "choose", "position"]
        .iter()
        .find_map(|k| value.get(*k))?;
    match field {
        serde_json::Value::Number(n) => number(n.as_u64()?),
        serde_json::Value::String(s) => bare_number(s).or_else(|| by_text(s, answers)),
        _ => None,
    }
}

fn number(n: u64) -> Option<u8> {
    match n {
        1 => Some(0),
        2 => Some(1),
        _ => None,
    }
}

/// The first 1 or 2 that follows a word like "answer", "choose" or "option".
fn after_cue(text: &str) -> Option<u8> {
    const CUES: [&str; 6] = ["answer", "choose", "choice", "option", "argue", "pick"];
    let lower = text.to_lowercase();
    let mut best: Option<(usize, u8)> = None;
    for cue in CUES {
        let mut from = 0;
        while let Some(i) = lower.get(from..).and_then(|t| t.find(cue)) {
            let at = from + i + cue.len();
            // Skip the rest of the word ("answers", "chosen") and what joins it to the number.
            let rest = lower.get(at..).unwrap_or_default();
            let skipped = rest
                .char_indices()
                .find(|(_, c)| !(c.is_alphabetic() || matches!(c, ' ' | ':' | '#' | '=' | '"')))
                .map_or(rest.len(), |(j, _)| j);
            let tail = rest.get(skipped..).unwrap_or_default();
            let mut chars = tail.chars();
            let digit = chars.next().and_then(|c| c.to_digit(10));
            let ends = chars.next().is_none_or(|c| !c.is_ascii_digit());
            if let Some(n) = digit.filter(|_| ends).and_then(|d| number(u64::from(d)))
                && best.is_none_or(|(pos, _)| at < pos)
            {
                best = Some((at, n));
            }
            from = at;
        }
    }
    best.map(|(_, n)| n)
}

/// A reply that is only "1" or "2" (with punctuation around it).
fn bare_number(text: &str) -> Option<u8> {
    let core = text.trim_matches(|c: char| !c.is_alphanumeric());
    core.parse::<u64>().ok().and_then(number)
}

/// The reply restates exactly one of the answers.
fn by_text(text: &str, answers: [&str; 2]) -> Option<u8> {
    let norm = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let reply = norm(text);
    let has = |a: &str| {
        let a = norm(a);
        !a.is_empty() && reply.contains(&a)
    };
    match (has(answers[0]), has(answers[1])) {
        (true, false) => Some(0),
        (false, true) => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWERS: [&str; 2] = ["The lighthouse keeper", "The ferry captain"];

    #[test]
    fn reads_the_usual_replies() {
        for (reply, want) in [
            (r#"{"answer": 2}"#, Some(1)),
            (
                r#"```json
{"answer": "1", "why": "the text says so"}
```"#,
                Some(0),
            ),
            ("Answer 2", Some(1)),
            ("I will argue answer 1.", Some(0)),
            ("answer: 2 because the log shows it", Some(1)),
            ("I choose option #1", Some(0)),
            ("2", Some(1)),
            ("**1**", Some(0)),
            ("The ferry captain, clearly.", Some(1)),
            (r#"{"answer": "The lighthouse keeper"}"#, Some(0)),
        ] {
            assert_eq!(parse_choice(reply, ANSWERS), want, "{reply:?}");
        }
    }

    #[test]
    fn the_first_cued_number_wins() {
        assert_eq!(
            parse_choice("I pick answer 2 rather than answer 1", ANSWERS),
            Some(1)
        );
    }

    #[test]
    fn unreadable_replies_choose_nothing() {
        for reply in [
            "",
            "I cannot decide.",
            "Answer 3",
            "answer 12",
            "Both the lighthouse keeper and the ferry captain",
            r#"{"answer": 5}"#,
        ] {
            assert_eq!(parse_choice(reply, ANSWERS), None, "{reply:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(reply in ".{0,200}") {
            let _ = parse_choice(&reply, ANSWERS);
        }
    }
}
