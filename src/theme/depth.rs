//! How many colours the terminal shows, and each theme colour mapped to the nearest it has.

use super::colour::{self, CUBE};
use ratatui::style::{Color, Modifier, Style};

/// The colours a terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    /// 24-bit `#rrggbb`.
    TrueColor,
    /// The 256 indexed colours.
    Ansi256,
    /// The 16 ANSI colours only.
    Ansi16,
    /// No colour at all: `NO_COLOR` is set (<https://no-color.org>).
    NoColor,
}

impl ColorDepth {
    /// The depth the environment asks for: `NO_COLOR` present and not empty turns colour off;
    /// `COLORTERM=truecolor` or `24bit` means 24-bit; a `TERM` with `256color` in it, 256;
    /// anything else, 16. `env` looks a variable up (injected, so this is testable).
    pub fn detect(env: &dyn Fn(&str) -> Option<String>) -> ColorDepth {
        if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorDepth::NoColor;
        }
        let colorterm = env("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return ColorDepth::TrueColor;
        }
        if env("TERM").is_some_and(|t| t.contains("256color")) {
            ColorDepth::Ansi256
        } else {
            ColorDepth::Ansi16
        }
    }

    /// A colour as this depth can show it; `None` when it shows none.
    pub fn colour(self, c: Color) -> Option<Color> {
        match self {
            ColorDepth::TrueColor => Some(c),
            ColorDepth::NoColor => None,
            ColorDepth::Ansi256 => Some(match c {
                Color::Rgb(r, g, b) => nearest_256((r, g, b)),
                other => other,
            }),
            ColorDepth::Ansi16 => Some(match c {
                Color::Indexed(i) if i < 16 => ansi16_of_index(i),
                other => colour::rgb(other).map_or(other, nearest_16),
            }),
        }
    }

    /// A style as this depth can show it. Without colour, a style that stands out by its
    /// background (`stands_out`: the selection, the status bar, search matches) is reversed
    /// instead, so it still stands out.
    pub fn style(self, style: Style, stands_out: bool) -> Style {
        let mut s = style;
        if self == ColorDepth::NoColor
            && stands_out
            && style.bg.is_some()
            && !style.add_modifier.contains(Modifier::REVERSED)
        {
            s = s.add_modifier(Modifier::REVERSED);
        }
        s.fg = style.fg.and_then(|c| self.colour(c));
        s.bg = style.bg.and_then(|c| self.colour(c));
        s
    }
}

/// The nearest of the 6x6x6 cube and the grey ramp (16-255). The first 16 are left out: each
/// terminal sets them its own way.
fn nearest_256((r, g, b): (u8, u8, u8)) -> Color {
    let level = |v: u8| {
        let nearest =
            (0..CUBE.len()).min_by_key(|&i| CUBE.get(i).map_or(u8::MAX, |l| l.abs_diff(v)));
        nearest.and_then(|i| u8::try_from(i).ok()).unwrap_or(0)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = Color::Indexed(16 + 36 * ri + 6 * gi + bi);
    let mean = (u16::from(r) + u16::from(g) + u16::from(b)) / 3;
    // Greys 232-255 are 8, 18, ... 238: the step nearest the mean.
    let step = (mean.saturating_sub(8) + 5) / 10;
    let grey = Color::Indexed(232 + u8::try_from(step.min(23)).unwrap_or(23));
    let off = |c: Color| colour::rgb(c).map_or(u32::MAX, |rgb| distance((r, g, b), rgb));
    if off(grey) < off(cube) { grey } else { cube }
}

/// A "redmean" weighted distance (squared, times 256): closer to how far apart colours look
/// than plain RGB distance, at the cost of a few multiplications.
fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
    let rmean = (u32::from(a.0) + u32::from(b.0)) / 2;
    (512 + rmean) * d(a.0, b.0) + 1024 * d(a.1, b.1) + (767 - rmean) * d(a.2, b.2)
}

