//! Pairwise (AHP) weighting against Saaty's published examples, a perfectly consistent
//! matrix and the edge cases.

use policy_workbench::compute::ahp::*;

fn third(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Saaty (1990), "How to make a decision: The analytic hierarchy process", European
/// Journal of Operational Research 48:9–26, Table 2: the eight criteria for buying a
/// house (size, transportation, neighbourhood, age, yard, modern facilities, general
/// condition, financing). Published: weights .173 .054 .188 .018 .031 .036 .167 .333,
/// λmax = 9.669, CI = 0.238, CR = 0.169.
#[test]
fn saaty_1990_house_example() {
    let upper = [
        5.0,
        3.0,
        7.0,
        6.0,
        6.0,
        1.0 / 3.0,
        1.0 / 4.0, // size
        1.0 / 3.0,
        5.0,
        3.0,
        3.0,
        1.0 / 5.0,
        1.0 / 7.0, // transportation
        6.0,
        3.0,
        4.0,
        6.0,
        1.0 / 5.0, // neighbourhood
        1.0 / 3.0,
        1.0 / 4.0,
        1.0 / 7.0,
        1.0 / 8.0, // age
        1.0 / 2.0,
        1.0 / 5.0,
        1.0 / 6.0, // yard
        1.0 / 5.0,
        1.0 / 6.0, // modern facilities
        1.0 / 2.0, // general condition
    ];
    let m = PairwiseMatrix::from_upper(8, &upper).unwrap();
    let r = weigh(&m);
    let published = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333];
    assert_eq!(
        r.weights.iter().map(|&w| third(w)).collect::<Vec<_>>(),
        published
    );
    assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert_eq!(third(r.lambda_max), 9.669);
    assert_eq!(third(r.ci), 0.238);
    assert_eq!(r.ri, 1.41);
    assert_eq!(third(r.cr), 0.169);
    assert!(!r.acceptable(), "CR 0.169 > 0.10");
    assert!(r.converged);
    // The most inconsistent judgement is reported with a scale value to try instead.
    let x = r.most_inconsistent.expect("an inconsistent matrix");
    assert!(x.i < x.j);
    assert_eq!(x.value, m.get(x.i, x.j));
    assert!(x.factor > 1.0);
    assert!(SAATY_VALUES.contains(&x.suggested));
    assert_eq!(
        x.suggested,
        nearest_scale_value(r.weights[x.i] / r.weights[x.j])
    );
    // No judgement deviates more.
    for i in 0..8 {
        for j in i + 1..8 {
            let implied = r.weights[i] / r.weights[j];
            let f = (m.get(i, j) / implied).max(implied / m.get(i, j));
            assert!(f <= x.factor + 1e-12);
        }
    }
}

/// Saaty (2008), "Decision making with the analytic hierarchy process", International
/// Journal of Services Sciences 1(1):83–98, Table 2: relative consumption of drinks in
/// the United States (coffee, wine, tea, beer, sodas, milk, water). Published derived
/// scale: .177 .019 .042 .116 .190 .129 .327, CR = 0.022.
#[test]
fn saaty_2008_drinks_example() {
    let judgements = [
        (0, [9.0, 5.0, 2.0, 1.0, 1.0, 1.0 / 2.0].as_slice()),
        (1, &[1.0 / 3.0, 1.0 / 9.0, 1.0 / 9.0, 1.0 / 9.0, 1.0 / 9.0]),
        (2, &[1.0 / 3.0, 1.0 / 4.0, 1.0 / 3.0, 1.0 / 9.0]),
        (3, &[1.0 / 2.0, 1.0, 1.0 / 3.0]),
        (4, &[2.0, 1.0 / 2.0]),
        (5, &[1.0 / 3.0]),
    ];
    // Given as judgements, some in the reverse direction (j, i, 1/a_ij).
    let mut list = Vec::new();
    for (i, row) in judgements {
        for (k, &v) in row.iter().enumerate() {
            let j = i + 1 + k;
            list.push(if k % 2 == 0 {
                Judgement { i, j, value: v }
            } else {
                Judgement {
                    i: j,
                    j: i,
                    value: 1.0 / v,
                }
            });
        }
    }
    let r = weigh(&PairwiseMatrix::from_judgements(7, &list).unwrap());
    let published = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327];
    assert_eq!(
        r.weights.iter().map(|&w| third(w)).collect::<Vec<_>>(),
        published
    );
    assert_eq!(third(r.cr), 0.022);
    assert!(r.acceptable());
}

/// Saaty (1980), *The Analytic Hierarchy Process*, the relative wealth of nations
/// (US, USSR, China, France, UK, Japan, West Germany; after Saaty & Khouja 1976):
/// published λmax = 7.61, CI = 0.10, CR = 0.08.
#[test]
fn saaty_1980_wealth_of_nations() {
    let upper = [
        4.0,
        9.0,
        6.0,
        6.0,
        5.0,
        5.0, //
        7.0,
        5.0,
        5.0,
        3.0,
        4.0, //
        1.0 / 5.0,
        1.0 / 5.0,
        1.0 / 7.0,
        1.0 / 5.0, //
        1.0,
        1.0 / 3.0,
        1.0 / 3.0, //
        1.0 / 3.0,
        1.0 / 3.0, //
        2.0,
    ];
    let r = weigh(&PairwiseMatrix::from_upper(7, &upper).unwrap());
    assert_eq!((r.lambda_max * 100.0).round() / 100.0, 7.61);
    assert_eq!((r.ci * 100.0).round() / 100.0, 0.10);
    assert_eq!((r.cr * 100.0).round() / 100.0, 0.08);
    assert_eq!(third(r.weights[0]), 0.427, "the US");
}

