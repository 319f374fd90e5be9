//! Weighting judgements kept in the file (docs/analysis.md, "Judgements kept in the
//! file"): the golden fixture loads, reads and writes back byte for byte; old files
//! load with none; the schema and the rules refuse what they must; a direct edit
//! leaves them kept but not applied; `analyze --json` and the report show them.

mod common;

use common::*;
use policy_workbench::compute::ahp;
use policy_workbench::compute::weighting::{self, read_target};
use policy_workbench::edit::{Command, GroupHeader, WeightsTo, apply};
use policy_workbench::model::*;
use policy_workbench::persist;
use serde_json::Value;

fn fixture_text() -> String {
    std::fs::read_to_string(fixture("weighting.json")).unwrap()
}

fn load() -> Project {
    persist::load_str(&fixture_text()).unwrap().project
}

#[test]
fn golden_file_loads_and_writes_back_byte_for_byte() {
    let text = fixture_text();
    let p = load();
    assert_eq!(persist::to_canonical_string(&p), text);
    let w = &p.framework.weighting;
    assert_eq!(w.groups.pairwise.len(), 3);
    assert_eq!(
        w.criteria["req"].pairwise,
        vec![PairJudgement {
            a: "r1".into(),
            b: "r2".into(),
            value: 1.0 / 3.5,
        }]
    );
    assert_eq!(
        w.criteria["obj"].swing[1],
        SwingJudgement {
            id: "o2".into(),
            rank: 2,
            rating: 40.0,
        }
    );
    // Through a real file too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.json");
    persist::save_path(&path, &p).unwrap();
    assert_eq!(persist::load_path(&path).unwrap().project, p);
}

#[test]
fn files_without_judgements_load_unchanged() {
    for f in [
        fixture("hand.json"),
        root().join("tests/golden/v1.json"),
        root().join("tests/golden/v2.json"),
        sample_path(),
    ] {
        let p = persist::load_path(&f).unwrap().project;
        assert!(p.framework.weighting.is_empty(), "{}", f.display());
        assert!(!persist::to_canonical_string(&p).contains("\"weighting\""));
    }
}

#[test]
fn judgements_read_against_the_weights() {
    let p = load();
    let fw = &p.framework;
    // Groups: obj 2× req, req = con, obj 2× con → 1/4, 1/2, 1/4 = the weights 1, 2, 1.
    let g = read_target(fw, JudgedSet::Groups).unwrap();
    let pw = g.pairwise.as_ref().unwrap();
    let r = pw.result.as_ref().unwrap();
    assert!((r.weights[0] - 0.25).abs() < 1e-12 && (r.weights[1] - 0.5).abs() < 1e-12);
    assert!(r.cr.abs() < 1e-12);
    assert!(pw.in_use);
    assert_eq!(g.method(), "pairwise");
    // req: r1 is 1/3.5 as important as r2 → 1/4.5 and 3.5/4.5; the weights are 1 : 1,
    // so the judgements are kept, not applied.
    let req = read_target(fw, JudgedSet::Criteria(0)).unwrap();
    let r = req.pairwise.as_ref().unwrap().result.as_ref().unwrap();
    assert!((r.weights[0] - 1.0 / 4.5).abs() < 1e-12);
    assert!(!req.pairwise.as_ref().unwrap().in_use);
    assert_eq!(req.method(), "direct");
    // obj: pairwise 3 = the weights 3 : 1 (in use); swing 100 and 40 → 5/7, 2/7 (kept).
    let obj = read_target(fw, JudgedSet::Criteria(1)).unwrap();
    assert!(obj.pairwise.as_ref().unwrap().in_use);
    let s = obj.swing.as_ref().unwrap();
    let w = s.weights.as_ref().unwrap();
    assert!((w[0] - 100.0 / 140.0).abs() < 1e-12 && (w[1] - 40.0 / 140.0).abs() < 1e-12);
    assert!(!s.in_use);
    // Only the sets with judgements are listed (con has none).
    assert_eq!(weighting::read(fw).len(), 3);
}

#[test]
fn a_direct_edit_keeps_the_judgements_but_not_in_use_and_undo_restores() {
    let mut p = load();
    let mut h = GroupHeader::of(&p.framework.groups[1]);
    h.weight = 3.0;
    let undo = apply(
        &mut p,
        Command::SetGroup {
            index: 1,
            header: h,
        },
    )
    .unwrap();
    assert_eq!(p.framework.weighting.groups.pairwise.len(), 3, "kept");
    let g = read_target(&p.framework, JudgedSet::Groups).unwrap();
    assert!(!g.pairwise.as_ref().unwrap().in_use);
    assert!(weighting::status_line(&g).contains("kept, not applied"));
    apply(&mut p, undo).unwrap();
    assert!(
        read_target(&p.framework, JudgedSet::Groups)
            .unwrap()
            .pairwise
            .unwrap()
            .in_use
    );
}

