//! Requirement gates wherever ranks are compared: a fixture scenario that pushes a
//! viable mechanism below a gate (tests/fixtures/gates.json), read through the
//! comparison, its JSON, the `compare` command, `analyze` and the report; and the
//! Lemieux template and the sample, whose three requirements are all gates.
//!
//! The fixture is tests/fixtures/scenarios.json cut to four mechanisms, with a gate
//! "at least 1" on r1 ('Legal basis'). Groups Requirements (r1), Responsibility (o1),
//! Influence (i1), Concerns (c1, c2, cost), weight 1 each; total = (R + O + I +
//! (100 − C)) / 4.
//!
//! | mech.   | r1 o1 i1 c1 c2 | R   O   I   C    | total  | rank | viable |
//! |---------|----------------|------------------|--------|------|--------|
//! | Alpha   | 4  4  2  4  3  | 100 100 50 87.5  | 65.625 | 2    | yes    |
//! | Bravo   | 2  2  4  0  0  | 50  50  100 0    | 75     | 1    | yes    |
//! | Charlie | 0  2  2  2  2  | 0   50  50  50   | 37.5   | 4    | no     |
//! | Delta   | 0  3  2  1  1  | 0   75  50  25   | 50     | 3    | no     |
//!
//! Scenario g1 "Legal basis moves": Alpha's r1 falls 4 → 0 (R 0: (0 + 100 + 50 + 12.5)/4
//! = 40.625, rank 4, fails the gate); Charlie's r1 rises 0 → 2 (R 50: 200/4 = 50, rank
//! 2, meets it). Delta is unchanged (50, rank 2 level with Charlie, fails on both sides);
//! Bravo stays first and viable.

mod common;

use common::*;
use policy_workbench::compute::compare::{self, Comparison};
use policy_workbench::compute::gates::Viability;
use policy_workbench::compute::{self, Selection};
use policy_workbench::model::{Criterion, Project, Score, ScoreKey, ScoreValue};
use serde_json::Value;

fn project() -> Project {
    policy_workbench::persist::load_path(&fixture("gates.json"))
        .expect("the fixture loads")
        .project
}

fn sel(id: Option<&str>) -> Selection {
    Selection {
        scenario: id.map(str::to_string),
        ..Selection::default()
    }
}

fn comparison(p: &Project) -> Comparison {
    compare::compare(p, &sel(None), &sel(Some("g1"))).expect("g1 exists")
}

const ALPHA: &str = "becomes not viable: fails 'Legal basis' (0 < 1)";
const CHARLIE: &str = "becomes viable: no longer fails 'Legal basis' (0 < 1 in the baseline)";
const DELTA: &str = "not viable on both sides: fails 'Legal basis' (0 < 1)";

#[test]
fn a_scenario_that_pushes_a_mechanism_below_a_gate_by_hand() {
    let p = project();
    let c = comparison(&p);
    let m = |id: &str| c.mechanism(id).unwrap();
    // Totals and ranks as computed by hand above.
    let a = m("a");
    assert_eq!(a.baseline.as_ref().unwrap().rank, Some(2));
    assert_eq!(a.scenario.as_ref().unwrap().rank, Some(4));
    assert!((a.scenario.as_ref().unwrap().total.unwrap() - 40.625).abs() < 1e-9);
    assert!(a.baseline.as_ref().unwrap().viable);
    assert!(!a.scenario.as_ref().unwrap().viable);
    let g = &a.scenario.as_ref().unwrap().failed_gates;
    assert_eq!(g.len(), 1);
    assert_eq!(
        (g[0].criterion_id.as_str(), g[0].criterion_name.as_str()),
        ("r1", "Legal basis")
    );
    assert_eq!((g[0].value, g[0].at_least), (0.0, 1.0));

    assert_eq!(a.viability(), Viability::BecomesNotViable);
    assert_eq!(a.viability_text().as_deref(), Some(ALPHA));
    assert_eq!(m("c").viability(), Viability::BecomesViable);
    assert_eq!(m("c").viability_text().as_deref(), Some(CHARLIE));
    assert_eq!(m("d").viability(), Viability::NotViableBoth);
    assert_eq!(m("d").viability_text().as_deref(), Some(DELTA));
    assert_eq!(m("b").viability(), Viability::Viable);
    assert_eq!(m("b").viability_text(), None);

    // The explanations end with the viability, as a sentence.
    let text = |id: &str| c.explanation(id).unwrap().text.clone();
    let alpha = text("a");
    assert!(
        alpha.starts_with("Rank 2 → 4, total 66 → 41 (−25): its 'Legal basis' score fell 4 → 0"),
        "{alpha}"
    );
    assert!(
        alpha.ends_with(" Becomes not viable: fails 'Legal basis' (0 < 1)."),
        "{alpha}"
    );
    assert!(
        text("c")
            .ends_with(" Becomes viable: no longer fails 'Legal basis' (0 < 1 in the baseline)."),
        "{}",
        text("c")
    );
    assert!(
        text("d").ends_with(" Not viable on both sides: fails 'Legal basis' (0 < 1)."),
        "{}",
        text("d")
    );
    assert!(c.explanation("b").is_none(), "Bravo does not move");
}

