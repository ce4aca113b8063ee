//! Taking over the terminal and always giving it back: on normal exit, on error and on panic.

use anyhow::{Context, Result};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use std::io::{IsTerminal, stdout};

/// Owns the terminal while the TUI runs; restores it when dropped.
pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn enter() -> Result<Self> {
        if !stdout().is_terminal() || !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "agon's screen needs a terminal (stdin and stdout must be a TTY); for scripts use `agon replay`'s file or the session JSON directly"
            );
        }
        // ratatui's init installs a panic hook that restores the terminal before the panic
        // message is printed, then calls the previous hook.
        let terminal = ratatui::try_init().context("cannot set up the terminal")?;
        let _ = execute!(stdout(), EnableBracketedPaste);
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}
