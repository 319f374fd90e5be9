//! Every command reads its input files through one function: a regular file, at most
//! the size cap. A named pipe, a device or a folder is refused at once, by name, and a
//! project that a running app holds is not rewritten by `fmt`. The real binary, on
//! nodes each test makes in its own temporary folder.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_policy-workbench")
}

/// Runs the binary; a run that would block (the bug this guards against) is killed
/// after a generous bound and reported, instead of hanging the test suite.
fn run(args: &[&std::ffi::OsStr]) -> Output {
    let child = Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            // SAFETY: kill on the pid of the child this test started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("the command blocked on its input: {args:?}");
        }
    }
}

fn fifo(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path inside the test's own temporary folder.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    p
}

/// A character device like /dev/zero, made in the temporary folder (needs root, as CI
/// runs; None elsewhere).
fn zero_device(dir: &Path) -> Option<PathBuf> {
    let p = dir.join("zero.json");
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: mknod on a path inside the test's own temporary folder.
    let r = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o600, libc::makedev(1, 5)) };
    (r == 0).then_some(p)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn sample(dir: &Path) -> PathBuf {
    let p = dir.join("sample.json");
    std::fs::write(&p, policy_workbench::bundled::SAMPLE).unwrap();
    p
}

#[test]
fn validate_refuses_a_named_pipe_a_device_and_a_folder_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = fifo(dir.path(), "pipe.json");
    let o = run(&["validate".as_ref(), pipe.as_os_str()]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o).contains("named pipe"), "{}", text(&o));
    let o = run(&["validate".as_ref(), dir.path().as_os_str()]);
    assert!(text(&o).contains("folder"), "{}", text(&o));
    if let Some(zero) = zero_device(dir.path()) {
        let o = run(&["validate".as_ref(), zero.as_os_str()]);
        assert_ne!(o.status.code(), Some(0));
        assert!(text(&o).contains("a device"), "{}", text(&o));
    }
}

#[test]
fn csv_import_refuses_a_sheet_that_is_a_named_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample(dir.path());
    let pipe = fifo(dir.path(), "sheet.csv");
    let o = run(&[
        "csv-import".as_ref(),
        project.as_os_str(),
        pipe.as_os_str(),
        "--dry-run".as_ref(),
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o).contains("named pipe"), "{}", text(&o));
}

#[test]
fn fmt_leaves_a_project_that_a_running_app_holds() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.json");
    // Not canonical: fmt would rewrite it.
    let compact = policy_workbench::bundled::SAMPLE.replace("\n  ", "\n ");
    std::fs::write(&project, &compact).unwrap();
    let policy_workbench::persist::lock::Acquired::Mine(lock) =
        policy_workbench::persist::lock::acquire(&project)
    else {
        panic!("the test takes the lock")
    };
    let o = run(&["fmt".as_ref(), project.as_os_str()]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        text(&o).contains("open in Policy Workbench"),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read_to_string(&project).unwrap(), compact);
    drop(lock);
    let o = run(&["fmt".as_ref(), project.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

fn analyst_id() -> String {
    policy_workbench::bundled::sample().analysts[0].id.clone()
}

#[test]
fn no_writer_replaces_its_own_input_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample(dir.path());
    let before = std::fs::read(&project).unwrap();
    let p = project.as_os_str();
    let cases: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec![
            "csv-export".as_ref(),
            p,
            "--out".as_ref(),
            p,
            "--force".as_ref(),
        ],
        vec![
            "report".as_ref(),
            p,
            "--format".as_ref(),
            "html".as_ref(),
            "--out".as_ref(),
            p,
            "--force".as_ref(),
        ],
        vec![
            "merge".as_ref(),
            p,
            p,
            "--out".as_ref(),
            p,
            "--force".as_ref(),
        ],
    ];
    for args in cases {
        let o = run(&args);
        assert_ne!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("is the input"), "{args:?}: {}", text(&o));
        assert_eq!(std::fs::read(&project).unwrap(), before, "{args:?}");
    }
    // A package named like the master, in the master's own folder.
    let named = dir.path().join(format!("{}.json", analyst_id()));
    std::fs::copy(&project, &named).unwrap();
    let o = run(&[
        "package".as_ref(),
        named.as_os_str(),
        "--out-dir".as_ref(),
        dir.path().as_os_str(),
        "--force".as_ref(),
    ]);
    assert!(text(&o).contains("is the input"), "{}", text(&o));
    assert_eq!(std::fs::read(&named).unwrap(), before);
}

#[test]
fn package_with_an_empty_analyst_list_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample(dir.path());
    let out = dir.path().join("packages");
    let o = run(&[
        "package".as_ref(),
        project.as_os_str(),
        "--out-dir".as_ref(),
        out.as_os_str(),
        "--analysts".as_ref(),
        "".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("names no analyst"), "{}", text(&o));
}

#[test]
fn a_forced_write_never_goes_through_a_link_or_replaces_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample(dir.path());
    let precious = dir.path().join("precious.txt");
    std::fs::write(&precious, "keep me").unwrap();
    let link = dir.path().join("scores.csv");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    let pipe = fifo(dir.path(), "pipe.csv");
    for out in [&link, &pipe] {
        let o = run(&[
            "csv-export".as_ref(),
            project.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--force".as_ref(),
        ]);
        assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    }
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&pipe)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_markdown_report_into_a_missing_folder_is_refused_like_every_writer() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample(dir.path());
    let out = dir.path().join("no").join("such").join("brief.md");
    let o = run(&[
        "report".as_ref(),
        project.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!dir.path().join("no").exists(), "no folder was made");
}

#[test]
fn out_dash_writes_text_formats_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample(dir.path());
    let o = run(&[
        "csv-export".as_ref(),
        project.as_os_str(),
        "--out".as_ref(),
        "-".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let csv = String::from_utf8(o.stdout).unwrap();
    assert!(
        csv.starts_with("\u{feff}analyst_id"),
        "{}",
        &csv[..40.min(csv.len())]
    );
    let o = run(&[
        "report".as_ref(),
        project.as_os_str(),
        "--format".as_ref(),
        "html".as_ref(),
        "--out".as_ref(),
        "-".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("<!DOCTYPE html>"));
    assert!(!dir.path().join("-").exists(), "no file named -");
}

#[test]
fn a_read_only_file_is_replaced_only_with_force_and_fmt_leaves_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let project = sample(dir.path());
    let ro = dir.path().join("scores.csv");
    std::fs::write(&ro, "old").unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = run(&[
        "csv-export".as_ref(),
        project.as_os_str(),
        "--out".as_ref(),
        ro.as_os_str(),
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), "old");
    let o = run(&[
        "csv-export".as_ref(),
        project.as_os_str(),
        "--out".as_ref(),
        ro.as_os_str(),
        "--force".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(std::fs::read_to_string(&ro).unwrap().contains("analyst_id"));
    assert_eq!(
        std::fs::metadata(&ro).unwrap().permissions().mode() & 0o777,
        0o444
    );
    // fmt has no --force: a read-only project is left as it is, with a reason.
    let compact = dir.path().join("compact.json");
    std::fs::write(
        &compact,
        policy_workbench::bundled::SAMPLE.replace("\n  ", "\n "),
    )
    .unwrap();
    std::fs::set_permissions(&compact, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&compact).unwrap();
    let o = run(&["fmt".as_ref(), compact.as_os_str()]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o).contains("read-only"), "{}", text(&o));
    assert_eq!(std::fs::read(&compact).unwrap(), before);
}
