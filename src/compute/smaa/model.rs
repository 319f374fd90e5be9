//! The precomputed matrix: each cell's oriented share (and, with score noise, its
//! spread) laid out for the sampling kernels, and the exact `f64` totals used to break
//! near-ties.

use super::constants::{COV_TOL, LANES, MAX_MECHANISMS};
use super::lanes::LaneTables;
use super::noise::{Draws, component};
use super::options::{MissingCells, ScoreUncertainty, SmaaError, invalid};
use crate::compute::{MIN_COVERAGE, Matrix};
use crate::model::{Criterion, Direction, Framework, ScoreValue, TotalReading};

pub(super) const VALUE: u8 = 0;
pub(super) const NOT_ASSESSED: u8 = 1;
pub(super) const NOT_APPLICABLE: u8 = 2;

/// The effective matrix, normalised and oriented once.
pub(super) struct Model {
    pub(super) m: usize,
    pub(super) n: usize,
    pub(super) groups: usize,
    pub(super) crit_group: Vec<usize>,
    /// The criteria of each group (contiguous in framework order).
    pub(super) group_ranges: Vec<std::ops::Range<usize>>,
    /// Row-major m × n: share in the composite's direction (x for benefit, 1 − x for cost).
    pub(super) share: Vec<f64>,
    /// Row-major m × n: VALUE, NOT_ASSESSED or NOT_APPLICABLE.
    pub(super) state: Vec<u8>,
    /// Row-major m × n: noise half-width in share units (0 without score uncertainty).
    pub(super) half: Vec<f64>,
    /// Row-major m × n: index into `mixtures`, or `NO_MIXTURE`. A cell with a
    /// mixture (several analysts' numbers, or a not-assessed cell drawn over its
    /// levels) draws one component per sample; its row is a general row.
    pub(super) mixture_at: Vec<u32>,
    /// Components (share, half-width), equally likely.
    pub(super) mixtures: Vec<Box<[(f64, f64)]>>,
    /// Every cell is a number (with or without several components).
    pub(super) all_value: Vec<bool>,
    pub(super) noisy: bool,
    /// With score uncertainty: the coded cells of the rows the lane kernel totals.
    pub(super) lanes: Option<LaneTables>,
    /// The rows totalled in f32 (without score uncertainty, the fully scored rows;
    /// with it, the rows of `lanes`), in tiles of LANES (the last tile padded with
    /// `usize::MAX`).
    pub(super) fast_rows: Vec<usize>,
    pub(super) tiles: usize,
    /// tiles × n × LANES shares (f32).
    pub(super) xt: Vec<f32>,
    /// The other rows, totalled one cell at a time in f64.
    pub(super) general_rows: Vec<usize>,
    /// Largest f32 error of the difference of two totals (0–1 scale).
    pub(super) eps32: f32,
    /// The same bound for the totals `rank` orders, at most t: `eps_rel · t + eps_abs`
    /// (≤ eps32).
    pub(super) eps_rel: f32,
    pub(super) eps_abs: f32,
    /// `RankingRule::UnrankIncomplete`: a sample in which a counted group has no index
    /// leaves the mechanism without a total.
    pub(super) unrank_incomplete: bool,
}

