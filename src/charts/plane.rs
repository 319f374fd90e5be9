//! The plane the objectives quadrant and its arrows version share: which groups make
//! the axes and the bubble sizes (by role, never by name), the layout (a legend column
//! on the right, the axes area, bubble radii), the grid with the quadrant lines, the
//! four quadrant captions, the legend of kinds and of bubble sizes, the mechanism
//! labels, and the note naming those left unlabelled.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBAColor;

use super::canvas::{Canvas, Font, H, Res, V, alpha, fit, measure, solid, wrap};
use super::error::ChartError;
use super::frame::{Frame, draw_frame, nice_ticks, size, tick_label};
use super::geom::Rect;
use super::labels::{LabelRequest, Placement};
use super::legend::{Swatch, draw_column, draw_swatch};
use super::text::acronym;
use crate::model::{Framework, Kind, Role};

/// The groups of a framework with the roles the plane uses, in framework order.
pub(crate) struct Roles {
    /// The first two make the x and the y axis.
    pub objectives: Vec<usize>,
    /// Their mean index is a bubble's area.
    pub requirements: Vec<usize>,
}

impl Roles {
    pub fn of(fw: &Framework) -> Roles {
        let by_role = |r: Role| -> Vec<usize> {
            fw.groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.role == r)
                .map(|(i, _)| i)
                .collect()
        };
        Roles {
            objectives: by_role(Role::Objective),
            requirements: by_role(Role::Requirement),
        }
    }

    /// The mean index of the requirement groups among `index(group)`, None when
    /// there is no requirement group or none is computable.
    pub fn bubble(&self, index: impl Fn(usize) -> Option<f64>) -> Option<f64> {
        let req: Vec<f64> = self.requirements.iter().filter_map(|&g| index(g)).collect();
        (!req.is_empty()).then(|| req.iter().sum::<f64>() / req.len() as f64)
    }
}

/// The chart for a framework with fewer than two objective groups: its frame and a
/// message saying what is missing.
pub(crate) fn too_few_objectives<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    suffix: Option<&str>,
    source: String,
    objectives: usize,
) -> Res {
    let plot = draw_frame(
        c,
        &Frame {
            title,
            suffix,
            subtitle: vec![],
            notes: vec![source],
        },
    )?;
    super::frame::message(
        c,
        plot,
        &format!(
            "The quadrant needs two objective groups (criteria groups with the role \"objective\"); \
             this framework has {objectives}. Give a second group that role in the framework editor."
        ),
    )
}

