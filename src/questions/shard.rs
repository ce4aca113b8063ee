//! Splitting a question set across machines (`--shard K/N`), so a cluster's job array (SLURM's
//! `--array`, a Kubernetes indexed Job) can run a large set in parallel.
//!
//! The rule: the question at position `i` of the set (0-based, in file order, counting only the
//! questions that parsed) belongs to shard `i mod N`. Shards `0/N` to `(N-1)/N` never overlap
//! and together hold the whole set, as long as every machine reads the same file.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 0.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl Shard {
    /// The whole set.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Whether the question at `position` belongs to this shard.
    pub fn holds(&self, position: usize) -> bool {
        self.count > 0 && position % self.count == self.index
    }

    /// The items of this shard, in order.
    pub fn of<T>(&self, items: impl IntoIterator<Item = T>) -> Vec<T> {
        items
            .into_iter()
            .enumerate()
            .filter(|(i, _)| self.holds(*i))
            .map(|(_, t)| t)
            .collect()
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let usage = || {
            format!(
                "{s:?} is not a shard: write K/N with 0 <= K < N, e.g. 0/4 (the first of four); \
                 shards count from 0, like $SLURM_ARRAY_TASK_ID with --array=0-3"
            )
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(usage)?;
        let index: usize = k.trim().parse().map_err(|_| usage())?;
        let count: usize = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || index >= count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!("2/5".parse::<Shard>(), Ok(Shard { index: 2, count: 5 }));
        assert_eq!(" 0 / 1 ".parse::<Shard>(), Ok(Shard::ALL));
        for bad in ["5/5", "1/0", "x/2", "3", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(Shard { index: 1, count: 3 }.to_string(), "1/3");
    }

    #[test]
    fn a_worked_split() {
        let items: Vec<usize> = (0..7).collect();
        assert_eq!(Shard { index: 0, count: 3 }.of(items.clone()), [0, 3, 6]);
        assert_eq!(Shard { index: 1, count: 3 }.of(items.clone()), [1, 4]);
        assert_eq!(Shard { index: 2, count: 3 }.of(items), [2, 5]);
    }

    proptest! {
        /// Every question is in exactly one shard, so the shards are disjoint and their union
        /// is the whole set.
        #[test]
        fn shards_partition_the_set(len in 0usize..300, count in 1usize..40) {
            let mut seen = vec![0u32; len];
            for index in 0..count {
                for i in (Shard { index, count }).of(0..len) {
                    seen[i] += 1;
                }
            }
            prop_assert!(seen.iter().all(|&n| n == 1));
        }
    }
}
