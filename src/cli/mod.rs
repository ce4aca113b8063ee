//! Command-line interface: parses arguments and starts the right screen.

pub mod extract;
pub mod import;
mod llm_rejudge;
pub mod logging;
pub mod progress;
pub mod runtime;
pub mod sessions;
pub mod stats;
pub mod study;
pub mod terminal;
mod theme;

use crate::app::{App, Settings};
use crate::config::{ConfigFile, DebaterSettings, Overrides, Resolved, ResolvedJudge};
use crate::domain::{DebateSetup, JudgeInfo, Positions, Protocol, RoundKind, Session};
use crate::engine::driver::Debaters;
use crate::engine::headless::{self, Batch, Job};
use crate::engine::{Engine, EngineConfig, Mode, SaveTarget};
use crate::providers::Provider;
use crate::providers::llm::{LlmProvider, Wire};
use crate::providers::recorded::RecordedProvider;
use crate::providers::scripted::ScriptedProvider;
use crate::providers::scripted::script::DemoScript;
use crate::storage;
use crate::theme::Theme;
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use terminal::TerminalGuard;
use time::OffsetDateTime;

/// Words per second of the scripted demo: quick enough to watch, slow enough to read along.
pub const DEFAULT_PACE: f64 = 12.0;

#[derive(Debug, Parser)]
#[command(
    name = "agon",
    version,
    about = "Judge AI debates in the terminal: watch two debaters argue, map their claims, record a verdict.",
    long_about = None
)]
pub struct Cli {
    /// Where session files are written and found.
    #[arg(long, global = true, env = "AGON_SESSIONS_DIR", value_name = "DIR")]
    pub sessions_dir: Option<PathBuf>,

    /// A theme: dark, light, high-contrast, okabe-ito, one in the config folder's themes/, or a
    /// theme file (see docs/themes.md).
    #[arg(long, global = true, env = "AGON_THEME", value_name = "NAME|FILE")]
    pub theme: Option<String>,

    /// Leave the mouse to the terminal (its own text selection) instead of scrolling and
    /// clicking in agon; also `[ui] mouse = false` in the config.
    #[arg(long, global = true)]
    pub no_mouse: bool,

