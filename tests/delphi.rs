//! Delphi feedback with reasons (docs/workshop.md, "Reasons between rounds"): a
//! round-2 package carries the other analysts' rationales for the cells the closed
//! round left to discuss — anonymised, never the analyst's own, never a cell the group
//! agreed on, never a text that names an analyst; the seal covers what it covered;
//! merge takes nothing from them; the app shows them beside the analyst's own.

mod common;

use common::*;
use policy_workbench::edit::{self, Command};
use policy_workbench::model::*;
use policy_workbench::persist;
use policy_workbench::workshop::*;

fn apply(p: &mut Project, cmd: Command) {
    edit::apply(p, cmd).unwrap_or_else(|e| panic!("{e}"));
}

const ANALYSTS: [(&str, &str); 3] = [
    ("analyst-1", "Alice Martin"),
    ("analyst-2", "Bruno Costa"),
    ("analyst-3", "Chen Wei"),
];

fn score(v: f64, why: &str) -> Option<Score> {
    Some(Score {
        value: ScoreValue::Value(v),
        rationale: why.into(),
        confidence: Confidence::Moderate,
        ..Score::default()
    })
}

/// The sample cut to two mechanisms, three analysts who scored three cells of round
/// 1, and round 2 started. Cell X (m0, c0) is disputed (0, 4, 2), Y (m0, c1) agreed
/// (2, 2, 2), Z (m1, c0) disputed (0, 4, 4) with one rationale naming an analyst.
fn master() -> (Project, [(String, String); 3]) {
    let mut p = persist::load_path(&sample_path()).unwrap().project;
    let drop: Vec<String> = p.mechanisms[2..].iter().map(|m| m.id.clone()).collect();
    for id in drop {
        apply(&mut p, Command::RemoveMechanism(id));
    }
    let old: Vec<String> = p.analysts.iter().map(|a| a.id.clone()).collect();
    for (id, name) in ANALYSTS {
        apply(
            &mut p,
            Command::AddAnalyst(Analyst {
                id: id.into(),
                name: name.into(),
                note: String::new(),
            }),
        );
    }
    for id in old {
        apply(&mut p, Command::RemoveAnalyst(id));
    }
    if let Some(cmd) = package_key_command(&p) {
        apply(&mut p, cmd);
    }
    let m: Vec<String> = p.mechanisms.iter().map(|m| m.id.clone()).collect();
    let c: Vec<String> = p.framework.criteria().map(|(_, c)| c.id.clone()).collect();
    let x = (m[0].clone(), c[0].clone());
    let y = (m[0].clone(), c[1].clone());
    let z = (m[1].clone(), c[0].clone());
    let k = |a: &str, cell: &(String, String)| ScoreKey::new(a, &cell.0, &cell.1);
    let cells = vec![
        (k("analyst-1", &x), score(0.0, "No agreement in force.")),
        (
            k("analyst-2", &x),
            score(4.0, "Treaty in force since 2019."),
        ),
        (
            k("analyst-3", &x),
            score(2.0, "A memorandum, not a treaty."),
        ),
        (k("analyst-1", &y), score(2.0, "Agreed A.")),
        (k("analyst-2", &y), score(2.0, "Agreed B.")),
        (k("analyst-3", &y), score(2.0, "Agreed C.")),
        (k("analyst-1", &z), score(0.0, "Nothing documented.")),
        (
            k("analyst-2", &z),
            score(4.0, "As Chen Wei showed, joint patrols."),
        ),
        (
            k("analyst-3", &z),
            score(4.0, "Joint patrols reported in 2021."),
        ),
    ];
    apply(&mut p, Command::SetScores { cells });
    apply(
        &mut p,
        Command::StartRound {
            name: String::new(),
        },
    );
    (p, [x, y, z])
}

#[test]
fn round_two_packages_carry_the_others_reasons_for_the_cells_to_discuss() {
    let (m, [x, y, z]) = master();
    let built = make_package(&m, "analyst-1", &PackageOptions::default()).unwrap();
    let pk = built.project.workshop.package.as_ref().unwrap();
    let of = |cell: &(String, String)| -> Vec<&str> {
        pk.reasons
            .iter()
            .filter(|r| r.mechanism == cell.0 && r.criterion == cell.1)
            .map(|r| r.rationale.as_str())
            .collect()
    };
    // X: the two others, sorted by text (not by analyst); not the analyst's own.
    assert_eq!(
        of(&x),
        vec!["A memorandum, not a treaty.", "Treaty in force since 2019."]
    );
    // Y was agreed: nothing to discuss.
    assert!(of(&y).is_empty());
    // Z: the reason that names an analyst is left out, with a warning.
    assert_eq!(of(&z), vec!["Joint patrols reported in 2021."]);
    assert!(
        built
            .warnings
            .iter()
            .any(|w| w.contains("1 reason(s)") && w.contains("name an analyst")),
        "{:?}",
        built.warnings
    );
    // Anonymised: no other analyst's id or name anywhere in the file.
    let text = persist::to_canonical_string(&built.project);
    for (id, name) in &ANALYSTS[1..] {
        assert!(!text.contains(id) && !text.contains(name), "{id} leaks");
    }
    // Analyst 2 gets analyst 1's and 3's reasons for X.
    let b = make_package(&m, "analyst-2", &PackageOptions::default()).unwrap();
    let pk2 = b.project.workshop.package.unwrap();
    assert!(
        pk2.reasons
            .iter()
            .any(|r| r.rationale == "No agreement in force.")
    );
    assert!(!pk2.reasons.iter().any(|r| r.rationale.contains("2019")));
}

