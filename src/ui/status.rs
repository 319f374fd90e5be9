//! The status bar: where the project is, saved or not, whose scores and which
//! scenario are shown, warnings, and the last message.

use crate::ui::context::Cx;
use crate::ui::view_state::ViewState;

pub fn status_ui(ui: &mut egui::Ui, cx: &Cx, view: &ViewState) {
    ui.horizontal_wrapped(|ui| {
        let where_ = cx
            .chrome
            .path
            .as_ref()
            .map_or(cx.chrome.display_name.clone(), |p| p.display().to_string());
        ui.label(where_);
        if cx.chrome.dirty {
            ui.colored_label(crate::ui::style::warn_color(ui), "unsaved changes");
        } else if cx.chrome.path.is_some() {
            ui.weak("saved");
        }
        ui.separator();
        let who = view
            .analyst
            .as_deref()
            .and_then(|a| cx.project.analyst(a))
            .map_or("all analysts (median)".to_string(), |a| {
                format!("analyst: {}", a.name)
            });
        ui.label(who);
        ui.separator();
        let scen = view
            .scenario
            .as_deref()
            .and_then(|s| cx.project.scenario(s))
            .map_or("base assessment".to_string(), |s| {
                format!("scenario (hypothetical): {}", s.name)
            });
        ui.label(scen);
        ui.separator();
        let warnings = cx.chrome.warnings;
        if warnings == 0 {
            ui.weak("no warnings");
        } else {
            ui.colored_label(
                crate::ui::style::warn_color(ui),
                format!("{warnings} warning(s)"),
            )
            .on_hover_text("Scores without rationale, or without sources, in the scores shown");
        }
        if cx.chrome.dialog_open {
            ui.separator();
            ui.label("waiting for the file dialog…");
        }
        if !cx.chrome.status.is_empty() {
            ui.separator();
            ui.label(cx.chrome.status);
        }
    });
}
