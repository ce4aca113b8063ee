//! Close quotes: the window of the source most similar to a quote that is not in it word for
//! word, found without comparing the quote with every window.
//!
//! Similarity of a quote of `m` words to a window of `w` source words is `2·L / (m + w)`, where
//! `L` is the number of words they have in common in order (their longest common subsequence):
//! 1 when equal, 0.8 when 2 of 10 words were changed. A quote is close from [`THRESHOLD`] on.
//!
//! The search finds the most similar window exactly, within a work budget. For a similarity
//! `λ` to reach (the threshold at first):
//! - a window at least `λ` similar shares at least `L₀ = ⌈λm / (2 - λ)⌉` of the quote's words,
//!   so at most `U = m - L₀` quote words go unmatched (more unknown words: nothing to find);
//! - any `U + t` quote words therefore include `t` matched ones. The quote's words vote, at
//!   every place they occur, for the diagonal `source position - quote position`: all of
//!   them, or, past [`VOTE_BUDGET`] votes, the rarest (at least `U + 1` of them);
//! - such a window has at most `E = 2m(1 - λ)/λ` inserted plus dropped words, so its matched
//!   words lie on `E + 1` neighbouring diagonals: only bands of diagonals holding at least `t`
//!   distinct voters can hold it;
//! - each such band (overlapping ones merged) is aligned with the quote along its diagonals
//!   only, maximising `2L - λ(m + w)` ([`best_path`]); the highest-voted first, until
//!   [`CELL_BUDGET`] cells are spent.
//!
//! A window more similar than `λ` becomes the next `λ` (Dinkelbach's method for a fractional
//! objective), until no window beats it. As `λ` rises, `U` and `E` shrink and few bands
//! remain, so later rounds are cheap. A first guess from the highest vote peaks starts `λ`
//! high when the quote is close.

/// The least similarity of a close quote, as a fraction (4/5).
const NUM: usize = 4;
const DEN: usize = 5;

/// The least similarity of a close quote.
pub const THRESHOLD: f64 = NUM as f64 / DEN as f64;

/// The most votes cast for one quote. Every voter beyond the `U + 1` needed makes the bands
/// that can hold a close window rarer, so as many vote as fit, rarest first; only long quotes
/// of frequent words reach it.
const VOTE_BUDGET: usize = 50_000;

/// Votes within this many neighbouring diagonals make a peak: a place where the quote's words
/// line up with few words inserted or dropped. Peaks rank the bands.
const PEAK: isize = 4;

/// The first guess aligns around this many of the highest peaks, this many diagonals either
/// side.
const GUESSES: usize = 4;
const GUESS_SLACK: isize = 16;

/// The most rounds of raising `λ` (two or three are usual).
const MAX_ROUNDS: usize = 8;

/// The most alignment cells spent on one quote (a cell is one quote word against one source
/// word); a round's first band is aligned even past it.
const CELL_BUDGET: usize = 4_000_000;

/// The best close window: source words `first..end`, sharing `same` words with the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: usize,
    pub end: usize,
    pub same: usize,
    quote_len: usize,
}

impl Window {
    /// Words of the source in the window.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.first)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn similarity(&self) -> f64 {
        ratio(self.same, self.quote_len, self.len())
    }

    /// The similarity as the fraction `2·same / (m + w)`.
    fn lambda(&self) -> Lambda {
        Lambda {
            a: 2 * self.same,
            b: self.quote_len + self.len(),
        }
    }
}

/// `2·same / (m + w)`, the similarity.
pub fn ratio(same: usize, m: usize, w: usize) -> f64 {
    let total = m.saturating_add(w);
    if total == 0 {
        return 1.0;
    }
    (2 * same) as f64 / total as f64
}

/// A similarity `a / b` to reach or beat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Lambda {
    a: usize,
    b: usize,
}

impl Lambda {
    const THRESHOLD: Lambda = Lambda { a: NUM, b: DEN };

    /// At most how many quote words a window this similar leaves unmatched, and at most how
    /// many words it inserts plus drops (see the module's notes).
    fn bounds(self, m: usize) -> (usize, usize) {
        let (a, b, m128) = (self.a as u128, self.b as u128, m as u128);
        let least_same = (a * m128).div_ceil((2 * b).saturating_sub(a).max(1));
        let may_miss = m - usize::try_from(least_same).unwrap_or(usize::MAX).min(m);
        let most_edits = (2 * m128 * b.saturating_sub(a)) / a.max(1);
        (
            may_miss,
            usize::try_from(most_edits).unwrap_or(usize::MAX).min(m),
        )
    }
}

