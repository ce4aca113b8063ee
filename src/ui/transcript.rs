//! The transcript pane. Each finished turn is wrapped and styled once per width and cached, with
//! running line offsets, so a frame costs what is visible, not what the debate has said.

use crate::domain::{Relation, Session, Side, Turn, TurnStatus};
use crate::text::sanitize::inert;
use crate::text::wrap::wrap;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Columns left of the text: a marker for turns related to the selected node, and a space.
const GUTTER: u16 = 2;

#[derive(Debug, Default)]
pub struct TranscriptView {
    /// The debate shown: `root`, or the node of a drill.
    scope: String,
    /// Indices of the session's turns in this scope, in order.
    indices: Vec<usize>,
    /// How many of the session's turns have been looked at for `indices`.
    scanned: usize,
    /// Text width the cache was built for.
    width: u16,
    /// Wrapped, styled bodies of the leading finished turns.
    bodies: Vec<Vec<Line<'static>>>,
    /// `offsets[i]`: first line of turn i; one more entry than `bodies`.
    offsets: Vec<usize>,
    /// Lines in the whole transcript at the last layout, streaming turn included.
    total: usize,
    /// Rows of the pane at the last draw.
    viewport: usize,
    /// First visible line.
    top: usize,
    /// Keep the newest text in view as it arrives.
    follow: bool,
    /// Judge messages the cache has taken in (they are drawn under the turn they followed).
    messages_seen: usize,
    /// The turn annotations apply to, as drawn last.
    selected: Option<usize>,
    /// The turn `[`/`]` moved to (a turn index), which stays selected while it is in view.
    cursor: Option<usize>,
}

impl TranscriptView {
    pub fn new() -> Self {
        TranscriptView {
            scope: crate::domain::ROOT_ID.to_string(),
            follow: true,
            offsets: vec![0],
            ..Default::default()
        }
    }

    /// Shows the debate on another scope (the main debate or a drill), from its end.
    pub fn set_scope(&mut self, scope: &str) {
        if self.scope != scope {
            self.scope = scope.to_string();
            self.indices.clear();
            self.scanned = 0;
            self.reset();
            self.follow = true;
        }
    }

    pub fn is_following(&self) -> bool {
        self.follow
    }

    /// The turn annotation keys act on: the one `[`/`]` last moved to while it stays in view,
    /// else the first whose header is in view, else the one at the top. Worked out from the
    /// scroll position, so keys typed ahead of a redraw agree with it.
    pub fn selected_turn(&self) -> Option<usize> {
        if let Some(c) = self.cursor
            && self.turn_in_view(c)
        {
            return Some(c);
        }
        self.derived_selection()
    }

    /// Whether any line of the turn is on screen.
    fn turn_in_view(&self, turn: usize) -> bool {
        let Ok(pos) = self.indices.binary_search(&turn) else {
            return false;
        };
        let start = self.offsets.get(pos).copied().unwrap_or(usize::MAX);
        let end = self.offsets.get(pos + 1).copied().unwrap_or(self.total);
        start < self.top + self.viewport.max(1) && end > self.top
    }

    fn derived_selection(&self) -> Option<usize> {
        let cached = self.bodies.len();
        let starts = &self.offsets[..cached];
        let pos = starts.partition_point(|&o| o <= self.top);
        if pos == 0 && cached == 0 {
            return self.indices.first().copied().or(self.selected);
        }
        let at_top = pos.saturating_sub(1);
        let header_in_view = |p: usize| {
            self.offsets
                .get(p)
                .is_some_and(|&o| o >= self.top && o < self.top + self.viewport.max(1))
        };
        let chosen = if starts.get(at_top) == Some(&self.top) {
            at_top
        } else if header_in_view(at_top + 1) {
            at_top + 1
        } else {
            at_top
        };
        self.indices.get(chosen).copied().or(self.selected)
    }

    /// Forgets the cache, e.g. when the session is replaced.
    pub fn reset(&mut self) {
        self.bodies.clear();
        self.offsets = vec![0];
        self.total = 0;
    }

