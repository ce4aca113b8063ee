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

/// Leaves the TUI, opens `$VISUAL` or `$EDITOR` (else `vi`) on `initial`, and comes back.
/// Returns what the judge wrote.
pub fn edit_in_editor(initial: &str) -> Result<String, String> {
    use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let path = std::env::temp_dir().join(format!("agon-note-{}-{nanos}.md", std::process::id()));
    std::fs::write(&path, initial).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    ratatui::restore();
    // Through the shell so an EDITOR with arguments ("code --wait") works.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let _ = enable_raw_mode();
    let _ = execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste);
    let text = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    match status {
        Ok(s) if s.success() => text.map_err(|e| format!("cannot read the note back: {e}")),
        Ok(s) => Err(format!("{editor} exited with {s}")),
        Err(e) => Err(format!("cannot run {editor}: {e}")),
    }
}
