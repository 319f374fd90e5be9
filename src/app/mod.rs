//! The desktop app (feature "gui"): the eframe shell, the frame loop, file handling
//! and the one place where UI actions are applied (`App::handle`).

mod dialogs;
mod fonts;
pub mod prefs;
pub mod recovery;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::edit::Command;
use crate::session::{Origin, SaveProblem, Session};
pub use crate::ui::modal_state::{Guarded, Modal, PathPurpose};
use crate::ui::{self, Action, ViewState};
use dialogs::{DialogKind, Outcome, PendingDialog};

use crate::charts::{ChartInput, ChartKind, ChartOptions};
use crate::compute::Selection;
use prefs::{Prefs, Theme};

/// How the app was started.
pub struct Launch {
    pub file: Option<PathBuf>,
    pub window_size: Option<(f32, f32)>,
    pub data_dir: Option<PathBuf>,
    /// The view to open on (a tab name), for screenshots and tests.
    pub view: Option<String>,
    /// Dark theme for this run (does not change the saved preference).
    pub dark: bool,
}

/// Starts the window; returns when it closes.
pub fn run(launch: Launch) -> ExitCode {
    let data_dir = launch
        .data_dir
        .clone()
        .unwrap_or_else(prefs::default_data_dir);
    let size = launch.window_size.unwrap_or((1280.0, 800.0));
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([size.0, size.1])
            .with_min_inner_size([640.0, 400.0])
            .with_title("Policy Workbench")
            .with_app_id("policy-workbench")
            .with_drag_and_drop(true),
        persist_window: false,
        // egui's own layout memory (panel widths, open sections) lives in the data
        // folder too, so --data-dir isolates everything.
        persistence_path: Some(data_dir.join("layout.ron")),
        ..Default::default()
    };
    let file = launch.file.clone();
    let view = launch.view.clone();
    let dark = launch.dark;
    let result = eframe::run_native(
        "Policy Workbench",
        options,
        Box::new(move |_cc| {
            let mut app = App::new(data_dir);
            app.start(file.as_deref());
            if dark {
                app.prefs.theme = Theme::Dark;
            }
            if let Some(v) = view.as_deref() {
                match ui::Tab::parse(v) {
                    Some(t) => app.view.tab = t,
                    None => app.status = format!("There is no view \"{v}\""),
                }
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("could not open the window: {e}");
            ExitCode::from(crate::cli::exit::USAGE_OR_IO)
        }
    }
}

/// A path made absolute for messages (so the user knows where a file went).
fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The file filter of project dialogs.
const PROJECT_FILTER: (&str, &str) = ("Policy Workbench project", "json");

/// Charts to export, captured when the user asked (what was on screen then).
#[derive(Clone, Debug, PartialEq)]
pub struct ExportJob {
    pub selection: Selection,
    /// One entry per chart kind, with its export options.
    pub charts: Vec<ChartOptions>,
    pub svg: bool,
}

impl ExportJob {
    fn extension(&self) -> &'static str {
        if self.svg { "svg" } else { "png" }
    }

    fn single(&self) -> bool {
        self.charts.len() == 1
    }
}

pub struct App {
    pub session: Session,
    pub view: ViewState,
    pub prefs: Prefs,
    pub data_dir: PathBuf,
    pub modal: Option<Modal>,
    /// A short message for the status bar.
    pub status: String,
    dialog: Option<(PathPurpose, PendingDialog)>,
    lock: Option<crate::persist::lock::Lock>,
    pub recovery: recovery::Recovery,
    pending_export: Option<ExportJob>,
    /// Returned files waiting for the user's conflict decisions.
    pending_merge: Option<(
        Vec<PathBuf>,
        Vec<crate::model::Project>,
        Vec<crate::workshop::Conflict>,
    )>,
    /// Set when the user confirmed closing; the next close request is allowed.
    allow_close: bool,
    /// What to do after a Save As chosen from the unsaved-changes prompt.
    after_save: Option<Guarded>,
    title: String,
    applied_theme: Option<Theme>,
    /// True once the user asked to quit (and confirmed, if there were unsaved changes).
    pub quit_requested: bool,
    was_focused: bool,
    fonts_installed: bool,
}

