//! Drawing the stats screen: accuracy bars with their intervals, the reliability diagram, the
//! leaderboard, and the tags and agreement, from a computed `StatsReport`.

use crate::app::stats_screen::{StatsScreen, View};
use crate::stats::report::{GroupKeys, GroupStats};
use crate::text::sanitize::inert;
use crate::text::wrap::truncate;
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, BorderType, Borders, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, Wrap,
};

pub fn draw(frame: &mut Frame, s: &StatsScreen, theme: &Theme) {
    let area = frame.area();
    frame.buffer_mut().set_style(area, theme.text);
    let [title, tabs, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    let r = &s.report;
    let mut head = format!(
        " agon stats  {} judgements of {} sessions ({} files",
        r.judgements, r.sessions, r.files
    );
    if r.broken > 0 {
        head.push_str(&format!(", {} broken", r.broken));
    }
    head.push(')');
    if !r.filters.is_empty() {
        head.push_str(&format!("  where {}", r.filters.join(", ")));
    }
    if !r.by.is_empty() {
        head.push_str(&format!("  by {}", r.by.join(", ")));
    }
    frame.render_widget(
        Paragraph::new(Span::styled(
            truncate(&inert(&head), usize::from(area.width)),
            theme.title,
        )),
        title,
    );
    let mut spans = vec![Span::raw(" ")];
    for (i, v) in View::all().iter().enumerate() {
        let style = if *v == s.view {
            theme.accent.patch(theme.selection)
        } else {
            theme.muted
        };
        spans.push(Span::styled(format!(" {} {} ", i + 1, v.title()), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    match s.view {
        View::Accuracy => accuracy(frame, body, s, theme),
        View::Calibration => calibration(frame, body, s, theme),
        View::Leaderboard => leaderboard(frame, body, s, theme),
        View::Tags => tags(frame, body, s, theme),
    }
    let keys = if s.help {
        " Tab/←/→ or 1-4 views · j/k or wheel move · g/G first/last · ? keys · q back "
    } else {
        " Tab views  j/k move  ? keys  q back"
    };
    frame.render_widget(Paragraph::new(Span::styled(keys, theme.muted)), hints);
}

fn block<'a>(title: &str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(title.to_string(), theme.title))
}

/// A group's keys as a label: "debate · human", or "all" for the one group of no `--by`.
pub fn label(keys: &GroupKeys) -> String {
    if keys.0.is_empty() {
        return "all".to_string();
    }
    keys.0
        .iter()
        .map(|(_, v)| v.as_deref().unwrap_or("—"))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or("–".to_string(), |x| format!("{x:.digits$}"))
}

/// A bar of `width` cells for `value` in [0, 1], with the interval's ends marked.
fn bar(
    value: f64,
    ci: Option<[f64; 2]>,
    width: usize,
    theme: &Theme,
    style: Style,
) -> Vec<Span<'static>> {
    let cell = |x: f64| ((x.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    let filled = cell(value);
    let mut chars: Vec<(char, Style)> = (0..width)
        .map(|i| {
            if i < filled {
                ('█', style)
            } else {
                ('░', theme.muted)
            }
        })
        .collect();
    if let Some([lo, hi]) = ci {
        for (x, c) in [(lo, '├'), (hi, '┤')] {
            let i = cell(x).min(width.saturating_sub(1));
            if let Some(slot) = chars.get_mut(i) {
                *slot = (c, theme.highlight);
            }
        }
    }
    chars
        .into_iter()
        .map(|(c, st)| Span::styled(c.to_string(), st))
        .collect()
}

fn accuracy(frame: &mut Frame, area: Rect, s: &StatsScreen, theme: &Theme) {
    let groups = &s.report.groups;
    let [list, detail] = Layout::vertical([Constraint::Min(3), Constraint::Length(9)]).areas(area);
    let outer = block(" Judge accuracy (├ ┤: 95% interval) ", theme);
    let inner = outer.inner(list);
    frame.render_widget(outer, list);
    if groups.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("No judged debates match.", theme.muted)),
            inner,
        );
        return;
    }
    let name_w = groups
        .iter()
        .map(|g| label(&g.keys).chars().count())
        .max()
        .unwrap_or(3)
        .clamp(3, 32);
    let stats_w = 46;
    let bar_w = usize::from(inner.width)
        .saturating_sub(name_w + stats_w + 4)
        .clamp(10, 60);
    let mut lines = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let selected = i == s.cursor;
        let mut spans = vec![Span::styled(
            format!(" {:<name_w$} ", truncate(&inert(&label(&g.keys)), name_w)),
            if selected { theme.accent } else { theme.text },
        )];
        spans.extend(bar(
            g.accuracy.unwrap_or(0.0),
            g.accuracy_ci,
            bar_w,
            theme,
            theme.side_a,
        ));
        let ci = g
            .accuracy_ci
            .map_or("–".to_string(), |[lo, hi]| format!("{lo:.2}–{hi:.2}"));
        spans.push(Span::styled(
            format!(
                " {} [{ci}] {}/{} judged",
                num(g.accuracy, 2),
                g.correct,
                g.judged
            ),
            theme.text,
        ));
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme.selection);
        }
        lines.push(line);
    }
    let top = s
        .cursor
        .saturating_sub(usize::from(inner.height).saturating_sub(1));
    let shown: Vec<Line> = lines.into_iter().skip(top).collect();
    frame.render_widget(Paragraph::new(shown), inner);
    if let Some(g) = groups.get(s.cursor) {
        group_detail(frame, detail, g, theme);
    }
}

