//! What a report covers (`ReportOptions`) and why one could not be made (`ReportError`).

use crate::compute::smaa::Smaa;
use crate::compute::{Selection, SelectionError};

/// What the report covers.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions<'a> {
    /// Whose scores and which scenario the report shows (None/None: the base
    /// assessment, median across analysts).
    pub selection: Selection,
    /// Compare the base assessment (with the same analyst choice) with this scenario.
    pub compare_scenario: Option<String>,
    /// Draw the charts (quadrant, group bars, ranking, heatmap, tornado).
    pub include_charts: bool,
    /// Rank acceptability results computed on the same selection, if any were run
    /// (`compute::smaa::smaa` on `compute::effective_matrix(project, &selection)`).
    /// Results whose mechanisms do not match the selection are left out with a note.
    pub smaa: Option<&'a Smaa>,
}

impl ReportOptions<'_> {
    /// The base assessment, median across analysts, with charts.
    pub fn new(selection: Selection) -> ReportOptions<'static> {
        ReportOptions {
            selection,
            compare_scenario: None,
            include_charts: true,
            smaa: None,
        }
    }
}

/// Why a report could not be made: the options name something the project lacks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Selection(#[from] SelectionError),
}
