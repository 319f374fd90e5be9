//! Atomic file replacement: write a temporary file in the same folder, flush it to
//! disk, rename it over the target, then flush the folder. A failure at any point
//! leaves the old file as it was. Project saves also keep the previous version as
//! `NAME.json.bak`, made by hard link (or copy) before the rename, so there is never a
//! moment without a complete file.

use std::cell::Cell;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Points where a test can make a write fail, to check that nothing is lost.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Fault {
    None = 0,
    /// Creating the temporary file fails (permission, path gone).
    CreateTemp = 1,
    /// Writing the bytes fails half-way (disk full).
    Write = 2,
    /// Renaming over the target fails.
    Rename = 3,
    /// Making the backup fails.
    Backup = 4,
}

thread_local! {
    static FAULT: Cell<u8> = const { Cell::new(0) };
}

/// Makes the next writes on this thread fail at `fault` (tests only).
#[doc(hidden)]
pub fn inject_fault(fault: Fault) {
    FAULT.with(|c| c.set(fault as u8));
}

fn fault(f: Fault) -> io::Result<()> {
    if FAULT.with(Cell::get) == f as u8 {
        let msg = match f {
            Fault::Write => "No space left on device (injected)",
            _ => "Permission denied (injected)",
        };
        return Err(io::Error::other(msg));
    }
    Ok(())
}

/// Resolves symlinks so that saving through a link writes its target and keeps the link.
fn real_target(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// The backup kept beside a project: `NAME.json` → `NAME.json.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Replaces `path` with `bytes` atomically, keeping the old file's permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write(path, bytes, false)
}

/// Like `write_atomic`, and first keeps the current file as `NAME.bak`.
pub fn write_atomic_with_backup(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write(path, bytes, true)
}

fn write(path: &Path, bytes: &[u8], backup: bool) -> io::Result<()> {
    let target = real_target(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    if target.is_dir() {
        return Err(io::Error::other("this path is a folder, not a file"));
    }
    let old_perms = fs::metadata(&target).ok().map(|m| m.permissions());
    fault(Fault::CreateTemp)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".pw-save-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    fault(Fault::Write)?;
    tmp.write_all(bytes)?;
    tmp.flush()?;
    tmp.as_file().sync_all()?;
    match old_perms {
        Some(p) => fs::set_permissions(tmp.path(), p)?,
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o644))?;
            }
        }
    }
    if backup && target.is_file() {
        fault(Fault::Backup)?;
        let bak = backup_path(&target);
        let fresh = dir.join(format!(".pw-bak-{}.tmp", std::process::id()));
        let _ = fs::remove_file(&fresh);
        // Link (or copy) to a fresh name, then rename over the old backup: the old
        // backup stays until the new one is complete.
        if fs::hard_link(&target, &fresh).is_err() {
            fs::copy(&target, &fresh)?;
        }
        fs::rename(&fresh, &bak)?;
    }
    remove_stale_temporaries(&dir);
    fault(Fault::Rename)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    sync_dir(&dir);
    Ok(())
}

/// Temporary files of saves that were killed half-way stay behind; remove those older
/// than ten minutes (a save in progress elsewhere is never that old).
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let limit = std::time::Duration::from_secs(600);
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let ours = (name.starts_with(".pw-save-") || name.starts_with(".pw-bak-"))
            && name.ends_with(".tmp");
        if !ours {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > limit);
        if old {
            let _ = fs::remove_file(e.path());
        }
    }
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o664)).unwrap();
        }
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o664
            );
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn backup_keeps_the_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic_with_backup(&p, b"one").unwrap();
        assert!(
            !backup_path(&p).exists(),
            "nothing to back up the first time"
        );
        write_atomic_with_backup(&p, b"two").unwrap();
        assert_eq!(fs::read_to_string(backup_path(&p)).unwrap(), "one");
        write_atomic_with_backup(&p, b"three").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "three");
        assert_eq!(fs::read_to_string(backup_path(&p)).unwrap(), "two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn missing_folder_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope").join("a.json");
        assert!(write_atomic(&p, b"x").is_err());
    }

    /// Every injected fault (the switch is per thread).
    #[test]
    fn every_failure_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        fs::write(&p, "old").unwrap();
        for f in [
            Fault::CreateTemp,
            Fault::Write,
            Fault::Backup,
            Fault::Rename,
        ] {
            inject_fault(f);
            let r = write_atomic_with_backup(&p, b"new");
            inject_fault(Fault::None);
            assert!(r.is_err(), "{f:?} fails the save");
            assert_eq!(
                fs::read_to_string(&p).unwrap(),
                "old",
                "{f:?} keeps the old file"
            );
            let names: Vec<String> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert!(
                names.iter().all(|n| !n.ends_with(".tmp")),
                "{f:?}: {names:?}"
            );
        }
    }
}
