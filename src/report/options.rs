//! What a report covers (`ReportOptions`) and why one could not be made (`ReportError`).

use crate::compute::smaa::Smaa;
use crate::compute::{Selection, SelectionError};
use crate::model::Project;

/// What the report covers.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions<'a> {
    /// Whose scores and which scenario the report shows (None/None: the base
    /// assessment, median across analysts).
    pub selection: Selection,
    /// Compare the base assessment (with the same analyst choice) with each of these
    /// scenarios, one section each, in this order.
    pub compare_scenarios: Vec<String>,
    /// Draw the charts (quadrant, group bars, ranking, heatmap, tornado).
    pub include_charts: bool,
    /// Rank acceptability results computed on the same selection, if any were run
    /// (`compute::smaa::smaa` on `compute::effective_matrix(project, &selection)`).
    /// Results whose mechanisms do not match the selection are left out with a note.
    pub smaa: Option<&'a Smaa>,
}

impl ReportOptions<'_> {
    /// The selection, with charts, and no scenario comparison.
    pub fn new(selection: Selection) -> ReportOptions<'static> {
        ReportOptions {
            selection,
            compare_scenarios: Vec::new(),
            include_charts: true,
            smaa: None,
        }
    }

    /// What a report covers unless told otherwise: the selection, with charts, and a
    /// comparison with every scenario of the project other than the one reported on
    /// (a reader should not have to know that the scenarios exist to see them).
    pub fn with_defaults(project: &Project, selection: Selection) -> ReportOptions<'static> {
        let compare_scenarios = default_comparisons(project, &selection);
        ReportOptions {
            compare_scenarios,
            ..ReportOptions::new(selection)
        }
    }
}

/// Every scenario of the project except the selected one, in project order.
pub fn default_comparisons(project: &Project, selection: &Selection) -> Vec<String> {
    project
        .scenarios
        .iter()
        .filter(|s| selection.scenario.as_deref() != Some(s.id.as_str()))
        .map(|s| s.id.clone())
        .collect()
}

/// Why a report could not be made: the options name something the project lacks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Selection(#[from] SelectionError),
}
