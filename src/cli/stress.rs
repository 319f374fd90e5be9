//! `stress-save FILE --count N`, a hidden command for the kill-during-save test
//! (`tests/crash.rs`, `scripts/crash-test.sh`; see docs/robustness.md).
//!
//! It loads FILE, prints `loaded` (the moment a test starts its kill timer), then N
//! times changes the rationale of one score and saves through `persist::save_path`,
//! the atomic path the app uses. It prints nothing per save and `saved N` at the end.
//!
//! The edit is a pure function of the file, so a test can rebuild every version a
//! completed save can have written: the first score (in key order) gets the rationale
//! `BASE [stress-save K]`, where K is one more than the K already there (none = 0).

use std::io::Write;
use std::path::PathBuf;

use crate::edit::{self, Command};
use crate::persist;

use super::exit;

/// The text appended to the edited rationale, followed by the save count and `]`.
pub const MARKER: &str = " [stress-save ";

#[derive(clap::Args, Debug)]
pub struct StressArgs {
    /// Project file to load and save over and over.
    pub file: PathBuf,
    /// How many edit-and-save rounds to run.
    #[arg(long, default_value_t = 100)]
    pub count: u64,
}

/// Splits a rationale into its text before the marker and the save count in it.
pub fn split_marker(rationale: &str) -> (&str, u64) {
    if let Some(i) = rationale.rfind(MARKER)
        && let Some(n) = rationale[i + MARKER.len()..].strip_suffix(']')
        && let Ok(n) = n.parse::<u64>()
    {
        return (&rationale[..i], n);
    }
    (rationale, 0)
}

pub fn run(args: &StressArgs) -> u8 {
    let mut project = match super::load_for_command(&args.file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let Some(key) = project.scores.keys().next().cloned() else {
        say_err!("{}: the project has no score to edit", args.file.display());
        return exit::INVALID;
    };
    let mut out = std::io::stdout().lock();
    // A closed stdout must not stop the run: the line is only a hint for tests.
    let _ = writeln!(out, "loaded").and_then(|()| out.flush());
    for _ in 0..args.count {
        let mut score = project.scores[&key].clone();
        let (base, n) = split_marker(&score.rationale);
        score.rationale = format!("{base}{MARKER}{}]", n + 1);
        let cmd = Command::SetScore {
            key: key.clone(),
            score: Some(score),
        };
        if let Err(e) = edit::apply(&mut project, cmd) {
            say_err!("{}: {e}", args.file.display());
            return exit::INVALID;
        }
        if let Err(e) = persist::save_path(&args.file, &project) {
            say_err!("{e}");
            return exit::USAGE_OR_IO;
        }
    }
    let _ = writeln!(out, "saved {}", args.count);
    exit::OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trips() {
        assert_eq!(split_marker("plain"), ("plain", 0));
        assert_eq!(split_marker("text [stress-save 12]"), ("text", 12));
        assert_eq!(split_marker(" [stress-save 3]"), ("", 3));
        assert_eq!(split_marker("a [stress-save x]"), ("a [stress-save x]", 0));
        let (base, n) = split_marker("why [stress-save 1] [stress-save 2]");
        assert_eq!((base, n), ("why [stress-save 1]", 2));
    }
}
