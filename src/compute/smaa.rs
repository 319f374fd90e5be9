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
//! whose total is null in a sample (coverage below 50 %) gets no rank in that sample;
//! its share of such samples is reported as `unranked`.
//!
//! # Precision
//!
//! Totals are computed in `f32` (mechanisms in tiles of 16, criteria in sequence, so
//! that the result does not depend on the SIMD width), which orders mechanisms whose
//! totals differ by more than [`Smaa::f32_resolution`]. Runs of mechanisms closer than
//! that are recomputed in `f64` and ranked with the tolerance of §4 (1e-9 on the 0–100
//! scale), so that fixed weights without score noise give exactly the deterministic
//! ranks.
//!
//! # Reproducibility
//!
//! Samples are split into chunks of [`CHUNK`]; chunk `k` draws from its own
//! `ChaCha8Rng::seed_from_u64(seed)` with `set_stream(k)` (rand_chacha, whose output
//! is specified and portable). Everything accumulated across chunks is an integer
//! (counts, and central weights in fixed point 2⁻³²), so the result is the same
//! whatever the number of threads and whatever order rayon combines the chunks in.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde_json::{Value, json};

use super::{MIN_COVERAGE, Matrix};
use crate::model::*;

/// Samples per chunk; each chunk has its own random stream.
pub const CHUNK: usize = 4096;
/// Confidence-factor samples when [`SmaaOptions::confidence_samples`] is `None`
/// (capped by the number of samples).
pub const DEFAULT_CONFIDENCE_SAMPLES: usize = 10_000;
/// The largest number of samples (counters are 32-bit per mechanism and rank).
pub const MAX_SAMPLES: usize = 1_000_000_000;
/// The largest number of mechanisms (ranks are stored in 16 bits).
pub const MAX_MECHANISMS: usize = 32_767;
/// The random generator, as recorded with every result.
pub const GENERATOR: &str =
    "ChaCha8Rng (rand_chacha 0.10): seed_from_u64(seed), set_stream(chunk index)";
/// Tries per accepted sample before giving up on a bounded weight model.
pub const MAX_TRIES_PER_SAMPLE: u32 = 100_000;

/// Tie tolerance on the 0–1 scale (1e-9 on the 0–100 scale, as `stats::competition_ranks`).
const TIE_EPS: f64 = 1e-11;
/// Tolerance on the coverage thresholds (as in `results_from_matrix`).
const COV_TOL: f64 = 1e-12;
/// Mechanisms per tile of the f32 kernel.
const LANES: usize = 16;
/// Samples whose totals are computed in one pass over the matrix (without score noise).
const GROUP: usize = 4;
/// Samples per block of the pairwise kernel.
const BLOCK: usize = 64;
/// Mechanism rows per tile of the pairwise kernel.
const PAIR_ROWS: usize = 16;
/// Fixed-point scale of the accumulated central weights.
const FIX: f64 = 4_294_967_296.0;
/// Stream numbers of the confidence-factor pass, of the acceptance pilot and of the
/// score noise, or-ed with the chunk index (the weights use the chunk index itself).
const STREAM_CONFIDENCE: u64 = 1 << 63;
const STREAM_PILOT: u64 = 1 << 62;
const STREAM_NOISE: u64 = 1 << 61;
/// Draws of the acceptance pilot for bounded weight models.
const PILOT_DRAWS: u32 = 4_000;

// ---------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------

/// Which weights are drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WeightLevel {
    /// One weight per criterion, uniform on the simplex of the criteria that count.
    #[default]
    Criteria,
    /// One weight per group, uniform on the simplex of the groups that count; the
    /// criteria keep their shares within their group.
    Groups,
}

impl WeightLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            WeightLevel::Criteria => "criteria",
            WeightLevel::Groups => "groups",
        }
    }
}

/// Bounds on one weight of the sampled level, as a share of the level (0–1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeightBound {
    /// Flat criterion index (level `Criteria`) or group index (level `Groups`).
    pub index: usize,
    pub lo: f64,
    pub hi: f64,
}

/// How the weights of a sample are drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightModel {
    /// The weights in force (no weight uncertainty; use with score uncertainty).
    Fixed,
    /// Uniform on the simplex of the level's weights that count (a criterion or group
    /// whose current weight is 0 stays at 0), restricted to the bounds and, when an
    /// order is given, to weights that decrease along it.
    Uniform {
        level: WeightLevel,
        bounds: Vec<WeightBound>,
        /// Indices of the level (flat criterion or group indices) from most to least
        /// important; must list every weight that counts, once.
        order: Option<Vec<usize>>,
    },
}

impl Default for WeightModel {
    fn default() -> Self {
        WeightModel::Uniform {
            level: WeightLevel::Criteria,
            bounds: Vec::new(),
            order: None,
        }
    }
}

/// Half-widths, in scale points, of the uniform noise added to a score of each
/// confidence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreSpread {
    pub high: f64,
    pub moderate: f64,
    pub low: f64,
}

impl Default for ScoreSpread {
    fn default() -> Self {
        ScoreSpread {
            high: 0.0,
            moderate: 0.5,
            low: 1.0,
        }
    }
}

impl ScoreSpread {
    fn half_width(&self, c: Option<Confidence>) -> f64 {
        match c {
            Some(Confidence::High) => self.high,
            Some(Confidence::Moderate) => self.moderate,
            // A number without a confidence cannot come from a project; count it low.
            Some(Confidence::Low) | None => self.low,
        }
    }
}

/// Score uncertainty: off, or uniform noise within each cell's confidence, clamped to
/// the scale. Cells not assessed or not applicable stay so.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ScoreUncertainty {
    #[default]
    Off,
    FromConfidence(ScoreSpread),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SmaaOptions {
    pub samples: usize,
    pub seed: u64,
    pub weights: WeightModel,
    pub scores: ScoreUncertainty,
    /// Also count pairwise winning probabilities (costs O(mechanisms²) per sample).
    pub pairwise: bool,
    /// Samples of the confidence-factor pass (score uncertainty only); `None` =
    /// `min(samples, DEFAULT_CONFIDENCE_SAMPLES)`.
    pub confidence_samples: Option<usize>,
}

