//! What a debater is told: the system prompt (from `prompts/debater.md` or a file the config
//! names) and, each turn, the transcript so far and the claim tree with its ids.

use super::structured::{Ask, TOOL_NAME};
use crate::domain::{ClaimTree, ROOT_ID, RoundKind, Session, Side};
use std::fmt::Write;

/// The bundled debater prompt; `{placeholders}` are filled per debate.
pub const DEFAULT_SYSTEM_PROMPT: &str = include_str!("../../prompts/debater.md");
/// Words per turn when the protocol sets no limit.
pub const DEFAULT_WORD_LIMIT: u32 = 200;

/// Fills the system prompt template for one side of a session.
pub fn system_prompt(template: &str, session: &Session, side: Side) -> String {
    let word_limit = session.protocol.word_limit.unwrap_or(DEFAULT_WORD_LIMIT);
    // A consultant has no opponent: the bundled debater prompt gives way to the consultant's.
    let template = if session.protocol.format == crate::domain::Format::Consultancy
        && template == DEFAULT_SYSTEM_PROMPT
    {
        super::asks::CONSULTANT_PROMPT
    } else {
        template
    };
    // A template of the user's own without the placeholder still gets the source.
    let source = super::asks::source_section(session);
    let tail = if template.contains("{source_section}") || source.is_empty() {
        ""
    } else {
        "\n{source_section}"
    };
    fill(&format!("{template}{tail}"), |name| {
        Some(match name {
            "question" => session.question.clone(),
            "side" => side.to_string(),
            "opponent_side" => side.other().to_string(),
            "position" => session.positions.of(side).to_string(),
            "opponent_position" => session.positions.of(side.other()).to_string(),
            "word_limit" => word_limit.to_string(),
            "rounds" => session.protocol.rounds.to_string(),
            "source_section" => source.clone(),
            _ => return None,
        })
    })
}
/// Replaces each `{name}` of `template` that `value` knows, in one pass: a value is never
/// scanned again, so a question that says `{word_limit}` is sent as written. Braces around
/// anything else are left as they are.
fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let known = after
            .find('}')
            .and_then(|close| Some((close, value(&after[..close])?)));
        match known {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
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

/// The user message for one turn: the transcript so far, the claim tree, and what to do now.
pub fn turn_message(session: &Session, side: Side, round: u32, scope: &str) -> String {
    turn_message_for(session, side, round, scope, Ask::Block)
}

/// [`turn_message`], asking for the claims as `ask` says: in the block, by the claims tool,
/// or not at all (a second request asks for them).
pub fn turn_message_for(
    session: &Session,
    side: Side,
    round: u32,
    scope: &str,
    ask: Ask,
) -> String {
    let mut m = String::new();
    let simultaneous = session.protocol.kind == RoundKind::Simultaneous;
    let visible: Vec<_> = session
        .turns()
        .iter()
        .filter(|t| t.status.is_finished() && !t.text.trim().is_empty())
        // In simultaneous rounds neither side sees the other's speech of the same round.
        .filter(|t| !(simultaneous && t.round == round))
        .collect();
    if visible.is_empty() {
        m.push_str("The debate begins. There is no transcript yet.\n");
    } else {
        m.push_str("Transcript so far:\n\n");
        for t in visible {
            let who = if t.side == side { "you" } else { "opponent" };
            let _ = writeln!(
                m,
                "[Turn {} · debater {} ({who}) · round {}{}]",
                crate::domain::turn::number(t.index),
                t.side,
                t.round,
                if t.status == crate::domain::TurnStatus::Complete {
                    ""
                } else {
                    " · cut off"
                }
            );
            let _ = writeln!(m, "{}\n", t.prose().trim());
            for (_, to, text) in session
                .messages()
                .filter(|(after, ..)| *after == Some(t.index))
            {
                let _ = writeln!(m, "[The judge, to {}]\n{text}\n", addressee(to));
            }
        }
    }
    m.push_str("Claim tree (ids you may refer to):\n");
    write_tree(&mut m, &session.tree);
    if scope != ROOT_ID
        && let Some(node) = session.tree.get(scope)
    {
        let path = session.tree.path_to(scope).join(" > ");
        let _ = writeln!(
            m,
            "\nThis part of the debate is focused on claim {}: \"{}\" (its place in the tree: \
             {path}). Argue about that claim only: whether it holds, and why.",
            node.id, node.text
        );
    }
    // What the judge asked this debater since its last complete turn began: a message sent
    // while that turn streamed, or before a turn that failed, still needs an answer.
    let last_own_start = session
        .turns()
        .iter()
        .rev()
        .find(|t| t.side == side && t.status == crate::domain::TurnStatus::Complete)
        .map(|t| t.started_at);
    let pending: Vec<&str> = session
        .judge_events
        .iter()
        .filter(|e| last_own_start.is_none_or(|start| e.at >= start))
        .filter_map(|e| match &e.kind {
            crate::domain::JudgeEventKind::Message { to, text } if to.is_none_or(|s| s == side) => {
                Some(text.as_str())
            }
            _ => None,
        })
        .collect();
    if !pending.is_empty() {
        let _ = writeln!(
            m,
            "\nThe judge asks you to address, in this turn: {}",
            pending.join(" / ")
        );
    }
    let rounds = if scope == ROOT_ID {
        session.protocol.rounds
    } else {
        session
            .drill_rounds(scope)
            .unwrap_or(session.protocol.rounds)
    };
    let (role, task) = match session.protocol.format {
        crate::domain::Format::Debate => ("debater", "answer the opponent's strongest point"),
        crate::domain::Format::Consultancy => ("the consultant", "answer the judge's questions"),
    };
    let how = match ask {
        Ask::Block => "make your case, and end with the claims block.".to_string(),
        Ask::Tool => format!(
            "and make your case. Do not write a claims block this turn: after your speech, \
             call the tool {TOOL_NAME} once with the claims it makes and the points it concedes."
        ),
        Ask::Later => "and make your case. Do not write a claims block this turn: you will be \
                       asked for its claims right after your speech."
            .to_string(),
    };
    let _ = write!(
        m,
        "\nIt is round {round} of {rounds}. You are {role} {side}. Write your turn now: {task}, \
         {how} Your next claim id is {}.",
        next_claim_id(&session.tree, side)
    );
    m
}

/// The user message of a follow-up asking for the claims of turn `turn` alone: the speech,
/// the tree's ids, and the answer wanted (JSON under the schema, or a claims block).
pub fn claims_message(session: &Session, turn: usize, json: bool) -> String {
    let mut m = String::new();
    let Some(t) = session.turn(turn) else {
        return m;
    };
    let _ = writeln!(
        m,
        "Your speech (turn {}, debater {}, round {}):\n\n{}\n",
        t.index + 1,
        t.side,
        t.round,
        t.text.trim()
    );
    m.push_str("Claim tree (ids you may refer to):\n");
    write_tree(&mut m, &session.tree);
    let answer = if json {
        "Answer with JSON only: an object with a list \"claims\" (each with id, relation \
         supports or attacks, target, text) and a list \"concessions\" (each with target and \
         reason). Both lists may be empty."
    } else {
        "Answer with the claims block only, in the format of your instructions: one line per \
         claim, `<id> supports|attacks <target>: <text>`, or `concede <id>: <reason>`, inside a \
         ```claims fence. Write an empty block if the speech makes no claim."
    };
    let _ = write!(
        m,
        "\nList the claims this speech makes and the points it concedes, as written in it. Ids \
         continue your numbering (your next claim id is {}); a target is root or an id above. \
         {answer}",
        next_claim_id(&session.tree, t.side)
    );
    m
}

fn addressee(to: Option<Side>) -> String {
    match to {
        Some(side) => format!("debater {side}"),
        None => "both debaters".to_string(),
    }
}

/// The tree as a debater is shown it: one line per node, with its id, side and relation.
pub fn tree_listing(tree: &ClaimTree) -> String {
    let mut m = String::new();
    write_tree(&mut m, tree);
    m
}

/// The tree as a nested list, merged duplicates left out, without recursion; past
/// [`tree::MAX_INDENT`] levels the depth is written out instead of indenting further.
fn write_tree(m: &mut String, tree: &ClaimTree) {
    for visit in tree.walk(|n| n.merged_into.is_none()) {
        let Some(node) = tree.nodes().get(visit.pos) else {
            continue;
        };
        if node.merged_into.is_some() {
            continue;
        }
        let (levels, shown) = crate::domain::tree::indent(visit.depth);
        let indent = "  ".repeat(levels);
        let depth = shown.map_or(String::new(), |d| format!("[depth {d}] "));
        match (node.side, node.relation) {
            (Some(side), Some(rel)) => {
                let conceded = if node.conceded_by.is_empty() {
                    ""
                } else {
                    " [conceded]"
                };
                let _ = writeln!(
                    m,
                    "{indent}- {depth}{} ({side}, {} {}){conceded}: {}",
                    node.id,
                    rel.as_str(),
                    node.parent.as_deref().unwrap_or(ROOT_ID),
                    node.text
                );
            }
            _ if node.is_root() => {
                let _ = writeln!(m, "{indent}- root: {}", node.text);
            }
            _ => {
                let _ = writeln!(
                    m,
                    "{indent}- {depth}{} (the judge's question): {}",
                    node.id, node.text
                );
            }
        }
    }
}

/// The first unused `<side><n>` id, continuing the side's numbering.
pub fn next_claim_id(tree: &ClaimTree, side: Side) -> String {
    let prefix = side.letter();
    let highest = tree
        .nodes()
        .iter()
        .filter_map(|n| n.id.strip_prefix(prefix)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    // A debater may have written A4294967295 itself (ids are at most 16 characters, so u64
    // leaves room).
    format!("{prefix}{}", highest.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TurnOutcome;
    use crate::providers::scripted::script::DemoScript;

    fn played(turns: usize) -> Session {
        let script = DemoScript::bundled().unwrap();
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let mut s = Session::new(script.setup(), t);
        for _ in 0..turns {
            let (round, side) = s.next_slot().unwrap();
            let i = s.begin_turn(side, round, "root", t);
            s.push_text(i, script.turn_text(ROOT_ID, round, side).unwrap());
            s.finish_turn(i, TurnOutcome::Complete, None, t);
        }
        s
    }

    #[test]
    fn system_prompt_fills_every_placeholder() {
        let s = played(0);
        let p = system_prompt(DEFAULT_SYSTEM_PROMPT, &s, Side::B);
        assert!(!p.contains('{') || !p.contains("{side}"), "{p}");
        for placeholder in [
            "{question}",
            "{position}",
            "{word_limit}",
            "{rounds}",
            "{opponent_side}",
        ] {
            assert!(!p.contains(placeholder), "{placeholder} left in the prompt");
        }
        assert!(p.contains("You are debater B"));
        assert!(p.contains(&s.positions.b));
        assert!(p.contains("B1 supports root"));
    }

    #[test]
    fn placeholders_in_the_values_are_not_filled() {
        let mut s = played(0);
        s.question = "Is {word_limit} a {side} thing? {rounds".into();
        s.positions.a = "Yes, {opponent_position}.".into();
        let p = system_prompt(
            "Q: {question} A: {position} {unknown} {{side}} {",
            &s,
            Side::A,
        );
        assert_eq!(
            p,
            "Q: Is {word_limit} a {side} thing? {rounds A: Yes, {opponent_position}. {unknown} {A} {"
        );
    }

    #[test]
    fn the_next_claim_id_survives_the_largest_id_a_debater_can_write() {
        let mut tree = ClaimTree::new("q");
        let claim = |id: &str| crate::domain::Claim {
            id: id.into(),
            relation: crate::domain::Relation::Supports,
            target: ROOT_ID.into(),
            text: "c".into(),
            source: Default::default(),
        };
        tree.apply_turn(0, Side::A, &[claim("A4294967295")], &[]);
        assert_eq!(next_claim_id(&tree, Side::A), "A4294967296");
        tree.apply_turn(1, Side::A, &[claim("A999999999999999")], &[]);
        assert_eq!(next_claim_id(&tree, Side::A), "A1000000000000000");
    }

    #[test]
    fn turn_message_shows_transcript_tree_and_next_id() {
        let s = played(2);
        let m = turn_message(&s, Side::A, 2, ROOT_ID);
        assert!(m.contains("[Turn 1 · debater A (you) · round 1]"));
        assert!(m.contains("[Turn 2 · debater B (opponent) · round 1]"));
        assert!(
            !m.contains("```claims"),
            "prose only: the tree carries the claims"
        );
        assert!(m.contains("- A1 (A, supports root)"));
        assert!(m.contains("    - B1 (B, attacks A1)") || m.contains("  - B1 (B, attacks"));
        assert!(m.ends_with(&format!(
            "Your next claim id is {}.",
            next_claim_id(&s.tree, Side::A)
        )));
    }

    #[test]
    fn structured_turns_ask_for_the_tool_or_nothing() {
        let s = played(2);
        let m = turn_message_for(&s, Side::A, 2, ROOT_ID, Ask::Tool);
        assert!(m.contains("call the tool record_claims once"), "{m}");
        assert!(!m.contains("end with the claims block"));
        let m = turn_message_for(&s, Side::A, 2, ROOT_ID, Ask::Later);
        assert!(
            m.contains("you will be asked for its claims right after"),
            "{m}"
        );
        assert_eq!(
            turn_message(&s, Side::A, 2, ROOT_ID),
            turn_message_for(&s, Side::A, 2, ROOT_ID, Ask::Block)
        );
    }

    #[test]
    fn the_claims_message_holds_the_speech_and_the_ids() {
        let s = played(2);
        let m = claims_message(&s, 1, true);
        assert!(
            m.starts_with("Your speech (turn 2, debater B, round 1):"),
            "{m}"
        );
        assert!(m.contains(s.turns()[1].text.trim()));
        assert!(m.contains("- A1 (A, supports root)"));
        assert!(m.contains("Answer with JSON only"));
        assert!(claims_message(&s, 1, false).contains("```claims fence"));
        assert_eq!(claims_message(&s, 9, true), "");
    }

    #[test]
    fn first_turn_has_no_transcript() {
        let s = played(0);
        let m = turn_message(&s, Side::A, 1, ROOT_ID);
        assert!(m.starts_with("The debate begins."));
        assert!(m.contains("Your next claim id is A1."));
    }

    #[test]
    fn judge_messages_reach_the_prompt() {
        use crate::domain::JudgeEventKind;
        let mut s = played(2);
        let t = time::OffsetDateTime::UNIX_EPOCH;
        s.judge(
            JudgeEventKind::Message {
                to: Some(Side::A),
                text: "Cite the London figure.".into(),
            },
            t,
        )
        .unwrap();
        let m = turn_message(&s, Side::A, 2, ROOT_ID);
        assert!(m.contains("[The judge, to debater A]\nCite the London figure."));
        assert!(m.contains("The judge asks you to address, in this turn: Cite the London figure."));
        let m = turn_message(&s, Side::B, 2, ROOT_ID);
        assert!(
            m.contains("[The judge, to debater A]"),
            "both sides see the exchange"
        );
        assert!(!m.contains("asks you to address"), "but only A is asked");
    }

    #[test]
    fn simultaneous_rounds_hide_the_same_round() {
        let mut s = played(1);
        s.protocol.kind = RoundKind::Simultaneous;
        let m = turn_message(&s, Side::B, 1, ROOT_ID);
        assert!(!m.contains("[Turn 1"));
    }
}
