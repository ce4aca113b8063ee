//! Question sets on the command line: `agon run --headless --questions FILE` runs one debate per
//! question (repeats, concurrency, shards for a cluster), and `agon judge --questions FILE`
//! has the judge work through the set in the TUI, one debate after another, resumably. Both
//! take the protocol flags and an LLM judge. See docs/question-sets.md and docs/llm-judge.md.

use super::progress::Outcome;
use super::{
    DebateArgs, engine_config, llm_debaters, resolve, sessions_dir, settings, tokio_runtime,
};
use crate::app::App;
use crate::app::study::StudyInfo;
use crate::config::{ConfigFile, Resolved, ResolvedJudge};
use crate::domain::{Format, Protocol, Roles, RoundKind, Session};
use crate::engine::driver::Debaters;
use crate::engine::headless::{self, Job};
use crate::engine::{EngineConfig, JudgeWhen, Mode, SaveTarget};
use crate::providers::Provider;
use crate::providers::llm::{LlmProvider, Wire};
use crate::providers::scripted::ScriptedProvider;
use crate::providers::scripted::questions::script_for;
use crate::providers::scripted::script::DemoScript;
use crate::questions::build::{Study, scripted_session, session_for};
use crate::questions::run::{RunEntry, RunFile};
use crate::questions::shard::Shard;
use crate::questions::{Question, QuestionSet};
use crate::theme::Theme;
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use time::OffsetDateTime;

