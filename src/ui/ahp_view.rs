//! Pairwise (AHP) weighting of a set of items — the criteria of one group, or the
//! groups themselves: a comparison grid on Saaty's 1–9 verbal scale (or any value
//! between its points, typed), the principal-eigenvector weights, the consistency
//! ratio with the random index it divides by, and the most inconsistent judgement
//! pointed out. The judgements are kept in the file (reopened here), with or without
//! setting the weights — the set's own, or, for the groups, those of the viewpoint
//! chosen in the results view — in one undo step. Sets of more than nine items use direct
//! weights instead.

use egui::RichText;

use crate::compute::ahp::{self, PairwiseMatrix, SAATY_VALUES};
use crate::compute::weighting;
use crate::model::{JudgedSet, Judgements};
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::panel_state::AhpEdit;
use crate::ui::style;
use crate::ui::weighting_apply::{Derived, Words, apply_row};
use crate::wording::fixed;

const WORDS: Words = Words {
    apply: "Apply these weights",
    apply_hover: "Keep the judgements in the file and set the weights from them (one undo step)",
    keep: "Keep the judgements only",
    keep_hover: "Keep the judgements in the file without changing the weights",
    what: "judgements",
};

fn value_text(v: f64) -> String {
    ahp::describe(v).unwrap_or_else(|| ahp::judgement_text(v))
}

/// What a set is called in headings: "the criteria of “Requirements”" or "the
/// criteria groups".
pub fn set_title(cx: &Cx, target: JudgedSet) -> String {
    match target {
        JudgedSet::Groups => "the criteria groups".into(),
        JudgedSet::Criteria(gi) => cx
            .project
            .framework
            .groups
            .get(gi)
            .map_or_else(String::new, |g| format!("the criteria of “{}”", g.name)),
    }
}

/// Returns false when the panel should close.
pub fn ahp_ui(ui: &mut egui::Ui, cx: &Cx, edit: &mut AhpEdit, out: &mut Vec<Action>) -> bool {
    let fw = &cx.project.framework;
    let Some((ids, names, _)) = weighting::items(fw, &edit.target) else {
        return false;
    };
    let n = ids.len();
    if edit.upper.len() != n * n.saturating_sub(1) / 2 {
        // The set changed under the grid (an item added or deleted): reopen it.
        match AhpEdit::open(fw, edit.target) {
            Some(e) => *edit = e,
            None => return false,
        }
    }
    ui.label(
        RichText::new(format!(
            "Pairwise weighting of {}",
            set_title(cx, edit.target)
        ))
        .strong(),
    );
    if n > ahp::MAX_ITEMS {
        ui.colored_label(style::warn_color(ui), format!("This set has {n} items: a full pairwise grid would ask {} judgements. Use direct weights for more than {} items.", n * (n - 1) / 2, ahp::MAX_ITEMS));
        return !ui.button("Close").clicked();
    }
    if n < 2 {
        ui.label("At least two items are needed to compare.");
        return !ui.button("Close").clicked();
    }
    ui.weak("For each pair: how much more important is the item on the left than the one on the right? Pick a point of Saaty's scale, or type any value from 1/9 to 9 (e.g. 2.5 or 1/3.5); values below 1 favour the right.");
    let mut typo: Option<String> = None;
    let mut k = 0;
    egui::Grid::new(("ahp-grid", format!("{:?}", edit.target)))
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            for i in 0..n {
                for j in i + 1..n {
                    ui.label(&names[i]);
                    let current = edit.upper[k];
                    let label = format!("{} vs {}", names[i], names[j]);
                    let r =
                        egui::ComboBox::from_id_salt(("ahp", format!("{:?}", edit.target), i, j))
                            .selected_text(value_text(current))
                            .width(250.0)
                            .show_ui(ui, |ui| {
                                for v in SAATY_VALUES.iter().rev() {
                                    if ui
                                        .selectable_label(
                                            (current - v).abs() < 1e-9,
                                            value_text(*v),
                                        )
                                        .clicked()
                                    {
                                        edit.upper[k] = *v;
                                        edit.texts[k] = ahp::judgement_text(*v);
                                    }
                                }
                            })
                            .response;
                    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &label));
                    let typed_label = format!("Value of {} vs {}", names[i], names[j]);
                    let t = ui.add(
                        egui::TextEdit::singleline(&mut edit.texts[k])
                            .desired_width(72.0)
                            .hint_text("e.g. 2.5"),
                    );
                    t.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::TextInput, true, &typed_label)
                    });
                    match ahp::parse_judgement(&edit.texts[k]) {
                        Ok(v) => edit.upper[k] = v,
                        Err(e) => typo = Some(format!("{label}: {e}")),
                    }
                    ui.label(&names[j]);
                    ui.end_row();
                    k += 1;
                }
            }
        });
    if let Some(e) = &typo {
        ui.colored_label(style::error_color(ui), e);
    }
    let matrix = PairwiseMatrix::from_upper(n, &edit.upper);
    let mut keep = true;
    match matrix.as_ref().map(ahp::weigh) {
        Err(e) => {
            ui.colored_label(style::error_color(ui), e.to_string());
            keep = !ui.button("Close pairwise weighting").clicked();
        }
        Ok(r) => {
            ui.add_space(4.0);
            for (name, w) in names.iter().zip(&r.weights) {
                ui.label(format!(
                    "{name}: {}",
                    crate::wording::percent_one_decimal(*w)
                ));
            }
            let cr = format!(
                "Consistency ratio {} (λmax {}, CI {}, RI({n}) {} from Saaty's random-index table)",
                fixed(r.cr, 3),
                fixed(r.lambda_max, 3),
                fixed(r.ci, 3),
                fixed(r.ri, 2)
            );
            if r.acceptable() {
                ui.label(format!("{cr}: acceptable (≤ 0.10)"));
            } else {
                ui.colored_label(
                    style::warn_color(ui),
                    format!("{cr}: the judgements contradict each other (above 0.10); revise them"),
                );
            }
            if let Some(w) = r.most_inconsistent {
                ui.label(format!(
                    "Most inconsistent: {} vs {} is {}, the other judgements imply about {} — consider {}.",
                    names[w.i],
                    names[w.j],
                    value_text(w.value),
                    fixed(w.implied, 2),
                    value_text(w.suggested)
                ));
            }
            let derived = Derived {
                target: edit.target,
                judgements: Judgements {
                    pairwise: edit.judgements(&ids),
                    swing: weighting::judgements(fw, &edit.target).swing,
                },
                ids: &ids,
                weights: &r.weights,
            };
            ui.add_enabled_ui(typo.is_none(), |ui| {
                apply_row(ui, cx, &derived, &WORDS, out);
            });
            if ui.button("Close pairwise weighting").clicked() {
                keep = false;
            }
        }
    }
    keep
}
