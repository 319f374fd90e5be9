//! SMAA-2 throughput (`cargo bench --bench smaa`): samples per second on the issue's
//! workload, 100,000 samples × 500 mechanisms × 40 criteria (the generated LARGE
//! project), with 1 and 2 threads: weights only; weights and score uncertainty; weights
//! and pairwise winning probabilities; the confidence-factor pass on its own. Also
//! 10,000 samples on the bundled sample project (the interactive case).
//!
//! The numpy baseline (shared/baselines/smaa_numpy.py) does the weights-only workload;
//! run it in the same session and pass its JSON to print the ratios (weights only, and
//! with score uncertainty, both against numpy's weights-only rate):
//!
//!     SMAA_BASELINE=/tmp/np-bench.json cargo bench --bench smaa
//!
//! Options: `SMAA_SAMPLES` (default 100000), `SMAA_REPEATS` (default 3, best kept),
//! `SMAA_THREADS` (1 or 2: time only that), `SMAA_ONLY` (a comma-separated subset of
//! `weights,noise,pairwise,confidence,sample`, for profiling).
//!
//! Each line also gives the process CPU time of the best run: on a shared machine a
//! CPU time well below threads × wall time means the run waited for a core.

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

/// Thread counts to time (`SMAA_THREADS=1` or `2` for one of them).
fn thread_counts() -> Vec<usize> {
    match std::env::var("SMAA_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        Some(t) => vec![t],
        None => vec![1, 2],
    }
}

fn wanted(what: &str) -> bool {
    std::env::var("SMAA_ONLY").map_or(true, |v| v.split(',').any(|x| x.trim() == what))
}

/// CPU time of this process (user + system, all threads) in seconds, where known.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): utime, stime are the
    // 12th and 13th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

struct Timing {
    wall: f64,
    cpu: Option<f64>,
    result: Smaa,
}

/// Best wall time of `repeats` runs on a pool of `threads` threads.
fn time(fw: &Framework, m: &Matrix, o: &SmaaOptions, threads: usize, repeats: usize) -> Timing {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let mut best: Option<Timing> = None;
    for _ in 0..repeats {
        let c0 = cpu_seconds();
        let t = Instant::now();
        let result = pool.install(|| smaa(fw, m, o)).expect("runs");
        let wall = t.elapsed().as_secs_f64();
        let cpu = c0.and_then(|c0| cpu_seconds().map(|c1| c1 - c0));
        if best.as_ref().is_none_or(|b| wall < b.wall) {
            best = Some(Timing { wall, cpu, result });
        }
    }
    best.expect("at least one run")
}

fn cpu_note(t: &Timing) -> String {
    t.cpu.map_or(String::new(), |c| format!("  (cpu {c:.2} s)"))
}

