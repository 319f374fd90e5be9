//! The effective matrix as a heatmap: mechanisms × criteria, benefit criteria on a
//! blue ramp and cost criteria on an orange one, "not assessed" hatched and "not
//! applicable" grey with a cross, never coloured as a 0.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Font, H, Res, V, alpha, fit, measure, solid};
use super::columns::Columns;
use super::frame::{
    Frame, draw_frame, draw_notice, label_stride, notice_height, rows_notice, rows_to_show, size,
};
use super::geom::Rect;
use super::input::{ChartInput, source_note};
use super::legend::{LeadLegend, Swatch};
use crate::model::{Confidence, Direction, ScoreValue, format_value};

pub(crate) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, input: &ChartInput) -> Res {
    let fw = &input.project.framework;
    let m = input.matrix;
    let criteria: Vec<(usize, &crate::model::Criterion)> = fw.criteria().collect();
    let who = if input.results.selection.analyst.is_none() && input.project.analysts.len() > 1 {
        "the median of the analysts' scores"
    } else {
        "the analyst's score"
    };
    let frame = Frame {
        title: "Scores by mechanism and criterion",
        suffix: input.title_suffix,
        subtitle: vec![format!(
            "Each cell is {who}, shaded by its position on the criterion's scale. \
             Blue: benefit criteria (higher = better). Orange: cost criteria (higher = worse)."
        )],
        notes: vec![source_note(input)],
    };
    let plot = draw_frame(c, &frame)?;
    if m.rows.is_empty() || criteria.is_empty() {
        return super::frame::message(
            c,
            plot,
            "There is nothing to plot: the selection has no mechanisms or the framework no criteria.",
        );
    }
    let any_override = m.cells.iter().flatten().any(|cell| cell.overridden);

    // Legend along the bottom of the plot: the two ramps (a key of its own), then the
    // marks, on the same row when they fit.
    let legend_font = c.font(size::LABEL);
    let ramp_w = c.pt(64.0);
    let ramps = [
        ("Benefit criterion: low", c.theme.benefit_ramp),
        ("Cost criterion: low", c.theme.cost_ramp),
    ];
    let ramp_group_w = |label: &str| {
        measure(label, &legend_font)
            + c.pt(6.0)
            + ramp_w
            + c.pt(6.0)
            + measure("high", &legend_font)
    };
    let lead_w = ramps.iter().map(|(l, _)| ramp_group_w(l)).sum::<f64>() + c.pt(22.0);
    let mut entries = vec![
        (Swatch::HatchedEmpty, "Not assessed".to_string()),
        (Swatch::NotApplicable, "Not applicable".to_string()),
    ];
    if any_override {
        entries.push((
            Swatch::Outline(c.theme.accent),
            "Changed by the scenario".to_string(),
        ));
    }
    entries.push((Swatch::Spot(c.theme.fg), "Low confidence".to_string()));
    let legend = LeadLegend {
        entries: &entries,
        font: legend_font,
        lead_w,
        lead_h: legend_font.line_height() * 1.6,
    };
    let legend_h = legend.height(c, plot.w());
    let legend_top = plot.y1 - legend_h;
    let legend_y = legend_top + legend.lead_h / 2.0;
    let mut x = plot.x0;
    for (label, ramp) in ramps {
        c.text(label, (x, legend_y), &legend_font, (H::Left, V::Middle))?;
        x += measure(label, &legend_font) + c.pt(6.0);
        draw_ramp(
            c,
            ramp,
            Rect::new(
                x,
                legend_y - legend_font.px * 0.5,
                x + ramp_w,
                legend_y + legend_font.px * 0.5,
            ),
        )?;
        x += ramp_w + c.pt(6.0);
        c.text("high", (x, legend_y), &legend_font, (H::Left, V::Middle))?;
        x += measure("high", &legend_font) + c.pt(22.0);
    }
    legend.draw_entries(c, plot.x0, legend_top, plot.w())?;

    // Header: group bands, then criterion names reading upwards.
    let header = Columns::new(
        c,
        criteria
            .iter()
            .map(|(g, cr)| (*g, cr.name.as_str()))
            .collect(),
        fw.groups.iter().map(|g| g.name.as_str()).collect(),
        plot,
    );
    let grid_top = header.grid_top();
    let mut grid_bottom = plot.y1 - legend_h - c.pt(6.0);
    // Too many rows to see: the first that fit, and a line under them saying so.
    let total = m.rows.len();
    let mut shown = total;
    if let Some(keep) = rows_to_show(c, grid_bottom - grid_top, total) {
        shown = keep;
        grid_bottom -= notice_height(c);
        let text = rows_notice(&format!("the first {shown}"), total);
        draw_notice(c, &text, (plot.x0, grid_bottom + c.pt(4.0)), plot.w())?;
    }
    let ch = ((grid_bottom - grid_top) / shown as f64).max(1.0);

    let label_px = (ch * 0.66).clamp(c.pt(size::MIN), c.pt(size::LABEL));
    let font = c.font(size::LABEL).sized(label_px);
    let label_w = m
        .rows
        .iter()
        .take(shown)
        .map(|r| measure(&r.name, &font))
        .fold(0.0, f64::max)
        .min(plot.w() * 0.3)
        + c.pt(10.0);
    let cols = header.place(c, plot.x0 + label_w, plot.x1);
    header.draw_header(c, &cols)?;
    let (col_x, cw) = (&cols.x, cols.w);

    // Rows.
    // At least half a pixel, however small the scale (a clamp would panic below 1/3 pt).
    let pad = (ch * 0.06).min(c.pt(1.5)).max(0.5);
    let value_font = font.sized((ch * 0.55).min(c.pt(size::LABEL)));
    let show_values = value_font.px >= c.pt(size::MIN) * 0.9 && cw >= value_font.px * 2.2;
    let stride = label_stride(ch, &font);
    for (ri, row) in m.rows.iter().enumerate().take(shown) {
        let y0 = grid_top + ch * ri as f64;
        let yc = y0 + ch / 2.0;
        if ri % stride == 0 {
            let name = fit(&row.name, &font, label_w - c.pt(10.0));
            c.text(&name, (plot.x0, yc), &font, (H::Left, V::Middle))?;
        }
        for (ci, (_, cr)) in criteria.iter().enumerate() {
            let cell = &m.cells[ri][ci];
            let r = Rect::new(
                col_x[ci] + pad,
                y0 + pad,
                col_x[ci] + cw - pad,
                y0 + ch - pad,
            );
            draw_cell(c, r, cell, cr, &value_font, show_values)?;
        }
    }
    Ok(())
}

