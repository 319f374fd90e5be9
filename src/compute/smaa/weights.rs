//! Sampling the weights: uniform on the simplex, within bounds (rejection with a pilot
//! estimate of the acceptance rate), or fixed; from a ChaCha stream per chunk.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::constants::{MAX_TRIES_PER_SAMPLE, PILOT_DRAWS, STREAM_PILOT};
use super::model::Model;
use super::options::{SmaaError, WeightLevel, WeightModel, invalid};
use crate::compute::Matrix;
use crate::model::Framework;

/// Draws global criterion weights.
pub(super) struct Sampler {
    pub(super) n: usize,
    /// The weights in force, as global criterion weights summing to 1.
    pub(super) base: Vec<f64>,
    pub(super) fixed: bool,
    pub(super) level: WeightLevel,
    /// Level indices that are drawn (criteria or groups whose current weight is > 0).
    pub(super) members: Vec<usize>,
    /// Per criterion: position of its group in `members` and its share in the group
    /// (level `Groups`).
    pub(super) group_member: Vec<usize>,
    pub(super) share_in_group: Vec<f64>,
    pub(super) lo: Vec<f64>,
    pub(super) hi: Vec<f64>,
    pub(super) bounded: bool,
    /// Positions in `members`, most important first.
    pub(super) order: Option<Vec<usize>>,
    pub(super) sum_lo: f64,
}

impl Sampler {
    pub(super) fn new(
        model: &Model,
        fw: &Framework,
        mx: &Matrix,
        wm: &WeightModel,
    ) -> Result<Sampler, SmaaError> {
        let n = model.n;
        let gw = &mx.weights.groups;
        let cw = &mx.weights.criteria;
        if gw.iter().chain(cw).any(|w| !w.is_finite() || *w < 0.0) {
            return invalid("weights must be finite and ≥ 0");
        }
        let mut in_group = vec![0.0; fw.groups.len()];
        for c in 0..n {
            in_group[model.crit_group[c]] += cw[c];
        }
        let mut base: Vec<f64> = (0..n)
            .map(|c| {
                let g = model.crit_group[c];
                if in_group[g] > 0.0 {
                    gw[g] * cw[c] / in_group[g]
                } else {
                    0.0
                }
            })
            .collect();
        let total: f64 = base.iter().sum();
        if total <= 0.0 {
            return invalid("no criterion has a weight above 0");
        }
        base.iter_mut().for_each(|w| *w /= total);
        let mut s = Sampler {
            n,
            base,
            fixed: true,
            level: WeightLevel::Criteria,
            members: Vec::new(),
            group_member: vec![usize::MAX; n],
            share_in_group: vec![0.0; n],
            lo: Vec::new(),
            hi: Vec::new(),
            bounded: false,
            order: None,
            sum_lo: 0.0,
        };
        let WeightModel::Uniform {
            level,
            bounds,
            order,
        } = wm
        else {
            return Ok(s);
        };
        s.fixed = false;
        s.level = *level;
        let level_len = match level {
            WeightLevel::Criteria => n,
            WeightLevel::Groups => fw.groups.len(),
        };
        let mut group_sum = vec![0.0; fw.groups.len()];
        for c in 0..n {
            group_sum[model.crit_group[c]] += s.base[c];
        }
        s.members = match level {
            WeightLevel::Criteria => (0..n).filter(|&c| s.base[c] > 0.0).collect(),
            WeightLevel::Groups => (0..fw.groups.len())
                .filter(|&g| group_sum[g] > 0.0)
                .collect(),
        };
        if *level == WeightLevel::Groups {
            for c in 0..n {
                let g = model.crit_group[c];
                if let Some(p) = s.members.iter().position(|&x| x == g) {
                    s.group_member[c] = p;
                    s.share_in_group[c] = s.base[c] / group_sum[g];
                }
            }
        }
        let what = |i: usize| match level {
            WeightLevel::Criteria => fw
                .criteria()
                .nth(i)
                .map_or(format!("criterion {i}"), |(_, c)| {
                    format!("criterion \"{}\"", c.id)
                }),
            WeightLevel::Groups => fw
                .groups
                .get(i)
                .map_or(format!("group {i}"), |g| format!("group \"{}\"", g.id)),
        };
        let k = s.members.len();
        s.lo = vec![0.0; k];
        s.hi = vec![1.0; k];
        for b in bounds {
            if b.index >= level_len {
                return invalid(format!(
                    "a weight bound names {}, which does not exist",
                    what(b.index)
                ));
            }
            let Some(p) = s.members.iter().position(|&x| x == b.index) else {
                return invalid(format!(
                    "a weight bound names {}, whose weight is 0 (it is not sampled)",
                    what(b.index)
                ));
            };
            if !(b.lo.is_finite() && b.hi.is_finite() && 0.0 <= b.lo && b.lo <= b.hi && b.hi <= 1.0)
            {
                return invalid(format!(
                    "the bounds of {} must satisfy 0 ≤ lo ≤ hi ≤ 1 (shares of the total weight)",
                    what(b.index)
                ));
            }
            s.lo[p] = b.lo;
            s.hi[p] = b.hi;
            s.bounded = true;
        }
        s.sum_lo = s.lo.iter().sum();
        if s.sum_lo > 1.0 + 1e-12 {
            return invalid("the lower weight bounds add up to more than 1");
        }
        if s.hi.iter().sum::<f64>() < 1.0 - 1e-12 {
            return invalid("the upper weight bounds add up to less than 1");
        }
        if let Some(order) = order {
            let mut pos = Vec::with_capacity(order.len());
            for &x in order {
                match s.members.iter().position(|&mbr| mbr == x) {
                    Some(p) if !pos.contains(&p) => pos.push(p),
                    Some(_) => return invalid(format!("the weight order names {} twice", what(x))),
                    None => {
                        return invalid(format!(
                            "the weight order names {}, which is not sampled (no such index, or weight 0)",
                            what(x)
                        ));
                    }
                }
            }
            if pos.len() != k {
                return invalid(format!(
                    "the weight order must list every weight that counts ({k}), once"
                ));
            }
            s.order = Some(pos);
        }
        Ok(s)
    }

