//! SMAA-2 rank acceptability (docs/analysis.md, "SMAA-2 rank acceptability"): exact
//! closed-form cases, agreement with the deterministic results, reproducibility.
//!
//! Closed forms: with two criteria whose weights are uniform on the 2-simplex,
//! `w = (t, 1 − t)` with `t ~ U(0, 1)`, and each total is linear in `t`, so every
//! acceptability is the length of the interval of `t` where it holds.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use policy_workbench::bundled;
use policy_workbench::compute::smaa::*;
use policy_workbench::compute::{
    Cell, Matrix, Row, Selection, Weights, effective_matrix, results_from_matrix,
};
use policy_workbench::model::*;
use policy_workbench::persist;

// ---- helpers ------------------------------------------------------------------

fn crit(id: &str, direction: Direction) -> Criterion {
    let mut c = Criterion::new(id, id);
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

fn fw(groups: Vec<Group>) -> Framework {
    Framework {
        id: "t".into(),
        name: "t".into(),
        description: String::new(),
        groups,
        ..Framework::default()
    }
}

fn cell(v: Option<f64>, conf: Confidence) -> Cell {
    Cell {
        value: v.map_or(ScoreValue::NotAssessed, ScoreValue::Value),
        confidence: v.map(|_| conf),
        n_scored: usize::from(v.is_some()),
        ..Cell::EMPTY
    }
}

/// A matrix of the framework's criteria with the given rows (None = not assessed).
fn matrix(f: &Framework, rows: &[(&str, Vec<Option<f64>>)], conf: Confidence) -> Matrix {
    Matrix {
        rows: rows
            .iter()
            .map(|(id, _)| Row {
                mechanism_id: (*id).into(),
                name: (*id).into(),
                kind: Kind::ALL[0],
                added: false,
            })
            .collect(),
        cells: std::sync::Arc::new(
            rows.iter()
                .map(|(_, v)| v.iter().map(|x| cell(*x, conf)).collect())
                .collect(),
        ),
        ranking_rule: RankingRule::default(),
        viewpoint: Viewpoint::as_weighted(),
        weights: Weights {
            groups: f.groups.iter().map(|g| g.weight).collect(),
            criteria: f.criteria().map(|(_, c)| c.weight).collect(),
        },
    }
}

/// One objective group with two benefit criteria; A = (4, 0), B = (0, 4), C = (3, 2)
/// on 0–4, so totals are A = t, B = 1 − t, C = 0.5 + 0.25 t.
fn abc() -> (Framework, Matrix) {
    let f = fw(vec![group(
        "g",
        Role::Objective,
        vec![
            crit("c1", Direction::Benefit),
            crit("c2", Direction::Benefit),
        ],
    )]);
    let m = matrix(
        &f,
        &[
            ("A", vec![Some(4.0), Some(0.0)]),
            ("B", vec![Some(0.0), Some(4.0)]),
            ("C", vec![Some(3.0), Some(2.0)]),
        ],
        Confidence::High,
    );
    (f, m)
}

/// |estimate − exact| within 4 standard errors (exact equality at 0 and 1).
fn close(est: f64, exact: f64, n: usize, what: &str) {
    let se = (exact * (1.0 - exact) / n as f64).sqrt();
    assert!(
        (est - exact).abs() <= 4.0 * se + 1e-12,
        "{what}: estimate {est} vs exact {exact} (4 SE = {})",
        4.0 * se
    );
}

fn opts(samples: usize, seed: u64) -> SmaaOptions {
    SmaaOptions::new(samples, seed)
}

fn hand() -> Project {
    persist::load_str(include_str!("fixtures/hand.json"))
        .expect("hand.json loads")
        .project
}

/// Rank acceptabilities of the (A, B, C) case: A first on t > 2/3, B on t < 0.4,
/// C between; A last on t < 1/2, B last on t > 1/2, C never last.
const ABC: [[f64; 3]; 3] = [
    [1.0 / 3.0, 1.0 / 6.0, 0.5],
    [0.4, 0.1, 0.5],
    [4.0 / 15.0, 11.0 / 15.0, 0.0],
];

fn check_abc(s: &Smaa, what: &str) {
    let n = s.options.samples;
    for (i, row) in ABC.iter().enumerate() {
        for (r, &exact) in row.iter().enumerate() {
            close(
                s.acceptability(i, r + 1),
                exact,
                n,
                &format!("{what} b[{i}][{}]", r + 1),
            );
            let se = s.acceptability_se(i, r + 1);
            assert!(
                (se - (s.acceptability(i, r + 1) * (1.0 - s.acceptability(i, r + 1)) / n as f64)
                    .sqrt())
                .abs()
                    < 1e-15
            );
        }
        assert_eq!(s.unranked(i), 0.0);
    }
}

// ---- closed forms ---------------------------------------------------------------

#[test]
fn two_criteria_closed_form_acceptabilities_pairwise_and_central_weights() {
    let (f, m) = abc();
    let n = 40_000;
    let s = smaa(&f, &m, &opts(n, 11)).expect("runs");
    check_abc(&s, "criteria level");
    // P(A beats B) = P(t > 1/2), P(A beats C) = P(t > 2/3), P(C beats B) = P(t > 0.4).
    close(s.beats(0, 1).unwrap(), 0.5, n, "P(A>B)");
    close(s.beats(1, 0).unwrap(), 0.5, n, "P(B>A)");
    close(s.beats(0, 2).unwrap(), 1.0 / 3.0, n, "P(A>C)");
    close(s.beats(2, 1).unwrap(), 0.6, n, "P(C>B)");
    assert_eq!(s.beats(0, 0), Some(0.0));
    for i in 0..3 {
        for j in 0..3 {
            if i != j {
                let sum = s.beats(i, j).unwrap() + s.beats(j, i).unwrap();
                assert!((sum - 1.0).abs() < 1e-12, "no ties here");
            }
        }
    }
    // Central weights: the mean of t over the interval where each is first.
    let cw = |i: usize| s.central_weights[i].clone().expect("was first");
    let tol = 0.01; // SD of t within an interval ≤ 0.2, ≥ 10,000 samples each: SE < 0.002
    for (i, t) in [(0, 5.0 / 6.0), (1, 0.2), (2, 8.0 / 15.0)] {
        let w = cw(i);
        assert!(
            (w[0] - t).abs() < tol,
            "central weight of {i}: {w:?} vs {t}"
        );
        assert!((w[0] + w[1] - 1.0).abs() < 1e-9);
    }
    // With its central weights each is first; without score noise that is certain.
    assert_eq!(s.confidence, vec![Some(1.0); 3]);
    assert_eq!(s.confidence_samples, 0);
    assert_eq!(s.confidence_se(0), Some(0.0));
}

#[test]
fn group_level_with_a_concern_group_counts_it_inverted() {
    // c2 is a cost criterion in a concern group: A = 4 (most concern), B = 0, C = 2;
    // its composite share is 1 − x, so the totals are those of `abc`.
    let f = fw(vec![
        group("g", Role::Objective, vec![crit("c1", Direction::Benefit)]),
        group("k", Role::Concern, vec![crit("c2", Direction::Cost)]),
    ]);
    let m = matrix(
        &f,
        &[
            ("A", vec![Some(4.0), Some(4.0)]),
            ("B", vec![Some(0.0), Some(0.0)]),
            ("C", vec![Some(3.0), Some(2.0)]),
        ],
        Confidence::High,
    );
    let mut o = opts(40_000, 5);
    o.weights = WeightModel::Uniform {
        level: WeightLevel::Groups,
        bounds: Vec::new(),
        order: None,
    };
    let s = smaa(&f, &m, &o).expect("runs");
    check_abc(&s, "group level");
    let g = s.central_group_weights(0).unwrap();
    assert!((g[0] - 5.0 / 6.0).abs() < 0.01, "{g:?}");
}

#[test]
fn three_criteria_uniform_simplex_moments() {
    // Mechanism k scores 4 on criterion k only: its total is w_k. Each is first with
    // probability 1/3, and E[w_k | w_k is the largest] = (1 + 1/2 + 1/3)/3 = 11/18 for
    // the uniform distribution on the 3-simplex.
    let f = fw(vec![group(
        "g",
        Role::Objective,
        vec![
            crit("c1", Direction::Benefit),
            crit("c2", Direction::Benefit),
            crit("c3", Direction::Benefit),
        ],
    )]);
    let m = matrix(
        &f,
        &[
            ("E1", vec![Some(4.0), Some(0.0), Some(0.0)]),
            ("E2", vec![Some(0.0), Some(4.0), Some(0.0)]),
            ("E3", vec![Some(0.0), Some(0.0), Some(4.0)]),
        ],
        Confidence::High,
    );
    let n = 30_000;
    let s = smaa(&f, &m, &opts(n, 3)).expect("runs");
    for i in 0..3 {
        for r in 1..=3 {
            close(s.acceptability(i, r), 1.0 / 3.0, n, "b");
        }
        let w = s.central_weights[i].clone().unwrap();
        assert!((w[i] - 11.0 / 18.0).abs() < 0.008, "{w:?}");
        for (c, x) in w.iter().enumerate() {
            if c != i {
                assert!((x - 7.0 / 36.0).abs() < 0.008, "{w:?}");
            }
        }
    }
}

#[test]
fn bounds_and_order_restrict_the_simplex() {
    let (f, m) = abc();
    let n = 30_000;
    let uniform = |bounds: Vec<WeightBound>, order: Option<Vec<usize>>| WeightModel::Uniform {
        level: WeightLevel::Criteria,
        bounds,
        order,
    };
    // w1 ≥ 0.5 (lower bound, exact shift): t ~ U(0.5, 1): A first on t > 2/3 → 2/3.
    let mut o = opts(n, 9);
    o.weights = uniform(
        vec![WeightBound {
            index: 0,
            lo: 0.5,
            hi: 1.0,
        }],
        None,
    );
    let s = smaa(&f, &m, &o).unwrap();
    close(s.acceptability(0, 1), 2.0 / 3.0, n, "lo: A first");
    close(s.acceptability(2, 1), 1.0 / 3.0, n, "lo: C first");
    assert_eq!(s.acceptability(1, 1), 0.0);
    // The same by order: c1 at least as important as c2.
    o.weights = uniform(Vec::new(), Some(vec![0, 1]));
    let s = smaa(&f, &m, &o).unwrap();
    close(s.acceptability(0, 1), 2.0 / 3.0, n, "order: A first");
    close(s.acceptability(2, 1), 1.0 / 3.0, n, "order: C first");
    // w1 ≤ 0.5 (upper bound, rejection): t ~ U(0, 0.5): B first on t < 0.4 → 0.8.
    o.weights = uniform(
        vec![WeightBound {
            index: 0,
            lo: 0.0,
            hi: 0.5,
        }],
        None,
    );
    let s = smaa(&f, &m, &o).unwrap();
    close(s.acceptability(1, 1), 0.8, n, "hi: B first");
    close(s.acceptability(2, 1), 0.2, n, "hi: C first");
    // Both: t ~ U(0.3, 0.5): B first on t < 0.4 → 0.5.
    o.weights = uniform(
        vec![
            WeightBound {
                index: 0,
                lo: 0.3,
                hi: 0.5,
            },
            WeightBound {
                index: 1,
                lo: 0.0,
                hi: 1.0,
            },
        ],
        None,
    );
    let s = smaa(&f, &m, &o).unwrap();
    close(s.acceptability(1, 1), 0.5, n, "lo+hi: B first");
    // Infeasible or malformed bounds are refused with a message.
    for bad in [
        uniform(
            vec![
                WeightBound {
                    index: 0,
                    lo: 0.7,
                    hi: 1.0,
                },
                WeightBound {
                    index: 1,
                    lo: 0.6,
                    hi: 1.0,
                },
            ],
            None,
        ),
        uniform(
            vec![
                WeightBound {
                    index: 0,
                    lo: 0.0,
                    hi: 0.2,
                },
                WeightBound {
                    index: 1,
                    lo: 0.0,
                    hi: 0.2,
                },
            ],
            None,
        ),
        uniform(
            vec![WeightBound {
                index: 5,
                lo: 0.0,
                hi: 0.5,
            }],
            None,
        ),
        uniform(
            vec![WeightBound {
                index: 0,
                lo: 0.6,
                hi: 0.5,
            }],
            None,
        ),
        uniform(Vec::new(), Some(vec![0])),
        uniform(Vec::new(), Some(vec![0, 0])),
    ] {
        o.weights = bad.clone();
        match smaa(&f, &m, &o) {
            Err(SmaaError::Invalid(msg)) => assert!(!msg.is_empty()),
            other => panic!("{bad:?} should be refused, got {other:?}"),
        }
    }
}

#[test]
fn coverage_below_half_leaves_a_mechanism_unranked() {
    // D has c1 not assessed and c2 = 4: its coverage is 1 − t, so it has a total (1,
    // the best) for t < 1/2 and none above. A = t, B = 1 − t.
    let f = fw(vec![group(
        "g",
        Role::Objective,
        vec![
            crit("c1", Direction::Benefit),
            crit("c2", Direction::Benefit),
        ],
    )]);
    let m = matrix(
        &f,
        &[
            ("A", vec![Some(4.0), Some(0.0)]),
            ("B", vec![Some(0.0), Some(4.0)]),
            ("D", vec![None, Some(4.0)]),
        ],
        Confidence::High,
    );
    let n = 20_000;
    let s = smaa(&f, &m, &opts(n, 21)).unwrap();
    close(s.acceptability(2, 1), 0.5, n, "D first");
    close(s.unranked(2), 0.5, n, "D unranked");
    assert_eq!(s.acceptability(2, 2) + s.acceptability(2, 3), 0.0);
    close(s.acceptability(0, 1), 0.5, n, "A first");
    close(s.acceptability(0, 3), 0.5, n, "A third");
    assert_eq!(s.acceptability(1, 2), 1.0, "B is always second");
    // Pairwise only counts samples where both have a total.
    close(s.beats(2, 0).unwrap(), 0.5, n, "D beats A");
    assert_eq!(s.beats(0, 2), Some(0.0));
    let row_sum: f64 = (1..=3).map(|r| s.acceptability(2, r)).sum::<f64>() + s.unranked(2);
    assert!((row_sum - 1.0).abs() < 1e-12);
}

// ---- agreement with the deterministic results -----------------------------------

fn assert_degenerate(f: &Framework, m: &Matrix, o: &SmaaOptions, what: &str) {
    let det = results_from_matrix(f, m, &Selection::default());
    let s = smaa(f, m, o).expect("runs");
    let n = o.samples as u64;
    for (i, r) in det.mechanisms.iter().enumerate() {
        match r.rank {
            Some(rank) => assert_eq!(
                s.rank_counts[i][rank - 1],
                n,
                "{what}: {} should rank {rank} in every sample: {:?}",
                r.id,
                s.rank_counts[i]
            ),
            None => assert_eq!(s.unranked_counts[i], n, "{what}: {} has no total", r.id),
        }
    }
    if let Some(first) = det.mechanisms.iter().position(|r| r.rank == Some(1)) {
        let w = s.central_weights[first].as_ref().expect("first");
        let base_sum: f64 = w.iter().sum();
        assert!((base_sum - 1.0).abs() < 1e-9);
        assert_eq!(s.confidence[first], Some(1.0), "{what}");
    }
}

#[test]
fn fixed_weights_without_noise_rank_like_the_deterministic_results() {
    let mut o = opts(300, 1);
    o.weights = WeightModel::Fixed;
    let sample = bundled::sample();
    let m = effective_matrix(&sample, &Selection::default()).unwrap();
    assert_degenerate(&sample.framework, &m, &o, "sample");
    let h = hand();
    for scenario in std::iter::once(None).chain(h.scenarios.iter().map(|s| Some(s.id.clone()))) {
        for analyst in std::iter::once(None).chain(h.analysts.iter().map(|a| Some(a.id.clone()))) {
            let sel = Selection {
                scenario: scenario.clone(),
                analyst,
                ..Selection::default()
            };
            let m = effective_matrix(&h, &sel).unwrap();
            assert_degenerate(&h.framework, &m, &o, &format!("hand {sel:?}"));
        }
    }
    // Ties share the best rank, as in the deterministic results.
    let (f, mut m) = abc();
    let first = m.cells[0].clone();
    std::sync::Arc::make_mut(&mut m.cells)[2] = first;
    assert_degenerate(&f, &m, &o, "tied rows");
    let s = smaa(&f, &m, &o).unwrap();
    assert_eq!(s.rank_counts[0][0], 300);
    assert_eq!(s.rank_counts[2][0], 300);
    assert_eq!(s.beats(0, 2), Some(0.0));
    // Score noise of width 0 changes nothing.
    o.scores = ScoreUncertainty::FromConfidence(ScoreSpread {
        high: 0.0,
        moderate: 0.0,
        low: 0.0,
    });
    let m = effective_matrix(&sample, &Selection::default()).unwrap();
    assert_degenerate(&sample.framework, &m, &o, "zero-width noise");
}

#[test]
fn exactly_tied_totals_from_different_rows_share_a_rank() {
    // (4, 0) and (0, 4) tie at equal weights, although the f32 sums differ in order.
    let (f, m) = abc();
    let mut o = opts(50, 2);
    o.weights = WeightModel::Fixed;
    let s = smaa(&f, &m, &o).unwrap();
    // Totals at (1/2, 1/2): A = B = 0.5, C = 0.625.
    assert_eq!(s.rank_counts[2][0], 50);
    assert_eq!(s.rank_counts[0][1], 50);
    assert_eq!(s.rank_counts[1][1], 50);
}

// ---- score uncertainty ------------------------------------------------------------

#[test]
fn score_noise_closed_form_with_clamping() {
    // One criterion, fixed weights. A = 4 with low confidence: uniform on [3, 5],
    // clamped to 4, so A > 3.5 with probability 3/4. B = 3.5 with high confidence
    // never moves. C = 2 moderate: uniform on [1.5, 2.5], always last.
    let f = fw(vec![group(
        "g",
        Role::Objective,
        vec![crit("c1", Direction::Benefit)],
    )]);
    let mut m = matrix(
        &f,
        &[
            ("A", vec![Some(4.0)]),
            ("B", vec![Some(3.5)]),
            ("C", vec![Some(2.0)]),
        ],
        Confidence::High,
    );
    std::sync::Arc::make_mut(&mut m.cells)[0][0].confidence = Some(Confidence::Low);
    std::sync::Arc::make_mut(&mut m.cells)[2][0].confidence = Some(Confidence::Moderate);
    let n = 20_000;
    let mut o = opts(n, 17);
    o.weights = WeightModel::Fixed;
    o.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
    let s = smaa(&f, &m, &o).unwrap();
    close(s.acceptability(0, 1), 0.75, n, "A first");
    close(s.acceptability(1, 1), 0.25, n, "B first");
    assert_eq!(s.acceptability(2, 3), 1.0);
    close(s.beats(0, 1).unwrap(), 0.75, n, "A beats B");
    // Confidence factor (fixed weights = central weights): the same shares, drawn in
    // their own pass.
    assert_eq!(s.confidence_samples, 10_000);
    close(s.confidence[0].unwrap(), 0.75, 10_000, "cf A");
    close(s.confidence[1].unwrap(), 0.25, 10_000, "cf B");
    assert_eq!(s.confidence[2], None, "never first");
    // Off: deterministic.
    o.scores = ScoreUncertainty::Off;
    let s = smaa(&f, &m, &o).unwrap();
    assert_eq!(s.rank_counts[0][0], n as u64);
}

#[test]
fn a_zero_half_width_leaves_cells_in_place() {
    // Every cell of the sample set to high confidence, and high confidence given a
    // zero half-width (the default is ±0.25): score noise on changes nothing.
    let still = ScoreSpread {
        high: 0.0,
        ..ScoreSpread::default()
    };
    assert_eq!(ScoreSpread::default().high, 0.25);
    let sample = bundled::sample();
    let mut m = effective_matrix(&sample, &Selection::default()).unwrap();
    for row in std::sync::Arc::make_mut(&mut m.cells) {
        for c in row.iter_mut() {
            if c.value.number().is_some() {
                c.confidence = Some(Confidence::High);
            }
        }
    }
    let mut o = opts(500, 4);
    o.weights = WeightModel::Fixed;
    o.scores = ScoreUncertainty::FromConfidence(still);
    assert_degenerate(&sample.framework, &m, &o, "all high");
    // Uniform weights: with and without noise give the same result.
    let mut a = opts(3000, 4);
    a.pairwise = true;
    let off = smaa(&sample.framework, &m, &a).unwrap();
    a.scores = ScoreUncertainty::FromConfidence(still);
    let on = smaa(&sample.framework, &m, &a).unwrap();
    assert_eq!(off.rank_counts, on.rank_counts);
    assert_eq!(off.pairwise_counts, on.pairwise_counts);
    assert_eq!(off.central_weights, on.central_weights);
}

#[test]
fn score_noise_moves_moderate_and_low_cells() {
    let sample = bundled::sample();
    let m = effective_matrix(&sample, &Selection::default()).unwrap();
    let mut o = opts(2000, 8);
    o.weights = WeightModel::Fixed;
    let off = smaa(&sample.framework, &m, &o).unwrap();
    o.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
    let on = smaa(&sample.framework, &m, &o).unwrap();
    assert_ne!(
        off.rank_counts, on.rank_counts,
        "the sample has moderate and low cells"
    );
    // Every row of acceptabilities still sums to 1 with the unranked share.
    for i in 0..m.rows.len() {
        let sum: u64 = on.rank_counts[i].iter().sum::<u64>() + on.unranked_counts[i];
        assert_eq!(sum, 2000);
    }
}

// ---- reproducibility ---------------------------------------------------------------

fn noisy_options(samples: usize, seed: u64) -> SmaaOptions {
    let mut o = opts(samples, seed);
    o.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
    o.confidence_samples = Some(5000);
    o
}

#[test]
fn same_seed_same_result_other_seed_other_result() {
    let sample = bundled::sample();
    let m = effective_matrix(&sample, &Selection::default()).unwrap();
    let a = smaa(&sample.framework, &m, &noisy_options(9000, 42)).unwrap();
    let b = smaa(&sample.framework, &m, &noisy_options(9000, 42)).unwrap();
    assert_eq!(a, b);
    let c = smaa(&sample.framework, &m, &noisy_options(9000, 43)).unwrap();
    assert_ne!(a.rank_counts, c.rank_counts);
    assert_eq!(a.options.seed, 42);
    assert_eq!(a.options.samples, 9000);
    assert_eq!(a.chunk_size, CHUNK);
    assert!(a.generator.contains("ChaCha8"));
}

#[test]
fn one_and_two_threads_give_identical_results() {
    let sample = bundled::sample();
    // A scenario with not-assessed cells exercises the general path too.
    let h = hand();
    let cases = [
        (
            sample.framework.clone(),
            effective_matrix(&sample, &Selection::default()).unwrap(),
        ),
        (
            h.framework.clone(),
            effective_matrix(&h, &Selection::default()).unwrap(),
        ),
    ];
    for (f, m) in &cases {
        let o = noisy_options(3 * CHUNK + 123, 7);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| smaa(f, m, &o).unwrap())
        };
        let one = run(1);
        let two = run(2);
        assert_eq!(one, two);
        let three = run(3);
        assert_eq!(one, three);
    }
}

