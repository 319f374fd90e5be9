//! Pairwise and swing weighting in the desktop app (egui_kittest): judgements made in
//! the framework editor are kept in the file, survive save and reload, reproduce the
//! weights, reopen as they were, and a direct edit leaves them kept but not applied.
#![cfg(feature = "gui")]

mod common;

use common::ui::{app_sized, click};
use egui_kittest::kittest::Queryable;
use policy_workbench::app::App;
use policy_workbench::compute::weighting::read_target;
use policy_workbench::model::JudgedSet;

fn names(app: &App) -> (String, Vec<String>) {
    let g = &app.session.project().framework.groups[0];
    (
        g.name.clone(),
        g.criteria.iter().map(|c| c.name.clone()).collect(),
    )
}

fn type_into(h: &mut egui_kittest::Harness<'static, App>, label: &str, text: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_steps(2);
    h.get_by_label(label).click();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label(label).type_text(text);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
}

#[test]
fn pairwise_judgements_survive_save_and_reload_and_reproduce_the_weights() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), [1400.0, 2400.0]);
    h.run_steps(3);
    click(&mut h, "Framework");
    let (group, crits) = names(h.state());
    assert!(
        crits.len() >= 3,
        "the sample's first group has three criteria"
    );
    click(&mut h, &format!("Pairwise weighting of {group}…"));
    // Values between Saaty's points, typed.
    type_into(
        &mut h,
        &format!("Value of {} vs {}", crits[0], crits[1]),
        "2.5",
    );
    type_into(
        &mut h,
        &format!("Value of {} vs {}", crits[0], crits[2]),
        "1/3.5",
    );
    type_into(
        &mut h,
        &format!("Value of {} vs {}", crits[1], crits[2]),
        "1/5",
    );
    click(&mut h, "Apply these weights");
    let p = h.state().session.project().clone();
    let kept = &p.framework.weighting.criteria[&p.framework.groups[0].id];
    assert_eq!(kept.pairwise.len(), 3);
    assert_eq!(kept.pairwise[0].value, 2.5);
    assert!((kept.pairwise[1].value - 1.0 / 3.5).abs() < 1e-12);
    let r = read_target(&p.framework, JudgedSet::Criteria(0)).unwrap();
    assert!(r.pairwise.as_ref().unwrap().in_use);
    let weights: Vec<f64> = p.framework.groups[0]
        .criteria
        .iter()
        .map(|c| c.weight)
        .collect();

    // Save, open in a fresh app: the same judgements and weights, still in use.
    let path = dir.path().join("weighted.json");
    assert!(h.state_mut().save_to(&path));
    drop(h); // closes the file (its lock) as quitting would
    let mut app = App::new(dir.path().join("data2"));
    app.start(Some(&path));
    let mut h2 = egui_kittest::Harness::builder()
        .with_size([1400.0, 2400.0])
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app);
    h2.run_steps(3);
    let q = h2.state().session.project().clone();
    assert_eq!(q.framework.weighting, p.framework.weighting);
    let again: Vec<f64> = q.framework.groups[0]
        .criteria
        .iter()
        .map(|c| c.weight)
        .collect();
    assert_eq!(again, weights);
    let r = read_target(&q.framework, JudgedSet::Criteria(0)).unwrap();
    let pw = r.pairwise.as_ref().unwrap();
    assert!(pw.in_use);
    for (a, b) in pw.result.as_ref().unwrap().weights.iter().zip(&r.shares) {
        assert!((a - b).abs() < 1e-12);
    }
    // Reopened, the grid shows what was typed.
    h2.run_steps(2);
    click(&mut h2, "Framework");
    assert!(
        h2.query_by_label_contains(&format!("Weights of {group}: pairwise judgements in use"))
            .is_some()
    );
    click(&mut h2, &format!("Pairwise weighting of {group}…"));
    let label = format!("Value of {} vs {}", crits[0], crits[2]);
    let shown = h2.get_by_label(&label).value();
    assert_eq!(shown.as_deref(), Some("1/3.5"));

    // A direct edit: the judgements are kept, not applied, and the editor says so.
    click(&mut h2, "Close pairwise weighting");
    h2.get_by_label_contains(&format!("{} · weight", crits[0]))
        .click();
    h2.run_steps(3);
    type_into(&mut h2, &format!("Weight of {}", crits[0]), "7");
    let q = h2.state().session.project();
    assert_eq!(q.framework.groups[0].criteria[0].weight, 7.0);
    assert_eq!(q.framework.weighting, p.framework.weighting);
    assert!(
        h2.query_by_label_contains("pairwise judgements kept, not applied")
            .is_some()
    );
}

