//! Sensitivity of the composite (docs/analysis.md §7), checked against brute force:
//! move each weight over a fine grid, recompute the results with `results_from_matrix`
//! on the modified weights, and compare with the exact intervals and smallest changes.

use policy_workbench::bundled;
use policy_workbench::compute::sensitivity::*;
use policy_workbench::compute::{
    Cell, Matrix, Row, Selection, Weights, effective_matrix, results_from_matrix,
};
use policy_workbench::model::*;
use policy_workbench::persist;

const GRID: usize = 2000;
const TOL: f64 = 1e-7;

fn hand() -> Project {
    persist::load_str(include_str!("fixtures/hand.json"))
        .expect("hand.json loads")
        .project
}

fn matrix_of(p: &Project, scenario: Option<&str>) -> Matrix {
    let sel = Selection {
        scenario: scenario.map(str::to_string),
        analyst: None,
        ..Selection::default()
    };
    effective_matrix(p, &sel).expect("selection exists")
}

fn ranks(fw: &Framework, m: &Matrix) -> Vec<Option<usize>> {
    results_from_matrix(fw, m, &Selection::default())
        .mechanisms
        .iter()
        .map(|r| r.rank)
        .collect()
}

/// The members of the target's level and the target's position (written here again,
/// independently of the library).
fn level(fw: &Framework, target: WeightTarget) -> (bool, Vec<usize>, usize) {
    match target {
        WeightTarget::Group(g) => (true, (0..fw.groups.len()).collect(), g),
        WeightTarget::Criterion(c) => {
            let g: Vec<usize> = fw.criteria().map(|(g, _)| g).collect();
            let members = (0..g.len()).filter(|&j| g[j] == g[c]).collect();
            (false, members, c)
        }
    }
}

/// The matrix with the target at share `t`, the others of its level rescaled so that
/// their shares keep their ratios.
fn at_share(fw: &Framework, m: &Matrix, target: WeightTarget, t: f64) -> Matrix {
    let mut out = m.clone();
    let (is_group, members, i) = level(fw, target);
    let list = if is_group {
        &mut out.weights.groups
    } else {
        &mut out.weights.criteria
    };
    let total: f64 = members.iter().map(|&j| list[j]).sum();
    let others = total - list[i];
    for &j in &members {
        list[j] = if j == i {
            t * total
        } else {
            list[j] * (1.0 - t) * total / others
        };
    }
    out
}

/// The ranking changed in the first `k` places: some mechanism ranked ≤ k has a better
/// rank than now (no rank = worst); for the whole ranking, also a mechanism that loses
/// its total.
fn changed(r0: &[Option<usize>], r: &[Option<usize>], k: usize) -> bool {
    let key = |x: Option<usize>| x.unwrap_or(usize::MAX);
    (0..r.len()).any(|b| r[b].is_some_and(|rb| rb <= k && rb < key(r0[b])))
        || (k == usize::MAX && (0..r.len()).any(|a| r0[a].is_some() && r[a].is_none()))
}

/// Some mechanism that is not first now is first (alone or tied).
fn new_first(r0: &[Option<usize>], r: &[Option<usize>]) -> bool {
    (0..r.len()).any(|x| r[x] == Some(1) && r0[x] != Some(1))
}

fn scopes() -> [(RankScope, usize); 4] {
    [
        (RankScope::Top(1), 1),
        (RankScope::Top(2), 2),
        (RankScope::Top(5), 5),
        (RankScope::All, usize::MAX),
    ]
}

