//! The HTML export: one self-contained page (inline CSS, no scripts, no external resources).
//!
//! Every piece of session text goes through [`text`]: made inert, then escaped with
//! [`escape_html`]. The page also forbids scripts and outside resources with a
//! Content-Security-Policy, in case anything ever slipped through.

use super::{
    Message, after_turn_label, clean, debater_line, drill_turns, judge_label, judged, message_to,
    messages_after, one_line, percent, protocol_line, rfc3339, root_credences, scope_title, scopes,
    side_name, stray_messages, turn_facts,
};
use crate::domain::tree::{self, Visit};
use crate::domain::turn::number;
use crate::domain::{Analysis, NodeStatus, Origin, ROOT_ID, Relation, Scores, Session, Side, Turn};
use std::fmt::Write;

/// Escapes the five characters that matter in HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Session text, safe to place in HTML (newlines kept).
fn text(s: &str) -> String {
    escape_html(&clean(s))
}

/// Session text on one line, safe to place in HTML.
fn line(s: &str) -> String {
    escape_html(&one_line(s))
}

const STYLE: &str = r#"
:root {
  --fg: #24292f; --muted: #6e7781; --bg: #ffffff; --card: #f6f8fa; --border: #d0d7de;
  --a: #2f80c8; --a-bg: #e8f2fc; --b: #c8761e; --b-bg: #fcf1e4;
  --supports: #4d8a2f; --attacks: #c73a45; --crux: #b08800; --accent: #8a3fae;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #d7dae0; --muted: #7f848e; --bg: #21252b; --card: #2c313a; --border: #3e4452;
    --a: #61afef; --a-bg: #233241; --b: #e5a04b; --b-bg: #3a2f22;
    --supports: #98c379; --attacks: #e06c75; --crux: #e5c07b; --accent: #c678dd;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main, header { max-width: 60rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.6rem; line-height: 1.3; margin: 0 0 1rem; }
h2 { border-bottom: 1px solid var(--border); padding-bottom: .3rem; margin-top: 2.5rem; }
h3 { margin-top: 2rem; color: var(--accent); }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
@media (max-width: 40rem) { .sides { grid-template-columns: 1fr; } }
.side { border-radius: 8px; padding: .75rem 1rem; border-top: 4px solid; }
.side.a { background: var(--a-bg); border-color: var(--a); }
.side.b { background: var(--b-bg); border-color: var(--b); }
.side .who { font-size: .85rem; color: var(--muted); }
.meta { color: var(--muted); font-size: .9rem; }
.turn { border-left: 4px solid; border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0;
  max-width: 85%; }
.turn.a { border-color: var(--a); background: var(--a-bg); }
.turn.b { border-color: var(--b); background: var(--b-bg); margin-left: auto; }
.turn h4 { margin: .25rem 0; }
.prose { white-space: pre-wrap; overflow-wrap: anywhere; }
.claims { font-size: .92rem; padding-left: 1.2rem; }
.warn { color: var(--crux); font-size: .9rem; }
.err { color: var(--attacks); font-weight: bold; font-size: .9rem; }
.message { border: 1px dashed var(--accent); border-radius: 6px; padding: .4rem .8rem;
  margin: 1rem auto; max-width: 70%; font-size: .95rem; }
.tag-a, .tag-b { font-weight: bold; }
.tag-a { color: var(--a); } .tag-b { color: var(--b); }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.2rem; margin: 0; }
ul.tree { padding-left: 0; }
ul.tree li { margin: .3rem 0; }
ul.tree ul { border-left: 1px solid var(--border); }
.glyph { font-weight: bold; display: inline-block; width: 1.1rem; }
.glyph.supports { color: var(--supports); } .glyph.attacks { color: var(--attacks); }
.glyph.judge { color: var(--accent); }
.badge { display: inline-block; font-size: .75rem; padding: 0 .4rem; border-radius: 999px;
  border: 1px solid var(--border); color: var(--muted); margin-right: .2rem; vertical-align: 1px; }
