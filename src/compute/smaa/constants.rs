//! The fixed numbers of a SMAA run: chunk size and limits, the generator's name,
//! tolerances, kernel tile sizes and the random stream numbers.

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
pub const GENERATOR: &str = "ChaCha8Rng (rand_chacha 0.10): seed_from_u64(seed), \
     set_stream(chunk index); score draws: 8 × xoshiro256++ seeded from stream 2^61 | chunk";
/// Tries per accepted sample before giving up on a bounded weight model.
pub const MAX_TRIES_PER_SAMPLE: u32 = 100_000;

/// Tie tolerance on the 0–1 scale (1e-9 on the 0–100 scale, as `stats::competition_ranks`).
pub(super) const TIE_EPS: f64 = 1e-11;
/// Tolerance on the coverage thresholds (as in `results_from_matrix`).
pub(super) const COV_TOL: f64 = 1e-12;
/// Mechanisms per tile of the f32 kernel.
pub(super) const LANES: usize = 16;
/// Samples whose totals are computed in one pass over the matrix (without score noise).
pub(super) const GROUP: usize = 4;
/// Samples per block of the pairwise kernel.
pub(super) const BLOCK: usize = 64;
/// Mechanism rows per tile of the pairwise kernel.
pub(super) const PAIR_ROWS: usize = 16;
/// Fixed-point scale of the accumulated central weights.
pub(super) const FIX: f64 = 4_294_967_296.0;
/// Stream numbers of the confidence-factor pass, of the acceptance pilot and of the
/// score noise, or-ed with the chunk index (the weights use the chunk index itself).
pub(super) const STREAM_CONFIDENCE: u64 = 1 << 63;
pub(super) const STREAM_PILOT: u64 = 1 << 62;
pub(super) const STREAM_NOISE: u64 = 1 << 61;
/// Draws of the acceptance pilot for bounded weight models.
pub(super) const PILOT_DRAWS: u32 = 4_000;
