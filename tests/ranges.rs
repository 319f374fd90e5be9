//! Rank ranges under missing data and the ranking rule, from the real binary on the
//! sample: "ASEAN Plus China ministerial…" (no responsible-state index, 3 of its cells
//! not assessed) must show a rank range wider than one rank in every output, and the
//! rule chosen in the project must be printed and followed.

mod common;

use common::*;
use serde_json::Value;

const ASEAN: &str = "ASEAN Plus China ministerial";
/// A partial mechanism among the first three, so the report's summary lists it.
const SOLOMON: &str = "China-Solomon Islands police cooperation";

fn ok_stdout(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    stdout(&o)
}

fn json_of(args: &[&str]) -> Value {
    serde_json::from_str(&ok_stdout(args)).expect("JSON output")
}

fn by_name<'a>(list: &'a Value, start: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"].as_str().is_some_and(|n| n.starts_with(start)))
        .unwrap_or_else(|| panic!("{start} listed"))
}

/// The sample with the other ranking rule, written to a temporary folder.
fn sample_with_unrank_rule(dir: &std::path::Path) -> std::path::PathBuf {
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    doc["project"]["ranking_rule"] = Value::from("unrank-incomplete");
    write(
        dir,
        "unrank.json",
        &serde_json::to_string_pretty(&doc).unwrap(),
    )
}

fn wide(range: &Value) -> (u64, u64) {
    let (b, w) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
    assert!(b < w, "a range wider than one rank: {range}");
    (b, w)
}

#[test]
fn analyze_text_and_json_show_the_range_and_the_rule() {
    let s = sample_path();
    let text = ok_stdout(&["analyze", s.to_str().unwrap()]);
    assert!(
        text.contains("Ranking rule: rank on what is assessed"),
        "{text}"
    );
    let line = text.lines().find(|l| l.contains(ASEAN)).unwrap();
    assert!(
        line.contains("could be") && line.contains("with its 3 not-assessed cells"),
        "{line}"
    );

    let v = json_of(&["analyze", s.to_str().unwrap(), "--json"]);
    assert_eq!(v["ranking_rule"], "rank-assessed");
    let m = by_name(&v["mechanisms"], ASEAN);
    let (b, w) = wide(&m["rank_range"]);
    assert_eq!(m["partial"], true);
    assert_eq!(m["open_cells"], 3);
    assert_eq!(m["unranked_by_rule"], false);
    assert!(m["rank"].as_u64().is_some());
    // The text says the same range as the JSON.
    assert!(line.contains(&format!("could be {b}–{w}")), "{line}");
    // The best total fills its gaps favourably, the worst unfavourably.
    let (best, worst) = (
        m["best_total"].as_f64().unwrap(),
        m["worst_total"].as_f64().unwrap(),
    );
    assert!(best > worst);
    // A fully assessed mechanism is not partial and its totals coincide.
    for m in v["mechanisms"].as_array().unwrap() {
        if m["partial"] == false {
            assert_eq!(m["best_total"], m["total"], "{}", m["name"]);
            assert_eq!(m["worst_total"], m["total"], "{}", m["name"]);
        }
    }
}

#[test]
fn the_unrank_rule_leaves_asean_unranked_in_analyze_and_compare() {
    let dir = tempfile::tempdir().unwrap();
    let f = sample_with_unrank_rule(dir.path());
    let f = f.to_str().unwrap();
    let v = json_of(&["analyze", f, "--json"]);
    assert_eq!(v["ranking_rule"], "unrank-incomplete");
    let m = by_name(&v["mechanisms"], ASEAN);
    assert_eq!(m["rank"], Value::Null);
    assert_eq!(m["total"], Value::Null);
    assert_eq!(m["unranked_by_rule"], true);
    wide(&m["rank_range"]);
    let text = ok_stdout(&["analyze", f]);
    assert!(
        text.contains("Ranking rule: a mechanism with a counted group"),
        "{text}"
    );
    let line = text.lines().find(|l| l.contains(ASEAN)).unwrap();
    assert!(line.contains("unranked, could be"), "{line}");

    let c = json_of(&[
        "compare",
        f,
        "--scenarios",
        "europe-closes-stations",
        "--json",
    ]);
    assert_eq!(c["ranking_rule"], "unrank-incomplete");
    let m = by_name(&c["mechanisms"], ASEAN);
    assert_eq!(m["baseline"]["rank"], Value::Null);
    assert_eq!(m["scenario"]["rank"], Value::Null);
    assert_eq!(m["baseline"]["unranked_by_rule"], true);
}

