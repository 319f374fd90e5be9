//! What the report says: builds the document model from a project and the options,
//! one section per submodule. No escaping here (the renderers do it); no I/O.

mod appendix;
mod comparison;
mod figures;
mod framework;
mod mechanisms;
mod robustness;
mod sources;
mod summary;
mod viewpoints;
mod weighting;
mod workshop_agreement;

use std::collections::{BTreeSet, HashMap};

use super::doc::{Block, Inline, Inlines, Tone, em, text};
use super::options::{ReportError, ReportOptions};
use crate::compute::agreement::{self, ScoreMap};
use crate::compute::{
    self, Matrix, MechanismResult, Results, Selection, check_selection, effective_matrix,
    results_from_matrix,
};
use crate::model::*;
use crate::wording::{percent, points_or_dash};

/// The built document: its title and blocks.
pub(crate) struct Doc {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// Size of the charts embedded in the report (pixels; they scale to the page).
const CHART_W: u32 = 1200;
const CHART_H: u32 = 800;
/// Pixels per point of the embedded charts: type stays legible on an A4 page.
const CHART_SCALE: f32 = 1.4;
/// How many mechanisms the summary names.
const TOP_N: usize = 5;
/// How many disputed cells the workshop section lists.
const DISPUTED_N: usize = 12;

pub(crate) fn build(project: &Project, opts: &ReportOptions) -> Result<Doc, ReportError> {
    check_selection(project, &opts.selection)?;
    for s in &opts.compare_scenarios {
        check_selection(
            project,
            &Selection {
                scenario: Some(s.clone()),
                ..opts.selection.clone()
            },
        )?;
    }
    let matrix = effective_matrix(project, &opts.selection)?;
    let results = results_from_matrix(&project.framework, &matrix, &opts.selection);
    let src_num = project
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i + 1))
        .collect();
    let mut cx = Draft {
        p: project,
        opts,
        suffix: compute::selection_line(project, &opts.selection),
        matrix,
        results,
        src_num,
        out: Vec::new(),
        toc: Vec::new(),
        scoring: std::cell::OnceCell::new(),
    };
    cx.header();
    let contents_at = cx.out.len();
    cx.summary();
    cx.framework();
    cx.results_table();
    cx.viewpoint_rankings();
    if opts.include_charts {
        cx.charts();
    }
    cx.robustness();
    for s in &opts.compare_scenarios {
        cx.comparison(s)?;
    }
    cx.mechanisms();
    cx.agreement();
    cx.notes();
    cx.sources();
    cx.technical_notes();
    let toc = std::mem::take(&mut cx.toc);
    cx.out.insert(contents_at, Block::Contents(toc));
    Ok(Doc {
        title: cx.title(),
        blocks: cx.out,
    })
}

/// The report being written: the project, the options, what was computed once, and the
/// blocks written so far (each section appends its own).
struct Draft<'a> {
    p: &'a Project,
    opts: &'a ReportOptions<'a>,
    suffix: Option<String>,
    matrix: Matrix,
    results: Results,
    /// Source id → its number in the source list (1-based, project order).
    src_num: HashMap<&'a str, usize>,
    out: Vec<Block>,
    toc: Vec<(String, String)>,
    /// Indices of the analysts who scored (see `scoring_analysts`).
    scoring: std::cell::OnceCell<Vec<usize>>,
}

// ---- small helpers (numbers and lists read through `crate::wording`) ----

fn normalised(ws: &[f64]) -> Vec<f64> {
    let sum: f64 = ws.iter().filter(|w| **w > 0.0).sum();
    ws.iter()
        .map(|w| if sum > 0.0 && *w > 0.0 { w / sum } else { 0.0 })
        .collect()
}

fn mech_anchor(id: &str) -> String {
    format!("m-{id}")
}

fn by_rank(results: &Results) -> Vec<&MechanismResult> {
    let mut v: Vec<&MechanismResult> = results.mechanisms.iter().collect();
    v.sort_by_key(|m| m.rank.unwrap_or(usize::MAX));
    v
}

