//! Driving the app as the runtime does, without a terminal: its effects run on a real driver,
//! and what the driver reports comes back as messages. Each frame can be drawn into a
//! `TestBackend` and read.

#![allow(dead_code)]

use agon::app::{App, Effect, Msg};
use agon::engine::Input;
use agon::engine::driver::{Debaters, Driver};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

pub struct Drive {
    pub app: App,
    driver: Driver,
    rx: UnboundedReceiver<Input>,
    pub terminal: Terminal<TestBackend>,
    ui: agon::ui::Ui,
    /// Every frame drawn, as text.
    pub frames: Vec<String>,
    pub quit: bool,
}

impl Drive {
    pub fn new(app: App, debaters: Debaters, width: u16, height: u16) -> Drive {
        let (tx, rx) = unbounded_channel::<Input>();
        let driver = Driver::new(
            debaters,
            Arc::new(move |input| {
                let _ = tx.send(input);
            }),
        );
        let terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
        let mut d = Drive {
            app,
            driver,
            rx,
            terminal,
            ui: agon::ui::Ui::default(),
            frames: Vec::new(),
            quit: false,
        };
        d.update(Msg::Resize { width, height });
        d
    }

    fn carry_out(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Engine(outputs) => self.driver.run(&outputs, self.app.engine.session()),
                Effect::SaveFile(job) => self.driver.save(job),
                Effect::Editor { .. } | Effect::Copy(_) => {}
                Effect::Quit => self.quit = true,
            }
        }
    }

    pub fn start(&mut self) {
        let effects = self.app.start(OffsetDateTime::now_utc());
        self.carry_out(effects);
        self.draw();
    }

    pub fn update(&mut self, msg: Msg) {
        let effects = self.app.update(msg, OffsetDateTime::now_utc());
        self.carry_out(effects);
    }

    pub fn key(&mut self, code: ratatui::crossterm::event::KeyCode) {
        use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
        self.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.draw();
    }

    pub fn draw(&mut self) {
        let now = OffsetDateTime::now_utc();
        let (app, ui) = (&self.app, &mut self.ui);
        self.terminal
            .draw(|f| agon::ui::draw(f, app, ui, now))
            .expect("draw");
        let buffer = self.terminal.backend().buffer();
        let width = usize::from(buffer.area.width);
        let text: String = buffer
            .content()
            .chunks(width.max(1))
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
            .collect();
        self.frames.push(text);
    }

    /// Takes in what the driver reports, drawing after each, until `done` holds (or 30 s).
    pub async fn until(&mut self, done: impl FnMut(&App) -> bool) {
        self.until_drawing_every(1, done).await;
    }

    /// [`Drive::until`], drawing only after every `n`th report and at the end: for long
    /// streams, where a frame per word would be most of the test's time.
    pub async fn until_drawing_every(&mut self, n: usize, mut done: impl FnMut(&App) -> bool) {
        let mut seen = 0usize;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !done(&self.app) {
            let input = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .expect("the condition holds in time")
                .expect("the driver keeps reporting");
            self.update(Msg::Engine(input));
            seen += 1;
            if seen % n.max(1) == 0 {
                self.draw();
            }
        }
        self.draw();
    }

    /// Quits (as `q`, answering yes if asked) and waits for the last saves.
    pub async fn quit(mut self) -> App {
        use ratatui::crossterm::event::KeyCode;
        self.key(KeyCode::Char('q'));
        if !self.quit {
            self.key(KeyCode::Char('y'));
        }
        assert!(self.quit, "the app quits");
        self.driver.shutdown(Duration::from_secs(10)).await;
        while let Ok(input) = self.rx.try_recv() {
            if matches!(input, Input::Saved { .. }) {
                self.app
                    .update(Msg::Engine(input), OffsetDateTime::now_utc());
            }
        }
        self.app
    }
}
