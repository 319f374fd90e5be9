//! The check of an assessment: each rule firing on a crafted project and quiet on a
//! clean one; acknowledgements kept in the file; `policy-workbench check` and its exit
//! codes.

mod common;

use common::*;
use policy_workbench::check::{self, Rule, Severity};
use policy_workbench::edit::{self, Command};
use policy_workbench::model::*;
use policy_workbench::persist;

fn criterion(id: &str, name: &str, direction: Direction) -> Criterion {
    let mut c = Criterion::new(id, name);
    c.direction = direction;
    c
}

fn group(id: &str, role: Role, criteria: Vec<Criterion>) -> Group {
    Group {
        id: id.into(),
        name: id.into(),
        role,
        weight: 1.0,
        description: String::new(),
        criteria,
    }
}

fn source(id: &str, origin: Origin, reliability: Reliability, credibility: u8) -> Source {
    Source {
        id: id.into(),
        citation: format!("Citation of {id}"),
        link: String::new(),
        date: String::new(),
        reliability,
        credibility,
        note: String::new(),
        origin,
        derived_from: None,
    }
}

const MECHANISMS: [&str; 3] = ["patrols", "treaty", "stations"];
const CRITERIA: [&str; 5] = ["structure", "citizens", "material", "harm", "opacity"];

/// A clean project: every cell scored 2 at moderate confidence with its own
/// rationale and an independent, well-graded source; no gate failed, every index
/// computed.
fn clean() -> Project {
    let mut structure = criterion("structure", "Structure", Direction::Benefit);
    structure.gate = Some(Gate { at_least: 1.0 });
    let mut p = Project {
        framework: Framework {
            id: "f".into(),
            name: "F".into(),
            description: String::new(),
            groups: vec![
                group("req", Role::Requirement, vec![structure]),
                group(
                    "obj",
                    Role::Objective,
                    vec![
                        criterion("citizens", "Citizens", Direction::Benefit),
                        criterion("material", "Material", Direction::Benefit),
                    ],
                ),
                group(
                    "con",
                    Role::Concern,
                    vec![
                        criterion("harm", "Harm", Direction::Cost),
                        criterion("opacity", "Opacity", Direction::Cost),
                    ],
                ),
            ],
            ..Framework::default()
        },
        analysts: vec![Analyst {
            id: "ana".into(),
            name: "Ana".into(),
            note: String::new(),
        }],
        sources: vec![
            source("un", Origin::InternationalOrg, Reliability::A, 1),
            source("ministry", Origin::AssessedState, Reliability::B, 2),
            source("rumour", Origin::Press, Reliability::D, 5),
        ],
        ..Project::default()
    };
    p.info.title = "Clean".into();
    for (i, m) in MECHANISMS.iter().enumerate() {
        let mut mech = Mechanism::new(m, &format!("Mechanism {m}"));
        mech.kind = if i < 2 {
            Kind::Bilateral
        } else {
            Kind::Unconventional
        };
        p.mechanisms.push(mech);
        for c in CRITERIA {
            p.scores.insert(
                ScoreKey::new("ana", m, c),
                Score {
                    value: ScoreValue::Value(2.0),
                    rationale: format!("Why {m} gets 2 on {c}."),
                    confidence: Confidence::Moderate,
                    sources: vec!["un".into()],
                    basis: Basis::Documented,
                    rationale_for: None,
                },
            );
        }
    }
    p
}

fn cell<'a>(p: &'a mut Project, m: &str, c: &str) -> &'a mut Score {
    p.scores.get_mut(&ScoreKey::new("ana", m, c)).unwrap()
}

/// The findings of one rule.
fn of(p: &Project, rule: Rule) -> Vec<check::Finding> {
    check::check(p)
        .findings
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

#[test]
fn a_clean_project_has_no_finding() {
    let p = clean();
    assert_eq!(
        policy_workbench::model::rules::check_project(&p, 10),
        vec![]
    );
    let r = check::check(&p);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.open_warnings(), 0);
}

