//! The checker end to end: classes, spans, markers, budget, and properties over open inputs.

use super::check::quotes_of;
use super::diff::same_words;
use super::words::words;
use super::*;
use crate::domain::annotation::Span;
use crate::domain::debate::Protocol;

const STORY: &str = "The ship came in at dawn. “Don’t go,” said Mara — but Tom was already \
    on the pier… He was unhappy, and the harbour master knew it. At 1,000 feet the fog \
    lifted; nobody spoke of the cargo again.";

fn at(source: &str, span: Option<Span>) -> &str {
    span.and_then(|s| source.get(s.start..s.end))
        .unwrap_or("<none>")
}

fn check(quote: &str) -> (QuoteClass, String) {
    let c = classify(quote, STORY);
    (c.class, at(STORY, c.source).to_string())
}

#[test]
fn exact_is_verbatim_with_its_span() {
    let c = classify("said Mara — but Tom", STORY);
    assert_eq!(c.class, QuoteClass::Exact);
    assert_eq!(c.similarity, Some(1.0));
    let span = c.source.expect("span");
    assert_eq!(STORY.find("said Mara").expect("in story"), span.start);
    assert_eq!(at(STORY, c.source), "said Mara — but Tom");
    // Surrounding white space is not part of the quote.
    assert_eq!(check("  the fog\n"), (QuoteClass::Exact, "the fog".into()));
}

#[test]
fn exact_ends_on_word_boundaries() {
    // "happy" is inside "unhappy" only: that is not a quote of it.
    assert_eq!(check("happy").0, QuoteClass::NotFound);
    assert_eq!(
        check("He was happy, and the harbour master knew it").0,
        QuoteClass::Close
    );
    // "ship" is a word of its own.
    assert_eq!(check("ship"), (QuoteClass::Exact, "ship".into()));
    // A later occurrence on boundaries is found past an earlier one inside a word.
    let source = "unhappy people; happy people";
    let c = classify("happy", source);
    assert_eq!(
        (c.class, at(source, c.source)),
        (QuoteClass::Exact, "happy")
    );
    assert_eq!(c.source.map(|s| s.start), Some(16));
}

#[test]
fn normalised_sets_aside_case_space_punctuation_quotes_dashes_ellipses() {
    let (class, place) = check("\"don't go\" SAID mara - but   tom was already on the pier...");
    assert_eq!(class, QuoteClass::Normalised);
    // The span is the source's own bytes, from the first word to the last.
    assert_eq!(
        place,
        "Don’t go,” said Mara — but Tom was already on the pier"
    );
    assert_eq!(check("At 1000 feet").0, QuoteClass::Normalised);
    assert_eq!(check("the ship came in at dawn.").0, QuoteClass::Normalised);
}

#[test]
fn close_reports_similarity_worked_by_hand() {
    // 10 words, one changed ("harbour" -> "port"): 9 in common, 2·9 / (10 + 10) = 0.9.
    let c = classify("He was unhappy, and the port master knew it. At", STORY);
    assert_eq!(c.class, QuoteClass::Close);
    assert_eq!(
        at(STORY, c.source),
        "He was unhappy, and the harbour master knew it. At"
    );
    let sim = c.similarity.expect("similarity");
    assert!((sim - 0.9).abs() < 1e-12, "{sim}");
    // One word dropped: 10 quote words, 11 in the window, 10 in common: 20 / 21.
    let c = classify("He was unhappy, and the master knew it. At 1,000", STORY);
    assert_eq!(c.class, QuoteClass::Close);
    assert!((c.similarity.expect("similarity") - 20.0 / 21.0).abs() < 1e-12);
}

#[test]
fn short_quotes_are_close_only_when_the_change_is_at_an_end() {
    let source = "he was not there that night";
    // The middle word changed: 2·2 / (3 + 3), not found.
    assert_eq!(
        classify("was never there", source).class,
        QuoteClass::NotFound
    );
    // The last word changed: "was not", 2·2 / (3 + 2) = 0.8, close.
    let c = classify("was not guilty", source);
    assert_eq!(
        (c.class, at(source, c.source)),
        (QuoteClass::Close, "was not")
    );
    assert_eq!(c.similarity, Some(0.8));
}

