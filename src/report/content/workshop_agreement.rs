//! The workshop agreement section: how far the analysts agree, the most disputed
//! cells, and the workshop charts (agreement per criterion, spread per cell).

use crate::compute::stats;

use std::collections::BTreeSet;

use super::{CHART_H, CHART_SCALE, CHART_W, DISPUTED_N, Draft};
use crate::charts::{self, ChartKind, ChartOptions};
use crate::compute::agreement;
use crate::compute::alpha_bootstrap;
use crate::model::*;
use crate::report::doc::{Block, Table, Tone, strong, text};

impl<'a> Draft<'a> {
    pub(super) fn agreement(&mut self) {
        let analysts = self.scoring_analysts();
        if analysts.len() < 2 {
            return;
        }
        self.h2("agreement", "Workshop agreement", true);
        self.para(
            Tone::Note,
            vec![text(format!(
                "Spread of the {} analysts' scores (base assessment, numbers only; not assessed \
                 and not applicable are missing values). For each cell scored by two analysts or \
                 more, the median absolute deviation (MAD: the median distance of the scores from \
                 their median) and the range, in scale points. Per criterion, Krippendorff's alpha \
                 (ordinal; mechanisms as units: ≥ {} reliable, ≥ {} tentative, below that not \
                 reliable) with how sure it is — a 95% interval from {} bootstrap resamples of \
                 the mechanisms (seed {}) and the probability that alpha is below {} — and \
                 Kendall's W (0 = no common ranking of the mechanisms, 1 = the same \
                 ranking by everyone; mechanisms every analyst scored).",
                analysts.len(),
                agreement::ALPHA_RELIABLE,
                agreement::ALPHA_TENTATIVE,
                crate::wording::thousands(alpha_bootstrap::SAMPLES),
                alpha_bootstrap::SEED,
                agreement::ALPHA_TENTATIVE
            ))],
        );
        let ag = agreement::agreement(self.p, self.scores());
        let boot = alpha_bootstrap::ordinal_bootstraps(self.p, self.scores());
        let sure = |b: Option<&alpha_bootstrap::AlphaBootstrap>| {
            b.map_or_else(|| "—".to_string(), alpha_bootstrap::describe)
        };
        let alpha_text = |a: &agreement::Alpha| match &a.value {
            Ok(x) => format!(
                "{} ({})",
                crate::wording::alpha_value(*x),
                a.reading().map_or("", agreement::Reading::as_str)
            ),
            Err(_) => "—".to_string(),
        };
        let w_text = |w: &agreement::KendallW| match &w.value {
            Ok(f) => format!(
                "{} (p = {})",
                crate::wording::fixed(f.w, 2),
                crate::wording::fixed(f.p_value, 3)
            ),
            Err(_) => "—".to_string(),
        };
        let o = &ag.overall;
        self.para(
            Tone::Plain,
            vec![
                strong("Overall"),
                text(format!(
                    " (every cell, each on its scale): Krippendorff's alpha (ordinal) {} ({}), \
                     Kendall's W {}.",
                    alpha_text(&o.alpha_ordinal),
                    sure(boot.overall.as_ref()),
                    w_text(&o.kendall_w)
                )),
            ],
        );
        struct Disputed {
            mech: String,
            crit: String,
            scores: String,
            median: f64,
            mad: f64,
            range: f64,
        }
        let mut disputed = Vec::new();
        let mut rows = Vec::new();
        for (ci, c) in self.criteria().into_iter().enumerate() {
            let mut who: BTreeSet<&str> = BTreeSet::new();
            let mut mads = Vec::new();
            let mut max_range: f64 = 0.0;
            for m in &self.p.mechanisms {
                let mut nums = Vec::new();
                let mut labels = Vec::new();
                for a in &analysts {
                    if let Some(v) = self
                        .score(&a.id, &m.id, &c.id)
                        .and_then(|s| s.value.number())
                    {
                        who.insert(a.id.as_str());
                        nums.push(v);
                        labels.push(format!("{} {}", a.name, format_value(v)));
                    }
                }
                if nums.len() < 2 {
                    continue;
                }
                let med = stats::median(&nums).unwrap_or(0.0);
                let dev: Vec<f64> = nums.iter().map(|x| (x - med).abs()).collect();
                let mad = stats::median(&dev).unwrap_or(0.0);
                let (lo, hi) = nums
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                        (a.min(*x), b.max(*x))
                    });
                mads.push(mad);
                max_range = max_range.max(hi - lo);
                disputed.push(Disputed {
                    mech: m.name.clone(),
                    crit: c.name.clone(),
                    scores: labels.join(" · "),
                    median: med,
                    mad,
                    range: hi - lo,
                });
            }
            let n = |x: f64| crate::wording::trimmed(x, 2);
            let ca = ag.criterion(&c.id);
            rows.push(vec![
                vec![text(c.name.clone())],
                vec![text(ca.map_or_else(
                    || "—".into(),
                    |a| alpha_text(&a.alpha_ordinal),
                ))],
                vec![text(sure(boot.criterion(ci)))],
                vec![text(
                    ca.map_or_else(|| "—".into(), |a| w_text(&a.kendall_w)),
                )],
                vec![text(who.len().to_string())],
                vec![text(mads.len().to_string())],
                vec![text(stats::median(&mads).map_or_else(|| "—".into(), n))],
                vec![text(
                    mads.iter()
                        .copied()
                        .reduce(f64::max)
                        .map_or_else(|| "—".into(), n),
                )],
                vec![text(if mads.is_empty() {
                    "—".into()
                } else {
                    n(max_range)
                })],
            ]);
        }
        self.out.push(Block::Table(Table {
            head: vec![
                "Criterion".into(),
                "Krippendorff's α (ordinal)".into(),
                "How sure (bootstrap)".into(),
                "Kendall's W".into(),
                "Analysts scoring".into(),
                "Cells scored by ≥ 2".into(),
                "Median MAD".into(),
                "Largest MAD".into(),
                "Largest range".into(),
            ],
            rows,
            numeric: vec![false, true, false, true, true, true, true, true, true],
            class: "agreement",
        }));
        disputed.retain(|d| d.range > 0.0);
        disputed.sort_by(|a, b| b.mad.total_cmp(&a.mad).then(b.range.total_cmp(&a.range)));
        if disputed.is_empty() {
            self.para(
                Tone::Plain,
                vec![text(
                    "The analysts agree on every cell that two or more of them scored.",
                )],
            );
            return;
        }
        self.para(
            Tone::Plain,
            vec![
                strong("Most disputed cells"),
                text(" (largest MAD, then range):"),
            ],
        );
        let rows = disputed
            .iter()
            .take(DISPUTED_N)
            .map(|d| {
                vec![
                    vec![text(d.mech.clone())],
                    vec![text(d.crit.clone())],
                    vec![text(d.scores.clone())],
                    vec![text(format_value(d.median))],
                    vec![text(format_value(d.mad))],
                    vec![text(format_value(d.range))],
                ]
            })
            .collect();
        self.out.push(Block::Table(Table {
            head: vec![
                "Mechanism".into(),
                "Criterion".into(),
                "Scores".into(),
                "Median".into(),
                "MAD".into(),
                "Range".into(),
            ],
            rows,
            numeric: vec![false, false, false, true, true, true],
            class: "disputed",
        }));
        if self.opts.include_charts {
            self.workshop_charts();
        }
    }

    /// The workshop charts of the round the report shows: agreement per criterion and
    /// the spread per cell, analysts anonymised unless the project reveals them.
    fn workshop_charts(&mut self) {
        let round = self.opts.selection.round.as_deref();
        let anon = !self.p.workshop.reveal_names;
        let mut co = ChartOptions::new(ChartKind::Heatmap);
        co.width = CHART_W;
        co.height = CHART_H;
        co.scale = CHART_SCALE;
        let alpha = charts::alpha_input(self.p, round, anon)
            .and_then(|i| charts::render_alpha_svg(&i, &co));
        // The spread heatmap has one row per mechanism: it grows with them.
        let mut tall = co.clone();
        tall.height = (300 + 29 * self.p.mechanisms.len() as u32).clamp(CHART_H * 2 / 3, 2600);
        let spread = charts::spread_input(self.p, round, anon)
            .and_then(|i| charts::render_spread_svg(&i, &tall));
        for (stem, title, caption, svg) in [
            (
                "alpha",
                "Agreement per criterion",
                "Krippendorff's alpha per criterion (ordinal, with the interval alpha as a second \
                 marker) against the 0.667 and 0.8 lines, and Kendall's W in each label.",
                alpha,
            ),
            (
                "spread",
                "Spread per cell",
                "Each cell shaded by the interquartile range of the analysts' scores (the width of \
                 their middle half), with the median in the cell: the darker, the more to discuss.",
                spread,
            ),
        ] {
            self.out.push(match svg {
                Ok(svg) => Block::Chart {
                    stem: stem.to_string(),
                    title: title.to_string(),
                    svg,
                    caption: caption.to_string(),
                },
                Err(e) => Block::Para(
                    Tone::Note,
                    vec![text(format!(
                        "The chart “{title}” could not be drawn: {e}."
                    ))],
                ),
            });
        }
    }
}
