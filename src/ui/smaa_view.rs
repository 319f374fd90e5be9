//! Monte Carlo rank acceptability (SMAA-2) in the results view: options, a run on a
//! worker thread with a progress bar and Cancel (the window never freezes), and the
//! results with their seed, sample count and generator, marked out of date when the
//! project or the selection changed since.

use egui::RichText;

use crate::ui::context::Cx;
use crate::ui::style;
use crate::ui::view_state::ViewState;

pub fn smaa_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    let key = (cx.revision, cx.results.selection.clone());
    let panel = &mut view.smaa;
    let job = &mut view.derived.smaa;
    if job.poll() {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Samples");
        ui.add(
            egui::DragValue::new(&mut panel.samples)
                .range(100..=1_000_000)
                .speed(100.0),
        )
        .labelled_by(l.id);
        let l = ui.label("Seed");
        ui.add(egui::DragValue::new(&mut panel.seed))
            .labelled_by(l.id);
        ui.checkbox(
            &mut panel.groups_level,
            "Vary group weights (not criterion weights)",
        );
        ui.checkbox(
            &mut panel.score_uncertainty,
            "Scores uncertain by their confidence",
        )
        .on_hover_text("Each sample moves every score within its confidence and, where several analysts scored a cell, draws one of them first.");
        ui.checkbox(&mut panel.draw_missing, "Draw not-assessed cells")
            .on_hover_text("Each sample gives every not-assessed cell a level drawn uniformly over its scale, so gaps can cost or help a mechanism. Off: they are left out, as in the totals.");
    });
    if panel.score_uncertainty {
        ui.horizontal_wrapped(|ui| {
            ui.weak("Spread (± scale points):");
            let l = ui.label("high");
            ui.add(
                egui::DragValue::new(&mut panel.spread.high)
                    .range(0.0..=5.0)
                    .speed(0.05),
            )
            .labelled_by(l.id);
            let l = ui.label("moderate");
            ui.add(
                egui::DragValue::new(&mut panel.spread.moderate)
                    .range(0.0..=5.0)
                    .speed(0.05),
            )
            .labelled_by(l.id);
            let l = ui.label("low");
            ui.add(
                egui::DragValue::new(&mut panel.spread.low)
                    .range(0.0..=5.0)
                    .speed(0.05),
            )
            .labelled_by(l.id);
        });
    }
    match job.progress() {
        Some(progress) => {
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(progress.done)
                        .show_percentage()
                        .desired_width(300.0),
                );
                if ui.button("Cancel").clicked() {
                    job.cancel();
                }
            });
        }
        None => {
            if ui.button("Run rank acceptability").clicked() {
                job.start(
                    &cx.project.framework,
                    cx.matrix,
                    panel.options(),
                    key.clone(),
                );
            }
        }
    }
    let Some((rkey, result)) = job.last() else {
        ui.weak(format!(
            "Draws the inputs many times ({}) and counts how often each mechanism takes each rank.",
            panel.options().describe()
        ));
        return;
    };
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            ui.colored_label(style::error_color(ui), e.to_string());
            return;
        }
    };
    if *rkey != key {
        ui.colored_label(
            style::warn_color(ui),
            "Out of date: the project or the selection changed since this run. Run again.",
        );
    }
    ui.weak(format!(
        "{}; generator {}; reproducible with the same settings and seed.",
        crate::wording::capitalise(&r.options.describe()),
        r.generator
    ));
    let names: Vec<String> = r
        .mechanism_ids
        .iter()
        .map(|id| {
            cx.matrix
                .rows
                .iter()
                .find(|x| &x.mechanism_id == id)
                .map_or(id.clone(), |x| x.name.clone())
        })
        .collect();
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|a, b| r.acceptability(*b, 1).total_cmp(&r.acceptability(*a, 1)));
    egui::Grid::new("smaa-table")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            ui.label(RichText::new("Mechanism").strong());
            ui.label(RichText::new("P(first)").strong());
            ui.label(RichText::new("P(top 3)").strong());
            ui.label(RichText::new("Confidence factor").strong())
                .on_hover_text("How often the mechanism is still first when the weights are its central weights (the typical weights that make it first) and only the scores vary; — when it is never first.");
            ui.label(RichText::new("No total").strong())
                .on_hover_text("The share of samples in which the mechanism had too little assessed to get a total.");
            ui.end_row();
            for &i in order.iter().take(15) {
                let top3: f64 = (1..=3.min(r.rank_counts[i].len()))
                    .map(|k| r.acceptability(i, k))
                    .sum();
                ui.label(&names[i]);
                ui.label(format!(
                    "{} ± {}",
                    crate::wording::percent_one_decimal(r.acceptability(i, 1)),
                    crate::wording::one_decimal(r.acceptability_se(i, 1) * 100.0)
                ));
                ui.label(crate::wording::percent_one_decimal(top3));
                ui.label(r.confidence[i].map_or("—".to_string(), crate::wording::percent_one_decimal));
                ui.label(crate::wording::percent_one_decimal(r.unranked(i)));
                ui.end_row();
            }
        });
}
