//! The generic three-way merge of JSON documents: objects field by field, lists of
//! items by identity (an `id`, or the cells' keys for scores, overrides and consensus),
//! lists of strings as sets, anything else as one value. A change on one side is
//! taken, the same change on both sides once; different changes keep OURS's value and
//! are returned as conflicts (base, ours, theirs). Fields it has never heard of merge
//! the same way, so new parts of the format need no code here.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

/// Two sides that changed the same thing differently: the value each side had (`None`
/// where the item did not exist there). The merged document keeps `ours`.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// A readable path: `mechanisms[interpol].name`, `scores[ana/interpol/c1].value`.
    pub path: String,
    pub base: Option<Value>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
}

/// The key fields of the items of list `field`, when its items are identified by
/// something other than their `id`.
pub fn cell_keys(field: &str) -> Option<&'static [&'static str]> {
    match field {
        "scores" => Some(&["analyst", "mechanism", "criterion"]),
        "score_overrides" | "consensus" => Some(&["mechanism", "criterion"]),
        _ => None,
    }
}

/// The identity of one item of list `field`, or None when the item has no identity.
pub fn item_key(field: &str, item: &Value) -> Option<String> {
    let obj = item.as_object()?;
    let fields: &[&str] = cell_keys(field).unwrap_or(&["id"]);
    let mut parts = Vec::with_capacity(fields.len());
    for f in fields {
        parts.push(obj.get(*f)?.as_str()?);
    }
    Some(parts.join("/"))
}

/// The items of a list by key, in order; None when an item has no key or a key repeats.
fn keyed<'a>(field: &str, list: &'a [Value]) -> Option<Vec<(String, &'a Value)>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        let k = item_key(field, item)?;
        if !seen.insert(k.clone()) {
            return None;
        }
        out.push((k, item));
    }
    Some(out)
}

