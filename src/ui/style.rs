//! The theme's style for each role a layout gives its text.

use crate::app::transcript::layout::{Mods, Role, Seg, VLine};
use crate::domain::{QuoteClass, Side};
use crate::theme::Theme;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

pub fn side(theme: &Theme, side: Side) -> Style {
    match side {
        Side::A => theme.side_a,
        Side::B => theme.side_b,
    }
}

pub fn role(theme: &Theme, role: Role) -> Style {
    match role {
        Role::Prose(Side::A) => theme.side_a_text,
        Role::Prose(Side::B) => theme.side_b_text,
        Role::Text => theme.text,
        Role::Muted => theme.muted,
        Role::Accent => theme.accent,
        Role::Cursor => theme.cursor,
        Role::Supports => theme.supports,
        Role::Attacks => theme.attacks,
        Role::Concession | Role::Warning => theme.warning,
        Role::Cut => theme.cut,
        Role::Error => theme.error,
        Role::Judge => theme.accent,
        Role::Quote(class) => quote(theme, class),
        Role::OverBudget => theme.quote_over_budget,
        Role::DiffInserted => theme.diff_inserted,
        Role::DiffDropped => theme.diff_dropped,
        Role::Heading => theme.heading,
        Role::Link => theme.link,
    }
}

/// Quoted source by how well it matched: each class its own key. Their fallbacks keep them
/// apart without colour (underlined when verified, italic when only close, crossed out when
/// not found).
pub fn quote(theme: &Theme, class: QuoteClass) -> Style {
    match class {
        QuoteClass::Exact => theme.quote_exact,
        QuoteClass::Normalised => theme.quote_normalised,
        QuoteClass::Close => theme.quote_close,
        QuoteClass::NotFound => theme.quote_not_found,
        QuoteClass::Unchecked => theme.muted,
    }
}

fn mods(theme: &Theme, style: Style, m: Mods) -> Style {
    let mut s = style;
    if m.bold {
        s = s.add_modifier(Modifier::BOLD);
    }
    if m.italic {
        s = s.add_modifier(Modifier::ITALIC);
    }
    if m.code {
        s = s.patch(theme.code);
    }
    s
}

pub fn seg(theme: &Theme, s: &Seg) -> Span<'static> {
    Span::styled(s.text.clone(), mods(theme, role(theme, s.role), s.mods))
}

pub fn line(theme: &Theme, l: &VLine) -> Line<'static> {
    Line::from(l.iter().map(|s| seg(theme, s)).collect::<Vec<_>>())
}

/// A row styled for painting now, borrowing its text.
pub fn line_of<'a>(theme: &Theme, l: &'a VLine) -> Line<'a> {
    Line::from(
        l.iter()
            .map(|s| Span::styled(s.text.as_str(), mods(theme, role(theme, s.role), s.mods)))
            .collect::<Vec<_>>(),
    )
}

/// A search match: the theme's `search_match`; the one moved to is `search_current` (their
/// fallbacks, reversed and then bold and underlined, keep it apart without colour too).
pub fn search_match(theme: &Theme, current: bool) -> Style {
    if current {
        theme.search_current
    } else {
        theme.search_match
    }
}
