//! Swing weighting of a set of items — the criteria of one group, or the groups:
//! each item's swing from its worst to its best level, ranked (1 = the swing wanted
//! first) and rated 0–100 against the top swing; the weights derived (rating over the
//! sum of ratings) shown beside the current ones. The swings are kept in the file
//! (reopened here), with or without setting the weights — the set's own, or, for the
//! groups, those of the viewpoint chosen in the results view — in one undo step.

use egui::{DragValue, RichText};

use crate::compute::swing;
use crate::compute::weighting;
use crate::model::{Direction, JudgedSet, Judgements};
use crate::ui::action::Action;
use crate::ui::ahp_view::set_title;
use crate::ui::context::Cx;
use crate::ui::panel_state::SwingEdit;
use crate::ui::style;
use crate::ui::weighting_apply::{Derived, Words, apply_row};
use crate::wording::percent_one_decimal;

const WORDS: Words = Words {
    apply: "Apply the swing weights",
    apply_hover: "Keep the swings in the file and set the weights from them (one undo step)",
    keep: "Keep the swings only",
    keep_hover: "Keep the swings in the file without changing the weights",
    what: "swings",
};

/// The swing of one item, worst → best, in the analyst's words.
fn swing_words(cx: &Cx, target: JudgedSet, i: usize) -> String {
    let fw = &cx.project.framework;
    match target {
        JudgedSet::Groups => "index 0 → 100".into(),
        JudgedSet::Criteria(gi) => {
            let Some(c) = fw.groups.get(gi).and_then(|g| g.criteria.get(i)) else {
                return String::new();
            };
            let (worst, best) = match c.direction {
                Direction::Benefit => (c.scale.min, c.scale.max),
                Direction::Cost => (c.scale.max, c.scale.min),
            };
            let level = |v: i32| match c.scale.anchor(f64::from(v)) {
                Some(a) if !a.label.trim().is_empty() && a.label.trim() != v.to_string() => {
                    format!("{v} {}", a.label.trim())
                }
                _ => v.to_string(),
            };
            format!("{} → {}", level(worst), level(best))
        }
    }
}

/// Returns false when the panel should close.
pub fn swing_ui(ui: &mut egui::Ui, cx: &Cx, edit: &mut SwingEdit, out: &mut Vec<Action>) -> bool {
    let fw = &cx.project.framework;
    let Some((ids, names, _)) = weighting::items(fw, &edit.target) else {
        return false;
    };
    if edit.swings.len() != ids.len() {
        match SwingEdit::open(fw, edit.target) {
            Some(e) => *edit = e,
            None => return false,
        }
    }
    ui.label(RichText::new(format!("Swing weighting of {}", set_title(cx, edit.target))).strong());
    if ids.is_empty() {
        ui.label("There is nothing to weigh yet.");
        return !ui.button("Close").clicked();
    }
    ui.weak("Imagine every item at its worst level. Which one swing to its best level would you want first? Rank it 1 and rate it 100; then rank the others and rate each swing 0–100 against that one (equal swings share a rank and a rating).");
    let result = swing::weigh(&edit.swings);
    let reading = weighting::read_target(fw, edit.target);
    egui::Grid::new(("swing-grid", format!("{:?}", edit.target)))
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            ui.strong("Item");
            ui.strong("Swing (worst → best)");
            ui.strong("Rank");
            ui.strong("Rating");
            ui.strong("Weight from the swings (current)");
            ui.end_row();
            for (i, name) in names.iter().enumerate() {
                ui.label(name);
                ui.label(swing_words(cx, edit.target, i));
                let s = &mut edit.swings[i];
                let rank_label = format!("Rank of the swing of {name}");
                let r = ui.add(DragValue::new(&mut s.rank).range(1..=ids.len() as u32));
                r.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::SpinButton, true, &rank_label)
                });
                let rating_label = format!("Rating of the swing of {name}");
                let r = ui.add(
                    DragValue::new(&mut s.rating)
                        .range(0.0..=100.0)
                        .speed(1.0)
                        .max_decimals(1),
                );
                r.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::SpinButton, true, &rating_label)
                });
                let derived = result.as_ref().ok().map(|w| percent_one_decimal(w[i]));
                let now = reading
                    .as_ref()
                    .map(|r| percent_one_decimal(r.shares[i]))
                    .unwrap_or_default();
                ui.label(match derived {
                    Some(d) => format!("{d} ({now})"),
                    None => format!("— ({now})"),
                });
                ui.end_row();
            }
        });
    let mut keep = true;
    match &result {
        Err(e) => {
            ui.colored_label(style::error_color(ui), e.to_string());
        }
        Ok(w) => {
            let derived = Derived {
                target: edit.target,
                judgements: Judgements {
                    pairwise: weighting::judgements(fw, &edit.target).pairwise,
                    swing: edit.judgements(&ids),
                },
                ids: &ids,
                weights: w,
            };
            apply_row(ui, cx, &derived, &WORDS, out);
        }
    }
    if ui.button("Close swing weighting").clicked() {
        keep = false;
    }
    keep
}
