//! Teaching: "Learn the framework" (every group and criterion explained with the
//! paper's examples and the anchors), the student's feedback after comparing with a
//! reference, and criterion-first scoring (one criterion across all mechanisms, in
//! shuffled order, against the halo effect).

use egui::RichText;
use rand::SeedableRng;
use rand::seq::SliceRandom;

use crate::model::*;
use crate::teaching::{Feedback, results_hidden};
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::score_edit::{EditTarget, current_score, editable, push_score_edit};
use crate::ui::style;
use crate::ui::view_state::ViewState;

pub fn learn_ui(ui: &mut egui::Ui, cx: &Cx) {
    let fw = &cx.project.framework;
    egui::ScrollArea::vertical()
        .id_salt("learn")
        .show(ui, |ui| {
            ui.heading(format!("Learn the framework: {}", fw.name));
            if !fw.description.is_empty() {
                ui.label(&fw.description);
            }
            for g in &fw.groups {
                ui.add_space(10.0);
                ui.label(RichText::new(&g.name).heading());
                ui.weak(g.role.label());
                if !g.description.is_empty() {
                    ui.label(&g.description);
                }
                for c in &g.criteria {
                    egui::CollapsingHeader::new(RichText::new(&c.name).strong())
                        .id_salt(("learn", &c.id))
                        .default_open(true)
                        .show(ui, |ui| crate::ui::inspector::teaching_ui_body(ui, c));
                }
            }
        });
}

pub fn feedback_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    ui.heading("Your scoring compared with a reference");
    if results_hidden(cx.project) {
        ui.label("First mark your scoring complete (in the scoring matrix); then compare it with the reference file your teacher gives you.");
        return;
    }
    if ui.button("Compare with a reference file…").clicked() {
        out.push(Action::CompareReference);
    }
    let Some(fb) = &view.feedback else {
        ui.label("Open the teacher's reference file to see where your scores differ, with the reference rationale.");
        return;
    };
    summary_ui(ui, fb);
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("feedback")
        .show(ui, |ui| {
            for d in &fb.differences {
                ui.group(|ui| {
                    ui.label(
                        RichText::new(format!("{} / {}", d.mechanism_name, d.criterion_name))
                            .strong(),
                    );
                    let diff = d
                        .difference
                        .map_or(String::new(), |x| format!(" ({:+})", format_value(x)));
                    ui.label(format!(
                        "You: {} · reference: {}{diff}",
                        d.student.short(),
                        d.reference.short()
                    ));
                    if !d.reference_rationale.is_empty() {
                        ui.label(
                            RichText::new(format!(
                                "Reference rationale: {}",
                                d.reference_rationale
                            ))
                            .italics(),
                        );
                    }
                });
            }
        });
}

fn summary_ui(ui: &mut egui::Ui, fb: &Feedback) {
    ui.label(format!(
        "{} of {} compared cells are the same as the reference; {} cells differ.",
        fb.same,
        fb.compared,
        fb.differences.len()
    ));
    for c in &fb.per_criterion {
        ui.label(format!("• {}", c.describe()));
    }
}

