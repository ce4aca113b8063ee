pub mod drive;
pub mod engine;
pub mod servers;
pub mod stream;
pub mod tmux;
