//! The desktop app driven like a person would: click and type by label (egui_kittest,
//! no GPU, no display).
#![cfg(feature = "gui")]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use policy_workbench::app::App;
use policy_workbench::model::{ScoreValue, format_value};

struct Ui {
    h: Harness<'static, App>,
    _dir: tempfile::TempDir,
}

mod common;

use common::ui::app_in;

fn open() -> Ui {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(3);
    Ui { h, _dir: dir }
}

impl Ui {
    fn step(&mut self) {
        self.h.run_steps(3);
    }

    fn click(&mut self, label: &str) {
        self.h.get_by_label(label).scroll_to_me();
        self.step();
        self.h.get_by_label(label).click();
        self.step();
    }

    fn click_contains(&mut self, label: &str) {
        self.h.get_by_label_contains(label).click();
        self.step();
    }

    fn menu(&mut self, menu: &str, item: &str) {
        self.click(menu);
        self.click_contains(item);
    }

    fn app(&self) -> &App {
        self.h.state()
    }

    fn first_cell(&self) -> (String, String, String) {
        let p = self.app().session.project();
        let m = &p.mechanisms[0];
        let c = &p.framework.groups[0].criteria[0];
        (
            m.id.clone(),
            c.id.clone(),
            format!("{} / {}", m.name, c.name),
        )
    }

    fn value(&self, mech: &str, crit: &str) -> Option<ScoreValue> {
        let a = self.app().view.analyst.clone().unwrap();
        self.app()
            .session
            .project()
            .score(&a, mech, crit)
            .map(|s| s.value)
    }

    fn total(&self, mech: &str) -> Option<f64> {
        let p = self.app().session.project();
        let r = policy_workbench::compute::analyze(p, &self.app().view.selection()).unwrap();
        r.mechanisms.iter().find(|m| m.id == mech).unwrap().total
    }
}

#[test]
fn opens_the_sample_and_shows_its_mechanisms() {
    let u = open();
    let p = u.app().session.project();
    assert!(p.mechanisms.len() >= 20);
    for m in p.mechanisms.iter().take(8) {
        assert!(
            u.h.query_all_by_label_contains(&m.name).next().is_some(),
            "{} is shown",
            m.name
        );
    }
    assert!(u.h.query_by_label_contains("Scoring matrix").is_some());
}

#[test]
fn score_editor_changes_a_score_and_the_total() {
    let mut u = open();
    let (m, c, cell) = u.first_cell();
    u.click(&cell);
    let before = u.total(&m);
    let current = u.value(&m, &c).and_then(ScoreValue::number).unwrap();
    let target = if current >= 2.0 { 0 } else { 4 };
    u.click_contains(&format!("{target} — "));
    assert_eq!(u.value(&m, &c), Some(ScoreValue::Value(f64::from(target))));
    assert_ne!(u.total(&m), before, "the total follows the score");
    assert!(u.app().session.is_dirty());
}

#[test]
fn undo_and_redo_from_the_edit_menu() {
    let mut u = open();
    let (m, c, cell) = u.first_cell();
    u.click(&cell);
    let original = u.value(&m, &c);
    u.click_contains("0 — ");
    assert_eq!(u.value(&m, &c), Some(ScoreValue::Value(0.0)));
    u.menu("Edit", "Undo set score");
    assert_eq!(u.value(&m, &c), original);
    u.menu("Edit", "Redo set score");
    assert_eq!(u.value(&m, &c), Some(ScoreValue::Value(0.0)));
}

#[test]
fn keyboard_sets_clears_and_marks_not_applicable() {
    let mut u = open();
    let (m, c, cell) = u.first_cell();
    u.click(&cell);
    u.h.key_press(egui::Key::Num1);
    u.step();
    assert_eq!(u.value(&m, &c), Some(ScoreValue::Value(1.0)));
    u.h.key_press(egui::Key::N);
    u.step();
    assert_eq!(u.value(&m, &c), Some(ScoreValue::NotApplicable));
    u.h.key_press(egui::Key::Delete);
    u.step();
    assert_eq!(
        u.value(&m, &c),
        Some(ScoreValue::NotAssessed),
        "rationale kept, value cleared"
    );
    // A digit beyond the 0–4 scale is refused with a message.
    u.h.key_press(egui::Key::Num9);
    u.step();
    assert_eq!(u.value(&m, &c), Some(ScoreValue::NotAssessed));
    assert!(
        u.app().status.contains("outside the scale"),
        "{}",
        u.app().status
    );
}

