//! Hand-written conversion between the file types and the domain model. Reading only
//! translates; the rules a project obeys are checked by `model::rules`, in one place.

mod from_file;
mod to_file;

pub use from_file::{from_file, from_parts};
pub use to_file::{num, to_file};
