//! Who speaks in a source (`origin`, `derived_from`), whose word a score rests on
//! (`basis`), and the coding rule of a criterion: reading older files, writing them back
//! unchanged, round trips through the file and the CSV sheet, and the basis suggestion.

mod common;

use common::*;
use policy_workbench::csv_io::{self, ExportOptions, ImportOptions};
use policy_workbench::edit;
use policy_workbench::model::*;
use policy_workbench::persist;
use serde_json::{Value, json};

fn hand() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("hand.json")).unwrap()).unwrap()
}

fn with_sources(mut v: Value) -> Value {
    v["sources"] = json!([
        { "id": "xinhua", "citation": "State news agency report", "link": "", "date": "",
          "reliability": "C", "credibility": 3, "note": "", "origin": "assessed_state" },
        { "id": "paper", "citation": "A paper relaying the ministry", "link": "", "date": "",
          "reliability": "B", "credibility": 2, "note": "", "origin": "independent_research",
          "derived_from": "xinhua" },
        { "id": "ngo", "citation": "NGO report", "link": "", "date": "",
          "reliability": "B", "credibility": 2, "note": "", "origin": "advocacy" },
        { "id": "old", "citation": "Unclassified", "link": "", "date": "",
          "reliability": "F", "credibility": 6, "note": "" }
    ]);
    v
}

/// The bundled sample says who speaks in every source and whose word every score
/// rests on (issue 16), and is written back byte for byte.
#[test]
fn the_sample_gives_every_source_an_origin_and_every_score_a_basis() {
    let text = policy_workbench::bundled::SAMPLE;
    let p = persist::load_str(text).unwrap().project;
    assert!(p.sources.iter().all(|s| s.origin != Origin::Unknown));
    for (k, s) in &p.scores {
        if !matches!(s.value, ScoreValue::NotAssessed) {
            assert_ne!(s.basis, Basis::Unknown, "{k:?}");
            assert!(!s.sources.is_empty(), "{k:?}");
        }
        assert!(s.rationale_for.is_none(), "{k:?}");
    }
    for sc in &p.scenarios {
        for o in &sc.score_overrides {
            assert_ne!(o.score.basis, Basis::Unknown);
        }
    }
    // A relayed source points at its original.
    let relay = p
        .sources
        .iter()
        .find(|s| s.id == "interpol-2017-09-29")
        .unwrap();
    assert_eq!(relay.derived_from.as_deref(), Some("xi-2017-09-26"));
    assert_eq!(persist::to_canonical_string(&p), text);
}

#[test]
fn older_files_read_as_unknown_and_are_written_back_byte_identical() {
    // A file written before `basis` and `origin` existed (the sample now has both).
    {
        let text = std::fs::read_to_string(root().join("tests/golden/v2.json")).unwrap();
        let loaded = persist::load_str(&text).unwrap();
        let p = &loaded.project;
        assert!(p.sources.iter().all(|s| s.derived_from.is_none()));
        assert!(
            p.scores
                .values()
                .all(|s| s.basis == Basis::Unknown && s.rationale_for.is_none())
        );
        let again = persist::to_canonical_string(p);
        let reread = persist::load_str(&again).unwrap().project;
        assert_eq!(&reread, p);
        assert_eq!(again, text, "written back byte for byte");
        assert!(
            !again.contains("\"basis\""),
            "an unknown basis is not written"
        );
        assert!(!again.contains("\"rationale_for\""));
    }
    // A version 1 file migrates; its sources are of unknown origin.
    let v1 = std::fs::read_to_string(root().join("tests/golden/v1.json")).unwrap();
    let p = persist::load_str(&v1).unwrap().project;
    assert!(p.sources.iter().all(|s| s.origin == Origin::Unknown));
    assert!(p.scores.values().all(|s| s.basis == Basis::Unknown));
}

