//! The browser's state, driven by keys alone (no terminal, no files unless a test makes some).

use super::*;
use crate::cli::sessions::list_lines;
use crate::ui::browser::tests::sample_index;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn press(b: &mut Browser, keys: &str) -> Option<Action> {
    let mut last = None;
    for c in keys.chars() {
        last = b.update(&key(c));
    }
    last
}

/// The shown sessions by the first word of their file name after the date.
fn shown(b: &Browser) -> Vec<String> {
    b.visible()
        .map(|s| s.file_name.splitn(3, '_').nth(2).unwrap_or("").to_string())
        .collect()
}

fn browser() -> Browser {
    Browser::new(sample_index())
}

#[test]
fn starts_newest_first_with_every_file_listed() {
    let b = browser();
    assert_eq!(
        shown(&b),
        [
            "should-the-city-adopt-congestion-pricing.json",
            "is-nuclear-power-worth-its-cost.json",
            "is-remote-work-better.json",
            "truncated.json",
            "should-cities-ban-cars-downtown_fork6.json",
        ]
    );
    assert_eq!(b.selected_pos(), Some(0));
}

#[test]
fn sort_cycles_and_reverses() {
    let mut b = browser();
    press(&mut b, "s");
    assert_eq!(b.sort, SortKey::State);
    let states: Vec<State> = b.visible().map(|s| s.state).collect();
    assert_eq!(
        states,
        [
            State::Unfinished,
            State::Finished,
            State::Judged,
            State::Judged,
            State::Broken
        ]
    );
    press(&mut b, "s");
    assert_eq!(b.sort, SortKey::Question);
    let questions: Vec<&str> = b.visible().map(|s| s.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "",
            "Is nuclear power worth its cost?",
            "Is remote work better for productivity than office work?",
            "Should cities ban private cars from downtown streets entirely?",
            "Should the city adopt congestion pricing for its downtown core at peak hours?",
        ]
    );
    press(&mut b, "s");
    assert_eq!(b.sort, SortKey::Score);
    assert_eq!(
        shown(&b)[0],
        "is-nuclear-power-worth-its-cost.json",
        "the only scored session comes first, the rest by date"
    );
    assert_eq!(
        shown(&b)[1],
        "should-the-city-adopt-congestion-pricing.json"
    );
    press(&mut b, "S");
    assert!(b.reverse);
    assert_eq!(shown(&b)[4], "is-nuclear-power-worth-its-cost.json");
    press(&mut b, "s");
    assert_eq!(b.sort, SortKey::Date);
    assert!(!b.reverse, "a new sort starts in its natural order");
    press(&mut b, "S");
    assert_eq!(
        shown(&b)[0],
        "should-cities-ban-cars-downtown_fork6.json",
        "oldest first"
    );
}

#[test]
fn the_cursor_follows_its_session_through_a_sort() {
    let mut b = browser();
    press(&mut b, "jj");
    assert_eq!(
        b.selected().unwrap().question,
        "Is remote work better for productivity than office work?"
    );
    press(&mut b, "s");
    assert_eq!(
        b.selected().unwrap().question,
        "Is remote work better for productivity than office work?"
    );
    assert_eq!(b.selected_pos(), Some(0));
}

#[test]
fn filter_cycles_through_states() {
    let mut b = browser();
    press(&mut b, "f");
    assert_eq!(b.filter, Filter::Unfinished);
    assert_eq!(shown(&b), ["is-remote-work-better.json"]);
    press(&mut b, "f");
    assert_eq!(b.filter, Filter::Finished);
    assert_eq!(
        shown(&b),
        [
            "should-the-city-adopt-congestion-pricing.json",
            "is-nuclear-power-worth-its-cost.json",
            "should-cities-ban-cars-downtown_fork6.json"
        ],
        "finished means the debate is over, judged or not"
    );
    press(&mut b, "f");
    assert_eq!(b.filter, Filter::Unjudged);
    assert_eq!(
        shown(&b),
        [
            "is-remote-work-better.json",
            "should-cities-ban-cars-downtown_fork6.json"
        ]
    );
    press(&mut b, "f");
    assert_eq!(b.filter, Filter::Judged);
    assert_eq!(b.visible_len(), 2);
    press(&mut b, "f");
    assert_eq!(b.filter, Filter::Broken);
    assert_eq!(shown(&b), ["truncated.json"]);
    press(&mut b, "f");
    assert_eq!(b.filter, Filter::All);
    assert_eq!(b.visible_len(), 5, "broken files show under all");
}

