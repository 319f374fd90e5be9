//! `policy-workbench export`: every chart of a project's results as PNG and/or SVG
//! files in a folder, named after the chart (radar.png, quadrant.svg, …).

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{exit, load_for_command};
use crate::charts::{self, ChartInput, ChartKind, ChartOptions};
use crate::compute::{self, Selection};

/// A file format for exported charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Png,
    Svg,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// Resolved arguments of `export`.
#[derive(Clone, Debug)]
pub struct ExportArgs {
    pub file: PathBuf,
    pub out: PathBuf,
    pub formats: Vec<Format>,
    pub scenario: Option<String>,
    pub analyst: Option<String>,
    pub width: u32,
    pub height: u32,
    pub scale: f32,
    pub dark: bool,
    pub force: bool,
}

pub fn run(args: &ExportArgs) -> u8 {
    let project = match load_for_command(&args.file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let sel = Selection {
        scenario: args.scenario.clone(),
        analyst: args.analyst.clone(),
        ..Selection::default()
    };
    let matrix = match compute::effective_matrix(&project, &sel) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            return exit::USAGE_OR_IO;
        }
    };
    let results = compute::results_from_matrix(&project.framework, &matrix, &sel);
    let suffix = compute::selection_line(&project, &sel);
    let input = ChartInput {
        project: &project,
        matrix: &matrix,
        results: &results,
        title_suffix: suffix.as_deref(),
    };

    let mut formats = args.formats.clone();
    formats.dedup();
    if formats.is_empty() {
        formats.push(Format::Png);
    }
    let jobs: Vec<(ChartKind, Format, PathBuf)> = ChartKind::ALL
        .iter()
        .flat_map(|k| {
            formats.iter().map(move |f| {
                let name = format!("{}.{}", k.file_stem(), f.extension());
                (*k, *f, args.out.join(name))
            })
        })
        .collect();

    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("could not create the folder: {e} ({})", args.out.display());
        return exit::USAGE_OR_IO;
    }
    if !args.force {
        let existing: Vec<&Path> = jobs
            .iter()
            .map(|(_, _, p)| p.as_path())
            .filter(|p| p.exists())
            .collect();
        if !existing.is_empty() {
            for p in &existing {
                eprintln!("{} already exists", p.display());
            }
            eprintln!("nothing was written; choose another --out or add --force to overwrite");
            return exit::USAGE_OR_IO;
        }
    }

    for (kind, format, path) in &jobs {
        let mut opts = ChartOptions::new(*kind);
        opts.width = args.width;
        opts.height = args.height;
        opts.scale = args.scale;
        opts.dark = args.dark;
        let written = match format {
            Format::Png => charts::write_png(path, &input, &opts),
            Format::Svg => charts::write_svg(path, &input, &opts),
        };
        match written {
            Ok(()) => println!("{}", path.display()),
            Err(e) => {
                eprintln!("{e}");
                return exit::USAGE_OR_IO;
            }
        }
    }
    exit::OK
}
