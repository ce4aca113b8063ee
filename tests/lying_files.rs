//! Session files that lie about their turns: each is rejected naming the field, or opens
//! read-only naming it, and whatever opens goes through export, replay, a resumed debate, undo,
//! forks and re-judgements' views without a panic.

mod support;

use agon::app::{App, Settings};
use agon::engine::driver::Debaters;
use agon::engine::{Engine, EngineConfig, Mode};
use agon::export::{Format, export};
use agon::providers::recorded::RecordedProvider;
use agon::providers::scripted::ScriptedProvider;
use agon::providers::scripted::script::DemoScript;
use ratatui::crossterm::event::KeyCode;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use support::drive::Drive;
use time::OffsetDateTime;

/// What loading a lie must give: rejection or read-only, with this text in the message.
enum Expect {
    Rejected(&'static str),
    ReadOnly(&'static str),
    Opens,
}

/// The bundled example with annotations and a blind re-judgement added, so every kind of
/// reference is present.
fn example() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sessions/example-congestion-pricing.json"
    );
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let on_turn = json!({"id": 1, "turn": 2, "span": {"start": 0, "end": 10}, "quote": "Road space",
        "tags": ["deceptive"]});
    v["annotations"] = json!([on_turn, {"id": 2, "node": "B2", "tags": [], "note": "hi"}]);
    v["judge_events"].as_array_mut().unwrap().push(
        json!({"at": "2026-03-14T15:20:00Z", "after_turn": 11, "kind": "annotate",
            "annotation": on_turn}),
    );
    v["judgements"] = json!([{"id": 1, "blind": true, "started_at": "2026-03-14T16:00:00Z",
        "judge_events": [
            {"at": "2026-03-14T16:01:00Z", "after_turn": 1, "kind": "credence", "node": "root", "p_a": 0.4},
            {"at": "2026-03-14T16:02:00Z", "after_turn": 7, "kind": "verdict", "winner": "A",
             "confidence": 0.6, "rationale": ""}],
        "verdict": {"winner": "A", "confidence": 0.6, "rationale": "", "at": "2026-03-14T16:02:00Z"},
        "annotations": [{"id": 1, "turn": 5, "tags": ["unsupported"]}]}]);
    v["ground_truth"] = json!("B");
    v
}

