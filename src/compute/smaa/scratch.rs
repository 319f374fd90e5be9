//! The per-worker buffers of a SMAA run (weights, totals, sort keys, ranks, counters),
//! reused across the chunks a worker processes.

use super::constants::{BLOCK, GROUP};
use super::lanes::SAMPLES;
use super::model::Model;
use super::weights::WeightScratch;

/// Per-worker buffers, reused across the chunks a worker processes.
pub(super) struct Scratch {
    pub(super) w: Vec<f64>,
    pub(super) wf: Vec<f32>,
    pub(super) gsum: Vec<f64>,
    /// GROUP (or SAMPLES) samples' weights (f64, f32) and fully scored totals.
    pub(super) gw: Vec<f64>,
    pub(super) gwf: Vec<f32>,
    pub(super) gtot: Vec<f32>,
    /// The noisy shares of one sample (confidence pass).
    pub(super) xs: Vec<f32>,
    /// SAMPLES samples' f32 weights, per criterion (the lane kernel's layout).
    pub(super) wt: Vec<[f32; SAMPLES]>,
    pub(super) weights: WeightScratch,
    /// The draws of score uncertainty of a block of SAMPLES samples (the confidence
    /// pass uses the first slots for one sample), and the sample of the block whose
    /// draws `rank` uses.
    pub(super) noise: Vec<u16>,
    pub(super) noise_lane: usize,
    pub(super) totals: Vec<f32>,
    pub(super) keys: Vec<u64>,
    pub(super) tmp_keys: Vec<u64>,
    /// The sorted keys of the AVX-512 path (`sort512`, at most 512 mechanisms).
    pub(super) keys32: Box<[u32; 512]>,
    /// The positions of `keys32` to look at again (`sort512::sort`).
    pub(super) check: Vec<usize>,
    pub(super) run: Vec<(f64, usize)>,
    pub(super) near: Vec<usize>,
    pub(super) ranks: Vec<i16>,
    pub(super) firsts: Vec<usize>,
    pub(super) block: Vec<i16>,
    pub(super) block_len: usize,
    /// Rank counts of the last few blocks, m × (m + 1) (flushed before they can wrap).
    pub(super) counts: Vec<u8>,
    pub(super) counts_len: usize,
    pub(super) pc: Vec<u16>,
}

impl Scratch {
    pub(super) fn new(model: &Model, members: usize, pairwise: bool) -> Scratch {
        let (m, n) = (model.m, model.n);
        Scratch {
            w: vec![0.0; n],
            wf: vec![0.0; n],
            gw: vec![0.0; GROUP.max(SAMPLES) * n],
            gwf: vec![0.0; GROUP * n],
            gtot: vec![0.0; GROUP.max(SAMPLES) * m],
            wt: vec![[0.0; SAMPLES]; n],
            xs: Vec::new(),
            gsum: vec![0.0; model.groups],
            weights: WeightScratch::new(members),
            noise: if model.noisy {
                vec![0; SAMPLES * m * n]
            } else {
                Vec::new()
            },
            noise_lane: 0,
            totals: vec![0.0; m],
            keys: Vec::with_capacity(m),
            tmp_keys: Vec::with_capacity(m),
            keys32: Box::new([0; 512]),
            check: Vec::new(),
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
