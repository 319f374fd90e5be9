//! The one legend system of every chart: what an entry shows beside its text
//! (`Swatch`), how wide a swatch is and how it is drawn; a horizontal legend that
//! wraps into rows (`draw_legend`), the same after a key of the chart's own such as a
//! colour scale (`LeadLegend`), and a vertical one for the side of a chart
//! (`draw_column`).

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::canvas::{Canvas, Font, H, Marker, Res, V, alpha, fit, measure, solid, wrap};
use super::error::ChartError;
use super::geom::Rect;

/// What a legend entry shows beside its text.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// A filled square.
    Fill(RGBColor),
    /// A line with a marker (series in line charts).
    Line(RGBColor, Marker),
    /// A filled square with hatching over it, e.g. "not viable".
    Hatched(RGBColor),
    /// A square on the background with hatching, e.g. "not assessed".
    HatchedEmpty,
    /// A grey square with a small cross, e.g. "not applicable".
    NotApplicable,
    /// An empty square outlined in a colour, e.g. "changed by the scenario".
    Outline(RGBColor),
    /// A circle of the given radius in pixels (bubble sizes).
    Bubble(f64),
    /// A series marker on a ring of background (a dot of a strip plot).
    Dot(Marker, RGBColor),
    /// A short vertical line (a median).
    Tick(RGBColor),
    /// A flat band (a middle half).
    Band(RGBColor),
    /// A filled bar.
    Bar(RGBColor),
    /// A vertical dashed line (a threshold).
    Dashed(RGBColor),
    /// A cell of the first colour flagged in its corner in the second ("worth
    /// discussing").
    Flag(RGBColor, RGBColor),
    /// A small dot (the low-confidence mark of a heatmap cell).
    Spot(RGBColor),
    /// A horizontal line with end caps (an interval).
    Whisker(RGBColor),
}

/// Space between two entries of a row.
const GAP_PT: f64 = 16.0;

/// Width in pixels of a swatch and the gap after it.
pub(crate) fn swatch_width<DB: DrawingBackend>(c: &Canvas<DB>, font: &Font, s: Swatch) -> f64 {
    let gap = c.pt(6.0);
    match s {
        Swatch::Line(..) | Swatch::Whisker(_) => font.px * 2.2 + gap,
        Swatch::Bubble(r) => 2.0 * r + gap,
        Swatch::Band(_) | Swatch::Bar(_) => font.px * 1.6 + gap,
        Swatch::Flag(..) => font.px * 1.4 + gap,
        Swatch::Spot(_) => font.px * 0.44 + gap,
        _ => font.px + gap,
    }
}

/// Height in pixels a swatch needs in a row.
fn swatch_height<DB: DrawingBackend>(c: &Canvas<DB>, font: &Font, s: Swatch) -> f64 {
    match s {
        Swatch::Bubble(r) => 2.0 * r + c.pt(4.0),
        _ => font.line_height(),
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
        Swatch::Dot(mk, col) => {
            let r = dot_radius(c, font);
            c.marker(mk, (x + d, y), r + c.pt(1.0), solid(c.theme.bg))?;
            c.marker(mk, (x + d, y), r, solid(col))
        }
        Swatch::Tick(col) => c.line(&[(x + d, y - d), (x + d, y + d)], solid(col), c.pt(2.5)),
        Swatch::Whisker(col) => {
            let w = font.px * 2.2;
            c.line(&[(x, y), (x + w, y)], solid(col), c.pt(1.5))?;
            c.line(&[(x, y - d * 0.6), (x, y + d * 0.6)], solid(col), c.pt(1.5))?;
            c.line(
                &[(x + w, y - d * 0.6), (x + w, y + d * 0.6)],
                solid(col),
                c.pt(1.5),
            )
        }
        Swatch::Band(col) => c.fill_rect(
            Rect::new(x, y - d * 0.8, x + font.px * 1.6, y + d * 0.8),
            solid(col),
        ),
        Swatch::Bar(col) => c.fill_rect(
            Rect::new(x, y - d * 0.7, x + font.px * 1.6, y + d * 0.7),
            solid(col),
        ),
        Swatch::Dashed(col) => c.dashed(
            (x + d, y - d),
            (x + d, y + d),
            solid(col),
            c.pt(1.5),
            c.pt(2.5),
        ),
        Swatch::Flag(fill, ink) => {
            let d = font.px * 0.7;
            let cell = Rect::new(x, y - d * 0.75, x + 2.0 * d, y + d * 0.75);
            c.fill_rect(cell, solid(fill))?;
            let s = cell.h() * 0.55;
            c.polygon(
                &[
                    (cell.x1 - s, cell.y0),
                    (cell.x1, cell.y0),
                    (cell.x1, cell.y0 + s),
                ],
                solid(ink),
            )
        }
        Swatch::Spot(col) => {
            let r = font.px * 0.22;
            c.circle((x + r, y), r, solid(col))
        }
    }
}

/// The radius of a strip-plot dot for a font.
fn dot_radius<DB: DrawingBackend>(c: &Canvas<DB>, font: &Font) -> f64 {
    (font.px * 0.42).min(c.pt(5.0))
}

/// Width of an entry: its swatch and its text.
fn entry_width<DB: DrawingBackend>(c: &Canvas<DB>, font: &Font, (s, t): &(Swatch, String)) -> f64 {
    swatch_width(c, font, *s) + measure(t, font)
}

