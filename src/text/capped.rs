//! Reading a file the user named without trusting its size.
//!
//! A path in a config file or on the command line can name anything: `/dev/zero`, a FIFO, a
//! 40 GB log. `std::fs::read` reads until the end, however far that is, so every read of such
//! a path goes through [`read_capped`]: it reads through `Read::take(max + 1)`, never asks the
//! file for its size (a device reports 0, and a pipe has none), and stops with an error naming
//! the file and the limit once more than `max` bytes came. (Opening a FIFO still waits for a
//! writer, as `cat` does: a process substitution like `<(echo hi)` is a FIFO too, and works.)
//!
//! It lives in `text`, the leaf layer, because `theme` reads files too and sits below `storage`;
//! `storage` re-exports it.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One mebibyte, the unit the limits are written in.
pub const MIB: u64 = 1 << 20;

/// Why a capped read failed. Each message names the file, what it was for, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum CappedReadError {
    #[error("cannot read the {what} {}: {error}{}", path.display(), hint(error))]
    Io {
        what: String,
        path: PathBuf,
        error: io::Error,
    },
    #[error(
        "the {what} {} is larger than {}; is it the right file?",
        path.display(),
        size_label(*max)
    )]
    TooLarge {
        what: String,
        path: PathBuf,
        max: u64,
    },
    #[error(
        "the {what} {} is not UTF-8 text (the first bad byte is at offset {at}); save it as UTF-8",
        path.display()
    )]
    NotUtf8 {
        what: String,
        path: PathBuf,
        at: usize,
    },
}

impl CappedReadError {
    /// The file does not exist (for files that are optional, like the default config file).
    pub fn is_not_found(&self) -> bool {
        matches!(self, CappedReadError::Io { error, .. } if error.kind() == io::ErrorKind::NotFound)
    }
}

/// What to do about the commonest read errors: "; check the path" and the like, or nothing.
pub fn hint(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::NotFound => "; check the path",
        io::ErrorKind::PermissionDenied => "; check its permissions",
        io::ErrorKind::IsADirectory => "; name a file, not a folder",
        _ => "",
    }
}

/// `max` in the largest unit that divides it: "1 MiB", "64 KiB", "1000 bytes".
pub fn size_label(max: u64) -> String {
    const KIB: u64 = 1 << 10;
    if max >= MIB && max % MIB == 0 {
        format!("{} MiB", max / MIB)
    } else if max >= KIB && max % KIB == 0 {
        format!("{} KiB", max / KIB)
    } else {
        format!("{max} bytes")
    }
}

/// Reads at most `max` bytes of `path`; more is an error. `what` names the file's role in the
/// messages ("theme file", "config file").
pub fn read_capped(path: &Path, max: u64, what: &str) -> Result<Vec<u8>, CappedReadError> {
    let io_error = |error| CappedReadError::Io {
        what: what.to_string(),
        path: path.to_path_buf(),
        error,
    };
    let file = File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    // One byte past the limit tells "exactly max" from "more than max".
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > max {
        return Err(CappedReadError::TooLarge {
            what: what.to_string(),
            path: path.to_path_buf(),
            max,
        });
    }
    Ok(bytes)
}

/// [`read_capped`], as UTF-8 text.
pub fn read_to_string_capped(path: &Path, max: u64, what: &str) -> Result<String, CappedReadError> {
    let bytes = read_capped(path, max, what)?;
    String::from_utf8(bytes).map_err(|e| CappedReadError::NotUtf8 {
        what: what.to_string(),
        path: path.to_path_buf(),
        at: e.utf8_error().valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_the_largest_whole_unit() {
        assert_eq!(size_label(MIB), "1 MiB");
        assert_eq!(size_label(256 * MIB), "256 MiB");
        assert_eq!(size_label(64 << 10), "64 KiB");
        assert_eq!(size_label(MIB + 1024), "1025 KiB");
        assert_eq!(size_label(1000), "1000 bytes");
        assert_eq!(size_label(0), "0 bytes");
    }

    #[test]
    fn a_file_up_to_the_limit_reads_whole_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prompt.md");
        std::fs::write(&path, "abcd").unwrap();
        assert_eq!(read_capped(&path, 4, "prompt").unwrap(), b"abcd");
        let e = read_capped(&path, 3, "system prompt file").unwrap_err();
        assert!(matches!(e, CappedReadError::TooLarge { max: 3, .. }));
        assert_eq!(
            e.to_string(),
            format!(
                "the system prompt file {} is larger than 3 bytes; is it the right file?",
                path.display()
            )
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_stops_at_the_limit() {
        let e = read_capped(Path::new("/dev/zero"), MIB, "theme file").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the theme file /dev/zero is larger than 1 MiB; is it the right file?"
        );
    }

    #[test]
    fn read_errors_name_the_file_and_say_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let e = read_capped(&missing, MIB, "config file").unwrap_err();
        assert!(e.is_not_found());
        let msg = e.to_string();
        assert!(msg.starts_with(&format!(
            "cannot read the config file {}: ",
            missing.display()
        )));
        assert!(msg.ends_with("; check the path"), "{msg}");

        let e = read_capped(dir.path(), MIB, "theme file").unwrap_err();
        assert!(!e.is_not_found());
        assert!(e.to_string().contains("theme file"), "{e}");
    }

    #[test]
    fn text_must_be_utf8_and_the_error_says_where_it_breaks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.toml");
        std::fs::write(&path, b"ok\xffno").unwrap();
        let e = read_to_string_capped(&path, MIB, "theme file").unwrap_err();
        assert!(matches!(e, CappedReadError::NotUtf8 { at: 2, .. }), "{e}");
        std::fs::write(&path, "héllo").unwrap();
        assert_eq!(
            read_to_string_capped(&path, MIB, "theme file").unwrap(),
            "héllo"
        );
    }
}
