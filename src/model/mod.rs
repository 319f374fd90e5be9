//! The domain model: what a project holds. No I/O, no egui, no file-format concerns.
//!
//! Invariants (checked by `persist::validate` on load and kept by `edit::apply`):
//! ids are unique within their kind (groups and criteria share one namespace), every
//! reference resolves, weights are finite and ≥ 0, scales have `min < max`.

mod conflict;
mod framework;
mod project;
pub mod rules;
mod score;
pub mod text;
mod workshop;

pub use conflict::*;
pub use framework::*;
pub use project::*;
pub use score::*;
pub use workshop::*;
