//! `agon sessions`: a browser of the sessions directory, and a place to work on them.
//!
//! [`index`] summarises the files once (with an on-disk cache); [`Browser`] holds the list,
//! its sort, filter and search, and the dialogs, and is updated by keys alone
//! (`Browser::update(key) -> Option<Action>`); `ui::browser` draws it. `cli::sessions` is the
//! edge: it carries out the actions (a replay, a resume, a re-judge, a fork, an export, the
//! stats screen) on the same terminal and comes back here when they close.

pub mod dialogs;
pub mod order;

pub use crate::storage::index::{Index, SessionSummary, State};
pub use dialogs::{ExportDialog, ForkDialog};
pub use order::{Filter, Mark, SortKey, marks, marks_label};

use crate::app::widgets::LineInput;
use dialogs::Step;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::cmp::Ordering;
use std::path::PathBuf;

/// What the browser asks its runner to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Replay this session, read-only.
    Replay(PathBuf),
    /// Continue an unfinished session live, with its recorded debaters.
    Resume(PathBuf),
    /// Judge the recorded debate again, as another judgement in the same file.
    Rejudge {
        path: PathBuf,
        blind: bool,
    },
    /// Branch the debate after `after_turn` turns (all finished ones when `None`) into a new
    /// session that continues live.
    Fork {
        path: PathBuf,
        after_turn: Option<usize>,
    },
    /// Write the session in another format; `out` is relative to agon's working directory.
    Export {
        path: PathBuf,
        format: crate::export::Format,
        out: PathBuf,
    },
    /// Give the turns with no claims theirs, from the config's `[extractor]` model.
    Extract(PathBuf),
    /// The stats screen over these sessions (file names in the sessions directory).
    Stats(Vec<String>),
    /// Rename a file in the sessions directory (both are file names, `.json` included).
    Rename {
        from: String,
        to: String,
    },
    /// Delete a file in the sessions directory (confirmed).
    Delete(String),
    Quit,
}

/// What a key does in the list (outside dialogs and the search field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Replay,
    Resume,
    Rejudge,
    Fork,
    Export,
    Extract,
    Stats,
    Search,
    ClearSearch,
    Sort,
    Reverse,
    Filter,
    Rename,
    Delete,
    Help,
    Quit,
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    pub label: &'static str,
    pub command: Command,
    pub help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;

/// The browser's keys: both `update` and the help overlay read this table.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)],
        label: "j/↓",
        command: Command::Down,
        help: "next session",
    },
    Binding {
        keys: &[(KeyCode::Char('k'), NONE), (KeyCode::Up, NONE)],
        label: "k/↑",
        command: Command::Up,
        help: "previous session",
    },
    Binding {
        keys: &[(KeyCode::PageDown, NONE)],
        label: "PgDn",
        command: Command::PageDown,
        help: "one page down",
    },
    Binding {
        keys: &[(KeyCode::PageUp, NONE)],
        label: "PgUp",
        command: Command::PageUp,
        help: "one page up",
    },
    Binding {
        keys: &[(KeyCode::Char('g'), NONE), (KeyCode::Home, NONE)],
        label: "g/Home",
        command: Command::Top,
        help: "first session",
    },
    Binding {
        keys: &[(KeyCode::Char('G'), NONE), (KeyCode::End, NONE)],
        label: "G/End",
        command: Command::Bottom,
        help: "last session",
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE)],
        label: "Enter",
        command: Command::Replay,
        help: "replay the session, read-only (q there comes back here)",
    },
    Binding {
        keys: &[(KeyCode::Char('c'), NONE)],
        label: "c",
        command: Command::Resume,
        help: "continue an unfinished debate live, with its debaters",
    },
    Binding {
        keys: &[(KeyCode::Char('J'), NONE)],
        label: "J",
        command: Command::Rejudge,
        help: "judge it again (asks: blind or not), beside the earlier judgements",
    },
    Binding {
        keys: &[(KeyCode::Char('b'), NONE)],
        label: "b",
        command: Command::Fork,
        help: "branch (fork) the debate after a turn into a new session that continues live",
    },
    Binding {
        keys: &[(KeyCode::Char('e'), NONE)],
        label: "e",
        command: Command::Export,
        help: "export as Markdown, HTML or JSON Lines to a file",
    },
    Binding {
        keys: &[(KeyCode::Char('x'), NONE)],
        label: "x",
        command: Command::Extract,
        help: "claims for turns with none, from the [extractor] model (agon extract)",
    },
    Binding {
        keys: &[(KeyCode::Char('a'), NONE)],
        label: "a",
        command: Command::Stats,
        help: "stats over the sessions listed (filter and search apply)",
    },
    Binding {
        keys: &[(KeyCode::Char('/'), NONE)],
        label: "/",
        command: Command::Search,
        help: "search questions and models as you type (Enter keeps, Esc clears)",
    },
    Binding {
        keys: &[(KeyCode::Esc, NONE)],
        label: "Esc",
        command: Command::ClearSearch,
        help: "clear the search",
    },
    Binding {
        keys: &[(KeyCode::Char('s'), NONE)],
        label: "s",
        command: Command::Sort,
        help: "sort by date, state, question, score",
    },
    Binding {
        keys: &[(KeyCode::Char('S'), NONE)],
        label: "S",
        command: Command::Reverse,
        help: "reverse the order",
    },
    Binding {
        keys: &[(KeyCode::Char('f'), NONE)],
        label: "f",
        command: Command::Filter,
        help: "show all, unfinished, finished (judged or not), unjudged, judged or broken",
    },
    Binding {
        keys: &[(KeyCode::Char('r'), NONE)],
        label: "r",
        command: Command::Rename,
        help: "rename the file (never over another file)",
    },
    Binding {
        keys: &[(KeyCode::Char('d'), NONE), (KeyCode::Delete, NONE)],
        label: "d",
        command: Command::Delete,
        help: "delete the file (asks first)",
    },
    Binding {
        keys: &[(KeyCode::Char('?'), NONE)],
        label: "?",
        command: Command::Help,
        help: "this help",
    },
    Binding {
        keys: &[(KeyCode::Char('q'), NONE)],
        label: "q",
        command: Command::Quit,
        help: "quit",
    },
];

