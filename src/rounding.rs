//! The one rounding rule of every number the product shows (see `wording` for how
//! numbers read): halves away from zero on the decimal value, a value within
//! [`HALF_TOLERANCE`] of a half counting as the half. A leaf module (no imports), so
//! that the model's own formatting of scores uses the same rule as the rest.

/// Tolerance of a half: a value within this of a half (on the scale of the value, as
/// the tie tolerance of totals, docs/analysis.md §4) is rounded as the half, so that
/// two totals that tie, whose floating-point sums differ only in the last bits
/// (62.49999999999999 and 62.5), read the same.
pub(crate) const HALF_TOLERANCE: f64 = 1e-9;

/// `x · scale` rounded to a whole number, halves away from zero (within
/// [`HALF_TOLERANCE`]).
pub(crate) fn round_scaled(x: f64, scale: f64) -> f64 {
    ((x + x.signum() * HALF_TOLERANCE) * scale).round()
}

/// Drops the sign of a zero ("-0.0" → "0.0").
fn no_negative_zero(s: String) -> String {
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// `x` with exactly `digits` decimals, halves away from zero: `fixed(0.125, 2)` is
/// "0.13", `fixed(-0.004, 2)` is "0.00". Negative values use the ASCII minus.
pub fn fixed(x: f64, digits: usize) -> String {
    let f = 10f64.powi(digits as i32);
    no_negative_zero(format!("{:.digits$}", round_scaled(x, f) / f))
}

/// A number with at most `digits` decimals, halves away from zero, trailing zeros
/// dropped: `trimmed(6.25, 1)` is "6.3", `trimmed(15.0, 2)` is "15".
pub fn trimmed(x: f64, digits: usize) -> String {
    let s = fixed(x, digits);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero_on_the_decimal_value() {
        // 0.125 and 2.675 are just below their halves in binary: `{:.2}` alone gives
        // "0.12" and "2.67".
        assert_eq!(fixed(0.125, 2), "0.13");
        assert_eq!(fixed(2.675, 2), "2.68");
        assert_eq!(fixed(-0.25, 1), "-0.3");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(trimmed(2.125, 2), "2.13");
        assert_eq!(trimmed(15.0, 2), "15");
        assert_eq!(trimmed(-0.004, 2), "0");
    }
}