.badge.crux { color: var(--crux); border-color: var(--crux); font-weight: bold; }
.badge.a { color: var(--a); border-color: var(--a); } .badge.b { color: var(--b); border-color: var(--b); }
.id { font-weight: bold; margin-right: .3rem; }
.ruling { font-size: .9rem; color: var(--muted); margin-left: 1.3rem; }
.merged { color: var(--muted); text-decoration: line-through; }
table { border-collapse: collapse; }
td, th { padding: .25rem .75rem; border-bottom: 1px solid var(--border); text-align: left; }
.bar { display: inline-block; height: .7rem; background: var(--a); border-radius: 2px;
  vertical-align: middle; }
.verdict { border: 2px solid var(--accent); border-radius: 8px; padding: .75rem 1rem; }
.verdict.a { border-color: var(--a); } .verdict.b { border-color: var(--b); }
blockquote { margin: .5rem 0; padding-left: 1rem; border-left: 3px solid var(--border); }
footer { max-width: 60rem; margin: 3rem auto 2rem; padding: 0 1.25rem; }
"#;

/// The session as one HTML page.
pub fn render(session: &Session) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"agon {}\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape_html(env!("CARGO_PKG_VERSION")),
        line(&session.question)
    );
    header(&mut out, session);
    out.push_str("<main>\n");
    transcript(&mut out, session);
    tree(&mut out, session);
    judgements(&mut out, session);
    out.push_str("</main>\n");
    let _ = write!(
        out,
        "<footer class=\"meta\">Session {} · created {} · agon {} · exported by agon {}</footer>\n\
         </body>\n</html>\n",
        line(&session.id),
        rfc3339(session.created_at),
        line(&session.app_version),
        escape_html(env!("CARGO_PKG_VERSION"))
    );
    out
}

fn class(side: Side) -> &'static str {
    match side {
        Side::A => "a",
        Side::B => "b",
    }
}

