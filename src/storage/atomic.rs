//! Writing a file so that a crash at any moment leaves the old version or the new one, never a
//! mix, and the file stays what it was: the same permissions, and a symbolic link stays a link.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Symbolic links followed in a row before giving up, as Linux does.
const MAX_LINKS: usize = 40;
/// Characters of the file's name kept in its temporary file's name: enough to tell whose it is,
/// short enough that the temporary name stays under the 255-byte limit of most file systems.
const NAME_IN_TEMP: usize = 64;

/// The file a write to `path` lands in: `path` itself or, if it is a symbolic link, the file it
/// points to (link by link; a link to nothing yet gives where that file would be). Writing there
/// keeps the link a link.
pub fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    let mut target = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&target).map_err(|e| {
                    with_what(
                        e,
                        format!("cannot follow the symbolic link {}", target.display()),
                    )
                })?;
                // A relative link is relative to the link's folder; `join` keeps an absolute one.
                target = match target.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            // Not a link, or nothing there yet (a new file): this is where the bytes go.
            _ => return Ok(target),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} goes through more than {MAX_LINKS} symbolic links (a loop?); point it at a file",
            path.display()
        ),
    ))
}

/// The folder `path` is in ("." for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `bytes` to `path` atomically:
///
/// 1. a temporary file with a unique, unpredictable name (`.NAME.XXXXXX.tmp`, hidden) is created
///    in the folder of the file that is written: the link's target if `path` is a symbolic link,
///    so the rename stays on one file system and the link is kept;
/// 2. the bytes go into it; it gets the permissions the existing file has (a new file gets what
///    `File::create` would give: 0666 less the umask); it is fsynced;
/// 3. it is renamed over the file, and the folder is fsynced so the rename is durable (best
///    effort: an error there is ignored).
///
/// A failure at any step removes the temporary file and leaves the file as it was. Unique
/// temporary names mean two processes saving the same file at once never write into each
/// other's temporary file: the last rename wins, whole. (Which one wins is what
/// [`super::SessionLock`] is for.)
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = resolve_target(path)?;
    let existing = fs::metadata(&target).ok();
    let (tmp, dir) = filled_temp(path, &target, bytes, existing.as_ref())?;
    let tmp_name = tmp.path().display().to_string();
    tmp.persist(&target).map_err(|e| {
        with_what(
            e.error,
            format!(
                "cannot rename {tmp_name} over {} (the old file is unchanged)",
                target.display()
            ),
        )
    })?;
    sync_dir(dir);
    Ok(())
}

/// Writes `bytes` to a new file `path`, as [`write_atomic`] does (a crash leaves no file or the
/// whole one), but never over anything already there: a file, a folder or a symbolic link,
/// even a broken one. The last step links the temporary file to `path` (`persist_noclobber`),
/// which the file system refuses if the name is taken, so there is no window between a check
/// and the write. A taken name is an error of kind [`io::ErrorKind::AlreadyExists`].
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let taken = || {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} already exists: nothing was written (agon never replaces it; choose another name or remove it)",
                path.display()
            ),
        )
    };
    if fs::symlink_metadata(path).is_ok() {
        return Err(taken());
    }
    let (tmp, dir) = filled_temp(path, path, bytes, None)?;
    let tmp_name = tmp.path().display().to_string();
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            taken()
        } else {
            with_what(
                e.error,
                format!("cannot move {tmp_name} to {}", path.display()),
            )
        }
    })?;
    sync_dir(dir);
    Ok(())
}

/// A temporary file next to `target` holding `bytes`, fsynced, with the permissions of
/// `existing` (the file it will replace) or, for a new file, what `File::create` would give
/// (0666 less the umask). Dropping it deletes it. Returns its folder too. `path` is the name
/// the caller gave, for errors.
fn filled_temp<'a>(
    path: &Path,
    target: &'a Path,
    bytes: &[u8],
    existing: Option<&fs::Metadata>,
) -> io::Result<(tempfile::NamedTempFile, &'a Path)> {
    let dir = parent_dir(target);
    let name = target.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} has no file name; name a file", path.display()),
        )
    })?;
    let prefix = temp_prefix(name);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        // The umask applies to this, as it does to `File::create`; tempfile's own 0600 would make
        // every new session private to its owner, unlike any other file the user makes.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| {
        with_what(
            e,
            format!(
                "cannot create a temporary file in {} (check that the folder exists and that you may write to it)",
                dir.display()
            ),
        )
    })?;
    // From here on, dropping `tmp` on an error deletes the temporary file.
    let tmp_name = tmp.path().display().to_string();
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .map_err(|e| with_what(e, format!("cannot write {tmp_name}")))?;
    if let Some(meta) = existing {
        // Set explicitly (fchmod), so the umask cannot narrow the file's permissions.
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(|e| {
                with_what(
                    e,
                    format!("cannot give {tmp_name} the permissions of the file it replaces"),
                )
            })?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| with_what(e, format!("cannot flush {tmp_name} to disk")))?;
    Ok((tmp, dir))
}

/// Makes a rename in `dir` durable (best effort: an error here is ignored, the file is whole).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// `.NAME.` with NAME cut to [`NAME_IN_TEMP`] characters.
fn temp_prefix(name: &OsStr) -> String {
    let name: String = name.to_string_lossy().chars().take(NAME_IN_TEMP).collect();
    format!(".{name}.")
}

