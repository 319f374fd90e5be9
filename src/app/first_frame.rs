//! The cold-start switch (`benches/cold_start.rs`, docs/performance.md): with
//! `PW_EXIT_AFTER_FIRST_FRAME=1` in the environment the app closes as soon as its first
//! frame is painted and prints on stderr how long that took since the process started.
//!
//! eframe paints and swaps a frame right after the `ui` call that built it, and keeps
//! the window hidden until then; so the first frame is painted when the next frame
//! begins. The switch asks for that next frame and takes the time at its start.
//! Two clocks are printed: since the kernel started the process (`/proc/self/stat`,
//! which counts in clock ticks, usually 10 ms; it includes loading the binary and its
//! libraries) and since `main` began (an `Instant` taken first thing in `main`).

use std::fmt;
use std::time::{Duration, Instant};

use crate::wording;

/// The environment variable of the switch; only the value "1" turns it on.
pub const ENV: &str = "PW_EXIT_AFTER_FIRST_FRAME";

/// Watches the frames of a run started with the switch on.
pub struct FirstFrame {
    main_began: Instant,
    /// `cumulative_frame_nr` during the first frame (egui may run several passes in one).
    first: Option<u64>,
}

impl FirstFrame {
    /// The switch, when the environment turns it on.
    pub fn from_env(main_began: Instant) -> Option<FirstFrame> {
        let on = std::env::var_os(ENV).is_some_and(|v| v == "1");
        on.then(|| FirstFrame::new(main_began))
    }

    pub fn new(main_began: Instant) -> FirstFrame {
        FirstFrame {
            main_began,
            first: None,
        }
    }

    /// Called at the start of each `ui` call. Returns the times once the first frame
    /// has been painted (the app should then close); until then asks for a next frame.
    pub fn on_frame(&mut self, ctx: &egui::Context) -> Option<Report> {
        let nr = ctx.cumulative_frame_nr();
        match self.first {
            Some(first) if nr > first => Some(Report {
                since_process_start: since_process_start(),
                since_main: self.main_began.elapsed(),
            }),
            _ => {
                self.first.get_or_insert(nr);
                ctx.request_repaint();
                None
            }
        }
    }
}

/// How long the first frame took: the line the switch prints, and what the bench and
/// the test read back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Report {
    /// Since the kernel started the process, when `/proc/self/stat` can tell.
    pub since_process_start: Option<Duration>,
    /// Since `main` began.
    pub since_main: Duration,
}

const PREFIX: &str = "first frame after ";
const MAIN: &str = " ms since main began";

impl fmt::Display for Report {
    /// "first frame after 312 ms since the process started (/proc/self/stat, 10 ms
    /// ticks); 298 ms since main began", or without a process start time
    /// "first frame after 298 ms since main began".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(PREFIX)?;
        if let Some(p) = self.since_process_start {
            write!(
                f,
                "{} ms since the process started (/proc/self/stat, {} ms ticks); ",
                ms(p),
                wording::whole(1000.0 / clock_ticks_per_second())
            )?;
        }
        write!(f, "{}{MAIN}", ms(self.since_main))
    }
}

impl Report {
    /// Reads back a line written by `Display` (whole milliseconds).
    pub fn parse(line: &str) -> Option<Report> {
        let rest = line.trim().strip_prefix(PREFIX)?;
        let (process, main) = match rest.split_once("; ") {
            Some((p, m)) => (Some(p), m),
            None => (None, rest),
        };
        let millis = |s: &str, suffix: &str| -> Option<Duration> {
            let n: u64 = s.strip_suffix(suffix)?.trim().parse().ok()?;
            Some(Duration::from_millis(n))
        };
        let since_process_start = match process {
            Some(p) => {
                let (n, _) = p.split_once(" ms since the process started")?;
                Some(Duration::from_millis(n.trim().parse().ok()?))
            }
            None => None,
        };
        Some(Report {
            since_process_start,
            since_main: millis(main, MAIN)?,
        })
    }

    /// The line of a run's stderr that `Display` wrote, read back.
    pub fn find(stderr: &str) -> Option<Report> {
        stderr.lines().find_map(Report::parse)
    }
}

fn ms(d: Duration) -> String {
    wording::whole(d.as_secs_f64() * 1000.0)
}

fn clock_ticks_per_second() -> f64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf reads a constant of the system.
        let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        if t > 0 {
            return t as f64;
        }
    }
    100.0
}

/// Time since the kernel started this process: the start time in `/proc/self/stat`
/// (clock ticks since boot) against the boot-time clock now. None off Linux.
pub fn since_process_start() -> Option<Duration> {
    #[cfg(target_os = "linux")]
    {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let ticks = start_ticks(&stat)?;
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes into the timespec it is given.
        if unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut now) } != 0 {
            return None;
        }
        let now = now.tv_sec as f64 + now.tv_nsec as f64 / 1e9;
        let started = ticks as f64 / clock_ticks_per_second();
        Some(Duration::from_secs_f64((now - started).max(0.0)))
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// Field 22 of `/proc/PID/stat` (the start time, in clock ticks since boot). The
/// command name (field 2) is in parentheses and may itself hold spaces and ')'.
fn start_ticks(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Field 3 (the state) is the first after the name: field 22 is the 20th.
    after_name.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_is_field_22_even_with_a_strange_command_name() {
        let fields: Vec<String> = (3..=30).map(|i| i.to_string()).collect();
        let stat = format!("4242 (a b) c) {}", fields.join(" "));
        assert_eq!(start_ticks(&stat), Some(22));
        assert_eq!(start_ticks("4242 (x) R 1 2"), None);
    }

    #[test]
    fn the_line_reads_back() {
        let both = Report {
            since_process_start: Some(Duration::from_millis(312)),
            since_main: Duration::from_millis(298),
        };
        let line = both.to_string();
        assert!(line.starts_with("first frame after 312 ms since the process started"));
        assert!(line.ends_with("; 298 ms since main began"));
        assert_eq!(Report::parse(&line), Some(both));
        let main_only = Report {
            since_process_start: None,
            since_main: Duration::from_millis(7),
        };
        assert_eq!(
            main_only.to_string(),
            "first frame after 7 ms since main began"
        );
        assert_eq!(
            Report::find(&format!("some warning\n{main_only}\n")),
            Some(main_only)
        );
        assert_eq!(Report::parse("first frame after soon"), None);
    }

    #[test]
    fn the_process_started_before_now() {
        #[cfg(target_os = "linux")]
        assert!(since_process_start().is_some());
    }
}
