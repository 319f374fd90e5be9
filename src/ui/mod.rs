//! Panels and widgets. UI code reads the project and derived results and pushes
//! `Action`s; it never changes the project itself (see `App::handle`).

mod ahp_view;
pub mod charts_view;
mod compare_view;
mod editors;
mod inspector;
pub mod matrix;
mod mechanisms;
mod modals;
mod results;
mod scenarios;
pub mod smaa_view;
pub mod style;
mod teaching;
mod workshop_view;

use std::path::PathBuf;

use crate::app::Modal;
use crate::app::prefs::{Prefs, Theme};
use crate::compute::{Matrix, Results, Selection};
use crate::edit::Command;
use crate::model::*;

pub use matrix::visible_rows;

/// What the user asked for this frame; applied by `App::handle` after drawing.
#[derive(Debug)]
pub enum Action {
    /// A change to the project. Commands with the same merge key fold into one undo step.
    Edit {
        cmd: Command,
        merge: Option<String>,
    },
    /// Ends a typing burst or a drag (the next edit is a new undo step).
    Seal,
    Undo,
    Redo,
    New(String),
    OpenDialog,
    Open(PathBuf),
    OpenPathPrompt,
    Save,
    SaveAs,
    SaveAsPathPrompt,
    Quit,
    SetTheme(Theme),
    TogglePanel {
        mechanisms: bool,
        inspector: bool,
    },
    About,
    Status(String),
    CloseModal,
    Modal(Modal),
    UnsavedChoice(UnsavedChoice),
    SubmitPath(crate::app::PathPurpose, String),
    /// Save over a file that changed on disk (the user confirmed).
    OverwriteOnDisk,
    /// What to do with a recovery snapshot (by its index in the Recover modal).
    Recover {
        index: usize,
        choice: RecoverChoice,
    },
    /// Workshop: write one blind scoring package per analyst into a folder.
    ExportPackages,
    /// Workshop: merge analysts' returned files.
    ImportPackages,
    /// Workshop: merge again with these conflict decisions (one per listed conflict).
    MergeDecide(Vec<Option<crate::workshop::Prefer>>),
    /// Write the assessment report (HTML or Markdown, by the file name).
    ExportReport,
    /// Export the scores to a CSV sheet.
    ExportCsv,
    /// Read a CSV sheet of scores and preview the changes.
    ImportCsv,
    /// Apply the previewed CSV import (one undo step).
    ApplyCsv,
    /// Teaching: save a student exercise made from this project.
    PrepareExercise,
    /// Teaching: compare this scoring with a reference file.
    CompareReference,
    /// Export charts (one kind: a file; several: a folder), as PNG or SVG.
    ExportCharts {
        kinds: Vec<crate::charts::ChartKind>,
        svg: bool,
    },
}

impl Action {
    pub fn edit(cmd: Command) -> Action {
        Action::Edit { cmd, merge: None }
    }

