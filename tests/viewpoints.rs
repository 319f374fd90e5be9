//! Viewpoints: whose interest a composite measures. Totals of each viewpoint on a
//! hand-computed project, the concern reading (rank 1 = most concerning), scenario
//! overrides limited to the groups a viewpoint counts, rank ranges and Monte Carlo
//! following the reading, files without viewpoints analysed as before, the CLI.

mod common;

use std::collections::BTreeMap;

use common::*;
use policy_workbench::compute::smaa::{SmaaOptions, WeightModel, smaa};
use policy_workbench::compute::{Selection, analyze, effective_matrix};
use policy_workbench::model::*;
use policy_workbench::persist;

fn group(id: &str, role: Role, direction: Direction) -> Group {
    let mut c = Criterion::new(&format!("{id}-c"), &format!("{id} criterion"));
    c.direction = direction;
    Group {
        id: id.into(),
        name: id.into(),
        role,
        weight: 1.0,
        description: String::new(),
        criteria: vec![c],
    }
}

fn viewpoint(id: &str, reading: TotalReading, weights: Option<&[(&str, f64)]>) -> Viewpoint {
    Viewpoint {
        id: id.into(),
        name: format!("View {id}"),
        perspective: format!("The {id} perspective."),
        reading,
        group_weights: weights.map(|w| {
            w.iter()
                .map(|(g, x)| (g.to_string(), *x))
                .collect::<BTreeMap<_, _>>()
        }),
    }
}

/// Requirement r, objective o, concern c (a cost criterion: higher = more concern),
/// one criterion each on 0–4, weights 1.
/// A: r 4, o 2, c 4 → indices 100, 50, 100 (concern). B: r 2, o 4, c 0 → 50, 100, 0.
fn project() -> Project {
    let mut p = Project::default();
    p.info.title = "Viewpoints by hand".into();
    p.framework = Framework {
        id: "f".into(),
        name: "F".into(),
        groups: vec![
            group("r", Role::Requirement, Direction::Benefit),
            group("o", Role::Objective, Direction::Benefit),
            group("c", Role::Concern, Direction::Cost),
        ],
        viewpoints: vec![
            viewpoint("net", TotalReading::Benefit, None),
            viewpoint("returns", TotalReading::Benefit, Some(&[("o", 1.0)])),
            viewpoint("concern", TotalReading::Concern, Some(&[("c", 1.0)])),
            viewpoint(
                "concern-mix",
                TotalReading::Concern,
                Some(&[("c", 1.0), ("o", 1.0)]),
            ),
        ],
        default_viewpoint: Some("net".into()),
        ..Framework::default()
    };
    p.analysts.push(Analyst {
        id: "a1".into(),
        name: "Analyst".into(),
        note: String::new(),
    });
    for (m, values) in [("a", [4.0, 2.0, 4.0]), ("b", [2.0, 4.0, 0.0])] {
        p.mechanisms.push(Mechanism::new(m, &m.to_uppercase()));
        for (c, v) in ["r-c", "o-c", "c-c"].iter().zip(values) {
            p.scores.insert(
                ScoreKey::new("a1", m, c),
                Score {
                    value: ScoreValue::Value(v),
                    rationale: "r".into(),
                    confidence: Confidence::High,
                    sources: Vec::new(),
                    ..Score::default()
                },
            );
        }
    }
    p.scenarios.push(Scenario {
        id: "s".into(),
        name: "Concerns doubled".into(),
        group_weights: [("c".to_string(), 2.0)].into_iter().collect(),
        ..Scenario::default()
    });
    p
}

fn totals(p: &Project, viewpoint: Option<&str>, scenario: Option<&str>) -> Vec<(f64, usize)> {
    let r = analyze(
        p,
        &Selection {
            viewpoint: viewpoint.map(String::from),
            scenario: scenario.map(String::from),
            ..Selection::default()
        },
    )
    .unwrap();
    r.mechanisms
        .iter()
        .map(|m| (m.total.unwrap(), m.rank.unwrap()))
        .collect()
}

