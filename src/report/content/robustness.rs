//! The robustness section: weight stability intervals, the smallest change that
//! changes who is first, and rank acceptability (SMAA) when it was run.

use crate::charts::{self, ChartKind, ChartOptions, TornadoBar, TornadoText};
use crate::compute::sensitivity::{self, RankScope, Shift, WeightTarget};

use super::{CHART_H, CHART_SCALE, CHART_W, Draft};
use crate::report::doc::{Block, Table, Tone, strong, text};
use crate::wording::{and_list, percent, percent_one_decimal};

impl<'a> Draft<'a> {
    pub(super) fn robustness(&mut self) {
        self.h2("robustness", "Robustness of the ranking", true);
        let fw = self.fw();
        let fc = sensitivity::first_place_change(fw, &self.matrix);
        self.para(
            Tone::Plain,
            vec![
                strong("Smallest change of the first place. "),
                text(fc.describe()),
            ],
        );

        let intervals: Vec<sensitivity::WeightInterval> =
            sensitivity::weight_intervals(fw, &self.matrix, RankScope::Top(1))
                .into_iter()
                .filter(|w| w.movable)
                .collect();
        if fc.first.is_empty() || intervals.is_empty() {
            self.para(
                Tone::Note,
                vec![text(
                    "No weight stability intervals: no mechanism has a total, or no weight can move.",
                )],
            );
        } else {
            self.para(
                Tone::Plain,
                vec![text(
                    "How far each weight can move, the other weights of its level rescaled \
                     proportionally, before another mechanism reaches first place. Shares are of \
                     the composite (groups) or of the criterion's group (criteria).",
                )],
            );
            if self.opts.include_charts {
                let bars: Vec<TornadoBar> = intervals
                    .iter()
                    .map(|w| TornadoBar {
                        label: self.target_label(w.target, &w.label),
                        low: 100.0 * w.low_share,
                        high: 100.0 * w.high_share,
                        base: 100.0 * w.current_share,
                    })
                    .collect();
                let mut co = ChartOptions::new(ChartKind::Ranking);
                co.width = CHART_W;
                co.scale = CHART_SCALE;
                co.height = (260 + 40 * bars.len() as u32).clamp(CHART_H / 2, 2400);
                let words = TornadoText::weight_stability(
                    "How far can each weight move before first place changes?",
                );
                let block = match charts::render_tornado_text_svg(&bars, &words, &co) {
                    Ok(svg) => Block::Chart {
                        stem: "tornado".into(),
                        title: "Weight stability".into(),
                        svg,
                        caption: "Each bar runs from the lowest to the highest share of one weight \
                                  at which the first place stays the same; the mark is the share now. \
                                  Short bars are the weights the first place is most sensitive to."
                            .into(),
                    },
                    Err(e) => Block::Para(
                        Tone::Note,
                        vec![text(format!("The tornado chart could not be drawn: {e}."))],
                    ),
                };
                self.out.push(block);
            }
            let mut sorted: Vec<&sensitivity::WeightInterval> = intervals.iter().collect();
            sorted.sort_by(|a, b| a.width().total_cmp(&b.width()));
            let rows = sorted
                .iter()
                .map(|w| {
                    vec![
                        vec![text(self.target_label(w.target, &w.label))],
                        vec![text(percent(w.current_share))],
                        vec![text(format!(
                            "{} – {}",
                            percent(w.low_share),
                            percent(w.high_share)
                        ))],
                        vec![text(self.beyond(w))],
                    ]
                })
                .collect();
            self.out.push(Block::Table(Table {
                head: vec![
                    "Weight".into(),
                    "Share now".into(),
                    "First place holds".into(),
                    "Beyond the interval".into(),
                ],
                rows,
                numeric: vec![false, true, true, false],
                class: "robustness",
            }));
        }
        self.smaa();
    }

    pub(super) fn target_label(&self, t: WeightTarget, label: &str) -> String {
        match t {
            WeightTarget::Group(_) => format!("{label} (group)"),
            WeightTarget::Criterion(c) => {
                let group = self
                    .fw()
                    .criteria()
                    .nth(c)
                    .map(|(g, _)| self.fw().groups[g].name.clone())
                    .unwrap_or_default();
                if group.is_empty() {
                    label.to_string()
                } else {
                    format!("{label} (in {group})")
                }
            }
        }
    }