#[test]
fn progress_reaches_the_work_and_cancel_stops() {
    let sample = bundled::sample();
    let m = effective_matrix(&sample, &Selection::default()).unwrap();
    let o = noisy_options(10_000, 1);
    let progress = AtomicU64::new(0);
    let cancel = AtomicBool::new(false);
    smaa_with_progress(&sample.framework, &m, &o, &cancel, &progress).unwrap();
    assert_eq!(progress.load(Ordering::Relaxed), o.work());
    assert_eq!(o.work(), 15_000);
    cancel.store(true, Ordering::Relaxed);
    let r = smaa_with_progress(&sample.framework, &m, &o, &cancel, &AtomicU64::new(0));
    assert_eq!(r, Err(SmaaError::Cancelled));
}

#[test]
fn ten_thousand_samples_on_the_sample() {
    // The UI's workload. How fast it runs is measured by `cargo bench --bench smaa`
    // (the "sample" line), not here.
    let sample = bundled::sample();
    let m = effective_matrix(&sample, &Selection::default()).unwrap();
    let s = smaa(&sample.framework, &m, &opts(10_000, 0)).unwrap();
    let first: f64 = (0..m.rows.len()).map(|i| s.acceptability(i, 1)).sum();
    assert!(
        first >= 1.0 - 1e-12,
        "someone is first in every sample (ties may share)"
    );
}

