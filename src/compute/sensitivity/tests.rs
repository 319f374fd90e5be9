//! Unit tests of the sensitivity maths on hand-computed examples.

use super::crossings::{bernstein_roots, fast_ranks, quadratic_roots};
use super::tracks::Ctx;
use super::*;
use crate::compute::{Cell, Row, Selection, Weights, results_from_matrix, stats};

fn crit(id: &str, dir: Direction, w: f64) -> Criterion {
    let mut c = Criterion::new(id, id);
    c.direction = dir;
    c.weight = w;
    c
}

fn group(id: &str, role: Role, w: f64, criteria: Vec<Criterion>) -> Group {
    Group {
        id: id.to_string(),
        name: id.to_string(),
        role,
        weight: w,
        description: String::new(),
        criteria,
    }
}

/// A matrix from rows of `Some(value)` / `None` (not assessed) / NaN (not applicable).
fn matrix(fw: &Framework, rows: &[(&str, Vec<Option<f64>>)]) -> Matrix {
    Matrix {
        rows: rows
            .iter()
            .map(|(n, _)| Row {
                mechanism_id: n.to_string(),
                name: n.to_string(),
                kind: Kind::Bilateral,
                added: false,
            })
            .collect(),
        cells: std::sync::Arc::new(
            rows.iter()
                .map(|(_, v)| {
                    v.iter()
                        .map(|x| Cell {
                            value: match x {
                                Some(v) if v.is_nan() => ScoreValue::NotApplicable,
                                Some(v) => ScoreValue::Value(*v),
                                None => ScoreValue::NotAssessed,
                            },
                            ..Cell::EMPTY
                        })
                        .collect()
                })
                .collect(),
        ),
        ranking_rule: RankingRule::default(),
        viewpoint: Viewpoint::as_weighted(),
        weights: Weights {
            groups: fw.groups.iter().map(|g| g.weight).collect(),
            criteria: fw.criteria().map(|(_, c)| c.weight).collect(),
        },
    }
}

fn fw_of(groups: Vec<Group>) -> Framework {
    Framework {
        id: "t".into(),
        name: "t".into(),
        description: String::new(),
        groups,
        ..Framework::default()
    }
}

