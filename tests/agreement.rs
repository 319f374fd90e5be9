//! Agreement statistics against published values, edge cases, and the `agreement`
//! object of `analyze --json` (run as the real binary).

mod common;

use common::*;
use policy_workbench::compute::agreement::*;
use policy_workbench::model::*;
use serde_json::Value;

fn close(x: f64, expected: f64, tol: f64) {
    assert!((x - expected).abs() < tol, "{x} is not {expected} ± {tol}");
}

/// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E: four
/// observers (rows) A–D, twelve units (columns), missing values as None. Unit 12 has
/// one value and is not pairable.
fn krippendorff_2011() -> Vec<Vec<Option<f64>>> {
    let rows: [[Option<u8>; 12]; 4] = [
        [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(1),
            Some(4),
            Some(1),
            Some(2),
            None,
            None,
            None,
        ],
        [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(2),
            Some(4),
            Some(1),
            Some(2),
            Some(5),
            None,
            Some(3),
        ],
        [
            None,
            Some(3),
            Some(3),
            Some(3),
            Some(2),
            Some(3),
            Some(4),
            Some(2),
            Some(2),
            Some(5),
            Some(1),
            None,
        ],
        [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(4),
            Some(4),
            Some(1),
            Some(2),
            Some(5),
            Some(1),
            None,
        ],
    ];
    // units[u][coder]
    (0..12)
        .map(|u| rows.iter().map(|r| r[u].map(f64::from)).collect())
        .collect()
}

#[test]
fn krippendorff_2011_published_values() {
    let data = krippendorff_2011();
    let nominal = krippendorff_alpha(&data, Metric::Nominal);
    let ordinal = krippendorff_alpha(&data, Metric::Ordinal);
    let interval = krippendorff_alpha(&data, Metric::Interval);
    // Published: nominal 0.743, ordinal 0.815, interval 0.849.
    close(nominal.value.clone().unwrap(), 0.743, 5e-4);
    close(ordinal.value.clone().unwrap(), 0.815, 5e-4);
    close(interval.value.clone().unwrap(), 0.849, 5e-4);
    // 11 pairable units holding n = 40 pairable values; unit 12 is left out.
    assert_eq!(
        (interval.units, interval.pairable, interval.coders),
        (11, 40, 4)
    );
    assert_eq!(ordinal.reading(), Some(Reading::Reliable));
    assert_eq!(nominal.reading(), Some(Reading::Tentative));
}

#[test]
fn alpha_is_invariant_to_unit_and_coder_order() {
    let data = krippendorff_2011();
    let mut shuffled: Vec<Vec<Option<f64>>> = data.iter().rev().cloned().collect();
    for u in &mut shuffled {
        u.rotate_left(1);
    }
    for metric in [Metric::Nominal, Metric::Ordinal, Metric::Interval] {
        close(
            krippendorff_alpha(&shuffled, metric).value.unwrap(),
            krippendorff_alpha(&data, metric).value.unwrap(),
            1e-12,
        );
    }
}

#[test]
fn alpha_perfect_agreement_is_one() {
    let data: Vec<Vec<Option<f64>>> = (0..5)
        .map(|u| vec![Some(f64::from(u % 5)), Some(f64::from(u % 5)), None])
        .collect();
    for metric in [Metric::Nominal, Metric::Ordinal, Metric::Interval] {
        close(krippendorff_alpha(&data, metric).value.unwrap(), 1.0, 1e-12);
    }
}

#[test]
fn alpha_not_computable_without_variation_or_pairs() {
    let same: Vec<Vec<Option<f64>>> = (0..4)
        .map(|_| vec![Some(2.0), Some(2.0), Some(2.0)])
        .collect();
    let a = krippendorff_alpha(&same, Metric::Ordinal);
    assert_eq!(a.value, Err(NotComputable::NoVariation));
    assert!(a.value.unwrap_err().to_string().contains("no variation"));

    // Every unit scored by one coder only: nothing is pairable.
    let lonely = vec![vec![Some(1.0), None], vec![None, Some(3.0)]];
    let a = krippendorff_alpha(&lonely, Metric::Interval);
    assert_eq!(a.value, Err(NotComputable::TooFewPairable { pairable: 0 }));
    assert_eq!(krippendorff_alpha(&[], Metric::Nominal).units, 0);
}

/// R's `irr` package, `kendall(anxiety, correct = TRUE)` (data in its documentation;
/// published results: Wt = 0.54, Chisq(19) = 30.8, p = 0.0429).
#[test]
fn kendall_w_with_ties_irr_anxiety() {
    let r1 = [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3];
    let r2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
    let r3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];
    let data: Vec<Vec<Option<f64>>> = (0..20)
        .map(|i| vec![Some(r1[i] as f64), Some(r2[i] as f64), Some(r3[i] as f64)])
        .collect();
    let w = kendall_w(&data);
    let fit = w.value.unwrap();
    assert_eq!((w.raters, w.objects, fit.df), (3, 20, 19));
    close(fit.w, 0.54, 5e-3);
    close(fit.chi_square, 30.8, 5e-2);
    close(fit.p_value, 0.0429, 5e-4);
}

