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

use std::collections::HashMap;

use serde_json::{Value, json};

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

    /// One English sentence, e.g. "The weight of the group 'Concerns' doubled (1 → 2)."
    pub fn describe(&self) -> String {
        match self {
            Change::GroupWeight { .. } | Change::CriterionWeight { .. } => {
                format!("{}.", capitalise(&self.phrase()))
            }
            Change::Score { mechanism_name, .. } => {
                format!(
                    "'{mechanism_name}': {}.",
                    self.phrase().trim_start_matches("its ")
                )
            }
            Change::Membership {
                mechanism_name,
                reason,
                ..
            } => format!("'{mechanism_name}' is {reason}."),
        }
    }

    /// The change as a clause, e.g. "the weight of the group 'Concerns' doubled
    /// (1 → 2)" or "its 'Opacity' score rose 2 → 4".
    fn phrase(&self) -> String {
        match self {
            Change::GroupWeight { name, from, to, .. } => {
                format!(
                    "the weight of the group '{name}' {}",
                    weight_verb(*from, *to)
                )
            }
            Change::CriterionWeight { name, from, to, .. } => {
                format!("the weight of '{name}' {}", weight_verb(*from, *to))
            }
            Change::Score {
                criterion_name,
                from,
                to,
                ..
            } => format!("its '{criterion_name}' score {}", score_verb(*from, *to)),
            Change::Membership {
                mechanism_name,
                reason,
                ..
            } => format!("'{mechanism_name}' is {reason}"),
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

    /// The machine-readable form (documented in docs/analysis.md).
    pub fn to_json(&self, project: &Project) -> Value {
        let side = |s: &Side| {
            json!({
                "scenario": s.selection.scenario,
                "label": s.label,
                "hypothetical": s.hypothetical,
            })
        };
        let fw = &project.framework;
        let values = |v: &Option<SideValues>| match v {
            None => Value::Null,
            Some(v) => {
                let groups: serde_json::Map<String, Value> = fw
                    .groups
                    .iter()
                    .zip(&v.groups)
                    .map(|(g, x)| (g.id.clone(), opt4(*x)))
                    .collect();
                json!({"rank": v.rank, "total": opt4(v.total), "groups": groups, "viable": v.viable})
            }
        };
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                let mut o = match c {
                    Change::GroupWeight { id, from, to, .. } => {
                        json!({"group": id, "from": from, "to": to})
                    }
                    Change::CriterionWeight { id, from, to, .. } => {
                        json!({"criterion": id, "from": from, "to": to})
                    }
                    Change::Score {
                        mechanism_id,
                        criterion_id,
                        from,
                        to,
                        rationale,
                        ..
                    } => json!({
                        "mechanism": mechanism_id, "criterion": criterion_id,
                        "from": score_json(*from), "to": score_json(*to), "rationale": rationale,
                    }),
                    Change::Membership {
                        mechanism_id,
                        reason,
                        ..
                    } => json!({"mechanism": mechanism_id, "reason": reason}),
                };
                o["kind"] = json!(c.kind_str());
                o["text"] = json!(c.describe());
                o
            })
            .collect();
        let mechanisms: Vec<Value> = self
            .mechanisms
            .iter()
            .map(|m| {
                json!({
                    "id": m.id, "name": m.name, "kind": m.kind.as_str(),
                    "presence": m.presence.as_str(),
                    "presence_reason": m.presence_reason,
                    "baseline": values(&m.baseline),
                    "scenario": values(&m.scenario),
                    "rank_change": m.rank_delta(),
                    "total_change": opt4(m.total_delta()),
                })
            })
            .collect();
        let explanations: Vec<Value> = self
            .explanations
            .iter()
            .map(|e| {
                json!({
                    "mechanism": e.mechanism_id,
                    "presence": e.presence.as_str(),
                    "rank": [e.baseline_rank, e.scenario_rank],
                    "total": [opt4(e.baseline_total), opt4(e.scenario_total)],
                    "contributions": e.contributions.iter().map(|c| json!({
                        "change": c.change,
                        "effect": opt4(c.effect),
                        "rank_alone": c.rank_alone,
                    })).collect::<Vec<_>>(),
                    "interaction": opt4(e.interaction),
                    "passed": e.passed,
                    "passed_by": e.passed_by,
                    "left_ahead": e.left_ahead,
                    "new_ahead": e.new_ahead,
                    "text": e.text,
                })
            })
            .collect();
        json!({
            "project": project.info.title,
            "analyst": self.baseline.selection.analyst,
            "baseline": side(&self.baseline),
            "scenario": side(&self.scenario),
            "groups": fw.groups.iter().map(|g| json!({"id": g.id, "name": g.name, "role": g.role.as_str()})).collect::<Vec<_>>(),
            "changes": changes,
            "mechanisms": mechanisms,
            "explanations": explanations,
            "stability": {
                "baseline": self.baseline_stability.describe(),
                "scenario": self.scenario_stability.describe(),
            },
        })
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

// ---------------------------------------------------------------------------------
// Internals

fn row_index(m: &Matrix) -> HashMap<&str, usize> {
    m.rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.mechanism_id.as_str(), i))
        .collect()
}