impl SmaaOptions {
    /// Uniform criterion weights, no score uncertainty, with pairwise probabilities.
    pub fn new(samples: usize, seed: u64) -> SmaaOptions {
        SmaaOptions {
            samples,
            seed,
            weights: WeightModel::default(),
            scores: ScoreUncertainty::Off,
            pairwise: true,
            confidence_samples: None,
        }
    }

    /// Samples of the confidence-factor pass (0 without score uncertainty, where the
    /// confidence factor is computed exactly).
    pub fn effective_confidence_samples(&self) -> usize {
        match self.scores {
            ScoreUncertainty::Off => 0,
            ScoreUncertainty::FromConfidence(_) => self
                .confidence_samples
                .unwrap_or(self.samples.min(DEFAULT_CONFIDENCE_SAMPLES)),
        }
    }

    /// The value `progress` reaches when a run completes (for a progress bar).
    pub fn work(&self) -> u64 {
        (self.samples + self.effective_confidence_samples()) as u64
    }
}

/// Why a run did not produce a result.
#[derive(Clone, Debug, PartialEq)]
pub enum SmaaError {
    /// The options or the matrix do not allow a run; the message says why.
    Invalid(String),
    /// The cancel flag was set.
    Cancelled,
}

impl std::fmt::Display for SmaaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmaaError::Invalid(m) => write!(f, "rank acceptability: {m}"),
            SmaaError::Cancelled => write!(f, "rank acceptability: cancelled"),
        }
    }
}

impl std::error::Error for SmaaError {}

fn invalid<T>(msg: impl Into<String>) -> Result<T, SmaaError> {
    Err(SmaaError::Invalid(msg.into()))
}

// ---------------------------------------------------------------------------------
// Result
// ---------------------------------------------------------------------------------

/// The result of a run, with everything needed to reproduce it.
#[derive(Clone, Debug, PartialEq)]
pub struct Smaa {
    pub options: SmaaOptions,
    pub generator: &'static str,
    pub chunk_size: usize,
    /// Rows of the effective matrix, in its order.
    pub mechanism_ids: Vec<String>,
    /// Criteria in framework order (flattened).
    pub criterion_ids: Vec<String>,
    /// Group index of each criterion.
    pub criterion_groups: Vec<usize>,
    /// `rank_counts[i][r]`: samples in which mechanism `i` had rank `r + 1`.
    pub rank_counts: Vec<Vec<u64>>,
    /// Samples in which mechanism `i` had no total (coverage below 50 %).
    pub unranked_counts: Vec<u64>,
    /// Mean global criterion weights over the samples where `i` ranked first (sum 1);
    /// `None` when it never did.
    pub central_weights: Vec<Option<Vec<f64>>>,
    /// Share of the confidence-factor samples in which `i` ranks first with its central
    /// weights (exactly 0 or 1 without score uncertainty); `None` when never first.
    pub confidence: Vec<Option<f64>>,
    /// Samples behind `confidence` (0 when it was computed exactly).
    pub confidence_samples: usize,
    /// `pairwise_counts[i][j]`: samples in which `i` ranked strictly ahead of `j`, both
    /// having a total. `None` when not requested.
    pub pairwise_counts: Option<Vec<Vec<u64>>>,
    /// Totals closer than this (0–1 scale) were compared in f64.
    pub f32_resolution: f64,
}

impl Smaa {
    fn n(&self) -> f64 {
        self.options.samples.max(1) as f64
    }

    /// Rank acceptability index b(i, rank), rank 1-based: the share of samples in which
    /// mechanism `i` took that rank.
    pub fn acceptability(&self, i: usize, rank: usize) -> f64 {
        self.rank_counts[i][rank - 1] as f64 / self.n()
    }

    /// Standard error of `acceptability(i, rank)`: √(b(1 − b)/N).
    pub fn acceptability_se(&self, i: usize, rank: usize) -> f64 {
        let b = self.acceptability(i, rank);
        (b * (1.0 - b) / self.n()).sqrt()
    }

    /// Every rank's acceptability of mechanism `i` (ranks 1..=m).
    pub fn acceptabilities(&self, i: usize) -> Vec<f64> {
        (1..=self.rank_counts[i].len())
            .map(|r| self.acceptability(i, r))
            .collect()
    }

    /// Share of samples in which mechanism `i` had no total.
    pub fn unranked(&self, i: usize) -> f64 {
        self.unranked_counts[i] as f64 / self.n()
    }

    /// P(i ranks strictly ahead of j), if pairwise counts were requested.
    pub fn beats(&self, i: usize, j: usize) -> Option<f64> {
        self.pairwise_counts
            .as_ref()
            .map(|p| p[i][j] as f64 / self.n())
    }

    /// Standard error of the confidence factor of `i` (0 when computed exactly).
    pub fn confidence_se(&self, i: usize) -> Option<f64> {
        let p = self.confidence[i]?;
        Some(if self.confidence_samples == 0 {
            0.0
        } else {
            (p * (1.0 - p) / self.confidence_samples as f64).sqrt()
        })
    }

    /// Central weights of `i` summed per group (group shares, in framework order).
    pub fn central_group_weights(&self, i: usize) -> Option<Vec<f64>> {
        let w = self.central_weights[i].as_ref()?;
        let groups = self.criterion_groups.iter().max().map_or(0, |g| g + 1);
        let mut out = vec![0.0; groups];
        for (c, &g) in self.criterion_groups.iter().enumerate() {
            out[g] += w[c];
        }
        Some(out)
    }

