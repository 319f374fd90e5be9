//! The scenarios view: create, duplicate, rename, delete; edit a scenario's narrative,
//! assumptions and overrides (weights, scores with their own rationale, mechanisms
//! excluded or added). Scenarios are hypothetical and never change the base.

use crate::model::rules::Text;
use egui::{DragValue, RichText};

use crate::edit::Command;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::editors::{text_area, text_field};
use crate::ui::modal_state::Modal;
use crate::ui::style;
use crate::ui::view_state::ViewState;

fn push_scenario(index: usize, s: Scenario, merge: Option<String>, out: &mut Vec<Action>) {
    out.push(Action::Edit {
        cmd: Command::SetScenario { index, scenario: s },
        merge,
    });
}

pub fn scenarios_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    let p = cx.project;
    ui.horizontal_wrapped(|ui| {
        ui.heading("Scenarios");
        ui.weak("(hypothetical: a scenario never changes the base assessment)");
    });
    ui.horizontal_wrapped(|ui| {
        if ui.button("New scenario").clicked() {
            let id = unique_slug("scenario", p.scenarios.iter().map(|s| s.id.as_str()));
            out.push(Action::edit(Command::AddScenario(Scenario {
                id: id.clone(),
                name: format!("Scenario {}", p.scenarios.len() + 1),
                ..Scenario::default()
            })));
            view.scenario_edit = Some(id);
        }
        let current = view.scenario_edit.as_deref().and_then(|id| p.scenario(id));
        if let Some(s) = current {
            if ui.button("Duplicate scenario").clicked() {
                let id = unique_slug(
                    &format!("{} copy", s.id),
                    p.scenarios.iter().map(|s| s.id.as_str()),
                );
                let taken: Vec<String> = p
                    .mechanisms
                    .iter()
                    .map(|m| m.id.clone())
                    .chain(
                        p.scenarios
                            .iter()
                            .flat_map(|s| s.added_mechanisms.iter().map(|m| m.id.clone())),
                    )
                    .collect();
                let mut copy = s.clone();
                copy.id = id.clone();
                copy.name = format!("{} (copy)", s.name);
                // Added mechanisms need ids of their own in the copy.
                let mut renamed = Vec::new();
                for m in &mut copy.added_mechanisms {
                    let new_id = unique_slug(
                        &format!("{} {}", m.id, id),
                        taken.iter().chain(renamed.iter()).map(String::as_str),
                    );
                    for o in &mut copy.score_overrides {
                        if o.mechanism == m.id {
                            o.mechanism = new_id.clone();
                        }
                    }
                    m.id = new_id.clone();
                    renamed.push(new_id);
                }
                out.push(Action::edit(Command::AddScenario(copy)));
                view.scenario_edit = Some(id);
            }
            if ui
                .button("Delete scenario…")
                .on_hover_text(format!(
                    "Delete “{}” (asks first; Undo brings it back)",
                    s.name
                ))
                .clicked()
            {
                out.push(Action::Modal(Modal::DeleteScenario {
                    id: s.id.clone(),
                    name: s.name.clone(),
                }));
            }
            if ui.button("Show it in the matrix and results").clicked() {
                view.scenario = Some(s.id.clone());
                view.tab = crate::ui::view_state::Tab::Matrix;
            }
        }
    });
    ui.horizontal(|ui| {
        ui.selectable_value(&mut view.comparing, false, "Edit scenarios");
        ui.selectable_value(&mut view.comparing, true, "Compare side by side");
    });
    ui.separator();
    if view.comparing {
        egui::ScrollArea::vertical()
            .id_salt("compare-scroll")
            .show(ui, |ui| crate::ui::compare_view::compare_ui(ui, cx, view));
        return;
    }
    if p.scenarios.is_empty() {
        ui.label("No scenarios yet. A scenario states a hypothesis (a narrative and its assumptions) and changes weights, scores or the set of mechanisms on top of the base assessment.");
        return;
    }
    // Open the first scenario when none is chosen (a new one is chosen before it exists).
    if view.scenario_edit.is_none() {
        view.scenario_edit = p.scenarios.first().map(|s| s.id.clone());
    }
    egui::Panel::left("scenario-list")
        .resizable(false)
        .exact_size(210.0)
        .show(ui, |ui| {
            for s in &p.scenarios {
                let selected = view.scenario_edit.as_deref() == Some(s.id.as_str());
                if ui
                    .add(egui::Button::selectable(selected, &s.name).wrap())
                    .clicked()
                {
                    view.scenario_edit = Some(s.id.clone());
                }
            }
        });
    egui::CentralPanel::default().show(ui, |ui| {
        let Some((index, s)) = view
            .scenario_edit
            .as_deref()
            .and_then(|id| p.scenarios.iter().enumerate().find(|(_, s)| s.id == id))
        else {
            ui.label("Choose a scenario on the left.");
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("scenario-editor")
            .show(ui, |ui| scenario_editor_ui(ui, cx, index, s, out));
    });
}

