//! Cold start to the first frame (`cargo bench --bench cold_start`): the real app,
//! release build, started with no file (the bundled sample) and a fresh `--data-dir`
//! each run, closes itself once its first frame is painted (`PW_EXIT_AFTER_FIRST_FRAME=1`,
//! `src/app/first_frame.rs`) and says how long that took since the kernel started the
//! process; this bench also times spawn → exit from outside.
//!
//! Reference, in the same session, run by run in turn with ours: an empty eframe window
//! (this bench binary run as a child: the same eframe, winit, glow, display and window
//! size, the same switch, none of our work), and `policy-workbench --version` (starting
//! and ending our binary without a window). The difference from the empty window is
//! what the app adds: fonts, the sample, its results, the UI.
//!
//! The display: `$DISPLAY` when set, else an `Xvfb` the bench starts (and stops) when it
//! is on the PATH; with neither, the bench says why and measures nothing. "Cold" means a
//! new process each time; the binary's pages are in the file cache (one warm-up run,
//! not counted). Options: `COLD_START_RUNS` (default 5).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use policy_workbench::app::first_frame::{self, FirstFrame, Report};

#[path = "../tests/common/xvfb.rs"]
mod xvfb;

/// The environment variable that makes this binary the empty-window reference.
const CHILD: &str = "COLD_START_BENCH_CHILD";
/// The target for the first frame after the process started.
const TARGET: Duration = Duration::from_millis(500);
/// A run that has not ended by then is stopped and reported.
const TIMEOUT: Duration = Duration::from_secs(60);

fn main() {
    let main_began = Instant::now();
    if std::env::var(CHILD).as_deref() == Ok("empty-window") {
        empty_window(main_began);
        return;
    }
    let display = match xvfb::Display::find() {
        Ok(d) => d,
        Err(why) => {
            println!("cold start: not measured: {why}");
            return;
        }
    };
    let runs: usize = std::env::var("COLD_START_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5);
    let app = Path::new(env!("CARGO_BIN_EXE_policy-workbench"));
    let me = std::env::current_exe().expect("the bench knows its own path");
    let dir = tempfile::tempdir().expect("temporary folder");

    println!("cold start to the first frame painted (issue 20: under 0.5 s)");
    println!(
        "  app: {} with the bundled sample, a fresh --data-dir each run",
        app.display()
    );
    println!("  display: {}", display.origin);
    println!("  a new process each run; the file cache is warm (one warm-up run, not counted)");
    println!("  load average before: {}", load_average());
    println!(
        "  first frame: as the app measures it, since the kernel started its process \
         (/proc/self/stat; since main began in brackets); spawn→exit: from this bench"
    );

    let app_run = |i: usize| -> Result<(Report, Duration), String> {
        let data = dir.path().join(format!("app-{i}"));
        let mut c = Command::new(app);
        c.arg("--data-dir").arg(&data);
        timed_window(c, &display.name)
    };
    let empty_run = |i: usize| -> Result<(Report, Duration), String> {
        let mut c = Command::new(&me);
        c.env(CHILD, "empty-window")
            .env("COLD_START_DATA", dir.path().join(format!("empty-{i}")));
        timed_window(c, &display.name)
    };
    let version_run = || -> Result<Duration, String> {
        let t = Instant::now();
        let out = Command::new(app)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        let took = t.elapsed();
        if !out.status.success() {
            return Err(format!("--version failed: {}", out.status));
        }
        Ok(took)
    };

    // Warm-up: brings both binaries and the libraries into the file cache.
    if let Err(e) = app_run(0).and(empty_run(0)) {
        println!("cold start: not measured: the warm-up run failed: {e}");
        return;
    }

    let mut ours = Vec::new();
    let mut empty = Vec::new();
    let mut version = Vec::new();
    println!();
    println!(
        "  run | app: first frame | spawn→exit | empty window: first frame | spawn→exit | --version"
    );
    for i in 1..=runs {
        let (a, e, v) = match (app_run(i), empty_run(i), version_run()) {
            (Ok(a), Ok(e), Ok(v)) => (a, e, v),
            (a, e, v) => {
                let why = [a.err(), e.err(), v.err()].into_iter().flatten();
                println!("  run {i} failed: {}", why.collect::<Vec<_>>().join("; "));
                continue;
            }
        };
        println!(
            "  {i:>3} | {:>16} | {:>10} | {:>25} | {:>10} | {:>9}",
            first(&a.0),
            ms(a.1),
            first(&e.0),
            ms(e.1),
            ms(v)
        );
        ours.push(a);
        empty.push(e);
        version.push(v);
    }
    if ours.is_empty() {
        println!("cold start: not measured: every run failed");
        return;
    }
    println!("  load average after: {}", load_average());

    let since_start = |r: &Report| r.since_process_start.unwrap_or(r.since_main);
    let app_first: Vec<Duration> = ours.iter().map(|(r, _)| since_start(r)).collect();
    let app_exit: Vec<Duration> = ours.iter().map(|(_, w)| *w).collect();
    let empty_first: Vec<Duration> = empty.iter().map(|(r, _)| since_start(r)).collect();
    let empty_exit: Vec<Duration> = empty.iter().map(|(_, w)| *w).collect();
    println!();
    for (what, v) in [
        ("app: first frame", &app_first),
        ("app: spawn→exit", &app_exit),
        ("empty window: first frame", &empty_first),
        ("empty window: spawn→exit", &empty_exit),
        ("policy-workbench --version", &version),
    ] {
        let (best, median, worst) = spread(v);
        println!(
            "  {what:<27} best {:>6}  median {:>6}  worst {:>6}",
            ms(best),
            ms(median),
            ms(worst)
        );
    }
    let (best, median, _) = spread(&app_first);
    let (_, empty_median, _) = spread(&empty_first);
    println!();
    println!(
        "  target: first frame under {} after the process started: median {} = {}× the target \
         (best {}×){}",
        ms(TARGET),
        ms(median),
        ratio(median, TARGET),
        ratio(best, TARGET),
        if median < TARGET {
            ""
        } else {
            ": over the target"
        }
    );
    println!(
        "  app ÷ empty eframe window (median first frame): {}×; what the app adds: {}",
        ratio(median, empty_median),
        ms(median.saturating_sub(empty_median))
    );
}

/// Runs `c` on `display` with the switch on; its report and the wall time spawn→exit.
fn timed_window(mut c: Command, display: &str) -> Result<(Report, Duration), String> {
    c.env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .env(first_frame::ENV, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let t = Instant::now();
    let mut child = c.spawn().map_err(|e| e.to_string())?;
    let mut stderr = child.stderr.take().expect("stderr is piped");
    // Read stderr on a thread so that a chatty child cannot block on a full pipe.
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if t.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no exit after {} s", TIMEOUT.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let took = t.elapsed();
    let stderr = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("{status}: {}", stderr.trim()));
    }
    let report = Report::find(&stderr)
        .ok_or_else(|| format!("no \"first frame after\" line on stderr: {}", stderr.trim()))?;
    Ok((report, took))
}

