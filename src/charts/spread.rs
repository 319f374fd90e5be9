//! Where the analysts disagree: mechanisms × criteria, each cell shaded by the
//! interquartile range of the analysts' scores and showing their median. The colour
//! scale is shared by every round of the project, so two rounds can be compared side
//! by side; cells with fewer than two scores are hatched (no spread), cells every
//! scoring analyst marked not applicable are grey, and cells worth discussing are
//! flagged in a corner. Criteria are grouped under their groups as in the score heatmap.
//!
//! Also the helpers the three workshop charts share: which scores a round names, the
//! round's title, and the anonymous analyst labels.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::canvas::{Canvas, Font, H, Res, V, alpha, fit, measure, solid};
use super::columns::Columns;
use super::error::ChartError;
use super::frame::{Frame, draw_frame, label_stride, nice_ticks, size, tick_label};
use super::geom::Rect;
use super::legend::{LeadLegend, Swatch};
use super::theme::luminance;
use crate::compute::agreement::{ScoreMap, cell_spreads, round_scores};
use crate::model::{Project, format_value};

// ───────────────────────────── shared by the workshop charts ─────────────────────────────

/// The label of the `i`-th analyst (0-based, project order) when names are hidden:
/// "Analyst A", "Analyst B", … "Analyst Z", "Analyst AA", …
pub fn anonymous_analyst_label(i: usize) -> String {
    let mut letters = Vec::new();
    let mut k = i + 1;
    while k > 0 {
        let r = (k - 1) % 26;
        letters.push(char::from(b'A' + r as u8));
        k = (k - 1) / 26;
    }
    letters.reverse();
    format!("Analyst {}", letters.into_iter().collect::<String>())
}

/// The scores of a round (`None` = the current round) and its title, e.g.
/// "Round 2 (current)" or "Round 1 (blind)".
pub(crate) fn round_of<'a>(
    project: &'a Project,
    round: Option<&str>,
) -> Result<(&'a ScoreMap, String), ChartError> {
    let Some(scores) = round_scores(project, round) else {
        return Err(ChartError::Options(format!(
            "the project has no round \"{}\"",
            round.unwrap_or_default()
        )));
    };
    let title = match round {
        None => format!("Round {} (current)", project.workshop.current_round()),
        Some(id) => project
            .workshop
            .rounds
            .iter()
            .position(|r| r.id == id)
            .map(|i| {
                let r = &project.workshop.rounds[i];
                if r.name.trim().is_empty() {
                    format!("Round {}", i + 1)
                } else {
                    r.name.trim().to_string()
                }
            })
            .unwrap_or_else(|| id.to_string()),
    };
    Ok((scores, title))
}

/// The note naming where the numbers come from.
pub(crate) fn source_line(project_title: &str) -> String {
    let t = project_title.trim();
    if t.is_empty() {
        "Source: Policy Workbench assessment.".to_string()
    } else {
        format!("Source: {t} (Policy Workbench).")
    }
}

/// The subtitle of a workshop chart of a project with fewer than two analysts.
pub(crate) fn too_few_analysts(n: usize) -> String {
    format!(
        "Agreement needs the scores of at least two analysts; this project has {n}. Add analysts, or merge their scoring packages."
    )
}

// ───────────────────────────── input ─────────────────────────────

/// One column of the spread heatmap.
#[derive(Clone, Debug, PartialEq)]
pub struct SpreadColumn {
    /// The criterion's name.
    pub name: String,
    /// Index of its group in `SpreadInput::groups`.
    pub group: usize,
}

/// One cell of the spread heatmap: what the analysts gave one mechanism on one
/// criterion.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SpreadCell {
    /// Analysts who gave a number.
    pub n: usize,
    /// Median of those numbers (None when there are none).
    pub median: Option<f64>,
    /// Interquartile range in scale points (None when there are no numbers; 0 for one).
    pub iqr: Option<f64>,
    /// Analysts who marked the cell not applicable.
    pub not_applicable: usize,
    /// Analysts who gave no number and did not say "not applicable".
    pub not_assessed: usize,
    /// `CellStats::needs_discussion`.
    pub needs_discussion: bool,
}

