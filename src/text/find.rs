//! Finding a query in text as a search field does: case ignored unless the query has a capital
//! letter ("smart case"), matches in order and not overlapping, as byte ranges of the text.

use std::ops::Range;

/// How a query is looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    text: String,
    /// The query lower-cased, when case is ignored.
    folded: Option<String>,
}

impl Query {
    /// Smart case: a query with a capital letter minds case, one without ignores it.
    pub fn new(text: &str) -> Self {
        let minds_case = text.chars().any(char::is_uppercase);
        Query {
            text: text.to_string(),
            folded: (!minds_case).then(|| text.to_lowercase()),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn minds_case(&self) -> bool {
        self.folded.is_none()
    }

    /// Where the query is in `text`.
    pub fn find_in(&self, text: &str) -> Vec<Range<usize>> {
        if self.text.is_empty() {
            return Vec::new();
        }
        match &self.folded {
            None => text
                .match_indices(self.text.as_str())
                .map(|(i, m)| i..i + m.len())
                .collect(),
            Some(folded) if folded.is_ascii() => ascii_folded(text, folded),
            Some(folded) => unicode_folded(text, folded),
        }
    }
}

/// An ASCII query, case ignored: compared byte by byte (an ASCII byte is never part of a
/// longer character in UTF-8, so every match starts and ends on a character boundary).
fn ascii_folded(text: &str, query: &str) -> Vec<Range<usize>> {
    let (hay, needle) = (text.as_bytes(), query.as_bytes());
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let hit = hay
            .get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle));
        if hit {
            out.push(i..i + needle.len());
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

/// Any query, case ignored: the text is lower-cased with a map back to its own bytes (a
/// character's lower case may be longer or shorter than it).
fn unicode_folded(text: &str, query: &str) -> Vec<Range<usize>> {
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let before = folded.len();
        folded.extend(c.to_lowercase());
        origin.resize(origin.len() + (folded.len() - before), i);
    }
    let char_end = |start: usize| {
        text.get(start..)
            .and_then(|t| t.chars().next())
            .map_or(text.len(), |c| start + c.len_utf8())
    };
    folded
        .match_indices(query)
        .filter_map(|(i, m)| {
            let start = *origin.get(i)?;
            let last = *origin.get(i + m.len() - 1)?;
            Some(start..char_end(last))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn find(text: &str, query: &str) -> Vec<Range<usize>> {
        Query::new(query).find_in(text)
    }

    #[test]
    fn lower_case_queries_ignore_case_and_capitals_mind_it() {
        assert_eq!(
            find("London, london, LONDON", "london"),
            vec![0..6, 8..14, 16..22]
        );
        assert_eq!(find("London, london, LONDON", "London"), vec![0..6]);
        assert!(Query::new("Tide").minds_case());
        assert!(!Query::new("tide").minds_case());
    }

    #[test]
    fn matches_do_not_overlap_and_empty_finds_nothing() {
        assert_eq!(find("aaaa", "aa"), vec![0..2, 2..4]);
        assert!(find("abc", "").is_empty());
        assert!(find("", "a").is_empty());
    }

    #[test]
    fn non_ascii_ranges_are_the_text_s_own_bytes() {
        // "İ" lower-cases to two characters; the match still covers the original letter.
        let text = "Zürich İstanbul ÉCOLE";
        assert_eq!(find(text, "zürich"), vec![0..7]);
        let r = find(text, "école");
        assert_eq!(r.len(), 1);
        assert_eq!(&text[r[0].clone()], "ÉCOLE");
        let r = find(text, "i̇stan");
        assert_eq!(&text[r[0].clone()], "İstan");
    }

    proptest! {
        #[test]
        fn every_range_is_a_match_on_char_boundaries(
            text in "[aAbBéÉİı日 ]{0,40}",
            query in "[abéi日]{1,3}",
        ) {
            let q = Query::new(&query);
            let mut last_end = 0;
            for r in q.find_in(&text) {
                prop_assert!(r.start >= last_end, "in order, not overlapping");
                let found = text.get(r.clone());
                prop_assert!(found.is_some(), "on char boundaries");
                let found = found.unwrap_or_default().to_lowercase();
                prop_assert!(found.contains(&query.to_lowercase()) || query.to_lowercase().contains(&found));
                last_end = r.end;
            }
            // Every lower-case occurrence is found.
            let lower = text.to_lowercase();
            if text.len() == lower.len() {
                prop_assert_eq!(q.find_in(&text).len(), lower.matches(&query.to_lowercase()).count());
            }
        }
    }
}
