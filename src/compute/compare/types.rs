//! What a comparison is made of: its two sides, each mechanism's values on both, the
//! changes between them and their explanation, and the ranks of every mechanism
//! across several selections (rank paths).

use crate::compute::Selection;
use crate::compute::gates::{self, GateFailure, Viability};
use crate::compute::sensitivity::FirstChange;
use crate::model::*;

/// Totals closer than this are tied (as in `stats::competition_ranks`).
pub(super) const TIE_EPS: f64 = 1e-9;
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
    /// The requirement gates it fails on this side (empty when viable).
    pub failed_gates: Vec<GateFailure>,
    /// Best and worst rank the not-assessed cells allow (`MechanismResult::rank_range`).
    pub rank_range: Option<(usize, usize)>,
    /// Its own not-assessed cells that could move its total.
    pub open_cells: usize,
    /// Left unranked by the ranking rule.
    pub unranked_by_rule: bool,
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

    /// How its viability compares between the two sides.
    pub fn viability(&self) -> Viability {
        gates::viability(self.baseline_gates(), self.scenario_gates())
    }

    /// The viability in words, or None when viable on every side it is on, e.g.
    /// "becomes not viable: fails 'Organisational structure' (0 < 1)".
    pub fn viability_text(&self) -> Option<String> {
        gates::viability_text(self.baseline_gates(), self.scenario_gates())
    }

    fn baseline_gates(&self) -> Option<&[GateFailure]> {
        self.baseline.as_ref().map(|v| v.failed_gates.as_slice())
    }

    fn scenario_gates(&self) -> Option<&[GateFailure]> {
        self.scenario.as_ref().map(|v| v.failed_gates.as_slice())
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
    /// The project's ranking rule, which both sides follow.
    pub ranking_rule: RankingRule,
    /// The viewpoint of the baseline's totals (the scenario side's, when it differs,
    /// is `scenario_viewpoint`).
    pub viewpoint: Viewpoint,
    pub scenario_viewpoint: Viewpoint,
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
    /// Per column: best and worst rank the not-assessed cells allow.
    pub ranges: Vec<Option<(usize, usize)>>,
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
