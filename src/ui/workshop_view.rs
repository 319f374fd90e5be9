//! The workshop view (IDEA / Delphi): blind packages out, analysts' files in (merge,
//! conflicts decided by the user), the disagreement of the analysts (agreement per
//! criterion, cells sorted by spread, each cell's analysts side by side — anonymised
//! unless the facilitator reveals names), rounds, and the consensus with its spread.

use crate::model::rules::Text;
use egui::RichText;

use crate::compute::agreement;
use crate::compute::alpha_bootstrap::{self, AlphaBootstrap};
use crate::edit::Command;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::glossary;
use crate::ui::style;
use crate::ui::view_state::ViewState;

/// "Analyst A", "Analyst B", … or the names when the facilitator reveals them.
pub fn analyst_label(p: &Project, index: usize) -> String {
    if p.workshop.reveal_names {
        p.analysts
            .get(index)
            .map_or(String::new(), |a| a.name.clone())
    } else {
        let letter = (b'A' + (index % 26) as u8) as char;
        format!("Analyst {letter}")
    }
}

fn alpha_text(a: &agreement::Alpha) -> String {
    match &a.value {
        Ok(v) => format!(
            "{} ({})",
            crate::wording::alpha_value(*v),
            agreement::Reading::of(*v).as_str()
        ),
        Err(e) => format!("not computable ({e})"),
    }
}

pub fn workshop_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    let p = cx.project;
    let w = &p.workshop;
    egui::ScrollArea::vertical().id_salt("workshop").show(ui, |ui| {
        ui.heading(format!("Workshop — round {} (current)", w.current_round()));
        if let Some(pk) = &w.package {
            ui.colored_label(
                style::warn_color(ui),
                format!(
                    "This is the scoring package of {} for round {}: score, save, and hand the file back to the facilitator.",
                    p.analyst(&pk.analyst).map_or(pk.analyst.as_str(), |a| a.name.as_str()),
                    pk.round
                ),
            );
            if !pk.reasons.is_empty() {
                let cells: std::collections::BTreeSet<(&str, &str)> = pk
                    .reasons
                    .iter()
                    .map(|r| (r.mechanism.as_str(), r.criterion.as_str()))
                    .collect();
                ui.label(format!(
                    "The other analysts' reasons (anonymised) for {} to discuss: select such a cell in the matrix to read them beside your own rationale.",
                    crate::wording::plural(cells.len(), "cell", "cells")
                ));
            }
            if !w.discussion.is_empty() {
                ui.label(RichText::new("From the previous round").strong());
                ui.label(&w.discussion);
            }
            return;
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button("Export blind scoring packages…").on_hover_text("One file per analyst: the framework, the mechanisms and that analyst's own sheet only").clicked() {
                out.push(Action::ExportPackages);
            }
            if ui.button("Import analyst files…").on_hover_text("Merge returned packages into this project; conflicts are listed for you to decide").clicked() {
                out.push(Action::ImportPackages);
            }
            if ui.button(format!("Close round {} and start round {}", w.current_round(), w.current_round() + 1)).clicked() {
                out.push(Action::edit(Command::StartRound { name: String::new() }));
            }
        });
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Consensus rule");
            let mut rule = w.consensus_rule;
            ui.add_enabled_ui(w.rounds.is_empty(), |ui| {
                egui::ComboBox::from_id_salt("consensus-rule")
                    .selected_text(rule.as_str())
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut rule, ConsensusRule::Median, "median");
                        ui.selectable_value(&mut rule, ConsensusRule::Mean, "mean");
                    })
                    .response
                    .labelled_by(l.id);
            });
            let mut reveal = w.reveal_names;
            ui.checkbox(&mut reveal, "Reveal analysts' names");
            if rule != w.consensus_rule || reveal != w.reveal_names {
                out.push(Action::edit(Command::SetWorkshop { rule, reveal_names: reveal, discussion: w.discussion.clone() }));
            }
        });
        let mut notes = w.discussion.clone();
        if crate::ui::editors::text_area(
            ui,
            "Discussion notes of this round",
            &mut notes,
            3,
            Text::Long,
            out,
        ) {
            out.push(Action::merged(
                Command::SetWorkshop { rule: w.consensus_rule, reveal_names: w.reveal_names, discussion: notes },
                "workshop-discussion",
            ));
        }
        ui.separator();
        if p.analysts.len() < 2 {
            ui.label("Disagreement needs at least two analysts. Add analysts (Project & notes), export their packages, and import their files when they come back.");
            return;
        }
        disagreement_ui(ui, cx, view, out);
    });
}

