//! Exports of a saved session: a Markdown transcript, a JSON Lines dataset of the judge's
//! rulings (one record per judged node and one per verdict), and a self-contained HTML page.
//!
//! Every exporter is a pure function of a [`Session`]: no terminal, no async, no clock. The
//! formats are documented in `docs/export-format.md`.
//!
//! Model text is hostile: every exporter passes session text through [`sanitize::inert`] (escape
//! sequences and control characters dropped) and then escapes it for its format. Base URLs lose
//! their user information, query and fragment ([`redact_url`]); a session never holds an API key.

pub mod html;
pub mod jsonl;
pub mod markdown;

use crate::domain::{JudgeEventKind, JudgementRef, ROOT_ID, Scores, Session, Side, Turn};
use crate::text::sanitize;
use time::OffsetDateTime;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable Markdown transcript.
    #[value(name = "md")]
    Markdown,
    /// One JSON record per judged node and per verdict, for reward-model data sets.
    #[value(name = "jsonl")]
    Jsonl,
    /// One self-contained HTML page.
    #[value(name = "html")]
    Html,
}

impl Format {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
        }
    }
}

/// The session in `format`.
pub fn export(session: &Session, format: Format) -> String {
    match format {
        Format::Markdown => markdown::render(session),
        Format::Jsonl => jsonl::render(session),
        Format::Html => html::render(session),
    }
}

/// Exports go to new files only: an existing file is never replaced.
pub use crate::storage::write_new;

pub use crate::text::redact::url as redact_url;

/// Session text made inert: no escape sequences, no control characters but newlines.
fn clean(text: &str) -> String {
    sanitize::inert(text)
}

/// Session text on one line: inert, with runs of white space (newlines included) as one space.
fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A probability as a whole percentage: `0.65` -> `65%`.
fn percent(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

/// A probability rounded to six decimals, so `1 - 0.7` is written `0.3`.
fn round6(p: f64) -> f64 {
    (p * 1e6).round() / 1e6
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// "turn 3" for index 2 (the UI numbers turns from 1), "the start" before the first turn.
fn after_turn_label(after_turn: Option<usize>) -> String {
    match after_turn {
        Some(i) => format!("turn {}", crate::domain::turn::number(i)),
        None => "the start".to_string(),
    }
}

/// A side with its debater's name: `A (Pro)`.
fn side_name(session: &Session, side: Side) -> String {
    match session.debater(side) {
        Some(d) if !d.name.trim().is_empty() => format!("{side} ({})", one_line(&d.name)),
        _ => side.to_string(),
    }
}

/// The facts of a turn for its header, in order: status, words, tokens, time, cost, retries.
/// "Pro · openai / gpt-4o at https://host/v1": who a debater is, in plain text (each format
/// escapes it), with the base URL's secrets removed.
fn debater_line(d: &crate::domain::Debater) -> String {
    let mut line = format!(
        "{} · {} / {}",
        clean(&d.name),
        clean(&d.provider),
        clean(&d.model)
    );
    if let Some(url) = &d.base_url {
        line.push_str(&format!(" at {}", redact_url(&clean(url))));
    }
    line
}

/// "sequential, 4 rounds, about 180 words a turn".
fn protocol_line(p: &crate::domain::Protocol) -> String {
    let mut line = format!("{}, {} rounds", p.kind.label(), p.rounds);
    if let Some(limit) = p.word_limit {
        line.push_str(&format!(", about {limit} words a turn"));
    }
    line
}

fn turn_facts(turn: &Turn) -> Vec<String> {
    let mut facts = vec![if turn.skipped {
        format!("{} (skipped)", turn.status.label())
    } else {
        turn.status.label().to_string()
    }];
    facts.push(format!("{} words", turn.word_count()));
    let s = &turn.stats;
    match (s.input_tokens, s.output_tokens) {
        (Some(i), Some(o)) => facts.push(format!("{i} in / {o} out tokens")),
        (None, Some(o)) => facts.push(format!("{o} tokens")),
        (Some(i), None) => facts.push(format!("{i} input tokens")),
        (None, None) => {}
    }
    let ms = s.total_ms.or_else(|| {
        turn.finished_at
            .map(|f| (f - turn.started_at).whole_milliseconds().max(0) as u64)
    });
    match ms {
        Some(ms) if ms < 1000 => facts.push(format!("{ms} ms")),
        Some(ms) => facts.push(format!("{:.1} s", ms as f64 / 1000.0)),
        None => {}
    }
    if let Some(cost) = s.cost_usd {
        facts.push(format!("${cost:.4}"));
    }
    if s.retries > 0 {
        facts.push(format!("{} retries", s.retries));
    }
    facts
}

/// The debates of the session in the order they are shown: the main debate (`root`), then each
/// drill in the order its first turn was played. Only scopes with turns are listed.
fn scopes(session: &Session) -> Vec<&str> {
    let mut out = vec![ROOT_ID];
    for t in session.turns() {
        if !out.contains(&t.scope.as_str()) {
            out.push(t.scope.as_str());
        }
    }
    out
}

/// The heading of a scope: "Main debate" or "Drill on B2: <node text>".
fn scope_title(session: &Session, scope: &str) -> String {
    if scope == ROOT_ID {
        return "Main debate".to_string();
    }
    match session.tree.get(scope) {
        Some(node) => format!("Drill on {}: {}", one_line(scope), one_line(&node.text)),
        None => format!("Drill on {}", one_line(scope)),
    }
}

/// A judge's message to the debaters, as placed in a transcript.
struct Message<'a> {
    to: Option<Side>,
    text: &'a str,
}

/// The judge's messages that followed turn `after` (`None`: before the first turn).
fn messages_after(session: &Session, after: Option<usize>) -> Vec<Message<'_>> {
    session
        .messages()
        .filter(|(a, _, _)| *a == after)
        .map(|(_, to, text)| Message { to, text })
        .collect()
}