#[test]
fn search_as_you_type_matches_questions_and_models_ignoring_case() {
    let mut b = browser();
    press(&mut b, "/");
    assert_eq!(b.mode, Mode::Search);
    press(&mut b, "CIT");
    assert_eq!(
        shown(&b),
        [
            "should-the-city-adopt-congestion-pricing.json",
            "should-cities-ban-cars-downtown_fork6.json"
        ]
    );
    press(&mut b, "y");
    assert_eq!(b.visible_len(), 1);
    b.update(&code(KeyCode::Backspace));
    assert_eq!(b.query(), "CIT", "the query keeps its case");
    assert_eq!(b.visible_len(), 2);
    // Keys that are commands elsewhere are text here.
    press(&mut b, "q");
    assert_eq!(b.query(), "CITq");
    assert_eq!(b.visible_len(), 0);
    b.update(&code(KeyCode::Esc));
    assert_eq!(b.query(), "");
    assert_eq!(b.mode, Mode::Normal);
    assert_eq!(b.visible_len(), 5);

    // Models match too; every word must.
    press(&mut b, "/");
    press(&mut b, "ollama qwen");
    assert_eq!(shown(&b), ["is-remote-work-better.json"]);
    b.update(&code(KeyCode::Enter));
    assert_eq!(
        b.mode,
        Mode::Normal,
        "Enter keeps the search and leaves the field"
    );
    assert_eq!(b.visible_len(), 1);
    press(&mut b, "/");
    assert_eq!(b.query(), "ollama qwen", "/ edits the kept search");
    b.update(&code(KeyCode::Enter));
    b.update(&code(KeyCode::Esc));
    assert_eq!(b.query(), "", "Esc clears it from the list too");
    assert_eq!(b.visible_len(), 5);
}

#[test]
fn search_and_filter_combine_and_paste_goes_to_the_field() {
    let mut b = browser();
    press(&mut b, "f/");
    b.paste("REMOTE\nwork");
    assert_eq!(b.query(), "REMOTE work");
    assert_eq!(shown(&b), ["is-remote-work-better.json"]);
    press(&mut b, "x");
    assert_eq!(b.visible_len(), 0);
    assert_eq!(b.selected(), None);
    b.update(&code(KeyCode::Enter));
    assert_eq!(b.update(&code(KeyCode::Enter)), None, "nothing to open");
}

#[test]
fn moving_and_opening() {
    let mut b = browser();
    assert_eq!(press(&mut b, "k"), None);
    assert_eq!(b.selected_pos(), Some(0));
    press(&mut b, "G");
    assert_eq!(b.selected_pos(), Some(4));
    press(&mut b, "j");
    assert_eq!(b.selected_pos(), Some(4));
    press(&mut b, "g");
    assert_eq!(
        b.update(&code(KeyCode::Enter)),
        Some(Action::Replay(
            "/data/sessions/2026-11-27_083737_should-the-city-adopt-congestion-pricing.json".into()
        ))
    );
    b.page = 3;
    b.update(&code(KeyCode::PageDown));
    assert_eq!(b.selected_pos(), Some(3));
    assert!(b.selected().unwrap().error.is_some());
    assert_eq!(
        b.update(&code(KeyCode::Enter)),
        None,
        "a broken file does not open"
    );
    let n = b.notice.clone().unwrap();
    assert!(n.error && n.text.contains("truncated"), "{n:?}");
    b.update(&code(KeyCode::PageUp));
    assert_eq!(b.selected_pos(), Some(0));
    assert_eq!(b.notice, None, "a notice lasts until the next key");
}

#[test]
fn help_opens_and_closes_and_q_quits() {
    let mut b = browser();
    press(&mut b, "?");
    assert_eq!(b.mode, Mode::Help);
    assert_eq!(press(&mut b, "j"), None);
    assert_eq!(b.mode, Mode::Help);
    assert_eq!(press(&mut b, "q"), None, "q closes the help first");
    assert_eq!(b.mode, Mode::Normal);
    assert_eq!(press(&mut b, "q"), Some(Action::Quit));
    press(&mut b, "/");
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(
        b.update(&ctrl_c),
        Some(Action::Quit),
        "Ctrl-C quits from anywhere"
    );
}

