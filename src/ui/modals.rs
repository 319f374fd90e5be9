//! Modal dialogs: unsaved changes, load and save failures, path prompt, help, glossary,
//! about.

use egui::{Id, RichText, TextEdit};

use crate::ui::action::{Action, RecoverChoice, UnsavedChoice};
use crate::ui::commands;
use crate::ui::glossary;
use crate::ui::modal_state::{Modal, PathPurpose};
use crate::ui::style;

pub fn modal_ui(ctx: &egui::Context, modal: &mut Modal, out: &mut Vec<Action>) {
    let resp = egui::Modal::new(Id::unique("app-modal")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        match modal {
            Modal::Unsaved { .. } => {
                ui.heading("Unsaved changes");
                ui.label("This project has changes that are not saved. Save them first?");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        out.push(Action::UnsavedChoice(UnsavedChoice::Save));
                    }
                    if ui.button("Discard changes").clicked() {
                        out.push(Action::UnsavedChoice(UnsavedChoice::Discard));
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Action::UnsavedChoice(UnsavedChoice::Cancel));
                    }
                });
            }
            Modal::LoadFailed { path, problems } => {
                ui.heading("This file could not be opened");
                ui.label(path.display().to_string());
                ui.label("The project you had open is unchanged. What is wrong:");
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    for p in problems.iter() {
                        ui.colored_label(style::error_color(ui), format!("• {p}"));
                    }
                });
                if ui.button("Close").clicked() {
                    out.push(Action::CloseModal);
                }
            }
            Modal::SaveFailed { message } => {
                ui.heading("The project was not saved");
                ui.label(message.as_str());
                ui.label("Your changes are still open here, unsaved. Try Save as… to another folder.");
                if ui.button("Close").clicked() {
                    out.push(Action::CloseModal);
                }
            }
            Modal::PathPrompt { purpose, text, error } => {
                let title = match purpose {
                    PathPurpose::Open => "Open a project file",
                    PathPurpose::SaveAs => "Save the project to a file",
                    PathPurpose::Export => "Export charts to (a file for one chart, a folder for all)",
                    PathPurpose::Exercise => "Save the student exercise as",
                    PathPurpose::Reference => "Open the reference scoring",
                    PathPurpose::Report => "Write the report to (.html or .md)",
                    PathPurpose::CsvExport => "Export the scores to (.csv)",
                    PathPurpose::CsvImport => "Import scores from (.csv)",
                    PathPurpose::Packages => "Write the scoring packages into the folder",
                    PathPurpose::Merge => "Analyst files to merge (separate several with ;)",
                };
                ui.heading(title);
                let l = ui.label("File path");
                let r = ui
                    .add(TextEdit::singleline(text).desired_width(480.0).hint_text("/home/me/assessment.json"))
                    .labelled_by(l.id);
                if let Some(e) = error {
                    ui.colored_label(style::error_color(ui), e.as_str());
                }
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    let ok = match purpose {
                        PathPurpose::Open => "Open",
                        PathPurpose::SaveAs => "Save here",
                        PathPurpose::Export => "Export here",
                        PathPurpose::Exercise => "Save exercise",
                        PathPurpose::Reference => "Compare",
                        PathPurpose::Report => "Write report",
                        PathPurpose::CsvExport => "Export",
                        PathPurpose::CsvImport => "Read sheet",
                        PathPurpose::Packages => "Write packages",
                        PathPurpose::Merge => "Merge",
                    };
                    if ui.button(ok).clicked() || enter {
                        out.push(Action::SubmitPath(*purpose, text.clone()));
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Action::CloseModal);
                    }
                });
            }
            Modal::ChangedOnDisk { path } => {
                ui.heading("The file changed on disk");
                ui.label(format!(
                    "{} was changed by another program or person since you opened or saved it. Saving now would replace their changes with yours.",
                    path.display()
                ));
                ui.horizontal(|ui| {
                    if ui.button("Overwrite it with my version").clicked() {
                        out.push(Action::OverwriteOnDisk);
                    }
                    if ui.button("Save mine elsewhere…").clicked() {
                        out.push(Action::CloseModal);
                        out.push(Action::SaveAs);
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Action::CloseModal);
                    }
                });
            }
            Modal::OpenElsewhere { holder } => {
                ui.heading("This project is open elsewhere too");
                ui.label(format!(
                    "It is also open by {holder}. If both of you save, the later save replaces the earlier one; the app will warn you before saving over changes made elsewhere."
                ));
                if ui.button("Continue").clicked() {
                    out.push(Action::CloseModal);
                }
            }
            Modal::Recover { snapshots, compare } => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                ui.heading("Recover unsaved work?");
                ui.label("Policy Workbench did not close cleanly last time. It kept a copy of the work that was not saved. Your files have not been changed.");
                ui.add_space(6.0);
                for (i, snap) in snapshots.iter().enumerate() {
                    ui.group(|ui| {
                        ui.label(snap.describe(now));
                        ui.horizontal(|ui| {
                            if ui.button(format!("Restore {}", i + 1)).clicked() {
                                out.push(Action::Recover { index: i, choice: RecoverChoice::Restore });
                            }
                            if snap.origin.is_some() && ui.button(format!("Compare {} with the file", i + 1)).clicked() {
                                out.push(Action::Recover { index: i, choice: RecoverChoice::Compare });
                            }
                            if ui.button(format!("Discard {}", i + 1)).clicked() {
                                out.push(Action::Recover { index: i, choice: RecoverChoice::Discard });
                            }
                        });
                        if let Some((ci, lines)) = compare
                            && *ci == i
                        {
                            egui::ScrollArea::vertical().max_height(220.0).show(ui, |ui| {
                                if lines.is_empty() {
                                    ui.label("No difference from the file on disk.");
                                }
                                for l in lines.iter() {
                                    ui.label(format!("• {l}"));
                                }
                            });
                        }
                    });
                }
                if ui.button("Decide later").clicked() {
                    out.push(Action::CloseModal);
                }
            }
            Modal::CsvPreview { summary, changes, command } => {
                ui.heading("Import scores from a sheet");
                ui.label(summary.as_str());
                egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
                    for c in changes.iter().take(500) {
                        ui.label(format!("• {c}"));
                    }
                    if changes.len() > 500 {
                        ui.weak(format!("… and {} more", changes.len() - 500));
                    }
                });
                ui.horizontal(|ui| {
                    if command.is_some() && ui.button("Apply these changes").clicked() {
                        out.push(Action::ApplyCsv);
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Action::CloseModal);
                    }
                });
            }
            Modal::Merge { rows, problems } => {
                ui.heading("Merge the analysts' files");
                if !problems.is_empty() {
                    ui.label("Nothing was merged:");
                    for p in problems.iter() {
                        ui.colored_label(style::error_color(ui), format!("• {p}"));
                    }
                    if ui.button("Close").clicked() {
                        out.push(Action::CloseModal);
                    }
                    return;
                }
                ui.label(format!("{} cell(s) differ between this project and a returned file. Decide each one; nothing is merged until every conflict is decided.", rows.len()));
                ui.horizontal(|ui| {
                    if ui.button("Take theirs for all").clicked() {
                        for r in rows.iter_mut() {
                            r.1 = Some(crate::workshop::Prefer::Incoming);
                        }
                    }
                    if ui.button("Keep mine for all").clicked() {
                        for r in rows.iter_mut() {
                            r.1 = Some(crate::workshop::Prefer::Master);
                        }
                    }
                });
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    for (i, (text, choice)) in rows.iter_mut().enumerate() {
                        ui.group(|ui| {
                            ui.label(text.as_str());
                            ui.horizontal(|ui| {
                                ui.radio_value(choice, Some(crate::workshop::Prefer::Master), format!("Keep mine ({})", i + 1));
                                ui.radio_value(choice, Some(crate::workshop::Prefer::Incoming), format!("Take theirs ({})", i + 1));
                            });
                        });
                    }
                });
                ui.horizontal(|ui| {
                    let decided = rows.iter().all(|r| r.1.is_some());
                    if ui.add_enabled(decided, egui::Button::new("Merge with these decisions")).clicked() {
                        out.push(Action::MergeDecide(rows.iter().map(|r| r.1).collect()));
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Action::CloseModal);
                    }
                });
            }
            Modal::CsvProblems { path, problems } => {
                ui.heading("This sheet was not imported");
                ui.label(path.display().to_string());
                ui.label("Nothing was changed. What is wrong:");
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    for p in problems.iter() {
                        ui.colored_label(style::error_color(ui), format!("• {p}"));
                    }
                });
                if ui.button("Close").clicked() {
                    out.push(Action::CloseModal);
                }
            }
            Modal::Help => {
                ui.heading("How to score");
                ui.label("Choose whose scores you enter above the matrix (Scores of). Click a cell, then:");
                let ctx = ui.ctx().clone();
                egui::Grid::new("keys").num_columns(2).striped(true).show(ui, |ui| {
                    for (k, what) in commands::matrix_keys(&ctx) {
                        ui.label(RichText::new(k).strong());
                        ui.label(what);
                        ui.end_row();
                    }
                    for spec in commands::COMMANDS.iter().filter(|s| !s.shortcuts.is_empty()) {
                        ui.label(RichText::new(commands::all_shortcuts_text(&ctx, spec)).strong());
                        ui.label(spec.label);
                        ui.end_row();
                    }
                });
                ui.label("The inspector on the right shows what each level means, the confidence, the sources, and the teaching text of the criterion. With a scenario shown, a typed value becomes an override of that scenario.");
                if ui.button("Close").clicked() {
                    out.push(Action::CloseModal);
                }
            }
            Modal::DeleteScenario { id, name } => {
                ui.heading("Delete this scenario?");
                ui.label(format!("“{name}” and everything it changes (weights, scores, mechanisms) will be deleted. Edit ▸ Undo brings it back."));
                ui.horizontal(|ui| {
                    if ui.button("Delete the scenario").clicked() {
                        out.push(Action::edit(crate::edit::Command::RemoveScenario(id.clone())));
                        out.push(Action::CloseModal);
                    }
                    if ui.button("Cancel").clicked() {
                        out.push(Action::CloseModal);
                    }
                });
            }
            Modal::ConfirmComplete { scored, cells } => {
                ui.heading("Mark your scoring complete?");
                let left = cells.saturating_sub(*scored);
                if left == 0 {
                    ui.label(format!("You have scored all {cells} cells."));
                } else {
                    ui.label(format!(
                        "You have scored {scored} of {cells} cells; {left} are not scored yet."
                    ));
                    ui.label("Unscored cells stay out of the comparison with the reference (the feedback says how many you left).");
                }
                ui.label("Once complete, totals, indices and charts are shown. Edit ▸ Undo takes it back.");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Mark complete").clicked() {
                        out.push(Action::edit(crate::edit::Command::SetExerciseComplete(true)));
                        out.push(Action::CloseModal);
                    }
                    if ui.button("Keep scoring").clicked() {
                        out.push(Action::CloseModal);
                    }
                });
            }
            Modal::Glossary => {
                ui.heading("Glossary");
                ui.label("The terms the app and the report use, in plain words. Hover a term where it appears for the same text.");
                egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                    egui::Grid::new("glossary").num_columns(2).striped(true).spacing([12.0, 6.0]).show(ui, |ui| {
                        for t in glossary::TERMS {
                            ui.label(RichText::new(t.term).strong());
                            ui.add(egui::Label::new(t.meaning).wrap());
                            ui.end_row();
                        }
                    });
                });
                if ui.button("Close").clicked() {
                    out.push(Action::CloseModal);
                }
            }
            Modal::About => {
                ui.heading("Policy Workbench");
                ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
                ui.label("Score the mechanisms a state uses against an analytic framework, compare policy scenarios and plot the results. Works offline; your projects are plain JSON files.");
                ui.label(RichText::new("The bundled sample is built from IRSEM Research Paper No. 135 (May 2023).").italics());
                if ui.button("Close").clicked() {
                    out.push(Action::CloseModal);
                }
            }
        }
    });
    if resp.should_close() && !matches!(modal, Modal::Unsaved { .. } | Modal::Recover { .. }) {
        out.push(Action::CloseModal);
    }
}
