//! The analysts' scores cell by cell (a strip plot): one row per cell (mechanism ×
//! criterion), each analyst's score a dot in their colour and shape, equal scores
//! spread vertically, the median a tick, the middle half (first to third quartile)
//! shaded, on the criterion's scale from its minimum to its maximum. By default the
//! rows are the cells with the largest interquartile range. Analysts are "Analyst A,
//! B, …" when anonymised.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::bump::short_name;
use super::canvas::{Canvas, H, Marker, Res, V, alpha, fit, measure, solid};
use super::error::ChartError;
use super::frame::{
    Frame, draw_frame, nice_ticks, row_label_font, size, tick_label, x_grid, zebra,
};
use super::geom::Rect;
use super::legend::{Swatch, draw_legend};
use super::spread::{anonymous_analyst_label, round_of, source_line, too_few_analysts};
use crate::compute::agreement::{ScoreMap, cell_spreads, cell_stats};
use crate::model::{Project, ScoreKey, ScoreValue, format_value};

/// How many cells the strip plot shows by default.
pub const STRIP_DEFAULT_CELLS: usize = 12;

/// One row of the strip plot: the scores of one cell.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StripRow {
    pub mechanism: String,
    pub criterion: String,
    /// The criterion's scale: the ends of the row's axis.
    pub scale_min: f64,
    pub scale_max: f64,
    /// (index in `StripInput::analysts`, value) for each analyst who gave a number,
    /// in analyst order.
    pub scores: Vec<(usize, f64)>,
    /// Median, quartiles and interquartile range of the values (None without values).
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub iqr: Option<f64>,
    /// Analysts who marked the cell not applicable.
    pub not_applicable: usize,
    /// Analysts who gave no number and did not say "not applicable".
    pub not_assessed: usize,
}

/// What the strip plot is drawn from (`strip_input` and `strip_input_for` fill it).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StripInput {
    /// Which scores, e.g. "Round 2 (current)"; in the title.
    pub round: String,
    /// The project's analysts as shown ("Analyst A", … or their names), in project
    /// order: the colour and shape of a dot go by the index.
    pub analysts: Vec<String>,
    /// The labels are anonymous.
    pub anonymised: bool,
    /// The rows are the cells with the largest spread (the default choice), not a
    /// chosen list.
    pub by_largest_spread: bool,
    pub rows: Vec<StripRow>,
    /// An extra line under the title.
    pub title_suffix: Option<String>,
    /// The project's title, for the source note.
    pub project_title: String,
}

/// The labels of the project's analysts: "Analyst A", "Analyst B", … or their names.
pub(crate) fn analyst_labels(project: &Project, anonymise: bool) -> Vec<String> {
    project
        .analysts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if anonymise {
                anonymous_analyst_label(i)
            } else if a.name.trim().is_empty() {
                a.id.clone()
            } else {
                a.name.trim().to_string()
            }
        })
        .collect()
}

/// The default cells of the strip plot: those with at least two scores, the largest
/// interquartile range first (then the largest range, then the fewest within ±1 of
/// the median, then matrix order), at most `count`. (mechanism id, criterion id).
pub fn strip_default_cells(
    project: &Project,
    round: Option<&str>,
    count: usize,
) -> Result<Vec<(String, String)>, ChartError> {
    let (scores, _) = round_of(project, round)?;
    let mut cells: Vec<_> = cell_spreads(project, scores)
        .into_iter()
        .filter_map(|s| {
            let st = s.stats?;
            (st.n >= 2).then_some((s.mechanism, s.criterion, st))
        })
        .collect();
    cells.sort_by(|a, b| {
        b.2.iqr
            .total_cmp(&a.2.iqr)
            .then(b.2.range.total_cmp(&a.2.range))
            .then(a.2.within_one.total_cmp(&b.2.within_one))
    });
    Ok(cells
        .into_iter()
        .take(count)
        .map(|(m, c, _)| (m, c))
        .collect())
}

/// The strip plot of the `STRIP_DEFAULT_CELLS` cells with the largest interquartile
/// range in a round (`None` = the current round).
pub fn strip_input(
    project: &Project,
    round: Option<&str>,
    anonymise: bool,
) -> Result<StripInput, ChartError> {
    let cells = strip_default_cells(project, round, STRIP_DEFAULT_CELLS)?;
    let mut input = strip_input_for(project, round, anonymise, &cells)?;
    input.by_largest_spread = true;
    Ok(input)
}

