//! A thin drawing surface over a plotters `DrawingArea`, in pixels, that draws text
//! the same way on the bitmap and the SVG backend.
//!
//! plotters places text differently per backend (the bitmap backend puts the
//! baseline half a font size below the anchor, the SVG backend 0.76 em below it, and
//! the SVG font size is the requested size ÷ 1.24), so every text call here is placed
//! by its baseline and the backend's offsets are corrected in one place (`Flavor`).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor};

use super::error::ChartError;
use super::geom::Rect;
use super::theme::Theme;

pub(crate) type Res = Result<(), ChartError>;

use super::fonts::{self, Which, family, height_per_em};

/// Which backend the canvas draws to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    Bitmap,
    Svg,
}

impl Flavor {
    /// The size to ask plotters for so that the em is `em` pixels. The bitmap backend
    /// (ab_glyph) scales glyphs by the font's line height (ascent − descent), not by
    /// its em.
    fn size_param(self, em: f64, which: Which) -> f64 {
        match self {
            Flavor::Bitmap => em * height_per_em(which),
            Flavor::Svg => em * 1.24,
        }
    }

    /// How far below a `VPos::Top` anchor the backend puts the baseline, in em.
    fn baseline_below_top(self, which: Which) -> f64 {
        match self {
            Flavor::Bitmap => height_per_em(which) / 2.0,
            Flavor::Svg => 0.76,
        }
    }

    /// The runs of `text` by font: in bitmaps, the fallback fonts draw what DejaVu
    /// Sans cannot (and characters that draw nothing are left out); an SVG names one
    /// family and leaves the fallback and emoji sequences to the viewer.
    fn runs(self, text: &str) -> Vec<(String, Which)> {
        match self {
            Flavor::Bitmap => fonts::runs(text),
            Flavor::Svg => vec![(text.to_string(), Which::Main)],
        }
    }
}

/// Horizontal alignment of text at its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum H {
    Left,
    Center,
    Right,
}

/// Vertical alignment of text at its anchor: the top of capitals, the middle of
/// capitals, or the bottom of descenders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum V {
    Top,
    Middle,
    Bottom,
}

impl V {
    /// Offset from the anchor to the baseline, in em.
    fn baseline_offset(self) -> f64 {
        match self {
            V::Top => 0.73,
            V::Middle => 0.36,
            V::Bottom => -0.24,
        }
    }
}

/// A text style: size in pixels (the em), weight, colour.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Font {
    pub px: f64,
    pub bold: bool,
    pub color: RGBColor,
}

impl Font {
    pub fn bold(mut self) -> Font {
        self.bold = true;
        self
    }

    pub fn color(mut self, c: RGBColor) -> Font {
        self.color = c;
        self
    }

    /// The same font at `px` pixels.
    pub fn sized(mut self, px: f64) -> Font {
        self.px = px;
        self
    }

    /// Distance between baselines of consecutive lines.
    pub fn line_height(&self) -> f64 {
        self.px * 1.3
    }

    /// Height of a line of capitals and descenders (for collision boxes).
    pub fn box_height(&self) -> f64 {
        self.px * 1.0
    }

    fn style(&self) -> FontStyle {
        if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        }
    }
}

/// Width in pixels of `text` in `font` (DejaVu Sans metrics, the fallback fonts'
/// for what DejaVu Sans does not cover; characters that draw nothing in bitmaps count
/// for nothing).
pub(crate) fn measure(text: &str, font: &Font) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    fonts::runs(text)
        .into_iter()
        .map(|(t, which)| measure_run(&t, which, font))
        .sum()
}

/// Width in pixels of a run drawn in one font.
fn measure_run(text: &str, which: Which, font: &Font) -> f64 {
    let size = font.px * height_per_em(which);
    let desc = FontDesc::new(FontFamily::Name(family(which)), size, font.style());
    match desc.box_size(text) {
        Ok((w, _)) => f64::from(w),
        // Without font metrics (cannot happen once the font is registered), a
        // generous estimate keeps layouts from overlapping.
        Err(_) => text.chars().count() as f64 * font.px * 0.62,
    }
}

