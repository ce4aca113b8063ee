//! A claim chain 50,000 deep (each claim attacking the one before) goes through every walk of
//! the tree: the exports, the debater's prompt, the analysis, and the resumed app's frames. None
//! recurses (the stack would overflow), and nested lists stop indenting after a few levels (the
//! Markdown once grew with the depth: 1 MB in, 100 MB out).

mod support;

use agon::app::{App, Msg, Settings};
use agon::domain::Side;
use agon::engine::driver::Debaters;
use agon::engine::{Engine, EngineConfig, Mode};
use agon::export::{Format, export};
use agon::providers::scripted::ScriptedProvider;
use agon::providers::scripted::script::DemoScript;
use ratatui::crossterm::event::KeyCode;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::drive::Drive;

const DEPTH: usize = 50_000;

/// The bundled example with its tree replaced by one chain, as a file would hold it.
fn deep_session() -> (agon::domain::Session, usize) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sessions/example-congestion-pricing.json"
    );
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let root = v["tree"]["nodes"][0].clone();
    let mut nodes = vec![root];
    let mut parent = "root".to_string();
    for i in 1..=DEPTH {
        let (side, rel) = if i % 2 == 1 {
            ("A", if i == 1 { "supports" } else { "attacks" })
        } else {
            ("B", "attacks")
        };
        let id = format!("{side}{i}");
        nodes.push(
            json!({"id": id, "parent": parent, "text": format!("claim {i} answers {parent}"),
            "side": side, "relation": rel, "turn": i % 12}),
        );
        parent = id;
    }
    v["tree"]["nodes"] = Value::Array(nodes);
    v["judge_events"] = json!([]);
    v["verdict"] = Value::Null;
    v["status"] = json!("running");
    v["protocol"]["rounds"] = json!(8);
    let bytes = serde_json::to_vec(&v).unwrap();
    let loaded = agon::storage::parse(Path::new("deep.json"), &bytes).unwrap();
    let tree_text: usize = loaded
        .session
        .tree
        .nodes()
        .iter()
        .map(|n| n.id.len() + n.text.len())
        .sum();
    (loaded.session, tree_text)
}

/// Runs `f` on a thread with a small stack, as a recursion 50,000 deep would not fit in it.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

fn timed<T>(what: &str, budget: Duration, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    eprintln!("{what}: {took:?}");
    assert!(took < budget, "{what} took {took:?}");
    out
}

#[test]
fn every_walk_of_a_50000_deep_chain_is_flat_and_bounded() {
    let (session, tree_text) = deep_session();
    let session = Arc::new(session);
    let budget = Duration::from_secs(3);
    let s = session.clone();
    on_small_stack(move || {
        assert_eq!(s.tree.depth(), DEPTH);
        for format in [Format::Markdown, Format::Html, Format::Jsonl] {
            let out = timed(&format!("export {format:?}"), budget, || export(&s, format));
            eprintln!("  {} bytes for {tree_text} bytes of tree text", out.len());
            assert!(
                out.len() < 20 * tree_text + 200_000,
                "{format:?}: {} bytes for {tree_text} bytes of tree",
                out.len()
            );
        }
        let md = export(&s, Format::Markdown);
        assert!(md.contains("[depth 50000]"), "the depth is written out");
        assert!(!md.contains(&" ".repeat(40)), "the indent stops growing");
        let prompt = timed("prompt", budget, || {
            agon::providers::prompt::turn_message(&s, Side::A, 1, "root")
        });
        assert!(prompt.len() < 20 * tree_text, "{} bytes", prompt.len());
        assert!(prompt.contains("[depth 50000]"));
        let analysis = timed("analysis", budget, || agon::domain::Analysis::of(&s.tree));
        assert_eq!(analysis.p_stands.len(), DEPTH + 1);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_50000_deep_chain_draws_quickly() {
    let (session, _) = deep_session();
    let script = Arc::new(DemoScript::bundled().unwrap());
    let debaters = Debaters::both(Arc::new(ScriptedProvider::new(script, 0.0)));
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), None);
    let mut d = Drive::new(App::new(engine, Settings::default()), debaters, 120, 40);
    timed("first frame", Duration::from_secs(3), || d.draw());
    timed(
        "the tree pane, 5,000 claims down",
        Duration::from_secs(5),
        || {
            d.update(Msg::Key(key(KeyCode::Tab)));
            for _ in 0..500 {
                d.key(KeyCode::PageDown);
            }
        },
    );
    assert!(d.app.tree.selected() >= 5_000, "{}", d.app.tree.selected());
    let frame = d.frames.last().unwrap();
    assert!(frame.contains("claim 5000 answers"), "{frame}");
}

fn key(code: KeyCode) -> ratatui::crossterm::event::KeyEvent {
    ratatui::crossterm::event::KeyEvent::new(code, ratatui::crossterm::event::KeyModifiers::NONE)
}
