//! Loading and saving a large project (`cargo bench --bench persist`): a ~50 MB project
//! (2,000 mechanisms × 12 criteria × 6 analysts, made by `generate`) written to a
//! temporary file, then, each in a fresh child process so that peak memory is its own:
//!
//! - load + validate: `persist::load_path` (what `policy-workbench validate` does);
//! - fmt: load, then the canonical save (read-back check, fsync, rename) that
//!   `policy-workbench fmt` does; and the save on its own;
//!
//! with MB/s and peak memory (VmHWM). When `python3` is on the PATH, Python's
//! `json.load` and `json.load` + `json.dump(indent=2)` of the same file run in the same
//! session and the ratios are printed (ours ÷ Python: below 1 is faster).
//!
//! Options: `PERSIST_REPEATS` (default 3, best kept), `PERSIST_MECHANISMS` (default 2000),
//! `PERSIST_FILE` (keep the workload at this path, e.g. to run a profiler on a child:
//! `PERSIST_BENCH_CHILD=load perf record target/release/deps/persist-… FILE`).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use policy_workbench::generate::{GenSpec, project};
use policy_workbench::persist;

/// The environment variable that makes this binary a child that times one step.
const CHILD: &str = "PERSIST_BENCH_CHILD";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident memory of this process in bytes (Linux), if known.
fn peak_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Child: times one step on `file` and prints "seconds peak_bytes".
fn child(step: &str, file: &Path) {
    let t = Instant::now();
    match step {
        "load" => {
            // Timed until the project is in memory (as Python's json.load is), not its drop.
            let l = persist::load_path(file).expect("the generated file loads");
            let s = t.elapsed().as_secs_f64();
            println!("{s} {}", peak_bytes().unwrap_or(0));
            std::mem::forget(l);
            return;
        }
        "fmt" => {
            let l = persist::load_path(file).expect("the generated file loads");
            persist::save_path(file, &l.project).expect("saves");
        }
        "save" => {
            let l = persist::load_path(file).expect("the generated file loads");
            let t = Instant::now();
            persist::save_path(file, &l.project).expect("saves");
            let s = t.elapsed().as_secs_f64();
            println!("{s} {}", peak_bytes().unwrap_or(0));
            return;
        }
        "parts" => {
            // Where the time goes: one line of named parts.
            let mut parts = Vec::new();
            let mut lap = |name: &str, t: &mut Instant| {
                parts.push(format!("{name} {:.3} s", t.elapsed().as_secs_f64()));
                *t = Instant::now();
            };
            let mut t = Instant::now();
            let bytes = persist::input::read_file(file, u64::MAX).expect("reads");
            let text = String::from_utf8(bytes).expect("UTF-8");
            lap("read", &mut t);
            let fast = persist::load_fast(&text);
            lap(
                if fast.is_some() {
                    "fast load"
                } else {
                    "fast load (declined!)"
                },
                &mut t,
            );
            let full = persist::load_str_checked(&text).expect("loads");
            lap("full checked load", &mut t);
            let canonical = persist::to_canonical_string(&full.project);
            lap("canonical text", &mut t);
            assert!(fast.is_none_or(|f| f.project == full.project));
            lap("compare", &mut t);
            std::hint::black_box(canonical);
            println!("0 0 {}", parts.join(", "));
            return;
        }
        other => panic!("unknown step {other}"),
    }
    let s = t.elapsed().as_secs_f64();
    println!("{s} {}", peak_bytes().unwrap_or(0));
}

/// Runs this binary once as a child for `step`; its standard output.
fn child_output(step: &str, file: &Path) -> String {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(&exe)
        .env(CHILD, step)
        .arg(file)
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "{step}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs this binary as a child for `step`; (seconds, peak bytes) of the best of `repeats`.
fn run_child(step: &str, file: &Path, repeats: usize) -> (f64, u64) {
    let mut best: Option<(f64, u64)> = None;
    for _ in 0..repeats {
        let text = child_output(step, file);
        let mut f = text.split_whitespace();
        let s: f64 = f.next().and_then(|x| x.parse().ok()).expect("seconds");
        let peak: u64 = f.next().and_then(|x| x.parse().ok()).unwrap_or(0);
        if best.is_none_or(|b| s < b.0) {
            best = Some((s, peak));
        }
    }
    best.expect("one run")
}

/// Runs this binary as a child for `step` once; its output after the two numbers.
fn run_child_text(step: &str, file: &Path) -> String {
    let text = child_output(step, file);
    text.splitn(3, ' ').nth(2).unwrap_or("").trim().to_string()
}

const PYTHON: &str = r#"
import json, resource, sys, time
path, step, out = sys.argv[1], sys.argv[2], sys.argv[3]
t = time.perf_counter()
with open(path, encoding="utf-8") as f:
    doc = json.load(f)
if step == "dump":
    with open(out, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2))
        f.write("\n")
        f.flush()
        import os
        os.fsync(f.fileno())
