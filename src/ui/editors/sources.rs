//! The sources editor: citation, link, date, reliability (A–F), credibility (1–6), who
//! speaks (origin) and the source it relays.

use crate::model::rules::Text;
use egui::RichText;

use super::{text_area, text_field};
use crate::edit::Command;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::view_state::ViewState;

/// How many scores and facts cite a source.
fn uses(p: &Project, id: &str) -> usize {
    p.scores
        .values()
        .filter(|s| s.sources.iter().any(|x| x == id))
        .count()
        + p.mechanisms
            .iter()
            .flat_map(|m| &m.facts)
            .filter(|f| f.sources.iter().any(|x| x == id))
            .count()
}

pub fn sources_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.heading(format!("Sources ({})", cx.project.sources.len()));
        if ui.button("Add source").clicked() {
            let id = unique_slug(
                "new source",
                cx.project.sources.iter().map(|s| s.id.as_str()),
            );
            out.push(Action::edit(Command::AddSource(Source {
                id: id.clone(),
                citation: "New source".into(),
                link: String::new(),
                date: String::new(),
                reliability: Reliability::F,
                credibility: 6,
                note: String::new(),
                origin: Origin::Unknown,
                derived_from: None,
            })));
            view.source_search = String::new();
        }
    });
    ui.weak("Grades: reliability of the source A (completely reliable) … E (unreliable), F (cannot be judged); credibility of the information 1 (confirmed) … 5 (improbable), 6 (cannot be judged).");
    let l = ui.label("Filter sources");
    ui.add(egui::TextEdit::singleline(&mut view.source_search).desired_width(320.0))
        .labelled_by(l.id);
    let needle = view.source_search.to_lowercase();
    // Headers are one line: shorten citations to the width available.
    let max_chars = ((ui.available_width() - 120.0) / 7.0).max(30.0) as usize;
    egui::ScrollArea::vertical()
        .id_salt("sources-editor")
        .show(ui, |ui| {
            for (i, original) in cx.project.sources.iter().enumerate() {
                if !needle.is_empty()
                    && !original.citation.to_lowercase().contains(&needle)
                    && !original.id.contains(&needle)
                {
                    continue;
                }
                let n = uses(cx.project, &original.id);
                let citation: String = if original.citation.chars().count() > max_chars {
                    format!(
                        "{}…",
                        original
                            .citation
                            .chars()
                            .take(max_chars)
                            .collect::<String>()
                    )
                } else {
                    original.citation.clone()
                };
                let who = match original.origin {
                    Origin::Unknown => String::new(),
                    o => format!(" · {}", o.label()),
                };
                let title = format!("[{}] {citation}{who} · cited {n}×", original.grade());
                egui::CollapsingHeader::new(RichText::new(title))
                    .id_salt(("source", &original.id))
                    .show(ui, |ui| {
                        let mut s = original.clone();
                        let mut merge = None;
                        ui.weak(format!("id: {}", s.id));
                        if text_area(ui, "Citation", &mut s.citation, 2, Text::Citation, out) {
                            merge = Some(format!("source:{}:citation", s.id));
                        }
                        if text_field(ui, "Link", &mut s.link, Text::Long, out) {
                            merge = Some(format!("source:{}:link", s.id));
                        }
                        if text_field(ui, "Date", &mut s.date, Text::Short, out) {
                            merge = Some(format!("source:{}:date", s.id));
                        }
                        ui.horizontal(|ui| {
                            let l = ui.label("Reliability");
                            egui::ComboBox::from_id_salt(("reliability", &s.id))
                                .selected_text(format!(
                                    "{} — {}",
                                    s.reliability.as_str(),
                                    s.reliability.meaning()
                                ))
                                .show_ui(ui, |ui| {
                                    for r in Reliability::ALL {
                                        ui.selectable_value(
                                            &mut s.reliability,
                                            r,
                                            format!("{} — {}", r.as_str(), r.meaning()),
                                        );
                                    }
                                })
                                .response
                                .labelled_by(l.id);
                            let l = ui.label("Credibility");
                            egui::ComboBox::from_id_salt(("credibility", &s.id))
                                .selected_text(format!(
                                    "{} — {}",
                                    s.credibility,
                                    credibility_meaning(s.credibility)
                                ))
                                .show_ui(ui, |ui| {
                                    for c in 1..=6u8 {
                                        ui.selectable_value(
                                            &mut s.credibility,
                                            c,
                                            format!("{c} — {}", credibility_meaning(c)),
                                        );
                                    }
                                })
                                .response
                                .labelled_by(l.id);
                        });
                        ui.horizontal(|ui| {
                            let l = ui.label("Who speaks");
                            egui::ComboBox::from_id_salt(("origin", &s.id))
                                .selected_text(s.origin.label())
                                .show_ui(ui, |ui| {
                                    for o in Origin::ALL {
                                        ui.selectable_value(&mut s.origin, o, o.label());
                                    }
                                })
                                .response
                                .on_hover_text(
                                    "Whose word the source carries: the assessed state's own \
                                     statements (its government, agencies, state media) count as \
                                     a claim; the others as independent evidence.",
                                )
                                .labelled_by(l.id);
                            let l = ui.label("Relays");
                            let shown = s
                                .derived_from
                                .as_deref()
                                .map_or("(an original)".to_string(), |id| id.to_string());
                            egui::ComboBox::from_id_salt(("derived-from", &s.id))
                                .selected_text(shown)
                                .width(220.0)
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(&mut s.derived_from, None, "(an original)");
                                    for other in cx.project.sources.iter().filter(|o| o.id != s.id)
                                    {
                                        ui.selectable_value(
                                            &mut s.derived_from,
                                            Some(other.id.clone()),
                                            crate::model::text::excerpt(&other.citation, 60),
                                        );
                                    }
                                })
                                .response
                                .on_hover_text(
                                    "The source this one relays or derives from, so that several \
                                     reports tracing to one original count once.",
                                )
                                .labelled_by(l.id);
                        });
                        if s.derived_from.is_some() {
                            let from = cx.project.origin_of(&s.id);
                            ui.weak(format!("Traces back to: {}", from.label()));
                        }
                        if text_area(ui, "Note", &mut s.note, 2, Text::Long, out) {
                            merge = Some(format!("source:{}:note", s.id));
                        }
                        let del = if n > 0 {
                            format!("Delete source (removes it from {n} citations)")
                        } else {
                            "Delete source".to_string()
                        };
                        if ui.button(del).clicked() {
                            out.push(Action::edit(Command::RemoveSource(original.id.clone())));
                        } else if s != *original {
                            out.push(Action::Edit {
                                cmd: Command::SetSource {
                                    index: i,
                                    source: s,
                                },
                                merge,
                            });
                        }
                    });
            }
        });
}
