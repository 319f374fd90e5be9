//! The framework section (groups, criteria, scales, weights) and the results table
//! (indices, totals, ranks, gates).

use super::{Draft, by_rank, mech_anchor, normalised, with_cov};
use crate::compute::{self, MechanismResult};
use crate::model::*;
use crate::report::doc::{Block, Inline, Inlines, Table, Tone, em, strong, text};
use crate::wording::percent;

impl<'a> Draft<'a> {
    pub(super) fn framework(&mut self) {
        self.h2("framework", "The framework", true);
        let fw = self.fw();
        let mut intro = vec![strong(fw.name.clone())];
        if !fw.description.trim().is_empty() {
            intro.push(text(format!(": {}", fw.description.trim())));
        }
        self.para(Tone::Plain, intro);
        let scen = self.scenario();
        let overridden =
            scen.is_some_and(|s| !s.group_weights.is_empty() || !s.criterion_weights.is_empty());
        let mut note = format!(
            "Weights are shown as normalised shares under the viewpoint “{}”: a group's share \
             of the composite total, a criterion's share of its group and of the composite. \
             Concern groups read “higher = more concern”; in this composite, {}.",
            self.results.viewpoint.name,
            self.results.viewpoint.how_counted(fw)
        );
        if overridden {
            note.push_str(" The weights are those of the hypothetical scenario in force.");
        }
        self.para(Tone::Note, vec![text(note)]);

        let gshares = normalised(&self.matrix.weights.groups);
        let mut flat = 0;
        for (gi, g) in fw.groups.iter().enumerate() {
            let cw: Vec<f64> = (flat..flat + g.criteria.len())
                .map(|i| self.matrix.weights.criteria[i])
                .collect();
            let cshares = normalised(&cw);
            flat += g.criteria.len();
            self.h3(
                Some(format!("g-{}", g.id)),
                &format!(
                    "{} — {}, {} of the composite",
                    g.name,
                    g.role.as_str(),
                    percent(gshares[gi])
                ),
            );
            let w = self.matrix.weights.groups[gi];
            let mut line = vec![em(if w > 0.0 {
                format!(
                    "{}. Group weight {} under the viewpoint “{}”.",
                    g.role.label(),
                    format_value(w),
                    self.results.viewpoint.name
                )
            } else {
                format!(
                    "{}. Not counted under the viewpoint “{}” (its criteria are still scored and shown).",
                    g.role.label(),
                    self.results.viewpoint.name
                )
            })];
            if !g.description.trim().is_empty() {
                line.push(text(format!(" {}", g.description.trim())));
            }
            self.para(Tone::Plain, line);
            if g.criteria.is_empty() {
                self.para(Tone::Note, vec![text("This group has no criteria.")]);
                continue;
            }
            let rows = g
                .criteria
                .iter()
                .enumerate()
                .map(|(ci, c)| {
                    let mut first = vec![
                        strong(c.name.clone()),
                        text(format!(
                            "\n{} · {}\n{} of the group, {} of the composite (weight {})",
                            c.id,
                            match c.direction {
                                Direction::Benefit => "benefit (higher = better)",
                                Direction::Cost => "cost (higher = worse)",
                            },
                            percent(cshares[ci]),
                            percent(cshares[ci] * gshares[gi]),
                            format_value(cw[ci])
                        )),
                    ];
                    if let Some(gate) = c.gate {
                        first.push(text("\n"));
                        first.push(strong(format!(
                            "Gate: at least {}",
                            format_value(gate.at_least)
                        )));
                        first.push(text(" (not viable below)"));
                    }
                    let def = if c.definition.trim().is_empty() {
                        vec![em("No definition given.")]
                    } else {
                        vec![text(c.definition.trim())]
                    };
                    let mut scale = Vec::new();
                    for (i, a) in c.scale.anchors.iter().enumerate() {
                        if i > 0 {
                            scale.push(text("\n"));
                        }
                        let label = a.label.trim();
                        scale.push(strong(
                            if label.is_empty() || label == a.value.to_string() {
                                a.value.to_string()
                            } else {
                                format!("{} {label}", a.value)
                            },
                        ));
                        if !a.descriptor.trim().is_empty() {
                            scale.push(text(format!(" — {}", a.descriptor.trim())));
                        }
                    }
                    if scale.is_empty() {
                        scale.push(text(format!(
                            "{} to {} (no anchors described)",
                            c.scale.min, c.scale.max
                        )));
                    }
                    vec![first, def, scale]
                })
                .collect();
            self.out.push(Block::Table(Table {
                head: vec![
                    "Criterion".into(),
                    "Definition".into(),
                    "Anchored scale".into(),
                ],
                rows,
                numeric: vec![false, false, false],
                class: "framework",
            }));
        }
        self.weighting();
    }

