//! Text utilities every layer shares: display-width wrapping, making untrusted text inert, and
//! reading a user's file without trusting its size.

pub mod base64;
pub mod capped;
pub mod find;
pub mod markdown;
pub mod redact;
pub mod sanitize;
pub mod wrap;

pub use capped::{CappedReadError, read_capped, read_to_string_capped};
pub use sanitize::inert;
pub use wrap::{truncate, truncate_start, truncate_words, wrap};
