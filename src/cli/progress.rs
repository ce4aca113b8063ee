//! Progress of a batch (debates run, rooms imported) on stderr. On a terminal a bar with the
//! count, the rate and the time left, with the batch's other lines printed above it; in a log or
//! a pipe one plain line per item, which reads well in a file and greps. A batch of one item
//! has no progress to show: only its failure is told. A failure is never only counted: what
//! failed and why is printed in every form.
//!
//! ```text
//! [3/10] [debate 3] written (about 1m 05s left)
//! ███████████░░░░░░░░░░░░░░░░░░░ 3/10 debates · 1.5/min · 4m left · 1 failed
//! ```

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::fmt;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Before this much time has passed the rate says little, so plain lines give no time left.
const ETA_AFTER: Duration = Duration::from_secs(5);
/// The bar: count, rate and time left; the message counts failures.
const BAR_TEMPLATE: &str = "{bar:30} {pos}/{len} {prefix} · {rate} · {left} left {msg}";

/// How one item of the batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Failed,
}

/// What the batch did, for the caller's closing line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub ok: usize,
    pub failed: usize,
    pub elapsed: Duration,
}

/// Reports a batch's progress on stderr; see the module's doc.
pub struct Reporter {
    total: usize,
    ok: usize,
    failed: usize,
    started: Instant,
    out: Out,
}

enum Out {
    Bar(ProgressBar),
    Plain,
    /// One item or none: nothing to report.
    Quiet,
}

/// Where the batch's other lines go (a turn done, a failure's reason) so that they do not
/// break the bar: above it on a terminal, on stderr as they are otherwise.
#[derive(Clone)]
pub struct Lines(Option<ProgressBar>);

