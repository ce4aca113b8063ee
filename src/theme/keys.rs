//! The semantic keys a theme sets, each with the key it falls back to: one table, from which
//! the [`Theme`] struct, the parser's list of known keys and the fallbacks all come.

use ratatui::style::{Modifier, Style};

/// One semantic key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    /// The key whose style this one takes when a theme leaves it out; always one listed
    /// earlier, so the table resolves top to bottom.
    pub fallback: Option<&'static str>,
    /// Modifiers added to the fallback's style, so that a key which falls back still differs
    /// from it without colour (a close quote is italic, a missing one struck through).
    pub adds: Modifier,
}

const NONE: Modifier = Modifier::empty();
const B: Modifier = Modifier::BOLD;
const I: Modifier = Modifier::ITALIC;
const U: Modifier = Modifier::UNDERLINED;
const X: Modifier = Modifier::CROSSED_OUT;
const R: Modifier = Modifier::REVERSED;
const D: Modifier = Modifier::DIM;

macro_rules! theme_keys {
    ($($(#[doc = $doc:literal])* $key:ident => $fallback:expr, $adds:expr;)*) => {
        /// The styles the UI draws with. Every field is resolved when the theme loads, so
        /// drawing never looks anything up by name.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            /// What [`Theme::resolve`] was given: a built-in's or user theme's name, or a path.
            pub name: String,
            $($(#[doc = $doc])* pub $key: Style,)*
        }

        /// Every key, in the order they resolve.
        pub const KEYS: &[Key] = &[$(Key { name: stringify!($key), fallback: $fallback, adds: $adds },)*];

        impl Theme {
            /// A theme whose key `k` has the style `style(k)`.
            pub(super) fn from_fn(name: String, mut style: impl FnMut(&'static str) -> Style) -> Theme {
                Theme { name, $($key: style(stringify!($key)),)* }
            }

            /// Each key's style replaced by `f(key, style)`.
            pub(super) fn map_styles(mut self, mut f: impl FnMut(&'static str, Style) -> Style) -> Theme {
                $(self.$key = f(stringify!($key), self.$key);)*
                self
            }

            /// The style of a key by its name.
            pub fn style(&self, key: &str) -> Option<Style> {
                match key {
                    $(stringify!($key) => Some(self.$key),)*
                    _ => None,
                }
            }
        }
    };
}

theme_keys! {
    /// Base style of the whole screen.
    text => None, NONE;
    /// Secondary text: turn details, hints, fold markers.
    muted => Some("text"), NONE;
    /// The question, pane and dialog titles.
    title => Some("text"), NONE;
    /// The app's own marks: the `agon` label, streaming status, dialog highlights.
    accent => Some("title"), NONE;
    /// Side A's name and labels.
    side_a => Some("accent"), NONE;
    /// Side B's name and labels.
    side_b => Some("accent"), NONE;
    /// Side A's prose in the transcript.
    side_a_text => Some("text"), NONE;
    /// Side B's prose in the transcript.
    side_b_text => Some("text"), NONE;
    /// Pane borders, separators, tree guides.
    border => Some("muted"), NONE;
    /// The focused pane's border; dialog borders.
    border_focused => Some("accent"), NONE;
    /// The selected row, laid over its own style. Reversed when a theme leaves it out, so
    /// the cursor is never invisible.
    selection => None, R;
    /// Marks on turns related to the selected node.
    highlight => Some("accent"), NONE;
    /// Claims that support their target.
    supports => Some("text"), NONE;
    /// Claims that attack their target.
    attacks => Some("text"), NONE;
    /// Stopped turns, concessions, warning notices.
    warning => Some("highlight"), NONE;
    /// Failed turns, failed saves, error notices.
    error => Some("warning"), NONE;
    /// The recorded verdict; things that went right.
    success => Some("text"), NONE;
    /// The status bar's base.
    status_bar => Some("text"), NONE;
    /// The body of dialogs.
    dialog => Some("text"), NONE;
    /// Key names in hints, the help and dialogs.
    key => Some("accent"), NONE;
    /// A quote found word for word in the source.
    quote_exact => Some("success"), U;
    /// A quote found once case, spacing and punctuation are set aside.
    quote_normalised => Some("supports"), U;
    /// A quote only close to something in the source.
    quote_close => Some("warning"), I;
    /// A quote not found in the source.
    quote_not_found => Some("error"), X;
    /// Quoted text past the protocol's quote budget.
    quote_over_budget => Some("error"), X;
    /// Text a new version adds (a diff of two attempts or edits).
    diff_inserted => Some("success"), U;
    /// Text a new version drops.
    diff_dropped => Some("error"), X;
    /// A search match.
    search_match => Some("highlight"), R;
    /// The search match the cursor is on.
    search_current => Some("search_match"), B.union(U);
    /// The marker where a speech was cut to its length limit.
    cut => Some("warning"), NONE;
    /// The cursor of a turn still streaming.
    cursor => Some("accent"), NONE;
    /// Inline code in a speech, laid over the speech's style. Dim when a theme leaves it out.
    code => None, D;
    /// Links.
    link => Some("accent"), U;
    /// Headings in a speech.
    heading => Some("title"), B;
    /// Side A in charts.
    chart_a => Some("side_a"), NONE;
    /// Side B in charts.
    chart_b => Some("side_b"), NONE;
    /// What an LLM judge wrote or decided.
    llm_judge => Some("accent"), I;
    /// Where judges disagree.
    disagree => Some("warning"), B;
}

/// Keys that stand out by their background: without colour they are drawn reversed.
pub const STAND_OUT: &[&str] = &["selection", "status_bar", "search_match", "search_current"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fallback_is_an_earlier_key() {
        for (i, key) in KEYS.iter().enumerate() {
            if let Some(f) = key.fallback {
                let earlier = KEYS.iter().take(i).any(|k| k.name == f);
                assert!(
                    earlier,
                    "{} falls back to {f}, which is not listed before it",
                    key.name
                );
            }
            assert_eq!(
                KEYS.iter().filter(|k| k.name == key.name).count(),
                1,
                "{} is listed twice",
                key.name
            );
        }
        for k in STAND_OUT {
            assert!(KEYS.iter().any(|key| key.name == *k), "{k}");
        }
    }
}
