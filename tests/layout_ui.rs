//! The window's layout at the sizes a new user has (1280×800 and 1024×640): the tab
//! row stays put whatever the view, the status bar stays on one line, the "Group
//! indices" checkbox shows what the matrix does, and charts are drawn one texture pixel
//! per screen pixel.
#![cfg(feature = "gui")]

mod common;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use policy_workbench::app::App;
use policy_workbench::ui::Tab;

const SIZES: [[f32; 2]; 2] = [[1280.0, 800.0], [1024.0, 640.0]];

fn open(dir: &std::path::Path, size: [f32; 2], ppp: f32) -> Harness<'static, App> {
    let mut app = App::new(dir.join("data"));
    app.start(None);
    let mut h = Harness::builder()
        .with_size(size)
        .with_pixels_per_point(ppp)
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app);
    h.run_steps(4);
    h
}

/// The top-left corner of the widget labelled `label` nearest the top of the window
/// (the tab row is above every view).
fn top_most(h: &Harness<'static, App>, label: &str) -> Option<(i64, i64)> {
    h.query_all_by_label(label)
        .filter_map(|n| n.accesskit_node().bounding_box())
        .map(|b| (b.x0.round() as i64, b.y0.round() as i64))
        .min_by_key(|p| p.1)
}

fn tab_positions(h: &Harness<'static, App>) -> Vec<(Tab, (i64, i64))> {
    Tab::ALL
        .iter()
        .filter(|t| **t != Tab::Feedback)
        .map(|t| {
            (
                *t,
                top_most(h, t.label()).unwrap_or_else(|| panic!("{:?}", t)),
            )
        })
        .collect()
}

#[test]
fn the_tab_row_does_not_move_whatever_the_view() {
    for size in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut h = open(dir.path(), size, 1.0);
        let first = tab_positions(&h);
        for (t, at) in first.clone() {
            h.state_mut().view.tab = t;
            h.run_steps(4);
            assert_eq!(h.state().view.tab, t);
            assert_eq!(
                tab_positions(&h),
                first,
                "{size:?}: the tabs moved when {t:?} was shown"
            );
            // The tab itself was where it was before it was chosen.
            assert_eq!(top_most(&h, t.label()), Some(at));
        }
        // Every view is in exactly one group.
        let mut grouped: Vec<Tab> = Tab::GROUPS
            .iter()
            .flat_map(|(_, ts)| ts.iter().copied())
            .collect();
        grouped.sort_by_key(|t| Tab::ALL.iter().position(|x| x == t));
        assert_eq!(grouped, Tab::ALL.to_vec());
        // At 1280 wide the views fit in one row.
        if size[0] >= 1280.0 {
            let rows: std::collections::BTreeSet<i64> = first.iter().map(|(_, p)| p.1).collect();
            assert_eq!(rows.len(), 1, "{first:?}");
        }
    }
}

#[test]
fn the_status_bar_stays_on_one_line_with_a_scenario() {
    for size in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut h = open(dir.path(), size, 1.0);
        let s = h.state().session.project().scenarios[0].id.clone();
        h.state_mut().view.scenario = Some(s);
        h.state_mut().status = "Opened a project with a long name that goes on and on and on, far wider than any window would be".into();
        h.run_steps(4);
        let y = |label: &str| {
            h.query_all_by_label_contains(label)
                .filter_map(|n| n.accesskit_node().bounding_box())
                .map(|b| b.y0.round() as i64)
                .max()
                .unwrap_or_else(|| panic!("{label}"))
        };
        let line = y("warning");
        assert_eq!(y("analyst"), line, "{size:?}");
        assert_eq!(y("scenario"), line, "{size:?}");
        assert_eq!(y("Opened a project"), line, "{size:?}");
        assert!(
            line as f32 > size[1] - 40.0,
            "{size:?}: the bar is at the bottom ({line})"
        );
    }
}