#[test]
fn applying_judgements_sets_weights_in_one_undo_step() {
    let mut p = load();
    let before = p.clone();
    let j = Judgements {
        pairwise: vec![PairJudgement {
            a: "r2".into(),
            b: "r1".into(),
            value: 2.5,
        }],
        swing: Vec::new(),
    };
    let undo = apply(
        &mut p,
        Command::SetWeighting {
            target: JudgedSet::Criteria(0),
            judgements: j.clone(),
            weights: Some(WeightsTo::Framework(vec![1.0 / 3.5, 2.5 / 3.5])),
        },
    )
    .unwrap();
    assert_eq!(p.framework.weighting.criteria["req"], j);
    let r = read_target(&p.framework, JudgedSet::Criteria(0)).unwrap();
    assert!(r.pairwise.unwrap().in_use);
    apply(&mut p, undo).unwrap();
    assert_eq!(p, before);
    // Refused: a value beyond 9, a pair judged twice, an item of another set.
    for bad in [
        vec![("r1", "r2", 9.5)],
        vec![("r1", "r2", 2.0), ("r2", "r1", 0.5)],
        vec![("r1", "o1", 2.0)],
    ] {
        let judgements = Judgements {
            pairwise: bad
                .iter()
                .map(|(a, b, v)| PairJudgement {
                    a: (*a).into(),
                    b: (*b).into(),
                    value: *v,
                })
                .collect(),
            swing: Vec::new(),
        };
        assert!(
            apply(
                &mut p,
                Command::SetWeighting {
                    target: JudgedSet::Criteria(0),
                    judgements,
                    weights: None,
                },
            )
            .is_err(),
            "{bad:?}"
        );
    }
    assert_eq!(p, before);
}

#[test]
fn deleting_a_criterion_deletes_the_judgements_that_name_it() {
    let mut p = load();
    apply(&mut p, Command::RemoveCriterion("o2".into())).unwrap();
    let obj = &p.framework.weighting.criteria["obj"];
    assert!(obj.pairwise.is_empty());
    assert_eq!(obj.swing.len(), 1);
    assert_eq!(obj.swing[0].id, "o1");
    apply(&mut p, Command::RemoveGroup("con".into())).unwrap();
    assert_eq!(p.framework.weighting.groups.pairwise.len(), 1);
    // Still a valid file.
    let text = persist::to_canonical_string(&p);
    persist::load_str(&text).unwrap();
}

