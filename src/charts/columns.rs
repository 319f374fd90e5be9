//! The columns of a mechanisms × criteria grid (the score heatmap and the spread
//! heatmap): criteria under their groups, a small gap between groups. Lays out the
//! header (group bands over criterion names reading upwards) and the columns' x, and
//! draws the header.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Font, H, Res, V, measure, solid, wrap};
use super::frame::size;
use super::geom::Rect;

/// The grid's columns and the header above them.
pub(crate) struct Columns<'a> {
    /// (group index, criterion name) per column, groups consecutive.
    criteria: Vec<(usize, &'a str)>,
    /// Group names by index.
    groups: Vec<&'a str>,
    band_font: Font,
    crit_font: Font,
    /// Lines of the tallest group band, and the bands' height.
    band_lines: usize,
    band_h: f64,
    /// Most lines a criterion name may take, and the height of the names.
    max_lines: usize,
    crit_h: f64,
    /// Top of the header.
    y0: f64,
}

/// Columns laid out across the grid: their left edges and their width.
pub(crate) struct ColumnX {
    pub x: Vec<f64>,
    pub w: f64,
}

impl<'a> Columns<'a> {
    /// Lays out the header of `criteria` (group index, name) whose groups are named
    /// by `groups`, at the top of `plot`.
    pub fn new<DB: DrawingBackend>(
        c: &Canvas<DB>,
        criteria: Vec<(usize, &'a str)>,
        groups: Vec<&'a str>,
        plot: Rect,
    ) -> Columns<'a> {
        let band_font = c.font(size::LABEL).bold();
        let crit_font = c.font(size::TICK);
        let est_cw = (plot.w() * 0.7) / criteria.len().max(1) as f64;
        let group_cols = |gi: usize| criteria.iter().filter(|(g, _)| *g == gi).count();
        // Group names wrap onto a second line when their columns are narrow.
        let band_lines = groups
            .iter()
            .enumerate()
            .filter(|(gi, _)| group_cols(*gi) > 0)
            .map(|(gi, g)| wrap(g, &band_font, est_cw * group_cols(gi) as f64 - c.pt(4.0), 2).len())
            .max()
            .unwrap_or(1)
            .max(1);
        let band_h = band_font.line_height() * band_lines as f64 + c.pt(6.0);
        // Criterion names read upwards, wrapped onto as many lines as a column holds:
        // the shortest header in which every name fits, within a cap.
        let longest = criteria
            .iter()
            .map(|(_, n)| measure(n, &crit_font))
            .fold(0.0, f64::max);
        let max_lines = ((est_cw * 0.8 / crit_font.line_height()).floor() as usize).clamp(1, 4);
        let cap = (plot.h() * 0.24).min(c.pt(150.0));
        let fits = |h: f64| {
            criteria.iter().all(|(_, n)| {
                wrap(n, &crit_font, h, max_lines)
                    .last()
                    .is_none_or(|l| !l.ends_with('…') || n.ends_with('…'))
            })
        };
        let mut text_h = (longest / max_lines as f64).min(cap);
        while text_h < cap && !fits(text_h) {
            text_h += c.pt(6.0);
        }
        let crit_h = text_h.min(cap) + c.pt(10.0);
        Columns {
            criteria,
            groups,
            band_font,
            crit_font,
            band_lines,
            band_h,
            max_lines,
            crit_h,
            y0: plot.y0,
        }
    }

    /// The top of the grid: below the header.
    pub fn grid_top(&self) -> f64 {
        self.y0 + self.band_h + self.crit_h
    }

    /// The columns between `x0` and `x1`: as wide as they can be up to a maximum,
    /// groups a gap apart.
    pub fn place<DB: DrawingBackend>(&self, c: &Canvas<DB>, x0: f64, x1: f64) -> ColumnX {
        let n_groups = {
            let mut g: Vec<usize> = self.criteria.iter().map(|(g, _)| *g).collect();
            g.dedup();
            g.len().max(1)
        };
        let group_gap = c.pt(6.0);
        let cw = ((x1 - x0 - group_gap * (n_groups as f64 - 1.0)) / self.criteria.len() as f64)
            .min(c.pt(96.0))
            .max(1.0);
        let mut xs = Vec::with_capacity(self.criteria.len());
        let mut x = x0;
        let mut prev = self.criteria.first().map(|(g, _)| *g);
        for (g, _) in &self.criteria {
            if Some(*g) != prev {
                x += group_gap;
                prev = Some(*g);
            }
            xs.push(x);
            x += cw;
        }
        ColumnX { x: xs, w: cw }
    }

    /// Draws the group bands over their (consecutive) columns and the criterion names
    /// reading upwards.
    pub fn draw_header<DB: DrawingBackend>(&self, c: &Canvas<DB>, cols: &ColumnX) -> Res {
        let (band_font, crit_font) = (&self.band_font, &self.crit_font);
        let (criteria, cw) = (&self.criteria, cols.w);
        let mut start = 0;
        while start < criteria.len() {
            let gi = criteria[start].0;
            let mut end = start;
            while end + 1 < criteria.len() && criteria[end + 1].0 == gi {
                end += 1;
            }
            let (bx0, bx1) = (cols.x[start], cols.x[end] + cw);
            let name = self.groups.get(gi).copied().unwrap_or("");
            let lines = wrap(name, band_font, bx1 - bx0 - c.pt(4.0), self.band_lines);
            let y_first =
                self.y0 + band_font.line_height() * (self.band_lines - lines.len()) as f64;
            for (li, l) in lines.iter().enumerate() {
                if l != "…" {
                    let y = y_first + band_font.line_height() * li as f64;
                    c.text(l, ((bx0 + bx1) / 2.0, y), band_font, (H::Center, V::Top))?;
                }
            }
            let yl = self.y0 + self.band_h - c.pt(3.0);
            c.line(
                &[(bx0 + 1.0, yl), (bx1 - 1.0, yl)],
                solid(c.theme.axis),
                c.pt(1.5),
            )?;
            start = end + 1;
        }
        let lines_fit =
            ((cw * 0.85 / crit_font.line_height()).floor() as usize).clamp(1, self.max_lines);
        let grid_top = self.grid_top();
        for (ci, (_, name)) in criteria.iter().enumerate() {
            let lines = wrap(name, crit_font, self.crit_h - c.pt(10.0), lines_fit);
            let n = lines.len() as f64;
            for (j, line) in lines.iter().enumerate() {
                let x =
                    cols.x[ci] + cw / 2.0 + (j as f64 - (n - 1.0) / 2.0) * crit_font.line_height();
                c.text_up(
                    line,
                    (x, grid_top - c.pt(5.0)),
                    crit_font,
                    H::Left,
                    V::Middle,
                )?;
            }
        }
        Ok(())
    }
}
