//! The objectives quadrant with arrows: each mechanism's move from its position in
//! the baseline (a ring) to its position in a scenario (a filled bubble). Same axes,
//! colours, bubbles and captions as the quadrant (first objective group against the
//! second, bubble area = requirements, by role); mechanisms that do not move are
//! drawn faint, and small moves get no arrowhead so they do not clutter.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, H, Res, V, alpha, fit, solid, tint};
use super::frame::{Frame, draw_frame, tick_label};
use super::geom::Rect;
use super::labels::place_labels;
use super::options::ChartOptions;
use super::plane::{Plane, Roles, short_group_name, too_few_objectives};
use crate::compute::compare::{Comparison, Presence};
use crate::model::{Kind, Project};

/// What the arrows chart is drawn from.
#[derive(Clone, Copy, Debug)]
pub struct ArrowsInput<'a> {
    pub project: &'a Project,
    /// The baseline and the scenario (`compute::compare::compare`).
    pub comparison: &'a Comparison,
    /// An extra line under the title, e.g. "Scores of analyst A only".
    pub title_suffix: Option<&'a str>,
}

/// A move smaller than this, in index points on both axes and in requirements, is
/// "unchanged".
const STILL: f64 = 0.05;

/// "2 of 23 mechanisms move in this plane; 1 changes only its bubble size; 20 do not
/// (faint)."
fn move_note(moved: usize, resized: usize, still: usize) -> String {
    let total = moved + resized + still;
    let mut parts = vec![format!(
        "{moved} of {total} {} in this plane",
        if total == 1 {
            "mechanism moves"
        } else if moved == 1 {
            "mechanisms moves"
        } else {
            "mechanisms move"
        }
    )];
    if resized > 0 {
        parts.push(format!(
            "{resized} {} only {} bubble size",
            if resized == 1 { "changes" } else { "change" },
            if resized == 1 { "its" } else { "their" }
        ));
    }
    parts.push(format!(
        "{still} {} not (faint)",
        if still == 1 { "does" } else { "do" }
    ));
    format!("{}.", parts.join("; "))
}

/// One mechanism's positions (index values).
struct Mover<'a> {
    name: &'a str,
    kind: Kind,
    /// (x, y, requirements) in the baseline and in the scenario, when plottable.
    from: Option<(f64, f64, Option<f64>)>,
    to: Option<(f64, f64, Option<f64>)>,
    presence: Presence,
}

impl Mover<'_> {
    fn moved(&self) -> bool {
        match (self.from, self.to) {
            (Some(a), Some(b)) => {
                let req = match (a.2, b.2) {
                    (Some(x), Some(y)) => (x - y).abs(),
                    (None, None) => 0.0,
                    _ => f64::INFINITY,
                };
                (a.0 - b.0).abs() > STILL || (a.1 - b.1).abs() > STILL || req > STILL
            }
            _ => self.presence != Presence::Both,
        }
    }

    /// Whether its place in the plane changes (or it is on one side only); a change of
    /// bubble size alone is not a move in the plane.
    fn moved_in_plane(&self) -> bool {
        match (self.from, self.to) {
            (Some(a), Some(b)) => (a.0 - b.0).abs() > STILL || (a.1 - b.1).abs() > STILL,
            _ => self.presence != Presence::Both,
        }
    }

    fn distance(&self) -> f64 {
        match (self.from, self.to) {
            (Some(a), Some(b)) => ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt(),
            _ => 0.0,
        }
    }
}

