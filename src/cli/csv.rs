//! `policy-workbench csv-export` and `csv-import`: scores to and from spreadsheets
//! (docs/csv.md).

use std::path::PathBuf;

use super::{check_out, exit, load_for_command};
use crate::csv_io::{self, ExportOptions, ImportOptions, Layout};
use crate::persist;

/// At most this many problems or changes are printed; the rest are counted.
const MAX_LINES: usize = 200;

#[derive(clap::Args, Debug, Clone)]
pub struct CsvExportArgs {
    /// The project file.
    pub file: PathBuf,
    /// The CSV file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// One row per mechanism and one column per criterion (for one analyst, or the
    /// median across analysts), instead of one row per analyst × mechanism × criterion.
    #[arg(long)]
    pub wide: bool,
    /// Only this analyst's scores.
    #[arg(long)]
    pub analyst: Option<String>,
    /// Cell separator: "," (default) or ";" (for French or German spreadsheets) or "tab".
    #[arg(long, default_value = ",", value_parser = parse_delimiter)]
    pub delimiter: u8,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct CsvImportArgs {
    /// The project file the scores belong to (never changed).
    pub file: PathBuf,
    /// The sheet to import (long or wide, ',' or ';' separated).
    pub sheet: PathBuf,
    /// Where to write the project with the imported scores.
    #[arg(long, required_unless_present = "dry_run")]
    pub out: Option<PathBuf>,
    /// Only list what would change; write nothing.
    #[arg(long, conflicts_with = "out")]
    pub dry_run: bool,
    /// The analyst of a wide sheet whose second row does not name one.
    #[arg(long)]
    pub analyst: Option<String>,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "tab" | "\t" => Ok(b'\t'),
        _ => Err(format!(
            "\"{s}\" is not a separator: use \",\", \";\" or tab"
        )),
    }
}

pub fn export(args: &CsvExportArgs) -> u8 {
    let project = match load_for_command(&args.file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let opts = ExportOptions {
        layout: if args.wide {
            Layout::Wide
        } else {
            Layout::Long
        },
        analyst: args.analyst.clone(),
        delimiter: args.delimiter,
    };
    let text = match csv_io::export(&project, &opts) {
        Ok(t) => t,
        Err(e) => {
            say_err!("{e}");
            return exit::USAGE_OR_IO;
        }
    };
    if super::is_stdout(&args.out) {
        return super::write_stdout(&text);
    }
    if let Err(code) = check_out(&args.out, args.force, &[&args.file]) {
        return code;
    }
    if let Err(e) = super::write_text(&args.out, &text, args.force) {
        say_err!("could not write the sheet: {e} ({})", args.out.display());
        return exit::USAGE_OR_IO;
    }
    let rows = text
        .matches("\r\n")
        .count()
        .saturating_sub(match opts.layout {
            Layout::Long => 1,
            Layout::Wide => 2,
        });
    say!("wrote {} ({rows} rows)", args.out.display());
    exit::OK
}

pub fn import(args: &CsvImportArgs) -> u8 {
    let mut project = match load_for_command(&args.file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let bytes = match persist::input::read_file(&args.sheet, persist::max_file_bytes()) {
        Ok(b) => b,
        Err(e) => {
            say_err!("{e}");
            return exit::USAGE_OR_IO;
        }
    };
    let opts = ImportOptions {
        analyst: args.analyst.clone(),
    };
    let preview = match csv_io::import(&project, &bytes, &opts) {
        Ok(p) => p,
        Err(problems) => {
            let total = csv_io::problem_total(&problems);
            let listed: Vec<_> = problems.iter().filter(|p| p.more == 0).collect();
            let printed = listed.len().min(MAX_LINES);
            for p in &listed[..printed] {
                say_err!("{}: {p}", args.sheet.display());
            }
            if total > printed {
                say_err!("… and {} more", total - printed);
            }
            say_err!(
                "nothing imported: the sheet has {total} problem{}",
                if total == 1 { "" } else { "s" }
            );
            return exit::INVALID;
        }
    };
    say!("{}: {}", args.sheet.display(), preview.summary());
    for c in preview.changes.iter().take(MAX_LINES) {
        say!("  row {}: {}", c.row, c.describe());
    }
    if preview.changes.len() > MAX_LINES {
        say!("  … and {} more", preview.changes.len() - MAX_LINES);
    }
    let Some(out) = &args.out else {
        say!("dry run: nothing written");
        return exit::OK;
    };
    if let Err(code) = check_out(out, args.force, &[&args.file, &args.sheet]) {
        return code;
    }
    if let Some(cmd) = preview.command()
        && let Err(e) = crate::edit::apply(&mut project, cmd)
    {
        say_err!("nothing imported: {e}");
        return exit::INVALID;
    }
    let size = persist::to_canonical_string(&project).len() as u64;
    if size > persist::max_file_bytes() {
        say_err!(
            "nothing imported: the project would be {:.1} MB, over the {:.0} MB limit for project files",
            size as f64 / 1e6,
            persist::max_file_bytes() as f64 / 1e6
        );
        return exit::INVALID;
    }
    match super::save_project(out, &project, args.force) {
        Ok(()) => {
            say!("wrote {}", out.display());
            exit::OK
        }
        Err(e) => {
            say_err!("{e}");
            exit::USAGE_OR_IO
        }
    }
}
