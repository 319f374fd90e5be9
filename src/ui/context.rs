//! What a panel reads while drawing: `Cx` (the project and what is derived from it)
//! and `Chrome` (what the shell shows around the document).

use std::path::PathBuf;

use crate::compute::{Matrix, Results};
use crate::model::Project;
use crate::ui::prefs::Prefs;

/// What the shell shows around the document.
pub struct Chrome<'a> {
    pub dirty: bool,
    pub display_name: String,
    pub path: Option<PathBuf>,
    pub status: &'a str,
    pub prefs: &'a Prefs,
    pub undo_label: Option<&'static str>,
    pub redo_label: Option<&'static str>,
    pub dialog_open: bool,
    /// A modal is open: it owns the keyboard.
    pub modal_open: bool,
    /// Scored cells without a rationale or sources (cached by revision).
    pub warnings: usize,
}

/// Read-only context for drawing: the project and what is derived from it.
pub struct Cx<'a> {
    pub project: &'a Project,
    pub matrix: &'a Matrix,
    pub results: &'a Results,
    pub revision: u64,
    pub chrome: &'a Chrome<'a>,
}
