//! Rank ranges and the ranking rule in the desktop app (egui_kittest): the results
//! view shows each rank with its range ("4 (1–25)"), and the Project tab chooses the
//! ranking rule as one undoable edit.
#![cfg(feature = "gui")]

mod common;

use common::ui::{app_sized, click};
use egui_kittest::kittest::Queryable;
use policy_workbench::compute;
use policy_workbench::model::RankingRule;
use policy_workbench::wording;

const ASEAN: &str = "ASEAN Plus China ministerial";

fn asean(app: &policy_workbench::app::App) -> compute::MechanismResult {
    let p = app.session.project();
    let r = compute::analyze(p, &app.view.selection()).unwrap();
    r.mechanisms
        .into_iter()
        .find(|m| m.name.starts_with(ASEAN))
        .unwrap()
}

#[test]
fn results_view_shows_the_rank_range() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), [1400.0, 1600.0]);
    h.run_steps(3);
    click(&mut h, "Results");
    let m = asean(h.state());
    let (best, worst) = m.rank_range.unwrap();
    assert!(
        best < worst,
        "the sample's ASEAN range is wider than one rank"
    );
    let text = wording::rank_with_range(m.rank, m.rank_range);
    assert_eq!(text, format!("{} ({best}–{worst})", m.rank.unwrap()));
    assert!(
        h.query_by_label(&text).is_some(),
        "the results view shows {text:?}"
    );
    // The rule is named above the table.
    assert!(
        h.query_all_by_label_contains("Ranking rule: rank on what is assessed")
            .next()
            .is_some()
    );
}

#[test]
fn the_project_tab_chooses_the_ranking_rule_with_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), [1400.0, 1600.0]);
    h.run_steps(3);
    click(&mut h, "Project & notes");
    click(&mut h, RankingRule::UnrankIncomplete.label());
    assert_eq!(
        h.state().session.project().settings.ranking_rule,
        RankingRule::UnrankIncomplete
    );
    let m = asean(h.state());
    assert_eq!((m.rank, m.total), (None, None));
    assert!(m.unranked_by_rule);

    // The results view follows: ASEAN reads "— (b–w)".
    click(&mut h, "Results");
    let text = wording::rank_with_range(None, m.rank_range);
    assert!(text.starts_with("— ("), "{text}");
    // Several incomplete mechanisms of the sample can share ASEAN's range.
    assert!(
        h.query_all_by_label(&text).next().is_some(),
        "shows {text:?}"
    );
    assert!(
        h.query_all_by_label_contains("Ranking rule: a mechanism with a counted group")
            .next()
            .is_some()
    );

    // One undo step puts the default back.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(3);
    assert_eq!(
        h.state().session.project().settings.ranking_rule,
        RankingRule::RankAssessed
    );
    assert!(asean(h.state()).rank.is_some());
}
