//! Taking over the terminal and always giving it back: on normal exit, on error and on panic.

use anyhow::{Context, Result};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use std::io::{IsTerminal, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the screens take the mouse (`--no-mouse` and `[ui] mouse = false` leave it to the
/// terminal, for its own text selection). Set once at start, read when a screen starts.
static MOUSE_WANTED: AtomicBool = AtomicBool::new(false);
/// Whether mouse capture is on now, so every way out turns it off again.
static MOUSE_ON: AtomicBool = AtomicBool::new(false);

pub fn want_mouse(on: bool) {
    MOUSE_WANTED.store(on, Ordering::Relaxed);
}

/// Turns mouse capture on or off, if it is wanted at all.
fn capture_mouse(on: bool) {
    if on && !MOUSE_WANTED.load(Ordering::Relaxed) {
        return;
    }
    if MOUSE_ON.swap(on, Ordering::SeqCst) != on {
        let _ = if on {
            execute!(stdout(), EnableMouseCapture)
        } else {
            execute!(stdout(), DisableMouseCapture)
        };
    }
}

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
        // A panic agon contains and reports as an error (see `storage::contain`) must not
        // restore the terminal under the running app: it is only logged.
        let restore_and_report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if crate::storage::contain::is_catching() {
                tracing::error!("contained panic: {info}");
            } else {
                // A terminal left reporting the mouse would fill the shell with escape codes.
                capture_mouse(false);
                restore_and_report(info);
            }
        }));
        let _ = execute!(stdout(), EnableBracketedPaste);
        capture_mouse(true);
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        capture_mouse(false);
        let _ = execute!(stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

/// The sequence that puts `text` on the clipboard of the terminal agon runs in: OSC 52 with
/// the text in base64. Sent as it is, also inside tmux: tmux 3.3 and later take it and pass it
/// on when `set -g set-clipboard on` (a DCS passthrough would need `allow-passthrough`, off by
/// default, and would skip tmux's own buffers).
pub fn osc52(text: &str) -> String {
    format!(
        "\x1b]52;c;{}\x07",
        crate::text::base64::encode(text.as_bytes())
    )
}

/// Writes [`osc52`] for `text` to the terminal.
pub fn copy_to_clipboard(out: &mut impl std::io::Write, text: &str) -> std::io::Result<()> {
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

/// Leaves the TUI, opens `$VISUAL` or `$EDITOR` (else `vi`) on `initial`, and comes back.
/// Returns what the judge wrote.
pub fn edit_in_editor(initial: &str) -> Result<String, String> {
    use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let file = note_file(initial).map_err(|e| {
        format!(
            "cannot create a temporary file for the note in {}: {e} (set TMPDIR to a folder you may write to)",
            std::env::temp_dir().display()
        )
    })?;
    // The editor gets the terminal as it would from a shell: no mouse reports.
    let mouse = MOUSE_ON.load(Ordering::SeqCst);
    capture_mouse(false);
    ratatui::restore();
    // Through the shell so an EDITOR with arguments ("code --wait") works.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status();
    let _ = enable_raw_mode();
    let _ = execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste);
    capture_mouse(mouse);
    // By path: an editor may save by renaming a new file over the one it was given.
    let text = crate::text::read_to_string_capped(file.path(), MAX_NOTE_BYTES, "note");
    // Deleted only now, after the editor has closed and the note is read back.
    drop(file);
    match status {
        Ok(s) if s.success() => text.map_err(|e| e.to_string()),
        Ok(s) => Err(format!("{editor} exited with {s}")),
        Err(e) => Err(format!("cannot run {editor}: {e}")),
    }
}

/// The largest note read back from the editor.
const MAX_NOTE_BYTES: u64 = 16 * crate::text::capped::MIB;

/// The note's temporary file, holding `initial`: an unpredictable name, so no other user can
/// guess it or put a file or link there first; readable by its owner only (0600 on Unix), as
/// notes can quote what the judge may not share; `.md`, so the editor highlights Markdown.
/// Deleted when dropped.
fn note_file(initial: &str) -> std::io::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let mut file = tempfile::Builder::new()
        .prefix("agon-note-")
        .suffix(".md")
        .tempfile()?;
    file.write_all(initial.as_bytes())?;
    file.flush()?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_one_osc_52_sequence() {
        assert_eq!(osc52("foobar"), "\x1b]52;c;Zm9vYmFy\x07");
        let mut out = Vec::new();
        copy_to_clipboard(&mut out, "é").unwrap();
        assert_eq!(out, b"\x1b]52;c;w6k=\x07");
    }

    #[test]
    fn the_note_file_is_private_unguessable_markdown_and_goes_away() {
        let a = note_file("# draft\n").unwrap();
        let b = note_file("").unwrap();
        assert_ne!(a.path(), b.path());
        let name = a.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("agon-note-") && name.ends_with(".md"),
            "{name}"
        );
        assert_eq!(std::fs::read_to_string(a.path()).unwrap(), "# draft\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(a.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{mode:o}");
        }
        let path = a.path().to_path_buf();
        drop(a);
        assert!(!path.exists());
    }
}
