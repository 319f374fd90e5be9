//! The framework's viewpoints in the framework editor: each one's name, perspective,
//! reading and group weights (the framework's own, or its own with 0 = not counted),
//! which one is the default, and adding or removing one. Every change replaces the
//! list through one command (`Command::SetViewpoints`), so it is undone in one step and
//! checked by the same rules as a file.

use egui::{DragValue, RichText};

use super::{text_area, text_field};
use crate::edit::Command;
use crate::model::rules::Text;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;

/// The viewpoints section.
pub fn viewpoints_ui(ui: &mut egui::Ui, cx: &Cx, out: &mut Vec<Action>) {
    let fw = &cx.project.framework;
    ui.heading("Viewpoints");
    ui.weak(
        "Whose interest a composite total measures: a viewpoint names a perspective, says which \
         way its total reads and weighs the groups it counts (0 = not counted). Every total, \
         chart and report names the viewpoint it takes.",
    );
    if fw.viewpoints.is_empty() {
        ui.label(
            "This framework lists no viewpoint: totals use the framework's own group weights, \
             read as higher = better (“As weighted”).",
        );
    }
    let default = fw
        .default_viewpoint
        .clone()
        .or_else(|| fw.viewpoints.first().map(|v| v.id.clone()));
    for (vi, v) in fw.viewpoints.iter().enumerate() {
        let is_default = default.as_deref() == Some(v.id.as_str());
        let title = format!(
            "{}{} · {}",
            v.name,
            if is_default { " (default)" } else { "" },
            v.reading.phrase()
        );
        egui::CollapsingHeader::new(RichText::new(title).strong())
            .id_salt(("viewpoint", &v.id))
            .show(ui, |ui| {
                if let Some(changed) = viewpoint_ui(ui, fw, v, out) {
                    let mut all = fw.viewpoints.clone();
                    all[vi] = changed.0;
                    push(out, all, default.clone(), changed.1.then(|| v.id.clone()));
                }
                ui.horizontal(|ui| {
                    if !is_default && ui.button("Make it the default").clicked() {
                        push(out, fw.viewpoints.clone(), Some(v.id.clone()), None);
                    }
                    if ui
                        .button("Delete this viewpoint")
                        .on_hover_text("Edit ▸ Undo brings it back")
                        .clicked()
                    {
                        let mut all = fw.viewpoints.clone();
                        all.remove(vi);
                        let next_default = if is_default {
                            all.first().map(|x| x.id.clone())
                        } else {
                            default.clone()
                        };
                        push(out, all, next_default, None);
                    }
                });
            });
    }
    if ui.button("Add viewpoint").clicked() {
        let mut all = fw.viewpoints.clone();
        let taken: Vec<&str> = all.iter().map(|v| v.id.as_str()).collect();
        let id = unique_slug("new viewpoint", taken.iter().copied());
        // A new viewpoint starts as today's composite: every group at its own weight.
        all.push(Viewpoint {
            id,
            name: "New viewpoint".into(),
            perspective: "Whose interest this total measures, and what it leaves out.".into(),
            reading: TotalReading::Benefit,
            group_weights: Some(fw.groups.iter().map(|g| (g.id.clone(), g.weight)).collect()),
        });
        push(out, all, default.clone(), None);
    }
}

/// Replaces the viewpoints; `typing`: a text being typed in this viewpoint (merged into
/// one undo step per burst).
fn push(
    out: &mut Vec<Action>,
    viewpoints: Vec<Viewpoint>,
    default: Option<String>,
    typing: Option<String>,
) {
    let cmd = Command::SetViewpoints {
        viewpoints,
        default,
    };
    out.push(match typing {
        Some(id) => Action::merged(cmd, format!("viewpoint-text-{id}")),
        None => Action::edit(cmd),
    });
}

/// One viewpoint's fields. Returns the changed viewpoint and whether the change was
/// typing, or None when nothing changed.
fn viewpoint_ui(
    ui: &mut egui::Ui,
    fw: &Framework,
    v: &Viewpoint,
    out: &mut Vec<Action>,
) -> Option<(Viewpoint, bool)> {
    let mut next = v.clone();
    let typed_name = text_field(ui, "Viewpoint name", &mut next.name, Text::Name, out);
    let typed_text = text_area(
        ui,
        "Perspective (whose interest, what counts and what does not)",
        &mut next.perspective,
        2,
        Text::Long,
        out,
    );
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.label("Reading");
        changed |= ui
            .radio_value(&mut next.reading, TotalReading::Benefit, "higher = better")
            .changed();
        changed |= ui
            .radio_value(
                &mut next.reading,
                TotalReading::Concern,
                "higher = more concern (rank 1 = most concerning)",
            )
            .changed();
    });
    let mut own = next.group_weights.is_some();
    ui.horizontal(|ui| {
        ui.label("Group weights");
        changed |= ui
            .radio_value(&mut own, false, "the framework's own")
            .on_hover_text("The weights set in the groups above and by the results view's sliders")
            .changed();
        changed |= ui.radio_value(&mut own, true, "its own").changed();
    });
    if own && next.group_weights.is_none() {
        next.group_weights = Some(fw.groups.iter().map(|g| (g.id.clone(), g.weight)).collect());
    } else if !own {
        next.group_weights = None;
    }
    if let Some(weights) = &mut next.group_weights {
        egui::Grid::new(("viewpoint-weights", &v.id))
            .num_columns(2)
            .show(ui, |ui| {
                for g in &fw.groups {
                    let mut w = weights.get(&g.id).copied().unwrap_or(0.0);
                    let l = ui.label(&g.name);
                    let r = ui
                        .add(
                            DragValue::new(&mut w)
                                .range(0.0..=crate::model::rules::WEIGHT_MAX)
                                .speed(0.05),
                        )
                        .labelled_by(l.id)
                        .on_hover_text("0 = this group is not counted in this viewpoint");
                    if r.changed() {
                        changed = true;
                        if w > 0.0 {
                            weights.insert(g.id.clone(), w);
                        } else {
                            weights.remove(&g.id);
                        }
                    }
                    ui.end_row();
                }
            });
    }
    let how = next.how_counted(fw);
    ui.weak(format!("Counted: {how}."));
    (typed_name || typed_text || changed).then_some((next, typed_name || typed_text))
}