/// The strip plot of chosen cells, (mechanism id, criterion id), in the order given.
/// Unknown ids are left out.
pub fn strip_input_for(
    project: &Project,
    round: Option<&str>,
    anonymise: bool,
    cells: &[(String, String)],
) -> Result<StripInput, ChartError> {
    let (scores, round_title) = round_of(project, round)?;
    let rows = cells
        .iter()
        .filter_map(|(m, k)| strip_row(project, scores, m, k))
        .collect();
    Ok(StripInput {
        round: round_title,
        analysts: analyst_labels(project, anonymise),
        anonymised: anonymise,
        by_largest_spread: false,
        rows,
        title_suffix: None,
        project_title: project.info.title.clone(),
    })
}

fn strip_row(
    project: &Project,
    scores: &ScoreMap,
    mechanism: &str,
    criterion: &str,
) -> Option<StripRow> {
    let m = project.mechanisms.iter().find(|m| m.id == mechanism)?;
    let cr = project.framework.criterion(criterion)?;
    let mut row = StripRow {
        mechanism: m.name.clone(),
        criterion: cr.name.clone(),
        scale_min: f64::from(cr.scale.min),
        scale_max: f64::from(cr.scale.max),
        ..StripRow::default()
    };
    for (i, a) in project.analysts.iter().enumerate() {
        match scores
            .get(&ScoreKey::new(&a.id, mechanism, criterion))
            .map(|s| s.value)
        {
            Some(ScoreValue::Value(v)) if v.is_finite() => row.scores.push((i, v)),
            Some(ScoreValue::NotApplicable) => row.not_applicable += 1,
            _ => row.not_assessed += 1,
        }
    }
    let values: Vec<f64> = row.scores.iter().map(|(_, v)| *v).collect();
    if let Some(st) = cell_stats(&values) {
        row.median = Some(st.median);
        row.q1 = Some(st.q1);
        row.q3 = Some(st.q3);
        row.iqr = Some(st.iqr);
    }
    Some(row)
}

// ───────────────────────────── drawing ─────────────────────────────

/// Vertical offsets (in pixels) that spread dots sitting on the same spot: dots
/// closer than `d` horizontally share a cluster and are stacked around the row's
/// centre in the order given, `step` apart, or closer when a cluster would not fit in
/// `room` (the distance between its outermost centres).
fn jitter(xs: &[f64], d: f64, step: f64, room: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]).then(a.cmp(&b)));
    let mut out = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && xs[order[j + 1]] - xs[order[j]] < d {
            j += 1;
        }
        let mut cluster: Vec<usize> = order[i..=j].to_vec();
        cluster.sort_unstable();
        let k = cluster.len() as f64;
        let step = if k > 1.0 {
            step.min(room.max(0.0) / (k - 1.0))
        } else {
            0.0
        };
        for (p, &idx) in cluster.iter().enumerate() {
            out[idx] = (p as f64 - (k - 1.0) / 2.0) * step;
        }
        i = j + 1;
    }
    out
}