#[test]
fn origin_basis_and_coding_round_trip_through_the_file() {
    let mut v = with_sources(hand());
    v["scores"][0]["basis"] = json!("claim");
    v["scores"][0]["sources"] = json!(["xinhua"]);
    v["scores"][1]["basis"] = json!("mixed");
    v["scores"][1]["rationale_for"] = json!(1);
    v["framework"]["groups"][0]["criteria"][0]["coding"] =
        json!("0 when nothing is shared; not applicable when…");
    let p = persist::convert_checked(&v).unwrap();
    assert_eq!(p.sources[0].origin, Origin::AssessedState);
    assert_eq!(p.sources[1].derived_from.as_deref(), Some("xinhua"));
    assert_eq!(p.sources[3].origin, Origin::Unknown);
    let first = p.scores.values().find(|s| s.basis == Basis::Claim).unwrap();
    assert_eq!(first.sources, ["xinhua"]);
    assert!(
        p.scores
            .values()
            .any(|s| s.basis == Basis::Mixed && s.rationale_for == Some(ScoreValue::Value(1.0)))
    );
    assert!(
        p.framework.groups[0].criteria[0]
            .coding
            .starts_with("0 when")
    );
    let text = persist::to_canonical_string(&p);
    assert!(text.contains("\"origin\": \"assessed_state\""));
    assert!(text.contains("\"derived_from\": \"xinhua\""));
    assert!(
        !text.contains("\"origin\": \"unknown\""),
        "unknown is not written"
    );
    let back = persist::load_str(&text).unwrap().project;
    assert_eq!(back, p);
}

#[test]
fn a_dangling_or_self_derivation_and_an_unknown_word_are_refused() {
    let mut v = with_sources(hand());
    v["sources"][1]["derived_from"] = json!("nowhere");
    let e = persist::convert_checked(&v).unwrap_err();
    assert!(
        e.iter()
            .any(|p| p.pointer == "/sources/1/derived_from" && p.message.contains("nowhere")),
        "{e:?}"
    );
    let mut v = with_sources(hand());
    v["sources"][1]["derived_from"] = json!("paper");
    assert!(persist::convert_checked(&v).is_err());
    let mut v = with_sources(hand());
    v["scores"][0]["basis"] = json!("said");
    assert!(persist::load_str(&v.to_string()).is_err());
}

#[test]
fn the_basis_suggestion_for_each_origin_case() {
    use Origin::*;
    let s = suggest_basis;
    assert_eq!(s(&[]), Basis::Unknown, "no sources");
    assert_eq!(s(&[AssessedState]), Basis::Claim);
    assert_eq!(s(&[AssessedState, AssessedState]), Basis::Claim);
    for independent in [
        PartnerGovernment,
        InternationalOrg,
        IndependentResearch,
        Press,
        Advocacy,
    ] {
        assert_eq!(s(&[independent]), Basis::Documented, "{independent:?}");
        assert_eq!(
            s(&[AssessedState, independent]),
            Basis::Mixed,
            "{independent:?}"
        );
        assert_eq!(
            s(&[independent, Unknown]),
            Basis::Unknown,
            "an unknown source leaves it open"
        );
    }
    assert_eq!(s(&[Unknown]), Basis::Unknown);
    assert_eq!(s(&[AssessedState, Unknown]), Basis::Unknown);
    assert_eq!(s(&[AssessedState, Press, Unknown]), Basis::Mixed);

    // A research paper relaying the state's statement is the state's word.
    let p = persist::convert_checked(&with_sources(hand())).unwrap();
    assert_eq!(p.origin_of("paper"), AssessedState);
    assert_eq!(p.origin_of("ngo"), Advocacy);
    assert_eq!(p.origin_of("missing"), Unknown);
    assert_eq!(p.suggested_basis(&["paper".into()]), Basis::Claim);
    assert_eq!(
        p.suggested_basis(&["paper".into(), "ngo".into()]),
        Basis::Mixed
    );
    assert_eq!(p.suggested_basis(&["ngo".into()]), Basis::Documented);
}

#[test]
fn a_kept_rationale_remembers_the_value_it_was_written_for() {
    let old = Score {
        value: ScoreValue::Value(3.0),
        rationale: "Written for 3.".into(),
        ..Score::default()
    };
    let moved = old.edited(Score {
        value: ScoreValue::Value(1.0),
        ..old.clone()
    });
    assert_eq!(moved.rationale_for, Some(ScoreValue::Value(3.0)));
    let moved_again = moved.edited(Score {
        value: ScoreValue::Value(2.0),
        ..moved.clone()
    });
    assert_eq!(moved_again.rationale_for, Some(ScoreValue::Value(3.0)));
    let back = moved_again.edited(Score {
        value: ScoreValue::Value(3.0),
        ..moved_again.clone()
    });
    assert_eq!(back.rationale_for, None, "back where it was written");
    let rewritten = moved.edited(Score {
        rationale: "Now written for 1.".into(),
        ..moved.clone()
    });
    assert_eq!(rewritten.rationale_for, None);
}

