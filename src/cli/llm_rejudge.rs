//! `agon rejudge --judge PROVIDER:MODEL FILE|DIR...`: an LLM judge reads recorded debates
//! (agon's own, or the imported NYU ones) as their judge saw them, turn by turn or once at the
//! end, and its judgement is saved beside the others in each file. Then
//! `agon stats --by judge,judge_name` sets the LLM's accuracy and calibration beside the humans'.
//!
//! No new machinery: the engine that judges live debates does it. A recorded debate is one
//! that is over, so the engine's LLM judge catches up on every point it has no answer for.

use crate::config::ResolvedJudge;
use crate::domain::Session;
use crate::engine::driver::Debaters;
use crate::engine::headless::{Batch, Job};
use crate::engine::{EngineConfig, SaveTarget};
use crate::providers::llm::LlmProvider;
use crate::providers::{Provider, ProviderError, TurnRequest, TurnStream};
use crate::storage::{self, SessionLock};
use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Judges every session file named (or in the folders named) with `judge`, `concurrency` at a
/// time. Debates it cannot judge (not over, judged by it already) are reported and left
/// alone; the exit status is 1 if a file could not be read or a judgement not written.
pub fn run(paths: &[PathBuf], judge: ResolvedJudge, concurrency: usize) -> Result<ExitCode> {
    let files = session_files(paths)?;
    let mut jobs = Vec::new();
    // Held until every judgement is written: no other agon may write these files meanwhile.
    let mut locks: Vec<SessionLock> = Vec::new();
    let (mut left_out, mut unreadable) = (0usize, 0usize);
    for file in &files {
        match prepare(file, &judge.judge.name, judge.judge.when.label()) {
            Ok(Err(why)) => {
                left_out += 1;
                eprintln!("agon: {} left out: {why}", file.display());
            }
            Ok(Ok((session, lock))) => {
                locks.push(lock);
                jobs.push(Job {
                    session,
                    target: SaveTarget::File(file.clone()),
                    label: format!("[{}]", display_name(file)),
                });
            }
            Err(e) => {
                unreadable += 1;
                eprintln!("agon: {}: {e:#}", file.display());
            }
        }
    }
    if jobs.is_empty() {
        bail!(
            "no recorded debate to judge among the {} files given ({left_out} left out, {unreadable} unreadable)",
            files.len()
        );
    }
    eprintln!(
        "agon: {} judges {} debates ({})",
        judge.judge.name,
        jobs.len(),
        match judge.judge.when {
            crate::engine::JudgeWhen::EachTurn => "after each turn a judge would weigh in",
            crate::engine::JudgeWhen::End => "once, at the end",
        }
    );
    let total = jobs.len();
    let rt = super::tokio_runtime()?;
    let _guard = rt.enter();
    let provider: Arc<dyn Provider> =
        Arc::new(LlmProvider::new(judge.llm.clone()).map_err(anyhow::Error::msg)?);
    let batch = Batch {
        jobs,
        debaters: Debaters::both(Arc::new(NoDebater)).judged_by(Some(provider)),
        config: EngineConfig {
            llm_judge: Some(judge.judge.clone()),
            ..EngineConfig::default()
        },
        concurrency,
    };
    let (failed, tally) = super::progress::run_batch(&rt, batch, "debates");
    drop(locks);
    eprintln!(
        "agon: {} of {total} judgements written in {} ({left_out} debates left out); `agon stats --by judge,judge_name` compares the judges",
        tally.ok,
        super::progress::human(tally.elapsed)
    );
    Ok(if failed == 0 && unreadable == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The session files among `paths`: each file as given, each folder's `.json` files (not
/// question-set run files), sorted, without repeats.
fn session_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .with_context(|| format!("cannot read the folder {}", path.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| is_session_file(p))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    // The same file named twice would be judged (and locked) twice.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    Ok(files)
}

fn is_session_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    p.is_file() && name.ends_with(".json") && !name.ends_with(".run.json") && !name.starts_with('.')
}

fn display_name(file: &Path) -> String {
    file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A file's session, loaded and locked, if this judge can judge it: a debate that is over,
/// that the judge has not judged the same way already. The error is a file that cannot be
/// read or written; the inner error, why the debate is left out.
fn prepare(
    file: &Path,
    judge: &str,
    mode: &str,
) -> Result<std::result::Result<(Session, SessionLock), String>> {
    let loaded = storage::load(file)?;
    if let Some(reason) = loaded.read_only_reason {
        bail!("it can only be read: {reason}");
    }
    if let Some(why) = not_judgeable(&loaded.session, judge, mode) {
        return Ok(Err(why));
    }
    let lock = SessionLock::try_acquire(file).map_err(anyhow::Error::new)?;
    Ok(Ok((loaded.session, lock)))
}

/// Why this judge cannot judge the session now, if it cannot.
fn not_judgeable(session: &Session, judge: &str, mode: &str) -> Option<String> {
    if session.unresolved_turn().is_some() {
        return Some("a turn failed or was stopped and was never retried or skipped".into());
    }
    if session.ended_early.is_none() && session.next_slot().is_some() {
        return Some("the debate is not over (agon resume continues it)".into());
    }
    let done = session.judgements.iter().any(|j| {
        j.kind == crate::domain::JudgeKind::Llm
            && j.judge.as_deref() == Some(judge)
            && j.mode.as_deref() == Some(mode)
            && j.verdict.is_some()
    });
    done.then(|| format!("{judge} has already judged it ({mode})"))
}

/// The debaters of a recorded debate: nobody is asked to speak, and if the engine ever asked,
/// the turn would fail with this message rather than invent a speech.
struct NoDebater;

impl Provider for NoDebater {
    fn stream_turn(&self, _request: TurnRequest<'_>) -> TurnStream {
        let err = ProviderError::new("no debater: this run only judges recorded debates");
        futures_util::stream::once(async move { Err(err) }).boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ROOT_ID, Side, TurnOutcome};
    use time::OffsetDateTime;

    fn debate(turns: usize) -> Session {
        let script = crate::providers::scripted::script::DemoScript::bundled().unwrap();
        let now = OffsetDateTime::UNIX_EPOCH;
        let mut s = Session::new(script.setup(), now);
        for _ in 0..turns {
            let Some((round, side)) = s.next_slot() else {
                break;
            };
            let t = s.begin_turn(side, round, ROOT_ID, now);
            s.push_text(t, "Words.");
            s.finish_turn(t, TurnOutcome::Complete, None, now);
        }
        s
    }

    #[test]
    fn only_debates_that_are_over_and_not_yet_judged_so_are_judged() {
        let judge = "openai:m";
        assert!(
            not_judgeable(&debate(3), judge, "each_turn").is_some_and(|w| w.contains("not over"))
        );
        let mut over = debate(usize::MAX);
        assert_eq!(not_judgeable(&over, judge, "each_turn"), None);
        over.judgements.push(crate::domain::Judgement {
            id: 1,
            kind: crate::domain::JudgeKind::Llm,
            judge: Some(judge.into()),
            mode: Some("each_turn".into()),
            blind: true,
            started_at: OffsetDateTime::UNIX_EPOCH,
            judge_events: Vec::new(),
            verdict: Some(crate::domain::Verdict {
                winner: Side::A,
                confidence: 0.7,
                rationale: String::new(),
                decided_by: None,
                ended: String::new(),
                turn_penalty: None,
                at: OffsetDateTime::UNIX_EPOCH,
            }),
            annotations: Vec::new(),
            usage: None,
            extra: None,
        });
        assert!(not_judgeable(&over, judge, "each_turn").is_some_and(|w| w.contains("already")));
        assert_eq!(
            not_judgeable(&over, judge, "end"),
            None,
            "another mode is another judgement"
        );
        assert_eq!(not_judgeable(&over, "openai:other", "each_turn"), None);
    }

    #[test]
    fn folders_give_their_session_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "b.json",
            "a.json",
            "set.run.json",
            ".a.json.tmp",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        let files = session_files(&[dir.path().to_path_buf(), dir.path().join("a.json")]).unwrap();
        let names: Vec<String> = files.iter().map(|f| display_name(f)).collect();
        assert_eq!(names, ["a.json", "b.json"], "each file once");
    }
}
