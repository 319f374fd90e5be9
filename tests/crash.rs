//! Kill during save: the real binary saves a project over and over
//! (`policy-workbench stress-save`, through `persist::save_path`, the app's atomic
//! path) and is killed with SIGKILL at random moments. After every kill the file on
//! disk must be a complete version written by a finished save — never missing, never
//! half written — and so must the `.bak` backup. See docs/robustness.md;
//! `scripts/crash-test.sh` runs the same loop for as long as you like.
//!
//! Reproducible: the kill delays come from PCG-64 with a fixed seed, scaled by the
//! time one undisturbed run takes on this machine. In `cargo test` it is short: the
//! first `MIN_ROUNDS` rounds always run (so the checks never depend on the machine's
//! speed), the rest only within a budget of a few seconds. Environment overrides for
//! longer runs: `PW_CRASH_ROUNDS` (default 300), `PW_CRASH_BUDGET_SECS` (default 3;
//! the loop stops early when it runs out), `PW_CRASH_SEED`;
//! `scripts/crash-test.sh --rust SECS` sets the budget.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::bin;
use policy_workbench::generate::{self, GenSpec};
use policy_workbench::model::{Project, ScoreKey};
use policy_workbench::persist;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

/// Big enough that a save takes tens of milliseconds in a debug build (≈ 330 KB).
const SPEC: GenSpec = GenSpec {
    mechanisms: 30,
    criteria: 12,
    analysts: 2,
    scenarios: 2,
    sources: 50,
    seed: 11,
};

/// Saves per run of the binary; a kill lands in one of them or after the last.
const SAVES_PER_RUN: u64 = 2;
/// Rounds that run whatever the budget, so that the checks have kills to look at on a
/// slow machine too; the budget only cuts the rounds after them.
const MIN_ROUNDS: usize = 12;
/// Seconds of rounds beyond `MIN_ROUNDS` in a default run (`PW_CRASH_BUDGET_SECS`).
const DEFAULT_BUDGET_SECS: f64 = 3.0;
const MARKER: &str = " [stress-save ";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The versions a completed save can have written: the generated project with the
/// first score's rationale followed by ` [stress-save N]` (N = 0: untouched).
/// Written independently of src/cli/stress.rs on purpose: it is the test's oracle.
///
/// Their canonical texts differ only in that one JSON string, so `text(n)` is the
/// canonical text of version 0 with the string replaced; `new` and the calibration run
/// check that against the real serialiser.
struct Versions {
    base: Project,
    key: ScoreKey,
    rationale: String,
    /// Version 0's canonical text before and after the edited JSON string.
    prefix: String,
    suffix: String,
}

impl Versions {
    fn new(base: Project) -> Versions {
        let (key, score) = base.scores.iter().next().expect("a generated score");
        let (key, rationale) = (key.clone(), score.rationale.clone());
        assert!(!rationale.contains(MARKER));
        let text = persist::to_canonical_string(&base);
        let field = format!("\"rationale\": {}", json(&rationale));
        assert_eq!(
            text.matches(&field).count(),
            1,
            "the edited rationale is unique"
        );
        let at = text.find(&field).unwrap() + field.len() - json(&rationale).len();
        let v = Versions {
            prefix: text[..at].to_string(),
            suffix: text[at + json(&rationale).len()..].to_string(),
            base,
            key,
            rationale,
        };
        for n in [0, 1, 12345] {
            assert!(
                v.text(n) == persist::to_canonical_string(&v.get(n)),
                "text({n})"
            );
        }
        v
    }

    fn rationale(&self, n: u64) -> String {
        if n == 0 {
            self.rationale.clone()
        } else {
            format!("{}{MARKER}{n}]", self.rationale)
        }
    }

    /// Version n as a project.
    fn get(&self, n: u64) -> Project {
        let mut p = self.base.clone();
        p.scores.get_mut(&self.key).unwrap().rationale = self.rationale(n);
        p
    }

    /// Version n as the canonical text a save writes.
    fn text(&self, n: u64) -> String {
        format!("{}{}{}", self.prefix, json(&self.rationale(n)), self.suffix)
    }

    /// Which version `text` is, byte for byte (None: not a version a save wrote).
    fn identify(&self, text: &str) -> Option<u64> {
        let middle = text
            .strip_prefix(self.prefix.as_str())?
            .strip_suffix(self.suffix.as_str())?;
        let r: String = serde_json::from_str(middle).ok()?;
        let n = if r == self.rationale {
            0
        } else {
            r.strip_prefix(self.rationale.as_str())?
                .strip_prefix(MARKER)?
                .strip_suffix(']')?
                .parse()
                .ok()?
        };
        (self.text(n) == text).then_some(n)
    }
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// How much `check_version` does beyond the byte comparison.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Depth {
    /// Byte for byte the text of a version (enough: that text is known to be valid).
    Bytes,
    /// Also through `persist::load_path`: parse, schema, semantic checks, same project.
    Load,
    /// Also re-serialised: `to_canonical_string(load(f)) == f`.
    Canonical,
}

