//! SMAA-2 rank acceptability: Monte Carlo over the weights (and, optionally, over the
//! scores within each cell's confidence) of how often each mechanism takes each rank of
//! the composite total. Pure and deterministic for a seed; the method is documented in
//! docs/analysis.md ("SMAA-2 rank acceptability").
//!
//! # Semantics (the composite rules of `results_from_matrix`, sample by sample)
//!
//! A sample is a vector `w` of *global criterion weights* (one per criterion, ≥ 0,
//! summing to 1). The group weight is the sum of its criteria's weights and a
//! criterion's weight within its group is its share of that sum; with these, each
//! sample's totals follow docs/analysis.md §2–§4 exactly: group indices over the
//! assessed criteria, coverage thresholds, concern groups inverted, null totals.
//! (Inverting a concern group's index is the same as scoring each criterion in the
//! composite's direction — `x` for a benefit criterion, `1 − x` for a cost criterion —
//! whatever its group's role, which is what is precomputed here.)
//!
//! Ranks are competition ranks as in §4: equal totals share the best rank. A mechanism
//! whose total is null in a sample (coverage below 50 %, or, under the ranking rule
//! `RankingRule::UnrankIncomplete`, a counted group without an index) gets no rank in
//! that sample; its share of such samples is reported as `unranked`.
//!
//! # Precision
//!
//! Totals are computed in `f32` (mechanisms in tiles of 16, or with score uncertainty
//! 16 samples side by side; criteria summed in a fixed order, so that the result does not depend
//! on the SIMD width), which orders mechanisms whose
//! totals differ by more than [`Smaa::f32_resolution`]. Runs of mechanisms closer than
//! that are recomputed in `f64` and ranked with the tolerance of §4 (1e-9 on the 0–100
//! scale), so that fixed weights without score noise give exactly the deterministic
//! ranks.
//!
//! # Reproducibility
//!
//! Samples are split into chunks of [`CHUNK`]; chunk `k` draws from its own
//! `ChaCha8Rng::seed_from_u64(seed)` with `set_stream(k)` (rand_chacha, whose output
//! is specified and portable); score draws come from eight xoshiro256++ generators
//! seeded from that chunk's ChaCha stream `2⁶¹ | k` (`noise`). Everything accumulated
//! across chunks is an integer (counts, and central weights in fixed point 2⁻³²), so
//! the result is the same
//! whatever the number of threads and whatever order rayon combines the chunks in.

mod constants;
mod lanes;
mod model;
mod noise;
mod options;
mod ranking;
mod result;
mod run;
mod scratch;
#[cfg(target_arch = "x86_64")]
mod sort512;
mod weights;

pub use constants::{
    CHUNK, DEFAULT_CONFIDENCE_SAMPLES, GENERATOR, MAX_MECHANISMS, MAX_SAMPLES, MAX_TRIES_PER_SAMPLE,
};
pub use options::*;
pub use result::*;

use constants::{FIX, PILOT_DRAWS};
use model::Model;
use run::{Isa, Run, isa};
use weights::Sampler;

use std::sync::atomic::{AtomicBool, AtomicU64};

use super::Matrix;
use crate::model::*;

/// Runs SMAA-2 on an effective matrix (weights taken from the matrix), on the current
/// rayon thread pool.
pub fn smaa(fw: &Framework, m: &Matrix, opts: &SmaaOptions) -> Result<Smaa, SmaaError> {
    smaa_with_progress(fw, m, opts, &AtomicBool::new(false), &AtomicU64::new(0))
}

/// As [`smaa`], for a worker thread: stops with `SmaaError::Cancelled` soon after
/// `cancel` is set, and adds the samples done to `progress` as it goes (up to
/// `opts.work()`).
pub fn smaa_with_progress(
    fw: &Framework,
    m: &Matrix,
    opts: &SmaaOptions,
    cancel: &AtomicBool,
    progress: &AtomicU64,
) -> Result<Smaa, SmaaError> {
    run_with(fw, m, opts, cancel, progress, isa())
}