#[test]
fn a_score_with_no_rationale_or_no_source() {
    let mut p = clean();
    cell(&mut p, "treaty", "citizens").rationale = "  ".into();
    cell(&mut p, "patrols", "harm").sources.clear();
    // A not-assessed cell needs neither.
    *cell(&mut p, "stations", "material") = Score::default();
    let f = of(&p, Rule::NoRationale);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].place.mechanism.as_deref(), Some("treaty"));
    assert_eq!(f[0].place.criterion.as_deref(), Some("citizens"));
    assert_eq!(f[0].id, "no-rationale:ana/treaty/citizens");
    assert!(f[0].place.text.contains("Mechanism treaty") && f[0].place.text.contains("Citizens"));
    let f = of(&p, Rule::NoSource);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].id, "no-source:ana/patrols/harm");
    assert_eq!(f[0].severity(), Severity::Warning);
}

#[test]
fn a_score_between_two_levels_of_its_scale() {
    let mut p = clean();
    assert!(of(&p, Rule::BetweenLevels).is_empty());
    cell(&mut p, "treaty", "citizens").value = ScoreValue::Value(2.5);
    let f = of(&p, Rule::BetweenLevels);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].id, "between-levels:ana/treaty/citizens");
    assert_eq!(f[0].severity(), Severity::Warning);
    assert!(f[0].what.contains("2.5") && f[0].what.contains("whole levels"));
}

#[test]
fn a_claim_at_high_confidence() {
    let mut p = clean();
    let s = cell(&mut p, "stations", "citizens");
    s.basis = Basis::Claim;
    s.sources = vec!["ministry".into()];
    assert!(
        of(&p, Rule::ClaimHighConfidence).is_empty(),
        "moderate is fine"
    );
    cell(&mut p, "stations", "citizens").confidence = Confidence::High;
    let f = of(&p, Rule::ClaimHighConfidence);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].id, "claim-high-confidence:ana/stations/citizens");
}

#[test]
fn high_confidence_on_weak_sources_only() {
    let mut p = clean();
    let s = cell(&mut p, "patrols", "material");
    s.confidence = Confidence::High;
    assert!(
        of(&p, Rule::WeakSourcesHighConfidence).is_empty(),
        "A1 carries it"
    );
    cell(&mut p, "patrols", "material").sources = vec!["rumour".into(), "un".into()];
    assert!(
        of(&p, Rule::WeakSourcesHighConfidence).is_empty(),
        "one good source is enough"
    );
    cell(&mut p, "patrols", "material").sources = vec!["rumour".into()];
    let f = of(&p, Rule::WeakSourcesHighConfidence);
    assert_eq!(f.len(), 1);
    assert!(f[0].what.contains("D5"), "{}", f[0].what);
    // Reliability B but doubtful information (4) is weak too.
    p.sources[2].reliability = Reliability::B;
    p.sources[2].credibility = 4;
    assert_eq!(of(&p, Rule::WeakSourcesHighConfidence).len(), 1);
    p.sources[2].credibility = 3;
    assert!(of(&p, Rule::WeakSourcesHighConfidence).is_empty());
}

#[test]
fn documented_but_every_source_from_the_assessed_state() {
    let mut p = clean();
    cell(&mut p, "treaty", "harm").sources = vec!["ministry".into()];
    assert_eq!(of(&p, Rule::DocumentedFromState).len(), 1);
    // Relayed through a paper: still the state's word.
    let mut paper = source("paper", Origin::IndependentResearch, Reliability::B, 2);
    paper.derived_from = Some("ministry".into());
    p.sources.push(paper);
    cell(&mut p, "treaty", "harm").sources = vec!["paper".into()];
    assert_eq!(of(&p, Rule::DocumentedFromState).len(), 1);
    cell(&mut p, "treaty", "harm").sources = vec!["paper".into(), "un".into()];
    assert!(of(&p, Rule::DocumentedFromState).is_empty());
    cell(&mut p, "treaty", "harm").sources = vec!["ministry".into()];
    cell(&mut p, "treaty", "harm").basis = Basis::Claim;
    assert!(of(&p, Rule::DocumentedFromState).is_empty());
}