/// Twelve items rated by five raters with one tie (rater 2 gives 6 twice), through
/// `irr::kendall(correct = TRUE)`: Wt = 0.735, Chisq(11) = 40.5, p = 2.99e-05.
#[test]
fn kendall_w_with_ties_scorecard() {
    let rows = [
        [4, 1, 1, 2, 1],
        [3, 2, 2, 3, 6],
        [1, 6, 6, 5, 2],
        [5, 3, 3, 6, 5],
        [6, 5, 4, 7, 3],
        [9, 4, 5, 1, 8],
        [8, 8, 8, 4, 4],
        [2, 9, 7, 10, 9],
        [7, 10, 10, 8, 7],
        [11, 11, 9, 9, 10],
        [10, 6, 11, 11, 11],
        [12, 12, 12, 12, 12],
    ];
    let data: Vec<Vec<Option<f64>>> = rows
        .iter()
        .map(|r| r.iter().map(|&x| Some(f64::from(x))).collect())
        .collect();
    let fit = kendall_w(&data).value.unwrap();
    close(fit.w, 0.735, 5e-4);
    close(fit.chi_square, 40.5, 5e-2);
    assert_eq!(fit.df, 11);
    close(fit.p_value, 2.99e-5, 5e-7);
}

#[test]
fn kendall_w_perfect_none_and_missing() {
    // Same ranking by everyone.
    let perfect: Vec<Vec<Option<f64>>> = (0..5).map(|i| vec![Some(i as f64); 4]).collect();
    close(kendall_w(&perfect).value.unwrap().w, 1.0, 1e-12);
    // Every rater ties every object: no ranking.
    let flat: Vec<Vec<Option<f64>>> = (0..5).map(|_| vec![Some(2.0); 3]).collect();
    assert_eq!(kendall_w(&flat).value, Err(NotComputable::AllTied));
    // Complete cases only: the object rater 2 skipped is dropped.
    let gappy = vec![
        vec![Some(1.0), Some(1.0)],
        vec![Some(2.0), None],
        vec![Some(3.0), Some(3.0)],
        vec![Some(4.0), Some(4.0)],
    ];
    let w = kendall_w(&gappy);
    assert_eq!((w.raters, w.objects, w.dropped_objects), (2, 3, 1));
    close(w.value.unwrap().w, 1.0, 1e-12);
    // One rater only.
    let alone = vec![vec![Some(1.0), None], vec![Some(2.0), None]];
    assert_eq!(
        kendall_w(&alone).value,
        Err(NotComputable::TooFewRaters { raters: 1 })
    );
}

#[test]
fn cell_spread_reads_the_scores_of_a_project() {
    let mut p = policy_workbench::bundled::template("lemieux").unwrap();
    p.mechanisms = vec![Mechanism::new("m1", "One"), Mechanism::new("m2", "Two")];
    p.analysts = ["a", "b", "c", "d"]
        .iter()
        .map(|id| Analyst {
            id: id.to_string(),
            name: id.to_uppercase(),
            note: String::new(),
        })
        .collect();
    let crit = p.framework.groups[0].criteria[0].id.clone();
    let mut set = |a: &str, m: &str, v: ScoreValue| {
        p.scores.insert(
            ScoreKey::new(a, m, &crit),
            Score {
                value: v,
                ..Score::default()
            },
        );
    };
    set("a", "m1", ScoreValue::Value(0.0));
    set("b", "m1", ScoreValue::Value(2.0));
    set("c", "m1", ScoreValue::Value(4.0));
    set("d", "m1", ScoreValue::NotApplicable);
    set("a", "m2", ScoreValue::Value(3.0));
    let spreads = cell_spreads(&p, &p.scores);
    assert_eq!(spreads.len(), 2 * p.framework.criterion_count());
    let c = spreads
        .iter()
        .find(|c| c.mechanism == "m1" && c.criterion == crit)
        .unwrap();
    let s = c.stats.as_ref().unwrap();
    assert_eq!(
        (s.n, s.median, s.q1, s.q3, s.iqr, s.range),
        (3, 2.0, 1.0, 3.0, 2.0, 4.0)
    );
    close(s.within_one, 1.0 / 3.0, 1e-12);
    assert!(s.needs_discussion());
    assert_eq!((c.not_applicable, c.not_assessed), (1, 0));
    // The agreement of that criterion: m2 has one value, so only m1 is pairable.
    let a = agreement(&p, &p.scores);
    let ca = a.criterion(&crit).unwrap();
    assert_eq!(ca.alpha_interval.units, 1);
    assert!(ca.alpha_interval.value.is_ok());
    assert!(matches!(
        ca.kendall_w.value,
        Err(NotComputable::TooFewObjects { .. })
    ));
    // A criterion nobody scored is not computable, never NaN.
    let other = &a.criteria[1];
    assert!(matches!(
        other.alpha_ordinal.value,
        Err(NotComputable::TooFewPairable { pairable: 0 })
    ));
}

