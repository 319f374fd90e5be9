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
    // A modal owns the keyboard. The app's own state says whether one is open (egui's
    // modal layer is the previous frame's, and the panels below read keys before the
    // modal is drawn): the panels draw without this frame's input events, and what they
    // push is dropped; the events come back for the modal.
    let held = modal
        .is_some()
        .then(|| ui.ctx().input_mut(|i| std::mem::take(&mut i.events)));
    let mut behind = Vec::new();
    panels(ui, cx, view, &mut behind);
    match held {
        Some(events) => ui.ctx().input_mut(|i| i.events = events),
        None => out.append(&mut behind),
    }
    if let Some(m) = modal {
        crate::ui::modals::modal_ui(ui.ctx(), m, out);
    }
}

/// The tab row: each group of views after its name, the groups apart.
fn tabs_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    let hidden = crate::teaching::results_hidden(cx.project);
    ui.horizontal_wrapped(|ui| {
        for (gi, (group, tabs)) in Tab::GROUPS.iter().enumerate() {
            let shown: Vec<Tab> = tabs
                .iter()
                .copied()
                .filter(|t| {
                    let results = matches!(t, Tab::Results | Tab::Charts | Tab::Scenarios);
                    let no_feedback = *t == Tab::Feedback
                        && cx.project.workshop.exercise.is_none()
                        && view.feedback.is_none();
                    let hidden_here = hidden && results;
                    !(hidden_here || no_feedback)
                })
                .collect();
            if shown.is_empty() {
                continue;
            }
            // A group goes to the next row as a whole when it does not fit.
            let text_w = |text: &str, style: egui::TextStyle| {
                let font = style.resolve(ui.style());
                ui.painter()
                    .layout_no_wrap(text.to_string(), font, egui::Color32::WHITE)
                    .size()
                    .x
            };
            let spacing = ui.spacing().item_spacing.x;
            let pad = 2.0 * ui.spacing().button_padding.x + spacing;
            let width: f32 = group.map_or(0.0, |g| text_w(g, egui::TextStyle::Small) + spacing)
                + shown
                    .iter()
                    .map(|t| text_w(t.label(), egui::TextStyle::Button) + pad)
                    .sum::<f32>();
            if gi > 0 {
                if width + 2.0 * spacing + 1.0 > ui.available_size_before_wrap().x {
                    ui.end_row();
                } else {
                    ui.separator();
                }
            }
            if let Some(name) = group {
                ui.label(egui::RichText::new(*name).small().weak());
            }
            for t in shown {
                if ui.selectable_label(view.tab == t, t.label()).clicked() {
                    view.tab = t;
                }
            }
        }
    });
}

/// Everything but the modal: menus, status bar, side panels, tabs and the view.
fn panels(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    egui::Panel::top("menu").show(ui, |ui| menu::menu_ui(ui, cx, view, out));
    // The views, in groups, across the whole window: the row does not depend on
    // which side panels the chosen view shows, so nothing moves under the mouse.
    egui::Panel::top("views").show(ui, |ui| tabs_ui(ui, cx, view));
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
            Tab::Check => crate::ui::check_view::check_ui(ui, cx, view, out),
            Tab::CriterionFirst => crate::ui::teaching::criterion_first_ui(ui, cx, view, out),
            Tab::Learn => crate::ui::teaching::learn_ui(ui, cx),
            Tab::Feedback => crate::ui::teaching::feedback_ui(ui, cx, view, out),
            Tab::Mechanism => crate::ui::editors::mechanism::mechanism_ui(ui, cx, view, out),
            Tab::Framework => crate::ui::editors::framework::framework_ui(ui, cx, view, out),
            Tab::Sources => crate::ui::editors::sources::sources_ui(ui, cx, view, out),
            Tab::Project => crate::ui::editors::project::project_ui(ui, cx, view, out),
        }
    });
}