#[test]
fn not_applicable_for_some_and_zero_for_others_of_the_same_kind() {
    let mut p = clean();
    cell(&mut p, "patrols", "material").value = ScoreValue::NotApplicable;
    // The other bilateral mechanism is 2: nothing to ask yet; the unconventional one
    // at 0 is of another kind.
    cell(&mut p, "stations", "material").value = ScoreValue::Value(0.0);
    assert!(of(&p, Rule::NotApplicableOrZero).is_empty());
    cell(&mut p, "treaty", "material").value = ScoreValue::Value(0.0);
    let f = of(&p, Rule::NotApplicableOrZero);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].id, "not-applicable-or-zero:ana/material/bilateral");
    assert!(f[0].what.contains("Mechanism patrols") && f[0].what.contains("Mechanism treaty"));
    assert_eq!(f[0].place.mechanism.as_deref(), Some("patrols"));
}

#[test]
fn the_same_rationale_on_different_values() {
    let mut p = clean();
    for (m, v) in [("patrols", 1.0), ("treaty", 1.0)] {
        let s = cell(&mut p, m, "harm");
        s.rationale = "Formal and consented.".into();
        s.value = ScoreValue::Value(v);
    }
    assert!(of(&p, Rule::SameRationale).is_empty(), "same value: fine");
    cell(&mut p, "treaty", "harm").value = ScoreValue::Value(3.0);
    let f = of(&p, Rule::SameRationale);
    assert_eq!(f.len(), 1);
    assert!(f[0].what.contains("1 and 3"), "{}", f[0].what);
    assert!(f[0].id.starts_with("same-rationale:ana/"));
}

#[test]
fn a_rationale_left_unchanged_after_its_score_changed() {
    let mut p = clean();
    let key = ScoreKey::new("ana", "treaty", "citizens");
    let old = p.scores[&key].clone();
    let moved = old.edited(Score {
        value: ScoreValue::Value(4.0),
        ..old.clone()
    });
    edit::apply(
        &mut p,
        Command::SetScore {
            key: key.clone(),
            score: Some(moved),
        },
    )
    .unwrap();
    let f = of(&p, Rule::StaleRationale);
    assert_eq!(f.len(), 1);
    assert!(f[0].what.contains("written for 2") && f[0].what.contains("now 4"));
    // Kept through the file.
    let again = persist::load_str(&persist::to_canonical_string(&p))
        .unwrap()
        .project;
    assert_eq!(of(&again, Rule::StaleRationale).len(), 1);
    let now = p.scores[&key].clone();
    let rewritten = now.edited(Score {
        rationale: "Rewritten for 4.".into(),
        ..now.clone()
    });
    edit::apply(
        &mut p,
        Command::SetScore {
            key,
            score: Some(rewritten),
        },
    )
    .unwrap();
    assert!(of(&p, Rule::StaleRationale).is_empty());
}

#[test]
fn a_low_concern_at_low_confidence_on_an_opaque_mechanism() {
    let mut p = clean();
    let s = cell(&mut p, "stations", "harm");
    s.value = ScoreValue::Value(0.0);
    s.confidence = Confidence::Low;
    assert!(
        of(&p, Rule::AbsenceAsEvidence).is_empty(),
        "opacity 2 is not opaque"
    );
    cell(&mut p, "stations", "opacity").value = ScoreValue::Value(4.0);
    let f = of(&p, Rule::AbsenceAsEvidence);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].id, "absence-as-evidence:ana/stations/harm");
    cell(&mut p, "stations", "harm").confidence = Confidence::Moderate;
    assert!(of(&p, Rule::AbsenceAsEvidence).is_empty());
}

#[test]
fn notes_for_a_failing_gate_and_an_index_below_coverage() {
    let mut p = clean();
    cell(&mut p, "treaty", "structure").value = ScoreValue::Value(0.0);
    *cell(&mut p, "patrols", "citizens") = Score::default();
    *cell(&mut p, "patrols", "material") = Score::default();
    p.scores
        .remove(&ScoreKey::new("ana", "patrols", "citizens"));
    p.scores
        .remove(&ScoreKey::new("ana", "patrols", "material"));
    let r = check::check(&p);
    let gate: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::FailingGate)
        .collect();
    assert_eq!(gate.len(), 1);
    assert_eq!(gate[0].severity(), Severity::Note);
    assert_eq!(gate[0].id, "failing-gate:treaty/structure");
    let low: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::LowCoverage)
        .collect();
    assert_eq!(low.len(), 1);
    assert_eq!(low[0].id, "low-coverage:patrols/obj");
    assert!(low[0].what.contains("0%"), "{}", low[0].what);
    assert_eq!(r.open_warnings(), 0, "notes are not warnings");
}