fn close(got: &[(f64, usize)], want: &[(f64, usize)]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g.0 - w.0).abs() < 1e-9 && g.1 == w.1,
            "{got:?} vs {want:?}"
        );
    }
}

#[test]
fn each_viewpoint_totals_by_hand() {
    let p = project();
    // Net (the framework's weights, concern inverted): A (100 + 50 + 0)/3, B (50 + 100 + 100)/3.
    close(&totals(&p, None, None), &[(50.0, 2), (250.0 / 3.0, 1)]);
    close(
        &totals(&p, Some("net"), None),
        &[(50.0, 2), (250.0 / 3.0, 1)],
    );
    // Returns: the objective only.
    close(&totals(&p, Some("returns"), None), &[(50.0, 2), (100.0, 1)]);
    // Concern: higher = more concern, rank 1 = the most concerning.
    close(&totals(&p, Some("concern"), None), &[(100.0, 1), (0.0, 2)]);
    // A concern reading over two groups counts the objective inverted:
    // A (100 + (100 − 50))/2 = 75, B (0 + 0)/2 = 0.
    close(
        &totals(&p, Some("concern-mix"), None),
        &[(75.0, 1), (0.0, 2)],
    );
}

#[test]
fn a_scenario_cannot_bring_a_group_into_a_viewpoint_that_leaves_it_out() {
    let p = project();
    // Net counts concerns: weights 1, 1, 2 → A (100 + 50 + 0)/4, B (50 + 100 + 200)/4.
    close(&totals(&p, Some("net"), Some("s")), &[(37.5, 2), (87.5, 1)]);
    // Returns does not count concerns: the scenario's weight changes nothing.
    close(
        &totals(&p, Some("returns"), Some("s")),
        &[(50.0, 2), (100.0, 1)],
    );
    // Concern counts only concerns: its weight changes, its totals do not.
    close(
        &totals(&p, Some("concern"), Some("s")),
        &[(100.0, 1), (0.0, 2)],
    );
}

#[test]
fn rank_ranges_and_monte_carlo_follow_the_reading() {
    let mut p = project();
    // B's concern cell not assessed: under the concern reading its total could be 0
    // to 100 (the unfavourable end is now the low-concern one).
    p.scores
        .get_mut(&ScoreKey::new("a1", "b", "c-c"))
        .unwrap()
        .value = ScoreValue::NotAssessed;
    let sel = Selection {
        viewpoint: Some("concern-mix".into()),
        ..Selection::default()
    };
    let r = analyze(&p, &sel).unwrap();
    let b = &r.mechanisms[1];
    assert_eq!(r.viewpoint.reading, TotalReading::Concern);
    // Objective 100 counts as 0 in a concern reading; the open concern cell at 4 or
    // 0 gives (0 + 100)/2 or (0 + 0)/2.
    assert_eq!(b.best_total, Some(50.0));
    assert_eq!(b.worst_total, Some(0.0));
    // A's 75 stays ahead of B's best 50.
    assert_eq!(b.rank_range, Some((2, 2)));
    // Monte Carlo with fixed weights and nothing uncertain ranks as the results do:
    // A, the most concerning, first in every sample.
    let p = project();
    let sel = Selection {
        viewpoint: Some("concern".into()),
        ..Selection::default()
    };
    let m = effective_matrix(&p, &sel).unwrap();
    let mut o = SmaaOptions::new(500, 3);
    o.weights = WeightModel::Fixed;
    let s = smaa(&p.framework, &m, &o).unwrap();
    assert_eq!(s.acceptability(0, 1), 1.0);
    assert_eq!(s.acceptability(1, 2), 1.0);
}

