//! Making untrusted text (a model's speech, a server's error) safe to put on a terminal,
//! without hiding any of it.
//!
//! Nothing printable is ever dropped: a debater must not be able to show the judge one thing
//! while its opponent reads another. Control characters that a terminal would act on (escape,
//! bell, backspace, C1 controls...) become visible symbols from the Control Pictures block, so
//! an escape sequence shows as the harmless text `␛[31m`; invisible characters that reorder or
//! hide text (bidi overrides, tag characters) become `�`. Tabs become spaces and carriage
//! returns line breaks, so the layout is what the text says. The same text, once made inert,
//! is what the judge reads, what is saved, and what the opponent is sent.

/// Returns `text` made inert (see the module documentation). Newlines are kept.
pub fn inert(text: &str) -> String {
    // Most text needs no change: check first, so the common case costs one scan.
    if !text.chars().any(needs_care) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                // CR LF is one line break; a bare CR (which would overwrite the line on a
                // terminal) is one too.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            c => push_inert(&mut out, c),
        }
    }
    out
}

/// Whether a character is changed by [`inert`].
fn needs_care(c: char) -> bool {
    (c.is_control() && c != '\n') || is_invisible_format(c)
}

fn push_inert(out: &mut String, c: char) {
    match c {
        '\n' => out.push('\n'),
        '\t' => out.push_str("    "),
        // C0 controls: their Control Pictures glyph (␀ ... ␟), DEL as ␡.
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
        '\u{7f}' => out.push('\u{2421}'),
        // C1 controls, and characters that reorder or hide text.
        c if c.is_control() || is_invisible_format(c) => out.push('\u{fffd}'),
        c => out.push(c),
    }
}

/// Invisible formatting that can make text read differently from what it is: bidi embeddings,
/// overrides and isolates, the Arabic letter mark, line and paragraph separators, and the tag
/// characters (used to smuggle hidden instructions). Zero-width joiners are kept: emoji need
/// them.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{feff}'
        | '\u{e0000}'..='\u{e007f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            inert("Hello, world.\nSecond line é ✓ 👩‍👩‍👧"),
            "Hello, world.\nSecond line é ✓ 👩‍👩‍👧"
        );
    }

    #[test]
    fn escape_sequences_become_visible_text() {
        assert_eq!(inert("\x1b[31mred\x1b[0m"), "␛[31mred␛[0m");
        assert_eq!(
            inert("\x1b]0;pwned title\x07after"),
            "␛]0;pwned title␇after"
        );
        assert_eq!(inert("\u{9b}31mC1"), "\u{fffd}31mC1");
    }

    #[test]
    fn an_unterminated_osc_hides_nothing() {
        let out = inert("before \x1b]0;the hidden sentence stays visible");
        assert_eq!(out, "before ␛]0;the hidden sentence stays visible");
    }

    #[test]
    fn controls_become_visible_placeholders() {
        assert_eq!(inert("a\x07b\x08c\td"), "a␇b␈c    d");
        assert_eq!(inert("one\r\ntwo\rthree"), "one\ntwo\nthree");
        assert_eq!(inert("x\u{202e}evil\u{2066}"), "x\u{fffd}evil\u{fffd}");
        assert_eq!(inert("del\u{7f}"), "del␡");
        assert_eq!(inert("tag\u{e0041}"), "tag\u{fffd}");
    }

    #[test]
    fn the_output_is_a_fixed_point() {
        for s in ["\x1b[2J", "a\rb", "\u{202e}x", "ok"] {
            let once = inert(s);
            assert_eq!(inert(&once), once);
        }
    }
}
