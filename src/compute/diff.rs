//! A semantic diff of two projects: what an analyst would call a change (a score, a
//! weight, a rationale, a mechanism), not a line of JSON, named by names
//! (`Change::describe`) or by ids (`Display`, and `to_json` for `diff --json`). Used by
//! `policy-workbench diff`, the recovery "Compare", and merges.

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
    GroupChanged {
        id: String,
        what: Vec<String>,
    },
    CriterionAdded(String),
    CriterionRemoved(String),
    CriterionChanged {
        id: String,
        what: Vec<String>,
    },
    MechanismAdded(String),
    MechanismRemoved(String),
    /// `renamed`: the old name when the name changed; `what`: the other fields changed.
    MechanismChanged {
        id: String,
        renamed: Option<String>,
        what: Vec<&'static str>,
    },
    SourceAdded(String),
    SourceRemoved(String),
    SourceChanged {
        id: String,
    },
    AnalystAdded(String),
    AnalystRemoved(String),
    AnalystChanged {
        id: String,
    },
    ScoreAdded {
        key: ScoreKey,
        value: ScoreValue,
    },
    ScoreRemoved {
        key: ScoreKey,
        value: ScoreValue,
    },
    ScoreChanged {
        key: ScoreKey,
        what: Vec<String>,
    },
    ScenarioAdded(String),
    ScenarioRemoved(String),
    ScenarioChanged {
        id: String,
    },
    NoteAdded(String),
    NoteRemoved(String),
    NoteChanged(String),
}

/// What an id in a change names, so it can be shown by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Group,
    Criterion,
    Mechanism,
    Source,
    Analyst,
    Scenario,
    Note,
}

impl Item {
    fn json_key(self) -> &'static str {
        match self {
            Item::Group => "group",
            Item::Criterion => "criterion",
            Item::Mechanism => "mechanism",
            Item::Source => "source",
            Item::Analyst => "analyst",
            Item::Scenario => "scenario",
            Item::Note => "note",
        }
    }
}

/// Writes `change`, each id through `name`.
fn render(
    change: &Change,
    f: &mut fmt::Formatter<'_>,
    name: &dyn Fn(Item, &str) -> String,
) -> fmt::Result {
    use Change::*;
    let key = |k: &ScoreKey| {
        format!(
            "{} / {} / {}",
            name(Item::Analyst, &k.analyst),
            name(Item::Mechanism, &k.mechanism),
            name(Item::Criterion, &k.criterion)
        )
    };
    match change {
        Info(field, a, b) => write!(f, "project {field}: {a:?} → {b:?}"),
        Framework(field, a, b) => write!(f, "framework {field}: {a:?} → {b:?}"),
        GroupAdded(id) => write!(f, "criteria group added: {}", name(Item::Group, id)),
        GroupRemoved(id) => write!(f, "criteria group removed: {}", name(Item::Group, id)),
        GroupChanged { id, what } => {
            write!(
                f,
                "criteria group {}: {}",
                name(Item::Group, id),
                what.join(", ")
            )
        }
        CriterionAdded(id) => write!(f, "criterion added: {}", name(Item::Criterion, id)),
        CriterionRemoved(id) => write!(f, "criterion removed: {}", name(Item::Criterion, id)),
        CriterionChanged { id, what } => {
            write!(
                f,
                "criterion {}: {}",
                name(Item::Criterion, id),
                what.join(", ")
            )
        }
        MechanismAdded(id) => write!(f, "mechanism added: {}", name(Item::Mechanism, id)),
        MechanismRemoved(id) => write!(f, "mechanism removed: {}", name(Item::Mechanism, id)),
        MechanismChanged { id, renamed, what } => {
            let mut parts = Vec::new();
            if let Some(old) = renamed {
                parts.push(format!("renamed from “{old}”"));
            }
            if !what.is_empty() {
                parts.push(format!("{} changed", what.join(", ")));
            }
            write!(
                f,
                "mechanism {}: {}",
                name(Item::Mechanism, id),
                parts.join("; ")
            )
        }
        SourceAdded(id) => write!(f, "source added: {}", name(Item::Source, id)),
        SourceRemoved(id) => write!(f, "source removed: {}", name(Item::Source, id)),
        SourceChanged { id } => write!(f, "source {} changed", name(Item::Source, id)),
        AnalystAdded(id) => write!(f, "analyst added: {}", name(Item::Analyst, id)),
        AnalystRemoved(id) => write!(f, "analyst removed: {}", name(Item::Analyst, id)),
        AnalystChanged { id } => {
            write!(
                f,
                "analyst {} renamed or annotated",
                name(Item::Analyst, id)
            )
        }
        ScoreAdded { key: k, value } => write!(f, "score {}: added ({})", key(k), value.short()),
        ScoreRemoved { key: k, value } => {
            write!(f, "score {}: removed (was {})", key(k), value.short())
        }
        ScoreChanged { key: k, what } => write!(f, "score {}: {}", key(k), what.join(", ")),
        ScenarioAdded(id) => write!(f, "scenario added: {}", name(Item::Scenario, id)),
        ScenarioRemoved(id) => write!(f, "scenario removed: {}", name(Item::Scenario, id)),
        ScenarioChanged { id } => write!(f, "scenario {} changed", name(Item::Scenario, id)),
        NoteAdded(id) => write!(f, "note added: {}", name(Item::Note, id)),
        NoteRemoved(id) => write!(f, "note removed: {}", name(Item::Note, id)),
        NoteChanged(id) => write!(f, "note {} changed", name(Item::Note, id)),
    }
}

