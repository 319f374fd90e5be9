//! The results view: group weights as sliders (live), and a sortable table of the
//! composite total, group indices, gates and what lies behind each number.

use egui::{RichText, Slider};
use egui_extras::{Column, TableBuilder};

use crate::charts::{ChartOptions, TornadoText};
use crate::compute::MechanismResult;
use crate::edit::{Command, GroupHeader};
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::panel_state::ResultsSort;
use crate::ui::style;
use crate::ui::view_state::ViewState;

/// Group weight sliders; a drag is one undo step. With a scenario shown, the sliders
/// show and set that scenario's weights (its overrides), never the base.
pub fn weights_ui(ui: &mut egui::Ui, cx: &Cx, out: &mut Vec<Action>) {
    let groups = &cx.project.framework.groups;
    let shown = &cx.matrix.weights.groups;
    let sum: f64 = shown.iter().sum();
    let scenario = cx
        .results
        .selection
        .scenario
        .as_deref()
        .and_then(|id| cx.project.scenario_at(id));
    match scenario {
        Some((_, s)) => ui.label(
            RichText::new(format!(
                "Group weights in the scenario “{}” (hypothetical)",
                s.name
            ))
            .strong(),
        ),
        None => ui.label(RichText::new("Group weights in the composite").strong()),
    };
    for (gi, g) in groups.iter().enumerate() {
        ui.horizontal(|ui| {
            let mut w = shown[gi];
            let share = if sum > 0.0 {
                100.0 * shown[gi] / sum
            } else {
                0.0
            };
            let overridden = scenario.is_some_and(|(_, s)| s.group_weights.contains_key(&g.id));
            let label = format!(
                "{} ({}){}",
                g.name,
                crate::wording::whole_percent(share / 100.0),
                if overridden { " — scenario" } else { "" }
            );
            let r = ui.add(Slider::new(&mut w, 0.0..=5.0).step_by(0.05).text(label));
            if r.changed() {
                let key = format!("slider:group:{}", g.id);
                match scenario {
                    Some((index, s)) => {
                        let mut s = s.clone();
                        s.group_weights.insert(g.id.clone(), w);
                        out.push(Action::merged(
                            Command::SetScenario { index, scenario: s },
                            key,
                        ));
                    }
                    None => {
                        let mut h = GroupHeader::of(g);
                        h.weight = w;
                        out.push(Action::merged(
                            Command::SetGroup {
                                index: gi,
                                header: h,
                            },
                            key,
                        ));
                    }
                }
            }
            if r.drag_stopped() || r.lost_focus() {
                out.push(Action::Seal);
            }
        });
    }
}

fn cmp_opt(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    // Present values first, higher first.
    match (a, b) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

pub fn results_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    crate::ui::selection_bar::selection_toolbar_ui(ui, cx, view);
    ui.add_space(4.0);
    weights_ui(ui, cx, out);
    ui.add_space(4.0);
    ui.weak("The total is a composite: it depends on the weights above. The group indices are the primary result; concern indices read “higher = more concern”. Mechanisms that fail a requirement gate are marked not viable whatever their total.");
    ui.separator();

    let mut order: Vec<&MechanismResult> = cx.results.mechanisms.iter().collect();
    match view.results_sort {
        ResultsSort::Rank => order.sort_by(|a, b| cmp_opt(a.total, b.total)),
        ResultsSort::Name => order.sort_by_key(|m| m.name.to_lowercase()),
        ResultsSort::Group(g) => {
            order.sort_by(|a, b| cmp_opt(a.groups[g].index, b.groups[g].index))
        }
        ResultsSort::Missing => {
            order.sort_by_key(|m| std::cmp::Reverse(m.not_assessed + m.low_confidence))
        }
    }
    robustness_ui(ui, cx, view);
    let running = view.derived.smaa.poll();
    egui::CollapsingHeader::new("Monte Carlo rank acceptability (SMAA-2)")
        .id_salt("smaa")
        .default_open(running)
        .show(ui, |ui| crate::ui::smaa_view::smaa_ui(ui, cx, view));
    ui.separator();
    // The last columns may be off screen in a narrow window: the bar says so.
    egui::ScrollArea::horizontal()
        .id_salt("results-h")
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| results_table_ui(ui, cx, view, &order));
}