s = time.perf_counter() - t
print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"#;

/// Python's time for `step` ("load" or "dump"), best of `repeats`, or None without python3.
fn run_python(step: &str, file: &Path, out: &Path, repeats: usize) -> Option<(f64, u64)> {
    let mut best: Option<(f64, u64)> = None;
    for _ in 0..repeats {
        let o = Command::new("python3")
            .arg("-c")
            .arg(PYTHON)
            .arg(file)
            .arg(step)
            .arg(out)
            .output()
            .ok()?;
        if !o.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&o.stdout);
        let mut f = text.split_whitespace();
        let s: f64 = f.next()?.parse().ok()?;
        let peak: u64 = f.next().and_then(|x| x.parse().ok()).unwrap_or(0);
        if best.is_none_or(|b| s < b.0) {
            best = Some((s, peak));
        }
    }
    best
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    if let Ok(step) = std::env::var(CHILD) {
        let file = std::env::args_os()
            .skip(1)
            .find(|a| !a.to_string_lossy().starts_with("--"))
            .expect("a file");
        child(&step, Path::new(&file));
        return;
    }
    let repeats = env_usize("PERSIST_REPEATS", 3).max(1);
    let spec = GenSpec {
        mechanisms: env_usize("PERSIST_MECHANISMS", 2000),
        criteria: 12,
        analysts: 6,
        scenarios: 6,
        sources: 200,
        seed: 7,
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    // PERSIST_FILE keeps the workload at that path (for a profiler).
    let file =
        std::env::var_os("PERSIST_FILE").map_or_else(|| dir.path().join("large.json"), Into::into);
    let t = Instant::now();
    let p = project(&spec);
    let text = persist::to_canonical_string(&p);
    std::fs::write(&file, &text).expect("writes");
    let size = text.len() as u64;
    drop((p, text));
    println!(
        "workload: {} mechanisms × {} criteria × {} analysts, {:.1} MB file (built in {:.1} s); \
         best of {repeats}, each in a fresh process",
        spec.mechanisms,
        spec.criteria,
        spec.analysts,
        mb(size),
        t.elapsed().as_secs_f64()
    );
    let py_out = dir.path().join("python.json");
    let py_load = run_python("load", &file, &py_out, repeats);
    let py_dump = run_python("dump", &file, &py_out, repeats);
    let line = |label: &str, (s, peak): (f64, u64), py: Option<(f64, u64)>, py_label: &str| {
        let vs = py.map_or(String::new(), |(ps, _)| {
            format!("  = {:.2}× Python {py_label} ({ps:.3} s)", s / ps)
        });
        println!(
            "  {label:<32} {s:>7.3} s {:>7.1} MB/s  peak {:>6.1} MB = {:.2}× the file{vs}",
            mb(size) / s,
            mb(peak),
            peak as f64 / size as f64
        );
    };
    line(
        "load + validate",
        run_child("load", &file, repeats),
        py_load,
        "json.load",
    );
    line(
        "fmt (load + save)",
        run_child("fmt", &file, repeats),
        py_dump,
        "json.load + dump(indent=2)",
    );
    line("save alone", run_child("save", &file, repeats), None, "");
    println!("  parts: {}", run_child_text("parts", &file));
    match (py_load, py_dump) {
        (Some((l, lp)), Some((d, dp))) => println!(
            "python3: json.load {l:.3} s (peak {:.1} MB), load + dump(indent=2) {d:.3} s (peak {:.1} MB)",
            mb(lp),
            mb(dp)
        ),
        _ => println!("python3: not found, no ratios"),
    }
}
