//! What every chart has around its plot: title, scenario line, subtitle, notes at
//! the bottom; a message in place of a plot; and small helpers for axes.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Font, H, Res, V, fit, solid, wrap};
use super::geom::Rect;

/// The words around a chart.
pub(crate) struct Frame<'a> {
    pub title: &'a str,
    /// E.g. "Scenario (hypothetical): X", drawn in the accent colour.
    pub suffix: Option<&'a str>,
    pub subtitle: Vec<String>,
    /// Notes under the plot, one paragraph each (wrapped, at most three lines).
    pub notes: Vec<String>,
}

/// Type sizes in points (multiplied by the canvas scale).
pub(crate) mod size {
    pub const TITLE: f64 = 17.0;
    pub const SUFFIX: f64 = 12.0;
    pub const SUBTITLE: f64 = 11.5;
    pub const LABEL: f64 = 11.5;
    pub const TICK: f64 = 10.5;
    pub const NOTE: f64 = 10.0;
    /// Smallest type any chart uses, however dense.
    pub const MIN: f64 = 8.0;
    pub const MARGIN: f64 = 14.0;
}

/// Draws the frame and returns the rectangle left for the plot.
pub(crate) fn draw_frame<DB: DrawingBackend>(
    c: &Canvas<DB>,
    f: &Frame,
) -> Result<Rect, super::error::ChartError> {
    let m = c.pt(size::MARGIN);
    let width = (c.w - 2.0 * m).max(1.0);
    let mut y = m;
    let title = c.font(size::TITLE).bold();
    let t = fit(f.title, &title, width);
    c.text(&t, (m, y), &title, (H::Left, V::Top))?;
    y += title.line_height();
    if let Some(s) = f.suffix {
        let font = c.font(size::SUFFIX).bold().color(c.theme.accent);
        c.text(&fit(s, &font, width), (m, y), &font, (H::Left, V::Top))?;
        y += font.line_height();
    }
    let sub = c.font(size::SUBTITLE).color(c.theme.muted);
    for para in &f.subtitle {
        for line in wrap(para, &sub, width, 2) {
            c.text(&line, (m, y), &sub, (H::Left, V::Top))?;
            y += sub.line_height();
        }
    }
    y += c.pt(8.0);

    let note = c.font(size::NOTE).color(c.theme.muted);
    let mut lines: Vec<String> = Vec::new();
    for para in &f.notes {
        lines.extend(wrap(para, &note, width, 3));
    }
    let mut bottom = c.h - m;
    let mut yb = bottom;
    for line in lines.iter().rev() {
        c.text(line, (m, yb), &note, (H::Left, V::Bottom))?;
        yb -= note.line_height();
    }
    if !lines.is_empty() {
        bottom = yb - c.pt(4.0);
    }
    Ok(Rect::new(m, y, c.w - m, bottom.max(y + 1.0)))
}

/// Draws a message in the middle of the plot (for charts that cannot be drawn).
pub(crate) fn message<DB: DrawingBackend>(c: &Canvas<DB>, plot: Rect, text: &str) -> Res {
    let font = c.font(size::LABEL + 2.0).color(c.theme.muted);
    c.stroke_rect(plot.inflate(-c.pt(4.0)), solid(c.theme.grid), c.pt(1.0))?;
    let lines = wrap(text, &font, plot.w() * 0.8, 4);
    let lh = font.line_height();
    let mut y = plot.cy() - lh * (lines.len() as f64 - 1.0) / 2.0;
    for l in &lines {
        c.text(l, (plot.cx(), y), &font, (H::Center, V::Middle))?;
        y += lh;
    }
    Ok(())
}

/// Shades every second of `n` rows of height `rh` (the second, the fourth, …) across
/// `plot`; `top(i)` is the top of row i.
pub(crate) fn zebra<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    n: usize,
    rh: f64,
    top: impl Fn(usize) -> f64,
) -> Res {
    for i in (1..n).step_by(2) {
        let y = top(i);
        c.fill_rect(Rect::new(plot.x0, y, plot.x1, y + rh), solid(c.theme.zebra))?;
    }
    Ok(())
}

