//! The charts section: each chart drawn as inline SVG with its caption.

use crate::charts::{self, ChartInput, ChartKind, ChartOptions};

use super::{CHART_H, CHART_SCALE, CHART_W, Draft};
use crate::model::*;
use crate::report::doc::{Block, Tone, text};

impl<'a> Draft<'a> {
    pub(super) fn chart_input(&self) -> ChartInput<'_> {
        ChartInput {
            project: self.p,
            matrix: &self.matrix,
            results: &self.results,
            title_suffix: self.suffix.as_deref(),
        }
    }

    pub(super) fn chart(&mut self, kind: ChartKind, caption: String) {
        let mut co = ChartOptions::new(kind);
        co.width = CHART_W;
        co.height = CHART_H;
        co.scale = CHART_SCALE;
        if matches!(
            kind,
            ChartKind::Heatmap
                | ChartKind::GroupBars
                | ChartKind::Ranking
                | ChartKind::ClaimedDocumented
        ) {
            // One row per mechanism: grow with them.
            let rows = self.matrix.rows.len() as u32;
            co.height = (300 + 29 * rows).clamp(CHART_H * 2 / 3, 2600);
        }
        let block = match charts::render_svg(&self.chart_input(), &co) {
            Ok(svg) => Block::Chart {
                stem: kind.file_stem().to_string(),
                title: kind.title().to_string(),
                svg,
                caption,
            },
            Err(e) => Block::Para(
                Tone::Note,
                vec![text(format!(
                    "The chart “{}” could not be drawn: {e}.",
                    kind.title()
                ))],
            ),
        };
        self.out.push(block);
    }

    pub(super) fn charts(&mut self) {
        self.h2("charts", "Key charts", true);
        let fw = self.fw();
        let objectives: Vec<&Group> = fw
            .groups
            .iter()
            .filter(|g| g.role == Role::Objective)
            .collect();
        let quad = if objectives.len() >= 2 {
            format!(
                "{} (across) against {} (up); the bubble size shows the requirements index. \
                 The lines mark 50 on each index.",
                objectives[0].name, objectives[1].name
            )
        } else {
            "The quadrant needs two objective groups; this framework has fewer.".to_string()
        };
        self.chart(ChartKind::Quadrant, quad);
        if let Some((returns, concern)) = fw.returns_and_concern() {
            self.chart(
                ChartKind::ReturnsConcern,
                format!(
                    "What each mechanism brings and what it costs: its total under “{}” (across) \
                     against its total under “{}” (up), the two sides the net composite folds into \
                     one number. Bottom right: returns at little concern; top left: concern \
                     without returns.",
                    returns.name, concern.name
                ),
            );
        }
        self.chart(
            ChartKind::GroupBars,
            "Group indices per mechanism, one panel per criteria group. Concern panels read \
             “higher = more concern”."
                .to_string(),
        );
        self.chart(
            ChartKind::Ranking,
            "Mechanisms ranked by the composite total, a weighted summary of the group indices \
             (see Robustness for how much it depends on the weights)."
                .to_string(),
        );
        self.chart(
            ChartKind::ClaimedDocumented,
            "To appear or to be: each mechanism's composite total from every score (ring) and \
             from documented and mixed scores only (dot). A long dumbbell means the total leans \
             on the assessed state's own word or on scores whose basis was not recorded."
                .to_string(),
        );
        self.chart(
            ChartKind::Heatmap,
            "Every cell of the score matrix; hatched = not assessed, grey with a cross = not \
             applicable (never shown as 0)."
                .to_string(),
        );
    }
}