/// Messages whose turn is not in the session (a hand-edited file): shown at the end of the
/// main debate rather than lost.
fn stray_messages(session: &Session) -> Vec<Message<'_>> {
    session
        .messages()
        .filter(|(a, _, _)| a.is_some_and(|i| i >= session.turns().len()))
        .map(|(_, to, text)| Message { to, text })
        .collect()
}

/// Who a message is for: "both debaters", "A (Pro)".
fn message_to(session: &Session, to: Option<Side>) -> String {
    match to {
        Some(side) => side_name(session, side),
        None => "both debaters".to_string(),
    }
}

/// The judge's credences on the root, in order: (after which turn, P(A)).
fn root_credences(session: &Session) -> Vec<(Option<usize>, f64)> {
    session
        .judge_events
        .iter()
        .filter_map(|e| match &e.kind {
            JudgeEventKind::Credence { node, p_a, .. } if node == ROOT_ID => {
                Some((e.after_turn, *p_a))
            }
            _ => None,
        })
        .collect()
}

/// One judgement of the session as every export shows it: who judged and how, and the debate
/// as they judged it.
struct Judged<'a> {
    judgement: JudgementRef<'a>,
    /// The session with this judge's events, rulings, annotations and verdict in place of
    /// judge 0's (for judge 0, the session itself).
    view: Session,
    /// The verdict scored against the ground truth, as everywhere else (`domain::scoring`).
    scores: Option<Scores>,
}

/// Every judgement of the session: judge 0, then each of `judgements` in order.
fn judged(session: &Session) -> Vec<Judged<'_>> {
    let mut views = std::iter::once(session.clone())
        .chain(session.judgements.iter().map(|j| session.as_judged_in(j)));
    session
        .all_judgements()
        .into_iter()
        .filter_map(|judgement| {
            let view = views.next()?;
            Some(Judged {
                scores: judgement.scores(session),
                judgement,
                view,
            })
        })
        .collect()
}

/// "Judge 1 · llm · openai:gpt-4o · blind": a judgement's id, kind, judge (when named), whether
/// they judged blind, and how the debate was shown to them (when recorded). Plain text: each
/// format escapes it.
fn judge_label(j: &JudgementRef<'_>) -> String {
    let mut parts = vec![format!("Judge {}", j.id), j.kind.label().to_string()];
    if let Some(name) = j.judge.filter(|n| !n.trim().is_empty()) {
        parts.push(one_line(name));
    }
    parts.push(if j.blind { "blind" } else { "not blind" }.to_string());
    if let Some(mode) = j.mode.filter(|m| !m.trim().is_empty()) {
        parts.push(format!("shown {}", one_line(mode)));
    }
    parts.join(" · ")
}

/// Turns played on a node's drill.
fn drill_turns(session: &Session, node: &str) -> usize {
    if node == ROOT_ID {
        return 0;
    }
    session.turns_in(node).count()
}

#[cfg(test)]
pub(crate) mod test_sessions;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_user_info_query_and_fragment() {
        assert_eq!(
            redact_url("https://user:sk-secret@host/v1?key=sk-secret"),
            "https://host/v1"
        );
        assert_eq!(
            redact_url("http://localhost:8080/v1"),
            "http://localhost:8080/v1"
        );
        assert_eq!(redact_url("user@host:1/x#frag"), "host:1/x");
        assert_eq!(redact_url("https://a@b@host"), "https://host");
        assert_eq!(redact_url("https://host/p@th"), "https://host/p@th");
        assert_eq!(redact_url(""), "");
    }

    #[test]
    fn scopes_put_the_main_debate_first_then_drills_in_order() {
        let s = test_sessions::judged();
        assert_eq!(scopes(&s), vec!["root", "B1"]);
        assert_eq!(scope_title(&s, "root"), "Main debate");
        assert!(scope_title(&s, "B1").starts_with("Drill on B1: "));
    }

    #[test]
    fn turn_facts_list_status_words_tokens_and_time() {
        let s = test_sessions::judged();
        let facts = turn_facts(&s.turns()[0]);
        assert_eq!(facts[0], "complete");
        assert!(facts[1].ends_with(" words"));
        assert!(
            facts.contains(&"120 in / 45 out tokens".to_string()),
            "{facts:?}"
        );
        assert!(facts.contains(&"2.5 s".to_string()), "{facts:?}");
    }

    #[test]
    fn every_format_is_deterministic() {
        let s = test_sessions::judged();
        for f in [Format::Markdown, Format::Jsonl, Format::Html] {
            assert_eq!(export(&s, f), export(&s, f));
        }
    }
}
