//! `agon run --headless`: whole debates without a screen, for generating debates in batch.
//! A thin loop around the same [`Engine`] the TUI drives. Progress goes to stderr; each
//! session's path goes to stdout when it is written.

use super::driver::{Debaters, Driver};
use super::{Engine, EngineConfig, Event, Input, Mode, Output};
use crate::domain::Session;
use anyhow::{Result, anyhow, bail};
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::mpsc::unbounded_channel;

/// How long to wait for the last saves of a debate.
const FINAL_SAVE_TIMEOUT: Duration = Duration::from_secs(30);

/// One debate to run: a session set up and ready to play, and where to save it.
pub struct Job {
    pub session: Session,
    pub target: super::SaveTarget,
    /// How the log names it, e.g. `[debate 3]`.
    pub label: String,
}

/// What to run.
pub struct Batch {
    pub jobs: Vec<Job>,
    pub debaters: Debaters,
    pub config: EngineConfig,
    pub concurrency: usize,
}

/// Where a batch's lines about its debates go: stderr, or above a progress bar.
pub type Log<'a> = &'a (dyn Fn(&str) + Sync);

fn to_stderr(line: &str) {
    eprintln!("{line}");
}

/// Runs every debate of the batch; returns how many failed.
pub async fn run(batch: Batch) -> usize {
    run_with(batch, &to_stderr, |label, result| match result {
        Ok(path) => println!("{}", path.display()),
        Err(why) => eprintln!("agon: {label} could not finish: {why}"),
    })
    .await
}

/// [`run`], with the debates' lines going to `log` and `ended(label, Ok(path) or Err(why))`
/// told as each debate ends; returns how many failed.
pub async fn run_with(
    batch: Batch,
    log: Log<'_>,
    mut ended: impl FnMut(&str, std::result::Result<&Path, &str>),
) -> usize {
    let Batch {
        jobs,
        debaters,
        config,
        concurrency,
    } = batch;
    let runs = jobs.into_iter().map(|job| {
        let (debaters, config) = (debaters.clone(), config.clone());
        async move {
            let label = job.label.clone();
            (label, run_one_with(job, debaters, config, log).await)
        }
    });
    let mut results = futures_util::stream::iter(runs).buffer_unordered(concurrency.max(1));
    let mut failed = 0;
    while let Some((label, result)) = results.next().await {
        match result {
            Ok(path) => ended(&label, Ok(&path)),
            Err(e) => {
                failed += 1;
                ended(&label, Err(&one_line(&format!("{e:#}"))));
            }
        }
    }
    failed
}

/// A provider's text on one line, made inert: it is going to a terminal.
fn one_line(text: &str) -> String {
    crate::text::sanitize::inert(text).replace('\n', " ")
}

/// Plays one debate to its end (or its first turn that fails for good).
pub async fn run_one(job: Job, debaters: Debaters, config: EngineConfig) -> Result<PathBuf> {
    run_one_with(job, debaters, config, &to_stderr).await
}

