//! Editors for the parts of a project: mechanism, framework, sources, project info
//! and notes. Each edits a copy of one item and pushes a command when it changed;
//! a typing burst in one field is one undo step (merge key), sealed when focus leaves.

pub mod framework;
pub mod mechanism;
pub mod project;
pub mod sources;
pub mod viewpoints;

use egui::TextEdit;

use crate::model::rules::Text;
use crate::ui::action::Action;

/// Below a text field: how much room is left once the text nears its limit, and why
/// typing stops at the limit (the file format allows no more). Nothing when far below.
pub fn limit_note(ui: &mut egui::Ui, kind: Text, value: &str) {
    let max = kind.max_chars();
    // Cheap test first: fewer bytes than 80 % of the limit means fewer characters too.
    if value.len() < max * 4 / 5 {
        return;
    }
    let n = value.chars().count();
    if n >= max {
        ui.colored_label(
            super::style::warn_color(ui),
            format!(
                "{n} / {max} characters — the limit of this field (the file format allows no more)"
            ),
        );
    } else if n >= max * 4 / 5 {
        ui.weak(format!("{n} / {max} characters"));
    }
}

/// A labelled single-line text field; returns true when its text changed. Pushes a
/// seal when the field loses focus.
pub fn text_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    kind: Text,
    out: &mut Vec<Action>,
) -> bool {
    let l = ui.label(label);
    // The field and its limit note share one cell (editors lay fields out in grids).
    let r = ui
        .vertical(|ui| {
            let r = ui
                .add(
                    TextEdit::singleline(value)
                        .char_limit(kind.max_chars())
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            limit_note(ui, kind, value);
            r
        })
        .inner;
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
    kind: Text,
    out: &mut Vec<Action>,
) -> bool {
    let l = ui.label(label);
    let r = ui
        .vertical(|ui| {
            let r = ui
                .add(
                    TextEdit::multiline(value)
                        .char_limit(kind.max_chars())
                        .desired_rows(rows)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            limit_note(ui, kind, value);
            r
        })
        .inner;
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