/// The start of a text for a one-line diff: at most 60 characters, on one line.
fn excerpt(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 60 {
        flat
    } else {
        let cut: String = flat.chars().take(59).collect();
        format!("{}…", cut.trim_end())
    }
}

/// With ids (as stored in the file).
impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        render(self, f, &|_, id| id.to_string())
    }
}

/// The names of the items of two projects: the new project's name, else the old one's
/// (for something removed), else the id.
struct Names<'a> {
    old: &'a Project,
    new: &'a Project,
}

impl Names<'_> {
    fn of(&self, item: Item, id: &str) -> String {
        let one = |p: &Project| -> Option<String> {
            match item {
                Item::Group => p
                    .framework
                    .groups
                    .iter()
                    .find(|g| g.id == id)
                    .map(|g| g.name.clone()),
                Item::Criterion => p.framework.criterion(id).map(|c| c.name.clone()),
                Item::Mechanism => p
                    .mechanisms
                    .iter()
                    .chain(p.scenarios.iter().flat_map(|s| s.added_mechanisms.iter()))
                    .find(|m| m.id == id)
                    .map(|m| m.name.clone()),
                Item::Source => p
                    .sources
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| crate::model::text::excerpt(&s.citation, 80)),
                Item::Analyst => p.analyst(id).map(|a| a.name.clone()),
                Item::Scenario => p.scenario(id).map(|s| s.name.clone()),
                Item::Note => p.notes.iter().find(|n| n.id == id).map(|n| n.title.clone()),
            }
        };
        one(self.new)
            .or_else(|| one(self.old))
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| id.to_string())
    }
}

/// A change as an analyst reads it: mechanisms, criteria, analysts… by name.
pub struct Described<'a> {
    change: &'a Change,
    names: Names<'a>,
}

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        render(self.change, f, &|item, id| self.names.of(item, id))
    }
}

