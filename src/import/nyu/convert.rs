//! One NYU debate room as an agon session. Field by field in `docs/import-nyu.md`.

use super::format::{
    Debate, JudgeFeedback, MetadataRow, OfflineJudgment, Round, RoundType, Rules, Segment, Speech,
};
use super::rules;
use crate::domain::quote::{CLOSE, OPEN};
use crate::domain::{
    DebateSetup, Debater, DebaterKind, Format, JudgeEvent, JudgeEventKind, JudgeInfo, JudgeKind,
    Judgement, Positions, Protocol, Quote, QuoteClass, ROOT_ID, RoundKind, SamplingParams, Session,
    SessionStatus, Side, Span, Turn, TurnStatus, Verdict,
};
use crate::import::detok::{Detokenised, detokenise};
use crate::text::sanitize::inert;
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// The name the platform gives its AI debater.
pub const AI_NAME: &str = "GPT-4";
/// The provider recorded for every imported debater and turn.
pub const PROVIDER: &str = "nyu";
/// Why an imported debate ended, in the verdict.
const ENDED_BY_JUDGE: &str = "the judge ended the debate";

/// A session made from a room, and what the import had to approximate in it.
#[derive(Debug)]
pub struct Imported {
    /// The room's name, which names the session file.
    pub room: String,
    pub session: Session,
    /// Things worth telling the user (a quote cut at the story's end...), one line each.
    pub notes: Vec<String>,
}

/// The session of room `room` (its file name without `.json`), with its metadata row if given.
pub fn to_session(room: &str, debate: &Debate, meta: Option<&MetadataRow>) -> Result<Imported> {
    let setup = &debate.setup;
    let rules: Rules = serde_path_to_error::deserialize(&setup.rules).map_err(|e| {
        let inner = e.inner().to_string();
        match e.path().to_string().as_str() {
            "." => anyhow::anyhow!("setup.rules: {inner}"),
            path => anyhow::anyhow!("setup.rules.{path}: {inner}"),
        }
    })?;
    let (a, b) = match setup.answers.as_slice() {
        [a, b] => (inert(a), inert(b)),
        other => bail!(
            "setup.answers: {} answers; agon holds two-answer questions",
            other.len()
        ),
    };
    let ground_truth = side_of_index(setup.correct_answer_index)
        .context("setup.correctAnswerIndex: not 0 or 1")?;
    let created_at = millis(setup.creation_time).context("setup.creationTime")?;
    let debaters = debaters(setup)?;
    let story = &setup.source_material.quality;
    let source = detokenise(&story.contents);

    let mut notes = Vec::new();
    let played = walk(debate, &rules, &source, &debaters, &mut notes)?;

    let format = if debaters.len() == 2 {
        Format::Debate
    } else {
        Format::Consultancy
    };
    let usual = rules::usual_limits(&rules);
    let speech_rounds = u32::try_from(played.speech_rounds).context("rounds: too many")?;
    // A debate cut off after a whole round was waiting for the next one: the protocol still
    // calls for it, so agon sees the debate as running.
    let waiting = !played.ended && played.last_round_complete;
    let protocol = Protocol {
        kind: played.dominant_kind(),
        format,
        char_limit: usual.char_limit,
        quote_limit: usual.quote_limit,
        turn_penalty: rules::turn_penalty(&rules),
        // The platform charges once per round the judge chose to hear (`numContinues`).
        penalty_unit: crate::domain::PenaltyUnit::Round,
        ..Protocol::rounds(speech_rounds.saturating_add(u32::from(waiting)))
    };
    let mut session = Session::new(
        DebateSetup {
            question: inert(&setup.question),
            positions: Positions { a, b },
            protocol,
            debaters,
        },
        created_at,
    );
    session.id = session_id(room, setup.creation_time);
    session.ground_truth = Some(ground_truth);
    session.source_text = Some(source.text.clone());
    session.source_title = story.title.as_deref().map(inert);
    session.labels = labels(room, story, meta);
    session.judge = match setup.roles.get("Judge") {
        Some(name) => JudgeInfo {
            kind: JudgeKind::Human,
            name: Some(inert(name)),
            blind: false,
        },
        None => JudgeInfo::default(),
    };
    session.set_turns(played.turns);
    session.judge_events = played.events;
    session.judgements = offline_judgements(&played.offline, &played.round_ends, &source)?;
    session.extra = Some(extra(room, setup, &played.extra, meta));
    session.rebuild();
    session.status = if played.ended {
        SessionStatus::Finished
    } else {
        SessionStatus::Running
    };
    session.updated_at = millis(played.latest.max(setup.creation_time))
        .context("the latest timestamp of the debate")?;
    Ok(Imported {
        room: room.to_string(),
        session,
        notes,
    })
}

