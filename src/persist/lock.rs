//! A lock file beside an open project (`.NAME.json.lock`) says who has it open, so a
//! second window or a colleague on a shared folder is warned. It is advice, not a
//! guarantee: the app also checks the file on disk before saving over it.
//!
//! Liveness comes from the operating system, on Windows, macOS and Linux alike: the
//! holder keeps an exclusive advisory lock (`File::try_lock`) on the lock file while the
//! project is open, and the system releases it when the process ends, even in a crash.
//! A lock file that nobody holds is stale and is taken over.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
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

    /// What we say when the holder cannot be read (a system that keeps locked files
    /// unreadable to others).
    fn unknown() -> LockInfo {
        LockInfo {
            user: "someone".into(),
            host: "another session".into(),
            pid: 0,
            since: 0,
        }
    }

    /// "ana on laptop-3 (process 1234)".
    pub fn describe(&self) -> String {
        if self.pid == 0 {
            return format!("{} in {}", self.user, self.host);
        }
        format!("{} on {} (process {})", self.user, self.host, self.pid)
    }
}

/// This computer's name, for the lock's description.
pub fn hostname() -> String {
    system_hostname()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "this computer".into())
}

#[cfg(unix)]
fn system_hostname() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that much.
    let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if r != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Some(String::from_utf8_lossy(&buf[..end]).into_owned())
}

#[cfg(not(unix))]
fn system_hostname() -> Option<String> {
    None
}

/// `dir/NAME.json` → `dir/.NAME.json.lock`.
pub fn lock_path(project: &Path) -> PathBuf {
    let name = project
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    project.with_file_name(format!(".{name}.lock"))
}

/// A lock this process holds; dropping it releases the lock and removes the file.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    /// The handle that holds the system lock; None after a take-over (we went on
    /// beside a live holder and hold nothing).
    file: Option<File>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            let _ = fs::remove_file(&self.path);
            let _ = file.unlock();
        }
    }
}

/// The outcome of trying to lock a project.
#[derive(Debug)]
pub enum Acquired {
    /// We hold it now.
    Mine(Lock),
    /// Somebody else has it open; we hold nothing.
    Held(LockInfo),
    /// The folder does not let us write a lock (read-only share): carry on without.
    Unavailable,
}

fn read_info(file: &mut File) -> Option<LockInfo> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(4096).read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

/// Takes the lock of `project`, unless a live holder has it. A lock file that no running
/// process holds (left by a crash, or by an older version) is taken over.
pub fn acquire(project: &Path) -> Acquired {
    let path = lock_path(project);
    let Ok(mut file) = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    else {
        return Acquired::Unavailable;
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Acquired::Held(read_info(&mut file).unwrap_or_else(LockInfo::unknown));
        }
        Err(TryLockError::Error(_)) => return Acquired::Unavailable,
    }
    let text = serde_json::to_string(&LockInfo::mine()).unwrap_or_default();
    let written = file
        .set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| file.write_all(text.as_bytes()))
        .and_then(|()| file.flush());
    match written {
        Ok(()) => Acquired::Mine(Lock {
            path,
            file: Some(file),
        }),
        Err(_) => Acquired::Unavailable,
    }
}

/// Who holds the lock of `project` now, if a live process other than this handle does.
pub fn holder(project: &Path) -> Option<LockInfo> {
    let mut file = File::open(lock_path(project)).ok()?;
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(TryLockError::WouldBlock) => {
            Some(read_info(&mut file).unwrap_or_else(LockInfo::unknown))
        }
        Err(TryLockError::Error(_)) => None,
    }
}

/// Goes on beside a live holder (after the user chose to): we hold nothing, and the
/// holder's lock file stays as it is.
pub fn take_over(project: &Path) -> Option<Lock> {
    Some(Lock {
        path: lock_path(project),
        file: None,
    })
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
        // A second opener (another handle, as another process would be) is told who.
        match acquire(&p) {
            Acquired::Held(i) => {
                assert_eq!(i.pid, std::process::id());
                assert_eq!(i.host, hostname());
            }
            other => panic!("{other:?}"),
        }
        assert!(holder(&p).is_some());
        // Going on beside the holder leaves its lock alone.
        drop(take_over(&p));
        assert!(lock_path(&p).exists());
        drop(lock);
        assert!(!lock_path(&p).exists(), "dropping releases");
        assert!(holder(&p).is_none());
    }

    #[test]
    fn a_lock_file_nobody_holds_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.json");
        // Left by a crashed process (or an older version): a file, but no system lock.
        let stale = LockInfo {
            user: "me".into(),
            host: hostname(),
            pid: u32::MAX - 7,
            since: 0,
        };
        fs::write(lock_path(&p), serde_json::to_string(&stale).unwrap()).unwrap();
        assert!(holder(&p).is_none());
        let Acquired::Mine(lock) = acquire(&p) else {
            panic!("a stale lock is taken over")
        };
        let text = fs::read_to_string(lock_path(&p)).unwrap();
        assert!(
            text.contains(&format!("\"pid\":{}", std::process::id())),
            "{text}"
        );
        drop(lock);
    }
}
