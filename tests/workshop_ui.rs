//! The workshop in the window: blind packages out, files back in (with a conflict the
//! user decides), the disagreement view, consensus and the next round.
#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use policy_workbench::app::App;
use policy_workbench::model::*;
use policy_workbench::persist;

mod common;

use common::ui::harness;

fn click(h: &mut Harness<'static, App>, label: &str) {
    // Scrolling is animated: let it settle before clicking.
    common::ui::click_after(h, label, 12);
}

/// The sample with three analysts and no scores yet: a workshop about to start.
fn master() -> Project {
    let mut p = policy_workbench::bundled::sample();
    p.scores.clear();
    p.analysts = ["ana", "ben", "chloe"]
        .iter()
        .map(|id| Analyst {
            id: id.to_string(),
            name: format!("{id} (name)"),
            note: String::new(),
        })
        .collect();
    p
}

/// What an analyst does with their package: scores the first criterion of every mechanism.
fn score_package(path: &std::path::Path, value: f64) {
    let mut pkg = persist::load_path(path).unwrap().project;
    let a = pkg.analysts[0].id.clone();
    let c = pkg.framework.groups[0].criteria[0].id.clone();
    for m in pkg.mechanisms.clone() {
        pkg.scores.insert(
            ScoreKey::new(&a, &m.id, &c),
            Score {
                value: ScoreValue::Value(value),
                rationale: format!("{a} thinks {value}"),
                ..Score::default()
            },
        );
    }
    persist::save_path(path, &pkg).unwrap();
}

#[test]
fn packages_out_files_in_disagreement_consensus_and_next_round() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("master.json");
    persist::save_path(&path, &master()).unwrap();
    let mut app = App::new(dir.path().join("data"));
    app.start(Some(&path));

    // Blind packages, one per analyst, with nothing of the others in them.
    let out = dir.path().join("packages");
    assert!(app.session.project().workshop.package_key.is_none());
    app.write_packages(&out);
    // The master records the key that seals the packages, and says to save it.
    let key = app.session.project().workshop.package_key.clone();
    assert!(key.is_some(), "{}", app.status);
    assert!(app.status.contains("save it"), "{}", app.status);
    let files: Vec<_> = ["ana", "ben", "chloe"]
        .iter()
        .map(|a| out.join(format!("{a}.json")))
        .collect();
    for (f, v) in files.iter().zip([1.0, 2.0, 4.0]) {
        assert!(f.exists());
        score_package(f, v);
    }
    let ben = std::fs::read_to_string(&files[1]).unwrap();
    assert!(
        !ben.contains("ana (name)") && !ben.contains("chloe"),
        "no other analyst in ben's package"
    );

    // Files back in: one undo step.
    app.start_merge(&files);
    let p = app.session.project();
    let c = p.framework.groups[0].criteria[0].id.clone();
    let m0 = p.mechanisms[0].id.clone();
    assert_eq!(
        p.score("chloe", &m0, &c).unwrap().value,
        ScoreValue::Value(4.0),
        "{}",
        app.status
    );

    let mut h = harness(app);
    click(&mut h, "Workshop");
    assert!(h.query_by_label("α ordinal").is_some());
    assert!(
        h.query_all_by_label_contains("Cells to discuss")
            .next()
            .is_some()
    );
    // Open the most disputed cell: analysts side by side, anonymised.
    let mech_name = h.state().session.project().mechanisms[0].name.clone();
    let crit_name = h.state().session.project().framework.groups[0].criteria[0]
        .name
        .clone();
    let first_cell = format!("{mech_name} / {crit_name}");
    click(&mut h, &first_cell);
    assert!(h.query_all_by_label_contains("Analyst A:").next().is_some());
    assert!(
        h.query_all_by_label_contains("ana (name):")
            .next()
            .is_none(),
        "names hidden until revealed"
    );
    click(&mut h, "Record this consensus");
    let cell = h
        .state()
        .session
        .project()
        .workshop
        .consensus
        .get(&(m0.clone(), c.clone()))
        .cloned()
        .unwrap();
    assert_eq!(cell.value, ScoreValue::Value(2.0), "the median of 1, 2, 4");
    assert_eq!(cell.n, 3);

    // The next round keeps round 1 in the file.
    click(&mut h, "Close round 1 and start round 2");
    let p = h.state().session.project();
    assert_eq!(p.workshop.rounds.len(), 1);
    assert_eq!(p.workshop.rounds[0].scores.len(), p.scores.len());
}

