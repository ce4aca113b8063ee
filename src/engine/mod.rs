//! The debate engine: the protocol, without a screen.

pub mod headless;