/// What walking the rounds in order gives.
#[derive(Debug, Default)]
struct Played {
    turns: Vec<Turn>,
    events: Vec<JudgeEvent>,
    /// `round_ends[k]`: the last turn of speech round `k + 1`.
    round_ends: Vec<usize>,
    speech_rounds: usize,
    simultaneous_rounds: usize,
    /// Whether every debater spoke in the last speech round.
    last_round_complete: bool,
    /// The judge ended it, the debaters agreed to, the rules ran out, or offline judges came.
    ended: bool,
    offline: Vec<(String, OfflineJudgment)>,
    /// For the session's `extra`: NegotiateEnd votes, feedback by someone other than the judge.
    extra: serde_json::Map<String, Value>,
    /// The latest timestamp seen, in milliseconds.
    latest: i64,
}

impl Played {
    /// The kind most speech rounds had; sequential on a tie (the rules' repeating kind).
    fn dominant_kind(&self) -> RoundKind {
        if self.simultaneous_rounds * 2 > self.speech_rounds {
            RoundKind::Simultaneous
        } else {
            RoundKind::Sequential
        }
    }

    fn push_extra(&mut self, key: &str, value: Value) {
        if let Value::Array(list) = self
            .extra
            .entry(key)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            list.push(value);
        }
    }
}

fn walk(
    debate: &Debate,
    rules: &Rules,
    source: &Detokenised,
    debaters: &[Debater],
    notes: &mut Vec<String>,
) -> Result<Played> {
    let judge = debate.setup.roles.get("Judge");
    let mut played = Played {
        last_round_complete: true,
        latest: debate.setup.creation_time,
        ..Played::default()
    };
    let mut types = rules::sequence(rules);
    for (i, round) in debate.rounds.iter().enumerate() {
        let field = |name: &str| format!("rounds[{i}].{name}");
        // Offline judging comes after the debate and is no round of the rules.
        let rule = match round {
            Round::OfflineJudgments(_) => None,
            _ => types.next(),
        };
        match round {
            Round::SimultaneousSpeeches(s) | Round::SequentialSpeeches(s) => {
                let kind = match round {
                    Round::SimultaneousSpeeches(_) => RoundKind::Simultaneous,
                    _ => RoundKind::Sequential,
                };
                let name = field(match kind {
                    RoundKind::Simultaneous => "SimultaneousSpeeches",
                    RoundKind::Sequential => "SequentialSpeeches",
                });
                played.speech_rounds += 1;
                if kind == RoundKind::Simultaneous {
                    played.simultaneous_rounds += 1;
                }
                let round_no = u32::try_from(played.speech_rounds).context("rounds: too many")?;
                let mut speeches = Vec::new();
                for (key, speech) in &s.speeches {
                    let side =
                        key.parse().ok().and_then(side_of_index).with_context(|| {
                            format!("{name}.speeches: key {key:?} is not 0 or 1")
                        })?;
                    speeches.push((side, speech));
                }
                // Simultaneous speeches were written blind: A first. Sequential ones in the
                // order they were given.
                match kind {
                    RoundKind::Simultaneous => speeches.sort_by_key(|(side, _)| *side),
                    RoundKind::Sequential => {
                        speeches.sort_by_key(|(side, speech)| (speech.timestamp, *side))
                    }
                }
                let limits = rule.and_then(RoundType::speech_limits);
                for (side, speech) in &speeches {
                    let at = format!("{name}.speeches.{}", index_of_side(*side));
                    let place = Placed {
                        side: *side,
                        round: round_no,
                        kind,
                        limits,
                        field: &at,
                    };
                    let turn = place.turn(speech, source, notes)?;
                    played.latest = played.latest.max(speech.timestamp);
                    played.turns.push(turn);
                }
                played.last_round_complete = debaters
                    .iter()
                    .all(|d| speeches.iter().any(|(side, _)| *side == d.side));
                if let Some(last) = played.turns.len().checked_sub(1) {
                    played.round_ends.push(last);
                }
            }
            Round::JudgeFeedback(jf) => {
                let at = field("JudgeFeedback");
                let after = played.turns.len().checked_sub(1);
                let speaker = &jf.feedback.speaker;
                if judge.is_some_and(|j| j != speaker) {
                    played.push_extra(
                        "feedback_by_others",
                        json!({ "after_turn": after, "speaker": inert(speaker) }),
                    );
                }
                played.latest = played.latest.max(jf.feedback.timestamp);
                played.ended |= jf.end_debate;
                let events = feedback_events(jf, after, source, &at)?;
                played.events.extend(events);
            }
            Round::NegotiateEnd(n) => {
                let mut votes = serde_json::Map::new();
                for (key, vote) in &n.votes {
                    let side = key.parse().ok().and_then(side_of_index).with_context(|| {
                        format!("{}.votes: key {key:?} is not 0 or 1", field("NegotiateEnd"))
                    })?;
                    votes.insert(side.letter().to_string(), Value::Bool(*vote));
                }
                let all_agree = !debaters.is_empty()
                    && debaters.iter().all(|d| {
                        votes.get(&d.side.letter().to_string()) == Some(&Value::Bool(true))
                    });
                played.ended |= all_agree;
                let after = played.turns.len().checked_sub(1);
                played.push_extra(
                    "negotiate_end",
                    json!({ "after_turn": after, "votes": votes }),
                );
            }
            Round::OfflineJudgments(o) => {
                played.ended = true;
                for (name, judgment) in &o.judgments {
                    for j in &judgment.judgments {
                        played.latest = played.latest.max(j.feedback.timestamp);
                    }
                    played.offline.push((name.clone(), judgment.clone()));
                }
            }
        }
    }
    // The rules' last round was played: the debate ended when its time was up.
    if !debate.rounds.is_empty() && types.next().is_none() {
        played.ended = true;
    }
    Ok(played)
}

