//! Radar profile of a few mechanisms: one spoke per criterion (position on the
//! criterion's scale) or per criteria group (index / 100), one outline per mechanism.
//! Missing values leave a gap in the outline; they are never drawn at 0.

use std::f64::consts::PI;

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, H, Marker, Res, V, solid, wrap};
use super::frame::{Frame, draw_frame, size, tick_label};
use super::geom::Rect;
use super::input::{ChartInput, by_rank, source_note};
use super::legend::{Swatch, draw_column};
use super::options::ChartOptions;
use crate::compute::MechanismResult;
use crate::model::{Direction, Role};

/// Most outlines one radar shows.
pub(crate) const MAX_SERIES: usize = 8;
/// Outlines shown when none are chosen.
pub(crate) const DEFAULT_SERIES: usize = 5;

struct Spoke {
    label: String,
}

struct Series<'a> {
    m: &'a MechanismResult,
    /// One value per spoke in [0, 1], None when missing.
    values: Vec<Option<f64>>,
}

/// The colour slot of each of `ids`: its rank by place in the project's list of
/// mechanisms (mechanisms a scenario adds come after, in the order given).
fn colour_slots(project: &crate::model::Project, ids: &[&str]) -> Vec<usize> {
    let place = |id: &str| {
        project
            .mechanisms
            .iter()
            .position(|m| m.id == id)
            .unwrap_or(usize::MAX)
    };
    let keys: Vec<(usize, usize)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (place(id), i))
        .collect();
    keys.iter()
        .map(|k| keys.iter().filter(|o| *o < k).count())
        .collect()
}

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    input: &ChartInput,
    opts: &ChartOptions,
) -> Res {
    let fw = &input.project.framework;
    let chosen: Vec<&MechanismResult> = opts
        .mechanisms
        .iter()
        .filter_map(|id| input.results.mechanisms.iter().find(|m| &m.id == id))
        .collect();
    let defaulted = chosen.is_empty();
    let mut picked: Vec<&MechanismResult> = if defaulted {
        // The first five, and every mechanism tied with the fifth: a tie is never cut
        // by list order.
        let ranked: Vec<&MechanismResult> = by_rank(input.results)
            .into_iter()
            .filter(|m| m.total.is_some() && m.rank.is_some())
            .collect();
        let cutoff = ranked
            .get(DEFAULT_SERIES - 1)
            .and_then(|m| m.rank)
            .unwrap_or(usize::MAX);
        ranked
            .into_iter()
            .take_while(|m| m.rank.is_some_and(|r| r <= cutoff))
            .collect()
    } else {
        chosen.clone()
    };
    let dropped = picked.len().saturating_sub(MAX_SERIES);
    picked.truncate(MAX_SERIES);

    let over_groups = opts.radar_over_groups;
    let (spokes, series, ring_labels) = if over_groups {
        let spokes: Vec<Spoke> = fw
            .groups
            .iter()
            .map(|g| Spoke {
                label: if g.role == Role::Concern {
                    format!("{} (higher = more concern)", g.name)
                } else {
                    g.name.clone()
                },
            })
            .collect();
        let series: Vec<Series> = picked
            .iter()
            .map(|m| Series {
                m,
                values: m
                    .groups
                    .iter()
                    .map(|g| g.index.map(|v| v / 100.0))
                    .collect(),
            })
            .collect();
        let rings: Vec<String> = [25.0, 50.0, 75.0, 100.0]
            .iter()
            .map(|v| tick_label(*v))
            .collect();
        (spokes, series, rings)
    } else {
        let criteria: Vec<&crate::model::Criterion> = fw.criteria().map(|(_, c)| c).collect();
        let spokes: Vec<Spoke> = criteria
            .iter()
            .map(|cr| Spoke {
                label: if cr.direction == Direction::Cost {
                    format!("{} (cost)", cr.name)
                } else {
                    cr.name.clone()
                },
            })
            .collect();
        let series: Vec<Series> = picked
            .iter()
            .map(|m| {
                let row = input
                    .matrix
                    .rows
                    .iter()
                    .position(|r| r.mechanism_id == m.id);
                let values = criteria
                    .iter()
                    .enumerate()
                    .map(|(ci, cr)| {
                        row.and_then(|ri| input.matrix.cells[ri][ci].value.number())
                            .map(|v| cr.scale.normalise(v))
                    })
                    .collect();
                Series { m, values }
            })
            .collect();
        // Ring labels in scale units when every criterion has the same scale.
        let same_scale = criteria
            .windows(2)
            .all(|w| w[0].scale.min == w[1].scale.min && w[0].scale.max == w[1].scale.max);
        let rings: Vec<String> = match criteria.first() {
            Some(cr) if same_scale => [0.25, 0.5, 0.75, 1.0]
                .iter()
                .map(|f| {
                    tick_label(f64::from(cr.scale.min) + f * f64::from(cr.scale.max - cr.scale.min))
                })
                .collect(),
            _ => ["25 %", "50 %", "75 %", "100 %"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        (spokes, series, rings)
    };

    let mut subtitle = vec![if over_groups {
        "Each spoke is a group index (0–100). Further out = stronger; for concern groups, further out = more concern."
            .to_string()
    } else {
        "Each spoke is a criterion; the outer ring is the top of its scale. For cost criteria, marked (cost), further out = worse."
            .to_string()
    }];
    if defaulted {
        subtitle.push(format!(
            "Showing the {} mechanisms with the highest composite total (ties with the fifth included).",
            series.len()
        ));
    }
    let mut notes = Vec::new();
    if series.iter().any(|s| s.values.iter().any(|v| v.is_none())) {
        notes.push(
            "A gap in an outline marks a value not assessed, not applicable or not computable; it is never drawn as 0."
                .to_string(),
        );
    }
    if dropped > 0 {
        notes.push(format!(
            "{dropped} more chosen mechanisms are not shown: a radar stays readable with at most {MAX_SERIES}."
        ));
    }
    notes.push(source_note(input));
    let frame = Frame {
        title: if over_groups {
            "Mechanism profiles across the group indices"
        } else {
            "Mechanism profiles across the criteria"
        },
        suffix: input.title_suffix,
        subtitle,
        notes,
    };
    let plot = draw_frame(c, &frame)?;
    if spokes.len() < 3 {
        return super::frame::message(
            c,
            plot,
            "A radar needs at least three spokes: the framework has too few criteria (or groups) for it.",
        );
    }
    if series.is_empty() {
        return super::frame::message(
            c,
            plot,
            "No mechanism to show: choose mechanisms, or assess enough criteria for a composite total.",
        );
    }

    // Colours and markers follow the mechanism (its place in the project among those
    // drawn), not its rank: the same mechanisms keep their colours from the base
    // assessment to a scenario. The legend stays in rank order.
    let ids: Vec<&str> = series.iter().map(|s| s.m.id.as_str()).collect();
    let slots = colour_slots(input.project, &ids);
    // Legend: to the right on wide canvases, underneath otherwise.
    let legend_font = c.font(size::LABEL);
    let entries: Vec<(Swatch, String)> = series
        .iter()
        .zip(&slots)
        .map(|(s, &k)| {
            (
                Swatch::Line(c.theme.series(k), Marker::nth(k)),
                s.m.name.clone(),
            )
        })
        .collect();
    let area = if plot.w() > plot.h() * 1.25 {
        let lw = (plot.w() * 0.3).min(c.pt(300.0));
        draw_column(
            c,
            &entries,
            &legend_font,
            Rect::new(plot.x1 - lw, plot.y0, plot.x1, plot.y1),
            2,
            legend_font.line_height() * 0.35,
        )?;
        Rect::new(plot.x0, plot.y0, plot.x1 - lw - c.pt(12.0), plot.y1)
    } else {
        let lh = legend_font.line_height() * 1.2;
        let h = lh * entries.len() as f64;
        draw_column(
            c,
            &entries,
            &legend_font,
            Rect::new(plot.x0, plot.y1 - h, plot.x1, plot.y1),
            2,
            legend_font.line_height() * 0.35,
        )?;
        Rect::new(plot.x0, plot.y0, plot.x1, plot.y1 - h - c.pt(8.0))
    };

    // Geometry: room for spoke labels around the web.
    let label_font = c.font(size::LABEL - 0.5);
    let lab_w = (area.w() * 0.2).min(c.pt(160.0));
    let lab_v = label_font.line_height() * 2.6;
    let radius = ((area.w() - 2.0 * lab_w) / 2.0)
        .min((area.h() - 2.0 * lab_v) / 2.0)
        .max(c.pt(20.0));
    let (cx, cy) = (area.cx(), area.cy());
    let n = spokes.len();
    let angle = |k: usize| -PI / 2.0 + 2.0 * PI * k as f64 / n as f64;
    let at = |k: usize, f: f64| {
        let a = angle(k);
        (cx + radius * f * a.cos(), cy + radius * f * a.sin())
    };

    // Web: rings and spokes.
    for (ri, f) in [0.25, 0.5, 0.75, 1.0].iter().enumerate() {
        let mut pts: Vec<(f64, f64)> = (0..n).map(|k| at(k, *f)).collect();
        pts.push(pts[0]);
        let col = if ri == 3 { c.theme.axis } else { c.theme.grid };
        c.line(&pts, solid(col), c.pt(1.0))?;
    }
    for k in 0..n {
        c.line(&[(cx, cy), at(k, 1.0)], solid(c.theme.grid), c.pt(1.0))?;
    }
    let tick_font = c.font(size::TICK - 1.0).color(c.theme.muted);
    // Ring values between the first and the last spoke, clear of both labels.
    for (ri, f) in [0.25, 0.5, 0.75, 1.0].iter().enumerate() {
        let (a, b) = (at(0, *f), at(n - 1, *f));
        let (x, y) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        c.text(
            &ring_labels[ri],
            (x, y - c.pt(2.0)),
            &tick_font,
            (H::Center, V::Bottom),
        )?;
    }

    // Spoke labels.
    for (k, sp) in spokes.iter().enumerate() {
        let a = angle(k);
        let (ca, sa) = (a.cos(), a.sin());
        let (x, y) = (
            cx + (radius + c.pt(8.0)) * ca,
            cy + (radius + c.pt(8.0)) * sa,
        );
        let h = if ca > 0.25 {
            H::Left
        } else if ca < -0.25 {
            H::Right
        } else {
            H::Center
        };
        let max_w = match h {
            H::Left => (area.x1 - x).min(lab_w * 1.3),
            H::Right => (x - area.x0).min(lab_w * 1.3),
            H::Center => lab_w * 1.6,
        };
        let lines = wrap(&sp.label, &label_font, max_w.max(c.pt(20.0)), 3);
        let lh = label_font.line_height();
        let block = lh * lines.len() as f64;
        let top = if sa > 0.3 {
            y
        } else if sa < -0.3 {
            y - block
        } else {
            y - block / 2.0
        };
        for (li, l) in lines.iter().enumerate() {
            c.text(
                l,
                (x, top + lh * li as f64 + lh * 0.5),
                &label_font,
                (h, V::Middle),
            )?;
        }
    }

    // Outlines.
    for (s, &i) in series.iter().zip(&slots) {
        let col = c.theme.series(i);
        let pts: Vec<Option<(f64, f64)>> = s
            .values
            .iter()
            .enumerate()
            .map(|(k, v)| v.map(|v| at(k, v)))
            .collect();
        for k in 0..n {
            if let (Some(a), Some(b)) = (pts[k], pts[(k + 1) % n]) {
                c.line(&[a, b], solid(col), c.pt(2.0))?;
            }
        }
        for p in pts.iter().flatten() {
            c.marker(Marker::nth(i), *p, c.pt(3.5), solid(col))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::colour_slots;

    #[test]
    fn colours_follow_the_mechanism_not_its_rank() {
        let p = crate::bundled::sample();
        let (a, b, c) = (
            p.mechanisms[0].id.as_str(),
            p.mechanisms[1].id.as_str(),
            p.mechanisms[2].id.as_str(),
        );
        // The same three mechanisms in two rank orders: each keeps its slot.
        assert_eq!(colour_slots(&p, &[c, a, b]), [2, 0, 1]);
        assert_eq!(colour_slots(&p, &[a, b, c]), [0, 1, 2]);
        assert_eq!(colour_slots(&p, &[b, "added-by-a-scenario", a]), [1, 2, 0]);
    }
}