/// Samples per CPU-second: the rate per core, whatever else the machine was doing.
fn per_core(samples: usize, t: &Timing) -> String {
    t.cpu.filter(|&c| c > 0.0).map_or(String::new(), |c| {
        format!(", {:.0}/cpu-s", samples as f64 / c)
    })
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

fn main() {
    let samples = env_usize("SMAA_SAMPLES", 100_000);
    let repeats = env_usize("SMAA_REPEATS", 3).max(1);
    let t = Instant::now();
    let p = project(&GenSpec::LARGE);
    let m = effective_matrix(&p, &Selection::default()).expect("base");
    let fw = &p.framework;
    println!(
        "workload: {samples} samples × {} mechanisms × {} criteria (generated LARGE project, \
         built in {:.1} s); best of {repeats}",
        m.rows.len(),
        fw.criterion_count(),
        t.elapsed().as_secs_f64()
    );
    let base = baseline();
    let mut weights_only = SmaaOptions::new(samples, 1);
    weights_only.pairwise = false;
    let mut noisy = weights_only.clone();
    noisy.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
    // The confidence pass with score noise is timed on its own below.
    noisy.confidence_samples = Some(0);
    let mut pairwise = weights_only.clone();
    pairwise.pairwise = true;

    let mut results: Vec<(&str, Vec<Smaa>)> = Vec::new();
    for (key, label, o) in [
        ("weights", "weights only", &weights_only),
        ("noise", "weights + score uncertainty", &noisy),
        ("pairwise", "weights + pairwise", &pairwise),
    ] {
        if !wanted(key) {
            continue;
        }
        let mut runs = Vec::new();
        for threads in thread_counts() {
            let t = time(fw, &m, o, threads, repeats);
            let rate = samples as f64 / t.wall;
            // Both modes against numpy's weights-only run (the reference of both
            // targets).
            let vs = match (&base, key, threads) {
                (Some((_, one, _)), "weights", 1) => {
                    format!("  = {:.2}× numpy 1 thread", rate / one)
                }
                (Some((_, _, two)), "weights", 2) => {
                    format!("  = {:.2}× numpy 2 threads", rate / two)
                }
                (Some((_, one, _)), "noise", 1) => {
                    format!("  = {:.2}× numpy weights-only 1 thread", rate / one)
                }
                (Some((_, _, two)), "noise", 2) => {
                    format!("  = {:.2}× numpy weights-only 2 threads", rate / two)
                }
                _ => String::new(),
            };
            println!(
                "  {label:<28} {threads} thread(s): {:>7.3} s {rate:>10.0} samples/s{}{}{vs}",
                t.wall,
                cpu_note(&t),
                per_core(samples, &t)
            );
            runs.push(t.result);
        }
        // Same seed: the thread count must not change the result.
        assert!(
            runs.windows(2).all(|w| w[0] == w[1]),
            "{label}: thread counts differ"
        );
        results.push((key, runs));
    }
    match &base {
        Some((path, one, two)) => println!(
            "numpy baseline ({path}): {one:.0} samples/s (1 thread), {two:.0} samples/s (2 threads)"
        ),
        None => {
            println!("numpy baseline: set SMAA_BASELINE=path/to/np-bench.json to print the ratio")
        }
    }

    if wanted("confidence") {
        // The confidence-factor pass with score uncertainty: 10,000 samples × the
        // mechanisms that were ever first (with 1 main sample, just the one first).
        let cf_samples = 10_000;
        let mut cf = noisy.clone();
        cf.confidence_samples = Some(cf_samples);
        let main = results
            .iter()
            .find(|(k, _)| *k == "weights")
            .map(|(_, r)| &r[0]);
        let candidates = main.map_or(0, |r| r.central_weights.iter().flatten().count());
        cf.samples = if main.is_some() { samples } else { 1 };
        let threads = *thread_counts().last().expect("a thread count");
        let t = time(fw, &m, &cf, threads, 1);
        println!(
            "  score uncertainty + confidence factors ({cf_samples} samples × {candidates} \
             candidates): {:.3} s incl. the main pass ({threads} thread(s)){}",
            t.wall,
            cpu_note(&t)
        );
    }

    if wanted("sample") {
        // The interactive case: 10,000 samples on the bundled sample project.
        let sample = bundled::sample();
        let sm = effective_matrix(&sample, &Selection::default()).expect("base");
        let ui = SmaaOptions::new(10_000, 1);
        let mut ui_noisy = ui.clone();
        ui_noisy.scores = ScoreUncertainty::FromConfidence(ScoreSpread::default());
        for (label, o) in [
            ("weights + pairwise", &ui),
            ("+ score uncertainty and confidence factors", &ui_noisy),
        ] {
            for threads in thread_counts() {
                let t = time(&sample.framework, &sm, o, threads, repeats);
                println!(
                    "  sample project ({} × {}), 10,000 samples, {label}: {:.1} ms ({threads} thread(s))",
                    sm.rows.len(),
                    sample.framework.criterion_count(),
                    t.wall * 1e3
                );
            }
        }
    }
}
