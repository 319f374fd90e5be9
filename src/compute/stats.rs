//! Small statistics helpers shared by the computations.

/// Median of the values (mean of the two middle values for an even count);
/// None for an empty slice. NaN values must not be passed.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Competition ranking ("1224"): items with equal keys share the best rank, the next
/// rank skips. `None` keys get no rank. Higher key = better (rank 1).
pub fn competition_ranks(keys: &[Option<f64>]) -> Vec<Option<usize>> {
    const EPS: f64 = 1e-9;
    keys.iter()
        .map(|k| {
            k.map(|x| {
                1 + keys
                    .iter()
                    .filter(|o| matches!(o, Some(y) if *y > x + EPS))
                    .count()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_odd_even_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn ranks_share_ties_and_skip() {
        let r = competition_ranks(&[Some(50.0), Some(80.0), Some(50.0), None, Some(10.0)]);
        assert_eq!(r, vec![Some(2), Some(1), Some(2), None, Some(4)]);
    }
}
