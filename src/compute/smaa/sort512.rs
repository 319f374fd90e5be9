//! One sample's order with AVX-512, for at most [`MAX`] mechanisms: 32-bit keys
//! `[quantised total:23][index:9]` built sixteen at a time and sorted by a bitonic
//! network in vector registers, then a check of the sorted totals for what the caller
//! must settle by the general path (keys whose quantised totals are equal, and totals
//! closer than the `f32` resolution).
//!
//! Any correct sort of the same keys gives the same order, so this path changes the
//! speed of a run, never its result; `ranking::rank` falls back to the general path
//! whenever the check finds something.

use std::arch::x86_64::*;

/// The most mechanisms this path takes: 32 vectors of 16 keys.
pub(super) const MAX: usize = 512;
/// Bits of a key that hold the mechanism index.
pub(super) const INDEX_BITS: u32 = 9;
/// The largest quantised total: one step below the top of its 23 bits, so that a key
/// never equals `u32::MAX` (the key of a null total and of the padding).
const QMAX: f32 = 8_388_606.0;

/// The quantisation scale over a sample's range of totals (0 when the range is empty
/// or not finite: every key then ties, and the check sends the sample on).
pub(super) fn scale(range: f32) -> f32 {
    let s = QMAX / range;
    if range > 0.0 && s.is_finite() { s } else { 0.0 }
}

/// The mechanism index of a key.
#[inline(always)]
pub(super) fn index(key: u32) -> usize {
    (key & ((1 << INDEX_BITS) - 1)) as usize
}

/// Whether two keys have the same quantised total.
#[inline(always)]
pub(super) fn same_bucket(a: u32, b: u32) -> bool {
    a >> INDEX_BITS == b >> INDEX_BITS
}

/// Sorts the keys of `totals` (at most [`MAX`]; NaN = null, sorted last) into `out`
/// ascending: highest total first, then lowest index, and returns how many are
/// ranked (not null). Into `check` go the positions `p` (ascending) among them whose
/// pair (p − 1, p) the caller must look at: the same quantised total (their order is
/// by index, not yet by total), or totals that may be within the near-tie bound
/// `eps_rel · t + eps_abs` (a superset of the pairs `rank` settles in `f64`).
///
/// # Safety
/// The CPU must have AVX-512 F.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn sort(
    totals: &[f32],
    eps: (f32, f32),
    out: &mut [u32; MAX],
    check: &mut Vec<usize>,
) -> usize {
    let m = totals.len();
    assert!(m <= MAX);
    let nv = m.div_ceil(16).next_power_of_two();
    // The totals, NaN past the end; their range and the number of nulls.
    let mut t = [_mm512_set1_ps(f32::NAN); 32];
    let (mut lo, mut hi) = (
        _mm512_set1_ps(f32::INFINITY),
        _mm512_set1_ps(f32::NEG_INFINITY),
    );
    let mut count = 0;
    for (b, x) in t.iter_mut().enumerate().take(nv) {
        // SAFETY: the masked load reads only the lanes below `m`, inside `totals`.
        *x = unsafe {
            _mm512_mask_loadu_ps(*x, lanes_below(m, b), totals.as_ptr().wrapping_add(16 * b))
        };
        let live = _mm512_cmp_ps_mask::<_CMP_ORD_Q>(*x, *x);
        lo = _mm512_mask_min_ps(lo, live, lo, *x);
        hi = _mm512_mask_max_ps(hi, live, hi, *x);
        count += live.count_ones() as usize;
    }
    let (tmin, tmax) = (_mm512_reduce_min_ps(lo), _mm512_reduce_max_ps(hi));
    let scale = scale(tmax - tmin);
    let mut v = [_mm512_set1_epi32(-1); 32];
    let iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    let (top, q_max, s) = (
        _mm512_set1_ps(tmax),
        _mm512_set1_ps(QMAX),
        _mm512_set1_ps(scale),
    );
    for (b, (slot, &t)) in v.iter_mut().zip(&t).enumerate().take(nv) {
        // (tmax − t)·scale, at most QMAX (`min` gives QMAX for a NaN), truncated.
        let q = _mm512_cvttps_epu32(_mm512_min_ps(
            _mm512_mul_ps(_mm512_sub_ps(top, t), s),
            q_max,
        ));
        let index = _mm512_add_epi32(iota, _mm512_set1_epi32(16 * b as i32));
        let key = _mm512_or_si512(_mm512_slli_epi32::<INDEX_BITS>(q), index);
        let null = _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(t, t);
        *slot = sort16(_mm512_mask_mov_epi32(key, null, _mm512_set1_epi32(-1)));
    }
    // Merge sorted runs of h vectors into runs of 2h: the second run reversed (the
    // pair is then bitonic), vectors h, h/2, … apart, then within each vector. The
    // distances of 8 vectors or more go through memory, the rest in groups of 8
    // vectors held in registers.
    let mut h = 1;
    while h < nv {
        for base in (0..nv).step_by(2 * h) {
            let upper = &mut v[base + h..base + 2 * h];
            upper.reverse();
            for x in upper.iter_mut() {
                *x = reverse(*x);
            }
        }
        let mut d = h;
        while d >= 8 {
            for a in 0..nv {
                if a & d == 0 {
                    (v[a], v[a + d]) = (
                        _mm512_min_epu32(v[a], v[a + d]),
                        _mm512_max_epu32(v[a], v[a + d]),
                    );
                }
            }
            d /= 2;
        }
        for base in (0..nv).step_by(8) {
            let len = nv.min(8);
            let mut g = [_mm512_setzero_si512(); 8];
            g[..len].copy_from_slice(&v[base..base + len]);
            merge_group(&mut g, d);
            v[base..base + len].copy_from_slice(&g[..len]);
        }
        h *= 2;
    }
    // Pairs whose quantised totals differ by at most the near-tie bound at the top
    // total, doubled, plus the rounding of the quantisation (a superset of the pairs
    // within the bound at their own totals).
    let bound = 2.0 * (eps.0 * tmax + eps.1) * scale + 3.0;
    let near = _mm512_set1_epi32(if bound < QMAX {
        bound as i32
    } else {
        QMAX as i32
    });
    check.clear();
    let mut prev = _mm512_set1_epi32(-1);
    for (b, &key) in v.iter().enumerate().take(nv) {
        // SAFETY: `out` holds 32 vectors; this stores the b-th.
        unsafe { _mm512_storeu_si512(out.as_mut_ptr().add(16 * b).cast(), key) };
        let live = lanes_below(count, b);
        if live == 0 {
            break;
        }
        // Each lane's neighbour before it: the last lane of the previous vector first.
        let before = _mm512_alignr_epi32::<15>(key, prev);
        let gap = _mm512_sub_epi32(
            _mm512_srli_epi32::<INDEX_BITS>(key),
            _mm512_srli_epi32::<INDEX_BITS>(before),
        );
        let first = if b == 0 { 1 } else { 0 };
        let mut flagged = _mm512_cmple_epu32_mask(gap, near) & live & !first;
        while flagged != 0 {
            check.push(16 * b + flagged.trailing_zeros() as usize);
            flagged &= flagged - 1;
        }
        prev = key;
    }
    count
}