    pub(super) fn row_names(&self, rows: &[usize]) -> String {
        let names: Vec<String> = rows
            .iter()
            .filter_map(|r| self.matrix.rows.get(*r))
            .map(|r| format!("‘{}’", r.name))
            .collect();
        and_list(&names)
    }

    pub(super) fn beyond(&self, w: &sensitivity::WeightInterval) -> String {
        let describe = |c: &sensitivity::RankChange| -> String {
            let who = match c.shift {
                Shift::Rises { row, .. } => self.row_names(&[row]),
                Shift::LosesTotal { row } => self.row_names(&[row]),
            };
            let first = self.row_names(&c.first_after);
            if first.is_empty() || first == who {
                format!("{who} becomes first")
            } else {
                format!("{who} reaches first place ({first} first)")
            }
        };
        let mut parts = Vec::new();
        if let Some(c) = &w.low_change {
            let at = if c.share <= 1e-9 {
                "at 0%".to_string()
            } else {
                format!("at {} and below", percent(c.share))
            };
            parts.push(format!("{at}: {}", describe(c)));
        }
        if let Some(c) = &w.high_change {
            let at = if c.share >= 1.0 - 1e-9 {
                "at 100%".to_string()
            } else {
                format!("at {} and above", percent(c.share))
            };
            parts.push(format!("{at}: {}", describe(c)));
        }
        if parts.is_empty() {
            "the first place holds over the whole range".to_string()
        } else {
            parts.join("; ")
        }
    }

    pub(super) fn smaa(&mut self) {
        let Some(s) = self.opts.smaa else {
            self.para(
                Tone::Note,
                vec![text(
                    "Rank acceptability (Monte Carlo, SMAA-2) was not run for this report, so the \
                     ranks above are shown without how often the uncertain inputs would change them.",
                )],
            );
            return;
        };
        let ids: Vec<String> = self
            .matrix
            .rows
            .iter()
            .map(|r| r.mechanism_id.clone())
            .collect();
        if s.mechanism_ids != ids || s.rank_counts.len() != ids.len() {
            self.para(
                Tone::Note,
                vec![text(
                    "Rank acceptability results were given, but for another set of mechanisms \
                     than this report's selection; they are left out.",
                )],
            );
            return;
        }
        self.h3(Some("smaa".into()), "Rank acceptability (SMAA-2)");
        self.para(
            Tone::Plain,
            vec![text(format!(
                "How often each mechanism takes each rank when the inputs vary: {} (how to reproduce it: see the technical notes). \
                 \"No total\" is the share of samples in which the mechanism had too little assessed to get a total. \
                 The confidence factor is how often it is still first when the weights are its central weights (the typical \
                 weights that make it first) and only the scores vary; — when it is never first.",
                s.options.describe(),
            ))],
        );
        let m = ids.len();
        let shown = m.min(5);
        let mut head = vec!["Mechanism".to_string()];
        head.extend((1..=shown).map(|r| format!("Rank {r}")));
        head.push("No total".into());
        head.push("Confidence factor".into());
        let mut order: Vec<usize> = (0..m).collect();
        order.sort_by(|a, b| s.acceptability(*b, 1).total_cmp(&s.acceptability(*a, 1)));
        let rows = order
            .iter()
            .map(|&i| {
                let mut row = vec![vec![text(self.matrix.rows[i].name.clone())]];
                row.extend(
                    (1..=shown).map(|r| vec![text(percent_one_decimal(s.acceptability(i, r)))]),
                );
                row.push(vec![text(percent_one_decimal(s.unranked(i)))]);
                row.push(vec![text(
                    s.confidence[i].map_or_else(|| "—".into(), percent_one_decimal),
                )]);
                row
            })
            .collect();
        let mut numeric = vec![false];
        numeric.extend(std::iter::repeat_n(true, shown + 2));
        self.out.push(Block::Table(Table {
            head,
            rows,
            numeric,
            class: "smaa",
        }));
    }
}
