//! Autosave for crash recovery: a few seconds after the user stops editing (and when
//! the window loses focus), the open project is snapshotted into the data folder's
//! `recovery/`. A clean save or exit removes the snapshot; after a crash or kill the
//! next start offers Restore / Compare / Discard. Recovery never writes the user's file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::persist;
use crate::session::Session;
use crate::ui::modal_state::RecoverOffer;

/// How long after the last edit a snapshot is written.
pub const DELAY: Duration = Duration::from_secs(3);

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SnapshotMeta {
    pub pid: u32,
    pub host: String,
    /// Seconds since the Unix epoch.
    pub saved_at: u64,
    pub title: String,
    /// The file the work belongs to, if it had been saved before.
    pub origin: Option<PathBuf>,
}

/// A snapshot left by a session that did not end cleanly.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub file: PathBuf,
    pub meta: SnapshotMeta,
}

impl Snapshot {
    /// Removes the snapshot and its description.
    pub fn discard(&self) {
        discard(&self.file);
    }

    /// How the Recover modal shows it.
    pub fn offer(&self) -> RecoverOffer {
        RecoverOffer {
            file: self.file.clone(),
            title: self.meta.title.clone(),
            origin: self.meta.origin.clone(),
            saved_at: self.meta.saved_at,
        }
    }
}

/// Removes a snapshot file and its description.
pub fn discard(file: &Path) {
    let _ = std::fs::remove_file(file);
    let _ = std::fs::remove_file(file.with_extension("meta.json"));
    let _ = std::fs::remove_file(persist::lock::lock_path(file));
}

/// Seconds since the Unix epoch (what `RecoverOffer::describe` measures age from).
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

pub struct Recovery {
    dir: PathBuf,
    id: String,
    /// The revision last written, and the revision seen on the last tick.
    written: Option<u64>,
    seen: Option<u64>,
    changed_at: Instant,
    writing: Arc<AtomicBool>,
    /// Held while this session lives, beside its snapshot: the system releases it when
    /// the process ends, which is how the next start tells an orphan from a live session.
    alive: Option<persist::lock::Lock>,
}

impl Recovery {
    pub fn new(data_dir: &Path) -> Recovery {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Recovery {
            dir: data_dir.join("recovery"),
            id: format!("session-{}-{nanos}", std::process::id()),
            written: None,
            seen: None,
            changed_at: Instant::now(),
            writing: Arc::new(AtomicBool::new(false)),
            alive: None,
        }
    }

    fn own_file(&self) -> PathBuf {
        self.dir.join(format!("{}.json", self.id))
    }

    /// Called every frame. Writes a snapshot when the project has unsaved changes that
    /// have rested for `DELAY` (or the window lost focus). Returns when to look again.
    pub fn tick(&mut self, session: &Session, focus_lost: bool) -> Option<Duration> {
        let rev = session.revision();
        if self.seen != Some(rev) {
            self.seen = Some(rev);
            self.changed_at = Instant::now();
        }
        if !session.is_dirty() || self.written == Some(rev) {
            return None;
        }
        let rested = self.changed_at.elapsed();
        if rested >= DELAY || focus_lost {
            if self.writing.load(Ordering::SeqCst) {
                return Some(Duration::from_millis(250));
            }
            self.write(session);
            None
        } else {
            Some(DELAY - rested)
        }
    }

    /// Writes a snapshot now (on a worker thread: a large project takes a while to
    /// serialise). Failures are silent: recovery is a safety net, not a save.
    pub fn write(&mut self, session: &Session) {
        self.written = Some(session.revision());
        let project = session.project().clone();
        let meta = SnapshotMeta {
            pid: std::process::id(),
            host: persist::lock::LockInfo::mine().host,
            saved_at: now_secs(),
            title: project.info.title.clone(),
            origin: session.path().map(Path::to_path_buf),
        };
        let file = self.own_file();
        let dir = self.dir.clone();
        if self.alive.is_none() {
            let _ = std::fs::create_dir_all(&dir);
            if let persist::lock::Acquired::Mine(l) = persist::lock::acquire(&file) {
                self.alive = Some(l);
            }
        }
        let busy = self.writing.clone();
        busy.store(true, Ordering::SeqCst);
        let spawned = std::thread::Builder::new()
            .name("recovery-snapshot".into())
            .spawn(move || {
                let _ = std::fs::create_dir_all(&dir);
                let text = persist::to_canonical_string(&project);
                if persist::atomic::write_atomic(&file, text.as_bytes()).is_ok()
                    && let Ok(m) = serde_json::to_string_pretty(&meta)
                {
                    let _ = persist::atomic::write_atomic(
                        &file.with_extension("meta.json"),
                        m.as_bytes(),
                    );
                }
                busy.store(false, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread, no snapshot this time: do not leave `flush` waiting.
            self.writing.store(false, Ordering::SeqCst);
        }
    }

    /// Waits until a snapshot being written is on disk (tests, exit).
    pub fn flush(&self) {
        while self.writing.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Removes this session's snapshot (after a clean save, a discard, or exit).
    pub fn forget(&mut self) {
        self.flush();
        let f = self.own_file();
        let _ = std::fs::remove_file(&f);
        let _ = std::fs::remove_file(f.with_extension("meta.json"));
        self.written = None;
    }

    /// Snapshots left by sessions that are no longer running, newest first.
    pub fn orphans(&self) -> Vec<Snapshot> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<Snapshot> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".meta.json"))
            .filter_map(|meta_path| {
                let meta: SnapshotMeta =
                    serde_json::from_str(&std::fs::read_to_string(&meta_path).ok()?).ok()?;
                let name = meta_path
                    .file_name()?
                    .to_string_lossy()
                    .replace(".meta.json", ".json");
                let file = meta_path.with_file_name(name);
                let alive = persist::lock::holder(&file).is_some();
                (file.exists() && !alive && file != self.own_file())
                    .then_some(Snapshot { file, meta })
            })
            .collect();
        out.sort_by_key(|s| std::cmp::Reverse(s.meta.saved_at));
        out
    }
}
