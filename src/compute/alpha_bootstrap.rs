//! How uncertain a Krippendorff's alpha is: a seeded bootstrap over the units
//! (mechanisms, or cells for the pooled figure) gives a 95% interval and the
//! probability that alpha is below 0.667, Krippendorff's lowest standard for tentative
//! conclusions. Pure and deterministic for a seed; documented in docs/workshop.md
//! ("How sure is an alpha?").
//!
//! - The units alpha rests on (those with at least two values) are drawn with
//!   replacement, as many as there are, the coders kept; alpha is computed afresh on
//!   each resample (observed and expected disagreement both), `samples` times. This is
//!   Efron's nonparametric bootstrap with the unit as the sampled case. It is not the
//!   pair-resampling of Krippendorff's KALPHA macro, which holds the expected
//!   disagreement fixed and draws pairs of values, and so leaves out how much the
//!   units themselves vary.
//! - A resample whose alpha cannot be computed (every value the same) is left out and
//!   counted (`skipped`).
//! - The interval is the 2.5th and 97.5th percentiles of the resampled alphas, by
//!   linear interpolation between order statistics (type 7, as the cell quartiles);
//!   `p_below` is the share of resampled alphas strictly below the threshold.
//! - Draws: `ChaCha8Rng::seed_from_u64(seed)` (rand_chacha 0.10), one
//!   `RngExt::random_range(0..units)` per drawn unit, resample after resample.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::agreement::{
    ALPHA_TENTATIVE, Metric, ScoreMap, alpha_from_coincidences, criterion_data, pooled_data,
    quantile_sorted, unit_coincidences,
};
use crate::model::Project;

/// Resamples drawn by the app, the report and the command line.
pub const SAMPLES: usize = 1000;
/// Their seed.
pub const SEED: u64 = 1;
/// The interval's level.
pub const LEVEL: f64 = 0.95;

/// The bootstrap of one alpha.
#[derive(Clone, Debug, PartialEq)]
pub struct AlphaBootstrap {
    pub samples: usize,
    pub seed: u64,
    /// Resamples whose alpha could not be computed (left out).
    pub skipped: usize,
    /// The 95% interval (2.5th and 97.5th percentiles).
    pub low: f64,
    pub high: f64,
    /// Share of the resampled alphas below `threshold` (0.667).
    pub p_below: f64,
    pub threshold: f64,
}

