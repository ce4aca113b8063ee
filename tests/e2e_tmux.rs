//! End-to-end: the real binary in a terminal (tmux), driven with keystrokes.

mod support;

use std::time::Duration;
use support::tmux::{Pane, read_json};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn judge_watches_the_demo_sets_credence_records_a_verdict_and_quits() {
    let pane = Pane::start("judge", &["demo", "--pace", "0"], 120, 40);
    pane.wait_for("scripted demo", WAIT);
    let screen = pane.wait_for("■ finished", WAIT);
    assert!(screen.contains("round 4/4"), "{screen}");
    assert!(screen.contains("8 turns"), "{screen}");

    pane.keys(&["c"]);
    pane.wait_for("How likely is it that side A is right?", WAIT);
    pane.keys(&["7", "0", "Enter"]);
    pane.wait_for("P(A) 70%", WAIT);

    pane.keys(&["v"]);
    pane.wait_for("Rationale", WAIT);
    pane.keys(&["a", "Tab", "8", "0", "Tab"]);
    pane.type_text("Traffic and transit evidence held up; equity was answered by design.");
    pane.keys(&["Enter"]);
    pane.wait_for("verdict A 80%", WAIT);

    pane.keys(&["q"]);
    let screen = pane.wait_for("EXIT=0", WAIT);
    assert!(screen.contains("Session saved to"), "{screen}");

    let file = pane.session_file();
    assert!(screen.contains(&*file.file_name().unwrap().to_string_lossy()));
    let s = read_json(&file);
    assert_eq!(s["schema_version"], 1);
    assert!(
        s["question"]
            .as_str()
            .unwrap()
            .contains("congestion pricing")
    );
    let turns = s["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 8);
    for (i, t) in turns.iter().enumerate() {
        assert_eq!(t["side"], if i % 2 == 0 { "A" } else { "B" });
        assert_eq!(t["round"], i / 2 + 1);
        assert_eq!(t["status"], "complete");
        assert!(t["text"].as_str().unwrap().contains("```claims"));
    }
    let nodes = s["tree"]["nodes"].as_array().unwrap();
    assert!(nodes.len() >= 9, "root + at least 8 claims");
    assert!(nodes[0]["parent"].is_null());
    assert!(
        nodes
            .iter()
            .skip(1)
            .all(|n| n["relation"] == "supports" || n["relation"] == "attacks")
    );
    let events = s["judge_events"].as_array().unwrap();
    assert_eq!(events[0]["kind"], "credence");
    assert_eq!(events[0]["p_a"], 0.7);
    assert_eq!(events[0]["after_turn"], 7);
    assert_eq!(events[1]["kind"], "verdict");
    assert_eq!(s["verdict"]["winner"], "A");
    assert_eq!(s["verdict"]["confidence"], 0.8);
    assert_eq!(
        s["verdict"]["rationale"],
        "Traffic and transit evidence held up; equity was answered by design."
    );
}

#[test]
fn pause_and_step_then_quit_mid_turn_keeps_the_partial_turn() {
    let pane = Pane::start("pause", &["demo", "--pace", "8"], 100, 30);
    pane.wait_for("A speaking", WAIT);
    pane.keys(&["Space"]);
    pane.wait_for("Paused", WAIT);
    // The turn under way finishes, then the debate waits.
    pane.wait_for("‖ paused", Duration::from_secs(60));
    let screen = pane.screen();
    assert!(screen.contains("1 turns"), "{screen}");
    pane.keys(&["n"]);
    pane.wait_for("B speaking", WAIT);
    pane.keys(&["q"]);
    pane.wait_for("Quit?", WAIT);
    pane.keys(&["y"]);
    pane.wait_for("EXIT=0", WAIT);
    let s = read_json(&pane.session_file());
    let turns = s["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0]["status"], "complete");
    assert_eq!(turns[1]["status"], "stopped");
    assert!(!turns[1]["text"].as_str().unwrap().is_empty());
}

#[test]
fn sigterm_restores_the_terminal_and_saves() {
    let pane = Pane::start("sigterm", &["demo", "--pace", "20"], 100, 30);
    pane.wait_for("A speaking", WAIT);
    let shell = pane.pane_pid();
    let status = std::process::Command::new("pkill")
        .args(["-TERM", "-P", &shell.to_string(), "agon"])
        .status()
        .expect("pkill runs");
    assert!(status.success(), "agon was running under the pane's shell");
    let screen = pane.wait_for("EXIT=0", WAIT);
    // The alternate screen is gone: the shell's own output is what remains.
    assert!(!screen.contains("Transcript"), "{screen}");
    assert!(screen.contains("Session saved to"), "{screen}");
    let s = read_json(&pane.session_file());
    assert_eq!(s["turns"][0]["status"], "stopped");
}

#[test]
fn replay_steps_through_a_saved_session() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sessions/example-congestion-pricing.json"
    );
    let pane = Pane::start("replay", &["replay", example], 120, 40);
    pane.wait_for("Replay: n steps one turn", WAIT);
    assert!(pane.screen().contains("0 turns"));
    pane.keys(&["n"]);
    pane.wait_for("1 turns", WAIT);
    pane.keys(&["n"]);
    let screen = pane.wait_for("2 turns", WAIT);
    assert!(screen.contains("B Con · round 1"), "{screen}");
    pane.keys(&["c"]);
    pane.wait_for("Read-only", WAIT);
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);
    // Replay writes nothing.
    assert!(
        !pane.sessions_dir().exists()
            || std::fs::read_dir(pane.sessions_dir()).unwrap().count() == 0
    );
}
