pub mod engine;
pub mod servers;
pub mod tmux;