    /// The machine-readable form (documented in docs/analysis.md).
    pub fn to_json(&self) -> Value {
        let r6 = |x: f64| (x * 1e6).round() / 1e6;
        let weights = match &self.options.weights {
            WeightModel::Fixed => json!({ "model": "fixed" }),
            WeightModel::Uniform {
                level,
                bounds,
                order,
            } => json!({
                "model": "uniform",
                "level": level.as_str(),
                "bounds": bounds.iter().map(|b| json!({"index": b.index, "lo": b.lo, "hi": b.hi})).collect::<Vec<_>>(),
                "order": order,
            }),
        };
        let scores = match self.options.scores {
            ScoreUncertainty::Off => json!({ "model": "off" }),
            ScoreUncertainty::FromConfidence(s) => json!({
                "model": "confidence",
                "distribution": "uniform ± half-width (scale points), clamped to the scale",
                "half_width": { "high": s.high, "moderate": s.moderate, "low": s.low },
            }),
        };
        let mechanisms: Vec<Value> = (0..self.mechanism_ids.len())
            .map(|i| {
                let m = self.rank_counts[i].len();
                json!({
                    "id": self.mechanism_ids[i],
                    "acceptability": (1..=m).map(|r| r6(self.acceptability(i, r))).collect::<Vec<_>>(),
                    "acceptability_se": (1..=m).map(|r| r6(self.acceptability_se(i, r))).collect::<Vec<_>>(),
                    "unranked": r6(self.unranked(i)),
                    "central_weights": self.central_weights[i].as_ref().map(|w| {
                        self.criterion_ids.iter().zip(w).map(|(id, x)| (id.clone(), json!(r6(*x))))
                            .collect::<serde_json::Map<String, Value>>()
                    }),
                    "confidence_factor": self.confidence[i].map(r6),
                    "confidence_factor_se": self.confidence_se(i).map(r6),
                })
            })
            .collect();
        let pairwise = self.pairwise_counts.as_ref().map(|_| {
            json!({
                "reading": "p[i][j] = share of samples in which mechanism i ranks strictly ahead of mechanism j",
                "ids": self.mechanism_ids,
                "p": (0..self.mechanism_ids.len()).map(|i| {
                    (0..self.mechanism_ids.len()).map(|j| r6(self.beats(i, j).unwrap_or(0.0))).collect::<Vec<_>>()
                }).collect::<Vec<_>>(),
            })
        });
        json!({
            "method": "SMAA-2 (Lahdelma & Salminen 2001)",
            "seed": self.options.seed,
            "samples": self.options.samples,
            "generator": self.generator,
            "chunk_size": self.chunk_size,
            "options": {
                "weights": weights,
                "score_uncertainty": scores,
                "pairwise": self.options.pairwise,
                "confidence_samples": self.confidence_samples,
            },
            "criteria": self.criterion_ids,
            "mechanisms": mechanisms,
            "pairwise": pairwise,
        })
    }
}

// ---------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------

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
    let model = Model::new(fw, m, &opts.scores)?;
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

// ---------------------------------------------------------------------------------
// The precomputed matrix
// ---------------------------------------------------------------------------------

const VALUE: u8 = 0;
const NOT_ASSESSED: u8 = 1;
const NOT_APPLICABLE: u8 = 2;

/// The effective matrix, normalised and oriented once.
struct Model {
    m: usize,
    n: usize,
    groups: usize,
    crit_group: Vec<usize>,
    /// The criteria of each group (contiguous in framework order).
    group_ranges: Vec<std::ops::Range<usize>>,
    /// Row-major m × n: share in the composite's direction (x for benefit, 1 − x for cost).
    share: Vec<f64>,
    /// Row-major m × n: VALUE, NOT_ASSESSED or NOT_APPLICABLE.
    state: Vec<u8>,
    /// Row-major m × n: noise half-width in share units (0 without score uncertainty).
    half: Vec<f64>,
    complete: Vec<bool>,
    noisy: bool,
    /// Fully scored rows, in tiles of LANES (the last tile padded with `usize::MAX`).
    fast_rows: Vec<usize>,
    tiles: usize,
    /// tiles × n × LANES shares (f32), and the half-widths in the same layout.
    xt: Vec<f32>,
    ht: Vec<f32>,
    /// Rows with a cell that is not a number.
    general_rows: Vec<usize>,
    /// Per mechanism: (offset, stride) of its noise values in the noise buffer.
    noise_at: Vec<(usize, usize)>,
    /// Noise values per sample (u16 each).
    noise_len: usize,
    /// Largest f32 error of the difference of two totals (0–1 scale).
    eps32: f32,
    /// The same bound for totals at most t: `eps_rel · t + eps_abs` (≤ eps32).
    eps_rel: f32,
    eps_abs: f32,
}

impl Model {
    fn new(fw: &Framework, mx: &Matrix, scores: &ScoreUncertainty) -> Result<Model, SmaaError> {
        let criteria: Vec<(usize, &Criterion)> = fw.criteria().collect();
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
        for i in 0..m {
            for (c, (_, crit)) in criteria.iter().enumerate() {
                let cell = &mx.cells[i][c];
                match cell.value {
                    ScoreValue::Value(v) => {
                        if !v.is_finite() {
                            return invalid(format!(
                                "mechanism {} has a score that is not a number",
                                mx.rows[i].mechanism_id
                            ));
                        }
                        let x = crit.scale.normalise(v);
                        share[i * n + c] = match crit.direction {
                            Direction::Benefit => x,
                            Direction::Cost => 1.0 - x,
                        };
                        state[i * n + c] = VALUE;
                        let span = f64::from(crit.scale.max - crit.scale.min);
                        if let Some(s) = &spread
                            && span > 0.0
                        {
                            half[i * n + c] = s.half_width(cell.confidence) / span;
                        }
                    }
                    ScoreValue::NotAssessed => complete[i] = false,
                    ScoreValue::NotApplicable => {
                        state[i * n + c] = NOT_APPLICABLE;
                        complete[i] = false;
                    }
                }
            }
        }
        let fast: Vec<usize> = (0..m).filter(|&i| complete[i]).collect();
        let general_rows: Vec<usize> = (0..m).filter(|&i| !complete[i]).collect();
        let tiles = fast.len().div_ceil(LANES);
        let mut fast_rows = vec![usize::MAX; tiles * LANES];
        fast_rows[..fast.len()].copy_from_slice(&fast);
        let mut xt = vec![0.0f32; tiles * n * LANES];
        let mut ht = vec![0.0f32; tiles * n * LANES];
        let mut noise_at = vec![(0, 0); m];
        for (p, &i) in fast.iter().enumerate() {
            let (t, k) = (p / LANES, p % LANES);
            for c in 0..n {
                xt[t * n * LANES + c * LANES + k] = share[i * n + c] as f32;
                ht[t * n * LANES + c * LANES + k] = half[i * n + c] as f32;
            }
            noise_at[i] = (t * n * LANES + k, LANES);
        }
        let base = tiles * n * LANES;
        for (g, &i) in general_rows.iter().enumerate() {
            noise_at[i] = (base + g * n, 1);
        }
        // Bound on the f32 error of a total (0–1) against f64, in units u = 2⁻²⁴: the
        // sequential dot product ≤ n·u, the weights' rounding ≤ u, each noisy share
        // ≤ (2 + 2h)·u (h = half-width in share units). Totals closer than twice the
        // bound, with a margin, are compared in f64.
        let hmax = half.iter().fold(0.0f64, |a, &b| a.max(b)) as f32;
        let eps32 = (n as f32 + 6.0 + 2.0 * hmax) * f32::EPSILON;
        // The same bound for a total t (the dot product's error scales with t):
        // eps_rel · t + eps_abs.
        let eps_rel = (n as f32 + 2.0) * f32::EPSILON;
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
            complete,
            noisy: spread.is_some(),
            fast_rows,
            tiles,
            xt,
            ht,
            general_rows,
            noise_at,
            noise_len: if spread.is_some() { base + m * n } else { 0 },
            eps32,
            eps_rel,
            eps_abs,
        })
    }

    /// The noisy share of cell (i, c) in f64 (the same draw as the f32 kernel); an
    /// empty `noise` means no noise.
    #[inline]
    fn share_at(&self, i: usize, c: usize, noise: &[u8]) -> f64 {
        let s = self.share[i * self.n + c];
        if !self.noisy || noise.is_empty() {
            return s;
        }
        let (off, stride) = self.noise_at[i];
        let at = off + c * stride;
        let r = u16::from_le_bytes([noise[2 * at], noise[2 * at + 1]]);
        (s + self.half[i * self.n + c] * f64::from(unit(r))).clamp(0.0, 1.0)
    }

    /// A mechanism's total (0–1) in f64 under global criterion weights `w` whose group
    /// sums are `gsum`, following docs/analysis.md §2–§3; None when null.
    fn exact_total(&self, i: usize, w: &[f64], gsum: &[f64], noise: &[u8]) -> Option<f64> {
        let n = self.n;
        if self.complete[i] {
            let mut t = 0.0;
            if !self.noisy || noise.is_empty() {
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
                }
            }
        }
        let coverage = if den_all > 0.0 { den / den_all } else { 0.0 };
        (den > 0.0 && coverage + COV_TOL >= MIN_COVERAGE).then(|| num / den)
    }

    fn group_sums(&self, w: &[f64], gsum: &mut [f64]) {
        gsum.fill(0.0);
        for (c, &wc) in w.iter().enumerate() {
            gsum[self.crit_group[c]] += wc;
        }
    }
}

