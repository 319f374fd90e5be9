//! Ranked composite totals: horizontal bars, best first, with what is missing behind
//! each total and the mechanisms that fail a gate marked "not viable"; each rank with
//! its range and each partial total with a range bar (its not-assessed cells at either
//! end of their scale).

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, H, Res, V, alpha, fit, measure, solid};
use super::frame::{
    Frame, draw_frame, draw_notice, label_stride, nice_ticks, rows_notice, rows_to_show, size,
    tick_label, x_grid, zebra,
};
use super::geom::Rect;
use super::input::{ChartInput, by_rank, source_note};
use super::legend::{Swatch, draw_legend};
use crate::model::Kind;

pub(crate) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, input: &ChartInput) -> Res {
    let results = input.results;
    let frame = Frame {
        title: "Mechanisms ranked by composite total",
        suffix: input.title_suffix,
        subtitle: vec![format!(
            "Composite total (0–100) of the group indices, {}. \
             The composite depends on the weights: read it with the group indices and the sensitivity analysis.",
            results.viewpoint.how_counted(&input.project.framework)
        )],
        notes: vec![
            "Ties share a rank. Not viable: a requirement gate fails (the total is still shown). \
             Right column: criteria not assessed and scores held with low confidence behind each total."
                .to_string(),
            format!(
                "{}. Rank (range): the range is the best and worst rank the not-assessed cells allow; \
                 the range bar spans the total with its own not-assessed cells at either end of their scale.",
                results.ranking_rule.line()
            ),
            source_note(input),
        ],
    };
    let plot = draw_frame(c, &frame)?;
    let rows = by_rank(results);
    if rows.is_empty() {
        return super::frame::message(c, plot, "This selection has no mechanisms to rank.");
    }

    // Legend: the kinds present, then "not viable".
    let legend_font = c.font(size::LABEL);
    let mut entries: Vec<(Swatch, String)> = Kind::ALL
        .iter()
        .filter(|k| rows.iter().any(|m| m.kind == **k))
        .map(|k| (Swatch::Fill(c.theme.kind(*k)), k.label().to_string()))
        .collect();
    if rows.iter().any(|m| !m.viable()) {
        entries.push((
            Swatch::Hatched(c.theme.muted),
            "Not viable (requirement gate failed)".to_string(),
        ));
    }
    if rows.iter().any(|m| m.partial) {
        entries.push((
            Swatch::Band(c.theme.fg),
            "Range of the total with its not-assessed cells".to_string(),
        ));
    }
    let lh = draw_legend(c, &entries, &legend_font, plot.x0, plot.y0, plot.w())?;
    let tick_font = c.font(size::TICK).color(c.theme.muted);
    let axis_h = tick_font.line_height() * 2.6;
    let mut body = Rect::new(plot.x0, plot.y0 + lh + c.pt(6.0), plot.x1, plot.y1 - axis_h);
    // Too many rows to see: the best ranked that fit, and a line saying so.
    let mut rows = rows;
    let total = rows.len();
    if let Some(keep) = rows_to_show(c, body.h(), total) {
        rows.truncate(keep);
        let text = rows_notice(&format!("the {keep} best ranked"), total);
        body.y0 += draw_notice(c, &text, (body.x0, body.y0), body.w())?;
    }
    let n = rows.len() as f64;
    let rh = body.h() / n;
    let label_px = (rh * 0.66).clamp(c.pt(size::MIN), c.pt(size::LABEL));
    let font = c.font(size::LABEL).sized(label_px);
    let muted = font.color(c.theme.muted);

    // Column widths.
    let rank_texts: Vec<String> = rows
        .iter()
        .map(|m| crate::wording::rank_with_range(m.rank, m.rank_range))
        .collect();
    let rank_w = rank_texts
        .iter()
        .map(|t| measure(t, &muted))
        .fold(measure("00", &font), f64::max)
        + c.pt(8.0);
    let name_w = rows
        .iter()
        .map(|m| measure(&m.name, &font))
        .fold(0.0, f64::max)
        .min(plot.w() * 0.34)
        + c.pt(10.0);
    let criteria = input.project.framework.criterion_count();
    let notes: Vec<(bool, String)> = rows
        .iter()
        .map(|m| {
            let mut parts = Vec::new();
            let applicable = m.scored + m.not_assessed;
            if m.not_assessed > 0 {
                parts.push(format!("{} of {applicable} not assessed", m.not_assessed));
            }
            if m.low_confidence > 0 {
                parts.push(format!("{} low-confidence", m.low_confidence));
            }
            if applicable == 0 && criteria > 0 {
                parts.push("nothing applicable".to_string());
            }
            (!m.viable(), parts.join(" · "))
        })
        .collect();
    let nv_font = font.bold();
    let nv_text = "not viable";
    let note_w = notes
        .iter()
        .map(|(nv, t)| {
            let mut w = measure(t, &muted);
            if *nv {
                w += measure(nv_text, &nv_font) + measure(" · ", &muted);
            }
            w
        })
        .fold(0.0, f64::max)
        .min(plot.w() * 0.28);
    let value_w = measure("100.0", &font) + c.pt(8.0);
    let bars_x0 = body.x0 + rank_w + name_w;
    let bars_x1 = (body.x1 - note_w - c.pt(12.0) - value_w).max(bars_x0 + c.pt(40.0));
    let x_of = |v: f64| bars_x0 + (bars_x1 - bars_x0) * v / 100.0;

    // Zebra rows, grid, axis.
    zebra(c, plot, rows.len(), rh, |i| body.y0 + rh * i as f64)?;
    let ticks = nice_ticks(0.0, 100.0, 4)
        .into_iter()
        .map(|t| (x_of(t), tick_label(t)));
    x_grid(c, body, ticks, &tick_font)?;
    c.line(
        &[(bars_x0, body.y0), (bars_x0, body.y1)],
        solid(c.theme.axis),
        c.pt(1.0),
    )?;
    c.text(
        &format!(
            "Composite total (0–100, {})",
            input.results.viewpoint.reading.phrase()
        ),
        (
            (bars_x0 + bars_x1) / 2.0,
            body.y1 + c.pt(4.0) + tick_font.line_height(),
        ),
        &c.font(size::LABEL).color(c.theme.muted),
        (H::Center, V::Top),
    )?;

    // At least two pixels: the bitmap backend leaves out thinner rectangles.
    let bar_h = (rh * 0.64).clamp(2.0, c.pt(24.0));
    let stride = label_stride(rh, &font);
    for (i, m) in rows.iter().enumerate() {
        let yc = body.y0 + rh * (i as f64 + 0.5);
        let labelled = i % stride == 0;
        if !labelled {
            // Too many rows for their labels at this size: bars only.
            if let Some(t) = m.total {
                let r = Rect::new(
                    bars_x0,
                    yc - bar_h / 2.0,
                    x_of(t.clamp(0.0, 100.0)),
                    yc + bar_h / 2.0,
                );
                c.fill_rect(r, solid(c.theme.kind(m.kind)))?;
            }
            continue;
        }
        c.text(
            &rank_texts[i],
            (body.x0 + rank_w - c.pt(8.0), yc),
            &muted,
            (H::Right, V::Middle),
        )?;
        let name = fit(&m.name, &font, name_w - c.pt(10.0));
        c.text(&name, (body.x0 + rank_w, yc), &font, (H::Left, V::Middle))?;
        let col = c.theme.kind(m.kind);
        match m.total {
            Some(t) => {
                let r = Rect::new(
                    bars_x0,
                    yc - bar_h / 2.0,
                    x_of(t.clamp(0.0, 100.0)),
                    yc + bar_h / 2.0,
                );
                if m.viable() {
                    c.fill_rect(r, solid(col))?;
                } else {
                    c.fill_rect(r, alpha(col, 0.3))?;
                    c.hatch(r, solid(c.theme.fg), c.pt(5.0), c.pt(1.0))?;
                    c.stroke_rect(r, solid(col), c.pt(1.0))?;
                }
                // After the range bar when it reaches beyond the bar.
                let reach = match (m.partial, m.best_total) {
                    (true, Some(b)) => r.x1.max(x_of(b.clamp(0.0, 100.0))),
                    _ => r.x1,
                };
                c.text(
                    &crate::wording::points(t),
                    (reach + c.pt(4.0), yc),
                    &font,
                    (H::Left, V::Middle),
                )?;
            }
            None => {
                c.text(
                    if m.unranked_by_rule {
                        "unranked by the ranking rule: a counted group has no index"
                    } else {
                        "no total: less than half of the weighted groups assessed"
                    },
                    (bars_x0 + c.pt(4.0), yc),
                    &muted,
                    (H::Left, V::Middle),
                )?;
            }
        }
        // The range bar: the total with its not-assessed cells at either end.
        if let (true, Some(lo), Some(hi)) = (m.partial, m.worst_total, m.best_total) {
            let (x0, x1) = (x_of(lo.clamp(0.0, 100.0)), x_of(hi.clamp(0.0, 100.0)));
            let cap = (bar_h * 0.45).max(c.pt(2.0));
            let ink = solid(c.theme.fg);
            let w = c.pt(1.5);
            c.line(&[(x0, yc), (x1, yc)], ink, w)?;
            c.line(&[(x0, yc - cap), (x0, yc + cap)], ink, w)?;
            c.line(&[(x1, yc - cap), (x1, yc + cap)], ink, w)?;
        }
        let (nv, text) = &notes[i];
        let mut x = body.x1 - note_w;
        if *nv {
            c.text(nv_text, (x, yc), &nv_font, (H::Left, V::Middle))?;
            x += measure(nv_text, &nv_font);
            if !text.is_empty() {
                c.text(" · ", (x, yc), &muted, (H::Left, V::Middle))?;
                x += measure(" · ", &muted);
            }
        }
        let rest = fit(text, &muted, (body.x1 - x).max(0.0));
        c.text(&rest, (x, yc), &muted, (H::Left, V::Middle))?;
    }
    Ok(())
}