/// The ANSI colour nearest `rgb` by hue first, then lightness. Nearest by RGB distance would be
/// wrong here: the ANSI colours are fully saturated, so a theme's softer colours are nearer a
/// grey than their own hue (#e06c75, a soft red, is nearer dark grey than red by redmean). So a
/// colour with little chroma goes to the grey of its lightness (black, dark grey, grey, white),
/// and any other to the nearest of the six hues, in its light variant when it is light.
fn nearest_16((r, g, b): (u8, u8, u8)) -> Color {
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let chroma = max - min;
    let lightness = (u16::from(max) + u16::from(min)) / 2;
    if chroma < 40 {
        return match lightness {
            0..64 => Color::Black,
            64..128 => Color::DarkGray,
            128..216 => Color::Gray,
            _ => Color::White,
        };
    }
    let (rf, gf, bf, c) = (f64::from(r), f64::from(g), f64::from(b), f64::from(chroma));
    let hue = if max == r {
        60.0 * ((gf - bf) / c).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((bf - rf) / c + 2.0)
    } else {
        60.0 * ((rf - gf) / c + 4.0)
    };
    // Sextants centred on red (0°), yellow (60°), green, cyan, blue, magenta (300°).
    let sextant = ((hue + 30.0) / 60.0).floor().rem_euclid(6.0) as u8;
    let light = lightness >= 150;
    match (sextant, light) {
        (0, false) => Color::Red,
        (0, true) => Color::LightRed,
        (1, false) => Color::Yellow,
        (1, true) => Color::LightYellow,
        (2, false) => Color::Green,
        (2, true) => Color::LightGreen,
        (3, false) => Color::Cyan,
        (3, true) => Color::LightCyan,
        (4, false) => Color::Blue,
        (4, true) => Color::LightBlue,
        (_, false) => Color::Magenta,
        (_, true) => Color::LightMagenta,
    }
}

