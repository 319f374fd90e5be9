//! What a sheet looks like: its columns, the words for absent values, how numbers and
//! values are written, and the guard against spreadsheet formulas.

use crate::model::*;

/// The columns of a long sheet, in export order.
pub const LONG_COLUMNS: [&str; 10] = [
    "analyst_id",
    "mechanism_id",
    "mechanism_name",
    "criterion_id",
    "criterion_name",
    "value",
    "confidence",
    "rationale",
    "source_ids",
    "basis",
];

/// Text of a score value in a sheet.
pub const NOT_ASSESSED: &str = "not assessed";
pub const NOT_APPLICABLE: &str = "not applicable";

/// At most this many problems are returned; the last one says how many more there were.
pub const MAX_PROBLEMS: usize = 500;

pub(super) const BOM: char = '\u{FEFF}';

/// A number as written in a sheet: no trailing ".0", full precision otherwise.
pub fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A score value as written in a sheet.
pub fn value_text(v: ScoreValue) -> String {
    match v {
        ScoreValue::Value(x) => number_text(x),
        ScoreValue::NotAssessed => NOT_ASSESSED.to_string(),
        ScoreValue::NotApplicable => NOT_APPLICABLE.to_string(),
    }
}

fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether a cell needs the apostrophe: it starts like a formula, or it is apostrophes
/// followed by such a start (so that the import's stripping is exact).
fn needs_prefix(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(formula_start)
}

/// A cell made safe to open in a spreadsheet: `=1+2` → `'=1+2`.
pub fn neutralise(cell: &str) -> String {
    if needs_prefix(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The cell as it was before `neutralise`: `'=1+2` → `=1+2`; other cells unchanged.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_prefix(rest) => rest,
        _ => cell,
    }
}

/// Parses a value cell (the one parser for cell text, shared with the matrix).
pub(super) fn parse_value(s: &str) -> Result<ScoreValue, String> {
    ScoreValue::parse(s)
}

/// How a sheet is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One row per analyst × mechanism × criterion.
    Long,
    /// One row per mechanism, one column per criterion, for one analyst or the median.
    Wide,
}

/// At most 40 characters of a cell, for a message (a 50 MB cell is never echoed whole).
pub(super) fn excerpt(cell: &str) -> String {
    crate::model::text::excerpt(cell, 40)
}
