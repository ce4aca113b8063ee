//! Question sets: many questions with known answers, one debate each (the experiments of
//! Michael et al. 2023, Khan et al. 2024, Kenton et al. 2024). A set is a JSON Lines file, one
//! question per line; the format is in docs/question-sets.md.
//!
//! [`load`] reads a set, reporting each bad line by its number and skipping it; [`shard`] splits
//! a set across machines; [`build`] turns a question into a session with seeded sides; [`run`]
//! is the run file that lets `agon judge --questions` resume.

pub mod build;
pub mod run;
pub mod shard;

use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// The largest question set read: far above any real one (100,000 questions of 600 bytes).
pub const MAX_SET_BYTES: u64 = 64 * crate::text::capped::MIB;
/// The largest source passage read from a `source_file`.
pub const MAX_SOURCE_BYTES: u64 = 4 * crate::text::capped::MIB;

/// One question of a set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub question: String,
    /// The two answers, in the set's order.
    pub answers: [String; 2],
    /// The index of the correct answer, when known.
    pub correct: Option<u8>,
    /// The hidden source passage the debaters may quote.
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// The line of the set file it is on (1-based).
    pub line: usize,
}

/// A line of a set file that could not be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A question set as read: its questions in file order, and the lines that were skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionSet {
    /// The set's name: the file's name without `.jsonl` (recorded in each session).
    pub name: String,
    pub path: PathBuf,
    pub questions: Vec<Question>,
    pub problems: Vec<Problem>,
}

/// A question line as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: serde_json::Value,
    question: String,
    answers: Vec<String>,
    #[serde(default)]
    correct: Option<serde_json::Value>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    source_file: Option<PathBuf>,
    #[serde(default)]
    tags: Vec<String>,
}

/// Why a set could not be read at all (a bad line is a [`Problem`], not this).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Read(#[from] crate::text::capped::CappedReadError),
    #[error("the question set {} has no usable question{}", path.display(), first_problem(problems))]
    Empty {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

fn first_problem(problems: &[Problem]) -> String {
    match problems.first() {
        Some(p) => format!(
            " ({p}{})",
            match problems.len() {
                1 => String::new(),
                n => format!(", and {} more bad lines", n - 1),
            }
        ),
        None => " (the file is empty)".into(),
    }
}

/// Reads the set at `path`. Bad lines are in `problems`; a set with no good line is an error.
pub fn load(path: &Path) -> Result<QuestionSet, LoadError> {
    let text = crate::text::read_to_string_capped(path, MAX_SET_BYTES, "question set")?;
    let base = path.parent().unwrap_or_else(|| Path::new(""));
    let set = parse(&text, &name_of(path), path, &|file: &Path| {
        let full = base.join(file);
        crate::text::read_to_string_capped(&full, MAX_SOURCE_BYTES, "source file")
            .map_err(|e| e.to_string())
    });
    if set.questions.is_empty() {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
            problems: set.problems,
        });
    }
    Ok(set)
}

/// The set's name: its file name without the `.jsonl` (or other) extension.
pub fn name_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "questions".into())
}

/// Parses a set's text; `read_source` reads a `source_file` (relative to the set's folder).
pub fn parse(
    text: &str,
    name: &str,
    path: &Path,
    read_source: &dyn Fn(&Path) -> Result<String, String>,
) -> QuestionSet {
    let mut questions = Vec::new();
    let mut problems = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        match question(raw, line, read_source) {
            Ok(q) if !ids.insert(q.id.clone()) => problems.push(Problem {
                line,
                message: format!("the id {:?} is used by an earlier line", q.id),
            }),
            Ok(q) => questions.push(q),
            Err(message) => problems.push(Problem { line, message }),
        }
    }
    QuestionSet {
        name: name.to_string(),
        path: path.to_path_buf(),
        questions,
        problems,
    }
}