/// A vertical grid line over `body` at each tick (its x in pixels, its label), the
/// label under `body`.
pub(crate) fn x_grid<DB: DrawingBackend>(
    c: &Canvas<DB>,
    body: Rect,
    ticks: impl IntoIterator<Item = (f64, String)>,
    font: &Font,
) -> Res {
    for (x, label) in ticks {
        c.line(
            &[(x, body.y0), (x, body.y1)],
            solid(c.theme.grid),
            c.pt(1.0),
        )?;
        c.text(&label, (x, body.y1 + c.pt(4.0)), font, (H::Center, V::Top))?;
    }
    Ok(())
}

/// The thinnest row a row chart (bars, ranking, heatmap) draws: thinner bars and
/// cells vanish (the bitmap backend leaves out rectangles under two pixels high).
pub(crate) fn min_row_height<DB: DrawingBackend>(c: &Canvas<DB>) -> f64 {
    c.pt(1.5).max(3.0)
}

/// How many of `n` rows a chart shows in `height` pixels when they do not all stay
/// visible: as many as do under a notice line saying so (`rows_notice`). None when
/// every row fits, or when not even one row fits under the notice (nothing to gain).
pub(crate) fn rows_to_show<DB: DrawingBackend>(
    c: &Canvas<DB>,
    height: f64,
    n: usize,
) -> Option<usize> {
    let min = min_row_height(c);
    if height.max(0.0) / min >= n as f64 {
        return None;
    }
    let room = height - notice_height(c);
    (room >= min).then(|| ((room / min).floor() as usize).min(n))
}

/// The line over a row chart that shows only some of its rows: "Showing `shown` of
/// `total` mechanisms …", where `shown` says which, e.g. "the first 216".
pub(crate) fn rows_notice(shown: &str, total: usize) -> String {
    format!(
        "Showing {shown} of {total} mechanisms: more rows would be too thin to see. A taller image shows more."
    )
}

/// Draws a notice line (accent colour) from (x, y), its top, within `width`; returns
/// its height.
pub(crate) fn draw_notice<DB: DrawingBackend>(
    c: &Canvas<DB>,
    text: &str,
    (x, y): (f64, f64),
    width: f64,
) -> Result<f64, super::error::ChartError> {
    let font = c.font(size::LABEL).bold().color(c.theme.accent);
    c.text(&fit(text, &font, width), (x, y), &font, (H::Left, V::Top))?;
    Ok(notice_height(c))
}

/// Height of a notice line and the space under it.
pub(crate) fn notice_height<DB: DrawingBackend>(c: &Canvas<DB>) -> f64 {
    c.font(size::LABEL).line_height() + c.pt(4.0)
}

/// The font of a row's label in a row of `rh` pixels, and whether the label takes two
/// lines: two when they fit at a legible size, else one, shrunk down to the smallest
/// type.
pub(crate) fn row_label_font<DB: DrawingBackend>(c: &Canvas<DB>, rh: f64) -> (Font, bool) {
    let two_px = ((rh - c.pt(2.0)) / 2.6).min(c.pt(size::LABEL));
    let two_lines = two_px >= c.pt(size::MIN);
    let label_px = if two_lines {
        two_px
    } else {
        (rh * 0.66).clamp(c.pt(size::MIN), c.pt(size::LABEL))
    };
    (c.font(size::LABEL).sized(label_px), two_lines)
}

/// Every how many rows a row label can be drawn without overlapping its
/// neighbours: 1 unless the rows are thinner than the smallest type.
pub(crate) fn label_stride(row_h: f64, font: &Font) -> usize {
    if row_h <= 0.0 {
        return usize::MAX;
    }
    ((font.px * 1.05) / row_h).ceil().max(1.0) as usize
}

/// Nice tick values covering [lo, hi] with about `n` steps.
pub(crate) fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).ceil() * step;
    let mut v = Vec::new();
    let mut t = start;
    while t <= hi + step * 1e-9 {
        v.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    v
}

/// A number for a tick label: no decimals when whole.
pub(crate) fn tick_label(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else if (v * 10.0 - (v * 10.0).round()).abs() < 1e-9 {
        crate::wording::fixed(v, 1)
    } else {
        crate::wording::fixed(v, 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(
            nice_ticks(0.0, 100.0, 4),
            vec![0.0, 25.0, 50.0, 75.0, 100.0]
        );
        assert_eq!(nice_ticks(-3.0, 7.0, 5), vec![-2.0, 0.0, 2.0, 4.0, 6.0]);
        assert_eq!(tick_label(2.5), "2.5");
        assert_eq!(tick_label(50.0), "50");
    }
}