/// One requirement group with criteria a, b, c (weight 1 each, 0–4, benefit).
/// P = (4, 0, 0), Q = (0, 2, 1), R = (3, not assessed, 2).
fn pqr() -> (Framework, Matrix) {
    let b = Direction::Benefit;
    let fw = fw_of(vec![group(
        "G",
        Role::Requirement,
        1.0,
        vec![crit("a", b, 1.0), crit("b", b, 1.0), crit("c", b, 1.0)],
    )]);
    let m = matrix(
        &fw,
        &[
            ("P", vec![Some(4.0), Some(0.0), Some(0.0)]),
            ("Q", vec![Some(0.0), Some(2.0), Some(1.0)]),
            ("R", vec![Some(3.0), None, Some(2.0)]),
        ],
    );
    (fw, m)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn totals_agree_bit_for_bit_with_results() {
    let (fw, m) = pqr();
    let ctx = Ctx::new(&fw, &m);
    let res = results_from_matrix(&fw, &m, &Selection::default());
    let totals: Vec<Option<f64>> = res.mechanisms.iter().map(|r| r.total).collect();
    assert_eq!(ctx.total0, totals);
}

/// Worked on paper. Shares of a, b, c are 1/3 each; move a to share t, b and c
/// take (1 − t)/2 each. Oriented shares are value / 4.
///   P: index = 100·(t·1)/1                          = 100 t
///   Q: index = 100·((1−t)/2·0.5 + (1−t)/2·0.25)     = 37.5 (1 − t)
///   R: b not assessed, so the weights renormalise over a and c:
///      assessed weight = t + (1−t)/2 = (1+t)/2, coverage (1+t)/2 ≥ 50 % always;
///      index = 100·(0.75 t + 0.5 (1−t)/2) / ((1+t)/2) = 100 (0.5 + t) / (1 + t).
/// At t = 1/3: P = 33.33, Q = 25, R = 62.5 → R first.
/// P catches R where 100 t (1 + t) = 100 (0.5 + t), i.e. t² = 1/2, t = √½ ≈ 0.7071
/// (a quadratic: R's denominator differs from P's). Q never reaches R (Q ≤ 37.5,
/// R ≥ 50). Raw weight at √½ with b + c = 2 fixed: 2·√½/(1 − √½) = 2(√2 + 1).
/// Whole ranking: P and Q cross where 100 t = 37.5 (1 − t), t = 3/11.
///
/// Move b to share s instead (a, c at (1 − s)/2):
///   P = 50 (1 − s), Q = 12.5 + 37.5 s, R: coverage 1 − s, index 62.5 while
///   s ≤ 1/2, none beyond (R then has no total and leaves the ranking).
///   P and Q cross at 50 − 50 s = 12.5 + 37.5 s, s = 3/7.
/// So b's interval for first place is [0, 1/2] (Q first beyond, 31.25 vs P 25);
/// for the whole ranking [0, 3/7].
///
/// Move c to share u: P = 50 (1 − u), Q = 25, R = 25 (3 + u)/(1 + u) ∈ [50, 75]:
/// nothing reaches R, interval [0, 1].
///
/// Smallest weight move: b, +16.67 points (a needs +37.4). Smallest score change:
/// one step of a or c for R is 100·(1/3)(1/4)/(2/3) = 12.5 points of total; R must
/// fall to P's 33.33 (−29.17): 3 steps, only possible on a (3 → 0), giving R = 25.
/// Raising P needs 29.17 / 8.33 = 3.5 → 4 steps; Q cannot reach 62.5 with one score.
#[test]
fn hand_computed_intervals_and_flips() {
    let (fw, m) = pqr();
    let iv = weight_intervals(&fw, &m, RankScope::Top(1));
    assert_eq!(iv.len(), 4);
    assert!(!iv[0].movable, "the only group cannot move");
    let a = &iv[1];
    close(a.current_share, 1.0 / 3.0);
    close(a.low_share, 0.0);
    assert!(a.low_change.is_none());
    close(a.high_share, 0.5f64.sqrt());
    close(a.high_raw, 2.0 * (2.0f64.sqrt() + 1.0));
    close(a.current_raw, 1.0);
    let ch = a.high_change.as_ref().unwrap();
    assert_eq!(
        ch.shift,
        Shift::Rises {
            row: 0,
            ahead: Some(2)
        }
    );
    assert_eq!(ch.first_after, vec![0]);
    let b = &iv[2];
    close(b.low_share, 0.0);
    close(b.high_share, 0.5);
    assert_eq!(b.high_change.as_ref().unwrap().first_after, vec![1]);
    let c = &iv[3];
    assert_eq!((c.low_share, c.high_share), (0.0, 1.0));
    assert!(c.low_change.is_none() && c.high_change.is_none());
    assert_eq!(c.high_raw, f64::INFINITY);

    let all = weight_intervals(&fw, &m, RankScope::All);
    close(all[1].low_share, 3.0 / 11.0);
    close(all[1].high_share, 0.5f64.sqrt());
    close(all[2].low_share, 0.0);
    close(all[2].high_share, 3.0 / 7.0);

    let fc = first_place_change(&fw, &m);
    assert_eq!(fc.first, vec![2]);
    assert_eq!(fc.by_weight.len(), 1);
    let w = &fc.by_weight[0];
    assert_eq!(w.target, WeightTarget::Criterion(1));
    close(w.to_share, 0.5);
    close(w.points(), 100.0 / 6.0);
    close(w.to_raw, 2.0);
    assert_eq!(
        w.describe(),
        "Raising the weight of 'b' from 33.3% to 50% of its group (+16.7 points; \
         raw weight 1 → 2) would make 'Q' first instead of 'R'."
    );
    assert_eq!(fc.by_score.len(), 1);
    let s = &fc.by_score[0];
    assert_eq!((s.row, s.criterion, s.to_value, s.steps), (2, 0, 0.0, 3.0));
    assert_eq!(s.new_first, vec![0]);
    assert_eq!(
        s.describe(),
        "If 'R' scored 0 instead of 3 on 'a', 'P' would be first instead of 'R'."
    );
    assert!(
        fc.describe()
            .starts_with("'R' is first. Raising the weight of 'b'")
    );
}

#[test]
fn nothing_can_change_the_first_place() {
    let b = Direction::Benefit;
    let fw = fw_of(vec![
        group(
            "G",
            Role::Requirement,
            1.0,
            vec![crit("a", b, 1.0), crit("b", b, 2.0)],
        ),
        group("H", Role::Objective, 1.0, vec![crit("c", b, 1.0)]),
    ]);
    let m = matrix(
        &fw,
        &[
            ("Top", vec![Some(4.0), Some(4.0), Some(4.0)]),
            ("Low", vec![Some(0.0), Some(1.0), Some(0.0)]),
        ],
    );
    for iv in weight_intervals(&fw, &m, RankScope::Top(1)) {
        assert!(
            iv.low_change.is_none() && iv.high_change.is_none(),
            "{iv:?}"
        );
    }
    let fc = first_place_change(&fw, &m);
    assert!(fc.by_weight.is_empty() && fc.by_score.is_empty());
    assert_eq!(
        fc.describe(),
        "'Top' is first. No single weight, moved anywhere between 0% and 100% of its \
         level, changes who is first. No single score change within its scale changes \
         who is first."
    );
}

#[test]
fn tie_for_first_is_not_a_change_until_a_third_arrives() {
    let b = Direction::Benefit;
    let fw = fw_of(vec![group(
        "G",
        Role::Requirement,
        1.0,
        vec![crit("a", b, 1.0), crit("b", b, 1.0)],
    )]);
    // A = 4,0 and B = 0,4 tie at 50; C = 2,1 at 37.5.
    let m = matrix(
        &fw,
        &[
            ("A", vec![Some(4.0), Some(0.0)]),
            ("B", vec![Some(0.0), Some(4.0)]),
            ("C", vec![Some(2.0), Some(1.0)]),
        ],
    );
    // Moving a to share t: A = 100 t, B = 100 (1 − t), C = 25 + 25 t. A and B
    // separate at once (not a change: one of them stays first); C never beats
    // max(A, B) ≥ 50 ≥ C.
    let iv = weight_intervals(&fw, &m, RankScope::Top(1));
    assert_eq!((iv[1].low_share, iv[1].high_share), (0.0, 1.0));
    let fc = first_place_change(&fw, &m);
    assert_eq!(fc.first, vec![0, 1]);
    assert!(fc.by_weight.is_empty());
    // One score of C: C = 100 (a/4 + b/4)/2; reaching 50 needs a + b = 4: C's b from
    // 1 to 2 (one step) ties A and B → C shares first place.
    assert_eq!(fc.by_score.len(), 2, "{:?}", fc.by_score);
    let s = &fc.by_score[0];
    assert_eq!((s.row, s.criterion, s.to_value), (2, 0, 3.0));
    assert_eq!(s.new_first, vec![0, 1, 2]);
    assert_eq!(
        s.describe(),
        "If 'C' scored 3 instead of 2 on 'a', 'C' would share first place with 'A' and 'B'."
    );
    assert!(fc.describe().starts_with("'A' and 'B' share first place."));
    assert!(
        fc.describe()
            .ends_with("One other score change of the same size would too.")
    );
}

#[test]
fn quadratic_roots_are_stable() {
    let mut v = Vec::new();
    quadratic_roots(1.0, 0.0, -0.5, 0.0, 1.0, &mut v);
    assert_eq!(v.len(), 1);
    close(v[0], 0.5f64.sqrt());
    v.clear();
    quadratic_roots(0.0, 2.0, -1.0, 0.0, 1.0, &mut v);
    assert_eq!(v, vec![0.5]);
    v.clear();
    // Nearly linear: the far root is dropped, the near one stays accurate.
    quadratic_roots(1e-20, 2.0, -1.0, 0.0, 1.0, &mut v);
    assert_eq!(v.len(), 1);
    close(v[0], 0.5);
    v.clear();
    quadratic_roots(0.0, 0.0, 0.0, 0.0, 1.0, &mut v);
    assert!(v.is_empty());
}

#[test]
fn bernstein_roots_at_the_ends_are_exact() {
    let mut v = Vec::new();
    // (1 − t)(1 − t − t) : roots 1 (excluded, an end) and 1/2.
    bernstein_roots(1.0, -0.5, 0.0, 0.0, 1.0, &mut v);
    assert_eq!(v, vec![0.5]);
    v.clear();
    // 2t² − 1 = −(1 − t)² − 2t(1 − t) + t²: root √½.
    bernstein_roots(-1.0, -1.0, 1.0, 0.0, 1.0, &mut v);
    assert_eq!(v.len(), 1);
    close(v[0], 0.5f64.sqrt());
}

#[test]
fn fast_ranks_match_competition_ranks() {
    let t = vec![
        Some(50.0),
        Some(80.0),
        Some(50.0 + 1e-10),
        None,
        Some(10.0),
        Some(80.0),
    ];
    assert_eq!(
        fast_ranks(&t, &mut Vec::new()),
        stats::competition_ranks(&t)
    );
}

#[test]
fn weights_at_share_keeps_the_others_ratios() {
    let (fw, m) = pqr();
    let w = weights_at_share(&fw, &m.weights, WeightTarget::Criterion(0), 0.5);
    assert_eq!(w.criteria, vec![1.5, 0.75, 0.75]);
    assert_eq!(w.groups, m.weights.groups);
}

/// Under `RankingRule::UnrankIncomplete` a row with a counted group without an index
/// has no total at the current weights nor along any weight move inside (0, 1), and
/// the tracks agree with the results at every share checked.
#[test]
fn unrank_incomplete_rule_holds_along_every_track() {
    let b = Direction::Benefit;
    let fw = fw_of(vec![
        group(
            "G",
            Role::Objective,
            2.0,
            vec![crit("a", b, 1.0), crit("b", b, 1.0)],
        ),
        group("H", Role::Requirement, 1.0, vec![crit("h", b, 1.0)]),
    ]);
    let rows = [
        ("P", vec![Some(4.0), Some(1.0), Some(2.0)]),
        ("Q", vec![Some(1.0), Some(3.0), Some(4.0)]),
        // H not assessed: ranked on G alone by default, unranked by the other rule.
        ("R", vec![Some(4.0), Some(4.0), None]),
    ];
    for rule in RankingRule::ALL {
        let mut m = matrix(&fw, &rows);
        m.ranking_rule = rule;
        let ctx = Ctx::new(&fw, &m);
        let res = results_from_matrix(&fw, &m, &Selection::default());
        let totals: Vec<Option<f64>> = res.mechanisms.iter().map(|r| r.total).collect();
        assert_eq!(ctx.total0, totals);
        assert_eq!(
            ctx.total0[2].is_none(),
            rule == RankingRule::UnrankIncomplete
        );
        for target in [
            WeightTarget::Group(0),
            WeightTarget::Group(1),
            WeightTarget::Criterion(0),
            WeightTarget::Criterion(2),
        ] {
            let (_, others) = ctx.level(target);
            let tracks = ctx.tracks(target, others);
            for t in [0.1, 0.3, 0.5, 0.7, 0.9] {
                let w = weights_at_share(&fw, &m.weights, target, t);
                let mut mt = m.clone();
                mt.weights = w;
                let brute = results_from_matrix(&fw, &mt, &Selection::default());
                for (r, tr) in tracks.iter().enumerate() {
                    match (tr.at(t), brute.mechanisms[r].total) {
                        (Some(x), Some(y)) => close(x, y),
                        (None, None) => {}
                        other => panic!("{rule:?} {target:?} t={t} row {r}: {other:?}"),
                    }
                }
            }
        }
    }
    // R (G = 100, total 100) is first by default; without it Q is:
    // P = (2·62.5 + 50)/3 = 58.3, Q = (2·50 + 100)/3 = 66.7.
    let mut m = matrix(&fw, &rows);
    assert_eq!(first_place_change(&fw, &m).first, vec![2]);
    m.ranking_rule = RankingRule::UnrankIncomplete;
    assert_eq!(first_place_change(&fw, &m).first, vec![1]);
}