/// Where a speech was given: its side and round, the round's kind and limits, and its field in
/// the room file (for errors and notes).
struct Placed<'a> {
    side: Side,
    round: u32,
    kind: RoundKind,
    limits: Option<super::format::Limits>,
    field: &'a str,
}

impl Placed<'_> {
    /// The speech as a complete turn: its words, with quotes written inline as
    /// `<quote>…</quote>`. A quote cut at the story's end is also told in `notes`.
    fn turn(&self, speech: &Speech, source: &Detokenised, notes: &mut Vec<String>) -> Result<Turn> {
        let at = millis(speech.timestamp).with_context(|| format!("{}.timestamp", self.field))?;
        let rendered = render(&speech.content, source);
        let mut turn = Turn::begin(0, self.round, self.side, ROOT_ID, at);
        turn.text = rendered.text;
        turn.quotes = rendered.quotes;
        turn.status = TurnStatus::Complete;
        turn.finished_at = Some(at);
        turn.speaker = Some(inert(&speech.speaker));
        turn.stats.provider = PROVIDER.to_string();
        turn.stats.model = model_of(&speech.speaker).to_string();
        let mut nyu = serde_json::Map::new();
        nyu.insert("round_kind".into(), self.kind.label().into());
        if let Some(l) = self.limits {
            nyu.insert("char_limit".into(), json!(l.char_limit));
            nyu.insert("quote_limit".into(), json!(l.quote_limit));
        }
        if !rendered.clamped.is_empty() {
            notes.push(format!(
                "{}: a quote ran past the story's end and was cut there ({:?})",
                self.field, rendered.clamped
            ));
            nyu.insert("clamped_quotes".into(), json!(rendered.clamped));
        }
        if !rendered.blank.is_empty() {
            nyu.insert("blank_quotes".into(), json!(rendered.blank));
        }
        if rendered.markers_rewritten {
            nyu.insert("quote_marks_in_text_rewritten".into(), Value::Bool(true));
        }
        turn.extra = Some(json!({ "nyu": nyu }));
        Ok(turn)
    }
}

/// A speech's segments as one text.
#[derive(Debug, Default, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub quotes: Vec<Quote>,
    /// Token ranges that ran past the story's end (cut there).
    pub clamped: Vec<(usize, usize)>,
    /// Token ranges that cover nothing but white space (left out of the text).
    pub blank: Vec<(usize, usize)>,
    /// The words had agon's own quote marks in them, which were written as `[quote]`.
    pub markers_rewritten: bool,
}

