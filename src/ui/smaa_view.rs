//! Monte Carlo rank acceptability (SMAA-2) in the results view: options, a run on a
//! worker thread with a progress bar and Cancel (the window never freezes), and the
//! results with their seed, sample count and generator, marked out of date when the
//! project or the selection changed since.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};

use egui::RichText;

use super::{Cx, ViewState, style};
use crate::compute::Selection;
use crate::compute::smaa::{
    self, ScoreSpread, ScoreUncertainty, Smaa, SmaaError, SmaaOptions, WeightLevel, WeightModel,
};

struct Job {
    rx: Receiver<Result<Smaa, SmaaError>>,
    cancel: Arc<AtomicBool>,
    progress: Arc<AtomicU64>,
    total: u64,
    key: (u64, Selection),
}

pub struct SmaaPanel {
    pub samples: usize,
    pub seed: u64,
    pub groups_level: bool,
    pub score_uncertainty: bool,
    pub spread: ScoreSpread,
    job: Option<Job>,
    result: Option<((u64, Selection), Result<Smaa, SmaaError>)>,
}

impl Default for SmaaPanel {
    fn default() -> Self {
        SmaaPanel {
            samples: 10_000,
            seed: 1,
            groups_level: false,
            score_uncertainty: true,
            spread: ScoreSpread::default(),
            job: None,
            result: None,
        }
    }
}

impl SmaaPanel {
    /// The last results, if they were computed for this revision and selection.
    pub fn current(&self, revision: u64, sel: &Selection) -> Option<&Smaa> {
        match &self.result {
            Some(((rev, s), Ok(r))) if *rev == revision && s == sel => Some(r),
            _ => None,
        }
    }

    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    fn options(&self) -> SmaaOptions {
        let mut o = SmaaOptions::new(self.samples, self.seed);
        o.weights = WeightModel::Uniform {
            level: if self.groups_level {
                WeightLevel::Groups
            } else {
                WeightLevel::Criteria
            },
            bounds: Vec::new(),
            order: None,
        };
        o.scores = if self.score_uncertainty {
            ScoreUncertainty::FromConfidence(self.spread)
        } else {
            ScoreUncertainty::Off
        };
        o
    }

    fn start(&mut self, cx: &Cx, key: (u64, Selection)) {
        let opts = self.options();
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(AtomicU64::new(0));
        let fw = cx.project.framework.clone();
        let matrix = cx.matrix.clone();
        let (c, p) = (cancel.clone(), progress.clone());
        let total = opts.work();
        std::thread::spawn(move || {
            let r = smaa::smaa_with_progress(&fw, &matrix, &opts, &c, &p);
            let _ = tx.send(r);
        });
        self.job = Some(Job {
            rx,
            cancel,
            progress,
            total,
            key,
        });
    }

    /// Collects a finished run; true while one is running.
    pub fn poll(&mut self) -> bool {
        let Some(job) = &self.job else { return false };
        match job.rx.try_recv() {
            Ok(r) => {
                let key = job.key.clone();
                self.job = None;
                if !matches!(r, Err(SmaaError::Cancelled)) {
                    self.result = Some((key, r));
                }
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                false
            }
        }
    }
}

pub fn smaa_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    let key = (cx.revision, cx.results.selection.clone());
    let panel = &mut view.smaa;
    if panel.poll() {
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
        );
    });
    if panel.score_uncertainty {
        ui.horizontal_wrapped(|ui| {
            ui.weak("Spread (± scale points):");
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
            ui.weak("high confidence: ±0");
        });
    }
    match &panel.job {
        Some(job) => {
            let done = job.progress.load(Ordering::Relaxed) as f32 / job.total.max(1) as f32;
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(done.min(1.0))
                        .show_percentage()
                        .desired_width(300.0),
                );
                if ui.button("Cancel").clicked() {
                    job.cancel.store(true, Ordering::SeqCst);
                }
            });
        }
        None => {
            if ui.button("Run rank acceptability").clicked() {
                panel.start(cx, key.clone());
            }
        }
    }
    let Some((rkey, result)) = &panel.result else {
        ui.weak("Draws weights uniformly (and scores within their confidence) many times and counts how often each mechanism takes each rank.");
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
        "{} samples, seed {}, generator {}; reproducible with the same seed and sample count.",
        r.options.samples, r.options.seed, r.generator
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
            ui.label(RichText::new("Confidence factor").strong());
            ui.label(RichText::new("Unranked").strong());
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
                ui.label(r.confidence[i].map_or("—".to_string(), crate::wording::whole_percent));
                ui.label(crate::wording::percent_one_decimal(r.unranked(i)));
                ui.end_row();
            }
        });
}
