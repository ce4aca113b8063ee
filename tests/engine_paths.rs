//! One engine behind both ways of running a debate: the same scripted debate played through the
//! TUI's app and through `agon run --headless`'s loop gives the same session file, every field
//! but ids and times.

mod support;

use agon::app::{App, Settings};
use agon::domain::Session;
use agon::engine::driver::Debaters;
use agon::engine::headless::{self, Job};
use agon::engine::{Engine, EngineConfig, Mode, SaveTarget};
use agon::providers::scripted::ScriptedProvider;
use agon::providers::scripted::script::DemoScript;
use serde_json::Value;
use std::sync::Arc;
use support::drive::Drive;

fn scripted() -> Debaters {
    let script = Arc::new(DemoScript::bundled().unwrap());
    Debaters::both(Arc::new(ScriptedProvider::new(script, 0.0)))
}

fn session() -> Session {
    Session::new(
        DemoScript::bundled().unwrap().setup(),
        time::OffsetDateTime::now_utc(),
    )
}

/// The session file with what differs between two runs of the same debate blanked out: ids,
/// timestamps and measured durations.
fn comparable(path: &std::path::Path) -> Value {
    fn blank(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    if k == "id" || k.ends_with("_at") || k.ends_with("_ms") || k == "at" {
                        *x = Value::Null;
                    } else {
                        blank(x);
                    }
                }
            }
            Value::Array(xs) => xs.iter_mut().for_each(blank),
            _ => {}
        }
    }
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    blank(&mut v);
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tui_path_and_headless_record_the_same_debate() {
    let dir = tempfile::tempdir().unwrap();

    let job = Job {
        session: session(),
        target: SaveTarget::New {
            dir: dir.path().join("headless"),
            name: None,
        },
        label: "[debate 1]".into(),
    };
    let headless_path = headless::run_one(job, scripted(), EngineConfig::default())
        .await
        .unwrap();

    let engine = Engine::new(
        session(),
        Mode::Live,
        EngineConfig::default(),
        Some(SaveTarget::New {
            dir: dir.path().join("tui"),
            name: None,
        }),
    );
    let mut drive = Drive::new(App::new(engine, Settings::default()), scripted(), 120, 40);
    drive.start();
    drive.until(|app| app.engine.is_finished()).await;
    let app = drive.quit().await;
    let tui_path = app.engine.saving().path().unwrap().to_path_buf();
    assert!(app.engine.saving().saved_once() && !app.engine.saving().is_failing());

    let (a, b) = (comparable(&headless_path), comparable(&tui_path));
    assert_eq!(a["turns"].as_array().map(Vec::len), Some(8));
    assert_eq!(a, b);
}