#[test]
fn json_carries_seed_samples_options_and_every_mechanism() {
    let (f, m) = abc();
    let s = smaa(&f, &m, &opts(1000, 5)).unwrap();
    let v = s.to_json();
    assert_eq!(v["seed"], 5);
    assert_eq!(v["samples"], 1000);
    assert_eq!(v["options"]["weights"]["model"], "uniform");
    assert_eq!(v["options"]["weights"]["level"], "criteria");
    assert_eq!(v["options"]["score_uncertainty"]["model"], "off");
    let ms = v["mechanisms"].as_array().unwrap();
    assert_eq!(ms.len(), 3);
    assert_eq!(ms[0]["id"], "A");
    assert_eq!(ms[0]["acceptability"].as_array().unwrap().len(), 3);
    assert!(ms[0]["central_weights"]["c1"].as_f64().unwrap() > 0.6);
    assert_eq!(ms[0]["confidence_factor"], 1.0);
    assert_eq!(v["pairwise"]["p"].as_array().unwrap().len(), 3);
}

#[test]
fn invalid_inputs_are_refused() {
    let (f, m) = abc();
    assert!(matches!(
        smaa(&f, &m, &opts(0, 1)),
        Err(SmaaError::Invalid(_))
    ));
    let mut zero = m.clone();
    zero.weights.criteria = vec![0.0, 0.0];
    assert!(matches!(
        smaa(&f, &zero, &opts(10, 1)),
        Err(SmaaError::Invalid(_))
    ));
    let mut o = opts(10, 1);
    o.scores = ScoreUncertainty::FromConfidence(ScoreSpread {
        high: -1.0,
        moderate: 0.5,
        low: 1.0,
    });
    assert!(matches!(smaa(&f, &m, &o), Err(SmaaError::Invalid(_))));
}