#[test]
fn a_file_without_viewpoints_analyses_as_before() {
    let mut p = project();
    let with = totals(&p, None, Some("s"));
    p.framework.viewpoints.clear();
    p.framework.default_viewpoint = None;
    close(&totals(&p, None, Some("s")), &with);
    let r = analyze(&p, &Selection::default()).unwrap();
    assert_eq!(r.viewpoint.id, "as-weighted");
    // The golden files of earlier versions carry none and still load and analyse.
    for name in ["v1.json", "v2.json"] {
        let path = root().join("tests/golden").join(name);
        let loaded = persist::load_path(&path).unwrap().project;
        assert!(loaded.framework.viewpoints.is_empty());
        let r = analyze(&loaded, &Selection::default()).unwrap();
        assert_eq!(r.viewpoint.id, "as-weighted");
    }
}

#[test]
fn the_rules_refuse_a_viewpoint_that_points_nowhere() {
    let mut p = project();
    p.framework.default_viewpoint = Some("missing".into());
    let text = persist::to_canonical_string(&p);
    let err = persist::load_str(&text).unwrap_err().to_string();
    assert!(err.contains("default viewpoint \"missing\""), "{err}");
    let mut p = project();
    p.framework.viewpoints[1]
        .group_weights
        .as_mut()
        .unwrap()
        .insert("nope".into(), 1.0);
    let err = persist::load_str(&persist::to_canonical_string(&p))
        .unwrap_err()
        .to_string();
    assert!(err.contains("group \"nope\""), "{err}");
    // A valid project with viewpoints round-trips.
    let p = project();
    let back = persist::load_str(&persist::to_canonical_string(&p))
        .unwrap()
        .project;
    assert_eq!(back.framework, p.framework);
}

