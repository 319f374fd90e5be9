//! Every kind of bad input gets a clear message naming where the problem is, from the
//! library and from the real binary; nothing panics.

mod common;

use common::*;
use policy_workbench::persist::{self, LoadError};
use serde_json::{Value, json};

fn hand() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("hand.json")).unwrap()).unwrap()
}

fn problems_of(doc: &Value) -> Vec<String> {
    let text = serde_json::to_string_pretty(doc).unwrap();
    match persist::load_str(&text) {
        Ok(_) => panic!("expected problems"),
        Err(LoadError::Invalid { problems, .. }) => {
            problems.iter().map(|p| p.to_string()).collect()
        }
        Err(other) => vec![other.to_string()],
    }
}

fn assert_problem(doc: &Value, path: &str, words: &str) {
    let ps = problems_of(doc);
    assert!(
        ps.iter().any(|p| p.contains(path) && p.contains(words)),
        "expected a problem at {path} mentioning {words:?}, got {ps:#?}"
    );
    assert!(
        ps.iter().all(|p| p.starts_with("line ")),
        "every problem has a line: {ps:#?}"
    );
}

#[test]
fn wrong_type_names_path_and_line() {
    let mut d = hand();
    d["framework"]["groups"][1]["weight"] = json!("heavy");
    assert_problem(&d, "framework.groups[1].weight", "expected a number");
}

#[test]
fn all_problems_are_reported_not_just_the_first() {
    let mut d = hand();
    d["mechanisms"][0]["kind"] = json!("galactic");
    d["sources"] = json!([{"id": "s", "citation": "x", "link": "", "date": "", "reliability": "Z", "credibility": 9, "note": ""}]);
    d["analysts"][0]["wieght"] = json!(1);
    let ps = problems_of(&d);
    assert!(ps.len() >= 4, "{ps:#?}");
    assert!(
        ps.iter()
            .any(|p| p.contains("mechanisms[0].kind") && p.contains("\"international\""))
    );
    assert!(ps.iter().any(|p| p.contains("sources[0].reliability")));
    assert!(
        ps.iter()
            .any(|p| p.contains("sources[0].credibility") && p.contains("too large"))
    );
    assert!(
        ps.iter()
            .any(|p| p.contains("analysts[0]") && p.contains("unknown field \"wieght\""))
    );
}

#[test]
fn missing_field() {
    let mut d = hand();
    d["mechanisms"][2].as_object_mut().unwrap().remove("name");
    assert_problem(&d, "mechanisms[2]", "\"name\" is missing");
}

#[test]
fn duplicate_ids() {
    let mut d = hand();
    d["mechanisms"][3]["id"] = json!("m1");
    assert_problem(&d, "mechanisms[3].id", "used twice");
    let mut d = hand();
    d["framework"]["groups"][2]["criteria"][0]["id"] = json!("r1");
    assert_problem(&d, "framework.groups[2].criteria[0].id", "used twice");
}

#[test]
fn dangling_references() {
    let mut d = hand();
    d["scores"][0]["mechanism"] = json!("ghost");
    d["scores"][1]["sources"] = json!(["nowhere"]);
    d["scenarios"][0]["excluded_mechanisms"] = json!(["phantom"]);
    d["scenarios"][0]["group_weights"] = json!({"nogroup": 1});
    let ps = problems_of(&d);
    for (path, word) in [
        ("scores[0].mechanism", "ghost"),
        ("scores[1].sources[0]", "nowhere"),
        ("scenarios[0].excluded_mechanisms[0]", "phantom"),
        ("scenarios[0].group_weights.nogroup", "nogroup"),
    ] {
        assert!(
            ps.iter().any(|p| p.contains(path) && p.contains(word)),
            "{path}: {ps:#?}"
        );
    }
}

#[test]
fn out_of_range_values() {
    let mut d = hand();
    d["scores"][0]["value"] = json!(7);
    assert_problem(&d, "scores[0].value", "outside the scale");
    // The message names the cell as the app shows it, not only its place in the file.
    assert_problem(
        &d,
        "scores[0].value",
        "the score of “One” on “R1”, analyst “A”",
    );
    let mut d = hand();
    d["scores"][0]["value"] = json!("zero");
    assert_problem(&d, "scores[0].value", "not a score");
    let mut d = hand();
    d["framework"]["groups"][0]["weight"] = json!(-1);
    assert_problem(&d, "framework.groups[0].weight", "too small");
    let mut d = hand();
    d["framework"]["groups"][0]["criteria"][0]["scale"]["max"] = json!(0);
    assert_problem(
        &d,
        "framework.groups[0].criteria[0].scale.max",
        "must be above",
    );
    let mut d = hand();
    d["framework"]["groups"][0]["criteria"][1]["gate"] = json!({"at_least": 9});
    assert_problem(&d, "criteria[1].gate.at_least", "outside the scale");
}

