//! The tracks of every mechanism for one moved weight: the effective matrix and the
//! framework read once (`Ctx`), each total as a function of the share of the moved
//! weight, with its coverage breakpoints.

use super::crossings::{Aff, Piece, Track};
use super::types::WeightTarget;
use crate::compute::{MIN_COVERAGE, Matrix, stats};
use crate::model::*;

/// Tolerance on the coverage thresholds (as in `results_from_matrix`).
const COV_TOL: f64 = 1e-12;

/// A cell as the computation sees it: its oriented share, or why it has none.
#[derive(Clone, Copy, Debug)]
pub(super) enum Cell3 {
    /// (raw value, oriented share in [0, 1]).
    Value(f64, f64),
    NotAssessed,
    NotApplicable,
}

/// A group of one mechanism at the current weights.
#[derive(Clone, Copy, Debug)]
pub(super) struct GroupState {
    /// Some applicable criterion has a positive weight (the group can count).
    pub(super) applicable: bool,
    /// Weight of the assessed criteria.
    pub(super) wsum: f64,
    /// Contribution to the composite (index, or 100 − index for a concern), if any.
    pub(super) d: Option<f64>,
}

/// `x > 0` (false for NaN): a weight or denominator that counts.
pub(super) fn positive(x: f64) -> bool {
    x > 0.0
}

/// A score as a share in [0, 1] where higher is better for the group's role.
pub(super) fn oriented(c: &Criterion, role: Role, v: f64) -> f64 {
    let x = c.scale.normalise(v);
    let cost = c.direction == Direction::Cost;
    let concern = role == Role::Concern;
    if cost == concern { x } else { 1.0 - x }
}

pub(super) struct Ctx<'a> {
    pub(super) fw: &'a Framework,
    pub(super) m: &'a Matrix,
    pub(super) n: usize,
    pub(super) crits: Vec<&'a Criterion>,
    pub(super) crit_group: Vec<usize>,
    pub(super) group_crits: Vec<Vec<usize>>,
    pub(super) concern: Vec<bool>,
    pub(super) cells: Vec<Vec<Cell3>>,
    pub(super) groups0: Vec<Vec<GroupState>>,
    pub(super) total0: Vec<Option<f64>>,
    pub(super) rank0: Vec<Option<usize>>,
    /// Rows by current rank (unranked last), ties in row order.
    pub(super) order0: Vec<usize>,
    /// `RankingRule::UnrankIncomplete`: a row with a counted group without an index
    /// has no total.
    pub(super) unrank_incomplete: bool,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(fw: &'a Framework, m: &'a Matrix) -> Ctx<'a> {
        let crits: Vec<&Criterion> = fw.criteria().map(|(_, c)| c).collect();
        let crit_group: Vec<usize> = fw.criteria().map(|(g, _)| g).collect();
        let mut group_crits = vec![Vec::new(); fw.groups.len()];
        for (ci, &g) in crit_group.iter().enumerate() {
            group_crits[g].push(ci);
        }
        // Whether each group counts inverted in this viewpoint's composite.
        let concern: Vec<bool> = fw
            .groups
            .iter()
            .map(|g| crate::compute::results::counts_inverted(g.role, m.viewpoint.reading))
            .collect();
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
            unrank_incomplete: m.ranking_rule == RankingRule::UnrankIncomplete,
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

    pub(super) fn names(&self, rows: &[usize]) -> Vec<String> {
        rows.iter().map(|&r| self.m.rows[r].name.clone()).collect()
    }

    /// One group of one row at criterion weights `cw`, summed as `results_from_matrix`
    /// does (same order, same operations), so totals agree to the last bit.
    pub(super) fn group_state(&self, r: usize, g: usize, cw: &[f64]) -> GroupState {
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
    pub(super) fn total_with(&self, r: usize, cw: &[f64], gw: &[f64]) -> Option<f64> {
        let (mut num, mut den, mut den_all) = (0.0, 0.0, 0.0);
        for (g, &w) in gw.iter().enumerate() {
            let st = self.group_state(r, g, cw);
            if w > 0.0 && st.applicable {
                den_all += w;
                if let Some(d) = st.d {
                    num += w * d;
                    den += w;
                } else if self.unrank_incomplete {
                    return None;
                }
            }
        }
        let cov = if den_all > 0.0 { den / den_all } else { 0.0 };
        (den > 0.0 && cov + COV_TOL >= MIN_COVERAGE).then(|| num / den)
    }

    /// (raw weight of the target, sum of the other raw weights of its level).
    pub(super) fn level(&self, target: WeightTarget) -> (f64, f64) {
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

    pub(super) fn label(&self, target: WeightTarget) -> String {
        match target {
            WeightTarget::Group(g) => self.fw.groups[g].name.clone(),
            WeightTarget::Criterion(c) => self.crits[c].name.clone(),
        }
    }

    /// Weights with the target at share `t` (0 or 1 at the ends), others rescaled.
    pub(super) fn weights_at(
        &self,
        target: WeightTarget,
        t: f64,
        others: f64,
    ) -> (Vec<f64>, Vec<f64>) {
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
    pub(super) fn tracks(&self, target: WeightTarget, others: f64) -> Vec<Track> {
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

    pub(super) fn criterion_track(&self, r: usize, c: usize, others: f64) -> Track {
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
            } else if self.unrank_incomplete {
                return Track::flat(Piece::Null);
            }
        }
        let wg = gw[g];
        let counts = wg > 0.0 && wapp.at(0.5) > 0.0;
        let without = if counts && self.unrank_incomplete {
            // Group g without its index leaves the row unranked under this rule.
            Piece::Null
        } else {
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

    pub(super) fn group_track(&self, r: usize, g: usize, others: f64) -> Track {
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
            } else if self.unrank_incomplete {
                // Counted inside (0, 1) without an index: unranked under this rule.
                return Track::flat(Piece::Null);
            }
        }
        if !positive(den.at(0.5)) {
            return Track::flat(Piece::Null);
        }
        let h = den.minus(dall.times(MIN_COVERAGE - COV_TOL));
        Track::split_by(h, Piece::Ratio { n: num, d: den }, Piece::Null)
    }
}
