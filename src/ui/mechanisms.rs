//! The left panel: the mechanisms list with search, filters and sort.

use egui::TextEdit;

use crate::edit::Command;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::matrix::visible_rows;
use crate::ui::view_state::{SortKey, Tab, ViewState};

pub fn add_mechanism(cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    let taken: Vec<&str> = cx
        .project
        .mechanisms
        .iter()
        .map(|m| m.id.as_str())
        .chain(
            cx.project
                .scenarios
                .iter()
                .flat_map(|s| s.added_mechanisms.iter().map(|m| m.id.as_str())),
        )
        .collect();
    let id = unique_slug("new mechanism", taken.iter().copied());
    let m = Mechanism::new(&id, "New mechanism");
    out.push(Action::edit(Command::AddMechanism(m)));
    view.mechanism = Some(id);
    view.tab = Tab::Mechanism;
}

pub fn list_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    ui.heading("Mechanisms");
    let l = ui.label("Search mechanisms");
    ui.add(
        TextEdit::singleline(&mut view.filter.search)
            .hint_text("name, partner, tag…")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id);
    egui::Grid::new("mechanism-filters")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label("Kind");
            egui::ComboBox::from_id_salt("filter-kind")
                .selected_text(view.filter.kind.map_or("any", |k| k.label()))
                .width(120.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut view.filter.kind, None, "any");
                    for k in Kind::ALL {
                        ui.selectable_value(&mut view.filter.kind, Some(k), k.label());
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Instrument");
            egui::ComboBox::from_id_salt("filter-instrument")
                .selected_text(view.filter.instrument.map_or("any", |k| k.label()))
                .width(120.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut view.filter.instrument, None, "any");
                    for k in Instrument::ALL {
                        ui.selectable_value(&mut view.filter.instrument, Some(k), k.label());
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let mut regions: Vec<&str> = cx
                .project
                .mechanisms
                .iter()
                .flat_map(|m| m.regions.iter().map(String::as_str))
                .collect();
            regions.sort_unstable();
            regions.dedup();
            let l = ui.label("Region");
            egui::ComboBox::from_id_salt("filter-region")
                .selected_text(view.filter.region.clone().unwrap_or_else(|| "any".into()))
                .width(120.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut view.filter.region, None, "any");
                    for r in regions {
                        ui.selectable_value(&mut view.filter.region, Some(r.to_string()), r);
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Sort");
            let text = match view.sort.key {
                SortKey::ProjectOrder => "project order",
                SortKey::Name => "name",
                SortKey::Kind => "kind",
                SortKey::StartYear => "start year",
                SortKey::Total => "total",
                SortKey::Group(_) => "group index",
                SortKey::Criterion(_) => "criterion",
            };
            egui::ComboBox::from_id_salt("sort-key")
                .selected_text(text)
                .width(120.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut view.sort.key, SortKey::ProjectOrder, "project order");
                    ui.selectable_value(&mut view.sort.key, SortKey::Name, "name");
                    ui.selectable_value(&mut view.sort.key, SortKey::Kind, "kind");
                    ui.selectable_value(&mut view.sort.key, SortKey::StartYear, "start year");
                    ui.selectable_value(&mut view.sort.key, SortKey::Total, "total");
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            ui.label("");
            ui.checkbox(&mut view.sort.descending, "reverse order");
            ui.end_row();
        });
    ui.horizontal_wrapped(|ui| {
        if ui.button("Add mechanism").clicked() {
            add_mechanism(cx, view, out);
        }
        let can_delete = view
            .mechanism
            .as_deref()
            .is_some_and(|m| cx.project.mechanism(m).is_some());
        if ui
            .add_enabled(can_delete, egui::Button::new("Delete mechanism"))
            .clicked()
            && let Some(m) = view.mechanism.clone()
        {
            out.push(Action::edit(Command::RemoveMechanism(m)));
        }
    });
    ui.separator();
    let rows = visible_rows(cx, view);
    ui.weak(format!("{} of {} shown", rows.len(), cx.matrix.rows.len()));
    if !crate::teaching::results_hidden(cx.project) && view.tab != Tab::CriterionFirst {
        totals_caption(ui, cx, view);
    }
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("mechanism-list")
        .auto_shrink([false, false]);
    if std::mem::take(&mut view.list_to_selection)
        && let Some(i) = rows.iter().position(|&i| {
            view.mechanism.as_deref() == Some(cx.matrix.rows[i].mechanism_id.as_str())
        })
    {
        // The selected row a few rows below the top, when the list can scroll there.
        let spacing = ui.spacing().item_spacing.y;
        area = area.vertical_scroll_offset((i.saturating_sub(3)) as f32 * (row_h + spacing));
    }
    area.show_rows(ui, row_h, rows.len(), |ui, range| {
        for &i in &rows[range] {
            let row = &cx.matrix.rows[i];
            let selected = view.mechanism.as_deref() == Some(row.mechanism_id.as_str());
            let show_total = !crate::teaching::results_hidden(cx.project)
                && view.tab != crate::ui::view_state::Tab::CriterionFirst;
            // Keyed by the mechanism's id, not by the row's place in the visible
            // range, so a click lands on the same mechanism whatever the scroll.
            let r = ui
                .push_id(&row.mechanism_id, |ui| {
                    ui.horizontal(|ui| {
                        let res = &cx.results.mechanisms[i];
                        let not_viable = show_total && !res.viable();
                        let name_w = if show_total {
                            let mark_w = if not_viable { 16.0 } else { 0.0 };
                            (ui.available_width() - 74.0 - mark_w).max(60.0)
                        } else {
                            ui.available_width()
                        };
                        let r = ui
                            .allocate_ui(egui::vec2(name_w, row_h - 2.0), |ui| {
                                ui.add(egui::Button::selectable(selected, &row.name).truncate())
                            })
                            .inner;
                        if show_total {
                            let m = &cx.results.mechanisms[i];
                            let total = m.total.map_or("—".to_string(), crate::wording::whole);
                            // The rank with its range ("#4 (1–25)"), the total on hover.
                            let rank = crate::wording::rank_with_range(m.rank, m.rank_range);
                            let hover = format!(
                                "{}.\nComposite total (0–100): {total}",
                                crate::wording::capitalise(&crate::wording::rank_range_phrase(
                                    m.rank,
                                    m.rank_range,
                                    m.open_cells
                                ))
                            );
                            ui.with_layout(
                                egui::Layout::right_to_left(egui::Align::Center),
                                |ui| {
                                    ui.weak(format!("#{rank}")).on_hover_text(hover);
                                    if not_viable {
                                        viable_mark(ui, cx, res);
                                    }
                                },
                            );
                        }
                        r
                    })
                    .inner
                })
                .inner;
            if r.clicked() {
                view.mechanism = Some(row.mechanism_id.clone());
                view.block_anchor = None;
                view.scroll_to_selection = true;
            }
            if r.double_clicked() {
                view.tab = Tab::Mechanism;
            }
        }
    });
}

