//! Makes text from models safe to put on a terminal: escape sequences and control characters
//! become inert, so hostile output cannot move the cursor, recolour, retitle or clear the screen.

/// Returns `text` with terminal escape sequences removed and other control characters replaced.
/// Newlines are kept, tabs become spaces, carriage returns are dropped, and invisible bidi
/// overrides (which can make text read differently from what it is) are removed.
pub fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI/OSC/DCS introducers act like ESC sequences on some terminals.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => {
                if c != '\r' {
                    out.push('\u{fffd}');
                }
            }
            c => out.push(c),
        }
    }
    out
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // Two-character sequences such as ESC c (reset) or ESC 7.
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

/// CSI: parameters and intermediates up to a final byte in '@'..='~'.
fn skip_csi(chars: &mut Chars) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/...: up to BEL or ESC \ (string terminator).
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            inert("Hello, world.\nSecond line é ✓"),
            "Hello, world.\nSecond line é ✓"
        );
    }

    #[test]
    fn escape_sequences_are_removed() {
        assert_eq!(inert("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(inert("\x1b[2J\x1b[Hcleared"), "cleared");
        assert_eq!(inert("\x1b]0;pwned title\x07after"), "after");
        assert_eq!(inert("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "link");
        assert_eq!(inert("\x1bcreset"), "reset");
        assert_eq!(inert("\u{9b}31mC1"), "C1");
        assert_eq!(inert("\x1bP+q\x1b\\dcs"), "dcs");
    }

    #[test]
    fn controls_become_visible_placeholders() {
        assert_eq!(inert("a\x07b\x08c\rd\te"), "a\u{fffd}b\u{fffd}cd    e");
        assert_eq!(inert("x\u{202e}evil\u{2066}"), "xevil");
    }

    #[test]
    fn truncated_sequences_do_not_panic() {
        for s in ["\x1b", "\x1b[", "\x1b]unterminated", "\u{9b}"] {
            let out = inert(s);
            assert!(!out.contains('\x1b'));
        }
    }
}