#[test]
fn arrow_keys_move_the_selection() {
    let mut u = open();
    let (_, _, cell) = u.first_cell();
    u.click(&cell);
    u.h.key_press(egui::Key::ArrowRight);
    u.step();
    u.h.key_press(egui::Key::ArrowDown);
    u.step();
    let p = u.app().session.project();
    assert_eq!(
        u.app().view.criterion.as_deref(),
        Some(p.framework.groups[0].criteria[1].id.as_str())
    );
    assert_eq!(
        u.app().view.mechanism.as_deref(),
        Some(p.mechanisms[1].id.as_str())
    );
}

#[test]
fn ctrl_z_and_ctrl_shift_z_undo_and_redo() {
    let mut u = open();
    let (m, c, cell) = u.first_cell();
    u.click(&cell);
    let original = u.value(&m, &c);
    u.h.key_press(egui::Key::Num0);
    u.step();
    u.h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    u.step();
    assert_eq!(u.value(&m, &c), original);
    u.h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    u.step();
    assert_eq!(u.value(&m, &c), Some(ScoreValue::Value(0.0)));
    u.h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    u.step();
    u.h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    u.step();
    assert_eq!(u.value(&m, &c), Some(ScoreValue::Value(0.0)));
}

#[test]
fn pasting_a_block_from_a_spreadsheet_is_one_undo_step() {
    let mut u = open();
    let (_, _, cell) = u.first_cell();
    u.click(&cell);
    let before = u.app().session.project().clone();
    u.h.event(egui::Event::Paste("1\t2\n3,0\tn/a\n".into()));
    u.step();
    let p = u.app().session.project();
    let a = u.app().view.analyst.clone().unwrap();
    let c0 = &p.framework.groups[0].criteria[0].id;
    let c1 = &p.framework.groups[0].criteria[1].id;
    assert_eq!(
        p.score(&a, &p.mechanisms[0].id, c0).unwrap().value,
        ScoreValue::Value(1.0)
    );
    assert_eq!(
        p.score(&a, &p.mechanisms[0].id, c1).unwrap().value,
        ScoreValue::Value(2.0)
    );
    assert_eq!(
        p.score(&a, &p.mechanisms[1].id, c0).unwrap().value,
        ScoreValue::Value(3.0)
    );
    assert_eq!(
        p.score(&a, &p.mechanisms[1].id, c1).unwrap().value,
        ScoreValue::NotApplicable
    );
    u.h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    u.step();
    assert_eq!(*u.app().session.project(), before);
}

#[test]
fn a_bad_paste_changes_nothing_and_says_where() {
    let mut u = open();
    let (_, _, cell) = u.first_cell();
    u.click(&cell);
    let before = u.app().session.project().clone();
    u.h.event(egui::Event::Paste("1\tseven\n".into()));
    u.step();
    assert_eq!(*u.app().session.project(), before);
    assert!(
        u.app().status.contains("row 1, column 2"),
        "{}",
        u.app().status
    );
}

#[test]
fn typing_a_rationale_is_one_undo_step() {
    let mut u = open();
    let (m, c, cell) = u.first_cell();
    u.click(&cell);
    let a = u.app().view.analyst.clone().unwrap();
    let original = u
        .app()
        .session
        .project()
        .score(&a, &m, &c)
        .unwrap()
        .rationale
        .clone();
    u.h.get_by_role_and_label(Role::MultilineTextInput, "Rationale")
        .focus();
    u.step();
    u.h.get_by_role_and_label(Role::MultilineTextInput, "Rationale")
        .type_text(" Checked.");
    u.step();
    let now = u
        .app()
        .session
        .project()
        .score(&a, &m, &c)
        .unwrap()
        .rationale
        .clone();
    assert!(now.ends_with("Checked."), "{now}");
    u.click(&cell); // leave the field
    u.menu("Edit", "Undo set score");
    let back = u
        .app()
        .session
        .project()
        .score(&a, &m, &c)
        .unwrap()
        .rationale
        .clone();
    assert_eq!(back, original);
}

#[test]
fn add_and_delete_a_mechanism() {
    let mut u = open();
    let n = u.app().session.project().mechanisms.len();
    u.click("Add mechanism");
    assert_eq!(u.app().session.project().mechanisms.len(), n + 1);
    assert!(
        u.h.query_all_by_label_contains("New mechanism")
            .next()
            .is_some()
    );
    u.h.get_by_role_and_label(Role::TextInput, "Name").focus();
    u.step();
    u.h.get_by_role_and_label(Role::TextInput, "Name")
        .type_text(" for Pacific islands");
    u.step();
    assert_eq!(
        u.app().session.project().mechanisms[n].name,
        "New mechanism for Pacific islands"
    );
    u.click("Delete mechanism");
    assert_eq!(u.app().session.project().mechanisms.len(), n);
}

