//! What the extractor is told: how to read a speech into claims, and each turn's speech with
//! the tree found so far.

use crate::domain::{ClaimTree, Session};
use crate::providers::prompt::{next_claim_id, tree_listing};
use std::fmt::Write;

/// The extractor's instructions.
pub const SYSTEM: &str = "You map the arguments of a recorded debate into a claim tree. You are \
given the question, the answer each debater argues, one speech, and the claim tree found so far \
(with ids). List the claims the speech makes, each supporting or attacking the question (root) or \
an earlier claim, and the points of the other side it concedes. Use only what the speech says; \
never invent. Each claim is one sentence in your own words. Two to six claims per speech; a speech \
that argues nothing new gets none.";

/// The request for one turn: the debate's setup, the speech, the tree before it, and the
/// answer wanted (JSON under the schema, or a claims block).
pub fn turn(session: &Session, turn: usize, tree: &ClaimTree, json: bool) -> String {
    let mut m = String::new();
    let Some(t) = session.turn(turn) else {
        return m;
    };
    let _ = writeln!(m, "Question: {}", session.question);
    let _ = writeln!(m, "Debater A argues: {}", session.positions.a);
    let _ = writeln!(m, "Debater B argues: {}\n", session.positions.b);
    let _ = writeln!(
        m,
        "The speech (turn {}, debater {}, round {}):\n\n{}\n",
        t.index + 1,
        t.side,
        t.round,
        t.prose().trim()
    );
    m.push_str("Claim tree so far:\n");
    m.push_str(&tree_listing(tree));
    let answer = if json {
        "Answer with JSON only: an object with a list \"claims\" (each with id, relation supports \
         or attacks, target, text) and a list \"concessions\" (each with target and reason). Both \
         lists may be empty."
    } else {
        "Answer with a claims block only: one line per claim, `<id> supports|attacks <target>: \
         <text>`, or `concede <id>: <reason>`, inside a ```claims fence."
    };
    let _ = write!(
        m,
        "\nNew claim ids continue debater {side}'s numbering: the next is {next}. A target is root, \
         an id from the tree, or, when no id fits, a few words naming the claim answered (they are \
         matched to the nearest claim). {answer}",
        side = t.side,
        next = next_claim_id(tree, t.side),
    );
    m
}
