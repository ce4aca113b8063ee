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
        Role::Accent | Role::Cursor => theme.accent,
        Role::Supports => theme.supports,
        Role::Attacks => theme.attacks,
        Role::Concession | Role::Warning | Role::Cut => theme.warning,
        Role::Error => theme.error,
        Role::Judge => theme.accent,
        Role::Quote(class) => quote(theme, class),
        Role::OverBudget => theme.error.add_modifier(Modifier::CROSSED_OUT),
        Role::Heading => heading(theme),
        Role::Link => link(theme),
    }
}

// The four styles below are the theme keys `heading`, `link`, `search_match` and
// `search_current` of the theme rewrite (on main, src/theme/keys.rs), written here as those
// keys' fallbacks until this branch meets it; then each body is the key (`theme.heading`, …).

/// Headings in a speech: the theme's `heading` (falls back to `title`, bold).
fn heading(theme: &Theme) -> Style {
    theme.title.add_modifier(Modifier::BOLD)
}

/// A link's text: the theme's `link` (falls back to `accent`, underlined).
fn link(theme: &Theme) -> Style {
    theme.accent.add_modifier(Modifier::UNDERLINED)
}

/// Quoted source by how well it matched: each class its own style, and distinguishable
/// without colour too (underlined when verified, italic when only close, crossed out when
/// not found).
pub fn quote(theme: &Theme, class: QuoteClass) -> Style {
    match class {
        QuoteClass::Exact => theme.success.add_modifier(Modifier::UNDERLINED),
        QuoteClass::Normalised => theme.supports.add_modifier(Modifier::UNDERLINED),
        QuoteClass::Close => theme.warning.add_modifier(Modifier::ITALIC),
        QuoteClass::NotFound => theme.error.add_modifier(Modifier::CROSSED_OUT),
        QuoteClass::Unchecked => theme.muted,
    }
}

fn mods(style: Style, m: Mods) -> Style {
    let mut s = style;
    if m.bold {
        s = s.add_modifier(Modifier::BOLD);
    }
    if m.italic {
        s = s.add_modifier(Modifier::ITALIC);
    }
    if m.code {
        s = s.patch(Style::default().add_modifier(Modifier::DIM));
    }
    s
}

pub fn seg(theme: &Theme, s: &Seg) -> Span<'static> {
    Span::styled(s.text.clone(), mods(role(theme, s.role), s.mods))
}

pub fn line(theme: &Theme, l: &VLine) -> Line<'static> {
    Line::from(l.iter().map(|s| seg(theme, s)).collect::<Vec<_>>())
}

/// A row styled for painting now, borrowing its text.
pub fn line_of<'a>(theme: &Theme, l: &'a VLine) -> Line<'a> {
    Line::from(
        l.iter()
            .map(|s| Span::styled(s.text.as_str(), mods(role(theme, s.role), s.mods)))
            .collect::<Vec<_>>(),
    )
}

/// A search match: the theme's `search_match` (falls back to `highlight`, reversed); the one
/// moved to is `search_current` (falls back to `search_match`, bold and underlined), so it
/// stands out from the others with and without colour.
pub fn search_match(theme: &Theme, current: bool) -> Style {
    let all = theme.highlight.add_modifier(Modifier::REVERSED);
    if current {
        all.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    } else {
        all
    }
}
