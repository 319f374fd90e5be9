//! Exact crossings: a mechanism's total as a piecewise-rational function of the share
//! of the moved weight (`Aff`, `Piece`, `Track`), the roots where two totals draw
//! level, and fast competition ranks for checking the order between those roots.

/// Totals closer than this are tied (as in `stats::competition_ranks`).
pub(super) const TIE_EPS: f64 = 1e-9;

/// An affine function of the share, stored by its values at 0 and 1:
/// `a0·(1 − t) + a1·t`. Weights of the level are `w·(1 − t)` or `t`, so this form is
/// exact near both ends, where `c + s·t` would cancel.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Aff {
    pub(super) a0: f64,
    pub(super) a1: f64,
}

impl Aff {
    /// The moved weight itself: `t`.
    pub(super) const T: Aff = Aff { a0: 0.0, a1: 1.0 };

    pub(super) fn konst(c: f64) -> Aff {
        Aff { a0: c, a1: c }
    }
    /// `x·(1 − t)`: another weight of the level.
    pub(super) fn rest(x: f64) -> Aff {
        Aff { a0: x, a1: 0.0 }
    }
    pub(super) fn at(self, t: f64) -> f64 {
        self.a0 * (1.0 - t) + self.a1 * t
    }
    pub(super) fn plus(self, o: Aff) -> Aff {
        Aff {
            a0: self.a0 + o.a0,
            a1: self.a1 + o.a1,
        }
    }
    pub(super) fn minus(self, o: Aff) -> Aff {
        Aff {
            a0: self.a0 - o.a0,
            a1: self.a1 - o.a1,
        }
    }
    pub(super) fn times(self, k: f64) -> Aff {
        Aff {
            a0: self.a0 * k,
            a1: self.a1 * k,
        }
    }
}

/// A mechanism's total on an open stretch of shares: none, or `n(t) / d(t)` with
/// `d > 0` there.
#[derive(Clone, Copy, Debug)]
pub(super) enum Piece {
    Null,
    Ratio { n: Aff, d: Aff },
}

impl Piece {
    pub(super) fn at(&self, t: f64) -> Option<f64> {
        match self {
            Piece::Null => None,
            Piece::Ratio { n, d } => Some(n.at(t) / d.at(t)),
        }
    }
}

/// A mechanism's total as a function of the share `t` of the moved weight: `lo` on
/// (0, split), `hi` on (split, 1) (one piece when there is no split), and the exact
/// values at 0 and 1.
#[derive(Clone, Debug)]
pub(super) struct Track {
    pub(super) split: Option<f64>,
    pub(super) lo: Piece,
    pub(super) hi: Piece,
    pub(super) at0: Option<f64>,
    pub(super) at1: Option<f64>,
}

impl Track {
    pub(super) fn flat(p: Piece) -> Track {
        Track {
            split: None,
            lo: p,
            hi: p,
            at0: None,
            at1: None,
        }
    }

    /// `yes` where `h(t) ≥ 0`, `no` elsewhere, on (0, 1).
    pub(super) fn split_by(h: Aff, yes: Piece, no: Piece) -> Track {
        let pick = |ok: bool| if ok { yes } else { no };
        if (h.a0 >= 0.0) == (h.a1 >= 0.0) {
            return Track::flat(pick(h.at(0.5) >= 0.0));
        }
        let tb = h.a0 / (h.a0 - h.a1);
        if !(tb > 0.0 && tb < 1.0) {
            return Track::flat(pick(h.at(0.5) >= 0.0));
        }
        Track {
            split: Some(tb),
            lo: pick(h.a0 >= 0.0),
            hi: pick(h.a1 >= 0.0),
            at0: None,
            at1: None,
        }
    }

    /// Total at an interior share (not exactly at the split).
    pub(super) fn at(&self, t: f64) -> Option<f64> {
        match self.split {
            Some(s) if t >= s => self.hi.at(t),
            _ => self.lo.at(t),
        }
    }
}

