//! Containing a panic in work on one file, so it becomes that file's error instead of taking
//! its neighbours, or the app, down with it.
//!
//! A caught panic still runs the process's panic hook, and the TUI's hook (ratatui's) restores
//! the terminal, which would leave a running app drawing into a plain screen. So while
//! [`catch`] runs, [`is_catching`] is true on that thread, and the TUI's hook
//! (`cli::terminal`) stays quiet for such a panic and only logs it.

use std::any::Any;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic in it comes back as `Err` with the panic's message.
///
/// Only for work whose state a panic cannot leave half-changed for others: `f` is treated as
/// unwind-safe.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = CATCHING.replace(true);
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.set(was);
    result.map_err(|payload| message(payload.as_ref()))
}

/// Whether a panic on this thread now would be caught by [`catch`].
pub fn is_catching() -> bool {
    CATCHING.get()
}

/// The message a panic was raised with.
pub fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_the_flag_is_restored() {
        assert!(!is_catching());
        assert_eq!(catch(|| 7), Ok(7));
        let inner = catch(is_catching).unwrap();
        assert!(inner, "set while the work runs");
        assert_eq!(
            catch(|| panic!("boom {}", 1)),
            Err::<(), _>("boom 1".into())
        );
        assert_eq!(catch(|| panic!("static")), Err::<(), _>("static".into()));
        assert!(!is_catching(), "cleared after a panic too");
        let nested = catch(|| {
            let _ = catch(|| panic!("inner"));
            is_catching()
        });
        assert_eq!(
            nested,
            Ok(true),
            "an inner catch leaves the outer one's flag set"
        );
    }
}
