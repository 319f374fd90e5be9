//! A semantic diff of two projects: what an analyst would call a change (a score, a
//! weight, a rationale, a mechanism), not a line of JSON. Used by `policy-workbench
//! diff`, the recovery "Compare", and merges.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::model::*;

/// One difference between an old (`a`) and a new (`b`) project.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Info(&'static str, String, String),
    Framework(&'static str, String, String),
    GroupAdded(String),
    GroupRemoved(String),
    GroupChanged { id: String, what: Vec<String> },
    CriterionAdded(String),
    CriterionRemoved(String),
    CriterionChanged { id: String, what: Vec<String> },
    MechanismAdded(String),
    MechanismRemoved(String),
    MechanismChanged { id: String, what: Vec<&'static str> },
    SourceAdded(String),
    SourceRemoved(String),
    SourceChanged { id: String },
    AnalystAdded(String),
    AnalystRemoved(String),
    AnalystChanged { id: String },
    ScoreAdded { key: ScoreKey, value: ScoreValue },
    ScoreRemoved { key: ScoreKey, value: ScoreValue },
    ScoreChanged { key: ScoreKey, what: Vec<String> },
    ScenarioAdded(String),
    ScenarioRemoved(String),
    ScenarioChanged { id: String },
    NoteAdded(String),
    NoteRemoved(String),
    NoteChanged(String),
}

fn key_text(k: &ScoreKey) -> String {
    format!("{} / {} / {}", k.analyst, k.mechanism, k.criterion)
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Change::*;
        match self {
            Info(field, a, b) => write!(f, "project {field}: {a:?} → {b:?}"),
            Framework(field, a, b) => write!(f, "framework {field}: {a:?} → {b:?}"),
            GroupAdded(id) => write!(f, "criteria group added: {id}"),
            GroupRemoved(id) => write!(f, "criteria group removed: {id}"),
            GroupChanged { id, what } => write!(f, "criteria group {id}: {}", what.join(", ")),
            CriterionAdded(id) => write!(f, "criterion added: {id}"),
            CriterionRemoved(id) => write!(f, "criterion removed: {id}"),
            CriterionChanged { id, what } => write!(f, "criterion {id}: {}", what.join(", ")),
            MechanismAdded(id) => write!(f, "mechanism added: {id}"),
            MechanismRemoved(id) => write!(f, "mechanism removed: {id}"),
            MechanismChanged { id, what } => {
                write!(f, "mechanism {id}: {} changed", what.join(", "))
            }
            SourceAdded(id) => write!(f, "source added: {id}"),
            SourceRemoved(id) => write!(f, "source removed: {id}"),
            SourceChanged { id } => write!(f, "source {id} changed"),
            AnalystAdded(id) => write!(f, "analyst added: {id}"),
            AnalystRemoved(id) => write!(f, "analyst removed: {id}"),
            AnalystChanged { id } => write!(f, "analyst {id} renamed or annotated"),
            ScoreAdded { key, value } => {
                write!(f, "score {}: added ({})", key_text(key), value.short())
            }
            ScoreRemoved { key, value } => {
                write!(
                    f,
                    "score {}: removed (was {})",
                    key_text(key),
                    value.short()
                )
            }
            ScoreChanged { key, what } => write!(f, "score {}: {}", key_text(key), what.join(", ")),
            ScenarioAdded(id) => write!(f, "scenario added: {id}"),
            ScenarioRemoved(id) => write!(f, "scenario removed: {id}"),
            ScenarioChanged { id } => write!(f, "scenario {id} changed"),
            NoteAdded(id) => write!(f, "note added: {id}"),
            NoteRemoved(id) => write!(f, "note removed: {id}"),
            NoteChanged(id) => write!(f, "note {id} changed"),
        }
    }
}

fn by_id<T>(items: &[T], id: impl Fn(&T) -> &str) -> BTreeMap<&str, &T> {
    items.iter().map(|x| (id(x), x)).collect()
}

/// Compares lists by id: added, removed, and changed (by `eq`).
fn list_diff<'a, T: PartialEq>(
    a: &'a [T],
    b: &'a [T],
    id: impl Fn(&T) -> &str + Copy,
    mut on: impl FnMut(Option<&'a T>, Option<&'a T>, &str),
) {
    let (ma, mb) = (by_id(a, id), by_id(b, id));
    let ids: BTreeSet<&str> = ma.keys().chain(mb.keys()).copied().collect();
    for i in ids {
        let (x, y) = (ma.get(i).copied(), mb.get(i).copied());
        if x != y {
            on(x, y, i);
        }
    }
}