impl App {
    pub fn new(data_dir: PathBuf) -> App {
        let prefs = Prefs::load(&data_dir);
        let data_dir_for_recovery = data_dir.clone();
        App {
            session: Session::sample(),
            view: ViewState::default(),
            prefs,
            data_dir,
            modal: None,
            status: String::new(),
            dialog: None,
            lock: None,
            recovery: recovery::Recovery::new(&data_dir_for_recovery),
            pending_export: None,
            pending_merge: None,
            allow_close: false,
            after_save: None,
            title: String::new(),
            applied_theme: None,
            quit_requested: false,
            was_focused: false,
            fonts_installed: false,
        }
    }

    /// Opens `file`, or the bundled sample when none is given; offers to recover work
    /// left by a session that ended without saving.
    pub fn start(&mut self, file: Option<&Path>) {
        self.open_start(file);
        let snapshots = self.recovery.orphans();
        if !snapshots.is_empty() {
            self.modal = Some(Modal::Recover {
                snapshots: snapshots.iter().map(recovery::Snapshot::offer).collect(),
                compare: None,
            });
        }
    }

    fn open_start(&mut self, file: Option<&Path>) {
        match file {
            Some(p) => self.open_path(p),
            None => {
                self.set_session(Session::sample());
                self.status = "Opened the bundled sample (an untitled copy)".into();
            }
        }
    }

    fn set_session(&mut self, session: Session) {
        self.session = session;
        self.view.reset_for(self.session.project());
        self.lock = None;
        self.recovery.forget();
        if let Some(p) = self.session.path().map(Path::to_path_buf) {
            self.lock_file(&p);
        }
    }

    /// Takes the lock beside `path`; warns when someone else has the file open.
    fn lock_file(&mut self, path: &Path) {
        use crate::persist::lock::{Acquired, acquire, take_over};
        self.lock = match acquire(path) {
            Acquired::Mine(l) => Some(l),
            Acquired::Unavailable => None,
            Acquired::Held(info) => {
                self.modal = Some(Modal::OpenElsewhere {
                    holder: info.describe(),
                });
                take_over(path)
            }
        };
    }

    /// Opens a file; on failure shows every problem and keeps the current project.
    pub fn open_path(&mut self, path: &Path) {
        match Session::open(path) {
            Ok(s) => {
                self.status = format!("Opened {}", path.display());
                self.set_session(s);
                self.prefs.add_recent(path);
                self.save_prefs();
            }
            Err(e) => {
                self.modal = Some(Modal::LoadFailed {
                    path: path.to_path_buf(),
                    problems: e.problems(),
                });
                self.status = format!("Could not open {}", path.display());
            }
        }
    }

    fn save_prefs(&mut self) {
        if let Err(e) = self.prefs.save(&self.data_dir) {
            self.status = format!("Could not save preferences: {e}");
        }
    }

    /// Saves to `path`; on failure tells the user and keeps the project unsaved.
    pub fn save_to(&mut self, path: &Path) -> bool {
        self.save_to_checked(path, false)
    }

    fn save_to_checked(&mut self, path: &Path, overwrite: bool) -> bool {
        let moved = self.session.path() != Some(path);
        match self.session.save_to(path, overwrite) {
            Ok(()) => {
                self.prefs.add_recent(path);
                self.save_prefs();
                self.status = format!("Saved {}", path.display());
                self.recovery.forget();
                if moved {
                    self.lock = None;
                    self.lock_file(path);
                }
                true
            }
            Err(SaveProblem::ChangedOnDisk(p)) => {
                self.modal = Some(Modal::ChangedOnDisk { path: p });
                false
            }
            Err(e) => {
                self.modal = Some(Modal::SaveFailed {
                    message: e.to_string(),
                });
                false
            }
        }
    }

    /// Save: to the current file, or ask for a path when untitled. Returns true when saved.
    fn save(&mut self) -> bool {
        match self.session.path().map(Path::to_path_buf) {
            Some(p) => self.save_to(&p),
            None => {
                self.save_as();
                false
            }
        }
    }

    fn suggested_name(&self) -> String {
        match &self.session.origin {
            Origin::File(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "project.json".into()),
            Origin::Untitled { suggested_name } => suggested_name.clone(),
        }
    }