/// Indices 0-15 are the ANSI colours under another name.
fn ansi16_of_index(i: u8) -> Color {
    const BY_INDEX: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    BY_INDEX
        .get(usize::from(i))
        .copied()
        .unwrap_or(Color::Indexed(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> ColorDepth {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ColorDepth::detect(&|k| map.get(k).cloned())
    }

    #[test]
    fn depth_comes_from_the_environment() {
        assert_eq!(env(&[]), ColorDepth::Ansi16);
        assert_eq!(env(&[("TERM", "xterm")]), ColorDepth::Ansi16);
        assert_eq!(env(&[("TERM", "xterm-256color")]), ColorDepth::Ansi256);
        assert_eq!(env(&[("TERM", "tmux-256color")]), ColorDepth::Ansi256);
        assert_eq!(
            env(&[("COLORTERM", "truecolor"), ("TERM", "xterm")]),
            ColorDepth::TrueColor
        );
        assert_eq!(env(&[("COLORTERM", "24bit")]), ColorDepth::TrueColor);
        assert_eq!(
            env(&[("COLORTERM", "yes"), ("TERM", "xterm-256color")]),
            ColorDepth::Ansi256
        );
        // NO_COLOR wins over everything, but only when it is not empty (no-color.org).
        assert_eq!(
            env(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")]),
            ColorDepth::NoColor
        );
        assert_eq!(env(&[("NO_COLOR", "0")]), ColorDepth::NoColor);
        assert_eq!(
            env(&[("NO_COLOR", ""), ("COLORTERM", "truecolor")]),
            ColorDepth::TrueColor
        );
    }

    #[test]
    fn rgb_maps_into_the_cube_or_the_grey_ramp() {
        let map = |r, g, b| ColorDepth::Ansi256.colour(Color::Rgb(r, g, b));
        // 0x61=97 -> level 95 (1), 0xaf=175 -> 175 (3), 0xef=239 -> 255 (5, 16 away vs 24):
        // 16 + 36 + 18 + 5 = 75.
        assert_eq!(map(0x61, 0xaf, 0xef), Some(Color::Indexed(75)));
        // 229 -> 215 (4), 160 -> 175 (3), 75 -> 95 (1): 16 + 144 + 18 + 1 = 179.
        assert_eq!(map(0xe5, 0xa0, 0x4b), Some(Color::Indexed(179)));
        // 128 grey: the cube's nearest is 135 (7 off); the ramp has 128 exactly, 232 + 12.
        assert_eq!(map(128, 128, 128), Some(Color::Indexed(244)));
        assert_eq!(map(0, 0, 0), Some(Color::Indexed(16)));
        assert_eq!(map(255, 255, 255), Some(Color::Indexed(231)));
        // Names and indices are left alone.
        assert_eq!(ColorDepth::Ansi256.colour(Color::Red), Some(Color::Red));
        assert_eq!(
            ColorDepth::Ansi256.colour(Color::Indexed(3)),
            Some(Color::Indexed(3))
        );
    }

    #[test]
    fn rgb_maps_to_the_nearest_ansi_hue() {
        let map = |r, g, b| ColorDepth::Ansi16.colour(Color::Rgb(r, g, b));
        // #e06c75: max r 224, min g 108, chroma 116, hue 60 * (108-117)/116 = -4.7° -> red;
        // lightness (224+108)/2 = 166, light.
        assert_eq!(map(0xe0, 0x6c, 0x75), Some(Color::LightRed));
        // #61afef: hue 60 * ((97-175)/142 + 4) = 207° -> cyan (180° ± 30); lightness 168.
        assert_eq!(map(0x61, 0xaf, 0xef), Some(Color::LightCyan));
        // #e5a04b: hue 60 * (160-75)/154 = 33° -> yellow; lightness 152, light.
        assert_eq!(map(0xe5, 0xa0, 0x4b), Some(Color::LightYellow));
        // #0b5cad: hue 60 * ((11-92)/162 + 4) = 210° -> blue; lightness 92.
        assert_eq!(map(0x0b, 0x5c, 0xad), Some(Color::Blue));
        // #D55E00: hue 60 * 94/213 = 26° -> red; lightness 106.
        assert_eq!(map(0xd5, 0x5e, 0x00), Some(Color::Red));
        // Greys by lightness: #3e4452 (chroma 20, lightness 72), #d7dae0 (219), #21252b (38).
        assert_eq!(map(0x3e, 0x44, 0x52), Some(Color::DarkGray));
        assert_eq!(map(0xd7, 0xda, 0xe0), Some(Color::White));
        assert_eq!(map(0x21, 0x25, 0x2b), Some(Color::Black));
        assert_eq!(map(0x7f, 0x84, 0x8e), Some(Color::Gray));
        // Indices: 0-15 are the ANSI colours; 208 is #ff8700 (hue 32°, lightness 127).
        assert_eq!(
            ColorDepth::Ansi16.colour(Color::Indexed(9)),
            Some(Color::LightRed)
        );
        assert_eq!(
            ColorDepth::Ansi16.colour(Color::Indexed(208)),
            Some(Color::Yellow)
        );
        assert_eq!(ColorDepth::Ansi16.colour(Color::Reset), Some(Color::Reset));
    }

    #[test]
    fn no_colour_keeps_the_modifiers_and_reverses_what_stood_out() {
        let bar = Style::default()
            .fg(Color::White)
            .bg(Color::Rgb(1, 2, 3))
            .add_modifier(Modifier::BOLD);
        let plain = ColorDepth::NoColor.style(bar, false);
        assert_eq!(plain, Style::default().add_modifier(Modifier::BOLD));
        let marked = ColorDepth::NoColor.style(bar, true);
        assert_eq!(
            marked,
            Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        );
        // Without a background there is nothing to replace.
        let fg_only = Style::default().fg(Color::Red);
        assert_eq!(ColorDepth::NoColor.style(fg_only, true), Style::default());
    }
}
