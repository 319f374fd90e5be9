//! The sidebar (the mechanisms list beside the matrix) marks a mechanism that fails a
//! requirement gate, with the gate named by its criterion: on the sample, the overseas
//! police service stations, scored 0 on the geopolitical environment.
#![cfg(feature = "gui")]

mod common;

use common::ui::app_sized;
use egui_kittest::kittest::{NodeT, Queryable};

#[test]
fn the_sidebar_marks_the_one_mechanism_that_fails_a_gate() {
    let dir = tempfile::tempdir().unwrap();
    // Tall enough that the list draws every one of the sample's 29 mechanisms.
    let mut h = app_sized(dir.path(), [1400.0, 3200.0]);
    h.run_steps(3);
    assert!(
        h.query_all_by_label("INTERPOL").count() >= 1
            && h.query_all_by_label("Overseas \"police service stations\"")
                .count()
                >= 1,
        "every row is drawn"
    );
    let marks: Vec<(String, Option<String>)> = h
        .query_all_by_label_contains("Not viable: ")
        .map(|n| {
            let a = n.accesskit_node();
            (a.label().unwrap_or_default(), a.value())
        })
        .collect();
    assert_eq!(
        marks,
        [(
            "Not viable: fails 'Geopolitical environment' (0 < 1)".to_string(),
            Some("!".to_string())
        )],
        "one mark, on the overseas stations, naming the criterion"
    );
}

#[test]
fn the_comparison_table_says_who_is_not_viable_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), [1400.0, 4000.0]);
    h.run_steps(3);
    common::ui::click(&mut h, "Scenarios");
    common::ui::click(&mut h, "Compare side by side");
    // The sample's first scenario: the European stations close; they fail the
    // geopolitical gate in the base assessment and also the organisational one there.
    let cells: Vec<String> = h
        .query_all_by_label_contains("not viable")
        .filter_map(|n| n.accesskit_node().value())
        .collect();
    assert!(
        cells.iter().any(|c| c == "not viable on both sides"),
        "{cells:?}"
    );
    assert!(
        !cells.iter().any(|c| c.starts_with("becomes")),
        "nobody's viability changes in this scenario: {cells:?}"
    );
}
