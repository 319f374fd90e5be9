//! Tornado chart for sensitivity analysis: one bar per input, from the result with
//! the input at its low end to the result with it at its high end, around the base
//! case; the widest bar on top.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, H, Res, V, fit, measure, solid};
use super::frame::{Frame, draw_frame, nice_ticks, size, tick_label, x_grid};
use super::geom::Rect;
use super::legend::{Swatch, draw_legend};
use super::theme::okabe_ito;

/// The words of a tornado chart: what the bars mean depends on the analysis.
#[derive(Clone, Copy, Debug)]
pub struct TornadoText<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub axis: &'a str,
    pub low_label: &'a str,
    pub high_label: &'a str,
}

impl<'a> TornadoText<'a> {
    /// The classic one-input-at-a-time tornado.
    pub fn one_at_a_time(title: &'a str, axis: &'a str) -> TornadoText<'a> {
        TornadoText {
            title,
            subtitle: "Each bar: the result with one input at its low end and at its high end, all else at the base case. Widest first.",
            axis,
            low_label: "Input at its low end",
            high_label: "Input at its high end",
        }
    }

    /// Stability intervals of weights: how far each weight's share can move.
    pub fn weight_stability(title: &'a str) -> TornadoText<'a> {
        TornadoText {
            title,
            subtitle: "Each bar: the range of a weight's share (the other weights rescaled in proportion) over which first place stays the same. The mark is today's share. Narrow bars: fragile. Widest first.",
            axis: "Share of the weight in its level (%)",
            low_label: "Can fall to",
            high_label: "Can rise to",
        }
    }
}

/// One bar of a tornado chart: the output when one input is at its low and at its
/// high end, and the output at the base case.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    pub label: String,
    pub low: f64,
    pub high: f64,
    pub base: f64,
}

fn fmt(v: f64) -> String {
    let digits = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    crate::wording::fixed(v, digits)
}

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    bars: &[TornadoBar],
    text: &TornadoText,
) -> Res {
    let (title, axis) = (text.title, text.axis);
    let finite: Vec<&TornadoBar> = bars
        .iter()
        .filter(|b| b.low.is_finite() && b.high.is_finite() && b.base.is_finite())
        .collect();
    let skipped = bars.len() - finite.len();
    let mut rows = finite;
    rows.sort_by(|a, b| (b.high - b.low).abs().total_cmp(&(a.high - a.low).abs()));
    let same_base = rows
        .windows(2)
        .all(|w| (w[0].base - w[1].base).abs() < 1e-12);
    let mut notes = Vec::new();
    if skipped > 0 {
        notes.push(format!(
            "{skipped} inputs without a finite result are left out."
        ));
    }
    let frame = Frame {
        title,
        suffix: None,
        subtitle: vec![text.subtitle.to_string()],
        notes,
    };
    let plot = draw_frame(c, &frame)?;
    if rows.is_empty() {
        return super::frame::message(c, plot, "No sensitivity results to show.");
    }
    let low_col = if c.theme.dark {
        okabe_ito::SKY_BLUE
    } else {
        okabe_ito::BLUE
    };
    let high_col = okabe_ito::ORANGE;
    let legend_font = c.font(size::LABEL);
    let entries = vec![
        (Swatch::Fill(low_col), text.low_label.to_string()),
        (Swatch::Fill(high_col), text.high_label.to_string()),
    ];
    let lh = draw_legend(c, &entries, &legend_font, plot.x0, plot.y0, plot.w())?;

    let tick_font = c.font(size::TICK).color(c.theme.muted);
    let axis_font = c.font(size::LABEL).color(c.theme.muted);
    let base_label_h = if same_base {
        tick_font.line_height()
    } else {
        0.0
    };
    let body = Rect::new(
        plot.x0,
        plot.y0 + lh + c.pt(6.0) + base_label_h,
        plot.x1,
        plot.y1 - tick_font.line_height() - axis_font.line_height() - c.pt(8.0),
    );
    let n = rows.len() as f64;
    let rh = body.h() / n;
    let label_px = (rh * 0.6).clamp(c.pt(size::MIN), c.pt(size::LABEL));
    let font = c.font(size::LABEL).sized(label_px);
    let value_font = font.color(c.theme.muted);
    let label_w = rows
        .iter()
        .map(|b| measure(&b.label, &font))
        .fold(0.0, f64::max)
        .min(plot.w() * 0.32)
        + c.pt(10.0);

    let lo = rows
        .iter()
        .flat_map(|b| [b.low, b.high, b.base])
        .fold(f64::INFINITY, f64::min);
    let hi = rows
        .iter()
        .flat_map(|b| [b.low, b.high, b.base])
        .fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (lo, hi) = (lo - span * 0.04, hi + span * 0.04);
    let value_w = measure("-000.00", &value_font) + c.pt(6.0);
    let x0 = body.x0 + label_w + value_w;
    let x1 = (body.x1 - value_w).max(x0 + 1.0);
    let x_of = |v: f64| x0 + (x1 - x0) * (v - lo) / (hi - lo);

    let ticks = nice_ticks(lo, hi, 6)
        .into_iter()
        .map(|t| (x_of(t), tick_label(t)));
    x_grid(c, body, ticks, &tick_font)?;
    c.text(
        &fit(axis, &axis_font, x1 - x0),
        (
            (x0 + x1) / 2.0,
            body.y1 + c.pt(6.0) + tick_font.line_height(),
        ),
        &axis_font,
        (H::Center, V::Top),
    )?;
    if same_base {
        let xb = x_of(rows[0].base);
        c.line(
            &[(xb, body.y0), (xb, body.y1)],
            solid(c.theme.fg),
            c.pt(1.5),
        )?;
        c.text(
            &format!("base {}", fmt(rows[0].base)),
            (xb, body.y0 - c.pt(2.0)),
            &tick_font,
            (H::Center, V::Bottom),
        )?;
    }

    let bar_h = (rh * 0.62).clamp(1.0, c.pt(28.0));
    for (i, b) in rows.iter().enumerate() {
        let yc = body.y0 + rh * (i as f64 + 0.5);
        c.text(
            &fit(&b.label, &font, label_w - c.pt(10.0)),
            (body.x0, yc),
            &font,
            (H::Left, V::Middle),
        )?;
        let xb = x_of(b.base);
        for (v, col) in [(b.low, low_col), (b.high, high_col)] {
            let xv = x_of(v);
            let r = Rect::new(xb.min(xv), yc - bar_h / 2.0, xb.max(xv), yc + bar_h / 2.0);
            c.fill_rect(r, solid(col))?;
        }
        if !same_base {
            c.line(
                &[(xb, yc - bar_h * 0.7), (xb, yc + bar_h * 0.7)],
                solid(c.theme.fg),
                c.pt(1.5),
            )?;
        }
        // Values at the outer ends.
        let (lx, hx) = (x_of(b.low), x_of(b.high));
        let (left_v, right_v) = if lx <= hx {
            (b.low, b.high)
        } else {
            (b.high, b.low)
        };
        let gap = c.pt(4.0);
        c.text(
            &fmt(left_v),
            (lx.min(hx).min(xb) - gap, yc),
            &value_font,
            (H::Right, V::Middle),
        )?;
        c.text(
            &fmt(right_v),
            (lx.max(hx).max(xb) + gap, yc),
            &value_font,
            (H::Left, V::Middle),
        )?;
    }
    Ok(())
}
