//! Finds the line on which the value at a JSON pointer starts, by scanning the text
//! that already parsed. serde_json's `Value` keeps no positions, and a problem found
//! after parsing should still say "line 42".

use std::collections::HashMap;

/// For each wanted pointer, the 1-based line where its value starts (pointers not
/// found are absent). One pass over the text, whatever the number of pointers.
pub fn lines_of(text: &str, wanted: &[&str]) -> HashMap<String, usize> {
    let mut want: HashMap<&str, ()> = wanted.iter().map(|p| (*p, ())).collect();
    let mut found = HashMap::new();
    if want.is_empty() {
        return found;
    }
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
        line: 1,
    };
    let mut path = String::new();
    s.value(&mut path, &mut want, &mut found, 0);
    found
}

/// Keys written twice in one object: serde_json keeps the last silently, so the
/// loader reports them instead. Returns (pointer of the repeated key, line, key).
pub fn duplicate_keys(text: &str) -> Vec<(String, usize, String)> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
        line: 1,
    };
    let mut out = Vec::new();
    let mut path = String::new();
    s.dups(&mut path, &mut out, 0);
    out
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
}

const MAX_DEPTH: usize = 512;

impl Scanner<'_> {
    fn dups(&mut self, path: &mut String, out: &mut Vec<(String, usize, String)>, depth: usize) {
        self.ws();
        if depth > MAX_DEPTH || out.len() > 1000 {
            return;
        }
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut seen = std::collections::HashSet::new();
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'}') | None => {
                            self.i += 1;
                            return;
                        }
                        Some(b',') => self.i += 1,
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
                            if !seen.insert(key.clone()) {
                                out.push((path.clone(), line, key));
                            }
                            self.dups(path, out, depth + 1);
                            path.truncate(len);
                        }
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
                            return;
                        }
                        Some(b',') => {
                            self.i += 1;
                            index += 1;
                        }
                        Some(_) => {
                            let len = path.len();
                            path.push('/');
                            path.push_str(&index.to_string());
                            self.dups(path, out, depth + 1);
                            path.truncate(len);
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while let Some(&c) = self.b.get(self.i) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
            }
            None => {}
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

    /// Reads a string token starting at '"' and returns its raw (escaped) content.
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

    fn value(
        &mut self,
        path: &mut String,
        want: &mut HashMap<&str, ()>,
        found: &mut HashMap<String, usize>,
        depth: usize,
    ) {
        self.ws();
        if want.remove(path.as_str()).is_some() {
            found.insert(path.clone(), self.line);
        }
        if want.is_empty() || depth > MAX_DEPTH {
            return;
        }
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'}') | None => {
                            self.i += 1;
                            return;
                        }
                        Some(b',') => {
                            self.i += 1;
                            continue;
                        }
                        Some(b'"') => {
                            let key = self.string();
                            self.ws();
                            if self.b.get(self.i) == Some(&b':') {
                                self.i += 1;
                            }
                            let len = path.len();
                            path.push('/');
                            path.push_str(&super::problem::escape_segment(&key));
                            self.value(path, want, found, depth + 1);
                            path.truncate(len);
                            if want.is_empty() {
                                return;
                            }
                        }
                        Some(_) => {
                            self.i += 1;
                        }
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
                            return;
                        }
                        Some(b',') => {
                            self.i += 1;
                            index += 1;
                        }
                        Some(_) => {
                            let len = path.len();
                            path.push('/');
                            path.push_str(&index.to_string());
                            self.value(path, want, found, depth + 1);
                            path.truncate(len);
                            if want.is_empty() {
                                return;
                            }
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while let Some(&c) = self.b.get(self.i) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
            }
            None => {}
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
