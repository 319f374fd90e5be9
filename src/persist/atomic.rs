//! Atomic file replacement: write a temporary file in the same folder, flush it to
//! disk, rename it over the target, then flush the folder. A failure at any point
//! leaves the old file as it was. Project saves also keep the previous version as
//! `NAME.json.bak`, made by hard link (or copy) before the rename, so there is never a
//! moment without a complete file.
//!
//! What is never written over, with a message that says why: a symbolic link (it is
//! not followed — write to its target), a folder, a device, a named pipe or a socket, a
//! read-only file, a file with other hard links (replacing it would split them), and a
//! file whose owner cannot be kept (Unix: the new file gets the old owner and group).

use std::cell::Cell;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[cfg(all(test, unix))]
use std::os::unix::fs::FileTypeExt;

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

fn refuse(why: String) -> io::Error {
    io::Error::other(format!("{why}; nothing was written"))
}

/// What is at `path` now, if anything, when it may be replaced; an error says why not.
fn replaceable(path: &Path, allow_read_only: bool) -> io::Result<Option<fs::Metadata>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if meta.file_type().is_symlink() {
        let to = fs::read_link(path).map(|t| t.display().to_string());
        return Err(refuse(format!(
            "this path is a symbolic link (to {}), which is not followed: write to the file it points to",
            to.unwrap_or_else(|_| "somewhere".into())
        )));
    }
    if !meta.is_file() {
        return Err(refuse(format!(
            "this path is {}, not a regular file",
            super::input::kind_of(&meta)
        )));
    }
    if meta.permissions().readonly() && !allow_read_only {
        return Err(refuse(
            "the file is read-only: make it writable first, or add --force, if it should change"
                .into(),
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let links = meta.nlink().saturating_sub(own_links(path, &meta));
        if links > 1 {
            return Err(refuse(format!(
                "the file has {links} hard links, and replacing it would split them"
            )));
        }
    }
    Ok(Some(meta))
}

/// The hard links to `path` that a save of ours made: its `.bak` when a killed save left
/// it on the same file, and backup temporaries of killed saves (removed here).
#[cfg(unix)]
fn own_links(path: &Path, meta: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let same = |m: &fs::Metadata| (m.dev(), m.ino()) == (meta.dev(), meta.ino());
    let mut n = 0;
    if fs::symlink_metadata(backup_path(path)).is_ok_and(|m| same(&m)) {
        n += 1;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".pw-bak-")
            && name.ends_with(".tmp")
            && fs::symlink_metadata(e.path()).is_ok_and(|m| same(&m))
            && fs::remove_file(e.path()).is_ok()
        {
            n += 1;
        }
    }
    n
}