// ---- command line ------------------------------------------------------------------

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_policy-workbench"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn analyze_json_with_smaa_adds_an_object_and_keeps_the_rest() {
    let f = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hand.json");
    let plain = cli(&["analyze", f, "--json"]);
    assert!(plain.status.success());
    let plain: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(plain.get("smaa").is_none());
    let o = cli(&["analyze", f, "--json", "--smaa", "3000", "--seed", "42"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Every key of the plain output is there, with the same value.
    for (k, x) in plain.as_object().unwrap() {
        assert_eq!(&v[k], x, "key {k}");
    }
    let s = &v["smaa"];
    assert_eq!(s["seed"], 42);
    assert_eq!(s["samples"], 3000);
    assert_eq!(s["options"]["weights"]["level"], "criteria");
    let ms = s["mechanisms"].as_array().unwrap();
    let n = v["mechanisms"].as_array().unwrap().len();
    assert_eq!(ms.len(), n);
    for m in ms {
        let b = m["acceptability"].as_array().unwrap();
        assert_eq!(b.len(), n);
        let sum: f64 =
            b.iter().map(|x| x.as_f64().unwrap()).sum::<f64>() + m["unranked"].as_f64().unwrap();
        assert!((sum - 1.0).abs() < 1e-4, "{sum}");
    }
    assert_eq!(s["pairwise"]["p"].as_array().unwrap().len(), n);
    // Same seed, same output.
    let again = cli(&["analyze", f, "--json", "--smaa", "3000", "--seed", "42"]);
    assert_eq!(again.stdout, o.stdout);
    // Group level and score uncertainty are recorded.
    let o = cli(&[
        "analyze",
        f,
        "--json",
        "--smaa",
        "500",
        "--smaa-groups",
        "--smaa-scores",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["smaa"]["options"]["weights"]["level"], "groups");
    assert_eq!(
        v["smaa"]["options"]["score_uncertainty"]["model"],
        "confidence"
    );
    assert_eq!(v["smaa"]["seed"], 1, "the default seed");
    // The table gains a section; 0 samples is a usage error.
    let t = cli(&["analyze", f, "--smaa", "500"]);
    assert!(
        String::from_utf8_lossy(&t.stdout)
            .contains("Rank acceptability (SMAA-2): 500 samples, seed 1")
    );
    let bad = cli(&["analyze", f, "--smaa", "0"]);
    assert_eq!(bad.status.code(), Some(2));
}

// ---- not-assessed cells and several analysts ---------------------------------------

/// Exact rank acceptabilities by enumeration: every combination of the drawn cells'
/// outcomes (equally likely within a cell), each ranked by the deterministic results.
/// `choices[k]` = (row, column, the values the cell takes).
fn brute_force(
    f: &Framework,
    base: &Matrix,
    choices: &[(usize, usize, Vec<f64>)],
) -> Vec<Vec<f64>> {
    let m = base.rows.len();
    let mut acc = vec![vec![0.0; m + 1]; m];
    let total: usize = choices.iter().map(|c| c.2.len()).product();
    for mut code in 0..total {
        let mut mx = base.clone();
        let cells = std::sync::Arc::make_mut(&mut mx.cells);
        for (r, c, values) in choices {
            let v = values[code % values.len()];
            code /= values.len();
            cells[*r][*c] = cell(Some(v), Confidence::High);
        }
        let det = results_from_matrix(f, &mx, &Selection::default());
        for (i, row) in det.mechanisms.iter().enumerate() {
            acc[i][row.rank.unwrap_or(0)] += 1.0 / total as f64;
        }
    }
    acc
}

/// Every acceptability (and share without a total) of `s` within 4 SE of `exact`.
fn assert_exact(s: &Smaa, exact: &[Vec<f64>], m: &Matrix) {
    for (i, shares) in exact.iter().enumerate() {
        for (rank, &p) in shares.iter().enumerate() {
            let est = if rank == 0 {
                s.unranked(i)
            } else {
                s.acceptability(i, rank)
            };
            let what = format!("{} rank {rank} (0 = no total)", m.rows[i].mechanism_id);
            close(est, p, s.options.samples, &what);
        }
    }
}

/// Two groups; A complete, B and C with not-assessed cells (one with all of a group
/// unassessed), D with a not-applicable cell.
fn gappy() -> (Framework, Matrix) {
    let f = fw(vec![
        group(
            "g1",
            Role::Objective,
            vec![crit("a", Direction::Benefit), crit("b", Direction::Benefit)],
        ),
        group("g2", Role::Objective, vec![crit("c", Direction::Cost)]),
    ]);
    let mut m = matrix(
        &f,
        &[
            ("A", vec![Some(2.0), Some(3.0), Some(2.0)]),
            ("B", vec![Some(4.0), None, Some(1.0)]),
            ("C", vec![Some(3.0), Some(1.0), None]),
            ("D", vec![Some(3.0), Some(2.0), Some(1.0)]),
        ],
        Confidence::High,
    );
    std::sync::Arc::make_mut(&mut m.cells)[3][1] = Cell {
        value: ScoreValue::NotApplicable,
        ..Cell::EMPTY
    };
    (f, m)
}

#[test]
fn drawn_missing_cells_match_a_brute_force_enumeration() {
    let (f, m) = gappy();
    let levels: Vec<f64> = (0..=4).map(f64::from).collect();
    let exact = brute_force(&f, &m, &[(1, 1, levels.clone()), (2, 2, levels)]);
    let mut o = opts(40_000, 11);
    o.weights = WeightModel::Fixed;
    o.missing = MissingCells::Drawn;
    let s = smaa(&f, &m, &o).unwrap();
    assert_exact(&s, &exact, &m);
    // Drawn cells make B and C uncertain; left out, the ranks are the deterministic ones.
    assert!(s.acceptability(1, 1) > 0.0 && s.acceptability(1, 1) < 1.0);
    o.missing = MissingCells::Skipped;
    assert_degenerate(&f, &m, &o, "missing cells left out");
}

#[test]
fn several_analysts_are_drawn_one_at_a_time() {
    // B's second cell was scored 0 by one analyst and 4 by another. The median (2)
    // ties B with D for first (75); each sample takes one analyst instead, so B is
    // first alone half the time (87.5) and level with C otherwise (62.5).
    let (f, mut m) = gappy();
    let cells = std::sync::Arc::make_mut(&mut m.cells);
    cells[1][1] = Cell {
        value: ScoreValue::Value(2.0),
        confidence: Some(Confidence::High),
        n_scored: 2,
        analysts: Some(vec![(0.0, Confidence::High), (4.0, Confidence::High)].into()),
        ..Cell::EMPTY
    };
    cells[2][2] = cell(Some(1.0), Confidence::High);
    let exact = brute_force(&f, &m, &[(1, 1, vec![0.0, 4.0])]);
    let still = ScoreSpread {
        high: 0.0,
        ..ScoreSpread::default()
    };
    let mut o = opts(20_000, 5);
    o.weights = WeightModel::Fixed;
    o.scores = ScoreUncertainty::FromConfidence(still);
    let s = smaa(&f, &m, &o).unwrap();
    assert_exact(&s, &exact, &m);
    assert!((exact[1][1] - 0.5).abs() < 1e-12, "{exact:?}");
    // Without score uncertainty the median stands in for the analysts.
    o.scores = ScoreUncertainty::Off;
    assert_degenerate(&f, &m, &o, "median only");
}

#[test]
fn the_standard_settings_are_described_in_words() {
    let o = SmaaOptions::standard(DEFAULT_SAMPLES, DEFAULT_SEED);
    assert_eq!(
        o.describe(),
        "10,000 samples, seed 1; criterion weights drawn uniformly; scores varied within their confidence (±0.25 / ±0.5 / ±1 scale points for high / moderate / low) and across analysts; not-assessed cells drawn over their scale's levels"
    );
    assert_eq!(o.missing, MissingCells::Drawn);
}
