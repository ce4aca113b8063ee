//! Searching the focused pane: `/` opens a one-line field, typing searches as it goes (case
//! ignored unless the query has a capital), Enter keeps the search and closes the field, Esc
//! clears it, `n` and `N` go to the next and previous match, wrapping around with a notice.
//!
//! The transcript is searched as the judge reads it: the turns' docs (Markdown read, quotes
//! marked, a hidden turn's placeholder instead of its words, errors redacted while blind),
//! never the raw text. Matches are byte ranges of a turn's doc, so they hold at any width and
//! are found from the app's own state, not from what the last frame painted. The tree is
//! searched node by node (its id and text).

use super::Transcript;
use crate::app::widgets::line_input::LineInput;
use crate::app::{App, Focus, Level};
use crate::domain::TurnStatus;
use crate::text::find::Query;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::hash::{Hash, Hasher};
use std::ops::Range;

/// The pane a search looks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Transcript,
    Tree,
}

/// A match: the turn (or the tree node's position) it is in, and where in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub item: usize,
    pub range: Range<usize>,
}

/// A turn's matches, and what they were found in: a turn is searched again when its text,
/// its state or whether it is hidden changes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TurnHits {
    turn: usize,
    seen: (usize, TurnStatus, bool),
    hits: Vec<Range<usize>>,
}

/// Where the view was when the search began: Esc while typing goes back there.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Transcript(Box<Transcript>),
    Tree(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub pane: Pane,
    pub field: LineInput,
    /// The field is open and takes the keys.
    pub editing: bool,
    query: Query,
    origin: Origin,
    /// The transcript's turns in scope, with their matches.
    turns: Vec<TurnHits>,
    /// The judge events, blindness and scope the turns' matches were found with: when these
    /// change every turn is looked at again, else only turns still streaming.
    stamp: u64,
    hits: Vec<Hit>,
    /// The match moved to, by its place: kept across updates of the matches.
    current: Option<(usize, usize)>,
}

impl Search {
    pub fn query(&self) -> &Query {
        &self.query
    }

    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }

    /// The number of the current match among all of them (from 0).
    pub fn current(&self) -> Option<usize> {
        let (item, start) = self.current?;
        self.hits
            .iter()
            .position(|h| h.item == item && h.range.start == start)
    }

    /// What the status shows: "match 3/17", "no match".
    pub fn status(&self) -> String {
        match (self.current(), self.hits.len()) {
            (_, 0) if self.query.is_empty() => String::new(),
            (_, 0) => "no match".to_string(),
            (Some(i), n) => format!("match {}/{n}", i + 1),
            (None, n) => format!("{n} matches"),
        }
    }

    /// The matches in one turn or node, and which of them is the current one.
    pub fn hits_in(&self, item: usize) -> impl Iterator<Item = (&Range<usize>, bool)> + '_ {
        let current = self.current;
        self.hits
            .iter()
            .filter(move |h| h.item == item)
            .map(move |h| (&h.range, current == Some((h.item, h.range.start))))
    }
}

impl App {
    /// `/`: a search field in the focused pane.
    pub(crate) fn open_search(&mut self) {
        if let Some(s) = &mut self.search {
            // Editing the search there is.
            s.editing = true;
            return;
        }
        let pane = match self.focus {
            Focus::Transcript => Pane::Transcript,
            Focus::Tree if self.show_annotations => {
                self.notify(
                    Level::Info,
                    "/ searches the transcript or the claim tree (A shows the tree).".into(),
                );
                return;
            }
            Focus::Tree => Pane::Tree,
        };
        let origin = match pane {
            Pane::Transcript => Origin::Transcript(Box::new(self.transcript.clone())),
            Pane::Tree => Origin::Tree(self.tree.selected()),
        };
        self.search = Some(Search {
            pane,
            field: LineInput::default(),
            editing: true,
            query: Query::new(""),
            origin,
            turns: Vec::new(),
            stamp: 0,
            hits: Vec::new(),
            current: None,
        });
        self.notice = None;
    }