/// A 16-bit draw as a uniform number in (−1, 1), exact in f32 and f64.
#[inline(always)]
fn unit(r: u16) -> f32 {
    (f32::from(r) + 0.5) * (1.0 / 32768.0) - 1.0
}

/// f32 totals of one tile of fully scored mechanisms (criteria summed in order).
#[inline(always)]
fn tile_totals(
    x: &[[f32; LANES]],
    h: &[[f32; LANES]],
    noise: Option<&[[u8; 2 * LANES]]>,
    wf: &[f32],
    acc: &mut [f32; LANES],
) {
    *acc = [0.0; LANES];
    match noise {
        None => {
            for (col, &wc) in x.iter().zip(wf) {
                for k in 0..LANES {
                    acc[k] += wc * col[k];
                }
            }
        }
        Some(noise) => {
            for (((col, hc), rc), &wc) in x.iter().zip(h).zip(noise).zip(wf) {
                for k in 0..LANES {
                    let u = unit(u16::from_le_bytes([rc[2 * k], rc[2 * k + 1]]));
                    let v = (col[k] + hc[k] * u).clamp(0.0, 1.0);
                    acc[k] += wc * v;
                }
            }
        }
    }
}

/// Sort key of mechanism `i` with total `t` (≥ +0, so that its bits order it):
/// `[bucket:16][!bits:32][index:16]`, where the bucket (higher totals first) places `t`
/// on 16 bits over this sample's range. Sorting the keys as integers orders by total
/// (descending), then by index.
#[inline(always)]
fn sort_key(t: f32, i: usize, tmax: f32, scale: f32) -> u64 {
    let bucket = ((tmax - t) * scale) as i32 as u64 & 0xFFFF;
    (bucket << 48) | (u64::from(!t.to_bits()) << 16) | i as u64
}

/// The total stored in a sort key.
#[inline(always)]
fn key_total(k: u64) -> f32 {
    f32::from_bits(!((k >> 16) as u32))
}

/// The mechanism index stored in a sort key.
#[inline(always)]
fn key_index(k: u64) -> usize {
    (k & 0xFFFF) as usize
}

/// Sorts keys ascending: an LSD radix sort on the 16-bit buckets (2 passes, stable),
/// then an insertion pass on the whole key for the rare keys that share a bucket.
#[inline(always)]
fn sort_keys(keys: &mut Vec<u64>, tmp: &mut Vec<u64>) {
    let len = keys.len();
    if len <= 64 {
        keys.sort_unstable();
        return;
    }
    let mut hist = [[0u32; 256]; 2];
    for &k in keys.iter() {
        hist[0][((k >> 48) & 0xFF) as usize] += 1;
        hist[1][(k >> 56) as usize] += 1;
    }
    tmp.resize(len, 0);
    for (d, hd) in hist.iter_mut().enumerate() {
        let shift = 48 + 8 * d;
        let mut sum = 0;
        for c in hd.iter_mut() {
            let x = *c;
            *c = sum;
            sum += x;
        }
        for &k in keys.iter() {
            let b = ((k >> shift) & 0xFF) as usize;
            tmp[hd[b] as usize] = k;
            hd[b] += 1;
        }
        std::mem::swap(keys, tmp);
    }
    for i in 1..len {
        let k = keys[i];
        if k < keys[i - 1] {
            let mut j = i;
            while j > 0 && keys[j - 1] > k {
                keys[j] = keys[j - 1];
                j -= 1;
            }
            keys[j] = k;
        }
    }
}

/// Rank counts of a block of samples, a few mechanisms at a time (their rows of
/// `counts` stay in cache; within a sample the increments are independent).
#[inline(always)]
fn count_update(counts: &mut [u8], block: &[i16], samples: usize, m: usize) {
    const ROWS: usize = 8;
    for i0 in (0..m).step_by(ROWS) {
        let i1 = (i0 + ROWS).min(m);
        for s in 0..samples {
            for (i, &r) in (i0..i1).zip(&block[s * m + i0..s * m + i1]) {
                let col = if r == 0 { m } else { r as usize - 1 };
                counts[i * (m + 1) + col] += 1;
            }
        }
    }
}