fn scenario_editor_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    index: usize,
    original: &Scenario,
    out: &mut Vec<Action>,
) {
    let p = cx.project;
    let mut s = original.clone();
    let mut merge = None;
    let key = |f: &str| format!("scenario:{}:{f}", original.id);
    ui.colored_label(style::warn_color(ui), "Hypothetical scenario");
    if text_field(ui, "Scenario name", &mut s.name, Text::Name, out) {
        merge = Some(key("name"));
    }
    if text_area(ui, "Narrative", &mut s.narrative, 3, Text::Long, out) {
        merge = Some(key("narrative"));
    }
    let mut assumptions = s.assumptions.join("\n");
    if text_area(
        ui,
        "Assumptions (one per line)",
        &mut assumptions,
        3,
        Text::Long,
        out,
    ) {
        s.assumptions = assumptions
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        merge = Some(key("assumptions"));
    }

    ui.add_space(6.0);
    ui.label(RichText::new("Weights").strong());
    ui.weak("Tick a weight to override it in this scenario.");
    egui::Grid::new("scenario-weights")
        .num_columns(3)
        .show(ui, |ui| {
            for g in &p.framework.groups {
                weight_row(
                    ui,
                    &format!("Group: {}", g.name),
                    g.weight,
                    s.group_weights.get(&g.id).copied(),
                    |v| {
                        match v {
                            Some(w) => s.group_weights.insert(g.id.clone(), w),
                            None => s.group_weights.remove(&g.id),
                        };
                    },
                    &mut merge,
                    &key(&format!("gw:{}", g.id)),
                    out,
                );
                for c in &g.criteria {
                    weight_row(
                        ui,
                        &format!("   {}", c.name),
                        c.weight,
                        s.criterion_weights.get(&c.id).copied(),
                        |v| {
                            match v {
                                Some(w) => s.criterion_weights.insert(c.id.clone(), w),
                                None => s.criterion_weights.remove(&c.id),
                            };
                        },
                        &mut merge,
                        &key(&format!("cw:{}", c.id)),
                        out,
                    );
                }
            }
        });

    ui.add_space(6.0);
    ui.label(RichText::new("Mechanisms excluded in this scenario").strong());
    ui.horizontal_wrapped(|ui| {
        for m in &p.mechanisms {
            let mut on = s.excluded_mechanisms.contains(&m.id);
            if ui.checkbox(&mut on, &m.name).changed() {
                if on {
                    s.excluded_mechanisms.push(m.id.clone());
                } else {
                    s.excluded_mechanisms.retain(|x| *x != m.id);
                }
            }
        }
    });

    ui.add_space(6.0);
    ui.label(RichText::new("Mechanisms added by this scenario").strong());
    let mut remove_added = None;
    for (i, m) in s.added_mechanisms.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let l = ui.label(format!("Added mechanism {}", i + 1));
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut m.name)
                        .char_limit(crate::model::rules::Text::Name.max_chars())
                        .desired_width(260.0),
                )
                .labelled_by(l.id);
            if r.changed() {
                merge = Some(format!("scenario:{}:added:{i}", original.id));
            }
            egui::ComboBox::from_id_salt(("added-kind", i))
                .selected_text(m.kind.label())
                .show_ui(ui, |ui| {
                    for k in Kind::ALL {
                        ui.selectable_value(&mut m.kind, k, k.label());
                    }
                });
            if ui.button("Remove").clicked() {
                remove_added = Some(i);
            }
        });
    }
    if let Some(i) = remove_added {
        let id = s.added_mechanisms.remove(i).id;
        s.score_overrides.retain(|o| o.mechanism != id);
    }
    if ui.button("Add a hypothetical mechanism").clicked() {
        let taken: Vec<String> = p
            .mechanisms
            .iter()
            .map(|m| m.id.clone())
            .chain(
                p.scenarios
                    .iter()
                    .flat_map(|s| s.added_mechanisms.iter().map(|m| m.id.clone())),
            )
            .collect();
        let id = unique_slug(
            &format!("{} new mechanism", s.id),
            taken.iter().map(String::as_str),
        );
        s.added_mechanisms
            .push(Mechanism::new(&id, "New hypothetical mechanism"));
    }

    ui.add_space(6.0);
    ui.label(RichText::new(format!("Score overrides ({})", s.score_overrides.len())).strong());
    ui.weak("Set them in the scoring matrix with this scenario shown: a typed value becomes an override of this scenario. Each override carries its own rationale.");
    let mut remove = None;
    for (i, o) in s.score_overrides.iter_mut().enumerate() {
        let mech = p
            .mechanism(&o.mechanism)
            .map(|m| m.name.clone())
            .or_else(|| {
                original
                    .added_mechanisms
                    .iter()
                    .find(|m| m.id == o.mechanism)
                    .map(|m| m.name.clone())
            })
            .unwrap_or_else(|| o.mechanism.clone());
        let crit = p
            .framework
            .criterion(&o.criterion)
            .map_or(o.criterion.clone(), |c| c.name.clone());
        ui.group(|ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{mech} / {crit}")).strong());
                ui.label(format!("= {}", o.score.value.short()));
                let base = cx
                    .project
                    .analysts
                    .iter()
                    .filter_map(|a| cx.project.score(&a.id, &o.mechanism, &o.criterion))
                    .filter_map(|x| x.value.number())
                    .collect::<Vec<_>>();
                if let Some(m) = crate::compute::stats::median(&base) {
                    ui.weak(format!("(base: {})", format_value(m)));
                }
                if ui.button(format!("Remove override {}", i + 1)).clicked() {
                    remove = Some(i);
                }
            });
            let l = ui.label(format!("Why (override {})", i + 1));
            let r = ui
                .add(
                    egui::TextEdit::multiline(&mut o.score.rationale)
                        .char_limit(crate::model::rules::Text::Long.max_chars())
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            if r.changed() {
                merge = Some(format!("scenario:{}:override:{i}", original.id));
            }
            if r.lost_focus() {
                out.push(Action::Seal);
            }
        });
    }
    if let Some(i) = remove {
        s.score_overrides.remove(i);
    }
    if s != *original {
        push_scenario(index, s, merge, out);
    }
}

#[allow(clippy::too_many_arguments)]
fn weight_row(
    ui: &mut egui::Ui,
    label: &str,
    base: f64,
    current: Option<f64>,
    mut set: impl FnMut(Option<f64>),
    merge: &mut Option<String>,
    key: &str,
    out: &mut Vec<Action>,
) {
    let mut on = current.is_some();
    let l = ui.label(label);
    if ui.checkbox(&mut on, "override").labelled_by(l.id).changed() {
        set(if on { Some(base) } else { None });
    }
    if let Some(mut w) = current {
        let r = ui.add(
            DragValue::new(&mut w)
                .range(0.0..=100.0)
                .speed(0.05)
                .max_decimals(3),
        );
        if r.changed() {
            set(Some(w));
            *merge = Some(key.to_string());
        }
        if r.drag_stopped() || r.lost_focus() {
            out.push(Action::Seal);
        }
    } else {
        ui.weak(format!("base {}", format_value(base)));
    }
    ui.end_row();
}
