//! Small pieces shared by every reader: ids, claim text cleaning, excerpts for warnings.

use super::{MAX_CLAIM_CHARS, ROOT_ID};

const MAX_ID_CHARS: usize = 16;
/// Longest excerpt of a line quoted in a warning, in characters.
const EXCERPT_CHARS: usize = 60;

/// Which words count as claim ids.
///
/// Inside a fence the debater labelled as claims, any short token is an id (`Pricing1`, `x`), as
/// the documented grammar says. Elsewhere a line only counts as a claim when its ids look like the
/// ids debaters are asked for (`A1`, `B12`, `Q3`), so a numbered list of arguments in the prose
/// ("1. Pricing supports growth: ...") is never read as claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum IdRule {
    Loose,
    Strict,
}

impl IdRule {
    pub(super) fn accepts(self, s: &str) -> bool {
        match self {
            IdRule::Loose => is_id(s),
            IdRule::Strict => is_strict_id(s),
        }
    }
}

/// 1 to 16 ASCII letters, digits, `_`, `.` or `-`, starting with a letter or digit.
pub(super) fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.len() <= MAX_ID_CHARS
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// An id shaped like the ones debaters use: one to three letters, then (after at most one `-`,
/// `_` or `.`) a digit: `A1`, `B12`, `Q3`, `A-1`, `PRO2`, `A1.2`.
pub(super) fn is_strict_id(s: &str) -> bool {
    if !is_id(s) {
        return false;
    }
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = s.as_bytes().get(letters..).unwrap_or_default();
    let rest = match rest.first() {
        Some(b'-' | b'_' | b'.') => rest.get(1..).unwrap_or_default(),
        _ => rest,
    };
    (1..=3).contains(&letters) && rest.first().is_some_and(u8::is_ascii_digit)
}

pub(super) fn is_root(s: &str) -> bool {
    s.eq_ignore_ascii_case(ROOT_ID)
}

/// Claim text is shown in the tree on one line: no control characters, bounded length.
pub(super) fn clean_text(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = cleaned.trim();
    match trimmed.char_indices().nth(MAX_CLAIM_CHARS) {
        Some((cut, _)) => format!("{}…", trimmed.get(..cut).unwrap_or(trimmed)),
        None => trimmed.to_string(),
    }
}

/// A line quoted in a warning: no control characters, at most 60 characters then `…`.
pub(super) fn excerpt(line: &str) -> String {
    let clean: String = line
        .chars()
        .filter(|c| !c.is_control())
        .take(EXCERPT_CHARS)
        .collect();
    if line.chars().count() > EXCERPT_CHARS {
        format!("{clean}…")
    } else {
        clean
    }
}

/// Removes Markdown emphasis left over at either end of a claim's text by a bold head
/// (`**A1 supports root:** text` leaves `** text`). Only unbalanced marks are removed, so
/// `a **really** good point` keeps its emphasis.
pub(super) fn strip_stray_emphasis(text: &str) -> &str {
    let mut t = text.trim();
    for mark in ["**", "__", "*"] {
        if t.matches(mark).count() % 2 == 1 {
            if let Some(rest) = t.strip_prefix(mark) {
                t = rest.trim_start();
            } else if let Some(rest) = t.strip_suffix(mark) {
                t = rest.trim_end();
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_ids_look_like_debater_ids() {
        for id in ["A1", "B12", "Q3", "a1", "A-1", "PRO2", "A1.2", "A1b", "B2B"] {
            assert!(is_strict_id(id), "{id}");
        }
        for id in [
            "Pricing", "root", "2024", "COVID-19", "1A", "A", "A--1", "A1!", "",
        ] {
            assert!(!is_strict_id(id), "{id}");
        }
        assert!(is_id("Pricing") && is_id("1A"));
    }

    #[test]
    fn stray_emphasis_is_removed_but_balanced_is_kept() {
        assert_eq!(strip_stray_emphasis("** Pricing works."), "Pricing works.");
        assert_eq!(strip_stray_emphasis("Pricing works.**"), "Pricing works.");
        assert_eq!(
            strip_stray_emphasis("a **really** good point"),
            "a **really** good point"
        );
    }

    #[test]
    fn text_is_cleaned_and_bounded() {
        assert_eq!(clean_text("  a\tb\u{1b}c  "), "a b c");
        let long = clean_text(&"é".repeat(400));
        assert_eq!(long.chars().count(), MAX_CLAIM_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
