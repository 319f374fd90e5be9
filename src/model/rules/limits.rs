//! The limits of a project's texts, lists and numbers, and the checks of one value
//! against them. `docs/project.schema.json` states the same numbers.

use crate::model::is_valid_id;
use crate::model::text::excerpt;

/// Longest id, in bytes (ids are ASCII).
pub const ID_MAX_LEN: usize = 64;
/// Longest name or title that must not be empty (characters).
pub const NAME_MAX_CHARS: usize = 300;
/// Longest short text: author, dates, labels, regions, note titles (characters).
pub const SHORT_MAX_CHARS: usize = 300;
/// Longest free text: descriptions, rationales, citations, notes (characters).
pub const TEXT_MAX_CHARS: usize = 20_000;
/// Longest package fingerprint (characters).
pub const FINGERPRINT_MAX_CHARS: usize = 200;
/// Hex digits of a package key and of a package's seal (128 bits).
pub const SECRET_HEX_DIGITS: usize = 32;
/// Scale bounds, anchor levels, gates and score values lie within ±this.
pub const SCALE_BOUND: i32 = 1000;
/// Largest weight.
pub const WEIGHT_MAX: f64 = 1_000_000.0;
/// A pairwise judgement is a number from 1/9 to 9 (Saaty's scale and every value
/// between its points); 1/9 may be written with three decimals (0.111).
pub const JUDGEMENT_MIN: f64 = 0.111;
pub const JUDGEMENT_MAX: f64 = 9.0;
/// A swing is rated from 0 to 100 (the top-ranked swing is 100).
pub const SWING_RATING_MAX: f64 = 100.0;
/// Ranks of swings run from 1 to this.
pub const SWING_RANK_MAX: u32 = 1000;
/// Plausible start years of a mechanism.
pub const START_YEAR_MIN: i32 = 1800;
pub const START_YEAR_MAX: i32 = 2200;
/// Information credibility grades (1 = confirmed … 6 = cannot be judged).
pub const CREDIBILITY_MIN: u8 = 1;
pub const CREDIBILITY_MAX: u8 = 6;
/// Largest consensus spread and number of analysts behind a consensus cell.
pub const SPREAD_MAX: f64 = 10_000.0;
pub const CONSENSUS_N_MAX: usize = 100_000;
/// Workshop rounds a package may name.
pub const PACKAGE_ROUND_MAX: usize = 100;

/// How many of each kind of item a project may hold.
pub mod counts {
    pub const GROUPS: usize = 100;
    pub const VIEWPOINTS: usize = 100;
    pub const CRITERIA_PER_GROUP: usize = 1000;
    pub const ANCHORS: usize = 101;
    pub const MECHANISMS: usize = 100_000;
    pub const SOURCES: usize = 100_000;
    pub const ANALYSTS: usize = 1000;
    pub const SCORES: usize = 5_000_000;
    pub const SCENARIOS: usize = 1000;
    pub const ASSUMPTIONS: usize = 1000;
    pub const OVERRIDES: usize = 1_000_000;
    pub const ADDED_MECHANISMS: usize = 100_000;
    pub const NOTES: usize = 10_000;
    pub const ACKNOWLEDGEMENTS: usize = 100_000;
    pub const ROUNDS: usize = 100;
    pub const CONSENSUS: usize = 1_000_000;
    /// Merge conflicts recorded by the git merge driver.
    pub const MERGE_CONFLICTS: usize = 1_000_000;
    /// Pairwise judgements kept for one set of items (every pair of a full group).
    pub const PAIRWISE: usize = 500_000;
    /// Swings kept for one set of items (one per criterion of a full group).
    pub const SWINGS: usize = 1000;
    /// Other analysts' reasons carried by one package.
    pub const REASONS: usize = 1_000_000;
    pub const INSTRUMENTS: usize = 20;
    pub const FACTS: usize = 10_000;
    /// Regions, partners, tags of a mechanism.
    pub const SHORT_LIST: usize = 1000;
    /// Source ids of a score or fact; excluded mechanisms of a scenario.
    pub const IDS: usize = 100_000;
}

