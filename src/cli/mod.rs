//! The command line: one convention for every command. Exit 0 on success, 1 when the
//! input is invalid or has problems, 2 on usage or I/O errors; never a panic.
//! Commands that write take `--out` and refuse to overwrite unless `--force`.

/// `println!` for the terminal: the formatted text goes through
/// [`crate::terminal::printable_lines`], so nothing taken from a file (names, ids,
/// rationales, paths, messages quoting them) can send an escape sequence or a
/// bidirectional control to the terminal. Every text line the command line prints
/// goes through `say!` or `say_err!`; JSON output is printed as serde_json writes it.
macro_rules! say {
    () => {
        println!()
    };
    ($($arg:tt)*) => {
        println!("{}", $crate::terminal::printable_lines(&format!($($arg)*)))
    };
}

/// `eprintln!` for the terminal, escaped like [`say!`].
macro_rules! say_err {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::terminal::printable_lines(&format!($($arg)*)))
    };
}

mod analyze;
mod check;
mod compare;
mod csv;
mod export;
mod git;
mod report;
mod smaa_flags;
mod stress;
mod teach;
mod workshop;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{compute, persist};

/// Exit codes shared by every command.
pub mod exit {
    pub const OK: u8 = 0;
    pub const INVALID: u8 = 1;
    pub const USAGE_OR_IO: u8 = 2;
}

