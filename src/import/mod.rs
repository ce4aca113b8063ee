//! Debates recorded elsewhere, read into agon sessions.
//!
//! - [`nyu`]: the NYU debate platform's rooms (`agon import nyu`).
//! - [`detok`]: tokenised source texts back to readable text, with each token's place in it.

pub mod detok;
pub mod nyu;