/// [`run_one`], its lines going to `log`.
pub async fn run_one_with(
    job: Job,
    debaters: Debaters,
    config: EngineConfig,
    log: Log<'_>,
) -> Result<PathBuf> {
    let Job {
        session,
        target,
        label,
    } = job;
    let (tx, mut rx) = unbounded_channel::<Input>();
    let sink = Arc::new(move |input: Input| {
        let _ = tx.send(input);
    });
    let mut engine = Engine::new(session, Mode::Live, config, Some(target));
    let mut driver = Driver::new(debaters, sink);
    let mut outputs = engine.start(OffsetDateTime::now_utc());
    let mut failure = None;
    let mut announced = false;
    loop {
        driver.run(&outputs, engine.session());
        if !announced && let Some(path) = engine.saving().path() {
            log(&format!("{label} {}", path.display()));
            announced = true;
        }
        for output in &outputs {
            if let Output::Event(event) = output {
                if let Some(line) = describe(&engine, event) {
                    log(&format!("{label} {line}"));
                }
                if let Event::TurnFailed { turn, error, .. } = event {
                    failure = Some((*turn, error.clone()));
                }
            }
        }
        // Finished, and the LLM judge (if any) has answered.
        if failure.is_some() || engine.is_settled() {
            break;
        }
        let Some(input) = rx.recv().await else {
            bail!("the debate's inputs stopped");
        };
        outputs = engine.handle(input, OffsetDateTime::now_utc());
    }
    if !driver.shutdown(FINAL_SAVE_TIMEOUT).await {
        bail!("the last save of the session did not finish in time");
    }
    while let Ok(input) = rx.try_recv() {
        if matches!(input, Input::Saved { .. }) {
            engine.handle(input, OffsetDateTime::now_utc());
        }
    }
    if let Some(e) = engine.saving().error() {
        bail!("cannot write the session file: {}", one_line(e));
    }
    let path = engine
        .saving()
        .path()
        .map(PathBuf::from)
        .ok_or_else(|| anyhow!("the session was never written"))?;
    if let Some((turn, error)) = failure {
        let round = engine.session().turn(turn).map_or(0, |t| t.round);
        return Err(anyhow!(
            "turn {} ({}, round {round}) failed: {}. The partial session is in {}",
            turn + 1,
            who(engine.session(), turn),
            one_line(error.trim_end_matches('.')),
            path.display()
        ));
    }
    Ok(path)
}

/// Who spoke a turn: its side, provider and model (a batch log is not judged blind).
fn who(session: &Session, turn: usize) -> String {
    match session.turn(turn) {
        Some(t) => one_line(&format!(
            "{}, {} {}",
            t.side, t.stats.provider, t.stats.model
        )),
        None => "?".into(),
    }
}

/// A log line for an event, if it deserves one.
fn describe(engine: &Engine, event: &Event) -> Option<String> {
    let session = engine.session();
    match event {
        Event::Retrying {
            turn,
            retry,
            wait,
            reason,
        } => Some(format!(
            "turn {} ({}): {}; retry {retry} in {}",
            turn + 1,
            who(session, *turn),
            one_line(reason.trim_end_matches('.')),
            crate::providers::describe_wait(*wait)
        )),
        Event::TurnComplete { turn } => {
            let t = session.turn(*turn)?;
            let warnings = if t.warnings.is_empty() {
                String::new()
            } else {
                format!(", {} claim warnings", t.warnings.len())
            };
            Some(format!(
                "turn {} ({}, round {}): {} words, {} tokens, {:.1}s{warnings}",
                turn + 1,
                t.side,
                t.round,
                t.word_count(),
                t.stats
                    .output_tokens
                    .map_or_else(|| "?".to_string(), |n| n.to_string()),
                t.stats.total_ms.unwrap_or(0) as f64 / 1000.0,
            ))
        }
        Event::Chose { side, answer } => Some(match answer {
            Some(a) => format!("debater {side} chose answer {}", a + 1),
            None => format!("debater {side} named no answer; the drawn answers stand"),
        }),
        Event::LlmCredence { after_turn, p_a } => Some(format!(
            "LLM judge after turn {}: P(A) {:.0}%",
            after_turn.map_or(0, |t| t + 1),
            p_a * 100.0
        )),
        Event::LlmVerdict { winner, confidence } => Some(format!(
            "LLM judge verdict: {winner} {:.0}%",
            confidence * 100.0
        )),
        Event::AskFailed { what, error } => Some(format!(
            "no answer for {what}: {}",
            one_line(error.trim_end_matches('.'))
        )),
        _ => None,
    }
}

/// `path` with `suffix` before its extension: `debate.json` + `-2` is `debate-2.json`.
pub fn with_suffix(path: &std::path::Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!("{stem}{suffix}{ext}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn numbered_paths_keep_the_extension() {
        assert_eq!(
            with_suffix(Path::new("/x/debate.json"), "-2"),
            PathBuf::from("/x/debate-2.json")
        );
        assert_eq!(with_suffix(Path::new("out"), "-1"), PathBuf::from("out-1"));
    }
}
