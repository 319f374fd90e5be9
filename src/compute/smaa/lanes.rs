//! The kernel of score uncertainty: the `f32` totals of [`SAMPLES`] samples at once,
//! one sample per vector lane (16 lanes with AVX-512, two halves of 8 with AVX2), for
//! every mechanism whose cells are all numbers.
//!
//! Each cell is a list of at most [`MAX_COMPONENTS`] equally likely components (one
//! per analyst with a number, or a single one), each a share and a noise half-width.
//! Each criterion has a dictionary of at most 16 distinct shares and one of at most 16
//! distinct half-widths, and a component is one byte (share code in the low four
//! bits, half-width code in the high four), so that a cell is 16 bytes: the kernel
//! picks each sample's component with one byte shuffle and looks its share and
//! half-width up with a permute each (with AVX2, two and a blend for a dictionary of
//! more than 8), all in registers. A mechanism with a cell that does not fit (more components, or a
//! criterion with more distinct values) is totalled by the exact path instead
//! (`Model::exact_total`).
//!
//! The AVX2 and AVX-512 kernels compute the same values in the same order, so their
//! totals have the same bits. The portable kernel finds a draw's component and
//! position in integers where they use `f32` (every step exact: the same values), but
//! it rounds each product before adding it where they fuse the multiply-adds, so a
//! total may differ from theirs in its last bits: inside the `f32` error bound that
//! `rank` settles every closer pair within, so the ranks are the same.

use super::noise::{POSITION_SCALE, component};

/// Samples per block: one AVX-512 vector of `f32` (two of AVX2).
pub(super) const SAMPLES: usize = 16;
/// Components per cell and distinct (share, half-width) pairs per criterion.
pub(super) const MAX_COMPONENTS: usize = 16;

/// The cells of the mechanisms the kernel totals, coded.
pub(super) struct LaneTables {
    pub(super) n: usize,
    /// The mechanisms the kernel totals.
    pub(super) rows: Vec<usize>,
    /// Per cell slot (mechanism × n + criterion): its number of components, and that
    /// number over 2¹⁶ (the vector kernels' scale of a draw).
    pub(super) k: Vec<u32>,
    pub(super) k_scale: Vec<f32>,
    /// Per cell slot: its components' codes (share code | half-width code << 4).
    pub(super) codes: Vec<[u8; MAX_COMPONENTS]>,
    /// Per criterion: the dictionaries of shares and of half-widths.
    pub(super) share: Vec<Dictionary>,
    pub(super) half: Vec<Dictionary>,
}

/// Up to 16 distinct `f32` values, in the order first seen.
#[derive(Clone, Default)]
pub(super) struct Dictionary {
    pub(super) values: [f32; MAX_COMPONENTS],
    pub(super) len: usize,
}

impl Dictionary {
    /// The code of `x`, added if new; None when the dictionary is full.
    fn code(&mut self, x: f32) -> Option<u8> {
        let known = self.values[..self.len]
            .iter()
            .position(|v| v.to_bits() == x.to_bits());
        match known {
            Some(d) => Some(d as u8),
            None if self.len < MAX_COMPONENTS => {
                self.values[self.len] = x;
                self.len += 1;
                Some(self.len as u8 - 1)
            }
            None => None,
        }
    }
}