/// The lanes of vector `b` whose position 16·b + lane is below `len`.
#[inline(always)]
fn lanes_below(len: usize, b: usize) -> __mmask16 {
    let n = len.saturating_sub(16 * b).min(16);
    ((1u32 << n) - 1) as __mmask16
}

/// The lanes of a vector in reverse order.
#[target_feature(enable = "avx512f")]
#[inline]
fn reverse(x: __m512i) -> __m512i {
    let back = _mm512_setr_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    _mm512_permutexvar_epi32(back, x)
}

/// The last steps of a merge in vectors `0..8` of a group (fewer when the sort has
/// fewer): distances 4, 2, 1 vectors from `d` down, then within each vector.
#[target_feature(enable = "avx512f")]
#[inline]
fn merge_group(g: &mut [__m512i; 8], d: usize) {
    for dist in [4, 2, 1] {
        if dist <= d {
            for a in 0..8 {
                if a & dist == 0 {
                    (g[a], g[a + dist]) = (
                        _mm512_min_epu32(g[a], g[a + dist]),
                        _mm512_max_epu32(g[a], g[a + dist]),
                    );
                }
            }
        }
    }
    for x in g.iter_mut() {
        *x = merge_within(*x);
    }
}

/// One compare-exchange step between lanes `J` apart: the lanes in `take_max` keep
/// the larger of the pair, the others the smaller.
#[target_feature(enable = "avx512f")]
#[inline]
fn step<const J: usize>(x: __m512i, take_max: __mmask16) -> __m512i {
    let other = match J {
        1 => _mm512_shuffle_epi32::<0b1011_0001>(x),
        2 => _mm512_shuffle_epi32::<0b0100_1110>(x),
        4 => _mm512_shuffle_i32x4::<0b1011_0001>(x, x),
        _ => _mm512_shuffle_i32x4::<0b0100_1110>(x, x),
    };
    _mm512_mask_max_epu32(_mm512_min_epu32(x, other), take_max, x, other)
}

/// The lanes whose bit `j` is set (the upper lane of each pair `j` apart).
const UPPER: [__mmask16; 4] = [0xAAAA, 0xCCCC, 0xF0F0, 0xFF00];

