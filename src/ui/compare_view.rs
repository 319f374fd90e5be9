//! Side-by-side comparison of two selections (the base assessment or a scenario
//! against another scenario): totals and ranks, what moved and why, how stable each
//! ranking is, and the rank-change and arrow charts.

use egui::RichText;

use crate::charts::{self, ArrowsInput, BumpInput, ChartKind, ChartOptions};
use crate::compute::Selection;
use crate::compute::compare;
use crate::ui::context::Cx;
use crate::ui::panel_state::{CompareChartKey, TextureSlot};
use crate::ui::style;
use crate::ui::view_state::ViewState;

type ChartSlot = TextureSlot<CompareChartKey>;

fn chart_texture(
    ui: &mut egui::Ui,
    slot: &mut ChartSlot,
    key: CompareChartKey,
    name: &str,
    render: impl FnOnce(&ChartOptions) -> Result<Vec<u8>, charts::ChartError>,
) {
    let ppp = ui.ctx().pixels_per_point();
    let w = key.3;
    let h = ((w as f32 * 0.6) as u32).min(ui.ctx().input(|i| i.max_texture_side) as u32);
    if slot.as_ref().is_none_or(|(k, _)| *k != key) {
        let mut opts = ChartOptions::new(ChartKind::Quadrant);
        opts.width = w;
        opts.height = h;
        opts.scale = ppp;
        opts.dark = key.4;
        match render(&opts) {
            Ok(rgb) => {
                let img = egui::ColorImage::from_rgb([w as usize, h as usize], &rgb);
                *slot = Some((
                    key,
                    ui.ctx()
                        .load_texture(name, img, egui::TextureOptions::LINEAR),
                ));
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
    if let Some((_, t)) = slot {
        ui.add(
            // One texture pixel per screen pixel: never scaled to the space left.
            egui::Image::new((t.id(), egui::vec2(w as f32 / ppp, h as f32 / ppp)))
                .fit_to_exact_size(egui::vec2(w as f32 / ppp, h as f32 / ppp))
                .alt_text(name),
        );
    }
}

pub fn compare_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    // The width on screen, measured before a wide table can widen the content.
    let visible_w = ui.available_width();
    let p = cx.project;
    let analyst = cx.results.selection.analyst.clone();
    let cv = &mut view.compare;
    if cv.b.is_none() {
        cv.b = p.scenarios.first().map(|s| s.id.clone());
    }
    let name = |id: &Option<String>| {
        id.as_deref()
            .and_then(|s| p.scenario(s))
            .map_or("Base assessment".to_string(), |s| {
                crate::ui::selection_bar::scenario_label(&s.name)
            })
    };
    ui.horizontal_wrapped(|ui| {
        for (label, side) in [("Compare", &mut cv.a), ("with", &mut cv.b)] {
            let l = ui.label(label);
            egui::ComboBox::from_id_salt(("compare-side", label))
                .selected_text(name(side))
                .width(260.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(side, None, "Base assessment");
                    for s in &p.scenarios {
                        ui.selectable_value(
                            side,
                            Some(s.id.clone()),
                            crate::ui::selection_bar::scenario_label(&s.name),
                        );
                    }
                })
                .response
                .labelled_by(l.id);
        }
    });
    let sel = |s: &Option<String>| Selection {
        scenario: s.clone(),
        analyst: analyst.clone(),
        ..Selection::default()
    };
    let (sa, sb) = (sel(&cv.a), sel(&cv.b));
    let key = (cx.revision, sa.clone(), sb.clone());
    let (c, paths) = match view.derived.comparison(cx, &sa, &sb) {
        Ok(x) => x,
        Err(e) => {
            ui.colored_label(style::error_color(ui), e);
            return;
        }
    };
    let cv = &mut view.compare;
    if sa == sb {
        ui.weak("Choose two different sides to compare.");
    }
    ui.label(RichText::new("How stable is each ranking?").strong());
    ui.label(format!(
        "{}: {}",
        c.baseline.label,
        c.baseline_stability.describe()
    ));
    ui.label(format!(
        "{}: {}",
        c.scenario.label,
        c.scenario_stability.describe()
    ));
    ui.add_space(6.0);
    ui.label(RichText::new("What moved and why").strong());
    if c.explanations.is_empty() {
        ui.label("Nothing moved.");
    }
    for e in c.explanations.iter().take(12) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&e.name).strong());
            let r = ui.label(&e.text);
            // The words of the explanation an analyst may not know, on hover.
            let terms: Vec<&str> = [
                (
                    "separate effects",
                    "Separate effects (of a scenario's changes)",
                ),
                ("points", "Percentage points"),
            ]
            .iter()
            .filter(|(w, _)| e.text.contains(w))
            .map(|(_, t)| crate::ui::glossary::meaning(t))
            .collect();
            if !terms.is_empty() {
                r.on_hover_text(terms.join("\n\n"));
            }
        });
    }
    if c.explanations.len() > 12 {
        ui.weak(format!(
            "… and {} more (see the report or `policy-workbench compare`)",
            c.explanations.len() - 12
        ));
    }
    ui.add_space(6.0);
    ui.weak(format!(
        "{}. Rank (range): the best and worst rank the not-assessed cells allow.",
        c.ranking_rule.line()
    ));
    egui::Grid::new("compare-table")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in [
                "Mechanism",
                &format!("Rank: {}", c.baseline.label),
                &format!("Rank: {}", c.scenario.label),
                "Total",
                "Viability",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for m in &c.mechanisms {
                ui.label(&m.name);
                // The rank with its range: "4 (1–25)".
                let r = |v: &Option<compare::SideValues>| {
                    v.as_ref().map_or("—".to_string(), |s| {
                        crate::wording::rank_with_range(s.rank, s.rank_range)
                    })
                };
                ui.label(r(&m.baseline));
                let delta = m.rank_delta().map_or(String::new(), |d| match d {
                    0 => String::new(),
                    d if d < 0 => format!("  (up {})", -d),
                    d => format!("  (down {d})"),
                });
                ui.label(format!("{}{delta}", r(&m.scenario)));
                let t = |v: &Option<compare::SideValues>| {
                    v.as_ref()
                        .and_then(|s| s.total)
                        .map_or("—".to_string(), crate::wording::points)
                };
                ui.label(format!("{} → {}", t(&m.baseline), t(&m.scenario)));
                viability_cell(ui, m);
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    let ppp = ui.ctx().pixels_per_point();
    // The charts fit the visible width (and the largest texture the screen takes).
    let max_side = ui.ctx().input(|i| i.max_texture_side) as u32;
    let w = (((visible_w - 8.0).max(400.0) * ppp) as u32).min(max_side);
    let dark = ui.visuals().dark_mode;
    let ck = (key.0, key.1.clone(), key.2.clone(), w, dark);
    let title = p.info.title.clone();
    chart_texture(
        ui,
        &mut cv.bump,
        ck.clone(),
        "Rank changes across scenarios",
        |o| charts::render_bump_rgb(&BumpInput::new(paths, &title), o),
    );
    chart_texture(
        ui,
        &mut cv.arrows,
        ck,
        "Objectives quadrant: baseline to scenario",
        |o| {
            charts::render_arrows_rgb(
                &ArrowsInput {
                    project: p,
                    comparison: c,
                    title_suffix: None,
                },
                o,
            )
        },
    );
}

/// A mechanism's viability in the comparison table: a short phrase in the error colour
/// when it fails a requirement gate on some side (the gates, by name, on hover), empty
/// when viable on both.
fn viability_cell(ui: &mut egui::Ui, m: &compare::MechanismComparison) {
    use crate::compute::gates::Viability;
    let short = match m.viability() {
        Viability::Viable => "",
        Viability::NotViable => "not viable",
        Viability::BecomesNotViable => "becomes not viable",
        Viability::BecomesViable => "becomes viable",
        Viability::NotViableBoth => "not viable on both sides",
    };
    match m.viability_text() {
        Some(full) if m.viability() == Viability::BecomesViable => {
            ui.label(short).on_hover_text(full);
        }
        Some(full) => {
            ui.colored_label(style::error_color(ui), short)
                .on_hover_text(full);
        }
        None => {
            ui.label(short);
        }
    }
}