    /// Brings the cache up to date: wraps the turns that finished since the last call.
    fn sync(&mut self, session: &Session, width: u16, theme: &Theme) {
        if width != self.width {
            self.width = width;
            self.reset();
        }
        if self.scanned > session.turns().len() {
            self.indices.clear();
            self.scanned = 0;
            self.reset();
        }
        for t in &session.turns()[self.scanned..] {
            if t.scope == self.scope {
                self.indices.push(t.index);
            }
        }
        self.scanned = session.turns().len();
        let messages: Vec<(Option<usize>, Option<Side>, &str)> = session.messages().collect();
        if messages.len() != self.messages_seen {
            // A new message changes the body of the turn it follows: re-wrap from there.
            let from = if messages.len() < self.messages_seen {
                0
            } else {
                messages[self.messages_seen..]
                    .iter()
                    .filter_map(|m| m.0)
                    .min()
                    .map_or(0, |t| self.indices.partition_point(|&i| i < t))
            };
            if from < self.bodies.len() {
                self.bodies.truncate(from);
                self.offsets.truncate(from + 1);
            }
            self.messages_seen = messages.len();
        }
        while let Some(turn) = self
            .indices
            .get(self.bodies.len())
            .map(|&i| &session.turns()[i])
        {
            if !turn.status.is_finished() {
                break;
            }
            let body = body_lines(turn, &messages, usize::from(width), theme);
            let start = *self.offsets.last().unwrap_or(&0);
            self.offsets.push(start + turn_height(&body));
            self.bodies.push(body);
        }
    }

    fn max_top(&self) -> usize {
        self.total.saturating_sub(self.viewport)
    }

    pub fn scroll_by(&mut self, delta: isize) {
        let top = self.top.saturating_add_signed(delta).min(self.max_top());
        self.top = top;
        self.follow = top >= self.max_top();
    }

    pub fn page(&mut self, pages: isize) {
        let step = self.viewport.saturating_sub(2).max(1) as isize;
        self.scroll_by(pages * step);
    }

    pub fn to_top(&mut self) {
        self.top = 0;
        self.follow = self.max_top() == 0;
    }

    pub fn to_bottom(&mut self) {
        self.top = self.max_top();
        self.follow = true;
    }

    /// Brings a turn's header into view, leaving the view alone if it already shows it.
    pub fn reveal_turn(&mut self, turn: usize) {
        let Ok(pos) = self.indices.binary_search(&turn) else {
            return;
        };
        let Some(&start) = self.offsets.get(pos) else {
            return;
        };
        if start < self.top || start >= self.top + self.viewport {
            self.top = start.min(self.max_top());
            self.follow = self.top >= self.max_top();
        }
    }

    /// Scrolls so that a turn's header is the first line (as far as the end allows).
    pub fn show_turn(&mut self, turn: usize) {
        let Ok(pos) = self.indices.binary_search(&turn) else {
            return;
        };
        self.cursor = Some(turn);
        if let Some(&start) = self.offsets.get(pos) {
            self.top = start.min(self.max_top());
            self.follow = self.top >= self.max_top();
        }
    }

    /// Scrolls so that the next (or previous) turn's header is the first line.
    pub fn jump_turn(&mut self, forward: bool) {
        if self.indices.is_empty() {
            return;
        }
        let current = self
            .selected_turn()
            .and_then(|t| self.indices.binary_search(&t).ok())
            .unwrap_or(0);
        let target = if forward {
            (current + 1).min(self.indices.len() - 1)
        } else {
            current.saturating_sub(1)
        };
        self.cursor = Some(self.indices[target]);
        let start = self.offsets.get(target).copied().unwrap_or(self.total);
        self.top = start.min(self.max_top());
        self.follow = self.top >= self.max_top() && forward;
    }

