//! The results view reads a total as the command line, the charts and the report do
//! (`wording::points`, whole points): the sample's total of 56.25 shows as "56", and no
//! total is shown with a decimal the data do not carry.
#![cfg(feature = "gui")]

mod common;

use common::ui::{app_sized, click};
use egui_kittest::kittest::Queryable;
use policy_workbench::compute::{Selection, effective_matrix, results_from_matrix};
use policy_workbench::{bundled, wording};

#[test]
fn the_results_view_reads_totals_in_whole_points() {
    let project = bundled::sample();
    let sel = Selection::default();
    let m = effective_matrix(&project, &sel).unwrap();
    let r = results_from_matrix(&project.framework, &m, &sel);
    let half = r
        .mechanisms
        .iter()
        .filter_map(|x| x.total)
        .find(|t| ((t * 100.0).round() as i64) % 10 == 5)
        .expect("the sample has a total ending in 5 at the second decimal");
    let shown = wording::points(half);
    let dir = tempfile::tempdir().unwrap();
    // Tall enough that every row of the results table is drawn.
    let mut h = app_sized(dir.path(), [1400.0, 3200.0]);
    h.run_steps(3);
    click(&mut h, "Results");
    assert!(
        h.query_all_by_label(&shown).next().is_some(),
        "the results view shows {shown} for the total {half}"
    );
    for t in r.mechanisms.iter().filter_map(|x| x.total) {
        let decimal = wording::one_decimal(t);
        if decimal.ends_with(".0") {
            continue;
        }
        assert!(
            h.query_all_by_label(&decimal).next().is_none(),
            "no total reads with a decimal ({decimal})"
        );
    }
}
