//! The Markdown export: a readable transcript with the claim tree, annotations, credences and the
//! verdict.
//!
//! Model text cannot break the document: turn prose is quoted line by line (`> `), so a stray
//! code fence ends with the quote; lines that would open a fence, a heading or a setext
//! underline are escaped, and `<` is written `&lt;` so no HTML (a `<!--` comment, a `<script>`)
//! reaches a renderer. Every other piece of session text is put on one line the same way.

use super::{
    Message, after_turn_label, clean, debater_line, drill_turns, judge_label, judged, message_to,
    messages_after, one_line, percent, protocol_line, rfc3339, root_credences, scope_title, scopes,
    side_name, stray_messages, turn_facts,
};
use crate::domain::tree::{self, Visit};
use crate::domain::turn::number;
use crate::domain::{Analysis, NodeStatus, Origin, ROOT_ID, Relation, Scores, Session, Turn};
use std::fmt::Write;

/// The session as a Markdown document.
pub fn render(session: &Session) -> String {
    let mut out = String::new();
    header(&mut out, session);
    transcript(&mut out, session);
    tree(&mut out, session);
    judgements(&mut out, session);
    out
}

/// Session text on one line, safe inside a paragraph, list item or heading.
pub fn inline(text: &str) -> String {
    escape_line(&one_line(text))
}

/// Session text as a block quote: every line prefixed with `> ` and neutralised.
pub fn quote(text: &str) -> String {
    let text = clean(text);
    let mut out = String::new();
    for line in text.trim_end().lines() {
        if line.trim().is_empty() {
            out.push_str(">\n");
        } else {
            out.push_str("> ");
            out.push_str(&escape_line(line));
            out.push('\n');
        }
    }
    out
}

/// Escapes `<` and a line start that Markdown would read as structure: a code fence, a heading,
/// or a setext underline.
fn escape_line(line: &str) -> String {
    let escaped = line.replace('<', "&lt;");
    let body = escaped.trim_start();
    let indent = &escaped[..escaped.len() - body.len()];
    let structural = body.starts_with("```")
        || body.starts_with("~~~")
        || body.starts_with('#')
        || (!body.is_empty() && body.chars().all(|c| c == '=' || c == '-' || c == ' '));
    if structural {
        format!("{indent}\\{body}")
    } else {
        escaped
    }
}

fn header(out: &mut String, s: &Session) {
    let _ = writeln!(out, "# {}\n", inline(&s.question));
    let _ = writeln!(out, "- **A**: {}", inline(&s.positions.a));
    let _ = writeln!(out, "- **B**: {}\n", inline(&s.positions.b));

    out.push_str("## Debaters\n\n");
    for d in &s.debaters {
        let _ = writeln!(out, "- **{}** {}", d.side, inline(&debater_line(d)));
    }
    out.push('\n');

    out.push_str("## Protocol\n\n");
    let _ = writeln!(out, "- {}", inline(&protocol_line(&s.protocol)));
    let status = match s.status {
        crate::domain::SessionStatus::Running => "running",
        crate::domain::SessionStatus::Finished => "finished",
    };
    let _ = writeln!(out, "- {} turns, {status}", s.turns().len(),);
    if let Some(reason) = &s.ended_early {
        let _ = writeln!(out, "- ended early by the judge: {}", inline(reason));
    }
    let _ = writeln!(
        out,
        "- session {}, created {}, agon {}\n",
        inline(&s.id),
        rfc3339(s.created_at),
        inline(&s.app_version)
    );
}

fn transcript(out: &mut String, s: &Session) {
    out.push_str("## Transcript\n\n");
    for scope in scopes(s) {
        let _ = writeln!(out, "### {}\n", inline(&scope_title(s, scope)));
        if scope == ROOT_ID {
            messages(out, s, &messages_after(s, None));
        }
        for turn in s.turns_in(scope) {
            write_turn(out, s, turn);
            messages(out, s, &messages_after(s, Some(turn.index)));
        }
        if scope == ROOT_ID {
            messages(out, s, &stray_messages(s));
        }
    }
}

