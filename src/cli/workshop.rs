//! `policy-workbench package` and `merge`: the workshop's blind scoring packages, and
//! the agreement statistics that `analyze --json` adds for several analysts.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde_json::{Value, json};

use super::{check_out, exit, load_for_command};
use crate::compute::agreement::{self, Alpha, KendallW, ScoreMap};
use crate::model::Project;
use crate::terminal::printable;
use crate::workshop::{self, MergePolicy, PackageOptions, Prefer, Prefill};

#[derive(clap::Args, Debug, Clone)]
pub struct PackageArgs {
    /// The master project.
    pub master: PathBuf,
    /// Folder for the packages, one `<analyst-id>.json` per analyst (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Only these analysts (ids, comma-separated; default: every analyst of the master).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub analysts: Vec<String>,
    /// Blank score sheets (default: each analyst's own current-round scores, which in
    /// a later round are their values of the closed round, to revise).
    #[arg(long)]
    pub empty: bool,
    /// Overwrite packages that already exist in the folder.
    #[arg(long)]
    pub force: bool,
}

/// How to decide every conflict of a merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PreferArg {
    /// The package's score or source wins.
    Incoming,
    /// The master keeps its score or source.
    Master,
}

#[derive(clap::Args, Debug, Clone)]
pub struct MergeArgs {
    /// The master project.
    pub master: PathBuf,
    /// The analysts' scoring packages.
    #[arg(required = true)]
    pub packages: Vec<PathBuf>,
    /// The merged project to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Decide every conflict for the package (incoming) or the master; without it a
    /// merge with conflicts lists them and writes nothing.
    #[arg(long, value_enum)]
    pub prefer: Option<PreferArg>,
    /// Merge packages that cannot be checked against what was sent — made by an
    /// earlier version without a seal, or a master that lost its package key — with a
    /// warning. A package whose seal does not match is refused all the same.
    #[arg(long)]
    pub accept_unsealed: bool,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn package(args: &PackageArgs) -> u8 {
    let master = match load_for_command(&args.master) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Some(pk) = &master.workshop.package {
        say_err!(
            "{}: this file is the scoring package of analyst \"{}\", not a master project; packages are made from the master",
            args.master.display(),
            printable(&pk.analyst)
        );
        return exit::INVALID;
    }
    if master.analysts.is_empty() {
        say_err!(
            "{}: the master has no analysts; add the workshop's analysts first",
            args.master.display()
        );
        return exit::INVALID;
    }
    let mut ids: Vec<String> = Vec::new();
    if args.analysts.is_empty() {
        ids.extend(master.analysts.iter().map(|a| a.id.clone()));
    } else {
        let mut seen = BTreeSet::new();
        for id in args
            .analysts
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            if seen.insert(id.to_string()) {
                ids.push(id.to_string());
            }
        }
        if ids.is_empty() {
            say_err!("--analysts names no analyst; leave it out to package every analyst");
            return exit::USAGE_OR_IO;
        }
    }
    let opts = PackageOptions {
        prefill: if args.empty {
            Prefill::Empty
        } else {
            Prefill::Current
        },
    };
    // The key that seals the packages is recorded in the master first, once: merge
    // checks each returned package against it.
    let mut master = master;
    let key_recorded = match workshop::package_key_command(&master) {
        None => false,
        Some(cmd) => {
            if let Err(e) = crate::edit::apply(&mut master, cmd) {
                say_err!("{e}");
                return exit::INVALID;
            }
            true
        }
    };
    let mut built = Vec::new();
    for id in &ids {
        match workshop::make_package(&master, id, &opts) {
            Ok(b) => built.push((id, b)),
            Err(e) => {
                say_err!("{e}");
                return match e {
                    workshop::PackageError::UnknownAnalyst(..) => exit::USAGE_OR_IO,
                    workshop::PackageError::MasterIsPackage(_)
                    | workshop::PackageError::NoPackageKey => exit::INVALID,
                };
            }
        }
    }
    let paths: Vec<PathBuf> = ids
        .iter()
        .map(|id| args.out_dir.join(format!("{id}.json")))
        .collect();
    for p in &paths {
        if let Err(code) = check_out(p, args.force, &[&args.master]) {
            return code;
        }
    }
    if let Err(e) = std::fs::create_dir_all(&args.out_dir) {
        say_err!("could not create {}: {e}", args.out_dir.display());
        return exit::USAGE_OR_IO;
    }
    if key_recorded {
        if let Err(code) = record_package_key(&args.master, &master) {
            return code;
        }
        say!(
            "recorded a package key in {} (merge checks each returned package against it; keep this master)",
            args.master.display()
        );
    }
    for ((id, b), path) in built.iter().zip(&paths) {
        for w in &b.warnings {
            say_err!("warning: {w}");
        }
        if let Err(e) = super::save_project(path, &b.project, args.force) {
            say_err!("{e}");
            return exit::USAGE_OR_IO;
        }
        let name = b
            .project
            .analyst(id)
            .map_or(id.as_str(), |a| a.name.as_str());
        let name = printable(name);
        say!(
            "wrote {} ({name}, round {}, {} score{} pre-filled)",
            path.display(),
            master.workshop.current_round(),
            b.project.scores.len(),
            if b.project.scores.len() == 1 { "" } else { "s" }
        );
    }
    exit::OK
}

