//! How robust the composite total is to its inputs: how far each weight can move
//! before the ranking changes (weight stability intervals, for a tornado chart), and
//! the smallest single change — one weight, or one score — that would change who is
//! first. Pure and deterministic; the method is documented in docs/analysis.md §7.
//!
//! # When the ranking changes
//!
//! In the first `k` places (`RankScope::Top(k)`, or the whole ranking): when some
//! mechanism placed within the first `k` gets a better rank than it has now (it draws
//! level with or passes one that was strictly ahead of it, or it had no total and now
//! has one); for the whole ranking, also when a mechanism loses its total. Mechanisms
//! tied now may separate in either order without a change. For `k = 1` this reads: a
//! mechanism that is not first now becomes first, alone or tied.
//!
//! # How a weight moves
//!
//! A weight lives in a *level*: a criterion weight among the criteria of its group, a
//! group weight among all groups. Only normalised shares matter (every index and the
//! composite are weighted means), so a move is described by the *share* `t` of the
//! target in its level. "The others rescaled proportionally" means: the other weights
//! of the level keep their ratios to one another and share what is left, so the share
//! of another weight `j` becomes `p_j · (1 − t) / (1 − p)` where `p` is the target's
//! current share. This is exactly what happens when one edits the target's raw weight
//! and leaves the other raw weights alone; the raw weight that gives share `t` is
//! `t · S_o / (1 − t)` where `S_o` is the sum of the other raw weights of the level
//! (infinite at `t = 1`).
//!
//! # Why the composite is not linear in a share
//!
//! Every group index is renormalised over the assessed criteria of each mechanism, and
//! the composite over the groups that have an index. For a fixed set of assessed cells
//! and non-null indices, a mechanism's total is a ratio of two affine functions of `t`
//! (`(n0 + n1 t) / (d0 + d1 t)`), with a denominator that differs between mechanisms
//! when their missing scores differ. Where a coverage crosses 50 %, an index (or the
//! total) appears or vanishes and the total jumps: each mechanism has at most one such
//! breakpoint inside (0, 1). The shares 0 and 1 themselves are evaluated exactly (a
//! weight of 0 can remove a group or a criterion altogether).
//!
//! Two totals cross where `n_a d_b − n_b d_a = 0`: a quadratic in `t` (linear when the
//! denominators are proportional, e.g. when neither mechanism has a missing score in
//! the moved level). Candidate points are these roots and the coverage breakpoints;
//! between two consecutive candidates the order that matters cannot change, so the
//! ranking is checked once in each gap, walking outwards from the current share until
//! it changes.

use super::{MIN_COVERAGE, Matrix, stats};
use crate::model::*;

/// Totals closer than this are tied (as in `stats::competition_ranks`).
const TIE_EPS: f64 = 1e-9;
/// Tolerance on the coverage thresholds (as in `results_from_matrix`).
const COV_TOL: f64 = 1e-12;

