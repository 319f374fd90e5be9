//! Pairwise (AHP) weighting: weights from Saaty's reciprocal matrix of pairwise
//! judgements, with the consistency ratio. Pure; the method is documented in
//! docs/analysis.md ("Pairwise (AHP) weighting").
//!
//! - A judgement `a_ij` says how many times more important item `i` is than item `j`,
//!   on Saaty's 1–9 scale (1/9 … 1/2 for the reverse); `a_ji = 1/a_ij`, `a_ii = 1`.
//! - The weights are the principal (Perron) eigenvector of the matrix, normalised to
//!   sum 1, found by power iteration from equal weights until no weight moves by more
//!   than [`TOLERANCE`] (at most [`MAX_ITERATIONS`] steps).
//! - λmax is the principal eigenvalue (`Σ_i (A w)_i` for `Σ w = 1`); the consistency
//!   index is `CI = (λmax − n)/(n − 1)` and the consistency ratio `CR = CI / RI(n)` with
//!   Saaty's random index [`RANDOM_INDEX`] (Saaty 1980). A CR up to 0.10 is acceptable.
//!   With one or two items every matrix is consistent: CI = CR = 0.
//! - The most inconsistent judgement is the one whose `a_ij` is furthest, as a ratio,
//!   from `w_i / w_j`; the suggested value is the Saaty-scale value nearest to
//!   `w_i / w_j` (in ratio).

/// At most this many items are compared pairwise (Saaty's scale and random index are
/// meant for small sets; use direct weights beyond).
pub const MAX_ITEMS: usize = 9;

/// Saaty's random index RI(n) for n = 1..=10: the mean CI of random reciprocal matrices
/// with entries from the 1–9 scale (Saaty, *The Analytic Hierarchy Process*, 1980).
pub const RANDOM_INDEX: [f64; 10] = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/// Largest consistency ratio Saaty calls acceptable.
pub const ACCEPTABLE_CR: f64 = 0.10;

/// Power iteration stops when no weight moves by more than this.
pub const TOLERANCE: f64 = 1e-12;

/// Power iteration gives up after this many steps (reported as not converged).
pub const MAX_ITERATIONS: usize = 10_000;

/// The values of Saaty's scale, as judgements: 1/9 … 1/2, 1, 2 … 9.
pub const SAATY_VALUES: [f64; 17] = [
    1.0 / 9.0,
    1.0 / 8.0,
    1.0 / 7.0,
    1.0 / 6.0,
    1.0 / 5.0,
    1.0 / 4.0,
    1.0 / 3.0,
    1.0 / 2.0,
    1.0,
    2.0,
    3.0,
    4.0,
    5.0,
    6.0,
    7.0,
    8.0,
    9.0,
];

/// The verbal meaning of an intensity on Saaty's fundamental scale (Saaty 2008,
/// "Decision making with the analytic hierarchy process", Table 1); `None` outside 1–9.
pub fn verbal_label(intensity: u8) -> Option<&'static str> {
    Some(match intensity {
        1 => "equal importance",
        2 => "weak or slight",
        3 => "moderate importance",
        4 => "moderate plus",
        5 => "strong importance",
        6 => "strong plus",
        7 => "very strong (demonstrated) importance",
        8 => "very, very strong",
        9 => "extreme importance",
        _ => return None,
    })
}

/// Describes a judgement value: "5 — strong importance" or "1/5 — strong importance of
/// the other"; `None` when it is not a value of the scale.
pub fn describe(value: f64) -> Option<String> {
    let near = |x: f64| (x - x.round()).abs() < 1e-9;
    if value >= 1.0 && near(value) {
        let v = value.round() as u8;
        verbal_label(v).map(|l| format!("{v} — {l}"))
    } else if value > 0.0 && value < 1.0 && near(1.0 / value) {
        let v = (1.0 / value).round() as u8;
        verbal_label(v).map(|l| format!("1/{v} — {l} of the other"))
    } else {
        None
    }
}

/// The Saaty-scale value nearest to `ratio` (by ratio, i.e. in log scale).
pub fn nearest_scale_value(ratio: f64) -> f64 {
    let l = ratio.ln();
    SAATY_VALUES
        .iter()
        .copied()
        .min_by(|a, b| (a.ln() - l).abs().total_cmp(&(b.ln() - l).abs()))
        .expect("the scale has values")
}

