//! Questions put to a model outside the debate's turns, and the source as debaters are shown it:
//! a debater choosing its answer under open roles (`prompts/choose.md`), an LLM judge reading
//! the transcript (`prompts/judge.md`), and the hidden source with the quote rules
//! (`prompts/source.md`) appended to a debater's or consultant's system prompt.

use crate::domain::assign::answers_in_order;
use crate::domain::quote::OPEN;
use crate::domain::{Format, QuoteClass, Session, TurnStatus};
use std::fmt::Write;

/// What a debater is told about the hidden source and how to quote it.
pub const SOURCE_SECTION: &str = include_str!("../../prompts/source.md");
/// The system prompt of a consultant (consultancy), in place of the debater's.
pub const CONSULTANT_PROMPT: &str = include_str!("../../prompts/consultant.md");
/// The system prompt asking a debater which answer it will argue.
pub const CHOICE_PROMPT: &str = include_str!("../../prompts/choose.md");
/// The LLM judge's system prompt when the config names no file.
pub const DEFAULT_JUDGE_PROMPT: &str = include_str!("../../prompts/judge.md");

/// A question for a model: its system prompt and its one user message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub system: String,
    pub user: String,
}

/// Fills `{name}` placeholders in one pass: what is put in is never searched again, so a
/// source or an answer that contains `{question}` stays as it is. Unknown names stay too.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_end = after.find('}');
        match name_end.and_then(|end| {
            let name = &after[..end];
            values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (end, *v))
        }) {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The hidden source as a debater is shown it, with the quote rules and budget; empty when the
/// debate has no source.
pub fn source_section(session: &Session) -> String {
    let Some(source) = session.source_text.as_deref() else {
        return String::new();
    };
    let budget = match session.protocol.quote_limit {
        Some(limit) => format!(
            "You may quote at most {limit} characters of the source per turn; quoted words past \
             that are marked to the judge as over the budget."
        ),
        None => String::new(),
    };
    format!(
        "\n{}",
        fill(
            SOURCE_SECTION,
            &[("source", source.trim()), ("quote_budget", &budget)]
        )
    )
}

/// Asks the chooser which answer it will argue (open roles). The answers are shown
/// in the question's order, numbered 1 and 2, whatever side each is drawn to.
pub fn choice_ask(session: &Session) -> Ask {
    let swapped = session.assignment.as_ref().is_some_and(|a| a.swapped);
    let [first, second] = answers_in_order(&session.positions, swapped);
    let who_else = match session.protocol.format {
        Format::Debate => "an opponent will argue the other one.",
        Format::Consultancy => "no one argues the other one.",
    };
    let system = fill(
        CHOICE_PROMPT,
        &[
            ("who_else", who_else),
            ("question", &session.question),
            ("answer_1", first),
            ("answer_2", second),
            ("source_section", &source_section(session)),
        ],
    );
    Ask {
        system,
        user: "Which answer will you argue, 1 or 2?".into(),
    }
}

/// Asks an LLM judge for its probability that A is right after the first `seen` turns: what
/// the human judge would see, with no debater's identity, and the source only if `sees_source`.
pub fn judge_ask(template: &str, session: &Session, seen: usize, sees_source: bool) -> Ask {
    let (format, note) = match session.protocol.format {
        Format::Debate => (
            "debate",
            "Two debaters argue, each for one answer; you cannot see the source they quote.",
        ),
        Format::Consultancy => (
            "consultancy",
            "One consultant argues for one answer; the other answer has no one arguing for it, \
             and you cannot see the source the consultant quotes.",
        ),
    };
    let note = if sees_source {
        note.replace("; you cannot see the source they quote", "")
            .replace(", and you cannot see the source the consultant quotes", "")
    } else {
        note.to_string()
    };
    let source = match (sees_source, session.source_text.as_deref()) {
        (true, Some(s)) => format!("\nThe source:\n<source>\n{}\n</source>\n", s.trim()),
        _ => String::new(),
    };
    let system = fill(
        template,
        &[
            ("format", format),
            ("format_note", &note),
            ("question", &session.question),
            ("answer_a", &session.positions.a),
            ("answer_b", &session.positions.b),
            ("source_section", &source),
        ],
    );
    Ask {
        system,
        user: judge_transcript(session, seen),
    }
}

/// The transcript of the main debate's first `seen` turns as the judge reads it: each speech
/// by side only, quotes marked with their check, the judge's messages in place.
fn judge_transcript(session: &Session, seen: usize) -> String {
    let mut m = String::new();
    let turns: Vec<_> = session
        .turns()
        .iter()
        .take(seen)
        .filter(|t| t.scope == crate::domain::ROOT_ID && t.status.is_finished())
        .filter(|t| !t.text.trim().is_empty())
        .collect();
    if turns.is_empty() {
        m.push_str("No one has spoken yet.\n");
    }
    for t in turns {
        let who = match session.protocol.format {
            Format::Debate => format!("Debater {}", t.side),
            Format::Consultancy => format!("The consultant (side {})", t.side),
        };
        let cut = if t.status == TurnStatus::Complete {
            ""
        } else {
            " · cut off"
        };
        let _ = writeln!(m, "[Turn {} · {who} · round {}{cut}]", t.index + 1, t.round);
        let _ = writeln!(m, "{}\n", marked_quotes(&t.prose(), &t.quotes));
        for (_, to, text) in session
            .messages()
            .filter(|(after, ..)| *after == Some(t.index))
        {
            let to = to.map_or("both".to_string(), |s| s.to_string());
            let _ = writeln!(m, "[The judge, to {to}]\n{text}\n");
        }
    }
    let total = session.protocol.rounds as usize * session.speakers().len();
    let _ = write!(
        m,
        "That is {seen} of the {total} planned speeches. Give your probability now."
    );
    m
}

/// A speech with each `<quote>` marker carrying what the check found, in order.
fn marked_quotes(prose: &str, quotes: &[crate::domain::Quote]) -> String {
    let mut out = String::with_capacity(prose.len());
    let mut rest = prose;
    let mut i = 0;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let class = quotes.get(i).map_or(QuoteClass::Unchecked, |q| q.class);
        let over = quotes.get(i).is_some_and(|q| q.over_budget);
        let status = match class {
            QuoteClass::Exact => "verified",
            other => other.label(),
        };
        let budget = if over { " over-budget" } else { "" };
        let _ = write!(out, "<quote check=\"{status}{budget}\">");
        rest = &rest[at + OPEN.len()..];
        i += 1;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DebateSetup, Positions, Protocol, Side, TurnOutcome};

    fn session(source: Option<&str>) -> Session {
        let setup = DebateSetup {
            question: "Who rang the bell?".into(),
            positions: Positions {
                a: "The captain".into(),
                b: "The keeper".into(),
            },
            protocol: Protocol {
                quote_limit: Some(80),
                ..Protocol::rounds(2)
            },
            debaters: Vec::new(),
        };
        let mut s = Session::new(setup, time::OffsetDateTime::UNIX_EPOCH);
        s.source_text = source.map(str::to_string);
        s.assignment = Some(crate::domain::Assignment {
            seed: 1,
            swapped: true,
            consultant: None,
            chooser: Some(Side::A),
            choice: None,
        });
        s
    }

    #[test]
    fn fill_is_one_pass() {
        let out = fill("{a} and {b} and {c}", &[("a", "{b}"), ("b", "two")]);
        assert_eq!(out, "{b} and two and {c}");
        assert_eq!(fill("{\"p_a\": 1}", &[("p_a", "x")]), "{\"p_a\": 1}");
        assert_eq!(fill("end {", &[]), "end {");
    }

    #[test]
    fn the_source_and_its_budget_reach_the_debater() {
        let s = session(Some(
            "The {question} keeper slept; the captain rang the bell.",
        ));
        let section = source_section(&s);
        assert!(section.contains("<source>\nThe {question} keeper slept"));
        assert!(section.contains("at most 80 characters"));
        assert!(section.contains("<quote>"));
        assert_eq!(source_section(&session(None)), "");
    }

    #[test]
    fn the_choice_lists_the_answers_in_the_questions_order() {
        let ask = choice_ask(&session(None));
        // Swapped: A holds the second answer, so answer 1 is B's.
        assert!(
            ask.system
                .contains("Answer 1: The keeper\nAnswer 2: The captain")
        );
        assert!(ask.system.contains("{\"answer\": 1}"));
    }

    #[test]
    fn the_judge_sees_quotes_checked_and_never_the_source_unless_allowed() {
        let source = "The captain rang the bell at dawn. A distinctive gull cried.";
        let mut s = session(Some(source));
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let i = s.begin_turn(Side::A, 1, "root", t);
        s.push_text(
            i,
            "Look: <quote>The captain rang the bell</quote> and <quote>he sang</quote>.",
        );
        s.finish_turn(i, TurnOutcome::Complete, None, t);
        let ask = judge_ask(DEFAULT_JUDGE_PROMPT, &s, 1, false);
        assert!(!ask.system.contains("distinctive gull"));
        assert!(!ask.user.contains("distinctive gull"));
        assert!(ask.user.contains("[Turn 1 · Debater A · round 1]"));
        assert!(
            ask.user
                .contains("<quote check=\"verified\">The captain rang the bell</quote>")
        );
        assert!(
            ask.user
                .contains("<quote check=\"not found\">he sang</quote>")
        );
        assert!(ask.user.contains("1 of the 4 planned speeches"));
        assert!(ask.system.contains("Side A argues: The captain"));
        let open = judge_ask(DEFAULT_JUDGE_PROMPT, &s, 1, true);
        assert!(open.system.contains("distinctive gull"));
        assert!(!open.system.contains("cannot see the source"));
    }
}
