//! `policy-workbench exercise` and `feedback`, run as the real binary on hand-made
//! student files; every number below is worked out by hand in the comments
//! (the kappas are also recomputed by scripts/kappa_check.py with the confusion-matrix
//! formula and scikit-learn).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

/// hand.json (4 mechanisms m1–m4 × 5 criteria r1 r2 o1 o2 c1, every scale 0–4) with
/// the analysts and scores given, and no scenario.
fn project(
    dir: &Path,
    name: &str,
    analysts: &[&str],
    scores: &[(&str, &str, &str, Value, &str)],
) -> PathBuf {
    let text = std::fs::read_to_string(fixture("hand.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["scenarios"] = json!([]);
    v["analysts"] = Value::Array(
        analysts
            .iter()
            .map(|a| json!({"id": a, "name": a.to_uppercase(), "note": ""}))
            .collect(),
    );
    v["scores"] = Value::Array(
        scores
            .iter()
            .map(|(a, m, c, value, why)| {
                json!({"analyst": a, "mechanism": m, "criterion": c, "value": value,
                       "rationale": why, "confidence": "moderate", "sources": []})
            })
            .collect(),
    );
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    p
}

/// The answer key: analyst "a" of hand.json.
/// m1: r1 4, r2 2, o1 4, o2 0, c1 0 · m2: r1 1, r2 1, o1 2, o2 n/a, c1 4
/// m3: r1 2, o2 2, c1 2 (r2 and o1 not assessed) · m4: every criterion 2.
fn key(dir: &Path) -> PathBuf {
    let na = json!("not_applicable");
    let rows: Vec<(&str, &str, &str, Value, &str)> = vec![
        ("a", "m1", "r1", json!(4), ""),
        ("a", "m1", "r2", json!(2), "Two of four."),
        (
            "a",
            "m1",
            "o1",
            json!(4),
            "Hand rationale o1: the full level.",
        ),
        ("a", "m1", "o2", json!(0), ""),
        ("a", "m1", "c1", json!(0), ""),
        ("a", "m2", "r1", json!(1), ""),
        ("a", "m2", "r2", json!(1), ""),
        ("a", "m2", "o1", json!(2), ""),
        ("a", "m2", "o2", na, ""),
        ("a", "m2", "c1", json!(4), "Costly."),
        ("a", "m3", "r1", json!(2), ""),
        ("a", "m3", "o2", json!(2), ""),
        ("a", "m3", "c1", json!(2), ""),
        ("a", "m4", "r1", json!(2), ""),
        ("a", "m4", "r2", json!(2), ""),
        ("a", "m4", "o1", json!(2), ""),
        ("a", "m4", "o2", json!(2), ""),
        ("a", "m4", "c1", json!(2), ""),
    ];
    project(dir, "key.json", &["a"], &rows)
}

/// Student s1 scores six cells:
/// m1 r1 4 (key 4, 0) · m1 r2 3 (key 2, +1) · m1 o1 1 (key 4, −3) ·
/// m2 o2 n/a (key n/a: exact) · m2 c1 3 (key 4, −1) · m3 r2 2 (no key: not compared).
fn s1(dir: &Path) -> PathBuf {
    let na = json!("not_applicable");
    project(
        dir,
        "s1.json",
        &["student"],
        &[
            ("student", "m1", "r1", json!(4), ""),
            ("student", "m1", "r2", json!(3), ""),
            ("student", "m1", "o1", json!(1), ""),
            ("student", "m2", "o2", na, ""),
            ("student", "m2", "c1", json!(3), ""),
            ("student", "m3", "r2", json!(2), ""),
        ],
    )
}

fn close(v: &Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("{v} is a number"));
    assert!((x - expected).abs() < 1e-9, "{x} != {expected}");
}

fn feedback_json(args: &[&str]) -> (Option<i32>, Value) {
    let o = run(args);
    let v = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("JSON ({e}): {} / {}", stdout(&o), stderr(&o)));
    (o.status.code(), v)
}