fn with(edit: impl FnOnce(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(&fixture_text()).unwrap();
    edit(&mut doc["framework"]["weighting"]);
    serde_json::to_string(&doc).unwrap()
}

#[test]
fn the_loader_refuses_what_the_rules_refuse() {
    let cases: Vec<(String, &str)> = vec![
        (
            with(|w| w["criteria"]["req"]["pairwise"][0]["value"] = 10.into()),
            "framework.weighting.criteria.req.pairwise[0].value",
        ),
        (
            with(|w| w["criteria"]["req"]["pairwise"][0]["b"] = "o1".into()),
            "framework.weighting.criteria.req.pairwise[0]",
        ),
        (
            with(|w| w["criteria"]["nope"] = w["criteria"]["req"].clone()),
            "framework.weighting.criteria.nope",
        ),
        (
            with(|w| w["criteria"]["obj"]["swing"][0]["rating"] = 101.into()),
            "framework.weighting.criteria.obj.swing[0].rating",
        ),
        (
            with(|w| w["groups"]["extra"] = 1.into()),
            "framework.weighting.groups",
        ),
    ];
    for (text, at) in cases {
        let e = persist::load_str(&text).unwrap_err().to_string();
        assert!(e.contains(at), "expected a problem at {at}: {e}");
    }
}

#[test]
fn judgements_between_saatys_points_are_accepted_by_one_rule() {
    assert_eq!(ahp::parse_judgement("2.5").unwrap(), 2.5);
    assert!((ahp::parse_judgement("1/3.5").unwrap() - 1.0 / 3.5).abs() < 1e-15);
    assert_eq!(ahp::parse_judgement(" 9 ").unwrap(), 9.0);
    assert!((ahp::parse_judgement("1/9").unwrap() - 1.0 / 9.0).abs() < 1e-15);
    for bad in ["9.5", "1/10", "0", "-2", "abc", "1/0", ""] {
        assert!(ahp::parse_judgement(bad).is_err(), "{bad}");
    }
    assert_eq!(ahp::judgement_text(1.0 / 3.5), "1/3.5");
    assert_eq!(ahp::judgement_text(2.5), "2.5");
    assert_eq!(ahp::judgement_text(1.0 / 3.0), "1/3");
}

#[test]
fn analyze_json_gives_the_weighting() {
    let o = run(&[
        "analyze",
        fixture("weighting.json").to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let w = &v["weighting"];
    assert_eq!(w["random_index"][2], 0.58);
    assert_eq!(w["random_index"][9], 1.49);
    let sets = w["sets"].as_array().unwrap();
    // The groups, then every group's criteria.
    assert_eq!(sets.len(), 4);
    assert_eq!(sets[0]["set"], "groups");
    assert_eq!(sets[0]["method"], "pairwise");
    assert_eq!(sets[0]["pairwise"]["cr"], 0.0);
    assert_eq!(sets[0]["pairwise"]["ri"], 0.58);
    assert_eq!(sets[0]["weights"]["obj"], 0.5);
    assert_eq!(sets[1]["group"], "req");
    assert_eq!(sets[1]["method"], "direct");
    assert_eq!(sets[1]["pairwise"]["in_use"], false);
    // 1/4.5 = 0.2222 (4 decimals).
    assert_eq!(sets[1]["pairwise"]["weights"]["r1"], 0.2222);
    assert_eq!(sets[2]["swing"]["weights"]["o1"], 0.7143);
    assert_eq!(sets[2]["swing"]["in_use"], false);
    assert_eq!(sets[3]["pairwise"], Value::Null);
    assert_eq!(sets[3]["method"], "direct");
}

#[test]
fn the_report_shows_the_judgements_with_the_consistency_ratio() {
    let p = load();
    let opts = policy_workbench::report::ReportOptions {
        include_charts: false,
        ..policy_workbench::report::ReportOptions::new(Default::default())
    };
    let md = policy_workbench::report::markdown_report(&p, &opts, None)
        .unwrap()
        .text;
    assert!(md.contains("How the weights were set"), "{md}");
    assert!(md.contains("Consistency ratio 0.000 (λmax 3.000, CI 0.000, RI(3) 0.58)"));
    assert!(md.contains("3: 0.58, 4: 0.90"));
    assert!(md.contains("1/3.5"));
    assert!(md.contains("pairwise judgements kept, not applied"));
    assert!(md.contains("swing judgements kept, not applied"));
}

/// The groups' judgements applied to a viewpoint: its own group weights are set (a
/// group at 0 left out), the framework's weights stay, the judgements are kept, and
/// one undo puts back exactly what was there (an explicit 0 included).
#[test]
fn judgements_can_set_a_viewpoints_own_weights_in_one_undo_step() {
    let mut p = load();
    let ids: Vec<String> = p.framework.groups.iter().map(|g| g.id.clone()).collect();
    assert!(ids.len() >= 3, "the fixture has three groups");
    let own: std::collections::BTreeMap<String, f64> =
        [(ids[0].clone(), 2.0), (ids[1].clone(), 0.0)].into();
    p.framework.viewpoints = vec![Viewpoint {
        id: "own".into(),
        name: "Own".into(),
        group_weights: Some(own.clone()),
        ..Viewpoint::default()
    }];
    let before = p.clone();
    let j = Judgements {
        pairwise: Vec::new(),
        swing: ids
            .iter()
            .zip([(1, 100.0), (2, 0.0), (2, 0.0)])
            .map(|(id, (rank, rating))| SwingJudgement {
                id: id.clone(),
                rank,
                rating,
            })
            .chain(ids.iter().skip(3).map(|id| SwingJudgement {
                id: id.clone(),
                rank: 2,
                rating: 0.0,
            }))
            .collect(),
    };
    let weights: Vec<f64> = (0..ids.len())
        .map(|i| if i == 0 { 1.0 } else { 0.0 })
        .collect();
    let to_own = |group_weights| Command::SetWeighting {
        target: JudgedSet::Groups,
        judgements: j.clone(),
        weights: Some(WeightsTo::Viewpoint {
            id: "own".into(),
            group_weights,
        }),
    };
    let set = weighting::viewpoint_group_weights(&ids, &weights);
    let undo = apply(&mut p, to_own(Some(set))).unwrap();
    assert_eq!(
        p.framework.viewpoints[0].group_weights,
        Some([(ids[0].clone(), 1.0)].into())
    );
    assert_eq!(p.framework.groups, before.framework.groups);
    assert_eq!(p.framework.weighting.groups, j);
    apply(&mut p, undo).unwrap();
    assert_eq!(p, before);
    assert_eq!(p.framework.viewpoints[0].group_weights, Some(own));

    // Refused, nothing changed: criteria (a viewpoint weighs groups), a viewpoint the
    // framework does not have, a group it does not have, a negative weight.
    let bad = [
        Command::SetWeighting {
            target: JudgedSet::Criteria(0),
            judgements: Judgements::default(),
            weights: Some(WeightsTo::Viewpoint {
                id: "own".into(),
                group_weights: None,
            }),
        },
        Command::SetWeighting {
            target: JudgedSet::Groups,
            judgements: Judgements::default(),
            weights: Some(WeightsTo::Viewpoint {
                id: "nobody".into(),
                group_weights: None,
            }),
        },
        to_own(Some([("no-such-group".to_string(), 1.0)].into())),
        to_own(Some([(ids[0].clone(), -1.0)].into())),
    ];
    for cmd in bad {
        assert!(apply(&mut p, cmd.clone()).is_err(), "{cmd:?}");
        assert_eq!(p, before);
    }
}

/// The git merge driver: one side deletes a criterion, the other judges it — the
/// judgements naming it are dropped and the weighting recorded as a conflict (every
/// side's judgements kept in the record); judgements both sides leave alone merge
/// through.
#[test]
fn the_merge_driver_drops_judgements_of_a_deleted_criterion_with_a_conflict() {
    use policy_workbench::gitmerge::merge_projects;
    let base = load();
    let mut ours = base.clone();
    let mut j = ours.framework.weighting.criteria["obj"].clone();
    j.pairwise[0].value = 4.0;
    apply(
        &mut ours,
        Command::SetWeighting {
            target: JudgedSet::Criteria(1),
            judgements: j,
            weights: None,
        },
    )
    .unwrap();
    let mut theirs = base.clone();
    apply(&mut theirs, Command::RemoveCriterion("o2".into())).unwrap();
    let text = |p: &Project| persist::to_canonical_string(p);
    let merged = merge_projects(Some(&text(&base)), &text(&ours), &text(&theirs)).unwrap();
    let w = &merged.project.framework.weighting;
    assert!(merged.project.framework.criterion("o2").is_none());
    assert!(
        w.criteria
            .get("obj")
            .is_none_or(|j| j.pairwise.iter().all(|p| p.a != "o2" && p.b != "o2"))
    );
    // The groups' and req's judgements, untouched by either side, are kept.
    assert_eq!(w.groups, base.framework.weighting.groups);
    assert_eq!(w.criteria["req"], base.framework.weighting.criteria["req"]);
    assert!(
        merged
            .conflicts
            .iter()
            .any(|c| c.path.starts_with("framework.weighting")),
        "{:?}",
        merged.conflicts.iter().map(|c| &c.path).collect::<Vec<_>>()
    );
}

#[test]
fn diff_names_the_changed_judgements() {
    let a = load();
    let mut b = a.clone();
    b.framework
        .weighting
        .criteria
        .get_mut("obj")
        .unwrap()
        .pairwise[0]
        .value = 4.0;
    let changes = policy_workbench::compute::diff::diff(&a, &b);
    assert_eq!(changes.len(), 1);
    let line = changes[0].to_string();
    assert!(
        line.contains("obj: o1/o2 3, swing o1 #1 100, swing o2 #2 40"),
        "{line}"
    );
    assert!(line.contains("obj: o1/o2 4"), "{line}");
    assert!(!line.contains("req"), "only the set that changed: {line}");
}

#[test]
fn git_textconv_gives_each_judgement_a_line() {
    let o = run(&["git-textconv", fixture("weighting.json").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for line in [
        "Pairwise judgement of the groups: Objective is 2 times as important as Requirements",
        "Pairwise judgement of Objective: O1 is 3 times as important as O2",
        "Swing of Objective: O2 rank 2, rating 40",
        "Pairwise judgement of Requirements: R1 is 1/3.5 times as important as R2",
    ] {
        assert!(text.lines().any(|l| l == line), "{line}\n{text}");
    }
}
