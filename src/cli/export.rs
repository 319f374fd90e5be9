//! `policy-workbench export`: every chart of a project's results as PNG and/or SVG
//! files in a folder, named after the chart (radar.png, quadrant.svg, …). With
//! `--scenario`, also the comparison with the base assessment: rank changes (bump) and
//! the quadrant with arrows (arrows). With more than one analyst, also the workshop
//! disagreement of the current round (or of `--round N`): the spread heatmap (spread), each analyst's
//! score in the most disputed cells (strip) and alpha per criterion (alpha), analysts
//! anonymised unless the project reveals their names.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{exit, load_for_command};
use crate::charts::{self, ArrowsInput, BumpInput, ChartInput, ChartKind, ChartOptions};
use crate::compute::compare::{self, Comparison, RankPaths};
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
    pub viewpoint: Option<String>,
    /// The workshop round by number (1 = the first); None: the current round.
    pub round: Option<usize>,
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
    let round = match round_id(&project, args.round) {
        Ok(r) => r,
        Err(e) => {
            say_err!("{e}");
            return exit::USAGE_OR_IO;
        }
    };
    let sel = Selection {
        scenario: args.scenario.clone(),
        analyst: args.analyst.clone(),
        viewpoint: args.viewpoint.clone(),
        round: round.clone(),
        ..Selection::default()
    };
    let matrix = match compute::effective_matrix(&project, &sel) {
        Ok(m) => m,
        Err(e) => {
            say_err!("{e}");
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

    // With a scenario, also the rank changes and the quadrant's moves from the base
    // assessment to it.
    let compared = match &args.scenario {
        Some(_) => match scenario_charts(&project, &sel) {
            Ok(c) => Some(c),
            Err(e) => {
                say_err!("{e}");
                return exit::USAGE_OR_IO;
            }
        },
        None => None,
    };
    let extra_jobs: Vec<(Extra, Format, PathBuf)> = compared
        .iter()
        .flat_map(|_| [Extra::Bump, Extra::Arrows])
        .flat_map(|x| {
            formats.iter().map(move |f| {
                let name = format!("{}.{}", x.file_stem(), f.extension());
                (x, *f, args.out.join(name))
            })
        })
        .collect();
    // With several analysts, also where they disagree (in the round asked for).
    let workshop_jobs: Vec<(WorkshopChart, Format, PathBuf)> = if project.analysts.len() > 1 {
        WorkshopChart::ALL
            .into_iter()
            .flat_map(|x| {
                formats.iter().map(move |f| {
                    let name = format!("{}.{}", x.file_stem(), f.extension());
                    (x, *f, args.out.join(name))
                })
            })
            .collect()
    } else {
        Vec::new()
    };

    if let Err(e) = std::fs::create_dir_all(&args.out) {
        say_err!("could not create the folder: {e} ({})", args.out.display());
        return exit::USAGE_OR_IO;
    }
    if !args.force {
        let existing: Vec<&Path> = jobs
            .iter()
            .map(|(_, _, p)| p.as_path())
            .chain(extra_jobs.iter().map(|(_, _, p)| p.as_path()))
            .chain(workshop_jobs.iter().map(|(_, _, p)| p.as_path()))
            .filter(|p| p.exists())
            .collect();
        if !existing.is_empty() {
            for p in &existing {
                say_err!("{} already exists", p.display());
            }
            say_err!("nothing was written; choose another --out or add --force to overwrite");
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
            Ok(()) => say!("{}", path.display()),
            Err(e) => {
                say_err!("{e}");
                return exit::USAGE_OR_IO;
            }
        }
    }
    if let Some((paths, comparison, suffix)) = &compared {
        let bump = BumpInput {
            title_suffix: suffix.as_deref(),
            ..BumpInput::new(paths, &project.info.title)
        };
        let arrows = ArrowsInput {
            project: &project,
            comparison,
            title_suffix: suffix.as_deref(),
        };
        for (what, format, path) in &extra_jobs {
            let mut opts = ChartOptions::new(ChartKind::Quadrant);
            opts.width = args.width;
            opts.height = args.height;
            opts.scale = args.scale;
            opts.dark = args.dark;
            let written = match (what, format) {
                (Extra::Bump, Format::Png) => charts::write_bump_png(path, &bump, &opts),
                (Extra::Bump, Format::Svg) => charts::write_bump_svg(path, &bump, &opts),
                (Extra::Arrows, Format::Png) => charts::write_arrows_png(path, &arrows, &opts),
                (Extra::Arrows, Format::Svg) => charts::write_arrows_svg(path, &arrows, &opts),
            };
            match written {
                Ok(()) => say!("{}", path.display()),
                Err(e) => {
                    say_err!("{e}");
                    return exit::USAGE_OR_IO;
                }
            }
        }
    }
    if !workshop_jobs.is_empty() {
        let anonymise = !project.workshop.reveal_names;
        let inputs =
            charts::spread_input(&project, round.as_deref(), anonymise).and_then(|spread| {
                Ok((
                    spread,
                    charts::strip_input(&project, round.as_deref(), anonymise)?,
                    charts::alpha_input(&project, round.as_deref(), anonymise)?,
                ))
            });
        let (spread, strip, alpha) = match inputs {
            Ok(i) => i,
            Err(e) => {
                say_err!("{e}");
                return exit::USAGE_OR_IO;
            }
        };
        for (what, format, path) in &workshop_jobs {
            let mut opts = ChartOptions::new(ChartKind::Heatmap);
            opts.width = args.width;
            opts.height = args.height;
            opts.scale = args.scale;
            opts.dark = args.dark;
            let written = match (what, format) {
                (WorkshopChart::Spread, Format::Png) => {
                    charts::write_spread_png(path, &spread, &opts)
                }
                (WorkshopChart::Spread, Format::Svg) => {
                    charts::write_spread_svg(path, &spread, &opts)
                }
                (WorkshopChart::Strip, Format::Png) => charts::write_strip_png(path, &strip, &opts),
                (WorkshopChart::Strip, Format::Svg) => charts::write_strip_svg(path, &strip, &opts),
                (WorkshopChart::Alpha, Format::Png) => charts::write_alpha_png(path, &alpha, &opts),
                (WorkshopChart::Alpha, Format::Svg) => charts::write_alpha_svg(path, &alpha, &opts),
            };
            match written {
                Ok(()) => say!("{}", path.display()),
                Err(e) => {
                    say_err!("{e}");
                    return exit::USAGE_OR_IO;
                }
            }
        }
    }
    exit::OK
}

/// The id of workshop round `n` (1 = the first): None for the current round (the
/// project's own scores) and when no round is asked for; an error naming the rounds
/// there are for any other number.
fn round_id(project: &crate::model::Project, n: Option<usize>) -> Result<Option<String>, String> {
    let Some(n) = n else { return Ok(None) };
    let current = project.workshop.current_round();
    match n {
        n if n == current => Ok(None),
        n if n >= 1 && n < current => Ok(Some(project.workshop.rounds[n - 1].id.clone())),
        _ if current == 1 => Err(format!(
            "there is no round {n}: the project has one round (1, the current one)"
        )),
        _ => Err(format!(
            "there is no round {n}: the project has rounds 1 to {current} ({current} is the current one)"
        )),
    }
}

/// The workshop charts, exported when the project has more than one analyst.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WorkshopChart {
    /// Interquartile range of the analysts' scores per cell.
    Spread,
    /// Each analyst's score in the cells with the largest spread.
    Strip,
    /// Krippendorff's alpha per criterion.
    Alpha,
}

