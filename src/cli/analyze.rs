//! `policy-workbench analyze`: results as a table or as JSON.

use std::path::Path;

use serde_json::{Value, json};

use super::smaa_flags::SmaaFlags;
use super::{exit, load_for_command};
use crate::compute::{self, MIN_COVERAGE, Results, Selection, smaa};
use crate::model::Project;
use crate::terminal::printable;
use crate::wording;

/// `--basis`: which scores count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BasisArg {
    /// Every score.
    All,
    /// Documented and mixed scores only.
    Documented,
}

pub fn run(file: &Path, sel: Selection, as_json: bool, smaa_args: &SmaaFlags) -> u8 {
    let project = match load_for_command(file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let results = match compute::analyze(&project, &sel) {
        Ok(r) => r,
        Err(e) => {
            say_err!("{e}");
            return exit::USAGE_OR_IO;
        }
    };
    let acceptability = match smaa_args.options() {
        Some(options) => match run_smaa(&project, &sel, &options) {
            Ok(r) => Some(r),
            Err(e) => {
                say_err!("{e}");
                return exit::USAGE_OR_IO;
            }
        },
        None => None,
    };
    if as_json {
        let mut v = results_json(&project, &results);
        super::workshop::add_agreement(&project, &mut v);
        if let (Some(r), Some(obj)) = (&acceptability, v.as_object_mut()) {
            obj.insert("smaa".to_string(), r.to_json());
        }
        println!(
            "{}",
            crate::terminal::json(
                &serde_json::to_string_pretty(&v).expect("JSON values serialise")
            )
        );
    } else {
        print_table(&project, &results);
        if let Some(r) = &acceptability {
            print_smaa(r, &results);
        }
    }
    exit::OK
}

fn run_smaa(
    project: &Project,
    sel: &Selection,
    options: &smaa::SmaaOptions,
) -> Result<smaa::Smaa, String> {
    let m = compute::effective_matrix(project, sel).map_err(|e| e.to_string())?;
    smaa::smaa(&project.framework, &m, options).map_err(|e| e.to_string())
}

/// Rank acceptability as a table: the shares of ranks 1–3, of samples without a
/// total, and the confidence factor, by mechanism name.
fn print_smaa(r: &smaa::Smaa, results: &Results) {
    say!();
    say!("Rank acceptability (SMAA-2): {}.", r.options.describe());
    say!("Listed by mean rank over the samples (a sample without a total counts as last).");
    say!(
        "{:>7} {:>7} {:>7} {:>9} {:>8} {:>10}  mechanism",
        "rank 1",
        "rank 2",
        "rank 3",
        "mean rank",
        "no total",
        "confidence"
    );
    let m = r.mechanism_ids.len();
    let mut order: Vec<usize> = (0..m).collect();
    let mean_rank = |i: usize| -> f64 {
        r.acceptabilities(i)
            .iter()
            .enumerate()
            .map(|(k, b)| (k + 1) as f64 * b)
            .sum::<f64>()
            + (m + 1) as f64 * r.unranked(i)
    };
    order.sort_by(|&a, &b| mean_rank(a).total_cmp(&mean_rank(b)));
    let pct = wording::percent_one_decimal;
    for i in order {
        let b = |rank: usize| {
            if rank <= m {
                pct(r.acceptability(i, rank))
            } else {
                "—".into()
            }
        };
        say!(
            "{:>7} {:>7} {:>7} {:>9} {:>8} {:>10}  {}",
            b(1),
            b(2),
            b(3),
            wording::one_decimal(mean_rank(i)),
            pct(r.unranked(i)),
            r.confidence[i].map_or("—".to_string(), pct),
            printable(name_of(results, &r.mechanism_ids[i]))
        );
    }
    say!(
        "confidence = confidence factor: how often the mechanism is still first when the weights are its central weights and only the scores vary (— when it is never first)."
    );
}

/// A mechanism's name from its id (the id itself if the results do not have it).
fn name_of<'a>(results: &'a Results, id: &'a str) -> &'a str {
    results
        .mechanisms
        .iter()
        .find(|m| m.id == id)
        .map_or(id, |m| m.name.as_str())
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!(round(v)))
}

