//! Reading and writing project files: parse → migrate → schema check → convert with
//! semantic checks; and canonical, atomic writing. This module and `atomic` are the
//! only places that touch the file system for projects.

pub mod atomic;
mod convert;
mod file;
pub mod input;
mod locate;
pub mod lock;
pub mod migrate;
mod problem;
pub mod schema;
mod split;
mod unique;

use std::fmt;
use std::path::{Path, PathBuf};

pub use convert::num;
pub use migrate::CURRENT_VERSION;
pub use problem::{Problem, pointer_segments, pointer_to_path};

use crate::model::Project;

/// Files larger than this are refused before they are read. The environment variable
/// `POLICY_WORKBENCH_MAX_FILE_MB` changes it (see `max_file_bytes`).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The size cap in force: `POLICY_WORKBENCH_MAX_FILE_MB` (whole megabytes) or the default.
pub fn max_file_bytes() -> u64 {
    std::env::var("POLICY_WORKBENCH_MAX_FILE_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|mb| *mb > 0)
        .map_or(DEFAULT_MAX_FILE_BYTES, |mb| mb.saturating_mul(1024 * 1024))
}

/// What a file on disk looked like when it was read or written, to notice a change
/// made behind the app's back before saving over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskStamp {
    pub len: u64,
    pub hash: u64,
}

impl DiskStamp {
    /// A 64-bit hash of the bytes, eight at a time (a few GB/s: it only has to notice
    /// a change, not resist an adversary; stamps are compared within one run).
    pub fn of(bytes: &[u8]) -> DiskStamp {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let mix = |h: u64, x: u64| (h ^ x).wrapping_mul(K).rotate_left(29);
        // Four independent lanes, so the multiplications overlap.
        let mut lanes = [1u64, 2, 3, 4];
        let (words, rest) = bytes.as_chunks::<32>();
        for w in words {
            for (k, lane) in lanes.iter_mut().enumerate() {
                let x = u64::from_le_bytes(w[8 * k..8 * k + 8].try_into().expect("8 bytes"));
                *lane = mix(*lane, x);
            }
        }
        let mut h = lanes
            .iter()
            .fold(bytes.len() as u64, |h, &lane| mix(h, lane));
        for (i, &b) in rest.iter().enumerate() {
            h = mix(h, u64::from(b) | ((i as u64) << 8));
        }
        // Final avalanche (splitmix64's).
        h ^= h >> 30;
        h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        h ^= h >> 27;
        h = h.wrapping_mul(0x94D0_49BB_1331_11EB);
        h ^= h >> 31;
        DiskStamp {
            len: bytes.len() as u64,
            hash: h,
        }
    }

    /// The stamp of the file now, or None when it cannot be read (e.g. deleted, or
    /// grown past the size cap).
    pub fn read(path: &Path) -> Option<DiskStamp> {
        input::read_file(path, max_file_bytes())
            .ok()
            .map(|b| DiskStamp::of(&b))
    }
}

/// At most this many problems are listed; the rest are counted.
pub const MAX_PROBLEMS: usize = 500;

/// Why a project could not be loaded. Every variant reads as a sentence for an analyst.
#[derive(Debug)]
pub enum LoadError {
    /// Not read: missing, unreadable, or not a regular file (a folder, a device, a pipe).
    Unreadable(input::ReadError),
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// The text is not valid JSON (parsing stops at the first error).
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// Written by a newer version of the app: refused, never rewritten.
    Newer {
        found: u64,
    },
    /// The JSON parsed but the project has problems; all of them are listed.
    Invalid {
        problems: Vec<Problem>,
        more: usize,
    },
}

