//! Where a broken rule is (`Seg`, `Violation`) and the walker that collects them.

use std::collections::HashSet;

use super::limits::{Text, check_count, check_id, check_text, check_weight};
use crate::model::ScoreKey;

/// One step of the place of a problem inside a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A field of an object (as named in the file).
    Key(&'static str),
    /// An item of a list.
    Index(usize),
    /// An entry of a map keyed by id (scenario weights).
    Entry(String),
    /// A score cell of a score map (the project's scores or a round's).
    Score(ScoreKey),
    /// A consensus cell (mechanism, criterion).
    Cell(String, String),
}

/// A broken rule and where: the place follows the file's layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub at: Vec<Seg>,
    pub message: String,
}

/// Collects violations under a current place.
pub(super) struct Walk {
    pub(super) at: Vec<Seg>,
    pub(super) out: Vec<Violation>,
}

impl Walk {
    pub(super) fn new() -> Walk {
        Walk {
            at: Vec::new(),
            out: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, field: &[Seg], message: impl Into<String>) {
        let mut at = self.at.clone();
        at.extend_from_slice(field);
        self.out.push(Violation {
            at,
            message: message.into(),
        });
    }

    pub(super) fn result(&mut self, field: &[Seg], r: Result<(), String>) {
        if let Err(m) = r {
            self.push(field, m);
        }
    }

    pub(super) fn text(&mut self, key: &'static str, what: &str, kind: Text, value: &str) {
        self.result(&[Seg::Key(key)], check_text(what, kind, value));
    }

    pub(super) fn count(&mut self, key: &'static str, what: &str, n: usize, max: usize) {
        self.result(&[Seg::Key(key)], check_count(what, n, max));
    }

    pub(super) fn weight(&mut self, field: &[Seg], w: f64) {
        self.result(field, check_weight(w));
    }

    pub(super) fn id(&mut self, id: &str) {
        self.result(&[Seg::Key("id")], check_id(id));
    }

    /// Runs `f` with `segs` appended to the current place.
    pub(super) fn inside(&mut self, segs: &[Seg], f: impl FnOnce(&mut Walk)) {
        let depth = self.at.len();
        self.at.extend_from_slice(segs);
        f(self);
        self.at.truncate(depth);
    }

    /// Runs `f` as `inside` does with the one segment `seg`, made only when `f` finds a
    /// problem: the score cells are many, and their place is a key worth a clone.
    pub(super) fn inside_lazy(&mut self, seg: impl FnOnce() -> Seg, f: impl FnOnce(&mut Walk)) {
        let depth = self.at.len();
        let before = self.out.len();
        f(self);
        if self.out.len() > before {
            let seg = seg();
            for v in &mut self.out[before..] {
                v.at.insert(depth, seg.clone());
            }
        }
    }

    /// Reports a repeated id in a list of ids (`seen` spans the namespace).
    pub(super) fn unique<'a>(&mut self, seen: &mut HashSet<&'a str>, id: &'a str, what: &str) {
        if !seen.insert(id) {
            self.push(
                &[Seg::Key("id")],
                format!("the {what} id \"{id}\" is used twice; ids must be unique"),
            );
        }
    }

    pub(super) fn refs(
        &mut self,
        key: &'static str,
        ids: &[String],
        known: &dyn Fn(&str) -> bool,
        what: &str,
    ) {
        for (i, id) in ids.iter().enumerate() {
            if !known(id) {
                self.push(
                    &[Seg::Key(key), Seg::Index(i)],
                    format!("the {what} \"{id}\" does not exist in this project"),
                );
            }
        }
    }
}

pub(super) fn first(mut v: Vec<Violation>) -> Result<(), String> {
    if v.is_empty() {
        Ok(())
    } else {
        Err(v.swap_remove(0).message)
    }
}