    /// Draws the visible lines. `related` lists (sorted) the turns to mark in the gutter.
    pub fn render(
        &mut self,
        area: Rect,
        buf: &mut Buffer,
        session: &Session,
        related: &[usize],
        blind: bool,
        theme: &Theme,
    ) {
        let text_width = area.width.saturating_sub(GUTTER).max(1);
        self.sync(session, text_width, theme);
        self.viewport = usize::from(area.height);

        // Turns not cached yet are streaming: lay them out for this frame only.
        let cached = self.bodies.len();
        let live: Vec<Vec<Line<'static>>> = self.indices[cached..]
            .iter()
            .map(|&i| body_lines(&session.turns()[i], &[], usize::from(text_width), theme))
            .collect();
        self.total =
            *self.offsets.last().unwrap_or(&0) + live.iter().map(|b| turn_height(b)).sum::<usize>();
        if self.follow {
            self.top = self.max_top();
        }
        self.top = self.top.min(self.max_top());

        if self.indices.is_empty() {
            let line = Line::styled("Waiting for the first turn…", theme.muted);
            buf.set_line(area.x + GUTTER, area.y, &line, text_width);
            return;
        }

        let mut turn = self.offsets[..cached + 1]
            .partition_point(|&o| o <= self.top)
            .saturating_sub(1);
        let mut line_in_turn = self.top - self.offsets[turn.min(cached)];
        if turn == cached {
            // The top is inside the live turns: find which one.
            let mut rest = line_in_turn;
            for b in &live {
                let h = turn_height(b);
                if rest < h {
                    break;
                }
                rest -= h;
                turn += 1;
            }
            line_in_turn = rest;
        }

        // The selected turn: the cursor's while in view, else the first whose header is in
        // view, else the one at the top.
        let cursor = self.cursor.filter(|&c| self.turn_in_view(c));
        self.selected = self.indices.get(turn).copied();
        let mut first_header = line_in_turn == 0;
        let mut y = area.y;
        while y < area.bottom() {
            let Some(t) = self.indices.get(turn).map(|&i| &session.turns()[i]) else {
                break;
            };
            if !first_header && line_in_turn == 0 {
                first_header = true;
                self.selected = Some(t.index);
            }
            if let Some(c) = cursor {
                self.selected = Some(c);
            }
            let body = if turn < cached {
                &self.bodies[turn]
            } else {
                &live[turn - cached]
            };
            let height = turn_height(body);
            let marked = related.binary_search(&t.index).is_ok();
            while line_in_turn < height && y < area.bottom() {
                if marked {
                    buf.set_string(area.x, y, "┃", theme.highlight);
                }
                let x = area.x + GUTTER;
                if line_in_turn == 0 {
                    let selected = self.selected == Some(t.index);
                    let header = header_line(t, session, theme, marked, selected, blind);
                    buf.set_line(x, y, &header, text_width);
                } else if let Some(line) = body.get(line_in_turn - 1) {
                    buf.set_line(x, y, line, text_width);
                }
                line_in_turn += 1;
                y += 1;
            }
            turn += 1;
            line_in_turn = 0;
        }
    }
}

/// Header, body and one blank line.
fn turn_height(body: &[Line<'static>]) -> usize {
    body.len() + 2
}

pub fn side_style(theme: &Theme, side: Side) -> Style {
    match side {
        Side::A => theme.side_a,
        Side::B => theme.side_b,
    }
}

fn header_line(
    turn: &Turn,
    session: &Session,
    theme: &Theme,
    marked: bool,
    selected: bool,
    blind: bool,
) -> Line<'static> {
    let side = side_style(theme, turn.side);
    let name = match session.debater(turn.side) {
        Some(d) if !blind => format!(" {}", d.name),
        _ => String::new(),
    };
    let status_style = match turn.status {
        TurnStatus::Streaming => theme.accent,
        TurnStatus::Complete => theme.muted,
        TurnStatus::Failed => theme.error,
        TurnStatus::Stopped => theme.warning,
    };
    let status = match turn.status {
        TurnStatus::Streaming => "streaming…".to_string(),
        other => other.label().to_string(),
    };
    let mut spans = vec![
        Span::styled(if selected { "▶ " } else { "" }, theme.accent),
        Span::styled(format!("{}{name}", turn.side), side),
        Span::styled(format!(" · round {}", turn.round), theme.muted),
    ];
    if turn.scope != crate::domain::ROOT_ID {
        spans.push(Span::styled(format!(" · on {}", turn.scope), theme.accent));
    }
    spans.push(Span::styled(" · ", theme.muted));
    spans.push(Span::styled(status, status_style));
    spans.push(Span::styled(
        format!(" · {} words", turn.word_count()),
        theme.muted,
    ));
    for a in session
        .annotations
        .iter()
        .filter(|a| a.turn == Some(turn.index))
    {
        let mark = if a.span.is_some() { "❝" } else { "" };
        let label = if a.tags.is_empty() {
            "note".to_string()
        } else {
            a.tags.join(",")
        };
        let note = if a.note.is_empty() { "" } else { "✎" };
        spans.push(Span::styled(
            format!(" [{mark}{label}{note}]"),
            theme.warning,
        ));
    }
    if marked {
        spans.push(Span::styled(" ◂ selected node", theme.highlight));
    }
    Line::from(spans)
}