fn question(
    raw: &str,
    line: usize,
    read_source: &dyn Fn(&Path) -> Result<String, String>,
) -> Result<Question, String> {
    let l: Line = serde_json::from_str(raw).map_err(|e| {
        // serde's message names the field; its position is within the line.
        format!(
            "not a question: {}",
            crate::storage::describe_json_error(&e)
        )
    })?;
    let id = match &l.id {
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err("id must be a string or a number".into()),
    };
    if id.is_empty() {
        return Err("id is empty".into());
    }
    let question = l.question.trim().to_string();
    if question.is_empty() {
        return Err("question is empty".into());
    }
    let [a, b]: [String; 2] = l
        .answers
        .iter()
        .map(|a| a.trim().to_string())
        .collect::<Vec<_>>()
        .try_into()
        .map_err(|v: Vec<String>| {
            format!(
                "answers must be exactly two strings; this line has {}",
                v.len()
            )
        })?;
    if a.is_empty() || b.is_empty() {
        return Err("an answer is empty".into());
    }
    if a == b {
        return Err("the two answers are the same".into());
    }
    let correct = match &l.correct {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(0) => Some(0),
            Some(1) => Some(1),
            _ => {
                return Err(format!(
                    "correct must be 0 or 1 (the answer's place); it is {v}"
                ));
            }
        },
    };
    let source = match (l.source, l.source_file) {
        (Some(_), Some(_)) => return Err("give source or source_file, not both".into()),
        (Some(s), None) => Some(s),
        (None, Some(file)) => Some(read_source(&file)?),
        (None, None) => None,
    };
    let source = source
        .map(|s| crate::text::sanitize::inert(&s))
        .filter(|s| !s.trim().is_empty());
    let mut tags: Vec<String> = Vec::new();
    for t in l.tags {
        let t = t.trim().to_string();
        if t.is_empty() {
            return Err("a tag is empty".into());
        }
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    Ok(Question {
        id: crate::text::sanitize::inert(&id),
        question: crate::text::sanitize::inert(&question),
        answers: [
            crate::text::sanitize::inert(&a),
            crate::text::sanitize::inert(&b),
        ],
        correct,
        source,
        tags,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_files(_: &Path) -> Result<String, String> {
        Err("no files here".into())
    }

    fn parsed(text: &str) -> QuestionSet {
        parse(text, "t", Path::new("t.jsonl"), &no_files)
    }

    #[test]
    fn reads_good_lines_and_reports_bad_ones_by_number() {
        let text = r#"{"id": "q1", "question": "Who?", "answers": ["Ann", "Bo"], "correct": 1, "source": "Bo did it.", "tags": ["kind:reading"]}

{"id": 2, "question": "Why?", "answers": ["x", "y"]}
{"id": "q3", "question": "What?", "answers": ["only one"]}
not json at all
{"id": "q1", "question": "Again?", "answers": ["a", "b"]}
{"id": "q5", "question": "Which?", "answers": ["a", "b"], "correct": 2}
{"id": "q6", "question": "Typo?", "answer": ["a", "b"]}
{"id": "q7", "question": "File?", "answers": ["a", "b"], "source_file": "missing.txt"}
"#;
        let set = parsed(text);
        let ids: Vec<&str> = set.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["q1", "2"]);
        let q = &set.questions[0];
        assert_eq!(q.answers, ["Ann".to_string(), "Bo".to_string()]);
        assert_eq!(q.correct, Some(1));
        assert_eq!(q.source.as_deref(), Some("Bo did it."));
        assert_eq!(q.tags, ["kind:reading"]);
        assert_eq!(set.questions[1].line, 3);
        let lines: Vec<usize> = set.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 5, 6, 7, 8, 9]);
        let msg = |line: usize| {
            set.problems
                .iter()
                .find(|p| p.line == line)
                .unwrap()
                .to_string()
        };
        assert!(msg(4).contains("exactly two"), "{}", msg(4));
        assert!(msg(5).starts_with("line 5: not a question"), "{}", msg(5));
        assert!(msg(6).contains("used by an earlier line"));
        assert!(msg(7).contains("correct must be 0 or 1"));
        assert!(msg(8).contains("answer"), "{}", msg(8));
        assert!(msg(9).contains("no files here"));
    }

    #[test]
    fn source_files_are_read_relative_to_the_set() {
        let read = |p: &Path| {
            if p == Path::new("story.txt") {
                Ok("Once upon a time.".to_string())
            } else {
                Err(format!("no {}", p.display()))
            }
        };
        let set = parse(
            r#"{"id": "s", "question": "Q?", "answers": ["a", "b"], "source_file": "story.txt"}"#,
            "t",
            Path::new("t.jsonl"),
            &read,
        );
        assert_eq!(
            set.questions[0].source.as_deref(),
            Some("Once upon a time.")
        );
    }

    #[test]
    fn an_empty_set_is_an_error_naming_the_first_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.jsonl");
        std::fs::write(&path, "{}\n[1]\n").unwrap();
        let e = load(&path).unwrap_err().to_string();
        assert!(e.contains("no usable question"), "{e}");
        assert!(e.contains("line 1:"), "{e}");
        assert!(e.contains("1 more bad lines"), "{e}");
        assert_eq!(name_of(&path), "bad");
    }

    proptest::proptest! {
        /// Whatever a line holds, parsing reports it or reads it; it never panics.
        #[test]
        fn never_panics(text in "(.{0,80}\n){0,5}") {
            let set = parsed(&text);
            proptest::prop_assert!(set.questions.len() + set.problems.len() <= 5);
        }
    }
}