fn lies() -> Vec<(&'static str, Expect, Value)> {
    use Expect::*;
    let mut out = Vec::new();
    let mut lie = |name, expect, edit: &dyn Fn(&mut Value)| {
        let mut v = example();
        edit(&mut v);
        out.push((name, expect, v));
    };
    lie("nothing", Opens, &|_| {});
    lie(
        "a turn index of 2^32 - 1",
        Rejected("turns[3].index is 4294967295; turns must be numbered 0, 1, 2... in order"),
        &|v| v["turns"][3]["index"] = json!(u32::MAX),
    );
    lie(
        "a turn index of 2^64 - 1",
        Rejected("turns[3].index is 18446744073709551615"),
        &|v| v["turns"][3]["index"] = json!(u64::MAX),
    );
    lie("shuffled turns", Rejected("turns[1].index is 5"), &|v| {
        v["turns"].as_array_mut().unwrap().swap(1, 5)
    });
    lie("reversed turns", Rejected("turns[0].index is 11"), &|v| {
        v["turns"].as_array_mut().unwrap().reverse()
    });
    lie(
        "a duplicated index",
        Rejected("turns[2].index is 1"),
        &|v| v["turns"][2]["index"] = json!(1),
    );
    lie(
        "an annotation on turn 9999",
        ReadOnly("annotations[0].turn is 9999, but the session has 12 turns (0 to 11)"),
        &|v| v["annotations"][0]["turn"] = json!(9999),
    );
    lie(
        "an annotation on turn 2^64 - 1",
        ReadOnly("annotations[0].turn is 18446744073709551615"),
        &|v| v["annotations"][0]["turn"] = json!(u64::MAX),
    );
    lie(
        "an annotation event on turn 9999",
        ReadOnly("judge_events[6].annotation.turn is 9999"),
        &|v| v["judge_events"][6]["annotation"]["turn"] = json!(9999),
    );
    lie(
        "a re-judge's annotation past the end",
        ReadOnly("judgements[0].annotations[0].turn is 18446744073709551615"),
        &|v| v["judgements"][0]["annotations"][0]["turn"] = json!(u64::MAX),
    );
    lie(
        "a judge event after turn 9999",
        ReadOnly("judge_events[0].after_turn is 9999"),
        &|v| v["judge_events"][0]["after_turn"] = json!(9999),
    );
    lie(
        "every judge event after turn 2^64 - 1",
        ReadOnly("judge_events[0].after_turn is 18446744073709551615"),
        &|v| {
            for e in v["judge_events"].as_array_mut().unwrap() {
                e["after_turn"] = json!(u64::MAX);
            }
        },
    );
    lie(
        "a re-judge's verdict after turn 2^64 - 1",
        ReadOnly("judgements[0].judge_events[1].after_turn is 18446744073709551615"),
        &|v| v["judgements"][0]["judge_events"][1]["after_turn"] = json!(u64::MAX),
    );
    lie(
        "a node made by turn 9999",
        ReadOnly("tree.nodes[3].turn (node A3) is 9999"),
        &|v| v["tree"]["nodes"][3]["turn"] = json!(9999),
    );
    lie(
        "a node made by turn 2^64 - 1",
        ReadOnly("tree.nodes[3].turn (node A3) is 18446744073709551615"),
        &|v| v["tree"]["nodes"][3]["turn"] = json!(u64::MAX),
    );
    lie(
        "a node whose parent does not exist",
        Rejected("tree node A3 names parent nowhere, which does not exist"),
        &|v| v["tree"]["nodes"][3]["parent"] = json!("nowhere"),
    );
    lie(
        "no turns under a judged tree",
        ReadOnly("but the session has no turns"),
        &|v| v["turns"] = json!([]),
    );
    lie(
        "a re-judgement numbered 2^32 - 1",
        ReadOnly("judgements[0].id is 4294967295; judgements must be numbered 1, 2, 3... in order"),
        &|v| v["judgements"][0]["id"] = json!(u32::MAX),
    );
    // Values the format leaves unchecked: they must simply not break anything.
    lie("a span past the text", Opens, &|v| {
        v["annotations"][0]["span"] = json!({"start": 5, "end": u64::MAX})
    });
    lie("a span backwards", Opens, &|v| {
        v["annotations"][0]["span"] = json!({"start": 9, "end": 2})
    });
    lie("a merge into nowhere", Opens, &|v| {
        v["tree"]["nodes"][3]["merged_into"] = json!("nowhere")
    });
    lie("round 2^32 - 1", Opens, &|v| {
        v["turns"][0]["round"] = json!(u32::MAX)
    });
    lie("2^32 - 1 rounds", Opens, &|v| {
        v["protocol"]["rounds"] = json!(u32::MAX)
    });
    lie("a streaming turn in the middle", Opens, &|v| {
        v["turns"][3]["status"] = json!("streaming")
    });
    lie("a fork that kept 2^64 - 1 turns", Opens, &|v| {
        v["forked_from"] = json!({"session_id": "x", "turns_kept": u64::MAX})
    });
    lie("a cut past the text", Opens, &|v| {
        v["turns"][0]["cut"] = json!({"limit": "3 words", "at": u64::MAX, "removed": "zz"})
    });
    lie(
        "a quote past the text",
        Opens,
        &|v| {
            v["turns"][0]["quotes"] =
                json!([{"at": {"start": 3, "end": u64::MAX}, "text": "q", "class": "exact"}])
        },
    );
    lie("a drill of 2^32 - 1 rounds", Opens, &|v| {
        for e in v["judge_events"].as_array_mut().unwrap() {
            if e["kind"] == "drill" {
                e["rounds"] = json!(u32::MAX);
            }
        }
    });
    out
}

