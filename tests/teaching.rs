//! Teaching: exercise files, the student mode, feedback against a reference, the
//! "Learn the framework" view and criterion-first scoring, driven like a person would.
#![cfg(feature = "gui")]

use egui_kittest::kittest::Queryable;
use policy_workbench::app::App;
use policy_workbench::model::ScoreValue;
use policy_workbench::persist;

mod common;

use common::ui::{click, harness};

#[test]
fn exercise_hides_results_until_complete_then_compares_with_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("teacher.json");
    persist::save_path(&reference, &policy_workbench::bundled::sample()).unwrap();
    let exercise = dir.path().join("exercise.json");

    // The teacher prepares the exercise from the reference scoring.
    let mut teacher = App::new(dir.path().join("t"));
    teacher.start(Some(&reference));
    teacher.write_exercise(&exercise);
    let text = std::fs::read_to_string(&exercise).unwrap();
    let loaded = persist::load_str(&text).unwrap().project;
    assert!(
        loaded.scores.is_empty(),
        "no reference scores in the student's file"
    );
    assert!(!text.contains("\"reference\""));

    // The student opens it: no results, no charts.
    let mut app = App::new(dir.path().join("s"));
    app.start(Some(&exercise));
    let mut h = harness(app);
    assert!(h.query_by_label("Results").is_none());
    assert!(h.query_by_label("Charts").is_none());
    assert!(
        h.query_all_by_label_contains("stay hidden")
            .next()
            .is_some()
    );

    // The student scores the first cell, then marks the scoring complete.
    let p = h.state().session.project().clone();
    let cell = format!(
        "{} / {}",
        p.mechanisms[0].name, p.framework.groups[0].criteria[0].name
    );
    h.get_by_label(&cell).click();
    h.run_steps(3);
    h.key_press(egui::Key::Num0);
    h.run_steps(3);
    click(&mut h, "Mark my scoring complete");
    assert!(
        h.query_by_label("Results").is_some(),
        "results appear once complete"
    );

    // Then compares with the reference: the differing cell is listed with its rationale.
    h.state_mut().compare_with_reference(&reference);
    h.run_steps(3);
    let fb = h.state().view.feedback.clone().unwrap();
    let first = fb
        .differences
        .iter()
        .find(|d| {
            d.mechanism == p.mechanisms[0].id && d.criterion == p.framework.groups[0].criteria[0].id
        })
        .expect("the changed cell is a difference");
    assert_eq!(first.student, ScoreValue::Value(0.0));
    assert!(!first.reference_rationale.is_empty());
    assert!(
        h.query_all_by_label_contains("cells differ")
            .next()
            .is_some()
            || h.query_all_by_label_contains("compared cells")
                .next()
                .is_some()
    );
    assert!(
        h.query_all_by_label_contains("Reference rationale:")
            .next()
            .is_some()
    );
}

#[test]
fn learn_the_framework_explains_every_criterion() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(dir.path().join("d"));
    app.start(None);
    let mut h = harness(app);
    click(&mut h, "Learn");
    let names: Vec<String> = h
        .state()
        .session
        .project()
        .framework
        .criteria()
        .map(|(_, c)| c.name.clone())
        .collect();
    for n in names.iter().take(3) {
        assert!(h.query_all_by_label(n).next().is_some(), "{n} is explained");
    }
}

#[test]
fn criterion_first_scores_one_criterion_in_shuffled_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(dir.path().join("d"));
    app.start(None);
    let mut h = harness(app);
    click(&mut h, "Criterion-first");
    let order = h.state().view.criterion_first.order.clone();
    let ids: Vec<String> = h
        .state()
        .session
        .project()
        .mechanisms
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(order.len(), ids.len());
    assert_ne!(order, ids, "the order is shuffled");
    let first = order[0].clone();
    let crit = h.state().view.criterion_first.criterion.clone().unwrap();
    h.get_by_label_contains("0 — ").click();
    h.run_steps(3);
    let p = h.state().session.project();
    let a = &p.analysts[0].id;
    assert_eq!(
        p.score(a, &first, &crit).unwrap().value,
        ScoreValue::Value(0.0)
    );
    click(&mut h, "Next mechanism");
    assert_eq!(h.state().view.criterion_first.pos, 1);
}
