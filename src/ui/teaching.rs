//! Teaching: "Learn the framework" (every group and criterion explained with the
//! paper's examples and the anchors), the student's feedback after comparing with a
//! reference, and criterion-first scoring (one criterion across all mechanisms, in
//! shuffled order, blind to the existing score until the student answers, against the
//! halo effect).

use egui::RichText;
use rand::SeedableRng;
use rand::seq::SliceRandom;

use crate::model::*;
use crate::teaching::{Feedback, StudentFeedback, results_hidden};
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::glossary;
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
    let Some(panel) = &view.feedback else {
        ui.label("Open the teacher's reference file to see how your scores compare, cell by cell and per criterion, with the reference rationale where you differ.");
        return;
    };
    let fb = match &panel.result {
        Ok(fb) => fb,
        Err(why) => {
            ui.colored_label(
                style::warn_color(ui),
                format!(
                    "{} cannot be compared with this project: {why}",
                    panel.reference
                ),
            );
            return;
        }
    };
    ui.label(format!(
        "Compared with {} in {}. Only the cells you scored are compared.",
        fb.reference_phrase(),
        panel.reference
    ));
    egui::ScrollArea::vertical()
        .id_salt("feedback")
        .show(ui, |ui| {
            for s in &fb.students {
                student_ui(ui, s, fb);
            }
        });
}

/// One student's summary, the table per criterion and the largest disagreements: the
/// same numbers as `policy-workbench feedback`.
fn student_ui(ui: &mut egui::Ui, s: &StudentFeedback, fb: &Feedback) {
    let o = &s.overall;
    ui.add_space(6.0);
    ui.label(RichText::new(&s.name).heading());
    ui.label(format!(
        "You scored {} of {} cells; {} left unscored.",
        o.scored, o.cells, o.left
    ));
    if let Some(why) = o.empty_reason() {
        ui.label(crate::wording::capitalise(why));
        return;
    }
    let agree = if fb.is_panel() {
        "inside the panel's range"
    } else {
        "the same as the reference"
    };
    ui.label(format!(
        "Of {} cells compared: {} {agree}, {} within one point; mean difference {} (you minus the {}); weighted kappa {}.",
        o.compared,
        share_text(o.agree_share()),
        share_text(o.within_one_share()),
        o.mean_difference.map_or("—".into(), crate::wording::signed),
        if fb.is_panel() { "panel's median" } else { "reference" },
        kappa_text(o.weighted_kappa),
    ));
    egui::CollapsingHeader::new("Per criterion")
        .id_salt(("fb-criteria", &s.analyst))
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new(("fb-grid", &s.analyst))
                .striped(true)
                .num_columns(7)
                .show(ui, |ui| {
                    let agree_hover = if fb.is_panel() {
                        "Share of the compared cells inside the range of the panel's scores."
                    } else {
                        "Share of the compared cells with the same value as the reference."
                    };
                    for (h, hover) in [
                        ("Criterion", ""),
                        ("Compared", "Cells you scored that the reference scored too."),
                        ("Left", "Cells you did not score: not counted as differences."),
                        (if fb.is_panel() { "Inside" } else { "Exact" }, agree_hover),
                        ("Within ±1", "Share of the compared cells at most one point from the reference (from the panel's range)."),
                        ("Mean difference", "Your score minus the reference's (the panel's median), on average: above 0, you score higher."),
                        ("Kappa", glossary::meaning("Weighted kappa")),
                    ] {
                        let r = ui.label(RichText::new(h).strong());
                        if !hover.is_empty() {
                            r.on_hover_text(hover);
                        }
                    }
                    ui.end_row();
                    for c in &s.per_criterion {
                        let st = &c.stats;
                        ui.label(&c.name);
                        ui.label(st.compared.to_string());
                        ui.label(st.left.to_string());
                        ui.label(share_text(st.agree_share()));
                        ui.label(share_text(st.within_one_share()));
                        ui.label(
                            st.mean_difference
                                .map_or("—".into(), crate::wording::signed),
                        );
                        ui.label(kappa_text(st.weighted_kappa));
                        ui.end_row();
                    }
                });
        });
    if s.disagreements.is_empty() {
        ui.label(format!("No disagreement with {}.", fb.reference_phrase()));
        return;
    }
    ui.label(RichText::new(format!("Largest disagreements ({})", s.disagreements.len())).strong());
    for d in &s.disagreements {
        ui.group(|ui| {
            ui.label(
                RichText::new(format!("{} / {}", d.mechanism_name, d.criterion_name)).strong(),
            );
            let reference = match (fb.is_panel(), d.range) {
                (false, _) => format!("reference: {}", d.reference[0].value.short()),
                (true, Some((lo, hi))) => {
                    format!("panel range: {}–{}", format_value(lo), format_value(hi))
                }
                (true, None) => "panel: not applicable".to_string(),
            };
            let diff = d.difference.map_or(String::new(), |x| {
                format!(" ({})", crate::wording::signed(x))
            });
            ui.label(format!("You: {} · {reference}{diff}", d.student.short()));
            for j in &d.reference {
                if j.rationale.trim().is_empty() {
                    continue;
                }
                let who = if fb.is_panel() {
                    format!("{} ({})", j.analyst, j.value.short())
                } else {
                    "Reference".to_string()
                };
                ui.label(RichText::new(format!("{who} rationale: {}", j.rationale)).italics());
            }
        });
    }
}