/// Reads a judgement as an analyst types it: a whole or decimal number ("3", "2.5",
/// "0.4") or a reciprocal ("1/3", "1/3.5"). Accepted: every value from 1/9 to 9, on
/// Saaty's points or between them; refused: anything outside (docs/analysis.md,
/// "Which judgements are accepted").
pub fn parse_judgement(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let number = |s: &str| -> Result<f64, String> {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0)
            .ok_or_else(|| format!("“{t}” is not a positive number or a fraction such as 1/3.5"))
    };
    let value = match t.split_once('/') {
        Some((a, b)) => number(a)? / number(b)?,
        None => number(t)?,
    };
    if !(1.0 / 9.0 - 1e-9..=9.0 + 1e-9).contains(&value) {
        return Err(format!(
            "“{t}” is outside Saaty's range: a judgement is from 1/9 to 9 (the random \
             index that the consistency ratio divides by was computed on that range)"
        ));
    }
    Ok(value.clamp(1.0 / 9.0, 9.0))
}

/// A judgement as it is shown and typed back: "3", "2.5", "1/3", "1/3.5" (at most
/// two decimals, by the product's one rounding rule).
pub fn judgement_text(value: f64) -> String {
    if value >= 1.0 - 1e-9 {
        crate::wording::trimmed(value, 2)
    } else {
        format!("1/{}", crate::wording::trimmed(1.0 / value, 2))
    }
}

/// One judgement: item `i` is `value` times as important as item `j`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Judgement {
    pub i: usize,
    pub j: usize,
    pub value: f64,
}

/// Why a matrix cannot be built.
#[derive(Clone, Debug, PartialEq)]
pub enum AhpError {
    /// No item to weigh.
    Empty,
    /// More than `MAX_ITEMS` items.
    TooMany(usize),
    /// A pair is not judged.
    Missing { i: usize, j: usize },
    /// A pair is judged twice.
    Duplicate { i: usize, j: usize },
    /// A judgement names an item that does not exist, or compares an item with itself.
    BadPair { i: usize, j: usize },
    /// A value outside 1/9 … 9 (or not a number).
    OutOfRange { i: usize, j: usize, value: f64 },
    /// The upper triangle has the wrong number of values.
    WrongCount { expected: usize, got: usize },
}

impl std::fmt::Display for AhpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AhpError::Empty => write!(f, "pairwise weighting needs at least one item"),
            AhpError::TooMany(n) => write!(
                f,
                "pairwise weighting takes at most {MAX_ITEMS} items, not {n}: use direct \
                 weights for more than {MAX_ITEMS} criteria"
            ),
            AhpError::Missing { i, j } => write!(f, "items {i} and {j} are not compared"),
            AhpError::Duplicate { i, j } => write!(f, "items {i} and {j} are compared twice"),
            AhpError::BadPair { i, j } => write!(f, "({i}, {j}) is not a pair of distinct items"),
            AhpError::OutOfRange { i, j, value } => write!(
                f,
                "the judgement of {i} against {j} is {value}; it must be between 1/9 and 9"
            ),
            AhpError::WrongCount { expected, got } => write!(
                f,
                "expected {expected} judgements (the upper triangle), got {got}"
            ),
        }
    }
}

impl std::error::Error for AhpError {}

/// A positive reciprocal matrix of pairwise judgements.
#[derive(Clone, Debug, PartialEq)]
pub struct PairwiseMatrix {
    n: usize,
    /// Row-major n × n.
    a: Vec<f64>,
}

fn check_n(n: usize) -> Result<(), AhpError> {
    match n {
        0 => Err(AhpError::Empty),
        n if n > MAX_ITEMS => Err(AhpError::TooMany(n)),
        _ => Ok(()),
    }
}

fn check_value(i: usize, j: usize, value: f64) -> Result<(), AhpError> {
    // 1/9 may be written as 0.111 (the same bound as the file's rule).
    if crate::model::rules::check_judgement(value).is_ok() {
        Ok(())
    } else {
        Err(AhpError::OutOfRange { i, j, value })
    }
}

impl PairwiseMatrix {
    /// From the upper triangle in row order: a₀₁, a₀₂, …, a₀ₙ₋₁, a₁₂, …
    pub fn from_upper(n: usize, upper: &[f64]) -> Result<PairwiseMatrix, AhpError> {
        check_n(n)?;
        let expected = n * (n - 1) / 2;
        if upper.len() != expected {
            return Err(AhpError::WrongCount {
                expected,
                got: upper.len(),
            });
        }
        let mut a = vec![1.0; n * n];
        let mut k = 0;
        for i in 0..n {
            for j in i + 1..n {
                let v = upper[k];
                check_value(i, j, v)?;
                a[i * n + j] = v;
                a[j * n + i] = 1.0 / v;
                k += 1;
            }
        }
        Ok(PairwiseMatrix { n, a })
    }

