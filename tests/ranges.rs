//! Rank ranges under missing data and the ranking rule, from the real binary on the
//! sample: "ASEAN Plus China ministerial…" (no responsible-state index, 3 of its cells
//! not assessed) must show a rank range wider than one rank in every output, and the
//! rule chosen in the project must be printed and followed.

mod common;

use common::*;
use serde_json::Value;

const ASEAN: &str = "ASEAN Plus China ministerial";

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
    let m = by_name(&v["mechanisms"], ASEAN);
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
    // The results table: ASEAN's row starts with its rank and range.
    let row = md
        .lines()
        .find(|l| l.starts_with(&format!("| {cell} | {ASEAN}")))
        .unwrap_or_else(|| panic!("a results row for ASEAN in\n{md}"));
    assert!(row.contains("cov."), "{row}");
    // The summary's list says it in words.
    assert!(md.contains(&format!("could be {b}–{w} with its 3 not-assessed cells")));
    // The comparison table shows the scenario's range too.
    let c = json_of(&[
        "compare",
        s,
        "--scenarios",
        "europe-closes-stations",
        "--json",
    ]);
    let sc = &by_name(&c["mechanisms"], ASEAN)["scenario"];
    let (sb, sw) = wide(&sc["rank_range"]);
    let scell = format!("{} ({sb}–{sw})", sc["rank"]);
    assert!(
        md.lines()
            .any(|l| l.starts_with('|') && l.contains(ASEAN) && l.contains(&scell)),
        "the comparison shows {scell}"
    );
}
