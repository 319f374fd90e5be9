//! Native file dialogs (rfd) on a worker thread, so a dialog service that never answers
//! cannot freeze the window. When no dialog service exists (rfd returns at once with
//! nothing), the app falls back to a path prompt inside the window.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Open,
    SaveAs,
}

pub enum Outcome {
    Chosen(Purpose, PathBuf),
    /// The user cancelled (the dialog was open for a while).
    Cancelled,
    /// Nothing came back at once: probably no dialog service; ask for a path instead.
    Unavailable(Purpose),
}

pub struct PendingDialog {
    purpose: Purpose,
    started: Instant,
    rx: Receiver<Option<PathBuf>>,
}

/// Faster than this, a "no file" answer means no dialog was shown at all.
const INSTANT: Duration = Duration::from_millis(400);

impl PendingDialog {
    pub fn spawn(
        purpose: Purpose,
        start_dir: Option<PathBuf>,
        suggested_name: String,
    ) -> PendingDialog {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut d = rfd::FileDialog::new().add_filter("Policy Workbench project", &["json"]);
            if let Some(dir) = start_dir {
                d = d.set_directory(dir);
            }
            let r = match purpose {
                Purpose::Open => d.pick_file(),
                Purpose::SaveAs => d.set_file_name(suggested_name).save_file(),
            };
            let _ = tx.send(r);
        });
        PendingDialog {
            purpose,
            started: Instant::now(),
            rx,
        }
    }

    /// Polls the worker; Some when it answered.
    pub fn poll(&self) -> Option<Outcome> {
        match self.rx.try_recv() {
            Ok(Some(p)) => Some(Outcome::Chosen(self.purpose, p)),
            Ok(None) if self.started.elapsed() < INSTANT => {
                Some(Outcome::Unavailable(self.purpose))
            }
            Ok(None) => Some(Outcome::Cancelled),
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Some(Outcome::Unavailable(self.purpose))
            }
        }
    }
}