/// Merges `ours` and `theirs` against `base` (None: both sides added everything).
pub fn merge(base: Option<&Value>, ours: &Value, theirs: &Value) -> (Value, Vec<Conflict>) {
    let mut out = Vec::new();
    let empty = Value::Object(Map::new());
    let base = base.unwrap_or(&empty);
    let merged = node("", Some(base), Some(ours), Some(theirs), false, &mut out)
        .unwrap_or_else(|| ours.clone());
    (merged, out)
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn conflict(
    path: &str,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    out: &mut Vec<Conflict>,
) -> Option<Value> {
    out.push(Conflict {
        path: path.to_string(),
        base: base.cloned(),
        ours: ours.cloned(),
        theirs: theirs.cloned(),
    });
    ours.cloned()
}

/// One value. `item`: the value is an item of a keyed list, so two different
/// additions of it are one conflict rather than a merge of their fields.
fn node(
    path: &str,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    item: bool,
    out: &mut Vec<Conflict>,
) -> Option<Value> {
    if ours == theirs {
        return ours.cloned();
    }
    if base == ours {
        return theirs.cloned();
    }
    if base == theirs {
        return ours.cloned();
    }
    let (Some(o), Some(t)) = (ours, theirs) else {
        return conflict(path, base, ours, theirs, out);
    };
    if base.is_none() && item {
        return conflict(path, base, ours, theirs, out);
    }
    match (base, o, t) {
        (None | Some(Value::Object(_)), Value::Object(om), Value::Object(tm)) => {
            let empty = Map::new();
            let bm = base.and_then(Value::as_object).unwrap_or(&empty);
            Some(Value::Object(object(path, bm, om, tm, out)))
        }
        (None | Some(Value::Array(_)), Value::Array(ol), Value::Array(tl)) => {
            let bl: &[Value] = base.and_then(Value::as_array).map_or(&[], |v| v);
            let field = path.rsplit('.').next().unwrap_or(path);
            let field = field.split('[').next().unwrap_or(field);
            match list(path, field, bl, ol, tl, out) {
                Some(v) => Some(Value::Array(v)),
                None => conflict(path, base, ours, theirs, out),
            }
        }
        _ => conflict(path, base, ours, theirs, out),
    }
}

fn object(
    path: &str,
    b: &Map<String, Value>,
    o: &Map<String, Value>,
    t: &Map<String, Value>,
    out: &mut Vec<Conflict>,
) -> Map<String, Value> {
    let mut keys: Vec<&String> = o.keys().collect();
    keys.extend(t.keys().filter(|k| !o.contains_key(*k)));
    keys.extend(
        b.keys()
            .filter(|k| !o.contains_key(*k) && !t.contains_key(*k)),
    );
    let mut merged = Map::new();
    for k in keys {
        let p = join(path, k);
        if let Some(v) = node(&p, b.get(k), o.get(k), t.get(k), false, out) {
            merged.insert(k.clone(), v);
        }
    }
    merged
}

/// A list: by identity when every item has one, as a set when it holds distinct
/// strings; None when it can only be merged as one value.
fn list(
    path: &str,
    field: &str,
    b: &[Value],
    o: &[Value],
    t: &[Value],
    out: &mut Vec<Conflict>,
) -> Option<Vec<Value>> {
    let any_items = !(b.is_empty() && o.is_empty() && t.is_empty());
    if any_items
        && let (Some(bk), Some(ok), Some(tk)) = (keyed(field, b), keyed(field, o), keyed(field, t))
    {
        return Some(keyed_list(path, &bk, &ok, &tk, out));
    }
    let strings = |l: &[Value]| {
        let mut seen = HashSet::new();
        l.iter().all(|v| v.is_string() && seen.insert(v))
    };
    if strings(b) && strings(o) && strings(t) {
        return Some(set_list(b, o, t));
    }
    None
}

/// Places THEIRS's additions after their predecessor in THEIRS (at the front when
/// they have none) into the list that follows OURS; consecutive additions keep their
/// order. One pass, so a side that adds many items merges in linear time.
fn place_additions<K: Clone + Eq + std::hash::Hash>(
    result: Vec<(K, Value)>,
    theirs: &[(K, Option<Value>)],
) -> Vec<(K, Value)> {
    let present: HashSet<K> = result.iter().map(|(k, _)| k.clone()).collect();
    let mut groups: HashMap<Option<K>, Vec<(K, Value)>> = HashMap::new();
    let mut pred: Option<K> = None;
    let mut n = result.len();
    for (k, added) in theirs {
        if let Some(v) = added {
            groups
                .entry(pred.clone())
                .or_default()
                .push((k.clone(), v.clone()));
            n += 1;
        } else if present.contains(k) {
            pred = Some(k.clone());
        }
    }
    let mut out = Vec::with_capacity(n);
    if let Some(g) = groups.remove(&None) {
        out.extend(g);
    }
    for (k, v) in result {
        let after = groups.remove(&Some(k.clone()));
        out.push((k, v));
        if let Some(g) = after {
            out.extend(g);
        }
    }
    out
}

fn keyed_list(
    path: &str,
    b: &[(String, &Value)],
    o: &[(String, &Value)],
    t: &[(String, &Value)],
    out: &mut Vec<Conflict>,
) -> Vec<Value> {
    let bm: HashMap<&str, &Value> = b.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let om: HashMap<&str, &Value> = o.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let tm: HashMap<&str, &Value> = t.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let at = |k: &str| format!("{path}[{k}]");
    let mut result: Vec<(String, Value)> = Vec::new();
    for (k, ov) in o {
        let p = at(k);
        if let Some(v) = node(
            &p,
            bm.get(k.as_str()).copied(),
            Some(ov),
            tm.get(k.as_str()).copied(),
            true,
            out,
        ) {
            result.push((k.clone(), v));
        }
    }
    let mut additions = Vec::with_capacity(t.len());
    for (k, tv) in t {
        let added = if om.contains_key(k.as_str()) {
            None
        } else {
            // Not in OURS: deleted there (a conflict when THEIRS changed it) or added by THEIRS.
            node(
                &at(k),
                bm.get(k.as_str()).copied(),
                None,
                Some(tv),
                true,
                out,
            )
        };
        additions.push((k.clone(), added));
    }
    // Items only in BASE: deleted on both sides, nothing to do; in BASE and OURS only:
    // handled above (THEIRS deleted it).
    place_additions(result, &additions)
        .into_iter()
        .map(|(_, v)| v)
        .collect()
}

fn set_list(b: &[Value], o: &[Value], t: &[Value]) -> Vec<Value> {
    let key = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let bs: HashSet<String> = b.iter().map(key).collect();
    let os: HashSet<String> = o.iter().map(key).collect();
    let ts: HashSet<String> = t.iter().map(key).collect();
    let result: Vec<(String, Value)> = o
        .iter()
        .filter(|v| !bs.contains(&key(v)) || ts.contains(&key(v)))
        .map(|v| (key(v), v.clone()))
        .collect();
    let additions: Vec<(String, Option<Value>)> = t
        .iter()
        .map(|v| {
            let k = key(v);
            let added = (!bs.contains(&k) && !os.contains(&k)).then(|| v.clone());
            (k, added)
        })
        .collect();
    place_additions(result, &additions)
        .into_iter()
        .map(|(_, v)| v)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(b: Value, o: Value, t: Value) -> (Value, Vec<Conflict>) {
        merge(Some(&b), &o, &t)
    }

    #[test]
    fn one_sided_changes_are_taken_and_equal_changes_once() {
        let b = json!({"a": 1, "b": "x", "c": [1, 2]});
        let (r, c) = m(
            b.clone(),
            json!({"a": 2, "b": "x", "c": [1, 2]}),
            json!({"a": 1, "b": "y", "c": [1, 2]}),
        );
        assert_eq!(r, json!({"a": 2, "b": "y", "c": [1, 2]}));
        assert!(c.is_empty());
        let (r, c) = m(
            b,
            json!({"a": 5, "b": "x", "c": [1, 2]}),
            json!({"a": 5, "b": "x", "c": [1, 2]}),
        );
        assert_eq!(r["a"], json!(5));
        assert!(c.is_empty());
    }

    #[test]
    fn different_changes_keep_ours_and_record_all_three() {
        let (r, c) = m(json!({"a": 1}), json!({"a": 2}), json!({"a": 3}));
        assert_eq!(r, json!({"a": 2}));
        assert_eq!(
            c,
            vec![Conflict {
                path: "a".into(),
                base: Some(json!(1)),
                ours: Some(json!(2)),
                theirs: Some(json!(3)),
            }]
        );
    }

    #[test]
    fn items_merge_by_id_not_by_position() {
        let b = json!({"mechanisms": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]});
        let o = json!({"mechanisms": [{"id": "a", "name": "A"}, {"id": "x", "name": "X"}, {"id": "b", "name": "B2"}]});
        let t = json!({"mechanisms": [{"id": "a", "name": "A1"}, {"id": "b", "name": "B"}, {"id": "y", "name": "Y"}]});
        let (r, c) = m(b, o, t);
        assert!(c.is_empty(), "{c:?}");
        assert_eq!(
            r,
            json!({"mechanisms": [{"id": "a", "name": "A1"}, {"id": "x", "name": "X"}, {"id": "b", "name": "B2"}, {"id": "y", "name": "Y"}]})
        );
    }

    #[test]
    fn theirs_additions_follow_their_predecessor_and_lead_when_first() {
        let b = json!({"l": [{"id": "a"}, {"id": "b"}]});
        let o = json!({"l": [{"id": "b"}, {"id": "a"}]});
        let t = json!({"l": [{"id": "n0"}, {"id": "a"}, {"id": "n1"}, {"id": "n2"}, {"id": "b"}]});
        let (r, _) = m(b, o, t);
        let ids: Vec<&str> = r["l"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["n0", "b", "a", "n1", "n2"]);
    }

    #[test]
    fn score_cells_are_keyed_by_analyst_mechanism_and_criterion() {
        let cell = |a: &str, v: i64| json!({"analyst": a, "mechanism": "m", "criterion": "c", "value": v, "rationale": ""});
        let b = json!({"scores": [cell("a", 1)]});
        let o = json!({"scores": [cell("a", 1), cell("b", 2)]});
        let t = json!({"scores": [cell("c", 3), cell("a", 4)]});
        let (r, c) = m(b, o, t);
        assert!(c.is_empty());
        assert_eq!(
            r,
            json!({"scores": [cell("c", 3), cell("a", 4), cell("b", 2)]})
        );
        // Field by field inside one cell.
        let b = json!({"scores": [cell("a", 1)]});
        let mut o = cell("a", 2);
        o["rationale"] = json!("why");
        let t = cell("a", 3);
        let (r, c) = m(b, json!({"scores": [o]}), json!({"scores": [t]}));
        assert_eq!(r["scores"][0]["rationale"], json!("why"));
        assert_eq!(r["scores"][0]["value"], json!(2));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].path, "scores[a/m/c].value");
    }

    #[test]
    fn edit_against_delete_is_a_conflict_either_way_round() {
        let b = json!({"l": [{"id": "a", "n": 1}]});
        let (r, c) = m(
            b.clone(),
            json!({"l": []}),
            json!({"l": [{"id": "a", "n": 2}]}),
        );
        assert_eq!(r, json!({"l": []}));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].ours, None);
        assert_eq!(c[0].path, "l[a]");
        let (r, c) = m(
            b.clone(),
            json!({"l": [{"id": "a", "n": 2}]}),
            json!({"l": []}),
        );
        assert_eq!(r, json!({"l": [{"id": "a", "n": 2}]}));
        assert_eq!(c[0].theirs, None);
        // Unchanged on the other side: the deletion is taken.
        let (r, c) = m(b, json!({"l": [{"id": "a", "n": 1}]}), json!({"l": []}));
        assert_eq!(r, json!({"l": []}));
        assert!(c.is_empty());
    }

    #[test]
    fn two_different_additions_under_one_id_are_one_conflict() {
        let b = json!({"l": []});
        let (r, c) = m(
            b,
            json!({"l": [{"id": "a", "n": 1, "k": 0}]}),
            json!({"l": [{"id": "a", "n": 2, "k": 0}]}),
        );
        assert_eq!(r, json!({"l": [{"id": "a", "n": 1, "k": 0}]}));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].path, "l[a]");
        assert_eq!(c[0].base, None);
        assert_eq!(c[0].theirs, Some(json!({"id": "a", "n": 2, "k": 0})));
    }

    #[test]
    fn string_lists_merge_as_sets_and_unknown_fields_like_any_other() {
        let b = json!({"tags": ["a", "b"], "new_field": {"x": 1}});
        let o = json!({"tags": ["a", "b", "c"], "new_field": {"x": 1, "y": 2}});
        let t = json!({"tags": ["b", "d"], "new_field": {"x": 3}});
        let (r, c) = m(b, o, t);
        assert!(c.is_empty(), "{c:?}");
        assert_eq!(
            r,
            json!({"tags": ["b", "d", "c"], "new_field": {"x": 3, "y": 2}})
        );
    }

    #[test]
    fn lists_without_identity_are_one_value() {
        let b = json!({"facts": [{"text": "a"}]});
        let (r, c) = m(
            b,
            json!({"facts": [{"text": "b"}]}),
            json!({"facts": [{"text": "c"}]}),
        );
        assert_eq!(r, json!({"facts": [{"text": "b"}]}));
        assert_eq!(c[0].path, "facts");
    }

    #[test]
    fn a_missing_base_merges_the_sides_as_two_additions() {
        let o = json!({"l": [{"id": "a"}], "t": "x"});
        let t = json!({"l": [{"id": "b"}], "t": "x"});
        let (r, c) = merge(None, &o, &t);
        assert!(c.is_empty());
        // THEIRS's item has no predecessor in the result: it leads.
        assert_eq!(r, json!({"l": [{"id": "b"}, {"id": "a"}], "t": "x"}));
    }
}
