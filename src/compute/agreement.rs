//! Agreement between analysts: the spread of each cell (median, interquartile range,
//! range, share within ±1 point of the median) and, per criterion and overall,
//! Krippendorff's alpha (nominal, ordinal, interval) and Kendall's W.
//!
//! Pure and deterministic. Works on any score map: the current `Project::scores` or a
//! closed round's `Round::scores`. "Not assessed" and "not applicable" are missing
//! values, never numbers. The rules and their reading are in docs/workshop.md.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::*;

/// Scores keyed by (analyst, mechanism, criterion), as in `Project::scores`.
pub type ScoreMap = BTreeMap<ScoreKey, Score>;

/// Below this, alpha is "not reliable"; from here to `ALPHA_RELIABLE`, "tentative".
pub const ALPHA_TENTATIVE: f64 = 0.667;
/// From this alpha on, agreement is "reliable" (Krippendorff's usual standard).
pub const ALPHA_RELIABLE: f64 = 0.8;

// ───────────────────────────── per cell ─────────────────────────────

/// The spread of the numbers the analysts gave one cell.
#[derive(Clone, Debug, PartialEq)]
pub struct CellStats {
    /// How many numbers (analysts who gave a value).
    pub n: usize,
    /// The values, sorted ascending (anonymous: no analyst attached).
    pub values: Vec<f64>,
    /// Median (mean of the two middle values for an even count).
    pub median: f64,
    /// First and third quartiles, by linear interpolation between order statistics
    /// (Hyndman & Fan type 7, the default of R and of spreadsheet `QUARTILE.INC`).
    pub q1: f64,
    pub q3: f64,
    /// `q3 - q1`.
    pub iqr: f64,
    pub min: f64,
    pub max: f64,
    /// `max - min`.
    pub range: f64,
    /// Share (0–1) of the values within ±1 scale point of the median, ends included.
    pub within_one: f64,
}

impl CellStats {
    /// A cell worth discussing: the middle half of the analysts is 2 or more points
    /// apart, or fewer than 75 % are within ±1 point of the median (points of a 0–4
    /// anchored scale; the 75 % is the usual Delphi agreement threshold).
    pub fn needs_discussion(&self) -> bool {
        self.n >= 2 && (self.iqr >= 2.0 - 1e-9 || self.within_one < 0.75 - 1e-9)
    }
}

/// The quantile `p` (0–1) of sorted values, by linear interpolation (type 7).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The spread of some numbers; None when there is none. Non-finite values are ignored.
pub fn cell_stats(values: &[f64]) -> Option<CellStats> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = super::stats::median(&v)?;
    let q1 = quantile_sorted(&v, 0.25)?;
    let q3 = quantile_sorted(&v, 0.75)?;
    let (min, max) = (v[0], v[n - 1]);
    let within = v
        .iter()
        .filter(|x| (**x - median).abs() <= 1.0 + 1e-9)
        .count();
    Some(CellStats {
        n,
        median,
        q1,
        q3,
        iqr: q3 - q1,
        min,
        max,
        range: max - min,
        within_one: within as f64 / n as f64,
        values: v,
    })
}

/// One cell of the disagreement view.
#[derive(Clone, Debug, PartialEq)]
pub struct CellSpread {
    pub mechanism: String,
    pub criterion: String,
    /// None when no analyst gave a number.
    pub stats: Option<CellStats>,
    /// Analysts of the project who marked the cell not applicable.
    pub not_applicable: usize,
    /// Analysts of the project who gave no number and did not say "not applicable"
    /// (no score, or "not assessed").
    pub not_assessed: usize,
}

/// The numbers each analyst of the project gave one cell, in analyst order
/// (None = no number).
fn cell_column<'a>(
    project: &'a Project,
    scores: &'a ScoreMap,
    mechanism: &str,
    criterion: &str,
) -> impl Iterator<Item = Option<&'a Score>> + 'a {
    let (m, c) = (mechanism.to_string(), criterion.to_string());
    project
        .analysts
        .iter()
        .map(move |a| scores.get(&ScoreKey::new(&a.id, &m, &c)))
}