/// What the spread heatmap is drawn from (`spread_input` fills it from a project).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SpreadInput {
    /// Which scores, e.g. "Round 2 (current)" or "Round 1 (blind)"; in the title.
    pub round: String,
    /// The project's analysts.
    pub analysts: usize,
    /// Group names, in framework order.
    pub groups: Vec<String>,
    /// The criteria, in framework order.
    pub criteria: Vec<SpreadColumn>,
    /// Mechanism names, in project order: the rows.
    pub mechanisms: Vec<String>,
    /// `cells[mechanism][criterion]`.
    pub cells: Vec<Vec<SpreadCell>>,
    /// The largest interquartile range in any round of the project (at least 2): the
    /// top of the colour scale, the same for every round so that rounds compare.
    pub iqr_top: f64,
    /// An extra line under the title.
    pub title_suffix: Option<String>,
    /// The project's title, for the source note.
    pub project_title: String,
}

/// The spread heatmap's input for a round (`None` = the current round; otherwise the
/// id of a closed round). The chart names no analyst, so `anonymise` changes nothing
/// here; it is taken for symmetry with the other workshop charts.
pub fn spread_input(
    project: &Project,
    round: Option<&str>,
    anonymise: bool,
) -> Result<SpreadInput, ChartError> {
    let _ = anonymise;
    let (scores, round_title) = round_of(project, round)?;
    let fw = &project.framework;
    let criteria: Vec<SpreadColumn> = fw
        .criteria()
        .map(|(g, c)| SpreadColumn {
            name: c.name.clone(),
            group: g,
        })
        .collect();
    let nc = criteria.len();
    let spreads = cell_spreads(project, scores);
    let cells: Vec<Vec<SpreadCell>> = spreads
        .chunks(nc.max(1))
        .take(if nc == 0 { 0 } else { project.mechanisms.len() })
        .map(|row| {
            row.iter()
                .map(|s| SpreadCell {
                    n: s.stats.as_ref().map_or(0, |st| st.n),
                    median: s.stats.as_ref().map(|st| st.median),
                    iqr: s.stats.as_ref().map(|st| st.iqr),
                    not_applicable: s.not_applicable,
                    not_assessed: s.not_assessed,
                    needs_discussion: s.stats.as_ref().is_some_and(|st| st.needs_discussion()),
                })
                .collect()
        })
        .collect();
    let mut iqr_top: f64 = 2.0;
    for map in
        std::iter::once(&project.scores).chain(project.workshop.rounds.iter().map(|r| &r.scores))
    {
        for s in cell_spreads(project, map) {
            if let Some(st) = s.stats
                && st.iqr.is_finite()
            {
                iqr_top = iqr_top.max(st.iqr);
            }
        }
    }
    Ok(SpreadInput {
        round: round_title,
        analysts: project.analysts.len(),
        groups: fw.groups.iter().map(|g| g.name.clone()).collect(),
        criteria,
        mechanisms: project.mechanisms.iter().map(|m| m.name.clone()).collect(),
        cells,
        iqr_top,
        title_suffix: None,
        project_title: project.info.title.clone(),
    })
}

// ───────────────────────────── render ─────────────────────────────

/// The sequential palette of disagreement (ColorBrewer RdPu on white; a dark-to-light
/// version on black): three stops, low to high.
fn spread_stops(dark: bool) -> [RGBColor; 3] {
    if dark {
        [
            RGBColor(0x33, 0x27, 0x38),
            RGBColor(0x9C, 0x3D, 0x8C),
            RGBColor(0xF7, 0xB2, 0xDA),
        ]
    } else {
        [
            RGBColor(0xFD, 0xE8, 0xE6),
            RGBColor(0xF0, 0x6E, 0xA9),
            RGBColor(0x6A, 0x01, 0x6F),
        ]
    }
}

