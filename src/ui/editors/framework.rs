//! The framework editor: criteria groups (role, weight with its share of the
//! composite) and criteria (definition, teaching text, coding rule, direction, weight with its
//! share of the group, scale and anchors, gate).

use crate::model::rules::Text;
use egui::{DragValue, RichText};

use super::{text_area, text_field};
use crate::edit::{Command, GroupHeader};
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::view_state::ViewState;

fn share(w: f64, sum: f64) -> String {
    if sum > 0.0 {
        crate::wording::whole_percent(w / sum)
    } else {
        "—".into()
    }
}

use crate::compute::weighting::DIRECT_EDIT_NOTE;

/// A weight field that folds a whole drag into one undo step; `judged` when
/// judgements are kept for its set (the hover says what a direct edit does to them).
fn weight_field(
    ui: &mut egui::Ui,
    label: &str,
    w: &mut f64,
    judged: bool,
    out: &mut Vec<Action>,
) -> bool {
    let l = ui.label(label);
    let mut r = ui
        .add(
            DragValue::new(w)
                .range(0.0..=100.0)
                .speed(0.05)
                .max_decimals(3),
        )
        .labelled_by(l.id);
    if judged {
        r = r.on_hover_text(DIRECT_EDIT_NOTE);
    }
    if r.drag_stopped() || r.lost_focus() {
        out.push(Action::Seal);
    }
    r.changed()
}

pub fn framework_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    let fw = &cx.project.framework;
    egui::ScrollArea::vertical()
        .id_salt("framework-editor")
        .show(ui, |ui| {
            if let Some(mut edit) = view.ahp.take() {
                let keep = ui
                    .group(|ui| crate::ui::ahp_view::ahp_ui(ui, cx, &mut edit, out))
                    .inner;
                if keep {
                    view.ahp = Some(edit);
                }
                ui.separator();
            }
            if let Some(mut edit) = view.swing.take() {
                let keep = ui
                    .group(|ui| crate::ui::swing_view::swing_ui(ui, cx, &mut edit, out))
                    .inner;
                if keep {
                    view.swing = Some(edit);
                }
                ui.separator();
            }
            ui.heading("Framework");
            let (mut name, mut description) = (fw.name.clone(), fw.description.clone());
            let a = text_field(ui, "Framework name", &mut name, Text::Name, out);
            let b = text_area(
                ui,
                "Framework description",
                &mut description,
                3,
                Text::Long,
                out,
            );
            if a || b {
                out.push(Action::merged(
                    Command::SetFrameworkText { name, description },
                    "framework-text",
                ));
            }
            ui.add_space(8.0);
            weighting_row(ui, cx, view, JudgedSet::Groups, "the groups");
            let group_sum: f64 = fw.groups.iter().map(|g| g.weight).sum();
            for (gi, g) in fw.groups.iter().enumerate() {
                let title = format!(
                    "{} · {} · weight {} ({} of the composite)",
                    g.name,
                    g.role.as_str(),
                    format_value(g.weight),
                    share(g.weight, group_sum)
                );
                egui::CollapsingHeader::new(RichText::new(title).strong())
                    .id_salt(("group", &g.id))
                    .default_open(gi == 0)
                    .show(ui, |ui| group_ui(ui, cx, view, gi, g, out));
            }
            ui.add_space(8.0);
            if ui.button("Add criteria group").clicked() {
                let taken: Vec<String> = fw
                    .groups
                    .iter()
                    .flat_map(|g| {
                        std::iter::once(g.id.clone()).chain(g.criteria.iter().map(|c| c.id.clone()))
                    })
                    .collect();
                let id = unique_slug("new group", taken.iter().map(String::as_str));
                out.push(Action::edit(Command::AddGroup(Group {
                    id,
                    name: "New group".into(),
                    role: Role::Objective,
                    weight: 1.0,
                    description: String::new(),
                    criteria: Vec::new(),
                })));
            }
            ui.add_space(12.0);
            super::viewpoints::viewpoints_ui(ui, cx, out);
        });
}

