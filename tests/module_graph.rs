//! The module graph of `src/` has no cycles: no module imports one that imports it back,
//! directly or through others. A module is a source file; an edge is a path to another
//! module (`use crate::…`, `use super::…`, or a `crate::…` path in code). A parent's
//! `mod child;` is a declaration, not an import; `pub use child::X` in a parent is.
//! Inline test modules (`#[cfg(test)] mod tests { … }`) are left out; a test file declared
//! with `mod tests;` counts like any module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("readable src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments, string contents and its test module.
fn code_of(text: &str) -> String {
    // An inline test module ends the code that counts; a `mod tests;` declaration is
    // skipped and reading goes on.
    let text = text.replace("#[cfg(test)]\nmod tests;", "");
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    let mut out = String::new();
    for line in text.lines() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        // Drop string literals (messages may contain "crate::…" or "super::…").
        let mut in_str = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').expect("balanced braces")];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |x| format!("{prefix}{x}")))
        .collect()
}

/// The paths of `use` statements, and every path in the code that starts with
/// `crate::`, `super::` or `self::`.
fn paths_in(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    // `use` statements, braces expanded.
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before_ok = i == 0
            || !rest.as_bytes()[i - 1].is_ascii_alphanumeric() && rest.as_bytes()[i - 1] != b'_';
        let after = &rest[i + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if before_ok {
            out.extend(expand(&after[..end]));
        }
        rest = &after[end.min(after.len())..];
    }
    // Paths in code.
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            let b = code.as_bytes();
            let boundary = at == 0
                || !(b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_' || b[at - 1] == b':');
            if boundary {
                let end = code[at..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                    .map_or(code.len(), |e| at + e);
                // `crate::a::{b, c}` is a `use` tree, read above.
                if !code[at..end].ends_with("::") {
                    out.push(code[at..end].to_string());
                }
            }
            from = at + start.len();
        }
    }
    out
}

/// The module a path leads to: the deepest known module along it.
fn resolve(path: &str, here: &Module, modules: &BTreeSet<Module>) -> Option<Module> {
    let mut segs = path.split("::").filter(|s| !s.is_empty()).peekable();
    let mut m: Module = match *segs.peek()? {
        "crate" => {
            segs.next();
            Vec::new()
        }
        "self" | "super" => {
            // `self` of a file is its module; `super` is the parent of that.
            let mut m = here.clone();
            while let Some(&s) = segs.peek() {
                match s {
                    "self" => {}
                    "super" => {
                        m.pop();
                    }
                    _ => break,
                }
                segs.next();
            }
            m
        }
        // A path relative to this module (`use child::Item;`).
        first => {
            let mut child = here.clone();
            child.push(first.to_string());
            if !modules.contains(&child) {
                return None;
            }
            here.clone()
        }
    };
    for s in segs {
        let mut next = m.clone();
        next.push(s.to_string());
        if modules.contains(&next) {
            m = next;
        } else {
            break;
        }
    }
    Some(m)
}

/// Every group of modules that import each other, directly or through others (the
/// strongly connected components with more than one module), each sorted by name.
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    // Kosaraju: finishing order on the graph, then components on the reversed graph.
    fn finish(
        n: &Module,
        graph: &BTreeMap<Module, BTreeSet<Module>>,
        seen: &mut BTreeSet<Module>,
        order: &mut Vec<Module>,
    ) {
        if !seen.insert(n.clone()) {
            return;
        }
        for m in graph.get(n).into_iter().flatten() {
            finish(m, graph, seen, order);
        }
        order.push(n.clone());
    }
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    for n in graph.keys() {
        finish(n, graph, &mut seen, &mut order);
    }
    let mut reversed: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (a, edges) in graph {
        for b in edges {
            reversed.entry(b.clone()).or_default().insert(a.clone());
        }
    }
    let mut placed = BTreeSet::new();
    let mut out = Vec::new();
    for n in order.iter().rev() {
        let mut component = Vec::new();
        let mut stack = vec![n.clone()];
        while let Some(x) = stack.pop() {
            if placed.insert(x.clone()) {
                stack.extend(reversed.get(&x).into_iter().flatten().cloned());
                component.push(x);
            }
        }
        let self_loop = component.len() == 1 && graph.get(n).is_some_and(|e| e.contains(n));
        if component.len() > 1 || self_loop {
            component.sort();
            out.push(component);
        }
    }
    out
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.retain(|f| !f.ends_with("main.rs"));
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph = BTreeMap::new();
    for f in &files {
        let here = module_of(&src, f);
        let code = code_of(&std::fs::read_to_string(f).expect("readable"));
        let mut edges = BTreeSet::new();
        for p in paths_in(&code) {
            if let Some(to) = resolve(&p, &here, &modules)
                && to != here
            {
                edges.insert(to);
            }
        }
        graph.insert(here, edges);
    }
    graph
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let found = cycles(&graph());
    let text: Vec<String> = found
        .iter()
        .map(|c| c.iter().map(name).collect::<Vec<_>>().join(", "))
        .collect();
    assert!(
        found.is_empty(),
        "modules that import each other:\n  {}",
        text.join("\n  ")
    );
}

#[test]
fn the_ui_never_imports_the_app_shell() {
    let g = graph();
    for (m, edges) in &g {
        if m.first().is_some_and(|f| f == "ui") {
            for e in edges {
                assert!(
                    e.first().is_none_or(|f| f != "app"),
                    "{} imports {}",
                    name(m),
                    name(e)
                );
            }
        }
    }
}

#[test]
fn the_checker_finds_a_cycle_and_reads_nested_imports() {
    assert_eq!(
        expand("crate::ui::{a, b::{c, d}}"),
        vec!["crate::ui::a", "crate::ui::b::c", "crate::ui::b::d"]
    );
    let m = |s: &str| s.split("::").map(String::from).collect::<Module>();
    let mut g = BTreeMap::new();
    g.insert(m("ui"), BTreeSet::from([m("ui::a")]));
    g.insert(m("ui::a"), BTreeSet::from([m("ui::b")]));
    g.insert(m("ui::b"), BTreeSet::from([m("ui")]));
    assert_eq!(cycles(&g), vec![vec![m("ui"), m("ui::a"), m("ui::b")]]);
    g.insert(m("ui::b"), BTreeSet::new());
    assert!(cycles(&g).is_empty());
}
