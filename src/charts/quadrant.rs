//! The paper's question as a chart: the first objective group's index (x) against
//! the second's (y), bubble area = requirements index, colour = mechanism kind,
//! quadrant lines at a threshold. Groups are found by role, never by name; the plane
//! itself (axes, captions, legend column, labels) is `plane`'s.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Res, solid, tint};
use super::error::ChartError;
use super::frame::{Frame, draw_frame, tick_label};
use super::geom::Rect;
use super::input::{ChartInput, source_note};
use super::labels::place_labels;
use super::options::ChartOptions;
use super::plane::{Plane, Roles, short_group_name, too_few_objectives};
use crate::model::Kind;

/// A mechanism that can be plotted.
pub(super) struct Point<'a> {
    pub name: &'a str,
    pub kind: Kind,
    pub x: f64,
    pub y: f64,
    /// Bubble size (the mean requirements index), None when not computable.
    pub size: Option<f64>,
}

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    input: &ChartInput,
    opts: &ChartOptions,
) -> Res {
    let fw = &input.project.framework;
    let roles = Roles::of(fw);
    let (objectives, requirements) = (&roles.objectives, &roles.requirements);
    if objectives.len() < 2 {
        return too_few_objectives(
            c,
            "Objectives quadrant",
            input.title_suffix,
            source_note(input),
            objectives.len(),
        );
    }
    let (gx, gy) = (&fw.groups[objectives[0]], &fw.groups[objectives[1]]);
    let t = opts.quadrant_threshold;

    let mut points: Vec<Point> = Vec::new();
    let mut unplotted: Vec<&str> = Vec::new();
    for m in &input.results.mechanisms {
        let index = |g: usize| m.groups.get(g).and_then(|g| g.index);
        match (index(objectives[0]), index(objectives[1])) {
            (Some(x), Some(y)) => points.push(Point {
                name: &m.name,
                kind: m.kind,
                x,
                y,
                size: roles.bubble(index),
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
    // Mechanisms at the very same position are set side by side, and the note says so:
    // one bubble must never hide another.
    let shared = shared_positions(&points);
    notes.extend(shared_notes(&points, &shared));
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
    let plane = Plane::new(c, plot, !requirements.is_empty());

    // Legend column on the right: kinds, then bubble sizes.
    let ly = plane.draw_kinds(c)?;
    let ly = plane.draw_sizes(c, ly, hollow)?;

    // Grid, axes, ticks, the quadrant lines at the threshold, the captions.
    let (tx, _) = plane.draw_axes(
        c,
        t,
        (&format!("{} index", gx.name), &format!("{} index", gy.name)),
    )?;
    let obstacles = plane.draw_captions(c, tx, (&sx, &sy))?;

    let fill_all = requirements.is_empty();
    let unlabelled = draw_bubbles(c, &plane, &points, &shared, fill_all, &obstacles)?;
    plane.draw_unlabelled(c, &unlabelled, ly)
}

/// The groups of mechanisms that share a position (both indices within 0.05 points),
/// each in plotting order; positions held by one mechanism are left out.
pub(super) fn shared_positions(points: &[Point]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let same = |g: &Vec<usize>| {
            let q = &points[g[0]];
            (q.x - p.x).abs() < 0.05 && (q.y - p.y).abs() < 0.05
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups.retain(|g| g.len() > 1);
    groups
}

/// The note for each group of mechanisms that share a position.
pub(super) fn shared_notes(points: &[Point], shared: &[Vec<usize>]) -> Vec<String> {
    shared
        .iter()
        .map(|group| {
            let names: Vec<String> = group.iter().map(|&i| points[i].name.to_string()).collect();
            let p = &points[group[0]];
            format!(
                "Set side by side because they share a position ({}, {}): {}.",
                crate::wording::points(p.x),
                crate::wording::points(p.y),
                crate::wording::and_list(&names)
            )
        })
        .collect()
}

/// Draws the bubbles (outlines in the kind's colour; filled when they have a size or
/// `fill_all`) and their labels, avoiding `obstacles`. Mechanisms in a `shared` group
/// are set side by side. Returns the names that found no room for a label.
pub(super) fn draw_bubbles<'p, DB: DrawingBackend>(
    c: &Canvas<DB>,
    plane: &Plane,
    points: &[Point<'p>],
    shared: &[Vec<usize>],
    fill_all: bool,
    obstacles: &[Rect],
) -> Result<Vec<&'p str>, ChartError> {
    // Where each bubble is drawn: at its position, or side by side with the others
    // that share it (a bubble's own radius apart, centred on the position).
    let mut centre: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (plane.x(p.x), plane.y(p.y)))
        .collect();
    for group in shared {
        let step = group
            .iter()
            .map(|&i| plane.radius(points[i].size))
            .fold(0.0, f64::max);
        let mid = (group.len() - 1) as f64 / 2.0;
        for (k, &i) in group.iter().enumerate() {
            centre[i].0 += (k as f64 - mid) * step;
        }
    }

    // Bubbles, largest first so small ones stay visible. The fill is opaque (the
    // kind's colour lightened), so overlapping bubbles never mix into a colour that is
    // not in the legend.
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| {
        plane
            .radius(points[b].size)
            .total_cmp(&plane.radius(points[a].size))
    });
    for &i in &order {
        let p = &points[i];
        let r = plane.radius(p.size);
        let col = c.theme.kind(p.kind);
        if p.size.is_some() || fill_all {
            c.circle(centre[i], r, tint(col, c.theme.bg, 0.55))?;
        }
        c.circle_outline(centre[i], r, solid(col), c.pt(1.5))?;
    }

    // Labels: greedy placement, biggest bubbles first.
    let label_font = Plane::label_font(c);
    let requests: Vec<_> = order
        .iter()
        .map(|&i| {
            let p = &points[i];
            let mut req = plane.label_request(c, p.name, (p.x, p.y), plane.radius(p.size));
            (req.x, req.y) = centre[i];
            req
        })
        .collect();
    let placed = place_labels(&requests, obstacles, plane.label_bounds(c), c.pt(2.0));
    let mut unlabelled = Vec::new();
    for (req, (pl, &i)) in requests.iter().zip(placed.iter().zip(&order)) {
        match pl {
            Some(pl) => Plane::draw_label(c, req, pl, &label_font, solid(c.theme.muted))?,
            None => unlabelled.push(points[i].name),
        }
    }
    Ok(unlabelled)
}
