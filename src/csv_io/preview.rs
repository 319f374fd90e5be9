//! What an import would change, shown before anything is applied: the problems with
//! their row and column, and each changed cell.

use std::fmt;

use super::sheet::*;
use crate::edit::Command;
use crate::model::*;

/// One thing wrong with a sheet: where (row as a spreadsheet numbers it, the header
/// being row 1; the column as the sheet names it) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
    /// On the last entry of a list cut at `MAX_PROBLEMS`: how many more were found.
    pub more: usize,
}

impl Problem {
    pub(super) fn new(row: usize, column: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            row,
            column: column.map(str::to_string),
            message: message.into(),
            more: 0,
        }
    }
}

/// The exact number of problems a list returned by `import` stands for (its last entry
/// may say how many more were found than are listed).
pub fn problem_total(problems: &[Problem]) -> usize {
    match problems.last() {
        Some(last) if last.more > 0 => problems.len() - 1 + last.more,
        _ => problems.len(),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(
                f,
                "row {}, column {}: {}",
                self.row,
                excerpt(c),
                self.message
            ),
            None => write!(f, "row {}: {}", self.row, self.message),
        }
    }
}

/// A cell of an analyst's sheet that the import would change (`None` = no score,
/// i.e. not assessed without rationale or sources).
#[derive(Clone, Debug, PartialEq)]
pub struct CellChange {
    pub key: ScoreKey,
    pub old: Option<Score>,
    pub new: Option<Score>,
    /// The sheet row it comes from.
    pub row: usize,
}

impl CellChange {
    /// One line for a preview, e.g. "ana / mekong / geopolitical: 3 → 4, confidence
    /// moderate → high, rationale changed".
    pub fn describe(&self) -> String {
        let empty = Score::default();
        let old = self.old.as_ref().unwrap_or(&empty);
        let new = self.new.as_ref().unwrap_or(&empty);
        let mut what = Vec::new();
        if old.value != new.value {
            what.push(format!(
                "{} → {}",
                value_text(old.value),
                value_text(new.value)
            ));
        }
        if old.confidence != new.confidence && self.old.is_some() && self.new.is_some() {
            what.push(format!(
                "confidence {} → {}",
                old.confidence.as_str(),
                new.confidence.as_str()
            ));
        }
        if old.rationale != new.rationale {
            what.push(
                if old.rationale.is_empty() {
                    "rationale added"
                } else if new.rationale.is_empty() {
                    "rationale removed"
                } else {
                    "rationale changed"
                }
                .to_string(),
            );
        }
        if old.sources != new.sources {
            what.push(format!(
                "sources [{}] → [{}]",
                old.sources.join(";"),
                new.sources.join(";")
            ));
        }
        if old.basis != new.basis && self.new.is_some() {
            what.push(format!(
                "basis {} → {}",
                old.basis.as_str(),
                new.basis.as_str()
            ));
        }
        if what.is_empty() {
            what.push("confidence set".to_string());
        }
        format!(
            "{} / {} / {}: {}",
            self.key.analyst,
            self.key.mechanism,
            self.key.criterion,
            what.join(", ")
        )
    }
}

/// What an import would do, for the app to show before applying it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPreview {
    pub layout: Layout,
    /// The separator found in the header line.
    pub delimiter: char,
    /// "UTF-8" or "Windows-1252" (a sheet saved by Excel as plain "CSV").
    pub encoding: &'static str,
    /// Data rows read (empty rows skipped).
    pub rows: usize,
    /// Only the cells that change, in sheet order.
    pub changes: Vec<CellChange>,
}

impl ImportPreview {
    /// The change as one undoable command; None when nothing changes.
    pub fn command(&self) -> Option<Command> {
        (!self.changes.is_empty()).then(|| Command::SetScores {
            cells: self
                .changes
                .iter()
                .map(|c| (c.key.clone(), c.new.clone()))
                .collect(),
        })
    }

    /// One line, e.g. "120 rows read (long sheet, ';'-separated, UTF-8): 3 scores change".
    pub fn summary(&self) -> String {
        let n = self.changes.len();
        format!(
            "{} row{} read ({} sheet, '{}'-separated, {}): {}",
            self.rows,
            if self.rows == 1 { "" } else { "s" },
            match self.layout {
                Layout::Long => "long",
                Layout::Wide => "wide",
            },
            if self.delimiter == '\t' {
                "tab".to_string()
            } else {
                self.delimiter.to_string()
            },
            self.encoding,
            match n {
                0 => "no score changes".to_string(),
                1 => "1 score changes".to_string(),
                n => format!("{n} scores change"),
            }
        )
    }
}

/// Options of an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The analyst a wide sheet belongs to when its second row does not say
    /// ("analyst: ID"). Ignored for long sheets, whose rows name their analyst.
    pub analyst: Option<String>,
}
