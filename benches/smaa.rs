//! SMAA-2 throughput (`cargo bench --bench smaa`): samples per second on the issue's
//! workload, 100,000 samples × 500 mechanisms × 40 criteria (the generated LARGE
//! project), with 1 and 2 threads: weights only; weights + score uncertainty; weights
//! + pairwise winning probabilities. Also 10,000 samples on the bundled sample.
//!
//! The numpy baseline (shared/baselines/smaa_numpy.py) does the weights-only workload;
//! run it in the same session and pass its JSON to print the ratio:
//!
//!     SMAA_BASELINE=/tmp/np-bench.json cargo bench --bench smaa
//!
//! Options: `SMAA_SAMPLES` (default 100000), `SMAA_REPEATS` (default 3, best kept),
//! `SMAA_ONLY` (a comma-separated subset of `weights,noise,pairwise,confidence,sample`,
//! for profiling).

use std::time::Instant;

use policy_workbench::bundled;
use policy_workbench::compute::smaa::*;
use policy_workbench::compute::{Matrix, Selection, effective_matrix};
use policy_workbench::generate::{GenSpec, project};
use policy_workbench::model::Framework;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Best wall time of `repeats` runs on a pool of `threads` threads.
fn time(
    fw: &Framework,
    m: &Matrix,
    o: &SmaaOptions,
    threads: usize,
    repeats: usize,
) -> (f64, Smaa) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let r = pool.install(|| smaa(fw, m, o)).expect("runs");
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(r);
    }
    (best, last.expect("at least one run"))
}

/// samples/s of the numpy baseline (workers_1, workers_2) from its JSON output.
fn baseline() -> Option<(String, f64, f64)> {
    let path = std::env::var("SMAA_BASELINE")
        .ok()
        .or_else(|| std::env::args().skip(1).find(|a| a.ends_with(".json")))?;
    let text = std::fs::read_to_string(&path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let one = v["smaa"]["workers_1"]["samples_per_s"].as_f64()?;
    let two = v["smaa"]["workers_2"]["samples_per_s"].as_f64()?;
    Some((path, one, two))
}

fn wanted(what: &str) -> bool {
    std::env::var("SMAA_ONLY").map_or(true, |v| v.split(',').any(|x| x.trim() == what))
}

fn main() {
    let samples = env_usize("SMAA_SAMPLES", 100_000);
    let repeats = env_usize("SMAA_REPEATS", 3).max(1);
    let t = Instant::now();
    let p = project(&GenSpec::LARGE);
    let m = effective_matrix(&p, &Selection::default()).expect("base");
    let fw = &p.framework;
    println!(
        "workload: {samples} samples × {} mechanisms × {} criteria (generated LARGE project, built in {:.1} s); best of {repeats}",
        m.rows.len(),
        fw.criterion_count(),
        t.elapsed().as_secs_f64()
    );
    let base = baseline();
    let mut weights_only = SmaaOptions::new(samples, 1);
    weights_only.pairwise = false;
    let mut noisy = weights_only.clone();
    noisy.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
    noisy.confidence_samples = Some(0); // the confidence pass is timed on its own below
    let mut pairwise = weights_only.clone();
    pairwise.pairwise = true;

    let mut results = Vec::new();
    for (key, label, o) in [
        ("weights", "weights only", &weights_only),
        ("noise", "weights + score uncertainty", &noisy),
        ("pairwise", "weights + pairwise", &pairwise),
    ] {
        if !wanted(key) {
            continue;
        }
        for threads in [1, 2] {
            let (secs, r) = time(fw, &m, o, threads, repeats);
            let rate = samples as f64 / secs;
            let vs = match (&base, label, threads) {
                (Some((_, one, _)), "weights only", 1) => {
                    format!("  = {:.2}× numpy (1 thread)", rate / one)
                }
                (Some((_, _, two)), "weights only", 2) => {
                    format!("  = {:.2}× numpy (2 threads)", rate / two)
                }
                _ => String::new(),
            };
            println!(
                "  {label:<30} {threads} thread(s): {secs:>7.3} s  {rate:>10.0} samples/s{vs}"
            );
            results.push((label, threads, r));
        }
    }
    // Same seed: 1 and 2 threads must agree exactly.
    for pair in results.chunks(2) {
        assert_eq!(
            pair[0].2, pair[1].2,
            "{}: 1 and 2 threads differ",
            pair[0].0
        );
    }
    if let Some((path, one, two)) = &base {
        println!(
            "numpy baseline ({path}): {one:.0} samples/s (1 thread), {two:.0} samples/s (2 threads)"
        );
    } else {
        println!("numpy baseline: set SMAA_BASELINE=path/to/np-bench.json to print the ratio");
    }

    // The confidence-factor pass with score uncertainty (10,000 samples × the
    // mechanisms that were ever first), on its own.
    if wanted("confidence") {
        let first = results
            .first()
            .map_or(0, |r| r.2.central_weights.iter().flatten().count());
        let mut cf = noisy.clone();
        cf.samples = 1;
        cf.confidence_samples = Some(10_000.min(samples));
        let (secs, _) = time(fw, &m, &cf, 2, 1);
        println!(
            "  confidence factors, score uncertainty: {} samples × {first} candidates (from the weights-only run): {secs:.3} s (2 threads)",
            10_000.min(samples)
        );
    }
    if !wanted("sample") {
        return;
    }

    // The UI case: 10,000 samples on the bundled sample project.
    let sample = bundled::sample();
    let sm = effective_matrix(&sample, &Selection::default()).expect("base");
    let ui = SmaaOptions::new(10_000, 1);
    let mut ui_noisy = ui.clone();
    ui_noisy.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
    for (label, o) in [
        ("weights + pairwise", &ui),
        ("+ score uncertainty, confidence factors", &ui_noisy),
    ] {
        for threads in [1, 2] {
            let (secs, _) = time(&sample.framework, &sm, o, threads, repeats);
            println!(
                "  sample project ({} × {}), 10,000 samples, {label}: {:.1} ms ({threads} thread(s))",
                sm.rows.len(),
                sample.framework.criterion_count(),
                secs * 1e3
            );
        }
    }
}
