//! Rank changes across scenarios (a slope chart for two columns, a bump chart for
//! more): one column per selection — the baseline, then the scenarios, labelled as
//! hypothetical —, one line per mechanism through its place in each column, the
//! biggest movers in colour, the others grey. Names and ranks at both ends; a label
//! that would overlap another is left out (never drawn over it).

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Font, H, Res, V, alpha, fit, measure, solid, wrap};
use super::frame::{Frame, draw_frame, size};
use super::geom::Rect;
use super::labels::pick_column_labels;
use super::text::acronym;
use crate::compute::compare::RankPaths;

/// What the rank-changes chart is drawn from.
#[derive(Clone, Copy, Debug)]
pub struct BumpInput<'a> {
    /// The columns and each mechanism's rank in them (`compute::compare::rank_paths`).
    pub paths: &'a RankPaths,
    /// How many of the mechanisms that move most to draw in colour (at most 6).
    pub highlight: usize,
    /// An extra line under the title, e.g. "Scores of analyst A only".
    pub title_suffix: Option<&'a str>,
    /// The project's title, for the source note.
    pub project_title: &'a str,
}

impl<'a> BumpInput<'a> {
    /// Five movers highlighted, no extra line.
    pub fn new(paths: &'a RankPaths, project_title: &'a str) -> BumpInput<'a> {
        BumpInput {
            paths,
            highlight: 5,
            title_suffix: None,
            project_title,
        }
    }
}

/// Where the label blocks and the columns go.
#[derive(Clone, Copy, Debug)]
struct Layout {
    rank_w: f64,
    delta_w: f64,
    left_name_w: f64,
    x_first: f64,
    x_last: f64,
}

impl Layout {
    fn x(&self, ci: usize, n_col: usize) -> f64 {
        if n_col > 1 {
            self.x_first + (self.x_last - self.x_first) * ci as f64 / (n_col - 1) as f64
        } else {
            self.x_first
        }
    }

    fn spacing(&self, n_col: usize, full: f64) -> f64 {
        if n_col > 1 {
            (self.x_last - self.x_first) / (n_col - 1) as f64
        } else {
            full
        }
    }
}

/// Most lines drawn in colour.
const MAX_HIGHLIGHT: usize = 6;

/// A scenario's name without a leading "Hypothetical:" (the chart says it).
pub(crate) fn strip_hypothetical(label: &str) -> String {
    crate::wording::without_hypothetical(label)
}

/// The longest form of `name` that fits `max_w`: the full name, else its beginning
/// with the acronym kept ("Lancang-Mekong River… (LM-LECC)"), else shortened.
pub(crate) fn short_name(name: &str, font: &Font, max_w: f64) -> String {
    if measure(name, font) <= max_w {
        return name.to_string();
    }
    if let Some(a) = acronym(name) {
        let tail = format!(" ({a})");
        let stem = name.split(" (").next().unwrap_or(name);
        let room = max_w - measure(&tail, font);
        let head = fit(stem, font, room.max(0.0));
        if head.chars().count() >= 8 {
            return format!("{head}{tail}");
        }
        if measure(&a, font) <= max_w {
            return a;
        }
    }
    fit(name, font, max_w)
}

/// Points of a smooth S-curve from `a` to `b` (horizontal tangents at both ends).
fn s_curve(a: (f64, f64), b: (f64, f64)) -> Vec<(f64, f64)> {
    let dx = (b.0 - a.0) * 0.5;
    let (p1, p2) = ((a.0 + dx, a.1), (b.0 - dx, b.1));
    let n = if (a.1 - b.1).abs() < 0.5 { 1 } else { 32 };
    (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let u = 1.0 - t;
            let (k0, k1, k2, k3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            (
                k0 * a.0 + k1 * p1.0 + k2 * p2.0 + k3 * b.0,
                k0 * a.1 + k1 * p1.1 + k2 * p2.1 + k3 * b.1,
            )
        })
        .collect()
}

/// "↑3", "↓2", "=" or "" for a rank change (negative = moved up).
fn delta_text(d: Option<i64>) -> String {
    match d {
        Some(0) => "=".to_string(),
        Some(d) if d < 0 => format!("↑{}", -d),
        Some(d) => format!("↓{d}"),
        None => String::new(),
    }
}