fn disagreement_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    let p = cx.project;
    let round = cx.results.selection.round.clone();
    let round_name = round
        .as_deref()
        .and_then(|r| p.workshop.rounds.iter().find(|x| x.id == r))
        .map_or(
            format!("round {} (current)", p.workshop.current_round()),
            |r| r.name.clone(),
        );
    ui.label(RichText::new(format!("Agreement between the analysts — {round_name}")).strong());
    ui.weak("Krippendorff's alpha: ≥ 0.8 reliable, 0.667–0.8 tentative, below: not reliable — read it with how sure it is (a 95% bootstrap interval over the mechanisms and the probability that alpha is below 0.667; 1,000 resamples, seed 1). Kendall's W: 0 no concordance … 1 the same ranking. Hover a column heading, or see Help ▸ Glossary.");
    // How the spread changed since the previous round.
    if round.is_none()
        && let Some(pr) = view.derived.round_progress(cx)
    {
        ui.label(format!(
            "Since {}: mean spread (IQR) {} → {}; cells with IQR ≥ 2: {} → {}.",
            pr.previous,
            crate::wording::fixed(pr.mean_iqr_before, 2),
            crate::wording::fixed(pr.mean_iqr_now, 2),
            pr.wide_before,
            pr.wide_now
        ));
    }
    let derived = view.derived.workshop(cx);
    let wc = &mut view.workshop;
    let a = &derived.agreement;
    egui::Grid::new("agreement")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in [
                "Criterion",
                "α ordinal",
                "95% interval · P(α < 0.667)",
                "α interval",
                "Kendall's W",
            ] {
                glossary::term_label(ui, RichText::new(h).strong(), h);
            }
            ui.end_row();
            let sure = |b: Option<&AlphaBootstrap>| {
                b.map_or_else(|| "—".to_string(), alpha_bootstrap::describe_short)
            };
            for (ci, c) in a.criteria.iter().enumerate() {
                ui.label(&c.name);
                ui.label(alpha_text(&c.alpha_ordinal));
                ui.label(sure(derived.bootstraps.criterion(ci)));
                ui.label(alpha_text(&c.alpha_interval));
                ui.label(match &c.kendall_w.value {
                    Ok(fit) if fit.p_value < 0.001 => {
                        format!("{} (p < 0.001)", crate::wording::fixed(fit.w, 2))
                    }
                    Ok(fit) => format!(
                        "{} (p = {})",
                        crate::wording::fixed(fit.w, 2),
                        crate::wording::fixed(fit.p_value, 3)
                    ),
                    Err(e) => format!("not computable ({e})"),
                });
                ui.end_row();
            }
            ui.label(RichText::new("All criteria").strong());
            ui.label(alpha_text(&a.overall.alpha_ordinal));
            ui.label(sure(derived.bootstraps.overall.as_ref()));
            ui.label(alpha_text(&a.overall.alpha_interval));
            ui.label(match &a.overall.kendall_w.value {
                Ok(fit) => crate::wording::fixed(fit.w, 2),
                Err(e) => format!("not computable ({e})"),
            });
            ui.end_row();
        });
    ui.add_space(6.0);
    ui.label(RichText::new("Cells to discuss, most disagreement first").strong());
    let name_of = |m: &str| p.mechanism(m).map_or(m.to_string(), |x| x.name.clone());
    let crit_of = |c: &str| {
        p.framework
            .criterion(c)
            .map_or(c.to_string(), |x| x.name.clone())
    };
    // Names in full, wrapped in a column of their own (mechanism, then criterion).
    let name_w = (ui.available_width() - 340.0).clamp(180.0, 440.0);
    let mut chosen = None;
    egui::Grid::new("spreads")
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            for h in [
                "Mechanism / criterion",
                "Median",
                "IQR",
                "Range",
                "Within ±1",
            ] {
                glossary::term_label(ui, RichText::new(h).strong(), h);
            }
            ui.label(RichText::new("n").strong())
                .on_hover_text("How many analysts scored the cell");
            ui.end_row();
            for s in derived.spreads.iter().take(20) {
                let Some(st) = &s.stats else { continue };
                let (mech, crit) = (name_of(&s.mechanism), crit_of(&s.criterion));
                let label = format!("{mech} / {crit}");
                let open = wc.cell.as_ref() == Some(&(s.mechanism.clone(), s.criterion.clone()));
                let color = if st.needs_discussion() {
                    style::warn_color(ui)
                } else {
                    ui.visuals().text_color()
                };
                let mut job = egui::text::LayoutJob::default();
                let font = egui::TextStyle::Body.resolve(ui.style());
                job.append(&mech, 0.0, egui::TextFormat::simple(font.clone(), color));
                job.append("\n", 0.0, egui::TextFormat::simple(font.clone(), color));
                job.append(
                    &crit,
                    0.0,
                    egui::TextFormat::simple(font, ui.visuals().weak_text_color()),
                );
                let r = ui
                    .scope(|ui| {
                        ui.set_max_width(name_w);
                        ui.add(egui::Button::selectable(open, job).wrap())
                    })
                    .inner;
                r.widget_info(|| {
                    egui::WidgetInfo::selected(egui::Role::Button, true, open, &label)
                });
                if r.on_hover_text(
                    "Select this cell in the matrix and open the analysts' scores side by side",
                )
                .clicked()
                {
                    chosen = Some((s.mechanism.clone(), s.criterion.clone()));
                }
                ui.label(format_value(st.median));
                ui.label(crate::wording::one_decimal(st.iqr));
                ui.label(format_value(st.range));
                ui.label(crate::wording::whole_percent(st.within_one));
                ui.label(st.n.to_string());
                ui.end_row();
            }
        });
    if let Some((m, c)) = chosen {
        wc.dissent = p
            .workshop
            .consensus
            .get(&(m.clone(), c.clone()))
            .map_or(String::new(), |x| x.dissent.clone());
        wc.cell = Some((m.clone(), c.clone()));
        view.mechanism = Some(m);
        view.criterion = Some(c);
        view.block_anchor = None;
        view.scroll_to_selection = true;
    }
    if let Some((m, c)) = view.workshop.cell.clone() {
        ui.separator();
        cell_ui(ui, cx, view, &m, &c, out);
    }
}

