//! How the pairwise and swing views apply what they derive, one rule for both: a note
//! saying which weights each button sets, and a row of buttons — set the weights from
//! the judgements, keep the judgements only, and, for the groups, set the own group
//! weights of the viewpoint chosen in the results view instead (when it has its own).
//! Each button pushes one `SetWeighting`: one undo step.

use crate::compute::weighting;
use crate::edit::{Command, WeightsTo};
use crate::model::{JudgedSet, Judgements};
use crate::ui::action::Action;
use crate::ui::context::Cx;

/// A view's words for its buttons.
pub struct Words {
    /// The button that sets the set's weights ("Apply these weights").
    pub apply: &'static str,
    pub apply_hover: &'static str,
    /// The button that keeps the judgements without setting weights.
    pub keep: &'static str,
    pub keep_hover: &'static str,
    /// What the view's judgements are called ("judgements", "swings").
    pub what: &'static str,
}

/// What a view applies: the set, the judgements to keep and the weights they give
/// (aligned with `ids`, the set's items).
pub struct Derived<'a> {
    pub target: JudgedSet,
    pub judgements: Judgements,
    pub ids: &'a [String],
    pub weights: &'a [f64],
}

/// The note over the buttons (the groups of a framework with viewpoints only) and the
/// row of buttons.
pub fn apply_row(ui: &mut egui::Ui, cx: &Cx, d: &Derived, words: &Words, out: &mut Vec<Action>) {
    let fw = &cx.project.framework;
    if d.target == JudgedSet::Groups && !fw.viewpoints.is_empty() {
        ui.weak(format!(
            "“{}” sets the framework's own group weights, which a viewpoint without weights of its own uses; a viewpoint with its own group weights keeps them unless you apply the {} to it (choose it in the results view first).",
            words.apply, words.what
        ));
    }
    let set = |weights: Option<WeightsTo>| {
        Action::edit(Command::SetWeighting {
            target: d.target,
            judgements: d.judgements.clone(),
            weights,
        })
    };
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(words.apply)
            .on_hover_text(words.apply_hover)
            .clicked()
        {
            out.push(set(Some(WeightsTo::Framework(d.weights.to_vec()))));
        }
        if ui.button(words.keep).on_hover_text(words.keep_hover).clicked() {
            out.push(set(None));
        }
        if let Some(vp) = weighting::viewpoint_to_weigh(fw, d.target, &cx.results.viewpoint.id)
            && ui
                .button(format!("Apply to the viewpoint “{}”", vp.name))
                .on_hover_text(format!(
                    "Keep the {} and set this viewpoint's own group weights from them (0 = not counted); the framework's weights stay as they are (one undo step)",
                    words.what
                ))
                .clicked()
        {
            out.push(set(Some(WeightsTo::Viewpoint {
                id: vp.id.clone(),
                group_weights: Some(weighting::viewpoint_group_weights(d.ids, d.weights)),
            })));
        }
    });
}