fn analyze_json(file: &std::path::Path) -> Value {
    let o = run(&["analyze", file.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn analyze_json_adds_agreement_for_several_analysts_only() {
    let v = analyze_json(&fixture("hand.json"));
    // Existing keys are kept.
    for key in ["project", "scenario", "aggregation", "groups", "mechanisms"] {
        assert!(v.get(key).is_some(), "{key} kept");
    }
    let ag = &v["agreement"];
    assert!(ag.is_object(), "agreement added: {v:#}");
    assert!(ag["criteria"].as_array().unwrap().len() > 1);
    let c0 = &ag["criteria"][0];
    for key in ["alpha_ordinal", "alpha_interval", "kendall_w"] {
        assert!(c0[key].is_object(), "{key} in {c0:#}");
        // Either a value or a reason, never both, never NaN.
        let value = &c0[key]["value"];
        let reason = &c0[key]["not_computable"];
        assert!(value.is_null() != reason.is_null(), "{key}: {c0:#}");
    }
    assert!(ag["overall"]["alpha_ordinal"].is_object());
    assert_eq!(ag["thresholds"]["reliable"], 0.8);

    // One analyst: no agreement object.
    let v = analyze_json(&sample_path());
    assert!(v.get("agreement").is_none());
}

#[test]
fn analyze_json_agreement_on_the_workshop_demo() {
    let v = analyze_json(&root().join("sample_projects/workshop-demo.json"));
    let ag = &v["agreement"];
    assert_eq!(ag["analysts"], 5);
    let overall = ag["overall"]["alpha_ordinal"]["value"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&overall), "{overall}");
    assert_eq!(ag["criteria"].as_array().unwrap().len(), 12);
}

/// The bootstrap interval of alpha against the exact bootstrap distribution of the
/// same data, computed independently by scripts/alpha_bootstrap_exact.py (every one of
/// the 352,716 resamples of the 11 pairable units enumerated with its multinomial
/// probability, alpha by pairs of values): ordinal P(alpha < 0.667) = 0.182985, the
/// 1.5th / 2.5th / 3.5th percentiles 0.3969 / 0.4460 / 0.4787, the 96.5th 0.9911 and
/// the 97.5th 1; interval P = 0.146651, percentiles 0.3640 / 0.4251 / 0.4686, 0.9878
/// and 1. 20,000 seeded draws must land within Monte Carlo error of it (the standard
/// error of P is below 0.003).
#[test]
fn bootstrap_matches_the_exact_bootstrap_distribution() {
    use policy_workbench::compute::alpha_bootstrap::bootstrap_alpha;
    let data = krippendorff_2011();
    for (metric, p, lows, high_min) in [
        (Metric::Ordinal, 0.182985, (0.396852, 0.478673), 0.991063),
        (Metric::Interval, 0.146651, (0.364039, 0.468647), 0.987785),
    ] {
        let b = bootstrap_alpha(&data, metric, 20_000, 1).unwrap();
        assert!((b.p_below - p).abs() < 0.01, "{metric:?}: {b:?}");
        assert!(b.low >= lows.0 && b.low <= lows.1, "{metric:?}: {b:?}");
        assert!(b.high >= high_min && b.high <= 1.0, "{metric:?}: {b:?}");
        assert_eq!(b.threshold, 0.667);
    }
}

/// The bootstrap is the same wherever it is shown: `analyze --json`, the report and
/// the alpha chart's input read one seeded computation.
#[test]
fn the_bootstrap_reads_the_same_in_json_report_and_chart() {
    use policy_workbench::compute::alpha_bootstrap::{self, ordinal_bootstraps};
    let path = root().join("sample_projects/workshop-demo.json");
    let p = policy_workbench::persist::load_path(&path).unwrap().project;
    let boot = ordinal_bootstraps(&p, &p.scores);
    let first = boot.criterion(0).unwrap();
    assert_eq!((first.samples, first.seed), (1000, 1));
    assert!(first.low <= first.high);
    // analyze --json
    let v = analyze_json(&path);
    let b = &v["agreement"]["criteria"][0]["alpha_ordinal_bootstrap"];
    let r4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
    assert_eq!(b["low"].as_f64(), Some(r4(first.low)));
    assert_eq!(b["high"].as_f64(), Some(r4(first.high)));
    assert_eq!(b["p_below"].as_f64(), Some(r4(first.p_below)));
    assert_eq!(b["samples"], 1000);
    assert_eq!(b["seed"], 1);
    assert!(v["agreement"]["overall"]["alpha_ordinal_bootstrap"]["low"].is_number());
    // The report's agreement table.
    let opts = policy_workbench::report::ReportOptions {
        include_charts: false,
        ..policy_workbench::report::ReportOptions::new(Default::default())
    };
    let md = policy_workbench::report::markdown_report(&p, &opts, None)
        .unwrap()
        .text;
    assert!(md.contains("How sure (bootstrap)"));
    // (Markdown escapes the "<".)
    let line = alpha_bootstrap::describe(first).replace('<', "\\<");
    assert!(md.contains(&line), "{line}");
    // The chart's input.
    let input = policy_workbench::charts::alpha_input(&p, None, true).unwrap();
    assert_eq!(input.criteria[0].sure.as_ref(), Some(first));
    assert_eq!(input.overall.unwrap().sure, boot.overall);
}
