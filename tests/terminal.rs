//! Terminal safety of the command line: names, ids, rationales and citations that
//! carry escape sequences (window title, clear screen, clipboard OSC 52), C1 controls
//! or a right-to-left override are printed as visible escapes by every command, never
//! sent to the terminal raw.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use serde_json::{Value, json};

/// Every trick at once: window title, clear screen, clipboard write, a C1 CSI, a
/// right-to-left override, and a line break and a tab inside one value.
const NASTY: &str =
    "X\x1b]0;pwned\x07 \x1b[2J \x1b]52;c;ZXZpbA==\x07 \u{9b}31m \u{202E}reversed\nnext\tcell";

/// The escaped form of the window-title sequence, as it must appear.
const SHOWN: &str = "\\e]0;pwned\\u{7}";

/// Fails when `text` holds anything a terminal would obey: ESC or another C0 control
/// (a line break aside), DEL, a C1 control, or a bidirectional control.
fn assert_safe(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.contains(&0x1b),
        "{what}: an ESC byte reached the terminal:\n{}",
        String::from_utf8_lossy(bytes)
    );
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        let bidi = matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        );
        let obeyed = bidi || (c.is_control() && c != '\n');
        assert!(
            !obeyed,
            "{what}: U+{:04X} reached the terminal:\n{text}",
            u32::from(c)
        );
    }
}

