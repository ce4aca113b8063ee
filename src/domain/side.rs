//! The two sides of a debate.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A side of the debate. `A` argues for the question's first position (pro, or answer 0),
/// `B` for the second (con, or answer 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::A, Side::B];

    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }

    pub fn letter(self) -> char {
        match self {
            Side::A => 'A',
            Side::B => 'B',
        }
    }

    pub fn from_letter(c: char) -> Option<Side> {
        match c.to_ascii_uppercase() {
            'A' => Some(Side::A),
            'B' => Some(Side::B),
            _ => None,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_side_flips() {
        assert_eq!(Side::A.other(), Side::B);
        assert_eq!(Side::B.other(), Side::A);
    }

    #[test]
    fn serialises_as_letter() {
        assert_eq!(serde_json::to_string(&Side::A).unwrap(), "\"A\"");
        assert_eq!(serde_json::from_str::<Side>("\"B\"").unwrap(), Side::B);
        assert_eq!(Side::from_letter('b'), Some(Side::B));
        assert_eq!(Side::from_letter('x'), None);
    }
}