/// The colour of `t` in [0, 1] on the disagreement palette.
pub(crate) fn spread_colour(dark: bool, t: f64) -> RGBColor {
    let [a, b, c] = spread_stops(dark);
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    if t <= 0.5 {
        super::theme::lerp(a, b, t * 2.0)
    } else {
        super::theme::lerp(b, c, (t - 0.5) * 2.0)
    }
}

/// The legend values of the IQR scale and its top (a multiple of their step).
fn iqr_scale(top: f64) -> (Vec<f64>, f64) {
    let top = if top.is_finite() && top > 0.0 {
        top
    } else {
        2.0
    };
    let ticks = nice_ticks(0.0, top, 4);
    let step = if ticks.len() >= 2 {
        ticks[1] - ticks[0]
    } else {
        top
    };
    let top = (top / step - 1e-9).ceil() * step;
    let mut v: Vec<f64> = Vec::new();
    let mut t = 0.0;
    while t <= top + step * 1e-6 {
        v.push(t);
        t += step;
    }
    (v, top)
}

pub(crate) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, input: &SpreadInput) -> Res {
    let criteria = &input.criteria;
    let title = format!("Spread of the analysts' scores — {}", input.round);
    let few = input.analysts < 2;
    let subtitle = if few {
        too_few_analysts(input.analysts)
    } else {
        format!(
            "Each cell: the median of the {} analysts' scores; its shade, the interquartile range (how far apart the middle half of the analysts is, in scale points). Darker = more disagreement.",
            input.analysts
        )
    };
    let frame = Frame {
        title: &title,
        suffix: input.title_suffix.as_deref(),
        subtitle: vec![subtitle],
        notes: vec![
            "Quartiles by linear interpolation, as spreadsheets compute them (QUARTILE.INC). Flagged in the corner: worth discussing (interquartile range of 2 or more, or fewer than 75% within ±1 of the median). \
             The colour scale is the same for every round of the project, so rounds can be compared."
                .to_string(),
            source_line(&input.project_title),
        ],
    };
    let plot = draw_frame(c, &frame)?;
    let rows = input.mechanisms.len().min(input.cells.len());
    if few || rows == 0 || criteria.is_empty() {
        let msg = if few {
            "Nothing to compare: fewer than two analysts."
        } else {
            "There is nothing to plot: the project has no mechanisms or the framework no criteria."
        };
        return super::frame::message(c, plot, msg);
    }
    let cell = |r: usize, k: usize| input.cells[r].get(k);
    let any = |f: &dyn Fn(&SpreadCell) -> bool| {
        (0..rows).any(|r| (0..criteria.len()).any(|k| cell(r, k).is_some_and(f)))
    };
    let any_na = any(&|s| s.n == 0 && s.not_applicable > 0 && s.not_assessed == 0);
    let any_few = any(&|s| s.n < 2 && !(s.n == 0 && s.not_applicable > 0 && s.not_assessed == 0));
    let any_discuss = any(&|s| s.needs_discussion);
    let (steps, top) = iqr_scale(input.iqr_top);

    // Legend along the bottom: the IQR scale as labelled steps, then the marks. On a
    // narrow chart the marks go on a second row.
    let legend_font = c.font(size::LABEL);
    let step_font = c.font(size::TICK);
    let lead = "Interquartile range";
    let step_w = steps
        .iter()
        .map(|v| measure(&tick_label(*v), &step_font))
        .fold(c.pt(20.0), f64::max)
        + c.pt(8.0);
    let scale_w = measure(lead, &legend_font) + c.pt(8.0) + step_w * steps.len() as f64;
    let mut entries: Vec<(Swatch, String)> = Vec::new();
    if any_few {
        entries.push((
            Swatch::HatchedEmpty,
            "Fewer than 2 scores: no spread".to_string(),
        ));
    }
    if any_na {
        entries.push((Swatch::NotApplicable, "Not applicable".to_string()));
    }
    if any_discuss {
        let fill = spread_colour(c.theme.dark, 0.5);
        entries.push((
            Swatch::Flag(fill, ink(fill)),
            "Worth discussing".to_string(),
        ));
    }
    let lh = legend_font.line_height();
    let legend = LeadLegend {
        entries: &entries,
        font: legend_font,
        lead_w: scale_w,
        lead_h: lh,
    };
    let legend_h = legend.height(c, plot.w()) + c.pt(4.0);
    let legend_top = plot.y1 - legend_h + c.pt(4.0);
    let yc = legend_top + lh / 2.0;
    c.text(lead, (plot.x0, yc), &legend_font, (H::Left, V::Middle))?;
    let mut x = plot.x0 + measure(lead, &legend_font) + c.pt(8.0);
    for v in &steps {
        let fill = spread_colour(c.theme.dark, v / top);
        let r = Rect::new(x, yc - lh * 0.42, x + step_w, yc + lh * 0.42);
        c.fill_rect(r, solid(fill))?;
        c.text(
            &tick_label(*v),
            (r.cx(), yc),
            &step_font.color(ink(fill)),
            (H::Center, V::Middle),
        )?;
        x += step_w;
    }
    legend.draw_entries(c, plot.x0, legend_top, plot.w())?;

    // Header: group bands, then criterion names reading upwards (as the heatmap).
    let header = Columns::new(
        c,
        criteria
            .iter()
            .map(|k| (k.group, k.name.as_str()))
            .collect(),
        input.groups.iter().map(String::as_str).collect(),
        plot,
    );
    let grid_top = header.grid_top();
    let grid_bottom = plot.y1 - legend_h - c.pt(8.0);
    // Rows may be thinner than a pixel on a huge project: they then overlap (below).
    let ch = ((grid_bottom - grid_top) / rows as f64).max(0.01);

    let label_px = (ch * 0.66).clamp(c.pt(size::MIN), c.pt(size::LABEL));
    let font = c.font(size::LABEL).sized(label_px);
    let label_w = input
        .mechanisms
        .iter()
        .take(rows)
        .map(|n| measure(n, &font))
        .fold(0.0, f64::max)
        .min(plot.w() * 0.3)
        + c.pt(10.0);
    let cols = header.place(c, plot.x0 + label_w, plot.x1);
    header.draw_header(c, &cols)?;
    let (col_x, cw) = (&cols.x, cols.w);

    // Rows.
    // Thin rows touch: a gap would leave more white than colour.
    let pad = if ch < c.pt(4.0) {
        0.0
    } else {
        (ch * 0.06).min(c.pt(1.5)).max(0.5)
    };
    let value_font = font.sized((ch * 0.55).min(c.pt(size::LABEL)));
    let show_values = value_font.px >= c.pt(size::MIN) * 0.9 && cw >= value_font.px * 2.2;
    let stride = label_stride(ch, &font);
    for r in 0..rows {
        let y0 = grid_top + ch * r as f64;
        let yc = y0 + ch / 2.0;
        if r % stride == 0 {
            let name = fit(&input.mechanisms[r], &font, label_w - c.pt(10.0));
            c.text(&name, (plot.x0, yc), &font, (H::Left, V::Middle))?;
        }
        for (ci, &x) in col_x.iter().enumerate() {
            // A thin row reaches a pixel into the next, which paints over it: the
            // bitmap backend leaves out rectangles less than two pixels high.
            let bottom = if pad == 0.0 {
                y0 + ch + 1.0
            } else {
                y0 + ch - pad
            };
            let rect = Rect::new(x + pad, y0 + pad, x + cw - pad, bottom);
            let empty = SpreadCell::default();
            let s = cell(r, ci).unwrap_or(&empty);
            draw_cell(c, rect, s, top, &value_font, show_values)?;
        }
    }
    Ok(())
}