#[test]
fn delete_asks_first() {
    let mut b = browser();
    let name = b.selected().unwrap().file_name.clone();
    assert_eq!(press(&mut b, "d"), None);
    assert_eq!(
        b.mode,
        Mode::ConfirmDelete {
            file_name: name.clone()
        }
    );
    assert_eq!(
        press(&mut b, "x"),
        None,
        "other keys leave the question open"
    );
    assert!(matches!(b.mode, Mode::ConfirmDelete { .. }));
    assert_eq!(press(&mut b, "n"), None);
    assert_eq!(b.mode, Mode::Normal);
    assert!(b.notice.as_ref().unwrap().text.contains("Kept"));
    press(&mut b, "d");
    assert_eq!(b.update(&code(KeyCode::Esc)), None);
    assert_eq!(b.mode, Mode::Normal);
    press(&mut b, "d");
    assert_eq!(press(&mut b, "y"), Some(Action::Delete(name)));
    assert_eq!(b.mode, Mode::Normal);
}

fn rename_to(b: &mut Browser, text: &str) -> Option<Action> {
    press(b, "r");
    let Mode::Rename(d) = &b.mode else {
        panic!("the rename dialog is open");
    };
    assert_eq!(
        format!("{}.json", d.input.text()),
        b.selected().unwrap().file_name,
        "it starts from the current name, without .json"
    );
    b.update(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    press(b, text);
    b.update(&code(KeyCode::Enter))
}

#[test]
fn rename_validates_the_new_name() {
    let mut b = browser();
    let from = b.selected().unwrap().file_name.clone();
    for (text, why) in [
        ("", "type a name"),
        ("  ", "type a name"),
        (".json", "type a name"),
        ("a/b", "cannot hold"),
        ("..\\x", "cannot hold"),
        (".hidden", "would hide"),
        (
            "2026-11-20_090000_should-cities-ban-cars-downtown_fork6",
            "already exists",
        ),
        (
            "2026-11-20_090000_should-cities-ban-cars-downtown_fork6.json",
            "already exists",
        ),
    ] {
        assert_eq!(rename_to(&mut b, text), None, "{text:?}");
        let Mode::Rename(d) = &b.mode else {
            panic!("the dialog stays open after {text:?}");
        };
        let e = d.error.clone().unwrap_or_default();
        assert!(e.contains(why), "{text:?}: {e:?}");
        press(&mut b, "x");
        let Mode::Rename(d) = &b.mode else { panic!() };
        assert_eq!(d.error, None, "typing clears the error");
        b.update(&code(KeyCode::Esc));
        assert_eq!(b.mode, Mode::Normal);
    }
    assert_eq!(
        rename_to(&mut b, "pricing debate"),
        Some(Action::Rename {
            from: from.clone(),
            to: "pricing debate.json".into()
        })
    );
    assert_eq!(
        rename_to(&mut b, "pricing.json"),
        Some(Action::Rename {
            from: from.clone(),
            to: "pricing.json".into()
        }),
        ".json is kept, not doubled"
    );
    let unchanged = from.strip_suffix(".json").unwrap().to_string();
    assert_eq!(rename_to(&mut b, &unchanged), None);
    assert_eq!(b.mode, Mode::Normal);
    assert!(b.notice.as_ref().unwrap().text.contains("unchanged"));
    assert!(validate_new_name(&"x".repeat(300), "a.json", |_| false).is_err());
}

#[test]
fn apply_renames_and_deletes_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let example = include_str!("../../../sessions/example-congestion-pricing.json");
    for (name, q) in [
        ("a.json", "Alpha?"),
        ("b.json", "Beta?"),
        ("c.json", "Gamma?"),
    ] {
        let mut v: serde_json::Value = serde_json::from_str(example).unwrap();
        v["question"] = q.into();
        std::fs::write(d.join(name), serde_json::to_vec(&v).unwrap()).unwrap();
    }
    let mut b = Browser::new(Index::open(d).unwrap());
    press(&mut b, "s"); // state: all judged, then by date (equal), then name
    press(&mut b, "s"); // question
    assert_eq!(b.selected().unwrap().question, "Alpha?");
    assert_eq!(
        rename_to(&mut b, "b"),
        None,
        "refused from the list already"
    );
    b.update(&code(KeyCode::Esc));
    // The file system refuses it too (say the file appeared after the list was read).
    b.apply(&Action::Rename {
        from: "a.json".into(),
        to: "b.json".into(),
    });
    let n = b.notice.clone().unwrap();
    assert!(n.error && n.text.contains("already exists"), "{n:?}");
    assert!(d.join("a.json").exists());

    let action = rename_to(&mut b, "alpha").unwrap();
    b.apply(&action);
    assert!(!b.notice.clone().unwrap().error);
    assert!(d.join("alpha.json").exists() && !d.join("a.json").exists());
    assert_eq!(b.selected().unwrap().file_name, "alpha.json");
    assert_eq!(b.selected().unwrap().path, d.join("alpha.json"));

    press(&mut b, "j");
    assert_eq!(b.selected().unwrap().question, "Beta?");
    press(&mut b, "d");
    let action = press(&mut b, "y").unwrap();
    b.apply(&action);
    assert!(!d.join("b.json").exists());
    assert_eq!(b.visible_len(), 2);
    assert_eq!(
        b.selected().unwrap().question,
        "Gamma?",
        "the cursor stays on the row"
    );
    assert_eq!(b.index.entries.len(), 2);
}

