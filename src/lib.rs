//! agon: a terminal app for judging AI debates.
//!
//! Layers, from the inside out:
//! - [`domain`]: debates, turns, claims, the claim tree, judge events, sessions. Plain Rust.
//! - [`provider`]: debaters behind one streaming interface (scripted demo, replay).
//! - [`app`]: the single owner of state; `update(msg) -> effects`.
//! - [`ui`]: drawing with ratatui, with render caches so frames cost what is visible.
//! - [`runtime`], [`terminal`], [`storage`], [`cli`]: the edges (tokio tasks, the TTY, files).

pub mod app;
pub mod browser;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod headless;
pub mod logging;
pub mod provider;
pub mod runtime;
pub mod sanitize;
pub mod storage;
pub mod terminal;
pub mod ui;
