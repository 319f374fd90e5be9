//! Computations on a project: the effective score matrix (analysts aggregated,
//! scenario applied) and the results (group indices, composite total, ranks, gates).
//! Pure and deterministic: no I/O, output in project order. The rules are documented
//! in docs/analysis.md.

mod matrix;
mod results;
pub mod stats;

pub use matrix::*;
pub use results::*;

/// Below this share of (weighted) assessed criteria, an index is not computed.
pub const MIN_COVERAGE: f64 = 0.5;

/// What to analyse: which scenario (None = base assessment) and whose scores
/// (None = the median across analysts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Selection {
    pub scenario: Option<String>,
    pub analyst: Option<String>,
}

/// A selection that names something the project does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionError {
    UnknownScenario(String, Vec<String>),
    UnknownAnalyst(String, Vec<String>),
}

impl std::fmt::Display for SelectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |v: &Vec<String>| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        match self {
            SelectionError::UnknownScenario(id, known) => {
                write!(
                    f,
                    "there is no scenario \"{id}\" in this project (scenarios: {})",
                    list(known)
                )
            }
            SelectionError::UnknownAnalyst(id, known) => {
                write!(
                    f,
                    "there is no analyst \"{id}\" in this project (analysts: {})",
                    list(known)
                )
            }
        }
    }
}

impl std::error::Error for SelectionError {}