#[test]
fn keys_are_bound_once() {
    for (i, a) in BINDINGS.iter().enumerate() {
        for b in &BINDINGS[i + 1..] {
            for k in a.keys {
                assert!(!b.keys.contains(k), "{k:?} is bound twice");
            }
        }
    }
    let shifted = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
    assert_eq!(command_for(&shifted), Some(Command::Reverse));
    assert_eq!(command_for(&key('s')), Some(Command::Sort));
}

#[test]
fn list_lines_are_newest_first_with_broken_files() {
    let lines = list_lines(&sample_index());
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[0],
        "/data/sessions/2026-11-27_083737_should-the-city-adopt-congestion-pricing.json\t\
         2026-11-27T08:37:37Z\tjudged\t\
         Should the city adopt congestion pricing for its downtown core at peak hours?"
    );
    assert_eq!(
        lines[3],
        "/data/sessions/2026-11-21_120000_truncated.json\t2026-11-21T12:00:00Z\t\
         broken: the file ends too early (truncated?) at line 311\t"
    );
    assert!(lines[4].contains("\tfinished\t"));
    assert!(lines.iter().all(|l| l.split('\t').count() == 4));
}

/// Moves the cursor to the session whose file name contains `part`.
fn select(b: &mut Browser, part: &str) {
    let name = b
        .visible()
        .find(|s| s.file_name.contains(part))
        .map(|s| s.file_name.clone())
        .unwrap();
    b.select_file(&name);
    assert!(b.selected().unwrap().file_name.contains(part));
}

#[test]
fn resume_continues_only_an_unfinished_debate() {
    let mut b = browser();
    select(&mut b, "remote");
    assert_eq!(
        press(&mut b, "c"),
        Some(Action::Resume(
            "/data/sessions/2026-11-25_180000_is-remote-work-better.json".into()
        ))
    );
    select(&mut b, "nuclear");
    assert_eq!(press(&mut b, "c"), None, "a judged debate is over");
    let n = b.notice.clone().unwrap();
    assert!(!n.error && n.text.contains("J judges it again"), "{n:?}");
    select(&mut b, "truncated");
    assert_eq!(press(&mut b, "c"), None);
    assert!(b.notice.clone().unwrap().error, "a broken file says why");
    select(&mut b, "remote");
    b.index.entries[3].schema_version = Some(crate::domain::SCHEMA_VERSION + 1);
    assert_eq!(press(&mut b, "c"), None, "a newer agon's file is read-only");
    assert!(b.notice.clone().unwrap().text.contains("newer agon"));
}

#[test]
fn x_extracts_a_tree_into_a_writable_session() {
    let mut b = browser();
    select(&mut b, "nuclear");
    assert_eq!(
        press(&mut b, "x"),
        Some(Action::Extract(
            "/data/sessions/2026-11-26_101500_is-nuclear-power-worth-its-cost.json".into()
        ))
    );
    select(&mut b, "truncated");
    assert_eq!(press(&mut b, "x"), None, "a broken file says why");
    assert!(b.notice.clone().unwrap().error);
}

#[test]
fn rejudge_asks_blind_or_open() {
    let mut b = browser();
    select(&mut b, "nuclear");
    let path: PathBuf =
        "/data/sessions/2026-11-26_101500_is-nuclear-power-worth-its-cost.json".into();
    assert_eq!(press(&mut b, "J"), None);
    assert!(matches!(b.mode, Mode::Rejudge { .. }));
    assert_eq!(
        press(&mut b, "x"),
        None,
        "other keys leave the question open"
    );
    assert_eq!(
        press(&mut b, "b"),
        Some(Action::Rejudge {
            path: path.clone(),
            blind: true
        })
    );
    press(&mut b, "J");
    assert_eq!(
        press(&mut b, "o"),
        Some(Action::Rejudge { path, blind: false })
    );
    press(&mut b, "J");
    assert_eq!(b.update(&code(KeyCode::Esc)), None);
    assert_eq!(b.mode, Mode::Normal);
}

