//! The machine-readable form of a comparison (documented in docs/analysis.md).

use serde_json::{Value, json};

use super::types::{Change, Comparison, Side, SideValues};
use crate::model::{Project, ScoreValue};

impl Comparison {
    pub fn to_json(&self, project: &Project) -> Value {
        let side = |s: &Side| {
            json!({
                "scenario": s.selection.scenario,
                "label": s.label,
                "hypothetical": s.hypothetical,
            })
        };
        let fw = &project.framework;
        let values = |v: &Option<SideValues>| match v {
            None => Value::Null,
            Some(v) => {
                let groups: serde_json::Map<String, Value> = fw
                    .groups
                    .iter()
                    .zip(&v.groups)
                    .map(|(g, x)| (g.id.clone(), opt4(*x)))
                    .collect();
                let failed: Vec<Value> = v
                    .failed_gates
                    .iter()
                    .map(|g| {
                        json!({"criterion": g.criterion_id, "name": g.criterion_name,
                               "at_least": g.at_least, "value": g.value})
                    })
                    .collect();
                json!({
                    "rank": v.rank,
                    "rank_range": v.rank_range.map(|(b, w)| json!([b, w])),
                    "partial": v.open_cells > 0,
                    "open_cells": v.open_cells,
                    "unranked_by_rule": v.unranked_by_rule,
                    "total": opt4(v.total), "groups": groups, "viable": v.viable,
                    "failed_gates": failed,
                })
            }
        };
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                let mut o = match c {
                    Change::GroupWeight { id, from, to, .. } => {
                        json!({"group": id, "from": from, "to": to})
                    }
                    Change::CriterionWeight { id, from, to, .. } => {
                        json!({"criterion": id, "from": from, "to": to})
                    }
                    Change::Score {
                        mechanism_id,
                        criterion_id,
                        from,
                        to,
                        rationale,
                        ..
                    } => json!({
                        "mechanism": mechanism_id, "criterion": criterion_id,
                        "from": score_json(*from), "to": score_json(*to), "rationale": rationale,
                    }),
                    Change::Membership {
                        mechanism_id,
                        reason,
                        ..
                    } => json!({"mechanism": mechanism_id, "reason": reason}),
                };
                o["kind"] = json!(c.kind_str());
                o["text"] = json!(c.describe());
                o
            })
            .collect();
        let mechanisms: Vec<Value> = self
            .mechanisms
            .iter()
            .map(|m| {
                json!({
                    "id": m.id, "name": m.name, "kind": m.kind.as_str(),
                    "presence": m.presence.as_str(),
                    "presence_reason": m.presence_reason,
                    "baseline": values(&m.baseline),
                    "scenario": values(&m.scenario),
                    "rank_change": m.rank_delta(),
                    "total_change": opt4(m.total_delta()),
                    "viability": m.viability().as_str(),
                    "viability_text": m.viability_text(),
                })
            })
            .collect();
        let explanations: Vec<Value> = self
            .explanations
            .iter()
            .map(|e| {
                json!({
                    "mechanism": e.mechanism_id,
                    "presence": e.presence.as_str(),
                    "rank": [e.baseline_rank, e.scenario_rank],
                    "total": [opt4(e.baseline_total), opt4(e.scenario_total)],
                    "contributions": e.contributions.iter().map(|c| json!({
                        "change": c.change,
                        "effect": opt4(c.effect),
                        "rank_alone": c.rank_alone,
                    })).collect::<Vec<_>>(),
                    "interaction": opt4(e.interaction),
                    "passed": e.passed,
                    "passed_by": e.passed_by,
                    "left_ahead": e.left_ahead,
                    "new_ahead": e.new_ahead,
                    "text": e.text,
                })
            })
            .collect();
        json!({
            "project": project.info.title,
            "analyst": self.baseline.selection.analyst,
            "viewpoint": {
                "id": self.viewpoint.id, "name": self.viewpoint.name,
                "reading": self.viewpoint.reading.as_str(),
            },
            "scenario_viewpoint": (self.scenario_viewpoint != self.viewpoint).then(|| json!({
                "id": self.scenario_viewpoint.id, "name": self.scenario_viewpoint.name,
                "reading": self.scenario_viewpoint.reading.as_str(),
            })),
            "ranking_rule": self.ranking_rule.as_str(),
            "ranking_rule_text": self.ranking_rule.line(),
            "baseline": side(&self.baseline),
            "scenario": side(&self.scenario),
            "groups": fw.groups.iter().map(|g| json!({"id": g.id, "name": g.name, "role": g.role.as_str()})).collect::<Vec<_>>(),
            "changes": changes,
            "mechanisms": mechanisms,
            "explanations": explanations,
            "stability": {
                "baseline": self.baseline_stability.describe(),
                "scenario": self.scenario_stability.describe(),
            },
        })
    }
}

pub(super) fn score_json(v: ScoreValue) -> Value {
    match v {
        ScoreValue::Value(x) => json!(x),
        ScoreValue::NotAssessed => json!("not_assessed"),
        ScoreValue::NotApplicable => json!("not_applicable"),
    }
}

pub(super) fn opt4(x: Option<f64>) -> Value {
    x.map_or(Value::Null, |v| json!((v * 10_000.0).round() / 10_000.0))
}
