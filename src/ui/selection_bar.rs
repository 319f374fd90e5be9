//! Whose scores, which scenario and which viewpoint are shown: the choices above the
//! matrix, the results and the charts.

use crate::ui::context::Cx;
use crate::ui::view_state::ViewState;

/// A scenario's name marked as hypothetical — "NAME (hypothetical)" — unless the name
/// already says so ("Hypothetical: …"), so it is never said twice.
pub fn scenario_label(name: &str) -> String {
    if name.trim_start().to_lowercase().starts_with("hypothetical") {
        name.to_string()
    } else {
        format!("{name} (hypothetical)")
    }
}

/// Whose scores and which scenario are shown (shared by the matrix and results).
pub fn selection_toolbar_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    ui.horizontal_wrapped(|ui| selection_combos_ui(ui, cx, view));
}

pub fn selection_combos_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    let label = ui.label("Scores of");
    let current = view
        .analyst
        .as_deref()
        .and_then(|a| cx.project.analyst(a))
        .map_or("All analysts (median)".to_string(), |a| a.name.clone());
    egui::ComboBox::from_id_salt("analyst-choice")
        .selected_text(current)
        .show_ui(ui, |ui| {
            for a in &cx.project.analysts {
                ui.selectable_value(&mut view.analyst, Some(a.id.clone()), &a.name);
            }
            if cx.project.analysts.len() > 1 || cx.project.analysts.is_empty() {
                ui.selectable_value(&mut view.analyst, None, "All analysts (median)");
            }
        })
        .response
        .labelled_by(label.id);
    ui.separator();
    let label = ui.label("Scenario");
    let current = view
        .scenario
        .as_deref()
        .and_then(|s| cx.project.scenario(s))
        .map_or("Base assessment".to_string(), |s| scenario_label(&s.name));
    egui::ComboBox::from_id_salt("scenario-choice")
        .selected_text(current)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut view.scenario, None, "Base assessment");
            for s in &cx.project.scenarios {
                ui.selectable_value(
                    &mut view.scenario,
                    Some(s.id.clone()),
                    scenario_label(&s.name),
                );
            }
        })
        .response
        .labelled_by(label.id);
    let viewpoints = &cx.project.framework.viewpoints;
    if !viewpoints.is_empty() {
        ui.separator();
        let label = ui.label("Viewpoint");
        let current = cx.project.framework.viewpoint(view.viewpoint.as_deref());
        egui::ComboBox::from_id_salt("viewpoint-choice")
            .selected_text(current.map_or(String::new(), |v| v.name))
            .show_ui(ui, |ui| {
                for v in viewpoints {
                    let default =
                        cx.project.framework.default_viewpoint.as_deref() == Some(v.id.as_str());
                    let value = if default { None } else { Some(v.id.clone()) };
                    ui.selectable_value(&mut view.viewpoint, value, &v.name)
                        .on_hover_text(format!("{} ({})", v.perspective, v.reading.phrase()));
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("Whose interest the composite total measures");
    }
}

#[cfg(test)]
mod tests {
    use super::scenario_label;

    #[test]
    fn hypothetical_is_said_once() {
        assert_eq!(
            scenario_label("Hypothetical: stations close"),
            "Hypothetical: stations close"
        );
        assert_eq!(
            scenario_label("Concerns first"),
            "Concerns first (hypothetical)"
        );
    }
}
