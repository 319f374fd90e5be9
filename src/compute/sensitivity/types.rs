//! What the sensitivity analysis answers with: the weights that can move, the part of
//! the ranking that must hold, stability intervals and the changes at their ends, and
//! the smallest weight and score changes that change who is first.

use crate::model::Framework;

/// A weight that can be moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WeightTarget {
    /// A group weight (group index in framework order).
    Group(usize),
    /// A criterion weight (flat criterion index, as in `Weights::criteria`).
    Criterion(usize),
}

/// Every weight that can be moved: the groups, then the criteria, in framework order.
pub fn weight_targets(fw: &Framework) -> Vec<WeightTarget> {
    (0..fw.groups.len())
        .map(WeightTarget::Group)
        .chain((0..fw.criterion_count()).map(WeightTarget::Criterion))
        .collect()
}

/// Which part of the ranking must stay the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankScope {
    /// The first `k` places (`Top(1)`: who is first). `Top(0)` counts as `Top(1)`.
    Top(usize),
    /// The whole ranking of the mechanisms that have a total.
    All,
}

impl Default for RankScope {
    fn default() -> Self {
        RankScope::Top(1)
    }
}

impl RankScope {
    pub(super) fn k(self) -> usize {
        match self {
            RankScope::Top(k) => k.max(1),
            RankScope::All => usize::MAX,
        }
    }
}

/// What changes in the ranking at the end of a stability interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shift {
    /// `row` gets a better rank than it has now, within the first k places: it draws
    /// level with or passes `ahead`, which was strictly ahead of it (None when `row`
    /// had no total before and now has one).
    Rises { row: usize, ahead: Option<usize> },
    /// `row` has a rank now and loses its total (whole-ranking scope only).
    LosesTotal { row: usize },
}

/// The change at one end of a stability interval.
#[derive(Clone, Debug, PartialEq)]
pub struct RankChange {
    /// Share at which the ranking changes: there two totals draw level (or a coverage
    /// threshold is crossed); any further move keeps the change, at least at first.
    pub share: f64,
    /// The same point as a raw weight, the other raw weights left as they are.
    pub raw: f64,
    /// Rows (matrix order) ranked first just beyond the change.
    pub first_after: Vec<usize>,
    /// One mechanism that moves (the best placed one, then the first in matrix order).
    pub shift: Shift,
}

/// How far one weight can move without changing the ranking (in the chosen scope).
#[derive(Clone, Debug, PartialEq)]
pub struct WeightInterval {
    pub target: WeightTarget,
    /// Name of the criterion or group.
    pub label: String,
    /// False when the share cannot move: the target is the only weight of its level
    /// with a positive weight (or the level's weights are all zero).
    pub movable: bool,
    /// Share of the target in its level (0–1).
    pub current_share: f64,
    pub low_share: f64,
    pub high_share: f64,
    /// Raw weights (other raw weights of the level unchanged). `high_raw` is
    /// `f64::INFINITY` when the interval reaches share 1.
    pub current_raw: f64,
    pub low_raw: f64,
    pub high_raw: f64,
    /// The change just below `low_share`; None when the interval reaches share 0 and
    /// nothing changes down to it.
    pub low_change: Option<RankChange>,
    /// The change just above `high_share`; None when nothing changes up to share 1.
    pub high_change: Option<RankChange>,
}

impl WeightInterval {
    /// Width of the interval in share (0–1).
    pub fn width(&self) -> f64 {
        self.high_share - self.low_share
    }
}

/// Moving one weight far enough to change who is first.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightFlip {
    pub target: WeightTarget,
    pub label: String,
    pub from_share: f64,
    /// Where the newcomer ties for first; any further move puts it ahead.
    pub to_share: f64,
    pub from_raw: f64,
    /// `f64::INFINITY` when `to_share` is 1 (all other weights of the level at zero).
    pub to_raw: f64,
    /// Rows first now, and first just beyond `to_share`.
    pub old_first: Vec<usize>,
    pub new_first: Vec<usize>,
    pub old_first_names: Vec<String>,
    pub new_first_names: Vec<String>,
}

impl WeightFlip {
    /// Size of the move in share points (0–100).
    pub fn points(&self) -> f64 {
        100.0 * (self.to_share - self.from_share).abs()
    }
}

/// Changing one score of the effective matrix far enough to change who is first.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreFlip {
    /// Row of the effective matrix.
    pub row: usize,
    /// Flat criterion index.
    pub criterion: usize,
    pub mechanism_name: String,
    pub criterion_name: String,
    pub from_value: f64,
    /// A level of the criterion's scale.
    pub to_value: f64,
    /// Scale points moved (`|to − from|`; whole steps unless `from` is a median
    /// between two levels).
    pub steps: f64,
    pub old_first: Vec<usize>,
    pub new_first: Vec<usize>,
    pub old_first_names: Vec<String>,
    pub new_first_names: Vec<String>,
}

/// The smallest single changes that would change who is first.
#[derive(Clone, Debug, PartialEq)]
pub struct FirstChange {
    /// Rows ranked first now (several when tied); empty when no mechanism has a total.
    pub first: Vec<usize>,
    pub first_names: Vec<String>,
    /// The smallest weight moves (in share points) that bring a mechanism that is not
    /// first now into first place; all of the same size, in framework order (groups,
    /// then criteria). Empty when no single weight can.
    pub by_weight: Vec<WeightFlip>,
    /// The smallest score changes (in scale points) that do it; all of the same size,
    /// in matrix order (row, then criterion). Empty when no single score can.
    pub by_score: Vec<ScoreFlip>,
}
