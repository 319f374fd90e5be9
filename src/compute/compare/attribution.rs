//! Attribution, the maths of *what moved and why*: the changes between the two
//! effective matrices, each applied alone to the baseline, and the rank change split
//! into the mechanisms passed, passing, gone and new.

use std::collections::HashMap;

use crate::wording::capitalise;

use super::prose::{explanation_text, side_summary};
use super::types::{Change, Contribution, Explanation, MechanismComparison, Presence, TIE_EPS};
use crate::compute::{Matrix, Results, Selection};
use crate::model::{Criterion, Project, ScoreOverride};

pub(super) fn row_index(m: &Matrix) -> HashMap<&str, usize> {
    m.rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.mechanism_id.as_str(), i))
        .collect()
}

pub(super) fn differs(a: f64, b: f64) -> bool {
    (a - b).abs() > 1e-12 * a.abs().max(b.abs()).max(1.0)
}

pub(super) fn override_of<'a>(
    project: &'a Project,
    sel: &Selection,
    mechanism: &str,
    criterion: &str,
) -> Option<&'a ScoreOverride> {
    let s = project.scenario(sel.scenario.as_deref()?)?;
    s.score_overrides
        .iter()
        .rev()
        .find(|o| o.mechanism == mechanism && o.criterion == criterion)
}

pub(super) fn find_changes(
    project: &Project,
    mb: &Matrix,
    ms: &Matrix,
    union: &[(Option<usize>, Option<usize>)],
    baseline: &Selection,
    scenario: &Selection,
) -> Vec<Change> {
    let fw = &project.framework;
    let mut out = Vec::new();
    for (gi, g) in fw.groups.iter().enumerate() {
        let (from, to) = (mb.weights.groups[gi], ms.weights.groups[gi]);
        if differs(from, to) {
            out.push(Change::GroupWeight {
                group: gi,
                id: g.id.clone(),
                name: g.name.clone(),
                from,
                to,
            });
        }
    }
    let criteria: Vec<(usize, &Criterion)> = fw.criteria().collect();
    for (ci, (gi, c)) in criteria.iter().enumerate() {
        let (from, to) = (mb.weights.criteria[ci], ms.weights.criteria[ci]);
        if differs(from, to) {
            out.push(Change::CriterionWeight {
                criterion: ci,
                id: c.id.clone(),
                name: c.name.clone(),
                group_name: fw.groups[*gi].name.clone(),
                from,
                to,
            });
        }
    }
    for &(b, s) in union {
        let (Some(b), Some(s)) = (b, s) else { continue };
        let row = &mb.rows[b];
        for (ci, (_, c)) in criteria.iter().enumerate() {
            let (cb, cs) = (&mb.cells[b][ci], &ms.cells[s][ci]);
            if cb.value == cs.value {
                continue;
            }
            out.push(Change::Score {
                mechanism_id: row.mechanism_id.clone(),
                mechanism_name: row.name.clone(),
                criterion: ci,
                criterion_id: c.id.clone(),
                criterion_name: c.name.clone(),
                from: cb.value,
                to: cs.value,
                overridden_in_scenario: cs.overridden,
                overridden_in_baseline: cb.overridden,
                rationale: cs
                    .overridden
                    .then(|| override_of(project, scenario, &row.mechanism_id, &c.id))
                    .flatten()
                    .map(|o| o.score.rationale.clone())
                    .filter(|r| !r.trim().is_empty()),
            });
        }
    }
    for &(b, s) in union {
        let (row, presence) = match (b, s) {
            (Some(b), None) => (&mb.rows[b], Presence::BaselineOnly),
            (None, Some(s)) => (&ms.rows[s], Presence::ScenarioOnly),
            _ => continue,
        };
        out.push(Change::Membership {
            mechanism_id: row.mechanism_id.clone(),
            mechanism_name: row.name.clone(),
            presence,
            reason: presence_reason(project, baseline, scenario, &row.mechanism_id, presence),
        });
    }
    out
}

pub(super) fn presence_reason(
    project: &Project,
    baseline: &Selection,
    scenario: &Selection,
    id: &str,
    presence: Presence,
) -> String {
    let added_by = |sel: &Selection| {
        sel.scenario
            .as_deref()
            .and_then(|s| project.scenario(s))
            .is_some_and(|s| s.added_mechanisms.iter().any(|m| m.id == id))
    };
    match presence {
        Presence::Both => String::new(),
        Presence::BaselineOnly if added_by(baseline) => {
            "added in the baseline scenario only".to_string()
        }
        Presence::BaselineOnly => "excluded in the scenario".to_string(),
        Presence::ScenarioOnly if added_by(scenario) => "added in the scenario".to_string(),
        Presence::ScenarioOnly => "excluded in the baseline scenario".to_string(),
    }
}

/// The baseline matrix with one weight or score change applied; None for a change of
/// membership (it does not move any total).
pub(super) fn apply_alone(
    mb: &Matrix,
    ms: &Matrix,
    idx_b: &HashMap<&str, usize>,
    idx_s: &HashMap<&str, usize>,
    c: &Change,
) -> Option<Matrix> {
    let mut m = mb.clone();
    match c {
        Change::GroupWeight { group, to, .. } => m.weights.groups[*group] = *to,
        Change::CriterionWeight { criterion, to, .. } => m.weights.criteria[*criterion] = *to,
        Change::Score {
            mechanism_id,
            criterion,
            ..
        } => {
            let b = idx_b[mechanism_id.as_str()];
            let s = idx_s[mechanism_id.as_str()];
            std::sync::Arc::make_mut(&mut m.cells)[b][*criterion] = ms.cells[s][*criterion].clone();
        }
        Change::Membership { .. } => return None,
    }
    Some(m)
}