/// Checks every interval in every scope against a grid scan; returns the grid-scan
/// smallest move (share) that brings a new mechanism into first place.
fn check_against_brute_force(fw: &Framework, m: &Matrix, what: &str) -> Option<f64> {
    let r0 = ranks(fw, m);
    let grid: Vec<f64> = (0..=GRID).map(|i| i as f64 / GRID as f64).collect();
    let mut best_first: Option<f64> = None;
    let per_scope: Vec<Vec<WeightInterval>> = scopes()
        .iter()
        .map(|(s, _)| weight_intervals(fw, m, *s))
        .collect();
    for (ti, target) in weight_targets(fw).into_iter().enumerate() {
        let p = per_scope[0][ti].current_share;
        if !per_scope[0][ti].movable {
            for ivs in &per_scope {
                let iv = &ivs[ti];
                assert_eq!((iv.low_share, iv.high_share), (p, p), "{what} {target:?}");
                assert!(iv.low_change.is_none() && iv.high_change.is_none());
            }
            continue;
        }
        let rk = |t: f64| ranks(fw, &at_share(fw, m, target, t));
        let grid_ranks: Vec<Vec<Option<usize>>> = grid.iter().map(|&t| rk(t)).collect();
        for (&t, r) in grid.iter().zip(&grid_ranks) {
            if new_first(&r0, r) {
                let d = (t - p).abs();
                best_first = Some(best_first.map_or(d, |b: f64| b.min(d)));
            }
        }
        for ((_, k), ivs) in scopes().iter().zip(&per_scope) {
            let iv = &ivs[ti];
            let ctx = format!("{what} {target:?} k={k} {iv:?}");
            assert_eq!(iv.current_share, p);
            assert!(
                iv.low_share <= p + 1e-12 && iv.high_share >= p - 1e-12,
                "{ctx}"
            );
            // Nothing changes strictly inside the interval.
            for (&t, r) in grid.iter().zip(&grid_ranks) {
                if t > iv.low_share + TOL && t < iv.high_share - TOL {
                    assert!(!changed(&r0, r, *k), "{ctx}: changed inside at {t}");
                }
            }
            // Without a change the interval reaches the end, and the end does not change.
            for (bound, ch, end) in [
                (iv.high_share, &iv.high_change, 1.0),
                (iv.low_share, &iv.low_change, 0.0),
            ] {
                match ch {
                    None => {
                        assert_eq!(bound, end, "{ctx}");
                        assert!(!changed(&r0, &rk(end), *k), "{ctx}: end changes");
                    }
                    Some(c) => {
                        assert_eq!(c.share, bound);
                        // Just beyond the bound the ranking has changed.
                        let dir = if end > p { 1.0 } else { -1.0 };
                        // (Also halfway to the end and the end itself: a change
                        // may be confined to weights within 1e-12 of zero.)
                        let beyond = [1e-9, 1e-8, 1e-7, 1e-6, 1e-5]
                            .iter()
                            .map(|d| bound + dir * d)
                            .chain([bound, 0.5 * (bound + end), end])
                            .filter(|t| (0.0..=1.0).contains(t))
                            .any(|t| changed(&r0, &rk(t), *k));
                        assert!(beyond, "{ctx}: no change just beyond {bound}");
                        // The first changed grid point lies at or beyond the bound.
                        let first_grid = grid
                            .iter()
                            .zip(&grid_ranks)
                            .filter(|(t, _)| (**t - p) * dir > 0.0)
                            .filter(|(_, r)| changed(&r0, r, *k))
                            .map(|(t, _)| *t)
                            .min_by(|a, b| ((a - p) * dir).total_cmp(&((b - p) * dir)));
                        if let Some(g) = first_grid {
                            assert!((g - bound) * dir >= -TOL, "{ctx}: grid change at {g}");
                        }
                    }
                }
            }
        }
    }
    best_first
}

/// Brute force for the smallest score change: every scored cell, every level of its
/// scale, full recomputation.
fn brute_score_flips(fw: &Framework, m: &Matrix) -> Vec<(usize, usize, f64, f64)> {
    let r0 = ranks(fw, m);
    let crits: Vec<&Criterion> = fw.criteria().map(|(_, c)| c).collect();
    let mut found = Vec::new();
    for r in 0..m.rows.len() {
        for (ci, c) in crits.iter().enumerate() {
            let ScoreValue::Value(v) = m.cells[r][ci].value else {
                continue;
            };
            let mut best: Option<(f64, f64)> = None;
            for level in c.scale.min..=c.scale.max {
                let to = f64::from(level);
                if to == v {
                    continue;
                }
                let mut mm = m.clone();
                std::sync::Arc::make_mut(&mut mm.cells)[r][ci].value = ScoreValue::Value(to);
                if new_first(&r0, &ranks(fw, &mm)) {
                    let steps = (to - v).abs();
                    if best.is_none_or(|(s, _)| steps < s) {
                        best = Some((steps, to));
                    }
                }
            }
            if let Some((steps, to)) = best {
                found.push((r, ci, to, steps));
            }
        }
    }
    let min = found.iter().map(|f| f.3).fold(f64::INFINITY, f64::min);
    found.retain(|f| f.3 <= min + 1e-9);
    found
}

