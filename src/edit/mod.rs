//! Every change to a project is a `Command` applied here, and only here. `apply`
//! checks the command against the project's invariants (unique ids, references,
//! finite weights, values on the scale), changes the project and returns the inverse
//! command for undo. The UI never mutates a `Project` directly.

mod apply;
mod command;
mod history;

pub use apply::apply;
pub use command::{Command, EditError, GroupHeader, WeightsTo};
pub use history::History;

#[cfg(test)]
mod tests;
