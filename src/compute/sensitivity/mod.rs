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

mod crossings;
mod search;
mod tracks;
mod types;
mod wording;

pub use types::*;

use tracks::{Ctx, positive};

use super::Matrix;
use crate::model::*;

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

#[cfg(test)]
mod tests;
