//! Agreement per criterion: Krippendorff's alpha as horizontal bars (ordinal, the
//! primary figure for anchored scales) with the interval alpha as a second marker,
//! reference lines at 0.667 ("tentative") and 0.8 ("reliable"), Kendall's W in each
//! row's label, the number of units and values each alpha rests on, and how sure the
//! ordinal alpha is: its 95% bootstrap interval as a whisker and the probability that
//! it is below 0.667 (`compute::alpha_bootstrap`). A criterion
//! whose alpha cannot be computed gets the reason instead of a bar. The pooled figure
//! over all criteria closes the chart.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, H, Marker, Res, V, fit, measure, solid, wrap};
use super::error::ChartError;
use super::frame::{
    Frame, draw_frame, nice_ticks, row_label_font, size, tick_label, x_grid, zebra,
};
use super::geom::Rect;
use super::legend::{Swatch, draw_legend};
use super::spread::{round_of, source_line, too_few_analysts};
use crate::compute::agreement::{
    ALPHA_RELIABLE, ALPHA_TENTATIVE, Alpha, KendallW, NotComputable, Reading, agreement,
};
use crate::compute::alpha_bootstrap::{self, AlphaBootstrap, ordinal_bootstraps};
use crate::model::Project;

/// One row of the alpha chart.
#[derive(Clone, Debug, PartialEq)]
pub struct AlphaRow {
    /// The criterion's name (or "All criteria (pooled)").
    pub name: String,
    /// Krippendorff's ordinal alpha, or why it cannot be computed.
    pub ordinal: Result<f64, String>,
    /// Krippendorff's interval alpha, or why it cannot be computed.
    pub interval: Result<f64, String>,
    /// Kendall's W (corrected for ties), or why it cannot be computed.
    pub kendall_w: Result<f64, String>,
    /// The p-value of W's chi-square test, when W is computable.
    pub kendall_p: Option<f64>,
    /// Units (mechanisms; cells for the pooled row) with at least two values.
    pub units: usize,
    /// Values in those units.
    pub pairable: usize,
    /// The ordinal alpha's 95% bootstrap interval and P(α < 0.667), when computable.
    pub sure: Option<AlphaBootstrap>,
}

/// What the alpha chart is drawn from (`alpha_input` fills it from a project).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AlphaInput {
    /// Which scores, e.g. "Round 2 (current)"; in the title.
    pub round: String,
    /// The project's analysts.
    pub analysts: usize,
    /// One row per criterion, in framework order.
    pub criteria: Vec<AlphaRow>,
    /// The same figures over every cell, each value placed on its criterion's scale.
    pub overall: Option<AlphaRow>,
    /// An extra line under the title.
    pub title_suffix: Option<String>,
    /// The project's title, for the source note.
    pub project_title: String,
}

/// The reason of a coefficient that cannot be computed, without the leading "not
/// computable: ".
fn reason(e: &NotComputable) -> String {
    let s = e.to_string();
    s.strip_prefix("not computable: ")
        .map_or(s.clone(), str::to_string)
}

fn row(
    name: &str,
    ordinal: &Alpha,
    interval: &Alpha,
    w: &KendallW,
    sure: Option<&AlphaBootstrap>,
) -> AlphaRow {
    AlphaRow {
        sure: sure.cloned(),
        name: name.to_string(),
        ordinal: ordinal.value.clone().map_err(|e| reason(&e)),
        interval: interval.value.clone().map_err(|e| reason(&e)),
        kendall_w: w.value.as_ref().map(|f| f.w).map_err(reason),
        kendall_p: w.value.as_ref().ok().map(|f| f.p_value),
        units: ordinal.units,
        pairable: ordinal.pairable,
    }
}