#[test]
fn duplicate_score_for_a_cell() {
    let mut d = hand();
    let first = d["scores"][0].clone();
    d["scores"].as_array_mut().unwrap().push(first);
    assert_problem(&d, "scores[21]", "twice");
}

#[test]
fn bad_id_slug() {
    let mut d = hand();
    d["mechanisms"][0]["id"] = json!("Has Spaces");
    assert_problem(&d, "mechanisms[0].id", "not a valid id");
}

#[test]
fn future_version_is_refused_with_a_message() {
    let mut d = hand();
    d["schema_version"] = json!(99);
    let e = persist::load_str(&d.to_string()).unwrap_err();
    assert!(matches!(e, LoadError::Newer { found: 99 }));
    assert!(e.to_string().contains("newer Policy Workbench"));
}

#[test]
fn syntax_errors_give_line_and_column() {
    let e = persist::load_str("{\n  \"schema_version\": 1,\n  oops\n}").unwrap_err();
    match e {
        LoadError::Syntax { line, column, .. } => {
            assert_eq!(line, 3);
            assert!(column >= 3);
        }
        other => panic!("{other}"),
    }
    let e = persist::load_str("").unwrap_err();
    assert!(e.to_string().contains("line 1"), "{e}");
    let text = std::fs::read_to_string(fixture("hand.json")).unwrap();
    let e = persist::load_str(&text[..text.len() / 2]).unwrap_err();
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let deep = "[".repeat(200_000) + &"]".repeat(200_000);
    let e = persist::load_str(&deep).unwrap_err();
    assert!(e.to_string().contains("too deeply"), "{e}");
}

/// Each hostile file through the real binary: non-zero exit, a message, no panic.
#[test]
fn binary_rejects_hostile_files_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut future = hand();
    future["schema_version"] = json!(persist::CURRENT_VERSION + 1);
    let mut dup = hand();
    dup["analysts"][1]["id"] = json!("a");
    let mut wrong = hand();
    wrong["mechanisms"] = json!({"not": "a list"});
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty.json", String::new(), "line 1"),
        (
            "truncated.json",
            "{\"schema_version\": 1, \"project\": {".into(),
            "truncated",
        ),
        (
            "notjson.json",
            "this is a memo, not a project".into(),
            "not valid JSON",
        ),
        ("deep.json", "[".repeat(200_000), "too deeply"),
        ("array.json", "[1, 2, 3]".into(), "JSON object"),
        ("future.json", future.to_string(), "newer Policy Workbench"),
        (
            "dup.json",
            serde_json::to_string_pretty(&dup).unwrap(),
            "analysts[1].id",
        ),
        (
            "wrong.json",
            serde_json::to_string_pretty(&wrong).unwrap(),
            "expected a list",
        ),
        (
            "binary.json",
            "\u{0}\u{1}\u{2}garbage".into(),
            "not valid JSON",
        ),
    ];
    for (name, text, words) in cases {
        let p = write(dir.path(), name, &text);
        let o = run(&["validate", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stdout(&o));
        assert!(
            stdout(&o).contains(words),
            "{name}: expected {words:?} in {}",
            stdout(&o)
        );
        assert!(!stderr(&o).contains("panicked"), "{name}: {}", stderr(&o));
    }
    // Invalid UTF-8 bytes.
    let p = dir.path().join("latin1.json");
    std::fs::write(&p, b"{\"title\": \"caf\xe9\"}").unwrap();
    let o = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("UTF-8"));
}

#[test]
fn analyze_on_a_broken_file_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "broken.json", "{");
    let o = run(&["analyze", p.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "{");
}

#[test]
fn unknown_ranking_rule_is_named() {
    let mut d = hand();
    d["project"]["ranking_rule"] = json!("best-guess");
    assert_problem(&d, "project.ranking_rule", "unrank-incomplete");
    // Both known values load.
    for rule in ["rank-assessed", "unrank-incomplete"] {
        d["project"]["ranking_rule"] = json!(rule);
        let text = serde_json::to_string_pretty(&d).unwrap();
        assert!(persist::load_str(&text).is_ok(), "{rule}");
    }
}