/// The window of `source` (word ids; `occurrences` per id) most similar to `quote` (ids,
/// [`super::index::UNKNOWN`] for words the source lacks), if it is close.
pub fn best_window(
    source: &[usize],
    occurrences: &[Vec<usize>],
    quote: &[usize],
) -> Option<Window> {
    let m = quote.len();
    if m == 0 {
        return None;
    }
    let occurrence_count = |id: usize| occurrences.get(id).map_or(0, Vec::len);
    let unknown = quote
        .iter()
        .filter(|&&id| occurrence_count(id) == 0)
        .count();
    let (may_miss, _) = Lambda::THRESHOLD.bounds(m);
    if unknown > may_miss {
        return None;
    }
    let mut known: Vec<(usize, usize)> = quote
        .iter()
        .enumerate()
        .filter(|&(_, &id)| occurrence_count(id) > 0)
        .map(|(k, &id)| (k, id))
        .collect();
    known.sort_by_key(|&(k, id)| (occurrence_count(id), k));
    let needed = may_miss - unknown + 1;
    let mut cast = 0usize;
    let voters: Vec<(usize, usize)> = known
        .iter()
        .enumerate()
        .take_while(|&(rank, &(_, id))| {
            cast = cast.saturating_add(occurrence_count(id));
            rank < needed || cast <= VOTE_BUDGET
        })
        .map(|(_, &voter)| voter)
        .collect();
    if voters.len() < needed {
        return None;
    }
    let votes = votes(&voters, occurrences, m, source.len());
    let mut search = Search {
        source,
        quote,
        peaks: peaks(&votes),
        votes,
        voters: voters.len(),
        unknown,
        spent: 0,
    };
    let mut best = search.guess();
    for _ in 0..MAX_ROUNDS {
        match search.round(best) {
            Some(better) => best = Some(better),
            None => break,
        }
    }
    best
}

/// What every round of the search shares.
struct Search<'a> {
    source: &'a [usize],
    quote: &'a [usize],
    /// `(diagonal, quote position)` of every vote, sorted.
    votes: Vec<(isize, usize)>,
    /// `(diagonal, votes within PEAK diagonals from it)`, by diagonal.
    peaks: Vec<(isize, usize)>,
    voters: usize,
    unknown: usize,
    spent: usize,
}

/// Source words `from..to`, aligned along diagonals `low..=high` (source position minus quote
/// position).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stretch {
    from: usize,
    to: usize,
    low: isize,
    high: isize,
}

