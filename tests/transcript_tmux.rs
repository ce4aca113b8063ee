//! End-to-end in tmux: searching the transcript and copying a turn, as the judge would.

mod support;

use std::time::{Duration, Instant};
use support::tmux::Pane;

const WAIT: Duration = Duration::from_secs(30);

/// The status line's "match i/N", as (i, N).
fn match_status(screen: &str) -> Option<(usize, usize)> {
    let at = screen.find("match ")?;
    let rest = screen.get(at + "match ".len()..)?;
    let (i, rest) = rest.split_once('/')?;
    let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((i.parse().ok()?, n.parse().ok()?))
}

/// The header row of the turn marked `▶` (selected).
fn selected_header(screen: &str) -> Option<&str> {
    screen.lines().find(|l| l.contains("▶ "))
}

#[test]
fn searching_the_demo_finds_every_match_and_brings_each_into_view() {
    let pane = Pane::start("search", &["demo", "--pace", "0"], 120, 40);
    pane.wait_for("■ finished", WAIT);
    // From the top, so the first match is the first turn's.
    pane.keys(&["g", "/"]);
    pane.type_text("stockholm");
    let screen = pane.wait_until("match 1/N", WAIT, |s| match_status(s).is_some());
    let (i, n) = match_status(&screen).unwrap();
    assert_eq!(i, 1, "{screen}");
    assert!(n >= 10, "Stockholm is named in most turns: {screen}");
    pane.keys(&["Enter"]);
    let header = selected_header(&screen).unwrap_or_default().to_string();
    assert!(header.contains("A Pro · round 1 "), "{screen}");
    assert!(
        screen.contains("Stockholm's 2006 trial"),
        "the match is in view: {screen}"
    );

    // `n` moves on and the status follows; far enough on, another turn is selected and shown.
    pane.keys(&["n"]);
    pane.wait_for(&format!("match 2/{n}"), WAIT);
    for _ in 2..n {
        pane.keys(&["n"]);
    }
    let screen = pane.wait_for(&format!("match {n}/{n}"), WAIT);
    let header = selected_header(&screen).unwrap_or_default();
    assert!(
        header.contains("round 4 "),
        "the last match is in round 4: {screen}"
    );
    assert!(screen.contains("Stockholm"), "{screen}");
    pane.keys(&["n"]);
    let screen = pane.wait_for(&format!("match 1/{n}"), WAIT);
    assert!(screen.contains("Search wrapped to the top."), "{screen}");
    pane.keys(&["N"]);
    pane.wait_for(&format!("match {n}/{n}"), WAIT);

    // Esc clears the search: `n` is no longer the search's.
    pane.keys(&["Escape"]);
    pane.wait_until("the search to close", WAIT, |s| match_status(s).is_none());
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);
}

#[test]
fn y_puts_the_selected_turn_on_the_clipboard_by_osc_52() {
    let pane = Pane::start("copy", &["demo", "--pace", "0"], 120, 40);
    // tmux keeps what an OSC 52 sequence carries as a paste buffer when set-clipboard is on.
    pane.set_global("set-clipboard", "on");
    pane.wait_for("■ finished", WAIT);
    assert_eq!(pane.paste_buffer(), None, "nothing copied yet");
    // Following the end, the newest turn (round 4, B) is selected.
    pane.keys(&["y"]);
    pane.wait_for("Copied turn 8 (", WAIT);
    let start = Instant::now();
    let copied = loop {
        if let Some(text) = pane.paste_buffer() {
            break text;
        }
        assert!(
            start.elapsed() < WAIT,
            "no OSC 52 reached tmux: {}",
            pane.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        copied.starts_with("Stockholm is one referendum."),
        "{copied:?}"
    );
    assert!(
        copied.contains("build the alternative first."),
        "{copied:?}"
    );
    assert!(
        !copied.contains("```claims"),
        "y leaves the claims out: {copied:?}"
    );

    // `Y` copies the turn whole, its claims block too.
    pane.keys(&["Y"]);
    let start = Instant::now();
    let whole = loop {
        if let Some(text) = pane.paste_buffer().filter(|t| t.contains("```claims")) {
            break text;
        }
        assert!(
            start.elapsed() < WAIT,
            "no second copy reached tmux: {}",
            pane.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(whole.contains("B11 attacks A14"), "{whole:?}");
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);
}