/// `text` shortened with an ellipsis so that it is at most `max_w` pixels wide.
/// Returns an empty string when not even the ellipsis fits.
pub(crate) fn fit(text: &str, font: &Font, max_w: f64) -> String {
    if measure(text, font) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let candidate = |n: usize| -> String {
        let s: String = chars[..n].iter().collect();
        let s = s.trim_end_matches([' ', ',', ';', ':', '-', '–', '(', '/', '.']);
        format!("{s}…")
    };
    // Largest prefix that fits, by bisection on the number of characters.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if measure(&candidate(mid), font) <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        return if measure("…", font) <= max_w {
            "…".to_string()
        } else {
            String::new()
        };
    }
    // Prefer ending at a word boundary when one is not far back.
    let boundary = chars[..lo]
        .iter()
        .rposition(|c| matches!(c, ' ' | '-' | '/'))
        .map(|p| if chars[p] == '-' { p + 1 } else { p });
    match boundary {
        Some(p) if p > 0 && p as f64 >= lo as f64 * 0.6 => candidate(p),
        _ => candidate(lo),
    }
}

/// Breaks `text` into at most `max_lines` lines of at most `max_w` pixels, the last
/// one shortened with an ellipsis when the text does not fit.
pub(crate) fn wrap(text: &str, font: &Font, max_w: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let trial = if current.is_empty() {
            w.to_string()
        } else {
            format!("{current} {w}")
        };
        if measure(&trial, font) <= max_w || current.is_empty() {
            current = trial;
            i += 1;
            if measure(&current, font) > max_w {
                // A single word wider than the line.
                lines.push(current.clone());
                current.clear();
            }
        } else {
            lines.push(std::mem::take(&mut current));
        }
        if lines.len() == max_lines {
            break;
        }
    }
    if !current.is_empty() && lines.len() < max_lines {
        lines.push(current);
    }
    if i < words.len() || lines.iter().any(|l| measure(l, font) > max_w) {
        // Text left over: the last line takes the rest, shortened.
        if let Some(last) = lines.last_mut() {
            let rest = if i < words.len() {
                format!("{last} {}", words[i..].join(" "))
            } else {
                last.clone()
            };
            *last = fit(&format!("{rest} …"), font, max_w);
            if !last.ends_with('…') {
                last.push('…');
            }
        }
        for l in lines.iter_mut() {
            if measure(l, font) > max_w {
                *l = fit(l, font, max_w);
            }
        }
    }
    lines
}

/// Marker shapes that tell series apart without colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    TriangleUp,
    Diamond,
    TriangleDown,
}

impl Marker {
    pub const ALL: [Marker; 5] = [
        Marker::Circle,
        Marker::Square,
        Marker::TriangleUp,
        Marker::Diamond,
        Marker::TriangleDown,
    ];

    pub fn nth(i: usize) -> Marker {
        Marker::ALL[i % Marker::ALL.len()]
    }
}

/// The drawing surface for one chart.
pub(crate) struct Canvas<DB: DrawingBackend> {
    area: DrawingArea<DB, Shift>,
    flavor: Flavor,
    /// Pixels per point, including the size-dependent factor.
    pub scale: f64,
    pub w: f64,
    pub h: f64,
    pub theme: Theme,
}

fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

fn px(v: f64) -> i32 {
    v.round() as i32
}

impl<DB: DrawingBackend> Canvas<DB> {
    pub fn new(area: DrawingArea<DB, Shift>, flavor: Flavor, scale: f64, theme: Theme) -> Self {
        let (w, h) = area.dim_in_pixel();
        Canvas {
            area,
            flavor,
            scale,
            w: f64::from(w),
            h: f64::from(h),
            theme,
        }
    }

    /// Flushes the drawing to the backend; a failure here is a failed chart.
    pub fn present(&self) -> Res {
        self.area.present().map_err(draw_err)
    }

    /// Points to pixels.
    pub fn pt(&self, v: f64) -> f64 {
        v * self.scale
    }

    /// A regular font of `pt` points in the main text colour.
    pub fn font(&self, pt: f64) -> Font {
        Font {
            px: pt * self.scale,
            bold: false,
            color: self.theme.fg,
        }
    }

    pub fn clear(&self) -> Res {
        self.area.fill(&self.theme.bg).map_err(draw_err)
    }

    /// Draws `text` at (x, y) aligned as asked.
    pub fn text(&self, text: &str, at: (f64, f64), font: &Font, align: (H, V)) -> Res {
        if text.is_empty() {
            return Ok(());
        }
        let baseline = at.1 + align.1.baseline_offset() * font.px;
        let runs = self.flavor.runs(text);
        if let [(t, Which::Main)] = &runs[..] {
            return self.text_run(t, Which::Main, (at.0, baseline), font, align.0);
        }
        // Runs in different fonts, one after the other from the left end.
        let mut x = at.0 - along_offset(align.0, measure(text, font));
        for (t, which) in runs {
            self.text_run(&t, which, (x, baseline), font, H::Left)?;
            x += measure_run(&t, which, font);
        }
        Ok(())
    }

