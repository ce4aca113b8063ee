//! The debate domain: plain Rust, no terminal and no async runtime.

pub mod analysis;
pub mod annotation;
pub mod assign;
pub mod choice;
pub mod claims;
pub mod debate;
pub mod judge;
pub mod judge_reply;
pub mod limits;
pub mod quote;
pub mod random;
pub mod scoring;
pub mod session;
pub mod side;
pub mod targets;
pub mod tree;
pub mod turn;

pub use analysis::{Analysis, NodeStatus};
pub use annotation::{Annotation, DEFAULT_TAGS, Span};
pub use claims::{Claim, ClaimSource, Concession, ROOT_ID, Relation};
pub use debate::{
    DebateSetup, Debater, DebaterKind, Format, PenaltyUnit, Positions, Protocol, Roles, RoundKind,
    SamplingParams,
};
pub use judge::{JudgeEvent, JudgeEventKind, JudgeInfo, JudgeKind, Judgement, Verdict};
pub use quote::{Quote, QuoteClass};
pub use scoring::{JudgementRef, Scores, score};
pub use session::{
    Assignment, Choice, ExtractTurns, Extraction, Finish, ForkOrigin, QuestionRef, SCHEMA_VERSION,
    Session, SessionStatus, Supplied, Totals, TurnClaims, TurnOutcome,
};
pub use side::Side;
pub use tree::{ClaimTree, EditError, Node, NodeJudgement, Origin};
pub use turn::{Attempt, Cut, Followup, FollowupPurpose, Turn, TurnStats, TurnStatus, Usage};
