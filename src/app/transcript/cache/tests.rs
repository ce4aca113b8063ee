use super::*;
use crate::domain::{Side, TurnOutcome};
use proptest::prelude::*;
use time::OffsetDateTime;

fn session() -> Session {
    let script = crate::providers::scripted::script::DemoScript::bundled().unwrap();
    Session::new(script.setup(), OffsetDateTime::UNIX_EPOCH)
}

fn not_hidden(_: usize) -> bool {
    false
}

fn src<'a>(s: &'a Session, r: &'a Redactor) -> Source<'a> {
    Source {
        session: s,
        redactor: r,
        hidden: &not_hidden,
    }
}

/// The turn's rows as the layouts give them.
fn kept(layouts: &Layouts, s: &Session, turn: usize) -> Vec<String> {
    let r = Redactor::open();
    layouts
        .with_body(src(s, &r), turn, |b| b.iter().map(layout::plain).collect())
        .unwrap()
}

/// The turn's rows laid out whole, from nothing.
fn whole(s: &Session, turn: usize, width: usize) -> Vec<String> {
    let r = Redactor::open();
    let cx = Context {
        session: s,
        redactor: &r,
        width,
        hidden: false,
    };
    layout::body(s.turn(turn).unwrap(), &cx)
        .iter()
        .map(layout::plain)
        .collect()
}

fn streaming(s: &Layouts, turn: usize) -> Option<(usize, usize)> {
    match s.inner.borrow().turns.get(&turn) {
        Some(Entry::Streaming(st)) => Some((st.done, st.tail.text.len())),
        _ => None,
    }
}

/// Streams `text` in chunks of `step` bytes (at character boundaries), checking after each
/// that the rows kept are the rows of the text read whole.
fn stream_in(text: &str, step: usize, width: usize) -> (Session, Layouts, usize) {
    let mut s = session();
    let mut layouts = Layouts::default();
    layouts.set_width(width);
    let turn = s.begin_turn(Side::A, 1, "root", OffsetDateTime::UNIX_EPOCH);
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + step).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        s.push_text(turn, &text[at..end]);
        at = end;
        assert_eq!(
            kept(&layouts, &s, turn),
            whole(&s, turn, width),
            "after {at} bytes"
        );
    }
    (s, layouts, turn)
}

#[test]
fn a_streaming_turn_reads_as_the_whole_at_every_chunk() {
    let text = "First paragraph, with *emphasis* and `code`.\n\n## A heading\n\n\
                - a list\n- of items\n\n> quoted\n\n```\nlet x = 1;\n\nlet y = 2;\n```\n\n\
                A <quote>quoted\n\npassage</quote> and the end.";
    for step in [1, 3, 7, 40] {
        let (s, layouts, turn) = stream_in(text, step, 24);
        let (done, _) = streaming(&layouts, turn).unwrap();
        assert!(done > 0, "something was settled (step {step})");
        assert!(
            !text[..done].contains("<quote>quoted"),
            "no cut inside the quote"
        );
        drop(s);
    }
}

#[test]
fn a_long_paragraph_is_settled_as_it_grows_and_wraps_as_the_whole() {
    let words: Vec<String> = (0..5000).map(|i| format!("word{}", i % 97)).collect();
    let text = words.join(" ");
    let mut s = session();
    let mut layouts = Layouts::default();
    layouts.set_width(60);
    let turn = s.begin_turn(Side::A, 1, "root", OffsetDateTime::UNIX_EPOCH);
    let mut longest_tail = 0;
    for chunk in text.as_bytes().chunks(23) {
        s.push_text(turn, std::str::from_utf8(chunk).unwrap());
        kept(&layouts, &s, turn);
        let (_, tail) = streaming(&layouts, turn).unwrap();
        longest_tail = longest_tail.max(tail);
    }
    assert!(
        longest_tail < CUT_ABOVE + 64,
        "the tail stays short: {longest_tail}"
    );
    assert_eq!(kept(&layouts, &s, turn), whole(&s, turn, 60));
    // A resize wraps the settled part again, still as the whole.
    layouts.set_width(33);
    assert_eq!(kept(&layouts, &s, turn), whole(&s, turn, 33));
}

