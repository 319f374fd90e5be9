//! What the report says: builds the document model from a project and the options.
//! No escaping here (the renderers do it); no I/O.

use std::collections::{BTreeSet, HashMap};

use super::{Block, Inline, Inlines, ReportError, ReportOptions, Table, Tone, em, strong, text};
use crate::charts::{self, ChartInput, ChartKind, ChartOptions, TornadoBar, TornadoText};
use crate::compute::agreement::{self, ScoreMap};
use crate::compute::sensitivity::{self, RankScope, Shift, WeightTarget};
use crate::compute::{
    self, Matrix, MechanismResult, Results, Selection, check_selection, effective_matrix,
    results_from_matrix, stats,
};
use crate::model::*;

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
    if let Some(s) = &opts.compare_scenario {
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
    let mut cx = Cx {
        p: project,
        opts,
        suffix: compute::selection_line(project, &opts.selection),
        matrix,
        results,
        src_num,
        out: Vec::new(),
        toc: Vec::new(),
    };
    cx.header();
    let contents_at = cx.out.len();
    cx.summary();
    cx.framework();
    cx.results_table();
    if opts.include_charts {
        cx.charts();
    }
    cx.robustness();
    if let Some(s) = &opts.compare_scenario {
        cx.comparison(s)?;
    }
    cx.mechanisms();
    cx.agreement();
    cx.notes();
    cx.sources();
    let toc = std::mem::take(&mut cx.toc);
    cx.out.insert(contents_at, Block::Contents(toc));
    Ok(Doc {
        title: cx.title(),
        blocks: cx.out,
    })
}

struct Cx<'a> {
    p: &'a Project,
    opts: &'a ReportOptions<'a>,
    suffix: Option<String>,
    matrix: Matrix,
    results: Results,
    /// Source id → its number in the source list (1-based, project order).
    src_num: HashMap<&'a str, usize>,
    out: Vec<Block>,
    toc: Vec<(String, String)>,
}

// ---- small formatting helpers ----

/// A number on the 0–100 index scale: one decimal.
fn ix(v: f64) -> String {
    format!("{v:.1}")
}

fn ix_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), ix)
}

