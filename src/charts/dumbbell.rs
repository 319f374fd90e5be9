//! Claimed vs documented (to appear or to be): one dumbbell per mechanism, the
//! composite total from every score (a ring) joined to the total from documented and
//! mixed scores only (a filled dot), best first by the total from every score.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, H, Marker, Res, V, fit, measure, solid};
use super::frame::{
    Frame, draw_frame, draw_notice, label_stride, nice_ticks, rows_notice, rows_to_show, size,
    tick_label, x_grid, zebra,
};
use super::geom::Rect;
use super::input::{ChartInput, source_note};
use super::legend::{Swatch, draw_legend};
use crate::compute::basis::{MechanismBasis, appear_or_be};

pub(crate) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, input: &ChartInput) -> Res {
    let frame = Frame {
        title: "Claimed vs documented: to appear or to be",
        suffix: input.title_suffix,
        subtitle: vec![
            "Composite total (0–100) from every score (ring) and from documented and mixed \
             scores only (dot), claims and scores of unknown basis counted as not assessed."
                .to_string(),
        ],
        notes: vec![
            "A long dumbbell: the total leans on the assessed state's word or on scores whose basis \
             was not recorded. Right column: share of the weight resting on claims and on an unknown basis."
                .to_string(),
            source_note(input),
        ],
    };
    let plot = draw_frame(c, &frame)?;
    let mut rows: Vec<MechanismBasis> =
        appear_or_be(input.project, &input.results.selection).unwrap_or_default();
    if rows.is_empty() {
        return super::frame::message(c, plot, "This selection has no mechanisms.");
    }
    // Best first by the total from every score; those without one last.
    rows.sort_by(|a, b| {
        b.total_all
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.total_all.unwrap_or(f64::NEG_INFINITY))
    });

    let all_colour = c.theme.muted;
    let doc_colour = c.theme.accent;
    let legend_font = c.font(size::LABEL);
    let entries = vec![
        (
            Swatch::Line(all_colour, Marker::Circle),
            "All scores".to_string(),
        ),
        (
            Swatch::Fill(doc_colour),
            "Documented and mixed scores only".to_string(),
        ),
    ];
    let lh = draw_legend(c, &entries, &legend_font, plot.x0, plot.y0, plot.w())?;
    let tick_font = c.font(size::TICK).color(c.theme.muted);
    let axis_h = tick_font.line_height() * 2.6;
    let mut body = Rect::new(plot.x0, plot.y0 + lh + c.pt(6.0), plot.x1, plot.y1 - axis_h);
    let total = rows.len();
    if let Some(keep) = rows_to_show(c, body.h(), total) {
        rows.truncate(keep);
        let text = rows_notice(&format!("the {keep} best"), total);
        body.y0 += draw_notice(c, &text, (body.x0, body.y0), body.w())?;
    }
    let n = rows.len() as f64;
    let rh = body.h() / n;
    let label_px = (rh * 0.66).clamp(c.pt(size::MIN), c.pt(size::LABEL));
    let font = c.font(size::LABEL).sized(label_px);
    let muted = font.color(c.theme.muted);

    let name_w = rows
        .iter()
        .map(|m| measure(&m.name, &font))
        .fold(0.0, f64::max)
        .min(plot.w() * 0.34)
        + c.pt(10.0);
    let notes: Vec<String> = rows.iter().map(note).collect();
    let note_w = notes
        .iter()
        .map(|t| measure(t, &muted))
        .fold(0.0, f64::max)
        .min(plot.w() * 0.28);
    let x0 = body.x0 + name_w;
    let x1 = (body.x1 - note_w - c.pt(16.0)).max(x0 + c.pt(40.0));
    let x_of = |v: f64| x0 + (x1 - x0) * v.clamp(0.0, 100.0) / 100.0;

    zebra(c, plot, rows.len(), rh, |i| body.y0 + rh * i as f64)?;
    let ticks = nice_ticks(0.0, 100.0, 4)
        .into_iter()
        .map(|t| (x_of(t), tick_label(t)));
    x_grid(c, body, ticks, &tick_font)?;
    c.text(
        "Composite total (0–100)",
        (
            (x0 + x1) / 2.0,
            body.y1 + c.pt(4.0) + tick_font.line_height(),
        ),
        &c.font(size::LABEL).color(c.theme.muted),
        (H::Center, V::Top),
    )?;

    let r = (rh * 0.28).min(c.pt(6.0)).max(1.5);
    let stride = label_stride(rh, &font);
    for (i, m) in rows.iter().enumerate() {
        let yc = body.y0 + rh * (i as f64 + 0.5);
        if let (Some(a), Some(d)) = (m.total_all, m.total_documented) {
            c.line(
                &[(x_of(a), yc), (x_of(d), yc)],
                solid(c.theme.grid),
                c.pt(2.5).min(r),
            )?;
        }
        if let Some(a) = m.total_all {
            c.circle_outline((x_of(a), yc), r, solid(all_colour), c.pt(1.5))?;
        }
        if let Some(d) = m.total_documented {
            c.circle((x_of(d), yc), r * 0.85, solid(doc_colour))?;
        }
        if i % stride != 0 {
            continue;
        }
        let name = fit(&m.name, &font, name_w - c.pt(10.0));
        c.text(&name, (body.x0, yc), &font, (H::Left, V::Middle))?;
        if m.total_documented.is_none() {
            let at = m.total_all.map_or(x0, |a| x_of(a) + r + c.pt(4.0));
            c.text(
                "no documented total",
                (at, yc),
                &muted,
                (H::Left, V::Middle),
            )?;
        }
        let text = fit(&notes[i], &muted, note_w);
        c.text(&text, (body.x1 - note_w, yc), &muted, (H::Left, V::Middle))?;
    }
    Ok(())
}

/// "claims 25% · unknown 10%": the shares of the assessed weight, averaged over the
/// mechanism's computed indices.
fn note(m: &MechanismBasis) -> String {
    let with: Vec<_> = m.groups.iter().filter(|g| g.all.is_some()).collect();
    if with.is_empty() {
        return String::new();
    }
    let n = with.len() as f64;
    let claim = with.iter().map(|g| g.claim).sum::<f64>() / n;
    let unknown = with.iter().map(|g| g.unknown).sum::<f64>() / n;
    format!(
        "claims {} · unknown {}",
        crate::wording::whole_percent(claim),
        crate::wording::whole_percent(unknown)
    )
}
