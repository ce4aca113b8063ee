//! A debater's hostile output, drawn by the app's own draw path through ratatui's crossterm
//! backend into a VT100 parser (the vt100 crate): the bytes agon would send a terminal.
//! Whatever the debater sent, the terminal sets no title, touches no clipboard, rings no bell,
//! and ends up showing exactly the screen agon meant to draw (header on the first row, status
//! on the last), with every printable character of the debater's text in the transcript.

mod support;

use agon::app::{App, Msg, Settings};
use agon::domain::{Session, TurnOutcome};
use agon::engine::{Engine, EngineConfig, Mode};
use agon::providers::scripted::script::DemoScript;
use agon::theme::Theme;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::RefCell;
use std::io::Write;
use std::num::NonZeroU16;
use std::rc::Rc;
use time::OffsetDateTime;

const W: u16 = 120;
const H: u16 = 40;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

/// What the terminal was asked to do besides drawing.
#[derive(Default, Debug)]
struct Seen {
    titles: Vec<Vec<u8>>,
    clipboard: Vec<Vec<u8>>,
    bells: usize,
    resizes: usize,
    unhandled_osc: usize,
}

impl vt100::Callbacks for Seen {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn resize(&mut self, _: &mut vt100::Screen, _: (u16, u16)) {
        self.resizes += 1;
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8]) {
        self.clipboard.push(b"<paste request>".to_vec());
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, _: &[&[u8]]) {
        self.unhandled_osc += 1;
    }
}

/// A live debate whose first turn (side A) streamed `chunks` and finished when `finish`.
fn app_with_turn(chunks: &[&str], finish: bool) -> App {
    let script = DemoScript::bundled().unwrap();
    let mut session = Session::new(script.setup(), t0());
    let (round, side) = session.next_slot().unwrap();
    let i = session.begin_turn(side, round, "root", t0());
    for chunk in chunks {
        session.push_text(i, chunk);
    }
    if finish {
        session.finish_turn(i, TurnOutcome::Complete, None, t0());
    }
    let engine = Engine::new(session, Mode::Live, EngineConfig::default(), None);
    let settings = Settings {
        theme: Theme::bundled(),
        ..Settings::default()
    };
    let mut app = App::new(engine, settings);
    app.update(
        Msg::Resize {
            width: W,
            height: H,
        },
        t0(),
    );
    app
}

/// A writer whose bytes stay readable after the terminal took it.
#[derive(Clone, Default)]
struct Tape(Rc<RefCell<Vec<u8>>>);

