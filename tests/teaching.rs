//! Teaching: exercise files, the student mode, feedback against a reference, the
//! "Learn the framework" view and criterion-first scoring, driven like a person would.
#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
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
    // Marking the scoring complete asks first, with the count; "Keep scoring" changes
    // nothing, and the keyboard belongs to the prompt.
    let cells = p.mechanisms.len() * p.framework.criteria().count();
    click(&mut h, "Mark my scoring complete");
    let asked = format!(
        "You have scored 1 of {cells} cells; {} are not scored yet.",
        cells - 1
    );
    assert!(
        h.query_by_label(&asked).is_some(),
        "the prompt gives the count"
    );
    let revision = h.state().session.revision();
    h.key_press(egui::Key::Num3);
    h.run_steps(3);
    assert_eq!(
        h.state().session.revision(),
        revision,
        "the prompt owns the keyboard"
    );
    click(&mut h, "Keep scoring");
    assert!(h.state().modal.is_none());
    assert!(h.query_by_label("Results").is_none(), "still hidden");
    click(&mut h, "Mark my scoring complete");
    click(&mut h, "Mark complete");
    assert!(
        h.query_by_label("Results").is_some(),
        "results appear once complete"
    );

    // Then compares with the reference: only the scored cell is compared, the rest
    // counted as left, and the differing cell is listed with the reference rationale.
    h.state_mut().compare_with_reference(&reference);
    h.run_steps(3);
    let panel = h.state().view.feedback.as_ref().unwrap();
    let fb = panel.result.clone().expect("the same framework");
    let s = &fb.students[0];
    assert_eq!((s.overall.scored, s.overall.left), (1, cells - 1));
    let first = &s.overall;
    assert_eq!(first.compared, 1);
    let teacher = persist::load_path(&reference).unwrap().project;
    let key = teacher
        .score(
            &teacher.analysts[0].id,
            &p.mechanisms[0].id,
            &p.framework.groups[0].criteria[0].id,
        )
        .unwrap()
        .value;
    if key != ScoreValue::Value(0.0) {
        let d = &s.disagreements[0];
        assert_eq!(d.student, ScoreValue::Value(0.0));
        assert!(!d.reference[0].rationale.is_empty());
        assert!(
            h.query_all_by_label_contains("Reference rationale:")
                .next()
                .is_some()
        );
    }
    assert!(
        h.query_all_by_label_contains(&format!("You scored 1 of {cells} cells"))
            .next()
            .is_some()
    );
    assert!(
        h.query_by_label("Within ±1").is_some(),
        "the table per criterion"
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
    // The sidebar follows the mechanism shown.
    assert_eq!(h.state().view.mechanism.as_deref(), Some(first.as_str()));
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
    assert_eq!(
        h.state().view.mechanism.as_deref(),
        Some(order[1].as_str()),
        "the sidebar follows Next"
    );
    // A click on a mechanism in the list moves the card there: the one below the
    // selected mechanism in the list (project order), which the list shows.
    let p = h.state().session.project().clone();
    let at = p.mechanisms.iter().position(|m| m.id == order[1]).unwrap();
    let next = &p.mechanisms[if at + 1 < p.mechanisms.len() {
        at + 1
    } else {
        at - 1
    }];
    let k = order.iter().position(|id| *id == next.id).unwrap();
    h.get_by_label(&next.name).click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().view.criterion_first.pos, k);
    assert_eq!(h.state().view.mechanism.as_deref(), Some(order[k].as_str()));
}

/// Criterion-first is blind: a cell that already has a score (the sample's reference
/// scored every cell) shows no chosen level and no rationale until the student answers.
#[test]
fn criterion_first_hides_the_existing_score_until_the_student_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(dir.path().join("d"));
    app.start(None);
    let mut h = harness(app);
    click(&mut h, "Criterion-first");
    let cf = &h.state().view.criterion_first;
    let (mech, crit) = (cf.order[0].clone(), cf.criterion.clone().unwrap());
    let p = h.state().session.project().clone();
    let a = p.analysts[0].id.clone();
    let existing = p.score(&a, &mech, &crit).unwrap().clone();
    let ScoreValue::Value(v) = existing.value else {
        panic!("the sample scores this cell");
    };
    assert!(!existing.rationale.is_empty());
    let selected = |h: &Harness<'static, App>, n: i64| {
        h.get_by_label_contains(&format!("{n} — "))
            .accesskit_node()
            .toggled()
            .is_some_and(|t| t == egui::accesskit::Toggled::True)
    };
    // Nothing is selected, and the rationale is not shown.
    for n in 0..=4 {
        assert!(!selected(&h, n), "level {n} looks chosen");
    }
    assert!(h.query_by_label("Rationale for this score").is_none());
    assert!(
        h.query_all_by_label_contains(&existing.rationale)
            .next()
            .is_none()
    );
    assert!(
        h.query_all_by_label_contains("stays hidden until you answer")
            .next()
            .is_some()
    );
    // The student answers another level: it is recorded and shown, with the rationale.
    let answer = if v >= 2.0 { 0 } else { 4 };
    h.get_by_label_contains(&format!("{answer} — ")).click();
    h.run_steps(3);
    assert_eq!(
        h.state()
            .session
            .project()
            .score(&a, &mech, &crit)
            .unwrap()
            .value,
        ScoreValue::Value(answer as f64)
    );
    assert!(selected(&h, answer));
    assert!(h.query_by_label("Rationale for this score").is_some());
}