#[derive(Parser, Debug)]
#[command(
    name = "policy-workbench",
    version,
    about = "Score policy mechanisms against an analytic framework, compare scenarios, plot the results.",
    long_about = "Score policy mechanisms against an analytic framework, compare scenarios, plot the results.\n\nWith no command, opens FILE in the desktop app (or the bundled sample when no file is given)."
)]
pub struct Args {
    /// Project file to open in the desktop app (default: the bundled sample).
    pub file: Option<PathBuf>,
    /// Initial window size, e.g. 1280x800.
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub window_size: Option<(f32, f32)>,
    /// Folder for preferences, recent files and recovery copies.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Open the app on this view: matrix, mechanism, framework, sources, project, results, charts.
    #[arg(long, value_name = "VIEW")]
    pub view: Option<String>,
    /// Start in the dark theme (for this run only).
    #[arg(long)]
    pub dark: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check project files; prints "ok" or every problem. Never writes.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Create a new project from a bundled template.
    New {
        /// Template id: lemieux or blank.
        #[arg(long, default_value = "lemieux")]
        template: String,
        #[arg(long)]
        out: PathBuf,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print per mechanism the composite total, an index per criteria group and the rank.
    Analyze {
        file: PathBuf,
        /// Apply this scenario (id) on top of the base assessment.
        #[arg(long)]
        scenario: Option<String>,
        /// Use this analyst's scores only (default: the median across analysts).
        #[arg(long)]
        analyst: Option<String>,
        /// The viewpoint of the composite (its id; default: the framework's default).
        #[arg(long)]
        viewpoint: Option<String>,
        /// Machine-readable JSON output.
        #[arg(long)]
        json: bool,
        /// Which scores count: all of them, or only those documented by independent
        /// evidence (documented and mixed; claims and unknown basis left out as not
        /// assessed).
        #[arg(long, value_enum, default_value = "all")]
        basis: analyze::BasisArg,
        #[command(flatten)]
        smaa: smaa_flags::SmaaFlags,
    },
    /// Compare a scenario with the base assessment or another scenario: totals and
    /// ranks on both sides, what moved and why, how stable each ranking is.
    Compare(compare::CompareArgs),
    /// Check the whole assessment: scores without rationale or sources, claims at high
    /// confidence, coding inconsistencies, stale rationales… (docs/check.md). Exit 0
    /// when no unacknowledged warning remains, 1 otherwise, 2 on usage or I/O errors.
    Check {
        file: PathBuf,
        /// Machine-readable JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Print what changed from OLD to NEW in analyst terms (scores, weights, rationales,
    /// mechanisms…), one change per line; works as a git difftool too.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// Exit with 1 when the projects differ (like `git diff --exit-code`).
        #[arg(long)]
        exit_code: bool,
        /// Print the changes as JSON, with the ids of what changed (the text names
        /// mechanisms, criteria, analysts… by name).
        #[arg(long)]
        json: bool,
    },
    /// Rewrite a project file in canonical form (stable order, pretty-printed).
    Fmt {
        file: PathBuf,
        /// Only report whether the file is canonical (exit 1 if not); never writes.
        #[arg(long)]
        check: bool,
    },
    /// Write every chart (radar, bars, heatmap, quadrant, ranking) into a folder as
    /// PNG and/or SVG, named after the chart; prints each file written. With
    /// --scenario, also bump and arrows: the rank changes and the quadrant's moves from
    /// the base assessment to the scenario.
    Export {
        file: PathBuf,
        /// Folder for the charts (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// File formats, comma-separated.
        #[arg(long, value_enum, value_delimiter = ',', default_value = "png")]
        format: Vec<export::Format>,
        /// Apply this scenario (id) on top of the base assessment.
        #[arg(long)]
        scenario: Option<String>,
        /// Use this analyst's scores only (default: the median across analysts).
        #[arg(long)]
        analyst: Option<String>,
        /// The viewpoint of the composite (its id; default: the framework's default).
        #[arg(long)]
        viewpoint: Option<String>,
        /// Workshop round (1 = the first; default: the current round): the scores of
        /// that round, for the results charts and the workshop charts.
        #[arg(long, value_name = "N")]
        round: Option<usize>,
        /// Width of each chart in pixels.
        #[arg(long, default_value_t = 1600)]
        width: u32,
        /// Height of each chart in pixels.
        #[arg(long, default_value_t = 1000)]
        height: u32,
        /// Pixels per point: 2 draws type and lines twice as large (for print).
        #[arg(long, default_value_t = 1.0)]
        scale: f32,
        /// Dark background.
        #[arg(long)]
        dark: bool,
        /// Overwrite chart files that already exist in the folder.
        #[arg(long)]
        force: bool,
    },
    /// Write the assessment report: one self-contained HTML file (charts inline, no
    /// scripts, prints to PDF) or Markdown with its charts in NAME-charts/.
    Report(report::ReportArgs),
    /// Write the scores as a CSV sheet for a spreadsheet (docs/csv.md).
    CsvExport(csv::CsvExportArgs),
    /// Read scores back from a CSV sheet into a copy of the project: lists every
    /// problem and imports nothing, or lists the changes and writes OUT.
    CsvImport(csv::CsvImportArgs),
    /// Workshop: write one blind scoring package per analyst of MASTER into a folder
    /// (`<analyst-id>.json`: that analyst's sheet only); prints each file written.
    Package(workshop::PackageArgs),
    /// Workshop: merge analysts' scoring packages into MASTER and write OUT; lists
    /// every conflict and writes nothing unless told --prefer incoming|master.
    Merge(workshop::MergeArgs),
    /// Teaching: write a student exercise made from a reference project: framework,
    /// mechanisms and sources, an empty sheet for one student; the reference's scores,
    /// description, notes and scenarios left out (docs/teaching.md).
    Exercise(teach::ExerciseArgs),
    /// Teaching: compare students' files with a reference scoring, one row per student
    /// (per analyst of a file): only the cells each scored, the share exact and within
    /// one point, the mean difference, a quadratic-weighted kappa, per criterion, and
    /// the largest disagreements with the reference's rationale (docs/teaching.md).
    Feedback(teach::FeedbackArgs),
    /// Git merge driver (git's %O %A %B %P): three-way merge of project files by id;
    /// the result goes to OURS; exit 0 merged, 1 conflicts recorded in the file, 2 not
    /// merged (OURS unchanged). Other files are merged as text like `git merge-file`.
    MergeFile(git::MergeFileArgs),
    /// Set up the current git repository for project files: .gitattributes, the merge
    /// driver and readable diffs (docs/git.md). Safe to run again.
    GitSetup(git::GitSetupArgs),
    /// Print a project as one line per item with names, for `git diff`; any other file
    /// as it is.
    GitTextconv(git::TextconvArgs),
    #[command(hide = true)]
    StressSave(stress::StressArgs),
}

fn parse_size(s: &str) -> Result<(f32, f32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected WIDTHxHEIGHT such as 1280x800, got \"{s}\""))?;
    let w: f32 = w
        .trim()
        .parse()
        .map_err(|_| format!("\"{w}\" is not a width"))?;
    let h: f32 = h
        .trim()
        .parse()
        .map_err(|_| format!("\"{h}\" is not a height"))?;
    if !(200.0..=10000.0).contains(&w) || !(150.0..=10000.0).contains(&h) {
        return Err(format!("{s} is not a sensible window size"));
    }
    Ok((w, h))
}