fn draw_cell<DB: DrawingBackend>(
    c: &Canvas<DB>,
    r: Rect,
    s: &SpreadCell,
    top: f64,
    font: &Font,
    show_values: bool,
) -> Res {
    let all_na = s.n == 0 && s.not_applicable > 0 && s.not_assessed == 0;
    if all_na {
        c.fill_rect(r, solid(c.theme.na_fill))?;
        let ink = ink(c.theme.na_fill);
        if show_values && measure("n/a", font) < r.w() - 2.0 {
            c.text(
                "n/a",
                (r.cx(), r.cy()),
                &font.color(ink),
                (H::Center, V::Middle),
            )?;
        }
        return Ok(());
    }
    match (s.n, s.iqr, s.median) {
        (n, Some(iqr), Some(median)) if n >= 2 => {
            let fill = spread_colour(c.theme.dark, iqr / top);
            c.fill_rect(r, solid(fill))?;
            let ink = ink(fill);
            if show_values {
                c.text(
                    &format_value(median),
                    (r.cx(), r.cy()),
                    &font.color(ink),
                    (H::Center, V::Middle),
                )?;
            }
            // The flag, in cells big enough to carry one.
            let side = (r.w().min(r.h()) * 0.3).min(c.pt(11.0));
            if s.needs_discussion && side >= c.pt(3.0) {
                draw_flag(c, r, side, ink)?;
            }
        }
        (_, _, median) => {
            c.hatch(r, solid(c.theme.hatch), (r.h() * 0.28).max(3.0), c.pt(1.0))?;
            c.stroke_rect(r, alpha(c.theme.hatch, 0.6), c.pt(1.0))?;
            if let (true, Some(m)) = (show_values, median) {
                // One score: its value on a plate so the hatching does not hide it.
                let t = format_value(m);
                let f = font.color(c.theme.muted);
                let w = measure(&t, &f) + c.pt(4.0);
                let plate = Rect::new(
                    r.cx() - w / 2.0,
                    r.cy() - f.px * 0.6,
                    r.cx() + w / 2.0,
                    r.cy() + f.px * 0.6,
                );
                if plate.w() < r.w() {
                    c.fill_rect(plate, solid(c.theme.bg))?;
                    c.text(&t, (r.cx(), r.cy()), &f, (H::Center, V::Middle))?;
                }
            }
        }
    }
    Ok(())
}

