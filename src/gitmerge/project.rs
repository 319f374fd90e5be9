//! The three-way merge of project files: each side loaded (migrated and checked) and
//! written canonically, merged as JSON (`merge3`), what deletions take with them
//! repaired (`repair`), the conflicts recorded inside the result, and the result
//! checked by the project rules before it is handed back as canonical text.

use std::fmt;

use serde_json::{Map, Value, json};

use super::merge3::{self, Conflict};
use super::repair::{self, Sides};
use crate::model::Project;
use crate::persist::{self, LoadError};

/// A merged project.
#[derive(Debug)]
pub struct Merged {
    /// Canonical text, ready to be written.
    pub text: String,
    pub project: Project,
    /// The conflicts this merge recorded (recorded ones carried over are not counted).
    pub conflicts: Vec<Conflict>,
}

/// Why two project files could not be merged; nothing is written.
#[derive(Debug)]
pub enum MergeError {
    /// One side does not load: `side` is "base", "ours" or "theirs".
    NotLoaded { side: &'static str, error: LoadError },
    /// The merge could not be made valid (a bug or an unforeseen combination).
    Unresolvable(String),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::NotLoaded { side, error } => {
                write!(f, "the {side} version of the project does not load: {error}")
            }
            MergeError::Unresolvable(m) => write!(f, "the merge could not be completed: {m}"),
        }
    }
}

impl std::error::Error for MergeError {}

/// A side loaded and in canonical JSON, its recorded conflicts taken out.
fn side(text: &str, name: &'static str) -> Result<(Value, Vec<Value>), MergeError> {
    let loaded = persist::load_str(text).map_err(|error| MergeError::NotLoaded { side: name, error })?;
    let canonical = persist::to_canonical_string(&loaded.project);
    let mut doc: Value = serde_json::from_str(&canonical).map_err(|e| MergeError::Unresolvable(e.to_string()))?;
    let recorded = doc
        .as_object_mut()
        .and_then(|o| o.remove("merge_conflicts"))
        .and_then(|v| match v {
            Value::Array(l) => Some(l),
            _ => None,
        })
        .unwrap_or_default();
    Ok((doc, recorded))
}

/// A conflict as written in the file.
pub fn conflict_json(c: &Conflict) -> Value {
    let mut m = Map::new();
    m.insert("path".into(), json!(c.path));
    for (k, v) in [("base", &c.base), ("ours", &c.ours), ("theirs", &c.theirs)] {
        if let Some(v) = v {
            m.insert(k.into(), v.clone());
        }
    }
    Value::Object(m)
}

/// Recorded conflicts of both sides: OURS's, less those THEIRS resolved, then THEIRS's new ones.
fn recorded(base: &[Value], ours: &[Value], theirs: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = ours
        .iter()
        .filter(|c| !(base.contains(c) && !theirs.contains(c)))
        .cloned()
        .collect();
    for c in theirs {
        if !base.contains(c) && !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

fn problems(doc: &Value) -> Vec<persist::Problem> {
    let p = persist::schema::check(doc, 100);
    if !p.is_empty() {
        return p;
    }
    match persist::convert_checked(doc) {
        Ok(_) => Vec::new(),
        Err(p) => p,
    }
}

/// Merges OURS and THEIRS against BASE (None or empty text: no common ancestor).
pub fn merge_projects(base: Option<&str>, ours: &str, theirs: &str) -> Result<Merged, MergeError> {
    let base = base.filter(|b| !b.trim().is_empty());
    let (bdoc, brec) = match base {
        Some(b) => side(b, "base")?,
        None => (Value::Object(Map::new()), Vec::new()),
    };
    let (odoc, orec) = side(ours, "ours")?;
    let (tdoc, trec) = side(theirs, "theirs")?;
    let (mut doc, mut conflicts) = merge3::merge(base.map(|_| &bdoc), &odoc, &tdoc);
    let sides = Sides {
        base: &bdoc,
        ours: &odoc,
        theirs: &tdoc,
    };
    let mut settled = false;
    for _ in 0..50 {
        repair::repair(&mut doc, &sides, &mut conflicts);
        let found = problems(&doc);
        if found.is_empty() {
            settled = true;
            break;
        }
        let mut reverted = false;
        for p in &found {
            let segs = persist::pointer_segments(&p.pointer);
            reverted |= repair::revert_at(&mut doc, &segs, &sides, &mut conflicts);
        }
        if !reverted {
            let list: Vec<String> = found.iter().take(5).map(|p| p.to_string()).collect();
            return Err(MergeError::Unresolvable(list.join("; ")));
        }
    }
    if !settled {
        return Err(MergeError::Unresolvable("the repairs did not settle".into()));
    }
    let mut all = recorded(&brec, &orec, &trec);
    for c in &conflicts {
        let v = conflict_json(c);
        if !all.contains(&v) {
            all.push(v);
        }
    }
    if let (false, Some(o)) = (all.is_empty(), doc.as_object_mut()) {
        o.insert("merge_conflicts".into(), Value::Array(all));
    }
    let project = persist::convert_checked(&doc).map_err(|p| {
        MergeError::Unresolvable(p.iter().take(5).map(|p| p.to_string()).collect::<Vec<_>>().join("; "))
    })?;
    let text = persist::to_canonical_string(&project);
    match persist::load_str(&text) {
        Ok(back) if back.project == project => {}
        _ => return Err(MergeError::Unresolvable("the result does not read back".into())),
    }
    Ok(Merged {
        text,
        project,
        conflicts,
    })
}

/// True when the text looks like a project file (a JSON object with a
/// `schema_version`), whether or not it loads; other JSON is merged as text.
pub fn looks_like_project(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => m.contains_key("schema_version"),
        Ok(_) => false,
        // Not JSON at all: a project only if it starts like one.
        Err(_) => text.trim_start().starts_with('{') && text.contains("\"schema_version\""),
    }
}
