//! Charts: the `export` command run as the real binary, and the chart functions
//! rendered directly (themes, scales, a framework without two objectives, tornado).

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::*;
use policy_workbench::charts::{self, ChartInput, ChartKind, ChartOptions, TornadoBar};
use policy_workbench::compute::{self, Selection};
use policy_workbench::model::{Project, Role};

/// Distinct colours in an RGB buffer.
fn distinct_colours(rgb: &[u8]) -> usize {
    rgb.chunks_exact(3)
        .map(|p| (p[0], p[1], p[2]))
        .collect::<HashSet<_>>()
        .len()
}

/// Share of pixels that differ from the top-left (background) pixel.
fn ink_share(rgb: &[u8]) -> f64 {
    let bg = &rgb[..3];
    let n = rgb.len() / 3;
    rgb.chunks_exact(3).filter(|p| *p != bg).count() as f64 / n as f64
}

fn check_png(path: &Path, w: u32, h: u32) {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{} decodes: {e}", path.display()))
        .to_rgb8();
    assert_eq!(img.dimensions(), (w, h), "{}", path.display());
    let raw = img.as_raw();
    assert!(
        distinct_colours(raw) > 40,
        "{} has many colours, not a blank image",
        path.display()
    );
    assert!(ink_share(raw) > 0.02, "{} has content", path.display());
}

/// The text content of an SVG document, all text nodes joined.
fn svg_text(path: &Path, w: u32, h: u32) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is well-formed XML: {e}", path.display()));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some(w.to_string().as_str()));
    assert_eq!(root.attribute("height"), Some(h.to_string().as_str()));
    let texts: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .collect();
    assert!(!texts.is_empty(), "{} has text", path.display());
    for t in &texts {
        assert_eq!(t.attribute("font-family"), Some("sans-serif"));
    }
    texts
        .iter()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

fn export(dir: &Path, extra: &[&str]) -> std::process::Output {
    let sample = sample_path();
    let mut args = vec![
        "export",
        sample.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn export_writes_every_chart_as_png_and_svg() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("charts"); // created by the command
    let o = export(
        &dir,
        &["--format", "png,svg", "--width", "1000", "--height", "700"],
    );
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let printed: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(
        printed.len(),
        2 * ChartKind::ALL.len(),
        "one line per file written: {printed:?}"
    );
    for kind in ChartKind::ALL {
        let png = dir.join(format!("{}.png", kind.file_stem()));
        let svg = dir.join(format!("{}.svg", kind.file_stem()));
        assert!(printed.contains(&png.display().to_string()));
        assert!(printed.contains(&svg.display().to_string()));
        check_png(&png, 1000, 700);
        let text = svg_text(&svg, 1000, 700);
        let expect: &[&str] = match kind {
            ChartKind::Radar => &[
                "Mechanism profiles across the criteria",
                "Geopolitical environment",
                "Mekong River joint patrols",
            ],
            ChartKind::GroupBars => &[
                "Group indices by mechanism",
                "higher = more concern",
                "INTERPOL",
            ],
            ChartKind::Heatmap => &[
                "Scores by mechanism and criterion",
                "Opacity",
                "INTERPOL",
                "Not assessed",
            ],
            ChartKind::Quadrant => &[
                "Responsible state × Influential state",
                "High on both",
                "Not plotted",
                "International",
            ],
            ChartKind::ReturnsConcern => &[
                "Returns × concern",
                "Returns for China",
                "Concern for host states and observers",
                "Concern only",
            ],
            ChartKind::Ranking => &[
                "Mechanisms ranked by composite total",
                "depends on the weights",
                "INTERPOL",
            ],
            ChartKind::ClaimedDocumented => &[
                "Claimed vs documented",
                "Documented and mixed scores only",
                "INTERPOL",
                "no documented total",
            ],
        };
        for e in expect {
            assert!(text.contains(e), "{} shows \"{e}\"", svg.display());
        }
    }
    // Nothing else was left in the folder (no temporary files).
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2 * ChartKind::ALL.len()
    );
}

