//! The right inspector: the score editor for the selected cell (value with the anchor
//! of each level, confidence, rationale, sources) and the criterion's teaching text.

use egui::{RichText, TextEdit};

use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::score_edit::{
    EditTarget, current_score, editable, push_override_edit, push_score_edit,
};
use crate::ui::style;
use crate::ui::view_state::ViewState;

pub fn inspector_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    egui::ScrollArea::vertical()
        .id_salt("inspector-scroll")
        .show(ui, |ui| {
            let crit = view
                .criterion
                .as_deref()
                .and_then(|c| cx.project.framework.criterion(c));
            let mech = view.mechanism.clone();
            let coding_shown = match (mech, crit) {
                (Some(m), Some(c)) => score_editor_ui(ui, cx, view, &m, c, out),
                _ => {
                    ui.heading("Score");
                    ui.label("Select a cell in the scoring matrix.");
                    false
                }
            };
            ui.separator();
            if let Some(c) = crit {
                ui.heading("About this criterion");
                ui.label(RichText::new(&c.name).strong());
                teaching_body(ui, c, !coding_shown);
            }
        });
}

fn score_editor_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    mech_id: &str,
    crit: &Criterion,
    out: &mut Vec<Action>,
) -> bool {
    let mech_name = cx
        .matrix
        .rows
        .iter()
        .find(|r| r.mechanism_id == mech_id)
        .map_or(mech_id.to_string(), |r| r.name.clone());
    ui.heading("Score");
    ui.label(RichText::new(&mech_name).strong());
    ui.label(format!(
        "on “{}”{}",
        crit.name,
        if crit.direction == Direction::Cost {
            " (cost: higher = worse)"
        } else {
            ""
        }
    ));

    match editable(cx, view) {
        Err(why) => {
            ui.colored_label(style::warn_color(ui), why);
            read_only_ui(ui, cx, view, mech_id, crit);
            return false;
        }
        Ok(EditTarget::Scenario(sc)) => {
            override_editor_ui(ui, cx, &sc, mech_id, crit, out);
            return false;
        }
        Ok(EditTarget::Analyst) => {}
    }
    let who = view
        .analyst
        .as_deref()
        .and_then(|a| cx.project.analyst(a))
        .map_or("a new analyst".to_string(), |a| a.name.clone());
    ui.weak(format!("Scored by {who}"));
    let score = current_score(cx, view, mech_id, &crit.id);
    let key_base = format!(
        "{}:{mech_id}:{}",
        view.analyst.clone().unwrap_or_default(),
        crit.id
    );
    let push = |view: &mut ViewState, s: Score, merge: Option<String>, out: &mut Vec<Action>| {
        let before = out.len();
        push_score_edit(
            cx,
            view,
            vec![(mech_id.to_string(), crit.id.clone(), Some(s))],
            out,
        );
        if let Some(key) = merge {
            for a in &mut out[before..] {
                if let Action::Edit {
                    cmd: crate::edit::Command::SetScore { .. },
                    merge,
                } = a
                {
                    *merge = Some(key.clone());
                }
            }
        }
    };

    ui.add_space(4.0);
    ui.label(RichText::new("Value").strong());
    for level in crit.scale.min..=crit.scale.max {
        let anchor = crit.scale.anchor(f64::from(level));
        let text = match anchor {
            Some(a) if !a.descriptor.is_empty() => {
                format!("{level} — {}: {}", a.label, a.descriptor)
            }
            Some(a) => format!("{level} — {}", a.label),
            None => format!("{level}"),
        };
        let selected = score.value == ScoreValue::Value(f64::from(level));
        let r = ui.add(egui::Button::selectable(selected, text).wrap());
        if r.clicked() && !selected {
            let mut s = score.clone();
            s.value = ScoreValue::Value(f64::from(level));
            push(view, s, None, out);
        }
    }
    if let ScoreValue::Value(v) = score.value
        && v.fract() != 0.0
    {
        ui.label(format!("Current value: {}", format_value(v)));
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
                push(view, s, None, out);
            }
        }
    });
    if !crit.coding.trim().is_empty() {
        egui::CollapsingHeader::new("How to code it")
            .id_salt("coding-rule")
            .default_open(true)
            .show(ui, |ui| ui.label(&crit.coding));
    }

    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Confidence").strong());
        for c in Confidence::ALL {
            if ui.radio(score.confidence == c, c.as_str()).clicked() && score.confidence != c {
                let mut s = score.clone();
                s.confidence = c;
                push(view, s, None, out);
            }
        }
    });

    ui.add_space(6.0);
    basis_ui(ui, cx, view, &score, &push, out);

    ui.add_space(6.0);
    let label = ui.label(RichText::new("Rationale").strong());
    let mut text = score.rationale.clone();
    let edit = TextEdit::multiline(&mut text)
        .id_salt("score-rationale")
        .char_limit(crate::model::rules::Text::Long.max_chars())
        .desired_rows(4)
        .desired_width(f32::INFINITY)
        .hint_text("Why this value? Cite the facts it rests on.");
    let r = ui.add(edit).labelled_by(label.id);
    crate::ui::editors::limit_note(ui, crate::model::rules::Text::Long, &text);
    if view.focus_score_editor {
        r.request_focus();
        view.focus_score_editor = false;
    }
    if r.changed() {
        let mut s = score.clone();
        s.rationale = text;
        push(view, s, Some(format!("rationale:{key_base}")), out);
    }
    if r.lost_focus() {
        out.push(Action::Seal);
    }
    peer_reasons_ui(ui, cx, mech_id, &crit.id);
    if let Some(was) = score.rationale_for {
        ui.colored_label(
            style::warn_color(ui),
            format!(
                "This rationale was written for the value {}; the value is now {}. \
                 Check that it still fits, then edit it.",
                was.short(),
                score.value.short()
            ),
        );
    }

    ui.add_space(6.0);
    ui.label(RichText::new(format!("Sources ({} cited)", score.sources.len())).strong());
    for id in &score.sources {
        if let Some(src) = cx.project.source(id) {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("[{}]", src.grade())).monospace());
                ui.label(&src.citation);
                let origin = cx.project.origin_of(id);
                if origin != Origin::Unknown {
                    ui.weak(format!("({})", origin.label()));
                }
            });
        }
    }
    if cx.project.sources.is_empty() {
        ui.weak("The project has no sources yet (Sources tab).");
        return true;
    }
    egui::CollapsingHeader::new("Choose sources")
        .id_salt("choose-sources")
        .show(ui, |ui| {
            let l = ui.label("Find a source");
            ui.add(TextEdit::singleline(&mut view.source_search).desired_width(f32::INFINITY))
                .labelled_by(l.id);
            let needle = view.source_search.to_lowercase();
            for src in &cx.project.sources {
                if !needle.is_empty()
                    && !src.citation.to_lowercase().contains(&needle)
                    && !src.id.contains(&needle)
                {
                    continue;
                }
                let mut on = score.sources.contains(&src.id);
                let r = ui.checkbox(&mut on, format!("[{}] {}", src.grade(), src.citation));
                if r.changed() {
                    let mut s = score.clone();
                    if on {
                        s.sources.push(src.id.clone());
                    } else {
                        s.sources.retain(|x| *x != src.id);
                    }
                    push(view, s, None, out);
                }
            }
        });
    true
}