#[test]
fn a_viability_change_alone_is_explained() {
    // Alpha's r1 falls 4 → 0 while its weight is 0: the total does not move, but the
    // gate still fails, and the comparison says so.
    let mut p = project();
    p.framework.groups[0].criteria[0].weight = 0.0;
    p.framework.groups[0].criteria.push({
        let mut c = Criterion::new("r2", "Shared norms");
        c.weight = 1.0;
        c
    });
    for m in ["a", "b", "c", "d"] {
        p.scores.insert(
            ScoreKey::new("a", m, "r2"),
            Score {
                value: ScoreValue::Value(2.0),
                ..Score::default()
            },
        );
    }
    let c = comparison(&p);
    let a = c.mechanism("a").unwrap();
    assert!(a.total_delta().unwrap().abs() < 1e-9);
    assert_eq!(a.viability(), Viability::BecomesNotViable);
    let e = c.explanation("a").expect("a viability change is explained");
    assert!(
        e.text
            .ends_with("Becomes not viable: fails 'Legal basis' (0 < 1)."),
        "{}",
        e.text
    );
}

#[test]
fn comparison_json_names_the_gates_and_the_change() {
    let p = project();
    let j = comparison(&p).to_json(&p);
    let m = |id: &str| {
        j["mechanisms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    let a = m("a");
    assert_eq!(a["viability"], "becomes_not_viable");
    assert_eq!(a["viability_text"], ALPHA);
    assert_eq!(a["baseline"]["viable"], true);
    assert_eq!(a["baseline"]["failed_gates"], serde_json::json!([]));
    assert_eq!(a["scenario"]["viable"], false);
    assert_eq!(
        a["scenario"]["failed_gates"],
        serde_json::json!([{"criterion": "r1", "name": "Legal basis", "at_least": 1.0, "value": 0.0}])
    );
    assert_eq!(m("b")["viability"], "viable");
    assert_eq!(m("b")["viability_text"], Value::Null);
    assert_eq!(m("c")["viability"], "becomes_viable");
    assert_eq!(m("d")["viability"], "not_viable_both");
    assert_eq!(m("d")["viability_text"], DELTA);
}

#[test]
fn compare_command_prints_the_viability_of_each_mechanism() {
    let f = fixture("gates.json");
    let o = run(&["compare", f.to_str().unwrap(), "--scenarios", "base,g1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let row = |name: &str| {
        out.lines()
            .find(|l| l.contains(&format!(" {name}")) && l.contains("  ") && !l.contains(':'))
            .or_else(|| out.lines().find(|l| l.contains(&format!("  {name}  ["))))
            .unwrap_or_else(|| panic!("a row for {name}: {out}"))
            .to_string()
    };
    assert!(
        row("Alpha").ends_with(&format!("Alpha  [{ALPHA}]")),
        "{}",
        row("Alpha")
    );
    assert!(row("Charlie").ends_with(&format!("Charlie  [{CHARLIE}]")));
    assert!(row("Delta").ends_with(&format!("Delta  [{DELTA}]")));
    assert!(
        row("Bravo").trim_end().ends_with("Bravo"),
        "{}",
        row("Bravo")
    );
    assert!(out.contains("Not viable = fails a requirement gate"));
    assert!(
        out.contains("  Alpha: Rank 2 → 4, total 66 → 41 (−25)")
            && out.contains("Becomes not viable: fails 'Legal basis' (0 < 1)."),
        "{out}"
    );

    let o = run(&[
        "compare",
        f.to_str().unwrap(),
        "--scenarios",
        "base,g1",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let a = j["mechanisms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "a")
        .unwrap();
    assert_eq!(a["viability_text"], ALPHA);
    assert_eq!(a["scenario"]["failed_gates"][0]["name"], "Legal basis");
}

#[test]
fn analyze_names_the_failed_gate() {
    let f = fixture("gates.json");
    let o = run(&["analyze", f.to_str().unwrap(), "--scenario", "g1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let alpha = out.lines().find(|l| l.contains("Alpha")).unwrap();
    assert!(
        alpha.ends_with("Alpha  [not viable: fails 'Legal basis' (0 < 1)]"),
        "{alpha}"
    );
    let bravo = out.lines().find(|l| l.contains("Bravo")).unwrap();
    assert!(!bravo.contains("not viable"), "{bravo}");

    let o = run(&["analyze", f.to_str().unwrap(), "--scenario", "g1", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let alpha = j["mechanisms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "a")
        .unwrap();
    assert_eq!(alpha["viable"], false);
    assert_eq!(
        alpha["failed_gates"],
        serde_json::json!([{"criterion": "r1", "name": "Legal basis", "at_least": 1.0, "value": 0.0}])
    );
}

#[test]
fn report_comparison_says_how_viability_changes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.md");
    let f = fixture("gates.json");
    let o = run(&[
        "report",
        f.to_str().unwrap(),
        "--compare",
        "g1",
        "--no-charts",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(&out).unwrap();
    let section = &md[md
        .find("## Scenario comparison")
        .expect("a comparison section")..];
    // Markdown escapes "<" as "\<".
    let md_text = |s: &str| s.replace('<', "\\<");
    assert!(section.contains("**Viability.**"), "{section}");
    for (name, v) in [("Alpha", ALPHA), ("Charlie", CHARLIE), ("Delta", DELTA)] {
        assert!(
            section.contains(&format!("- **{name}** {}.", md_text(v))),
            "{name}: {section}"
        );
    }
    // The table's change column and the list of what moved carry it too.
    let alpha_row = section
        .lines()
        .find(|l| l.starts_with("| Alpha |"))
        .expect("Alpha's row");
    assert!(
        alpha_row.contains(&format!("down 2, total −25; {}", md_text(ALPHA))),
        "{alpha_row}"
    );
    assert!(section.contains(&format!(
        "- Alpha: rank 2 → 4, total 66 → 41 (−25); {}",
        md_text(ALPHA)
    )));
    assert!(!section.contains("- **Bravo**"), "Bravo stays viable");
}

#[test]
fn every_lemieux_requirement_is_a_gate_at_one() {
    let fws = [
        policy_workbench::persist::load_path(&root().join("templates/lemieux.json"))
            .unwrap()
            .project
            .framework,
        policy_workbench::bundled::sample().framework,
        policy_workbench::persist::load_path(&root().join("sample_projects/workshop-demo.json"))
            .unwrap()
            .project
            .framework,
    ];
    for fw in &fws {
        let req = fw
            .groups
            .iter()
            .find(|g| g.role == policy_workbench::model::Role::Requirement)
            .unwrap();
        assert_eq!(req.criteria.len(), 3);
        for c in &req.criteria {
            assert_eq!(c.gate.map(|g| g.at_least), Some(1.0), "{}", c.id);
            assert!(c.definition.contains("gate"), "{}: {}", c.id, c.definition);
            assert!(c.teaching.contains("gate"), "{}: {}", c.id, c.teaching);
        }
        for (_, c) in fw.criteria().filter(|(gi, _)| fw.groups[*gi].id != req.id) {
            assert!(c.gate.is_none(), "only requirements are gates: {}", c.id);
        }
    }
}

#[test]
fn on_the_sample_the_overseas_stations_fail_the_geopolitical_gate() {
    let p = policy_workbench::bundled::sample();
    let r = compute::analyze(&p, &sel(None)).unwrap();
    let not_viable: Vec<&str> = r
        .mechanisms
        .iter()
        .filter(|m| !m.viable())
        .map(|m| m.id.as_str())
        .collect();
    // No framework agreed with the host states: 0 on the geopolitical environment.
    assert_eq!(not_viable, ["overseas-police-stations"]);
    let c = compare::compare(&p, &sel(None), &sel(Some("europe-closes-stations"))).unwrap();
    let s = c.mechanism("overseas-police-stations").unwrap();
    assert_eq!(s.viability(), Viability::NotViableBoth);
    assert_eq!(
        s.viability_text().as_deref(),
        Some(
            "not viable on both sides: fails 'Geopolitical environment' (0 < 1) in the baseline, \
             'Geopolitical environment' (0 < 1) and 'Organisational structure' (0 < 1) in the scenario"
        )
    );
}
