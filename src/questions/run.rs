//! The run file of `agon judge --questions`: a small JSON file beside the sessions
//! (`<sessions-dir>/<set>.run.json`) listing each question's session file and whether it was
//! judged, so a judge who quits can come back and continue where they stopped.

use crate::domain::Protocol;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The largest run file read (a line per question: far above any real set).
const MAX_RUN_BYTES: u64 = 16 * crate::text::capped::MIB;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunFile {
    /// The set's name.
    pub set: String,
    /// The set file as it was given when the run began.
    pub questions_file: String,
    /// The run's seed (each debate's seed comes from it, the question's id and the repeat).
    pub seed: u64,
    /// How every debate of the run is set up.
    pub protocol: Protocol,
    /// One entry per debate to judge, in the order they are judged.
    pub entries: Vec<RunEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunEntry {
    /// The question's id in the set.
    pub id: String,
    /// 1, 2, ... when a question is judged more than once.
    pub repeat: u32,
    /// The session file, once the debate began: a name in the run file's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Whether the judge recorded a verdict.
    #[serde(default)]
    pub judged: bool,
}

impl RunFile {
    /// Where the run of set `set` is kept in `sessions_dir`.
    pub fn path_for(sessions_dir: &Path, set: &str) -> PathBuf {
        sessions_dir.join(format!("{set}.run.json"))
    }

    /// Reads a run file; `None` if there is none yet.
    pub fn load(path: &Path) -> anyhow::Result<Option<RunFile>> {
        use anyhow::Context;
        match crate::text::read_to_string_capped(path, MAX_RUN_BYTES, "run file") {
            Ok(text) => {
                let run = serde_json::from_str(&text).with_context(|| {
                    format!(
                        "the run file {} is not valid; move it away to start the run afresh",
                        path.display()
                    )
                })?;
                Ok(Some(run))
            }
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes the run file atomically (a crash leaves the old one or the new one).
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        use anyhow::Context;
        let mut text = serde_json::to_string_pretty(self).context("cannot encode the run file")?;
        text.push('\n');
        crate::storage::write_atomic(path, text.as_bytes())
            .with_context(|| format!("cannot write the run file {}", path.display()))
    }

    /// The first debate not judged yet: its position in the run.
    pub fn next_unjudged(&self) -> Option<usize> {
        self.entries.iter().position(|e| !e.judged)
    }

    pub fn judged(&self) -> usize {
        self.entries.iter().filter(|e| e.judged).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_loads_and_finds_the_next_debate() {
        let dir = tempfile::tempdir().unwrap();
        let path = RunFile::path_for(dir.path(), "sample");
        assert!(path.ends_with("sample.run.json"));
        assert_eq!(RunFile::load(&path).unwrap(), None);
        let entry = |id: &str, judged: bool| RunEntry {
            id: id.into(),
            repeat: 1,
            session: judged.then(|| format!("{id}.json")),
            judged,
        };
        let run = RunFile {
            set: "sample".into(),
            questions_file: "questions/sample.jsonl".into(),
            seed: 5,
            protocol: Protocol::rounds(2),
            entries: vec![entry("a", true), entry("b", false), entry("c", false)],
        };
        run.save(&path).unwrap();
        let back = RunFile::load(&path).unwrap().unwrap();
        assert_eq!(back, run);
        assert_eq!(back.next_unjudged(), Some(1));
        assert_eq!(back.judged(), 1);
        std::fs::write(&path, "{").unwrap();
        let e = format!("{:#}", RunFile::load(&path).unwrap_err());
        assert!(e.contains("not valid"), "{e}");
    }
}