fn header(out: &mut String, s: &Session) {
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", line(&s.question));
    out.push_str("<div class=\"sides\">\n");
    for side in Side::BOTH {
        let _ = write!(
            out,
            "<div class=\"side {}\"><div><span class=\"tag-{}\">{side}</span> {}</div>",
            class(side),
            class(side),
            text(s.positions.of(side))
        );
        if let Some(d) = s.debater(side) {
            let _ = write!(out, "<div class=\"who\">{}</div>", line(&debater_line(d)));
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
    let _ = write!(
        out,
        "<p class=\"meta\">{}",
        line(&protocol_line(&s.protocol))
    );
    let _ = write!(out, " · {} turns", s.turns().len());
    if let Some(reason) = &s.ended_early {
        let _ = write!(out, " · ended early by the judge: {}", line(reason));
    }
    out.push_str("</p>\n</header>\n");
}

fn transcript(out: &mut String, s: &Session) {
    out.push_str("<section id=\"transcript\">\n<h2>Transcript</h2>\n");
    for scope in scopes(s) {
        let _ = writeln!(out, "<h3>{}</h3>", line(&scope_title(s, scope)));
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
    out.push_str("</section>\n");
}

fn write_turn(out: &mut String, s: &Session, turn: &Turn) {
    let _ = writeln!(
        out,
        "<article class=\"turn {}\" id=\"turn-{}\">\n<h4>Turn {} · <span class=\"tag-{}\">{}</span> · round {}</h4>\n<div class=\"meta\">{}</div>",
        class(turn.side),
        number(turn.index),
        number(turn.index),
        class(turn.side),
        line(&side_name(s, turn.side)),
        turn.round,
        line(&turn_facts(turn).join(" · "))
    );
    let prose = turn.prose();
    if !prose.trim().is_empty() {
        let _ = writeln!(out, "<div class=\"prose\">{}</div>", text(prose.trim()));
    }
    if !turn.claims.is_empty() || !turn.concessions.is_empty() {
        out.push_str("<ul class=\"claims\">\n");
        for c in &turn.claims {
            let (glyph, cls) = match c.relation {
                Relation::Supports => ("+", "supports"),
                Relation::Attacks => ("×", "attacks"),
            };
            let _ = writeln!(
                out,
                "<li><span class=\"glyph {cls}\">{glyph}</span><span class=\"id\">{}</span>{} {}: {}</li>",
                line(&c.id),
                c.relation.as_str(),
                line(&c.target),
                line(&c.text)
            );
        }
        for c in &turn.concessions {
            let _ = write!(
                out,
                "<li><span class=\"glyph\">⚑</span>concedes <span class=\"id\">{}</span>",
                line(&c.target)
            );
            if !c.reason.trim().is_empty() {
                let _ = write!(out, ": {}", line(&c.reason));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    for w in &turn.warnings {
        let _ = writeln!(out, "<div class=\"warn\">warning: {}</div>", line(w));
    }
    if let Some(e) = &turn.error {
        let _ = writeln!(out, "<div class=\"err\">error: {}</div>", line(e));
    }
    out.push_str("</article>\n");
}

fn messages(out: &mut String, s: &Session, messages: &[Message<'_>]) {
    for m in messages {
        let _ = writeln!(
            out,
            "<div class=\"message\"><strong>Judge to {}:</strong> {}</div>",
            line(&message_to(s, m.to)),
            line(m.text)
        );
    }
}

fn tree(out: &mut String, s: &Session) {
    out.push_str("<section id=\"tree\">\n<h2>Claim tree</h2>\n");
    out.push_str(
        "<p class=\"meta\">+ supports, × attacks, ? the judge's question; ★ crux; \
         “stands”: the probability the claim stands.</p>\n<ul class=\"tree\">\n",
    );
    let analysis = Analysis::of(&s.tree);
    // Nested lists opened as the walk goes down and closed as it comes back up, without
    // recursion; past MAX_INDENT levels no list is opened and the depth is written out.
    let mut level: Option<usize> = None;
    for visit in s.tree.walk(|n| n.merged_into.is_none()) {
        let (to, _) = tree::indent(visit.depth);
        match level {
            Some(at) if to > at => out.push_str("\n<ul>\n"),
            Some(at) => {
                out.push_str("</li>\n");
                for _ in to..at {
                    out.push_str("</ul></li>\n");
                }
            }
            None => {}
        }
        node(out, s, &analysis, visit);
        level = Some(to);
    }
    if let Some(at) = level {
        out.push_str("</li>\n");
        for _ in 0..at {
            out.push_str("</ul></li>\n");
        }
    }
    out.push_str("</ul>\n</section>\n");
}

fn badge(out: &mut String, cls: &str, label: &str) {
    if cls.is_empty() {
        let _ = write!(out, "<span class=\"badge\">{label}</span>");
    } else {
        let _ = write!(out, "<span class=\"badge {cls}\">{label}</span>");
    }
}

/// One node's `<li>` and what is in it, left open for its children.
fn node(out: &mut String, s: &Session, analysis: &Analysis, visit: Visit) {
    let pos = visit.pos;
    let Some(n) = s.tree.nodes().get(pos) else {
        return;
    };
    let depth = |out: &mut String| {
        if let (_, Some(d)) = tree::indent(visit.depth) {
            badge(out, "depth", &format!("depth {d}"));
            out.push(' ');
        }
    };
    if let Some(into) = &n.merged_into {
        out.push_str("<li>");
        depth(out);
        let _ = write!(
            out,
            "<span class=\"merged\">{}</span> <span class=\"meta\">merged into {}</span>",
            line(&n.id),
            line(into)
        );
        return;
    }
    let _ = write!(out, "<li id=\"node-{}\">", line(&n.id));
    depth(out);
    if n.is_root() {
        let _ = write!(out, "<strong>{}</strong> ", line(&n.text));
        badge(out, "", analysis.status[pos].label());
        badge(
            out,
            "",
            &format!("P(A) suggested {}", percent(analysis.p_stands[pos])),
        );
    } else {
        let (glyph, cls) = match (n.origin, n.relation) {
            (Origin::Judge, _) => ("?", "judge"),
            (_, Some(Relation::Attacks)) => ("×", "attacks"),
            _ => ("+", "supports"),
        };
        let side_cls = n.side.map_or("", class);
        let _ = write!(
            out,
            "<span class=\"glyph {cls}\">{glyph}</span><span class=\"id tag-{side_cls}\">{}</span>",
            line(&n.id)
        );
        if analysis.crux[pos] {
            badge(out, "crux", "★ crux");
        }
        match (analysis.status[pos], &n.judgement) {
            (NodeStatus::Judged, Some(j)) => {
                badge(out, class(j.winner), &format!("⚖{}", j.winner));
            }
            (status, _) => badge(out, "", status.label()),
        }
        if !n.conceded_by.is_empty() {
            let by: Vec<String> = n.conceded_by.iter().map(|s| s.to_string()).collect();
            badge(out, "", &format!("⚑ conceded by {}", by.join(", ")));
        }
        badge(
            out,
            "",
            &format!("stands {}", percent(analysis.p_stands[pos])),
        );
        let drill = drill_turns(s, &n.id);
        if drill > 0 {
            badge(out, "", &format!("↳{drill} drill turns"));
        }
        if let Some(p) = s.credence(&n.id) {
            badge(out, "", &format!("P(A) {}", percent(p)));
        }
        let _ = write!(out, " {}", line(&n.text));
        if let Some(t) = &n.unresolved_target {
            let _ = write!(
                out,
                " <span class=\"warn\">(targeted unknown {})</span>",
                line(t)
            );
        }
    }
    if let Some(j) = &n.judgement {
        let _ = write!(
            out,
            "<div class=\"ruling\">⚖ ruling: <span class=\"tag-{}\">{}</span> wins, {}",
            class(j.winner),
            j.winner,
            percent(j.confidence)
        );
        if !j.rationale.trim().is_empty() {
            let _ = write!(out, ": {}", line(&j.rationale));
        }
        out.push_str("</div>");
    }
}

fn annotations(out: &mut String, s: &Session) {
    if s.annotations.is_empty() {
        return;
    }
    out.push_str("<h4>Annotations</h4>\n<ul>\n");
    for a in &s.annotations {
        let _ = write!(out, "<li><strong>#{}</strong> on ", a.id);
        let mut on = Vec::new();
        if let Some(t) = a.turn {
            let who = s
                .turns()
                .get(t)
                .map(|turn| format!(" ({})", turn.side))
                .unwrap_or_default();
            on.push(format!(
                "<a href=\"#turn-{}\">turn {}</a>{who}",
                number(t),
                number(t)
            ));
        }
        if let Some(n) = &a.node {
            on.push(format!(
                "node <a href=\"#node-{}\">{}</a>",
                line(n),
                line(n)
            ));
        }
        out.push_str(&on.join(", "));
        for tag in &a.tags {
            out.push(' ');
            badge(out, "", &line(tag));
        }
        if !a.note.trim().is_empty() {
            let _ = write!(out, " {}", line(&a.note));
        }
        if let Some(q) = &a.quote {
            let _ = write!(out, "<blockquote>{}</blockquote>", line(q));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

fn credences(out: &mut String, s: &Session) {
    let points = root_credences(s);
    if points.is_empty() {
        return;
    }
    out.push_str(
        "<h4>Credence</h4>\n<p class=\"meta\">The judge's probability that A is right.</p>\n\
         <table>\n<tr><th>after</th><th>P(A)</th><th></th></tr>\n",
    );
    for (after, p) in points {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td><span class=\"bar\" style=\"width: {:.1}rem\"></span></td></tr>",
            after_turn_label(after),
            percent(p),
            (p.clamp(0.0, 1.0) * 10.0)
        );
    }
    out.push_str("</table>\n");
}

/// The judge's rulings on nodes, in tree order (for judge 0 also shown in the claim tree).
fn rulings(out: &mut String, s: &Session) {
    let ruled = s.tree.rulings();
    if ruled.is_empty() {
        return;
    }
    out.push_str("<h4>Rulings</h4>\n<ul>\n");
    for (n, j) in ruled {
        let _ = write!(
            out,
            "<li>⚖ <a href=\"#node-{}\">{}</a>: <span class=\"tag-{}\">{}</span> wins, {}",
            line(&n.id),
            line(&n.id),
            class(j.winner),
            j.winner,
            percent(j.confidence)
        );
        if !j.rationale.trim().is_empty() {
            let _ = write!(out, ": {}", line(&j.rationale));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// Every judgement, judge 0 first, each in its own article.
fn judgements(out: &mut String, s: &Session) {
    out.push_str("<section id=\"judgements\">\n<h2>Judgements</h2>\n");
    if !s.judgements.is_empty() {
        out.push_str(
            "<p class=\"meta\">Judge 0 judged the debate as it was played; each later judge \
             judged the recording again, without seeing the others' work.</p>\n",
        );
    }
    for j in judged(s) {
        let _ = writeln!(
            out,
            "<article class=\"judgement\" id=\"judgement-{}\">\n<h3>{}</h3>",
            j.judgement.id,
            line(&judge_label(&j.judgement))
        );
        annotations(out, &j.view);
        credences(out, &j.view);
        rulings(out, &j.view);
        verdict(out, &j.view, j.scores);
        out.push_str("</article>\n");
    }
    out.push_str("</section>\n");
}

fn verdict(out: &mut String, s: &Session, scores: Option<Scores>) {
    let Some(v) = &s.verdict else {
        out.push_str("<p>No verdict yet.</p>\n");
        return;
    };
    let _ = writeln!(
        out,
        "<div class=\"verdict {}\">\n<p><strong class=\"tag-{}\">{} wins</strong>, confidence {} (P(A) {}), recorded {}.</p>",
        class(v.winner),
        class(v.winner),
        line(&side_name(s, v.winner)),
        percent(v.confidence),
        percent(v.p_a()),
        rfc3339(v.at)
    );
    if let Some(crux) = &v.decided_by {
        let text = s
            .tree
            .get(crux)
            .map(|n| format!(": {}", line(&n.text)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<p>Decided by the crux <a href=\"#node-{}\">{}</a>{text}</p>",
            line(crux),
            line(crux)
        );
    }
    if !v.ended.trim().is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">Ended: {}</p>", line(&v.ended));
    }
    if !v.rationale.trim().is_empty() {
        let _ = writeln!(
            out,
            "<blockquote class=\"prose\">{}</blockquote>",
            text(v.rationale.trim())
        );
    }
    out.push_str("</div>\n");
    if let (Some(truth), Some(sc)) = (s.ground_truth, scores) {
        let _ = writeln!(
            out,
            "<h4>Scores</h4>\n<table>\n\
             <tr><td>ground truth</td><td><span class=\"tag-{}\">{truth}</span></td></tr>\n\
             <tr><td>correct</td><td>{}</td></tr>\n\
             <tr><td>P(correct)</td><td>{}</td></tr>\n\
             <tr><td>log score</td><td>{:.3} bits</td></tr>\n\
             <tr><td>Brier score</td><td>{:.3}</td></tr>\n\
             <tr><td>turn-penalised log score</td><td>{:.3} ({} turns × {})</td></tr>\n\
             </table>",
            class(truth),
            if sc.correct { "yes" } else { "no" },
            percent(sc.p_correct),
            sc.log_score,
            sc.brier,
            sc.turn_penalised,
            sc.turns,
            sc.penalty
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_sessions;
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            escape_html(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(escape_html("plain é ✓"), "plain é ✓");
        assert_eq!(escape_html("&amp;"), "&amp;amp;");
        assert_eq!(text("a\x1b[31mb\u{202e}c\n<"), "a␛[31mb\u{fffd}c\n&lt;");
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let page = render(&test_sessions::hostile());
        assert!(!page.to_lowercase().contains("<script"), "{page}");
        assert!(!page.contains("</div><script"));
        assert!(!page.contains('\x1b'));
        assert!(!page.contains("<b>Yes</b>"));
        assert!(page.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; ␛[31mred␛[0m &amp; &quot;quoted&quot; &#39;single&#39;"
        ));
        assert!(page.contains("&lt;b&gt;Yes&lt;/b&gt; &amp; &quot;more&quot;"));
        // The tag became text, in the annotation's badge too.
        assert!(page.contains("<span class=\"badge\">&lt;script&gt;</span>"));
        assert!(!page.contains("sk-secret"));
    }

    #[test]
    fn a_self_contained_page() {
        let page = render(&test_sessions::judged());
        assert!(
            page.starts_with(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
            )
        );
        assert!(page.ends_with("</html>\n"));
        assert!(page.contains("<title>Should the city adopt congestion pricing?</title>"));
        assert!(page.contains("default-src 'none'"));
        for external in ["href=\"http", "<script", "<link", "<img", "src=", "url("] {
            assert!(!page.contains(external), "{external}");
        }
        // Side colours, matching themes/default.toml in dark mode.
        assert!(page.contains("--a: #61afef") && page.contains("--b: #e5a04b"));
    }

    #[test]
    fn transcript_tree_and_verdict() {
        let page = render(&test_sessions::judged());
        assert!(page.contains("<article class=\"turn a\" id=\"turn-1\">"));
        assert!(page.contains("<article class=\"turn b\" id=\"turn-2\">"));
        assert!(page.contains("<h3>Drill on B1: A flat charge is regressive.</h3>"));
        assert!(
            page.contains("<div class=\"prose\">Traffic falls when road space is priced.</div>")
        );
        assert!(!page.contains("```claims"));
        let turn1 = page.find("id=\"turn-1\"").unwrap();
        let msg = page.find("Cite a source for equity.").unwrap();
        let turn2 = page.find("id=\"turn-2\"").unwrap();
        assert!(turn1 < msg && msg < turn2);
        assert!(page.contains("<li id=\"node-B1\">"));
        assert!(
            page.contains(
                "<span class=\"badge crux\">★ crux</span><span class=\"badge b\">⚖B</span>"
            )
        );
        assert!(page.contains("Decided by the crux <a href=\"#node-B1\">B1</a>"));
        assert!(page.contains("<h2>Judgements</h2>"));
        assert!(page.contains(
            "<article class=\"judgement\" id=\"judgement-0\">\n<h3>Judge 0 · human · not blind</h3>"
        ));
        assert!(page.contains("<h4>Scores</h4>"));
        // Nesting is balanced.
        assert_eq!(page.matches("<ul").count(), page.matches("</ul>").count());
        assert_eq!(page.matches("<li").count(), page.matches("</li>").count());
    }

    #[test]
    fn every_judgement_is_labelled_and_scored() {
        let page = render(&test_sessions::rejudged());
        let at = |h: &str| page.find(h).unwrap_or_else(|| panic!("{h}"));
        let j1 = at(
            "<article class=\"judgement\" id=\"judgement-1\">\n<h3>Judge 1 · llm · openai:judge-model · blind · shown end</h3>",
        );
        let j2 = at(
            "<article class=\"judgement\" id=\"judgement-2\">\n<h3>Judge 2 · human · not blind</h3>",
        );
        assert!(at("id=\"judgement-0\"") < j1 && j1 < j2);
        let second = &page[j1..j2];
        assert!(second.contains("<strong class=\"tag-a\">A (Pro) wins</strong>, confidence 80%"));
        assert!(second.contains("<li>⚖ <a href=\"#node-A1\">A1</a>: <span class=\"tag-a\">A</span> wins, 90%: Unrebutted.</li>"));
        assert!(second.contains("<tr><td>correct</td><td>yes</td></tr>"));
        assert!(second.contains("(6 turns × 0.1)"));
        assert!(page[j2..].contains("<p>No verdict yet.</p>"));
        assert_eq!(
            page.matches("<article").count(),
            page.matches("</article>").count()
        );
    }
}