/// The alpha chart's input for a round (`None` = the current round). The chart names
/// no analyst, so `anonymise` changes nothing here; it is taken for symmetry with the
/// other workshop charts.
pub fn alpha_input(
    project: &Project,
    round: Option<&str>,
    anonymise: bool,
) -> Result<AlphaInput, ChartError> {
    let _ = anonymise;
    let (scores, round_title) = round_of(project, round)?;
    let a = agreement(project, scores);
    let boot = ordinal_bootstraps(project, scores);
    let criteria = a
        .criteria
        .iter()
        .enumerate()
        .map(|(i, k)| {
            row(
                &k.name,
                &k.alpha_ordinal,
                &k.alpha_interval,
                &k.kendall_w,
                boot.criterion(i),
            )
        })
        .collect();
    let o = &a.overall;
    let overall = (!a.criteria.is_empty()).then(|| {
        row(
            "All criteria (pooled)",
            &o.alpha_ordinal,
            &o.alpha_interval,
            &o.kendall_w,
            boot.overall.as_ref(),
        )
    });
    Ok(AlphaInput {
        round: round_title,
        analysts: project.analysts.len(),
        criteria,
        overall,
        title_suffix: None,
        project_title: project.info.title.clone(),
    })
}

/// "0.81" for Kendall's W.
fn coef(v: f64) -> String {
    crate::wording::fixed(v, 2)
}

fn alpha_text(v: f64) -> String {
    crate::wording::alpha_value(v)
}

/// "p < 0.001", "p = 0.012".
fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {}", crate::wording::fixed(p, 3))
    }
}

/// The W part of a row's label.
fn w_text(r: &AlphaRow) -> String {
    match (&r.kendall_w, r.kendall_p) {
        (Ok(w), Some(p)) => format!("Kendall's W {} ({})", coef(*w), p_text(p)),
        (Ok(w), None) => format!("Kendall's W {}", coef(*w)),
        (Err(_), _) => "Kendall's W not computable".to_string(),
    }
}

/// The W of a row in a few characters: "W 0.81", "W –".
fn w_short(r: &AlphaRow) -> String {
    match &r.kendall_w {
        Ok(w) => format!("W {}", coef(*w)),
        Err(_) => "W –".to_string(),
    }
}