/// The spread of every cell (mechanisms × criteria, in project order) in `scores`,
/// counting the project's analysts.
pub fn cell_spreads(project: &Project, scores: &ScoreMap) -> Vec<CellSpread> {
    let mut out = Vec::new();
    for m in &project.mechanisms {
        for (_, c) in project.framework.criteria() {
            let mut numbers = Vec::new();
            let (mut na, mut missing) = (0, 0);
            for s in cell_column(project, scores, &m.id, &c.id) {
                match s.map(|s| s.value) {
                    Some(ScoreValue::Value(v)) => numbers.push(v),
                    Some(ScoreValue::NotApplicable) => na += 1,
                    _ => missing += 1,
                }
            }
            out.push(CellSpread {
                mechanism: m.id.clone(),
                criterion: c.id.clone(),
                stats: cell_stats(&numbers),
                not_applicable: na,
                not_assessed: missing,
            });
        }
    }
    out
}

/// The scores of a round: `None` = the current round (`project.scores`), or the id of
/// a closed round. None when there is no such round.
pub fn round_scores<'a>(project: &'a Project, round: Option<&str>) -> Option<&'a ScoreMap> {
    match round {
        None => Some(&project.scores),
        Some(id) => project
            .workshop
            .rounds
            .iter()
            .find(|r| r.id == id)
            .map(|r| &r.scores),
    }
}

// ───────────────────────────── coefficients ─────────────────────────────

/// Why a coefficient could not be computed. Never shown as NaN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotComputable {
    /// Fewer than 2 pairable values: values in units (mechanisms) that at least two
    /// analysts scored.
    TooFewPairable { pairable: usize },
    /// Every pairable value is the same: agreement is perfect but chance agreement is
    /// too, and alpha is 0/0.
    NoVariation,
    /// Kendall's W needs at least 2 analysts who scored the criterion.
    TooFewRaters { raters: usize },
    /// Kendall's W needs at least 2 mechanisms that every such analyst scored.
    TooFewObjects { objects: usize, raters: usize },
    /// Every analyst gave every mechanism the same value: there is no ranking.
    AllTied,
}

impl fmt::Display for NotComputable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotComputable::TooFewPairable { pairable } => write!(
                f,
                "not computable: {pairable} pairable value(s) (scores of mechanisms that two or more analysts scored); at least 2 are needed"
            ),
            NotComputable::NoVariation => write!(
                f,
                "not computable: no variation (every analyst gave every mechanism the same value)"
            ),
            NotComputable::TooFewRaters { raters } => write!(
                f,
                "not computable: {raters} analyst(s) scored this; at least 2 are needed"
            ),
            NotComputable::TooFewObjects { objects, raters } => write!(
                f,
                "not computable: only {objects} mechanism(s) were scored by all {raters} analysts; at least 2 are needed"
            ),
            NotComputable::AllTied => write!(
                f,
                "not computable: no variation (each analyst gave every mechanism the same value)"
            ),
        }
    }
}

/// How to read an alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// α ≥ 0.8.
    Reliable,
    /// 0.667 ≤ α < 0.8: good enough for tentative conclusions only.
    Tentative,
    /// α < 0.667.
    NotReliable,
}

impl Reading {
    pub fn of(alpha: f64) -> Reading {
        if alpha >= ALPHA_RELIABLE {
            Reading::Reliable
        } else if alpha >= ALPHA_TENTATIVE {
            Reading::Tentative
        } else {
            Reading::NotReliable
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Reading::Reliable => "reliable",
            Reading::Tentative => "tentative",
            Reading::NotReliable => "not reliable",
        }
    }
}