/// Renders segments: words as written (made inert), each quote as the story's words between
/// agon's quote marks, with its place in the text and in the story.
pub fn render(segments: &[Segment], source: &Detokenised) -> Rendered {
    let mut out = Rendered::default();
    for segment in segments {
        match segment {
            Segment::Text { text } => {
                let text = inert(text);
                if text.contains(OPEN) || text.contains(CLOSE) {
                    out.markers_rewritten = true;
                    let text = text.replace(OPEN, "[quote]").replace(CLOSE, "[/quote]");
                    out.text.push_str(&text);
                } else {
                    out.text.push_str(&text);
                }
            }
            &Segment::Quote { span: (begin, end) } => {
                if end > source.token_count() {
                    out.clamped.push((begin, end));
                }
                let Some(place) = source.span(begin, end) else {
                    out.blank.push((begin, end));
                    continue;
                };
                let Some(words) = source.text.get(place.start..place.end) else {
                    out.blank.push((begin, end));
                    continue;
                };
                out.text.push_str(OPEN);
                let start = out.text.len();
                out.text.push_str(words);
                let at = Span {
                    start,
                    end: out.text.len(),
                };
                out.text.push_str(CLOSE);
                out.quotes.push(Quote {
                    at,
                    text: words.to_string(),
                    // The platform only lets debaters quote by selecting the story's tokens.
                    class: QuoteClass::Exact,
                    source: Some(place),
                    similarity: Some(1.0),
                    over_budget: false,
                });
            }
        }
    }
    out
}

/// A judge's credence at one point, their message or verdict after it.
fn feedback_events(
    jf: &JudgeFeedback,
    after_turn: Option<usize>,
    source: &Detokenised,
    field: &str,
) -> Result<Vec<JudgeEvent>> {
    let p_a = p_a(&jf.distribution).with_context(|| format!("{field}.distribution"))?;
    let at =
        millis(jf.feedback.timestamp).with_context(|| format!("{field}.feedback.timestamp"))?;
    let text = render(&jf.feedback.content, source).text.trim().to_string();
    let event = |kind| JudgeEvent {
        at,
        after_turn,
        kind,
    };
    let mut events = vec![event(JudgeEventKind::Credence {
        node: ROOT_ID.to_string(),
        p_a,
        reason: None,
    })];
    if jf.end_debate {
        let (winner, confidence) = winner(p_a);
        events.push(event(JudgeEventKind::Verdict {
            winner,
            confidence,
            rationale: text,
            decided_by: None,
            ended: ENDED_BY_JUDGE.to_string(),
            turn_penalty: Some(crate::domain::scoring::DEFAULT_TURN_PENALTY),
        }));
    } else if !text.is_empty() {
        events.push(event(JudgeEventKind::Message { to: None, text }));
    }
    Ok(events)
}