fn check_first_change(fw: &Framework, m: &Matrix, what: &str, brute_weight: Option<f64>) {
    let fc = first_place_change(fw, m);
    let r0 = ranks(fw, m);
    let first: Vec<usize> = (0..r0.len()).filter(|&r| r0[r] == Some(1)).collect();
    assert_eq!(fc.first, first, "{what}");
    // Weights: the exact smallest move is never larger than what the grid finds, and
    // the grid finds it within one grid step.
    match (fc.by_weight.first(), brute_weight) {
        (None, None) => {}
        (Some(w), Some(b)) => {
            let d = (w.to_share - w.from_share).abs();
            assert!(d <= b + TOL, "{what}: exact {d} > grid {b}");
            assert!(
                b <= d + 1.0 / GRID as f64 + TOL,
                "{what}: grid {b} ≫ exact {d}"
            );
            for w in &fc.by_weight {
                assert!(((w.to_share - w.from_share).abs() - d).abs() < 1e-9);
                let dir = (w.to_share - w.from_share).signum();
                let t = w.to_share + dir * 1e-7;
                let r = ranks(fw, &at_share(fw, m, w.target, t.clamp(0.0, 1.0)));
                assert!(new_first(&r0, &r), "{what}: {w:?}");
                assert_eq!(w.old_first, first);
            }
        }
        (w, b) => panic!("{what}: exact {w:?} vs grid {b:?}"),
    }
    // Scores: exactly the brute-force set.
    let brute = brute_score_flips(fw, m);
    let exact: Vec<(usize, usize, f64, f64)> = fc
        .by_score
        .iter()
        .map(|s| (s.row, s.criterion, s.to_value, s.steps))
        .collect();
    assert_eq!(exact, brute, "{what}");
    for s in &fc.by_score {
        let mut mm = m.clone();
        std::sync::Arc::make_mut(&mut mm.cells)[s.row][s.criterion].value =
            ScoreValue::Value(s.to_value);
        let r = ranks(fw, &mm);
        let nf: Vec<usize> = (0..r.len()).filter(|&x| r[x] == Some(1)).collect();
        assert_eq!(s.new_first, nf, "{what}: {s:?}");
    }
    // The description never panics and says something.
    assert!(!fc.describe().is_empty());
}

fn check_all(fw: &Framework, m: &Matrix, what: &str) {
    let b = check_against_brute_force(fw, m, what);
    check_first_change(fw, m, what, b);
}

#[test]
fn hand_fixture_against_brute_force() {
    let p = hand();
    check_all(&p.framework, &matrix_of(&p, None), "hand");
    check_all(&p.framework, &matrix_of(&p, Some("s1")), "hand/s1");
}

/// In hand.json, m1 (93.75) is far ahead: no weight and no single score can change
/// who is first.
#[test]
fn hand_fixture_nothing_changes_the_first_place() {
    let p = hand();
    let m = matrix_of(&p, None);
    for iv in weight_intervals(&p.framework, &m, RankScope::Top(1)) {
        assert!(
            iv.low_change.is_none() && iv.high_change.is_none(),
            "{iv:?}"
        );
        if iv.movable {
            assert_eq!((iv.low_share, iv.high_share), (0.0, 1.0));
        }
    }
    let fc = first_place_change(&p.framework, &m);
    assert_eq!(fc.first, vec![0]);
    assert_eq!(
        fc.describe(),
        "'One' is first. No single weight, moved anywhere between 0% and 100% of its level, \
         changes who is first. No single score change within its scale changes who is first."
    );
}

/// Coverage makes the composite jump. m3 has r2 and o1 not assessed: its requirement
/// coverage is the share of r1 (1/2 now), and its total rests on requirements and
/// concerns, weight 2 of 4 (exactly 50 % coverage). m3 (50) is tied second with m4.
///   - r1's share below 1/2: m3 loses its requirement index, its total coverage falls
///     to 1/4 and it leaves the ranking; m2 (43.75, fourth) moves ahead of it.
///   - requirements' group share below 1/4, or the objective's above 1/2: m3's total
///     coverage falls below 50 %, same result.
///
/// The first place never changes; the whole ranking changes right at the current share.
#[test]
fn hand_fixture_coverage_jumps() {
    let p = hand();
    let fw = &p.framework;
    let m = matrix_of(&p, None);
    let all = weight_intervals(fw, &m, RankScope::All);
    let get = |t: WeightTarget| all.iter().find(|i| i.target == t).unwrap();
    let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
    for (target, low, high) in [
        (WeightTarget::Criterion(0), 0.5, 1.0),
        (WeightTarget::Group(0), 0.25, 1.0),
        (WeightTarget::Group(1), 0.0, 0.5),
    ] {
        let iv = get(target);
        assert!(
            near(iv.low_share, low) && near(iv.high_share, high),
            "{iv:?}"
        );
        let ch = iv.low_change.as_ref().or(iv.high_change.as_ref()).unwrap();
        let passes = Shift::Rises {
            row: 1,
            ahead: Some(2),
        };
        assert_eq!(ch.shift, passes, "m2 passes m3: {iv:?}");
        assert_eq!(ch.first_after, vec![0]);
    }
    // Just beyond, m3 has no total in the results.
    let beyond = at_share(fw, &m, WeightTarget::Criterion(0), 0.49);
    let res = results_from_matrix(fw, &beyond, &Selection::default());
    assert_eq!(res.mechanisms[2].total, None);
    assert_eq!(res.mechanisms[2].groups[0].index, None);
}

