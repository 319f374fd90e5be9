//! One section per mechanism: its scores with rationales and sources.

use super::{Draft, mech_anchor};
use crate::model::*;
use crate::report::doc::{Block, Inlines, Table, Tone, em, strong, text};
use crate::wording::{plural, points_or_dash, score_words};

impl<'a> Draft<'a> {
    pub(super) fn mechanisms(&mut self) {
        self.h2(
            "mechanisms",
            "Mechanisms: scores, rationale and sources",
            true,
        );
        self.para(
            Tone::Note,
            vec![text(if self.aggregated() {
                "For each mechanism, every criterion with the value used (the median of the analysts' \
                 numbers), its confidence, and each analyst's score and rationale. Numbers in brackets \
                 refer to the source list."
            } else {
                "For each mechanism, every criterion with its score, confidence and rationale. \
                 Numbers in brackets refer to the source list."
            })],
        );
        let criteria = self.criteria();
        let crit_group: Vec<usize> = self.fw().criteria().map(|(g, _)| g).collect();
        let scen = self.scenario();
        let mut all = Vec::new();
        for (ri, row) in self.matrix.rows.iter().enumerate() {
            let m = self.mechanism(&row.mechanism_id);
            let r = &self.results.mechanisms[ri];
            let mut blocks = vec![Block::Heading {
                level: 3,
                id: Some(mech_anchor(&row.mechanism_id)),
                text: row.name.clone(),
                page_break: false,
            }];
            let mut meta = Vec::new();
            if let Some(m) = m {
                meta.push(m.kind.label().to_string());
                if !m.instruments.is_empty() {
                    meta.push(
                        m.instruments
                            .iter()
                            .map(|i| i.label())
                            .collect::<Vec<_>>()
                            .join(", "),
                    );
                }
                if !m.regions.is_empty() {
                    meta.push(m.regions.join(", "));
                }
                if !m.partners.is_empty() {
                    meta.push(format!("partners: {}", m.partners.join(", ")));
                }
                if let Some(y) = m.start_year {
                    meta.push(format!("since {y}"));
                }
            }
            meta.push(format!(
                "composite {}{}",
                points_or_dash(r.total),
                r.rank.map_or_else(String::new, |k| format!(", rank {k}"))
            ));
            if !r.viable() {
                meta.push("not viable (fails a requirement gate)".into());
            }
            if row.added {
                meta.push("added by the hypothetical scenario".into());
            }
            blocks.push(Block::Para(Tone::Meta, vec![text(meta.join(" · "))]));
            if let Some(m) = m {
                if !m.description.trim().is_empty() {
                    blocks.push(Block::Para(Tone::Plain, vec![text(m.description.trim())]));
                }
                let facts: Vec<(Option<String>, Inlines)> = m
                    .facts
                    .iter()
                    .filter(|f| !f.text.trim().is_empty())
                    .map(|f| {
                        let mut v = vec![text(f.text.trim())];
                        v.extend(self.refs(&f.sources));
                        (None, v)
                    })
                    .collect();
                if !facts.is_empty() {
                    blocks.push(Block::List {
                        ordered: false,
                        items: facts,
                    });
                }
            }
            let rows = criteria
                .iter()
                .enumerate()
                .map(|(ci, c)| {
                    let cell = &self.matrix.cells[ri][ci];
                    let mut score = vec![strong(score_words(cell.value))];
                    if let ScoreValue::Value(v) = cell.value
                        && let Some(a) = c.scale.anchor(v)
                        && !a.label.trim().is_empty()
                        && a.label.trim() != format_value(v)
                    {
                        score.push(text(format!(" · {}", a.label.trim())));
                    }
                    if cell.overridden {
                        score.push(text("\n"));
                        score.push(em("scenario override"));
                    } else if self.aggregated() && cell.n_scored > 1 {
                        score.push(text("\n"));
                        score.push(em(format!("median of {}", cell.n_scored)));
                    }
                    let conf = vec![text(
                        cell.confidence
                            .map_or_else(|| "—".to_string(), |c| c.as_str().to_string()),
                    )];
                    let first = vec![
                        text(c.name.clone()),
                        text("\n"),
                        em(self.fw().groups[crit_group[ci]].name.clone()),
                    ];
                    let why = self.rationale_cell(scen, &row.mechanism_id, c, cell.overridden);
                    vec![first, score, conf, why]
                })
                .collect();
            blocks.push(Block::Table(Table {
                head: vec![
                    "Criterion".into(),
                    "Score".into(),
                    "Confidence".into(),
                    "Rationale and sources".into(),
                ],
                rows,
                numeric: vec![false, false, false, false],
                class: "scores",
            }));
            all.extend(blocks);
        }
        self.out.extend(all);
    }

    pub(super) fn rationale_cell(
        &self,
        scen: Option<&Scenario>,
        mech: &str,
        c: &Criterion,
        overridden: bool,
    ) -> Inlines {
        if overridden
            && let Some(o) = scen.and_then(|s| {
                s.score_overrides
                    .iter()
                    .find(|o| o.mechanism == mech && o.criterion == c.id)
            })
        {
            let mut v = vec![em("Scenario: ")];
            v.push(text(if o.score.rationale.trim().is_empty() {
                "no rationale given".to_string()
            } else {
                o.score.rationale.trim().to_string()
            }));
            v.extend(self.refs(&o.score.sources));
            return v;
        }
        let mut v = Vec::new();
        if self.opts.selection.consensus
            && let Some(cell) = self
                .p
                .workshop
                .consensus
                .get(&(mech.to_string(), c.id.clone()))
        {
            v.push(em(format!(
                "Consensus of {}{}",
                plural(cell.n, "analyst", "analysts"),
                cell.spread.map_or_else(String::new, |s| format!(
                    ", interquartile range {}",
                    format_value(s)
                ))
            )));
            if !cell.dissent.trim().is_empty() {
                v.push(text(format!("; dissent: {}", cell.dissent.trim())));
            }
        }
        let analysts: Vec<&Analyst> = match self.opts.selection.analyst.as_deref() {
            Some(id) if !self.opts.selection.consensus => self.p.analyst(id).into_iter().collect(),
            _ => self.p.analysts.iter().collect(),
        };
        let scored: Vec<(&Analyst, &Score)> = analysts
            .into_iter()
            .filter_map(|a| self.score(&a.id, mech, &c.id).map(|s| (a, s)))
            .filter(|(_, s)| !s.is_empty())
            .collect();
        let named = self.aggregated();
        for (a, s) in &scored {
            if !v.is_empty() {
                v.push(text("\n"));
            }
            if named {
                v.push(strong(a.name.clone()));
                v.push(text(format!(
                    " ({}, {}): ",
                    score_words(s.value),
                    s.confidence.as_str()
                )));
            }
            if s.rationale.trim().is_empty() {
                v.push(em("no rationale"));
            } else {
                v.push(text(s.rationale.trim()));
            }
            v.extend(self.refs(&s.sources));
        }
        if v.is_empty() {
            v.push(em("—"));
        }
        v
    }
}