#[test]
fn fork_and_export_open_their_dialogs() {
    let mut b = browser();
    press(&mut b, "b");
    assert!(matches!(b.mode, Mode::Fork(_)));
    press(&mut b, "3");
    assert!(matches!(
        b.update(&code(KeyCode::Enter)),
        Some(Action::Fork {
            after_turn: Some(3),
            ..
        })
    ));
    press(&mut b, "e");
    let Mode::Export(d) = &b.mode else {
        panic!("the export dialog is open");
    };
    assert_eq!(
        d.out.text(),
        "2026-11-27_083737_should-the-city-adopt-congestion-pricing.md"
    );
    assert!(matches!(
        b.update(&code(KeyCode::Enter)),
        Some(Action::Export {
            format: crate::export::Format::Markdown,
            ..
        })
    ));
}

#[test]
fn stats_count_the_sessions_listed() {
    let mut b = browser();
    let Some(Action::Stats(all)) = press(&mut b, "a") else {
        panic!("stats");
    };
    assert_eq!(all.len(), 4, "every readable session, not the broken one");
    press(&mut b, "ff");
    let Some(Action::Stats(finished)) = press(&mut b, "a") else {
        panic!("stats");
    };
    assert_eq!(finished.len(), 3, "what the filter shows");
    press(&mut b, "fff");
    assert_eq!(b.filter, Filter::Broken);
    assert_eq!(press(&mut b, "a"), None, "nothing readable is listed");
}

#[test]
fn a_reload_keeps_the_view_and_the_cursor_on_its_session() {
    let mut b = browser();
    press(&mut b, "f");
    press(&mut b, "s");
    let mut index = sample_index();
    index.entries.retain(|s| !s.file_name.contains("nuclear"));
    let mut extra = index.entries[3].clone();
    extra.file_name = "2026-11-28_000000_is-remote-work-better-2.json".into();
    index.entries.push(extra);
    b.reload(index);
    assert_eq!((b.filter, b.sort), (Filter::Unfinished, SortKey::State));
    assert_eq!(
        shown(&b),
        ["is-remote-work-better.json", "is-remote-work-better-2.json"],
        "the same date: by file name"
    );
    b.select_file("2026-11-25_180000_is-remote-work-better.json");
    let mut again = sample_index();
    again.entries.reverse();
    b.reload(again);
    assert_eq!(
        b.selected().unwrap().file_name,
        "2026-11-25_180000_is-remote-work-better.json"
    );
}

#[test]
fn resume_last_takes_the_unfinished_session_saved_last() {
    let mut index = sample_index();
    assert_eq!(
        crate::cli::newest_unfinished(&index),
        Some("/data/sessions/2026-11-25_180000_is-remote-work-better.json".into())
    );
    let mut later = index.entries[3].clone();
    assert_eq!(later.state, State::Unfinished);
    later.file_name = "older-name-saved-later.json".into();
    later.path = "/data/sessions/older-name-saved-later.json".into();
    later.created_at = Some(time::OffsetDateTime::UNIX_EPOCH);
    later.modified += std::time::Duration::from_secs(1);
    index.entries.push(later);
    assert_eq!(
        crate::cli::newest_unfinished(&index),
        Some("/data/sessions/older-name-saved-later.json".into()),
        "by when it was saved, not when it began"
    );
    index.entries.retain(|s| s.state != State::Unfinished);
    assert_eq!(crate::cli::newest_unfinished(&index), None);
}

#[test]
fn the_wheel_moves_and_a_click_selects_a_row() {
    let mut b = browser();
    b.page = 3;
    b.wheel(1);
    assert_eq!(b.selected_pos(), Some(3));
    b.wheel(5);
    assert_eq!(b.selected_pos(), Some(4), "not past the last");
    b.wheel(-1);
    assert_eq!(b.selected_pos(), Some(1));
    b.offset = 2;
    b.click(1);
    assert_eq!(
        b.selected_pos(),
        Some(3),
        "the row shown, counted from the offset"
    );
    b.click(3);
    assert_eq!(b.selected_pos(), Some(3), "below the rows drawn: nothing");
    press(&mut b, "d");
    b.click(0);
    assert_eq!(b.selected_pos(), Some(3), "not while a dialog is open");
}