impl WorkshopChart {
    const ALL: [WorkshopChart; 3] = [
        WorkshopChart::Spread,
        WorkshopChart::Strip,
        WorkshopChart::Alpha,
    ];

    fn file_stem(self) -> &'static str {
        match self {
            WorkshopChart::Spread => "spread",
            WorkshopChart::Strip => "strip",
            WorkshopChart::Alpha => "alpha",
        }
    }
}

/// The charts that compare the base assessment with the exported scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Extra {
    /// Rank changes, base assessment → scenario.
    Bump,
    /// The quadrant with arrows, base assessment → scenario.
    Arrows,
}

impl Extra {
    fn file_stem(self) -> &'static str {
        match self {
            Extra::Bump => "bump",
            Extra::Arrows => "arrows",
        }
    }
}

/// The base assessment (same scores) against `sel`: its rank paths, the comparison,
/// and the line naming whose scores they are, if not everyone's.
fn scenario_charts(
    project: &crate::model::Project,
    sel: &Selection,
) -> Result<(RankPaths, Comparison, Option<String>), compute::SelectionError> {
    let base = Selection {
        scenario: None,
        ..sel.clone()
    };
    let paths = compare::rank_paths(project, &[base.clone(), sel.clone()])?;
    let comparison = compare::compare(project, &base, sel)?;
    Ok((paths, comparison, compute::selection_line(project, &base)))
}