/// Writes the master with its new package key (atomically, keeping a `.bak`), unless
/// the app holds it open; then no package is written either.
fn record_package_key(path: &Path, master: &Project) -> Result<(), u8> {
    let refuse = |why: String| {
        say_err!(
            "{}: could not record the package key in the master ({why}); no package was written",
            path.display()
        );
        exit::USAGE_OR_IO
    };
    if let Some(holder) = crate::persist::lock::holder(path) {
        return Err(refuse(format!(
            "it is open in Policy Workbench ({}): make the packages there, or close it first",
            holder.describe()
        )));
    }
    crate::persist::save_path(path, master).map_err(|e| refuse(e.to_string()))
}

pub fn merge(args: &MergeArgs) -> u8 {
    let master = match load_for_command(&args.master) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut packages = Vec::new();
    for path in &args.packages {
        match load_for_command(path) {
            Ok(p) => packages.push(p),
            Err(code) => return code,
        }
    }
    let inputs: Vec<&Path> = std::iter::once(args.master.as_path())
        .chain(args.packages.iter().map(PathBuf::as_path))
        .collect();
    if let Err(code) = check_out(&args.out, args.force, &inputs) {
        return code;
    }
    let mut policy = match args.prefer {
        Some(PreferArg::Incoming) => MergePolicy::prefer(Prefer::Incoming),
        Some(PreferArg::Master) => MergePolicy::prefer(Prefer::Master),
        None => MergePolicy::default(),
    };
    policy.accept_unsealed = args.accept_unsealed;
    let name = |file: Option<usize>| match file {
        Some(i) => printable(&args.packages[i].display().to_string()).into_owned(),
        None => printable(&args.master.display().to_string()).into_owned(),
    };
    let outcome = match workshop::merge(&master, &packages, &policy) {
        Ok(o) => o,
        Err(report) => {
            if !report.problems.is_empty() {
                say_err!(
                    "nothing was merged: {} problem{}",
                    report.problems.len(),
                    if report.problems.len() == 1 { "" } else { "s" }
                );
                for p in &report.problems {
                    say_err!("{}: {}", name(p.file), p.message);
                }
            } else {
                say_err!(
                    "nothing was merged: {} conflict{}; decide them with --prefer incoming or --prefer master (or in the app, one by one)",
                    report.unresolved.len(),
                    if report.unresolved.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                );
                for c in &report.conflicts {
                    say_err!("conflict ({}): {c}", name(Some(c.file())));
                }
            }
            return exit::INVALID;
        }
    };
    for s in &outcome.summary {
        let mut line = format!(
            "{} ({}): {} imported, {} unchanged",
            printable(&s.analyst),
            name(Some(s.file)),
            s.imported,
            s.unchanged
        );
        if s.master_newer > 0 {
            line.push_str(&format!(
                ", {} kept (changed in the master since the round started)",
                s.master_newer
            ));
        }
        line.push_str(&format!(
            ", {} conflict{}",
            s.conflicts,
            if s.conflicts == 1 { "" } else { "s" }
        ));
        if s.conflicts > 0 {
            line.push_str(&format!(
                " ({} taken from the package, {} kept from the master)",
                s.took_incoming, s.kept_master
            ));
        }
        if s.sources_added > 0 {
            line.push_str(&format!(", {} source(s) added", s.sources_added));
        }
        if s.added_analyst {
            line.push_str("; analyst added to the master");
        }
        say!("{line}");
        for w in &s.warnings {
            say_err!("  warning: {w}");
        }
        for i in &s.ignored {
            say!("  ignored: {i}");
        }
    }
    for (c, choice) in &outcome.resolved {
        say!(
            "decided for the {}: {c}",
            match choice {
                Prefer::Incoming => "package",
                Prefer::Master => "master",
            }
        );
    }
    if let Err(e) = super::save_project(&args.out, &outcome.project, args.force) {
        say_err!("{e}");
        return exit::USAGE_OR_IO;
    }
    say!("wrote {}", args.out.display());
    exit::OK
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// `x` rounded to `digits` significant digits (p-values can be tiny).
fn significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

fn alpha_json(a: &Alpha) -> Value {
    json!({
        "value": a.value.as_ref().ok().map(|v| round4(*v)),
        "reading": a.reading().map(|r| r.as_str()),
        "not_computable": a.value.as_ref().err().map(ToString::to_string),
        "units": a.units,
        "pairable_values": a.pairable,
        "analysts": a.coders,
    })
}

fn w_json(w: &KendallW) -> Value {
    let fit = w.value.as_ref().ok();
    json!({
        "value": fit.map(|f| round4(f.w)),
        "chi_square": fit.map(|f| round4(f.chi_square)),
        "df": fit.map(|f| f.df),
        "p_value": fit.map(|f| significant(f.p_value, 4)),
        "not_computable": w.value.as_ref().err().map(ToString::to_string),
        "analysts": w.raters,
        "objects": w.objects,
        "dropped_objects": w.dropped_objects,
    })
}

fn bootstrap_json(b: Option<&crate::compute::alpha_bootstrap::AlphaBootstrap>) -> Value {
    match b {
        None => Value::Null,
        Some(b) => json!({
            "low": round4(b.low),
            "high": round4(b.high),
            "level": crate::compute::alpha_bootstrap::LEVEL,
            "p_below": round4(b.p_below),
            "threshold": b.threshold,
            "samples": b.samples,
            "skipped": b.skipped,
            "seed": b.seed,
        }),
    }
}

/// The `agreement` object of `analyze --json` (documented in docs/workshop.md).
pub(crate) fn agreement_json(project: &Project, scores: &ScoreMap) -> Value {
    let a = agreement::agreement(project, scores);
    let boot = crate::compute::alpha_bootstrap::ordinal_bootstraps(project, scores);
    json!({
        "scores": format!("current round ({})", project.workshop.current_round()),
        "analysts": a.analysts.len(),
        "thresholds": { "reliable": agreement::ALPHA_RELIABLE, "tentative": agreement::ALPHA_TENTATIVE },
        "criteria": a.criteria.iter().enumerate().map(|(i, c)| json!({
            "id": c.criterion,
            "name": c.name,
            "alpha_ordinal": alpha_json(&c.alpha_ordinal),
            "alpha_ordinal_bootstrap": bootstrap_json(boot.criterion(i)),
            "alpha_interval": alpha_json(&c.alpha_interval),
            "alpha_nominal": alpha_json(&c.alpha_nominal),
            "kendall_w": w_json(&c.kendall_w),
        })).collect::<Vec<_>>(),
        "overall": {
            "alpha_ordinal": alpha_json(&a.overall.alpha_ordinal),
            "alpha_ordinal_bootstrap": bootstrap_json(boot.overall.as_ref()),
            "alpha_interval": alpha_json(&a.overall.alpha_interval),
            "alpha_nominal": alpha_json(&a.overall.alpha_nominal),
            "kendall_w": w_json(&a.overall.kendall_w),
        },
    })
}

/// Adds `agreement` to the `analyze --json` output when the project has several
/// analysts; every other key stays as it is.
pub(crate) fn add_agreement(project: &Project, v: &mut Value) {
    if project.analysts.len() > 1
        && let Some(obj) = v.as_object_mut()
    {
        obj.insert(
            "agreement".to_string(),
            agreement_json(project, &project.scores),
        );
    }
}
