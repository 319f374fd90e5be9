//! The passes over the samples: chunks drawn from their own ChaCha streams in parallel
//! (rayon), integer accumulators merged in any order, progress counted and the cancel
//! flag checked per chunk; the main pass and the confidence pass.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::constants::{BLOCK, CHUNK, FIX, GROUP, STREAM_CONFIDENCE, STREAM_NOISE, TIE_EPS};
use super::lanes::SAMPLES;
use super::model::Model;
use super::noise::{Draws, NoiseRng};
use super::options::{SmaaError, SmaaOptions};
#[cfg(target_arch = "x86_64")]
use super::ranking::group_totals_avx512;
use super::ranking::{
    compute_totals, count_update, first_exact, group_totals, noisy_shares, pair_update, rank,
};
use super::scratch::Scratch;
use super::weights::Sampler;

/// Integer accumulators (associative: the result does not depend on the order in which
/// chunks are combined).
pub(super) struct Acc {
    /// m × (m + 1): ranks 1..=m, then "unranked".
    pub(super) counts: Vec<u32>,
    /// m × n: central weight sums in fixed point.
    pub(super) cw: Vec<u64>,
    /// m × m (empty without pairwise).
    pub(super) pair: Vec<u32>,
}

impl Acc {
    pub(super) fn new(m: usize, n: usize, pairwise: bool) -> Acc {
        Acc {
            counts: vec![0; m * (m + 1)],
            cw: vec![0; m * n],
            pair: if pairwise { vec![0; m * m] } else { Vec::new() },
        }
    }

    pub(super) fn merge(mut self, other: Acc) -> Acc {
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

pub(super) struct Run<'a> {
    pub(super) model: &'a Model,
    pub(super) sampler: &'a Sampler,
    pub(super) opts: &'a SmaaOptions,
    pub(super) cancel: &'a AtomicBool,
    pub(super) progress: &'a AtomicU64,
    pub(super) isa: Isa,
}

/// The widest vector instructions the CPU has, for the kernels. The results are the
/// same on every level. The kernels do the same operations in the same order (no
/// reassociation), only more lanes at a time; the one difference is the weights-only
/// product (`group_totals`), which fuses its multiply-adds on AVX2 + FMA: its f32
/// totals may then differ in the last bits, within the error bound under which any two
/// totals are recomputed in f64, so the ranks (and every reported number) are the
/// same (tested). AVX-512 is used only by the score-uncertainty kernel, whose
/// shuffles and permutes it does 16 lanes at a time (elsewhere it was measured no
/// faster than AVX2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Isa {
    Baseline,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

pub(super) fn isa() -> Isa {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
        {
            return Isa::Avx512;
        }
        return Isa::Avx2;
    }
    Isa::Baseline
}