fn draw_cell<DB: DrawingBackend>(
    c: &Canvas<DB>,
    r: Rect,
    cell: &crate::compute::Cell,
    cr: &crate::model::Criterion,
    font: &Font,
    show_values: bool,
) -> Res {
    match cell.value {
        ScoreValue::Value(v) => {
            let ramp = match cr.direction {
                Direction::Benefit => c.theme.benefit_ramp,
                Direction::Cost => c.theme.cost_ramp,
            };
            // Keep the lowest value visibly tinted, distinct from an empty cell.
            let t = 0.12 + 0.88 * cr.scale.normalise(v);
            let fill = c.theme.ramp(ramp, t);
            c.fill_rect(r, solid(fill))?;
            let ink = c.theme.text_on(fill);
            if show_values {
                c.text(
                    &format_value(v),
                    (r.cx(), r.cy()),
                    &font.color(ink),
                    (H::Center, V::Middle),
                )?;
            }
            if cell.confidence == Some(Confidence::Low) {
                let d = (r.h() * 0.1).max(1.5);
                c.circle((r.x1 - d * 2.8, r.y0 + d * 2.8), d, solid(ink))?;
            }
        }
        ScoreValue::NotAssessed => {
            c.hatch(r, solid(c.theme.hatch), (r.h() * 0.28).max(3.0), c.pt(1.0))?;
            c.stroke_rect(r, alpha(c.theme.hatch, 0.6), c.pt(1.0))?;
        }
        ScoreValue::NotApplicable => {
            c.fill_rect(r, solid(c.theme.na_fill))?;
            let ink = c.theme.text_on(c.theme.na_fill);
            if show_values && measure("n/a", font) < r.w() - 2.0 {
                c.text(
                    "n/a",
                    (r.cx(), r.cy()),
                    &font.color(ink),
                    (H::Center, V::Middle),
                )?;
            } else {
                let k = r.h().min(r.w()) * 0.22;
                c.line(
                    &[(r.cx() - k, r.cy() - k), (r.cx() + k, r.cy() + k)],
                    solid(ink),
                    c.pt(1.0),
                )?;
                c.line(
                    &[(r.cx() - k, r.cy() + k), (r.cx() + k, r.cy() - k)],
                    solid(ink),
                    c.pt(1.0),
                )?;
            }
        }
    }
    if cell.overridden {
        c.stroke_rect(r.inflate(-c.pt(1.0)), solid(c.theme.accent), c.pt(2.0))?;
    }
    Ok(())
}

/// A ramp swatch in a few steps.
fn draw_ramp<DB: DrawingBackend>(
    c: &Canvas<DB>,
    ramp: (plotters::style::RGBColor, plotters::style::RGBColor),
    r: Rect,
) -> Res {
    let steps = 5;
    let w = r.w() / f64::from(steps);
    for i in 0..steps {
        let t = 0.12 + 0.88 * f64::from(i) / f64::from(steps - 1);
        let x = r.x0 + w * f64::from(i);
        c.fill_rect(
            Rect::new(x, r.y0, x + w, r.y1),
            solid(c.theme.ramp(ramp, t)),
        )?;
    }
    Ok(())
}
