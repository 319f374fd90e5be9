//! The scenario comparison section: what moved and why, mechanism by mechanism.

use super::Draft;
use crate::compute::gates::{self, GateFailure};
use crate::compute::{self, Results, Selection};
use crate::model::*;
use crate::report::doc::{Block, Inlines, Table, Tone, em, strong, text};
use crate::report::options::ReportError;
use crate::wording::{and_list, change_points, points, points_or_dash, score_words};

impl<'a> Draft<'a> {
    pub(super) fn comparison(&mut self, scenario_id: &str) -> Result<(), ReportError> {
        let Some(scen) = self.p.scenario(scenario_id) else {
            return Ok(());
        };
        let base_sel = Selection {
            scenario: None,
            ..self.opts.selection.clone()
        };
        let scen_sel = Selection {
            scenario: Some(scenario_id.to_string()),
            ..self.opts.selection.clone()
        };
        let base = compute::analyze(self.p, &base_sel)?;
        let alt = compute::analyze(self.p, &scen_sel)?;
        self.h2(
            &format!("comparison-{scenario_id}"),
            &format!(
                "Scenario comparison: {} (hypothetical)",
                crate::wording::without_hypothetical(&scen.name)
            ),
            true,
        );
        self.para(
            Tone::Caveat,
            vec![
                strong("Hypothetical. "),
                text(
                    "The scenario is applied on top of the base assessment, which it never changes. \
                     It compares the base assessment with the same analysts' scores.",
                ),
            ],
        );
        if !scen.narrative.trim().is_empty() {
            self.para(Tone::Plain, vec![text(scen.narrative.trim())]);
        }
        let mut items: Vec<(Option<String>, Inlines)> = scen
            .assumptions
            .iter()
            .filter(|a| !a.trim().is_empty())
            .map(|a| (None, vec![em("Assumption: "), text(a.trim())]))
            .collect();
        let fw = self.fw();
        for g in &fw.groups {
            if let Some(w) = scen.group_weights.get(&g.id) {
                items.push((
                    None,
                    vec![text(format!(
                        "Weight of the group {}: {} → {}",
                        g.name,
                        format_value(g.weight),
                        format_value(*w)
                    ))],
                ));
            }
        }
        for (_, c) in fw.criteria() {
            if let Some(w) = scen.criterion_weights.get(&c.id) {
                items.push((
                    None,
                    vec![text(format!(
                        "Weight of the criterion {}: {} → {}",
                        c.name,
                        format_value(c.weight),
                        format_value(*w)
                    ))],
                ));
            }
        }
        for o in &scen.score_overrides {
            let name = self
                .p
                .mechanism(&o.mechanism)
                .map(|m| m.name.clone())
                .or_else(|| {
                    scen.added_mechanisms
                        .iter()
                        .find(|m| m.id == o.mechanism)
                        .map(|m| m.name.clone())
                })
                .unwrap_or_else(|| o.mechanism.clone());
            let mut v = vec![text(format!(
                "Score of {} on {}: {}",
                name,
                self.criterion_name(&o.criterion),
                score_words(o.score.value)
            ))];
            if !o.score.rationale.trim().is_empty() {
                v.push(text(format!(" — {}", o.score.rationale.trim())));
            }
            v.extend(self.refs(&o.score.sources));
            items.push((None, v));
        }
        for id in &scen.excluded_mechanisms {
            let name = self
                .p
                .mechanism(id)
                .map_or(id.as_str(), |m| m.name.as_str());
            items.push((None, vec![text(format!("Excluded: {name}"))]));
        }
        for m in &scen.added_mechanisms {
            items.push((None, vec![text(format!("Added: {}", m.name))]));
        }
        if !items.is_empty() {
            self.para(Tone::Plain, vec![strong("What the scenario changes:")]);
            self.out.push(Block::List {
                ordered: false,
                items,
            });
        }

        // Totals and ranks, base vs scenario.
        struct Line {
            id: String,
            name: String,
            base: Option<(Option<f64>, Option<usize>)>,
            alt: Option<(Option<f64>, Option<usize>)>,
            /// Its viability in words when not viable on some side.
            viability: Option<String>,
        }
        let failed = |r: &Results, id: &str| -> Option<Vec<GateFailure>> {
            r.mechanisms
                .iter()
                .find(|m| m.id == id)
                .map(|m| gates::failures(fw, m))
        };
        let viability = |id: &str| {
            gates::viability_text(failed(&base, id).as_deref(), failed(&alt, id).as_deref())
        };
        let mut lines: Vec<Line> = base
            .mechanisms
            .iter()
            .map(|m| Line {
                id: m.id.clone(),
                name: m.name.clone(),
                base: Some((m.total, m.rank)),
                alt: alt
                    .mechanisms
                    .iter()
                    .find(|a| a.id == m.id)
                    .map(|a| (a.total, a.rank)),
                viability: viability(&m.id),
            })
            .collect();
        for a in &alt.mechanisms {
            if !base.mechanisms.iter().any(|m| m.id == a.id) {
                lines.push(Line {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    base: None,
                    alt: Some((a.total, a.rank)),
                    viability: viability(&a.id),
                });
            }
        }
        let key = |l: &Line| {
            (
                l.alt.and_then(|a| a.1).unwrap_or(usize::MAX),
                l.base.and_then(|b| b.1).unwrap_or(usize::MAX),
            )
        };
        lines.sort_by_key(key);
        // A rank with its range ("4 (1–25)") on one side.
        let rank_text = |side: &Results, id: &str, r: Option<usize>| {
            let range = side
                .mechanisms
                .iter()
                .find(|m| m.id == id)
                .and_then(|m| m.rank_range);
            crate::wording::rank_with_range(r, range)
        };
        let mut moved: Vec<(i64, f64, String)> = Vec::new();
        let rows = lines
            .iter()
            .map(|l| {
                let change = match (l.base, l.alt) {
                    (Some(_), None) => "excluded by the scenario".to_string(),
                    (None, Some(_)) => "added by the scenario".to_string(),
                    (Some((bt, br)), Some((at, ar))) => {
                        let mut parts = Vec::new();
                        match (br, ar) {
                            (Some(b), Some(a)) if a < b => parts.push(format!("up {}", b - a)),
                            (Some(b), Some(a)) if a > b => parts.push(format!("down {}", a - b)),
                            (Some(_), Some(_)) => parts.push("same rank".into()),
                            (None, Some(_)) => parts.push("gains a rank".into()),
                            (Some(_), None) => parts.push("loses its rank".into()),
                            (None, None) => {}
                        }
                        if let (Some(b), Some(a)) = (bt, at) {
                            let shown_moved = points(a) != points(b);
                            if shown_moved {
                                parts.push(format!("total {}", change_points(b, a)));
                            }
                            if let (Some(rb), Some(ra)) = (br, ar)
                                && (rb != ra || shown_moved)
                            {
                                moved.push((
                                    rb as i64 - ra as i64,
                                    a - b,
                                    format!(
                                        "{}: {}, total {} → {} ({}){}",
                                        l.name,
                                        if rb == ra {
                                            format!("rank {rb} (same)")
                                        } else {
                                            format!("rank {rb} → {ra}")
                                        },
                                        points(b),
                                        points(a),
                                        change_points(b, a),
                                        l.viability
                                            .as_ref()
                                            .map_or_else(String::new, |v| format!("; {v}"))
                                    ),
                                ));
                            }
                        }
                        parts.join(", ")
                    }
                    (None, None) => String::new(),
                };
                let change = match &l.viability {
                    Some(v) if change.is_empty() => v.clone(),
                    Some(v) => format!("{change}; {v}"),
                    None => change,
                };
                vec![
                    vec![text(l.name.clone())],
                    vec![text(points_or_dash(l.base.and_then(|b| b.0)))],
                    vec![text(rank_text(&base, &l.id, l.base.and_then(|b| b.1)))],
                    vec![text(points_or_dash(l.alt.and_then(|a| a.0)))],
                    vec![text(rank_text(&alt, &l.id, l.alt.and_then(|a| a.1)))],
                    vec![text(change)],
                ]
            })
            .collect();
        let firsts = |r: &Results| -> Vec<String> {
            r.mechanisms
                .iter()
                .filter(|m| m.rank == Some(1))
                .map(|m| m.name.clone())
                .collect()
        };
        let (fb, fa) = (firsts(&base), firsts(&alt));
        let first = if fb == fa {
            if fb.is_empty() {
                "No mechanism has a total in either.".to_string()
            } else {
                format!("First place is unchanged: {}.", and_list(&fb))
            }
        } else {
            format!(
                "First place: {} in the base assessment, {} in the scenario.",
                if fb.is_empty() {
                    "nobody".to_string()
                } else {
                    and_list(&fb)
                },
                if fa.is_empty() {
                    "nobody".to_string()
                } else {
                    and_list(&fa)
                }
            )
        };
        self.para(Tone::Plain, vec![strong("What moved. "), text(first)]);
        moved.sort_by(|a, b| {
            b.0.abs()
                .cmp(&a.0.abs())
                .then(b.1.abs().total_cmp(&a.1.abs()))
        });
        if moved.is_empty() {
            self.para(
                Tone::Plain,
                vec![text("No mechanism present in both changes rank or total.")],
            );
        } else {
            let items = moved
                .iter()
                .take(10)
                .map(|(_, _, s)| (None, vec![text(s.clone())]))
                .collect();
            self.out.push(Block::List {
                ordered: false,
                items,
            });
        }
        let viability_lines: Vec<(Option<String>, Inlines)> = lines
            .iter()
            .filter_map(|l| {
                l.viability
                    .as_ref()
                    .map(|v| (None, vec![strong(l.name.clone()), text(format!(" {v}."))]))
            })
            .collect();
        if viability_lines.is_empty() {
            if fw.criteria().any(|(_, c)| c.gate.is_some()) {
                self.para(
                    Tone::Plain,
                    vec![
                        strong("Viability. "),
                        text("Every mechanism meets every requirement gate on both sides."),
                    ],
                );
            }
        } else {
            self.para(
                Tone::Plain,
                vec![
                    strong("Viability. "),
                    text(
                        "A mechanism that fails a requirement gate is not viable whatever its \
                         total:",
                    ),
                ],
            );
            self.out.push(Block::List {
                ordered: false,
                items: viability_lines,
            });
        }
        self.out.push(Block::Table(Table {
            head: vec![
                "Mechanism".into(),
                "Base total".into(),
                "Base rank".into(),
                "Scenario total".into(),
                "Scenario rank".into(),
                "Change".into(),
            ],
            rows,
            numeric: vec![false, true, true, true, true, false],
            class: "comparison",
        }));
        Ok(())
    }
}
