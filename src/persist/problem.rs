//! A problem found in a project file, with where it is.

use std::fmt;

/// One problem in a file: a JSON pointer to the value, the line where it starts (when
/// known), and a message in words a policy analyst understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer, e.g. `/mechanisms/3/kind` (empty for the whole document).
    pub pointer: String,
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            pointer: pointer.into(),
            line: None,
            message: message.into(),
        }
    }

    /// The location as a readable path: `mechanisms[3].kind` (or `(whole file)`).
    pub fn path(&self) -> String {
        pointer_to_path(&self.pointer)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}, {}: {}", self.path(), self.message),
            None => write!(f, "{}: {}", self.path(), self.message),
        }
    }
}

/// Splits a JSON pointer into its unescaped segments.
pub fn pointer_segments(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Escapes one segment for a JSON pointer.
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `/mechanisms/3/kind` → `mechanisms[3].kind`.
pub fn pointer_to_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer_segments(pointer) {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&seg);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            let simple = !seg.is_empty()
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if simple {
                out.push_str(&seg);
            } else {
                out.push_str(&format!("{seg:?}"));
            }
        }
    }
    if out.is_empty() {
        "(whole file)".to_string()
    } else {
        out
    }
}

/// Builds JSON pointers while walking a document.
#[derive(Clone, Debug, Default)]
pub struct Ptr(String);

impl Ptr {
    pub fn root() -> Ptr {
        Ptr(String::new())
    }

    pub fn key(&self, key: &str) -> Ptr {
        Ptr(format!("{}/{}", self.0, escape_segment(key)))
    }

    pub fn idx(&self, i: usize) -> Ptr {
        Ptr(format!("{}/{}", self.0, i))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn problem(&self, message: impl Into<String>) -> Problem {
        Problem::new(self.0.clone(), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_becomes_readable_path() {
        assert_eq!(pointer_to_path("/mechanisms/3/kind"), "mechanisms[3].kind");
        assert_eq!(pointer_to_path(""), "(whole file)");
        assert_eq!(
            pointer_to_path("/scenarios/0/group_weights/a~1b"),
            "scenarios[0].group_weights.\"a/b\""
        );
    }
}