    /// A key while the field is open.
    pub(crate) fn on_search_key(&mut self, key: &KeyEvent) {
        let Some(s) = &mut self.search else { return };
        match key.code {
            KeyCode::Esc => {
                let origin = s.origin.clone();
                self.search = None;
                match origin {
                    Origin::Transcript(t) => self.transcript = *t,
                    Origin::Tree(pos) => self.tree.select(pos),
                }
            }
            KeyCode::Enter => {
                s.editing = false;
                if s.query.is_empty() {
                    self.search = None;
                } else if s.hits.is_empty() {
                    let text = format!("No match for “{}”.", s.query.text());
                    self.notify(Level::Info, text);
                }
            }
            _ => {
                if s.field.handle(key) && s.field.text() != s.query.text() {
                    s.query = Query::new(s.field.text());
                    s.turns.clear();
                    s.stamp = 0;
                    s.current = None;
                    self.sync_search();
                    self.first_hit_from_origin();
                }
            }
        }
    }

    /// Text pasted while the field is open goes into it.
    pub(crate) fn paste_into_search(&mut self, text: &str) -> bool {
        let Some(s) = &mut self.search else {
            return false;
        };
        if !s.editing {
            return false;
        }
        s.field.paste(text);
        let query = s.field.text().to_string();
        s.query = Query::new(&query);
        s.turns.clear();
        s.stamp = 0;
        s.current = None;
        self.sync_search();
        self.first_hit_from_origin();
        true
    }

    /// Whether `n` and `N` move between matches now.
    pub(crate) fn search_active(&self) -> bool {
        self.search
            .as_ref()
            .is_some_and(|s| !s.editing && !s.query.is_empty())
    }

    /// Esc with a search kept: clears it.
    pub(crate) fn clear_search(&mut self) -> bool {
        self.search.take().is_some()
    }

    /// `n` (or `N` backwards): the next match, wrapping around at the end with a notice.
    pub(crate) fn next_hit(&mut self, forward: bool) {
        let Some(s) = &self.search else { return };
        let n = s.hits.len();
        if n == 0 {
            let text = format!("No match for “{}”.", s.query.text());
            return self.notify(Level::Info, text);
        }
        let (next, wrapped) = match s.current() {
            Some(i) if forward => ((i + 1) % n, i + 1 == n),
            Some(i) => ((i + n - 1) % n, i == 0),
            None if forward => (0, false),
            None => (n - 1, false),
        };
        self.go_to_hit(next);
        if wrapped {
            let text = if forward {
                "Search wrapped to the top."
            } else {
                "Search wrapped to the bottom."
            };
            self.notify(Level::Info, text.into());
        } else {
            self.notice = None;
        }
    }

    /// While typing, the first match at or after where the view was when the search began.
    fn first_hit_from_origin(&mut self) {
        let Some(s) = &self.search else { return };
        let start = match &s.origin {
            Origin::Transcript(t) => {
                let height = |turn: usize| self.turn_height(turn);
                let top = t.view_top(&height);
                t.turns().get(top.pos).copied().unwrap_or(0)
            }
            Origin::Tree(pos) => self
                .tree
                .rows()
                .iter()
                .position(|r| r.pos == *pos)
                .unwrap_or(0),
        };
        let key = |h: &Hit| match s.pane {
            Pane::Transcript => h.item,
            Pane::Tree => self
                .tree
                .rows()
                .iter()
                .position(|r| r.pos == h.item)
                .unwrap_or(0),
        };
        let i = s.hits.iter().position(|h| key(h) >= start).unwrap_or(0);
        if s.hits.is_empty() {
            // Nothing found: back where the search began.
            match s.origin.clone() {
                Origin::Transcript(t) => self.transcript = *t,
                Origin::Tree(pos) => self.tree.select(pos),
            }
        } else {
            self.go_to_hit(i);
        }
    }

