//! `policy-workbench exercise` and `feedback` (docs/teaching.md): a student exercise
//! made from a reference project, and a whole class's files compared with the
//! reference, one row per student.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{check_out, exit, load_for_command, save_project};
use crate::teaching::{self, ExerciseOptions, Feedback, Stats, StudentFeedback};
use crate::wording;

#[derive(Args, Debug)]
pub struct ExerciseArgs {
    /// The reference project (the teacher's scoring).
    pub reference: PathBuf,
    /// The exercise file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Keep the project's description (left out by default: it often says who scored).
    #[arg(long)]
    pub keep_description: bool,
    /// Keep the project's notes (left out by default).
    #[arg(long)]
    pub keep_notes: bool,
    /// Keep the scenarios, with their own score overrides (left out by default).
    #[arg(long)]
    pub keep_scenarios: bool,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct FeedbackArgs {
    /// Students' files: exercises, or any project on the reference's framework and
    /// mechanisms (a file with several analysts gives one row per analyst).
    #[arg(required = true)]
    pub students: Vec<PathBuf>,
    /// The reference scoring: one analyst (an answer key) or several (a panel).
    #[arg(long)]
    pub reference: PathBuf,
    /// Machine-readable JSON output (docs/teaching.md).
    #[arg(long)]
    pub json: bool,
}

pub fn exercise(args: &ExerciseArgs) -> u8 {
    let reference = match load_for_command(&args.reference) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Err(code) = check_out(&args.out, args.force, &[&args.reference]) {
        return code;
    }
    let options = ExerciseOptions {
        keep_description: args.keep_description,
        keep_notes: args.keep_notes,
        keep_scenarios: args.keep_scenarios,
    };
    let (ex, stripped) = teaching::make_exercise(&reference, &options);
    match save_project(&args.out, &ex, args.force) {
        Ok(()) => {
            say!("wrote {}", args.out.display());
            say!("{}", stripped.describe());
            exit::OK
        }
        Err(e) => {
            say_err!("{e}");
            exit::USAGE_OR_IO
        }
    }
}

/// Shown as a share, or "—" when nothing was compared.
fn share(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), wording::percent)
}

fn kappa(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |k| wording::fixed(k, 2))
}

fn mean(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), wording::signed_plain)
}

/// One table row: the label, then the numbers of `s`.
fn row(label: &str, width: usize, s: &Stats) -> String {
    format!(
        "{label:<width$} {:>8} {:>5} {:>7} {:>9} {:>9} {:>6}",
        s.compared,
        s.left,
        share(s.agree_share()),
        share(s.within_one_share()),
        mean(s.mean_difference),
        kappa(s.weighted_kappa),
    )
}

fn header(first: &str, width: usize, panel: bool) -> String {
    format!(
        "{first:<width$} {:>8} {:>5} {:>7} {:>9} {:>9} {:>6}",
        "compared",
        "left",
        if panel { "inside" } else { "exact" },
        "within 1",
        "mean diff",
        "kappa"
    )
}

fn student_label(file: &Path, s: &StudentFeedback) -> String {
    format!("{}: {}", file.display(), s.name)
}

fn value_text(v: crate::model::ScoreValue) -> String {
    wording::score_words(v)
}

