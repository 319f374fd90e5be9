//! Git as the shared store (docs/git.md): the three-way merge of project files behind
//! `policy-workbench merge-file` (a git merge driver) and the line-per-item text that
//! `git diff` shows through `git-textconv`. No I/O here: the command line reads and
//! writes the files.

pub mod merge3;
pub mod project;
pub mod repair;
pub mod resolve;
pub mod textconv;

pub use merge3::Conflict;
pub use project::{MergeError, Merged, merge_projects};
