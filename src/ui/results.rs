//! The results view: group weights as sliders (live), and a sortable table of the
//! composite total, group indices, gates and what lies behind each number.

use egui::{RichText, Slider};
use egui_extras::{Column, TableBuilder};

use crate::charts::{ChartOptions, TornadoText};
use crate::compute::MechanismResult;
use crate::compute::basis::MechanismBasis;
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
    // A viewpoint with weights of its own shows them; the sliders set the framework's
    // own weights (or a scenario's), which only viewpoints without weights use.
    if cx.results.viewpoint.group_weights.is_some() {
        let parts: Vec<String> = groups
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let share = if sum > 0.0 { shown[gi] / sum } else { 0.0 };
                format!("{} {}", g.name, crate::wording::whole_percent(share))
            })
            .collect();
        ui.label(parts.join(" · "));
        ui.weak("These are the viewpoint's own weights (set in the framework). A group it does not count stays out, whatever a scenario says.");
        return;
    }
    let groups_judged = !cx.project.framework.weighting.groups.is_empty();
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
            let mut r = ui.add(Slider::new(&mut w, 0.0..=5.0).step_by(0.05).text(label));
            if scenario.is_none() && groups_judged {
                r = r.on_hover_text(crate::compute::weighting::DIRECT_EDIT_NOTE);
            }
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
    if !cx.project.framework.viewpoints.is_empty() {
        let v = &cx.results.viewpoint;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(crate::compute::viewpoint_line(v)).strong());
            ui.label(&v.perspective);
        });
    }
    // On a short window the explanations start folded, so the table stays in view.
    let compact = ui.available_height() < 600.0;
    ui.add_space(4.0);
    weights_ui(ui, cx, out);
    ui.add_space(4.0);

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
    // Rank acceptability is kept up to date by itself (the panel's settings, which
    // start as the command line's and the report's): the table shows its bands.
    let key = (cx.revision, cx.results.selection.clone());
    if !crate::teaching::results_hidden(cx.project) {
        let opts = view.smaa.options();
        view.derived
            .smaa
            .ensure(&cx.project.framework, cx.matrix, opts, key);
    }
    let running = view.derived.smaa.poll();
    if running {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }
    egui::CollapsingHeader::new("Reading these results: the rules, how robust the ranking is, how settled first place is")
        .id_salt("results-reading")
        .default_open(!compact)
        .show(ui, |ui| {
            ui.weak("The total is a composite: it depends on the weights above. The group indices are the primary result; concern indices read “higher = more concern”. Mechanisms that fail a requirement gate are marked not viable whatever their total.");
            ui.weak(format!(
                "{}. A rank such as “4 (2–17)” is the rank on what is assessed, then the best and worst rank its not-assessed cells and the others' allow. The rule is a project setting (Project tab).",
                cx.results.ranking_rule.line()
            ));
            ui.separator();
            robustness_ui(ui, cx, view);
            acceptability_line(ui, cx, view);
        });
    egui::CollapsingHeader::new("Monte Carlo rank acceptability (SMAA-2)")
        .id_salt("smaa")
        .default_open(false)
        .show(ui, |ui| crate::ui::smaa_view::smaa_ui(ui, cx, view));
    ui.separator();
    // The last columns may be off screen in a narrow window: the bar says so.
    egui::ScrollArea::horizontal()
        .id_salt("results-h")
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| results_table_ui(ui, cx, view, &order));
}

/// One line on how settled first place is, from the Monte Carlo run of this revision
/// and selection (or that it is running).
fn acceptability_line(ui: &mut egui::Ui, cx: &Cx, view: &ViewState) {
    let job = &view.derived.smaa;
    let Some(r) = job.current(cx.revision, &cx.results.selection) else {
        if let Some(p) = job.progress() {
            ui.weak(format!(
                "Monte Carlo rank acceptability: running ({})…",
                crate::wording::whole_percent(f64::from(p.done))
            ));
        }
        return;
    };
    let mut firsts: Vec<(usize, f64)> = (0..r.mechanism_ids.len())
        .map(|i| (i, r.acceptability(i, 1)))
        .filter(|(_, p)| *p > 0.0)
        .collect();
    firsts.sort_by(|a, b| b.1.total_cmp(&a.1));
    let name = |i: usize| {
        cx.results
            .mechanisms
            .iter()
            .find(|m| m.id == r.mechanism_ids[i])
            .map_or(r.mechanism_ids[i].as_str(), |m| m.name.as_str())
    };
    let shown: Vec<String> = firsts
        .iter()
        .take(3)
        .map(|&(i, p)| format!("'{}' {}", name(i), crate::wording::percent_one_decimal(p)))
        .collect();
    let verdict = match firsts.first() {
        Some(&(_, p)) if p > 0.5 => "one mechanism is first in most samples",
        Some(_) => "no mechanism is first in more than half of the samples",
        None => "no mechanism gets a total",
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("How settled is first place?").strong());
        ui.label(format!(
            "When the inputs vary, first place goes to {} of the samples; {verdict}. The “Chance” column gives each mechanism's share of first and top-three places.",
            crate::wording::and_list(&shown)
        ))
        .on_hover_text(crate::wording::capitalise(&r.options.describe()));
    });
}