#[test]
fn add_and_delete_a_criterion_in_the_framework_editor() {
    let mut u = open();
    u.click("Framework");
    let first_group = u.app().session.project().framework.groups[0].name.clone();
    let n = u.app().session.project().framework.criterion_count();
    u.click(&format!("Add criterion to {first_group}"));
    assert_eq!(u.app().session.project().framework.criterion_count(), n + 1);
    u.click_contains("New criterion ·");
    u.click("Delete criterion New criterion");
    assert_eq!(
        u.app().session.project().framework.criterion_count(),
        n,
        "{}",
        u.app().status
    );
}

#[test]
fn changing_a_group_weight_changes_the_totals() {
    let mut u = open();
    let m = u.app().session.project().mechanisms[0].id.clone();
    let before = u.total(&m);
    u.click("Framework");
    let g = u.app().session.project().framework.groups[0].name.clone();
    let label = format!("Weight of {g}");
    u.h.get_by_label(&label).focus();
    u.step();
    u.h.get_by_label(&label).type_text("0");
    u.h.key_press(egui::Key::Enter);
    u.step();
    assert_eq!(u.app().session.project().framework.groups[0].weight, 0.0);
    assert_ne!(u.total(&m), before);
}

#[test]
fn save_to_a_file_and_load_it_back_equal() {
    let mut u = open();
    let (_, _, cell) = u.first_cell();
    u.click(&cell);
    u.h.key_press(egui::Key::Num2);
    u.step();
    let path = u._dir.path().join("saved.json");
    u.menu("File", "Save to a path");
    u.h.get_by_role_and_label(Role::TextInput, "File path")
        .focus();
    u.h.get_by_role_and_label(Role::TextInput, "File path")
        .type_text(&format!("{}", path.display()));
    u.step();
    // The field is pre-filled with a suggestion: replace it with our path.
    let text =
        u.h.get_by_role_and_label(Role::TextInput, "File path")
            .value()
            .unwrap();
    if text != path.display().to_string() {
        if let Some(policy_workbench::app::Modal::PathPrompt { text, .. }) =
            &mut u.h.state_mut().modal
        {
            *text = path.display().to_string();
        }
        u.step();
    }
    u.click("Save here");
    assert!(path.exists(), "{}", u.app().status);
    assert!(!u.app().session.is_dirty());
    let back = policy_workbench::persist::load_path(&path).unwrap().project;
    assert_eq!(back, *u.app().session.project());
    assert!(
        u.app()
            .prefs
            .recent
            .iter()
            .any(|p| p.ends_with("saved.json"))
    );
}

#[test]
fn a_broken_file_shows_its_problems_and_keeps_the_open_project() {
    let mut u = open();
    let broken = u._dir.path().join("broken.json");
    std::fs::write(&broken, "{\"schema_version\": 1, \"project\": 7}").unwrap();
    let before = u.app().session.project().clone();
    u.menu("File", "Open a path");
    u.h.get_by_role_and_label(Role::TextInput, "File path")
        .focus();
    u.h.get_by_role_and_label(Role::TextInput, "File path")
        .type_text(&broken.display().to_string());
    u.step();
    u.click("Open");
    assert!(
        u.h.query_by_label("This file could not be opened")
            .is_some()
    );
    assert!(
        u.h.query_all_by_label_contains("expected an object")
            .next()
            .is_some(),
        "the problem is listed"
    );
    assert_eq!(*u.app().session.project(), before);
    u.click("Close");
    assert!(u.app().modal.is_none(), "{:?}", u.app().modal);
}

#[test]
fn unsaved_changes_prompt_cancel_and_discard() {
    let mut u = open();
    let (_, _, cell) = u.first_cell();
    u.click(&cell);
    u.h.key_press(egui::Key::Num3);
    u.step();
    let edited = u.app().session.project().clone();
    u.click("File");
    u.click("New from template");
    u.click("Blank framework");
    assert!(u.h.query_by_label("Unsaved changes").is_some());
    u.click("Cancel");
    assert_eq!(
        *u.app().session.project(),
        edited,
        "cancel keeps everything"
    );
    u.click("File");
    u.click("New from template");
    u.click("Blank framework");
    u.click("Discard changes");
    assert_eq!(u.app().session.project().framework.id, "blank");
    assert!(!u.app().session.is_dirty());
}