/// Checks that `path` holds a complete version, byte for byte what a save of version
/// N writes, and returns N.
fn check_version(path: &Path, versions: &Versions, what: &str, depth: Depth) -> u64 {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{what} {} cannot be read: {e}", path.display()));
    let Some(n) = versions.identify(&text) else {
        let why = match persist::load_str(&text) {
            Ok(_) => "it loads, but".to_string(),
            Err(e) => format!("it does not load ({e}) and"),
        };
        panic!(
            "{what} ({} bytes): {why} it is not a version a save wrote",
            text.len()
        );
    };
    if depth >= Depth::Load {
        let loaded = persist::load_path(path)
            .unwrap_or_else(|e| panic!("{what} (version {n}) does not load: {e}"))
            .project;
        assert!(
            loaded == versions.get(n),
            "{what}: loads as another project"
        );
        if depth >= Depth::Canonical {
            assert!(
                persist::to_canonical_string(&loaded) == text,
                "{what} (version {n}) is not canonical"
            );
        }
    }
    n
}

/// The backup a save keeps beside a project: `NAME.json` → `NAME.json.bak`.
fn backup_of(project: &Path) -> PathBuf {
    let mut name = project.file_name().unwrap().to_os_string();
    name.push(".bak");
    project.with_file_name(name)
}

/// Files in the folder other than the project and its backup, by kind.
#[derive(Debug, Default)]
struct Leftovers {
    save_tmp: Vec<PathBuf>,
    bak_tmp: Vec<PathBuf>,
    locks: Vec<PathBuf>,
    other: Vec<PathBuf>,
}

fn leftovers(dir: &Path, project: &Path) -> Leftovers {
    let bak = backup_of(project);
    let mut l = Leftovers::default();
    for e in fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path == project || path == bak {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(".pw-save-") && name.ends_with(".tmp") {
            l.save_tmp.push(path);
        } else if name.starts_with(".pw-bak-") && name.ends_with(".tmp") {
            l.bak_tmp.push(path);
        } else if name.ends_with(".lock") {
            l.locks.push(path);
        } else {
            l.other.push(path);
        }
    }
    l
}