/// What the numbers beside the names are, and whose scores they come from.
fn totals_caption(ui: &mut egui::Ui, cx: &Cx, view: &ViewState) {
    let p = cx.project;
    let who = match view.analyst.as_deref().and_then(|a| p.analyst(a)) {
        Some(a) if p.analysts.len() > 1 => format!("{}'s scores", a.name),
        Some(a) => a.name.clone(),
        None if p.analysts.len() > 1 => format!("median of {} analysts", p.analysts.len()),
        None => crate::compute::whose_scores(p, &crate::compute::Selection::default()),
    };
    let scenario =
        view.scenario
            .as_deref()
            .and_then(|s| p.scenario(s))
            .map_or(String::new(), |s| {
                format!(
                    ", scenario {}",
                    crate::ui::selection_bar::scenario_label(&s.name)
                )
            });
    ui.add(
        egui::Label::new(egui::RichText::new(format!("Totals (0–100): {who}{scenario}")).weak())
            .wrap(),
    )
    .on_hover_text(crate::ui::glossary::meaning("Total (composite total)"));
}

/// The mark of a mechanism that fails a requirement gate: "!" in the error colour,
/// with the gates it fails (by criterion name) on hover.
fn viable_mark(ui: &mut egui::Ui, cx: &Cx, res: &crate::compute::MechanismResult) {
    let fails = crate::compute::gates::fails_phrase(&crate::compute::gates::failures(
        &cx.project.framework,
        res,
    ));
    let label = format!("Not viable: {fails}");
    let r = ui.label(
        egui::RichText::new("!")
            .strong()
            .color(crate::ui::style::error_color(ui)),
    );
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &label));
    r.on_hover_text(format!(
        "{label}. A mechanism that fails a requirement gate is not viable whatever its total."
    ));
}