/// The bootstrap of alpha for reliability data `units[u][coder]` (None = missing, as
/// in `krippendorff_alpha`). None when fewer than two units have two values, or when
/// no resample gives an alpha.
pub fn bootstrap_alpha(
    units: &[Vec<Option<f64>>],
    metric: Metric,
    samples: usize,
    seed: u64,
) -> Option<AlphaBootstrap> {
    let pairable: Vec<Vec<f64>> = units
        .iter()
        .map(|u| {
            u.iter()
                .filter_map(|x| x.filter(|v| v.is_finite()))
                .collect::<Vec<f64>>()
        })
        .filter(|u| u.len() >= 2)
        .collect();
    let n_units = pairable.len();
    if n_units < 2 || samples == 0 {
        return None;
    }
    let mut distinct: Vec<f64> = pairable.iter().flatten().copied().collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let v = distinct.len();
    let contributions: Vec<Vec<(usize, usize, f64)>> = pairable
        .iter()
        .map(|u| {
            let idx: Vec<usize> = u
                .iter()
                .map(|x| {
                    distinct
                        .binary_search_by(|p| p.total_cmp(x))
                        .expect("every value is in the list")
                })
                .collect();
            unit_coincidences(&idx, v)
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut o = vec![0.0_f64; v * v];
    let mut alphas = Vec::with_capacity(samples);
    for _ in 0..samples {
        o.iter_mut().for_each(|x| *x = 0.0);
        for _ in 0..n_units {
            let u = rng.random_range(0..n_units);
            for &(c, k, w) in &contributions[u] {
                o[c * v + k] += w;
            }
        }
        if let Ok(a) = alpha_from_coincidences(&o, &distinct, metric) {
            alphas.push(a);
        }
    }
    if alphas.is_empty() {
        return None;
    }
    let skipped = samples - alphas.len();
    let below = alphas.iter().filter(|&&a| a < ALPHA_TENTATIVE).count();
    alphas.sort_by(f64::total_cmp);
    let tail = (1.0 - LEVEL) / 2.0;
    Some(AlphaBootstrap {
        samples,
        seed,
        skipped,
        low: quantile_sorted(&alphas, tail)?,
        high: quantile_sorted(&alphas, 1.0 - tail)?,
        p_below: below as f64 / alphas.len() as f64,
        threshold: ALPHA_TENTATIVE,
    })
}

/// The bootstrap of the ordinal alpha (the primary figure for anchored scales) of
/// every criterion and of the pooled matrix, as `agreement::agreement` computes them.
#[derive(Clone, Debug, PartialEq)]
pub struct Bootstraps {
    /// In framework order (None: alpha is not computable there).
    pub criteria: Vec<Option<AlphaBootstrap>>,
    pub overall: Option<AlphaBootstrap>,
}

impl Bootstraps {
    /// The bootstrap of a criterion by its index in framework order.
    pub fn criterion(&self, i: usize) -> Option<&AlphaBootstrap> {
        self.criteria.get(i).and_then(Option::as_ref)
    }
}

/// Bootstraps (`SAMPLES` resamples, seed `SEED`) of the ordinal alphas of a score map.
pub fn ordinal_bootstraps(project: &Project, scores: &ScoreMap) -> Bootstraps {
    Bootstraps {
        criteria: project
            .framework
            .criteria()
            .map(|(_, c)| {
                let data = criterion_data(project, scores, &c.id);
                bootstrap_alpha(&data, Metric::Ordinal, SAMPLES, SEED)
            })
            .collect(),
        overall: bootstrap_alpha(
            &pooled_data(project, scores),
            Metric::Ordinal,
            SAMPLES,
            SEED,
        ),
    }
}

/// "95% interval 0.45–1.00, P(α < 0.667) 18%": how a bootstrap reads in the app, the
/// chart and the report.
pub fn describe(b: &AlphaBootstrap) -> String {
    format!(
        "95% interval {}–{}, P(α < {}) {}",
        crate::wording::fixed(b.low, 2),
        crate::wording::fixed(b.high, 2),
        b.threshold,
        probability(b.p_below)
    )
}

/// "0.45–1.00 · P 18%": the same in a table cell whose heading says what it is.
pub fn describe_short(b: &AlphaBootstrap) -> String {
    format!(
        "{}–{} · P {}",
        crate::wording::fixed(b.low, 2),
        crate::wording::fixed(b.high, 2),
        probability(b.p_below)
    )
}

/// A probability in whole percent, never rounded to a certainty it is not: "0%" only
/// for none, "below 1%", "above 99%", "100%" only for all.
pub fn probability(p: f64) -> String {
    if p > 0.0 && p < 0.005 {
        "below 1%".into()
    } else if (0.995..1.0).contains(&p) {
        "above 99%".into()
    } else {
        crate::wording::whole_percent(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(rows: &[&[f64]]) -> Vec<Vec<Option<f64>>> {
        rows.iter()
            .map(|r| r.iter().map(|&x| (x >= 0.0).then_some(x)).collect())
            .collect()
    }

    #[test]
    fn perfect_agreement_with_variation_is_certain() {
        // Every resample that has two different units has alpha 1; one with a single
        // repeated unit has no variation and is skipped.
        let d = data(&[&[0.0, 0.0], &[2.0, 2.0], &[4.0, 4.0]]);
        let b = bootstrap_alpha(&d, Metric::Interval, 500, 7).unwrap();
        assert_eq!((b.low, b.high, b.p_below), (1.0, 1.0, 0.0));
        // P(one unit three times) = 3/27 = 1/9: about 56 of 500 skipped.
        assert!(b.skipped > 20 && b.skipped < 100, "{}", b.skipped);
    }

    #[test]
    fn the_same_seed_gives_the_same_result() {
        let d = data(&[
            &[1.0, 2.0, 1.0],
            &[3.0, 3.0, 4.0],
            &[0.0, 1.0, -1.0],
            &[4.0, 2.0, 4.0],
            &[2.0, 2.0, 3.0],
        ]);
        let a = bootstrap_alpha(&d, Metric::Ordinal, 300, 3).unwrap();
        assert_eq!(a, bootstrap_alpha(&d, Metric::Ordinal, 300, 3).unwrap());
        assert!(a.low <= a.high);
        assert!(bootstrap_alpha(&d[..1], Metric::Ordinal, 300, 3).is_none());
    }
}
