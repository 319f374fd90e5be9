//! What a modal dialog holds: `Modal` (unsaved changes, load and save failures, the
//! path prompt, recovery, CSV preview, merge conflicts, help, glossary, delete
//! scenario, the exercise's completion, about), what it is for (`PathPurpose`) and
//! what waits behind the unsaved-changes prompt (`Guarded`).

use std::path::PathBuf;

use crate::edit::Command;

/// Something the user asked for that would drop unsaved changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Guarded {
    New(String),
    Open(PathBuf),
    OpenDialog,
    Quit,
}

/// A modal the app is showing.
#[derive(Clone, Debug, PartialEq)]
pub enum Modal {
    /// Save / Discard / Cancel before doing `then`.
    Unsaved {
        then: Guarded,
    },
    /// Every problem of a file that failed to load.
    LoadFailed {
        path: PathBuf,
        problems: Vec<String>,
    },
    /// A save that failed; the project stays open and unsaved.
    SaveFailed {
        message: String,
    },
    /// The file changed on disk since it was opened: overwrite, save elsewhere, or cancel.
    ChangedOnDisk {
        path: PathBuf,
    },
    /// Someone else seems to have the file open.
    OpenElsewhere {
        holder: String,
    },
    /// Work from a session that ended without saving (crash, kill).
    Recover {
        snapshots: Vec<RecoverOffer>,
        compare: Option<(usize, Vec<String>)>,
    },
    /// What a CSV import would change; applied only when the user says so.
    CsvPreview {
        summary: String,
        changes: Vec<String>,
        command: Option<Box<Command>>,
    },
    /// Returned analyst files that conflict with the master: each conflict with the
    /// user's choice (None = not decided yet), and problems that stop the merge.
    Merge {
        rows: Vec<(String, Option<crate::workshop::Prefer>)>,
        problems: Vec<String>,
    },
    /// A CSV sheet that was refused, with every problem (row and column).
    CsvProblems {
        path: PathBuf,
        problems: Vec<String>,
    },
    /// Type a path (when no file dialog is available, or by choice).
    PathPrompt {
        purpose: PathPurpose,
        text: String,
        error: Option<String>,
    },
    About,
    /// Keyboard shortcuts and how to score.
    Help,
    /// The words of the app explained (`ui::glossary`).
    Glossary,
    /// Mark the student's scoring complete? With the cells scored of the matrix.
    ConfirmComplete {
        scored: usize,
        cells: usize,
    },
    /// Delete a scenario? (id, name)
    DeleteScenario {
        id: String,
        name: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    /// Export charts (`pending_export` holds what).
    Export,
    /// Save a student exercise made from the open project.
    Exercise,
    /// Open a teacher's reference scoring to compare with.
    Reference,
    /// Write the assessment report.
    Report,
    /// Write the scores as CSV.
    CsvExport,
    /// Read a CSV sheet of scores.
    CsvImport,
    /// Write one blind scoring package per analyst into a folder.
    Packages,
    /// Merge analysts' returned files (one or several paths).
    Merge,
}

/// Work left by a session that ended without saving, as the Recover modal shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecoverOffer {
    /// The snapshot file.
    pub file: PathBuf,
    pub title: String,
    /// The file the work belongs to, if it had been saved before.
    pub origin: Option<PathBuf>,
    /// Seconds since the Unix epoch.
    pub saved_at: u64,
}

impl RecoverOffer {
    /// "“Title” — where — autosaved 3 min ago", the age as of `now` (Unix seconds).
    pub fn describe(&self, now: u64) -> String {
        let age = now.saturating_sub(self.saved_at);
        let ago = if age < 120 {
            format!("{age} s ago")
        } else if age < 7200 {
            format!("{} min ago", age / 60)
        } else {
            format!("{} h ago", age / 3600)
        };
        let place = self
            .origin
            .as_ref()
            .map_or("never saved".to_string(), |p| p.display().to_string());
        format!("“{}” — {place} — autosaved {ago}", self.title)
    }
}
