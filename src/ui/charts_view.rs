//! The charts view: a chart picker with options, the chart drawn by the same plotters
//! code as the export (rendered at the screen's pixels-per-point, in the app's theme),
//! and export of one chart or all charts. The texture is re-rendered only when the
//! project, the selection, the options, the theme or the size changed.

use egui::{RichText, TextureOptions};

use crate::charts::{self, ChartInput, ChartKind};
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::panel_state::{ChartKey, WorkshopChart};
use crate::ui::view_state::ViewState;

pub fn charts_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    crate::ui::selection_bar::selection_toolbar_ui(ui, cx, view);
    ui.horizontal_wrapped(|ui| {
        for k in ChartKind::ALL {
            if ui
                .selectable_label(
                    view.chart.workshop.is_none() && view.chart.kind == k,
                    k.title(),
                )
                .clicked()
            {
                view.chart.kind = k;
                view.chart.workshop = None;
            }
        }
        if cx.project.analysts.len() > 1 {
            ui.separator();
            for w in WorkshopChart::ALL {
                let term = match w {
                    WorkshopChart::Spread => "IQR",
                    WorkshopChart::Strip => "Median across analysts",
                    WorkshopChart::Alpha => "α ordinal",
                };
                if ui
                    .selectable_label(view.chart.workshop == Some(w), w.title())
                    .on_hover_text(crate::ui::glossary::meaning(term))
                    .clicked()
                {
                    view.chart.workshop = Some(w);
                }
            }
        }
    });
    if cx.project.analysts.len() < 2 {
        view.chart.workshop = None;
    }
    egui::Panel::left("chart-options")
        .resizable(false)
        .exact_size(230.0)
        .show(ui, |ui| options_ui(ui, cx, view, out));
    egui::CentralPanel::default().show(ui, |ui| chart_image_ui(ui, cx, view));
}

fn options_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    egui::ScrollArea::vertical().id_salt("chart-options-scroll").show(ui, |ui| {
        let c = &mut view.chart;
        match c.kind {
            ChartKind::Radar | ChartKind::GroupBars => {
                if c.kind == ChartKind::Radar {
                    ui.checkbox(&mut c.radar_over_groups, "Spokes are group indices");
                }
                ui.label(RichText::new("Mechanisms").strong());
                ui.weak(if c.kind == ChartKind::Radar {
                    "None ticked: the five best by total."
                } else {
                    "None ticked: all mechanisms."
                });
                if !c.mechanisms.is_empty() && ui.button("Clear the choice").clicked() {
                    c.mechanisms.clear();
                }
                for r in &cx.matrix.rows {
                    let mut on = c.mechanisms.contains(&r.mechanism_id);
                    if ui.checkbox(&mut on, &r.name).changed() {
                        if on {
                            c.mechanisms.push(r.mechanism_id.clone());
                        } else {
                            c.mechanisms.retain(|m| *m != r.mechanism_id);
                        }
                    }
                }
            }
            ChartKind::Quadrant => {
                let l = ui.label("Quadrant lines at");
                ui.add(egui::Slider::new(&mut c.threshold, 0.0..=100.0).step_by(1.0))
                    .labelled_by(l.id);
                ui.weak("x: first objective group · y: second objective group · bubble: requirements · colour: kind");
            }
            ChartKind::ReturnsConcern => {
                let l = ui.label("Quadrant lines at");
                ui.add(egui::Slider::new(&mut c.threshold, 0.0..=100.0).step_by(1.0))
                    .labelled_by(l.id);
                ui.weak("x: the total under the returns viewpoint · y: the total under the concern viewpoint (the viewpoint chosen in the results view does not change this chart) · colour: kind");
            }
            ChartKind::ClaimedDocumented => {
                ui.weak("Ring: the total from every score. Dot: the total from documented and mixed scores only (claims and unknown basis counted as not assessed).");
            }
            ChartKind::Heatmap | ChartKind::Ranking => {}
        }
        ui.separator();
        ui.label(RichText::new("Export").strong());
        egui::Grid::new("export-size").num_columns(2).show(ui, |ui| {
            let l = ui.label("Width (px)");
            ui.add(egui::DragValue::new(&mut c.export_width).range(charts::MIN_SIDE..=charts::MAX_SIDE))
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Height (px)");
            ui.add(egui::DragValue::new(&mut c.export_height).range(charts::MIN_SIDE..=charts::MAX_SIDE))
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Scale (text, lines)");
            ui.add(egui::DragValue::new(&mut c.export_scale).range(0.5..=4.0).speed(0.05))
                .labelled_by(l.id);
            ui.end_row();
        });
        let kind = c.kind;
        if let Some(w) = c.workshop {
            if ui.button("Export this chart as PNG…").clicked() {
                out.push(Action::ExportWorkshopChart { chart: w, svg: false });
            }
            if ui.button("Export this chart as SVG…").clicked() {
                out.push(Action::ExportWorkshopChart { chart: w, svg: true });
            }
        } else {
            if ui.button("Export this chart as PNG…").clicked() {
                out.push(Action::ExportCharts { kinds: vec![kind], svg: false });
            }
            if ui.button("Export this chart as SVG…").clicked() {
                out.push(Action::ExportCharts { kinds: vec![kind], svg: true });
            }
        }
        if cx.project.analysts.len() > 1 {
            ui.weak("All charts: the workshop charts too.");
        }
        if ui.button("Export all charts to a folder…").clicked() {
            out.push(Action::ExportCharts { kinds: ChartKind::ALL.to_vec(), svg: false });
        }
    });
}

