//! `agon run --headless`: whole debates without a screen, for generating debates in batch.
//! Progress goes to stderr; each session's path goes to stdout when it is written.

use crate::cli::runtime::Debaters;
use crate::domain::{DebateSetup, Session, TurnOutcome};
use crate::providers::{Provider, StreamEvent, TurnRequest};
use crate::storage;
use anyhow::{Context, Result, anyhow};
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::OffsetDateTime;

/// What to run.
pub struct Batch {
    pub setup: DebateSetup,
    pub debaters: Debaters,
    pub sessions_dir: PathBuf,
    /// A file for the session (with `repeat` > 1, numbered: `name-1.json`, `name-2.json`...).
    pub out: Option<PathBuf>,
    pub repeat: usize,
    pub concurrency: usize,
    /// The side that is right, when known (saved for later scoring; never sent to a debater).
    pub ground_truth: Option<crate::domain::Side>,
}

/// Runs every debate of the batch; returns how many failed.
pub async fn run(batch: Batch) -> usize {
    let batch = Arc::new(batch);
    let jobs = (0..batch.repeat).map(|i| {
        let batch = batch.clone();
        async move { (i, run_one(&batch, i).await) }
    });
    let mut results = futures_util::stream::iter(jobs).buffer_unordered(batch.concurrency.max(1));
    let mut failed = 0;
    while let Some((i, result)) = results.next().await {
        match result {
            Ok(path) => println!("{}", path.display()),
            Err(e) => {
                failed += 1;
                eprintln!("agon: debate {} could not finish: {e:#}", i + 1);
            }
        }
    }
    failed
}

fn session_path(batch: &Batch, session: &Session, i: usize) -> PathBuf {
    let base = batch
        .out
        .clone()
        .unwrap_or_else(|| batch.sessions_dir.join(session.file_name()));
    let numbered = if batch.repeat > 1 {
        with_suffix(&base, &format!("-{}", i + 1))
    } else {
        base
    };
    // Never overwrite an earlier session.
    let mut path = numbered.clone();
    let mut n = 2;
    while path.exists() {
        path = with_suffix(&numbered, &format!("_{n}"));
        n += 1;
    }
    path
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!("{stem}{suffix}{ext}"))
}

async fn save(path: &Path, session: &Session) -> Result<()> {
    let (path, snapshot) = (path.to_path_buf(), session.clone());
    tokio::task::spawn_blocking(move || storage::save_atomic(&path, &snapshot))
        .await
        .map_err(|e| anyhow!("save task failed: {e}"))?
        .context("cannot write the session file")
}

async fn run_one(batch: &Batch, i: usize) -> Result<PathBuf> {
    let mut session = Session::new(batch.setup.clone(), OffsetDateTime::now_utc());
    session.ground_truth = batch.ground_truth;
    let path = session_path(batch, &session, i);
    let tag = format!("[debate {}]", i + 1);
    eprintln!("{tag} {}", path.display());
    save(&path, &session).await?;
    while let Some((round, side)) = session.next_slot() {
        let snapshot = Arc::new(session.clone());
        let turn = session.begin_turn(
            side,
            round,
            crate::domain::ROOT_ID,
            OffsetDateTime::now_utc(),
        );
        let provider: &Arc<dyn Provider> = match side {
            crate::domain::Side::A => &batch.debaters.a,
            crate::domain::Side::B => &batch.debaters.b,
        };
        let mut stream = provider.stream_turn(TurnRequest {
            turn,
            side,
            round,
            scope: crate::domain::ROOT_ID.to_string(),
            session: snapshot,
        });
        let mut outcome = None;
        let mut stats = None;
        let mut retries = 0;
        while let Some(item) = stream.next().await {
            match item {
                Ok(StreamEvent::Delta(text)) => session.push_text(turn, &text),
                Ok(StreamEvent::Retrying {
                    attempt,
                    wait,
                    reason,
                }) => {
                    retries = attempt;
                    eprintln!(
                        "{tag} turn {} ({side}): {}; retry {attempt} in {}",
                        turn + 1,
                        reason.trim_end_matches('.'),
                        crate::providers::describe_wait(wait)
                    );
                }
                Ok(StreamEvent::Done(s)) => {
                    stats = Some(s);
                    outcome = Some(TurnOutcome::Complete);
                    break;
                }
                Err(e) => {
                    outcome = Some(TurnOutcome::Failed(e.message));
                    break;
                }
            }
        }
        let outcome = outcome.unwrap_or_else(|| {
            TurnOutcome::Failed("the stream ended before the turn was complete".into())
        });
        for _ in 0..retries {
            session.note_retry(turn);
        }
        session.finish_turn(turn, outcome.clone(), stats, OffsetDateTime::now_utc());
        save(&path, &session).await?;
        let t = &session.turns()[turn];
        if let TurnOutcome::Failed(reason) = outcome {
            return Err(anyhow!(
                "turn {} ({side}, round {round}) failed: {}. The partial session is in {}",
                turn + 1,
                reason.trim_end_matches('.'),
                path.display()
            ));
        }
        eprintln!(
            "{tag} turn {} ({side}, round {round}): {} words, {} tokens, {:.1}s{}",
            turn + 1,
            t.word_count(),
            t.stats.output_tokens.map_or("?".into(), |n| n.to_string()),
            t.stats.total_ms.unwrap_or(0) as f64 / 1000.0,
            if t.warnings.is_empty() {
                String::new()
            } else {
                format!(", {} claim warnings", t.warnings.len())
            }
        );
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_paths_keep_the_extension() {
        assert_eq!(
            with_suffix(Path::new("/x/debate.json"), "-2"),
            PathBuf::from("/x/debate-2.json")
        );
        assert_eq!(with_suffix(Path::new("out"), "-1"), PathBuf::from("out-1"));
    }
}
