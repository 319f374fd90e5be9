//! Never lose an analyst's work: backups, outside changes, locks, failed saves and
//! crash recovery, driven through the app like a person would.
#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use policy_workbench::app::App;
use policy_workbench::model::ScoreValue;
use policy_workbench::persist::{self, atomic};

mod common;

use common::ui::{click, harness};

/// Opens a saved copy of the sample and sets its first cell with a digit key.
fn edited_app(dir: &std::path::Path) -> (Harness<'static, App>, std::path::PathBuf) {
    let path = dir.join("p.json");
    persist::save_path(&path, &policy_workbench::bundled::sample()).unwrap();
    let mut app = App::new(dir.join("data"));
    app.start(Some(&path));
    let mut h = harness(app);
    let p = h.state().session.project();
    let cell = format!(
        "{} / {}",
        p.mechanisms[0].name, p.framework.groups[0].criteria[0].name
    );
    // Matrix cells are on screen already: click without scrolling the table.
    h.get_by_label(&cell).click();
    h.run_steps(3);
    h.key_press(egui::Key::Num0);
    h.run_steps(3);
    assert!(h.state().session.is_dirty());
    assert_eq!(first_value(h.state()), ScoreValue::Value(0.0));
    (h, path)
}

fn first_value(app: &App) -> ScoreValue {
    let p = app.session.project();
    let a = &p.analysts[0].id;
    p.score(
        a,
        &p.mechanisms[0].id,
        &p.framework.groups[0].criteria[0].id,
    )
    .unwrap()
    .value
}

#[test]
fn saving_keeps_the_previous_version_as_bak() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path) = edited_app(dir.path());
    let before = std::fs::read_to_string(&path).unwrap();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    assert!(!h.state().session.is_dirty(), "{}", h.state().status);
    assert_eq!(
        std::fs::read_to_string(atomic::backup_path(&path)).unwrap(),
        before
    );
    let saved = persist::load_path(&path).unwrap().project;
    assert_eq!(first_value_of(&saved), ScoreValue::Value(0.0));
}

fn first_value_of(p: &policy_workbench::model::Project) -> ScoreValue {
    let a = &p.analysts[0].id;
    p.score(
        a,
        &p.mechanisms[0].id,
        &p.framework.groups[0].criteria[0].id,
    )
    .unwrap()
    .value
}

#[test]
fn a_failed_save_keeps_the_file_and_the_unsaved_work() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path) = edited_app(dir.path());
    let before = std::fs::read(&path).unwrap();
    atomic::inject_fault(atomic::Fault::Write);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    atomic::inject_fault(atomic::Fault::None);
    assert!(h.query_by_label("The project was not saved").is_some());
    assert!(
        h.query_all_by_label_contains("disk is full")
            .next()
            .is_some()
            || h.query_all_by_label_contains("No space left")
                .next()
                .is_some()
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file on disk is untouched"
    );
    assert!(
        h.state().session.is_dirty(),
        "the work stays open and unsaved"
    );
    assert_eq!(first_value(h.state()), ScoreValue::Value(0.0));
}

#[test]
fn a_file_changed_behind_the_apps_back_is_not_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path) = edited_app(dir.path());
    // A colleague saves their own version meanwhile.
    let mut theirs = policy_workbench::bundled::sample();
    theirs.info.title = "Their version".into();
    persist::save_path(&path, &theirs).unwrap();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    assert!(h.query_by_label("The file changed on disk").is_some());
    click(&mut h, "Cancel");
    assert_eq!(
        persist::load_path(&path).unwrap().project.info.title,
        "Their version"
    );
    assert!(h.state().session.is_dirty());
    // Saving again asks again; this time the user overwrites.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    click(&mut h, "Overwrite it with my version");
    let saved = persist::load_path(&path).unwrap().project;
    assert_ne!(saved.info.title, "Their version");
    assert!(!h.state().session.is_dirty());
}

#[test]
fn a_project_open_elsewhere_is_announced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.json");
    persist::save_path(&path, &policy_workbench::bundled::sample()).unwrap();
    let other = persist::lock::LockInfo {
        user: "ana".into(),
        host: "laptop-of-ana".into(),
        pid: 4242,
        since: 0,
    };
    // Another session holds the lock: the operating system's lock on the file, with
    // its description inside (a second handle conflicts as another process would).
    std::fs::write(
        persist::lock::lock_path(&path),
        serde_json::to_string(&other).unwrap(),
    )
    .unwrap();
    let held = std::fs::File::open(persist::lock::lock_path(&path)).unwrap();
    held.try_lock().unwrap();
    let mut app = App::new(dir.path().join("data"));
    app.start(Some(&path));
    let mut h = harness(app);
    assert!(
        h.query_by_label("This project is open elsewhere too")
            .is_some()
    );
    assert!(
        h.query_all_by_label_contains("ana on laptop-of-ana")
            .next()
            .is_some()
    );
    click(&mut h, "Continue");
    assert!(h.state().modal.is_none());
    drop(held);
}

#[test]
fn the_lock_is_released_when_another_file_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, path) = edited_app(dir.path());
    assert!(persist::lock::lock_path(&path).exists());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    h.state_mut().start(None);
    h.run_steps(2);
    assert!(!persist::lock::lock_path(&path).exists());
}

#[test]
fn work_left_by_a_crash_is_offered_back_restore_compare_discard() {
    let dir = tempfile::tempdir().unwrap();
    let path;
    {
        let (h, p) = edited_app(dir.path());
        path = p;
        let mut app = h.into_state();
        let session_snapshot = app.session.project().clone();
        app.recovery.write(&app.session);
        app.recovery.flush();
        // The process "dies": no clean exit (no on_exit), and the system releases
        // every lock it held, which is how the next start knows the owner is gone.
        drop(app);
        let _ = session_snapshot;
    }
    let on_disk_before = std::fs::read(&path).unwrap();
    let mut app = App::new(dir.path().join("data"));
    app.start(Some(&path));
    let mut h = harness(app);
    assert!(h.query_by_label("Recover unsaved work?").is_some());
    click(&mut h, "Compare 1 with the file");
    assert!(
        h.query_all_by_label_contains("→ 0").next().is_some(),
        "the changed score is listed"
    );
    click(&mut h, "Restore 1");
    assert!(h.state().modal.is_none());
    assert_eq!(first_value(h.state()), ScoreValue::Value(0.0));
    assert!(
        h.state().session.is_dirty(),
        "restored work is not saved by itself"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        on_disk_before,
        "recovery never writes the file"
    );
    // The next start does not offer it again (it moved to this session's own copy).
    let again = App::new(dir.path().join("data"));
    let orphans = again.recovery.orphans();
    assert!(orphans.is_empty(), "{orphans:?}");
}

#[test]
fn discarding_a_recovery_copy_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("data/recovery");
    std::fs::create_dir_all(&rec).unwrap();
    let text = persist::to_canonical_string(&policy_workbench::bundled::sample());
    std::fs::write(rec.join("session-1-1.json"), text).unwrap();
    let meta = serde_json::json!({"pid": u32::MAX - 9, "host": "elsewhere", "saved_at": 0, "title": "Old work", "origin": null});
    std::fs::write(rec.join("session-1-1.meta.json"), meta.to_string()).unwrap();
    let mut app = App::new(dir.path().join("data"));
    app.start(None);
    let mut h = harness(app);
    assert!(h.query_all_by_label_contains("Old work").next().is_some());
    click(&mut h, "Discard 1");
    assert!(h.state().modal.is_none());
    assert_eq!(std::fs::read_dir(&rec).unwrap().count(), 0);
}