    // ---- results ----

    pub(super) fn results_table(&mut self) {
        self.h2("results", "Results", true);
        let fw = self.fw();
        self.para(
            Tone::Note,
            vec![text(format!(
                "Group indices run from 0 to 100: for requirements and objectives higher = stronger, \
                 for concerns higher = more concern. An index needs at least {} of its group's \
                 (weighted) criteria assessed, otherwise it shows “—”; below a number, “80% assessed” \
                 gives the weighted share of its criteria that were assessed when it is below 100%. Ranks follow the composite total; equal totals share a rank. \
                 Not assessed and not applicable are never counted as 0.",
                percent(compute::MIN_COVERAGE)
            ))],
        );
        self.para(
            Tone::Note,
            vec![text(format!(
                "{}. A rank such as “4 (1–25)” is the rank on what is assessed, then its range: \
                 the best and worst rank possible with every not-assessed cell (of every mechanism) \
                 at the favourable or the unfavourable end of its scale.",
                self.results.ranking_rule.line()
            ))],
        );
        if let Some(s) = &self.suffix {
            self.para(Tone::Caveat, vec![text(s.clone())]);
        }
        let has_gates = fw.criteria().any(|(_, c)| c.gate.is_some());
        let mut head = vec!["Rank".to_string(), "Mechanism".into(), "Composite".into()];
        head.extend(fw.groups.iter().map(Self::group_head));
        if has_gates {
            head.push("Requirement gates".into());
        }
        head.extend([
            "Not assessed".into(),
            "Not applicable".into(),
            "Low confidence".into(),
        ]);
        let mut numeric = vec![true, false, true];
        numeric.extend(fw.groups.iter().map(|_| true));
        if has_gates {
            numeric.push(false);
        }
        numeric.extend([true, true, true]);

        let rows = by_rank(&self.results)
            .into_iter()
            .map(|m| {
                let added = self
                    .matrix
                    .rows
                    .iter()
                    .any(|r| r.mechanism_id == m.id && r.added);
                let mut name = vec![Inline::Internal {
                    id: mech_anchor(&m.id),
                    text: m.name.clone(),
                }];
                if added {
                    name.push(em(" (added by the scenario)"));
                }
                let mut row = vec![
                    vec![text(crate::wording::rank_with_range(m.rank, m.rank_range))],
                    name,
                    with_cov(m.total, m.total_coverage),
                ];
                for g in &m.groups {
                    row.push(with_cov(g.index, g.coverage));
                }
                if has_gates {
                    row.push(self.gates_cell(m));
                }
                row.push(vec![text(m.not_assessed.to_string())]);
                row.push(vec![text(m.not_applicable.to_string())]);
                row.push(vec![text(m.low_confidence.to_string())]);
                row
            })
            .collect();
        self.out.push(Block::Table(Table {
            head,
            rows,
            numeric,
            class: "results",
        }));
    }

    pub(super) fn gates_cell(&self, m: &MechanismResult) -> Inlines {
        let mut v = Vec::new();
        for g in &m.failed_gates {
            if !v.is_empty() {
                v.push(text("\n"));
            }
            v.push(strong("not viable"));
            v.push(text(format!(
                ": {} {} < {}",
                self.criterion_name(&g.criterion_id),
                g.value.map_or_else(|| "?".into(), format_value),
                format_value(g.at_least)
            )));
        }
        for g in &m.unchecked_gates {
            if !v.is_empty() {
                v.push(text("\n"));
            }
            v.push(text(format!(
                "unchecked: {} not assessed",
                self.criterion_name(&g.criterion_id)
            )));
        }
        if v.is_empty() {
            v.push(text("met"));
        }
        v
    }
}
