//! Opening a large file reads it on a worker thread: the window keeps drawing and the
//! open project stays usable until the new one is ready, and work done meanwhile is
//! never replaced (egui_kittest, no GPU, no display).
#![cfg(feature = "gui")]

mod common;

use common::ui::app_in;
use policy_workbench::app::BACKGROUND_BYTES;
use policy_workbench::edit::Command;
use policy_workbench::generate::{self, GenSpec};
use policy_workbench::persist;

/// A generated project file of at least `BACKGROUND_BYTES`.
fn large_file(dir: &std::path::Path) -> std::path::PathBuf {
    let spec = GenSpec {
        mechanisms: 120,
        criteria: 20,
        analysts: 6,
        scenarios: 2,
        sources: 40,
        seed: 3,
    };
    let text = persist::to_canonical_string(&generate::project(&spec));
    assert!(
        text.len() as u64 >= BACKGROUND_BYTES,
        "{} bytes",
        text.len()
    );
    let path = dir.join("large.json");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs frames until the background open is over (at most a minute).
fn wait_loaded(h: &mut egui_kittest::Harness<'static, policy_workbench::app::App>) {
    for _ in 0..600 {
        if h.state().loading_line().is_none() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        h.run_steps(1);
    }
    panic!("the file was not opened within a minute");
}

#[test]
fn a_large_file_opens_in_the_background_and_the_open_project_stays_usable() {
    let dir = tempfile::tempdir().unwrap();
    let path = large_file(dir.path());
    let mut h = app_in(dir.path());
    h.run_steps(2);
    let before = h.state().session.project().info.title.clone();
    h.state_mut().open_path(&path);
    // Still the sample, and the window says what it is reading (checked before any
    // frame can take the result).
    assert_eq!(h.state().session.project().info.title, before);
    let line = h.state().loading_line().expect("reading in the background");
    assert!(
        line.starts_with("Opening ") && line.contains("large.json"),
        "{line}"
    );
    wait_loaded(&mut h);
    assert_eq!(h.state().session.path(), Some(path.as_path()));
    assert!(
        h.state().status.starts_with("Opened"),
        "{}",
        h.state().status
    );
}

#[test]
fn work_done_while_a_file_is_read_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = large_file(dir.path());
    let mut h = app_in(dir.path());
    h.run_steps(2);
    h.state_mut().open_path(&path);
    // An edit to the open project while the file is read.
    let mut info = h.state().session.project().info.clone();
    info.title = "Edited while reading".into();
    h.state_mut()
        .session
        .apply(Command::SetInfo(info), None)
        .unwrap();
    wait_loaded(&mut h);
    assert_eq!(
        h.state().session.project().info.title,
        "Edited while reading",
        "the edited project is kept"
    );
    assert!(h.state().status.contains("is kept"), "{}", h.state().status);
}
