//! One set of figures: on the sample, UNPOL's chance of first place reads the same in
//! the window, in `analyze --smaa --json` and in the report, because all three use
//! `SmaaOptions::standard` with the same seed.
#![cfg(feature = "gui")]

mod common;

use common::ui::{app_sized, click};
use common::*;
use egui_kittest::kittest::Queryable;
use policy_workbench::wording;

#[test]
fn unpols_rank_acceptability_is_one_number_in_the_app_the_cli_and_the_report() {
    let sample = sample_path();
    let sample = sample.to_str().unwrap();

    // The command line, with the default sample count and seed.
    let o = run(&["analyze", sample, "--smaa", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let smaa = &v["smaa"];
    assert_eq!(smaa["samples"], 10_000);
    assert_eq!(smaa["seed"], 1);
    assert_eq!(smaa["options"]["missing_cells"], "drawn");
    let unpol = smaa["mechanisms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "unpol")
        .expect("UNPOL in the SMAA results");
    let first = unpol["acceptability"][0].as_f64().unwrap();
    assert!(first > 0.0 && first < 1.0, "{first}");
    let shown = wording::percent_one_decimal(first);

    // The text output names the settings and the mechanism.
    let o = run(&["analyze", sample, "--smaa"]);
    let text = stdout(&o);
    assert!(
        text.contains("10,000 samples, seed 1; criterion weights drawn uniformly"),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.ends_with("UN peacekeeping police (UNPOL)"))
        .unwrap_or_else(|| panic!("UNPOL by name: {text}"));
    assert!(line.trim_start().starts_with(&shown), "{line} vs {shown}");

    // The report.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let o = run(&["report", sample, "--smaa", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    let smaa_at = html.find("Rank acceptability (SMAA-2)").unwrap();
    let row_at = smaa_at
        + html[smaa_at..]
            .find("UN peacekeeping police (UNPOL)")
            .expect("UNPOL in the report's SMAA table");
    let row = &html[row_at..row_at + html[row_at..].find("</tr>").unwrap()];
    assert!(row.contains(&format!(">{shown}<")), "{row} vs {shown}");
    assert!(
        html.contains("10,000 samples, seed 1;"),
        "the report names the settings"
    );

    // The window, with the settings it starts with.
    let data = tempfile::tempdir().unwrap();
    let mut h = app_sized(data.path(), [1400.0, 2000.0]);
    h.run_steps(3);
    click(&mut h, "Results");
    // The results view runs it by itself, with the settings it starts with.
    for _ in 0..500 {
        if !h.state().view.derived.smaa.running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
    }
    h.run_steps(3);
    // The results table's "Chance" column shows it…
    assert!(
        h.query_all_by_label_contains(&format!("{shown} · "))
            .next()
            .is_some(),
        "the results table shows {shown} for UNPOL"
    );
    // …and so does the rank-acceptability section.
    click(&mut h, "Monte Carlo rank acceptability (SMAA-2)");
    assert!(
        h.query_all_by_label_contains(&format!("{shown} ±"))
            .next()
            .is_some(),
        "the window shows {shown} for UNPOL"
    );
    assert!(
        h.query_all_by_label_contains("10,000 samples, seed 1;")
            .next()
            .is_some()
    );
}