    /// Draws a run of text in one font, its baseline at y.
    fn text_run(
        &self,
        text: &str,
        which: Which,
        (x, baseline): (f64, f64),
        font: &Font,
        h: H,
    ) -> Res {
        if self.flavor == Flavor::Bitmap {
            let start = x - along_offset(h, measure_run(text, which, font));
            return self.raster_run(text, which, font, (start, baseline), false);
        }
        let top = baseline - self.flavor.baseline_below_top(which) * font.px;
        let style = self.text_style(font, h, FontTransform::None, which);
        self.area
            .draw_text(text, &style, (px(x), px(top)))
            .map_err(draw_err)
    }

    /// Draws `text` reading upwards (rotated a quarter turn anticlockwise). `along`
    /// places it along its line from y (Left = starts at y), `across` places it
    /// across, from x (Top = the tops of the letters at x).
    pub fn text_up(&self, text: &str, at: (f64, f64), font: &Font, along: H, across: V) -> Res {
        if text.is_empty() {
            return Ok(());
        }
        let baseline = at.0 + across.baseline_offset() * font.px;
        let runs = self.flavor.runs(text);
        if let [(t, Which::Main)] = &runs[..] {
            return self.text_up_run(t, Which::Main, (baseline, at.1), font, along);
        }
        // Runs in different fonts, one after the other upwards from the start.
        let mut y = at.1 + along_offset(along, measure(text, font));
        for (t, which) in runs {
            self.text_up_run(&t, which, (baseline, y), font, H::Left)?;
            y -= measure_run(&t, which, font);
        }
        Ok(())
    }

    /// Draws a run of upward text in one font, its baseline at x.
    fn text_up_run(
        &self,
        text: &str,
        which: Which,
        (baseline, y): (f64, f64),
        font: &Font,
        along: H,
    ) -> Res {
        if self.flavor == Flavor::Bitmap {
            let start = y + along_offset(along, measure_run(text, which, font));
            return self.raster_run(text, which, font, (baseline, start), true);
        }
        let left = baseline - self.flavor.baseline_below_top(which) * font.px;
        let style = self.text_style(font, along, FontTransform::Rotate270, which);
        self.area
            .draw_text(text, &style, (px(left), px(y)))
            .map_err(draw_err)
    }