#[test]
fn acknowledgements_round_trip_and_quiet_a_warning() {
    let mut p = clean();
    cell(&mut p, "treaty", "citizens").sources.clear();
    let r = check::check(&p);
    assert_eq!(r.open_warnings(), 1);
    let id = r.findings[0].id.clone();
    edit::apply(
        &mut p,
        Command::SetAcknowledgement {
            finding: id.clone(),
            reason: Some("The treaty text is the source; it is cited in the rationale.".into()),
        },
    )
    .unwrap();
    let text = persist::to_canonical_string(&p);
    assert!(text.contains("\"acknowledgements\""));
    let back = persist::load_str(&text).unwrap().project;
    assert_eq!(back.acknowledgements, p.acknowledgements);
    let r = check::check(&back);
    assert_eq!(r.open_warnings(), 0);
    assert_eq!(r.count(Severity::Warning), 1);
    assert!(
        r.findings[0]
            .acknowledged
            .as_deref()
            .unwrap()
            .contains("treaty text")
    );
    // Withdrawn (undo of the acknowledgement), and a file without any stays without.
    let inverse = edit::apply(
        &mut p,
        Command::SetAcknowledgement {
            finding: id,
            reason: None,
        },
    )
    .unwrap();
    assert!(p.acknowledgements.is_empty());
    assert!(!persist::to_canonical_string(&p).contains("acknowledgements"));
    edit::apply(&mut p, inverse).unwrap();
    assert_eq!(p.acknowledgements.len(), 1);
    // Once fixed, the acknowledgement matches nothing and is reported as stale.
    cell(&mut p, "treaty", "citizens").sources = vec!["un".into()];
    let r = check::check(&p);
    assert!(r.findings.is_empty());
    assert_eq!(r.stale_acknowledgements.len(), 1);
}

#[test]
fn the_command_exits_0_1_or_2() {
    let dir = tempfile::tempdir().unwrap();
    let clean_path = dir.path().join("clean.json");
    persist::save_path(&clean_path, &clean()).unwrap();
    let o = run(&["check", clean_path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("0 warnings"));

    let mut p = clean();
    cell(&mut p, "treaty", "citizens").rationale.clear();
    let dirty = dir.path().join("dirty.json");
    persist::save_path(&dirty, &p).unwrap();
    let o = run(&["check", dirty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("warning [no-rationale]"), "{out}");
    assert!(out.contains("“Mechanism treaty” × “Citizens”"), "{out}");
    assert!(out.contains("Why:") && out.contains("Fix:"));

    let o = run(&["check", dirty.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["open_warnings"], 1);
    assert_eq!(v["findings"][0]["rule"], "no-rationale");
    assert_eq!(v["findings"][0]["where"]["mechanism"], "treaty");
    assert_eq!(v["findings"][0]["severity"], "warning");

    p.acknowledgements.push(Acknowledgement {
        finding: "no-rationale:ana/treaty/citizens".into(),
        reason: "Left blank on purpose for the exercise.".into(),
    });
    persist::save_path(&dirty, &p).unwrap();
    let o = run(&["check", dirty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("(acknowledged)"));

    let o = run(&["check", dir.path().join("missing.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_unresolved_merge_conflict_is_a_warning() {
    let mut p = clean();
    assert!(of(&p, Rule::UnresolvedConflict).is_empty());
    p.merge_conflicts.push(MergeConflict {
        path: "scores[ana/a/citizens].value".into(),
        base: Some(serde_json::json!(2)),
        ours: Some(serde_json::json!(3)),
        theirs: Some(serde_json::json!(1)),
    });
    let found = of(&p, Rule::UnresolvedConflict);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity(), check::Severity::Warning);
    assert!(found[0].place.text.contains("scores[ana/a/citizens]"));
}