/// A group name without a "Prefix: " and a leading article, for captions.
pub(crate) fn short_group_name(name: &str) -> String {
    let s = name.rsplit_once(": ").map_or(name, |(_, s)| s).trim();
    let lower = s.to_lowercase();
    let s = ["a ", "an ", "the "]
        .iter()
        .find(|a| lower.starts_with(*a))
        .map_or(s, |a| &s[a.len()..]);
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The layout of the plane inside a chart's plot rectangle.
pub(crate) struct Plane {
    /// The plot rectangle the plane was laid out in.
    pub plot: Rect,
    /// Left edge and width of the legend column.
    pub lx: f64,
    pub legend_w: f64,
    pub legend_font: Font,
    /// The axes' frame, and inside it (a bubble's radius in) the 0–100 square.
    pub area: Rect,
    inner: Rect,
    /// Radius of a bubble of index 100.
    pub r_max: f64,
    min_r: f64,
    sized: bool,
    tick_font: Font,
    axis_font: Font,
}

impl Plane {
    /// Lays out the plane in `plot`; `sized`: bubbles have sizes (the framework has a
    /// requirement group).
    pub fn new<DB: DrawingBackend>(c: &Canvas<DB>, plot: Rect, sized: bool) -> Plane {
        let legend_font = c.font(size::LABEL);
        let legend_w = (plot.w() * 0.2).clamp(c.pt(110.0), c.pt(190.0));
        let lx = plot.x1 - legend_w;
        let tick_font = c.font(size::TICK).color(c.theme.muted);
        let axis_font = c.font(size::LABEL).color(c.theme.muted);
        let left = measure("100", &tick_font) + axis_font.line_height() + c.pt(10.0);
        let bottom = tick_font.line_height() + axis_font.line_height() + c.pt(8.0);
        let area = Rect::new(plot.x0 + left, plot.y0, lx - c.pt(16.0), plot.y1 - bottom);
        let r_max = (area.w().min(area.h()) / 22.0).clamp(c.pt(6.0), c.pt(20.0));
        let inner = area.inflate(-r_max - c.pt(2.0));
        Plane {
            plot,
            lx,
            legend_w,
            legend_font,
            area,
            inner,
            r_max,
            min_r: c.pt(2.5),
            sized,
            tick_font,
            axis_font,
        }
    }

    /// The x pixel of an index value.
    pub fn x(&self, v: f64) -> f64 {
        self.inner.x0 + self.inner.w() * v.clamp(0.0, 100.0) / 100.0
    }

    /// The y pixel of an index value.
    pub fn y(&self, v: f64) -> f64 {
        self.inner.y1 - self.inner.h() * v.clamp(0.0, 100.0) / 100.0
    }

    /// The radius of a bubble of requirements index `s` (None: not computable).
    pub fn radius(&self, s: Option<f64>) -> f64 {
        match (self.sized, s) {
            (false, _) => self.r_max * 0.6,
            (true, Some(v)) => (self.r_max * (v.clamp(0.0, 100.0) / 100.0).sqrt()).max(self.min_r),
            (true, None) => self.r_max * 0.5,
        }
    }

    /// Line height of the legend column.
    pub fn lh(&self) -> f64 {
        self.legend_font.line_height()
    }

    /// A bold heading of the legend column, centred on `y`.
    pub fn heading<DB: DrawingBackend>(&self, c: &Canvas<DB>, text: &str, y: f64) -> Res {
        let head = self.legend_font.bold();
        c.text(text, (self.lx, y), &head, (H::Left, V::Middle))
    }

    /// The legend of kinds at the top of the legend column; returns the y of the line
    /// after it.
    pub fn draw_kinds<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Result<f64, ChartError> {
        let lh = self.lh();
        let y = self.plot.y0 + lh * 0.5;
        self.heading(c, "Kind", y)?;
        let entries: Vec<(Swatch, String)> = Kind::ALL
            .iter()
            .map(|k| (Swatch::Fill(c.theme.kind(*k)), k.label().to_string()))
            .collect();
        let column = Rect::new(self.lx, y + lh * 0.5, self.plot.x1, self.plot.y1);
        let below = draw_column(c, &entries, &self.legend_font, column, 1, 0.0)?;
        Ok(below + lh * 0.5)
    }

    /// The legend of bubble sizes from the line at `ly` (when bubbles have sizes),
    /// with a hollow "not computable" bubble when `hollow`; returns the y after it.
    pub fn draw_sizes<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        mut ly: f64,
        hollow: bool,
    ) -> Result<f64, ChartError> {
        if !self.sized {
            return Ok(ly);
        }
        let (lh, font) = (self.lh(), &self.legend_font);
        let (lx, r_max) = (self.lx, self.r_max);
        ly += lh * 0.6;
        self.heading(c, "Requirements", ly)?;
        ly += lh * 0.5;
        let text_x = lx + 2.0 * r_max + c.pt(8.0);
        for v in [25.0, 50.0, 100.0] {
            let r = self.radius(Some(v));
            ly += r.max(lh * 0.5);
            draw_swatch(c, Swatch::Bubble(r), lx + r_max - r, ly, font)?;
            c.text(&tick_label(v), (text_x, ly), font, (H::Left, V::Middle))?;
            ly += r.max(lh * 0.5) + c.pt(3.0);
        }
        if hollow {
            let r = self.radius(None);
            ly += r.max(lh * 0.5);
            c.circle_outline((lx + r_max, ly), r, solid(c.theme.muted), c.pt(1.5))?;
            let text = fit(
                "not computable",
                font,
                self.legend_w - 2.0 * r_max - c.pt(8.0),
            );
            c.text(&text, (text_x, ly), font, (H::Left, V::Middle))?;
        }
        Ok(ly)
    }

    /// Grid, ticks and the axis titles (0–100 on both axes; `x_title`, `y_title` get
    /// an arrow), the frame, and the dashed quadrant lines at the threshold `t`.
    /// Returns where the lines are.
    pub fn draw_axes<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        t: f64,
        (x_title, y_title): (&str, &str),
    ) -> Result<(f64, f64), ChartError> {
        let (area, tick_font, axis_font) = (self.area, &self.tick_font, &self.axis_font);
        let (tx, ty) = (self.x(t), self.y(t));
        for v in nice_ticks(0.0, 100.0, 4) {
            let (x, y) = (self.x(v), self.y(v));
            let grid = solid(c.theme.grid);
            c.line(&[(x, area.y0), (x, area.y1)], grid, c.pt(1.0))?;
            c.line(&[(area.x0, y), (area.x1, y)], grid, c.pt(1.0))?;
            let label = tick_label(v);
            let below = (x, area.y1 + c.pt(4.0));
            c.text(&label, below, tick_font, (H::Center, V::Top))?;
            let left = (area.x0 - c.pt(4.0), y);
            c.text(&label, left, tick_font, (H::Right, V::Middle))?;
        }
        c.stroke_rect(area, solid(c.theme.axis), c.pt(1.0))?;
        let xlabel = fit(&format!("{x_title} →"), axis_font, area.w());
        let xlabel_y = area.y1 + c.pt(6.0) + tick_font.line_height();
        c.text(
            &xlabel,
            (area.cx(), xlabel_y),
            axis_font,
            (H::Center, V::Top),
        )?;
        let ylabel = fit(&format!("{y_title} →"), axis_font, area.h());
        let ylabel_x =
            area.x0 - c.pt(8.0) - measure("100", tick_font) - axis_font.line_height() / 2.0;
        c.text_up(
            &ylabel,
            (ylabel_x, area.cy()),
            axis_font,
            H::Center,
            V::Middle,
        )?;

        let (line, width, dash) = (solid(c.theme.axis), c.pt(1.5), c.pt(6.0));
        c.dashed((tx, area.y0), (tx, area.y1), line, width, dash)?;
        c.dashed((area.x0, ty), (area.x1, ty), line, width, dash)?;
        Ok((tx, ty))
    }

    /// The four quadrant captions ("High on both", "`sy` only", "`sx` only", "Low on
    /// both"), each kept inside its quadrant (the vertical line is at `tx`). Returns
    /// their boxes, for the labels to avoid.
    pub fn draw_captions<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        tx: f64,
        (sx, sy): (&str, &str),
    ) -> Result<Vec<Rect>, ChartError> {
        let (area, pad) = (self.area, c.pt(6.0));
        let cap_font = c.font(size::LABEL).bold().color(c.theme.muted);
        let captions = [
            ("High on both".to_string(), H::Right, V::Top),
            (format!("{sy} only"), H::Left, V::Top),
            (format!("{sx} only"), H::Right, V::Bottom),
            ("Low on both".to_string(), H::Left, V::Bottom),
        ];
        let mut boxes = Vec::new();
        for (text, h, v) in captions {
            let x = if h == H::Left {
                area.x0 + pad
            } else {
                area.x1 - pad
            };
            let y = if v == V::Top {
                area.y0 + pad
            } else {
                area.y1 - pad
            };
            let room = match h {
                H::Left => tx - x - pad,
                _ => x - tx - pad,
            };
            let text = fit(&text, &cap_font, room.max(0.0));
            let w = measure(&text, &cap_font);
            let x0 = if h == H::Left { x } else { x - w };
            let y0 = if v == V::Top {
                y
            } else {
                y - cap_font.box_height()
            };
            boxes.push(Rect::sized(x0, y0, w, cap_font.box_height()));
            c.text(&text, (x, y), &cap_font, (h, v))?;
        }
        Ok(boxes)
    }

    /// The font of the mechanism labels.
    pub fn label_font<DB: DrawingBackend>(c: &Canvas<DB>) -> Font {
        c.font(size::TICK)
    }

    /// What the label of a bubble at index (x, y) with radius `r` may say: the name
    /// as long as there is room for, its acronym, shorter forms.
    pub fn label_request<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        name: &str,
        (x, y): (f64, f64),
        r: f64,
    ) -> LabelRequest {
        let font = Self::label_font(c);
        let max_label = (self.area.w() * 0.3).min(c.pt(240.0));
        let mut texts: Vec<String> = vec![fit(name, &font, max_label)];
        if let Some(a) = acronym(name) {
            texts.push(a);
        }
        texts.push(fit(name, &font, c.pt(130.0)));
        texts.push(fit(name, &font, c.pt(80.0)));
        texts.dedup();
        texts.retain(|t| !t.is_empty() && t != "…");
        LabelRequest {
            x: self.x(x),
            y: self.y(y),
            r,
            texts: texts
                .into_iter()
                .map(|t| {
                    let w = measure(&t, &font) + c.pt(4.0);
                    (t, w)
                })
                .collect(),
            height: font.box_height() + c.pt(2.0),
        }
    }

    /// Where labels may go: the axes' frame, a little inset.
    pub fn label_bounds<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> Rect {
        self.area.inflate(-c.pt(2.0))
    }

    /// Draws a placed label on a light plate, with a leader line in `leader` to its
    /// bubble when it stands away from it.
    pub fn draw_label<DB: DrawingBackend>(
        c: &Canvas<DB>,
        req: &LabelRequest,
        pl: &Placement,
        font: &Font,
        leader: RGBAColor,
    ) -> Res {
        if pl.leader {
            let (nx, ny) = pl.rect.nearest(req.x, req.y);
            let d = ((nx - req.x).powi(2) + (ny - req.y).powi(2))
                .sqrt()
                .max(1e-9);
            let start = (
                req.x + (nx - req.x) * req.r / d,
                req.y + (ny - req.y) * req.r / d,
            );
            c.line(&[start, (nx, ny)], leader, c.pt(1.0))?;
        }
        c.fill_rect(pl.rect, alpha(c.theme.bg, 0.7))?;
        c.text(
            &pl.text,
            (pl.rect.x0 + c.pt(2.0), pl.rect.cy()),
            font,
            (H::Left, V::Middle),
        )
    }

    /// The names left unlabelled, in the legend column below `ly`.
    pub fn draw_unlabelled<DB: DrawingBackend>(
        &self,
        c: &Canvas<DB>,
        names: &[&str],
        ly: f64,
    ) -> Res {
        if names.is_empty() {
            return Ok(());
        }
        let note_font = c.font(size::NOTE).color(c.theme.muted);
        let text = format!("Unlabelled for lack of room: {}", names.join("; "));
        let lines = wrap(&text, &note_font, self.legend_w, 8);
        let mut y = (ly + self.lh() * 1.5).max(self.plot.y0);
        for l in lines {
            if y > self.plot.y1 {
                break;
            }
            c.text(&l, (self.lx, y), &note_font, (H::Left, V::Top))?;
            y += note_font.line_height();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::short_group_name;

    #[test]
    fn captions_use_short_group_names() {
        assert_eq!(
            short_group_name("Objective: a responsible state"),
            "Responsible state"
        );
        assert_eq!(short_group_name("Influence"), "Influence");
        assert_eq!(short_group_name("The objective"), "Objective");
    }
}
