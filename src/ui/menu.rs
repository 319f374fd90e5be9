//! The menu bar.

use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::modal_state::Modal;
use crate::ui::prefs::Theme;
use crate::ui::view_state::{Tab, ViewState};

pub fn menu_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            ui.menu_button("New from template", |ui| {
                for id in &crate::bundled::template_ids() {
                    let label = match *id {
                        "lemieux" => "Lemieux framework (police cooperation)",
                        "blank" => "Blank framework",
                        other => other,
                    };
                    if ui.button(label).clicked() {
                        out.push(Action::New(id.to_string()));
                    }
                }
            });
            if ui.button("Open…  (Ctrl+O)").clicked() {
                out.push(Action::OpenDialog);
            }
            if ui.button("Open a path…").clicked() {
                out.push(Action::OpenPathPrompt);
            }
            ui.menu_button("Open recent", |ui| {
                if cx.chrome.prefs.recent.is_empty() {
                    ui.label("(none yet)");
                }
                for p in &cx.chrome.prefs.recent {
                    if ui.button(p.display().to_string()).clicked() {
                        out.push(Action::Open(p.clone()));
                    }
                }
            });
            if ui.button("Open the sample project").clicked() {
                out.push(Action::New("sample".into()));
            }
            ui.separator();
            if ui.button("Save  (Ctrl+S)").clicked() {
                out.push(Action::Save);
            }
            if ui.button("Save as…  (Ctrl+Shift+S)").clicked() {
                out.push(Action::SaveAs);
            }
            if ui.button("Save to a path…").clicked() {
                out.push(Action::SaveAsPathPrompt);
            }
            ui.separator();
            if ui.button("Export report (HTML or Markdown)…").clicked() {
                out.push(Action::ExportReport);
            }
            if ui.button("Export scores to CSV…").clicked() {
                out.push(Action::ExportCsv);
            }
            if ui.button("Import scores from CSV…").clicked() {
                out.push(Action::ImportCsv);
            }
            if ui.button("Import analyst files (workshop)…").clicked() {
                out.push(Action::ImportPackages);
            }
            ui.menu_button("Export charts", |ui| {
                if ui.button("All charts as PNG to a folder…").clicked() {
                    out.push(Action::ExportCharts {
                        kinds: crate::charts::ChartKind::ALL.to_vec(),
                        svg: false,
                    });
                }
                if ui.button("All charts as SVG to a folder…").clicked() {
                    out.push(Action::ExportCharts {
                        kinds: crate::charts::ChartKind::ALL.to_vec(),
                        svg: true,
                    });
                }
            });
            ui.separator();
            if ui.button("Prepare a student exercise…").clicked() {
                out.push(Action::PrepareExercise);
            }
            if ui.button("Compare with a reference scoring…").clicked() {
                out.push(Action::CompareReference);
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                out.push(Action::Quit);
            }
        });
        ui.menu_button("Edit", |ui| {
            let undo = cx
                .chrome
                .undo_label
                .map_or("Undo".to_string(), |l| format!("Undo {l}"));
            if ui
                .add_enabled(
                    cx.chrome.undo_label.is_some(),
                    egui::Button::new(format!("{undo}  (Ctrl+Z)")),
                )
                .clicked()
            {
                out.push(Action::Undo);
            }
            let redo = cx
                .chrome
                .redo_label
                .map_or("Redo".to_string(), |l| format!("Redo {l}"));
            if ui
                .add_enabled(
                    cx.chrome.redo_label.is_some(),
                    egui::Button::new(format!("{redo}  (Ctrl+Shift+Z)")),
                )
                .clicked()
            {
                out.push(Action::Redo);
            }
            ui.separator();
            if ui.button("Add mechanism").clicked() {
                crate::ui::mechanisms::add_mechanism(cx, view, out);
            }
        });
        ui.menu_button("View", |ui| {
            for t in Tab::ALL {
                if ui.button(t.label()).clicked() {
                    view.tab = t;
                }
            }
            ui.separator();
            let prefs = cx.chrome.prefs;
            if ui
                .button(if prefs.theme == Theme::Dark {
                    "Light theme"
                } else {
                    "Dark theme"
                })
                .clicked()
            {
                out.push(Action::SetTheme(if prefs.theme == Theme::Dark {
                    Theme::Light
                } else {
                    Theme::Dark
                }));
            }
            if ui
                .button(if prefs.show_mechanisms {
                    "Hide mechanisms panel"
                } else {
                    "Show mechanisms panel"
                })
                .clicked()
            {
                out.push(Action::TogglePanel {
                    mechanisms: true,
                    inspector: false,
                });
            }
            if ui
                .button(if prefs.show_inspector {
                    "Hide inspector"
                } else {
                    "Show inspector"
                })
                .clicked()
            {
                out.push(Action::TogglePanel {
                    mechanisms: false,
                    inspector: true,
                });
            }
        });
        ui.menu_button("Help", |ui| {
            if ui.button("Keyboard shortcuts and how to score").clicked() {
                out.push(Action::Modal(Modal::Help));
            }
            if ui.button("About Policy Workbench").clicked() {
                out.push(Action::About);
            }
        });
    });
}