fn arrowhead<DB: DrawingBackend>(
    c: &Canvas<DB>,
    tip: (f64, f64),
    from: (f64, f64),
    col: plotters::style::RGBAColor,
) -> Res {
    let (dx, dy) = (tip.0 - from.0, tip.1 - from.1);
    let d = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / d, dy / d);
    let (l, w) = (c.pt(9.0), c.pt(3.6));
    let base = (tip.0 - ux * l, tip.1 - uy * l);
    c.polygon(
        &[
            tip,
            (base.0 - uy * w, base.1 + ux * w),
            (base.0 + uy * w, base.1 - ux * w),
        ],
        col,
    )
}

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    input: &ArrowsInput,
    opts: &ChartOptions,
) -> Res {
    let fw = &input.project.framework;
    let cmp = input.comparison;
    let roles = Roles::of(fw);
    let (objectives, requirements) = (&roles.objectives, &roles.requirements);
    let mut suffix_parts = Vec::new();
    if cmp.scenario.hypothetical {
        suffix_parts.push(format!(
            "Scenario (hypothetical): {}",
            super::bump::strip_hypothetical(&cmp.scenario.label)
        ));
    } else {
        suffix_parts.push(cmp.scenario.label.clone());
    }
    if cmp.baseline.hypothetical {
        suffix_parts.push(format!(
            "baseline: the hypothetical scenario {}",
            super::bump::strip_hypothetical(&cmp.baseline.label)
        ));
    }
    if let Some(s) = input.title_suffix {
        suffix_parts.push(s.to_string());
    }
    let suffix = suffix_parts.join(" · ");
    let source = {
        let t = input.project.info.title.trim();
        if t.is_empty() {
            "Source: Policy Workbench assessment.".to_string()
        } else {
            format!("Source: {t} (Policy Workbench).")
        }
    };
    if objectives.len() < 2 {
        return too_few_objectives(
            c,
            "Objectives quadrant: baseline → scenario",
            Some(&suffix),
            source,
            objectives.len(),
        );
    }
    let (gx, gy) = (&fw.groups[objectives[0]], &fw.groups[objectives[1]]);
    let t = opts.quadrant_threshold;

    let point = |v: &crate::compute::compare::SideValues| -> Option<(f64, f64, Option<f64>)> {
        let index = |g: usize| v.groups.get(g).copied().flatten();
        Some((
            index(objectives[0])?,
            index(objectives[1])?,
            roles.bubble(index),
        ))
    };
    let movers: Vec<Mover> = cmp
        .mechanisms
        .iter()
        .map(|m| Mover {
            name: &m.name,
            kind: m.kind,
            from: m.baseline.as_ref().and_then(point),
            to: m.scenario.as_ref().and_then(point),
            presence: m.presence,
        })
        .collect();
    let unplotted: Vec<&str> = movers
        .iter()
        .filter(|m| m.from.is_none() && m.to.is_none())
        .map(|m| m.name)
        .collect();
    let plotted = || movers.iter().filter(|m| m.from.is_some() || m.to.is_some());
    let moved = plotted().filter(|m| m.moved_in_plane()).count();
    let resized = plotted()
        .filter(|m| m.moved() && !m.moved_in_plane())
        .count();
    let still = plotted().filter(|m| !m.moved()).count();

    let bubble_meaning = match requirements.len() {
        0 => "all bubbles the same size (the framework has no requirement group)".to_string(),
        1 => format!(
            "bubble area = {} index in the scenario",
            fw.groups[requirements[0]].name
        ),
        n => format!("bubble area = mean of the {n} requirement group indices in the scenario"),
    };
    let mut notes = Vec::new();
    notes.push(move_note(moved, resized, still));
    let only = |p: Presence| -> Vec<&str> {
        movers
            .iter()
            .filter(|m| m.presence == p)
            .map(|m| m.name)
            .collect()
    };
    let gone = only(Presence::BaselineOnly);
    if !gone.is_empty() {
        notes.push(format!(
            "In the baseline only (ring with a cross): {}.",
            gone.join("; ")
        ));
    }
    let added = only(Presence::ScenarioOnly);
    if !added.is_empty() {
        notes.push(format!(
            "In the scenario only (bubble without a ring): {}.",
            added.join("; ")
        ));
    }
    if !unplotted.is_empty() {
        notes.push(format!(
            "Not plotted (an objective index is not computable on either side): {}.",
            unplotted.join("; ")
        ));
    }
    notes.push(source);
    let (sx, sy) = (short_group_name(&gx.name), short_group_name(&gy.name));
    let frame = Frame {
        title: &format!("{sx} × {sy}: how the mechanisms move"),
        suffix: Some(&suffix),
        subtitle: vec![format!(
            "Arrows from each mechanism's position in the baseline (small ring; dashed: its bubble there) to its position in the scenario (bubble). \
             Group indices 0–100: x = {}, y = {}; {bubble_meaning}; colour = kind. Lines at {}.",
            gx.name,
            gy.name,
            tick_label(t)
        )],
        notes,
    };
    let plot = draw_frame(c, &frame)?;

    let plane = Plane::new(c, plot, !requirements.is_empty());
    let (x_of, y_of) = (|v: f64| plane.x(v), |v: f64| plane.y(v));
    let radius = |s: Option<f64>| plane.radius(s);

    // Legend column on the right: kinds, positions, bubble sizes.
    let mut ly = plane.draw_kinds(c)?;
    let (lh, legend_font) = (plane.lh(), plane.legend_font);
    let (lx, r_max) = (plane.lx, plane.r_max);
    ly += lh * 0.6;
    plane.heading(c, "Position", ly)?;
    ly += lh;
    let sample_r = legend_font.px * 0.5;
    let grey = c.theme.muted;
    let text_x = lx + 2.0 * r_max.max(sample_r) + c.pt(8.0);
    let legend_text = |s: &str, y: f64| -> Res {
        let t = fit(s, &legend_font, plot.x1 - text_x);
        c.text(&t, (text_x, y), &legend_font, (H::Left, V::Middle))
    };
    let cx = lx + r_max.max(sample_r);
    c.dashed_circle((cx, ly), sample_r * 1.6, alpha(grey, 0.75), c.pt(1.0))?;
    c.circle((cx, ly), c.pt(3.2), solid(c.theme.bg))?;
    c.circle_outline((cx, ly), c.pt(3.2), solid(grey), c.pt(1.5))?;
    legend_text("baseline", ly)?;
    ly += lh;
    c.circle((cx, ly), sample_r, alpha(grey, 0.55))?;
    c.circle_outline((cx, ly), sample_r, solid(grey), c.pt(1.5))?;
    legend_text("scenario", ly)?;
    ly += lh;
    c.circle((cx, ly), sample_r, alpha(grey, 0.15))?;
    c.circle_outline((cx, ly), sample_r, alpha(grey, 0.35), c.pt(1.0))?;
    legend_text("unchanged", ly)?;
    ly += lh;
    let ly = plane.draw_sizes(c, ly, false)?;

    // Grid, axes, ticks, the quadrant lines at the threshold, the captions.
    let (tx, _) = plane.draw_axes(
        c,
        t,
        (&format!("{} index", gx.name), &format!("{} index", gy.name)),
    )?;
    let mut obstacles = plane.draw_captions(c, tx, (&sx, &sy))?;

    // Faint: the mechanisms that do not move (largest first).
    let mut still_idx: Vec<usize> = (0..movers.len())
        .filter(|&i| !movers[i].moved() && movers[i].to.is_some())
        .collect();
    still_idx.sort_by(|&a, &b| {
        radius(movers[b].to.and_then(|p| p.2)).total_cmp(&radius(movers[a].to.and_then(|p| p.2)))
    });
    for &i in &still_idx {
        let m = &movers[i];
        let Some((x, y, s)) = m.to else { continue };
        let col = c.theme.kind(m.kind);
        let r = radius(s);
        c.circle((x_of(x), y_of(y)), r, tint(col, c.theme.bg, 0.15))?;
        c.circle_outline((x_of(x), y_of(y)), r, alpha(col, 0.35), c.pt(1.0))?;
    }

    // The movers: rings, arrows, bubbles; the longest moves first, so that short
    // ones stay on top.
    let mut moving: Vec<usize> = (0..movers.len())
        .filter(|&i| movers[i].moved() && (movers[i].from.is_some() || movers[i].to.is_some()))
        .collect();
    moving.sort_by(|&a, &b| {
        movers[b]
            .distance()
            .total_cmp(&movers[a].distance())
            .then(a.cmp(&b))
    });
    let tail_r = c.pt(3.2);
    for &i in &moving {
        let m = &movers[i];
        let col = c.theme.kind(m.kind);
        if let Some((x, y, s)) = m.from {
            let (px, py) = (x_of(x), y_of(y));
            let r = radius(s);
            c.dashed_circle((px, py), r, alpha(col, 0.75), c.pt(1.0))?;
            obstacles.push(Rect::new(
                px - tail_r,
                py - tail_r,
                px + tail_r,
                py + tail_r,
            ));
            if m.to.is_none() {
                // Gone in the scenario: a cross in the ring.
                let k = r * 0.6;
                c.line(&[(px - k, py - k), (px + k, py + k)], solid(col), c.pt(1.5))?;
                c.line(&[(px - k, py + k), (px + k, py - k)], solid(col), c.pt(1.5))?;
            }
        }
        if let (Some(a), Some(b)) = (m.from, m.to) {
            let (ax, ay) = (x_of(a.0), y_of(a.1));
            let (bx, by) = (x_of(b.0), y_of(b.1));
            let rb = radius(b.2);
            let d = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
            let head = c.pt(9.0);
            // From the baseline point to the bubble's edge: with a head when there is
            // room for one, a plain stroke for a short move, nothing when the point
            // lies inside the bubble.
            if d > tail_r + rb + c.pt(2.0) {
                let (ux, uy) = ((bx - ax) / d, (by - ay) / d);
                let start = (ax + ux * tail_r, ay + uy * tail_r);
                let tip = (bx - ux * (rb + c.pt(1.0)), by - uy * (rb + c.pt(1.0)));
                let long = d - tail_r - rb > head * 1.6;
                let end = if long {
                    (tip.0 - ux * head * 0.8, tip.1 - uy * head * 0.8)
                } else {
                    tip
                };
                c.line(&[start, end], alpha(col, 0.9), c.pt(1.8))?;
                if long {
                    arrowhead(c, tip, start, alpha(col, 0.95))?;
                }
                // Keep labels off the shaft.
                let steps = ((d / c.pt(8.0)).ceil() as usize).max(1);
                let k = c.pt(2.5);
                for s in 0..=steps {
                    let f = s as f64 / steps as f64;
                    let p = (
                        start.0 + (tip.0 - start.0) * f,
                        start.1 + (tip.1 - start.1) * f,
                    );
                    obstacles.push(Rect::new(p.0 - k, p.1 - k, p.0 + k, p.1 + k));
                }
            }
        }
    }
    for &i in &moving {
        let m = &movers[i];
        let Some((x, y, s)) = m.to else { continue };
        let col = c.theme.kind(m.kind);
        let r = radius(s);
        let p = (x_of(x), y_of(y));
        if s.is_some() || requirements.is_empty() {
            c.circle(p, r, tint(col, c.theme.bg, 0.55))?;
        }
        c.circle_outline(p, r, solid(col), c.pt(1.5))?;
    }
    // The baseline points on top, so that one inside its bubble still shows.
    for &i in &moving {
        let m = &movers[i];
        let Some((x, y, _)) = m.from else { continue };
        let col = c.theme.kind(m.kind);
        let p = (x_of(x), y_of(y));
        c.circle(p, tail_r, solid(c.theme.bg))?;
        c.circle_outline(p, tail_r, solid(col), c.pt(1.5))?;
    }

    // Labels: movers first (longest moves first), then the faint ones if there is room.
    let label_font = Plane::label_font(c);
    let faint_font = label_font.color(c.theme.muted);
    let mut order: Vec<(usize, bool)> = moving.iter().map(|&i| (i, true)).collect();
    order.extend(still_idx.iter().map(|&i| (i, false)));
    let requests: Vec<_> = order
        .iter()
        .map(|&(i, _)| {
            let m = &movers[i];
            let (x, y, s) = m.to.or(m.from).expect("plotted");
            plane.label_request(c, m.name, (x, y), radius(s))
        })
        .collect();
    let placed = place_labels(&requests, &obstacles, plane.label_bounds(c), c.pt(2.0));
    let mut unlabelled = Vec::new();
    for (req, (pl, &(i, is_mover))) in requests.iter().zip(placed.iter().zip(&order)) {
        match pl {
            Some(pl) if is_mover => {
                Plane::draw_label(c, req, pl, &label_font, solid(c.theme.muted))?
            }
            Some(pl) => Plane::draw_label(c, req, pl, &faint_font, alpha(c.theme.muted, 0.5))?,
            None if is_mover => unlabelled.push(movers[i].name),
            None => {}
        }
    }
    plane.draw_unlabelled(c, &unlabelled, ly)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mover(from: (f64, f64, Option<f64>), to: (f64, f64, Option<f64>)) -> Mover<'static> {
        Mover {
            name: "m",
            kind: Kind::Bilateral,
            from: Some(from),
            to: Some(to),
            presence: Presence::Both,
        }
    }

    #[test]
    fn a_bubble_that_only_grows_does_not_move_in_the_plane() {
        let resized = mover((50.0, 40.0, Some(60.0)), (50.0, 40.0, Some(80.0)));
        assert!(resized.moved() && !resized.moved_in_plane());
        let moved = mover((50.0, 40.0, Some(60.0)), (42.0, 40.0, Some(60.0)));
        assert!(moved.moved() && moved.moved_in_plane());
        let still = mover((50.0, 40.0, Some(60.0)), (50.02, 40.0, Some(60.0)));
        assert!(!still.moved() && !still.moved_in_plane());
    }

    #[test]
    fn the_note_counts_moves_and_resizes_apart() {
        assert_eq!(
            move_note(1, 1, 21),
            "1 of 23 mechanisms moves in this plane; 1 changes only its bubble size; 21 do not (faint)."
        );
        assert_eq!(
            move_note(2, 0, 21),
            "2 of 23 mechanisms move in this plane; 21 do not (faint)."
        );
        assert_eq!(
            move_note(0, 2, 1),
            "0 of 3 mechanisms move in this plane; 2 change only their bubble size; 1 does not (faint)."
        );
    }
}
