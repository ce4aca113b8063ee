//! AFL++ fuzzing of agon's parsers. Built with `--features afl` (under `cargo afl`), each
//! binary is an AFL target; built without it, the same binary replays files or folders given
//! as arguments (default: its seeds), so the targets run where AFL cannot.

pub mod targets;

/// Runs `target` as an AFL target (feature `afl`) or over files (without it).
pub fn main(name: &str, target: fn(&[u8])) {
    #[cfg(feature = "afl")]
    {
        let _ = name;
        afl::fuzz!(|data: &[u8]| target(data));
    }
    #[cfg(not(feature = "afl"))]
    if let Err(e) = replay(name, target) {
        eprintln!("{name}: {e:#}");
        std::process::exit(1);
    }
}

/// Feeds every file named on the command line (a folder: each file in it) to `target`.
#[cfg(not(feature = "afl"))]
fn replay(name: &str, target: fn(&[u8])) -> std::io::Result<()> {
    use std::path::PathBuf;
    let mut paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        paths.push(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("seeds")
                .join(name),
        );
    }
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                files.push(entry?.path());
            }
        } else {
            files.push(path);
        }
    }
    files.sort();
    for file in &files {
        let data = std::fs::read(file)?;
        target(&data);
    }
    println!("{name}: {} inputs, no panic", files.len());
    Ok(())
}
