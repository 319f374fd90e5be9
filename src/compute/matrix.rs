//! The effective matrix: one cell per mechanism × criterion, after choosing whose
//! scores count (one analyst, or the median across analysts) and applying a scenario.

use std::collections::HashMap;

use super::selection::{Selection, SelectionError};
use super::stats;
use crate::model::*;

/// One cell of the effective matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub value: ScoreValue,
    /// The (lower-median) confidence of the scores behind the value, if any.
    pub confidence: Option<Confidence>,
    /// How many analysts gave a number for this cell.
    pub n_scored: usize,
    pub has_rationale: bool,
    pub has_sources: bool,
    /// The value comes from the selected scenario, not the base assessment.
    pub overridden: bool,
    /// When two or more analysts gave a number: each one's value and confidence (the
    /// cell's `value` is their median). Rank acceptability draws among them.
    pub analysts: Option<Box<[(f64, Confidence)]>>,
    /// Whose word the numbers rest on: the basis they share; claim with documented or
    /// mixed → mixed; any unknown among different ones → unknown. None without a number.
    pub basis: Option<Basis>,
}

impl Cell {
    pub const EMPTY: Cell = Cell {
        value: ScoreValue::NotAssessed,
        confidence: None,
        n_scored: 0,
        has_rationale: false,
        has_sources: false,
        overridden: false,
        analysts: None,
        basis: None,
    };
}

/// A row of the effective matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub mechanism_id: String,
    pub name: String,
    pub kind: Kind,
    /// Added by the scenario (exists only there).
    pub added: bool,
}

/// Weights in force, after scenario overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// Per group, in framework order.
    pub groups: Vec<f64>,
    /// Per criterion, in framework order (flattened).
    pub criteria: Vec<f64>,
}

/// Mechanisms × criteria (criteria flattened in framework order).
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub rows: Vec<Row>,
    /// `cells[row][criterion]`. Shared: a weight-only change reuses them (a slider
    /// drag then copies no cells); `Arc::make_mut` to change one.
    pub cells: std::sync::Arc<Vec<Vec<Cell>>>,
    pub weights: Weights,
    /// The project's ranking rule for missing data (`Settings::ranking_rule`).
    pub ranking_rule: RankingRule,
    /// Whose interest the composite measures: its weights are in `weights`, its
    /// reading orients the total.
    pub viewpoint: Viewpoint,
}

/// Checks that the selection names things the project has.
pub fn check_selection(project: &Project, sel: &Selection) -> Result<(), SelectionError> {
    if let Some(v) = &sel.viewpoint
        && project.framework.viewpoint(Some(v)).is_none()
    {
        return Err(SelectionError::UnknownViewpoint(
            v.clone(),
            project
                .framework
                .all_viewpoints()
                .into_iter()
                .map(|v| v.id)
                .collect(),
        ));
    }
    if let Some(s) = &sel.scenario
        && project.scenario(s).is_none()
    {
        return Err(SelectionError::UnknownScenario(
            s.clone(),
            project.scenarios.iter().map(|s| s.id.clone()).collect(),
        ));
    }
    if let Some(a) = &sel.analyst
        && project.analyst(a).is_none()
    {
        return Err(SelectionError::UnknownAnalyst(
            a.clone(),
            project.analysts.iter().map(|a| a.id.clone()).collect(),
        ));
    }
    if let Some(r) = &sel.round
        && !project.workshop.rounds.iter().any(|x| &x.id == r)
    {
        return Err(SelectionError::UnknownRound(
            r.clone(),
            project
                .workshop
                .rounds
                .iter()
                .map(|r| r.id.clone())
                .collect(),
        ));
    }
    Ok(())
}

/// Combines the scores several analysts gave one cell: the median of the numbers;
/// with no number, "not applicable" if any analyst said so, else "not assessed".
pub fn aggregate(scores: &[&Score]) -> Cell {
    let numbers: Vec<f64> = scores.iter().filter_map(|s| s.value.number()).collect();
    let value = match stats::median(&numbers) {
        Some(m) => ScoreValue::Value(m),
        None if scores.iter().any(|s| s.value == ScoreValue::NotApplicable) => {
            ScoreValue::NotApplicable
        }
        None => ScoreValue::NotAssessed,
    };
    let mut conf: Vec<Confidence> = scores
        .iter()
        .filter(|s| s.value.number().is_some())
        .map(|s| s.confidence)
        .collect();
    conf.sort();
    let confidence = if conf.is_empty() {
        None
    } else {
        Some(conf[(conf.len() - 1) / 2])
    };
    Cell {
        value,
        confidence,
        n_scored: numbers.len(),
        has_rationale: scores.iter().any(|s| has_text(&s.rationale)),
        has_sources: scores.iter().any(|s| !s.sources.is_empty()),
        overridden: false,
        analysts: (numbers.len() > 1).then(|| {
            scores
                .iter()
                .filter_map(|s| s.value.number().map(|v| (v, s.confidence)))
                .collect()
        }),
        basis: cell_basis(scores),
    }
}

/// The basis of a cell's numbers (see `Cell::basis`).
fn cell_basis(scores: &[&Score]) -> Option<Basis> {
    let mut bases = scores
        .iter()
        .filter(|s| s.value.number().is_some())
        .map(|s| s.basis);
    let first = bases.next()?;
    Some(bases.fold(first, |acc, b| match (acc, b) {
        (a, b) if a == b => a,
        (Basis::Unknown, _) | (_, Basis::Unknown) => Basis::Unknown,
        _ => Basis::Mixed,
    }))
}

fn single(score: &Score) -> Cell {
    aggregate(&[score])
}

