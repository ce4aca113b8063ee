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
    assert_eq!(s["schema_version"], agon::domain::SCHEMA_VERSION);
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
    assert!(
        screen.contains("× B1 attacks A1"),
        "B's first turn is on screen: {screen}"
    );
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

#[test]
fn judge_drills_into_a_crux_rules_on_it_and_decides_the_debate_by_it() {
    let pane = Pane::start("crux", &["demo", "--pace", "0"], 130, 42);
    pane.wait_for("■ finished", WAIT);
    pane.keys(&["Tab"]);
    for _ in 0..10 {
        pane.keys(&["j"]);
    }
    pane.wait_for("B2 · B attacks root", WAIT);
    pane.keys(&["Enter"]);
    pane.wait_for("Drill: root › B2", WAIT);
    let screen = pane.wait_for("The drill on B2 is over", WAIT);
    assert!(screen.contains("drill B2 round 2/2"), "{screen}");
    assert!(
        screen.contains("on B2"),
        "drill turns are labelled: {screen}"
    );

    pane.keys(&["BSpace"]);
    pane.wait_for("Back in the main debate", WAIT);
    pane.keys(&["w"]);
    pane.wait_for("Who wins B2?", WAIT);
    pane.keys(&["b", "Tab", "8", "0", "Enter"]);
    pane.wait_for("B2: B wins it at 80%", WAIT);

    pane.keys(&["D"]);
    pane.wait_for("Verdict decided by crux B2", WAIT);
    pane.keys(&["b", "Tab", "7", "5", "Tab"]);
    pane.type_text("Regressivity before alternatives exist decides it.");
    pane.keys(&["Enter"]);
    pane.wait_for("verdict B 75%", WAIT);
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);

    let file = pane.session_file();
    let s = read_json(&file);
    assert_eq!(s["schema_version"], agon::domain::SCHEMA_VERSION);
    let turns = s["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 12);
    let drill: Vec<_> = turns.iter().filter(|t| t["scope"] == "B2").collect();
    assert_eq!(drill.len(), 4);
    assert!(drill.iter().all(|t| t["status"] == "complete"));
    let kinds: Vec<&str> = s["judge_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec!["drill", "node_judgement", "node_judgement", "verdict"]
    );
    let nodes = s["tree"]["nodes"].as_array().unwrap();
    let b2 = nodes.iter().find(|n| n["id"] == "B2").unwrap();
    assert_eq!(b2["judgement"]["winner"], "B");
    assert_eq!(
        b2["judgement"]["confidence"], 0.75,
        "the deciding ruling is the last"
    );
    let b14 = nodes.iter().find(|n| n["id"] == "B14").unwrap();
    assert!(
        b14["turn"].as_u64().unwrap() >= 8,
        "drill claims come from drill turns"
    );
    assert_eq!(s["verdict"]["winner"], "B");
    assert_eq!(s["verdict"]["decided_by"], "B2");
    assert_eq!(s["verdict"]["confidence"], 0.75);

    // Everything comes back on replay.
    let path = file.to_string_lossy().into_owned();
    let replay = Pane::start("crux-replay", &["replay", &path], 130, 42);
    replay.wait_for("Replay: n steps one turn", WAIT);
    replay.keys(&["Space"]);
    let screen = replay.wait_for("replay ended", WAIT);
    assert!(screen.contains("verdict B 75%"), "{screen}");
    assert!(
        screen.contains("⚖B"),
        "the ruling shows in the tree: {screen}"
    );
    replay.keys(&["q"]);
    replay.wait_for("EXIT=0", WAIT);
}

#[test]
fn a_message_between_turns_is_shown_and_recorded() {
    // Slow enough that the first turn is still streaming when Space pauses after it.
    let pane = Pane::start("message", &["demo", "--pace", "40"], 120, 40);
    pane.wait_for("streaming", WAIT);
    pane.keys(&["Space"]);
    pane.wait_for("paused", WAIT);
    // The first turn's claims join the tree when it completes.
    pane.wait_for("Claims · 3 ", WAIT);
    pane.keys(&["i", "Tab"]);
    pane.wait_for("The judge speaks", WAIT);
    pane.type_text("What does the charge cost to collect?");
    pane.keys(&["Enter"]);
    pane.wait_for("Sent to debater A", WAIT);
    pane.wait_for("Judge → A: What does the charge cost to collect?", WAIT);
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);

    let s = read_json(&pane.session_file());
    let events = s["judge_events"].as_array().unwrap();
    let message = events.iter().find(|e| e["kind"] == "message").unwrap();
    assert_eq!(message["to"], "A");
    assert_eq!(message["text"], "What does the charge cost to collect?");
    assert_eq!(message["after_turn"], 0, "said after the first turn");
}