#[test]
fn consistent_matrix_gives_exact_weights_and_zero_cr() {
    // a_ij = w_i / w_j for w = (8, 4, 2, 1, 1)/16.
    let w = [8.0, 4.0, 2.0, 1.0, 1.0];
    let mut upper = Vec::new();
    for i in 0..5 {
        for j in i + 1..5 {
            upper.push(w[i] / w[j]);
        }
    }
    let r = weigh(&PairwiseMatrix::from_upper(5, &upper).unwrap());
    for (got, want) in r.weights.iter().zip(w.iter().map(|x| x / 16.0)) {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
    assert!((r.lambda_max - 5.0).abs() < 1e-9);
    assert!(r.ci.abs() < 1e-9);
    assert!(r.cr.abs() < 1e-9);
    assert!(r.acceptable());
    assert!(r.most_inconsistent.is_none());
    assert!(
        r.iterations <= 3,
        "one step reaches the eigenvector: {}",
        r.iterations
    );
}

#[test]
fn one_and_two_items() {
    let r = weigh(&PairwiseMatrix::from_upper(1, &[]).unwrap());
    assert_eq!(r.weights, vec![1.0]);
    assert_eq!((r.lambda_max, r.ci, r.cr), (1.0, 0.0, 0.0));
    assert!(r.most_inconsistent.is_none());

    let r = weigh(&PairwiseMatrix::from_upper(2, &[3.0]).unwrap());
    assert!((r.weights[0] - 0.75).abs() < 1e-12);
    assert!((r.weights[1] - 0.25).abs() < 1e-12);
    assert!((r.lambda_max - 2.0).abs() < 1e-12);
    assert_eq!((r.ci, r.cr), (0.0, 0.0));
    assert!(r.most_inconsistent.is_none());
    assert!(r.acceptable());
}

#[test]
fn refuses_more_than_nine_and_malformed_input() {
    let ten = vec![1.0; 45];
    let e = PairwiseMatrix::from_upper(10, &ten).unwrap_err();
    assert_eq!(e, AhpError::TooMany(10));
    assert!(
        e.to_string()
            .contains("use direct weights for more than 9 criteria"),
        "{e}"
    );
    assert_eq!(
        PairwiseMatrix::from_upper(0, &[]).unwrap_err(),
        AhpError::Empty
    );
    assert_eq!(
        PairwiseMatrix::from_upper(3, &[1.0, 2.0]).unwrap_err(),
        AhpError::WrongCount {
            expected: 3,
            got: 2
        }
    );
    assert!(matches!(
        PairwiseMatrix::from_upper(2, &[10.0]).unwrap_err(),
        AhpError::OutOfRange { .. }
    ));
    assert!(matches!(
        PairwiseMatrix::from_upper(2, &[0.0]).unwrap_err(),
        AhpError::OutOfRange { .. }
    ));
    let j = |i, j, value| Judgement { i, j, value };
    assert_eq!(
        PairwiseMatrix::from_judgements(3, &[j(0, 1, 2.0), j(0, 2, 3.0)]).unwrap_err(),
        AhpError::Missing { i: 1, j: 2 }
    );
    assert_eq!(
        PairwiseMatrix::from_judgements(2, &[j(0, 1, 2.0), j(1, 0, 0.5)]).unwrap_err(),
        AhpError::Duplicate { i: 0, j: 1 }
    );
    assert_eq!(
        PairwiseMatrix::from_judgements(2, &[j(0, 0, 2.0)]).unwrap_err(),
        AhpError::BadPair { i: 0, j: 0 }
    );
    // Nine is fine.
    assert!(PairwiseMatrix::from_upper(9, &[1.0; 36]).is_ok());
}

#[test]
fn verbal_scale() {
    assert_eq!(verbal_label(1), Some("equal importance"));
    assert_eq!(verbal_label(3), Some("moderate importance"));
    assert_eq!(verbal_label(5), Some("strong importance"));
    assert_eq!(
        verbal_label(7),
        Some("very strong (demonstrated) importance")
    );
    assert_eq!(verbal_label(9), Some("extreme importance"));
    assert!((1..=9).all(|v| verbal_label(v).is_some()));
    assert_eq!(verbal_label(0), None);
    assert_eq!(verbal_label(10), None);
    assert_eq!(describe(5.0).as_deref(), Some("5 — strong importance"));
    assert_eq!(
        describe(1.0 / 3.0).as_deref(),
        Some("1/3 — moderate importance of the other")
    );
    assert_eq!(describe(2.5), None);
    assert_eq!(nearest_scale_value(4.4), 4.0);
    assert_eq!(nearest_scale_value(0.3), 1.0 / 3.0);
    assert_eq!(nearest_scale_value(20.0), 9.0);
}