/// True when the text has something besides white space.
pub fn has_text(s: &str) -> bool {
    s.bytes().any(|b| !b.is_ascii_whitespace())
}

/// The viewpoint of a selection (the framework's default when it names none or one
/// the framework does not have; `check_selection` refuses the latter first).
pub fn selected_viewpoint(project: &Project, sel: &Selection) -> Viewpoint {
    project
        .framework
        .viewpoint(sel.viewpoint.as_deref())
        .or_else(|| project.framework.viewpoint(None))
        .unwrap_or_else(Viewpoint::as_weighted)
}

/// The weights in force for a selection: the viewpoint's group weights (the
/// framework's own for a viewpoint that uses them), then the scenario's overrides —
/// of a group only when the viewpoint counts it, so a scenario cannot bring a group
/// into a viewpoint that leaves it out.
pub fn effective_weights(project: &Project, sel: &Selection) -> Weights {
    let fw = &project.framework;
    let scenario = sel.scenario.as_deref().and_then(|id| project.scenario(id));
    let vp = selected_viewpoint(project, sel);
    let mut groups: Vec<f64> = fw
        .groups
        .iter()
        .map(|g| vp.group_weight(&g.id, g.weight))
        .collect();
    let mut criteria: Vec<f64> = fw.criteria().map(|(_, c)| c.weight).collect();
    if let Some(s) = scenario {
        for (gi, g) in fw.groups.iter().enumerate() {
            let counted = vp
                .group_weights
                .as_ref()
                .is_none_or(|w| w.get(&g.id).is_some_and(|x| *x > 0.0));
            if let Some(w) = s.group_weights.get(&g.id)
                && counted
            {
                groups[gi] = *w;
            }
        }
        for (ci, (_, c)) in fw.criteria().enumerate() {
            if let Some(w) = s.criterion_weights.get(&c.id) {
                criteria[ci] = *w;
            }
        }
    }
    Weights { groups, criteria }
}

/// Builds the effective matrix for a selection.
pub fn effective_matrix(project: &Project, sel: &Selection) -> Result<Matrix, SelectionError> {
    check_selection(project, sel)?;
    let scenario = sel.scenario.as_deref().and_then(|id| project.scenario(id));
    let fw = &project.framework;
    let criteria: Vec<&Criterion> = fw.criteria().map(|(_, c)| c).collect();
    let crit_index: HashMap<&str, usize> = criteria
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();

    // Scores grouped by mechanism and criterion, for the analysts that count.
    let n_crit = criteria.len();
    let mech_index: HashMap<&str, usize> = project
        .mechanisms
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let mut by_cell: Vec<Vec<&Score>> = vec![Vec::new(); project.mechanisms.len() * n_crit];
    let source = match sel.round.as_deref() {
        Some(r) => project
            .workshop
            .rounds
            .iter()
            .find(|x| x.id == r)
            .map_or(&project.scores, |x| &x.scores),
        None => &project.scores,
    };
    // The consensus: one pseudo-score per cell, whoever the analysts were.
    let consensus: Vec<(ScoreKey, Score)> = if sel.consensus {
        project
            .workshop
            .consensus
            .iter()
            .map(|((m, c), cell)| {
                (
                    ScoreKey::new("", m, c),
                    Score {
                        value: cell.value,
                        rationale: cell.dissent.clone(),
                        confidence: Confidence::High,
                        sources: Vec::new(),
                        ..Score::default()
                    },
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let entries: Box<dyn Iterator<Item = (&ScoreKey, &Score)>> = if sel.consensus {
        Box::new(consensus.iter().map(|(k, s)| (k, s)))
    } else {
        Box::new(source.iter())
    };
    for (k, s) in entries {
        if sel.documented_only
            && !sel.consensus
            && !matches!(s.basis, Basis::Documented | Basis::Mixed)
        {
            continue;
        }
        if !sel.consensus
            && let Some(a) = &sel.analyst
            && &k.analyst != a
        {
            continue;
        }
        if let (Some(&mi), Some(&ci)) = (
            mech_index.get(k.mechanism.as_str()),
            crit_index.get(k.criterion.as_str()),
        ) {
            by_cell[mi * n_crit + ci].push(s);
        }
    }

    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let excluded =
        |id: &str| scenario.is_some_and(|s| s.excluded_mechanisms.iter().any(|e| e == id));
    for (mi, m) in project.mechanisms.iter().enumerate() {
        if excluded(&m.id) {
            continue;
        }
        rows.push(Row {
            mechanism_id: m.id.clone(),
            name: m.name.clone(),
            kind: m.kind,
            added: false,
        });
        cells.push(
            (0..n_crit)
                .map(|ci| match by_cell[mi * n_crit + ci].as_slice() {
                    [] => Cell::EMPTY,
                    [one] => single(one),
                    list => aggregate(list),
                })
                .collect(),
        );
    }
    if let Some(s) = scenario {
        for m in &s.added_mechanisms {
            rows.push(Row {
                mechanism_id: m.id.clone(),
                name: m.name.clone(),
                kind: m.kind,
                added: true,
            });
            cells.push(vec![Cell::EMPTY; criteria.len()]);
        }
        for o in &s.score_overrides {
            let Some(&ci) = crit_index.get(o.criterion.as_str()) else {
                continue;
            };
            if let Some(ri) = rows.iter().position(|r| r.mechanism_id == o.mechanism) {
                let mut c = single(&o.score);
                c.overridden = true;
                cells[ri][ci] = c;
            }
        }
    }
    Ok(Matrix {
        rows,
        cells: std::sync::Arc::new(cells),
        weights: effective_weights(project, sel),
        ranking_rule: project.settings.ranking_rule,
        viewpoint: selected_viewpoint(project, sel),
    })
}