/// The command bound to a key in the list, if any.
pub fn command_for(key: &KeyEvent) -> Option<Command> {
    // As on the main screen: Shift is ignored for characters, the character itself decides.
    let strip = |code: KeyCode, m: KeyModifiers| match code {
        KeyCode::Char(_) => m - KeyModifiers::SHIFT,
        _ => m,
    };
    let mods = strip(key.code, key.modifiers);
    BINDINGS.iter().find_map(|b| {
        b.keys
            .iter()
            .any(|&(code, m)| code == key.code && strip(code, m) == mods)
            .then_some(b.command)
    })
}

/// The rename dialog: a one-line field for the new name, without `.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameDialog {
    pub file_name: String,
    pub input: LineInput,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing in the search field.
    Search,
    Help,
    Rename(RenameDialog),
    /// "Delete FILE? y/n"
    ConfirmDelete {
        file_name: String,
    },
    /// "Re-judge FILE: b blind, o open"
    Rejudge {
        file_name: String,
        path: PathBuf,
    },
    Fork(ForkDialog),
    Export(ExportDialog),
}

/// A one-line message under the table until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// Per-session values precomputed for searching and sorting, so a keystroke costs no
/// allocation per row.
#[derive(Debug, Clone)]
struct RowKey {
    /// Question, models and file name, lower-case.
    haystack: String,
    /// The question, lower-case.
    question: String,
    /// Unix nanoseconds of the session's date.
    date: i128,
}

impl RowKey {
    fn of(s: &SessionSummary) -> RowKey {
        let question = s.question.to_lowercase();
        RowKey {
            haystack: format!(
                "{question}\n{}\n{}\n{}",
                s.models[0].to_lowercase(),
                s.models[1].to_lowercase(),
                s.file_name.to_lowercase()
            ),
            question,
            date: s.date().unix_timestamp_nanos(),
        }
    }
}

/// The browser's state. Pure: keys in, actions out; the runner does the file system work.
#[derive(Debug, Clone)]
pub struct Browser {
    pub index: Index,
    keys: Vec<RowKey>,
    /// Indices into `index.entries`, filtered and sorted as shown.
    visible: Vec<usize>,
    /// Position of the cursor in `visible`.
    selected: usize,
    /// First row shown; kept in view by drawing.
    pub offset: usize,
    /// Rows per page, as last drawn.
    pub page: usize,
    pub sort: SortKey,
    pub reverse: bool,
    pub filter: Filter,
    query: String,
    pub mode: Mode,
    pub notice: Option<Notice>,
}