impl LoadError {
    /// The problems as a list (one entry for the single-problem variants).
    pub fn problems(&self) -> Vec<String> {
        match self {
            LoadError::Invalid { problems, more } => {
                let mut v: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                if *more > 0 {
                    v.push(format!("… and {more} more problems"));
                }
                v
            }
            other => vec![other.to_string()],
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Unreadable(e) => e.fmt(f),
            LoadError::TooLarge { size, limit } => write!(
                f,
                "the file is {:.1} MB, larger than the {:.0} MB limit for project files; it was not opened",
                *size as f64 / 1e6,
                *limit as f64 / 1e6
            ),
            LoadError::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "line {line}, column {column}: this is not valid JSON ({message}); nothing after this point was read"
            ),
            LoadError::Newer { found } => write!(
                f,
                "this project was written by a newer Policy Workbench (file format version {found}; this version reads up to {CURRENT_VERSION}); update the app to open it — the file was not changed"
            ),
            LoadError::Invalid { problems, more } => {
                let n = problems.len() + more;
                write!(
                    f,
                    "the project has {n} problem{}:",
                    if n == 1 { "" } else { "s" }
                )?;
                for p in problems {
                    write!(f, "\n  - {p}")?;
                }
                if *more > 0 {
                    write!(f, "\n  - … and {more} more")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// What a successful load tells besides the project.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub project: Project,
    /// The version the file was written in (older versions were migrated).
    pub from_version: u64,
}

/// Problems whose lines are already known.
fn invalid_with_lines(mut problems: Vec<Problem>) -> LoadError {
    let more = problems.len().saturating_sub(MAX_PROBLEMS);
    problems.truncate(MAX_PROBLEMS);
    LoadError::Invalid { problems, more }
}

fn invalid(text: &str, mut problems: Vec<Problem>) -> LoadError {
    let more = problems.len().saturating_sub(MAX_PROBLEMS);
    problems.truncate(MAX_PROBLEMS);
    let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
    let lines = locate::lines_of(text, &pointers);
    for p in &mut problems {
        p.line = lines.get(&p.pointer).copied();
    }
    LoadError::Invalid { problems, more }
}

/// Parses, migrates and checks a project from its text: the fast path first
/// (`load_fast`), and only when it declines the full path (`load_str_checked`), which
/// lists every problem with its place and line.
pub fn load_str(text: &str) -> Result<Loaded, LoadError> {
    match load_fast(text) {
        Some(loaded) => Ok(loaded),
        None => load_str_checked(text),
    }
}

/// The fast path: a file of the current version read straight into the file types
/// (no `Value` tree, no schema pass), then converted and checked by the project rules.
/// `None` when anything is wrong or unusual — a syntax error, an older or newer version,
/// a type, a key written twice, an unknown field, a broken rule — and then only
/// `load_str_checked` says what. It accepts exactly what `load_str_checked` accepts,
/// with the same project: the rules refuse whatever the schema refuses
/// (tests/rules_schema.rs), and tests/fast_load.rs checks both paths side by side.
pub fn load_fast(text: &str) -> Option<Loaded> {
    convert_fast(parse_fast(text)?)
}

/// The file types and the score list in pieces (empty: the list is in the file types).
type Parsed = (file::ProjectFile, Vec<Vec<file::ScoreFile>>);

/// The first half of `load_fast`: the text as file types of the current version; a
/// large score list is read on several threads (`split`), else the text in one pass.
fn parse_fast(text: &str) -> Option<Parsed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (file, parts) = match split::parse(text) {
        Some(x) => x,
        None => {
            let file: file::ProjectFile = serde_json::from_str::<file::Obj<_>>(text).ok()?.0;
            (file, Vec::new())
        }
    };
    (u64::from(file.schema_version) == CURRENT_VERSION).then_some((file, parts))
}

/// The second half of `load_fast`: conversion and the project rules.
fn convert_fast((file, parts): Parsed) -> Option<Loaded> {
    let project = if parts.is_empty() {
        convert::from_file(file)
    } else {
        convert::from_parts(file, parts)
    }
    .ok()?;
    Some(Loaded {
        project,
        from_version: CURRENT_VERSION,
    })
}

/// The full path: parse into a `Value`, refuse keys written twice, migrate, check
/// against the schema (every problem at once), convert and check the project rules;
/// problems carry their JSON pointer and line.
pub fn load_str_checked(text: &str) -> Result<Loaded, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // serde_json keeps its recursion limit (128): deep nesting is an error, not a crash.
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| LoadError::Syntax {
        line: e.line(),
        column: e.column(),
        message: syntax_message(&e),
    })?;
    // serde_json keeps the last of two equal keys without a word: refuse instead.
    let dups = locate::duplicate_keys(text);
    if !dups.is_empty() {
        let problems = dups
            .into_iter()
            .map(|(ptr, line, key)| Problem {
                pointer: ptr,
                line: Some(line),
                message: format!(
                    "the field \"{key}\" is written twice in the same object; keep one"
                ),
            })
            .collect();
        return Err(invalid_with_lines(problems));
    }
    let (doc, from_version) = match migrate::migrate(doc) {
        Ok(x) => x,
        Err(migrate::MigrateError::Newer { found }) => return Err(LoadError::Newer { found }),
        Err(migrate::MigrateError::Missing(p)) => return Err(invalid(text, vec![p])),
    };
    let problems = schema::check(&doc, MAX_PROBLEMS + 1);
    if !problems.is_empty() {
        return Err(invalid(text, problems));
    }
    match convert_checked(&doc) {
        Ok(project) => Ok(Loaded {
            project,
            from_version,
        }),
        Err(problems) => Err(invalid(text, problems)),
    }
}

