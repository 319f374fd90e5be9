//! The random draws of score uncertainty: 16 bits per cell and sample, from eight
//! xoshiro256++ generators stepped side by side (seeded per chunk from its ChaCha
//! stream), and the view of one sample's draws that the kernels and the exact totals
//! read.
//!
//! xoshiro256++ is the generator of `rand_xoshiro::Xoshiro256PlusPlus`; each lane here
//! gives exactly that crate's output for the same seed (a test checks it). The eight
//! generators step together in two vector registers (two independent chains keep the
//! core busy): the draws of a sample cost a fraction of what ChaCha8 costs for the
//! same bits.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Generators stepped side by side.
const GENERATORS: usize = 8;

/// Eight xoshiro256++ generators; `s[word][lane]`.
pub(super) struct NoiseRng {
    s: [[u64; GENERATORS]; 4],
}

impl NoiseRng {
    /// Seeds each generator with 256 bits from `seed` (a state of all zeros, which
    /// xoshiro cannot leave, is replaced).
    pub(super) fn from_chacha(seed: &mut ChaCha8Rng) -> NoiseRng {
        let mut s = [[0u64; GENERATORS]; 4];
        for lane in 0..GENERATORS {
            for word in &mut s {
                word[lane] = seed.next_u64();
            }
            if s.iter().all(|w| w[lane] == 0) {
                s[0][lane] = 1;
            }
        }
        NoiseRng { s }
    }

    /// One step of every generator: eight 64-bit outputs.
    #[inline(always)]
    fn next(&mut self) -> [u64; GENERATORS] {
        let s = &mut self.s;
        let mut out = [0u64; GENERATORS];
        for k in 0..GENERATORS {
            out[k] = s[0][k]
                .wrapping_add(s[3][k])
                .rotate_left(23)
                .wrapping_add(s[0][k]);
            let t = s[1][k] << 17;
            s[2][k] ^= s[0][k];
            s[3][k] ^= s[1][k];
            s[1][k] ^= s[2][k];
            s[0][k] ^= s[3][k];
            s[2][k] ^= t;
            s[3][k] = s[3][k].rotate_left(45);
        }
        out
    }

