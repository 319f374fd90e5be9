//! Where a path goes once a file dialog or the typed-path prompt returns it: open,
//! save, export, report, CSV, packages, merge, exercise or reference.

use std::path::PathBuf;

use super::dialogs::Outcome;
use super::state::App;
use crate::ui::modal_state::{Modal, PathPurpose};

impl App {
    pub(super) fn poll_dialog(&mut self) {
        let Some(outcome) = self.dialog.as_ref().and_then(|(_, d)| d.poll()) else {
            return;
        };
        let Some((purpose, _)) = self.dialog.take() else {
            return;
        };
        match outcome {
            Outcome::Chosen(paths) => self.paths_chosen(purpose, paths),
            Outcome::Cancelled => {
                self.after_save = None;
                self.pending_export = None;
                self.status = "Cancelled".into();
            }
            Outcome::Unavailable => {
                self.status =
                    "No file dialog is available on this system: type a path instead".into();
                let text = match purpose {
                    PathPurpose::Open => String::new(),
                    PathPurpose::SaveAs => self
                        .start_dir()
                        .map(|d| d.join(self.suggested_name()).display().to_string())
                        .unwrap_or_else(|| self.suggested_name()),
                    PathPurpose::Export => self.export_suggestion(),
                    _ => String::new(),
                };
                self.modal = Some(Modal::PathPrompt {
                    purpose,
                    text,
                    error: None,
                });
            }
        }
    }

    /// Paths came back from a dialog or the path prompt.
    pub(super) fn paths_chosen(&mut self, purpose: PathPurpose, paths: Vec<PathBuf>) {
        if purpose == PathPurpose::Merge {
            self.start_merge(&paths);
        } else if let Some(p) = paths.into_iter().next() {
            self.path_chosen(purpose, p);
        }
    }

    /// A path came back from a dialog or the path prompt.
    pub(super) fn path_chosen(&mut self, purpose: PathPurpose, path: PathBuf) {
        match purpose {
            PathPurpose::Open => self.open_path(&path),
            PathPurpose::SaveAs => {
                if self.save_to(&path)
                    && let Some(then) = self.after_save.take()
                {
                    self.run_guarded(then);
                }
            }
            PathPurpose::Export => {
                if let Some(job) = self.pending_export.take() {
                    self.run_export(&job, &path);
                }
            }
            PathPurpose::Exercise => self.write_exercise(&path),
            PathPurpose::Report => self.write_report(&path),
            PathPurpose::CsvExport => self.write_csv(&path),
            PathPurpose::CsvImport => self.read_csv(&path),
            PathPurpose::Packages => self.write_packages(&path),
            PathPurpose::Merge => self.start_merge(&[path]),
            PathPurpose::Reference => self.compare_with_reference(&path),
        }
    }
}