/// The four steps that sort a bitonic vector ascending.
#[target_feature(enable = "avx512f")]
#[inline]
fn merge_within(x: __m512i) -> __m512i {
    let x = step::<8>(x, UPPER[3]);
    let x = step::<4>(x, UPPER[2]);
    let x = step::<2>(x, UPPER[1]);
    step::<1>(x, UPPER[0])
}

/// Sorts one vector ascending (runs of 2, 4 and 8 alternate direction with the lane's
/// bit 1, 2, 3, so that each pair of runs is bitonic).
#[target_feature(enable = "avx512f")]
#[inline]
fn sort16(x: __m512i) -> __m512i {
    let x = step::<1>(x, UPPER[0] ^ UPPER[1]);
    let x = step::<2>(x, UPPER[1] ^ UPPER[2]);
    let x = step::<1>(x, UPPER[0] ^ UPPER[2]);
    let x = step::<4>(x, UPPER[2] ^ UPPER[3]);
    let x = step::<2>(x, UPPER[1] ^ UPPER[3]);
    let x = step::<1>(x, UPPER[0] ^ UPPER[3]);
    merge_within(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The order the general path gives: total descending, then index; nulls dropped.
    fn reference(totals: &[f32]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..totals.len()).filter(|&i| !totals[i].is_nan()).collect();
        order.sort_by(|&a, &b| totals[b].total_cmp(&totals[a]).then(a.cmp(&b)));
        order
    }

    fn sorted(totals: &[f32]) -> (Vec<usize>, Vec<usize>) {
        let (mut out, mut check) = ([0u32; MAX], Vec::new());
        // SAFETY: only called when the CPU has AVX-512 F.
        let count = unsafe { sort(totals, (1e-6, 1e-6), &mut out, &mut check) };
        assert_eq!(count, totals.iter().filter(|t| !t.is_nan()).count());
        let order: Vec<usize> = out[..count].iter().map(|&k| index(k)).collect();
        // Every pair left out of `check` is in order and apart.
        for p in 1..order.len() {
            let (a, b) = (totals[order[p - 1]], totals[order[p]]);
            if !check.contains(&p) {
                assert!(a > b && a - b > 1e-6 * a + 1e-6, "{p}: {a} {b}");
            }
        }
        (order, check)
    }

    #[test]
    fn sorts_as_the_general_path_at_every_size() {
        if !std::arch::is_x86_feature_detected!("avx512f") {
            eprintln!("no AVX-512 on this CPU: nothing to test");
            return;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for m in (0..=MAX)
            .step_by(7)
            .chain([1, 15, 16, 17, 255, 256, 257, 511, 512])
        {
            for _ in 0..4 {
                let totals: Vec<f32> = (0..m)
                    .map(|_| {
                        if rng.random_bool(0.05) {
                            f32::NAN
                        } else {
                            rng.random::<f32>()
                        }
                    })
                    .collect();
                let (mut order, check) = sorted(&totals);
                let want = reference(&totals);
                // Pairs in `check` may be out of total order (one bucket): the caller
                // re-sorts them, and so does this.
                for &p in &check {
                    let (a, b) = (order[p - 1], order[p]);
                    if totals[a] < totals[b] || (totals[a] == totals[b] && a > b) {
                        order.swap(p - 1, p);
                    }
                }
                assert_eq!(order, want, "m = {m}");
            }
        }
    }

    #[test]
    fn checks_ties_and_near_ties_only() {
        if !std::arch::is_x86_feature_detected!("avx512f") {
            eprintln!("no AVX-512 on this CPU: nothing to test");
            return;
        }
        // Well apart: nothing to settle.
        let apart: Vec<f32> = (0..300).map(|i| (i * 37 % 300) as f32 / 300.0).collect();
        assert_eq!(sorted(&apart), (reference(&apart), vec![]));
        // Two equal totals, wherever they fall in the vectors, are checked.
        for at in [0, 15, 16, 17, 299] {
            let mut tied = apart.clone();
            let other = if at == 0 { 1 } else { at - 1 };
            tied[at] = tied[other];
            let (order, check) = sorted(&tied);
            let p = order.iter().position(|&i| i == at.min(other)).unwrap();
            assert_eq!(check, vec![p + 1], "tie at {at}");
        }
        // All equal (empty range): every pair.
        assert_eq!(sorted(&[0.5; 40]).1, (1..40).collect::<Vec<_>>());
        // A single mechanism, and none.
        assert_eq!(sorted(&[0.3]), (vec![0], vec![]));
        assert_eq!(sorted(&[]), (vec![], vec![]));
    }
}
