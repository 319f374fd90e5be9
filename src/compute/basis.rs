//! To appear or to be: each mechanism's group indices and total from every score beside
//! the same from documented (and mixed) scores only, and how much of each index's
//! weight rests on the assessed state's claims or on scores of unknown basis.

use super::matrix::effective_matrix;
use super::results::analyze;
use super::selection::{Selection, SelectionError};
use crate::model::*;

/// One group of one mechanism, on both bases.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupBasis {
    pub group_id: String,
    /// The index from every score.
    pub all: Option<f64>,
    /// The index from documented and mixed scores only.
    pub documented: Option<f64>,
    /// Share (0–1) of the index's assessed weight that rests on claims.
    pub claim: f64,
    /// Share (0–1) of the index's assessed weight whose basis is unknown.
    pub unknown: f64,
}

/// One mechanism on both bases.
#[derive(Clone, Debug, PartialEq)]
pub struct MechanismBasis {
    pub id: String,
    pub name: String,
    pub total_all: Option<f64>,
    pub total_documented: Option<f64>,
    pub groups: Vec<GroupBasis>,
}

/// The scores that count for one cell under `sel` (before a scenario override).
fn counted<'a>(
    p: &'a Project,
    sel: &Selection,
    mechanism: &str,
    criterion: &str,
) -> Vec<&'a Score> {
    let source = match sel.round.as_deref() {
        Some(r) => p
            .workshop
            .rounds
            .iter()
            .find(|x| x.id == r)
            .map_or(&p.scores, |x| &x.scores),
        None => &p.scores,
    };
    p.analysts
        .iter()
        .filter(|a| sel.analyst.as_ref().is_none_or(|id| *id == a.id))
        .filter_map(|a| source.get(&ScoreKey::new(&a.id, mechanism, criterion)))
        .filter(|s| s.value.number().is_some())
        .collect()
}

/// Shares (claim, unknown) of the scores of one cell.
fn cell_shares(scores: &[&Score]) -> (f64, f64) {
    if scores.is_empty() {
        return (0.0, 0.0);
    }
    let n = scores.len() as f64;
    let of = |b: Basis| scores.iter().filter(|s| s.basis == b).count() as f64 / n;
    (of(Basis::Claim), of(Basis::Unknown))
}

/// Every mechanism of the selection on both bases, in the order of the results.
/// `sel.documented_only` is ignored: both sides are computed.
pub fn appear_or_be(p: &Project, sel: &Selection) -> Result<Vec<MechanismBasis>, SelectionError> {
    let all_sel = Selection {
        documented_only: false,
        ..sel.clone()
    };
    let doc_sel = Selection {
        documented_only: true,
        ..sel.clone()
    };
    let all = analyze(p, &all_sel)?;
    let doc = analyze(p, &doc_sel)?;
    let matrix = effective_matrix(p, &all_sel)?;
    let scenario = sel.scenario.as_deref().and_then(|id| p.scenario(id));
    let criteria: Vec<(usize, &Criterion)> = p.framework.criteria().collect();
    let mut out = Vec::with_capacity(all.mechanisms.len());
    for (ri, m) in all.mechanisms.iter().enumerate() {
        let d = doc.mechanisms.iter().find(|x| x.id == m.id);
        let groups = m
            .groups
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let (mut w_all, mut w_claim, mut w_unknown) = (0.0, 0.0, 0.0);
                for (ci, (cgi, c)) in criteria.iter().enumerate() {
                    if *cgi != gi || matrix.cells[ri][ci].value.number().is_none() {
                        continue;
                    }
                    let w = matrix.weights.criteria[ci];
                    let over = scenario.and_then(|s| {
                        s.score_overrides
                            .iter()
                            .find(|o| o.mechanism == m.id && o.criterion == c.id)
                    });
                    let (claim, unknown) = match over {
                        Some(o) => cell_shares(&[&o.score]),
                        None if sel.consensus => (0.0, 1.0),
                        None => cell_shares(&counted(p, sel, &m.id, &c.id)),
                    };
                    w_all += w;
                    w_claim += w * claim;
                    w_unknown += w * unknown;
                }
                let share = |x: f64| if w_all > 0.0 { x / w_all } else { 0.0 };
                GroupBasis {
                    group_id: g.group_id.clone(),
                    all: g.index,
                    documented: d.and_then(|d| d.groups.get(gi)).and_then(|x| x.index),
                    claim: share(w_claim),
                    unknown: share(w_unknown),
                }
            })
            .collect();
        out.push(MechanismBasis {
            id: m.id.clone(),
            name: m.name.clone(),
            total_all: m.total,
            total_documented: d.and_then(|d| d.total),
            groups,
        });
    }
    Ok(out)
}
