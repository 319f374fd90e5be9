//! The command line, run as the real binary on real files.

mod common;

use common::*;
use serde_json::Value;

fn analyze_json(args: &[&str]) -> Value {
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("analyze --json prints JSON")
}

fn mech<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["mechanisms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("mechanism {id} in output"))
}

fn close(v: &Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("{v} is a number"));
    assert!((x - expected).abs() < 1e-6, "{x} != {expected}");
}

#[test]
fn analyze_matches_hand_computation_with_median_of_analysts() {
    let f = fixture("hand.json");
    let v = analyze_json(&["analyze", f.to_str().unwrap(), "--json"]);
    let m1 = mech(&v, "m1");
    close(&m1["total"], 93.75);
    close(&m1["groups"]["req"]["index"], 75.0);
    close(&m1["groups"]["obj"]["index"], 100.0);
    close(&m1["groups"]["con"]["index"], 0.0);
    assert_eq!(m1["rank"], 1);

    // m2: r1 = median(1, 3, 4) = 3; o1 = median(2, 3) = 2.5; o2 not applicable.
    let m2 = mech(&v, "m2");
    close(&m2["groups"]["req"]["index"], 50.0);
    close(&m2["groups"]["obj"]["index"], 62.5);
    close(&m2["groups"]["obj"]["coverage"], 1.0);
    close(&m2["groups"]["con"]["index"], 100.0);
    close(&m2["total"], 43.75);
    assert_eq!(m2["viable"], false, "gate r2 ≥ 2 fails with 1");
    assert_eq!(m2["failed_gates"][0]["criterion"], "r2");
    assert_eq!(m2["rank"], 4);

    // m3: objective coverage 1/4 < 50 % → null; total over the other two groups.
    let m3 = mech(&v, "m3");
    assert!(m3["groups"]["obj"]["index"].is_null());
    close(&m3["groups"]["obj"]["coverage"], 0.25);
    close(&m3["groups"]["req"]["coverage"], 0.5);
    close(&m3["total"], 50.0);
    close(&m3["total_coverage"], 0.5);
    assert_eq!(m3["unchecked_gates"][0], "r2");

    // m4 ties m3 at 50: competition ranking 1, 2, 2, 4.
    let m4 = mech(&v, "m4");
    close(&m4["total"], 50.0);
    assert_eq!(m3["rank"], 2);
    assert_eq!(m4["rank"], 2);
}

#[test]
fn analyze_one_analyst() {
    let f = fixture("hand.json");
    let v = analyze_json(&["analyze", f.to_str().unwrap(), "--analyst", "b", "--json"]);
    assert!(mech(&v, "m1")["total"].is_null());
    assert!(mech(&v, "m1")["rank"].is_null());
    let m2 = mech(&v, "m2");
    close(&m2["groups"]["req"]["index"], 75.0);
    close(&m2["groups"]["obj"]["index"], 75.0);
    assert!(m2["groups"]["con"]["index"].is_null());
    close(&m2["total"], 75.0);
    assert_eq!(m2["rank"], 1);
}

#[test]
fn analyze_scenario_applies_weights_overrides_and_exclusions() {
    let f = fixture("hand.json");
    let v = analyze_json(&["analyze", f.to_str().unwrap(), "--scenario", "s1", "--json"]);
    assert_eq!(v["hypothetical"], true);
    assert_eq!(v["mechanisms"].as_array().unwrap().len(), 3, "m4 excluded");
    close(&mech(&v, "m1")["total"], 87.5);
    let m2 = mech(&v, "m2");
    close(&m2["total"], 37.5);
    assert_eq!(m2["viable"], true, "override lifts r2 to 3");
    assert_eq!(m2["rank"], 3);
    close(&mech(&v, "m3")["total"], 50.0);
}

#[test]
fn analyze_unknown_scenario_or_analyst_is_a_usage_error() {
    let f = fixture("hand.json");
    let o = run(&["analyze", f.to_str().unwrap(), "--scenario", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no scenario \"nope\""),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("s1"));
    let o = run(&["analyze", f.to_str().unwrap(), "--analyst", "zed"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn analyze_table_lists_every_mechanism() {
    let o = run(&["analyze", sample_path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let project = policy_workbench::bundled::sample();
    for m in &project.mechanisms {
        assert!(out.contains(&m.name), "{} in table", m.name);
    }
}

#[test]
fn validate_sample_and_templates_ok() {
    let r = root();
    let o = run(&[
        "validate",
        sample_path().to_str().unwrap(),
        r.join("templates/lemieux.json").to_str().unwrap(),
        r.join("templates/blank.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o).matches(": ok").count(), 3);
}

#[test]
fn validate_missing_file_is_io_error() {
    let o = run(&["validate", "/definitely/not/here.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("could not read"));
}

#[test]
fn usage_error_exits_2() {
    let o = run(&["analyze"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["frobnicate", "x"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn new_writes_a_valid_project_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new.json");
    let o = run(&[
        "new",
        "--template",
        "lemieux",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let loaded = policy_workbench::persist::load_str(&text).unwrap();
    assert_eq!(loaded.project.framework.groups.len(), 4);

    std::fs::write(&out, "precious").unwrap();
    let o = run(&["new", "--template", "blank", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");

    let o = run(&[
        "new",
        "--template",
        "blank",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(policy_workbench::persist::load_path(&out).is_ok());

    let o = run(&[
        "new",
        "--template",
        "nope",
        "--out",
        dir.path().join("x.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("lemieux"));
}

#[test]
fn fmt_rewrites_to_canonical_and_check_reports() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("hand.json")).unwrap();
    let compact: Value = serde_json::from_str(&text).unwrap();
    let p = write(
        dir.path(),
        "p.json",
        &serde_json::to_string(&compact).unwrap(),
    );
    let o = run(&["fmt", p.to_str().unwrap(), "--check"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["fmt", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&["fmt", p.to_str().unwrap(), "--check"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn diff_prints_semantic_changes() {
    let dir = tempfile::tempdir().unwrap();
    let a = fixture("hand.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    v["scores"][0]["value"] = serde_json::json!(1);
    v["framework"]["groups"][0]["weight"] = serde_json::json!(2);
    let b = write(
        dir.path(),
        "b.json",
        &serde_json::to_string_pretty(&v).unwrap(),
    );
    let o = run(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // Names in the text: analyst A, mechanism One, criterion R1, group Requirements.
    assert!(out.contains("score A / One / R1: 4 → 1"), "{out}");
    assert!(
        out.contains("criteria group Requirements: weight 1 → 2"),
        "{out}"
    );
    assert!(
        !out.contains("m1") && !out.contains(" req"),
        "no ids: {out}"
    );
    assert!(out.contains("2 changes"), "{out}");
    // Ids in --json.
    let o = run(&["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    let score = changes.iter().find(|c| c["mechanism"] == "m1").unwrap();
    assert_eq!(score["analyst"], "a");
    assert_eq!(score["criterion"], "r1");
    assert_eq!(score["change"], "score a / m1 / r1: 4 → 1");
    assert_eq!(score["description"], "score A / One / R1: 4 → 1");
    let group = changes.iter().find(|c| c["group"] == "req").unwrap();
    assert_eq!(
        group["description"],
        "criteria group Requirements: weight 1 → 2"
    );
    let o = run(&[
        "diff",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--exit-code",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&[
        "diff",
        a.to_str().unwrap(),
        a.to_str().unwrap(),
        "--exit-code",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("no differences"));
}