/// The reference: an empty eframe window with the app's window size and the same
/// switch, nothing else.
fn empty_window(main_began: Instant) {
    struct Empty(FirstFrame);
    impl eframe::App for Empty {
        fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
            let ctx = ui.ctx().clone();
            if let Some(report) = self.0.on_frame(&ctx) {
                eprintln!("{report}");
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            ui.label("An empty window: the reference of benches/cold_start.rs");
        }
    }
    let data = std::env::var_os("COLD_START_DATA").expect("a data folder");
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_title("cold start reference"),
        persist_window: false,
        persistence_path: Some(Path::new(&data).join("layout.ron")),
        ..Default::default()
    };
    let probe = FirstFrame::new(main_began);
    eframe::run_native(
        "cold start reference",
        options,
        Box::new(|_cc| Ok(Box::new(Empty(probe)))),
    )
    .expect("the empty window opens");
}

/// Best, median and worst.
fn spread(v: &[Duration]) -> (Duration, Duration, Duration) {
    let mut v = v.to_vec();
    v.sort();
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

fn first(r: &Report) -> String {
    match r.since_process_start {
        Some(p) => format!("{} ({})", ms(p), ms(r.since_main)),
        None => format!("{} (main)", ms(r.since_main)),
    }
}

fn ms(d: Duration) -> String {
    format!(
        "{} ms",
        policy_workbench::wording::whole(d.as_secs_f64() * 1000.0)
    )
}

fn ratio(a: Duration, b: Duration) -> String {
    policy_workbench::wording::fixed(a.as_secs_f64() / b.as_secs_f64(), 2)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
