//! [`StatsReport`] as text: an aligned table for people, CSV (one row per group) and JSON
//! (the whole report) for scripts.

use super::report::{GroupKeys, StatsReport, WinRecord};
use crate::text::sanitize::inert;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
}

pub fn render(report: &StatsReport, format: Format) -> String {
    match format {
        Format::Table => table(report),
        Format::Csv => csv(report),
        Format::Json => json(report),
    }
}

/// The whole report as one pretty-printed JSON object, with a final newline.
pub fn json(report: &StatsReport) -> String {
    // Plain structs of numbers and strings: serialising cannot fail (no NaN: means of no
    // values are `None`, and every score is finite).
    let mut out = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        serde_json::json!({ "error": format!("cannot serialise the report: {e}") }).to_string()
    });
    out.push('\n');
    out
}

/// The CSV columns after the `--by` fields.
const CSV_COLUMNS: &[&str] = &[
    "debates",
    "n",
    "judged",
    "correct",
    "accuracy",
    "accuracy_ci_lo",
    "accuracy_ci_hi",
    "log_score",
    "brier",
    "turn_penalised",
    "ece",
    "mean_turns",
];

/// One header row, then one row per group. A missing value is an empty cell; numbers are
/// written in full precision.
pub fn csv(report: &StatsReport) -> String {
    let mut out = String::new();
    let header: Vec<String> = report
        .by
        .iter()
        .cloned()
        .chain(CSV_COLUMNS.iter().map(|c| c.to_string()))
        .collect();
    push_csv_row(&mut out, &header);
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for g in &report.groups {
        let mut row: Vec<String> = g
            .keys
            .0
            .iter()
            .map(|(_, v)| v.clone().unwrap_or_default())
            .collect();
        row.extend([
            g.debates.to_string(),
            g.n.to_string(),
            g.judged.to_string(),
            g.correct.to_string(),
            num(g.accuracy),
            num(g.accuracy_ci.map(|[lo, _]| lo)),
            num(g.accuracy_ci.map(|[_, hi]| hi)),
            num(g.log_score),
            num(g.brier),
            num(g.turn_penalised),
            num(g.ece),
            num(g.mean_turns),
        ]);
        push_csv_row(&mut out, &row);
    }
    out
}

fn push_csv_row(out: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| csv_cell(&one_line(c))).collect();
    out.push_str(&cells.join(","));
    out.push('\n');
}

/// RFC 4180: a cell with a comma or a quote is quoted, quotes doubled.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Text from session files, safe on a terminal and on one line.
fn one_line(s: &str) -> String {
    inert(s).replace('\n', " ")
}

// ----- the table -----

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// Columns padded to their widest cell, two spaces apart.
struct Table {
    headers: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(headers: Vec<(String, Align)>) -> Table {
        Table {
            headers,
            rows: Vec::new(),
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.iter().map(|c| one_line(c)).collect());
    }

