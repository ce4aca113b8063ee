//! A word diff of a quote against the place in the source it was matched to, so the judge sees
//! which words a close quote inserted and which it dropped.
//!
//! Words are compared by their keys (see [`super::words`]), so case and punctuation never show
//! as a difference. The diff is a shortest edit script (Myers, O((m + n)·D) for D inserted plus
//! dropped words), which keeps exactly the words the classifier counts as in common.

use super::words::{Word, words};

/// The most inserted plus dropped words the diff works out word by word; past it, the words
/// between the common start and end show as one dropped and one inserted run. A close quote (at most a
/// fifth of its and its window's words differ) of up to ~1,200 words stays under it.
pub const MOST_EDITS: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiffKind {
    /// In both the quote and the source.
    Same,
    /// In the quote, not in the source.
    Inserted,
    /// In the source, not in the quote.
    Dropped,
}

/// A run of words of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffPart {
    pub kind: DiffKind,
    /// `Same` and `Inserted` parts are the quote's text: in order, they make up the whole quote,
    /// each running to the start of the next part's first word. `Dropped` parts are the
    /// source's text, from the first dropped word to the end of the last.
    pub text: String,
}

/// The word diff of `quote` against `source_span`. Where words changed, the dropped words come
/// before the inserted ones.
pub fn diff(quote: &str, source_span: &str) -> Vec<DiffPart> {
    let ours = words(quote);
    let theirs = words(source_span);
    let steps = script(&ours, &theirs);
    Parts::new(quote, source_span, &ours, &theirs).build(&steps)
}

/// One step of the edit script: a word of the quote (by index) kept or inserted, or a word of
/// the source dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Same(usize),
    Inserted(usize),
    Dropped(usize),
}

/// The shortest edit script from the source's words to the quote's.
fn script(ours: &[Word], theirs: &[Word]) -> Vec<Step> {
    let head = ours
        .iter()
        .zip(theirs)
        .take_while(|(a, b)| a.key == b.key)
        .count();
    let tail = ours
        .iter()
        .skip(head)
        .rev()
        .zip(theirs.iter().skip(head).rev())
        .take_while(|(a, b)| a.key == b.key)
        .count();
    let (ours_mid, theirs_mid) = (
        ours.get(head..ours.len() - tail).unwrap_or_default(),
        theirs.get(head..theirs.len() - tail).unwrap_or_default(),
    );
    let mut steps: Vec<Step> = (0..head).map(Step::Same).collect();
    match myers(theirs_mid, ours_mid) {
        Some(middle) => steps.extend(middle.into_iter().map(|step| match step {
            Step::Same(i) => Step::Same(head + i),
            Step::Inserted(i) => Step::Inserted(head + i),
            Step::Dropped(j) => Step::Dropped(head + j),
        })),
        None => {
            steps.extend((0..theirs_mid.len()).map(|j| Step::Dropped(head + j)));
            steps.extend((0..ours_mid.len()).map(|i| Step::Inserted(head + i)));
        }
    }
    let ours_tail = ours.len() - tail;
    steps.extend((ours_tail..ours.len()).map(Step::Same));
    steps
}

