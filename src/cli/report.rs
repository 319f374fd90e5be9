//! `policy-workbench report`: the assessment report as one self-contained HTML file
//! or as Markdown with its charts beside it.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{check_out, exit, load_for_command};
use crate::compute::{self, Selection, smaa};
use crate::report::{self, ReportOptions};

/// The report's file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Md,
}

impl ReportFormat {
    /// The format a file name asks for: .html/.htm or .md/.markdown.
    pub fn from_path(path: &Path) -> Option<ReportFormat> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(ReportFormat::Html),
            "md" | "markdown" => Some(ReportFormat::Md),
            _ => None,
        }
    }
}

#[derive(clap::Args, Debug, Clone)]
pub struct ReportArgs {
    /// The project file.
    pub file: PathBuf,
    /// The report file to write (.html, or .md with its charts in NAME-charts/).
    #[arg(long)]
    pub out: PathBuf,
    /// Report on this scenario (id), labelled as hypothetical.
    #[arg(long)]
    pub scenario: Option<String>,
    /// Use this analyst's scores only (default: the median across analysts).
    #[arg(long)]
    pub analyst: Option<String>,
    /// The viewpoint of the composite (its id; default: the framework's default).
    #[arg(long)]
    pub viewpoint: Option<String>,
    /// Compare the base assessment with these scenarios only (ids; repeat the flag
    /// for several). Default: every scenario of the project.
    #[arg(long, value_name = "SCENARIO")]
    pub compare: Vec<String>,
    /// Leave the scenario comparisons out.
    #[arg(long, conflicts_with = "compare")]
    pub no_compare: bool,
    /// html or md (default: from the extension of --out).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Leave the charts out.
    #[arg(long)]
    pub no_charts: bool,
    /// Rank acceptability (SMAA-2) is included with the settings of the app and
    /// `analyze --smaa` (10,000 samples, seed 1); these flags change them.
    #[command(flatten)]
    pub smaa: super::smaa_flags::SmaaFlags,
    /// Leave rank acceptability out.
    #[arg(long, conflicts_with = "smaa")]
    pub no_smaa: bool,
    /// Overwrite the report (and its chart files) if they exist.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &ReportArgs) -> u8 {
    let Some(format) = args.format.or_else(|| ReportFormat::from_path(&args.out)) else {
        say_err!(
            "cannot tell the report format from {}; name it .html or .md, or add --format html|md",
            args.out.display()
        );
        return exit::USAGE_OR_IO;
    };
    let project = match load_for_command(&args.file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let selection = Selection {
        scenario: args.scenario.clone(),
        analyst: args.analyst.clone(),
        viewpoint: args.viewpoint.clone(),
        ..Selection::default()
    };
    let smaa_options = (!args.no_smaa).then(|| args.smaa.options_or_default());
    let smaa_result = match smaa_options {
        None => None,
        Some(mut o) => {
            o.pairwise = false;
            let run = compute::effective_matrix(&project, &selection)
                .map_err(|e| e.to_string())
                .and_then(|m| smaa::smaa(&project.framework, &m, &o).map_err(|e| e.to_string()));
            match run {
                Ok(r) => Some(r),
                Err(e) => {
                    say_err!("{e}");
                    return exit::USAGE_OR_IO;
                }
            }
        }
    };
    let compare_scenarios = if args.no_compare {
        Vec::new()
    } else if args.compare.is_empty() {
        report::default_comparisons(&project, &selection)
    } else {
        args.compare.clone()
    };
    let opts = ReportOptions {
        selection,
        compare_scenarios,
        include_charts: !args.no_charts,
        smaa: smaa_result.as_ref(),
    };
    match format {
        ReportFormat::Html => {
            let html = match report::html_report(&project, &opts) {
                Ok(h) => h,
                Err(e) => {
                    say_err!("{e}");
                    return exit::USAGE_OR_IO;
                }
            };
            if super::is_stdout(&args.out) {
                return super::write_stdout(&html);
            }
            if let Err(code) = check_out(&args.out, args.force, &[&args.file]) {
                return code;
            }
            if let Err(e) = super::write_text(&args.out, &html, args.force) {
                say_err!("could not write the report: {e} ({})", args.out.display());
                return exit::USAGE_OR_IO;
            }
            say!("wrote {}", args.out.display());
        }
        ReportFormat::Md if super::is_stdout(&args.out) => {
            say_err!(
                "a Markdown report keeps its charts in a folder beside it: give --out a file name, or use --format html with --out -"
            );
            return exit::USAGE_OR_IO;
        }
        ReportFormat::Md => {
            let dir = report::charts_dir_for(&args.out);
            let md = match report::markdown_report(&project, &opts, Some(&dir)) {
                Ok(m) => m,
                Err(e) => {
                    say_err!("{e}");
                    return exit::USAGE_OR_IO;
                }
            };
            for p in report::markdown_paths(&args.out, &md) {
                if let Err(code) = check_out(&p, true, &[&args.file]) {
                    return code;
                }
            }
            if !args.force {
                let existing: Vec<PathBuf> = report::markdown_paths(&args.out, &md)
                    .into_iter()
                    .filter(|p| p.exists())
                    .collect();
                if !existing.is_empty() {
                    for p in &existing {
                        say_err!("{} already exists", p.display());
                    }
                    say_err!(
                        "nothing was written; choose another --out or add --force to overwrite"
                    );
                    return exit::USAGE_OR_IO;
                }
            }
            match report::write_markdown(&args.out, &md) {
                Ok(paths) => {
                    for p in paths {
                        say!("wrote {}", p.display());
                    }
                }
                Err(e) => {
                    say_err!("could not write the report: {e} ({})", args.out.display());
                    return exit::USAGE_OR_IO;
                }
            }
        }
    }
    exit::OK
}