#[test]
fn close_similarity_agrees_with_the_diff() {
    let quote = "the harbour master surely knew it at 1,000 feet when the fog lifted";
    let c = classify(quote, STORY);
    assert_eq!(c.class, QuoteClass::Close);
    let place = at(STORY, c.source);
    let parts = diff(quote, place);
    let same = same_words(&parts);
    let expected = 2.0 * same as f64 / (words(quote).len() + words(place).len()) as f64;
    assert_eq!(c.similarity, Some(expected));
    assert!(
        parts
            .iter()
            .any(|p| p.kind == DiffKind::Inserted && p.text.trim() == "surely")
    );
}

#[test]
fn not_found_has_no_place() {
    let c = classify("The lighthouse keeper sang all night long", STORY);
    assert_eq!(c, Check::NOT_FOUND);
    assert_eq!(classify("", STORY), Check::NOT_FOUND);
    assert_eq!(classify(" \n ", STORY), Check::NOT_FOUND);
}

#[test]
fn a_quote_longer_than_the_source() {
    let source = "one two three four five six seven eight nine ten";
    // One word more than the whole source: 2·10 / (11 + 10).
    let c = classify(&format!("{source} eleven"), source);
    assert_eq!((c.class, at(source, c.source)), (QuoteClass::Close, source));
    // Three times the source: nothing close.
    assert_eq!(
        classify(&[source, source, source].join(" x "), source).class,
        QuoteClass::NotFound
    );
    assert_eq!(classify("a b c", "").class, QuoteClass::NotFound);
}

#[test]
fn quotes_of_only_punctuation_or_emoji() {
    // Verbatim punctuation is exact; punctuation has no words to be normalised or close.
    assert_eq!(check("…"), (QuoteClass::Exact, "…".into()));
    assert_eq!(check("...").0, QuoteClass::NotFound);
    assert_eq!(check("?!").0, QuoteClass::NotFound);
    assert_eq!(classify("🙂", "good 🙂 news").class, QuoteClass::Exact);
    assert_eq!(
        classify("good news", "good 🙂 news").class,
        QuoteClass::Normalised
    );
}

#[test]
fn unicode_accents_cjk_and_emoji() {
    let source = "Le café était fermé. 彼は「東京へ行く」と言った。🙂 Fin.";
    let c = classify("CAFÉ était", source);
    assert_eq!(
        (c.class, at(source, c.source)),
        (QuoteClass::Normalised, "café était")
    );
    // Accents count: "cafe" is another word.
    assert_eq!(classify("cafe", source).class, QuoteClass::NotFound);
    let c = classify("東京へ行く", source);
    assert_eq!(
        (c.class, at(source, c.source)),
        (QuoteClass::Exact, "東京へ行く")
    );
    // Other brackets, part of a run of Han and kana without spaces.
    let c = classify("\"東京へ行く\"と言った", source);
    assert_eq!(
        (c.class, at(source, c.source)),
        (QuoteClass::Normalised, "東京へ行く」と言った")
    );
    // Emoji are not words: verbatim they are exact, otherwise set aside.
    let c = classify("🙂 Fin", source);
    assert_eq!(
        (c.class, at(source, c.source)),
        (QuoteClass::Exact, "🙂 Fin")
    );
    let c = classify("Fin 🙂", source);
    assert_eq!(
        (c.class, at(source, c.source)),
        (QuoteClass::Normalised, "Fin")
    );
}

