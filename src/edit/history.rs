//! Undo and redo. Each entry holds the inverse of what was applied. Consecutive
//! commands with the same merge key (a slider drag, a typing burst in one field) fold
//! into one entry until the entry is sealed. The history is never saved into a file.

use super::apply::apply;
use super::command::{Command, EditError};
use crate::model::Project;

struct Entry {
    label: &'static str,
    inverse: Command,
    merge_key: Option<String>,
    sealed: bool,
}

pub struct History {
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    limit: usize,
}

impl Default for History {
    fn default() -> Self {
        History::new(500)
    }
}

impl History {
    pub fn new(limit: usize) -> History {
        History {
            undo: Vec::new(),
            redo: Vec::new(),
            limit: limit.max(1),
        }
    }

    /// Applies `cmd` to `p` and records its inverse. With a merge key equal to the
    /// open top entry's, the two become one undo step.
    pub fn apply(
        &mut self,
        p: &mut Project,
        cmd: Command,
        merge_key: Option<String>,
    ) -> Result<(), EditError> {
        let label = cmd.label();
        let inverse = apply(p, cmd)?;
        self.redo.clear();
        if let (Some(key), Some(top)) = (&merge_key, self.undo.last())
            && !top.sealed
            && top.merge_key.as_ref() == Some(key)
        {
            // Keep the older inverse: undo goes back to before the whole burst.
            return Ok(());
        }
        self.seal();
        self.undo.push(Entry {
            label,
            inverse,
            merge_key,
            sealed: false,
        });
        if self.undo.len() > self.limit {
            self.undo.remove(0);
        }
        Ok(())
    }

    /// Ends the current burst: the next command starts a new undo step.
    pub fn seal(&mut self) {
        if let Some(top) = self.undo.last_mut() {
            top.sealed = true;
        }
    }

    pub fn undo_label(&self) -> Option<&'static str> {
        self.undo.last().map(|e| e.label)
    }

    pub fn redo_label(&self) -> Option<&'static str> {
        self.redo.last().map(|e| e.label)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self, p: &mut Project) -> Option<&'static str> {
        Self::step(&mut self.undo, &mut self.redo, p)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self, p: &mut Project) -> Option<&'static str> {
        Self::step(&mut self.redo, &mut self.undo, p)
    }

    fn step(from: &mut Vec<Entry>, to: &mut Vec<Entry>, p: &mut Project) -> Option<&'static str> {
        if let Some(top) = to.last_mut() {
            top.sealed = true;
        }
        let entry = from.pop()?;
        // An inverse always applies to the state it was recorded from.
        let back = apply(p, entry.inverse).expect("an inverse applies to the state it came from");
        to.push(Entry {
            label: entry.label,
            inverse: back,
            merge_key: None,
            sealed: true,
        });
        Some(entry.label)
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
