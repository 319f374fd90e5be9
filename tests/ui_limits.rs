//! Editors show a field's limit before it is hit and stop there with a reason, so a
//! project in memory can always be saved (driven by label, like a person).
#![cfg(feature = "gui")]

mod common;

use common::ui::app_in;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use policy_workbench::model::rules::NAME_MAX_CHARS;
use policy_workbench::persist;

#[test]
fn typing_a_301_character_name_stops_at_the_limit_with_a_reason_and_the_project_saves() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(3);
    h.get_by_label("Add mechanism").click();
    h.run_steps(3);
    let n = h.state().session.project().mechanisms.len() - 1;
    let start = h.state().session.project().mechanisms[n]
        .name
        .chars()
        .count();
    h.get_by_role_and_label(Role::TextInput, "Name").focus();
    h.run_steps(2);
    let typed = "x".repeat(NAME_MAX_CHARS + 1 - start);
    h.get_by_role_and_label(Role::TextInput, "Name")
        .type_text(&typed);
    h.run_steps(3);
    let name = h.state().session.project().mechanisms[n].name.clone();
    assert_eq!(
        name.chars().count(),
        NAME_MAX_CHARS,
        "typing stops at the limit"
    );
    assert!(
        h.query_by_label_contains("the limit of this field")
            .is_some(),
        "the editor says why it stops"
    );
    let text = persist::to_canonical_string(h.state().session.project());
    assert!(persist::load_str(&text).is_ok(), "the project still saves");
}