pub(crate) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, input: &BumpInput) -> Res {
    let paths = input.paths;
    let n_col = paths.columns.len();
    let scenarios = paths.columns.iter().filter(|s| s.hypothetical).count();
    let title = if n_col == 2 {
        "How the ranking changes in the scenario"
    } else {
        "How the ranking changes across scenarios"
    };
    let mut suffix_parts: Vec<String> = Vec::new();
    match scenarios {
        0 => {}
        1 => {
            if let Some(s) = paths.columns.iter().find(|s| s.hypothetical) {
                suffix_parts.push(format!(
                    "Scenario (hypothetical): {}",
                    strip_hypothetical(&s.label)
                ));
            }
        }
        n => suffix_parts.push(format!(
            "{n} hypothetical scenarios; the base assessment is not changed by them"
        )),
    }
    if let Some(s) = input.title_suffix {
        suffix_parts.push(s.to_string());
    }
    let suffix = (!suffix_parts.is_empty()).then(|| suffix_parts.join(" · "));

    // Who moves most: the sum over the columns of the change of place from the first
    // column (the scenarios are alternatives to the baseline, not a sequence).
    let movement: Vec<usize> = paths
        .mechanisms
        .iter()
        .map(|m| match m.positions.first().copied().flatten() {
            Some(p0) => m.positions.iter().flatten().map(|p| p.abs_diff(p0)).sum(),
            None => 0,
        })
        .collect();
    let mut movers: Vec<usize> = (0..paths.mechanisms.len())
        .filter(|&i| movement[i] > 0)
        .collect();
    movers.sort_by_key(|&i| {
        let first = paths.mechanisms[i]
            .positions
            .iter()
            .flatten()
            .next()
            .copied()
            .unwrap_or(usize::MAX);
        (std::cmp::Reverse(movement[i]), first, i)
    });
    movers.truncate(input.highlight.min(MAX_HIGHLIGHT));
    let colour_of = |i: usize| movers.iter().position(|&m| m == i);

    let mut notes: Vec<String> = Vec::new();
    for (ci, col) in paths.columns.iter().enumerate() {
        let missing: Vec<String> = paths
            .mechanisms
            .iter()
            .filter(|m| m.ranks[ci].is_none() && m.ranks.iter().any(|r| r.is_some()))
            .map(|m| {
                let why = if m.present[ci] {
                    "no total: too little assessed"
                } else if col.hypothetical && m.present[0] && !paths.columns[0].hypothetical {
                    "excluded"
                } else if !col.hypothetical {
                    "added by a scenario"
                } else {
                    "not included"
                };
                format!("{} ({why})", m.name)
            })
            .collect();
        if !missing.is_empty() {
            notes.push(format!(
                "Not ranked in “{}”: {}.",
                strip_hypothetical(&col.label),
                missing.join("; ")
            ));
        }
    }
    let source = if input.project_title.trim().is_empty() {
        "Source: Policy Workbench assessment.".to_string()
    } else {
        format!("Source: {} (Policy Workbench).", input.project_title.trim())
    };
    if movers.iter().any(|&i| {
        paths.mechanisms[i]
            .ranges
            .iter()
            .flatten()
            .any(|(b, w)| b < w)
    }) {
        notes.push(
            "Bars beside each column, in a coloured mechanism's colour: the best to worst rank the not-assessed cells allow it there."
                .to_string(),
        );
    }
    notes.push(source);
    let subtitle = if movers.is_empty() {
        "Rank by composite total in each column (1 = highest; ties share a rank). No mechanism changes place.".to_string()
    } else {
        format!(
            "Rank by composite total in each column (1 = highest; ties share a rank); at the right, the change from the first column (↑ = moved up). \
             In colour: {} from the first column; grey: the others.",
            if movers.len() == 1 {
                "the mechanism that moves most".to_string()
            } else {
                format!("the {} mechanisms that move most", movers.len())
            }
        )
    };
    let frame = Frame {
        title,
        suffix: suffix.as_deref(),
        subtitle: vec![subtitle],
        notes,
    };
    let plot = draw_frame(c, &frame)?;
    let slots = paths
        .mechanisms
        .iter()
        .flat_map(|m| m.positions.iter().flatten().copied())
        .max()
        .unwrap_or(0);
    if n_col == 0 || slots == 0 {
        return super::frame::message(c, plot, "No mechanism has a composite total to rank.");
    }

    // Horizontal layout for a label font: rank | name on the left, rank | change |
    // name on the right, the columns evenly between.
    let gap = c.pt(8.0);
    let cap = plot.w()
        * if n_col > 2 {
            0.27
        } else if n_col > 1 {
            0.3
        } else {
            0.6
        };
    let layout = |font: &Font| -> Layout {
        let rank_w = measure("000", font) + c.pt(4.0);
        let delta_w = if n_col > 1 {
            measure("↓00", font) + c.pt(6.0)
        } else {
            0.0
        };
        let widest = |col: usize| {
            paths
                .mechanisms
                .iter()
                .filter(|m| m.positions[col].is_some())
                .map(|m| measure(&m.name, &font.bold()))
                .fold(0.0, f64::max)
        };
        let left_name_w = widest(0).min(cap);
        let right_name_w = if n_col > 1 {
            widest(n_col - 1).min(cap)
        } else {
            0.0
        };
        let x_first = plot.x0 + left_name_w + gap + rank_w + gap;
        let x_last = if n_col > 1 {
            (plot.x1 - right_name_w - rank_w - delta_w - 2.0 * gap).max(x_first + c.pt(60.0))
        } else {
            x_first
        };
        Layout {
            rank_w,
            delta_w,
            left_name_w,
            x_first,
            x_last,
        }
    };
    // Room for a column's header: the space between columns, and for the outer
    // columns the label block beside them too.
    let header_room = |l: &Layout, ci: usize| -> f64 {
        let spacing = l.spacing(n_col, plot.w());
        let x = l.x(ci, n_col);
        match (ci, n_col) {
            (_, 1) => plot.w(),
            (0, _) => spacing.min(2.0 * (x - plot.x0)) * 0.95,
            (i, n) if i == n - 1 => spacing.min(2.0 * (plot.x1 - x)) * 0.95,
            _ => spacing * 0.95,
        }
    };

    // Column headers: a tag ("Baseline", "Hypothetical scenario") and the name, wrapped
    // to the room of the column. The largest label font gives the least room, so the
    // number of lines needed there is enough once the rows set the font.
    let tag_font = c.font(size::TICK).bold();
    let head_font = c.font(size::LABEL);
    let widest_layout = layout(&c.font(size::LABEL));
    let head_lines = paths
        .columns
        .iter()
        .enumerate()
        .map(|(ci, col)| {
            wrap(
                &strip_hypothetical(&col.label),
                &head_font,
                header_room(&widest_layout, ci),
                4,
            )
            .len()
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let header_h = tag_font.line_height() + head_font.line_height() * head_lines as f64 + c.pt(8.0);

    // Rows.
    let body_top = plot.y0 + header_h;
    let body = Rect::new(plot.x0, body_top, plot.x1, plot.y1);
    let row_h = body.h() / slots as f64;
    let label_px = (row_h * 0.72).clamp(c.pt(size::MIN), c.pt(size::LABEL));
    let font = c.font(size::LABEL).sized(label_px);
    let muted = font.color(c.theme.muted);
    let y_of = |p: usize| body.y0 + row_h * (p as f64 - 0.5);
    let lay = layout(&font);
    let Layout {
        rank_w,
        delta_w,
        left_name_w,
        ..
    } = lay;
    let x_of = |ci: usize| lay.x(ci, n_col);

    // Zebra rows guide the eye from a name to its point.
    for p in (2..=slots).step_by(2) {
        let y = y_of(p);
        c.fill_rect(
            Rect::new(plot.x0, y - row_h / 2.0, plot.x1, y + row_h / 2.0),
            solid(c.theme.zebra),
        )?;
    }
    // Column axes and headers.
    let spacing = lay.spacing(n_col, plot.w());
    for (ci, col) in paths.columns.iter().enumerate() {
        let x = x_of(ci);
        c.line(
            &[(x, body.y0), (x, body.y1)],
            solid(c.theme.grid),
            c.pt(1.0),
        )?;
        let room = header_room(&lay, ci);
        let (tags, tag_col): (&[&str], _) = if col.hypothetical {
            (&["Hypothetical scenario", "Hypothetical"], c.theme.accent)
        } else {
            (&["Baseline"], c.theme.muted)
        };
        let tf = tag_font.color(tag_col);
        let tag = tags
            .iter()
            .find(|t| measure(t, &tf) <= room)
            .map_or_else(|| fit(tags[tags.len() - 1], &tf, room), |t| t.to_string());
        let mut y = plot.y0;
        c.text(&tag, (x, y), &tf, (H::Center, V::Top))?;
        y += tf.line_height();
        let label = strip_hypothetical(&col.label);
        let lines = wrap(&label, &head_font, room, head_lines);
        for l in &lines {
            c.text(l, (x, y), &head_font, (H::Center, V::Top))?;
            y += head_font.line_height();
        }
    }

    // Lines: grey first, the movers on top.
    let mut order: Vec<usize> = (0..paths.mechanisms.len()).collect();
    order.sort_by_key(|&i| (colour_of(i).is_some(), std::cmp::Reverse(colour_of(i))));
    let grey = c.theme.muted;
    for &i in &order {
        let m = &paths.mechanisms[i];
        let (col, width, a, r) = match colour_of(i) {
            Some(k) => (c.theme.series(k), c.pt(2.6), 1.0, c.pt(3.6)),
            None => (grey, c.pt(1.3), 0.55, c.pt(2.4)),
        };
        if let Some(k) = colour_of(i) {
            // The rank range in each column: a bar in the mover's colour beside the
            // column, inside the plot, one lane per mover so that bars stay apart.
            for ci in 0..n_col {
                if let (Some((b, w)), Some(_)) = (m.ranges[ci], m.positions[ci])
                    && b < w
                {
                    let side = if ci == 0 { 1.0 } else { -1.0 };
                    let x = x_of(ci) + side * (k as f64 + 1.0) * c.pt(5.0);
                    c.line(
                        &[(x, y_of(b)), (x, y_of(w.min(slots)))],
                        alpha(col, 0.55),
                        c.pt(3.0),
                    )?;
                }
            }
        }
        for ci in 0..n_col.saturating_sub(1) {
            if let (Some(p), Some(q)) = (m.positions[ci], m.positions[ci + 1]) {
                let pts = s_curve((x_of(ci), y_of(p)), (x_of(ci + 1), y_of(q)));
                c.line(&pts, alpha(col, a), width)?;
            }
        }
        for ci in 0..n_col {
            let Some(p) = m.positions[ci] else { continue };
            let pt = (x_of(ci), y_of(p));
            // A path that starts or ends inside the chart gets a ring there.
            let before = ci > 0 && m.positions[ci - 1].is_none();
            let after = ci + 1 < n_col && m.positions[ci + 1].is_none();
            let inner = ci > 0 && ci + 1 < n_col;
            if inner && colour_of(i).is_some() {
                // A mover's rank in a middle column, in a badge on its line.
                let rank = m.ranks[ci].map_or(String::new(), |r| r.to_string());
                let bf = font
                    .sized(font.px * 0.85)
                    .bold()
                    .color(c.theme.text_on(col));
                let br = (measure(&rank, &bf) / 2.0 + c.pt(3.0)).max(bf.px * 0.8);
                c.circle(pt, br, solid(col))?;
                c.text(&rank, pt, &bf, (H::Center, V::Middle))?;
            } else if before || after {
                c.circle(pt, r * 1.2, solid(c.theme.bg))?;
                c.circle_outline(pt, r * 1.2, alpha(col, a.max(0.8)), c.pt(1.5))?;
            } else {
                c.circle(pt, r, alpha(col, a.max(0.8)))?;
            }
        }
    }

    // End labels: movers first, then by place; a label that would overlap is left out.
    let label_h = font.box_height() * 1.02;
    let label_end = |ci: usize, left: bool| -> Res {
        let rows: Vec<usize> = (0..paths.mechanisms.len())
            .filter(|&i| paths.mechanisms[i].positions[ci].is_some())
            .collect();
        let ys: Vec<f64> = rows
            .iter()
            .map(|&i| y_of(paths.mechanisms[i].positions[ci].unwrap_or(0)))
            .collect();
        let mut pri: Vec<usize> = (0..rows.len()).collect();
        pri.sort_by_key(|&k| {
            (
                colour_of(rows[k]).unwrap_or(usize::MAX),
                paths.mechanisms[rows[k]].positions[ci],
            )
        });
        let keep = pick_column_labels(&ys, &pri, label_h);
        let x = x_of(ci);
        for (k, &i) in rows.iter().enumerate() {
            if !keep[k] {
                continue;
            }
            let m = &paths.mechanisms[i];
            let y = ys[k];
            let (nf, rf) = match colour_of(i) {
                Some(h) => {
                    let col = c.theme.series(h);
                    (font.bold().color(col), font.bold().color(col))
                }
                None => (font, muted),
            };
            let rank = m.ranks[ci].map_or(String::new(), |r| r.to_string());
            if left {
                let rx = x - gap;
                c.text(&rank, (rx, y), &rf, (H::Right, V::Middle))?;
                let name = short_name(&m.name, &nf, left_name_w);
                c.text(&name, (rx - rank_w, y), &nf, (H::Right, V::Middle))?;
            } else {
                let rx = x + gap;
                c.text(&rank, (rx, y), &rf, (H::Left, V::Middle))?;
                let mut nx = rx + rank_w;
                if n_col > 1 {
                    let d = delta_text(m.rank_delta());
                    let df = if colour_of(i).is_some() { rf } else { muted };
                    c.text(&d, (nx, y), &df, (H::Left, V::Middle))?;
                    nx += delta_w;
                }
                let room = (plot.x1 - nx).max(0.0);
                let name = short_name(&m.name, &nf, room);
                c.text(&name, (nx, y), &nf, (H::Left, V::Middle))?;
            }
        }
        Ok(())
    };
    label_end(0, true)?;
    if n_col > 1 {
        label_end(n_col - 1, false)?;
    }
    // A mechanism ranked in neither end column: its name beside its first point.
    for m in &paths.mechanisms {
        if m.positions[0].is_some() || m.positions[n_col - 1].is_some() {
            continue;
        }
        let Some(ci) = m.positions.iter().position(|p| p.is_some()) else {
            continue;
        };
        let y = y_of(m.positions[ci].unwrap_or(0));
        let x = x_of(ci) + c.pt(7.0);
        let text = short_name(&m.name, &muted, spacing * 0.45);
        let w = measure(&text, &muted);
        c.fill_rect(
            Rect::new(
                x - c.pt(2.0),
                y - label_h / 2.0,
                x + w + c.pt(2.0),
                y + label_h / 2.0,
            ),
            alpha(c.theme.bg, 0.85),
        )?;
        c.text(&text, (x, y), &muted, (H::Left, V::Middle))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_names_lose_their_hypothetical_prefix_in_headers() {
        assert_eq!(
            strip_hypothetical("Hypothetical: European states close the stations"),
            "European states close the stations"
        );
        assert_eq!(strip_hypothetical("Concerns first"), "Concerns first");
        assert_eq!(
            strip_hypothetical("Hypothetical: the training places are delivered"),
            "The training places are delivered"
        );
        assert_eq!(delta_text(Some(-3)), "↑3");
        assert_eq!(delta_text(Some(2)), "↓2");
        assert_eq!(delta_text(Some(0)), "=");
    }

    #[test]
    fn s_curves_join_their_ends() {
        let p = s_curve((0.0, 0.0), (100.0, 50.0));
        assert_eq!(p.first(), Some(&(0.0, 0.0)));
        let last = p.last().unwrap();
        assert!((last.0 - 100.0).abs() < 1e-9 && (last.1 - 50.0).abs() < 1e-9);
        assert_eq!(s_curve((0.0, 5.0), (10.0, 5.0)).len(), 2);
    }
}
