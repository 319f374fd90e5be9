//! Rank acceptability (SMAA): one stacked horizontal bar per mechanism, the share of
//! Monte Carlo samples in which it takes rank 1, 2, 3… in a sequential palette (rank
//! 1 strongest: darkest on white, lightest on black), sorted by the share of first
//! places; the seed and the sample count in the subtitle. The input is a plain struct
//! (`AcceptabilityInput::from_smaa` fills it from a run).

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, H, Res, V, fit, measure, solid};
use super::frame::{Frame, draw_frame, label_stride, nice_ticks, size, x_grid, zebra};
use super::geom::Rect;
use super::legend::{Swatch, draw_legend};
use crate::compute::Matrix;
use crate::compute::smaa::Smaa;

/// What the rank-acceptability chart is drawn from.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AcceptabilityInput {
    /// Mechanism names, one per row of `shares`.
    pub names: Vec<String>,
    /// `shares[i][r]`: share (0–1) of the samples in which mechanism `i` has rank
    /// `r + 1`.
    pub shares: Vec<Vec<f64>>,
    /// Share of the samples in which mechanism `i` has no total (empty = none).
    pub unranked: Vec<f64>,
    pub samples: usize,
    pub seed: u64,
    /// How the samples were drawn, e.g. "criterion weights uniform; scores fixed".
    pub method: String,
    /// An extra line under the title, e.g. "Scenario (hypothetical): X".
    pub title_suffix: Option<String>,
    /// The project's title, for the source note.
    pub project_title: String,
}

impl AcceptabilityInput {
    /// From a SMAA run on the effective matrix `m` (the run's rows are its rows).
    pub fn from_smaa(s: &Smaa, m: &Matrix, project_title: &str) -> AcceptabilityInput {
        let names = s
            .mechanism_ids
            .iter()
            .map(|id| {
                m.rows
                    .iter()
                    .find(|r| &r.mechanism_id == id)
                    .map_or_else(|| id.clone(), |r| r.name.clone())
            })
            .collect();
        let n = s.mechanism_ids.len();
        AcceptabilityInput {
            names,
            shares: (0..n).map(|i| s.acceptabilities(i)).collect(),
            unranked: (0..n).map(|i| s.unranked(i)).collect(),
            samples: s.options.samples,
            seed: s.options.seed,
            method: s.options.method(),
            title_suffix: None,
            project_title: project_title.to_string(),
        }
    }
}

fn pct(x: f64) -> String {
    let p = 100.0 * x;
    if p > 0.0 && p < 0.5 {
        "<1%".to_string()
    } else {
        crate::wording::whole_percent(x)
    }
}