/// The kinds of text a project holds, each with its length rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// Must contain a visible character; at most `NAME_MAX_CHARS`.
    Name,
    /// May be empty; at most `SHORT_MAX_CHARS`.
    Short,
    /// May be empty; at most `TEXT_MAX_CHARS`.
    Long,
    /// Must not be empty; at most `TEXT_MAX_CHARS`.
    Citation,
    /// May be empty; at most `FINGERPRINT_MAX_CHARS`.
    Fingerprint,
}

impl Text {
    pub const fn max_chars(self) -> usize {
        match self {
            Text::Name => NAME_MAX_CHARS,
            Text::Short => SHORT_MAX_CHARS,
            Text::Long | Text::Citation => TEXT_MAX_CHARS,
            Text::Fingerprint => FINGERPRINT_MAX_CHARS,
        }
    }
}

/// True for the characters that do not make a name visible: the white space and line
/// ends of JSON Schema's regular expressions (ECMAScript `\s`), so that the schema's
/// `"pattern": "\\S"` and this rule agree on every text.
pub fn is_blank_char(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// Checks one text; `what` names it for the message ("the name", "a rationale").
pub fn check_text(what: &str, kind: Text, value: &str) -> Result<(), String> {
    let empty = match kind {
        Text::Name => value.chars().all(is_blank_char),
        Text::Citation => value.is_empty(),
        _ => false,
    };
    if empty {
        return Err(format!("{what} must not be empty"));
    }
    let max = kind.max_chars();
    // Cheap bound first: a text of at most `max` bytes has at most `max` characters.
    if value.len() > max {
        let n = value.chars().count();
        if n > max {
            return Err(format!(
                "{what} is {n} characters long; at most {max} are allowed"
            ));
        }
    }
    Ok(())
}

/// A package key or seal: `SECRET_HEX_DIGITS` lowercase hex digits.
pub fn check_secret(what: &str, value: &str) -> Result<(), String> {
    let ok = value.len() == SECRET_HEX_DIGITS
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} must be {SECRET_HEX_DIGITS} lowercase hex digits"
        ))
    }
}

/// A generated text (a title made from another) cut to fit `kind`: at most its length,
/// ending in "…" when cut. For texts the user types, refuse instead (`check_text`).
pub fn fit(kind: Text, s: &str) -> String {
    excerpt(s, kind.max_chars())
}

/// Checks the number of items of a list; `what` names the items ("mechanisms").
pub fn check_count(what: &str, n: usize, max: usize) -> Result<(), String> {
    if n > max {
        Err(format!("there are {n} {what}; at most {max} are allowed"))
    } else {
        Ok(())
    }
}

/// Checks a weight: finite, from 0 to `WEIGHT_MAX`.
pub fn check_weight(w: f64) -> Result<(), String> {
    if w.is_finite() && (0.0..=WEIGHT_MAX).contains(&w) {
        Ok(())
    } else {
        Err(format!(
            "a weight must be a finite number from 0 to {}, found {w}",
            WEIGHT_MAX as u64
        ))
    }
}

/// Checks a pairwise judgement: a finite number from 1/9 to 9 (`JUDGEMENT_MIN` ..=
/// `JUDGEMENT_MAX`).
pub fn check_judgement(v: f64) -> Result<(), String> {
    if v.is_finite() && (JUDGEMENT_MIN..=JUDGEMENT_MAX).contains(&v) {
        Ok(())
    } else {
        Err(format!(
            "a pairwise judgement must be a number from 1/9 to 9, found {v}"
        ))
    }
}

/// Checks a swing's rank (1 …) and rating (0–100).
pub fn check_swing(rank: u32, rating: f64) -> Result<(), String> {
    if !(1..=SWING_RANK_MAX).contains(&rank) {
        return Err(format!(
            "a swing's rank must be from 1 to {SWING_RANK_MAX}, found {rank}"
        ));
    }
    if rating.is_finite() && (0.0..=SWING_RATING_MAX).contains(&rating) {
        Ok(())
    } else {
        Err(format!(
            "a swing's rating must be a number from 0 to 100, found {rating}"
        ))
    }
}

/// Checks an id's syntax (see `is_valid_id`).
pub fn check_id(id: &str) -> Result<(), String> {
    if is_valid_id(id) {
        Ok(())
    } else {
        let shown = excerpt(id, 70);
        Err(format!(
            "\"{shown}\" is not a valid id: use 1 to {ID_MAX_LEN} lower-case letters, digits and '-', not starting with '-'"
        ))
    }
}