/// The level of measurement, which decides how far apart two values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Different values disagree fully, whatever they are.
    Nominal,
    /// Distance by how many values lie between them (ranks), not by their size.
    Ordinal,
    /// Squared numeric difference.
    Interval,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Nominal => "nominal",
            Metric::Ordinal => "ordinal",
            Metric::Interval => "interval",
        }
    }
}

/// Krippendorff's alpha with what it rests on.
#[derive(Clone, Debug, PartialEq)]
pub struct Alpha {
    pub metric: Metric,
    pub value: Result<f64, NotComputable>,
    /// Units (mechanisms, or cells for the overall figure) with at least 2 values.
    pub units: usize,
    /// Values in those units (Krippendorff's n).
    pub pairable: usize,
    /// Coders (analysts) who gave at least one value.
    pub coders: usize,
}

impl Alpha {
    pub fn reading(&self) -> Option<Reading> {
        self.value.as_ref().ok().map(|a| Reading::of(*a))
    }
}

/// Krippendorff's alpha for reliability data `units[u][coder]` (None = missing),
/// following the coincidence-matrix computation of Krippendorff, "Computing
/// Krippendorff's Alpha-Reliability" (2011): units with fewer than 2 values are left
/// out; each pair of values of a unit with m values adds 1/(m−1) to the coincidence
/// matrix; α = 1 − D_o/D_e = 1 − (n−1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
/// Non-finite values count as missing.
pub fn krippendorff_alpha(units: &[Vec<Option<f64>>], metric: Metric) -> Alpha {
    let clean = |x: &Option<f64>| x.filter(|v| v.is_finite());
    let coders = {
        let width = units.iter().map(Vec::len).max().unwrap_or(0);
        (0..width)
            .filter(|&j| units.iter().any(|u| u.get(j).and_then(clean).is_some()))
            .count()
    };
    let pairable_units: Vec<Vec<f64>> = units
        .iter()
        .map(|u| u.iter().filter_map(clean).collect::<Vec<f64>>())
        .filter(|u| u.len() >= 2)
        .collect();
    let mut distinct: Vec<f64> = pairable_units.iter().flatten().copied().collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let pairable: usize = pairable_units.iter().map(Vec::len).sum();
    let mut out = Alpha {
        metric,
        value: Err(NotComputable::TooFewPairable { pairable }),
        units: pairable_units.len(),
        pairable,
        coders,
    };
    if pairable < 2 {
        return out;
    }
    let v = distinct.len();
    let index = |x: f64| {
        distinct
            .binary_search_by(|p| p.total_cmp(&x))
            .expect("every value is in the list")
    };
    // Coincidence matrix.
    let mut o = vec![0.0_f64; v * v];
    for unit in &pairable_units {
        let idx: Vec<usize> = unit.iter().map(|&x| index(x)).collect();
        for (c, k, w) in unit_coincidences(&idx, v) {
            o[c * v + k] += w;
        }
    }
    out.value = alpha_from_coincidences(&o, &distinct, metric);
    out
}

/// What one unit adds to the coincidence matrix, its values given as indices into the
/// list of distinct values (`v` of them): each ordered pair of its `m` values adds
/// 1/(m − 1) to cell (c, k). Entries (c, k, weight).
pub(crate) fn unit_coincidences(idx: &[usize], v: usize) -> Vec<(usize, usize, f64)> {
    let m = idx.len() as f64;
    let mut counts = vec![0.0_f64; v];
    for &i in idx {
        counts[i] += 1.0;
    }
    let mut out = Vec::new();
    let present: Vec<usize> = (0..v).filter(|&c| counts[c] > 0.0).collect();
    for &c in &present {
        for &k in &present {
            let pairs = counts[c] * (counts[k] - if c == k { 1.0 } else { 0.0 });
            if pairs > 0.0 {
                out.push((c, k, pairs / (m - 1.0)));
            }
        }
    }
    out
}