#[test]
fn swing_judgements_survive_save_and_reload_and_reproduce_the_weights() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), [1400.0, 2400.0]);
    h.run_steps(3);
    click(&mut h, "Framework");
    let (group, crits) = names(h.state());
    click(&mut h, &format!("Swing weighting of {group}…"));
    // Equal weights open as three swings ranked 1 and rated 100: rank and rate them.
    type_into(&mut h, &format!("Rank of the swing of {}", crits[1]), "2");
    type_into(
        &mut h,
        &format!("Rating of the swing of {}", crits[1]),
        "60",
    );
    type_into(&mut h, &format!("Rank of the swing of {}", crits[2]), "3");
    type_into(
        &mut h,
        &format!("Rating of the swing of {}", crits[2]),
        "40",
    );
    click(&mut h, "Apply the swing weights");
    let p = h.state().session.project().clone();
    // 100, 60, 40 → 0.5, 0.3, 0.2 (by hand).
    let w: Vec<f64> = p.framework.groups[0]
        .criteria
        .iter()
        .map(|c| c.weight)
        .collect();
    for (a, b) in w.iter().zip([0.5, 0.3, 0.2]) {
        assert!((a - b).abs() < 1e-12, "{w:?}");
    }
    let kept = &p.framework.weighting.criteria[&p.framework.groups[0].id].swing;
    assert_eq!(
        kept.iter().map(|s| (s.rank, s.rating)).collect::<Vec<_>>(),
        vec![(1, 100.0), (2, 60.0), (3, 40.0)]
    );

    let path = dir.path().join("swing.json");
    assert!(h.state_mut().save_to(&path));
    drop(h); // closes the file (its lock) as quitting would
    let mut app = App::new(dir.path().join("data2"));
    app.start(Some(&path));
    let mut h2 = egui_kittest::Harness::builder()
        .with_size([1400.0, 2400.0])
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app);
    h2.run_steps(3);
    let q = h2.state().session.project().clone();
    assert_eq!(q.framework.weighting, p.framework.weighting);
    let r = read_target(&q.framework, JudgedSet::Criteria(0)).unwrap();
    let s = r.swing.as_ref().unwrap();
    assert!(s.in_use);
    assert_eq!(r.method(), "swing");
    for (a, b) in s.weights.as_ref().unwrap().iter().zip(&w) {
        assert!((a - b).abs() < 1e-12);
    }
    h2.run_steps(2);
    click(&mut h2, "Framework");
    assert!(
        h2.query_by_label_contains(&format!("Weights of {group}: swing judgements in use"))
            .is_some()
    );
}

#[test]
fn the_groups_have_a_pairwise_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), [1400.0, 2400.0]);
    h.run_steps(3);
    click(&mut h, "Framework");
    click(&mut h, "Pairwise weighting of the groups…");
    let groups: Vec<String> = h
        .state()
        .session
        .project()
        .framework
        .groups
        .iter()
        .map(|g| g.name.clone())
        .collect();
    type_into(
        &mut h,
        &format!("Value of {} vs {}", groups[0], groups[1]),
        "3",
    );
    click(&mut h, "Keep the judgements only");
    let p = h.state().session.project();
    let kept = &p.framework.weighting.groups.pairwise;
    assert_eq!(kept.len(), groups.len() * (groups.len() - 1) / 2);
    assert_eq!(kept[0].value, 3.0);
    // Kept only: the weights did not move, so the judgements are not in use.
    assert!(p.framework.groups.iter().all(|g| g.weight == 1.0));
    let r = read_target(&p.framework, JudgedSet::Groups).unwrap();
    assert!(!r.pairwise.unwrap().in_use);
}

/// The app on the sample with the viewpoint "Returns for China" (which weighs the groups
/// itself) chosen, as the results view's choice would.
fn under_returns_for_china(dir: &std::path::Path) -> egui_kittest::Harness<'static, App> {
    let mut h = app_sized(dir, [1400.0, 2400.0]);
    h.run_steps(3);
    h.state_mut().view.viewpoint = Some("returns-china".into());
    h
}

/// The own group weights of "Returns for China".
fn own_weights(fw: &policy_workbench::model::Framework) -> std::collections::BTreeMap<String, f64> {
    fw.viewpoint(Some("returns-china"))
        .unwrap()
        .group_weights
        .unwrap()
}

/// Edit ▸ Undo, when what it undoes is a viewpoint's weights set from judgements (the
/// item reads "Undo set a viewpoint's weights from judgements Ctrl+Z").
fn undo_from_the_menu(h: &mut egui_kittest::Harness<'static, App>) {
    click(h, "Edit");
    h.get_by_label_contains("Undo set a viewpoint's weights from judgements")
        .click();
    h.run_steps(3);
}

