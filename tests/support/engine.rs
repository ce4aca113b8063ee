//! One turn through the real engine and driver, as the app and headless runs make it: the
//! provider's request, the engine's retries with their waits, the turn as recorded.

#![allow(dead_code)]

use agon::domain::{Format, Session, Turn};
use agon::engine::driver::{Debaters, Driver};
use agon::engine::{Engine, EngineConfig, Event, Input, Mode, Output};
use agon::providers::Provider;
use agon::providers::retry::RetryPolicy;
use agon::providers::scripted::script::DemoScript;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

pub struct TurnOutcome {
    pub turn: Turn,
    /// The wait before each retry, in order.
    pub waits: Vec<Duration>,
    /// Why each retry was needed.
    pub reasons: Vec<String>,
}

impl TurnOutcome {
    pub fn error(&self) -> String {
        self.turn.error.clone().unwrap_or_default()
    }
}

/// A one-turn debate: a consultancy of one round, so exactly one turn is played.
pub fn one_turn_session() -> Session {
    let mut setup = DemoScript::bundled().expect("demo").setup();
    setup.protocol.format = Format::Consultancy;
    setup.protocol.rounds = 1;
    setup.debaters.truncate(1);
    Session::new(setup, OffsetDateTime::now_utc())
}

/// Plays the first turn of a one-turn debate with `provider` and `retry`.
pub async fn one_turn(provider: Arc<dyn Provider>, retry: RetryPolicy) -> TurnOutcome {
    let cfg = EngineConfig {
        retry,
        ..EngineConfig::default()
    };
    one_turn_with(provider, cfg).await
}

/// [`one_turn`] with the engine configured as given (repair of unreadable claims, say).
pub async fn one_turn_with(provider: Arc<dyn Provider>, cfg: EngineConfig) -> TurnOutcome {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Input>();
    let mut engine = Engine::new(one_turn_session(), Mode::Live, cfg, None);
    let mut driver = Driver::new(
        Debaters::both(provider),
        Arc::new(move |input| {
            let _ = tx.send(input);
        }),
    );
    let mut outputs = engine.start(OffsetDateTime::now_utc());
    let (mut waits, mut reasons) = (Vec::new(), Vec::new());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        driver.run(&outputs, engine.session());
        let mut over = engine.is_finished();
        for o in &outputs {
            match o {
                Output::Event(Event::Retrying { wait, reason, .. }) => {
                    waits.push(*wait);
                    reasons.push(reason.clone());
                }
                Output::Event(Event::TurnFailed { .. }) => over = true,
                _ => {}
            }
        }
        if over {
            break;
        }
        let input = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the turn ends in time")
            .expect("inputs keep coming");
        outputs = engine.handle(input, OffsetDateTime::now_utc());
    }
    driver.shutdown(Duration::from_secs(1)).await;
    TurnOutcome {
        turn: engine.session().turns()[0].clone(),
        waits,
        reasons,
    }
}
