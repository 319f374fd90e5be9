//! The Check tab, the basis in the inspector and the coding rule, driven by label
//! (egui_kittest, no GPU, no display).
#![cfg(feature = "gui")]

mod common;

use common::ui::{app_in, click};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use policy_workbench::edit::Command;
use policy_workbench::model::{Basis, Origin, ScoreKey};
use policy_workbench::ui::view_state::Tab;

#[test]
fn a_finding_opens_its_cell_and_can_be_acknowledged_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(3);
    // The sample has no open warning: cite only the NGO report (graded C3) for a
    // score held at high confidence, which the check flags.
    let key = ScoreKey::new("reference", "extradition-treaties", "resources-norms");
    let mut score = h.state().session.project().scores[&key].clone();
    score.sources = vec!["sd-extradition-2023".into()];
    score.confidence = policy_workbench::model::Confidence::High;
    h.state_mut()
        .session
        .apply(
            Command::SetScore {
                key,
                score: Some(score),
            },
            None,
        )
        .unwrap();
    h.run_steps(3);
    click(&mut h, "Check");
    assert_eq!(h.state().view.tab, Tab::Check);
    let report = policy_workbench::check::check(h.state().session.project());
    let first = report.findings[0].clone();
    assert!(h.query_by_label_contains(&first.what).is_some());
    click(&mut h, &first.place.text);
    assert_eq!(
        h.state().view.tab,
        Tab::Matrix,
        "the click opens the matrix"
    );
    assert_eq!(h.state().view.mechanism, first.place.mechanism);
    assert_eq!(h.state().view.criterion, first.place.criterion);

    click(&mut h, "Check");
    h.get_all_by_label("Acknowledge…").next().unwrap().click();
    h.run_steps(3);
    h.get_by_role_and_label(Role::MultilineTextInput, "Reason for keeping it")
        .focus();
    h.run_steps(3);
    h.get_by_role_and_label(Role::MultilineTextInput, "Reason for keeping it")
        .type_text("The treaty itself is the evidence.");
    h.run_steps(3);
    click(&mut h, "Save the acknowledgement");
    let p = h.state().session.project();
    assert_eq!(p.acknowledgements.len(), 1);
    assert_eq!(p.acknowledgements[0].finding, first.id);
    assert_eq!(
        p.acknowledgements[0].reason,
        "The treaty itself is the evidence."
    );
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Warning (acknowledged)")
            .is_some()
    );
    click(&mut h, "Withdraw the acknowledgement");
    assert!(h.state().session.project().acknowledgements.is_empty());
}

#[test]
fn the_inspector_sets_the_basis_suggests_it_and_shows_the_coding_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(3);
    let (mech, crit, cell, coding, cited) = {
        let p = h.state().session.project();
        let a = h.state().view.analyst.clone().unwrap();
        // The first cell in matrix order that cites a source.
        let (k, s) = p
            .mechanisms
            .iter()
            .flat_map(|m| {
                let a = a.clone();
                p.framework
                    .criteria()
                    .map(move |(_, c)| ScoreKey::new(&a, &m.id, &c.id))
            })
            .find_map(|k| {
                p.scores
                    .get(&k)
                    .filter(|s| !s.sources.is_empty())
                    .map(|s| (k.clone(), s))
            })
            .unwrap();
        let m = p.mechanism(&k.mechanism).unwrap();
        let c = p.framework.criterion(&k.criterion).unwrap();
        (
            m.id.clone(),
            c.id.clone(),
            format!("{} / {}", m.name, c.name),
            c.coding.clone(),
            s.sources.clone(),
        )
    };
    click(&mut h, &cell);
    assert!(
        h.query_by_label_contains(&coding[..40]).is_some(),
        "the coding rule is shown beside the anchors"
    );
    assert_eq!(h.state().view.mechanism.as_deref(), Some(mech.as_str()));
    assert_eq!(h.state().view.criterion.as_deref(), Some(crit.as_str()));
    h.get_by_role_and_label(Role::RadioButton, "documented")
        .scroll_to_me();
    h.run_steps(3);
    h.get_by_role_and_label(Role::RadioButton, "documented")
        .click();
    h.run_steps(3);
    let a = h.state().view.analyst.clone().unwrap();
    let key = ScoreKey::new(&a, &mech, &crit);
    assert_eq!(
        h.state().session.project().scores[&key].basis,
        Basis::Documented
    );
    // Every cited source from the assessed state: the suggestion is a claim.
    for id in &cited {
        let (index, mut s) = {
            let p = h.state().session.project();
            let i = p.sources.iter().position(|s| &s.id == id).unwrap();
            (i, p.sources[i].clone())
        };
        s.origin = Origin::AssessedState;
        h.state_mut()
            .session
            .apply(Command::SetSource { index, source: s }, None)
            .unwrap();
    }
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("The cited sources suggest: Claim")
            .is_some()
    );
    h.get_by_role_and_label(Role::Button, "Use claim").click();
    h.run_steps(3);
    assert_eq!(h.state().session.project().scores[&key].basis, Basis::Claim);
}

