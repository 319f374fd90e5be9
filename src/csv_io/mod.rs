//! Scores to and from spreadsheets as CSV (documented in docs/csv.md).
//!
//! - **Long** sheets: one row per analyst × mechanism × criterion, with value,
//!   confidence, rationale and sources. They round-trip: export → import changes
//!   nothing.
//! - **Wide** sheets: mechanisms × criteria for one analyst (or the median across
//!   analysts, for reading only). Importing one sets the values only.
//!
//! Exports are UTF-8 with a byte-order mark (so Excel keeps accents), CRLF line ends,
//! and every cell that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, tab or carriage return) prefixed with an apostrophe, which the import
//! strips again.
//!
//! Imports check every row like the project loader does and either return a preview
//! of the cells that change (`ImportPreview`, turned into one undoable
//! `edit::Command::SetScores`) or every problem with its row and column; never half a
//! sheet. Pure: bytes in, strings or structs out; no I/O.

mod checker;
mod export;
mod import;
mod preview;
mod sheet;

pub use export::{ExportOptions, export};
pub use import::import;
pub use preview::{CellChange, ImportOptions, ImportPreview, Problem, problem_total};
pub use sheet::*;

#[cfg(test)]
mod tests {
    use super::import::{decode, detect_delimiter};
    use super::sheet::parse_value;
    use super::*;
    use crate::model::*;

    #[test]
    fn formula_cells_are_neutralised_and_restored_exactly() {
        for cell in [
            "=1+2", "+33 1 23", "-1", "@SUM(A1)", "\tx", "\rx", "'=x", "''-x", "'plain", "plain",
            "", "a=b",
        ] {
            assert_eq!(unneutralise(&neutralise(cell)), cell, "{cell:?}");
        }
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("'=x"), "''=x");
        assert_eq!(neutralise("'plain"), "'plain");
        assert_eq!(unneutralise("'plain"), "'plain");
    }

    #[test]
    fn values_accept_decimal_commas_and_words() {
        assert_eq!(parse_value("2,5"), Ok(ScoreValue::Value(2.5)));
        assert_eq!(parse_value(" 3 "), Ok(ScoreValue::Value(3.0)));
        assert_eq!(parse_value("-1,25"), Ok(ScoreValue::Value(-1.25)));
        assert_eq!(parse_value(""), Ok(ScoreValue::NotAssessed));
        assert_eq!(parse_value("Not Assessed"), Ok(ScoreValue::NotAssessed));
        assert_eq!(parse_value("not_applicable"), Ok(ScoreValue::NotApplicable));
        assert!(parse_value("1,2,3").is_err());
        assert!(parse_value("high").is_err());
        assert!(parse_value("NaN").is_err());
        assert!(parse_value("inf").is_err());
    }

    #[test]
    fn delimiter_comes_from_the_header_line() {
        assert_eq!(detect_delimiter("a,b,c"), ',');
        assert_eq!(detect_delimiter("a;b;c"), ';');
        assert_eq!(detect_delimiter("\"a;b\",c"), ',');
        assert_eq!(detect_delimiter("a;b,c;d"), ';');
        assert_eq!(detect_delimiter("a\tb\tc"), '\t');
        assert_eq!(detect_delimiter("abc"), ',');
    }

    #[test]
    fn windows_1252_is_decoded() {
        let (s, enc) = decode(b"caf\xe9 \x80").unwrap();
        assert_eq!(s, "café €");
        assert_eq!(enc, "Windows-1252");
    }
}