#[test]
fn compare_text_and_json_show_ranges() {
    let s = sample_path();
    let s = s.to_str().unwrap();
    let c = json_of(&[
        "compare",
        s,
        "--scenarios",
        "europe-closes-stations",
        "--json",
    ]);
    assert_eq!(c["ranking_rule"], "rank-assessed");
    let m = by_name(&c["mechanisms"], ASEAN);
    let (b, w) = wide(&m["baseline"]["rank_range"]);
    assert_eq!(m["baseline"]["partial"], true);
    let rank = m["baseline"]["rank"].as_u64().unwrap();
    let text = ok_stdout(&["compare", s, "--scenarios", "europe-closes-stations"]);
    assert!(
        text.contains("Ranking rule: rank on what is assessed"),
        "{text}"
    );
    let line = text.lines().find(|l| l.contains(ASEAN)).unwrap();
    assert!(line.contains(&format!("{rank} ({b}–{w})")), "{line}");
}

#[test]
fn ranking_and_bump_charts_show_ranges() {
    let s = sample_path();
    let s = s.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    ok_stdout(&[
        "export",
        s,
        "--scenario",
        "europe-closes-stations",
        "--out",
        out,
        "--format",
        "svg",
    ]);
    // The ranking chart is drawn for the scenario: its own ASEAN range.
    let c = json_of(&[
        "compare",
        s,
        "--scenarios",
        "europe-closes-stations",
        "--json",
    ]);
    let sc = &by_name(&c["mechanisms"], ASEAN)["scenario"];
    let (sb, sw) = wide(&sc["rank_range"]);
    let ranking = std::fs::read_to_string(dir.path().join("ranking.svg")).unwrap();
    let text = format!("{} ({sb}–{sw})", sc["rank"]);
    assert!(ranking.contains(&text), "ranking.svg shows {text}");
    assert!(ranking.contains("Range of the total with its not-assessed cells"));
    assert!(ranking.contains("Ranking rule: rank on what is assessed"));
    let bump = std::fs::read_to_string(dir.path().join("bump.svg")).unwrap();
    assert!(bump.contains("the best to worst rank the not-assessed cells allow"));
}

#[test]
fn the_report_shows_ranges_and_the_rule() {
    let s = sample_path();
    let s = s.to_str().unwrap();
    let v = json_of(&["analyze", s, "--json"]);
    let m = by_name(&v["mechanisms"], SOLOMON);
    let (b, w) = wide(&m["rank_range"]);
    let cell = format!("{} ({b}–{w})", m["rank"]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.md");
    ok_stdout(&[
        "report",
        s,
        "--out",
        out.to_str().unwrap(),
        "--compare",
        "europe-closes-stations",
        "--no-charts",
    ]);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("Ranking rule: rank on what is assessed"));
    // The results table: the Solomon Islands' row starts with its rank and range.
    let row = md
        .lines()
        .find(|l| l.starts_with(&format!("| {cell} | {SOLOMON}")))
        .unwrap_or_else(|| panic!("a results row for the Solomon Islands in\n{md}"));
    assert!(row.contains("% assessed"), "{row}");
    // The summary's list says it in words.
    assert!(md.contains(&format!("could be {b}–{w} with its 2 not-assessed cells")));
    // The comparison table shows the scenario's range too.
    let c = json_of(&[
        "compare",
        s,
        "--scenarios",
        "europe-closes-stations",
        "--json",
    ]);
    let sc = &by_name(&c["mechanisms"], SOLOMON)["scenario"];
    let (sb, sw) = wide(&sc["rank_range"]);
    let scell = format!("{} ({sb}–{sw})", sc["rank"]);
    assert!(
        md.lines()
            .any(|l| l.starts_with('|') && l.contains(SOLOMON) && l.contains(&scell)),
        "the comparison shows {scell}"
    );
}

mod hand {
    //! The counter-example as a project, compared with a scenario that doubles
    //! group B's weight, under both ranking rules. Worked by hand:
    //!
    //! Base (A and B weight 1): X = A 100, B no index (1 of 3 assessed) → total 100;
    //! filled in, B is 0 to 66.7, so X is 50 to 83.3. Y = 50 everywhere. Ranks X 1, Y 2;
    //! ranges X 1–1 (Y's best 50 only ties X's worst), Y 1–2.
    //!
    //! Scenario (B weight 2): X's coverage is 1/3, below half: no total, no rank. Filled
    //! in, X is (100 + 2·0)/3 = 33.3 to (100 + 2·66.7)/3 = 77.8. Y 50, rank 1. Ranges
    //! X 1–2, Y 1–2.
    use policy_workbench::compute::{Selection, compare};
    use policy_workbench::model::*;