impl Run<'_> {
    pub(super) fn main_pass(&self) -> Result<Acc, SmaaError> {
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

    pub(super) fn chunk_dispatch(
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
            // SAFETY: the CPU has AVX-512 F and BW, AVX2 and FMA (checked by `isa`).
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => unsafe { self.chunk_avx512(chunk, acc, sc) },
            Isa::Baseline => self.chunk::<false>(chunk, acc, sc),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn chunk_avx2(
        &self,
        chunk: usize,
        acc: &mut Acc,
        sc: &mut Scratch,
    ) -> Result<(), SmaaError> {
        self.chunk::<true>(chunk, acc, sc)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx2,fma")]
    pub(super) fn chunk_avx512(
        &self,
        chunk: usize,
        acc: &mut Acc,
        sc: &mut Scratch,
    ) -> Result<(), SmaaError> {
        self.chunk::<true>(chunk, acc, sc)
    }

    /// One chunk of the main pass.
    #[inline(always)]
    pub(super) fn chunk<const FMA: bool>(
        &self,
        chunk: usize,
        acc: &mut Acc,
        sc: &mut Scratch,
    ) -> Result<(), SmaaError> {
        let model = self.model;
        let (m, n) = (model.m, model.n);
        let start = chunk * CHUNK;
        let len = CHUNK.min(self.opts.samples - start);
        let mut rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
        rng.set_stream(chunk as u64);
        // Score noise has its own stream, so that turning it on leaves the weight
        // draws unchanged (paired comparison of with and without).
        let mut noise_seed = ChaCha8Rng::seed_from_u64(self.opts.seed);
        noise_seed.set_stream(STREAM_NOISE | chunk as u64);
        let mut noise_rng = NoiseRng::from_chacha(&mut noise_seed);
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
                match self.isa {
                    // SAFETY: the CPU has AVX-512 F (checked at run time by `isa`).
                    #[cfg(target_arch = "x86_64")]
                    Isa::Avx512 => unsafe {
                        group_totals_avx512(model, &model.xt, &sc.gwf, &mut sc.gtot)
                    },
                    _ => group_totals::<FMA>(model, &model.xt, &sc.gwf, &mut sc.gtot),
                }
                for g in 0..GROUP {
                    sc.w.copy_from_slice(&sc.gw[g * n..(g + 1) * n]);
                    sc.totals.copy_from_slice(&sc.gtot[g * m..(g + 1) * m]);
                    model.group_sums(&sc.w, &mut sc.gsum);
                    for &i in &model.general_rows {
                        sc.totals[i] = model
                            .exact_total(i, &sc.w, &sc.gsum, Draws::NONE)
                            .map_or(f32::NAN, |t| t as f32);
                    }
                    self.finish_sample(acc, sc);
                }
                s += GROUP;
                done_since += GROUP as u64;
                continue;
            }
            if model.noisy {
                let b = self.noisy_block(&mut rng, &mut noise_rng, len - s, acc, sc)?;
                s += b;
                done_since += b as u64;
                continue;
            }
            self.sampler.sample(&mut rng, &mut sc.weights, &mut sc.w)?;
            for (f, &x) in sc.wf.iter_mut().zip(&sc.w) {
                *f = x as f32;
            }
            model.group_sums(&sc.w, &mut sc.gsum);
            compute_totals(model, &sc.wf, &sc.w, &sc.gsum, &mut sc.totals);
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

    /// Up to SAMPLES samples with score uncertainty (at most `left`): their weights in
    /// order, one buffer of draws, the lane kernel for the rows it takes and the exact
    /// path for the others, then each sample ranked and counted. Returns the number of
    /// samples done.
    #[inline(always)]
    fn noisy_block(
        &self,
        rng: &mut ChaCha8Rng,
        noise_rng: &mut NoiseRng,
        left: usize,
        acc: &mut Acc,
        sc: &mut Scratch,
    ) -> Result<usize, SmaaError> {
        let model = self.model;
        let (m, n) = (model.m, model.n);
        let b = SAMPLES.min(left);
        for g in 0..b {
            self.sampler
                .sample(rng, &mut sc.weights, &mut sc.gw[g * n..(g + 1) * n])?;
        }
        // Lanes past the last sample of the chunk get zero weights (their totals are
        // not used).
        for (c, wc) in sc.wt.iter_mut().enumerate() {
            for (g, x) in wc.iter_mut().enumerate() {
                *x = if g < b { sc.gw[g * n + c] as f32 } else { 0.0 };
            }
        }
        // The draws two rows at a time (a whole number of generator steps, so the
        // stream is the same as in one fill), each lane row totalled while its draws
        // are in cache.
        let pair = 2 * n * SAMPLES;
        let lane_rows = model.lanes.as_ref().map_or(&[][..], |l| &l.rows[..]);
        let mut next = 0;
        let all = sc.noise.len();
        for (p, start) in (0..all).step_by(pair).enumerate() {
            let draws = &mut sc.noise[start..(start + pair).min(all)];
            match self.isa {
                // SAFETY: the CPU has AVX2 (checked at run time by `isa`).
                #[cfg(target_arch = "x86_64")]
                Isa::Avx2 => unsafe { noise_rng.fill_avx2(draws) },
                // SAFETY: the CPU has AVX-512 F (checked at run time by `isa`).
                #[cfg(target_arch = "x86_64")]
                Isa::Avx512 => unsafe { noise_rng.fill_avx512(draws) },
                Isa::Baseline => noise_rng.fill(draws),
            }
            let Some(lanes) = &model.lanes else {
                continue;
            };
            let mut out = [0.0f32; SAMPLES];
            while next < lane_rows.len() && lane_rows[next] < 2 * (p + 1) {
                let i = lane_rows[next];
                next += 1;
                match self.isa {
                    // SAFETY: the CPU has AVX2 and FMA (checked at run time by `isa`).
                    #[cfg(target_arch = "x86_64")]
                    Isa::Avx2 => unsafe { lanes.row_totals_avx2(i, &sc.noise, &sc.wt, &mut out) },
                    // SAFETY: the CPU has AVX-512 F and BW (checked by `isa`).
                    #[cfg(target_arch = "x86_64")]
                    Isa::Avx512 => unsafe {
                        lanes.row_totals_avx512(i, &sc.noise, &sc.wt, &mut out)
                    },
                    Isa::Baseline => lanes.row_totals(i, &sc.noise, &sc.wt, &mut out),
                }
                for (g, &t) in out.iter().enumerate() {
                    sc.gtot[g * m + i] = t;
                }
            }
        }
        for g in 0..b {
            sc.w.copy_from_slice(&sc.gw[g * n..(g + 1) * n]);
            sc.totals.copy_from_slice(&sc.gtot[g * m..(g + 1) * m]);
            model.group_sums(&sc.w, &mut sc.gsum);
            sc.noise_lane = g;
            let draws = Draws {
                bits: &sc.noise,
                lanes: SAMPLES,
                lane: g,
            };
            for &i in &model.general_rows {
                sc.totals[i] = model
                    .exact_total(i, &sc.w, &sc.gsum, draws)
                    .map_or(f32::NAN, |t| t as f32);
            }
            self.finish_sample(acc, sc);
        }
        Ok(b)
    }

    /// Ranks the sample in `sc.totals` and counts it: central weights now, rank and
    /// pairwise counts by blocks.
    #[inline(always)]
    pub(super) fn finish_sample(&self, acc: &mut Acc, sc: &mut Scratch) {
        let (m, n) = (self.model.m, self.model.n);
        #[cfg(target_arch = "x86_64")]
        let avx512 = matches!(self.isa, Isa::Avx512);
        #[cfg(not(target_arch = "x86_64"))]
        let avx512 = false;
        rank(self.model, sc, avx512);
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
    pub(super) fn flush_block(&self, acc: &mut Acc, sc: &mut Scratch, last: bool) {
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
    pub(super) fn confidence_pass(
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
                    .map(|j| model.exact_total(j, w, &gsum, Draws::NONE))
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
    pub(super) fn confidence_dispatch(
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
            Isa::Avx2 | Isa::Avx512 => unsafe {
                self.confidence_avx2(chunk, samples, candidates, weights, wins, sc)
            },
            Isa::Baseline => {
                self.confidence_chunk::<false>(chunk, samples, candidates, weights, wins, sc)
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn confidence_avx2(
        &self,
        chunk: usize,
        samples: usize,
        candidates: &[usize],
        weights: &[(Vec<f64>, Vec<f32>, Vec<f64>)],
        wins: &mut [u64],
        sc: &mut Scratch,
    ) -> Result<(), SmaaError> {
        self.confidence_chunk::<true>(chunk, samples, candidates, weights, wins, sc)
    }

    #[inline(always)]
    pub(super) fn confidence_chunk<const FMA: bool>(
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
        let mut seed = ChaCha8Rng::seed_from_u64(self.opts.seed);
        seed.set_stream(STREAM_CONFIDENCE | chunk as u64);
        let mut rng = NoiseRng::from_chacha(&mut seed);
        let cells = model.m * model.n;
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
            match self.isa {
                // SAFETY: the CPU has AVX2 (checked at run time by `isa`).
                #[cfg(target_arch = "x86_64")]
                Isa::Avx2 | Isa::Avx512 => unsafe { rng.fill_avx2(&mut sc.noise[..cells]) },
                Isa::Baseline => rng.fill(&mut sc.noise[..cells]),
            }
            let draws = Draws {
                bits: &sc.noise[..cells],
                lanes: 1,
                lane: 0,
            };
            // The noisy matrix once, then GROUP candidates' weights per pass over it.
            noisy_shares(model, draws, &mut sc.xs);
            for (k, &i) in candidates.iter().enumerate() {
                let (w, _, gsum) = &weights[k];
                let g = k % GROUP;
                if g == 0 {
                    let wf = &cand_wf[k * model.n..(k + GROUP) * model.n];
                    group_totals::<FMA>(model, &sc.xs, wf, &mut sc.gtot);
                }
                sc.totals
                    .copy_from_slice(&sc.gtot[g * model.m..(g + 1) * model.m]);
                for &r in &model.general_rows {
                    sc.totals[r] = model
                        .exact_total(r, w, gsum, draws)
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
                    let exact_i = model.exact_total(i, w, gsum, draws).expect("has a total");
                    first = (0..model.m).all(|j| {
                        let tj = sc.totals[j];
                        j == i
                            || tj.is_nan()
                            || tj < ti - eps
                            || model
                                .exact_total(j, w, gsum, draws)
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