fn write_turn(out: &mut String, s: &Session, turn: &Turn) {
    let _ = writeln!(
        out,
        "#### Turn {} · {} · round {}\n",
        number(turn.index),
        inline(&side_name(s, turn.side)),
        turn.round
    );
    let _ = writeln!(out, "*{}*\n", turn_facts(turn).join(" · "));
    let prose = turn.prose();
    if prose.trim().is_empty() {
        out.push_str("*(no text)*\n\n");
    } else {
        out.push_str(&quote(&prose));
        out.push('\n');
    }
    if !turn.claims.is_empty() || !turn.concessions.is_empty() {
        out.push_str("Claims:\n\n");
        for c in &turn.claims {
            let glyph = match c.relation {
                Relation::Supports => "+",
                Relation::Attacks => "×",
            };
            let _ = writeln!(
                out,
                "- {glyph} **{}** {} {}: {}",
                inline(&c.id),
                c.relation.as_str(),
                inline(&c.target),
                inline(&c.text)
            );
        }
        for c in &turn.concessions {
            let _ = write!(out, "- ⚑ concedes **{}**", inline(&c.target));
            if !c.reason.trim().is_empty() {
                let _ = write!(out, ": {}", inline(&c.reason));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    for w in &turn.warnings {
        let _ = writeln!(out, "- warning: {}", inline(w));
    }
    if let Some(e) = &turn.error {
        let _ = writeln!(out, "- error: {}", inline(e));
    }
    if !turn.warnings.is_empty() || turn.error.is_some() {
        out.push('\n');
    }
}

fn messages(out: &mut String, s: &Session, messages: &[Message<'_>]) {
    for m in messages {
        let _ = writeln!(
            out,
            "**Judge to {}:** {}\n",
            inline(&message_to(s, m.to)),
            inline(m.text)
        );
    }
}

fn tree(out: &mut String, s: &Session) {
    out.push_str("## Claim tree\n\n");
    out.push_str(
        "`+` supports, `×` attacks, `?` the judge's question; ★ crux; \
         \"stands\" is the probability the claim stands.\n\n",
    );
    let analysis = Analysis::of(&s.tree);
    // What hangs under a merged duplicate was moved to the node it was merged into.
    for visit in s.tree.walk(|n| n.merged_into.is_none()) {
        node(out, s, &analysis, visit);
    }
    out.push('\n');
}

fn node(out: &mut String, s: &Session, analysis: &Analysis, visit: Visit) {
    let pos = visit.pos;
    let Some(n) = s.tree.nodes().get(pos) else {
        return;
    };
    let (levels, shown) = tree::indent(visit.depth);
    let indent = "  ".repeat(levels);
    let depth = shown.map_or(String::new(), |d| format!("[depth {d}] "));
    if let Some(into) = &n.merged_into {
        let _ = writeln!(
            out,
            "{indent}- {depth}~~{}~~ merged into {}",
            inline(&n.id),
            inline(into)
        );
        return;
    }
    if n.is_root() {
        let _ = writeln!(
            out,
            "{indent}- **{}** {} [{} · P(A) suggested {}]",
            ROOT_ID,
            inline(&n.text),
            analysis.status[pos].label(),
            percent(analysis.p_stands[pos])
        );
    } else {
        let glyph = match (n.origin, n.relation) {
            (Origin::Judge, _) => "?",
            (_, Some(Relation::Attacks)) => "×",
            _ => "+",
        };
        let mut badges = Vec::new();
        if analysis.crux[pos] {
            badges.push("★ crux".to_string());
        }
        badges.push(match (analysis.status[pos], &n.judgement) {
            (NodeStatus::Judged, Some(j)) => format!("judged ⚖{}", j.winner),
            (status, _) => status.label().to_string(),
        });
        if !n.conceded_by.is_empty() {
            let by: Vec<String> = n.conceded_by.iter().map(|s| s.to_string()).collect();
            badges.push(format!("conceded by {}", by.join(", ")));
        }
        badges.push(format!("stands {}", percent(analysis.p_stands[pos])));
        let drill = drill_turns(s, &n.id);
        if drill > 0 {
            badges.push(format!("↳{drill} drill turns"));
        }
        if let Some(p) = s.credence(&n.id) {
            badges.push(format!("credence P(A) {}", percent(p)));
        }
        let side = n.side.map(|s| format!(" ({s})")).unwrap_or_default();
        let _ = write!(
            out,
            "{indent}- {depth}{glyph} **{}**{side} [{}] {}",
            inline(&n.id),
            badges.join(" · "),
            inline(&n.text)
        );
        if let Some(t) = &n.unresolved_target {
            let _ = write!(out, " *(targeted unknown {})*", inline(t));
        }
        out.push('\n');
    }
    if let Some(j) = &n.judgement {
        let _ = write!(
            out,
            "{indent}  - ⚖ ruling: **{}** wins, {}",
            j.winner,
            percent(j.confidence)
        );
        if !j.rationale.trim().is_empty() {
            let _ = write!(out, ": {}", inline(&j.rationale));
        }
        out.push('\n');
    }
}

/// Every judgement, judge 0 first: who judged, then their annotations, credences, rulings,
/// verdict and scores.
fn judgements(out: &mut String, s: &Session) {
    out.push_str("## Judgements\n\n");
    if !s.judgements.is_empty() {
        out.push_str(
            "Judge 0 judged the debate as it was played; each later judge judged the recording \
             again, without seeing the others' work.\n\n",
        );
    }
    for j in judged(s) {
        let _ = writeln!(out, "### {}\n", inline(&judge_label(&j.judgement)));
        annotations(out, &j.view);
        credences(out, &j.view);
        rulings(out, &j.view);
        verdict(out, &j.view, j.scores);
    }
}

fn annotations(out: &mut String, s: &Session) {
    if s.annotations.is_empty() {
        return;
    }
    out.push_str("Annotations:\n\n");
    for a in &s.annotations {
        let mut on = Vec::new();
        if let Some(t) = a.turn {
            let who = s
                .turns()
                .get(t)
                .map(|turn| format!(" ({})", turn.side))
                .unwrap_or_default();
            on.push(format!("turn {}{who}", number(t)));
        }
        if let Some(n) = &a.node {
            on.push(format!("node **{}**", inline(n)));
        }
        let _ = write!(out, "- **#{}** on {}", a.id, on.join(", "));
        if let Some(q) = &a.quote {
            let _ = write!(out, ": “{}”", inline(q));
        }
        if !a.tags.is_empty() {
            let tags: Vec<String> = a.tags.iter().map(|t| inline(t)).collect();
            let _ = write!(out, " · tags: {}", tags.join(", "));
        }
        if !a.note.trim().is_empty() {
            let _ = write!(out, " · {}", inline(&a.note));
        }
        out.push('\n');
    }
    out.push('\n');
}

fn credences(out: &mut String, s: &Session) {
    let points = root_credences(s);
    if points.is_empty() {
        return;
    }
    out.push_str("Credence, the judge's probability that A is right:\n\n");
    out.push_str("| after | P(A) |\n| --- | ---: |\n");
    for (after, p) in points {
        let _ = writeln!(out, "| {} | {} |", after_turn_label(after), percent(p));
    }
    out.push('\n');
}

/// The judge's rulings on nodes, in tree order (for judge 0 also shown in the claim tree).
fn rulings(out: &mut String, s: &Session) {
    let ruled = s.tree.rulings();
    if ruled.is_empty() {
        return;
    }
    out.push_str("Rulings:\n\n");
    for (n, j) in ruled {
        let _ = write!(
            out,
            "- ⚖ **{}**: **{}** wins, {}",
            inline(&n.id),
            j.winner,
            percent(j.confidence)
        );
        if !j.rationale.trim().is_empty() {
            let _ = write!(out, ": {}", inline(&j.rationale));
        }
        out.push('\n');
    }
    out.push('\n');
}

fn verdict(out: &mut String, s: &Session, scores: Option<Scores>) {
    let Some(v) = &s.verdict else {
        out.push_str("No verdict yet.\n\n");
        return;
    };
    let _ = writeln!(
        out,
        "**{} wins**, confidence {} (P(A) {}), recorded {}.\n",
        inline(&side_name(s, v.winner)),
        percent(v.confidence),
        percent(v.p_a()),
        rfc3339(v.at)
    );
    if let Some(crux) = &v.decided_by {
        let text = s
            .tree
            .get(crux)
            .map(|n| format!(": {}", inline(&n.text)))
            .unwrap_or_default();
        let _ = writeln!(out, "- decided by the crux **{}**{text}", inline(crux));
    }
    if !v.ended.trim().is_empty() {
        let _ = writeln!(out, "- ended: {}", inline(&v.ended));
    }
    if v.decided_by.is_some() || !v.ended.trim().is_empty() {
        out.push('\n');
    }
    if !v.rationale.trim().is_empty() {
        out.push_str(&quote(&v.rationale));
        out.push('\n');
    }
    if let (Some(truth), Some(sc)) = (s.ground_truth, scores) {
        out.push_str("Scores:\n\n");
        let _ = writeln!(out, "- ground truth: **{truth}**");
        let _ = writeln!(out, "- correct: {}", if sc.correct { "yes" } else { "no" });
        let _ = writeln!(out, "- P(correct): {}", percent(sc.p_correct));
        let _ = writeln!(out, "- log score: {:.3} bits", sc.log_score);
        let _ = writeln!(out, "- Brier score: {:.3}", sc.brier);
        let _ = writeln!(
            out,
            "- turn-penalised log score: {:.3} ({} turns × {})\n",
            sc.turn_penalised, sc.turns, sc.penalty
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_sessions::{self, HOSTILE};
    use super::*;

    #[test]
    fn structure_follows_the_debate() {
        let s = test_sessions::judged();
        let md = render(&s);
        let heading = |h: &str| {
            md.find(&format!("\n{h}\n"))
                .unwrap_or_else(|| panic!("no heading {h:?} in\n{md}"))
        };
        assert!(md.starts_with("# Should the city adopt congestion pricing?\n"));
        let order = [
            heading("## Debaters"),
            heading("## Protocol"),
            heading("## Transcript"),
            heading("### Main debate"),
            heading("#### Turn 1 · A (Pro) · round 1"),
            heading("#### Turn 4 · B (Con) · round 2"),
            heading("### Drill on B1: A flat charge is regressive."),
            heading("#### Turn 5 · A (Pro) · round 1"),
            heading("## Claim tree"),
            heading("## Judgements"),
            heading("### Judge 0 · human · not blind"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{md}");
        // Prose is quoted, without the claims block; claims are a list.
        assert!(md.contains("> Traffic falls when road space is priced.\n"));
        assert!(!md.contains("```claims"));
        assert!(md.contains("- + **A1** supports root: Pricing cuts traffic.\n"));
        assert!(md.contains("- ⚑ concedes **A2**: Buses do move faster.\n"));
        // Header facts.
        assert!(
            md.contains("*complete · 21 words · 120 in / 45 out tokens · 2.5 s*"),
            "{md}"
        );
    }

    #[test]
    fn a_judge_message_follows_its_turn() {
        let md = render(&test_sessions::judged());
        let turn1 = md.find("#### Turn 1 ").unwrap();
        let msg = md
            .find("**Judge to B (Con):** Cite a source for equity.")
            .unwrap();
        let turn2 = md.find("#### Turn 2 ").unwrap();
        assert!(turn1 < msg && msg < turn2);
    }

    #[test]
    fn tree_nests_with_glyphs_badges_and_rulings() {
        let md = render(&test_sessions::judged());
        assert!(md.contains("- **root** Should the city adopt congestion pricing? ["));
        assert!(
            md.contains("  - × **B1** (B) [★ crux · judged ⚖B · stands 70% · ↳2 drill turns] A flat charge is regressive.\n"),
            "{md}"
        );
        assert!(md.contains("    - ⚖ ruling: **B** wins, 70%: Sequencing was never answered.\n"));
        assert!(md.contains("    - × **A3** (A) ["), "A3 nests under B1");
        assert!(md.contains("  - + **A2** (A) [conceded · conceded by B · stands 100%]"));
    }

    #[test]
    fn annotations_credences_verdict_and_scores() {
        let md = render(&test_sessions::judged());
        assert!(
            md.contains(
                "- **#1** on turn 2 (B): “It hits the poor.” · tags: unsupported · No figures.\n"
            ),
            "{md}"
        );
        assert!(md.contains("- **#2** on node **B1** · tags: strong-evidence\n"));
        assert!(md.contains("| the start | 50% |\n| turn 2 | 60% |\n| turn 6 | 40% |\n"));
        assert!(
            md.contains("- turn-penalised log score: -2.037 (6 turns × 0.05)\n"),
            "{md}"
        );
        assert!(md.contains("**B (Con) wins**, confidence 70% (P(A) 30%)"));
        assert!(md.contains("- decided by the crux **B1**: A flat charge is regressive.\n"));
        assert!(md.contains("> B1 decides it.\n"));
        assert!(md.contains("- ground truth: **A**\n- correct: no\n- P(correct): 30%\n"));
    }

    #[test]
    fn scores_only_with_a_verdict_and_a_ground_truth() {
        let mut s = test_sessions::judged();
        s.ground_truth = None;
        assert!(!render(&s).contains("Scores:"));
        let mut s = test_sessions::judged();
        s.verdict = None;
        let md = render(&s);
        assert!(!md.contains("Scores:"));
        assert!(md.contains("No verdict yet."));
    }

    #[test]
    fn every_judgement_is_labelled_and_scored() {
        let md = render(&test_sessions::rejudged());
        let judge = |h: &str| {
            md.find(&format!("\n### {h}\n"))
                .unwrap_or_else(|| panic!("{h} in\n{md}"))
        };
        let (j0, j1, j2) = (
            judge("Judge 0 · human · not blind"),
            judge("Judge 1 · llm · openai:judge-model · blind · shown end"),
            judge("Judge 2 · human · not blind"),
        );
        assert!(j0 < j1 && j1 < j2);
        let (first, second, third) = (&md[j0..j1], &md[j1..j2], &md[j2..]);
        assert!(first.contains("**B (Con) wins**, confidence 70%"));
        assert!(first.contains("- ⚖ **B1**: **B** wins, 70%: Sequencing was never answered.\n"));
        assert!(
            second.contains("- ⚖ **A1**: **A** wins, 90%: Unrebutted.\n"),
            "{second}"
        );
        assert!(second.contains("**A (Pro) wins**, confidence 80% (P(A) 80%)"));
        assert!(
            second.contains("- correct: yes\n- P(correct): 80%\n"),
            "{second}"
        );
        // Judge 1's own penalty, and the turns they had seen at their verdict.
        assert!(second.contains("(6 turns × 0.1)"), "{second}");
        assert!(!second.contains("Annotations:") && !second.contains("Credence"));
        assert!(third.contains("| turn 2 | 55% |") && third.contains("No verdict yet."));
    }

    #[test]
    fn hostile_text_cannot_break_the_document() {
        let md = render(&test_sessions::hostile());
        // No raw HTML, no escape sequences.
        assert!(!md.contains("<script"), "{md}");
        assert!(!md.contains("<!--"));
        assert!(!md.contains('\x1b'));
        // No line outside a quote opens a fence or a heading the model wrote.
        for line in md.lines() {
            assert!(
                !line.starts_with("```") && !line.starts_with("~~~"),
                "{line}"
            );
            assert!(!line.starts_with("# Heading"), "{line}");
        }
        assert!(md.contains("> \\# Heading?\n"));
        assert!(md.contains("> \\```\n"));
        assert!(md.contains("&lt;script>alert(1)&lt;/script> ␛[31mred␛[0m & \"quoted\""));
        // What follows the turn is still structure.
        assert!(md.contains("\n## Claim tree\n"));
        assert!(HOSTILE.contains("```\nunclosed"));
    }

    #[test]
    fn escaping_single_lines() {
        assert_eq!(escape_line("# h"), "\\# h");
        assert_eq!(escape_line("  ```rust"), "  \\```rust");
        assert_eq!(escape_line("==="), "\\===");
        assert_eq!(escape_line("- item"), "- item");
        assert_eq!(escape_line("a <b> c"), "a &lt;b> c");
        assert_eq!(inline("two\nlines\x1b[1m"), "two lines␛[1m");
        assert_eq!(quote("a\n\nb"), "> a\n>\n> b\n");
    }

    #[test]
    fn base_url_secrets_never_appear() {
        let md = render(&test_sessions::judged());
        assert!(!md.contains("sk-secret") && !md.contains("user:"));
        assert!(md.contains("at https://host.example/v1\n"));
    }
}