fn share_text(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), crate::wording::percent)
}

fn kappa_text(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |k| crate::wording::fixed(k, 2))
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
    // The mechanisms list follows the card, and a click in the list (a new selection)
    // moves the card there.
    if let (Some(selected), Some(shown)) = (view.mechanism.as_deref(), cf.shown.as_deref())
        && selected != shown
        && let Some(i) = cf.order.iter().position(|id| id == selected)
    {
        cf.pos = i;
    }
    let pos = cf.pos.min(cf.order.len() - 1);
    let mech_id = cf.order[pos].clone();
    if cf.shown.is_none() {
        // First shown: the list scrolls to the card's mechanism.
        view.list_to_selection = true;
    }
    cf.shown = Some(mech_id.clone());
    view.mechanism = Some(mech_id.clone());
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
    let now = view.criterion_first.order[view
        .criterion_first
        .pos
        .min(view.criterion_first.order.len() - 1)]
    .clone();
    if now != mech_id {
        view.list_to_selection = true;
    }
    view.mechanism = Some(now.clone());
    view.criterion_first.shown = Some(now);
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
            // Blind: the cell's existing score (and its rationale) stays hidden until
            // the student answers here.
            let key = (m.id.clone(), crit.id.clone());
            let answered = view.criterion_first.answered.contains(&key);
            if !answered
                && (score.value != ScoreValue::NotAssessed || !score.rationale.is_empty())
            {
                ui.weak("A score is already recorded for this cell. It stays hidden until you answer; your answer replaces it.");
            }
            let mut answer = None;
            for level in crit.scale.min..=crit.scale.max {
                let v = ScoreValue::Value(f64::from(level));
                let text = match crit.scale.anchor(f64::from(level)) {
                    Some(a) if !a.descriptor.is_empty() => {
                        format!("{level} — {}: {}", a.label, a.descriptor)
                    }
                    Some(a) => format!("{level} — {}", a.label),
                    None => level.to_string(),
                };
                let selected = answered && score.value == v;
                if ui
                    .add(egui::Button::selectable(selected, text).wrap())
                    .clicked()
                {
                    answer = Some(v);
                }
            }
            ui.horizontal(|ui| {
                for (value, text) in [
                    (ScoreValue::NotAssessed, "Not assessed"),
                    (ScoreValue::NotApplicable, "Not applicable"),
                ] {
                    let selected = answered && score.value == value;
                    if ui.add(egui::Button::selectable(selected, text)).clicked() {
                        answer = Some(value);
                    }
                }
            });
            if let Some(value) = answer {
                view.criterion_first.answered.insert(key.clone());
                if value != score.value {
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
            if !answered {
                ui.weak("Choose a level first; then write why.");
                return;
            }
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