#[test]
fn group_indices_checkbox_shows_what_the_matrix_shows_and_one_click_changes_it() {
    for size in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut h = open(dir.path(), size, 1.0);
        let ticked = |h: &Harness<'static, App>| {
            h.get_by_label("Group indices").accesskit_node().toggled()
                == Some(egui::accesskit::Toggled::True)
        };
        // The index columns' headings are the group names, cut to 22 characters.
        let heading = {
            let g = &h.state().session.project().framework.groups[1].name;
            if g.chars().count() <= 22 {
                g.clone()
            } else {
                format!("{}…", g.chars().take(21).collect::<String>())
            }
        };
        let shown = |h: &Harness<'static, App>| h.query_by_label(&heading).is_some();
        assert_eq!(
            ticked(&h),
            shown(&h),
            "{size:?}: the checkbox says what is shown"
        );
        let before = ticked(&h);
        h.get_by_label("Group indices").click();
        h.run_steps(4);
        assert_eq!(ticked(&h), !before, "{size:?}: one click");
        assert_eq!(shown(&h), !before, "{size:?}: one click changes the matrix");
    }
}

#[test]
fn charts_are_drawn_at_the_screens_pixels_per_point() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path(), [1024.0, 640.0], 2.0);
    let s = h.state().session.project().scenarios[0].id.clone();
    h.state_mut().view.tab = Tab::Scenarios;
    h.state_mut().view.comparing = true;
    h.state_mut().view.compare.b = Some(s);
    h.run_steps(6);
    // The comparison charts are taller than the space left: shown whole, not shrunk.
    let (_, tex) = h
        .state()
        .view
        .compare
        .bump
        .as_ref()
        .expect("the chart is drawn");
    let [tw, th] = tex.size();
    let node = h.get_by_label("Rank changes across scenarios");
    let b = node.accesskit_node().bounding_box().unwrap();
    // Bounds are in screen pixels: one per texture pixel, inside the window.
    assert!(
        ((b.x1 - b.x0) - tw as f64).abs() < 1.5,
        "{b:?} vs {tw}×{th}"
    );
    assert!(
        ((b.y1 - b.y0) - th as f64).abs() < 1.5,
        "{b:?} vs {tw}×{th}"
    );
    assert!(
        b.x1 <= 1024.0 * 2.0,
        "{b:?}: the chart fits the window's width"
    );
}

#[test]
fn what_moved_and_why_explains_its_words_on_hover() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path(), [1280.0, 800.0], 1.0);
    h.ctx.all_styles_mut(|s| s.interaction.tooltip_delay = 0.0);
    let s = h.state().session.project().scenarios[0].id.clone();
    h.state_mut().view.tab = Tab::Scenarios;
    h.state_mut().view.comparing = true;
    h.state_mut().view.compare.b = Some(s);
    h.run_steps(6);
    let points = policy_workbench::ui::glossary::meaning("Percentage points");
    assert!(h.query_by_label_contains(points).is_none());
    let labels: Vec<String> = h
        .query_all_by_label_contains(" points")
        .filter_map(|n| {
            n.accesskit_node()
                .label()
                .or_else(|| n.accesskit_node().value())
        })
        .collect();
    let text = labels
        .iter()
        .find(|l| l.contains("points)"))
        .unwrap_or_else(|| panic!("an explanation in points: {labels:#?}"))
        .clone();
    h.get_by_label(&text).hover();
    h.run_steps(6);
    assert!(
        h.query_by_label_contains(points).is_some(),
        "the tooltip says what a point is"
    );
}

/// A chart with a row per mechanism keeps its rows legible in a small window: it is
/// drawn taller than the window (and scrolls) rather than squeezed, so no name drops.
#[test]
fn row_charts_grow_taller_than_a_small_window_instead_of_dropping_rows() {
    use policy_workbench::charts::ChartKind;
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path(), [1024.0, 640.0], 1.0);
    h.state_mut().view.tab = Tab::Charts;
    h.state_mut().view.chart.kind = ChartKind::Heatmap;
    h.run_steps(4);
    let rows = h.state().session.project().mechanisms.len() as u32;
    let (key, _) = h.state().view.chart.texture.as_ref().expect("drawn");
    assert!(
        key.opts.height >= 20 * rows,
        "{} px for {rows} rows",
        key.opts.height
    );
    assert!(key.opts.height > 640, "taller than the window");
    // A chart without rows fits the window.
    h.state_mut().view.chart.kind = ChartKind::Quadrant;
    h.run_steps(4);
    let (key, _) = h.state().view.chart.texture.as_ref().expect("drawn");
    assert!(key.opts.height < 640);
}
