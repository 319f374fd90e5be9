//! Unit tests of `apply`: each command checked, applied and undone on a small project.

use super::*;
use crate::model::*;

fn hand() -> Project {
    let text = include_str!("../../tests/fixtures/hand.json");
    crate::persist::load_str(text).unwrap().project
}

fn key(a: &str, m: &str, c: &str) -> ScoreKey {
    ScoreKey::new(a, m, c)
}

fn value(v: f64) -> Option<Score> {
    Some(Score {
        value: ScoreValue::Value(v),
        ..Score::default()
    })
}

#[test]
fn set_score_and_undo_redo() {
    let mut p = hand();
    let original = p.clone();
    let mut h = History::default();
    h.apply(
        &mut p,
        Command::SetScore {
            key: key("a", "m1", "r1"),
            score: value(1.0),
        },
        None,
    )
    .unwrap();
    assert_eq!(
        p.score("a", "m1", "r1").unwrap().value,
        ScoreValue::Value(1.0)
    );
    h.undo(&mut p);
    assert_eq!(p, original);
    h.redo(&mut p);
    assert_eq!(
        p.score("a", "m1", "r1").unwrap().value,
        ScoreValue::Value(1.0)
    );
}

#[test]
fn refuses_out_of_scale_and_unknown_references() {
    let mut p = hand();
    let before = p.clone();
    assert!(
        apply(
            &mut p,
            Command::SetScore {
                key: key("a", "m1", "r1"),
                score: value(9.0)
            }
        )
        .is_err()
    );
    assert!(
        apply(
            &mut p,
            Command::SetScore {
                key: key("zz", "m1", "r1"),
                score: value(1.0)
            }
        )
        .is_err()
    );
    assert!(apply(&mut p, Command::AddMechanism(Mechanism::new("m1", "Dup"))).is_err());
    assert!(apply(&mut p, Command::AddMechanism(Mechanism::new("Bad Id", "x"))).is_err());
    assert_eq!(p, before, "refused commands change nothing");
}

#[test]
fn merged_burst_is_one_undo_step() {
    let mut p = hand();
    let original = p.clone();
    let mut h = History::default();
    for w in [1.5, 2.0, 2.5, 3.0] {
        let mut header = GroupHeader::of(&p.framework.groups[0]);
        header.weight = w;
        h.apply(
            &mut p,
            Command::SetGroup { index: 0, header },
            Some("w0".into()),
        )
        .unwrap();
    }
    assert_eq!(p.framework.groups[0].weight, 3.0);
    h.undo(&mut p);
    assert_eq!(p, original);
    assert!(!h.can_undo());
}

#[test]
fn sealed_bursts_are_separate_steps() {
    let mut p = hand();
    let mut h = History::default();
    let mut header = GroupHeader::of(&p.framework.groups[0]);
    header.weight = 2.0;
    h.apply(
        &mut p,
        Command::SetGroup {
            index: 0,
            header: header.clone(),
        },
        Some("w".into()),
    )
    .unwrap();
    h.seal();
    header.weight = 3.0;
    h.apply(
        &mut p,
        Command::SetGroup { index: 0, header },
        Some("w".into()),
    )
    .unwrap();
    h.undo(&mut p);
    assert_eq!(p.framework.groups[0].weight, 2.0);
}

#[test]
fn removing_a_mechanism_removes_its_scores_and_undo_restores_them() {
    let mut p = hand();
    let original = p.clone();
    let mut h = History::default();
    h.apply(&mut p, Command::RemoveMechanism("m2".into()), None)
        .unwrap();
    assert!(p.mechanism("m2").is_none());
    assert!(p.scores.keys().all(|k| k.mechanism != "m2"));
    assert!(p.scenarios[0].score_overrides.is_empty());
    h.undo(&mut p);
    assert_eq!(p, original);
}

#[test]
fn removing_a_criterion_and_a_source_cleans_references() {
    let mut p = hand();
    apply(&mut p, Command::RemoveCriterion("r2".into())).unwrap();
    assert!(p.scores.keys().all(|k| k.criterion != "r2"));
    assert!(p.scenarios[0].score_overrides.is_empty());
    // Still saveable: references are consistent.
    assert!(crate::persist::load_str(&crate::persist::to_canonical_string(&p)).is_ok());
}

#[test]
fn shrinking_a_scale_below_existing_scores_is_refused() {
    let mut p = hand();
    let mut c = p.framework.groups[0].criteria[0].clone();
    c.scale.max = 2;
    c.scale.anchors.retain(|a| a.value <= 2);
    let e = apply(
        &mut p,
        Command::SetCriterion {
            group: 0,
            index: 0,
            criterion: c,
        },
    )
    .unwrap_err();
    assert!(e.0.contains("outside the new scale"), "{e}");
}

#[test]
fn paste_block_is_one_step() {
    let mut p = hand();
    let original = p.clone();
    let mut h = History::default();
    let cells = vec![
        (key("a", "m3", "o1"), value(1.0)),
        (key("a", "m3", "r2"), value(3.0)),
        (key("a", "m1", "r1"), None),
    ];
    h.apply(&mut p, Command::SetScores { cells }, None).unwrap();
    assert!(p.score("a", "m1", "r1").is_none());
    h.undo(&mut p);
    assert_eq!(p, original);
}

#[test]
fn ranking_rule_is_set_and_undone_and_saved_only_when_not_the_default() {
    let mut p = hand();
    let original = p.clone();
    let default_text = crate::persist::to_canonical_string(&p);
    assert!(!default_text.contains("ranking_rule"));
    let mut h = History::default();
    h.apply(
        &mut p,
        Command::SetRankingRule(RankingRule::UnrankIncomplete),
        None,
    )
    .unwrap();
    assert_eq!(p.settings.ranking_rule, RankingRule::UnrankIncomplete);
    let text = crate::persist::to_canonical_string(&p);
    assert!(text.contains("\"ranking_rule\": \"unrank-incomplete\""));
    assert_eq!(crate::persist::load_str(&text).unwrap().project, p);
    h.undo(&mut p);
    assert_eq!(p, original);
    assert_eq!(crate::persist::to_canonical_string(&p), default_text);
}
