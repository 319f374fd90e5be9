//! Native file dialogs (rfd) on a worker thread, so a dialog service that never answers
//! cannot freeze the window. When no dialog service exists (rfd returns at once with
//! nothing), the app falls back to a path prompt inside the window.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Which native dialog to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    OpenFile,
    OpenFiles,
    SaveFile,
    PickFolder,
}

pub enum Outcome {
    /// One path, or several for `OpenFiles`.
    Chosen(Vec<PathBuf>),
    /// The user cancelled (the dialog was open for a while).
    Cancelled,
    /// Nothing came back at once: probably no dialog service; ask for a path instead.
    Unavailable,
}

pub struct PendingDialog {
    started: Instant,
    rx: Receiver<Option<Vec<PathBuf>>>,
}

/// Faster than this, a "no file" answer means no dialog was shown at all.
const INSTANT: Duration = Duration::from_millis(400);

impl PendingDialog {
    pub fn spawn(
        kind: DialogKind,
        start_dir: Option<PathBuf>,
        suggested_name: String,
        filter: (&'static str, &'static str),
    ) -> PendingDialog {
        let (tx, rx) = channel();
        // If the thread cannot start, `tx` is dropped and `poll` reports no dialog.
        let _ = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let mut d = rfd::FileDialog::new();
                if kind != DialogKind::PickFolder {
                    d = d.add_filter(filter.0, &[filter.1]);
                }
                if let Some(dir) = start_dir {
                    d = d.set_directory(dir);
                }
                let r = match kind {
                    DialogKind::OpenFile => d.pick_file().map(|p| vec![p]),
                    DialogKind::OpenFiles => d.pick_files(),
                    DialogKind::SaveFile => {
                        d.set_file_name(suggested_name).save_file().map(|p| vec![p])
                    }
                    DialogKind::PickFolder => d.pick_folder().map(|p| vec![p]),
                };
                let _ = tx.send(r);
            });
        PendingDialog {
            started: Instant::now(),
            rx,
        }
    }

    /// Polls the worker; Some when it answered.
    pub fn poll(&self) -> Option<Outcome> {
        match self.rx.try_recv() {
            Ok(Some(p)) if !p.is_empty() => Some(Outcome::Chosen(p)),
            Ok(Some(_)) => Some(Outcome::Cancelled),
            Ok(None) if self.started.elapsed() < INSTANT => Some(Outcome::Unavailable),
            Ok(None) => Some(Outcome::Cancelled),
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(Outcome::Unavailable),
        }
    }
}

/// A path made absolute for messages (so the user knows where a file went).
pub(super) fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The file filter of project dialogs.
pub(super) const PROJECT_FILTER: (&str, &str) = ("Policy Workbench project", "json");
