//! The cold-start switch on the real binary (`PW_EXIT_AFTER_FIRST_FRAME=1`,
//! src/app/first_frame.rs), so that `benches/cold_start.rs` cannot rot unseen: under a
//! display (`$DISPLAY`, or an Xvfb started here when it is on the PATH; skipped with a
//! message when there is neither) the app opens the bundled sample, closes itself once
//! its first frame is painted, exits 0 and says when that was. No time is asserted.
#![cfg(feature = "gui")]

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::xvfb::Display;
use policy_workbench::app::first_frame::{ENV, Report};

#[test]
fn the_app_closes_after_its_first_frame_and_says_when() {
    let display = match Display::find() {
        Ok(d) => d,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let data = tempfile::tempdir().unwrap();
    let mut child = common::bin()
        .arg("--data-dir")
        .arg(data.path())
        .env("DISPLAY", &display.name)
        .env_remove("WAYLAND_DISPLAY")
        .env(ENV, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Not a time limit on the app: a guard so that a broken switch fails the test
    // instead of leaving it hanging with the window open.
    let t = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if t.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "the app was still open two minutes after it started: the switch did not close it"
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = common::stderr(&out);
    assert!(out.status.success(), "{}: {stderr}", out.status);
    let report = Report::find(&stderr).unwrap_or_else(|| panic!("no report line in: {stderr}"));
    assert!(report.since_main > Duration::ZERO, "{report}");
    if let Some(p) = report.since_process_start {
        // The kernel started the process before main began.
        assert!(p >= report.since_main, "{report}");
    }
    // The window really was the app's: its egui layout memory is saved on exit into
    // the data folder it was given.
    assert!(
        data.path().join("layout.ron").exists(),
        "no layout.ron in the data folder after the run"
    );
}
