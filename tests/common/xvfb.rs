//! A display for tests and benches that open the real window: the one in `$DISPLAY`, or
//! an `Xvfb` started on a free display number (stopped when dropped), or none, with
//! the reason, when there is neither. Also used by `benches/cold_start.rs`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Display {
    /// What to put in `DISPLAY`, e.g. ":140".
    pub name: String,
    /// Where it came from, in words.
    pub origin: String,
    server: Option<Child>,
}

impl Display {
    /// `$DISPLAY` when set, else an `Xvfb` of 1920×1080 started here when `Xvfb` is on
    /// the PATH; otherwise why there is no display.
    pub fn find() -> Result<Display, String> {
        if let Some(name) = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) {
            return Ok(Display {
                origin: format!("the display in $DISPLAY ({name})"),
                name,
                server: None,
            });
        }
        let Some(xvfb) = on_path("Xvfb") else {
            return Err("no display: $DISPLAY is not set and Xvfb is not on the PATH".into());
        };
        // Numbers away from the ones the screenshot script uses (90–130).
        for n in 140..240 {
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
            if socket.exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let mut server = Command::new(&xvfb)
                .args([
                    &format!(":{n}"),
                    "-screen",
                    "0",
                    "1920x1080x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("could not start {}: {e}", xvfb.display()))?;
            let t = Instant::now();
            while t.elapsed() < Duration::from_secs(10) {
                if socket.exists() {
                    return Ok(Display {
                        name: format!(":{n}"),
                        origin: format!("Xvfb :{n} (1920×1080×24) started for this run"),
                        server: Some(server),
                    });
                }
                // Another server took the number first: try the next one.
                if server.try_wait().ok().flatten().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            stop(&mut server);
        }
        Err("no display: Xvfb did not start on any of :140 to :239".into())
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(server) = self.server.as_mut() {
            stop(server);
        }
    }
}

/// SIGTERM, so that Xvfb removes its lock file and socket, then wait.
fn stop(server: &mut Child) {
    // SAFETY: a signal to our own child, whose id we hold until it is reaped.
    unsafe {
        libc::kill(server.id() as libc::pid_t, libc::SIGTERM);
    }
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(5) {
        if server.try_wait().ok().flatten().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = server.kill();
    let _ = server.wait();
}

/// The path of `program` in a folder of the PATH, if any.
pub fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}