pub(crate) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, input: &StripInput) -> Res {
    let na = input.analysts.len();
    let title = format!("Each analyst's score, cell by cell — {}", input.round);
    let which = if input.by_largest_spread {
        format!(
            "Rows: the {} cells with the largest interquartile range, widest first.",
            input.rows.len()
        )
    } else {
        "Rows: the chosen cells.".to_string()
    };
    let subtitle = if na < 2 {
        too_few_analysts(na)
    } else {
        format!(
            "One row per cell: each analyst's score as a dot on the criterion's scale (equal scores spread vertically), the median as a tick, the middle half of the scores shaded. {which}"
        )
    };
    let mut notes = Vec::new();
    if input.anonymised {
        notes.push(
            "Analysts are anonymised (Analyst A, B, … stand for the same person in every row and round)."
                .to_string(),
        );
    }
    notes.push(source_line(&input.project_title));
    let frame = Frame {
        title: &title,
        suffix: input.title_suffix.as_deref(),
        subtitle: vec![subtitle],
        notes,
    };
    let plot = draw_frame(c, &frame)?;
    if na < 2 || input.rows.is_empty() {
        let msg = if na < 2 {
            "Nothing to compare: fewer than two analysts."
        } else {
            "No cell to show: no cell has scores from two or more analysts."
        };
        return super::frame::message(c, plot, msg);
    }
    let rows = &input.rows;
    let n = rows.len();

    // Legend on top: the analysts, then the median and the middle half.
    let legend_font = c.font(size::LABEL);
    let band_col = if c.theme.dark {
        RGBColor(0x3C, 0x3C, 0x3C)
    } else {
        RGBColor(0xDD, 0xDD, 0xDD)
    };
    let mut entries: Vec<(Swatch, String)> = input
        .analysts
        .iter()
        .enumerate()
        .map(|(i, a)| (Swatch::Dot(Marker::nth(i), c.theme.series(i)), a.clone()))
        .collect();
    entries.push((Swatch::Tick(c.theme.fg), "Median".to_string()));
    entries.push((Swatch::Band(band_col), "Middle half (q1–q3)".to_string()));
    let legend_h = draw_legend(c, &entries, &legend_font, plot.x0, plot.y0, plot.w())?;

    // Axis: one shared scale at the bottom when every row has the same one,
    // otherwise each row's ends at its sides.
    let common = rows
        .windows(2)
        .all(|w| w[0].scale_min == w[1].scale_min && w[0].scale_max == w[1].scale_max);
    let tick_font = c.font(size::TICK).color(c.theme.muted);
    let axis_font = c.font(size::LABEL).color(c.theme.muted);
    let axis_h = if common {
        tick_font.line_height() + axis_font.line_height() + c.pt(8.0)
    } else {
        c.pt(4.0)
    };
    let body = Rect::new(
        plot.x0,
        plot.y0 + legend_h + c.pt(10.0),
        plot.x1,
        plot.y1 - axis_h,
    );
    let rh = body.h() / n as f64;
    let (font, two_lines) = row_label_font(c, rh);
    let muted = font.color(c.theme.muted);
    let label_w = rows
        .iter()
        .map(|r| {
            if two_lines {
                measure(&r.mechanism, &font.bold()).max(measure(&r.criterion, &muted))
            } else {
                measure(&format!("{} · {}", r.mechanism, r.criterion), &font)
            }
        })
        .fold(0.0, f64::max)
        .min(plot.w() * 0.32)
        + c.pt(12.0);
    let stat = |r: &StripRow| -> (String, String) {
        let iqr = r.iqr.map_or("IQR –".to_string(), |v| {
            format!("IQR {}", format_value(v))
        });
        let mut second = format!("n = {}", r.scores.len());
        if r.not_applicable > 0 {
            second.push_str(&format!(" · {} n/a", r.not_applicable));
        }
        (iqr, second)
    };
    let stat_w = rows
        .iter()
        .map(|r| {
            let (a, b) = stat(r);
            measure(&a, &font.bold()).max(measure(&b, &muted))
        })
        .fold(0.0, f64::max)
        + c.pt(12.0);
    let end_w = if common {
        0.0
    } else {
        rows.iter()
            .flat_map(|r| [r.scale_min, r.scale_max])
            .map(|v| measure(&tick_label(v), &tick_font))
            .fold(0.0, f64::max)
            + c.pt(6.0)
    };
    let r_dot = (rh * 0.16).clamp(c.pt(2.5), c.pt(5.5));
    let x0 = body.x0 + label_w + end_w + r_dot * 1.5;
    let x1 = (body.x1 - stat_w - end_w - r_dot * 1.5).max(x0 + c.pt(40.0));
    let x_of = |r: &StripRow, v: f64| {
        let span = r.scale_max - r.scale_min;
        if span > 0.0 {
            x0 + (x1 - x0) * ((v - r.scale_min) / span).clamp(0.0, 1.0)
        } else {
            (x0 + x1) / 2.0
        }
    };
    // Grid values of a scale: every point when few, else round numbers.
    let grid = |lo: f64, hi: f64| -> Vec<f64> {
        if hi > lo && hi - lo <= 10.0 && lo.fract() == 0.0 && hi.fract() == 0.0 {
            (0..=(hi - lo) as i64).map(|k| lo + k as f64).collect()
        } else {
            nice_ticks(lo, hi, 5)
        }
    };

    zebra(c, plot, n, rh, |i| body.y0 + rh * i as f64)?;
    if common {
        let r0 = &rows[0];
        let ticks = grid(r0.scale_min, r0.scale_max)
            .into_iter()
            .map(|v| (x_of(r0, v), tick_label(v)));
        x_grid(c, body, ticks, &tick_font)?;
        c.text(
            "Score on the criterion's scale",
            (
                (x0 + x1) / 2.0,
                body.y1 + c.pt(6.0) + tick_font.line_height(),
            ),
            &axis_font,
            (H::Center, V::Top),
        )?;
    }

    let band_h = (rh * 0.7).min(c.pt(40.0));
    let tick_h = (rh * 0.8).min(c.pt(46.0));
    // Equal scores: stacked a dot apart, squeezed into most of the row if need be.
    let step = r_dot * 2.0 + c.pt(1.5);
    let room = (rh * 0.84 - 2.0 * r_dot).max(r_dot);
    for (i, r) in rows.iter().enumerate() {
        let yc = body.y0 + rh * (i as f64 + 0.5);
        // Labels.
        if two_lines {
            let lh = font.line_height();
            let mech = short_name(&r.mechanism, &font.bold(), label_w - c.pt(12.0));
            c.text(
                &mech,
                (body.x0, yc - lh * 0.5),
                &font.bold(),
                (H::Left, V::Middle),
            )?;
            let crit = fit(&r.criterion, &muted, label_w - c.pt(12.0));
            c.text(
                &crit,
                (body.x0, yc + lh * 0.5),
                &muted,
                (H::Left, V::Middle),
            )?;
        } else {
            let room = label_w - c.pt(12.0);
            let crit_w = measure(&r.criterion, &font).min(room * 0.45);
            let crit = fit(&r.criterion, &font, crit_w);
            let mech = short_name(
                &r.mechanism,
                &font,
                (room - measure(&format!(" · {crit}"), &font)).max(0.0),
            );
            c.text(
                &format!("{mech} · {crit}"),
                (body.x0, yc),
                &font,
                (H::Left, V::Middle),
            )?;
        }
        let (a, b) = stat(r);
        let sx = body.x1 - stat_w + c.pt(12.0);
        if two_lines {
            let lh = font.line_height();
            c.text(&a, (sx, yc - lh * 0.5), &font.bold(), (H::Left, V::Middle))?;
            c.text(&b, (sx, yc + lh * 0.5), &muted, (H::Left, V::Middle))?;
        } else {
            c.text(&a, (sx, yc), &font.bold(), (H::Left, V::Middle))?;
        }

        // The row's scale.
        let (xa, xb) = (x_of(r, r.scale_min), x_of(r, r.scale_max));
        c.line(&[(xa, yc), (xb, yc)], solid(c.theme.grid), c.pt(1.0))?;
        if !common {
            for v in grid(r.scale_min, r.scale_max) {
                let x = x_of(r, v);
                c.line(
                    &[(x, yc - band_h / 2.0), (x, yc + band_h / 2.0)],
                    solid(c.theme.grid),
                    c.pt(1.0),
                )?;
            }
            c.text(
                &tick_label(r.scale_min),
                (xa - r_dot * 1.5 - c.pt(4.0), yc),
                &tick_font,
                (H::Right, V::Middle),
            )?;
            c.text(
                &tick_label(r.scale_max),
                (xb + r_dot * 1.5 + c.pt(4.0), yc),
                &tick_font,
                (H::Left, V::Middle),
            )?;
        }
        // Middle half, median, dots.
        if let (Some(q1), Some(q3)) = (r.q1, r.q3) {
            let (a, b) = (x_of(r, q1), x_of(r, q3));
            let a = a.min(b - c.pt(1.0));
            c.fill_rect(
                Rect::new(
                    a,
                    yc - band_h / 2.0,
                    b.max(a + c.pt(2.0)),
                    yc + band_h / 2.0,
                ),
                alpha(band_col, 0.9),
            )?;
        }
        if let Some(m) = r.median {
            let x = x_of(r, m);
            c.line(
                &[(x, yc - tick_h / 2.0), (x, yc + tick_h / 2.0)],
                solid(c.theme.fg),
                c.pt(2.5),
            )?;
        }
        let xs: Vec<f64> = r.scores.iter().map(|(_, v)| x_of(r, *v)).collect();
        let dy = jitter(&xs, r_dot * 1.8, step, room);
        for (k, (a, _)) in r.scores.iter().enumerate() {
            let p = (xs[k], yc + dy[k]);
            let col = c.theme.series(*a);
            let mk = Marker::nth(*a);
            c.marker(mk, p, r_dot + c.pt(1.0), solid(c.theme.bg))?;
            c.marker(mk, p, r_dot, solid(col))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_scores_are_spread_and_centred() {
        let dy = jitter(&[10.0, 50.0, 10.0, 10.0], 5.0, 4.0, 100.0);
        assert_eq!(dy, vec![-4.0, 0.0, 0.0, 4.0]);
        let dy = jitter(&[10.0, 12.0], 5.0, 6.0, 100.0);
        assert_eq!(dy, vec![-3.0, 3.0], "near dots count as equal");
        assert_eq!(jitter(&[0.0, 100.0], 5.0, 6.0, 100.0), vec![0.0, 0.0]);
        let dy = jitter(&[1.0, 1.0, 1.0], 5.0, 6.0, 8.0);
        assert_eq!(dy, vec![-4.0, 0.0, 4.0], "squeezed into the room");
    }
}