    /// From judgements, one per pair, in either direction (`(j, i, v)` sets
    /// `a_ij = 1/v`).
    pub fn from_judgements(n: usize, judgements: &[Judgement]) -> Result<PairwiseMatrix, AhpError> {
        check_n(n)?;
        let mut a = vec![f64::NAN; n * n];
        for i in 0..n {
            a[i * n + i] = 1.0;
        }
        for &Judgement { i, j, value } in judgements {
            if i >= n || j >= n || i == j {
                return Err(AhpError::BadPair { i, j });
            }
            check_value(i, j, value)?;
            if !a[i * n + j].is_nan() {
                return Err(AhpError::Duplicate {
                    i: i.min(j),
                    j: i.max(j),
                });
            }
            a[i * n + j] = value;
            a[j * n + i] = 1.0 / value;
        }
        for i in 0..n {
            for j in i + 1..n {
                if a[i * n + j].is_nan() {
                    return Err(AhpError::Missing { i, j });
                }
            }
        }
        Ok(PairwiseMatrix { n, a })
    }

    pub fn n(&self) -> usize {
        self.n
    }

    /// The judgement a_ij.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.a[i * self.n + j]
    }

    fn mul(&self, w: &[f64], out: &mut [f64]) {
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.a[i * self.n..(i + 1) * self.n]
                .iter()
                .zip(w)
                .map(|(a, w)| a * w)
                .sum();
        }
    }
}

/// The judgement that deviates most from the weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Inconsistency {
    /// The pair (i < j) and its judgement a_ij.
    pub i: usize,
    pub j: usize,
    pub value: f64,
    /// What the weights imply: w_i / w_j.
    pub implied: f64,
    /// The Saaty-scale value nearest to `implied`.
    pub suggested: f64,
    /// How far the judgement is from `implied`, as a factor ≥ 1.
    pub factor: f64,
}

/// Weights and consistency of a pairwise matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Ahp {
    /// Principal eigenvector, summing to 1.
    pub weights: Vec<f64>,
    pub lambda_max: f64,
    /// Consistency index (λmax − n)/(n − 1); 0 for n ≤ 2.
    pub ci: f64,
    /// Saaty's random index for n.
    pub ri: f64,
    /// Consistency ratio CI/RI; 0 for n ≤ 2.
    pub cr: f64,
    pub iterations: usize,
    pub converged: bool,
    /// The most inconsistent judgement (None for n ≤ 2, or when every judgement agrees
    /// with the weights).
    pub most_inconsistent: Option<Inconsistency>,
}

impl Ahp {
    /// CR ≤ 0.10 (Saaty's rule of thumb).
    pub fn acceptable(&self) -> bool {
        self.cr <= ACCEPTABLE_CR + 1e-12
    }
}

/// Weights and consistency by the principal eigenvector (power iteration).
pub fn weigh(m: &PairwiseMatrix) -> Ahp {
    let n = m.n;
    let mut w = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    let mut iterations = 0;
    let mut converged = false;
    while iterations < MAX_ITERATIONS {
        iterations += 1;
        m.mul(&w, &mut next);
        let sum: f64 = next.iter().sum();
        next.iter_mut().for_each(|x| *x /= sum);
        let moved = w
            .iter()
            .zip(&next)
            .fold(0.0f64, |d, (a, b)| d.max((a - b).abs()));
        std::mem::swap(&mut w, &mut next);
        if moved <= TOLERANCE {
            converged = true;
            break;
        }
    }
    m.mul(&w, &mut next);
    let lambda_max: f64 = next.iter().sum();
    let ri = RANDOM_INDEX[n - 1];
    let (ci, cr) = if n <= 2 {
        (0.0, 0.0)
    } else {
        let ci = ((lambda_max - n as f64) / (n as f64 - 1.0)).max(0.0);
        (ci, ci / ri)
    };
    let mut most: Option<Inconsistency> = None;
    for i in 0..n {
        for j in i + 1..n {
            let value = m.get(i, j);
            let implied = w[i] / w[j];
            let factor = (value / implied).max(implied / value);
            if factor > 1.0 + 1e-9 && most.is_none_or(|x| factor > x.factor) {
                most = Some(Inconsistency {
                    i,
                    j,
                    value,
                    implied,
                    suggested: nearest_scale_value(implied),
                    factor,
                });
            }
        }
    }
    Ahp {
        weights: w,
        lambda_max,
        ci,
        ri,
        cr,
        iterations,
        converged,
        most_inconsistent: if n <= 2 { None } else { most },
    }
}