    fn render(&self, out: &mut String) {
        let mut widths: Vec<usize> = self.headers.iter().map(|(h, _)| h.width()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        let mut line = |cells: Vec<&str>| {
            let mut text = String::new();
            for ((cell, (_, align)), w) in cells.iter().zip(&self.headers).zip(&widths) {
                if !text.is_empty() {
                    text.push_str("  ");
                }
                let pad = " ".repeat(w.saturating_sub(cell.width()));
                match align {
                    Align::Left => {
                        text.push_str(cell);
                        text.push_str(&pad);
                    }
                    Align::Right => {
                        text.push_str(&pad);
                        text.push_str(cell);
                    }
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(self.headers.iter().map(|(h, _)| h.as_str()).collect());
        for row in &self.rows {
            line(row.iter().map(String::as_str).collect());
        }
    }
}

fn left(h: &str) -> (String, Align) {
    (h.to_string(), Align::Left)
}

fn right(h: &str) -> (String, Align) {
    (h.to_string(), Align::Right)
}

fn dec(v: Option<f64>, places: usize) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.places$}"))
}

fn rate(r: &WinRecord) -> String {
    match r.win_rate {
        Some(w) => format!("{w:.2} ({})", r.games),
        None => "-".to_string(),
    }
}

/// The key columns of a group: one per `--by` field, `-` for a missing value.
fn key_cells(keys: &GroupKeys) -> Vec<String> {
    keys.0
        .iter()
        .map(|(_, v)| v.clone().unwrap_or_else(|| "-".to_string()))
        .collect()
}

fn key_headers(report: &StatsReport) -> Vec<(String, Align)> {
    if report.by.is_empty() {
        vec![left("group")]
    } else {
        report.by.iter().map(|b| left(b)).collect()
    }
}

/// With no `--by`, the one group is called `all`.
fn group_cells(report: &StatsReport, keys: &GroupKeys) -> Vec<String> {
    if report.by.is_empty() {
        vec!["all".to_string()]
    } else {
        key_cells(keys)
    }
}

/// The report for people: the groups' accuracy and scores, calibration, accuracy by turns
/// seen, agreement, tags and the leaderboards; sections with nothing to show are left out.
pub fn table(r: &StatsReport) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} session file{} ({} broken); {} judgement{} of {} session{} selected",
        r.files,
        plural(r.files),
        r.broken,
        r.judgements,
        plural(r.judgements),
        r.sessions,
        plural(r.sessions),
    ));
    if !r.filters.is_empty() {
        out.push_str(&format!(" by {}", one_line(&r.filters.join(", "))));
    }
    out.push('\n');
    if r.groups.is_empty() {
        out.push_str("No judgements to analyse.\n");
        return out;
    }
    groups(r, &mut out);
    reliability(r, &mut out);
    by_turns(r, &mut out);
    agreement(r, &mut out);
    tags(r, &mut out);
    leaderboard(r, &mut out);
    consultants(r, &mut out);
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn section(out: &mut String, title: &str) {
    out.push('\n');
    out.push_str(title);
    out.push('\n');
}

fn groups(r: &StatsReport, out: &mut String) {
    section(
        out,
        "Accuracy and scores (one row per group; n = judgements, judged = with a verdict and a ground truth)",
    );
    let mut headers = key_headers(r);
    headers.extend(
        [
            "debates",
            "n",
            "judged",
            "correct",
            "accuracy",
            "95% CI",
            "log2",
            "Brier",
            "penalised",
            "ECE",
            "turns",
        ]
        .map(right),
    );
    let mut t = Table::new(headers);
    for g in &r.groups {
        let mut row = group_cells(r, &g.keys);
        row.extend([
            g.debates.to_string(),
            g.n.to_string(),
            g.judged.to_string(),
            g.correct.to_string(),
            dec(g.accuracy, 3),
            g.accuracy_ci
                .map_or_else(|| "-".into(), |[lo, hi]| format!("{lo:.3}-{hi:.3}")),
            dec(g.log_score, 3),
            dec(g.brier, 3),
            dec(g.turn_penalised, 3),
            dec(g.ece, 3),
            dec(g.mean_turns, 1),
        ]);
        t.row(row);
    }
    t.render(out);
}

fn reliability(r: &StatsReport, out: &mut String) {
    if r.groups.iter().all(|g| g.reliability.is_empty()) {
        return;
    }
    section(
        out,
        "Reliability (confidence in the chosen answer, bins of 0.1)",
    );
    let mut headers = key_headers(r);
    headers.extend(["bin", "n", "confidence", "accuracy"].map(right));
    let mut t = Table::new(headers);
    for g in &r.groups {
        for b in &g.reliability {
            let mut row = group_cells(r, &g.keys);
            row.extend([
                format!("{:.1}-{:.1}", b.lo, b.hi),
                b.n.to_string(),
                format!("{:.3}", b.confidence),
                format!("{:.3}", b.accuracy),
            ]);
            t.row(row);
        }
    }
    t.render(out);
}

fn by_turns(r: &StatsReport, out: &mut String) {
    if r.groups.iter().all(|g| g.accuracy_by_turns.is_empty()) {
        return;
    }
    section(out, "Accuracy by turns seen at the verdict");
    let mut headers = key_headers(r);
    headers.extend(["turns", "judged", "correct", "accuracy"].map(right));
    let mut t = Table::new(headers);
    for g in &r.groups {
        for a in &g.accuracy_by_turns {
            let mut row = group_cells(r, &g.keys);
            row.extend([
                a.turns.to_string(),
                a.judged.to_string(),
                a.correct.to_string(),
                format!("{:.3}", a.accuracy),
            ]);
            t.row(row);
        }
    }
    t.render(out);
}