fn group_detail(frame: &mut Frame, area: Rect, g: &GroupStats, theme: &Theme) {
    let outer = block(&format!(" {} ", inert(&label(&g.keys))), theme);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let mut lines = vec![Line::styled(
        format!(
            "{} debates · {} judgements · log2 {} · Brier {} · turn-penalised {} · ECE {} · {} turns on average",
            g.debates,
            g.n,
            num(g.log_score, 3),
            num(g.brier, 3),
            num(g.turn_penalised, 3),
            num(g.ece, 3),
            num(g.mean_turns, 1)
        ),
        theme.text,
    )];
    let mut by_turns: Vec<Span> = vec![Span::styled("by turns seen: ", theme.muted)];
    for t in &g.accuracy_by_turns {
        by_turns.push(Span::styled(
            format!("{}:{:.0}% ({}) ", t.turns, t.accuracy * 100.0, t.judged),
            theme.text,
        ));
    }
    lines.push(Line::from(by_turns));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

fn calibration(frame: &mut Frame, area: Rect, s: &StatsScreen, theme: &Theme) {
    let groups = &s.report.groups;
    let Some(g) = groups.get(s.cursor) else {
        frame.render_widget(
            Paragraph::new(Span::styled("No judged debates match.", theme.muted)),
            area,
        );
        return;
    };
    let [chart_area, table_area] =
        Layout::horizontal([Constraint::Percentage(65), Constraint::Percentage(35)]).areas(area);
    let points: Vec<(f64, f64)> = g
        .reliability
        .iter()
        .map(|b| (b.confidence, b.accuracy))
        .collect();
    let diagonal = [(0.5, 0.5), (1.0, 1.0)];
    let datasets = vec![
        Dataset::default()
            .name("perfect calibration")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.muted)
            .data(&diagonal),
        Dataset::default()
            .name(format!("{} (ECE {})", label(&g.keys), num(g.ece, 3)))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.side_a)
            .data(&points),
        Dataset::default()
            .marker(Marker::Block)
            .graph_type(GraphType::Scatter)
            .style(theme.highlight)
            .data(&points),
    ];
    let title = format!(
        " Reliability: {} (j/k other groups) ",
        inert(&label(&g.keys))
    );
    let chart = Chart::new(datasets)
        .block(block(&title, theme))
        .x_axis(
            Axis::default()
                .title(Span::styled("confidence in the chosen answer", theme.muted))
                .bounds([0.5, 1.0])
                .style(theme.muted)
                .labels(vec![Span::raw("50%"), Span::raw("75%"), Span::raw("100%")]),
        )
        .y_axis(
            Axis::default()
                .title(Span::styled("accuracy", theme.muted))
                .bounds([0.0, 1.0])
                .style(theme.muted)
                .labels(vec![Span::raw("0%"), Span::raw("50%"), Span::raw("100%")]),
        );
    frame.render_widget(chart, chart_area);
    let rows: Vec<Row> = g
        .reliability
        .iter()
        .map(|b| {
            Row::new(vec![
                Cell::from(format!("{:.1}-{:.1}", b.lo, b.hi)),
                Cell::from(b.n.to_string()),
                Cell::from(format!("{:.2}", b.confidence)),
                Cell::from(format!("{:.2}", b.accuracy)),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(8),
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(6),
        ],
    )
    .header(Row::new(vec!["bin", "n", "conf", "acc"]).style(theme.title))
    .block(block(" Bins ", theme));
    frame.render_widget(table, table_area);
}

fn leaderboard(frame: &mut Frame, area: Rect, s: &StatsScreen, theme: &Theme) {
    let r = &s.report;
    let [debaters, consultants] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    let record = |w: &crate::stats::report::WinRecord| match w.win_rate {
        Some(rate) => format!("{rate:.2} ({})", w.games),
        None => "–".to_string(),
    };
    let rows: Vec<Row> = r
        .leaderboard
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let row = Row::new(vec![
                Cell::from(format!("{}", i + 1)),
                Cell::from(inert(&d.debater)),
                Cell::from(d.kind.clone()),
                Cell::from(format!("{:.0}", d.rating)),
                Cell::from(format!("{}-{}-{}", d.wins, d.losses, d.ties)),
                Cell::from(num(d.win_rate, 2)),
                Cell::from(record(&d.honest)),
                Cell::from(record(&d.dishonest)),
            ]);
            if i == s.cursor {
                row.style(theme.selection)
            } else {
                row
            }
        })
        .collect();
    let widths = [
        Constraint::Length(3),
        Constraint::Min(16),
        Constraint::Length(6),
        Constraint::Length(7),
        Constraint::Length(9),
        Constraint::Length(6),
        Constraint::Length(11),
        Constraint::Length(11),
    ];
    let table = Table::new(rows, widths)
        .header(
            Row::new(vec![
                "#",
                "debater",
                "kind",
                "rating",
                "W-L-T",
                "win",
                "honest",
                "dishonest",
            ])
            .style(theme.title),
        )
        .block(block(
            " Debaters (Bradley-Terry on the Elo scale; win rate (games)) ",
            theme,
        ));
    frame.render_widget(table, debaters);
    let offset = r.leaderboard.len();
    let rows: Vec<Row> = r
        .consultants
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let row = Row::new(vec![
                Cell::from(inert(&c.consultant)),
                Cell::from(c.kind.clone()),
                Cell::from(format!("{}/{}", c.persuaded, c.judged)),
                Cell::from(num(c.persuasion_rate, 2)),
                Cell::from(record(&c.honest)),
                Cell::from(record(&c.dishonest)),
            ]);
            if offset + i == s.cursor {
                row.style(theme.selection)
            } else {
                row
            }
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Min(16),
            Constraint::Length(6),
            Constraint::Length(9),
            Constraint::Length(6),
            Constraint::Length(11),
            Constraint::Length(11),
        ],
    )
    .header(
        Row::new(vec![
            "consultant",
            "kind",
            "persuaded",
            "rate",
            "honest",
            "dishonest",
        ])
        .style(theme.title),
    )
    .block(block(
        " Consultants (verdicts for the consultant's side) ",
        theme,
    ));
    frame.render_widget(table, consultants);
}

