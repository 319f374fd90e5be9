//! The workshop disagreement charts (spread heatmap, strip plot, alpha per criterion)
//! on `sample_projects/workshop-demo.json`: PNG and SVG through the chart functions,
//! anonymity, the edge cases, and `export` writing them for a multi-analyst project.
//!
//! Set PW_CHART_GALLERY=/some/dir to look at the images (light and dark, 1600 × 1000
//! and 800 × 600, both rounds).

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::*;
use policy_workbench::charts::{self, ChartKind, ChartOptions};
use policy_workbench::model::{Project, ScoreValue};

fn demo_path() -> PathBuf {
    root().join("sample_projects/workshop-demo.json")
}

fn demo() -> Project {
    policy_workbench::persist::load_path(&demo_path())
        .expect("the workshop demo loads")
        .project
}

fn opts(w: u32, h: u32, dark: bool) -> ChartOptions {
    let mut o = ChartOptions::new(ChartKind::Heatmap);
    o.width = w;
    o.height = h;
    o.dark = dark;
    o
}

/// The three charts of one round, written as PNG or SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Which {
    Spread,
    Strip,
    Alpha,
}

const ALL: [Which; 3] = [Which::Spread, Which::Strip, Which::Alpha];

impl Which {
    fn stem(self) -> &'static str {
        match self {
            Which::Spread => "spread",
            Which::Strip => "strip",
            Which::Alpha => "alpha",
        }
    }
}

fn write(
    which: Which,
    p: &Project,
    round: Option<&str>,
    anonymise: bool,
    path: &Path,
    o: &ChartOptions,
) {
    let svg = path.extension().is_some_and(|e| e == "svg");
    let r = match which {
        Which::Spread => {
            let i = charts::spread_input(p, round, anonymise).unwrap();
            if svg {
                charts::write_spread_svg(path, &i, o)
            } else {
                charts::write_spread_png(path, &i, o)
            }
        }
        Which::Strip => {
            let i = charts::strip_input(p, round, anonymise).unwrap();
            if svg {
                charts::write_strip_svg(path, &i, o)
            } else {
                charts::write_strip_png(path, &i, o)
            }
        }
        Which::Alpha => {
            let i = charts::alpha_input(p, round, anonymise).unwrap();
            if svg {
                charts::write_alpha_svg(path, &i, o)
            } else {
                charts::write_alpha_png(path, &i, o)
            }
        }
    };
    r.unwrap_or_else(|e| panic!("{which:?} to {}: {e}", path.display()));
}

fn check_png(path: &Path, w: u32, h: u32, dark: bool) {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{} decodes: {e}", path.display()))
        .to_rgb8();
    assert_eq!(img.dimensions(), (w, h), "{}", path.display());
    let raw = img.as_raw();
    let bg = &raw[..3];
    if dark {
        assert!(bg.iter().all(|&c| c < 60), "{}: dark", path.display());
    } else {
        assert_eq!(bg, [255, 255, 255], "{}: white", path.display());
    }
    let colours: HashSet<_> = raw.chunks_exact(3).map(|p| (p[0], p[1], p[2])).collect();
    assert!(colours.len() > 40, "{} is not blank", path.display());
    let ink = raw.chunks_exact(3).filter(|p| *p != bg).count() as f64 / (raw.len() / 3) as f64;
    assert!(ink > 0.03, "{} has content ({ink})", path.display());
}

/// The text of an SVG document (all text nodes, one per line), checked well-formed
/// and of the right size.
fn svg_text(path: &Path, w: u32, h: u32) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    svg_text_of(&text, w, h)
}