/// The wrapped, styled lines of a turn below its header.
fn body_lines(
    turn: &Turn,
    messages: &[(Option<usize>, Option<Side>, &str)],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let text_style = match turn.side {
        Side::A => theme.side_a_text,
        Side::B => theme.side_b_text,
    };
    let prose = inert(&turn.prose());
    let mut lines: Vec<Line<'static>> = wrap(prose.trim(), width)
        .into_iter()
        .map(|l| Line::styled(l, text_style))
        .collect();
    if turn.status == TurnStatus::Streaming {
        match lines.last_mut() {
            Some(last) => last.push_span(Span::styled("▌", theme.accent)),
            None => lines.push(Line::styled("▌", theme.accent)),
        }
        return lines;
    }
    if !turn.claims.is_empty() || !turn.concessions.is_empty() {
        lines.push(Line::default());
    }
    for claim in &turn.claims {
        let (glyph, style) = match claim.relation {
            Relation::Supports => ("+", theme.supports),
            Relation::Attacks => ("×", theme.attacks),
        };
        let head = format!(
            "{glyph} {} {} {}: ",
            claim.id,
            claim.relation.as_str(),
            claim.target
        );
        push_hanging(&mut lines, &head, style, &claim.text, theme.muted, width);
    }
    for c in &turn.concessions {
        let head = format!("⚑ concedes {}: ", c.target);
        push_hanging(
            &mut lines,
            &head,
            theme.warning,
            &c.reason,
            theme.muted,
            width,
        );
    }
    if let Some(error) = &turn.error {
        let head = format!("✗ {}: ", turn.status.label());
        push_hanging(
            &mut lines,
            &head,
            theme.error,
            &inert(error),
            theme.error,
            width,
        );
    }
    for w in &turn.warnings {
        push_hanging(&mut lines, "⚠ ", theme.warning, w, theme.warning, width);
    }
    for (_, to, text) in messages.iter().filter(|m| m.0 == Some(turn.index)) {
        let head = match to {
            Some(side) => format!("◆ Judge → {side}: "),
            None => "◆ Judge → both: ".to_string(),
        };
        lines.push(Line::default());
        push_hanging(
            &mut lines,
            &head,
            theme.accent,
            &inert(text),
            theme.text,
            width,
        );
    }
    lines
}

/// A labelled entry whose text wraps under itself, indented by two columns.
fn push_hanging(
    lines: &mut Vec<Line<'static>>,
    head: &str,
    head_style: Style,
    text: &str,
    text_style: Style,
    width: usize,
) {
    let full = format!("{head}{text}");
    for (i, l) in wrap(&full, width.saturating_sub(2).max(1))
        .into_iter()
        .enumerate()
    {
        let head = head.trim_end();
        if i == 0
            && let Some(rest) = l.strip_prefix(head)
        {
            lines.push(Line::from(vec![
                Span::styled(head.to_string(), head_style),
                Span::styled(rest.to_string(), text_style),
            ]));
        } else {
            lines.push(Line::styled(format!("  {l}"), text_style));
        }
    }
}