pub(super) fn ahead(other: Option<f64>, of: f64) -> bool {
    other.is_some_and(|o| o > of + TIE_EPS)
}

pub(super) fn explain(
    m: &MechanismComparison,
    b: Option<usize>,
    s: Option<usize>,
    changes: &[Change],
    alone: &[Option<Results>],
    all: &[MechanismComparison],
) -> Option<Explanation> {
    let bv = m.baseline.as_ref();
    let sv = m.scenario.as_ref();
    let mut e = Explanation {
        mechanism_id: m.id.clone(),
        name: m.name.clone(),
        presence: m.presence,
        baseline_rank: bv.and_then(|v| v.rank),
        scenario_rank: sv.and_then(|v| v.rank),
        baseline_total: bv.and_then(|v| v.total),
        scenario_total: sv.and_then(|v| v.total),
        contributions: Vec::new(),
        interaction: None,
        passed: Vec::new(),
        passed_by: Vec::new(),
        left_ahead: Vec::new(),
        new_ahead: Vec::new(),
        text: String::new(),
    };
    match m.presence {
        Presence::BaselineOnly => {
            e.text = format!(
                "{} ({}).",
                capitalise(&m.presence_reason),
                side_summary("in the baseline", e.baseline_rank, e.baseline_total)
            );
            push_viability(&mut e.text, m);
            return Some(e);
        }
        Presence::ScenarioOnly => {
            e.text = format!(
                "{}: {}.",
                capitalise(&m.presence_reason),
                side_summary("in the scenario", e.scenario_rank, e.scenario_total)
            );
            push_viability(&mut e.text, m);
            return Some(e);
        }
        Presence::Both => {}
    }
    let (b, _s) = (b?, s?);
    let total_moved = match (e.baseline_total, e.scenario_total) {
        (Some(x), Some(y)) => (x - y).abs() > TIE_EPS,
        (None, None) => false,
        _ => true,
    };
    if !total_moved && e.baseline_rank == e.scenario_rank && !m.viability().changed() {
        return None;
    }

    // Contributions: weight changes and this mechanism's own score changes.
    for (ci, c) in changes.iter().enumerate() {
        let own = match c {
            Change::GroupWeight { .. } | Change::CriterionWeight { .. } => false,
            Change::Score { mechanism_id, .. } if *mechanism_id == m.id => true,
            _ => continue,
        };
        let Some(r) = &alone[ci] else { continue };
        let mr = &r.mechanisms[b];
        let effect = match (mr.total, e.baseline_total) {
            (Some(x), Some(y)) => Some(x - y),
            _ => None,
        };
        let no_effect = match (mr.total, e.baseline_total) {
            (Some(x), Some(y)) => (x - y).abs() <= TIE_EPS,
            (None, None) => true,
            _ => false,
        };
        if !own && no_effect && mr.rank == e.baseline_rank {
            continue;
        }
        e.contributions.push(Contribution {
            change: ci,
            effect,
            rank_alone: mr.rank,
        });
    }
    if let (Some(x), Some(y)) = (e.baseline_total, e.scenario_total)
        && !e.contributions.is_empty()
        && e.contributions.iter().all(|c| c.effect.is_some())
    {
        let sum: f64 = e.contributions.iter().filter_map(|c| c.effect).sum();
        e.interaction = Some((y - x) - sum);
    }

    // The rank change, mechanism by mechanism.
    if let (Some(tb), Some(ts)) = (e.baseline_total, e.scenario_total) {
        let mut passed = Vec::new();
        let mut passed_by = Vec::new();
        let mut left = Vec::new();
        let mut new = Vec::new();
        for o in all {
            if o.id == m.id {
                continue;
            }
            let ob = o.baseline.as_ref().and_then(|v| v.total);
            let os = o.scenario.as_ref().and_then(|v| v.total);
            let (was, is) = (ahead(ob, tb), ahead(os, ts));
            if was && !is {
                if os.is_some() {
                    passed.push(o);
                } else {
                    left.push(o);
                }
            } else if !was && is {
                if ob.is_some() {
                    passed_by.push(o);
                } else {
                    new.push(o);
                }
            }
        }
        let by_scen = |v: &mut Vec<&MechanismComparison>| {
            v.sort_by_key(|o| {
                o.scenario
                    .as_ref()
                    .and_then(|x| x.rank)
                    .unwrap_or(usize::MAX)
            });
        };
        by_scen(&mut passed);
        by_scen(&mut passed_by);
        by_scen(&mut new);
        left.sort_by_key(|o| {
            o.baseline
                .as_ref()
                .and_then(|x| x.rank)
                .unwrap_or(usize::MAX)
        });
        let ids = |v: &[&MechanismComparison]| v.iter().map(|o| o.id.clone()).collect();
        e.passed = ids(&passed);
        e.passed_by = ids(&passed_by);
        e.left_ahead = ids(&left);
        e.new_ahead = ids(&new);
        e.text = explanation_text(&e, changes, &passed, &passed_by, &left, &new, ts);
    } else {
        e.text = explanation_text(&e, changes, &[], &[], &[], &[], 0.0);
    }
    push_viability(&mut e.text, m);
    Some(e)
}

/// Appends the mechanism's viability, when it is not viable on some side, as a
/// sentence: "… Becomes not viable: fails 'Organisational structure' (0 < 1)."
fn push_viability(text: &mut String, m: &MechanismComparison) {
    if let Some(v) = m.viability_text() {
        text.push(' ');
        text.push_str(&capitalise(&v));
        text.push('.');
    }
}
