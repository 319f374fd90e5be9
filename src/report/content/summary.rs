//! The report's opening: the header (title, selection, provenance) and the summary
//! (who comes first, the caveats the reader must know).

use super::{Draft, TOP_N, by_rank, mech_anchor, normalised};
use crate::compute::{self, MechanismResult, Selection};
use crate::model::*;
use crate::report::doc::{Block, Inline, Inlines, Tone, strong, text};
use crate::wording::{and_list, percent, plural, points, points_or_dash};

impl<'a> Draft<'a> {
    pub(super) fn header(&mut self) {
        let title = self.title();
        self.out.push(Block::Heading {
            level: 1,
            id: Some("top".into()),
            text: title,
            page_break: false,
        });
        let info = &self.p.info;
        let mut meta = vec![text(format!(
            "Assessment report · framework: {}",
            if self.fw().name.trim().is_empty() {
                self.fw().id.as_str()
            } else {
                self.fw().name.as_str()
            }
        ))];
        if !info.author.trim().is_empty() {
            meta.push(text(format!(" · author: {}", info.author.trim())));
        }
        if !info.modified.trim().is_empty() {
            meta.push(text(format!(" · last modified: {}", info.modified.trim())));
        } else if !info.created.trim().is_empty() {
            meta.push(text(format!(" · created: {}", info.created.trim())));
        }
        meta.push(text(format!(
            " · made with Policy Workbench {}",
            env!("CARGO_PKG_VERSION")
        )));
        self.para(Tone::Meta, meta);
        if let Some(s) = self.scenario() {
            self.para(
                Tone::Caveat,
                vec![
                    strong("Hypothetical scenario. "),
                    text(format!(
                        "This report shows the scenario “{}” applied on top of the base assessment. \
                         It is a what-if, not the assessment itself; the base assessment is unchanged.",
                        s.name
                    )),
                ],
            );
        }
        // Whose scores: one analyst, a closed round, or the recorded consensus.
        let whose = compute::selection_line(
            self.p,
            &Selection {
                scenario: None,
                ..self.opts.selection.clone()
            },
        );
        if let Some(line) = whose {
            self.para(
                Tone::Caveat,
                vec![text(format!(
                    "{line} (the project has {}).",
                    plural(self.p.analysts.len(), "analyst", "analysts")
                ))],
            );
        }
        // The ranking rule for missing data, which every rank below follows.
        self.para(
            Tone::Caveat,
            vec![text(format!("{}.", self.results.ranking_rule.line()))],
        );
        if !info.description.trim().is_empty() {
            self.para(Tone::Plain, vec![text(info.description.trim())]);
        }
    }

    // ---- summary ----