impl Change {
    /// This change with names instead of ids (`old` and `new` are the projects compared).
    pub fn describe<'a>(&'a self, old: &'a Project, new: &'a Project) -> Described<'a> {
        Described {
            change: self,
            names: Names { old, new },
        }
    }

    /// The ids this change is about, by what they name ("mechanism": "m1", …).
    fn ids(&self) -> Vec<(Item, &str)> {
        use Change::*;
        match self {
            Info(..) | Framework(..) => Vec::new(),
            GroupAdded(id) | GroupRemoved(id) | GroupChanged { id, .. } => vec![(Item::Group, id)],
            CriterionAdded(id) | CriterionRemoved(id) | CriterionChanged { id, .. } => {
                vec![(Item::Criterion, id)]
            }
            MechanismAdded(id) | MechanismRemoved(id) | MechanismChanged { id, .. } => {
                vec![(Item::Mechanism, id)]
            }
            SourceAdded(id) | SourceRemoved(id) | SourceChanged { id } => vec![(Item::Source, id)],
            AnalystAdded(id) | AnalystRemoved(id) | AnalystChanged { id } => {
                vec![(Item::Analyst, id)]
            }
            ScoreAdded { key, .. } | ScoreRemoved { key, .. } | ScoreChanged { key, .. } => vec![
                (Item::Analyst, &key.analyst),
                (Item::Mechanism, &key.mechanism),
                (Item::Criterion, &key.criterion),
            ],
            ScenarioAdded(id) | ScenarioRemoved(id) | ScenarioChanged { id } => {
                vec![(Item::Scenario, id)]
            }
            NoteAdded(id) | NoteRemoved(id) | NoteChanged(id) => vec![(Item::Note, id)],
        }
    }

    /// The machine-readable form (`diff --json`): the ids of what changed and the
    /// change with ids as text (`change`) and with names (`description`).
    pub fn to_json(&self, old: &Project, new: &Project) -> serde_json::Value {
        let mut o = serde_json::Map::new();
        for (item, id) in self.ids() {
            o.insert(item.json_key().into(), serde_json::Value::from(id));
        }
        o.insert("change".into(), self.to_string().into());
        o.insert(
            "description".into(),
            self.describe(old, new).to_string().into(),
        );
        serde_json::Value::Object(o)
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
/// The weighting judgements of the sets that differ between `w` and `other`, in
/// short: "obj: o1/o2 3, swing o1 #1 100" ("none" for a set without any).
fn weighting_summary(w: &Weighting, other: &Weighting) -> String {
    let one = |name: &str, j: &Judgements| {
        let mut parts: Vec<String> = j
            .pairwise
            .iter()
            .map(|p| {
                format!(
                    "{}/{} {}",
                    p.a,
                    p.b,
                    crate::compute::ahp::judgement_text(p.value)
                )
            })
            .collect();
        parts.extend(
            j.swing
                .iter()
                .map(|s| format!("swing {} #{} {}", s.id, s.rank, num(s.rating))),
        );
        if parts.is_empty() {
            format!("{name}: none")
        } else {
            format!("{name}: {}", parts.join(", "))
        }
    };
    let mut out = Vec::new();
    if w.groups != other.groups {
        out.push(one("groups", &w.groups));
    }
    let ids: BTreeSet<&String> = w.criteria.keys().chain(other.criteria.keys()).collect();
    for g in ids {
        let (x, y) = (w.of_group(g), other.of_group(g));
        if x != y {
            out.push(one(g, &x));
        }
    }
    out.join("; ")
}

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
    if fa.weighting != fb.weighting {
        out.push(Change::Framework(
            "weighting judgements",
            weighting_summary(&fa.weighting, &fb.weighting),
            weighting_summary(&fb.weighting, &fa.weighting),
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
                    renamed: (x.name != y.name).then(|| x.name.clone()),
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
                    what.push(format!(
                        "rationale “{}” → “{}”",
                        excerpt(&x.rationale),
                        excerpt(&y.rationale)
                    ));
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
            lines
                .iter()
                .any(|l| l.starts_with("score a / m1 / r1: 4 → 2, rationale “")
                    && l.ends_with("” → “new”")),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"mechanism m4: renamed from “Four”".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"mechanism added: m5".to_string()),
            "{lines:#?}"
        );
        assert_eq!(lines.len(), 4);
        let named: Vec<String> = diff(&a, &b)
            .iter()
            .map(|c| c.describe(&a, &b).to_string())
            .collect();
        assert_eq!(
            named,
            [
                "criteria group Objective: weight 2 → 3",
                "mechanism Renamed: renamed from “Four”",
                "mechanism added: Five",
                "score A / One / R1: 4 → 2, rationale “” → “new”",
            ]
        );
    }

    #[test]
    fn a_removed_item_keeps_its_old_name_and_json_keeps_the_ids() {
        let a = hand();
        let mut b = hand();
        b.mechanisms.retain(|m| m.id != "m2");
        b.scores.retain(|k, _| k.mechanism != "m2");
        let changes = diff(&a, &b);
        let named: Vec<String> = changes
            .iter()
            .map(|c| c.describe(&a, &b).to_string())
            .collect();
        assert!(
            named.contains(&"mechanism removed: Two".to_string()),
            "{named:#?}"
        );
        let j = changes[0].to_json(&a, &b);
        assert_eq!(j["mechanism"], "m2");
        assert_eq!(j["change"], "mechanism removed: m2");
        assert_eq!(j["description"], "mechanism removed: Two");
        let score = changes
            .iter()
            .find(|c| matches!(c, Change::ScoreRemoved { .. }))
            .unwrap()
            .to_json(&a, &b);
        assert_eq!(score["mechanism"], "m2");
        assert!(score["analyst"].is_string() && score["criterion"].is_string());
    }
}