#[test]
fn sample_against_brute_force() {
    let p = bundled::sample();
    check_all(&p.framework, &matrix_of(&p, None), "sample");
    for s in &p.scenarios {
        check_all(&p.framework, &matrix_of(&p, Some(&s.id)), &s.id);
    }
}

/// The sample has one mechanism first (the one `analyze` ranks first); the smallest
/// changes bring another one in, and the sentences name them.
#[test]
fn sample_first_place_and_sentences() {
    let p = bundled::sample();
    let m = matrix_of(&p, None);
    let fc = first_place_change(&p.framework, &m);
    assert_eq!(fc.first.len(), 1, "{:?}", fc.first_names);
    let ranked = policy_workbench::compute::analyze(&p, &Selection::default()).unwrap();
    let top = ranked
        .mechanisms
        .iter()
        .find(|r| r.rank == Some(1))
        .unwrap();
    assert_eq!(fc.first_names[0], top.name, "{:?}", fc.first_names);
    assert!(!fc.by_weight.is_empty() || !fc.by_score.is_empty());
    for w in &fc.by_weight {
        assert!(w.new_first.iter().any(|r| !fc.first.contains(r)));
    }
    for s in &fc.by_score {
        assert!(s.new_first.iter().any(|r| !fc.first.contains(r)));
    }
    println!("{}", fc.describe());
    for iv in weight_intervals(&p.framework, &m, RankScope::Top(1)) {
        println!(
            "{:<50} {:>6.1}% [{:>6.1}%, {:>6.1}%]  raw {} [{}, {}]",
            iv.label,
            100.0 * iv.current_share,
            100.0 * iv.low_share,
            100.0 * iv.high_share,
            iv.current_raw,
            iv.low_raw,
            iv.high_raw
        );
    }
}

/// A small deterministic generator (no dependency on a random crate's stream).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A random framework and matrix: `groups` groups (one of them a concern), `per_group`
/// criteria each, random weights (some zero), random scores with gaps.
fn synthetic(seed: u64, rows: usize, groups: usize, per_group: usize) -> (Framework, Matrix) {
    let mut rng = Lcg(seed);
    let mut fw = Framework::default();
    for g in 0..groups {
        let role = match g % 3 {
            0 => Role::Requirement,
            1 => Role::Objective,
            _ => Role::Concern,
        };
        let criteria = (0..per_group)
            .map(|i| {
                let mut c = Criterion::new(&format!("c{g}_{i}"), &format!("C{g}.{i}"));
                c.weight = if rng.next() < 0.1 {
                    0.0
                } else {
                    (1.0 + 4.0 * rng.next()).round()
                };
                if rng.next() < 0.3 {
                    c.direction = Direction::Cost;
                }
                c
            })
            .collect();
        fw.groups.push(Group {
            id: format!("g{g}"),
            name: format!("G{g}"),
            role,
            weight: (1.0 + 3.0 * rng.next()).round(),
            description: String::new(),
            criteria,
        });
    }
    let n_crit = groups * per_group;
    let mut cells = Vec::new();
    for _ in 0..rows {
        cells.push(
            (0..n_crit)
                .map(|_| {
                    let u = rng.next();
                    let value = if u < 0.12 {
                        ScoreValue::NotAssessed
                    } else if u < 0.16 {
                        ScoreValue::NotApplicable
                    } else {
                        ScoreValue::Value((rng.next() * 4.999).floor())
                    };
                    Cell {
                        value,
                        ..Cell::EMPTY
                    }
                })
                .collect(),
        );
    }
    let m = Matrix {
        rows: (0..rows)
            .map(|i| Row {
                mechanism_id: format!("m{i}"),
                name: format!("M{i}"),
                kind: Kind::Bilateral,
                added: false,
            })
            .collect(),
        cells: std::sync::Arc::new(cells),
        ranking_rule: RankingRule::default(),
        viewpoint: Viewpoint::as_weighted(),
        weights: Weights {
            groups: fw.groups.iter().map(|g| g.weight).collect(),
            criteria: fw.criteria().map(|(_, c)| c.weight).collect(),
        },
    };
    (fw, m)
}

/// Six seeds by default; `SENSITIVITY_SEEDS=200` for a longer soak.
#[test]
fn random_matrices_against_brute_force() {
    let seeds: u64 = std::env::var("SENSITIVITY_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    for seed in 1..=seeds {
        let rows = 6 + (seed as usize * 7) % 17;
        let (fw, m) = synthetic(seed, rows, 2 + seed as usize % 3, 2 + seed as usize % 3);
        check_all(&fw, &m, &format!("seed {seed} ({rows} rows)"));
    }
}
