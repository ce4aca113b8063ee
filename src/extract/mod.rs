//! `agon extract`: the claim tree of a debate recorded without one (an imported NYU debate),
//! or rebuilt, by asking a configured extractor model for each turn's claims in order.
//!
//! Each turn is one request with the question, the answers, the turn's speech and the tree
//! found so far; the answer's targets may be ids or words, which are matched to the nearest
//! node (`domain::targets`). The result is applied by the session (`apply_extraction`): the
//! tree is rebuilt from the turns, the judge's edits replay on it, and the extraction is
//! recorded so that `--undo` takes it back. [`extract_file`] is what the sessions browser calls.

pub mod prompt;

use crate::domain::claims::{self, ClaimSource, ParsedClaims};
use crate::domain::{ClaimTree, ExtractTurns, Session, TurnClaims, TurnStats, targets};
use crate::providers::llm::{LlmConfig, LlmProvider};
use crate::providers::retry::RetryPolicy;
use crate::providers::{FollowupReply, ProviderError, Retry};
use crate::storage;
use anyhow::{Context, Result, anyhow, bail};
use std::path::Path;
use time::OffsetDateTime;

/// What an extraction did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The turns asked about.
    pub turns: usize,
    pub claims: usize,
    pub concessions: usize,
    /// Warnings the turns got (targets read from words, unknown targets, parser guesses).
    pub warnings: usize,
    /// Judge edits that no longer applied on the new tree (kept for `--undo`).
    pub set_aside: usize,
    /// The extractor and what its requests cost, summed.
    pub stats: TurnStats,
}

/// Fills the claims of the turns `which` selects by asking `extractor`, turn by turn, and
/// applies them to `session`. `progress` gets one line per turn. Nothing changes unless every
/// turn was answered.
pub async fn extract(
    session: &mut Session,
    extractor: &LlmProvider,
    which: ExtractTurns,
    progress: &mut dyn FnMut(String),
    now: OffsetDateTime,
) -> Result<Report> {
    let turns = session.extraction_turns(which);
    if turns.is_empty() {
        // Nothing to ask about: no request, and no extraction recorded to undo.
        return Ok(Report::default());
    }
    let cfg = extractor.config();
    let mut stats = TurnStats {
        provider: cfg.wire.name().to_string(),
        model: cfg.model.clone(),
        ..TurnStats::default()
    };
    let mut found: Vec<TurnClaims> = Vec::with_capacity(turns.len());
    let mut report = Report {
        turns: turns.len(),
        ..Report::default()
    };
    for (n, &turn) in turns.iter().enumerate() {
        let tree = session.tree_before(turn, &found);
        let json = prompt::turn(session, turn, &tree, true);
        let block = prompt::turn(session, turn, &tree, false);
        let reply = ask(extractor, &json, &block).await.map_err(|e| {
            anyhow!(
                "the extractor failed on turn {} ({} of {}): {}; nothing was changed",
                turn + 1,
                n + 1,
                turns.len(),
                e.message.trim_end_matches('.')
            )
        })?;
        stats.add_usage(&reply.stats);
        let side = session
            .turn(turn)
            .map_or(crate::domain::Side::A, |t| t.side);
        let claims = read(&reply, &tree, turn, side);
        progress(format!(
            "turn {} ({} of {}): {} claims, {} concessions{}",
            turn + 1,
            n + 1,
            turns.len(),
            claims.claims.len(),
            claims.concessions.len(),
            match claims.warnings.len() {
                0 => String::new(),
                w => format!(", {w} warnings"),
            }
        ));
        report.claims += claims.claims.len();
        report.concessions += claims.concessions.len();
        report.warnings += claims.warnings.len();
        found.push(claims);
    }
    report.set_aside = session.apply_extraction(found, stats.clone(), now).len();
    report.stats = stats;
    Ok(report)
}

/// One turn's request, retried (with backoff, or the server's wait) when the failure is
/// worth it.
async fn ask(
    extractor: &LlmProvider,
    json: &str,
    block: &str,
) -> Result<FollowupReply, ProviderError> {
    let policy = RetryPolicy::default();
    let mut retries = 0;
    loop {
        match extractor.claims_request(prompt::SYSTEM, json, block).await {
            Ok(reply) => return Ok(reply),
            Err(e) => match e.retry {
                Retry::Yes { server_wait } if retries < policy.max_retries => {
                    retries += 1;
                    let unit = crate::providers::retry::jitter_unit();
                    tokio::time::sleep(policy.wait(retries, server_wait, unit)).await;
                }
                _ => return Err(e),
            },
        }
    }
}

/// The claims of one answer: JSON with its worded targets matched to nodes, or a block; the
/// tree's warnings for what still does not attach follow the parser's.
fn read(
    reply: &FollowupReply,
    tree: &ClaimTree,
    turn: usize,
    side: crate::domain::Side,
) -> TurnClaims {
    let mut warnings: Vec<String> = reply.note.iter().cloned().collect();
    let parsed = match serde_json::from_str::<serde_json::Value>(reply.text.trim()) {
        Ok(mut value) if reply.json => {
            warnings.extend(targets::resolve_words(&mut value, tree));
            claims::parse_json(&value)
        }
        _ => claims::parse(&reply.text),
    };
    let ParsedClaims {
        claims: mut found,
        concessions,
        warnings: parser,
    } = parsed;
    for c in &mut found {
        c.source = ClaimSource::Extracted;
    }
    warnings.extend(parser);
    warnings.extend(tree.clone().apply_turn(turn, side, &found, &concessions));
    TurnClaims {
        turn,
        claims: found,
        concessions,
        warnings,
    }
}

/// [`extract`] on a session file, under its lock, written back atomically.
pub async fn extract_file(
    path: &Path,
    extractor: LlmConfig,
    which: ExtractTurns,
    progress: &mut dyn FnMut(String),
) -> Result<Report> {
    let (_lock, mut session) = open(path)?;
    let provider = LlmProvider::new(extractor).map_err(|e| anyhow!(e.message))?;
    let report = extract(
        &mut session,
        &provider,
        which,
        progress,
        OffsetDateTime::now_utc(),
    )
    .await
    .with_context(|| format!("extracting the claims of {}", path.display()))?;
    storage::save_atomic(path, &session)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(report)
}

/// What `--undo` took back.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    pub extraction: crate::domain::Extraction,
    /// The judge's edits of nodes only that extraction made, gone with it.
    pub dropped: usize,
}

/// Takes back the last extraction of a session file. `None`: it has none.
pub fn undo_file(path: &Path) -> Result<Option<Undone>> {
    let (_lock, mut session) = open(path)?;
    let Some((extraction, dropped)) = session.undo_extraction(OffsetDateTime::now_utc()) else {
        return Ok(None);
    };
    storage::save_atomic(path, &session)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Some(Undone {
        extraction,
        dropped: dropped.len(),
    }))
}

/// Locks a session file for writing and loads it.
fn open(path: &Path) -> Result<(storage::SessionLock, Session)> {
    let lock = storage::SessionLock::try_acquire(path).map_err(|locked| {
        anyhow!(
            "{} cannot be changed now: {}",
            path.display(),
            locked.read_only_reason()
        )
    })?;
    let loaded = storage::load(path).with_context(|| format!("cannot load {}", path.display()))?;
    if let Some(reason) = loaded.read_only_reason {
        bail!("{} cannot be changed: {reason}", path.display());
    }
    Ok((lock, loaded.session))
}