impl Model {
    pub(super) fn new(
        fw: &Framework,
        mx: &Matrix,
        scores: &ScoreUncertainty,
        missing: MissingCells,
    ) -> Result<Model, SmaaError> {
        let criteria: Vec<(usize, &Criterion)> = fw.criteria().collect();
        let reading = mx.viewpoint.reading;
        let n = criteria.len();
        let m = mx.rows.len();
        if n == 0 {
            return invalid("the framework has no criteria");
        }
        if m > MAX_MECHANISMS {
            return invalid(format!("at most {MAX_MECHANISMS} mechanisms"));
        }
        if mx.cells.len() != m
            || mx.cells.iter().any(|r| r.len() != n)
            || mx.weights.criteria.len() != n
            || mx.weights.groups.len() != fw.groups.len()
        {
            return invalid("the matrix does not match the framework");
        }
        let spread = match scores {
            ScoreUncertainty::Off => None,
            ScoreUncertainty::FromConfidence(s) => {
                for (name, h) in [("high", s.high), ("moderate", s.moderate), ("low", s.low)] {
                    if !h.is_finite() || h < 0.0 {
                        return invalid(format!(
                            "the {name}-confidence half-width must be a number ≥ 0"
                        ));
                    }
                }
                Some(*s)
            }
        };
        let mut share = vec![0.0; m * n];
        let mut state = vec![NOT_ASSESSED; m * n];
        let mut half = vec![0.0; m * n];
        let mut complete = vec![true; m];
        let mut mixture_at = vec![NO_MIXTURE; m * n];
        let mut mixtures: Vec<Box<[(f64, f64)]>> = Vec::new();
        // Each criterion's whole levels as shares, for drawn missing cells.
        let levels: Vec<Box<[(f64, f64)]>> = criteria
            .iter()
            .map(|(_, crit)| {
                (crit.scale.min..=crit.scale.max)
                    .map(|v| (oriented(crit, reading, f64::from(v)), 0.0))
                    .collect()
            })
            .collect();
        for i in 0..m {
            for (c, (_, crit)) in criteria.iter().enumerate() {
                let cell = &mx.cells[i][c];
                let span = f64::from(crit.scale.max - crit.scale.min);
                let half_of = |conf: Option<crate::model::Confidence>| match &spread {
                    Some(s) if span > 0.0 => s.half_width(conf) / span,
                    _ => 0.0,
                };
                match cell.value {
                    ScoreValue::Value(v) => {
                        let finite = v.is_finite()
                            && cell
                                .analysts
                                .iter()
                                .flat_map(|a| a.iter())
                                .all(|(x, _)| x.is_finite());
                        if !finite {
                            return invalid(format!(
                                "mechanism {} has a score that is not a number",
                                mx.rows[i].mechanism_id
                            ));
                        }
                        share[i * n + c] = oriented(crit, reading, v);
                        state[i * n + c] = VALUE;
                        half[i * n + c] = half_of(cell.confidence);
                        if let (Some(list), Some(_)) = (&cell.analysts, &spread) {
                            mixture_at[i * n + c] = mixtures.len() as u32;
                            mixtures.push(
                                list.iter()
                                    .map(|&(x, conf)| {
                                        (oriented(crit, reading, x), half_of(Some(conf)))
                                    })
                                    .collect(),
                            );
                            complete[i] = false;
                        }
                    }
                    ScoreValue::NotAssessed if missing == MissingCells::Drawn => {
                        // Counted as assessed, with a level drawn in each sample; its
                        // share without a draw is the middle of the scale.
                        share[i * n + c] = 0.5;
                        state[i * n + c] = VALUE;
                        mixture_at[i * n + c] = mixtures.len() as u32;
                        mixtures.push(levels[c].clone());
                        complete[i] = false;
                    }
                    ScoreValue::NotAssessed => complete[i] = false,
                    ScoreValue::NotApplicable => {
                        state[i * n + c] = NOT_APPLICABLE;
                        complete[i] = false;
                    }
                }
            }
        }
        let noisy = spread.is_some() || !mixtures.is_empty();
        let all_value: Vec<bool> = (0..m)
            .map(|i| state[i * n..(i + 1) * n].iter().all(|&s| s == VALUE))
            .collect();
        let lanes = noisy.then(|| {
            // A cell without a mixture is one component: its value and half-width.
            let single: Vec<[(f64, f64); 1]> =
                share.iter().zip(&half).map(|(&s, &h)| [(s, h)]).collect();
            LaneTables::new(
                m,
                n,
                (0..m).filter(|&i| all_value[i]),
                |i, c| match mixture_at[i * n + c] {
                    NO_MIXTURE => &single[i * n + c][..],
                    k => &mixtures[k as usize][..],
                },
            )
        });
        let fast: Vec<usize> = match &lanes {
            Some(t) => t.rows.clone(),
            None => (0..m).filter(|&i| complete[i]).collect(),
        };
        let mut is_fast = vec![false; m];
        fast.iter().for_each(|&i| is_fast[i] = true);
        let general_rows: Vec<usize> = (0..m).filter(|&i| !is_fast[i]).collect();
        let tiles = fast.len().div_ceil(LANES);
        let mut fast_rows = vec![usize::MAX; tiles * LANES];
        fast_rows[..fast.len()].copy_from_slice(&fast);
        let mut xt = vec![0.0f32; tiles * n * LANES];
        for (p, &i) in fast.iter().enumerate() {
            let (t, k) = (p / LANES, p % LANES);
            for c in 0..n {
                xt[t * n * LANES + c * LANES + k] = share[i * n + c] as f32;
            }
        }
        // Bound on the f32 error of a total (0–1) against f64, in units u = 2⁻²⁴: the
        // sequential dot product ≤ n·u, the weights' rounding ≤ u, each noisy share
        // ≤ (2 + 2h)·u (h = half-width in share units). Totals closer than twice the
        // bound, with a margin, are compared in f64.
        let hmax = half
            .iter()
            .chain(mixtures.iter().flat_map(|x| x.iter().map(|(_, h)| h)))
            .fold(0.0f64, |a, &b| a.max(b)) as f32;
        let eps32 = (n as f32 + 6.0 + 2.0 * hmax) * f32::EPSILON;
        // The same bound for a total t (the dot product's error scales with t):
        // eps_rel · t + eps_abs. With score uncertainty the totals ranked come from the
        // lane kernel, which sums the criteria in four running sums (⌈n/4⌉ terms each)
        // and adds those in pairs: each product passes through ⌈n/4⌉ + 2 additions.
        let additions = if noisy { n.div_ceil(4) + 2 } else { n };
        let eps_rel = (additions as f32 + 2.0) * f32::EPSILON;
        let eps_abs = (4.0 + 2.0 * hmax) * f32::EPSILON;
        let mut group_ranges = vec![0..0; fw.groups.len()];
        let mut start = 0;
        for (g, grp) in fw.groups.iter().enumerate() {
            group_ranges[g] = start..start + grp.criteria.len();
            start += grp.criteria.len();
        }
        Ok(Model {
            group_ranges,
            m,
            n,
            groups: fw.groups.len(),
            crit_group: criteria.iter().map(|(g, _)| *g).collect(),
            share,
            state,
            half,
            mixture_at,
            mixtures,
            all_value,
            noisy,
            lanes,
            fast_rows,
            tiles,
            xt,
            general_rows,
            eps32,
            eps_rel,
            eps_abs,
            unrank_incomplete: mx.ranking_rule == crate::model::RankingRule::UnrankIncomplete,
        })
    }