/// Every offline judge's work as a judgement of its own, in the order they started.
fn offline_judgements(
    offline: &[(String, OfflineJudgment)],
    round_ends: &[usize],
    source: &Detokenised,
) -> Result<Vec<Judgement>> {
    let last_turn = round_ends.last().copied();
    let mut judgements = Vec::new();
    for (name, oj) in offline {
        let field = format!("OfflineJudgments.judgments.{name:?}");
        let stepped = match oj.mode.as_str() {
            "stepped" => true,
            "timed" => false,
            other => bail!("{field}.mode: {other:?} is neither stepped nor timed"),
        };
        let mut events = Vec::new();
        for (k, j) in oj.judgments.iter().enumerate() {
            // Stepped: the first judgement precedes the first speech round, the k-th follows
            // speech round k. Timed: judged once, having read the whole debate.
            let after = if stepped {
                k.checked_sub(1)
                    .and_then(|r| round_ends.get(r).copied().or(last_turn))
            } else {
                last_turn
            };
            events.extend(feedback_events(
                j,
                after,
                source,
                &format!("{field}.judgments[{k}]"),
            )?);
        }
        let verdict = events.iter().rev().find_map(|e| match &e.kind {
            JudgeEventKind::Verdict {
                winner,
                confidence,
                rationale,
                decided_by,
                ended,
                turn_penalty,
            } => Some(Verdict {
                winner: *winner,
                confidence: *confidence,
                rationale: rationale.clone(),
                decided_by: decided_by.clone(),
                ended: ended.clone(),
                turn_penalty: *turn_penalty,
                at: e.at,
            }),
            _ => None,
        });
        let recorded_start = oj.start_time_millis.filter(|&t| t >= 0);
        let started_at = match recorded_start {
            Some(t) => millis(t).with_context(|| format!("{field}.startTimeMillis"))?,
            None => match events.first() {
                Some(e) => e.at,
                None => OffsetDateTime::UNIX_EPOCH,
            },
        };
        let extra = match oj.start_time_millis {
            Some(t) if recorded_start.is_none() => {
                Some(json!({ "nyu": { "start_time_millis": t } }))
            }
            _ => None,
        };
        judgements.push(Judgement {
            id: 0,
            kind: JudgeKind::Offline,
            judge: Some(inert(name)),
            mode: Some(oj.mode.clone()),
            blind: false,
            started_at,
            judge_events: events,
            verdict,
            annotations: Vec::new(),
            usage: None,
            extra,
        });
    }
    judgements.sort_by(|a, b| (a.started_at, &a.judge).cmp(&(b.started_at, &b.judge)));
    for (i, j) in judgements.iter_mut().enumerate() {
        j.id = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    Ok(judgements)
}

/// The more likely answer and its probability (at least 0.5; A on an even split).
fn winner(p_a: f64) -> (Side, f64) {
    let p_a = crate::domain::judge::clamp_probability(p_a);
    if p_a >= 0.5 {
        (Side::A, p_a)
    } else {
        (Side::B, crate::domain::judge::clamp_confidence(1.0 - p_a))
    }
}

/// P(answers[0]) from a distribution over the two answers.
fn p_a(distribution: &[f64]) -> Result<f64> {
    match distribution {
        [a, b]
            if [a, b]
                .iter()
                .all(|p| p.is_finite() && (0.0..=1.0).contains(*p)) =>
        {
            Ok(*a)
        }
        other => bail!("expected two probabilities, found {other:?}"),
    }
}

fn debaters(setup: &super::format::Setup) -> Result<Vec<Debater>> {
    let debaters: Vec<Debater> = [("Debater A", Side::A), ("Debater B", Side::B)]
        .into_iter()
        .filter_map(|(role, side)| {
            let name = setup.roles.get(role)?;
            Some(Debater {
                side,
                name: inert(name),
                provider: PROVIDER.to_string(),
                model: model_of(name).to_string(),
                kind: if name == AI_NAME {
                    DebaterKind::Ai
                } else {
                    DebaterKind::Human
                },
                base_url: None,
                system_prompt: None,
                params: SamplingParams::default(),
                chose_side: false,
            })
        })
        .collect();
    if debaters.is_empty() {
        bail!("setup.roles: no \"Debater A\" or \"Debater B\"");
    }
    Ok(debaters)
}

/// `gpt-4` for the platform's AI debater, `human` for a person.
fn model_of(speaker: &str) -> &'static str {
    if speaker == AI_NAME { "gpt-4" } else { "human" }
}

fn side_of_index(i: usize) -> Option<Side> {
    match i {
        0 => Some(Side::A),
        1 => Some(Side::B),
        _ => None,
    }
}

fn index_of_side(side: Side) -> usize {
    match side {
        Side::A => 0,
        Side::B => 1,
    }
}

/// Milliseconds since the Unix epoch as a time.
fn millis(ms: i64) -> Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(|e| anyhow::anyhow!("{ms} ms is not a time: {e}"))
}

/// A stable id for the room, so that importing it again gives the same session: the creation
/// time in seconds and an FNV-1a hash of the room's name.
fn session_id(room: &str, creation_ms: i64) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in room.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{}-{hash:08x}", creation_ms.div_euclid(1000))
}

fn labels(
    room: &str,
    story: &super::format::QualitySource,
    meta: Option<&MetadataRow>,
) -> std::collections::BTreeMap<String, String> {
    let mut labels = std::collections::BTreeMap::new();
    labels.insert("room".to_string(), room.to_string());
    labels.insert("story_id".to_string(), inert(&story.article_id));
    if let Some(title) = &story.title {
        labels.insert("story_title".to_string(), inert(title));
    }
    if let Some(m) = meta {
        labels.insert("setting".to_string(), m.setting.label().to_string());
        labels.insert("is_human".to_string(), m.setting.is_human.to_string());
        labels.insert("is_debate".to_string(), m.setting.is_debate.to_string());
        labels.insert(
            "included_in_paper".to_string(),
            m.included_in_paper.to_string(),
        );
    }
    labels
}

/// What the session's model has no field for, under `extra.nyu`.
fn extra(
    room: &str,
    setup: &super::format::Setup,
    played: &serde_json::Map<String, Value>,
    meta: Option<&MetadataRow>,
) -> Value {
    let mut nyu = serde_json::Map::new();
    nyu.insert("room".into(), room.into());
    nyu.insert("rules".into(), setup.rules.clone());
    if !setup.offline_judges.is_empty() {
        nyu.insert(
            "offline_judges_assigned".into(),
            json!(setup.offline_judges),
        );
    }
    nyu.extend(played.clone());
    if let Some(status) = meta.and_then(|m| m.status.as_ref()) {
        nyu.insert("metadata".into(), metadata_status(status));
    }
    json!({ "nyu": nyu })
}

