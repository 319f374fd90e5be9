//! One rounding rule everywhere: the same composite total reads the same in the
//! command line (`analyze`), in the charts (the ranking chart's SVG) and in the
//! report (HTML), formatted by `wording::points` (whole points, halves away from zero).

use std::path::PathBuf;
use std::process::Command;

use policy_workbench::charts::{self, ChartInput, ChartKind, ChartOptions};
use policy_workbench::compute::{Selection, effective_matrix, results_from_matrix};
use policy_workbench::model::Project;
use policy_workbench::report::{ReportOptions, html_report};
use policy_workbench::{bundled, persist, wording};

/// The mechanism of the sample whose total is closest to a half point, where `{:.0}`
/// alone and the rule can differ: (name, total).
fn hardest(project: &Project) -> (String, f64) {
    let sel = Selection::default();
    let m = effective_matrix(project, &sel).unwrap();
    let r = results_from_matrix(&project.framework, &m, &sel);
    let off_half = |t: f64| (t.fract().abs() - 0.5).abs();
    let best = r
        .mechanisms
        .iter()
        .filter(|x| x.total.is_some())
        .min_by(|a, b| off_half(a.total.unwrap()).total_cmp(&off_half(b.total.unwrap())))
        .expect("the sample has totals");
    (best.name.clone(), best.total.unwrap())
}

/// The sample written to a file of its own, for the binary to read.
fn sample_file(project: &Project) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pw-rounding-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sample.json");
    std::fs::write(&path, persist::to_canonical_string(project)).unwrap();
    path
}

#[test]
fn whole_points_round_halves_away_from_zero() {
    // `{:.0}` rounds the binary value half to even ("62" for 62.5); the rule says "63".
    assert_eq!(wording::points(62.5), "63");
    assert_eq!(format!("{:.0}", 62.5), "62");
    assert_eq!(wording::points(56.25), "56");
    assert_eq!(wording::points(-0.4), "0");
    assert_eq!(wording::signed_points(-10.625), "−11");
    assert_eq!(wording::signed_points(0.4), "±0");
    assert_eq!(wording::signed_points_plain(3.75), "+4");
}

#[test]
fn the_same_total_reads_the_same_in_cli_charts_and_report() {
    let project = bundled::sample();
    let (name, total) = hardest(&project);
    let shown = wording::points(total);

    // The command line: `analyze` prints "rank  range  total  indices…  name".
    let path = sample_file(&project);
    let out = Command::new(env!("CARGO_BIN_EXE_policy-workbench"))
        .arg("analyze")
        .arg(&path)
        .output()
        .expect("the binary runs");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let row = stdout
        .lines()
        .find(|l| l.contains(&format!("  {name}")))
        .unwrap_or_else(|| panic!("a row for {name}:\n{stdout}"));
    assert_eq!(row.split_whitespace().nth(2), Some(shown.as_str()), "{row}");

    // The charts: the ranking chart writes each total beside its bar.
    let sel = Selection::default();
    let matrix = effective_matrix(&project, &sel).unwrap();
    let results = results_from_matrix(&project.framework, &matrix, &sel);
    let input = ChartInput {
        project: &project,
        matrix: &matrix,
        results: &results,
        title_suffix: None,
    };
    let svg = charts::render_svg(&input, &ChartOptions::new(ChartKind::Ranking)).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(
        texts.contains(&shown.as_str()),
        "{shown} among the chart's texts: {texts:?}"
    );

    // The report: the results table's row of the mechanism.
    let html = html_report(&project, &ReportOptions::new(Selection::default())).unwrap();
    let row = html
        .split("<tr")
        .find(|r| r.contains(&name))
        .unwrap_or_else(|| panic!("a table row for {name}"));
    assert!(
        row.contains(&format!(">{shown}<")) || row.contains(&format!(">{shown}\n")),
        "{shown} in the report's row: {row}"
    );
}