impl Write for Tape {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Draws the app twice (the first frame sizes the panes) into a byte stream, as the real
/// terminal would receive it, and into a `TestBackend` for what agon meant to show.
fn render(app: &App) -> (Vec<u8>, ratatui::buffer::Buffer) {
    let area = Rect::new(0, 0, W, H);
    let mut ui = agon::ui::Ui::default();
    let tape = Tape::default();
    let mut term = Terminal::with_options(
        CrosstermBackend::new(tape.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .unwrap();
    for _ in 0..2 {
        term.draw(|f| agon::ui::draw(f, app, &mut ui, t0()))
            .unwrap();
    }
    drop(term);
    let bytes = stand_in_for_replacement(&tape.0.borrow());
    let mut ui = agon::ui::Ui::default();
    let mut test = Terminal::new(TestBackend::new(W, H)).unwrap();
    for _ in 0..2 {
        test.draw(|f| agon::ui::draw(f, app, &mut ui, t0()))
            .unwrap();
    }
    (bytes, test.backend().buffer().clone())
}

/// What stands for U+FFFD (inert's sign for a C1 control or an invisible format character)
/// on both sides of the comparison: vt100 drops U+FFFD, which its parser makes of invalid
/// UTF-8, where real terminals draw it in one cell as they would `¤`.
const STAND_IN: &str = "¤";

fn stand_in_for_replacement(bytes: &[u8]) -> Vec<u8> {
    let (from, to) = ("\u{fffd}".as_bytes(), STAND_IN.as_bytes());
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.starts_with(from) {
            out.extend_from_slice(to);
            rest = &rest[from.len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

/// The screen's rows as text (for messages), a wide character's second cell left out.
fn vt_rows(screen: &vt100::Screen) -> Vec<String> {
    (0..H)
        .map(|row| {
            (0..W)
                .filter_map(|col| screen.cell(row, col))
                .filter(|c| !c.is_wide_continuation())
                .map(|c| {
                    if c.has_contents() {
                        c.contents().to_string()
                    } else {
                        " ".to_string()
                    }
                })
                .collect()
        })
        .collect()
}

/// The buffer's rows as text, the same way: the cell after a wide symbol is skipped.
fn buffer_rows(buffer: &ratatui::buffer::Buffer) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    (0..H)
        .map(|y| {
            let mut row = String::new();
            let mut skip = 0;
            for x in 0..W {
                let symbol = buffer[(x, y)].symbol();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                skip = symbol.width().saturating_sub(1);
                row.push_str(match symbol {
                    "" => " ",
                    "\u{fffd}" => STAND_IN,
                    s => s,
                });
            }
            row
        })
        .collect()
}

/// What `inert` must keep and a screen shows: no controls, no invisible formatting, no
/// whitespace (which wrapping moves).
fn shown(c: char) -> bool {
    !c.is_control()
        && !c.is_whitespace()
        && !matches!(c,
            '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Draws `chunks` as a debater's turn and checks the terminal stayed inert and shows, cell by
/// cell, what agon drew; returns the rows agon drew.
fn check_inert(name: &str, chunks: &[&str], finish: bool) -> Vec<String> {
    let app = app_with_turn(chunks, finish);
    let (bytes, buffer) = render(&app);
    let mut parser = vt100::Parser::new_with_callbacks(
        NonZeroU16::new(H).unwrap(),
        NonZeroU16::new(W).unwrap(),
        0,
        Seen::default(),
    );
    parser.process(&bytes);
    let seen = parser.callbacks();
    assert!(seen.titles.is_empty(), "{name}: a title was set: {seen:?}");
    assert!(seen.clipboard.is_empty(), "{name}: the clipboard: {seen:?}");
    assert_eq!(seen.bells, 0, "{name}: a bell rang");
    assert_eq!(seen.resizes, 0, "{name}: a resize was asked");
    assert_eq!(seen.unhandled_osc, 0, "{name}: an OSC reached the terminal");
    let screen = parser.screen();
    let meant = buffer_rows(&buffer);
    let got = vt_rows(screen);
    for y in 0..H {
        for x in 0..W {
            let cell = screen.cell(y, x).unwrap();
            if cell.is_wide_continuation() {
                continue;
            }
            let want = match buffer[(x, y)].symbol() {
                "" => " ",
                "\u{fffd}" => STAND_IN,
                s => s,
            };
            let have = if cell.has_contents() {
                cell.contents()
            } else {
                " "
            };
            // vt100 keeps a cluster's first characters only (👩‍ of 👩‍👩‍👧‍👦): the cell, and so
            // the layout after it, is still the cluster's.
            let cut_cluster = !have.trim().is_empty() && want.starts_with(have);
            assert!(
                have == want || cut_cluster,
                "{name}: cell ({x}, {y}) shows {have:?} where agon drew {want:?}\n\
                 terminal:\n{}\nagon:\n{}",
                got.join("\n"),
                meant.join("\n")
            );
        }
    }
    assert!(
        got[0].contains("Should the city adopt congestion pricing"),
        "{name}: the header is on the first row:\n{}",
        got.join("\n")
    );
    assert!(
        got[usize::from(H) - 1].contains("quit"),
        "{name}: the key hints are on the last row:\n{}",
        got.join("\n")
    );
    assert!(
        !screen.alternate_screen(),
        "{name}: the alternate screen was entered"
    );
    meant
}

/// Every printable character of `input`, in order, somewhere on the screen (read row by row:
/// other panes' characters may come between, wrapping may move whitespace).
fn assert_all_shown(name: &str, input: &str, rows: &[String]) {
    let hay: Vec<char> = rows
        .iter()
        .flat_map(|r| r.chars())
        .filter(|&c| shown(c))
        .collect();
    let mut at = 0;
    for c in input.chars().filter(|&c| shown(c)) {
        match hay[at..].iter().position(|&h| h == c) {
            Some(k) => at += k + 1,
            None => panic!(
                "{name}: {c:?} of the debater's text is not on the screen:\n{}",
                rows.join("\n")
            ),
        }
    }
}

/// Each hostile input, followed by a sentence that must stay visible after it.
const CASES: &[(&str, &str)] = &[
    (
        "csi",
        "\x1b[2J\x1b[H\x1b[31mred\x1b[0m \x1b[10;10Hmoved \x1b[?1049h alt",
    ),
    ("osc title, BEL", "\x1b]0;pwned title\x07 after one"),
    ("osc title, ST", "\x1b]2;other title\x1b\\ after two"),
    ("osc 52", "\x1b]52;c;aGlkZGVu\x07 clipboard"),
    (
        "osc unterminated",
        "before \x1b]0; the hidden sentence the judge must see",
    ),
    (
        "c1 controls",
        "\u{9b}31m c1csi \u{9d}0;c1title\u{9c} \u{85}nel \u{90}dcs\u{9c}",
    ),
    ("bare cr", "overwrite me\rXY and on"),
    ("backspace", "erase\x08\x08\x08\x08\x08kept"),
    (
        "bell and others",
        "ding\x07 \x0e shift-out \x0f \x1bc reset \x1b7save\x1b8",
    ),
    ("zwj emoji", "family 👩‍👩‍👧‍👦 flag 🏳️‍🌈 wave 👋🏽 end"),
    (
        "rtl override",
        "price \u{202e}0001$\u{202c} and \u{2067}isolate\u{2069} mark\u{200f}",
    ),
];

#[test]
fn hostile_debater_output_is_inert_and_the_layout_holds() {
    for (name, text) in CASES {
        let input = format!("{text} SENTINEL-{}", name.len());
        let rows = check_inert(name, &[&input], true);
        assert_all_shown(name, &input, &rows);
    }
}

#[test]
fn escapes_split_across_stream_chunks_stay_inert() {
    // A sequence cut between two chunks must not be completed by the next chunk.
    for (name, text) in CASES {
        let input = format!("{text} SENTINEL");
        for cut in [1usize, 2, 3, 5] {
            let Some((at, _)) = input.char_indices().nth(cut) else {
                continue;
            };
            let (a, b) = input.split_at(at);
            let rows = check_inert(name, &[a, b], true);
            assert_all_shown(name, &input, &rows);
        }
    }
}

#[test]
fn a_one_megabyte_line_streams_without_breaking_the_screen() {
    let mut line = String::from("START ");
    while line.len() < 1 << 20 {
        line.push_str("lorem\u{1b}[7m ipsum ");
    }
    line.push_str("THE-END");
    let started = std::time::Instant::now();
    // Streamed in 4 KiB pieces, as a server sends it, the turn still streaming.
    let chunks: Vec<&str> = {
        let mut out = Vec::new();
        let mut rest = line.as_str();
        while !rest.is_empty() {
            let mut cut = rest.len().min(4096);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            let (a, b) = rest.split_at(cut);
            out.push(a);
            rest = b;
        }
        out
    };
    let rows = check_inert("1 MB line", &chunks, false);
    assert!(
        rows.iter().any(|r| r.contains("THE-END")),
        "the transcript follows the stream to its last word:\n{}",
        rows.join("\n")
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "a megabyte drew in {:?}",
        started.elapsed()
    );
}

/// A server that answers every request with a 400 whose error message carries OSC 52 (write
/// the clipboard), OSC 2 (set the title), a bell and a CSI; returns its `/v1` base URL.
fn hostile_error_server() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in listener.incoming().take(20) {
            let Ok(mut conn) = conn else { return };
            let mut buf = [0u8; 65536];
            let _ = conn.read(&mut buf);
            let body = serde_json::json!({"error": {"message":
                "bad\u{1b}]52;c;aGlkZGVu\u{7} request\u{1b}]2;pwned\u{7} here\u{1b}[2J\u{7}"}})
            .to_string();
            let _ = conn.write_all(
                format!(
                    "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    });
    url
}

#[test]
fn a_providers_escape_sequences_never_reach_headless_stderr() {
    let url = hostile_error_server();
    let run = support::servers::run_headless(&[
        "--provider",
        "openai",
        "--base-url",
        &url,
        "--model",
        "m",
        "--question",
        "Is stderr safe?",
        "--rounds",
        "1",
    ]);
    let err = run.stderr();
    assert!(!run.status().success(), "{}", run.describe());
    assert!(
        err.contains("bad") && err.contains("request") && err.contains("here"),
        "the server's message is shown: {err}"
    );
    assert!(
        !err.contains('\x1b') && !err.contains('\x07'),
        "no escape or bell reaches the terminal: {err:?}"
    );
    let mut parser = vt100::Parser::new_with_callbacks(
        NonZeroU16::new(H).unwrap(),
        NonZeroU16::new(W).unwrap(),
        0,
        Seen::default(),
    );
    parser.process(err.as_bytes());
    let seen = parser.callbacks();
    assert!(
        seen.titles.is_empty() && seen.clipboard.is_empty() && seen.bells == 0,
        "{seen:?}"
    );
}
