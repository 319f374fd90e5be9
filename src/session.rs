//! An open project: the project itself, where it lives, its undo history, a revision
//! number, and derived results cached by revision. The desktop app holds one; the command
//! line works on a `Project` directly (one command, no undo).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::compute::{self, Matrix, Results, Selection};
use crate::edit::{Command, EditError, History};
use crate::model::Project;
use crate::persist;

/// Where the open project comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// A file on disk: Save writes it.
    File(PathBuf),
    /// Not saved yet (new from template, or the bundled sample): Save asks for a path.
    Untitled { suggested_name: String },
}

struct Derived {
    revision: u64,
    content_revision: u64,
    selection: Selection,
    matrix: Arc<Matrix>,
    results: Arc<Results>,
}

pub struct Session {
    project: Project,
    pub origin: Origin,
    history: History,
    revision: u64,
    /// Like `revision`, but unchanged by edits that only move a weight: the effective
    /// cells can then be reused and only the results recomputed (a slider drag).
    content_revision: u64,
    saved_revision: u64,
    derived: Option<Derived>,
    warnings: Option<(u64, usize)>,
    /// What the file looked like when last read or written (to notice outside changes).
    disk: Option<persist::DiskStamp>,
}

/// Why a save did not happen.
#[derive(Debug)]
pub enum SaveProblem {
    /// The file changed on disk since it was opened or saved: saving would overwrite
    /// someone's work. The caller asks the user.
    ChangedOnDisk(PathBuf),
    Failed(persist::SaveError),
}

impl std::fmt::Display for SaveProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveProblem::ChangedOnDisk(p) => write!(
                f,
                "{} was changed on disk by another program or person since you opened it",
                p.display()
            ),
            SaveProblem::Failed(e) => e.fmt(f),
        }
    }
}

impl Session {
    pub fn new(project: Project, origin: Origin) -> Session {
        Session {
            project,
            origin,
            history: History::default(),
            revision: 0,
            content_revision: 0,
            saved_revision: 0,
            derived: None,
            warnings: None,
            disk: None,
        }
    }

    /// Opens a project file.
    pub fn open(path: &Path) -> Result<Session, persist::LoadError> {
        let (loaded, stamp) = persist::load_path_stamped(path, persist::max_file_bytes())?;
        let mut s = Session::new(loaded.project, Origin::File(path.to_path_buf()));
        s.disk = Some(stamp);
        Ok(s)
    }

    /// A session for recovered work: it counts as unsaved.
    pub fn recovered(project: Project, origin: Origin) -> Session {
        let mut s = Session::new(project, origin);
        s.revision = 1;
        s.content_revision = 1;
        if let Some(p) = s.path().map(Path::to_path_buf) {
            s.disk = persist::DiskStamp::read(&p);
        }
        s
    }