fn details(file: &Path, s: &StudentFeedback, fb: &Feedback) {
    let o = &s.overall;
    say!();
    say!(
        "{} — scored {} of {} cells, {} left unscored",
        student_label(file, s),
        o.scored,
        o.cells,
        o.left
    );
    if let Some(why) = o.empty_reason() {
        say!("  {why}");
        return;
    }
    let width = s
        .per_criterion
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(9)
        .clamp(9, 60);
    say!("  {}", header("criterion", width, fb.is_panel()));
    for c in &s.per_criterion {
        let name: String = c.name.chars().take(width).collect();
        say!("  {}", row(&name, width, &c.stats));
    }
    if s.disagreements.is_empty() {
        say!("  No disagreement with {}.", fb.reference_phrase());
        return;
    }
    say!("  Largest disagreements:");
    for d in s.disagreements.iter().take(5) {
        let reference = match (&fb.reference, d.range) {
            (teaching::ReferenceKind::Key { .. }, _) => {
                format!("reference {}", value_text(d.reference[0].value))
            }
            (_, Some((lo, hi))) => format!(
                "panel {}–{}",
                crate::model::format_value(lo),
                crate::model::format_value(hi)
            ),
            (_, None) => "panel: not applicable".to_string(),
        };
        let diff = d.difference.map_or(String::new(), |x| {
            format!(" ({})", wording::signed_plain(x))
        });
        say!(
            "  - {} / {}: you {}, {reference}{diff}",
            d.mechanism_name,
            d.criterion_name,
            value_text(d.student)
        );
        for j in &d.reference {
            if !j.rationale.trim().is_empty() {
                if fb.is_panel() {
                    say!(
                        "      {} ({}): {}",
                        j.analyst,
                        value_text(j.value),
                        j.rationale
                    );
                } else {
                    say!("      Reference rationale: {}", j.rationale);
                }
            }
        }
    }
    if s.disagreements.len() > 5 {
        say!("  … and {} more", s.disagreements.len() - 5);
    }
}

pub fn feedback(args: &FeedbackArgs) -> u8 {
    let reference = match load_for_command(&args.reference) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let kind = match teaching::reference_kind(&reference) {
        Ok(k) => k,
        Err(e) => {
            say_err!("{}: {e}", args.reference.display());
            return exit::INVALID;
        }
    };
    let mut worst = exit::OK;
    let mut rows: Vec<(PathBuf, Feedback)> = Vec::new();
    let mut errors = Vec::new();
    for f in &args.students {
        let student = match load_for_command(f) {
            Ok(p) => p,
            Err(code) => {
                worst = worst.max(code);
                errors.push((f.clone(), "could not be read as a project".to_string()));
                continue;
            }
        };
        match teaching::feedback(&student, &reference) {
            Ok(fb) => rows.push((f.clone(), fb)),
            Err(e) => {
                say_err!("{}: {e}", f.display());
                worst = worst.max(exit::INVALID);
                errors.push((f.clone(), e.to_string()));
            }
        }
    }
    if args.json {
        let students: Vec<serde_json::Value> = rows
            .iter()
            .flat_map(|(f, fb)| {
                fb.students.iter().map(move |s| {
                    teaching::student_json(&f.display().to_string(), s, fb.is_panel())
                })
            })
            .collect();
        let (kind, analysts) = match &kind {
            teaching::ReferenceKind::Key { analyst } => ("key", vec![analyst.clone()]),
            teaching::ReferenceKind::Panel { analysts } => ("panel", analysts.clone()),
        };
        let doc = serde_json::json!({
            "reference": {
                "file": args.reference.display().to_string(),
                "compared_with": kind,
                "analysts": analysts,
            },
            "students": students,
            "errors": errors.iter().map(|(f, e)| serde_json::json!({
                "file": f.display().to_string(),
                "error": e,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return worst;
    }
    let Some((_, first)) = rows.first() else {
        return worst;
    };
    say!(
        "Compared with {} in {}; only the cells each student scored are compared.",
        first.reference_phrase(),
        args.reference.display()
    );
    let labels: Vec<String> = rows
        .iter()
        .flat_map(|(f, fb)| fb.students.iter().map(move |s| student_label(f, s)))
        .collect();
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(7)
        .clamp(7, 48);
    say!();
    say!("{}", header("student", width, first.is_panel()));
    for (f, fb) in &rows {
        for s in &fb.students {
            let label: String = student_label(f, s).chars().take(width).collect();
            say!("{}", row(&label, width, &s.overall));
        }
    }
    for (f, fb) in &rows {
        for s in &fb.students {
            details(f, s, fb);
        }
    }
    worst
}