fn run_with(
    fw: &Framework,
    m: &Matrix,
    opts: &SmaaOptions,
    cancel: &AtomicBool,
    progress: &AtomicU64,
    isa: Isa,
) -> Result<Smaa, SmaaError> {
    if opts.samples == 0 {
        return invalid("the number of samples must be at least 1");
    }
    if opts.samples > MAX_SAMPLES {
        return invalid(format!("at most {MAX_SAMPLES} samples"));
    }
    let model = Model::new(fw, m, &opts.scores, opts.missing)?;
    run_model(fw, m, model, opts, cancel, progress, isa)
}

/// The run on a precomputed model (the options already checked).
fn run_model(
    fw: &Framework,
    m: &Matrix,
    model: Model,
    opts: &SmaaOptions,
    cancel: &AtomicBool,
    progress: &AtomicU64,
    isa: Isa,
) -> Result<Smaa, SmaaError> {
    let sampler = Sampler::new(&model, fw, m, &opts.weights)?;
    if let Some(acceptance) = sampler.pilot(opts.seed)
        && acceptance == 0.0
    {
        return invalid(format!(
            "the weight bounds (and order) leave too little room: none of {PILOT_DRAWS} \
             trial draws from the simplex met them; widen the bounds"
        ));
    }
    let run = Run {
        model: &model,
        sampler: &sampler,
        opts,
        cancel,
        progress,
        isa,
    };
    let acc = run.main_pass()?;
    let mm = model.m;
    let n = model.n;
    let central: Vec<Option<Vec<f64>>> = (0..mm)
        .map(|i| {
            let first = acc.counts[i * (mm + 1)];
            (first > 0).then(|| {
                let raw: Vec<f64> = acc.cw[i * n..(i + 1) * n]
                    .iter()
                    .map(|&s| s as f64 / FIX / f64::from(first))
                    .collect();
                let sum: f64 = raw.iter().sum();
                raw.iter().map(|x| x / sum).collect()
            })
        })
        .collect();
    let (confidence, confidence_samples) = run.confidence_pass(&central)?;
    let rank_counts = (0..mm)
        .map(|i| {
            acc.counts[i * (mm + 1)..i * (mm + 1) + mm]
                .iter()
                .map(|&c| u64::from(c))
                .collect()
        })
        .collect();
    let unranked_counts = (0..mm)
        .map(|i| u64::from(acc.counts[i * (mm + 1) + mm]))
        .collect();
    let pairwise_counts = opts.pairwise.then(|| {
        (0..mm)
            .map(|i| {
                acc.pair[i * mm..(i + 1) * mm]
                    .iter()
                    .map(|&c| u64::from(c))
                    .collect()
            })
            .collect()
    });
    Ok(Smaa {
        options: opts.clone(),
        generator: GENERATOR,
        chunk_size: CHUNK,
        mechanism_ids: m.rows.iter().map(|r| r.mechanism_id.clone()).collect(),
        criterion_ids: fw.criteria().map(|(_, c)| c.id.clone()).collect(),
        criterion_groups: model.crit_group.clone(),
        rank_counts,
        unranked_counts,
        central_weights: central,
        confidence,
        confidence_samples,
        pairwise_counts,
        f32_resolution: f64::from(model.eps32),
    })
}

#[cfg(test)]
mod tests {
    use super::ranking::{key_index, key_total, sort_key, sort_keys};
    use super::*;
    use crate::compute::{Selection, effective_matrix};

