//! After the generic merge: what a deletion takes with it. A score, override or
//! consensus cell kept (or added) on one side may name a mechanism, criterion, analyst
//! or source the other side deleted. When OURS still has that item it is restored (a
//! conflict on it: one side deleted it, the other still uses it); otherwise the cell or
//! the reference is dropped and recorded as a conflict, so nothing is lost. Anything
//! else the project rules refuse is reverted to OURS item by item (`revert_at`).
//! Weighting judgements naming a deleted group or criterion are dropped (one conflict).

use std::collections::HashSet;

use serde_json::Value;

use super::merge3::{Conflict, item_key};

/// The kinds of item a cell names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Mechanism,
    Criterion,
    Analyst,
}

fn list<'a>(doc: &'a Value, path: &[&str]) -> &'a [Value] {
    let mut v = doc;
    for p in path {
        match v.get(*p) {
            Some(x) => v = x,
            None => return &[],
        }
    }
    v.as_array().map_or(&[], |l| l.as_slice())
}

fn by_id<'a>(items: &'a [Value], id: &str) -> Option<&'a Value> {
    items
        .iter()
        .find(|v| v.get("id").and_then(Value::as_str) == Some(id))
}

fn criteria(doc: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    list(doc, &["framework", "groups"]).iter().flat_map(|g| {
        g.get("criteria")
            .and_then(Value::as_array)
            .map_or(&[][..], |l| l.as_slice())
            .iter()
            .map(move |c| (g, c))
    })
}

fn ids(items: &[Value]) -> HashSet<String> {
    items
        .iter()
        .filter_map(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
        .collect()
}

fn find(doc: &Value, kind: Kind, id: &str) -> Option<Value> {
    match kind {
        Kind::Mechanism => by_id(list(doc, &["mechanisms"]), id).cloned(),
        Kind::Analyst => by_id(list(doc, &["analysts"]), id).cloned(),
        Kind::Criterion => criteria(doc)
            .find(|(_, c)| c.get("id").and_then(Value::as_str) == Some(id))
            .map(|(_, c)| c.clone()),
    }
}

/// Inserts `item` into `target` after the item that precedes it in `order` (OURS's
/// list), at the front when none of its predecessors is there.
fn insert_after_predecessor(target: &mut Vec<Value>, order: &[Value], item: Value) {
    let id = item
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let here = order
        .iter()
        .position(|v| v.get("id").and_then(Value::as_str) == Some(id.as_str()));
    let mut at = 0;
    if let Some(i) = here {
        for prev in order[..i].iter().rev() {
            let pid = prev.get("id").and_then(Value::as_str);
            if let Some(p) = target
                .iter()
                .position(|v| v.get("id").and_then(Value::as_str) == pid)
            {
                at = p + 1;
                break;
            }
        }
    }
    target.insert(at, item);
}

fn array_mut<'a>(doc: &'a mut Value, path: &[&str]) -> Option<&'a mut Vec<Value>> {
    let mut v = doc;
    for p in path {
        v = v.get_mut(*p)?;
    }
    v.as_array_mut()
}

/// The three sides the merge started from.
pub struct Sides<'a> {
    pub base: &'a Value,
    pub ours: &'a Value,
    pub theirs: &'a Value,
}

