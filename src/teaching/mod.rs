//! Teaching: a student exercise made from any project (the reference scores left out
//! of the student's file entirely), and the comparison of a student's scoring with a
//! reference scoring (an answer key, or a panel's range), per student and per
//! criterion (docs/teaching.md).

mod exercise;
mod feedback;
mod json;
mod kappa;

pub use exercise::{ExerciseOptions, STUDENT, Stripped, make_exercise, progress, results_hidden};
pub use feedback::{
    CellFeedback, CriterionFeedback, Feedback, FeedbackError, ReferenceJudgement, ReferenceKind,
    Stats, StudentFeedback, feedback, mismatch, reference_kind,
};
pub use json::{LARGEST_IN_JSON, student_json};
pub use kappa::quadratic_kappa;