/// The machine-readable results (documented in docs/analysis.md).
pub fn results_json(project: &Project, r: &Results) -> Value {
    let fw = &project.framework;
    let bases = compute::basis::appear_or_be(project, &r.selection).unwrap_or_default();
    json!({
        "project": project.info.title,
        "scenario": r.selection.scenario,
        "hypothetical": r.selection.scenario.is_some(),
        "viewpoint": {
            "id": r.viewpoint.id, "name": r.viewpoint.name,
            "reading": r.viewpoint.reading.as_str(), "perspective": r.viewpoint.perspective,
        },
        "analyst": r.selection.analyst,
        "aggregation": if r.selection.analyst.is_some() { "single analyst" } else { "median across analysts" },
        "basis": if r.selection.documented_only { "documented" } else { "all" },
        "min_coverage": MIN_COVERAGE,
        "ranking_rule": r.ranking_rule.as_str(),
        "ranking_rule_text": r.ranking_rule.line(),
        "groups": fw.groups.iter().map(|g| json!({
            "id": g.id, "name": g.name, "role": g.role.as_str(),
            "reading": if g.role == crate::model::Role::Concern { "higher = more concern" } else { "higher = stronger" },
        })).collect::<Vec<_>>(),
        "weighting": weighting_json(fw),
        "mechanisms": r.mechanisms.iter().map(|m| {
            let basis = bases.iter().find(|b| b.id == m.id);
            let groups: serde_json::Map<String, Value> = m.groups.iter().enumerate().map(|(gi, g)| {
                let b = basis.and_then(|b| b.groups.get(gi));
                (g.group_id.clone(), json!({
                    "index": opt(g.index),
                    "coverage": round(g.coverage),
                    "claim_share": b.map(|b| round(b.claim)),
                    "unknown_share": b.map(|b| round(b.unknown)),
                }))
            }).collect();
            json!({
                "id": m.id,
                "name": m.name,
                "kind": m.kind.as_str(),
                "rank": m.rank,
                "rank_range": m.rank_range.map(|(b, w)| json!([b, w])),
                "partial": m.partial,
                "open_cells": m.open_cells,
                "unranked_by_rule": m.unranked_by_rule,
                "total": opt(m.total),
                "best_total": opt(m.best_total),
                "worst_total": opt(m.worst_total),
                "total_coverage": round(m.total_coverage),
                "groups": groups,
                "viable": m.viable(),
                "failed_gates": m.failed_gates.iter().map(|g| json!({"criterion": g.criterion_id, "name": fw.criterion(&g.criterion_id).map(|c| c.name.as_str()), "at_least": g.at_least, "value": g.value})).collect::<Vec<_>>(),
                "unchecked_gates": m.unchecked_gates.iter().map(|g| g.criterion_id.clone()).collect::<Vec<_>>(),
                "scored": m.scored,
                "not_assessed": m.not_assessed,
                "not_applicable": m.not_applicable,
                "low_confidence": m.low_confidence,
            })
        }).collect::<Vec<_>>(),
    })
}

