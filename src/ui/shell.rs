//! The window's layout: menu bar, status bar, the side panels, the tab row and the
//! view of the chosen tab, and the modal on top.

use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::modal_state::Modal;
use crate::ui::view_state::{Tab, ViewState};
use crate::ui::{menu, status, style};

/// Draws the whole window.
pub fn app_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    modal: Option<&mut Modal>,
    out: &mut Vec<Action>,
) {
    egui::Panel::top("menu").show(ui, |ui| menu::menu_ui(ui, cx, view, out));
    egui::Panel::bottom("status").show(ui, |ui| status::status_ui(ui, cx, view));
    let prefs = cx.chrome.prefs;
    // Side panels take a share of narrow windows so the matrix keeps room.
    let width = ui.available_width();
    // Charts need the width; the mechanism list is not used there.
    if prefs.show_mechanisms && view.tab != Tab::Charts {
        egui::Panel::left("mechanisms")
            .resizable(true)
            .default_size(prefs.mechanisms_width.min(width * 0.18).max(180.0))
            .min_size(180.0)
            .show(ui, |ui| crate::ui::mechanisms::list_ui(ui, cx, view, out));
    }
    // The score inspector belongs to scoring; charts and tables get the width.
    if prefs.show_inspector && matches!(view.tab, Tab::Matrix | Tab::Mechanism) {
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(prefs.inspector_width.min(width * 0.26).max(250.0))
            .min_size(240.0)
            .show(ui, |ui| {
                crate::ui::inspector::inspector_ui(ui, cx, view, out)
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        let hidden = crate::teaching::results_hidden(cx.project);
        if hidden && matches!(view.tab, Tab::Results | Tab::Charts | Tab::Scenarios) {
            view.tab = Tab::Matrix;
        }
        ui.horizontal_wrapped(|ui| {
            for t in Tab::ALL {
                let secondary = matches!(t, Tab::CriterionFirst | Tab::Learn | Tab::Feedback);
                if hidden && matches!(t, Tab::Results | Tab::Charts | Tab::Scenarios) {
                    continue;
                }
                if t == Tab::Feedback && cx.project.workshop.exercise.is_none() && view.feedback.is_none() {
                    continue;
                }
                let text = if secondary { egui::RichText::new(t.label()).italics() } else { egui::RichText::new(t.label()) };
                if ui.selectable_label(view.tab == t, text).clicked() {
                    view.tab = t;
                }
            }
        });
        if hidden {
            ui.colored_label(
                style::warn_color(ui),
                "Student exercise: totals, indices and charts stay hidden until you mark your scoring complete.",
            );
        }
        crate::ui::merge_conflicts::banner_ui(ui, cx, out);
        ui.separator();
        match view.tab {
            Tab::Matrix => crate::ui::matrix::matrix_tab_ui(ui, cx, view, out),
            Tab::Results => crate::ui::results::results_ui(ui, cx, view, out),
            Tab::Charts => crate::ui::charts_view::charts_ui(ui, cx, view, out),
            Tab::Scenarios => crate::ui::scenarios::scenarios_ui(ui, cx, view, out),
            Tab::Workshop => crate::ui::workshop_view::workshop_ui(ui, cx, view, out),
            Tab::CriterionFirst => crate::ui::teaching::criterion_first_ui(ui, cx, view, out),
            Tab::Learn => crate::ui::teaching::learn_ui(ui, cx),
            Tab::Feedback => crate::ui::teaching::feedback_ui(ui, cx, view, out),
            Tab::Mechanism => crate::ui::editors::mechanism::mechanism_ui(ui, cx, view, out),
            Tab::Framework => crate::ui::editors::framework::framework_ui(ui, cx, view, out),
            Tab::Sources => crate::ui::editors::sources::sources_ui(ui, cx, view, out),
            Tab::Project => crate::ui::editors::project::project_ui(ui, cx, view, out),
        }
    });
    if let Some(m) = modal {
        crate::ui::modals::modal_ui(ui.ctx(), m, out);
    }
}
