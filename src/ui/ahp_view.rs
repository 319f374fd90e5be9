//! Pairwise (AHP) weighting of the criteria of one group: a comparison grid on Saaty's
//! 1–9 verbal scale, the principal-eigenvector weights, the consistency ratio, and the
//! most inconsistent judgement pointed out. Applying sets the group's criterion weights
//! in one undo step. Groups of more than nine criteria use direct weights instead.

use egui::RichText;

use crate::compute::ahp::{self, PairwiseMatrix, SAATY_VALUES};
use crate::edit::Command;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::panel_state::AhpEdit;
use crate::ui::style;

fn value_text(v: f64) -> String {
    ahp::describe(v).unwrap_or_else(|| format!("{v:.2}"))
}

/// Returns false when the panel should close.
pub fn ahp_ui(ui: &mut egui::Ui, cx: &Cx, edit: &mut AhpEdit, out: &mut Vec<Action>) -> bool {
    let Some(g) = cx.project.framework.groups.get(edit.group) else {
        return false;
    };
    let n = g.criteria.len();
    ui.label(RichText::new(format!("Pairwise weighting of “{}”", g.name)).strong());
    if n > ahp::MAX_ITEMS {
        ui.colored_label(style::warn_color(ui), format!("This group has {n} criteria: a full pairwise grid would ask {} judgements. Use direct weights for more than {} criteria.", n * (n - 1) / 2, ahp::MAX_ITEMS));
        return !ui.button("Close").clicked();
    }
    if n < 2 {
        ui.label("A group needs at least two criteria to compare.");
        return !ui.button("Close").clicked();
    }
    ui.weak("For each pair: how much more important is the criterion on the left than the one on the right? (Saaty's scale; values below 1 favour the right.)");
    let matrix = PairwiseMatrix::from_upper(n, &edit.upper);
    let result = matrix.as_ref().ok().map(ahp::weigh);
    let worst = result.as_ref().and_then(|r| r.most_inconsistent);
    let mut k = 0;
    egui::Grid::new(("ahp-grid", edit.group))
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for i in 0..n {
                for j in i + 1..n {
                    let is_worst = worst.is_some_and(|w| w.i == i && w.j == j);
                    let left = RichText::new(&g.criteria[i].name);
                    ui.label(if is_worst {
                        left.color(style::warn_color(ui))
                    } else {
                        left
                    });
                    let current = edit.upper[k];
                    let label = format!("{} vs {}", g.criteria[i].name, g.criteria[j].name);
                    let r = egui::ComboBox::from_id_salt(("ahp", edit.group, i, j))
                        .selected_text(value_text(current))
                        .width(250.0)
                        .show_ui(ui, |ui| {
                            for v in SAATY_VALUES.iter().rev() {
                                if ui
                                    .selectable_label((current - v).abs() < 1e-9, value_text(*v))
                                    .clicked()
                                {
                                    edit.upper[k] = *v;
                                }
                            }
                        })
                        .response;
                    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &label));
                    ui.label(&g.criteria[j].name);
                    ui.end_row();
                    k += 1;
                }
            }
        });
    match (&matrix, &result) {
        (Err(e), _) => {
            ui.colored_label(style::error_color(ui), e.to_string());
        }
        (Ok(_), Some(r)) => {
            ui.add_space(4.0);
            for (c, w) in g.criteria.iter().zip(&r.weights) {
                ui.label(format!(
                    "{}: {}",
                    c.name,
                    crate::wording::percent_one_decimal(*w)
                ));
            }
            let cr = format!(
                "Consistency ratio {:.3} (λmax {:.3}, CI {:.3}, RI {:.2})",
                r.cr, r.lambda_max, r.ci, r.ri
            );
            if r.acceptable() {
                ui.label(format!("{cr}: acceptable (≤ 0.10)"));
            } else {
                ui.colored_label(
                    style::warn_color(ui),
                    format!("{cr}: the judgements contradict each other (above 0.10); revise them"),
                );
            }
            if let Some(w) = worst {
                ui.label(format!(
                    "Most inconsistent: {} vs {} is {}, the other judgements imply about {:.2} — consider {}.",
                    g.criteria[w.i].name,
                    g.criteria[w.j].name,
                    value_text(w.value),
                    w.implied,
                    value_text(w.suggested)
                ));
            }
            ui.horizontal(|ui| {
                if ui.button("Apply these weights").clicked() {
                    out.push(Action::edit(Command::SetCriterionWeights {
                        group: edit.group,
                        weights: r.weights.clone(),
                    }));
                }
                if ui.button("Close").clicked() {
                    k = usize::MAX;
                }
            });
        }
        _ => {}
    }
    k != usize::MAX
}