fn results_table_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, order: &[&MechanismResult]) {
    let groups = &cx.project.framework.groups;
    // A group's column is at least as wide as the longest word of its heading, so
    // the heading wraps between words, never inside one ("Requirements").
    let font = egui::TextStyle::Body.resolve(ui.style());
    let pad = 2.0 * ui.spacing().button_padding.x + 8.0;
    let group_mins: Vec<f32> = groups
        .iter()
        .map(|g| {
            let longest = g
                .name
                .split_whitespace()
                .map(|w| {
                    ui.painter()
                        .layout_no_wrap(w.to_string(), font.clone(), egui::Color32::WHITE)
                        .size()
                        .x
                })
                .fold(0.0, f32::max);
            (longest + pad).max(64.0)
        })
        .collect();
    let mut table = TableBuilder::new(ui)
        .id_salt("results-table")
        .striped(true)
        .resizable(true)
        .column(Column::exact(44.0))
        .column(Column::initial(260.0).at_least(140.0).clip(true))
        .column(Column::exact(60.0));
    for min in group_mins {
        table = table.column(Column::initial(min.max(84.0)).at_least(min));
    }
    table = table
        .column(Column::initial(90.0))
        .column(Column::remainder().at_least(150.0));
    let sort_button =
        |ui: &mut egui::Ui, view: &mut ViewState, text: &str, key: ResultsSort, hover: &str| {
            let active = view.results_sort == key;
            let r = ui
                .add(egui::Button::selectable(active, RichText::new(text).strong()).wrap())
                .on_hover_text(hover);
            if r.clicked() {
                view.results_sort = key;
            }
        };
    table
        .header(40.0, |mut h| {
            h.col(|ui| {
                sort_button(
                    ui,
                    view,
                    "Rank",
                    ResultsSort::Rank,
                    "Competition ranking by composite total (1, 2, 2, 4)",
                )
            });
            h.col(|ui| sort_button(ui, view, "Mechanism", ResultsSort::Name, "Sort by name"));
            h.col(|ui| {
                ui.label(RichText::new("Total").strong())
                    .on_hover_text("Composite 0–100: concern groups count inverted");
            });
            for (gi, g) in groups.iter().enumerate() {
                h.col(|ui| {
                    let text = if g.role == Role::Concern {
                        format!("{} (higher = worse)", g.name)
                    } else {
                        g.name.clone()
                    };
                    sort_button(
                        ui,
                        view,
                        &text,
                        ResultsSort::Group(gi),
                        &format!("{} index, 0–100", g.name),
                    );
                });
            }
            h.col(|ui| {
                ui.label(RichText::new("Gates").strong());
            });
            h.col(|ui| {
                sort_button(
                    ui,
                    view,
                    "Behind the numbers",
                    ResultsSort::Missing,
                    "Sort by missing and low-confidence scores",
                )
            });
        })
        .body(|body| {
            body.rows(26.0, order.len(), |mut row| {
                let m = order[row.index()];
                let selected = view.mechanism.as_deref() == Some(m.id.as_str());
                row.set_selected(selected);
                row.col(|ui| {
                    ui.label(m.rank.map_or("—".into(), |r| r.to_string()));
                });
                row.col(|ui| {
                    if ui
                        .add(egui::Button::selectable(selected, &m.name).truncate())
                        .clicked()
                    {
                        view.mechanism = Some(m.id.clone());
                    }
                });
                row.col(|ui| {
                    ui.label(RichText::new(crate::wording::one_decimal_or_dash(m.total)).strong())
                        .on_hover_text(format!(
                            "Coverage {}: {}",
                            crate::wording::whole_percent(m.total_coverage),
                            crate::ui::glossary::meaning("Coverage (cov.)")
                        ));
                });
                for g in &m.groups {
                    row.col(|ui| {
                        let text = crate::wording::one_decimal_or_dash(g.index);
                        let r = ui.label(text);
                        r.on_hover_text(format!(
                            "Coverage {}: {}",
                            crate::wording::whole_percent(g.coverage),
                            crate::ui::glossary::meaning("Coverage (cov.)")
                        ));
                    });
                }
                row.col(|ui| {
                    if !m.viable() {
                        let which: Vec<String> = m
                            .failed_gates
                            .iter()
                            .map(|g| {
                                let name = cx
                                    .project
                                    .framework
                                    .criterion(&g.criterion_id)
                                    .map_or(g.criterion_id.as_str(), |c| c.name.as_str());
                                format!(
                                    "{name}: {} < {}",
                                    g.value.map_or("—".into(), format_value),
                                    format_value(g.at_least)
                                )
                            })
                            .collect();
                        ui.colored_label(style::error_color(ui), "not viable")
                            .on_hover_text(which.join("\n"));
                    } else if !m.unchecked_gates.is_empty() {
                        ui.colored_label(style::warn_color(ui), "unchecked")
                            .on_hover_text("A gated criterion is not assessed");
                    } else {
                        ui.weak("ok");
                    }
                });
                row.col(|ui| {
                    let n = m.scored + m.not_assessed + m.not_applicable;
                    let text = format!(
                        "{}/{n} scored · {} missing · {} low conf.",
                        m.scored, m.not_assessed, m.low_confidence
                    );
                    if m.not_assessed + m.low_confidence > 0 {
                        ui.colored_label(style::warn_color(ui), text);
                    } else {
                        ui.weak(text);
                    }
                });
            });
        });
}

