//! The file format: schema, round trip, canonical form, migrations (golden files).

mod common;

use common::*;
use policy_workbench::{bundled, persist};
use serde_json::Value;

fn schema_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/project.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn sample_and_templates_match_the_published_schema() {
    let v = schema_validator();
    for f in [
        "sample_projects/china-police-cooperation.json",
        "templates/lemieux.json",
        "templates/blank.json",
        "tests/fixtures/hand.json",
    ] {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(root().join(f)).unwrap()).unwrap();
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{f}: {errors:#?}");
    }
}

#[test]
fn bundled_files_are_canonical_byte_for_byte() {
    for f in [
        "sample_projects/china-police-cooperation.json",
        "templates/lemieux.json",
        "templates/blank.json",
        "tests/fixtures/hand.json",
    ] {
        let text = std::fs::read_to_string(root().join(f)).unwrap();
        let p = persist::load_str(&text)
            .unwrap_or_else(|e| panic!("{f}: {e}"))
            .project;
        let again = persist::to_canonical_string(&p);
        assert!(
            again == text,
            "{f} is not canonical; run `policy-workbench fmt {f}`"
        );
    }
}

#[test]
fn round_trip_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = bundled::sample();
    let path = dir.path().join("s.json");
    persist::save_path(&path, &p).unwrap();
    let back = persist::load_path(&path).unwrap().project;
    assert_eq!(back, p);
}

#[test]
fn one_changed_score_is_one_small_hunk() {
    let mut p = bundled::sample();
    let before = persist::to_canonical_string(&p);
    let key = p.scores.keys().nth(5).unwrap().clone();
    p.scores
        .get_mut(&key)
        .unwrap()
        .rationale
        .push_str(" Changed.");
    let after = persist::to_canonical_string(&p);
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    assert_eq!(a.len(), b.len());
    let changed = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert_eq!(changed, 1);
}

#[test]
fn golden_files_of_every_version_still_open() {
    let dir = root().join("tests/golden");
    let mut seen = Vec::new();
    for v in 1..=persist::CURRENT_VERSION {
        let path = dir.join(format!("v{v}.json"));
        let loaded =
            persist::load_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(loaded.from_version, v);
        assert!(!loaded.project.mechanisms.is_empty());
        seen.push(v);
    }
    assert_eq!(seen.len() as u64, persist::CURRENT_VERSION);
}

#[test]
fn failed_save_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keep.json");
    std::fs::write(&path, "old contents").unwrap();
    let mut p = bundled::sample();
    // A dangling reference makes the project unsaveable: the check catches it first.
    p.mechanisms[0].facts.push(policy_workbench::model::Fact {
        text: "x".into(),
        sources: vec!["no-such-source".into()],
    });
    let e = persist::save_path(&path, &p).unwrap_err();
    assert!(e.to_string().contains("not changed"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old contents");
}