#[test]
fn an_open_emphasis_delays_the_cut_until_the_tail_is_very_long() {
    let text = format!("An *open {}", "word ".repeat(5000));
    let mut s = session();
    let mut layouts = Layouts::default();
    layouts.set_width(40);
    let turn = s.begin_turn(Side::A, 1, "root", OffsetDateTime::UNIX_EPOCH);
    let mut longest_tail = 0;
    for chunk in text.as_bytes().chunks(50) {
        s.push_text(turn, std::str::from_utf8(chunk).unwrap());
        kept(&layouts, &s, turn);
        longest_tail = longest_tail.max(streaming(&layouts, turn).unwrap().1);
    }
    let (done, _) = streaming(&layouts, turn).unwrap();
    let tail = longest_tail;
    assert!(done > 0, "cut once the tail passed {FORCE_ABOVE} bytes");
    assert!(tail <= FORCE_ABOVE + RETRY_AFTER + 64, "{tail}");
    assert_eq!(kept(&layouts, &s, turn).len(), whole(&s, turn, 40).len());
}

#[test]
fn finishing_retrying_and_hiding_lay_the_turn_out_again() {
    let (mut s, layouts, turn) = stream_in("Some words.\n\nMore words here.", 5, 30);
    s.finish_turn(
        turn,
        TurnOutcome::Failed("reset".into()),
        None,
        OffsetDateTime::UNIX_EPOCH,
    );
    assert_eq!(kept(&layouts, &s, turn), whole(&s, turn, 30));
    assert!(kept(&layouts, &s, turn).iter().any(|r| r.contains("reset")));
    assert!(s.retry_turn(turn, OffsetDateTime::UNIX_EPOCH));
    s.push_text(turn, "Again.");
    assert_eq!(kept(&layouts, &s, turn), whole(&s, turn, 30));
    let r = Redactor::open();
    let hidden = |_: usize| true;
    let rows: Vec<String> = layouts
        .with_body(
            Source {
                session: &s,
                redactor: &r,
                hidden: &hidden,
            },
            turn,
            |b| b.iter().map(layout::plain).collect(),
        )
        .unwrap();
    assert!(
        rows.join(" ").contains("hidden until both speeches"),
        "{rows:?}"
    );
    assert!(!rows.join(" ").contains("Again"));
}

#[test]
fn the_claims_block_is_not_shown_while_it_streams() {
    let text = "Speech.\n\nMore speech.\n\n```claims\nA1 supports root: a claim\n```\n";
    let (s, layouts, turn) = stream_in(text, 4, 40);
    let rows = kept(&layouts, &s, turn);
    assert!(!rows.iter().any(|r| r.contains("A1 supports")), "{rows:?}");
}

#[test]
fn search_text_offsets_match_the_rows() {
    let (s, layouts, turn) = stream_in("Alpha beta.\n\nGamma *delta* epsilon.", 3, 12);
    let r = Redactor::open();
    let parts: Vec<(usize, String)> = layouts
        .with_text(src(&s, &r), turn, |parts| {
            parts.iter().map(|(b, t)| (*b, t.to_string())).collect()
        })
        .unwrap();
    let mut text = String::new();
    for (base, t) in &parts {
        while text.len() < *base {
            text.push('\n');
        }
        text.push_str(t);
    }
    layouts.with_body(src(&s, &r), turn, |b| {
        for seg in b.iter().flatten() {
            if let Some(at) = seg.at {
                assert_eq!(&text[at..at + seg.text.len()], seg.text);
            }
        }
        // "Alpha beta.", "", "Gamma delta", "epsilon.▌"
        assert_eq!(b.row_of(text.find("delta").unwrap()), Some(2));
        assert_eq!(b.row_of(text.find("epsilon").unwrap()), Some(3));
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Paragraphs, headings, code and quotes streamed in any chunks read as the whole.
    #[test]
    fn streamed_in_any_chunks_reads_as_the_whole(
        parts in proptest::collection::vec(
            prop_oneof![
                "[a-z]{1,7}( [a-z]{1,7}){0,30}",
                "\\*[a-z]{1,5}\\* [a-z]{1,5}",
                "# [a-z]{1,9}",
                "```\n[a-z ]{0,20}\n\n[a-z]{0,9}\n```",
                "<quote>[a-z]{1,5}( [a-z]{1,5}){0,5}</quote>",
            ],
            1..8,
        ),
        seps in proptest::collection::vec(prop_oneof![Just("\n\n"), Just(" "), Just("\n")], 8),
        step in 1usize..60,
        width in 10usize..50,
    ) {
        let mut text = String::new();
        for (i, p) in parts.iter().enumerate() {
            text.push_str(p);
            text.push_str(seps[i % seps.len()]);
        }
        stream_in(&text, step, width);
    }
}