#[test]
fn the_command_line_names_and_takes_the_viewpoint() {
    let sample = sample_path();
    let sample = sample.to_str().unwrap();
    let o = run(&["analyze", sample, "--viewpoint", "concern"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Viewpoint: Concern for host states and observers (higher = more concern)"),
        "{out}"
    );
    let first = out
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap();
    assert!(
        first.contains("Overseas \"police service stations\""),
        "{first}"
    );
    let o = run(&["analyze", sample, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["viewpoint"]["id"], "net");
    assert_eq!(v["viewpoint"]["reading"], "benefit");
    let o = run(&["analyze", sample, "--viewpoint", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("returns-china"), "{}", stderr(&o));
    // compare names the viewpoint both sides use.
    let o = run(&[
        "compare",
        sample,
        "--scenarios",
        "base,europe-closes-stations",
        "--viewpoint",
        "returns-china",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Viewpoint: Returns for China"), "{out}");
}

#[test]
fn the_report_says_who_comes_first_under_each_viewpoint() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.md");
    let sample = sample_path();
    let o = run(&[
        "report",
        sample.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
        "--no-smaa",
        "--viewpoint",
        "returns-china",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(
        md.contains("Viewpoint: Returns for China (higher = better)"),
        "the header names it"
    );
    let line = md
        .lines()
        .find(|l| l.starts_with("- **Concern for host states and observers**"))
        .expect("a line per viewpoint");
    assert!(
        line.contains("Overseas \"police service stations\" — 100, rank 1"),
        "{line}"
    );
    assert!(
        md.lines().any(|l| l.starts_with("- **Returns for China**")
            && l.contains("the viewpoint of this report"))
    );
}

#[test]
fn the_ranking_chart_reads_as_its_viewpoint() {
    use policy_workbench::charts::{self, ChartInput, ChartKind, ChartOptions};
    let p = persist::load_path(&sample_path()).unwrap().project;
    let sel = Selection {
        viewpoint: Some("concern".into()),
        ..Selection::default()
    };
    let m = effective_matrix(&p, &sel).unwrap();
    let r = policy_workbench::compute::results_from_matrix(&p.framework, &m, &sel);
    let suffix = policy_workbench::compute::selection_line(&p, &sel);
    let input = ChartInput {
        project: &p,
        matrix: &m,
        results: &r,
        title_suffix: suffix.as_deref(),
    };
    let svg = charts::render_svg(&input, &ChartOptions::new(ChartKind::Ranking)).unwrap();
    assert!(svg.contains("Composite total (0–100, higher = more concern)"));
    assert!(svg.contains("Viewpoint: Concern for host states and observers"));
    assert!(!svg.contains("concern groups counted inverted"));
}

/// The returns × concern chart plots each mechanism's totals under the framework's
/// returns viewpoint and its concern viewpoint; a framework without them gets a message
/// saying what to add.
#[test]
fn returns_against_concern_plots_the_two_viewpoints() {
    use policy_workbench::charts::{self, ChartInput, ChartKind, ChartOptions};
    let p = policy_workbench::bundled::sample();
    let (returns, concern) = p
        .framework
        .returns_and_concern()
        .expect("the sample has both");
    assert_eq!(returns.reading, TotalReading::Benefit);
    assert_eq!(concern.reading, TotalReading::Concern);
    let sel = Selection::default();
    let matrix = policy_workbench::compute::effective_matrix(&p, &sel).unwrap();
    let results = policy_workbench::compute::results_from_matrix(&p.framework, &matrix, &sel);
    let input = ChartInput {
        project: &p,
        matrix: &matrix,
        results: &results,
        title_suffix: Some("Viewpoint: Net assessment (higher = better)"),
    };
    let mut opts = ChartOptions::new(ChartKind::ReturnsConcern);
    (opts.width, opts.height) = (1600, 1000);
    let svg = charts::render_svg(&input, &opts).unwrap();
    assert!(svg.contains(&returns.name) && svg.contains(&concern.name));
    assert!(
        !svg.contains("Viewpoint: Net assessment"),
        "the selected viewpoint is not this chart's"
    );
    // Every mechanism with both totals is a bubble; the others are listed as not plotted.
    let total = |vp: &str, id: &str| {
        policy_workbench::compute::analyze(
            &p,
            &Selection {
                viewpoint: Some(vp.into()),
                ..Selection::default()
            },
        )
        .unwrap()
        .mechanisms
        .into_iter()
        .find(|m| m.id == id)
        .unwrap()
        .total
    };
    let both = p
        .mechanisms
        .iter()
        .filter(|m| total(&returns.id, &m.id).is_some() && total(&concern.id, &m.id).is_some())
        .count();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let bubbles = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("fill").is_some_and(|f| f != "none"))
        .count();
    assert_eq!(
        bubbles, both,
        "one filled bubble per mechanism with both totals"
    );
    if both < p.mechanisms.len() {
        assert!(svg.contains("Not plotted"));
    }

    // Without a returns viewpoint, the chart says what it needs.
    let mut bare = p.clone();
    bare.framework
        .viewpoints
        .retain(|v| v.reading == TotalReading::Concern);
    bare.framework.default_viewpoint = bare.framework.viewpoints.first().map(|v| v.id.clone());
    let matrix = policy_workbench::compute::effective_matrix(&bare, &sel).unwrap();
    let results = policy_workbench::compute::results_from_matrix(&bare.framework, &matrix, &sel);
    let input = ChartInput {
        project: &bare,
        matrix: &matrix,
        results: &results,
        title_suffix: None,
    };
    let svg = charts::render_svg(&input, &opts).unwrap();
    assert!(svg.contains("This chart needs two"), "message shown");
}

/// Headers say only what is true of the viewpoint: a viewpoint that leaves the
/// concerns out does not call them "counted inverted", one that counts only concerns
/// does not speak of "the others"; one analyst is never "a median".
#[test]
fn headers_say_how_each_viewpoint_counts_and_whose_scores() {
    let p = policy_workbench::bundled::sample();
    let fw = &p.framework;
    let how = |id: &str| fw.viewpoint(Some(id)).unwrap().how_counted(fw);
    assert_eq!(how("returns-china"), "concern groups not counted");
    assert_eq!(
        how("concern"),
        "higher = more concern: concern groups as they are"
    );
    assert_eq!(how("net"), "concern groups counted inverted");
    assert_eq!(p.analysts.len(), 1);
    assert!(
        policy_workbench::compute::whose_scores(&p, &Selection::default())
            .ends_with("(the only analyst)")
    );
    let sample = sample_path();
    let o = run(&[
        "analyze",
        sample.to_str().unwrap(),
        "--viewpoint",
        "returns-china",
    ]);
    let out = stdout(&o);
    assert!(out.contains("concern groups not counted"), "{out}");
    assert!(!out.contains("counted inverted"), "{out}");
    assert!(!out.contains("median across"), "{out}");
    assert!(out.contains("(the only analyst)"), "{out}");
}

/// The framework editor edits the viewpoints: a click makes one the default, the
/// reading changes by a radio button, a new one can be added, and each change is one
/// undo step checked by the file's rules.
#[cfg(feature = "gui")]
#[test]
fn the_framework_editor_edits_the_viewpoints() {
    use common::ui::{app_sized, click};
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_sized(dir.path(), [1400.0, 3000.0]);
    h.run_steps(3);
    click(&mut h, "Framework");
    let fw = h.state().session.project().framework.clone();
    assert_eq!(fw.default_viewpoint.as_deref(), Some("net"));
    let returns = fw.viewpoint(Some("returns-china")).unwrap();
    // Open "Returns for China" and make it the default.
    let title = format!("{} · {}", returns.name, returns.reading.phrase());
    click(&mut h, &title);
    click(&mut h, "Make it the default");
    assert_eq!(
        h.state()
            .session
            .project()
            .framework
            .default_viewpoint
            .as_deref(),
        Some("returns-china")
    );
    // Its reading, by the radio button.
    let open = format!("{} (default) · {}", returns.name, returns.reading.phrase());
    assert!(h.query_by_label(&open).is_some(), "the title says default");
    click(&mut h, "higher = more concern (rank 1 = most concerning)");
    let after = h.state().session.project().framework.clone();
    assert_eq!(
        after.viewpoint(Some("returns-china")).unwrap().reading,
        TotalReading::Concern
    );
    // Undo puts the reading back, then the default.
    h.state_mut().session.undo();
    h.run_steps(2);
    assert_eq!(
        h.state()
            .session
            .project()
            .framework
            .viewpoint(Some("returns-china"))
            .unwrap()
            .reading,
        TotalReading::Benefit
    );
    // A new viewpoint, counted as today's composite.
    click(&mut h, "Add viewpoint");
    let fw = &h.state().session.project().framework;
    assert_eq!(fw.viewpoints.len(), 4);
    let added = fw.viewpoints.last().unwrap();
    assert_eq!(added.name, "New viewpoint");
    assert_eq!(
        added.group_weights.as_ref().unwrap().len(),
        fw.groups.len(),
        "every group at its own weight"
    );
    // The file's rules accept every edit.
    assert!(
        policy_workbench::model::rules::check_project(h.state().session.project(), 5).is_empty()
    );
}

/// The report ranks every mechanism under every viewpoint, side by side, with the
/// ranks and totals `analyze` gives under each.
#[test]
fn the_report_ranks_under_each_viewpoint() {
    use policy_workbench::report::{ReportOptions, markdown_report};
    let p = policy_workbench::bundled::sample();
    let md = markdown_report(&p, &ReportOptions::new(Selection::default()), None)
        .unwrap()
        .text;
    let at = md
        .find("## The ranking under each viewpoint")
        .expect("the section");
    let concern = analyze(
        &p,
        &Selection {
            viewpoint: Some("concern".into()),
            ..Selection::default()
        },
    )
    .unwrap();
    let first = concern
        .mechanisms
        .iter()
        .find(|m| m.rank == Some(1))
        .unwrap();
    let row = md[at..]
        .lines()
        .find(|l| l.starts_with(&format!("| {} |", first.name)))
        .unwrap_or_else(|| panic!("a row for {}", first.name));
    let last_cell = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
    assert!(
        last_cell.starts_with("1 ")
            && last_cell.ends_with(&policy_workbench::wording::points_or_dash(first.total)),
        "{row}"
    );
}