fn agreement(r: &StatsReport, out: &mut String) {
    let a = &r.agreement;
    let all = std::iter::once(&a.overall).chain(&a.groups);
    if all
        .clone()
        .all(|x| x.debates == 0 && x.online_vs_offline.debates == 0)
    {
        return;
    }
    section(
        out,
        "Agreement between judges of the same debate (online = judge 0, offline = later judgements, on debates both judged)",
    );
    let mut t = Table::new(
        [
            left("debates of"),
            right("debates"),
            right("judgements"),
            right("pairs"),
            right("agree"),
            right("alpha"),
            right("both judged"),
            right("online acc"),
            right("offline acc"),
        ]
        .to_vec(),
    );
    for x in all {
        let scope = if x.keys.0.is_empty() {
            "all".to_string()
        } else {
            x.keys
                .0
                .iter()
                .map(|(f, v)| format!("{f}={}", v.as_deref().unwrap_or("-")))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let acc = |t: &super::report::Tally| match t.accuracy {
            Some(acc) => format!("{acc:.3} ({})", t.judged),
            None => "-".to_string(),
        };
        t.row(vec![
            scope,
            x.debates.to_string(),
            x.judgements.to_string(),
            x.pairs.to_string(),
            dec(x.pairwise, 3),
            dec(x.alpha, 3),
            x.online_vs_offline.debates.to_string(),
            acc(&x.online_vs_offline.online),
            acc(&x.online_vs_offline.offline),
        ]);
    }
    t.render(out);
}

fn tags(r: &StatsReport, out: &mut String) {
    let tags = &r.tags;
    if tags.tags.is_empty() {
        return;
    }
    section(
        out,
        &format!(
            "Failure-mode tags on turns (honest side: {} turns read, dishonest side: {})",
            tags.honest_turns, tags.dishonest_turns
        ),
    );
    let mut t = Table::new(
        [
            left("tag"),
            right("honest"),
            right("per turn"),
            right("dishonest"),
            right("per turn"),
            right("no truth"),
        ]
        .to_vec(),
    );
    for c in &tags.tags {
        t.row(vec![
            c.tag.clone(),
            c.honest.to_string(),
            dec(c.honest_rate, 3),
            c.dishonest.to_string(),
            dec(c.dishonest_rate, 3),
            c.unknown.to_string(),
        ]);
    }
    t.render(out);
}

fn leaderboard(r: &StatsReport, out: &mut String) {
    if r.leaderboard.is_empty() {
        return;
    }
    section(
        out,
        "Debaters (debate format; Bradley-Terry rating on the Elo scale; win rate (games))",
    );
    let mut t = Table::new(
        [
            right("#"),
            left("debater"),
            left("kind"),
            right("rating"),
            right("games"),
            right("wins"),
            right("losses"),
            right("ties"),
            right("win rate"),
            right("honest"),
            right("dishonest"),
        ]
        .to_vec(),
    );
    for (i, s) in r.leaderboard.iter().enumerate() {
        t.row(vec![
            (i + 1).to_string(),
            s.debater.clone(),
            s.kind.clone(),
            format!("{:.0}", s.rating),
            s.games.to_string(),
            s.wins.to_string(),
            s.losses.to_string(),
            s.ties.to_string(),
            dec(s.win_rate, 2),
            rate(&s.honest),
            rate(&s.dishonest),
        ]);
    }
    t.render(out);
}

fn consultants(r: &StatsReport, out: &mut String) {
    if r.consultants.is_empty() {
        return;
    }
    section(
        out,
        "Consultants (consultancy format; persuasion rate = verdicts for the consultant's side)",
    );
    let mut t = Table::new(
        [
            left("consultant"),
            left("kind"),
            right("judged"),
            right("persuaded"),
            right("rate"),
            right("honest"),
            right("dishonest"),
        ]
        .to_vec(),
    );
    for c in &r.consultants {
        t.row(vec![
            c.consultant.clone(),
            c.kind.clone(),
            c.judged.to_string(),
            c.persuaded.to_string(),
            dec(c.persuasion_rate, 2),
            rate(&c.honest),
            rate(&c.dishonest),
        ]);
    }
    t.render(out);
}