/// The height (points) a chart with one row per mechanism needs so that every row keeps
/// its name and its numbers legible; None for the other charts.
fn rows_height(view: &ViewState, rows: usize) -> Option<f32> {
    let per_row = match (view.chart.workshop, view.chart.kind) {
        (Some(WorkshopChart::Spread), _) => 22.0,
        (Some(_), _) => return None,
        (None, ChartKind::Heatmap) => 20.0,
        (None, ChartKind::Ranking | ChartKind::ClaimedDocumented) => 18.0,
        (None, _) => return None,
    };
    Some(220.0 + per_row * rows as f32)
}

fn chart_image_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    let avail = ui.available_size();
    // A chart with a row per mechanism grows taller than the window when it must, and
    // scrolls, rather than dropping names and numbers.
    let tall = rows_height(view, cx.matrix.rows.len()).filter(|h| *h > avail.y - 24.0);
    if tall.is_some() {
        egui::ScrollArea::vertical()
            .id_salt("chart-scroll")
            .show(ui, |ui| chart_image_sized(ui, cx, view, avail, tall));
    } else {
        chart_image_sized(ui, cx, view, avail, None);
    }
}

fn chart_image_sized(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    avail: egui::Vec2,
    tall: Option<f32>,
) {
    let ppp = ui.ctx().pixels_per_point();
    // Inside the scroll area, leave room for its bar.
    let bar = if tall.is_some() { 14.0 } else { 0.0 };
    let w = ((avail.x - 4.0 - bar).max(200.0) * ppp).round() as u32;
    let h_points = tall.unwrap_or((avail.y - 24.0).max(150.0));
    let h = (h_points * ppp).round() as u32;
    let dark = ui.visuals().dark_mode;
    let sel = cx.results.selection.clone();
    let key = ChartKey {
        workshop: view.chart.workshop,
        revision: cx.revision,
        selection: sel.clone(),
        opts: view.chart.options(w, h, ppp, dark),
    };
    let stale = view.chart.texture.as_ref().is_none_or(|(k, _)| *k != key);
    if stale {
        let suffix = crate::compute::selection_line(cx.project, &sel);
        let input = ChartInput {
            project: cx.project,
            matrix: cx.matrix,
            results: cx.results,
            title_suffix: suffix.as_deref(),
        };
        let start = std::time::Instant::now();
        let rendered = match key.workshop {
            None => charts::render_rgb(&input, &key.opts),
            Some(w) => {
                let round = sel.round.as_deref();
                let anon = !cx.project.workshop.reveal_names;
                match w {
                    WorkshopChart::Spread => charts::spread_input(cx.project, round, anon)
                        .and_then(|i| charts::render_spread_rgb(&i, &key.opts)),
                    WorkshopChart::Strip => charts::strip_input(cx.project, round, anon)
                        .and_then(|i| charts::render_strip_rgb(&i, &key.opts)),
                    WorkshopChart::Alpha => charts::alpha_input(cx.project, round, anon)
                        .and_then(|i| charts::render_alpha_rgb(&i, &key.opts)),
                }
            }
        };
        match rendered {
            Ok(rgb) => {
                let image = egui::ColorImage::from_rgb([w as usize, h as usize], &rgb);
                match &mut view.chart.texture {
                    Some((k, tex)) => {
                        tex.set(image, TextureOptions::LINEAR);
                        *k = key;
                    }
                    None => {
                        let tex = ui
                            .ctx()
                            .load_texture("chart", image, TextureOptions::LINEAR);
                        view.chart.texture = Some((key, tex));
                    }
                }
                view.chart.error = None;
            }
            Err(e) => view.chart.error = Some(e.to_string()),
        }
        view.chart.last_render_ms = start.elapsed().as_secs_f64() * 1000.0;
    }
    if let Some(e) = &view.chart.error {
        ui.colored_label(
            crate::ui::style::error_color(ui),
            format!("The chart could not be drawn: {e}"),
        );
        return;
    }
    if let Some((k, tex)) = &view.chart.texture {
        let size = egui::vec2(k.opts.width as f32 / ppp, k.opts.height as f32 / ppp);
        let alt = view
            .chart
            .workshop
            .map_or(view.chart.kind.title(), |w| w.title());
        // One texture pixel per screen pixel: never scaled to the space left.
        ui.add(
            egui::Image::new((tex.id(), size))
                .fit_to_exact_size(size)
                .alt_text(alt),
        );
    }
}