/// `e` with what was being done in front of its message, keeping its kind.
fn with_what(e: io::Error, what: String) -> io::Error {
    io::Error::new(e.kind(), format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything in `dir` but `keep`: the temporary files left behind, if any.
    fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !keep.contains(&n.as_str()))
            .collect()
    }

    #[test]
    fn writes_replace_the_whole_file_and_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        write_atomic(&path, b"first, and longer").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(others(dir.path(), &["s.json"]), Vec::<String>::new());
    }

    #[test]
    fn a_bare_file_name_writes_in_the_current_folder() {
        assert_eq!(parent_dir(Path::new("s.json")), Path::new("."));
        assert_eq!(parent_dir(Path::new("/d/s.json")), Path::new("/d"));
    }

    #[test]
    fn concurrent_writers_never_mix_and_never_fail() {
        // With one fixed temporary name, writers truncate each other's temporary file and a
        // rename finds it already gone.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let payloads: Vec<Vec<u8>> = (0..8u8).map(|i| vec![b'a' + i; 256 << 10]).collect();
        std::thread::scope(|s| {
            for p in &payloads {
                let path = &path;
                s.spawn(move || {
                    for _ in 0..8 {
                        write_atomic(path, p).unwrap();
                    }
                });
            }
        });
        let last = fs::read(&path).unwrap();
        assert!(
            payloads.contains(&last),
            "the file is one writer's bytes, whole"
        );
        assert_eq!(others(dir.path(), &["s.json"]), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_never_goes_over_anything_already_there() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("taken.md");
        fs::write(&file, "kept").unwrap();
        let folder = dir.path().join("folder.md");
        fs::create_dir(&folder).unwrap();
        let broken = dir.path().join("broken.md");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &broken).unwrap();
        for path in [&file, &folder, &broken] {
            let e = write_new(path, b"new").unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::AlreadyExists, "{path:?}");
            assert!(
                e.to_string()
                    .contains("already exists: nothing was written"),
                "{e}"
            );
        }
        assert_eq!(fs::read_to_string(&file).unwrap(), "kept");
        assert!(
            !dir.path().join("nowhere").exists(),
            "the link's target is not created"
        );
        let free = dir.path().join("free.md");
        write_new(&free, b"new").unwrap();
        assert_eq!(fs::read(&free).unwrap(), b"new");
        let mut left = others(dir.path(), &[]);
        left.sort();
        assert_eq!(
            left,
            ["broken.md", "folder.md", "free.md", "taken.md"],
            "no temporary file"
        );
    }

    #[test]
    fn of_racing_writers_of_a_new_file_exactly_one_writes_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let payloads: Vec<Vec<u8>> = (0..8u8).map(|i| vec![b'a' + i; 64 << 10]).collect();
        let wins: Vec<bool> = std::thread::scope(|s| {
            let handles: Vec<_> = payloads
                .iter()
                .map(|p| {
                    let path = &path;
                    s.spawn(move || write_new(path, p).is_ok())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(wins.iter().filter(|w| **w).count(), 1, "{wins:?}");
        let winner = wins.iter().position(|w| *w).unwrap();
        assert_eq!(fs::read(&path).unwrap(), payloads[winner]);
        assert_eq!(others(dir.path(), &["out.jsonl"]), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn the_files_permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        for mode in [0o600, 0o640, 0o664] {
            fs::write(&path, "old").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            write_atomic(&path, b"new").unwrap();
            let got = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
            assert_eq!(got, mode, "{got:o} != {mode:o}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_what_file_create_gives() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        File::create(&plain).unwrap();
        let path = dir.path().join("s.json");
        write_atomic(&path, b"new").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&path), mode(&plain));
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_stays_a_link_and_its_target_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        let link_dir = dir.path().join("links");
        fs::create_dir_all(&real_dir).unwrap();
        fs::create_dir_all(&link_dir).unwrap();
        let real = real_dir.join("s.json");
        fs::write(&real, "old").unwrap();
        // A relative link, and a link to that link.
        let link = link_dir.join("s.json");
        std::os::unix::fs::symlink("../real/s.json", &link).unwrap();
        let link2 = dir.path().join("again.json");
        std::os::unix::fs::symlink(&link, &link2).unwrap();

        write_atomic(&link2, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            fs::symlink_metadata(&link2)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert_eq!(others(&real_dir, &["s.json"]), Vec::<String>::new());
        assert_eq!(others(&link_dir, &["s.json"]), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_nothing_creates_its_target_and_a_loop_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("s.json");
        std::os::unix::fs::symlink("target.json", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert_eq!(fs::read(dir.path().join("target.json")).unwrap(), b"new");

        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let e = write_atomic(&a, b"x").unwrap_err().to_string();
        assert!(e.contains("a.json") && e.contains("symbolic links"), "{e}");
    }

    #[test]
    fn a_failed_rename_leaves_the_old_contents_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A folder (not empty) where the file should be: the rename over it fails.
        let path = dir.path().join("s.json");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), "kept").unwrap();
        let e = write_atomic(&path, b"new").unwrap_err().to_string();
        assert!(e.contains("s.json") && e.contains("unchanged"), "{e}");
        assert_eq!(fs::read(path.join("inside")).unwrap(), b"kept");
        assert_eq!(others(dir.path(), &["s.json"]), Vec::<String>::new());
    }

    #[test]
    fn a_missing_folder_is_named_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/s.json");
        let e = write_atomic(&path, b"x").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        let msg = e.to_string();
        assert!(
            msg.contains(&dir.path().join("no/such").display().to_string())
                && msg.contains("check that the folder exists"),
            "{msg}"
        );
    }

    #[test]
    fn long_names_still_fit_in_a_temporary_name() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("{}.json", "x".repeat(240));
        let path = dir.path().join(&name);
        write_atomic(&path, b"x").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"x");
    }
}