    /// Draws a run of text in a bitmap glyph by glyph, each placed on the baseline
    /// with its own sub-pixel offset. (plotters' bitmap text truncates each glyph's
    /// vertical offset towards zero, which lifts full stops and commas by a pixel
    /// against the letters: at small sizes they read as "·".) `origin` is where the
    /// baseline starts: (x, baseline y) across, or (baseline x, y) reading upwards.
    fn raster_run(
        &self,
        text: &str,
        which: Which,
        font: &Font,
        origin: (f64, f64),
        upwards: bool,
    ) -> Res {
        use ab_glyph::{Font as _, ScaleFont as _, point};
        let Some(face) = fonts::font_of(which, font.bold) else {
            return Err(ChartError::Font);
        };
        // The same scale as plotters would use, so measuring and drawing agree.
        let scaled = face.as_scaled(self.flavor.size_param(font.px, which) as f32);
        let (r, g, b) = (font.color.0, font.color.1, font.color.2);
        let mut pen = 0f32;
        let mut prev = None;
        let mut result = Ok(());
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                pen += scaled.kern(p, id);
            }
            prev = Some(id);
            // Along the baseline from 0, below it positive; placed at its fraction of a
            // pixel so every glyph shares one baseline.
            let (ox, oy) = if upwards {
                (origin.1, origin.0)
            } else {
                origin
            };
            // Upwards, the text runs towards smaller y: its fraction of a pixel too.
            let along_frac = if upwards { -ox.fract() } else { ox.fract() };
            let frac = (along_frac as f32, oy.fract() as f32);
            let glyph = id.with_scale_and_position(scaled.scale(), point(pen + frac.0, frac.1));
            pen += scaled.h_advance(id);
            let Some(outline) = scaled.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let (bx, by) = (ox.trunc() as i32, oy.trunc() as i32);
            outline.draw(|gx, gy, coverage| {
                if coverage <= 0.0 || result.is_err() {
                    return;
                }
                let along = bounds.min.x as i32 + gx as i32;
                let below = bounds.min.y as i32 + gy as i32;
                let at = if upwards {
                    // Reading upwards: along the text is up the page, "below the
                    // baseline" is to the right.
                    (by + below, bx - along)
                } else {
                    (bx + along, by + below)
                };
                let colour = RGBAColor(r, g, b, f64::from(coverage.min(1.0)));
                result = self.area.draw_pixel(at, &colour).map_err(draw_err);
            });
        }
        result
    }

    fn text_style<'f>(
        &self,
        font: &'f Font,
        h: H,
        transform: FontTransform,
        which: Which,
    ) -> TextStyle<'f> {
        let hpos = match h {
            H::Left => HPos::Left,
            H::Center => HPos::Center,
            H::Right => HPos::Right,
        };
        let desc = FontDesc::new(
            FontFamily::Name(family(which)),
            self.flavor.size_param(font.px, which),
            font.style(),
        )
        .transform(transform);
        TextStyle::from(desc)
            .color(&font.color)
            .pos(Pos::new(hpos, VPos::Top))
    }

    pub fn fill_rect(&self, r: Rect, color: RGBAColor) -> Res {
        if r.w() <= 0.0 || r.h() <= 0.0 {
            return Ok(());
        }
        let (x0, y0) = (px(r.x0), px(r.y0));
        let (x1, y1) = (px(r.x1).max(x0 + 1), px(r.y1).max(y0 + 1));
        self.area
            .draw(&Rectangle::new(
                [(x0, y0), (x1 - 1, y1 - 1)],
                ShapeStyle::from(color).filled(),
            ))
            .map_err(draw_err)
    }

    pub fn stroke_rect(&self, r: Rect, color: RGBAColor, width: f64) -> Res {
        let (x0, y0, x1, y1) = (r.x0, r.y0, r.x1, r.y1);
        self.line(
            &[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
            color,
            width,
        )
    }

    pub fn line(&self, pts: &[(f64, f64)], color: RGBAColor, width: f64) -> Res {
        let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        let w = width.round().max(1.0) as u32;
        self.area
            .draw(&PathElement::new(
                pts,
                ShapeStyle::from(color).stroke_width(w),
            ))
            .map_err(draw_err)
    }

    /// A dashed straight line.
    pub fn dashed(
        &self,
        a: (f64, f64),
        b: (f64, f64),
        color: RGBAColor,
        width: f64,
        dash: f64,
    ) -> Res {
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len <= 0.0 || dash <= 0.0 {
            return Ok(());
        }
        let (ux, uy) = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let mut t = 0.0;
        while t < len {
            let e = (t + dash).min(len);
            self.line(
                &[(a.0 + ux * t, a.1 + uy * t), (a.0 + ux * e, a.1 + uy * e)],
                color,
                width,
            )?;
            t += dash * 1.8;
        }
        Ok(())
    }

    pub fn polygon(&self, pts: &[(f64, f64)], color: RGBAColor) -> Res {
        let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area
            .draw(&Polygon::new(pts, ShapeStyle::from(color).filled()))
            .map_err(draw_err)
    }

    pub fn circle(&self, c: (f64, f64), r: f64, color: RGBAColor) -> Res {
        let r = r.round().max(1.0) as u32;
        self.area
            .draw(&Circle::new(
                (px(c.0), px(c.1)),
                r,
                ShapeStyle::from(color).filled(),
            ))
            .map_err(draw_err)
    }

    pub fn circle_outline(&self, c: (f64, f64), r: f64, color: RGBAColor, width: f64) -> Res {
        let r = r.round().max(1.0) as u32;
        let w = width.round().max(1.0) as u32;
        self.area
            .draw(&Circle::new(
                (px(c.0), px(c.1)),
                r,
                ShapeStyle::from(color).stroke_width(w),
            ))
            .map_err(draw_err)
    }

    /// A dashed circle outline.
    pub fn dashed_circle(&self, centre: (f64, f64), r: f64, color: RGBAColor, width: f64) -> Res {
        let dash = self.pt(3.0);
        let n = ((std::f64::consts::TAU * r / dash).round() as usize).max(8) & !1;
        for k in (0..n).step_by(2) {
            let arc: Vec<(f64, f64)> = (0..=4)
                .map(|j| {
                    let a = std::f64::consts::TAU * (k as f64 + j as f64 / 4.0) / n as f64;
                    (centre.0 + r * a.cos(), centre.1 + r * a.sin())
                })
                .collect();
            self.line(&arc, color, width)?;
        }
        Ok(())
    }

    /// Diagonal hatching (lines rising to the right) inside `r`.
    pub fn hatch(&self, r: Rect, color: RGBAColor, spacing: f64, width: f64) -> Res {
        let h = r.h();
        if h <= 0.0 || r.w() <= 0.0 || spacing <= 0.0 {
            return Ok(());
        }
        // Lines closer than this merge into a flat grey.
        let spacing = spacing.max(width.max(1.0) * 3.5 + 1.0);
        // Lines from (t, y1) to (t + h, y0), clipped to x0..x1.
        let mut t = r.x0 - h + spacing / 2.0;
        while t < r.x1 {
            let s0 = ((r.x0 - t) / h).clamp(0.0, 1.0);
            let s1 = ((r.x1 - t) / h).clamp(0.0, 1.0);
            if s1 > s0 {
                self.line(
                    &[(t + s0 * h, r.y1 - s0 * h), (t + s1 * h, r.y1 - s1 * h)],
                    color,
                    width,
                )?;
            }
            t += spacing;
        }
        Ok(())
    }

    /// A series marker of radius `r` centred at `c`.
    pub fn marker(&self, m: Marker, c: (f64, f64), r: f64, color: RGBAColor) -> Res {
        let (x, y) = c;
        match m {
            Marker::Circle => self.circle(c, r, color),
            Marker::Square => {
                let d = r * 0.85;
                self.fill_rect(Rect::new(x - d, y - d, x + d, y + d), color)
            }
            Marker::TriangleUp => self.polygon(
                &[
                    (x, y - r * 1.15),
                    (x + r * 1.05, y + r * 0.75),
                    (x - r * 1.05, y + r * 0.75),
                ],
                color,
            ),
            Marker::TriangleDown => self.polygon(
                &[
                    (x, y + r * 1.15),
                    (x + r * 1.05, y - r * 0.75),
                    (x - r * 1.05, y - r * 0.75),
                ],
                color,
            ),
            Marker::Diamond => self.polygon(
                &[
                    (x, y - r * 1.2),
                    (x + r * 1.2, y),
                    (x, y + r * 1.2),
                    (x - r * 1.2, y),
                ],
                color,
            ),
        }
    }
}