/// A long text of varied words, deterministic.
fn long_text(words: usize, seed: u64) -> String {
    let vocab = [
        "harbour", "ship", "fog", "Mara", "Tom", "cargo", "dawn", "pier", "master", "rope", "the",
        "a", "of", "and", "to", "was", "in", "it", "quietly", "never",
    ];
    let mut x = seed;
    let mut out = String::new();
    for i in 0..words {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let w = vocab[(x >> 33) as usize % vocab.len()];
        out.push_str(w);
        out.push_str(if i % 13 == 12 { ". " } else { " " });
    }
    out
}

#[test]
fn very_long_quotes() {
    let source = long_text(12_000, 7);
    // 10,000 characters from a word start in the middle, ending at a word's end.
    let start = source
        .char_indices()
        .nth(20_000)
        .map(|(i, _)| i)
        .expect("long");
    let start = start + source[start..].find(' ').expect("space") + 1;
    let quote = &source[start..start + 10_000];
    let quote = quote.trim_end_matches(|c: char| c.is_alphanumeric());
    let quote = quote.trim_end_matches(|c: char| !c.is_alphanumeric());
    let whole = Some(Span {
        start,
        end: start + quote.len(),
    });
    let c = classify(quote, &source);
    assert_eq!((c.class, c.source), (QuoteClass::Exact, whole));

    let shouted = quote.to_uppercase().replace(". ", " — ");
    let c = classify(&shouted, &source);
    assert_eq!((c.class, c.source), (QuoteClass::Normalised, whole));

    // Ten words changed out of ~1,700: still close, and found in the same place.
    let mut changed: Vec<&str> = quote.split(' ').collect();
    for i in (100..changed.len()).step_by(150).take(10) {
        changed[i] = "lighthouse";
    }
    let c = classify(&changed.join(" "), &source);
    assert_eq!((c.class, c.source), (QuoteClass::Close, whole));
    let m = words(quote).len() as f64;
    assert_eq!(c.similarity, Some((2.0 * (m - 10.0)) / (2.0 * m)));

    let unrelated = long_text(1_700, 99).replace("the", "lighthouse");
    assert_eq!(classify(&unrelated, &source).class, QuoteClass::NotFound);
}

#[test]
fn quotes_of_a_turn_markers_overlaps_and_unchecked() {
    let turn = "As shown: <Quote>the fog lifted</QUOTE>. Again <quote>the fog\nlifted</quote>, \
        and </quote> stray, then <quote>nobody spoke of the cargo";
    let quotes = quotes_of(turn, Some(STORY), &Protocol::rounds(1));
    let texts: Vec<&str> = quotes.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "the fog lifted",
            "the fog\nlifted",
            "nobody spoke of the cargo"
        ]
    );
    for q in &quotes {
        assert_eq!(&turn[q.at.start..q.at.end], q.text);
        assert!(!q.over_budget);
    }
    // Two quotes of the same passage are both found there.
    assert_eq!(quotes[0].class, QuoteClass::Exact);
    assert_eq!(quotes[1].class, QuoteClass::Normalised);
    assert_eq!(quotes[0].source, quotes[1].source);
    assert_eq!(quotes[2].class, QuoteClass::Exact);

    let unchecked = quotes_of(turn, None, &Protocol::rounds(1));
    assert!(unchecked.iter().all(|q| q
        == &Quote {
            class: QuoteClass::Unchecked,
            source: None,
            similarity: None,
            ..q.clone()
        }));
    let blank = quotes_of(turn, Some("  \n"), &Protocol::rounds(1));
    assert!(blank.iter().all(|q| q.class == QuoteClass::Unchecked));
    assert!(quotes_of("no quotes here", Some(STORY), &Protocol::rounds(1)).is_empty());
}