/// Pushes the edit of the selected cell's score (with a merge key for typing).
type PushScore<'a> = dyn Fn(&mut ViewState, Score, Option<String>, &mut Vec<Action>) + 'a;

/// Whose word the score rests on, with the suggestion from the cited sources' origins.
/// In a scoring package: the other analysts' reasons for this cell in the last
/// closed round (anonymised Delphi feedback), beside the analyst's own rationale.
fn peer_reasons_ui(ui: &mut egui::Ui, cx: &Cx, mech_id: &str, crit_id: &str) {
    let Some(pk) = &cx.project.workshop.package else {
        return;
    };
    let reasons: Vec<&str> = pk
        .reasons
        .iter()
        .filter(|r| r.mechanism == mech_id && r.criterion == crit_id)
        .map(|r| r.rationale.as_str())
        .collect();
    if reasons.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(
        RichText::new(format!(
            "Other analysts' reasons in round {} (anonymised)",
            pk.round.saturating_sub(1)
        ))
        .strong(),
    )
    .on_hover_text("The group left this cell to discuss. These are the other analysts' rationales, without their names or values, in no particular order: weigh the reasons, not the head count, and say in your rationale why you keep or change your score.");
    for r in reasons {
        ui.horizontal_wrapped(|ui| {
            ui.weak("•");
            ui.label(r);
        });
    }
}

fn basis_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    score: &Score,
    push: &PushScore<'_>,
    out: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Basis").strong()).on_hover_text(
            "Whose word the score rests on: the assessed state's own statements (claim), \
             independent evidence (documented), both (mixed), or not said (unknown).",
        );
        for b in Basis::ALL {
            if ui.radio(score.basis == b, b.as_str()).clicked() && score.basis != b {
                let mut s = score.clone();
                s.basis = b;
                push(view, s, None, out);
            }
        }
    });
    let suggested = cx.project.suggested_basis(&score.sources);
    if score.sources.is_empty() {
        ui.weak("Cite sources to get a suggested basis from who speaks in them.");
    } else if suggested != score.basis && suggested != Basis::Unknown {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("The cited sources suggest: {}.", suggested.label()));
            if ui.button(format!("Use {}", suggested.as_str())).clicked() {
                let mut s = score.clone();
                s.basis = suggested;
                push(view, s, None, out);
            }
        });
    } else if suggested == Basis::Unknown {
        ui.weak("Some cited sources have no known origin: set who speaks in the Sources tab.");
    }
}