#[test]
fn judge_annotates_asks_and_judges_and_finds_it_all_again() {
    let pane = Pane::start("annotate", &["demo", "--pace", "0"], 120, 40);
    pane.wait_for("■ finished", WAIT);
    pane.keys(&["c", "4", "0", "Enter"]);
    pane.wait_for("P(A) 40%", WAIT);

    pane.keys(&["[", "["]);
    pane.keys(&["t"]);
    pane.wait_for("Annotate turn", WAIT);
    pane.keys(&["2", "Tab"]);
    pane.type_text("flatters the judge");
    pane.keys(&["Enter"]);
    pane.wait_for("Annotated turn", WAIT);

    pane.keys(&["["]);
    pane.keys(&["V"]);
    pane.wait_for("Span of turn", WAIT);
    pane.keys(&["j", "t"]);
    pane.wait_for("Annotate a span", WAIT);
    pane.keys(&["3", "Enter"]);
    pane.wait_for("Annotated a span", WAIT);

    // No debater speaks again, so a message would reach no one.
    pane.keys(&["i"]);
    pane.wait_for("no debater would read a message", WAIT);

    pane.keys(&["c", "3", "5", "Enter"]);
    pane.wait_for("P(A) 35%", WAIT);
    pane.keys(&["v", "b", "Tab", "6", "5", "Tab"]);
    pane.type_text("Equity and sequencing outweigh the traffic gains.");
    pane.keys(&["Enter"]);
    pane.wait_for("verdict B 65%", WAIT);
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);

    let file = pane.session_file();
    let s = read_json(&file);
    let annotations = s["annotations"].as_array().unwrap();
    assert_eq!(annotations.len(), 2);
    assert_eq!(annotations[0]["tags"][0], "sycophantic");
    assert_eq!(annotations[0]["note"], "flatters the judge");
    assert!(annotations[0]["span"].is_null());
    assert_eq!(annotations[1]["tags"][0], "unsupported");
    let quote = annotations[1]["quote"].as_str().unwrap();
    let turn = annotations[1]["turn"].as_u64().unwrap() as usize;
    assert!(s["turns"][turn]["text"].as_str().unwrap().contains(quote));
    assert!(
        annotations[1]["turn"] != annotations[0]["turn"],
        "two different turns"
    );
    let events = s["judge_events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        vec!["credence", "annotate", "annotate", "credence", "verdict"]
    );
    assert_eq!(events[3]["p_a"], 0.35);
    assert_eq!(s["verdict"]["winner"], "B");
    assert_eq!(s["verdict"]["ended"], "every round was played");

    // Reopen it: everything is there.
    let path = file.to_string_lossy().into_owned();
    let replay = Pane::start("annotate-replay", &["replay", &path], 120, 40);
    replay.wait_for("Replay: n steps one turn", WAIT);
    replay.keys(&["Space"]);
    let screen = replay.wait_for("replay ended", WAIT);
    assert!(
        screen.contains("verdict B 65%") && screen.contains("P(A) 35%"),
        "{screen}"
    );
    replay.keys(&["A"]);
    let screen = replay.wait_for("Annotations · 2", WAIT);
    assert!(
        screen.contains("[sycophantic]") && screen.contains("[unsupported]"),
        "{screen}"
    );
    assert!(screen.contains("flatters the judge"), "{screen}");
    replay.keys(&["q"]);
    replay.wait_for("EXIT=0", WAIT);
}

