//! Positions in JSON text that already parsed: the line on which the value at a JSON
//! pointer starts (serde_json's `Value` keeps no positions, and a problem found after
//! parsing should still say "line 42"), and keys written twice in one object (serde_json
//! keeps the last one silently). One small scanner walks the text for both.

use std::collections::{HashMap, HashSet};

/// What a walk over the text reports.
trait Visitor {
    /// A value starts at `path` on `line`. Returning false stops the walk.
    fn value(&mut self, _path: &str, _line: usize) -> bool {
        true
    }
    /// A key appears in an object; `repeated` when the object had it already.
    fn key(&mut self, _path: &str, _line: usize, _key: &str, _repeated: bool) {}
}

/// For each wanted pointer, the 1-based line where its value starts (pointers not
/// found are absent). One pass over the text, whatever the number of pointers.
pub fn lines_of(text: &str, wanted: &[&str]) -> HashMap<String, usize> {
    struct Lines<'w> {
        want: HashSet<&'w str>,
        found: HashMap<String, usize>,
    }
    impl Visitor for Lines<'_> {
        fn value(&mut self, path: &str, line: usize) -> bool {
            if self.want.remove(path) {
                self.found.insert(path.to_string(), line);
            }
            !self.want.is_empty()
        }
    }
    let mut v = Lines {
        want: wanted.iter().copied().collect(),
        found: HashMap::new(),
    };
    if !v.want.is_empty() {
        Scanner::new(text).walk(&mut String::new(), &mut v, 0);
    }
    v.found
}

/// Keys written twice in one object: (pointer of the repeated key, line, key).
pub fn duplicate_keys(text: &str) -> Vec<(String, usize, String)> {
    struct Dups(Vec<(String, usize, String)>);
    impl Visitor for Dups {
        fn value(&mut self, _: &str, _: usize) -> bool {
            self.0.len() < 1000
        }
        fn key(&mut self, path: &str, line: usize, key: &str, repeated: bool) {
            if repeated {
                self.0.push((path.to_string(), line, key.to_string()));
            }
        }
    }
    let mut v = Dups(Vec::new());
    Scanner::new(text).walk(&mut String::new(), &mut v, 0);
    v.0
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
}

/// The text already parsed with serde_json's recursion limit; this bound only keeps a
/// direct call on unparsed text safe.
const MAX_DEPTH: usize = 512;

impl Scanner<'_> {
    fn new(text: &str) -> Scanner<'_> {
        Scanner {
            b: text.as_bytes(),
            i: 0,
            line: 1,
        }
    }

    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => {
                    self.line += 1;
                    self.i += 1;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ => break,
            }
        }
    }

    /// Reads a string token starting at '"' and returns its unescaped content.
    fn string(&mut self) -> String {
        let start = self.i + 1;
        self.i += 1;
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\\' => self.i += 2,
                b'"' => break,
                b'\n' => {
                    self.line += 1;
                    self.i += 1
                }
                _ => self.i += 1,
            }
        }
        let end = self.i.min(self.b.len());
        self.i += 1;
        let raw = std::str::from_utf8(&self.b[start.min(end)..end]).unwrap_or("");
        serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string())
    }

    /// Walks one value at `path`; returns false when the visitor asked to stop.
    fn walk(&mut self, path: &mut String, v: &mut dyn Visitor, depth: usize) -> bool {
        self.ws();
        if !v.value(path, self.line) || depth > MAX_DEPTH {
            return false;
        }
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut seen = HashSet::new();
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'}') | None => {
                            self.i += 1;
                            return true;
                        }
                        Some(b'"') => {
                            let line = self.line;
                            let key = self.string();
                            self.ws();
                            if self.b.get(self.i) == Some(&b':') {
                                self.i += 1;
                            }
                            let len = path.len();
                            path.push('/');
                            path.push_str(&super::problem::escape_segment(&key));
                            let repeated = !seen.insert(key.clone());
                            v.key(path, line, &key, repeated);
                            let go_on = self.walk(path, v, depth + 1);
                            path.truncate(len);
                            if !go_on {
                                return false;
                            }
                        }
                        // ',' and anything unexpected: step over it.
                        Some(_) => self.i += 1,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut index = 0usize;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b']') | None => {
                            self.i += 1;
                            return true;
                        }
                        Some(b',') => {
                            self.i += 1;
                            index += 1;
                        }
                        Some(_) => {
                            let len = path.len();
                            path.push('/');
                            path.push_str(&index.to_string());
                            let go_on = self.walk(path, v, depth + 1);
                            path.truncate(len);
                            if !go_on {
                                return false;
                            }
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
                true
            }
            Some(_) => {
                while let Some(&c) = self.b.get(self.i) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
                true
            }
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_written_twice() {
        let text = "{\n  \"a\": 1,\n  \"b\": [{\"v\": 0, \"v\": 4}],\n  \"a\": 2\n}";
        let d = duplicate_keys(text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d.contains(&("/b/0/v".to_string(), 3, "v".to_string())));
        assert!(d.contains(&("/a".to_string(), 4, "a".to_string())));
    }

    #[test]
    fn finds_lines_of_nested_values() {
        let text =
            "{\n  \"a\": [\n    1,\n    {\"b\": \"x\\\"y\"},\n    3\n  ],\n  \"c/d\": true\n}\n";
        let found = lines_of(text, &["/a/0", "/a/1/b", "/a/2", "/c~1d", "", "/zz"]);
        assert_eq!(found["/a/0"], 3);
        assert_eq!(found["/a/1/b"], 4);
        assert_eq!(found["/a/2"], 5);
        assert_eq!(found["/c~1d"], 7);
        assert_eq!(found[""], 1);
        assert!(!found.contains_key("/zz"));
    }
}
