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

use attribution::*;
use prose::*;

use std::collections::HashMap;

use super::sensitivity::{FirstChange, first_place_change};
use super::{Matrix, Results, Selection, SelectionError, effective_matrix, results_from_matrix};
use crate::model::*;

/// Totals closer than this are tied (as in `stats::competition_ranks`).
const TIE_EPS: f64 = 1e-9;
/// Effects smaller than this (in points of total) are not named in a sentence.
const SHOW_EPS: f64 = 0.05;
/// Names listed in a sentence before "and N others".
const MAX_NAMES: usize = 3;

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    pub selection: Selection,
    /// "Base assessment", or the scenario's name.
    pub label: String,
    /// A scenario: hypothetical by definition, and labelled so.
    pub hypothetical: bool,
}

/// Describes a selection for a comparison (an unknown scenario id is labelled with
/// the id itself).
pub fn side(project: &Project, sel: &Selection) -> Side {
    match sel.scenario.as_deref() {
        None => Side {
            selection: sel.clone(),
            label: "Base assessment".to_string(),
            hypothetical: false,
        },
        Some(id) => Side {
            selection: sel.clone(),
            label: project
                .scenario(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone()),
            hypothetical: true,
        },
    }
}

/// On which sides a mechanism is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Presence {
    Both,
    /// In the baseline only: excluded by the scenario, or added by the baseline's.
    BaselineOnly,
    /// In the scenario only: added by it, or excluded by the baseline's scenario.
    ScenarioOnly,
}

impl Presence {
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Both => "both",
            Presence::BaselineOnly => "baseline_only",
            Presence::ScenarioOnly => "scenario_only",
        }
    }
}

/// A mechanism's results on one side.
#[derive(Clone, Debug, PartialEq)]
pub struct SideValues {
    pub rank: Option<usize>,
    pub total: Option<f64>,
    /// Group indices, in framework order.
    pub groups: Vec<Option<f64>>,
    pub viable: bool,
}

/// One mechanism on both sides.
#[derive(Clone, Debug, PartialEq)]
pub struct MechanismComparison {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub presence: Presence,
    /// Why it is on one side only, e.g. "excluded in the scenario"; empty when on both.
    pub presence_reason: String,
    pub baseline: Option<SideValues>,
    pub scenario: Option<SideValues>,
}

impl MechanismComparison {
    /// Scenario rank − baseline rank (positive = placed lower in the scenario); None
    /// unless ranked on both sides.
    pub fn rank_delta(&self) -> Option<i64> {
        let b = self.baseline.as_ref()?.rank?;
        let s = self.scenario.as_ref()?.rank?;
        Some(s as i64 - b as i64)
    }

    /// Scenario total − baseline total; None unless there is a total on both sides.
    pub fn total_delta(&self) -> Option<f64> {
        Some(self.scenario.as_ref()?.total? - self.baseline.as_ref()?.total?)
    }
}

/// One difference between the two sides.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A group weight (group index in framework order).
    GroupWeight {
        group: usize,
        id: String,
        name: String,
        from: f64,
        to: f64,
    },
    /// A criterion weight (flat criterion index, as in `Weights::criteria`).
    CriterionWeight {
        criterion: usize,
        id: String,
        name: String,
        group_name: String,
        from: f64,
        to: f64,
    },
    /// A cell of a mechanism present on both sides.
    Score {
        mechanism_id: String,
        mechanism_name: String,
        /// Flat criterion index.
        criterion: usize,
        criterion_id: String,
        criterion_name: String,
        from: ScoreValue,
        to: ScoreValue,
        /// The scenario's override gives the new value.
        overridden_in_scenario: bool,
        /// The baseline's value came from its scenario's override.
        overridden_in_baseline: bool,
        /// The rationale of the scenario's override, if any.
        rationale: Option<String>,
    },
    /// A mechanism on one side only.
    Membership {
        mechanism_id: String,
        mechanism_name: String,
        presence: Presence,
        reason: String,
    },
}

impl Change {
    /// A short machine name: group_weight, criterion_weight, score, excluded, added.
    pub fn kind_str(&self) -> &'static str {
        match self {
            Change::GroupWeight { .. } => "group_weight",
            Change::CriterionWeight { .. } => "criterion_weight",
            Change::Score { .. } => "score",
            Change::Membership {
                presence: Presence::BaselineOnly,
                ..
            } => "baseline_only",
            Change::Membership { .. } => "scenario_only",
        }
    }
}

