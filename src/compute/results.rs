//! Group indices, composite total, ranks and gates from an effective matrix.

use super::matrix::{Matrix, effective_matrix};
use super::selection::{Selection, SelectionError};
use super::stats;
use crate::model::*;

/// Below this share of (weighted) assessed criteria, an index is not computed.
pub const MIN_COVERAGE: f64 = 0.5;

/// A 0–100 index for one criteria group of one mechanism.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupIndex {
    pub group_id: String,
    pub role: Role,
    /// None when coverage is below `MIN_COVERAGE` or nothing applies.
    pub index: Option<f64>,
    /// Weighted share of the applicable criteria that are assessed (0–1).
    pub coverage: f64,
}

/// A gate (precondition) that a mechanism does not meet.
#[derive(Clone, Debug, PartialEq)]
pub struct GateResult {
    pub criterion_id: String,
    pub at_least: f64,
    /// The value it has, or None when not assessed (the gate cannot be checked).
    pub value: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MechanismResult {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// Composite total on 0–100 (concern groups counted inverted), if computable.
    pub total: Option<f64>,
    /// Weighted share of the composite's groups that have an index (0–1).
    pub total_coverage: f64,
    /// Competition rank by total (1 = best); None without a total.
    pub rank: Option<usize>,
    pub groups: Vec<GroupIndex>,
    pub not_assessed: usize,
    pub not_applicable: usize,
    pub low_confidence: usize,
    pub scored: usize,
    /// Gates failed (value below the threshold).
    pub failed_gates: Vec<GateResult>,
    /// Gates that cannot be checked because the criterion is not assessed.
    pub unchecked_gates: Vec<GateResult>,
}

impl MechanismResult {
    /// Not viable when any requirement gate fails, whatever the total.
    pub fn viable(&self) -> bool {
        self.failed_gates.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    pub selection: Selection,
    /// In the order of the effective matrix rows.
    pub mechanisms: Vec<MechanismResult>,
}

/// Oriented share in [0,1] of a criterion's value within its group: for concern
/// groups higher = more concern; for the others higher = better.
fn oriented(c: &Criterion, role: Role, v: f64) -> f64 {
    let x = c.scale.normalise(v);
    let cost = c.direction == Direction::Cost;
    let concern = role == Role::Concern;
    if cost == concern { x } else { 1.0 - x }
}

/// Computes results for a selection of the project.
pub fn analyze(project: &Project, sel: &Selection) -> Result<Results, SelectionError> {
    let m = effective_matrix(project, sel)?;
    Ok(results_from_matrix(&project.framework, &m, sel))
}

/// Computes results from an effective matrix (weights taken from the matrix).
pub fn results_from_matrix(fw: &Framework, m: &Matrix, sel: &Selection) -> Results {
    let criteria: Vec<(usize, &Criterion)> = fw.criteria().collect();
    let mut out = Vec::with_capacity(m.rows.len());
    for (ri, row) in m.rows.iter().enumerate() {
        let cells = &m.cells[ri];
        let mut groups = Vec::with_capacity(fw.groups.len());
        let mut num = 0.0;
        let mut den = 0.0;
        let mut den_all = 0.0;
        for (gi, g) in fw.groups.iter().enumerate() {
            let (mut wsum, mut wapplicable, mut acc) = (0.0, 0.0, 0.0);
            for (ci, (cgi, c)) in criteria.iter().enumerate() {
                if *cgi != gi {
                    continue;
                }
                let w = m.weights.criteria[ci];
                match cells[ci].value {
                    ScoreValue::Value(v) => {
                        wsum += w;
                        wapplicable += w;
                        acc += w * oriented(c, g.role, v);
                    }
                    ScoreValue::NotAssessed => wapplicable += w,
                    ScoreValue::NotApplicable => {}
                }
            }
            let coverage = if wapplicable > 0.0 {
                wsum / wapplicable
            } else {
                0.0
            };
            let index =
                (wsum > 0.0 && coverage + 1e-12 >= MIN_COVERAGE).then(|| 100.0 * acc / wsum);
            let gw = m.weights.groups[gi];
            if gw > 0.0 && wapplicable > 0.0 {
                den_all += gw;
                if let Some(ix) = index {
                    let d = if g.role == Role::Concern {
                        100.0 - ix
                    } else {
                        ix
                    };
                    num += gw * d;
                    den += gw;
                }
            }
            groups.push(GroupIndex {
                group_id: g.id.clone(),
                role: g.role,
                index,
                coverage,
            });
        }
        let total_coverage = if den_all > 0.0 { den / den_all } else { 0.0 };
        let total = (den > 0.0 && total_coverage + 1e-12 >= MIN_COVERAGE).then(|| num / den);

        let mut r = MechanismResult {
            id: row.mechanism_id.clone(),
            name: row.name.clone(),
            kind: row.kind,
            total,
            total_coverage,
            rank: None,
            groups,
            not_assessed: 0,
            not_applicable: 0,
            low_confidence: 0,
            scored: 0,
            failed_gates: Vec::new(),
            unchecked_gates: Vec::new(),
        };
        for (ci, (_, c)) in criteria.iter().enumerate() {
            let cell = &cells[ci];
            match cell.value {
                ScoreValue::Value(_) => r.scored += 1,
                ScoreValue::NotAssessed => r.not_assessed += 1,
                ScoreValue::NotApplicable => r.not_applicable += 1,
            }
            if cell.value.number().is_some() && cell.confidence == Some(Confidence::Low) {
                r.low_confidence += 1;
            }
            if let Some(gate) = c.gate {
                let g = GateResult {
                    criterion_id: c.id.clone(),
                    at_least: gate.at_least,
                    value: cell.value.number(),
                };
                match cell.value {
                    ScoreValue::Value(v) if v < gate.at_least => r.failed_gates.push(g),
                    ScoreValue::Value(_) | ScoreValue::NotApplicable => {}
                    ScoreValue::NotAssessed => r.unchecked_gates.push(g),
                }
            }
        }
        out.push(r);
    }
    let totals: Vec<Option<f64>> = out.iter().map(|r| r.total).collect();
    for (r, rank) in out.iter_mut().zip(stats::competition_ranks(&totals)) {
        r.rank = rank;
    }
    Results {
        selection: sel.clone(),
        mechanisms: out,
    }
}