/// Alpha from a coincidence matrix `o` (row-major, `distinct.len()` squared) over
/// the sorted distinct values: α = 1 − (n−1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, with the
/// metric's squared difference δ²_ck (the ordinal one from the margins n_c).
pub(crate) fn alpha_from_coincidences(
    o: &[f64],
    distinct: &[f64],
    metric: Metric,
) -> Result<f64, NotComputable> {
    let v = distinct.len();
    let n_c: Vec<f64> = (0..v).map(|c| o[c * v..(c + 1) * v].iter().sum()).collect();
    let n: f64 = n_c.iter().sum();
    // Prefix sums of the margins, for the ordinal distance.
    let mut prefix = vec![0.0_f64; v + 1];
    for c in 0..v {
        prefix[c + 1] = prefix[c] + n_c[c];
    }
    let delta2 = |c: usize, k: usize| -> f64 {
        if c == k {
            return 0.0;
        }
        match metric {
            Metric::Nominal => 1.0,
            Metric::Interval => (distinct[c] - distinct[k]).powi(2),
            Metric::Ordinal => {
                let (lo, hi) = if c < k { (c, k) } else { (k, c) };
                let between = prefix[hi + 1] - prefix[lo];
                (between - (n_c[lo] + n_c[hi]) / 2.0).powi(2)
            }
        }
    };
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..v {
        if n_c[c] == 0.0 {
            continue;
        }
        for k in 0..v {
            if n_c[k] == 0.0 {
                continue;
            }
            let d = delta2(c, k);
            if d != 0.0 {
                observed += o[c * v + k] * d;
                expected += n_c[c] * n_c[k] * d;
            }
        }
    }
    if expected <= 0.0 {
        return Err(NotComputable::NoVariation);
    }
    Ok(1.0 - (n - 1.0) * observed / expected)
}

/// Kendall's coefficient of concordance with its chi-square test.
#[derive(Clone, Debug, PartialEq)]
pub struct KendallW {
    pub value: Result<KendallFit, NotComputable>,
    /// Raters (analysts) who gave at least one value and are counted.
    pub raters: usize,
    /// Objects (mechanisms) every counted rater scored: the complete cases used.
    pub objects: usize,
    /// Objects left out because some counted rater gave them no value.
    pub dropped_objects: usize,
}

/// The numbers of a computable W.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KendallFit {
    /// W corrected for ties, 0 (no concordance) to 1 (same ranking by everyone).
    pub w: f64,
    /// Friedman's chi-square, m·(n−1)·W.
    pub chi_square: f64,
    /// n − 1.
    pub df: usize,
    /// Upper tail of the chi-square distribution (large-sample approximation).
    pub p_value: f64,
}

/// Ranks of the values, 1 = smallest, ties sharing the mean of their ranks; and the
/// tie term Σ(t³ − t) over groups of t tied values.
fn average_ranks(values: &[f64]) -> (Vec<f64>, f64) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut ties = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let t = (j - i + 1) as f64;
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            ranks[o] = rank;
        }
        if t > 1.0 {
            ties += t * t * t - t;
        }
        i = j + 1;
    }
    (ranks, ties)
}

