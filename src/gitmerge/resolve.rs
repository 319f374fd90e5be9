//! Resolving a recorded merge conflict: the project with the chosen side's value put
//! back at the conflict's place (or the item removed, where that side had none) and the
//! record dropped; or, to keep the project as it is now (OURS, or what the user edited
//! since), the record dropped alone. The result is checked by the project rules.

use serde_json::Value;

use super::merge3::item_key;
use crate::model::Project;
use crate::persist;

/// Which value a conflict is resolved with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Keep the project as it is now (our side, or what was edited since).
    Current,
    Base,
    Theirs,
}

/// One step of a conflict's path: a field, or an item of a list by its key.
#[derive(Debug, PartialEq)]
enum Step {
    Field(String),
    Item(String),
}

/// `framework.groups[g].criteria[c].weight` → fields and items.
fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            out.push(Step::Item(r[..end].to_string()));
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            out.push(Step::Field(r[..end].to_string()));
            rest = &r[end..];
        }
    }
    out
}

/// A conflict's place in an analyst's words: "INTERPOL / Geopolitical environment,
/// scored by Reference: value" for a score, "Mechanism INTERPOL: name" for a field of a
/// mechanism; other places as their path.
pub fn describe(p: &Project, path: &str) -> String {
    let steps = steps(path);
    let mech = |id: &str| {
        p.mechanism(id)
            .map_or_else(|| id.to_string(), |m| m.name.clone())
    };
    let crit = |id: &str| {
        p.framework
            .criteria()
            .find(|(_, c)| c.id == id)
            .map_or_else(|| id.to_string(), |(_, c)| c.name.clone())
    };
    let field = |rest: &[Step]| match rest {
        [Step::Field(f)] => format!(": {}", f.replace('_', " ")),
        _ => String::new(),
    };
    match steps.as_slice() {
        [Step::Field(list), Step::Item(k), rest @ ..] if list == "scores" => {
            let parts: Vec<&str> = k.split('/').collect();
            match parts.as_slice() {
                [a, m, c] => {
                    let who = p
                        .analyst(a)
                        .map_or_else(|| a.to_string(), |x| x.name.clone());
                    format!("{} / {}, scored by {who}{}", mech(m), crit(c), field(rest))
                }
                _ => path.to_string(),
            }
        }
        [Step::Field(list), Step::Item(id), rest @ ..] => {
            let what = match list.as_str() {
                "mechanisms" => format!("Mechanism {}", mech(id)),
                "sources" => format!("Source {id}"),
                "analysts" => format!(
                    "Analyst {}",
                    p.analyst(id)
                        .map_or_else(|| id.to_string(), |a| a.name.clone())
                ),
                "scenarios" => format!(
                    "Scenario {}",
                    p.scenario(id)
                        .map_or_else(|| id.to_string(), |s| s.name.clone())
                ),
                "notes" => format!("Note {id}"),
                _ => return path.to_string(),
            };
            if rest.len() <= 1 {
                format!("{what}{}", field(rest))
            } else {
                format!("{what}: {}", path.split_once('.').map_or(path, |(_, r)| r))
            }
        }
        [
            Step::Field(f),
            Step::Field(g),
            Step::Item(_),
            Step::Field(cs),
            Step::Item(cid),
            rest @ ..,
        ] if f == "framework" && g == "groups" && cs == "criteria" => {
            format!("Criterion {}{}", crit(cid), field(rest))
        }
        _ => path.to_string(),
    }
}