    /// Fills `out` with 16-bit draws: each step's eight outputs, in lane order, each cut
    /// into four little-endian 16-bit parts. A tail shorter than 32 takes the first
    /// parts of one more step.
    #[inline(always)]
    pub(super) fn fill(&mut self, out: &mut [u16]) {
        let (whole, tail) = out.as_chunks_mut::<{ 4 * GENERATORS }>();
        for c in whole {
            let o = self.next();
            for (k, x) in o.iter().enumerate() {
                for q in 0..4 {
                    c[4 * k + q] = (x >> (16 * q)) as u16;
                }
            }
        }
        if !tail.is_empty() {
            let o = self.next();
            for (p, t) in tail.iter_mut().enumerate() {
                *t = (o[p / 4] >> (16 * (p % 4))) as u16;
            }
        }
    }
    /// As [`NoiseRng::fill`], with AVX2: the generators in two registers of four (the
    /// same outputs in the same order).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    pub(super) fn fill_avx2(&mut self, out: &mut [u16]) {
        use std::arch::x86_64::*;
        macro_rules! rotl {
            ($x:expr, $l:literal, $r:literal) => {{
                let x = $x;
                _mm256_or_si256(_mm256_slli_epi64::<$l>(x), _mm256_srli_epi64::<$r>(x))
            }};
        }
        let (whole, _) = out.as_chunks_mut::<{ 4 * GENERATORS }>();
        let count = whole.len();
        // SAFETY: each state word is 8 × u64 (two loads of 32 bytes), each chunk
        // 32 × u16 (two stores of 32 bytes).
        unsafe {
            let load =
                |w: &[u64; GENERATORS], h: usize| _mm256_loadu_si256(w.as_ptr().add(4 * h).cast());
            let mut a = [0, 1].map(|h| [0, 1, 2, 3].map(|k| load(&self.s[k], h)));
            for c in whole.iter_mut() {
                for (h, [s0, s1, s2, s3]) in a.iter_mut().enumerate() {
                    let r = _mm256_add_epi64(rotl!(_mm256_add_epi64(*s0, *s3), 23, 41), *s0);
                    _mm256_storeu_si256(c.as_mut_ptr().add(16 * h).cast(), r);
                    let t = _mm256_slli_epi64::<17>(*s1);
                    *s2 = _mm256_xor_si256(*s2, *s0);
                    *s3 = _mm256_xor_si256(*s3, *s1);
                    *s1 = _mm256_xor_si256(*s1, *s2);
                    *s0 = _mm256_xor_si256(*s0, *s3);
                    *s2 = _mm256_xor_si256(*s2, t);
                    *s3 = rotl!(*s3, 45, 19);
                }
            }
            for (h, words) in a.iter().enumerate() {
                for (w, v) in self.s.iter_mut().zip(words) {
                    _mm256_storeu_si256(w.as_mut_ptr().add(4 * h).cast(), *v);
                }
            }
        }
        self.fill(&mut out[count * 4 * GENERATORS..]);
    }
    /// As [`NoiseRng::fill`], with AVX-512: the eight generators in one register, with
    /// its rotate instruction (the same outputs in the same order).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    pub(super) fn fill_avx512(&mut self, out: &mut [u16]) {
        use std::arch::x86_64::*;
        let (whole, _) = out.as_chunks_mut::<{ 4 * GENERATORS }>();
        let count = whole.len();
        // SAFETY: each state word is 8 × u64 (64 bytes), each chunk 32 × u16 (64 bytes).
        unsafe {
            let [mut s0, mut s1, mut s2, mut s3] =
                [0, 1, 2, 3].map(|k| _mm512_loadu_si512(self.s[k].as_ptr().cast()));
            for c in whole.iter_mut() {
                let r = _mm512_add_epi64(_mm512_rol_epi64::<23>(_mm512_add_epi64(s0, s3)), s0);
                _mm512_storeu_si512(c.as_mut_ptr().cast(), r);
                let t = _mm512_slli_epi64::<17>(s1);
                s2 = _mm512_xor_si512(s2, s0);
                s3 = _mm512_xor_si512(s3, s1);
                s1 = _mm512_xor_si512(s1, s2);
                s0 = _mm512_xor_si512(s0, s3);
                s2 = _mm512_xor_si512(s2, t);
                s3 = _mm512_rol_epi64::<45>(s3);
            }
            for (w, v) in self.s.iter_mut().zip([s0, s1, s2, s3]) {
                _mm512_storeu_si512(w.as_mut_ptr().cast(), v);
            }
        }
        self.fill(&mut out[count * 4 * GENERATORS..]);
    }
}

/// One sample's draws in a buffer that holds `lanes` samples: the draw of cell slot
/// `slot` (row-major mechanism × criterion) is `bits[slot * lanes + lane]`. Empty bits
/// mean no score uncertainty.
#[derive(Clone, Copy)]
pub(super) struct Draws<'a> {
    pub(super) bits: &'a [u16],
    pub(super) lanes: usize,
    pub(super) lane: usize,
}

impl Draws<'_> {
    /// No draws: every cell at its own value.
    pub(super) const NONE: Draws<'static> = Draws {
        bits: &[],
        lanes: 1,
        lane: 0,
    };

    #[inline(always)]
    pub(super) fn is_none(&self) -> bool {
        self.bits.is_empty()
    }

    #[inline(always)]
    pub(super) fn at(&self, slot: usize) -> u16 {
        self.bits[slot * self.lanes + self.lane]
    }
}

