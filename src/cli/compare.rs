//! `policy-workbench compare`: a scenario side by side with a baseline (the base
//! assessment or another scenario): totals and ranks on both sides, what moved and
//! why, and how stable each ranking is. As a table or as JSON.

use std::path::PathBuf;

use super::{exit, load_for_command};
use crate::compute::Selection;
use crate::compute::compare::{self, Comparison, Presence, SideValues};
use crate::model::Project;
use crate::terminal::{printable, printable_lines};
use crate::wording;

/// Arguments of `compare`.
#[derive(clap::Args, Debug, Clone)]
pub struct CompareArgs {
    pub file: PathBuf,
    /// Baseline and scenario, comma-separated scenario ids: "base,ID" compares scenario
    /// ID with the base assessment, "A,B" scenario B with scenario A. A single ID
    /// compares it with the base assessment.
    #[arg(long, value_delimiter = ',', required = true, value_name = "A,B")]
    pub scenarios: Vec<String>,
    /// Use this analyst's scores only (default: the median across analysts).
    #[arg(long)]
    pub analyst: Option<String>,
    /// The viewpoint of the composite (its id; default: the framework's default).
    #[arg(long)]
    pub viewpoint: Option<String>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// The word that stands for the base assessment in `--scenarios`.
pub const BASE: &str = "base";

pub fn run(args: &CompareArgs) -> u8 {
    let ids: Vec<&str> = args.scenarios.iter().map(|s| s.trim()).collect();
    let (a, b) = match ids.as_slice() {
        [b] => (BASE, *b),
        [a, b] => (*a, *b),
        _ => {
            say_err!(
                "--scenarios takes a baseline and a scenario, e.g. --scenarios base,my-scenario (got {})",
                ids.len()
            );
            return exit::USAGE_OR_IO;
        }
    };
    if a.is_empty() || b.is_empty() {
        say_err!("--scenarios: an empty scenario id; use \"{BASE}\" for the base assessment");
        return exit::USAGE_OR_IO;
    }
    let project = match load_for_command(&args.file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let sel = |id: &str| Selection {
        scenario: (id != BASE).then(|| id.to_string()),
        analyst: args.analyst.clone(),
        viewpoint: args.viewpoint.clone(),
        ..Selection::default()
    };
    let cmp = match compare::compare(&project, &sel(a), &sel(b)) {
        Ok(c) => c,
        Err(e) => {
            say_err!("{e}");
            return exit::USAGE_OR_IO;
        }
    };
    if args.json {
        println!(
            "{}",
            crate::terminal::json(
                &serde_json::to_string_pretty(&cmp.to_json(&project))
                    .expect("JSON values serialise")
            )
        );
    } else {
        print!("{}", printable_lines(&table(&project, &cmp)));
    }
    exit::OK
}

/// The side's name, marked hypothetical unless its name already says so.
fn side_line(s: &compare::Side) -> String {
    let line = if s.hypothetical && !s.label.to_lowercase().contains("hypothetical") {
        format!("{} (hypothetical)", s.label)
    } else {
        s.label.clone()
    };
    printable(&line).into_owned()
}

/// "4 (2–17)"; "—" for a mechanism that is not on that side.
fn rank_cell(v: Option<&SideValues>) -> String {
    v.map_or("—".to_string(), |v| {
        wording::rank_with_range(v.rank, v.rank_range)
    })
}

/// The comparison as text (what `compare` prints without `--json`).
pub fn table(project: &Project, cmp: &Comparison) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "Baseline: {}", side_line(&cmp.baseline));
    let _ = writeln!(o, "Scenario: {}", side_line(&cmp.scenario));
    let _ = writeln!(
        o,
        "Scores: {}",
        printable(&crate::compute::whose_scores(
            project,
            &cmp.baseline.selection
        ))
    );
    let _ = writeln!(
        o,
        "{}{}",
        crate::compute::viewpoint_line(&cmp.viewpoint),
        if cmp.scenario_viewpoint == cmp.viewpoint {
            " on both sides".to_string()
        } else {
            format!(
                "; the scenario side: {}",
                crate::compute::viewpoint_line(&cmp.scenario_viewpoint)
            )
        }
    );
    let _ = writeln!(
        o,
        "Total = composite on 0–100 ({}); rank 1 = highest; ↑ moved up, ↓ moved down.",
        cmp.viewpoint.how_counted(&project.framework)
    );
    let _ = writeln!(o, "{}.", cmp.ranking_rule.line());
    let _ = writeln!(
        o,
        "Not viable = fails a requirement gate (a score below the gate's threshold), whatever the total."
    );
    let _ = writeln!(
        o,
        "Rank (range): the range is the best and worst rank the not-assessed cells allow."
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "{:^32}  {:^20}", "rank (range)", "total");
    let _ = writeln!(
        o,
        "{:>12} {:>12} {:>6}  {:>6} {:>6} {:>6}  mechanism",
        "base", "scen", "move", "base", "scen", "change"
    );
    for m in &cmp.mechanisms {
        let b = m.baseline.as_ref();
        let s = m.scenario.as_ref();
        let mv = match m.rank_delta() {
            Some(0) => "=".to_string(),
            Some(d) if d < 0 => format!("↑{}", -d),
            Some(d) => format!("↓{d}"),
            None => "".to_string(),
        };
        let change = b
            .and_then(|b| b.total)
            .zip(s.and_then(|s| s.total))
            .map_or(String::new(), |(x, y)| wording::change_points_plain(x, y));
        let mut line = format!(
            "{:>12} {:>12} {:>6}  {:>6} {:>6} {:>6}  {}",
            rank_cell(b),
            rank_cell(s),
            mv,
            if b.is_some() {
                wording::points_or_dash(b.and_then(|v| v.total))
            } else {
                String::new()
            },
            if s.is_some() {
                wording::points_or_dash(s.and_then(|v| v.total))
            } else {
                String::new()
            },
            change,
            printable(&m.name)
        );
        if m.presence != Presence::Both {
            line.push_str(&format!("  [{}]", m.presence_reason));
        }
        if let Some(v) = m.viability_text() {
            line.push_str(&format!("  [{}]", printable(&v)));
        }
        let _ = writeln!(o, "{}", line.trim_end());
    }

    let _ = writeln!(o);
    if cmp.changes.is_empty() {
        let _ = writeln!(o, "The two sides do not differ.");
    } else {
        let _ = writeln!(o, "What differs ({}):", cmp.changes.len());
        for c in &cmp.changes {
            let _ = writeln!(o, "  - {}", c.describe());
            if let compare::Change::Score {
                rationale: Some(r), ..
            } = c
            {
                let _ = writeln!(o, "    Rationale: {}", printable(r));
            }
        }
    }

    let _ = writeln!(o);
    if cmp.explanations.is_empty() {
        let _ = writeln!(o, "Nothing moved.");
    } else {
        let _ = writeln!(o, "What moved and why:");
        for e in &cmp.explanations {
            let _ = writeln!(o, "  {}: {}", printable(&e.name), e.text);
        }
    }

    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "How stable each ranking is (the smallest single change that would change who is first):"
    );
    let _ = writeln!(o, "  Baseline: {}", cmp.baseline_stability.describe());
    let _ = writeln!(o, "  Scenario: {}", cmp.scenario_stability.describe());
    o
}