#[test]
fn a_first_round_package_has_no_reasons_and_files_without_them_load_unchanged() {
    let (mut m, _) = master();
    m.workshop.rounds.clear();
    let built = make_package(&m, "analyst-1", &PackageOptions::default()).unwrap();
    let pk = built.project.workshop.package.as_ref().unwrap();
    assert!(pk.reasons.is_empty());
    assert!(!persist::to_canonical_string(&built.project).contains("\"reasons\""));
}

#[test]
fn the_seal_covers_what_it_covered_and_merge_ignores_the_reasons() {
    let (m, [x, ..]) = master();
    let mut pkg = make_package(&m, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    let pk = pkg.workshop.package.clone().unwrap();
    let key = m.workshop.package_key.as_deref().unwrap();
    assert_eq!(
        pk.seal.as_deref(),
        Some(seal(key, "analyst-1", 2, &fingerprint(&m)).as_str())
    );
    // The reasons survive the file.
    let text = persist::to_canonical_string(&pkg);
    assert!(text.contains("\"reasons\""));
    assert_eq!(persist::load_str(&text).unwrap().project, pkg);
    // The analyst revises X; an edited reason changes nothing in the merge.
    apply(
        &mut pkg,
        Command::SetScore {
            key: ScoreKey::new("analyst-1", &x.0, &x.1),
            score: score(2.0, "Moved to 2: the memorandum argument convinced me."),
        },
    );
    // A marker no project text contains.
    let marker = "reason-edited-in-the-package-7f3a";
    pkg.workshop.package.as_mut().unwrap().reasons[0].rationale = marker.into();
    let out = merge(&m, &[pkg], &MergePolicy::default()).unwrap();
    assert_eq!(out.summary[0].conflicts, 0);
    assert!(out.project.workshop.package.is_none());
    assert!(!persist::to_canonical_string(&out.project).contains(marker));
    assert_eq!(
        out.project.scores[&ScoreKey::new("analyst-1", &x.0, &x.1)].value,
        ScoreValue::Value(2.0)
    );
}

#[test]
fn the_loader_checks_the_reasons() {
    let (m, _) = master();
    let pkg = make_package(&m, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    let mut doc: serde_json::Value =
        serde_json::from_str(&persist::to_canonical_string(&pkg)).unwrap();
    doc["workshop"]["package"]["reasons"][0]["criterion"] = "no-such-criterion".into();
    let e = persist::load_str(&doc.to_string()).unwrap_err().to_string();
    assert!(e.contains("workshop.package.reasons[0].criterion"), "{e}");
}

#[cfg(feature = "gui")]
#[test]
fn the_app_shows_the_reasons_beside_the_analysts_own() {
    use egui_kittest::kittest::Queryable;
    let (m, [x, y, _]) = master();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("analyst-1.json");
    let pkg = make_package(&m, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    persist::save_path(&path, &pkg).unwrap();
    let mut app = policy_workbench::app::App::new(dir.path().join("data"));
    app.start(Some(&path));
    app.view.mechanism = Some(x.0.clone());
    app.view.criterion = Some(x.1.clone());
    let mut h = common::ui::harness(app);
    assert!(
        h.query_by_label_contains("Other analysts' reasons in round 1")
            .is_some()
    );
    assert!(h.query_by_label("Treaty in force since 2019.").is_some());
    assert!(h.query_by_label("A memorandum, not a treaty.").is_some());
    // The analyst's own rationale is in the editor beside them.
    assert!(
        h.query_by_label_contains("No agreement in force.")
            .is_some()
            || h.query_all_by_value("No agreement in force.")
                .next()
                .is_some()
    );
    // An agreed cell shows no reasons.
    h.state_mut().view.criterion = Some(y.1.clone());
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Other analysts' reasons")
            .is_none()
    );
}