/// One draw `r` placed within a cell of `k` equally likely components: the component
/// `j = ⌊(r + ½)·k / 2¹⁶⌋` and the position in it as a number in (−1, 1), exact in
/// `f32` and `f64`. With `k = 1` this is the plain uniform draw `(r + ½)/2¹⁵ − 1`.
#[inline(always)]
pub(super) fn component(r: u16, k: u32) -> (u32, i32) {
    let x = (2 * u32::from(r) + 1) * k;
    (x >> 17, (x & 0x1_FFFF) as i32 - 65_536)
}

/// The position of [`component`] as a number in (−1, 1).
pub(super) const POSITION_SCALE: f32 = 1.0 / 65_536.0;

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Each lane is exactly `rand_xoshiro`'s xoshiro256++ for the same 256 bits.
    #[test]
    fn each_lane_is_the_reference_generator() {
        let mut seed = ChaCha8Rng::seed_from_u64(11);
        let mut ours = NoiseRng::from_chacha(&mut seed);
        let mut reference: Vec<rand_xoshiro::Xoshiro256PlusPlus> = (0..GENERATORS)
            .map(|lane| {
                let mut bytes = [0u8; 32];
                for (w, word) in ours.s.iter().enumerate() {
                    bytes[8 * w..8 * w + 8].copy_from_slice(&word[lane].to_le_bytes());
                }
                rand_xoshiro::Xoshiro256PlusPlus::from_seed(bytes)
            })
            .collect();
        for _ in 0..1000 {
            let o = ours.next();
            for (lane, r) in reference.iter_mut().enumerate() {
                assert_eq!(o[lane], r.next_u64());
            }
        }
    }

    #[test]
    fn fill_cuts_each_output_into_four_draws_in_order() {
        let mut a = NoiseRng::from_chacha(&mut ChaCha8Rng::seed_from_u64(3));
        let mut b = NoiseRng::from_chacha(&mut ChaCha8Rng::seed_from_u64(3));
        let mut out = vec![0u16; 70];
        a.fill(&mut out);
        let mut want = Vec::new();
        for _ in 0..3 {
            for x in b.next() {
                for q in 0..4 {
                    want.push((x >> (16 * q)) as u16);
                }
            }
        }
        assert_eq!(out, want[..70]);
    }

    #[test]
    fn the_vector_generator_gives_the_same_draws() {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            let mut a = NoiseRng::from_chacha(&mut ChaCha8Rng::seed_from_u64(5));
            let mut b = NoiseRng::from_chacha(&mut ChaCha8Rng::seed_from_u64(5));
            let mut c = NoiseRng::from_chacha(&mut ChaCha8Rng::seed_from_u64(5));
            for len in [0, 5, 32, 1000, 37, 64] {
                let (mut x, mut y) = (vec![0u16; len], vec![0u16; len]);
                a.fill(&mut x);
                // SAFETY: the CPU has AVX2 (checked above).
                unsafe { b.fill_avx2(&mut y) };
                assert_eq!(x, y);
                if std::arch::is_x86_feature_detected!("avx512f") {
                    let mut z = vec![0u16; len];
                    // SAFETY: the CPU has AVX-512 F (checked just above).
                    unsafe { c.fill_avx512(&mut z) };
                    assert_eq!(x, z);
                }
            }
        }
    }

    #[test]
    fn components_split_the_draws_evenly() {
        // k = 3: each component takes a third of the 65,536 draws (±1), and the
        // positions run over (−1, 1) symmetrically.
        let mut count = [0u32; 3];
        for r in 0..=u16::MAX {
            let (j, p) = component(r, 3);
            count[j as usize] += 1;
            assert!(p > -65_536 && p < 65_536);
        }
        assert!(count.iter().all(|&c| (21_845..=21_846).contains(&c)));
        // k = 1 is the plain uniform draw.
        for r in [0u16, 1, 32_767, 65_535] {
            let (j, p) = component(r, 1);
            assert_eq!(j, 0);
            assert_eq!(
                p as f32 * POSITION_SCALE,
                (f32::from(r) + 0.5) / 32_768.0 - 1.0
            );
        }
    }
}
