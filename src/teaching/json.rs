//! The machine-readable form of a student's feedback (`policy-workbench feedback
//! --json`, documented in docs/teaching.md).

use serde_json::{Value, json};

use crate::model::ScoreValue;
use crate::teaching::feedback::{CellFeedback, Stats, StudentFeedback};

/// How many of the largest disagreements the JSON lists per student.
pub const LARGEST_IN_JSON: usize = 10;

fn value_json(v: ScoreValue) -> Value {
    match v {
        ScoreValue::Value(x) => json!(x),
        ScoreValue::NotApplicable => json!("not_applicable"),
        ScoreValue::NotAssessed => Value::Null,
    }
}

/// The numbers of one `Stats`: `exact_share` for a key (null for a panel),
/// `inside_share` for both (for a key the range is the key itself).
fn stats_json(s: &Stats, panel: bool) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("cells".into(), json!(s.cells));
    m.insert("scored".into(), json!(s.scored));
    m.insert("compared".into(), json!(s.compared));
    m.insert("left".into(), json!(s.left));
    m.insert(
        "exact_share".into(),
        if panel {
            Value::Null
        } else {
            json!(s.agree_share())
        },
    );
    m.insert("inside_share".into(), json!(s.agree_share()));
    m.insert("within_one_share".into(), json!(s.within_one_share()));
    m.insert("numeric".into(), json!(s.numeric));
    m.insert("mean_difference".into(), json!(s.mean_difference));
    m.insert("weighted_kappa".into(), json!(s.weighted_kappa));
    m
}

fn cell_json(c: &CellFeedback) -> Value {
    json!({
        "mechanism": c.mechanism,
        "criterion": c.criterion,
        "student": value_json(c.student),
        "range": c.range.map(|(lo, hi)| json!([lo, hi])),
        "difference": c.difference,
        "distance": c.distance,
        "reference": c.reference.iter().map(|j| json!({
            "analyst": j.analyst,
            "value": value_json(j.value),
            "rationale": j.rationale,
        })).collect::<Vec<_>>(),
    })
}

/// One student's feedback as JSON; `file` names the student's file.
pub fn student_json(file: &str, s: &StudentFeedback, panel: bool) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("file".into(), json!(file));
    m.insert("analyst".into(), json!(s.analyst));
    m.insert("name".into(), json!(s.name));
    m.extend(stats_json(&s.overall, panel));
    m.insert(
        "criteria".into(),
        Value::Array(
            s.per_criterion
                .iter()
                .map(|c| {
                    let mut cm = serde_json::Map::new();
                    cm.insert("id".into(), json!(c.criterion));
                    cm.insert("name".into(), json!(c.name));
                    cm.extend(stats_json(&c.stats, panel));
                    Value::Object(cm)
                })
                .collect(),
        ),
    );
    m.insert(
        "largest_disagreements".into(),
        Value::Array(
            s.disagreements
                .iter()
                .take(LARGEST_IN_JSON)
                .map(cell_json)
                .collect(),
        ),
    );
    Value::Object(m)
}