/// A migrated document → a project, checked by the project rules alone (no schema
/// pass): typed reading, then `model::rules`. `load_str` runs the schema first for its
/// messages; the differential test checks that both accept the same documents.
pub fn convert_checked(doc: &serde_json::Value) -> Result<Project, Vec<Problem>> {
    let file: file::ProjectFile = serde_path_to_error::deserialize(doc).map_err(|e| {
        let ptr = path_to_pointer(e.path());
        vec![Problem::new(ptr, e.inner().to_string())]
    })?;
    convert::from_file(file)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        out.push('/');
        match seg {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push_str(&problem::escape_segment(key))
            }
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

fn syntax_message(e: &serde_json::Error) -> String {
    let raw = e.to_string();
    // serde_json appends " at line L column C"; we print the position ourselves.
    let msg = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    match e.classify() {
        serde_json::error::Category::Eof if msg.contains("EOF") => {
            "the file ends too early — it may be truncated".to_string()
        }
        _ if msg.contains("recursion limit") => {
            "the file nests lists or objects too deeply to be a project".to_string()
        }
        _ => msg,
    }
}

/// Reads and loads a project file, refusing files larger than `max_bytes`.
pub fn load_path_with_limit(path: &Path, max_bytes: u64) -> Result<Loaded, LoadError> {
    load_path_stamped(path, max_bytes).map(|(l, _)| l)
}

/// Like `load_path_with_limit`, and returns the stamp of the bytes read.
pub fn load_path_stamped(path: &Path, max_bytes: u64) -> Result<(Loaded, DiskStamp), LoadError> {
    let (text, stamp) = read_text(path, max_bytes)?;
    // The fast path frees the text once it is parsed (less memory at the peak); a file
    // that parses but breaks a rule is read again for the full report.
    if let Some(file) = parse_fast(&text) {
        drop(text);
        if let Some(loaded) = convert_fast(file) {
            return Ok((loaded, stamp));
        }
        let (text, stamp) = read_text(path, max_bytes)?;
        return load_str_checked(&text).map(|l| (l, stamp));
    }
    load_str_checked(&text).map(|l| (l, stamp))
}

/// A file's text and the stamp of its bytes.
fn read_text(path: &Path, max_bytes: u64) -> Result<(String, DiskStamp), LoadError> {
    let bytes = input::read_file(path, max_bytes).map_err(|e| match e {
        input::ReadError::TooLarge { size, limit, .. } => LoadError::TooLarge { size, limit },
        other => LoadError::Unreadable(other),
    })?;
    // The stamp and the UTF-8 check are both a pass over the bytes: side by side.
    let (stamp, utf8) = rayon::join(|| DiskStamp::of(&bytes), || is_utf8(&bytes));
    if utf8 {
        // SAFETY: `is_utf8` has just checked that the bytes are UTF-8.
        return Ok((unsafe { String::from_utf8_unchecked(bytes) }, stamp));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        LoadError::Syntax {
            line,
            column: upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1,
            message: "the file is not UTF-8 text".to_string(),
        }
    })?;
    Ok((text, stamp))
}