/// Roots strictly inside (lo, hi) of the quadratic with Bernstein coefficients
/// `b0 (1 − t)² + 2 b1 t (1 − t) + b2 t²` (its values at 0 and 1 are `b0` and `b2`).
pub(super) fn bernstein_roots(b0: f64, b1: f64, b2: f64, lo: f64, hi: f64, out: &mut Vec<f64>) {
    let scale = b0.abs().max(b1.abs()).max(b2.abs());
    if scale == 0.0 || !scale.is_finite() {
        return; // identical totals, or nonsense: no crossing
    }
    let (b0, b1, b2) = (b0 / scale, b1 / scale, b2 / scale);
    let mut push = |x: f64| {
        if x > lo && x < hi {
            out.push(x);
        }
    };
    // Equal at an end: factor it out, the other root solves a linear equation.
    if b2 == 0.0 {
        // (1 − t)·(b0 (1 − t) + 2 b1 t)
        if b0 != 2.0 * b1 {
            push(b0 / (b0 - 2.0 * b1));
        }
        return;
    }
    if b0 == 0.0 {
        // t·(2 b1 (1 − t) + b2 t)
        if b2 != 2.0 * b1 {
            push(2.0 * b1 / (2.0 * b1 - b2));
        }
        return;
    }
    quadratic_roots(b0 - 2.0 * b1 + b2, 2.0 * (b1 - b0), b0, lo, hi, out);
}

/// Roots of `c2 t² + c1 t + c0` strictly inside (lo, hi).
pub(super) fn quadratic_roots(c2: f64, c1: f64, c0: f64, lo: f64, hi: f64, out: &mut Vec<f64>) {
    let scale = c2.abs().max(c1.abs()).max(c0.abs());
    if scale == 0.0 || !scale.is_finite() {
        return;
    }
    let (a, b, c) = (c2 / scale, c1 / scale, c0 / scale);
    let mut push = |x: f64| {
        if x > lo && x < hi {
            out.push(x);
        }
    };
    if a.abs() < 1e-13 {
        if b.abs() > 1e-13 {
            push(-c / b);
        }
        return;
    }
    let mut disc = b * b - 4.0 * a * c;
    if disc < 0.0 {
        if disc > -1e-13 * (b * b + (4.0 * a * c).abs()) {
            disc = 0.0;
        } else {
            return;
        }
    }
    let q = -0.5 * (b + b.signum() * disc.sqrt());
    if q == 0.0 {
        push(0.0);
        return;
    }
    let r1 = q / a;
    let r2 = c / q;
    push(r1);
    if r2 != r1 {
        push(r2);
    }
}

/// Shares where two tracks have equal totals, inside (0, 1).
pub(super) fn crossings(a: &Track, b: &Track, out: &mut Vec<f64>) {
    let mut bounds = [0.0, 1.0, 1.0, 1.0];
    let mut nb = 1;
    for s in [a.split, b.split].into_iter().flatten() {
        bounds[nb] = s;
        nb += 1;
    }
    bounds[nb] = 1.0;
    let bounds = &mut bounds[..=nb];
    bounds.sort_by(f64::total_cmp);
    for w in bounds.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        if hi <= lo {
            continue;
        }
        let mid = 0.5 * (lo + hi);
        let pa = match a.split {
            Some(s) if mid >= s => a.hi,
            _ => a.lo,
        };
        let pb = match b.split {
            Some(s) if mid >= s => b.hi,
            _ => b.lo,
        };
        if let (Piece::Ratio { n: na, d: da }, Piece::Ratio { n: nbb, d: db }) = (pa, pb) {
            // n_a d_b − n_b d_a in Bernstein form.
            let b0 = na.a0 * db.a0 - nbb.a0 * da.a0;
            let b2 = na.a1 * db.a1 - nbb.a1 * da.a1;
            let b1 = 0.5 * ((na.a0 * db.a1 + na.a1 * db.a0) - (nbb.a0 * da.a1 + nbb.a1 * da.a0));
            bernstein_roots(b0, b1, b2, lo, hi, out);
        }
    }
}

/// Competition ranks (as `stats::competition_ranks`) in O(n log n).
pub(super) fn fast_ranks(totals: &[Option<f64>], sorted: &mut Vec<f64>) -> Vec<Option<usize>> {
    sorted.clear();
    sorted.extend(totals.iter().flatten().copied());
    sorted.sort_by(|a, b| b.total_cmp(a));
    totals
        .iter()
        .map(|t| t.map(|x| 1 + sorted.partition_point(|&y| y > x + TIE_EPS)))
        .collect()
}
