//! The workshop flow (see docs/workshop.md): the facilitator makes one blind scoring
//! package per analyst from the master project (`package`), each analyst scores alone,
//! and the facilitator merges the packages back (`merge`), reviews the disagreement
//! (`compute::agreement`), starts a second round (`edit::Command::StartRound`) and
//! records the consensus (`edit::Command::SetConsensus`).
//!
//! Pure: no I/O. The command line (`policy-workbench package`, `merge`) and the app
//! read and write the files through `persist`.

pub mod merge;
pub mod package;

pub use merge::{
    AnalystSummary, Conflict, ConflictId, MergeOutcome, MergePolicy, MergeProblem, MergeReport,
    Prefer, merge,
};
pub use package::{
    BuiltPackage, PackageError, PackageOptions, Prefill, fingerprint, make_package,
    new_package_key, package_key_command, peer_reasons, previous_round_feedback, seal,
    structure_differences,
};