impl Lines {
    /// A line on stderr.
    pub fn line(&self, text: &str) {
        match &self.0 {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    /// A line on stdout (a file written), which may be the bar's terminal too: the bar is
    /// cleared while it is printed, then drawn again under it.
    pub fn out(&self, text: &str) {
        match &self.0 {
            Some(bar) => bar.suspend(|| println!("{text}")),
            None => println!("{text}"),
        }
    }
}

/// Runs a batch of debates with its progress reported: each written file's path on stdout,
/// the debates' lines and failures on stderr. Returns how many failed, and the tally.
pub fn run_batch(
    rt: &tokio::runtime::Runtime,
    batch: crate::engine::headless::Batch,
    noun: &str,
) -> (usize, Tally) {
    let mut progress = Reporter::start(batch.jobs.len(), noun);
    let lines = progress.lines();
    let mut done = 0;
    let failed = rt.block_on(crate::engine::headless::run_with(
        batch,
        &|line| lines.line(line),
        |label, result| {
            done += 1;
            match result {
                Ok(path) => {
                    lines.out(&path.display().to_string());
                    progress.step(done, Outcome::Ok, &format!("{label} written"));
                }
                Err(why) => progress.step(
                    done,
                    Outcome::Failed,
                    &format!("{label} could not finish: {why}"),
                ),
            }
        },
    ));
    (failed, progress.finish())
}

impl Reporter {
    /// Starts reporting a batch of `total` items called `noun` ("debates"): a bar when
    /// stderr is a terminal, plain lines otherwise.
    pub fn start(total: usize, noun: &str) -> Reporter {
        let out = if total <= 1 {
            Out::Quiet
        } else if std::io::stderr().is_terminal() {
            Out::Bar(bar(total, noun))
        } else {
            Out::Plain
        };
        Reporter::new(total, out)
    }

    fn new(total: usize, out: Out) -> Reporter {
        Reporter {
            total,
            ok: 0,
            failed: 0,
            started: Instant::now(),
            out,
        }
    }

    /// The handle the batch's other lines go through.
    pub fn lines(&self) -> Lines {
        match &self.out {
            Out::Bar(bar) => Lines(Some(bar.clone())),
            Out::Plain | Out::Quiet => Lines(None),
        }
    }

    /// Item `label` ended as `outcome`; `done` items have ended so far, this one included. A
    /// failure's label (what failed and why) is always printed, above the bar on a terminal.
    pub fn step(&mut self, done: usize, outcome: Outcome, label: &str) {
        match outcome {
            Outcome::Ok => self.ok = self.ok.saturating_add(1),
            Outcome::Failed => self.failed = self.failed.saturating_add(1),
        }
        match &self.out {
            Out::Bar(bar) => {
                bar.set_position(u64::try_from(done).unwrap_or(u64::MAX));
                if outcome == Outcome::Failed {
                    bar.println(format!("agon: {label}"));
                    bar.set_message(format!("· {} failed", self.failed));
                }
            }
            Out::Plain => eprintln!(
                "{}",
                plain_line(done, self.total, label, self.started.elapsed())
            ),
            Out::Quiet => {
                if outcome == Outcome::Failed {
                    eprintln!("agon: {label}");
                }
            }
        }
    }

    /// Ends the report (the bar goes; what was printed above it stays) and tells the tally.
    pub fn finish(self) -> Tally {
        if let Out::Bar(bar) = &self.out {
            bar.finish_and_clear();
        }
        Tally {
            ok: self.ok,
            failed: self.failed,
            elapsed: self.started.elapsed(),
        }
    }
}

fn bar(total: usize, noun: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(total).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stderr(),
    );
    // The template is a constant: a mistake in it shows in the tests, and the default style
    // still shows the count.
    if let Ok(style) = ProgressStyle::with_template(BAR_TEMPLATE) {
        let style = style
            .with_key("rate", |state: &ProgressState, w: &mut dyn fmt::Write| {
                let _ = w.write_str(&rate(state.per_sec()));
            })
            // Before the first item ends there is no rate to tell the time left by.
            .with_key("left", |state: &ProgressState, w: &mut dyn fmt::Write| {
                let left = if state.pos() == 0 {
                    "?".to_string()
                } else {
                    human(state.eta())
                };
                let _ = w.write_str(&left);
            });
        bar.set_style(style);
    }
    bar.set_prefix(noun.to_string());
    // Redrawn on a timer too, so the rate and time left move while a long item runs.
    bar.enable_steady_tick(Duration::from_secs(1));
    bar
}

/// Items a second, or a minute when slower (debates take minutes each).
fn rate(per_sec: f64) -> String {
    if per_sec >= 1.0 {
        format!("{per_sec:.1}/s")
    } else {
        format!("{:.1}/min", per_sec * 60.0)
    }
}

/// One plain line: `[done/total] label`, then the time left once the rate means something.
fn plain_line(done: usize, total: usize, label: &str, elapsed: Duration) -> String {
    let mut line = format!("[{done}/{total}] {label}");
    if elapsed >= ETA_AFTER
        && let Some(left) = time_left(done, total, elapsed)
    {
        line.push_str(&format!(" (about {} left)", human(left)));
    }
    line
}

/// The time the rest will take at the rate so far; `None` before the first item and after
/// the last.
pub fn time_left(done: usize, total: usize, elapsed: Duration) -> Option<Duration> {
    let rest = total.checked_sub(done).filter(|&r| r > 0)?;
    if done == 0 {
        return None;
    }
    let per_item = elapsed.as_secs_f64() / done as f64;
    Duration::try_from_secs_f64(per_item * rest as f64).ok()
}

/// A duration as people say it: `45s`, `3m 05s`, `2h 07m`.
pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s:02}s"),
        (h, m, _) => format!("{h}h {m:02}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_count_and_give_the_time_left_once_it_means_something() {
        let early = Duration::from_secs(2);
        assert_eq!(
            plain_line(1, 7, "imported room-1", early),
            "[1/7] imported room-1",
            "too early for a rate"
        );
        // 3 of 10 in 30 s: 10 s each, 7 left, 70 s.
        assert_eq!(
            plain_line(3, 10, "[debate 3] written", Duration::from_secs(30)),
            "[3/10] [debate 3] written (about 1m 10s left)"
        );
        assert_eq!(
            plain_line(10, 10, "[debate 9] failed", Duration::from_secs(300)),
            "[10/10] [debate 9] failed",
            "the last one: nothing left"
        );
    }

    #[test]
    fn time_left_is_the_rate_so_far_times_the_rest() {
        let min = Duration::from_secs(60);
        assert_eq!(time_left(1, 4, min), Some(Duration::from_secs(180)));
        assert_eq!(time_left(0, 4, min), None, "no rate yet");
        assert_eq!(time_left(4, 4, min), None);
        assert_eq!(time_left(5, 4, min), None, "more done than planned");
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(human(Duration::from_millis(400)), "0s");
        assert_eq!(human(Duration::from_secs(45)), "45s");
        assert_eq!(human(Duration::from_secs(185)), "3m 05s");
        assert_eq!(human(Duration::from_secs(2 * 3600 + 7 * 60 + 59)), "2h 07m");
    }

    #[test]
    fn the_tally_counts_each_outcome() {
        let mut r = Reporter::new(3, Out::Plain);
        r.step(1, Outcome::Ok, "a");
        r.step(2, Outcome::Failed, "b");
        r.step(3, Outcome::Ok, "c");
        let t = r.finish();
        assert_eq!((t.ok, t.failed), (2, 1));
    }

    #[test]
    fn a_batch_of_one_reports_nothing() {
        let r = Reporter::start(1, "debates");
        assert!(matches!(r.out, Out::Quiet));
        assert!(r.lines().0.is_none(), "its lines go to stderr as they are");
    }

    #[test]
    fn slow_rates_are_given_a_minute() {
        assert_eq!(rate(2.5), "2.5/s");
        assert_eq!(rate(0.05), "3.0/min");
    }

    #[test]
    fn the_bar_template_parses() {
        assert!(ProgressStyle::with_template(BAR_TEMPLATE).is_ok());
    }
}
