//! How the assessment report scales with the project: generated projects of 200, 800
//! and 2,000 mechanisms × 12 criteria × 6 analysts, the HTML report with its charts.
//! Prints the time of each and the time per mechanism (flat when the report is linear
//! in the size of the project). Run with `cargo bench --bench report`.

use std::time::Instant;

use policy_workbench::generate::{GenSpec, project};
use policy_workbench::report::{ReportOptions, html_report};

fn main() {
    println!("report (HTML, charts included), 12 criteria × 6 analysts");
    println!(
        "{:>11} {:>10} {:>16}",
        "mechanisms", "seconds", "ms per mechanism"
    );
    for mechanisms in [200, 800, 2000] {
        let p = project(&GenSpec {
            mechanisms,
            criteria: 12,
            analysts: 6,
            scenarios: 1,
            sources: 100,
            seed: 5,
        });
        let opts = ReportOptions {
            include_charts: true,
            ..ReportOptions::default()
        };
        let t = Instant::now();
        let html = html_report(&p, &opts).expect("the report is written");
        let s = t.elapsed().as_secs_f64();
        assert!(!html.is_empty());
        println!(
            "{mechanisms:>11} {s:>10.2} {:>16.2}",
            s * 1000.0 / mechanisms as f64
        );
    }
}