impl<'a> Draft<'a> {
    fn title(&self) -> String {
        let t = self.p.info.title.trim();
        if t.is_empty() {
            "Assessment report".to_string()
        } else {
            t.to_string()
        }
    }

    fn h2(&mut self, id: &str, title: &str, page_break: bool) {
        self.toc.push((id.to_string(), title.to_string()));
        self.out.push(Block::Heading {
            level: 2,
            id: Some(id.to_string()),
            text: title.to_string(),
            page_break,
        });
    }

    fn h3(&mut self, id: Option<String>, title: &str) {
        self.out.push(Block::Heading {
            level: 3,
            id,
            text: title.to_string(),
            page_break: false,
        });
    }

    fn para(&mut self, tone: Tone, inl: Inlines) {
        self.out.push(Block::Para(tone, inl));
    }

    fn fw(&self) -> &'a Framework {
        &self.p.framework
    }

    fn criteria(&self) -> Vec<&'a Criterion> {
        self.p.framework.criteria().map(|(_, c)| c).collect()
    }

    fn criterion_name(&self, id: &str) -> String {
        self.fw()
            .criterion(id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    fn scenario(&self) -> Option<&'a Scenario> {
        self.opts
            .selection
            .scenario
            .as_deref()
            .and_then(|id| self.p.scenario(id))
    }

    /// The mechanism behind a row of the effective matrix (project or scenario).
    fn mechanism(&self, id: &str) -> Option<&'a Mechanism> {
        self.p.mechanism(id).or_else(|| {
            self.scenario()
                .and_then(|s| s.added_mechanisms.iter().find(|m| m.id == id))
        })
    }

    /// Numbered references to the sources, e.g. [1][4]; unknown ids are skipped.
    fn refs(&self, ids: &[String]) -> Inlines {
        ids.iter()
            .filter_map(|id| self.src_num.get(id.as_str()))
            .map(|n| Inline::SourceRef(*n))
            .collect()
    }

    /// Analysts who have at least one score in the project, in list order.
    /// The analysts' scores behind the report: a closed round's when one is selected,
    /// else the current ones.
    fn scores(&self) -> &'a ScoreMap {
        agreement::round_scores(self.p, self.opts.selection.round.as_deref())
            .unwrap_or(&self.p.scores)
    }

    fn score(&self, analyst: &str, mech: &str, crit: &str) -> Option<&'a Score> {
        self.scores().get(&ScoreKey::new(analyst, mech, crit))
    }

    /// The analysts who scored, found once (asked for every cell of the report).
    fn scoring_analysts(&self) -> Vec<&'a Analyst> {
        self.scoring
            .get_or_init(|| {
                let ids: BTreeSet<&str> =
                    self.scores().keys().map(|k| k.analyst.as_str()).collect();
                self.p
                    .analysts
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| ids.contains(a.id.as_str()))
                    .map(|(i, _)| i)
                    .collect()
            })
            .iter()
            .map(|&i| &self.p.analysts[i])
            .collect()
    }

    /// Whether several analysts' scores are combined (median) in this report.
    fn aggregated(&self) -> bool {
        (self.opts.selection.analyst.is_none() || self.opts.selection.consensus)
            && self.scoring_analysts().len() > 1
    }

    fn group_head(g: &Group) -> String {
        if g.role == Role::Concern {
            format!("{} (higher = more concern)", g.name)
        } else {
            g.name.clone()
        }
    }
}

/// An index or total with its coverage ("80% assessed") when below 100%.
fn with_cov(v: Option<f64>, coverage: f64) -> Inlines {
    let mut out = vec![text(points_or_dash(v))];
    if coverage < 1.0 - 1e-9 {
        out.push(text("\n"));
        out.push(em(format!("{} assessed", percent(coverage))));
    }
    out
}