/// How a set's weights were set (direct, or the pairwise or swing judgements kept in
/// the file, in use or not) and the buttons that open the pairwise and swing views.
fn weighting_row(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, target: JudgedSet, name: &str) {
    let fw = &cx.project.framework;
    let Some(reading) = crate::compute::weighting::read_target(fw, target) else {
        return;
    };
    if reading.ids.len() < 2 {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        let status = crate::compute::weighting::status_line(&reading);
        let r = ui.weak(format!("Weights of {name}: {status}"));
        if reading.pairwise.is_some() || reading.swing.is_some() {
            r.on_hover_text(DIRECT_EDIT_NOTE);
        }
        if reading.ids.len() <= crate::compute::ahp::MAX_ITEMS
            && ui
                .button(format!("Pairwise weighting of {name}…"))
                .on_hover_text("Set the weights by comparing the items two by two (AHP); the judgements are kept in the file")
                .clicked()
        {
            view.ahp = crate::ui::panel_state::AhpEdit::open(fw, target);
        }
        if ui
            .button(format!("Swing weighting of {name}…"))
            .on_hover_text("Set the weights by ranking and rating each swing from the worst to the best level; the swings are kept in the file")
            .clicked()
        {
            view.swing = crate::ui::panel_state::SwingEdit::open(fw, target);
        }
    });
}