/// Gives the new file the old one's owner and group (Unix), or refuses.
#[cfg(unix)]
fn keep_owner(tmp: &fs::File, old: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let now = tmp.metadata()?;
    if (now.uid(), now.gid()) == (old.uid(), old.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(tmp, Some(old.uid()), Some(old.gid())).map_err(|e| {
        refuse(format!(
            "the file belongs to user {} and its owner could not be kept ({e})",
            old.uid()
        ))
    })
}

#[cfg(not(unix))]
fn keep_owner(_tmp: &fs::File, _old: &fs::Metadata) -> io::Result<()> {
    Ok(())
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

/// Like `write_atomic` (with a backup when `backup`), over a read-only file too (the
/// user said `--force`); the new file keeps the old one's permissions, so it stays
/// read-only.
pub fn write_atomic_forced(path: &Path, bytes: &[u8], backup: bool) -> io::Result<()> {
    write_with(path, bytes, backup, true)
}

fn write(path: &Path, bytes: &[u8], backup: bool) -> io::Result<()> {
    write_with(path, bytes, backup, false)
}

fn write_with(path: &Path, bytes: &[u8], backup: bool, allow_read_only: bool) -> io::Result<()> {
    let write = |w: &mut dyn Write| w.write_all(bytes);
    match replace(
        path,
        backup,
        allow_read_only,
        write,
        None::<fn(&[u8]) -> Result<(), String>>,
    ) {
        Ok(_) => Ok(()),
        Err(CheckedError::Io(e)) => Err(e),
        Err(CheckedError::Refused(why)) => Err(io::Error::other(why)),
    }
}

/// Why `write_checked` wrote nothing over the target.
#[derive(Debug)]
pub enum CheckedError {
    Io(io::Error),
    /// The check of the bytes read back refused them.
    Refused(String),
}

impl From<io::Error> for CheckedError {
    fn from(e: io::Error) -> Self {
        CheckedError::Io(e)
    }
}

/// Replaces `path` atomically with what `write` streams (buffered) into a temporary
/// file in the same folder: once it is on disk, its bytes are read back and given to
/// `check`, and only when `check` accepts them is the temporary file renamed over the
/// target (after the backup, when `backup`). Returns what `check` returned. On any
/// failure the temporary file is removed and the target is untouched.
pub fn write_checked<T>(
    path: &Path,
    backup: bool,
    allow_read_only: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    check: impl FnOnce(&[u8]) -> Result<T, String>,
) -> Result<T, CheckedError> {
    replace(path, backup, allow_read_only, write, Some(check)).map(|t| t.expect("checked"))
}

/// `write_checked`, or without the read-back when `check` is None.
fn replace<T>(
    path: &Path,
    backup: bool,
    allow_read_only: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    check: Option<impl FnOnce(&[u8]) -> Result<T, String>>,
) -> Result<Option<T>, CheckedError> {
    let target = path.to_path_buf();
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        )
        .into());
    }
    let old = replaceable(&target, allow_read_only)?;
    let old_perms = old.as_ref().map(|m| m.permissions());
    fault(Fault::CreateTemp)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".pw-save-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    fault(Fault::Write)?;
    {
        let mut out = io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    tmp.as_file().sync_all()?;
    let checked = match check {
        Some(check) => {
            let written = fs::read(tmp.path())?;
            Some(check(&written).map_err(CheckedError::Refused)?)
        }
        None => None,
    };
    if let Some(old) = &old {
        keep_owner(tmp.as_file(), old)?;
    }
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
        let made = match fs::hard_link(&target, &fresh) {
            Ok(()) => Ok(()),
            Err(_) => fs::copy(&target, &fresh).map(|_| ()),
        }
        .and_then(|()| fs::rename(&fresh, &bak));
        if let Err(e) = made {
            let _ = fs::remove_file(&fresh);
            return Err(e.into());
        }
    }
    remove_stale_temporaries(&dir);
    fault(Fault::Rename)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    sync_dir(&dir);
    Ok(checked)
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
    fn a_symbolic_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let e = write_atomic(&link, b"new").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(fs::read_to_string(&real).unwrap(), "old");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_a_read_only_file_and_a_hard_link_are_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe.json");
        let c = std::ffi::CString::new(pipe.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo on a path in our own temporary folder.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = write_atomic(&pipe, b"x").unwrap_err();
        assert!(e.to_string().contains("named pipe"), "{e}");
        assert!(fs::symlink_metadata(&pipe).unwrap().file_type().is_fifo());

        let ro = dir.path().join("ro.json");
        fs::write(&ro, "old").unwrap();
        let mut perms = fs::metadata(&ro).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&ro, perms).unwrap();
        let e = write_atomic(&ro, b"new").unwrap_err();
        assert!(e.to_string().contains("read-only"), "{e}");
        assert_eq!(fs::read_to_string(&ro).unwrap(), "old");
        write_atomic_forced(&ro, b"forced", false).unwrap();
        assert_eq!(fs::read_to_string(&ro).unwrap(), "forced");
        assert!(
            fs::metadata(&ro).unwrap().permissions().readonly(),
            "still read-only"
        );

        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        fs::write(&a, "old").unwrap();
        fs::hard_link(&a, &b).unwrap();
        let e = write_atomic(&a, b"new").unwrap_err();
        assert!(e.to_string().contains("hard links"), "{e}");
        assert_eq!(fs::read_to_string(&b).unwrap(), "old");
    }

    #[cfg(unix)]
    #[test]
    fn the_owner_and_group_are_kept() {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return; // only root can give a file to someone else (CI runs as root)
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("theirs.json");
        fs::write(&p, "old").unwrap();
        std::os::unix::fs::chown(&p, Some(4321), Some(4322)).unwrap();
        write_atomic_with_backup(&p, b"new").unwrap();
        let m = fs::metadata(&p).unwrap();
        assert_eq!((m.uid(), m.gid()), (4321, 4322));
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
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
