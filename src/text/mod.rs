//! Text utilities every layer shares: display-width wrapping, and making untrusted text inert.

pub mod redact;
pub mod sanitize;
pub mod wrap;

pub use sanitize::inert;
pub use wrap::{truncate, wrap};