fn group_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    gi: usize,
    g: &Group,
    out: &mut Vec<Action>,
) {
    let mut h = GroupHeader::of(g);
    let mut merge = None;
    egui::Grid::new(("group-grid", &g.id))
        .num_columns(2)
        .show(ui, |ui| {
            if text_field(ui, "Group name", &mut h.name, Text::Name, out) {
                merge = Some(format!("group:{}:name", g.id));
            }
            ui.end_row();
            let l = ui.label("Role");
            egui::ComboBox::from_id_salt(("role", &g.id))
                .selected_text(h.role.label())
                .show_ui(ui, |ui| {
                    for r in Role::ALL {
                        ui.selectable_value(&mut h.role, r, r.label());
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let judged = !cx.project.framework.weighting.groups.is_empty();
            if weight_field(
                ui,
                &format!("Weight of {}", g.name),
                &mut h.weight,
                judged,
                out,
            ) {
                merge = Some(format!("group:{}:weight", g.id));
            }
            ui.end_row();
        });
    if text_area(
        ui,
        "Group description",
        &mut h.description,
        2,
        Text::Long,
        out,
    ) {
        merge = Some(format!("group:{}:description", g.id));
    }
    if h != GroupHeader::of(g) {
        out.push(Action::Edit {
            cmd: Command::SetGroup {
                index: gi,
                header: h,
            },
            merge,
        });
    }
    weighting_row(ui, cx, view, JudgedSet::Criteria(gi), &g.name);
    let crit_sum: f64 = g.criteria.iter().map(|c| c.weight).sum();
    for (ci, c) in g.criteria.iter().enumerate() {
        let title = format!(
            "{} · weight {} ({} of the group){}",
            c.name,
            format_value(c.weight),
            share(c.weight, crit_sum),
            if c.direction == Direction::Cost {
                " · cost"
            } else {
                ""
            }
        );
        egui::CollapsingHeader::new(title)
            .id_salt(("criterion", &c.id))
            .show(ui, |ui| criterion_ui(ui, cx, view, gi, ci, c, out));
    }
    ui.horizontal(|ui| {
        if ui.button(format!("Add criterion to {}", g.name)).clicked() {
            let taken: Vec<String> = cx
                .project
                .framework
                .groups
                .iter()
                .flat_map(|g| {
                    std::iter::once(g.id.clone()).chain(g.criteria.iter().map(|c| c.id.clone()))
                })
                .collect();
            let id = unique_slug("new criterion", taken.iter().map(String::as_str));
            let mut c = Criterion::new(&id, "New criterion");
            if g.role == Role::Concern {
                c.direction = Direction::Cost;
            }
            out.push(Action::edit(Command::AddCriterion {
                group: gi,
                criterion: c,
            }));
        }
        if ui.button(format!("Delete group {}", g.name)).clicked() {
            out.push(Action::edit(Command::RemoveGroup(g.id.clone())));
        }
    });
}

fn criterion_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    gi: usize,
    ci: usize,
    original: &Criterion,
    out: &mut Vec<Action>,
) {
    let mut c = original.clone();
    let key = |f: &str| format!("criterion:{}:{f}", original.id);
    let mut merge = None;
    ui.weak(format!("id: {}", c.id));
    egui::Grid::new(("criterion-grid", &c.id))
        .num_columns(2)
        .show(ui, |ui| {
            if text_field(ui, "Criterion name", &mut c.name, Text::Name, out) {
                merge = Some(key("name"));
            }
            ui.end_row();
            let l = ui.label("Direction");
            egui::ComboBox::from_id_salt(("direction", &c.id))
                .selected_text(if c.direction == Direction::Benefit {
                    "benefit (higher = better)"
                } else {
                    "cost (higher = worse)"
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut c.direction,
                        Direction::Benefit,
                        "benefit (higher = better)",
                    );
                    ui.selectable_value(&mut c.direction, Direction::Cost, "cost (higher = worse)");
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let judged = cx
                .project
                .framework
                .weighting
                .criteria
                .contains_key(&cx.project.framework.groups[gi].id);
            if weight_field(
                ui,
                &format!("Weight of {}", original.name),
                &mut c.weight,
                judged,
                out,
            ) {
                merge = Some(key("weight"));
            }
            ui.end_row();
            let l = ui.label("Scale from");
            ui.horizontal(|ui| {
                ui.add(DragValue::new(&mut c.scale.min).range(-100..=99))
                    .labelled_by(l.id);
                let l2 = ui.label("to");
                ui.add(DragValue::new(&mut c.scale.max).range(-99..=100))
                    .labelled_by(l2.id);
            });
            ui.end_row();
            let l = ui.label("Gate");
            ui.horizontal(|ui| {
                let mut on = c.gate.is_some();
                ui.checkbox(&mut on, "not viable below").labelled_by(l.id);
                if on {
                    let mut v = c.gate.map_or(f64::from(c.scale.min + 1), |g| g.at_least);
                    ui.add(
                        DragValue::new(&mut v)
                            .range(f64::from(c.scale.min)..=f64::from(c.scale.max)),
                    );
                    c.gate = Some(Gate { at_least: v });
                } else {
                    c.gate = None;
                }
            });
            ui.end_row();
        });
    if text_area(ui, "Definition", &mut c.definition, 2, Text::Long, out) {
        merge = Some(key("definition"));
    }
    if text_area(
        ui,
        "Teaching text (shown beside the matrix)",
        &mut c.teaching,
        3,
        Text::Long,
        out,
    ) {
        merge = Some(key("teaching"));
    }
    if text_area(
        ui,
        "Coding rule (when 0, when not applicable, when not assessed, an example)",
        &mut c.coding,
        3,
        Text::Long,
        out,
    ) {
        merge = Some(key("coding"));
    }
    // Keep one anchor per level when the bounds change.
    let bounds_changed = (c.scale.min, c.scale.max) != (original.scale.min, original.scale.max);
    if bounds_changed && c.scale.min < c.scale.max && c.scale.max - c.scale.min <= Scale::MAX_SPAN {
        c.scale
            .anchors
            .retain(|a| a.value >= c.scale.min && a.value <= c.scale.max);
        for level in c.scale.min..=c.scale.max {
            if !c.scale.anchors.iter().any(|a| a.value == level) {
                c.scale.anchors.push(Anchor {
                    value: level,
                    label: String::new(),
                    descriptor: String::new(),
                });
            }
        }
        c.scale.anchors.sort_by_key(|a| a.value);
    }
    ui.label(RichText::new("Anchors (what each level means)").strong());
    egui::Grid::new(("anchors", &c.id))
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for a in &mut c.scale.anchors {
                ui.label(a.value.to_string());
                let l = format!("Label of level {}", a.value);
                let r = ui.add(
                    egui::TextEdit::singleline(&mut a.label)
                        .char_limit(Text::Short.max_chars())
                        .desired_width(110.0)
                        .hint_text("label"),
                );
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &l));
                if r.changed() {
                    merge = Some(key(&format!("anchor-label-{}", a.value)));
                }
                if r.lost_focus() {
                    out.push(Action::Seal);
                }
                let d = format!("Descriptor of level {}", a.value);
                let r = ui.add(
                    egui::TextEdit::singleline(&mut a.descriptor)
                        .char_limit(Text::Long.max_chars())
                        .desired_width(f32::INFINITY)
                        .hint_text("descriptor"),
                );
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &d));
                if r.changed() {
                    merge = Some(key(&format!("anchor-desc-{}", a.value)));
                }
                if r.lost_focus() {
                    out.push(Action::Seal);
                }
                ui.end_row();
            }
        });
    if ui
        .button(format!("Delete criterion {}", original.name))
        .clicked()
    {
        out.push(Action::edit(Command::RemoveCriterion(original.id.clone())));
        return;
    }
    if c != *original {
        view.criterion = Some(c.id.clone());
        out.push(Action::Edit {
            cmd: Command::SetCriterion {
                group: gi,
                index: ci,
                criterion: c,
            },
            merge,
        });
    }
}