/// Restores OURS's item into the merged document and records the conflict on it.
fn restore(doc: &mut Value, s: &Sides, kind: Kind, id: &str, out: &mut Vec<Conflict>) -> bool {
    let Some(item) = find(s.ours, kind, id) else {
        return false;
    };
    let record = |path: String, out: &mut Vec<Conflict>| {
        out.push(Conflict {
            path,
            base: find(s.base, kind, id),
            ours: Some(item.clone()),
            theirs: find(s.theirs, kind, id),
        })
    };
    match kind {
        Kind::Mechanism | Kind::Analyst => {
            let field = if kind == Kind::Mechanism {
                "mechanisms"
            } else {
                "analysts"
            };
            let Some(target) = array_mut(doc, &[field]) else {
                return false;
            };
            insert_after_predecessor(target, list(s.ours, &[field]), item.clone());
            record(format!("{field}[{id}]"), out);
        }
        Kind::Criterion => {
            let Some((group, _)) =
                criteria(s.ours).find(|(_, c)| c.get("id").and_then(Value::as_str) == Some(id))
            else {
                return false;
            };
            let gid = group
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let order = group
                .get("criteria")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let Some(groups) = array_mut(doc, &["framework", "groups"]) else {
                return false;
            };
            if let Some(g) = groups
                .iter_mut()
                .find(|g| g.get("id").and_then(Value::as_str) == Some(gid.as_str()))
            {
                if let Some(target) = g.get_mut("criteria").and_then(Value::as_array_mut) {
                    insert_after_predecessor(target, &order, item.clone());
                }
                record(format!("framework.groups[{gid}].criteria[{id}]"), out);
            } else {
                // The group went too: restore it with just this criterion.
                let mut g = group.clone();
                g["criteria"] = Value::Array(vec![item.clone()]);
                insert_after_predecessor(groups, list(s.ours, &["framework", "groups"]), g);
                record(format!("framework.groups[{gid}].criteria[{id}]"), out);
            }
        }
    }
    true
}

/// Where cells live, with the kinds of item their fields name.
/// A list of cells (its raw path) and the fields of a cell that name other items.
type CellList = (Vec<String>, Vec<(&'static str, Kind)>);

fn cell_lists(doc: &Value) -> Vec<CellList> {
    let score = vec![
        ("analyst", Kind::Analyst),
        ("mechanism", Kind::Mechanism),
        ("criterion", Kind::Criterion),
    ];
    let cell = vec![
        ("mechanism", Kind::Mechanism),
        ("criterion", Kind::Criterion),
    ];
    let mut out = vec![
        (vec!["scores".to_string()], score.clone()),
        (vec!["workshop".into(), "consensus".into()], cell.clone()),
    ];
    for (i, _) in list(doc, &["workshop", "rounds"]).iter().enumerate() {
        out.push((
            vec![
                "workshop".into(),
                "rounds".into(),
                i.to_string(),
                "scores".into(),
            ],
            score.clone(),
        ));
    }
    for (i, _) in list(doc, &["scenarios"]).iter().enumerate() {
        out.push((
            vec!["scenarios".into(), i.to_string(), "score_overrides".into()],
            cell.clone(),
        ));
    }
    out
}

fn at<'a>(doc: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut v = doc;
    for p in path {
        v = match v {
            Value::Array(l) => l.get(p.parse::<usize>().ok()?)?,
            _ => v.get(p.as_str())?,
        };
    }
    Some(v)
}

fn at_mut<'a>(doc: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut v = doc;
    for p in path {
        v = match v {
            Value::Array(l) => l.get_mut(p.parse::<usize>().ok()?)?,
            _ => v.get_mut(p.as_str())?,
        };
    }
    Some(v)
}

/// The readable path of a place given as raw segments (list indexes become item keys).
fn readable(doc: &Value, path: &[String]) -> String {
    let mut out = String::new();
    let mut v = doc;
    let mut field = "";
    for p in path {
        match v {
            Value::Array(l) => {
                let Some(item) = p.parse::<usize>().ok().and_then(|i| l.get(i)) else {
                    break;
                };
                match item_key(field, item) {
                    Some(k) => out.push_str(&format!("[{k}]")),
                    None => out.push_str(&format!("[{p}]")),
                }
                v = item;
            }
            _ => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(p);
                field = p;
                match v.get(p.as_str()) {
                    Some(x) => v = x,
                    None => break,
                }
            }
        }
    }
    out
}

/// The same item (by key) in another side's document, found through the readable
/// path of its list: `scenarios[s].score_overrides` + key.
fn same_item(side: &Value, merged: &Value, list_path: &[String], key: &str) -> Option<Value> {
    // Walk the list path, translating indexes of the merged document into keys.
    let mut m = merged;
    let mut v = side;
    let mut field = "";
    for p in list_path {
        match m {
            Value::Array(ml) => {
                let item = ml.get(p.parse::<usize>().ok()?)?;
                let k = item_key(field, item)?;
                let sl = v.as_array()?;
                v = sl
                    .iter()
                    .find(|x| item_key(field, x).as_deref() == Some(k.as_str()))?;
                m = item;
            }
            _ => {
                m = m.get(p.as_str())?;
                v = v.get(p.as_str())?;
                field = p;
            }
        }
    }
    let field = list_path.last().map_or("", |s| s.as_str());
    v.as_array()?
        .iter()
        .find(|x| item_key(field, x).as_deref() == Some(key))
        .cloned()
}

