//! A lock file beside an open project (`.NAME.json.lock`) says who has it open, so a
//! second window or a colleague on a shared folder is warned. It is advice, not a
//! guarantee: the app also checks the file on disk before saving over it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Who holds a lock.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct LockInfo {
    pub user: String,
    pub host: String,
    pub pid: u32,
    /// Seconds since the Unix epoch when the project was opened.
    pub since: u64,
}

impl LockInfo {
    pub fn mine() -> LockInfo {
        LockInfo {
            user: std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_else(|_| "someone".into()),
            host: hostname(),
            pid: std::process::id(),
            since: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }

    /// "ana on laptop-3 (process 1234)".
    pub fn describe(&self) -> String {
        format!("{} on {} (process {})", self.user, self.host, self.pid)
    }

    /// False when the holder is a process on this machine that no longer runs.
    fn alive(&self) -> bool {
        if self.host != hostname() {
            return true;
        }
        if self.pid == std::process::id() {
            return true;
        }
        let proc = Path::new("/proc");
        if proc.is_dir() {
            proc.join(self.pid.to_string()).exists()
        } else {
            true
        }
    }
}

fn hostname() -> String {
    fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "this computer".into())
}

/// `dir/NAME.json` → `dir/.NAME.json.lock`.
pub fn lock_path(project: &Path) -> PathBuf {
    let name = project
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    project.with_file_name(format!(".{name}.lock"))
}

/// A lock this process holds; dropping it removes the lock file.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Only remove it if it is still ours.
        if read(&self.path).is_some_and(|i| i.pid == std::process::id() && i.host == hostname()) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn read(path: &Path) -> Option<LockInfo> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// The outcome of trying to lock a project.
#[derive(Debug)]
pub enum Acquired {
    /// We hold it now.
    Mine(Lock),
    /// Somebody else seems to have it open; we hold nothing.
    Held(LockInfo),
    /// The folder does not let us write a lock (read-only share): carry on without.
    Unavailable,
}

/// Takes the lock of `project`, unless a live holder has it. A stale lock (a process on
/// this machine that is gone) is taken over.
pub fn acquire(project: &Path) -> Acquired {
    let path = lock_path(project);
    if let Some(info) = read(&path)
        && info.alive()
        && !(info.pid == std::process::id() && info.host == hostname())
    {
        return Acquired::Held(info);
    }
    let me = LockInfo::mine();
    let text = serde_json::to_string(&me).unwrap_or_default();
    match fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes())) {
        Ok(()) => Acquired::Mine(Lock { path }),
        Err(_) => Acquired::Unavailable,
    }
}

/// Takes the lock even if somebody holds it (after the user chose to go on).
pub fn take_over(project: &Path) -> Option<Lock> {
    let path = lock_path(project);
    let text = serde_json::to_string(&LockInfo::mine()).ok()?;
    fs::write(&path, text).ok()?;
    Some(Lock { path })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_taken_reported_and_released() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.json");
        let lock = match acquire(&p) {
            Acquired::Mine(l) => l,
            other => panic!("{other:?}"),
        };
        assert!(lock_path(&p).exists());
        // Another holder, alive (another host): reported.
        let other = LockInfo {
            user: "ana".into(),
            host: "another-host".into(),
            pid: 1,
            since: 0,
        };
        drop(lock);
        assert!(!lock_path(&p).exists(), "dropping releases");
        fs::write(lock_path(&p), serde_json::to_string(&other).unwrap()).unwrap();
        match acquire(&p) {
            Acquired::Held(i) => assert_eq!(i.user, "ana"),
            other => panic!("{other:?}"),
        }
        // Dropping our (taken-over) lock removes it; a lock that is not ours stays.
        let mine = take_over(&p).unwrap();
        drop(mine);
        assert!(!lock_path(&p).exists());
    }

    #[test]
    fn stale_lock_of_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.json");
        let stale = LockInfo {
            user: "me".into(),
            host: hostname(),
            pid: u32::MAX - 7,
            since: 0,
        };
        fs::write(lock_path(&p), serde_json::to_string(&stale).unwrap()).unwrap();
        assert!(matches!(acquire(&p), Acquired::Mine(_)));
    }
}