/// Criterion-first scoring: one criterion, every mechanism, in a shuffled order.
pub fn criterion_first_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    let p = cx.project;
    ui.heading("Score one criterion across all mechanisms");
    ui.weak("Against the halo effect: one criterion at a time, mechanisms in a shuffled order, other scores hidden.");
    let criteria: Vec<&Criterion> = p.framework.criteria().map(|(_, c)| c).collect();
    if criteria.is_empty() || p.mechanisms.is_empty() {
        ui.label("The project needs criteria and mechanisms first.");
        return;
    }
    let cf = &mut view.criterion_first;
    if cf
        .criterion
        .as_deref()
        .and_then(|c| p.framework.criterion(c))
        .is_none()
    {
        cf.criterion = Some(criteria[0].id.clone());
        cf.order.clear();
    }
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Criterion");
        let current = cf
            .criterion
            .as_deref()
            .and_then(|c| p.framework.criterion(c))
            .map_or("", |c| c.name.as_str());
        egui::ComboBox::from_id_salt("cf-criterion")
            .selected_text(current)
            .show_ui(ui, |ui| {
                for c in &criteria {
                    if ui
                        .selectable_label(cf.criterion.as_deref() == Some(c.id.as_str()), &c.name)
                        .clicked()
                    {
                        cf.criterion = Some(c.id.clone());
                        cf.order.clear();
                    }
                }
            })
            .response
            .labelled_by(l.id);
        if ui.button("Shuffle again").clicked() {
            cf.seed = cf.seed.wrapping_add(1);
            cf.order.clear();
        }
    });
    let ids: Vec<String> = p.mechanisms.iter().map(|m| m.id.clone()).collect();
    if cf.order.len() != ids.len() || cf.order.iter().any(|id| p.mechanism(id).is_none()) {
        let mut order = ids;
        let mut rng = rand_pcg::Pcg64::seed_from_u64(cf.seed);
        order.shuffle(&mut rng);
        cf.order = order;
        cf.pos = 0;
    }
    let crit_id = cf.criterion.clone().unwrap_or_default();
    let Some(crit) = p.framework.criterion(&crit_id) else {
        return;
    };
    let pos = cf.pos.min(cf.order.len() - 1);
    let mech_id = cf.order[pos].clone();
    let Some(m) = p.mechanism(&mech_id) else {
        return;
    };
    let done = cf
        .order
        .iter()
        .filter(|id| {
            view.analyst
                .as_deref()
                .and_then(|a| p.score(a, id, &crit_id))
                .is_some_and(|s| s.value != ScoreValue::NotAssessed)
        })
        .count();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(pos > 0, egui::Button::new("Previous mechanism"))
            .clicked()
        {
            view.criterion_first.pos = pos - 1;
        }
        ui.label(format!(
            "Mechanism {} of {} · {done} scored on this criterion",
            pos + 1,
            view.criterion_first.order.len()
        ));
        if ui
            .add_enabled(
                pos + 1 < view.criterion_first.order.len(),
                egui::Button::new("Next mechanism"),
            )
            .clicked()
        {
            view.criterion_first.pos = pos + 1;
        }
    });
    ui.separator();
    match editable(cx, view) {
        Ok(EditTarget::Analyst) => {}
        Ok(EditTarget::Scenario(_)) => {
            ui.colored_label(style::warn_color(ui), "A scenario is shown: criterion-first scoring works on the base assessment. Choose “Base assessment” above the matrix.");
            return;
        }
        Err(why) => {
            ui.colored_label(style::warn_color(ui), why);
            return;
        }
    }
    egui::ScrollArea::vertical()
        .id_salt("cf-card")
        .show(ui, |ui| {
            ui.label(RichText::new(&m.name).heading());
            ui.weak(format!("{} · {}", m.kind.label(), m.regions.join(", ")));
            if !m.description.is_empty() {
                ui.label(&m.description);
            }
            if !m.facts.is_empty() {
                egui::CollapsingHeader::new(format!("Facts ({})", m.facts.len()))
                    .id_salt(("cf-facts", &m.id))
                    .show(ui, |ui| {
                        for f in &m.facts {
                            ui.label(format!("• {}", f.text));
                        }
                    });
            }
            ui.add_space(6.0);
            ui.label(
                RichText::new(format!(
                    "{}{}",
                    crit.name,
                    if crit.direction == Direction::Cost {
                        " (cost: higher = worse)"
                    } else {
                        ""
                    }
                ))
                .strong(),
            );
            if !crit.definition.is_empty() {
                ui.label(&crit.definition);
            }
            let score = current_score(cx, view, &m.id, &crit.id);
            for level in crit.scale.min..=crit.scale.max {
                let v = ScoreValue::Value(f64::from(level));
                let text = match crit.scale.anchor(f64::from(level)) {
                    Some(a) if !a.descriptor.is_empty() => {
                        format!("{level} — {}: {}", a.label, a.descriptor)
                    }
                    Some(a) => format!("{level} — {}", a.label),
                    None => level.to_string(),
                };
                let selected = score.value == v;
                if ui
                    .add(egui::Button::selectable(selected, text).wrap())
                    .clicked()
                    && !selected
                {
                    let mut s = score.clone();
                    s.value = v;
                    push_score_edit(
                        cx,
                        view,
                        vec![(m.id.clone(), crit.id.clone(), Some(s))],
                        out,
                    );
                }
            }
            ui.horizontal(|ui| {
                for (value, text) in [
                    (ScoreValue::NotAssessed, "Not assessed"),
                    (ScoreValue::NotApplicable, "Not applicable"),
                ] {
                    let selected = score.value == value;
                    if ui.add(egui::Button::selectable(selected, text)).clicked() && !selected {
                        let mut s = score.clone();
                        s.value = value;
                        push_score_edit(
                            cx,
                            view,
                            vec![(m.id.clone(), crit.id.clone(), Some(s))],
                            out,
                        );
                    }
                }
            });
            let l = ui.label("Rationale for this score");
            let mut text = score.rationale.clone();
            let r = ui
                .add(
                    egui::TextEdit::multiline(&mut text)
                        .char_limit(crate::model::rules::Text::Long.max_chars())
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            if r.changed() {
                let mut s = score.clone();
                s.rationale = text;
                let before = out.len();
                push_score_edit(
                    cx,
                    view,
                    vec![(m.id.clone(), crit.id.clone(), Some(s))],
                    out,
                );
                for a in &mut out[before..] {
                    if let Action::Edit { merge, .. } = a {
                        *merge = Some(format!("cf-rationale:{}:{}", m.id, crit.id));
                    }
                }
            }
            if r.lost_focus() {
                out.push(Action::Seal);
            }
        });
}