    /// The portable, AVX2 and AVX-512 kernels and sorts give the same bits, with
    /// mechanisms tied exactly (the same scores) and every size of sort.
    #[test]
    fn every_instruction_set_gives_the_same_result() {
        let mut p = crate::generate::project(&crate::generate::GenSpec {
            mechanisms: 70,
            criteria: 9,
            analysts: 3,
            scenarios: 1,
            sources: 2,
            seed: 5,
        });
        // Mechanisms 1, 2 and 40 take the scores of mechanism 0: exact ties in every
        // sample, settled by the general path.
        let ids: Vec<String> = p.mechanisms.iter().map(|m| m.id.clone()).collect();
        p.scores
            .retain(|k, _| ![&ids[1], &ids[2], &ids[40]].contains(&&k.mechanism));
        let copies: Vec<_> = p
            .scores
            .iter()
            .filter(|(k, _)| k.mechanism == ids[0])
            .flat_map(|(k, v)| {
                [1, 2, 40].map(|j| {
                    let mut k = k.clone();
                    k.mechanism = ids[j].clone();
                    (k, v.clone())
                })
            })
            .collect();
        p.scores.extend(copies);
        let m = effective_matrix(&p, &Selection::default()).unwrap();
        let mut o = SmaaOptions::new(2 * CHUNK + 77, 9);
        let run = |o: &SmaaOptions, isa: Isa| {
            run_with(
                &p.framework,
                &m,
                o,
                &AtomicBool::new(false),
                &AtomicU64::new(0),
                isa,
            )
            .unwrap()
        };
        // Every level this CPU has, up to the one `isa` picks.
        let mut levels = vec![Isa::Baseline];
        #[cfg(target_arch = "x86_64")]
        {
            if isa() != Isa::Baseline {
                levels.push(Isa::Avx2);
            }
            if isa() == Isa::Avx512 {
                levels.push(Isa::Avx512);
            }
        }
        let plain = o.clone();
        o.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
        o.confidence_samples = Some(300);
        let (base, noisy) = (run(&plain, Isa::Baseline), run(&o, Isa::Baseline));
        for &level in &levels[1..] {
            assert_eq!(base, run(&plain, level), "{level:?}");
            assert_eq!(noisy, run(&o, level), "{level:?}");
        }
    }

    /// The lane kernel (f32, near ties in f64) ranks exactly as the f64 path does with
    /// the same draws: several analysts per cell, drawn not-assessed cells, and cells
    /// of one component, with and without the confidence pass.
    #[test]
    fn the_lane_kernel_ranks_as_the_exact_path() {
        let mut p = crate::generate::project(&crate::generate::GenSpec {
            mechanisms: 40,
            criteria: 7,
            analysts: 4,
            scenarios: 1,
            sources: 2,
            seed: 21,
        });
        // A few cells not assessed by anyone: drawn over their levels.
        p.scores
            .retain(|k, _| !(k.mechanism.ends_with('3') && k.criterion.ends_with('2')));
        let m = effective_matrix(&p, &Selection::default()).unwrap();
        let mut o = SmaaOptions::new(3 * CHUNK / 2 + 5, 31);
        o.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
        o.confidence_samples = Some(700);
        o.pairwise = true;
        let run = |exact: bool| {
            let model = Model::new(&p.framework, &m, &o.scores, o.missing).unwrap();
            assert!(!model.lanes.as_ref().unwrap().rows.is_empty());
            let model = if exact { model.without_lanes() } else { model };
            run_model(
                &p.framework,
                &m,
                model,
                &o,
                &AtomicBool::new(false),
                &AtomicU64::new(0),
                isa(),
            )
            .unwrap()
        };
        assert_eq!(run(false), run(true));
    }

    #[test]
    fn sort_keys_order_by_total_then_index() {
        let totals = [0.5f32, 0.25, 0.5, 0.75, 0.0, 0.5 + 1e-7, 0.25];
        let (tmax, tmin) = (0.75f32, 0.0f32);
        let scale = 65535.0 / (tmax - tmin);
        let mut keys: Vec<u64> = (0..70)
            .map(|i| sort_key(totals[i % totals.len()], i, tmax, scale))
            .collect();
        let mut tmp = Vec::new();
        sort_keys(&mut keys, &mut tmp);
        let order: Vec<(f32, usize)> = keys.iter().map(|&k| (key_total(k), key_index(k))).collect();
        let mut want: Vec<(f32, usize)> = (0..70).map(|i| (totals[i % totals.len()], i)).collect();
        want.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        assert_eq!(order, want);
    }
}