/// Restores or drops what the merge left dangling; true when it changed something.
pub fn repair(doc: &mut Value, s: &Sides, out: &mut Vec<Conflict>) -> bool {
    let mut changed = false;
    // Cells that name a missing mechanism, criterion or analyst.
    for _ in 0..4 {
        let mechs = ids(list(doc, &["mechanisms"]));
        let analysts = ids(list(doc, &["analysts"]));
        let crits: HashSet<String> = criteria(doc)
            .filter_map(|(_, c)| c.get("id").and_then(Value::as_str).map(str::to_string))
            .collect();
        let mut restores: Vec<(Kind, String)> = Vec::new();
        let mut drops: Vec<(Vec<String>, String)> = Vec::new();
        // Cells kept although the other side deleted what they name: conflicts too.
        let mut users: Vec<(Vec<String>, String)> = Vec::new();
        for (path, fields) in cell_lists(doc) {
            let field = path.last().cloned().unwrap_or_default();
            let added: HashSet<String> = if field == "score_overrides" {
                let scenario = &path[..path.len() - 1];
                at(doc, scenario)
                    .and_then(|sc| sc.get("added_mechanisms"))
                    .and_then(Value::as_array)
                    .map(|l| ids(l))
                    .unwrap_or_default()
            } else {
                HashSet::new()
            };
            let Some(items) = at(doc, &path).and_then(Value::as_array) else {
                continue;
            };
            for item in items {
                let mut dangling = false;
                for (f, kind) in &fields {
                    let Some(id) = item.get(*f).and_then(Value::as_str) else {
                        continue;
                    };
                    let present = match kind {
                        Kind::Mechanism => mechs.contains(id) || added.contains(id),
                        Kind::Criterion => crits.contains(id),
                        Kind::Analyst => analysts.contains(id),
                    };
                    if present {
                        continue;
                    }
                    if find(s.ours, *kind, id).is_some() {
                        restores.push((*kind, id.to_string()));
                        if let Some(k) = item_key(&field, item) {
                            users.push((path.clone(), k));
                        }
                    } else {
                        dangling = true;
                    }
                }
                if dangling && let Some(k) = item_key(&field, item) {
                    drops.push((path.clone(), k));
                }
            }
        }
        if restores.is_empty() && drops.is_empty() {
            break;
        }
        changed = true;
        restores.sort_by(|a, b| a.1.cmp(&b.1));
        restores.dedup();
        for (kind, id) in restores {
            restore(doc, s, kind, &id, out);
        }
        users.dedup();
        for (path, key) in users {
            record_kept(doc, s, &path, &key, out);
        }
        for (path, key) in drops {
            let name = format!("{}[{key}]", readable(doc, &path));
            let base = same_item(s.base, doc, &path, &key);
            let ours = same_item(s.ours, doc, &path, &key);
            let theirs = same_item(s.theirs, doc, &path, &key);
            if let Some(items) = at_mut(doc, &path).and_then(Value::as_array_mut) {
                let field = path.last().cloned().unwrap_or_default();
                items.retain(|v| item_key(&field, v).as_deref() != Some(key.as_str()));
            }
            out.push(Conflict {
                path: name,
                base,
                ours,
                theirs,
            });
        }
    }
    kept_against_deletion(doc, s, out);
    changed |= source_refs(doc, s, out);
    changed |= weighting_refs(doc, s, out);
    changed
}

