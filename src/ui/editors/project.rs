//! Project information, analysts, scenarios (names and narratives) and notes.

use crate::model::rules::Text;
use egui::RichText;

use super::{text_area, text_field};
use crate::edit::Command;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::view_state::ViewState;

pub fn project_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    let p = cx.project;
    egui::ScrollArea::vertical().id_salt("project-editor").show(ui, |ui| {
        ui.heading("Project");
        let mut info = p.info.clone();
        let mut merge = None;
        if text_field(ui, "Title", &mut info.title, Text::Name, out) {
            merge = Some("info:title");
        }
        if text_area(ui, "Description", &mut info.description, 3, Text::Long, out) {
            merge = Some("info:description");
        }
        egui::Grid::new("info-grid").num_columns(2).show(ui, |ui| {
            if text_field(ui, "Author", &mut info.author, Text::Short, out) {
                merge = Some("info:author");
            }
            ui.end_row();
            if text_field(ui, "Created", &mut info.created, Text::Short, out) {
                merge = Some("info:created");
            }
            ui.end_row();
            if text_field(ui, "Modified", &mut info.modified, Text::Short, out) {
                merge = Some("info:modified");
            }
            ui.end_row();
        });
        if info != p.info {
            out.push(Action::Edit {
                cmd: Command::SetInfo(info),
                merge: merge.map(str::to_string),
            });
        }

        ranking_rule_ui(ui, p, out);

        ui.add_space(10.0);
        ui.heading(format!("Analysts ({})", p.analysts.len()));
        for (i, a) in p.analysts.iter().enumerate() {
            ui.horizontal(|ui| {
                let mut a2 = a.clone();
                let l = ui.label(format!("Analyst {}", i + 1));
                let r = ui.add(egui::TextEdit::singleline(&mut a2.name)
                            .char_limit(Text::Name.max_chars())
                            .desired_width(260.0)).labelled_by(l.id);
                if r.lost_focus() {
                    out.push(Action::Seal);
                }
                let n = p.scores.keys().filter(|k| k.analyst == a.id).count();
                ui.weak(format!("{n} scores"));
                if view.analyst.as_deref() != Some(a.id.as_str()) && ui.button("Score as this analyst").clicked() {
                    view.analyst = Some(a.id.clone());
                }
                if ui.button(format!("Delete analyst {}", a.name)).on_hover_text("Deletes the analyst and all their scores (undo brings them back)").clicked() {
                    out.push(Action::edit(Command::RemoveAnalyst(a.id.clone())));
                } else if a2 != *a {
                    out.push(Action::merged(Command::SetAnalyst { index: i, analyst: a2 }, format!("analyst:{}", a.id)));
                }
            });
        }
        if ui.button("Add analyst").clicked() {
            let id = unique_slug(&format!("analyst {}", p.analysts.len() + 1), p.analysts.iter().map(|a| a.id.as_str()));
            out.push(Action::edit(Command::AddAnalyst(Analyst {
                id,
                name: format!("Analyst {}", p.analysts.len() + 1),
                note: String::new(),
            })));
        }

        ui.add_space(10.0);
        ui.heading(format!("Scenarios ({}) — hypothetical", p.scenarios.len()));
        ui.weak("A scenario never changes the base assessment; choose it above the matrix to see its effect.");
        for (i, s) in p.scenarios.iter().enumerate() {
            egui::CollapsingHeader::new(RichText::new(format!("{} (hypothetical)", s.name)))
                .id_salt(("scenario", &s.id))
                .show(ui, |ui| {
                    let mut s2 = s.clone();
                    let mut merge = None;
                    if text_field(ui, "Scenario name", &mut s2.name, Text::Name, out) {
                        merge = Some(format!("scenario:{}:name", s.id));
                    }
                    if text_area(ui, "Narrative", &mut s2.narrative, 3, Text::Long, out) {
                        merge = Some(format!("scenario:{}:narrative", s.id));
                    }
                    ui.label(RichText::new("Assumptions").strong());
                    for a in &s.assumptions {
                        ui.label(format!("• {a}"));
                    }
                    ui.label(format!(
                        "{} score overrides · {} weight overrides · {} mechanisms excluded · {} added",
                        s.score_overrides.len(),
                        s.group_weights.len() + s.criterion_weights.len(),
                        s.excluded_mechanisms.len(),
                        s.added_mechanisms.len()
                    ));
                    if ui.button(format!("Delete scenario {}", s.name)).clicked() {
                        out.push(Action::edit(Command::RemoveScenario(s.id.clone())));
                    } else if s2 != *s {
                        out.push(Action::Edit {
                            cmd: Command::SetScenario { index: i, scenario: s2 },
                            merge,
                        });
                    }
                });
        }
        if ui.button("Add scenario").clicked() {
            let id = unique_slug("new scenario", p.scenarios.iter().map(|s| s.id.as_str()));
            out.push(Action::edit(Command::AddScenario(Scenario {
                id,
                name: "New scenario".into(),
                ..Scenario::default()
            })));
        }

        ui.add_space(10.0);
        ui.heading(format!("Notes ({})", p.notes.len()));
        for (i, n) in p.notes.iter().enumerate() {
            ui.group(|ui| {
                let mut n2 = n.clone();
                let mut merge = None;
                if text_field(ui, &format!("Note {} title", i + 1), &mut n2.title, Text::Short, out) {
                    merge = Some(format!("note:{}:title", n.id));
                }
                if text_area(ui, &format!("Note {} text", i + 1), &mut n2.text, 3, Text::Long, out) {
                    merge = Some(format!("note:{}:text", n.id));
                }
                if ui.button(format!("Delete note {}", i + 1)).clicked() {
                    out.push(Action::edit(Command::RemoveNote(n.id.clone())));
                } else if n2 != *n {
                    out.push(Action::Edit {
                        cmd: Command::SetNote { index: i, note: n2 },
                        merge,
                    });
                }
            });
        }
        if ui.button("Add note").clicked() {
            let id = unique_slug("note", p.notes.iter().map(|n| n.id.as_str()));
            out.push(Action::edit(Command::AddNote(Note { id, title: "New note".into(), text: String::new() })));
        }
    });
}

/// The ranking rule for missing data (a project setting, saved with the project; see
/// docs/analysis.md, "Missing data and ranks").
fn ranking_rule_ui(ui: &mut egui::Ui, p: &Project, out: &mut Vec<Action>) {
    ui.add_space(10.0);
    ui.heading("Ranking and missing data");
    ui.weak("A mechanism whose criteria are not all assessed gets a total from what is assessed. Every rank is shown with its range: the best and worst rank the not-assessed cells allow.");
    let mut rule = p.settings.ranking_rule;
    for r in RankingRule::ALL {
        ui.radio_value(&mut rule, r, r.label());
    }
    if rule != p.settings.ranking_rule {
        out.push(Action::edit(Command::SetRankingRule(rule)));
    }
}