/// Text colour on `bg`: dark or light, whichever contrasts more (WCAG: the two
/// contrasts are equal at a luminance of about 0.18).
fn ink(bg: RGBColor) -> RGBColor {
    if luminance(bg) > 0.18 {
        RGBColor(0x1A, 0x1A, 0x1A)
    } else {
        RGBColor(0xF4, 0xF4, 0xF4)
    }
}

/// The "worth discussing" flag: a triangle of side `s` in the top-right corner of a
/// cell.
fn draw_flag<DB: DrawingBackend>(c: &Canvas<DB>, r: Rect, s: f64, col: RGBColor) -> Res {
    c.polygon(
        &[(r.x1 - s, r.y0), (r.x1, r.y0), (r.x1, r.y0 + s)],
        solid(col),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysts_are_lettered_like_spreadsheet_columns() {
        assert_eq!(anonymous_analyst_label(0), "Analyst A");
        assert_eq!(anonymous_analyst_label(4), "Analyst E");
        assert_eq!(anonymous_analyst_label(25), "Analyst Z");
        assert_eq!(anonymous_analyst_label(26), "Analyst AA");
        assert_eq!(anonymous_analyst_label(27), "Analyst AB");
    }

    #[test]
    fn the_iqr_scale_ends_on_a_step() {
        assert_eq!(iqr_scale(2.0), (vec![0.0, 0.5, 1.0, 1.5, 2.0], 2.0));
        assert_eq!(iqr_scale(4.0), (vec![0.0, 1.0, 2.0, 3.0, 4.0], 4.0));
        assert_eq!(iqr_scale(2.5).1, 3.0);
        assert_eq!(iqr_scale(f64::NAN).1, 2.0);
    }
}