/// Runs a command-line command and returns its exit code.
pub fn run(command: Command) -> ExitCode {
    let code = match command {
        Command::Validate { files } => validate(&files),
        Command::New {
            template,
            out,
            force,
        } => new(&template, &out, force),
        Command::Analyze {
            file,
            scenario,
            analyst,
            viewpoint,
            json,
            basis,
            smaa,
        } => analyze::run(
            &file,
            compute::Selection {
                scenario,
                analyst,
                viewpoint,
                documented_only: basis == analyze::BasisArg::Documented,
                ..compute::Selection::default()
            },
            json,
            &smaa,
        ),
        Command::Compare(args) => compare::run(&args),
        Command::Check { file, json } => check::run(&file, json),
        Command::Fmt { file, check } => fmt(&file, check),
        Command::Diff {
            old,
            new,
            exit_code,
            json,
        } => diff(&old, &new, exit_code, json),
        Command::Export {
            file,
            out,
            format,
            scenario,
            analyst,
            viewpoint,
            round,
            width,
            height,
            scale,
            dark,
            force,
        } => export::run(&export::ExportArgs {
            file,
            out,
            formats: format,
            scenario,
            analyst,
            viewpoint,
            round,
            width,
            height,
            scale,
            dark,
            force,
        }),
        Command::Report(args) => report::run(&args),
        Command::CsvExport(args) => csv::export(&args),
        Command::CsvImport(args) => csv::import(&args),
        Command::Package(args) => workshop::package(&args),
        Command::Merge(args) => workshop::merge(&args),
        Command::Exercise(args) => teach::exercise(&args),
        Command::Feedback(args) => teach::feedback(&args),
        Command::MergeFile(args) => git::merge_file(&args),
        Command::GitSetup(args) => git::git_setup(&args),
        Command::GitTextconv(args) => git::textconv(&args),
        Command::StressSave(args) => stress::run(&args),
    };
    ExitCode::from(code)
}

/// Loads a project for a command, printing the problem and returning the exit code
/// on failure.
pub(crate) fn load_for_command(path: &Path) -> Result<crate::model::Project, u8> {
    match persist::load_path(path) {
        Ok(l) => Ok(l.project),
        Err(e) => {
            say_err!("{}: {e}", path.display());
            Err(load_error_code(&e))
        }
    }
}

fn load_error_code(e: &persist::LoadError) -> u8 {
    match e {
        persist::LoadError::Unreadable(_) => exit::USAGE_OR_IO,
        _ => exit::INVALID,
    }
}

fn validate(files: &[PathBuf]) -> u8 {
    let mut worst = exit::OK;
    for f in files {
        match persist::load_path(f) {
            Ok(l) if !l.project.merge_conflicts.is_empty() => {
                let c = &l.project.merge_conflicts;
                say!(
                    "{}: valid, but {} from a git merge (docs/git.md); the file keeps our side until each is resolved:",
                    f.display(),
                    crate::wording::plural(c.len(), "unresolved conflict", "unresolved conflicts")
                );
                for c in c {
                    say!("  - {}", c.line());
                }
                worst = worst.max(exit::INVALID);
            }
            Ok(_) => say!("{}: ok", f.display()),
            Err(e) => {
                say!("{}: {e}", f.display());
                worst = worst.max(load_error_code(&e));
            }
        }
    }
    worst
}

/// Refuses to overwrite an existing file unless forced.
/// Writes a text file for a command: over a read-only file only with `--force`.
pub(crate) fn write_text(out: &Path, text: &str, force: bool) -> std::io::Result<()> {
    if force {
        persist::atomic::write_atomic_forced(out, text.as_bytes(), false)
    } else {
        persist::atomic::write_atomic(out, text.as_bytes())
    }
}