impl Search<'_> {
    /// A close window near the highest peaks, if there is one: a cheap first `λ`.
    fn guess(&mut self) -> Option<Window> {
        // The highest peaks (earliest first on a tie), each far enough from the others not to
        // align the same words twice: a linear pass, as there are many peaks.
        let apart = (2 * GUESS_SLACK + PEAK).unsigned_abs();
        let mut top: Vec<(isize, usize)> = Vec::with_capacity(GUESSES + 1);
        for &(d, votes) in &self.peaks {
            if let Some(near) = top.iter().position(|&(e, _)| e.abs_diff(d) < apart) {
                if top.get(near).is_some_and(|&(_, v)| v >= votes) {
                    continue;
                }
                top.remove(near);
            }
            let at = top.partition_point(|&(_, v)| v >= votes);
            if at < GUESSES {
                top.insert(at, (d, votes));
                top.truncate(GUESSES);
            }
        }
        // Peaks far below the highest are noise, not worth a guess.
        let highest = top.first().map_or(0, |&(_, v)| v);
        let mut best: Option<(i64, Window)> = None;
        for (d, _) in top.into_iter().filter(|&(_, v)| 2 * v >= highest) {
            let stretch = self.stretch(d - GUESS_SLACK, d + PEAK + GUESS_SLACK);
            if let Some(found) = self.align(stretch, Lambda::THRESHOLD)
                && found.0 >= 0
                && best.is_none_or(|b| wins(found, b))
            {
                best = Some(found);
            }
        }
        best.map(|(_, w)| w)
    }

    /// The window most similar beyond the best so far (or reaching the threshold, with none).
    fn round(&mut self, so_far: Option<Window>) -> Option<Window> {
        let m = self.quote.len();
        let lambda = so_far.map_or(Lambda::THRESHOLD, |w| w.lambda());
        let (may_miss, most_edits) = lambda.bounds(m);
        if self.unknown > may_miss {
            return None;
        }
        // At most `may_miss - unknown` voters go unmatched in such a window.
        let least_votes = self.voters.saturating_sub(may_miss - self.unknown).max(1);
        let bands = bands(&self.votes, m, most_edits, least_votes);
        let edits = signed(most_edits);
        let mut best: Option<(i64, Window)> = None;
        let mut aligned_any = false;
        for region in regions(&bands, &self.peaks, edits) {
            let whole = self.stretch(region.lows.0 - edits, region.lows.1 + edits);
            let stretch = if self.spent.saturating_add(cells(whole, m)) <= CELL_BUDGET {
                whole
            } else if !aligned_any {
                // Too large (a very repetitive source): the band of its highest peak only.
                self.stretch(region.best - edits, region.best + edits)
            } else {
                continue;
            };
            aligned_any = true;
            if let Some(found) = self.align(stretch, lambda)
                && best.is_none_or(|b| wins(found, b))
            {
                best = Some(found);
            }
        }
        let (beats, window) = best?;
        let taken = match so_far {
            None => beats >= 0,
            Some(w) => beats > 0 || (beats == 0 && window.first < w.first),
        };
        taken.then_some(window)
    }

    /// The source words diagonals `low..=high` can reach, clamped to the source.
    fn stretch(&self, low: isize, high: isize) -> Stretch {
        let n = self.source.len();
        let clamp = |x: isize| usize::try_from(x.max(0)).unwrap_or(0).min(n);
        Stretch {
            from: clamp(low),
            to: clamp(high.saturating_add(signed(self.quote.len()))),
            low,
            high,
        }
    }

    /// The best window in `stretch` against `lambda`, with how far it beats it (`b` times
    /// `2L - λ(m + w)`; negative when it falls short).
    fn align(&mut self, stretch: Stretch, lambda: Lambda) -> Option<(i64, Window)> {
        let m = self.quote.len();
        self.spent = self.spent.saturating_add(cells(stretch, m));
        let words = self.source.get(stretch.from..stretch.to)?;
        let offset = signed(stretch.from);
        let band = (stretch.low - offset - 1, stretch.high - offset + 1);
        let (a, b) = (int(lambda.a), int(lambda.b));
        let path = best_path(self.quote, words, band, a, b)?;
        let beats = path.score.saturating_sub(a.saturating_mul(int(m)));
        let window = Window {
            first: stretch.from + path.start,
            end: stretch.from + path.end,
            same: path.same,
            quote_len: m,
        };
        Some((beats, window))
    }
}

/// Whether `x` beats `y`: by more, or as much and earlier.
fn wins(x: (i64, Window), y: (i64, Window)) -> bool {
    x.0 > y.0 || (x.0 == y.0 && x.1.first < y.1.first)
}

/// Cells of aligning a quote of `m` words along a stretch.
fn cells(stretch: Stretch, m: usize) -> usize {
    let width = usize::try_from(stretch.high.saturating_sub(stretch.low)).unwrap_or(0) + 1;
    (stretch.to - stretch.from).saturating_mul(width.min(m))
}

fn int(x: usize) -> i64 {
    i64::try_from(x).unwrap_or(i64::MAX)
}

fn signed(x: usize) -> isize {
    isize::try_from(x).unwrap_or(isize::MAX)
}

/// Every voter's vote at every place its word occurs: `(diagonal, quote position)`, by
/// diagonal. Diagonals run from `-m` to the source's length, so a counting sort orders them in
/// linear time.
fn votes(
    voters: &[(usize, usize)],
    occurrences: &[Vec<usize>],
    m: usize,
    n: usize,
) -> Vec<(isize, usize)> {
    let occurring = |id: usize| occurrences.get(id).map_or(&[][..], Vec::as_slice);
    // Diagonal + m, never negative: the bucket of a vote.
    let mut starts = vec![0usize; n + m + 1];
    for &(k, id) in voters {
        for &at in occurring(id) {
            if let Some(c) = starts.get_mut(at + m - k.min(m)) {
                *c += 1;
            }
        }
    }
    let mut total = 0;
    for c in &mut starts {
        let here = *c;
        *c = total;
        total += here;
    }
    let mut votes = vec![(0isize, 0usize); total];
    for &(k, id) in voters {
        for &at in occurring(id) {
            let bucket = at + m - k.min(m);
            if let Some(next) = starts.get_mut(bucket)
                && let Some(slot) = votes.get_mut(*next)
            {
                *slot = (signed(bucket).saturating_sub(signed(m)), k);
                *next += 1;
            }
        }
    }
    votes
}

