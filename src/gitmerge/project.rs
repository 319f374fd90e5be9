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
    NotLoaded {
        side: &'static str,
        error: LoadError,
    },
    /// The merge could not be made valid (a bug or an unforeseen combination).
    Unresolvable(String),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::NotLoaded { side, error } => {
                write!(
                    f,
                    "the {side} version of the project does not load: {error}"
                )
            }
            MergeError::Unresolvable(m) => write!(f, "the merge could not be completed: {m}"),
        }
    }
}

impl std::error::Error for MergeError {}

/// A side loaded and in canonical JSON, its recorded conflicts taken out.
fn side(text: &str, name: &'static str) -> Result<(Value, Vec<Value>), MergeError> {
    let loaded =
        persist::load_str(text).map_err(|error| MergeError::NotLoaded { side: name, error })?;
    let canonical = persist::to_canonical_string(&loaded.project);
    let mut doc: Value =
        serde_json::from_str(&canonical).map_err(|e| MergeError::Unresolvable(e.to_string()))?;
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
        .filter(|c| !base.contains(c) || theirs.contains(c))
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
        return Err(MergeError::Unresolvable(
            "the repairs did not settle".into(),
        ));
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
        MergeError::Unresolvable(
            p.iter()
                .take(5)
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let text = persist::to_canonical_string(&project);
    match persist::load_str(&text) {
        Ok(back) if back.project == project => {}
        _ => {
            return Err(MergeError::Unresolvable(
                "the result does not read back".into(),
            ));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Command, apply};
    use crate::model::{Mechanism, Score, ScoreKey, ScoreValue};

    fn sample() -> Project {
        persist::load_str(crate::bundled::SAMPLE).unwrap().project
    }

    fn text(p: &Project) -> String {
        persist::to_canonical_string(p)
    }

    fn set(p: &mut Project, m: &str, c: &str, v: Option<f64>) {
        let score = v.map(|x| Score {
            value: ScoreValue::Value(x),
            ..Score::default()
        });
        apply(
            p,
            Command::SetScore {
                key: ScoreKey::new("reference", m, c),
                score,
            },
        )
        .unwrap();
    }

    fn value(p: &Project, m: &str, c: &str) -> Option<ScoreValue> {
        p.score("reference", m, c).map(|s| s.value)
    }

    fn run(b: &Project, o: &Project, t: &Project) -> Merged {
        merge_projects(Some(&text(b)), &text(o), &text(t)).unwrap()
    }

    #[test]
    fn unchanged_sides_give_ours_byte_for_byte() {
        let b = sample();
        let mut o = b.clone();
        set(&mut o, "interpol", "geopolitical", Some(1.0));
        let m = run(&b, &o, &b);
        assert_eq!(m.text, text(&o));
        assert!(m.conflicts.is_empty());
        assert!(!m.text.contains("merge_conflicts"));
    }

    #[test]
    fn additions_and_different_cells_merge_cleanly() {
        let mut b = sample();
        set(&mut b, "interpol", "geopolitical", None);
        set(&mut b, "interpol", "organisation", None);
        let mut o = b.clone();
        apply(
            &mut o,
            Command::AddMechanism(Mechanism::new("ours-new", "Ours new")),
        )
        .unwrap();
        set(&mut o, "ours-new", "geopolitical", Some(2.0));
        set(&mut o, "interpol", "geopolitical", Some(3.0));
        let mut t = b.clone();
        apply(
            &mut t,
            Command::AddMechanism(Mechanism::new("theirs-new", "Theirs new")),
        )
        .unwrap();
        set(&mut t, "theirs-new", "opacity", Some(1.0));
        set(&mut t, "interpol", "organisation", Some(4.0));
        let m = run(&b, &o, &t);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let p = &m.project;
        assert!(p.mechanism("ours-new").is_some() && p.mechanism("theirs-new").is_some());
        assert_eq!(
            value(p, "ours-new", "geopolitical"),
            Some(ScoreValue::Value(2.0))
        );
        assert_eq!(
            value(p, "theirs-new", "opacity"),
            Some(ScoreValue::Value(1.0))
        );
        assert_eq!(
            value(p, "interpol", "geopolitical"),
            Some(ScoreValue::Value(3.0))
        );
        assert_eq!(
            value(p, "interpol", "organisation"),
            Some(ScoreValue::Value(4.0))
        );
        // THEIRS's addition follows its predecessor in THEIRS (the base's last mechanism).
        let n = p.mechanisms.len();
        assert_eq!(p.mechanisms[n - 2].id, "theirs-new");
        assert_eq!(p.mechanisms[n - 1].id, "ours-new");
    }

    #[test]
    fn the_same_cell_changed_differently_is_recorded_and_keeps_ours() {
        let b = sample();
        let mut o = b.clone();
        set(&mut o, "interpol", "geopolitical", Some(1.0));
        let mut t = b.clone();
        set(&mut t, "interpol", "geopolitical", Some(2.0));
        let m = run(&b, &o, &t);
        assert_eq!(
            value(&m.project, "interpol", "geopolitical"),
            Some(ScoreValue::Value(1.0))
        );
        let paths: Vec<&str> = m.conflicts.iter().map(|c| c.path.as_str()).collect();
        assert!(
            paths.contains(&"scores[reference/interpol/geopolitical].value"),
            "{paths:?}"
        );
        assert_eq!(m.project.merge_conflicts.len(), m.conflicts.len());
        let back = persist::load_str(&m.text).unwrap().project;
        assert_eq!(back.merge_conflicts[0].theirs, Some(json!(2)));
        // Merging the result again with an unchanged side keeps the record.
        let again = merge_projects(Some(&text(&o)), &m.text, &text(&o)).unwrap();
        assert_eq!(again.text, m.text);
    }

    /// Asserts that the merge kept OURS's mechanism "interpol" with its cell scored 0,
    /// both recorded as conflicts; returns the conflicts' paths.
    fn ours_kept_against_deletion(m: &Merged) -> Vec<String> {
        assert_eq!(
            value(&m.project, "interpol", "geopolitical"),
            Some(ScoreValue::Value(0.0))
        );
        let paths: Vec<String> = m.conflicts.iter().map(|c| c.path.clone()).collect();
        assert!(
            paths.iter().any(|p| p == "mechanisms[interpol]"),
            "{paths:?}"
        );
        assert!(
            paths
                .iter()
                .any(|p| p == "scores[reference/interpol/geopolitical]"),
            "{paths:?}"
        );
        paths
    }

    #[test]
    fn a_deleted_mechanism_against_an_edited_score_either_way_round() {
        let b = sample();
        let mut del = b.clone();
        apply(&mut del, Command::RemoveMechanism("interpol".into())).unwrap();
        let mut edit = b.clone();
        set(&mut edit, "interpol", "geopolitical", Some(0.0));
        // OURS deleted: stays deleted, the edited cell is a conflict.
        let m = run(&b, &del, &edit);
        assert!(m.project.mechanism("interpol").is_none());
        assert!(
            m.conflicts
                .iter()
                .any(|c| c.path == "scores[reference/interpol/geopolitical]"
                    && c.ours.is_none()
                    && c.theirs.is_some())
        );
        // THEIRS deleted: OURS's mechanism comes back with the edited cell, both recorded.
        let m = run(&b, &edit, &del);
        assert!(m.project.mechanism("interpol").is_some());
        ours_kept_against_deletion(&m);
    }

    #[test]
    fn a_mechanism_renamed_and_rescored_against_its_deletion_records_the_cell_too() {
        // OURS renamed the mechanism and scored a cell the base left empty, THEIRS
        // deleted the mechanism: the merge keeps OURS's mechanism (a conflict on the
        // mechanism), and the new cell is a conflict of its own, as it is without the
        // rename.
        let mut b = sample();
        set(&mut b, "interpol", "geopolitical", None);
        let mut o = b.clone();
        let i = o
            .mechanisms
            .iter()
            .position(|m| m.id == "interpol")
            .unwrap();
        let mut renamed = o.mechanisms[i].clone();
        renamed.name = "Interpol (renamed)".into();
        apply(
            &mut o,
            Command::SetMechanism {
                index: i,
                mechanism: renamed,
            },
        )
        .unwrap();
        set(&mut o, "interpol", "geopolitical", Some(0.0));
        let mut t = b.clone();
        apply(&mut t, Command::RemoveMechanism("interpol".into())).unwrap();
        let m = run(&b, &o, &t);
        let paths = ours_kept_against_deletion(&m);
        // A cell OURS left as it was is not a conflict.
        assert_eq!(
            paths.iter().filter(|p| p.starts_with("scores[")).count(),
            1,
            "{paths:?}"
        );
    }

    #[test]
    fn a_cell_added_for_a_mechanism_the_other_side_deleted_is_recorded_not_lost() {
        let mut b = sample();
        set(&mut b, "interpol", "geopolitical", None);
        let mut o = b.clone();
        apply(&mut o, Command::RemoveMechanism("interpol".into())).unwrap();
        let mut t = b.clone();
        set(&mut t, "interpol", "geopolitical", Some(3.0));
        let m = run(&b, &o, &t);
        assert!(m.project.mechanism("interpol").is_none());
        let c = m
            .conflicts
            .iter()
            .find(|c| c.path == "scores[reference/interpol/geopolitical]")
            .expect("recorded");
        assert_eq!(c.theirs.as_ref().unwrap()["value"], json!(3));
    }

    #[test]
    fn a_source_deleted_on_one_side_and_cited_on_the_other() {
        let b = sample();
        let sid = b.sources.iter().map(|s| s.id.clone()).find(|id| {
            !b.scores.values().any(|s| s.sources.contains(id))
                && !b
                    .mechanisms
                    .iter()
                    .any(|m| m.facts.iter().any(|f| f.sources.contains(id)))
        });
        let Some(sid) = sid else { return };
        let mut o = b.clone();
        apply(&mut o, Command::RemoveSource(sid.clone())).unwrap();
        let mut t = b.clone();
        let key = ScoreKey::new("reference", "interpol", "geopolitical");
        let mut s = t.scores[&key].clone();
        s.sources.push(sid.clone());
        apply(
            &mut t,
            Command::SetScore {
                key: key.clone(),
                score: Some(s),
            },
        )
        .unwrap();
        let m = run(&b, &o, &t);
        assert!(m.project.source(&sid).is_none());
        assert!(!m.project.scores[&key].sources.contains(&sid));
        assert!(m.conflicts.iter().any(|c| {
            c.path
                .starts_with("scores[reference/interpol/geopolitical]")
        }));
    }

    #[test]
    fn two_additions_under_one_id_keep_ours_and_record_theirs() {
        let b = sample();
        let mut o = b.clone();
        apply(
            &mut o,
            Command::AddMechanism(Mechanism::new("same", "Ours")),
        )
        .unwrap();
        let mut t = b.clone();
        apply(
            &mut t,
            Command::AddMechanism(Mechanism::new("same", "Theirs")),
        )
        .unwrap();
        let m = run(&b, &o, &t);
        assert_eq!(m.project.mechanism("same").unwrap().name, "Ours");
        let c = m
            .conflicts
            .iter()
            .find(|c| c.path == "mechanisms[same]")
            .unwrap();
        assert_eq!(c.base, None);
        assert_eq!(c.theirs.as_ref().unwrap()["name"], json!("Theirs"));
    }

    #[test]
    fn no_base_is_two_additions_and_a_side_that_does_not_load_is_an_error() {
        let b = sample();
        let m = merge_projects(None, &text(&b), &text(&b)).unwrap();
        assert_eq!(m.text, text(&b));
        let newer = text(&b).replacen("\"schema_version\": 2", "\"schema_version\": 99", 1);
        let e = merge_projects(None, &text(&b), &newer).unwrap_err();
        assert!(
            matches!(e, MergeError::NotLoaded { side: "theirs", .. }),
            "{e}"
        );
        assert!(e.to_string().contains("newer"), "{e}");
        assert!(looks_like_project(&newer));
        assert!(!looks_like_project("{\"name\": \"package.json\"}"));
    }
}
