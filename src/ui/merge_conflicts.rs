//! The banner over every view of a project that holds merge conflicts recorded by the
//! git merge driver (docs/git.md), with the list: each conflict's place and its value
//! on each side, resolved by keeping the project as it is (ours, or what was edited
//! since), taking the base's value or taking theirs — one undo step each.

use crate::edit::Command;
use crate::gitmerge::resolve::{Side, describe, resolve};
use crate::model::MergeConflict;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::style;

/// Draws the banner and the list when the project has recorded conflicts.
pub fn banner_ui(ui: &mut egui::Ui, cx: &Cx, out: &mut Vec<Action>) {
    let conflicts = &cx.project.merge_conflicts;
    if conflicts.is_empty() {
        return;
    }
    ui.colored_label(
        style::warn_color(ui),
        format!(
            "{} from a git merge: the project keeps our side until each is resolved (saving keeps the unresolved ones).",
            crate::wording::plural(conflicts.len(), "unresolved conflict", "unresolved conflicts")
        ),
    );
    egui::CollapsingHeader::new("Merge conflicts")
        .id_salt("merge-conflicts")
        .default_open(conflicts.len() <= 3)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .id_salt("merge-conflicts-list")
                .show(ui, |ui| {
                    for (i, c) in conflicts.iter().enumerate() {
                        row(ui, cx, i, c, out);
                    }
                });
        });
}

fn row(ui: &mut egui::Ui, cx: &Cx, i: usize, c: &MergeConflict, out: &mut Vec<Action>) {
    ui.separator();
    ui.label(egui::RichText::new(describe(cx.project, &c.path)).strong());
    ui.label(egui::RichText::new(&c.path).small().weak());
    ui.label(format!("base: {}", MergeConflict::side(&c.base)));
    ui.label(format!(
        "ours (now in the project): {}",
        MergeConflict::side(&c.ours)
    ));
    ui.label(format!("theirs: {}", MergeConflict::side(&c.theirs)));
    ui.horizontal_wrapped(|ui| {
        let choices = [
            (Side::Current, "Keep as it is now"),
            (Side::Theirs, "Take theirs"),
            (Side::Base, "Take the base"),
        ];
        for (side, label) in choices {
            if ui.button(label).clicked() {
                match resolve(cx.project, i, side) {
                    Ok(p) => out.push(Action::Edit {
                        cmd: Command::Restore(Box::new(p)),
                        merge: None,
                    }),
                    Err(e) => out.push(Action::Status(format!("Not resolved: {e}"))),
                }
            }
        }
    });
}