/// The low diagonal of each band `[low, low + most_edits]` holding at least `least_votes`
/// distinct voters: a sliding window over the sorted votes.
fn bands(votes: &[(isize, usize)], m: usize, most_edits: usize, least_votes: usize) -> Vec<isize> {
    let width = signed(most_edits);
    let mut per_voter = vec![0u32; m];
    let mut distinct = 0usize;
    let mut out = Vec::new();
    let mut right = 0usize;
    for (left, &(low, k)) in votes.iter().enumerate() {
        let starts_band = left == 0 || votes.get(left - 1).is_some_and(|&(d, _)| d != low);
        if starts_band {
            while let Some(&(d, kr)) = votes.get(right) {
                if d > low.saturating_add(width) {
                    break;
                }
                if let Some(n) = per_voter.get_mut(kr) {
                    if *n == 0 {
                        distinct += 1;
                    }
                    *n += 1;
                }
                right += 1;
            }
            if distinct >= least_votes {
                out.push(low);
            }
        }
        // This vote leaves the band before the next one starts.
        if let Some(n) = per_voter.get_mut(k) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                distinct = distinct.saturating_sub(1);
            }
        }
    }
    out
}

/// For each diagonal voted for, the votes within `[d, d + PEAK)`.
fn peaks(votes: &[(isize, usize)]) -> Vec<(isize, usize)> {
    let mut out: Vec<(isize, usize)> = Vec::new();
    let mut right = 0usize;
    for (left, &(low, _)) in votes.iter().enumerate() {
        if out.last().is_some_and(|&(d, _)| d == low) {
            continue;
        }
        right = right.max(left);
        while votes
            .get(right)
            .is_some_and(|&(d, _)| d < low.saturating_add(PEAK))
        {
            right += 1;
        }
        out.push((low, right - left));
    }
    out
}

/// Bands next to each other (their diagonals overlapping), merged.
#[derive(Debug, Clone, Copy)]
struct Region {
    /// The low diagonals of its first and last band.
    lows: (isize, isize),
    /// The highest peak in it and that peak's diagonal.
    peak: usize,
    best: isize,
}

/// The bands merged into regions, highest peak first. A band at `low` can hold matched words
/// on diagonals `low - E ..= low + E`.
fn regions(bands: &[isize], peaks: &[(isize, usize)], edits: isize) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::new();
    for &low in bands {
        match out.last_mut() {
            Some(last) if low <= last.lows.1.saturating_add(edits.saturating_mul(2)) => {
                last.lows.1 = low;
            }
            _ => out.push(Region {
                lows: (low, low),
                peak: 0,
                best: low,
            }),
        }
    }
    for region in &mut out {
        let first = peaks.partition_point(|&(d, _)| d < region.lows.0);
        let last = region.lows.1.saturating_add(edits);
        let inside = peaks
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(d, _)| d <= last);
        for &(d, votes) in inside {
            if votes > region.peak {
                region.peak = votes;
                region.best = d;
            }
        }
    }
    out.sort_by(|x, y| y.peak.cmp(&x.peak).then(x.lows.0.cmp(&y.lows.0)));
    out
}

/// A window of `words` (`start..end`) sharing `same` words with the quote, and its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Path {
    score: i64,
    start: usize,
    end: usize,
    same: usize,
}

const EMPTY: Path = Path {
    score: 0,
    start: 0,
    end: 0,
    same: 0,
};

