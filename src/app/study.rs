//! Judging a question set (`agon judge --questions`): where the judge is in the set, the prior
//! asked before the first speech, moving on once the verdict is in, the cost of hearing more
//! (the turn penalty), and the LLM judge's credence shown beside the judge's own only once they
//! have recorded theirs for that turn, so it cannot anchor them.

use super::dialogs::{CredenceDialog, Dialog};
use super::{App, Effect, Level};
use crate::domain::{JudgeEventKind, JudgeKind, ROOT_ID};
use crate::engine::QuitReason;
use time::OffsetDateTime;

/// Where the judge is in a question set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyInfo {
    /// The set's name.
    pub set: String,
    /// This debate's place in the run, from 1.
    pub position: usize,
    pub total: usize,
}

/// The LLM judge's credence as the judge may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shadow {
    /// Its P(A) after `after_turn`.
    pub p_llm: f64,
    pub after_turn: Option<usize>,
    /// The judge's own latest P(A).
    pub p_human: f64,
    /// The two differ by more than the configured threshold.
    pub disagrees: bool,
}

/// What going on costs under the turn-penalised score (Michael et al. 2023).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TurnCost {
    /// Bits taken off the score for each further turn heard.
    pub per_turn: f64,
    /// Bits taken off already, for the turns heard so far.
    pub so_far: f64,
}

impl App {
    /// Before the first speech of a study's debate, the credence dialog opens by itself for
    /// the judge's prior, and the debate waits for it. Returns whether it opened.
    pub(super) fn ask_prior_first(&mut self) -> bool {
        let s = self.session();
        let has_prior = s
            .judge_events
            .iter()
            .any(|e| e.after_turn.is_none() && matches!(e.kind, JudgeEventKind::Credence { .. }));
        if !self.settings.ask_prior
            || self.prior_asked
            || !self.engine.is_live()
            || !s.turns().is_empty()
            || has_prior
            || self.settings.read_only.is_some()
        {
            return false;
        }
        self.prior_asked = true;
        let mut d = CredenceDialog::new(None);
        d.prior = true;
        self.dialog = Some(Dialog::Credence(d));
        self.notify(
            Level::Info,
            "Before the first speech: your prior that A is right. Enter records it, Esc skips."
                .into(),
        );
        true
    }

    /// The prior dialog closed (recorded or skipped): the debate begins, if it waited for it.
    pub(super) fn after_prior(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if self.prior_asked && !self.started {
            effects.extend(self.start(now));
        }
    }

    /// `N`: on to the next question of the set, once the verdict is in.
    pub(super) fn next_question(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        let Some(study) = &self.settings.study else {
            return self.notify(
                Level::Info,
                "N moves on in a question set (agon judge --questions FILE), or back through a search's matches (/ searches).".into(),
            );
        };
        if self.session().verdict.is_none() {
            return self.notify(
                Level::Info,
                "Record your verdict (v) first; then N moves on.".into(),
            );
        }
        if study.position >= study.total {
            return self.notify(
                Level::Info,
                "That was the last question of the set; q quits.".into(),
            );
        }
        self.next_question = true;
        self.quit(QuitReason::Judge, now, effects);
    }

    /// The cost of hearing more, when the debate is scored with a turn penalty.
    pub fn turn_cost(&self) -> Option<TurnCost> {
        let per_turn = self.settings.turn_penalty;
        if self.settings.study.is_none() && self.session().protocol.turn_penalty.is_none() {
            return None;
        }
        let s = self.session();
        let heard = s.all_judgements().first().map_or(0, |j| j.turns_seen(s));
        Some(TurnCost {
            per_turn,
            so_far: per_turn * heard as f64,
        })
    }

    /// The LLM judge's credence the judge may see now: the latest one for a turn the judge has
    /// recorded a credence after (any, once the verdict is in).
    pub fn shadow(&self) -> Option<Shadow> {
        let s = self.session();
        let llm = s
            .judgements
            .iter()
            .rev()
            .find(|j| j.kind == JudgeKind::Llm)?;
        let human = s.judge_events.iter().rev().find_map(|e| match &e.kind {
            JudgeEventKind::Credence { node, p_a, .. } if node == ROOT_ID => {
                Some((e.after_turn, *p_a))
            }
            _ => None,
        });
        let verdict = s.verdict.as_ref().map(|v| v.p_a());
        let (limit, p_human) = match (verdict, human) {
            (Some(p), _) => (None, p),
            (None, Some((after, p))) => (Some(after), p),
            (None, None) => return None,
        };
        let (after_turn, p_llm) = llm.judge_events.iter().rev().find_map(|e| match &e.kind {
            JudgeEventKind::Credence { node, p_a, .. }
                if node == ROOT_ID && limit.is_none_or(|l| e.after_turn <= l) =>
            {
                Some((e.after_turn, *p_a))
            }
            _ => None,
        })?;
        Some(Shadow {
            p_llm,
            after_turn,
            p_human,
            disagrees: (p_llm - p_human).abs() > self.settings.disagreement,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{JudgeEvent, Judgement, Session};
    use crate::engine::{Engine, EngineConfig, Mode};

    fn t() -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH
    }

    fn credence(after_turn: Option<usize>, p_a: f64) -> JudgeEvent {
        JudgeEvent {
            at: t(),
            after_turn,
            kind: JudgeEventKind::Credence {
                node: ROOT_ID.into(),
                p_a,
                reason: None,
            },
        }
    }

    /// An app whose session has an LLM judge's credences after turns 0, 1 and 2, and the
    /// judge's own credences at `human`.
    fn app(human: &[(Option<usize>, f64)]) -> App {
        let script = crate::providers::scripted::script::DemoScript::bundled().unwrap();
        let mut s = Session::new(script.setup(), t());
        s.judgements.push(Judgement {
            id: 1,
            kind: JudgeKind::Llm,
            judge: Some("openai:j".into()),
            mode: Some("each_turn".into()),
            blind: true,
            started_at: t(),
            judge_events: vec![
                credence(Some(0), 0.9),
                credence(Some(1), 0.5),
                credence(Some(2), 0.1),
            ],
            verdict: None,
            annotations: Vec::new(),
            usage: None,
            extra: None,
        });
        s.judge_events = human.iter().map(|&(a, p)| credence(a, p)).collect();
        let engine = Engine::new(s, Mode::Live, EngineConfig::default(), None);
        App::new(engine, super::super::Settings::default())
    }

    #[test]
    fn the_llm_credence_waits_for_the_judges_own() {
        assert_eq!(
            app(&[]).shadow(),
            None,
            "nothing before the judge's first credence"
        );
        assert_eq!(
            app(&[(None, 0.5)]).shadow(),
            None,
            "a prior unlocks no turn"
        );
        let after_one = app(&[(None, 0.5), (Some(1), 0.55)]).shadow().unwrap();
        assert_eq!(
            after_one.after_turn,
            Some(1),
            "turn 2's answer is still hidden"
        );
        assert_eq!(after_one.p_llm, 0.5);
        assert!(!after_one.disagrees);
        let after_two = app(&[(Some(2), 0.8)]).shadow().unwrap();
        assert_eq!(after_two.p_llm, 0.1);
        assert!(
            after_two.disagrees,
            "0.8 against 0.1 is past the 0.3 threshold"
        );
    }
}