fn robustness_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    let key = (cx.revision, cx.results.selection.clone());
    let r = view.derived.robustness(cx);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("How robust is the ranking?").strong());
        ui.label(&r.sentence);
    });
    let open = egui::CollapsingHeader::new("Weight stability chart (how far each weight can move)")
        .id_salt("stability-chart")
        .default_open(false)
        .show(ui, |_| ())
        .fully_open();
    if !open {
        return;
    }
    let ppp = ui.ctx().pixels_per_point();
    let w = ((ui.available_width() - 8.0).max(300.0) * ppp) as u32;
    let h = (340.0 * ppp) as u32;
    let dark = ui.visuals().dark_mode;
    let tkey = (key.0, key.1, w, h, dark);
    let slot = &mut view.robustness_chart;
    if slot.as_ref().is_none_or(|(k, _)| *k != tkey) {
        let mut opts = ChartOptions::new(crate::charts::ChartKind::Ranking);
        opts.width = w;
        opts.height = h;
        opts.scale = ppp;
        opts.dark = dark;
        let text = TornadoText::weight_stability(
            "How far can each weight move before first place changes?",
        );
        match crate::charts::render_tornado_text_rgb(&r.bars, &text, &opts) {
            Ok(rgb) => {
                let img = egui::ColorImage::from_rgb([w as usize, h as usize], &rgb);
                match slot {
                    Some((k, t)) => {
                        t.set(img, egui::TextureOptions::LINEAR);
                        *k = tkey;
                    }
                    None => {
                        *slot = Some((
                            tkey,
                            ui.ctx()
                                .load_texture("tornado", img, egui::TextureOptions::LINEAR),
                        ))
                    }
                }
            }
            Err(e) => {
                ui.colored_label(
                    style::error_color(ui),
                    format!("The chart could not be drawn: {e}"),
                );
                return;
            }
        }
    }
    if let Some(((_, _, w, h, _), t)) = slot {
        ui.add(
            egui::Image::new((t.id(), egui::vec2(*w as f32 / ppp, *h as f32 / ppp)))
                .fit_to_exact_size(egui::vec2(*w as f32 / ppp, *h as f32 / ppp))
                .alt_text("Weight stability intervals"),
        );
    }
}
