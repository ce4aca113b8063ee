//! The mouse in the real program, in tmux: agon asks the terminal for mouse reports, and the
//! wheel and clicks arrive as the SGR sequences a terminal sends (typed into the pane as is).

mod support;

use std::time::Duration;
use support::tmux::Pane;

const WAIT: Duration = Duration::from_secs(30);

/// What a terminal sends for a mouse event at 1-based (`column`, `row`): `button` 0 is the left
/// button, 64 and 65 the wheel up and down; `M` a press, `m` a release.
fn sgr(button: u8, column: u16, row: u16, press: bool) -> String {
    format!(
        "\x1b[<{button};{column};{row}{}",
        if press { 'M' } else { 'm' }
    )
}

#[test]
fn the_wheel_scrolls_the_transcript_and_a_click_focuses_the_tree() {
    let pane = Pane::start("mouse", &["demo", "--pace", "0"], 100, 30);
    let screen = pane.wait_for("■ finished", WAIT);
    assert!(
        !screen.contains("(scrolled"),
        "it follows the end: {screen}"
    );
    assert_eq!(
        pane.format("#{mouse_sgr_flag}"),
        "1",
        "agon asked for mouse reports"
    );

    // The wheel over the transcript (column 10, row 8) scrolls it back.
    for _ in 0..3 {
        pane.type_text(&sgr(64, 10, 8, true));
    }
    pane.wait_for("(scrolled: G follows)", WAIT);

    // A click in the tree pane (right of the transcript) focuses it: its border turns thick.
    pane.type_text(&sgr(0, 80, 6, true));
    pane.type_text(&sgr(0, 80, 6, false));
    pane.wait_for("┏ Claims", WAIT);

    pane.keys(&["q"]);
    let screen = pane.wait_for("EXIT=0", WAIT);
    assert!(
        !screen.contains("[<"),
        "no mouse report leaked out: {screen}"
    );
    assert_eq!(
        pane.format("#{mouse_any_flag}#{mouse_sgr_flag}"),
        "00",
        "the shell gets the terminal back without mouse reports"
    );
}

#[test]
fn no_mouse_leaves_the_mouse_to_the_terminal() {
    let pane = Pane::start("no-mouse", &["--no-mouse", "demo", "--pace", "0"], 100, 30);
    pane.wait_for("■ finished", WAIT);
    assert_eq!(pane.format("#{mouse_any_flag}#{mouse_sgr_flag}"), "00");
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);
}

#[test]
fn a_config_can_turn_the_mouse_off() {
    let pane = Pane::start_with(
        "config-no-mouse",
        &["--config", "agon.toml", "demo", "--pace", "0"],
        100,
        30,
        |sessions| {
            let dir = sessions.parent().unwrap();
            std::fs::write(dir.join("agon.toml"), "[ui]\nmouse = false\n").unwrap();
        },
    );
    pane.wait_for("■ finished", WAIT);
    assert_eq!(pane.format("#{mouse_sgr_flag}"), "0");
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);
}