/// How a question set's debates are run.
#[derive(Debug, Clone, Default, Args)]
pub struct StudyArgs {
    /// A question set (JSON Lines, one question per line; see docs/question-sets.md): one
    /// debate per question.
    #[arg(long, value_name = "FILE")]
    pub questions: Option<PathBuf>,
    /// Only shard K of N (from 0): the questions at positions K, K+N, K+2N... of the set, so a
    /// cluster's job array can split it (e.g. --shard $SLURM_ARRAY_TASK_ID/8).
    #[arg(long, value_name = "K/N", requires = "questions")]
    pub shard: Option<Shard>,
    /// Two debaters, or one consultant arguing an answer alone (the baseline).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub protocol: Option<FormatArg>,
    /// Both sides speak at once each round, without seeing each other's speech.
    #[arg(long)]
    pub simultaneous: bool,
    /// assigned: sides are drawn at random; open: the debater (or consultant) chooses its
    /// answer (Kenton et al. 2024).
    #[arg(long, value_enum, value_name = "ROLES")]
    pub roles: Option<RolesArg>,
    /// The run's seed: with each question's id and repeat it draws the sides (default: from
    /// the clock, printed so the run can be repeated).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// An LLM judge, PROVIDER:MODEL (e.g. openai:gpt-4o-mini); the [judge] config table sets
    /// the rest. With or without a question set: in the TUI it is the shadow judge, whose
    /// credence shows only after yours.
    #[arg(long, value_name = "PROVIDER:MODEL", value_parser = crate::config::judge::parse_judge_flag)]
    pub judge: Option<(Wire, String)>,
    /// When the LLM judge is asked: after each turn, or once at the end.
    #[arg(long, value_enum, value_name = "WHEN")]
    pub judge_when: Option<WhenArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Debate,
    Consultancy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RolesArg {
    Assigned,
    Open,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WhenArg {
    EachTurn,
    End,
}

impl StudyArgs {
    /// Whether any flag that only makes sense with a question set was given.
    pub fn any_set(&self) -> bool {
        self.protocol.is_some() || self.simultaneous || self.roles.is_some() || self.seed.is_some()
    }

    fn protocol(&self, rounds: u32, word_limit: Option<u32>) -> Protocol {
        Protocol {
            kind: if self.simultaneous {
                RoundKind::Simultaneous
            } else {
                RoundKind::Sequential
            },
            format: match self.protocol {
                Some(FormatArg::Consultancy) => Format::Consultancy,
                _ => Format::Debate,
            },
            roles: match self.roles {
                Some(RolesArg::Open) => Roles::Open,
                _ => Roles::Assigned,
            },
            word_limit,
            ..Protocol::rounds(rounds)
        }
    }
}

/// The LLM judge the flags and the config's `[judge]` table choose, if any.
pub fn llm_judge(
    args: &DebateArgs,
    flag: Option<(Wire, String)>,
    when: Option<WhenArg>,
) -> Result<Option<ResolvedJudge>> {
    let (file_cfg, cfg_path) = ConfigFile::load(args.config.as_deref())?;
    let env = |name: &str| std::env::var(name).ok();
    let base = cfg_path.as_deref().and_then(Path::parent);
    let when = when.map(|w| match w {
        WhenArg::EachTurn => JudgeWhen::EachTurn,
        WhenArg::End => JudgeWhen::End,
    });
    file_cfg
        .resolve_judge(flag, when, base, &env)
        .with_context(|| match &cfg_path {
            Some(p) => format!("in config file {}", p.display()),
            None => "choosing the LLM judge".into(),
        })
}

/// The LLM judge's provider, if there is a judge (call inside the runtime it will run on).
pub fn judge_provider(judge: Option<&ResolvedJudge>) -> Result<Option<Arc<dyn Provider>>> {
    match judge {
        Some(j) => {
            let p = LlmProvider::new(j.llm.clone()).map_err(anyhow::Error::msg)?;
            Ok(Some(Arc::new(p)))
        }
        None => Ok(None),
    }
}

/// Who argues the debates of a run.
enum Players {
    /// The configured LLM debaters.
    Llm(Box<Resolved>),
    /// No debaters are configured: the bundled scripted debate of each question that has one.
    Scripted { pace: f64 },
}

/// Everything a run needs besides the questions.
struct Plan {
    set: QuestionSet,
    study: Study,
    players: Players,
    judge: Option<ResolvedJudge>,
}

/// One debate ready to play.
struct Prepared {
    session: Session,
    debaters: Debaters,
    config: EngineConfig,
}

fn load_set(path: &Path) -> Result<QuestionSet> {
    let set = crate::questions::load(path)?;
    for p in &set.problems {
        eprintln!("agon: {}: {p} (skipped)", path.display());
    }
    Ok(set)
}

fn default_seed() -> u64 {
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    crate::domain::random::SplitMix64::new(nanos as u64).next_u64()
}

impl Plan {
    fn new(args: &DebateArgs, study_args: &StudyArgs, file: &Path, pace: f64) -> Result<Plan> {
        if args.question.is_some() {
            bail!("--question and --questions do not go together: the set holds the questions");
        }
        let set = load_set(file)?;
        let resolved = resolve(args)?;
        let judge = llm_judge(args, study_args.judge.clone(), study_args.judge_when)?;
        let (players, protocol) = match resolved {
            Some(r) => {
                let protocol = study_args.protocol(r.rounds, Some(r.word_limit));
                (Players::Llm(Box::new(r)), protocol)
            }
            None => (Players::Scripted { pace }, study_args.protocol(1, None)),
        };
        let seed = study_args.seed.unwrap_or_else(default_seed);
        Ok(Plan {
            study: Study {
                set: set.name.clone(),
                protocol,
                seed,
            },
            set,
            players,
            judge,
        })
    }

    /// The engine's settings for this run's debates.
    fn engine_config(&self) -> EngineConfig {
        let base = match &self.players {
            Players::Llm(r) => engine_config(r),
            Players::Scripted { .. } => EngineConfig::default(),
        };
        EngineConfig {
            llm_judge: self.judge.as_ref().map(|j| j.judge.clone()),
            ..base
        }
    }

    /// The LLM judge's provider (inside the runtime: its HTTP client belongs to it).
    fn judge_provider(&self) -> Result<Option<Arc<dyn Provider>>> {
        judge_provider(self.judge.as_ref())
    }

    /// Why question `q` cannot be played, if it cannot.
    fn unplayable(&self, q: &Question) -> Option<String> {
        match &self.players {
            Players::Llm(_) => None,
            Players::Scripted { .. } => match script_for(&self.set.name, &q.id) {
                Ok(Some(_)) if self.study.protocol.format != Format::Debate => {
                    Some("its scripted debate is a debate, not a consultancy".into())
                }
                Ok(Some(_)) if self.study.protocol.roles != Roles::Assigned => {
                    Some("its scripted debaters cannot choose their answers (--roles open)".into())
                }
                Ok(Some(_)) => None,
                Ok(None) => Some("no debaters are configured and it has no scripted debate".into()),
                Err(e) => Some(format!("{e:#}")),
            },
        }
    }

    /// A fresh session for repeat `repeat` of `q`, and who plays it.
    fn prepare(
        &self,
        q: &Question,
        repeat: u32,
        judge: Option<Arc<dyn Provider>>,
        now: OffsetDateTime,
    ) -> Result<Prepared> {
        let session = match &self.players {
            Players::Llm(r) => session_for(q, repeat, &self.study, &r.debaters(), now),
            Players::Scripted { .. } => {
                let script = self.script(q)?;
                scripted_session(q, repeat, &self.study, &script, now)?
            }
        };
        self.players_of(session, judge)
    }

    fn script(&self, q: &Question) -> Result<DemoScript> {
        script_for(&self.set.name, &q.id)?
            .with_context(|| format!("question {} has no scripted debate", q.id))
    }

    /// Who plays `session` (fresh, or resumed from its file).
    fn players_of(&self, session: Session, judge: Option<Arc<dyn Provider>>) -> Result<Prepared> {
        let mut config = self.engine_config();
        let debaters = match &self.players {
            Players::Llm(r) => {
                let d = llm_debaters(r)?;
                if session.protocol.format == Format::Consultancy {
                    // The consultant is the first configured debater, wherever it sits.
                    Debaters::both(d.a)
                } else {
                    d
                }
            }
            Players::Scripted { pace } => {
                let id = session
                    .question_ref
                    .as_ref()
                    .map(|r| r.id.clone())
                    .unwrap_or_default();
                let script = script_for(&self.set.name, &id)?
                    .with_context(|| format!("question {id} has no scripted debate"))?;
                config.drill_rounds = script.drill_rounds();
                Debaters::both(Arc::new(ScriptedProvider::new(Arc::new(script), *pace)))
            }
        };
        Ok(Prepared {
            session,
            debaters: debaters.judged_by(judge),
            config,
        })
    }
}

/// A file name for a debate of a set: `<set>_<id>_r<repeat>.json`, safe on any file system.
fn file_name(set: &str, id: &str, repeat: u32) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .take(60)
            .collect()
    };
    format!("{}_{}_r{repeat}.json", safe(set), safe(id))
}

