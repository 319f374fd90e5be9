//! `policy-workbench analyze`: results as a table or as JSON.

use std::path::Path;

use serde_json::{Value, json};

use super::{exit, load_for_command};
use crate::compute::{self, MIN_COVERAGE, Results, Selection};
use crate::model::Project;

pub fn run(file: &Path, scenario: Option<String>, analyst: Option<String>, as_json: bool) -> u8 {
    let project = match load_for_command(file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let sel = Selection {
        scenario,
        analyst,
        ..Selection::default()
    };
    let results = match compute::analyze(&project, &sel) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return exit::USAGE_OR_IO;
        }
    };
    if as_json {
        let mut v = results_json(&project, &results);
        super::workshop::add_agreement(&project, &mut v);
        println!(
            "{}",
            serde_json::to_string_pretty(&v).expect("JSON values serialise")
        );
    } else {
        print_table(&project, &results);
    }
    exit::OK
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
    json!({
        "project": project.info.title,
        "scenario": r.selection.scenario,
        "hypothetical": r.selection.scenario.is_some(),
        "analyst": r.selection.analyst,
        "aggregation": if r.selection.analyst.is_some() { "single analyst" } else { "median across analysts" },
        "min_coverage": MIN_COVERAGE,
        "groups": fw.groups.iter().map(|g| json!({
            "id": g.id, "name": g.name, "role": g.role.as_str(),
            "reading": if g.role == crate::model::Role::Concern { "higher = more concern" } else { "higher = stronger" },
        })).collect::<Vec<_>>(),
        "mechanisms": r.mechanisms.iter().map(|m| {
            let groups: serde_json::Map<String, Value> = m.groups.iter().map(|g| {
                (g.group_id.clone(), json!({"index": opt(g.index), "coverage": round(g.coverage)}))
            }).collect();
            json!({
                "id": m.id,
                "name": m.name,
                "kind": m.kind.as_str(),
                "rank": m.rank,
                "total": opt(m.total),
                "total_coverage": round(m.total_coverage),
                "groups": groups,
                "viable": m.viable(),
                "failed_gates": m.failed_gates.iter().map(|g| json!({"criterion": g.criterion_id, "at_least": g.at_least, "value": g.value})).collect::<Vec<_>>(),
                "unchecked_gates": m.unchecked_gates.iter().map(|g| g.criterion_id.clone()).collect::<Vec<_>>(),
                "scored": m.scored,
                "not_assessed": m.not_assessed,
                "not_applicable": m.not_applicable,
                "low_confidence": m.low_confidence,
            })
        }).collect::<Vec<_>>(),
    })
}

fn cell(x: Option<f64>) -> String {
    x.map_or("—".to_string(), |v| format!("{v:.1}"))
}

fn print_table(project: &Project, r: &Results) {
    let fw = &project.framework;
    match &r.selection.scenario {
        Some(s) => println!("Scenario (hypothetical): {s}"),
        None => println!("Base assessment"),
    }
    println!(
        "Scores: {}",
        r.selection
            .analyst
            .as_deref()
            .map_or("median across analysts".to_string(), |a| format!(
                "analyst {a}"
            ))
    );
    println!("Total = composite on 0–100 (concern groups counted inverted); group indices 0–100.");
    let mut header = format!("{:>4}  {:>6}", "rank", "total");
    for g in &fw.groups {
        let mut name: String = g.id.chars().take(12).collect();
        if g.role == crate::model::Role::Concern {
            name.push('↑');
        }
        header.push_str(&format!("  {name:>13}"));
    }
    header.push_str("  mechanism");
    println!("{header}");
    let mut order: Vec<&crate::compute::MechanismResult> = r.mechanisms.iter().collect();
    order.sort_by_key(|m| m.rank.unwrap_or(usize::MAX));
    for m in order {
        let mut line = format!(
            "{:>4}  {:>6}",
            m.rank.map_or("—".to_string(), |r| r.to_string()),
            cell(m.total)
        );
        for g in &m.groups {
            line.push_str(&format!("  {:>13}", cell(g.index)));
        }
        line.push_str(&format!("  {}", m.name));
        if !m.viable() {
            line.push_str("  [not viable: gate failed]");
        }
        if m.not_assessed > 0 {
            line.push_str(&format!("  ({} not assessed)", m.not_assessed));
        }
        println!("{line}");
    }
    if fw
        .groups
        .iter()
        .any(|g| g.role == crate::model::Role::Concern)
    {
        println!("↑ concern group: higher = more concern.");
    }
}
