//! A merge conflict recorded inside a project by the git merge driver: the place of
//! the item both sides changed differently and its value on each side (base, ours,
//! theirs). The project keeps OURS's value until someone resolves the conflict.

use serde_json::Value;

use super::text::excerpt;

#[derive(Clone, Debug, PartialEq)]
pub struct MergeConflict {
    /// A readable path: `mechanisms[interpol].name`, `scores[ana/interpol/c1].value`.
    pub path: String,
    /// The value in the common ancestor; None where the item did not exist.
    pub base: Option<Value>,
    /// The value on our side (the one the project keeps); None where we deleted it.
    pub ours: Option<Value>,
    /// The value on their side; None where they deleted it.
    pub theirs: Option<Value>,
}

impl MergeConflict {
    /// One side's value in a line: compact JSON, or "(absent)".
    pub fn side(v: &Option<Value>) -> String {
        match v {
            None => "(absent)".to_string(),
            Some(v) => excerpt(&v.to_string(), 200),
        }
    }

    /// The conflict in one line: "mechanisms[m].name: base …, ours …, theirs …".
    pub fn line(&self) -> String {
        format!(
            "{}: base {}, ours {} (kept), theirs {}",
            self.path,
            Self::side(&self.base),
            Self::side(&self.ours),
            Self::side(&self.theirs)
        )
    }
}
