//! ARCHITECTURE.md stays true: its code map names every source file that exists, and
//! every file it names exists.

use std::collections::BTreeSet;
use std::path::Path;

fn sources(dir: &Path, root: &Path, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel);
        }
    }
}

/// The paths the code map names: backticked `src/…​.rs` entries.
fn mapped(text: &str) -> BTreeSet<String> {
    let map = text
        .split("## Code map")
        .nth(1)
        .expect("ARCHITECTURE.md has a code map")
        .split("\n## ")
        .next()
        .unwrap();
    map.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("src/") && s.ends_with(".rs"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_code_map_names_every_source_file_and_no_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = BTreeSet::new();
    sources(&root.join("src"), root, &mut files);
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let named = mapped(&text);
    let missing: Vec<_> = files.difference(&named).collect();
    let stale: Vec<_> = named.difference(&files).collect();
    assert!(
        missing.is_empty(),
        "files the code map does not name: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "the code map names files that do not exist: {stale:?}"
    );
}
