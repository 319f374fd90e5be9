//! Cohen's kappa with quadratic weights between a student's scores and a reference's,
//! on the values themselves (the distance between two levels is their difference on
//! the scale), so levels nobody used still count in the distances.
//!
//! With quadratic weights `w = (x − y)²`, the expected disagreement of Cohen's
//! formula (`Σ w·row·column / N²`) is the mean squared difference over *every* pairing
//! of a student score with a reference score, which is `var_s + var_r + (mean_s −
//! mean_r)²` (population variances). So
//!
//! `κ_w = 1 − mean((s − r)²) / (var_s + var_r + (mean_s − mean_r)²)`.
//!
//! This is the same number as the confusion-matrix form with weights `(i − j)²` over
//! every level of the scale (e.g. scikit-learn's `cohen_kappa_score(s, r,
//! weights="quadratic", labels=range(min, max + 1))`); `scripts/kappa_check.py`
//! recomputes the test cases that way. The normalisation of the weights by
//! `(k − 1)²` cancels out, and so does any common linear change of scale.

/// Quadratic-weighted kappa of paired scores `(student, reference)`. None with fewer
/// than two pairs (one pair always gives 0 or is undefined: it says nothing about
/// agreement beyond chance), or when every score on both sides is the same value (no
/// disagreement is possible, so the statistic is not defined).
pub fn quadratic_kappa(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let mean_s = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_r = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let var_s = pairs.iter().map(|p| (p.0 - mean_s).powi(2)).sum::<f64>() / n;
    let var_r = pairs.iter().map(|p| (p.1 - mean_r).powi(2)).sum::<f64>() / n;
    let expected = var_s + var_r + (mean_s - mean_r).powi(2);
    if expected <= 1e-12 {
        return None;
    }
    let observed = pairs.iter().map(|p| (p.0 - p.1).powi(2)).sum::<f64>() / n;
    Some(1.0 - observed / expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn perfect_agreement_is_one() {
        close(
            quadratic_kappa(&[(0.0, 0.0), (2.0, 2.0), (4.0, 4.0)]).unwrap(),
            1.0,
        );
    }

    #[test]
    fn hand_computed_case() {
        // s = 1, 2, 3, 4; r = 2, 2, 3, 3.
        // mean_s = 2.5, var_s = (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25
        // mean_r = 2.5, var_r = 0.25; expected = 1.5.
        // observed = (1 + 0 + 0 + 1) / 4 = 0.5 → κ = 1 − 0.5 / 1.5 = 2/3.
        // Confusion-matrix form over levels 0–4 (scikit-learn, labels 0..4): 0.6666667.
        close(
            quadratic_kappa(&[(1.0, 2.0), (2.0, 2.0), (3.0, 3.0), (4.0, 3.0)]).unwrap(),
            2.0 / 3.0,
        );
    }

    #[test]
    fn matches_the_confusion_matrix_form() {
        // scikit-learn 1.2.1, cohen_kappa_score(s, r, weights="quadratic",
        // labels=range(0, 5)) = 0.7567567567567568 (= 28/37); scripts/kappa_check.py.
        let s = [0.0, 1.0, 2.0, 3.0, 4.0, 2.0, 3.0, 1.0, 0.0, 4.0, 2.0, 2.0];
        let r = [0.0, 2.0, 2.0, 4.0, 3.0, 2.0, 1.0, 1.0, 1.0, 4.0, 3.0, 2.0];
        let pairs: Vec<(f64, f64)> = s.iter().copied().zip(r.iter().copied()).collect();
        close(quadratic_kappa(&pairs).unwrap(), 28.0 / 37.0);
        // A 1–5 scale (labels=range(1, 6)): 0.75.
        let s = [1.0, 2.0, 3.0, 4.0, 5.0, 3.0];
        let r = [2.0, 2.0, 3.0, 5.0, 5.0, 1.0];
        let pairs: Vec<(f64, f64)> = s.iter().copied().zip(r.iter().copied()).collect();
        close(quadratic_kappa(&pairs).unwrap(), 0.75);
    }

    #[test]
    fn reversed_scores_are_negative() {
        // s = 0, 4; r = 4, 0: observed 16, expected 4 + 4 + 0 = 8 → κ = −1.
        close(quadratic_kappa(&[(0.0, 4.0), (4.0, 0.0)]).unwrap(), -1.0);
    }

    #[test]
    fn no_variation_is_not_defined() {
        assert_eq!(quadratic_kappa(&[(2.0, 2.0), (2.0, 2.0)]), None);
        assert_eq!(quadratic_kappa(&[]), None);
        assert_eq!(
            quadratic_kappa(&[(4.0, 2.0)]),
            None,
            "one pair says nothing"
        );
        // One side constant, the other not: defined.
        assert!(quadratic_kappa(&[(2.0, 1.0), (2.0, 3.0)]).is_some());
    }
}