/// Everything a loaded session goes through outside the screen.
fn offline_paths(s: &agon::domain::Session) {
    for format in [Format::Markdown, Format::Html, Format::Jsonl] {
        assert!(!export(s, format).is_empty());
    }
    for k in 0..=s.turns().len() + 1 {
        let then = s.as_of(k);
        let _ = agon::domain::Analysis::of(&then.tree);
    }
    let _ = s.fork(3, None, OffsetDateTime::now_utc());
    for j in s.all_judgements() {
        let _ = j.scores(s);
    }
    let _ = s.as_judged_by(1);
    let mut rebuilt = s.clone();
    rebuilt.rebuild();
    let mut undone = s.clone();
    while undone.undo(OffsetDateTime::now_utc()).is_some() {}
}

const KEYS: [KeyCode; 12] = [
    KeyCode::Tab,
    KeyCode::Down,
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Char('A'),
    KeyCode::Tab,
    KeyCode::Down,
    KeyCode::Char('G'),
    KeyCode::Char('g'),
    KeyCode::Esc,
    KeyCode::Char('u'),
    KeyCode::Char('?'),
];

/// The replay, played to its end and looked around in.
async fn replay(s: agon::domain::Session) {
    let provider = Arc::new(RecordedProvider::new(Arc::new(s.clone()), 0.0));
    let engine = Engine::replay(s, EngineConfig::default());
    let settings = Settings {
        read_only: Some("replay".into()),
        ..Settings::default()
    };
    let mut d = Drive::new(
        App::new(engine, settings),
        Debaters::both(provider),
        100,
        30,
    );
    d.start();
    d.key(KeyCode::Char(' '));
    let played = tokio::time::timeout(
        Duration::from_secs(10),
        d.until_drawing_every(97, |a| a.engine.is_finished()),
    )
    .await;
    assert!(played.is_ok(), "the replay plays to its end");
    for k in KEYS {
        d.key(k);
    }
}

/// The session continued live, as `agon resume` does with the scripted debaters.
fn resume(s: agon::domain::Session) {
    let script = Arc::new(DemoScript::bundled().unwrap());
    let debaters = Debaters::both(Arc::new(ScriptedProvider::new(script, 0.0)));
    let engine = Engine::new(s, Mode::Live, EngineConfig::default(), None);
    let mut d = Drive::new(App::new(engine, Settings::default()), debaters, 100, 30);
    d.start();
    for k in KEYS {
        d.key(k);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_that_lie_about_their_turns_are_refused_or_read_only_and_never_panic() {
    for (name, expect, v) in lies() {
        let bytes = serde_json::to_vec(&v).unwrap();
        let loaded = agon::storage::parse(Path::new("lying.json"), &bytes);
        let loaded = match (expect, loaded) {
            (Expect::Rejected(why), Err(e)) => {
                let e = e.to_string();
                assert!(
                    e.starts_with("lying.json: ") && e.contains(why),
                    "{name}: {e}"
                );
                continue;
            }
            (Expect::ReadOnly(why), Ok(l)) => {
                let reason = l.read_only_reason.clone().unwrap_or_default();
                assert!(
                    reason.contains(why)
                        && reason.ends_with(
                            "opened read-only (agon does not rewrite references it cannot place)"
                        ),
                    "{name}: {reason}"
                );
                l
            }
            (Expect::Opens, Ok(l)) => {
                assert_eq!(l.read_only_reason, None, "{name}");
                l
            }
            (_, Err(e)) => panic!("{name}: rejected: {e}"),
            (_, Ok(l)) => panic!("{name}: opened ({:?})", l.read_only_reason),
        };
        let s = loaded.session;
        offline_paths(&s);
        replay(s.clone()).await;
        if let Some(rejudged) = s.as_judged_by(1) {
            replay(rejudged).await;
        }
        resume(s);
    }
}