fn criterion<'a>(student: &'a Value, id: &str) -> &'a Value {
    student["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn feedback_against_a_key_is_computed_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (k, s) = (key(dir.path()), s1(dir.path()));
    let (code, v) = feedback_json(&[
        "feedback",
        s.to_str().unwrap(),
        "--reference",
        k.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(v["reference"]["compared_with"], "key");
    let st = &v["students"][0];
    assert_eq!(st["analyst"], "student");
    // 20 cells; 6 scored, 14 left; m3 r2 has no key: 5 compared.
    assert_eq!(
        (st["cells"].as_u64(), st["scored"].as_u64()),
        (Some(20), Some(6))
    );
    assert_eq!(st["left"], 14);
    assert_eq!(st["compared"], 5);
    // Exact: m1 r1 and m2 o2 (n/a = n/a) → 2/5. Within one: those and m1 r2, m2 c1 → 4/5.
    close(&st["exact_share"], 0.4);
    close(&st["inside_share"], 0.4);
    close(&st["within_one_share"], 0.8);
    // Numbers on both sides: 4 cells, differences 0, +1, −3, −1 → mean −0.75.
    assert_eq!(st["numeric"], 4);
    close(&st["mean_difference"], -0.75);
    // s = 4 3 1 3, r = 4 2 4 4: mean_s 2.75, var_s 1.1875; mean_r 3.5, var_r 0.75;
    // expected = 1.1875 + 0.75 + 0.75² = 2.5; observed = (0 + 1 + 9 + 1)/4 = 2.75;
    // κ = 1 − 2.75 / 2.5 = −0.1 (scikit-learn: −0.1).
    close(&st["weighted_kappa"], -0.1);
    // Per criterion: r1 has 4 cells, 1 scored (m1: exact), 3 left; one pair: no kappa.
    let r1 = criterion(st, "r1");
    assert_eq!(
        (r1["compared"].as_u64(), r1["left"].as_u64()),
        (Some(1), Some(3))
    );
    close(&r1["exact_share"], 1.0);
    assert!(r1["weighted_kappa"].is_null());
    // r2: m1 (+1) compared, m3 scored without a key; 2 left.
    let r2 = criterion(st, "r2");
    assert_eq!(
        (r2["compared"].as_u64(), r2["left"].as_u64()),
        (Some(1), Some(2))
    );
    close(&r2["exact_share"], 0.0);
    close(&r2["within_one_share"], 1.0);
    close(&r2["mean_difference"], 1.0);
    // Largest first: m1 o1 (3 points) with the key's rationale; then m1 r2 and m2 c1
    // (1 point each) in matrix order.
    let d = st["largest_disagreements"].as_array().unwrap();
    assert_eq!(d.len(), 3);
    assert_eq!(
        (d[0]["mechanism"].as_str(), d[0]["criterion"].as_str()),
        (Some("m1"), Some("o1"))
    );
    close(&d[0]["difference"], -3.0);
    assert_eq!(
        d[0]["reference"][0]["rationale"],
        "Hand rationale o1: the full level."
    );
    assert_eq!(d[1]["criterion"], "r2");
    assert_eq!(
        (d[2]["mechanism"].as_str(), d[2]["criterion"].as_str()),
        (Some("m2"), Some("c1"))
    );

    // The text form says the same.
    let o = run(&[
        "feedback",
        s.to_str().unwrap(),
        "--reference",
        k.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("scored 6 of 20 cells, 14 left unscored"),
        "{text}"
    );
    assert!(
        text.contains("40%")
            && text.contains("80%")
            && text.contains("-0.8")
            && text.contains("-0.10"),
        "{text}"
    );
    assert!(
        text.contains("Reference rationale: Hand rationale o1"),
        "{text}"
    );
}

#[test]
fn a_class_folder_gives_one_row_per_student_and_per_analyst() {
    let dir = tempfile::tempdir().unwrap();
    let k = key(dir.path());
    let s = s1(dir.path());
    // A student who scored nothing.
    let empty = project(dir.path(), "empty.json", &["student"], &[]);
    // A file with two analysts: x scores m4 as the key (all 2: exact, no variation so
    // no kappa); y scores m4 r1 0 and m4 r2 4 (−2, +2: mean 0; s = 0 4, r = 2 2:
    // expected 4 + 0 + 0 = 4, observed (4 + 4)/2 = 4, κ = 0).
    let mut rows = Vec::new();
    for c in ["r1", "r2", "o1", "o2", "c1"] {
        rows.push(("x", "m4", c, json!(2), ""));
    }
    rows.push(("y", "m4", "r1", json!(0), ""));
    rows.push(("y", "m4", "r2", json!(4), ""));
    let pair = project(dir.path(), "pair.json", &["x", "y"], &rows);
    let (code, v) = feedback_json(&[
        "feedback",
        s.to_str().unwrap(),
        empty.to_str().unwrap(),
        pair.to_str().unwrap(),
        "--reference",
        k.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, Some(0));
    let students = v["students"].as_array().unwrap();
    assert_eq!(students.len(), 4, "s1, empty, and x and y of pair.json");
    let e = &students[1];
    assert_eq!(
        (
            e["scored"].as_u64(),
            e["compared"].as_u64(),
            e["left"].as_u64()
        ),
        (Some(0), Some(0), Some(20))
    );
    for f in [
        "exact_share",
        "within_one_share",
        "mean_difference",
        "weighted_kappa",
    ] {
        assert!(
            e[f].is_null(),
            "{f} is null for a student who scored nothing"
        );
    }
    let (x, y) = (&students[2], &students[3]);
    assert_eq!(
        (x["analyst"].as_str(), y["analyst"].as_str()),
        (Some("x"), Some("y"))
    );
    close(&x["exact_share"], 1.0);
    assert!(x["weighted_kappa"].is_null());
    close(&y["exact_share"], 0.0);
    close(&y["within_one_share"], 0.0);
    close(&y["mean_difference"], 0.0);
    close(&y["weighted_kappa"], 0.0);

    let o = run(&[
        "feedback",
        empty.to_str().unwrap(),
        "--reference",
        k.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("scored nothing"), "{}", stdout(&o));
}

#[test]
fn a_panel_reference_is_compared_by_its_range() {
    let dir = tempfile::tempdir().unwrap();
    // hand.json itself: analysts a, b and c. m2 r1: 1, 3, 4 (range 1–4, median 3);
    // m2 o1: 2, 3 (range 2–3, median 2.5); m1 r1: a alone, 4.
    let panel = fixture("hand.json");
    // Student: m2 r1 2 (inside, −1), m2 o1 4 (outside by 1, +1.5), m1 r1 0 (outside by
    // 4, −4).
    let s = project(
        dir.path(),
        "s.json",
        &["student"],
        &[
            ("student", "m2", "r1", json!(2), ""),
            ("student", "m2", "o1", json!(4), ""),
            ("student", "m1", "r1", json!(0), ""),
        ],
    );
    let (code, v) = feedback_json(&[
        "feedback",
        s.to_str().unwrap(),
        "--reference",
        panel.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(v["reference"]["compared_with"], "panel");
    assert_eq!(v["reference"]["analysts"], json!(["A", "B", "C"]));
    let st = &v["students"][0];
    assert_eq!(st["compared"], 3);
    assert!(st["exact_share"].is_null(), "no single key for a panel");
    close(&st["inside_share"], 1.0 / 3.0);
    close(&st["within_one_share"], 2.0 / 3.0);
    close(&st["mean_difference"], (-1.0 + 1.5 - 4.0) / 3.0);
    // Against the medians 3, 2.5, 4: s = 2 4 0, mean 2, var 8/3; r mean 9.5/3, var
    // 7/18; (mean_s − mean_r)² = 49/36; expected = 159/36, observed = 19.25/3 = 231/36;
    // κ = 1 − 231/159 = −72/159.
    close(&st["weighted_kappa"], -72.0 / 159.0);
    let d = st["largest_disagreements"].as_array().unwrap();
    assert_eq!(d[0]["mechanism"], "m1");
    close(&d[0]["distance"], 4.0);
    assert_eq!(d[1]["range"], json!([2.0, 3.0]));
    assert_eq!(d[1]["reference"].as_array().unwrap().len(), 2);

    let o = run(&[
        "feedback",
        s.to_str().unwrap(),
        "--reference",
        panel.to_str().unwrap(),
    ]);
    let text = stdout(&o);
    assert!(
        text.contains("panel of 3 analysts") && text.contains("inside"),
        "{text}"
    );
    assert!(text.contains("panel 2–3"), "{text}");
}

#[test]
fn another_framework_or_other_mechanisms_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let k = key(dir.path());
    let text = std::fs::read_to_string(s1(dir.path())).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    // c1 on 0–5, m4 gone.
    v["framework"]["groups"][2]["criteria"][0]["scale"]["max"] = json!(5);
    v["framework"]["groups"][2]["criteria"][0]["scale"]["anchors"]
        .as_array_mut()
        .unwrap()
        .push(json!({"value": 5, "label": "5", "descriptor": ""}));
    v["mechanisms"].as_array_mut().unwrap().pop();
    let other = dir.path().join("other.json");
    std::fs::write(&other, serde_json::to_string(&v).unwrap()).unwrap();
    let o = run(&[
        "feedback",
        other.to_str().unwrap(),
        "--reference",
        k.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("criterion “c1” is scored 0–5 here and 0–4 in the reference"),
        "{err}"
    );
    assert!(
        err.contains("mechanisms of the reference missing here: “m4”"),
        "{err}"
    );
}

#[test]
fn exercise_leaves_out_the_reference_unless_kept() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_path();
    let out = dir.path().join("ex.json");
    let o = run(&[
        "exercise",
        sample.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(
        said.contains("Left out of the exercise:") && said.contains("the description"),
        "{said}"
    );
    let ex: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(&sample).unwrap()).unwrap();
    assert_eq!(ex["scores"], json!([]));
    assert_eq!(ex["notes"], json!([]));
    assert_eq!(ex["scenarios"], json!([]));
    assert_eq!(ex["project"]["description"], "");
    assert_eq!(ex["analysts"][0]["id"], "student");
    assert_eq!(ex["framework"], reference["framework"]);
    assert_eq!(ex["mechanisms"], reference["mechanisms"]);

    // Not over an existing file without --force.
    let again = run(&[
        "exercise",
        sample.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));

    let kept = dir.path().join("kept.json");
    let o = run(&[
        "exercise",
        sample.to_str().unwrap(),
        "--out",
        kept.to_str().unwrap(),
        "--keep-description",
        "--keep-notes",
        "--keep-scenarios",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let k: Value = serde_json::from_str(&std::fs::read_to_string(&kept).unwrap()).unwrap();
    assert_eq!(k["notes"], reference["notes"]);
    assert_eq!(k["scenarios"], reference["scenarios"]);
    assert_eq!(
        k["project"]["description"],
        reference["project"]["description"]
    );
    assert_eq!(k["scores"], json!([]));

    // The exercise compares with its reference: nothing scored yet.
    let (code, v) = feedback_json(&[
        "feedback",
        out.to_str().unwrap(),
        "--reference",
        sample.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(v["students"][0]["scored"], 0);
}

#[test]
fn a_reference_without_scores_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = project(dir.path(), "empty-key.json", &["a"], &[]);
    let s = s1(dir.path());
    let o = run(&[
        "feedback",
        s.to_str().unwrap(),
        "--reference",
        empty.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the reference holds no scores to compare with"),
        "{}",
        stderr(&o)
    );
}
