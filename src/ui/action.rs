//! `Action`: what the user asked for in a frame. Panels push actions; the app shell
//! applies them after drawing (`App::handle`), the only place the session changes.

use std::path::PathBuf;

use crate::edit::Command;
use crate::ui::modal_state::{Modal, PathPurpose};
use crate::ui::prefs::Theme;

/// What the user asked for this frame; applied by `App::handle` after drawing.
#[derive(Debug)]
pub enum Action {
    /// A change to the project. Commands with the same merge key fold into one undo step.
    Edit {
        cmd: Command,
        merge: Option<String>,
    },
    /// Ends a typing burst or a drag (the next edit is a new undo step).
    Seal,
    Undo,
    Redo,
    New(String),
    OpenDialog,
    Open(PathBuf),
    OpenPathPrompt,
    Save,
    SaveAs,
    SaveAsPathPrompt,
    Quit,
    SetTheme(Theme),
    TogglePanel {
        mechanisms: bool,
        inspector: bool,
    },
    About,
    Status(String),
    CloseModal,
    Modal(Modal),
    UnsavedChoice(UnsavedChoice),
    SubmitPath(PathPurpose, String),
    /// Save over a file that changed on disk (the user confirmed).
    OverwriteOnDisk,
    /// What to do with a recovery snapshot (by its index in the Recover modal).
    Recover {
        index: usize,
        choice: RecoverChoice,
    },
    /// Workshop: write one blind scoring package per analyst into a folder.
    ExportPackages,
    /// Workshop: merge analysts' returned files.
    ImportPackages,
    /// Workshop: merge again with these conflict decisions (one per listed conflict).
    MergeDecide(Vec<Option<crate::workshop::Prefer>>),
    /// Write the assessment report (HTML or Markdown, by the file name).
    ExportReport,
    /// Export the scores to a CSV sheet.
    ExportCsv,
    /// Read a CSV sheet of scores and preview the changes.
    ImportCsv,
    /// Apply the previewed CSV import (one undo step).
    ApplyCsv,
    /// Teaching: save a student exercise made from this project.
    PrepareExercise,
    /// Teaching: compare this scoring with a reference file.
    CompareReference,
    /// Export charts (one kind: a file; several: a folder), as PNG or SVG.
    ExportCharts {
        kinds: Vec<crate::charts::ChartKind>,
        svg: bool,
    },
    /// Export one workshop chart to a file, as PNG or SVG.
    ExportWorkshopChart {
        chart: crate::ui::panel_state::WorkshopChart,
        svg: bool,
    },
}

impl Action {
    pub fn edit(cmd: Command) -> Action {
        Action::Edit { cmd, merge: None }
    }

    pub fn merged(cmd: Command, key: impl Into<String>) -> Action {
        Action::Edit {
            cmd,
            merge: Some(key.into()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoverChoice {
    Restore,
    Compare,
    Discard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    Save,
    Discard,
    Cancel,
}