    pub(super) fn summary(&mut self) {
        self.h2("summary", "Summary", false);
        let fw = self.fw();
        let n_mech = self.matrix.rows.len();
        let n_crit = fw.criterion_count();
        let analysts = self.scoring_analysts();
        let who: Inlines = match self
            .opts
            .selection
            .analyst
            .as_deref()
            .and_then(|id| self.p.analyst(id))
        {
            Some(a) => vec![text("scored by "), strong(a.name.clone())],
            None if analysts.len() > 1 => {
                let names: Vec<String> = analysts.iter().map(|a| a.name.clone()).collect();
                let mut v = vec![
                    text("scored by "),
                    strong(plural(analysts.len(), "analyst", "analysts")),
                ];
                if names.len() <= 8 {
                    v.push(text(format!(" ({})", and_list(&names))));
                }
                v.push(text(
                    "; each cell is the median of the numbers the analysts gave",
                ));
                v
            }
            None => match analysts.first() {
                Some(a) => vec![
                    text("scored by "),
                    strong("1 analyst"),
                    text(format!(", {}", a.name)),
                ],
                None => vec![text("not scored yet")],
            },
        };
        let mut p = vec![
            text("This report assesses "),
            strong(plural(n_mech, "mechanism", "mechanisms")),
            text(" against "),
            strong(plural(n_crit, "criterion", "criteria")),
            text(format!(
                " in {} of the framework “{}”, ",
                plural(fw.groups.len(), "group", "groups"),
                fw.name
            )),
        ];
        p.extend(who);
        p.push(text("."));
        self.para(Tone::Plain, p);

        // Coverage.
        let cells: Vec<&compute::Cell> = self.matrix.cells.iter().flatten().collect();
        let total = cells.len();
        let scored = cells.iter().filter(|c| c.value.number().is_some()).count();
        let na = cells
            .iter()
            .filter(|c| c.value == ScoreValue::NotApplicable)
            .count();
        let missing = total - scored - na;
        let low: usize = self
            .results
            .mechanisms
            .iter()
            .map(|m| m.low_confidence)
            .sum();
        let bare = cells
            .iter()
            .filter(|c| c.value.number().is_some() && !(c.has_rationale && c.has_sources))
            .count();
        if total > 0 {
            let mut s = format!(
                "Coverage: {scored} of {total} cells ({}) carry a score; {} not assessed and {} not applicable. ",
                percent(scored as f64 / total as f64),
                missing,
                na
            );
            s.push_str(&format!(
                "{} of low confidence. ",
                plural(low, "scored cell is", "scored cells are")
            ));
            if bare > 0 {
                s.push_str(&format!(
                    "{} lack a rationale or sources.",
                    plural(bare, "scored cell", "scored cells")
                ));
            } else {
                s.push_str("Every scored cell has a rationale and sources.");
            }
            self.para(Tone::Plain, vec![text(s)]);
        }

        // Top mechanisms.
        let items: Vec<(Option<String>, Inlines)> = by_rank(&self.results)
            .into_iter()
            .filter(|m| m.rank.is_some())
            .take(TOP_N)
            .map(|m| (None, self.top_item(m)))
            .collect();
        if items.is_empty() {
            self.para(
                Tone::Plain,
                vec![text(
                    "No mechanism has a composite total yet (too few criteria assessed).",
                )],
            );
        } else {
            self.para(
                Tone::Plain,
                vec![strong("Highest composite totals"), text(":")],
            );
            self.out.push(Block::List {
                ordered: false,
                items,
            });
            if self.fw().groups.iter().any(|g| g.role == Role::Concern) {
                self.para(
                    Tone::Note,
                    vec![text(
                        "Group indices run from 0 to 100; concern indices read “higher = more concern”.",
                    )],
                );
            }
        }
        self.caveat();
        self.viewpoints();

        let not_viable: Vec<String> = self
            .results
            .mechanisms
            .iter()
            .filter(|m| !m.viable())
            .map(|m| m.name.clone())
            .collect();
        if !not_viable.is_empty() {
            self.para(
                Tone::Plain,
                vec![text(format!(
                    "{} a requirement gate and {} flagged not viable whatever the total: {}.",
                    plural(not_viable.len(), "mechanism fails", "mechanisms fail"),
                    if not_viable.len() == 1 { "is" } else { "are" },
                    and_list(&not_viable)
                ))],
            );
        }
    }

    /// Better for whom: the first three under each of the framework's viewpoints, so
    /// that a reader sees whose interest the ranking above measures and how it changes
    /// with the perspective.
    fn viewpoints(&mut self) {
        let fw = self.fw();
        if fw.viewpoints.len() < 2 {
            return;
        }
        let mut items = Vec::new();
        for v in &fw.viewpoints {
            let sel = Selection {
                viewpoint: Some(v.id.clone()),
                ..self.opts.selection.clone()
            };
            let Ok(r) = compute::analyze(self.p, &sel) else {
                continue;
            };
            // The first three, and every mechanism tied with the third: a tie is never
            // cut off by list order.
            let ranked: Vec<&MechanismResult> = by_rank(&r)
                .into_iter()
                .filter(|m| m.rank.is_some())
                .collect();
            let cutoff = ranked.get(2).and_then(|m| m.rank).unwrap_or(usize::MAX);
            let top: Vec<String> = ranked
                .into_iter()
                .take_while(|m| m.rank.is_some_and(|k| k <= cutoff))
                .map(|m| {
                    format!(
                        "{} — {}, rank {}",
                        m.name,
                        points_or_dash(m.total),
                        crate::wording::rank_with_range(m.rank, m.rank_range)
                    )
                })
                .collect();
            let current = v.id == self.results.viewpoint.id;
            let mut line = vec![
                strong(v.name.clone()),
                text(format!(
                    " ({}){}: ",
                    v.reading.phrase(),
                    if current {
                        ", the viewpoint of this report"
                    } else {
                        ""
                    }
                )),
                text(if top.is_empty() {
                    "no mechanism has a total".to_string()
                } else {
                    top.join(" · ")
                }),
            ];
            line.push(text(format!(". {}", v.perspective)));
            items.push((None, line));
        }
        if items.is_empty() {
            return;
        }
        self.para(
            Tone::Plain,
            vec![
                strong("Better for whom?"),
                text(" The first three under each viewpoint of the framework (docs/analysis.md §3a):"),
            ],
        );
        self.out.push(Block::List {
            ordered: false,
            items,
        });
    }