/// Lays out legend entries in rows within `width`: the entries of each row, as
/// indices.
fn legend_rows<DB: DrawingBackend>(
    c: &Canvas<DB>,
    entries: &[(Swatch, String)],
    font: &Font,
    width: f64,
) -> Vec<Vec<usize>> {
    let gap = c.pt(GAP_PT);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
    let mut x = 0.0;
    for (i, e) in entries.iter().enumerate() {
        let w = entry_width(c, font, e);
        if x > 0.0 && x + w > width {
            rows.push(Vec::new());
            x = 0.0;
        }
        rows.last_mut().expect("one row").push(i);
        x += w + gap;
    }
    rows
}

/// Height of one row of the legend: a line, or more for large bubbles.
fn row_height<DB: DrawingBackend>(
    c: &Canvas<DB>,
    entries: &[(Swatch, String)],
    font: &Font,
) -> f64 {
    entries
        .iter()
        .map(|(s, _)| swatch_height(c, font, *s))
        .fold(font.line_height(), f64::max)
}

/// Height of the horizontal legend of `entries` within `width` (0 without entries).
pub(crate) fn legend_height<DB: DrawingBackend>(
    c: &Canvas<DB>,
    entries: &[(Swatch, String)],
    font: &Font,
    width: f64,
) -> f64 {
    if entries.is_empty() {
        return 0.0;
    }
    row_height(c, entries, font) * legend_rows(c, entries, font, width).len() as f64
}

/// Draws a horizontal legend from (x, y) (its top), wrapping within `width`;
/// returns its height (0 without entries).
pub(crate) fn draw_legend<DB: DrawingBackend>(
    c: &Canvas<DB>,
    entries: &[(Swatch, String)],
    font: &Font,
    x: f64,
    y: f64,
    width: f64,
) -> Result<f64, ChartError> {
    if entries.is_empty() {
        return Ok(0.0);
    }
    let gap = c.pt(GAP_PT);
    let rows = legend_rows(c, entries, font, width);
    let row_h = row_height(c, entries, font);
    for (ri, row) in rows.iter().enumerate() {
        let yc = y + row_h * (ri as f64 + 0.5);
        let mut xx = x;
        for &i in row {
            let (s, t) = &entries[i];
            draw_swatch(c, *s, xx, yc, font)?;
            xx += swatch_width(c, font, *s);
            let t = fit(t, font, (x + width - xx).max(0.0));
            c.text(&t, (xx, yc), font, (H::Left, V::Middle))?;
            xx += measure(&t, font) + gap;
        }
    }
    Ok(row_h * rows.len() as f64)
}

/// A legend that starts with a key the chart draws itself (a colour scale `lead_w`
/// wide and `lead_h` high, drawn at the legend's top left) followed by entries: on the
/// same row when everything fits in the width, otherwise on rows below the key.
pub(crate) struct LeadLegend<'a> {
    pub entries: &'a [(Swatch, String)],
    pub font: Font,
    pub lead_w: f64,
    pub lead_h: f64,
}

impl LeadLegend<'_> {
    /// Space between the key and the first entry on a shared row.
    fn gap<DB: DrawingBackend>(c: &Canvas<DB>) -> f64 {
        c.pt(22.0)
    }

    /// True when the key and every entry fit on one row of `width`.
    pub fn one_row<DB: DrawingBackend>(&self, c: &Canvas<DB>, width: f64) -> bool {
        let entries_w: f64 = self
            .entries
            .iter()
            .map(|e| entry_width(c, &self.font, e) + c.pt(GAP_PT))
            .sum();
        self.lead_w + Self::gap(c) + entries_w <= width
    }

    /// Height of the whole legend within `width`.
    pub fn height<DB: DrawingBackend>(&self, c: &Canvas<DB>, width: f64) -> f64 {
        if self.one_row(c, width) {
            let entries_h = if self.entries.is_empty() {
                0.0
            } else {
                row_height(c, self.entries, &self.font)
            };
            self.lead_h.max(entries_h)
        } else {
            self.lead_h + c.pt(4.0) + legend_height(c, self.entries, &self.font, width)
        }
    }

    /// Draws the entries of a legend whose top left is (x, y) (the caller draws the
    /// key there).
    pub fn draw_entries<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        x: f64,
        y: f64,
        width: f64,
    ) -> Res {
        if self.one_row(c, width) {
            let x0 = x + self.lead_w + Self::gap(c);
            // Centred on the key's middle line.
            let y0 = y + (self.lead_h - row_height(c, self.entries, &self.font)) / 2.0;
            draw_legend(c, self.entries, &self.font, x0, y0, x + width - x0)?;
        } else {
            let y0 = y + self.lead_h + c.pt(4.0);
            draw_legend(c, self.entries, &self.font, x, y0, width)?;
        }
        Ok(())
    }
}

/// A vertical legend in `r`, one entry per line, its text wrapped onto at most
/// `max_lines` lines; stops at the bottom of `r`. Returns the y below the last entry.
pub(crate) fn draw_column<DB: DrawingBackend>(
    c: &Canvas<DB>,
    entries: &[(Swatch, String)],
    font: &Font,
    r: Rect,
    max_lines: usize,
    spacing: f64,
) -> Result<f64, ChartError> {
    let lh = font.line_height();
    let mut y = r.y0 + lh * 0.5;
    for (s, t) in entries {
        let sw = swatch_width(c, font, *s);
        let lines = wrap(t, font, r.w() - sw, max_lines);
        draw_swatch(c, *s, r.x0, y, font)?;
        for l in &lines {
            c.text(
                &fit(l, font, r.w() - sw),
                (r.x0 + sw, y),
                font,
                (H::Left, V::Middle),
            )?;
            y += lh;
        }
        y += spacing;
        if y > r.y1 {
            break;
        }
    }
    Ok(y - lh * 0.5)
}