    fn save_as(&mut self) {
        let dir = self
            .session
            .path()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf);
        let name = self.suggested_name();
        self.dialog = Some((
            PathPurpose::SaveAs,
            PendingDialog::spawn(DialogKind::SaveFile, dir, name, PROJECT_FILTER),
        ));
    }

    /// Where dialogs and path prompts start: the open file's folder, the last recent
    /// file's, or the current folder.
    fn start_dir(&self) -> Option<PathBuf> {
        self.session
            .path()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .or_else(|| {
                self.prefs
                    .recent
                    .first()
                    .and_then(|p| p.parent())
                    .map(Path::to_path_buf)
            })
            .or_else(|| std::env::current_dir().ok())
    }

    /// Runs `g` now, or asks first when there are unsaved changes.
    fn guarded(&mut self, g: Guarded) {
        if self.session.is_dirty() {
            self.modal = Some(Modal::Unsaved { then: g });
        } else {
            self.run_guarded(g);
        }
    }

    fn run_guarded(&mut self, g: Guarded) {
        match g {
            Guarded::New(template) if template == "sample" => {
                self.set_session(Session::sample());
                self.status = "Opened the bundled sample (an untitled copy)".into();
            }
            Guarded::New(template) => match crate::bundled::template(&template) {
                Some(p) => {
                    self.set_session(Session::new(
                        p,
                        Origin::Untitled {
                            suggested_name: "new-assessment.json".into(),
                        },
                    ));
                    self.status = format!("New project from the {template} template");
                }
                None => self.status = format!("There is no template \"{template}\""),
            },
            Guarded::Open(p) => self.open_path(&p),
            Guarded::OpenDialog => {
                self.dialog = Some((
                    PathPurpose::Open,
                    PendingDialog::spawn(
                        DialogKind::OpenFile,
                        self.start_dir(),
                        String::new(),
                        PROJECT_FILTER,
                    ),
                ));
            }
            Guarded::Quit => {
                self.recovery.forget();
                self.allow_close = true;
                self.quit_requested = true;
            }
        }
    }

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
                Action::ExportCharts { kinds, svg } => self.start_export(kinds, svg),
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

    fn recover(&mut self, index: usize, choice: ui::RecoverChoice) {
        let Some(Modal::Recover { snapshots, compare }) = &mut self.modal else {
            return;
        };
        let Some(snap) = snapshots.get(index).cloned() else {
            return;
        };
        match choice {
            ui::RecoverChoice::Discard => {
                recovery::discard(&snap.file);
                snapshots.remove(index);
                *compare = None;
                if snapshots.is_empty() {
                    self.modal = None;
                }
                self.status = "Discarded the recovered copy".into();
            }
            ui::RecoverChoice::Compare => {
                let recovered = crate::persist::load_path(&snap.file);
                let on_disk = snap.origin.as_deref().map(crate::persist::load_path);
                let lines = match (recovered, on_disk) {
                    (Ok(r), Some(Ok(d))) => crate::compute::diff::diff(&d.project, &r.project)
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                    (Err(e), _) => vec![format!("The recovered copy cannot be read: {e}")],
                    (_, Some(Err(e))) => vec![format!("The file on disk cannot be read: {e}")],
                    (_, None) => {
                        vec!["The work had never been saved: nothing to compare with.".into()]
                    }
                };
                *compare = Some((index, lines));
            }
            ui::RecoverChoice::Restore => match crate::persist::load_path(&snap.file) {
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

    fn edit(&mut self, cmd: Command, merge: Option<String>) {
        let label = cmd.label();
        if let Err(e) = self.session.apply(cmd, merge) {
            self.status = format!("Could not {label}: {e}");
        } else {
            self.view.after_edit(self.session.project());
        }
    }

    fn unsaved_choice(&mut self, choice: ui::UnsavedChoice) {
        let Some(Modal::Unsaved { then }) = self.modal.take() else {
            return;
        };
        match choice {
            ui::UnsavedChoice::Save => {
                if self.session.path().is_some() {
                    if self.save() {
                        self.run_guarded(then);
                    }
                } else {
                    self.after_save = Some(then);
                    self.save_as();
                }
            }
            ui::UnsavedChoice::Discard => self.run_guarded(then),
            ui::UnsavedChoice::Cancel => self.status = "Cancelled".into(),
        }
    }

    fn submit_path(&mut self, purpose: PathPurpose, text: String) {
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

    fn poll_dialog(&mut self) {
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
    fn paths_chosen(&mut self, purpose: PathPurpose, paths: Vec<PathBuf>) {
        if purpose == PathPurpose::Merge {
            self.start_merge(&paths);
        } else if let Some(p) = paths.into_iter().next() {
            self.path_chosen(purpose, p);
        }
    }

    /// A path came back from a dialog or the path prompt.
    fn path_chosen(&mut self, purpose: PathPurpose, path: PathBuf) {
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

    /// Writes the assessment report of what is shown (HTML, or Markdown for `.md`).
    pub fn write_report(&mut self, path: &Path) {
        let sel = self.view.selection();
        let smaa = self
            .view
            .derived
            .smaa
            .current(self.session.revision(), &sel)
            .cloned();
        let mut opts = crate::report::ReportOptions::new(sel);
        opts.smaa = smaa.as_ref();
        let project = self.session.project();
        let markdown = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        let result = if markdown {
            let dir = crate::report::charts_dir_for(path);
            crate::report::markdown_report(project, &opts, Some(&dir))
                .map_err(|e| e.to_string())
                .and_then(|r| {
                    crate::report::write_markdown(path, &r)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
        } else {
            crate::report::html_report(project, &opts)
                .map_err(|e| e.to_string())
                .and_then(|html| {
                    crate::persist::atomic::write_atomic(path, html.as_bytes())
                        .map_err(|e| e.to_string())
                })
        };
        match result {
            Ok(()) => self.status = format!("Wrote the report {}", absolute(path).display()),
            Err(e) => {
                self.modal = Some(Modal::SaveFailed {
                    message: format!("the report was not written: {e}"),
                })
            }
        }
    }

    /// Writes the scores (one row per analyst × mechanism × criterion) as CSV.
    pub fn write_csv(&mut self, path: &Path) {
        let opts = crate::csv_io::ExportOptions {
            layout: crate::csv_io::Layout::Long,
            analyst: None,
            delimiter: b',',
        };
        match crate::csv_io::export(self.session.project(), &opts) {
            Ok(text) => match crate::persist::atomic::write_atomic(path, text.as_bytes()) {
                Ok(()) => {
                    self.status = format!("Exported the scores to {}", absolute(path).display())
                }
                Err(e) => {
                    self.modal = Some(Modal::SaveFailed {
                        message: format!("the sheet was not written: {e}"),
                    })
                }
            },
            Err(e) => self.status = e.to_string(),
        }
    }

    /// Reads a CSV sheet and shows what it would change (nothing is applied yet).
    pub fn read_csv(&mut self, path: &Path) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                self.modal = Some(Modal::CsvProblems {
                    path: path.to_path_buf(),
                    problems: vec![format!("could not read the file: {e}")],
                });
                return;
            }
        };
        let opts = crate::csv_io::ImportOptions {
            analyst: self.view.analyst.clone(),
        };
        match crate::csv_io::import(self.session.project(), &bytes, &opts) {
            Ok(preview) => {
                self.modal = Some(Modal::CsvPreview {
                    summary: preview.summary(),
                    changes: preview.changes.iter().map(|c| c.describe()).collect(),
                    command: preview.command().map(Box::new),
                });
            }
            Err(problems) => {
                self.modal = Some(Modal::CsvProblems {
                    path: path.to_path_buf(),
                    problems: problems.iter().map(ToString::to_string).collect(),
                });
            }
        }
    }

    /// Writes one blind package per analyst into `dir` (`<analyst-id>.json`).
    pub fn write_packages(&mut self, dir: &Path) {
        let project = self.session.project().clone();
        if let Err(e) = std::fs::create_dir_all(dir) {
            self.modal = Some(Modal::SaveFailed {
                message: format!("could not create {}: {e}", dir.display()),
            });
            return;
        }
        let mut written = 0;
        for a in &project.analysts {
            match crate::workshop::make_package(
                &project,
                &a.id,
                &crate::workshop::PackageOptions::default(),
            ) {
                Ok(pkg) => {
                    let path = dir.join(format!("{}.json", a.id));
                    if let Err(e) = crate::persist::save_path(&path, &pkg.project) {
                        self.modal = Some(Modal::SaveFailed {
                            message: e.to_string(),
                        });
                        return;
                    }
                    written += 1;
                }
                Err(e) => {
                    self.status = e.to_string();
                    return;
                }
            }
        }
        self.status = format!(
            "Wrote {written} scoring packages to {}",
            absolute(dir).display()
        );
    }

    /// Loads returned analyst files and merges them; conflicts go to the user.
    pub fn start_merge(&mut self, paths: &[PathBuf]) {
        let mut incoming = Vec::new();
        for p in paths {
            match crate::persist::load_path(p) {
                Ok(l) => incoming.push(l.project),
                Err(e) => {
                    self.modal = Some(Modal::LoadFailed {
                        path: p.clone(),
                        problems: e.problems(),
                    });
                    return;
                }
            }
        }
        self.pending_merge = Some((paths.to_vec(), incoming, Vec::new()));
        self.finish_merge(Vec::new());
    }

    /// Runs the merge with the user's decisions (one per listed conflict).
    fn finish_merge(&mut self, choices: Vec<Option<crate::workshop::Prefer>>) {
        use crate::workshop::{MergePolicy, merge};
        let Some((paths, incoming, conflicts)) = self.pending_merge.take() else {
            return;
        };
        let mut policy = MergePolicy::default();
        for (c, choice) in conflicts.iter().zip(&choices) {
            if let Some(ch) = choice {
                policy.resolve(c, *ch);
            }
        }
        match merge(self.session.project(), &incoming, &policy) {
            Ok(outcome) => {
                self.modal = None;
                let n: usize = outcome.summary.iter().map(|s| s.imported).sum();
                self.edit(Command::Restore(Box::new(outcome.project)), None);
                self.status = format!(
                    "Merged {} file(s): {n} scores imported (one undo step)",
                    paths.len()
                );
            }
            Err(report) => {
                let rows = report
                    .conflicts
                    .iter()
                    .map(|c| (c.to_string(), policy.choice_for(c)))
                    .collect();
                let problems = report.problems.iter().map(ToString::to_string).collect();
                self.pending_merge = Some((paths, incoming, report.conflicts));
                self.modal = Some(Modal::Merge { rows, problems });
            }
        }
    }

    /// Writes a student exercise made from the open project (the reference stays here).
    pub fn write_exercise(&mut self, path: &Path) {
        if self.session.path() == Some(path) {
            self.modal = Some(Modal::SaveFailed {
                message: "an exercise cannot replace the project it is made from; choose another file name".into(),
            });
            return;
        }
        let exercise = crate::teaching::make_exercise(self.session.project());
        match crate::persist::save_path(path, &exercise) {
            Ok(()) => {
                self.status = format!(
                    "Wrote the student exercise {} (no reference scores in it)",
                    path.display()
                )
            }
            Err(e) => {
                self.modal = Some(Modal::SaveFailed {
                    message: e.to_string(),
                })
            }
        }
    }

    /// Compares the open scoring with a reference file and shows the feedback.
    pub fn compare_with_reference(&mut self, path: &Path) {
        match crate::persist::load_path(path) {
            Ok(r) => {
                let fb = crate::teaching::compare(
                    self.session.project(),
                    self.view.analyst.as_deref(),
                    &r.project,
                );
                self.status = format!("{} cells differ from the reference", fb.differences.len());
                self.view.feedback = Some(fb);
                self.view.tab = ui::Tab::Feedback;
            }
            Err(e) => {
                self.modal = Some(Modal::LoadFailed {
                    path: path.to_path_buf(),
                    problems: e.problems(),
                })
            }
        }
    }

    fn export_suggestion(&self) -> String {
        let dir = self.start_dir().unwrap_or_default();
        match &self.pending_export {
            Some(job) if job.single() => dir
                .join(format!(
                    "{}.{}",
                    job.charts[0].kind.file_stem(),
                    job.extension()
                ))
                .display()
                .to_string(),
            _ => dir.join("charts").display().to_string(),
        }
    }

    fn start_export(&mut self, kinds: Vec<ChartKind>, svg: bool) {
        let job = ExportJob {
            selection: self.view.selection(),
            charts: kinds
                .iter()
                .map(|k| self.view.chart.export_options(*k))
                .collect(),
            svg,
        };
        let (kind, name, filter) = if job.single() {
            let f = if svg {
                ("SVG image", "svg")
            } else {
                ("PNG image", "png")
            };
            (
                DialogKind::SaveFile,
                format!("{}.{}", job.charts[0].kind.file_stem(), job.extension()),
                f,
            )
        } else {
            (DialogKind::PickFolder, String::new(), PROJECT_FILTER)
        };
        self.pending_export = Some(job);
        self.dialog = Some((
            PathPurpose::Export,
            PendingDialog::spawn(kind, self.start_dir(), name, filter),
        ));
    }

    /// Writes the charts of `job` (to `path` for one chart, into the folder `path`
    /// for several) with the same drawing code as the screen and the CLI.
    pub fn run_export(&mut self, job: &ExportJob, path: &Path) {
        let (matrix, results) = match self.session.derived(&job.selection) {
            Ok(d) => d,
            Err(e) => {
                self.status = format!("Nothing exported: {e}");
                return;
            }
        };
        let project = self.session.project();
        let suffix = crate::compute::selection_line(project, &job.selection);
        let input = ChartInput {
            project,
            matrix: &matrix,
            results: &results,
            title_suffix: suffix.as_deref(),
        };
        let targets: Vec<(PathBuf, &ChartOptions)> = if job.single() {
            vec![(path.to_path_buf(), &job.charts[0])]
        } else {
            if let Err(e) = std::fs::create_dir_all(path) {
                self.modal = Some(Modal::SaveFailed {
                    message: format!("could not create the folder {}: {e}", path.display()),
                });
                return;
            }
            job.charts
                .iter()
                .map(|o| {
                    (
                        path.join(format!("{}.{}", o.kind.file_stem(), job.extension())),
                        o,
                    )
                })
                .collect()
        };
        let mut written = Vec::new();
        for (target, opts) in targets {
            let r = if job.svg {
                crate::charts::write_svg(&target, &input, opts)
            } else {
                crate::charts::write_png(&target, &input, opts)
            };
            match r {
                Ok(()) => written.push(target),
                Err(e) => {
                    self.modal = Some(Modal::SaveFailed {
                        message: e.to_string(),
                    });
                    return;
                }
            }
        }
        self.status = match written.as_slice() {
            [one] => format!("Exported {}", absolute(one).display()),
            many => format!(
                "Exported {} charts to {}",
                many.len(),
                absolute(path).display()
            ),
        };
    }

    fn window_title(&self) -> String {
        format!(
            "{}{} — {} — Policy Workbench",
            if self.session.is_dirty() { "* " } else { "" },
            self.session.display_name(),
            self.session.project().info.title
        )
    }

    /// One frame of the whole app, without eframe (tests drive this directly).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.fonts_installed {
            fonts::install(&ctx);
            self.fonts_installed = true;
        }
        if self.applied_theme != Some(self.prefs.theme) {
            ctx.set_theme(match self.prefs.theme {
                Theme::Light => egui::Theme::Light,
                Theme::Dark => egui::Theme::Dark,
            });
            self.applied_theme = Some(self.prefs.theme);
        }
        self.poll_dialog();
        if self.dialog.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }

        // An open modal owns the keyboard: no command shortcuts behind it.
        let shortcuts = if self.modal.is_none() {
            ui::commands::pressed(&ctx)
        } else {
            Vec::new()
        };
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        let dropped_file = dropped.into_iter().next().map(Action::Open);

        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }

        let (matrix, results) = match self.session.derived(&self.view.selection()) {
            Ok(d) => d,
            Err(e) => {
                // The chosen analyst or scenario no longer exists (e.g. after undo).
                self.status = e.to_string();
                self.view.analyst = None;
                self.view.scenario = None;
                self.view.round = None;
                self.view.consensus = false;
                self.session
                    .derived(&self.view.selection())
                    .expect("the base selection always exists")
            }
        };
        let warnings = self.session.warnings();
        let chrome = ui::Chrome {
            warnings,
            dirty: self.session.is_dirty(),
            display_name: self.session.display_name(),
            path: self.session.path().map(Path::to_path_buf),
            status: &self.status,
            prefs: &self.prefs,
            undo_label: self.session.history().undo_label(),
            redo_label: self.session.history().redo_label(),
            dialog_open: self.dialog.is_some(),
            modal_open: self.modal.is_some(),
        };
        let mut actions: Vec<Action> = shortcuts
            .into_iter()
            .filter_map(|id| id.action(&chrome))
            .collect();
        actions.extend(dropped_file);
        let cx = ui::Cx {
            project: self.session.project(),
            matrix: &matrix,
            results: &results,
            revision: self.session.revision(),
            chrome: &chrome,
        };
        ui::app_ui(ui, &cx, &mut self.view, self.modal.as_mut(), &mut actions);
        self.handle(actions);

        let focused = ctx.input(|i| i.focused);
        let focus_lost = self.was_focused && !focused;
        self.was_focused = focused;
        if let Some(after) = self.recovery.tick(&self.session, focus_lost) {
            ctx.request_repaint_after(after);
        }
    }
}

impl eframe::App for App {
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A clean exit leaves no recovery copy; unsaved work that the user did not
        // discard stays recoverable.
        if !self.session.is_dirty() {
            self.recovery.forget();
        }
        self.recovery.flush();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.session.is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.modal = Some(Modal::Unsaved {
                then: Guarded::Quit,
            });
        }
        self.ui_root(ui);
        if self.quit_requested {
            self.quit_requested = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}
