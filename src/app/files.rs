//! Opening and saving projects: the session swap, the lock beside the file, recent
//! files, Save / Save as, and the unsaved-changes guard before New, Open and Quit.

use std::path::{Path, PathBuf};

use super::dialogs::{DialogKind, PROJECT_FILTER, PendingDialog};
use super::recovery;
use super::state::App;
use crate::session::{Origin, SaveProblem, Session};
use crate::ui::modal_state::{Guarded, Modal, PathPurpose};

/// Files this large (bytes) are opened on a worker thread.
pub const BACKGROUND_BYTES: u64 = 4 * 1024 * 1024;

impl App {
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

    pub(super) fn open_start(&mut self, file: Option<&Path>) {
        match file {
            Some(p) => self.open_path(p),
            None => {
                self.set_session(Session::sample());
                self.status = "Opened the bundled sample (an untitled copy)".into();
            }
        }
    }

    pub(super) fn set_session(&mut self, session: Session) {
        self.session = session;
        self.view.reset_for(self.session.project());
        self.lock = None;
        self.recovery.forget();
        if let Some(p) = self.session.path().map(Path::to_path_buf) {
            self.lock_file(&p);
        }
    }

    /// Takes the lock beside `path`; warns when someone else has the file open.
    pub(super) fn lock_file(&mut self, path: &Path) {
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

    /// Opens a file; on failure shows every problem and keeps the current project. A
    /// file of `BACKGROUND_BYTES` or more is read on a worker thread: the window stays
    /// responsive and the open project usable until the new one is ready
    /// (`poll_loading`).
    pub fn open_path(&mut self, path: &Path) {
        let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        if bytes >= BACKGROUND_BYTES {
            let (tx, rx) = std::sync::mpsc::channel();
            let owned = path.to_path_buf();
            std::thread::spawn(move || {
                let _ = tx.send(Session::open(&owned));
            });
            self.status = format!("Opening {}…", path.display());
            self.loading = Some(super::state::LoadJob {
                path: path.to_path_buf(),
                bytes,
                started: std::time::Instant::now(),
                revision: self.session.revision(),
                rx,
            });
            return;
        }
        let opened = Session::open(path);
        self.opened(path, opened);
    }

    /// Takes the result of a background open when it is ready. Returns true while a
    /// file is still being read (the caller keeps repainting).
    pub(super) fn poll_loading(&mut self) -> bool {
        let Some(job) = &self.loading else {
            return false;
        };
        match job.rx.try_recv() {
            Ok(opened) => {
                let path = job.path.clone();
                let edited = self.session.revision() != job.revision && self.session.is_dirty();
                self.loading = None;
                if edited && opened.is_ok() {
                    // Never replace work done while the file was being read.
                    self.status = format!(
                        "{} was read, but the open project was changed meanwhile and is kept: save it, then open the file again",
                        path.display()
                    );
                } else {
                    self.opened(&path, opened);
                }
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                let path = job.path.clone();
                self.loading = None;
                self.status = format!("Could not open {}: the reading stopped", path.display());
                false
            }
        }
    }

    /// What the status bar says while a file is read in the background.
    pub fn loading_line(&self) -> Option<String> {
        self.loading.as_ref().map(|j| {
            format!(
                "Opening {} ({:.0} MB, {} s)…",
                j.path.display(),
                j.bytes as f64 / 1_048_576.0,
                j.started.elapsed().as_secs()
            )
        })
    }

    /// Installs an opened session, or shows why it could not be opened.
    fn opened(&mut self, path: &Path, opened: Result<Session, crate::persist::LoadError>) {
        match opened {
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

    pub(super) fn save_prefs(&mut self) {
        if let Err(e) = self.prefs.save(&self.data_dir) {
            self.status = format!("Could not save preferences: {e}");
        }
    }

    /// Saves to `path`; on failure tells the user and keeps the project unsaved.
    pub fn save_to(&mut self, path: &Path) -> bool {
        self.save_to_checked(path, false)
    }

    pub(super) fn save_to_checked(&mut self, path: &Path, overwrite: bool) -> bool {
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
    pub(super) fn save(&mut self) -> bool {
        match self.session.path().map(Path::to_path_buf) {
            Some(p) => self.save_to(&p),
            None => {
                self.save_as();
                false
            }
        }
    }

    pub(super) fn suggested_name(&self) -> String {
        match &self.session.origin {
            Origin::File(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "project.json".into()),
            Origin::Untitled { suggested_name } => suggested_name.clone(),
        }
    }

    pub(super) fn save_as(&mut self) {
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
    pub(super) fn start_dir(&self) -> Option<PathBuf> {
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
    pub(super) fn guarded(&mut self, g: Guarded) {
        if self.session.is_dirty() {
            self.modal = Some(Modal::Unsaved { then: g });
        } else {
            self.run_guarded(g);
        }
    }

    pub(super) fn run_guarded(&mut self, g: Guarded) {
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
}