#[test]
fn the_framework_editor_edits_a_coding_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(3);
    click(&mut h, "Framework");
    let (name, before) = {
        let c = &h.state().session.project().framework.groups[0].criteria[0];
        (c.name.clone(), c.coding.clone())
    };
    if h.query_by_label_contains(&format!("{name} · weight"))
        .is_none()
    {
        h.get_by_label_contains("Requirements").click();
        h.run_steps(3);
    }
    h.get_by_label_contains(&format!("{name} · weight")).click();
    h.run_steps(3);
    let field = "Coding rule (when 0, when not applicable, when not assessed, an example)";
    h.get_by_role_and_label(Role::MultilineTextInput, field)
        .focus();
    h.run_steps(3);
    h.get_by_role_and_label(Role::MultilineTextInput, field)
        .type_text(" Checked.");
    h.run_steps(3);
    let after = h.state().session.project().framework.groups[0].criteria[0]
        .coding
        .clone();
    assert_ne!(after, before);
    assert!(after.contains("Checked."), "{after}");
}

#[test]
fn the_sources_editor_sets_who_speaks() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(3);
    click(&mut h, "Sources");
    let id = {
        let p = h.state().session.project();
        // Every source of the sample says who speaks; change one from the press.
        p.sources
            .iter()
            .find(|s| s.origin == Origin::Press)
            .unwrap()
            .id
            .clone()
    };
    h.get_by_role_and_label(Role::TextInput, "Filter sources")
        .focus();
    h.run_steps(3);
    h.get_by_role_and_label(Role::TextInput, "Filter sources")
        .type_text(&id);
    h.run_steps(3);
    h.get_by_label_contains("cited").click();
    h.run_steps(3);
    h.get_by_label("Who speaks").click();
    h.run_steps(3);
    h.get_by_label("Advocacy organisation").click();
    h.run_steps(3);
    let p = h.state().session.project();
    assert_eq!(p.source(&id).unwrap().origin, Origin::Advocacy);
}

/// The status bar counts what the Check view counts (its open warnings), and a click
/// on it opens Check.
#[test]
fn the_status_bar_counts_the_checks_open_warnings_and_opens_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(3);
    let open = policy_workbench::check::check(h.state().session.project()).open_warnings();
    let label = if open == 0 {
        "Check: no open warning".to_string()
    } else if open == 1 {
        "Check: 1 open warning".to_string()
    } else {
        format!("Check: {open} open warnings")
    };
    assert!(h.query_by_label(&label).is_some(), "status shows {label}");
    assert_ne!(h.state().view.tab, Tab::Check);
    click(&mut h, &label);
    assert_eq!(h.state().view.tab, Tab::Check, "the click opens Check");
}
