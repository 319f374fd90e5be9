//! The paper's question as a chart: the first objective group's index (x) against
//! the second's (y), bubble area = requirements index, colour = mechanism kind,
//! quadrant lines at a threshold. Groups are found by role, never by name.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, H, Res, V, alpha, fit, measure, solid};
use super::frame::{
    Frame, Swatch, draw_frame, draw_swatch, nice_ticks, size, swatch_width, tick_label,
};
use super::geom::Rect;
use super::labels::{LabelRequest, place_labels};
use super::{ChartInput, ChartOptions, acronym, source_note};
use crate::model::{Kind, Role};

/// A mechanism that can be plotted.
struct Point<'a> {
    name: &'a str,
    kind: Kind,
    x: f64,
    y: f64,
    /// Mean requirements index, None when not computable.
    size: Option<f64>,
}

/// A group name without a "Prefix: " and a leading article, for captions.
fn short_group_name(name: &str) -> String {
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

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    input: &ChartInput,
    opts: &ChartOptions,
) -> Res {
    let fw = &input.project.framework;
    let objectives: Vec<usize> = fw
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.role == Role::Objective)
        .map(|(i, _)| i)
        .collect();
    let requirements: Vec<usize> = fw
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.role == Role::Requirement)
        .map(|(i, _)| i)
        .collect();
    if objectives.len() < 2 {
        let plot = draw_frame(
            c,
            &Frame {
                title: "Objectives quadrant",
                suffix: input.title_suffix,
                subtitle: vec![],
                notes: vec![source_note(input)],
            },
        )?;
        return super::frame::message(
            c,
            plot,
            &format!(
                "The quadrant needs two objective groups (criteria groups with the role \"objective\"); \
                 this framework has {}. Give a second group that role in the framework editor.",
                objectives.len()
            ),
        );
    }
    let (gx, gy) = (&fw.groups[objectives[0]], &fw.groups[objectives[1]]);
    let t = opts.quadrant_threshold;

    let mut points: Vec<Point> = Vec::new();
    let mut unplotted: Vec<&str> = Vec::new();
    for m in &input.results.mechanisms {
        let ix = m.groups.get(objectives[0]).and_then(|g| g.index);
        let iy = m.groups.get(objectives[1]).and_then(|g| g.index);
        let req: Vec<f64> = requirements
            .iter()
            .filter_map(|&gi| m.groups.get(gi).and_then(|g| g.index))
            .collect();
        let size = (!req.is_empty()).then(|| req.iter().sum::<f64>() / req.len() as f64);
        match (ix, iy) {
            (Some(x), Some(y)) => points.push(Point {
                name: &m.name,
                kind: m.kind,
                x,
                y,
                size,
            }),
            _ => unplotted.push(&m.name),
        }
    }

    let bubble_meaning = match requirements.len() {
        0 => "all bubbles the same size (the framework has no requirement group)".to_string(),
        1 => format!("bubble area = {} index", fw.groups[requirements[0]].name),
        n => format!("bubble area = mean of the {n} requirement group indices"),
    };
    let mut notes = Vec::new();
    if !unplotted.is_empty() {
        notes.push(format!(
            "Not plotted ({} of {}; an objective index is not computable, too little assessed): {}.",
            unplotted.len(),
            input.results.mechanisms.len(),
            unplotted.join("; ")
        ));
    }
    let hollow = !requirements.is_empty() && points.iter().any(|p| p.size.is_none());
    notes.push(source_note(input));
    let (sx, sy) = (short_group_name(&gx.name), short_group_name(&gy.name));
    let frame = Frame {
        title: &format!("{sx} × {sy}: where the mechanisms sit"),
        suffix: input.title_suffix,
        subtitle: vec![format!(
            "Group indices 0–100: x = {}, y = {}; {bubble_meaning}; colour = kind of mechanism. Lines at {}.",
            gx.name,
            gy.name,
            tick_label(t)
        )],
        notes,
    };
    let plot = draw_frame(c, &frame)?;

    // Legend column on the right: kinds, then bubble sizes.
    let legend_font = c.font(size::LABEL);
    let lh = legend_font.line_height();
    let legend_w = (plot.w() * 0.2).clamp(c.pt(110.0), c.pt(190.0));
    let lx = plot.x1 - legend_w;
    let mut ly = plot.y0 + lh * 0.5;
    let head = legend_font.bold();
    c.text("Kind", (lx, ly), &head, (H::Left, V::Middle))?;
    ly += lh;
    for k in Kind::ALL {
        let s = Swatch::Fill(c.theme.kind(k));
        draw_swatch(c, s, lx, ly, &legend_font)?;
        c.text(
            k.label(),
            (lx + swatch_width(c, &legend_font, s), ly),
            &legend_font,
            (H::Left, V::Middle),
        )?;
        ly += lh;
    }

    // Axes area.
    let tick_font = c.font(size::TICK).color(c.theme.muted);
    let axis_font = c.font(size::LABEL).color(c.theme.muted);
    let left = measure("100", &tick_font) + axis_font.line_height() + c.pt(10.0);
    let bottom = tick_font.line_height() + axis_font.line_height() + c.pt(8.0);
    let area = Rect::new(plot.x0 + left, plot.y0, lx - c.pt(16.0), plot.y1 - bottom);
    let r_max = (area.w().min(area.h()) / 22.0).clamp(c.pt(6.0), c.pt(20.0));
    let inner = area.inflate(-r_max - c.pt(2.0));
    let x_of = |v: f64| inner.x0 + inner.w() * v.clamp(0.0, 100.0) / 100.0;
    let y_of = |v: f64| inner.y1 - inner.h() * v.clamp(0.0, 100.0) / 100.0;
    let radius = |s: Option<f64>| match (requirements.is_empty(), s) {
        (true, _) => r_max * 0.6,
        (false, Some(v)) => (r_max * (v.clamp(0.0, 100.0) / 100.0).sqrt()).max(c.pt(2.5)),
        (false, None) => r_max * 0.5,
    };

    // Bubble size legend.
    if !requirements.is_empty() {
        ly += lh * 0.6;
        c.text("Requirements", (lx, ly), &head, (H::Left, V::Middle))?;
        ly += lh * 0.5;
        for v in [25.0, 50.0, 100.0] {
            let r = radius(Some(v));
            ly += r.max(lh * 0.5);
            draw_swatch(c, Swatch::Bubble(r), lx + r_max - r, ly, &legend_font)?;
            c.text(
                &tick_label(v),
                (lx + 2.0 * r_max + c.pt(8.0), ly),
                &legend_font,
                (H::Left, V::Middle),
            )?;
            ly += r.max(lh * 0.5) + c.pt(3.0);
        }
        if hollow {
            let r = radius(None);
            ly += r.max(lh * 0.5);
            c.circle_outline((lx + r_max, ly), r, solid(c.theme.muted), c.pt(1.5))?;
            let text = fit(
                "not computable",
                &legend_font,
                legend_w - 2.0 * r_max - c.pt(8.0),
            );
            c.text(
                &text,
                (lx + 2.0 * r_max + c.pt(8.0), ly),
                &legend_font,
                (H::Left, V::Middle),
            )?;
        }
    }

    // Grid, axes, ticks, and the quadrant lines at the threshold.
    let (tx, ty) = draw_plane(
        c,
        area,
        &x_of,
        &y_of,
        t,
        (&gx.name, &gy.name),
        (&tick_font, &axis_font),
    )?;
    let cap_font = c.font(size::LABEL).bold().color(c.theme.muted);
    let pad = c.pt(6.0);
    let mut obstacles: Vec<Rect> = Vec::new();
    let captions = [
        (
            "High on both".to_string(),
            H::Right,
            V::Top,
            area.x1 - pad,
            area.y0 + pad,
            tx,
            ty,
        ),
        (
            format!("{sy} only"),
            H::Left,
            V::Top,
            area.x0 + pad,
            area.y0 + pad,
            tx,
            ty,
        ),
        (
            format!("{sx} only"),
            H::Right,
            V::Bottom,
            area.x1 - pad,
            area.y1 - pad,
            tx,
            ty,
        ),
        (
            "Low on both".to_string(),
            H::Left,
            V::Bottom,
            area.x0 + pad,
            area.y1 - pad,
            tx,
            ty,
        ),
    ];
    for (text, h, v, x, y, tx, _) in captions {
        // A caption must stay inside its quadrant.
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
        obstacles.push(Rect::sized(x0, y0, w, cap_font.box_height()));
        c.text(&text, (x, y), &cap_font, (h, v))?;
    }

    // Bubbles, largest first so small ones stay visible.
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| radius(points[b].size).total_cmp(&radius(points[a].size)));
    for &i in &order {
        let p = &points[i];
        let (x, y) = (x_of(p.x), y_of(p.y));
        let r = radius(p.size);
        let col = c.theme.kind(p.kind);
        if p.size.is_some() || requirements.is_empty() {
            c.circle((x, y), r, alpha(col, 0.55))?;
            c.circle_outline((x, y), r, solid(col), c.pt(1.5))?;
        } else {
            c.circle_outline((x, y), r, solid(col), c.pt(1.5))?;
        }
    }

    // Labels: greedy placement, biggest bubbles first.
    let label_font = c.font(size::TICK);
    let max_label = (area.w() * 0.3).min(c.pt(240.0));
    let requests: Vec<LabelRequest> = order
        .iter()
        .map(|&i| {
            let p = &points[i];
            let mut texts: Vec<String> = vec![fit(p.name, &label_font, max_label)];
            if let Some(a) = acronym(p.name) {
                texts.push(a);
            }
            texts.push(fit(p.name, &label_font, c.pt(130.0)));
            texts.push(fit(p.name, &label_font, c.pt(80.0)));
            texts.dedup();
            texts.retain(|t| !t.is_empty() && t != "…");
            LabelRequest {
                x: x_of(p.x),
                y: y_of(p.y),
                r: radius(p.size),
                texts: texts
                    .into_iter()
                    .map(|t| {
                        let w = measure(&t, &label_font) + c.pt(4.0);
                        (t, w)
                    })
                    .collect(),
                height: label_font.box_height() + c.pt(2.0),
            }
        })
        .collect();
    let placed = place_labels(&requests, &obstacles, area.inflate(-c.pt(2.0)), c.pt(2.0));
    let mut unlabelled = Vec::new();
    for (req, (pl, &i)) in requests.iter().zip(placed.iter().zip(&order)) {
        let Some(pl) = pl else {
            unlabelled.push(points[i].name);
            continue;
        };
        if pl.leader {
            let (nx, ny) = pl.rect.nearest(req.x, req.y);
            let d = ((nx - req.x).powi(2) + (ny - req.y).powi(2))
                .sqrt()
                .max(1e-9);
            let start = (
                req.x + (nx - req.x) * req.r / d,
                req.y + (ny - req.y) * req.r / d,
            );
            c.line(&[start, (nx, ny)], solid(c.theme.muted), c.pt(1.0))?;
        }
        c.fill_rect(pl.rect, alpha(c.theme.bg, 0.7))?;
        c.text(
            &pl.text,
            (pl.rect.x0 + c.pt(2.0), pl.rect.cy()),
            &label_font,
            (H::Left, V::Middle),
        )?;
    }
    if !unlabelled.is_empty() {
        let note_font = c.font(size::NOTE).color(c.theme.muted);
        let text = format!("Unlabelled for lack of room: {}", unlabelled.join("; "));
        let lines = super::canvas::wrap(&text, &note_font, legend_w, 8);
        let mut y = (ly + lh * 1.5).max(plot.y0);
        for l in lines {
            if y > plot.y1 {
                break;
            }
            c.text(&l, (lx, y), &note_font, (H::Left, V::Top))?;
            y += note_font.line_height();
        }
    }
    Ok(())
}

