//! "Did you mean": the nearest of some known words to a misspelt one.

/// The candidate nearest `word`, if it is near enough to be the likely intent: at most one edit
/// per three characters (a swap of two neighbours is one edit), and never more than two.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 2);
    candidates
        .into_iter()
        .map(|c| (edits(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// " (did you mean `x`?)", or nothing.
pub fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(word, candidates).map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"))
}

/// Edits from `a` to `b`: insertions, deletions, substitutions and swaps of neighbours (the
/// optimal string alignment distance), case-insensitively.
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    // Three rows of the table: two back (for swaps), the last, and this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut best = (last[j] + cost).min(last[j + 1] + 1).min(row[j] + 1);
            if i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca) {
                best = best.min(before[j - 1] + 1);
            }
            row[j + 1] = best;
        }
        before = std::mem::replace(&mut last, row);
    }
    last.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_edits() {
        assert_eq!(edits("side_a", "side_a"), 0);
        assert_eq!(edits("sied_a", "side_a"), 1, "a swap is one edit");
        assert_eq!(edits("bleu", "blue"), 1);
        assert_eq!(edits("txet", "text"), 1);
        assert_eq!(edits("Muted", "muted"), 0);
        assert_eq!(edits("", "abc"), 3);
        assert_eq!(edits("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_only_near_words() {
        let keys = ["side_a", "side_b", "text", "muted"];
        assert_eq!(nearest("sied_a", keys), Some("side_a"));
        assert_eq!(nearest("txet", keys), Some("text"));
        assert_eq!(nearest("colour", keys), None);
        assert_eq!(hint("mutd", keys), " (did you mean `muted`?)");
        assert_eq!(hint("zzz", keys), "");
    }
}
