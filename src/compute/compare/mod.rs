//! Comparing two selections of a project — the baseline (the base assessment or a
//! scenario) and a scenario — mechanism by mechanism, and saying *what moved and why*.
//! Pure and deterministic; the method is documented in docs/analysis.md ("Comparing
//! scenarios").
//!
//! # What differs
//!
//! The two effective matrices are compared directly, so any pair of selections works
//! (a scenario against the base assessment, or one scenario against another): every
//! group or criterion weight whose value differs, every cell (of a mechanism present on
//! both sides) whose value differs, and every mechanism present on one side only
//! (excluded, or added, by one of the scenarios). These are the *changes*.
//!
//! # Attribution
//!
//! A mechanism's composite total depends only on its own cells and on the weights, so
//! only the weight changes and the score changes of its own row can move its total.
//! Each of these is applied **alone** to the baseline; its *effect* is the mechanism's
//! total then minus its baseline total (and its *rank alone* the rank it would then
//! have). The effects of several changes need not add up — a heavier group amplifies a
//! score change inside it, and indices are renormalised — so what is left,
//! `total change − Σ effects`, is reported as the *interaction* of the changes.
//!
//! Its rank is `1 + ` the number of mechanisms strictly ahead of it (ties within 1e-9
//! share a rank). The rank change is split exactly into the mechanisms it passed
//! (ahead before, not ahead now), those that passed it, those that were ahead and are
//! no longer ranked (excluded, or without a total), and those ranked ahead now that
//! were not ranked before (added, or with a new total):
//! `Δrank = |passed by| + |new ahead| − |passed| − |left ahead|`.

mod attribution;
mod json;
mod prose;
mod types;

pub use types::*;

use attribution::{apply_alone, explain, find_changes, presence_reason, row_index};

use std::collections::HashMap;

use super::gates;
use super::sensitivity::first_place_change;
use super::{Results, Selection, SelectionError, effective_matrix, results_from_matrix};
use crate::model::*;

/// Compares `scenario` with `baseline` (see the module documentation). Both
/// selections should use the same scores (analyst, round or consensus); any cell that
/// differs is reported as a score change.
pub fn compare(
    project: &Project,
    baseline: &Selection,
    scenario: &Selection,
) -> Result<Comparison, SelectionError> {
    let fw = &project.framework;
    let mb = effective_matrix(project, baseline)?;
    let ms = effective_matrix(project, scenario)?;
    let rb = results_from_matrix(fw, &mb, baseline);
    let rs = results_from_matrix(fw, &ms, scenario);
    let base_side = side(project, baseline);
    let scen_side = side(project, scenario);

    let idx_b: HashMap<&str, usize> = row_index(&mb);
    let idx_s: HashMap<&str, usize> = row_index(&ms);
    // The union, in baseline order then the scenario's own.
    let mut union: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    for (i, r) in mb.rows.iter().enumerate() {
        union.push((Some(i), idx_s.get(r.mechanism_id.as_str()).copied()));
    }
    for (j, r) in ms.rows.iter().enumerate() {
        if !idx_b.contains_key(r.mechanism_id.as_str()) {
            union.push((None, Some(j)));
        }
    }

    let changes = find_changes(project, &mb, &ms, &union, baseline, scenario);

    // Each weight or score change applied alone to the baseline.
    let alone: Vec<Option<Results>> = changes
        .iter()
        .map(|c| {
            apply_alone(&mb, &ms, &idx_b, &idx_s, c).map(|m| results_from_matrix(fw, &m, baseline))
        })
        .collect();

    let values = |r: &Results, i: usize| {
        let m = &r.mechanisms[i];
        SideValues {
            rank: m.rank,
            total: m.total,
            groups: m.groups.iter().map(|g| g.index).collect(),
            viable: m.viable(),
            failed_gates: gates::failures(fw, m),
            rank_range: m.rank_range,
            open_cells: m.open_cells,
            unranked_by_rule: m.unranked_by_rule,
        }
    };
    let mut mechanisms: Vec<MechanismComparison> = union
        .iter()
        .map(|&(b, s)| {
            let row = b.map_or_else(|| &ms.rows[s.unwrap()], |b| &mb.rows[b]);
            let presence = match (b, s) {
                (Some(_), Some(_)) => Presence::Both,
                (Some(_), None) => Presence::BaselineOnly,
                _ => Presence::ScenarioOnly,
            };
            MechanismComparison {
                id: row.mechanism_id.clone(),
                name: row.name.clone(),
                kind: row.kind,
                presence,
                presence_reason: presence_reason(
                    project,
                    baseline,
                    scenario,
                    &row.mechanism_id,
                    presence,
                ),
                baseline: b.map(|i| values(&rb, i)),
                scenario: s.map(|j| values(&rs, j)),
            }
        })
        .collect();

    let mut explanations: Vec<Explanation> = Vec::new();
    for (u, &(b, s)) in union.iter().enumerate() {
        let m = &mechanisms[u];
        if let Some(e) = explain(m, b, s, &changes, &alone, &mechanisms) {
            explanations.push(e);
        }
    }
    let union_pos: HashMap<&str, usize> = mechanisms
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    explanations.sort_by(|x, y| {
        let key = |e: &Explanation| {
            let group = match e.presence {
                Presence::Both => 0,
                Presence::BaselineOnly => 1,
                Presence::ScenarioOnly => 2,
            };
            let shift = match (e.baseline_rank, e.scenario_rank) {
                (Some(a), Some(b)) => a.abs_diff(b),
                (None, None) => 0,
                _ => usize::MAX,
            };
            let dt = match (e.baseline_total, e.scenario_total) {
                (Some(a), Some(b)) => (b - a).abs(),
                _ => 0.0,
            };
            let rank = match e.presence {
                Presence::ScenarioOnly => e.scenario_rank,
                _ => e.baseline_rank,
            }
            .unwrap_or(usize::MAX);
            (
                group,
                std::cmp::Reverse(shift),
                dt,
                rank,
                union_pos[e.mechanism_id.as_str()],
            )
        };
        let (kx, ky) = (key(x), key(y));
        kx.0.cmp(&ky.0)
            .then(kx.1.cmp(&ky.1))
            .then(ky.2.total_cmp(&kx.2))
            .then(kx.3.cmp(&ky.3))
            .then(kx.4.cmp(&ky.4))
    });

    // Rows: baseline rank order, then the scenario's own by scenario rank.
    let order_key = |m: &MechanismComparison| match m.presence {
        Presence::ScenarioOnly => (
            1,
            m.scenario
                .as_ref()
                .and_then(|v| v.rank)
                .unwrap_or(usize::MAX),
        ),
        _ => (
            0,
            m.baseline
                .as_ref()
                .and_then(|v| v.rank)
                .unwrap_or(usize::MAX),
        ),
    };
    mechanisms.sort_by_key(order_key); // stable: ties stay in project order

    Ok(Comparison {
        baseline: base_side,
        scenario: scen_side,
        ranking_rule: project.settings.ranking_rule,
        viewpoint: mb.viewpoint.clone(),
        scenario_viewpoint: ms.viewpoint.clone(),
        mechanisms,
        changes,
        explanations,
        baseline_stability: first_place_change(fw, &mb),
        scenario_stability: first_place_change(fw, &ms),
    })
}