/// A group's column header in the results table.
fn group_header(g: &Group) -> String {
    if g.role == Role::Concern {
        format!("{} (higher = worse)", g.name)
    } else {
        g.name.clone()
    }
}

/// Both bases of every mechanism (cached by revision and selection).
fn basis_of(cx: &Cx, view: &mut ViewState) -> Vec<MechanismBasis> {
    let key = (cx.revision, cx.results.selection.clone());
    if view.basis_cache.as_ref().is_none_or(|(k, _)| *k != key) {
        let v = crate::compute::basis::appear_or_be(cx.project, &cx.results.selection)
            .unwrap_or_default();
        view.basis_cache = Some((key, v));
    }
    view.basis_cache
        .as_ref()
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// "claims 25% · unknown basis 10%" over the mechanism's indices, with each index on
/// hover.
fn basis_text(cx: &Cx, b: &MechanismBasis) -> (String, String) {
    let groups = &cx.project.framework.groups;
    let with: Vec<&crate::compute::basis::GroupBasis> =
        b.groups.iter().filter(|g| g.all.is_some()).collect();
    let n = with.len().max(1) as f64;
    let claim = with.iter().map(|g| g.claim).sum::<f64>() / n;
    let unknown = with.iter().map(|g| g.unknown).sum::<f64>() / n;
    let pct = crate::wording::whole_percent;
    let short = match (claim > 0.0, unknown > 0.0) {
        (false, false) => "documented".to_string(),
        (true, false) => format!("{} on claims", pct(claim)),
        (false, true) => format!("basis {} unknown", pct(unknown)),
        (true, true) => format!("{} on claims, {} unknown", pct(claim), pct(unknown)),
    };
    let hover: Vec<String> = b
        .groups
        .iter()
        .zip(groups)
        .filter(|(g, _)| g.all.is_some())
        .map(|(g, gr)| {
            format!(
                "{}: {} of its weight rests on claims, {} on an unknown basis; {} from documented scores only (all scores: {})",
                gr.name,
                pct(g.claim),
                pct(g.unknown),
                crate::wording::points_or_dash(g.documented),
                crate::wording::points_or_dash(g.all),
            )
        })
        .collect();
    (short, hover.join("\n"))
}

fn results_table_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, order: &[&MechanismResult]) {
    let groups = &cx.project.framework.groups;
    // A header wraps between words, never inside one: each group column is at least as
    // wide as the longest word of its header.
    let font = egui::TextStyle::Body.resolve(ui.style());
    let widest_word = |text: &str| {
        text.split_whitespace()
            .map(|w| {
                ui.fonts_mut(|f| {
                    f.layout_no_wrap(w.to_string(), font.clone(), egui::Color32::WHITE)
                        .size()
                        .x
                })
            })
            .fold(0.0f32, f32::max)
    };
    let needs: Vec<f32> = groups
        .iter()
        .map(|g| widest_word(&group_header(g)) + 16.0)
        .collect();
    let bases = basis_of(cx, view);
    // The mechanism column gives way first, so that the last columns (gates, what is
    // missing) stay in the window at 1024 and 1280 points wide.
    let spacing = ui.spacing().item_spacing.x;
    let others: f32 = [76.0, 110.0, 60.0, 84.0, 90.0, 120.0].iter().sum::<f32>()
        + needs.iter().map(|n| n.max(84.0)).sum::<f32>()
        + spacing * (needs.len() + 7) as f32;
    let mechanism_w = (ui.available_width() - others).clamp(140.0, 260.0);
    let mut table = TableBuilder::new(ui)
        .id_salt("results-table")
        .striped(true)
        .resizable(true)
        .column(Column::exact(76.0))
        .column(Column::exact(110.0))
        .column(Column::initial(mechanism_w).at_least(140.0).clip(true))
        .column(Column::exact(60.0))
        .column(Column::exact(84.0));
    for need in needs {
        table = table.column(Column::initial(need.max(84.0)).at_least(need.max(64.0)));
    }
    let acceptability = view
        .derived
        .smaa
        .current(cx.revision, &cx.results.selection)
        .cloned();
    let smaa_running = view.derived.smaa.running();
    table = table
        .column(Column::initial(90.0))
        .column(Column::remainder().at_least(120.0));
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
                    "Competition ranking by composite total (1, 2, 2, 4), with the range the not-assessed cells allow. In orange: a mechanism with not-assessed cells of its own (its total rests on part of the criteria), or left unranked by the ranking rule.",
                )
            });
            h.col(|ui| {
                ui.label(RichText::new("Chance first · top 3").strong())
                    .on_hover_text("Monte Carlo rank acceptability: the share of samples in which the mechanism is first, and in the top three, when the weights, the scores and the not-assessed cells vary (settings in the section above)");
            });
            h.col(|ui| sort_button(ui, view, "Mechanism", ResultsSort::Name, "Sort by name"));
            h.col(|ui| {
                ui.label(RichText::new("Total").strong())
                    .on_hover_text(format!(
                        "Composite 0–100 ({}): {}",
                        cx.results.viewpoint.name,
                        cx.results.viewpoint.how_counted(&cx.project.framework)
                    ));
            });
            h.col(|ui| {
                ui.add(egui::Label::new(RichText::new("Documented only").strong()).wrap())
                    .on_hover_text(
                        "To appear or to be: the total from documented and mixed scores only \
                     (claims and unknown basis treated as not assessed)",
                    );
            });
            for (gi, g) in groups.iter().enumerate() {
                h.col(|ui| {
                    let text = group_header(g);
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
                    let text = crate::wording::rank_with_range(m.rank, m.rank_range);
                    let mut hover = crate::wording::capitalise(&crate::wording::rank_range_phrase(
                        m.rank,
                        m.rank_range,
                        m.open_cells,
                    ));
                    if let (Some(b), Some(w)) = (m.best_total, m.worst_total)
                        && m.partial
                    {
                        hover.push_str(&format!(
                            ".\nTotal {} to {} with its not-assessed cells at either end of their scale.",
                            crate::wording::points(w),
                            crate::wording::points(b)
                        ));
                    }
                    if m.unranked_by_rule {
                        hover.push_str("\nUnranked by the ranking rule: a counted group has no index.");
                    }
                    let label = if m.partial || m.unranked_by_rule {
                        ui.colored_label(style::warn_color(ui), text)
                    } else {
                        ui.label(text)
                    };
                    label.on_hover_text(hover);
                });
                row.col(|ui| {
                    let at = acceptability
                        .as_ref()
                        .and_then(|r| r.mechanism_ids.iter().position(|id| *id == m.id));
                    match (&acceptability, at) {
                        (Some(r), Some(i)) => {
                            let top3: f64 = (1..=3.min(r.rank_counts[i].len()))
                                .map(|k| r.acceptability(i, k))
                                .sum();
                            ui.label(format!(
                                "{} · {}",
                                crate::wording::percent_one_decimal(r.acceptability(i, 1)),
                                crate::wording::percent_one_decimal(top3)
                            ));
                        }
                        _ if smaa_running => {
                            ui.weak("…");
                        }
                        _ => {
                            ui.weak("—");
                        }
                    }
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
                    ui.label(RichText::new(crate::wording::points_or_dash(m.total)).strong())
                        .on_hover_text(format!(
                            "Coverage {}: {}",
                            crate::wording::whole_percent(m.total_coverage),
                            crate::ui::glossary::meaning("Coverage")
                        ));
                });
                let basis = bases.iter().find(|b| b.id == m.id);
                row.col(|ui| {
                    let doc = basis.and_then(|b| b.total_documented);
                    ui.label(crate::wording::points_or_dash(doc))
                        .on_hover_text("Total from documented and mixed scores only");
                });
                for g in &m.groups {
                    row.col(|ui| {
                        let text = crate::wording::points_or_dash(g.index);
                        let r = ui.label(text);
                        r.on_hover_text(format!(
                            "Coverage {}: {}",
                            crate::wording::whole_percent(g.coverage),
                            crate::ui::glossary::meaning("Coverage")
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
                    let (text, hover) = match basis {
                        Some(b) => {
                            let (short, hover) = basis_text(cx, b);
                            (format!("{text} · {short}"), hover)
                        }
                        None => (text, String::new()),
                    };
                    let colour = if m.not_assessed + m.low_confidence > 0 {
                        style::warn_color(ui)
                    } else {
                        ui.visuals().weak_text_color()
                    };
                    let r = ui.add(egui::Label::new(RichText::new(text).color(colour)).extend());
                    if !hover.is_empty() {
                        r.on_hover_text(hover);
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
