//! Data integrity behind dialogs: while any modal is open (path prompts, unsaved
//! changes, merge conflicts, recovery, errors, help, glossary…), typed letters and
//! digits, a paste, Delete and the global shortcuts (Ctrl+Z, Ctrl+S, …) change nothing
//! behind it — neither in the matrix nor in a text field that had the focus.
#![cfg(feature = "gui")]

mod common;

use std::path::PathBuf;

use common::ui::{app_in, click};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use policy_workbench::app::{App, Guarded, Modal, PathPurpose};
use policy_workbench::model::ScoreValue;
use policy_workbench::ui::RecoverOffer;

/// One of every kind of modal the app shows.
fn every_modal() -> Vec<Modal> {
    let mut out = vec![
        Modal::Unsaved {
            then: Guarded::New("blank".into()),
        },
        Modal::Unsaved {
            then: Guarded::Quit,
        },
        Modal::LoadFailed {
            path: PathBuf::from("/tmp/broken.json"),
            problems: vec!["expected an object".into()],
        },
        Modal::SaveFailed {
            message: "The disk is full".into(),
        },
        Modal::ChangedOnDisk {
            path: PathBuf::from("/tmp/project.json"),
        },
        Modal::OpenElsewhere {
            holder: "someone@elsewhere".into(),
        },
        Modal::Recover {
            snapshots: vec![RecoverOffer {
                file: PathBuf::from("/tmp/recovery/1.json"),
                title: "An earlier session".into(),
                origin: Some(PathBuf::from("/tmp/project.json")),
                saved_at: 0,
            }],
            compare: None,
        },
        Modal::CsvPreview {
            summary: "2 scores would change".into(),
            changes: vec!["a change".into(), "another change".into()],
            command: None,
        },
        Modal::Merge {
            rows: vec![("Mechanism / Criterion: 2 here, 3 theirs".into(), None)],
            problems: Vec::new(),
        },
        Modal::Merge {
            rows: Vec::new(),
            problems: vec!["a problem".into()],
        },
        Modal::CsvProblems {
            path: PathBuf::from("/tmp/sheet.csv"),
            problems: vec!["row 2, column value: not a number".into()],
        },
        Modal::About,
        Modal::Help,
        Modal::Glossary,
        Modal::DeleteScenario {
            id: "europe".into(),
            name: "A scenario".into(),
        },
        Modal::ConfirmComplete {
            scored: 5,
            cells: 348,
        },
    ];
    for purpose in [
        PathPurpose::Open,
        PathPurpose::SaveAs,
        PathPurpose::Export,
        PathPurpose::Exercise,
        PathPurpose::Reference,
        PathPurpose::Report,
        PathPurpose::CsvExport,
        PathPurpose::CsvImport,
        PathPurpose::Packages,
        PathPurpose::Merge,
    ] {
        // Empty, and with the error a Save with an empty path leaves.
        out.push(Modal::PathPrompt {
            purpose,
            text: String::new(),
            error: None,
        });
        out.push(Modal::PathPrompt {
            purpose,
            text: String::new(),
            error: Some("Type a path".into()),
        });
    }
    out
}

/// What the user must not be able to change behind a modal.
#[derive(Debug, PartialEq)]
struct Snapshot {
    project: policy_workbench::model::Project,
    revision: u64,
    dirty: bool,
    undo: Option<&'static str>,
    modal: Option<Modal>,
    quit: bool,
}

fn snapshot(h: &Harness<'static, App>) -> Snapshot {
    let app = h.state();
    Snapshot {
        project: app.session.project().clone(),
        revision: app.session.revision(),
        dirty: app.session.is_dirty(),
        undo: app.session.history().undo_label(),
        modal: app.modal.clone(),
        quit: app.quit_requested,
    }
}

/// Types, pastes and presses every key that edits or runs a command.
fn hammer(h: &mut Harness<'static, App>) {
    for k in [
        Key::N,
        Key::Num0,
        Key::Num1,
        Key::Num4,
        Key::Num9,
        Key::Delete,
        Key::Backspace,
        Key::ArrowDown,
        Key::ArrowRight,
        Key::Enter,
    ] {
        h.key_press(k);
        h.run_steps(2);
    }
    h.event(Event::Text("n4 x9".into()));
    h.run_steps(2);
    h.event(Event::Paste("1\t2\n3\tn/a\n".into()));
    h.run_steps(2);
    for k in [Key::Z, Key::Y, Key::S, Key::N, Key::O, Key::V, Key::X] {
        h.key_press_modifiers(Modifiers::COMMAND, k);
        h.run_steps(2);
    }
    for k in [Key::Z, Key::S] {
        h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, k);
        h.run_steps(2);
    }
    h.run_steps(3);
}

