//! Editors for the parts of a project: mechanism, framework, sources, project info
//! and notes. Each edits a copy of one item and pushes a command when it changed;
//! a typing burst in one field is one undo step (merge key), sealed when focus leaves.

pub mod framework;
pub mod mechanism;
pub mod project;
pub mod sources;

use egui::TextEdit;

use crate::ui::action::Action;

/// A labelled single-line text field; returns true when its text changed. Pushes a
/// seal when the field loses focus.
pub fn text_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    out: &mut Vec<Action>,
) -> bool {
    let l = ui.label(label);
    let r = ui
        .add(TextEdit::singleline(value).desired_width(f32::INFINITY))
        .labelled_by(l.id);
    if r.lost_focus() {
        out.push(Action::Seal);
    }
    r.changed()
}

/// A labelled multi-line text field; returns true when its text changed.
pub fn text_area(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    rows: usize,
    out: &mut Vec<Action>,
) -> bool {
    let l = ui.label(label);
    let r = ui
        .add(
            TextEdit::multiline(value)
                .desired_rows(rows)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    if r.lost_focus() {
        out.push(Action::Seal);
    }
    r.changed()
}

/// Splits a comma-separated list, trimming blanks.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}