impl Browser {
    pub fn new(index: Index) -> Browser {
        let keys = index.entries.iter().map(RowKey::of).collect();
        let mut b = Browser {
            index,
            keys,
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            page: 10,
            sort: SortKey::Date,
            reverse: false,
            filter: Filter::All,
            query: String::new(),
            mode: Mode::Normal,
            notice: None,
        };
        b.refresh();
        if let Some(e) = &b.index.cache_error {
            b.notice = Some(Notice {
                text: format!("the index cache could not be saved: {e}"),
                error: true,
            });
        }
        b
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    /// The sessions shown, in order.
    pub fn visible(&self) -> impl ExactSizeIterator<Item = &SessionSummary> + '_ {
        self.visible.iter().map(|&i| &self.index.entries[i])
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// The row under the cursor, if any row is shown.
    pub fn selected_pos(&self) -> Option<usize> {
        (!self.visible.is_empty()).then_some(self.selected)
    }

    pub fn selected(&self) -> Option<&SessionSummary> {
        self.visible
            .get(self.selected)
            .map(|&i| &self.index.entries[i])
    }

    /// Recomputes the rows shown after the filter, search, sort or list changed; the cursor
    /// stays on the same session when it is still shown.
    fn refresh(&mut self) {
        let current = self.visible.get(self.selected).copied();
        let terms: Vec<String> = self
            .query
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        self.visible.clear();
        for (i, s) in self.index.entries.iter().enumerate() {
            if self.filter.admits(s.state)
                && terms.iter().all(|t| self.keys[i].haystack.contains(t))
            {
                self.visible.push(i);
            }
        }
        let mut visible = std::mem::take(&mut self.visible);
        visible.sort_by(|&a, &b| self.compare(a, b));
        if self.reverse {
            visible.reverse();
        }
        self.visible = visible;
        self.selected = match current.and_then(|c| self.visible.iter().position(|&i| i == c)) {
            Some(pos) => pos,
            None => self.selected.min(self.visible.len().saturating_sub(1)),
        };
    }

    fn compare(&self, a: usize, b: usize) -> Ordering {
        let (ea, eb) = (&self.index.entries[a], &self.index.entries[b]);
        let (ka, kb) = (&self.keys[a], &self.keys[b]);
        let primary = match self.sort {
            SortKey::Date => Ordering::Equal,
            SortKey::State => ea.state.cmp(&eb.state),
            SortKey::Question => ka.question.cmp(&kb.question),
            SortKey::Score => match (ea.score, eb.score) {
                (Some(x), Some(y)) => y.penalised.total_cmp(&x.penalised),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        primary
            .then(kb.date.cmp(&ka.date))
            .then_with(|| ea.file_name.cmp(&eb.file_name))
    }

    fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    fn say(&mut self, text: impl Into<String>, error: bool) {
        self.notice = Some(Notice {
            text: text.into(),
            error,
        });
    }

    /// Handles one key; returns what the runner should do, if anything.
    pub fn update(&mut self, key: &KeyEvent) -> Option<Action> {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        self.notice = None;
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Normal => self.normal_key(key),
            Mode::Search => {
                self.search_key(key);
                None
            }
            Mode::Help => {
                if !matches!(
                    key.code,
                    KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter
                ) {
                    self.mode = Mode::Help;
                }
                None
            }
            Mode::ConfirmDelete { file_name } => match key.code {
                KeyCode::Char('y' | 'Y') => Some(Action::Delete(file_name)),
                KeyCode::Char('n' | 'N') | KeyCode::Esc => {
                    self.say(format!("Kept {file_name}"), false);
                    None
                }
                _ => {
                    self.mode = Mode::ConfirmDelete { file_name };
                    None
                }
            },
            Mode::Rename(dialog) => self.rename_key(dialog, key),
            Mode::Rejudge { file_name, path } => match key.code {
                KeyCode::Char('b' | 'B') => Some(Action::Rejudge { path, blind: true }),
                KeyCode::Char('o' | 'O') => Some(Action::Rejudge { path, blind: false }),
                KeyCode::Esc | KeyCode::Char('q') => None,
                _ => {
                    self.mode = Mode::Rejudge { file_name, path };
                    None
                }
            },
            Mode::Fork(mut d) => {
                let step = d.handle(key);
                self.after_dialog(step, Mode::Fork(d))
            }
            Mode::Export(mut d) => {
                let step = d.handle(key);
                self.after_dialog(step, Mode::Export(d))
            }
        }
    }

    /// Keeps a dialog open, or closes it with its action.
    fn after_dialog(&mut self, step: Step, open: Mode) -> Option<Action> {
        match step {
            Step::Open => {
                self.mode = open;
                None
            }
            Step::Cancelled => None,
            Step::Done(action) => Some(action),
        }
    }

    /// The selected session if it can be opened; else says why not.
    fn openable(&mut self) -> Option<(String, PathBuf, State)> {
        let s = self.selected()?;
        if let Some(e) = &s.error {
            let text = format!("{} cannot be opened: {e}", s.file_name);
            self.say(text, true);
            return None;
        }
        Some((s.file_name.clone(), s.path.clone(), s.state))
    }

    /// The selected session if it may be written to (a newer agon's file opens read-only).
    fn writable(&mut self, what: &str) -> Option<(String, PathBuf, State)> {
        let newer = self.selected()?.is_newer();
        let (name, path, state) = self.openable()?;
        if newer {
            self.say(
                format!("{name} was written by a newer agon: it can be replayed, not {what}"),
                true,
            );
            return None;
        }
        Some((name, path, state))
    }

    fn normal_key(&mut self, key: &KeyEvent) -> Option<Action> {
        match command_for(key)? {
            Command::Down => self.move_by(1),
            Command::Up => self.move_by(-1),
            Command::PageDown => self.move_by(self.page.max(1) as isize),
            Command::PageUp => self.move_by(-(self.page.max(1) as isize)),
            Command::Top => self.selected = 0,
            Command::Bottom => self.move_by(isize::MAX),
            Command::Replay => return self.openable().map(|(_, path, _)| Action::Replay(path)),
            Command::Resume => {
                let (name, path, state) = self.writable("continued")?;
                if state != State::Unfinished {
                    self.say(
                        format!("{name} is over: J judges it again, b branches it to go on"),
                        false,
                    );
                    return None;
                }
                return Some(Action::Resume(path));
            }
            Command::Rejudge => {
                let (file_name, path, _) = self.writable("re-judged")?;
                self.mode = Mode::Rejudge { file_name, path };
            }
            Command::Fork => {
                let (name, path, _) = self.openable()?;
                self.mode = Mode::Fork(ForkDialog::new(name, path));
            }
            Command::Export => {
                let (name, path, _) = self.openable()?;
                self.mode = Mode::Export(ExportDialog::new(name, path));
            }
            Command::Extract => {
                let (_, path, _) = self.writable("given a tree")?;
                return Some(Action::Extract(path));
            }
            Command::Stats => {
                let files: Vec<String> = self
                    .visible()
                    .filter(|s| s.error.is_none())
                    .map(|s| s.file_name.clone())
                    .collect();
                if files.is_empty() {
                    self.say("No readable session is listed: nothing to count", false);
                    return None;
                }
                return Some(Action::Stats(files));
            }
            Command::Search => self.mode = Mode::Search,
            Command::ClearSearch => {
                if !self.query.is_empty() {
                    self.query.clear();
                    self.refresh();
                }
            }
            Command::Sort => {
                self.sort = self.sort.next();
                self.reverse = false;
                self.refresh();
            }
            Command::Reverse => {
                self.reverse = !self.reverse;
                self.refresh();
            }
            Command::Filter => {
                self.filter = self.filter.next();
                self.refresh();
            }
            Command::Rename => {
                let file_name = self.selected()?.file_name.clone();
                let input =
                    LineInput::with_text(file_name.strip_suffix(".json").unwrap_or(&file_name));
                self.mode = Mode::Rename(RenameDialog {
                    file_name,
                    input,
                    error: None,
                });
            }
            Command::Delete => {
                let file_name = self.selected()?.file_name.clone();
                self.mode = Mode::ConfirmDelete { file_name };
            }
            Command::Help => self.mode = Mode::Help,
            Command::Quit => return Some(Action::Quit),
        }
        None
    }

    fn search_key(&mut self, key: &KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                self.query.clear();
                self.refresh();
                return;
            }
            KeyCode::Enter => return,
            KeyCode::Down => self.move_by(1),
            KeyCode::Up => self.move_by(-1),
            KeyCode::PageDown => self.move_by(self.page.max(1) as isize),
            KeyCode::PageUp => self.move_by(-(self.page.max(1) as isize)),
            KeyCode::Backspace if self.query.pop().is_some() => self.refresh(),
            KeyCode::Char('u') if ctrl => {
                self.query.clear();
                self.refresh();
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                self.query.push(c);
                self.refresh();
            }
            _ => {}
        }
        self.mode = Mode::Search;
    }