/// The ranks of every mechanism in each selection (e.g. the base assessment and every
/// scenario: see `baseline_and_scenarios`).
pub fn rank_paths(project: &Project, columns: &[Selection]) -> Result<RankPaths, SelectionError> {
    let fw = &project.framework;
    let mut results = Vec::with_capacity(columns.len());
    for sel in columns {
        let m = effective_matrix(project, sel)?;
        results.push(results_from_matrix(fw, &m, sel));
    }
    let mut mechanisms: Vec<RankPath> = Vec::new();
    let mut pos: HashMap<String, usize> = HashMap::new();
    let n = columns.len();
    for (c, r) in results.iter().enumerate() {
        for m in &r.mechanisms {
            let i = *pos.entry(m.id.clone()).or_insert_with(|| {
                mechanisms.push(RankPath {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    kind: m.kind,
                    present: vec![false; n],
                    ranks: vec![None; n],
                    ranges: vec![None; n],
                    totals: vec![None; n],
                    positions: vec![None; n],
                });
                mechanisms.len() - 1
            });
            mechanisms[i].present[c] = true;
            mechanisms[i].ranks[c] = m.rank;
            mechanisms[i].ranges[c] = m.rank_range;
            mechanisms[i].totals[c] = m.total;
        }
    }
    for c in 0..n {
        let mut ranked: Vec<usize> = (0..mechanisms.len())
            .filter(|&i| mechanisms[i].ranks[c].is_some())
            .collect();
        ranked.sort_by_key(|&i| mechanisms[i].ranks[c]);
        for (p, &i) in ranked.iter().enumerate() {
            mechanisms[i].positions[c] = Some(p + 1);
        }
    }
    Ok(RankPaths {
        columns: columns.iter().map(|s| side(project, s)).collect(),
        mechanisms,
    })
}

/// `base` (its scenario cleared), then the same selection with each of the project's
/// scenarios, in project order.
pub fn baseline_and_scenarios(project: &Project, base: &Selection) -> Vec<Selection> {
    let base = Selection {
        scenario: None,
        ..base.clone()
    };
    std::iter::once(base.clone())
        .chain(project.scenarios.iter().map(|s| Selection {
            scenario: Some(s.id.clone()),
            ..base.clone()
        }))
        .collect()
}