/// Myers' greedy shortest edit script from `old` to `new`, or `None` past [`MOST_EDITS`].
/// `v` holds, for each diagonal `k = x - y`, the furthest `x` (words of `old` consumed) reached.
fn myers(old: &[Word], new: &[Word]) -> Option<Vec<Step>> {
    let (n, m) = (old.len(), new.len());
    let limit = MOST_EDITS.min(n + m);
    let offset = limit + 1;
    let mut v = vec![0usize; 2 * offset + 1];
    let at = |k: isize| usize::try_from(k.saturating_add_unsigned(offset)).ok();
    // Before each step d, the part of `v` it reads (diagonals -d-1..=d+1), for walking back.
    let mut trace: Vec<Vec<usize>> = Vec::new();
    let same = |x: usize, y: usize| match (old.get(x), new.get(y)) {
        (Some(a), Some(b)) => a.key == b.key,
        _ => false,
    };
    for d in 0..=limit {
        trace.push(
            v.get(offset - d - 1..=offset + d + 1)
                .unwrap_or_default()
                .to_vec(),
        );
        let di = signed(d);
        for k in (-di..=di).step_by(2) {
            let down = value(&v, at(k + 1));
            let right = value(&v, at(k - 1));
            let mut x = if k == -di || (k != di && right < down) {
                down
            } else {
                right + 1
            };
            let mut y = usize::try_from(signed(x) - k).unwrap_or(0);
            while x < n && y < m && same(x, y) {
                x += 1;
                y += 1;
            }
            if let Some(cell) = at(k).and_then(|i| v.get_mut(i)) {
                *cell = x;
            }
            if x >= n && y >= m {
                return Some(walk_back(&trace, n, m));
            }
        }
    }
    None
}

fn signed(x: usize) -> isize {
    isize::try_from(x).unwrap_or(isize::MAX)
}

fn value(v: &[usize], at: Option<usize>) -> usize {
    at.and_then(|i| v.get(i)).copied().unwrap_or(0)
}

/// The edit script of the path that reached `(n, m)` at the last step of `trace`.
fn walk_back(trace: &[Vec<usize>], n: usize, m: usize) -> Vec<Step> {
    let (mut x, mut y) = (n, m);
    let mut steps = Vec::new();
    for (d, row) in trace.iter().enumerate().rev() {
        let di = signed(d);
        // `row` starts at diagonal -d-1.
        let at = |k: isize| usize::try_from(k + di + 1).ok();
        let k = signed(x) - signed(y);
        let prev_k = if k == -di || (k != di && value(row, at(k - 1)) < value(row, at(k + 1))) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = value(row, at(prev_k));
        let prev_y = usize::try_from(signed(prev_x) - prev_k).unwrap_or(0);
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            steps.push(Step::Same(y));
        }
        if d > 0 {
            if x == prev_x {
                steps.push(Step::Inserted(prev_y));
            } else {
                steps.push(Step::Dropped(prev_x));
            }
        }
        x = prev_x;
        y = prev_y;
    }
    steps.reverse();
    steps
}

/// Turns the steps into runs of text.
struct Parts<'a> {
    quote: &'a str,
    source: &'a str,
    ours: &'a [Word],
    theirs: &'a [Word],
    out: Vec<DiffPart>,
}

impl<'a> Parts<'a> {
    fn new(quote: &'a str, source: &'a str, ours: &'a [Word], theirs: &'a [Word]) -> Self {
        Parts {
            quote,
            source,
            ours,
            theirs,
            out: Vec::new(),
        }
    }

    fn build(mut self, steps: &[Step]) -> Vec<DiffPart> {
        if self.ours.is_empty() {
            // No words to compare: the quote is the same as a span without words too.
            self.dropped_run(0, self.theirs.len());
            let kind = if self.theirs.is_empty() {
                DiffKind::Same
            } else {
                DiffKind::Inserted
            };
            self.push(kind, self.quote.to_string());
            return self.out;
        }
        // Steps between two kept words form one change: its dropped words, then its inserted.
        let mut i = 0;
        while let Some(&step) = steps.get(i) {
            if let Step::Same(q) = step {
                self.quote_word(DiffKind::Same, q);
                i += 1;
                continue;
            }
            let change: Vec<Step> = steps
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|s| !matches!(s, Step::Same(_)))
                .copied()
                .collect();
            i += change.len();
            let dropped: Vec<usize> = change
                .iter()
                .filter_map(|s| match s {
                    Step::Dropped(j) => Some(*j),
                    _ => None,
                })
                .collect();
            if let (Some(&first), Some(&last)) = (dropped.first(), dropped.last()) {
                self.dropped_run(first, last + 1);
            }
            for s in &change {
                if let Step::Inserted(q) = s {
                    self.quote_word(DiffKind::Inserted, *q);
                }
            }
        }
        self.out
    }

    /// Quote word `i` with the text up to the next word (from the quote's start for the first).
    fn quote_word(&mut self, kind: DiffKind, i: usize) {
        let start = if i == 0 {
            0
        } else {
            self.ours.get(i).map_or(self.quote.len(), |w| w.start)
        };
        let end = self.ours.get(i + 1).map_or(self.quote.len(), |w| w.start);
        if let Some(text) = self.quote.get(start..end) {
            self.push(kind, text.to_string());
        }
    }

    /// Source words `first..end`, from the first's start to the last's end.
    fn dropped_run(&mut self, first: usize, end: usize) {
        let (Some(a), Some(b)) = (
            self.theirs.get(first),
            end.checked_sub(1).and_then(|e| self.theirs.get(e)),
        ) else {
            return;
        };
        if let Some(text) = self.source.get(a.start..b.end) {
            self.push(DiffKind::Dropped, text.to_string());
        }
    }

    fn push(&mut self, kind: DiffKind, text: String) {
        if text.is_empty() {
            return;
        }
        match self.out.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(&text),
            _ => self.out.push(DiffPart { kind, text }),
        }
    }
}