/// A weight that can be moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WeightTarget {
    /// A group weight (group index in framework order).
    Group(usize),
    /// A criterion weight (flat criterion index, as in `Weights::criteria`).
    Criterion(usize),
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
    fn k(self) -> usize {
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

    /// One English sentence, e.g. "Raising the weight of 'Opacity' from 8.3% to 15.2%
    /// of its group (+6.9 points; raw weight 1 → 1.94) would make 'X' first instead
    /// of 'Y'."
    pub fn describe(&self) -> String {
        let up = self.to_share > self.from_share;
        let verb = if up { "Raising" } else { "Lowering" };
        let (what, level) = match self.target {
            WeightTarget::Group(_) => (
                format!("the weight of the group '{}'", self.label),
                "of the composite",
            ),
            WeightTarget::Criterion(_) => {
                (format!("the weight of '{}'", self.label), "of its group")
            }
        };
        let delta = self.to_share - self.from_share;
        let digits = share_digits(delta.abs());
        let raw = if self.to_raw.is_finite() {
            format!(
                "raw weight {} → {}",
                fmt_raw(self.from_raw),
                fmt_raw(self.to_raw)
            )
        } else {
            format!("all other weights {level} at zero")
        };
        format!(
            "{verb} {what} from {} to {} {level} ({}{} points; {raw}) would {}.",
            fmt_pct(self.from_share, digits),
            fmt_pct(self.to_share, digits),
            if up { "+" } else { "−" },
            fmt_num(100.0 * delta.abs(), digits),
            outcome_verb(&self.old_first_names, &self.new_first_names),
        )
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

impl ScoreFlip {
    /// One English sentence, e.g. "If 'Mekong patrols' scored 2 instead of 3 on
    /// 'Organisational structure', 'Z' would be first instead of 'Y'."
    pub fn describe(&self) -> String {
        format!(
            "If '{}' scored {} instead of {} on '{}', {}.",
            self.mechanism_name,
            format_value(self.to_value),
            format_value(self.from_value),
            self.criterion_name,
            outcome_clause(&self.old_first_names, &self.new_first_names),
        )
    }
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

impl FirstChange {
    /// A short paragraph in plain English.
    pub fn describe(&self) -> String {
        if self.first.is_empty() {
            return "No mechanism has a composite total, so there is no first place to change."
                .to_string();
        }
        let mut out = if self.first_names.len() == 1 {
            format!("'{}' is first.", self.first_names[0])
        } else {
            format!("{} share first place.", quoted_list(&self.first_names))
        };
        out.push(' ');
        match self.by_weight.first() {
            Some(w) => {
                out.push_str(&w.describe());
                push_others(&mut out, self.by_weight.len() - 1, "weight move");
            }
            None => out.push_str(
                "No single weight, moved anywhere between 0% and 100% of its level, changes who is first.",
            ),
        }
        out.push(' ');
        match self.by_score.first() {
            Some(s) => {
                out.push_str(&s.describe());
                push_others(&mut out, self.by_score.len() - 1, "score change");
            }
            None => out.push_str("No single score change within its scale changes who is first."),
        }
        out
    }
}

/// Every weight that can be moved: the groups, then the criteria, in framework order.
pub fn weight_targets(fw: &Framework) -> Vec<WeightTarget> {
    (0..fw.groups.len())
        .map(WeightTarget::Group)
        .chain((0..fw.criterion_count()).map(WeightTarget::Criterion))
        .collect()
}

/// Stability intervals of every weight (groups, then criteria, in framework order):
/// how far each can move, the others of its level rescaled proportionally, before the
/// ranking changes in `scope`.
pub fn weight_intervals(fw: &Framework, m: &Matrix, scope: RankScope) -> Vec<WeightInterval> {
    let ctx = Ctx::new(fw, m);
    let pairs = ctx.candidate_pairs(scope.k());
    weight_targets(fw)
        .into_iter()
        .map(|t| ctx.interval(t, scope.k(), &pairs))
        .collect()
}

/// The stability interval of one weight.
pub fn weight_interval(
    fw: &Framework,
    m: &Matrix,
    target: WeightTarget,
    scope: RankScope,
) -> WeightInterval {
    let ctx = Ctx::new(fw, m);
    let pairs = ctx.candidate_pairs(scope.k());
    ctx.interval(target, scope.k(), &pairs)
}

/// The weights with `target` at `share` of its level and the other weights of the
/// level rescaled proportionally (their sum keeps the level's raw total). Weights of
/// other levels are unchanged. `share` is clamped to [0, 1]; a level whose other
/// weights are all zero (or a target that does not exist) is returned unchanged.
pub fn weights_at_share(
    fw: &Framework,
    w: &super::Weights,
    target: WeightTarget,
    share: f64,
) -> super::Weights {
    let mut out = w.clone();
    let t = share.clamp(0.0, 1.0);
    let (list, members, i): (&mut Vec<f64>, Vec<usize>, usize) = match target {
        WeightTarget::Group(g) => (&mut out.groups, (0..fw.groups.len()).collect(), g),
        WeightTarget::Criterion(c) => {
            let Some((g, _)) = fw.criteria().nth(c) else {
                return out;
            };
            let members = fw
                .criteria()
                .enumerate()
                .filter(|(_, (cg, _))| *cg == g)
                .map(|(j, _)| j)
                .collect();
            (&mut out.criteria, members, c)
        }
    };
    let total: f64 = members.iter().map(|&j| list[j]).sum();
    let others = total - list[i];
    if !positive(others) {
        return out;
    }
    for &j in &members {
        list[j] = if j == i {
            t * total
        } else {
            list[j] * (1.0 - t) * total / others
        };
    }
    out
}

/// The smallest single weight move and the smallest single score change that would
/// change who is first (a mechanism that is not first now reaches first place, alone
/// or tied). When several mechanisms share first place, a change that only separates
/// them does not count.
pub fn first_place_change(fw: &Framework, m: &Matrix) -> FirstChange {
    let ctx = Ctx::new(fw, m);
    let first: Vec<usize> = (0..ctx.n).filter(|&r| ctx.rank0[r] == Some(1)).collect();
    let first_names = ctx.names(&first);
    if first.is_empty() {
        return FirstChange {
            first,
            first_names,
            by_weight: Vec::new(),
            by_score: Vec::new(),
        };
    }
    let by_weight = ctx.weight_flips(&first);
    let by_score = ctx.score_flips(&first);
    FirstChange {
        first,
        first_names,
        by_weight,
        by_score,
    }
}

// ---------------------------------------------------------------------------------
// Internals

/// A cell as the computation sees it: its oriented share, or why it has none.
#[derive(Clone, Copy, Debug)]
enum Cell3 {
    /// (raw value, oriented share in [0, 1]).
    Value(f64, f64),
    NotAssessed,
    NotApplicable,
}

/// A group of one mechanism at the current weights.
#[derive(Clone, Copy, Debug)]
struct GroupState {
    /// Some applicable criterion has a positive weight (the group can count).
    applicable: bool,
    /// Weight of the assessed criteria.
    wsum: f64,
    /// Contribution to the composite (index, or 100 − index for a concern), if any.
    d: Option<f64>,
}

/// An affine function of the share, stored by its values at 0 and 1:
/// `a0·(1 − t) + a1·t`. Weights of the level are `w·(1 − t)` or `t`, so this form is
/// exact near both ends, where `c + s·t` would cancel.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Aff {
    a0: f64,
    a1: f64,
}

impl Aff {
    /// The moved weight itself: `t`.
    const T: Aff = Aff { a0: 0.0, a1: 1.0 };

    fn konst(c: f64) -> Aff {
        Aff { a0: c, a1: c }
    }
    /// `x·(1 − t)`: another weight of the level.
    fn rest(x: f64) -> Aff {
        Aff { a0: x, a1: 0.0 }
    }
    fn at(self, t: f64) -> f64 {
        self.a0 * (1.0 - t) + self.a1 * t
    }
    fn plus(self, o: Aff) -> Aff {
        Aff {
            a0: self.a0 + o.a0,
            a1: self.a1 + o.a1,
        }
    }
    fn minus(self, o: Aff) -> Aff {
        Aff {
            a0: self.a0 - o.a0,
            a1: self.a1 - o.a1,
        }
    }
    fn times(self, k: f64) -> Aff {
        Aff {
            a0: self.a0 * k,
            a1: self.a1 * k,
        }
    }
}

/// A mechanism's total on an open stretch of shares: none, or `n(t) / d(t)` with
/// `d > 0` there.
#[derive(Clone, Copy, Debug)]
enum Piece {
    Null,
    Ratio { n: Aff, d: Aff },
}

impl Piece {
    fn at(&self, t: f64) -> Option<f64> {
        match self {
            Piece::Null => None,
            Piece::Ratio { n, d } => Some(n.at(t) / d.at(t)),
        }
    }
}

/// A mechanism's total as a function of the share `t` of the moved weight: `lo` on
/// (0, split), `hi` on (split, 1) (one piece when there is no split), and the exact
/// values at 0 and 1.
#[derive(Clone, Debug)]
struct Track {
    split: Option<f64>,
    lo: Piece,
    hi: Piece,
    at0: Option<f64>,
    at1: Option<f64>,
}

impl Track {
    fn flat(p: Piece) -> Track {
        Track {
            split: None,
            lo: p,
            hi: p,
            at0: None,
            at1: None,
        }
    }

    /// `yes` where `h(t) ≥ 0`, `no` elsewhere, on (0, 1).
    fn split_by(h: Aff, yes: Piece, no: Piece) -> Track {
        let pick = |ok: bool| if ok { yes } else { no };
        if (h.a0 >= 0.0) == (h.a1 >= 0.0) {
            return Track::flat(pick(h.at(0.5) >= 0.0));
        }
        let tb = h.a0 / (h.a0 - h.a1);
        if !(tb > 0.0 && tb < 1.0) {
            return Track::flat(pick(h.at(0.5) >= 0.0));
        }
        Track {
            split: Some(tb),
            lo: pick(h.a0 >= 0.0),
            hi: pick(h.a1 >= 0.0),
            at0: None,
            at1: None,
        }
    }

    /// Total at an interior share (not exactly at the split).
    fn at(&self, t: f64) -> Option<f64> {
        match self.split {
            Some(s) if t >= s => self.hi.at(t),
            _ => self.lo.at(t),
        }
    }
}

/// Roots strictly inside (lo, hi) of the quadratic with Bernstein coefficients
/// `b0 (1 − t)² + 2 b1 t (1 − t) + b2 t²` (its values at 0 and 1 are `b0` and `b2`).
fn bernstein_roots(b0: f64, b1: f64, b2: f64, lo: f64, hi: f64, out: &mut Vec<f64>) {
    let scale = b0.abs().max(b1.abs()).max(b2.abs());
    if scale == 0.0 || !scale.is_finite() {
        return; // identical totals, or nonsense: no crossing
    }
    let (b0, b1, b2) = (b0 / scale, b1 / scale, b2 / scale);
    let mut push = |x: f64| {
        if x > lo && x < hi {
            out.push(x);
        }
    };
    // Equal at an end: factor it out, the other root solves a linear equation.
    if b2 == 0.0 {
        // (1 − t)·(b0 (1 − t) + 2 b1 t)
        if b0 != 2.0 * b1 {
            push(b0 / (b0 - 2.0 * b1));
        }
        return;
    }
    if b0 == 0.0 {
        // t·(2 b1 (1 − t) + b2 t)
        if b2 != 2.0 * b1 {
            push(2.0 * b1 / (2.0 * b1 - b2));
        }
        return;
    }
    quadratic_roots(b0 - 2.0 * b1 + b2, 2.0 * (b1 - b0), b0, lo, hi, out);
}

/// Roots of `c2 t² + c1 t + c0` strictly inside (lo, hi).
fn quadratic_roots(c2: f64, c1: f64, c0: f64, lo: f64, hi: f64, out: &mut Vec<f64>) {
    let scale = c2.abs().max(c1.abs()).max(c0.abs());
    if scale == 0.0 || !scale.is_finite() {
        return;
    }
    let (a, b, c) = (c2 / scale, c1 / scale, c0 / scale);
    let mut push = |x: f64| {
        if x > lo && x < hi {
            out.push(x);
        }
    };
    if a.abs() < 1e-13 {
        if b.abs() > 1e-13 {
            push(-c / b);
        }
        return;
    }
    let mut disc = b * b - 4.0 * a * c;
    if disc < 0.0 {
        if disc > -1e-13 * (b * b + (4.0 * a * c).abs()) {
            disc = 0.0;
        } else {
            return;
        }
    }
    let q = -0.5 * (b + b.signum() * disc.sqrt());
    if q == 0.0 {
        push(0.0);
        return;
    }
    let r1 = q / a;
    let r2 = c / q;
    push(r1);
    if r2 != r1 {
        push(r2);
    }
}

/// Shares where two tracks have equal totals, inside (0, 1).
fn crossings(a: &Track, b: &Track, out: &mut Vec<f64>) {
    let mut bounds = [0.0, 1.0, 1.0, 1.0];
    let mut nb = 1;
    for s in [a.split, b.split].into_iter().flatten() {
        bounds[nb] = s;
        nb += 1;
    }
    bounds[nb] = 1.0;
    let bounds = &mut bounds[..=nb];
    bounds.sort_by(f64::total_cmp);
    for w in bounds.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        if hi <= lo {
            continue;
        }
        let mid = 0.5 * (lo + hi);
        let pa = match a.split {
            Some(s) if mid >= s => a.hi,
            _ => a.lo,
        };
        let pb = match b.split {
            Some(s) if mid >= s => b.hi,
            _ => b.lo,
        };
        if let (Piece::Ratio { n: na, d: da }, Piece::Ratio { n: nbb, d: db }) = (pa, pb) {
            // n_a d_b − n_b d_a in Bernstein form.
            let b0 = na.a0 * db.a0 - nbb.a0 * da.a0;
            let b2 = na.a1 * db.a1 - nbb.a1 * da.a1;
            let b1 = 0.5 * ((na.a0 * db.a1 + na.a1 * db.a0) - (nbb.a0 * da.a1 + nbb.a1 * da.a0));
            bernstein_roots(b0, b1, b2, lo, hi, out);
        }
    }
}

/// Competition ranks (as `stats::competition_ranks`) in O(n log n).
fn fast_ranks(totals: &[Option<f64>], sorted: &mut Vec<f64>) -> Vec<Option<usize>> {
    sorted.clear();
    sorted.extend(totals.iter().flatten().copied());
    sorted.sort_by(|a, b| b.total_cmp(a));
    totals
        .iter()
        .map(|t| t.map(|x| 1 + sorted.partition_point(|&y| y > x + TIE_EPS)))
        .collect()
}

/// `x > 0` (false for NaN): a weight or denominator that counts.
fn positive(x: f64) -> bool {
    x > 0.0
}

fn oriented(c: &Criterion, role: Role, v: f64) -> f64 {
    let x = c.scale.normalise(v);
    let cost = c.direction == Direction::Cost;
    let concern = role == Role::Concern;
    if cost == concern { x } else { 1.0 - x }
}

struct Ctx<'a> {
    fw: &'a Framework,
    m: &'a Matrix,
    n: usize,
    crits: Vec<&'a Criterion>,
    crit_group: Vec<usize>,
    group_crits: Vec<Vec<usize>>,
    concern: Vec<bool>,
    cells: Vec<Vec<Cell3>>,
    groups0: Vec<Vec<GroupState>>,
    total0: Vec<Option<f64>>,
    rank0: Vec<Option<usize>>,
    /// Rows by current rank (unranked last), ties in row order.
    order0: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(fw: &'a Framework, m: &'a Matrix) -> Ctx<'a> {
        let crits: Vec<&Criterion> = fw.criteria().map(|(_, c)| c).collect();
        let crit_group: Vec<usize> = fw.criteria().map(|(g, _)| g).collect();
        let mut group_crits = vec![Vec::new(); fw.groups.len()];
        for (ci, &g) in crit_group.iter().enumerate() {
            group_crits[g].push(ci);
        }
        let concern: Vec<bool> = fw.groups.iter().map(|g| g.role == Role::Concern).collect();
        let cells: Vec<Vec<Cell3>> = m
            .cells
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&crits)
                    .zip(&crit_group)
                    .map(|((cell, c), &g)| match cell.value {
                        ScoreValue::Value(v) => Cell3::Value(v, oriented(c, fw.groups[g].role, v)),
                        ScoreValue::NotAssessed => Cell3::NotAssessed,
                        ScoreValue::NotApplicable => Cell3::NotApplicable,
                    })
                    .collect()
            })
            .collect();
        let mut ctx = Ctx {
            fw,
            m,
            n: m.rows.len(),
            crits,
            crit_group,
            group_crits,
            concern,
            cells,
            groups0: Vec::new(),
            total0: Vec::new(),
            rank0: Vec::new(),
            order0: Vec::new(),
        };
        let (cw, gw) = (&m.weights.criteria, &m.weights.groups);
        for r in 0..ctx.n {
            let states: Vec<GroupState> = (0..fw.groups.len())
                .map(|g| ctx.group_state(r, g, cw))
                .collect();
            ctx.groups0.push(states);
            ctx.total0.push(ctx.total_with(r, cw, gw));
        }
        ctx.rank0 = stats::competition_ranks(&ctx.total0);
        let mut order: Vec<usize> = (0..ctx.n).collect();
        order.sort_by_key(|&r| (ctx.rank0[r].unwrap_or(usize::MAX), r));
        ctx.order0 = order;
        ctx
    }

    fn names(&self, rows: &[usize]) -> Vec<String> {
        rows.iter().map(|&r| self.m.rows[r].name.clone()).collect()
    }

    /// One group of one row at criterion weights `cw`, summed as `results_from_matrix`
    /// does (same order, same operations), so totals agree to the last bit.
    fn group_state(&self, r: usize, g: usize, cw: &[f64]) -> GroupState {
        let (mut wsum, mut wapp, mut acc) = (0.0, 0.0, 0.0);
        for &ci in &self.group_crits[g] {
            let w = cw[ci];
            match self.cells[r][ci] {
                Cell3::Value(_, o) => {
                    wsum += w;
                    wapp += w;
                    acc += w * o;
                }
                Cell3::NotAssessed => wapp += w,
                Cell3::NotApplicable => {}
            }
        }
        let coverage = if wapp > 0.0 { wsum / wapp } else { 0.0 };
        let index = (wsum > 0.0 && coverage + COV_TOL >= MIN_COVERAGE).then(|| 100.0 * acc / wsum);
        GroupState {
            applicable: wapp > 0.0,
            wsum,
            d: index.map(|ix| if self.concern[g] { 100.0 - ix } else { ix }),
        }
    }

    /// A row's composite total at weights `cw`, `gw`, as `results_from_matrix`.
    fn total_with(&self, r: usize, cw: &[f64], gw: &[f64]) -> Option<f64> {
        let (mut num, mut den, mut den_all) = (0.0, 0.0, 0.0);
        for (g, &w) in gw.iter().enumerate() {
            let st = self.group_state(r, g, cw);
            if w > 0.0 && st.applicable {
                den_all += w;
                if let Some(d) = st.d {
                    num += w * d;
                    den += w;
                }
            }
        }
        let cov = if den_all > 0.0 { den / den_all } else { 0.0 };
        (den > 0.0 && cov + COV_TOL >= MIN_COVERAGE).then(|| num / den)
    }

    /// (raw weight of the target, sum of the other raw weights of its level).
    fn level(&self, target: WeightTarget) -> (f64, f64) {
        let w = &self.m.weights;
        match target {
            WeightTarget::Group(g) => {
                let others: f64 = (0..w.groups.len())
                    .filter(|&h| h != g)
                    .map(|h| w.groups[h])
                    .sum();
                (w.groups[g], others)
            }
            WeightTarget::Criterion(c) => {
                let g = self.crit_group[c];
                let others: f64 = self.group_crits[g]
                    .iter()
                    .filter(|&&j| j != c)
                    .map(|&j| w.criteria[j])
                    .sum();
                (w.criteria[c], others)
            }
        }
    }

    fn label(&self, target: WeightTarget) -> String {
        match target {
            WeightTarget::Group(g) => self.fw.groups[g].name.clone(),
            WeightTarget::Criterion(c) => self.crits[c].name.clone(),
        }
    }

    /// Weights with the target at share `t` (0 or 1 at the ends), others rescaled.
    fn weights_at(&self, target: WeightTarget, t: f64, others: f64) -> (Vec<f64>, Vec<f64>) {
        let mut cw = self.m.weights.criteria.clone();
        let mut gw = self.m.weights.groups.clone();
        let (list, members, i): (&mut Vec<f64>, Vec<usize>, usize) = match target {
            WeightTarget::Group(g) => (&mut gw, (0..self.fw.groups.len()).collect(), g),
            WeightTarget::Criterion(c) => {
                (&mut cw, self.group_crits[self.crit_group[c]].clone(), c)
            }
        };
        for j in members {
            list[j] = if j == i {
                t
            } else {
                list[j] * (1.0 - t) / others
            };
        }
        (cw, gw)
    }

    /// Every row's total as a function of the target's share.
    fn tracks(&self, target: WeightTarget, others: f64) -> Vec<Track> {
        let (cw0, gw0) = self.weights_at(target, 0.0, others);
        let (cw1, gw1) = self.weights_at(target, 1.0, others);
        (0..self.n)
            .map(|r| {
                let mut tr = match target {
                    WeightTarget::Criterion(c) => self.criterion_track(r, c, others),
                    WeightTarget::Group(g) => self.group_track(r, g, others),
                };
                tr.at0 = self.total_with(r, &cw0, &gw0);
                tr.at1 = self.total_with(r, &cw1, &gw1);
                tr
            })
            .collect()
    }

    fn criterion_track(&self, r: usize, c: usize, others: f64) -> Track {
        let g = self.crit_group[c];
        let cw = &self.m.weights.criteria;
        let gw = &self.m.weights.groups;
        // Criterion weights of the group as shares: w_c = t, w_j = w_j (1 − t) / S_o.
        let (mut wsum, mut wapp, mut acc) = (Aff::default(), Aff::default(), Aff::default());
        for &j in &self.group_crits[g] {
            let a = if j == c {
                Aff::T
            } else {
                Aff::rest(cw[j] / others)
            };
            match self.cells[r][j] {
                Cell3::Value(_, o) => {
                    wsum = wsum.plus(a);
                    wapp = wapp.plus(a);
                    acc = acc.plus(a.times(o));
                }
                Cell3::NotAssessed => wapp = wapp.plus(a),
                Cell3::NotApplicable => {}
            }
        }
        // The other groups do not move.
        let (mut k, mut d, mut dall) = (0.0, 0.0, 0.0);
        for (h, st) in self.groups0[r].iter().enumerate() {
            if h == g || !positive(gw[h]) || !st.applicable {
                continue;
            }
            dall += gw[h];
            if let Some(x) = st.d {
                k += gw[h] * x;
                d += gw[h];
            }
        }
        let wg = gw[g];
        let counts = wg > 0.0 && wapp.at(0.5) > 0.0;
        let without = {
            let den_all = dall + if counts { wg } else { 0.0 };
            if d > 0.0 && d / den_all + COV_TOL >= MIN_COVERAGE {
                Piece::Ratio {
                    n: Aff::konst(k),
                    d: Aff::konst(d),
                }
            } else {
                Piece::Null
            }
        };
        if !counts || !positive(wsum.at(0.5)) {
            return Track::flat(without);
        }
        let with = if (d + wg) / (dall + wg) + COV_TOL >= MIN_COVERAGE {
            let share = if self.concern[g] {
                wsum.minus(acc)
            } else {
                acc
            };
            Piece::Ratio {
                n: wsum.times(k).plus(share.times(100.0 * wg)),
                d: wsum.times(d + wg),
            }
        } else {
            Piece::Null
        };
        let h = wsum.minus(wapp.times(MIN_COVERAGE - COV_TOL));
        Track::split_by(h, with, without)
    }

    fn group_track(&self, r: usize, g: usize, others: f64) -> Track {
        let gw = &self.m.weights.groups;
        // Group weights as shares: W_g = t, W_h = W_h (1 − t) / S_o.
        let (mut num, mut den, mut dall) = (Aff::default(), Aff::default(), Aff::default());
        for (h, st) in self.groups0[r].iter().enumerate() {
            if !st.applicable {
                continue;
            }
            let a = if h == g {
                Aff::T
            } else if gw[h] > 0.0 {
                Aff::rest(gw[h] / others)
            } else {
                continue;
            };
            dall = dall.plus(a);
            if let Some(x) = st.d {
                num = num.plus(a.times(x));
                den = den.plus(a);
            }
        }
        if !positive(den.at(0.5)) {
            return Track::flat(Piece::Null);
        }
        let h = den.minus(dall.times(MIN_COVERAGE - COV_TOL));
        Track::split_by(h, Piece::Ratio { n: num, d: den }, Piece::Null)
    }

    /// Pairs of rows whose crossings can change the ranking in the first `k` places.
    ///
    /// Before the first change, the first `k` places hold only mechanisms ranked `k` or
    /// better now, so a change needs a crossing that involves one of them (or a jump at
    /// a coverage breakpoint, checked separately). When every ranked mechanism matters
    /// (`k ≥ rows`), the first pair to swap is always one of neighbouring rank classes.
    fn candidate_pairs(&self, k: usize) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        if k >= self.n {
            // Classes of equal current rank; the unranked rows form a last class.
            let mut classes: Vec<&[usize]> = Vec::new();
            let mut i = 0;
            while i < self.order0.len() {
                let r0 = self.rank0[self.order0[i]];
                let mut j = i;
                while j < self.order0.len() && self.rank0[self.order0[j]] == r0 {
                    j += 1;
                }
                classes.push(&self.order0[i..j]);
                i = j;
            }
            for w in classes.windows(2) {
                for &x in w[0] {
                    for &y in w[1] {
                        pairs.push((x, y));
                    }
                }
            }
        } else {
            let top: Vec<bool> = (0..self.n)
                .map(|r| self.rank0[r].is_some_and(|x| x <= k))
                .collect();
            for x in (0..self.n).filter(|&x| top[x]) {
                for (y, &y_top) in top.iter().enumerate() {
                    if y != x && (!y_top || y > x) {
                        pairs.push((x, y));
                    }
                }
            }
        }
        pairs
    }

    /// Whether the ranking at `totals` differs from the current one in a way that
    /// counts: some mechanism ranked within the first `k` places has a better rank than
    /// it has now (no total = no rank = worst), or, for the whole ranking (`all`), a
    /// mechanism ranked now has no total. Ties that only separate never count.
    fn find_event(
        &self,
        totals: &[Option<f64>],
        k: usize,
        all: bool,
        buf: &mut Vec<f64>,
    ) -> Option<(Shift, Vec<Option<usize>>)> {
        let ranks = fast_ranks(totals, buf);
        let rt = |x: usize| ranks[x].unwrap_or(usize::MAX);
        let key0 = |x: usize| self.rank0[x].unwrap_or(usize::MAX);
        let riser = (0..self.n)
            .filter(|&b| rt(b) <= k && rt(b) < key0(b))
            .min_by_key(|&b| (rt(b), b));
        if let Some(b) = riser {
            let ahead = (0..self.n)
                .filter(|&a| key0(a) < key0(b) && rt(a) >= rt(b))
                .min_by_key(|&a| (key0(a), a));
            return Some((Shift::Rises { row: b, ahead }, ranks));
        }
        if all && let Some(a) = (0..self.n).find(|&a| self.rank0[a].is_some() && ranks[a].is_none())
        {
            return Some((Shift::LosesTotal { row: a }, ranks));
        }
        None
    }

    /// Walks from the current share `p` towards `end` (0 or 1) through the candidate
    /// points; returns the bound and the change there, if any.
    fn walk(
        &self,
        tracks: &[Track],
        mut cands: Vec<f64>,
        p: f64,
        end: f64,
        k: usize,
        raw: &dyn Fn(f64) -> f64,
    ) -> (f64, Option<RankChange>) {
        if p == end {
            return (p, None);
        }
        let up = end > p;
        if up {
            cands.sort_by(f64::total_cmp);
        } else {
            cands.sort_by(|a, b| b.total_cmp(a));
        }
        let mut buf = Vec::with_capacity(self.n);
        let mut totals = vec![None; self.n];
        let mut prev = p;
        let all = k == usize::MAX;
        let change = |at: f64, shift: Shift, ranks: &[Option<usize>]| RankChange {
            share: at,
            raw: raw(at),
            first_after: (0..self.n).filter(|&r| ranks[r] == Some(1)).collect(),
            shift,
        };
        for next in cands.into_iter().chain(std::iter::once(end)) {
            let gap = if up { next - prev } else { prev - next };
            if !positive(gap) {
                continue;
            }
            let mid = 0.5 * (prev + next);
            for (t, tr) in totals.iter_mut().zip(tracks) {
                *t = tr.at(mid);
            }
            if let Some((shift, ranks)) = self.find_event(&totals, k, all, &mut buf) {
                return (prev, Some(change(prev, shift, &ranks)));
            }
            prev = next;
        }
        // The end itself, evaluated exactly.
        for (t, tr) in totals.iter_mut().zip(tracks) {
            *t = if up { tr.at1 } else { tr.at0 };
        }
        if let Some((shift, ranks)) = self.find_event(&totals, k, all, &mut buf) {
            return (end, Some(change(end, shift, &ranks)));
        }
        (end, None)
    }

    fn interval(&self, target: WeightTarget, k: usize, pairs: &[(usize, usize)]) -> WeightInterval {
        let (w, others) = self.level(target);
        let total = w + others;
        let p = if total > 0.0 { w / total } else { 0.0 };
        let label = self.label(target);
        if !positive(others) {
            return WeightInterval {
                target,
                label,
                movable: false,
                current_share: p,
                low_share: p,
                high_share: p,
                current_raw: w,
                low_raw: w,
                high_raw: w,
                low_change: None,
                high_change: None,
            };
        }
        let raw = move |t: f64| {
            if t == p {
                w
            } else if t >= 1.0 {
                f64::INFINITY
            } else {
                t * others / (1.0 - t)
            }
        };
        let tracks = self.tracks(target, others);
        let (mut up, mut down) = (Vec::new(), Vec::new());
        let mut sort_in = |x: f64| {
            if x > p {
                up.push(x);
            } else if x < p {
                down.push(x);
            }
        };
        for tr in &tracks {
            if let Some(s) = tr.split {
                sort_in(s);
            }
        }
        let mut roots = Vec::new();
        for &(x, y) in pairs {
            roots.clear();
            crossings(&tracks[x], &tracks[y], &mut roots);
            for &r in &roots {
                sort_in(r);
            }
        }
        let (high, high_change) = self.walk(&tracks, up, p, 1.0, k, &raw);
        let (low, low_change) = self.walk(&tracks, down, p, 0.0, k, &raw);
        WeightInterval {
            target,
            label,
            movable: true,
            current_share: p,
            low_share: low,
            high_share: high,
            current_raw: w,
            low_raw: raw(low),
            high_raw: raw(high),
            low_change,
            high_change,
        }
    }

    fn weight_flips(&self, first: &[usize]) -> Vec<WeightFlip> {
        let pairs = self.candidate_pairs(1);
        let mut found: Vec<(f64, WeightFlip)> = Vec::new();
        for target in weight_targets(self.fw) {
            let iv = self.interval(target, 1, &pairs);
            for ch in [&iv.low_change, &iv.high_change].into_iter().flatten() {
                let flip = WeightFlip {
                    target,
                    label: iv.label.clone(),
                    from_share: iv.current_share,
                    to_share: ch.share,
                    from_raw: iv.current_raw,
                    to_raw: ch.raw,
                    old_first: first.to_vec(),
                    new_first: ch.first_after.clone(),
                    old_first_names: self.names(first),
                    new_first_names: self.names(&ch.first_after),
                };
                found.push(((ch.share - iv.current_share).abs(), flip));
            }
        }
        let Some(min) = found.iter().map(|(d, _)| *d).min_by(f64::total_cmp) else {
            return Vec::new();
        };
        found
            .into_iter()
            .filter(|(d, _)| *d <= min + TIE_EPS)
            .map(|(_, f)| f)
            .collect()
    }

    fn score_flips(&self, first: &[usize]) -> Vec<ScoreFlip> {
        let cw = &self.m.weights.criteria;
        let gw = &self.m.weights.groups;
        let is_first = |r: usize| self.rank0[r] == Some(1);
        // The two best totals overall, and the two best among rows not first now.
        let top2 = |filter: &dyn Fn(usize) -> bool| {
            let mut best: [Option<(f64, usize)>; 2] = [None, None];
            for r in (0..self.n).filter(|&r| filter(r)) {
                let Some(v) = self.total0[r] else { continue };
                if best[0].is_none_or(|(b, _)| v > b) {
                    best[1] = best[0];
                    best[0] = Some((v, r));
                } else if best[1].is_none_or(|(b, _)| v > b) {
                    best[1] = Some((v, r));
                }
            }
            best
        };
        let all2 = top2(&|_| true);
        let rest2 = top2(&|r| !is_first(r));
        let other = |best: &[Option<(f64, usize)>; 2], r: usize| match best[0] {
            Some((_, x)) if x == r => best[1],
            b => b,
        };
        // Does row r at total `t` bring a mechanism that is not first now into first place?
        let flips = |r: usize, t: f64| {
            let max_new = other(&all2, r).map_or(t, |(v, _)| v.max(t));
            // As `competition_ranks`: first unless someone is more than TIE_EPS ahead.
            let in_first = |v: f64| max_new <= v + TIE_EPS;
            (!is_first(r) && in_first(t)) || other(&rest2, r).is_some_and(|(v, _)| in_first(v))
        };
        // Pass 1: for each cell, the nearest level that flips.
        let mut cands: Vec<(f64, usize, usize, f64, f64)> = Vec::new(); // steps, row, ci, to, total
        for r in 0..self.n {
            let Some(t0) = self.total0[r] else { continue };
            let den: f64 = self.groups0[r]
                .iter()
                .enumerate()
                .filter(|(h, st)| gw[*h] > 0.0 && st.applicable && st.d.is_some())
                .map(|(h, _)| gw[h])
                .sum();
            for (ci, cell) in self.cells[r].iter().enumerate() {
                let Cell3::Value(v, o) = *cell else { continue };
                let g = self.crit_group[ci];
                let st = self.groups0[r][g];
                if !(gw[g] > 0.0 && st.applicable && st.d.is_some() && cw[ci] > 0.0) {
                    continue;
                }
                let sign = if self.concern[g] { -1.0 } else { 1.0 };
                let coef = sign * gw[g] * 100.0 * cw[ci] / st.wsum / den;
                let c = self.crits[ci];
                let role = self.fw.groups[g].role;
                let mut best: Option<(f64, f64, f64)> = None;
                for level in c.scale.min..=c.scale.max {
                    let to = f64::from(level);
                    let steps = (to - v).abs();
                    if steps < 1e-12 || best.is_some_and(|(s, _, _)| s <= steps) {
                        continue;
                    }
                    let t = t0 + coef * (oriented(c, role, to) - o);
                    if flips(r, t) {
                        best = Some((steps, to, t));
                    }
                }
                if let Some((steps, to, t)) = best {
                    cands.push((steps, r, ci, to, t));
                }
            }
        }
        let Some(min) = cands.iter().map(|c| c.0).min_by(f64::total_cmp) else {
            return Vec::new();
        };
        // Pass 2: describe the smallest ones.
        cands
            .into_iter()
            .filter(|c| c.0 <= min + 1e-9)
            .map(|(steps, r, ci, to, t)| {
                let total = |x: usize| if x == r { Some(t) } else { self.total0[x] };
                let max_new = (0..self.n)
                    .filter_map(total)
                    .fold(f64::NEG_INFINITY, f64::max);
                let new_first: Vec<usize> = (0..self.n)
                    .filter(|&x| total(x).is_some_and(|v| max_new <= v + TIE_EPS))
                    .collect();
                let Cell3::Value(from, _) = self.cells[r][ci] else {
                    unreachable!("only scored cells are candidates")
                };
                ScoreFlip {
                    row: r,
                    criterion: ci,
                    mechanism_name: self.m.rows[r].name.clone(),
                    criterion_name: self.crits[ci].name.clone(),
                    from_value: from,
                    to_value: to,
                    steps,
                    old_first: first.to_vec(),
                    old_first_names: self.names(first),
                    new_first_names: self.names(&new_first),
                    new_first,
                }
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------
// Wording

fn quoted_list(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        0 => "nothing".to_string(),
        1 => q[0].clone(),
        n => format!("{} and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

/// (newcomers, still first).
fn split_first(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let newcomers = new.iter().filter(|n| !old.contains(n)).cloned().collect();
    let kept = new.iter().filter(|n| old.contains(n)).cloned().collect();
    (newcomers, kept)
}

/// "make 'X' first instead of 'Y'" (after "would").
fn outcome_verb(old: &[String], new: &[String]) -> String {
    let (newcomers, kept) = split_first(old, new);
    if !kept.is_empty() {
        format!(
            "make {} share first place with {}",
            quoted_list(&newcomers),
            quoted_list(&kept)
        )
    } else if newcomers.len() > 1 {
        format!(
            "make {} share first place instead of {}",
            quoted_list(&newcomers),
            quoted_list(old)
        )
    } else {
        format!(
            "make {} first instead of {}",
            quoted_list(&newcomers),
            quoted_list(old)
        )
    }
}

/// "'X' would be first instead of 'Y'".
fn outcome_clause(old: &[String], new: &[String]) -> String {
    let (newcomers, kept) = split_first(old, new);
    if !kept.is_empty() {
        format!(
            "{} would share first place with {}",
            quoted_list(&newcomers),
            quoted_list(&kept)
        )
    } else if newcomers.len() > 1 {
        format!(
            "{} would share first place instead of {}",
            quoted_list(&newcomers),
            quoted_list(old)
        )
    } else {
        format!(
            "{} would be first instead of {}",
            quoted_list(&newcomers),
            quoted_list(old)
        )
    }
}

fn push_others(out: &mut String, n: usize, what: &str) {
    match n {
        0 => {}
        1 => out.push_str(&format!(" One other {what} of the same size would too.")),
        n => out.push_str(&format!(" {n} other {what}s of the same size would too.")),
    }
}

/// Decimals needed to show a move of `delta` (share) in percentage points.
fn share_digits(delta: f64) -> usize {
    let pts = 100.0 * delta;
    if pts >= 0.1 {
        1
    } else if pts >= 0.01 {
        2
    } else {
        3
    }
}

fn fmt_num(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn fmt_pct(share: f64, digits: usize) -> String {
    format!("{}%", fmt_num(100.0 * share, digits))
}

fn fmt_raw(x: f64) -> String {
    format_value(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{Cell, Row, Selection, Weights, results_from_matrix};

    fn crit(id: &str, dir: Direction, w: f64) -> Criterion {
        let mut c = Criterion::new(id, id);
        c.direction = dir;
        c.weight = w;
        c
    }

    fn group(id: &str, role: Role, w: f64, criteria: Vec<Criterion>) -> Group {
        Group {
            id: id.to_string(),
            name: id.to_string(),
            role,
            weight: w,
            description: String::new(),
            criteria,
        }
    }

    /// A matrix from rows of `Some(value)` / `None` (not assessed) / NaN (not applicable).
    fn matrix(fw: &Framework, rows: &[(&str, Vec<Option<f64>>)]) -> Matrix {
        Matrix {
            rows: rows
                .iter()
                .map(|(n, _)| Row {
                    mechanism_id: n.to_string(),
                    name: n.to_string(),
                    kind: Kind::Bilateral,
                    added: false,
                })
                .collect(),
            cells: std::sync::Arc::new(
                rows.iter()
                    .map(|(_, v)| {
                        v.iter()
                            .map(|x| Cell {
                                value: match x {
                                    Some(v) if v.is_nan() => ScoreValue::NotApplicable,
                                    Some(v) => ScoreValue::Value(*v),
                                    None => ScoreValue::NotAssessed,
                                },
                                ..Cell::EMPTY
                            })
                            .collect()
                    })
                    .collect(),
            ),
            weights: Weights {
                groups: fw.groups.iter().map(|g| g.weight).collect(),
                criteria: fw.criteria().map(|(_, c)| c.weight).collect(),
            },
        }
    }

    fn fw_of(groups: Vec<Group>) -> Framework {
        Framework {
            id: "t".into(),
            name: "t".into(),
            description: String::new(),
            groups,
        }
    }

    /// One requirement group with criteria a, b, c (weight 1 each, 0–4, benefit).
    /// P = (4, 0, 0), Q = (0, 2, 1), R = (3, not assessed, 2).
    fn pqr() -> (Framework, Matrix) {
        let b = Direction::Benefit;
        let fw = fw_of(vec![group(
            "G",
            Role::Requirement,
            1.0,
            vec![crit("a", b, 1.0), crit("b", b, 1.0), crit("c", b, 1.0)],
        )]);
        let m = matrix(
            &fw,
            &[
                ("P", vec![Some(4.0), Some(0.0), Some(0.0)]),
                ("Q", vec![Some(0.0), Some(2.0), Some(1.0)]),
                ("R", vec![Some(3.0), None, Some(2.0)]),
            ],
        );
        (fw, m)
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn totals_agree_bit_for_bit_with_results() {
        let (fw, m) = pqr();
        let ctx = Ctx::new(&fw, &m);
        let res = results_from_matrix(&fw, &m, &Selection::default());
        let totals: Vec<Option<f64>> = res.mechanisms.iter().map(|r| r.total).collect();
        assert_eq!(ctx.total0, totals);
    }

    /// Worked on paper. Shares of a, b, c are 1/3 each; move a to share t, b and c
    /// take (1 − t)/2 each. Oriented shares are value / 4.
    ///   P: index = 100·(t·1)/1                          = 100 t
    ///   Q: index = 100·((1−t)/2·0.5 + (1−t)/2·0.25)     = 37.5 (1 − t)
    ///   R: b not assessed, so the weights renormalise over a and c:
    ///      assessed weight = t + (1−t)/2 = (1+t)/2, coverage (1+t)/2 ≥ 50 % always;
    ///      index = 100·(0.75 t + 0.5 (1−t)/2) / ((1+t)/2) = 100 (0.5 + t) / (1 + t).
    /// At t = 1/3: P = 33.33, Q = 25, R = 62.5 → R first.
    /// P catches R where 100 t (1 + t) = 100 (0.5 + t), i.e. t² = 1/2, t = √½ ≈ 0.7071
    /// (a quadratic: R's denominator differs from P's). Q never reaches R (Q ≤ 37.5,
    /// R ≥ 50). Raw weight at √½ with b + c = 2 fixed: 2·√½/(1 − √½) = 2(√2 + 1).
    /// Whole ranking: P and Q cross where 100 t = 37.5 (1 − t), t = 3/11.
    ///
    /// Move b to share s instead (a, c at (1 − s)/2):
    ///   P = 50 (1 − s), Q = 12.5 + 37.5 s, R: coverage 1 − s, index 62.5 while
    ///   s ≤ 1/2, none beyond (R then has no total and leaves the ranking).
    ///   P and Q cross at 50 − 50 s = 12.5 + 37.5 s, s = 3/7.
    /// So b's interval for first place is [0, 1/2] (Q first beyond, 31.25 vs P 25);
    /// for the whole ranking [0, 3/7].
    ///
    /// Move c to share u: P = 50 (1 − u), Q = 25, R = 25 (3 + u)/(1 + u) ∈ [50, 75]:
    /// nothing reaches R, interval [0, 1].
    ///
    /// Smallest weight move: b, +16.67 points (a needs +37.4). Smallest score change:
    /// one step of a or c for R is 100·(1/3)(1/4)/(2/3) = 12.5 points of total; R must
    /// fall to P's 33.33 (−29.17): 3 steps, only possible on a (3 → 0), giving R = 25.
    /// Raising P needs 29.17 / 8.33 = 3.5 → 4 steps; Q cannot reach 62.5 with one score.
    #[test]
    fn hand_computed_intervals_and_flips() {
        let (fw, m) = pqr();
        let iv = weight_intervals(&fw, &m, RankScope::Top(1));
        assert_eq!(iv.len(), 4);
        assert!(!iv[0].movable, "the only group cannot move");
        let a = &iv[1];
        close(a.current_share, 1.0 / 3.0);
        close(a.low_share, 0.0);
        assert!(a.low_change.is_none());
        close(a.high_share, 0.5f64.sqrt());
        close(a.high_raw, 2.0 * (2.0f64.sqrt() + 1.0));
        close(a.current_raw, 1.0);
        let ch = a.high_change.as_ref().unwrap();
        assert_eq!(
            ch.shift,
            Shift::Rises {
                row: 0,
                ahead: Some(2)
            }
        );
        assert_eq!(ch.first_after, vec![0]);
        let b = &iv[2];
        close(b.low_share, 0.0);
        close(b.high_share, 0.5);
        assert_eq!(b.high_change.as_ref().unwrap().first_after, vec![1]);
        let c = &iv[3];
        assert_eq!((c.low_share, c.high_share), (0.0, 1.0));
        assert!(c.low_change.is_none() && c.high_change.is_none());
        assert_eq!(c.high_raw, f64::INFINITY);

        let all = weight_intervals(&fw, &m, RankScope::All);
        close(all[1].low_share, 3.0 / 11.0);
        close(all[1].high_share, 0.5f64.sqrt());
        close(all[2].low_share, 0.0);
        close(all[2].high_share, 3.0 / 7.0);

        let fc = first_place_change(&fw, &m);
        assert_eq!(fc.first, vec![2]);
        assert_eq!(fc.by_weight.len(), 1);
        let w = &fc.by_weight[0];
        assert_eq!(w.target, WeightTarget::Criterion(1));
        close(w.to_share, 0.5);
        close(w.points(), 100.0 / 6.0);
        close(w.to_raw, 2.0);
        assert_eq!(
            w.describe(),
            "Raising the weight of 'b' from 33.3% to 50% of its group (+16.7 points; \
             raw weight 1 → 2) would make 'Q' first instead of 'R'."
        );
        assert_eq!(fc.by_score.len(), 1);
        let s = &fc.by_score[0];
        assert_eq!((s.row, s.criterion, s.to_value, s.steps), (2, 0, 0.0, 3.0));
        assert_eq!(s.new_first, vec![0]);
        assert_eq!(
            s.describe(),
            "If 'R' scored 0 instead of 3 on 'a', 'P' would be first instead of 'R'."
        );
        assert!(
            fc.describe()
                .starts_with("'R' is first. Raising the weight of 'b'")
        );
    }

    #[test]
    fn nothing_can_change_the_first_place() {
        let b = Direction::Benefit;
        let fw = fw_of(vec![
            group(
                "G",
                Role::Requirement,
                1.0,
                vec![crit("a", b, 1.0), crit("b", b, 2.0)],
            ),
            group("H", Role::Objective, 1.0, vec![crit("c", b, 1.0)]),
        ]);
        let m = matrix(
            &fw,
            &[
                ("Top", vec![Some(4.0), Some(4.0), Some(4.0)]),
                ("Low", vec![Some(0.0), Some(1.0), Some(0.0)]),
            ],
        );
        for iv in weight_intervals(&fw, &m, RankScope::Top(1)) {
            assert!(
                iv.low_change.is_none() && iv.high_change.is_none(),
                "{iv:?}"
            );
        }
        let fc = first_place_change(&fw, &m);
        assert!(fc.by_weight.is_empty() && fc.by_score.is_empty());
        assert_eq!(
            fc.describe(),
            "'Top' is first. No single weight, moved anywhere between 0% and 100% of its \
             level, changes who is first. No single score change within its scale changes \
             who is first."
        );
    }

    #[test]
    fn tie_for_first_is_not_a_change_until_a_third_arrives() {
        let b = Direction::Benefit;
        let fw = fw_of(vec![group(
            "G",
            Role::Requirement,
            1.0,
            vec![crit("a", b, 1.0), crit("b", b, 1.0)],
        )]);
        // A = 4,0 and B = 0,4 tie at 50; C = 2,1 at 37.5.
        let m = matrix(
            &fw,
            &[
                ("A", vec![Some(4.0), Some(0.0)]),
                ("B", vec![Some(0.0), Some(4.0)]),
                ("C", vec![Some(2.0), Some(1.0)]),
            ],
        );
        // Moving a to share t: A = 100 t, B = 100 (1 − t), C = 25 + 25 t. A and B
        // separate at once (not a change: one of them stays first); C never beats
        // max(A, B) ≥ 50 ≥ C.
        let iv = weight_intervals(&fw, &m, RankScope::Top(1));
        assert_eq!((iv[1].low_share, iv[1].high_share), (0.0, 1.0));
        let fc = first_place_change(&fw, &m);
        assert_eq!(fc.first, vec![0, 1]);
        assert!(fc.by_weight.is_empty());
        // One score of C: C = 100 (a/4 + b/4)/2; reaching 50 needs a + b = 4: C's b from
        // 1 to 2 (one step) ties A and B → C shares first place.
        assert_eq!(fc.by_score.len(), 2, "{:?}", fc.by_score);
        let s = &fc.by_score[0];
        assert_eq!((s.row, s.criterion, s.to_value), (2, 0, 3.0));
        assert_eq!(s.new_first, vec![0, 1, 2]);
        assert_eq!(
            s.describe(),
            "If 'C' scored 3 instead of 2 on 'a', 'C' would share first place with 'A' and 'B'."
        );
        assert!(fc.describe().starts_with("'A' and 'B' share first place."));
        assert!(
            fc.describe()
                .ends_with("One other score change of the same size would too.")
        );
    }

    #[test]
    fn quadratic_roots_are_stable() {
        let mut v = Vec::new();
        quadratic_roots(1.0, 0.0, -0.5, 0.0, 1.0, &mut v);
        assert_eq!(v.len(), 1);
        close(v[0], 0.5f64.sqrt());
        v.clear();
        quadratic_roots(0.0, 2.0, -1.0, 0.0, 1.0, &mut v);
        assert_eq!(v, vec![0.5]);
        v.clear();
        // Nearly linear: the far root is dropped, the near one stays accurate.
        quadratic_roots(1e-20, 2.0, -1.0, 0.0, 1.0, &mut v);
        assert_eq!(v.len(), 1);
        close(v[0], 0.5);
        v.clear();
        quadratic_roots(0.0, 0.0, 0.0, 0.0, 1.0, &mut v);
        assert!(v.is_empty());
    }

    #[test]
    fn bernstein_roots_at_the_ends_are_exact() {
        let mut v = Vec::new();
        // (1 − t)(1 − t − t) : roots 1 (excluded, an end) and 1/2.
        bernstein_roots(1.0, -0.5, 0.0, 0.0, 1.0, &mut v);
        assert_eq!(v, vec![0.5]);
        v.clear();
        // 2t² − 1 = −(1 − t)² − 2t(1 − t) + t²: root √½.
        bernstein_roots(-1.0, -1.0, 1.0, 0.0, 1.0, &mut v);
        assert_eq!(v.len(), 1);
        close(v[0], 0.5f64.sqrt());
    }

    #[test]
    fn fast_ranks_match_competition_ranks() {
        let t = vec![
            Some(50.0),
            Some(80.0),
            Some(50.0 + 1e-10),
            None,
            Some(10.0),
            Some(80.0),
        ];
        assert_eq!(
            fast_ranks(&t, &mut Vec::new()),
            stats::competition_ranks(&t)
        );
    }

    #[test]
    fn weights_at_share_keeps_the_others_ratios() {
        let (fw, m) = pqr();
        let w = weights_at_share(&fw, &m.weights, WeightTarget::Criterion(0), 0.5);
        assert_eq!(w.criteria, vec![1.5, 0.75, 0.75]);
        assert_eq!(w.groups, m.weights.groups);
    }
}
