//! The Check view: the findings of the assessment check (the same as `policy-workbench
//! check`), each with its severity, what, where, why and how to fix it; a click on the
//! place opens the cell in the matrix; a finding can be acknowledged with a reason.

use egui::RichText;

use crate::check::{self, Finding, Severity};
use crate::edit::Command;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::style;
use crate::ui::view_state::{Tab, ViewState};
use crate::wording::plural;

pub fn check_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    if view
        .check
        .cache
        .as_ref()
        .is_none_or(|(r, _)| *r != cx.revision)
    {
        view.check.cache = Some((cx.revision, check::check(cx.project)));
    }
    // Taken out while drawing (the findings are not cloned every frame), put back after.
    let Some((revision, report)) = view.check.cache.take() else {
        return;
    };
    report_ui(ui, view, &report, out);
    view.check.cache = Some((revision, report));
}

/// At most this many findings are drawn; the rest are counted (the command line lists
/// them all).
const SHOWN: usize = 300;

fn report_ui(
    ui: &mut egui::Ui,
    view: &mut ViewState,
    report: &check::Report,
    out: &mut Vec<Action>,
) {
    ui.heading("Check the assessment");
    let warnings = report.count(Severity::Warning);
    let open = report.open_warnings();
    ui.label(format!(
        "{} to look at ({} acknowledged), {}.",
        plural(warnings, "warning", "warnings"),
        warnings - open,
        plural(report.count(Severity::Note), "note", "notes")
    ));
    ui.weak(
        "Warnings are defects to fix or to acknowledge with a reason; notes are results worth \
         knowing. The same check runs as `policy-workbench check FILE` (docs/check.md).",
    );
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("check-findings")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if report.findings.is_empty() {
                ui.label("Nothing to report: every rule of the check is satisfied.");
            }
            for f in report.findings.iter().take(SHOWN) {
                finding_ui(ui, view, f, out);
            }
            if report.findings.len() > SHOWN {
                ui.weak(format!(
                    "… and {} more findings: fix these first, or list them all with `policy-workbench check FILE`.",
                    report.findings.len() - SHOWN
                ));
            }
            for id in &report.stale_acknowledgements {
                ui.horizontal_wrapped(|ui| {
                    ui.weak(format!(
                        "An acknowledgement matches no finding any more: {id}"
                    ));
                    if ui.button("Remove it").clicked() {
                        out.push(Action::edit(Command::SetAcknowledgement {
                            finding: id.clone(),
                            reason: None,
                        }));
                    }
                });
            }
        });
}

fn finding_ui(ui: &mut egui::Ui, view: &mut ViewState, f: &Finding, out: &mut Vec<Action>) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            let (word, colour) = match (f.severity(), &f.acknowledged) {
                (Severity::Warning, None) => ("Warning", style::warn_color(ui)),
                (Severity::Warning, Some(_)) => {
                    ("Warning (acknowledged)", ui.visuals().weak_text_color())
                }
                (Severity::Note, _) => ("Note", ui.visuals().weak_text_color()),
            };
            ui.label(RichText::new(word).strong().color(colour));
            let place = ui
                .link(&f.place.text)
                .on_hover_text("Open this cell in the scoring matrix");
            if place.clicked() {
                go_to(view, f);
            }
        });
        ui.label(&f.what);
        ui.label(RichText::new(format!("Why: {}", f.rule.why())).weak());
        ui.label(format!("Fix: {}", f.rule.fix()));
        match &f.acknowledged {
            Some(reason) => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("Acknowledged: {reason}")).italics());
                    if ui.button("Withdraw the acknowledgement").clicked() {
                        out.push(Action::edit(Command::SetAcknowledgement {
                            finding: f.id.clone(),
                            reason: None,
                        }));
                    }
                });
            }
            None if f.severity() == Severity::Warning => acknowledge_ui(ui, view, f, out),
            None => {}
        }
    });
}

/// "Acknowledge…", then the reason and Save / Cancel.
fn acknowledge_ui(ui: &mut egui::Ui, view: &mut ViewState, f: &Finding, out: &mut Vec<Action>) {
    let writing = matches!(&view.check.acknowledging, Some((id, _)) if *id == f.id);
    if !writing {
        if ui
            .button("Acknowledge…")
            .on_hover_text("Keep this finding as it is, with a reason saved in the file")
            .clicked()
        {
            view.check.acknowledging = Some((f.id.clone(), String::new()));
        }
        return;
    }
    let mut done = false;
    if let Some((_, reason)) = &mut view.check.acknowledging {
        let l = ui.label("Reason for keeping it");
        ui.add(
            egui::TextEdit::multiline(reason)
                .desired_rows(2)
                .desired_width(f32::INFINITY)
                .char_limit(crate::model::rules::Text::Long.max_chars()),
        )
        .labelled_by(l.id);
        ui.horizontal(|ui| {
            let ok = !reason.trim().is_empty();
            if ui
                .add_enabled(ok, egui::Button::new("Save the acknowledgement"))
                .clicked()
            {
                out.push(Action::edit(Command::SetAcknowledgement {
                    finding: f.id.clone(),
                    reason: Some(reason.trim().to_string()),
                }));
                done = true;
            }
            if ui.button("Cancel").clicked() {
                done = true;
            }
        });
    }
    if done {
        view.check.acknowledging = None;
    }
}

/// Opens the finding's cell in the scoring matrix (the base assessment, the finding's
/// analyst when it has one).
fn go_to(view: &mut ViewState, f: &Finding) {
    if let Some(m) = &f.place.mechanism {
        view.mechanism = Some(m.clone());
    }
    if let Some(c) = &f.place.criterion {
        view.criterion = Some(c.clone());
    }
    if let Some(a) = &f.place.analyst {
        view.analyst = Some(a.clone());
    }
    view.scenario = None;
    view.round = None;
    view.consensus = false;
    view.block_anchor = None;
    view.scroll_to_selection = true;
    view.tab = Tab::Matrix;
}
