//! Colour values as a theme file writes them: `#rrggbb`, an ANSI name, or a 0-255 index.

use ratatui::style::Color;

/// The ANSI colour names, spelled as the docs list them. They follow the terminal's own
/// palette, so they look right on every terminal but differ from one to another.
pub const NAMES: &[(&str, Color)] = &[
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark-gray", Color::DarkGray),
    ("light-red", Color::LightRed),
    ("light-green", Color::LightGreen),
    ("light-yellow", Color::LightYellow),
    ("light-blue", Color::LightBlue),
    ("light-magenta", Color::LightMagenta),
    ("light-cyan", Color::LightCyan),
    ("white", Color::White),
    ("reset", Color::Reset),
];

/// Other spellings of the names above (helix's and the terminals' own).
const ALIASES: &[(&str, &str)] = &[
    ("grey", "gray"),
    ("light-gray", "gray"),
    ("silver", "gray"),
    ("dark-grey", "dark-gray"),
    ("light-black", "dark-gray"),
    ("light-white", "white"),
    ("default", "reset"),
];

/// Why a string is not a colour value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColourError {
    /// Starts with `#` but is not six hex digits.
    BadHex,
    /// A number above 255.
    OutOfRange,
    /// Neither a number nor a known name.
    UnknownName,
}

/// A colour written as `#rrggbb`, a 0-255 index or an ANSI name. Names ignore case, `-`, `_`
/// and spaces, and `bright-` means `light-` (`"Light Blue"`, `"bright_blue"`, `"lightblue"`).
pub fn parse(text: &str) -> Result<Color, ColourError> {
    if let Some(hex) = text.strip_prefix('#') {
        return hex_rgb(hex).ok_or(ColourError::BadHex);
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u8>() {
            Ok(i) => Ok(Color::Indexed(i)),
            Err(_) => Err(ColourError::OutOfRange),
        };
    }
    let wanted = squash(text);
    let name = ALIASES
        .iter()
        .find(|(alias, _)| squash(alias) == wanted)
        .map_or(wanted.as_str(), |(_, name)| name);
    NAMES
        .iter()
        .find(|(n, _)| squash(n) == squash(name))
        .map(|&(_, c)| c)
        .ok_or(ColourError::UnknownName)
}

/// Every name `parse` accepts in its docs spelling, for "did you mean".
pub fn names() -> impl Iterator<Item = &'static str> {
    NAMES
        .iter()
        .map(|(n, _)| *n)
        .chain(ALIASES.iter().map(|(a, _)| *a))
}

fn hex_rgb(hex: &str) -> Option<Color> {
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?))
}

/// Lower case without separators, and `bright` read as `light`.
fn squash(name: &str) -> String {
    let s: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    match s.strip_prefix("bright") {
        Some(rest) => format!("light{rest}"),
        None => s,
    }
}

/// The red, green and blue of a colour whose value is fixed: `#rrggbb`, and the 240 indexed
/// colours above the first 16 (the 6x6x6 cube and the grey ramp, the same on every terminal
/// that has them). The ANSI colours and indices 0-15 are the terminal's to choose: `None`.
pub fn rgb(c: Color) -> Option<(u8, u8, u8)> {
    match c {
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i @ 16..=231) => {
            let n = i - 16;
            let level = |k: u8| CUBE.get(usize::from(k % 6)).copied();
            Some((level(n / 36)?, level(n / 6)?, level(n)?))
        }
        Color::Indexed(i @ 232..=255) => {
            let v = 8 + 10 * (i - 232);
            Some((v, v, v))
        }
        _ => None,
    }
}

/// The six levels of each channel in the 256-colour cube.
pub const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse() {
        assert_eq!(parse("#61afef"), Ok(Color::Rgb(0x61, 0xaf, 0xef)));
        assert_eq!(parse("#ABCDEF"), Ok(Color::Rgb(0xab, 0xcd, 0xef)));
        assert_eq!(parse("208"), Ok(Color::Indexed(208)));
        assert_eq!(parse("0"), Ok(Color::Indexed(0)));
        assert_eq!(parse("light-blue"), Ok(Color::LightBlue));
        assert_eq!(parse("Light Blue"), Ok(Color::LightBlue));
        assert_eq!(parse("bright_red"), Ok(Color::LightRed));
        assert_eq!(parse("grey"), Ok(Color::Gray));
        assert_eq!(parse("light-gray"), Ok(Color::Gray));
        assert_eq!(parse("DarkGray"), Ok(Color::DarkGray));
        assert_eq!(parse("default"), Ok(Color::Reset));
    }

    #[test]
    fn bad_values_say_which_kind() {
        assert_eq!(parse("#12345"), Err(ColourError::BadHex));
        assert_eq!(parse("#abc"), Err(ColourError::BadHex));
        assert_eq!(parse("#12345g"), Err(ColourError::BadHex));
        assert_eq!(parse("#ééé"), Err(ColourError::BadHex));
        assert_eq!(parse("256"), Err(ColourError::OutOfRange));
        assert_eq!(parse("99999999999999999999"), Err(ColourError::OutOfRange));
        assert_eq!(parse("bleu"), Err(ColourError::UnknownName));
        assert_eq!(parse(""), Err(ColourError::UnknownName));
        assert_eq!(parse("-1"), Err(ColourError::UnknownName));
    }

    #[test]
    fn fixed_colours_have_their_rgb() {
        // 16 + 36*1 + 6*3 + 5 = 75: levels 95, 175, 255.
        assert_eq!(rgb(Color::Indexed(75)), Some((95, 175, 255)));
        assert_eq!(rgb(Color::Indexed(16)), Some((0, 0, 0)));
        assert_eq!(rgb(Color::Indexed(231)), Some((255, 255, 255)));
        // 232 + 12: 8 + 10*12 = 128.
        assert_eq!(rgb(Color::Indexed(244)), Some((128, 128, 128)));
        assert_eq!(rgb(Color::Indexed(255)), Some((238, 238, 238)));
        assert_eq!(rgb(Color::Indexed(3)), None);
        assert_eq!(rgb(Color::Red), None);
    }
}