#[test]
fn a_conflicting_file_is_decided_by_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("master.json");
    persist::save_path(&path, &master()).unwrap();
    let mut app = App::new(dir.path().join("data"));
    app.start(Some(&path));
    let out = dir.path().join("packages");
    app.write_packages(&out);
    let ana = out.join("ana.json");
    score_package(&ana, 1.0);
    app.start_merge(std::slice::from_ref(&ana));
    // Ana sends a second file with other values: it conflicts with what was merged.
    score_package(&ana, 3.0);
    // Meanwhile the facilitator changed one of Ana's cells in the master.
    let c = app.session.project().framework.groups[0].criteria[0]
        .id
        .clone();
    let m0 = app.session.project().mechanisms[0].id.clone();
    let key = ScoreKey::new("ana", &m0, &c);
    let mut s = app.session.project().scores[&key].clone();
    s.value = ScoreValue::Value(0.0);
    app.session
        .apply(
            policy_workbench::edit::Command::SetScore {
                key: key.clone(),
                score: Some(s),
            },
            None,
        )
        .unwrap();
    app.start_merge(std::slice::from_ref(&ana));
    let mut h = harness(app);
    if h.state().modal.is_some() {
        assert!(h.query_by_label("Merge the analysts' files").is_some());
        click(&mut h, "Take theirs for all");
        click(&mut h, "Merge with these decisions");
    }
    assert!(h.state().modal.is_none(), "{:?}", h.state().modal);
    assert_eq!(
        h.state().session.project().scores[&key].value,
        ScoreValue::Value(3.0)
    );
}

#[test]
fn the_matrix_shows_the_spread_and_the_charts_show_the_workshop() {
    let dir = tempfile::tempdir().unwrap();
    let demo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample_projects/workshop-demo.json");
    let path = dir.path().join("demo.json");
    std::fs::copy(&demo, &path).unwrap();
    let mut app = App::new(dir.path().join("data"));
    app.start(Some(&path));
    let mut h = harness(app);
    h.state_mut().view.spread = true;
    h.state_mut().view.analyst = None;
    h.run_steps(3);
    let p = h.state().session.project().clone();
    let cell = format!(
        "{} / {}",
        p.mechanisms[0].name, p.framework.groups[0].criteria[0].name
    );
    h.get_by_label(&cell).click();
    h.run_steps(3);
    // Read-only: a digit does not change any score.
    h.key_press(egui::Key::Num0);
    h.run_steps(3);
    assert_eq!(h.state().session.project().scores, p.scores);
    assert!(h.state().status.contains("spread"), "{}", h.state().status);
    click(&mut h, "Charts");
    assert_eq!(h.state().view.tab, policy_workbench::ui::Tab::Charts);
    click(&mut h, "Spread per cell (IQR)");
    assert!(
        h.query_all_by_label("Spread per cell (IQR)").count() >= 2,
        "the chart is drawn"
    );
    click(&mut h, "Agreement per criterion (α)");
    assert!(h.query_all_by_label("Agreement per criterion (α)").count() >= 2);
}

/// The workshop demo as a user opens it: a copy in a temporary folder.
fn open_demo(dir: &std::path::Path) -> Harness<'static, App> {
    let demo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample_projects/workshop-demo.json");
    let path = dir.join("demo.json");
    std::fs::copy(&demo, &path).unwrap();
    let mut app = App::new(dir.join("data"));
    app.start(Some(&path));
    harness(app)
}

#[test]
fn the_demo_opens_on_the_median_and_the_sidebar_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let h = open_demo(dir.path());
    let p = h.state().session.project().clone();
    assert!(p.analysts.len() > 1);
    assert_eq!(h.state().view.analyst, None, "the median across analysts");
    let caption = format!("Totals (0–100): median of {} analysts", p.analysts.len());
    assert!(h.query_by_label(&caption).is_some(), "{caption}");
    // The rank beside the first mechanism is the median's, as `analyze` says.
    let r = policy_workbench::compute::analyze(&p, &Default::default()).unwrap();
    let first = &r.mechanisms[0];
    let shown = format!(
        "#{}",
        policy_workbench::wording::rank_with_range(first.rank, first.rank_range)
    );
    assert!(h.query_all_by_label(&shown).next().is_some(), "{shown}");
}

