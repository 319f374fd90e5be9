//! The mechanism editor: name, description, kind, instruments, regions, partners,
//! start year, tags and facts with their sources.

use crate::model::rules::Text;
use egui::RichText;

use super::{split_list, text_area, text_field};
use crate::edit::Command;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::view_state::ViewState;

pub fn mechanism_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    let Some((index, original)) = view.mechanism.as_deref().and_then(|id| {
        cx.project
            .mechanisms
            .iter()
            .enumerate()
            .find(|(_, m)| m.id == id)
    }) else {
        ui.label("Select a mechanism in the list on the left (mechanisms added by a scenario are edited with the scenario).");
        return;
    };
    let mut m = original.clone();
    let key = |field: &str| format!("mechanism:{}:{field}", m.id);
    let mut merge: Option<String> = None;
    egui::ScrollArea::vertical()
        .id_salt("mechanism-editor")
        .show(ui, |ui| {
            ui.heading(&original.name);
            ui.weak(format!("id: {}", original.id));
            egui::Grid::new("mechanism-grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    if text_field(ui, "Name", &mut m.name, Text::Name, out) {
                        merge = Some(key("name"));
                    }
                    ui.end_row();
                    let l = ui.label("Kind");
                    egui::ComboBox::from_id_salt("mechanism-kind")
                        .selected_text(m.kind.label())
                        .show_ui(ui, |ui| {
                            for k in Kind::ALL {
                                ui.selectable_value(&mut m.kind, k, k.label());
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label("Start year");
                    let mut has_year = m.start_year.is_some();
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut has_year, "known");
                        if has_year {
                            let mut y = m.start_year.unwrap_or(2000);
                            ui.add(egui::DragValue::new(&mut y).range(1800..=2200))
                                .labelled_by(l.id);
                            m.start_year = Some(y);
                        } else {
                            m.start_year = None;
                        }
                    });
                    ui.end_row();
                    let mut regions = m.regions.join(", ");
                    if text_field(
                        ui,
                        "Regions (comma-separated)",
                        &mut regions,
                        Text::Long,
                        out,
                    ) {
                        m.regions = split_list(&regions);
                        merge = Some(key("regions"));
                    }
                    ui.end_row();
                    let mut partners = m.partners.join(", ");
                    if text_field(
                        ui,
                        "Partners (comma-separated)",
                        &mut partners,
                        Text::Long,
                        out,
                    ) {
                        m.partners = split_list(&partners);
                        merge = Some(key("partners"));
                    }
                    ui.end_row();
                    let mut tags = m.tags.join(", ");
                    if text_field(ui, "Tags (comma-separated)", &mut tags, Text::Long, out) {
                        m.tags = split_list(&tags);
                        merge = Some(key("tags"));
                    }
                    ui.end_row();
                });
            ui.label(RichText::new("Instruments").strong());
            ui.horizontal_wrapped(|ui| {
                for ins in Instrument::ALL {
                    let mut on = m.instruments.contains(&ins);
                    if ui.checkbox(&mut on, ins.label()).changed() {
                        if on {
                            m.instruments.push(ins);
                            m.instruments.sort();
                        } else {
                            m.instruments.retain(|x| *x != ins);
                        }
                    }
                }
            });
            if text_area(ui, "Description", &mut m.description, 4, Text::Long, out) {
                merge = Some(key("description"));
            }
            ui.add_space(6.0);
            ui.label(RichText::new("Facts (figures, dates, amounts, with their sources)").strong());
            let mut remove = None;
            for (i, f) in m.facts.iter_mut().enumerate() {
                ui.group(|ui| {
                    if text_area(
                        ui,
                        &format!("Fact {}", i + 1),
                        &mut f.text,
                        2,
                        Text::Long,
                        out,
                    ) {
                        merge = Some(format!("mechanism:{}:fact:{i}", original.id));
                    }
                    ui.horizontal_wrapped(|ui| {
                        ui.label("Sources:");
                        for s in &f.sources {
                            let cite = cx.project.source(s).map_or(s.clone(), |src| {
                                format!("[{}] {}", src.grade(), short(&src.citation, 60))
                            });
                            ui.weak(cite);
                        }
                    });
                    ui.horizontal(|ui| {
                        egui::ComboBox::from_id_salt(("fact-add-source", i))
                            .selected_text("Add a source…")
                            .width(220.0)
                            .show_ui(ui, |ui| {
                                for src in &cx.project.sources {
                                    if !f.sources.contains(&src.id)
                                        && ui
                                            .selectable_label(false, short(&src.citation, 80))
                                            .clicked()
                                    {
                                        f.sources.push(src.id.clone());
                                    }
                                }
                            });
                        if !f.sources.is_empty() && ui.button("Remove last source").clicked() {
                            f.sources.pop();
                        }
                        if ui.button("Delete fact").clicked() {
                            remove = Some(i);
                        }
                    });
                });
            }
            if let Some(i) = remove {
                m.facts.remove(i);
            }
            if ui.button("Add fact").clicked() {
                m.facts.push(Fact::default());
            }
        });
    if m != *original {
        out.push(Action::Edit {
            cmd: Command::SetMechanism {
                index,
                mechanism: m,
            },
            merge,
        });
    }
}

fn short(s: &str, n: usize) -> String {
    crate::model::text::excerpt(s, n)
}