fn svg_text_of(text: &str, w: u32, h: u32) -> String {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("well-formed XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some(w.to_string().as_str()));
    assert_eq!(root.attribute("height"), Some(h.to_string().as_str()));
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

fn expected(which: Which) -> &'static [&'static str] {
    match which {
        Which::Spread => &[
            "Spread of the analysts' scores",
            "Interquartile range",
            "Opacity",
            "INTERPOL",
            "Worth discussing",
        ],
        Which::Strip => &[
            "Each analyst's score, cell by cell",
            "Analyst A",
            "Analyst E",
            "Median",
            "IQR",
        ],
        Which::Alpha => &[
            "Agreement between the analysts per criterion",
            "tentative",
            "reliable",
            "Kendall's W",
            "Human-rights risk",
            "All criteria (pooled)",
            "Ordinal alpha",
            "Interval alpha",
        ],
    }
}

#[test]
fn each_chart_exports_png_and_svg_anonymised() {
    let p = demo();
    assert_eq!(p.analysts.len(), 5);
    let tmp = tempfile::tempdir().unwrap();
    let gallery = std::env::var_os("PW_CHART_GALLERY").map(PathBuf::from);
    for which in ALL {
        for (w, h) in [(1600, 1000), (800, 600)] {
            for dark in [false, true] {
                for round in [None, Some("round-1")] {
                    let o = opts(w, h, dark);
                    let theme = if dark { "dark" } else { "light" };
                    let r = if round.is_some() { "r1" } else { "r2" };
                    let name = format!("{}-{theme}-{w}-{r}", which.stem());
                    let png = tmp.path().join(format!("{name}.png"));
                    write(which, &p, round, true, &png, &o);
                    check_png(&png, w, h, dark);
                    if let Some(dir) = &gallery {
                        std::fs::copy(&png, dir.join(format!("{name}.png"))).unwrap();
                    }
                    let svg = tmp.path().join(format!("{name}.svg"));
                    write(which, &p, round, true, &svg, &o);
                    let text = svg_text(&svg, w, h);
                    for e in expected(which) {
                        assert!(text.contains(e), "{name} shows \"{e}\":\n{text}");
                    }
                    let round_title = if round.is_some() {
                        "Round 1 (blind)"
                    } else {
                        "Round 2 (current)"
                    };
                    assert!(text.contains(round_title), "{name} names its round");
                    let raw = std::fs::read_to_string(&svg).unwrap();
                    for a in &p.analysts {
                        assert!(
                            !raw.contains(&a.name),
                            "{name} does not name analyst \"{}\"",
                            a.name
                        );
                        // The distinctive part of the name, e.g. "think tank".
                        let inner = a.name.split(['(', ')']).nth(1).unwrap();
                        assert!(!raw.contains(inner), "{name} does not show \"{inner}\"");
                    }
                }
            }
        }
    }
}

#[test]
fn names_are_shown_when_not_anonymised() {
    let p = demo();
    let input = charts::strip_input(&p, None, false).unwrap();
    assert!(!input.anonymised);
    let svg = charts::render_strip_svg(&input, &opts(1600, 1000, false)).unwrap();
    let text = svg_text_of(&svg, 1600, 1000);
    for a in &p.analysts {
        assert!(text.contains(&a.name), "shows \"{}\"", a.name);
    }
    assert!(!text.contains("Analyst A"));
    assert!(!text.contains("anonymised"));
}

#[test]
fn strip_rows_are_the_widest_cells_or_the_chosen_ones() {
    let p = demo();
    let input = charts::strip_input(&p, Some("round-1"), true).unwrap();
    assert!(input.by_largest_spread);
    assert_eq!(input.rows.len(), charts::STRIP_DEFAULT_CELLS);
    let iqrs: Vec<f64> = input.rows.iter().map(|r| r.iqr.unwrap()).collect();
    assert!(
        iqrs.windows(2).all(|w| w[0] >= w[1]),
        "widest first: {iqrs:?}"
    );
    assert!(iqrs[0] >= 2.0, "round 1 split the group: {iqrs:?}");
    assert_eq!(input.analysts[0], "Analyst A");
    for r in &input.rows {
        assert_eq!((r.scale_min, r.scale_max), (0.0, 4.0));
        assert!(r.scores.len() >= 2);
        assert!(
            r.scores.windows(2).all(|w| w[0].0 < w[1].0),
            "analyst order"
        );
    }

    let chosen = vec![
        ("interpol".to_string(), "human-rights-risk".to_string()),
        ("no-such".to_string(), "opacity".to_string()),
        ("unpol".to_string(), "opacity".to_string()),
    ];
    let input = charts::strip_input_for(&p, None, true, &chosen).unwrap();
    assert!(!input.by_largest_spread);
    let names: Vec<(&str, &str)> = input
        .rows
        .iter()
        .map(|r| (r.mechanism.as_str(), r.criterion.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("INTERPOL", "Human-rights risk"),
            ("UN peacekeeping police (UNPOL)", "Opacity")
        ],
        "unknown ids left out, order kept"
    );
    let svg = charts::render_strip_svg(&input, &opts(900, 600, false)).unwrap();
    let text = svg_text_of(&svg, 900, 600);
    assert!(text.contains("chosen cells"), "{text}");
}

#[test]
fn spread_cells_carry_median_iqr_and_the_shared_scale() {
    let p = demo();
    let r1 = charts::spread_input(&p, Some("round-1"), true).unwrap();
    let r2 = charts::spread_input(&p, None, true).unwrap();
    assert_eq!(r1.round, "Round 1 (blind)");
    assert_eq!(r2.round, "Round 2 (current)");
    assert_eq!(r1.iqr_top, r2.iqr_top, "one colour scale for every round");
    assert_eq!(r1.mechanisms.len(), p.mechanisms.len());
    assert_eq!(r1.criteria.len(), 12);
    assert_eq!(r1.groups.len(), 4);
    let discussed = |s: &charts::SpreadInput| {
        s.cells
            .iter()
            .flatten()
            .filter(|c| c.needs_discussion)
            .count()
    };
    assert!(discussed(&r1) > discussed(&r2), "round 2 converged");
    for c in r2.cells.iter().flatten() {
        assert_eq!(c.n + c.not_applicable + c.not_assessed, 5);
        if c.n >= 2 {
            assert!(c.iqr.unwrap() <= r2.iqr_top);
        }
    }
}

#[test]
fn unknown_round_is_refused() {
    let p = demo();
    assert!(charts::spread_input(&p, Some("round-9"), true).is_err());
    assert!(charts::strip_input(&p, Some("round-9"), true).is_err());
    assert!(charts::alpha_input(&p, Some("round-9"), true).is_err());
}

#[test]
fn alpha_lists_criteria_it_cannot_compute_with_the_reason() {
    let mut p = demo();
    // Everyone gives every mechanism 2 on opacity: no variation.
    for (k, s) in p.scores.iter_mut() {
        if k.criterion == "opacity" {
            s.value = ScoreValue::Value(2.0);
        }
    }
    let input = charts::alpha_input(&p, None, true).unwrap();
    let row = input.criteria.iter().find(|r| r.name == "Opacity").unwrap();
    assert!(row.ordinal.as_ref().unwrap_err().contains("no variation"));
    assert!(row.kendall_w.is_err());
    let other = input
        .criteria
        .iter()
        .find(|r| r.name == "Human-rights risk")
        .unwrap();
    assert!(other.ordinal.is_ok() && other.interval.is_ok() && other.kendall_w.is_ok());
    for (w, h) in [(1600, 1000), (800, 600)] {
        let svg = charts::render_alpha_svg(&input, &opts(w, h, false)).unwrap();
        let text = svg_text_of(&svg, w, h);
        assert!(text.contains("Not computable: no variation"), "{text}");
        assert!(text.contains("Kendall's W not computable"), "{text}");
        charts::render_alpha_rgb(&input, &opts(w, h, true)).unwrap();
    }
    if let Some(dir) = std::env::var_os("PW_CHART_GALLERY") {
        let o = opts(1600, 1000, false);
        charts::write_alpha_png(
            &Path::new(&dir).join("alpha-not-computable.png"),
            &input,
            &o,
        )
        .unwrap();
    }
}

#[test]
fn charts_cope_with_one_analyst_and_an_empty_project() {
    let sample = policy_workbench::bundled::sample();
    let blank = policy_workbench::bundled::template("blank").unwrap();
    for p in [&sample, &blank] {
        let o = opts(640, 400, false);
        let s = charts::spread_input(p, None, true).unwrap();
        let t = charts::strip_input(p, None, true).unwrap();
        let a = charts::alpha_input(p, None, true).unwrap();
        charts::render_spread_rgb(&s, &o).unwrap();
        charts::render_strip_rgb(&t, &o).unwrap();
        charts::render_alpha_rgb(&a, &o).unwrap();
        for svg in [
            charts::render_spread_svg(&s, &o).unwrap(),
            charts::render_strip_svg(&t, &o).unwrap(),
            charts::render_alpha_svg(&a, &o).unwrap(),
        ] {
            let text = svg_text_of(&svg, 640, 400);
            assert!(text.contains("fewer than two analysts"), "{text}");
        }
    }
}

fn export(project: &Path, dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export",
        project.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn export_writes_the_workshop_charts_for_several_analysts_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let o = export(
        &demo_path(),
        &dir,
        &["--format", "png,svg", "--width", "1000", "--height", "700"],
    );
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let printed = stdout(&o);
    let demo = demo();
    for stem in ["spread", "strip", "alpha"] {
        let png = dir.join(format!("{stem}.png"));
        let svg = dir.join(format!("{stem}.svg"));
        assert!(printed.contains(&png.display().to_string()), "{printed}");
        assert!(printed.contains(&svg.display().to_string()), "{printed}");
        check_png(&png, 1000, 700, false);
        let raw = std::fs::read_to_string(&svg).unwrap();
        svg_text(&svg, 1000, 700);
        for a in &demo.analysts {
            assert!(!raw.contains(&a.name), "{stem}: anonymised by default");
        }
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2 * (policy_workbench::charts::ChartKind::ALL.len() + 3),
        "every results chart and the three workshop charts, twice"
    );
    // Again without --force: refused, the workshop files count as existing too.
    std::fs::remove_file(dir.join("radar.png")).unwrap();
    std::fs::remove_file(dir.join("radar.svg")).unwrap();
    let o = export(&demo_path(), &dir, &["--format", "png,svg"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("alpha.svg"), "{}", stderr(&o));

    // The single-analyst sample: no workshop charts.
    let single = tmp.path().join("single");
    let o = export(&sample_path(), &single, &["--format", "png,svg"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    for stem in ["spread", "strip", "alpha"] {
        assert!(!single.join(format!("{stem}.png")).exists());
        assert!(!single.join(format!("{stem}.svg")).exists());
    }
    assert_eq!(
        std::fs::read_dir(&single).unwrap().count(),
        2 * policy_workbench::charts::ChartKind::ALL.len()
    );
}

#[test]
fn double_scale_renders() {
    let p = demo();
    let gallery = std::env::var_os("PW_CHART_GALLERY").map(PathBuf::from);
    let mut o = opts(1600, 1000, false);
    o.scale = 2.0;
    for which in ALL {
        let rgb = match which {
            Which::Spread => {
                charts::render_spread_rgb(&charts::spread_input(&p, None, true).unwrap(), &o)
            }
            Which::Strip => {
                charts::render_strip_rgb(&charts::strip_input(&p, None, true).unwrap(), &o)
            }
            Which::Alpha => {
                charts::render_alpha_rgb(&charts::alpha_input(&p, None, true).unwrap(), &o)
            }
        }
        .unwrap();
        assert_eq!(rgb.len(), 1600 * 1000 * 3);
        if let Some(dir) = &gallery {
            let png = charts::encode_png(&rgb, 1600, 1000).unwrap();
            std::fs::write(dir.join(format!("{}-x2.png", which.stem())), png).unwrap();
        }
    }
}

#[test]
fn large_projects_stay_legible() {
    // 12 analysts, 40 criteria and 500 mechanisms: rows thinner than their labels,
    // colours and shapes cycling, a legend that wraps.
    let p = policy_workbench::generate::project(&policy_workbench::generate::GenSpec::LARGE);
    let gallery = std::env::var_os("PW_CHART_GALLERY").map(PathBuf::from);
    let s = charts::spread_input(&p, None, true).unwrap();
    let t = charts::strip_input(&p, None, true).unwrap();
    let a = charts::alpha_input(&p, None, true).unwrap();
    assert_eq!(t.analysts.len(), 12);
    assert_eq!(t.analysts[11], "Analyst L");
    for (w, h) in [(1600, 1000), (800, 600)] {
        let o = opts(w, h, false);
        for (name, rgb) in [
            ("spread", charts::render_spread_rgb(&s, &o).unwrap()),
            ("strip", charts::render_strip_rgb(&t, &o).unwrap()),
            ("alpha", charts::render_alpha_rgb(&a, &o).unwrap()),
        ] {
            assert_eq!(rgb.len(), (w * h * 3) as usize);
            if let Some(dir) = &gallery {
                let png = charts::encode_png(&rgb, w, h).unwrap();
                std::fs::write(dir.join(format!("{name}-large-{w}.png")), png).unwrap();
            }
        }
        let svg = charts::render_strip_svg(&t, &o).unwrap();
        assert!(svg_text_of(&svg, w, h).contains("Analyst L"));
    }
}

/// Every scale and size the options accept draws without a panic (the spread heatmap's
/// cell padding shares the score heatmap's rule, which once panicked at scale 0.25).
#[test]
fn workshop_charts_render_at_the_limits_of_the_options() {
    let p = demo();
    let spread = charts::spread_input(&p, None, true).unwrap();
    let strip = charts::strip_input(&p, None, true).unwrap();
    let alpha = charts::alpha_input(&p, None, true).unwrap();
    for scale in [0.25, 8.0] {
        for (w, h) in [(64, 64), (64, 900), (900, 64), (1200, 800)] {
            let mut o = ChartOptions::new(ChartKind::Heatmap);
            (o.scale, o.width, o.height) = (scale, w, h);
            let what = format!("scale {scale}, {w}×{h}");
            charts::render_spread_rgb(&spread, &o).expect(&what);
            charts::render_spread_svg(&spread, &o).expect(&what);
            charts::render_strip_rgb(&strip, &o).expect(&what);
            charts::render_strip_svg(&strip, &o).expect(&what);
            charts::render_alpha_rgb(&alpha, &o).expect(&what);
            charts::render_alpha_svg(&alpha, &o).expect(&what);
        }
    }
}

#[test]
fn export_round_n_draws_that_round() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = demo();
    assert_eq!(
        demo.workshop.rounds.len(),
        1,
        "the demo has a closed round and a current one"
    );
    let first = demo.workshop.rounds[0].name.trim().to_string();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    for (dir, n) in [(&one, "1"), (&two, "2")] {
        let o = export(&demo_path(), dir, &["--format", "svg", "--round", n]);
        assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    }
    for stem in ["spread", "strip", "alpha", "ranking"] {
        let a = std::fs::read_to_string(one.join(format!("{stem}.svg"))).unwrap();
        let b = std::fs::read_to_string(two.join(format!("{stem}.svg"))).unwrap();
        assert!(a.contains(&first), "{stem} of round 1 names it");
        assert!(!b.contains(&first), "{stem} of round 2 does not");
        assert_ne!(a, b, "{stem}: the rounds' scores differ");
    }
    // Round 2 is the current round: the same as no --round.
    let current = tmp.path().join("current");
    let o = export(&demo_path(), &current, &["--format", "svg"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(current.join("spread.svg")).unwrap(),
        std::fs::read_to_string(two.join("spread.svg")).unwrap()
    );
    for n in ["0", "3"] {
        let o = export(&demo_path(), &tmp.path().join("bad"), &["--round", n]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("rounds 1 to 2 (2 is the current one)"),
            "{}",
            stderr(&o)
        );
        assert!(!tmp.path().join("bad").exists(), "nothing written");
    }
}