#[test]
fn export_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = export(dir, &["--width", "400", "--height", "300"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let radar = dir.join("radar.png");
    std::fs::write(&radar, b"keep me").unwrap();

    let o = export(dir, &["--width", "400", "--height", "300"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "stderr: {}", stderr(&o));
    assert!(stdout(&o).is_empty(), "nothing reported as written");
    assert_eq!(std::fs::read(&radar).unwrap(), b"keep me");

    let o = export(dir, &["--width", "400", "--height", "300", "--force"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    check_png(&radar, 400, 300);
}

#[test]
fn export_unknown_scenario_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let o = export(&dir, &["--scenario", "no-such-scenario"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no-such-scenario"),
        "stderr: {}",
        stderr(&o)
    );
    assert!(!dir.exists(), "nothing was created");
}

#[test]
fn export_bad_size_is_a_usage_error_and_bad_file_is_invalid() {
    let tmp = tempfile::tempdir().unwrap();
    let o = export(tmp.path(), &["--width", "10"]);
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("pixels"), "stderr: {}", stderr(&o));

    let bad = write(tmp.path(), "bad.json", "{ not json");
    let o = run(&[
        "export",
        bad.to_str().unwrap(),
        "--out",
        tmp.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
}

#[test]
fn export_of_a_scenario_says_it_is_hypothetical() {
    let tmp = tempfile::tempdir().unwrap();
    let project = policy_workbench::bundled::sample();
    let scenario = &project.scenarios[0];
    assert!(
        scenario.name.to_lowercase().contains("hypothetical"),
        "says it once"
    );
    let o = export(
        tmp.path(),
        &[
            "--scenario",
            &scenario.id,
            "--format",
            "svg",
            "--width",
            "900",
            "--height",
            "600",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    for kind in ChartKind::ALL {
        let text = svg_text(
            &tmp.path().join(format!("{}.svg", kind.file_stem())),
            900,
            600,
        );
        assert!(
            text.contains(&format!("Scenario: {}", scenario.name))
                || text.contains(&format!(
                    "Scenario (hypothetical): {}",
                    policy_workbench::wording::without_hypothetical(&scenario.name)
                )),
            "{kind:?} names the scenario"
        );
    }
}

struct Data {
    project: Project,
    matrix: compute::Matrix,
    results: compute::Results,
}

fn data(project: Project) -> Data {
    let sel = Selection::default();
    let matrix = compute::effective_matrix(&project, &sel).unwrap();
    let results = compute::results_from_matrix(&project.framework, &matrix, &sel);
    Data {
        project,
        matrix,
        results,
    }
}

fn input(d: &Data) -> ChartInput<'_> {
    ChartInput {
        project: &d.project,
        matrix: &d.matrix,
        results: &d.results,
        title_suffix: None,
    }
}

#[test]
fn dark_theme_and_double_scale_render_every_chart() {
    let d = data(policy_workbench::bundled::sample());
    // Set PW_CHART_GALLERY=/some/dir to look at the images.
    let gallery = std::env::var_os("PW_CHART_GALLERY").map(std::path::PathBuf::from);
    for kind in ChartKind::ALL {
        for (dark, scale, w, h) in [
            (true, 1.0, 1600, 1000),
            (false, 2.0, 1600, 1000),
            (false, 1.0, 800, 600),
        ] {
            let mut opts = ChartOptions::new(kind);
            opts.dark = dark;
            opts.scale = scale;
            opts.width = w;
            opts.height = h;
            let rgb = charts::render_rgb(&input(&d), &opts).unwrap();
            assert_eq!(rgb.len(), (w * h * 3) as usize);
            let bg = &rgb[..3];
            if dark {
                assert!(
                    bg.iter().all(|&c| c < 60),
                    "{kind:?}: dark background, got {bg:?}"
                );
            } else {
                assert_eq!(bg, [255, 255, 255], "{kind:?}: white background");
            }
            assert!(
                distinct_colours(&rgb) > 40,
                "{kind:?} dark={dark} scale={scale}"
            );
            if let Some(dir) = &gallery {
                let name = format!(
                    "{}-{}-x{scale}-{w}.png",
                    kind.file_stem(),
                    if dark { "dark" } else { "light" }
                );
                charts::write_png(&dir.join(name), &input(&d), &opts).unwrap();
            }
        }
    }
}

#[test]
fn radar_over_groups_and_chosen_mechanisms() {
    let d = data(policy_workbench::bundled::sample());
    let mut opts = ChartOptions::new(ChartKind::Radar);
    opts.radar_over_groups = true;
    opts.mechanisms = vec!["interpol".into(), "fox-hunt-sky-net".into(), "nope".into()];
    let svg = charts::render_svg(&input(&d), &opts).unwrap();
    assert!(svg.contains("across the group indices"));
    assert!(svg.contains("INTERPOL"));
    assert!(svg.contains("Fox Hunt"));
    assert!(svg.contains("more concern"));
    assert!(
        !svg.contains("highest composite total"),
        "not the default choice"
    );
    if let Some(dir) = std::env::var_os("PW_CHART_GALLERY") {
        opts.dark = true;
        let p = Path::new(&dir).join("radar-groups-dark.png");
        charts::write_png(&p, &input(&d), &opts).unwrap();
    }

    let mut bars = ChartOptions::new(ChartKind::GroupBars);
    bars.mechanisms = vec!["interpol".into()];
    let svg = charts::render_svg(&input(&d), &bars).unwrap();
    assert!(svg.contains("INTERPOL"));
    assert!(
        !svg.contains("Extradition treaties"),
        "only the chosen mechanism"
    );
}

#[test]
fn quadrant_without_two_objective_groups_says_so() {
    let mut project = policy_workbench::bundled::sample();
    let second = project
        .framework
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.role == Role::Objective)
        .map(|(i, _)| i)
        .nth(1)
        .unwrap();
    project.framework.groups[second].role = Role::Requirement;
    let d = data(project);
    let opts = ChartOptions::new(ChartKind::Quadrant);
    let svg = charts::render_svg(&input(&d), &opts).unwrap();
    assert!(svg.contains("needs two objective groups"), "{svg}");
    charts::render_rgb(&input(&d), &opts).unwrap();
}

#[test]
fn every_chart_copes_with_an_empty_project() {
    let project = policy_workbench::bundled::template("blank").unwrap();
    let d = data(project);
    for kind in ChartKind::ALL {
        let mut opts = ChartOptions::new(kind);
        opts.width = 640;
        opts.height = 400;
        charts::render_rgb(&input(&d), &opts).unwrap();
        let svg = charts::render_svg(&input(&d), &opts).unwrap();
        roxmltree::Document::parse(&svg).unwrap();
    }
}

#[test]
fn invalid_options_are_refused() {
    let d = data(policy_workbench::bundled::sample());
    let mut opts = ChartOptions::new(ChartKind::Ranking);
    opts.width = 0;
    assert!(charts::render_rgb(&input(&d), &opts).is_err());
    let mut opts = ChartOptions::new(ChartKind::Quadrant);
    opts.quadrant_threshold = f64::NAN;
    assert!(charts::render_svg(&input(&d), &opts).is_err());
    let mut opts = ChartOptions::new(ChartKind::Quadrant);
    opts.scale = 0.0;
    assert!(charts::render_svg(&input(&d), &opts).is_err());
}

#[test]
fn tornado_renders_bars_widest_first() {
    let bars = vec![
        TornadoBar {
            label: "Weight of concerns".into(),
            low: 60.0,
            high: 64.0,
            base: 62.0,
        },
        TornadoBar {
            label: "Weight of requirements".into(),
            low: 55.0,
            high: 70.0,
            base: 62.0,
        },
        TornadoBar {
            label: "Weight of influence".into(),
            low: 61.0,
            high: 62.5,
            base: 62.0,
        },
    ];
    let mut opts = ChartOptions::new(ChartKind::Ranking);
    opts.width = 900;
    opts.height = 500;
    let svg = charts::render_tornado_svg(
        &bars,
        "Sensitivity of INTERPOL's total",
        "Composite total",
        &opts,
    )
    .unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter_map(|n| {
            if n.has_tag_name("text") {
                n.text().map(str::trim)
            } else {
                None
            }
        })
        .collect();
    assert!(
        texts.contains(&"Sensitivity of INTERPOL's total"),
        "{texts:?}"
    );
    assert!(texts.contains(&"Composite total"));
    let pos = |l: &str| texts.iter().position(|t| *t == l).unwrap();
    assert!(pos("Weight of requirements") < pos("Weight of concerns"));
    assert!(pos("Weight of concerns") < pos("Weight of influence"));
    let rgb = charts::render_tornado_rgb(&bars, "T", "x", &opts).unwrap();
    assert!(distinct_colours(&rgb) > 40);

    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("tornado.png");
    charts::write_tornado_png(&p, &bars, "T", "x", &opts).unwrap();
    check_png(&p, 900, 500);
    if let Some(dir) = std::env::var_os("PW_CHART_GALLERY") {
        let p = Path::new(&dir).join("tornado.png");
        charts::write_tornado_png(
            &p,
            &bars,
            "Sensitivity of INTERPOL's total",
            "Composite total",
            &opts,
        )
        .unwrap();
    }
    // No data: a message, not an error.
    charts::render_tornado_svg(&[], "T", "x", &opts).unwrap();
}

#[test]
fn write_to_a_missing_folder_fails_with_the_path() {
    let d = data(policy_workbench::bundled::sample());
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("missing").join("radar.svg");
    let e = charts::write_svg(&p, &input(&d), &ChartOptions::new(ChartKind::Radar)).unwrap_err();
    assert!(e.to_string().contains("radar.svg"), "{e}");
}

#[test]
fn ranking_marks_mechanisms_failing_a_gate() {
    let mut project = policy_workbench::bundled::sample();
    // Demand the top of the scale on one requirement: several mechanisms fail it.
    let gi = project
        .framework
        .groups
        .iter()
        .position(|g| g.role == Role::Requirement)
        .unwrap();
    project.framework.groups[gi].criteria[0].gate =
        Some(policy_workbench::model::Gate { at_least: 4.0 });
    let d = data(project);
    assert!(d.results.mechanisms.iter().any(|m| !m.viable()));
    let mut opts = ChartOptions::new(ChartKind::Ranking);
    opts.width = 1200;
    opts.height = 800;
    let svg = charts::render_svg(&input(&d), &opts).unwrap();
    assert!(svg.contains("not viable"));
    assert!(svg.contains("Not viable (requirement gate failed)"));
    if let Some(dir) = std::env::var_os("PW_CHART_GALLERY") {
        let p = std::path::Path::new(&dir).join("ranking-gates.png");
        charts::write_png(&p, &input(&d), &opts).unwrap();
    }
}

#[test]
fn crowded_projects_still_render_at_small_sizes() {
    // The sample three times over (87 mechanisms, long names), at 800 × 600.
    let mut project = policy_workbench::bundled::sample();
    let base = project.mechanisms.clone();
    let scores = project.scores.clone();
    for k in 2..=3 {
        for m in &base {
            let mut copy = m.clone();
            copy.id = format!("{}-{k}", m.id);
            copy.name = format!("{} — variant number {k} with an even longer name", m.name);
            project.mechanisms.push(copy);
        }
        for (key, s) in &scores {
            let mut key = key.clone();
            key.mechanism = format!("{}-{k}", key.mechanism);
            project.scores.insert(key, s.clone());
        }
    }
    let d = data(project);
    assert_eq!(d.results.mechanisms.len(), 87);
    let gallery = std::env::var_os("PW_CHART_GALLERY").map(std::path::PathBuf::from);
    for kind in ChartKind::ALL {
        let mut opts = ChartOptions::new(kind);
        opts.width = 800;
        opts.height = 600;
        let rgb = charts::render_rgb(&input(&d), &opts).unwrap();
        assert!(distinct_colours(&rgb) > 40);
        let svg = charts::render_svg(&input(&d), &opts).unwrap();
        roxmltree::Document::parse(&svg).unwrap();
        if let Some(dir) = &gallery {
            let p = dir.join(format!("crowded-{}.png", kind.file_stem()));
            charts::write_png(&p, &input(&d), &opts).unwrap();
        }
    }
}

/// Every scale and size the options accept draws without a panic: the smallest scale
/// (0.25 pixels per point) made the heatmap's cell padding panic once.
#[test]
fn every_chart_renders_at_the_limits_of_the_options() {
    let d = data(policy_workbench::bundled::sample());
    let bars = [TornadoBar {
        label: "Weight of concerns".into(),
        low: 60.0,
        high: 64.0,
        base: 62.0,
    }];
    for scale in [0.25, 8.0] {
        for (w, h) in [(64, 64), (64, 900), (900, 64), (1200, 800)] {
            for kind in ChartKind::ALL {
                let mut opts = ChartOptions::new(kind);
                (opts.scale, opts.width, opts.height) = (scale, w, h);
                let what = format!("{kind:?} at scale {scale}, {w}×{h}");
                let rgb = charts::render_rgb(&input(&d), &opts).expect(&what);
                assert_eq!(rgb.len(), (w * h * 3) as usize, "{what}");
                let svg = charts::render_svg(&input(&d), &opts).expect(&what);
                roxmltree::Document::parse(&svg).expect(&what);
            }
            let mut opts = ChartOptions::new(ChartKind::Ranking);
            (opts.scale, opts.width, opts.height) = (scale, w, h);
            charts::render_tornado_rgb(&bars, "Tornado", "Total", &opts).unwrap();
            charts::render_tornado_svg(&bars, "Tornado", "Total", &opts).unwrap();
        }
    }
}

/// 2,000 mechanisms: the row charts show the rows that stay visible and say how many,
/// instead of bars and cells too thin to draw; the sample shows every row.
#[test]
fn very_many_mechanisms_show_what_fits_and_say_so() {
    let spec = policy_workbench::generate::GenSpec {
        mechanisms: 2000,
        criteria: 12,
        analysts: 1,
        scenarios: 0,
        sources: 10,
        seed: 3,
    };
    let many = data(policy_workbench::generate::project(&spec));
    let sample = data(policy_workbench::bundled::sample());
    for kind in [ChartKind::GroupBars, ChartKind::Ranking, ChartKind::Heatmap] {
        let opts = ChartOptions::new(kind);
        let svg = charts::render_svg(&input(&many), &opts).unwrap();
        let texts = texts_of(&svg);
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("Showing the") && t.contains("of 2000 mechanisms")),
            "{kind:?}: {texts:?}"
        );
        let rgb = charts::render_rgb(&input(&many), &opts).unwrap();
        assert!(distinct_colours(&rgb) > 40, "{kind:?}");
        assert!(ink_share(&rgb) > 0.1, "{kind:?}: rows are drawn");
        let svg = charts::render_svg(&input(&sample), &opts).unwrap();
        assert!(!svg.contains("Showing the"), "{kind:?}: the sample fits");
    }
}

/// The texts of an SVG document.
fn texts_of(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

/// A Chinese name draws its own glyphs in a PNG, not empty boxes: two names of the
/// same length give different pixels (boxes would be alike). Needs a CJK font on the
/// system (`.ci/run` installs one where it can); without one the chart still draws,
/// with boxes, and this test says so and passes.
#[test]
fn chinese_names_render_in_pngs() {
    let render = |name: &str| {
        let mut p = policy_workbench::bundled::sample();
        p.mechanisms[0].name = name.to_string();
        let d = data(p);
        let mut opts = ChartOptions::new(ChartKind::Ranking);
        (opts.width, opts.height) = (900, 700);
        let rgb = charts::render_rgb(&input(&d), &opts).unwrap();
        let svg = charts::render_svg(&input(&d), &opts).unwrap();
        assert!(svg.contains(name), "the SVG names it as it is");
        rgb
    };
    let a = render("中国警务合作");
    let b = render("公安部国际化");
    // A symbol font alone is a fallback font too, but draws no Chinese.
    if !"中国警务合作公安部国际化".chars().all(charts::draws_glyph) {
        eprintln!("no CJK font found on this system: Chinese text draws as boxes");
        return;
    }
    let differing = a
        .chunks_exact(3)
        .zip(b.chunks_exact(3))
        .filter(|(x, y)| x != y)
        .count();
    assert!(
        differing > 100,
        "only {differing} pixels differ: boxes, not glyphs"
    );
}

/// An emoji in a name draws its own glyph in a PNG, not an empty box: two names that
/// differ only in the emoji give different pixels, and so do the emoji and a
/// character no font has (which draws as a box). An emoji sequence draws as its
/// visible parts: the joiner and the variation selector draw nothing (same pixels
/// as without them, and so does a skin tone), the sign after the joiner draws. Needs a symbol font on the
/// system (`.ci/run` installs Symbola where it can); without one, this test says so
/// and passes.
#[test]
fn emoji_in_names_render_in_pngs() {
    let render = |name: &str| {
        let mut p = policy_workbench::bundled::sample();
        p.mechanisms[0].name = name.to_string();
        let d = data(p);
        let mut opts = ChartOptions::new(ChartKind::Ranking);
        // Type twice as large, and room for every row.
        (opts.width, opts.height, opts.scale) = (1600, 2000, 2.0);
        let rgb = charts::render_rgb(&input(&d), &opts).unwrap();
        let svg = charts::render_svg(&input(&d), &opts).unwrap();
        assert!(svg.contains(name), "the SVG names it as it is");
        rgb
    };
    let differing = |a: &[u8], b: &[u8]| {
        a.chunks_exact(3)
            .zip(b.chunks_exact(3))
            .filter(|(x, y)| x != y)
            .count()
    };
    let car = render("Police 🚓 liaison");
    let ambulance = render("Police 🚑 liaison");
    let unknown = render("Police \u{10FFFD} liaison");
    // The sequence for "police officer, woman", and its parts.
    let sequence = render("Police 👮\u{200D}♀\u{FE0F} liaison");
    let parts = render("Police 👮♀ liaison");
    // The same with a skin tone, which monochrome glyphs cannot show.
    let toned = render("Police 👮\u{1F3FD}\u{200D}♀\u{FE0F} liaison");
    let officer = render("Police 👮 liaison");
    assert!(sequence == parts, "joiner and selector draw nothing");
    assert!(toned == parts, "a skin tone after the base draws nothing");
    if !charts::draws_glyph('🚓') || !charts::draws_glyph('👮') {
        eprintln!("no symbol font found on this system: emoji draw as boxes");
        return;
    }
    assert!(!charts::draws_glyph('\u{10FFFD}'));
    let n = differing(&car, &ambulance);
    assert!(n > 100, "only {n} pixels differ: boxes, not glyphs");
    let n = differing(&car, &unknown);
    assert!(n > 200, "only {n} pixels differ from the empty box");
    let n = differing(&parts, &officer);
    assert!(
        n > 200,
        "only {n} pixels differ: the sign after the joiner is drawn"
    );
}

/// In the quadrant, the bubbles never mix into a colour that is not in the legend:
/// every bubble is filled with an opaque colour, no two share a centre (mechanisms at
/// one position are set side by side), and the chart says which were moved apart.
#[test]
fn quadrant_bubbles_are_opaque_and_never_hide_each_other() {
    let mut p = policy_workbench::bundled::sample();
    // Two mechanisms of different kinds at the very same position.
    let a = p.mechanisms[0].clone();
    let mut b = p.mechanisms[1].clone();
    b.name = "A twin".into();
    let keys: Vec<_> = p
        .scores
        .keys()
        .filter(|k| k.mechanism == a.id)
        .cloned()
        .collect();
    for k in keys {
        let s = p.scores[&k].clone();
        let mut k2 = k.clone();
        k2.mechanism = b.id.clone();
        p.scores.insert(k2, s);
    }
    p.mechanisms[1] = b;
    let d = data(p);
    let mut opts = ChartOptions::new(ChartKind::Quadrant);
    (opts.width, opts.height) = (1400, 900);
    let svg = charts::render_svg(&input(&d), &opts).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let mut centres = Vec::new();
    for n in doc.descendants().filter(|n| n.has_tag_name("circle")) {
        let fill = n.attribute("fill").unwrap_or("none");
        // The legend's size samples are the one grey, translucent and apart.
        if fill == "none" || fill == "#555555" {
            continue;
        }
        assert_eq!(n.attribute("opacity"), Some("1"), "{fill} bubble is opaque");
        centres.push((n.attribute("cx").unwrap(), n.attribute("cy").unwrap()));
    }
    assert!(centres.len() > 10, "bubbles found: {}", centres.len());
    let mut unique = centres.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), centres.len(), "two bubbles share a centre");
    let texts = texts_of(&svg).join(" ");
    assert!(
        texts.contains("Set side by side because they share a position")
            && texts.contains("A twin"),
        "{texts}"
    );
}

/// The radar's default choice keeps every mechanism tied with the fifth.
#[test]
fn the_default_radar_keeps_ties_with_the_fifth() {
    let mut p = policy_workbench::bundled::sample();
    let r = compute::analyze(&p, &Selection::default()).unwrap();
    let mut by_rank: Vec<_> = r.mechanisms.iter().filter(|m| m.rank.is_some()).collect();
    by_rank.sort_by_key(|m| m.rank);
    // Give the sixth and seventh the fifth's scores: three mechanisms tie at rank 5 or
    // better.
    let fifth = by_rank[4].id.clone();
    for other in [by_rank[5].id.clone(), by_rank[6].id.clone()] {
        let copied: Vec<_> = p
            .scores
            .iter()
            .filter(|(k, _)| k.mechanism == fifth)
            .map(|(k, s)| {
                let mut k2 = k.clone();
                k2.mechanism = other.clone();
                (k2, s.clone())
            })
            .collect();
        p.scores.retain(|k, _| k.mechanism != other);
        p.scores.extend(copied);
    }
    let d = data(p);
    let tied = d
        .results
        .mechanisms
        .iter()
        .filter(|m| m.rank.is_some_and(|k| k <= 5))
        .count();
    assert!(tied >= 7, "the case has a tie at the fifth place: {tied}");
    let opts = ChartOptions::new(ChartKind::Radar);
    let svg = charts::render_svg(&input(&d), &opts).unwrap();
    let texts = texts_of(&svg).join(" ");
    assert!(
        texts.contains(&format!("Showing the {tied} mechanisms")),
        "{texts}"
    );
}