    pub fn merged(cmd: Command, key: impl Into<String>) -> Action {
        Action::Edit {
            cmd,
            merge: Some(key.into()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoverChoice {
    Restore,
    Compare,
    Discard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    Save,
    Discard,
    Cancel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Matrix,
    Results,
    Charts,
    Scenarios,
    Workshop,
    CriterionFirst,
    Learn,
    Feedback,
    Mechanism,
    Framework,
    Sources,
    Project,
}

impl Tab {
    pub const ALL: [Tab; 12] = [
        Tab::Matrix,
        Tab::Results,
        Tab::Charts,
        Tab::Scenarios,
        Tab::Workshop,
        Tab::CriterionFirst,
        Tab::Learn,
        Tab::Feedback,
        Tab::Mechanism,
        Tab::Framework,
        Tab::Sources,
        Tab::Project,
    ];

    /// Parses a view name as given on the command line.
    pub fn parse(s: &str) -> Option<Tab> {
        Some(match s.to_lowercase().as_str() {
            "matrix" => Tab::Matrix,
            "results" => Tab::Results,
            "charts" => Tab::Charts,
            "scenarios" => Tab::Scenarios,
            "workshop" => Tab::Workshop,
            "criterion-first" => Tab::CriterionFirst,
            "learn" => Tab::Learn,
            "feedback" => Tab::Feedback,
            "mechanism" => Tab::Mechanism,
            "framework" => Tab::Framework,
            "sources" => Tab::Sources,
            "project" => Tab::Project,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Matrix => "Scoring matrix",
            Tab::Results => "Results",
            Tab::Charts => "Charts",
            Tab::Scenarios => "Scenarios",
            Tab::Workshop => "Workshop",
            Tab::CriterionFirst => "Criterion-first",
            Tab::Learn => "Learn the framework",
            Tab::Feedback => "Feedback",
            Tab::Mechanism => "Mechanism",
            Tab::Framework => "Framework",
            Tab::Sources => "Sources",
            Tab::Project => "Project & notes",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Filter {
    pub search: String,
    pub kind: Option<Kind>,
    pub instrument: Option<Instrument>,
    pub region: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    ProjectOrder,
    Name,
    Kind,
    StartYear,
    Total,
    /// A group index, by group position.
    Group(usize),
    /// A criterion value, by flattened criterion position.
    Criterion(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// View state: what is selected and how lists are filtered. Not part of the document.
#[derive(Default)]
pub struct ViewState {
    pub tab: Tab,
    pub mechanism: Option<String>,
    pub criterion: Option<String>,
    /// The other corner of a block selection in the matrix (Shift+arrows, Shift+click).
    pub block_anchor: Option<(String, String)>,
    /// Whose scores are shown and edited; None = median across analysts (read-only).
    pub analyst: Option<String>,
    pub scenario: Option<String>,
    /// A closed round shown instead of the current one (read-only).
    pub round: Option<String>,
    /// Show the recorded consensus (read-only).
    pub consensus: bool,
    /// Colour the matrix by the analysts' spread (IQR) instead of the values (read-only).
    pub spread: bool,
    pub filter: Filter,
    pub sort: Sort,
    pub scroll_to_selection: bool,
    /// Hide the group index columns of the matrix; None: hide them when the matrix is
    /// narrow, so score cells keep the room.
    pub hide_indices: Option<bool>,
    pub results_sort: results::ResultsSort,
    pub chart: charts_view::ChartView,
    pub robustness: results::Robustness,
    pub criterion_first: teaching::CriterionFirst,
    pub smaa: smaa_view::SmaaPanel,
    pub workshop: workshop_view::WorkshopCache,
    pub compare: compare_view::CompareView,
    /// The scenarios view shows the comparison instead of the editor.
    pub comparing: bool,
    /// The pairwise (AHP) grid being edited in the framework view.
    pub ahp: Option<ahp_view::AhpEdit>,
    /// The comparison with a reference scoring (teaching).
    pub feedback: Option<crate::teaching::Feedback>,
    /// The scenario open in the scenarios editor.
    pub scenario_edit: Option<String>,
    /// Move keyboard focus to the score editor (Enter or double-click on a cell).
    pub focus_score_editor: bool,
    pub source_search: String,
    pub rows_cache: Option<(RowsKey, Vec<usize>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RowsKey {
    revision: u64,
    selection: Selection,
    filter: Filter,
    sort: Sort,
}

impl ViewState {
    pub fn selection(&self) -> Selection {
        Selection {
            scenario: self.scenario.clone(),
            analyst: self.analyst.clone(),
            round: self.round.clone(),
            consensus: self.consensus,
        }
    }

    /// Fresh view for a newly opened project.
    pub fn reset_for(&mut self, p: &Project) {
        *self = ViewState::default();
        self.mechanism = p.mechanisms.first().map(|m| m.id.clone());
        self.criterion = p.framework.criteria().next().map(|(_, c)| c.id.clone());
        self.analyst = p.analysts.first().map(|a| a.id.clone());
    }

    /// Keeps the selection valid after an edit (something may have been deleted).
    pub fn after_edit(&mut self, p: &Project) {
        if let Some(m) = &self.mechanism
            && p.mechanism(m).is_none()
            && !p
                .scenarios
                .iter()
                .any(|s| s.added_mechanisms.iter().any(|a| &a.id == m))
        {
            self.mechanism = p.mechanisms.first().map(|m| m.id.clone());
            self.block_anchor = None;
        }
        if let Some(c) = &self.criterion
            && p.framework.criterion(c).is_none()
        {
            self.criterion = p.framework.criteria().next().map(|(_, c)| c.id.clone());
            self.block_anchor = None;
        }
        if let Some(a) = &self.analyst
            && p.analyst(a).is_none()
        {
            self.analyst = p.analysts.first().map(|a| a.id.clone());
        }
        if self.analyst.is_none() && p.analysts.len() == 1 {
            self.analyst = Some(p.analysts[0].id.clone());
        }
        if let Some(s) = &self.scenario
            && p.scenario(s).is_none()
        {
            self.scenario = None;
        }
        if let Some(r) = &self.round
            && !p.workshop.rounds.iter().any(|x| &x.id == r)
        {
            self.round = None;
        }
        if self.consensus && p.workshop.consensus.is_empty() {
            self.consensus = false;
        }
    }
}

/// What the shell shows around the document.
pub struct Chrome<'a> {
    pub dirty: bool,
    pub display_name: String,
    pub path: Option<PathBuf>,
    pub status: &'a str,
    pub prefs: &'a Prefs,
    pub undo_label: Option<&'static str>,
    pub redo_label: Option<&'static str>,
    pub dialog_open: bool,
    /// Scored cells without a rationale or sources (cached by revision).
    pub warnings: usize,
}

/// Read-only context for drawing: the project and what is derived from it.
pub struct Cx<'a> {
    pub project: &'a Project,
    pub matrix: &'a Matrix,
    pub results: &'a Results,
    pub revision: u64,
    pub chrome: &'a Chrome<'a>,
}

/// Draws the whole window.
pub fn app_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    modal: Option<&mut Modal>,
    out: &mut Vec<Action>,
) {
    egui::Panel::top("menu").show(ui, |ui| menu_ui(ui, cx, view, out));
    egui::Panel::bottom("status").show(ui, |ui| status_ui(ui, cx, view));
    let prefs = cx.chrome.prefs;
    // Side panels take a share of narrow windows so the matrix keeps room.
    let width = ui.available_width();
    // Charts need the width; the mechanism list is not used there.
    if prefs.show_mechanisms && view.tab != Tab::Charts {
        egui::Panel::left("mechanisms")
            .resizable(true)
            .default_size(prefs.mechanisms_width.min(width * 0.18).max(180.0))
            .min_size(180.0)
            .show(ui, |ui| mechanisms::list_ui(ui, cx, view, out));
    }
    // The score inspector belongs to scoring; charts and tables get the width.
    if prefs.show_inspector && matches!(view.tab, Tab::Matrix | Tab::Mechanism) {
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(prefs.inspector_width.min(width * 0.26).max(250.0))
            .min_size(240.0)
            .show(ui, |ui| inspector::inspector_ui(ui, cx, view, out));
    }
    egui::CentralPanel::default().show(ui, |ui| {
        let hidden = teaching::results_hidden(cx.project);
        if hidden && matches!(view.tab, Tab::Results | Tab::Charts | Tab::Scenarios) {
            view.tab = Tab::Matrix;
        }
        ui.horizontal_wrapped(|ui| {
            for t in Tab::ALL {
                let secondary = matches!(t, Tab::CriterionFirst | Tab::Learn | Tab::Feedback);
                if hidden && matches!(t, Tab::Results | Tab::Charts | Tab::Scenarios) {
                    continue;
                }
                if t == Tab::Feedback && cx.project.workshop.exercise.is_none() && view.feedback.is_none() {
                    continue;
                }
                let text = if secondary { egui::RichText::new(t.label()).italics() } else { egui::RichText::new(t.label()) };
                if ui.selectable_label(view.tab == t, text).clicked() {
                    view.tab = t;
                }
            }
        });
        if hidden {
            ui.colored_label(
                style::warn_color(ui),
                "Student exercise: totals, indices and charts stay hidden until you mark your scoring complete.",
            );
        }
        ui.separator();
        match view.tab {
            Tab::Matrix => matrix::matrix_tab_ui(ui, cx, view, out),
            Tab::Results => results::results_ui(ui, cx, view, out),
            Tab::Charts => charts_view::charts_ui(ui, cx, view, out),
            Tab::Scenarios => scenarios::scenarios_ui(ui, cx, view, out),
            Tab::Workshop => workshop_view::workshop_ui(ui, cx, view, out),
            Tab::CriterionFirst => teaching::criterion_first_ui(ui, cx, view, out),
            Tab::Learn => teaching::learn_ui(ui, cx),
            Tab::Feedback => teaching::feedback_ui(ui, cx, view, out),
            Tab::Mechanism => editors::mechanism::mechanism_ui(ui, cx, view, out),
            Tab::Framework => editors::framework::framework_ui(ui, cx, view, out),
            Tab::Sources => editors::sources::sources_ui(ui, cx, view, out),
            Tab::Project => editors::project::project_ui(ui, cx, view, out),
        }
    });
    if let Some(m) = modal {
        modals::modal_ui(ui.ctx(), m, out);
    }
}

fn menu_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            ui.menu_button("New from template", |ui| {
                for id in &crate::bundled::template_ids() {
                    let label = match *id {
                        "lemieux" => "Lemieux framework (police cooperation)",
                        "blank" => "Blank framework",
                        other => other,
                    };
                    if ui.button(label).clicked() {
                        out.push(Action::New(id.to_string()));
                    }
                }
            });
            if ui.button("Open…  (Ctrl+O)").clicked() {
                out.push(Action::OpenDialog);
            }
            if ui.button("Open a path…").clicked() {
                out.push(Action::OpenPathPrompt);
            }
            ui.menu_button("Open recent", |ui| {
                if cx.chrome.prefs.recent.is_empty() {
                    ui.label("(none yet)");
                }
                for p in &cx.chrome.prefs.recent {
                    if ui.button(p.display().to_string()).clicked() {
                        out.push(Action::Open(p.clone()));
                    }
                }
            });
            if ui.button("Open the sample project").clicked() {
                out.push(Action::New("sample".into()));
            }
            ui.separator();
            if ui.button("Save  (Ctrl+S)").clicked() {
                out.push(Action::Save);
            }
            if ui.button("Save as…  (Ctrl+Shift+S)").clicked() {
                out.push(Action::SaveAs);
            }
            if ui.button("Save to a path…").clicked() {
                out.push(Action::SaveAsPathPrompt);
            }
            ui.separator();
            if ui.button("Export report (HTML or Markdown)…").clicked() {
                out.push(Action::ExportReport);
            }
            if ui.button("Export scores to CSV…").clicked() {
                out.push(Action::ExportCsv);
            }
            if ui.button("Import scores from CSV…").clicked() {
                out.push(Action::ImportCsv);
            }
            if ui.button("Import analyst files (workshop)…").clicked() {
                out.push(Action::ImportPackages);
            }
            ui.menu_button("Export charts", |ui| {
                if ui.button("All charts as PNG to a folder…").clicked() {
                    out.push(Action::ExportCharts {
                        kinds: crate::charts::ChartKind::ALL.to_vec(),
                        svg: false,
                    });
                }
                if ui.button("All charts as SVG to a folder…").clicked() {
                    out.push(Action::ExportCharts {
                        kinds: crate::charts::ChartKind::ALL.to_vec(),
                        svg: true,
                    });
                }
            });
            ui.separator();
            if ui.button("Prepare a student exercise…").clicked() {
                out.push(Action::PrepareExercise);
            }
            if ui.button("Compare with a reference scoring…").clicked() {
                out.push(Action::CompareReference);
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                out.push(Action::Quit);
            }
        });
        ui.menu_button("Edit", |ui| {
            let undo = cx
                .chrome
                .undo_label
                .map_or("Undo".to_string(), |l| format!("Undo {l}"));
            if ui
                .add_enabled(
                    cx.chrome.undo_label.is_some(),
                    egui::Button::new(format!("{undo}  (Ctrl+Z)")),
                )
                .clicked()
            {
                out.push(Action::Undo);
            }
            let redo = cx
                .chrome
                .redo_label
                .map_or("Redo".to_string(), |l| format!("Redo {l}"));
            if ui
                .add_enabled(
                    cx.chrome.redo_label.is_some(),
                    egui::Button::new(format!("{redo}  (Ctrl+Shift+Z)")),
                )
                .clicked()
            {
                out.push(Action::Redo);
            }
            ui.separator();
            if ui.button("Add mechanism").clicked() {
                mechanisms::add_mechanism(cx, view, out);
            }
        });
        ui.menu_button("View", |ui| {
            for t in Tab::ALL {
                if ui.button(t.label()).clicked() {
                    view.tab = t;
                }
            }
            ui.separator();
            let prefs = cx.chrome.prefs;
            if ui
                .button(if prefs.theme == Theme::Dark {
                    "Light theme"
                } else {
                    "Dark theme"
                })
                .clicked()
            {
                out.push(Action::SetTheme(if prefs.theme == Theme::Dark {
                    Theme::Light
                } else {
                    Theme::Dark
                }));
            }
            if ui
                .button(if prefs.show_mechanisms {
                    "Hide mechanisms panel"
                } else {
                    "Show mechanisms panel"
                })
                .clicked()
            {
                out.push(Action::TogglePanel {
                    mechanisms: true,
                    inspector: false,
                });
            }
            if ui
                .button(if prefs.show_inspector {
                    "Hide inspector"
                } else {
                    "Show inspector"
                })
                .clicked()
            {
                out.push(Action::TogglePanel {
                    mechanisms: false,
                    inspector: true,
                });
            }
        });
        ui.menu_button("Help", |ui| {
            if ui.button("Keyboard shortcuts and how to score").clicked() {
                out.push(Action::Modal(Modal::Help));
            }
            if ui.button("About Policy Workbench").clicked() {
                out.push(Action::About);
            }
        });
    });
}

fn status_ui(ui: &mut egui::Ui, cx: &Cx, view: &ViewState) {
    ui.horizontal_wrapped(|ui| {
        let where_ = cx
            .chrome
            .path
            .as_ref()
            .map_or(cx.chrome.display_name.clone(), |p| p.display().to_string());
        ui.label(where_);
        if cx.chrome.dirty {
            ui.colored_label(style::warn_color(ui), "unsaved changes");
        } else if cx.chrome.path.is_some() {
            ui.weak("saved");
        }
        ui.separator();
        let who = view
            .analyst
            .as_deref()
            .and_then(|a| cx.project.analyst(a))
            .map_or("all analysts (median)".to_string(), |a| {
                format!("analyst: {}", a.name)
            });
        ui.label(who);
        ui.separator();
        let scen = view
            .scenario
            .as_deref()
            .and_then(|s| cx.project.scenario(s))
            .map_or("base assessment".to_string(), |s| {
                format!("scenario (hypothetical): {}", s.name)
            });
        ui.label(scen);
        ui.separator();
        let warnings = cx.chrome.warnings;
        if warnings == 0 {
            ui.weak("no warnings");
        } else {
            ui.colored_label(style::warn_color(ui), format!("{warnings} warning(s)"))
                .on_hover_text("Scores without rationale, or without sources, in the scores shown");
        }
        if cx.chrome.dialog_open {
            ui.separator();
            ui.label("waiting for the file dialog…");
        }
        if !cx.chrome.status.is_empty() {
            ui.separator();
            ui.label(cx.chrome.status);
        }
    });
}
