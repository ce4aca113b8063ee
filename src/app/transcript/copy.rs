//! Copying to the clipboard: `y` copies what is selected (the ▶ turn's speech as the debater
//! wrote it, its claims block left out; the tree's node as a claims line; the annotations
//! pane's span), `Y` the turn whole with its claims block under a header. The app only says
//! what to copy ([`Effect::Copy`]); the runtime hands it to the terminal. What the judge may
//! not see is not copied: a hidden turn is refused, and while judging blind a header names
//! the debater as the screen does.

use crate::app::{App, Effect, Focus, Level};
use crate::domain::TurnStatus;

/// The most a copy holds: terminals drop (or choke on) longer clipboard sequences.
pub const MAX_COPY: usize = 100 * 1024;

impl App {
    /// `y` (`whole`: `Y`) on the focused pane.
    pub(crate) fn copy(&mut self, whole: bool, effects: &mut Vec<Effect>) {
        let found = match self.focus {
            Focus::Tree if self.show_annotations => self.annotation_copy(),
            Focus::Tree => self.node_copy(),
            Focus::Transcript => self.turn_copy(whole),
        };
        match found {
            Ok((text, what)) => {
                let (text, cut) = capped(text);
                let words = text.split_whitespace().count();
                let notice = if cut {
                    format!(
                        "Copied the first {} kB of {what}: longer copies are lost by terminals.",
                        MAX_COPY / 1024
                    )
                } else {
                    format!("Copied {what} ({words} words).")
                };
                effects.push(Effect::Copy(text));
                self.notify(Level::Info, notice);
            }
            Err(why) => self.notify(Level::Info, why),
        }
    }

    fn turn_copy(&self, whole: bool) -> Result<(String, String), String> {
        let Some(index) = self.selected_turn() else {
            return Err("No turn to copy yet.".into());
        };
        let Some(turn) = self.session().turn(index) else {
            return Err("No turn to copy yet.".into());
        };
        let what = format!("turn {}", index + 1);
        if self.engine.is_hidden(index) {
            return Err(format!(
                "Turn {} is hidden until both speeches of round {} are in.",
                index + 1,
                turn.round
            ));
        }
        let text = if whole {
            let mut head = format!(
                "{} {} · round {}",
                turn.side,
                self.debater_name(turn.side),
                turn.round
            );
            if turn.status == TurnStatus::Streaming {
                head.push_str(" · still streaming");
            }
            format!("{head}\n\n{}", turn.text.trim_end())
        } else {
            turn.prose().trim().to_string()
        };
        if turn.text.trim().is_empty() {
            return Err(format!("Turn {} has no text yet.", index + 1));
        }
        Ok((text, what))
    }

    fn node_copy(&self) -> Result<(String, String), String> {
        let tree = &self.session().tree;
        let Some(node) = tree.nodes().get(self.tree.selected()) else {
            return Err("No node to copy.".into());
        };
        if node.is_root() {
            let question = self.redactor().hide(&node.text).into_owned();
            return Ok((question, "the question".into()));
        }
        let relation = node.relation.map_or("under", |r| r.as_str());
        let target = node.parent.as_deref().unwrap_or(crate::domain::ROOT_ID);
        Ok((
            format!("{} {relation} {target}: {}", node.id, node.text),
            format!("claim {}", node.id),
        ))
    }

    fn annotation_copy(&self) -> Result<(String, String), String> {
        let Some(a) = self.session().annotations.get(self.annotation_cursor) else {
            return Err("No annotation to copy.".into());
        };
        match &a.quote {
            Some(quote) if !quote.trim().is_empty() => {
                Ok((quote.clone(), format!("the span of annotation {}", a.id)))
            }
            _ => Err(format!(
                "Annotation {} is on a whole turn or node: y on the turn or node copies it.",
                a.id
            )),
        }
    }
}

/// `text` cut to [`MAX_COPY`] bytes at a character boundary; whether it was cut.
fn capped(mut text: String) -> (String, bool) {
    if text.len() <= MAX_COPY {
        return (text, false);
    }
    let mut end = MAX_COPY;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    (text, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_cut_at_a_character_boundary() {
        let (short, cut) = capped("short".into());
        assert_eq!((short.as_str(), cut), ("short", false));
        let long = "é".repeat(MAX_COPY);
        let (text, cut) = capped(long);
        assert!(cut);
        assert!(text.len() <= MAX_COPY && text.len() >= MAX_COPY - 1);
        assert!(text.chars().all(|c| c == 'é'));
    }
}