    /// Uniform on the simplex: spacings of k − 1 sorted uniforms.
    /// The cut points are 53-bit integers (`next_u64() >> 11`), sorted as integers; the
    /// spacings are exact multiples of 2⁻⁵³.
    pub(super) fn simplex(rng: &mut ChaCha8Rng, k: usize, u: &mut Vec<u64>, v: &mut [f64]) {
        const SCALE: f64 = 1.0 / 9_007_199_254_740_992.0;
        u.clear();
        for _ in 1..k {
            u.push(rng.next_u64() >> 11);
        }
        u.sort_unstable();
        let mut prev = 0u64;
        for (j, &x) in u.iter().enumerate() {
            v[j] = (x - prev) as f64 * SCALE;
            prev = x;
        }
        v[k - 1] = ((1u64 << 53) - prev) as f64 * SCALE;
    }

    /// One try: the level's shares in `v`; false when rejected by the bounds.
    pub(super) fn try_level(
        &self,
        rng: &mut ChaCha8Rng,
        u: &mut Vec<u64>,
        v: &mut [f64],
        tmp: &mut [f64],
    ) -> bool {
        let k = self.members.len();
        Self::simplex(rng, k, u, v);
        if let Some(order) = &self.order {
            tmp[..k].copy_from_slice(&v[..k]);
            tmp[..k].sort_unstable_by(|a, b| b.total_cmp(a));
            for (r, &p) in order.iter().enumerate() {
                v[p] = tmp[r];
            }
            return !self.bounded || (0..k).all(|p| v[p] >= self.lo[p] && v[p] <= self.hi[p]);
        }
        if !self.bounded {
            return true;
        }
        // Lower bounds exactly (an affine map of the simplex onto {v ≥ lo}); upper
        // bounds by rejection.
        let free = 1.0 - self.sum_lo;
        for (x, &lo) in v[..k].iter_mut().zip(&self.lo) {
            *x = lo + free * *x;
        }
        v[..k].iter().zip(&self.hi).all(|(x, hi)| x <= hi)
    }

    pub(super) fn expand(&self, v: &[f64], w: &mut [f64]) {
        match self.level {
            WeightLevel::Criteria => {
                w.fill(0.0);
                for (p, &c) in self.members.iter().enumerate() {
                    w[c] = v[p];
                }
            }
            WeightLevel::Groups => {
                for ((x, &p), &share) in w[..self.n]
                    .iter_mut()
                    .zip(&self.group_member)
                    .zip(&self.share_in_group)
                {
                    *x = if p == usize::MAX { 0.0 } else { v[p] * share };
                }
            }
        }
    }

    /// Draws one sample of global criterion weights into `w`.
    pub(super) fn sample(
        &self,
        rng: &mut ChaCha8Rng,
        scratch: &mut WeightScratch,
        w: &mut [f64],
    ) -> Result<(), SmaaError> {
        if self.fixed {
            w.copy_from_slice(&self.base);
            return Ok(());
        }
        for _ in 0..MAX_TRIES_PER_SAMPLE {
            if self.try_level(rng, &mut scratch.u, &mut scratch.v, &mut scratch.tmp) {
                self.expand(&scratch.v, w);
                return Ok(());
            }
        }
        invalid(format!(
            "the weight bounds leave too little room: {MAX_TRIES_PER_SAMPLE} draws in a row \
             were rejected; widen the bounds"
        ))
    }

    /// Share of accepted draws in a pilot run (None when nothing is rejected).
    pub(super) fn pilot(&self, seed: u64) -> Option<f64> {
        if self.fixed || !self.bounded {
            return None;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(STREAM_PILOT);
        let mut sc = WeightScratch::new(self.members.len());
        let ok = (0..PILOT_DRAWS)
            .filter(|_| self.try_level(&mut rng, &mut sc.u, &mut sc.v, &mut sc.tmp))
            .count();
        Some(ok as f64 / f64::from(PILOT_DRAWS))
    }
}

pub(super) struct WeightScratch {
    pub(super) u: Vec<u64>,
    pub(super) v: Vec<f64>,
    pub(super) tmp: Vec<f64>,
}

impl WeightScratch {
    pub(super) fn new(k: usize) -> WeightScratch {
        WeightScratch {
            u: Vec::with_capacity(k),
            v: vec![0.0; k.max(1)],
            tmp: vec![0.0; k.max(1)],
        }
    }
}
