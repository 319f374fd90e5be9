//! The one way to read an input file (a project, a sheet, an analyst's file): it must be
//! a regular file, and at most a cap of bytes is read whatever its metadata says — a
//! device such as /dev/zero, a named pipe or a folder is refused at once, by name.

use std::fmt;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

/// Why an input file was not read.
#[derive(Debug)]
pub enum ReadError {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Not a regular file; `what` names what it is ("a folder", "a named pipe (FIFO)").
    NotAFile { path: PathBuf, what: &'static str },
    /// Larger than the cap; `size` is the size found, or the cap + 1 when reading stopped.
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
        exact: bool,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { path, error } => {
                write!(f, "could not read the file: {error} ({})", path.display())
            }
            ReadError::NotAFile { path, what } => write!(
                f,
                "this is {what}, not a regular file; nothing was read ({})",
                path.display()
            ),
            ReadError::TooLarge {
                path,
                size,
                limit,
                exact,
            } => write!(
                f,
                "the file is {}{:.1} MB, larger than the {:.0} MB limit; it was not read ({})",
                if *exact { "" } else { "more than " },
                if *exact { *size } else { *limit } as f64 / 1e6,
                *limit as f64 / 1e6,
                path.display()
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// What a non-regular file is, for a message.
pub(crate) fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Opens without waiting on a named pipe that has no writer (Unix); the type is checked
/// again on the open handle, so a file swapped after the first check is refused too.
fn open(path: &Path) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK);
    }
    o.open(path)
}

/// Reads the whole of a regular file of at most `limit` bytes.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |error| ReadError::Io {
        path: path.to_path_buf(),
        error,
    };
    let not_a_file = |meta: &std::fs::Metadata| ReadError::NotAFile {
        path: path.to_path_buf(),
        what: kind_of(meta),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(not_a_file(&meta));
    }
    let too_large = |size, exact| ReadError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
        exact,
    };
    if meta.len() > limit {
        return Err(too_large(meta.len(), true));
    }
    let file = open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_a_file(&meta));
    }
    let mut bytes = read_large(&file, meta.len().min(limit)).unwrap_or_default();
    if bytes.is_empty() {
        bytes.reserve_exact(meta.len().min(limit) as usize);
    }
    // From where the halves stopped (or the start): a file that grew since its size was
    // read is read on, up to the cap and a byte past it.
    let mut file = file;
    file.seek(std::io::SeekFrom::Start(bytes.len() as u64))
        .map_err(io)?;
    file.take(limit.saturating_add(1) - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit + 1, false));
    }
    Ok(bytes)
}

/// A large file's `len` bytes, read as two halves side by side (each thread faults in
/// the fresh pages of its half); None for a small file, off Unix, or when a half cannot
/// be read whole (a file that shrank is then read the plain way).
fn read_large(file: &File, len: u64) -> Option<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        const LARGE: u64 = 16 << 20;
        if len < LARGE {
            return None;
        }
        // Zeroed memory comes fresh from the system, not written: no extra pass.
        let mut bytes = vec![0u8; usize::try_from(len).ok()?];
        let half = bytes.len() / 2;
        let (a, b) = bytes.split_at_mut(half);
        let (ra, rb) = rayon::join(
            || file.read_exact_at(a, 0),
            || file.read_exact_at(b, half as u64),
        );
        (ra.is_ok() && rb.is_ok()).then_some(bytes)
    }
    #[cfg(not(unix))]
    {
        let _ = (file, len);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_whole_within_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_file(&p, 5).unwrap(), b"12345");
        let e = read_file(&p, 4).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { size: 5, .. }), "{e}");
    }

    #[test]
    fn a_large_file_is_read_in_two_halves_to_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("large.json");
        let n = (16 << 20) + 3;
        let bytes: Vec<u8> = (0..n).map(|i| (i * 31 % 251) as u8).collect();
        std::fs::write(&p, &bytes).unwrap();
        assert!(read_file(&p, n as u64).unwrap() == bytes);
        let e = read_file(&p, n as u64 - 1).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { exact: true, .. }), "{e}");
        let f = File::open(&p).unwrap();
        assert!(read_large(&f, n as u64).unwrap() == bytes);
        // Asked for more than there is (the file shrank): not read this way.
        assert!(read_large(&f, n as u64 + 10).is_none());
    }

    #[test]
    fn a_folder_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_file(dir.path(), 100).unwrap_err();
        assert!(e.to_string().contains("a folder"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_without_a_writer_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pipe.json");
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo on a path in our own temporary folder.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_file(&p, 100).unwrap_err();
        assert!(e.to_string().contains("named pipe"), "{e}");
    }
}