    fn project(rule: RankingRule) -> Project {
        let group = |id: &str, crits: &[&str]| Group {
            id: id.into(),
            name: id.into(),
            role: Role::Objective,
            weight: 1.0,
            description: String::new(),
            criteria: crits.iter().map(|c| Criterion::new(c, c)).collect(),
        };
        let mut p = Project::default();
        p.settings.ranking_rule = rule;
        p.framework.id = "t".into();
        p.framework.groups = vec![group("A", &["a"]), group("B", &["b1", "b2", "b3"])];
        p.mechanisms = vec![Mechanism::new("x", "X"), Mechanism::new("y", "Y")];
        p.analysts = vec![Analyst {
            id: "an".into(),
            name: "An".into(),
            note: String::new(),
        }];
        let mut set = |m: &str, c: &str, v: f64| {
            p.scores.insert(
                ScoreKey::new("an", m, c),
                Score {
                    value: ScoreValue::Value(v),
                    ..Score::default()
                },
            );
        };
        set("x", "a", 4.0);
        set("x", "b1", 0.0);
        for c in ["a", "b1", "b2", "b3"] {
            set("y", c, 2.0);
        }
        let mut s = Scenario {
            id: "s".into(),
            name: "B doubled".into(),
            ..Scenario::default()
        };
        s.group_weights.insert("B".into(), 2.0);
        p.scenarios = vec![s];
        p
    }

    fn side(rule: RankingRule) -> compare::Comparison {
        let p = project(rule);
        let scen = Selection {
            scenario: Some("s".into()),
            ..Selection::default()
        };
        compare::compare(&p, &Selection::default(), &scen).unwrap()
    }

    fn values<'a>(c: &'a compare::Comparison, id: &str) -> &'a compare::MechanismComparison {
        c.mechanisms.iter().find(|m| m.id == id).unwrap()
    }

    #[test]
    fn compare_follows_the_rule_on_both_sides() {
        let c = side(RankingRule::RankAssessed);
        assert_eq!(c.ranking_rule, RankingRule::RankAssessed);
        let (x, y) = (values(&c, "x"), values(&c, "y"));
        let (xb, xs) = (x.baseline.as_ref().unwrap(), x.scenario.as_ref().unwrap());
        let (yb, ys) = (y.baseline.as_ref().unwrap(), y.scenario.as_ref().unwrap());
        assert_eq!((xb.rank, xb.rank_range), (Some(1), Some((1, 1))));
        assert_eq!((yb.rank, yb.rank_range), (Some(2), Some((1, 2))));
        assert_eq!(
            (xs.rank, xs.total, xs.rank_range),
            (None, None, Some((1, 2)))
        );
        assert_eq!((ys.rank, ys.rank_range), (Some(1), Some((1, 2))));
        assert_eq!((xb.open_cells, xb.unranked_by_rule), (2, false));

        let c = side(RankingRule::UnrankIncomplete);
        let (x, y) = (values(&c, "x"), values(&c, "y"));
        let (xb, xs) = (x.baseline.as_ref().unwrap(), x.scenario.as_ref().unwrap());
        assert_eq!(
            (xb.rank, xb.total, xb.rank_range),
            (None, None, Some((1, 1)))
        );
        assert!(xb.unranked_by_rule && xs.unranked_by_rule);
        assert_eq!(y.baseline.as_ref().unwrap().rank, Some(1));
        assert_eq!(y.scenario.as_ref().unwrap().rank, Some(1));
        // Nobody moves under this rule: Y is first on both sides.
        assert_eq!(y.rank_delta(), Some(0));
    }

    #[test]
    fn rank_acceptability_follows_the_rule() {
        use policy_workbench::compute::{effective_matrix, smaa};
        for (rule, x_first, x_unranked) in [
            (RankingRule::RankAssessed, 1.0, 0.0),
            (RankingRule::UnrankIncomplete, 0.0, 1.0),
        ] {
            let p = project(rule);
            let m = effective_matrix(&p, &Selection::default()).unwrap();
            let mut o = smaa::SmaaOptions::new(200, 1);
            o.weights = smaa::WeightModel::Fixed;
            let r = smaa::smaa(&p.framework, &m, &o).unwrap();
            assert_eq!(r.acceptability(0, 1), x_first, "{rule:?}");
            assert_eq!(r.unranked(0), x_unranked, "{rule:?}");
            // Y is second behind X, or first alone.
            assert_eq!(r.acceptability(1, 1), 1.0 - x_first, "{rule:?}");
        }
    }
}
