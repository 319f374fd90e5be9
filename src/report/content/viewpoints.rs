//! The ranking under each viewpoint, side by side: one row per mechanism, one rank and
//! total per viewpoint of the framework, so that a reader sees at a glance how a
//! mechanism's place depends on whose interest the total measures.

use super::{Draft, by_rank};
use crate::compute::{self, Results, Selection};
use crate::report::doc::{Block, Inlines, Table, Tone, strong, text};
use crate::wording::{points_or_dash, rank_with_range};

impl Draft<'_> {
    pub(super) fn viewpoint_rankings(&mut self) {
        let fw = self.fw();
        if fw.viewpoints.len() < 2 {
            return;
        }
        let under: Vec<(&str, String, Results)> = fw
            .viewpoints
            .iter()
            .filter_map(|v| {
                let sel = Selection {
                    viewpoint: Some(v.id.clone()),
                    ..self.opts.selection.clone()
                };
                compute::analyze(self.p, &sel).ok().map(|r| {
                    (
                        v.id.as_str(),
                        format!("{} ({})", v.name, v.reading.phrase()),
                        r,
                    )
                })
            })
            .collect();
        if under.len() < 2 {
            return;
        }
        self.h2("viewpoints", "The ranking under each viewpoint", false);
        self.para(
            Tone::Note,
            vec![text(
                "Rank (with its range) and total of each mechanism under every viewpoint of the \
                 framework, in the order of this report's viewpoint. Under a viewpoint that reads \
                 “higher = more concern”, rank 1 is the most concerning mechanism.",
            )],
        );
        let mut head = vec!["Mechanism".to_string()];
        head.extend(under.iter().map(|(_, name, _)| name.clone()));
        let rows: Vec<Vec<Inlines>> = by_rank(&self.results)
            .iter()
            .map(|m| {
                let mut row = vec![vec![text(m.name.clone())]];
                for (id, _, r) in &under {
                    let cell = r.mechanisms.iter().find(|x| x.id == m.id).map_or_else(
                        || "—".to_string(),
                        |x| {
                            format!(
                                "{} · {}",
                                rank_with_range(x.rank, x.rank_range),
                                points_or_dash(x.total)
                            )
                        },
                    );
                    let this = *id == self.results.viewpoint.id;
                    row.push(vec![if this { strong(cell) } else { text(cell) }]);
                }
                row
            })
            .collect();
        let mut numeric = vec![false];
        numeric.extend(under.iter().map(|_| true));
        self.out.push(Block::Table(Table {
            head,
            rows,
            numeric,
            class: "viewpoints",
        }));
    }
}
