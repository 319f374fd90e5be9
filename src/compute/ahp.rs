//! Pairwise (AHP) weighting (work in progress).