#[test]
fn unsaved_changes_prompt_save_writes_the_file_before_quitting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.json");
    policy_workbench::persist::save_path(&path, &policy_workbench::bundled::sample()).unwrap();
    let mut app = App::new(dir.path().join("data"));
    app.start(Some(&path));
    let mut h = common::ui::harness(app);
    let p = h.state().session.project();
    let cell = format!(
        "{} / {}",
        p.mechanisms[0].name, p.framework.groups[0].criteria[0].name
    );
    h.get_by_label(&cell).click();
    h.run_steps(3);
    h.key_press(egui::Key::Num0);
    h.run_steps(3);
    h.get_by_label("File").click();
    h.run_steps(3);
    h.get_by_label("Quit").click();
    h.run_steps(3);
    h.get_by_label("Save").click();
    h.run_steps(3);
    assert!(h.state().quit_requested);
    let saved = policy_workbench::persist::load_path(&path).unwrap().project;
    assert_eq!(saved, *h.state().session.project());
}

#[test]
fn search_filters_the_mechanism_list() {
    let mut u = open();
    u.h.get_by_role_and_label(Role::TextInput, "Search mechanisms")
        .focus();
    u.h.get_by_role_and_label(Role::TextInput, "Search mechanisms")
        .type_text("Mekong");
    u.step();
    let p = u.app().session.project();
    let expected = p
        .mechanisms
        .iter()
        .filter(|m| m.name.contains("Mekong") || m.description.contains("Mekong"))
        .count();
    assert!(expected >= 2);
    let summary = format!("{expected} of {} shown", p.mechanisms.len());
    assert!(u.h.query_by_label(&summary).is_some(), "{summary}");
    assert!(
        u.h.query_by_label_contains("UN peacekeeping").is_none(),
        "filtered out"
    );
}

#[test]
fn sources_editor_adds_a_source() {
    let mut u = open();
    u.click("Sources");
    let n = u.app().session.project().sources.len();
    u.click("Add source");
    assert_eq!(u.app().session.project().sources.len(), n + 1);
}

#[test]
fn theme_preference_persists_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = app_in(dir.path());
        h.run_steps(3);
        h.get_by_label("View").click();
        h.run_steps(3);
        h.get_by_label("Dark theme").click();
        h.run_steps(3);
    }
    let app = App::new(dir.path().join("data"));
    assert_eq!(app.prefs.theme, policy_workbench::app::prefs::Theme::Dark);
}

#[test]
fn median_view_is_read_only() {
    let mut u = open();
    let (m, c, cell) = u.first_cell();
    u.h.state_mut().view.analyst = None;
    u.step();
    u.click(&cell);
    let before = u.app().session.project().clone();
    u.h.key_press(egui::Key::Num0);
    u.step();
    assert_eq!(*u.app().session.project(), before);
    assert!(
        u.app().status.contains("Choose an analyst"),
        "{}",
        u.app().status
    );
    let _ = (m, c, format_value(1.0));
}

#[test]
fn charts_tab_draws_the_chosen_chart() {
    let mut u = open();
    u.click("Charts");
    u.click("Ranking by composite");
    // The picker button and the drawn chart (its alt text) both carry the title.
    assert!(
        u.h.query_all_by_label("Ranking by composite").count() >= 2,
        "the chart is shown"
    );
    u.click("Objectives quadrant");
    assert!(u.h.query_all_by_label("Objectives quadrant").count() >= 2);
}