/// Kendall's W for `objects[i][rater]` (None = missing), corrected for ties:
/// W = 12·S / (m²(n³−n) − m·Σ_j T_j), T_j = Σ(t³−t) over rater j's groups of ties.
/// Raters with no value at all are left out; objects missing a value from any other
/// rater are left out (complete cases, listwise, as R's `irr::kendall` does).
pub fn kendall_w(objects: &[Vec<Option<f64>>]) -> KendallW {
    let clean = |x: Option<&Option<f64>>| x.copied().flatten().filter(|v| v.is_finite());
    let width = objects.iter().map(Vec::len).max().unwrap_or(0);
    let raters: Vec<usize> = (0..width)
        .filter(|&j| objects.iter().any(|o| clean(o.get(j)).is_some()))
        .collect();
    let m = raters.len();
    let complete: Vec<Vec<f64>> = objects
        .iter()
        .filter(|_| m > 0)
        .filter_map(|o| {
            raters
                .iter()
                .map(|&j| clean(o.get(j)))
                .collect::<Option<Vec<f64>>>()
        })
        .collect();
    let n = complete.len();
    let scored = objects
        .iter()
        .filter(|o| raters.iter().any(|&j| clean(o.get(j)).is_some()))
        .count();
    let mut out = KendallW {
        value: Err(NotComputable::TooFewRaters { raters: m }),
        raters: m,
        objects: n,
        dropped_objects: scored.saturating_sub(n),
    };
    if m < 2 {
        return out;
    }
    if n < 2 {
        out.value = Err(NotComputable::TooFewObjects {
            objects: n,
            raters: m,
        });
        return out;
    }
    let mut rank_sums = vec![0.0; n];
    let mut ties = 0.0;
    for r in 0..m {
        let column: Vec<f64> = complete.iter().map(|row| row[r]).collect();
        let (ranks, t) = average_ranks(&column);
        for (sum, rank) in rank_sums.iter_mut().zip(ranks) {
            *sum += rank;
        }
        ties += t;
    }
    let (mf, nf) = (m as f64, n as f64);
    let mean = rank_sums.iter().sum::<f64>() / nf;
    let s: f64 = rank_sums.iter().map(|r| (r - mean).powi(2)).sum();
    let denominator = mf * mf * (nf * nf * nf - nf) - mf * ties;
    if denominator <= 1e-12 {
        out.value = Err(NotComputable::AllTied);
        return out;
    }
    let w = (12.0 * s / denominator).clamp(0.0, 1.0);
    let chi_square = mf * (nf - 1.0) * w;
    out.value = Ok(KendallFit {
        w,
        chi_square,
        df: n - 1,
        p_value: chi_square_upper_tail(chi_square, (n - 1) as f64),
    });
    out
}

/// P(X ≥ x) for a chi-square variable with `df` degrees of freedom.
pub fn chi_square_upper_tail(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    gamma_q(df / 2.0, x / 2.0)
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error about 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularised upper incomplete gamma function Q(a, x), by series for x < a + 1
/// and by continued fraction otherwise (Numerical Recipes, §6.2).
fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let gln = ln_gamma(a);
    if x < a + 1.0 {
        let (mut ap, mut sum) = (a, 1.0 / a);
        let mut del = sum;
        for _ in 0..10_000 {
            ap += 1.0;
            del *= x / ap;
            sum += del;
            if del.abs() < sum.abs() * 1e-15 {
                break;
            }
        }
        (1.0 - sum * (-x + a * x.ln() - gln).exp()).clamp(0.0, 1.0)
    } else {
        const TINY: f64 = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / TINY;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < TINY {
                d = TINY;
            }
            c = b + an / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-15 {
                break;
            }
        }
        ((-x + a * x.ln() - gln).exp() * h).clamp(0.0, 1.0)
    }
}

// ───────────────────────────── per project ─────────────────────────────

/// The agreement on one criterion: units = mechanisms, coders = analysts.
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionAgreement {
    pub criterion: String,
    pub name: String,
    pub alpha_nominal: Alpha,
    pub alpha_ordinal: Alpha,
    pub alpha_interval: Alpha,
    pub kendall_w: KendallW,
}

/// The agreement over the whole matrix: units (and, for W, objects) are the
/// mechanism × criterion cells, each value placed on its criterion's scale
/// (`(value − min) / (max − min)`), so criteria with different scales can be pooled.
/// With one common scale this is the same as pooling the raw values.
#[derive(Clone, Debug, PartialEq)]
pub struct OverallAgreement {
    pub alpha_nominal: Alpha,
    pub alpha_ordinal: Alpha,
    pub alpha_interval: Alpha,
    pub kendall_w: KendallW,
}