fn cell_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    m: &str,
    c: &str,
    out: &mut Vec<Action>,
) {
    let p = cx.project;
    let round = cx.results.selection.round.clone();
    let scores = agreement::round_scores(p, round.as_deref()).unwrap_or(&p.scores);
    let Some(crit) = p.framework.criterion(c) else {
        return;
    };
    let mech = p.mechanism(m).map_or(m, |x| x.name.as_str());
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{mech} / {}", crit.name)).strong());
        if ui
            .button("Show in the scoring matrix")
            .on_hover_text("The same cell, selected in the matrix")
            .clicked()
        {
            view.mechanism = Some(m.to_string());
            view.criterion = Some(c.to_string());
            view.block_anchor = None;
            view.scroll_to_selection = true;
            view.tab = crate::ui::view_state::Tab::Matrix;
        }
    });
    let mut values = Vec::new();
    for (i, a) in p.analysts.iter().enumerate() {
        let who = analyst_label(p, i);
        match scores.get(&ScoreKey::new(&a.id, m, c)) {
            Some(s) => {
                if let Some(v) = s.value.number() {
                    values.push(v);
                }
                ui.group(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "{who}: {} ({} confidence)",
                            s.value.short(),
                            s.confidence.as_str()
                        ))
                        .strong(),
                    );
                    if !s.rationale.is_empty() {
                        ui.label(&s.rationale);
                    }
                });
            }
            None => {
                ui.weak(format!("{who}: not scored"));
            }
        }
    }
    let Some(stats) = agreement::cell_stats(&values) else {
        return;
    };
    let proposed = match p.workshop.consensus_rule {
        ConsensusRule::Median => stats.median,
        ConsensusRule::Mean => values.iter().sum::<f64>() / values.len() as f64,
    };
    let recorded = p.workshop.consensus.get(&(m.to_string(), c.to_string()));
    ui.label(format!(
        "Proposed consensus ({}): {} · spread (IQR) {} · n = {}",
        p.workshop.consensus_rule.as_str(),
        format_value((proposed * 100.0).round() / 100.0),
        crate::wording::one_decimal(stats.iqr),
        stats.n
    ));
    if let Some(r) = recorded {
        ui.label(format!("Recorded consensus: {}", r.value.short()));
    }
    let l = ui.label("Dissent note (optional)");
    ui.add(
        egui::TextEdit::multiline(&mut view.workshop.dissent)
            .char_limit(crate::model::rules::Text::Long.max_chars())
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id);
    crate::ui::editors::limit_note(ui, crate::model::rules::Text::Long, &view.workshop.dissent);
    ui.horizontal(|ui| {
        if ui.button("Record this consensus").clicked() {
            let cell = ConsensusCell {
                value: ScoreValue::Value((proposed * 100.0).round() / 100.0),
                spread: Some(stats.iqr),
                n: stats.n,
                dissent: view.workshop.dissent.clone(),
            };
            out.push(Action::edit(Command::SetConsensus {
                cells: vec![((m.to_string(), c.to_string()), Some(cell))],
            }));
        }
        if recorded.is_some() && ui.button("Remove the recorded consensus").clicked() {
            out.push(Action::edit(Command::SetConsensus {
                cells: vec![((m.to_string(), c.to_string()), None)],
            }));
        }
    });
}