/// The effect of one change, applied alone to the baseline, on one mechanism.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    /// Index into `Comparison::changes`.
    pub change: usize,
    /// Total with this change alone − baseline total, in points; None when either
    /// has no total.
    pub effect: Option<f64>,
    /// The mechanism's rank with this change alone.
    pub rank_alone: Option<usize>,
}

/// What moved for one mechanism, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub mechanism_id: String,
    pub name: String,
    pub presence: Presence,
    pub baseline_rank: Option<usize>,
    pub scenario_rank: Option<usize>,
    pub baseline_total: Option<f64>,
    pub scenario_total: Option<f64>,
    /// The weight changes and the changes of its own scores that move its total, in
    /// the order of `Comparison::changes` (weight changes without any effect on it are
    /// left out).
    pub contributions: Vec<Contribution>,
    /// Total change − the sum of the effects; None when not computable or when there
    /// are no contributions.
    pub interaction: Option<f64>,
    /// Ids of mechanisms that were ahead of it and are not now (both ranked on both
    /// sides), best placed in the scenario first.
    pub passed: Vec<String>,
    /// Ids of mechanisms that were not ahead of it and are now.
    pub passed_by: Vec<String>,
    /// Ids of mechanisms that were ahead of it and are no longer ranked (on the
    /// baseline side only, or without a total in the scenario).
    pub left_ahead: Vec<String>,
    /// Ids of mechanisms ranked ahead of it now that were not ranked before.
    pub new_ahead: Vec<String>,
    /// The explanation in plain English, without the mechanism's name, e.g. "Rank 2 →
    /// 5, total 65.6 → 55.0 (−10.6): the weight of the group 'Concerns' doubled
    /// (1 → 2) (−10.6 points). 'D' and 'C' passed it."
    pub text: String,
}

/// Two selections of a project side by side.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub baseline: Side,
    pub scenario: Side,
    /// Every mechanism of either side: the baseline's by baseline rank (those without
    /// a total last), then those of the scenario only by scenario rank; ties in
    /// project order.
    pub mechanisms: Vec<MechanismComparison>,
    /// Every difference: weights (groups, then criteria, framework order), scores
    /// (mechanism, then criterion), then mechanisms on one side only.
    pub changes: Vec<Change>,
    /// Mechanisms whose rank, total or presence changed: the biggest rank moves first,
    /// then the biggest total moves; then those on one side only.
    pub explanations: Vec<Explanation>,
    /// The smallest single changes that would change who is first, on each side.
    pub baseline_stability: FirstChange,
    pub scenario_stability: FirstChange,
}

impl Comparison {
    pub fn mechanism(&self, id: &str) -> Option<&MechanismComparison> {
        self.mechanisms.iter().find(|m| m.id == id)
    }

    pub fn explanation(&self, id: &str) -> Option<&Explanation> {
        self.explanations.iter().find(|e| e.mechanism_id == id)
    }
}

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
        mechanisms,
        changes,
        explanations,
        baseline_stability: first_place_change(fw, &mb),
        scenario_stability: first_place_change(fw, &ms),
    })
}

/// The ranks of every mechanism across several selections: the input of the
/// rank-changes (bump) chart.
#[derive(Clone, Debug, PartialEq)]
pub struct RankPaths {
    /// One column per selection, in the order given.
    pub columns: Vec<Side>,
    /// Every mechanism of any column: the first column's rows, then each later
    /// column's new ones, in matrix order.
    pub mechanisms: Vec<RankPath>,
}

/// One mechanism across the columns of `RankPaths`.
#[derive(Clone, Debug, PartialEq)]
pub struct RankPath {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// Per column: in that column's matrix at all.
    pub present: Vec<bool>,
    /// Per column: competition rank (None: absent or without a total).
    pub ranks: Vec<Option<usize>>,
    pub totals: Vec<Option<f64>>,
    /// Per column: place 1, 2, 3… by total with ties broken in the order of
    /// `mechanisms` (one mechanism per place, for drawing); None when unranked.
    pub positions: Vec<Option<usize>>,
}

impl RankPath {
    /// Rank in the last column − rank in the first (positive = placed lower).
    pub fn rank_delta(&self) -> Option<i64> {
        let first = (*self.ranks.first()?)?;
        let last = (*self.ranks.last()?)?;
        Some(last as i64 - first as i64)
    }
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
                    totals: vec![None; n],
                    positions: vec![None; n],
                });
                mechanisms.len() - 1
            });
            mechanisms[i].present[c] = true;
            mechanisms[i].ranks[c] = m.rank;
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