/// Puts `value` at `path` in `doc` (removes what is there when None).
fn put(doc: &mut Value, path: &str, value: Option<Value>) -> Result<(), String> {
    let steps = steps(path);
    let Some((last, walk)) = steps.split_last() else {
        return Err("the conflict has no place".into());
    };
    let mut v = doc;
    let mut field = String::new();
    for s in walk {
        v = match s {
            Step::Field(f) => {
                field = f.clone();
                v.get_mut(f.as_str())
            }
            Step::Item(k) => v.as_array_mut().and_then(|l| {
                l.iter_mut()
                    .find(|x| item_key(&field, x).as_deref() == Some(k.as_str()))
            }),
        }
        .ok_or_else(|| format!("{path} is no longer in the project"))?;
    }
    match last {
        Step::Field(f) => {
            let obj = v
                .as_object_mut()
                .ok_or_else(|| format!("{path} is no longer in the project"))?;
            match value {
                Some(x) => {
                    obj.insert(f.clone(), x);
                }
                None => {
                    obj.remove(f.as_str());
                }
            }
        }
        Step::Item(k) => {
            let list = v
                .as_array_mut()
                .ok_or_else(|| format!("{path} is no longer in the project"))?;
            let at = list
                .iter()
                .position(|x| item_key(&field, x).as_deref() == Some(k.as_str()));
            match (at, value) {
                (Some(i), Some(x)) => list[i] = x,
                (Some(i), None) => {
                    list.remove(i);
                }
                (None, Some(x)) => list.push(x),
                (None, None) => {}
            }
        }
    }
    Ok(())
}

/// The project with conflict `index` resolved by `side`.
pub fn resolve(p: &Project, index: usize, side: Side) -> Result<Project, String> {
    let c = p
        .merge_conflicts
        .get(index)
        .ok_or_else(|| "there is no such conflict".to_string())?
        .clone();
    let mut out = p.clone();
    out.merge_conflicts.remove(index);
    let value = match side {
        Side::Current => return Ok(out),
        Side::Base => c.base,
        Side::Theirs => c.theirs,
    };
    let mut doc: Value =
        serde_json::from_str(&persist::to_canonical_string(&out)).map_err(|e| e.to_string())?;
    put(&mut doc, &c.path, value)?;
    persist::convert_checked(&doc).map_err(|problems| {
        let first = problems.first().map(|p| p.to_string()).unwrap_or_default();
        format!(
            "that value does not fit the project as it is now ({first}); edit it by hand instead"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gitmerge::merge_projects;
    use crate::model::{ScoreKey, ScoreValue};

    fn crit_name(p: &Project, id: &str) -> String {
        p.framework
            .criteria()
            .find(|(_, c)| c.id == id)
            .unwrap()
            .1
            .name
            .clone()
    }

    #[test]
    fn paths_read_as_fields_and_items() {
        assert_eq!(
            steps("framework.groups[g].criteria[c-1].weight"),
            vec![
                Step::Field("framework".into()),
                Step::Field("groups".into()),
                Step::Item("g".into()),
                Step::Field("criteria".into()),
                Step::Item("c-1".into()),
                Step::Field("weight".into()),
            ]
        );
    }

    #[test]
    fn each_side_can_be_taken() {
        let b = persist::load_str(crate::bundled::SAMPLE).unwrap().project;
        let key = ScoreKey::new("reference", "interpol", "geopolitical");
        let with = |v: f64| {
            let mut p = b.clone();
            p.scores.get_mut(&key).unwrap().value = ScoreValue::Value(v);
            persist::to_canonical_string(&p)
        };
        let m = merge_projects(
            Some(&persist::to_canonical_string(&b)),
            &with(1.0),
            &with(3.0),
        )
        .unwrap();
        let p = m.project;
        assert_eq!(p.merge_conflicts.len(), 1);
        let t = resolve(&p, 0, Side::Theirs).unwrap();
        assert_eq!(t.scores[&key].value, ScoreValue::Value(3.0));
        assert!(t.merge_conflicts.is_empty());
        let o = resolve(&p, 0, Side::Current).unwrap();
        assert_eq!(o.scores[&key].value, ScoreValue::Value(1.0));
        let base = resolve(&p, 0, Side::Base).unwrap();
        assert_eq!(base.scores[&key].value, b.scores[&key].value);
        assert_eq!(
            describe(&p, &p.merge_conflicts[0].path),
            format!(
                "INTERPOL / {}, scored by {}: value",
                crit_name(&p, "geopolitical"),
                p.analysts[0].name
            )
        );
        assert_eq!(
            describe(&p, "mechanisms[interpol].name"),
            "Mechanism INTERPOL: name"
        );
        assert_eq!(describe(&p, "workshop.discussion"), "workshop.discussion");
    }
}