pub(crate) fn draw<DB: DrawingBackend>(c: &Canvas<DB>, input: &AlphaInput) -> Res {
    let title = format!(
        "Agreement between the analysts per criterion — {}",
        input.round
    );
    let few = input.analysts < 2;
    let subtitle = if few {
        too_few_analysts(input.analysts)
    } else {
        format!(
            "Krippendorff's alpha with the mechanisms as units and the {} analysts as coders: ordinal (bar; the primary figure for anchored scales) and interval (diamond). \
             1 = perfect agreement, 0 = no better than chance. Whisker: the ordinal alpha's 95% bootstrap interval ({} resamples of the mechanisms, seed {}), with P(α < {ALPHA_TENTATIVE}) beside it. \
             Kendall's W: do the analysts rank the mechanisms alike (0–1)?",
            input.analysts,
            crate::wording::thousands(alpha_bootstrap::SAMPLES),
            alpha_bootstrap::SEED
        )
    };
    let frame = Frame {
        title: &title,
        suffix: input.title_suffix.as_deref(),
        subtitle: vec![subtitle],
        notes: vec![
            format!(
                "Reading (Krippendorff): α ≥ {ALPHA_RELIABLE} reliable; {ALPHA_TENTATIVE} ≤ α < {ALPHA_RELIABLE} tentative conclusions only; below, not reliable. \
                 With few mechanisms and analysts alpha is unstable: read it with the units and values it rests on (right). \
                 Pooled: every cell a unit, each value placed on its criterion's scale."
            ),
            source_line(&input.project_title),
        ],
    };
    let plot = draw_frame(c, &frame)?;
    let mut rows: Vec<&AlphaRow> = input.criteria.iter().collect();
    let pooled = input.overall.as_ref();
    if few || rows.is_empty() {
        let msg = if few {
            "Nothing to compare: fewer than two analysts."
        } else {
            "There is nothing to plot: the framework has no criteria."
        };
        return super::frame::message(c, plot, msg);
    }
    if let Some(p) = pooled {
        rows.push(p);
    }
    let n = rows.len();
    let pooled_gap = if pooled.is_some() { c.pt(8.0) } else { 0.0 };

    // Legend.
    let legend_font = c.font(size::LABEL);
    let bar_col = c.theme.series(0);
    let int_col = c.theme.series(1);
    let entries = vec![
        (Swatch::Bar(bar_col), "Ordinal alpha".to_string()),
        (
            Swatch::Dot(Marker::Diamond, int_col),
            "Interval alpha".to_string(),
        ),
        (
            Swatch::Whisker(c.theme.fg),
            "95% interval (ordinal)".to_string(),
        ),
        (
            Swatch::Dashed(c.theme.fg),
            format!("Thresholds {ALPHA_TENTATIVE} and {ALPHA_RELIABLE}"),
        ),
    ];
    let legend_h = draw_legend(c, &entries, &legend_font, plot.x0, plot.y0, plot.w())?;

    // Threshold captions above the body, on two lines: "tentative" (upper) starts at
    // its line, "not reliable" ends at it and "reliable" starts at the 0.8 line
    // (lower), so no caption crosses a line.
    let tick_font = c.font(size::TICK).color(c.theme.muted);
    let cap_font = c.font(size::TICK);
    let cap_h = cap_font.line_height() * 2.0 + c.pt(2.0);
    let axis_font = c.font(size::LABEL).color(c.theme.muted);
    let axis_h = tick_font.line_height() + axis_font.line_height() + c.pt(8.0);
    let body = Rect::new(
        plot.x0,
        plot.y0 + legend_h + c.pt(8.0) + cap_h,
        plot.x1,
        plot.y1 - axis_h,
    );
    let rh = (body.h() - pooled_gap) / n as f64;
    let (font, two_lines) = row_label_font(c, rh);
    let muted = font.color(c.theme.muted);
    let label_w = rows
        .iter()
        .map(|r| {
            if two_lines {
                measure(&r.name, &font).max(measure(&w_text(r), &muted))
            } else {
                measure(&format!("{} · {}", r.name, w_short(r)), &font)
            }
        })
        .fold(0.0, f64::max)
        .min(plot.w() * 0.3)
        + c.pt(12.0);
    let value_text = |r: &AlphaRow| -> (String, String) {
        match &r.ordinal {
            Ok(v) => (
                match (&r.sure, two_lines) {
                    (Some(b), false) => format!(
                        "{} {} · P(α < {}) {}",
                        alpha_text(*v),
                        Reading::of(*v).as_str(),
                        b.threshold,
                        alpha_bootstrap::probability(b.p_below)
                    ),
                    _ => format!("{} {}", alpha_text(*v), Reading::of(*v).as_str()),
                },
                match &r.sure {
                    Some(b) => format!(
                        "P(α < {}) {} · {} units",
                        b.threshold,
                        alpha_bootstrap::probability(b.p_below),
                        r.units
                    ),
                    None => format!("{} units · {} values", r.units, r.pairable),
                },
            ),
            Err(_) => (
                "–".to_string(),
                format!("{} units · {} values", r.units, r.pairable),
            ),
        }
    };
    let value_w = rows
        .iter()
        .map(|r| {
            let (a, b) = value_text(r);
            measure(&a, &font.bold()).max(if two_lines { measure(&b, &muted) } else { 0.0 })
        })
        .fold(0.0, f64::max)
        + c.pt(12.0);

    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| {
            [
                r.ordinal.as_ref().ok(),
                r.interval.as_ref().ok(),
                r.sure.as_ref().map(|b| &b.low),
            ]
        })
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let min_v = values.iter().copied().fold(0.0, f64::min);
    let lo = if min_v < 0.0 {
        ((min_v / 0.2).floor() * 0.2).max(-10.0)
    } else {
        0.0
    };
    let hi = 1.0;
    let x0 = body.x0 + label_w + c.pt(6.0);
    let x1 = (body.x1 - value_w - c.pt(10.0)).max(x0 + c.pt(60.0));
    let x_of = |v: f64| x0 + (x1 - x0) * ((v.clamp(lo, hi) - lo) / (hi - lo));
    let y_top = |i: usize| {
        body.y0
            + rh * i as f64
            + if pooled.is_some() && i == n - 1 {
                pooled_gap
            } else {
                0.0
            }
    };

    // Zebra, grid, axis.
    zebra(c, plot, n, rh, y_top)?;
    let ticks = nice_ticks(lo, hi, 5)
        .into_iter()
        .map(|t| (x_of(t), tick_label(t)));
    x_grid(c, body, ticks, &tick_font)?;
    c.line(
        &[(x_of(0.0), body.y0), (x_of(0.0), body.y1)],
        solid(c.theme.axis),
        c.pt(1.0),
    )?;
    c.text(
        "Krippendorff's alpha",
        (
            (x0 + x1) / 2.0,
            body.y1 + c.pt(6.0) + tick_font.line_height(),
        ),
        &axis_font,
        (H::Center, V::Top),
    )?;
    if pooled.is_some() {
        let y = y_top(n - 1) - pooled_gap / 2.0;
        c.line(
            &[(plot.x0, y), (plot.x1, y)],
            solid(c.theme.axis),
            c.pt(1.0),
        )?;
    }

    // Thresholds and their captions.
    let (xt, xr) = (x_of(ALPHA_TENTATIVE), x_of(ALPHA_RELIABLE));
    let upper = body.y0 - cap_h;
    let lower = upper + cap_font.line_height();
    let g = c.pt(4.0);
    c.text(
        &fit(
            &format!("tentative ≥ {ALPHA_TENTATIVE}"),
            &cap_font,
            plot.x1 - xt - g,
        ),
        (xt + g, upper),
        &cap_font,
        (H::Left, V::Top),
    )?;
    c.text(
        &fit(
            &format!("reliable ≥ {ALPHA_RELIABLE}"),
            &cap_font,
            plot.x1 - xr - g,
        ),
        (xr + g, lower),
        &cap_font,
        (H::Left, V::Top),
    )?;
    c.text(
        &fit("not reliable", &cap_font.color(c.theme.muted), xt - g - x0),
        (xt - g, lower),
        &cap_font.color(c.theme.muted),
        (H::Right, V::Top),
    )?;

    // Rows.
    let bar_h = (rh * 0.5).clamp(1.0, c.pt(22.0));
    let r_mark = (bar_h * 0.42).clamp(c.pt(3.0), c.pt(6.5));
    // Reasons instead of bars, drawn last (over the threshold lines).
    let mut reasons: Vec<(usize, f64, Vec<String>)> = Vec::new();
    let lh = font.line_height();
    for (i, r) in rows.iter().enumerate() {
        let yc = y_top(i) + rh / 2.0;
        let is_pooled = pooled.is_some() && i == n - 1;
        let name_font = if is_pooled { font.bold() } else { font };
        if two_lines {
            c.text(
                &fit(&r.name, &name_font, label_w - c.pt(12.0)),
                (body.x0, yc - lh * 0.5),
                &name_font,
                (H::Left, V::Middle),
            )?;
            c.text(
                &fit(&w_text(r), &muted, label_w - c.pt(12.0)),
                (body.x0, yc + lh * 0.5),
                &muted,
                (H::Left, V::Middle),
            )?;
        } else {
            // The W after the name, which gives way.
            let w = format!(" · {}", w_short(r));
            let room = (label_w - c.pt(12.0) - measure(&w, &muted)).max(0.0);
            let name = fit(&r.name, &name_font, room);
            c.text(&name, (body.x0, yc), &name_font, (H::Left, V::Middle))?;
            c.text(
                &w,
                (body.x0 + measure(&name, &name_font), yc),
                &muted,
                (H::Left, V::Middle),
            )?;
        }
        let (a, b) = value_text(r);
        let vx = body.x1 - value_w + c.pt(12.0);
        let (ya, yb) = if two_lines {
            (yc - lh * 0.5, yc + lh * 0.5)
        } else {
            (yc, yc)
        };
        c.text(
            &fit(&a, &font.bold(), value_w),
            (vx, ya),
            &font.bold(),
            (H::Left, V::Middle),
        )?;
        if two_lines {
            c.text(
                &fit(&b, &muted, value_w),
                (vx, yb),
                &muted,
                (H::Left, V::Middle),
            )?;
        }
        match &r.ordinal {
            Ok(v) => {
                let (a, b) = (x_of(0.0), x_of(*v));
                let rect = Rect::new(
                    a.min(b),
                    yc - bar_h / 2.0,
                    a.max(b).max(a.min(b) + 1.0),
                    yc + bar_h / 2.0,
                );
                c.fill_rect(rect, solid(bar_col))?;
                if let Some(b) = &r.sure {
                    let (l, h) = (x_of(b.low), x_of(b.high));
                    let cap = bar_h * 0.35;
                    let col = solid(c.theme.fg);
                    c.line(&[(l, yc), (h, yc)], col, c.pt(1.5))?;
                    c.line(&[(l, yc - cap), (l, yc + cap)], col, c.pt(1.5))?;
                    c.line(&[(h, yc - cap), (h, yc + cap)], col, c.pt(1.5))?;
                }
            }
            Err(why) => {
                let text = format!("Not computable: {why}");
                let lines = wrap(
                    &text,
                    &muted,
                    x1 - x0 - c.pt(8.0),
                    if two_lines { 2 } else { 1 },
                );
                reasons.push((i, yc, lines));
            }
        }
        if let Ok(v) = r.interval {
            let p = (x_of(v), yc);
            c.marker(Marker::Diamond, p, r_mark + c.pt(1.2), solid(c.theme.bg))?;
            c.marker(Marker::Diamond, p, r_mark, solid(int_col))?;
        }
    }
    // The threshold lines over the bars, so that a bar's crossing shows.
    let dash = c.pt(4.0);
    c.dashed(
        (xt, upper + c.pt(1.0)),
        (xt, body.y1),
        solid(c.theme.fg),
        c.pt(1.2),
        dash,
    )?;
    c.dashed(
        (xr, lower + c.pt(1.0)),
        (xr, body.y1),
        solid(c.theme.fg),
        c.pt(1.2),
        dash,
    )?;
    for (i, yc, lines) in reasons {
        let k = lines.len() as f64;
        for (j, l) in lines.iter().enumerate() {
            let y = yc + (j as f64 - (k - 1.0) / 2.0) * lh;
            let w = measure(l, &muted);
            let plate = Rect::new(
                x0 + c.pt(2.0),
                y - lh / 2.0,
                x0 + c.pt(6.0) + w + c.pt(8.0),
                y + lh / 2.0,
            );
            let ground = if i % 2 == 1 {
                c.theme.zebra
            } else {
                c.theme.bg
            };
            c.fill_rect(plate, solid(ground))?;
            c.text(l, (x0 + c.pt(6.0), y), &muted, (H::Left, V::Middle))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(p_text(0.0004), "p < 0.001");
        assert_eq!(p_text(0.0429), "p = 0.043");
        assert_eq!(coef(0.6237), "0.62");
        assert_eq!(alpha_text(0.7996), "0.799");
        assert_eq!(alpha_text(0.8), "0.800");
        assert_eq!(alpha_text(0.6669), "0.666");
        assert_eq!(alpha_text(-0.0004), "-0.001");
        assert_eq!(alpha_text(0.0), "0.000");
        assert_eq!(
            reason(&NotComputable::NoVariation),
            "no variation (every analyst gave every mechanism the same value)"
        );
    }
}