impl LaneTables {
    /// Codes the mechanisms in `candidates` whose cells all fit; `cell(i, c)` gives a
    /// cell's components as (share, half-width).
    pub(super) fn new<'a>(
        m: usize,
        n: usize,
        candidates: impl Iterator<Item = usize>,
        cell: impl Fn(usize, usize) -> &'a [(f64, f64)],
    ) -> LaneTables {
        let mut t = LaneTables {
            n,
            rows: Vec::new(),
            k: vec![0; m * n],
            k_scale: vec![0.0; m * n],
            codes: vec![[0; MAX_COMPONENTS]; m * n],
            share: vec![Dictionary::default(); n],
            half: vec![Dictionary::default(); n],
        };
        'rows: for i in candidates {
            for c in 0..n {
                let parts = cell(i, c);
                if parts.is_empty() || parts.len() > MAX_COMPONENTS {
                    continue 'rows;
                }
                let mut codes = [0u8; MAX_COMPONENTS];
                for (j, &(s, h)) in parts.iter().enumerate() {
                    let (Some(s), Some(h)) = (t.share[c].code(s as f32), t.half[c].code(h as f32))
                    else {
                        continue 'rows;
                    };
                    codes[j] = s | h << 4;
                }
                t.k[i * n + c] = parts.len() as u32;
                t.k_scale[i * n + c] = parts.len() as f32 / 65_536.0;
                t.codes[i * n + c] = codes;
            }
            t.rows.push(i);
        }
        t
    }

    /// The `f32` share of cell slot `slot` (criterion `c`) for draw `r`: the same value
    /// the kernels use.
    #[inline(always)]
    pub(super) fn share32(&self, slot: usize, c: usize, r: u16) -> f32 {
        let (j, pos) = component(r, self.k[slot]);
        let code = self.codes[slot][j as usize] as usize;
        let p = pos as f32 * POSITION_SCALE;
        let (s, h) = (
            self.share[c].values[code & 15],
            self.half[c].values[code >> 4],
        );
        (s + h * p).clamp(0.0, 1.0)
    }

    /// The totals of mechanism `i` in the SAMPLES samples of a block: `bits` holds the
    /// block's draws (slot-major, SAMPLES per slot), `wt` each criterion's weight in
    /// each sample. Criterion c is added to running sum c mod 4, in order, and the four
    /// sums are added as (s0 + s1) + (s2 + s3): a quarter of the rounding error of one
    /// running sum (fewer near ties to settle in f64) and four independent chains.
    #[inline(always)]
    pub(super) fn row_totals(
        &self,
        i: usize,
        bits: &[u16],
        wt: &[[f32; SAMPLES]],
        out: &mut [f32; SAMPLES],
    ) {
        let n = self.n;
        let mut acc = [[0.0f32; SAMPLES]; 4];
        for (c, wc) in wt.iter().enumerate() {
            let slot = i * n + c;
            let r = &bits[slot * SAMPLES..(slot + 1) * SAMPLES];
            let a = &mut acc[c % 4];
            for s in 0..SAMPLES {
                a[s] += wc[s] * self.share32(slot, c, r[s]);
            }
        }
        for s in 0..SAMPLES {
            out[s] = (acc[0][s] + acc[1][s]) + (acc[2][s] + acc[3][s]);
        }
    }

    /// As [`LaneTables::row_totals`], with AVX2: the same operations, 8 lanes at a
    /// time (the block's two halves in turn).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn row_totals_avx2(
        &self,
        i: usize,
        bits: &[u16],
        wt: &[[f32; SAMPLES]],
        out: &mut [f32; SAMPLES],
    ) {
        use std::arch::x86_64::*;
        let n = self.n;
        let bits = &bits[i * n * SAMPLES..(i + 1) * n * SAMPLES];
        let (rows, _) = bits.as_chunks::<SAMPLES>();
        let (half, two, one) = (
            _mm256_set1_ps(0.5),
            _mm256_set1_ps(2.0),
            _mm256_set1_ps(1.0),
        );
        let zero = _mm256_setzero_ps();
        let top = _mm256_set1_ps(1.0);
        // A dictionary's value for each lane's code (low four bits): one permute for up
        // to 8 values, two and a blend on bit 3 for more.
        macro_rules! look_up {
            ($dict:expr, $code:expr) => {{
                let d: &Dictionary = $dict;
                let code = $code;
                // SAFETY: `values` holds 16 f32; each load reads 8 of them.
                let lo =
                    _mm256_permutevar8x32_ps(unsafe { _mm256_loadu_ps(d.values.as_ptr()) }, code);
                if d.len <= 8 {
                    lo
                } else {
                    let hi = _mm256_permutevar8x32_ps(
                        unsafe { _mm256_loadu_ps(d.values.as_ptr().add(8)) },
                        code,
                    );
                    _mm256_blendv_ps(lo, hi, _mm256_castsi256_ps(_mm256_slli_epi32::<28>(code)))
                }
            }};
        }
        for lane in [0, 8] {
            let (mut a0, mut a1, mut a2, mut a3) = (zero, zero, zero, zero);
            let cells = i * n..(i + 1) * n;
            let cols = wt
                .iter()
                .zip(rows)
                .zip(&self.codes[cells.clone()])
                .zip(&self.k_scale[cells]);
            for (c, (((wc, r), codes), &k_scale)) in cols.enumerate() {
                // SAFETY: the loads read inside the arrays they point to (8 of 16 × u16,
                // 16 × u8, 8 of 16 × f32).
                let (r, table, w) = unsafe {
                    (
                        _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(_mm_loadu_si128(
                            r.as_ptr().add(lane).cast(),
                        ))),
                        _mm256_broadcastsi128_si256(_mm_loadu_si128(codes.as_ptr().cast())),
                        _mm256_loadu_ps(wc.as_ptr().add(lane)),
                    )
                };
                // As in the AVX-512 kernel: component and position of the draw in f32,
                // every step exact.
                let u = _mm256_mul_ps(_mm256_add_ps(r, half), _mm256_set1_ps(k_scale));
                let j = _mm256_cvttps_epi32(u);
                let p = _mm256_fmsub_ps(_mm256_sub_ps(u, _mm256_cvtepi32_ps(j)), two, one);
                let code = _mm256_shuffle_epi8(table, j);
                let s = look_up!(&self.share[c], code);
                let h = look_up!(&self.half[c], _mm256_srli_epi32::<4>(code));
                let v = _mm256_fmadd_ps(h, p, s);
                let v = _mm256_min_ps(_mm256_max_ps(v, zero), top);
                match c % 4 {
                    0 => a0 = _mm256_fmadd_ps(w, v, a0),
                    1 => a1 = _mm256_fmadd_ps(w, v, a1),
                    2 => a2 = _mm256_fmadd_ps(w, v, a2),
                    _ => a3 = _mm256_fmadd_ps(w, v, a3),
                }
            }
            let acc = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
            // SAFETY: `out` holds 16 f32; this stores 8 of them.
            unsafe { _mm256_storeu_ps(out.as_mut_ptr().add(lane), acc) };
        }
    }

    /// As [`LaneTables::row_totals`], with AVX-512: the same operations on all 16 lanes
    /// at once; a 16-value dictionary is one permute.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw")]
    pub(super) fn row_totals_avx512(
        &self,
        i: usize,
        bits: &[u16],
        wt: &[[f32; SAMPLES]],
        out: &mut [f32; SAMPLES],
    ) {
        use std::arch::x86_64::*;
        let n = self.n;
        let bits = &bits[i * n * SAMPLES..(i + 1) * n * SAMPLES];
        let (rows, _) = bits.as_chunks::<SAMPLES>();
        let (half, two, one) = (
            _mm512_set1_ps(0.5),
            _mm512_set1_ps(2.0),
            _mm512_set1_ps(1.0),
        );
        let zero = _mm512_setzero_ps();
        let top = _mm512_set1_ps(1.0);
        // Four running sums in registers (an array indexed by c mod 4 would live in
        // memory, each step waiting on the store before).
        let (mut a0, mut a1, mut a2, mut a3) = (zero, zero, zero, zero);
        let cells = i * n..(i + 1) * n;
        let cols = wt
            .iter()
            .zip(rows)
            .zip(&self.codes[cells.clone()])
            .zip(&self.k_scale[cells]);
        for (c, (((wc, r), codes), &k_scale)) in cols.enumerate() {
            // SAFETY: the loads read exactly the arrays they point to (16 × u16,
            // 16 × u8, 16 × f32, 16 × f32 twice).
            let (r, table, w, shares, halves) = unsafe {
                (
                    _mm512_cvtepi32_ps(_mm512_cvtepu16_epi32(_mm256_loadu_si256(
                        r.as_ptr().cast(),
                    ))),
                    _mm512_broadcast_i32x4(_mm_loadu_si128(codes.as_ptr().cast())),
                    _mm512_loadu_ps(wc.as_ptr()),
                    _mm512_loadu_ps(self.share[c].values.as_ptr()),
                    _mm512_loadu_ps(self.half[c].values.as_ptr()),
                )
            };
            // (r + ½)·k/2¹⁶ = (2r + 1)·k/2¹⁷: the component is its whole part, the
            // position twice its fraction less one (every step exact).
            let u = _mm512_mul_ps(_mm512_add_ps(r, half), _mm512_set1_ps(k_scale));
            let j = _mm512_cvttps_epi32(u);
            let p = _mm512_fmsub_ps(_mm512_sub_ps(u, _mm512_cvtepi32_ps(j)), two, one);
            // Bytes 1–3 of each lane's index are 0, so those bytes of `code` are
            // the lane's first code: the permutes read only the low four bits.
            let code = _mm512_shuffle_epi8(table, j);
            let s = _mm512_permutexvar_ps(code, shares);
            let h = _mm512_permutexvar_ps(_mm512_srli_epi32::<4>(code), halves);
            let v = _mm512_fmadd_ps(h, p, s);
            let v = _mm512_min_ps(_mm512_max_ps(v, zero), top);
            match c % 4 {
                0 => a0 = _mm512_fmadd_ps(w, v, a0),
                1 => a1 = _mm512_fmadd_ps(w, v, a1),
                2 => a2 = _mm512_fmadd_ps(w, v, a2),
                _ => a3 = _mm512_fmadd_ps(w, v, a3),
            }
        }
        let acc = _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3));
        // SAFETY: `out` holds 16 f32.
        unsafe { _mm512_storeu_ps(out.as_mut_ptr(), acc) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables() -> LaneTables {
        // 3 mechanisms × 2 criteria. Mechanism 0: one component per cell; 1: three
        // analysts on criterion 0, and 17 components on criterion 1 (does not fit);
        // 2: two analysts, one of them the same pair as mechanism 0's.
        let cells: Vec<Vec<Vec<(f64, f64)>>> = vec![
            vec![vec![(0.25, 0.1)], vec![(1.0, 0.2)]],
            vec![
                vec![(0.0, 0.05), (0.5, 0.1), (1.0, 0.0)],
                vec![(0.5, 0.0); 17],
            ],
            vec![vec![(0.25, 0.1), (0.75, 0.3)], vec![(0.0, 0.0)]],
        ];
        LaneTables::new(3, 2, 0..3, |i, c| &cells[i][c][..])
    }

    #[test]
    fn cells_are_coded_in_a_dictionary_per_criterion() {
        let t = tables();
        assert_eq!(
            t.rows,
            vec![0, 2],
            "mechanism 1 has a cell of 17 components"
        );
        assert_eq!(t.k[4], 2);
        // Mechanism 2's first analyst reuses mechanism 0's codes.
        assert_eq!(t.codes[4][0], t.codes[0][0]);
        let code = t.codes[4][1] as usize;
        assert_eq!(t.share[0].values[code & 15], 0.75);
        assert_eq!(t.half[0].values[code >> 4], 0.3);
        // Criterion 0's shares: 0.25, then 0, 0.5 and 1 (mechanism 1 was left out at
        // its second cell, but its first cell's values stay), then 0.75.
        assert_eq!(t.share[0].len, 5);
    }

    #[test]
    fn a_share_is_its_component_plus_the_placed_noise_clamped() {
        let t = tables();
        // One component: 0.25 + 0.1 × ((r + ½)/2¹⁵ − 1).
        assert_eq!(
            t.share32(0, 0, 49_152),
            0.25 + 0.1 * (49_152.5 / 32_768.0 - 1.0)
        );
        // Clamped at 1.
        assert_eq!(t.share32(1, 1, 65_535), 1.0);
        // Two components: draws below 2¹⁵ pick the first, above the second; a quarter
        // of the way through the draws is just past the middle of the first component
        // (u = (r + ½)·2/2¹⁶ = 0.500015…, position 2u − 1 = 2/2¹⁶).
        assert_eq!(t.share32(4, 0, 16_384), 0.25 + 0.1 * (2.0 / 65_536.0));
        assert_eq!(t.share32(4, 0, 49_152), 0.75 + 0.3 * (2.0 / 65_536.0));
        assert_eq!(t.share32(4, 0, 0), 0.25 + 0.1 * (-65_534.0 / 65_536.0));
    }

    /// Two mechanisms × 2 criteria whose dictionaries need both halves: 16 analysts
    /// with 16 distinct shares and 9 distinct half-widths.
    fn wide_tables() -> LaneTables {
        let wide: Vec<(f64, f64)> = (0..16)
            .map(|j| (f64::from(j) / 15.0, f64::from(j % 9) / 40.0))
            .collect();
        let cells = [
            [wide.clone(), vec![(0.5, 0.1)]],
            [wide[3..].to_vec(), wide[..9].to_vec()],
        ];
        LaneTables::new(2, 2, 0..2, |i, c| &cells[i][c][..])
    }

    #[test]
    fn the_vector_kernels_agree_with_the_portable_one() {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            for t in [tables(), wide_tables()] {
                check_kernels(&t);
            }
            assert_eq!(wide_tables().share[0].len, 16);
            assert_eq!(wide_tables().half[0].len, 9);
        }
    }

    /// The portable, the AVX2 and (where the CPU has it) the AVX-512 kernel on 64
    /// rounds of draws (the caller has checked that the CPU has AVX2).
    #[cfg(target_arch = "x86_64")]
    fn check_kernels(t: &LaneTables) {
        let wt: [[f32; SAMPLES]; 2] = [
            std::array::from_fn(|s| (s as f32 * 0.37).fract()),
            std::array::from_fn(|s| 1.0 - (s as f32 * 0.37).fract()),
        ];
        for round in 0..64u32 {
            let bits: Vec<u16> = (0..6 * SAMPLES as u32)
                .map(|x| ((x + 1000 * round).wrapping_mul(2_654_435_761) >> 16) as u16)
                .collect();
            for &i in &t.rows {
                let (mut a, mut b) = ([0.0; SAMPLES], [0.0; SAMPLES]);
                t.row_totals(i, &bits, &wt, &mut a);
                // SAFETY: the CPU has AVX2 and FMA (checked by the caller).
                unsafe { t.row_totals_avx2(i, &bits, &wt, &mut b) };
                // Fused multiply-adds: within a few roundings of the portable total.
                for (x, y) in a.iter().zip(&b) {
                    let bound = (t.n as f32 + 4.0) * f32::EPSILON * (x.abs() + 1.0);
                    assert!((x - y).abs() <= bound, "{x} {y}");
                }
                if std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512bw")
                {
                    let mut z = [0.0; SAMPLES];
                    // SAFETY: the CPU has AVX-512 F and BW (checked just above).
                    unsafe { t.row_totals_avx512(i, &bits, &wt, &mut z) };
                    assert_eq!(b.map(f32::to_bits), z.map(f32::to_bits));
                }
            }
        }
    }
}