pub(crate) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, input: &AcceptabilityInput) -> Res {
    let n = input.names.len().min(input.shares.len());
    let ranks = input.shares.iter().take(n).map(Vec::len).max().unwrap_or(0);
    let share = |i: usize, r: usize| -> f64 {
        input.shares[i]
            .get(r)
            .copied()
            .filter(|x| x.is_finite())
            .unwrap_or(0.0)
            .clamp(0.0, 1.0)
    };
    let unranked = |i: usize| -> f64 {
        input
            .unranked
            .get(i)
            .copied()
            .filter(|x| x.is_finite())
            .unwrap_or(0.0)
            .clamp(0.0, 1.0)
    };
    let any_unranked = (0..n).any(|i| unranked(i) > 0.0);
    let shade = if c.theme.dark { "lighter" } else { "darker" };
    let mut notes = vec![format!(
        "Each bar adds up to all samples: {shade} = better rank. A mechanism's share of rank 1 is its first-rank acceptability; \
         ties share a rank, so a rank can be skipped in a sample."
    )];
    let t = input.project_title.trim();
    notes.push(if t.is_empty() {
        "Source: Policy Workbench assessment.".to_string()
    } else {
        format!("Source: {t} (Policy Workbench).")
    });
    let method = if input.method.trim().is_empty() {
        String::new()
    } else {
        format!("; {}", input.method.trim())
    };
    let frame = Frame {
        title: "Rank acceptability: how often each mechanism takes each rank",
        suffix: input.title_suffix.as_deref(),
        subtitle: vec![format!(
            "Share of {} Monte Carlo samples (seed {}) in which each mechanism takes rank 1, 2, 3… (SMAA-2){method}. \
             Sorted by the share of first places.",
            crate::wording::thousands(input.samples),
            input.seed
        )],
        notes,
    };
    let plot = draw_frame(c, &frame)?;
    if n == 0 || ranks == 0 || input.samples == 0 {
        return super::frame::message(c, plot, "No rank acceptability results to show.");
    }

    let colour = |r: usize| {
        let t = if ranks > 1 {
            1.0 - 0.85 * r as f64 / (ranks - 1) as f64
        } else {
            1.0
        };
        c.theme.ramp(c.theme.benefit_ramp, t)
    };

    // Legend: the ranks as a strip (every rank when few, a ramp with ticks when many),
    // then "no total".
    let legend_font = c.font(size::LABEL);
    let tick_font = c.font(size::TICK).color(c.theme.muted);
    let lh = legend_font.line_height();
    let mut x = plot.x0;
    let yc = plot.y0 + lh * 0.5;
    let lead = "Rank";
    c.text(lead, (x, yc), &legend_font.bold(), (H::Left, V::Middle))?;
    x += measure(lead, &legend_font.bold()) + c.pt(8.0);
    let cell_w = if ranks <= 12 {
        c.pt(26.0)
    } else {
        (c.pt(300.0) / ranks as f64).max(1.5)
    };
    let strip_h = legend_font.px;
    for r in 0..ranks {
        let cell = Rect::new(
            x + cell_w * r as f64,
            yc - strip_h / 2.0,
            x + cell_w * (r + 1) as f64,
            yc + strip_h / 2.0,
        );
        c.fill_rect(cell, solid(colour(r)))?;
        if ranks <= 12 {
            let tc = c.theme.text_on(colour(r));
            c.text(
                &(r + 1).to_string(),
                (cell.cx(), yc),
                &c.font(size::TICK).color(tc),
                (H::Center, V::Middle),
            )?;
        }
    }
    let strip_end = x + cell_w * ranks as f64;
    let mut legend_h = lh;
    if ranks > 12 {
        // Rank numbers under the ramp.
        let mut marks = vec![1usize];
        for v in nice_ticks(1.0, ranks as f64, 4) {
            let r = v.round() as usize;
            if r > 1 && r < ranks && !marks.contains(&r) {
                marks.push(r);
            }
        }
        marks.push(ranks);
        for r in marks {
            c.text(
                &r.to_string(),
                (
                    x + cell_w * (r as f64 - 0.5),
                    yc + strip_h / 2.0 + c.pt(2.0),
                ),
                &tick_font,
                (H::Center, V::Top),
            )?;
        }
        legend_h += tick_font.line_height();
    }
    if any_unranked {
        let sx = strip_end + c.pt(16.0);
        let entries = [(
            Swatch::HatchedEmpty,
            "no total (too little assessed)".to_string(),
        )];
        draw_legend(c, &entries, &legend_font, sx, plot.y0, plot.x1 - sx)?;
    }

    // Rows, best first.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        for r in 0..ranks {
            let o = share(b, r).total_cmp(&share(a, r));
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        a.cmp(&b)
    });
    let axis_h = tick_font.line_height() * 2.6;
    let body = Rect::new(
        plot.x0,
        plot.y0 + legend_h + c.pt(10.0),
        plot.x1,
        plot.y1 - axis_h,
    );
    let rh = body.h() / n as f64;
    let label_px = (rh * 0.66).clamp(c.pt(size::MIN), c.pt(size::LABEL));
    let font = c.font(size::LABEL).sized(label_px);
    let muted = font.color(c.theme.muted);
    let name_w = input
        .names
        .iter()
        .take(n)
        .map(|s| measure(s, &font))
        .fold(0.0, f64::max)
        .min(plot.w() * 0.32)
        + c.pt(10.0);
    let head = "rank 1";
    let value_w = measure("100%", &font.bold()).max(measure(head, &muted)) + c.pt(10.0);
    let x0 = body.x0 + name_w;
    let x1 = (body.x1 - value_w).max(x0 + c.pt(40.0));
    let x_of = |v: f64| x0 + (x1 - x0) * v;

    zebra(c, plot, n, rh, |i| body.y0 + rh * i as f64)?;
    let ticks = nice_ticks(0.0, 100.0, 4)
        .into_iter()
        .map(|v| (x_of(v / 100.0), format!("{}%", v.round() as i64)));
    x_grid(c, body, ticks, &tick_font)?;
    c.text(
        "Share of the samples",
        (
            (x0 + x1) / 2.0,
            body.y1 + c.pt(4.0) + tick_font.line_height(),
        ),
        &c.font(size::LABEL).color(c.theme.muted),
        (H::Center, V::Top),
    )?;
    c.text(
        head,
        (body.x1, body.y0 - c.pt(2.0)),
        &tick_font,
        (H::Right, V::Bottom),
    )?;

    let bar_h = (rh * 0.7).clamp(1.0, c.pt(26.0));
    let stride = label_stride(rh, &font);
    let sep = c.pt(0.8).max(1.0);
    for (row, &i) in order.iter().enumerate() {
        let yc = body.y0 + rh * (row as f64 + 0.5);
        let (y0, y1) = (yc - bar_h / 2.0, yc + bar_h / 2.0);
        let mut acc = 0.0;
        for r in 0..ranks {
            let s = share(i, r);
            if s <= 0.0 {
                continue;
            }
            let (a, b) = (x_of(acc), x_of((acc + s).min(1.0)));
            c.fill_rect(Rect::new(a, y0, b, y1), solid(colour(r)))?;
            if b - a >= 3.0 * sep {
                c.fill_rect(Rect::new(b - sep, y0, b, y1), solid(c.theme.bg))?;
            }
            acc += s;
        }
        let u = unranked(i);
        if u > 0.0 {
            let r = Rect::new(x_of(acc.min(1.0)), y0, x_of((acc + u).min(1.0)), y1);
            c.hatch(r, solid(c.theme.hatch), c.pt(4.0), c.pt(1.0))?;
        }
        if row % stride != 0 {
            continue;
        }
        let name = fit(&input.names[i], &font, name_w - c.pt(10.0));
        c.text(&name, (body.x0, yc), &font, (H::Left, V::Middle))?;
        let first = share(i, 0);
        let f = if first > 0.0 { font.bold() } else { muted };
        c.text(&pct(first), (body.x1, yc), &f, (H::Right, V::Middle))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(crate::wording::thousands(10_000), "10,000");
        assert_eq!(crate::wording::thousands(999), "999");
        assert_eq!(crate::wording::thousands(1_234_567), "1,234,567");
        assert_eq!(pct(0.004), "<1%");
        assert_eq!(pct(0.0), "0%");
        // 42.5%: halves round away from zero, as everywhere (docs/analysis.md).
        assert_eq!(pct(0.425), "43%");
    }
}
