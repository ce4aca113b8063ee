//! agon: a terminal app for judging AI debates.
//!
//! Layers, from the inside out (each depends only on the ones above it):
//! - [`text`]: display-width wrapping, making untrusted text inert, reading user files with a
//!   size cap. No dependencies.
//! - [`domain`]: debates, turns, claims, the claim tree, judge events, scores, sessions. Plain Rust.
//! - [`theme`]: colours and styles, from TOML theme files.
//! - [`providers`]: debaters behind one streaming interface (LLM wires, scripted demo, replay).
//! - [`engine`]: the debate protocol: who speaks next, retries, drills, the save policy. The TUI
//!   and headless runs both drive it.
//! - [`storage`], [`config`], [`export`], [`import`], [`extract`]: session files and their
//!   index, the config file, exports, debates recorded elsewhere (the NYU platform's), and the
//!   claim trees an extractor model gives recorded debates.
//! - [`questions`]: question sets (JSON Lines), shards, sessions drawn from questions, run files.
//! - [`stats`]: `agon stats`, the numbers debate papers report over a directory of sessions.
//! - [`app`]: the screens' state and their pure `update(msg) -> effects`.
//! - [`ui`]: drawing with ratatui; it paints only the rows in view, from the app's layouts.
//! - [`cli`]: the edges: arguments, the terminal, the event loop, logging.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod engine;
pub mod export;
pub mod extract;
pub mod import;
pub mod providers;
pub mod questions;
pub mod stats;
pub mod storage;
pub mod text;
pub mod theme;
pub mod ui;