/// Whether `bytes` are UTF-8; a large text in two halves checked side by side, cut
/// where a character starts (not at a continuation byte), so that the whole is UTF-8
/// exactly when both halves are.
fn is_utf8(bytes: &[u8]) -> bool {
    if bytes.len() < 1 << 20 {
        return std::str::from_utf8(bytes).is_ok();
    }
    let mut cut = bytes.len() / 2;
    while cut < bytes.len() && bytes[cut] & 0xC0 == 0x80 {
        cut += 1;
    }
    let (a, b) = bytes.split_at(cut);
    let (a, b) = rayon::join(
        || std::str::from_utf8(a).is_ok(),
        || std::str::from_utf8(b).is_ok(),
    );
    a && b
}

pub fn load_path(path: &Path) -> Result<Loaded, LoadError> {
    load_path_with_limit(path, max_file_bytes())
}

/// The canonical text of a project: pretty-printed, stable order, final newline.
pub fn to_canonical_string(project: &Project) -> String {
    let file = convert::to_file(project);
    let mut s = serde_json::to_string_pretty(&file).expect("file types always serialise");
    s.push('\n');
    s
}

/// Why a save failed; the old file is untouched in every case.
#[derive(Debug)]
pub struct SaveError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not save: {} — the file on disk was not changed ({})",
            self.message,
            self.path.display()
        )
    }
}

impl std::error::Error for SaveError {}

/// Serialises, checks that the text loads back to the same project, and writes it
/// atomically, keeping the previous version as `NAME.bak` (see `atomic`).
pub fn save_path(path: &Path, project: &Project) -> Result<(), SaveError> {
    save_path_stamped(path, project).map(|_| ())
}

/// Like `save_path`, and returns the stamp of what was written.
pub fn save_path_stamped(path: &Path, project: &Project) -> Result<DiskStamp, SaveError> {
    save(path, project, false)
}

/// Like `save_path`, over a read-only file too (the command line's `--force`).
pub fn save_path_forced(path: &Path, project: &Project) -> Result<(), SaveError> {
    save(path, project, true).map(|_| ())
}

fn save(path: &Path, project: &Project, forced: bool) -> Result<DiskStamp, SaveError> {
    let file = convert::to_file(project);
    // The canonical text streams into the temporary file; its bytes are then read back
    // from the disk and loaded, and only the same project is renamed over the target.
    let write = |w: &mut dyn std::io::Write| {
        serde_json::to_writer_pretty(&mut *w, &file).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    };
    let check = |bytes: &[u8]| -> Result<DiskStamp, String> {
        let back = std::str::from_utf8(bytes)
            .map_err(|_| "the written file is not UTF-8 (a bug); nothing was written".to_string())
            .map(load_str)?;
        match back {
            Ok(back) if back.project == *project => Ok(DiskStamp::of(bytes)),
            Ok(_) => {
                Err("the project did not read back identically (a bug); nothing was written".into())
            }
            Err(e) => Err(format!("the project has problems and was not written: {e}")),
        }
    };
    atomic::write_checked(path, true, forced, write, check).map_err(|e| SaveError {
        path: path.to_path_buf(),
        message: match e {
            atomic::CheckedError::Io(e) => plain_io(&e),
            atomic::CheckedError::Refused(why) => why,
        },
    })
}

/// An I/O error in plain words.
fn plain_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::PermissionDenied => "you do not have permission to write there",
        K::NotFound => "the folder does not exist (any more)",
        K::StorageFull => "the disk is full",
        K::ReadOnlyFilesystem => "the disk is read-only",
        _ => "",
    };
    if what.is_empty() {
        e.to_string()
    } else {
        format!("{what} ({e})")
    }
}

#[cfg(test)]
mod tests {
    use super::DiskStamp;

    #[test]
    fn a_stamp_changes_with_any_byte() {
        let text: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let base = DiskStamp::of(&text);
        assert_eq!(
            base,
            DiskStamp::of(&text.clone()),
            "the same bytes, the same stamp"
        );
        for at in [0, 1, 31, 32, 500, 990, 999] {
            let mut t = text.clone();
            t[at] ^= 1;
            assert_ne!(DiskStamp::of(&t), base, "byte {at}");
        }
        // Two bytes swapped, and a byte more.
        let mut t = text.clone();
        t.swap(3, 4);
        assert_ne!(DiskStamp::of(&t), base);
        assert_ne!(
            DiskStamp::of(&text[..999]).hash,
            DiskStamp::of(&text[1..]).hash
        );
    }
}