/// How far the start of a line of `width` pixels is before its anchor.
fn along_offset(h: H, width: f64) -> f64 {
    match h {
        H::Left => 0.0,
        H::Center => width / 2.0,
        H::Right => width,
    }
}

/// A colour with an opacity.
pub(crate) fn alpha(c: RGBColor, a: f64) -> RGBAColor {
    RGBAColor(c.0, c.1, c.2, a)
}

/// An opaque colour: `c` laid over `bg` at `share` opacity, mixed once, so that
/// shapes drawn on top of each other never mix into a further colour.
pub(crate) fn tint(c: RGBColor, bg: RGBColor, share: f64) -> RGBAColor {
    let mix = |a: u8, b: u8| (f64::from(a) * share + f64::from(b) * (1.0 - share)).round() as u8;
    RGBAColor(mix(c.0, bg.0), mix(c.1, bg.1), mix(c.2, bg.2), 1.0)
}

/// An opaque colour.
pub(crate) fn solid(c: RGBColor) -> RGBAColor {
    RGBAColor(c.0, c.1, c.2, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lowest inked row in columns `x0..x1` of an RGB buffer `w` wide (white
    /// background), if any.
    fn lowest_ink(buf: &[u8], w: usize, x0: usize, x1: usize) -> Option<usize> {
        let h = buf.len() / (w * 3);
        (0..h).rev().find(|&y| {
            (x0..x1).any(|x| {
                let i = (y * w + x) * 3;
                buf[i] < 160
            })
        })
    }

    /// A full stop sits on the baseline with the letters, at every size: never lifted
    /// by a pixel to read as a middle dot (as plotters' own bitmap text draws it). On
    /// a whole-pixel baseline, so that anti-aliasing does not blur the comparison.
    #[test]
    fn full_stops_sit_on_the_baseline() {
        fonts::ensure().unwrap();
        for px in [9.0, 10.0, 11.0, 12.5, 14.0, 17.0] {
            {
                let dy = 0.0;
                let (w, h) = (120usize, 60usize);
                let mut buf = vec![255u8; w * h * 3];
                {
                    let area = BitMapBackend::with_buffer(&mut buf, (w as u32, h as u32))
                        .into_drawing_area();
                    let c = Canvas::new(area, Flavor::Bitmap, 1.0, Theme::new(false));
                    let font = Font {
                        px,
                        bold: false,
                        color: RGBColor(0, 0, 0),
                    };
                    c.text("x", (10.0, 30.0 + dy), &font, (H::Left, V::Bottom))
                        .unwrap();
                    c.text(".", (60.0, 30.0 + dy), &font, (H::Left, V::Bottom))
                        .unwrap();
                    c.present().unwrap();
                }
                let x = lowest_ink(&buf, w, 5, 40).expect("the x is drawn");
                let stop = lowest_ink(&buf, w, 55, 90).expect("the stop is drawn");
                assert_eq!(stop, x, "px {px}, dy {dy}: the stop's foot is on the x's");
            }
        }
    }
}