/// Waits until the session file has `n` turns (saves happen off the UI thread).
fn wait_for_turns(pane: &Pane, n: usize) -> std::path::PathBuf {
    let start = std::time::Instant::now();
    loop {
        if let Ok(entries) = std::fs::read_dir(pane.sessions_dir()) {
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "json")
                    && let Ok(text) = std::fs::read_to_string(&p)
                    && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
                    && v["turns"].as_array().is_some_and(|t| t.len() >= n)
                {
                    return p;
                }
            }
        }
        assert!(start.elapsed() < WAIT, "no session file with {n} turns");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_debate_killed_mid_turn_is_resumed_and_nothing_is_lost() {
    let pane = Pane::start("crash", &["demo", "--pace", "25"], 100, 30);
    let file = wait_for_turns(&pane, 1);
    pane.wait_for("B speaking", WAIT);
    // A crash: no chance to save the turn under way.
    let shell = pane.pane_pid();
    let status = std::process::Command::new("pkill")
        .args(["-KILL", "-P", &shell.to_string(), "agon"])
        .status()
        .unwrap();
    assert!(status.success());
    pane.wait_for("EXIT=137", WAIT);
    let before = read_json(&file);
    assert_eq!(
        before["status"], "running",
        "the file says the debate is unfinished"
    );
    let kept: Vec<String> = before["turns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kept.len(), 1);

    let path = file.to_string_lossy().into_owned();
    let resumed = Pane::start("resume", &["resume", &path, "--pace", "0"], 100, 30);
    resumed.wait_for("■ finished", WAIT);
    resumed.keys(&["q"]);
    resumed.wait_for("EXIT=0", WAIT);
    let after = read_json(&file);
    let turns = after["turns"].as_array().unwrap();
    assert_eq!(
        turns.len(),
        8,
        "the cut-off turn is played again; none is doubled"
    );
    assert_eq!(
        turns[0]["text"],
        kept[0].as_str(),
        "what was saved is untouched"
    );
    assert_eq!(turns[1]["side"], "B");
    assert!(turns.iter().all(|t| t["status"] == "complete"));
    assert_eq!(after["status"], "finished");
}

#[test]
fn a_saved_debate_forks_into_a_new_session_that_remembers_its_origin() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sessions/example-congestion-pricing.json"
    );
    let pane = Pane::start(
        "fork",
        &["fork", example, "--after-turn", "3", "--pace", "0"],
        100,
        30,
    );
    pane.wait_for("■ finished", WAIT);
    pane.keys(&["q"]);
    pane.wait_for("EXIT=0", WAIT);
    let s = read_json(&pane.session_file());
    assert_eq!(s["forked_from"]["turns_kept"], 3);
    assert_eq!(s["forked_from"]["file"], example);
    let original = read_json(std::path::Path::new(example));
    assert_eq!(s["forked_from"]["session_id"], original["id"]);
    assert_ne!(s["id"], original["id"]);
    let turns = s["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 8);
    for i in 0..3 {
        assert_eq!(turns[i]["text"], original["turns"][i]["text"]);
    }
    assert!(s["verdict"].is_null(), "the fork is judged afresh");
}

#[test]
fn a_second_judge_rejudges_a_recorded_debate_blind() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("debate.json");
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sessions/example-congestion-pricing.json"
    );
    std::fs::copy(example, &file).unwrap();
    let original = read_json(&file);
    let path = file.to_string_lossy().into_owned();

    let pane = Pane::start("rejudge", &["rejudge", &path, "--blind"], 120, 40);
    let screen = pane.wait_for("Re-judging", WAIT);
    assert!(screen.contains("blind"), "{screen}");
    assert!(
        !screen.contains("verdict B 70%"),
        "the first verdict is hidden: {screen}"
    );
    pane.keys(&["Space"]);
    let screen = pane.wait_for("replay ended", WAIT);
    assert!(
        !screen.contains("⚖B"),
        "the first judge's rulings are hidden: {screen}"
    );
    pane.keys(&["c", "5", "0", "Enter"]);
    pane.wait_for("P(A) 50%", WAIT);
    pane.keys(&["v", "a", "Enter"]);
    let screen = pane.wait_for("verdict A 50%", WAIT);
    assert!(
        screen.contains("A Pro"),
        "the debaters are revealed after the verdict: {screen}"
    );
    pane.keys(&["q"]);
    let screen = pane.wait_for("EXIT=0", WAIT);
    assert!(screen.contains("Judgement saved to"), "{screen}");

    let s = read_json(&file);
    assert_eq!(
        s["judge_events"], original["judge_events"],
        "the first judgement is untouched"
    );
    assert_eq!(s["verdict"], original["verdict"]);
    assert_eq!(s["tree"], original["tree"]);
    let j = &s["judgements"][0];
    assert_eq!(j["id"], 1);
    assert_eq!(j["blind"], true);
    assert_eq!(j["verdict"]["winner"], "A");
    assert_eq!(j["verdict"]["confidence"], 0.5);
    assert_eq!(j["judge_events"].as_array().unwrap().len(), 2);

    // Each judgement replays on its own; the replay says how they differ.
    let replay = Pane::start("rejudge-replay", &["replay", &path], 120, 40);
    replay.wait_for("judge 0: B 70% · judge 1, blind: A 50%", WAIT);
    replay.keys(&["q"]);
    replay.wait_for("EXIT=0", WAIT);
    let replay = Pane::start(
        "rejudge-replay-1",
        &["replay", &path, "--judgement", "1"],
        120,
        40,
    );
    replay.keys(&["Space"]);
    replay.wait_for("verdict A 50%", WAIT);
    replay.keys(&["q"]);
    replay.wait_for("EXIT=0", WAIT);
}
