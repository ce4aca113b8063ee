//! Every warning the claims readers give, in one place (`docs/claims-format.md` lists them).
//!
//! Two kinds: why a line could not be read (the documented grammar's checks), and what was
//! guessed when a line or block was read although it was not in the documented format.

// Why a line was not understood, in the order the documented grammar checks them.
pub(super) const NO_COLON: &str = "no ':' before the claim text";
pub(super) const HEAD_WORDS: &str = "expected '<id> supports|attacks <target>: <text>'";
pub(super) const EMPTY_TEXT: &str = "empty claim text";
pub(super) const BAD_RELATION: &str = "relation must be supports or attacks";
pub(super) const ROOT_NAMED: &str = "a claim cannot be called root";
pub(super) const BAD_ID: &str = "ids are 1-16 letters, digits, '_', '.' or '-'";
pub(super) const BAD_TARGET: &str = "the target must be root or a claim id";

pub(super) const NO_BLOCK: &str = "no claims block: the turn adds nothing to the tree";
pub(super) const UNCLOSED_TO_END: &str =
    "claims block has no closing ``` fence; read it to the end of the turn";
pub(super) const UNCLOSED_TO_PROSE: &str =
    "claims block has no closing ``` fence; read it up to the prose that follows it";

// What a line's reading guessed. Fixed texts, so that one warning can list every line that
// needed the same guess.
pub(super) const LIST_NUMBERS: &str = "removed list numbers (like '1.') before the ids";
pub(super) const OTHER_BULLETS: &str = "removed list bullets (like '+' or '•') before the ids";
pub(super) const QUOTE_MARKS: &str = "removed '>' quote marks before the ids";
pub(super) const EMPHASIS: &str = "ignored Markdown emphasis (** or `) around the ids";
pub(super) const BRACKETS: &str =
    "read the relation and target inside brackets, like '(supports root)'";
pub(super) const QUOTES: &str = "ignored quotes around the ids";
pub(super) const CLAIM_WORD: &str = "ignored the word 'Claim' before the id";
pub(super) const HEAD_SEPARATOR: &str =
    "ignored a ':' or '-' between the id and the relation, like 'A1: supports root'";
pub(super) const ARROW: &str =
    "read 'A1 → B2 (relation)' as 'A1 relation B2': an arrow, the relation after the target";
pub(super) const WIDE_COLON: &str = "read '：' as ':'";
pub(super) const AFTER_BRACKET: &str =
    "read the text after the closing bracket as the claim text (no ':')";
pub(super) const CONCESSION_FORM: &str =
    "read a concession written another way (like 'I concede B3') as 'concede B3'";
pub(super) const CONCESSION_NO_REASON: &str = "read a concession with no ':' as one with no reason";
pub(super) const CONCESSION_PAREN: &str =
    "read the text in brackets after a concession as its reason";
pub(super) const CONCESSION_LIST: &str = "read several ids after 'concede' as one concession each";
pub(super) const CONCESSION_SECTION: &str =
    "read the ids under a 'Concessions' heading as concessions";
pub(super) const CONTINUATION: &str = "joined an indented line to the claim above it";
pub(super) const GLUED_FENCE: &str = "read the ``` at the end of the line as the closing fence";
pub(super) const YAML: &str =
    "read YAML-like fields (id:, relation:, target:, text:) instead of a claims line";
pub(super) const TABLE: &str = "read a table row instead of a claims line";
pub(super) const STRING_ITEM: &str = "read a JSON string as a claims line";
pub(super) const ID_ITEM: &str = "read a plain id in 'concessions' as a concession with no reason";
pub(super) const NULL_TARGET: &str = "read a null target as root";
pub(super) const CLAIM_AS_ID: &str =
    "read the field 'claim' as 'id' (the text is in another field)";

pub(super) fn dash(d: &str) -> String {
    format!("read '{d}' after the target as the ':' before the claim text")
}

pub(super) fn relation(phrase: &str, relation: &str) -> String {
    format!("read '{phrase}' as {relation}")
}

pub(super) fn root(phrase: &str) -> String {
    format!("read '{phrase}' as root")
}

pub(super) fn noun_before_id(noun: &str) -> String {
    format!("read '{noun} <id>' as the id")
}

pub(super) fn relation_concedes(key: &str) -> String {
    format!("read a record whose '{key}' is a concession as a concession")
}

pub(super) fn field(key: &str, canonical: &str) -> String {
    format!("read the field '{key}' as '{canonical}'")
}

// What a block was read as, when it was not a ```claims fence.
pub(super) fn fence(open: &str) -> String {
    format!("read the fence '{open}' as a ```claims fence")
}

pub(super) fn unlabelled_fence(open: &str) -> String {
    format!("read a '{open}' fence of claims as the claims block (no ```claims label)")
}

pub(super) fn heading(heading: &str) -> String {
    format!("read the lines under '{heading}' as the claims block (no ```claims fence)")
}

pub(super) fn heading_fence(heading: &str, open: &str) -> String {
    format!("read the '{open}' fence under '{heading}' as the claims block")
}

pub(super) const JSON_IN_FENCE: &str = "read JSON inside the ```claims fence";
pub(super) const BARE_LINES: &str =
    "read claim lines without a ```claims fence as the claims block";
pub(super) const BARE_FIELDS: &str =
    "read YAML-like fields or a table without a ```claims fence as the claims block";
pub(super) const BARE_JSON: &str = "read JSON without a ```claims fence as the claims block";

pub(super) fn merged(parts: usize) -> String {
    format!("read {parts} blocks that follow each other as one claims block")
}

pub(super) fn others(count: usize) -> String {
    if count == 1 {
        "the turn has 1 more claims-like block besides the one read; it stays in the prose".into()
    } else {
        format!(
            "the turn has {count} more claims-like blocks besides the one read; they stay in the prose"
        )
    }
}