/// With a viewpoint that weighs the groups itself chosen in the results view, the
/// groups' pairwise judgements can set that viewpoint's weights; the framework's own
/// weights stay as they were; one undo puts the viewpoint and the judgements back.
#[test]
fn pairwise_judgements_can_set_a_viewpoints_own_weights() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = under_returns_for_china(dir.path());
    click(&mut h, "Framework");
    click(&mut h, "Pairwise weighting of the groups…");
    let fw = h.state().session.project().framework.clone();
    let names: Vec<String> = fw.groups.iter().map(|g| g.name.clone()).collect();
    type_into(
        &mut h,
        &format!("Value of {} vs {}", names[0], names[1]),
        "3",
    );
    let vp_name = fw.viewpoint(Some("returns-china")).unwrap().name;
    click(&mut h, &format!("Apply to the viewpoint “{vp_name}”"));
    let p = h.state().session.project();
    // The framework's own weights did not move; the judgements are kept.
    assert!(
        p.framework
            .groups
            .iter()
            .zip(&fw.groups)
            .all(|(a, b)| a.weight == b.weight)
    );
    assert_eq!(p.framework.weighting.groups.pairwise[0].value, 3.0);
    // The viewpoint now weighs every group by the judgements (3 for the first against
    // the second, the other pairs equal), as AHP computes them.
    let n = fw.groups.len();
    let mut upper = vec![1.0; n * (n - 1) / 2];
    upper[0] = 3.0;
    use policy_workbench::compute::ahp;
    let expect = ahp::weigh(&ahp::PairwiseMatrix::from_upper(n, &upper).unwrap()).weights;
    let w = own_weights(&p.framework);
    for (g, e) in fw.groups.iter().zip(&expect) {
        assert!((w[&g.id] - e).abs() < 1e-9, "{}: {} vs {e}", g.id, w[&g.id]);
    }
    assert!(policy_workbench::model::rules::check_project(p, 5).is_empty());

    // One click, one undo step: the judgements and the viewpoint go back together.
    undo_from_the_menu(&mut h);
    let q = h.state().session.project();
    assert_eq!(q.framework.viewpoints, fw.viewpoints);
    assert_eq!(q.framework.weighting, fw.weighting);
    assert_eq!(q.framework, fw);
}

/// The same for the swings: with a viewpoint that weighs the groups itself chosen in
/// the results view, "Apply to the viewpoint “…”" sets its own group weights to the
/// swing weights (a swing rated 0: that group is not counted), keeps the swings, leaves
/// the framework's weights as they were, and one undo puts everything back.
#[test]
fn swing_judgements_can_set_a_viewpoints_own_weights() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = under_returns_for_china(dir.path());
    let before = h.state().session.project().clone();
    let fw = &before.framework;
    let vp = fw.viewpoint(Some("returns-china")).unwrap();
    click(&mut h, "Framework");
    click(&mut h, "Swing weighting of the groups…");
    // Equal group weights open as swings all ranked 1 and rated 100. The sample's
    // groups, in order: requirements, responsible state, influence, concerns.
    let name = |id: &str| fw.group(id).unwrap().name.clone();
    let swings = [
        ("requirements", 3, 25.0),
        ("responsible-state", 2, 50.0),
        ("influence", 1, 100.0),
        ("concerns", 4, 0.0),
    ];
    for (id, rank, rating) in swings {
        if rank != 1 {
            type_into(
                &mut h,
                &format!("Rank of the swing of {}", name(id)),
                &rank.to_string(),
            );
            type_into(
                &mut h,
                &format!("Rating of the swing of {}", name(id)),
                &rating.to_string(),
            );
        }
    }
    click(&mut h, &format!("Apply to the viewpoint “{}”", vp.name));
    let p = h.state().session.project().clone();

    // The swing rule (docs/analysis.md): a weight is its rating over the sum of the
    // ratings; the group rated 0 is left out of the viewpoint, i.e. not counted.
    let sum: f64 = swings.iter().map(|s| s.2).sum();
    let w = own_weights(&p.framework);
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(!w.contains_key("concerns"));
    for (id, _, rating) in &swings[..3] {
        assert!((w[*id] - rating / sum).abs() < 1e-12, "{id}: {}", w[*id]);
    }
    // The framework's own weights did not move; the swings are kept.
    assert_eq!(p.framework.groups, before.framework.groups);
    let kept = &p.framework.weighting.groups.swing;
    for (id, rank, rating) in swings {
        let s = kept.iter().find(|s| s.id == id).unwrap();
        assert_eq!((s.rank, s.rating), (rank, rating));
    }
    assert!(policy_workbench::model::rules::check_project(&p, 5).is_empty());

    // One undo step puts the viewpoint (and the judgements) back.
    undo_from_the_menu(&mut h);
    let q = h.state().session.project();
    assert_eq!(q.framework.viewpoints, before.framework.viewpoints);
    assert_eq!(q.framework.weighting, before.framework.weighting);
    assert_eq!(*q, before);
}