/// Agreement between the project's analysts for one score map.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    /// The project's analysts (coders), in project order.
    pub analysts: Vec<String>,
    /// In framework order.
    pub criteria: Vec<CriterionAgreement>,
    pub overall: OverallAgreement,
}

impl Agreement {
    pub fn criterion(&self, id: &str) -> Option<&CriterionAgreement> {
        self.criteria.iter().find(|c| c.criterion == id)
    }
}

/// The reliability data of one criterion: `[mechanism][analyst]`.
pub fn criterion_data(
    project: &Project,
    scores: &ScoreMap,
    criterion: &str,
) -> Vec<Vec<Option<f64>>> {
    project
        .mechanisms
        .iter()
        .map(|m| {
            cell_column(project, scores, &m.id, criterion)
                .map(|s| s.and_then(|s| s.value.number()))
                .collect()
        })
        .collect()
}

/// The reliability data of the whole matrix: one unit per mechanism × criterion cell
/// (criteria in framework order, mechanisms within), each value placed on its
/// criterion's scale.
pub fn pooled_data(project: &Project, scores: &ScoreMap) -> Vec<Vec<Option<f64>>> {
    let mut pooled: Vec<Vec<Option<f64>>> = Vec::new();
    for (_, c) in project.framework.criteria() {
        let data = criterion_data(project, scores, &c.id);
        pooled.extend(data.iter().map(|row| {
            row.iter()
                .map(|v| v.map(|x| c.scale.normalise(x)))
                .collect::<Vec<_>>()
        }));
    }
    pooled
}

/// Krippendorff's alpha (three metrics) and Kendall's W per criterion and overall.
pub fn agreement(project: &Project, scores: &ScoreMap) -> Agreement {
    let mut criteria = Vec::new();
    for (_, c) in project.framework.criteria() {
        let data = criterion_data(project, scores, &c.id);
        criteria.push(CriterionAgreement {
            criterion: c.id.clone(),
            name: c.name.clone(),
            alpha_nominal: krippendorff_alpha(&data, Metric::Nominal),
            alpha_ordinal: krippendorff_alpha(&data, Metric::Ordinal),
            alpha_interval: krippendorff_alpha(&data, Metric::Interval),
            kendall_w: kendall_w(&data),
        });
    }
    let pooled = pooled_data(project, scores);
    Agreement {
        analysts: project.analysts.iter().map(|a| a.id.clone()).collect(),
        criteria,
        overall: OverallAgreement {
            alpha_nominal: krippendorff_alpha(&pooled, Metric::Nominal),
            alpha_ordinal: krippendorff_alpha(&pooled, Metric::Ordinal),
            alpha_interval: krippendorff_alpha(&pooled, Metric::Interval),
            kendall_w: kendall_w(&pooled),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_linearly() {
        let s = cell_stats(&[4.0, 1.0, 2.0, 2.0, 3.0]).unwrap();
        assert_eq!((s.q1, s.median, s.q3, s.iqr), (2.0, 2.0, 3.0, 1.0));
        let s = cell_stats(&[0.0, 4.0]).unwrap();
        assert_eq!((s.q1, s.median, s.q3, s.range), (1.0, 2.0, 3.0, 4.0));
        assert_eq!(s.within_one, 0.0);
        assert!(cell_stats(&[]).is_none());
    }

    #[test]
    fn chi_square_tail_matches_tables() {
        // 95th percentiles: df 1 → 3.841, df 10 → 18.307, df 19 → 30.144.
        for (x, df) in [(3.841_458_8, 1.0), (18.307_038, 10.0), (30.143_527, 19.0)] {
            assert!((chi_square_upper_tail(x, df) - 0.05).abs() < 1e-6);
        }
        assert!((chi_square_upper_tail(2.0, 2.0) - (-1.0_f64).exp()).abs() < 1e-12);
    }
}