/// Runs the binary and checks both of its outputs; returns them joined.
fn run_safe(args: &[&str]) -> (Output, String) {
    let o = run(args);
    let what = args.join(" ");
    assert_safe(&format!("{what} (stdout)"), &o.stdout);
    assert_safe(&format!("{what} (stderr)"), &o.stderr);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    (o, all)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn write_json(dir: &Path, name: &str, v: &Value) -> PathBuf {
    write(dir, name, &serde_json::to_string_pretty(v).unwrap())
}

/// The scenarios fixture with the nasty text in a mechanism's name, the analyst's
/// name, a rationale, a source's citation (cited by that score), the scenario's name
/// and one of its overrides' rationale.
fn nasty_project() -> Value {
    let text = std::fs::read_to_string(fixture("scenarios.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["project"]["title"] = json!(NASTY);
    v["mechanisms"][2]["name"] = json!(NASTY);
    v["analysts"][0]["name"] = json!(NASTY);
    v["sources"] = json!([{
        "id": "evil-source", "citation": NASTY, "link": "", "date": "",
        "reliability": "B", "credibility": 2, "note": NASTY
    }]);
    let scores = v["scores"].as_array_mut().unwrap();
    let i = scores.iter().position(|s| s["mechanism"] == "c").unwrap();
    scores[i]["rationale"] = json!(NASTY);
    scores[i]["sources"] = json!(["evil-source"]);
    v["scenarios"][0]["name"] = json!(NASTY);
    v["scenarios"][0]["score_overrides"][0]["rationale"] = json!(NASTY);
    v
}

#[test]
fn analyze_compare_and_diff_show_escapes_instead_of_obeying_them() {
    let dir = tempfile::tempdir().unwrap();
    let nasty = write_json(dir.path(), "nasty.json", &nasty_project());

    let (o, all) = run_safe(&["analyze", s(&nasty)]);
    assert_eq!(o.status.code(), Some(0), "{all}");
    assert!(all.contains(SHOWN), "{all}");
    // A line break inside a name stays on the mechanism's line.
    assert!(all.contains("reversed\\nnext\\tcell"), "{all}");

    let (o, all) = run_safe(&["analyze", s(&nasty), "--scenario", "s1"]);
    assert_eq!(o.status.code(), Some(0), "{all}");
    assert!(all.contains(SHOWN), "{all}");

    let (o, all) = run_safe(&["analyze", s(&nasty), "--analyst", "a"]);
    assert_eq!(o.status.code(), Some(0), "{all}");

    let (o, all) = run_safe(&["compare", s(&nasty), "--scenarios", "base,s1"]);
    assert_eq!(o.status.code(), Some(0), "{all}");
    assert!(all.contains(SHOWN), "{all}");
    assert!(all.contains("\\u{202E}reversed"), "{all}");

    // `diff` quotes changed text in Rust's debug form, which escapes too.
    let (o, all) = run_safe(&["diff", s(&fixture("scenarios.json")), s(&nasty)]);
    assert_eq!(o.status.code(), Some(0), "{all}");
    assert!(all.contains("]0;pwned"), "{all}");
    let (_, all) = run_safe(&["diff", s(&nasty), s(&fixture("scenarios.json"))]);
    assert!(all.contains("]0;pwned"), "{all}");

    let (o, all) = run_safe(&["fmt", s(&nasty), "--check"]);
    assert_eq!(o.status.code(), Some(1), "{all}");
    let (o, all) = run_safe(&["validate", s(&nasty)]);
    assert_eq!(o.status.code(), Some(0), "{all}");
}

#[test]
fn validate_quotes_bad_values_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = nasty_project();
    // A score cites a source id that is not an id and does not exist; a mechanism's
    // id is not an id; an analyst's name is far too long.
    let scores = v["scores"].as_array_mut().unwrap();
    scores[0]["sources"] = json!([NASTY]);
    v["mechanisms"][0]["id"] = json!(NASTY);
    v["analysts"][0]["name"] = json!(NASTY.repeat(40));
    let broken = write_json(dir.path(), "broken.json", &v);
    // The loader quotes bad values JSON-escaped (`\u001b`); whatever the quoting,
    // the value is visible and nothing raw reaches the terminal.
    let (o, all) = run_safe(&["validate", s(&broken)]);
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(all.contains("]0;pwned"), "{all}");
    // Every command that loads it says the same.
    let (o, all) = run_safe(&["analyze", s(&broken)]);
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(all.contains("]0;pwned"), "{all}");

    // A file name carrying the sequences is escaped too.
    let odd = dir.path().join("odd\x1b]0;pwned\x07\u{202E}.json");
    std::fs::write(&odd, "{ not json").unwrap();
    let (o, all) = run_safe(&["validate", s(&odd)]);
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(all.contains(SHOWN), "{all}");
}

#[test]
fn package_and_merge_show_escapes_instead_of_obeying_them() {
    let dir = tempfile::tempdir().unwrap();
    let master = write_json(dir.path(), "master.json", &nasty_project());
    let out = dir.path().join("packages");
    let (o, all) = run_safe(&["package", s(&master), "--out-dir", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{all}");
    assert!(all.contains(SHOWN), "{all}");

    // The analyst revises every score with the nasty text as the rationale and
    // renames a mechanism in the package (the master's name is kept).
    let pkg_path = out.join("a.json");
    let mut pkg: Value = serde_json::from_str(&std::fs::read_to_string(&pkg_path).unwrap())
        .expect("a package is JSON");
    for sc in pkg["scores"].as_array_mut().unwrap() {
        sc["rationale"] = json!(format!("{NASTY} (revised)"));
    }
    pkg["mechanisms"][0]["name"] = json!(NASTY);
    write_json(dir.path(), "returned.json", &pkg);
    let returned = dir.path().join("returned.json");
    let merged = dir.path().join("merged.json");
    let (_, first) = run_safe(&["merge", s(&master), s(&returned), "--out", s(&merged)]);

    // The master changed the same cells meanwhile: conflicts, listed escaped.
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(&master).unwrap()).unwrap();
    for sc in m["scores"].as_array_mut().unwrap() {
        sc["rationale"] = json!(format!("{NASTY} (master)"));
    }
    let master2 = write_json(dir.path(), "master2.json", &m);
    let merged2 = dir.path().join("merged2.json");
    let (_, all) = run_safe(&["merge", s(&master2), s(&returned), "--out", s(&merged2)]);
    let (_, all2) = run_safe(&[
        "merge",
        s(&master2),
        s(&returned),
        "--out",
        s(&merged2),
        "--prefer",
        "incoming",
        "--force",
    ]);
    assert!(first.contains(SHOWN), "{first}");
    assert!(all.contains(SHOWN), "{all}");
    assert!(all2.contains(SHOWN), "{all2}");

    // A package returned with a broken analyst id: the problem quotes it, escaped.
    pkg["workshop"]["package"]["analyst"] = json!(NASTY);
    let bad = write_json(dir.path(), "bad.json", &pkg);
    let merged3 = dir.path().join("merged3.json");
    let (o, all) = run_safe(&["merge", s(&master), s(&bad), "--out", s(&merged3)]);
    assert_ne!(o.status.code(), Some(0), "{all}");
}

#[test]
fn csv_import_and_report_show_escapes_instead_of_obeying_them() {
    let dir = tempfile::tempdir().unwrap();
    let project = write_json(dir.path(), "p.json", &nasty_project());
    let sheet = dir.path().join("scores.csv");
    let (o, all) = run_safe(&["csv-export", s(&project), "--out", s(&sheet)]);
    assert_eq!(o.status.code(), Some(0), "{all}");
    // A changed rationale and a bad cell quoting the nasty text.
    let text = std::fs::read_to_string(&sheet).unwrap();
    let changed = text.replacen(",moderate,", &format!(",moderate,\"{NASTY}\" "), 1);
    let edited = write(dir.path(), "edited.csv", &changed);
    let (_, _all) = run_safe(&["csv-import", s(&project), s(&edited)]);
    let bad = write(
        dir.path(),
        "bad.csv",
        &format!(
            "{}{NASTY},x,y\r\n",
            text.replace(",a,", &format!(",{NASTY},"))
        ),
    );
    let (o, all) = run_safe(&["csv-import", s(&project), s(&bad)]);
    assert_ne!(o.status.code(), Some(0), "{all}");

    let report = dir.path().join("report.md");
    let (o, all) = run_safe(&["report", s(&project), "--out", s(&report), "--format", "md"]);
    assert_eq!(o.status.code(), Some(0), "{all}");
}