/// Cells that OURS changed or added for an item THEIRS deleted and the merge kept (a
/// conflict on the item itself, e.g. OURS renamed the mechanism): recorded as
/// conflicts, as they are when the merge has to restore the item for them.
fn kept_against_deletion(doc: &Value, s: &Sides, out: &mut Vec<Conflict>) {
    let mut found = Vec::new();
    for (path, fields) in cell_lists(doc) {
        let field = path.last().cloned().unwrap_or_default();
        let Some(items) = at(doc, &path).and_then(Value::as_array) else {
            continue;
        };
        for item in items {
            let deleted_by_theirs = fields.iter().any(|(f, kind)| {
                item.get(*f).and_then(Value::as_str).is_some_and(|id| {
                    find(s.base, *kind, id).is_some() && find(s.theirs, *kind, id).is_none()
                })
            });
            let Some(key) = item_key(&field, item) else {
                continue;
            };
            if deleted_by_theirs && same_item(s.base, doc, &path, &key).as_ref() != Some(item) {
                found.push((path.clone(), key));
            }
        }
    }
    for (path, key) in found {
        record_kept(doc, s, &path, &key, out);
    }
}

/// Records the cell `key` of list `path`, kept in the merge, as a conflict (each
/// side's version of it), unless it or one of its fields is recorded already.
fn record_kept(doc: &Value, s: &Sides, path: &[String], key: &str, out: &mut Vec<Conflict>) {
    let name = format!("{}[{key}]", readable(doc, path));
    if out
        .iter()
        .any(|c| c.path == name || c.path.starts_with(&format!("{name}.")))
    {
        return;
    }
    out.push(Conflict {
        base: same_item(s.base, doc, path, key),
        ours: same_item(s.ours, doc, path, key),
        theirs: same_item(s.theirs, doc, path, key),
        path: name,
    });
}

/// Weighting judgements (`framework.weighting`) that name a group or criterion the
/// merge left out (one side deleted it, the other judged it): dropped, the set of
/// judgements recorded as one conflict, so the judgements of every side stay in the
/// record.
fn weighting_refs(doc: &mut Value, s: &Sides, out: &mut Vec<Conflict>) -> bool {
    let groups: Vec<(String, HashSet<String>)> = list(doc, &["framework", "groups"])
        .iter()
        .filter_map(|g| {
            let id = g.get("id").and_then(Value::as_str)?.to_string();
            let crits = g
                .get("criteria")
                .and_then(Value::as_array)
                .map(|l| ids(l))
                .unwrap_or_default();
            Some((id, crits))
        })
        .collect();
    let group_ids: HashSet<String> = groups.iter().map(|(g, _)| g.clone()).collect();
    let Some(w) = doc
        .get_mut("framework")
        .and_then(|f| f.get_mut("weighting"))
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    let before = Value::Object(w.clone());
    let prune = |j: &mut Value, items: &HashSet<String>| {
        let named = |v: &Value, k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .is_some_and(|id| items.contains(id))
        };
        if let Some(l) = j.get_mut("pairwise").and_then(Value::as_array_mut) {
            l.retain(|p| named(p, "a") && named(p, "b"));
        }
        if let Some(l) = j.get_mut("swing").and_then(Value::as_array_mut) {
            l.retain(|p| named(p, "id"));
        }
    };
    if let Some(j) = w.get_mut("groups") {
        prune(j, &group_ids);
    }
    if let Some(map) = w.get_mut("criteria").and_then(Value::as_object_mut) {
        map.retain(|g, _| group_ids.contains(g));
        for (g, crits) in &groups {
            if let Some(j) = map.get_mut(g) {
                prune(j, crits);
            }
        }
    }
    if Value::Object(w.clone()) == before {
        return false;
    }
    let side = |d: &Value| d.get("framework").and_then(|f| f.get("weighting")).cloned();
    out.push(Conflict {
        path: "framework.weighting".into(),
        base: side(s.base),
        ours: side(s.ours),
        theirs: side(s.theirs),
    });
    true
}

