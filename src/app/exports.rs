//! Writing what the project shows: the assessment report (HTML or Markdown), the
//! scores as CSV (and reading a sheet back as a preview), and the charts.

use std::path::{Path, PathBuf};

use super::dialogs::{DialogKind, PROJECT_FILTER, PendingDialog, absolute};
use super::state::{App, ExportJob};
use crate::charts::{ChartInput, ChartKind, ChartOptions};
use crate::ui::modal_state::{Modal, PathPurpose};
use crate::ui::panel_state::WorkshopChart;

impl App {
    /// Writes the assessment report of what is shown (HTML, or Markdown for `.md`).
    pub fn write_report(&mut self, path: &Path) {
        let sel = self.view.selection();
        // Rank acceptability as the results view shows it; computed now (with the
        // same settings) when the view has not run it for what is shown.
        let smaa = self
            .view
            .derived
            .smaa
            .current(self.session.revision(), &sel)
            .cloned()
            .or_else(|| {
                let project = self.session.project();
                let m = crate::compute::effective_matrix(project, &sel).ok()?;
                let mut o = self.view.smaa.options();
                o.pairwise = false;
                crate::compute::smaa::smaa(&project.framework, &m, &o).ok()
            });
        let project = self.session.project();
        let mut opts = crate::report::ReportOptions::with_defaults(project, sel);
        opts.smaa = smaa.as_ref();
        let markdown = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        let result = if markdown {
            let dir = crate::report::charts_dir_for(path);
            crate::report::markdown_report(project, &opts, Some(&dir))
                .map_err(|e| e.to_string())
                .and_then(|r| {
                    crate::report::write_markdown(path, &r)
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
        } else {
            crate::report::html_report(project, &opts)
                .map_err(|e| e.to_string())
                .and_then(|html| {
                    crate::persist::atomic::write_atomic(path, html.as_bytes())
                        .map_err(|e| e.to_string())
                })
        };
        match result {
            Ok(()) => self.status = format!("Wrote the report {}", absolute(path).display()),
            Err(e) => {
                self.modal = Some(Modal::SaveFailed {
                    message: format!("the report was not written: {e}"),
                })
            }
        }
    }

    /// Writes the scores (one row per analyst × mechanism × criterion) as CSV.
    pub fn write_csv(&mut self, path: &Path) {
        let opts = crate::csv_io::ExportOptions {
            layout: crate::csv_io::Layout::Long,
            analyst: None,
            delimiter: b',',
        };
        match crate::csv_io::export(self.session.project(), &opts) {
            Ok(text) => match crate::persist::atomic::write_atomic(path, text.as_bytes()) {
                Ok(()) => {
                    self.status = format!("Exported the scores to {}", absolute(path).display())
                }
                Err(e) => {
                    self.modal = Some(Modal::SaveFailed {
                        message: format!("the sheet was not written: {e}"),
                    })
                }
            },
            Err(e) => self.status = e.to_string(),
        }
    }

    /// Reads a CSV sheet and shows what it would change (nothing is applied yet).
    pub fn read_csv(&mut self, path: &Path) {
        let bytes = match crate::persist::input::read_file(path, crate::persist::max_file_bytes()) {
            Ok(b) => b,
            Err(e) => {
                self.modal = Some(Modal::CsvProblems {
                    path: path.to_path_buf(),
                    problems: vec![e.to_string()],
                });
                return;
            }
        };
        let opts = crate::csv_io::ImportOptions {
            analyst: self.view.analyst.clone(),
        };
        match crate::csv_io::import(self.session.project(), &bytes, &opts) {
            Ok(preview) if let Some(size) = too_large(self.session.project(), &preview) => {
                self.modal = Some(Modal::CsvProblems {
                    path: path.to_path_buf(),
                    problems: vec![format!(
                        "with this sheet the project would be {:.1} MB, over the {:.0} MB limit for project files; nothing was imported",
                        size as f64 / 1e6,
                        crate::persist::max_file_bytes() as f64 / 1e6
                    )],
                });
            }
            Ok(preview) => {
                self.modal = Some(Modal::CsvPreview {
                    summary: preview.summary(),
                    changes: preview.changes.iter().map(|c| c.describe()).collect(),
                    command: preview.command().map(Box::new),
                });
            }
            Err(problems) => {
                self.modal = Some(Modal::CsvProblems {
                    path: path.to_path_buf(),
                    problems: problems.iter().map(ToString::to_string).collect(),
                });
            }
        }
    }

    pub(super) fn export_suggestion(&self) -> String {
        let dir = self.start_dir().unwrap_or_default();
        match &self.pending_export {
            Some(job) if job.single() => dir.join(job.single_name()).display().to_string(),
            _ => dir.join("charts").display().to_string(),
        }
    }

    pub(super) fn start_export(
        &mut self,
        kinds: Vec<ChartKind>,
        workshop: Vec<WorkshopChart>,
        svg: bool,
    ) {
        let job = ExportJob {
            selection: self.view.selection(),
            charts: kinds
                .iter()
                .map(|k| self.view.chart.export_options(*k))
                .collect(),
            workshop,
            workshop_options: self.view.chart.export_options(ChartKind::Heatmap),
            svg,
        };
        let (kind, name, filter) = if job.single() {
            let f = if svg {
                ("SVG image", "svg")
            } else {
                ("PNG image", "png")
            };
            (DialogKind::SaveFile, job.single_name(), f)
        } else {
            (DialogKind::PickFolder, String::new(), PROJECT_FILTER)
        };
        self.pending_export = Some(job);
        self.dialog = Some((
            PathPurpose::Export,
            PendingDialog::spawn(kind, self.start_dir(), name, filter),
        ));
    }

    /// Writes the charts of `job` (to `path` for one chart, into the folder `path`
    /// for several) with the same drawing code as the screen and the CLI.
    pub fn run_export(&mut self, job: &ExportJob, path: &Path) {
        let (matrix, results) = match self.session.derived(&job.selection) {
            Ok(d) => d,
            Err(e) => {
                self.status = format!("Nothing exported: {e}");
                return;
            }
        };
        let project = self.session.project();
        let suffix = crate::compute::selection_line(project, &job.selection);
        let input = ChartInput {
            project,
            matrix: &matrix,
            results: &results,
            title_suffix: suffix.as_deref(),
        };
        let workshop_targets: Vec<(PathBuf, WorkshopChart)> = if job.single() {
            job.workshop
                .iter()
                .map(|w| (path.to_path_buf(), *w))
                .collect()
        } else {
            job.workshop
                .iter()
                .map(|w| {
                    (
                        path.join(format!("{}.{}", w.file_stem(), job.extension())),
                        *w,
                    )
                })
                .collect()
        };
        let targets: Vec<(PathBuf, &ChartOptions)> = if job.single() {
            job.charts.iter().map(|o| (path.to_path_buf(), o)).collect()
        } else {
            if let Err(e) = std::fs::create_dir_all(path) {
                self.modal = Some(Modal::SaveFailed {
                    message: format!("could not create the folder {}: {e}", path.display()),
                });
                return;
            }
            job.charts
                .iter()
                .map(|o| {
                    (
                        path.join(format!("{}.{}", o.kind.file_stem(), job.extension())),
                        o,
                    )
                })
                .collect()
        };
        let mut written = Vec::new();
        for (target, opts) in targets {
            let r = if job.svg {
                crate::charts::write_svg(&target, &input, opts)
            } else {
                crate::charts::write_png(&target, &input, opts)
            };
            match r {
                Ok(()) => written.push(target),
                Err(e) => {
                    self.modal = Some(Modal::SaveFailed {
                        message: e.to_string(),
                    });
                    return;
                }
            }
        }
        // The workshop charts of the round shown, analysts anonymised unless revealed.
        let round = job.selection.round.as_deref();
        let anon = !project.workshop.reveal_names;
        let opts = &job.workshop_options;
        for (target, w) in workshop_targets {
            let r = match (w, job.svg) {
                (WorkshopChart::Spread, svg) => crate::charts::spread_input(project, round, anon)
                    .and_then(|i| {
                        if svg {
                            crate::charts::write_spread_svg(&target, &i, opts)
                        } else {
                            crate::charts::write_spread_png(&target, &i, opts)
                        }
                    }),
                (WorkshopChart::Strip, svg) => crate::charts::strip_input(project, round, anon)
                    .and_then(|i| {
                        if svg {
                            crate::charts::write_strip_svg(&target, &i, opts)
                        } else {
                            crate::charts::write_strip_png(&target, &i, opts)
                        }
                    }),
                (WorkshopChart::Alpha, svg) => crate::charts::alpha_input(project, round, anon)
                    .and_then(|i| {
                        if svg {
                            crate::charts::write_alpha_svg(&target, &i, opts)
                        } else {
                            crate::charts::write_alpha_png(&target, &i, opts)
                        }
                    }),
            };
            match r {
                Ok(()) => written.push(target),
                Err(e) => {
                    self.modal = Some(Modal::SaveFailed {
                        message: e.to_string(),
                    });
                    return;
                }
            }
        }
        self.status = match written.as_slice() {
            [one] => format!("Exported {}", absolute(one).display()),
            many => format!(
                "Exported {} charts to {}",
                many.len(),
                absolute(path).display()
            ),
        };
    }
}

/// The size the project would have with `preview` applied, when it is over the cap for
/// project files (such a project could not be saved).
fn too_large(
    project: &crate::model::Project,
    preview: &crate::csv_io::ImportPreview,
) -> Option<u64> {
    let cmd = preview.command()?;
    let mut p = project.clone();
    crate::edit::apply(&mut p, cmd).ok()?;
    let size = crate::persist::to_canonical_string(&p).len() as u64;
    (size > crate::persist::max_file_bytes()).then_some(size)
}