    fn rename_key(&mut self, mut dialog: RenameDialog, key: &KeyEvent) -> Option<Action> {
        match key.code {
            KeyCode::Esc => None,
            KeyCode::Enter => {
                let exists = |name: &str| self.index.entries.iter().any(|s| s.file_name == name);
                match validate_new_name(dialog.input.text(), &dialog.file_name, exists) {
                    Ok(to) if to == dialog.file_name => {
                        self.say("The name is unchanged", false);
                        None
                    }
                    Ok(to) => Some(Action::Rename {
                        from: dialog.file_name,
                        to,
                    }),
                    Err(why) => {
                        dialog.error = Some(why);
                        self.mode = Mode::Rename(dialog);
                        None
                    }
                }
            }
            _ => {
                if dialog.input.handle(key) {
                    dialog.error = None;
                }
                self.mode = Mode::Rename(dialog);
                None
            }
        }
    }

    /// The wheel: the cursor moves `notches` rows (three a notch) in the list.
    pub fn wheel(&mut self, notches: isize) {
        if matches!(self.mode, Mode::Normal | Mode::Search) {
            self.notice = None;
            self.move_by(notches.saturating_mul(3));
        }
    }

    /// A click on row `row` of the table as drawn (0 is the first session shown): the cursor
    /// goes there. Clicks outside the rows, or while a dialog is open, do nothing.
    pub fn click(&mut self, row: usize) {
        if !matches!(self.mode, Mode::Normal | Mode::Search) || row >= self.page {
            return;
        }
        let pos = self.offset.saturating_add(row);
        if pos < self.visible.len() {
            self.notice = None;
            self.selected = pos;
        }
    }