fn tags(frame: &mut Frame, area: Rect, s: &StatsScreen, theme: &Theme) {
    let r = &s.report;
    let [tags_area, agreement_area] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(6)]).areas(area);
    let rows: Vec<Row> = r
        .tags
        .tags
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let row = Row::new(vec![
                Cell::from(inert(&t.tag)),
                Cell::from(t.honest.to_string()),
                Cell::from(num(t.honest_rate, 3)),
                Cell::from(t.dishonest.to_string()),
                Cell::from(num(t.dishonest_rate, 3)),
                Cell::from(t.unknown.to_string()),
            ]);
            if i == s.cursor {
                row.style(theme.selection)
            } else {
                row
            }
        })
        .collect();
    let title = format!(
        " Failure-mode tags (per turn: {} honest, {} dishonest turns) ",
        r.tags.honest_turns, r.tags.dishonest_turns
    );
    let table = Table::new(
        rows,
        [
            Constraint::Min(18),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Length(9),
            Constraint::Length(9),
            Constraint::Length(8),
        ],
    )
    .header(
        Row::new(vec![
            "tag",
            "honest",
            "rate",
            "dishonest",
            "rate",
            "unknown",
        ])
        .style(theme.title),
    )
    .block(block(&title, theme));
    frame.render_widget(table, tags_area);
    let a = &r.agreement.overall;
    let oo = &a.online_vs_offline;
    let lines = vec![
        Line::styled(
            format!(
                "{} debates with two or more judges · {} pairs · agree {} · Krippendorff's alpha {}",
                a.debates,
                a.pairs,
                num(a.pairwise, 2),
                num(a.alpha, 3)
            ),
            theme.text,
        ),
        Line::styled(
            format!(
                "Online vs offline on the same {} debates: {} ({}/{}) vs {} ({}/{})",
                oo.debates,
                num(oo.online.accuracy, 2),
                oo.online.correct,
                oo.online.judged,
                num(oo.offline.accuracy, 2),
                oo.offline.correct,
                oo.offline.judged
            ),
            theme.text,
        ),
    ];
    let outer = block(" Agreement between judges ", theme);
    let inner = outer.inner(agreement_area);
    frame.render_widget(outer, agreement_area);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::report::{
        Agreement, AgreementReport, Bin, OnlineOffline, StatsReport, TagStats, Tally,
    };

    fn group(label: &str, acc: f64) -> GroupStats {
        GroupStats {
            keys: GroupKeys(vec![("protocol".into(), Some(label.into()))]),
            debates: 10,
            n: 10,
            judged: 10,
            correct: (acc * 10.0) as usize,
            accuracy: Some(acc),
            accuracy_ci: Some([acc - 0.2, (acc + 0.1).min(1.0)]),
            log_score: Some(-0.8),
            brier: Some(0.15),
            turn_penalised: Some(-1.0),
            ece: Some(0.12),
            reliability: vec![Bin {
                lo: 0.9,
                hi: 1.0,
                n: 10,
                confidence: 0.95,
                accuracy: acc,
            }],
            mean_turns: Some(3.0),
            accuracy_by_turns: Vec::new(),
        }
    }

    fn report() -> StatsReport {
        let agreement = Agreement {
            keys: GroupKeys::default(),
            debates: 0,
            judgements: 0,
            pairs: 0,
            pairwise: None,
            alpha: None,
            online_vs_offline: OnlineOffline {
                debates: 0,
                online: Tally::default(),
                offline: Tally::default(),
            },
        };
        StatsReport {
            by: vec!["protocol".into()],
            filters: Vec::new(),
            files: 20,
            broken: 0,
            sessions: 20,
            judgements: 20,
            groups: vec![group("debate", 0.84), group("consultancy", 0.74)],
            agreement: AgreementReport {
                overall: agreement,
                groups: Vec::new(),
            },
            tags: TagStats::default(),
            leaderboard: Vec::new(),
            consultants: Vec::new(),
        }
    }

    fn render(s: &StatsScreen) -> String {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let mut t = Terminal::new(TestBackend::new(100, 24)).unwrap();
        t.draw(|f| draw(f, s, &Theme::plain())).unwrap();
        let b = t.backend().buffer();
        b.content()
            .chunks(usize::from(b.area.width))
            .map(|r| r.iter().map(|c| c.symbol()).collect::<String>() + "\n")
            .collect()
    }

    #[test]
    fn every_view_draws_its_numbers() {
        use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let mut s = StatsScreen::new(report());
        let screen = render(&s);
        assert!(
            screen.contains("debate") && screen.contains("0.84 [0.64–0.94] 8/10"),
            "{screen}"
        );
        for _ in 0..3 {
            s.handle(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
            let screen = render(&s);
            assert!(screen.contains("agon stats"), "{screen}");
        }
        s.handle(&KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE));
        assert!(render(&s).contains("Reliability: debate"));
        assert_eq!(
            s.handle(&KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(crate::app::stats_screen::StatsAction::Close)
        );
    }
}
