//! Where each pane of the main screen goes for a terminal size: one pure function, so the app
//! knows its panes' sizes (for paging and scrolling) and the ui draws into the same rectangles.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the screen says it is too small instead of drawing a broken layout.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// Columns left of the transcript's text: a marker for turns related to the selected node.
pub const GUTTER: u16 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub header: Rect,
    /// The transcript pane, border included.
    pub transcript: Rect,
    /// The span being chosen (`V`), under the transcript.
    pub preview: Rect,
    /// The credence chart, under the transcript.
    pub chart: Rect,
    /// The tree (or annotations, or evidence) pane, border included.
    pub side: Rect,
    pub status: Rect,
    pub hints: Rect,
}

/// What the layout depends on besides the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// A span is being chosen.
    pub preview: bool,
    /// The side pane is widened to read whole claims.
    pub wide_side: bool,
}

pub fn too_small(size: Rect) -> bool {
    size.width < MIN_WIDTH || size.height < MIN_HEIGHT
}

pub fn areas(size: Rect, options: Options) -> Areas {
    if too_small(size) {
        return Areas::default();
    }
    let [header, main, status, hints] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(size);
    let side_share = if options.wide_side { 55 } else { 38 };
    let [left, side] = Layout::horizontal([
        Constraint::Percentage(100 - side_share),
        Constraint::Percentage(side_share),
    ])
    .areas(main);
    let chart_height = chart_rows(left.height);
    let preview_height = if options.preview { 4 } else { 0 };
    let [transcript, preview, chart] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(preview_height),
        Constraint::Length(chart_height),
    ])
    .areas(left);
    Areas {
        header,
        transcript,
        preview,
        chart,
        side,
        status,
        hints,
    }
}

/// The credence chart's height, border included, under a left column `left` rows high: more
/// rows on a taller terminal, and never gone (four rows at the minimum size, a plot of two).
pub fn chart_rows(left: u16) -> u16 {
    match left {
        h if h >= 40 => 12,
        h if h >= 26 => 9,
        h if h >= 18 => 6,
        h if h >= 14 => 5,
        _ => 4,
    }
}

/// The transcript's text area: inside the border, right of the gutter.
pub fn transcript_text(transcript: Rect) -> Rect {
    let inner = Rect::new(
        transcript.x.saturating_add(1),
        transcript.y.saturating_add(1),
        transcript.width.saturating_sub(2),
        transcript.height.saturating_sub(2),
    );
    Rect::new(
        inner.x.saturating_add(GUTTER),
        inner.y,
        inner.width.saturating_sub(GUTTER).max(1),
        inner.height,
    )
}

/// Rows of the tree's list inside the side pane, under which the detail box goes.
pub fn tree_list_rows(side: Rect) -> u16 {
    side.height
        .saturating_sub(2)
        .saturating_sub(detail_rows(side))
}

/// Rows of the detail box under the tree (the selected node's whole text, then its facts):
/// more when the pane is tall, and four even at the smallest size.
pub fn detail_rows(side: Rect) -> u16 {
    let inner = side.height.saturating_sub(2);
    if inner >= 30 {
        10
    } else if inner >= 16 {
        6
    } else if inner >= 10 {
        4
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_fill_the_screen_and_never_overlap() {
        for (w, h) in [(60, 16), (80, 24), (120, 40), (250, 80)] {
            let a = areas(Rect::new(0, 0, w, h), Options::default());
            assert!(a.transcript.height > 0 && a.header.height == 2);
            assert_eq!(a.status.y + 1, a.hints.y);
            assert_eq!(a.hints.bottom(), h);
            assert!(a.transcript.right() <= a.side.x);
            assert!(a.chart.y >= a.transcript.bottom());
        }
    }

    #[test]
    fn the_chart_shrinks_before_the_transcript_and_never_goes() {
        let mut last = 0;
        for h in MIN_HEIGHT..=80 {
            let a = areas(Rect::new(0, 0, 80, h), Options::default());
            assert!(a.chart.height >= 4, "{h} rows: the chart stays");
            assert!(a.chart.height >= last, "{h} rows: it only grows");
            assert!(
                a.transcript.height >= 6,
                "{h} rows: the transcript keeps room"
            );
            last = a.chart.height;
        }
        let at = |h| {
            areas(Rect::new(0, 0, 80, h), Options::default())
                .chart
                .height
        };
        assert_eq!((at(16), at(20), at(24), at(30), at(44)), (4, 5, 6, 9, 12));
    }

    #[test]
    fn below_the_minimum_nothing_is_laid_out() {
        assert!(too_small(Rect::new(0, 0, 80, 6)));
        assert_eq!(
            areas(Rect::new(0, 0, 80, 6), Options::default()),
            Areas::default()
        );
    }
}