    /// Pasted text goes to the search field or the rename field.
    pub fn paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Search => {
                self.query
                    .extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
                self.refresh();
            }
            Mode::Rename(d) => {
                d.input.paste(text);
                d.error = None;
            }
            Mode::Export(d) => d.paste(text),
            _ => {}
        }
    }

    /// Carries out a confirmed rename or delete on disk and shows how it went. The other
    /// actions are the runner's.
    pub fn apply(&mut self, action: &Action) {
        match action {
            Action::Rename { from, to } => match self.index.rename(from, to) {
                Ok(_) => {
                    self.refresh();
                    self.say(format!("Renamed {from} to {to}"), false);
                }
                Err(e) => self.say(e, true),
            },
            Action::Delete(name) => match self.index.delete(name) {
                Ok(()) => {
                    self.keys = self.index.entries.iter().map(RowKey::of).collect();
                    // The cursor stays at the same row, now the next session.
                    self.visible.clear();
                    self.refresh();
                    self.say(format!("Deleted {name}"), false);
                }
                Err(e) => self.say(e, true),
            },
            _ => {}
        }
    }

    /// Shows an error from the runner (say a session that would not open).
    pub fn error(&mut self, text: impl Into<String>) {
        self.say(text, true);
    }

    /// Shows what the runner did (where an export went, where a session was saved).
    pub fn info(&mut self, text: impl Into<String>) {
        self.say(text, false);
    }

    /// Takes in the directory read again (a file changed, or an action wrote one): the sort,
    /// filter and search stay, and so does the cursor on its session while it is listed.
    pub fn reload(&mut self, index: Index) {
        let current = self.selected().map(|s| s.file_name.clone());
        self.index = index;
        self.keys = self.index.entries.iter().map(RowKey::of).collect();
        self.visible.clear();
        self.refresh();
        if let Some(name) = current {
            self.select_file(&name);
        }
    }

    /// Moves the cursor to the session in `file_name`, if it is listed.
    pub fn select_file(&mut self, file_name: &str) {
        if let Some(pos) = self
            .visible
            .iter()
            .position(|&i| self.index.entries[i].file_name == file_name)
        {
            self.selected = pos;
        }
    }
}

/// Checks a new file name typed in the rename dialog; returns it with `.json`. `exists` says
/// whether a name is taken. The current name is returned as is (nothing to do).
pub fn validate_new_name(
    input: &str,
    current: &str,
    exists: impl Fn(&str) -> bool,
) -> Result<String, String> {
    let stem = input.trim();
    let stem = stem.strip_suffix(".json").unwrap_or(stem).trim_end();
    if stem.is_empty() {
        return Err("type a name".into());
    }
    if stem.contains(['/', '\\']) || stem.chars().any(char::is_control) {
        return Err("a file name cannot hold /, \\ or control characters".into());
    }
    if stem.starts_with('.') {
        return Err("a name starting with . would hide the file".into());
    }
    let name = format!("{stem}.json");
    if name.len() > 255 {
        return Err("the name is too long".into());
    }
    if name != current && exists(&name) {
        return Err(format!("{name} already exists"));
    }
    Ok(name)
}

#[cfg(test)]
mod tests;