#[test]
fn exporting_charts_from_the_app_matches_the_cli() {
    use policy_workbench::app::ExportJob;
    use policy_workbench::charts::ChartKind;
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample.json");
    policy_workbench::persist::save_path(&sample, &policy_workbench::bundled::sample()).unwrap();
    let mut app = App::new(dir.path().join("data"));
    app.start(Some(&sample));
    for svg in [false, true] {
        let job = ExportJob {
            selection: app.view.selection(),
            charts: ChartKind::ALL
                .iter()
                .map(|k| app.view.chart.export_options(*k))
                .collect(),
            workshop: Vec::new(),
            workshop_options: app.view.chart.export_options(ChartKind::Heatmap),
            svg,
        };
        app.run_export(&job, &dir.path().join("app"));
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policy-workbench"))
        .args(["export", sample.to_str().unwrap(), "--out"])
        .arg(dir.path().join("cli"))
        .args(["--format", "png,svg"])
        // The app scores as the sample's one analyst; ask the CLI for the same view.
        .args(["--analyst", "reference"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for k in ChartKind::ALL {
        for ext in ["png", "svg"] {
            let name = format!("{}.{ext}", k.file_stem());
            let a = std::fs::read(dir.path().join("app").join(&name)).unwrap();
            let b = std::fs::read(dir.path().join("cli").join(&name)).unwrap();
            assert!(a == b, "{name} differs between the app and the CLI");
        }
    }
}

#[test]
fn scenarios_are_created_duplicated_and_deleted() {
    let mut u = open();
    let n = u.app().session.project().scenarios.len();
    u.click("Scenarios");
    u.click("New scenario");
    assert_eq!(u.app().session.project().scenarios.len(), n + 1);
    u.click("Duplicate scenario");
    let p = u.app().session.project();
    assert_eq!(p.scenarios.len(), n + 2);
    assert!(p.scenarios.last().unwrap().name.ends_with("(copy)"));
    // An ordinary button that asks first: Cancel keeps the scenario.
    u.click("Delete scenario…");
    assert!(u.h.query_by_label("Delete this scenario?").is_some());
    u.click("Cancel");
    assert_eq!(u.app().session.project().scenarios.len(), n + 2);
    u.click("Delete scenario…");
    u.click("Delete the scenario");
    assert_eq!(u.app().session.project().scenarios.len(), n + 1);
    assert!(u.app().modal.is_none());
}

#[test]
fn typing_in_a_scenario_makes_an_override_and_leaves_the_base_alone() {
    let mut u = open();
    let base = u.app().session.project().clone();
    let sc = base.scenarios[0].id.clone();
    let before = base.scenarios[0].score_overrides.len();
    u.h.state_mut().view.scenario = Some(sc.clone());
    u.step();
    let (m, c, cell) = u.first_cell();
    u.h.get_by_label(&cell).click();
    u.step();
    u.h.key_press(egui::Key::Num1);
    u.step();
    let p = u.app().session.project();
    assert_eq!(p.scores, base.scores, "the base assessment is untouched");
    let s = p.scenario(&sc).unwrap();
    assert_eq!(s.score_overrides.len(), before + 1);
    let o = s
        .score_overrides
        .iter()
        .find(|o| o.mechanism == m && o.criterion == c)
        .unwrap();
    assert_eq!(o.score.value, ScoreValue::Value(1.0));
    // Delete removes the override again (back to the base value).
    u.h.key_press(egui::Key::Delete);
    u.step();
    assert_eq!(
        u.app()
            .session
            .project()
            .scenario(&sc)
            .unwrap()
            .score_overrides
            .len(),
        before
    );
}

#[test]
fn pairwise_weighting_sets_a_groups_weights_in_one_step() {
    let mut u = open();
    u.click("Framework");
    let g = u.app().session.project().framework.groups[0].clone();
    u.click(&format!("Pairwise weighting of {}…", g.name));
    // Make the first criterion strongly more important than the second.
    let label = format!("{} vs {}", g.criteria[0].name, g.criteria[1].name);
    u.click(&label);
    u.click("5 — strong importance");
    assert!(
        u.h.query_all_by_label_contains("Consistency ratio")
            .next()
            .is_some()
    );
    let before = u.app().session.project().clone();
    u.click("Apply these weights");
    let w: Vec<f64> = u.app().session.project().framework.groups[0]
        .criteria
        .iter()
        .map(|c| c.weight)
        .collect();
    assert!(w[0] > w[1], "{w:?}");
    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    u.menu("Edit", "Undo set weights from judgements");
    assert_eq!(*u.app().session.project(), before);
}

#[test]
fn rank_acceptability_runs_in_the_background_and_reports_its_seed() {
    let mut u = open();
    u.click("Results");
    u.click("Monte Carlo rank acceptability (SMAA-2)");
    // The results view starts a run by itself; the window keeps drawing while the
    // worker runs. Wait for it, then run again with another seed.
    let wait = |u: &mut Ui| {
        for _ in 0..500 {
            if !u.app().view.derived.smaa.running() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
            u.step();
        }
        u.step();
    };
    wait(&mut u);
    u.h.state_mut().view.smaa.seed = 7;
    u.click("Run rank acceptability");
    wait(&mut u);
    assert!(!u.app().view.derived.smaa.running());
    assert!(
        u.h.query_by_label("P(first)").is_some(),
        "the results table is shown"
    );
    assert!(u.h.query_all_by_label_contains("seed 7").next().is_some());
}

#[test]
fn scenarios_compare_side_by_side_with_what_moved_and_why() {
    let mut u = open();
    u.click("Scenarios");
    u.click("Compare side by side");
    assert!(u.h.query_by_label("What moved and why").is_some());
    assert!(u.h.query_by_label("How stable is each ranking?").is_some());
    assert!(u.h.query_all_by_label_contains("Rank ").next().is_some());
    // The sample's first scenario changes something: an explanation is listed.
    assert!(u.h.query_by_label("Nothing moved.").is_none());
}