    /// The bundled sample, as an untitled copy (the shipped file is never written).
    pub fn sample() -> Session {
        Session::new(
            crate::bundled::sample(),
            Origin::Untitled {
                suggested_name: crate::bundled::SAMPLE_FILE_NAME.to_string(),
            },
        )
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Increases with every change (edit, undo, redo); keys every cache.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision
    }

    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File(p) => Some(p),
            Origin::Untitled { .. } => None,
        }
    }

    /// A short name for title bars: the file name, or the suggested name.
    pub fn display_name(&self) -> String {
        match &self.origin {
            Origin::File(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
            Origin::Untitled { suggested_name } => format!("{suggested_name} (not saved yet)"),
        }
    }

    pub fn apply(&mut self, cmd: Command, merge_key: Option<String>) -> Result<(), EditError> {
        let weight_only = self.is_weight_only(&cmd);
        self.history.apply(&mut self.project, cmd, merge_key)?;
        self.revision += 1;
        if !weight_only {
            self.content_revision += 1;
        }
        Ok(())
    }

    /// True when `cmd` changes nothing but one group or criterion weight.
    fn is_weight_only(&self, cmd: &Command) -> bool {
        let fw = &self.project.framework;
        match cmd {
            Command::SetGroup { index, header } => fw.groups.get(*index).is_some_and(|g| {
                let mut same = crate::edit::GroupHeader::of(g);
                same.weight = header.weight;
                same == *header
            }),
            Command::SetCriterion {
                group,
                index,
                criterion,
            } => fw
                .groups
                .get(*group)
                .and_then(|g| g.criteria.get(*index))
                .is_some_and(|c| {
                    let mut same = c.clone();
                    same.weight = criterion.weight;
                    same == *criterion
                }),
            _ => false,
        }
    }

    /// The open warnings of `check` (what the Check view lists and has not been
    /// acknowledged), cached until the content changes.
    pub fn warnings(&mut self) -> usize {
        match self.warnings {
            Some((rev, n)) if rev == self.content_revision => n,
            _ => {
                let n = crate::check::check(&self.project).open_warnings();
                self.warnings = Some((self.content_revision, n));
                n
            }
        }
    }

    /// Ends the current typing burst or drag.
    pub fn seal(&mut self) {
        self.history.seal();
    }

    pub fn undo(&mut self) -> Option<&'static str> {
        let label = self.history.undo(&mut self.project)?;
        self.revision += 1;
        self.content_revision += 1;
        Some(label)
    }

    pub fn redo(&mut self) -> Option<&'static str> {
        let label = self.history.redo(&mut self.project)?;
        self.revision += 1;
        self.content_revision += 1;
        Some(label)
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// True when the open file was changed on disk since it was read or written.
    pub fn changed_on_disk(&self) -> bool {
        match (self.path(), self.disk) {
            (Some(p), Some(stamp)) => persist::DiskStamp::read(p) != Some(stamp),
            _ => false,
        }
    }

    /// Saves to `path` (which becomes the current file). Saving over the current file
    /// when it changed on disk is refused unless `overwrite` (the user said so).
    pub fn save_to(&mut self, path: &Path, overwrite: bool) -> Result<(), SaveProblem> {
        let same_file = self.path() == Some(path);
        if same_file && !overwrite && self.changed_on_disk() {
            return Err(SaveProblem::ChangedOnDisk(path.to_path_buf()));
        }
        let stamp = persist::save_path_stamped(path, &self.project).map_err(SaveProblem::Failed)?;
        self.origin = Origin::File(path.to_path_buf());
        self.saved_revision = self.revision;
        self.disk = Some(stamp);
        Ok(())
    }

    /// The effective matrix and results for a selection, recomputed only when the
    /// project or the selection changed.
    pub fn derived(
        &mut self,
        sel: &Selection,
    ) -> Result<(Arc<Matrix>, Arc<Results>), compute::SelectionError> {
        if let Some(d) = &self.derived
            && d.selection == *sel
        {
            if d.revision == self.revision {
                return Ok((d.matrix.clone(), d.results.clone()));
            }
            if d.content_revision == self.content_revision {
                // Only a weight moved: keep the cells, recompute weights and results.
                let mut m = (*d.matrix).clone();
                m.weights = compute::effective_weights(&self.project, sel);
                return Ok(self.store(sel, Arc::new(m)));
            }
        }
        let matrix = Arc::new(compute::effective_matrix(&self.project, sel)?);
        Ok(self.store(sel, matrix))
    }

    fn store(&mut self, sel: &Selection, matrix: Arc<Matrix>) -> (Arc<Matrix>, Arc<Results>) {
        let results = Arc::new(compute::results_from_matrix(
            &self.project.framework,
            &matrix,
            sel,
        ));
        self.derived = Some(Derived {
            revision: self.revision,
            content_revision: self.content_revision,
            selection: sel.clone(),
            matrix: matrix.clone(),
            results: results.clone(),
        });
        (matrix, results)
    }
}
