//! Swing weighting: weights from the analyst's ranking and rating of each item's swing
//! from its worst to its best level. Pure; the method is documented in
//! docs/analysis.md ("Swing weighting").
//!
//! - The analyst imagines every item at its worst level, asks which single swing to
//!   the best level they would want first (rank 1), then second, and so on; ties share
//!   a rank.
//! - The top-ranked swing is rated 100; every other swing is rated 0–100 for how much
//!   it is worth against it. A better rank may not carry a lower rating, and a shared
//!   rank carries one rating.
//! - The weight of an item is its rating over the sum of the ratings. Because each
//!   criterion's score counts as its position between the scale's worst and best level
//!   (0 to 1), a swing weight is exactly the value of that whole swing.

/// One item's swing: its rank (1 = wanted first) and its rating (0–100).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Swing {
    pub rank: u32,
    pub rating: f64,
}

/// Why a set of swings gives no weights.
#[derive(Clone, Debug, PartialEq)]
pub enum SwingError {
    /// No item to weigh.
    Empty,
    /// A rank below 1 or a rating outside 0–100 (item index).
    OutOfRange(usize),
    /// The top-ranked swing is not rated 100 (item index).
    TopNot100(usize),
    /// Item `better` is ranked before item `worse` but rated lower.
    Order { better: usize, worse: usize },
    /// Two items share a rank but not a rating.
    TieRatedApart { i: usize, j: usize },
    /// Every rating is 0.
    AllZero,
}

impl std::fmt::Display for SwingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SwingError::Empty => write!(f, "there is no swing to weigh"),
            SwingError::OutOfRange(i) => write!(
                f,
                "swing {} has a rank below 1 or a rating outside 0–100",
                i + 1
            ),
            SwingError::TopNot100(i) => write!(
                f,
                "the top-ranked swing (item {}) must be rated 100: the others are rated against it",
                i + 1
            ),
            SwingError::Order { better, worse } => write!(
                f,
                "item {} is ranked before item {} but rated lower: a rank and a rating must agree",
                better + 1,
                worse + 1
            ),
            SwingError::TieRatedApart { i, j } => write!(
                f,
                "items {} and {} share a rank but not a rating",
                i + 1,
                j + 1
            ),
            SwingError::AllZero => write!(f, "every swing is rated 0: nothing would count"),
        }
    }
}

impl std::error::Error for SwingError {}

/// The weights (summing to 1) from the swings, in item order.
pub fn weigh(swings: &[Swing]) -> Result<Vec<f64>, SwingError> {
    if swings.is_empty() {
        return Err(SwingError::Empty);
    }
    for (i, s) in swings.iter().enumerate() {
        if crate::model::rules::check_swing(s.rank, s.rating).is_err() {
            return Err(SwingError::OutOfRange(i));
        }
    }
    let top = swings.iter().map(|s| s.rank).min().expect("not empty");
    if let Some(i) = swings
        .iter()
        .position(|s| s.rank == top && (s.rating - 100.0).abs() > 1e-9)
    {
        return Err(SwingError::TopNot100(i));
    }
    for (i, a) in swings.iter().enumerate() {
        for (j, b) in swings.iter().enumerate().skip(i + 1) {
            if a.rank == b.rank && (a.rating - b.rating).abs() > 1e-9 {
                return Err(SwingError::TieRatedApart { i, j });
            }
            if a.rank < b.rank && a.rating < b.rating {
                return Err(SwingError::Order {
                    better: i,
                    worse: j,
                });
            }
            if b.rank < a.rank && b.rating < a.rating {
                return Err(SwingError::Order {
                    better: j,
                    worse: i,
                });
            }
        }
    }
    let sum: f64 = swings.iter().map(|s| s.rating).sum();
    if sum <= 0.0 {
        return Err(SwingError::AllZero);
    }
    Ok(swings.iter().map(|s| s.rating / sum).collect())
}

/// Swings that reproduce existing weights: ranked by weight (equal weights share a
/// rank), the largest rated 100 and the others in proportion. All-zero weights give
/// every item rank 1 and 100.
pub fn from_weights(weights: &[f64]) -> Vec<Swing> {
    let max = weights.iter().copied().fold(0.0f64, f64::max);
    weights
        .iter()
        .map(|&w| {
            let rank = 1 + weights.iter().filter(|&&o| o > w + 1e-12).count() as u32;
            let rating = if max > 0.0 { 100.0 * w / max } else { 100.0 };
            Swing { rank, rating }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(rank: u32, rating: f64) -> Swing {
        Swing { rank, rating }
    }

    #[test]
    fn weights_are_ratings_over_their_sum() {
        // 100 + 60 + 40 = 200 → 0.5, 0.3, 0.2 (by hand).
        let w = weigh(&[s(1, 100.0), s(2, 60.0), s(3, 40.0)]).unwrap();
        assert_eq!(w, vec![0.5, 0.3, 0.2]);
        // Order of items does not matter, ties share.
        let w = weigh(&[s(2, 50.0), s(1, 100.0), s(2, 50.0)]).unwrap();
        assert_eq!(w, vec![0.25, 0.5, 0.25]);
        // A zero-rated swing gets no weight.
        let w = weigh(&[s(1, 100.0), s(2, 0.0)]).unwrap();
        assert_eq!(w, vec![1.0, 0.0]);
    }

    #[test]
    fn inconsistent_swings_are_refused() {
        assert_eq!(weigh(&[]), Err(SwingError::Empty));
        assert_eq!(
            weigh(&[s(1, 90.0), s(2, 50.0)]),
            Err(SwingError::TopNot100(0))
        );
        assert_eq!(
            weigh(&[s(1, 100.0), s(2, 30.0), s(3, 40.0)]),
            Err(SwingError::Order {
                better: 1,
                worse: 2
            })
        );
        assert_eq!(
            weigh(&[s(1, 100.0), s(2, 30.0), s(2, 40.0)]),
            Err(SwingError::TieRatedApart { i: 1, j: 2 })
        );
        assert_eq!(
            weigh(&[s(1, 100.0), s(2, 130.0)]),
            Err(SwingError::OutOfRange(1))
        );
        assert_eq!(weigh(&[s(0, 100.0)]), Err(SwingError::OutOfRange(0)));
    }

    #[test]
    fn from_weights_reproduces_the_weights() {
        let w = [0.2, 0.5, 0.3, 0.5];
        let sw = from_weights(&w);
        assert_eq!(
            sw.iter().map(|s| s.rank).collect::<Vec<_>>(),
            vec![4, 1, 3, 1]
        );
        let back = weigh(&sw).unwrap();
        let sum: f64 = w.iter().sum();
        for (a, b) in back.iter().zip(w) {
            assert!((a - b / sum).abs() < 1e-12);
        }
    }
}
