//! Two processes on one file: while another agon holds a session, `agon rejudge` of it opens
//! read-only, says who holds it, records nothing and leaves the file as it was.

mod support;

use std::time::Duration;
use support::tmux::Pane;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn a_session_held_by_another_agon_opens_read_only_and_is_left_alone() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sessions/example-congestion-pricing.json"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("held.json");
    std::fs::copy(example, &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    // This test process plays the other agon.
    let _held = agon::storage::SessionLock::try_acquire(&file).unwrap();

    let path = file.to_string_lossy().into_owned();
    let pane = Pane::start("locked", &["rejudge", &path, "--pace", "0"], 120, 40);
    let screen = pane.wait_for("read-only", WAIT);
    assert!(
        screen.contains(&format!("pid {}", std::process::id())),
        "the holder is named:\n{screen}"
    );
    pane.keys(&["c"]);
    // A judge action is refused, saying why.
    pane.wait_for("Read-only (another agon", WAIT);
    pane.keys(&["q"]);
    pane.wait_for("EXIT=", WAIT);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the other agon's file is untouched"
    );
}