/// A share (0–1) as a percentage with at most one decimal: "25%", "33.3%".
fn pct(share: f64) -> String {
    let s = format!("{:.1}", 100.0 * share);
    format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn signed(v: f64) -> String {
    if v > 0.0 {
        format!("+{v:.1}")
    } else if v < 0.0 {
        format!("−{:.1}", -v)
    } else {
        "±0".to_string()
    }
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn normalised(ws: &[f64]) -> Vec<f64> {
    let sum: f64 = ws.iter().filter(|w| **w > 0.0).sum();
    ws.iter()
        .map(|w| if sum > 0.0 && *w > 0.0 { w / sum } else { 0.0 })
        .collect()
}

fn value_text(v: ScoreValue) -> String {
    match v {
        ScoreValue::Value(x) => format_value(x),
        ScoreValue::NotAssessed => "not assessed".to_string(),
        ScoreValue::NotApplicable => "not applicable".to_string(),
    }
}

fn mech_anchor(id: &str) -> String {
    format!("m-{id}")
}

fn by_rank(results: &Results) -> Vec<&MechanismResult> {
    let mut v: Vec<&MechanismResult> = results.mechanisms.iter().collect();
    v.sort_by_key(|m| m.rank.unwrap_or(usize::MAX));
    v
}

impl<'a> Cx<'a> {
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

    fn scoring_analysts(&self) -> Vec<&'a Analyst> {
        let ids: BTreeSet<&str> = self.scores().keys().map(|k| k.analyst.as_str()).collect();
        self.p
            .analysts
            .iter()
            .filter(|a| ids.contains(a.id.as_str()))
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

    // ---- header ----

    fn header(&mut self) {
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
        if !info.description.trim().is_empty() {
            self.para(Tone::Plain, vec![text(info.description.trim())]);
        }
    }

    // ---- summary ----

    fn summary(&mut self) {
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
                pct(scored as f64 / total as f64),
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

    fn top_item(&self, m: &MechanismResult) -> Inlines {
        let mut v = vec![
            Inline::Internal {
                id: mech_anchor(&m.id),
                text: m.name.clone(),
            },
            text(format!(
                " — composite {} (rank {})",
                ix_opt(m.total),
                m.rank.unwrap_or(0)
            )),
        ];
        if !m.viable() {
            v.push(text(" — "));
            v.push(strong("not viable"));
        }
        let parts: Vec<String> = self
            .fw()
            .groups
            .iter()
            .zip(&m.groups)
            .map(|(g, gi)| format!("{} {}", g.name, ix_opt(gi.index)))
            .collect();
        if !parts.is_empty() {
            v.push(text(format!(". {}", parts.join(" · "))));
        }
        v
    }

    /// The composite caveat: how it is made and which groups drive its differences.
    fn caveat(&mut self) {
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
                let inv = if g.role == Role::Concern {
                    ", counted as 100 − index"
                } else {
                    ""
                };
                format!("{} {}{inv}", g.name, pct(*s))
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
                        pct(shares[*gi]),
                        ix(lo),
                        ix(hi)
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

    // ---- framework ----

    fn framework(&mut self) {
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
        let mut note = "Weights are shown as normalised shares: a group's share of the composite \
                        total, a criterion's share of its group and of the composite. Concern groups \
                        read “higher = more concern” and count inverted in the composite."
            .to_string();
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
                    pct(gshares[gi])
                ),
            );
            let mut line = vec![em(format!(
                "{}. Group weight {}.",
                g.role.label(),
                format_value(self.matrix.weights.groups[gi])
            ))];
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
                            pct(cshares[ci]),
                            pct(cshares[ci] * gshares[gi]),
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
    }

    // ---- results ----

    fn results_table(&mut self) {
        self.h2("results", "Results", true);
        let fw = self.fw();
        self.para(
            Tone::Note,
            vec![text(format!(
                "Group indices run from 0 to 100: for requirements and objectives higher = stronger, \
                 for concerns higher = more concern. An index needs at least {} of its group's \
                 (weighted) criteria assessed, otherwise it shows “—”; “cov.” gives the coverage when \
                 it is below 100%. Ranks follow the composite total; equal totals share a rank. \
                 Not assessed and not applicable are never counted as 0.",
                pct(compute::MIN_COVERAGE)
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
                    vec![text(m.rank.map_or_else(|| "—".into(), |r| r.to_string()))],
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

    fn gates_cell(&self, m: &MechanismResult) -> Inlines {
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

    // ---- charts ----

    fn chart_input(&self) -> ChartInput<'_> {
        ChartInput {
            project: self.p,
            matrix: &self.matrix,
            results: &self.results,
            title_suffix: self.suffix.as_deref(),
        }
    }

    fn chart(&mut self, kind: ChartKind, caption: String) {
        let mut co = ChartOptions::new(kind);
        co.width = CHART_W;
        co.height = CHART_H;
        co.scale = CHART_SCALE;
        if matches!(
            kind,
            ChartKind::Heatmap | ChartKind::GroupBars | ChartKind::Ranking
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

    fn charts(&mut self) {
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
            ChartKind::Heatmap,
            "Every cell of the score matrix; hatched = not assessed, grey with a cross = not \
             applicable (never shown as 0)."
                .to_string(),
        );
    }

    // ---- robustness ----

    fn robustness(&mut self) {
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
                        vec![text(pct(w.current_share))],
                        vec![text(format!(
                            "{} – {}",
                            pct(w.low_share),
                            pct(w.high_share)
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

    fn target_label(&self, t: WeightTarget, label: &str) -> String {
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

    fn row_names(&self, rows: &[usize]) -> String {
        let names: Vec<String> = rows
            .iter()
            .filter_map(|r| self.matrix.rows.get(*r))
            .map(|r| format!("‘{}’", r.name))
            .collect();
        and_list(&names)
    }

    fn beyond(&self, w: &sensitivity::WeightInterval) -> String {
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
                format!("at {} and below", pct(c.share))
            };
            parts.push(format!("{at}: {}", describe(c)));
        }
        if let Some(c) = &w.high_change {
            let at = if c.share >= 1.0 - 1e-9 {
                "at 100%".to_string()
            } else {
                format!("at {} and above", pct(c.share))
            };
            parts.push(format!("{at}: {}", describe(c)));
        }
        if parts.is_empty() {
            "the first place holds over the whole range".to_string()
        } else {
            parts.join("; ")
        }
    }

    fn smaa(&mut self) {
        let Some(s) = self.opts.smaa else {
            self.para(
                Tone::Note,
                vec![text(
                    "Rank acceptability under weight uncertainty (Monte Carlo, SMAA-2) was not run \
                     for this report.",
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
        let weights = match &s.options.weights {
            compute::smaa::WeightModel::Fixed => "the weights in force".to_string(),
            compute::smaa::WeightModel::Uniform {
                level,
                bounds,
                order,
            } => {
                let mut w = format!("weights drawn uniformly over the {}", level.as_str());
                if !bounds.is_empty() {
                    w.push_str(", within bounds");
                }
                if order.is_some() {
                    w.push_str(", in a fixed order of importance");
                }
                w
            }
        };
        let scores = match s.options.scores {
            compute::smaa::ScoreUncertainty::Off => "scores as they are".to_string(),
            compute::smaa::ScoreUncertainty::FromConfidence(sp) => format!(
                "scores varied within their confidence (± {} / {} / {} scale points for high / moderate / low)",
                format_value(sp.high),
                format_value(sp.moderate),
                format_value(sp.low)
            ),
        };
        self.para(
            Tone::Plain,
            vec![text(format!(
                "How often each mechanism takes each rank when the inputs vary: {} samples with {weights} and \
                 {scores}; seed {}, generator {} (reproducible with the same seed).",
                s.options.samples, s.options.seed, s.generator
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
                row.extend((1..=shown).map(|r| vec![text(pct(s.acceptability(i, r)))]));
                row.push(vec![text(pct(s.unranked(i)))]);
                row.push(vec![text(s.confidence[i].map_or_else(|| "—".into(), pct))]);
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

    // ---- scenario comparison ----

    fn comparison(&mut self, scenario_id: &str) -> Result<(), ReportError> {
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
            "comparison",
            &format!("Scenario comparison: {} (hypothetical)", scen.name),
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
                value_text(o.score.value)
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
            name: String,
            base: Option<(Option<f64>, Option<usize>)>,
            alt: Option<(Option<f64>, Option<usize>)>,
        }
        let mut lines: Vec<Line> = base
            .mechanisms
            .iter()
            .map(|m| Line {
                name: m.name.clone(),
                base: Some((m.total, m.rank)),
                alt: alt
                    .mechanisms
                    .iter()
                    .find(|a| a.id == m.id)
                    .map(|a| (a.total, a.rank)),
            })
            .collect();
        for a in &alt.mechanisms {
            if !base.mechanisms.iter().any(|m| m.id == a.id) {
                lines.push(Line {
                    name: a.name.clone(),
                    base: None,
                    alt: Some((a.total, a.rank)),
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
        let rank_text = |r: Option<usize>| r.map_or_else(|| "—".to_string(), |r| r.to_string());
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
                            if (a - b).abs() >= 0.05 {
                                parts.push(format!("total {}", signed(a - b)));
                            }
                            if let (Some(rb), Some(ra)) = (br, ar)
                                && (rb != ra || (a - b).abs() >= 0.05)
                            {
                                moved.push((
                                    rb as i64 - ra as i64,
                                    a - b,
                                    format!(
                                        "{}: {}, total {} → {} ({})",
                                        l.name,
                                        if rb == ra {
                                            format!("rank {rb} (same)")
                                        } else {
                                            format!("rank {rb} → {ra}")
                                        },
                                        ix(b),
                                        ix(a),
                                        signed(a - b)
                                    ),
                                ));
                            }
                        }
                        parts.join(", ")
                    }
                    (None, None) => String::new(),
                };
                vec![
                    vec![text(l.name.clone())],
                    vec![text(ix_opt(l.base.and_then(|b| b.0)))],
                    vec![text(rank_text(l.base.and_then(|b| b.1)))],
                    vec![text(ix_opt(l.alt.and_then(|a| a.0)))],
                    vec![text(rank_text(l.alt.and_then(|a| a.1)))],
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

    // ---- mechanisms ----

    fn mechanisms(&mut self) {
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
                ix_opt(r.total),
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
                    let mut score = vec![strong(value_text(cell.value))];
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

    fn rationale_cell(
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
                    value_text(s.value),
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

    // ---- workshop agreement ----

    fn agreement(&mut self) {
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
                 reliable) and Kendall's W (0 = no common ranking of the mechanisms, 1 = the same \
                 ranking by everyone; mechanisms every analyst scored).",
                analysts.len(),
                agreement::ALPHA_RELIABLE,
                agreement::ALPHA_TENTATIVE
            ))],
        );
        let ag = agreement::agreement(self.p, self.scores());
        let alpha_text = |a: &agreement::Alpha| match &a.value {
            Ok(x) => format!(
                "{x:.2} ({})",
                a.reading().map_or("", agreement::Reading::as_str)
            ),
            Err(_) => "—".to_string(),
        };
        let w_text = |w: &agreement::KendallW| match &w.value {
            Ok(f) => format!("{:.2} (p = {:.3})", f.w, f.p_value),
            Err(_) => "—".to_string(),
        };
        let o = &ag.overall;
        self.para(
            Tone::Plain,
            vec![
                strong("Overall"),
                text(format!(
                    " (every cell, each on its scale): Krippendorff's alpha (ordinal) {}, \
                     Kendall's W {}.",
                    alpha_text(&o.alpha_ordinal),
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
        for c in self.criteria() {
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
            let n = |x: f64| {
                format!("{x:.2}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            };
            let ca = ag.criterion(&c.id);
            rows.push(vec![
                vec![text(c.name.clone())],
                vec![text(ca.map_or_else(
                    || "—".into(),
                    |a| alpha_text(&a.alpha_ordinal),
                ))],
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
                "Kendall's W".into(),
                "Analysts scoring".into(),
                "Cells scored by ≥ 2".into(),
                "Median MAD".into(),
                "Largest MAD".into(),
                "Largest range".into(),
            ],
            rows,
            numeric: vec![false, true, true, true, true, true, true, true],
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
    }

    // ---- notes ----

    fn notes(&mut self) {
        let notes: Vec<&Note> = self
            .p
            .notes
            .iter()
            .filter(|n| !n.title.trim().is_empty() || !n.text.trim().is_empty())
            .collect();
        if notes.is_empty() {
            return;
        }
        self.h2("notes", "Notes", false);
        for n in notes {
            self.h3(None, n.title.trim());
            self.para(Tone::Plain, vec![text(n.text.trim())]);
        }
    }

    // ---- sources ----

    fn sources(&mut self) {
        self.h2("sources", "Sources", true);
        // How often each source is cited by the scores shown.
        let mut cited: HashMap<&str, usize> = HashMap::new();
        for (k, s) in self.scores() {
            if self
                .opts
                .selection
                .analyst
                .as_deref()
                .is_some_and(|a| a != k.analyst)
            {
                continue;
            }
            for id in &s.sources {
                *cited.entry(id.as_str()).or_default() += 1;
            }
        }
        self.para(
            Tone::Note,
            vec![text(
                "Each source carries two grades (Admiralty system): the reliability of the source \
                 (A–F) and the credibility of the information (1–6).",
            )],
        );
        let rows = Reliability::ALL
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let n = i as u8 + 1;
                vec![
                    vec![strong(r.as_str()), text(format!(" {}", r.meaning()))],
                    vec![
                        strong(n.to_string()),
                        text(format!(" {}", credibility_meaning(n))),
                    ],
                ]
            })
            .collect();
        self.out.push(Block::Table(Table {
            head: vec![
                "Reliability of the source".into(),
                "Credibility of the information".into(),
            ],
            rows,
            numeric: vec![false, false],
            class: "grades",
        }));
        if self.p.sources.is_empty() {
            self.para(Tone::Plain, vec![text("The project lists no sources.")]);
            return;
        }
        let items = self
            .p
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut v = vec![strong(format!("[{}]", i + 1)), text(" ")];
                v.push(text(s.citation.trim()));
                if !s.date.trim().is_empty() {
                    v.push(text(format!(" ({})", s.date.trim())));
                }
                if !s.link.trim().is_empty() {
                    v.push(text(" "));
                    v.push(Inline::Link {
                        url: s.link.trim().to_string(),
                        text: s.link.trim().to_string(),
                    });
                }
                v.push(text(" — grade "));
                v.push(strong(s.grade()));
                v.push(text(format!(
                    " (source {}; information {})",
                    s.reliability.meaning(),
                    credibility_meaning(s.credibility)
                )));
                let n = cited.get(s.id.as_str()).copied().unwrap_or(0);
                v.push(em(format!(
                    ". Id {}; cited by {}.",
                    s.id,
                    plural(n, "score", "scores")
                )));
                if !s.note.trim().is_empty() {
                    v.push(text(format!(" {}", s.note.trim())));
                }
                (Some(format!("src-{}", i + 1)), v)
            })
            .collect();
        self.out.push(Block::List {
            ordered: false,
            items,
        });
    }
}

/// An index or total with its coverage when below 100%.
fn with_cov(v: Option<f64>, coverage: f64) -> Inlines {
    let mut out = vec![text(ix_opt(v))];
    if coverage < 1.0 - 1e-9 {
        out.push(text("\n"));
        out.push(em(format!("cov. {}", pct(coverage))));
    }
    out
}