/// `agon run --headless --questions FILE`: one debate per question (and repeat) of the shard,
/// `concurrency` at a time; each session's path on stdout as it is written.
pub fn run_headless(
    dir: Option<&Path>,
    args: &DebateArgs,
    study_args: &StudyArgs,
    file: &Path,
    out: Option<PathBuf>,
    repeat: u32,
    concurrency: usize,
) -> Result<ExitCode> {
    let plan = Plan::new(args, study_args, file, 0.0)?;
    let shard = study_args.shard.unwrap_or(Shard::ALL);
    let questions = shard.of(plan.set.questions.iter());
    let out_dir = match out {
        Some(d) => {
            std::fs::create_dir_all(&d)
                .with_context(|| format!("cannot create the folder {}", d.display()))?;
            d
        }
        None => sessions_dir(dir)?,
    };
    let rt = tokio_runtime()?;
    let _guard = rt.enter();
    let judge = plan.judge_provider()?;
    let now = OffsetDateTime::now_utc();
    let mut runs = Vec::new();
    let mut skipped = 0usize;
    for q in &questions {
        if let Some(why) = plan.unplayable(q) {
            eprintln!("agon: question {} left out: {why}", q.id);
            skipped += 1;
            continue;
        }
        for r in 1..=repeat {
            let p = plan.prepare(q, r, judge.clone(), now)?;
            let job = Job {
                session: p.session,
                target: SaveTarget::New {
                    dir: out_dir.clone(),
                    name: Some(file_name(&plan.set.name, &q.id, r)),
                },
                label: format!("[{} r{r}]", q.id),
            };
            runs.push((job, p.debaters, p.config));
        }
    }
    if runs.is_empty() {
        bail!(
            "no debate to run in {} (shard {shard}): {}",
            file.display(),
            if skipped > 0 {
                "configure debaters (see config.example.toml, or --provider and --model)"
            } else {
                "the shard holds no question"
            }
        );
    }
    eprintln!(
        "agon: {} debates of set {} (shard {shard}, seed {}, {})",
        runs.len(),
        plan.set.name,
        plan.study.seed,
        plan.study.protocol.format.label()
    );
    let total = runs.len();
    let mut progress = super::progress::Reporter::start(total, "debates");
    let lines = progress.lines();
    let log = |line: &str| lines.line(line);
    let log: headless::Log<'_> = &log;
    let failed = rt.block_on(async {
        let mut results =
            futures_util::stream::iter(runs.into_iter().map(|(job, d, c)| async move {
                let label = job.label.clone();
                (label, headless::run_one_with(job, d, c, log).await)
            }))
            .buffer_unordered(concurrency.max(1));
        let (mut done, mut failed) = (0usize, 0usize);
        while let Some((label, result)) = results.next().await {
            done += 1;
            match result {
                Ok(path) => {
                    lines.out(&path.display().to_string());
                    progress.step(done, Outcome::Ok, &format!("{label} written"));
                }
                Err(e) => {
                    failed += 1;
                    progress.step(
                        done,
                        Outcome::Failed,
                        &format!("{label} could not finish: {e:#}"),
                    );
                }
            }
        }
        failed
    });
    let tally = progress.finish();
    eprintln!(
        "agon: {} of {total} debates written in {}",
        tally.ok,
        super::progress::human(tally.elapsed)
    );
    Ok(if failed == 0 && skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `agon judge --questions FILE`: the judge works through the set in the TUI, one debate after
/// another; the run file beside the sessions lets them stop and continue later.
pub fn run_judge(
    dir: Option<&Path>,
    args: &DebateArgs,
    study_args: &StudyArgs,
    pace: f64,
    theme: Theme,
) -> Result<ExitCode> {
    let file = study_args
        .questions
        .as_deref()
        .context("agon judge needs a question set: agon judge --questions FILE")?;
    if study_args.shard.is_some() {
        bail!(
            "--shard splits a batch run (agon run --headless); a judge works through the whole set"
        );
    }
    let mut plan = Plan::new(args, study_args, file, pace)?;
    let sessions = sessions_dir(dir)?;
    let run_path = RunFile::path_for(&sessions, &plan.set.name);
    let mut run = match RunFile::load(&run_path)? {
        Some(run) => {
            if study_args.seed.is_some_and(|s| s != run.seed) {
                eprintln!(
                    "agon: continuing the run in {} with its seed {} (move the file away to start afresh)",
                    run_path.display(),
                    run.seed
                );
            }
            plan.study.seed = run.seed;
            plan.study.protocol = run.protocol.clone();
            run
        }
        None => new_run(&plan, file)?,
    };
    let total = run.entries.len();
    let Some(first) = run.next_unjudged() else {
        eprintln!(
            "agon: every debate of {} is judged ({total}); see agon stats",
            run_path.display()
        );
        return Ok(ExitCode::SUCCESS);
    };
    run.save(&run_path)?;
    let rt = tokio_runtime()?;
    let judge = {
        let _guard = rt.enter();
        plan.judge_provider()?
    };
    let mut guard = super::terminal::TerminalGuard::enter()?;
    let mut result = Ok(());
    for position in first..total {
        let Some(entry) = run.entries.get(position).cloned() else {
            break;
        };
        if entry.judged {
            continue;
        }
        let outcome = judge_one(
            &rt,
            &mut guard,
            &plan,
            &sessions,
            &entry,
            position,
            total,
            judge.clone(),
            args,
            &theme,
        );
        match outcome {
            Ok((path, judged, next)) => {
                if let Some(e) = run.entries.get_mut(position) {
                    e.session =
                        path.and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
                    e.judged = judged;
                }
                run.save(&run_path)?;
                if !next {
                    break;
                }
            }
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    drop(guard);
    result?;
    let judged = run.judged();
    if judged == total {
        println!(
            "All {total} debates of set {} judged. agon stats has the numbers.",
            plan.set.name
        );
    } else {
        println!(
            "Judged {judged} of {total}; agon judge --questions {} continues.",
            file.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A new run: one entry per question that can be played, saying which cannot.
fn new_run(plan: &Plan, file: &Path) -> Result<RunFile> {
    let mut entries = Vec::new();
    let mut left_out = Vec::new();
    for q in &plan.set.questions {
        match plan.unplayable(q) {
            None => entries.push(RunEntry {
                id: q.id.clone(),
                repeat: 1,
                session: None,
                judged: false,
            }),
            Some(why) => left_out.push((q.id.clone(), why)),
        }
    }
    for (id, why) in &left_out {
        eprintln!("agon: question {id} left out: {why}");
    }
    if entries.is_empty() {
        bail!(
            "no question of {} can be played: configure debaters (see config.example.toml, or \
             --provider and --model)",
            file.display()
        );
    }
    if !left_out.is_empty() {
        eprintln!(
            "agon: judging {} of {} questions; configure debaters to judge them all",
            entries.len(),
            plan.set.questions.len()
        );
    }
    Ok(RunFile {
        set: plan.set.name.clone(),
        questions_file: file.display().to_string(),
        seed: plan.study.seed,
        protocol: plan.study.protocol.clone(),
        entries,
    })
}

/// Judges one debate of the run in the TUI: its saved session when it began before, else a new
/// one. Returns the session file, whether it was judged, and whether to go on to the next.
#[allow(clippy::too_many_arguments)]
fn judge_one(
    rt: &tokio::runtime::Runtime,
    guard: &mut super::terminal::TerminalGuard,
    plan: &Plan,
    sessions: &Path,
    entry: &RunEntry,
    position: usize,
    total: usize,
    judge: Option<Arc<dyn Provider>>,
    args: &DebateArgs,
    theme: &Theme,
) -> Result<(Option<PathBuf>, bool, bool)> {
    let now = OffsetDateTime::now_utc();
    let q = plan
        .set
        .questions
        .iter()
        .find(|q| q.id == entry.id)
        .with_context(|| format!("question {} is no longer in the set", entry.id))?;
    let existing = entry.session.as_ref().map(|name| sessions.join(name));
    let mut lock = None;
    let (prepared, target) = match existing.filter(|p| p.exists()) {
        Some(path) => {
            let loaded = crate::storage::load(&path)?;
            if let Some(reason) = loaded.read_only_reason {
                bail!("{} cannot be judged: {reason}", path.display());
            }
            lock = Some(
                crate::storage::SessionLock::try_acquire(&path)
                    .map_err(|l| anyhow::anyhow!("{}", l.read_only_reason()))?,
            );
            // A turn cut off mid-stream is played again by the engine (`Engine::start`).
            let _g = rt.enter();
            (
                plan.players_of(loaded.session, judge)?,
                SaveTarget::File(path),
            )
        }
        None => {
            let _g = rt.enter();
            let p = plan.prepare(q, entry.repeat, judge, now)?;
            let target = SaveTarget::New {
                dir: sessions.to_path_buf(),
                name: Some(file_name(&plan.set.name, &q.id, entry.repeat)),
            };
            (p, target)
        }
    };
    let mut settings = settings(args, theme.clone())?;
    settings.sessions_dir = Some(sessions.to_path_buf());
    settings.source_label = match &plan.players {
        Players::Llm(r) => format!("{} vs {}", r.names[0], r.names[1]),
        Players::Scripted { .. } => "scripted debate".into(),
    };
    settings.study = Some(StudyInfo {
        set: plan.set.name.clone(),
        position: position + 1,
        total,
    });
    settings.ask_prior = true;
    if let Some(j) = &plan.judge {
        settings.disagreement = j.disagreement;
    }
    let mut session = prepared.session;
    session.judge.blind = settings.blind;
    let engine = crate::engine::Engine::new(session, Mode::Live, prepared.config, Some(target));
    let editor: super::runtime::EditorFn = Box::new(super::terminal::edit_in_editor);
    let app = App::new(engine, settings);
    let app = rt.block_on(super::runtime::run(
        app,
        prepared.debaters,
        &mut guard.terminal,
        Some(editor),
    ))?;
    drop(lock);
    let path = app.engine.saving().path().map(Path::to_path_buf);
    let judged = app.session().verdict.is_some();
    if app.ended_unsaved() {
        bail!("the session of question {} could not be saved", q.id);
    }
    Ok((path, judged, app.next_question))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("sample", "q/1 x", 2), "sample_q-1-x_r2.json");
    }
}
