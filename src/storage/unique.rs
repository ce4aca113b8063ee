//! New files under names nobody else has: two sessions started in the same second get two files.

use std::fs::OpenOptions;
use std::io;
use std::path::{Path, PathBuf};

/// Numbered names tried before giving up: far more than any folder of real sessions needs.
const MAX_TRIES: u32 = 10_000;

/// The `n`th name tried for `name`: `name` itself, then `STEM_2.EXT`, `STEM_3.EXT`...
fn numbered(name: &str, n: u32) -> String {
    if n <= 1 {
        return name.to_string();
    }
    // The extension is what follows the last dot, unless the dot starts the name (".json").
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}_{n}.{ext}"),
        _ => format!("{name}_{n}"),
    }
}

/// Reserves a new, empty file in `dir` named `name`, or `STEM_2.EXT`, `STEM_3.EXT`... if taken,
/// and returns its path. Each name is claimed with `create_new` (`O_CREAT | O_EXCL`), which the
/// file system grants to exactly one caller, so two threads or processes never get the same
/// path and an existing file (or a symbolic link, even a broken one) is never replaced.
///
/// The file stays empty until the caller writes into it (with [`super::write_atomic`]).
pub fn create_unique(dir: &Path, name: &str) -> io::Result<PathBuf> {
    let plain = Path::new(name)
        .file_name()
        .is_some_and(|n| n == std::ffi::OsStr::new(name));
    if !plain || name.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{name:?} is not a plain file name (no folders, not . or ..)"),
        ));
    }
    for n in 1..=MAX_TRIES {
        let path = dir.join(numbered(name, n));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!(
                        "cannot create {}: {e} (check that the folder exists and that you may write to it)",
                        path.display()
                    ),
                ));
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "{} and {MAX_TRIES} numbered names after it are all taken in {}; choose another name or folder",
            name,
            dir.display()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::fs;

    #[test]
    fn numbers_go_before_the_extension() {
        assert_eq!(numbered("s.json", 1), "s.json");
        assert_eq!(numbered("s.json", 2), "s_2.json");
        assert_eq!(numbered("a.b.json", 3), "a.b_3.json");
        assert_eq!(numbered("noext", 2), "noext_2");
        assert_eq!(numbered(".json", 2), ".json_2");
    }

    #[test]
    fn taken_names_are_skipped_and_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("s.json"), "mine").unwrap();
        let second = create_unique(d, "s.json").unwrap();
        assert_eq!(second, d.join("s_2.json"));
        assert_eq!(fs::read(d.join("s.json")).unwrap(), b"mine");
        assert_eq!(fs::read(&second).unwrap(), b"", "reserved, empty");
        assert_eq!(create_unique(d, "s.json").unwrap(), d.join("s_3.json"));
        assert_eq!(create_unique(d, "t.json").unwrap(), d.join("t.json"));
    }

    #[cfg(unix)]
    #[test]
    fn a_broken_symbolic_link_counts_as_taken() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::os::unix::fs::symlink("/nonexistent/elsewhere.json", d.join("s.json")).unwrap();
        assert_eq!(create_unique(d, "s.json").unwrap(), d.join("s_2.json"));
        assert!(!Path::new("/nonexistent/elsewhere.json").exists());
    }

    #[test]
    fn racing_threads_each_get_their_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (threads, each) = (16, 8);
        let paths: Vec<PathBuf> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(move || {
                        (0..each)
                            .map(|_| create_unique(d, "2026-03-14_150926_q.json").unwrap())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let distinct: BTreeSet<&PathBuf> = paths.iter().collect();
        assert_eq!(distinct.len(), threads * each, "no path handed out twice");
        let expected: BTreeSet<PathBuf> = (1..=(threads * each) as u32)
            .map(|n| d.join(numbered("2026-03-14_150926_q.json", n)))
            .collect();
        assert_eq!(
            distinct.into_iter().cloned().collect::<BTreeSet<_>>(),
            expected
        );
    }

    #[test]
    fn a_name_with_folders_or_a_missing_folder_is_an_error_that_says_why() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["", "..", "a/b.json", "/etc/passwd"] {
            let e = create_unique(dir.path(), bad).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
            assert!(e.to_string().contains("plain file name"), "{e}");
        }
        let missing = dir.path().join("gone");
        let e = create_unique(&missing, "s.json").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        assert!(
            e.to_string()
                .contains(&missing.join("s.json").display().to_string()),
            "{e}"
        );
    }
}