fn differs(a: f64, b: f64) -> bool {
    (a - b).abs() > 1e-12 * a.abs().max(b.abs()).max(1.0)
}

fn override_of<'a>(
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

fn find_changes(
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

fn presence_reason(
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
fn apply_alone(
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

fn ahead(other: Option<f64>, of: f64) -> bool {
    other.is_some_and(|o| o > of + TIE_EPS)
}

fn explain(
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
            return Some(e);
        }
        Presence::ScenarioOnly => {
            e.text = format!(
                "{}: {}.",
                capitalise(&m.presence_reason),
                side_summary("in the scenario", e.scenario_rank, e.scenario_total)
            );
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
    if !total_moved && e.baseline_rank == e.scenario_rank {
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
    Some(e)
}

fn side_summary(where_: &str, rank: Option<usize>, total: Option<f64>) -> String {
    match (rank, total) {
        (Some(r), Some(t)) => format!("rank {r}, total {} {where_}", fmt1(t)),
        _ => format!("no total {where_}: too little assessed"),
    }
}

fn explanation_text(
    e: &Explanation,
    changes: &[Change],
    passed: &[&MechanismComparison],
    passed_by: &[&MechanismComparison],
    left: &[&MechanismComparison],
    new: &[&MechanismComparison],
    scen_total: f64,
) -> String {
    let rank = match (e.baseline_rank, e.scenario_rank) {
        (Some(a), Some(b)) if a == b => format!("Rank {a} (unchanged)"),
        (Some(a), Some(b)) => format!("Rank {a} → {b}"),
        (Some(a), None) => format!("Rank {a} → no total (too little assessed)"),
        (None, Some(b)) => format!("No total → rank {b}"),
        (None, None) => "No total on either side".to_string(),
    };
    let total = match (e.baseline_total, e.scenario_total) {
        (Some(x), Some(y)) if (x - y).abs() <= TIE_EPS => format!("total unchanged ({})", fmt1(x)),
        (Some(x), Some(y)) => format!("total {} → {} ({})", fmt1(x), fmt1(y), signed(y - x)),
        _ => String::new(),
    };
    let mut head = rank;
    if !total.is_empty() {
        head.push_str(", ");
        head.push_str(&total);
    }
    let mut items: Vec<String> = Vec::new();
    for c in &e.contributions {
        let phrase = changes[c.change].phrase();
        match c.effect {
            Some(x) if x.abs() >= SHOW_EPS => {
                let unit = if items.is_empty() { " points" } else { "" };
                items.push(format!("{phrase} ({}{unit})", signed(x)));
            }
            Some(_) if matches!(changes[c.change], Change::Score { .. }) => {
                items.push(format!("{phrase} (no effect on the total)"));
            }
            Some(_) => {}
            None => items.push(phrase),
        }
    }
    if let Some(i) = e.interaction
        && i.abs() >= SHOW_EPS
    {
        items.push(format!("the changes interact ({})", signed(i)));
    }
    let mut out = head;
    if items.is_empty() {
        out.push('.');
    } else {
        out.push_str(": ");
        out.push_str(&items.join("; "));
        out.push('.');
    }
    let mut rank_parts: Vec<String> = Vec::new();
    if !passed.is_empty() {
        let level: Vec<&MechanismComparison> = passed
            .iter()
            .copied()
            .filter(|o| {
                o.scenario
                    .as_ref()
                    .and_then(|v| v.total)
                    .is_some_and(|t| (t - scen_total).abs() <= TIE_EPS)
            })
            .collect();
        let strict: Vec<&MechanismComparison> = passed
            .iter()
            .copied()
            .filter(|o| !level.iter().any(|l| l.id == o.id))
            .collect();
        if !strict.is_empty() {
            rank_parts.push(format!("It passed {}", names(&strict)));
        }
        if !level.is_empty() {
            rank_parts.push(format!("It drew level with {}", names(&level)));
        }
    }
    if !passed_by.is_empty() {
        rank_parts.push(format!("{} passed it", capitalise_quote(&names(passed_by))));
    }
    if !left.is_empty() {
        let parts: Vec<String> = left
            .iter()
            .take(MAX_NAMES)
            .map(|o| {
                let why = if o.presence == Presence::BaselineOnly {
                    o.presence_reason.clone()
                } else {
                    "no total in the scenario".to_string()
                };
                format!("'{}' ({why})", o.name)
            })
            .collect();
        let more = left.len().saturating_sub(MAX_NAMES);
        let list = join_list(&parts, more);
        let verb = if left.len() == 1 { "is" } else { "are" };
        rank_parts.push(format!("{list} {verb} no longer ranked ahead of it"));
    }
    if !new.is_empty() {
        let parts: Vec<String> = new
            .iter()
            .take(MAX_NAMES)
            .map(|o| {
                let why = if o.presence == Presence::ScenarioOnly {
                    o.presence_reason.clone()
                } else {
                    "no total in the baseline".to_string()
                };
                format!("'{}' ({why})", o.name)
            })
            .collect();
        let more = new.len().saturating_sub(MAX_NAMES);
        let list = join_list(&parts, more);
        let verb = if new.len() == 1 { "ranks" } else { "rank" };
        rank_parts.push(format!("{list} now {verb} ahead of it"));
    }
    for p in rank_parts {
        out.push(' ');
        out.push_str(&p);
        out.push('.');
    }
    out
}

fn names(list: &[&MechanismComparison]) -> String {
    let parts: Vec<String> = list
        .iter()
        .take(MAX_NAMES)
        .map(|o| format!("'{}'", o.name))
        .collect();
    join_list(&parts, list.len().saturating_sub(MAX_NAMES))
}

/// "a", "a and b", "a, b and c", "a, b, c and 4 others".
fn join_list(parts: &[String], more: usize) -> String {
    let mut v: Vec<String> = parts.to_vec();
    match more {
        0 => {}
        1 => v.push("one other".to_string()),
        n => v.push(format!("{n} others")),
    }
    match v.len() {
        0 => String::new(),
        1 => v[0].clone(),
        n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Capitalises the first letter unless the text starts with a quoted name.
fn capitalise_quote(s: &str) -> String {
    if s.starts_with('\'') {
        s.to_string()
    } else {
        capitalise(s)
    }
}

fn weight_verb(from: f64, to: f64) -> String {
    let arrow = format!("from {} to {}", format_value(from), format_value(to));
    let ratio = if from > 0.0 { to / from } else { f64::NAN };
    let near = |x: f64| (ratio - x).abs() < 1e-9;
    let verb = if near(2.0) {
        "doubled"
    } else if near(3.0) {
        "tripled"
    } else if near(0.5) {
        "halved"
    } else if to > from {
        "rose"
    } else {
        "fell"
    };
    format!("{verb} {arrow}")
}

fn value_words(v: ScoreValue) -> String {
    match v {
        ScoreValue::Value(x) => format_value(x),
        ScoreValue::NotAssessed => "not assessed".to_string(),
        ScoreValue::NotApplicable => "not applicable".to_string(),
    }
}

fn score_verb(from: ScoreValue, to: ScoreValue) -> String {
    match (from, to) {
        (ScoreValue::Value(a), ScoreValue::Value(b)) => {
            let verb = if b > a { "rose" } else { "fell" };
            format!("{verb} {} → {}", format_value(a), format_value(b))
        }
        _ => format!("changed from {} to {}", value_words(from), value_words(to)),
    }
}

fn score_json(v: ScoreValue) -> Value {
    match v {
        ScoreValue::Value(x) => json!(x),
        ScoreValue::NotAssessed => json!("not_assessed"),
        ScoreValue::NotApplicable => json!("not_applicable"),
    }
}

fn opt4(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!((v * 10_000.0).round() / 10_000.0))
}

/// `x` rounded to one decimal, halves away from zero (56.25 → 56.3).
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A total with one decimal.
fn fmt1(x: f64) -> String {
    let s = format!("{:.1}", round1(x));
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s.replace('-', "−")
    }
}

/// A signed difference with one decimal: "+3.8", "−1.3".
fn signed(x: f64) -> String {
    let s = format!("{:.1}", round1(x.abs()));
    if s == "0.0" {
        "±0.0".to_string()
    } else if x > 0.0 {
        format!("+{s}")
    } else {
        format!("−{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_and_lists() {
        assert_eq!(weight_verb(1.0, 2.0), "doubled from 1 to 2");
        assert_eq!(weight_verb(2.0, 1.0), "halved from 2 to 1");
        assert_eq!(weight_verb(1.0, 1.5), "rose from 1 to 1.5");
        assert_eq!(weight_verb(1.0, 0.0), "fell from 1 to 0");
        assert_eq!(weight_verb(0.0, 1.0), "rose from 0 to 1");
        assert_eq!(
            score_verb(ScoreValue::Value(2.0), ScoreValue::NotAssessed),
            "changed from 2 to not assessed"
        );
        assert_eq!(
            score_verb(ScoreValue::Value(3.0), ScoreValue::Value(0.0)),
            "fell 3 → 0"
        );
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_list(&p(&["a"]), 0), "a");
        assert_eq!(join_list(&p(&["a", "b", "c"]), 0), "a, b and c");
        assert_eq!(join_list(&p(&["a", "b", "c"]), 4), "a, b, c and 4 others");
        assert_eq!(signed(-10.625), "−10.6");
        assert_eq!(signed(6.25), "+6.3");
        assert_eq!(fmt1(56.25), "56.3");
        assert_eq!(signed(0.01), "±0.0");
        assert_eq!(fmt1(55.0), "55.0");
    }
}