#[test]
fn the_csv_sheet_carries_the_basis_both_ways() {
    let mut v = with_sources(hand());
    v["scores"][0]["basis"] = json!("documented");
    let p = persist::convert_checked(&v).unwrap();
    let text = csv_io::export(&p, &ExportOptions::default()).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.ends_with(",basis"), "{header}");
    assert!(text.contains(",documented\r\n"));
    let same = csv_io::import(&p, text.as_bytes(), &ImportOptions::default()).unwrap();
    assert!(same.changes.is_empty(), "{:#?}", same.changes);

    // Change the basis in the sheet: the import changes that cell's basis only.
    let edited = text.replacen(",documented\r\n", ",claim\r\n", 1);
    let preview = csv_io::import(&p, edited.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(preview.changes.len(), 1);
    let change = &preview.changes[0];
    assert!(change.describe().contains("basis documented → claim"));
    let mut q = p.clone();
    edit::apply(&mut q, preview.command().unwrap()).unwrap();
    let s = q.scores.get(&change.key).unwrap();
    assert_eq!(s.basis, Basis::Claim);
    assert_eq!(s.value, p.scores[&change.key].value);

    let bad = text.replacen(",documented\r\n", ",hearsay\r\n", 1);
    let refused = csv_io::import(&p, bad.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(
        refused
            .iter()
            .any(|x| x.to_string().contains("not a basis")),
        "{:?}",
        refused
    );
}

#[test]
fn every_criterion_of_the_lemieux_template_and_the_sample_has_a_coding_rule() {
    let template = policy_workbench::bundled::TEMPLATES
        .iter()
        .find(|(id, _)| *id == "lemieux")
        .map(|(_, t)| *t)
        .expect("the Lemieux template is bundled");
    for (name, text) in [
        ("template", template),
        ("sample", policy_workbench::bundled::SAMPLE),
    ] {
        let p = persist::load_str(text).unwrap().project;
        assert_eq!(p.framework.criterion_count(), 12, "{name}");
        for (_, c) in p.framework.criteria() {
            for part in ["0:", "Not applicable:", "Not assessed:", "Example:"] {
                assert!(
                    c.coding.contains(part),
                    "{name}: the coding rule of {} says {part}",
                    c.id
                );
            }
        }
    }
}

/// One objective group of two criteria weighted 3 and 1; mechanism "a" scores 4
/// (documented) and 0 (claim), mechanism "b" 2 (mixed) and 4 (unknown).
fn two_bases() -> Project {
    let mut c1 = Criterion::new("c1", "C1");
    c1.weight = 3.0;
    let c2 = Criterion::new("c2", "C2");
    let mut p = Project {
        framework: Framework {
            id: "f".into(),
            name: "F".into(),
            description: String::new(),
            groups: vec![Group {
                id: "obj".into(),
                name: "Objective".into(),
                role: Role::Objective,
                weight: 1.0,
                description: String::new(),
                criteria: vec![c1, c2],
            }],
            ..Framework::default()
        },
        analysts: vec![Analyst {
            id: "ana".into(),
            name: "Ana".into(),
            note: String::new(),
        }],
        mechanisms: vec![Mechanism::new("a", "A"), Mechanism::new("b", "B")],
        ..Project::default()
    };
    p.info.title = "Two bases".into();
    for (m, c, v, basis) in [
        ("a", "c1", 4.0, Basis::Documented),
        ("a", "c2", 0.0, Basis::Claim),
        ("b", "c1", 2.0, Basis::Mixed),
        ("b", "c2", 4.0, Basis::Unknown),
    ] {
        p.scores.insert(
            ScoreKey::new("ana", m, c),
            Score {
                value: ScoreValue::Value(v),
                basis,
                ..Score::default()
            },
        );
    }
    p
}

#[test]
fn the_documented_only_analysis_on_a_hand_computed_project() {
    use policy_workbench::compute::{self, Selection};
    let p = two_bases();
    let all = compute::analyze(&p, &Selection::default()).unwrap();
    // a: (3·4/4 + 1·0/4) / 4 = 75; b: (3·0.5 + 1·1) / 4 = 62.5.
    assert_eq!(all.mechanisms[0].groups[0].index, Some(75.0));
    assert_eq!(all.mechanisms[1].groups[0].index, Some(62.5));
    let doc = Selection {
        documented_only: true,
        ..Selection::default()
    };
    let d = compute::analyze(&p, &doc).unwrap();
    // Only c1 counts (coverage 3/4 ≥ 1/2): a = 100, b = 50.
    assert_eq!(d.mechanisms[0].groups[0].index, Some(100.0));
    assert_eq!(d.mechanisms[0].groups[0].coverage, 0.75);
    assert_eq!(d.mechanisms[1].groups[0].index, Some(50.0));
    assert_eq!(d.mechanisms[0].rank, Some(1));

    let side = compute::basis::appear_or_be(&p, &Selection::default()).unwrap();
    let a = &side[0].groups[0];
    assert_eq!((a.all, a.documented), (Some(75.0), Some(100.0)));
    assert_eq!((a.claim, a.unknown), (0.25, 0.0));
    let b = &side[1].groups[0];
    assert_eq!((b.all, b.documented), (Some(62.5), Some(50.0)));
    assert_eq!((b.claim, b.unknown), (0.0, 0.25));
    assert_eq!(side[0].total_documented, Some(100.0));

    // The command line computes everything on that basis.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("two.json");
    persist::save_path(&f, &p).unwrap();
    let o = run(&[
        "analyze",
        f.to_str().unwrap(),
        "--basis",
        "documented",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["basis"], "documented");
    assert_eq!(v["mechanisms"][0]["groups"]["obj"]["index"], 100.0);
    assert_eq!(v["mechanisms"][1]["groups"]["obj"]["index"], 50.0);
    let o = run(&["analyze", f.to_str().unwrap(), "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["basis"], "all");
    assert_eq!(v["mechanisms"][0]["groups"]["obj"]["index"], 75.0);
    assert_eq!(v["mechanisms"][0]["groups"]["obj"]["claim_share"], 0.25);
    assert_eq!(v["mechanisms"][1]["groups"]["obj"]["unknown_share"], 0.25);
    let o = run(&["analyze", f.to_str().unwrap(), "--basis", "documented"]);
    assert!(stdout(&o).contains("documented and mixed scores only"));
}

#[test]
fn the_claimed_vs_documented_chart_draws_both_totals() {
    use policy_workbench::charts::{self, ChartInput, ChartKind, ChartOptions};
    use policy_workbench::compute::{self, Selection};
    let p = two_bases();
    let sel = Selection::default();
    let matrix = compute::effective_matrix(&p, &sel).unwrap();
    let results = compute::analyze(&p, &sel).unwrap();
    let input = ChartInput {
        project: &p,
        matrix: &matrix,
        results: &results,
        title_suffix: None,
    };
    let mut o = ChartOptions::new(ChartKind::ClaimedDocumented);
    o.width = 900;
    o.height = 500;
    let svg = charts::render_svg(&input, &o).unwrap();
    assert!(svg.contains("Claimed vs documented"));
    assert!(
        svg.contains("claims 25% · unknown 0%"),
        "A: a quarter on claims"
    );
    assert!(
        svg.contains("claims 0% · unknown 25%"),
        "B: a quarter unknown"
    );
    assert!(!svg.contains("no documented total"));
    // Two dumbbells: a ring and a dot each.
    assert!(svg.matches("<circle").count() >= 4, "{svg}");
}

#[test]
fn a_cell_carries_the_basis_of_its_numbers_for_the_matrix_mark() {
    use policy_workbench::compute::{self, Selection};
    let mut p = two_bases();
    let m = compute::effective_matrix(&p, &Selection::default()).unwrap();
    let bases: Vec<Option<Basis>> = m.cells.iter().flatten().map(|c| c.basis).collect();
    assert_eq!(
        bases,
        [
            Some(Basis::Documented),
            Some(Basis::Claim),
            Some(Basis::Mixed),
            Some(Basis::Unknown)
        ]
    );
    // A second analyst: a claim beside a documented score is mixed; beside an
    // unknown one, unknown.
    p.analysts.push(Analyst {
        id: "bo".into(),
        name: "Bo".into(),
        note: String::new(),
    });
    for (mech, c) in [("a", "c1"), ("b", "c2")] {
        p.scores.insert(
            ScoreKey::new("bo", mech, c),
            Score {
                value: ScoreValue::Value(1.0),
                basis: Basis::Claim,
                ..Score::default()
            },
        );
    }
    let m = compute::effective_matrix(&p, &Selection::default()).unwrap();
    assert_eq!(m.cells[0][0].basis, Some(Basis::Mixed));
    assert_eq!(m.cells[1][1].basis, Some(Basis::Unknown));
}

#[test]
fn the_semantic_diff_names_a_changed_basis_and_coding_rule() {
    let a = two_bases();
    let mut b = two_bases();
    b.scores
        .get_mut(&ScoreKey::new("ana", "a", "c2"))
        .unwrap()
        .basis = Basis::Documented;
    b.framework.groups[0].criteria[0].coding = "0 when nothing is shared.".into();
    let lines: Vec<String> = policy_workbench::compute::diff::diff(&a, &b)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        lines.iter().any(|l| l.contains("basis claim → documented")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("coding rule")),
        "{lines:#?}"
    );
}