/// The window of `words` most similar beyond `λ = a / b`, along diagonals `band.0 <= j - i <=
/// band.1` (word `j` against quote word `i`): paths whose pairs span diagonals `d..=e` need
/// `d - 1..=e + 1` to step between them. Maximising `2L - λ(m + w)` is maximising
/// `b·(2L - λ(m + w)) + a·m = (2b - a)·L - a·(w - L)`: each word in common scores `2b - a`,
/// each word of the window not in common `-a`, and a quote word left out nothing. The caller
/// compares the score with `a·m`: above it, the window is more similar than `λ`. One column
/// of cells is kept: O(m) memory, O(n·band) time.
fn best_path(
    quote: &[usize],
    words: &[usize],
    band: (isize, isize),
    a: i64,
    b: i64,
) -> Option<Path> {
    let m = quote.len();
    let gain = b.saturating_mul(2).saturating_sub(a);
    // column[i]: the best path pairing quote[..i] with the words so far, ending in this column.
    let mut column = vec![EMPTY; m + 1];
    // The rows the previous column computed; the others hold nothing for this one.
    let mut previous: Option<(usize, usize)> = None;
    let mut best: Option<Path> = None;
    for (j, &word) in words.iter().enumerate() {
        // Cell (i, j + 1) pairs quote[i - 1] with words[j]: diagonal j + 1 - i.
        let here = signed(j + 1);
        let lo = usize::try_from(here.saturating_sub(band.1).max(1)).unwrap_or(1);
        let hi = usize::try_from(here.saturating_sub(band.0).min(signed(m))).unwrap_or(0);
        if lo > hi {
            previous = None;
            continue;
        }
        // Rows this column reads that the previous one did not compute hold nothing.
        let stale = match previous {
            Some((p, q)) => [(lo - 1, p), (q + 1, hi + 1)],
            None => [(lo - 1, hi + 1), (0, 0)],
        };
        for (from, to) in stale {
            if let Some(rows) = column.get_mut(from..to.max(from)) {
                rows.fill(EMPTY);
            }
        }
        let mut diagonal = column.get(lo - 1).copied().unwrap_or(EMPTY);
        let mut up = EMPTY;
        let (Some(cells), Some(pairs)) = (column.get_mut(lo..=hi), quote.get(lo - 1..hi)) else {
            previous = None;
            continue;
        };
        for (cell, &q) in cells.iter_mut().zip(pairs) {
            let left = *cell;
            let matched = (q == word).then(|| Path {
                score: diagonal.score.saturating_add(gain),
                start: if diagonal.same == 0 {
                    j
                } else {
                    diagonal.start
                },
                end: j + 1,
                same: diagonal.same + 1,
            });
            let dropped = left.score.saturating_sub(a);
            let mut next = matched.unwrap_or(EMPTY);
            if up.score > next.score {
                next = up;
            }
            if dropped > next.score {
                next = Path {
                    score: dropped,
                    ..left
                };
            }
            *cell = next;
            // Leaving out the quote's remaining words costs nothing, so a path may end anywhere;
            // its score is highest just after a word in common.
            if let Some(m) = matched
                && best.is_none_or(|b| m.score > b.score)
            {
                best = Some(m);
            }
            diagonal = left;
            up = next;
        }
        previous = Some((lo, hi));
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids and occurrences of a source given as words.
    fn indexed(source: &str) -> (Vec<usize>, Vec<Vec<usize>>, Vec<String>) {
        let mut vocab: Vec<String> = Vec::new();
        let mut ids = Vec::new();
        let mut occ: Vec<Vec<usize>> = Vec::new();
        for (at, w) in source.split_whitespace().enumerate() {
            let id = match vocab.iter().position(|v| v == w) {
                Some(id) => id,
                None => {
                    vocab.push(w.to_string());
                    occ.push(Vec::new());
                    vocab.len() - 1
                }
            };
            occ[id].push(at);
            ids.push(id);
        }
        (ids, occ, vocab)
    }

    fn quote_ids(quote: &str, vocab: &[String]) -> Vec<usize> {
        quote
            .split_whitespace()
            .map(|w| vocab.iter().position(|v| v == w).unwrap_or(usize::MAX))
            .collect()
    }

    fn find(source: &str, quote: &str) -> Option<(usize, usize, usize)> {
        let (ids, occ, vocab) = indexed(source);
        best_window(&ids, &occ, &quote_ids(quote, &vocab)).map(|w| (w.first, w.end, w.same))
    }

    #[test]
    fn the_threshold_by_hand() {
        let source = "a b c d e f g h i j k l m n o p";
        // 10 words, 2 changed: L = 8, 2·8 / (10 + 10) = 0.8, close (the threshold is in).
        assert_eq!(find(source, "a b x d e f g y i j"), Some((0, 10, 8)));
        // 3 words, one of them not in the source: the window "a b", 2·2 / (3 + 2) = 0.8.
        assert_eq!(find(source, "a b x"), Some((0, 2, 2)));
        assert!((ratio(8, 10, 10) - 0.8).abs() < 1e-12);
    }

    #[test]
    fn the_most_similar_window_not_the_fewest_edits() {
        // Quote q0..q9. At the end, q4..q9 in a row: 6 of 10, 12/16 = 0.75, 4 edits. From q0,
        // all 10 with 5 words between: 20/25 = 0.8, 5 edits. Fewest edits would miss it.
        let source = "z z q0 x q1 x q2 x q3 x x q4 q5 q6 q7 q8 q9 z z";
        assert_eq!(
            find(source, "q0 q1 q2 q3 q4 q5 q6 q7 q8 q9"),
            Some((2, 17, 10))
        );
    }

    #[test]
    fn a_changed_word_is_found_with_its_window() {
        let source = "w0 w1 w2 the cat sat on the mat by the door w3 w4";
        // One word of ten changed: L = 9, similarity 18/20.
        assert_eq!(
            find(source, "the cat sat on the rug by the door w3"),
            Some((3, 13, 9))
        );
    }

    #[test]
    fn inserted_and_dropped_words() {
        let source = "a b c d e f g h i j k l m n o p";
        // "x" inserted: window d..m (10 words), L = 10, 20/21.
        assert_eq!(find(source, "d e f g h x i j k l m"), Some((3, 13, 10)));
        // "h" dropped: window d..m, L = 9, 18/19.
        assert_eq!(find(source, "d e f g i j k l m"), Some((3, 13, 9)));
    }

    #[test]
    fn too_different_is_not_close() {
        let source = "a b c d e f g h i j k l m n o p";
        // 3 of 10 changed: 14/20 < 0.8.
        assert_eq!(find(source, "a b c x y z g h i j"), None);
        // Unknown words beyond what a close quote may miss.
        assert_eq!(find(source, "a x y z"), None);
        assert_eq!(find(source, ""), None);
    }

    #[test]
    fn the_best_of_several_places_wins() {
        // The quote's words appear twice: once with two changes, once with one.
        let source = "p q r s t u v w x y . . . . . . . . . . . . p q r s t u v w Z y";
        let found = find(source, "p q r s t u v w Q y");
        // Both places differ by one word here; the first one is taken on a tie.
        assert_eq!(found, Some((0, 10, 9)));
        let found = find(source, "p q r s t u v w Z X");
        // One change at the second place (Z kept, y dropped): the window ends at Z, 18/19.
        assert_eq!(found, Some((22, 31, 9)));
    }

    #[test]
    fn alignment_by_hand() {
        // Quote a b c against x a c y at λ = 4/5: "a c" scores 2·(2·5 - 4) = 12, which is
        // a·m = 12: exactly at the threshold. Taking in x or y only costs.
        let p = best_path(&[1, 2, 3], &[9, 1, 3, 8], (-3, 4), 4, 5);
        assert_eq!(
            p,
            Some(Path {
                score: 12,
                start: 1,
                end: 3,
                same: 2
            })
        );
    }

    #[test]
    fn the_band_limits_the_pairs() {
        // Quote a b c against x a c y: a pairs with word 1 on diagonal 1 - 0 = 1, c with word
        // 2 on diagonal 2 - 2 = 0. Each band alone holds one pair, scoring 2·5 - 4 = 6.
        let p = best_path(&[1, 2, 3], &[9, 1, 3, 8], (0, 0), 4, 5).expect("c");
        assert_eq!((p.score, p.start, p.end, p.same), (6, 2, 3, 1));
        let p = best_path(&[1, 2, 3], &[9, 1, 3, 8], (1, 1), 4, 5).expect("a");
        assert_eq!((p.score, p.start, p.end, p.same), (6, 1, 2, 1));
        assert_eq!(best_path(&[1, 2, 3], &[9, 1, 3, 8], (2, 3), 4, 5), None);
    }

    #[test]
    fn frequent_words_still_find_their_place() {
        // Every word is common; the voters are the rarest few.
        let filler = "the of and the of and ".repeat(200);
        let source = format!("{filler} the of the and of the the and {filler}");
        let (ids, occ, vocab) = indexed(&source);
        let quote = quote_ids("the of the and of of the and", &vocab);
        let w = best_window(&ids, &occ, &quote).expect("close");
        assert!(w.same >= 7, "{w:?}");
        assert!(w.similarity() >= THRESHOLD);
    }
}