#[test]
fn cells_to_discuss_name_the_cell_and_a_click_selects_it_in_the_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_demo(dir.path());
    click(&mut h, "Workshop");
    let p = h.state().session.project().clone();
    let mut spreads = policy_workbench::compute::agreement::cell_spreads(&p, &p.scores);
    spreads.retain(|s| s.stats.as_ref().is_some_and(|x| x.n >= 2));
    spreads.sort_by(|a, b| {
        let k = |s: &policy_workbench::compute::agreement::CellSpread| {
            s.stats
                .as_ref()
                .map_or((0.0, 1.0), |x| (x.iqr, x.within_one))
        };
        let (ia, wa) = k(a);
        let (ib, wb) = k(b);
        ib.total_cmp(&ia).then(wa.total_cmp(&wb))
    });
    // Pick a listed cell that is not the one already selected.
    let s = spreads
        .iter()
        .take(20)
        .find(|s| Some(&s.mechanism) != h.state().view.mechanism.as_ref())
        .unwrap();
    let mech = p.mechanism(&s.mechanism).unwrap().name.clone();
    let crit = p.framework.criterion(&s.criterion).unwrap().name.clone();
    let label = format!("{mech} / {crit}");
    // Whole names, the mechanism's and the criterion's, on their own lines.
    h.get_by_role_and_label(egui::accesskit::Role::Button, &label);
    assert!(h.query_by_label_contains("Mechanism / criterion").is_some());
    click(&mut h, &label);
    assert_eq!(
        h.state().view.mechanism.as_deref(),
        Some(s.mechanism.as_str())
    );
    assert_eq!(
        h.state().view.criterion.as_deref(),
        Some(s.criterion.as_str())
    );
    assert!(h.query_all_by_label_contains("Analyst A:").next().is_some());
    click(&mut h, "Show in the scoring matrix");
    assert_eq!(h.state().view.tab, policy_workbench::ui::Tab::Matrix);
    // The matrix scrolled to the same cell, selected (scrolling is animated).
    h.run_steps(20);
    assert!(h.query_by_label(&label).is_some(), "{label} in the matrix");
    assert_eq!(
        h.state().view.mechanism.as_deref(),
        Some(s.mechanism.as_str())
    );
}

#[test]
fn the_app_exports_the_workshop_charts_as_the_cli_does() {
    use policy_workbench::app::ExportJob;
    use policy_workbench::charts::ChartKind;
    use policy_workbench::ui::panel_state::WorkshopChart;
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_demo(dir.path());
    // The chart picker offers the export of a workshop chart.
    click(&mut h, "Charts");
    click(&mut h, "Spread per cell (IQR)");
    assert!(h.query_by_label("Export this chart as SVG…").is_some());
    let app = h.state_mut();
    let path = app.session.path().unwrap().to_path_buf();
    for svg in [false, true] {
        let job = ExportJob {
            selection: app.view.selection(),
            charts: ChartKind::ALL
                .iter()
                .map(|k| app.view.chart.export_options(*k))
                .collect(),
            workshop: WorkshopChart::ALL.to_vec(),
            workshop_options: app.view.chart.export_options(ChartKind::Heatmap),
            svg,
        };
        app.run_export(&job, &dir.path().join("app"));
    }
    // One chart alone goes to the file given.
    let one = ExportJob {
        selection: app.view.selection(),
        charts: Vec::new(),
        workshop: vec![WorkshopChart::Alpha],
        workshop_options: app.view.chart.export_options(ChartKind::Heatmap),
        svg: true,
    };
    app.run_export(&one, &dir.path().join("agreement.svg"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policy-workbench"))
        .args(["export", path.to_str().unwrap(), "--out"])
        .arg(dir.path().join("cli"))
        .args(["--format", "png,svg"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("cli"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        2 * (policy_workbench::charts::ChartKind::ALL.len() + 3),
        "{names:?}"
    );
    for name in &names {
        let a = std::fs::read(dir.path().join("app").join(name)).unwrap();
        let b = std::fs::read(dir.path().join("cli").join(name)).unwrap();
        assert!(a == b, "{name} differs between the app and the CLI");
    }
    assert_eq!(
        std::fs::read(dir.path().join("agreement.svg")).unwrap(),
        std::fs::read(dir.path().join("cli").join("alpha.svg")).unwrap()
    );
}

#[test]
fn workshop_jargon_is_explained_on_hover() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_demo(dir.path());
    click(&mut h, "Workshop");
    h.ctx.all_styles_mut(|s| s.interaction.tooltip_delay = 0.0);
    for term in [
        "Kendall's W",
        "α ordinal",
        "95% interval · P(α < 0.667)",
        "α interval",
        "IQR",
        "Within ±1",
    ] {
        let meaning = policy_workbench::ui::glossary::meaning(term);
        assert!(!meaning.is_empty(), "{term} is in the glossary");
        h.get_by_label(term).hover();
        h.run_steps(10);
        assert!(
            h.query_by_label(meaning).is_some(),
            "hovering {term} shows its meaning"
        );
    }
}