/// Saves a project for a command: over a read-only file only with `--force`.
pub(crate) fn save_project(
    out: &Path,
    project: &crate::model::Project,
    force: bool,
) -> Result<(), persist::SaveError> {
    if force {
        persist::save_path_forced(out, project)
    } else {
        persist::save_path(out, project)
    }
}

/// `--out -`: the text goes to standard output (a text format the user pipes on).
pub(crate) fn is_stdout(out: &Path) -> bool {
    out.as_os_str() == "-"
}

/// Writes `text` to standard output as it is (it is the user's data, not a message):
/// `--out -`. A closed pipe ends quietly.
pub(crate) fn write_stdout(text: &str) -> u8 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => exit::OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(e) => {
            say_err!("could not write to standard output: {e}");
            exit::USAGE_OR_IO
        }
    }
}

/// True when `a` and `b` name the same file (the same path, a link to it, or another
/// hard link of it).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) if x == y => return true,
        _ => {}
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return (x.dev(), x.ino()) == (y.dev(), y.ino());
        }
    }
    false
}

/// May the command write `out`? Never over one of its own inputs (with or without
/// `--force`); over another existing file only with `--force`.
pub(crate) fn check_out(out: &Path, force: bool, inputs: &[&Path]) -> Result<(), u8> {
    if let Some(input) = inputs.iter().find(|i| same_file(out, i)) {
        say_err!(
            "{} is the input {}: writing there would replace it; choose another --out (nothing was written)",
            out.display(),
            input.display()
        );
        return Err(exit::USAGE_OR_IO);
    }
    if out.exists() && !force {
        say_err!(
            "{} already exists; choose another --out or add --force to overwrite it",
            out.display()
        );
        return Err(exit::USAGE_OR_IO);
    }
    Ok(())
}

fn new(template: &str, out: &Path, force: bool) -> u8 {
    let Some(project) = crate::bundled::template(template) else {
        say_err!(
            "there is no template \"{template}\"; available: {}",
            crate::bundled::template_ids().join(", ")
        );
        return exit::USAGE_OR_IO;
    };
    if let Err(code) = check_out(out, force, &[]) {
        return code;
    }
    match save_project(out, &project, force) {
        Ok(()) => {
            say!("wrote {} (template {template})", out.display());
            exit::OK
        }
        Err(e) => {
            say_err!("{e}");
            exit::USAGE_OR_IO
        }
    }
}

fn diff(old: &Path, new: &Path, exit_code: bool, json: bool) -> u8 {
    let a = match load_for_command(old) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let b = match load_for_command(new) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let changes = crate::compute::diff::diff(&a, &b);
    if json {
        let list: Vec<serde_json::Value> = changes.iter().map(|c| c.to_json(&a, &b)).collect();
        say!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "changes": list }))
                .unwrap_or_default()
        );
        return if exit_code && !changes.is_empty() {
            exit::INVALID
        } else {
            exit::OK
        };
    }
    if changes.is_empty() {
        say!("no differences");
        return exit::OK;
    }
    for c in &changes {
        say!("{}", c.describe(&a, &b));
    }
    say!(
        "{} change{}",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    if exit_code { exit::INVALID } else { exit::OK }
}

fn fmt(file: &Path, check: bool) -> u8 {
    let project = match load_for_command(file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let canonical = persist::to_canonical_string(&project);
    let current = persist::input::read_file(file, persist::max_file_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    if current == canonical {
        say!("{}: already canonical", file.display());
        return exit::OK;
    }
    if check {
        say!(
            "{}: not in canonical form (run fmt without --check)",
            file.display()
        );
        return exit::INVALID;
    }
    if let Some(holder) = persist::lock::holder(file) {
        say_err!(
            "{}: the project is open in Policy Workbench ({}); close it there first — the file was not changed",
            file.display(),
            holder.describe()
        );
        return exit::USAGE_OR_IO;
    }
    match persist::save_path(file, &project) {
        Ok(()) => {
            say!("{}: rewritten in canonical form", file.display());
            exit::OK
        }
        Err(e) => {
            say_err!("{e}");
            exit::USAGE_OR_IO
        }
    }
}