    pub(super) fn top_item(&self, m: &MechanismResult) -> Inlines {
        let mut v = vec![
            Inline::Internal {
                id: mech_anchor(&m.id),
                text: m.name.clone(),
            },
            text(format!(
                " — composite {} ({})",
                points_or_dash(m.total),
                crate::wording::rank_range_phrase(m.rank, m.rank_range, m.open_cells)
            )),
        ];
        if let Some(s) = self.opts.smaa
            && let Some(i) = s.mechanism_ids.iter().position(|id| *id == m.id)
        {
            let top3: f64 = (1..=3.min(s.rank_counts[i].len()))
                .map(|k| s.acceptability(i, k))
                .sum();
            v.push(text(format!(
                "; first in {} and in the top three in {} of the Monte Carlo samples",
                crate::wording::percent_one_decimal(s.acceptability(i, 1)),
                crate::wording::percent_one_decimal(top3)
            )));
        }
        if !m.viable() {
            v.push(text(" — "));
            v.push(strong("not viable"));
        }
        let parts: Vec<String> = self
            .fw()
            .groups
            .iter()
            .zip(&m.groups)
            .map(|(g, gi)| format!("{} {}", g.name, points_or_dash(gi.index)))
            .collect();
        if !parts.is_empty() {
            v.push(text(format!(". {}", parts.join(" · "))));
        }
        v
    }

    /// The composite caveat: how it is made and which groups drive its differences.
    pub(super) fn caveat(&mut self) {
        let fw = self.fw();
        if fw.groups.is_empty() {
            return;
        }
        let shares = normalised(&self.matrix.weights.groups);
        let parts: Vec<String> = fw
            .groups
            .iter()
            .zip(&shares)
            .map(|(g, s)| {
                if *s <= 0.0 {
                    return format!("{} not counted", g.name);
                }
                let inv = if compute::counts_inverted(g.role, self.results.viewpoint.reading) {
                    ", counted as 100 − index"
                } else {
                    ""
                };
                format!("{} {}{inv}", g.name, percent(*s))
            })
            .collect();
        let mut v = vec![
            strong("The total is a composite. "),
            text(format!(
                "It is a weighted mean of the group indices with the group weights {}. \
                 It depends on those weights: the group indices are the primary result, and the \
                 section Robustness shows how far the weights can move before the first place changes.",
                and_list(&parts)
            )),
        ];
        // Which groups drive the differences between totals: weight share × spread of
        // the index (as it enters the composite) across mechanisms.
        let mut drivers: Vec<(usize, f64, f64, f64)> = Vec::new();
        for (gi, g) in fw.groups.iter().enumerate() {
            let vals: Vec<f64> = self
                .results
                .mechanisms
                .iter()
                .filter(|m| m.total.is_some())
                .filter_map(|m| m.groups[gi].index)
                .map(|x| {
                    if g.role == Role::Concern {
                        100.0 - x
                    } else {
                        x
                    }
                })
                .collect();
            if vals.len() < 2 || shares[gi] <= 0.0 {
                continue;
            }
            let mean = vals.iter().sum::<f64>() / vals.len() as f64;
            let sd =
                (vals.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / vals.len() as f64).sqrt();
            let (lo, hi) = vals
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                    (a.min(*x), b.max(*x))
                });
            if sd > 1e-9 {
                drivers.push((gi, shares[gi] * sd, lo, hi));
            }
        }
        drivers.sort_by(|a, b| b.1.total_cmp(&a.1));
        if !drivers.is_empty() {
            let named: Vec<String> = drivers
                .iter()
                .take(2)
                .map(|(gi, _, lo, hi)| {
                    let g = &fw.groups[*gi];
                    let (lo, hi, what) = if g.role == Role::Concern {
                        (100.0 - hi, 100.0 - lo, "index")
                    } else {
                        (*lo, *hi, "index")
                    };
                    format!(
                        "{} (weight {}, {what} from {} to {} across mechanisms)",
                        g.name,
                        percent(shares[*gi]),
                        points(lo),
                        points(hi)
                    )
                })
                .collect();
            v.push(text(format!(
                " Differences between totals come mostly from {}.",
                and_list(&named)
            )));
        }
        self.para(Tone::Caveat, v);
    }
}
