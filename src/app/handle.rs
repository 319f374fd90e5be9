//! `App::handle`: the one place where the actions the UI pushed are applied, and what
//! the modals answer (unsaved changes, recovery, typed paths).

use std::path::{Path, PathBuf};

use super::dialogs::{DialogKind, PROJECT_FILTER, PendingDialog};
use super::recovery;
use super::state::App;
use crate::edit::Command;
use crate::session::{Origin, Session};
use crate::ui::action::{Action, RecoverChoice, UnsavedChoice};
use crate::ui::modal_state::{Guarded, Modal, PathPurpose};

impl App {
    /// Applies the actions the UI pushed this frame: the only place that changes
    /// the session.
    pub fn handle(&mut self, actions: Vec<Action>) {
        for a in actions {
            match a {
                Action::Edit { cmd, merge } => self.edit(cmd, merge),
                Action::Seal => self.session.seal(),
                Action::Undo => match self.session.undo() {
                    Some(l) => self.status = format!("Undid {l}"),
                    None => self.status = "Nothing to undo".into(),
                },
                Action::Redo => match self.session.redo() {
                    Some(l) => self.status = format!("Redid {l}"),
                    None => self.status = "Nothing to redo".into(),
                },
                Action::New(t) => self.guarded(Guarded::New(t)),
                Action::OpenDialog => self.guarded(Guarded::OpenDialog),
                Action::Open(p) => self.guarded(Guarded::Open(p)),
                Action::OpenPathPrompt => {
                    self.modal = Some(Modal::PathPrompt {
                        purpose: PathPurpose::Open,
                        text: String::new(),
                        error: None,
                    })
                }
                Action::Save => {
                    self.save();
                }
                Action::SaveAs => self.save_as(),
                Action::SaveAsPathPrompt => {
                    self.modal = Some(Modal::PathPrompt {
                        purpose: PathPurpose::SaveAs,
                        text: self
                            .start_dir()
                            .map(|d| d.join(self.suggested_name()).display().to_string())
                            .unwrap_or_else(|| self.suggested_name()),
                        error: None,
                    })
                }
                Action::Quit => self.guarded(Guarded::Quit),
                Action::SetTheme(t) => {
                    self.prefs.theme = t;
                    self.save_prefs();
                }
                Action::TogglePanel {
                    mechanisms,
                    inspector,
                } => {
                    if mechanisms {
                        self.prefs.show_mechanisms = !self.prefs.show_mechanisms;
                    }
                    if inspector {
                        self.prefs.show_inspector = !self.prefs.show_inspector;
                    }
                    self.save_prefs();
                }
                Action::About => self.modal = Some(Modal::About),
                Action::Status(s) => self.status = s,
                Action::CloseModal => self.modal = None,
                Action::Modal(m) => self.modal = Some(m),
                Action::UnsavedChoice(choice) => self.unsaved_choice(choice),
                Action::SubmitPath(purpose, text) => self.submit_path(purpose, text),
                Action::ExportCharts { kinds, svg } => {
                    // All charts: with several analysts, the workshop charts too.
                    let workshop = if kinds.len() > 1 && self.session.project().analysts.len() > 1 {
                        crate::ui::panel_state::WorkshopChart::ALL.to_vec()
                    } else {
                        Vec::new()
                    };
                    self.start_export(kinds, workshop, svg)
                }
                Action::ExportWorkshopChart { chart, svg } => {
                    self.start_export(Vec::new(), vec![chart], svg)
                }
                Action::ExportReport => {
                    let stem = self.suggested_name().trim_end_matches(".json").to_string();
                    self.dialog = Some((
                        PathPurpose::Report,
                        PendingDialog::spawn(
                            DialogKind::SaveFile,
                            self.start_dir(),
                            format!("{stem}-report.html"),
                            ("HTML or Markdown", "html"),
                        ),
                    ));
                }
                Action::ExportCsv => {
                    let stem = self.suggested_name().trim_end_matches(".json").to_string();
                    self.dialog = Some((
                        PathPurpose::CsvExport,
                        PendingDialog::spawn(
                            DialogKind::SaveFile,
                            self.start_dir(),
                            format!("{stem}-scores.csv"),
                            ("CSV sheet", "csv"),
                        ),
                    ));
                }
                Action::ImportCsv => {
                    self.dialog = Some((
                        PathPurpose::CsvImport,
                        PendingDialog::spawn(
                            DialogKind::OpenFile,
                            self.start_dir(),
                            String::new(),
                            ("CSV sheet", "csv"),
                        ),
                    ));
                }
                Action::ApplyCsv => {
                    if let Some(Modal::CsvPreview {
                        command: Some(cmd), ..
                    }) = self.modal.take()
                    {
                        self.edit(*cmd, None);
                        self.status = "Imported the sheet (one undo step)".into();
                    }
                }
                Action::ExportPackages => {
                    self.dialog = Some((
                        PathPurpose::Packages,
                        PendingDialog::spawn(
                            DialogKind::PickFolder,
                            self.start_dir(),
                            String::new(),
                            PROJECT_FILTER,
                        ),
                    ));
                }
                Action::ImportPackages => {
                    self.dialog = Some((
                        PathPurpose::Merge,
                        PendingDialog::spawn(
                            DialogKind::OpenFiles,
                            self.start_dir(),
                            String::new(),
                            PROJECT_FILTER,
                        ),
                    ));
                }
                Action::MergeDecide(choices) => self.finish_merge(choices),
                Action::PrepareExercise => {
                    let name = format!("exercise-{}", self.suggested_name());
                    self.dialog = Some((
                        PathPurpose::Exercise,
                        PendingDialog::spawn(
                            DialogKind::SaveFile,
                            self.start_dir(),
                            name,
                            PROJECT_FILTER,
                        ),
                    ));
                }
                Action::CompareReference => {
                    self.dialog = Some((
                        PathPurpose::Reference,
                        PendingDialog::spawn(
                            DialogKind::OpenFile,
                            self.start_dir(),
                            String::new(),
                            PROJECT_FILTER,
                        ),
                    ));
                }
                Action::OverwriteOnDisk => {
                    self.modal = None;
                    if let Some(p) = self.session.path().map(Path::to_path_buf)
                        && self.save_to_checked(&p, true)
                        && let Some(then) = self.after_save.take()
                    {
                        self.run_guarded(then);
                    }
                }
                Action::Recover { index, choice } => self.recover(index, choice),
            }
        }
    }