/// The metadata row's status, without the offline results the debate file already holds.
fn metadata_status(status: &Value) -> Value {
    let Some((state, body)) = status.as_object().and_then(|o| o.iter().next()) else {
        return Value::Null;
    };
    let result = body.get("result");
    json!({
        "status": state,
        "ended_by": result
            .and_then(|r| r.get("endedBy"))
            .and_then(Value::as_object)
            .and_then(|o| o.keys().next().cloned()),
        "judging_info": result.and_then(|r| r.get("judgingInfo")).cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story() -> Detokenised {
        detokenise(&[
            "The", "dog", "barked", ".", "\n", "\n", "It", "was", "n't", "mine", ".",
        ])
    }

    #[test]
    fn quotes_are_written_inline_with_both_spans() {
        let s = story();
        assert_eq!(s.text, "The dog barked.\n\nIt wasn't mine.");
        let segments = vec![
            Segment::Text {
                text: "Look: ".into(),
            },
            Segment::Quote { span: (1, 4) },
            Segment::Text {
                text: " and ".into(),
            },
            Segment::Quote { span: (6, 11) },
        ];
        let r = render(&segments, &s);
        assert_eq!(
            r.text,
            "Look: <quote>dog barked.</quote> and <quote>It wasn't mine.</quote>"
        );
        assert_eq!(r.quotes.len(), 2);
        for q in &r.quotes {
            assert_eq!(&r.text[q.at.start..q.at.end], q.text);
            let src = q.source.unwrap();
            assert_eq!(&s.text[src.start..src.end], q.text);
            assert_eq!(q.class, QuoteClass::Exact);
        }
        assert_eq!(r.quotes[0].at, Span { start: 13, end: 24 });
        assert_eq!(r.quotes[0].source, Some(Span { start: 4, end: 15 }));
        // agon's own checker finds the same quotes at the same places.
        let checked =
            crate::domain::quote::check::quotes_of(&r.text, Some(&s.text), &Protocol::rounds(1));
        let at: Vec<Span> = checked.iter().map(|q| q.at).collect();
        assert_eq!(at, r.quotes.iter().map(|q| q.at).collect::<Vec<_>>());
        assert!(checked.iter().all(|q| q.class == QuoteClass::Exact));
    }

    #[test]
    fn a_quote_past_the_end_is_cut_and_a_blank_one_left_out() {
        let s = story();
        let r = render(
            &[
                Segment::Quote { span: (9, 14) },
                Segment::Quote { span: (4, 6) },
            ],
            &s,
        );
        assert_eq!(r.text, "<quote>mine.</quote>");
        assert_eq!(r.clamped, vec![(9, 14)]);
        assert_eq!(r.blank, vec![(4, 6)]);
    }

    #[test]
    fn quote_marks_typed_as_words_cannot_pass_for_quotes() {
        let r = render(
            &[Segment::Text {
                text: "use <quote>tags</quote>".into(),
            }],
            &story(),
        );
        assert_eq!(r.text, "use [quote]tags[/quote]");
        assert!(r.quotes.is_empty() && r.markers_rewritten);
    }

    #[test]
    fn the_verdict_goes_to_the_more_likely_answer() {
        assert_eq!(winner(0.8), (Side::A, 0.8));
        let (side, c) = winner(0.010000000000000009);
        assert_eq!(side, Side::B);
        assert!((c - 0.99).abs() < 1e-12);
        assert_eq!(winner(0.5), (Side::A, 0.5));
    }

    #[test]
    fn distributions_must_be_two_probabilities() {
        assert_eq!(p_a(&[0.3, 0.7]).unwrap(), 0.3);
        assert!(p_a(&[0.3]).is_err());
        assert!(p_a(&[1.3, -0.3]).is_err());
        assert!(p_a(&[f64::NAN, 0.5]).is_err());
    }

    #[test]
    fn ids_are_stable_and_tell_rooms_apart() {
        assert_eq!(
            session_id("ambition-3", 1_686_950_589_862),
            session_id("ambition-3", 1_686_950_589_862)
        );
        assert_ne!(session_id("ambition-3", 0), session_id("ambition-4", 0));
        assert!(session_id("x", 1_686_950_589_862).starts_with("1686950589-"));
    }
}