/// How many words the quote and the span have in common (the diff's kept words).
pub fn same_words(parts: &[DiffPart]) -> usize {
    parts
        .iter()
        .filter(|p| p.kind == DiffKind::Same)
        .map(|p| words(&p.text).len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use DiffKind::*;

    fn parts(quote: &str, source: &str) -> Vec<(DiffKind, String)> {
        diff(quote, source)
            .into_iter()
            .map(|p| (p.kind, p.text))
            .collect()
    }

    fn p(kind: DiffKind, text: &str) -> (DiffKind, String) {
        (kind, text.to_string())
    }

    #[test]
    fn equal_up_to_case_and_punctuation_is_all_same() {
        assert_eq!(
            parts("The door, shut.", "the door shut"),
            [p(Same, "The door, shut.")]
        );
    }

    #[test]
    fn a_changed_word_is_dropped_then_inserted() {
        assert_eq!(
            parts(
                "the cat sat on the rug today",
                "the cat sat on the mat today"
            ),
            [
                p(Same, "the cat sat on the "),
                p(Dropped, "mat"),
                p(Inserted, "rug "),
                p(Same, "today"),
            ]
        );
    }

    #[test]
    fn inserted_and_dropped_words() {
        assert_eq!(
            parts("he very quickly left", "he quickly left the room"),
            [
                p(Same, "he "),
                p(Inserted, "very "),
                p(Same, "quickly left"),
                p(Dropped, "the room"),
            ]
        );
    }

    #[test]
    fn quote_parts_make_up_the_quote() {
        let quote = "“Well,” said he — I think — “not today…”";
        let source = "Well, said she, not today.";
        let got = diff(quote, source);
        let rebuilt: String = got
            .iter()
            .filter(|p| p.kind != Dropped)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(rebuilt, quote);
        assert_eq!(same_words(&got), 4);
    }

    #[test]
    fn quotes_without_words() {
        assert_eq!(parts("...", "…"), [p(Same, "...")]);
        assert_eq!(parts("...", "a b"), [p(Dropped, "a b"), p(Inserted, "...")]);
        assert_eq!(parts("", ""), []);
        assert_eq!(parts("a b", ""), [p(Inserted, "a b")]);
    }

    #[test]
    fn past_the_edit_bound_the_middle_is_one_change() {
        let ours: Vec<String> = (0..MOST_EDITS).map(|i| format!("q{i}")).collect();
        let theirs: Vec<String> = (0..MOST_EDITS).map(|i| format!("s{i}")).collect();
        let quote = format!("start {} end", ours.join(" "));
        let source = format!("start {} end", theirs.join(" "));
        let got = diff(&quote, &source);
        let kinds: Vec<DiffKind> = got.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [Same, Dropped, Inserted, Same]);
        assert_eq!(got[1].text, theirs.join(" "));
    }
}