#[test]
fn quotes_of_marks_the_budget() {
    let turn =
        "<quote>the fog lifted</quote> and <quote>the ship came in</quote> and <quote>x</quote>";
    let protocol = Protocol {
        quote_limit: Some(20),
        ..Protocol::rounds(1)
    };
    let quotes = quotes_of(turn, Some(STORY), &protocol);
    let flags: Vec<bool> = quotes.iter().map(|q| q.over_budget).collect();
    // 14 characters, then 16 more pass 20 after 6 of them; 10 + 1 are over.
    assert_eq!(flags, [false, true, true]);
    let o = overrun(&quotes, protocol.quote_limit).expect("over");
    assert_eq!((o.quote, o.within, o.over), (1, 6, 11));
    assert_eq!(&turn[o.at..quotes[1].at.end], "ip came in");
}

#[test]
fn the_record_gives_its_place_and_diff() {
    let quotes = quotes_of(
        "<quote>He was unhappy, and the port master knew it. At</quote>",
        Some(STORY),
        &Protocol::rounds(1),
    );
    let q = &quotes[0];
    assert_eq!(
        q.source_text(STORY),
        Some("He was unhappy, and the harbour master knew it. At")
    );
    let parts = q.diff(STORY).expect("placed");
    let kinds: Vec<(DiffKind, &str)> = parts.iter().map(|p| (p.kind, p.text.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (DiffKind::Same, "He was unhappy, and the "),
            (DiffKind::Dropped, "harbour"),
            (DiffKind::Inserted, "port "),
            (DiffKind::Same, "master knew it. At"),
        ]
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "the", "The", "ship", "Ship", "fog", "don't", "don’t", "café", "東", "京", "1,000",
        "unhappy", "happy", "Zoë", "a", "é",
    ];
    const SEPARATORS: &[&str] = &[
        " ", "  ", ", ", ". ", "\n", " — ", "–", "-", "… ", "...", " “", "” ", "\"", " 🙂 ", "' ",
        "?!",
    ];

    /// A source made of words and separators, with the word boundaries it was built from.
    fn built() -> impl Strategy<Value = (String, Vec<(usize, usize)>)> {
        prop::collection::vec(
            (
                prop::sample::select(WORDS),
                prop::sample::select(SEPARATORS),
            ),
            1..60,
        )
        .prop_map(|pieces| {
            let mut text = String::new();
            let mut spans = Vec::new();
            for (w, sep) in pieces {
                let start = text.len();
                text.push_str(w);
                spans.push((start, text.len()));
                text.push_str(sep);
            }
            (text, spans)
        })
    }

    fn in_bounds(source: &str, span: Option<Span>) -> bool {
        span.is_none_or(|s| {
            s.start < s.end
                && s.end <= source.len()
                && source.is_char_boundary(s.start)
                && source.is_char_boundary(s.end)
        })
    }

    fn keys(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.key).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_and_spans_stay_in_bounds(quote in "\\PC{0,80}", source in "\\PC{0,200}") {
            let c = classify(&quote, &source);
            prop_assert!(in_bounds(&source, c.source));
            prop_assert_eq!(c.source.is_some(), c.similarity.is_some());
            let _ = diff(&quote, &source);
        }

        #[test]
        fn quotes_of_any_text_are_in_bounds(
            pieces in prop::collection::vec(
                prop_oneof![
                    Just("<quote>".to_string()), Just("</quote>".to_string()),
                    Just("<QUOTE>".to_string()), Just("```claims\n".to_string()),
                    Just("\n```\n".to_string()), "\\PC{0,12}",
                ],
                0..12,
            ),
            (source, _) in built(),
            limit in prop::option::of(0u32..40),
        ) {
            let text: String = pieces.concat();
            let protocol = Protocol { quote_limit: limit, ..Protocol::rounds(1) };
            let quotes = quotes_of(&text, Some(&source), &protocol);
            for q in &quotes {
                prop_assert_eq!(text.get(q.at.start..q.at.end), Some(q.text.as_str()));
                prop_assert!(!q.text.is_empty() && q.text.trim() == q.text);
                prop_assert!(in_bounds(&source, q.source));
            }
            if let Some(o) = overrun(&quotes, limit) {
                let q = &quotes[o.quote];
                prop_assert!(o.at >= q.at.start && o.at < q.at.end && text.is_char_boundary(o.at));
                prop_assert!(quotes.iter().skip(o.quote).all(|q| q.over_budget));
            }
            prop_assert!(quotes.iter().take_while(|q| !q.over_budget).count()
                == overrun(&quotes, limit).map_or(quotes.len(), |o| o.quote));
        }

        #[test]
        fn a_substring_on_word_boundaries_is_exact(
            (source, spans) in built(),
            a in any::<prop::sample::Index>(),
            b in any::<prop::sample::Index>(),
        ) {
            let (i, j) = (a.index(spans.len()), b.index(spans.len()));
            let (first, last) = (i.min(j), i.max(j));
            let quote = &source[spans[first].0..spans[last].1];
            let c = classify(quote, &source);
            prop_assert_eq!(c.class, QuoteClass::Exact);
            prop_assert_eq!(at(&source, c.source), quote);
            // The first place it occurs on boundaries, never later than where it was taken.
            prop_assert!(c.source.is_some_and(|s| s.start <= spans[first].0));
        }

        #[test]
        fn any_substring_is_found_in_bounds(
            (source, _) in built(),
            a in any::<prop::sample::Index>(),
            b in any::<prop::sample::Index>(),
        ) {
            let bounds: Vec<usize> = source.char_indices().map(|(i, _)| i).chain([source.len()]).collect();
            let (i, j) = (a.index(bounds.len()), b.index(bounds.len()));
            let quote = &source[bounds[i.min(j)]..bounds[i.max(j)]];
            let c = classify(quote, &source);
            prop_assert!(in_bounds(&source, c.source));
            // Cut anywhere, at most its first and last words are not the source's: its inner
            // words alone are 2(m - 2) / (2m - 2) similar, close from 6 words on.
            let m = words(quote).len();
            if m >= 6 {
                let floor = (m - 2) as f64 / (m - 1) as f64;
                prop_assert!(c.similarity.is_some_and(|s| s >= floor - 1e-12), "{:?}", c);
            }
        }

        #[test]
        fn normalising_keeps_spans_in_the_source(
            (source, spans) in built(),
            a in any::<prop::sample::Index>(),
            b in any::<prop::sample::Index>(),
            upper in any::<bool>(),
        ) {
            let (i, j) = (a.index(spans.len()), b.index(spans.len()));
            let (first, last) = (i.min(j), i.max(j));
            let taken = &source[spans[first].0..spans[last].1];
            let mut quote = taken.replace(['’', '“', '”'], "'").replace(['—', '–'], "-").replace('…', "...");
            if upper {
                quote = quote.to_uppercase();
            }
            let c = classify(&quote, &source);
            prop_assert!(in_bounds(&source, c.source));
            prop_assert!(matches!(c.class, QuoteClass::Exact | QuoteClass::Normalised), "{:?}", c.class);
            // The place holds the quote's words, in order.
            prop_assert_eq!(keys(at(&source, c.source)), keys(&quote));
        }

        #[test]
        fn one_changed_word_in_ten_or_more_is_found(
            (source, spans) in built(),
            a in any::<prop::sample::Index>(),
            change in any::<prop::sample::Index>(),
        ) {
            prop_assume!(spans.len() >= 10);
            let first = a.index(spans.len() - 9);
            let last = spans.len() - 1;
            let changed = first + change.index(last - first + 1);
            let mut quote = source[spans[first].0..spans[changed].0].to_string();
            quote.push_str("lighthouse");
            quote.push_str(&source[spans[changed].1..spans[last].1]);
            let c = classify(&quote, &source);
            prop_assert!(in_bounds(&source, c.source));
            let m = last - first + 1;
            // At least (m - 1) of m words in common with that window: 2(m-1)/2m.
            let floor = (m - 1) as f64 / m as f64;
            prop_assert!(c.similarity.is_some_and(|s| s >= floor - 1e-12), "{:?}", c);
        }
    }
}