/// Source ids named by scores, overrides and facts: restored from OURS, or dropped from
/// the list that names them (a conflict on that list).
fn source_refs(doc: &mut Value, s: &Sides, out: &mut Vec<Conflict>) -> bool {
    let known = ids(list(doc, &["sources"]));
    let mut places: Vec<Vec<String>> = Vec::new();
    collect_source_lists(doc, &mut Vec::new(), &mut places);
    let mut missing: Vec<(Vec<String>, String)> = Vec::new();
    for p in &places {
        if let Some(l) = at(doc, p).and_then(Value::as_array) {
            for id in l.iter().filter_map(Value::as_str) {
                if !known.contains(id) {
                    missing.push((p.clone(), id.to_string()));
                }
            }
        }
    }
    if missing.is_empty() {
        return false;
    }
    let ours_sources = list(s.ours, &["sources"]).to_vec();
    for (p, id) in missing {
        if let Some(src) = by_id(&ours_sources, &id) {
            let present = by_id(list(doc, &["sources"]), &id).is_some();
            if !present {
                if let Some(target) = array_mut(doc, &["sources"]) {
                    insert_after_predecessor(target, &ours_sources, src.clone());
                }
                out.push(Conflict {
                    path: format!("sources[{id}]"),
                    base: by_id(list(s.base, &["sources"]), &id).cloned(),
                    ours: Some(src.clone()),
                    theirs: by_id(list(s.theirs, &["sources"]), &id).cloned(),
                });
            }
        } else {
            let name = readable(doc, &p);
            let before = at(doc, &p).cloned();
            if let Some(l) = at_mut(doc, &p).and_then(Value::as_array_mut) {
                l.retain(|v| v.as_str() != Some(id.as_str()));
            }
            out.push(Conflict {
                path: name,
                base: None,
                ours: at(doc, &p).cloned(),
                theirs: before,
            });
        }
    }
    true
}

fn collect_source_lists(v: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                here.push(k.clone());
                if k == "sources" && here.len() > 1 && x.is_array() {
                    out.push(here.clone());
                } else {
                    collect_source_lists(x, here, out);
                }
                here.pop();
            }
        }
        Value::Array(l) => {
            for (i, x) in l.iter().enumerate() {
                here.push(i.to_string());
                collect_source_lists(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

/// Reverts the item a problem points at to OURS (or removes it when OURS has none),
/// recording a conflict: the first item with an identity on the pointer's way, or the
/// top-level field when there is none. False when nothing could be reverted.
pub fn revert_at(doc: &mut Value, segments: &[String], s: &Sides, out: &mut Vec<Conflict>) -> bool {
    let mut v: &Value = doc;
    let mut field = "";
    for (i, p) in segments.iter().enumerate() {
        match v {
            Value::Array(l) => {
                let Some(item) = p.parse::<usize>().ok().and_then(|n| l.get(n)) else {
                    break;
                };
                if let Some(key) = item_key(field, item) {
                    let list_path = &segments[..i];
                    let name = format!("{}[{key}]", readable(doc, list_path));
                    let base = same_item(s.base, doc, list_path, &key);
                    let ours = same_item(s.ours, doc, list_path, &key);
                    let theirs = same_item(s.theirs, doc, list_path, &key);
                    let Some(items) = at_mut(doc, list_path).and_then(Value::as_array_mut) else {
                        return false;
                    };
                    let Some(pos) = items
                        .iter()
                        .position(|x| item_key(field, x).as_deref() == Some(key.as_str()))
                    else {
                        return false;
                    };
                    match &ours {
                        Some(o) if items[pos] == *o => return false,
                        Some(o) => items[pos] = o.clone(),
                        None => {
                            items.remove(pos);
                        }
                    }
                    out.push(Conflict {
                        path: name,
                        base,
                        ours,
                        theirs,
                    });
                    return true;
                }
                v = item;
            }
            _ => {
                field = p.as_str();
                match v.get(p.as_str()) {
                    Some(x) => v = x,
                    None => break,
                }
            }
        }
    }
    let Some(top) = segments.first() else {
        return false;
    };
    let ours = s.ours.get(top.as_str()).cloned();
    let Some(obj) = doc.as_object_mut() else {
        return false;
    };
    if obj.get(top.as_str()) == ours.as_ref() {
        return false;
    }
    match &ours {
        Some(o) => {
            obj.insert(top.clone(), o.clone());
        }
        None => {
            obj.remove(top.as_str());
        }
    }
    out.push(Conflict {
        path: top.clone(),
        base: s.base.get(top.as_str()).cloned(),
        ours,
        theirs: s.theirs.get(top.as_str()).cloned(),
    });
    true
}
