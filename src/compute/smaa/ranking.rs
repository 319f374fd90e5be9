//! One sample's totals and ranks: `f32` totals in tiles of 16 mechanisms, sort keys
//! (total, then index), near-ties re-ranked in `f64`, and the integer counters the
//! ranks are accumulated in.

use super::constants::{GROUP, LANES, PAIR_ROWS, TIE_EPS};
use super::lanes::SAMPLES;
use super::model::Model;
use super::noise::Draws;
use super::scratch::Scratch;
#[cfg(target_arch = "x86_64")]
use super::sort512;

/// f32 totals of one tile of fully scored mechanisms (criteria summed in order).
#[inline(always)]
pub(super) fn tile_totals(x: &[[f32; LANES]], wf: &[f32], acc: &mut [f32; LANES]) {
    *acc = [0.0; LANES];
    for (col, &wc) in x.iter().zip(wf) {
        for k in 0..LANES {
            acc[k] += wc * col[k];
        }
    }
}

/// Sort key of mechanism `i` with total `t` (≥ +0, so that its bits order it):
/// `[bucket:16][!bits:32][index:16]`, where the bucket (higher totals first) places `t`
/// on 16 bits over this sample's range. Sorting the keys as integers orders by total
/// (descending), then by index.
#[inline(always)]
pub(super) fn sort_key(t: f32, i: usize, tmax: f32, scale: f32) -> u64 {
    // The bucket rounded to the nearest whole number by adding 2²³ (its low 16 bits
    // are then the bucket): monotone in `t`, and branch-free so that the keys are made
    // a vector at a time. (A NaN total gets some bucket; it is dropped before sorting.)
    let x = ((tmax - t) * scale).min(65_535.0) + 8_388_608.0;
    let bucket = u64::from(x.to_bits() & 0xFFFF);
    (bucket << 48) | (u64::from(!t.to_bits()) << 16) | i as u64
}

/// The total stored in a sort key.
#[inline(always)]
pub(super) fn key_total(k: u64) -> f32 {
    f32::from_bits(!((k >> 16) as u32))
}

/// The mechanism index stored in a sort key.
#[inline(always)]
pub(super) fn key_index(k: u64) -> usize {
    (k & 0xFFFF) as usize
}