/// Starts the saver and waits until it has loaded the file (it prints `loaded`).
fn start(project: &Path) -> Child {
    let mut child = bin()
        .args(["stress-save", project.to_str().unwrap(), "--count"])
        .arg(SAVES_PER_RUN.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    if line.trim() != "loaded" {
        let out = child.wait_with_output().unwrap();
        panic!(
            "stress-save did not load the file: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    child
}

#[derive(Debug, Default)]
struct Tally {
    rounds: usize,
    killed: usize,
    finished: usize,
    /// Kills that left a temporary file: they landed between creating it and the rename.
    mid_write: usize,
    /// Kills that left a backup link that was not yet renamed into place.
    mid_backup: usize,
    /// Rounds after which the file held a newer version than before the kill.
    advanced: usize,
    saves: u64,
}

#[test]
fn killing_a_save_never_leaves_a_broken_file() {
    let started = Instant::now();
    let rounds: usize = env_or("PW_CRASH_ROUNDS", 300);
    let budget = Duration::from_secs_f64(env_or("PW_CRASH_BUDGET_SECS", DEFAULT_BUDGET_SECS));
    let mut rng = Pcg64::seed_from_u64(env_or("PW_CRASH_SEED", 20261126));

    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project.json");
    let bak = backup_of(&project);
    let versions = Versions::new(generate::project(&SPEC));
    persist::save_path(&project, &versions.base).unwrap();
    // A fresh save has nothing to back up; drop any backup so round 1 starts clean.
    let _ = fs::remove_file(&bak);
    assert_eq!(
        check_version(&project, &versions, "the start file", Depth::Canonical),
        0
    );

    // Calibrate: one run that is not killed; how long its saves take sets the delays.
    let t = Instant::now();
    let child = start(&project);
    let since_loaded = Instant::now();
    let out = child.wait_with_output().unwrap();
    let window = since_loaded.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut n = check_version(&project, &versions, "the file", Depth::Canonical);
    assert_eq!(
        n, SAVES_PER_RUN,
        "a run that is not killed saves every time"
    );
    eprintln!(
        "crash test: one run of {SAVES_PER_RUN} saves takes {:?} ({:?} after loading); file {} KB",
        t.elapsed(),
        window,
        fs::metadata(&project).unwrap().len() / 1024
    );
    // A little past the end, so some runs finish and the clean exit is covered too.
    let max_delay_us = (window.as_micros() as u64 * 11 / 10).max(1000);

    let mut tally = Tally::default();
    let mut by_version_step: BTreeMap<u64, usize> = BTreeMap::new();
    for round in 0..rounds {
        if round >= MIN_ROUNDS && started.elapsed() > budget {
            break;
        }
        let delay = Duration::from_micros(rng.random_range(0..max_delay_us));
        let mut child = start(&project);
        std::thread::sleep(delay);
        // SIGKILL on Unix: no destructor, no flush, no clean-up runs in the child.
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        let ctx = format!("round {round} (kill after {delay:?})");
        match out.status.code() {
            Some(0) => tally.finished += 1,
            None => tally.killed += 1,
            Some(c) => panic!(
                "{ctx}: stress-save failed with exit {c}: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
        tally.rounds += 1;

        // The project: present, complete, canonical, and not older than before.
        assert!(project.exists(), "{ctx}: the project file is missing");
        // Every 8th round also re-serialises (the byte comparison already implies it).
        let depth = if round % 8 == 0 {
            Depth::Canonical
        } else {
            Depth::Load
        };
        let now = check_version(&project, &versions, &format!("{ctx}: the file"), depth);
        assert!(
            (n..=n + SAVES_PER_RUN).contains(&now),
            "{ctx}: version {now} after version {n} (at most {SAVES_PER_RUN} saves per run)"
        );
        if out.status.success() {
            assert_eq!(
                now,
                n + SAVES_PER_RUN,
                "{ctx}: a finished run saved every time"
            );
        }
        tally.advanced += usize::from(now > n);
        tally.saves += now - n;
        *by_version_step.entry(now - n).or_default() += 1;
        n = now;

        // The backup, when there is one, is a complete earlier (or the same) version.
        if bak.exists() {
            let b = check_version(&bak, &versions, &format!("{ctx}: the .bak"), depth);
            assert!(
                b <= n,
                "{ctx}: the .bak (version {b}) is newer than the file ({n})"
            );
        }

        // What a kill may leave: one hidden temporary file per kind, never the project.
        let left = leftovers(dir.path(), &project);
        assert!(
            left.other.is_empty(),
            "{ctx}: unexpected files {:?}",
            left.other
        );
        assert!(left.save_tmp.len() <= 1, "{ctx}: {:?}", left.save_tmp);
        assert!(left.bak_tmp.len() <= 1, "{ctx}: {:?}", left.bak_tmp);
        for b in &left.bak_tmp {
            // A link to the file as it was when the save began: complete as well.
            let v = check_version(
                b,
                &versions,
                &format!("{ctx}: {}", b.display()),
                Depth::Bytes,
            );
            assert!(v <= n, "{ctx}: a backup link newer than the file");
        }
        tally.mid_write += left.save_tmp.len();
        tally.mid_backup += left.bak_tmp.len();
        // Clean up, so the next round's leftovers are its own.
        for p in left.save_tmp.iter().chain(&left.bak_tmp).chain(&left.locks) {
            fs::remove_file(p).unwrap();
        }
    }

    eprintln!(
        "crash test: {tally:?}; file versions advanced per round: {by_version_step:?}; {:?} in all",
        started.elapsed()
    );
    assert!(
        tally.rounds >= MIN_ROUNDS.min(rounds),
        "too few rounds ran: {tally:?}"
    );
    assert!(tally.killed > 0, "no run was killed: {tally:?}");
    // The delays spread over the saving window: some kills interrupt saves.
    assert!(tally.advanced > 0, "no kill landed after a save: {tally:?}");
}

/// For `scripts/crash-test.sh`: writes the generated project to `$PW_CRASH_PROJECT`.
#[test]
#[ignore = "a helper for scripts/crash-test.sh, not a test"]
fn write_generated_project() {
    let path = std::env::var("PW_CRASH_PROJECT").expect("PW_CRASH_PROJECT names the file");
    let mut spec = SPEC;
    spec.mechanisms = env_or("PW_CRASH_MECHANISMS", spec.mechanisms);
    spec.criteria = env_or("PW_CRASH_CRITERIA", spec.criteria);
    spec.analysts = env_or("PW_CRASH_ANALYSTS", spec.analysts);
    persist::save_path(Path::new(&path), &generate::project(&spec)).unwrap();
    let _ = fs::remove_file(backup_of(Path::new(&path)));
}
