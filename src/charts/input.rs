//! What the results charts (radar, bars, heatmap, quadrant, ranking) are drawn from,
//! and what they read from it: the source note and the mechanisms in rank order.

use crate::compute::{Matrix, MechanismResult, Results};
use crate::model::Project;

/// The data a chart is drawn from: the results of one selection (scenario,
/// analyst) of a project, with the effective matrix behind them.
#[derive(Clone, Copy, Debug)]
pub struct ChartInput<'a> {
    pub project: &'a Project,
    pub matrix: &'a Matrix,
    pub results: &'a Results,
    /// A line under the title, e.g. "Scenario (hypothetical): X".
    pub title_suffix: Option<&'a str>,
}

/// The note naming where the numbers come from.
pub(super) fn source_note(input: &ChartInput) -> String {
    let t = input.project.info.title.trim();
    if t.is_empty() {
        "Source: Policy Workbench assessment.".to_string()
    } else {
        format!("Source: {t} (Policy Workbench).")
    }
}

/// Mechanisms ordered by rank (best first), those without a total last, ties in
/// project order.
pub(super) fn by_rank(results: &Results) -> Vec<&MechanismResult> {
    let mut v: Vec<&MechanismResult> = results.mechanisms.iter().collect();
    v.sort_by_key(|m| m.rank.unwrap_or(usize::MAX));
    v
}
