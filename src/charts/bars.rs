//! Group indices per mechanism as grouped bars: one panel per criteria group, side by
//! side, one row per mechanism, so a row reads across the groups and a panel reads
//! down the mechanisms. Concern panels are drawn in their own colour and say that
//! higher means more concern.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, H, Res, V, fit, measure, solid, wrap};
use super::frame::{
    Frame, draw_frame, draw_notice, label_stride, nice_ticks, rows_notice, rows_to_show, size,
    tick_label, zebra,
};
use super::geom::Rect;
use super::input::{ChartInput, source_note};
use super::options::ChartOptions;
use super::text::fmt_index;
use super::theme::okabe_ito;
use crate::compute::MechanismResult;
use crate::model::Role;

/// The mechanisms chosen in the options (in that order), or all of them.
pub(crate) fn chosen<'a>(input: &'a ChartInput, opts: &ChartOptions) -> Vec<&'a MechanismResult> {
    let all = &input.results.mechanisms;
    let picked: Vec<&MechanismResult> = opts
        .mechanisms
        .iter()
        .filter_map(|id| all.iter().find(|m| &m.id == id))
        .collect();
    if picked.is_empty() {
        all.iter().collect()
    } else {
        picked
    }
}

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    input: &ChartInput,
    opts: &ChartOptions,
) -> Res {
    let fw = &input.project.framework;
    let rows = chosen(input, opts);
    let any_null = rows
        .iter()
        .any(|m| m.groups.iter().any(|g| g.index.is_none()));
    let mut notes = Vec::new();
    if any_null {
        notes.push(
            "–  no index: less than half of the group's criteria (by weight) are assessed; not the same as 0."
                .to_string(),
        );
    }
    notes.push(source_note(input));
    let frame = Frame {
        title: "Group indices by mechanism",
        suffix: input.title_suffix,
        subtitle: vec![
            "Index 0–100 per criteria group: the weighted position of the assessed scores on their scales. \
             Requirements and objectives: higher = stronger. Concerns: higher = more concern."
                .to_string(),
        ],
        notes,
    };
    let plot = draw_frame(c, &frame)?;
    if rows.is_empty() || fw.groups.is_empty() {
        return super::frame::message(
            c,
            plot,
            "There is nothing to plot: the selection has no mechanisms or the framework no criteria groups.",
        );
    }

    let groups = &fw.groups;
    let head = c.font(size::LABEL).bold();
    let head_sub = c.font(size::TICK).color(c.theme.muted);
    let tick_font = c.font(size::TICK).color(c.theme.muted);
    let gap = c.pt(16.0);

    // Mechanism label column.
    let header_h = head.line_height() * 2.0 + head_sub.line_height() + c.pt(4.0);
    let axis_h = tick_font.line_height() * 2.4;
    // Too many rows to see: the first that fit, and a line over the panels saying so.
    let mut plot = plot;
    let mut rows = rows;
    let total = rows.len();
    let room = plot.h() - header_h - axis_h;
    if let Some(keep) = rows_to_show(c, room, total) {
        rows.truncate(keep);
        let text = rows_notice(&format!("the first {keep}"), total);
        plot.y0 += draw_notice(c, &text, (plot.x0, plot.y0), plot.w())?;
    }
    let n = rows.len() as f64;
    let body = Rect::new(plot.x0, plot.y0 + header_h, plot.x1, plot.y1 - axis_h);
    let rh = body.h() / n;
    let label_px = (rh * 0.66).clamp(c.pt(size::MIN), c.pt(size::LABEL));
    let font = c.font(size::LABEL).sized(label_px);
    let value_font = font
        .sized((label_px * 0.9).max(c.pt(size::MIN)))
        .color(c.theme.muted);
    let label_w = rows
        .iter()
        .map(|m| measure(&m.name, &font))
        .fold(0.0, f64::max)
        .min(plot.w() * 0.3)
        + c.pt(10.0);

    let g = groups.len() as f64;
    let panels_x0 = body.x0 + label_w;
    let panel_w = ((body.x1 - panels_x0 - gap * (g - 1.0)) / g).max(1.0);
    let show_values = panel_w >= c.pt(110.0) && rh >= c.pt(9.0);
    let value_w = if show_values {
        measure("100", &value_font) + c.pt(6.0)
    } else {
        0.0
    };

    // Zebra rows across the whole width.
    zebra(c, plot, rows.len(), rh, |i| body.y0 + rh * i as f64)?;
    let stride = label_stride(rh, &font);
    for (i, m) in rows.iter().enumerate().step_by(stride) {
        let yc = body.y0 + rh * (i as f64 + 0.5);
        let name = fit(&m.name, &font, label_w - c.pt(10.0));
        c.text(&name, (body.x0, yc), &font, (H::Left, V::Middle))?;
    }

    // At least two pixels: the bitmap backend leaves out thinner rectangles.
    let bar_h = (rh * 0.62).clamp(2.0, c.pt(24.0));
    for (gi, grp) in groups.iter().enumerate() {
        let x0 = panels_x0 + gi as f64 * (panel_w + gap);
        let x1 = x0 + panel_w - value_w;
        let x_of = |v: f64| x0 + (x1 - x0) * v.clamp(0.0, 100.0) / 100.0;
        let concern = grp.role == Role::Concern;
        let col = if concern {
            okabe_ito::VERMILLION
        } else if c.theme.dark {
            okabe_ito::SKY_BLUE
        } else {
            okabe_ito::BLUE
        };

        // Header: the group name on up to two lines, then how to read it.
        let lines = wrap(&grp.name, &head, panel_w, 2);
        let mut y = plot.y0 + head.line_height() * (2 - lines.len().min(2)) as f64;
        for l in &lines {
            c.text(l, (x0, y), &head.color(col_text(c, col)), (H::Left, V::Top))?;
            y += head.line_height();
        }
        let reading = if concern {
            "higher = more concern"
        } else {
            "higher = stronger"
        };
        c.text(
            &fit(reading, &head_sub, panel_w),
            (x0, plot.y0 + head.line_height() * 2.0),
            &head_sub,
            (H::Left, V::Top),
        )?;

        // Grid and ticks.
        for t in nice_ticks(0.0, 100.0, 4) {
            let x = x_of(t);
            let grid = if t == 0.0 { c.theme.axis } else { c.theme.grid };
            c.line(&[(x, body.y0), (x, body.y1)], solid(grid), c.pt(1.0))?;
            if t == 0.0 || t == 50.0 || t == 100.0 {
                c.text(
                    &tick_label(t),
                    (x, body.y1 + c.pt(4.0)),
                    &tick_font,
                    (H::Center, V::Top),
                )?;
            }
        }

        for (i, m) in rows.iter().enumerate() {
            let yc = body.y0 + rh * (i as f64 + 0.5);
            match m.groups.get(gi).and_then(|g| g.index) {
                Some(v) => {
                    let r = Rect::new(x0, yc - bar_h / 2.0, x_of(v), yc + bar_h / 2.0);
                    c.fill_rect(r, solid(col))?;
                    if show_values {
                        c.text(
                            &fmt_index(v),
                            (r.x1 + c.pt(3.0), yc),
                            &value_font,
                            (H::Left, V::Middle),
                        )?;
                    }
                }
                None if i % stride == 0 => {
                    c.text(
                        "–",
                        (x0 + c.pt(4.0), yc),
                        &font.color(c.theme.muted),
                        (H::Left, V::Middle),
                    )?;
                }
                None => {}
            }
        }
    }
    c.text(
        "Index (0–100)",
        (
            (panels_x0 + body.x1) / 2.0,
            body.y1 + c.pt(4.0) + tick_font.line_height(),
        ),
        &c.font(size::LABEL).color(c.theme.muted),
        (H::Center, V::Top),
    )?;
    Ok(())
}

/// A text colour of the same hue as `col` that reads on the background.
fn col_text<DB: DrawingBackend>(
    c: &Canvas<DB>,
    col: plotters::style::RGBColor,
) -> plotters::style::RGBColor {
    if c.theme.dark {
        col
    } else {
        super::theme::lerp(col, c.theme.fg, 0.35)
    }
}
