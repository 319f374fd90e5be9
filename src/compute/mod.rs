//! Computations on a project: the effective score matrix (analysts aggregated,
//! scenario applied) and the results (group indices, composite total, ranks, gates).
//! Pure and deterministic: no I/O, output in project order. The rules are documented
//! in docs/analysis.md.

pub mod agreement;
pub mod ahp;
pub mod alpha_bootstrap;
pub mod basis;
pub mod compare;
pub mod diff;
pub mod gates;
mod matrix;
mod results;
mod selection;
pub mod sensitivity;
pub mod smaa;
pub mod stats;
pub mod swing;
pub mod weighting;

pub use matrix::*;
pub use results::*;
pub use selection::{Selection, SelectionError, selection_line, viewpoint_line, whose_scores};
