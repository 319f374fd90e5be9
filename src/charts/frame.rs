//! What every chart has around its plot: title, scenario line, subtitle, notes at
//! the bottom; and small helpers for axes and legends.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Font, H, Marker, Res, V, alpha, fit, solid, wrap};
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
) -> Result<Rect, super::ChartError> {
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

/// What a legend entry shows beside its text.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// A filled square.
    Fill(plotters::style::RGBColor),
    /// A line with a marker (series in line charts).
    Line(plotters::style::RGBColor, Marker),
    /// A filled square with hatching over it, e.g. "not viable".
    Hatched(plotters::style::RGBColor),
    /// A square on the background with hatching, e.g. "not assessed".
    HatchedEmpty,
    /// A grey square with a small cross, e.g. "not applicable".
    NotApplicable,
    /// An empty square outlined in a colour, e.g. "changed by the scenario".
    Outline(plotters::style::RGBColor),
    /// A circle of the given radius in pixels (bubble sizes).
    Bubble(f64),
}

/// Width in pixels of a swatch and the gap after it.
pub(crate) fn swatch_width<DB: DrawingBackend>(c: &Canvas<DB>, font: &Font, s: Swatch) -> f64 {
    match s {
        Swatch::Line(..) => font.px * 2.2 + c.pt(6.0),
        Swatch::Bubble(r) => 2.0 * r + c.pt(6.0),
        _ => font.px * 1.0 + c.pt(6.0),
    }
}

/// Draws a swatch whose left edge is at x, centred on the text line at y.
pub(crate) fn draw_swatch<DB: DrawingBackend>(
    c: &Canvas<DB>,
    s: Swatch,
    x: f64,
    y: f64,
    font: &Font,
) -> Res {
    let d = font.px * 0.5;
    let square = Rect::new(x, y - d, x + 2.0 * d, y + d);
    match s {
        Swatch::Fill(col) => c.fill_rect(square, solid(col)),
        Swatch::Line(col, m) => {
            let w = font.px * 2.2;
            c.line(&[(x, y), (x + w, y)], solid(col), c.pt(2.0))?;
            c.marker(m, (x + w / 2.0, y), c.pt(3.5), solid(col))
        }
        Swatch::Hatched(col) => {
            c.fill_rect(square, alpha(col, 0.35))?;
            c.hatch(square, solid(c.theme.fg), c.pt(4.0), c.pt(1.0))?;
            c.stroke_rect(square, solid(col), c.pt(1.0))
        }
        Swatch::Outline(col) => c.stroke_rect(square.inflate(-c.pt(1.0)), solid(col), c.pt(2.0)),
        Swatch::HatchedEmpty => {
            c.hatch(square, solid(c.theme.hatch), c.pt(4.0), c.pt(1.0))?;
            c.stroke_rect(square, solid(c.theme.hatch), c.pt(1.0))
        }
        Swatch::NotApplicable => {
            c.fill_rect(square, solid(c.theme.na_fill))?;
            let k = d * 0.5;
            let col = solid(c.theme.text_on(c.theme.na_fill));
            c.line(&[(x + d - k, y - k), (x + d + k, y + k)], col, c.pt(1.0))?;
            c.line(&[(x + d - k, y + k), (x + d + k, y - k)], col, c.pt(1.0))
        }
        Swatch::Bubble(r) => {
            c.circle((x + r, y), r, alpha(c.theme.muted, 0.25))?;
            c.circle_outline((x + r, y), r, solid(c.theme.muted), c.pt(1.0))
        }
    }
}

/// Lays out legend entries in rows within `width`; returns (entries per row as
/// index lists, total height).
pub(crate) fn legend_rows<DB: DrawingBackend>(
    c: &Canvas<DB>,
    entries: &[(Swatch, String)],
    font: &Font,
    width: f64,
) -> Vec<Vec<usize>> {
    let gap = c.pt(16.0);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
    let mut x = 0.0;
    for (i, (s, t)) in entries.iter().enumerate() {
        let w = swatch_width(c, font, *s) + super::canvas::measure(t, font);
        if x > 0.0 && x + w > width {
            rows.push(Vec::new());
            x = 0.0;
        }
        rows.last_mut().expect("one row").push(i);
        x += w + gap;
    }
    rows
}

/// Draws a horizontal legend starting at (x, y) (top), wrapping within `width`;
/// returns its height.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    c: &Canvas<DB>,
    entries: &[(Swatch, String)],
    font: &Font,
    x: f64,
    y: f64,
    width: f64,
) -> Result<f64, super::ChartError> {
    let gap = c.pt(16.0);
    let rows = legend_rows(c, entries, font, width);
    let row_h = entries
        .iter()
        .map(|(s, _)| match s {
            Swatch::Bubble(r) => 2.0 * r + c.pt(4.0),
            _ => font.line_height(),
        })
        .fold(font.line_height(), f64::max);
    for (ri, row) in rows.iter().enumerate() {
        let yc = y + row_h * (ri as f64 + 0.5);
        let mut xx = x;
        for &i in row {
            let (s, t) = &entries[i];
            draw_swatch(c, *s, xx, yc, font)?;
            xx += swatch_width(c, font, *s);
            let t = fit(t, font, (x + width - xx).max(0.0));
            c.text(&t, (xx, yc), font, (H::Left, V::Middle))?;
            xx += super::canvas::measure(&t, font) + gap;
        }
    }
    Ok(row_h * rows.len() as f64)
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
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
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