/// The plane shared by the quadrant and the arrows chart: grid, ticks and axis labels
/// (0–100 on both axes), the frame, and the dashed quadrant lines at the threshold `t`.
/// Returns where the lines are.
#[allow(clippy::too_many_arguments)]
pub(super) fn draw_plane<DB: DrawingBackend>(
    c: &Canvas<DB>,
    area: Rect,
    x_of: &dyn Fn(f64) -> f64,
    y_of: &dyn Fn(f64) -> f64,
    t: f64,
    (x_name, y_name): (&str, &str),
    (tick_font, axis_font): (&super::canvas::Font, &super::canvas::Font),
) -> Result<(f64, f64), super::ChartError> {
    let (tx, ty) = (x_of(t), y_of(t));
    for v in nice_ticks(0.0, 100.0, 4) {
        let (x, y) = (x_of(v), y_of(v));
        c.line(
            &[(x, area.y0), (x, area.y1)],
            solid(c.theme.grid),
            c.pt(1.0),
        )?;
        c.line(
            &[(area.x0, y), (area.x1, y)],
            solid(c.theme.grid),
            c.pt(1.0),
        )?;
        c.text(
            &tick_label(v),
            (x, area.y1 + c.pt(4.0)),
            tick_font,
            (H::Center, V::Top),
        )?;
        c.text(
            &tick_label(v),
            (area.x0 - c.pt(4.0), y),
            tick_font,
            (H::Right, V::Middle),
        )?;
    }
    c.stroke_rect(area, solid(c.theme.axis), c.pt(1.0))?;
    let xlabel = fit(&format!("{x_name} index →"), axis_font, area.w());
    c.text(
        &xlabel,
        (area.cx(), area.y1 + c.pt(6.0) + tick_font.line_height()),
        axis_font,
        (H::Center, V::Top),
    )?;
    let ylabel = fit(&format!("{y_name} index →"), axis_font, area.h());
    let ylabel_x = area.x0 - c.pt(8.0) - measure("100", tick_font) - axis_font.line_height() / 2.0;
    c.text_up(
        &ylabel,
        (ylabel_x, area.cy()),
        axis_font,
        H::Center,
        V::Middle,
    )?;

    c.dashed(
        (tx, area.y0),
        (tx, area.y1),
        solid(c.theme.axis),
        c.pt(1.5),
        c.pt(6.0),
    )?;
    c.dashed(
        (area.x0, ty),
        (area.x1, ty),
        solid(c.theme.axis),
        c.pt(1.5),
        c.pt(6.0),
    )?;
    Ok((tx, ty))
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