/// Pairwise counts of a block of samples: `pc[i][j] += 1` where `rank[i] < rank[j]`,
/// both ranked (rank 0 = unranked).
#[inline(always)]
fn pair_update(pc: &mut [u16], block: &[i16], samples: usize, m: usize) {
    for i0 in (0..m).step_by(PAIR_ROWS) {
        let i1 = (i0 + PAIR_ROWS).min(m);
        for s in 0..samples {
            let rs = &block[s * m..(s + 1) * m];
            for i in i0..i1 {
                let ri = rs[i];
                if ri == 0 {
                    continue;
                }
                let row = &mut pc[i * m..(i + 1) * m];
                for (c, &rj) in row.iter_mut().zip(rs) {
                    *c += u16::from(rj > ri);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Weights
// ---------------------------------------------------------------------------------

/// Draws global criterion weights.
struct Sampler {
    n: usize,
    /// The weights in force, as global criterion weights summing to 1.
    base: Vec<f64>,
    fixed: bool,
    level: WeightLevel,
    /// Level indices that are drawn (criteria or groups whose current weight is > 0).
    members: Vec<usize>,
    /// Per criterion: position of its group in `members` and its share in the group
    /// (level `Groups`).
    group_member: Vec<usize>,
    share_in_group: Vec<f64>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    bounded: bool,
    /// Positions in `members`, most important first.
    order: Option<Vec<usize>>,
    sum_lo: f64,
}

impl Sampler {
    fn new(
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
    fn simplex(rng: &mut ChaCha8Rng, k: usize, u: &mut Vec<u64>, v: &mut [f64]) {
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
    fn try_level(
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

    fn expand(&self, v: &[f64], w: &mut [f64]) {
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
    fn sample(
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
    fn pilot(&self, seed: u64) -> Option<f64> {
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

struct WeightScratch {
    u: Vec<u64>,
    v: Vec<f64>,
    tmp: Vec<f64>,
}

impl WeightScratch {
    fn new(k: usize) -> WeightScratch {
        WeightScratch {
            u: Vec::with_capacity(k),
            v: vec![0.0; k.max(1)],
            tmp: vec![0.0; k.max(1)],
        }
    }
}

// ---------------------------------------------------------------------------------
// The passes
// ---------------------------------------------------------------------------------

/// Integer accumulators (associative: the result does not depend on the order in which
/// chunks are combined).
struct Acc {
    /// m × (m + 1): ranks 1..=m, then "unranked".
    counts: Vec<u32>,
    /// m × n: central weight sums in fixed point.
    cw: Vec<u64>,
    /// m × m (empty without pairwise).
    pair: Vec<u32>,
}

impl Acc {
    fn new(m: usize, n: usize, pairwise: bool) -> Acc {
        Acc {
            counts: vec![0; m * (m + 1)],
            cw: vec![0; m * n],
            pair: if pairwise { vec![0; m * m] } else { Vec::new() },
        }
    }

    fn merge(mut self, other: Acc) -> Acc {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.cw.iter_mut().zip(&other.cw) {
            *a += b;
        }
        for (a, b) in self.pair.iter_mut().zip(&other.pair) {
            *a += b;
        }
        self
    }
}

/// Per-worker buffers, reused across the chunks a worker processes.
struct Scratch {
    w: Vec<f64>,
    wf: Vec<f32>,
    gsum: Vec<f64>,
    /// GROUP samples' weights (f64, f32) and fully scored totals.
    gw: Vec<f64>,
    gwf: Vec<f32>,
    gtot: Vec<f32>,
    /// The noisy shares of one sample (confidence pass).
    xs: Vec<f32>,
    weights: WeightScratch,
    noise: Vec<u8>,
    totals: Vec<f32>,
    keys: Vec<u64>,
    tmp_keys: Vec<u64>,
    run: Vec<(f64, usize)>,
    near: Vec<usize>,
    ranks: Vec<i16>,
    firsts: Vec<usize>,
    block: Vec<i16>,
    block_len: usize,
    /// Rank counts of the last few blocks, m × (m + 1) (flushed before they can wrap).
    counts: Vec<u8>,
    counts_len: usize,
    pc: Vec<u16>,
}

impl Scratch {
    fn new(model: &Model, members: usize, pairwise: bool) -> Scratch {
        let (m, n) = (model.m, model.n);
        Scratch {
            w: vec![0.0; n],
            wf: vec![0.0; n],
            gw: vec![0.0; GROUP * n],
            gwf: vec![0.0; GROUP * n],
            gtot: vec![0.0; GROUP * m],
            xs: Vec::new(),
            gsum: vec![0.0; model.groups],
            weights: WeightScratch::new(members),
            noise: vec![0; 2 * model.noise_len],
            totals: vec![0.0; m],
            keys: Vec::with_capacity(m),
            tmp_keys: Vec::with_capacity(m),
            run: Vec::new(),
            near: Vec::new(),
            ranks: vec![0; m],
            firsts: Vec::new(),
            block: vec![0; BLOCK * m],
            block_len: 0,
            counts: vec![0; m * (m + 1)],
            counts_len: 0,
            pc: if pairwise { vec![0; m * m] } else { Vec::new() },
        }
    }
}

struct Run<'a> {
    model: &'a Model,
    sampler: &'a Sampler,
    opts: &'a SmaaOptions,
    cancel: &'a AtomicBool,
    progress: &'a AtomicU64,
    isa: Isa,
}

/// The widest vector instructions the CPU has, for the kernels. The results are the
/// same on every level: the kernels do the same operations in the same order (no fused
/// multiply-add, no reassociation), only more lanes at a time.
/// (AVX-512 was measured no faster than AVX2 on this workload.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Isa {
    Baseline,
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

fn isa() -> Isa {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        return Isa::Avx2;
    }
    Isa::Baseline
}

impl Run<'_> {
    fn main_pass(&self) -> Result<Acc, SmaaError> {
        let (m, n) = (self.model.m, self.model.n);
        let chunks = self.opts.samples.div_ceil(CHUNK);
        let pairwise = self.opts.pairwise;
        let members = self.sampler.members.len();
        let isa = self.isa;
        (0..chunks)
            .into_par_iter()
            .try_fold(
                || {
                    (
                        Acc::new(m, n, pairwise),
                        Scratch::new(self.model, members, pairwise),
                    )
                },
                |(mut acc, mut sc), chunk| {
                    self.chunk_dispatch(isa, chunk, &mut acc, &mut sc)?;
                    Ok((acc, sc))
                },
            )
            .map(|r: Result<(Acc, Scratch), SmaaError>| r.map(|(acc, _)| acc))
            .try_reduce(|| Acc::new(m, n, pairwise), |a, b| Ok(a.merge(b)))
    }

    fn chunk_dispatch(
        &self,
        isa: Isa,
        chunk: usize,
        acc: &mut Acc,
        sc: &mut Scratch,
    ) -> Result<(), SmaaError> {
        match isa {
            // SAFETY: the CPU has AVX2 (checked at run time by `isa`).
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => unsafe { self.chunk_avx2(chunk, acc, sc) },
            Isa::Baseline => self.chunk(chunk, acc, sc),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn chunk_avx2(&self, chunk: usize, acc: &mut Acc, sc: &mut Scratch) -> Result<(), SmaaError> {
        self.chunk(chunk, acc, sc)
    }

    /// One chunk of the main pass.
    #[inline(always)]
    fn chunk(&self, chunk: usize, acc: &mut Acc, sc: &mut Scratch) -> Result<(), SmaaError> {
        let model = self.model;
        let (m, n) = (model.m, model.n);
        let start = chunk * CHUNK;
        let len = CHUNK.min(self.opts.samples - start);
        let mut rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
        rng.set_stream(chunk as u64);
        // Score noise has its own stream, so that turning it on leaves the weight
        // draws unchanged (paired comparison of with and without).
        let mut noise_rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
        noise_rng.set_stream(STREAM_NOISE | chunk as u64);
        let mut done_since = 0u64;
        let mut s = 0;
        while s < len {
            if s % 256 == 0 {
                if self.cancel.load(Ordering::Relaxed) {
                    return Err(SmaaError::Cancelled);
                }
                self.progress.fetch_add(done_since, Ordering::Relaxed);
                done_since = 0;
            }
            if !model.noisy && len - s >= GROUP {
                // GROUP samples share one pass over the matrix (the weights are drawn
                // in the same order as one at a time, and each total is summed the
                // same way, so the result is the same).
                for g in 0..GROUP {
                    let w = &mut sc.gw[g * n..(g + 1) * n];
                    self.sampler.sample(&mut rng, &mut sc.weights, w)?;
                    for (f, &x) in sc.gwf[g * n..(g + 1) * n].iter_mut().zip(w.iter()) {
                        *f = x as f32;
                    }
                }
                group_totals(model, &model.xt, &sc.gwf, &mut sc.gtot);
                for g in 0..GROUP {
                    sc.w.copy_from_slice(&sc.gw[g * n..(g + 1) * n]);
                    sc.totals.copy_from_slice(&sc.gtot[g * m..(g + 1) * m]);
                    model.group_sums(&sc.w, &mut sc.gsum);
                    for &i in &model.general_rows {
                        sc.totals[i] = model
                            .exact_total(i, &sc.w, &sc.gsum, &[])
                            .map_or(f32::NAN, |t| t as f32);
                    }
                    self.finish_sample(acc, sc);
                }
                s += GROUP;
                done_since += GROUP as u64;
                continue;
            }
            self.sampler.sample(&mut rng, &mut sc.weights, &mut sc.w)?;
            for (f, &x) in sc.wf.iter_mut().zip(&sc.w) {
                *f = x as f32;
            }
            if model.noisy {
                noise_rng.fill_bytes(&mut sc.noise);
            }
            model.group_sums(&sc.w, &mut sc.gsum);
            compute_totals(model, &sc.wf, &sc.w, &sc.gsum, &sc.noise, &mut sc.totals);
            self.finish_sample(acc, sc);
            s += 1;
            done_since += 1;
        }
        self.flush_block(acc, sc, true);
        if self.opts.pairwise {
            for (a, p) in acc.pair.iter_mut().zip(sc.pc.iter_mut()) {
                *a += u32::from(*p);
                *p = 0;
            }
        }
        self.progress.fetch_add(done_since, Ordering::Relaxed);
        Ok(())
    }

    /// Ranks the sample in `sc.totals` and counts it: central weights now, rank and
    /// pairwise counts by blocks.
    #[inline(always)]
    fn finish_sample(&self, acc: &mut Acc, sc: &mut Scratch) {
        let (m, n) = (self.model.m, self.model.n);
        rank(self.model, sc);
        for &i in &sc.firsts {
            for (a, &x) in acc.cw[i * n..(i + 1) * n].iter_mut().zip(&sc.w) {
                *a += (x * FIX).round() as u64;
            }
        }
        let b = sc.block_len;
        sc.block[b * m..(b + 1) * m].copy_from_slice(&sc.ranks);
        sc.block_len += 1;
        if sc.block_len == BLOCK {
            self.flush_block(acc, sc, false);
        }
    }

    #[inline(always)]
    fn flush_block(&self, acc: &mut Acc, sc: &mut Scratch, last: bool) {
        let m = self.model.m;
        count_update(&mut sc.counts, &sc.block, sc.block_len, m);
        sc.counts_len += sc.block_len;
        if self.opts.pairwise {
            pair_update(&mut sc.pc, &sc.block, sc.block_len, m);
        }
        sc.block_len = 0;
        // u8 counts take at most 255 samples.
        if last || sc.counts_len + BLOCK > 255 {
            for (a, c) in acc.counts.iter_mut().zip(sc.counts.iter_mut()) {
                *a += u32::from(*c);
                *c = 0;
            }
            sc.counts_len = 0;
        }
    }

    /// Confidence factors: the share of samples in which each mechanism that was ever
    /// first is first with its central weights. Exact without score uncertainty.
    fn confidence_pass(
        &self,
        central: &[Option<Vec<f64>>],
    ) -> Result<(Vec<Option<f64>>, usize), SmaaError> {
        let model = self.model;
        let m = model.m;
        let candidates: Vec<usize> = (0..m).filter(|&i| central[i].is_some()).collect();
        let samples = self.opts.effective_confidence_samples();
        let mut out = vec![None; m];
        if !model.noisy || samples == 0 {
            let mut gsum = vec![0.0; model.groups];
            for &i in &candidates {
                let w = central[i].as_ref().expect("candidate");
                model.group_sums(w, &mut gsum);
                let totals: Vec<Option<f64>> = (0..m)
                    .map(|j| model.exact_total(j, w, &gsum, &[]))
                    .collect();
                out[i] = Some(if first_exact(&totals, i) { 1.0 } else { 0.0 });
            }
            return Ok((out, 0));
        }
        let weights: Vec<(Vec<f64>, Vec<f32>, Vec<f64>)> = candidates
            .iter()
            .map(|&i| {
                let w = central[i].clone().expect("candidate");
                let wf = w.iter().map(|&x| x as f32).collect();
                let mut gsum = vec![0.0; model.groups];
                model.group_sums(&w, &mut gsum);
                (w, wf, gsum)
            })
            .collect();
        let chunks = samples.div_ceil(CHUNK);
        let isa = self.isa;
        let wins = (0..chunks)
            .into_par_iter()
            .try_fold(
                || (vec![0u64; candidates.len()], Scratch::new(model, 0, false)),
                |(mut wins, mut sc), chunk| {
                    self.confidence_dispatch(
                        isa,
                        chunk,
                        samples,
                        &candidates,
                        &weights,
                        &mut wins,
                        &mut sc,
                    )?;
                    Ok((wins, sc))
                },
            )
            .map(|r: Result<(Vec<u64>, Scratch), SmaaError>| r.map(|(w, _)| w))
            .try_reduce(
                || vec![0u64; candidates.len()],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                    Ok(a)
                },
            )?;
        for (k, &i) in candidates.iter().enumerate() {
            out[i] = Some(wins[k] as f64 / samples as f64);
        }
        Ok((out, samples))
    }

    #[allow(clippy::too_many_arguments)]
    fn confidence_dispatch(
        &self,
        isa: Isa,
        chunk: usize,
        samples: usize,
        candidates: &[usize],
        weights: &[(Vec<f64>, Vec<f32>, Vec<f64>)],
        wins: &mut [u64],
        sc: &mut Scratch,
    ) -> Result<(), SmaaError> {
        match isa {
            // SAFETY: the CPU has AVX2 (checked at run time by `isa`).
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => unsafe {
                self.confidence_avx2(chunk, samples, candidates, weights, wins, sc)
            },
            Isa::Baseline => self.confidence_chunk(chunk, samples, candidates, weights, wins, sc),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn confidence_avx2(
        &self,
        chunk: usize,
        samples: usize,
        candidates: &[usize],
        weights: &[(Vec<f64>, Vec<f32>, Vec<f64>)],
        wins: &mut [u64],
        sc: &mut Scratch,
    ) -> Result<(), SmaaError> {
        self.confidence_chunk(chunk, samples, candidates, weights, wins, sc)
    }

    #[inline(always)]
    fn confidence_chunk(
        &self,
        chunk: usize,
        samples: usize,
        candidates: &[usize],
        weights: &[(Vec<f64>, Vec<f32>, Vec<f64>)],
        wins: &mut [u64],
        sc: &mut Scratch,
    ) -> Result<(), SmaaError> {
        let model = self.model;
        let len = CHUNK.min(samples - chunk * CHUNK);
        let mut rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
        rng.set_stream(STREAM_CONFIDENCE | chunk as u64);
        // The candidates' f32 weights, padded with zero weights to whole groups.
        let mut cand_wf = vec![0.0f32; candidates.len().div_ceil(GROUP) * GROUP * model.n];
        for (k, (_, wf, _)) in weights.iter().enumerate() {
            cand_wf[k * model.n..(k + 1) * model.n].copy_from_slice(wf);
        }
        sc.xs.resize(model.xt.len(), 0.0);
        let eps = model.eps32;
        let mut done_since = 0u64;
        for s in 0..len {
            if s % 256 == 0 {
                if self.cancel.load(Ordering::Relaxed) {
                    return Err(SmaaError::Cancelled);
                }
                self.progress.fetch_add(done_since, Ordering::Relaxed);
                done_since = 0;
            }
            rng.fill_bytes(&mut sc.noise);
            // The noisy matrix once, then GROUP candidates' weights per pass over it.
            noisy_shares(model, &sc.noise, &mut sc.xs);
            for (k, &i) in candidates.iter().enumerate() {
                let (w, _, gsum) = &weights[k];
                let g = k % GROUP;
                if g == 0 {
                    let wf = &cand_wf[k * model.n..(k + GROUP) * model.n];
                    group_totals(model, &sc.xs, wf, &mut sc.gtot);
                }
                sc.totals
                    .copy_from_slice(&sc.gtot[g * model.m..(g + 1) * model.m]);
                for &r in &model.general_rows {
                    sc.totals[r] = model
                        .exact_total(r, w, gsum, &sc.noise)
                        .map_or(f32::NAN, |t| t as f32);
                }
                let ti = sc.totals[i];
                if ti.is_nan() {
                    continue;
                }
                let mut first = true;
                let mut near = false;
                for (j, &tj) in sc.totals.iter().enumerate() {
                    if j == i || tj.is_nan() {
                        continue;
                    }
                    if tj > ti + eps {
                        first = false;
                        break;
                    }
                    if tj >= ti - eps {
                        near = true;
                    }
                }
                if first && near {
                    // Close calls are decided in f64, with the tolerance of §4.
                    let exact_i = model
                        .exact_total(i, w, gsum, &sc.noise)
                        .expect("has a total");
                    first = (0..model.m).all(|j| {
                        let tj = sc.totals[j];
                        j == i
                            || tj.is_nan()
                            || tj < ti - eps
                            || model
                                .exact_total(j, w, gsum, &sc.noise)
                                .is_none_or(|x| x <= exact_i + TIE_EPS)
                    });
                }
                if first {
                    wins[k] += 1;
                }
            }
            done_since += 1;
        }
        self.progress.fetch_add(done_since, Ordering::Relaxed);
        Ok(())
    }
}

/// Whether mechanism `i` ranks first among exact totals (ties share first place).
fn first_exact(totals: &[Option<f64>], i: usize) -> bool {
    let Some(ti) = totals[i] else {
        return false;
    };
    totals.iter().flatten().all(|&t| t <= ti + TIE_EPS)
}

/// The f32 totals of the fully scored mechanisms for GROUP weight vectors at once
/// (`wf`: GROUP × n; `out`: GROUP × m; other rows left as they are).
#[inline(always)]
fn group_totals(model: &Model, x: &[f32], wf: &[f32], out: &mut [f32]) {
    let (m, n) = (model.m, model.n);
    let (x, _) = x.as_chunks::<LANES>();
    let mut acc = [[0.0f32; LANES]; GROUP];
    for t in 0..model.tiles {
        acc.iter_mut().for_each(|a| *a = [0.0; LANES]);
        for (c, col) in x[t * n..(t + 1) * n].iter().enumerate() {
            for (g, a) in acc.iter_mut().enumerate() {
                let wc = wf[g * n + c];
                for k in 0..LANES {
                    a[k] += wc * col[k];
                }
            }
        }
        for (k, &i) in model.fast_rows[t * LANES..(t + 1) * LANES]
            .iter()
            .enumerate()
        {
            if i != usize::MAX {
                for (g, a) in acc.iter().enumerate() {
                    out[g * m + i] = a[k];
                }
            }
        }
    }
}

/// The noisy shares of the fully scored mechanisms, in the layout of `model.xt` (the
/// same values as `tile_totals` computes on the fly).
#[inline(always)]
fn noisy_shares(model: &Model, noise: &[u8], out: &mut [f32]) {
    let (r, _) = noise.as_chunks::<2>();
    for ((o, (&x, &h)), rc) in out.iter_mut().zip(model.xt.iter().zip(&model.ht)).zip(r) {
        *o = (x + h * unit(u16::from_le_bytes(*rc))).clamp(0.0, 1.0);
    }
}

/// The f32 totals of every mechanism (NaN = null total).
#[inline(always)]
fn compute_totals(
    model: &Model,
    wf: &[f32],
    w: &[f64],
    gsum: &[f64],
    noise: &[u8],
    out: &mut [f32],
) {
    let n = model.n;
    let (x, _) = model.xt.as_chunks::<LANES>();
    let (h, _) = model.ht.as_chunks::<LANES>();
    let (r, _) = noise.as_chunks::<{ 2 * LANES }>();
    let mut acc = [0.0f32; LANES];
    for t in 0..model.tiles {
        let cols = t * n..(t + 1) * n;
        let nz = if model.noisy {
            Some(&r[cols.clone()])
        } else {
            None
        };
        tile_totals(&x[cols.clone()], &h[cols], nz, wf, &mut acc);
        for (k, &i) in model.fast_rows[t * LANES..(t + 1) * LANES]
            .iter()
            .enumerate()
        {
            if i != usize::MAX {
                out[i] = acc[k];
            }
        }
    }
    for &i in &model.general_rows {
        out[i] = model
            .exact_total(i, w, gsum, noise)
            .map_or(f32::NAN, |t| t as f32);
    }
}

/// Competition ranks of one sample into `sc.ranks` (0 = no total) and the mechanisms
/// ranked first into `sc.firsts`: sorted in f32, runs of totals closer than the f32
/// resolution settled in f64.
#[inline(always)]
fn rank(model: &Model, sc: &mut Scratch) {
    let Scratch {
        totals,
        w,
        gsum,
        noise,
        keys,
        tmp_keys,
        run,
        near,
        ranks,
        firsts,
        ..
    } = sc;
    // The range of the totals; comparisons are false for NaN (a null total).
    let (mut tmin, mut tmax) = (f32::INFINITY, f32::NEG_INFINITY);
    let mut nulls = 0usize;
    for &t in totals.iter() {
        tmin = if t < tmin { t } else { tmin };
        tmax = if t > tmax { t } else { tmax };
        nulls += usize::from(t.is_nan());
    }
    let range = tmax - tmin;
    let scale = if range > 1e-30 { 65535.0 / range } else { 0.0 };
    keys.clear();
    keys.extend(
        totals
            .iter()
            .enumerate()
            .map(|(i, &t)| sort_key(t, i, tmax, scale)),
    );
    if nulls > 0 {
        keys.retain(|&k| !key_total(k).is_nan());
    }
    if scale.is_finite() && scale > 0.0 {
        sort_keys(keys, tmp_keys);
    } else {
        keys.sort_unstable();
    }
    ranks.fill(0);
    firsts.clear();
    near.clear();
    // Ranks by position; positions whose total is within the f32 resolution of the one
    // before are noted (rare) and settled below.
    let (eps_rel, eps_abs) = (model.eps_rel, model.eps_abs);
    let mut prev = f32::INFINITY;
    for (p, &k) in keys.iter().enumerate() {
        ranks[key_index(k)] = (p + 1) as i16;
        let t = key_total(k);
        if p > 0 && prev - t <= eps_rel * prev + eps_abs {
            near.push(p);
        }
        prev = t;
    }
    if !keys.is_empty() && near.first() != Some(&1) {
        firsts.push(key_index(keys[0]));
    }
    // Each run of positions [a, b) chained by near pairs: totals in f64, competition
    // ranks with the tolerance of §4 (rank = a + 1 + #{members above t + TIE_EPS}).
    let mut x = 0;
    while x < near.len() {
        let a = near[x] - 1;
        let mut b = near[x] + 1;
        x += 1;
        while x < near.len() && near[x] == b {
            b += 1;
            x += 1;
        }
        run.clear();
        for &k in &keys[a..b] {
            let i = key_index(k);
            let t = model
                .exact_total(i, w, gsum, noise)
                .unwrap_or(f64::NEG_INFINITY);
            run.push((t, i));
        }
        run.sort_unstable_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
        let mut above = 0;
        for r in 0..run.len() {
            while run[above].0 > run[r].0 + TIE_EPS {
                above += 1;
            }
            let rank = a + 1 + above;
            ranks[run[r].1] = rank as i16;
            if rank == 1 {
                firsts.push(run[r].1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{Selection, effective_matrix};

    /// The portable kernels and the AVX2 kernels give the same bits.
    #[test]
    fn every_instruction_set_gives_the_same_result() {
        let p = crate::generate::project(&crate::generate::GenSpec {
            mechanisms: 70,
            criteria: 9,
            analysts: 3,
            scenarios: 1,
            sources: 2,
            seed: 5,
        });
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
        let base = run(&o, Isa::Baseline);
        assert_eq!(base, run(&o, isa()));
        o.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
        o.confidence_samples = Some(300);
        assert_eq!(run(&o, Isa::Baseline), run(&o, isa()));
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