    /// Moves to the `i`-th match: selects its turn and scrolls its row into view, or selects
    /// its node.
    fn go_to_hit(&mut self, i: usize) {
        let Some(s) = &mut self.search else { return };
        let Some(hit) = s.hits.get(i).cloned() else {
            return;
        };
        s.current = Some((hit.item, hit.range.start));
        match s.pane {
            Pane::Transcript => {
                let row = self
                    .turn_body(hit.item, |b| b.row_of(hit.range.start))
                    .flatten()
                    .unwrap_or(0);
                // The block's first row is the header.
                self.with_transcript(|t, h| t.show_row(hit.item, row + 1, h));
            }
            Pane::Tree => {
                self.tree.select(hit.item);
                if let Some(turn) = self
                    .session()
                    .tree
                    .nodes()
                    .get(hit.item)
                    .and_then(|n| n.turn)
                {
                    self.with_transcript(|t, h| t.reveal_turn(turn, h));
                }
            }
        }
    }

    /// Brings the matches up to date with the session (called after every update): new
    /// turns are searched, a streaming turn again as it grows, everything when the judge's
    /// events or the scope changed; the tree whenever it changed.
    pub(crate) fn sync_search(&mut self) {
        let Some(mut s) = self.search.take() else {
            return;
        };
        if s.query.is_empty() {
            s.hits.clear();
        } else {
            match s.pane {
                Pane::Transcript => self.sync_transcript_hits(&mut s),
                Pane::Tree => self.sync_tree_hits(&mut s),
            }
        }
        self.search = Some(s);
    }

    fn sync_transcript_hits(&self, s: &mut Search) {
        let session = self.engine.session();
        let stamp = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (
                session.judge_events.len(),
                self.redactor.is_blind(),
                self.transcript.scope(),
            )
                .hash(&mut h);
            h.finish()
        };
        if stamp != s.stamp {
            s.turns.clear();
            s.stamp = stamp;
        }
        let scope = self.transcript.turns();
        if s.turns.len() > scope.len() || s.turns.iter().zip(scope).any(|(a, &b)| a.turn != b) {
            s.turns.clear();
        }
        let mut changed = false;
        for (i, &turn) in scope.iter().enumerate() {
            let Some(t) = session.turn(turn) else {
                continue;
            };
            let seen = (t.text.len(), t.status, self.engine.is_hidden(turn));
            if s.turns.get(i).is_some_and(|known| known.seen == seen) {
                continue;
            }
            let hits = self
                .turn_text(turn, |parts| {
                    let mut out = Vec::new();
                    for (base, text) in parts {
                        out.extend(
                            s.query
                                .find_in(text)
                                .into_iter()
                                .map(|r| r.start + base..r.end + base),
                        );
                    }
                    out
                })
                .unwrap_or_default();
            let entry = TurnHits { turn, seen, hits };
            match s.turns.get_mut(i) {
                Some(known) => *known = entry,
                None => s.turns.push(entry),
            }
            changed = true;
        }
        if changed || s.hits.is_empty() {
            s.hits = s
                .turns
                .iter()
                .flat_map(|t| {
                    t.hits.iter().map(|r| Hit {
                        item: t.turn,
                        range: r.clone(),
                    })
                })
                .collect();
        }
    }

    fn sync_tree_hits(&self, s: &mut Search) {
        let tree = &self.engine.session().tree;
        s.hits = self
            .tree
            .rows()
            .iter()
            .filter_map(|row| {
                let node = tree.nodes().get(row.pos)?;
                let text = node_text(node);
                let first = s.query.find_in(&text).into_iter().next()?;
                Some(Hit {
                    item: row.pos,
                    range: first,
                })
            })
            .collect();
    }
}

/// A node as the tree search reads it: its id, then its text.
pub fn node_text(node: &crate::domain::Node) -> String {
    if node.is_root() {
        crate::text::inert(&node.text)
    } else {
        format!("{} {}", node.id, crate::text::inert(&node.text))
    }
}
