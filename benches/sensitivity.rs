//! Sensitivity speed (`cargo bench --bench sensitivity`): weight stability intervals
//! (first place, the top ten, the whole ranking) and the smallest change that flips
//! first place, on the bundled sample and on the generated LARGE project (500
//! mechanisms × 40 criteria). Prints the best of a few runs; asserts nothing (speed
//! is measured here, not in the tests).
//!
//! The targets: well under 10 ms for first place and the smallest change on the
//! sample; under a second for both on 500 × 40 in a release build.
//!
//! Options: `SENSITIVITY_REPEATS` (default 5, best kept), `SENSITIVITY_SKIP_LARGE=1`.

use std::time::{Duration, Instant};

use policy_workbench::bundled;
use policy_workbench::compute::sensitivity::{RankScope, first_place_change, weight_intervals};
use policy_workbench::compute::{Matrix, Selection, effective_matrix};
use policy_workbench::generate::{GenSpec, project};
use policy_workbench::model::{Framework, Project};

fn repeats() -> usize {
    std::env::var("SENSITIVITY_REPEATS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1)
}

/// The best wall time of `repeats()` runs of `f`.
fn best<T>(f: impl Fn() -> T) -> Duration {
    (0..repeats())
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn matrix(p: &Project) -> Matrix {
    effective_matrix(p, &Selection::default()).expect("the base assessment has a matrix")
}

fn report(what: &str, fw: &Framework, m: &Matrix, top10: bool) {
    let top1 = best(|| weight_intervals(fw, m, RankScope::Top(1)));
    let ten = top10.then(|| best(|| weight_intervals(fw, m, RankScope::Top(10))));
    let all = best(|| weight_intervals(fw, m, RankScope::All));
    let first = best(|| first_place_change(fw, m));
    let ten = ten.map_or(String::new(), |d| format!(", top-10 {d:?}"));
    println!(
        "{what} {}×{}: intervals top-1 {top1:?}{ten}, whole ranking {all:?}, smallest change {first:?}; top-1 + smallest change {:?}",
        m.rows.len(),
        fw.criterion_count(),
        top1 + first
    );
}

fn main() {
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("sensitivity ({build} build, best of {})", repeats());
    let sample = bundled::sample();
    report("sample", &sample.framework, &matrix(&sample), false);
    if std::env::var_os("SENSITIVITY_SKIP_LARGE").is_none() {
        let large = project(&GenSpec::LARGE);
        report("LARGE", &large.framework, &matrix(&large), true);
    }
}