    #[command(flatten)]
    pub debate: DebateArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Choosing the debaters and the question (see config.example.toml).
#[derive(Debug, Clone, Default, Args)]
pub struct DebateArgs {
    /// The config file (default: config.toml in the platform config directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The question to debate; without it a dialog asks.
    #[arg(long, global = true, value_name = "TEXT")]
    pub question: Option<String>,
    /// Rounds (each side speaks once per round).
    #[arg(long, global = true, value_name = "N")]
    pub rounds: Option<u32>,
    /// The answer debater A argues for (default "Yes", or the config's position_a).
    #[arg(long, global = true, value_name = "TEXT")]
    pub answer_a: Option<String>,
    /// The answer debater B argues for (default "No", or the config's position_b).
    #[arg(long, global = true, value_name = "TEXT")]
    pub answer_b: Option<String>,
    /// Provider for both debaters.
    #[arg(long, global = true, value_enum)]
    pub provider: Option<Wire>,
    /// Base URL for both debaters (e.g. http://localhost:11434 for Ollama).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Model for both debaters.
    #[arg(long, global = true, value_name = "NAME")]
    pub model: Option<String>,
    /// Provider for debater A.
    #[arg(long, global = true, value_enum)]
    pub provider_a: Option<Wire>,
    /// Provider for debater B.
    #[arg(long, global = true, value_enum)]
    pub provider_b: Option<Wire>,
    /// Base URL for debater A.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url_a: Option<String>,
    /// Base URL for debater B.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url_b: Option<String>,
    /// Model for debater A.
    #[arg(long, global = true, value_name = "NAME")]
    pub model_a: Option<String>,
    /// Model for debater B.
    #[arg(long, global = true, value_name = "NAME")]
    pub model_b: Option<String>,
    /// Hide the debaters' providers and models until the verdict.
    #[arg(long, global = true)]
    pub blind: bool,
    /// The side that is right, when known: kept hidden until your verdict, then used to score it.
    #[arg(long, global = true, value_name = "A|B", value_parser = parse_side)]
    pub ground_truth: Option<crate::domain::Side>,
}

fn parse_side(s: &str) -> Result<crate::domain::Side, String> {
    match s {
        "A" | "a" => Ok(crate::domain::Side::A),
        "B" | "b" => Ok(crate::domain::Side::B),
        _ => Err(format!("{s:?} is not a side: use A or B")),
    }
}

/// How the judge works, from the config's [judging] and [keys] and the flags.
fn settings(args: &DebateArgs, theme: Theme) -> Result<Settings> {
    let (file, path) = ConfigFile::load(args.config.as_deref())?;
    let context = || match &path {
        Some(p) => format!("in config file {}", p.display()),
        None => "in the judging settings".to_string(),
    };
    let keymap = crate::app::keymap::Keymap::with_overrides(&file.key_overrides())
        .map_err(anyhow::Error::msg)
        .with_context(context)?;
    Ok(Settings {
        keymap,
        tags: file.judging.tags().with_context(context)?,
        turn_penalty: file.judging.turn_penalty().with_context(context)?,
        blind: args.blind || file.judging.blind.unwrap_or(false),
        theme,
        themes: theme::choices(args.config.as_deref()),
        ..Settings::default()
    })
}

impl DebateArgs {
    fn overrides(&self) -> Overrides {
        let settings =
            |provider: Option<Wire>, base_url: &Option<String>, model: &Option<String>| {
                DebaterSettings {
                    provider,
                    base_url: base_url.clone(),
                    model: model.clone(),
                    ..DebaterSettings::default()
                }
            };
        Overrides {
            both: settings(self.provider, &self.base_url, &self.model),
            a: settings(self.provider_a, &self.base_url_a, &self.model_a),
            b: settings(self.provider_b, &self.base_url_b, &self.model_b),
            rounds: self.rounds,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Watch the bundled scripted demo debate (no key, no network).
    Demo {
        /// Words per second; 0 shows each turn at once.
        #[arg(long, default_value_t = DEFAULT_PACE, value_name = "WORDS_PER_SEC", value_parser = parse_pace)]
        pace: f64,
    },
    /// Step through a saved session, read-only.
    Replay {
        /// The session file.
        file: PathBuf,
        /// Words per second while a turn plays; 0 shows each turn at once.
        #[arg(long, default_value_t = 0.0, value_name = "WORDS_PER_SEC", value_parser = parse_pace)]
        pace: f64,
        /// Replay another judge's judgement (1, 2, ...) instead of the original judge's.
        #[arg(long, value_name = "N")]
        judgement: Option<u32>,
    },
    /// Judge a recorded debate again, step by step, with the earlier judgements hidden. Your
    /// judgement is saved beside them in the same file; theirs are never changed.
    ///
    /// With --judge, an LLM judges instead, without a screen: every debate that is over among
    /// the files (and folders) given, as its judge saw it.
    Rejudge {
        /// The session file; with --judge, any number of files and folders.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Words per second while a turn plays; 0 shows each turn at once.
        #[arg(long, default_value_t = 0.0, value_name = "WORDS_PER_SEC", value_parser = parse_pace)]
        pace: f64,
        /// An LLM judges, PROVIDER:MODEL (e.g. ollama:llama3.1); the config's [judge] table
        /// sets its base URL, prompt and the rest.
        #[arg(long, value_name = "PROVIDER:MODEL", value_parser = crate::config::judge::parse_judge_flag)]
        judge: Option<(Wire, String)>,
        /// When the LLM judge reads the debate: after each turn a judge would weigh in, or
        /// once at the end.
        #[arg(long, value_enum, value_name = "WHEN", requires = "judge")]
        judge_when: Option<study::WhenArg>,
        /// Debates judged at once by the LLM judge.
        #[arg(long, default_value_t = 1, value_name = "K", requires = "judge", value_parser = clap::value_parser!(u32).range(1..))]
        concurrency: u32,
    },
    /// Continue a session that was cut off: the unfinished turn is played again; nothing
    /// else changes. The same debaters are used unless flags choose others.
    #[command(group = clap::ArgGroup::new("which").required(true).args(["file", "last"]))]
    Resume {
        /// The session file (it is updated in place).
        file: Option<PathBuf>,
        /// The most recently saved unfinished session in the sessions directory.
        #[arg(long)]
        last: bool,
        /// Words per second of a scripted demo debater; 0 shows each turn at once.
        #[arg(long, default_value_t = DEFAULT_PACE, value_name = "WORDS_PER_SEC", value_parser = parse_pace)]
        pace: f64,
    },
    /// Branch a saved debate after one of its turns into a new session that continues live,
    /// with the same debaters or others (flags). The fork records where it came from.
    Fork {
        /// The session file to branch from (left unchanged).
        file: PathBuf,
        /// How many turns of the original to keep (default: all that finished).
        #[arg(long, value_name = "N")]
        after_turn: Option<usize>,
        /// Words per second of a scripted demo debater; 0 shows each turn at once.
        #[arg(long, default_value_t = DEFAULT_PACE, value_name = "WORDS_PER_SEC", value_parser = parse_pace)]
        pace: f64,
    },
    /// Run a debate with the configured debaters (the demo if none are configured).
    Run {
        /// No screen: run whole debates, progress on stderr, session paths on stdout.
        #[arg(long)]
        headless: bool,
        /// The session file to write (with --repeat, numbered name-1.json, name-2.json...).
        #[arg(long, value_name = "FILE", requires = "headless")]
        out: Option<PathBuf>,
        /// How many debates to run.
        #[arg(long, default_value_t = 1, value_name = "N", requires = "headless", value_parser = clap::value_parser!(u32).range(1..))]
        repeat: u32,
        /// How many debates run at once.
        #[arg(long, default_value_t = 1, value_name = "K", requires = "headless", value_parser = clap::value_parser!(u32).range(1..))]
        concurrency: u32,
        #[command(flatten)]
        study: study::StudyArgs,
    },
    /// Judge a question set in the TUI, one debate after another (agon judge --questions FILE);
    /// quitting keeps your place, and the same command continues.
    Judge {
        #[command(flatten)]
        study: study::StudyArgs,
        /// Words per second of a scripted debate; 0 shows each turn at once.
        #[arg(long, default_value_t = DEFAULT_PACE, value_name = "WORDS_PER_SEC", value_parser = parse_pace)]
        pace: f64,
    },
    /// Export a saved session: a Markdown transcript, JSON Lines judgements, or an HTML page.
    Export {
        /// The session file.
        file: PathBuf,
        /// md (transcript), jsonl (one record per judgement) or html (one self-contained page).
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of standard output (never over an existing file).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// With --out: replace the file if it exists (atomically: the old one stays whole until
        /// the new one is complete).
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Give a recorded debate its claim tree (or rebuild it) with an extractor model: claims
    /// per turn, what each supports or attacks, concessions. --undo takes it back.
    Extract(extract::ExtractArgs),
    /// Import debates recorded elsewhere as session files.
    Import {
        #[command(subcommand)]
        source: import::Source,
    },
    /// Browse the saved sessions: sort, filter, search, open, rename, delete.
    Sessions {
        /// Print one line per session (path, date, state, question) instead of the browser;
        /// also what happens when standard output is not a terminal.
        #[arg(long)]
        list: bool,
        /// Words per second of a scripted demo debater in a session continued from the
        /// browser; 0 shows each turn at once.
        #[arg(long, default_value_t = DEFAULT_PACE, value_name = "WORDS_PER_SEC", value_parser = parse_pace)]
        pace: f64,
    },
    /// Accuracy, calibration, agreement and debater ratings over the saved sessions (the
    /// numbers debate papers report; see docs/stats.md).
    Stats(stats::StatsArgs),
}

/// The slowest pace worth asking for: a word every 100 s.
const MIN_PACE: f64 = 0.01;

fn parse_pace(s: &str) -> Result<f64, String> {
    let pace: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if pace == 0.0 || (pace.is_finite() && pace >= MIN_PACE) {
        Ok(pace)
    } else {
        Err(format!(
            "the pace is in words per second: 0 (all at once) or from {MIN_PACE} up"
        ))
    }
}

/// Runs the command line; errors are printed by `main`.
pub fn main() -> Result<ExitCode> {
    let cli = Cli::parse();
    let log = crate::cli::logging::init()?;
    if let Some(path) = &log {
        tracing::info!(path = %path.display(), "agon {} starting", env!("CARGO_PKG_VERSION"));
    }
    // Only the screens need a theme: a broken one must not stop an export or a batch run.
    let theme = || theme::startup(cli.theme.as_deref(), cli.debate.config.as_deref());
    terminal::want_mouse(mouse_wanted(&cli));
    let dir = cli.sessions_dir.as_deref();
    match cli.command {
        Some(Command::Demo { pace }) => run_demo(dir, &cli.debate, pace, false, theme()),
        Some(Command::Replay {
            ref file,
            pace,
            judgement,
        }) => run_replay(dir, file, pace, judgement, theme()),
        Some(Command::Rejudge {
            ref files,
            pace,
            ref judge,
            judge_when,
            concurrency,
        }) => match (judge, files.as_slice()) {
            (Some(flag), _) => {
                let judge = study::llm_judge(&cli.debate, Some(flag.clone()), judge_when)?
                    .context("choosing the LLM judge")?;
                llm_rejudge::run(files, judge, concurrency as usize)
            }
            (None, [file]) => run_rejudge(file, pace, &cli.debate, theme()),
            (None, _) => bail!(
                "a person re-judges one debate at a time; --judge PROVIDER:MODEL has an LLM judge many"
            ),
        },
        Some(Command::Resume {
            ref file,
            last,
            pace,
        }) => {
            let file = match file {
                Some(f) if !last => f.clone(),
                _ => last_unfinished(dir)?,
            };
            continue_session(dir, &cli.debate, &file, None, pace, theme())
        }
        Some(Command::Fork {
            ref file,
            after_turn,
            pace,
        }) => continue_session(dir, &cli.debate, file, Some(after_turn), pace, theme()),
        Some(Command::Sessions { list, pace }) => {
            sessions::run(dir, list, &cli.debate, pace, theme())
        }
        Some(Command::Import { ref source }) => import::run(dir, source),
        Some(Command::Extract(ref args)) => extract::run(args, cli.debate.config.as_deref()),
        Some(Command::Stats(ref args)) => stats::run(dir, args, theme()),
        Some(Command::Export {
            ref file,
            format,
            ref out,
            force,
        }) => run_export(file, format, out.as_deref(), force),
        Some(Command::Judge { ref study, pace }) => {
            study::run_judge(dir, &cli.debate, study, pace, theme())
        }
        Some(Command::Run {
            headless: true,
            out,
            repeat,
            concurrency,
            ref study,
        }) => match &study.questions {
            Some(file) => study::run_headless(
                dir,
                &cli.debate,
                study,
                file,
                out,
                repeat,
                concurrency as usize,
            ),
            None if study.any_set() => bail!(
                "--protocol, --roles, --simultaneous and --seed work with a question set: add --questions FILE"
            ),
            None => {
                let judge = study::llm_judge(&cli.debate, study.judge.clone(), study.judge_when)?;
                let batch = (out, repeat as usize, concurrency as usize);
                run_headless(dir, &cli.debate, batch, judge)
            }
        },
        Some(Command::Run {
            headless: false,
            ref study,
            ..
        }) if study.questions.is_some() || study.any_set() => {
            bail!("to judge a question set in the TUI: agon judge --questions FILE")
        }
        None
        | Some(Command::Run {
            headless: false, ..
        }) => match resolve(&cli.debate)? {
            None => run_demo(dir, &cli.debate, DEFAULT_PACE, true, theme()),
            Some(resolved) => {
                let (flag, when) = match &cli.command {
                    Some(Command::Run { study, .. }) => (study.judge.clone(), study.judge_when),
                    _ => (None, None),
                };
                let judge = study::llm_judge(&cli.debate, flag, when)?;
                run_live(dir, &cli.debate, resolved, judge, theme())
            }
        },
    }
}

/// Whether the screens take the mouse: not with `--no-mouse` or `[ui] mouse = false`. A config
/// that does not load counts as saying nothing here: the commands that read it say why.
fn mouse_wanted(cli: &Cli) -> bool {
    !cli.no_mouse
        && ConfigFile::load(cli.debate.config.as_deref())
            .map_or(true, |(file, _)| file.ui.mouse != Some(false))
}

/// The configured debaters, or `None` if none are (the demo then runs). `--answer-a` and
/// `--answer-b` replace the config's positions.
fn resolve(args: &DebateArgs) -> Result<Option<Resolved>> {
    let (file, path) = ConfigFile::load(args.config.as_deref())?;
    let base = path.as_deref().and_then(Path::parent);
    let env = |name: &str| std::env::var(name).ok();
    let resolved = file.resolve(&args.overrides(), base, &env);
    let mut resolved = match &path {
        Some(p) => resolved.with_context(|| format!("in config file {}", p.display()))?,
        None => resolved?,
    };
    if let Some(r) = &mut resolved {
        let (a, b) = answers(args, &r.position_a, &r.position_b)?;
        (r.position_a, r.position_b) = (a, b);
    }
    Ok(resolved)
}

/// The two answers: the flags' where given, else `a` and `b`; they must be two different
/// answers.
fn answers(args: &DebateArgs, a: &str, b: &str) -> Result<(String, String)> {
    let pick = |flag: &Option<String>, default: &str, name: &str| -> Result<String> {
        let text = flag.as_deref().unwrap_or(default).trim();
        if text.is_empty() {
            bail!("--{name} is empty: give the answer that side argues for");
        }
        Ok(text.to_string())
    };
    let (a, b) = (
        pick(&args.answer_a, a, "answer-a")?,
        pick(&args.answer_b, b, "answer-b")?,
    );
    if a == b {
        bail!("--answer-a and --answer-b are both {a:?}: the sides need different answers");
    }
    Ok((a, b))
}

fn llm_debaters(resolved: &Resolved) -> Result<Debaters> {
    let a = LlmProvider::new(resolved.a.clone()).map_err(anyhow::Error::msg)?;
    let b = LlmProvider::new(resolved.b.clone()).map_err(anyhow::Error::msg)?;
    Ok(Debaters {
        a: Arc::new(a),
        b: Arc::new(b),
        judge: None,
    })
}

/// How the engine runs debates with these debaters.
fn engine_config(resolved: &Resolved) -> EngineConfig {
    EngineConfig {
        retry: resolved.retry.clone(),
        drill_rounds: resolved.drill_rounds,
        turn_deadline: resolved.turn_deadline,
        repair_claims: resolved.repair_claims,
        ..EngineConfig::default()
    }
}

fn live_setup(resolved: &Resolved, question: String) -> DebateSetup {
    DebateSetup {
        question,
        positions: Positions {
            a: resolved.position_a.clone(),
            b: resolved.position_b.clone(),
        },
        protocol: Protocol {
            kind: RoundKind::Sequential,
            word_limit: Some(resolved.word_limit),
            ..Protocol::rounds(resolved.rounds)
        },
        debaters: resolved.debaters(),
    }
}

fn sessions_dir(flag: Option<&Path>) -> Result<PathBuf> {
    let dir = match flag {
        Some(d) => d.to_path_buf(),
        None => storage::default_sessions_dir().context(
            "cannot find a data directory; pass --sessions-dir or set AGON_SESSIONS_DIR",
        )?,
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the sessions directory {}", dir.display()))?;
    Ok(dir)
}

fn tokio_runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The lines the start dialog shows about who will argue.
fn debaters_note(session: &Session, blind: bool) -> Vec<String> {
    crate::app::dialogs::start::debater_lines(session, blind)
}

/// The one line that configures real debaters.
const CONFIGURE_LINE: &str = "agon --provider ollama --model llama3.1";

/// Why the demo plays instead of a debate, and how to configure debaters: for the screen's
/// notice (`short`) and for the terminal after it closes (`long`, with the config's path).
fn demo_explanation(args: &DebateArgs) -> (String, String) {
    let ignored = [
        (args.question.is_some(), "--question"),
        (args.answer_a.is_some(), "--answer-a"),
        (args.answer_b.is_some(), "--answer-b"),
    ]
    .iter()
    .filter(|(given, _)| *given)
    .map(|(_, flag)| *flag)
    .collect::<Vec<_>>();
    let ignored = if ignored.is_empty() {
        String::new()
    } else {
        format!(" ({} need debaters)", ignored.join(", "))
    };
    let config = args
        .config
        .clone()
        .or_else(crate::config::default_path)
        .map_or_else(|| "a config file".to_string(), |p| p.display().to_string());
    let short = format!(
        "No debaters are configured, so this is the scripted demo{ignored}. Real models: {CONFIGURE_LINE}"
    );
    let long = format!(
        "no debaters are configured, so the scripted demo played{ignored}. To debate real models: \
         {CONFIGURE_LINE} (see agon --help), or copy config.example.toml to {config}."
    );
    (short, long)
}

/// The scripted demo; `unconfigured` when it plays because no debaters are configured, which
/// it then says, with how to configure them.
fn run_demo(
    dir: Option<&Path>,
    args: &DebateArgs,
    pace: f64,
    unconfigured: bool,
    theme: Theme,
) -> Result<ExitCode> {
    let script = Arc::new(DemoScript::bundled()?);
    let mut session = Session::new(script.setup(), OffsetDateTime::now_utc());
    session.ground_truth = args.ground_truth;
    let dir = sessions_dir(dir)?;
    let mut settings = settings(args, theme)?;
    settings.source_label = "scripted demo".into();
    settings.drillable = Some(script.subdebates.iter().map(|s| s.node.clone()).collect());
    settings.sessions_dir = Some(dir.clone());
    session.judge.blind = settings.blind;
    let cfg = EngineConfig {
        drill_rounds: script.drill_rounds(),
        ..EngineConfig::default()
    };
    let target = SaveTarget::New { dir, name: None };
    let engine = Engine::new(session, Mode::Live, cfg, Some(target));
    let mut app = App::new(engine, settings);
    let (short, long) = demo_explanation(args);
    if unconfigured {
        app.notice = Some(crate::app::Notice {
            level: crate::app::Level::Info,
            text: short,
        });
    }
    let provider = Arc::new(ScriptedProvider::new(script, pace));
    let app = run_tui(app, Debaters::both(provider), Screen::Own)?;
    let mut report = exit_report(&app);
    if unconfigured {
        report.err.push(long);
    }
    Ok(report.print())
}

/// A live debate in the TUI, with the LLM judge (if any) as the shadow judge.
fn run_live(
    dir: Option<&Path>,
    args: &DebateArgs,
    resolved: Resolved,
    judge: Option<ResolvedJudge>,
    theme: Theme,
) -> Result<ExitCode> {
    let question = args.question.clone().unwrap_or_default();
    let mut session = Session::new(live_setup(&resolved, question), OffsetDateTime::now_utc());
    session.ground_truth = args.ground_truth;
    let mut settings = settings(args, theme)?;
    session.judge.blind = settings.blind;
    settings.source_label = format!("{} vs {}", resolved.names[0], resolved.names[1]);
    settings.debaters_note = debaters_note(&session, settings.blind);
    let dir = sessions_dir(dir)?;
    settings.sessions_dir = Some(dir.clone());
    let target = SaveTarget::New { dir, name: None };
    if let Some(j) = &judge {
        settings.disagreement = j.disagreement;
    }
    let config = EngineConfig {
        llm_judge: judge.as_ref().map(|j| j.judge.clone()),
        ..engine_config(&resolved)
    };
    let engine = Engine::new(session, Mode::Live, config, Some(target));
    let rt = tokio_runtime()?;
    // The HTTP clients belong to the runtime they run on.
    let debaters = {
        let _guard = rt.enter();
        llm_debaters(&resolved)?.judged_by(study::judge_provider(judge.as_ref())?)
    };
    let app = run_tui_on(&rt, App::new(engine, settings), debaters, Screen::Own)?;
    Ok(report_exit(&app))
}

/// `resume --last`: the unfinished session of the sessions directory saved most recently.
fn last_unfinished(dir: Option<&Path>) -> Result<PathBuf> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => storage::default_sessions_dir().context(
            "cannot find a data directory; pass --sessions-dir or set AGON_SESSIONS_DIR",
        )?,
    };
    let index = storage::index::Index::open(&dir)
        .with_context(|| format!("cannot read the sessions directory {}", dir.display()))?;
    newest_unfinished(&index).with_context(|| {
        format!(
            "no unfinished session in {} (agon sessions lists them all)",
            dir.display()
        )
    })
}

/// The unfinished session modified last (the newest name among equals).
pub fn newest_unfinished(index: &storage::index::Index) -> Option<PathBuf> {
    index
        .entries
        .iter()
        .filter(|s| s.state == storage::index::State::Unfinished)
        .max_by(|a, b| {
            a.modified
                .cmp(&b.modified)
                .then_with(|| a.file_name.cmp(&b.file_name))
        })
        .map(|s| s.path.clone())
}

/// Loads a session file, or prints why not (exit 2).
fn load_or_report(file: &Path) -> std::result::Result<storage::Loaded, ExitCode> {
    storage::load(file).map_err(|e| {
        eprintln!("agon: {e}");
        ExitCode::from(2)
    })
}

/// `resume` (in place) and `fork` (into a new file): a saved debate continues live.
fn continue_session(
    dir: Option<&Path>,
    args: &DebateArgs,
    file: &Path,
    fork_after: Option<Option<usize>>,
    pace: f64,
    theme: Theme,
) -> Result<ExitCode> {
    continue_on(Screen::Own, dir, args, file, fork_after, pace, theme).map(Report::print)
}

/// [`continue_session`] on a screen.
pub fn continue_on(
    screen: Screen,
    dir: Option<&Path>,
    args: &DebateArgs,
    file: &Path,
    fork_after: Option<Option<usize>>,
    pace: f64,
    theme: Theme,
) -> Result<Report> {
    let loaded = match storage::load(file) {
        Ok(l) => l,
        Err(e) => return Ok(Report::failed(2, e.to_string())),
    };
    if let Some(reason) = loaded.read_only_reason {
        bail!("{} cannot be continued: {reason}", file.display());
    }
    let now = OffsetDateTime::now_utc();
    // A resume writes the file in place: no other agon may write it meanwhile.
    let mut lock = None;
    let (mut session, target) = match fork_after {
        None => {
            match storage::SessionLock::try_acquire(file) {
                Ok(l) => lock = Some(l),
                Err(locked) => {
                    return open_read_only(screen, loaded.session, &locked, pace, theme);
                }
            }
            (loaded.session, SaveTarget::File(file.to_path_buf()))
        }
        Some(after) => {
            let keep = after.unwrap_or(loaded.session.turns().len());
            let fork = loaded
                .session
                .fork(keep, Some(file.display().to_string()), now);
            let name = fork
                .file_name()
                .replace(".json", &format!("_fork{keep}.json"));
            let target = SaveTarget::New {
                dir: sessions_dir(dir)?,
                name: Some(name),
            };
            (fork, target)
        }
    };
    // A turn saved while it was still streaming was cut off: the engine plays it again when
    // it starts, keeping what was saved as an attempt (`Engine::start`).
    let mut report = Report::default();
    let over = session.next_slot().is_none();
    if over {
        report.err.push(format!(
            "{} has no turns left to play; it was opened to judge.",
            file.display()
        ));
    }
    if args.ground_truth.is_some() {
        session.ground_truth = args.ground_truth;
    }
    let scripted = session
        .debaters
        .iter()
        .all(|d| d.provider == ScriptedProvider::NAME);
    let o = args.overrides();
    let flags_choose =
        o.both.provider.is_some() || o.a.provider.is_some() || o.b.provider.is_some();
    let mut settings = settings(args, theme)?;
    settings.sessions_dir = match &target {
        SaveTarget::File(p) => p.parent().map(Path::to_path_buf),
        SaveTarget::New { dir, .. } => Some(dir.clone()),
    };
    let rt = tokio_runtime()?;
    let (debaters, cfg) = if scripted && !flags_choose {
        let script = Arc::new(DemoScript::bundled()?);
        settings.source_label = "scripted demo".into();
        settings.drillable = Some(script.subdebates.iter().map(|s| s.node.clone()).collect());
        let cfg = EngineConfig {
            drill_rounds: script.drill_rounds(),
            ..EngineConfig::default()
        };
        (
            Debaters::both(Arc::new(ScriptedProvider::new(script, pace))),
            cfg,
        )
    } else {
        let resolved = resolve_recorded(args, &session)?;
        settings.source_label = format!("{} vs {}", resolved.names[0], resolved.names[1]);
        // The session keeps the debaters it now continues with.
        session.debaters = resolved.debaters();
        let _guard = rt.enter();
        (llm_debaters(&resolved)?, engine_config(&resolved))
    };
    let engine = Engine::new(session, Mode::Live, cfg, Some(target));
    let mut app = App::new(engine, settings);
    if over {
        app.notice = Some(crate::app::Notice {
            level: crate::app::Level::Info,
            text: "No turns are left to play: judge it (c credence, v verdict).".into(),
        });
    }
    let app = run_tui_on(&rt, app, debaters, screen)?;
    drop(lock);
    let end = exit_report(&app);
    report.out.extend(end.out);
    report.err.extend(end.err);
    report.code = end.code;
    report.path = end.path;
    Ok(report)
}

/// The debaters to continue a session with: the recorded ones, unless flags say otherwise.
fn resolve_recorded(args: &DebateArgs, session: &Session) -> Result<Resolved> {
    use clap::ValueEnum;
    let (file, path) = ConfigFile::load(args.config.as_deref())?;
    let o = args.overrides();
    let recorded = |side: crate::domain::Side, flags: &DebaterSettings| {
        let d = session.debater(side);
        let base = DebaterSettings {
            provider: d.and_then(|d| Wire::from_str(&d.provider, true).ok()),
            base_url: d.and_then(|d| d.base_url.clone()),
            model: d.map(|d| d.model.clone()),
            name: d.map(|d| d.name.clone()),
            temperature: d.and_then(|d| d.params.temperature),
            max_tokens: d.and_then(|d| d.params.max_tokens),
            ..DebaterSettings::default()
        };
        base.layered(&o.both).layered(flags)
    };
    let layered = Overrides {
        both: DebaterSettings::default(),
        a: recorded(crate::domain::Side::A, &o.a),
        b: recorded(crate::domain::Side::B, &o.b),
        rounds: o.rounds,
    };
    let env = |name: &str| std::env::var(name).ok();
    let base = path.as_deref().and_then(Path::parent);
    file.resolve(&layered, base, &env)?.context(
        "the session's debaters are not ones agon can call; choose them with --provider and --model",
    )
}

/// `agon run --headless`: `(out, repeat, concurrency)` debates of one question, with the LLM
/// judge (if any) judging each.
fn run_headless(
    dir: Option<&Path>,
    args: &DebateArgs,
    (out, repeat, concurrency): (Option<PathBuf>, usize, usize),
    judge: Option<ResolvedJudge>,
) -> Result<ExitCode> {
    let rt = tokio_runtime()?;
    let (setup, debaters, config) = match resolve(args)? {
        Some(resolved) => {
            let question = args
                .question
                .clone()
                .filter(|q| !q.trim().is_empty())
                .context("a headless run needs --question \"...\"")?;
            let _guard = rt.enter();
            (
                live_setup(&resolved, question),
                llm_debaters(&resolved)?,
                engine_config(&resolved),
            )
        }
        None => {
            if args.question.is_some() || args.answer_a.is_some() || args.answer_b.is_some() {
                bail!(
                    "--question, --answer-a and --answer-b need debaters: configure them (see config.example.toml) or pass --provider and --model"
                );
            }
            let script = Arc::new(DemoScript::bundled()?);
            let mut setup = script.setup();
            if let Some(r) = args.rounds {
                setup.protocol.rounds = r.clamp(1, setup.protocol.rounds);
            }
            let provider: Arc<dyn Provider> = Arc::new(ScriptedProvider::new(script, 0.0));
            (setup, Debaters::both(provider), EngineConfig::default())
        }
    };
    if let Some(out) = &out
        && let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let dir = sessions_dir(dir)?;
    let mut jobs = Vec::with_capacity(repeat);
    for i in 0..repeat {
        let mut session = Session::new(setup.clone(), OffsetDateTime::now_utc());
        session.ground_truth = args.ground_truth;
        let base = out.clone().unwrap_or_else(|| dir.join(session.file_name()));
        let path = if repeat > 1 {
            headless::with_suffix(&base, &format!("-{}", i + 1))
        } else {
            base
        };
        // Never over an earlier session: the saver takes a numbered name if this one is taken.
        let target = SaveTarget::New {
            dir: path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        };
        jobs.push(Job {
            session,
            target,
            label: format!("[debate {}]", i + 1),
        });
    }
    let judge_provider = {
        let _guard = rt.enter();
        study::judge_provider(judge.as_ref())?
    };
    let batch = Batch {
        jobs,
        debaters: debaters.judged_by(judge_provider),
        config: EngineConfig {
            llm_judge: judge.map(|j| j.judge),
            ..config
        },
        concurrency,
    };
    let total = batch.jobs.len();
    let (failed, tally) = progress::run_batch(&rt, batch, "debates");
    if total > 1 {
        eprintln!(
            "agon: {} of {total} debates written in {}",
            tally.ok,
            progress::human(tally.elapsed)
        );
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn run_replay(
    dir: Option<&Path>,
    file: &Path,
    pace: f64,
    judgement: Option<u32>,
    theme: Theme,
) -> Result<ExitCode> {
    let loaded = match load_or_report(file) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let recording = match judgement {
        None => loaded.session,
        Some(id) => match loaded.session.as_judged_by(id) {
            Some(s) => s,
            None => {
                eprintln!(
                    "agon: {}: there is no judgement {id} (it has {})",
                    file.display(),
                    loaded.session.judgements.len()
                );
                return Ok(ExitCode::from(2));
            }
        },
    };
    let (mut app, debaters) = replay_app(recording, loaded.read_only_reason, pace, theme);
    app.settings.sessions_dir = sessions_dir(dir).ok();
    run_tui(app, debaters, Screen::Own)?;
    Ok(ExitCode::SUCCESS)
}

/// Another agon is writing the file: it opens as a replay, read-only, saying why, so that
/// neither loses work.
fn open_read_only(
    screen: Screen,
    session: Session,
    locked: &storage::Locked,
    pace: f64,
    theme: Theme,
) -> Result<Report> {
    let reason = locked.read_only_reason();
    let (app, debaters) = replay_app(session, Some(reason.clone()), pace, theme);
    run_tui(app, debaters, screen)?;
    Ok(Report {
        err: vec![reason],
        ..Report::default()
    })
}

/// The app and debaters of a replay: the recording's turns, played back read-only.
fn replay_app(
    recording: Session,
    read_only: Option<String>,
    pace: f64,
    theme: Theme,
) -> (App, Debaters) {
    let provider = Arc::new(RecordedProvider::new(Arc::new(recording.clone()), pace));
    let notice = replay_notice(&recording);
    let engine = Engine::replay(recording, EngineConfig::default());
    let settings = Settings {
        read_only: Some(read_only.unwrap_or_else(|| "replay".into())),
        source_label: "replay".into(),
        theme,
        themes: theme::choices(None),
        ..Settings::default()
    };
    let mut app = App::new(engine, settings);
    app.notice = Some(crate::app::Notice {
        level: crate::app::Level::Info,
        text: notice,
    });
    (app, Debaters::both(provider))
}

/// How a replay opens: the keys, and how the judges of the recording agree or differ.
fn replay_notice(recording: &Session) -> String {
    let mut text = "Replay: n steps one turn, Space plays the rest.".to_string();
    if recording.judgements.is_empty() {
        return text;
    }
    let verdict = |v: Option<&crate::domain::Verdict>| {
        v.map_or("no verdict".to_string(), |v| {
            format!("{} {:.0}%", v.winner, v.confidence * 100.0)
        })
    };
    let parts: Vec<String> = recording
        .all_judgements()
        .iter()
        .map(|j| {
            let blind = if j.blind { ", blind" } else { "" };
            let kind = match j.kind {
                crate::domain::JudgeKind::Human => String::new(),
                k => format!(", {}", k.label()),
            };
            format!("judge {}{kind}{blind}: {}", j.id, verdict(j.verdict))
        })
        .collect();
    text.push_str(&format!(
        " Verdicts: {}. (--judgement N replays judge N's work.)",
        parts.join(" · ")
    ));
    text
}

fn run_rejudge(file: &Path, pace: f64, args: &DebateArgs, theme: Theme) -> Result<ExitCode> {
    rejudge_on(Screen::Own, file, pace, args, None, theme).map(Report::print)
}

/// [`run_rejudge`] on a screen; `blind` overrides the flag and the config when given.
pub fn rejudge_on(
    screen: Screen,
    file: &Path,
    pace: f64,
    args: &DebateArgs,
    blind: Option<bool>,
    theme: Theme,
) -> Result<Report> {
    let loaded = match storage::load(file) {
        Ok(l) => l,
        Err(e) => return Ok(Report::failed(2, e.to_string())),
    };
    if let Some(reason) = loaded.read_only_reason {
        bail!("{} cannot be re-judged: {reason}", file.display());
    }
    // The judgement is written into the file: no other agon may write it meanwhile.
    let lock = match storage::SessionLock::try_acquire(file) {
        Ok(l) => l,
        Err(locked) => return open_read_only(screen, loaded.session, &locked, pace, theme),
    };
    let mut recording = loaded.session;
    // The ground truth is the file's; the flag gives one to a file that has none.
    if recording.ground_truth.is_none() {
        recording.ground_truth = args.ground_truth;
    }
    let provider = Arc::new(RecordedProvider::new(Arc::new(recording.clone()), pace));
    let mut settings = settings(args, theme)?;
    if let Some(blind) = blind {
        settings.blind = blind;
    }
    let index = recording.judgements.len();
    settings.source_label = format!("re-judging: judgement {}", index + 1);
    let judge = JudgeInfo {
        blind: settings.blind,
        ..JudgeInfo::default()
    };
    let engine = Engine::rejudge(
        recording,
        judge,
        EngineConfig::default(),
        Some(file.to_path_buf()),
        OffsetDateTime::now_utc(),
    );
    let mut app = App::new(engine, settings);
    app.notice = Some(crate::app::Notice {
        level: crate::app::Level::Info,
        text: "Re-judging: earlier judgements are hidden. n steps one turn, Space plays; judge as you go.".into(),
    });
    let app = run_tui(app, Debaters::both(provider), screen)?;
    drop(lock);
    let mut report = Report::default();
    if app.engine.saving().saved_once() {
        report
            .out
            .push(format!("Judgement saved to {}", file.display()));
        report.path = Some(file.to_path_buf());
    }
    if app.ended_unsaved() {
        report.code = 1;
    }
    Ok(report)
}

/// Replays a session on a terminal that is already the TUI's: the sessions browser opens
/// sessions with it and carries on after. A file that does not load is an error, not printed.
pub fn replay_on(
    terminal: &mut ratatui::DefaultTerminal,
    file: &Path,
    pace: f64,
    theme: Theme,
) -> Result<()> {
    let loaded = storage::load(file)?;
    let (app, debaters) = replay_app(loaded.session, loaded.read_only_reason, pace, theme);
    let editor: runtime::EditorFn = Box::new(terminal::edit_in_editor);
    tokio_runtime()?.block_on(runtime::run(app, debaters, terminal, Some(editor)))?;
    Ok(())
}

fn run_tui(app: App, debaters: Debaters, screen: Screen) -> Result<App> {
    let rt = tokio_runtime()?;
    run_tui_on(&rt, app, debaters, screen)
}

fn run_tui_on(
    rt: &tokio::runtime::Runtime,
    app: App,
    debaters: Debaters,
    screen: Screen,
) -> Result<App> {
    let editor: runtime::EditorFn = Box::new(terminal::edit_in_editor);
    match screen {
        Screen::Own => {
            let mut guard = TerminalGuard::enter()?;
            let result = rt.block_on(runtime::run(
                app,
                debaters,
                &mut guard.terminal,
                Some(editor),
            ));
            drop(guard);
            result
        }
        Screen::Shared(terminal) => {
            let result = rt.block_on(runtime::run(app, debaters, terminal, Some(editor)));
            // The screen drew over the whole terminal: its owner draws afresh.
            terminal.clear()?;
            result
        }
    }
}

/// The terminal a screen runs on: its own, taken for the screen and given back after, or one
/// that is already the TUI's (the sessions browser's), which stays as it is.
pub enum Screen<'a> {
    Own,
    Shared(&'a mut ratatui::DefaultTerminal),
}

/// What a command that ran a screen has to say once it is over, and how agon exits: the
/// command line prints it; the sessions browser shows it as a notice.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// For standard output: where the session went.
    pub out: Vec<String>,
    /// For standard error: what went wrong, or what was done instead.
    pub err: Vec<String>,
    /// 0 success, 1 failure, 2 a file that would not load.
    pub code: u8,
    /// The session file written, if one was.
    pub path: Option<PathBuf>,
}

impl Report {
    fn failed(code: u8, err: String) -> Report {
        Report {
            err: vec![err],
            code,
            ..Report::default()
        }
    }

    /// Prints the lines (errors prefixed `agon: `) and gives the exit code.
    pub fn print(self) -> ExitCode {
        for line in &self.err {
            eprintln!("agon: {line}");
        }
        for line in &self.out {
            println!("{line}");
        }
        ExitCode::from(self.code)
    }
}

/// Says where the session went, and exits non-zero when it could not be saved.
fn report_exit(app: &App) -> ExitCode {
    exit_report(app).print()
}

fn exit_report(app: &App) -> Report {
    let mut report = Report::default();
    let saving = app.engine.saving();
    if let Some(e) = saving.error() {
        report.err.push(format!("the last save failed: {e}"));
    }
    match saving.path() {
        Some(path) if saving.saved_once() && !saving.is_failing() => {
            report
                .out
                .push(format!("Session saved to {}", path.display()));
            report.path = Some(path.to_path_buf());
        }
        Some(path) => report
            .err
            .push(format!("the session was not saved to {}", path.display())),
        None => {}
    }
    if app.ended_unsaved() {
        report.code = 1;
    }
    report
}

/// The formats of `agon export`.
pub type ExportFormat = crate::export::Format;

/// `agon export`: the session in another format, to stdout or atomically to `--out`.
fn run_export(
    file: &Path,
    format: ExportFormat,
    out: Option<&Path>,
    force: bool,
) -> Result<ExitCode> {
    let loaded = match load_or_report(file) {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let text = crate::export::export(&loaded.session, format);
    match out {
        Some(path) => {
            // Never over an existing file unless asked: a typo must not eat a session.
            if force {
                storage::write_atomic(path, text.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))?;
            } else {
                crate::export::write_new(path, text.as_bytes())?;
            }
            eprintln!("Exported to {}", path.display());
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => {}
                // A reader that stopped early (`| head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(e).context("cannot write to standard output"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
