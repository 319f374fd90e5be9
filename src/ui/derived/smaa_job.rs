//! The rank-acceptability (SMAA-2) run on a named worker thread: it owns a copy of the
//! framework and the effective matrix, reports progress through an atomic counter and
//! stops when its cancel flag is set. The view polls it each frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::compute::smaa::{self, Smaa, SmaaError, SmaaOptions};
use crate::compute::{Matrix, Selection};
use crate::model::Framework;

/// What a run was started for: the revision and the selection.
pub type SmaaKey = (u64, Selection);

struct Running {
    rx: Receiver<Result<Smaa, SmaaError>>,
    cancel: Arc<AtomicBool>,
    progress: Arc<AtomicU64>,
    total: u64,
    key: SmaaKey,
}

impl Drop for Running {
    /// A run nobody waits for any more (another project opened) stops early.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::SeqCst);
    }
}

/// A run in progress, as the view shows it.
pub struct SmaaProgress {
    /// Done, 0–1.
    pub done: f32,
}

/// The SMAA run (at most one at a time) and the last finished result with its key.
#[derive(Default)]
pub struct SmaaJob {
    running: Option<Running>,
    result: Option<(SmaaKey, Result<Smaa, SmaaError>)>,
    /// The last key `ensure` started a run for (so a cancelled or failed run is not
    /// started again by itself).
    auto_for: Option<SmaaKey>,
}

impl SmaaJob {
    /// The last results, if they were computed for this revision and selection.
    pub fn current(&self, revision: u64, sel: &Selection) -> Option<&Smaa> {
        match &self.result {
            Some(((rev, s), Ok(r))) if *rev == revision && s == sel => Some(r),
            _ => None,
        }
    }

    /// The last finished run, whatever it was computed for.
    pub fn last(&self) -> Option<&(SmaaKey, Result<Smaa, SmaaError>)> {
        self.result.as_ref()
    }

    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// How far the run in progress is.
    pub fn progress(&self) -> Option<SmaaProgress> {
        self.running.as_ref().map(|r| SmaaProgress {
            done: (r.progress.load(Ordering::Relaxed) as f32 / r.total.max(1) as f32).min(1.0),
        })
    }

    /// Asks the run in progress to stop.
    pub fn cancel(&self) {
        if let Some(r) = &self.running {
            r.cancel.store(true, Ordering::SeqCst);
        }
    }

    /// Starts a run for `key` unless one is running, the last result is for `key`, or a
    /// run for `key` was already started this way (the results view keeps rank
    /// acceptability up to date by itself; a cancelled run stays cancelled).
    pub fn ensure(&mut self, fw: &Framework, matrix: &Matrix, opts: SmaaOptions, key: SmaaKey) {
        let fresh = self.result.as_ref().is_some_and(|(k, _)| *k == key);
        if self.running.is_some() || fresh || self.auto_for.as_ref() == Some(&key) {
            return;
        }
        self.auto_for = Some(key.clone());
        self.start(fw, matrix, opts, key);
    }

    /// Starts a run on a worker thread with its own copy of the inputs.
    pub fn start(&mut self, fw: &Framework, matrix: &Matrix, opts: SmaaOptions, key: SmaaKey) {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(AtomicU64::new(0));
        let fw = fw.clone();
        let matrix = matrix.clone();
        let (c, p) = (cancel.clone(), progress.clone());
        let total = opts.work();
        // If the thread cannot start, `tx` is dropped and `poll` ends the run.
        let _ = std::thread::Builder::new()
            .name("smaa".into())
            .spawn(move || {
                let r = smaa::smaa_with_progress(&fw, &matrix, &opts, &c, &p);
                let _ = tx.send(r);
            });
        self.running = Some(Running {
            rx,
            cancel,
            progress,
            total,
            key,
        });
    }

    /// Collects a finished run; true while one is running.
    pub fn poll(&mut self) -> bool {
        let Some(job) = &self.running else {
            return false;
        };
        match job.rx.try_recv() {
            Ok(r) => {
                let key = job.key.clone();
                self.running = None;
                if !matches!(r, Err(SmaaError::Cancelled)) {
                    self.result = Some((key, r));
                }
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => {
                self.running = None;
                false
            }
        }
    }
}