/// The sample with the first cell selected and one edit made (so there is something
/// to undo and the project is unsaved).
fn edited(dir: &std::path::Path) -> (Harness<'static, App>, String, String) {
    let mut h = app_in(dir);
    h.run_steps(3);
    let (m, c, cell) = {
        let p = h.state().session.project();
        let m = &p.mechanisms[0];
        let c = &p.framework.groups[0].criteria[0];
        (
            m.id.clone(),
            c.id.clone(),
            format!("{} / {}", m.name, c.name),
        )
    };
    click(&mut h, &cell);
    h.key_press(Key::Num2);
    h.run_steps(3);
    let a = h.state().view.analyst.clone().unwrap();
    assert_eq!(
        h.state()
            .session
            .project()
            .score(&a, &m, &c)
            .map(|s| s.value),
        Some(ScoreValue::Value(2.0)),
        "the matrix takes keys when no modal is open"
    );
    (h, m, c)
}

#[test]
fn no_key_paste_or_shortcut_reaches_the_matrix_behind_a_modal() {
    for modal in every_modal() {
        let dir = tempfile::tempdir().unwrap();
        let (mut h, _, _) = edited(dir.path());
        h.state_mut().modal = Some(modal.clone());
        h.run_steps(3);
        let before = snapshot(&h);
        hammer(&mut h);
        assert_eq!(snapshot(&h), before, "behind {modal:?}");
        assert!(
            std::fs::read_dir(dir.path())
                .unwrap()
                .all(|e| e.unwrap().file_name() == "data"),
            "nothing was saved behind {modal:?}"
        );
    }
}

#[test]
fn a_focused_text_field_behind_a_modal_takes_no_keys() {
    for modal in [
        Modal::Unsaved {
            then: Guarded::OpenDialog,
        },
        Modal::PathPrompt {
            purpose: PathPurpose::Exercise,
            text: String::new(),
            error: Some("Type a path".into()),
        },
        Modal::Glossary,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (mut h, _, _) = edited(dir.path());
        // The rationale field in the inspector has the focus when the modal opens.
        h.get_by_label("Rationale").focus();
        h.run_steps(3);
        assert!(
            h.ctx.text_edit_focused(),
            "the rationale field has the focus"
        );
        h.state_mut().modal = Some(modal.clone());
        h.run_steps(3);
        let before = snapshot(&h);
        hammer(&mut h);
        assert_eq!(snapshot(&h), before, "behind {modal:?}");
    }
}

#[test]
fn the_modal_itself_still_takes_the_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _, _) = edited(dir.path());
    h.state_mut().modal = Some(Modal::PathPrompt {
        purpose: PathPurpose::Exercise,
        text: String::new(),
        error: None,
    });
    h.run_steps(3);
    let before = h.state().session.project().clone();
    h.get_by_label("File path").focus();
    h.run_steps(2);
    h.get_by_label("File path").type_text("n4");
    h.event(Event::Paste("/x".into()));
    h.run_steps(3);
    match &h.state().modal {
        Some(Modal::PathPrompt { text, .. }) => assert_eq!(text, "n4/x"),
        other => panic!("{other:?}"),
    }
    assert_eq!(*h.state().session.project(), before);
}

#[test]
fn help_glossary_explains_the_jargon_and_owns_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _, _) = edited(dir.path());
    click(&mut h, "Help");
    click(&mut h, "Glossary");
    assert_eq!(h.state().modal, Some(Modal::Glossary));
    for term in ["Kendall's W", "IQR", "α ordinal", "α interval", "Coverage"] {
        assert!(h.query_by_label(term).is_some(), "{term}");
        assert!(
            h.query_by_label(policy_workbench::ui::glossary::meaning(term))
                .is_some(),
            "{term} is explained"
        );
    }
    let before = snapshot(&h);
    hammer(&mut h);
    assert_eq!(snapshot(&h), before);
    click(&mut h, "Close");
    assert!(h.state().modal.is_none());
}