/// Sorts keys ascending: an LSD radix sort on the 16-bit buckets (2 passes, stable),
/// then an insertion pass on the whole key for the rare keys that share a bucket.
#[inline(always)]
pub(super) fn sort_keys(keys: &mut Vec<u64>, tmp: &mut Vec<u64>) {
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
        // Local slices: their lengths stay in registers through the scatter.
        let (src, dst) = (&keys[..], &mut tmp[..len]);
        for &k in src {
            let b = ((k >> shift) & 0xFF) as usize;
            dst[hd[b] as usize] = k;
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
pub(super) fn count_update(counts: &mut [u8], block: &[i16], samples: usize, m: usize) {
    pub(super) const ROWS: usize = 8;
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
pub(super) fn pair_update(pc: &mut [u16], block: &[i16], samples: usize, m: usize) {
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

/// Whether mechanism `i` ranks first among exact totals (ties share first place).
pub(super) fn first_exact(totals: &[Option<f64>], i: usize) -> bool {
    let Some(ti) = totals[i] else {
        return false;
    };
    totals.iter().flatten().all(|&t| t <= ti + TIE_EPS)
}

/// The f32 totals of the fully scored mechanisms for GROUP weight vectors at once
/// (`wf`: GROUP × n; `out`: GROUP × m; other rows left as they are).
/// With `FMA` (only where the caller enables the instruction) each step is one fused
/// multiply-add: a rounding less, within the same error bound.
#[inline(always)]
pub(super) fn group_totals<const FMA: bool>(model: &Model, x: &[f32], wf: &[f32], out: &mut [f32]) {
    let n = model.n;
    let (x, _) = x.as_chunks::<LANES>();
    let mut acc = [[0.0f32; LANES]; GROUP];
    for t in 0..model.tiles {
        acc.iter_mut().for_each(|a| *a = [0.0; LANES]);
        for (c, col) in x[t * n..(t + 1) * n].iter().enumerate() {
            for (g, a) in acc.iter_mut().enumerate() {
                let wc = wf[g * n + c];
                if FMA {
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: `FMA` is set only by callers compiled with AVX2 and FMA
                    // (checked at run time by `run::isa`).
                    unsafe {
                        fma16(a, wc, col)
                    };
                } else {
                    for k in 0..LANES {
                        a[k] += wc * col[k];
                    }
                }
            }
        }
        write_tile(model, t, &acc, out);
    }
}

/// The GROUP samples' totals of tile `t` into `out` (GROUP × m), by mechanism.
#[inline(always)]
fn write_tile(model: &Model, t: usize, acc: &[[f32; LANES]; GROUP], out: &mut [f32]) {
    let m = model.m;
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

/// As [`group_totals`] with `FMA`, with AVX-512: a tile's 16 lanes are one register,
/// the GROUP running sums stay in registers and each weight is broadcast from memory
/// (the same fused multiply-adds in the same order: the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
pub(super) fn group_totals_avx512(model: &Model, x: &[f32], wf: &[f32], out: &mut [f32]) {
    use std::arch::x86_64::*;
    let n = model.n;
    assert!(x.len() >= model.tiles * n * LANES && wf.len() >= GROUP * n);
    for t in 0..model.tiles {
        let mut acc = [_mm512_setzero_ps(); GROUP];
        let tile = x[t * n * LANES..].as_ptr();
        for c in 0..n {
            // SAFETY: c < n: the load reads the 16 values of column c of tile t, and
            // the weights g·n + c < GROUP·n are inside `wf` (asserted above).
            let col = unsafe { _mm512_loadu_ps(tile.add(c * LANES)) };
            for (g, a) in acc.iter_mut().enumerate() {
                let wc = unsafe { *wf.get_unchecked(g * n + c) };
                *a = _mm512_fmadd_ps(_mm512_set1_ps(wc), col, *a);
            }
        }
        let mut lanes = [[0.0f32; LANES]; GROUP];
        for (l, a) in lanes.iter_mut().zip(acc) {
            // SAFETY: `l` holds 16 f32.
            unsafe { _mm512_storeu_ps(l.as_mut_ptr(), a) };
        }
        write_tile(model, t, &lanes, out);
    }
}

/// `a += w · x` on 16 lanes with fused multiply-adds.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn fma16(a: &mut [f32; LANES], w: f32, x: &[f32; LANES]) {
    use std::arch::x86_64::*;
    let w = _mm256_set1_ps(w);
    // SAFETY: `a` and `x` hold 16 f32: two loads and stores of 8 each.
    unsafe {
        for h in [0, 8] {
            let v = _mm256_loadu_ps(a.as_ptr().add(h));
            let v = _mm256_fmadd_ps(w, _mm256_loadu_ps(x.as_ptr().add(h)), v);
            _mm256_storeu_ps(a.as_mut_ptr().add(h), v);
        }
    }
}

/// The noisy shares of the rows of the lane kernel for the sample of `draws`, in the
/// layout of `model.xt` (the values the lane kernel uses).
#[inline(always)]
pub(super) fn noisy_shares(model: &Model, draws: Draws, out: &mut [f32]) {
    let Some(lanes) = &model.lanes else {
        out.copy_from_slice(&model.xt);
        return;
    };
    let n = model.n;
    for (t, rows) in model.fast_rows.chunks(LANES).enumerate() {
        for (k, &i) in rows.iter().enumerate() {
            if i == usize::MAX {
                continue;
            }
            for c in 0..n {
                let slot = i * n + c;
                out[t * n * LANES + c * LANES + k] = lanes.share32(slot, c, draws.at(slot));
            }
        }
    }
}

/// The f32 totals of every mechanism without score uncertainty (NaN = null total).
#[inline(always)]
pub(super) fn compute_totals(model: &Model, wf: &[f32], w: &[f64], gsum: &[f64], out: &mut [f32]) {
    let n = model.n;
    let (x, _) = model.xt.as_chunks::<LANES>();
    let mut acc = [0.0f32; LANES];
    for t in 0..model.tiles {
        tile_totals(&x[t * n..(t + 1) * n], wf, &mut acc);
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
            .exact_total(i, w, gsum, Draws::NONE)
            .map_or(f32::NAN, |t| t as f32);
    }
}

/// Competition ranks of one sample into `sc.ranks` (0 = no total) and the mechanisms
/// ranked first into `sc.firsts`: sorted in f32, runs of totals closer than the f32
/// resolution settled in f64. With `avx512` (only where the CPU has it) a sample of at
/// most 512 mechanisms is sorted by `sort512`; the order is the same.
#[inline(always)]
pub(super) fn rank(model: &Model, sc: &mut Scratch, avx512: bool) {
    let Scratch {
        totals,
        w,
        gsum,
        noise,
        noise_lane,
        keys,
        tmp_keys,
        keys32,
        check,
        run,
        near,
        ranks,
        firsts,
        ..
    } = sc;
    ranks.fill(0);
    firsts.clear();
    let mut settle = Settle {
        model,
        draws: Draws {
            bits: noise,
            lanes: SAMPLES,
            lane: *noise_lane,
        },
        w,
        gsum,
        run,
        near,
        ranks,
        firsts,
    };
    #[cfg(target_arch = "x86_64")]
    if avx512 && totals.len() <= sort512::MAX {
        let eps = (model.eps_rel, model.eps_abs);
        let candidates = &mut *check;
        // SAFETY: `avx512` is set only when the CPU has AVX-512 F (`run::isa`).
        let count = unsafe { sort512::sort(totals, eps, keys32, candidates) };
        let order = &mut keys32[..count];
        for (p, &k) in order.iter().enumerate() {
            settle.ranks[sort512::index(k)] = (p + 1) as i16;
        }
        // Runs of one bucket are in index order: put them in total order, and look
        // again at the pairs on their edges.
        let totals = &totals[..];
        let mut x = 0;
        let mut edges = Vec::new();
        while x < candidates.len() {
            let a = candidates[x] - 1;
            let mut b = a + 1;
            while x < candidates.len()
                && candidates[x] == b
                && sort512::same_bucket(order[b - 1], order[b])
            {
                b += 1;
                x += 1;
            }
            if b == a + 1 {
                x += 1;
                continue;
            }
            order[a..b].sort_unstable_by(|&p, &q| {
                let (i, j) = (sort512::index(p), sort512::index(q));
                totals[j].total_cmp(&totals[i]).then(i.cmp(&j))
            });
            for (p, &k) in order.iter().enumerate().take(b).skip(a) {
                settle.ranks[sort512::index(k)] = (p + 1) as i16;
            }
            edges.extend([a, b]);
        }
        candidates.extend(edges.into_iter().filter(|&p| p > 0 && p < count));
        candidates.sort_unstable();
        candidates.dedup();
        let at = |p: usize| {
            let i = sort512::index(order[p]);
            (totals[i], i)
        };
        settle.near.clear();
        for &p in candidates.iter() {
            settle.note_if_near(p, at);
        }
        settle.runs(count, at);
        return;
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (avx512, keys32, check);
    // The range of the totals; comparisons are false for NaN (a null total). Eight
    // running minima and maxima, so that the scan is one vector wide.
    let (mut lo, mut hi, mut nan) = ([f32::INFINITY; 8], [f32::NEG_INFINITY; 8], [0u32; 8]);
    let (whole, rest) = totals.as_chunks::<8>();
    for t8 in whole {
        for k in 0..8 {
            let t = t8[k];
            lo[k] = if t < lo[k] { t } else { lo[k] };
            hi[k] = if t > hi[k] { t } else { hi[k] };
            nan[k] += u32::from(t.is_nan());
        }
    }
    for (k, &t) in rest.iter().enumerate() {
        lo[k] = if t < lo[k] { t } else { lo[k] };
        hi[k] = if t > hi[k] { t } else { hi[k] };
        nan[k] += u32::from(t.is_nan());
    }
    let tmin = lo
        .iter()
        .fold(f32::INFINITY, |a, &b| if b < a { b } else { a });
    let tmax = hi
        .iter()
        .fold(f32::NEG_INFINITY, |a, &b| if b > a { b } else { a });
    let nulls = nan.iter().sum::<u32>() as usize;
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
    settle.positions(keys.len(), |p| (key_total(keys[p]), key_index(keys[p])));
}

/// What turns one sample's sorted order into ranks.
struct Settle<'a> {
    model: &'a Model,
    draws: Draws<'a>,
    w: &'a [f64],
    gsum: &'a [f64],
    run: &'a mut Vec<(f64, usize)>,
    near: &'a mut Vec<usize>,
    ranks: &'a mut [i16],
    firsts: &'a mut Vec<usize>,
}

impl Settle<'_> {
    /// Ranks from the `len` positions of the order, `at(p)` giving the total and the
    /// mechanism at position `p` (highest total first, then lowest index).
    #[inline(always)]
    fn positions(&mut self, len: usize, at: impl Fn(usize) -> (f32, usize)) {
        // Ranks by position; positions whose total is within the f32 resolution of the
        // one before are noted (rare) and settled in `runs`.
        let (eps_rel, eps_abs) = (self.model.eps_rel, self.model.eps_abs);
        let mut prev = f32::INFINITY;
        self.near.clear();
        for p in 0..len {
            let (t, i) = at(p);
            self.ranks[i] = (p + 1) as i16;
            if p > 0 && prev - t <= eps_rel * prev + eps_abs {
                self.near.push(p);
            }
            prev = t;
        }
        self.runs(len, at);
    }

    /// Notes position `p` (> 0) when its total is within the f32 resolution of the
    /// one before (positions noted in ascending order).
    #[inline(always)]
    fn note_if_near(&mut self, p: usize, at: impl Fn(usize) -> (f32, usize)) {
        let (prev, t) = (at(p - 1).0, at(p).0);
        if prev - t <= self.model.eps_rel * prev + self.model.eps_abs {
            self.near.push(p);
        }
    }

    /// The first places and the runs of near totals, from the noted positions.
    #[inline(always)]
    fn runs(&mut self, len: usize, at: impl Fn(usize) -> (f32, usize)) {
        let model = self.model;
        let near = &*self.near;
        if len > 0 && near.first() != Some(&1) {
            self.firsts.push(at(0).1);
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
            let run = &mut *self.run;
            run.clear();
            for p in a..b {
                let i = at(p).1;
                let t = model
                    .exact_total(i, self.w, self.gsum, self.draws)
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
                self.ranks[run[r].1] = rank as i16;
                if rank == 1 {
                    self.firsts.push(run[r].1);
                }
            }
        }
    }
}