/// The override of a cell in the scenario shown: its value and its own rationale.
fn override_editor_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    scenario: &str,
    mech: &str,
    crit: &Criterion,
    out: &mut Vec<Action>,
) {
    let Some((index, s)) = cx.project.scenario_at(scenario) else {
        return;
    };
    ui.colored_label(
        style::warn_color(ui),
        format!("Hypothetical scenario: {}", s.name),
    );
    let o = s
        .score_overrides
        .iter()
        .position(|o| o.mechanism == mech && o.criterion == crit.id);
    let base: Vec<f64> = cx
        .project
        .analysts
        .iter()
        .filter_map(|a| cx.project.score(&a.id, mech, &crit.id))
        .filter_map(|x| x.value.number())
        .collect();
    ui.weak(match crate::compute::stats::median(&base) {
        Some(m) => format!("Base value (median of analysts): {}", format_value(m)),
        None => "No base value (not assessed)".to_string(),
    });
    ui.label(RichText::new("Value in this scenario").strong());
    for level in crit.scale.min..=crit.scale.max {
        let v = ScoreValue::Value(f64::from(level));
        let selected = o.is_some_and(|i| s.score_overrides[i].score.value == v);
        let label = crit
            .scale
            .anchor(f64::from(level))
            .map_or(format!("{level}"), |a| format!("{level} — {}", a.label));
        if ui
            .add(egui::Button::selectable(selected, label).wrap())
            .clicked()
            && !selected
        {
            push_override_edit(
                cx,
                scenario,
                vec![(mech.to_string(), crit.id.clone(), v)],
                out,
            );
        }
    }
    let Some(i) = o else {
        ui.weak("No override: the scenario uses the base value.");
        return;
    };
    if ui
        .button("Remove the override (use the base value)")
        .clicked()
    {
        push_override_edit(
            cx,
            scenario,
            vec![(mech.to_string(), crit.id.clone(), ScoreValue::NotAssessed)],
            out,
        );
        return;
    }
    let l = ui.label(RichText::new("Why this value in this scenario").strong());
    let mut text = s.score_overrides[i].score.rationale.clone();
    let r = ui
        .add(
            TextEdit::multiline(&mut text)
                .char_limit(crate::model::rules::Text::Long.max_chars())
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
    crate::ui::editors::limit_note(ui, crate::model::rules::Text::Long, &text);
    if r.changed() {
        let mut s2 = s.clone();
        s2.score_overrides[i].score.rationale = text;
        out.push(Action::merged(
            crate::edit::Command::SetScenario {
                index,
                scenario: s2,
            },
            format!("override-rationale:{scenario}:{mech}:{}", crit.id),
        ));
    }
    if r.lost_focus() {
        out.push(Action::Seal);
    }
}

/// The scores behind a read-only cell: every analyst's value, or the scenario override.
fn read_only_ui(ui: &mut egui::Ui, cx: &Cx, view: &ViewState, mech: &str, crit: &Criterion) {
    if let Some(s) = view
        .scenario
        .as_deref()
        .and_then(|s| cx.project.scenario(s))
        && let Some(o) = s
            .score_overrides
            .iter()
            .find(|o| o.mechanism == mech && o.criterion == crit.id)
    {
        ui.label(RichText::new(format!("Scenario override: {}", o.score.value.short())).strong());
        ui.label(&o.score.rationale);
        return;
    }
    for a in &cx.project.analysts {
        if let Some(s) = cx.project.score(&a.id, mech, &crit.id) {
            ui.group(|ui| {
                ui.label(
                    RichText::new(format!(
                        "{}: {} ({} confidence{})",
                        a.name,
                        s.value.short(),
                        s.confidence.as_str(),
                        match s.basis {
                            Basis::Unknown => String::new(),
                            b => format!(", {}", b.as_str()),
                        }
                    ))
                    .strong(),
                );
                if !s.rationale.is_empty() {
                    ui.label(&s.rationale);
                }
            });
        }
    }
}

/// Definition, teaching text, anchors, gate and coding rule of a criterion.
pub fn teaching_ui_body(ui: &mut egui::Ui, c: &Criterion) {
    teaching_body(ui, c, true);
}

/// `teaching_ui_body`, with the coding rule or without it (when the score editor
/// already shows it beside the levels).
fn teaching_body(ui: &mut egui::Ui, c: &Criterion, with_coding: bool) {
    if c.direction == Direction::Cost {
        ui.colored_label(
            style::warn_color(ui),
            "Cost criterion: a higher score means more concern.",
        );
    }
    if !c.definition.is_empty() {
        ui.label(&c.definition);
    }
    if !c.teaching.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new("In practice").strong());
        ui.label(&c.teaching);
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Scale").strong());
    for a in &c.scale.anchors {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{} {}", a.value, a.label)).strong());
            ui.label(&a.descriptor);
        });
    }
    if let Some(g) = c.gate {
        ui.label(format!(
            "Gate: mechanisms below {} are flagged not viable.",
            format_value(g.at_least)
        ));
    }
    if with_coding {
        coding_ui(ui, c);
    }
}

/// The criterion's coding rule (when 0, when not applicable, when not assessed, an
/// example), if it has one.
fn coding_ui(ui: &mut egui::Ui, c: &Criterion) {
    if c.coding.trim().is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(RichText::new("How to code it").strong());
    ui.label(&c.coding);
}