fn num(x: f64) -> String {
    format_value(x)
}

/// Every semantic difference from `a` to `b`, in a stable order.
pub fn diff(a: &Project, b: &Project) -> Vec<Change> {
    let mut out = Vec::new();
    let (ia, ib) = (&a.info, &b.info);
    for (field, x, y) in [
        ("title", &ia.title, &ib.title),
        ("description", &ia.description, &ib.description),
        ("author", &ia.author, &ib.author),
        ("created", &ia.created, &ib.created),
        ("modified", &ia.modified, &ib.modified),
    ] {
        if x != y {
            out.push(Change::Info(field, x.clone(), y.clone()));
        }
    }
    let (ra, rb) = (a.settings.ranking_rule, b.settings.ranking_rule);
    if ra != rb {
        out.push(Change::Info(
            "ranking rule",
            ra.as_str().to_string(),
            rb.as_str().to_string(),
        ));
    }
    let (fa, fb) = (&a.framework, &b.framework);
    if fa.name != fb.name {
        out.push(Change::Framework("name", fa.name.clone(), fb.name.clone()));
    }
    if fa.description != fb.description {
        out.push(Change::Framework(
            "description",
            fa.description.clone(),
            fb.description.clone(),
        ));
    }
    list_diff(
        &fa.groups,
        &fb.groups,
        |g| &g.id,
        |x, y, id| match (x, y) {
            (None, Some(_)) => out.push(Change::GroupAdded(id.into())),
            (Some(_), None) => out.push(Change::GroupRemoved(id.into())),
            (Some(x), Some(y)) => {
                let mut what = Vec::new();
                if x.weight != y.weight {
                    what.push(format!("weight {} → {}", num(x.weight), num(y.weight)));
                }
                if x.name != y.name {
                    what.push(format!("name {:?} → {:?}", x.name, y.name));
                }
                if x.role != y.role {
                    what.push(format!("role {} → {}", x.role.as_str(), y.role.as_str()));
                }
                if x.description != y.description {
                    what.push("description".into());
                }
                if !what.is_empty() {
                    out.push(Change::GroupChanged {
                        id: id.into(),
                        what,
                    });
                }
            }
            (None, None) => {}
        },
    );
    let ca: Vec<Criterion> = fa.criteria().map(|(_, c)| c.clone()).collect();
    let cb: Vec<Criterion> = fb.criteria().map(|(_, c)| c.clone()).collect();
    list_diff(
        &ca,
        &cb,
        |c| &c.id,
        |x, y, id| match (x, y) {
            (None, Some(_)) => out.push(Change::CriterionAdded(id.into())),
            (Some(_), None) => out.push(Change::CriterionRemoved(id.into())),
            (Some(x), Some(y)) => {
                let mut what = Vec::new();
                if x.weight != y.weight {
                    what.push(format!("weight {} → {}", num(x.weight), num(y.weight)));
                }
                for (name, changed) in [
                    ("name", x.name != y.name),
                    ("definition", x.definition != y.definition),
                    ("teaching text", x.teaching != y.teaching),
                    ("coding rule", x.coding != y.coding),
                    ("direction", x.direction != y.direction),
                    ("scale", x.scale != y.scale),
                    ("gate", x.gate != y.gate),
                ] {
                    if changed {
                        what.push(name.into());
                    }
                }
                out.push(Change::CriterionChanged {
                    id: id.into(),
                    what,
                });
            }
            (None, None) => {}
        },
    );
    list_diff(
        &a.mechanisms,
        &b.mechanisms,
        |m| &m.id,
        |x, y, id| match (x, y) {
            (None, Some(_)) => out.push(Change::MechanismAdded(id.into())),
            (Some(_), None) => out.push(Change::MechanismRemoved(id.into())),
            (Some(x), Some(y)) => {
                let what: Vec<&'static str> = [
                    ("name", x.name != y.name),
                    ("description", x.description != y.description),
                    ("kind", x.kind != y.kind),
                    ("instruments", x.instruments != y.instruments),
                    ("regions", x.regions != y.regions),
                    ("partners", x.partners != y.partners),
                    ("start year", x.start_year != y.start_year),
                    ("tags", x.tags != y.tags),
                    ("facts", x.facts != y.facts),
                ]
                .into_iter()
                .filter_map(|(n, c)| c.then_some(n))
                .collect();
                out.push(Change::MechanismChanged {
                    id: id.into(),
                    what,
                });
            }
            (None, None) => {}
        },
    );
    list_diff(
        &a.sources,
        &b.sources,
        |s| &s.id,
        |x, y, id| {
            out.push(match (x, y) {
                (None, _) => Change::SourceAdded(id.into()),
                (_, None) => Change::SourceRemoved(id.into()),
                _ => Change::SourceChanged { id: id.into() },
            })
        },
    );
    list_diff(
        &a.analysts,
        &b.analysts,
        |s| &s.id,
        |x, y, id| {
            out.push(match (x, y) {
                (None, _) => Change::AnalystAdded(id.into()),
                (_, None) => Change::AnalystRemoved(id.into()),
                _ => Change::AnalystChanged { id: id.into() },
            })
        },
    );
    let keys: BTreeSet<&ScoreKey> = a.scores.keys().chain(b.scores.keys()).collect();
    for k in keys {
        match (a.scores.get(k), b.scores.get(k)) {
            (None, Some(y)) => out.push(Change::ScoreAdded {
                key: k.clone(),
                value: y.value,
            }),
            (Some(x), None) => out.push(Change::ScoreRemoved {
                key: k.clone(),
                value: x.value,
            }),
            (Some(x), Some(y)) if x != y => {
                let mut what = Vec::new();
                if x.value != y.value {
                    what.push(format!("{} → {}", x.value.short(), y.value.short()));
                }
                if x.confidence != y.confidence {
                    what.push(format!(
                        "confidence {} → {}",
                        x.confidence.as_str(),
                        y.confidence.as_str()
                    ));
                }
                if x.rationale != y.rationale {
                    what.push("rationale changed".into());
                }
                if x.sources != y.sources {
                    what.push("sources changed".into());
                }
                if x.basis != y.basis {
                    what.push(format!("basis {} → {}", x.basis.as_str(), y.basis.as_str()));
                }
                out.push(Change::ScoreChanged {
                    key: k.clone(),
                    what,
                });
            }
            _ => {}
        }
    }
    list_diff(
        &a.scenarios,
        &b.scenarios,
        |s| &s.id,
        |x, y, id| {
            out.push(match (x, y) {
                (None, _) => Change::ScenarioAdded(id.into()),
                (_, None) => Change::ScenarioRemoved(id.into()),
                _ => Change::ScenarioChanged { id: id.into() },
            })
        },
    );
    list_diff(
        &a.notes,
        &b.notes,
        |n| &n.id,
        |x, y, id| {
            out.push(match (x, y) {
                (None, _) => Change::NoteAdded(id.into()),
                (_, None) => Change::NoteRemoved(id.into()),
                _ => Change::NoteChanged(id.into()),
            })
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hand() -> Project {
        crate::persist::load_str(include_str!("../../tests/fixtures/hand.json"))
            .unwrap()
            .project
    }

    #[test]
    fn a_new_ranking_rule_is_a_change() {
        let mut b = hand();
        b.settings.ranking_rule = RankingRule::UnrankIncomplete;
        let lines: Vec<String> = diff(&hand(), &b).iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            ["project ranking rule: \"rank-assessed\" → \"unrank-incomplete\""]
        );
    }

    #[test]
    fn identical_projects_have_no_changes() {
        assert!(diff(&hand(), &hand()).is_empty());
    }

    #[test]
    fn changes_are_named_in_analyst_terms() {
        let a = hand();
        let mut b = hand();
        b.framework.groups[1].weight = 3.0;
        let k = ScoreKey::new("a", "m1", "r1");
        b.scores.get_mut(&k).unwrap().value = ScoreValue::Value(2.0);
        b.scores.get_mut(&k).unwrap().rationale = "new".into();
        b.mechanisms[3].name = "Renamed".into();
        b.mechanisms.push(Mechanism::new("m5", "Five"));
        let lines: Vec<String> = diff(&a, &b).iter().map(ToString::to_string).collect();
        assert!(
            lines.contains(&"criteria group obj: weight 2 → 3".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"score a / m1 / r1: 4 → 2, rationale changed".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"mechanism m4: name changed".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"mechanism added: m5".to_string()),
            "{lines:#?}"
        );
        assert_eq!(lines.len(), 4);
    }
}
