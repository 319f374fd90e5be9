//! A project with merge conflicts recorded by the git merge driver opens with a banner
//! and the list; a conflict is resolved by taking a side (one undo step), and the
//! unresolved ones are kept when saving.
#![cfg(feature = "gui")]

use egui_kittest::kittest::Queryable;
use policy_workbench::app::App;
use policy_workbench::gitmerge::merge_projects;
use policy_workbench::model::*;
use policy_workbench::persist;

mod common;

use common::ui::{click, harness};

/// The sample merged from two sides that scored one cell differently (1 and 3).
fn conflicted() -> String {
    let b = persist::load_str(policy_workbench::bundled::SAMPLE)
        .unwrap()
        .project;
    let key = ScoreKey::new("reference", "interpol", "geopolitical");
    let with = |v: f64| {
        let mut p = b.clone();
        p.scores.get_mut(&key).unwrap().value = ScoreValue::Value(v);
        persist::to_canonical_string(&p)
    };
    let m = merge_projects(
        Some(&persist::to_canonical_string(&b)),
        &with(1.0),
        &with(3.0),
    )
    .unwrap();
    assert_eq!(m.project.merge_conflicts.len(), 1);
    m.text
}

#[test]
fn a_recorded_conflict_is_shown_and_resolved_by_taking_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.json");
    std::fs::write(&path, conflicted()).unwrap();
    let mut app = App::new(dir.path().join("data"));
    app.start(Some(&path));
    let mut h = harness(app);
    assert!(
        h.query_by_label_contains("1 unresolved conflict from a git merge")
            .is_some(),
        "the banner"
    );
    assert!(
        h.query_by_label("scores[reference/interpol/geopolitical].value")
            .is_some()
    );
    click(&mut h, "Take theirs");
    let key = ScoreKey::new("reference", "interpol", "geopolitical");
    let p = h.state().session.project();
    assert_eq!(p.scores[&key].value, ScoreValue::Value(3.0));
    assert!(p.merge_conflicts.is_empty());
    assert!(h.query_by_label_contains("unresolved conflict").is_none());
    // One undo step brings the conflict back, with our value.
    h.state_mut().session.undo();
    h.run_steps(2);
    let p = h.state().session.project();
    assert_eq!(p.merge_conflicts.len(), 1);
    assert_eq!(p.scores[&key].value, ScoreValue::Value(1.0));
}
