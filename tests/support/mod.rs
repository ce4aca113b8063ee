pub mod servers;
pub mod tmux;
