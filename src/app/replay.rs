//! Replays and re-judgements: following a recording, reading out the judge's timeline,
//! going to any turn.

use super::*;

impl App {
    /// A new, separate judgement of a recorded debate, stepped turn by turn; the earlier
    /// verdicts, credences and annotations stay hidden and are never changed.
    pub fn rejudge(recording: Session, blind: bool, theme: Theme, now: OffsetDateTime) -> Self {
        let index = recording.judgements.len();
        let mut app = App::replay(recording, theme);
        if let Mode::Replay { rejudge, .. } = &mut app.mode {
            *rejudge = Some(index);
        }
        app.read_only = None;
        app.blind = blind;
        app.rejudge_started = Some(now);
        app.source_label = format!("re-judging: judgement {}", index + 1);
        app.notice = Some(Notice {
            level: Level::Info,
            text: "Re-judging: earlier judgements are hidden. n steps one turn, Space plays; judge as you go.".into(),
        });
        app
    }

    pub fn is_rejudge(&self) -> bool {
        matches!(
            self.mode,
            Mode::Replay {
                rejudge: Some(_),
                ..
            }
        )
    }

    /// In a replay, the judge's recorded actions up to `after_turn` are applied as they happened,
    /// and the status line reads them out: the timeline of the judge's work.
    pub(super) fn replay_judge_events(&mut self, after_turn: Option<usize>) {
        // A re-judgement starts blank: the earlier judges' work stays hidden.
        let Mode::Replay {
            recording,
            rejudge: None,
        } = &self.mode
        else {
            return;
        };
        let events: Vec<_> = recording
            .judge_events
            .iter()
            .filter(|e| e.after_turn == after_turn)
            .cloned()
            .collect();
        let mut said = Vec::new();
        for event in events {
            match self.session.apply(event.kind.clone(), event.at) {
                Ok(kind) => {
                    said.push(describe_event(&kind));
                    self.session
                        .judge_events
                        .push(crate::domain::JudgeEvent { kind, ..event });
                }
                Err(e) => tracing::warn!("replay: a recorded judge event does not apply: {e}"),
            }
        }
        if !said.is_empty() {
            let when = after_turn.map_or("Before the first turn".to_string(), |t| {
                format!("After turn {}", t + 1)
            });
            self.notify(
                Level::Info,
                format!("{when}, the judge: {}", said.join(" · ")),
            );
        }
    }

    /// Replay: show the session as it stood after `n` turns.
    pub(super) fn go_to_turn(&mut self, n: usize, effects: &mut Vec<Effect>) {
        let Mode::Replay { recording, .. } = &self.mode else {
            return;
        };
        let n = n.min(recording.turns().len());
        if self.is_rejudge() && n < self.session.turns().len() {
            // Going back would drop this judge's work on the later turns.
            return self.notify(
                Level::Info,
                "While re-judging you go forward only (n, Space, or # to a later turn).".into(),
            );
        }
        if let Some(turn) = self.session.streaming_turn() {
            effects.push(Effect::CancelTurn { turn });
        }
        let mut then = recording.as_of(n);
        if self.is_rejudge() {
            // Keep this judge's own work; the earlier judges' stays hidden.
            then.judge_events = std::mem::take(&mut self.session.judge_events);
            then.rebuild();
        }
        self.session = then;
        self.scope = vec![ROOT_ID.to_string()];
        self.transcript = TranscriptView::new();
        self.tree = TreeView::new();
        self.paused = true;
        self.steps = 0;
        self.notify(
            Level::Info,
            format!(
                "At turn {n} of {}: n steps on, Space plays.",
                recording.turns().len()
            ),
        );
    }
}
