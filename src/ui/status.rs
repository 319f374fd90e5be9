//! The status bar: where the project is, saved or not, whose scores and which
//! scenario are shown, warnings, and the last message — on one line whatever the
//! window width (long texts are cut with "…", in full on hover).

use crate::ui::context::Cx;
use crate::ui::view_state::ViewState;

/// A label cut to `max` points wide, the whole text on hover.
fn cut_label(ui: &mut egui::Ui, text: egui::WidgetText, full: &str, max: f32) {
    ui.scope(|ui| {
        ui.set_max_width(max.max(40.0));
        ui.add(egui::Label::new(text).truncate())
            .on_hover_text(full);
    });
}

pub fn status_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    ui.horizontal(|ui| {
        let width = ui.available_width();
        let where_ = cx
            .chrome
            .path
            .as_ref()
            .map_or(cx.chrome.display_name.clone(), |p| p.display().to_string());
        cut_label(ui, where_.clone().into(), &where_, width * 0.3);
        if cx.chrome.dirty {
            ui.colored_label(crate::ui::style::warn_color(ui), "unsaved changes");
        } else if cx.chrome.path.is_some() {
            ui.weak("saved");
        }
        ui.separator();
        let who = crate::compute::whose_scores(
            cx.project,
            &crate::compute::Selection {
                analyst: view.analyst.clone(),
                ..Default::default()
            },
        );
        cut_label(ui, who.clone().into(), &who, width * 0.2);
        ui.separator();
        let scen = view
            .scenario
            .as_deref()
            .and_then(|s| cx.project.scenario(s))
            .map_or("base assessment".to_string(), |s| {
                format!(
                    "scenario: {}",
                    crate::ui::selection_bar::scenario_label(&s.name)
                )
            });
        cut_label(ui, scen.clone().into(), &scen, width * 0.25);
        ui.separator();
        // The same count as the Check view: its warnings not yet acknowledged.
        let warnings = cx.chrome.warnings;
        let text = if warnings == 0 {
            egui::RichText::new("Check: no open warning").weak()
        } else {
            egui::RichText::new(format!(
                "Check: {}",
                crate::wording::plural(warnings, "open warning", "open warnings")
            ))
            .color(crate::ui::style::warn_color(ui))
        };
        let clicked = ui
            .add(egui::Label::new(text).sense(egui::Sense::click()))
            .on_hover_text(
                "The warnings of the Check view that are not acknowledged (missing rationale or \
                 sources, claims taken as facts, gaps that lift a rank, …). Click to open Check.",
            )
            .clicked();
        if clicked {
            view.tab = crate::ui::view_state::Tab::Check;
        }
        if cx.chrome.dialog_open {
            ui.separator();
            ui.label("waiting for the file dialog…");
        }
        if !cx.chrome.status.is_empty() {
            ui.separator();
            let rest = ui.available_width();
            cut_label(ui, cx.chrome.status.into(), cx.chrome.status, rest);
        }
    });
}