    pub(super) fn recover(&mut self, index: usize, choice: RecoverChoice) {
        let Some(Modal::Recover { snapshots, compare }) = &mut self.modal else {
            return;
        };
        let Some(snap) = snapshots.get(index).cloned() else {
            return;
        };
        match choice {
            RecoverChoice::Discard => {
                recovery::discard(&snap.file);
                snapshots.remove(index);
                *compare = None;
                if snapshots.is_empty() {
                    self.modal = None;
                }
                self.status = "Discarded the recovered copy".into();
            }
            RecoverChoice::Compare => {
                let recovered = crate::persist::load_path(&snap.file);
                let on_disk = snap.origin.as_deref().map(crate::persist::load_path);
                let lines = match (recovered, on_disk) {
                    (Ok(r), Some(Ok(d))) => crate::compute::diff::diff(&d.project, &r.project)
                        .iter()
                        .map(|c| c.describe(&d.project, &r.project).to_string())
                        .collect(),
                    (Err(e), _) => vec![format!("The recovered copy cannot be read: {e}")],
                    (_, Some(Err(e))) => vec![format!("The file on disk cannot be read: {e}")],
                    (_, None) => {
                        vec!["The work had never been saved: nothing to compare with.".into()]
                    }
                };
                *compare = Some((index, lines));
            }
            RecoverChoice::Restore => match crate::persist::load_path(&snap.file) {
                Ok(l) => {
                    let origin = match &snap.origin {
                        Some(p) => Origin::File(p.clone()),
                        None => Origin::Untitled {
                            suggested_name: "recovered.json".into(),
                        },
                    };
                    self.modal = None;
                    self.set_session(Session::recovered(l.project, origin));
                    // Keep the work safe under this session's name before dropping the old copy.
                    self.recovery.write(&self.session);
                    self.recovery.flush();
                    recovery::discard(&snap.file);
                    self.status =
                        "Restored the recovered work: it is not saved yet (Save to keep it)".into();
                }
                Err(e) => self.status = format!("The recovered copy cannot be read: {e}"),
            },
        }
    }

    pub(super) fn edit(&mut self, cmd: Command, merge: Option<String>) {
        let label = cmd.label();
        if let Err(e) = self.session.apply(cmd, merge) {
            self.status = format!("Could not {label}: {e}");
        } else {
            self.view.after_edit(self.session.project());
        }
    }

    pub(super) fn unsaved_choice(&mut self, choice: UnsavedChoice) {
        let Some(Modal::Unsaved { then }) = self.modal.take() else {
            return;
        };
        match choice {
            UnsavedChoice::Save => {
                if self.session.path().is_some() {
                    if self.save() {
                        self.run_guarded(then);
                    }
                } else {
                    self.after_save = Some(then);
                    self.save_as();
                }
            }
            UnsavedChoice::Discard => self.run_guarded(then),
            UnsavedChoice::Cancel => self.status = "Cancelled".into(),
        }
    }

    pub(super) fn submit_path(&mut self, purpose: PathPurpose, text: String) {
        let path = PathBuf::from(text.trim());
        let error = if text.trim().is_empty() {
            Some("Type a path")
        } else if purpose == PathPurpose::SaveAs && path.is_dir() {
            Some("This is a folder; add a file name")
        } else {
            None
        };
        if let Some(e) = error {
            self.modal = Some(Modal::PathPrompt {
                purpose,
                text,
                error: Some(e.into()),
            });
            return;
        }
        self.modal = None;
        if purpose == PathPurpose::Merge {
            let paths = text
                .split(';')
                .map(|p| PathBuf::from(p.trim()))
                .filter(|p| !p.as_os_str().is_empty())
                .collect();
            self.paths_chosen(purpose, paths);
        } else {
            self.path_chosen(purpose, path);
        }
    }
}
