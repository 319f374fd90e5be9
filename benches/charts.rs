//! Time to render each chart of the bundled sample at 1600 × 1000, as an RGB buffer,
//! as PNG bytes (render + encode) and as SVG. Prints the median of several runs.
//! Run with `cargo bench --bench charts` (release build).

use std::time::Instant;

use policy_workbench::charts::{self, ChartInput, ChartKind, ChartOptions};
use policy_workbench::compute::{self, Selection};

const RUNS: usize = 15;

fn median_ms(mut f: impl FnMut()) -> f64 {
    f(); // warm-up: font registration, caches
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

fn main() {
    let project = policy_workbench::bundled::sample();
    let sel = Selection::default();
    let matrix = compute::effective_matrix(&project, &sel).expect("the sample analyses");
    let results = compute::results_from_matrix(&project.framework, &matrix, &sel);
    let input = ChartInput {
        project: &project,
        matrix: &matrix,
        results: &results,
        title_suffix: None,
    };
    println!(
        "charts of the bundled sample ({} mechanisms) at 1600×1000, median of {RUNS} runs",
        results.mechanisms.len()
    );
    println!(
        "{:<10} {:>10} {:>10} {:>10}",
        "chart", "rgb ms", "png ms", "svg ms"
    );
    for kind in ChartKind::ALL {
        let opts = ChartOptions::new(kind);
        let rgb = median_ms(|| {
            std::hint::black_box(charts::render_rgb(&input, &opts).expect("renders"));
        });
        let png = median_ms(|| {
            std::hint::black_box(charts::render_png(&input, &opts).expect("renders"));
        });
        let svg = median_ms(|| {
            std::hint::black_box(charts::render_svg(&input, &opts).expect("renders"));
        });
        println!(
            "{:<10} {rgb:>10.1} {png:>10.1} {svg:>10.1}",
            kind.file_stem()
        );
    }
}