/// How each set's weights were set (direct, pairwise or swing) and what the judgements
/// kept in the file give: one entry for the groups, then one per group (docs/analysis.md).
pub fn weighting_json(fw: &crate::model::Framework) -> Value {
    use crate::compute::weighting::{self, TargetReading};
    use crate::model::JudgedSet;
    let entry = |t: &TargetReading| {
        let j = weighting::judgements(fw, &t.target);
        let by_id = |w: &[f64]| -> serde_json::Map<String, Value> {
            t.ids
                .iter()
                .zip(w)
                .map(|(id, x)| (id.clone(), json!(round(*x))))
                .collect()
        };
        let pairwise = t.pairwise.as_ref().map(|p| {
            json!({
                "judgements": j.pairwise.iter().map(|x| json!({"a": x.a, "b": x.b, "value": x.value})).collect::<Vec<_>>(),
                "judged": p.judged,
                "needed": p.needed,
                "weights": p.result.as_ref().map(|r| by_id(&r.weights)),
                "lambda_max": p.result.as_ref().map(|r| round(r.lambda_max)),
                "ci": p.result.as_ref().map(|r| round(r.ci)),
                "ri": p.result.as_ref().map(|r| r.ri),
                "cr": p.result.as_ref().map(|r| round(r.cr)),
                "acceptable": p.result.as_ref().map(|r| r.acceptable()),
                "in_use": p.in_use,
                "problem": p.problem,
            })
        });
        let swing = t.swing.as_ref().map(|s| {
            json!({
                "judgements": j.swing.iter().map(|x| json!({"id": x.id, "rank": x.rank, "rating": x.rating})).collect::<Vec<_>>(),
                "rated": s.rated,
                "needed": s.needed,
                "weights": s.weights.as_ref().map(|w| by_id(w)),
                "in_use": s.in_use,
                "problem": s.problem,
            })
        });
        json!({
            "set": match t.target { JudgedSet::Groups => "groups", JudgedSet::Criteria(_) => "criteria" },
            "group": match t.target { JudgedSet::Groups => None, JudgedSet::Criteria(gi) => Some(fw.groups[gi].id.clone()) },
            "method": t.method(),
            "weights": by_id(&t.shares),
            "pairwise": pairwise,
            "swing": swing,
        })
    };
    let sets: Vec<Value> = std::iter::once(JudgedSet::Groups)
        .chain((0..fw.groups.len()).map(JudgedSet::Criteria))
        .filter_map(|t| weighting::read_target(fw, t))
        .map(|t| entry(&t))
        .collect();
    json!({
        "random_index": crate::compute::ahp::RANDOM_INDEX,
        "sets": sets,
    })
}

fn print_table(project: &Project, r: &Results) {
    let fw = &project.framework;
    match &r.selection.scenario {
        Some(s) => say!("Scenario (hypothetical): {}", printable(s)),
        None => say!("Base assessment"),
    }
    say!(
        "Scores: {}",
        printable(&crate::compute::whose_scores(project, &r.selection))
    );
    say!(
        "{}: {}",
        crate::compute::viewpoint_line(&r.viewpoint),
        printable(&r.viewpoint.perspective)
    );
    say!("{}.", r.ranking_rule.line());
    if r.selection.documented_only {
        say!(
            "Basis: documented and mixed scores only (claims and unknown basis left out as not assessed)"
        );
    }
    say!(
        "Total = composite on 0–100 ({}); group indices 0–100.",
        r.viewpoint.how_counted(&project.framework)
    );
    say!(
        "Range = the best and worst rank the not-assessed cells allow (each at either end of its scale)."
    );
    let mut header = format!("{:>4}  {:>7}  {:>6}", "rank", "range", "total");
    for g in &fw.groups {
        let mut name = crate::model::text::excerpt(&g.name, 20);
        if g.role == crate::model::Role::Concern {
            name.push('↑');
        }
        header.push_str(&format!("  {name:>21}"));
    }
    header.push_str("  mechanism");
    say!("{header}");
    let mut order: Vec<&crate::compute::MechanismResult> = r.mechanisms.iter().collect();
    order.sort_by_key(|m| m.rank.unwrap_or(usize::MAX));
    for m in order {
        let mut line = format!(
            "{:>4}  {:>7}  {:>6}",
            m.rank.map_or("—".to_string(), |r| r.to_string()),
            m.rank_range.map_or("—".to_string(), wording::rank_span),
            wording::points_or_dash(m.total)
        );
        for g in &m.groups {
            line.push_str(&format!("  {:>21}", wording::points_or_dash(g.index)));
        }
        line.push_str(&format!("  {}", printable(&m.name)));
        if !m.viable() {
            let fails =
                crate::compute::gates::fails_phrase(&crate::compute::gates::failures(fw, m));
            line.push_str(&format!("  [not viable: {}]", printable(&fails)));
        }
        if m.unranked_by_rule {
            line.push_str("  [unranked by the ranking rule: a counted group has no index]");
        }
        if m.rank_range
            .is_some_and(|x| Some(x) != m.rank.map(|r| (r, r)))
        {
            line.push_str(&format!(
                "  ({})",
                wording::rank_range_phrase(m.rank, m.rank_range, m.open_cells)
            ));
        } else if m.not_assessed > 0 {
            line.push_str(&format!("  ({} not assessed)", m.not_assessed));
        }
        say!("{line}");
    }
    if fw
        .groups
        .iter()
        .any(|g| g.role == crate::model::Role::Concern)
    {
        say!("↑ concern group: higher = more concern.");
    }
}
