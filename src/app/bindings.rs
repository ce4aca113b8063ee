//! The default key bindings: one table that both the key handling and the help overlay read
//! (through [`super::keymap::Keymap`]), so `?` always lists exactly what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

/// What the judge can ask for from the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ForceQuit,
    Help,
    TogglePause,
    Step,
    Credence,
    Verdict,
    FocusNext,
    ScrollDown,
    ScrollUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    NextTurn,
    PrevTurn,
    Expand,
    Collapse,
    Toggle,
    Cancel,
    Retry,
    Skip,
    Drill,
    Up,
    MarkCrux,
    JudgeNode,
    DecideByCrux,
    AddQuestion,
    EditNode,
    Merge,
    Move,
    Tag,
    Visual,
    Message,
    EndDebate,
    AddRound,
    Undo,
    ToggleAnnotations,
    NextAnnotated,
    PrevAnnotated,
    Delete,
    GoTo,
    Fork,
    WideTree,
    ThemePicker,
    ToggleEvidence,
    ShowSource,
    NextQuestion,
    Search,
    Copy,
    CopyWhole,
}

/// Where a binding applies, for the help overlay's grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Debate,
    Judge,
    Navigate,
    Tree,
    App,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Debate => "Debate",
            Group::Judge => "Judge",
            Group::Navigate => "Transcript",
            Group::Tree => "Claim tree",
            Group::App => "App",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    pub group: Group,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[(KeyCode::Char(' '), NONE)],
        label: "Space",
        action: Action::TogglePause,
        help: "pause / resume the debate (takes effect between turns)",
        group: Group::Debate,
    },
    Binding {
        keys: &[(KeyCode::Char('n'), NONE)],
        label: "n",
        action: Action::Step,
        help: "play one more turn while paused; the next match while searching",
        group: Group::Debate,
    },
    Binding {
        keys: &[(KeyCode::Char('r'), NONE)],
        label: "r",
        action: Action::Retry,
        help: "retry a failed or stopped turn",
        group: Group::Debate,
    },
    Binding {
        keys: &[(KeyCode::Char('s'), NONE)],
        label: "s",
        action: Action::Skip,
        help: "skip a failed or stopped turn and move on",
        group: Group::Debate,
    },
    Binding {
        keys: &[(KeyCode::Char('c'), NONE)],
        label: "c",
        action: Action::Credence,
        help: "set your credence that side A is right",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('v'), NONE)],
        label: "v",
        action: Action::Verdict,
        help: "record the verdict: winner, confidence, rationale",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('i'), NONE)],
        label: "i",
        action: Action::Message,
        help: "ask a question or give an instruction to one debater or both",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('t'), NONE)],
        label: "t",
        action: Action::Tag,
        help: "tag / note the selected turn (▶), or the selected node in the tree",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('V'), SHIFT)],
        label: "V",
        action: Action::Visual,
        help: "choose sentences of the selected turn to tag (j/k extend, t tags)",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('A'), SHIFT)],
        label: "A",
        action: Action::ToggleAnnotations,
        help: "show the annotations pane (Enter jumps, e edits, x deletes) / the tree",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('Q'), SHIFT)],
        label: "Q",
        action: Action::ToggleEvidence,
        help: "show the evidence pane: every quote in source order (Enter jumps) / the tree",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('S'), SHIFT)],
        label: "S",
        action: Action::ShowSource,
        help: "read the hidden source with the quotes marked (after your verdict)",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('N'), SHIFT)],
        label: "N",
        action: Action::NextQuestion,
        help: "the previous match of a kept search; judging a question set, the next question",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('}'), NONE), (KeyCode::Char('}'), SHIFT)],
        label: "}",
        action: Action::NextAnnotated,
        help: "jump to the next annotated turn",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('{'), NONE), (KeyCode::Char('{'), SHIFT)],
        label: "{",
        action: Action::PrevAnnotated,
        help: "jump to the previous annotated turn",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('u'), NONE)],
        label: "u",
        action: Action::Undo,
        help: "undo your last judge action",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('#'), NONE), (KeyCode::Char('#'), SHIFT)],
        label: "#",
        action: Action::GoTo,
        help: "replay: go to any turn, with the tree and judgements as they stood then",
        group: Group::Debate,
    },
    Binding {
        keys: &[(KeyCode::Char('F'), SHIFT)],
        label: "F",
        action: Action::Fork,
        help: "fork the debate after the ▶ turn into a new session (agon resume continues it)",
        group: Group::Debate,
    },
    Binding {
        keys: &[(KeyCode::Char('E'), SHIFT)],
        label: "E",
        action: Action::EndDebate,
        help: "end the debate now",
        group: Group::Debate,
    },
    Binding {
        keys: &[(KeyCode::Char('+'), NONE), (KeyCode::Char('+'), SHIFT)],
        label: "+",
        action: Action::AddRound,
        help: "add a round to the debate",
        group: Group::Debate,
    },
    Binding {
        keys: &[(KeyCode::Delete, NONE)],
        label: "Del",
        action: Action::Delete,
        help: "delete the selected annotation (annotations pane)",
        group: Group::Judge,
    },
    Binding {
        keys: &[(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)],
        label: "j ↓",
        action: Action::ScrollDown,
        help: "scroll down / next node",
        group: Group::Navigate,
    },
    Binding {
        keys: &[(KeyCode::Char('k'), NONE), (KeyCode::Up, NONE)],
        label: "k ↑",
        action: Action::ScrollUp,
        help: "scroll up / previous node",
        group: Group::Navigate,
    },
    Binding {
        keys: &[
            (KeyCode::PageDown, NONE),
            (KeyCode::Char('f'), CTRL),
            (KeyCode::Char('d'), CTRL),
        ],
        label: "PgDn ^f",
        action: Action::PageDown,
        help: "page down",
        group: Group::Navigate,
    },
    Binding {
        keys: &[
            (KeyCode::PageUp, NONE),
            (KeyCode::Char('b'), CTRL),
            (KeyCode::Char('u'), CTRL),
        ],
        label: "PgUp ^b",
        action: Action::PageUp,
        help: "page up",
        group: Group::Navigate,
    },
    Binding {
        keys: &[(KeyCode::Char('g'), NONE), (KeyCode::Home, NONE)],
        label: "g Home",
        action: Action::Top,
        help: "go to the top",
        group: Group::Navigate,
    },
    Binding {
        keys: &[
            (KeyCode::Char('G'), SHIFT),
            (KeyCode::Char('G'), NONE),
            (KeyCode::End, NONE),
        ],
        label: "G End",
        action: Action::Bottom,
        help: "go to the end and follow new text",
        group: Group::Navigate,
    },
    Binding {
        keys: &[(KeyCode::Char(']'), NONE), (KeyCode::Char('J'), SHIFT)],
        label: "] J",
        action: Action::NextTurn,
        help: "jump to the next turn",
        group: Group::Navigate,
    },
    Binding {
        keys: &[(KeyCode::Char('['), NONE), (KeyCode::Char('K'), SHIFT)],
        label: "[ K",
        action: Action::PrevTurn,
        help: "jump to the previous turn",
        group: Group::Navigate,
    },
    Binding {
        keys: &[(KeyCode::Char('/'), NONE)],
        label: "/",
        action: Action::Search,
        help: "search the focused pane: type, Enter keeps it, Esc clears it",
        group: Group::Navigate,
    },
    Binding {
        keys: &[(KeyCode::Char('y'), NONE)],
        label: "y",
        action: Action::Copy,
        help: "copy the ▶ turn's speech (no claims), the node or the span",
        group: Group::Navigate,
    },
    Binding {
        keys: &[(KeyCode::Char('Y'), SHIFT)],
        label: "Y",
        action: Action::CopyWhole,
        help: "copy the ▶ turn whole: header, speech and claims block",
        group: Group::Navigate,
    },
    Binding {
        keys: &[(KeyCode::Char('l'), NONE), (KeyCode::Right, NONE)],
        label: "l →",
        action: Action::Expand,
        help: "expand the selected node",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('h'), NONE), (KeyCode::Left, NONE)],
        label: "h ←",
        action: Action::Collapse,
        help: "collapse the node, or go to its parent",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('o'), NONE)],
        label: "o",
        action: Action::Toggle,
        help: "expand / collapse the selected node",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE), (KeyCode::Char('d'), NONE)],
        label: "Enter d",
        action: Action::Drill,
        help: "drill in: a focused sub-debate on the selected node",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Backspace, NONE), (KeyCode::Char('-'), NONE)],
        label: "Bksp -",
        action: Action::Up,
        help: "go back up from a drill",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('x'), NONE)],
        label: "x",
        action: Action::MarkCrux,
        help: "mark / unmark the node as a crux",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('w'), NONE)],
        label: "w",
        action: Action::JudgeNode,
        help: "judge the node: who wins it, how sure, why",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('D'), SHIFT)],
        label: "D",
        action: Action::DecideByCrux,
        help: "this crux decides it: settle the debate by this node",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('a'), NONE)],
        label: "a",
        action: Action::AddQuestion,
        help: "add a sub-question of your own under the node",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('e'), NONE)],
        label: "e",
        action: Action::EditNode,
        help: "edit the node's text",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('m'), NONE)],
        label: "m",
        action: Action::Merge,
        help: "merge duplicates: m on the duplicate, then m on the node to keep",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('M'), SHIFT)],
        label: "M",
        action: Action::Move,
        help: "move a node: M on it, then M on its new parent",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Tab, NONE), (KeyCode::BackTab, SHIFT)],
        label: "Tab",
        action: Action::FocusNext,
        help: "move focus between transcript and tree",
        group: Group::App,
    },
    Binding {
        keys: &[(KeyCode::Char('?'), NONE), (KeyCode::Char('?'), SHIFT)],
        label: "?",
        action: Action::Help,
        help: "show / hide this help",
        group: Group::App,
    },
    Binding {
        keys: &[(KeyCode::Esc, NONE)],
        label: "Esc",
        action: Action::Cancel,
        help: "stop the streaming turn (keeps its text); close a dialog",
        group: Group::App,
    },
    Binding {
        keys: &[(KeyCode::Char('q'), NONE)],
        label: "q",
        action: Action::Quit,
        help: "quit (asks first while a turn is streaming)",
        group: Group::App,
    },
    Binding {
        keys: &[(KeyCode::Char('z'), NONE)],
        label: "z",
        action: Action::WideTree,
        help: "widen the claim tree to read whole claims (again: back)",
        group: Group::Tree,
    },
    Binding {
        keys: &[(KeyCode::Char('T'), SHIFT)],
        label: "T",
        action: Action::ThemePicker,
        help: "choose a theme, previewed as you move (Enter keeps it, Esc goes back)",
        group: Group::App,
    },
    Binding {
        keys: &[(KeyCode::Char('c'), CTRL)],
        label: "Ctrl-c",
        action: Action::ForceQuit,
        help: "quit now, saving what has streamed",
        group: Group::App,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    use ratatui::crossterm::event::KeyEvent;

    fn action_for(key: &KeyEvent) -> Option<Action> {
        crate::app::keymap::Keymap::default().action_for(key)
    }

    #[test]
    fn keys_map_to_actions() {
        let k = |c, m| KeyEvent::new(c, m);
        assert_eq!(action_for(&k(KeyCode::Char('q'), NONE)), Some(Action::Quit));
        assert_eq!(
            action_for(&k(KeyCode::Char('c'), CTRL)),
            Some(Action::ForceQuit)
        );
        assert_eq!(
            action_for(&k(KeyCode::Char('c'), NONE)),
            Some(Action::Credence)
        );
        assert_eq!(
            action_for(&k(KeyCode::Char('G'), SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            action_for(&k(KeyCode::Char('G'), NONE)),
            Some(Action::Bottom)
        );
        assert_eq!(
            action_for(&k(KeyCode::Char('?'), SHIFT)),
            Some(Action::Help)
        );
        assert_eq!(action_for(&k(KeyCode::F(9), NONE)), None);
        assert_eq!(action_for(&k(KeyCode::Enter, NONE)), Some(Action::Drill));
        assert_eq!(
            action_for(&k(KeyCode::Char('D'), SHIFT)),
            Some(Action::DecideByCrux)
        );
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = std::collections::HashSet::new();
        for b in BINDINGS {
            for &(code, m) in b.keys {
                assert!(seen.insert((code, m)), "{code:?} {m:?} bound twice");
            }
        }
    }
}