    /// The share of cell (i, c) in f64 for the sample of `draws` (the same draw as the
    /// f32 kernels: see `noise::component`).
    #[inline]
    pub(super) fn share_at(&self, i: usize, c: usize, draws: Draws) -> f64 {
        let at = i * self.n + c;
        let s = self.share[at];
        if !self.noisy || draws.is_none() {
            return s;
        }
        let r = draws.at(at);
        let (centre, half, pos) = match self.mixture_at[at] {
            NO_MIXTURE => (s, self.half[at], component(r, 1).1),
            k => {
                // One draw picks the component and places the noise within it.
                let parts = &self.mixtures[k as usize];
                let (j, pos) = component(r, parts.len() as u32);
                let (centre, half) = parts[j as usize];
                (centre, half, pos)
            }
        };
        (centre + half * (f64::from(pos) / 65_536.0)).clamp(0.0, 1.0)
    }

    /// A mechanism's total (0–1) in f64 under global criterion weights `w` whose group
    /// sums are `gsum`, following docs/analysis.md §2–§3; None when null.
    pub(super) fn exact_total(
        &self,
        i: usize,
        w: &[f64],
        gsum: &[f64],
        noise: Draws,
    ) -> Option<f64> {
        let n = self.n;
        if self.all_value[i] {
            let mut t = 0.0;
            if !self.noisy || noise.is_none() {
                for (&wc, &s) in w.iter().zip(&self.share[i * n..(i + 1) * n]) {
                    t += wc * s;
                }
            } else {
                for (c, &wc) in w.iter().enumerate() {
                    t += wc * self.share_at(i, c, noise);
                }
            }
            return Some(t);
        }
        let (mut num, mut den, mut den_all) = (0.0, 0.0, 0.0);
        for (g, range) in self.group_ranges.iter().enumerate() {
            let (mut acc, mut wsum, mut wapp) = (0.0, 0.0, 0.0);
            for c in range.clone() {
                match self.state[i * n + c] {
                    VALUE => {
                        wsum += w[c];
                        wapp += w[c];
                        acc += w[c] * self.share_at(i, c, noise);
                    }
                    NOT_ASSESSED => wapp += w[c],
                    _ => {}
                }
            }
            let coverage = if wapp > 0.0 { wsum / wapp } else { 0.0 };
            let index = (wsum > 0.0 && coverage + COV_TOL >= MIN_COVERAGE).then(|| acc / wsum);
            if gsum[g] > 0.0 && wapp > 0.0 {
                den_all += gsum[g];
                if let Some(ix) = index {
                    num += gsum[g] * ix;
                    den += gsum[g];
                } else if self.unrank_incomplete {
                    return None;
                }
            }
        }
        let coverage = if den_all > 0.0 { den / den_all } else { 0.0 };
        (den > 0.0 && coverage + COV_TOL >= MIN_COVERAGE).then(|| num / den)
    }

    /// The same model with every row on the f64 path (to check the kernels against).
    #[cfg(test)]
    pub(super) fn without_lanes(mut self) -> Model {
        self.lanes = None;
        self.fast_rows.clear();
        self.tiles = 0;
        self.xt.clear();
        self.general_rows = (0..self.m).collect();
        self
    }

    pub(super) fn group_sums(&self, w: &[f64], gsum: &mut [f64]) {
        gsum.fill(0.0);
        for (c, &wc) in w.iter().enumerate() {
            gsum[self.crit_group[c]] += wc;
        }
    }
}

/// No mixture at this cell.
pub(super) const NO_MIXTURE: u32 = u32::MAX;

/// A score as a share of its scale in the composite's direction: benefit criteria as
/// they are and cost criteria inverted in a "higher = better" total, the reverse in a
/// "higher = more concern" one.
fn oriented(crit: &Criterion, reading: TotalReading, v: f64) -> f64 {
    let x = crit.scale.normalise(v);
    let up = (crit.direction == Direction::Benefit) == (reading == TotalReading::Benefit);
    if up { x } else { 1.0 - x }
}
